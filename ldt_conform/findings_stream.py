"""Findings as a stream: JSON Lines or Parquet (optional extra `scale`), written in batches, summarised as they pass."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from ldt_conform.errors import UsageError
from ldt_conform.model import Finding, Severity

FIELDS = ("target", "rule", "severity", "focus", "path", "value", "message", "source", "engine", "baseline",
          "same_value_as")
LISTS = frozenset({"same_value_as"})  # a list of rule IDs (one defect seen by several rules); the rest are strings
BATCH = 50_000  # Parquet rows per row group: bounded memory, still large enough for fast scans in DuckDB


@dataclass
class Summary:
    """What a report's summary needs from its findings, accumulated one finding at a time."""

    findings: int = 0
    by_severity: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in Severity})
    by_rule: Counter[str] = field(default_factory=Counter)
    by_rule_severity: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, row: dict[str, Any]) -> None:
        self.count(row["rule"], row["severity"])

    def count(self, rule: str, severity: str) -> None:
        self.findings += 1
        self.by_severity[severity] = self.by_severity.get(severity, 0) + 1
        self.by_rule[rule] += 1
        by = self.by_rule_severity.get(rule)
        if by is None:
            by = self.by_rule_severity[rule] = {}
        by[severity] = by.get(severity, 0) + 1


def row(finding: Finding) -> dict[str, Any]:
    return {"target": finding.target, "rule": finding.rule, "severity": finding.severity.value,
            "focus": finding.focus, "path": finding.path, "value": finding.value, "message": finding.message,
            "source": finding.source, "engine": finding.engine, "baseline": finding.baseline,
            "same_value_as": list(finding.same_value_as)}


_STRING = json.encoder.encode_basestring  # the C encoder json.dumps(..., ensure_ascii=False) uses for a str


def line(finding: Finding) -> str:
    """``json.dumps(row(finding), ensure_ascii=False)``, built from the C string encoder: a run with millions of
    findings spent more time in json.dumps than in writing them (test_findings_spool compares the two)."""
    def text(value: str | None) -> str:
        return "null" if value is None else _STRING(value)

    others = "[" + ", ".join(map(_STRING, finding.same_value_as)) + "]"
    return (f'{{"target": {_STRING(finding.target)}, "rule": {_STRING(finding.rule)}, '
            f'"severity": "{finding.severity.value}", "focus": {_STRING(finding.focus)}, '
            f'"path": {text(finding.path)}, "value": {text(finding.value)}, "message": {_STRING(finding.message)}, '
            f'"source": {text(finding.source)}, "engine": {text(finding.engine)}, '
            f'"baseline": {text(finding.baseline)}, "same_value_as": {others}}}\n')


def kind_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".parquet":
        return "parquet"
    raise UsageError(f"--findings {path}", "name a .jsonl (JSON Lines) or .parquet file")


class FindingsWriter:
    """Writes findings as they come; ``summary`` is computed from exactly what was written."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.kind = kind_of(path)
        self.summary = Summary()
        self._batch: list[dict[str, Any]] = []
        self._fh: IO[str] | None = None
        self._parquet: Any = None
        if self.kind == "parquet":
            try:
                import pyarrow  # noqa: F401
            except ImportError:
                raise UsageError(f"--findings {path}",
                                 "Parquet needs pyarrow: pip install 'ldt-conform[scale]'") from None
        else:
            self._fh = path.open("w", encoding="utf-8")

    def write(self, finding: Finding) -> None:
        self.summary.count(finding.rule, finding.severity.value)
        if self._fh is not None:
            self._fh.write(line(finding))
            return
        self._batch.append(row(finding))
        if len(self._batch) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema([(name, pa.list_(pa.string()) if name in LISTS else pa.string()) for name in FIELDS])
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(str(self.path), schema)
        table = pa.Table.from_pylist(self._batch, schema=schema)
        self._parquet.write_table(table)
        self._batch = []

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            return
        if self._batch or self._parquet is None:
            self._flush()  # an empty run still writes a file with the schema
        self._parquet.close()

    def __enter__(self) -> FindingsWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def read(path: Path) -> Iterator[dict[str, Any]]:
    """The rows of a findings file, one at a time (Parquet one row group at a time)."""
    if kind_of(path) == "jsonl":
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)
        return
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(str(path))
    for i in range(pf.num_row_groups):
        yield from pf.read_row_group(i).to_pylist()


def summarize(path: Path) -> Summary:
    """The summary of a findings file, streamed: memory does not grow with the number of findings."""
    summary = Summary()
    for r in read(path):
        summary.add(r)
    return summary
