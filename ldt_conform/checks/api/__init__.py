"""The `api` check kind: runs each family's tests on a live API, honouring prerequisites and declared conformance."""
from __future__ import annotations

import importlib
import traceback
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Iterator, Sequence, cast

from ldt_conform import tool_ids
from ldt_conform.checks import CheckOutput, RunContext, format_message
from ldt_conform.checks.api.family import ApiFamily, WritingFamily
from ldt_conform.checks.api.probe import Broken, Issue, Probe, Skip
from ldt_conform.checks.api.target import ApiTarget
from ldt_conform.model import Finding, Result, Rule, Severity, Status

target_kinds = ("api",)
FAMILIES: dict[str, str] = {
    "ogcapi-features": "ldt_conform.checks.api.ogc_features",
    "ogcapi-records": "ldt_conform.checks.api.ogc_records",
    "sensorthings": "ldt_conform.checks.api.sensorthings",
    "ngsi-ld": "ldt_conform.checks.api.ngsi_ld",
    "openapi": "ldt_conform.checks.api.openapi",
}
UNREACHABLE_RULE = tool_ids.UNREACHABLE
CRASH_RULE = tool_ids.CRASH
# Requests in flight at once per target: enough to hide latency, few enough not to look like a load test.
CONCURRENCY = 8


def family_module(family: str) -> ApiFamily:
    return cast(ApiFamily, importlib.import_module(FAMILIES[family]))


if TYPE_CHECKING:  # mypy proves that every registered family module keeps the ApiFamily contract
    from ldt_conform.checks.api import ngsi_ld, ogc_features, ogc_records, openapi, sensorthings

    _FAMILIES: tuple[ApiFamily, ...] = (ogc_features, ogc_records, sensorthings, ngsi_ld, openapi)
    _WRITING: tuple[WritingFamily, ...] = (ngsi_ld,)


def run(rules: Sequence[Rule], target: ApiTarget, ctx: RunContext) -> CheckOutput:
    output = CheckOutput(engines={"api"})
    if target.error is not None:
        # The API could not even be identified: one LC-001 finding, every rule skipped with that reason.
        output.findings.append(Finding(rule=UNREACHABLE_RULE, severity=Severity.ERROR, target=target.source,
                                       focus=target.error.focus, value=target.error.value,
                                       message=f"The API could not be reached or identified: {target.error.value}"
                                               f"{_note(target.error)}"))
        for rule in rules:
            output.results.append(Result(rule.id, target.source, Status.SKIP,
                                         reason=f"the API was not reachable: {target.error.value}"))
        return output
    if not ctx.cache.get("api-budget-started") and ctx.fetcher is not None and ctx.fetcher.budget_s:
        # The budget covers the probes themselves: time spent before (e.g. SHACL on a big catalogue) is not theirs.
        ctx.fetcher.start_budget(ctx.fetcher.budget_s)
        ctx.cache["api-budget-started"] = True
    probe = target.probe
    if probe is None:
        if ctx.fetcher is None:
            raise ValueError("an API target needs the run's fetcher")
        probe = Probe(target.source, ctx.fetcher, kind=target.api_kind or "", allow_writes=target.allow_writes)
    probe.artefacts = _artefacts(ctx)
    probe.lang = ctx.lang
    probe.log = ctx.debug
    by_family: dict[str, list[Rule]] = {}
    for rule in rules:
        family = str(rule.check.get("family", ""))
        if family not in FAMILIES:
            output.results.append(Result(rule.id, target.source, Status.ERROR,
                                         reason=f"unknown API family '{family}' in the profile"))
        elif family not in target.families:
            output.results.append(Result(rule.id, target.source, Status.SKIP, reason=(
                f"applies to {family} APIs; this target is {'/'.join(sorted(target.families)) or 'unknown'}")))
        else:
            by_family.setdefault(family, []).append(rule)
    selected = {r.id for r in rules}
    for family, family_rules in by_family.items():
        _run_family(family_module(family), family_rules, selected, probe, target, ctx, output)
    ctx.debug(f"api: {target.source}: {probe.requests} requests")
    return output


def _run_family(module: ApiFamily, rules: list[Rule], selected: set[str], probe: Probe, target: ApiTarget,
                ctx: RunContext, output: CheckOutput) -> None:
    status: dict[str, Status] = {}
    pending = sorted(rules, key=lambda r: r.id)
    pool = ThreadPoolExecutor(max_workers=CONCURRENCY, thread_name_prefix="ldt-api")
    try:
        while pending:
            ready = [r for r in pending if all(q in status or q not in selected or q not in _ids(pending)
                                               for q in _requires(r))]
            if not ready:
                for rule in pending:
                    _record(output, rule, target, Status.ERROR, "circular 'requires' between rules", [])
                    status[rule.id] = Status.ERROR
                break
            runnable: list[Rule] = []
            for rule in ready:
                reason = _blocked(rule, status, selected)
                if reason:
                    status[rule.id] = Status.SKIP
                    _record(output, rule, target, Status.SKIP, reason, [])
                else:
                    runnable.append(rule)
            # Write probes run on the calling thread so an interrupt reaches their clean-up.
            parallel = [r for r in runnable if not r.check.get("writes")]
            serial = [r for r in runnable if r.check.get("writes")]
            outcomes = list(pool.map(lambda r: _evaluate(module, r, probe, ctx), parallel))
            if serial:
                guard = module.interrupt_guard if isinstance(module, WritingFamily) else _no_guard
                with guard(probe):
                    outcomes += [_evaluate(module, r, probe, ctx) for r in serial]
            for rule, (state, reason, issues) in zip([*parallel, *serial], outcomes):
                status[rule.id] = state
                _record(output, rule, target, state, reason, issues, ctx)
            done = {r.id for r in ready}
            pending = [r for r in pending if r.id not in done]
    except BaseException:
        # Ctrl-C or a crash: queued tests must not keep probing the API while the run unwinds.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    else:
        pool.shutdown(wait=True)
    finally:
        if isinstance(module, WritingFamily):
            module.cleanup(probe)


