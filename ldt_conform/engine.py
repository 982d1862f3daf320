"""Groups rules by check kind, runs each kind once per target, turns crashes into findings, sorts the outcome."""
from __future__ import annotations

import importlib
import tomllib
import traceback
from dataclasses import replace
from datetime import datetime, UTC
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Sequence, cast

from ldt_conform import __version__, tool_ids
from ldt_conform.bnodes import canonical_labels, relabel
from ldt_conform.checks import CheckKind, CheckOutput, RunContext
from ldt_conform.errors import ConformError
from ldt_conform.findings_spool import Notes, Spool
from ldt_conform.model import Finding, Report, Result, Rule, Severity, Status, TargetInfo, Why

# Check kind → module; imported on first use so a catalogue-only run never imports the API machinery.
CHECKS: dict[str, str] = {
    "shacl": "ldt_conform.checks.shacl",
    "json_schema": "ldt_conform.checks.json_schema",
    "api": "ldt_conform.checks.api",
    # MIM6 transport security of every API target; its own kind so a TLS failure that stops the API probes is
    # still evidence here (the api kind skips everything on an unreachable target).
    "transport": "ldt_conform.checks.api.transport",
}
CRASH_RULE = tool_ids.CRASH
OFFLINE_RULE = tool_ids.OFFLINE


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@lru_cache(maxsize=1)
def tool_rules() -> tuple[Rule, ...]:
    """The LC-… rules, kept as data beside the code and always part of the rule table."""
    from ldt_conform.profile import _make_rule

    data = tomllib.loads((resources.files("ldt_conform") / "tool_rules.toml").read_text("utf-8"))
    from pathlib import Path

    return tuple(_make_rule(raw, data["id"], {}, {}, Path("tool_rules.toml"), i) for i, raw in enumerate(data["rules"]))


def check_module(kind: str) -> CheckKind:
    return cast(CheckKind, importlib.import_module(CHECKS[kind]))


if TYPE_CHECKING:  # mypy proves that every registered module keeps the CheckKind contract
    from ldt_conform.checks import api, json_schema, shacl
    from ldt_conform.checks.api import transport

    _KINDS: tuple[CheckKind, ...] = (shacl, json_schema, api, transport)


def run(rules: Sequence[Rule], targets: Sequence[Any], ctx: RunContext, *, fail_on: Severity = Severity.ERROR,
        started_at: str | None = None, extra_targets: Sequence[TargetInfo] = (), spool: Spool | None = None) -> Report:
    """Evaluate the selected rules on every target and assemble the report.

    With a `spool`, findings go there as the checks produce them and the report's `findings` is empty:
    report_stream.finish turns the spool into the findings file and the listed findings.
    """
    started = started_at or now()
    by_kind: dict[str, list[Rule]] = {}
    for rule in rules:
        if rule.check.get("internal"):
            continue
        by_kind.setdefault(rule.kind, []).append(rule)
    results: list[Result] = []
    findings: list[Finding] = []
    engines: set[str] = set()
    evaluated: set[str] = set()
    notes = spool if spool is not None else Notes()
    if spool is not None:
        ctx.findings_sink = spool.add
    try:
        for target in targets:
            # What --lenient skipped while reading the target (LC-006): part of its verdict, never dropped.
            found: list[Finding] = list(getattr(target, "load_findings", ()))
            for kind, kind_rules in by_kind.items():
                module = check_module(kind)
                if target.kind not in module.target_kinds:
                    continue
                ctx.progress(f"{kind}: {target.source}")
                output = _run_guarded(module, kind_rules, target, ctx)
                results.extend(output.results)
                found.extend(output.findings)
                engines |= output.engines
                evaluated.update(r.id for r in kind_rules)
                if spool is not None:
                    spool.add(found)
                    found = []
            if spool is None:
                notes.note(found)
            labels = _bnode_labels(target, notes.bnodes.get(target.source, set()))
            if isinstance(getattr(target, "bnode_labels", None), dict):
                target.bnode_labels.update(labels)
            if spool is not None:
                spool.relabel(target.source, labels)
            else:
                findings.extend([relabel(f, labels) for f in found] if labels else found)
    finally:
        ctx.findings_sink = None
    results.extend(not_run(rules, ctx.profile, evaluated))
    results = _unverified_passes(results, notes.offline, dict(notes.skipped))
    return Report(
        tool_version=__version__, started_at=started, finished_at=now(), profile=ctx.profile.info(),
        rules=rule_table(ctx.profile),
        targets=(*(t.info() for t in targets), *extra_targets),
        results=tuple(sorted(results, key=lambda r: (r.target, r.rule))),
        findings=tuple(link_same_value(sorted(dict.fromkeys(findings), key=Finding.full_key))),
        fail_on=fail_on, engines=tuple(sorted(engines)),
    )


