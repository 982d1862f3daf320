"""`api.check(retain=...)`: the CLI keeps the loaded inputs until os._exit instead of tearing their stores down."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLES, run_cli

from ldt_conform import api, cli

DEFECTS = str(EXAMPLES / "catalogue-defects.ttl")
REPO = Path(__file__).resolve().parents[1]


def test_retain_is_handed_the_loaded_inputs() -> None:
    kept: list[object] = []
    report = api.check([DEFECTS], api.CheckOptions(profile="dcat-ap-3-core", offline=True), retain=kept.append)
    [inputs] = kept
    [target] = inputs  # type: ignore[misc]
    assert target.source == DEFECTS == report.targets[0].source
    # the store itself, still holding every triple after check() returned
    assert len(target.prepared.store) == report.targets[0].triples > 0


def test_in_process_cli_keeps_nothing() -> None:
    """The test session runs the CLI in-process (no os._exit): nothing may pile up across runs."""
    run_cli(["check", DEFECTS, "--format", "json"], expect=1)
    assert cli._KEPT is None


def test_console_script_with_fast_exit_writes_the_same_report(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "LDT_CONFORM_NO_FAST_EXIT"}
    env["PYTHONPATH"] = str(REPO)
    out = tmp_path / "report.json"
    done = subprocess.run([sys.executable, "-m", "ldt_conform", "check", DEFECTS, "--format", "json", "-o", str(out),
                           "--quiet"], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stderr
    fast = json.loads(out.read_text(encoding="utf-8"))
    slow = json.loads(run_cli(["check", DEFECTS, "--format", "json"], expect=1).stdout)
    for report in (fast, slow):
        report.pop("started_at"), report.pop("finished_at")
    assert fast == slow
