"""Per-MIM compliance levels (full / partial / initial / not-assessed) from a report's results, by a documented rule.

The rule, for each MIM of MIMs Plus v8 (docs/blueprint.md, "MIM levels"):

* A rule *gives evidence* for a MIM when its `mims` list names it. Tool rules (LC-…) never do.
* A rule is *evaluated* when it has at least one pass/fail/error result; skipped results are not evidence.
  An evaluated rule *holds* when every one of its evaluated results is `pass` (every target), and is *broken* otherwise.
* The *basis* is the evaluated MUST (error-severity) rules of the MIM; if the MIM has none evaluated, the evaluated
  rules of any severity.
* **full**: the basis is not empty and every rule in it holds.
* **partial**: some rules of the basis hold and some are broken.
* **initial**: the basis is not empty and none of it holds, or the basis is empty but the twin declares the MIM
  (`[twin] mims`) or declares organisational evidence for it.
* **not-assessed**: nothing evaluated and nothing declared.

Declared organisational evidence (a rulebook, a DPIA, an algorithm register) is listed as "declared, not
machine-verified" and never counts as a machine-verified pass: on its own it can lift a MIM to `initial`, no further.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Any, Iterable, Mapping

from ldt_conform.mims import MIMS, MIMS_VERSION
from ldt_conform.model import Report, Rule, Severity, Status
from ldt_conform.tool_ids import is_tool_rule

LEVELS = ("full", "partial", "initial", "not-assessed")
DECLARED = "declared, not machine-verified"
BLUEPRINT_PROFILE = "ldt4ssc"


def applies(report: Report) -> bool:
    """Levels are reported for the blueprint profile, and for any profile whose rules name MIMs."""
    return BLUEPRINT_PROFILE in report.profile.chain or any(r.mims for r in report.rules)


def assess(report: Report, *, declared: Iterable[str] = (),
           evidence: Mapping[str, Mapping[str, str]] | None = None) -> tuple[dict[str, Any], ...]:
    """One entry per MIM, in v8 order: key, label, title, level, rule counts, declared evidence and a note."""
    evidence = evidence or {}
    declared_set = set(declared)
    statuses: dict[str, list[Status]] = defaultdict(list)
    for result in report.results:
        statuses[result.rule].append(result.status)
    entries = []
    for key, mim in MIMS.items():
        rules = [r for r in report.rules if key in r.mims and not is_tool_rule(r.id) and r.enabled]
        entries.append(_entry(key, mim, rules, statuses, key in declared_set, evidence.get(key, {})))
    return tuple(entries)


def attach(report: Report, *, declared: Iterable[str] = (),
           evidence: Mapping[str, Mapping[str, str]] | None = None) -> Report:
    declared = tuple(declared)
    if not (applies(report) or declared or evidence):
        return report
    return replace(report, mims=assess(report, declared=declared, evidence=evidence))


def _entry(key: str, mim: Any, rules: list[Rule], statuses: Mapping[str, list[Status]], declared: bool,
           evidence: Mapping[str, str]) -> dict[str, Any]:
    evaluated = {r.id: r for r in rules if any(s is not Status.SKIP for s in statuses.get(r.id, ()))}
    holds = {rid for rid in evaluated if all(s in (Status.PASS, Status.SKIP) for s in statuses[rid])}
    must = {rid for rid, r in evaluated.items() if r.severity is Severity.ERROR}
    basis = must or set(evaluated)
    passed, failed = basis & holds, basis - holds
    if basis and not failed:
        level = "full"
    elif passed:
        level = "partial"
    elif basis or declared or evidence:
        level = "initial"
    else:
        level = "not-assessed"
    items = [{"kind": kind, "value": value, "status": DECLARED} for kind, value in evidence.items() if kind != "note"]
    skipped = len(rules) - len(evaluated)
    return {
        "key": key, "label": mim.number_v8, "title": mim.title, "version": MIMS_VERSION, "level": level,
        "machine_verifiable": mim.machine_verifiable, "declared": declared,
        "rules_passed": len(passed), "rules_failed": len(failed), "rules_total": len(basis),
        "rules_skipped": skipped, "basis": "must" if must else ("any" if basis else "none"),
        "evidence": items, "note": _note(level, basis, passed, must, skipped, declared, items, mim.machine_verifiable),
    }


def _note(level: str, basis: set[str], passed: set[str], must: set[str], skipped: int, declared: bool,
          evidence: list[dict[str, str]], verifiable: bool) -> str:
    parts = []
    if basis:
        kind = "MUST rules" if must else "rules (no MUST rule evaluated)"
        parts.append(f"{len(passed)}/{len(basis)} {kind} hold")
    elif declared:
        parts.append("declared, but no rule of this MIM was evaluated")
    if skipped:
        parts.append(f"{skipped} not evaluated")
    if evidence:
        parts.append(f"evidence {DECLARED}: " + ", ".join(e["kind"] for e in evidence))
    elif not verifiable and level != "not-assessed" and not basis:
        parts.append("organisational MIM: declare evidence in [twin.evidence]")
    return "; ".join(parts)
