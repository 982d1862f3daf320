"""Strict by default, lenient on request, always precise: RDF/XML grammar and bad tokens at file:line:col."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli
from ldt_conform.rdfxml_strict import scan

import corpus

HEAD = ('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:foaf="http://xmlns.com/foaf/0.1/" xmlns:dct="http://purl.org/dc/terms/" '
        'xmlns:dcat="http://www.w3.org/ns/dcat#">\n')
GOV_DE = ("dcat", "ckanext-dcat", "dataset_gov_de.rdf")
WMS = "https://geo.sv.rostock.de/geodienste/lieferservices/wms"
DIST = ("https://www.opendata-hro.de/dataset/c1be4007-d811-48fb-8818-2cb358b06a63/resource/"
        "339138d0-3ae9-4e79-8c7e-ab3ce8940bbb")
FOAF = "http://xmlns.com/foaf/0.1/"
DCT = "http://purl.org/dc/terms/"


def _rdf(tmp_path: Path, body: str, name: str = "in.rdf") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + body + "\n</rdf:RDF>\n", "utf-8")
    return path


def _findings(stdout: str) -> set[tuple[str, str, str | None, str | None]]:
    return {(f["rule"], f["focus"], f.get("path"), f.get("value")) for f in json.loads(stdout)["findings"]}


def _govdata_with_bracket(tmp_path: Path) -> Path:
    """The real GovData export (ckanext-dcat's example) with `[` in one accessURL query, as harvested files have."""
    data = corpus.path(*GOV_DE).read_bytes()
    bad = data.replace(f'rdf:resource="{WMS}"'.encode(), f'rdf:resource="{WMS}?bbox=[12,54]"'.encode())
    assert bad.count(b"[12,54]") == 1
    path = tmp_path / "dataset_gov_de.rdf"
    path.write_bytes(bad)
    return path


@pytest.mark.corpus
def test_bad_iri_in_real_rdfxml_strict_is_exit_2_with_line_and_column(tmp_path: Path) -> None:
    path = _govdata_with_bracket(tmp_path)
    result = run_cli(["check", str(path), "-q"], expect=2)
    assert result.stderr.strip().splitlines() == [
        f"error: {path}:86:9: bad rdfxml syntax (error while parsing IRI '{WMS}?bbox=[12,54]': Invalid IRI code "
        "point '[')"]


@pytest.mark.corpus
def test_bad_iri_in_real_rdfxml_lenient_is_one_finding_and_the_rest_validated(tmp_path: Path) -> None:
    clean = run_cli(["check", str(corpus.path(*GOV_DE)), "-q", "--format", "json"], expect=1)
    path = _govdata_with_bracket(tmp_path)
    result = run_cli(["check", str(path), "-q", "--format", "json", "--lenient"], expect=1)
    assert json.loads(result.stdout)["targets"][0]["triples"] == json.loads(clean.stdout)["targets"][0]["triples"] - 1
    skipped = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "LC-006"]
    assert skipped == [{
        "rule": "LC-006", "severity": "error", "target": str(path), "focus": f"{path}:86:9",
        "value": f"{WMS}?bbox=[12,54]",
        "message": f"not read (--lenient skipped it): error while parsing IRI '{WMS}?bbox=[12,54]': Invalid IRI "
                   "code point '['"}]
    # Everything else is the verdict on the clean file, plus the one consequence of the skipped statement: that
    # distribution now has no dcat:accessURL.
    assert _findings(result.stdout) - _findings(clean.stdout) == {
        ("LC-006", f"{path}:86:9", None, f"{WMS}?bbox=[12,54]"),
        ("DCATAP-121", DIST, "http://www.w3.org/ns/dcat#accessURL", None)}
    assert _findings(clean.stdout) - _findings(result.stdout) == set()


@pytest.mark.corpus
@pytest.mark.parametrize("rel", [rel for rel in corpus.files("dcat", suffixes=(".rdf",))])
def test_real_rdfxml_has_no_grammar_problem(rel: str) -> None:
    # The grammar pass must not cry wolf on what real portals and the specifications publish.
    assert scan(corpus.path(*rel.split("/")).read_bytes()).problems == []


