"""Fingerprints, baselines and diffs on real catalogues: reordering and blank-node relabelling change nothing."""
from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from corpus import require as corpus_require
from conftest import CORPUS, run_cli
from ldt_conform.baseline import fingerprint, target_identity

SOURCE = CORPUS / "dcat" / "ckanext-dcat" / "catalog.rdf"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if not SOURCE.is_file():
        corpus_require()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _scrambled(source: Path) -> bytes:
    """The same graph as N-Triples, lines shuffled and every blank node renamed (what a re-export does)."""
    quads = list(ox.parse(path=str(source), format=ox.RdfFormat.RDF_XML))
    rename: dict[str, ox.BlankNode] = {}

    def term(t: Any) -> Any:
        if isinstance(t, ox.BlankNode):
            return rename.setdefault(t.value, ox.BlankNode(f"renamed{len(rename) * 7919 % 100003}"))
        return t

    lines = [str(ox.Triple(term(q.subject), q.predicate, term(q.object))) + " .\n" for q in quads]
    random.Random(42).shuffle(lines)
    return "".join(lines).encode()


def _findings(path: str, *extra: str) -> list[dict[str, Any]]:
    run_cli(["check", path, "-p", "dcat-ap-3", "-q", "--format", "json", "-o", "out.json", *extra], expect=None)
    return json.loads(Path("out.json").read_text())["findings"]  # type: ignore[no-any-return]


def _prints(findings: list[dict[str, Any]]) -> list[str]:
    return sorted(fingerprint(f["rule"], f["target"], f["focus"], f.get("path"), f.get("value")) for f in findings)


def test_fingerprints_survive_reordering_and_blank_node_relabelling(workdir: Path) -> None:
    (workdir / "a").mkdir()
    (workdir / "b").mkdir()
    shutil.copyfile(SOURCE, workdir / "a" / "catalog.rdf")
    (workdir / "b" / "catalog.rdf").write_bytes(_scrambled(SOURCE))
    os.chdir(workdir / "a")
    original = _findings("catalog.rdf")
    os.chdir(workdir / "b")
    scrambled = _findings("catalog.rdf", "--input-format", "ntriples")
    assert any(f["focus"].startswith("_:") for f in original), "the test needs findings on blank nodes"
    assert (workdir / "a" / "catalog.rdf").read_bytes() != (workdir / "b" / "catalog.rdf").read_bytes()
    assert _prints(original) == _prints(scrambled)


def test_target_identity_ignores_where_the_checkout_lives(workdir: Path) -> None:
    (workdir / "data").mkdir()
    assert target_identity("data/catalog.ttl") == target_identity("./data/catalog.ttl") == "data/catalog.ttl"
    assert target_identity(str(workdir / "data" / "catalog.ttl")) == "data/catalog.ttl"
    assert target_identity("https://example.org/cat.ttl") == "https://example.org/cat.ttl"


def test_check_with_baseline_fails_only_on_new_findings(workdir: Path) -> None:
    shutil.copyfile(SOURCE, "catalog.rdf")
    result = run_cli(["baseline", "catalog.rdf", "-p", "dcat-ap-3", "-o", "baseline.json"], expect=0)
    assert "findings written to baseline.json" in result.stderr
    baseline = json.loads(Path("baseline.json").read_text())
    assert baseline["format"] == "ldt-conform/baseline@1" and baseline["profile"]["id"] == "dcat-ap-3"
    assert len(baseline["findings"]) > 10

    # The same catalogue: everything is known, so the gate passes although the catalogue does not conform.
    run_cli(["check", "catalog.rdf", "-p", "dcat-ap-3", "--baseline", "baseline.json", "-q",
             "--report", "json=known.json", "--report", "sarif=known.sarif"], expect=0)
    known = json.loads(Path("known.json").read_text())
    assert known["summary"]["conforms"] is True
    assert {f["baseline"] for f in known["findings"]} == {"known"}
    assert known["baseline"]["new"] == 0 and known["baseline"]["known"] == len(baseline["findings"])
    sarif = json.loads(Path("known.sarif").read_text())
    assert {r["baselineState"] for r in sarif["runs"][0]["results"]} == {"unchanged"}

    # A new problem: a dataset without a title. Only it is new; the gate fails on it.
    text = SOURCE.read_text("utf-8").replace(
        "</rdf:RDF>", '<dcat:Dataset rdf:about="http://example.org/new-dataset"/></rdf:RDF>')
    Path("catalog.rdf").write_text(text, "utf-8")
    result = run_cli(["check", "catalog.rdf", "-p", "dcat-ap-3", "--baseline", "baseline.json",
                      "--format", "json"], expect=1)
    report = json.loads(result.stdout)
    new = [f for f in report["findings"] if f["baseline"] == "new"]
    assert new and {f["focus"] for f in new} == {"http://example.org/new-dataset"}
    assert report["baseline"]["new"] == len(new)
    assert report["baseline"]["fixed"] == 0


