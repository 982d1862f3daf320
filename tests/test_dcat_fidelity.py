"""Fidelity of our DCAT-AP profiles to the official SEMIC shapes on the real catalogues of ../shared/corpus.

One row of FIDELITY per (our profile, official shapes file): for every catalogue under shared/corpus/dcat/ that parses,
the (focus, path) pairs of our error findings from the profile's rules (e.g. DCATAP-1xx/2xx for dcat-ap-3-core) must
equal the (focus, path) pairs of the top-level sh:Violation results that pyshacl gives with the official file (no
inference). Every deliberate difference is listed, with its reason, in the profile's fidelity-exceptions.toml; an entry
that no longer matches a difference fails the test too, so the list cannot go stale.

The official side runs pyshacl directly on purpose: it is the reference, independent of our engine. Our side goes
through the product API, exactly as a user's `ldt-conform check --profile dcat-ap-3-core` would.
"""
from __future__ import annotations

import atexit
import collections
import re
import shutil
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import corpus
import pytest
from conftest import CORPUS, PROFILES, corpus_path
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.namespace import RDF, SH

from ldt_conform import api

FORMATS = {".ttl": "turtle", ".nt": "nt", ".rdf": "xml", ".jsonld": "json-ld", ".trig": "trig", ".nq": "nquads"}


@dataclass(frozen=True)
class Fidelity:
    """Our profile, the official shapes it answers to, and which of our rules' findings count."""

    profile: str
    official: Path
    rules: re.Pattern[str]
    severity: str = "error"  # ours at this severity vs the official results of the matching sh:resultSeverity
    # Compare a variant of our shapes instead of the shipped ones (a function of the shapes file's text): used where
    # our profile deliberately accepts more than the official file in one stated way, which the variant undoes.
    variant: Callable[[str], str] | None = None
    # Compare with a view of the official file (a function of its graph): used where one official file holds what our
    # family splits into profiles (GeoDCAT-AP 3.0.0's single file has the class ranges that no row here compares).
    official_view: Callable[[Graph], Graph] | None = None
    # test_the_comparison_is_not_vacuous: at least this many official violations over the corpus
    min_official: int = 100

    @property
    def official_severity(self) -> URIRef:
        return {"error": SH.Violation, "warning": SH.Warning, "info": SH.Info}[self.severity]

    @property
    def exceptions(self) -> Path:
        return PROFILES / self.profile / "fidelity-exceptions.toml"


def strict_classes(shapes: str) -> str:
    """dcat-ap-2-ranges without its two deliberate relaxations: FOAF/vCard subclasses of the range class and IRIs of the
    EU vocabulary the property names count as typed. Each such sh:or becomes the plain sh:class of the range."""
    relaxed = re.compile(r"sh:or \( \[ sh:class (\S+) \](?=[^\n]*(?:sh:pattern|foaf:Organization|vcard:Individual))[^\n]*\) ;")
    return relaxed.sub(r"sh:class \1 ;", shapes)


def strict_ranges(shapes: str) -> str:
    """dcat-ap-hvd without its stated relaxations of range classes: every `sh:or ( [ sh:class C ] ... )` of a range shape
    (subclasses, IRIs of the vocabulary the specification names, any IRI for the range rdfs:Resource, the subclasses of
    the abstract dcat:Resource) becomes the plain sh:class C of the specification's table, as the official file has it."""
    return re.sub(r"sh:or \( \[ sh:class (\S+) \][^\n]*\) ;", r"sh:class \1 ;", shapes)


def without_classes(shapes: Graph) -> Graph:
    """The official shapes without their sh:class constraints: existence, cardinalities, node kinds and datatypes, the
    part the DCAT-AP releases call "shapes" as against "range" (dcat-ap-3-ranges has no row of its own)."""
    view = Graph()
    for triple in shapes:
        if triple[1] != SH["class"]:
            view.add(triple)
    return view


