"""Unit tests of the fast SHACL engine: datatype traps, graphs, bad shapes, budgets, unsupported shapes, API."""

from __future__ import annotations

import time
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib

from ldt_conform.shacl_fast import BudgetExceeded, ShaclResult, ShapesError, Unsupported, unsupported_shapes, validate
from test_shacl_fast_differential import run_pyshacl

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix ex: <http://ex/> .
"""
XSD = "http://www.w3.org/2001/XMLSchema#"
SH = "http://www.w3.org/ns/shacl#"


def shapes(ttl: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=PREFIXES + ttl, format="turtle")


def quads(ttl: str, fmt: ox.RdfFormat = ox.RdfFormat.TURTLE) -> list[ox.Quad]:
    return list(ox.parse(PREFIXES + ttl, format=fmt))


DT_SHAPES = """
ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:size, ex:when, ex:at ;
  sh:property [ sh:path ex:size ; sh:datatype xsd:nonNegativeInteger ] ,
              [ sh:path ex:when ; sh:datatype xsd:date ] ,
              [ sh:path ex:at ; sh:datatype xsd:dateTime ] .
"""
DT_DATA = """
ex:ok1 ex:size "123"^^xsd:nonNegativeInteger ; ex:when "2021-02-28"^^xsd:date ; ex:at "2021-02-28T10:00:00Z"^^xsd:dateTime .
ex:ok2 ex:size "0"^^xsd:nonNegativeInteger ; ex:when "2024-02-29"^^xsd:date ; ex:at "2021-12-31T23:59:59.5+02:00"^^xsd:dateTime .
ex:int ex:size "5"^^xsd:integer .
ex:neg ex:size "-5"^^xsd:nonNegativeInteger .
ex:abc ex:size "abc"^^xsd:nonNegativeInteger .
ex:str ex:size "5" .
ex:iri ex:size ex:five .
ex:baddate ex:when "2021-13-45"^^xsd:date .
ex:feb ex:when "2023-02-29"^^xsd:date .
ex:baddt ex:at "2021-13-45T00:00:00Z"^^xsd:dateTime .
"""


def test_datatype_traps_integer_subtypes_and_ill_typed_literals() -> None:
    got = validate(quads(DT_DATA), shapes(DT_SHAPES))
    bad = {(r.focus.rsplit("/", 1)[1], r.value) for r in got}
    assert bad == {
        ("int", f'"5"^^<{XSD}integer>'),
        ("neg", f'"-5"^^<{XSD}nonNegativeInteger>'),
        ("abc", f'"abc"^^<{XSD}nonNegativeInteger>'),
        ("str", '"5"'),
        ("iri", "http://ex/five"),
        ("baddate", f'"2021-13-45"^^<{XSD}date>'),
        ("feb", f'"2023-02-29"^^<{XSD}date>'),
        ("baddt", f'"2021-13-45T00:00:00Z"^^<{XSD}dateTime>'),
    }
    assert all(r.component == SH + "DatatypeConstraintComponent" for r in got)


def test_datatype_traps_agree_with_pyshacl() -> None:
    q, s = quads(DT_DATA), shapes(DT_SHAPES)
    fast = {(r.focus, r.path, r.component) for r in validate(q, s)}
    ref = {(r.focus, r.path, r.component) for r in run_pyshacl(q, s)}
    assert fast == ref


def test_original_lexical_form_is_reported() -> None:
    got = validate(quads('ex:a ex:size "007"^^xsd:int .'), shapes(DT_SHAPES))
    assert [r.value for r in got] == [f'"007"^^<{XSD}int>']


def test_named_graphs_are_validated_as_one() -> None:
    trig = "ex:g1 { ex:a a ex:C . } ex:g2 { ex:a ex:name 5 . }"
    s = shapes("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:name ; sh:datatype xsd:string ] .")
    got = validate(quads(trig, ox.RdfFormat.TRIG), s)
    assert [(r.focus, r.value) for r in got] == [("http://ex/a", f'"5"^^<{XSD}integer>')]


def test_store_input_is_accepted() -> None:
    store = ox.Store()
    store.extend(quads("ex:a a ex:C ."))
    s = shapes("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .")
    got = validate(store, s)
    assert [(r.focus, r.path, r.value) for r in got] == [("http://ex/a", "http://ex/name", None)]


def test_result_fields_severity_message_and_blank_nodes() -> None:
    s = shapes("""
ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:severity sh:Warning ;
  sh:message "Nope"@de, "No good" ; sh:class ex:D .""")
    got = validate(quads("[] a ex:C . ex:b a ex:C ."), s)
    assert len(got) == 2
    assert {r.severity for r in got} == {SH + "Warning"}
    assert {r.message for r in got} == {"No good"}
    assert {r.source_shape for r in got} == {"http://ex/S"}
    blank = [r for r in got if r.focus.startswith("_:")]
    assert len(blank) == 1 and blank[0].value == blank[0].focus  # same node, same label
    assert all(isinstance(r, ShaclResult) and r.path is None for r in got)


def test_complex_path_rendering() -> None:
    s = shapes("""
