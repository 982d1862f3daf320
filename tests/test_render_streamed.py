"""Renderers on a report that lists only some of its findings (check --findings FILE, Report.streamed).

One run of five findings (tests/reports/factory.py), rendered twice: kept in memory (all five listed), and streamed
with the first two listed and the counts of all five. Every total must be the five-finding report's; every list says
once how many findings it does not list and which file holds them all; a rule whose findings are all unlisted
(TP-201, TP-301) is still shown. A streamed report that lists every finding renders exactly as the in-memory one,
except for the JSON report's "streamed" block.
"""
from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDFS, SH

sys.path.insert(0, str(Path(__file__).with_name("reports")))
import factory

from conftest import REPO, corpus_path
from ldt_conform.model import Finding, Report, Severity
from ldt_conform.render import RENDERERS, render
from ldt_conform.render.common import target_iri
from ldt_conform.render.labels import LANGUAGES

LDTC = Namespace("https://w3id.org/ldt-conform/ns#")
DCT = Namespace("http://purl.org/dc/terms/")
FILE = "out/findings.jsonl"
SENTENCE = "2 of 5 findings are listed; all 5 are in out/findings.jsonl."
NONE_LISTED = "0 of 5 findings are listed; all 5 are in out/findings.jsonl."
BY_RULE = {"LC-004": {"info": 1}, "TP-101": {"error": 2}, "TP-201": {"error": 1}, "TP-301": {"warning": 1}}
BY_SEVERITY = {"info": 1, "warning": 1, "error": 3}
TEXT_FORMATS = [f for f in RENDERERS if f != "pdf"]


def per_target(report: Report) -> dict[str, Any]:
    """The counts per input a streamed run records (report_stream.finish), of `report`'s findings."""
    by_target: dict[str, dict[str, dict[str, int]]] = {}
    failing: dict[str, dict[str, int]] = {}
    for f in report.findings:
        by = by_target.setdefault(f.target, {}).setdefault(f.rule, {})
        by[f.severity.value] = by.get(f.severity.value, 0) + 1
        if f.severity.at_least(report.fail_on) and f.baseline != "known":
            failing.setdefault(f.target, {})[f.rule] = failing.get(f.target, {}).get(f.rule, 0) + 1
    return {"by_target": by_target, "failing_by_target": failing}


def streamed(listed: int, **changes: Any) -> dict[str, Any]:
    return {"file": FILE, "format": "jsonl", "total": 5, "listed": listed, "by_severity": dict(BY_SEVERITY),
            "by_rule": {rule: dict(by) for rule, by in BY_RULE.items()}, "failing": 3, **per_target(factory.report()),
            **changes}


def full() -> Report:
    return factory.report()


def partial(listed: int = 2) -> Report:
    """The same run, streamed: the first `listed` findings in report order, the counts of all five."""
    base = full()
    return replace(base, findings=base.findings[:listed], streamed=streamed(listed))


def all_listed() -> Report:
    return replace(full(), streamed=streamed(5))


def test_the_fixture_is_what_the_tests_say() -> None:
    base, part = full(), partial()
    assert len(base.findings) == 5 and base.counts_by_rule() == BY_RULE and base.counts_by_severity() == BY_SEVERITY
    assert [f.rule for f in part.findings] == ["LC-004", "TP-101"]  # TP-201 and TP-301: every finding unlisted
    assert (part.findings_total, part.findings_unlisted) == (5, 3)
    assert part.counts_by_severity() == base.counts_by_severity() and part.conforms is base.conforms is False


