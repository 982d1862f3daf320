"""Bad report arguments: exit 2, one line naming what is wrong, before any validation runs; writes are atomic."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import CORPUS, run_cli
from ldt_conform.errors import UsageError
from ldt_conform.render import write_atomic

SOURCE = CORPUS / "dcat" / "dcat-ap-no" / "DCAT-AP-NO2.0-examples.ttl"


@pytest.mark.parametrize("spec, message", [
    ("docx=out.docx", "unknown report format 'docx'"),
    ("sarif", "--report takes FORMAT=PATH"),
    ("sarif={missing}/dir/out.sarif", "the directory does not exist"),
    ("html={tmp}", "it is a directory"),
])
def test_bad_report_spec(tmp_path: Path, spec: str, message: str) -> None:
    spec = spec.format(missing=tmp_path / "missing", tmp=tmp_path)
    result = run_cli(["check", str(SOURCE), "-p", "dcat-ap-3", "--report", spec], expect=2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
    assert not result.stdout, "nothing was validated or printed"


def test_unknown_main_format(tmp_path: Path) -> None:
    result = run_cli(["check", str(SOURCE), "-p", "dcat-ap-3", "--format", "yaml"], expect=2)
    assert len(result.stderr.strip().splitlines()) == 1 and "unknown report format" in result.stderr


def test_write_atomic_never_leaves_a_half_written_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.json"
    target.write_text("previous complete report")
    real_replace = os.replace

    def disk_full(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(UsageError, match="No space left on device"):
        write_atomic(target, "new report that never lands")
    monkeypatch.setattr(os, "replace", real_replace)
    assert target.read_text() == "previous complete report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"], "no temporary file is left behind"
    write_atomic(target, "new report")
    assert target.read_text() == "new report"
    with pytest.raises(UsageError, match="cannot write report"):
        write_atomic(tmp_path / "missing-dir" / "r.json", "x")


def test_baseline_command_checks_its_output_before_the_run(tmp_path: Path) -> None:
    result = run_cli(["baseline", str(SOURCE), "-p", "dcat-ap-3", "-o", str(tmp_path / "no" / "b.json")], expect=2)
    assert "the directory does not exist" in result.stderr
    result = run_cli(["baseline", str(SOURCE), "-p", "dcat-ap-3"], expect=2)
    assert "--output" in result.stderr