def not_run(rules: Sequence[Rule], profile: Any, evaluated: set[str]) -> list[Result]:
    """The run's results of the rules that did not run: selected but with no target of their kind, or left out."""
    results = []
    for rule in rules:
        if rule.id not in evaluated and not rule.check.get("internal"):
            results.append(Result(rule.id, "", Status.SKIP, reason=f"no {_kind_noun(rule.kind)} target was given",
                                  why=Why.NOT_APPLICABLE))
    chosen = {r.id for r in rules}
    for rule in profile.rules:
        # A rule left out of the run is shown as not verified, never silently absent (a reader would take the
        # profile as checked in full).
        if rule.id not in chosen and not rule.check.get("internal"):
            reason = "not selected (--select / --ignore)" if rule.enabled else "disabled by the profile"
            results.append(Result(rule.id, "", Status.SKIP, reason=reason, why=Why.NOT_SELECTED))
    return results


def rule_table(profile: Any) -> tuple[Rule, ...]:
    """Every rule a report can name: the tool's LC- rules and the profile's, by ID."""
    table = {r.id: r for r in (*tool_rules(), *profile.rules)}
    return tuple(sorted(table.values(), key=lambda r: r.id))


def link_same_value(findings: Sequence[Finding]) -> list[Finding]:
    """Mark findings of different rules on the same (target, focus, path, value) as one defect seen several times.

    The collapsing rule: each such finding stays (a rule's verdict and a CI gate on it must not depend on another
    rule), and lists the other rules in `same_value_as`; renderers show the group once, under the rule whose ID sorts
    first, "also reported by" the others. A finding without a path is about its node as a whole, and a tool finding
    (LC-) is about the run: neither is linked.
    """
    def key(f: Finding) -> tuple[str, str, str, str | None] | None:
        return None if f.path is None or tool_ids.is_tool_rule(f.rule) else (f.target, f.focus, f.path, f.value)

    rules: dict[tuple[str, str, str, str | None], set[str]] = {}
    for f in findings:
        if (k := key(f)) is not None:
            rules.setdefault(k, set()).add(f.rule)
    linked = []
    for f in findings:
        k = key(f)
        others = rules[k] - {f.rule} if k is not None else set()
        linked.append(replace(f, same_value_as=tuple(sorted(others))) if others else f)
    return linked


def _unverified_passes(results: list[Result], missing: set[tuple[str, str]],
                       skipped: dict[str, int]) -> list[Result]:
    """A pass whose evidence needed an artefact that was not in the store, or on an input --lenient read only in part,
    is not verified; every skip gets a Why.

    `missing` and `skipped` come from the run's LC-004 and LC-006 findings (findings_spool.Notes).
    """
    fixed = []
    for result in results:
        if result.status is Status.PASS and (result.target, result.rule) in missing:
            result = replace(result, status=Status.SKIP, why=Why.ARTEFACT_UNAVAILABLE,
                             reason="not verifiable: an artefact it needs is not in the artefact store (LC-004)")
        elif result.status is Status.PASS and result.target in skipped:
            count = skipped[result.target]
            result = replace(result, status=Status.SKIP, why=Why.PREREQUISITE_FAILED,
                             reason=f"not verified: --lenient skipped {count} statement{'s' * (count != 1)} of this "
                                    "input (LC-006); the rule held on the rest")
        elif result.status is Status.SKIP and result.why is None:
            result = replace(result, why=why_of(result.reason or ""))
        elif result.status is not Status.SKIP and result.why is not None:
            result = replace(result, why=None)
        fixed.append(result)
    return fixed


def why_of(reason: str) -> Why:
    """The reason class of a skip whose check did not set one (older check kinds give only the sentence)."""
    text = reason.lower()
    if "prerequisite" in text or "not reachable" in text or "could not be reached" in text:
        return Why.PREREQUISITE_FAILED
    if "offline" in text or "artefact" in text or "not pinned" in text or "unpinned" in text:
        return Why.ARTEFACT_UNAVAILABLE
    if "not selected" in text:
        return Why.NOT_SELECTED
    return Why.NOT_APPLICABLE


def _run_guarded(module: CheckKind, rules: Sequence[Rule], target: Any, ctx: RunContext) -> CheckOutput:
    """A crash in one check kind becomes an error result and an LC-002 finding, never a traceback."""
    try:
        output: CheckOutput = module.run(rules, target, ctx)
        return output
    except ConformError:
        raise
    except Exception as exc:  # noqa: BLE001 - the whole point is to contain any failure of a check
        ctx.debug("".join(traceback.format_exception(exc)))
        detail = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
        output = CheckOutput()
        for rule in rules:
            output.results.append(Result(rule.id, target.source, Status.ERROR, reason=detail))
        output.findings.append(Finding(rule=CRASH_RULE, severity=Severity.ERROR, target=target.source,
                                       focus=target.source, value=detail,
                                       message=f"a check crashed while evaluating this target: {detail}"))
        return output


def _bnode_labels(target: Any, labels: set[str]) -> dict[str, str]:
    prepared = getattr(target, "prepared", None)
    if prepared is None or not labels:
        return {}
    return canonical_labels(prepared.store, labels)


def _kind_noun(kind: str) -> str:
    return {"shacl": "RDF catalogue", "json_schema": "payload", "api": "API", "transport": "API"}.get(kind, kind)
