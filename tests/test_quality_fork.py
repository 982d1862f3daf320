"""The score's graph reading in a forked child (quality_fork.py): the same graph and metric columns as reading them
in the parent, and every way the child can fail falling back to the parent. The pinned corpus scores through the child are
tests/test_quality.py::test_scores_equal_those_of_the_sparql_implementation[...-read-ahead]."""
from __future__ import annotations

import gc
import os
import pickle
import signal
import subprocess
import sys
from array import array
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from ldt_conform import api, quality, quality_fork
from ldt_conform import quality_graph as qg
from ldt_conform.model import ProfileInfo, Report
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
    assert got.dist_row == expected.dist_row and got.dist_also == expected.dist_also
    assert list(got.dist_count) == list(expected.dist_count)


FT = "http://publications.europa.eu/resource/authority/file-type/"
# One lookup present (CSV counts as non-proprietary), one missing: its metric is left to the parent, not assessed.
LOOKUPS = {"edp-non-proprietary-format": frozenset({FT + "CSV"}), "edp-machine-readable-format": None}
FACT_METRICS = {m.id for m in quality.table().metrics if m.test in ("present", "vocabulary", "lookup")}


@pytest.mark.parametrize("fmt", ["turtle", "trig"])
def test_the_childs_scan_is_the_parents_index_and_metric_columns(fmt: str) -> None:
    """Through pickle, as the child sends it: the same datasets, distributions, titles and rows, and the columns of
    every metric the facts decide equal to the parent's reading of the store, with exact points on TRICKY."""
    text = TRICKY if fmt == "turtle" else PREFIXES + "<http://ex/g> { " + TRICKY[len(PREFIXES):] + " }"
    store = _prepared(text, ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.TRIG).store
    expected = qg.index(store)
    got = quality_fork.graph_of(store, pickle.loads(pickle.dumps(quality_fork.scan(store, LOOKUPS))))
    _same_graph(got, expected)
    assert got.union is (fmt == "trig")
    assert got.datasets[0] == "http://ex/d1" and got.datasets[1].startswith("_:")
    assert got.literal_dists == {"http://ex/d1": 1}
    assert got.titles["http://ex/d1"] == "One"
    assert got._blank is True and expected.has_blank_nodes() is True
    assert set(got.columns) == FACT_METRICS - {"formatMediaTypeMachineInterpretable"}
    context = quality.Context(lookups=LOOKUPS)
    assert _as_lists(quality.metric_values(got, context)) == _as_lists(quality.metric_values(expected, context))
    # d1: x1 (ft:CSV), the shared blank one ("csv") and a literal; the blank dataset: the shared one and x2 (none).
    # Sent as one byte per dataset (quality_fork.compact), not a list of ints.
    assert got.columns["formatAvailability"] == array("B", [2, 1])  # distributions that pass
    assert got.columns["formatMediaTypeNonProprietary"] == array("B", [1, 0])
    assert got.columns["licenceAvailability"] == array("B", [1, 1])
    assert got.columns["keywordAvailability"] == array("B", [30, 0])  # points
    assert {type(c) for c in got.columns.values()} == {array} and got.dist_count == array("B", [2, 2])
    values, _ = quality.metric_values(got, context)
    assert values["formatAvailability"] == [(2 * 20 - 5) / 3, (20 - 5) / 2]
    assert values["formatMediaTypeNonProprietary"] == [20 / 3, 0.0]
    assert values["licenceAvailability"] == [20 / 3, 10.0]
    assert values["formatMediaTypeMachineInterpretable"] == (
        "the EDP lookup edp-machine-readable-format is not available offline (artefact store)")


def _as_lists(values: tuple[dict[str, Any], dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v if isinstance(v, str) else list(v) for k, v in part.items()} for part in values]


def test_compact_keeps_every_value_in_the_smallest_buffer_that_holds_it() -> None:
    assert quality_fork.compact([0, 255, 7]) == array("B", [0, 255, 7])
    assert quality_fork.compact([0, 255, 7]).typecode == "B"  # type: ignore[union-attr]
    assert quality_fork.compact([256, 0]).typecode == "i"  # type: ignore[union-attr]
    assert quality_fork.compact([-1, 3]).typecode == "i"  # type: ignore[union-attr]
    assert quality_fork.compact([-2**31, 2**31 - 1]) == array("i", [-2**31, 2**31 - 1])
    for kept in ([2**31, 0], [-2**31 - 1], [1, None], [1, "why"], [1.5, 2], [True, 3], []):
        assert quality_fork.compact(kept) is kept


def test_the_child_reads_the_titles_after_its_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """The child's index is read without titles and they come last (the columns' scans then run without them held);
    what it sends still has the parent's titles."""
    store = _prepared(TRICKY).store
    assert qg.index(store, with_titles=False).titles == {}
    order: list[str] = []
    real_titles, real_columns = qg.titles, quality.fact_columns
    monkeypatch.setattr(qg, "titles", lambda g: order.append("titles") or real_titles(g))
    monkeypatch.setattr(quality, "fact_columns", lambda *a, **k: order.append("columns") or real_columns(*a, **k))
    got = quality_fork.scan(store, LOOKUPS)
    assert order == ["columns", "titles"]
    assert got.titles == qg.index(store).titles and got.titles["http://ex/d1"] == "One"


