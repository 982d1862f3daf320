"""Runs focus-node shards as tasks on a Dask `distributed` cluster (optional extra `scale`).

Workers need only this package."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
import rdflib

from ldt_conform.errors import UsageError
from ldt_conform.shacl_fast.api import compile_shapes, validate
from ldt_conform.shacl_fast.data import prepare
from ldt_conform.shacl_fast.errors import BudgetExceeded
from ldt_conform.shacl_fast.partition import MAX_SHARDS, Part
from ldt_conform.shacl_fast.result import ShaclResult
from ldt_conform.shacl_fast.shapes import Shape

CONNECT_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class ShardSpec:
    """One task: the focus nodes shard ``index`` of ``count`` owns, in the graph read from ``path`` or ``data``."""

    source: str  # what findings name: the input as the user gave it
    fmt: str  # a media type pyoxigraph reads, e.g. "text/turtle"
    index: int
    count: int
    path: str | None = None  # a file every worker can read (shared disk), or
    data: bytes | None = field(default=None, repr=False)  # the input itself
    base_iri: str | None = None

    @property
    def label(self) -> str:
        return f"{self.source} (focus shard {self.index + 1} of {self.count})"


@dataclass(frozen=True)
class Outcome:
    """What a shard gave: its results, or why it gave none (then ``error`` names what went wrong)."""

    spec: ShardSpec
    results: tuple[ShaclResult, ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class ShapesBox:
    """The shapes graph shipped once to each worker, with a key under which workers cache its compilation."""

    key: str
    graph: rdflib.Graph
    skip: frozenset[str]


_OPEN: list[Cluster] = []
_COMPILED: dict[str, list[Shape]] = {}
_COMPILED_LOCK = threading.Lock()
_BOXES: dict[tuple[int, frozenset[str], str], ShapesBox] = {}


def _compiled(box: ShapesBox) -> list[Shape]:
    with _COMPILED_LOCK:
        got = _COMPILED.get(box.key)
        if got is None:
            got = _COMPILED[box.key] = compile_shapes(box.graph, box.skip)
        return got


def run_shard(spec: ShardSpec, box: ShapesBox, time_budget_s: float | None) -> Outcome:
    """The task a worker runs: read the input, validate the shard's focus nodes, never raise for the input's sake."""
    try:
        fmt = ox.RdfFormat.from_media_type(spec.fmt)
        if fmt is None:
            return Outcome(spec, error=f"unknown input format {spec.fmt}")
        if spec.path is not None:
            quads = ox.parse(path=spec.path, format=fmt, base_iri=spec.base_iri)
        else:
            quads = ox.parse(spec.data or b"", format=fmt, base_iri=spec.base_iri)
        # The store is built here, not in validate(), because the blank-node labels are read from it afterwards;
        # the load still counts against the shard's budget.
        started = time.monotonic()
        prepared = prepare(quads)
        left = None if time_budget_s is None else time_budget_s - (time.monotonic() - started)
        if left is not None and left <= 0:
            raise BudgetExceeded("time budget exhausted while loading the data", "(loading data)")
        results = validate(prepared, box.graph, jobs=1, time_budget_s=left, skip_shapes=box.skip,
                           compiled=_compiled(box), part=Part(spec.index, spec.count))
        return Outcome(spec, tuple(_canonical(prepared.store, results)))
    except BudgetExceeded as exc:
        return Outcome(spec, error=f"exceeded its time budget of {time_budget_s} s in shape {exc.shape}")
    except Exception as exc:  # noqa: BLE001 - a crashing shard is a finding, the other shards still count
        return Outcome(spec, error=f"crashed: {why(exc)}")


def why(exc: BaseException) -> str:
    """An exception in one line for a finding: its type and the first line of its message."""
    text = str(exc)
    return f"{type(exc).__name__}: {text.splitlines()[0][:300] if text else ''}"


def _canonical(store: ox.Store, results: list[ShaclResult]) -> list[ShaclResult]:
    """The results with their blank nodes named as bnodes.canonical_labels names them, from this worker's store.

    This worker's parser gave the blank nodes labels the parent's store does not know, so the parent cannot
    relabel them (it leaves labels its store lacks alone): without this, a blank focus node came back under a label
    no single-process run gives, and the score could not find the dataset it belongs to."""
    from ldt_conform.bnodes import blank_labels, canonical_labels, relabel

    named = blank_labels(results)
    if not named:
        return results
    names = canonical_labels(store, named)
    return [relabel(r, names) for r in results]


def _shapes(box: ShapesBox) -> ShapesBox:
    """The task whose result is the shapes every shard of a run reads (see Cluster.run)."""
    return box


def shard_specs(source: str, fmt: str, count: int, *, path: str | None = None, data: bytes | None = None,
                base_iri: str | None = None) -> list[ShardSpec]:
    count = max(1, min(count, MAX_SHARDS))
    return [ShardSpec(source, fmt, i, count, path, data, base_iri) for i in range(count)]


def shapes_box(graph: rdflib.Graph, skip: frozenset[str], key: str) -> ShapesBox:
    # Workers keep compiled shapes by this key across runs (a long-lived scheduler serves many runs), and results name
    # blank-node shapes by their label: the key must change with the graph's content, labels included. A key of the
    # rule selection and the triple count gave a second run the first run's labels, so findings of shapes owned by a
    # rule through a blank node became "no rule owns" (LC-003) and the rule passed.
    # Hashing costs ~40 ms for dcat-ap-3, once per run: a box is kept per graph object (which the box itself holds, so
    # its id cannot be reused while the entry lives).
    cached = _BOXES.get((id(graph), skip, key))
    if cached is not None:
        return cached
    digest = hashlib.sha256(key.encode())
    for line in sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in graph):
        digest.update(line.encode() + b"\n")
    digest.update(repr(sorted(skip)).encode())
    box = ShapesBox(digest.hexdigest()[:32], graph, skip)
    if len(_BOXES) >= 8:
        _BOXES.pop(next(iter(_BOXES)))
    _BOXES[(id(graph), skip, key)] = box
    return box


class Cluster:
    """A connection to a Dask scheduler: ``host:port`` / ``tcp://...``, or ``local:N`` for a LocalCluster of N
    workers."""

    def __init__(self, address: str) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise UsageError(f"--dask {address}",
                             "needs the Dask scheduler: pip install 'ldt-conform[scale]'") from None
        self.address = address
        self._local: Any = None
        self._shipped: dict[str, Any] = {}
        try:
            if address.startswith("local:"):
                n = int(address[6:])
                if n < 1:
                    raise ValueError
                self._local = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                           dashboard_address=None, silence_logs=50)
                self.client = Client(self._local)
            else:
                self.client = Client(address, timeout=f"{CONNECT_TIMEOUT_S}s")
            _OPEN.append(self)
        except ValueError:
            raise UsageError(f"--dask {address}", "local:N needs a whole number of workers N >= 1") from None
        except (OSError, TimeoutError) as exc:
            raise UsageError(f"--dask {address}",
                             f"cannot reach the Dask scheduler within {CONNECT_TIMEOUT_S:g} s "
                             f"({type(exc).__name__})") from None

    def workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def run(self, specs: Sequence[ShardSpec], box: ShapesBox, time_budget_s: float | None) -> Iterator[Outcome]:
        """Outcomes as shards finish. A worker lost mid-task is replaced and the task rerun by Dask itself; a task
        that keeps killing its workers comes back as an Outcome naming its inputs."""
        # One copy of the shapes per cluster and box, kept referenced for the cluster's life: shipping the same box
        # again for the next input of the run gave the same key while the previous input's release was dropping it,
        # and every shard of the second input was lost ("lost dependencies").
        # The box is a task's result, not scattered data: Dask recomputes a lost result from its task, but scattered
        # data whose workers all died is gone, and with it every shard that needs it ("lost dependencies", "already
        # forgotten"; a broadcast reaches only the workers up at that moment, so a killed worker could hold the only
        # copy).
        shipped = self._shipped.get(box.key)
        if shipped is None:
            shipped = self._shipped[box.key] = self.client.submit(_shapes, box, pure=False)
        for spec, got in self.map(run_shard, specs, box=shipped, time_budget_s=time_budget_s):
            if isinstance(got, BaseException):
                got = Outcome(spec, error=f"lost: {why(got)}")
            yield got

    def map(self, fn: Callable[..., Any], items: Sequence[Any], **kwargs: Any) -> Iterator[tuple[Any, Any]]:
        """(item, fn(item, **kwargs)) as the tasks finish; a task Dask gave up on (a worker it kept killing) comes
        back as (item, the exception), never raised: it is lost, not the run."""
        from distributed import as_completed

        futures = self.client.map(fn, list(items), pure=False, **kwargs)
        by_key = {f.key: item for f, item in zip(futures, items)}
        for fut in as_completed(futures):
            try:
                yield by_key[fut.key], fut.result()
            except Exception as exc:  # noqa: BLE001 - KilledWorker and friends
                yield by_key[fut.key], exc
            finally:
                fut.release()

    def close(self) -> None:
        if self in _OPEN:
            _OPEN.remove(self)
        try:
            self.client.close()
        finally:
            if self._local is not None:
                self._local.close()


def cluster_for(address: str) -> Cluster:
    """The open connection to `address`, else a new one, closed when the process ends (a run's SHACL check of each
    input and its input tasks share one)."""
    for cluster in _OPEN:
        if cluster.address == address:
            return cluster
    if not _OPEN:
        import atexit

        atexit.register(close_all)
    return Cluster(address)


def close_all() -> None:
    """Close every cluster connection still open (the CLI leaves with os._exit, which skips atexit)."""
    for cluster in list(_OPEN):
        try:
            cluster.close()
        except Exception:  # noqa: BLE001 - leaving anyway
            pass
