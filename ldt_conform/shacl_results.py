"""Turn a SHACL validation report graph (pyshacl's) into plain result records with IRIs and SPARQL paths."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH


@dataclass(frozen=True, slots=True)
class ShaclResult:
    focus: str
    path: str | None
    value: str | None
    source_shape: str
    component: str
    severity: str
    message: str | None


def results_from_report(report: Graph) -> list[ShaclResult]:
    results = []
    for node in report.subjects(SH.resultSeverity, None):
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        message = report.value(node, SH.resultMessage)
        results.append(ShaclResult(
            focus=term_text(report.value(node, SH.focusNode)),
            path=path_text(report, path) if path is not None else None,
            value=term_text(value) if value is not None else None,
            source_shape=term_text(report.value(node, SH.sourceShape)),
            component=str(report.value(node, SH.sourceConstraintComponent)),
            severity=str(report.value(node, SH.resultSeverity)),
            message=str(message) if message is not None else None,
        ))
    return results


def term_text(term: Any) -> str:
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        return term.n3()
    return str(term)


def path_text(graph: Graph, path: Any) -> str:
    """A simple path is its IRI; anything else is SPARQL property-path syntax with full IRIs."""
    if isinstance(path, URIRef):
        return str(path)
    return _sparql(graph, path, top=True)


def _sparql(graph: Graph, path: Any, top: bool = False) -> str:
    if isinstance(path, URIRef):
        return f"<{path}>"
    if (path, None, None) in graph and graph.value(path, SH.inversePath) is not None:
        return "^" + _sparql(graph, graph.value(path, SH.inversePath))
    for predicate, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = graph.value(path, predicate)
        if inner is not None:
            return _group(_sparql(graph, inner)) + suffix
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        text = "|".join(_sparql(graph, p) for p in Collection(graph, alternatives))
        return text if top else f"({text})"
    members = list(Collection(graph, path))
    text = "/".join(_group(_sparql(graph, p)) for p in members)
    return text if top else f"({text})"


def _group(text: str) -> str:
    return text if text.startswith("<") or text.startswith("(") or text.startswith("^<") else f"({text})"
