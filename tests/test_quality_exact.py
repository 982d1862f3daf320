"""The quality score's edges, pinned exactly: when compliance can be judged, the run-level attach, long scans read in
pieces, distributions with several reachable links, the order of the fixes, and the trend a baseline keeps.

Asked for by a mutation run over quality.py and quality_graph.py (README, "Mutation score"): each test here failed
against the mutant it was written for. No corpus: the lookups that need pinned artefacts are given by hand.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import pyoxigraph as ox
import pytest

from ldt_conform import quality
from ldt_conform import quality_graph as qg
from ldt_conform.model import Finding, ProfileInfo, Report, Result, Rule, Severity, Status, TargetInfo

PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
"""
# No vocabulary lookups: the lookup metrics are not assessed, every other offline metric is.
NO_LOOKUPS: dict[str, frozenset[str] | None] = dict.fromkeys(quality.table().artefacts)


def _rule(rule_id: str, kind: str = "shacl", enabled: bool = True, severity: Severity = Severity.ERROR) -> Rule:
    return Rule(id=rule_id, name=rule_id.lower(), title=f"Rule {rule_id}", severity=severity, kind=kind, check={},
                enabled=enabled, message=f"Fix {rule_id} on {{focus}}.")


def _store(text: str) -> ox.Store:
    store = ox.Store()
    store.load(text.encode(), format=ox.RdfFormat.TURTLE)
    return store


RULES = (_rule("R-1"), _rule("R-2", enabled=False), _rule("R-3", kind="api"))


def _report(results: list[Result], findings: tuple[Finding, ...] = (), rules: tuple[Rule, ...] = RULES) -> Report:
    return Report(tool_version="0", started_at="2026-01-01T00:00:00Z", finished_at="2026-01-01T00:00:01Z",
                  profile=ProfileInfo("p", "1", "P", "0" * 64), rules=rules,
                  targets=(TargetInfo("cat.ttl", "rdf"),), results=tuple(results), findings=findings)


@pytest.mark.parametrize("results,reason", [
    ([], "no DCAT-AP (SHACL) rule was evaluated on this catalogue"),
    ([Result("R-3", "cat.ttl", Status.PASS)], "no DCAT-AP (SHACL) rule was evaluated on this catalogue"),
    # a disabled SHACL rule's result does not count, in error or not
    ([Result("R-2", "cat.ttl", Status.ERROR)], "no DCAT-AP (SHACL) rule was evaluated on this catalogue"),
    ([Result("R-1", "other.ttl", Status.PASS)], "no DCAT-AP (SHACL) rule was evaluated on this catalogue"),
    ([Result("R-1", "cat.ttl", Status.ERROR, reason="x")],
     "rule R-1 could not be evaluated (error), so compliance is not proven"),
    ([Result("R-1", "cat.ttl", Status.PASS), Result("R-2", "cat.ttl", Status.ERROR)], None),
    ([Result("R-1", "cat.ttl", Status.FAIL)], None),
])
def test_compliance_is_judged_only_from_enabled_shacl_rules_that_ran(results: list[Result],
                                                                     reason: str | None) -> None:
    assert quality.compliance_state(_report(results), "cat.ttl") == reason


class _Target:
    """What attach reads of a loaded input: its source and its prepared store (load.LoadedTarget's fields)."""

    def __init__(self, source: str, text: str) -> None:
        self.source = source
        self.prepared = type("Prepared", (), {"store": _store(text)})()
        self.bnode_labels: dict[str, str] = {}


CATALOGUE = PREFIXES + """
<http://ex/d1> a dcat:Dataset ; dct:title "One"@en ; dcat:distribution <http://ex/x1> .
<http://ex/d2> a dcat:Dataset ; dct:title "Two"@en .
<http://ex/x1> a dcat:Distribution ; dcat:accessURL <http://ex/a> .
"""


class _NoArtefacts:
    """An artefact store that has nothing (offline, no seed): the score is then the same on every machine."""

    def get_pinned(self, pin: Any) -> None:
        return None


def _attach(report: Report, **kw: Any) -> dict[str, Any]:
    scored = quality.attach(report, [_Target("cat.ttl", CATALOGUE)], artefacts=_NoArtefacts(), **kw)
    return dict(scored.quality)


