"""Spreads validation over forked processes: pyoxigraph holds the GIL while it evaluates, so threads do not help.

:func:`run_forked` runs focus-node shards (see partition.py) on the copy-on-write store; the parent runs shard 0
and recomputes, itself, any shard whose child fails to deliver, so forking can cost time but never findings.

Before the focus shards fork, :func:`prefetch` spreads the predicate-wide questions (the scans every shard would
otherwise repeat) over the same number of processes and installs the answers here, so the shards inherit warm
caches. Shards are by focus node, not by shape: a shape shard would repeat the scans that many shapes share.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable
from typing import Any, TypeVar

from ldt_conform.shacl_fast.data import Data

# Below this many focus nodes in all (summed over shapes), forking costs more than it saves.
MIN_FOCUS_TO_SHARD = 5000

Item = tuple[str, str]
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


def work_items(data: Data) -> list[Item]:
    """The batched questions worth prefetching; cardinality batches first, as they are the heaviest."""
    items: list[Item] = [("missing", p) for p in sorted(data.min_preds)]
    # Scans with an unfiltered ("true") column return every triple of the predicate: shipping those
    # rows between processes would cost more than asking again, so they stay lazy.
    items += [("scan", p) for p, exprs in sorted(data.scan_exprs.items()) if "true" not in exprs]
    if data.max1_preds:
        items.append(("multi", ""))
    return items


def _answer(data: Data, item: Item) -> Any:
    kind, key = item
    if kind == "missing":
        data.missing(key, next(iter(data.min_preds[key])))
        return data._missing[key]
    if kind == "scan":
        exprs = data.scan_exprs[key]
        data.scan(key, exprs[0])
        return data._scans[key]
    return data._multi_valued()


def _install(data: Data, item: Item, answer: Any) -> None:
    kind, key = item
    if kind == "missing":
        data._missing[key] = answer
    elif kind == "scan":
        data._scans[key] = answer
    else:
        data._multi = answer


def prefetch(data: Data, jobs: int, n_focus: int, children: list[int]) -> None:
    """Answer the planned batched questions, spread over ``jobs`` processes (this one included)."""
    if jobs <= 1 or not hasattr(os, "fork") or n_focus < MIN_FOCUS_TO_SHARD:
        return
    items = work_items(data)
    shares = [items[i::jobs] for i in range(jobs)]
    pipes: list[tuple[int, int, list[Item]]] = []
    for share in shares[1:]:
        if not share:
            continue
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: answer its share, send it back, leave at once (no cleanup of the big heap)
            os.close(r)
            out: dict[int, Any] = {}
            try:
                for i, item in enumerate(share):
                    out[i] = _answer(data, item)
            except BaseException:  # noqa: BLE001 - whatever is missing is recomputed by the parent
                pass
            try:
                with os.fdopen(w, "wb") as fh:
                    pickle.dump(out, fh, protocol=pickle.HIGHEST_PROTOCOL)
            finally:
                os._exit(0)
        os.close(w)
        children.append(pid)
        pipes.append((pid, r, share))
    for item in shares[0]:
        _answer(data, item)
    for pid, r, share in pipes:
        try:
            with os.fdopen(r, "rb") as fh:
                got: dict[int, Any] = pickle.load(fh)
        except (EOFError, pickle.UnpicklingError, OSError):
            got = {}
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
        if pid in children:
            children.remove(pid)
        for i, answer in got.items():
            _install(data, share[i], answer)


def kill(children: list[int]) -> None:
    """Stop shard processes that are still running (the caller's time budget ran out)."""
    for pid in list(children):
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        children.remove(pid)