ex:S a sh:NodeShape ; sh:targetNode ex:a ;
  sh:property [ sh:path ( ex:p [ sh:inversePath ex:q ] ) ; sh:minCount 1 ] ,
              [ sh:path [ sh:alternativePath ( ex:p [ sh:zeroOrMorePath ex:q ] ) ] ; sh:maxCount 0 ] .""")
    got = validate(quads("ex:a ex:x 1 ."), s)
    assert {r.path for r in got} == {"<http://ex/p>/^<http://ex/q>", "<http://ex/p>|<http://ex/q>*"}


def test_deactivated_shapes_are_skipped() -> None:
    s = shapes("""
ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:deactivated true ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .
ex:T a sh:NodeShape ; sh:targetClass ex:C ; sh:node ex:S ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:deactivated true ] .""")
    assert validate(quads("ex:a a ex:C ."), s) == []


@pytest.mark.parametrize("ttl,needle", [
    ("ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:minCount 1 .", "ex/S has no sh:path"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:minCount 1 ] .", "has no sh:path"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:node ex:Missing .", "http://ex/Missing"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:Nothing .", "http://ex/Nothing"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:in ex:notAList .", "http://ex/S"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:or ( ex:A ex:B ) . ex:A sh:class ex:D . "
     "ex:B sh:class ex:E .", None),
])
def test_bad_shapes_name_the_shape(ttl: str, needle: str | None) -> None:
    s = shapes(ttl)
    if needle is None:  # a well-formed control case
        validate(quads("ex:a a ex:C ."), s)
        return
    with pytest.raises(ShapesError) as err:
        validate(quads("ex:a a ex:C ."), s)
    assert needle in str(err.value)


def test_malformed_rdf_list_is_a_shapes_error() -> None:
    s = shapes("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:in _:l . _:l rdf:first 1 ; rdf:rest _:m . _:m rdf:first 2 .")
    with pytest.raises(ShapesError, match="malformed RDF list"):
        validate(quads("ex:a a ex:C ."), s)


def test_pathological_path_hits_the_budget_and_names_the_shape() -> None:
    n = 5000
    data = [ox.Quad(ox.NamedNode(f"http://ex/n{i}"), ox.NamedNode("http://ex/p"), ox.NamedNode(f"http://ex/n{(i + 1) % n}"))
            for i in range(n)]
    s = shapes("ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:property ex:PS . "
               "ex:PS sh:path [ sh:zeroOrMorePath ex:p ] ; sh:maxCount 3 .")
    start = time.monotonic()
    # The budget leaves room for loading and planning (S's focus nodes) on a busy machine; only the path of PS,
    # 5,000 nodes each reaching all 5,000, can exhaust it (it runs for minutes unbounded).
    with pytest.raises(BudgetExceeded, match="http://ex/PS"):
        validate(data, s, time_budget_s=3.0)
    assert time.monotonic() - start < 10


SPARQL_SHAPES = """
ex:Q a sh:NodeShape ; sh:targetClass ex:C ;
  sh:sparql [ sh:select "SELECT $this WHERE { $this ex:p ?x }" ] .
