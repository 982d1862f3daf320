"""Shards: the merged results of k focus-node shards equal the unsharded run, as multisets, on real and generated data."""

from __future__ import annotations

import io
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from ldt_conform.shacl_fast import ShaclResult, unsupported_shapes, validate
from ldt_conform.shacl_fast.api import compile_shapes, merge
from ldt_conform.shacl_fast.data import prepare
from ldt_conform.shacl_fast.partition import Part
from shacl_corpus import REPO, corpus_files, parse_quads, parse_rdflib, semic_shapes

sys.path.insert(0, str(REPO / "benchmarks"))
from generate_catalogue import generate  # noqa: E402

CATALOGUES = [p for p in corpus_files("dcat") if p.suffix.lower() in (".ttl", ".rdf", ".nt", ".jsonld", ".xml")]
CORE = sorted((REPO / "profiles" / "dcat-ap-3-core" / "shapes").glob("*.ttl"))


def as_multiset(results: list[ShaclResult]) -> Counter[ShaclResult]:
    return Counter(results)


def sharded(quads: list[ox.Quad], shapes: rdflib.Graph, k: int) -> tuple[list[ShaclResult], list[list[ShaclResult]]]:
    skip = frozenset(unsupported_shapes(shapes))
    compiled = compile_shapes(shapes, skip)
    store = prepare(iter(quads))
    whole = validate(store, shapes, jobs=1, skip_shapes=skip, compiled=compiled)
    parts = [validate(store, shapes, jobs=1, skip_shapes=skip, compiled=compiled, part=Part(i, k)) for i in range(k)]
    return whole, parts


def assert_identical(quads: list[ox.Quad], shapes: rdflib.Graph, k: int) -> int:
    whole, parts = sharded(quads, shapes, k)
    assert as_multiset(merge(parts)) == as_multiset(whole)
    return len(whole)


@pytest.fixture(scope="module")
def semic() -> rdflib.Graph:
    return semic_shapes()


@pytest.fixture(scope="module")
def core() -> rdflib.Graph:
    return parse_rdflib(CORE)


@pytest.fixture(scope="module")
def generated() -> list[ox.Quad]:
    buf = io.StringIO()
    generate(600, buf, seed=7)
    return list(ox.parse(buf.getvalue().encode(), format=ox.RdfFormat.TURTLE))


@pytest.mark.parametrize("path", CATALOGUES, ids=[f"{p.parent.name}/{p.name}" for p in CATALOGUES])
def test_corpus_catalogue_shards(path: Path, semic: rdflib.Graph) -> None:
    try:
        quads = parse_quads(path)
    except (SyntaxError, OSError, ValueError):
        pytest.skip(f"{path.name} does not parse with pyoxigraph")
    assert_identical(quads, semic, 3)


@pytest.mark.parametrize("k", [2, 5])
def test_generated_catalogue_shards_semic(generated: list[ox.Quad], semic: rdflib.Graph, k: int) -> None:
    whole, parts = sharded(generated, semic, k)
    assert as_multiset(merge(parts)) == as_multiset(whole)
    # The catalogue has defects, every shard finds some, and the focus nodes of the shards are disjoint.
    assert len(whole) > 30 and all(parts)
    foci = [{r.focus for r in p if r.focus.startswith("https://example.org/ldt/dataset-")} for p in parts]
    assert sum(len(f) for f in foci) == len(set().union(*foci)) > 10
    # Each shard reports only the datasets it owns (a shard that evaluated everything would still merge right).
    assert all(Part(i, k).owns(ox.NamedNode(f)) for i, fs in enumerate(foci) for f in fs)


def test_generated_catalogue_shards_core_profile(generated: list[ox.Quad], core: rdflib.Graph) -> None:
    assert assert_identical(generated, core, 4) > 30


def test_jobs_equal_one_job(core: rdflib.Graph) -> None:
    buf = io.StringIO()
    generate(6000, buf, seed=3)
    store = prepare(ox.parse(buf.getvalue().encode(), format=ox.RdfFormat.TURTLE))
    one = validate(store, core, jobs=1)
    assert validate(store, core, jobs=2) == one
    assert validate(store, core, jobs=3) == one


def test_shard_owner_is_a_partition() -> None:
    nodes = [ox.NamedNode(f"https://example.org/n{i}") for i in range(300)] + [ox.BlankNode() for _ in range(5)]
    owners = [[i for i in range(3) if Part(i, 3).owns(n)] for n in nodes]
    assert all(len(o) == 1 for o in owners)
    assert all(o == [0] for o in owners[300:])  # blank nodes all belong to shard 0
    assert {o[0] for o in owners[:300]} == {0, 1, 2}


def test_part_bounds() -> None:
    with pytest.raises(ValueError, match="shard 3 of 3"):
        Part(3, 3)
    with pytest.raises(ValueError):
        Part(0, 257)
