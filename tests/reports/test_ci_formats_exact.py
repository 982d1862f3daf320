"""The formats a CI gate reads (SARIF, JUnit), pinned exactly on hand-built reports.

A SARIF reader sees alerts only; a rule whose check could not run, a rule not verified and a pass that says what it
did not test must still reach it, tied to their rule. A JUnit dashboard reads the counts of each suite and the text of
each case. Every expectation here is exact: level, text, rule index, location, properties, counts, order.
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace

import jsonschema
import pytest

import factory
from conftest import corpus_path
from ldt_conform.model import Finding, Result, Severity, Status, Why
from ldt_conform.render.junit import render as render_junit
from ldt_conform.render.sarif import to_sarif

CAT, API = factory.CAT, factory.API


def _report(extra: list[Result], findings: tuple[Finding, ...] = ()) -> object:
    """The factory's report with its results for (rule, target) replaced by ``extra``, and only ``findings``."""
    base = factory.report()
    replaced = {(r.rule, r.target) for r in extra}
    results = tuple(sorted([r for r in base.results if (r.rule, r.target) not in replaced] + extra,
                           key=lambda r: (r.target, r.rule)))
    return replace(base, results=results, findings=findings)


def _index(report: object, rule_id: str) -> int:
    return [r.id for r in report.rules].index(rule_id)  # type: ignore[attr-defined]


def _notes(sarif: dict) -> list[dict]:
    return sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]


def _location(uri: str, index: int) -> list[dict]:
    return [{"physicalLocation": {"artifactLocation": {"uri": uri, "index": index}}}]


MIXED = [
    Result("TP-102", CAT, Status.SKIP, reason="not verifiable offline: https://example.org/s.json",
           why=Why.ARTEFACT_UNAVAILABLE),
    Result("TP-201", CAT, Status.PASS, reason="not tested: 2 entities: urn:a (no type), urn:b (no type)"),
    Result("TP-301", CAT, Status.PASS),
    Result("TP-101", CAT, Status.FAIL),
]


def test_every_result_that_is_not_a_finding_is_a_notification_tied_to_its_rule_in_order() -> None:
    report = _report(MIXED)
    notes = _notes(to_sarif(report, "en"))  # type: ignore[arg-type]
    # The factory's own: TP-401 in error on the API, TP-102 not applicable on the API.
    assert notes == [
        {"level": "error",
         "message": {"text": f"TP-401 ({API}): error: HTTP 500 from the landing page"},
         "associatedRule": {"id": "TP-401", "index": _index(report, "TP-401")},
         "properties": {"status": "error", "target": API, "reason": "HTTP 500 from the landing page"},
         "locations": _location(API, 1)},
        {"level": "warning",
         "message": {"text": f"TP-102 ({CAT}): not verified (artefact-unavailable): not verifiable offline: "
                             "https://example.org/s.json"},
         "associatedRule": {"id": "TP-102", "index": _index(report, "TP-102")},
         "properties": {"status": "skip", "target": CAT, "why": "artefact-unavailable",
                        "reason": "not verifiable offline: https://example.org/s.json"},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": CAT, "uriBaseId": "%SRCROOT%",
                                                                  "index": 0}}}]},
        {"level": "note",
         "message": {"text": f"TP-102 ({API}): not verified (not-applicable): no RDF catalogue target was given"},
         "associatedRule": {"id": "TP-102", "index": _index(report, "TP-102")},
         "properties": {"status": "skip", "target": API, "why": "not-applicable",
                        "reason": "no RDF catalogue target was given"},
         "locations": _location(API, 1)},
        {"level": "note",
         "message": {"text": f"TP-201 ({CAT}): passed with limits: not tested: 2 entities: urn:a (no type), "
                             "urn:b (no type)"},
         "associatedRule": {"id": "TP-201", "index": _index(report, "TP-201")},
         "properties": {"status": "pass", "target": CAT,
                        "reason": "not tested: 2 entities: urn:a (no type), urn:b (no type)"},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": CAT, "uriBaseId": "%SRCROOT%",
                                                                  "index": 0}}}]},
    ]


