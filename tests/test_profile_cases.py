"""Every rule of every shipped profile has pass and fail cases, and they behave: fail raises the rule, pass does not."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import PROFILES
from ldt_conform import api
from ldt_conform import profile as profiles
from ldt_conform.mims import MIMS

FILE_CASE_KINDS = ("shacl", "json_schema")
CASE_SUFFIXES = {".ttl", ".rdf", ".jsonld", ".nt", ".nq", ".trig", ".json"}


def _shipped() -> list[profiles.Profile]:
    return [profiles.load(str(m)) for m in sorted(PROFILES.glob("*/profile.toml"))]


def _own_rules() -> list[tuple[profiles.Profile, profiles.Rule]]:
    """Each rule once, with the profile that defines it (cases live beside that profile's manifest)."""
    out = []
    for prof in _shipped():
        for rule in prof.rules:
            if rule.profile == prof.id:
                out.append((prof, rule))
    return out


def _cases(prof: profiles.Profile, rule_id: str, kind: str) -> list[Path]:
    folder = prof.path.parent / "cases" / rule_id
    return sorted(p for p in folder.glob(f"{kind}-*") if p.suffix in CASE_SUFFIXES) if folder.is_dir() else []


CASES = [
    pytest.param(prof, rule, case, id=f"{rule.id}/{case.name}")
    for prof, rule in _own_rules() if rule.kind in FILE_CASE_KINDS
    for case in (*_cases(prof, rule.id, "pass"), *_cases(prof, rule.id, "fail"))
]


def test_profiles_are_shipped() -> None:
    assert _shipped(), "no profile under profiles/"


@pytest.mark.parametrize("prof,rule", [pytest.param(p, r, id=r.id) for p, r in _own_rules()
                                       if r.kind in FILE_CASE_KINDS])
def test_every_rule_has_pass_and_fail_cases(prof: profiles.Profile, rule: profiles.Rule) -> None:
    assert _cases(prof, rule.id, "pass"), f"{rule.id} has no cases/{rule.id}/pass-* file in {prof.path.parent}"
    assert _cases(prof, rule.id, "fail"), f"{rule.id} has no cases/{rule.id}/fail-* file in {prof.path.parent}"


def _run_case(prof: profiles.Profile, rule: profiles.Rule, case: Path) -> set[str]:
    if rule.kind == "json_schema":
        options = api.CheckOptions(profile=str(prof.path), select=[rule.id], payloads=[str(case)], offline=True)
        report = api.check([], options)
    else:
        report = api.check([str(case)], api.CheckOptions(profile=str(prof.path), select=[rule.id]))
    return {f.rule for f in report.findings}


@pytest.mark.parametrize("prof,rule,case", CASES)
def test_case(prof: profiles.Profile, rule: profiles.Rule, case: Path) -> None:
    raised = _run_case(prof, rule, case)
    if case.name.startswith("fail-"):
        assert rule.id in raised, f"{case} should raise {rule.id}; raised {sorted(raised)}"
    else:
        assert rule.id not in raised, f"{case} should not raise {rule.id}"
        assert "LC-003" not in raised, f"{case}: a SHACL result mapped to no rule"


def test_rule_ids_unique_across_profiles() -> None:
    owner: dict[str, str] = {}
    for prof, rule in _own_rules():
        assert owner.setdefault(rule.id, prof.id) == prof.id, f"{rule.id} defined by {owner[rule.id]} and {prof.id}"


@pytest.mark.parametrize("prof,rule", [pytest.param(p, r, id=r.id) for p, r in _own_rules()])
def test_rule_metadata_is_complete(prof: profiles.Profile, rule: profiles.Rule) -> None:
    assert rule.refs and all(ref.url and ref.url.startswith("http") for ref in rule.refs), "each ref needs a URL"
    assert rule.message, "a rule needs a message that says what to fix"
    assert rule.i18n.get("fr", {}).get("title") and rule.i18n["fr"].get("message"), "French title and message"
    for mim in rule.mims:
        assert mim in MIMS, f"unknown MIM key {mim!r} (use the names in ldt_conform/mims.py)"


@pytest.mark.parametrize("manifest", sorted(PROFILES.glob("*/profile.toml")), ids=lambda p: p.parent.name)
def test_shipped_shapes_pass_shacl_meta_validation(manifest: Path) -> None:
    import pyshacl
    from rdflib import Graph

    prof = profiles.load(str(manifest))
    own = [f for f in prof.shacl_files if manifest.parent in f.parents]
    if not own:
        pytest.skip(f"{prof.id} ships no shapes of its own")
    shapes = Graph()
    for file in own:
        shapes.parse(file, format="turtle")
    conforms, _, text = pyshacl.validate(shapes, shacl_graph=shapes, meta_shacl=True, inference="none")
    assert conforms, text
