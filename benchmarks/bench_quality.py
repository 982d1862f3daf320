"""Benchmark: the time the quality score adds to a `check` run on a generated N-dataset catalogue.

Every run is a fresh Python process, as a user's `ldt-conform check` is: alternately with and without scoring
(api._score, and api._read_ahead: the child that reads the catalogue graph for the score while the rules run,
quality_fork.py). An earlier version ran all the checks in this one process; its first run with scoring paid the
score's imports and table loading and the later ones did not, so its pairs mixed two different costs.

Two clocks per run: wall (what the user waits for) and CPU (the run's process and every child it waited for: the
read-ahead child and, with --jobs > 1, the forked SHACL shards), so with --jobs 1 the CPU overhead is exactly what
scoring costs while the wall clock also counts other people's work on a shared machine. Each run with scoring also
reports the scoring step after the rules (the critical path the read-ahead cannot hide). The report gives the medians
and every pair, and the load average before and after.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

# One run, in a fresh interpreter: the module is imported here, so the import time counts as it does for the CLI.
ONE_RUN = r"""
import json, resource, sys, time
started = time.perf_counter()
from ldt_conform import api
path, kind, profile, jobs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
step = []
if kind == "without":
    api._score = lambda report, *a, **k: report
    api._read_ahead = lambda *a, **k: None
else:
    real = api._score
    def timed(*a, **k):
        t = time.perf_counter()
        try:
            return real(*a, **k)
        finally:
            step.append(time.perf_counter() - t)
    api._score = timed
report = api.check([path], api.CheckOptions(profile=profile, offline=True, jobs=jobs))
wall = time.perf_counter() - started
own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
cat = (report.quality or {}).get("catalogues", [{}])[0]
print(json.dumps({"wall": wall, "cpu": own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime,
                  "children_cpu": kids.ru_utime + kids.ru_stime, "step": sum(step), "findings": len(report.findings),
                  "datasets": cat.get("datasets"), "score": cat.get("score"), "max": cat.get("max"),
                  "band": cat.get("band")}))
"""


def one_run(path: Path, kind: str, profile: str, jobs: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-c", ONE_RUN, str(path), kind, profile, str(jobs)],
                          capture_output=True, text=True, env=env, cwd=REPO)
    if proc.returncode != 0:
        raise SystemExit(f"a {kind} run failed:\n{proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, nargs="?", default=10_000, help="number of datasets")
    parser.add_argument("--profile", default="dcat-ap-3")
    parser.add_argument("--pairs", type=int, default=11, help="alternating pairs of runs; medians are reported")
    parser.add_argument("--catalogue", type=Path, help="an existing catalogue instead of a generated one")
    parser.add_argument("--jobs", type=int, default=1, help="SHACL shards (check -j); 0 = the idle cores")
    args = parser.parse_args()
    # As bench_scale.py: bytecode compiled first, as an installed tool has it (PYTHONDONTWRITEBYTECODE would
    # otherwise make every run compile the package from source).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "ldt_conform")], check=True,
                   stdout=subprocess.DEVNULL)
    runs: dict[str, list[dict[str, Any]]] = {"with": [], "without": []}
    with tempfile.TemporaryDirectory() as tmp:
        path = args.catalogue
        if path is None:
            path = Path(tmp) / "catalogue.ttl"
            subprocess.run([sys.executable, str(HERE / "generate_catalogue.py"), str(args.n), str(path)], check=True)
        before = load_average()
        for _ in range(args.pairs):
            for kind in ("with", "without"):
                runs[kind].append(one_run(path, kind, args.profile, args.jobs))
        after = load_average()
    scored = runs["with"][-1]
    print(f"{path.name if args.catalogue else f'generated {args.n}'}, profile {args.profile}, jobs {args.jobs}: "
          f"datasets {scored['datasets']}, findings {scored['findings']}, score {scored['score']} / {scored['max']} "
          f"({scored['band']}); {args.pairs} pairs of fresh processes; load average {before} -> {after}")
    for clock in ("wall", "cpu"):
        with_ = [r[clock] for r in runs["with"]]
        without = [r[clock] for r in runs["without"]]
        pairs = [100 * (w - o) / o for w, o in zip(with_, without)]
        a, b = statistics.median(with_), statistics.median(without)
        print(f"  {clock:4}: with scoring {a:.2f} s, without {b:.2f} s: {100 * (a - b) / b:+.1f}% "
              f"(median of the pairs {statistics.median(pairs):+.1f}%; pairs {' '.join(f'{p:+.0f}' for p in pairs)})")
    print(f"  scoring step after the rules: median {statistics.median(r['step'] for r in runs['with']):.2f} s; "
          f"children's CPU with scoring (the read-ahead child): median "
          f"{statistics.median(r['children_cpu'] for r in runs['with']):.2f} s")


if __name__ == "__main__":
    main()
