"""Every format from ONE real run: each output is parsed back and checked against its contract and the run."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, SH

from corpus import missing
from conftest import CORPUS, REPO, corpus_path
from support import one_run, pdf_ready  # noqa: F401 - fixtures

EARL = Namespace("http://www.w3.org/ns/earl#")
SARIF_SCHEMA = CORPUS / "schemas" / "sarif-schema-2.1.0.json"


def test_one_run_wrote_every_format(one_run: dict[str, Any]) -> None:
    from ldt_conform.render import RENDERERS

    assert set(one_run["files"]) == set(RENDERERS)
    for fmt, path in one_run["files"].items():
        if fmt == "pdf" and not path.exists():
            continue  # WeasyPrint cannot print on this machine: test_pdf_text says why
        assert path.is_file() and path.stat().st_size > 200, fmt
    assert not list(one_run["dir"].glob(".*.tmp")), "atomic writes leave no temporary files behind"


def test_json_is_valid_against_the_report_schema(one_run: dict[str, Any]) -> None:
    schema = json.loads((REPO / "ldt_conform" / "schemas" / "report.schema.json").read_text())
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(one_run["report"])
    assert one_run["report"]["findings"], "the real catalogue has findings"


def test_sarif_is_valid_and_uploadable(one_run: dict[str, Any]) -> None:
    corpus_path("schemas", "sarif-schema-2.1.0.json")
    sarif = json.loads(one_run["files"]["sarif"].read_text("utf-8"))
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(sarif)
    run = sarif["runs"][0]
    report = one_run["report"]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [r["id"] for r in report["rules"]], \
        "the WHOLE rule table travels, not only the rules that fired"
    assert len(run["results"]) == len(report["findings"])
    _github_constraints(sarif)
    first = run["results"][0]
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "catalog.rdf"
    assert first["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == report["findings"][0]["focus"]


def _github_constraints(sarif: dict[str, Any]) -> None:
    """What GitHub code scanning checks on upload (docs: SARIF support for code scanning, limits)."""
    assert sarif["version"] == "2.1.0" and len(sarif["runs"]) <= 20
    for run in sarif["runs"]:
        rules = run["tool"]["driver"]["rules"]
        assert run["tool"]["driver"]["name"] and len(rules) <= 25_000 and len(run["results"]) <= 25_000
        ids = {r["id"] for r in rules}
        for rule in rules:
            assert rule["shortDescription"]["text"] and rule["helpUri"].startswith(("http://", "https://"))
            assert len(rule["properties"]["tags"]) <= 20
        for result in run["results"]:
            assert result["ruleId"] in ids and result["message"]["text"]
            assert result["level"] in ("error", "warning", "note")
            assert 1 <= len(result["locations"]) <= 1000
            assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            fingerprint = result["partialFingerprints"]["primaryLocationLineHash"]
            assert re.fullmatch(r"[0-9a-f]{16}:\d+", fingerprint)
        hashes = [r["partialFingerprints"]["ldtConformFinding/v1"] for r in run["results"]]
        assert len(hashes) == len(set(hashes)), "fingerprints identify results uniquely"


def test_junit_has_one_suite_per_target_and_one_case_per_rule_and_target(one_run: dict[str, Any]) -> None:
    from junitparser import Error, Failure, JUnitXml, Skipped

    report = one_run["report"]
    xml = JUnitXml.fromfile(str(one_run["files"]["junit"]))
    suites = list(xml)
    assert [s.name for s in suites if s.name != "(none)"] == [t["source"] for t in report["targets"]]
    cases = [(suite.name, case.classname.rsplit(".", 1)[-1]) for suite in suites for case in suite]
    expected = {(r["target"] or "(none)", r["rule"]) for r in report["results"]}
    assert expected <= set(cases)
    assert len(cases) == len(set(cases)), "one testcase per rule x target"
    failures = [case for suite in suites for case in suite if any(isinstance(r, Failure) for r in case.result)]
    failing_rules = {f["rule"] for f in report["findings"] if f["severity"] == "error"}
    assert {c.classname.rsplit(".", 1)[-1] for c in failures} == failing_rules
    for case in failures:
        failure = next(r for r in case.result if isinstance(r, Failure))
        assert failure.message and failure.text, "failures carry the messages"
    for case in (c for s in suites for c in s):
        for item in case.result:
            if isinstance(item, (Skipped, Error)):
                assert item.message
    root = ET.parse(one_run["files"]["junit"]).getroot()
    assert root.tag == "testsuites" and int(root.get("tests", -1)) == len(cases)
    props = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert props["profile.sha256"] == report["profile"]["sha256"]
    assert props["input.sha256"] == report["targets"][0]["sha256"]


def test_junit_validates_against_the_jenkins_xsd(one_run: dict[str, Any]) -> None:
    """The JUnit XSD Jenkins' plugin documents (kept in tests/reports/junit-jenkins.xsd) accepts the output."""
    import xmlschema

    schema = xmlschema.XMLSchema(str(Path(__file__).with_name("junit-jenkins.xsd")))
    schema.validate(str(one_run["files"]["junit"]))


