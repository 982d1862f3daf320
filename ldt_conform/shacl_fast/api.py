"""Public entry points of the fast SHACL Core engine: validate() and unsupported_shapes()."""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable, Iterable

import pyoxigraph as ox
import rdflib

from ldt_conform.shacl_fast.data import Data, Prepared, load_store, prepare
from ldt_conform.shacl_fast.errors import BudgetExceeded, ShapesError, Unsupported
from ldt_conform.shacl_fast.evaluate import Evaluator, Raw
from ldt_conform.shacl_fast.plan import plan
from ldt_conform.shacl_fast.partition import Part
from ldt_conform.shacl_fast import shard
from ldt_conform.shacl_fast.result import ShaclResult
from ldt_conform.shacl_fast.shapes import IndexedGraph, Shape, ShapesCompiler
from ldt_conform.shacl_fast.shapes import unsupported_shapes as _unsupported
from ldt_conform.shacl_fast.terms import term_str

__all__ = ["BudgetExceeded", "Part", "Prepared", "ShaclResult", "ShapesError", "Unsupported", "merge", "prepare",
           "unsupported_shapes", "validate"]


def unsupported_shapes(shapes: rdflib.Graph) -> dict[str, str]:
    """Shape id -> reason, for shapes this engine does not evaluate (hand them to pyshacl)."""
    return _unsupported(shapes)


def compile_shapes(shapes: rdflib.Graph, skip_shapes: frozenset[str] = frozenset()) -> list[Shape]:
    """Compile the shapes graph; raise Unsupported/ShapesError before any data is touched."""
    indexed = IndexedGraph(shapes)
    unsupported = _unsupported(indexed)
    pending = sorted(set(unsupported) - skip_shapes)
    if pending:
        raise Unsupported("; ".join(f"{k}: {unsupported[k]}" for k in pending))
    return ShapesCompiler(indexed).compile_all(skip_shapes | frozenset(unsupported))


def idle_cores() -> int:
    """Cores not already busy, for jobs=0.

    A thread that asks the batched questions (shard.prefetch) gains only on a core nothing else is using: on this
    2-core machine the questions of 50,000 datasets took 3.06 s in one thread and 2.2-2.6 s in two, while the
    score's read-ahead child had the second core. A core counts as idle unless it is mostly busy.
    """
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        return cores
    return max(1, min(cores, math.ceil(cores - load + 0.5)))


Rendered = tuple[str, "str | None", "str | None", str, str]
# Receives one shape's results at a time (validate(on_results=...)), at most DELIVER_CHUNK of them per call.
Deliver = Callable[[list[ShaclResult]], None]
DELIVER_CHUNK = 10_000


def _render(raw: list[Raw]) -> list[Rendered]:
    return [(term_str(f), p, None if v is None else term_str(v), shape.key, comp) for f, p, v, shape, comp in raw]


def _results(rendered: list[Rendered], shapes: dict[str, Shape]) -> list[ShaclResult]:
    out = {
        ShaclResult(focus=f, path=p, value=v, source_shape=key, component=comp,
                    severity=shapes[key].severity, message=shapes[key].message)
        for f, p, v, key, comp in rendered
    }
    return sorted(out, key=lambda r: (r.source_shape, r.focus, r.path or "", r.value or "", r.component))


def merge(shards: Iterable[Iterable[ShaclResult]]) -> list[ShaclResult]:
    """The results of all shards of one input as the unsharded run gives them: deduplicated and sorted.

    A nested shape's result names a value node as focus, and a value node reached from focus nodes of two
    shards is reported by both; the unsharded run reports it once.
    """
    out = {r for shard in shards for r in shard}
    return sorted(out, key=lambda r: (r.source_shape, r.focus, r.path or "", r.value or "", r.component))


def _all_shapes(top: list[Shape]) -> dict[str, Shape]:
    """Every shape reachable from the top-level ones, by key (results name nested shapes too)."""
    from ldt_conform.shacl_fast.plan import reachable

    return {s.key: s for s in reachable(top)}


def _run_all(data: Data, top: list[Shape], jobs: int, part: Part | None,
             deliver: Deliver | None = None) -> list[Rendered]:
    if part is None and jobs > 1:
        # Planning the whole run first registers the batched questions and tells whether the run is big enough
        # for threads to pay. Only those questions are split (shard.prefetch): the evaluation after them is
        # Python that holds the GIL, and two threads of it took twice as long as one (docs/scale.md, "Threads
        # instead of forks"). A streamed run (deliver) asks ahead too: the answers are what its shapes would ask.
        n_focus = sum(len(t.focus) for t in plan(data, top))
        shard.prefetch(data, jobs, n_focus)
    return _evaluate(data, top, part, deliver)


