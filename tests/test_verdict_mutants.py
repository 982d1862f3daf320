"""Exact expectations that kill the mutants tools/mutation.py's full run found alive in the verdict modules (the
report summary, the exit-code decision, levels, engine, profile, baseline, the SHACL check kind and shacl_fast)."""
from __future__ import annotations

import json
import tomllib
from dataclasses import replace
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from ldt_conform import api, engine, tool_ids
from ldt_conform import baseline as baselines
from ldt_conform import levels
from ldt_conform import profile as profiles
from ldt_conform.checks import shacl as shacl_check
from ldt_conform.errors import ProfileError, UsageError
from ldt_conform.shacl_fast import validate as fast_validate
from ldt_conform.baseline import finding_fingerprint, fingerprint
from ldt_conform.capabilities import Capability, Model
from ldt_conform.model import Finding, ProfileInfo, Report, Result, Rule, Severity, Status, Why
from test_verdict_exact import DCT, EX, RULES_TOML, SHAPES_TTL, SPARQL_AND_LITERALS, _data, _profile, _rows

SH = "http://www.w3.org/ns/shacl#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _report(findings: tuple[Finding, ...] = (), results: tuple[Result, ...] = (),
            fail_on: Severity = Severity.ERROR) -> Report:
    profile = ProfileInfo(id="p", version="1", title="P", sha256="0" * 64)
    return Report(tool_version="0", started_at="s", finished_at="f", profile=profile, rules=(), targets=(),
                  results=results, findings=findings, fail_on=fail_on)


def _finding(severity: Severity, baseline: str | None = None) -> Finding:
    return Finding(rule="R-1", severity=severity, target="t", focus="f", message="m", baseline=baseline)


def test_summary_counts_every_severity_and_status_exactly() -> None:
    findings = (_finding(Severity.ERROR), _finding(Severity.WARNING), _finding(Severity.WARNING))
    results = (Result("R-1", "t", Status.FAIL), Result("R-2", "t", Status.PASS), Result("R-3", "t", Status.PASS),
               Result("R-4", "t", Status.ERROR))
    report = _report(findings, results)
    assert report.counts_by_severity() == {"error": 1, "warning": 2, "info": 0}
    assert report.counts_by_status() == {"pass": 2, "fail": 1, "error": 1, "skip": 0}


@pytest.mark.parametrize(("severity", "baseline", "fail_on", "expected"), [
    (Severity.WARNING, None, Severity.ERROR, True),
    (Severity.WARNING, None, Severity.WARNING, False),
    (Severity.INFO, None, Severity.WARNING, True),
    (Severity.INFO, None, Severity.INFO, False),
    (Severity.ERROR, "known", Severity.ERROR, True),
    (Severity.ERROR, "new", Severity.ERROR, False),
])
def test_conforms_is_decided_by_fail_on_and_the_baseline(severity: Severity, baseline: str | None,
                                                         fail_on: Severity, expected: bool) -> None:
    assert _report((_finding(severity, baseline),), fail_on=fail_on).conforms is expected


def test_a_rule_in_error_makes_the_run_non_conformant_without_findings() -> None:
    assert _report(results=(Result("R-1", "t", Status.ERROR, reason="crashed"),)).conforms is False
    assert _report(results=(Result("R-1", "t", Status.SKIP, reason="offline"),)).conforms is True


# ------------------------------------------------------------------------------------------------ profile errors

def _profile_error(tmp_path: Path, **kwargs: str) -> tuple[str, str]:
    manifest = _profile(tmp_path / "p", **kwargs)
    with pytest.raises(ProfileError) as caught:
        profiles.load(str(manifest))
    return caught.value.where.removeprefix(str(manifest.resolve())), caught.value.message


@pytest.mark.parametrize(("kwargs", "where", "message"), [
    ({"rules": RULES_TOML.replace('[rules.shacl]\nshapes = ["ex:OfB"]', "")},
     "#rules[id=T-201]", "a rule needs exactly one check table: shacl, json_schema, api or transport"),
    ({"rules": RULES_TOML.replace('aliases = ["titled"]', 'aliases = ["titled", 5]')},
     "#rules[id=T-101].aliases[1]", "5 is not of type 'string'"),
    ({"head": "[[rules]]\ncolour = 1\n", "rules": ""}, "#rules[0]", "unknown key ('colour' was unexpected)"),
    ({"head": "title2 = ["}, ":6:2", "TOML syntax error: Invalid value"),
])
def test_profile_error_location_and_reason_are_exact(tmp_path: Path, kwargs: dict[str, str], where: str,
                                                     message: str) -> None:
    assert _profile_error(tmp_path, **kwargs) == (where, message)


def test_toml_error_attributes_of_newer_pythons_are_used_when_present() -> None:
    # Python 3.14 gives TOMLDecodeError msg, lineno and colno; older versions only the text, which is parsed instead.
    plain = tomllib.TOMLDecodeError("Invalid value (at line 6, column 2)")
    assert profiles._toml_where(Path("p.toml"), plain) == "p.toml:6:2"
    assert profiles._toml_reason(plain) == "Invalid value"
    rich = tomllib.TOMLDecodeError("Invalid value (at line 6, column 2)")
    rich.msg, rich.lineno, rich.colno = "Unclosed array", 9, 4  # type: ignore[attr-defined]
    assert profiles._toml_where(Path("p.toml"), rich) == "p.toml:9:4"
    assert profiles._toml_reason(rich) == "Unclosed array"
    assert profiles._toml_where(Path("p.toml"), tomllib.TOMLDecodeError("no position")) == "p.toml"


def test_json_key_reads_ids_and_stops_at_scalars() -> None:
    data = {"rules": [{"id": "T-1", "aliases": ["a", 5]}, {"name": "x"}], "n": 1}
    assert profiles._json_key(data, ["rules", 0, "aliases", 1]) == "rules[id=T-1].aliases[1]"
    assert profiles._json_key(data, ["rules", 1, "name"]) == "rules[1].name"
    assert profiles._json_key(data, ["n", "deeper"]) == "n.deeper"
    assert profiles._json_key(data, []) == "(top level)"