def test_notifications_keep_the_run_valid_sarif_and_successful() -> None:
    sarif = to_sarif(_report(MIXED), "en")  # type: ignore[arg-type]
    schema = json.loads(corpus_path("schemas", "sarif-schema-2.1.0.json").read_text("utf-8"))
    jsonschema.Draft4Validator(schema).validate(sarif)
    # Code scanning refuses to process a run marked unsuccessful: a rule in error must not drop every alert.
    assert sarif["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_a_result_without_a_target_has_no_location_and_says_none() -> None:
    report = _report([Result("TP-301", "", Status.SKIP, reason="no API target was given", why=Why.NOT_APPLICABLE)])
    notes = [n for n in _notes(to_sarif(report, "en")) if n["associatedRule"]["id"] == "TP-301"]  # type: ignore[arg-type]
    assert notes == [{"level": "note",
                      "message": {"text": "TP-301 (none): not verified (not-applicable): no API target was given"},
                      "associatedRule": {"id": "TP-301", "index": _index(report, "TP-301")},
                      "properties": {"status": "skip", "target": "", "why": "not-applicable",
                                     "reason": "no API target was given"}}]


def test_an_error_without_a_reason_says_the_check_could_not_be_evaluated() -> None:
    report = _report([Result("TP-401", API, Status.ERROR)])
    assert _notes(to_sarif(report, "en"))[0]["message"]["text"] == (  # type: ignore[arg-type]
        f"TP-401 ({API}): error: not evaluated")


def test_a_rule_not_in_the_rule_table_has_no_index() -> None:
    report = _report([Result("XX-999", CAT, Status.ERROR, reason="boom")])
    note = _notes(to_sarif(report, "en"))[0]  # type: ignore[arg-type]
    assert note["associatedRule"] == {"id": "XX-999"}
    assert note["message"]["text"] == f"XX-999 ({CAT}): error: boom"


@pytest.mark.parametrize(("lang", "error", "skip", "limited"), [
    ("fr", "TP-401 (https://api.example.org/ogc) : erreur : HTTP 500 from the landing page",
     "TP-102 (catalogues/city.ttl) : non vérifiée (artefact indisponible) : non vérifiable hors ligne : "
     "https://example.org/s.json",
     "TP-201 (catalogues/city.ttl) : réussie avec limites : non testé : 2 entités : urn:a (sans type), "
     "urn:b (sans type)"),
    ("de", "TP-401 (https://api.example.org/ogc): Prüffehler: HTTP 500 from the landing page",
     "TP-102 (catalogues/city.ttl): nicht geprüft (Artefakt nicht verfügbar): offline nicht prüfbar: "
     "https://example.org/s.json",
     "TP-201 (catalogues/city.ttl): bestanden mit Einschränkungen: nicht getestet: 2 Entitäten: urn:a (ohne type), "
     "urn:b (ohne type)"),
])
# The words around a reason follow the report's language, and so do the reasons the tool wrote (i18n.reason); what a
# server said (HTTP 500 …) stays as it is, as in the other formats' "Passes with limits".
def test_notification_texts_follow_the_report_language(lang: str, error: str, skip: str, limited: str) -> None:
    texts = [n["message"]["text"] for n in _notes(to_sarif(_report(MIXED), lang))]  # type: ignore[arg-type]
    assert [texts[0], texts[1], texts[3]] == [error, skip, limited]


def test_past_the_limit_one_notification_counts_the_rest() -> None:
    notes = _notes(to_sarif(_report(MIXED), "en", max_notifications=2))  # type: ignore[arg-type]
    assert [n["level"] for n in notes] == ["error", "warning", "warning"]
    assert notes[-1] == {"level": "warning", "message": {"text": (
        "2 more rule results (error, not verified, passed with limits) are not listed here: the JSON report lists "
        "every result.")}}
    exact = _notes(to_sarif(_report(MIXED), "en", max_notifications=4))  # type: ignore[arg-type]
    assert len(exact) == 4 and "more rule results" not in exact[-1]["message"]["text"]


def test_junit_keeps_the_note_of_a_pass_with_limits() -> None:
    root = ET.fromstring(render_junit(_report(MIXED), "en").split("\n", 1)[1])  # type: ignore[arg-type]
    case = next(c for c in root.iter("testcase") if c.get("name", "").startswith("TP-201"))
    assert [child.tag for child in case] == ["system-out"]
    assert case.find("system-out").text == (  # type: ignore[union-attr]
        "passed with limits: not tested: 2 entities: urn:a (no type), urn:b (no type)")
    plain = next(c for c in root.iter("testcase") if c.get("name", "").startswith("TP-301"))
    assert list(plain) == []
    # A rule not verified has a reason too, but it is no pass: it is skipped, with no pass note.
    skipped = next(c for c in root.iter("testcase") if c.get("name", "").startswith("TP-102")
                   and c.find("skipped") is not None and "offline" in (c.find("skipped").get("message") or ""))
    assert [child.tag for child in skipped] == ["skipped"]


def test_junit_puts_the_note_before_the_findings_that_do_not_fail_the_run() -> None:
    info = Finding("TP-201", Severity.INFO, CAT, "http://data.example.org/dist/9", "a hint", path="urn:p")
    report = _report(MIXED, findings=(info,))
    root = ET.fromstring(render_junit(report, "en").split("\n", 1)[1])  # type: ignore[arg-type]
    case = next(c for c in root.iter("testcase") if c.get("name", "").startswith("TP-201")
                and c.get("classname", "").startswith("test-profile"))
    out = case.find("system-out")
    assert out is not None and out.text is not None
    assert out.text.split("\n")[:3] == [
        "passed with limits: not tested: 2 entities: urn:a (no type), urn:b (no type)",
        "info: http://data.example.org/dist/9  urn:p",
        "    a hint"]


def test_rules_not_verified_come_before_rules_that_do_not_apply_whatever_their_targets() -> None:
    report = _report([
        Result("TP-102", CAT, Status.SKIP, reason="no entity this rule applies to", why=Why.NOT_APPLICABLE),
        Result("TP-102", API, Status.SKIP, reason="the items walk failed", why=Why.PREREQUISITE_FAILED),
    ])
    notes = _notes(to_sarif(report, "en"))  # type: ignore[arg-type]
    assert [(n["level"], n["associatedRule"]["id"], n["properties"]["target"]) for n in notes] == [
        ("error", "TP-401", API), ("warning", "TP-102", API), ("note", "TP-102", CAT)]


# --- SARIF: the rest of the run ---------------------------------------------------------------------------------

def test_run_warnings_are_the_first_notifications() -> None:
    report = replace(_report([]), warnings=("page 3 of the catalogue could not be read", "second warning"))
    assert _notes(to_sarif(report, "en"))[:2] == [  # type: ignore[arg-type]
        {"level": "warning", "message": {"text": "page 3 of the catalogue could not be read"}},
        {"level": "warning", "message": {"text": "second warning"}}]


def test_a_finding_located_in_the_file_itself_gets_its_line_and_column() -> None:
    lc = Finding("LC-006", Severity.WARNING, CAT, f"{CAT}:12:5", "a lenient parse skipped a statement")
    other = Finding("LC-006", Severity.WARNING, CAT, f"{CAT}:12", "no column")
    results = to_sarif(_report([], findings=(lc, other)), "en")["runs"][0]["results"]  # type: ignore[arg-type]
    regions = {r["message"]["text"]: r["locations"][0]["physicalLocation"]["region"] for r in results}
    assert regions == {"a lenient parse skipped a statement": {"startLine": 12, "startColumn": 5},
                       "no column": {"startLine": 1}}


def test_a_focus_described_in_a_local_file_points_at_its_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import hashlib

    from ldt_conform.model import TargetInfo

    path = tmp_path / "cat.ttl"
    path.write_text("@prefix ex: <http://ex.org/> .\n\nex:d1 a ex:Dataset .\n<http://ex.org/d2> a ex:Dataset .\n",
                    "utf-8")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    source = str(path)
    found = tuple(Finding("TP-101", Severity.ERROR, source, focus, "no title")
                  for focus in ("http://ex.org/d2", "http://ex.org/d1", "http://ex.org/nowhere"))
    base = _report([])
    report = replace(base, findings=found, targets=(*base.targets, TargetInfo(source, "rdf", digest, 90, 2)))
    lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"]
             for r in to_sarif(report, "en")["runs"][0]["results"]]  # type: ignore[arg-type]
    assert lines == [4, 3, 1]
    # A file changed since it was checked (another sha256) is not trusted for lines.
    stale = replace(report, targets=(*base.targets, TargetInfo(source, "rdf", "0" * 64, 90, 2)))
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"]
            for r in to_sarif(stale, "en")["runs"][0]["results"]] == [1, 1, 1]  # type: ignore[arg-type]


