"""Exact expectations for the code that decides verdicts, written where mutation testing (tools/mutation.py) showed
that the rest of the suite let a changed line through."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from ldt_conform import api, engine
from ldt_conform import baseline as baselines
from ldt_conform.baseline import finding_fingerprint, fingerprint
from ldt_conform import profile as profiles
from ldt_conform.checks import shacl as shacl_check
from ldt_conform.errors import BudgetError, ProfileError, UsageError
from ldt_conform.model import Finding, ProfileInfo, Report, Severity, TargetInfo, Why


@pytest.mark.parametrize(("severity", "threshold", "expected"), [
    (Severity.INFO, Severity.INFO, True), (Severity.INFO, Severity.WARNING, False),
    (Severity.WARNING, Severity.WARNING, True), (Severity.WARNING, Severity.ERROR, False),
    (Severity.ERROR, Severity.WARNING, True), (Severity.ERROR, Severity.ERROR, True),
])
def test_severity_at_least_is_inclusive(severity: Severity, threshold: Severity, expected: bool) -> None:
    assert severity.at_least(threshold) is expected


# ------------------------------------------------------------------------------------------------ a tiny profile

EX = "http://example.org/"
DCT = "http://purl.org/dc/terms/"
SHAPES_TTL = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix dct: <http://purl.org/dc/terms/> .
ex:Titled a sh:NodeShape ; sh:targetClass ex:A ; sh:property ex:Titled-title .
ex:Titled-title sh:path dct:title ; sh:minCount 1 .
ex:Described a sh:NodeShape ; sh:targetClass ex:A ; sh:property [ sh:path dct:description ; sh:minCount 1 ] .
ex:Stray a sh:PropertyShape ; sh:targetClass ex:A ; sh:path dct:creator ; sh:minCount 1 .
ex:OfB a sh:NodeShape ; sh:targetClass ex:B ; sh:property [ sh:path dct:title ; sh:minCount 1 ] .
"""
RULES_TOML = '''
[[rules]]
id = "T-101"
name = "a-has-title"
title = "An A has a title"
severity = "warning"
message = "Give {focus} a {path}."
refs = [{ id = "SPEC 1.1" }]
aliases = ["titled"]
mims = ["exchanging-data"]
[rules.shacl]
shapes = ["ex:Titled"]

[[rules]]
id = "T-102"
name = "a-has-description"
title = "An A has a description"
severity = "error"
refs = [{ id = "SPEC 1.2", url = "https://spec.example/own" }]
[rules.shacl]
shapes = ["http://example.org/Described"]

[[rules]]
id = "T-201"
name = "b-has-title"
title = "A B has a title"
severity = "info"
refs = [{ id = "OTHER 2" }]
enabled = true
[rules.shacl]
shapes = ["ex:OfB"]
'''