def test_load_manifest_resolves_already_read_data_like_load(tmp_path: Path) -> None:
    manifest = _profile(tmp_path / "p").resolve()
    loaded = profiles.load_manifest(tomllib.loads(manifest.read_text(encoding="utf-8")), manifest)
    assert loaded == profiles.load(str(manifest))
    assert ([r.id for r in loaded.rules], loaded.info().chain) == (["T-101", "T-102", "T-201"], ("tiny",))
    child = _profile(tmp_path / "child", pid="child", rules="", head='extends = "../p"').resolve()
    inherited = profiles.load_manifest(tomllib.loads(child.read_text(encoding="utf-8")), child)
    assert ([r.id for r in inherited.rules], inherited.info().chain) == (["T-101", "T-102", "T-201"], ("tiny", "child"))


def test_a_selector_that_matches_no_single_rule_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    prof = profiles.load(str(_profile(tmp_path / "p")))
    assert prof.rule("titled").id == "T-101"
    for selector in ("T-9", "T-"):
        with pytest.raises(UsageError) as caught:
            prof.rule(selector)
        assert (caught.value.where, caught.value.message) == (
            selector, "no single rule of profile tiny matches this selector")


# ------------------------------------------------------------------------------------------------ SHACL details

def test_component_local_name_after_hash_or_last_slash() -> None:
    assert shacl_check._local("http://www.w3.org/ns/shacl#MinCountConstraintComponent") == "MinCountConstraintComponent"
    assert shacl_check._local("http://example.org/components/c/Custom") == "Custom"
    assert shacl_check._local("urn:x#a/b#Last") == "Last"


def test_sh_closed_on_a_property_shape_reports_each_extra_triple_of_the_values() -> None:
    shapes = rdflib.Graph().parse(format="turtle", data="""
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
ex:S a sh:NodeShape ; sh:targetClass ex:A ;
  sh:property ex:S-part .
ex:S-part sh:path ex:part ; sh:closed true ; sh:ignoredProperties ( rdf:type ) ; sh:property [ sh:path ex:name ] .
""")
    data = list(ox.parse(format=ox.RdfFormat.TURTLE, input=b"""@prefix ex: <http://ex/> .
ex:a a ex:A ; ex:part ex:p1, ex:p2 .
ex:p1 a ex:Part ; ex:name "one" .
ex:p2 ex:name "two" ; ex:colour "red" ; ex:size 3 .
"""))
    got = sorted((r.focus, r.path, r.value, r.source_shape, r.component, r.severity)
                 for r in fast_validate(data, shapes))
    closed, violation = SH + "ClosedConstraintComponent", SH + "Violation"
    assert got == [
        ("http://ex/a", "http://ex/colour", '"red"', "http://ex/S-part", closed, violation),
        ("http://ex/a", "http://ex/size", f'"3"^^<{XSD}integer>', "http://ex/S-part", closed, violation)]


LESS_SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex/> .
ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:lo ;
  sh:property [ sh:path ex:lo ; sh:lessThan ex:hi ] , [ sh:path ex:lo ; sh:lessThanOrEquals ex:hi ] .