ex:R a sh:NodeShape ; sh:targetClass ex:C ; sh:node ex:Q .
ex:Fine a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
"""


def test_unsupported_shapes_are_reported_and_can_be_skipped() -> None:
    s = shapes(SPARQL_SHAPES)
    found = unsupported_shapes(s)
    assert set(found) == {"http://ex/Q", "http://ex/R"}
    assert "sh:sparql" in found["http://ex/Q"]
    with pytest.raises(Unsupported, match="http://ex/Q"):
        validate(quads("ex:a a ex:C ."), s)
    got = validate(quads("ex:a a ex:C ."), s, skip_shapes=frozenset(found))
    assert [r.path for r in got] == ["http://ex/name"]


def test_skip_shapes_and_jobs_parameters() -> None:
    s = shapes(SPARQL_SHAPES)
    skip = frozenset(unsupported_shapes(s)) | {"http://ex/Fine"}
    assert validate(quads("ex:a a ex:C ."), s, skip_shapes=skip, jobs=1) == []
    assert validate(quads("ex:a a ex:C ."), s, skip_shapes=skip, jobs=2, time_budget_s=None) == []


def test_sharded_run_gives_the_same_results(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from generate_catalogue import generate
    from ldt_conform.shacl_fast import shard
    from shacl_corpus import project, semic_shapes

    monkeypatch.setattr(shard, "MIN_FOCUS_TO_SHARD", 0)  # shard even this small catalogue
    buf = io.StringIO()
    generate(150, buf, seed=5)
    data = list(ox.parse(buf.getvalue(), format=ox.RdfFormat.TURTLE))
    g = semic_shapes()
    one = project(validate(data, g, jobs=1))
    assert one and project(validate(data, g, jobs=2)) == one
    assert project(validate(data, g, jobs=3, time_budget_s=None)) == one


def test_on_disk_store(tmp_path: pytest.TempPathFactory) -> None:
    s = shapes(DT_SHAPES)
    in_memory = validate(quads(DT_DATA), s)
    on_disk = validate(quads(DT_DATA), s, store_path=str(tmp_path / "store"))  # type: ignore[operator]
    assert on_disk == in_memory


def test_parse_iterator_is_streamed_through_the_worker_thread() -> None:
    s = shapes("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .")
    it = ox.parse(PREFIXES + "ex:a a ex:C . ex:b a ex:C ; ex:p 1 .", format=ox.RdfFormat.TURTLE)
    got = validate(it, s, time_budget_s=30)
    assert [(r.focus, r.component) for r in got] == [("http://ex/a", SH + "MinCountConstraintComponent")]


def test_non_canonical_literals_compare_like_pyshacl() -> None:
    """pyshacl sees rdflib-normalised literals ("01"^^xsd:integer equals 1): sh:in, sh:hasValue, sh:equals."""
    s = shapes("""
ex:S a sh:NodeShape ; sh:targetClass ex:C ;
  sh:property [ sh:path ex:p ; sh:in ( ex:a 1 "x" ) ] , [ sh:path ex:p ; sh:hasValue 1 ] ,
              [ sh:path ex:q ; sh:equals ex:r ] , [ sh:path ex:q ; sh:disjoint ex:p ] .""")
    data = quads("""
