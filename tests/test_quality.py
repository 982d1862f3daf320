"""The MQA-compatible score: exact points on hand-written catalogues, each metric on and off, the not-assessed cases."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

import pyoxigraph as ox
import pytest

from conftest import corpus_path, run_cli
from ldt_conform import links, quality
from ldt_conform.artefacts import ArtefactStore

PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix ft: <http://publications.europa.eu/resource/authority/file-type/> .
@prefix lic: <http://publications.europa.eu/resource/authority/licence/> .
@prefix ar: <http://publications.europa.eu/resource/authority/access-right/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
# One dataset that earns every offline metric (the link metrics need --check-links).
FULL = PREFIXES + """
<http://ex/d> a dcat:Dataset ; dct:title "Full"@en ; dct:description "All"@en ; dcat:keyword "k" ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> ;
  dct:spatial <http://publications.europa.eu/resource/authority/country/FRA> ;
  dct:temporal [ a dct:PeriodOfTime ] ; dct:accessRights ar:PUBLIC ;
  dcat:contactPoint <http://ex/contact> ; dct:publisher <http://ex/pub> ; dcat:distribution <http://ex/x> .
<http://ex/x> a dcat:Distribution ; dcat:accessURL <http://ex/a> ; dcat:downloadURL <http://ex/f.csv> ;
  dct:format ft:CSV ; dcat:mediaType <http://www.iana.org/assignments/media-types/text/csv> ;
  dct:license lic:CC_BY_4_0 ; dct:rights <http://ex/rights> ; dcat:byteSize "10"^^xsd:nonNegativeInteger ;
  dct:issued "2024-01-01"^^xsd:date ; dct:modified "2024-02-01"^^xsd:date .