def test_a_pair_repeated_in_two_named_graphs_is_one_distribution() -> None:
    """Read as one catalogue, the union of named graphs can state a dataset's distribution twice (and a blank one);
    each counts once, for the parent's reading and the child's alike."""
    text = PREFIXES + """
    <http://ex/g1> { <http://ex/d> a dcat:Dataset ; dct:title "D" ; dcat:distribution <http://ex/x>, _:b . }
    <http://ex/g2> { <http://ex/d> a dcat:Dataset ; dcat:distribution <http://ex/x> . }
    """
    store = _prepared(text, ox.RdfFormat.TRIG).store
    for graph in (qg.index(store), quality_fork.graph_of(store, pickle.loads(pickle.dumps(
            quality_fork.scan(store, LOOKUPS))))):
        assert graph.union is True
        assert len(graph.dists["http://ex/d"]) == 2 and graph.dists["http://ex/d"][0] == "http://ex/x"
        assert graph.dist_row == {"http://ex/x": 0, graph.dists["http://ex/d"][1]: 0} and graph.dist_also == {}
        assert list(graph.dist_count) == [2]
        assert graph.titles == {"http://ex/d": "D"}


def test_a_metric_the_read_ahead_did_not_work_out_is_worked_out_from_the_store() -> None:
    """The child's columns are used as sent; a metric missing from them (its lookup came later) is read here."""
    store = _prepared(TRICKY).store
    graph = qg.index(store)
    graph.columns = {"keywordAvailability": [7, 7], "licenceAvailability": [2, 0]}  # not the store's: they are used
    values, inputs = quality.metric_values(graph, quality.Context(lookups=LOOKUPS))
    assert values["keywordAvailability"] == [7, 7] and inputs["keywordAvailability"] == [7, 7]
    assert values["licenceAvailability"] == [(2 * 20) / 3, 0.0] and inputs["licenceAvailability"] == [2, 0]
    assert values["formatAvailability"] == [(2 * 20 - 5) / 3, (20 - 5) / 2]
    assert inputs["formatMediaTypeNonProprietary"] == [1, 0]


def test_the_score_uses_the_lookups_the_child_was_given(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lookups are loaded once, before the fork: the score must not load its own (they could differ)."""
    target = _Target(_prepared(TRICKY))
    calls: list[str] = []

    def load() -> Any:
        calls.append("loaded")
        return LOOKUPS

    pending = quality_fork.start([target], min_triples=0, lookups=load)
    assert pending is not None and pending.lookups == LOOKUPS and calls == ["loaded"]
    target.source = "tricky.ttl"  # type: ignore[attr-defined]
    report = Report(tool_version="0", started_at="s", finished_at="f", profile=ProfileInfo("p", "1", "P", "0"),
                    rules=(), targets=(), results=(), findings=())
    # artefacts=None would make every lookup unavailable; the child's non-proprietary lookup is used instead.
    released: list[list[str]] = []
    real_release = qg.Graph.release_index

    def release(graph: qg.Graph) -> None:
        released.append(graph.datasets)
        real_release(graph)

    monkeypatch.setattr(qg.Graph, "release_index", release)
    scored = quality.attach(report, [target], artefacts=None, ahead=pending)
    # attach scores the graph once and lets it drop its distribution index before the scorecards.
    assert len(released) == 1 and released[0][0] == "http://ex/d1" and released[0][1].startswith("_:")
    metrics = {m["metric"]: m for m in scored.quality["catalogues"][0]["metrics"]}
    assert metrics["formatMediaTypeNonProprietary"]["score"] == round((20 / 3 + 0.0) / 2, 2)
    assert metrics["formatMediaTypeMachineInterpretable"]["status"] == "not-assessed"
    assert quality_fork.start([_Target(_prepared(TRICKY), triples=1)], lookups=load) is None
    assert calls == ["loaded"]  # not loaded for a run that does not fork


def test_start_forks_one_child_that_delivers_every_target() -> None:
    first, second = _prepared(TRICKY), _prepared(PREFIXES + '<http://ex/z> a dcat:Dataset ; dct:title "Z" .')
    targets = [_Target(first), _Target(second)]
    pending = quality_fork.start(targets, min_triples=0)
    assert pending is not None and pending.pid > 0
    _same_graph(pending.graph(targets[0]), qg.index(first.store))  # type: ignore[arg-type]
    z = pending.graph(targets[1])
    assert z is not None and z.datasets == ["http://ex/z"] and z.titles == {"http://ex/z": "Z"}
    # Handed out once, not kept: the score releases what it no longer needs (quality.attach).
    assert pending.graph(targets[0]) is None and pending.graph(targets[1]) is None
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

    def broken(store: ox.Store, lookups: Any) -> Any:
        raise RuntimeError("the child fails")

    monkeypatch.setattr(quality_fork, "scan", broken)  # the forked child runs this copy
    target = _Target(prepared)
    pending = quality_fork.start([target], min_triples=0)
    assert pending is not None and pending.graph(target) is None


def test_a_child_that_sends_something_else_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    one, two = _prepared(TRICKY), _prepared(TRICKY)
    real = quality_fork.scan
    monkeypatch.setattr(quality_fork, "scan", lambda store, lookups: "not a scan" if store is one.store else real(store, lookups))
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
    monkeypatch.setattr(quality_fork, "scan", lambda store, lookups: (time.sleep(30), real(store, lookups))[1])  # killed before it ends
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
    monkeypatch.setattr(quality_fork, "scan", lambda store, lookups: time.sleep(3600))
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
