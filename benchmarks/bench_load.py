"""Time the store load: the direct path (Store.extend on the caller's thread) against the pipelined one (N-Quads chunks
Store.load-ed on a second thread), alternating in one process so that machine load hits both alike.

    nice -n 5 python benchmarks/bench_load.py /tmp/bs/catalogue-10000.ttl --repeats 5 --chunks 50000 100000 200000
"""

from __future__ import annotations

from pathlib import Path

import argparse
import os
import statistics
import time
from collections.abc import Callable

import pyoxigraph as ox

from ldt_conform.shacl_fast import data


LOADER_CPU = [0.0]  # CPU seconds the loader thread spent in insert_nquads during the last load


def _counted(insert: Callable[[ox.Store, bytes], None]) -> Callable[[ox.Store, bytes], None]:
    def run(store: ox.Store, part: bytes) -> None:
        t = time.thread_time()
        insert(store, part)
        LOADER_CPU[0] += time.thread_time() - t
    return run


def timed(load: Callable[[ox.Store], None]) -> tuple[float, float, float, float]:
    """Wall and CPU seconds (all threads) of one load into a fresh in-memory store, and the CPU seconds of the
    calling thread and of the loader thread: on a machine whose other core is busy the wall time hides what the
    pipeline would give on an idle one, max(caller, loader) plus the first chunk."""
    store = ox.Store()
    LOADER_CPU[0] = 0.0
    cpu0, t0, own0 = time.process_time(), time.perf_counter(), time.thread_time()
    load(store)
    wall, cpu, own = time.perf_counter() - t0, time.process_time() - cpu0, time.thread_time() - own0
    del store
    return wall, cpu, own, LOADER_CPU[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--chunks", type=int, nargs="+", default=[data.PIPE_CHUNK])
    parser.add_argument("--bulk", action="store_true", help="also time Store.bulk_load for the chunks")
    args = parser.parse_args(argv)
    raw = Path(args.file).read_bytes()
    fmt = ox.RdfFormat.TURTLE

    def quads() -> object:
        return ox.parse(raw, format=fmt)

    variants: dict[str, Callable[[ox.Store], None]] = {"direct": lambda s: data.load_direct(s, quads())}
    for c in args.chunks:
        variants[f"pipelined {c}"] = lambda s, c=c: data.load_pipelined(s, quads(), chunk=c)
    if args.bulk:
        def bulk(store: ox.Store, part: bytes) -> None:
            store.bulk_load(part, format=ox.RdfFormat.N_QUADS)

        for c in args.chunks:
            def run(s: ox.Store, c: int = c) -> None:
                real = data.insert_nquads
                data.insert_nquads = _counted(bulk)  # the generated catalogue has no blank nodes: every chunk is plain
                try:
                    data.load_pipelined(s, quads(), chunk=c)
                finally:
                    data.insert_nquads = real
            variants[f"bulk {c}"] = run
    data.insert_nquads = _counted(data.insert_nquads)
    times: dict[str, list[tuple[float, float, float, float]]] = {k: [] for k in variants}
    print(f"load average before: {os.getloadavg()}")
    for _ in range(args.repeats):
        for name, load in variants.items():  # alternate: one of each per round
            times[name].append(timed(load))
    for name, got in times.items():
        walls, cpus = [g[0] for g in got], [g[1] for g in got]
        own, loader = statistics.median(g[2] for g in got), statistics.median(g[3] for g in got)
        print(f"{name:>18}: wall median {statistics.median(walls):.2f} s (min {min(walls):.2f}), "
              f"cpu median {statistics.median(cpus):.2f} s (caller {own:.2f}, loader thread {loader:.2f})")
    print(f"load average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
