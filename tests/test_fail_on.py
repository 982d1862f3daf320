"""--fail-on on fixtures whose only findings are warnings, or only infos: the exit codes are written here, not derived."""
from __future__ import annotations

import json

import pytest

from conftest import REPO, run_cli

FIXTURE = REPO / "tests" / "fixtures" / "fail_on"
PROFILE = str(FIXTURE / "profile.toml")

# (data file, --fail-on) → exit status; None means the option is left out (its default is error).
EXPECTED = {
    ("warning-only.ttl", None): 0,
    ("warning-only.ttl", "error"): 0,
    ("warning-only.ttl", "warning"): 1,
    ("warning-only.ttl", "info"): 1,
    ("info-only.ttl", None): 0,
    ("info-only.ttl", "error"): 0,
    ("info-only.ttl", "warning"): 0,
    ("info-only.ttl", "info"): 1,
}


@pytest.mark.parametrize(("data", "fail_on"), sorted(EXPECTED, key=str), ids=lambda v: str(v))
def test_fail_on_exit_status(data: str, fail_on: str | None) -> None:
    args = ["check", str(FIXTURE / data), "--profile", PROFILE, "-q"]
    run_cli([*args, "--fail-on", fail_on] if fail_on else args, expect=EXPECTED[(data, fail_on)])


@pytest.mark.parametrize(("data", "rule", "severity"), [("warning-only.ttl", "FO-001", "warning"),
                                                         ("info-only.ttl", "FO-002", "info")])
def test_fixture_has_only_the_one_finding_it_claims(data: str, rule: str, severity: str) -> None:
    """The fixtures are what the table above assumes: exactly one finding, of one severity."""
    report = json.loads(run_cli(["check", str(FIXTURE / data), "--profile", PROFILE, "--format", "json"],
                                expect=0).stdout)
    assert [(f["rule"], f["severity"], f["focus"], f["path"]) for f in report["findings"]] == [
        (rule, severity, "http://example.org/fail-on#t",
         "http://example.org/fail-on#" + ("name" if rule == "FO-001" else "note"))]
