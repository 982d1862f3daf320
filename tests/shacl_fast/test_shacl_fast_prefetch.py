"""shard.prefetch: the batched questions asked ahead in threads give exactly the serial answers, in threads that really
run side by side, only above the threshold, with a helper's error raised in the caller; Data publishes each answer
whole, so a thread never reads one half built."""

from __future__ import annotations

import io
import sys
import threading
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib

from ldt_conform.shacl_fast import BudgetExceeded, validate
from ldt_conform.shacl_fast import shard
from ldt_conform.shacl_fast.api import compile_shapes
from ldt_conform.shacl_fast.data import Data, prepare
from ldt_conform.shacl_fast.plan import plan
from shacl_corpus import REPO, parse_rdflib

sys.path.insert(0, str(REPO / "benchmarks"))
from generate_catalogue import generate_defective

CORE = sorted((REPO / "profiles" / "dcat-ap-3-core" / "shapes").glob("*.ttl"))
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
EX_CATALOGUE = ox.NamedNode("https://example.org/ldt/catalogue")


@pytest.fixture(scope="module")
def core() -> rdflib.Graph:
    return parse_rdflib(CORE)


@pytest.fixture(scope="module")
def store() -> ox.Store:
    buf = io.StringIO()
    generate_defective(1200, buf)
    return prepare(ox.parse(buf.getvalue().encode(), format=ox.RdfFormat.TURTLE)).store


def planned(store: ox.Store, core: rdflib.Graph) -> tuple[Data, int]:
    data = Data(store, None)
    n_focus = sum(len(t.focus) for t in plan(data, compile_shapes(core)))
    return data, n_focus


def answers(data: Data) -> tuple[Any, Any, Any]:
    return data._missing, data._scans, data._multi


def test_threaded_answers_equal_the_serial_ones(store: ox.Store, core: rdflib.Graph) -> None:
    serial, n_focus = planned(store, core)
    items = shard.work_items(serial)
    for item in items:
        shard._answer(serial, item)
    threaded, _ = planned(store, core)
    shard.prefetch(threaded, 3, shard.MIN_FOCUS_TO_SHARD)
    # The questions, heaviest first: missing values per pattern, filtered scans per predicate, then the repeat check.
    n_missing = len(serial.min_preds)
    assert items[:n_missing] == [("missing", p) for p in sorted(serial.min_preds)]
    assert items[n_missing:-1] == [("scan", p) for p, exprs in sorted(serial.scan_exprs.items()) if "true" not in exprs]
    assert items[-1] == ("multi", "")
    assert answers(threaded) == answers(serial)
    # Every question was asked: the missing values of each planned pattern, each filtered scan, the repeat check.
    assert set(threaded._missing) == set(threaded.min_preds) and len(threaded._missing) >= 3
    filtered = {p for p, exprs in threaded.scan_exprs.items() if "true" not in exprs}
    assert set(threaded._scans) == filtered and len(filtered) > 10
    assert threaded._multi is not None and threaded.max1_preds
    # The unfiltered scans (every triple of a predicate) stay lazy.
    assert {p for p, exprs in threaded.scan_exprs.items() if "true" in exprs}.isdisjoint(threaded._scans)
    # The catalogue's defects are in the answers: the catalogue has no publisher, every byte size is negative.
    catalog = next(p for p in threaded.min_preds if p.endswith(f"<{DCAT}Catalog> ."))
    assert threaded._missing[catalog] == {f"{DCT}description": set(), f"{DCT}publisher": {EX_CATALOGUE},
                                          f"{DCT}title": set()}
    sizes = threaded.scan(f"{DCAT}byteSize", threaded.scan_exprs[f"{DCAT}byteSize"][0])
    assert sorted(sizes, key=str) == sorted(((ox.NamedNode(f"https://example.org/ldt/x{i}"), ox.Literal("-3"))
                                             for i in range(1200)), key=str)
    assert n_focus > 1200