ex:x a ex:C ; ex:p ex:a, ex:b, "01"^^xsd:integer, "1"^^xsd:int, "x" ; ex:q "2"^^xsd:integer ; ex:r "02"^^xsd:integer .
ex:y a ex:C ; ex:p "+1"^^xsd:integer ; ex:q 5 .""")
    from shacl_corpus import project

    assert project(validate(data, s)) == project(run_pyshacl(data, s))


# Every character Python's \s matches (29), some it does not, and values of other kinds, one subject each.
SPACE_VALUES = {f"sp{ord(c):04x}": f'"\\u{ord(c):04X}"' for c in (chr(i) for i in range(0x3001)) if c.isspace()}
OTHER_VALUES = {"empty": '""', "zwsp": '"\\u200B"', "letter": '"a"', "padded": '" a "', "nbsp_inside": '"a\\u00A0b"',
                "space_inside": '"a b"', "tab_inside": '"a\\tb"', "iri": "<http://ex/x>", "int": "5",
                "lang_blank": '" "@en', "lang_word": '"word"@en', "typed_blank": '" "^^ex:dt'}


@pytest.mark.parametrize("pattern", ["\\\\S", "^\\\\s*$", "a\\\\sb", "^\\\\S+$", "\\\\s"])
def test_space_classes_filter_in_sparql_and_agree_with_pyshacl(pattern: str) -> None:
    """\\s and \\S are pre-filtered in SPARQL as the class Python means (str.isspace): a blank-only title is found
    however it is blank (a non-breaking space, U+001C), and nothing else is, exactly as pyshacl decides."""
    from ldt_conform.shacl_fast.filters import constraint_expr
    from ldt_conform.shacl_fast.values import compile_pattern
    from shacl_corpus import project

    from ldt_conform.shacl_fast.filters import _SPACES

    assert _SPACES == "".join(chr(i) for i in range(0x110000) if chr(i).isspace())
    assert len(SPACE_VALUES) == 29
    assert constraint_expr(constraint_of("pattern", compile_pattern(pattern.replace("\\\\", "\\"), None))) \
        is not None
    values = {**SPACE_VALUES, **OTHER_VALUES}
    data = quads("".join(f"ex:{name} ex:p {value} .\n" for name, value in values.items()))
    s = shapes(f'ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ;\n'
               f'  sh:property [ sh:path ex:p ; sh:pattern "{pattern}" ] .')
    fast = validate(data, s)
    assert project(fast) == project(run_pyshacl(data, s))
    failing = {r.focus.rsplit("/", 1)[1] for r in fast}
    if pattern == "\\\\S":  # no character that is not a space
        assert failing == {*SPACE_VALUES, "empty", "lang_blank", "typed_blank"}
    elif pattern == "^\\\\s*$":  # blank only
        assert failing == {"zwsp", "letter", "padded", "nbsp_inside", "space_inside", "tab_inside", "iri", "int",
                           "lang_word"}


def constraint_of(kind: str, param: object) -> Any:
    from ldt_conform.shacl_fast.shapes import Constraint

    return Constraint(component="", kind=kind, param=param)


EDGE_SHAPES = """
ex:Len a sh:NodeShape ; sh:targetSubjectsOf ex:len ;
  sh:property [ sh:path ex:len ; sh:minLength 0 ] , [ sh:path ex:len ; sh:maxLength 40 ] .
ex:Lang a sh:NodeShape ; sh:targetSubjectsOf ex:label ;
  sh:property [ sh:path ex:label ; sh:languageIn ( "en" ) ] .
ex:Any a sh:NodeShape ; sh:targetSubjectsOf ex:any ;
  sh:property [ sh:path ex:any ; sh:languageIn ( "*" ) ] .
ex:NotEn a sh:NodeShape ; sh:targetSubjectsOf ex:notEn ;
  sh:property [ sh:path ex:notEn ; sh:not [ sh:languageIn ( "en" ) ] ] .
ex:Untagged a sh:NodeShape ; sh:targetSubjectsOf ex:untagged ;
  sh:property [ sh:path ex:untagged ; sh:not [ sh:languageIn ( "*" ) ] ] .
ex:Pat a sh:NodeShape ; sh:targetSubjectsOf ex:flag, ex:num ;
  sh:property [ sh:path ex:flag ; sh:pattern "^true$" ] , [ sh:path ex:num ; sh:pattern "^1$" ] .