def test_artifacts_describe_each_input() -> None:
    from ldt_conform.model import TargetInfo

    base = _report([])
    report = replace(base, targets=(TargetInfo(CAT, "rdf", "a" * 64, 4321, 120, format="turtle"),
                                    TargetInfo("entities/", "payload", None, 77, documents=3, format="json"),
                                    TargetInfo(API, "api", probed_at="2026-01-02T03:04:05Z")))
    assert to_sarif(report, "en")["runs"][0]["artifacts"] == [  # type: ignore[arg-type]
        {"location": {"uri": CAT, "uriBaseId": "%SRCROOT%"}, "length": 4321, "hashes": {"sha-256": "a" * 64},
         "sourceLanguage": "turtle", "properties": {"kind": "rdf", "triples": 120}},
        {"location": {"uri": "entities", "uriBaseId": "%SRCROOT%"}, "length": 77, "sourceLanguage": "json",
         "properties": {"kind": "payload", "documents": 3}},
        {"location": {"uri": API}, "properties": {"kind": "api", "probed_at": "2026-01-02T03:04:05Z"}}]


def test_a_relative_path_with_a_colon_in_a_later_segment_stays_relative() -> None:
    from ldt_conform.render.sarif import _location

    assert _location("data/x:y/f.ttl") == {"uri": "data/x:y/f.ttl", "uriBaseId": "%SRCROOT%"}
    assert _location("file:///srv/c.ttl") == {"uri": "file:///srv/c.ttl"}


