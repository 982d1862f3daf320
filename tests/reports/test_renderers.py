"""Renderers on hand-built reports (MIM levels set by hand): goldens, languages, limits, escaping, scale."""
from __future__ import annotations

import json
import re
import time
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

import factory
import goldens
from corpus import missing
from conftest import REPO, corpus_path
from ldt_conform.model import Finding, Severity
from ldt_conform.render import RENDERERS, render
from ldt_conform.render.labels import LABELS, LANGUAGES
from support import pdf_ready  # noqa: F401 - fixture

GOLDEN = Path(__file__).with_name("golden")
TEXT_FORMATS = [f for f in RENDERERS if f != "pdf"]


def normalise(text: str) -> str:
    """Golden files ignore run times (and the duration derived from them), the working directory and the inlined
    CSS/JS assets."""
    # The HTML's inline stylesheet and script are assets with their own files; the goldens hold the page around them.
    text = re.sub(r"<style>.*?</style>", "<style>(report.css)</style>", text, flags=re.S)
    text = re.sub(r"<script>.*?</script>", "<script>(report.js)</script>", text, flags=re.S)
    text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?", "<TIME>", text)
    text = text.replace(Path.cwd().resolve().as_uri().rstrip("/") + "/", "<CWD>/")
    return re.sub(r'(time="|dct:extent ")[0-9.PTS]+', r"\1<DURATION>", text)