@pytest.mark.parametrize("content, message", [
    ({"format": "ldt-conform/baseline@2", "profile": {"id": "dcat-ap-3"}, "findings": []},
     "not a baseline in format ldt-conform/baseline@1"),
    ({"format": "ldt-conform/report@1", "findings": []}, "a report, not a baseline"),
    ({"format": "ldt-conform/baseline@1", "profile": {"id": "ldt4ssc"}, "findings": []},
     "baseline was written for profile 'ldt4ssc', this run uses 'dcat-ap-3'"),
])
def test_bad_baseline_is_exit_2_with_one_line(workdir: Path, content: dict[str, Any], message: str) -> None:
    shutil.copyfile(SOURCE, "catalog.rdf")
    Path("b.json").write_text(json.dumps(content))
    result = run_cli(["check", "catalog.rdf", "-p", "dcat-ap-3", "--baseline", "b.json"], expect=2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: b.json: ") and message in lines[0]


def test_diff_shows_fixed_new_unchanged_and_mim_changes(workdir: Path) -> None:
    shutil.copyfile(SOURCE, "catalog.rdf")
    run_cli(["check", "catalog.rdf", "-p", "dcat-ap-3", "-q", "--report", "json=old.json"], expect=1)
    old = json.loads(Path("old.json").read_text())
    fixed = old["findings"][0]
    new_report = json.loads(json.dumps(old))
    new_report["findings"] = old["findings"][1:] + [{**fixed, "focus": "http://example.org/other", "message": "m"}]
    old["mims"] = [{"key": "representing-data", "label": "MIM2", "title": "Representing data", "level": "partial"},
                   {"key": "accessing-data", "label": "MIM0", "title": "Accessing data", "level": "full"}]
    new_report["mims"] = [{"key": "representing-data", "label": "MIM2", "title": "Representing data",
                           "level": "full"},
                          {"key": "accessing-data", "label": "MIM0", "title": "Accessing data", "level": "initial"}]
    Path("old.json").write_text(json.dumps(old))
    Path("new.json").write_text(json.dumps(new_report))
    result = json.loads(run_cli(["diff", "old.json", "new.json", "--format", "json"]).stdout)
    assert result["summary"] == {"fixed": 1, "new": 1, "unchanged": len(old["findings"]) - 1, "mims_up": 1,
                                 "mims_down": 1}
    assert result["fixed"][0]["focus"] == fixed["focus"]
    assert result["new"][0]["focus"] == "http://example.org/other"
    changes = {m["label"]: (m["old"], m["new"], m["change"]) for m in result["mims"]}
    assert changes == {"MIM0": ("full", "initial", "down"), "MIM2": ("partial", "full", "up")}
    text = run_cli(["diff", "old.json", "new.json"]).stdout
    assert f"findings: 1 fixed, 1 new, {len(old['findings']) - 1} unchanged" in text
    assert "MIM2  Representing data: partial → full (up)" in text
    assert "New:" in text and "http://example.org/other" in text and "Fixed:" in text


def test_diff_of_a_report_against_its_baseline_is_empty(workdir: Path) -> None:
    shutil.copyfile(SOURCE, "catalog.rdf")
    run_cli(["baseline", "catalog.rdf", "-p", "dcat-ap-3", "-o", "base.json"])
    run_cli(["check", "catalog.rdf", "-p", "dcat-ap-3", "-q", "--report", "json=now.json"], expect=1)
    summary = json.loads(run_cli(["diff", "base.json", "now.json", "--format", "json"]).stdout)["summary"]
    assert summary["fixed"] == summary["new"] == 0 and summary["unchanged"] > 10


def test_diff_rejects_other_files_with_exit_2(workdir: Path) -> None:
    Path("a.json").write_text('{"format": "something/else"}')
    Path("b.json").write_text("not json")
    for args in (["a.json", "a.json"], ["b.json", "b.json"], ["missing.json", "a.json"]):
        lines = run_cli(["diff", *args], expect=2).stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ")
