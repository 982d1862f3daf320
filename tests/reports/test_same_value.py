"""One value reported by several rules: every rule keeps its finding and verdict, the findings point at each other, and
the text report shows the group once ("also reported by")."""
from __future__ import annotations

import json

import jsonschema
import pytest
from conftest import CORPUS, REPO, corpus_path

from ldt_conform import api
from ldt_conform.cases import turtle_prefixes
from ldt_conform.engine import link_same_value
from ldt_conform.model import Finding, Severity, Status
from ldt_conform.render import json_, sarif, text
from ldt_conform.render.labels import labels

DIST = "http://example.org/dist"
FORMAT = "http://purl.org/dc/terms/format"
DATA = """
ex:cat a dcat:Catalog ; dct:title "C"@en ; dct:description "C"@en ; dct:publisher ex:pub ; dcat:dataset ex:ds .
ex:pub a foaf:Agent ; foaf:name "P" .
ex:ds a dcat:Dataset ; dct:title "D"@en ; dct:description "D"@en ; dcat:distribution ex:dist .
ex:dist a dcat:Distribution ; dcat:accessURL ex:a ; dct:format "CSV" .
"""


def _f(rule: str, focus: str = "http://e/x", path: str | None = "http://e/p", value: str | None = '"v"',
       target: str = "t.ttl") -> Finding:
    return Finding(rule=rule, severity=Severity.ERROR, target=target, focus=focus, message=f"{rule} says", path=path,
                   value=value)


def test_link_same_value_marks_exactly_the_findings_on_one_value() -> None:
    findings = [_f("A-1"), _f("B-2"), _f("C-3"),
                _f("D-4", value='"other"'),               # another value of the same property
                _f("E-5", target="u.ttl"),                # the same value in another file
                _f("F-6", path=None), _f("G-7", path=None),  # no path: about the node as a whole
                _f("LC-002"),                             # a tool finding is about the run
                _f("H-8", value=None), _f("I-9", value=None)]  # two rules on one property without a value
    linked = {(f.rule): f.same_value_as for f in link_same_value(findings)}
    assert linked == {"A-1": ("B-2", "C-3"), "B-2": ("A-1", "C-3"), "C-3": ("A-1", "B-2"), "D-4": (), "E-5": (),
                      "F-6": (), "G-7": (), "LC-002": (), "H-8": ("I-9",), "I-9": ("H-8",)}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, str]:
    file = tmp_path_factory.mktemp("same-value") / "catalogue.ttl"
    file.write_text(turtle_prefixes() + DATA, encoding="utf-8")
    return api.check_files([str(file)], profile="dcat-ap-3"), str(file)


def test_one_literal_three_rules_each_keeps_its_verdict(report: tuple[object, str]) -> None:
    run, source = report
    on_format = [(f.rule, f.same_value_as) for f in run.findings  # type: ignore[attr-defined]
                 if (f.focus, f.path, f.value) == (DIST, FORMAT, '"CSV"')]
    assert on_format == [("DCATAP-205", ("DCATAP-303", "DCATAP-502")), ("DCATAP-303", ("DCATAP-205", "DCATAP-502")),
                         ("DCATAP-502", ("DCATAP-205", "DCATAP-303"))]
    status = {r.rule: r.status for r in run.results if r.target == source}  # type: ignore[attr-defined]
    assert [status[r] for r in ("DCATAP-205", "DCATAP-303", "DCATAP-502")] == [Status.FAIL] * 3
    # Only these three findings share a value here: nothing else is linked.
    assert [f.rule for f in run.findings if f.same_value_as] == ["DCATAP-205", "DCATAP-303", "DCATAP-502"]  # type: ignore[attr-defined]


def test_json_carries_the_links_and_the_rule(report: tuple[object, str]) -> None:
    data = json.loads(json_.render(report[0]))  # type: ignore[arg-type]
    schema = json.loads((REPO / "ldt_conform" / "schemas" / "report.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
    linked = [(f["rule"], f["same_value_as"]) for f in data["findings"] if "same_value_as" in f]
    assert linked == [("DCATAP-205", ["DCATAP-303", "DCATAP-502"]), ("DCATAP-303", ["DCATAP-205", "DCATAP-502"]),
                      ("DCATAP-502", ["DCATAP-205", "DCATAP-303"])]
    assert data["notes"] == [labels("en")["note_same_value"]]
    assert data["summary"]["findings"]["error"] == sum(1 for f in data["findings"] if f["severity"] == "error")


def test_text_shows_the_value_once(report: tuple[object, str]) -> None:
    out = text.render(report[0], width=400)  # type: ignore[arg-type]
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("ERROR   DCATAP-205 "))
    assert lines[start + 1:start + 4] == [
        f"    {DIST}  dct:format",
        f"      The {FORMAT} of distribution {DIST} has the wrong kind of value (\"CSV\"): use a literal for text and "
        f"an IRI (or blank node) for a resource, as the range of {FORMAT} requires.",
        "      (also reported by DCATAP-303, DCATAP-502)"]
    for rule in ("DCATAP-303", "DCATAP-502"):
        at = next(i for i, line in enumerate(lines) if line.startswith(f"ERROR   {rule} "))
        assert lines[at].endswith("(1)")  # the rule still counts its finding
        assert lines[at + 1] == "    1 shown under another rule (the same value): DCATAP-205"
    assert "is a literal \"CSV\"" not in out  # DCATAP-303's own message is not repeated
    assert labels("en")["note_same_value"] in out


def test_sarif_relates_the_results(report: tuple[object, str]) -> None:
    data = sarif.to_sarif(report[0])  # type: ignore[arg-type]
    related = {r["ruleId"]: ([loc["message"]["text"] for loc in r["relatedLocations"]], r["properties"]["sameValueAs"])
               for r in data["runs"][0]["results"] if "relatedLocations" in r}
    assert related == {"DCATAP-205": (["also reported by DCATAP-303, DCATAP-502"], ["DCATAP-303", "DCATAP-502"]),
                       "DCATAP-303": (["same value as DCATAP-205: shown there"], ["DCATAP-205", "DCATAP-502"]),
                       "DCATAP-502": (["same value as DCATAP-205: shown there"], ["DCATAP-205", "DCATAP-303"])}
    corpus_path("schemas", "sarif-schema-2.1.0.json")
    schema = json.loads((CORPUS / "schemas" / "sarif-schema-2.1.0.json").read_text("utf-8"))
    jsonschema.Draft4Validator(schema).validate(data)


def test_french_labels(report: tuple[object, str]) -> None:
    out = text.render(report[0], lang="fr", width=400)  # type: ignore[arg-type]
    assert "      (également signalé par DCATAP-303, DCATAP-502)" in out.splitlines()
    assert "    1 affiché sous une autre règle (même valeur) : DCATAP-205" in out.splitlines()
