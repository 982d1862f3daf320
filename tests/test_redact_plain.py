"""redact.report's shortcut: a report field redaction cannot change is kept whole; anything it can change is walked."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from ldt_conform import redact


@dataclass(frozen=True)
class Holder:
    quality: dict[str, object]
    options: dict[str, object]


def _cards(extra: dict[str, object]) -> dict[str, object]:
    cards = [{"dataset": f"https://example.org/d{i}", "title": f"Dataset {i}", "score": i / 3, "ok": None}
             for i in range(500)]
    return {"catalogues": [{"scorecards": cards, **extra}]}


@pytest.fixture(autouse=True)
def _no_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(redact, "_secrets", set())


def test_a_field_with_nothing_to_redact_is_kept_as_is() -> None:
    holder = Holder(_cards({}), {"jobs": 1})
    out = redact.report(holder)
    assert out is holder and out.quality is holder.quality


@pytest.mark.parametrize(("secret", "extra", "expected"), [
    ("s3cr3t-token", {"note": "has s3cr3t-token inside"}, {"note": "has *** inside"}),
    ("s3cr3t-token", {"s3cr3t-token": 1}, {"***": 1}),  # in a key
    ("q\"uoted-secret", {"note": "a q\"uoted-secret"}, {"note": "a ***"}),  # JSON escapes it: walked
    ("ctl\x01secret", {"note": "ctl\x01secret!"}, {"note": "***!"}),
    (None, {"link": "https://user:pw@host.example/x"}, {"link": "https://user:***@host.example/x"}),
])
def test_what_redaction_changes_is_still_changed(secret: str | None, extra: dict[str, object],
                                                 expected: dict[str, object]) -> None:
    if secret:
        redact.register(secret)
    holder = Holder(_cards(extra), {"jobs": 1})
    out = redact.report(holder)
    [catalogue] = out.quality["catalogues"]  # type: ignore[index]
    assert {k: v for k, v in catalogue.items() if k != "scorecards"} == expected
    assert catalogue["scorecards"] == holder.quality["catalogues"][0]["scorecards"]  # type: ignore[index]
    assert out.options is holder.options


def test_values_orjson_does_not_write_plainly_are_walked() -> None:
    """A str subclass and a non-string key: the JSON text is not asked, the walk redacts them."""
    class Tagged(str):
        pass

    redact.register("s3cr3t-token")
    holder = Holder({"a": Tagged("x s3cr3t-token"), 1: "s3cr3t-token"}, {})
    out = redact.report(holder)
    assert out.quality == {"a": "x ***", 1: "***"}
