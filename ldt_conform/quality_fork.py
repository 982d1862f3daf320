"""The quality score's graph reading, done in a forked child while the rules run.

What the score reads from a catalogue (its datasets, their distributions and titles: `quality_graph.index`) and the
metrics decided by which nodes have which properties and values (`quality.fact_columns`) do not depend on the
findings, so they need not wait for them. A child forked from the loaded store (copy-on-write) does this on a core the
rules leave idle. A thread was measured too (pyoxigraph 0.5 releases the GIL while it evaluates a query, so a thread's
queries do overlap the rules'): at 10,000 datasets it slowed the rules more than the fork does (+0.13-0.21 s against
+0.05-0.19 s: the thread's own Python work, splitting and counting, takes the GIL from them), and at 50,000 datasets
it raised the process's peak by ≈ 40 MiB (its reading held beside the rules' own).

The fork has a price of its own: Oxigraph's in-memory store writes to memory as it reads (measured on the 10,000-dataset
store: reading the 33,240 quads of dct:title took 23,700 page faults after a fork and none before it), so after the fork
each page of the store that either process reads is copied once. The rules took ≈ 39,000 more page faults than
without the child, ≈ 0.1 s (dcat-ap-3-core, 10,000 datasets).

The child sends back plain data. Whatever it fails to deliver (it crashed, was killed, sent garbage) is read here
in the parent instead, so forking can cost time but never changes a score. On a busy machine the child competes
with the rules for the same cores; the CPU the score costs is the same either way (benchmarks/bench_quality.py
reports both clocks).
"""
from __future__ import annotations

import os
import pickle
import select
import signal
import tempfile
import time
import weakref
from array import array
from dataclasses import dataclass
from typing import IO, Any, Callable, Mapping, Sequence

import pyoxigraph as ox

from ldt_conform import quality_graph as qg

# Below this many triples in all, a fork costs more than the scan it hides (measured: a fork of a loaded process and
# reading back its answer take ~10-20 ms; the scan of a 50,000-triple catalogue about as long).
MIN_TRIPLES = 50_000
# The least time the parent waits for the child's answer once it needs it (see Pending._collect).
MIN_WAIT_S = 5.0


Lookups = Mapping[str, "frozenset[str] | None"]


@dataclass(frozen=True)
class Scan:
    """One catalogue's graph reading as the child sends it: plain strings, lists and numbers, so that the parent gets
    them back at C speed (each node key is one string object, which pickle writes once however often it occurs).
    The metrics the facts decide come as finished columns: the facts themselves (sets of node keys per property and
    value) would cost the parent more to unpickle than the columns cost to use, and hundreds of MB at 200,000
    datasets."""

    datasets: list[str]
    dist_row: dict[str, int]
    dist_also: dict[str, list[int]]
    dist_count: Sequence[int]
    titles: dict[str, str]
    literal_dists: dict[str, int]
    union: bool
    blank: bool  # a dataset or distribution is a blank node
    columns: dict[str, Sequence[Any]]  # quality.fact_columns, each `compact`


def scan(store: ox.Store, lookups: Lookups) -> Scan:
    """Read what the score needs from one store (in the child; the tests compare it with the parent's reading).

    The IRI keys the scans return are interned (quality_graph._concat), so pickle writes each once."""
    from ldt_conform.quality import fact_columns

    graph = qg.index(store, with_titles=False)
    columns = {metric: compact(column) for metric, column in fact_columns(graph, lookups).items()}
    # The titles last: held through the metric scans, they were ≈ 47 MB of the child's peak at 200,000 datasets.
    return Scan(datasets=graph.datasets, dist_row=graph.dist_row, dist_also=graph.dist_also,
                dist_count=compact(graph.dist_count), titles=qg.titles(graph),
                literal_dists=graph.literal_dists, union=graph.union, blank=graph.has_blank_nodes(),
                columns=columns)


def compact(column: Sequence[Any]) -> Sequence[Any]:
    """A column of ints as one buffer: one byte per dataset when they fit, else four (a list that holds anything
    else, or larger ints, is kept). Unpickled, a list of 200,000 ints is 200,000 eight-byte pointers in the parent:
    32 MB for the score's 20 fact columns at 200,000 datasets, 4 MB as bytes."""
    if not column or any(v.__class__ is not int for v in column):
        return column
    low, high = min(column), max(column)
    if low >= 0 and high <= 255:
        return array("B", column)
    if low >= -2**31 and high < 2**31:
        return array("i", column)
    return column


def graph_of(store: ox.Store, got: Scan) -> qg.Graph:
    """The quality graph a parent-side `index` would have built, with the child's metric columns."""
    g = qg.Graph(store, got.datasets, got.titles, literal_dists=got.literal_dists, union=got.union,
                 dist_row=got.dist_row, dist_also=got.dist_also, dist_count=got.dist_count, columns=got.columns)
    g._blank = got.blank
    return g