def _profile(folder: Path, *, pid: str = "tiny", extra: str = "", rules: str = RULES_TOML,
             shapes: str | None = SHAPES_TTL, head: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if shapes is not None:
        (folder / "shapes.ttl").write_text(shapes, encoding="utf-8")
    files = 'files = ["shapes.ttl"]' if shapes is not None else "files = []"
    text = (f'format = "ldt-conform/profile@1"\nid = "{pid}"\nversion = "1.0"\ntitle = "Tiny {pid}"\n{head}\n'
            f'[refs]\n"SPEC" = "https://spec.example/"\n"SPEC 1" = "https://spec.example/one"\n'
            f'[prefixes]\nex = "{EX}"\n[shacl]\n{files}\n{extra}\n{rules}')
    (folder / "profile.toml").write_text(text, encoding="utf-8")
    return folder / "profile.toml"


def _data(folder: Path, turtle: str) -> str:
    path = folder / "input.ttl"
    path.write_text("@prefix ex: <http://example.org/> . @prefix dct: <http://purl.org/dc/terms/> .\n" + turtle,
                    encoding="utf-8")
    return str(path)


SPARQL_AND_LITERALS = SHAPES_TTL.replace(
    "ex:OfB a sh:NodeShape ; sh:targetClass ex:B ; sh:property [ sh:path dct:title ; sh:minCount 1 ] .",
    """ex:OfB a sh:NodeShape ; sh:targetClass ex:B ;
  sh:property [ sh:path dct:title ; sh:minCount 1 ; sh:languageIn ("en") ] ,
              [ sh:path dct:issued ; sh:datatype <http://www.w3.org/2001/XMLSchema#date> ] .
ex:Unique a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select
  "SELECT $this WHERE { $this <http://example.org/p> ?x . ?o <http://example.org/p> ?x . FILTER(?o != $this) }" ] .""")


def _rows(report: Report) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """(results, findings) as sorted tuples of every field a verdict depends on (blank-node labels as "_:")."""
    def blank(text: str | None) -> str | None:
        return "_:" if text and text.startswith("_:") else text
    results = sorted((r.rule, r.status.value, r.why.value if r.why else None, r.reason, r.engine)
                     for r in report.results)
    findings = sorted((f.rule, f.severity.value, blank(f.focus), f.path, f.value, blank(f.source), f.engine,
                       f.message) for f in report.findings)
    return results, findings


@pytest.mark.parametrize("engine", ["auto", "pyshacl"])
def test_shacl_findings_belong_to_the_rule_that_owns_the_shape(tmp_path: Path, engine: str) -> None:
    manifest = _profile(tmp_path / "p")
    data = _data(tmp_path, "ex:a a ex:A .\n")
    results, findings = _rows(api.check([data], api.CheckOptions(profile=str(manifest), engine=engine)))
    used = "fast" if engine == "auto" else "pyshacl"
    assert results == [
        ("T-101", "fail", None, None, used), ("T-102", "fail", None, None, used),
        ("T-201", "skip", "not-applicable", "no focus node in this input (needs an instance of <http://example.org/B>)",
         used)]
    assert findings == [
        ("LC-003", "warning", EX + "a", DCT + "creator", EX + "Stray", EX + "Stray", used,
         "shape http://example.org/Stray (MinCountConstraintComponent) reported a problem that no rule owns"),
        ("T-101", "warning", EX + "a", DCT + "title", None, EX + "Titled-title", used,
         f"Give {EX}a a {DCT}title."),
        ("T-102", "error", EX + "a", DCT + "description", None, "_:", used, "An A has a description")]


def test_a_rule_that_holds_passes_and_unselected_rules_raise_nothing(tmp_path: Path) -> None:
    manifest = _profile(tmp_path / "p")
    data = _data(tmp_path, 'ex:a a ex:A ; dct:title "t" ; dct:creator ex:c .\n')
    results, findings = _rows(api.check([data], api.CheckOptions(profile=str(manifest), select=["T-101"])))
    assert results == [("T-101", "pass", None, None, "fast"),
                       ("T-102", "skip", "not-selected", "not selected (--select / --ignore)", None),
                       ("T-201", "skip", "not-selected", "not selected (--select / --ignore)", None)]
    assert findings == []  # T-102's shape (no description) is deactivated, not evaluated and dropped


@pytest.mark.parametrize("engine", ["auto", "pyshacl"])
def test_tagged_and_typed_literals_and_blank_nodes_reach_the_validator_intact(tmp_path: Path, engine: str) -> None:
    manifest = _profile(tmp_path / "p", shapes=SPARQL_AND_LITERALS)
    data = _data(tmp_path, 'ex:b a ex:B ; dct:title "x"@en ; dct:issued "2020-01-01"^^'
                           '<http://www.w3.org/2001/XMLSchema#date> .\n[] a ex:B ; dct:title "y"@de .\n'
                           'ex:c a ex:C ; ex:p 1 . ex:c2 a ex:C ; ex:p 2 .\n')
    results, findings = _rows(api.check([data], api.CheckOptions(profile=str(manifest), engine=engine,
                                                                  select=["T-201"])))
    used = "fast+pyshacl" if engine == "auto" else "pyshacl"
    assert results[-1] == ("T-201", "fail", None, None, used)
    assert findings == [("T-201", "info", "_:", DCT + "title", '"y"@de', "_:", used, "A B has a title")]


def test_a_shape_no_rule_owns_is_reported_by_the_sparql_fallback_too(tmp_path: Path) -> None:
    manifest = _profile(tmp_path / "p", shapes=SPARQL_AND_LITERALS)
    data = _data(tmp_path, "ex:c a ex:C ; ex:p 1 . ex:c2 a ex:C ; ex:p 1 .\n")
    _, findings = _rows(api.check([data], api.CheckOptions(profile=str(manifest), select=["T-201"])))
    message = "shape http://example.org/Unique (SPARQLConstraintComponent) reported a problem that no rule owns"
    assert findings == [("LC-003", "warning", EX + focus, None, EX + "Unique", EX + "Unique", "fast+pyshacl", message)
                        for focus in ("c", "c2")]


def test_fast_engine_refuses_a_shape_it_cannot_evaluate(tmp_path: Path) -> None:
    manifest = _profile(tmp_path / "p", shapes=SPARQL_AND_LITERALS)
    data = _data(tmp_path, "ex:c a ex:C .\n")
    with pytest.raises(ProfileError) as caught:
        api.check([data], api.CheckOptions(profile=str(manifest), engine="fast"))
    assert (caught.value.where, caught.value.message) == (
        EX + "Unique", "the fast engine cannot evaluate this shape (SHACL-SPARQL constraint (sh:sparql)); "
                       "use --engine auto")


def test_time_budget_names_the_input_and_the_budget(tmp_path: Path) -> None:
    manifest = _profile(tmp_path / "p")
    data = _data(tmp_path, "ex:a a ex:A .\n")
    with pytest.raises(BudgetError) as caught:
        api.check([data], api.CheckOptions(profile=str(manifest), time_budget=1e-9))
    assert caught.value.where.startswith(f"{data}: shape {EX}")
    assert caught.value.message == ("validation exceeded the time budget of 1e-09 s (raise it with --time-budget, "
                                    "or use --store-dir for very large inputs)")


def test_bundle_maps_every_shape_and_its_property_shapes_to_the_owner(tmp_path: Path) -> None:
    prof = profiles.load(str(_profile(tmp_path / "p")))
    owner = shacl_check.load_bundle(prof.shacl_files, prof.rules).owner
    named = {k: v for k, v in owner.items() if not k.startswith("_:")}
    assert named == {EX + "Titled": "T-101", EX + "Titled-title": "T-101", EX + "Described": "T-102",
                     EX + "OfB": "T-201"}
    assert sorted(v for k, v in owner.items() if k.startswith("_:")) == ["T-102", "T-201"]


@pytest.mark.parametrize(("shapes", "rules", "where", "message"), [
    (SHAPES_TTL, RULES_TOML.replace('"ex:OfB"', '"ex:Missing"'), "tiny#rules[id=T-201].shacl.shapes",
     "shape http://example.org/Missing is not defined in any shapes file of the profile"),
    (SHAPES_TTL, RULES_TOML.replace('"ex:OfB"', '"ex:Titled"'), "tiny#rules[id=T-201].shacl.shapes",
     "shape http://example.org/Titled is already owned by rule T-101"),
    (SHAPES_TTL + "ex:broken a .\n", RULES_TOML, "shapes.ttl", "cannot parse shapes: "),
])
def test_bundle_errors_name_the_rule_or_file(tmp_path: Path, shapes: str, rules: str, where: str,
                                             message: str) -> None:
    prof = profiles.load(str(_profile(tmp_path / "p", shapes=shapes, rules=rules)))
    with pytest.raises(ProfileError) as caught:
        shacl_check.load_bundle(prof.shacl_files, prof.rules)
    assert caught.value.where.endswith(where)
    assert caught.value.message.startswith(message)
    assert "\n" not in caught.value.message


# ------------------------------------------------------------------------------------------------ profile loading

def test_profile_rules_carry_every_manifest_field(tmp_path: Path) -> None:
    prof = profiles.load(str(_profile(tmp_path / "p")))
    assert (prof.id, prof.version, prof.title, prof.chain, prof.overridden) == (
        "tiny", "1.0", "Tiny tiny", ("tiny",), ())
    assert prof.shacl_files == ((tmp_path / "p" / "shapes.ttl").resolve(),)
    assert prof.prefixes == {"ex": EX}
    first, second, third = prof.rules
    assert (first.id, first.name, first.title, first.severity, first.kind, first.profile) == (
        "T-101", "a-has-title", "An A has a title", Severity.WARNING, "shacl", "tiny")
    assert first.check == {"shapes": [EX + "Titled"], "files": [], "base_dir": str(tmp_path / "p")}
    assert (first.aliases, first.mims, first.enabled, first.message) == (
        ("titled",), ("exchanging-data",), True, "Give {focus} a {path}.")
    # a ref without a URL borrows the longest matching clause prefix of [refs]; its own URL wins
    assert [(r.id, r.url) for r in first.refs] == [("SPEC 1.1", "https://spec.example/one")]
    assert [(r.id, r.url) for r in second.refs] == [("SPEC 1.2", "https://spec.example/own")]
    assert [(r.id, r.url) for r in third.refs] == [("OTHER 2", None)]
    assert second.check["shapes"] == [EX + "Described"]


def test_profile_hash_follows_content_not_location(tmp_path: Path) -> None:
    one = profiles.load(str(_profile(tmp_path / "one")))
    two = profiles.load(str(_profile(tmp_path / "two")))
    changed = profiles.load(str(_profile(tmp_path / "three", shapes=SHAPES_TTL + "# a comment\n")))
    assert one.sha256 == two.sha256
    assert one.sha256 != changed.sha256
    assert one.sha256 == "4a50d6141a7a1d967fcc82c474d2e0b1e45d4e49ac688fab0e85b907fb7a7aed"


def test_extends_merges_the_chain_and_overrides_apply(tmp_path: Path) -> None:
    _profile(tmp_path / "base", pid="base")
    child_rules = '''
[override.T-101]
severity = "error"

[[rules]]
id = "T-301"
name = "c-rule"
title = "A C rule"
severity = "info"
refs = [{ id = "SPEC 3" }]
[rules.shacl]
shapes = ["ex:Stray"]
'''
    manifest = _profile(tmp_path / "child", pid="child", shapes=None, rules=child_rules,
                        head='extends = "../base"\nprefix = "T"')
    prof = profiles.load(str(manifest))
    assert prof.chain == ("base", "child")
    assert [(r.id, r.profile, r.severity.value, r.enabled) for r in prof.rules] == [
        ("T-101", "base", "error", True), ("T-102", "base", "error", True), ("T-201", "base", "info", True),
        ("T-301", "child", "info", True)]
    assert prof.shacl_files == ((tmp_path / "base" / "shapes.ttl").resolve(),)
    assert prof.overridden == ("T-101",)
    assert [r.id for r in profiles.select(prof.rules)] == ["T-101", "T-102", "T-201", "T-301"]


def test_override_by_alias_disables_the_rule_and_select_drops_it(tmp_path: Path) -> None:
    _profile(tmp_path / "base", pid="base")
    manifest = _profile(tmp_path / "child", pid="child", shapes=None, rules='[override.titled]\nenabled = false\n',
                        head='extends = ["../base"]')
    grandchild = _profile(tmp_path / "gc", pid="gc", shapes=None, rules="", head='extends = "../child"')
    prof = profiles.load(str(manifest))
    first = prof.rules[0]
    assert (first.id, first.enabled, first.severity.value) == ("T-101", False, "warning")
    assert prof.overridden == ("T-101",)
    assert [r.id for r in profiles.select(prof.rules)] == ["T-102", "T-201"]
    inherited = profiles.load(str(grandchild))
    assert (inherited.overridden, inherited.chain) == (("T-101",), ("base", "child", "gc"))
    assert inherited.rules[0].enabled is False


def _error(tmp_path: Path, **kwargs: str | None) -> tuple[str, str]:
    with pytest.raises(ProfileError) as caught:
        profiles.load(str(_profile(tmp_path / "p", **kwargs)))  # type: ignore[arg-type]
    return caught.value.where, caught.value.message


DUPLICATE = RULES_TOML.replace('id = "T-201"', 'id = "T-101"')


@pytest.mark.parametrize(("kwargs", "where", "message"), [
    ({"rules": DUPLICATE}, "#rules[id=T-101]", "duplicate rule id"),
    ({"head": 'prefix = "X"'}, "#rules[id=T-101]", "rule id must start with the profile prefix X-"),
    ({"rules": RULES_TOML.replace('"ex:OfB"', '"zz:OfB"')}, "#rules[id=T-201].shacl.shapes",
     "zz:OfB: unknown prefix 'zz' (declare it in [prefixes])"),
    ({"rules": RULES_TOML.replace('"ex:OfB"', '"_:b0"')}, "#rules[id=T-201].shacl.shapes",
     "_:b0: a rule must own shapes by IRI, not by blank node"),
    ({"rules": RULES_TOML.replace('name = "b-has-title"', 'name = "titled"')}, "#rules[id=T-201]",
     "name or alias 'titled' already used by T-101"),
    ({"extra": "[override.T-999]\nseverity = \"info\""}, "#override.T-999",
     "override names a rule that no profile in the chain defines"),
    ({"head": 'requires = "not a spec"'}, "#requires", "not a version specifier: 'not a spec'"),
    ({"head": 'requires = ">=999"'}, "#requires", "needs ldt-conform >=999, this is "),
    ({"rules": RULES_TOML.replace('severity = "info"', 'severity = "fatal"')}, "#rules[id=T-201].severity",
     "'fatal' is not one of ['error', 'warning', 'info']"),
    ({"head": 'extends = "nowhere-at-all"'}, "#extends", "cannot find profile 'nowhere-at-all': unknown profile"),
])
def test_profile_errors_name_the_key(tmp_path: Path, kwargs: dict[str, str], where: str, message: str) -> None:
    got_where, got_message = _error(tmp_path, **kwargs)
    assert got_where == str((tmp_path / "p" / "profile.toml").resolve()) + where
    assert got_message.startswith(message)


def test_missing_shapes_file_and_rule_defined_by_a_parent(tmp_path: Path) -> None:
    _profile(tmp_path / "base", pid="base")
    child = tmp_path / "child"
    manifest = _profile(child, pid="child", rules=RULES_TOML, head='extends = "../base"')
    with pytest.raises(ProfileError) as caught:
        profiles.load(str(manifest))
    assert (caught.value.where, caught.value.message) == (
        f"{manifest.resolve()}#rules[id=T-101]", "rule id already defined by profile base")
    (child / "shapes.ttl").unlink()
    with pytest.raises(ProfileError) as caught:
        profiles.load(str(manifest))
    assert (caught.value.where, caught.value.message) == (
        f"{manifest.resolve()}#shacl.files", "shapes file not found: shapes.ttl")


def test_extends_cycle_names_the_chain(tmp_path: Path) -> None:
    _profile(tmp_path / "a", pid="a", shapes=None, rules="", head='extends = "../b"')
    _profile(tmp_path / "b", pid="b", shapes=None, rules="", head='extends = "../a"')
    with pytest.raises(ProfileError) as caught:
        profiles.load(str(tmp_path / "a"))
    assert caught.value.message == "extends cycle: a -> b -> a"
    assert caught.value.where == str((tmp_path / "a" / "profile.toml").resolve())


def test_toml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    manifest = tmp_path / "profile.toml"
    manifest.write_text('format = "ldt-conform/profile@1"\nid = = "x"\n', encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        profiles.load(str(manifest))
    assert caught.value.where == f"{manifest.resolve()}:2:6"
    assert caught.value.message == "TOML syntax error: Invalid value"
    manifest.write_bytes(b'id = "\xff"\n')
    with pytest.raises(ProfileError) as caught:
        profiles.load(str(manifest))
    assert (caught.value.where, caught.value.message) == (str(manifest.resolve()), "not UTF-8 text (byte 6)")


def test_locate_by_directory_file_search_path_and_unknown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = _profile(tmp_path / "mine", pid="mine")
    assert profiles.locate(str(tmp_path / "mine")) == manifest.resolve()
    assert profiles.locate(str(manifest)) == manifest.resolve()
    assert profiles.locate("mine", relative_to=tmp_path) == manifest.resolve()
    monkeypatch.setenv(profiles.PROFILE_PATH_ENV, str(tmp_path))
    assert profiles.locate("mine") == manifest.resolve()
    assert manifest.resolve() in [p.resolve() for p in profiles.list_shipped()]
    with pytest.raises(ProfileError) as caught:
        profiles.locate("no-such-profile")
    assert caught.value.where == "no-such-profile"
    assert caught.value.message.startswith("unknown profile (not a file, and not a shipped id; shipped: ")
    assert ", mine, " in caught.value.message


@pytest.mark.parametrize(("selector", "expected"), [
    ("T", ["T-101", "T-102", "T-201"]), ("T-", ["T-101", "T-102", "T-201"]), ("T-1", ["T-101", "T-102"]),
    ("T-10", ["T-101", "T-102"]), ("T-101", ["T-101"]), ("a-has-title", ["T-101"]), ("titled", ["T-101"]),
    ("T-1011", []), ("a-has", []),
])
def test_rule_selectors(tmp_path: Path, selector: str, expected: list[str]) -> None:
    prof = profiles.load(str(_profile(tmp_path / "p")))
    assert [r.id for r in profiles.match_rules(prof.rules, selector)] == expected


def test_select_ignore_and_single_rule(tmp_path: Path) -> None:
    prof = profiles.load(str(_profile(tmp_path / "p")))
    assert [r.id for r in profiles.select(prof.rules, ["T-1"], ["T-102"])] == ["T-101"]
    assert [r.id for r in profiles.select(prof.rules, (), ["titled"])] == ["T-102", "T-201"]
    with pytest.raises(UsageError) as caught:
        profiles.select(prof.rules, ["nope"])
    assert (caught.value.where, caught.value.message) == (
        "nope", "unknown rule selector (not a rule ID, ID prefix, name or alias)")
    with pytest.raises(UsageError):
        profiles.select(prof.rules, (), ["nope"])
    assert prof.rule("titled").id == "T-101"
    with pytest.raises(UsageError) as caught:
        prof.rule("T-1")
    assert caught.value.message == "no single rule of profile tiny matches this selector"


# ------------------------------------------------------------------------------------------------ baselines and diffs

def _report(findings: tuple[Finding, ...], *, profile: str = "tiny", quality: dict[str, Any] | None = None) -> Report:
    return Report(tool_version="9.9", started_at="2026-01-01T00:00:00Z", finished_at="2026-01-01T00:00:01Z",
                  profile=ProfileInfo(profile, "1.0", "Tiny", "abc"), rules=(),
                  targets=(TargetInfo("data/x.ttl", "rdf", sha256="f00"),), results=(), findings=findings,
                  quality=quality or {})


F1 = Finding("R-1", Severity.ERROR, "data/x.ttl", "http://e/a", "m1", path="http://e/p", value="v")
F2 = Finding("R-2", Severity.WARNING, "data/x.ttl", "http://e/b", "m2")


def test_fingerprint_is_pinned_over_every_field(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    assert fingerprint("R-1", "data/x.ttl", "http://e/a", None, None) == (
        "b3d76b6b4bff08c20e282c6ad37015844c33fb6540b3b8540f8f9592b3b7d1f9")
    assert fingerprint("R-1", "data/x.ttl", "http://e/a", "p", "v") == (
        "1338b6997eba4fc2c38ae08a16ddcee63356c31424f265a0d5a0d25c78161c04")
    assert fingerprint("R-1", "./data/../data/x.ttl", "http://e/a", "", "") == fingerprint(
        "R-1", str(tmp_path / "data" / "x.ttl"), "http://e/a", None, None)
    assert fingerprint("R-1", "data/x.ttl", "http://e/a", "v", None) != fingerprint(
        "R-1", "data/x.ttl", "http://e/a", None, "v")
    as_dict = {"rule": "R-1", "target": "data/x.ttl", "focus": "http://e/a", "path": "http://e/p", "value": "v"}
    assert finding_fingerprint(F1) == finding_fingerprint(as_dict) == fingerprint(
        "R-1", "data/x.ttl", "http://e/a", "http://e/p", "v")


def test_baseline_file_holds_identity_targets_and_findings() -> None:
    data = json.loads(baselines.render(_report((F1, F2))))
    assert data == {
        "format": "ldt-conform/baseline@1", "tool": {"name": "ldt-conform", "version": "9.9"},
        "created_at": "2026-01-01T00:00:01Z", "profile": {"id": "tiny", "version": "1.0", "sha256": "abc"},
        "targets": [{"source": "data/x.ttl", "sha256": "f00"}],
        "findings": [
            {"fingerprint": finding_fingerprint(F1), "rule": "R-1", "severity": "error", "target": "data/x.ttl",
             "focus": "http://e/a", "path": "http://e/p", "value": "v", "message": "m1"},
            {"fingerprint": finding_fingerprint(F2), "rule": "R-2", "severity": "warning", "target": "data/x.ttl",
             "focus": "http://e/b", "message": "m2"}]}


def test_apply_marks_known_by_multiplicity_and_counts_fixed(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    gone = Finding("R-3", Severity.ERROR, "data/x.ttl", "http://e/c", "m3")
    path.write_text(baselines.render(_report((F1, gone))), encoding="utf-8")
    marked = baselines.apply(_report((F1, F1, F2)), path)
    assert [f.baseline for f in marked.findings] == ["known", "new", "new"]
    assert dict(marked.baseline) == {
        "file": str(path), "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "created_at": "2026-01-01T00:00:01Z", "profile": {"id": "tiny", "version": "1.0", "sha256": "abc"},
        "new": 2, "known": 1, "fixed": 1}
    # a baseline entry without a fingerprint is matched by its fields
    data = json.loads(path.read_text())
    for item in data["findings"]:
        del item["fingerprint"]
    path.write_text(json.dumps(data), encoding="utf-8")
    assert [f.baseline for f in baselines.apply(_report((F2, F1)), path).findings] == ["new", "known"]
    assert not _report((F1,)).conforms
    assert baselines.apply(_report((F1,)), path).conforms


BASE = {"format": "ldt-conform/baseline@1", "profile": {"id": "tiny"}, "findings": []}


@pytest.mark.parametrize(("content", "where", "message"), [
    ({**BASE, "format": "ldt-conform/report@1"}, "",
     "not a baseline in format ldt-conform/baseline@1 (found 'ldt-conform/report@1') (a report, not a baseline: "
     "write one with `ldt-conform baseline`)"),
    ([1], "", "not a baseline in format ldt-conform/baseline@1 (found None)"),
    ({**BASE, "findings": {}}, "", "malformed baseline: 'findings' and 'profile' are required"),
    ({**BASE, "profile": []}, "", "malformed baseline: 'findings' and 'profile' are required"),
    ({**BASE, "summary": []}, "#summary", "malformed: must be an object"),
    ({**BASE, "findings": [1]}, "#findings[0]", "malformed finding: must be an object"),
    ({**BASE, "findings": [{"rule": "R", "target": "t"}]}, "#findings[0].focus",
     "malformed finding: a string is required"),
    ({**BASE, "findings": [{"rule": "R", "target": "t", "focus": "f", "path": 3}]}, "#findings[0].path",
     "malformed finding: must be a string"),
    ({**BASE, "findings": [{"rule": "R", "target": "t", "focus": "f", "fingerprint": 3}]},
     "#findings[0].fingerprint", "malformed finding: must be a string"),
    ({**BASE, "mims": {}}, "#mims", "malformed: must be a list"),
    ({**BASE, "mims": [{"key": "k", "level": 2}]}, "#mims[0]",
     "malformed MIM entry: key, label, title and level are strings"),
    ({**BASE, "profile": {"id": "other"}}, "", "baseline was written for profile 'other', this run uses 'tiny'"),
])
def test_bad_baseline_names_the_key(tmp_path: Path, content: Any, where: str, message: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        baselines.load(path, "tiny")
    assert (caught.value.where, caught.value.message) == (f"{path}{where}", message)


def test_baseline_without_profile_check_and_unreadable_files(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text(json.dumps({**BASE, "profile": {"id": "other"}, "mims": [{"label": 1}]}), encoding="utf-8")
    assert baselines.load(path)["profile"] == {"id": "other"}
    for text, message in (("NaN", "not a JSON file (NaN is not JSON)"), ("{", "not a JSON file (Expecting")):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(UsageError) as caught:
            baselines.load(path)
        assert caught.value.message.startswith(message)
    with pytest.raises(UsageError) as caught:
        baselines.load(tmp_path / "missing.json")
    assert (caught.value.where, caught.value.message) == (str(tmp_path / "missing.json"), "no such file")
    with pytest.raises(UsageError) as caught:
        baselines.load(tmp_path)
    assert caught.value.message.startswith("cannot read: ")


def _mims(**levels: str) -> list[dict[str, str]]:
    titles = {"MIM0": ("accessing-data", "Accessing data"), "MIM2": ("representing-data", "Representing data"),
              "MIM1": ("interlinking-data", "Interlinking data")}
    return [{"key": titles[label][0], "label": label, "title": titles[label][1], "level": level}
            for label, level in levels.items()]


def test_diff_is_exact_with_multiplicity_and_mim_changes(tmp_path: Path) -> None:
    old_path, new_path = tmp_path / "old.json", tmp_path / "new.json"
    gone = Finding("R-3", Severity.ERROR, "data/x.ttl", "http://e/c", "m3")
    old = {**json.loads(baselines.render(_report((F1, gone)))), "mims": _mims(MIM0="full", MIM2="partial")}
    new = {"format": "ldt-conform/report@1", "profile": {"id": "other", "version": "2.0"},
           "finished_at": "2026-02-02T00:00:00Z", "summary": {"conforms": False},
           "findings": json.loads(baselines.render(_report((F1, F1, F2))))["findings"],
           "mims": _mims(MIM0="initial", MIM2="full", MIM1="partial")}
    old_path.write_text(json.dumps(old), encoding="utf-8")
    new_path.write_text(json.dumps(new), encoding="utf-8")
    result = baselines.diff(old_path, new_path)
    assert result["summary"] == {"fixed": 1, "new": 2, "unchanged": 1, "mims_up": 2, "mims_down": 1}
    assert result["from"] == {"file": str(old_path), "format": "ldt-conform/baseline@1", "profile": "tiny",
                              "profile_version": "1.0", "at": "2026-01-01T00:00:01Z"}
    assert result["to"] == {"file": str(new_path), "format": "ldt-conform/report@1", "profile": "other",
                            "profile_version": "2.0", "at": "2026-02-02T00:00:00Z", "conforms": False}
    assert [(m["label"], m["title"], m["old"], m["new"], m["change"]) for m in result["mims"]] == [
        ("MIM0", "Accessing data", "full", "initial", "down"),
        ("MIM1", "Interlinking data", "not-assessed", "partial", "up"),
        ("MIM2", "Representing data", "partial", "full", "up")]
    assert [(f["rule"], f["focus"]) for f in result["fixed"]] == [("R-3", "http://e/c")]
    assert [(f["rule"], f["focus"]) for f in result["new"]] == [("R-1", "http://e/a"), ("R-2", "http://e/b")]
    assert result["unchanged"] == [{"fingerprint": finding_fingerprint(F1), "rule": "R-1", "severity": "error",
                                    "target": "data/x.ttl", "focus": "http://e/a", "path": "http://e/p",
                                    "value": "v", "message": "m1"}]
    assert baselines.diff_text(result, limit=1) == (
        f"old: {old_path}  (tiny 1.0, 2026-01-01T00:00:01Z)\n"
        f"new: {new_path}  (other 2.0, 2026-02-02T00:00:00Z)\n"
        "note: the two reports use different profiles (tiny → other)\n"
        "findings: 1 fixed, 2 new, 1 unchanged\n"
        "MIM levels:\n"
        "  MIM0  Accessing data: full → initial (down)\n"
        "  MIM1  Interlinking data: not assessed → partial (up)\n"
        "  MIM2  Representing data: partial → full (up)\n"
        "New:\n"
        "  error   R-1          data/x.ttl  http://e/a  http://e/p\n"
        "      m1\n"
        "  … 1 more finding (use --format json for the full list)\n"
        "Fixed:\n"
        "  error   R-3          data/x.ttl  http://e/c\n"
        "      m3\n")


def test_diff_text_of_identical_reports_and_conformance_change(tmp_path: Path) -> None:
    path = tmp_path / "same.json"
    path.write_text(json.dumps({"format": "ldt-conform/report@1", "profile": {"id": "tiny", "version": "1"},
                                "created_at": "c", "summary": {"conforms": True}, "findings": [],
                                "mims": _mims(MIM0="full")}), encoding="utf-8")
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"format": "ldt-conform/report@1", "profile": {"id": "tiny", "version": "1"},
                                 "created_at": "d", "summary": {"conforms": False}, "findings": []}),
                     encoding="utf-8")
    assert baselines.diff_text(baselines.diff(path, path)) == (
        f"old: {path}  (tiny 1, c)\nnew: {path}  (tiny 1, c)\nfindings: 0 fixed, 0 new, 0 unchanged\n"
        "MIM levels: unchanged\n")
    text = baselines.diff_text(baselines.diff(path, other))
    assert "verdict: CONFORMS → DOES NOT CONFORM\n" in text
    assert "  MIM0  Accessing data: full → not assessed (down)\n" in text


@pytest.mark.parametrize(("content", "message"), [
    ({"format": "x"}, "not an ldt-conform report (ldt-conform/report@1) or baseline (ldt-conform/baseline@1); "
                      "found format 'x'"),
    ({"format": "ldt-conform/report@1", "findings": {}}, "malformed: 'findings' must be a list"),
])
def test_diff_refuses_other_files(tmp_path: Path, content: Any, message: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        baselines.diff(path, path)
    assert (caught.value.where, caught.value.message) == (str(path), message)


def test_toml_error_at_end_of_document_names_the_file(tmp_path: Path) -> None:
    manifest = tmp_path / "profile.toml"
    manifest.write_text('format = "ldt-conform/profile@1"\nrules = [', encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        profiles.load(str(manifest))
    assert (caught.value.where, caught.value.message) == (
        str(manifest.resolve()), "TOML syntax error: Invalid value (at end of document)")


def test_baseline_text_is_one_space_indented_json(tmp_path: Path) -> None:
    assert baselines.render(_report((F2,))).startswith('{\n "format": "ldt-conform/baseline@1",\n "tool": {\n  "name"')


def test_diff_mim_entries_are_complete_and_ordered_by_label(tmp_path: Path) -> None:
    old_path, new_path = tmp_path / "old.json", tmp_path / "new.json"
    old = {"format": "ldt-conform/report@1", "findings": [], "mims": [
        {"key": "z-first", "label": "MIM0", "title": "First", "level": "full"},
        {"key": "a-second", "label": "MIM1", "title": "Second", "level": "partial"}, "not an entry"]}
    new = {"format": "ldt-conform/report@1", "findings": [], "mims": [
        {"key": "a-second", "label": "MIM1", "title": "Second", "level": "partial"},
        {"key": "z-first", "label": "MIM0", "title": "First", "level": "no-such-level"}, "not an entry"]}
    old_path.write_text(json.dumps(old), encoding="utf-8")
    new_path.write_text(json.dumps(new), encoding="utf-8")
    assert baselines.diff(old_path, new_path)["mims"] == [
        {"key": "z-first", "label": "MIM0", "title": "First", "old": "full", "new": "no-such-level", "change": "down"},
        {"key": "a-second", "label": "MIM1", "title": "Second", "old": "partial", "new": "partial", "change": "same"}]


def test_unknown_manifest_key_is_named_as_such(tmp_path: Path) -> None:
    where, message = _error(tmp_path, head='colour = "red"')
    assert where.endswith("profile.toml#(top level)")
    assert message == "unknown key ('colour' was unexpected)"


def test_a_missing_search_folder_does_not_hide_the_shipped_profiles(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(profiles.PROFILE_PATH_ENV, str(tmp_path / "missing"))
    assert "dcat-ap-3-core" in [p.parent.name for p in profiles.list_shipped()]


# ------------------------------------------------------------------------------------------------ engine sentences

@pytest.mark.parametrize(("kind", "noun"), [("shacl", "RDF catalogue"), ("json_schema", "payload"), ("api", "API"),
                                            ("transport", "API"), ("other", "other")])
def test_a_rule_without_a_target_of_its_kind_names_the_missing_input(kind: str, noun: str) -> None:
    assert engine._kind_noun(kind) == noun


def test_shacl_rule_without_catalogue_is_not_applicable(tmp_path: Path) -> None:
    report = api.check([], api.CheckOptions(profile=str(_profile(tmp_path / "p")), select=["T-101"]))
    assert [(r.rule, r.status.value, r.why, r.reason) for r in report.results if r.rule == "T-101"] == [
        ("T-101", "skip", Why.NOT_APPLICABLE, "no RDF catalogue target was given")]


@pytest.mark.parametrize(("reason", "why"), [
    ("the prerequisite failed", Why.PREREQUISITE_FAILED), ("server not reachable", Why.PREREQUISITE_FAILED),
    ("it could not be reached", Why.PREREQUISITE_FAILED), ("running Offline", Why.ARTEFACT_UNAVAILABLE),
    ("no artefact", Why.ARTEFACT_UNAVAILABLE), ("schema not pinned", Why.ARTEFACT_UNAVAILABLE),
    ("an unpinned schema", Why.ARTEFACT_UNAVAILABLE), ("rule not selected", Why.NOT_SELECTED),
])
def test_why_of_a_reason_sentence(reason: str, why: Why) -> None:
    assert engine.why_of(reason) is why


def test_diff_ignores_mim_entries_that_are_not_objects_and_checks_the_profile(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"format": "ldt-conform/report@1", "findings": [], "mims": ["monkey"]}),
                    encoding="utf-8")
    assert baselines.diff(path, path)["mims"] == []
    path.write_text(json.dumps({"format": "ldt-conform/report@1", "findings": [], "profile": []}), encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        baselines.diff(path, path)
    assert (caught.value.where, caught.value.message) == (f"{path}#profile", "malformed: must be an object")
