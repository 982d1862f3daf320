"""The W3C SHACL Core test suite (../shared/corpus/w3c-shacl-tests/core) run through the fast engine."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, SH

from ldt_conform.shacl_fast import validate
from ldt_conform.shacl_fast.paths import path_str, read_path
from ldt_conform.shacl_fast.result import ShaclResult
from ldt_conform.shacl_fast.shapes import VIOLATION, shape_key
from ldt_conform.shacl_fast.terms import rdflib_term_str
from shacl_corpus import CORPUS, diff_text, parse_quads, parse_rdflib, project

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = rdflib.Namespace("http://www.w3.org/ns/shacl-test#")
CORE = CORPUS / "w3c-shacl-tests" / "core"

# Tests that cannot pass, with the reason. Goal: empty.
XFAIL: dict[str, str] = {}


def _manifest_entries(manifest: Path) -> list[tuple[str, Path, rdflib.Graph, rdflib.term.Node]]:
    g = rdflib.Graph()
    g.parse(str(manifest), format="turtle", publicID=manifest.as_uri())
    out = []
    for inc in g.objects(None, MF.include):
        out.extend(_manifest_entries(Path(str(inc).removeprefix("file://"))))
    for lst in g.objects(None, MF.entries):
        for entry in rdflib.collection.Collection(g, lst):
            if (entry, RDF.type, SHT.Validate) in g:
                out.append((str(entry), manifest, g, entry))
    return out


def _entries() -> list[tuple[str, Path, rdflib.Graph, rdflib.term.Node]]:
    root = CORE / "manifest.ttl"
    return _manifest_entries(root) if root.is_file() else []


ENTRIES = _entries()


def _expected(g: rdflib.Graph, entry: rdflib.term.Node) -> tuple[bool, list[ShaclResult]]:
    report = g.value(entry, MF.result)
    conforms = bool(g.value(report, SH.conforms).value)
    results = []
    for r in g.objects(report, SH.result):
        path = g.value(r, SH.resultPath)
        value = g.value(r, SH.value)
        results.append(ShaclResult(
            focus=rdflib_term_str(g.value(r, SH.focusNode)),
            path=None if path is None else path_str(read_path(g, path, "expected")),
            value=None if value is None else rdflib_term_str(value),
            source_shape=shape_key(g.value(r, SH.sourceShape)),
            component=str(g.value(r, SH.sourceConstraintComponent)),
            severity=str(g.value(r, SH.resultSeverity) or VIOLATION),
            message=None,
        ))
    return conforms, results


@pytest.mark.skipif(not ENTRIES, reason=f"W3C SHACL tests not found under {CORE}")
@pytest.mark.parametrize("entry", ENTRIES, ids=[e[0].rsplit("/core/", 1)[-1] for e in ENTRIES])
def test_w3c_core(entry: tuple[str, Path, rdflib.Graph, rdflib.term.Node]) -> None:
    name, manifest, g, node = entry
    if name.rsplit("/core/", 1)[-1] in XFAIL:
        pytest.xfail(XFAIL[name.rsplit("/core/", 1)[-1]])
    action = g.value(node, MF.action)
    data_file = Path(str(g.value(action, SHT.dataGraph)).removeprefix("file://"))
    shapes_file = Path(str(g.value(action, SHT.shapesGraph)).removeprefix("file://"))
    shapes = parse_rdflib([shapes_file])
    got = validate(parse_quads(data_file), shapes, time_budget_s=30)
    conforms, expected = _expected(g, node)
    assert (not got) == conforms, f"conforms: expected {conforms}, got {len(got)} results"
    fast, ref = project(got, with_message=False), project(expected, with_message=False)
    assert set(fast) == set(ref), diff_text(fast, ref)