# The two cases of issue #13: read silently, they gave "an agent with no name" and a foaf:homepage of "".
RESOURCE_ON_NODE = """<dcat:Dataset rdf:about="http://ex.org/d1">
  <dct:title>Parking</dct:title>
  <dct:publisher>
    <foaf:Agent rdf:resource="http://ex.org/agency"/>
  </dct:publisher>
  <foaf:homepage rdf:about="http://ex.org/home"/>
</dcat:Dataset>"""


def test_rdfxml_grammar_violation_strict_is_exit_2_at_its_start_tag(tmp_path: Path) -> None:
    path = _rdf(tmp_path, RESOURCE_ON_NODE)
    result = run_cli(["check", str(path), "-q"], expect=2)
    assert result.stderr.strip().splitlines() == [
        f"error: {path}:6:5: invalid RDF/XML: rdf:resource is not allowed on the node element {FOAF}Agent (it "
        "belongs on a property element); it would be read as a different graph (--lenient skips the element)"]


def test_rdfxml_grammar_violations_lenient_are_findings_and_no_invented_values(tmp_path: Path) -> None:
    path = _rdf(tmp_path, RESOURCE_ON_NODE)
    result = run_cli(["check", str(path), "-q", "--format", "json", "--lenient"], expect=1)
    found = _findings(result.stdout)
    assert {f for f in found if f[0] == "LC-006"} == {
        ("LC-006", f"{path}:6:5", None, "http://ex.org/agency"),
        ("LC-006", f"{path}:8:3", None, "http://ex.org/home"),
    }
    # Neither the blank agent nor the empty homepage literal was read: only the type and the title remain.
    assert json.loads(result.stdout)["targets"][0]["triples"] == 2
    assert not any(f[3] == "" or (f[1] or "").startswith("_:") for f in found)


@pytest.mark.parametrize("body,expected", [
    ('<rdf:Description rdf:about="http://ex/d"><dct:publisher rdf:about="http://ex/a"/></rdf:Description>',
     [(3, 42, f"rdf:about is not allowed on the property element {DCT}publisher (it belongs on a node element)",
       "http://ex/a")]),
    ('<foaf:Agent rdf:about="http://ex/a" rdf:datatype="http://x"/>',
     [(3, 1, f"rdf:datatype is not allowed on the node element {FOAF}Agent (it belongs on a property element)",
       "http://x")]),
    ('<foaf:Agent rdf:about="http://ex/a" rdf:parseType="Resource"/>',
     [(3, 1, f"rdf:parseType is not allowed on the node element {FOAF}Agent (it belongs on a property element)",
       "Resource")]),
    ('<foaf:Agent rdf:about="http://ex/a" rdf:nodeID="x"/>',
     [(3, 1, "a node element may have only one of rdf:ID, rdf:about, rdf:nodeID (it has rdf:about, rdf:nodeID)",
       None)]),
    ('<rdf:Description rdf:about="http://ex/d"><dct:x rdf:resource="http://ex/a" rdf:nodeID="b"/></rdf:Description>',
     [(3, 42, f"the property element {DCT}x has both rdf:resource and rdf:nodeID", None)]),
    ('<rdf:Description rdf:about="http://ex/d"><dct:x rdf:resource="http://ex/a" rdf:datatype="http://x"/>'
     '</rdf:Description>',
     [(3, 42, f"rdf:datatype cannot go with rdf:resource on the property element {DCT}x", None)]),
    ('<rdf:Description rdf:about="http://ex/d"><dct:x rdf:resource="http://ex/a" rdf:parseType="Resource"/>'
     '</rdf:Description>',
     [(3, 42, f"rdf:parseType cannot go with rdf:resource on the property element {DCT}x", None)]),
    ('<rdf:Description rdf:about="http://ex/d"><dct:x rdf:datatype="http://x"><foaf:Agent/></dct:x>'
     '</rdf:Description>',
     [(3, 73, f"rdf:datatype makes {DCT}x a literal, but it contains the node element {FOAF}Agent", None)]),
    ('<rdf:Description rdf:about="http://ex/d"><dct:x rdf:resource="http://ex/a">text</dct:x></rdf:Description>',
     [(3, 42, f"rdf:resource makes {DCT}x an empty property element, but it contains text", None)]),
    ('<rdf:Description rdf:about="http://ex/d"><dct:x><foaf:Agent/><foaf:Agent/></dct:x></rdf:Description>',
     [(3, 62, f"the property element {DCT}x contains more than one node element", None)]),
    ('<rdf:li rdf:about="http://ex/a"/>', [(3, 1, "rdf:li cannot be a node element", None)]),
    ('<rdf:Description rdf:about="http://ex/d"><rdf:Description/></rdf:Description>',
     [(3, 42, "rdf:Description cannot be a property element", None)]),
    ('<rdf:Description rdf:aboutEach="http://ex/d"/>',
     [(3, 1, "rdf:aboutEach is not allowed on the node element rdf:Description", "http://ex/d")]),
    # Valid RDF/XML, every production once: no problem.
    ('<rdf:Description rdf:about="http://ex/d"><dct:x rdf:parseType="Literal"><b rdf:about="x">hi</b></dct:x>'
     '<dct:y rdf:parseType="Resource"><dct:z>1</dct:z></dct:y><dct:c rdf:parseType="Collection">'
     '<foaf:Agent rdf:about="http://a"/><foaf:Agent rdf:about="http://b"/></dct:c>'
     '<dct:t rdf:datatype="http://x">5</dct:t><dct:e rdf:resource="http://e"/><dct:n><foaf:Agent foaf:name="x"/>'
     '</dct:n><dct:m foaf:name="y"/></rdf:Description>', []),
])
def test_rdfxml_grammar_problems(body: str, expected: list[tuple[int, int, str, str | None]]) -> None:
    found = scan((HEAD + body + "\n</rdf:RDF>").encode())
    assert [(p.line, p.col, p.message, p.value) for p in found.problems] == expected


