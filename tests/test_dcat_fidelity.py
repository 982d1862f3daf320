"""Fidelity of dcat-ap-3-core to the official SEMIC DCAT-AP 3.0.1 shapes on the real catalogues of ../shared/corpus.

For every catalogue under shared/corpus/dcat/ that parses, the (focus, path) pairs of our error findings from the
mandatory and datatype rules (DCATAP-1xx, DCATAP-2xx) must equal the (focus, path) pairs of the sh:Violation results
that pyshacl gives with the official split/shapes.ttl (the ITB "Base" validation type, no inference). Every deliberate
difference is listed, with its reason, in profiles/dcat-ap-3-core/fidelity-exceptions.toml; an entry that no longer
matches a difference fails the test too, so the list cannot go stale.

The official side runs pyshacl directly on purpose: it is the reference, independent of our engine. Our side goes
through the product API, exactly as a user's `ldt-conform check --profile dcat-ap-3-core` would.
"""
from __future__ import annotations

import collections
import re
import tomllib
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph
from rdflib.namespace import RDF, SH

import corpus
from conftest import CORPUS, PROFILES, corpus_path
from ldt_conform import api

EXCEPTIONS = PROFILES / "dcat-ap-3-core" / "fidelity-exceptions.toml"
FORMATS = {".ttl": "turtle", ".nt": "nt", ".rdf": "xml", ".jsonld": "json-ld", ".trig": "trig", ".nq": "nquads"}
CORE_RULE = re.compile(r"^DCATAP-[12]\d\d$")
BLANK = "_:"  # blank-node labels differ between two parses: blank foci are compared as a count per path

Pair = tuple[str, str]


def _catalogues() -> list[Path]:
    """The pinned corpus catalogues (tests/corpus-pins.txt): the same set whether or not the corpus is here."""
    return [CORPUS / rel for rel in corpus.files("dcat", suffixes=tuple(FORMATS))]


def _parse(path: Path) -> Graph | None:
    """Every triple of the file, named graphs merged (geodcat-ap/dataset.jsonld keeps all of them in one); None if invalid."""
    dataset = Dataset()
    try:
        dataset.parse(str(path), format=FORMATS[path.suffix], publicID=path.resolve().as_uri())
    except Exception:  # noqa: BLE001 - an upstream syntax error just takes the file out of the comparison
        return None
    graph = Graph()
    for s, p, o, _ctx in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def _split(pairs: set[Pair]) -> tuple[set[Pair], collections.Counter[str]]:
    named = {pair for pair in pairs if not pair[0].startswith(BLANK)}
    blank = collections.Counter(path for focus, path in pairs if focus.startswith(BLANK))
    return named, blank


def _official(graph: Graph, shapes: Graph) -> set[Pair]:
    import pyshacl

    _conforms, report, _text = pyshacl.validate(graph, shacl_graph=shapes, inference="none", advanced=False)
    pairs = set()
    # Only the report's own sh:result entries: results nested under sh:detail (pyshacl's sh:node explanations) are
    # details of a top-level result, not violations of their own.
    top = {r for validation in report.subjects(RDF.type, SH.ValidationReport) for r in report.objects(validation, SH.result)}
    assert top <= set(report.subjects(RDF.type, SH.ValidationResult))
    for result in top:
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        pairs.add((BLANK + str(focus) if isinstance(focus, BNode) else str(focus), str(path)))
    return pairs


def _ours(path: Path) -> set[Pair]:
    report = api.check_files([str(path)], profile="dcat-ap-3-core")
    assert not [f for f in report.findings if f.rule.startswith("LC-")], \
        f"tool findings on {path.name}: {[(f.rule, f.message) for f in report.findings if f.rule.startswith('LC-')]}"
    return {(f.focus, f.path or "") for f in report.findings
            if CORE_RULE.match(f.rule) and f.severity.value == "error"}


def _exceptions() -> dict[str, dict[str, set[Pair]]]:
    table: dict[str, dict[str, set[Pair]]] = collections.defaultdict(lambda: {"ours": set(), "official": set()})
    data = tomllib.loads(EXCEPTIONS.read_text(encoding="utf-8"))
    for entry in data.get("exception", []):
        assert entry.get("reason", "").strip(), f"exception without a reason: {entry}"
        assert entry["side"] in ("ours", "official"), entry
        table[entry["file"]][entry["side"]].add((entry["focus"], entry["path"]))
    return table


@pytest.fixture(scope="module")
def official_shapes() -> Graph:
    return Graph().parse(corpus_path("shapes", "dcat-ap-3.0.1", "split", "shapes.ttl"), format="turtle")


def test_the_comparison_is_not_vacuous(official_shapes: Graph) -> None:
    """Most of the corpus must parse and yield official violations; otherwise 'equal sets' would prove nothing."""
    graphs = [g for g in (_parse(p) for p in _catalogues()) if g is not None]
    assert len(graphs) >= 10, f"only {len(graphs)} corpus catalogues parse"
    assert sum(len(_official(g, official_shapes)) for g in graphs) > 100


def test_exceptions_file_is_well_formed() -> None:
    table = _exceptions()
    for file in table:
        assert (CORPUS / file).suffix in FORMATS, f"{file}: not a catalogue of the corpus"


@pytest.mark.parametrize("path", _catalogues(), ids=lambda p: str(p.relative_to(CORPUS / "dcat")))
def test_core_findings_match_official_shapes(path: Path, official_shapes: Graph) -> None:
    graph = _parse(path)
    if graph is None:
        pytest.skip(f"{path.name} does not parse (an upstream syntax error); nothing to compare")
    relative = path.relative_to(CORPUS).as_posix()
    allowed = _exceptions().get(relative, {"ours": set(), "official": set()})

    official, ours = _official(graph, official_shapes), _ours(path)
    official_named, official_blank = _split(official)
    ours_named, ours_blank = _split(ours)

    only_ours, only_official = ours_named - official_named, official_named - ours_named
    assert only_ours == allowed["ours"], (
        f"{relative}: pairs only we report, not listed in {EXCEPTIONS.name}: {sorted(only_ours - allowed['ours'])}; "
        f"listed but no longer a difference: {sorted(allowed['ours'] - only_ours)}")
    assert only_official == allowed["official"], (
        f"{relative}: pairs only the official shapes report, not listed in {EXCEPTIONS.name}: "
        f"{sorted(only_official - allowed['official'])}; listed but no longer a difference: "
        f"{sorted(allowed['official'] - only_official)}")
    assert ours_blank == official_blank, f"{relative}: blank-node findings per path differ: ours {ours_blank}, official {official_blank}"
