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
from dataclasses import dataclass, field

from ldt_conform.errors import LoadError

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML = "http://www.w3.org/XML/1998/namespace"
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


@dataclass
class Tag:
    line: int
    col: int
    name: str
    values: tuple[str, ...]
    # The byte range --lenient blanks to drop this element (see Problem.cut).
    cut: tuple[int, int] | None = None


@dataclass
class _Frame:
    kind: str  # rdf, node, property, literal, resource, collection
    byte: int
    line: int
    col: int
    name: str = ""
    children: int = 0
    text: bool = False
    empty_required: str = ""  # the attribute that makes this property element empty (rdf:resource / rdf:nodeID)
    datatype: bool = False
    end: int = -1
    problems: list[int] = field(default_factory=list)


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


def scan(data: bytes) -> Scan:
    """The grammar problems and the start tags of a well-formed RDF/XML document (expat errors are left to the
    caller's parser, which reports them)."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.ordered_attributes = True
    stack: list[_Frame] = []
    problems: list[tuple[Problem, _Frame]] = []
    tags: list[Tag] = []
    frames_done: list[_Frame] = []
    # The frame each tag opened, and the frame --lenient removes for it.
    tag_frames: list[tuple[_Frame, _Frame | None]] = []

    def here() -> tuple[int, int, int]:
        return parser.CurrentLineNumber, parser.CurrentColumnNumber + 1, parser.CurrentByteIndex

    def problem(frame: _Frame, message: str, value: str | None, cut: _Frame | None) -> None:
        problems.append((Problem(frame.line, frame.col, message, value), cut or frame))

    def start(name: str, attr_list: list[str]) -> None:
        line, col, byte = here()
        attrs = dict(zip(attr_list[::2], attr_list[1::2]))
        tags.append(Tag(line, col, name.replace(" ", ""), tuple(attrs.values())))
        parent = stack[-1] if stack else None
        if parent is not None and parent.kind == "literal":
            stack.append(_Frame("literal", byte, line, col, name))
            tag_frames.append((stack[-1], None))
            return
        if parent is None and _rdf(name) == "RDF":
            stack.append(_Frame("rdf", byte, line, col, name))
            tag_frames.append((stack[-1], None))
            return
        if parent is None or parent.kind in ("rdf", "property", "collection"):
            frame = _Frame("node", byte, line, col, name)
            stack.append(frame)
            cut = parent if parent is not None and parent.kind == "property" else None
            tag_frames.append((frame, None if parent is None else cut or frame))
            if parent is not None:
                parent.children += 1
                _content(parent, frame, cut)
            _node(frame, name, attrs, cut)
            return
        # Inside a node element (or parseType="Resource"): a property element.
        parent.children += 1
        parse_type = attrs.get(RDF + " parseType")
        kind = {"Literal": "literal", "Resource": "resource", "Collection": "collection"}.get(
            parse_type or "", "property" if parse_type is None else "literal")
        frame = _Frame(kind, byte, line, col, name)
        stack.append(frame)
        tag_frames.append((frame, frame))
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
        local = _rdf(name)
        if local in NOT_NODE:
            problem(frame, f"rdf:{local} cannot be a node element", None, cut)
        ids = [a for a in ("ID", "about", "nodeID") if RDF + " " + a in attrs]
        if len(ids) > 1:
            problem(frame, f"a node element may have only one of rdf:ID, rdf:about, rdf:nodeID (it has "
                           f"{', '.join('rdf:' + a for a in ids)})", None, cut)
        for attr, value in attrs.items():
            local = _rdf(attr)
            if local is not None and local not in NODE_ATTRS and local in NOT_NODE | {"Description"}:
                hint = " (it belongs on a property element)" if local in PROPERTY_ATTRS else ""
                problem(frame, f"rdf:{local} is not allowed on the node element {_q(name)}{hint}", value, cut)

    def _property(frame: _Frame, name: str, attrs: dict[str, str]) -> None:
        local = _rdf(name)
        if local in NOT_PROPERTY:
            problem(frame, f"rdf:{local} cannot be a property element", None, None)
            return
        plain = [a for a in attrs if _rdf(a) is None and not a.startswith(XML + " ")]
        for attr, value in attrs.items():
            rdf_local = _rdf(attr)
            if rdf_local is not None and rdf_local not in PROPERTY_ATTRS and rdf_local in NOT_PROPERTY | {"li"}:
                hint = " (it belongs on a node element)" if rdf_local in NODE_ATTRS else ""
                problem(frame, f"rdf:{rdf_local} is not allowed on the property element {_q(name)}{hint}", value,
                        None)
        has = {a: RDF + " " + a in attrs for a in ("resource", "nodeID", "datatype", "parseType")}
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
        frames_done.append(frame)

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
    root = frames_done[-1] if frames_done else None

    def cut_of(frame: _Frame | None) -> tuple[int, int] | None:
        if frame is None or frame.end < 0 or frame.kind == "rdf" or frame is root:
            return None
        start_tag_end = _tag_end(data, frame.byte)
        # An empty-element tag (<p/>) is the whole element; expat's end index then points past it.
        empty = data[start_tag_end - 2:start_tag_end] == b"/>"
        return frame.byte, start_tag_end if empty else _tag_end(data, frame.end)

    for tag, (_frame, removed) in zip(tags, tag_frames):
        tag.cut = cut_of(removed)
    out = [Problem(found.line, found.col, found.message, found.value, cut_of(frame)) for found, frame in problems]
    return Scan(out, tags)


def _tag_end(data: bytes, start: int) -> int:
    """The index after the '>' that closes the tag starting at `start` (quotes respected)."""
    quote = 0
    for i in range(start, len(data)):
        ch = data[i]
        if quote:
            if ch == quote:
                quote = 0
        elif ch in (0x22, 0x27):
            quote = ch
        elif ch == 0x3E:
            return i + 1
    return len(data)


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


def check(source: str, data: bytes, lenient: bool) -> tuple[bytes, list[Tag], list[Problem]]:
    """Strict: the first grammar problem is a LoadError at file:line:col. Lenient: the problems, and the data with
    each offending element blanked out (so the parser reads the rest, at unchanged positions)."""
    found = scan(data)
    if not found.problems:
        return data, found.tags, []
    if not lenient:
        first = found.problems[0]
        raise LoadError(f"{source}:{first.line}:{first.col}", f"invalid RDF/XML: {first.message}; it would be read "
                                                               "as a different graph (--lenient skips the element)")
    stuck = next((p for p in found.problems if p.cut is None), None)
    if stuck is not None:
        raise LoadError(f"{source}:{stuck.line}:{stuck.col}", f"invalid RDF/XML: {stuck.message} (in the document "
                                                               "element, so nothing can be skipped)")
    return blank(data, [p.cut for p in found.problems if p.cut]), found.tags, found.problems


def drop_unreadable(source: str, data: bytes, base_iri: str, tags: list[Tag],
                    max_skipped: int = 100) -> tuple[bytes, list[Problem]]:
    """--lenient: blank each element the parser rejects (found by the value its error quotes) until the rest parses.

    pyoxigraph's RDF/XML parser does not recover after an error (it loses its element stack), so the element is
    removed and the text parsed again; positions stay the same because line breaks are kept.
    """
    import pyoxigraph as ox

    dropped: set[int] = set()
    skipped: list[Problem] = []
    while True:
        try:
            for _ in ox.parse(data, format=ox.RdfFormat.RDF_XML, base_iri=base_iri):
                pass
            return data, skipped
        except SyntaxError as exc:
            reason = str(exc)[:300]
            index = locate(reason, tags, dropped)
            if index is None or tags[index].cut is None or len(skipped) >= max_skipped:
                where = f"{source}:{tags[index].line}:{tags[index].col}" if index is not None else source
                why = (f"more than {max_skipped} elements could not be read" if len(skipped) >= max_skipped
                       else f"bad rdfxml syntax ({reason}), and --lenient cannot skip it")
                raise LoadError(where, why) from None
            tag = tags[index]
            quoted = _QUOTED.search(reason)
            skipped.append(Problem(tag.line, tag.col, reason, quoted.group(1) if quoted else None, tag.cut))
            assert tag.cut is not None
            start, stop = tag.cut
            dropped.update(i for i, t in enumerate(tags) if t.cut and start <= t.cut[0] < stop)
            dropped.add(index)
            data = blank(data, [tag.cut])