# The terminal report (render/text.py) has its goldens in test_text_exact.py, rendered wide enough that rich never
# wraps a line (the width here would make them depend on rich's wrapping).
@pytest.mark.parametrize("fmt", [f for f in TEXT_FORMATS if f != "text"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_golden(fmt: str, lang: str) -> None:
    """LDT_CONFORM_REGEN_GOLDEN=1 rewrites the goldens after a deliberate change; then review the diff."""
    out = render(fmt, factory.report(baseline=lang == "fr"), lang=lang)
    assert isinstance(out, str)
    goldens.check(GOLDEN / f"report.{lang}.{fmt}", normalise(out))


def test_output_is_deterministic() -> None:
    for fmt in TEXT_FORMATS:
        assert render(fmt, factory.report(300)) == render(fmt, factory.report(300)), fmt


def test_every_label_is_translated() -> None:
    assert set(LABELS["fr"]) == set(LABELS["en"])
    for key, value in LABELS["en"].items():
        assert set(re.findall(r"{\w+}", value)) == set(re.findall(r"{\w+}", LABELS["fr"][key])), key


@pytest.mark.parametrize("fmt, english, french", [
    ("html", "Conformance report", "Rapport de conformité"),
    ("markdown", "Top findings", "Principaux constats"),
    ("junit", "A dataset has a title", "Un jeu de données a un titre"),
    ("earl", "A dataset has a title", "Un jeu de données a un titre"),
    ("sarif", "A dataset has a title", "Un jeu de données a un titre"),
    ("text", "DOES NOT CONFORM", "NON CONFORME"),
])
def test_french_labels_and_rule_titles(fmt: str, english: str, french: str) -> None:
    report = factory.report()
    fr = render(fmt, report, lang="fr")
    en = render(fmt, report, lang="en")
    assert french in fr and french not in en and english in en  # type: ignore[operator]


def test_json_report_with_mims_and_baseline_is_valid() -> None:
    schema = json.loads((REPO / "ldt_conform" / "schemas" / "report.schema.json").read_text())
    data = json.loads(render("json", factory.report(20, baseline=True)))  # type: ignore[arg-type]
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
    assert [m["label"] for m in data["mims"]] == ["MIM0", "MIM1", "MIM2", "MIM7"]


def test_sarif_valid_capped_and_fingerprints_independent_of_language_and_message() -> None:
    schema_path = corpus_path("schemas", "sarif-schema-2.1.0.json")
    from ldt_conform.render.sarif import to_sarif

    report = factory.report(200, baseline=True)
    sarif = to_sarif(report, "en", max_results=50)
    jsonschema.Draft4Validator(json.loads(schema_path.read_text())).validate(sarif)
    run = sarif["runs"][0]
    assert len(run["results"]) == 50 and run["properties"]["summary"]["omittedFindings"] == len(report.findings) - 50
    assert "are not listed" in run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
    assert {r["level"] for r in run["results"]} == {"error"}, "the worst findings are kept"
    assert {r["baselineState"] for r in run["results"]} == {"new", "unchanged"}
    assert [m["label"] for m in run["properties"]["mims"]] == ["MIM0", "MIM1", "MIM2", "MIM7"]
    reworded = replace(report, findings=tuple(replace(f, message="reworded", severity=Severity.INFO)
                                              for f in report.findings))

    def prints(r: object, lang: str) -> list[str]:
        return [x["partialFingerprints"]["ldtConformFinding/v1"] for x in to_sarif(r, lang)["runs"][0]["results"]]  # type: ignore[arg-type]

    assert sorted(prints(report, "en")) == sorted(prints(reworded, "fr"))


def _many_rules(n_findings: int, n_rules: int) -> object:
    report = factory.report()
    rules = tuple(factory.rule(f"TP-{600 + i}", f"generated-rule-{i}", f"Generated rule {i} holds")
                  for i in range(n_rules))
    findings = tuple(Finding(f"TP-{600 + i % n_rules}", Severity.ERROR, "big.ttl", f"http://ex.org/d/{i}",
                             f"Dataset {i} has a problem that needs a long enough explanation to fill the comment",
                             path="http://purl.org/dc/terms/title") for i in range(n_findings))
    return replace(report, rules=report.rules + rules, findings=report.findings + findings)


def test_markdown_stays_under_the_comment_limit_and_says_what_it_left_out() -> None:
    report = _many_rules(50_000, 400)
    text = render("markdown", report)
    assert isinstance(text, str) and len(text) < 65_000
    assert "Left out to stay within the comment size limit" in text
    hidden = re.search(r"(\d+) more failing rules \((\d+) findings\) are not listed", text)
    assert hidden and int(hidden.group(1)) > 100 and int(hidden.group(2)) > 10_000
    assert "MIM levels" in text and "<details><summary>Provenance</summary>" in text, "the head and tail survive"
    shown = len(re.findall(r"^#### ", text, re.M))
    assert shown + int(hidden.group(1)) == len({f.rule for f in report.findings})  # type: ignore[attr-defined]


def test_markdown_escapes_markup_in_findings() -> None:
    text = render("markdown", factory.report())
    assert "<b>" not in text and "&lt;b&gt;" in text
    assert "\\| pipe" in text


def test_html_with_50k_findings_is_small_and_aggregated() -> None:
    report = factory.report(50_000)
    start = time.perf_counter()
    html = render("html", report)
    elapsed = time.perf_counter() - start
    assert isinstance(html, str)
    size = len(html.encode())
    blob = re.search(r'<script type="application/json" id="findings-data">(.*?)</script>', html, re.S)
    assert blob
    static = size - len(blob.group(1).encode())
    data = json.loads(blob.group(1))
    assert len(data["f"]) == len(report.findings)
    print(f"\nhtml 50k: {size / 1e6:.1f} MB total, {static / 1e3:.0f} kB static, rendered in {elapsed:.2f} s")
    assert size < 12_000_000, "50k findings must stay a file a browser opens quickly"
    assert static < 300_000, "the static page holds aggregates only, never one element per finding"
    assert html.count("<tr") < 2_000
    assert "</script" not in blob.group(1) and "<!--" not in blob.group(1)


def test_html_escapes_findings_and_refuses_script_urls() -> None:
    report = factory.report()
    evil = replace(report.rules[0], refs=(replace(report.rules[0].refs[0], url="javascript:alert(1)"),)) \
        if report.rules else None
    assert evil is not None
    report = replace(report, findings=report.findings + (Finding(
        evil.id, Severity.ERROR, factory.CAT, "http://x/</script><script>alert(1)</script>", "<img src=x>"),),
                     rules=(evil, *report.rules[1:]))
    html = render("html", report)
    assert "javascript:alert" not in html  # type: ignore[operator]
    assert "<img src=x>" not in html and "</script><script>alert" not in html  # type: ignore[operator]


def test_shacl_report_parses_back_with_paths_values_and_escapes() -> None:
    graph = Graph().parse(data=render("shacl", factory.report()), format="turtle")
    assert len(list(graph.subjects(RDF.type, SH.ValidationResult))) == len(factory.report().findings)
    bnode = next(r for r in graph.subjects(RDF.type, SH.ValidationResult)
                 if "pipe" in str(graph.value(r, SH.resultMessage)))
    assert str(graph.value(bnode, SH.resultMessage)) == 'A dataset <b>has</b> no "title" | pipe `tick`'
    seq = graph.value(bnode, SH.resultPath)
    assert [str(x) for x in Collection(graph, seq)] == ["http://www.w3.org/ns/dcat#dataset",
                                                        "http://purl.org/dc/terms/title"]
    theme = next(r for r in graph.subjects(RDF.type, SH.ValidationResult)
                 if graph.value(r, SH.resultSeverity) == SH.Warning)
    alternatives = list(Collection(graph, graph.value(graph.value(theme, SH.resultPath), SH.alternativePath)))
    assert graph.value(alternatives[0], SH.inversePath) == URIRef("http://www.w3.org/ns/dcat#dataset")
    assert graph.value(alternatives[1], SH.zeroOrMorePath) == URIRef("http://www.w3.org/ns/dcat#theme")
    access = next(r for r in graph.subjects(RDF.type, SH.ValidationResult)
                  if str(graph.value(r, SH.focusNode)).endswith("dist/9"))
    assert graph.value(access, SH.value) == Literal("http://x.example/a b")
    assert graph.value(access, SH.sourceShape) == URIRef("urn:shape:access")


def test_earl_of_a_report_with_an_error_and_a_skip() -> None:
    earl = Graph().parse(data=render("earl", factory.report()), format="turtle")
    ns = "http://www.w3.org/ns/earl#"
    outcomes = sorted(str(earl.value(earl.value(a, URIRef(ns + "result")), URIRef(ns + "outcome"))).split("#")[1]
                      for a in earl.subjects(RDF.type, URIRef(ns + "Assertion")))
    # the crashed check and the LC-004 note (an artefact not in the store) cannot tell; neither is a failure
    assert outcomes.count("cantTell") == 2 and outcomes.count("inapplicable") == 1
    assert "failed" in outcomes and "passed" in outcomes
    lc004 = [a for a in earl.subjects(RDF.type, URIRef(ns + "Assertion"))
             if str(earl.value(a, URIRef(ns + "test"))).endswith("/LC-004")]
    assert [str(earl.value(earl.value(a, URIRef(ns + "result")), URIRef(ns + "outcome"))) for a in lc004] == [
        ns + "cantTell"]


@pytest.mark.parametrize("fmt", list(RENDERERS))
def test_run_warnings_reach_every_format(fmt: str, request: pytest.FixtureRequest) -> None:
    """A run made with TLS verification off (--insecure) must say so in every report an auditor may read."""
    if fmt == "pdf":
        request.getfixturevalue("pdf_ready")
    report = replace(factory.report(), warnings=("TLS certificate verification was turned off (--insecure)",))
    out = render(fmt, report)
    if isinstance(out, bytes):
        import subprocess
        import shutil
        import tempfile

        if shutil.which("pdftotext") is None:
            missing("pdftotext (poppler-utils) not installed")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(out)
            handle.flush()
            out = subprocess.run(["pdftotext", handle.name, "-"], capture_output=True, text=True,
                                 check=True).stdout.replace("\n", " ")
    assert "TLS certificate verification was turned off" in out


def test_pdf_without_weasyprint_is_a_usage_error_before_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from ldt_conform.errors import UsageError
    from ldt_conform.render import renderer

    from ldt_conform.render import pdf

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # what `import weasyprint` sees when it is not installed
    pdf._problem.cache_clear()
    try:
        with pytest.raises(UsageError, match=r"pip install 'ldt-conform\[pdf\]'"):
            renderer("pdf")
    finally:
        pdf._problem.cache_clear()


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_api_endpoint_provenance_with_probe_time(fmt: str) -> None:
    """Each API endpoint appears with the time it was probed, and the overridden rule IDs are listed."""
    out = render(fmt, factory.report())
    assert isinstance(out, str)
    assert factory.API in out and "2026-01-02T03:04:05Z" in out
    assert "TP-301" in out and "c" * 64 in out


def test_a_conformant_report_in_every_format(pdf_ready: None) -> None:
    """No findings at all: every format still renders, says CONFORMS, and SHACL's sh:conforms is true."""
    from ldt_conform.model import Status

    base = factory.report(mims=False)
    report = replace(base, findings=(), results=tuple(replace(r, status=Status.PASS) for r in base.results))
    assert report.conforms
    for fmt in RENDERERS:
        out = render(fmt, report)
        assert out, fmt
    assert "CONFORMS" in render("markdown", report) and "CONFORMS" in render("html", report)  # type: ignore[operator]
    assert 'id="findings-data"' not in render("html", report)  # type: ignore[operator]
    shacl = Graph().parse(data=render("shacl", report), format="turtle")
    assert {graph_value.toPython() for graph_value in shacl.objects(None, SH.conforms)} == {True}
    assert json.loads(render("sarif", report))["runs"][0]["results"] == []  # type: ignore[arg-type]


def test_declared_mim_evidence_is_shown_as_not_machine_verified() -> None:
    report = factory.report()
    mims = list(report.mims)
    mims[1] = {**mims[1], "evidence": [{"kind": "rulebook", "value": "https://city.example/rulebook.pdf",
                                        "status": "declared, not machine-verified"}]}
    report = replace(report, mims=tuple(mims))
    html = render("html", report)
    assert "https://city.example/rulebook.pdf" in html and "declared, not machine-verified" in html  # type: ignore
    assert "rulebook (declared, not machine-verified)" in render("markdown", report)  # type: ignore[operator]
    assert "déclaré, non vérifié automatiquement" in render("html", report, lang="fr")  # type: ignore[operator]


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "earl", "markdown", "html", "text"])
def test_mim_levels_in_the_formats_that_carry_them(fmt: str) -> None:
    out = render(fmt, factory.report())
    assert isinstance(out, str)
    for label, level in (("MIM0", "full"), ("MIM1", "initial"), ("MIM2", "partial"), ("MIM7", "not")):
        assert label in out and level in out, (fmt, label)


