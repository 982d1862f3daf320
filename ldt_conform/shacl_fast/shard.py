"""Runs planned tasks across processes: pyoxigraph holds the GIL while it evaluates, so threads do not help."""

from __future__ import annotations

import os
import pickle
import select
import signal
from collections.abc import Callable

from ldt_conform.shacl_fast.errors import BudgetExceeded
from ldt_conform.shacl_fast.plan import Task

# Below this many focus nodes in all, forking costs more than it saves.
MIN_FOCUS_TO_SHARD = 5000

Rendered = tuple[str, "str | None", "str | None", str, str]


def _cost(task: Task) -> int:
    n_constraints = sum(1 + len(getattr(c.param, "constraints", ())) for c in task.shape.constraints)
    return max(1, len(task.focus)) * max(1, n_constraints)


def split(tasks: list[Task], jobs: int) -> list[list[Task]]:
    """Greedy balance by estimated cost; tasks sharing a focus pattern stay together (they share batches)."""
    groups: dict[str | None, list[Task]] = {}
    for t in tasks:
        groups.setdefault(t.pattern if t.pattern is not None else f"#{id(t)}", []).append(t)
    shards: list[list[Task]] = [[] for _ in range(jobs)]
    loads = [0] * jobs
    for group in sorted(groups.values(), key=lambda g: -sum(_cost(t) for t in g)):
        i = loads.index(min(loads))
        shards[i].extend(group)
        loads[i] += sum(_cost(t) for t in group)
    return [s for s in shards if s]


def run_sharded(tasks: list[Task], jobs: int, run: Callable[[list[Task]], list[Rendered]],
                children: list[int]) -> list[Rendered]:
    """Evaluate shards in forked children (the store is shared copy-on-write) and in this process."""
    if jobs <= 1 or not hasattr(os, "fork") or sum(len(t.focus) for t in tasks) < MIN_FOCUS_TO_SHARD:
        return run(tasks)
    shards = split(tasks, jobs)
    if len(shards) <= 1:
        return run(tasks)
    pipes: list[tuple[int, int]] = []
    for shard in shards[1:]:
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: evaluate, send back rendered results or the error, and leave at once
            os.close(r)
            try:
                payload: object = ("ok", run(shard))
            except BaseException as exc:  # noqa: BLE001 - re-raised in the parent
                payload = ("error", exc)
            with os.fdopen(w, "wb") as fh:
                try:
                    pickle.dump(payload, fh)
                except Exception as exc:  # noqa: BLE001 - an unpicklable error still reaches the parent
                    pickle.dump(("error", RuntimeError(repr(exc))), fh)
            os._exit(0)
        os.close(w)
        children.append(pid)
        pipes.append((pid, r))
    out = run(shards[0])
    error: BaseException | None = None
    for pid, r in pipes:
        with os.fdopen(r, "rb") as fh:
            select.select([fh], [], [])
            try:
                status, payload = pickle.load(fh)
            except EOFError:
                status, payload = "error", RuntimeError(f"shard process {pid} died")
        os.waitpid(pid, 0)
        children.remove(pid)
        if status == "ok":
            out.extend(payload)
        elif error is None or isinstance(payload, BudgetExceeded):
            error = payload
    if error is not None:
        raise error
    return out


def kill(children: list[int]) -> None:
    for pid in list(children):
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        children.remove(pid)
