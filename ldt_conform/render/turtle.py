"""Writing Turtle by hand for the EARL and SHACL reports: escaping, terms and SPARQL paths as SHACL path nodes.

rdflib's serializer would take tens of seconds on 50,000 findings and orders blank nodes unpredictably; these
reports are flat, so writing them directly is fast and deterministic. Tests parse every output back with rdflib.
"""
from __future__ import annotations

import re
from typing import Callable

from ldt_conform.render.common import is_iri

_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_BNODE = re.compile(r"^_:[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_N3_LITERAL = re.compile(r'^("([^"\\\n\r]|\\.)*"|"""(.|\n)*""")(@[A-Za-z]+(-[A-Za-z0-9]+)*|\^\^<[^<>"{}|^`\\\s]*>)?$',
                         re.DOTALL)


def iri(value: str) -> str:
    """<value> with characters Turtle forbids in an IRIREF written as \\u escapes."""
    return "<" + _IRI_BAD.sub(lambda m: f"\\u{ord(m.group()):04X}", value) + ">"


def literal(value: str, lang: str | None = None, datatype: str | None = None) -> str:
    escaped = (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
               .replace("\t", "\\t"))
    escaped = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04X}", escaped)
    suffix = f"@{lang}" if lang else (f"^^{iri(datatype)}" if datatype else "")
    return f'"{escaped}"{suffix}'


def node(text: str) -> str:
    """A focus node or value as the report carries it: an IRI, `_:label`, an N-Triples literal, or plain text."""
    if _BNODE.match(text):
        return text
    if text.startswith('"') and _N3_LITERAL.match(text):
        return text
    if is_iri(text):
        return iri(text)
    return literal(text)


def path(text: str) -> str:
    """A finding's path (a full IRI, or SPARQL property-path syntax) as a SHACL path in Turtle."""
    if is_iri(text) and not text.startswith("<"):
        return iri(text)
    try:
        parser = _PathParser(text)
        result = parser.alternative()
        if parser.pos != len(parser.text):
            raise ValueError(text)
        return result
    except (ValueError, IndexError):
        return literal(text)  # not a path we can express: keep it readable rather than drop it


class _PathParser:
    """Recursive descent over the SPARQL path subset SHACL can express: | / ^ * + ? ( ) <iri>."""

    def __init__(self, text: str) -> None:
        self.text = text.strip()
        self.pos = 0

    def _peek(self) -> str:
        while self.pos < len(self.text) and self.text[self.pos] == " ":
            self.pos += 1
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def _series(self, separator: str, item: Callable[[], str], wrap: Callable[[str], str]) -> str:
        parts = [item()]
        while self._peek() == separator:
            self.pos += 1
            parts.append(item())
        return parts[0] if len(parts) == 1 else wrap(" ".join(parts))

    def alternative(self) -> str:
        return self._series("|", self.sequence,
                            lambda items: f"[ <http://www.w3.org/ns/shacl#alternativePath> ( {items} ) ]")

    def sequence(self) -> str:
        return self._series("/", self.unary, lambda items: f"( {items} )")

    def unary(self) -> str:
        inverse = self._peek() == "^"
        if inverse:
            self.pos += 1
        char = self._peek()
        if char == "(":
            self.pos += 1
            inner = self.alternative()
            if self._peek() != ")":
                raise ValueError("unbalanced parenthesis")
            self.pos += 1
        elif char == "<":
            end = self.text.index(">", self.pos)
            inner = iri(self.text[self.pos + 1:end])
            self.pos = end + 1
        else:
            raise ValueError(f"unexpected {char!r}")
        modifier = {"*": "zeroOrMorePath", "+": "oneOrMorePath", "?": "zeroOrOnePath"}.get(self._peek())
        if modifier:
            self.pos += 1
            inner = f"[ <http://www.w3.org/ns/shacl#{modifier}> {inner} ]"
        return f"[ <http://www.w3.org/ns/shacl#inversePath> {inner} ]" if inverse else inner