def test_the_questions_are_asked_by_threads_side_by_side(store: ox.Store, core: rdflib.Graph,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    data, _ = planned(store, core)
    both_in = threading.Barrier(2, timeout=5)
    seen: dict[str, bool] = {}
    answer = shard._answer

    def meeting(data: Data, item: shard.Item) -> None:
        me = threading.current_thread()
        if me.name not in seen:
            seen[me.name] = me.daemon
            both_in.wait()  # returns only when a second thread is answering at the same time (else fails in 5 s)
        answer(data, item)

    monkeypatch.setattr(shard, "_answer", meeting)
    shard.prefetch(data, 2, shard.MIN_FOCUS_TO_SHARD)
    assert seen == {threading.current_thread().name: threading.current_thread().daemon,
                    "ldt-shacl-prefetch-1": True}


@pytest.mark.parametrize(("jobs", "n_focus", "asked"), [
    (2, shard.MIN_FOCUS_TO_SHARD, True),
    (2, shard.MIN_FOCUS_TO_SHARD - 1, False),
    (1, 10 * shard.MIN_FOCUS_TO_SHARD, False),
])
def test_questions_are_asked_ahead_only_with_jobs_above_the_threshold(
        store: ox.Store, core: rdflib.Graph, jobs: int, n_focus: int, asked: bool) -> None:
    data, _ = planned(store, core)
    shard.prefetch(data, jobs, n_focus)
    assert (bool(data._missing), bool(data._scans), data._multi is not None) == (asked, asked, asked)


def test_a_helper_s_error_is_raised_in_the_caller_and_stops_the_others(
        store: ox.Store, core: rdflib.Graph, monkeypatch: pytest.MonkeyPatch) -> None:
    data, _ = planned(store, core)
    asked: list[str] = []
    main_in = threading.Event()
    error = BudgetExceeded("time budget exhausted while evaluating shape S", "S")

    def failing(data: Data, item: shard.Item) -> None:
        me = threading.current_thread()
        asked.append(me.name)
        if me.name == "ldt-shacl-prefetch-1":
            main_in.wait(5)
            raise error
        # The caller's thread holds one question until the helper has failed and ended.
        main_in.set()
        next(t for t in threading.enumerate() if t.name == "ldt-shacl-prefetch-1").join(5)

    monkeypatch.setattr(shard, "_answer", failing)
    with pytest.raises(BudgetExceeded) as raised:
        shard.prefetch(data, 2, shard.MIN_FOCUS_TO_SHARD)
    assert raised.value is error
    # After the failure no thread takes another question.
    assert sorted(asked) == ["MainThread", "ldt-shacl-prefetch-1"]


def test_validate_with_jobs_equals_one_job_on_a_catalogue_above_the_threshold(
        store: ox.Store, core: rdflib.Graph) -> None:
    one = validate(store, core, jobs=1)
    assert len(one) > 100
    assert validate(store, core, jobs=2) == one
    assert validate(store, core, jobs=4) == one
    streamed: list[Any] = []
    assert validate(store, core, jobs=2, on_results=streamed.extend) == []
    assert set(streamed) == set(one) and len(set(streamed)) == len(one)


def test_a_scan_answer_is_published_with_the_filters_its_columns_stand_for(monkeypatch: pytest.MonkeyPatch) -> None:
    store = ox.Store()
    p, s1, s2 = ox.NamedNode("http://ex/p"), ox.NamedNode("http://ex/a"), ox.NamedNode("http://ex/b")
    store.extend([ox.Quad(s1, p, ox.Literal("x")), ox.Quad(s2, p, ox.Literal("long value"))])
    data = Data(store, None)
    short, long_ = "STRLEN(STR(?v)) < 3", "STRLEN(STR(?v)) > 3"
    during: list[Any] = []
    rows = data.rows

    def watching(query: str, subs: Any = None) -> Any:
        during.append(data._scans.get(p.value))  # what another thread would read while this one asks
        return rows(query, subs)

    monkeypatch.setattr(data, "rows", watching)
    assert data.scan(p.value, short) == [(s1, ox.Literal("x"))]
    assert data._scans[p.value][0] == (short,)
    assert data.scan(p.value, long_) == [(s2, ox.Literal("long value"))]
    assert data._scans[p.value][0] == (short, long_)
    assert data.scan(p.value, short) == [(s1, ox.Literal("x"))]  # from the second answer's first column
    # While a scan was asked, the cache held nothing, then the complete earlier answer, never a partial list.
    assert during == [None, ((short,), [(s1, ox.Literal("x"), (True,))])]


def test_a_missing_answer_is_published_only_once_complete(monkeypatch: pytest.MonkeyPatch) -> None:
    store = ox.Store()
    ds, cls, title = ox.NamedNode("http://ex/d"), ox.NamedNode("http://ex/C"), "http://ex/title"
    store.extend([ox.Quad(ds, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), cls)])
    data = Data(store, None)
    pattern = f"?this a <{cls.value}> ."
    during: list[Any] = []
    rows = data.rows

    def watching(query: str, subs: Any = None) -> Any:
        during.append(dict(data._missing))
        return rows(query, subs)

    monkeypatch.setattr(data, "rows", watching)
    assert data.missing(pattern, title) == {ds}
    assert during == [{}]
    assert data._missing == {pattern: {title: {ds}}}


@pytest.mark.parametrize(("jobs", "streamed", "threads"), [
    (2, False, {"MainThread", "ldt-shacl-prefetch-1"}),
    (3, False, {"MainThread", "ldt-shacl-prefetch-1", "ldt-shacl-prefetch-2"}),
    (1, False, set()),
    (2, True, {"MainThread", "ldt-shacl-prefetch-1"}),  # a streamed run asks ahead too, then streams shape by shape
])
def test_validate_asks_ahead_in_as_many_threads_as_jobs(store: ox.Store, core: rdflib.Graph,
                                                        monkeypatch: pytest.MonkeyPatch, jobs: int, streamed: bool,
                                                        threads: set[str]) -> None:
    names: set[str] = set()
    both_in = threading.Barrier(jobs, timeout=5)
    answer = shard._answer

    def recording(data: Data, item: shard.Item) -> None:
        if threading.current_thread().name not in names:
            names.add(threading.current_thread().name)
            both_in.wait()  # every thread is asking at once before any goes on
        answer(data, item)

    monkeypatch.setattr(shard, "_answer", recording)
    got: list[Any] = []
    out = validate(store, core, jobs=jobs, time_budget_s=None, on_results=got.extend if streamed else None)
    assert names == {n.replace("MainThread", threading.current_thread().name) for n in threads}
    assert len(out or got) > 100
