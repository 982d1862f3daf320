"""Findings on disk while a run goes on (`check --findings FILE`): memory holds one batch, not the run.

Checks hand their findings over as they produce them (the SHACL kind one shape at a time). Each full batch is
sorted and written as a run file; at the end the runs are merged into one stream in which every finding appears
once. The merge order puts the link key (target, focus, path, value) first, so the findings of different rules on
one value are neighbours and `same_value_as` is filled in from one small group at a time (engine.link_same_value
does the same over a list). What the report needs besides the findings (blank-node labels, the LC-004 and LC-006
notes behind not-verified results) is gathered as findings pass, and is as small as the inputs' blank nodes.
"""
from __future__ import annotations

import heapq
import itertools
import pickle
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from ldt_conform import tool_ids
from ldt_conform.bnodes import relabel
from ldt_conform.errors import UsageError
from ldt_conform.model import Finding, Severity

# Findings per run file. 100,000 took as long and peaked 36 MiB higher at 1.5 M findings (100,000 datasets).
BATCH = 50_000
CHUNK = 2_000  # findings per pickle record inside a run file: what the merge holds of each run at a time

# (target, focus, path, value, rule, severity, message, source, engine): a finding before baseline and links.
Row = tuple[str, str, "str | None", "str | None", str, str, str, "str | None", "str | None"]
_SEVERITY = {s.value: s for s in Severity}


def to_row(f: Finding) -> Row:
    return (f.target, f.focus, f.path, f.value, f.rule, f.severity.value, f.message, f.source, f.engine)


def to_finding(r: Row) -> Finding:
    return Finding(rule=r[4], severity=_SEVERITY[r[5]], target=r[0], focus=r[1], message=r[6], path=r[2],
                   value=r[3], source=r[7], engine=r[8])


def row_key(r: Row) -> tuple[str, ...]:
    """Link key first, then every field: a total order in which equal findings are neighbours."""
    return (r[0], r[1], r[2] or "", r[3] or "", r[4], r[5], r[6], r[7] or "", r[8] or "")


class Notes:
    """What a report needs of its findings besides the findings, gathered as they pass (kept or streamed alike)."""

    def __init__(self) -> None:
        # Target → the blank-node labels its findings name (engine._bnode_labels makes them canonical).
        self.bnodes: dict[str, set[str]] = {}
        # What engine._unverified_passes needs: the artefacts a rule missed (LC-004), the statements skipped (LC-006).
        self.offline: set[tuple[str, str]] = set()
        self.skipped: Counter[str] = Counter()

    def note(self, findings: Iterable[Finding]) -> None:
        offline, skipped = tool_ids.OFFLINE, tool_ids.SKIPPED
        for f in findings:
            if f.rule == offline and f.source:
                self.offline.add((f.target, f.source))
            elif f.rule == skipped:
                self.skipped[f.target] += 1
            for text in (f.focus, f.value):
                if text and text.startswith("_:"):
                    self.bnodes.setdefault(f.target, set()).add(text[2:])


