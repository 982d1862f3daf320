"""The per-MIM level rule (ldt_conform/levels.py, docs/blueprint.md), case by case on hand-built reports."""
from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from conftest import REPO
from ldt_conform import levels
from ldt_conform.model import ProfileInfo, Report, Result, Rule, Severity, Status
from ldt_conform.render import render

MIM = "representing-data"


def _rule(rule_id: str, severity: Severity = Severity.ERROR, mims: tuple[str, ...] = (MIM,)) -> Rule:
    return Rule(id=rule_id, name=rule_id.lower(), title=rule_id, severity=severity, kind="shacl", check={},
                mims=mims)


def _report(rules: list[Rule], results: list[tuple[str, str, Status]], chain: tuple[str, ...] = ("ldt4ssc",)) -> Report:
    return Report(tool_version="0", started_at="2026-01-01T00:00:00Z", finished_at="2026-01-01T00:00:01Z",
                  profile=ProfileInfo("ldt4ssc", "0", "t", "0" * 64, chain=chain), rules=tuple(rules), targets=(),
                  results=tuple(Result(r, t, s) for r, t, s in results), findings=())


def _level(report: Report, key: str = MIM, **kwargs: Any) -> dict[str, Any]:
    return next(m for m in levels.assess(report, **kwargs) if m["key"] == key)


def test_full_when_every_must_rule_holds_on_every_target() -> None:
    report = _report([_rule("A-001"), _rule("A-002"), _rule("A-003", Severity.WARNING)],
                     [("A-001", "t1", Status.PASS), ("A-001", "t2", Status.PASS), ("A-002", "t1", Status.PASS),
                      ("A-003", "t1", Status.FAIL)])
    entry = _level(report)
    assert entry["level"] == "full" and entry["basis"] == "must"
    assert (entry["rules_passed"], entry["rules_failed"], entry["rules_total"]) == (2, 0, 2)


def test_one_failing_target_breaks_the_rule() -> None:
    report = _report([_rule("A-001"), _rule("A-002")],
                     [("A-001", "t1", Status.PASS), ("A-001", "t2", Status.FAIL), ("A-002", "t1", Status.PASS)])
    entry = _level(report)
    assert entry["level"] == "partial" and entry["rules_failed"] == 1 and "1/2 MUST rules hold" in entry["note"]


def test_error_results_count_as_broken() -> None:
    report = _report([_rule("A-001")], [("A-001", "t1", Status.ERROR)])
    assert _level(report)["level"] == "initial"


def test_initial_when_nothing_passes() -> None:
    report = _report([_rule("A-001"), _rule("A-002")], [("A-001", "t", Status.FAIL), ("A-002", "t", Status.FAIL)])
    assert _level(report)["level"] == "initial"


def test_skipped_rules_are_not_evidence() -> None:
    report = _report([_rule("A-001"), _rule("A-002")], [("A-001", "t", Status.PASS), ("A-002", "", Status.SKIP)])
    entry = _level(report)
    assert entry["level"] == "full" and entry["rules_skipped"] == 1 and "1 not evaluated" in entry["note"]


def test_warnings_only_when_no_must_rule_was_evaluated() -> None:
    report = _report([_rule("A-001", Severity.WARNING), _rule("A-002", Severity.INFO)],
                     [("A-001", "t", Status.PASS), ("A-002", "t", Status.FAIL)])
    entry = _level(report)
    assert entry["basis"] == "any" and entry["level"] == "partial"


def test_not_assessed_versus_declared() -> None:
    report = _report([_rule("A-001")], [("A-001", "", Status.SKIP)])
    assert _level(report)["level"] == "not-assessed"
    declared = _level(report, declared=[MIM])
    assert declared["level"] == "initial" and declared["declared"]


def test_declared_evidence_is_never_a_machine_pass() -> None:
    report = _report([], [])
    entry = _level(report, "personal-data", evidence={"personal-data": {"dpia": "https://x.example/dpia.pdf",
                                                                        "note": "aggregated"}})
    assert entry["level"] == "initial"
    assert entry["rules_passed"] == 0 and entry["rules_total"] == 0
    assert entry["evidence"] == [{"kind": "dpia", "value": "https://x.example/dpia.pdf",
                                  "status": "declared, not machine-verified"}]
    assert "declared, not machine-verified" in entry["note"]


def test_evidence_does_not_lift_a_failing_mim() -> None:
    rules = [_rule("A-001", mims=("exchanging-data",)), _rule("A-002", mims=("exchanging-data",))]
    report = _report(rules, [("A-001", "t", Status.FAIL), ("A-002", "t", Status.FAIL)])
    entry = _level(report, "exchanging-data", evidence={"exchanging-data": {"rulebook": "https://r.example"}})
    assert entry["level"] == "initial" and entry["evidence"]


def test_tool_rules_and_disabled_rules_are_ignored() -> None:
    report = _report([_rule("LC-001"), Rule(id="A-001", name="a", title="a", severity=Severity.ERROR, kind="shacl",
                                            check={}, mims=(MIM,), enabled=False)],
                     [("LC-001", "t", Status.FAIL), ("A-001", "t", Status.FAIL)])
    assert _level(report)["level"] == "not-assessed"


def test_levels_cover_every_mim_in_v8_order() -> None:
    labels = [m["label"] for m in levels.assess(_report([], []))]
    assert labels == [f"MIM{i}" for i in range(9)]


def test_attach_only_for_blueprint_or_tagged_rules() -> None:
    plain = _report([_rule("A-001", mims=())], [("A-001", "t", Status.PASS)], chain=("dcat-ap-3",))
    assert levels.attach(plain).mims == ()
    tagged = _report([_rule("A-001")], [("A-001", "t", Status.PASS)], chain=("dcat-ap-3",))
    assert len(levels.attach(tagged).mims) == 9


def test_json_report_with_levels_matches_the_schema() -> None:
    report = levels.attach(_report([_rule("A-001")], [("A-001", "t", Status.PASS)]),
                           declared=["securing-data"], evidence={"interoperable-ai": {"algorithm-register": "x"}})
    document = json.loads(render("json", report))
    schema = json.loads((REPO / "ldt_conform" / "schemas" / "report.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(document)
    assert {m["key"]: m["level"] for m in document["mims"]}["interoperable-ai"] == "initial"
    assert "MIM levels" in render("text", report)


@pytest.mark.parametrize("level", levels.LEVELS)
def test_levels_are_documented(level: str) -> None:
    assert f"**{level}**" in (REPO / "docs" / "blueprint.md").read_text()
    assert f"**{level}**" in (levels.__doc__ or "")


def test_blueprint_composes_the_shipped_profiles_and_tags_every_rule() -> None:
    from ldt_conform import profile as profiles

    blueprint = profiles.load("ldt4ssc")
    assert {"dcat-ap-3", "api", "ngsi-ld", "ogcapi-features"} <= set(blueprint.chain)
    assert not [r.id for r in blueprint.rules if not r.mims], "every rule names the MIM(s) it is evidence for"
    own = [r for r in blueprint.rules if r.profile == "ldt4ssc"]
    assert {r.kind for r in own} == {"shacl", "json_schema", "transport"}
    machine = {m for r in blueprint.rules for m in r.mims}
    # MIM0, 1, 2, 3 and 6 are the ones LDT4SSC pilots must engage with: each has machine-checked rules
    assert {"accessing-data", "interlinking-data", "representing-data", "exchanging-data", "securing-data"} <= machine