def test_the_sentence_in_every_language_and_its_forms() -> None:
    from ldt_conform.render.common import unlisted_text

    assert unlisted_text(partial()) == SENTENCE
    assert unlisted_text(partial(), "fr") == ("Constats listés : 2 sur 5 ; le fichier out/findings.jsonl les "
                                              "contient tous.")
    assert unlisted_text(partial(), "de") == "Aufgeführte Befunde: 2 von 5; alle 5 stehen in out/findings.jsonl."
    assert unlisted_text(full()) == "" and unlisted_text(all_listed()) == ""
    one = replace(full(), findings=(), streamed=streamed(0, total=1, by_severity={"error": 1},
                                                          by_rule={"TP-101": {"error": 1}}))
    assert unlisted_text(one) == "0 of 1 finding is listed; it is in out/findings.jsonl."
    assert unlisted_text(one, "fr") == "Constats listés : 0 sur 1 ; le fichier out/findings.jsonl le contient."
    assert unlisted_text(one, "de") == "Aufgeführte Befunde: 0 von 1; der Befund steht in out/findings.jsonl."
    finding = full().findings[1]
    big = replace(full(), findings=(finding,) * 12_345,
                  streamed=streamed(12_345, file="findings.jsonl", total=1_200_000))
    assert unlisted_text(big) == "12,345 of 1,200,000 findings are listed; all 1,200,000 are in findings.jsonl."
    assert unlisted_text(big, "fr") == ("Constats listés : 12\u202f345 sur 1\u202f200\u202f000 ; le fichier "
                                        "findings.jsonl les contient tous.")


@pytest.mark.parametrize(("fmt", "print_mode"), [*((f, False) for f in TEXT_FORMATS), ("html", True)])
def test_a_streamed_report_that_lists_every_finding_renders_as_before(fmt: str, print_mode: bool) -> None:
    before = render(fmt, full(), print_mode=print_mode)
    after = render(fmt, all_listed(), print_mode=print_mode)
    if fmt == "json":
        data = json.loads(after)  # type: ignore[arg-type]
        assert data.pop("streamed") == streamed(5)
        assert data == json.loads(before)  # type: ignore[arg-type]
        assert "streamed" not in json.loads(before)  # type: ignore[arg-type]
    else:
        assert after == before


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_format_says_it_once(fmt: str, lang: str) -> None:
    from ldt_conform.render.common import unlisted_text

    text = render(fmt, partial(), lang=lang)
    assert isinstance(text, str)
    said = unlisted_text(partial(), lang)
    if fmt == "json":
        assert said not in text  # the JSON report says it as data: its "streamed" block
        return
    assert text.count(said) == 1, fmt


def test_text() -> None:
    text = render("text", partial())
    assert isinstance(text, str)
    lines = text.splitlines()
    # the summary's counts are of all five, the list is of two, and the line between says where the rest are
    summary = next(i for i, line in enumerate(lines) if line.startswith("3 errors  1 warning  1 info  DOES NOT"))
    assert lines[summary - 1] == SENTENCE
    assert [line for line in render("text", full()).splitlines() if line.startswith("3 errors")] == [lines[summary]]
    headers = [line.rstrip() for line in lines if re.match(r"^(ERROR|WARNING|INFO) +\S+ ", line)]
    assert headers == ["ERROR   TP-101 dataset-title  A dataset has a title  (2)",
                       "ERROR   TP-201 distribution-access-url  A distribution has an access URL  (1)",
                       "WARNING TP-301 dataset-theme  A dataset has a theme  (1)",
                       "INFO    LC-004 not-verifiable-offline  An artefact needed for a check is not available "
                       "offline  (1)"]
    block = text.split("ERROR   TP-201", 1)[1].split("WARNING TP-301", 1)[0]
    assert block.splitlines()[1] == "    +1 more"  # its one finding is not listed: counted, never shown
    assert text.split("ERROR   TP-101", 1)[1].split("ERROR   TP-201", 1)[0].count("    +1 more") == 1