def mobility_scope(shapes: Graph) -> Graph:
    """The NAPCORE mobilityDCAT-AP 1.1.0 file reduced to what mobilitydcat-ap owns: the property shapes on a property of
    the mobilityDCAT-AP namespace, or on a (class, property) that one of our MOBDCATAP rules checks. The rest of that
    file restates DCAT-AP (checked by the dcat-ap-2 family, compared with the SEMIC 2.1.1 shapes in its own rows) or adds
    SHOULD-level checks (sh:languageIn, sh:uniqueLang, EU vocabulary patterns); see the exceptions file's header."""
    ours = Graph().parse(PROFILES / "mobilitydcat-ap" / "shapes" / "catalogue.ttl")
    for part in ("catalogue-record", "dataset", "distribution", "supporting-classes"):
        ours.parse(PROFILES / "mobilitydcat-ap" / "shapes" / f"{part}.ttl")
    owned = {(ours.value(s, SH.targetClass), ours.value(s, SH.path)) for s in ours.subjects(SH.path, None)}
    valued = {(ours.value(s, SH.targetClass), ours.value(s, SH.path)) for s in ours.subjects(SH.path, None)
              if not str(s).endswith("-count")}  # pairs whose values (not only their number) we check
    view = Graph()
    for triple in shapes:
        view.add(triple)
    for node, _p, prop in list(shapes.triples((None, SH.property, None))):
        path = shapes.value(prop, SH.path)
        classes = set(shapes.objects(node, SH.targetClass))
        own_term = str(path).startswith("https://w3id.org/mobilitydcat-ap#")
        if not (own_term or any((c, path) in owned for c in classes)):
            view.remove((node, SH.property, prop))
        elif not own_term and not any((c, path) in valued for c in classes):
            # On a DCAT-AP property mobilityDCAT-AP changes the obligation or cardinality; its range and vocabulary stay
            # the base profile's (dcat-ap-2-core node kinds, dcat-ap-2-vocabularies), so only counts are compared.
            for constraint in (SH.nodeKind, SH["or"], SH.pattern, SH.languageIn, SH.uniqueLang, SH.minLength, SH.datatype):
                view.remove((prop, constraint, None))
    return view


FIDELITY = [
    # the ITB "Base" validation type of DCAT-AP 3.0.1
    Fidelity("dcat-ap-3-core", CORPUS / "shapes" / "dcat-ap-3.0.1" / "split" / "shapes.ttl", re.compile(r"^DCATAP-[12]\d\d$")),
    # "existence, domain and literal range, and cardinalities" of DCAT-AP 2.1.1 (class ranges are in the range file)
    Fidelity("dcat-ap-2-core", CORPUS / "shapes" / "dcat-ap-2.1.1" / "dcat-ap_2.1.1_shacl_shapes.ttl",
             re.compile(r"^DCATAP2-[12]\d\d$")),
    # recommended properties of DCAT-AP 2.1.1: missing ones are warnings on both sides
    Fidelity("dcat-ap-2-recommended", CORPUS / "shapes" / "dcat-ap-2.1.1" / "dcat-ap_2.1.1_shacl_shapes_recommended.ttl",
             re.compile(r"^DCATAP2-4\d\d$"), "warning"),
    # object ranges of DCAT-AP 2.1.1; test_ranges_only_relax_the_strict_variant checks the shipped profile against it
    Fidelity("dcat-ap-2-ranges", CORPUS / "shapes" / "dcat-ap-2.1.1" / "dcat-ap_2.1.1_shacl_range.ttl",
             re.compile(r"^DCATAP2-3\d\d$"), variant=strict_classes),
    # DCAT-AP HVD 3.0.0: mandatory properties, cardinalities and ranges (HVD-1xx/3xx; the 4xx usage guidelines are warnings)
    Fidelity("dcat-ap-hvd", CORPUS / "shapes" / "dcat-ap-hvd-3.0.0" / "hvd-SHACL.ttl", re.compile(r"^HVD-[13]\d\d$"),
             variant=strict_ranges),
    # GeoDCAT-AP 3.0.0's single file restates DCAT-AP 3 and adds its own properties: dcat-ap-3-core's rules and ours
    Fidelity("geodcat-ap-3", CORPUS / "shapes" / "geodcat-ap-3.0.0" / "geodcat-ap-SHACL.ttl",
             re.compile(r"^(DCATAP-[12]\d\d|GEODCATAP3-[12]\d\d)$"), official_view=without_classes),
    # GeoDCAT-AP 2.0.0's file holds only what it adds to DCAT-AP 2 (the DCAT-AP 2 rows compare the rest)
    Fidelity("geodcat-ap-2", CORPUS / "shapes" / "geodcat-ap-2.0.0" / "geodcat-ap.shacl.ttl",
             re.compile(r"^GEODCATAP2-[12]\d\d$"), official_view=without_classes, min_official=40),
    # mobilityDCAT-AP 1.1.0: NAPCORE's "basic validation" shapes (mobilityDCAT-AP/validation), on what we own
    Fidelity("mobilitydcat-ap", CORPUS / "shapes" / "mobilitydcat-ap-1.1.0" / "mobilitydcat-ap-shacl.ttl",
             re.compile(r"^(MOBDCATAP-[125]\d\d|DCATAP2-121)$"), official_view=mobility_scope),
]
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


