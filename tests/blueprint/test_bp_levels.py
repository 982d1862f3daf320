"""The per-MIM level rule (ldt_conform/levels.py, docs/blueprint.md): capability coverage, case by case on
hand-built reports and a hand-built capability model."""
from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import jsonschema
import pytest

from conftest import REPO
from ldt_conform import levels
from ldt_conform.capabilities import Capability, Model
from ldt_conform.model import ProfileInfo, Report, Result, Rule, Severity, Status, Why
from ldt_conform.render import render

MIM = "representing-data"
MODEL = Model("test", "1", {}, (
    Capability("m.one", MIM, "One", "test C1", "give A", ("A-001", "A-003")),
    Capability("m.two", MIM, "Two", "test C2", "give B", ("A-002",)),
    Capability("x.rulebook", "exchanging-data", "Rulebook", "test", "declare it", (), ("rulebook",)),
    Capability("x.terms", "exchanging-data", "Terms", "test", "give C", ("C-001",)),
))


def _rule(rule_id: str, severity: Severity = Severity.ERROR, mims: tuple[str, ...] = (MIM,)) -> Rule:
    return Rule(id=rule_id, name=rule_id.lower(), title=rule_id, severity=severity, kind="shacl", check={},
                mims=mims)


def _report(rules: list[Rule], results: list[tuple[Any, ...]], chain: tuple[str, ...] = ("ldt4ssc",),
            narrowed: bool = False) -> Report:
    made = tuple(Result(r[0], r[1], r[2], why=r[3] if len(r) > 3 else None) for r in results)
    return Report(tool_version="0", started_at="2026-01-01T00:00:00Z", finished_at="2026-01-01T00:00:01Z",
                  profile=ProfileInfo("ldt4ssc", "0", "t", "0" * 64, chain=chain), rules=tuple(rules), targets=(),
                  results=made, findings=(), options={"narrowed": narrowed} if narrowed else {})


def _level(report: Report, key: str = MIM, **kwargs: Any) -> dict[str, Any]:
    return next(m for m in levels.assess(report, model=MODEL, **kwargs) if m["key"] == key)


def _states(entry: dict[str, Any]) -> dict[str, str]:
    return {c["id"]: c["state"] for c in entry["capabilities"]}


def test_full_when_every_capability_holds_on_every_target() -> None:
    report = _report([_rule("A-001"), _rule("A-002"), _rule("A-003", Severity.WARNING)],
                     [("A-001", "t1", Status.PASS), ("A-001", "t2", Status.PASS), ("A-002", "t1", Status.PASS),
                      ("A-003", "t1", Status.FAIL)])
    entry = _level(report)
    assert entry["level"] == "full" and _states(entry) == {"m.one": "holds", "m.two": "holds"}
    assert entry["note"] == "2/2 capabilities hold"
    one = entry["capabilities"][0]
    assert (one["rules_passed"], one["rules_failed"], one["reason"]) == (["A-001"], [], "1 rule verified")