def _evaluate(data: Data, top: list[Shape], part: Part | None, deliver: Deliver | None = None) -> list[Rendered]:
    """Plan and evaluate every shape (on the focus nodes ``part`` owns); results are rendered, not deduplicated.

    With ``deliver``, each shape's results go to it as soon as the shape is done and none are kept here.
    """
    tasks = plan(data, top, part)
    ev = Evaluator(data)
    raw: list[Raw] = []
    shapes = _all_shapes(top) if deliver is not None else {}
    for task in tasks:
        data.current_shape = task.shape.key
        found = ev.run(task.shape, task.focus, task.pattern)
        if deliver is None:
            raw.extend(found)
        else:
            # Rendered and handed over in chunks: a shape with a result per dataset of a national catalogue would
            # otherwise hold its raw, rendered and deduplicated results at once (≈ 1.6 kB a result).
            for i in range(0, len(found), DELIVER_CHUNK):
                deliver(_results(_render(found[i:i + DELIVER_CHUNK]), shapes))
    return _render(raw)


def validate(
    data: Prepared | ox.Store | Iterable[ox.Quad],
    shapes: rdflib.Graph,
    *,
    jobs: int = 0,
    time_budget_s: float | None = 60.0,
    skip_shapes: frozenset[str] = frozenset(),
    store_path: str | None = None,
    compiled: list[Shape] | None = None,
    part: Part | None = None,
    on_results: Deliver | None = None,
) -> list[ShaclResult]:
    """Validate ``data`` against ``shapes``; results are deduplicated and sorted.

    ``data`` is a store built by :func:`prepare` (the loader's single parse), a pyoxigraph Store (used as is:
    the Store has already canonicalised typed literals), or
    quads from ``pyoxigraph.parse`` -- a list, or better the parse iterator itself, which is streamed
    into the store so the Python quad objects never all exist at once. All graphs are validated as one.
    ``store_path`` puts the store on disk for inputs larger than memory. ``compiled`` is what
    :func:`compile_shapes` gave for these ``shapes`` and ``skip_shapes``: a run with many inputs compiles once.
    ``part`` validates one focus-node shard only; the union of all shards' results is the unsharded result.
    ``jobs`` > 1 answers the batched questions in that many threads first (pyoxigraph evaluates without the GIL).
    ``on_results`` streams: it gets each shape's results (deduplicated, sorted) as the shape finishes, in chunks
    of at most DELIVER_CHUNK, and validate() returns []. An equal result can come twice (from two chunks, or from a
    property shape two node shapes share): the receiver deduplicates (findings_spool does).
    """
    start = time.monotonic()
    top = compiled if compiled is not None else compile_shapes(shapes, skip_shapes)
    deadline = None if time_budget_s is None else start + time_budget_s
    jobs = jobs if jobs > 0 else idle_cores()
    box: dict[str, object] = {}
    deliver = on_results
    if on_results is not None and deadline is not None:
        def deliver(results: list[ShaclResult]) -> None:
            # After the caller gave up on the budget, this thread may still finish a shape: its results are dropped.
            if "timed out" not in box:
                on_results(results)

    def work() -> None:
        try:
            d = Data(load_store(data, store_path), deadline)
            box["data"] = d
            box["raw"] = _run_all(d, top, jobs, part, deliver)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = exc

    if deadline is None:
        work()
    else:
        # A single pathological SPARQL query cannot be interrupted from Python, so the work runs in
        # a daemon thread and the caller gets BudgetExceeded when the deadline passes.
        worker = threading.Thread(target=work, name="ldt-shacl-fast", daemon=True)
        worker.start()
        worker.join(max(0.0, deadline - time.monotonic()) + 0.5)
        if worker.is_alive():
            box["timed out"] = True  # prefetch threads stop at their next query (Data.rows checks the budget)
            shape = getattr(box.get("data"), "current_shape", "(loading data)")
            raise BudgetExceeded(f"time budget of {time_budget_s}s exhausted while evaluating shape {shape}", shape)
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return _results(box["raw"], _all_shapes(top))  # type: ignore[arg-type]

