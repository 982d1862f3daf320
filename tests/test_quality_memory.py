"""The quality pass holds each node's key once: the scans' strings are shared, not one copy per property."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from ldt_conform import quality_graph as qg

TTL = """@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<http://ex.org/d1> a dcat:Dataset ; dct:title "One"@en ; dct:description "First"@en ; dcat:keyword "k" ;
  dcat:distribution <http://ex.org/x1> .
<http://ex.org/d2> a dcat:Dataset ; dct:title "Two"@en ; dcat:distribution <http://ex.org/x2> .
<http://ex.org/x1> a dcat:Distribution ; dct:format <http://ex.org/csv> ; dct:license <http://ex.org/cc> .
<http://ex.org/x2> a dcat:Distribution ; dct:format <http://ex.org/csv> .
"""
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"


@pytest.mark.parametrize("piece", [1, 20, qg.PIECE], ids=["a name a piece", "pieces", "one piece"])
def test_facts_share_one_string_per_node_across_properties(piece: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 50,000 datasets the facts held a fresh copy of every node's IRI per property scanned (≈ 70 MB of the
    run's peak); the keys are interned, so the sets share one string per node, and index() shares them too. The same
    however many pieces a scan's names are split out in (qg.PIECE)."""
    monkeypatch.setattr(qg, "PIECE", piece)
    store = ox.Store()
    store.load(TTL.encode(), format=ox.RdfFormat.TURTLE)
    graph = qg.index(store)
    fact = qg.facts(graph, [DCT + "title", DCT + "description", DCAT + "keyword", DCT + "license"],
                    [DCT + "format"])
    assert {p: {str(v): sorted(k) for v, k in values.items()} for p, values in fact.items()} == {
        DCT + "title": {'""': ["http://ex.org/d1", "http://ex.org/d2"]},
        DCT + "description": {'""': ["http://ex.org/d1"]},
        DCAT + "keyword": {'""': ["http://ex.org/d1"]},
        DCT + "license": {'""': ["http://ex.org/x1"]},
        DCT + "format": {"<http://ex.org/csv>": ["http://ex.org/x1", "http://ex.org/x2"]},
    }
    title, = fact[DCT + "title"].values()
    description, = fact[DCT + "description"].values()
    keyword, = fact[DCAT + "keyword"].values()
    [d1_title] = [k for k in title if k == "http://ex.org/d1"]
    [d1_description] = description
    [d1_keyword] = keyword
    [d1_index] = [k for k in graph.datasets if k == "http://ex.org/d1"]
    assert d1_title is d1_description is d1_keyword is d1_index
    license_, = fact[DCT + "license"].values()
    format_, = fact[DCT + "format"].values()
    [x1_license] = license_
    [x1_format] = [k for k in format_ if k == "http://ex.org/x1"]
    [x1_dist] = graph.dists["http://ex.org/d1"]
    assert x1_license is x1_format is x1_dist


def test_a_scan_in_pieces_reads_every_node_once_and_falls_back_to_rows_on_a_space(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`_pieces` splits a scan's joined names about every qg.PIECE characters, at a space: merged, the pieces are the
    joined scan's names, each once. A name with a space (read leniently) makes the count differ: every row is read
    again. A property nobody has gives one empty piece, as the joined scan gave one empty group."""
    monkeypatch.setattr(qg, "PIECE", 40)
    lines = [f"<http://ex.org/d{i}> a <http://www.w3.org/ns/dcat#Dataset> ." for i in range(250)]
    store = ox.Store()
    store.load("\n".join(lines).encode(), format=ox.RdfFormat.TURTLE)
    graph = qg.Graph(store, [], {}, union=False)
    where = "?s a dcat:Dataset FILTER isIRI(?s)"
    pieces = list(qg._pieces(graph, where, ["STR(?s)"], []))
    names = [name for _, part in pieces for name in part]
    assert {group for group, _ in pieces} == {()}
    assert [len(part) for _, part in pieces] == [3] * 83 + [1]  # 18-19 characters a name: three pass 40
    assert sorted(names) == sorted(f"http://ex.org/d{i}" for i in range(250))
    assert sorted(names) == sorted(qg._concat(graph, where, ["STR(?s)"])[()])
    assert list(qg._pieces(graph, "?s a dcat:Nothing", ["STR(?s)"], [])) == [((), [])]
    lenient = ox.Store()
    lenient.load(("\n".join(lines) + "\n<http://ex.org/d 1> a <http://www.w3.org/ns/dcat#Dataset> .").encode(),
                 format=ox.RdfFormat.TURTLE, lenient=True)
    merged: set[str] = set()
    for _, part in qg._pieces(qg.Graph(lenient, [], {}, union=False), where, ["STR(?s)"], []):
        merged.update(part)
    assert merged == {f"http://ex.org/d{i}" for i in range(250)} | {"http://ex.org/d 1"}


def test_the_index_is_the_same_however_its_scans_are_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    """The distribution pairs come as one flat list of names, two per pair: a piece may end between the two names of
    a pair, and the index must not notice (`_concat` joins the pieces in order)."""
    store = ox.Store()
    store.load(TTL.encode(), format=ox.RdfFormat.TURTLE)
    whole = qg.index(store)
    monkeypatch.setattr(qg, "PIECE", 1)
    cut = qg.index(store)
    assert (cut.datasets, cut.dist_row, cut.dist_also, cut.dist_count, cut.titles) == \
        (whole.datasets, whole.dist_row, whole.dist_also, whole.dist_count, whole.titles)
    assert cut.dist_row == {"http://ex.org/x1": 0, "http://ex.org/x2": 1} and cut.dist_count == [1, 1]
