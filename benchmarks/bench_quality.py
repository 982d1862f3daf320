"""Benchmark: the time the quality score adds to a `check` run on a generated N-dataset catalogue (median of runs).

Runs `check` alternately with and without the scoring step (api._score), and times the scoring step inside the runs
that have it (same targets, the engine's labels). The CPU time is this process's: forked SHACL shards are not in it,
so the share it gives is an upper bound; the wall clock counts other people's work on a shared machine.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int, nargs="?", default=10_000, help="number of datasets")
    parser.add_argument("--profile", default="dcat-ap-3")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each kind; the median is reported")
    parser.add_argument("--catalogue", type=Path, help="an existing catalogue instead of a generated one")
    args = parser.parse_args()
    from ldt_conform import api

    real_score = api._score
    step: dict[str, list[float]] = {"wall": [], "cpu": []}

    def timed(*a: Any, **k: Any) -> Any:
        started, cpu = time.perf_counter(), time.process_time()
        try:
            return real_score(*a, **k)
        finally:
            step["wall"].append(time.perf_counter() - started)
            step["cpu"].append(time.process_time() - cpu)

    def unscored(report: Any, *_: Any, **__: Any) -> Any:
        return report

    runs: dict[str, dict[str, list[float]]] = {k: {"wall": [], "cpu": []} for k in ("with", "without")}
    with tempfile.TemporaryDirectory() as tmp:
        path = args.catalogue
        if path is None:
            path = Path(tmp) / "catalogue.ttl"
            subprocess.run([sys.executable, str(HERE / "generate_catalogue.py"), str(args.n), str(path)], check=True)
        report = None
        for _ in range(args.repeat):
            for kind, hook in (("with", timed), ("without", unscored)):
                api._score = hook  # type: ignore[assignment]
                started, cpu = time.perf_counter(), time.process_time()
                got = api.check([str(path)], api.CheckOptions(profile=args.profile, offline=True))
                runs[kind]["wall"].append(time.perf_counter() - started)
                runs[kind]["cpu"].append(time.process_time() - cpu)
                report = got if kind == "with" else report
    api._score = real_score  # type: ignore[assignment]
    assert report is not None
    cat = report.quality["catalogues"][0]
    print(f"{path.name if args.catalogue else f'generated {args.n}'}, profile {args.profile}: datasets "
          f"{cat['datasets']}  findings {len(report.findings)}  score {cat['score']} / {cat['max']} ({cat['band']})  "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for clock in ("cpu", "wall"):
        with_, without, scoring = (statistics.median(runs["with"][clock]), statistics.median(runs["without"][clock]),
                                   statistics.median(step[clock]))
        inside = [100 * s / (t - s) for s, t in zip(step[clock], runs["with"][clock])]
        shares = ", ".join(f"{a:.1f}%" for a in inside)
        print(f"  {clock:4}, median of {args.repeat}: check with scoring {with_:.2f} s, without {without:.2f} s "
              f"(+{100 * (with_ - without) / without:.1f}%); the scoring step {scoring:.2f} s = "
              f"{statistics.median(inside):.1f}% of the rest of its run (runs: {shares})")
    import resource

    print(f"  peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
