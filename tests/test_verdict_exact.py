"""Exact expectations for the code that decides verdicts, written where mutation testing (tools/mutation.py) showed
that the rest of the suite let a changed line through."""
from __future__ import annotations

import pytest

from ldt_conform.model import Severity


@pytest.mark.parametrize(("severity", "threshold", "expected"), [
    (Severity.INFO, Severity.INFO, True), (Severity.INFO, Severity.WARNING, False),
    (Severity.WARNING, Severity.WARNING, True), (Severity.WARNING, Severity.ERROR, False),
    (Severity.ERROR, Severity.WARNING, True), (Severity.ERROR, Severity.ERROR, True),
])
def test_severity_at_least_is_inclusive(severity: Severity, threshold: Severity, expected: bool) -> None:
    assert severity.at_least(threshold) is expected
