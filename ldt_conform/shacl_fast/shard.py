"""Spreads validation over forked processes: pyoxigraph holds the GIL while it evaluates, so threads do not help.

:func:`run_forked` runs focus-node shards (see partition.py) on the copy-on-write store; the parent runs shard 0
and recomputes, itself, any shard whose child fails to deliver, so forking can cost time but never findings.

Shards are by focus node, not by shape: a shape shard would repeat the predicate scans that many shapes share,
while a focus shard splits every shape's per-node work and keeps each shard's own queries narrowed to its nodes.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable
from typing import TypeVar

# Below this many focus nodes in all (summed over shapes), forking costs more than it saves.
MIN_FOCUS_TO_SHARD = 5000

T = TypeVar("T")


def run_forked(run: Callable[[int], list[T]], jobs: int, children: list[int]) -> list[T]:
    """``run(0) + ... + run(jobs - 1)``, shards 1.. in forked children; a failed child's shard is rerun here."""
    pipes: list[tuple[int, int, int]] = []
    for i in range(1, jobs):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: run its shard, send it back, leave at once (no cleanup of the big heap)
            os.close(r)
            code = 1
            try:
                mine = run(i)
                with os.fdopen(w, "wb") as fh:
                    pickle.dump(mine, fh, protocol=pickle.HIGHEST_PROTOCOL)
                code = 0
            finally:
                os._exit(code)
        os.close(w)
        children.append(pid)
        pipes.append((i, pid, r))
    out = run(0)
    for i, pid, r in pipes:
        try:
            with os.fdopen(r, "rb") as fh:
                got: list[T] | None = pickle.load(fh)
        except (EOFError, pickle.UnpicklingError, OSError):
            got = None
        try:
            _, status = os.waitpid(pid, 0)
            if status != 0:
                got = None
        except ChildProcessError:
            pass
        if pid in children:
            children.remove(pid)
        out.extend(run(i) if got is None else got)
    return out


def kill(children: list[int]) -> None:
    """Stop shard processes that are still running (the caller's time budget ran out)."""
    for pid in list(children):
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        children.remove(pid)
