"""The streamed report (`check --findings FILE`): one pass over the spool writes every finding to FILE, counts them,
keeps the groups the quality score needs and the first few for the report to list; no step holds them all."""
from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any
from dataclasses import replace
from pathlib import Path

from ldt_conform import redact
from ldt_conform.errors import UsageError
from ldt_conform.findings_spool import Spool
from ldt_conform.findings_stream import FindingsWriter
from ldt_conform.model import Finding, Report, Severity

_SEVERITIES = tuple(Severity)


class FocusGroups:
    """(rule, focus, severity) → findings of one catalogue, what quality.score_catalogue reads (items(), iter()).

    A streamed run may have millions of findings, nearly one group each, and a Counter of (rule, focus, severity)
    tuples keeps a focus string per group. Here a group is one int key (focus number, rule number, severity) and
    each focus string is kept once: the finish of 1.5 M findings peaked 96 MiB lower. The score does not depend on
    the order of its groups."""

    def __init__(self) -> None:
        self._foci: dict[str, int] = {}
        self._focus_names: list[str] = []
        self._rules: dict[str, int] = {}
        self._rule_names: list[str] = []
        self._counts: Counter[int] = Counter()

    def add(self, rule: str, focus: str, severity: Severity) -> None:
        f = self._foci.get(focus)
        if f is None:
            f = self._foci[focus] = len(self._focus_names)
            self._focus_names.append(focus)
        r = self._rules.get(rule)
        if r is None:
            r = self._rules[rule] = len(self._rule_names)
            self._rule_names.append(rule)
        self._counts[(f << 24) | (r << 2) | _SEVERITIES.index(severity)] += 1

    def _key(self, key: int) -> tuple[str, str, Severity]:
        return self._rule_names[(key >> 2) & 0x3FFFFF], self._focus_names[key >> 24], _SEVERITIES[key & 3]

    def items(self) -> Iterator[tuple[tuple[str, str, Severity], int]]:
        for key, n in self._counts.items():
            yield self._key(key), n

    def __iter__(self) -> Iterator[tuple[str, str, Severity]]:
        return map(self._key, self._counts)

    def __len__(self) -> int:
        return len(self._counts)

    def as_counter(self) -> Counter[tuple[str, str, Severity]]:
        return Counter(dict(self.items()))


# Per catalogue, its SHACL rules' findings grouped for the score.
Groups = dict[str, FocusGroups]


def finish(report: Report, spool: Spool, path: Path, *, listed: int, shown_as: str | None = None,
           mark: Callable[[Finding], Finding] | None = None) -> tuple[Report, Groups]:
    """`report` with its findings streamed: FILE written, `streamed` set, `findings` the first `listed` of them.

    The findings already in `report` (added after the checks, e.g. the page chains' notes) join the spool's. Each
    finding is redacted as the rendered report would be (redact.report) and, with `mark` (check --baseline), marked
    new or known, before it is written or counted; the score's groups are taken before redaction, as the score of
    an unstreamed run sees its findings.
    """
    shacl = {r.id for r in report.rules if r.kind == "shacl"}
    clean = redact.findings()
    groups: Groups = {}
    failing = 0
    # Per input and rule: findings by severity, and those failing the run. The views per input (the HTML matrix,
    # JUnit and SHACL-report verdicts per input) need them for findings the report does not list.
    by_target: Counter[tuple[str, str, str]] = Counter()
    failing_by_target: Counter[tuple[str, str]] = Counter()
    writer: FindingsWriter

    def passing() -> Iterator[Finding]:
        nonlocal failing
        for f in spool.merged(extra=report.findings):
            if f.rule in shacl:
                group = groups.get(f.target)
                if group is None:
                    group = groups[f.target] = FocusGroups()
                group.add(f.rule, f.focus, f.severity)
            f = clean(f)
            if mark is not None:
                f = mark(f)
            by_target[(f.target, f.rule, f.severity.value)] += 1
            if f.severity.at_least(report.fail_on) and f.baseline != "known":
                failing += 1
                failing_by_target[(f.target, f.rule)] += 1
            writer.write(f)
            yield f

    try:
        with FindingsWriter(path) as writer:
            stream = passing()
            kept = heapq.nsmallest(listed, stream, key=Finding.full_key) if listed > 0 else []
            for _ in stream:  # nsmallest(0) reads nothing; the file must still get every finding
                pass
    except OSError as exc:
        raise UsageError(f"--findings {shown_as or path}", f"cannot write: {exc.strerror or exc}") from None
    summary = writer.summary
    streamed = {"file": shown_as or str(path), "format": writer.kind, "total": summary.findings, "listed": len(kept),
                "by_severity": dict(summary.by_severity),
                "by_rule": {rule: dict(by) for rule, by in sorted(summary.by_rule_severity.items())},
                "failing": failing,
                "by_target": _nested(by_target), "failing_by_target": _nested(failing_by_target)}
    return replace(report, findings=tuple(kept), streamed=streamed), groups


def _nested(counts: Counter[Any]) -> dict[str, Any]:
    """{(a, b, c): n} as {a: {b: {c: n}}} (and {(a, b): n} as {a: {b: n}}), keys sorted."""
    out: dict[str, Any] = {}
    for key, n in sorted(counts.items()):
        level = out
        for part in key[:-1]:
            level = level.setdefault(part, {})
        level[key[-1]] = n
    return out
