"""Helpers for the shacl_fast tests: locating ../shared/corpus, loading graphs both ways, comparing result sets."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import rdflib.util

from ldt_conform.shacl_fast.result import ShaclResult
from ldt_conform.shacl_fast.terms import rdflib_term_str

import corpus as _corpus

REPO = Path(__file__).resolve().parents[2]
CORPUS = _corpus.root() or _corpus.LOCAL
SEMIC_SPLIT = CORPUS / "shapes" / "dcat-ap-3.0.1" / "split"
SEMIC_FILES = ("shapes.ttl", "range.ttl", "shapes_recommended.ttl", "deprecateduris.ttl")

FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".rdf": ox.RdfFormat.RDF_XML,
           ".xml": ox.RdfFormat.RDF_XML, ".jsonld": ox.RdfFormat.JSON_LD, ".nq": ox.RdfFormat.N_QUADS,
           ".trig": ox.RdfFormat.TRIG, ".n3": ox.RdfFormat.N3}
RDFLIB_FORMATS = {".ttl": "turtle", ".nt": "nt", ".rdf": "xml", ".xml": "xml", ".jsonld": "json-ld",
                  ".nq": "nquads", ".trig": "trig", ".n3": "n3"}


def corpus_dir(*parts: str) -> Path:
    """A directory of the test corpus (skipped with the one reason, or failed under CI, when it is not available)."""
    return _corpus.require().joinpath(*parts)


def corpus_files(*parts: str, suffixes: tuple[str, ...] = ()) -> list[Path]:
    """For parametrisation at collection time: the pinned files (tests/corpus-pins.txt), the same set whether or
    not the corpus is here; each test then needs corpus_dir() (skip or fail when absent)."""
    return [CORPUS / rel for rel in _corpus.files(*parts, suffixes=suffixes)]


def parse_quads(path: Path) -> list[ox.Quad]:
    return list(ox.parse(path=str(path), format=FORMATS[path.suffix.lower()], base_iri=path.as_uri()))


def parse_rdflib(paths: Iterable[Path]) -> rdflib.Graph:
    """A shapes graph read as the product reads one: literal forms kept (read_shapes)."""
    from ldt_conform.shacl_fast.shapes import read_shapes

    return read_shapes((p.as_uri(), RDFLIB_FORMATS[p.suffix.lower()]) for p in paths)


def semic_shapes() -> rdflib.Graph:
    corpus_dir()
    return parse_rdflib(SEMIC_SPLIT / f for f in SEMIC_FILES)


def norm_term(s: str | None) -> str | None:
    """Project a rendered term for comparison: blank nodes lose their label, literals get rdflib's normal form."""
    if s is None:
        return None
    if s.startswith("_:"):
        return "_:"
    if s.startswith('"'):
        log = logging.getLogger("rdflib.term")
        level = log.level
        log.setLevel(logging.CRITICAL)  # rdflib logs a traceback for every ill-typed literal
        try:
            return rdflib_term_str(rdflib.util.from_n3(s))
        except Exception:  # noqa: BLE001 - an unparsable form is compared verbatim
            return s
        finally:
            log.setLevel(level)
    return s


def project(results: Iterable[ShaclResult], with_message: bool = True) -> Counter[tuple[str | None, ...]]:
    return Counter(
        (norm_term(r.focus), r.path, norm_term(r.value), norm_term(r.source_shape), r.component, r.severity,
         r.message if with_message else None)
        for r in results
    )


def diff_text(fast: Counter, ref: Counter, limit: int = 15) -> str:
    only_f = list((fast - ref).elements())[:limit]
    only_r = list((ref - fast).elements())[:limit]
    return "\n".join(["only fast engine:"] + [f"  {x}" for x in only_f] + ["only reference:"] + [f"  {x}" for x in only_r])
