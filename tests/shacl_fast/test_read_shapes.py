"""read_shapes: Turtle and N-Triples shapes files parsed by pyoxigraph give the graph and prefixes rdflib's own parser
gives (literals as written, fresh blank nodes per file, relative IRIs against the file), and a bad file names where."""
from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from ldt_conform.shacl_fast.shapes import read_shapes

PROFILES = Path(__file__).parents[2] / "profiles"
SHAPES = sorted(p for p in PROFILES.rglob("*.ttl") if "cases" not in p.parts)


def _rdflib_reading(paths: list[Path], fmt: str = "turtle") -> rdflib.Graph:
    graph = rdflib.Graph()
    previous, rdflib.NORMALIZE_LITERALS = rdflib.NORMALIZE_LITERALS, False
    try:
        for path in paths:
            graph.parse(str(path), format=fmt)
    finally:
        rdflib.NORMALIZE_LITERALS = previous
    return graph


@pytest.mark.parametrize("path", SHAPES, ids=lambda p: str(p.relative_to(PROFILES)))
def test_every_shipped_shapes_file_reads_as_rdflib_reads_it(path: Path) -> None:
    ours, theirs = read_shapes([(str(path), "turtle")]), _rdflib_reading([path])
    assert len(ours) == len(theirs) > 0
    assert ours.isomorphic(theirs)
    assert dict(ours.namespaces()) == dict(theirs.namespaces())


def test_literal_forms_blank_nodes_and_relative_iris(tmp_path: Path) -> None:
    a, b = tmp_path / "a.ttl", tmp_path / "b.nt"
    a.write_text('@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex/> .\n'
                 'ex:S sh:deactivated "1"^^<http://www.w3.org/2001/XMLSchema#boolean> ; sh:property _:p ;\n'
                 '  sh:message "m"@en, "plain" ; ex:rel <rel> .\n_:p sh:path ex:q .\n', encoding="utf-8")
    b.write_text('<http://ex/T> <http://www.w3.org/ns/shacl#property> _:p .\n'
                 '_:p <http://www.w3.org/ns/shacl#path> <http://ex/r> .\n', encoding="utf-8")
    ours = read_shapes([(str(a), "turtle"), (b.as_uri(), "nt")])
    assert ours.isomorphic(_rdflib_reading([a]) + _rdflib_reading([b], "nt"))
    sh, ex = rdflib.Namespace("http://www.w3.org/ns/shacl#"), rdflib.Namespace("http://ex/")
    assert str(ours.value(ex.S, sh.deactivated)) == "1"  # as written, not normalised to "true"
    assert set(ours.objects(ex.S, sh.message)) == {rdflib.Literal("m", lang="en"), rdflib.Literal("plain")}
    assert ours.value(ex.S, ex.rel) == rdflib.URIRef(a.resolve().as_uri()[: -len("a.ttl")] + "rel")
    # the two files' "_:p" are two nodes
    assert ours.value(ex.S, sh.property) != ours.value(ex.T, sh.property)
    assert ours.value(ours.value(ex.T, sh.property), sh.path) == ex.r
    assert dict(ours.namespaces())["ex"] == rdflib.URIRef("http://ex/")


def test_a_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://ex/> .\nex:a a ex:B .\nex:broken a .\n", encoding="utf-8")
    with pytest.raises(SyntaxError) as caught:
        read_shapes([(str(bad), "turtle")])
    assert str(caught.value).splitlines()[0] == "Parser error at line 3 column 13: . is not a valid RDF object (line 3)"