<http://ex/pub> a <http://xmlns.com/foaf/0.1/Agent> ; <http://xmlns.com/foaf/0.1/name> "P" .
<http://ex/contact> a <http://www.w3.org/2006/vcard/ns#Kind> .
<http://ex/rights> a dct:RightsStatement .
"""
LINK_METRICS = {"accessUrlStatusCode": 50, "downloadUrlStatusCode": 30}
LOOKUP_METRICS = {"formatMediaTypeNonProprietary": 20, "formatMediaTypeMachineInterpretable": 20}


def graph_of(text: str) -> quality.Graph:
    store = ox.Store()
    store.load(text.encode(), format=ox.RdfFormat.TURTLE)
    return quality.index(store)


@pytest.fixture(scope="module")
def lookups() -> Any:
    folder = corpus_path("mqa", "edp-vocabularies", "edp-machine-readable-format.rdf").parent
    return quality.load_lookups(ArtefactStore(seed_dirs=[folder], offline=True, use_cache=False))


def ctx(lookups: Any, **kw: Any) -> quality.Context:
    return quality.Context(lookups=lookups, compliant=kw.pop("compliant", {}), **kw)


def score(text: str, context: quality.Context) -> dict[str, Any]:
    return quality.score_catalogue("cat.ttl", graph_of(text), [], [], context)


def test_table_matches_the_piveau_vocabulary() -> None:
    """Every metric's points equal pv:trueScore / pv:falseScore in piveau's DQV file; sums 100/100/110/75/20."""
    path = corpus_path("mqa", "piveau-vocabularies", "piveau-dqv-vocabulary.ttl")
    pv = "https://piveau.eu/ns/voc#"
    quads = list(ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE))
    true = {q.subject.value[len(pv):]: int(q.object.value) for q in quads if q.predicate.value == pv + "trueScore"}
    false = {q.subject.value[len(pv):]: int(q.object.value) for q in quads if q.predicate.value == pv + "falseScore"}
    table = quality.table()
    assert {m.id: m.points for m in table.metrics} == true
    assert {m.id: m.false_points for m in table.metrics if m.false_points} == false == {
        "formatAvailability": -5, "mediaTypeAvailability": -5}
    assert dict(table.dimensions) == {"findability": 100, "accessibility": 100, "interoperability": 110,
                                      "reusability": 75, "contextuality": 20}
    assert table.max == 405


@pytest.mark.parametrize(("score_", "expected"), [
    (405, "excellent"), (351, "excellent"), (350.5, "excellent"), (350.49, "good"), (221, "good"), (220.5, "good"),
    (220.49, "sufficient"), (120, "sufficient"), (119.5, "sufficient"), (119.49, "bad"), (0, "bad"), (-10, "bad")])
def test_bands_follow_the_piveau_scheme(score_: float, expected: str) -> None:
    assert quality.band(score_) == expected


def test_full_dataset_earns_every_offline_metric(lookups: Any) -> None:
    result = score(FULL, ctx(lookups))
    assert result["score"] == 405 - 80 and result["max"] == 325
    assert result["scaled"] == 405 and result["band"] == "excellent"
    assert {m["metric"]: m["reason"] for m in result["metrics"] if m.get("status") == "not-assessed"} == {
        m: "needs the network: run with --check-links" for m in LINK_METRICS}
    card = result["scorecards"][0]
    assert card["dataset"] == "http://ex/d" and card["title"] == "Full"
    assert card["metrics"]["accessUrlStatusCode"] is None and card["metrics"]["dcatApCompliance"] == 30
    assert result["fixes"] == []


# metric id → the triple pattern whose removal breaks it, and the points the dataset keeps for it.
REMOVALS = {
    "keywordAvailability": ('dcat:keyword "k" ;', 0),
    "categoryAvailability": ("dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> ;", 0),
    "spatialAvailability": ("dct:spatial <http://publications.europa.eu/resource/authority/country/FRA> ;", 0),
    "temporalAvailability": ("dct:temporal [ a dct:PeriodOfTime ] ;", 0),
    "accessRightsAvailability": ("dct:accessRights ar:PUBLIC ;", 0),
    "contactPointAvailability": ("dcat:contactPoint <http://ex/contact> ;", 0),
    "publisherAvailability": ("dct:publisher <http://ex/pub> ;", 0),
    "downloadUrlAvailability": ("dcat:downloadURL <http://ex/f.csv> ;", 0),
    "licenceAvailability": ("dct:license lic:CC_BY_4_0 ;", 0),
    "rightsAvailability": ("dct:rights <http://ex/rights> ;", 0),
    "byteSizeAvailability": ('dcat:byteSize "10"^^xsd:nonNegativeInteger ;', 0),
    "dateIssuedAvailability": ('dct:issued "2024-01-01"^^xsd:date ;', 0),
    "dateModifiedAvailability": ('; dct:modified "2024-02-01"^^xsd:date', 0),
}


@pytest.mark.parametrize("metric", sorted(REMOVALS))
def test_each_present_metric_off(lookups: Any, metric: str) -> None:
    pattern, kept = REMOVALS[metric]
    assert pattern in FULL
    result = score(FULL.replace(pattern, ""), ctx(lookups))
    points = next(m.points for m in quality.table().metrics if m.id == metric)
    # Removing the licence also breaks knownLicence; removing the access rights breaks their vocabulary metric.
    companions = {"licenceAvailability": 10, "accessRightsAvailability": 5}
    assert result["score"] == 325 - points - companions.get(metric, 0) + kept
    card = result["scorecards"][0]["metrics"]
    assert card[metric] == kept
    fix = next(f for f in result["fixes"] if f["id"] == metric)
    assert (fix["kind"], fix["datasets"], fix["points"]) == ("metric", 1, points)


def test_format_and_media_type_absent_score_negative(lookups: Any) -> None:
    text = FULL.replace("dct:format ft:CSV ;", "").replace(
        "dcat:mediaType <http://www.iana.org/assignments/media-types/text/csv> ;", "")
    card = score(text, ctx(lookups))["scorecards"][0]["metrics"]
    assert (card["formatAvailability"], card["mediaTypeAvailability"]) == (-5, -5)
    # Neither set: not aligned, and "assumed proprietary / not machine-interpretable" (piveau's definitions).
    assert (card["formatMediaTypeVocabularyAlignment"], card["formatMediaTypeNonProprietary"],
            card["formatMediaTypeMachineInterpretable"]) == (0, 0, 0)


def test_vocabulary_and_lookup_metrics_off(lookups: Any) -> None:
    text = (FULL.replace("dct:format ft:CSV", "dct:format ft:DOCX").replace("lic:CC_BY_4_0", "<http://ex/my-licence>")
            .replace("ar:PUBLIC", "<http://ex/open>"))
    card = score(text, ctx(lookups))["scorecards"][0]["metrics"]
    assert card["formatMediaTypeVocabularyAlignment"] == 10  # DOCX is in the file-type table
    assert (card["formatMediaTypeNonProprietary"], card["formatMediaTypeMachineInterpretable"]) == (0, 0)
    assert (card["knownLicence"], card["accessRightsVocabularyAlignment"]) == (0, 0)
    assert (card["licenceAvailability"], card["accessRightsAvailability"]) == (20, 10)
    literal = score(FULL.replace("dct:format ft:CSV", 'dct:format "CSV"'), ctx(lookups))["scorecards"][0]["metrics"]
    assert literal["formatMediaTypeVocabularyAlignment"] == 0 and literal["formatAvailability"] == 20


def test_distribution_metrics_are_the_share_of_distributions(lookups: Any) -> None:
    """Decision (docs/quality.md): a distribution metric earns its points times the share of distributions that pass."""
    text = FULL.replace("dcat:distribution <http://ex/x> .", "dcat:distribution <http://ex/x>, <http://ex/y> .") + \
        "<http://ex/y> a dcat:Distribution ; dcat:accessURL <http://ex/b> .\n"
    result = score(text, ctx(lookups))
    card = result["scorecards"][0]["metrics"]
    assert card["downloadUrlAvailability"] == 10 and card["byteSizeAvailability"] == 2.5
    assert card["formatAvailability"] == 7.5 and card["mediaTypeAvailability"] == 2.5  # 20/2 - 5/2, 10/2 - 5/2
    assert result["score"] == 325 - 10 - 12.5 - 7.5 - 5 - 10 - 10 - 10 - 5 - 2.5 * 4


def test_dataset_without_distribution_earns_nothing_on_distribution_metrics(lookups: Any) -> None:
    text = PREFIXES + '<http://ex/d> a dcat:Dataset ; dcat:keyword "k" .'
    result = score(text, ctx(lookups))
    card = result["scorecards"][0]["metrics"]
    assert card["formatAvailability"] == 0 and card["mediaTypeAvailability"] == 0
    assert result["score"] == 30 + 30  # keyword + compliance (no finding)


def test_compliance_uses_our_error_findings(lookups: Any) -> None:
    from ldt_conform.model import Finding, Rule, Severity

    rule = Rule(id="DCATAP-112", name="x", title="A dataset has a description", severity=Severity.ERROR,
                kind="shacl", check={}, message="Add a dct:description to dataset {focus}.")
    text = FULL + '<http://ex/e> a dcat:Dataset ; dcat:keyword "k" .\n'
    findings = [Finding("DCATAP-112", Severity.ERROR, "cat.ttl", "http://ex/x", "m"),
                Finding("DCATAP-112", Severity.WARNING, "cat.ttl", "http://ex/e", "m"),
                Finding("DCATAP-112", Severity.ERROR, "cat.ttl", "http://ex/contact", "m")]
    result = quality.score_catalogue("cat.ttl", graph_of(text), findings, [rule], ctx(lookups))
    cards = {c["dataset"]: c for c in result["scorecards"]}
    # The finding on its distribution and on its contact point (one hop) both count against http://ex/d.
    assert cards["http://ex/d"]["metrics"]["dcatApCompliance"] == 0
    assert (cards["http://ex/d"]["errors"], cards["http://ex/d"]["warnings"]) == (2, 0)
    assert cards["http://ex/e"]["metrics"]["dcatApCompliance"] == 30  # a warning is not a violation
    fix = next(f for f in result["fixes"] if f["id"] == "DCATAP-112")
    assert fix == {"kind": "rule", "id": "DCATAP-112", "title": "A dataset has a description", "severity": "error",
                   "findings": 3, "datasets": 2, "points": 15.0, "fix": "Add a dct:description to dataset."}
    # Worst first.
    assert [c["dataset"] for c in result["scorecards"]] == ["http://ex/e", "http://ex/d"]


def test_a_fix_earns_the_compliance_points_of_the_datasets_where_its_rule_is_the_last_error(lookups: Any) -> None:
    """Errors on a node that datasets share (a concept) count for every one of them, on top of each one's own errors:
    fixing the shared node's rule wins back only the datasets where it is the last error left."""
    from ldt_conform.model import Finding, Rule, Severity

    own = Rule(id="DCATAP-112", name="x", title="A dataset has a description", severity=Severity.ERROR,
               kind="shacl", check={})
    shared = Rule(id="DCATAP-164", name="y", title="A concept has a preferred label", severity=Severity.ERROR,
                  kind="shacl", check={})
    other = Rule(id="DCATAP-120", name="z", title="A dataset has a title", severity=Severity.ERROR, kind="shacl",
                 check={})
    text = PREFIXES + """
    <http://ex/d1> a dcat:Dataset ; dcat:distribution <http://ex/x1> .
    <http://ex/d2> a dcat:Dataset ; dcat:distribution <http://ex/x2> .
    <http://ex/d3> a dcat:Dataset .
    <http://ex/x1> dct:type <http://ex/concept> . <http://ex/x2> dct:type <http://ex/concept> .
    """
    findings = [Finding("DCATAP-112", Severity.ERROR, "cat.ttl", "http://ex/d1", "m"),
                Finding("DCATAP-164", Severity.ERROR, "cat.ttl", "http://ex/concept", "m"),
                Finding("DCATAP-164", Severity.WARNING, "cat.ttl", "http://ex/concept", "w"),
                Finding("DCATAP-112", Severity.ERROR, "cat.ttl", "http://ex/d3", "m"),
                Finding("DCATAP-120", Severity.ERROR, "cat.ttl", "http://ex/d3", "m")]
    result = quality.score_catalogue("cat.ttl", graph_of(text), findings, [own, shared, other], ctx(lookups))
    cards = {c["dataset"]: (c["errors"], c["warnings"], c["metrics"]["dcatApCompliance"]) for c in result["scorecards"]}
    assert cards == {"http://ex/d1": (2, 1, 0), "http://ex/d2": (1, 1, 0), "http://ex/d3": (2, 0, 0)}
    fixes = {f["id"]: (f["findings"], f["datasets"], f["points"]) for f in result["fixes"] if f["kind"] == "rule"}
    # DCATAP-164 is the last error of d2 only (d1 keeps DCATAP-112): 30 points × 1 of 3 datasets. d3 has two rules.
    assert fixes == {"DCATAP-164": (2, 2, 10.0), "DCATAP-112": (2, 2, 0.0), "DCATAP-120": (1, 1, 0.0)}


