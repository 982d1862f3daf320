"""RDF/XML grammar checks the parser skips, with file positions: a misplaced rdf: attribute is an error, not a graph.

pyoxigraph (like rdflib) silently reads some RDF/XML that the RDF 1.1 XML Syntax grammar forbids, e.g. rdf:resource on
a node element (a blank node appears instead of the named resource) or rdf:about on a property element (an empty
literal appears): a different graph from the one the author meant. Its own errors carry no position either. One
expat pass records every start tag's position and checks the productions of RDF 1.1 XML Syntax §7.2 that can be
checked locally (forbidden element and attribute names, attributes that may not go together, content that an empty
or datatyped property element may not have).
"""
from __future__ import annotations

import re
import xml.parsers.expat
from dataclasses import dataclass

from ldt_conform.errors import LoadError

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML = "http://www.w3.org/XML/1998/namespace"
# expat's namespaced names are "namespace local".
RDF_NS = RDF + " "
XML_NS = XML + " "
CORE = {"RDF", "ID", "about", "parseType", "resource", "nodeID", "datatype"}
OLD = {"aboutEach", "aboutEachPrefix", "bagID"}
# §7.2.2–7.2.5: names that may not be node elements, property elements, or property attributes.
NOT_NODE = CORE | OLD | {"li"}
NOT_PROPERTY = CORE | OLD | {"Description"}
NODE_ATTRS = {"ID", "about", "nodeID", "type"}
PROPERTY_ATTRS = {"ID", "resource", "nodeID", "datatype", "parseType"}


@dataclass(frozen=True)
class Problem:
    """A grammar violation at a start tag (1-based line and column) and the element to drop to skip it."""

    line: int
    col: int
    message: str
    value: str | None
    # Byte range [start, end) of the element that --lenient removes (the enclosing property element for a bad node
    # element, so no empty statement is left behind); None when nothing can be removed (the document element).
    cut: tuple[int, int] | None = None


@dataclass(slots=True)
class Tag:
    line: int
    col: int
    byte: int
    name: str
    values: tuple[str, ...]
    # The element --lenient removes to drop this one (see Problem.cut); its byte range is computed only when needed.
    removed: _Frame | None = None


@dataclass(slots=True)
class _Frame:
    kind: str  # rdf, node, property, literal, resource, collection
    byte: int
    name: str = ""
    children: int = 0
    text: bool = False
    empty_required: str = ""  # the attribute that makes this property element empty (rdf:resource / rdf:nodeID)
    datatype: bool = False
    end: int = -1


@dataclass
class Scan:
    problems: list[Problem]
    tags: list[Tag]


def _q(name: str) -> str:
    """'uri local' (expat's namespaced name) → rdf:local / the full IRI, for messages."""
    uri, _, local = name.rpartition(" ")
    return f"rdf:{local}" if uri == RDF else f"xml:{local}" if uri == XML else (uri + local if uri else local)


def _rdf(name: str) -> str | None:
    uri, _, local = name.rpartition(" ")
    return local if uri == RDF else None