def test_rule_help_with_and_without_a_clause_url_and_deprecated_ids() -> None:
    from ldt_conform.model import Ref
    from ldt_conform.render.sarif import _rule
    from ldt_conform.render.labels import labels

    no_url = replace(factory.RULES[0], refs=(Ref("DCAT-AP 3.0.1 §5"),), aliases=("OLD-1", "OLD-2"))
    got = _rule(no_url, "en", labels("en"))
    assert got["help"] == {
        "text": "Checks that a dataset has a title.\n\nfix: Fix: a dataset has a title.\n\nclause: DCAT-AP 3.0.1 §5",
        "markdown": "Checks that a dataset has a title.\n\n**fix:** Fix: a dataset has a title.\n\n"
                    "**clause:** DCAT-AP 3.0.1 §5"}
    assert got["properties"]["refs"] == [{"id": "DCAT-AP 3.0.1 §5"}]
    assert got["deprecatedIds"] == ["OLD-1", "OLD-2"]
    with_url = _rule(factory.RULES[0], "en", labels("en"))
    url = "https://semiceu.github.io/DCAT-AP/releases/3.0.1/#dataset-title"
    assert with_url["help"]["markdown"].endswith(f"**clause:** [DCAT-AP 3.0.1 §101]({url})")
    assert with_url["help"]["text"].endswith(f"clause: DCAT-AP 3.0.1 §101 <{url}>")
    assert "deprecatedIds" not in with_url
    # Lower-case aliases are names, not ids: SARIF's deprecatedIds would be wrong for them.
    assert "deprecatedIds" not in _rule(replace(factory.RULES[0], aliases=("dataset-title-old",)), "en",
                                        labels("en"))


# --- JUnit: counts, texts, suites -------------------------------------------------------------------------------

def _junit(report: object, lang: str = "en") -> ET.Element:
    return ET.fromstring(render_junit(report, lang).split("\n", 1)[1])  # type: ignore[arg-type]


def _case(root: ET.Element, suite: str, rule_id: str) -> ET.Element:
    found = [c for s in root.iter("testsuite") if s.get("name") == suite for c in s.iter("testcase")
             if c.get("name", "").startswith(rule_id + " ")]
    assert len(found) == 1, (suite, rule_id, len(found))
    return found[0]


def _counts(element: ET.Element) -> dict[str, str | None]:
    return {k: element.get(k) for k in ("tests", "failures", "errors", "skipped")}


