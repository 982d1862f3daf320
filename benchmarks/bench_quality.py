"""Benchmark: the time the quality score adds to a `check` run on a generated N-dataset catalogue (median of runs).

Runs `check` alternately with and without scoring (api._score, and api._read_ahead: the child that reads the
catalogue graph for the score while the rules run, quality_fork.py), and times the scoring step inside the runs that
have it (same targets, the engine's labels). Two clocks: wall (what the user waits for) and CPU. The CPU of a run is
this process's plus its children's (the read-ahead child, and forked SHACL shards with --jobs > 1), so with
--jobs 1 the CPU overhead is exactly what scoring costs; the wall clock also counts other people's work on a shared
machine. The read-ahead's own CPU is reported too.
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
    parser.add_argument("--jobs", type=int, default=1, help="SHACL shards (check -j); 0 = the idle cores")
    args = parser.parse_args()
    from ldt_conform import api

    import resource

    def cpu_now() -> float:
        own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    real_score, real_ahead = api._score, api._read_ahead
    step: dict[str, list[float]] = {"wall": [], "cpu": []}

    def timed(*a: Any, **k: Any) -> Any:
        started, cpu = time.perf_counter(), time.process_time()
        try:
            return real_score(*a, **k)
        finally:
            step["wall"].append(time.perf_counter() - started)
            step["cpu"].append(time.process_time() - cpu)

    def no_ahead(*_: Any, **__: Any) -> Any:
        return None

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
            for kind, hook, ahead in (("with", timed, real_ahead), ("without", unscored, no_ahead)):
                api._score, api._read_ahead = hook, ahead  # type: ignore[assignment]
                started, cpu = time.perf_counter(), cpu_now()
                got = api.check([str(path)], api.CheckOptions(profile=args.profile, offline=True, jobs=args.jobs))
                runs[kind]["wall"].append(time.perf_counter() - started)
                runs[kind]["cpu"].append(cpu_now() - cpu)
                report = got if kind == "with" else report
    api._score, api._read_ahead = real_score, real_ahead  # type: ignore[assignment]
    assert report is not None
    cat = report.quality["catalogues"][0]
    print(f"{path.name if args.catalogue else f'generated {args.n}'}, profile {args.profile}: datasets "
          f"{cat['datasets']}  jobs {args.jobs}  findings {len(report.findings)}  "
          f"score {cat['score']} / {cat['max']} ({cat['band']})  "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for clock in ("wall", "cpu"):
        with_, without, scoring = (statistics.median(runs["with"][clock]), statistics.median(runs["without"][clock]),
                                   statistics.median(step[clock]))
        pairs = ", ".join(f"{100 * (w - o) / o:+.1f}%" for w, o in zip(runs["with"][clock], runs["without"][clock]))
        print(f"  {clock:4}, median of {args.repeat}: check with scoring {with_:.2f} s, without {without:.2f} s "
              f"({100 * (with_ - without) / without:+.1f}%; run pairs: {pairs}); the scoring step after the rules "
              f"{scoring:.2f} s")
    print(f"  peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