def scan(data: bytes, record: bool = False) -> Scan:
    """The grammar problems (and, with `record`, the start tags) of a well-formed RDF/XML document; expat errors are
    left to the caller's parser, which reports them. Positions are computed only for what is reported."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.ordered_attributes = True
    stack: list[_Frame] = []
    problems: list[tuple[_Frame, str, str | None, _Frame]] = []
    tags: list[Tag] = []
    no_tag = Tag(0, 0, 0, "", ())
    last_closed: list[_Frame] = []  # the element that closed last: at the end, the document element

    def problem(frame: _Frame, message: str, value: str | None, cut: _Frame | None) -> None:
        problems.append((frame, message, value, cut or frame))

    def start(name: str, attr_list: list[str]) -> None:
        byte = parser.CurrentByteIndex
        attrs = dict(zip(attr_list[::2], attr_list[1::2])) if attr_list else {}
        if record:
            tag = Tag(0, 0, byte, name.replace(" ", ""), tuple(attrs.values()))
            tags.append(tag)
        else:
            tag = no_tag
        parent = stack[-1] if stack else None
        if parent is not None and parent.kind == "literal":
            stack.append(_Frame("literal", byte, name))
            return
        if parent is None and _rdf(name) == "RDF":
            stack.append(_Frame("rdf", byte, name))
            return
        if parent is None or parent.kind in ("rdf", "property", "collection"):
            frame = _Frame("node", byte, name)
            stack.append(frame)
            cut = parent if parent is not None and parent.kind == "property" else None
            tag.removed = None if parent is None else cut or frame
            if parent is not None:
                parent.children += 1
                _content(parent, frame, cut)
            _node(frame, name, attrs, cut)
            return
        # Inside a node element (or parseType="Resource"): a property element.
        parent.children += 1
        parse_type = attrs.get(RDF_NS + "parseType")
        kind = {"Literal": "literal", "Resource": "resource", "Collection": "collection"}.get(
            parse_type or "", "property" if parse_type is None else "literal")
        frame = _Frame(kind, byte, name)
        stack.append(frame)
        tag.removed = frame
        _property(frame, name, attrs)

    def _content(parent: _Frame, child: _Frame, cut: _Frame | None) -> None:
        """A node element inside a property element: allowed once, and only in a property element left open."""
        if parent.kind != "property":
            return
        if parent.empty_required:
            problem(child, f"{parent.empty_required} makes {_q(parent.name)} an empty property element, but it "
                           f"contains the node element {_q(child.name)}", parent.empty_required, cut)
        elif parent.datatype:
            problem(child, f"rdf:datatype makes {_q(parent.name)} a literal, but it contains the node element "
                           f"{_q(child.name)}", None, cut)
        elif parent.children > 1:
            problem(child, f"the property element {_q(parent.name)} contains more than one node element", None, cut)
        elif parent.text:
            problem(child, f"the property element {_q(parent.name)} mixes text and a node element", None, cut)

    def _node(frame: _Frame, name: str, attrs: dict[str, str], cut: _Frame | None) -> None:
        if name.startswith(RDF_NS) and name[len(RDF_NS):] in NOT_NODE:
            problem(frame, f"rdf:{name[len(RDF_NS):]} cannot be a node element", None, cut)
        rdf_attrs = {a[len(RDF_NS):]: v for a, v in attrs.items() if a.startswith(RDF_NS)}
        if not rdf_attrs:
            return  # the common case: only property attributes (or none), nothing to check
        ids = [a for a in ("ID", "about", "nodeID") if a in rdf_attrs]
        if len(ids) > 1:
            problem(frame, f"a node element may have only one of rdf:ID, rdf:about, rdf:nodeID (it has "
                           f"{', '.join('rdf:' + a for a in ids)})", None, cut)
        for local, value in rdf_attrs.items():
            if local not in NODE_ATTRS and local in NOT_NODE | {"Description"}:
                hint = " (it belongs on a property element)" if local in PROPERTY_ATTRS else ""
                problem(frame, f"rdf:{local} is not allowed on the node element {_q(name)}{hint}", value, cut)

    def _property(frame: _Frame, name: str, attrs: dict[str, str]) -> None:
        if name.startswith(RDF_NS) and name[len(RDF_NS):] in NOT_PROPERTY:
            problem(frame, f"rdf:{name[len(RDF_NS):]} cannot be a property element", None, None)
            return
        if not attrs:
            return
        rdf_attrs = {a[len(RDF_NS):]: v for a, v in attrs.items() if a.startswith(RDF_NS)}
        plain = [a for a in attrs if not a.startswith(RDF_NS) and not a.startswith(XML_NS)]
        if not rdf_attrs and not plain:
            return  # only xml:lang / xml:base
        for local, value in rdf_attrs.items():
            if local not in PROPERTY_ATTRS and local in NOT_PROPERTY | {"li"}:
                hint = " (it belongs on a node element)" if local in NODE_ATTRS else ""
                problem(frame, f"rdf:{local} is not allowed on the property element {_q(name)}{hint}", value, None)
        has = {a: a in rdf_attrs for a in ("resource", "nodeID", "datatype", "parseType")}
        if has["resource"] and has["nodeID"]:
            problem(frame, f"the property element {_q(name)} has both rdf:resource and rdf:nodeID", None, None)
        if has["parseType"] and (has["resource"] or has["nodeID"] or has["datatype"] or plain):
            other = next(f"rdf:{a}" for a in ("resource", "nodeID", "datatype") if has[a]) if not plain else \
                _q(plain[0])
            problem(frame, f"rdf:parseType cannot go with {other} on the property element {_q(name)}", None, None)
        elif has["datatype"] and (has["resource"] or has["nodeID"] or plain):
            other = "rdf:resource" if has["resource"] else "rdf:nodeID" if has["nodeID"] else _q(plain[0])
            problem(frame, f"rdf:datatype cannot go with {other} on the property element {_q(name)}", None, None)
        frame.datatype = has["datatype"]
        if has["resource"] or has["nodeID"] or plain:
            frame.empty_required = "rdf:resource" if has["resource"] else "rdf:nodeID" if has["nodeID"] else \
                f"the property attribute {_q(plain[0])}"

    def end(_name: str) -> None:
        frame = stack.pop()
        frame.end = parser.CurrentByteIndex
        last_closed[:] = [frame]

    def text(data: str) -> None:
        if not stack or not data.strip():
            return
        frame = stack[-1]
        if frame.kind == "property":
            if frame.children and not frame.text:
                problem(frame, f"the property element {_q(frame.name)} mixes a node element and text", None, None)
            elif frame.empty_required and not frame.text:
                problem(frame, f"{frame.empty_required} makes {_q(frame.name)} an empty property element, but it "
                               "contains text", None, None)
            frame.text = True

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError:
        pass  # not well-formed: the RDF/XML parser reports it; what was found before still stands
    if last_closed:
        last_closed[0].end = -1  # the document element: nothing can be removed around it
    if not problems and not tags:
        return Scan([], [])
    lines = _Lines(data)
    out = []
    for frame, message, value, removed in problems:
        line, col = lines.position(frame.byte)
        out.append(Problem(line, col, message, value, cut_of(data, removed)))
    for tag in tags:
        tag.line, tag.col = lines.position(tag.byte)
    return Scan(out, tags)


class _Lines:
    """Byte offset → 1-based line and column (in characters, as the other parsers count)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.starts = [0] + [m.end() for m in re.finditer(rb"\n", data)]

    def position(self, byte: int) -> tuple[int, int]:
        import bisect

        index = bisect.bisect_right(self.starts, byte) - 1
        start = self.starts[index]
        return index + 1, len(self.data[start:byte].decode("utf-8", "replace")) + 1


