"""A federation on Dask: one `check` over many portal catalogues, in one process and with `--dask local:W` input tasks.

Each portal is a generated catalogue (generate_catalogue.generate, its own seed) in one folder; both runs check the
folder as a user would (`check DIR --profile P -q --format json -o FILE`), one after the other. Measured per run:
wall time, CPU seconds of the whole process tree (GNU time: the CLI and every child it waits for, the LocalCluster's
workers included), and the resident memory of each process of the tree, sampled every 0.1 s from /proc: the CLI
process itself ("parent") and the largest other process (the score's read-ahead child in one process, a Dask worker
with --dask). Sampling can miss a peak shorter than 0.1 s. The two JSON reports must be equal but for their start
and end times, or the benchmark stops.

Usage: python benchmarks/bench_federation.py [--portals 8] [--datasets 25000] [--workers 2] [--workdir DIR]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_catalogue import generate


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                found += [int(x) for x in fh.read().split()]
    except OSError:
        pass
    return found


def _rss_mib(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return 0.0


def run(args: list[str]) -> dict[str, float]:
    """Wall and CPU seconds, and sampled peak RSS (MiB) of the CLI process and of its largest descendant."""
    start = time.perf_counter()
    proc = subprocess.Popen(["/usr/bin/time", "-f", "__cpu__ %U %S", sys.executable, "-m", "ldt_conform", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    parent = other = 0.0
    while proc.poll() is None:
        tree = _children(proc.pid)  # GNU time's child: the CLI
        if tree:
            cli, i = tree[0], 0
            tree = [cli]
            while i < len(tree):
                tree += _children(tree[i])
                i += 1
            sizes = {pid: _rss_mib(pid) for pid in tree}
            parent = max(parent, sizes.pop(cli))
            other = max(other, *sizes.values(), 0.0)
        time.sleep(0.1)
    wall = time.perf_counter() - start
    err = proc.stderr.read() if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"ldt-conform {' '.join(args)} exited {proc.returncode}: {err[-800:]}")
    user, system = next(line.split()[1:] for line in err.splitlines() if line.startswith("__cpu__ "))
    return {"wall": wall, "cpu": float(user) + float(system), "parent": parent, "other": other}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portals", type=int, default=8)
    parser.add_argument("--datasets", type=int, default=25_000, help="datasets per portal")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--profile", default="dcat-ap-3-core")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-federation-"))
    folder = work / f"portals-{args.portals}x{args.datasets}"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(args.portals):
        path = folder / f"portal-{i:03d}.ttl"
        if not path.exists():
            with path.open("w", encoding="utf-8") as fh:
                generate(args.datasets, fh, seed=1000 + i)
    print(f"load before: {os.getloadavg()}")
    base = ["check", str(folder), "--profile", args.profile, "-q", "--format", "json"]
    one = run([*base, "-j", "1", "-o", str(work / "one.json")])
    print(f"load after one process: {os.getloadavg()}")
    dask = run([*base, "--dask", f"local:{args.workers}", "-o", str(work / "dask.json")])
    print(f"load after --dask: {os.getloadavg()}")
    reports = []
    for name in ("one.json", "dask.json"):
        data = json.loads((work / name).read_text(encoding="utf-8"))
        data.pop("started_at")
        data.pop("finished_at")
        reports.append(data)
    if reports[0] != reports[1]:
        raise SystemExit("the two reports differ: not a like-for-like measurement")
    total = args.portals * args.datasets
    print(f"{args.portals} portals x {args.datasets:,} datasets = {total:,}; "
          f"{len(reports[0]['findings']):,} findings in both reports (equal)")
    print(f"{'run':<22} {'wall s':>8} {'CPU s':>8} {'parent MiB':>11} {'largest other MiB':>18}")
    for label, got in (("one process (-j 1)", one), (f"--dask local:{args.workers}", dask)):
        print(f"{label:<22} {got['wall']:8.2f} {got['cpu']:8.2f} {got['parent']:11.0f} {got['other']:18.0f}")
    print(f"ratios (one process / --dask): wall {one['wall'] / dask['wall']:.2f}x, "
          f"parent memory {one['parent'] / dask['parent']:.1f}x, "
          f"largest process {max(one['parent'], one['other']) / max(dask['parent'], dask['other']):.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