def test_json() -> None:
    data = json.loads(render("json", partial()))  # type: ignore[arg-type]
    before = json.loads(render("json", full()))  # type: ignore[arg-type]
    assert data["streamed"] == streamed(2)
    assert data["summary"] == before["summary"]
    assert data["summary"]["findings"] == BY_SEVERITY and data["summary"]["conforms"] is False
    assert [f["rule"] for f in data["findings"]] == ["LC-004", "TP-101"]
    schema = json.loads((REPO / "ldt_conform" / "schemas" / "report.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    validator.validate(data)
    validator.validate(before)
    wrong = {**data, "streamed": {**data["streamed"], "by_severity": {"fatal": 1}}}
    assert list(validator.iter_errors(wrong)), "the schema describes the streamed block"


def _sarif_schema() -> Any:
    return json.loads(corpus_path("schemas", "sarif-schema-2.1.0.json").read_text())


def test_sarif() -> None:
    from ldt_conform.render.sarif import to_sarif

    sarif = to_sarif(partial())
    jsonschema.Draft4Validator(_sarif_schema()).validate(sarif)
    run = sarif["runs"][0]
    assert [r["ruleId"] for r in run["results"]] == ["LC-004", "TP-101"]
    # The run's own note first, then the rule results that are not findings (test_results_not_findings.py).
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert notes[0] == {"level": "warning", "message": {"text": SENTENCE}}
    assert [n["associatedRule"]["id"] for n in notes[1:]] == ["TP-401", "TP-102"]
    summary = run["properties"]["summary"]
    assert summary == {"findings": BY_SEVERITY, "results": full().counts_by_status(), "omittedFindings": 3,
                       "findingsTotal": 5, "findingsFile": FILE, "findingsFileFormat": "jsonl"}
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} >= set(BY_RULE)
    # GitHub's limit on top: both reasons, in one note, counting what this file lists
    capped = to_sarif(partial(), max_results=1)
    jsonschema.Draft4Validator(_sarif_schema()).validate(capped)
    assert capped["runs"][0]["invocations"][0]["toolExecutionNotifications"][0] == {"level": "warning", "message": {
        "text": "1 of 5 findings are listed; all 5 are in out/findings.jsonl. GitHub code scanning rejects runs "
                "with more than 1 results."}}
    assert capped["runs"][0]["properties"]["summary"]["omittedFindings"] == 4
    # the in-memory report keeps its own note
    kept = to_sarif(full(), max_results=1)["runs"][0]
    assert kept["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"].startswith(
        "4 of 5 findings are not listed: GitHub code scanning rejects runs with more than 1 results.")
    assert "findingsTotal" not in kept["properties"]["summary"]


def _suites(xml: str) -> dict[str, ET.Element]:
    return {s.get("name", ""): s for s in ET.fromstring(xml).iter("testsuite")}


def test_junit() -> None:
    xml = render("junit", partial())
    assert isinstance(xml, str)
    suites = _suites(xml)
    cat = suites[factory.CAT]
    props = {p.get("name"): p.get("value") for p in cat.iter("property")}
    assert (props["findings.total"], props["findings.listed"], props["findings.file"]) == ("5", "2", FILE)
    assert [o.text for o in cat.findall("system-out")] == [SENTENCE]  # on the suite, once
    assert [o.text for s in suites.values() for o in s.findall("system-out")] == [SENTENCE]
    cases = {c.get("name", "").split()[0]: c for c in cat.iter("testcase")}
    failure = cases["TP-201"].find("failure")  # its only finding (an error) is not listed: still a failure
    assert failure is not None and failure.get("message") == f"findings: {FILE}" and failure.get("type") == "error"
    assert cases["TP-301"].find("failure") is None  # a warning, below --fail-on error
    before = ET.fromstring(render("junit", full()))  # type: ignore[arg-type]
    assert ET.fromstring(xml).get("failures") == before.get("failures") == "2"
    assert cat.get("failures") == "2"
    assert "findings.total" not in render("junit", full())  # type: ignore[operator]


def test_junit_validates_against_the_jenkins_xsd(tmp_path: Path) -> None:
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema(str(Path(__file__).parent / "reports" / "junit-jenkins.xsd"))
    for listed in (0, 2):
        path = tmp_path / f"junit-{listed}.xml"
        path.write_text(str(render("junit", partial(listed))), encoding="utf-8")
        schema.validate(str(path))


def test_junit_and_shacl_when_no_finding_is_listed() -> None:
    """A target with failed rules and no listed finding: it has findings, and misses --fail-on."""
    none = partial(0)
    cat = _suites(str(render("junit", none)))[factory.CAT]
    failed = sorted(c.get("name", "").split()[0] for c in cat.iter("testcase") if c.find("failure") is not None)
    assert failed == ["TP-101", "TP-201"]
    assert [o.text for o in cat.findall("system-out")] == [NONE_LISTED]
    graph = Graph().parse(data=str(render("shacl", none)), format="turtle")
    report = next(s for s in graph.subjects(SH.conforms, None)
                  if str(graph.value(s, LDTC.sourceLabel)) == factory.CAT)
    assert graph.value(report, SH.conforms).toPython() is False
    assert graph.value(report, LDTC.conforms).toPython() is False
    assert not list(graph.objects(report, SH.result))
    # nothing failing (a baseline knows every error): --fail-on is met, SHACL still has results
    known = replace(none, streamed={**none.streamed, "failing": 0})
    graph = Graph().parse(data=str(render("shacl", known)), format="turtle")
    report = next(s for s in graph.subjects(SH.conforms, None)
                  if str(graph.value(s, LDTC.sourceLabel)) == factory.CAT)
    assert graph.value(report, SH.conforms).toPython() is False
    assert graph.value(report, LDTC.conforms).toPython() is True
    cat = _suites(str(render("junit", known)))[factory.CAT]
    assert not [c for c in cat.iter("testcase") if c.find("failure") is not None]


def _visible_h2(html: str) -> list[str]:
    return re.findall(r"<h2>([^<]*)</h2>", html)


def test_html() -> None:
    html = str(render("html", partial()))
    before = str(render("html", full()))
    assert "<h2>Findings (5)</h2>" in html and "<h2>Findings (5)</h2>" in before
    assert f'<p class="warning-banner" id="unlisted" role="note">{SENTENCE}</p>' in html
    assert 'id="unlisted"' not in before
    cards = re.compile(r'<div class="cards" id="finding-counts">.*?</div>\s*</div>', re.S)
    assert cards.search(html)[0] == cards.search(before)[0]  # type: ignore[index]
    for rule_id, n in (("TP-101", 2), ("TP-201", 1), ("TP-301", 1), ("LC-004", 1)):
        summary = re.search(rf'<details id="rule-{rule_id}">.*?</summary>', html, re.S)
        assert summary is not None, rule_id
        assert f"({n})" in summary[0], rule_id
    # the search filter offers only rules with listed findings, with the number it will show
    assert re.findall(r'<option value="\d+">([^<]*)</option>', html.split('id="f-rule"', 1)[1].split("</select>")[0]) \
        == ["TP-101 (1)", "LC-004 (1)"]
    assert 'data-rule-filter="1"' not in html and 'data-rule-filter="0"' in html  # TP-201: nothing to search
    # the matrix counts every finding per cell, listed or not (the stream counts them per input)
    cells = re.compile(r'<td class="c-[a-z]+" title="[^"]*">[^<]*</td>')
    assert ">✗ 2</td>" in before
    assert cells.findall(html) == cells.findall(before) != []
    assert _visible_h2(html) == _visible_h2(before)


def test_html_matrix_totals_when_aggregated(monkeypatch: pytest.MonkeyPatch) -> None:
    from ldt_conform.render import html as html_view

    monkeypatch.setattr(html_view, "MAX_MATRIX_CELLS", 0)
    rows = {r["id"]: r["findings"] for r in html_view.context(partial(), "en", False)["matrix_rows"]}
    before = {r["id"]: r["findings"] for r in html_view.context(full(), "en", False)["matrix_rows"]}
    assert rows == before == {"LC-004": 1, "TP-101": 2, "TP-102": 0, "TP-201": 1, "TP-301": 1, "TP-401": 0}


def test_html_print_mode() -> None:
    html = str(render("html", partial(), print_mode=True))
    assert html.count(SENTENCE) == 1
    assert '<p class="muted">3 further findings are not printed; out/findings.jsonl holds every finding.</p>' in html
    assert "the JSON report and the evidence bundle" not in html  # they do not hold every one any more
    assert html.count('<p class="muted">1 more finding of this rule</p>') == 3  # TP-101, TP-201, TP-301
    before = str(render("html", full(), print_mode=True))
    assert "further finding" not in before and "more finding of this rule" not in before
    # a report of more findings than print: what is not printed counts the unlisted ones too
    many = factory.report(1_200)
    cut = replace(many, findings=many.findings[:1_100],
                  streamed=streamed(1_100, total=1_205, by_severity=many.counts_by_severity(),
                                    by_rule=many.counts_by_rule()))
    from ldt_conform.render import html as html_view

    printed = sum(len(g["examples"]) for g in html_view.context(cut, "en", True)["groups"])
    assert f"{1_205 - printed} further findings are not printed; out/findings.jsonl holds every finding." in str(
        render("html", cut, print_mode=True))


def test_markdown() -> None:
    text = str(render("markdown", partial()))
    before = str(render("markdown", full()))
    counts = "**Findings:** 🔴 3 errors, 🟡 1 warning, 🔵 1 info"
    assert counts in text and counts in before
    assert f"{counts}\n\n> **{SENTENCE}**\n\n" in text
    assert "#### 🔴 TP-101 `dataset-title` — A dataset has a title (2)" in text
    block = text.split("#### 🔴 TP-201 `distribution-access-url` — A distribution has an access URL (1)", 1)[1]
    assert block.split("####", 1)[0].rstrip().endswith("- … 1 more finding of this rule")
    assert "#### 🟡 TP-301 `dataset-theme` — A dataset has a theme (1)" in text
    assert "more finding" not in before


def test_markdown_left_out_note_counts_unlisted_findings() -> None:
    """Rules cut for the comment's size count their unlisted findings, and the note does not send the reader to a
    full report that lists every finding: a streamed run's reports do not."""
    from ldt_conform.render import markdown

    text = markdown.render(partial(), max_chars=len(markdown.render(partial(), max_chars=10**6)) - 200)
    note = text.split("> **Left out to stay within the comment size limit**", 1)[1].split("\n\n", 1)[0]
    hidden = re.search(r"> - (\d+) more failing rules? \((\d+) findings?\)", note)
    assert hidden is not None, note
    rules = note.split(": ", 1)[1].split(".", 1)[0].split(", ")
    assert int(hidden[1]) == len(rules) and int(hidden[2]) == sum(sum(BY_RULE[r].values()) for r in rules)
    assert "The full report lists every finding." not in note


def test_executive_summary() -> None:
    from ldt_conform.render import executive

    for lang in LANGUAGES:
        assert executive.lines(partial(), lang) == executive.lines(full(), lang), lang
    fixes = executive.lines(partial())["fixes"]
    assert [re.search(r"\((TP-\d+): (\d+) findings?\)", f).groups() for f in fixes] == [  # type: ignore[union-attr]
        ("TP-101", "2"), ("TP-201", "1"), ("TP-301", "1")]


def test_earl() -> None:
    graph = Graph().parse(data=str(render("earl", partial())), format="turtle")
    run = URIRef("urn:ldt-conform:run")
    assert list(graph.objects(run, RDFS.comment)) == [Literal(SENTENCE, lang="en")]
    assert graph.value(run, LDTC.findingsTotal).toPython() == 5
    assert graph.value(run, LDTC.findingsListed).toPython() == 2
    assert str(graph.value(run, LDTC.findingsFile)) == FILE
    before = Graph().parse(data=str(render("earl", full())), format="turtle")
    assert not list(before.objects(run, RDFS.comment)) and before.value(run, LDTC.findingsTotal) is None
    cite = Namespace("http://cite.opengeospatial.org/")
    for p in (cite.testsPassed, cite.testsFailed, cite.testsSkipped):
        assert graph.value(run, p) == before.value(run, p)


def _assertions(report: Report) -> dict[tuple[str, str], tuple[str, str, int | None, int]]:
    """(rule, subject) → (outcome, description, findingsNotListed, finding nodes) of each EARL assertion."""
    earl = Namespace("http://www.w3.org/ns/earl#")
    graph = Graph().parse(data=str(render("earl", report)), format="turtle")
    out = {}
    for assertion in graph.subjects(earl.test, None):
        rule = str(graph.value(assertion, earl.test)).rsplit("/", 1)[-1]
        result = graph.value(assertion, earl.result)
        unlisted = graph.value(result, LDTC.findingsNotListed)
        out[(rule, str(graph.value(assertion, earl.subject)))] = (
            str(graph.value(result, earl.outcome)).rsplit("#", 1)[-1], str(graph.value(result, DCT.description)),
            None if unlisted is None else unlisted.toPython(), len(list(graph.objects(result, LDTC.finding))))
    return out


@pytest.mark.parametrize("listed", [0, 2])
def test_earl_assertions_count_every_finding_listed_or_not(listed: int) -> None:
    whole, part = _assertions(full()), _assertions(partial(listed))
    assert part.keys() == whole.keys()  # LC-004's assertion exists even when its one finding is not listed
    listed_per_key = {key: sum(1 for f in partial(listed).findings if (f.rule, str(target_iri(f.target))) == key)
                      for key in part}
    for key, (outcome, description, unlisted, nodes) in part.items():
        assert nodes == listed_per_key[key], key
        assert whole[key][2] is None and whole[key][3] >= nodes
        assert unlisted == ((whole[key][3] - nodes) or None), key
        if nodes or key[0] != "LC-004":
            assert (outcome, description) == whole[key][:2], key
        else:  # the info note's own message is in the file only: the assertion counts it
            assert (outcome, description) == ("cantTell", "not verified (artefact-unavailable): 1 finding")
    tp101 = next(v for k, v in part.items() if k[0] == "TP-101")
    assert tp101[1:] == (("2 findings", 1, 1) if listed == 2 else ("2 findings", 2, 0))


def test_shacl_report() -> None:
    text = str(render("shacl", partial()))
    assert text.count(f"\n# {SENTENCE}\n") == 1
    graph = Graph().parse(data=text, format="turtle")
    reports = list(graph.subjects(SH.conforms, None))
    assert len(reports) == 2
    for report in reports:
        assert graph.value(report, LDTC.findingsTotal).toPython() == 5
        assert str(graph.value(report, LDTC.findingsFile)) == FILE
    assert len(list(graph.subjects(SH.resultSeverity, None))) == 2
    evil = replace(partial(), streamed=streamed(2, file="a\nb.jsonl ."))
    Graph().parse(data=str(render("shacl", evil)), format="turtle")  # a line break cannot end the comment early
    Graph().parse(data=str(render("earl", evil)), format="turtle")


def test_rule_texts_note_counts_rules_with_unlisted_findings_only() -> None:
    from ldt_conform.render import i18n

    base = full()
    untranslated = factory.rule("TP-901", "dataset-keyword", "A dataset has a keyword")
    untranslated = replace(untranslated, i18n={})
    rules = (*base.rules, untranslated)
    listed = tuple(f for f in base.findings if f.rule == "TP-101")
    extra = Finding("TP-901", Severity.ERROR, factory.CAT, "http://data.example.org/dataset/1", "no keyword")
    kept = replace(base, rules=rules, results=(), findings=listed)
    assert i18n.rule_texts_note(kept, "fr") == ""
    with_extra = replace(kept, findings=tuple(sorted((*listed, extra), key=Finding.sort_key)))
    expected = i18n.rule_texts_note(with_extra, "fr")
    assert expected.startswith("Les intitulés et messages des règles sont affichés en anglais")
    stream = replace(kept, streamed=streamed(2, total=3, by_severity={"error": 3},
                                             by_rule={"TP-101": {"error": 2}, "TP-901": {"error": 1}}))
    assert i18n.rule_texts_note(stream, "fr") == expected


def test_evidence_bundle(tmp_path: Path) -> None:
    from ldt_conform import evidence

    source = tmp_path / "findings.jsonl"
    source.write_bytes(b'{"rule": "TP-101"}\n' * 5)
    report = replace(partial(), streamed=streamed(2, file=str(source)))
    bundle = tmp_path / "bundle"
    evidence.write(report, bundle, formats=["json"])
    manifest = json.loads((bundle / evidence.MANIFEST).read_text())
    assert manifest["streamed"] == {**streamed(2, file=str(source)), "copy": "findings/findings.jsonl"}
    assert (bundle / "findings" / "findings.jsonl").read_bytes() == source.read_bytes()
    assert "findings/findings.jsonl" in {f["path"] for f in manifest["files"]}
    assert evidence.verify(bundle).intact
    data = json.loads((bundle / "reports" / "report.json").read_text())
    assert data["streamed"]["file"] == str(source) and data["summary"]["findings"] == BY_SEVERITY
    missing = tmp_path / "missing"
    evidence.write(partial(), missing, formats=["json"])  # the file is gone: said, never a crash
    assert json.loads((missing / evidence.MANIFEST).read_text())["streamed"]["copy"] == \
        "not copied: not a regular file"
    plain = tmp_path / "plain"
    evidence.write(full(), plain, formats=["json"])
    assert "streamed" not in json.loads((plain / evidence.MANIFEST).read_text())
    assert not (plain / "findings").exists()


def test_junit_fails_a_case_only_for_unlisted_findings_at_or_above_fail_on() -> None:
    """TP-101's two errors are listed; its one unlisted finding is a warning. Another target where TP-101 failed
    and lists nothing may only hold that warning: not a failure at --fail-on error."""
    from ldt_conform.model import Result, Status, TargetInfo

    base = full()
    other = "catalogues/other.ttl"
    report = replace(base, findings=base.findings[:3],
                     targets=(*base.targets, TargetInfo(other, "rdf", "e" * 64, 10, 1, format="turtle")),
                     results=(*base.results, Result("TP-101", other, Status.FAIL)),
                     streamed=streamed(3, total=6, by_severity={"info": 1, "warning": 2, "error": 3},
                                       by_rule={**BY_RULE, "TP-101": {"error": 2, "warning": 1}}))
    suites = _suites(str(render("junit", report)))
    case = next(c for c in suites[other].iter("testcase") if c.get("name", "").startswith("TP-101 "))
    assert case.find("failure") is None
    case = next(c for c in suites[factory.CAT].iter("testcase") if c.get("name", "").startswith("TP-201 "))
    assert case.find("failure") is not None


def test_unlisted_failing_names_each_rule_and_input_with_its_worst_unlisted_severity() -> None:
    """(rule, input) pairs whose failing findings are not all listed, with the worst severity at or above --fail-on
    of that pair's findings: what the HTML matrix and the JUnit case show for findings nobody can see listed."""
    from ldt_conform.render.common import unlisted_failing

    cat = factory.CAT
    assert unlisted_failing(full()) == {} and unlisted_failing(all_listed()) == {}
    # LC-004 and the first TP-101 listed: the second TP-101 and TP-201 are failing and not listed; TP-301 is a
    # warning, below --fail-on error
    assert unlisted_failing(partial()) == {("TP-101", cat): "error", ("TP-201", cat): "error"}
    assert unlisted_failing(partial(3)) == {("TP-201", cat): "error"}
    # at --fail-on warning TP-301 fails too, named by its own severity; TP-201 keeps its worse one
    at_warning = replace(full(), fail_on=Severity.WARNING)
    stream = replace(at_warning, findings=at_warning.findings[:2],
                     streamed=streamed(2, failing=4, **per_target(at_warning)))
    assert unlisted_failing(stream) == {("TP-101", cat): "error", ("TP-201", cat): "error",
                                        ("TP-301", cat): "warning"}
    # a listed finding the baseline knows does not fail the run, so it does not make up for an unlisted one
    known_first = replace(full(), findings=tuple(replace(f, baseline="known" if f.focus.startswith("_:") else "new")
                                                 for f in full().findings))
    failing = per_target(known_first)
    assert failing["failing_by_target"][cat]["TP-101"] == 1
    stream = replace(known_first, findings=known_first.findings[:2],
                     streamed=streamed(2, failing=3, **failing))
    assert unlisted_failing(stream) == {("TP-101", cat): "error", ("TP-201", cat): "error"}