def test_earl_assertions_match_results(one_run: dict[str, Any]) -> None:
    report = one_run["report"]
    graph = Graph().parse(one_run["files"]["earl"], format="turtle")
    assertions = list(graph.subjects(RDF.type, EARL.Assertion))
    covered = {(r["rule"], r["target"]) for r in report["results"]} | {(f["rule"], f["target"])
                                                                      for f in report["findings"]}
    assert len(assertions) == len(covered)
    outcomes = Counter()
    for node in assertions:
        assert graph.value(node, EARL.assertedBy) == URIRef("https://w3id.org/ldt-conform")
        assert graph.value(node, EARL.subject) is not None and graph.value(node, EARL.test) is not None
        result = graph.value(node, EARL.result)
        assert (result, RDF.type, EARL.TestResult) in graph
        outcomes[str(graph.value(result, EARL.outcome)).rsplit("#", 1)[-1]] += 1
    status = Counter(r["status"] for r in report["results"])
    assert outcomes["passed"] == status["pass"] and outcomes["inapplicable"] == status["skip"]
    assert outcomes["failed"] >= status["fail"]
    cite = Namespace("http://cite.opengeospatial.org/")
    run = next(graph.subjects(RDF.type, cite.TestRun))
    assert int(graph.value(run, cite.testsPassed)) == status["pass"]


def test_shacl_report_holds_every_finding(one_run: dict[str, Any]) -> None:
    report = one_run["report"]
    graph = Graph().parse(one_run["files"]["shacl"], format="turtle")
    reports = list(graph.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == len(report["targets"])
    assert all(graph.value(r, SH.conforms).toPython() is False for r in reports)
    results = list(graph.subjects(RDF.type, SH.ValidationResult))
    assert len(results) == len(report["findings"])
    for node in results:
        for prop in (SH.focusNode, SH.resultSeverity, SH.sourceShape, SH.resultMessage):
            assert graph.value(node, prop) is not None, prop
    paths = sum(1 for node in results if graph.value(node, SH.resultPath) is not None)
    assert paths == sum(1 for f in report["findings"] if f.get("path"))


def test_html_is_self_contained(one_run: dict[str, Any]) -> None:
    html = one_run["files"]["html"].read_text("utf-8")
    assert not re.search(r"""<(script|img|link|iframe|source)[^>]+(src|href)=["']?(https?:)?//""", html, re.I)
    assert "@import" not in html and not re.search(r"url\((?!data:)", html)
    assert '<svg' in html or "MIM" in html
    assert 'id="findings-data"' in html


def test_pdf_text(one_run: dict[str, Any], pdf_ready: None) -> None:
    pdf = one_run["files"]["pdf"].read_bytes()
    assert pdf.startswith(b"%PDF-")
    if shutil.which("pdftotext") is None:
        missing("pdftotext (poppler-utils) not installed; the browser tests install it")
    text = subprocess.run(["pdftotext", str(one_run["files"]["pdf"]), "-"], capture_output=True, text=True,
                          check=True).stdout
    report = one_run["report"]
    assert "Conformance report" in text and "DOES NOT CONFORM" in text
    assert report["profile"]["sha256"][:40] in text.replace("\n", "")


PROVENANCE_IN = ("json", "sarif", "junit", "earl", "shacl", "markdown", "html", "text")


@pytest.mark.parametrize("fmt", PROVENANCE_IN)
def test_provenance_in_every_report(one_run: dict[str, Any], fmt: str) -> None:
    """Tool version, profile id/version/sha256, input source/sha256/size/triples, times and engines: everywhere."""
    report = one_run["report"]
    text = one_run["files"][fmt].read_text("utf-8")
    target = report["targets"][0]
    expected = [report["tool"]["version"], report["profile"]["id"], report["profile"]["version"],
                report["profile"]["sha256"], target["source"], target["sha256"], report["started_at"],
                report["finished_at"], *report["engines"]]
    if fmt != "text":
        expected += [str(target["size"]), str(target["triples"])]
    flat = text.replace(",", "")  # "1,234" in documents
    missing = [item for item in expected if item not in text and item.replace(",", "") not in flat]
    assert not missing, f"{fmt} lacks provenance: {missing}"


def test_sarif_regions_point_at_the_focus_resource(one_run: dict[str, Any]) -> None:
    sarif = json.loads(one_run["files"]["sarif"].read_text("utf-8"))
    lines = (one_run["dir"] / "catalog.rdf").read_text("utf-8").splitlines()
    located = 0
    for result in sarif["runs"][0]["results"]:
        line = result["locations"][0]["physicalLocation"]["region"]["startLine"]
        focus = result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
        if line > 1:
            located += 1
            assert focus in lines[line - 1], (focus, lines[line - 1])
    assert located >= len(sarif["runs"][0]["results"]) // 3


def test_line_index_on_turtle_rdfxml_and_jsonld() -> None:
    from ldt_conform.render.lines import LineIndex

    turtle = LineIndex("@prefix ex: <http://ex.org/> .\n\nex:cat ex:dataset ex:d1 .\nex:d1 a ex:D .\n<http://ex.org/d2> a ex:D .\n")
    assert turtle.line("http://ex.org/d1") == 4 and turtle.line("http://ex.org/cat") == 3
    assert turtle.line("http://ex.org/d2") == 5 and turtle.line("http://ex.org/none") is None
    xml = LineIndex('<rdf:RDF>\n <dcat:Catalog>\n  <dcat:dataset rdf:resource="http://ex.org/d1"/>\n'
                    ' </dcat:Catalog>\n <dcat:Dataset rdf:about="http://ex.org/d1"/>\n</rdf:RDF>\n')
    assert xml.line("http://ex.org/d1") == 5
    jsonld = LineIndex('{\n "@graph": [\n  {\n   "@id": "http://ex.org/d1",\n   "@type": "dcat:Dataset"\n  }\n ]\n}\n')
    assert jsonld.line("http://ex.org/d1") == 4
