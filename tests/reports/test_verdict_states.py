"""Every format shows pass, fail, error and not verified distinctly, never draws an info or a not-verified result as a
failure, and carries the run's scope and the per-MIM capabilities."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import factory
from factory import API, CAT
from ldt_conform.render import render

SCOPE = "5 of 7 rules selected (--select TP); narrowed run: MIM levels never reach full"


def test_html_draws_an_info_note_as_info_and_a_skip_as_not_verified() -> None:
    html = str(render("html", factory.report()))
    by_tip = {tip: state for state, tip in re.findall(r'<td class="c-([a-z]+)" title="([^"]*)"', html)}
    assert by_tip[f"LC-004 × {CAT}: info (not a failure)"] == "info"
    assert by_tip[f"TP-102 × {API}: not verified (not-applicable)"] == "skip"
    assert by_tip[f"TP-401 × {API}: error"] == "error"
    assert by_tip[f"TP-101 × {CAT}: fail"] == "fail"
    assert "fail" not in {state for tip, state in by_tip.items() if tip.startswith("LC-004")}
    assert f'<p id="scope"><strong>Scope:</strong> {SCOPE}</p>' in html
    assert '<td class="cap-not-assessed">not assessed — <span class="muted">not verified: TP-102 artefact-unavailable' \
           "</span></td>" in html


def test_text_summary_says_not_verified_and_the_scope() -> None:
    text = str(render("text", factory.report(), width=200))
    assert "pass 1 · fail 3 · error 1 · not verified 1" in text
    assert f"Scope: {SCOPE}" in text
    assert re.search(r"mim1\.typed +not assessed +not verified: TP-102 artefact-unavailable · would be assessed by: "
                     r"add an NGSI-LD broker to \[\[twin\.apis\]\]", text)


def test_markdown_summary_and_capabilities() -> None:
    md = str(render("markdown", factory.report()))
    assert f"**Scope:** {SCOPE}" in md
    assert "| pass | fail | error | not verified |" in md
    assert "| MIM2 | `mim2.open-format` Capability mim2.open-format | not applicable — no payloads in this twin |  |" in md


def test_json_and_sarif_carry_the_scope_and_capabilities() -> None:
    data = json.loads(render("json", factory.report()))
    assert (data["summary"]["scope"], data["summary"]["rules_selected"], data["summary"]["narrowed"]) == (SCOPE, 5, True)
    assert data["options"]["select"] == ["TP"]
    skip = next(r for r in data["results"] if r["rule"] == "TP-102" and r["target"] == API)
    assert (skip["status"], skip["why"]) == ("skip", "not-applicable")
    sarif = json.loads(render("sarif", factory.report()))["runs"][0]["properties"]
    assert sarif["scope"] == SCOPE
    assert [c["state"] for c in sarif["capabilities"][1]["capabilities"]] == ["broken", "not-assessed"]


def test_junit_skips_say_not_verified_and_an_info_note_is_not_a_failure() -> None:
    root = ET.fromstring(str(render("junit", factory.report())))
    cases = {(suite.get("name"), case.get("name", "").split()[0]): case for suite in root.iter("testsuite")
             for case in suite.iter("testcase")}
    skipped = cases[(API, "TP-102")].find("skipped")
    assert skipped is not None and skipped.get("message") == (
        "not verified (not-applicable): no RDF catalogue target was given")
    lc004 = cases[(CAT, "LC-004")]
    assert lc004.find("failure") is None and lc004.find("error") is None and lc004.find("system-out") is not None
    props = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert props["scope"] == SCOPE and props["option.narrowed"] == "True"
    assert props["mim.MIM1.mim1.typed"] == "not-assessed: not verified: TP-102 artefact-unavailable"
    assert props["mim.MIM0.mim0.retrievable"] == "holds"