def _with_a_limited_pass() -> object:
    from ldt_conform.model import Result, Status

    base = factory.report()
    note = "not tested: collection <b>roads</b>: numberMatched not verified | the walk stopped at the 2-page cap"
    results = tuple(replace(r, reason=note) if (r.rule, r.target) == ("TP-102", factory.CAT) else r
                    for r in base.results)
    assert [r for r in results if r.reason == note] == [Result("TP-102", factory.CAT, Status.PASS, reason=note)]
    return replace(base, results=results)


def test_a_pass_that_says_what_it_did_not_test_is_shown_in_every_human_format() -> None:
    """JSON, JUnit and EARL carried a pass's note already; the text, Markdown and HTML reports a person reads did
    not, so a limited pass read as a full one there. They list it now, under "Passes with limits"."""
    report = _with_a_limited_pass()
    note = "not tested: collection <b>roads</b>: numberMatched not verified | the walk stopped at the 2-page cap"
    text = render("text", report, lang="en")
    section = text.split("Passes with limits\n", 1)[1].split("\n\n", 1)[0]
    # rich wraps the line at the console's width: joined again, it is the rule, the target and the whole note
    assert " ".join(line.strip() for line in section.splitlines()) == (
        f"These rules passed on what could be tested; each note says what was not. TP-102       {factory.CAT}: {note}")
    markdown = render("markdown", report, lang="fr")
    assert markdown.split("### Réussites avec limites\n\n", 1)[1].split("\n\n", 2)[:2] == [
        "Ces règles sont réussies sur ce qui a pu être vérifié ; chaque remarque dit ce qui ne l'a pas été.",
        r"- `TP-102` catalogues/city.ttl : not tested: collection &lt;b&gt;roads&lt;/b&gt;: numberMatched not verified \| the "
        "walk stopped at the 2-page cap"]
    html = render("html", report, lang="en")
    section = html.split('<section id="limited-passes">', 1)[1].split("</section>", 1)[0]
    assert re.findall(r"<tr><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td><td>(.*?)</td></tr>", section) == [
        ("TP-102", factory.CAT, "not tested: collection &lt;b&gt;roads&lt;/b&gt;: numberMatched not verified | the "
                                "walk stopped at the 2-page cap")]
    # a report whose passes are all whole has no such section
    plain = factory.report()
    assert "Passes with limits" not in render("text", plain) and 'id="limited-passes"' not in render("html", plain)


def test_rules_run_is_one_number_in_text_and_html() -> None:
    """The HTML card showed every enabled rule, the tool's LC rules included (13), beside a scope line of 5 selected
    and a text report of 5 run: one summary, three numbers. Both now count the rules that ran (a rule whose every
    result is not verified did not run)."""
    from ldt_conform.model import Status
    from ldt_conform.render.common import rules_run

    report = factory.report()
    assert rules_run(report) == 5  # TP-101, TP-102 (pass on the catalogue), TP-201, TP-301, TP-401 (error)
    only_skipped = replace(report, results=tuple(r for r in report.results if r.rule != "TP-102" or
                                                 r.status is Status.SKIP))
    assert rules_run(only_skipped) == 4
    for r, n in ((report, "5"), (only_skipped, "4")):
        html = render("html", r, lang="en")
        assert f'<div class="card"><span class="n">{n}</span><span class="l">Rules run</span></div>' in html
        text = render("text", r, lang="en")
        assert re.search(rf"Rules run: {n}  pass", str(text)), text