def test_bad_language_tag_in_rdfxml_has_its_position(tmp_path: Path) -> None:
    path = _rdf(tmp_path, '<dcat:Dataset rdf:about="http://ex.org/d1">\n  <dct:title xml:lang="e n">Parking'
                          '</dct:title>\n</dcat:Dataset>')
    result = run_cli(["check", str(path), "-q"], expect=2)
    assert result.stderr.strip().splitlines() == [
        f"error: {path}:4:3: bad rdfxml syntax (error while parsing language tag 'e n': The given language subtag "
        "is invalid)"]


TTL = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<http://ex.org/d1> a dcat:Dataset ;
  dct:title "Parking"@en .
<http://ex.org/dist1> dcat:accessURL <http://ex.org/q?a=[1]> .
<http://ex.org/d1> dct:description "Car parks"@en .
"""


def test_turtle_bad_iri_strict_and_lenient(tmp_path: Path) -> None:
    path = tmp_path / "cat.ttl"
    path.write_text(TTL, "utf-8")
    strict = run_cli(["check", str(path), "-q"], expect=2)
    assert strict.stderr.strip().splitlines() == [
        f"error: {path}:5:38: bad turtle syntax (Invalid IRI code point '[')"]
    lenient = run_cli(["check", str(path), "-q", "--format", "json", "--lenient", "--select", "DCATAP-112"],
                      expect=1)
    report = json.loads(lenient.stdout)
    assert report["targets"][0]["triples"] == 3  # the triples before and after the bad one
    assert [(f["rule"], f["focus"], f.get("value"), f["message"]) for f in report["findings"]] == [
        ("LC-006", f"{path}:5:38", "http://ex.org/q?a=[1]", "not read (--lenient skipped it): Invalid IRI code point '['")]
    # DCATAP-112 raised nothing on what was read, but the skipped triple could have been its violation: not a pass.
    assert [(r["rule"], r["status"], r.get("why"), r.get("reason")) for r in report["results"]
            if r["rule"] == "DCATAP-112"] == [
        ("DCATAP-112", "skip", "prerequisite-failed",
         "not verified: --lenient skipped 1 statement of this input (LC-006); the rule held on the rest")]


def test_lenient_finding_has_its_line_and_column_in_sarif(tmp_path: Path) -> None:
    path = tmp_path / "cat.ttl"
    path.write_text(TTL, "utf-8")
    result = run_cli(["check", str(path), "-q", "--format", "sarif", "--lenient", "--select", "DCATAP-112"],
                     expect=1)
    [skipped] = [r for r in json.loads(result.stdout)["runs"][0]["results"] if r["ruleId"] == "LC-006"]
    assert skipped["locations"][0]["physicalLocation"]["region"] == {"startLine": 5, "startColumn": 38}