"""
LESS_DATA = """@prefix ex: <http://ex/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:n1 ex:lo 1 ; ex:hi 2 .
ex:n2 ex:lo 2 ; ex:hi 2 .
ex:n3 ex:lo 3 ; ex:hi 2 .
ex:s1 ex:lo "a" ; ex:hi "b" .
ex:s2 ex:lo "b" ; ex:hi "b" .
ex:i1 ex:lo ex:a ; ex:hi ex:b .
ex:i2 ex:lo ex:b ; ex:hi ex:b .
ex:is ex:lo ex:a ; ex:hi "zzz" .
ex:b1 ex:lo [] ; ex:hi 5 .
ex:b2 ex:lo 5 ; ex:hi [] .
ex:b3 ex:lo [] ; ex:hi "zzz" .
ex:b4 ex:lo [] ; ex:hi "zzz"^^xsd:integer .
ex:b5 ex:lo "-"^^xsd:integer ; ex:hi [] .
ex:ns ex:lo 1 ; ex:hi "2" .
ex:nd ex:lo 1 ; ex:hi "2020-01-01"^^xsd:date .
ex:il ex:lo "abc"^^xsd:integer ; ex:hi "abd"^^xsd:integer .
ex:ti ex:lo "abc"^^xsd:integer ; ex:hi 1 .
ex:d1 ex:lo "2020-01-01"^^xsd:date ; ex:hi "2021-01-01"^^xsd:date .
ex:la ex:lo "a"@en ; ex:hi "b"@en .
"""


def test_less_than_compares_like_pyshacl_and_never_compares_blank_nodes() -> None:
    # Numbers with numbers, dates with dates, IRIs and strings as strings (ill-typed literals by their lexical
    # form, as rdflib does); a blank node, a number against a string or a date, or an ill-typed literal that rdflib
    # cannot order against a number (TypeError), is never less (pyshacl refuses blank nodes outright: the fast engine
    # reports them as not less).
    data = list(ox.parse(LESS_DATA.encode(), format=ox.RdfFormat.TURTLE))
    got = sorted((r.focus.removeprefix("http://ex/"), r.component.removeprefix(SH), r.path,
                  "_:" if (r.value or "").startswith("_:") else r.value)
                 for r in fast_validate(data, rdflib.Graph().parse(data=LESS_SHAPES, format="turtle")))
    lt, le, lo = "LessThanConstraintComponent", "LessThanOrEqualsConstraintComponent", "http://ex/lo"
    values = {"b1": "_:", "b2": "5", "b3": "_:", "b4": "_:", "b5": f'"-"^^<{XSD}integer>', "i2": "http://ex/b",
              "n2": "2", "n3": "3", "nd": "1", "ns": "1", "s2": '"b"', "ti": f'"abc"^^<{XSD}integer>'}
    expected = [(f, lt, lo, values[f]) for f in sorted(values)]
    expected += [(f, le, lo, values[f]) for f in ("b1", "b2", "b3", "b4", "b5", "n3", "nd", "ns", "ti")]
    number = f"^^<{XSD}integer>"
    assert got == sorted((f, c, p, v if not v[0].isdigit() else f'"{v}"{number}') for f, c, p, v in expected)


def test_only_shapes_deactivates_every_shape_but_the_kept_ones_and_nothing_else() -> None:
    # What pyshacl runs beside the fast engine: the shapes the fast engine cannot evaluate, every other shape
    # deactivated (their results would come twice; the report dedups them, so only the graph shows the difference).
    shapes = rdflib.Graph().parse(format="turtle", data="""
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:A a sh:NodeShape ; sh:targetClass ex:C ; sh:nodeKind sh:IRI ; sh:property ex:A-p , [ sh:path ex:q ; sh:minCount 1 ] .
ex:A-p sh:path ex:p ; sh:maxCount 1 .
ex:Q a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT $this WHERE { }" ] .
ex:Doc rdfs:seeAlso sh:NodeShape .
ex:Thing a rdfs:Class .
""")
    only = shacl_check._only_shapes(shapes, {"http://ex/Q"})
    deactivated = {(shacl_check._key(s) if not isinstance(s, rdflib.BNode) else "_:", o)
                   for s, o in only.subject_objects(rdflib.URIRef(SH + "deactivated"))}
    assert deactivated == {("http://ex/A", rdflib.Literal(True)), ("http://ex/A-p", rdflib.Literal(True)),
                           ("_:", rdflib.Literal(True))}
    assert len(only) == len(shapes) + 3


# ------------------------------------------------------------------------------------------------ diff text

def test_diff_text_shows_quality_changes_and_lists_fixed_after_an_empty_new_list() -> None:
    side = {"file": "a.json", "profile": "tiny", "profile_version": "1", "at": "t"}
    result = {
        "from": side, "to": {**side, "file": "b.json"},
        "summary": {"fixed": 2, "new": 0, "unchanged": 0},
        "quality": [
            {"target": "one.ttl", "old": {"scaled": 120.5, "band": "sufficient"},
             "new": {"scaled": 200, "band": "good"}, "change": 79.5},
            {"target": "two.ttl", "old": None, "new": {"scaled": None, "band": "bad"}, "change": None},
            {"target": "three.ttl", "old": {"scaled": 10, "band": "bad"}, "new": {"scaled": 5, "band": "bad"},
             "change": -5},
        ],
        "mims": [], "new": [],
        "fixed": [{"rule": "R-1", "target": "x.ttl", "focus": "http://e/a", "path": "http://e/p",
                   "severity": "warning", "message": "m"},
                  {"rule": "R-2", "target": "x.ttl", "focus": "http://e/b"}],
    }
    assert baselines.diff_text(result) == (
        "old: a.json  (tiny 1, t)\n"
        "new: b.json  (tiny 1, t)\n"
        "findings: 2 fixed, 0 new, 0 unchanged\n"
        "quality score (scaled to 405): one.ttl: 120.5 (sufficient) → 200 (good), +79.5\n"
        "quality score (scaled to 405): two.ttl: no score → no score\n"
        "quality score (scaled to 405): three.ttl: 10 (bad) → 5 (bad), -5\n"
        "Fixed:\n"
        "  warning R-1          x.ttl  http://e/a  http://e/p\n"
        "      m\n"
        "          R-2          x.ttl  http://e/b\n")


def test_diff_of_a_json_file_that_is_not_an_object_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        baselines.diff(path, path)
    assert (caught.value.where, caught.value.message) == (
        str(path), "not an ldt-conform report (ldt-conform/report@1) or baseline (ldt-conform/baseline@1); "
                   "found format None")


# ------------------------------------------------------------------------------------------------ --dask

@pytest.fixture(scope="module")
def dask_cluster() -> Iterator[str]:
    """An in-process Dask cluster (threads, starts in ~0.1 s): the shards' code path without worker processes. It
    outlives each check, as a long-lived scheduler does."""
    import distributed

    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None,
                                       silence_logs=50)
    yield cluster.scheduler_address
    cluster.close()


@pytest.fixture
def dask_scheduler(dask_cluster: str) -> Iterator[str]:
    from ldt_conform.shacl_fast import distribute

    before = list(distribute._OPEN)
    yield dask_cluster
    for opened in [c for c in distribute._OPEN if c not in before]:
        opened.close()  # api.check leaves its client open for the CLI's exit to close


DASK_DATA = 'ex:a a ex:A .\nex:b a ex:A ; dct:title "t" .\n'


def _dask_rows(tmp_path: Path, scheduler: str, budget: float = 600.0,
               **extra: object) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    manifest, data = _profile(tmp_path / "p"), _data(tmp_path, DASK_DATA)
    options = api.CheckOptions(profile=str(manifest), time_budget=budget, extra={"dask": scheduler, **extra})
    return _rows(api.check([data], options))


def test_dask_shards_give_the_single_process_verdicts_run_after_run(tmp_path: Path, dask_scheduler: str) -> None:
    manifest, data = _profile(tmp_path / "p"), _data(tmp_path, DASK_DATA)
    expected = _rows(api.check([data], api.CheckOptions(profile=str(manifest))))
    assert expected[0][:2] == [("T-101", "fail", None, None, "fast"), ("T-102", "fail", None, None, "fast")]
    # The workers keep compiled shapes between runs; each run re-reads the profile, so its blank-node shapes
    # (T-102 owns one) have new labels: the second and third runs must not be given the first run's.
    for shards in (None, 2, 3):
        assert _dask_rows(tmp_path, dask_scheduler, **({"dask_shards": shards} if shards else {})) == expected


def test_dask_input_from_stdin_is_shipped_to_the_workers(tmp_path: Path, dask_scheduler: str) -> None:
    manifest, data = _profile(tmp_path / "p"), _data(tmp_path, DASK_DATA)
    body = Path(data).read_bytes()
    one = api.check(["-"], api.CheckOptions(profile=str(manifest), input_format="turtle"), stdin=lambda: body)
    sharded = api.check(["-"], api.CheckOptions(profile=str(manifest), input_format="turtle",
                                                extra={"dask": dask_scheduler, "dask_shards": 2}), stdin=lambda: body)
    assert _rows(sharded) == _rows(one)
    assert [f.rule for f in sharded.findings] == ["LC-003", "LC-003", "T-101", "T-102", "T-102"]


def test_lost_dask_shards_are_named_and_no_rule_of_the_target_passes(tmp_path: Path, dask_scheduler: str) -> None:
    results, findings = _dask_rows(tmp_path, dask_scheduler, budget=1e-9, dask_shards=2)
    data = str(tmp_path / "input.ttl")
    assert results == [("T-101", "error", None, "2 shard(s) not evaluated", "fast"),
                       ("T-102", "error", None, "2 shard(s) not evaluated", "fast"),
                       ("T-201", "skip", "not-applicable",
                        "no focus node in this input (needs an instance of <http://example.org/B>)", "fast")]
    lost = [f"{data} (focus shard {i} of 2) exceeded its time budget of 1e-09 s in shape " for i in (1, 2)]
    assert [(f[0], f[1], f[2], f[3], f[6]) for f in findings] == [("LC-002", "error", data, None, "fast")] * 2
    assert [str(f[4]).startswith(start) for f, start in zip(findings, lost)] == [True, True]
    assert [f[7] for f in findings] == [f"a SHACL shard could not be evaluated: {f[4]}" for f in findings]


def _report_file(path: Path, mims: list[dict[str, str]] | None = None, quality: object = None) -> Path:
    data: dict[str, object] = {"format": "ldt-conform/report@1", "profile": {"id": "tiny", "version": "1"},
                               "created_at": "c", "summary": {"conforms": True}, "findings": []}
    if mims is not None:
        data["mims"] = mims
    if quality is not None:
        data["quality"] = quality
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_diff_of_mim_levels_without_label_or_title_and_with_unknown_levels(tmp_path: Path) -> None:
    old = _report_file(tmp_path / "old.json", [{"key": "b-key", "level": "strange"}, {"key": "a-key", "level": "odd"},
                                               {"key": "c-key", "level": "full"}])
    new = _report_file(tmp_path / "new.json", [{"key": "b-key", "level": "initial"}, {"key": "a-key", "level": "odd2"},
                                               {"key": "c-key", "level": "weird"}])
    result = baselines.diff(old, new)
    assert result["format"] == "ldt-conform/diff@1"
    assert result["mims"] == [
        {"key": "a-key", "label": "a-key", "title": "a-key", "old": "odd", "new": "odd2", "change": "same"},
        {"key": "b-key", "label": "b-key", "title": "b-key", "old": "strange", "new": "initial", "change": "up"},
        {"key": "c-key", "label": "c-key", "title": "c-key", "old": "full", "new": "weird", "change": "down"}]
    assert (result["summary"]["mims_up"], result["summary"]["mims_down"]) == (1, 1)
    assert "quality" not in result


def test_diff_carries_the_quality_change_when_either_side_has_a_score(tmp_path: Path) -> None:
    quality = {"max": 405, "catalogues": [{"target": str(tmp_path / "cat.ttl"), "score": 100, "max": 405,
                                           "scaled": 100, "band": "sufficient"}]}
    old = _report_file(tmp_path / "old.json")
    new = _report_file(tmp_path / "new.json", quality=quality)
    assert baselines.diff(old, new)["quality"] == [
        {"target": (tmp_path / "cat.ttl").as_uri(), "old": None,  # a file outside the working folder: by its URI
         "new": {"score": 100, "max": 405, "scaled": 100, "band": "sufficient"}, "change": None}]
    assert baselines.diff(new, old)["quality"][0]["old"] == {"score": 100, "max": 405, "scaled": 100,
                                                             "band": "sufficient"}


def test_gap_lists_up_to_three_rules_then_counts() -> None:
    assert levels._gap("failed", ["A-101", "A-102", "A-103"]) == "A-101, A-102, A-103 failed"
    assert levels._gap("failed", ["A-101", "A-102", "A-103", "A-104"]) == \
        "4 MUST rules failed (A-101, A-102, A-103, …)"


# ------------------------------------------------------------------------------------------------ pyshacl's share

SPARQL_TARGET = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix dct: <http://purl.org/dc/terms/> .
ex:Titled a sh:NodeShape ;
  sh:target [ a sh:SPARQLTarget ; sh:select "SELECT ?this WHERE { ?this a <http://example.org/A> }" ] ;
  sh:property [ sh:path dct:title ; sh:minCount 1 ] .
ex:Described a sh:NodeShape ; sh:targetClass ex:A ; sh:property [ sh:path dct:description ; sh:minCount 1 ] .
ex:OfB a sh:NodeShape ; sh:targetClass ex:B ; sh:property [ sh:path dct:title ; sh:minCount 1 ] .
"""