def test_junit_suite_and_run_counts_are_exact() -> None:
    report = _report([
        Result("TP-101", CAT, Status.SKIP, reason="a", why=Why.PREREQUISITE_FAILED),
        Result("TP-102", CAT, Status.SKIP, reason="b", why=Why.NOT_APPLICABLE),
        Result("TP-201", CAT, Status.ERROR, reason="boom"),
        Result("TP-301", CAT, Status.FAIL),
    ], findings=(Finding("TP-301", Severity.ERROR, CAT, "urn:x", "bad"),))
    root = _junit(report)
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert _counts(suites[CAT]) == {"tests": "4", "failures": "1", "errors": "1", "skipped": "2"}
    assert _counts(suites[API]) == {"tests": "2", "failures": "0", "errors": "1", "skipped": "1"}
    # Jenkins' XSD has no `skipped` on testsuites: the run totals count tests, failures and errors.
    assert _counts(root) == {"tests": "6", "failures": "1", "errors": "2", "skipped": None}


def test_junit_skip_and_error_texts() -> None:
    report = _report([
        Result("TP-101", CAT, Status.SKIP, reason="the schema is offline", why=Why.ARTEFACT_UNAVAILABLE),
        Result("TP-102", CAT, Status.SKIP),
        Result("TP-201", CAT, Status.ERROR),
        Result("TP-301", CAT, Status.ERROR, reason="crashed"),
    ], findings=(Finding("TP-301", Severity.WARNING, CAT, "urn:x", "partial finding", path="urn:p"),))
    root = _junit(report)
    assert _case(root, CAT, "TP-101").find("skipped").get("message") == (  # type: ignore[union-attr]
        "not verified (artefact-unavailable): the schema is offline")
    assert _case(root, CAT, "TP-102").find("skipped").get("message") == "not verified"  # type: ignore[union-attr]
    bare = _case(root, CAT, "TP-201").find("error")
    assert bare is not None and (bare.get("message"), bare.get("type"), bare.text) == (
        "the check could not be evaluated", "check-error", None)
    err = _case(root, CAT, "TP-301").find("error")
    assert err is not None and err.get("message") == "crashed"
    assert err.text == ("warning: urn:x  urn:p\n    partial finding\n"
                        "clause: DCAT-AP 3.0.1 §301 <https://semiceu.github.io/DCAT-AP/releases/3.0.1/#dataset-theme>")
    assert [child.tag for child in _case(root, CAT, "TP-301")] == ["error"]


def test_junit_a_long_failure_is_cut_with_a_count_in_the_report_language() -> None:
    from ldt_conform.render.junit import MAX_FINDINGS_IN_BODY

    many = tuple(Finding("TP-101", Severity.ERROR, CAT, f"urn:d:{i:04d}", "no title")
                 for i in range(MAX_FINDINGS_IN_BODY + 3))
    report = _report([Result("TP-101", CAT, Status.FAIL)], findings=many)
    lines = (_case(_junit(report), CAT, "TP-101").find("failure").text or "").split("\n")  # type: ignore[union-attr]
    assert len(lines) == 2 * MAX_FINDINGS_IN_BODY + 2
    assert lines[-2:] == ["… 3 more findings of this rule",
                          "clause: DCAT-AP 3.0.1 §101 <https://semiceu.github.io/DCAT-AP/releases/3.0.1/#dataset-title>"]
    fr = (_case(_junit(report, "fr"), CAT, "TP-101").find("failure").text or "").split("\n")  # type: ignore[union-attr]
    assert fr[-2] == "… 3 autres constats pour cette règle"


def test_junit_results_without_a_target_come_last_in_a_suite_named_none() -> None:
    report = _report([Result("TP-401", "", Status.SKIP, reason="no API target was given", why=Why.NOT_APPLICABLE)])
    names = [s.get("name") for s in _junit(report).iter("testsuite")]
    assert names == [CAT, API, "(none)"]
    assert [s.get("name") for s in _junit(report, "fr").iter("testsuite")][-1] == "(aucune)"
    assert [s.get("name") for s in _junit(_report([])).iter("testsuite")] == [CAT, API]


