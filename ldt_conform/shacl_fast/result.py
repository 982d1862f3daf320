"""The engine-neutral SHACL validation result record shared by the fast engine and the pyshacl adapter."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class ShaclResult:
    """One SHACL validation result, with every term rendered as a plain string.

    focus: full IRI, "_:label" for a blank node, or the N-Triples form of a literal focus.
    path: full IRI for a predicate path, SPARQL property-path syntax with <IRIs> otherwise; None for node shapes.
    value: IRI string, "_:label", or N-Triples literal; None when the component reports no value.
    source_shape: IRI, or "_:" + the rdflib BNode label of the shape in the shapes graph given.
    component: constraint component IRI.
    severity: sh:Violation / sh:Warning / sh:Info IRI (or a custom severity IRI).
    message: the shape's sh:message (language-neutral preferred), else None.
    """

    focus: str
    path: str | None
    value: str | None
    source_shape: str
    component: str
    severity: str
    message: str | None
