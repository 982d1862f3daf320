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


def test_the_json_text_is_read_in_whole_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long list is read PIECE_ITEMS items at a time, a mapping key by key (a quality section of 200,000 scorecards
    was one ≈ 160 MB text); every piece is whole JSON, so no string is cut in two."""
    monkeypatch.setattr(redact, "PIECE_ITEMS", 2)
    item = {"a": [1, 2, 3], "b": {"c": "x y"}, "d": [[5, 6, 7]]}
    assert list(redact._texts(item)) == [b'"a"', b"[1,2]", b"[3]", b'"b"', b'"c"', b'"x y"', b'"d"', b"[5,6]",
                                         b"[7]"]
    monkeypatch.setattr(redact, "PIECE_DEPTH", 1)
    assert list(redact._texts(item)) == [b'"a"', b"[1,2,3]", b'"b"', b'{"c":"x y"}', b'"d"', b"[[5,6,7]]"]


@pytest.mark.parametrize("where", [0, 6, 499])
def test_a_secret_in_any_piece_of_a_long_list_is_redacted(where: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(redact, "PIECE_ITEMS", 7)
    redact.register("s3cr3t-token")
    holder = Holder(_cards({}), {})
    cards = holder.quality["catalogues"][0]["scorecards"]  # type: ignore[index]
    cards[where]["title"] = "see s3cr3t-token"
    out = redact.report(holder)
    got = out.quality["catalogues"][0]["scorecards"]  # type: ignore[index]
    assert got[where]["title"] == "see ***"
    assert [c for i, c in enumerate(got) if i != where] == [c for i, c in enumerate(cards) if i != where]
    cards[where]["title"] = "see nothing"
    again = Holder(_cards({}), {})
    assert redact.report(again) is again


def test_a_key_that_is_not_a_string_deep_down_is_walked() -> None:
    redact.register("s3cr3t-token")
    holder = Holder({"catalogues": [{"scorecards": [{"metrics": {1: "s3cr3t-token"}}]}]}, {})
    out = redact.report(holder)
    assert out.quality == {"catalogues": [{"scorecards": [{"metrics": {1: "***"}}]}]}
