"""--lenient: a statement the parser cannot read becomes a tool finding at file:line:col, and the rest is read."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Iterable, Iterator

import pyoxigraph as ox

from ldt_conform import tool_ids
from ldt_conform.errors import LoadError
from ldt_conform.model import Finding, Severity

# Formats whose pyoxigraph parser goes on after an error (it skips to the end of the statement). JSON-LD does not
# (one JSON error leaves no document to read); RDF/XML is handled by rdfxml_strict.drop_unreadable.
RECOVERING = {"turtle", "trig", "ntriples", "nquads"}
# More problems than this is not a file with a bad token but not RDF at all.
MAX_SKIPPED = 100
_POSITION = re.compile(r"at line (\d+) (?:between columns (\d+) and \d+|column (\d+))")
_SPAN = re.compile(r"at line (\d+) between columns (\d+) and (\d+)")


@dataclass(frozen=True)
class Skipped:
    """One part of an input that was not read: where, why, and the offending token when the parser names it."""

    line: int | None
    col: int | None
    reason: str
    value: str | None
    # (line, first column, column past the end) of the offending token, kept when its text is looked up later
    span: tuple[int, int, int] | None = field(default=None, compare=False, repr=False)

    def finding(self, source: str) -> Finding:
        where = f"{source}:{self.line}:{self.col}" if self.line else source
        return Finding(rule=tool_ids.SKIPPED, severity=Severity.ERROR, target=source, focus=where,
                       value=self.value, message=f"not read (--lenient skipped it): {self.reason}")


def recovering(quads: Iterable[ox.Quad], source: str, fmt: str, skipped: list[Skipped]) -> Iterator[ox.Quad]:
    """The quads the parser could read; each SyntaxError is recorded in `skipped` and parsing goes on.

    Each record keeps the column range the parser names; quote_tokens fills in the offending token as the input
    spells it once the parse is over, so the text is split into lines only when something was skipped."""
    iterator = iter(quads)
    errors = 0
    while True:
        try:
            quad = next(iterator)
        except StopIteration:
            return
        except SyntaxError as exc:
            errors += 1
            text = str(exc)
            line, col = _position(text)
            reason = _reason(text)
            if errors > MAX_SKIPPED or line is None:
                where = f"{source}:{line}:{col}" if line else source
                why = (f"more than {MAX_SKIPPED} statements could not be read" if errors > MAX_SKIPPED
                       else f"bad {fmt} syntax ({reason}), at no position the parser could go on from")
                raise LoadError(where, why) from None
            found = _SPAN.search(text)
            span = (int(found[1]), int(found[2]), int(found[3])) if found else None
            skipped.append(Skipped(line, col, reason, None, span))
            continue
        yield quad


def quote_tokens(skipped: list[Skipped], lines: Iterable[str]) -> list[Skipped]:
    """`skipped` with each recorded span's token read from `lines` (the input's text lines as the parser numbers
    them, textstream.lines or parser_lines), reading no further than the last line a span names."""
    wanted = {s.span[0] for s in skipped if s.span}
    if not wanted:
        return skipped
    found: dict[int, str] = {}
    for number, text in enumerate(lines, 1):
        if number in wanted:
            found[number] = text
            if len(found) == len(wanted):
                break
    return [replace(s, value=_spelled(found[s.span[0]], s.span[1], s.span[2]), span=None)
            if s.span and s.span[0] in found else s for s in skipped]


def _spelled(line: str, start: int, end: int) -> str | None:
    token = line[start - 1:end - 1].strip()
    if token.startswith("<") and token.endswith(">"):
        token = token[1:-1]  # an IRI: the finding's value is the IRI, as elsewhere
    return token or None


def _position(text: str) -> tuple[int | None, int | None]:
    found = _POSITION.search(text)
    if found:
        return int(found.group(1)), int(found.group(2) or found.group(3))
    return None, None


def _reason(text: str) -> str:
    text = re.sub(r"\s*\([^()]*line \d+\)\s*$", "", text)
    text = re.sub(r"^Parser error at line \d+ (between columns \d+ and \d+|column \d+):\s*", "", text)
    return text[:300]