def test_a_capability_holding_on_a_limited_pass_says_so_in_every_human_format() -> None:
    """A pass that says what it did not test still verifies its rule, so the capability holds; its reason and
    rules_limited name that rule, and the text, Markdown and HTML reports show the reason of such a capability,
    which they leave out for a plain holding one."""
    note = "not tested: collection roads (prerequisite OAFEAT-015 failed for it)"
    report = _report([_rule("A-001"), _rule("A-002"), _rule("A-003")],
                     [("A-001", "t1", Status.PASS), ("A-003", "t1", Status.PASS), ("A-002", "t1", Status.PASS)])
    report = replace(report, results=tuple(replace(r, reason=note) if r.rule == "A-003" else r
                                           for r in report.results))
    entry = _level(report)
    one, two = entry["capabilities"][:2]
    assert (one["state"], one["rules_passed"], one["rules_limited"], one["reason"]) == (
        "holds", ["A-001", "A-003"], ["A-003"], "2 rules verified, with limits: A-003")
    assert (two["state"], two["reason"], "rules_limited" in two) == ("holds", "1 rule verified", False)
    assert entry["level"] == "full"
    with_levels = replace(report, mims=levels.assess(report, model=MODEL))
    schema = json.loads((REPO / "ldt_conform" / "schemas" / "report.schema.json").read_text())
    jsonschema.validate(json.loads(render("json", with_levels)), schema)
    text = render("text", with_levels)
    assert [line.split() for line in text.splitlines() if line.strip().startswith(("m.one", "m.two"))] == [
        ["m.one", "holds", "2", "rules", "verified,", "with", "limits:", "A-003"], ["m.two", "holds"]]
    markdown = render("markdown", with_levels).splitlines()
    assert [line for line in markdown if "`m.one`" in line or "`m.two`" in line] == [
        "| MIM2 | `m.one` One | holds — 2 rules verified, with limits: A-003 |  |", "| MIM2 | `m.two` Two | holds |  |"]
    assert f"- `A-003` t1: {note}" in markdown  # and the pass itself, under "Passes with limits"
    assert "holds — <span class=\"muted\">2 rules verified, with limits: A-003</span>" in render("html", with_levels)
    assert "2 règles vérifiées, avec limites : A-003" in render("html", with_levels, lang="fr")


def test_one_failing_target_breaks_the_capability() -> None:
    report = _report([_rule("A-001"), _rule("A-002")],
                     [("A-001", "t1", Status.PASS), ("A-001", "t2", Status.FAIL), ("A-002", "t1", Status.PASS)])
    entry = _level(report)
    assert entry["level"] == "partial" and _states(entry) == {"m.one": "broken", "m.two": "holds"}
    assert entry["note"] == "1/2 capabilities hold; broken: m.one"
    assert entry["capabilities"][0]["reason"] == "broken: A-001"


def test_error_results_count_as_broken() -> None:
    report = _report([_rule("A-001"), _rule("A-002")], [("A-001", "t1", Status.ERROR), ("A-002", "t", Status.FAIL)])
    entry = _level(report)
    assert entry["level"] == "initial" and _states(entry) == {"m.one": "broken", "m.two": "broken"}


def test_a_capability_without_evidence_is_not_assessed_and_says_what_would_assess_it() -> None:
    report = _report([_rule("A-001"), _rule("A-002")],
                     [("A-001", "t", Status.PASS), ("A-002", "", Status.SKIP, Why.NOT_APPLICABLE)])
    entry = _level(report)
    assert entry["level"] == "partial" and _states(entry) == {"m.one": "holds", "m.two": "not-assessed"}
    two = entry["capabilities"][1]
    assert (two["reason"], two["assess"]) == ("not verified: 1 not-applicable", "give B")
    assert entry["note"] == "1/2 capabilities hold; not assessed: m.two"


@pytest.mark.parametrize("why", [Why.ARTEFACT_UNAVAILABLE, Why.PREREQUISITE_FAILED, Why.NOT_SELECTED])
def test_a_must_rule_that_could_not_be_verified_leaves_the_capability_unproven(why: Why) -> None:
    # A-001 passed on one target, but on another its artefact was missing: the pass is no proof for the capability.
    report = _report([_rule("A-001"), _rule("A-002")],
                     [("A-001", "t1", Status.PASS), ("A-001", "t2", Status.SKIP, why), ("A-002", "t", Status.PASS)])
    entry = _level(report)
    assert entry["level"] == "partial" and _states(entry) == {"m.one": "not-assessed", "m.two": "holds"}
    assert entry["capabilities"][0]["reason"] == f"not verified: A-001 {why.value}"


def test_warnings_are_evidence_only_when_no_must_rule_was_verified_and_infos_never() -> None:
    report = _report([_rule("A-001", Severity.INFO), _rule("A-003", Severity.WARNING), _rule("A-002", Severity.INFO)],
                     [("A-001", "t", Status.FAIL), ("A-003", "t", Status.PASS), ("A-002", "t", Status.PASS)])
    entry = _level(report)
    assert _states(entry) == {"m.one": "holds", "m.two": "not-assessed"}
    assert entry["capabilities"][0]["rules_passed"] == ["A-003"]