def _compliance(block: dict[str, Any]) -> dict[str, Any]:
    return next(m for m in block["catalogues"][0]["metrics"] if m["metric"] == "dcatApCompliance")


def test_attach_leaves_compliance_unassessed_when_a_shacl_rule_errored() -> None:
    block = _attach(_report([Result("R-1", "cat.ttl", Status.ERROR, reason="crashed")]))
    assert (block["method"], block["source"], block["max"], block["check_links"]) == (
        "data.europa.eu MQA (offline)", dict(quality.table().source), quality.table().max, False)
    assert _compliance(block) == {"metric": "dcatApCompliance", "dimension": "interoperability",
                                  "status": "not-assessed", "max": 30,
                                  "reason": "rule R-1 could not be evaluated (error), so compliance is not proven"}
    cards = {c["dataset"]: c for c in block["catalogues"][0]["scorecards"]}
    assert cards["http://ex/d1"]["metrics"]["dcatApCompliance"] is None


def test_attach_scores_compliance_from_the_run_s_error_findings() -> None:
    finding = Finding("R-1", Severity.ERROR, "cat.ttl", "http://ex/x1", "bad")
    block = _attach(_report([Result("R-1", "cat.ttl", Status.FAIL)], findings=(finding,)))
    catalogue = block["catalogues"][0]
    assert catalogue["target"] == "cat.ttl"
    # d1 owns the finding through its distribution: no compliance points; d2 keeps them.
    cards = {c["dataset"]: (c["errors"], c["metrics"]["dcatApCompliance"]) for c in catalogue["scorecards"]}
    assert cards == {"http://ex/d1": (1, 0), "http://ex/d2": (0, 30)}
    assert _compliance(block)["score"] == 15.0
    fix = next(f for f in catalogue["fixes"] if f["kind"] == "rule")
    assert fix == {"kind": "rule", "id": "R-1", "title": "Rule R-1", "severity": "error", "findings": 1,
                   "datasets": 1, "points": 15.0, "fix": "Fix R-1 on."}


def test_attach_with_streamed_groups_scores_as_the_findings_would() -> None:
    finding = Finding("R-1", Severity.ERROR, "cat.ttl", "http://ex/x1", "bad")
    report = _report([Result("R-1", "cat.ttl", Status.FAIL)], findings=(finding,))
    kept = _attach(report)
    # A streamed run hands attach the findings' (rule, focus, severity) counts instead of the findings.
    from ldt_conform.report_stream import FocusGroups

    groups = FocusGroups()
    groups.add("R-1", "http://ex/x1", Severity.ERROR)
    streamed = _attach(replace(report, findings=()), groups={"cat.ttl": groups})
    assert streamed == kept
    # An input without findings has no group: scored as clean, not refused.
    clean = _attach(replace(report, findings=()), groups={"other.ttl": groups})
    cards = {c["dataset"]: c["metrics"]["dcatApCompliance"] for c in clean["catalogues"][0]["scorecards"]}
    assert cards == {"http://ex/d1": 30, "http://ex/d2": 30}


