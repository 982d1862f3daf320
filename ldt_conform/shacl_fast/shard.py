"""Spreads the batched questions of a validation over threads: pyoxigraph 0.5 releases the GIL while it evaluates.

Before the shapes are evaluated, :func:`prefetch` answers the predicate-wide questions (a scan of one predicate with
every filter the shapes put on it, the missing values of a class, which predicates repeat) in ``jobs`` threads over
the one store; the evaluation then finds them in the caches of :class:`Data`. Those questions are most of the
evaluation (3.1 s of 3.5 s at 50,000 datasets, dcat-ap-3-core). What is left is Python that holds the GIL: split
over two threads by focus node it took twice as long as in one, so it is not split.

Until 2026-12-04 this module forked processes: the prefetch, then one focus-node shard per job. Oxigraph's in-memory
store writes to memory as it reads, so after a fork every page of the store that either process touched was copied:
at 50,000 datasets the forked prefetch took 5.95 s for 3.06 s of questions, and `check -j 2` ran at 0.72x the speed
of `-j 1`. Focus-node shards (partition.py) remain, for Dask workers that each read the input themselves.
"""

from __future__ import annotations

import threading

from ldt_conform.shacl_fast.data import Data

# Below this many focus nodes in all (summed over shapes), the questions are small and one thread asks them.
MIN_FOCUS_TO_SHARD = 5000

Item = tuple[str, str]


def work_items(data: Data) -> list[Item]:
    """The batched questions worth prefetching; cardinality batches first, as they are the heaviest."""
    items: list[Item] = [("missing", p) for p in sorted(data.min_preds)]
    # Scans with an unfiltered ("true") column return every triple of the predicate, and the evaluation rarely
    # reads them: asked ahead at 50,000 datasets they added 0.2-0.3 s and saved the evaluation nothing (0.13 s
    # either way), so they stay lazy.
    items += [("scan", p) for p, exprs in sorted(data.scan_exprs.items()) if "true" not in exprs]
    if data.max1_preds:
        items.append(("multi", ""))
    return items


def _answer(data: Data, item: Item) -> None:
    """Ask one batched question; the answer stays in ``data``'s cache, where the evaluation looks for it."""
    kind, key = item
    if kind == "missing":
        data.missing(key, next(iter(data.min_preds[key])))
    elif kind == "scan":
        data.scan(key, data.scan_exprs[key][0])
    else:
        data._multi_valued()


def prefetch(data: Data, jobs: int, n_focus: int) -> None:
    """Answer the planned batched questions with ``jobs`` threads (this one included), heaviest first.

    Each thread takes the next question off one shared list, so a long scan does not hold up a fixed share of them.
    The first exception a thread raised (BudgetExceeded, past the deadline) is raised here once every thread has
    stopped; a thread stops at its next question after the deadline (Data.rows). The helper threads are daemons: a
    query that never ends cannot keep the process alive after validate() has given up on it.
    """
    if jobs <= 1 or n_focus < MIN_FOCUS_TO_SHARD:
        return
    items = iter(work_items(data))
    lock = threading.Lock()
    errors: list[BaseException] = []

    def take() -> Item | None:
        with lock:
            return None if errors else next(items, None)

    def answer_all() -> None:
        try:
            while (item := take()) is not None:
                _answer(data, item)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread below
            errors.append(exc)

    helpers = [threading.Thread(target=answer_all, name=f"ldt-shacl-prefetch-{i}", daemon=True)
               for i in range(1, jobs)]
    for helper in helpers:
        helper.start()
    answer_all()
    for helper in helpers:
        helper.join()
    if errors:
        raise errors[0]
