"""`--debug` says where a run's time went: one `timing:` line for the check's steps, one for rendering (phases.py)."""
from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any, Callable

import pytest

from conftest import run_cli
from ldt_conform import api, engine, quality
from ldt_conform import load as loader
from ldt_conform.phases import Phases

CATALOGUE = Path(__file__).parents[1] / "examples" / "twin" / "catalogue.ttl"
STEP = re.compile(r"(\w+) (\d+\.\d\d) s")


def test_each_step_runs_from_the_end_of_the_one_before() -> None:
    ticks = iter([10.0, 10.25, 13.0, 13.004])
    steps = Phases(clock=lambda: next(ticks))
    for name in ("read", "rules", "score"):
        steps.done(name)
    assert steps.steps == [("read", 0.25), ("rules", 2.75), ("score", pytest.approx(0.004))]
    assert steps.line() == "timing: read 0.25 s, rules 2.75 s, score 0.00 s"


def slowed(real: Callable[..., Any], seconds: float) -> Callable[..., Any]:
    def slow(*a: Any, **k: Any) -> Any:
        got = real(*a, **k)
        time.sleep(seconds)
        return got
    return slow


def timing(lines: list[str]) -> dict[str, float]:
    [line] = [m for m in lines if m.startswith("timing: ")]
    return {name: float(s) for name, s in STEP.findall(line)}


@pytest.mark.parametrize("streamed", [False, True])
def test_the_check_line_names_every_step_in_order_with_its_time(streamed: bool, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # Each step is slowed by its own amount, so each figure is shown to belong to its own step.
    monkeypatch.setattr(loader, "open_targets", slowed(loader.open_targets, 0.3))
    monkeypatch.setattr(engine, "run", slowed(engine.run, 0.9))
    monkeypatch.setattr(quality, "attach", slowed(quality.attach, 0.6))
    lines: list[str] = []
    options = api.CheckOptions(profile="dcat-ap-3-core", offline=True,
                               findings_file=str(tmp_path / "f.jsonl") if streamed else None)
    report = api.check([str(CATALOGUE)], options, debug=lines.append)
    steps = timing(lines)
    assert list(steps) == ["profile", "read", "rules", *(["findings"] if streamed else []), "score"]
    # Lower bounds only (a busy machine may take longer, never shorter): a mark put in the wrong place would move a
    # delay into its neighbour and leave a step under its own.
    assert (steps["read"] >= 0.3, steps["rules"] >= 0.9, steps["score"] >= 0.6) == (True, True, True), steps
    assert report.quality["catalogues"][0]["datasets"] == 6


def test_the_cli_adds_the_render_step(tmp_path: Path) -> None:
    result = run_cli(["check", str(CATALOGUE), "--profile", "dcat-ap-3-core", "--offline", "--debug", "-q",
                      "--format", "json", "-o", str(tmp_path / "r.json")])
    lines = [line[len("debug: "):] for line in result.stderr.splitlines() if line.startswith("debug: timing: ")]
    assert [list(STEP_NAMES.findall(line)) for line in lines] == [["profile", "read", "rules", "score"], ["render"]]


STEP_NAMES = re.compile(r"(\w+) \d+\.\d\d s")
