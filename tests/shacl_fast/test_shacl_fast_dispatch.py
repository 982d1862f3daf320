"""The fast engine's one table of constraint kinds: every kind the compiler emits is dispatched; any other kind raises
instead of letting the constraint pass unevaluated."""
from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
import rdflib

from conftest import REPO
from ldt_conform.shacl_fast import shapes as compiler
from ldt_conform.shacl_fast import validate
from ldt_conform.shacl_fast.evaluate import DISPATCH, UnknownConstraint
from ldt_conform.shacl_fast.filters import VALUE_KINDS

SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex/> .
ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .
"""
DATA = "@prefix ex: <http://ex/> . ex:a a ex:C ; ex:p 1 ."


# Every SHACL core constraint, on node shapes and on property shapes.
EVERY_CONSTRAINT = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:N a sh:NodeShape ; sh:targetClass ex:C ; sh:class ex:C ; sh:datatype xsd:string ; sh:nodeKind sh:IRI ;
  sh:minInclusive 1 ; sh:maxLength 9 ; sh:pattern "a" ; sh:languageIn ("en") ; sh:in (ex:a) ; sh:hasValue ex:a ;
  sh:equals ex:p ; sh:disjoint ex:q ; sh:not ex:M ; sh:and (ex:M) ; sh:or (ex:M) ; sh:xone (ex:M) ; sh:node ex:M ;
  sh:closed true ; sh:ignoredProperties (ex:z) ;
  sh:property [ sh:path ex:p ; sh:class ex:C ; sh:datatype xsd:string ; sh:nodeKind sh:IRI ; sh:minInclusive 1 ;
    sh:minExclusive 0 ; sh:maxInclusive 9 ; sh:maxExclusive 10 ; sh:minLength 1 ; sh:maxLength 9 ; sh:pattern "a" ;
    sh:languageIn ("en") ; sh:uniqueLang true ; sh:in (ex:a) ; sh:hasValue ex:a ; sh:minCount 1 ; sh:maxCount 2 ;
    sh:equals ex:q ; sh:disjoint ex:r ; sh:lessThan ex:s ; sh:lessThanOrEquals ex:t ; sh:not ex:M ; sh:and (ex:M) ;
    sh:or (ex:M) ; sh:xone (ex:M) ; sh:node ex:M ; sh:qualifiedValueShape ex:M ; sh:qualifiedMinCount 1 ;
    sh:qualifiedMaxCount 2 ; sh:closed true ; sh:property [ sh:path ex:u ] ] .
ex:M a sh:NodeShape .
"""


def _literal_kinds() -> set[str]:
    """The kind tags spelled out in shapes.py (so a new constraint kind cannot dodge the table test)."""
    source = (REPO / "ldt_conform" / "shacl_fast" / "shapes.py").read_text("utf-8")
    return set(re.findall(r'\badd\("\w+", "(\w+)"', source)) | set(
        re.findall(r'Constraint\(SHNS \+ "\w+",\s*"(\w+)"', source))


def test_every_compiled_kind_is_dispatched() -> None:
    from ldt_conform.shacl_fast.plan import reachable

    top = compiler.ShapesCompiler(rdflib.Graph().parse(data=EVERY_CONSTRAINT, format="turtle")).compile_all()
    on_node = {c.kind for s in reachable(top) if s.path is None for c in s.constraints}
    on_property = {c.kind for s in reachable(top) if s.path is not None for c in s.constraints}
    assert len(on_node) >= 15 and len(on_property) >= 20, (sorted(on_node), sorted(on_property))
    assert {k for k in on_node if DISPATCH.get(k, (None, None))[0] is None} == set()
    assert {k for k in on_property | _literal_kinds() | VALUE_KINDS
            if DISPATCH.get(k, (None, None))[1] is None} == set()


def test_a_kind_without_a_handler_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    original = compiler.ShapesCompiler._constraints

    def with_bogus(self: compiler.ShapesCompiler, node: rdflib.term.Node,
                   shape: compiler.Shape) -> list[compiler.Constraint]:
        return [*original(self, node, shape), compiler.Constraint(compiler.SHNS + "BogusConstraintComponent",
                                                                  "bogus", None)]

    monkeypatch.setattr(compiler.ShapesCompiler, "_constraints", with_bogus)
    graph = rdflib.Graph().parse(data=SHAPES, format="turtle")
    with pytest.raises(UnknownConstraint, match="'bogus'"):
        validate(list(ox.parse(DATA, format=ox.RdfFormat.TURTLE)), graph)


def test_a_property_only_kind_on_a_node_shape_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    original = compiler.ShapesCompiler._constraints

    def with_min_count(self: compiler.ShapesCompiler, node: rdflib.term.Node,
                       shape: compiler.Shape) -> list[compiler.Constraint]:
        extra = [] if shape.path is not None else [
            compiler.Constraint(compiler.SHNS + "MinCountConstraintComponent", "minCount", 1)]
        return [*original(self, node, shape), *extra]

    monkeypatch.setattr(compiler.ShapesCompiler, "_constraints", with_min_count)
    graph = rdflib.Graph().parse(data=SHAPES, format="turtle")
    with pytest.raises(UnknownConstraint, match="'minCount'.*node shape"):
        validate(list(ox.parse(DATA, format=ox.RdfFormat.TURTLE)), graph)
