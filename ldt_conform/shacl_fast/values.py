"""Per-value checks that must agree exactly with pyshacl/rdflib: datatype well-formedness, ranges, strings."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache

import pyoxigraph as ox
import rdflib

from ldt_conform.shacl_fast.terms import ENC_PREFIX, RDF_LANGSTRING, XSD, XSD_STRING, OxTerm, to_rdflib

RDFS_LITERAL = "http://www.w3.org/2000/01/rdf-schema#Literal"
RDFS_DATATYPE = "http://www.w3.org/2000/01/rdf-schema#Datatype"

# Lexical forms that are certainly well-formed for rdflib too. They are handed to SPARQL as a
# pre-filter so only the remaining few literals need an rdflib round trip in Python.
SAFE_LEXICAL: dict[str, str] = {
    XSD + "date": r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$",
    XSD + "dateTime": (r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"
                       r"T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](Z|[+-](0[0-9]|1[0-3]):[0-5][0-9])?$"),
    XSD + "integer": r"^[+-]?[0-9]{1,18}$",
    XSD + "nonNegativeInteger": r"^[+]?[0-9]{1,18}$",
    XSD + "decimal": r"^[+-]?[0-9]{1,15}(\\.[0-9]{1,15})?$",
    XSD + "boolean": r"^(true|false|0|1)$",
}

_RDFLIB_LOG = logging.getLogger("rdflib.term")


@lru_cache(maxsize=65536)
def _rdflib_literal(lex: str, datatype: str | None, lang: str | None) -> rdflib.Literal:
    # rdflib logs a full traceback for every ill-typed literal it is asked to build; silence it.
    level = _RDFLIB_LOG.level
    _RDFLIB_LOG.setLevel(logging.CRITICAL)
    try:
        if lang:
            return rdflib.Literal(lex, lang=lang)
        if datatype is None or datatype == XSD_STRING:
            return rdflib.Literal(lex)
        return rdflib.Literal(lex, datatype=rdflib.URIRef(datatype))
    finally:
        _RDFLIB_LOG.setLevel(level)


def rdflib_literal(term: ox.Literal) -> rdflib.Literal:
    """The rdflib view of a stored literal (cached; values repeat a lot)."""
    if term.language is not None:
        return _rdflib_literal(term.value, None, term.language)
    dt = term.datatype.value
    if dt.startswith(ENC_PREFIX):
        dt = dt[len(ENC_PREFIX):]
    return _rdflib_literal(term.value, dt, None)


def rdflib_node(term: OxTerm) -> rdflib.term.Node:
    if type(term) is ox.Literal:
        return rdflib_literal(term)
    return to_rdflib(term)


def _actual_ok(lit: rdflib.Literal, datatype: str) -> bool:
    # Mirrors pyshacl's DatatypeConstraintComponent._assert_actual_datatype.
    value = lit.value
    if datatype in (XSD_STRING, RDF_LANGSTRING):
        return isinstance(value, (str, bytes))
    checks: dict[str, type | tuple[type, ...]] = {
        XSD + "integer": int, XSD + "float": float, XSD + "decimal": Decimal, XSD + "boolean": bool,
        XSD + "date": date, XSD + "time": time, XSD + "dateTime": datetime,
    }
    kind = checks.get(datatype)
    return True if kind is None else isinstance(value, kind)


@lru_cache(maxsize=65536)
def _datatype_ok(lex: str, lit_dt: str | None, lang: str | None, datatype: str) -> bool:
    lit = _rdflib_literal(lex, lit_dt, lang)
    ldt = None if lit.datatype is None else str(lit.datatype)
    if ldt == datatype:
        if getattr(lit, "ill_typed", None) is True:
            return False
        return _actual_ok(lit, datatype)
    if datatype == RDFS_LITERAL:
        return True
    if datatype == RDFS_DATATYPE and ldt:
        return True
    if ldt is None and not lit.language and datatype == XSD_STRING:
        return _actual_ok(lit, datatype)
    if datatype == RDF_LANGSTRING and lit.language:
        return _actual_ok(lit, datatype)
    return False


def datatype_ok(term: OxTerm, datatype: str) -> bool:
    """Does ``term`` match sh:datatype ``datatype`` the way pyshacl decides it (ill-typed literals fail)?"""
    if type(term) is not ox.Literal:
        return False
    if term.language is not None:
        return _datatype_ok(term.value, None, term.language, datatype)
    dt = term.datatype.value
    if dt.startswith(ENC_PREFIX):
        dt = dt[len(ENC_PREFIX):]
    elif dt == XSD_STRING:
        dt = None  # type: ignore[assignment]
    return _datatype_ok(term.value, dt, None, datatype)


def _compare(v: rdflib.Literal, bound: rdflib.Literal) -> int:
    # Mirrors pyshacl.rdfutil.compare.compare_literal.
    if v.eq(bound):
        return 0
    if v.value.__class__ in (datetime, time):
        if v.value == bound.value:
            return 0
        if v.value > bound.value:
            return 1
    elif v > bound:
        return 1
    return -1


def range_ok(term: OxTerm, bound: rdflib.Literal, op: str) -> bool:
    """sh:min/maxInclusive/Exclusive as pyshacl evaluates them; ``op`` is one of > >= < <=."""
    if type(term) is not ox.Literal:
        return False
    v = rdflib_literal(term)
    bound_is_str = isinstance(bound.value, str)
    v_is_str = isinstance(v.value, str)
    if bound_is_str != v_is_str:
        return False
    try:
        cmp = _compare(v, bound)
    except (TypeError, NotImplementedError):
        return False
    if op == ">":
        return cmp > 0
    if op == ">=":
        return cmp >= 0
    if op == "<":
        return cmp < 0
    return cmp <= 0


def node_string(term: OxTerm) -> str:
    """pyshacl's value_node_to_string: rdflib's (normalised) lexical form for literals, the IRI otherwise."""
    if type(term) is ox.Literal:
        lit = rdflib_literal(term)
        if lit.value is not None and lit.datatype in (None, rdflib.RDF.langString, rdflib.XSD.string):
            return str(lit.value)
        return str(lit)
    return term.value


def length_ok(term: OxTerm, limit: int, is_min: bool) -> bool:
    if is_min:
        if limit == 0:
            return True
        if type(term) is ox.BlankNode:
            return False
        return len(node_string(term)) >= limit
    if type(term) is ox.BlankNode:
        return False
    return len(node_string(term)) <= limit


@lru_cache(maxsize=256)
def compile_pattern(pattern: str, flags: str | None) -> re.Pattern[str]:
    re_flags = 0
    if flags:
        f = flags.lower()
        if "i" in f:
            re_flags |= re.IGNORECASE
        if "m" in f:
            re_flags |= re.MULTILINE
    return re.compile(pattern, re_flags)


def pattern_ok(term: OxTerm, rx: re.Pattern[str]) -> bool:
    if type(term) is ox.BlankNode:
        return False
    s = node_string(term)
    return bool(rx.match(s) or rx.search(s))


def lang_in_ok(term: OxTerm, ranges: frozenset[str]) -> bool:
    """sh:languageIn as pyshacl decides it: whole tag or its first subtag, case-insensitively."""
    if type(term) is not ox.Literal or not term.language:
        return False
    if "*" in ranges:
        return True
    tag = term.language.lower()
    return tag in ranges or tag.split("-")[0] in ranges