def cut_of(data: bytes, frame: _Frame | None) -> tuple[int, int] | None:
    """The byte range of an element (start tag to end tag), or None for the document element or rdf:RDF."""
    if frame is None or frame.end < 0 or frame.kind == "rdf":
        return None
    start_tag_end = _tag_end(data, frame.byte)
    # An empty-element tag (<p/>) is the whole element; expat's end index then points past it.
    empty = data[start_tag_end - 2:start_tag_end] == b"/>"
    return frame.byte, start_tag_end if empty else _tag_end(data, frame.end)


_TAG = re.compile(rb"<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")


def _tag_end(data: bytes, start: int) -> int:
    """The index after the '>' that closes the tag starting at `start` (quotes respected)."""
    found = _TAG.match(data, start)
    return found.end() if found else len(data)


def blank(data: bytes, cuts: list[tuple[int, int]]) -> bytes:
    """`data` with each byte range replaced by spaces, line breaks kept, so later positions stay the same."""
    out = bytearray(data)
    for start, stop in cuts:
        for i in range(start, stop):
            if out[i] not in (0x0A, 0x0D):
                out[i] = 0x20
    return bytes(out)


_QUOTED = re.compile(r"'([^']*)'")
_LEADING = re.compile(r"^(\S+) is not a valid")
_TAG_NAME = re.compile(r"tag name: (\S+)")
_CODE_POINT = re.compile(r"code point '(.)'")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def locate(message: str, tags: list[Tag], skip: set[int] | None = None) -> int | None:
    """The index of the start tag a pyoxigraph RDF/XML error is about, found by the value it quotes."""
    found = _QUOTED.search(message) or _LEADING.search(message)
    token = found.group(1) if found else None
    name = _TAG_NAME.search(message)
    code_point = _CODE_POINT.search(message)
    bad = code_point.group(1) if code_point else None
    for i, tag in enumerate(tags):
        if skip and i in skip:
            continue
        if name and tag.name == name.group(1):
            return i
        if token and any(v == token or _resolves_to(v, token, bad) for v in tag.values):
            return i
    return None


