"""Rule results that are not findings, in the formats a CI gate reads: SARIF notifications, JUnit notes.

A SARIF reader sees alerts only; a rule whose check could not run, a rule not verified and a pass that says what it
did not test must still reach it, tied to their rule. Every expectation here is exact: level, text, rule index,
location, properties, order.
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
     "TP-102 (catalogues/city.ttl) : non vérifiée (artefact indisponible) : not verifiable offline: "
     "https://example.org/s.json",
     "TP-201 (catalogues/city.ttl) : réussie avec limites : not tested: 2 entities: urn:a (no type), "
     "urn:b (no type)"),
    ("de", "TP-401 (https://api.example.org/ogc): Prüffehler: HTTP 500 from the landing page",
     "TP-102 (catalogues/city.ttl): nicht geprüft (Artefakt nicht verfügbar): not verifiable offline: "
     "https://example.org/s.json",
     "TP-201 (catalogues/city.ttl): bestanden mit Einschränkungen: not tested: 2 entities: urn:a (no type), "
     "urn:b (no type)"),
])
# The words around a reason follow the report's language; the reasons themselves are the checks' English texts
# (i18n.reason translates capability reasons only), as in the other formats' "Passes with limits".
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