@pytest.mark.parametrize("engine", ["auto", "pyshacl"])
def test_a_sparql_target_shape_is_evaluated_with_its_property_shapes(tmp_path: Path, engine: str) -> None:
    # The fast engine hands a shape with a SHACL-AF target to pyshacl; its property shape must go along (it was
    # deactivated in pyshacl's graph, so T-101 passed on the very input that breaks it). pyshacl needs advanced=True
    # for SPARQL targets.
    manifest = _profile(tmp_path / "p", shapes=SPARQL_TARGET,
                        rules=RULES_TOML.replace('"http://example.org/Described"', '"ex:Described"'))
    data = _data(tmp_path, "ex:a a ex:A .\n")
    results, findings = _rows(api.check([data], api.CheckOptions(profile=str(manifest), engine=engine)))
    used = "fast+pyshacl" if engine == "auto" else "pyshacl"
    assert results[:2] == [("T-101", "fail", None, None, used), ("T-102", "fail", None, None, used)]
    assert findings == [
        ("T-101", "warning", EX + "a", DCT + "title", None, "_:", used, f"Give {EX}a a {DCT}title."),
        ("T-102", "error", EX + "a", DCT + "description", None, "_:", used, "An A has a description")]


def test_pyshacl_engine_turns_an_ill_formed_shape_into_errors_with_its_reason(tmp_path: Path) -> None:
    # Without meta-SHACL validation of the shapes graph (which would only say the shapes graph is not valid),
    # pyshacl names the broken constraint.
    shapes = SHAPES_TTL.replace("ex:Titled-title sh:path dct:title ; sh:minCount 1 .",
                                'ex:Titled-title sh:path dct:title ; sh:minCount "one" .')
    manifest = _profile(tmp_path / "p", shapes=shapes)
    data = _data(tmp_path, "ex:a a ex:A .\n")
    lines: list[str] = []
    report = api.check([data], api.CheckOptions(profile=str(manifest), engine="pyshacl"), debug=lines.append)
    results, _ = _rows(report)
    reason = ("ConstraintLoadError: MinCountConstraintComponent sh:minCount must be a literal with datatype "
              "xsd:integer.")
    assert results == [(rule, "error", None, reason, None) for rule in ("T-101", "T-102", "T-201")]
    assert [(f.rule, f.severity.value, f.target, f.focus, f.value, f.message) for f in report.findings] == [
        ("LC-002", "error", data, data, reason, f"a check crashed while evaluating this target: {reason}")]
    tracebacks = [line for line in lines if line.startswith("Traceback")]
    assert len(tracebacks) == 1 and tracebacks[0].startswith("Traceback (most recent call last):\n  File ")


