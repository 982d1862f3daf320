"""Benchmark: the time the quality score adds to a `check` run on a generated N-dataset catalogue (one run)."""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int, nargs="?", default=10_000, help="number of datasets")
    parser.add_argument("--profile", default="dcat-ap-3")
    args = parser.parse_args()
    from ldt_conform import api, quality
    from ldt_conform import load as loader

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "catalogue.ttl"
        subprocess.run([sys.executable, str(HERE / "generate_catalogue.py"), str(args.n), str(path)], check=True)
        started = time.perf_counter()
        report = api.check([str(path)], api.CheckOptions(profile=args.profile, offline=True))
        total = time.perf_counter() - started
        # The score again, alone, on the same inputs: the part of `total` that scoring costs.
        targets = loader.open_targets([str(path)])
        started = time.perf_counter()
        quality.attach(report, targets)
        scoring = time.perf_counter() - started
    cat = report.quality["catalogues"][0]
    print(f"datasets: {cat['datasets']}  findings: {len(report.findings)}  score: {cat['score']} / {cat['max']} "
          f"({cat['band']})")
    print(f"check (with scoring): {total:.2f} s  scoring alone: {scoring:.2f} s  "
          f"added: {100 * scoring / (total - scoring):.1f}% of the run without it")


if __name__ == "__main__":
    main()
