"""Differential tests: the fast engine and pyshacl must return identical result sets."""

from __future__ import annotations

import io
import sys
import tomllib
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib

from ldt_conform.shacl_fast import ShaclResult, unsupported_shapes, validate
from ldt_conform.shacl_fast.pyshacl_adapter import results_from_pyshacl
from shacl_corpus import REPO, corpus_files, diff_text, parse_quads, parse_rdflib, project, semic_shapes

sys.path.insert(0, str(REPO / "benchmarks"))
from generate_catalogue import generate  # noqa: E402

CATALOGUES = [p for p in corpus_files("dcat") if p.suffix.lower() in (".ttl", ".rdf", ".nt", ".jsonld", ".xml")]
PROFILES = REPO / "profiles"
PROFILE_SHAPES = sorted({p.parent.parent for p in PROFILES.glob("**/shapes/*.ttl")})


def profile_shape_files(profile_dir: Path, seen: frozenset[Path] = frozenset()) -> list[Path]:
    """The SHACL files of a shipped profile, following `extends` to shipped parents; shapes/*.ttl otherwise."""
    manifest = profile_dir / "profile.toml"
    if not manifest.is_file() or profile_dir in seen:
        return sorted(profile_dir.glob("shapes/*.ttl"))
    data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    files = [profile_dir / f for f in data.get("shacl", {}).get("files", [])] or sorted(profile_dir.glob("shapes/*.ttl"))
    parent = data.get("extends")
    if isinstance(parent, str) and (PROFILES / parent).is_dir():
        files = profile_shape_files(PROFILES / parent, seen | {profile_dir}) + files
    return list(dict.fromkeys(files))


def _try_parse(path: Path) -> list[ox.Quad] | None:
    try:
        return parse_quads(path)
    except (SyntaxError, OSError, ValueError):
        return None


def to_rdflib(quads: list[ox.Quad]) -> rdflib.Graph:
    """The same triples as an rdflib Graph (union of graphs), via N-Triples so both engines see identical data."""
    buf = io.BytesIO()
    ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], buf, format=ox.RdfFormat.N_TRIPLES)
    g = rdflib.Graph()
    g.parse(data=buf.getvalue().decode("utf-8"), format="nt")
    return g


def run_pyshacl(quads: list[ox.Quad], shapes: rdflib.Graph) -> list[ShaclResult]:
    _, report, _ = pyshacl.validate(to_rdflib(quads), shacl_graph=shapes, inference="none", advanced=False)
    return results_from_pyshacl(report, shapes)


def assert_same(quads: list[ox.Quad], shapes: rdflib.Graph) -> int:
    skip = frozenset(unsupported_shapes(shapes))
    fast = project(validate(quads, shapes, skip_shapes=skip))
    ref = project(r for r in run_pyshacl(quads, shapes) if r.source_shape not in skip)
    assert fast == ref, diff_text(fast, ref)
    return sum(ref.values())


@pytest.fixture(scope="module")
def semic() -> rdflib.Graph:
    return semic_shapes()


@pytest.mark.slow
@pytest.mark.parametrize("path", CATALOGUES, ids=[f"{p.parent.name}/{p.name}" for p in CATALOGUES])
def test_corpus_catalogue_semic(path: Path, semic: rdflib.Graph) -> None:
    quads = _try_parse(path)
    if quads is None:
        pytest.skip(f"{path.name} does not parse with pyoxigraph")
    assert_same(quads, semic)


@pytest.mark.parametrize("n,seed", [(0, 1), (40, 7), (150, 42)])
def test_generated_catalogue_semic(n: int, seed: int, semic: rdflib.Graph) -> None:
    buf = io.StringIO()
    generate(n, buf, seed=seed)
    quads = list(ox.parse(buf.getvalue(), format=ox.RdfFormat.TURTLE))
    count = assert_same(quads, semic)
    if n:
        assert count > 0  # the generator's defects must be seen by both engines


@pytest.mark.slow
@pytest.mark.parametrize("profile_dir", PROFILE_SHAPES, ids=[p.name for p in PROFILE_SHAPES])
def test_profile_shapes(profile_dir: Path) -> None:
    shapes = parse_rdflib(profile_shape_files(profile_dir))
    for path in CATALOGUES:
        quads = _try_parse(path)
        if quads is not None:
            assert_same(quads, shapes)
    buf = io.StringIO()
    generate(60, buf, seed=3)
    assert_same(list(ox.parse(buf.getvalue(), format=ox.RdfFormat.TURTLE)), shapes)
