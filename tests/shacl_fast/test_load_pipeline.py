"""The pipelined loader (data.load_pipelined) stores exactly the quads the direct one (data.load_direct) stores, and
leaves no thread behind on any exit path."""
from __future__ import annotations

import io
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from ldt_conform.shacl_fast import data as data_mod
from ldt_conform.shacl_fast.data import load_direct, load_pipelined, load_store, prepare

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import generate_catalogue  # noqa: E402

from conftest import SHIPPED_LOAD, corpus_path  # noqa: E402

TRICKY = """\
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
_:top ex:p [ ex:q [ ex:r _:leaf ] ], _:leaf .
_:leaf ex:name "leaf" .
ex:s ex:int "01"^^xsd:integer, "1"^^xsd:integer, "+1"^^xsd:integer, "007"^^xsd:nonNegativeInteger ;
    ex:bool "1"^^xsd:boolean, "true"^^xsd:boolean ;
    ex:dec "1.50"^^xsd:decimal, "1.5"^^xsd:decimal ;
    ex:dt "2024-01-01T24:00:00"^^xsd:dateTime, "2024-01-02T00:00:00"^^xsd:dateTime, "2024-01-01T10:00:00.500+02:00"^^xsd:dateTime ;
    ex:lang "chat"@fr, "chat"@en-GB, "Katze"@de ;
    ex:long \"\"\"a "quoted" line
second line\twith tab \\\\ backslash \\u00e9 \\U0001F600 and _:notanode\"\"\" ;
    ex:ctrl "\\u0001\\u0008\\u000C\\r\\u007F" ;
    ex:iri <https://example.org/_:notanode/\u00e9> ;
    ex:other "x"^^ex:custom, ""^^xsd:string, "" .
"""
# More triples than the tests' chunks, so the chunks cut through them and a blank node (_:shared, _:g) spans chunks.
FILLER = "".join(f"ex:f{i} ex:n {i} .\n" for i in range(40))
TRIG = """\
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
_:shared ex:first "1.0"^^xsd:double .
ex:g1 { ex:a ex:b _:shared ; ex:c "01"^^xsd:integer . _:shared ex:in "g1" . }
_:g { _:shared ex:in "bnode graph" . ex:a ex:b "x"@en . }
""" + "ex:g2 {\n" + FILLER + "}\n" + """\
ex:g1 { _:shared ex:last "y" . }
_:g { ex:z ex:w _:shared . }
"""


def parsed(text: str, fmt: ox.RdfFormat, rename: bool = False) -> list[ox.Quad]:
    # One parse, shared by both loaders: anonymous blank nodes get fresh labels on every parse.
    return list(ox.parse(text.encode(), format=fmt, rename_blank_nodes=rename))


def direct(quads: list[ox.Quad], store: ox.Store | None = None) -> set[ox.Quad]:
    store = store if store is not None else ox.Store()
    load_direct(store, iter(quads))
    return set(store)


def pipelined(quads: list[ox.Quad], chunk: int, store: ox.Store | None = None) -> set[ox.Quad]:
    store = store if store is not None else ox.Store()
    load_pipelined(store, iter(quads), chunk=chunk)
    return set(store)


def loader_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "ldt-conform-load"]


def catalogue(n: int) -> str:
    out = io.StringIO()
    generate_catalogue.generate(n, out)
    return out.getvalue()


# The loader re-reads the serialised chunks with the lenient N-Quads parser (no IRI or language tag checks, since the
# strict parse of the input has made them): IRIs and tags that such checks touch must come back exactly as parsed.
IRIS_AND_TAGS = """\
@prefix ex: <https://example.org/> .
<https://\u4f8b\u3048.jp/\u30d1\u30b9?q=\u00fc&r=%20x#frag> ex:p <http://[2001:db8::1]:8080/a/b;c=d> ;
  ex:q <urn:isbn:0451450523>, <https://example.org/\\u00e9t\\U0001F600>, <mailto:a@b.example>, <tag:x.org,2024:a/b?c#d> ;
  ex:l "x"@EN-gb, "y"@zh-Hant-TW, "z"@x-private, "w"@de-CH-1996, "rtl"@ar--rtl .
"""

INPUTS = {
    "tricky-turtle": (TRICKY + FILLER, ox.RdfFormat.TURTLE),
    "iris-and-language-tags": (IRIS_AND_TAGS + FILLER, ox.RdfFormat.TURTLE),
    "trig-named-graphs": (TRIG, ox.RdfFormat.TRIG),
    "generated-catalogue": (catalogue(12), ox.RdfFormat.TURTLE),
}


@pytest.mark.parametrize("name", sorted(INPUTS))
@pytest.mark.parametrize("chunk", [1, 7, 100_000])
def test_pipelined_stores_what_direct_stores(name: str, chunk: int) -> None:
    text, fmt = INPUTS[name]
    quads = parsed(text, fmt)
    want = direct(quads)
    assert pipelined(quads, chunk) == want
    assert not loader_threads()


