"""Helpers of the live-API tests: one in-process check run, and the verdicts and findings of its report."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from ldt_conform.api import CheckOptions, check
from ldt_conform.model import Report, Status

def probe(apis: Sequence[tuple[str | None, str]], profile: str = "api", **options: Any) -> Report:
    """One in-process run, as `ldt-conform check --api …` makes it."""
    return check([], CheckOptions(profile=profile, apis=list(apis), **options))


def status(report: Report, rule: str) -> Status:
    matches = [r.status for r in report.results if r.rule == rule]
    assert len(matches) == 1, f"{rule}: {len(matches)} results"
    return matches[0]


def verdicts(report: Report, prefix: str = "") -> dict[str, str]:
    return {r.rule: r.status.value for r in report.results if r.rule.startswith(prefix)}


def findings(report: Report, rule: str) -> list[Any]:
    return [f for f in report.findings if f.rule == rule]


REPO = Path(__file__).resolve().parents[2]


def run_cli_capture(args: Sequence[str], expect: int | None = 0, env: dict[str, str] | None = None) -> Any:
    """The CLI in-process, stdout and stderr apart; on a wrong exit code the test fails showing both."""
    import pytest
    from click.testing import CliRunner

    from ldt_conform.cli import cli

    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    if expect is not None and result.exit_code != expect:
        pytest.fail(f"ldt-conform {' '.join(args)} exited {result.exit_code}, expected {expect}\n"
                    f"--- stdout ---\n{result.stdout[-3000:]}\n--- stderr ---\n{result.stderr[-3000:]}")
    return result
