"""The live-API dispatcher (checks/api/__init__.py) on its own: which rule runs, which is not verified and why, and
what every outcome of a family's test becomes (result, reason, why, findings).

The family here is a stand-in module registered for the test: the dispatcher's decisions do not depend on what a
family's tests ask the server, and the real families' behaviour against real servers is tested in the other files of
this folder. No request is sent: the probe's fetcher points at a closed port on 127.0.0.1.
"""
from __future__ import annotations

import sys
import threading
import time
import types
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping

import pytest

from ldt_conform.checks import RunContext
from ldt_conform.checks import api as api_kind
from ldt_conform.checks.api.probe import Broken, Issue, Probe, Skip
from ldt_conform.checks.api.target import ApiTarget
from ldt_conform.fetch import Fetcher
from ldt_conform.model import Finding, Result, Rule, Severity, Why

BASE = "http://127.0.0.1:9/api"
SOURCE = BASE
FAMILY = "fake-family"
MODULE = "ldt_conform_test_fake_family"


@dataclass
class Family:
    """A family module's contract (family.ApiFamily): named tests, declared classes, their normal form."""

    tests: dict[str, Callable[[Probe, Mapping[str, Any]], list[Issue]]] = field(default_factory=dict)
    declared: set[str] | Exception = field(default_factory=set)
    covered: tuple[str, ...] | None = ()
    writing: bool = False
    conformance_rule: str | None = "FK-001"
    calls: list[str] = field(default_factory=list)
    probes: list[Any] = field(default_factory=list)

    def module(self, name: str = MODULE) -> types.ModuleType:
        module = types.ModuleType(name)
        module.TESTS = self.tests  # type: ignore[attr-defined]

        def declared(probe: Probe) -> set[str]:
            self.calls.append("declared")
            self.probes.append(probe)
            if isinstance(self.declared, Exception):
                raise self.declared
            return set(self.declared)

        module.declared = declared  # type: ignore[attr-defined]
        module.normalise = lambda uri: uri.rstrip("/")  # type: ignore[attr-defined]
        if self.conformance_rule:  # like openapi and ngsi_ld, a family may declare classes without such a rule
            module.CONFORMANCE_RULE = self.conformance_rule  # type: ignore[attr-defined]
            module.CONFORMANCE_PATH = "/conformance"  # type: ignore[attr-defined]
        if self.covered is not None:
            module.COVERED = self.covered  # type: ignore[attr-defined]
        if self.writing:
            def cleanup(probe: Probe) -> None:
                self.calls.append("cleanup")
                self.probes.append(probe)

            @contextmanager
            def interrupt_guard(probe: Probe) -> Iterator[None]:
                self.calls.append("guard-in")
                self.probes.append(probe)
                yield
                self.calls.append("guard-out")

            module.cleanup = cleanup  # type: ignore[attr-defined]
            module.interrupt_guard = interrupt_guard  # type: ignore[attr-defined]
        return module


def rule(rule_id: str, test: str = "ok", *, family: str = FAMILY, requires: tuple[str, ...] = (),
         conformance: tuple[str, ...] = (), writes: bool = False, severity: Severity = Severity.ERROR) -> Rule:
    check: dict[str, Any] = {"family": family, "test": test, "params": {"n": rule_id}}
    if requires:
        check["requires"] = list(requires)
    if conformance:
        check["conformance"] = list(conformance)
    if writes:
        check["writes"] = True
    return Rule(id=rule_id, name=rule_id.lower(), title=f"Title of {rule_id}", severity=severity, kind="api",
                check=check, message="{value} is wrong at {focus}", profile="fake",
                i18n={"fr": {"message": "{value} ne va pas ({focus})"}})


@dataclass
class Run:
    results: dict[str, tuple[str, str | None, str | None]]
    findings: list[Finding]
    raw: list[Result]
    probe: Probe
    debug: list[str]


def install(monkeypatch: pytest.MonkeyPatch, family: Family, key: str = FAMILY, name: str = MODULE) -> None:
    """Register `family` as the API family `key` for this test (module `name`)."""
    monkeypatch.setitem(sys.modules, name, family.module(name))
    monkeypatch.setitem(api_kind.FAMILIES, key, name)


def run(family: Family, rules: list[Rule], monkeypatch: pytest.MonkeyPatch, *, families: frozenset[str] | None = None,
        allow_writes: bool = False, profile_rules: list[Rule] | None = None, lang: str = "en",
        error: Issue | None = None, fetcher: Fetcher | None = None) -> Run:
    install(monkeypatch, family)
    fetcher = fetcher or Fetcher(timeout=1)
    probe = Probe(BASE, fetcher, kind=FAMILY, allow_writes=allow_writes)
    target = ApiTarget(SOURCE, FAMILY, families=frozenset({FAMILY}) if families is None else families, probe=probe,
                       allow_writes=allow_writes, error=error)
    debug: list[str] = []
    ctx = RunContext(profile=types.SimpleNamespace(rules=profile_rules if profile_rules is not None else rules),
                     lang=lang, artefacts=object(), fetcher=fetcher, debug=debug.append)
    output = api_kind.run(rules, target, ctx)
    assert len({r.rule for r in output.results}) == len(output.results) == len(rules)  # one verdict per rule
    assert {r.target for r in output.results} == {SOURCE}
    assert output.engines == {"api"}
    return Run({r.rule: (r.status.value, r.why.value if r.why else None, r.reason) for r in output.results},
               output.findings, output.results, probe, debug)


