"""Whether a SHACL rule applies to an input: a rule none of whose shapes has a focus node there has proved nothing.

SHACL reports no violation when a shape has no focus node, so "conforms" on an input without, say, any
dcat:DataService says nothing about the data-service rules. Such a rule is *not verified (not applicable)*, never a
pass. Focus nodes are found from the shapes' target declarations (SHACL §2.1.3), independently of the engine:
sh:targetNode always yields its node; sh:targetClass (and a shape that is itself a class, §2.1.3.3) needs a SHACL
instance (rdf:type/rdfs:subClassOf*); sh:targetSubjectsOf / sh:targetObjectsOf need a triple with that predicate.
A rule whose shapes declare no target at all (reached only through sh:node) cannot be judged here and keeps its
verdict; so does a rule with a target kind this module does not know (SHACL-AF sh:target).
"""
from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

Declaration = tuple[str, str]  # (kind, IRI): kind is class, node, subjects, objects or other

_KINDS = ((SH.targetClass, "class"), (SH.targetNode, "node"), (SH.targetSubjectsOf, "subjects"),
          (SH.targetObjectsOf, "objects"))


def declarations(shapes: Graph, shape_iris: Iterable[str]) -> frozenset[Declaration]:
    """The target declarations of the given top-level shapes."""
    found: set[Declaration] = set()
    for iri in shape_iris:
        shape = URIRef(iri)
        for predicate, kind in _KINDS:
            found.update((kind, str(value)) for value in shapes.objects(shape, predicate))
        if (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes:
            found.add(("class", iri))
        if (shape, SH.target, None) in shapes:
            found.add(("other", iri))
    return frozenset(found)


class FocusProbe:
    """Answers, once per declaration, whether an input's store holds a focus node for it."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.answers: dict[Declaration, bool] = {}
        self._has_subclasses: bool | None = None

    def applies(self, decls: frozenset[Declaration]) -> bool | None:
        """True if some declaration has a focus node, False if none has, None when there is nothing to judge by."""
        if not decls:
            return None
        return any(self._present(decl) for decl in sorted(decls))

    def _present(self, decl: Declaration) -> bool:
        if decl not in self.answers:
            self.answers[decl] = self._ask(decl)
        return self.answers[decl]

    def _ask(self, decl: Declaration) -> bool:
        kind, iri = decl
        if kind in ("node", "other"):
            return True
        if kind in ("subjects", "objects"):  # either needs one triple with that predicate
            return self._query(f"ASK {{ ?s <{iri}> ?o }}")
        if self._query(f"ASK {{ ?x a <{iri}> }}"):
            return True
        return self.has_subclasses and self._query(
            f"ASK {{ ?x a ?c . ?c <{RDFS.subClassOf}>* <{iri}> }}")

    @property
    def has_subclasses(self) -> bool:
        if self._has_subclasses is None:
            self._has_subclasses = self._query(f"ASK {{ ?a <{RDFS.subClassOf}> ?b }}")
        return self._has_subclasses

    def _query(self, query: str) -> bool:
        return bool(self.store.query(query, use_default_graph_as_union=True))


def describe(decls: frozenset[Declaration]) -> str:
    """'an instance of dcat:DataService or a subject of dct:title' — what would give the rule a focus node."""
    words = {"class": "an instance of", "subjects": "a subject of", "objects": "an object of"}
    parts = [f"{words[kind]} {_short(iri)}" for kind, iri in sorted(decls) if kind in words]
    return " or ".join(parts)


_SHORT = {
    "http://www.w3.org/ns/dcat#": "dcat:", "http://purl.org/dc/terms/": "dct:", "http://xmlns.com/foaf/0.1/": "foaf:",
    "http://www.w3.org/2006/vcard/ns#": "vcard:", "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://www.w3.org/ns/adms#": "adms:", "http://www.w3.org/ns/odrl/2/": "odrl:",
    "http://www.w3.org/ns/prov#": "prov:",
    "http://www.w3.org/ns/locn#": "locn:", "http://spdx.org/rdf/terms#": "spdx:",
}


def _short(iri: str) -> str:
    for base, prefix in _SHORT.items():
        if iri.startswith(base):
            return prefix + iri[len(base):]
    return f"<{iri}>"
