"""The `api` check kind: runs each family's tests on a live API, honouring prerequisites and declared conformance."""
from __future__ import annotations

import importlib
import traceback
from contextlib import contextmanager
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Sequence, cast

from ldt_conform import tool_ids
from ldt_conform.checks import CheckOutput, RunContext, format_message
from ldt_conform.checks.api.family import ApiFamily, WritingFamily
from ldt_conform.checks.api.notify import DEFAULT_LISTEN, NotifySettings
from ldt_conform.checks.api.probe import Broken, Issue, Probe, Skip
from ldt_conform.checks.api.target import ApiTarget
from ldt_conform.fetch import host_key
from ldt_conform.model import Finding, Result, Rule, Severity, Status, Why

target_kinds = ("api",)
FAMILIES: dict[str, str] = {
    "ogcapi-features": "ldt_conform.checks.api.ogc_features",
    "ogcapi-records": "ldt_conform.checks.api.ogc_records",
    "sensorthings": "ldt_conform.checks.api.sensorthings",
    "ngsi-ld": "ldt_conform.checks.api.ngsi_family",
    "openapi": "ldt_conform.checks.api.openapi",
}
UNREACHABLE_RULE = tool_ids.UNREACHABLE
CRASH_RULE = tool_ids.CRASH
WRITES_NOT_SELECTED = ("not selected: a write probe, which runs only with --allow-writes (it writes to the API, then "
                       "cleans up)")
# Requests in flight at once per target: enough to hide latency, few enough not to look like a load test.
CONCURRENCY = 8


def notify_settings(options: Mapping[str, Any]) -> NotifySettings:
    """--notify-listen, --notify-url and --notify-wait (checked by open_api_targets before any probe runs)."""
    return NotifySettings(listen=str(options.get("notify_listen") or DEFAULT_LISTEN),
                          url=options.get("notify_url") or None,
                          wait_s=float(options.get("notify_wait") or NotifySettings.wait_s))


def family_module(family: str) -> ApiFamily:
    return cast(ApiFamily, importlib.import_module(FAMILIES[family]))


if TYPE_CHECKING:  # mypy proves that every registered family module keeps the ApiFamily contract
    from ldt_conform.checks.api import ngsi_family, ogc_features, ogc_records, openapi, sensorthings

    _FAMILIES: tuple[ApiFamily, ...] = (ogc_features, ogc_records, sensorthings, ngsi_family, openapi)
    _WRITING: tuple[WritingFamily, ...] = (ngsi_family,)