# ------------------------------------------------------------------------------------------------ levels, order

def test_a_capability_that_counts_after_another_waits_until_that_one_is_assessed() -> None:
    mim = "representing-data"
    model = Model("test", "1", {}, (
        Capability("m.geo", mim, "Geo", "C1", "give G", ("G-001",)),
        Capability("m.context", mim, "Context", "C2", "give C", ("C-001",), after="m.geo"),
    ))
    rules = tuple(Rule(id=i, name=i.lower(), title=i, severity=Severity.ERROR, kind="shacl", check={}, mims=(mim,))
                  for i in ("G-001", "C-001"))

    def states(g_status: Status) -> list[tuple[str, str, str | None]]:
        report = Report(tool_version="0", started_at="s", finished_at="f",
                        profile=ProfileInfo("ldt4ssc", "0", "t", "0" * 64, chain=("ldt4ssc",)), rules=rules,
                        targets=(), findings=(),
                        results=(Result("G-001", "t", g_status, why=Why.NOT_APPLICABLE if g_status is Status.SKIP
                                        else None), Result("C-001", "t", Status.PASS)))
        entry = next(m for m in levels.assess(report, model=model) if m["key"] == mim)
        return [(c["id"], c["state"], c.get("reason")) for c in entry["capabilities"]]

    waiting = states(Status.SKIP)
    assert waiting[1] == ("m.context", "not-assessed", "counts only once m.geo was assessed")
    assert states(Status.PASS)[1][:2] == ("m.context", "holds")
    # A capability to wait for that is not among this MIM's (the shipped model refuses it; a hand-made one may not)
    # is no reason to wait.
    model = Model("test", "1", {}, (model.capabilities[0], replace(model.capabilities[1], after="m.elsewhere")))
    assert states(Status.SKIP)[1][:2] == ("m.context", "holds")


def test_findings_sort_by_target_rule_focus_path_then_value() -> None:
    a = Finding("R-1", Severity.ERROR, "t", "f", "m", path="http://e/z", value="a")
    b = Finding("R-1", Severity.ERROR, "t", "f", "m", path="http://e/a", value="b")
    c = Finding("R-1", Severity.ERROR, "t", "f", "m", path=None, value="c")
    assert sorted([a, b, c], key=Finding.sort_key) == [c, b, a]


def test_an_rdf_term_of_another_kind_is_refused_by_name() -> None:
    with pytest.raises(TypeError) as caught:
        shacl_check._term(42)
    assert str(caught.value) == "unsupported RDF term 42"


def test_sh_has_value_of_a_blank_node_is_never_met_by_another_node() -> None:
    # A blank node in a SPARQL pattern is a variable: the value test must not go through SPARQL for it.
    shapes = rdflib.Graph().parse(format="turtle", data="""
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex/> .
ex:S a sh:NodeShape ; sh:targetClass ex:A ; sh:property ex:S-p .
ex:S-p sh:path ex:p ; sh:hasValue [ ex:q 1 ] .
""")
    data = list(ox.parse(b"@prefix ex: <http://ex/> .\nex:a a ex:A ; ex:p ex:x .\nex:b a ex:A .\n",
                         format=ox.RdfFormat.TURTLE))
    got = sorted((r.focus, r.path, r.value, r.source_shape, r.component) for r in fast_validate(data, shapes))
    assert got == [(f"http://ex/{f}", "http://ex/p", None, "http://ex/S-p", SH + "HasValueConstraintComponent")
                   for f in ("a", "b")]


# ------------------------------------------------------------------------------------------------ baselines

def _baseline_of(tmp_path: Path, findings: list[dict[str, object]], profile: str = "tiny") -> Path:
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"format": "ldt-conform/baseline@1", "profile": {"id": profile, "version": "1.0"},
                                "created_at": "c", "findings": findings}), encoding="utf-8")
    return path


def test_baseline_of_another_profile_is_refused_when_applied(tmp_path: Path) -> None:
    path = _baseline_of(tmp_path, [], profile="other")
    with pytest.raises(UsageError) as caught:
        baselines.apply(_report(), path)
    assert (caught.value.where, caught.value.message) == (
        str(path), "baseline was written for profile 'other', this run uses 'p'")


def test_a_baseline_findings_stored_fingerprint_is_what_matches(tmp_path: Path) -> None:
    finding = Finding("R-1", Severity.ERROR, "data/x.ttl", "http://e/a", "m", path="http://e/p")
    # The stored fingerprint wins over the fields beside it (here a focus written differently).
    stored = {"fingerprint": finding_fingerprint(finding), "rule": "R-1", "severity": "error",
              "target": "data/x.ttl", "focus": "http://e/other", "path": "http://e/p"}
    applied = baselines.apply(_report((finding,)), _baseline_of(tmp_path, [stored], profile="p"))
    assert [f.baseline for f in applied.findings] == ["known"]
    assert {k: applied.baseline[k] for k in ("new", "known", "fixed")} == {"new": 0, "known": 1, "fixed": 0}