def test_compliance_not_assessed_without_shacl_verdicts(lookups: Any) -> None:
    context = quality.Context(lookups=lookups, compliant=None, compliance_reason="no rule ran")
    result = score(FULL, context)
    row = next(m for m in result["metrics"] if m["metric"] == "dcatApCompliance")
    assert row == {"metric": "dcatApCompliance", "dimension": "interoperability", "status": "not-assessed",
                   "max": 30, "reason": "no rule ran"}
    assert result["max"] == 295 and result["score"] == 295


def test_lookups_unavailable_are_not_assessed() -> None:
    result = score(FULL, ctx({name: None for name in quality.table().artefacts}))
    assert {m["metric"] for m in result["metrics"] if m.get("status") == "not-assessed"} == {
        *LINK_METRICS, *LOOKUP_METRICS}
    assert result["max"] == 285 and result["score"] == 285


def test_lookups_come_from_the_pinned_artefacts(lookups: Any) -> None:
    nonprop, machine = lookups["edp-non-proprietary-format"], lookups["edp-machine-readable-format"]
    ft = "http://publications.europa.eu/resource/authority/file-type/"
    assert len(nonprop) == 29 and len(machine) == 20
    assert ft + "CSV" in nonprop and ft + "XLSX" in machine and ft + "XLSX" not in nonprop