def passing(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    return []


def failing(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    return [Issue("GET /items", "item 7", "item 7: it has no id")]


def skipping(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    raise Skip("the collection is empty", Why.NOT_APPLICABLE)


def crashing(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    raise ValueError("boom\nsecond line")


TESTS = {"ok": passing, "bad": failing, "skip": skipping, "crash": crashing}


# -- which rules run ------------------------------------------------------------------------------------------------

def test_an_unreachable_api_is_one_lc001_finding_and_every_rule_is_not_verified(monkeypatch: pytest.MonkeyPatch
                                                                                ) -> None:
    family = Family(tests={"ok": passing})
    got = run(family, [rule("FK-001"), rule("FK-002")], monkeypatch,
              error=Issue("GET /", "connection refused", "nothing listens on port 9"))
    assert got.results == {
        "FK-001": ("skip", "prerequisite-failed", "the API was not reachable: connection refused"),
        "FK-002": ("skip", "prerequisite-failed", "the API was not reachable: connection refused")}
    assert got.findings == [Finding(
        rule="LC-001", severity=Severity.ERROR, target=SOURCE, focus="GET /", value="connection refused",
        message="The API could not be reached or identified: connection refused (nothing listens on port 9)")]
    assert family.calls == []  # no test and no declaration read


def test_a_rule_of_an_unknown_family_is_an_error_and_of_another_family_not_applicable(monkeypatch: pytest.MonkeyPatch
                                                                                     ) -> None:
    got = run(Family(tests=dict(TESTS)), [rule("FK-001"), rule("XX-001", family="no-such-family"),
                                         rule("OS-001", family="openapi")], monkeypatch)
    assert got.results == {
        "FK-001": ("pass", None, None),
        "XX-001": ("error", None, "unknown API family 'no-such-family' in the profile"),
        "OS-001": ("skip", "not-applicable", f"applies to openapi APIs; this target is {FAMILY}")}
    assert got.findings == []


def test_a_target_of_no_known_family_says_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    got = run(Family(tests=dict(TESTS)), [rule("FK-001")], monkeypatch, families=frozenset())
    assert got.results == {"FK-001": ("skip", "not-applicable", "applies to fake-family APIs; this target is unknown")}


def test_a_target_of_two_families_names_both_sorted(monkeypatch: pytest.MonkeyPatch) -> None:
    got = run(Family(tests=dict(TESTS)), [rule("FK-001", family="sensorthings")], monkeypatch,
              families=frozenset({FAMILY, "openapi"}))
    assert got.results == {
        "FK-001": ("skip", "not-applicable", "applies to sensorthings APIs; this target is fake-family/openapi")}


@pytest.mark.parametrize(("test", "verb"), [("bad", "failed"), ("skip", "was skipped"),
                                            ("crash", "could not be evaluated")])
def test_a_rule_whose_prerequisite_did_not_pass_is_not_verified(test: str, verb: str,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[str] = []

    def recorded(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        ran.append(str(params["n"]))
        return []

    got = run(Family(tests={**TESTS, "rec": recorded}),
              [rule("FK-001", test), rule("FK-002", "rec", requires=("FK-001",)),
               rule("FK-003", "rec", requires=("FK-002",))], monkeypatch)
    assert got.results["FK-002"] == ("skip", "prerequisite-failed", f"prerequisite FK-001 {verb}")
    # the chain goes on: FK-003 waits for FK-002, which was skipped
    assert got.results["FK-003"] == ("skip", "prerequisite-failed", "prerequisite FK-002 was skipped")
    assert ran == []


def test_a_rule_whose_prerequisites_pass_runs_after_them(monkeypatch: pytest.MonkeyPatch) -> None:
    order: list[str] = []
    lock = threading.Lock()

    def recorded(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        with lock:
            order.append(str(params["n"]))
        return []

    got = run(Family(tests={"rec": recorded}),
              [rule("FK-003", "rec", requires=("FK-001", "FK-002")), rule("FK-002", "rec", requires=("FK-001",)),
               rule("FK-001", "rec")], monkeypatch)
    assert got.results == dict.fromkeys(("FK-001", "FK-002", "FK-003"), ("pass", None, None))
    assert order == ["FK-001", "FK-002", "FK-003"]
    assert [r.rule for r in got.raw] == ["FK-001", "FK-002", "FK-003"]


def test_a_prerequisite_outside_the_run_does_not_block(monkeypatch: pytest.MonkeyPatch) -> None:
    """--select FK-002 alone: FK-001 is not evaluated, so nothing says it failed."""
    got = run(Family(tests=dict(TESTS)), [rule("FK-002", requires=("FK-001",))], monkeypatch)
    assert got.results == {"FK-002": ("pass", None, None)}


def test_circular_prerequisites_are_errors_not_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    got = run(Family(tests=dict(TESTS)),
              [rule("FK-001"), rule("FK-002", requires=("FK-003",)), rule("FK-003", requires=("FK-002",))],
              monkeypatch)
    assert got.results == {"FK-001": ("pass", None, None),
                           "FK-002": ("error", None, "circular 'requires' between rules"),
                           "FK-003": ("error", None, "circular 'requires' between rules")}
    assert [r.engine for r in got.raw] == ["api", "api", "api"]


# -- what a test's outcome becomes ----------------------------------------------------------------------------------

def test_a_test_the_family_does_not_have_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    got = run(Family(tests=dict(TESTS)), [rule("FK-001", "nope"), rule("FK-002", requires=("FK-001",))], monkeypatch)
    assert got.results == {"FK-001": ("error", None, "no test named 'nope' in the fake-family family"),
                           "FK-002": ("skip", "prerequisite-failed", "prerequisite FK-001 could not be evaluated")}
    assert got.findings == []


def test_issues_fail_the_rule_with_its_message_and_the_note(monkeypatch: pytest.MonkeyPatch) -> None:
    def issues(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        return [Issue("GET /items", "item 7", "item 7: it has no id"),     # the note repeats the value: cut
                Issue("GET /items/8", "item 8", "the request failed"),     # the fetcher's generic note: left out
                Issue("GET /items/9", None, "no body"),
                Issue("GET /items/10", "item 10", "")]

    got = run(Family(tests={"i": issues}), [rule("FK-001", "i", severity=Severity.WARNING)], monkeypatch)
    assert got.results == {"FK-001": ("fail", None, None)}
    assert got.findings == [
        Finding("FK-001", Severity.WARNING, SOURCE, "GET /items", "item 7 is wrong at GET /items (it has no id)",
                value="item 7", engine="api"),
        Finding("FK-001", Severity.WARNING, SOURCE, "GET /items/8", "item 8 is wrong at GET /items/8",
                value="item 8", engine="api"),
        Finding("FK-001", Severity.WARNING, SOURCE, "GET /items/9", " is wrong at GET /items/9 (no body)",
                engine="api"),
        Finding("FK-001", Severity.WARNING, SOURCE, "GET /items/10", "item 10 is wrong at GET /items/10",
                value="item 10", engine="api")]


def test_the_finding_names_the_abstract_test_and_speaks_the_run_s_language(monkeypatch: pytest.MonkeyPatch
                                                                           ) -> None:
    bad = rule("FK-001", "bad")
    bad = Rule(**{**{f: getattr(bad, f) for f in bad.__dataclass_fields__},
                  "check": {**bad.check, "abstract_test": "/conf/core/landing"}})
    got = run(Family(tests=dict(TESTS)), [bad], monkeypatch, lang="fr")
    assert got.findings == [Finding("FK-001", Severity.ERROR, SOURCE, "GET /items",
                                    "item 7 ne va pas (GET /items) (it has no id)", value="item 7",
                                    source="/conf/core/landing", engine="api")]


def test_info_issues_and_tool_notes_do_not_fail_a_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    def notes(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        return [Issue("GET /schema", "https://schemas.example/x.json", "not pinned", tool_rule="LC-004"),
                Issue("GET /api", "#/components/x", "x: upstream defect", info=True)]

    got = run(Family(tests={"n": notes}), [rule("FK-001", "n")], monkeypatch)
    assert got.results == {"FK-001": ("pass", None, None)}
    assert got.findings == [
        Finding("LC-004", Severity.INFO, SOURCE, "GET /schema",
                "Not verifiable offline: https://schemas.example/x.json (not pinned)",
                value="https://schemas.example/x.json", source="FK-001", engine="api"),
        Finding("FK-001", Severity.INFO, SOURCE, "GET /api", "#/components/x is wrong at GET /api (x: upstream defect)",
                value="#/components/x", engine="api")]


def test_a_failing_issue_beside_info_issues_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def mixed(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        return [Issue("GET /a", "a", "", info=True), Issue("GET /b", "b", "")]

    got = run(Family(tests={"m": mixed}), [rule("FK-001", "m")], monkeypatch)
    assert got.results == {"FK-001": ("fail", None, None)}
    assert [(f.severity, f.focus) for f in got.findings] == [(Severity.INFO, "GET /a"), (Severity.ERROR, "GET /b")]


def test_a_pass_that_left_resources_out_says_which(monkeypatch: pytest.MonkeyPatch) -> None:
    def partial(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        probe.untested.append("collection empty (no items)")
        probe.untested.append("collection roads (too large)")
        return []

    def partial_fail(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        probe.untested.append("collection lakes")
        return [Issue("GET /x", "x", "")]

    got = run(Family(tests={"p": partial, "q": partial_fail, "ok": passing}),
              [rule("FK-001", "p"), rule("FK-002", "q"), rule("FK-003", "ok")], monkeypatch)
    assert got.results == {
        "FK-001": ("pass", None, "not tested: collection empty (no items); collection roads (too large)"),
        "FK-002": ("fail", None, "not tested: collection lakes"),
        "FK-003": ("pass", None, None)}  # what a test left out is not carried over to the next test


def test_a_skip_keeps_its_why_reason_and_notes(monkeypatch: pytest.MonkeyPatch) -> None:
    def capped(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        raise Skip("the walk stopped at the page cap", Why.ARTEFACT_UNAVAILABLE,
                   [Issue("GET /items?page=50", "50 pages", "the cap", info=True)])

    got = run(Family(tests={"c": capped, "s": skipping}), [rule("FK-001", "c"), rule("FK-002", "s")], monkeypatch)
    assert got.results == {"FK-001": ("skip", "artefact-unavailable", "the walk stopped at the page cap"),
                           "FK-002": ("skip", "not-applicable", "the collection is empty")}
    assert got.findings == [Finding("FK-001", Severity.INFO, SOURCE, "GET /items?page=50",
                                    "50 pages is wrong at GET /items?page=50 (the cap)", value="50 pages",
                                    engine="api")]


def test_a_broken_request_fails_the_rule_with_its_issue(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        raise Broken(Issue("GET /collections", "HTTP 503", "HTTP 503: the server is down"))

    got = run(Family(tests={"b": broken}), [rule("FK-001", "b")], monkeypatch)
    assert got.results == {"FK-001": ("fail", None, None)}
    assert got.findings == [Finding("FK-001", Severity.ERROR, SOURCE, "GET /collections",
                                    "HTTP 503 is wrong at GET /collections (the server is down)", value="HTTP 503",
                                    engine="api")]


def test_a_crashing_test_is_an_error_with_an_lc002_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    def long_crash(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        raise KeyError("k" * 300)

    def silent_crash(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        raise RuntimeError()

    got = run(Family(tests={"crash": crashing, "long": long_crash, "silent": silent_crash}),
              [rule("FK-001", "crash", severity=Severity.INFO), rule("FK-002", "long"), rule("FK-003", "silent")],
              monkeypatch)
    long_detail = "KeyError: '" + "k" * 199  # the exception's text is cut at 200 characters
    # --debug has each whole traceback (the tests run on parallel threads: in any order)
    crash_logs = sorted(line.rsplit("\n", 2)[-2] for line in got.debug if line.startswith("Traceback"))
    assert crash_logs == ["KeyError: '" + "k" * 300 + "'", "RuntimeError", "second line"]
    assert got.results == {"FK-001": ("error", None, "ValueError: boom"),
                           "FK-002": ("error", None, long_detail),
                           "FK-003": ("error", None, "RuntimeError: ")}
    assert got.findings == [
        Finding("LC-002", Severity.ERROR, SOURCE, "GET /", "The test of FK-001 crashed: ValueError: boom. Please "
                "report it; run with --debug for details.", value="ValueError: boom", engine="api"),
        Finding("LC-002", Severity.ERROR, SOURCE, "GET /", f"The test of FK-002 crashed: {long_detail}. Please "
                "report it; run with --debug for details.", value=long_detail, engine="api"),
        Finding("LC-002", Severity.ERROR, SOURCE, "GET /", "The test of FK-003 crashed: RuntimeError: . Please "
                "report it; run with --debug for details.", value="RuntimeError: ", engine="api")]


def test_ctrl_c_in_a_test_is_not_turned_into_a_result(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        raise KeyboardInterrupt

    family = Family(tests={"i": interrupted}, writing=True)
    with pytest.raises(KeyboardInterrupt):
        run(family, [rule("FK-001", "i", writes=True)], monkeypatch, allow_writes=True)
    assert family.calls == ["guard-in", "cleanup"]  # the clean-up still ran


# -- declared conformance -------------------------------------------------------------------------------------------

CORE = "http://www.opengis.net/spec/fake/1.0/conf/core"
GEO = "http://www.opengis.net/spec/fake/1.0/conf/geojson"


def test_a_rule_for_a_class_the_server_does_not_declare_is_not_applicable(monkeypatch: pytest.MonkeyPatch) -> None:
    family = Family(tests=dict(TESTS), declared={CORE})
    got = run(family, [rule("FK-001", "bad", conformance=(GEO, "http://x.example/spec/2.0/conf/html")),
                       rule("FK-002", conformance=(CORE + "/",))], monkeypatch)
    assert got.results == {
        "FK-001": ("skip", "not-applicable", "the server does not declare the conformance class (conf/geojson, "
                                             "conf/html)"),
        "FK-002": ("pass", None, None)}  # declared (normalised: the trailing slash does not count)
    assert family.calls == ["declared"]  # read once per run, for every rule and the untested-class list
    assert family.probes == [got.probe]


def test_an_unreadable_declaration_leaves_the_class_rules_not_verified(monkeypatch: pytest.MonkeyPatch) -> None:
    family = Family(tests=dict(TESTS), declared=Broken(Issue("GET /conformance", "HTTP 404", "no such page")))
    got = run(family, [rule("FK-002", "bad", conformance=(CORE,)), rule("FK-003")], monkeypatch)
    assert got.results == {
        "FK-002": ("skip", "prerequisite-failed",
                   "the declared conformance classes could not be read (GET /conformance: HTTP 404)"),
        "FK-003": ("pass", None, None)}
    assert got.findings == []  # the conformance rule names the broken page; FK-002 does not fail again for it


def test_declared_classes_no_rule_tests_are_listed_once_each(monkeypatch: pytest.MonkeyPatch) -> None:
    extra = "http://www.opengis.net/spec/fake/1.0/conf/html"
    covered = "http://www.opengis.net/spec/fake/1.0/conf/oas30"
    family = Family(tests=dict(TESTS), declared={CORE, GEO, extra, covered}, covered=(covered,))
    rules = [rule("FK-001"), rule("FK-002", conformance=(CORE,))]
    got = run(family, rules, monkeypatch, profile_rules=[*rules, rule("FK-009", conformance=(GEO + "/",))])
    # CORE is tested by a rule of the run, GEO by a rule of the profile left out of it, oas30 by the family itself
    assert got.findings == [Finding(
        "FK-001", Severity.INFO, SOURCE, "GET /conformance", f"Declared, not tested by ldt-conform: {extra} (no rule "
        "of this run's profile tests this class; its requirements are not assessed)", value=extra, engine="api")]


def test_untested_classes_are_sorted_and_not_listed_without_the_conformance_rule(monkeypatch: pytest.MonkeyPatch
                                                                                ) -> None:
    a, b = "http://x.example/conf/b", "http://x.example/conf/a"
    got = run(Family(tests=dict(TESTS), declared={a, b}), [rule("FK-001")], monkeypatch)
    assert [f.value for f in got.findings] == [b, a]
    narrowed = run(Family(tests=dict(TESTS), declared={a, b}), [rule("FK-002")], monkeypatch)
    assert narrowed.findings == []  # a run narrowed to other rules does not assess the declaration


def test_an_unreadable_declaration_lists_no_untested_class(monkeypatch: pytest.MonkeyPatch) -> None:
    for error in (Broken(Issue("GET /conformance", "HTTP 500")), Skip("no conformance page")):
        got = run(Family(tests=dict(TESTS), declared=error), [rule("FK-001")], monkeypatch)
        assert got.findings == []


# -- writes ---------------------------------------------------------------------------------------------------------

def test_a_write_probe_without_the_flag_is_not_selected_and_never_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    family = Family(tests=dict(TESTS), writing=True)
    got = run(family, [rule("FK-001"), rule("FK-002", "crash", writes=True),
                       rule("FK-003", requires=("FK-002",))], monkeypatch)
    assert got.results == {"FK-001": ("pass", None, None),
                           "FK-002": ("skip", "not-selected", api_kind.WRITES_NOT_SELECTED),
                           "FK-003": ("skip", "prerequisite-failed", "prerequisite FK-002 was skipped")}
    assert api_kind.WRITES_NOT_SELECTED == (
        "not selected: a write probe, which runs only with --allow-writes (it writes to the API, then cleans up)")
    # the family's clean-up runs whatever ran; then the declared classes are read for the untested-class list
    assert family.calls == ["cleanup", "declared"]


def test_write_probes_run_serially_inside_the_interrupt_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    threads: dict[str, str] = {}

    def where(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        threads[str(params["n"])] = threading.current_thread().name
        return []

    family = Family(tests={"w": where}, writing=True)
    got = run(family, [rule("FK-001", "w"), rule("FK-002", "w", writes=True)], monkeypatch, allow_writes=True)
    assert got.results == {"FK-001": ("pass", None, None), "FK-002": ("pass", None, None)}
    assert threads["FK-002"] == threading.current_thread().name  # a write runs on the caller's thread
    assert threads["FK-001"].startswith("ldt-api")
    assert family.calls == ["guard-in", "guard-out", "cleanup", "declared"]
    assert family.probes == [got.probe] * 3


def test_a_family_that_does_not_write_has_no_guard_and_no_clean_up(monkeypatch: pytest.MonkeyPatch) -> None:
    family = Family(tests=dict(TESTS))
    got = run(family, [rule("FK-001", writes=True)], monkeypatch, allow_writes=True)
    assert got.results == {"FK-001": ("pass", None, None)}
    assert family.calls == ["declared"]


# -- failures confined to some collections --------------------------------------------------------------------------

def test_a_failure_scoped_to_collections_lets_dependants_test_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, dict[str, str]] = {}

    def scoped(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        return [Issue("GET /collections/roads", "roads", "", scope="roads"),
                Issue("GET /collections/lakes", "lakes", "", scope="lakes")]

    def narrower(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        seen[str(params["n"])] = dict(probe.excluded)
        return [Issue("GET /collections/rivers", "rivers", "", scope="rivers")]

    def dependant(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        seen[str(params["n"])] = dict(probe.excluded)
        return []

    got = run(Family(tests={"s": scoped, "n": narrower, "d": dependant, "ok": passing}),
              [rule("FK-001", "s"), rule("FK-002", "n", requires=("FK-001",)),
               rule("FK-003", "d", requires=("FK-002",)), rule("FK-004", "d", requires=("FK-001", "FK-009")),
               rule("FK-005", "d")], monkeypatch)
    assert got.results == {"FK-001": ("fail", None, None), "FK-002": ("fail", None, None),
                           "FK-003": ("pass", None, None), "FK-004": ("pass", None, None),
                           "FK-005": ("pass", None, None)}
    assert seen == {"FK-002": {"roads": "FK-001", "lakes": "FK-001"},
                    # a dependant leaves out what its prerequisites' prerequisites failed on, too
                    "FK-003": {"roads": "FK-001", "lakes": "FK-001", "rivers": "FK-002"},
                    "FK-004": {"roads": "FK-001", "lakes": "FK-001"},
                    "FK-005": {}}


def test_an_unscoped_failure_blocks_the_dependants(monkeypatch: pytest.MonkeyPatch) -> None:
    def half(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        return [Issue("GET /collections/roads", "roads", "", scope="roads"), Issue("GET /collections", "all", "")]

    def info_scoped(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        # an info issue is not a failure, so its missing scope does not block; the failing one is scoped
        return [Issue("GET /", "note", "", info=True), Issue("GET /collections/lakes", "lakes", "", scope="lakes")]

    got = run(Family(tests={"h": half, "i": info_scoped, "ok": passing}),
              [rule("FK-001", "h"), rule("FK-002", requires=("FK-001",)),
               rule("FK-003", "i"), rule("FK-004", requires=("FK-003",))], monkeypatch)
    assert got.results == {"FK-001": ("fail", None, None),
                           "FK-002": ("skip", "prerequisite-failed", "prerequisite FK-001 failed"),
                           "FK-003": ("fail", None, None), "FK-004": ("pass", None, None)}


def test_a_scoped_failure_after_an_unscoped_prerequisite_failure_still_blocks(monkeypatch: pytest.MonkeyPatch
                                                                              ) -> None:
    """FK-002 is scoped, but its own prerequisite failed for everything: FK-002 is then skipped, and so is FK-003."""
    def whole(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        return [Issue("GET /collections", "all", "")]

    got = run(Family(tests={"w": whole, "ok": passing}),
              [rule("FK-001", "w"), rule("FK-002", requires=("FK-001",)), rule("FK-003", requires=("FK-002",))],
              monkeypatch)
    assert got.results == {"FK-001": ("fail", None, None),
                           "FK-002": ("skip", "prerequisite-failed", "prerequisite FK-001 failed"),
                           "FK-003": ("skip", "prerequisite-failed", "prerequisite FK-002 was skipped")}


# -- the run around the tests ---------------------------------------------------------------------------------------

def test_the_probe_budget_starts_with_the_first_api_target(monkeypatch: pytest.MonkeyPatch) -> None:
    fetcher = Fetcher(timeout=1, budget_s=120.0)
    assert fetcher.remaining() is None
    run(Family(tests=dict(TESTS)), [rule("FK-001")], monkeypatch, fetcher=fetcher)
    remaining = fetcher.remaining()
    assert remaining is not None and 100.0 < remaining <= 120.0


def test_no_budget_when_the_run_has_none(monkeypatch: pytest.MonkeyPatch) -> None:
    fetcher = Fetcher(timeout=1)
    run(Family(tests=dict(TESTS)), [rule("FK-001")], monkeypatch, fetcher=fetcher)
    assert fetcher.remaining() is None


def test_a_keep_alive_hang_is_one_warning_naming_the_request(monkeypatch: pytest.MonkeyPatch) -> None:
    fetcher = Fetcher(timeout=1)
    fetcher.keepalive_hangs["127.0.0.1:9"] = BASE + "/collections?f=json"
    fetcher.keepalive_hangs["127.0.0.2:9"] = "http://127.0.0.2:9/other"  # another host: not this target's
    got = run(Family(tests=dict(TESTS)), [rule("FK-001")], monkeypatch, fetcher=fetcher)
    assert got.findings == [Finding(
        "LC-001", Severity.WARNING, SOURCE, "GET /collections?f=json",
        "The server did not answer a request sent on a reused keep-alive connection, and answered it on a fresh "
        "connection: ldt-conform opened a fresh connection per request to this host from then on, and the hang cost "
        "one --timeout. Fix the server's keep-alive handling (a development server such as Flask's hangs like this) "
        "or put a production HTTP server in front of it.", value="no answer on a reused keep-alive connection",
        engine="api")]


def test_the_probe_gets_the_run_s_language_artefacts_and_notify_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def look(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        seen.update(lang=probe.lang, artefacts=probe.artefacts, wait=probe.notify.wait_s, listen=probe.notify.listen)
        return []

    install(monkeypatch, Family(tests={"l": look}))
    fetcher = Fetcher(timeout=1)
    store = object()
    target = ApiTarget(SOURCE, FAMILY, families=frozenset({FAMILY}), probe=Probe(BASE, fetcher, kind=FAMILY))
    ctx = RunContext(profile=types.SimpleNamespace(rules=[]), lang="de", artefacts=store, fetcher=fetcher,
                     options={"notify_wait": 2.5, "notify_listen": "127.0.0.1:0"})
    api_kind.run([rule("FK-001", "l")], target, ctx)
    assert seen == {"lang": "de", "artefacts": store, "wait": 2.5, "listen": "127.0.0.1:0"}


def test_a_target_without_a_probe_gets_one_from_the_run_s_fetcher(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, str, bool, Any]] = []

    def look(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        seen.append((probe.base, probe.kind, probe.allow_writes, probe.fetcher))
        return []

    install(monkeypatch, Family(tests={"l": look}))
    target = ApiTarget(SOURCE, FAMILY, families=frozenset({FAMILY}), allow_writes=True)
    fetcher = Fetcher(timeout=1)
    ctx = RunContext(profile=types.SimpleNamespace(rules=[]), artefacts=object(), fetcher=fetcher)
    api_kind.run([rule("FK-001", "l")], target, ctx)
    unnamed = ApiTarget(SOURCE, None, families=frozenset({FAMILY}))  # a kind not given and not detected
    api_kind.run([rule("FK-001", "l")], unnamed, ctx)
    assert seen == [(BASE, FAMILY, True, fetcher), (BASE, "", False, fetcher)]
    with pytest.raises(ValueError, match=r"^an API target needs the run's fetcher$"):
        api_kind.run([rule("FK-001", "l")], target, RunContext(profile=types.SimpleNamespace(rules=[])))


def test_a_skip_without_a_why_is_not_applicable(monkeypatch: pytest.MonkeyPatch) -> None:
    def vague(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        raise Skip("nothing to test", why=None)  # type: ignore[arg-type]

    got = run(Family(tests={"v": vague}), [rule("FK-001", "v")], monkeypatch)
    assert got.results == {"FK-001": ("skip", "not-applicable", "nothing to test")}


def test_a_test_gets_the_rule_s_params_or_none(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Mapping[str, Any]] = []

    def look(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        seen.append(params)
        return []

    bare = Rule(id="FK-001", name="x", title="x", severity=Severity.ERROR, kind="api",
                check={"family": FAMILY, "test": "l"})
    run(Family(tests={"l": look}), [bare, rule("FK-002", "l")], monkeypatch)
    assert seen == [{}, {"n": "FK-002"}]


def test_a_rule_that_names_no_family_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    bare = Rule(id="FK-001", name="x", title="x", severity=Severity.ERROR, kind="api", check={"test": "ok"})
    got = run(Family(tests=dict(TESTS)), [bare], monkeypatch)
    assert got.results == {"FK-001": ("error", None, "unknown API family '' in the profile")}


def test_a_prerequisite_blocks_even_after_another_that_failed_on_some_collections(monkeypatch: pytest.MonkeyPatch
                                                                                   ) -> None:
    def scoped(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        return [Issue("GET /collections/roads", "roads", "", scope="roads")]

    got = run(Family(tests={"s": scoped, "bad": failing, "ok": passing}),
              [rule("FK-001", "s"), rule("FK-002", "bad"), rule("FK-003", requires=("FK-001", "FK-002"))],
              monkeypatch)
    assert got.results["FK-003"] == ("skip", "prerequisite-failed", "prerequisite FK-002 failed")


def test_a_prerequisite_of_another_family_does_not_hold_a_rule_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """Families run apart, each with its own verdicts: a rule waits only for prerequisites of its own family."""
    got = run(Family(tests=dict(TESTS)), [rule("OS-001", family="openapi"), rule("FK-002", requires=("OS-001",))],
              monkeypatch)
    assert got.results == {"OS-001": ("skip", "not-applicable", "applies to openapi APIs; this target is fake-family"),
                           "FK-002": ("pass", None, None)}


def test_after_a_cycle_no_rule_of_the_family_runs_and_the_next_family_does(monkeypatch: pytest.MonkeyPatch) -> None:
    other = Family(tests=dict(TESTS), conformance_rule=None, covered=None)
    install(monkeypatch, other, "second", MODULE + "_2")
    got = run(Family(tests=dict(TESTS)),
              [rule("FK-002", requires=("FK-003",)), rule("FK-003", requires=("FK-002",)),
               rule("SE-001", family="second")], monkeypatch, families=frozenset({FAMILY, "second"}))
    assert got.results == {"FK-002": ("error", None, "circular 'requires' between rules"),
                           "FK-003": ("error", None, "circular 'requires' between rules"),
                           "SE-001": ("pass", None, None)}


def test_two_families_on_one_target_list_their_untested_classes_together(monkeypatch: pytest.MonkeyPatch) -> None:
    """An OGC API with its OpenAPI family: the second family has no conformance rule and no COVERED list, so it
    lists nothing itself (no rule could carry the finding), but a class its rules test is not listed by the first;
    a family whose declaration cannot be read lists nothing and does not stop the run."""
    extra = "http://x.example/conf/extra"
    second = Family(tests=dict(TESTS), declared={extra, CORE}, conformance_rule=None, covered=None)
    install(monkeypatch, second, "second", MODULE + "_2")
    for first_declared, listed in ((Broken(Issue("GET /conformance", "HTTP 500")), []),
                                   ({GEO, CORE, extra}, [GEO, extra])):
        rules = [rule("SE-001", family="second", conformance=(CORE,)), rule("FK-001")]
        got = run(Family(tests=dict(TESTS), declared=first_declared, covered=None), rules, monkeypatch,
                  families=frozenset({FAMILY, "second"}))
        assert got.results == {"SE-001": ("pass", None, None), "FK-001": ("pass", None, None)}
        assert [(f.rule, f.value) for f in got.findings] == [("FK-001", uri) for uri in listed]


def test_a_second_api_target_does_not_restart_the_probe_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    install(monkeypatch, Family(tests=dict(TESTS)))
    fetcher = Fetcher(timeout=1, budget_s=120.0)
    ctx = RunContext(profile=types.SimpleNamespace(rules=[]), artefacts=object(), fetcher=fetcher)
    target = ApiTarget(SOURCE, FAMILY, families=frozenset({FAMILY}), probe=Probe(BASE, fetcher, kind=FAMILY))
    api_kind.run([rule("FK-002")], target, ctx)
    assert ctx.cache["api-budget-started"] is True
    fetcher._deadline = time.monotonic() + 0.5  # as if most of the 120 s were spent
    api_kind.run([rule("FK-002")], target, ctx)
    remaining = fetcher.remaining()
    assert remaining is not None and remaining <= 0.5


def test_without_a_store_the_run_gets_one_built_from_its_fetcher_and_profile(monkeypatch: pytest.MonkeyPatch
                                                                             ) -> None:
    seen: list[Any] = []

    def look(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        seen.append(probe.artefacts)
        return []

    install(monkeypatch, Family(tests={"l": look}))
    fetcher = Fetcher(timeout=1)
    pins = {"a-schema": {"url": "https://schemas.example/a.json", "sha256": "0" * 64}}
    ctx = RunContext(profile=types.SimpleNamespace(rules=[], artefacts=pins), fetcher=fetcher,
                     options={"offline": True})
    target = ApiTarget(SOURCE, FAMILY, families=frozenset({FAMILY}), probe=Probe(BASE, fetcher, kind=FAMILY))
    api_kind.run([rule("FK-002", "l")], target, ctx)
    store = ctx.artefacts
    assert store is not None and seen == [store]
    assert store.fetcher is fetcher and store.offline is True
    assert store.pins["https://schemas.example/a.json"].sha256 == "0" * 64
    api_kind.run([rule("FK-002", "l")], target, ctx)
    assert ctx.artefacts is store and seen == [store, store]  # built once per run


def test_the_run_logs_its_request_count_and_the_probe_logs_to_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    def log(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        probe.log("api: GET /x -> 200")
        return []

    got = run(Family(tests={"l": log}), [rule("FK-002", "l")], monkeypatch)
    assert got.debug == ["api: GET /x -> 200", f"api: {SOURCE}: 0 requests"]


def test_notify_settings_come_from_the_options() -> None:
    default = api_kind.notify_settings({})
    assert (default.listen, default.url) == (api_kind.DEFAULT_LISTEN, None)
    given = api_kind.notify_settings({"notify_listen": "0.0.0.0:8765", "notify_url": "http://me.example:8765/n",
                                      "notify_wait": "3"})
    assert (given.listen, given.url, given.wait_s) == ("0.0.0.0:8765", "http://me.example:8765/n", 3.0)
    assert api_kind.notify_settings({"notify_url": ""}).url is None


def test_at_most_eight_tests_ask_the_api_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Enough to hide latency, few enough not to look like a load test: eight tests meet at a barrier of eight
    (fewer threads would leave it broken after its timeout), and no more than eight are ever in flight."""
    barrier = threading.Barrier(api_kind.CONCURRENCY, timeout=10)
    lock = threading.Lock()
    running = [0, 0]  # now, most

    def meet(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        with lock:
            running[0] += 1
            running[1] = max(running)
        barrier.wait()
        with lock:
            running[0] -= 1
        return []

    assert api_kind.CONCURRENCY == 8
    rules = [rule(f"FK-{i:03d}", "m") for i in range(2, 2 + 2 * api_kind.CONCURRENCY)]
    got = run(Family(tests={"m": meet}), rules, monkeypatch)
    assert set(got.results.values()) == {("pass", None, None)}
    assert running == [0, 8]


def test_ctrl_c_in_a_parallel_test_returns_at_once_and_cancels_the_queued_ones(monkeypatch: pytest.MonkeyPatch
                                                                              ) -> None:
    release = threading.Event()
    started: list[str] = []
    lock = threading.Lock()

    def hold(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        with lock:
            started.append(str(params["n"]))
        if params["n"] == "FK-002":
            raise KeyboardInterrupt
        release.wait(10)
        return []

    outcome: list[BaseException] = []

    def go() -> None:
        try:
            run(Family(tests={"h": hold}), [rule(f"FK-{i:03d}", "h") for i in range(2, 22)], monkeypatch)
        except BaseException as exc:  # noqa: BLE001 - the interrupt is the outcome under test
            outcome.append(exc)

    caller = threading.Thread(target=go)
    caller.start()
    caller.join(5)
    returned = not caller.is_alive()
    release.set()
    caller.join(10)
    assert returned, "the run waited for the tests in flight instead of returning on Ctrl-C"
    assert [type(e) for e in outcome] == [KeyboardInterrupt]
    time.sleep(0.5)
    assert len(started) < 20  # the tests still queued were cancelled, not run once the held ones were released


def test_an_unreadable_declaration_does_not_stop_the_next_family_s_list(monkeypatch: pytest.MonkeyPatch) -> None:
    extra = "http://x.example/conf/third"
    third = Family(tests=dict(TESTS), declared={extra}, conformance_rule="TH-001")
    install(monkeypatch, third, "third", MODULE + "_3")
    got = run(Family(tests=dict(TESTS), declared=Broken(Issue("GET /conformance", "HTTP 500"))),
              [rule("FK-001"), rule("TH-001", family="third")], monkeypatch, families=frozenset({FAMILY, "third"}))
    assert [(f.rule, f.value) for f in got.findings] == [("TH-001", extra)]


def test_a_target_that_brings_its_probe_needs_no_fetcher_of_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    install(monkeypatch, Family(tests=dict(TESTS)))
    target = ApiTarget(SOURCE, FAMILY, families=frozenset({FAMILY}), probe=Probe(BASE, Fetcher(timeout=1), kind=FAMILY))
    # nor a profile with rules beyond the run's (the Python API's own profile objects)
    output = api_kind.run([rule("FK-001")], target, RunContext(profile=types.SimpleNamespace(), artefacts=object()))
    assert [(r.rule, r.status.value) for r in output.results] == [("FK-001", "pass")]
    assert output.findings == []


def test_a_store_is_built_for_a_profile_that_pins_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    install(monkeypatch, Family(tests=dict(TESTS)))
    fetcher = Fetcher(timeout=1)
    ctx = RunContext(profile=types.SimpleNamespace(rules=[]), fetcher=fetcher)  # no `artefacts` at all
    target = ApiTarget(SOURCE, FAMILY, families=frozenset({FAMILY}), probe=Probe(BASE, fetcher, kind=FAMILY))
    api_kind.run([rule("FK-002")], target, ctx)
    assert ctx.artefacts is not None and ctx.artefacts.pins == {} and ctx.artefacts.offline is False


def test_a_write_probe_leaves_out_what_its_prerequisite_failed_on(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[Any, dict[str, str], str]] = []

    def scoped(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        return [Issue("GET /collections/roads", "roads", "", scope="roads")]

    def write(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
        seen.append((probe, dict(probe.excluded), probe.lang))
        raise ValueError("write failed")

    family = Family(tests={"s": scoped, "w": write}, writing=True)
    got = run(family, [rule("FK-001", "s"), rule("FK-002", "w", requires=("FK-001",), writes=True)], monkeypatch,
              allow_writes=True, lang="fr")
    assert seen == [(got.probe, {"roads": "FK-001"}, "fr")]
    assert got.results["FK-002"] == ("error", None, "ValueError: write failed")  # a crash on the caller's thread too
    assert [line.rsplit("\n", 2)[-2] for line in got.debug if line.startswith("Traceback")] == [
        "ValueError: write failed"]