def test_the_tricky_input_keeps_its_blank_nodes_and_literals() -> None:
    """What the differential test compares holds what it must: labels as parsed, literals as written."""
    quads = parsed(TRICKY + FILLER, ox.RdfFormat.TURTLE)
    store = ox.Store()
    load_pipelined(store, iter(quads), chunk=3)
    stored = {str(q.object) for q in prepare_quads(store)}
    assert {'"01"^^<http://www.w3.org/2001/XMLSchema#integer>', '"1"^^<http://www.w3.org/2001/XMLSchema#boolean>',
            '"1.50"^^<http://www.w3.org/2001/XMLSchema#decimal>',
            '"2024-01-01T24:00:00"^^<http://www.w3.org/2001/XMLSchema#dateTime>', '"chat"@en-gb'} <= stored
    leaf = ox.BlankNode("leaf")
    assert {(q.predicate.value, str(q.object)) for q in store.quads_for_pattern(leaf, None, None)} == {
        ("https://example.org/name", '"leaf"')}
    assert len(list(store.quads_for_pattern(ox.BlankNode("top"), None, leaf))) == 1
    assert len(store) == len(set(quads)) == 64  # ""^^xsd:string and "" are one literal


def prepare_quads(store: ox.Store) -> Iterator[ox.Quad]:
    return data_mod.Prepared(store).quads()


@pytest.mark.corpus
@pytest.mark.parametrize(("rel", "count", "with_blank"), [
    (("dcat", "semic-dcat-ap", "example-ms_catalogue.ttl"), 48, 12),
    (("dcat", "dcat-ap-no", "DCAT-AP-NO2.0-examples.ttl"), 204, 0),
    (("dcat", "ckanext-dcat", "dataset_health_multilingual.ttl"), 37, 15),
    (("dcat", "ckanext-dcat", "catalog.rdf"), 79, 48),
    (("dcat", "dcat-ap-it", "catalog_dati_unibo.rdf"), 1002, 36),
])
def test_pipelined_stores_what_direct_stores_on_corpus_files(rel: tuple[str, ...], count: int,
                                                             with_blank: int) -> None:
    path = corpus_path(*rel)
    fmt = ox.RdfFormat.RDF_XML if path.suffix == ".rdf" else ox.RdfFormat.TURTLE
    quads = list(ox.parse(path.read_bytes(), format=fmt, base_iri=path.as_uri()))
    blank = (ox.BlankNode,)
    assert (len(quads), sum(type(q.subject) in blank or type(q.object) in blank for q in quads)) == (count, with_blank)
    want = direct(quads)
    for chunk in (5, 64, 100_000):
        assert pipelined(quads, chunk) == want


def test_pipelined_into_a_filled_store_adds_what_direct_adds() -> None:
    """The paging case: a later page, its blank nodes renamed apart, into the store an earlier page filled."""
    page1 = parsed(TRIG, ox.RdfFormat.TRIG)
    page2 = parsed(TRIG, ox.RdfFormat.TRIG, rename=True)
    a, b = ox.Store(), ox.Store()
    a.extend(page1)
    b.extend(page1)
    assert pipelined(page2, 4, b) == direct(page2, a)
    assert len(a) > len(page1)


@pytest.mark.parametrize(("pipeline", "after", "want"), [
    (True, 20, [("direct", 20), ("pipelined", 5)]),
    (True, 25, [("direct", 25)]),  # nothing left after the direct part: no pipeline
    (True, 0, [("direct", 0), ("pipelined", 25)]),
    (False, 20, [("direct", 25)]),
])
def test_load_store_loads_the_first_quads_directly_and_pipelines_the_rest(
        monkeypatch: pytest.MonkeyPatch, pipeline: bool, after: int, want: list[tuple[str, int]]) -> None:
    quads = parsed(TRICKY, ox.RdfFormat.TURTLE)
    assert len(quads) == 25
    calls: list[tuple[str, int]] = []
    monkeypatch.setattr(data_mod, "PIPELINE", pipeline)
    monkeypatch.setattr(data_mod, "PIPE_AFTER", after)
    monkeypatch.setattr(data_mod, "load_direct", lambda s, q: calls.append(("direct", len(list(q)))))
    monkeypatch.setattr(data_mod, "load_pipelined", lambda s, q: calls.append(("pipelined", len(list(q)))))
    load_store(iter(quads))
    assert calls == want
    calls.clear()
    load_store(iter(quads), into=ox.Store())  # a page: always whole, directly
    assert calls == [("direct", 25)]


@pytest.mark.parametrize("after", [0, 7, 1000])
def test_load_store_stores_what_the_direct_load_stores(monkeypatch: pytest.MonkeyPatch, after: int) -> None:
    """The direct part and the pipelined rest join up: _:shared is named at the start and at the end of the input."""
    monkeypatch.setattr(data_mod, "PIPE_AFTER", after)
    monkeypatch.setattr(data_mod, "PIPE_CHUNK", 5)
    quads = parsed(TRIG, ox.RdfFormat.TRIG)
    assert set(load_store(iter(quads))) == direct(quads)


def test_on_disk_store_is_pipelined_and_complete(tmp_path: Path) -> None:
    quads = parsed(TRIG, ox.RdfFormat.TRIG)
    want = direct(quads)
    store = ox.Store(str(tmp_path / "db"))
    load_pipelined(store, iter(quads), chunk=5)
    assert set(store) == want
    assert not loader_threads()