def run(rules: Sequence[Rule], target: ApiTarget, ctx: RunContext) -> CheckOutput:
    output = CheckOutput(engines={"api"})
    if target.error is not None:
        # The API could not even be identified: one LC-001 finding, every rule skipped with that reason.
        output.findings.append(Finding(rule=UNREACHABLE_RULE, severity=Severity.ERROR, target=target.source,
                                       focus=target.error.focus, value=target.error.value,
                                       message=f"The API could not be reached or identified: {target.error.value}"
                                               f"{_note(target.error)}"))
        for rule in rules:
            output.results.append(Result(rule.id, target.source, Status.SKIP, why=Why.PREREQUISITE_FAILED,
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
    probe.notify = notify_settings(ctx.options)
    probe.lang = ctx.lang
    probe.log = ctx.debug
    by_family: dict[str, list[Rule]] = {}
    for rule in rules:
        family = str(rule.check.get("family", ""))
        if family not in FAMILIES:
            output.results.append(Result(rule.id, target.source, Status.ERROR,
                                         reason=f"unknown API family '{family}' in the profile"))
        elif family not in target.families:
            output.results.append(Result(rule.id, target.source, Status.SKIP, why=Why.NOT_APPLICABLE, reason=(
                f"applies to {family} APIs; this target is {'/'.join(sorted(target.families)) or 'unknown'}")))
        else:
            by_family.setdefault(family, []).append(rule)
    selected = {r.id for r in rules}
    for family, family_rules in by_family.items():
        _run_family(family_module(family), family_rules, selected, probe, target, ctx, output)
    output.findings += _declared_not_tested(probe, target, ctx, list(by_family), selected)
    ctx.debug(f"api: {target.source}: {probe.requests} requests")
    hung = (getattr(ctx.fetcher, "keepalive_hangs", None) or {}).get(host_key(probe.base))
    if hung:
        output.findings.append(Finding(
            rule=UNREACHABLE_RULE, severity=Severity.WARNING, target=target.source, focus=probe.focus(hung),
            value="no answer on a reused keep-alive connection", engine="api",
            message="The server did not answer a request sent on a reused keep-alive connection, and answered it "
                    "on a fresh connection: ldt-conform opened a fresh connection per request to this host from "
                    "then on, and the hang cost one --timeout. Fix the server's keep-alive handling (a development "
                    "server such as Flask's hangs like this) or put a production HTTP server in front of it."))
    return output


def _declared_not_tested(probe: Probe, target: ApiTarget, ctx: RunContext, families: list[str],
                         selected: set[str]) -> list[Finding]:
    """Every conformance class the server declares and no rule of the profile tests: one info finding each, so a
    report never lets a declared class pass for tested. Listed once per target, under the family's conformance rule."""
    untested: dict[str, tuple[str, str]] = {}
    tested_by: dict[str, set[str]] = {}
    modules = [family_module(f) for f in families if hasattr(family_module(f), "declared")]
    if not any(getattr(m, "CONFORMANCE_RULE", None) in selected for m in modules):
        return []  # a run narrowed to other rules does not assess the declaration
    profile_rules = getattr(ctx.profile, "rules", []) or []
    for module in modules:
        family = next(f for f, m in FAMILIES.items() if m == module.__name__)
        tested_by[module.__name__] = {module.normalise(str(c)) for r in profile_rules
                                      if r.check.get("family") == family for c in r.check.get("conformance", [])}
    for module in modules:
        if not hasattr(module, "CONFORMANCE_RULE"):
            continue  # no rule of this family can carry the list (OpenAPI and NGSI-LD declare no classes)
        try:
            declared = probe.memo(f"declared-classes:{module.__name__}", _declared_of(module, probe))
        except (Broken, Skip):
            continue
        for uri in sorted(declared):
            if not any(other.normalise(uri) in tested_by[other.__name__] or other.normalise(uri) in getattr(
                    other, "COVERED", ()) for other in modules):
                extra: Any = module  # the optional conformance-rule members of a family module
                untested.setdefault(uri, (extra.CONFORMANCE_RULE, extra.CONFORMANCE_PATH))
    return [Finding(rule=rule, severity=Severity.INFO, target=target.source, focus=probe.focus(probe.url(path)),
                    value=uri, engine="api",
                    message=f"Declared, not tested by ldt-conform: {uri} (no rule of this run's profile tests "
                            "this class; its requirements are not assessed)")
            for uri, (rule, path) in sorted(untested.items())]


def _run_family(module: ApiFamily, rules: list[Rule], selected: set[str], probe: Probe, target: ApiTarget,
                ctx: RunContext, output: CheckOutput) -> None:
    status: dict[str, Status] = {}
    # Rule → resource (collection id) → the rule that failed on it: a failure confined to some collections lets the
    # dependants test the others, and they leave those collections out (isolation per collection).
    excluded: dict[str, dict[str, str]] = {}
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
                reason = _blocked(rule, status, selected, excluded)
                if rule.check.get("writes") and not probe.allow_writes:
                    # Not verified because the user did not opt in: a gap in the evidence, never "not applicable".
                    status[rule.id] = Status.SKIP
                    _record(output, rule, target, Status.SKIP, WRITES_NOT_SELECTED, [], why=Why.NOT_SELECTED)
                elif reason:
                    status[rule.id] = Status.SKIP
                    _record(output, rule, target, Status.SKIP, reason, [], why=Why.PREREQUISITE_FAILED)
                else:
                    excluded[rule.id] = {k: v for q in _requires(rule) for k, v in excluded.get(q, {}).items()}
                    runnable.append(rule)
            # Write probes run on the calling thread so an interrupt reaches their clean-up.
            parallel = [r for r in runnable if not r.check.get("writes")]
            serial = [r for r in runnable if r.check.get("writes")]
            outcomes = list(pool.map(lambda r: _evaluate(module, r, probe, ctx, excluded[r.id]), parallel))
            if serial:
                guard = module.interrupt_guard if isinstance(module, WritingFamily) else _no_guard
                with guard(probe):
                    outcomes += [_evaluate(module, r, probe, ctx, excluded[r.id]) for r in serial]
            for rule, (state, reason, issues, why) in zip([*parallel, *serial], outcomes):
                status[rule.id] = state
                failing = [i for i in issues if i.tool_rule is None and not i.info]
                if state is Status.FAIL and failing and all(i.scope for i in failing):
                    excluded[rule.id] = {**excluded[rule.id], **{str(i.scope): rule.id for i in failing}}
                elif state is Status.FAIL:
                    excluded.pop(rule.id, None)
                _record(output, rule, target, state, reason, issues, ctx, why=why)
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


def _declared_of(module: ApiFamily, probe: Probe) -> Callable[[], set[str]]:
    """The memo loader of one module's declared classes (bound now, not when the loop variable has moved on)."""
    return lambda: module.declared(probe)


@contextmanager
def _no_guard(probe: Probe) -> Iterator[None]:
    yield


def _ids(rules: list[Rule]) -> set[str]:
    return {r.id for r in rules}


def _requires(rule: Rule) -> list[str]:
    return [str(q) for q in rule.check.get("requires", [])]


def _blocked(rule: Rule, status: dict[str, Status], selected: set[str],
             excluded: dict[str, dict[str, str]]) -> str | None:
    for prerequisite in _requires(rule):
        state = status.get(prerequisite)
        if state is Status.FAIL and prerequisite in excluded:
            continue  # failed on some collections only: this rule tests the others
        if prerequisite in selected and state is not None and state is not Status.PASS:
            verb = {"fail": "failed", "skip": "was skipped", "error": "could not be evaluated"}[state.value]
            return f"prerequisite {prerequisite} {verb}"
    return None


def _evaluate(module: ApiFamily, rule: Rule, probe: Probe, ctx: RunContext, excluded: dict[str, str] | None = None
              ) -> tuple[Status, str | None, list[Issue], Why | None]:
    """Run one test: issues → fail, none → pass, Skip → not verified with its why, a crash → error (LC-002)."""
    test = module.TESTS.get(str(rule.check.get("test", "")))
    if test is None:
        return (Status.ERROR, f"no test named '{rule.check.get('test')}' in the {rule.check.get('family')} family",
                [], None)
    probe.excluded = dict(excluded or {})
    probe.untested = []
    try:
        classes = [str(c) for c in rule.check.get("conformance", [])]
        if classes:
            try:
                declared = probe.memo(f"declared-classes:{module.__name__}", lambda: module.declared(probe))
            except Broken as exc:
                # The conformance rule reports the broken declaration; this rule is not failed again under its name.
                return (Status.SKIP, f"the declared conformance classes could not be read ({exc.issue.focus}: "
                                     f"{exc.issue.value})", [], Why.PREREQUISITE_FAILED)
            if not any(module.normalise(c) in declared for c in classes):
                short = ", ".join(c.rsplit("/", 2)[-2] + "/" + c.rsplit("/", 1)[-1] for c in classes)
                return (Status.SKIP, f"the server does not declare the conformance class ({short})", [],
                        Why.NOT_APPLICABLE)
        issues = list(test(probe, rule.check.get("params", {})))
    except Skip as exc:
        return Status.SKIP, str(exc), exc.issues, exc.why
    except Broken as exc:
        return Status.FAIL, None, [exc.issue], None
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # noqa: BLE001 - one broken test must not take the others down
        ctx.debug("".join(traceback.format_exception(exc)))
        detail = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
        return Status.ERROR, detail, [Issue(probe.focus(probe.base + "/"), detail, "crash")], None
    finally:
        untested, probe.untested = probe.untested, []
    failing = [i for i in issues if i.tool_rule is None and not i.info]
    # A pass that left some resources out says which, so "pass" never claims more than was tested.
    reason = ("not tested: " + "; ".join(untested)) if untested else None
    return (Status.FAIL if failing else Status.PASS), reason, issues, None


def _record(output: CheckOutput, rule: Rule, target: ApiTarget, state: Status, reason: str | None,
            issues: list[Issue], ctx: RunContext | None = None, why: Why | None = None) -> None:
    if state is Status.SKIP and why is None:
        why = Why.NOT_APPLICABLE
    output.results.append(Result(rule.id, target.source, state, reason=reason, engine="api",
                                 why=why if state is Status.SKIP else None))
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

