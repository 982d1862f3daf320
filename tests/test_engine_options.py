"""SHACL engine options end to end: engines agree, on-disk stores, ill-formed shapes and the time budget (exit 2)."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES, ONE_RULE_PROFILE as PROFILE, run_cli

DEFECTS = str(EXAMPLES / "catalogue-defects.ttl")


def _findings(args: list[str]) -> list[tuple[str, str, str]]:
    report = json.loads(run_cli([*args, "--format", "json"], expect=1).stdout)
    return sorted((f["rule"], f["focus"], f.get("path", "")) for f in report["findings"])


def test_engines_agree_and_report_themselves() -> None:
    fast = json.loads(run_cli(["check", DEFECTS, "--engine", "fast", "--format", "json"], expect=1).stdout)
    slow = json.loads(run_cli(["check", DEFECTS, "--engine", "pyshacl", "--format", "json"], expect=1).stdout)
    assert fast["engines"] == ["fast"] and slow["engines"] == ["pyshacl"]
    key = lambda r: sorted((f["rule"], f["focus"], f.get("path", ""), f.get("value", "")) for f in r["findings"])  # noqa: E731
    assert key(fast) == key(slow)
    assert {f["engine"] for f in fast["findings"]} == {"fast"}


def test_on_disk_store_gives_the_same_findings(tmp_path: Path) -> None:
    in_memory = _findings(["check", DEFECTS])
    on_disk = _findings(["check", DEFECTS, "--store-dir", str(tmp_path), "--jobs", "2"])
    assert on_disk == in_memory
    assert any(tmp_path.iterdir()), "the store should have been written under --store-dir"


SHAPES_PREFIX = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/shapes#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
"""


def _profile(tmp_path: Path, shapes: str) -> Path:
    (tmp_path / "shapes.ttl").write_text(SHAPES_PREFIX + shapes, "utf-8")
    (tmp_path / "profile.toml").write_text(PROFILE, "utf-8")
    return tmp_path / "profile.toml"


def test_property_shape_without_path_is_a_profile_error(tmp_path: Path) -> None:
    profile = _profile(tmp_path, "ex:S a sh:NodeShape ; sh:targetClass dcat:Dataset ; sh:property ex:P .\n"
                                 "ex:P a sh:PropertyShape ; sh:minCount 1 .\n")
    result = run_cli(["check", DEFECTS, "--profile", str(profile), "--engine", "fast"], expect=2)
    assert result.stderr.count("\n") == 1 and "https://example.org/shapes#P" in result.stderr, result.stderr


def test_dangling_sh_node_is_a_profile_error(tmp_path: Path) -> None:
    profile = _profile(tmp_path, "ex:S a sh:NodeShape ; sh:targetClass dcat:Dataset ; sh:node ex:Nowhere .\n")
    result = run_cli(["check", DEFECTS, "--profile", str(profile), "--engine", "fast"], expect=2)
    assert "Nowhere" in result.stderr and "Traceback" not in result.stderr, result.stderr


@pytest.mark.slow
def test_time_budget_names_the_shape(tmp_path: Path) -> None:
    """sh:zeroOrMorePath over a long cycle, from every node: the run stops at the budget and names the shape."""
    profile = _profile(tmp_path, "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:next ; sh:property ex:Walk .\n"
                                 "ex:Walk sh:path [ sh:zeroOrMorePath ex:next ] ; sh:maxCount 1 .\n")
    n = 20_000
    data = tmp_path / "cycle.nt"
    with data.open("w") as out:
        for i in range(n):
            out.write(f"<https://example.org/shapes#n{i}> <https://example.org/shapes#next> "
                      f"<https://example.org/shapes#n{(i + 1) % n}> .\n")
    started = time.monotonic()
    result = run_cli(["check", str(data), "--profile", str(profile), "--engine", "fast", "--time-budget", "1"],
                     expect=2)
    assert time.monotonic() - started < 30
    assert "time budget" in result.stderr and "https://example.org/shapes#" in result.stderr, result.stderr
