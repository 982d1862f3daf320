"""shacl_ranges.placeholders, exactly: what a class (range) finding says it expected, found and would fix.

The end-to-end messages are pinned in test_range_messages.py on the shipped profiles; these cases reach what those
profiles do not: several rdf:types, two expected classes without an IRI alternative, a pattern that is not an IRI
prefix, a result without a path, a message language without range phrases, and triples that are not rdf:type."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from ldt_conform.checks.shacl_ranges import Expectation, namespaces, placeholders

FOAF = "http://xmlns.com/foaf/0.1/"
EX = "http://example.org/"
DCT = "http://purl.org/dc/terms/"
NAMES = namespaces([("foaf", FOAF), ("ex", EX), ("dct", DCT)])
DATA = f"""
<{EX}multi> a <{EX}Thing>, <{EX}Person>, <{EX}Body> ; <{EX}seeAlso> <{EX}NotAType> .
<{EX}linked> <{EX}kind> <{EX}Person> .
_:b a <{EX}Thing>, <{EX}Body> .
"""


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    store.load(DATA.encode(), ox.RdfFormat.TURTLE, base_iri=EX)
    return store


def _blank(store: ox.Store) -> str:
    [blank] = {q.subject.value for q in store.quads_for_pattern(None, None, ox.NamedNode(EX + "Body"))
               if isinstance(q.subject, ox.BlankNode)}
    return f"_:{blank}"


AGENT_OR_PERSON = Expectation((FOAF + "Agent", FOAF + "Person"))


def test_every_rdf_type_is_listed_with_the_list_separator_and_no_other_triple(store: ox.Store) -> None:
    got = placeholders(AGENT_OR_PERSON, EX + "multi", DCT + "creator", store, "en", NAMES)
    assert got == {
        "expected": "an instance of foaf:Agent or foaf:Person",
        "found": f"{EX}multi, typed ex:Body, ex:Person, ex:Thing",
        "fix": f"Use a foaf:Agent resource, or add rdf:type foaf:Agent to {EX}multi if it is one.",
        "property": "dct:creator"}


def test_an_iri_whose_class_is_named_by_another_predicate_is_untyped(store: ox.Store) -> None:
    got = placeholders(AGENT_OR_PERSON, EX + "linked", DCT + "creator", store, "en", NAMES)
    assert (got["found"], got["fix"]) == (f"{EX}linked, which has no rdf:type",
                                          f"Add the triple {EX}linked rdf:type foaf:Agent if it is one.")


def test_a_typed_blank_node_in_french(store: ox.Store) -> None:
    got = placeholders(AGENT_OR_PERSON, _blank(store), DCT + "creator", store, "fr", NAMES)
    assert got == {
        "expected": "une instance de foaf:Agent ou foaf:Person",
        "found": "un nœud anonyme de type ex:Body, ex:Thing",
        "fix": "Utilisez une ressource foaf:Agent, ou ajoutez rdf:type foaf:Agent au nœud anonyme s'il en est une.",
        "property": "dct:creator"}


def test_a_pattern_that_is_not_a_prefix_is_quoted_and_a_prefix_is_unescaped(store: ox.Store) -> None:
    expect = Expectation((FOAF + "Agent",), (r"^https?://example\.org/agents/.+$",
                                             r"^http://publications\.europa\.eu/resource/authority/corporate-body/"))
    got = placeholders(expect, '"Ministry"', DCT + "publisher", store, "en", NAMES)
    assert got["expected"] == (
        r"an instance of foaf:Agent, or an IRI matching ^https?://example\.org/agents/.+$, or an IRI starting with "
        "http://publications.europa.eu/resource/authority/corporate-body/")
    assert got["found"] == 'a literal "Ministry"'


def test_a_result_without_a_path_names_no_property(store: ox.Store) -> None:
    got = placeholders(Expectation((FOAF + "Agent",)), EX + "linked", None, store, "en", NAMES)
    assert (got["expected"], got["property"]) == ("an instance of foaf:Agent", "")


def test_a_language_without_range_phrases_speaks_english(store: ox.Store) -> None:
    # German report labels exist, range phrases do not (shacl_ranges.toml has en and fr): English, never a KeyError.
    assert placeholders(AGENT_OR_PERSON, EX + "multi", DCT + "creator", store, "de", NAMES) == placeholders(
        AGENT_OR_PERSON, EX + "multi", DCT + "creator", store, "en", NAMES)


RANGE_SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix dct: <http://purl.org/dc/terms/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
ex:Dataset a sh:NodeShape ; sh:property [ sh:path dct:publisher ; sh:class foaf:Agent ] .
ex:Either a sh:PropertyShape ; sh:path dct:creator ;
    sh:or ( [ sh:class foaf:Agent ] [ sh:pattern "^http://example\\\\.org/agents/" ] [ sh:class foaf:Person ]
            [ sh:pattern "^urn:agent:" ] ) ;
    sh:and ( [ sh:class ex:AlsoRequired ] ) .
ex:Counted a sh:PropertyShape ; sh:path dct:title ; sh:minCount 1 .
"""


def test_expectation_of_a_blank_property_shape_and_of_sh_or_alternatives_only() -> None:
    from rdflib import Graph, URIRef
    from rdflib.namespace import SH

    from ldt_conform.checks.shacl_ranges import expectation

    shapes = Graph().parse(data=RANGE_SHAPES, format="turtle")
    [blank] = shapes.objects(URIRef(EX + "Dataset"), SH.property)
    # the engines name a blank shape "_:<id>", as the report does
    assert expectation(shapes, f"_:{blank}") == Expectation((FOAF + "Agent",))
    # sh:or's class and pattern alternatives; sh:and's classes are not alternatives and are not offered
    assert expectation(shapes, EX + "Either") == Expectation((FOAF + "Agent", FOAF + "Person"),
                                                             (r"^http://example\.org/agents/", "^urn:agent:"))
    assert expectation(shapes, EX + "Counted") is None


def test_the_longest_declared_namespace_wins_then_the_shortest_prefix_then_the_first_by_name() -> None:
    from ldt_conform.checks.shacl_ranges import compact

    names = namespaces([("a", "http://ex.org/voc"), ("b", "http://ex.org/vocab_"), ("", "http://ex.org/")])
    assert names == [("b", "http://ex.org/vocab_"), ("a", "http://ex.org/voc")]  # the default prefix is never used
    assert compact("http://ex.org/vocab_Thing", names) == "b:Thing"
    assert compact("http://ex.org/vocThing", names) == "a:Thing"
    one_namespace = namespaces([("dcterms", DCT), ("dcx", DCT), ("dct", DCT)])
    assert one_namespace == [("dct", DCT), ("dcx", DCT), ("dcterms", DCT)]
    assert compact(DCT + "title", one_namespace) == "dct:title"
    # a local part that is not a name, or none at all, keeps the IRI whole
    assert compact(DCT + "a/b", one_namespace) == DCT + "a/b"
    assert compact(DCT, one_namespace) == DCT
