"""Per-MIM levels (full / partial / initial / not-assessed) from capability coverage, by the capability model.

The rule (docs/blueprint.md, "MIM levels"), for each MIM of MIMs Plus v8 and each of its capabilities
(ldt_conform/capabilities.toml):

* A capability's *evidence* is the verified results (pass / fail / error) of the rules bound to it. MUST (error)
  rules are the evidence when any ran; otherwise SHOULD (warning) rules. MAY (info) rules and results that were not
  verified (skipped: prerequisite failed, artefact unavailable, not applicable, not selected) are never evidence.
* A capability **holds** when it has evidence and every result of it is a pass; it is **broken** when any is a fail
  or an error; it is **not assessed** when it has no evidence, or when one of its MUST rules applied but could not
  be verified (prerequisite failed, artefact unavailable, not selected); **not applicable** when the twin manifest
  says so, with its reason ([twin.not-applicable]). A capability with no rule (organisational) can only be
  **declared, not machine-verified**, which never counts as holding.
* **full**: every applicable capability holds, and the run was not narrowed by --select / --ignore.
* **partial**: some capability holds, but not all (or the run was narrowed).
* **initial**: nothing holds, but something was evaluated, or the MIM is declared ([twin] mims), or it has declared
  evidence.
* **not-assessed**: nothing evaluated and nothing declared.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from typing import Any, Iterable, Mapping

from ldt_conform import capabilities
from ldt_conform.mims import MIMS, MIMS_VERSION
from ldt_conform.model import Report, Result, Rule, Severity, Status, Why
from ldt_conform.tool_ids import is_tool_rule

LEVELS = ("full", "partial", "initial", "not-assessed")
STATES = ("holds", "broken", "not-assessed", "declared", "not-applicable")
DECLARED = "declared, not machine-verified"
NARROWED = "narrowed run"
BLUEPRINT_PROFILE = "ldt4ssc"
# Reasons a result was not verified that leave a capability unproven (not-applicable ones do not).
GAPS = (Why.PREREQUISITE_FAILED, Why.ARTEFACT_UNAVAILABLE, Why.NOT_SELECTED)


def applies(report: Report) -> bool:
    """Levels are reported for the blueprint profile, and for any profile whose rules name MIMs."""
    return BLUEPRINT_PROFILE in report.profile.chain or any(r.mims for r in report.rules)


def assess(report: Report, *, declared: Iterable[str] = (), evidence: Mapping[str, Mapping[str, str]] | None = None,
           not_applicable: Mapping[str, str] | None = None,
           model: capabilities.Model | None = None) -> tuple[dict[str, Any], ...]:
    """One entry per MIM, in v8 order: its level, every capability with its state, declared evidence and a note."""
    model = model or capabilities.default()
    evidence = evidence or {}
    not_applicable = dict(not_applicable or {})
    declared_set = set(declared)
    narrowed = bool(report.options.get("narrowed"))
    by_rule: dict[str, list[Result]] = defaultdict(list)
    for result in report.results:
        by_rule[result.rule].append(result)
    rules = [r for r in report.rules if not is_tool_rule(r.id)]
    entries = []
    for key, mim in MIMS.items():
        items = [{"kind": kind, "value": value, "status": DECLARED}
                 for kind, value in evidence.get(key, {}).items() if kind != "note"]
        caps = [_capability(cap, rules, by_rule, not_applicable, {i["kind"] for i in items}) for cap in model.of(key)]
        caps = [_after(cap, caps, model) for cap in caps]
        entries.append(_entry(key, mim, caps, key in declared_set, items, narrowed))
    return tuple(entries)


def attach(report: Report, *, declared: Iterable[str] = (), evidence: Mapping[str, Mapping[str, str]] | None = None,
           not_applicable: Mapping[str, str] | None = None, model: capabilities.Model | None = None) -> Report:
    declared = tuple(declared)
    if not (applies(report) or declared or evidence):
        return report
    return replace(report, mims=assess(report, declared=declared, evidence=evidence, not_applicable=not_applicable,
                                       model=model))


def _capability(cap: capabilities.Capability, rules: list[Rule], by_rule: Mapping[str, list[Result]],
                not_applicable: Mapping[str, str], declared_kinds: set[str]) -> dict[str, Any]:
    bound = [r for r in rules if cap.binds(r.id)]
    verified = {r.id: [x for x in by_rule.get(r.id, ()) if x.status is not Status.SKIP] for r in bound}
    basis: list[Rule] = []
    for severity in (Severity.ERROR, Severity.WARNING):
        basis = [r for r in bound if r.severity is severity and verified[r.id]]
        if basis:
            break
    passed = [r.id for r in basis if all(x.status is Status.PASS for x in verified[r.id])]
    # Passes that say what they did not test: the capability holds on them, and its reason says so.
    limited = [rid for rid in passed if any(x.reason for x in verified[rid])]
    failed = [r.id for r in basis if r.id not in passed]
    whys = Counter(x.why.value if x.why else "not-verified" for r in bound for x in by_rule.get(r.id, ())
                   if x.status is Status.SKIP)
    declared = [k for k in cap.declared if k in declared_kinds]
    # A MUST rule that applies but could not be verified leaves a gap: what did pass is no proof for the whole.
    gap_ids: dict[str, set[str]] = defaultdict(set)
    for r in bound:
        for x in by_rule.get(r.id, ()):
            if r.severity is Severity.ERROR and x.status is Status.SKIP and x.why in GAPS:
                gap_ids[x.why.value].add(r.id)
    gaps = [_gap(why, sorted(ids)) for why, ids in sorted(gap_ids.items())]
    if cap.id in not_applicable:
        state, reason = "not-applicable", not_applicable[cap.id]
    elif failed:
        state, reason = "broken", "broken: " + ", ".join(failed)
    elif gaps:
        state, reason = "not-assessed", "not verified: " + ", ".join(gaps)
    elif basis:
        state, reason = "holds", f"{len(passed)} rule{'s' if len(passed) != 1 else ''} verified" + (
            f", with limits: {', '.join(limited)}" if limited else "")
    elif cap.organisational and declared:
        state, reason = "declared", f"{DECLARED}: " + ", ".join(declared)
    else:
        state, reason = "not-assessed", _why_not(cap, bound, whys)
    return {
        "id": cap.id, "title": cap.title, "source": cap.source, "state": state, "reason": reason,
        "rules_total": len(bound), "rules_passed": passed, "rules_failed": failed,
        **({"rules_limited": limited} if limited and state == "holds" else {}),
        "rules_not_verified": sum(whys.values()), "not_verified": dict(sorted(whys.items())),
        "organisational": cap.organisational, "unchecked": cap.unchecked, "declared": declared,
        **({"assess": cap.assess} if state == "not-assessed" else {}),
        **({"checked": cap.checked} if cap.checked else {}),
    }


def _after(cap: dict[str, Any], caps: list[dict[str, Any]], model: capabilities.Model) -> dict[str, Any]:
    """A capability that counts only once another was assessed stays not assessed until then."""
    after = next((c.after for c in model.capabilities if c.id == cap["id"]), "")
    first = next((c for c in caps if c["id"] == after), None)
    if not after or first is None or first["state"] in ("holds", "broken") or cap["state"] == "not-applicable":
        return cap
    return {**cap, "state": "not-assessed", "rules_passed": [], "rules_failed": [],
            "reason": f"counts only once {after} was assessed", "assess": next(
                c.assess for c in model.capabilities if c.id == cap["id"])}


def _gap(why: str, ids: list[str], shown: int = 3) -> str:
    if len(ids) <= shown:
        return f"{', '.join(ids)} {why}"
    return f"{len(ids)} MUST rules {why} ({', '.join(ids[:shown])}, …)"


def _why_not(cap: capabilities.Capability, bound: list[Rule], whys: Counter[str]) -> str:
    if cap.organisational:
        return "organisational: no rule can verify it"
    if cap.unchecked:
        return "no check exists yet"
    if not bound:
        return "no rule of this profile gives evidence for it"
    if whys:
        return "not verified: " + ", ".join(f"{n} {why}" for why, n in sorted(whys.items()))
    return "no MUST or SHOULD rule of it was verified"


def _entry(key: str, mim: Any, caps: list[dict[str, Any]], declared: bool, evidence: list[dict[str, str]],
           narrowed: bool) -> dict[str, Any]:
    states = Counter(c["state"] for c in caps)
    applicable = [c for c in caps if c["state"] != "not-applicable"]
    holds = states["holds"]
    evaluated = holds + states["broken"]
    if applicable and holds == len(applicable) and not narrowed:
        level = "full"
    elif holds:
        level = "partial"
    elif evaluated or declared or evidence or states["declared"]:
        level = "initial"
    else:
        level = "not-assessed"
    organisational = [c["id"] for c in applicable if c["organisational"]]
    return {
        "key": key, "label": mim.number_v8, "title": mim.title, "version": MIMS_VERSION, "level": level,
        "machine_verifiable": not organisational, "declared": declared, "narrowed": narrowed,
        "capabilities_total": len(caps), "capabilities_holding": holds,
        "capabilities_broken": states["broken"], "capabilities_not_assessed": states["not-assessed"],
        "capabilities_declared": states["declared"], "capabilities_not_applicable": states["not-applicable"],
        "capabilities": caps, "evidence": evidence,
        "note": _note(level, caps, applicable, organisational, narrowed, evidence),
    }


def _note(level: str, caps: list[dict[str, Any]], applicable: list[dict[str, Any]], organisational: list[str],
          narrowed: bool, evidence: list[dict[str, str]]) -> str:
    holds = sum(1 for c in applicable if c["state"] == "holds")
    parts = [f"{holds}/{len(applicable)} capabilities hold"]
    broken = [c["id"] for c in caps if c["state"] == "broken"]
    if broken:
        parts.append("broken: " + ", ".join(broken))
    unassessed = [c["id"] for c in caps if c["state"] == "not-assessed" and not c["unchecked"]
                  and not c["organisational"]]
    if unassessed:
        parts.append("not assessed: " + ", ".join(unassessed))
    not_applicable = [c["id"] for c in caps if c["state"] == "not-applicable"]
    if not_applicable:
        parts.append("not applicable: " + ", ".join(not_applicable))
    if narrowed:
        parts.append(f"{NARROWED}: --select/--ignore left rules out, so no MIM is full")
    if organisational:
        parts.append("organisational capabilities keep it below a machine-verified full")
    unchecked = [c["id"] for c in applicable if c["unchecked"]]
    if unchecked:
        parts.append("no check exists yet for: " + ", ".join(unchecked))
    if evidence:
        parts.append(f"evidence {DECLARED}: " + ", ".join(e["kind"] for e in evidence))
    return "; ".join(parts)
