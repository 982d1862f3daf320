"""Best-effort line numbers of focus nodes in local RDF files, so CI annotations point at the resource, not line 1."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

MAX_BYTES = 64 * 1024 * 1024
_IRI = re.compile(r"<([^<>\s\"{}|^`\\]+)>")
_QUOTED_IRI = re.compile(r"\"([A-Za-z][A-Za-z0-9+.-]*:[^\"\s]+)\"")
_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_PNAME = re.compile(r"(?<![\w:<\"/#-])([A-Za-z][\w.-]*)?:([\w][\w.-]*[\w]|[\w])")
# Where a resource is described rather than merely mentioned: a Turtle/N-Triples subject at the start of a line,
# rdf:about in RDF/XML, "@id" in JSON-LD.
_SUBJECT_AT_START = re.compile(r"^\s*(<[^>]+>|[A-Za-z][\w.-]*:[\w.-]*|:[\w.-]+)")
_ABOUT = re.compile(r"(?:rdf:about|\"@id\"\s*:)\s*=?\s*\"([^\"]+)\"")


class LineIndex:
    """For one file: the line where each IRI is first described, else first mentioned (1-based)."""

    def __init__(self, text: str) -> None:
        self.described: dict[str, int] = {}
        self.mentioned: dict[str, int] = {}
        prefixes: dict[str, str] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            declared = _PREFIX.match(line)
            if declared:
                prefixes[declared.group(1) or ""] = declared.group(2)
                continue
            for iri in _IRI.findall(line) + _QUOTED_IRI.findall(line):
                self.mentioned.setdefault(iri, number)
            for prefix, local in _PNAME.findall(line):
                if prefix in prefixes:
                    self.mentioned.setdefault(prefixes[prefix] + local, number)
            start = _SUBJECT_AT_START.match(line)
            if start:
                self.described.setdefault(self._expand(start.group(1), prefixes), number)
            for iri in _ABOUT.findall(line):
                self.described.setdefault(iri, number)

    @staticmethod
    def _expand(token: str, prefixes: dict[str, str]) -> str:
        if token.startswith("<"):
            return token[1:-1]
        prefix, _, local = token.partition(":")
        return prefixes.get(prefix, prefix + ":") + local

    def line(self, iri: str) -> int | None:
        return self.described.get(iri) or self.mentioned.get(iri)


def index_for(source: str, sha256: str | None) -> LineIndex | None:
    """An index of a local text file that is still the file that was checked (same sha256), else None."""
    path = Path(source)
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    if sha256 and hashlib.sha256(data).hexdigest() != sha256:
        return None
    try:
        return LineIndex(data.decode("utf-8"))
    except UnicodeDecodeError:
        return None