class Pending:
    """The child that scans the targets' stores, and what it sent back (read once, on the first `graph`)."""

    def __init__(self, pid: int, fd: int, answer: IO[bytes], targets: Sequence[Any],
                 lookups: Lookups | None = None) -> None:
        self.pid = pid
        # What the child's columns were worked out with; the score must use the same (quality.attach).
        self.lookups = lookups
        self._pipe = fd
        self._answer = answer
        self._order = [id(t) for t in targets]
        self._got: dict[int, Scan] | None = None
        self.started = time.monotonic()
        # A run that ends before the score (an error in a rule, Ctrl-C) must not leave the child behind.
        self._reap = weakref.finalize(self, _reap, pid, fd, answer)

    def graph(self, target: Any) -> qg.Graph | None:
        """The target's quality graph from the child's scan, or None (then the caller reads the store itself)."""
        if self._got is None:
            self._got = self._collect()
        # Handed out once: kept here, the scan would outlive the graph the score releases (Graph.release_index).
        got = self._got.pop(id(target), None)
        return None if got is None else graph_of(target.prepared.store, got)

    def _collect(self) -> dict[int, Scan]:
        # The child's scan is a fraction of the rules' work, so it is waited for at most as long again as the rules
        # took (and at least a few seconds): a child that is stuck or starved is killed and the parent reads itself.
        budget = max(MIN_WAIT_S, time.monotonic() - self.started)
        done = _closed(self._pipe, time.monotonic() + budget)
        self._reap.detach()
        # A child that closed its end is exiting; one that did not is stuck or late, and is killed.
        status = _reap(self.pid, self._pipe, None, kill=not done)
        scans: Any = None
        if done and status == 0:
            try:
                self._answer.seek(0)
                scans = pickle.load(self._answer)
            except (EOFError, pickle.UnpicklingError, AttributeError, ValueError, TypeError, IndexError, OSError):
                scans = None
        self._answer.close()
        if not isinstance(scans, list) or len(scans) != len(self._order):
            return {}
        return {key: s for key, s in zip(self._order, scans) if isinstance(s, Scan)}


def _closed(fd: int, deadline: float) -> bool:
    """Whether the child closed its end of the pipe (it writes nothing there: it exits) before the deadline."""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return False
        try:
            if not os.read(fd, 4096):
                return True
        except OSError:
            return False


def _reap(pid: int, fd: int, answer: IO[bytes] | None, kill: bool = True) -> int | None:
    """Close the pipe (and the answer file), kill the child unless it is known to be exiting, and reap it: its wait
    status."""
    try:
        os.close(fd)
    except OSError:
        pass
    if answer is not None:
        answer.close()
    if kill:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return None


def start(targets: Sequence[Any], *, min_triples: int | None = None,
          lookups: Callable[[], Lookups] | None = None) -> Pending | None:
    """Fork the child that scans the in-memory stores of `targets`, when it is worth it and safe; else None.

    `lookups` loads the EDP lookups (quality.load_lookups), called only when the child is forked; without it the
    child leaves the lookup metrics to the parent."""
    rdf = [t for t in targets if getattr(t, "prepared", None) is not None]
    if not rdf or not hasattr(os, "fork"):
        return None
    if any(t.prepared.on_disk for t in rdf):
        return None  # an on-disk store runs RocksDB background threads, which must not be forked
    if sum(getattr(t, "triple_count", 0) or 0 for t in rdf) < (MIN_TRIPLES if min_triples is None else min_triples):
        return None
    from ldt_conform.quality import table

    table()  # the metric table is read once, here, not by the child and then again by the parent
    given = lookups() if lookups is not None else None
    # The answer goes to an unlinked temporary file, not down the pipe: the child must not wait for the parent to
    # read it. While it lives, every page the parent writes is first copied (copy-on-write), so it leaves as soon as
    # it is done. The pipe only tells the parent that it is done: the child's end closes when it exits.
    # No temporary file (a read-only or full TMPDIR), no pipe or no fork (a process limit, no memory to copy the page
    # tables): the read-ahead is an optimisation, so the parent just reads the store itself, as without it.
    try:
        answer = tempfile.TemporaryFile(prefix="ldt-conform-score-")  # noqa: SIM115 - Pending closes it
    except OSError:
        return None
    try:
        r, w = os.pipe()
    except OSError:
        answer.close()
        return None
    try:
        pid = os.fork()
    except OSError:
        answer.close()
        os.close(r)
        os.close(w)
        return None
    if pid == 0:  # child: scan, write, leave at once (no teardown of the inherited heap)
        code = 1
        try:
            os.close(r)
            pickle.dump([scan(t.prepared.store, given or {}) for t in rdf], answer, protocol=pickle.HIGHEST_PROTOCOL)
            answer.flush()
            code = 0
        finally:
            os._exit(code)
    os.close(w)
    return Pending(pid, r, answer, rdf, given)
