"""The quality score's graph reading, done in a forked child while the rules run.

What the score reads from a catalogue (its datasets, their distributions and titles, which nodes have each metric's
property and with which values: `quality_graph.index` and `facts`) does not depend on the findings, so it need not
wait for them. pyoxigraph holds the GIL while it answers a query, so a thread would not overlap it with the SHACL
queries; a child forked from the loaded store (copy-on-write, read only) does, on a core the rules leave idle.

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
import time
import weakref
from dataclasses import dataclass
from typing import Any, Sequence

import pyoxigraph as ox

from ldt_conform import quality_graph as qg

# Below this many triples in all, a fork costs more than the scan it hides (measured: a fork of a loaded process and
# reading back its answer take ~10-20 ms; the scan of a 50,000-triple catalogue about as long).
MIN_TRIPLES = 50_000
# The least time the parent waits for the child's answer once it needs it (see Pending._collect).
MIN_WAIT_S = 5.0


@dataclass(frozen=True)
class Scan:
    """One catalogue's graph facts as the child sends them: plain strings, lists and sets, so that the parent gets
    them back at C speed (each node key is one string object, which pickle writes once however often it occurs)."""

    datasets: list[str]
    dists: dict[str, list[str]]
    dist_rows: dict[str, list[int]]
    titles: dict[str, str]
    literal_dists: dict[str, int]
    union: bool
    facts: dict[str, dict[str | None, set[str]]]  # property → IRI value (None: not an IRI) → node keys
    valued: frozenset[str]


def wanted() -> tuple[frozenset[str], frozenset[str]]:
    """The properties every assessable metric may ask about, and those whose values its test reads.

    Independent of the run's context (links, lookups): a metric that turns out not assessable only leaves its facts
    unread.
    """
    from ldt_conform.quality import table

    queried = [m for m in table().metrics if m.test not in ("compliance", "status")]
    valued = frozenset(p for m in queried if m.test != "present" for p in m.properties)
    return frozenset(p for m in queried for p in m.properties) | valued, valued


def scan(store: ox.Store) -> Scan:
    """Read what the score needs from one store (in the child; the tests compare it with the parent's reading)."""
    properties, valued = wanted()
    graph = qg.index(store)
    facts = qg.facts(graph, properties, valued)
    one: dict[str, str] = {}
    for k in graph.datasets:
        one.setdefault(k, k)
    for xs in graph.dists.values():
        for i, x in enumerate(xs):
            xs[i] = one.setdefault(x, x)
    sent = {p: {(None if v is qg.NOT_IRI else v.value): {one.setdefault(k, k) for k in nodes}
                for v, nodes in groups.items()} for p, groups in facts.items()}
    return Scan(datasets=graph.datasets, dists=graph.dists, dist_rows={one.setdefault(x, x): rows for x, rows in
                                                                       graph.dist_rows.items()},
                titles=graph.titles, literal_dists=graph.literal_dists, union=graph.union, facts=sent, valued=valued)


def graph_of(store: ox.Store, got: Scan) -> qg.Graph:
    """The quality graph a parent-side `index` + `facts` would have built, from the child's scan."""
    g = qg.Graph(store, got.datasets, got.dists, got.titles, literal_dists=got.literal_dists, union=got.union,
                 dist_rows=got.dist_rows)
    g.prefetched = qg.Prefetched({p: {(qg.NOT_IRI if v is None else ox.NamedNode(v)): nodes
                                      for v, nodes in groups.items()} for p, groups in got.facts.items()}, got.valued)
    return g


class Pending:
    """The child that scans the targets' stores, and what it sent back (read once, on the first `graph`)."""

    def __init__(self, pid: int, fd: int, targets: Sequence[Any]) -> None:
        self.pid = pid
        self._pipe = fd
        self._order = [id(t) for t in targets]
        self._got: dict[int, Scan] | None = None
        self.started = time.monotonic()
        # A run that ends before the score (an error in a rule, Ctrl-C) must not leave the child behind.
        self._reap = weakref.finalize(self, _reap, pid, fd)

    def graph(self, target: Any) -> qg.Graph | None:
        """The target's quality graph from the child's scan, or None (then the caller reads the store itself)."""
        if self._got is None:
            self._got = self._collect()
        got = self._got.get(id(target))
        return None if got is None else graph_of(target.prepared.store, got)

    def _collect(self) -> dict[int, Scan]:
        # The child's scan is a fraction of the rules' work, so it is waited for at most as long again as the rules
        # took (and at least a few seconds): a child that is stuck or starved is killed and the parent reads itself.
        budget = max(MIN_WAIT_S, time.monotonic() - self.started)
        data = _read_all(self._pipe, time.monotonic() + budget)
        self._reap.detach()
        # After its answer the child only exits; without one it is stuck or late, and is killed.
        status = _reap(self.pid, self._pipe, kill=data is None)
        scans: Any = None
        if data is not None and status == 0:
            try:
                scans = pickle.loads(data)
            except (EOFError, pickle.UnpicklingError, AttributeError, ValueError, TypeError, IndexError):
                scans = None
        if not isinstance(scans, list) or len(scans) != len(self._order):
            return {}
        return {key: s for key, s in zip(self._order, scans) if isinstance(s, Scan)}


def _read_all(fd: int, deadline: float) -> bytes | None:
    """Everything the child writes before it closes the pipe, or None when it did not finish by the deadline."""
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return None
        try:
            chunk = os.read(fd, 1 << 20)
        except OSError:
            return None
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _reap(pid: int, fd: int, kill: bool = True) -> int | None:
    """Close the pipe, kill the child unless it is known to be exiting, and reap it: its wait status."""
    try:
        os.close(fd)
    except OSError:
        pass
    if kill:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return None


def start(targets: Sequence[Any], *, min_triples: int | None = None) -> Pending | None:
    """Fork the child that scans the in-memory stores of `targets`, when it is worth it and safe; else None."""
    rdf = [t for t in targets if getattr(t, "prepared", None) is not None]
    if not rdf or not hasattr(os, "fork"):
        return None
    if any(t.prepared.on_disk for t in rdf):
        return None  # an on-disk store runs RocksDB background threads, which must not be forked
    if sum(getattr(t, "triple_count", 0) or 0 for t in rdf) < (MIN_TRIPLES if min_triples is None else min_triples):
        return None
    wanted()  # the metric table is read once, here, not by the child and then again by the parent
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: scan, send, leave at once (no teardown of the inherited heap)
        code = 1
        try:
            os.close(r)
            scans = [scan(t.prepared.store) for t in rdf]
            with os.fdopen(w, "wb") as fh:
                pickle.dump(scans, fh, protocol=pickle.HIGHEST_PROTOCOL)
            code = 0
        finally:
            os._exit(code)
    os.close(w)
    return Pending(pid, r, rdf)