def test_a_syntax_error_surfaces_as_before_and_stops_the_loader() -> None:
    text = (TRICKY + FILLER + 'ex:bad ex:p "unterminated .\n').encode()
    errors = []
    for load in ("direct", "pipelined"):
        with pytest.raises(SyntaxError) as got:
            if load == "direct":
                load_direct(ox.Store(), ox.parse(text, format=ox.RdfFormat.TURTLE))
            else:
                load_pipelined(ox.Store(), ox.parse(text, format=ox.RdfFormat.TURTLE), chunk=4)
        errors.append((str(got.value), got.value.args))
    assert errors[0] == errors[1]
    assert errors[1][1][1][1:3] == (55, 13)  # line 55, column 13: the unterminated literal
    with pytest.raises(SyntaxError):
        prepare(ox.parse(text, format=ox.RdfFormat.TURTLE))
    assert not loader_threads()


def test_a_loader_error_is_raised_on_the_caller_and_stops_the_input(monkeypatch: pytest.MonkeyPatch) -> None:
    real = data_mod.insert_nquads
    seen: list[bytes] = []

    def insert(store: ox.Store, part: bytes) -> None:
        seen.append(part)
        if len(seen) == 2:
            raise OSError("disk full")
        real(store, part)

    monkeypatch.setattr(data_mod, "insert_nquads", insert)
    pulled = []

    def quads() -> Iterator[ox.Quad]:
        for q in parsed("@prefix ex: <https://example.org/> .\n" + FILLER, ox.RdfFormat.TURTLE) * 100:
            pulled.append(q)
            yield q

    with pytest.raises(OSError, match="^disk full$"):
        load_pipelined(ox.Store(), quads(), chunk=2)
    assert not loader_threads()
    # The caller stops reading the input once the loader has failed (a few chunks later at most, not 4,000 quads).
    assert len(pulled) < 20


def test_a_token_too_large_is_a_memory_error_as_before() -> None:
    text = b'<https://example.org/s> <https://example.org/p> "' + b"x" * (17 * 1024 * 1024) + b'" .\n'
    with pytest.raises(MemoryError, match="buffer maximal size"):
        prepare(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))
    assert not loader_threads()


def test_a_literal_that_outgrows_the_parser_buffer_once_escaped_still_loads() -> None:
    """A raw control character is one byte in Turtle and six in N-Quads (\\u0001): 2.9 MB of them pass the input's
    parser but not the N-Quads one, so such lines are rebuilt from their text."""
    tail = 'quote" backslash\\ newline\n tab\t é 😀 \x7f \x08 \x0c \r end'
    body = "\x01" * 2_900_000 + tail.replace("\\", "\\\\").replace('"', '\\"')
    text = ("@prefix ex: <https://example.org/> .\n"
            f'ex:s ex:p """{body}""" , """{body}"""@en-GB .\n'
            f'ex:g {{ _:b ex:p """{body}"""^^ex:dt . _:b ex:q "small" . }}\n'
            "ex:t ex:p 1 .\n").encode()
    quads = list(ox.parse(text, format=ox.RdfFormat.TRIG))
    want = direct(quads)
    assert {q.object.value[-len(tail):] for q in want if len(q.object.value) > 100} == {tail}
    assert pipelined(quads, 2) == want
    assert pipelined(quads, 100_000) == want


def test_no_transaction_of_the_shipped_load_holds_more_than_5000_quads(monkeypatch: pytest.MonkeyPatch) -> None:
    """An open Store transaction holds about 250 bytes per quad until it commits: one 490,000-quad transaction cost
    118 MiB of peak at 10,000 datasets (docs/scale.md, "Memory: small transactions"). With the shipped settings every
    transaction, the direct start and each pipelined chunk, takes at most 5,000 quads, and all of them go in."""
    for name, value in SHIPPED_LOAD.items():
        monkeypatch.setattr(data_mod, name, value)
    text = "@prefix ex: <https://example.org/> .\n" + "".join(
        f"ex:s{i} ex:n {i} ; ex:label \"s{i}\" ; ex:next _:b{i} .\n_:b{i} ex:n {i} .\n" for i in range(4_000))
    quads = parsed(text, ox.RdfFormat.TURTLE)
    assert len(quads) == 16_000
    want = direct(quads)
    sizes: list[int] = []
    real_extend, real_insert = data_mod.load_direct, data_mod._insert

    def spy_direct(store: ox.Store, part: object) -> None:
        got = list(part)  # type: ignore[call-overload]
        sizes.append(len(got))
        real_extend(store, iter(got))

    def insert(store: ox.Store, part: bytes) -> None:
        sizes.append(part.count(b"\n") + (not part.endswith(b"\n")))
        real_insert(store, part)

    monkeypatch.setattr(data_mod, "load_direct", spy_direct)
    monkeypatch.setattr(data_mod, "_insert", insert)
    store = load_store(iter(quads))
    assert sum(sizes) == 16_000 and len(sizes) >= 4
    assert max(sizes) == 5_000
    assert set(store) == want
