"""Process-wide memos (ldt_conform/memo.py) are keyed by content: an edited file is read again, a failure is never
remembered, callers never share a mutable value, and a forked process starts empty."""
from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import ONE_RULE_PROFILE as PROFILE
from ldt_conform import api, memo
from ldt_conform.errors import ProfileError
from ldt_conform.profile import load, read_manifest
from ldt_conform.shacl_fast import data as shacl_data
from ldt_conform.shacl_fast import validate

SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/shapes#> .
ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:{path} ; sh:minCount 1 ] .
"""
DATA = "<https://example.org/a> a <https://example.org/shapes#Thing> ; <https://example.org/shapes#name> \"a\" .\n"


def _findings(profile: Path, data: Path) -> list[tuple[str, str, str | None]]:
    report = api.check([str(data)], api.CheckOptions(profile=str(profile), offline=True))
    return [(f.rule, f.focus, f.path) for f in report.findings]


def test_an_edited_shapes_file_is_read_again(tmp_path: Path) -> None:
    """Same profile path, same file path, new content: the second check sees the new shapes, not the memo."""
    (tmp_path / "profile.toml").write_text(PROFILE, "utf-8")
    (tmp_path / "shapes.ttl").write_text(SHAPES.replace("{path}", "name"), "utf-8")
    data = tmp_path / "data.ttl"
    data.write_text(DATA, "utf-8")
    assert _findings(tmp_path / "profile.toml", data) == []
    (tmp_path / "shapes.ttl").write_text(SHAPES.replace("{path}", "title"), "utf-8")
    assert _findings(tmp_path / "profile.toml", data) == [
        ("T-001", "https://example.org/a", "https://example.org/shapes#title")]


def test_an_edited_manifest_is_checked_again(tmp_path: Path) -> None:
    """A manifest found valid, then broken in place: the schema check runs on the new bytes and names the key."""
    (tmp_path / "profile.toml").write_text(PROFILE, "utf-8")
    (tmp_path / "shapes.ttl").write_text(SHAPES.replace("{path}", "name"), "utf-8")
    assert load(str(tmp_path / "profile.toml")).rules[-1].id == "T-001"
    (tmp_path / "profile.toml").write_text(PROFILE.replace('severity = "error"', 'severity = "loud"'), "utf-8")
    with pytest.raises(ProfileError) as caught:
        load(str(tmp_path / "profile.toml"))
    assert str(caught.value).startswith(f"{tmp_path / 'profile.toml'}#rules[id=T-001].severity: "), str(caught.value)


def test_callers_get_their_own_manifest(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    path.write_text(PROFILE, "utf-8")
    first = read_manifest(path)
    first["rules"][0]["refs"].append({"id": "changed"})
    first["title"] = "changed"
    second = read_manifest(path)
    assert second["title"] == "t" and second["rules"][0]["refs"] == [{"id": "x", "url": "https://example.org/x"}]


def test_a_failed_build_is_not_remembered() -> None:
    box = memo.Memo(4)
    calls: list[int] = []

    def broken() -> int:
        calls.append(1)
        raise ValueError("no")

    for _ in range(2):
        with pytest.raises(ValueError):
            box.get("k", broken)
    assert len(calls) == 2 and "k" not in box.items
    assert box.get("k", lambda: 7) == 7 and box.get("k", lambda: 8) == 7


def test_least_recently_used_entry_goes_first() -> None:
    box = memo.Memo(2)
    box.get("a", lambda: 1)
    box.get("b", lambda: 2)
    box.get("a", lambda: 0)  # a is now the most recent
    box.get("c", lambda: 3)
    assert list(box.items) == ["a", "c"]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_process_starts_with_empty_memos() -> None:
    memo.MANIFESTS.get(b"fork-test", lambda: {"x": 1})
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child reports how many manifests it inherited, then leaves without pytest's clean-up
        os.write(write, str(len(memo.MANIFESTS.items)).encode())
        os._exit(0)
    os.close(write)
    inherited = os.read(read, 100).decode()
    os.close(read)
    os.waitpid(pid, 0)
    assert inherited == "0" and b"fork-test" in memo.MANIFESTS.items


SHAPE_ON_NAME = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/shapes#> .
ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:name ; sh:maxLength 1 ] ,
    [ sh:path ex:absent ; sh:maxLength 1 ] .
ex:T a sh:NodeShape ; sh:targetClass ex:Absent ; sh:property [ sh:path ex:name ; sh:maxLength 1 ] .
"""


def test_terms_used_only_in_a_named_graph_are_still_asked_about() -> None:
    """The fast engine skips questions about predicates and classes the data never uses; data in a named graph counts
    as used (all graphs are validated as one), so its violation is found."""
    import rdflib

    shapes = rdflib.Graph().parse(data=SHAPE_ON_NAME, format="turtle")
    trig = ("<https://example.org/g> { <https://example.org/a> a <https://example.org/shapes#Thing> ; "
            "<https://example.org/shapes#name> \"too long\" . }")
    quads = list(ox.parse(trig, format=ox.RdfFormat.TRIG))
    results = validate(quads, shapes, time_budget_s=None, jobs=1)
    assert [(r.focus, r.path, r.value) for r in results] == [
        ("https://example.org/a", "https://example.org/shapes#name", '"too long"')]


def test_questions_about_unused_terms_are_not_queried(monkeypatch: pytest.MonkeyPatch) -> None:
    """ex:Absent (a target class) and ex:absent (a path of a shape that has focus nodes) appear nowhere in the data:
    no SPARQL query mentions them."""
    import rdflib

    asked: list[str] = []
    rows = shacl_data.Data.rows

    def counting(self: shacl_data.Data, query: str, subs: object = None) -> list[ox.QuerySolution]:
        asked.append(query)
        return rows(self, query, subs)  # type: ignore[arg-type]

    monkeypatch.setattr(shacl_data.Data, "rows", counting)
    shapes = rdflib.Graph().parse(data=SHAPE_ON_NAME, format="turtle")
    quads = list(ox.parse(DATA, format=ox.RdfFormat.TURTLE))
    assert [(r.focus, r.path) for r in validate(quads, shapes, time_budget_s=None, jobs=1)] == []
    assert asked and not [q for q in asked if "Absent" in q or "absent" in q], asked
