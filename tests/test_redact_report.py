"""redact.report: every string of a report masked, findings' echoed fields clipped, untouched parts kept as they are."""
from __future__ import annotations

from dataclasses import dataclass

from ldt_conform import redact
from ldt_conform.model import Finding, Severity


@dataclass(frozen=True)
class Holder:
    findings: tuple[Finding, ...]
    quality: dict[str, object]
    note: str
    severity: Severity


def test_report_masks_clips_and_keeps_identity(monkeypatch) -> None:
    monkeypatch.setattr(redact, "_secrets", set())
    redact.register("s3cr3t-token")
    long_value = "x" * (redact.MAX_FIELD_CHARS + 5)
    finding = Finding(rule="R-1", severity=Severity.ERROR, target="t", focus="https://u:pw@h.example/a",
                      message="m", value=long_value)
    clean = Finding(rule="R-2", severity=Severity.WARNING, target="t", focus="f", message="fine")
    card = {"dataset": "d", "metrics": {"m1": 1.0}, "title": "has s3cr3t-token inside"}
    untouched = {"dataset": "e", "metrics": {"m1": 0.5}}
    holder = Holder((finding, clean), {"scorecards": [card, untouched]}, "long " + long_value, Severity.INFO)

    out = redact.report(holder)

    assert out.findings[0].focus == "https://u:***@h.example/a"
    assert out.findings[0].value == "x" * redact.MAX_FIELD_CHARS + "… (5 more characters)"
    assert out.findings[1] is clean  # nothing to change: the same object, not a copy
    assert out.quality["scorecards"][0] == {"dataset": "d", "metrics": {"m1": 1.0}, "title": "has *** inside"}
    assert out.quality["scorecards"][1] is untouched
    assert out.note == "long " + long_value  # only findings' fields are clipped
    assert out.severity is Severity.INFO
    assert redact.report(clean) is clean