def top_level_results(report: Graph) -> set[object]:
    """The report's own sh:result entries. Results nested under sh:detail (pyshacl's explanations of a failed sh:node,
    sh:not or sh:qualifiedValueShape) describe why a top-level result failed; they are not violations of their own
    and would count one defect several times (test_nested_details_are_not_counted)."""
    top = {r for validation in report.subjects(RDF.type, SH.ValidationReport) for r in report.objects(validation, SH.result)}
    assert top <= set(report.subjects(RDF.type, SH.ValidationResult))
    return top


def _official(graph: Graph, shapes: Graph, severity: URIRef = SH.Violation) -> set[Pair]:
    import pyshacl

    _conforms, report, _text = pyshacl.validate(graph, shacl_graph=shapes, inference="none", advanced=False)
    pairs = set()
    for result in top_level_results(report):
        if report.value(result, SH.resultSeverity) != severity:
            continue
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        # a node shape's result has no path; ours then reports path None, compared as ""
        pairs.add((BLANK + str(focus) if isinstance(focus, BNode) else str(focus), "" if path is None else str(path)))
    return pairs


_VARIANTS: dict[str, str] = {}


def _profile_ref(fidelity: Fidelity) -> str:
    """The shipped profile id, or the manifest of a temporary copy whose shapes went through fidelity.variant."""
    if fidelity.variant is None:
        return fidelity.profile
    if fidelity.profile not in _VARIANTS:
        folder = tempfile.mkdtemp(prefix=f"fidelity-{fidelity.profile}-")
        # the copy outlives the test that made it (other tests reuse it), so the process removes it on exit
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        copy = Path(folder) / fidelity.profile
        shutil.copytree(PROFILES / fidelity.profile, copy)
        for shapes in (copy / "shapes").glob("*.ttl"):
            text = shapes.read_text(encoding="utf-8")
            changed = fidelity.variant(text)
            assert changed != text, f"{fidelity.profile}: the variant changes nothing in {shapes.name}"
            shapes.write_text(changed, encoding="utf-8")
        _VARIANTS[fidelity.profile] = str(copy / "profile.toml")
    return _VARIANTS[fidelity.profile]


def _ours(path: Path, fidelity: Fidelity, shipped: bool = False) -> set[Pair]:
    report = api.check_files([str(path)], profile=fidelity.profile if shipped else _profile_ref(fidelity))
    assert not [f for f in report.findings if f.rule.startswith("LC-")], \
        f"tool findings on {path.name}: {[(f.rule, f.message) for f in report.findings if f.rule.startswith('LC-')]}"
    return {(f.focus, f.path or "") for f in report.findings
            if fidelity.rules.match(f.rule) and f.severity.value == fidelity.severity}


def _exceptions(fidelity: Fidelity) -> dict[str, dict[str, set[Pair]]]:
    table: dict[str, dict[str, set[Pair]]] = collections.defaultdict(lambda: {"ours": set(), "official": set()})
    data = tomllib.loads(fidelity.exceptions.read_text(encoding="utf-8"))
    for entry in data.get("exception", []):
        assert entry.get("reason", "").strip(), f"exception without a reason: {entry}"
        assert entry["side"] in ("ours", "official"), entry
        if entry["focus"] == BLANK:
            continue  # blank-node foci are compared as counts per path: _blank_exceptions
        table[entry["file"]][entry["side"]].add((entry["focus"], entry["path"]))
    return table


def _blank_exceptions(fidelity: Fidelity, file: str) -> dict[str, collections.Counter[str]]:
    """Entries with focus "_:" and a count: that many more blank-node findings on that path on one side."""
    allowed: dict[str, collections.Counter[str]] = {"ours": collections.Counter(), "official": collections.Counter()}
    data = tomllib.loads(fidelity.exceptions.read_text(encoding="utf-8"))
    for entry in data.get("exception", []):
        if entry["file"] == file and entry["focus"] == BLANK:
            allowed[entry["side"]][entry["path"]] += int(entry.get("count", 1))
    return allowed