def test_dask_run_over_two_inputs_uses_one_connection_and_keeps_relative_iris(tmp_path: Path,
                                                                             dask_scheduler: str) -> None:
    from ldt_conform.shacl_fast import distribute

    manifest = _profile(tmp_path / "p")
    first = _data(tmp_path, DASK_DATA + "<rel> a ex:A .\n")
    second = tmp_path / "second.ttl"
    second.write_text(Path(first).read_text(encoding="utf-8"), encoding="utf-8")
    one = _rows(api.check([first, str(second)], api.CheckOptions(profile=str(manifest))))
    assert (tmp_path / "rel").as_uri() in {f[2] for f in one[1]}  # the workers resolve <rel> against the file
    before = len(distribute._OPEN)
    sharded = api.check([first, str(second)], api.CheckOptions(profile=str(manifest),
                                                               extra={"dask": dask_scheduler, "dask_shards": 2}))
    # The second input's shards were lost ("lost dependencies") when the shapes were scattered again for it.
    assert _rows(sharded) == one
    assert len(distribute._OPEN) - before == 1  # one client for the run, not one per input


def test_lost_dask_shards_of_stdin_are_named_after_it(tmp_path: Path, dask_scheduler: str) -> None:
    manifest, data = _profile(tmp_path / "p"), _data(tmp_path, DASK_DATA)
    body = Path(data).read_bytes()
    report = api.check(["-"], api.CheckOptions(profile=str(manifest), input_format="turtle", time_budget=1e-9,
                                               extra={"dask": dask_scheduler, "dask_shards": 2}), stdin=lambda: body)
    assert [(f.rule, f.target, (f.value or "").split(" exceeded")[0]) for f in report.findings] == [
        ("LC-002", "<stdin>", f"<stdin> (focus shard {i} of 2)") for i in (1, 2)]


def test_malformed_mim_entry_and_an_oversized_file_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _report_file(tmp_path / "r.json", [{"key": "k", "label": 5}])
    with pytest.raises(UsageError) as caught:
        baselines.diff(path, path)
    assert (caught.value.where, caught.value.message) == (
        f"{path}#mims[0]", "malformed MIM entry: key, label, title and level are strings")
    monkeypatch.setattr(baselines, "MAX_READ_BYTES", 10)
    size = path.stat().st_size
    with pytest.raises(UsageError) as caught:
        baselines.diff(path, path)
    assert (caught.value.where, caught.value.message) == (
        str(path), f"cannot read: file is {size} bytes, over the 10-byte cap")


