"""The W3C SHACL Core test suite (../shared/corpus/w3c-shacl-tests/core) run through the fast engine."""

from __future__ import annotations

from pathlib import Path

from typing import Any

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
# The fast engine returns each distinct result once (validate() deduplicates); these W3C reports list a result
# several times (once per duplicate language tag, per path reaching the value, ...). Compared with multiplicity,
# those are real differences, so they are listed here instead of being hidden by a set comparison.
_DUPLICATES = "the expected report lists an identical result more than once; the fast engine reports it once"
XFAIL: dict[str, str] = {name: _DUPLICATES for name in (
    "node/class-003", "property/lessThan-002", "property/property-001", "property/uniqueLang-001",
    "validation-reports/shared")}


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


def _entries() -> list[Any]:
    """The suite's Validate entries; without the corpus, one placeholder that skips (fails under CI) saying why."""
    root = CORE / "manifest.ttl"
    if not root.is_file():
        return [pytest.param(None, id="corpus-unavailable")]
    return [pytest.param(e, id=e[0].rsplit("/core/", 1)[-1]) for e in _manifest_entries(root)]


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


@pytest.mark.corpus
@pytest.mark.parametrize("entry", ENTRIES)
def test_w3c_core(entry: tuple[str, Path, rdflib.Graph, rdflib.term.Node]) -> None:
    name, manifest, g, node = entry
    known = XFAIL.get(name.rsplit("/core/", 1)[-1])
    action = g.value(node, MF.action)
    data_file = Path(str(g.value(action, SHT.dataGraph)).removeprefix("file://"))
    shapes_file = Path(str(g.value(action, SHT.shapesGraph)).removeprefix("file://"))
    shapes = parse_rdflib([shapes_file])
    got = validate(parse_quads(data_file), shapes, time_budget_s=30)
    conforms, expected = _expected(g, node)
    assert (not got) == conforms, f"conforms: expected {conforms}, got {len(got)} results"
    fast, ref = project(got, with_message=False), project(expected, with_message=False)
    if known is not None:  # strict: a listed test that starts to pass must leave the list
        assert fast != ref, "this test now passes: remove it from XFAIL"
        assert set(fast) == set(ref), diff_text(fast, ref)  # only the multiplicity may differ
        pytest.xfail(known)
    assert fast == ref, diff_text(fast, ref)  # Counters: two results on blank-node foci are not one
