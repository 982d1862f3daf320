"""A SHACL rule none of whose shapes has a focus node in an input is not verified (not applicable), never a pass."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ldt_conform import api
from ldt_conform.checks.shacl_scope import FocusProbe, declarations, describe
from ldt_conform.model import Status, Why

PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix ex: <http://example.org/> .
"""
CATALOGUE = PREFIXES + """ex:cat a dcat:Catalog ; dct:title "t" ; dct:description "d" ; dct:publisher ex:p .
"""


def _results(tmp_path: Path, data: str, *rules: str) -> dict[str, tuple[Status, Why | None, str | None]]:
    path = tmp_path / "input.ttl"
    path.write_text(data, encoding="utf-8")
    report = api.check([str(path)], api.CheckOptions(profile="dcat-ap-3-core", select=list(rules)))
    return {r.rule: (r.status, r.why, r.reason) for r in report.results if r.rule in rules}


def test_rule_without_focus_node_is_not_applicable_and_an_evaluated_one_passes(tmp_path: Path) -> None:
    got = _results(tmp_path, CATALOGUE, "DCATAP-101", "DCATAP-131")
    assert got["DCATAP-101"] == (Status.PASS, None, None)
    assert got["DCATAP-131"] == (Status.NOT_VERIFIED, Why.NOT_APPLICABLE,
                                 "no focus node in this input (needs an instance of dcat:DataService)")


def test_an_instance_of_a_subclass_is_a_focus_node(tmp_path: Path) -> None:
    data = CATALOGUE + "ex:Api rdfs:subClassOf dcat:DataService . ex:s a ex:Api ; dcat:endpointURL ex:e .\n"
    assert _results(tmp_path, data, "DCATAP-131")["DCATAP-131"] == (Status.PASS, None, None)
    broken = CATALOGUE + "ex:Api rdfs:subClassOf dcat:DataService . ex:s a ex:Api .\n"
    assert _results(tmp_path, broken, "DCATAP-131")["DCATAP-131"][:2] == (Status.FAIL, None)


def test_an_instance_that_holds_the_rule_passes(tmp_path: Path) -> None:
    data = CATALOGUE + "ex:s a dcat:DataService ; dcat:endpointURL ex:e ; dct:title \"api\" .\n"
    assert _results(tmp_path, data, "DCATAP-131")["DCATAP-131"] == (Status.PASS, None, None)


def _store(turtle: str) -> ox.Store:
    store = ox.Store()
    store.load(turtle.encode(), ox.RdfFormat.TURTLE)
    return store


SHAPES = PREFIXES + """@prefix sh: <http://www.w3.org/ns/shacl#> .
ex:ByClass a sh:NodeShape ; sh:targetClass dcat:Dataset .
ex:BySubject a sh:NodeShape ; sh:targetSubjectsOf dct:creator .
ex:ByObject a sh:NodeShape ; sh:targetObjectsOf dct:publisher .
ex:ByNode a sh:NodeShape ; sh:targetNode ex:nowhere .
ex:Helper a sh:NodeShape ; sh:property [ sh:path dct:title ; sh:minCount 1 ] .
ex:Klass a sh:NodeShape, rdfs:Class .
ex:Advanced a sh:NodeShape ; sh:target [ a ex:SomeTargetType ] .
"""


def test_declarations_of_every_target_kind() -> None:
    shapes = Graph().parse(data=SHAPES, format="turtle")
    ex, dcat, dct = "http://example.org/", "http://www.w3.org/ns/dcat#", "http://purl.org/dc/terms/"
    assert declarations(shapes, [ex + "ByClass", ex + "BySubject", ex + "ByObject", ex + "ByNode", ex + "Klass"]) == {
        ("class", dcat + "Dataset"), ("subjects", dct + "creator"), ("objects", dct + "publisher"),
        ("node", ex + "nowhere"), ("class", ex + "Klass")}
    assert declarations(shapes, [ex + "Helper"]) == frozenset()


def test_probe_answers_per_declaration() -> None:
    shapes = Graph().parse(data=SHAPES, format="turtle")
    ex = "http://example.org/"
    probe = FocusProbe(_store(PREFIXES + "ex:cat a dcat:Catalog ; dct:publisher ex:p .\n"))
    assert probe.applies(declarations(shapes, [ex + "ByClass"])) is False
    assert probe.applies(declarations(shapes, [ex + "BySubject"])) is False
    assert probe.applies(declarations(shapes, [ex + "ByObject"])) is True
    assert probe.applies(declarations(shapes, [ex + "ByNode"])) is True  # sh:targetNode needs no data
    assert probe.applies(declarations(shapes, [ex + "Klass"])) is False
    assert probe.applies(declarations(shapes, [ex + "Helper"])) is None  # nothing to judge by: keep the verdict
    assert probe.applies(declarations(shapes, [ex + "ByClass", ex + "ByObject"])) is True
    # SHACL-AF sh:target: this module cannot tell, so the engine's verdict stands
    assert probe.applies(declarations(shapes, [ex + "Advanced"])) is True
    with_creator = FocusProbe(_store(PREFIXES + "ex:d dct:creator ex:someone .\n"))
    assert with_creator.applies(declarations(shapes, [ex + "BySubject"])) is True
    assert with_creator.applies(declarations(shapes, [ex + "ByObject"])) is False


def test_describe_names_what_would_give_a_focus_node() -> None:
    decls = frozenset({("class", "http://www.w3.org/ns/dcat#DataService"),
                       ("subjects", "http://purl.org/dc/terms/creator"), ("node", "http://example.org/n")})
    assert describe(decls) == "an instance of dcat:DataService or a subject of dct:creator"


def test_describe_names_objects_and_leaves_out_what_needs_no_data() -> None:
    decls = frozenset({("objects", "http://purl.org/dc/terms/publisher"), ("other", "http://example.org/S"),
                       ("class", "http://example.org/Thing")})
    assert describe(decls) == "an instance of <http://example.org/Thing> or an object of dct:publisher"


def test_subclass_closure_is_asked_only_for_the_class_and_the_named_graphs_count() -> None:
    shapes = Graph().parse(data=SHAPES, format="turtle")
    by_class = declarations(shapes, ["http://example.org/ByClass"])
    # the store has a class hierarchy, but nothing under dcat:Dataset
    unrelated = FocusProbe(_store(PREFIXES + "ex:A rdfs:subClassOf ex:B . ex:x a ex:A .\n"))
    assert unrelated.applies(by_class) is False
    # a TriG/N-Quads input keeps its datasets in named graphs: they are focus nodes too (the union is validated)
    store = ox.Store()
    store.load(b"<http://example.org/d> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
               b"<http://www.w3.org/ns/dcat#Dataset> <http://example.org/graph> .\n", ox.RdfFormat.N_QUADS)
    assert FocusProbe(store).applies(by_class) is True
