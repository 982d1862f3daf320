"""Exact expectations for the code that decides verdicts, written where mutation testing (tools/mutation.py) showed
that the rest of the suite let a changed line through."""
from __future__ import annotations

from pathlib import Path

import pytest

from ldt_conform import api
from ldt_conform import profile as profiles
from ldt_conform.checks import shacl as shacl_check
from ldt_conform.errors import BudgetError, ProfileError, UsageError
from ldt_conform.model import Report, Severity


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