def test_a_narrowed_run_never_reaches_full() -> None:
    report = _report([_rule("A-001"), _rule("A-002")], [("A-001", "t", Status.PASS), ("A-002", "t", Status.PASS)],
                     narrowed=True)
    entry = _level(report)
    assert entry["level"] == "partial" and entry["narrowed"] is True
    assert entry["note"] == "2/2 capabilities hold; narrowed run: --select/--ignore left rules out, so no MIM is full"


def test_not_applicable_capabilities_are_left_out_with_their_reason() -> None:
    report = _report([_rule("A-001"), _rule("A-002")], [("A-001", "t", Status.PASS)])
    entry = _level(report, not_applicable={"m.two": "no such data in this twin"})
    assert entry["level"] == "full"
    assert entry["capabilities"][1]["state"] == "not-applicable"
    assert entry["capabilities"][1]["reason"] == "no such data in this twin"
    assert entry["note"] == "1/1 capabilities hold; not applicable: m.two"


def test_organisational_capabilities_are_declared_never_machine_verified() -> None:
    rules = [_rule("C-001", mims=("exchanging-data",))]
    report = _report(rules, [("C-001", "t", Status.PASS)])
    entry = _level(report, "exchanging-data", evidence={"exchanging-data": {"rulebook": "https://r.example"}})
    assert entry["level"] == "partial" and entry["machine_verifiable"] is False
    assert _states(entry) == {"x.rulebook": "declared", "x.terms": "holds"}
    assert entry["capabilities"][0]["reason"] == "declared, not machine-verified: rulebook"
    assert entry["note"] == ("1/2 capabilities hold; organisational capabilities keep it below a machine-verified "
                             "full; evidence declared, not machine-verified: rulebook")


def test_declared_evidence_alone_is_initial() -> None:
    entry = _level(_report([], []), "exchanging-data", evidence={"exchanging-data": {"rulebook": "https://r.example",
                                                                                    "note": "v2"}})
    assert entry["level"] == "initial"
    assert entry["evidence"] == [{"kind": "rulebook", "value": "https://r.example",
                                  "status": "declared, not machine-verified"}]


def test_evidence_does_not_lift_a_failing_mim() -> None:
    report = _report([_rule("C-001", mims=("exchanging-data",))], [("C-001", "t", Status.FAIL)])
    entry = _level(report, "exchanging-data", evidence={"exchanging-data": {"rulebook": "https://r.example"}})
    assert entry["level"] == "initial" and _states(entry)["x.terms"] == "broken"


def test_not_assessed_versus_declared() -> None:
    report = _report([_rule("A-001")], [("A-001", "", Status.SKIP, Why.NOT_APPLICABLE)])
    assert _level(report)["level"] == "not-assessed"
    declared = _level(report, declared=[MIM])
    assert declared["level"] == "initial" and declared["declared"]


def test_tool_rules_are_ignored() -> None:
    report = _report([_rule("LC-001")], [("LC-001", "t", Status.PASS)])
    model = replace(MODEL, capabilities=(Capability("m.lc", MIM, "LC", "t", "x", ("LC-001",)),))
    assert next(m for m in levels.assess(report, model=model) if m["key"] == MIM)["level"] == "not-assessed"


def test_levels_cover_every_mim_in_v8_order() -> None:
    labels = [m["label"] for m in levels.assess(_report([], []))]
    assert labels == [f"MIM{i}" for i in range(9)]


def test_attach_only_for_blueprint_or_tagged_rules() -> None:
    plain = _report([_rule("A-001", mims=())], [("A-001", "t", Status.PASS)], chain=("dcat-ap-3",))
    assert levels.attach(plain, model=MODEL).mims == ()
    tagged = _report([_rule("A-001")], [("A-001", "t", Status.PASS)], chain=("dcat-ap-3",))
    assert len(levels.attach(tagged, model=MODEL).mims) == 9


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
