"""The JSON report through orjson is byte for byte what json.dumps(indent=2, ensure_ascii=False) writes."""
from __future__ import annotations

import json
import random
from typing import Any

import pytest

from ldt_conform.render import json_

# Each document holds something orjson writes differently from json.dumps or refuses; dumps() must still match.
CASES: list[dict[str, Any]] = [
    {"quality": {"score": 0.25, "tiny": 1e-05, "huge": 1e16, "neg": -2.5e-07}},
    {"quality": {"nan": float("nan"), "inf": float("inf")}},
    {"options": {"big": 2 ** 70}},
    {"options": {1: "int key"}},
    {"findings": [{"rule": "R-1", "value": "é ‘quoted’ \x00\x1f\x7f\u2028 😀 \"\\ /"}], "empty": [], "none": {}},
    {"findings": [], "nested": [[{"a": []}], {"b": {"c": [1, 2.0, True, None, -0.0]}}], "tuple": (1, "two")},
]


def reference(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")


@pytest.mark.parametrize("document", CASES)
def test_dumps_writes_what_json_dumps_writes(document: dict[str, Any]) -> None:
    assert json_.dumps(document) == reference(document)


def test_a_lone_surrogate_fails_as_before() -> None:
    """json.dumps writes it, the UTF-8 encoding then refuses it: the same error as before orjson."""
    with pytest.raises(UnicodeEncodeError):
        json_.dumps({"findings": [{"value": "\ud800"}]})


def test_safe_documents_take_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path is really taken for an ordinary report (not silently json.dumps for everything)."""
    document = {"summary": {"score": 72.5, "ratio": 0.0001, "n": 2 ** 63 - 1}, "findings": [{"rule": "R"}]}
    expected = reference(document)
    monkeypatch.setattr(json_.json, "dumps", lambda *a, **k: pytest.fail("json.dumps used for a safe document"))
    assert json_.dumps(document) == expected


def _random_value(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if depth > 4 or roll < 0.3:
        return rng.choice([1, 2.5, 1e-05, None, True, "é\x00\"\n", "x", 1e17, -0.0, 2 ** 70])
    if roll < 0.65:
        return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 8))]
    return {f"k{i}": _random_value(rng, depth + 1) for i in range(rng.randint(0, 6))}


def test_pieces_join_to_the_whole_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """Long lists written piece by piece (3 items a piece here), at every depth, with pieces that orjson writes and
    pieces that need json.dumps: joined, the bytes of json.dumps."""
    monkeypatch.setattr(json_, "SPLIT", 3)
    rng = random.Random(15)
    split = 0
    for _ in range(400):
        document = {"a": _random_value(rng), "findings": [_random_value(rng) for _ in range(rng.randint(0, 9))],
                    "quality": {"catalogues": [{"scorecards": [_random_value(rng) for _ in range(rng.randint(0, 9))]}]}}
        pieces = list(json_.chunks(document))
        split += len(pieces) > 1
        assert b"".join(pieces) == reference(document)
    assert split > 100  # the long lists really were written in pieces


def test_placeholder_text_in_the_report_is_not_spliced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_, "SPLIT", 3)
    document = {"source": json_._mark(0), "findings": [{"rule": str(i)} for i in range(7)]}
    assert list(json_.chunks(document)) == [reference(document)]


@pytest.mark.parametrize("document", [1e-05, 2.5, (1e-05, 1.0), [1e16], {"t": (float("nan"),)}])
def test_a_float_at_the_top_or_in_a_tuple_is_looked_at(document: Any) -> None:
    assert json_.dumps(document) == (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def test_zero_takes_orjson_too(monkeypatch: pytest.MonkeyPatch) -> None:
    document = {"score": 0.0, "negative": -0.0}
    expected = reference(document)
    monkeypatch.setattr(json_.json, "dumps", lambda *a, **k: pytest.fail("json.dumps used for a safe document"))
    assert json_.dumps(document) == expected


def test_a_long_list_inside_a_list_is_written_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_, "SPLIT", 3)
    document = {"quality": [[1, 2, 3, 4, 5], "x"]}
    pieces = list(json_.chunks(document))
    assert len(pieces) == 5 and b"".join(pieces) == reference(document)
