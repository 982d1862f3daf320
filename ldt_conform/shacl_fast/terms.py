"""Conversions between rdflib, pyoxigraph and result-string forms of RDF terms, and the datatype-preserving encoding."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph as ox
import rdflib

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD_STRING = XSD + "string"
RDF_LANGSTRING = RDF + "langString"

# pyoxigraph's Store canonicalises XSD literals on insert: integer subtypes become xsd:integer,
# "01" becomes "1", "1"^^xsd:boolean becomes "true", "T24:00:00" rolls over to the next day; distinct
# source literals even collapse into one. SHACL (and pyshacl) judge the literal as written, so XSD
# literals are stored under a private datatype IRI, which the Store does not understand and keeps
# verbatim. The exceptions are the forms measured to survive the Store unchanged (STABLE_FORMS):
# they are the bulk of real catalogues (plain dates, timestamps), and not copying them saves time.
ENC_PREFIX = "urn:x-ldt-conform:dt:"
_ENC_CACHE: dict[str, ox.NamedNode] = {}
STABLE_FORMS: dict[str, re.Pattern[str]] = {
    XSD + "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    XSD + "dateTime": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z?"),
    XSD + "integer": re.compile(r"0|-?[1-9][0-9]*"),
    XSD + "boolean": re.compile(r"true|false"),
}


def stored_datatype(lexical: str, datatype: str) -> ox.NamedNode | None:
    """The private datatype to store a literal under, or None when the Store keeps it verbatim."""
    if not datatype.startswith(XSD) or datatype == XSD_STRING:
        return None
    stable = STABLE_FORMS.get(datatype)
    if stable is not None and stable.fullmatch(lexical):
        return None
    return encoded_datatype(datatype)


def encoded_datatype(datatype: str) -> ox.NamedNode:
    """The private datatype under which literals of ``datatype`` are stored."""
    node = _ENC_CACHE.get(datatype)
    if node is None:
        node = _ENC_CACHE[datatype] = ox.NamedNode(ENC_PREFIX + datatype)
    return node


def decode_term(term: OxTerm) -> OxTerm:
    """The data term a stored term stands for (undoes :func:`stored_datatype`)."""
    if type(term) is ox.Literal and term.language is None:
        dt = term.datatype.value
        if dt.startswith(ENC_PREFIX):
            return ox.Literal(term.value, datatype=ox.NamedNode(dt[len(ENC_PREFIX):]))
    return term


def encode_quads(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """The quads with literals in stored form, lazily; graph names are kept (queries use the union graph)."""
    # This loop touches every quad in Python, so it is written for speed: one type test per quad,
    # one policy lookup per plain typed literal, and a new Quad only when the literal must change.
    lit_type, quad_type = ox.Literal, ox.Quad
    # Per datatype: None (keep), a private datatype (always encode), or (stable form, private datatype).
    by_dt: dict[ox.NamedNode, Any] = {}
    for q in quads:
        o = q.object
        if type(o) is lit_type and o.language is None:
            dt = o.datatype
            policy = by_dt.get(dt, dt)
            if policy is dt:
                iri = dt.value
                if not iri.startswith(XSD) or iri == XSD_STRING:
                    policy = None
                elif iri in STABLE_FORMS:
                    policy = (STABLE_FORMS[iri].fullmatch, encoded_datatype(iri))
                else:
                    policy = encoded_datatype(iri)
                by_dt[dt] = policy
            if policy is not None:
                enc = (None if policy[0](o.value) else policy[1]) if type(policy) is tuple else policy
                if enc is not None:
                    q = quad_type(q.subject, q.predicate, lit_type(o.value, datatype=enc), q.graph_name)
        yield q


def from_rdflib(term: rdflib.term.Node) -> OxTerm:
    """Convert an rdflib term from the shapes graph into its stored pyoxigraph form."""
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is None or str(term.datatype) == XSD_STRING:
            return ox.Literal(str(term))
        enc = stored_datatype(str(term), str(term.datatype))
        return ox.Literal(str(term), datatype=enc or ox.NamedNode(str(term.datatype)))
    raise TypeError(f"unsupported term {term!r}")


def to_rdflib(term: OxTerm) -> rdflib.term.Node:
    """Convert a stored pyoxigraph term into rdflib (used only for value checks that must mirror rdflib)."""
    term = decode_term(term)
    if type(term) is ox.NamedNode:
        return rdflib.URIRef(term.value)
    if type(term) is ox.BlankNode:
        return rdflib.BNode(term.value)
    if term.language is not None:
        return rdflib.Literal(term.value, lang=term.language)
    dt = term.datatype.value
    if dt == XSD_STRING:
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(dt))


def term_str(term: OxTerm) -> str:
    """Render a stored data term in result form: IRI, "_:label", or N-Triples literal."""
    t = type(term)
    if t is ox.NamedNode:
        return term.value
    if t is ox.BlankNode:
        return "_:" + term.value
    return str(decode_term(term))


def rdflib_term_str(term: rdflib.term.Node) -> str:
    """Render an rdflib term exactly as :func:`term_str` renders the same term from pyoxigraph."""
    if isinstance(term, rdflib.URIRef):
        return str(term)
    if isinstance(term, rdflib.BNode):
        return "_:" + str(term)
    if isinstance(term, rdflib.Literal):
        if term.language:
            return str(ox.Literal(str(term), language=term.language))
        if term.datatype is None:
            return str(ox.Literal(str(term)))
        return str(ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))))
    raise TypeError(f"unsupported term {term!r}")


def sparql(term: OxTerm) -> str:
    """SPARQL syntax of a stored IRI or literal (blank nodes cannot be written into a query)."""
    return str(term)