def _resolves_to(value: str, token: str, bad: str | None) -> bool:
    """A relative reference that the parser resolved into `token` (it quotes the resolved IRI): a suffix of it,
    long enough not to match by chance, holding the code point the parser rejected when it names one."""
    if len(value) < 3 or _SCHEME.match(value) or not token.endswith(value):
        return False
    return bad is None or bad in value


def check(source: str, data: bytes, lenient: bool) -> tuple[bytes, list[Problem]]:
    """Strict: the first grammar problem is a LoadError at file:line:col. Lenient: the problems, and the data with
    each offending element blanked out (so the parser reads the rest, at unchanged positions)."""
    found = scan(data)
    if not found.problems:
        return data, []
    if not lenient:
        first = found.problems[0]
        raise LoadError(f"{source}:{first.line}:{first.col}", f"invalid RDF/XML: {first.message}; it would be read "
                                                               "as a different graph (--lenient skips the element)")
    stuck = next((p for p in found.problems if p.cut is None), None)
    if stuck is not None:
        raise LoadError(f"{source}:{stuck.line}:{stuck.col}", f"invalid RDF/XML: {stuck.message} (in the document "
                                                               "element, so nothing can be skipped)")
    return blank(data, [p.cut for p in found.problems if p.cut]), found.problems


def drop_unreadable(source: str, data: bytes, base_iri: str,
                    max_skipped: int = 100) -> tuple[bytes, list[Problem]]:
    """--lenient: blank each element the parser rejects (found by the value its error quotes) until the rest parses.

    pyoxigraph's RDF/XML parser does not recover after an error (it loses its element stack), so the element is
    removed and the text parsed again; positions stay the same because line breaks are kept.
    """
    import pyoxigraph as ox

    original = data
    tags: list[Tag] | None = None  # recorded on the first error only: a clean file costs one parse
    dropped: set[int] = set()
    skipped: list[Problem] = []
    while True:
        try:
            for _ in ox.parse(data, format=ox.RdfFormat.RDF_XML, base_iri=base_iri):
                pass
            return data, skipped
        except SyntaxError as exc:
            reason = str(exc)[:300]
            if tags is None:
                tags = scan(original, record=True).tags
            index = locate(reason, tags, dropped)
            cut = cut_of(original, tags[index].removed) if index is not None else None
            if index is None or cut is None or len(skipped) >= max_skipped:
                where = f"{source}:{tags[index].line}:{tags[index].col}" if index is not None else source
                why = (f"more than {max_skipped} elements could not be read" if len(skipped) >= max_skipped
                       else f"bad rdfxml syntax ({reason}), and --lenient cannot skip it")
                raise LoadError(where, why) from None
            tag = tags[index]
            quoted = _QUOTED.search(reason)
            skipped.append(Problem(tag.line, tag.col, reason, quoted.group(1) if quoted else None, cut))
            start, stop = cut
            dropped.update(i for i, t in enumerate(tags) if start <= t.byte < stop)
            dropped.add(index)
            data = blank(data, [cut])