def test_a_long_scan_read_in_pieces_gives_every_name_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The store joins a scan into one string per group and _pieces splits it PIECE characters at a time; with a
    tiny PIECE every piece boundary is exercised, and the index must be the one read in a single piece."""
    text = PREFIXES + "".join(
        f"<http://ex/dataset/{i:03d}> a dcat:Dataset ; dcat:distribution <http://ex/dist/{i:03d}>, "
        f"<http://ex/dist/{i:03d}b> .\n" for i in range(40))
    store = _store(text)
    whole = qg.index(store)
    for piece in (1, 7, 23, 24, 25, 60):
        monkeypatch.setattr(qg, "PIECE", piece)
        parts = list(qg._pieces(whole, "?d a dcat:Dataset", ["STR(?d)"]))
        names = [name for _, chunk in parts for name in chunk]
        assert sorted(names) == [f"http://ex/dataset/{i:03d}" for i in range(40)], piece  # each once, in any order
        assert all(values == () for values, _ in parts) and len(parts) > 1, piece
        small = qg.index(store)
        assert (small.datasets, small.dist_count, small.dist_row) == (whole.datasets, whole.dist_count,
                                                                      whole.dist_row), piece
    assert whole.dist_count == [2] * 40


def test_pieces_of_several_groups_keep_their_group(monkeypatch: pytest.MonkeyPatch) -> None:
    text = PREFIXES + "".join(f"<http://ex/d{i}> a dcat:Dataset ; dcat:keyword \"k{i % 3}\" .\n" for i in range(12))
    store = _store(text)
    graph = qg.index(store)
    monkeypatch.setattr(qg, "PIECE", 5)
    got = qg._concat(graph, "?d dcat:keyword ?k", ["STR(?d)"], ["?k"])
    assert {k[0].value: sorted(v) for k, v in got.items()} == {
        f"k{j}": sorted(f"http://ex/d{i}" for i in range(12) if i % 3 == j) for j in range(3)}


def test_a_distribution_metric_counts_every_distribution_with_a_reachable_link() -> None:
    text = PREFIXES + """
    <http://ex/d> a dcat:Dataset ; dcat:distribution <http://ex/x1>, <http://ex/x2>, <http://ex/x3> .
    <http://ex/x1> dcat:accessURL <http://ex/ok1> . <http://ex/x2> dcat:accessURL <http://ex/ok2> .
    <http://ex/x3> dcat:accessURL <http://ex/gone> .
    """
    store = _store(text)
    graph = quality.index(store)
    links = {"http://ex/ok1": True, "http://ex/ok2": True, "http://ex/gone": False}
    assert qg.link_passing(graph, [qg.DCAT + "accessURL"], links) == [2]
    assert qg.link_passing(graph, [qg.DCAT + "accessURL"], {**links, "http://ex/gone": None}) == [None]
    result = quality.score_catalogue("cat.ttl", graph, [], [], quality.Context(lookups=NO_LOOKUPS, links=links,
                                                                              compliant={}))
    # 2 of 3 distributions reachable: two thirds of the 50 points
    assert result["scorecards"][0]["metrics"]["accessUrlStatusCode"] == 33.33


def test_fixes_are_ordered_by_points_then_findings_then_datasets_then_id() -> None:
    text = PREFIXES + "".join(f"<http://ex/d{i}> a dcat:Dataset .\n" for i in range(4))
    store = _store(text)
    warn = [_rule(r, severity=Severity.WARNING) for r in ("W-A", "W-B", "W-C", "W-D")]
    findings = ([Finding("W-A", Severity.WARNING, "cat.ttl", "http://ex/d0", "m")] +
                [Finding("W-B", Severity.WARNING, "cat.ttl", f"http://ex/d{i}", "m") for i in (0, 1)] +
                [Finding("W-C", Severity.WARNING, "cat.ttl", "http://ex/d2", "m", path=f"urn:p{k}") for k in (0, 1)] +
                [Finding("W-D", Severity.WARNING, "cat.ttl", "http://ex/d3", "m")])
    result = quality.score_catalogue("cat.ttl", quality.index(store), findings, warn,
                                     quality.Context(lookups=NO_LOOKUPS, compliant={}))
    rules = [(f["id"], f["points"], f["findings"], f["datasets"]) for f in result["fixes"] if f["kind"] == "rule"]
    # no points back (warnings are not violations): more findings first, then more datasets, then the id
    assert rules == [("W-B", 0.0, 2, 2), ("W-C", 0.0, 2, 1), ("W-A", 0.0, 1, 1), ("W-D", 0.0, 1, 1)]


def test_the_trend_a_baseline_keeps_and_the_change_it_shows() -> None:
    old = {"quality": {"max": 405, "check_links": False, "catalogues": [
        {"target": "a.ttl", "datasets": 2, "score": 100.0, "max": 345, "scaled": 117.39, "band": "sufficient",
         "dimensions": {}, "scorecards": [{"dataset": "x"}]},
        {"target": "gone.ttl", "datasets": 1, "score": 10.0, "max": 345, "scaled": 11.74, "band": "bad"}]}}
    new = {"quality": {"max": 405, "check_links": True, "catalogues": [
        {"target": "a.ttl", "datasets": 2, "score": 200.0, "max": 405, "scaled": 200.0, "band": "good"},
        {"target": "new.ttl", "datasets": 3, "score": 5.0, "max": 345, "scaled": 5.87, "band": "bad"}]}}
    assert quality.summary(old["quality"]) == {"max": 405, "check_links": False, "catalogues": [
        {"target": "a.ttl", "datasets": 2, "score": 100.0, "max": 345, "scaled": 117.39, "band": "sufficient",
         "dimensions": {}},
        {"target": "gone.ttl", "datasets": 1, "score": 10.0, "max": 345, "scaled": 11.74, "band": "bad"}]}
    assert quality.change(old, new) == [
        {"target": "a.ttl", "old": {"score": 100.0, "max": 345, "scaled": 117.39, "band": "sufficient"},
         "new": {"score": 200.0, "max": 405, "scaled": 200.0, "band": "good"}, "change": 82.61,
         "note": "the assessed points differ (e.g. --check-links or an artefact in one run only): compare the "
                 "scaled scores with care"},
        {"target": "gone.ttl", "old": {"score": 10.0, "max": 345, "scaled": 11.74, "band": "bad"}, "new": None,
         "change": None},
        {"target": "new.ttl", "old": None, "new": {"score": 5.0, "max": 345, "scaled": 5.87, "band": "bad"},
         "change": None}]
    # A malformed block counts as no score, never as a crash.
    assert quality.change({"quality": ["not", "a", "block"]}, {"quality": None}) == []


def test_points_keep_two_decimals_and_integers_stay_integers() -> None:
    plan = [("m1", 0, 10, [10 / 3]), ("m2", 0, 5, [5]), ("m3", 0, 5, None), ("m4", 0, 5, ["not assessed"])]
    card, points = quality._card_points(plan, ["dim"], 0)
    assert points == {"m1": 3.33, "m2": 5, "m3": None, "m4": None}
    assert points["m2"].__class__ is int
    assert card["score"] == 8.33 and card["max"] == 15 and card["dimensions"] == {"dim": {"score": 8.33, "max": 15}}


def test_no_assessed_metric_means_no_scaled_score() -> None:
    assert quality._scaled(0.0, 0) == {"scaled": None, "band": "not-assessed"}


def test_a_negative_zero_is_rounded_to_zero() -> None:
    assert str(quality._round(-0.0)) == "0.0"


def test_lookups_that_cannot_be_had_are_none_so_their_metrics_are_not_assessed() -> None:
    names = set(quality.table().artefacts)
    assert quality.load_lookups(None) == dict.fromkeys(names)
    missing = quality.load_lookups(_NoArtefacts())
    assert missing == dict.fromkeys(names) and all(v is None for v in missing.values())


def test_a_rule_outside_the_rule_table_still_gets_a_fix_with_its_id() -> None:
    finding = Finding("GONE-1", Severity.ERROR, "cat.ttl", "http://ex/d1", "bad")
    block = _attach(_report([Result("R-1", "cat.ttl", Status.FAIL)], findings=(finding,)))
    fixes = [f for f in block["catalogues"][0]["fixes"] if f["kind"] == "rule"]
    assert fixes == []  # attach scores the findings of the run's SHACL rules only
    store = _store(CATALOGUE)
    result = quality.score_catalogue("cat.ttl", quality.index(store), [finding], [],
                                     quality.Context(lookups=NO_LOOKUPS, compliant={}))
    assert [f for f in result["fixes"] if f["kind"] == "rule"] == [
        {"kind": "rule", "id": "GONE-1", "title": "GONE-1", "severity": None, "findings": 1, "datasets": 1,
         "points": 15.0, "fix": ""}]


def test_fixes_when_compliance_is_not_assessed_earn_no_compliance_points_and_metrics_are_fixes_of_their_own() -> None:
    finding = Finding("R-1", Severity.ERROR, "cat.ttl", "http://ex/x1", "bad")
    block = _attach(_report([Result("R-1", "cat.ttl", Status.ERROR, reason="crashed")], findings=(finding,)))
    fixes = block["catalogues"][0]["fixes"]
    assert [f for f in fixes if f["kind"] == "rule"] == [
        {"kind": "rule", "id": "R-1", "title": "Rule R-1", "severity": "error", "findings": 1, "datasets": 1,
         "points": 0.0, "fix": "Fix R-1 on."}]
    metric_fixes = {f["id"]: f for f in fixes if f["kind"] == "metric"}
    assert "dcatApCompliance" not in metric_fixes  # compliance is fixed through the rules that break it
    keyword = metric_fixes["keywordAvailability"]
    assert keyword == {"kind": "metric", "id": "keywordAvailability", "title": keyword["title"], "findings": 0,
                       "datasets": 2, "points": 30.0, "fix": keyword["fix"]}
    table = {m.id: m for m in quality.table().metrics}
    assert (keyword["title"], keyword["fix"]) == (table["keywordAvailability"].title,
                                                  table["keywordAvailability"].fix)
    # with compliance assessed, its row is not a fix even when it is below its maximum
    assessed = _attach(_report([Result("R-1", "cat.ttl", Status.FAIL)], findings=(finding,)))
    assert _compliance(assessed)["score"] == 15.0
    assert "dcatApCompliance" not in {f["id"] for f in assessed["catalogues"][0]["fixes"] if f["kind"] == "metric"}


def test_errors_of_two_rules_on_a_node_datasets_share_both_count_for_each_of_them() -> None:
    text = PREFIXES + """
    <http://ex/d1> a dcat:Dataset ; dcat:distribution <http://ex/x1> .
    <http://ex/d2> a dcat:Dataset ; dcat:distribution <http://ex/x2> .
    <http://ex/x1> dct:license <http://ex/licence> . <http://ex/x2> dct:license <http://ex/licence> .
    """
    store = _store(text)
    findings = [Finding("R-1", Severity.ERROR, "cat.ttl", "http://ex/licence", "a"),
                Finding("R-4", Severity.ERROR, "cat.ttl", "http://ex/licence", "b")]
    result = quality.score_catalogue("cat.ttl", quality.index(store), findings, [RULES[0], _rule("R-4")],
                                     quality.Context(lookups=NO_LOOKUPS, compliant={}))
    cards = {c["dataset"]: (c["errors"], c["metrics"]["dcatApCompliance"]) for c in result["scorecards"]}
    assert cards == {"http://ex/d1": (2, 0), "http://ex/d2": (2, 0)}
    # Neither rule is the last error of any dataset: fixing one alone wins nothing back.
    assert {f["id"]: (f["findings"], f["datasets"], f["points"]) for f in result["fixes"] if f["kind"] == "rule"} \
        == {"R-1": (1, 2, 0.0), "R-4": (1, 2, 0.0)}


def test_a_blank_distribution_s_values_are_read_like_an_iri_distribution_s() -> None:
    lic = "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
    text = PREFIXES + f"""
    <http://ex/d1> a dcat:Dataset ; dcat:distribution [ dct:license <{lic}> ] .
    <http://ex/d2> a dcat:Dataset ; dcat:distribution <http://ex/x2> .
    <http://ex/x2> dct:license <{lic}> .
    <http://ex/d3> a dcat:Dataset ; dcat:distribution [ dct:license "CC-BY" ] .
    """
    store = _store(text)
    result = quality.score_catalogue("cat.ttl", quality.index(store), [], [],
                                     quality.Context(lookups=NO_LOOKUPS, compliant={}))
    got = {c["dataset"]: c["metrics"]["knownLicence"] for c in result["scorecards"]}
    top = next(m.points for m in quality.table().metrics if m.id == "knownLicence")
    assert got == {"http://ex/d1": top, "http://ex/d2": top, "http://ex/d3": 0}


def test_a_distribution_without_any_link_counts_as_not_reachable() -> None:
    text = PREFIXES + """
    <http://ex/d> a dcat:Dataset ; dcat:distribution <http://ex/x1>, <http://ex/x2> .
    <http://ex/x1> dcat:accessURL <http://ex/ok1> . <http://ex/x2> dct:title "no URL" .
    """
    store = _store(text)
    assert qg.link_passing(quality.index(store), [qg.DCAT + "accessURL"], {"http://ex/ok1": True}) == [1]
