"""The score's graph reading in a forked child (quality_fork.py): the same graph and facts as reading them in the
parent, and every way the child can fail falling back to the parent. The pinned corpus scores through the child are
tests/test_quality.py::test_scores_equal_those_of_the_sparql_implementation[...-read-ahead]."""
from __future__ import annotations

import gc
import os
import pickle
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from ldt_conform import api, quality_fork
from ldt_conform import quality_graph as qg
from ldt_conform.shacl_fast.data import Prepared

HERE = Path(__file__).parent
PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix ft: <http://publications.europa.eu/resource/authority/file-type/> .
"""
# Everything `index` and `facts` distinguish: an IRI and a blank dataset, a blank distribution shared by two
# datasets, a literal distribution, titles in two languages, a format IRI, a literal format, no format, and a
# distribution of a node that is no dataset.
TRICKY = PREFIXES + """
<http://ex/d1> a dcat:Dataset ; dct:title "Eins"@de, "One"@en ; dcat:keyword "k" ;
  dcat:distribution <http://ex/x1>, _:shared, "a literal distribution" .
_:blankds a dcat:Dataset ; dct:title "Blank" ; dcat:distribution _:shared, <http://ex/x2> .
<http://ex/x1> a dcat:Distribution ; dct:format ft:CSV ; dcat:accessURL <http://ex/a1> .
_:shared a dcat:Distribution ; dct:format "csv" ; dct:license <http://ex/lic> .
<http://ex/x2> a dcat:Distribution ; dcat:accessURL <http://ex/a2> .
<http://ex/other> dcat:distribution <http://ex/x3> .
<http://ex/x3> dct:format ft:PDF .
"""


def _prepared(text: str, fmt: ox.RdfFormat = ox.RdfFormat.TURTLE) -> Prepared:
    store = ox.Store()
    store.load(text.encode(), format=fmt)
    return Prepared(store)


class _Target:
    """What `start` reads of a parsed target: its prepared store and its triple count."""

    def __init__(self, prepared: Prepared, triples: int = 10**6) -> None:
        self.prepared, self.triple_count = prepared, triples


def _same_graph(got: qg.Graph, expected: qg.Graph) -> None:
    assert got.datasets == expected.datasets
    assert got.dists == expected.dists
    assert got.titles == expected.titles
    assert got.literal_dists == expected.literal_dists
    assert got.union is expected.union
    assert {x: sorted(rows) for x, rows in got.dist_rows.items()} == \
        {x: sorted(rows) for x, rows in expected.dist_rows.items()}


@pytest.mark.parametrize("fmt", ["turtle", "trig"])
def test_the_childs_scan_is_the_parents_index_and_facts(fmt: str) -> None:
    """Through pickle, as the child sends it: the same datasets, distributions, titles, rows and facts, for every
    subset of properties and valued properties a run can ask (fewer when a lookup artefact is missing)."""
    text = TRICKY if fmt == "turtle" else PREFIXES + "<http://ex/g> { " + TRICKY[len(PREFIXES):] + " }"
    store = _prepared(text, ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.TRIG).store
    expected = qg.index(store)
    got = quality_fork.graph_of(store, pickle.loads(pickle.dumps(quality_fork.scan(store))))
    _same_graph(got, expected)
    assert got.union is (fmt == "trig")
    assert got.datasets[0] == "http://ex/d1" and got.datasets[1].startswith("_:")
    assert got.literal_dists == {"http://ex/d1": 1}
    assert got.titles["http://ex/d1"] == "One"
    properties, valued = quality_fork.wanted()
    fmt_iri, keyword = "http://purl.org/dc/terms/format", "http://www.w3.org/ns/dcat#keyword"
    assert fmt_iri in valued and keyword in properties and keyword not in valued
    for asked_valued in (set(valued), set(), {fmt_iri}):
        assert got.prefetched is not None
        assert qg.facts(got, properties, asked_valued) == qg.facts(expected, properties, asked_valued)
    shared = expected.dists["http://ex/d1"][1]
    assert qg.facts(got, [fmt_iri], {fmt_iri})[fmt_iri] == {
        ox.NamedNode("http://publications.europa.eu/resource/authority/file-type/CSV"): {"http://ex/x1"},
        ox.NamedNode("http://publications.europa.eu/resource/authority/file-type/PDF"): {"http://ex/x3"},
        qg.NOT_IRI: {shared}}
    assert qg.facts(got, [keyword], set())[keyword] == {qg.NOT_IRI: {"http://ex/d1"}}
    # asked without values, a valued property has all its nodes under one group
    assert qg.facts(got, [fmt_iri], set())[fmt_iri] == {qg.NOT_IRI: {"http://ex/x1", "http://ex/x3", shared}}


def test_a_question_the_read_ahead_does_not_cover_is_asked_of_the_store() -> None:
    """A property read without its values, then asked with them (or never read), is not answered from the child's
    facts but from the store."""
    store = _prepared(TRICKY).store
    fmt_iri = "http://purl.org/dc/terms/format"
    ahead = qg.Prefetched({fmt_iri: {qg.NOT_IRI: {"http://ex/x1"}}}, frozenset())
    assert ahead.answer([fmt_iri], {fmt_iri}) is None
    assert ahead.answer(["http://ex/unread"], set()) is None
    assert ahead.answer([fmt_iri], set()) == {fmt_iri: {qg.NOT_IRI: {"http://ex/x1"}}}
    graph = qg.index(store)
    graph.prefetched = ahead
    assert qg.facts(graph, [fmt_iri], {fmt_iri})[fmt_iri][qg.NOT_IRI] == {qg.index(store).dists["http://ex/d1"][1]}


def test_start_forks_one_child_that_delivers_every_target() -> None:
    first, second = _prepared(TRICKY), _prepared(PREFIXES + '<http://ex/z> a dcat:Dataset ; dct:title "Z" .')
    targets = [_Target(first), _Target(second)]
    pending = quality_fork.start(targets, min_triples=0)
    assert pending is not None and pending.pid > 0
    _same_graph(pending.graph(targets[0]), qg.index(first.store))  # type: ignore[arg-type]
    z = pending.graph(targets[1])
    assert z is not None and z.datasets == ["http://ex/z"] and z.titles == {"http://ex/z": "Z"}
    with pytest.raises(ChildProcessError):  # collected and reaped
        os.waitpid(pending.pid, os.WNOHANG)


def test_no_fork_when_small_on_disk_or_nothing_to_score(tmp_path: Path) -> None:
    prepared = _prepared(TRICKY)
    assert quality_fork.start([_Target(prepared, triples=10)]) is None  # below MIN_TRIPLES
    assert quality_fork.start([_Target(prepared, triples=quality_fork.MIN_TRIPLES)]) is not None
    on_disk = Prepared(ox.Store(str(tmp_path / "store")), on_disk=True)
    assert quality_fork.start([_Target(prepared), _Target(on_disk)], min_triples=0) is None
    assert quality_fork.start([object()], min_triples=0) is None  # payloads, APIs: no store


def test_a_child_that_fails_delivers_nothing_and_the_parent_reads_the_store(monkeypatch: pytest.MonkeyPatch) -> None:
    prepared = _prepared(TRICKY)

    def broken(store: ox.Store) -> Any:
        raise RuntimeError("the child fails")

    monkeypatch.setattr(quality_fork, "scan", broken)  # the forked child runs this copy
    target = _Target(prepared)
    pending = quality_fork.start([target], min_triples=0)
    assert pending is not None and pending.graph(target) is None


def test_a_child_that_sends_something_else_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    one, two = _prepared(TRICKY), _prepared(TRICKY)
    real = quality_fork.scan
    monkeypatch.setattr(quality_fork, "scan", lambda store: "not a scan" if store is one.store else real(store))
    targets = [_Target(one), _Target(two)]
    pending = quality_fork.start(targets, min_triples=0)
    assert pending is not None
    assert pending.graph(targets[0]) is None  # what came for it is no Scan: the parent reads this store itself
    _same_graph(pending.graph(targets[1]), qg.index(two.store))  # type: ignore[arg-type]
    # Scans that don't match the targets one to one are all ignored.
    monkeypatch.setattr(quality_fork, "scan", real)
    pending = quality_fork.start(targets, min_triples=0)
    assert pending is not None
    pending._order.append(12345)  # the parent now expects three scans; the child sends two
    assert pending.graph(targets[0]) is None and pending.graph(targets[1]) is None


def test_a_healthy_child_delivers_for_the_same_target_object() -> None:
    """The control of the failure tests below: the same set-up with a working child does deliver."""
    target = _Target(_prepared(TRICKY))
    pending = quality_fork.start([target], min_triples=0)
    assert pending is not None
    graph = pending.graph(target)
    assert graph is not None and graph.datasets[0] == "http://ex/d1"


def test_a_killed_child_falls_back_and_a_dropped_one_is_reaped(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    prepared = _prepared(TRICKY)
    real = quality_fork.scan
    monkeypatch.setattr(quality_fork, "scan", lambda store: (time.sleep(30), real(store))[1])  # killed before it ends
    target = _Target(prepared)
    pending = quality_fork.start([target], min_triples=0)
    assert pending is not None
    os.kill(pending.pid, signal.SIGKILL)
    assert pending.graph(target) is None
    # A run that fails before the score drops its child: it is killed and reaped, no zombie is left.
    dropped = quality_fork.start([_Target(prepared)], min_triples=0)
    assert dropped is not None
    pid = dropped.pid
    del dropped
    gc.collect()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_the_read_ahead_runs_while_the_rules_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The child is forked before the rules start, not after: its scan has begun by the time the first rule runs."""
    from ldt_conform import engine

    path = tmp_path / "generated.ttl"
    subprocess.run([sys.executable, str(HERE.parent / "benchmarks" / "generate_catalogue.py"), "50", str(path)],
                   check=True)
    monkeypatch.setattr(quality_fork, "MIN_TRIPLES", 0)
    order: list[str] = []
    real_start, real_run = quality_fork.start, engine.run

    def start(*a: Any, **k: Any) -> Any:
        got = real_start(*a, **k)
        order.append("fork" if got is not None else "no fork")
        return got

    def run(*a: Any, **k: Any) -> Any:
        order.append("rules")
        return real_run(*a, **k)

    monkeypatch.setattr(quality_fork, "start", start)
    monkeypatch.setattr(engine, "run", run)
    report = api.check([str(path)], api.CheckOptions(profile="dcat-ap-3-core", offline=True, jobs=1))
    assert order == ["fork", "rules"]
    assert report.quality["catalogues"][0]["datasets"] == 50


