"""Benchmark: the time the quality score adds to a `check` run on a generated N-dataset catalogue (median of runs)."""
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
    parser.add_argument("--repeat", type=int, default=3, help="runs; the median is reported")
    args = parser.parse_args()
    from ldt_conform import api

    scoring: list[float] = []
    scoring_cpu: list[float] = []
    real_score = api._score

    def timed(*a: Any, **k: Any) -> Any:
        # The scoring step of the real run (same targets, the engine's indexes and labels), timed in place.
        started, cpu = time.perf_counter(), time.process_time()
        try:
            return real_score(*a, **k)
        finally:
            scoring.append(time.perf_counter() - started)
            scoring_cpu.append(time.process_time() - cpu)

    api._score = timed  # type: ignore[assignment]
    totals, totals_cpu = [], []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "catalogue.ttl"
        subprocess.run([sys.executable, str(HERE / "generate_catalogue.py"), str(args.n), str(path)], check=True)
        for _ in range(args.repeat):
            started, cpu = time.perf_counter(), time.process_time()
            report = api.check([str(path)], api.CheckOptions(profile=args.profile, offline=True))
            totals.append(time.perf_counter() - started)
            totals_cpu.append(time.process_time() - cpu)
    cat = report.quality["catalogues"][0]
    total, score = statistics.median(totals), statistics.median(scoring)
    added = [100 * s / (t - s) for s, t in zip(scoring, totals)]
    print(f"datasets: {cat['datasets']}  findings: {len(report.findings)}  score: {cat['score']} / {cat['max']} "
          f"({cat['band']})  load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"check (with scoring), median of {args.repeat}: {total:.2f} s  scoring: {score:.2f} s  "
          f"added: {statistics.median(added):.1f}% of the run without it "
          f"(runs: {', '.join(f'{a:.1f}%' for a in added)})")
    # On a shared machine the wall clock counts other people's work; this process's CPU time does not.
    added_cpu = [100 * s / (t - s) for s, t in zip(scoring_cpu, totals_cpu)]
    print(f"CPU time of this process, median: check {statistics.median(totals_cpu):.2f} s  scoring "
          f"{statistics.median(scoring_cpu):.2f} s  added: {statistics.median(added_cpu):.1f}% "
          f"(runs: {', '.join(f'{a:.1f}%' for a in added_cpu)})")


if __name__ == "__main__":
    main()