class Spool(Notes):
    """Findings of one run, on disk in sorted runs; `merged()` gives them back once each, linked, in link order."""

    def __init__(self, directory: str | None = None, batch: int | None = None) -> None:
        super().__init__()
        try:
            self._dir = Path(tempfile.mkdtemp(prefix="ldt-findings-", dir=directory))
        except OSError as exc:
            raise UsageError(directory or tempfile.gettempdir(), f"cannot spool findings: {exc.strerror or exc}") \
                from None
        self._batch = batch or BATCH
        self._buffer: list[Row] = []
        self._runs: list[tuple[Path, bool]] = []  # (file, holds a blank node that a later relabel may rename)
        self.peak = 0  # the most findings the buffer held: what memory held of the run's findings
        self._labels: dict[str, dict[str, str]] = {}

    def add(self, findings: Iterable[Finding]) -> None:
        batch = list(findings)
        self._buffer.extend(map(to_row, batch))
        self.note(batch)
        if len(self._buffer) >= self._batch:
            self._flush()

    def relabel(self, target: str, labels: dict[str, str]) -> None:
        """The canonical labels of `target`'s blank nodes, applied as the runs are merged."""
        if labels:
            self._labels.setdefault(target, {}).update(labels)

    def _flush(self) -> None:
        if not self._buffer:
            return
        self._buffer.sort(key=row_key)
        path = self._dir / f"run-{len(self._runs):05d}.pickle"
        self.peak = max(self.peak, len(self._buffer))
        self._write(path, self._buffer)
        self._runs.append((path, any(_has_bnode(r) for r in self._buffer)))
        self._buffer = []

    def merged(self, extra: Iterable[Finding] = ()) -> Iterator[Finding]:
        """Every finding once (`extra` too: the few added after the checks), `same_value_as` set, in link order."""
        self.add(extra)
        self._flush()
        self._relabel_runs()
        rows = heapq.merge(*(self._read(path) for path, _ in self._runs), key=row_key)
        for _, grouped in itertools.groupby(rows, key=_link_key):
            group = list(grouped)
            if len(group) == 1:  # most findings share their value with no other: no link, nothing to deduplicate
                yield to_finding(group[0])
            else:
                yield from _linked(list(dict.fromkeys(group)))

    def _relabel_runs(self) -> None:
        """Rewrite each run that names a relabelled blank node with the canonical labels, sorted again (a new label
        moves a finding in the order), one run at a time: the merge then reads every run lazily."""
        if not self._labels:
            return
        for path, bnodes in self._runs:
            if not bnodes:
                continue
            self._write(path, sorted(map(self._relabelled, _read_chunks(path)), key=row_key))

    def _write(self, path: Path, rows: list[Row]) -> None:
        try:
            with path.open("wb") as fh:
                _write_chunks(fh, rows)
        except OSError as exc:
            # A usage error, not a crash of the check that handed the findings over (engine._run_guarded).
            raise UsageError(str(self._dir), f"cannot spool findings (--store-dir chooses where): "
                                             f"{exc.strerror or exc}") from None

    def _read(self, path: Path) -> Iterator[Row]:
        yield from _read_chunks(path)
        path.unlink()

    def _relabelled(self, r: Row) -> Row:
        labels = self._labels.get(r[0])
        if not labels or not _has_bnode(r):
            return r
        return to_row(relabel(to_finding(r), labels))

    def close(self) -> None:
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _link_key(r: Row) -> tuple[str, str, str | None, str | None]:
    return r[0], r[1], r[2], r[3]


def _has_bnode(r: Row) -> bool:
    return r[1].startswith("_:") or (r[3] is not None and r[3].startswith("_:"))


def _linked(group: list[Row]) -> Iterator[Finding]:
    """One (target, focus, path, value) group as findings, each naming the group's other rules (link_same_value)."""
    first = group[0]
    if len(group) == 1 or first[2] is None:
        yield from map(to_finding, group)
        return
    rules = {r[4] for r in group if not tool_ids.is_tool_rule(r[4])}
    for r in group:
        f = to_finding(r)
        others = () if tool_ids.is_tool_rule(r[4]) else tuple(sorted(rules - {r[4]}))
        yield Finding(rule=f.rule, severity=f.severity, target=f.target, focus=f.focus, message=f.message,
                      path=f.path, value=f.value, source=f.source, engine=f.engine,
                      same_value_as=others) if others else f


def _write_chunks(fh: IO[bytes], rows: list[Row]) -> None:
    for i in range(0, len(rows), CHUNK):
        pickle.dump(rows[i:i + CHUNK], fh, protocol=pickle.HIGHEST_PROTOCOL)


def _read_chunks(path: Path) -> Iterator[Row]:
    with path.open("rb") as fh:
        while True:
            try:
                chunk: list[Row] = pickle.load(fh)
            except EOFError:
                return
            yield from chunk