def test_junit_names_tool_rules_and_unknown_rules_and_cleans_control_characters() -> None:
    report = _report([Result("XX-999", CAT, Status.FAIL)],
                     findings=(Finding("XX-999", Severity.ERROR, CAT, "urn:x", "bad\x01byte"),
                               Finding("LC-002", Severity.ERROR, CAT, CAT, "a check crashed")))
    root = _junit(report)
    unknown = _case(root, CAT, "XX-999")
    assert (unknown.get("name"), unknown.get("classname")) == ("XX-999 : XX-999", "ldt-conform.XX-999")
    assert unknown.find("failure").get("message") == "1 findings: bad\ufffdbyte"  # type: ignore[union-attr]
    tool = _case(root, CAT, "LC-002")
    assert tool.get("classname") == "ldt-conform-tool.LC-002"
    assert _case(root, CAT, "TP-101").get("classname") == "test-profile.TP-101"
    assert _case(root, CAT, "TP-101").get("name") == "TP-101 dataset-title: A dataset has a title"


def test_junit_suite_properties_are_exact() -> None:
    report = replace(_report([]), warnings=("first", "second"), engines=("pyshacl", "fast"))
    suite = next(iter(_junit(report).iter("testsuite")))
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert (props["warning.1"], props["warning.2"], "warning.0" in props) == ("first", "second", False)
    assert props["engines"] == "pyshacl,fast"
    assert props["tool"] == "ldt-conform 0.1.0" and props["fail_on"] == "error"
    assert suite.get("timestamp") == "2026-01-02T03:04:00"  # Jenkins' XSD: no time zone designator


def test_junit_streamed_run_properties_name_the_file() -> None:
    from test_render_streamed import partial

    suite = next(iter(_junit(partial()).iter("testsuite")))
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert (props["findings.total"], props["findings.listed"], props["findings.file"]) == (
        "5", "2", "out/findings.jsonl")
    assert props["tool"] == "ldt-conform 0.1.0"  # the streamed properties come after the run's, not instead


def test_a_skip_without_why_or_reason_is_still_told() -> None:
    report = _report([Result("TP-102", CAT, Status.SKIP)])
    note = next(n for n in _notes(to_sarif(report, "en")) if n["properties"]["target"] == CAT)  # type: ignore[arg-type]
    assert (note["level"], note["message"]["text"], note["properties"]) == (
        "warning", f"TP-102 ({CAT}): not verified", {"status": "skip", "target": CAT})


def test_sarif_defaults_to_english_and_keeps_the_engine_of_each_finding() -> None:
    found = (Finding("TP-101", Severity.ERROR, CAT, "urn:d", "no title", engine="fast"),)
    run = to_sarif(_report([], findings=found))["runs"][0]  # type: ignore[arg-type]
    assert run["tool"]["driver"]["language"] == "en"
    from ldt_conform.render.sarif import render

    assert json.loads(render(_report([])))["runs"][0]["tool"]["driver"]["language"] == "en"  # type: ignore[arg-type]
    assert run["results"][0]["properties"] == {"focus": "urn:d", "engine": "fast", "target": CAT}


def test_sarif_large_streamed_counts_are_grouped() -> None:
    from test_render_streamed import partial, streamed

    report = replace(partial(), streamed=streamed(2, total=12345))
    assert _notes(to_sarif(report, "en"))[0]["message"]["text"] == (  # type: ignore[arg-type]
        "2 of 12,345 findings are listed; all 12,345 are in out/findings.jsonl.")


def test_junit_a_limited_pass_with_many_lesser_findings_counts_the_rest_in_the_report_language() -> None:
    from ldt_conform.render.junit import MAX_FINDINGS_IN_BODY

    hints = tuple(Finding("TP-201", Severity.INFO, CAT, f"urn:d:{i:04d}", "hint")
                  for i in range(MAX_FINDINGS_IN_BODY + 2))
    report = _report([Result("TP-201", CAT, Status.PASS, reason="not tested: 1 entity: urn:z (no type)")],
                     findings=hints)
    out = (_case(_junit(report, "fr"), CAT, "TP-201").find("system-out").text or "").split("\n")  # type: ignore[union-attr]
    assert out[0] == "réussie avec limites : non testé : 1 entité : urn:z (sans type)"
    assert out[-2] == "… 2 autres constats pour cette règle"