def test_a_stuck_child_is_killed_after_its_wait_and_the_parent_reads_the_store(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A child that never answers (a deadlock inherited through fork) costs at most the wait, never a hang."""
    import time

    prepared = _prepared(TRICKY)
    monkeypatch.setattr(quality_fork, "scan", lambda store: time.sleep(3600))
    monkeypatch.setattr(quality_fork, "MIN_WAIT_S", 0.5)
    target = _Target(prepared)
    pending = quality_fork.start([target], min_triples=0)
    assert pending is not None
    started = time.monotonic()
    assert pending.graph(target) is None
    assert 0.5 <= time.monotonic() - started < 5
    with pytest.raises(ChildProcessError):  # killed and reaped
        os.waitpid(pending.pid, os.WNOHANG)


def test_by_default_the_rules_leave_the_read_ahead_one_idle_core(monkeypatch: pytest.MonkeyPatch) -> None:
    from ldt_conform.shacl_fast import api as fast_api

    monkeypatch.setattr(fast_api, "idle_cores", lambda: 4)
    child = object()
    assert api._shacl_jobs(0, child) == 3
    assert api._shacl_jobs(0, None) == 0  # no child: the engine picks the idle cores itself
    assert api._shacl_jobs(2, child) == 2  # asked for: as asked
    monkeypatch.setattr(fast_api, "idle_cores", lambda: 1)
    assert api._shacl_jobs(0, child) == 1


@pytest.mark.parametrize("failing", ["tempfile", "pipe", "fork"])
def test_no_temporary_file_pipe_or_fork_means_no_read_ahead_not_a_crash(failing: str, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only TMPDIR or a process limit must not fail the run: the score is read in the parent instead."""
    import tempfile

    def refuse(*a: Any, **k: Any) -> Any:
        raise OSError(28, "No space left on device")

    target = {"tempfile": (tempfile, "TemporaryFile"), "pipe": (os, "pipe"), "fork": (os, "fork")}[failing]
    path = tmp_path / "generated.ttl"
    subprocess.run([sys.executable, str(HERE.parent / "benchmarks" / "generate_catalogue.py"), "30", str(path)],
                   check=True)
    with monkeypatch.context() as patch:
        patch.setattr(*target, refuse)
        assert quality_fork.start([_Target(_prepared(TRICKY))], min_triples=0) is None
        patch.setattr(quality_fork, "MIN_TRIPLES", 0)
        report = api.check([str(path)], api.CheckOptions(profile="dcat-ap-3-core", offline=True, jobs=1))
    assert report.quality["catalogues"][0]["datasets"] == 30