@contextmanager
def _no_guard(probe: Probe) -> Iterator[None]:
    yield


def _ids(rules: list[Rule]) -> set[str]:
    return {r.id for r in rules}


def _requires(rule: Rule) -> list[str]:
    return [str(q) for q in rule.check.get("requires", [])]


def _blocked(rule: Rule, status: dict[str, Status], selected: set[str]) -> str | None:
    for prerequisite in _requires(rule):
        state = status.get(prerequisite)
        if prerequisite in selected and state is not None and state is not Status.PASS:
            verb = {"fail": "failed", "skip": "was skipped", "error": "could not be evaluated"}[state.value]
            return f"prerequisite {prerequisite} {verb}"
    return None


def _evaluate(module: ApiFamily, rule: Rule, probe: Probe, ctx: RunContext) -> tuple[Status, str | None, list[Issue]]:
    """Run one test: issues → fail, none → pass, Skip → skip with its reason, a crash → error (LC-002)."""
    test = module.TESTS.get(str(rule.check.get("test", "")))
    if test is None:
        return Status.ERROR, f"no test named '{rule.check.get('test')}' in the {rule.check.get('family')} family", []
    try:
        classes = [str(c) for c in rule.check.get("conformance", [])]
        if classes:
            declared = probe.memo(f"declared-classes:{rule.check.get('family')}", lambda: module.declared(probe))
            if not any(module.normalise(c) in declared for c in classes):
                short = ", ".join(c.rsplit("/", 2)[-2] + "/" + c.rsplit("/", 1)[-1] for c in classes)
                return Status.SKIP, f"the server does not declare the conformance class ({short})", []
        issues = list(test(probe, rule.check.get("params", {})))
    except Skip as exc:
        return Status.SKIP, str(exc), []
    except Broken as exc:
        return Status.FAIL, None, [exc.issue]
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # noqa: BLE001 - one broken test must not take the others down
        ctx.debug("".join(traceback.format_exception(exc)))
        detail = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
        return Status.ERROR, detail, [Issue(probe.focus(probe.base + "/"), detail, "crash")]
    failing = [i for i in issues if i.tool_rule is None and not i.info]
    return (Status.FAIL if failing else Status.PASS), None, issues


def _record(output: CheckOutput, rule: Rule, target: ApiTarget, state: Status, reason: str | None,
            issues: list[Issue], ctx: RunContext | None = None) -> None:
    output.results.append(Result(rule.id, target.source, state, reason=reason, engine="api"))
    lang = ctx.lang if ctx else "en"
    for issue in issues:
        if issue.tool_rule is not None:
            output.findings.append(Finding(rule=issue.tool_rule, severity=Severity.INFO, target=target.source,
                                           focus=issue.focus, value=issue.value,
                                           message=f"Not verifiable offline: {issue.value} ({issue.note})",
                                           source=rule.id, engine="api"))
            continue
        crashed = state is Status.ERROR
        message = format_message(rule, lang, focus=issue.focus, value=issue.value or "")
        if not crashed:
            message += _note(issue)
        output.findings.append(Finding(
            rule=CRASH_RULE if crashed else rule.id,
            severity=Severity.ERROR if crashed else Severity.INFO if issue.info else rule.severity,
            target=target.source, focus=issue.focus, value=issue.value,
            message=(f"The test of {rule.id} crashed: {issue.value}. Please report it; run with --debug for details."
                     if crashed else message),
            source=str(rule.check.get("abstract_test") or "") or None, engine="api"))


def _note(issue: Issue) -> str:
    """The issue's explanation after the rule's message, without repeating the value the message already shows."""
    note = issue.note
    if issue.value and note.startswith(f"{issue.value}: "):
        note = note[len(issue.value) + 2:]
    return f" ({note})" if note and note != "the request failed" else ""


def _artefacts(ctx: RunContext) -> Any:
    if ctx.artefacts is not None:
        return ctx.artefacts
    from ldt_conform.artefacts import ArtefactStore

    store = ArtefactStore(fetcher=ctx.fetcher, offline=bool(ctx.options.get("offline")))
    store.add_profile_artefacts(getattr(ctx.profile, "artefacts", {}) or {})
    ctx.artefacts = store
    return store

