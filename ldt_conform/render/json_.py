"""The JSON report: the public `ldt-conform/report@1` contract (schemas/report.schema.json)."""
from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

try:  # orjson: ~10x faster than json.dumps at 50,000 datasets (3.7 s → 0.3 s), the same bytes (see dumps)
    import orjson
except ImportError:  # pragma: no cover - a declared dependency; the standard library writes the same text
    orjson = None  # type: ignore[assignment]

from ldt_conform.model import Report, Rule, TargetInfo
from ldt_conform.render.common import notes
from ldt_conform.render.labels import labels

FORMAT = "ldt-conform/report@1"
# Dataclasses, datetimes and subclasses of str/int/dict/list go to `default` (none given: TypeError, so json.dumps
# decides, as it always did) instead of orjson's own rendering of them.
_OPTIONS = (orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATACLASS
            | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_SUBCLASS) if orjson is not None else 0


def rule_dict(rule: Rule, lang: str = "en") -> dict[str, Any]:
    return {
        "id": rule.id, "name": rule.name, "title": rule.text("title", lang), "severity": rule.severity.value,
        "kind": rule.kind, "profile": rule.profile, "enabled": rule.enabled,
        "refs": [{"id": r.id, **({"url": r.url} if r.url else {})} for r in rule.refs],
        "mims": list(rule.mims), **({"aliases": list(rule.aliases)} if rule.aliases else {}),
    }


def pages(target: TargetInfo) -> list[dict[str, Any]]:
    """The pages of a paged catalogue, in the order read ([] for any other input)."""
    return [{k: v for k, v in {"source": p.source, "sha256": p.sha256, "size": p.size, "triples": p.triples,
                               "format": p.format}.items() if v is not None} for p in target.pages]


def to_dict(report: Report, lang: str = "en") -> dict[str, Any]:
    counts = report.counts_by_severity()
    return {
        "format": FORMAT,
        "tool": {"name": "ldt-conform", "version": report.tool_version},
        "started_at": report.started_at,
        "finished_at": report.finished_at,
        "profile": {
            "id": report.profile.id, "version": report.profile.version, "title": report.profile.title,
            "sha256": report.profile.sha256, "overridden": list(report.profile.overridden),
            "chain": list(report.profile.chain),
            "vocabularies": {k: dict(v) for k, v in sorted(report.profile.vocabularies.items())},
        },
        "engines": list(report.engines),
        "options": dict(report.options),
        "targets": [{k: v for k, v in {
            "source": t.source, "kind": t.kind, "sha256": t.sha256, "size": t.size, "triples": t.triples,
            "documents": t.documents, "format": t.format, "probed_at": t.probed_at,
            "pages": pages(t) or None}.items() if v is not None}
            for t in report.targets],
        "rules": [rule_dict(r, lang) for r in report.rules],
        "results": [{k: v for k, v in {"rule": r.rule, "target": r.target, "status": r.status.value,
                                       "why": r.why.value if r.why else None, "reason": r.reason,
                                       "engine": r.engine}.items() if v is not None}
                    for r in report.results],
        "findings": [{k: v for k, v in {
            "rule": f.rule, "severity": f.severity.value, "target": f.target, "focus": f.focus, "path": f.path,
            "value": f.value, "message": f.message, "source": f.source, "engine": f.engine,
            "baseline": f.baseline, "same_value_as": list(f.same_value_as) or None}.items()
            if v is not None} for f in report.findings],
        **({"notes": said} if (said := notes(report, labels(lang))) else {}),
        **({"mims": [dict(m) for m in report.mims]} if report.mims else {}),
        **({"baseline": dict(report.baseline)} if report.baseline else {}),
        **({"warnings": list(report.warnings)} if report.warnings else {}),
        **({"quality": dict(report.quality)} if report.quality else {}),
        # check --findings FILE: `findings` lists the first `listed` of `total`; FILE holds every one, and the summary
        # counts them all
        **({"streamed": _plain(report.streamed)} if report.streamed else {}),
        "summary": {
            "conforms": report.conforms,
            "fail_on": report.fail_on.value,
            "findings": counts,
            "results": report.counts_by_status(),
            "targets": len(report.targets),
            "rules": len([r for r in report.rules if r.enabled]),
            **_scope(report, lang),
        },
    }


def _plain(value: Any) -> Any:
    """A mapping as plain dicts and lists, as the JSON encoders take them."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _scope(report: Report, lang: str) -> dict[str, Any]:
    """The run's scope in words and numbers ("1 of 118 rules selected"), when the run recorded it."""
    from ldt_conform.render.common import scope, scope_text
    from ldt_conform.render.labels import labels

    text = scope_text(report, labels(lang), lang)
    if not text:
        return {}
    sc = scope(report)
    return {"rules_selected": sc["selected"], "rules_total": sc["total"], "narrowed": sc["narrowed"], "scope": text}


def render(report: Report, lang: str = "en", **_: Any) -> str:
    return b"".join(render_chunks(report, lang)).decode("utf-8")