_SHAPES: dict[tuple[Path, object], Graph] = {}
_GRAPHS: dict[Path, Graph | None] = {}


def _shapes(fidelity: Fidelity) -> Graph:
    key = (fidelity.official, fidelity.official_view)
    if key not in _SHAPES:
        official = corpus_path(*fidelity.official.relative_to(CORPUS).parts)  # skip, or fail under CI, when absent
        graph = Graph().parse(official, format="turtle")
        _SHAPES[key] = fidelity.official_view(graph) if fidelity.official_view else graph
    return _SHAPES[key]


def _graph(path: Path) -> Graph | None:
    if path not in _GRAPHS:
        _GRAPHS[path] = _parse(path)
    return _GRAPHS[path]


_OFFICIAL: dict[tuple[Path, object, Path, URIRef], set[Pair]] = {}
_OURS: dict[tuple[Path, str, bool], set[Pair]] = {}


def _official_on(path: Path, fidelity: Fidelity) -> set[Pair]:
    """_official on a corpus catalogue, once per session for each official shapes view: the vacuity test and the
    comparison of a row ask pyshacl the same question (a returned set is never changed by its callers)."""
    key = (fidelity.official, fidelity.official_view, path, fidelity.official_severity)
    if key not in _OFFICIAL:
        graph = _graph(path)
        assert graph is not None
        _OFFICIAL[key] = _official(graph, _shapes(fidelity), fidelity.official_severity)
    return _OFFICIAL[key]


def _ours_on(path: Path, fidelity: Fidelity, shipped: bool = False) -> set[Pair]:
    """_ours on a corpus catalogue, once per session per profile: rows with a variant compare it twice."""
    key = (path, fidelity.profile if shipped else _profile_ref(fidelity), shipped)
    if key not in _OURS:
        _OURS[key] = _ours(path, fidelity, shipped)
    return _OURS[key]


@pytest.mark.parametrize("fidelity", FIDELITY, ids=lambda f: f.profile)
def test_the_comparison_is_not_vacuous(fidelity: Fidelity) -> None:
    """Most of the corpus must parse and yield official violations; otherwise 'equal sets' would prove nothing."""
    _shapes(fidelity)  # the official file: skipped, or failed under CI, when the corpus is absent
    parsed = [p for p in _catalogues() if _graph(p) is not None]
    assert len(parsed) >= 10, f"only {len(parsed)} corpus catalogues parse"
    assert sum(len(_official_on(p, fidelity)) for p in parsed) > fidelity.min_official


@pytest.mark.parametrize("fidelity", FIDELITY, ids=lambda f: f.profile)
def test_exceptions_file_is_well_formed(fidelity: Fidelity) -> None:
    table = _exceptions(fidelity)
    for file in table:
        assert (CORPUS / file).suffix in FORMATS, f"{file}: not a catalogue of the corpus"


@pytest.mark.parametrize("fidelity", FIDELITY, ids=lambda f: f.profile)
@pytest.mark.parametrize("path", _catalogues(), ids=lambda p: str(p.relative_to(CORPUS / "dcat")))
def test_core_findings_match_official_shapes(path: Path, fidelity: Fidelity) -> None:
    _shapes(fidelity)  # the official file: skipped, or failed under CI, when the corpus is absent
    graph = _graph(path)
    if graph is None:
        pytest.skip(f"{path.name} does not parse (an upstream syntax error); nothing to compare")
    relative = path.relative_to(CORPUS).as_posix()
    allowed = _exceptions(fidelity).get(relative, {"ours": set(), "official": set()})
    name = f"{fidelity.profile}/{fidelity.exceptions.name}"

    official, ours = _official_on(path, fidelity), _ours_on(path, fidelity)
    official_named, official_blank = _split(official)
    ours_named, ours_blank = _split(ours)

    only_ours, only_official = ours_named - official_named, official_named - ours_named
    assert only_ours == allowed["ours"], (
        f"{relative}: pairs only we report, not listed in {name}: {sorted(only_ours - allowed['ours'])}; "
        f"listed but no longer a difference: {sorted(allowed['ours'] - only_ours)}")
    assert only_official == allowed["official"], (
        f"{relative}: pairs only the official shapes report, not listed in {name}: "
        f"{sorted(only_official - allowed['official'])}; listed but no longer a difference: "
        f"{sorted(allowed['official'] - only_official)}")
    blank_allowed = _blank_exceptions(fidelity, relative)
    assert (ours_blank - official_blank, official_blank - ours_blank) == (blank_allowed["ours"], blank_allowed["official"]), (
        f"{relative}: blank-node findings per path differ beyond {name}: ours {ours_blank}, official {official_blank}")


