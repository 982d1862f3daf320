"""Exact expectations that kill the mutants tools/mutation.py's full run found alive in the verdict modules (the
report summary, the exit-code decision, levels, engine, profile, baseline, the SHACL check kind and shacl_fast)."""
from __future__ import annotations

import pytest

from ldt_conform.model import Finding, ProfileInfo, Report, Result, Severity, Status


def _report(findings: tuple[Finding, ...] = (), results: tuple[Result, ...] = (),
            fail_on: Severity = Severity.ERROR) -> Report:
    profile = ProfileInfo(id="p", version="1", title="P", sha256="0" * 64)
    return Report(tool_version="0", started_at="s", finished_at="f", profile=profile, rules=(), targets=(),
                  results=results, findings=findings, fail_on=fail_on)


def _finding(severity: Severity, baseline: str | None = None) -> Finding:
    return Finding(rule="R-1", severity=severity, target="t", focus="f", message="m", baseline=baseline)


def test_summary_counts_every_severity_and_status_exactly() -> None:
    findings = (_finding(Severity.ERROR), _finding(Severity.WARNING), _finding(Severity.WARNING))
    results = (Result("R-1", "t", Status.FAIL), Result("R-2", "t", Status.PASS), Result("R-3", "t", Status.PASS),
               Result("R-4", "t", Status.ERROR))
    report = _report(findings, results)
    assert report.counts_by_severity() == {"error": 1, "warning": 2, "info": 0}
    assert report.counts_by_status() == {"pass": 2, "fail": 1, "error": 1, "skip": 0}


@pytest.mark.parametrize(("severity", "baseline", "fail_on", "expected"), [
    (Severity.WARNING, None, Severity.ERROR, True),
    (Severity.WARNING, None, Severity.WARNING, False),
    (Severity.INFO, None, Severity.WARNING, True),
    (Severity.INFO, None, Severity.INFO, False),
    (Severity.ERROR, "known", Severity.ERROR, True),
    (Severity.ERROR, "new", Severity.ERROR, False),
])
def test_conforms_is_decided_by_fail_on_and_the_baseline(severity: Severity, baseline: str | None,
                                                         fail_on: Severity, expected: bool) -> None:
    assert _report((_finding(severity, baseline),), fail_on=fail_on).conforms is expected


def test_a_rule_in_error_makes_the_run_non_conformant_without_findings() -> None:
    assert _report(results=(Result("R-1", "t", Status.ERROR, reason="crashed"),)).conforms is False
    assert _report(results=(Result("R-1", "t", Status.SKIP, reason="offline"),)).conforms is True