def test_qualified_min_and_max_counts_are_exact() -> None:
    shapes = rdflib.Graph().parse(format="turtle", data="""
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex/> .
ex:S a sh:NodeShape ; sh:targetClass ex:A ; sh:property ex:S-p .
ex:S-p sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:Red ] ; sh:qualifiedMaxCount 1 ; sh:qualifiedMinCount 1 .
""")
    data = list(ox.parse(b"""@prefix ex: <http://ex/> .
ex:a a ex:A ; ex:p ex:r1, ex:r2 . ex:r1 a ex:Red . ex:r2 a ex:Red .
ex:b a ex:A ; ex:p ex:r3 . ex:r3 a ex:Red .
ex:c a ex:A ; ex:p ex:g . ex:g a ex:Green .""", format=ox.RdfFormat.TURTLE))
    got = sorted((r.focus, r.path, r.value, r.source_shape, r.component) for r in fast_validate(data, shapes))
    assert got == [("http://ex/a", "http://ex/p", None, "http://ex/S-p", SH + "QualifiedMaxCountConstraintComponent"),
                   ("http://ex/c", "http://ex/p", None, "http://ex/S-p", SH + "QualifiedMinCountConstraintComponent")]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("x" * 300 + ".json", None, "cannot read: File name too long"),
    ("bad.json", "{", "not a JSON file (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))"),
])
def test_unreadable_or_broken_json_names_the_file(tmp_path: Path, name: str, content: str | None,
                                                  message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        baselines.diff(path, path)
    assert (caught.value.where, caught.value.message) == (str(path), message)


def test_fingerprint_keeps_lone_surrogates_and_file_uris_as_written() -> None:
    # A JSON baseline may hold "\\ud800" escapes: the fingerprint encodes them instead of failing.
    assert fingerprint("R-1", "t", "\ud800", None, None) == \
        "9a30e6ea9e6adbf728375906d8e3776a5bab455162fb1485bed1c52f4cc6d7ca"
    assert baselines.target_identity("file:a/../b") == "file:a/../b"  # a URI, not a path to normalise
    assert baselines.target_identity("a/../b.ttl") == "b.ttl"


RANGE_SHAPES = SHAPES_TTL.replace("ex:Titled-title sh:path dct:title ; sh:minCount 1 .",
                                  "ex:Titled-title sh:path dct:creator ; sh:class ex:Agent .")


def test_a_class_range_message_names_what_was_expected_and_found(tmp_path: Path) -> None:
    rules = RULES_TOML.replace('message = "Give {focus} a {path}."',
                               'message = "{property} of {focus}: {found}; expected {expected}. {fix}"')
    manifest = _profile(tmp_path / "p", shapes=RANGE_SHAPES, rules=rules)
    data = _data(tmp_path, 'ex:a a ex:A ; dct:description "d" ; dct:creator "Someone", ex:bob .\n'
                           'ex:bob a ex:Person .\n')
    _, findings = _rows(api.check([data], api.CheckOptions(profile=str(manifest), select=["T-101"])))
    assert [(f[0], f[2], f[3], f[4], f[7]) for f in findings] == [
        ("T-101", EX + "a", DCT + "creator", '"Someone"',
         f'dct:creator of {EX}a: a literal "Someone"; expected an instance of ex:Agent. Replace the literal with a '
         "ex:Agent resource (an IRI or blank node with rdf:type ex:Agent)."),
        ("T-101", EX + "a", DCT + "creator", EX + "bob",
         f"dct:creator of {EX}a: {EX}bob, typed ex:Person; expected an instance of ex:Agent. Use a ex:Agent "
         f"resource, or add rdf:type ex:Agent to {EX}bob if it is one.")]


def test_rule_text_is_translated_except_in_english() -> None:
    rule = Rule(id="T-1", name="t", title="Title", severity=Severity.ERROR, kind="shacl", check={},
                i18n={"fr": {"title": "Titre"}, "en": {"title": "not used"}})
    assert [rule.text("title", lang) for lang in ("en", "fr", "de")] == ["Title", "Titre", "Title"]


def test_placeholders_of_a_constraint_that_is_not_a_class_range(tmp_path: Path) -> None:
    # {expected} falls back to the engine's message or the component's name, {found} to the value, {property} to
    # the compact path ("" for a node-level constraint), {fix} to nothing.
    shapes = SHAPES_TTL.replace("ex:OfB a sh:NodeShape ; sh:targetClass ex:B ; sh:property [ sh:path dct:title ; "
                                "sh:minCount 1 ] .", "ex:OfB a sh:NodeShape ; sh:targetClass ex:B ; "
                                                     "sh:nodeKind sh:BlankNode .")
    message = 'message = "[{property}|{found}|{expected}|{fix}]"'
    rules = RULES_TOML.replace('message = "Give {focus} a {path}."', message)
    rules = rules.replace('enabled = true', 'enabled = true\n' + message)
    manifest = _profile(tmp_path / "p", shapes=shapes, rules=rules)
    data = _data(tmp_path, "ex:a a ex:A . ex:b a ex:B .\n")
    _, findings = _rows(api.check([data], api.CheckOptions(profile=str(manifest), select=["T-101", "T-201"])))
    assert [(f[0], f[2], f[7]) for f in findings if f[0] != "LC-003"] == [
        ("T-101", EX + "a", "[dct:title||MinCountConstraintComponent|]"),
        ("T-201", EX + "b", f"[|{EX}b|NodeKindConstraintComponent|]")]


def test_debug_says_which_shapes_go_to_pyshacl_and_why(tmp_path: Path) -> None:
    manifest = _profile(tmp_path / "p", shapes=SPARQL_AND_LITERALS)
    data = _data(tmp_path, "ex:c a ex:C .\n")
    lines: list[str] = []
    api.check([data], api.CheckOptions(profile=str(manifest), select=["T-201"]), debug=lines.append)
    assert f"shacl: {EX}Unique → pyshacl (SHACL-SPARQL constraint (sh:sparql))" in lines


def test_a_skip_without_a_why_counts_as_not_verified() -> None:
    mim = "representing-data"
    model = Model("test", "1", {}, (Capability("m.one", mim, "One", "C1", "give A", ("A-001",)),))
    rule = Rule(id="A-001", name="a", title="A", severity=Severity.ERROR, kind="shacl", check={}, mims=(mim,))
    report = Report(tool_version="0", started_at="s", finished_at="f",
                    profile=ProfileInfo("ldt4ssc", "0", "t", "0" * 64, chain=("ldt4ssc",)), rules=(rule,),
                    targets=(), findings=(), results=(Result("A-001", "t", Status.SKIP),))
    entry = next(m for m in levels.assess(report, model=model) if m["key"] == mim)
    cap = entry["capabilities"][0]
    assert (cap["state"], cap["not_verified"], cap["reason"]) == (
        "not-assessed", {"not-verified": 1}, "not verified: 1 not-verified")


def test_passes_on_missing_artefacts_or_partly_read_inputs_are_not_verified() -> None:
    def finding(rule: str, target: str, source: str | None) -> Finding:
        return Finding(rule=rule, severity=Severity.WARNING, target=target, focus="f", message="m", source=source)

    findings = [finding(engine.OFFLINE_RULE, "a.ttl", "R-1"), finding(engine.OFFLINE_RULE, "a.ttl", None),
                finding("R-2", "a.ttl", "R-2"),  # an ordinary finding's source never marks a rule unverifiable
                finding(tool_ids.SKIPPED, "b.ttl", None),
                finding(tool_ids.SKIPPED, "c.ttl", None), finding(tool_ids.SKIPPED, "c.ttl", None)]
    results = [Result("R-1", "a.ttl", Status.PASS), Result("R-2", "a.ttl", Status.PASS),
               Result("R-1", "b.ttl", Status.PASS), Result("R-1", "c.ttl", Status.PASS),
               Result("R-3", "b.ttl", Status.SKIP, reason="offline: the schema is not pinned"),
               Result("R-4", "c.ttl", Status.FAIL, why=Why.NOT_SELECTED)]
    got = [(r.rule, r.target, r.status.value, r.why, r.reason) for r in engine._unverified_passes(results, *_notes(findings))]
    lenient = "not verified: --lenient skipped {} of this input (LC-006); the rule held on the rest"
    assert got == [
        ("R-1", "a.ttl", "skip", Why.ARTEFACT_UNAVAILABLE,
         "not verifiable: an artefact it needs is not in the artefact store (LC-004)"),
        ("R-2", "a.ttl", "pass", None, None),
        ("R-1", "b.ttl", "skip", Why.PREREQUISITE_FAILED, lenient.format("1 statement")),
        ("R-1", "c.ttl", "skip", Why.PREREQUISITE_FAILED, lenient.format("2 statements")),
        ("R-3", "b.ttl", "skip", Why.ARTEFACT_UNAVAILABLE, "offline: the schema is not pinned"),
        ("R-4", "c.ttl", "fail", None, None)]


def test_only_rule_findings_with_a_path_are_linked_as_one_defect() -> None:
    def finding(rule: str, path: str | None) -> Finding:
        return Finding(rule=rule, severity=Severity.ERROR, target="t", focus="f", message="m", path=path, value="v")

    got = engine.link_same_value([finding("R-1", "p"), finding("R-2", "p"), finding("R-1", None),
                                  finding("R-2", None), finding("LC-003", "p")])
    assert [(f.rule, f.path, f.same_value_as) for f in got] == [
        ("R-1", "p", ("R-2",)), ("R-2", "p", ("R-1",)), ("R-1", None, ()), ("R-2", None, ()), ("LC-003", "p", ())]


def test_mim_entry_counts_notes_and_reasons_of_every_capability_state() -> None:
    mim = "representing-data"
    model = Model("test", "1", {}, (
        Capability("m.broken", mim, "B", "C1", "give B", ("B-001",)),
        Capability("m.org", mim, "O", "C2", "declare it", (), ("rulebook",)),
        Capability("m.none", mim, "N", "C3", "nothing yet"),
        Capability("m.na", mim, "NA", "C4", "give NA", ("N-001",)),
        Capability("m.unv", mim, "U", "C5", "give U", ("U-001",)),
        Capability("m.norule", mim, "R", "C6", "give R", ("Z-001",)),
        Capability("m.org2", mim, "O2", "C7", "declare it", (), ("charter",)),
        Capability("m.quiet", mim, "Q", "C8", "give Q", ("Q-001",)),
    ))
    rules = tuple(Rule(id=i, name=i.lower(), title=i, severity=Severity.ERROR, kind="shacl", check={}, mims=(mim,))
                  for i in ("B-001", "N-001", "U-001", "Q-001"))
    report = Report(tool_version="0", started_at="s", finished_at="f",
                    profile=ProfileInfo("ldt4ssc", "0", "t", "0" * 64, chain=("ldt4ssc",)), rules=rules, targets=(),
                    findings=(), results=(Result("B-001", "t", Status.FAIL), Result("N-001", "t", Status.PASS),
                                          Result("U-001", "t", Status.SKIP, why=Why.ARTEFACT_UNAVAILABLE)))
    attached = levels.attach(report, evidence={mim: {"rulebook": "x", "licence": "y"}},
                             not_applicable={"m.na": "no such data"}, model=model)
    entry = next(m for m in attached.mims if m["key"] == mim)
    declared = "declared, not machine-verified"
    assert {k: v for k, v in entry.items() if k != "capabilities"} == {
        "key": mim, "label": "MIM2", "title": "Representing data", "version": "MIMs Plus v8", "level": "initial",
        "machine_verifiable": False, "declared": False, "narrowed": False, "capabilities_total": 8,
        "capabilities_holding": 0, "capabilities_broken": 1, "capabilities_not_assessed": 5,
        "capabilities_declared": 1, "capabilities_not_applicable": 1,
        "evidence": [{"kind": "rulebook", "value": "x", "status": declared},
                     {"kind": "licence", "value": "y", "status": declared}],
        "note": "0/7 capabilities hold; broken: m.broken; not assessed: m.unv, m.norule, m.quiet; not applicable: "
                "m.na; organisational capabilities keep it below a machine-verified full; no check exists yet for: "
                f"m.none; evidence {declared}: rulebook, licence"}
    assert [(c["id"], c["state"], c.get("reason")) for c in entry["capabilities"]] == [
        ("m.broken", "broken", "broken: B-001"), ("m.org", "declared", f"{declared}: rulebook"),
        ("m.none", "not-assessed", "no check exists yet"), ("m.na", "not-applicable", "no such data"),
        ("m.unv", "not-assessed", "not verified: U-001 artefact-unavailable"),
        ("m.norule", "not-assessed", "no rule of this profile gives evidence for it"),
        ("m.org2", "not-assessed", "organisational: no rule can verify it"),
        ("m.quiet", "not-assessed", "no MUST or SHOULD rule of it was verified")]


def test_shapes_file_formats_by_suffix() -> None:
    assert [shacl_check._format(Path(name)) for name in ("a.ttl", "a.nt", "a.RDF", "a.jsonld", "a.trig", "a.shacl")] \
        == ["turtle", "nt", "xml", "json-ld", "trig", "turtle"]


def test_report_names_the_tool_version_and_a_finding_message_its_value(tmp_path: Path) -> None:
    from ldt_conform import __version__

    rules = RULES_TOML.replace('enabled = true', 'enabled = true\nmessage = "{focus} has {value} at {path}"')
    manifest = _profile(tmp_path / "p", shapes=SPARQL_AND_LITERALS, rules=rules)
    data = _data(tmp_path, 'ex:b a ex:B ; dct:title "y"@de .\n')
    report = api.check([data], api.CheckOptions(profile=str(manifest), select=["T-201"]))
    assert report.tool_version == __version__
    assert [(f.rule, f.message) for f in report.findings] == [("T-201", f'{EX}b has "y"@de at {DCT}title')]


def test_value_constraint_on_a_sequence_path_of_a_nested_shape() -> None:
    # sh:node reports one result on the outer value when the inner shape (a sequence path) fails, none when it holds.
    shapes = rdflib.Graph().parse(format="turtle", data="""
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:S a sh:NodeShape ; sh:targetClass ex:A ; sh:property [ sh:path ex:p ; sh:node ex:Inner ] .
ex:Inner a sh:NodeShape ; sh:property ex:Inner-q .
ex:Inner-q sh:path ( ex:q ex:r ) ; sh:datatype xsd:integer .
""")
    def results(values: bytes) -> list[tuple[object, ...]]:
        data = list(ox.parse(b"@prefix ex: <http://ex/> .\nex:a a ex:A ; ex:p ex:i . ex:i ex:q ex:j . ex:j ex:r "
                             + values + b" .\n", format=ox.RdfFormat.TURTLE))
        return sorted((r.focus, r.path, r.value, r.component.removeprefix(SH)) for r in fast_validate(data, shapes))

    assert results(b'"x", 3') == [("http://ex/a", "http://ex/p", "http://ex/i", "NodeConstraintComponent")]
    assert results(b"3, 4") == []


def test_a_rule_without_focus_node_is_not_applicable_whatever_its_class_is_called(tmp_path: Path) -> None:
    # The check says why itself: guessing it from the reason's words would read "artefact" in the class name.
    shapes = SHAPES_TTL.replace("ex:OfB a sh:NodeShape ; sh:targetClass ex:B ;",
                                "ex:OfB a sh:NodeShape ; sh:targetClass ex:OfflineArtefact ;")
    manifest = _profile(tmp_path / "p", shapes=shapes)
    data = _data(tmp_path, 'ex:a a ex:A ; dct:title "t" ; dct:description "d" ; dct:creator ex:c .\n')
    results, _ = _rows(api.check([data], api.CheckOptions(profile=str(manifest))))
    assert results[-1] == ("T-201", "skip", "not-applicable",
                           "no focus node in this input (needs an instance of <http://example.org/OfflineArtefact>)",
                           "fast")


def _notes(findings: list[Finding]) -> tuple[set[tuple[str, str]], dict[str, int]]:
    from ldt_conform.findings_spool import Notes

    notes = Notes()
    notes.note(findings)
    return notes.offline, dict(notes.skipped)
