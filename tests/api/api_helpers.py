"""Helpers of the live-API tests: one in-process check run, and the verdicts and findings of its report."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable, Sequence

from ldt_conform.api import CheckOptions, check
from ldt_conform.model import Report, Severity, Status

# One expected finding of an exact table: rule, focus pattern, value pattern, the note closing the message.
Row = tuple[str, str, str, "str | re.Pattern[str]"]  # a note naming something random is a pattern

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


def at(text: str) -> str:
    """An exact-table pattern that matches this text literally."""
    return re.escape(text)


def assert_exact(report: Report, statuses: dict[str, str], expected: list[Row]) -> None:
    """The report's verdicts and findings are exactly these: the status of every rule that does not pass, and every
    non-info finding (sorted by rule, focus, value) with its rule, focus, value and closing note."""
    failing = {r.rule: r.status.value for r in report.results if r.status is not Status.PASS}
    assert failing == statuses, failing
    got = sorted((f for f in report.findings if f.severity is not Severity.INFO),
                 key=lambda f: (f.rule, f.focus, f.value or ""))
    assert len(got) == len(expected), [(f.rule, f.focus, f.value) for f in got]
    for finding, (rule, focus, value, note) in zip(got, expected):
        assert finding.rule == rule
        assert re.fullmatch(focus, finding.focus), finding.focus
        assert re.fullmatch(value, finding.value or ""), finding.value
        if isinstance(note, re.Pattern):  # a note naming something random (a probe entity's id)
            assert re.search(rf" \(({note.pattern})\)$", finding.message), finding.message
        else:
            assert finding.message.endswith(f" ({note})"), finding.message


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


def sigterm_while(server: Any, in_flight: Callable[[], bool]) -> float:
    """An in-process NGSI-LD run with writes against `server`, sent SIGTERM 0.3 s after `in_flight()` first holds (a
    slow write the server has received): the run must stop with KeyboardInterrupt, and no SIGTERM may arrive outside
    a write's guard. Returns how long the run took."""
    import os
    import signal
    import threading
    import time

    import pytest

    previous = signal.signal(signal.SIGTERM, lambda signum, frame: pytest.fail("SIGTERM outside a write's guard"))

    def interrupt() -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if in_flight():
                time.sleep(0.3)
                os.kill(os.getpid(), signal.SIGTERM)
                return
            time.sleep(0.02)

    killer = threading.Thread(target=interrupt, daemon=True)
    killer.start()
    started = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            probe([("ngsi-ld", server.url)], profile="ngsi-ld", allow_writes=True)
    finally:
        signal.signal(signal.SIGTERM, previous)
        killer.join(5)
    return time.monotonic() - started
