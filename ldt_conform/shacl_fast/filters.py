"""SPARQL pre-filters: for a constraint, an expression over ?v true for every value that might fail it."""

from __future__ import annotations

import re

import pyoxigraph as ox
import rdflib.term

from ldt_conform.shacl_fast.shapes import SHNS, Constraint, Shape
from ldt_conform.shacl_fast.terms import RDF_LANGSTRING, XSD_STRING, encoded_datatype
from ldt_conform.shacl_fast.values import RDFS_DATATYPE, RDFS_LITERAL, SAFE_LEXICAL

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
# Datatypes for which rdflib can decide a literal is ill-typed; others only need the datatype IRI to match.
RDFLIB_CHECKED = {str(k) for k in rdflib.term.XSDToPython if k is not None}

NODE_KIND_FAIL = {
    SHNS + "IRI": "!isIRI(?v)",
    SHNS + "BlankNode": "!isBlank(?v)",
    SHNS + "Literal": "!isLiteral(?v)",
    SHNS + "BlankNodeOrIRI": "isLiteral(?v)",
    SHNS + "BlankNodeOrLiteral": "isIRI(?v)",
    SHNS + "IRIOrLiteral": "isBlank(?v)",
}

# Only these constraint kinds depend on the value node alone (not on the focus node's other values).
VALUE_KINDS = frozenset({"class", "datatype", "nodeKind", "range", "length", "pattern", "languageIn", "in",
                         "node", "not", "and", "or", "xone"})


def _datatype_expr(dt: str) -> str | None:
    if dt == RDFS_LITERAL:
        return "!isLiteral(?v)"
    if dt == RDFS_DATATYPE:
        return None
    if dt in (XSD_STRING, RDF_LANGSTRING):
        return f"!(isLiteral(?v) && datatype(?v) = <{dt}>)"
    # A literal of datatype D is stored either verbatim or under D's private datatype (terms.py).
    enc = encoded_datatype(dt).value
    same = f"(datatype(?v) = <{dt}> || datatype(?v) = <{enc}>)"
    safe = SAFE_LEXICAL.get(dt)
    if safe is not None:
        return f'!(isLiteral(?v) && {same} && regex(str(?v), "{safe}"))'
    if dt in RDFLIB_CHECKED:
        return None
    return f"!(isLiteral(?v) && {same})"


# Patterns whose meaning is the same in Python's re (pyshacl) and SPARQL's XPath regex (oxigraph), at
# least in the direction that matters: SPARQL must never match where Python does not. Shorthand
# classes (\\w, \\d, \\s, \\b) and XPath/Python-only syntax are excluded; escaped punctuation is fine.
_SAFE_PATTERN = re.compile(r"(?:[^\\(\[]|\\[.\-/\\()\[\]{}*+?|^$:#]|\((?!\?)|\[(?![^\]]*-\[))*")
_STRINGY = f"(isIRI(?v) || (isLiteral(?v) && (datatype(?v) = <{XSD_STRING}> || datatype(?v) = <{RDF_LANGSTRING}>)))"


def _sparql_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


# Python's \s (a str pattern) is exactly the characters for which str.isspace() holds; XPath's \s is four of them and
# the regex crate's misses \x1c-\x1f. Spelled out as a class, \s and \S mean the same in both engines. Written out,
# not computed: a pass over all of Unicode costs 70 ms at every start (a test compares the two).
_SPACES = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
           "\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_SPACE_CLASSES = {"\\s": f"[{_SPACES}]", "\\S": f"[^{_SPACES}]"}


def _spell_out_spaces(pattern: str) -> str | None:
    """The pattern with each \\s and \\S written as the class Python means by it; None if one stands in a character
    class (where a class cannot be nested) or the pattern is not safe once they are set aside."""
    parts = re.split(r"(\\.)", pattern)  # escapes apart, so an escaped backslash before an "s" is not one of them
    if "[" in pattern and any(part in _SPACE_CLASSES for part in parts):
        return None
    if not _SAFE_PATTERN.fullmatch("".join("a" if part in _SPACE_CLASSES else part for part in parts)):
        return None
    return "".join(_SPACE_CLASSES.get(part, part) for part in parts)


def _pattern_expr(rx: re.Pattern[str]) -> str | None:
    flags = ("i" if rx.flags & re.IGNORECASE else "") + ("m" if rx.flags & re.MULTILINE else "")
    pattern = _spell_out_spaces(rx.pattern)
    if pattern is None:
        return None
    # Only IRIs and string literals have the same string form in both engines (rdflib normalises the
    # lexical form of other literals), so everything else stays a candidate for the exact Python check.
    return f"!{_STRINGY} || !regex(str(?v), {_sparql_string(pattern)}, {_sparql_string(flags)})"


def _length_expr(limit: int, is_min: bool) -> str:
    op = "<" if is_min else ">"
    return f"!{_STRINGY} || strlen(str(?v)) {op} {int(limit)}"


def _lang_expr(ranges: frozenset[str]) -> str:
    if "*" in ranges:
        return '!(isLiteral(?v) && lang(?v) != "")'
    tags = ", ".join(_sparql_string(r) for r in sorted(ranges))
    first = 'lcase(strbefore(concat(lang(?v), "-"), "-"))'
    return f'!(isLiteral(?v) && lang(?v) != "" && (lcase(lang(?v)) IN ({tags}) || {first} IN ({tags})))'


def constraint_expr(c: Constraint, seen: frozenset[int] = frozenset()) -> str | None:
    """A superset-of-failures filter for a value-based constraint, or None when none is known."""
    k = c.kind
    if k == "class":
        return f"NOT EXISTS {{ ?v {RDF_TYPE}/{SUBCLASS}* <{c.param}> }}"
    if k == "nodeKind":
        return NODE_KIND_FAIL.get(c.param)
    if k == "datatype":
        return _datatype_expr(c.param)
    if k == "pattern":
        return _pattern_expr(c.param)
    if k == "length":
        return _length_expr(*c.param)
    if k == "languageIn":
        return _lang_expr(c.param) if c.param else "true"
    if k == "in":
        if any(type(t) is ox.BlankNode for t in c.param):
            return None
        if not c.param:
            return "true"
        return "!(" + " || ".join(f"sameTerm(?v, {t})" for t in c.param) + ")"
    if k == "node":
        return shape_expr(c.param, seen)
    if k in ("or", "and"):
        parts = [shape_expr(s, seen) for s in c.param]
        if any(p is None for p in parts):
            return None
        if not parts:
            return "false" if k == "and" else "true"
        return "(" + (" && " if k == "or" else " || ").join(f"({p})" for p in parts) + ")"
    return None


def shape_expr(shape: Shape, seen: frozenset[int] = frozenset()) -> str | None:
    """A superset-of-failures filter for a node shape applied to ?v, if it is made only of value constraints."""
    if id(shape) in seen:
        return None
    if shape.deactivated:
        return "false"
    if shape.path is not None:
        return None
    seen = seen | {id(shape)}
    parts = []
    for c in shape.constraints:
        if c.kind not in VALUE_KINDS:
            return None
        e = constraint_expr(c, seen)
        if e is None:
            return None
        parts.append(e)
    if not parts:
        return "false"
    return "(" + " || ".join(f"({p})" for p in parts) + ")"
