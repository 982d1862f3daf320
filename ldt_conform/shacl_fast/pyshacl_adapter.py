"""Turns a pyshacl report graph into ShaclResult records normalised exactly like the fast engine's."""

from __future__ import annotations

import rdflib
from rdflib.namespace import SH

from ldt_conform.shacl_fast.paths import path_str, read_path
from ldt_conform.shacl_fast.shapes import VIOLATION, pick_message, shape_key
from ldt_conform.shacl_fast.result import ShaclResult
from ldt_conform.shacl_fast.terms import rdflib_term_str


def results_from_pyshacl(report_graph: rdflib.Graph, shapes: rdflib.Graph) -> list[ShaclResult]:
    """Convert pyshacl's report graph; messages come from the shapes graph, not pyshacl's generated text."""
    out: set[ShaclResult] = set()
    # Only sh:result members count: pyshacl also types nested sh:detail results as ValidationResult.
    for res in set(report_graph.objects(None, SH.result)):
        focus = report_graph.value(res, SH.focusNode)
        shape = report_graph.value(res, SH.sourceShape)
        comp = report_graph.value(res, SH.sourceConstraintComponent)
        sev = report_graph.value(res, SH.resultSeverity)
        value = report_graph.value(res, SH.value)
        rpath = report_graph.value(res, SH.resultPath)
        if focus is None or shape is None or comp is None:
            continue
        path = None if rpath is None else path_str(read_path(report_graph, rpath, shape_key(shape)))
        out.add(ShaclResult(
            focus=rdflib_term_str(focus),
            path=path,
            value=None if value is None else rdflib_term_str(value),
            source_shape=shape_key(shape),
            component=str(comp),
            severity=str(sev) if sev is not None else VIOLATION,
            message=pick_message(list(shapes.objects(shape, SH.message))),
        ))
    return sorted(out, key=lambda r: (r.source_shape, r.focus, r.path or "", r.value or "", r.component))