def render_chunks(report: Report, lang: str = "en", **_: Any) -> Iterator[bytes]:
    """The report as the UTF-8 pieces written to a file: no 100 MB str or bytes of all of it at once."""
    return chunks(to_dict(report, lang))


def dumps(document: Any) -> bytes:
    """UTF-8 JSON, two-space indent, keys in insertion order, one final newline: byte for byte what
    ``json.dumps(document, indent=2, ensure_ascii=False)`` writes, encoded.

    orjson writes the same text except for floats below 1e-4 or from 1e16 up (it writes 0.00001 where Python
    writes 1e-05), NaN/infinity (null where Python writes NaN), integers beyond 64 bits and strings that are not
    valid UTF-8 (it refuses those two). `_orjson_safe` looks at every float; anything orjson refuses, or a document
    it would write differently, goes to the standard library.
    """
    return _encode(document) + b"\n"


def chunks(document: dict[str, Any]) -> Iterator[bytes]:
    """`dumps(document)` in pieces: every list longer than SPLIT items (the findings, a quality section's
    scorecards) is written SPLIT items at a time, each piece encoded on its own (by orjson, or by json.dumps if
    orjson would write that piece differently) and indented to its depth; the rest is encoded once with a
    placeholder string where each long list goes. Indentation is only added per level, so the pieces joined are
    the bytes of `dumps(document)`."""
    long_lists: list[list[Any]] = []
    skeleton = _hollow(document, long_lists)
    if not long_lists:
        yield dumps(document)
        return
    text = dumps(skeleton)
    marks = [json.dumps(_mark(i), ensure_ascii=False).encode("utf-8") for i in range(len(long_lists))]
    if any(text.count(mark) != 1 for mark in marks):  # a placeholder's text in the report itself: no splicing
        yield dumps(document)
        return
    for mark, items in zip(marks, long_lists):
        head, _, text = text.partition(mark)
        pad = _indent(head)
        yield head + b"[\n"
        for start in range(0, len(items), SPLIT):
            piece = _encode(items[start:start + SPLIT])[2:-2]  # without the "[\n" and "\n]" of a list on its own
            yield (b",\n" if start else b"") + pad + piece.replace(b"\n", b"\n" + pad)
        yield b"\n" + pad + b"]"
    yield text


SPLIT = 2000  # list items per piece: small pieces, and few enough of them that the per-piece cost stays negligible


def _mark(index: int) -> str:
    return f"\x00ldt-conform long list {index}\x00"


def _indent(head: bytes) -> bytes:
    """The indentation of the line the placeholder sits on: the list's own closing bracket goes there."""
    line = head[head.rfind(b"\n") + 1:]
    return line[:len(line) - len(line.lstrip(b" "))]


def _hollow(node: Any, long_lists: list[list[Any]]) -> Any:
    """`node` with each list of more than SPLIT items replaced by a placeholder string (recorded in `long_lists`),
    copying only the containers on the way to one; the long lists' own items are not visited."""
    kind = type(node)
    if kind is list and len(node) > SPLIT:
        long_lists.append(node)
        return _mark(len(long_lists) - 1)
    if kind is dict:
        changed = {k: h for k, v in node.items() if type(v) in (dict, list) and (h := _hollow(v, long_lists)) is not v}
        return {k: changed.get(k, v) for k, v in node.items()} if changed else node
    if kind is list:
        items = [_hollow(v, long_lists) if type(v) in (dict, list) else v for v in node]
        return items if any(a is not b for a, b in zip(items, node)) else node
    return node


def _encode(document: Any) -> bytes:
    """`json.dumps(document, indent=2, ensure_ascii=False)` as UTF-8, through orjson when it writes the same."""
    if orjson is not None and _orjson_safe(document):
        try:
            return orjson.dumps(document, option=_OPTIONS)
        except TypeError:  # orjson.JSONEncodeError: a lone surrogate, a huge integer, a non-string key
            pass
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False).encode("utf-8")


def _orjson_safe(document: Any) -> bool:
    """No float that orjson writes differently from json.dumps: below 1e-4 or from 1e16 up, NaN, infinity.

    Only floats are looked at: orjson refuses what else it would write differently (integers beyond 64 bits,
    non-string keys, invalid UTF-8), and dumps() then falls back. An explicit stack, not recursion: this walks every
    scorecard of a 200,000-dataset quality section.
    """
    if type(document) is float:
        document = [document]
    elif type(document) is not dict and type(document) is not list and type(document) is not tuple:
        return True
    stack = [document]
    while stack:
        node = stack.pop()
        for value in node.values() if type(node) is dict else node:
            kind = type(value)
            if kind is float:
                # NaN fails both comparisons, infinity the second; 0.0 and -0.0 are written alike.
                if not (1e-4 <= abs(value) < 1e16 or value == 0.0):
                    return False
            elif kind is dict or kind is list or kind is tuple:
                stack.append(value)
    return True
