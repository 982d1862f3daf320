"""--findings: every finding streamed to JSON Lines or Parquet, identical to the report's, summary from the stream."""

from __future__ import annotations

import io
import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from ldt_conform.findings_stream import FIELDS, BATCH, FindingsWriter, read, summarize
from ldt_conform.model import Finding, Severity

sys.path.insert(0, str(REPO / "benchmarks"))
from generate_catalogue import generate  # noqa: E402


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("stream") / "catalogue.ttl"
    buf = io.StringIO()
    generate(400, buf, seed=21)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_cli_findings_file_equals_report(catalogue: Path, tmp_path: Path, suffix: str) -> None:
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    out = tmp_path / f"findings{suffix}"
    whole = json.loads(run_cli(["check", str(catalogue), "-p", "dcat-ap-3-core", "-q", "--format", "json"],
                               expect=1).stdout)
    got = run_cli(["check", str(catalogue), "-p", "dcat-ap-3-core", "-q", "--format", "json", "--findings", str(out),
                   "--list-findings", "2"], expect=1)
    report = json.loads(got.stdout)

    def key(f: dict[str, object]) -> tuple[object, ...]:
        return tuple(tuple(v) if isinstance(v := f.get(k), list) else v for k in FIELDS if k != "same_value_as") \
            + (tuple(f.get("same_value_as", ())),)

    want = Counter(map(key, whole["findings"]))
    rows = list(read(out))
    assert len(rows) == len(whole["findings"]) == 14
    assert Counter(map(key, rows)) == want
    assert report["findings"] == whole["findings"][:2]
    summary = summarize(out)
    assert summary.findings == len(rows)
    assert summary.by_severity == report["summary"]["findings"] == whole["summary"]["findings"]
    assert summary.by_rule == Counter(f["rule"] for f in whole["findings"])


def test_parquet_is_written_in_row_groups(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "many.parquet"
    n = BATCH * 2 + 7
    with FindingsWriter(out) as writer:
        for i in range(n):
            writer.write(Finding(rule="R-1", severity=Severity.WARNING if i % 3 else Severity.ERROR, target="t",
                                 focus=f"https://example.org/{i}", message="m"))
    assert pq.ParquetFile(str(out)).num_row_groups == 3
    s = summarize(out)
    assert (s.findings, s.by_severity["error"], s.by_rule["R-1"]) == (n, (n + 2) // 3, n)
    assert writer.summary == s


def test_unknown_findings_suffix_is_exit_2(catalogue: Path, tmp_path: Path) -> None:
    got = run_cli(["check", str(catalogue), "-p", "dcat-ap-3-core", "-q", "--findings", str(tmp_path / "f.csv")],
                  expect=2)
    assert got.stderr.strip() == f"error: --findings {tmp_path / 'f.csv'}: name a .jsonl (JSON Lines) or .parquet file"