"""
EDGE_DATA = """
ex:blank ex:len [ ex:x 1 ] .
ex:short ex:len "ab" .
ex:long ex:len "a text that is more than forty characters long" .
ex:gb ex:label "colour"@en-GB .
ex:de ex:label "Farbe"@de .
ex:fr ex:any "couleur"@fr .
ex:plain ex:any "no tag" .
ex:us ex:notEn "color"@en-US .
ex:nl ex:notEn "kleur"@nl .
ex:tagged ex:untagged "tagged"@it .
ex:bare ex:untagged "bare" .
ex:one ex:flag "1"^^xsd:boolean .
ex:yes ex:flag "yes" .
ex:padded ex:num "01"^^xsd:integer .
ex:two ex:num "2"^^xsd:integer .
"""


def test_value_edges_agree_with_pyshacl() -> None:
    """minLength 0 holds even on a blank node, maxLength never does; a language subtag matches its language and "*"
    any tag (never no tag); patterns see the canonical lexical form ("1"^^xsd:boolean is "true", "01" is "1")."""
    q, s = quads(EDGE_DATA), shapes(EDGE_SHAPES)
    fast = sorted((r.focus.rsplit("/", 1)[1], r.component.rsplit("#", 1)[1]) for r in validate(q, s))
    # (sh:not runs the inner languageIn in Python, past the SPARQL pre-filter)
    assert fast == [("blank", "MaxLengthConstraintComponent"), ("de", "LanguageInConstraintComponent"),
                    ("long", "MaxLengthConstraintComponent"), ("plain", "LanguageInConstraintComponent"),
                    ("tagged", "NotConstraintComponent"), ("two", "PatternConstraintComponent"),
                    ("us", "NotConstraintComponent"), ("yes", "PatternConstraintComponent")]
    ref = sorted((r.focus.rsplit("/", 1)[1], r.component.rsplit("#", 1)[1]) for r in run_pyshacl(q, s))
    assert fast == ref


FILTER_SHAPES = r"""
ex:Both a sh:NodeShape ; sh:targetSubjectsOf ex:both ;
  sh:property [ sh:path ex:both ; sh:and ( [ sh:datatype xsd:string ] [ sh:minLength 3 ] ) ] .
ex:Case a sh:NodeShape ; sh:targetSubjectsOf ex:case ;
  sh:property [ sh:path ex:case ; sh:pattern "^abc$" ; sh:flags "i" ] .
ex:Lines a sh:NodeShape ; sh:targetSubjectsOf ex:lines ;
  sh:property [ sh:path ex:lines ; sh:pattern "^b$" ; sh:flags "m" ] .
ex:Quote a sh:NodeShape ; sh:targetSubjectsOf ex:quote ;
  sh:property [ sh:path ex:quote ; sh:pattern "^say \"hi\"$" ] .
ex:Word a sh:NodeShape ; sh:targetSubjectsOf ex:word ;
  sh:property [ sh:path ex:word ; sh:pattern "^\\w+$" ] .
"""
FILTER_DATA = r"""
ex:ab ex:both "ab" .
ex:abc ex:both "abc" .
ex:upper ex:case "ABC" .
ex:xyz ex:case "xyz" .
ex:second ex:lines "a\nb" .
ex:third ex:lines "a\nc" .
ex:hi ex:quote "say \"hi\"" .
ex:ho ex:quote "say \"ho\"" .
ex:under ex:word "a_b" .
ex:plus ex:word "a+b" .
"""


def test_sparql_pre_filters_never_hide_a_violation() -> None:
    """The pre-filter of each value constraint must let through every value that fails it: an sh:and failed in one
    part only, case-insensitive and multi-line flags, a quote in the pattern, and a \\w that XPath's regex reads
    more widely than Python's ("+" is a word character to XPath, not to Python)."""
    q, s = quads(FILTER_DATA), shapes(FILTER_SHAPES)
    fast = sorted(r.focus.rsplit("/", 1)[1] for r in validate(q, s))
    assert fast == ["ab", "ho", "plus", "third", "xyz"]
    assert fast == sorted(r.focus.rsplit("/", 1)[1] for r in run_pyshacl(q, s))