@pytest.mark.parametrize("fidelity", [f for f in FIDELITY if f.variant], ids=lambda f: f.profile)
@pytest.mark.parametrize("path", _catalogues(), ids=lambda p: str(p.relative_to(CORPUS / "dcat")))
def test_shipped_profile_only_relaxes_its_variant(path: Path, fidelity: Fidelity) -> None:
    """The shipped profile reports a subset of what the compared variant reports: its departures only accept more."""
    if _graph(path) is None:
        pytest.skip(f"{path.name} does not parse (an upstream syntax error); nothing to compare")
    shipped, variant = _ours_on(path, fidelity, shipped=True), _ours_on(path, fidelity)
    assert shipped <= variant, f"{path.name}: the shipped {fidelity.profile} reports what its variant does not: {sorted(shipped - variant)}"
    shipped_blank, variant_blank = _split(shipped)[1], _split(variant)[1]
    assert not shipped_blank - variant_blank, f"{path.name}: more blank-node findings than the variant: {shipped_blank - variant_blank}"


def _departures(fidelity: Fidelity) -> list[dict[str, object]]:
    """`[[departure]]` entries: a difference of the shapes themselves, shown on a minimal catalogue (`data`, Turtle with
    the case prefixes of ldt_conform/cases.py), whether or not a corpus catalogue happens to exhibit it."""
    data = tomllib.loads(fidelity.exceptions.read_text(encoding="utf-8"))
    departures = data.get("departure", [])
    for entry in departures:
        assert set(entry) == {"name", "data", "focus", "path", "side", "rules", "reason"}, entry
        assert str(entry["reason"]).strip() and entry["side"] in ("ours", "official"), entry
    return departures


@pytest.mark.parametrize("fidelity", FIDELITY, ids=lambda f: f.profile)
def test_listed_departures_hold(fidelity: Fidelity, tmp_path: Path) -> None:
    """Each listed departure shows on its minimal catalogue exactly as listed: that one pair on that side, nothing else.
    A departure that stops being one, or brings an unlisted difference with it, fails."""
    from ldt_conform.cases import turtle_prefixes

    shapes = _shapes(fidelity)
    for entry in _departures(fidelity):
        file = tmp_path / f"{entry['name']}.ttl"
        file.write_text(turtle_prefixes() + str(entry["data"]), encoding="utf-8")
        graph = Graph().parse(file, format="turtle")
        official, ours = _official(graph, shapes, fidelity.official_severity), _ours(file, fidelity)
        pair = {(str(entry["focus"]), str(entry["path"]))}
        expected = (pair, set()) if entry["side"] == "ours" else (set(), pair)
        assert (ours - official, official - ours) == expected, (
            f"{fidelity.exceptions.name} departure {entry['name']}: (only ours, only official) = "
            f"{(sorted(ours - official), sorted(official - ours))}, listed {expected}")


def test_nested_details_are_not_counted() -> None:
    """A failed sh:node gives one top-level result and, in pyshacl, one sh:detail result per failed constraint of the
    node shape: the comparison counts the one defect once."""
    import pyshacl

    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:R ; sh:property [ sh:path ex:p ; sh:node ex:T ] .
        ex:T a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:minCount 1 ] , [ sh:path ex:r ; sh:minCount 1 ] .
        """, format="turtle")
    graph = Graph().parse(data="@prefix ex: <http://example.org/> . ex:a a ex:R ; ex:p ex:b .", format="turtle")
    _conforms, report, _text = pyshacl.validate(graph, shacl_graph=shapes, inference="none", advanced=False)
    # Not vacuous: pyshacl really nests two detail results (ex:b lacks ex:q and ex:r) under the top-level one.
    assert len(set(report.subjects(RDF.type, SH.ValidationResult))) == 3
    assert len(set(report.objects(None, SH.detail))) == 2
    assert len(top_level_results(report)) == 1
    assert _official(graph, shapes) == {("http://example.org/a", "http://example.org/p")}