def test_no_dataset_is_not_assessed(lookups: Any) -> None:
    result = score(PREFIXES + '<http://ex/c> a dcat:Catalog ; dct:title "C" .', ctx(lookups))
    assert result == {"target": "cat.ttl", "datasets": 0, "band": "not-assessed",
                      "reason": "the catalogue has no dcat:Dataset to score"}


# --- links --------------------------------------------------------------------------------------------------------

class _Handler(BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        routes = {"/ok": (200, {}), "/missing": (404, {}), "/moved": (302, {"Location": "/ok"}),
                  "/away": (302, {"Location": "http://elsewhere.invalid/x"}), "/broken": (500, {})}
        if self.path == "/slow":
            time.sleep(4)  # twice the statuses test's timeout: only this one times out, even on a loaded machine
        status, headers = routes.get(self.path, (200, {}))
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_link_check_statuses(server: str) -> None:
    urls = [f"{server}/{p}" for p in ("ok", "missing", "moved", "away", "broken", "slow")] + ["ftp://x/y"]
    # 2 s: a fresh-clone run beside another one timed out /away at 0.5 s (a 302 answered at once, when idle)
    result = links.check(urls, timeout=2, budget=30, concurrency=4)
    assert result == {f"{server}/ok": True, f"{server}/missing": False, f"{server}/moved": True,
                      f"{server}/away": True, f"{server}/broken": False, f"{server}/slow": False, "ftp://x/y": False}


def test_link_check_budget_spent_is_unknown(server: str) -> None:
    result = links.check([f"{server}/slow", f"{server}/slow?2"], timeout=5, budget=0.3, concurrency=1)
    assert set(result.values()) == {None}


def test_link_metrics_with_check_links(lookups: Any, server: str) -> None:
    text = FULL.replace("<http://ex/a>", f"<{server}/ok>").replace("<http://ex/f.csv>", f"<{server}/missing>")
    checked = links.check(quality.link_urls(graph_of(text)), timeout=2, budget=30)
    result = score(text, ctx(lookups, links=checked))
    card = result["scorecards"][0]["metrics"]
    assert (card["accessUrlStatusCode"], card["downloadUrlStatusCode"]) == (50, 0)
    assert result["max"] == 405 and result["score"] == 375 and result["band"] == "excellent"
    unknown = score(text, ctx(lookups, links={f"{server}/ok": None, f"{server}/missing": False}))
    row = next(m for m in unknown["metrics"] if m["metric"] == "accessUrlStatusCode")
    assert row["status"] == "not-assessed" and "time budget" in row["reason"]


@pytest.mark.corpus  # the EDP format lists (pinned artefacts) come from the corpus seed
def test_cli_check_links(tmp_path: Path, server: str) -> None:
    target = tmp_path / "cat.ttl"
    target.write_text(FULL.replace("<http://ex/a>", f"<{server}/ok>").replace("<http://ex/f.csv>", f"<{server}/ok>"))
    offline = json.loads(run_cli(["check", str(target), "--format", "json"], expect=None).stdout)
    assert offline["quality"]["check_links"] is False
    assert offline["quality"]["catalogues"][0]["max"] == 325
    online = json.loads(run_cli(["check", str(target), "--format", "json", "--check-links"], expect=None).stdout)
    cat = online["quality"]["catalogues"][0]
    assert online["quality"]["check_links"] is True and cat["max"] == 405
    card = cat["scorecards"][0]["metrics"]
    assert (card["accessUrlStatusCode"], card["downloadUrlStatusCode"]) == (50, 30)


# --- how readers see it -------------------------------------------------------------------------------------------

def _many(tmp_path: Path, n: int) -> Path:
    """n datasets; the even datasets have a keyword, none has a theme."""
    body = "".join(f'<http://ex/d{i:02d}> a dcat:Dataset ; dct:title "D{i:02d}"@en ; dct:description "x"@en'
                   + (' ; dcat:keyword "k"' if i % 2 == 0 else "") + " .\n" for i in range(n))
    path = tmp_path / "many.ttl"
    path.write_text(PREFIXES + body)
    return path


@pytest.mark.corpus  # the EDP format lists (pinned artefacts) come from the corpus seed
def test_text_report_starts_with_the_score_and_the_fixes(tmp_path: Path) -> None:
    out = run_cli(["check", str(_many(tmp_path, 4)), "--profile", "dcat-ap-3-core"], expect=None).stdout
    lines = out.splitlines()
    assert lines[0] == f"Quality score (data.europa.eu MQA, computed offline): {tmp_path / 'many.ttl'}"
    assert lines[1] == "  score 45 of 325 assessed points (56.08 scaled to 405) · band: bad · 4 datasets"
    assert lines[3] == "  The fixes that matter most:"
    assert lines[4].startswith("    1. +30 pts  categoryAvailability  (4 datasets)  Add at least one dcat:theme")
    worst = lines.index("  Datasets, worst first:")
    assert [line.split()[-1] for line in lines[worst + 1:worst + 5]] == [
        "<http://ex/d01>", "<http://ex/d03>", "<http://ex/d00>", "<http://ex/d02>"]


@pytest.mark.corpus  # the EDP format lists (pinned artefacts) come from the corpus seed
def test_markdown_html_and_pdf_carry_the_scorecards(tmp_path: Path) -> None:
    from ldt_conform import api
    from ldt_conform.render import quality as view

    report = api.check_files([str(_many(tmp_path, 25))], profile="dcat-ap-3-core")
    md = view.markdown(report)
    assert ("| 1 | 30 | `categoryAvailability` | 0 | 25 | Add at least one dcat:theme (a data theme) to the dataset. |"
            in md)
    assert "| 37.38 | bad | 0 | 0 | D01 `http://ex/d01` |" in md and "+15 more" in md
    screen = view.html(report)
    assert screen.count("<tr><td>") == 5 + 25 and 'id="scorecards"' in screen and "<script>" in screen
    printed = view.html(report, print_mode=True)
    assert printed.count("<tr><td>") == 5 + 20 and "+5 more" in printed and "<script>" not in printed
    french = view.markdown(report, "fr")
    assert "Les corrections qui comptent le plus" in french and "| 37,38 | insuffisant |" in french


@pytest.mark.corpus  # the EDP format lists (pinned artefacts) come from the corpus seed
def test_diff_and_baseline_show_the_score_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    cat = tmp_path / "cat.ttl"
    cat.write_text(FULL.replace('dcat:keyword "k" ;', ""))
    run_cli(["check", "cat.ttl", "--format", "json", "-o", "old.json"], expect=None)
    run_cli(["baseline", "cat.ttl", "-o", "old-base.json"], expect=None)
    base = json.loads((tmp_path / "old-base.json").read_text())
    assert base["quality"]["catalogues"] == [{
        "target": "cat.ttl", "datasets": 1, "score": 295, "max": 325, "scaled": 367.62, "band": "excellent",
        "dimensions": {"findability": {"score": 70, "max": 100}, "accessibility": {"score": 20, "max": 20},
                       "interoperability": {"score": 110, "max": 110}, "reusability": {"score": 75, "max": 75},
                       "contextuality": {"score": 20, "max": 20}}}]
    cat.write_text(FULL)
    run_cli(["check", "cat.ttl", "--format", "json", "-o", "new.json"], expect=None)
    for old in ("old.json", "old-base.json"):
        result = json.loads(run_cli(["diff", old, "new.json", "--format", "json"]).stdout)
        assert result["quality"] == [{"target": "cat.ttl", "old": {"score": 295, "max": 325, "scaled": 367.62,
                                                                    "band": "excellent"},
                                      "new": {"score": 325, "max": 325, "scaled": 405, "band": "excellent"},
                                      "change": 37.38}]
    text = run_cli(["diff", "old.json", "new.json"]).stdout
    assert "quality score (scaled to 405): cat.ttl: 367.62 (excellent) → 405 (excellent), +37.38" in text.splitlines()


def test_findings_on_blank_nodes_reach_their_dataset(lookups: Any) -> None:
    """Findings carry canonical blank-node labels (bnodes.py); the score maps them back to the store's nodes."""
    from ldt_conform.bnodes import canonical_labels
    from ldt_conform.model import Finding, Severity

    text = (PREFIXES + '<http://ex/d> a dcat:Dataset ; dcat:keyword "k" ; '
            'dct:temporal [ dcat:startDate "2021-13-45"^^xsd:date ] .\n'
            '[] a dcat:Dataset ; dct:title "Blank"@en ; dcat:distribution [ dct:format "CSV" ] .\n'
            '<http://ex/e> a dcat:Dataset ; dct:publisher [ a <http://xmlns.com/foaf/0.1/Agent> ], '
            '[ a <http://xmlns.com/foaf/0.1/Agent> ] .\n')
    graph = graph_of(text)
    temporal = next(q.object for q in graph.store.quads_for_pattern(
        None, ox.NamedNode("http://purl.org/dc/terms/temporal"), None, None))
    blank_ds = next(k for k in graph.datasets if k.startswith("_:"))
    dist = graph.dists[blank_ds][0]
    labels = canonical_labels(graph.store, {temporal.value, blank_ds[2:], dist[2:]})
    start = "http://www.w3.org/ns/dcat#startDate"
    fmt = "http://purl.org/dc/terms/format"
    agents = [q.object.value for q in graph.store.quads_for_pattern(
        None, ox.NamedNode("http://purl.org/dc/terms/publisher"), None, None)]
    # Two identical blank agents: labelled together they are "-0" and "-1", alone they have no suffix; which one the
    # engine labelled alone can't be told apart, and either names both (they say the same).
    agent_label = canonical_labels(graph.store, {agents[0]})[agents[0]]
    assert "-" not in agent_label and canonical_labels(graph.store, set(agents))[agents[0]].endswith(("-0", "-1"))
    findings = [Finding("R-1", Severity.ERROR, "cat.ttl", labels[temporal.value], "m", path=start),
                Finding("R-2", Severity.WARNING, "cat.ttl", labels[dist[2:]], "m", path=fmt),
                Finding("R-3", Severity.WARNING, "cat.ttl", agent_label, "m",
                        path="http://xmlns.com/foaf/0.1/name")]
    result = quality.score_catalogue("cat.ttl", graph, findings, [], ctx(lookups))
    cards = {c["dataset"]: c for c in result["scorecards"]}
    assert set(cards) == {"http://ex/d", "http://ex/e", labels[blank_ds[2:]]}
    # The missing-name finding's focus has no foaf:name edge: it is found all the same.
    assert cards["http://ex/e"]["warnings"] == 1
    assert (cards["http://ex/d"]["errors"], cards["http://ex/d"]["metrics"]["dcatApCompliance"]) == (1, 0)
    blank = cards[labels[blank_ds[2:]]]
    assert (blank["title"], blank["warnings"], blank["metrics"]["dcatApCompliance"]) == ("Blank", 1, 30)


@pytest.mark.corpus  # the corpus catalogues and the EDP format lists come from ../shared/corpus
@pytest.mark.parametrize("source", ["dcat/dcat-ap-ch/catalog.ttl", "dcat/ckanext-dcat/catalog.rdf",
                                    "dcat/semic-dcat-ap/example-ms_catalogue.ttl", "generated"])
def test_scores_reusing_the_engine_labels_equal_the_scores_from_scratch(source: str, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The run hands the score the blank-node labels the engine computed (the fast path); scoring the same report
    again on freshly loaded targets (no labels: every blank node near a dataset is hashed) must give the same
    per-dataset scores, errors and warnings."""
    import subprocess
    import sys

    from ldt_conform import api
    from ldt_conform import load as loader

    if source == "generated":  # blank licences (a 5% defect) put findings on blank nodes
        path = tmp_path / "generated.ttl"
        subprocess.run([sys.executable, str(Path(__file__).parents[1] / "benchmarks" / "generate_catalogue.py"),
                        "300", str(path)], check=True)
    else:
        path = corpus_path(*source.split("/"))
    seed = corpus_path("mqa", "edp-vocabularies", "edp-machine-readable-format.rdf").parent
    monkeypatch.setenv("LDT_CONFORM_SEED", str(seed))
    report = api.check([str(path)], api.CheckOptions(profile="dcat-ap-3", offline=True))
    fresh = quality.attach(report, loader.open_targets([str(path)]),
                           artefacts=ArtefactStore(seed_dirs=[seed], offline=True, use_cache=False))
    assert fresh.quality == report.quality
    assert report.quality["catalogues"][0]["datasets"] > 0
    if source in ("generated", "dcat/ckanext-dcat/catalog.rdf"):  # the comparison covers findings on blank nodes
        assert any(f.focus.startswith("_:") for f in report.findings)


# --- the same scores as the first implementation -------------------------------------------------------------------

SPARQL_SCORES = Path(__file__).parent / "fixtures" / "quality_sparql_scores.json"


@pytest.mark.corpus  # the corpus catalogues and the EDP format lists come from ../shared/corpus
@pytest.mark.parametrize("read_ahead", [False, True], ids=["read-here", "read-ahead"])
@pytest.mark.parametrize("source", list(json.loads(SPARQL_SCORES.read_text(encoding="utf-8"))))
def test_scores_equal_those_of_the_sparql_implementation(source: str, read_ahead: bool, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Every dataset's score, errors and warnings, the metric means and a digest of all scorecards, as the first
    implementation computed them (one SPARQL query of per-dataset EXISTS tests, commit 8916f3b, written out with
    benchmarks/compare_quality.py): the scans and set operations that replaced it must give the same, whether the
    graph is read in this process or by the forked child during the rules (quality_fork.py, forced for every size)."""
    import hashlib
    import subprocess
    import sys

    from ldt_conform import api, quality_fork

    expected = json.loads(SPARQL_SCORES.read_text(encoding="utf-8"))[source]
    if source.startswith("generated"):
        path = tmp_path / "generated.ttl"
        subprocess.run([sys.executable, str(Path(__file__).parents[1] / "benchmarks" / "generate_catalogue.py"),
                        source.split()[1], str(path)], check=True)
    else:
        path = corpus_path(*source.split("/"))
    # The whole corpus as seed: the EDP format lists, and the JSON-LD context of the SEMIC example.
    seed = corpus_path("mqa", "edp-vocabularies", "edp-machine-readable-format.rdf").parents[2]
    monkeypatch.setenv("LDT_CONFORM_SEED", str(seed))
    monkeypatch.setattr(quality_fork, "MIN_TRIPLES", 0 if read_ahead else 10**12)
    delivered: list[bool] = []
    real = quality_fork.Pending.graph

    def spy(self: quality_fork.Pending, target: Any) -> Any:
        got = real(self, target)
        delivered.append(got is not None)
        return got

    monkeypatch.setattr(quality_fork.Pending, "graph", spy)
    report = api.check([str(path)], api.CheckOptions(profile=expected["profile"], offline=True))
    assert delivered == ([True] if read_ahead else [])  # the child's reading was used, or there was no child
    cat = report.quality["catalogues"][0]
    assert {c["dataset"]: [c["score"], c["errors"], c["warnings"]] for c in cat["scorecards"]} == expected["datasets"]
    assert {m["metric"]: m.get("score", m.get("status")) for m in cat["metrics"]} == expected["metrics"]
    assert (cat["score"], cat["max"], cat["scaled"], cat["band"]) == (
        expected["score"], expected["max"], expected["scaled"], expected["band"])
    digest = hashlib.sha256(json.dumps(cat["scorecards"], sort_keys=True).encode()).hexdigest()
    assert digest == expected["scorecards_sha256"]


def _store(text: str, fmt: ox.RdfFormat = ox.RdfFormat.TURTLE, lenient: bool = False) -> ox.Store:
    store = ox.Store()
    store.load(text.encode(), format=fmt, lenient=lenient)
    return store


def test_iris_with_spaces_are_read_row_by_row(lookups: Any) -> None:
    """The store joins node names with spaces (quality_graph._concat); an IRI holding one (read leniently) must not
    split into two names: the scans fall back to rows and the dataset scores as before."""
    expected = score(FULL, ctx(lookups))["scorecards"][0]
    text = FULL.replace("<http://ex/x>", "<http://ex/x y>").replace("<http://ex/d>", "<http://ex/d e>")
    graph = quality.index(_store(text, lenient=True))
    assert graph.dists == {"http://ex/d e": ["http://ex/x y"]}
    card = quality.score_catalogue("cat.ttl", graph, [], [], ctx(lookups))["scorecards"][0]
    assert card == {**expected, "dataset": "http://ex/d e"} and card["score"] == 325


def test_findings_on_shared_nodes_reach_every_dataset_that_points_at_them() -> None:
    """owners(): a node that distributions share counts for each of their datasets, also when a pointer's IRI holds a
    space (read leniently: the joined string can't be split, the rows are read); equal owner lists are one object,
    which the score's per-list sums rely on."""
    from ldt_conform import quality_graph as qg

    text = PREFIXES + """
    <http://ex/d e> a dcat:Dataset ; dcat:distribution <http://ex/x y> .
    <http://ex/d2> a dcat:Dataset ; dcat:distribution <http://ex/x2> .
    <http://ex/d3> a dcat:Dataset ; dct:license <http://ex/lic> .
    <http://ex/x y> dct:license <http://ex/lic> ; dct:format <http://ex/fmt> .
    <http://ex/x2> dct:license <http://ex/lic> ; dct:format <http://ex/fmt> ; dct:publisher <http://ex/pub> .
    <http://ex/other> dct:format <http://ex/alone> .
    """
    graph = quality.index(_store(text, lenient=True))
    owned = qg.owners(graph, ["http://ex/lic", "http://ex/fmt", "http://ex/pub", "http://ex/alone", "http://ex/d2"])
    assert owned == {"http://ex/lic": ["http://ex/d e", "http://ex/d2", "http://ex/d3"],
                     "http://ex/fmt": ["http://ex/d e", "http://ex/d2"], "http://ex/pub": ["http://ex/d2"],
                     "http://ex/d2": ["http://ex/d2"]}
    same = qg.owners(graph, ["http://ex/fmt", "http://ex/x y"])
    assert same["http://ex/x y"] == ["http://ex/d e"]
    text2 = text.replace("x y", "x1").replace("d e", "d1") + "<http://ex/x1> dct:type <http://ex/twin> .\n" + \
        "<http://ex/x2> dct:type <http://ex/twin> .\n"
    pair = qg.owners(quality.index(_store(text2)), ["http://ex/fmt", "http://ex/twin"])
    assert pair["http://ex/fmt"] == pair["http://ex/twin"] == ["http://ex/d1", "http://ex/d2"]
    assert pair["http://ex/fmt"] is pair["http://ex/twin"]


def test_a_score_that_releases_the_index_gives_the_same_score_and_refuses_a_second(lookups: Any) -> None:
    """attach scores each graph once and lets it drop its distribution index before the scorecards; the score is
    the one kept graph's, and scoring the released graph again is an error, not a score without distributions."""
    text = FULL + FULL.replace("http://ex/d", "http://ex/e").replace("http://ex/x", "http://ex/y")[len(PREFIXES):]
    kept = graph_of(text)
    expected = quality.score_catalogue("cat.ttl", kept, [], [], ctx(lookups))
    assert quality.score_catalogue("cat.ttl", kept, [], [], ctx(lookups)) == expected  # not released: reusable
    released = graph_of(text)
    assert quality.score_catalogue("cat.ttl", released, [], [], ctx(lookups), release=True) == expected
    assert released.released is True and released.dist_row == {} and released.dist_also == {}
    assert kept.released is False and kept.dist_row == {"http://ex/x": 0, "http://ex/y": 1}
    assert expected["scorecards"][0]["score"] == 325 and len(expected["scorecards"]) == 2
    with pytest.raises(ValueError, match="released by an earlier score"):
        quality.score_catalogue("cat.ttl", released, [], [], ctx(lookups))


def test_scorecards_are_worst_first_by_scaled_score_errors_warnings_then_name() -> None:
    """Each key decides only among cards equal on the keys before it; a card with no scaled score comes last."""
    def card(name: str, scaled: float | None, errors: int, warnings: int) -> dict[str, Any]:
        return {"dataset": name, "scaled": scaled, "errors": errors, "warnings": warnings}

    cards = [card("z-none", None, 9, 9), card("b-low", 10.0, 0, 0), card("c-high", 300.0, 50, 50),
             card("d-tie", 100.0, 1, 5), card("a-tie", 100.0, 1, 5), card("e-more-warnings", 100.0, 1, 6),
             card("f-more-errors", 100.0, 2, 0), card("a-none", None, 0, 0)]
    quality.worst_first(cards)
    assert [c["dataset"] for c in cards] == ["b-low", "f-more-errors", "e-more-warnings", "a-tie", "d-tie",
                                             "c-high", "z-none", "a-none"]


def test_a_distribution_that_datasets_share_counts_for_each_of_them() -> None:
    """A distribution is kept as the position of its first dataset, the others aside (quality_graph.Graph.dist_also):
    the owners of the shared distribution, of a node only it points at, and the passing counts per dataset, on both
    sides of passing_dists' walk (few failing, few passing), must still reach every dataset that has it."""
    from ldt_conform import quality_graph as qg

    text = PREFIXES + """
    <http://ex/d1> a dcat:Dataset ; dcat:distribution <http://ex/shared>, <http://ex/own1> .
    <http://ex/d2> a dcat:Dataset ; dcat:distribution <http://ex/shared> .
    <http://ex/d3> a dcat:Dataset ; dcat:distribution <http://ex/shared>, <http://ex/own3a>, <http://ex/own3b> .
    <http://ex/shared> dct:format <http://ex/fmt> .
    """
    graph = quality.index(_store(text))
    assert graph.datasets == ["http://ex/d1", "http://ex/d2", "http://ex/d3"]
    assert graph.dist_row["http://ex/shared"] in (0, 1, 2)
    assert sorted(graph.rows_of("http://ex/shared")) == [0, 1, 2]
    assert graph.dist_also.keys() == {"http://ex/shared"}
    assert graph.dist_count == [2, 1, 3]
    assert {ds: sorted(xs) for ds, xs in graph.dists.items()} == {
        "http://ex/d1": ["http://ex/own1", "http://ex/shared"], "http://ex/d2": ["http://ex/shared"],
        "http://ex/d3": ["http://ex/own3a", "http://ex/own3b", "http://ex/shared"]}
    everyone = ["http://ex/d1", "http://ex/d2", "http://ex/d3"]
    owned = qg.owners(graph, ["http://ex/shared", "http://ex/fmt", "http://ex/own3a"])
    assert owned == {"http://ex/shared": everyone, "http://ex/fmt": everyone, "http://ex/own3a": ["http://ex/d3"]}
    nodes = graph.dist_count
    # One of five fails (the walk over the failing ones), then four of five fail (the walk over the passing ones).
    passing_all_but_own1 = {"http://ex/shared", "http://ex/own3a", "http://ex/own3b"}
    assert qg.passing_dists(graph, passing_all_but_own1, nodes) == [1, 1, 3]
    assert qg.passing_dists(graph, {"http://ex/own1", "http://ex/own3a", "http://ex/own3b"}, nodes) == [1, 0, 2]
    assert qg.passing_dists(graph, {"http://ex/shared"}, nodes) == [1, 1, 1]
    assert qg.passing_dists(graph, {"http://ex/own3b"}, nodes) == [0, 0, 1]
    assert qg.passing_dists(graph, set(), nodes) == [0, 0, 0]
    assert nodes == [2, 1, 3]  # not changed in place


def test_named_graphs_are_scored_as_one_catalogue(lookups: Any) -> None:
    """Dataset and distribution in different named graphs (TriG): the union is scored, as in the default graph."""
    expected = score(FULL, ctx(lookups))["scorecards"][0]
    dataset, rest = FULL[len(PREFIXES):].split("<http://ex/x> a dcat:Distribution", 1)
    trig = PREFIXES + f"<http://ex/g1> {{ {dataset} }}\n<http://ex/g2> {{ <http://ex/x> a dcat:Distribution {rest} }}"
    graph = quality.index(_store(trig, ox.RdfFormat.TRIG))
    assert graph.union is True and graph.dists == {"http://ex/d": ["http://ex/x"]}
    assert quality.score_catalogue("cat.ttl", graph, [], [], ctx(lookups))["scorecards"][0] == expected


def test_no_distribution_and_failing_distributions_get_their_own_cards(lookups: Any) -> None:
    """Scorecards are worked out once per distinct metric inputs: a dataset without distributions (0 on distribution
    metrics, decision 2) and one whose only distribution has nothing (−5 on the format and media type metrics) share
    every pass count, so the distribution counts must be part of the inputs."""
    text = PREFIXES + """<http://ex/a> a dcat:Dataset ; dct:title "A" .
<http://ex/b> a dcat:Dataset ; dct:title "B" ; dcat:distribution <http://ex/x> .
<http://ex/x> a dcat:Distribution ."""
    cards = {c["dataset"]: c for c in score(text, ctx(lookups))["scorecards"]}
    empty, failing = cards["http://ex/a"]["metrics"], cards["http://ex/b"]["metrics"]
    assert (empty["formatAvailability"], empty["mediaTypeAvailability"], empty["licenceAvailability"]) == (0, 0, 0)
    assert type(empty["licenceAvailability"]) is int and type(failing["licenceAvailability"]) is float
    assert (failing["formatAvailability"], failing["mediaTypeAvailability"]) == (-5.0, -5.0)
    assert (cards["http://ex/a"]["score"], cards["http://ex/b"]["score"]) == (30, 20)
