"""Findings at scale: `check --findings FILE` (streamed) against the same run keeping every finding in its report.

Each size is a generated catalogue with 15 dcat-ap-3 findings per dataset (generate_catalogue.generate_defective), so
the findings, not the store, dominate memory. Both runs are whole CLI processes, one after the other on the same
file; peak RSS from GNU time (see run()). The streamed run must report the same total and severity counts as the
in-memory one, and its file must hold that many lines, or the benchmark stops.

Usage: python benchmarks/bench_findings.py [--sizes 20000 100000 200000] [--workdir DIR] [--parquet]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_catalogue import generate_defective


def run(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one CLI process, under GNU time.

    Not os.wait4 on a child of this process: a child started by vfork + exec inherits this process's peak RSS as
    its own (Linux keeps the larger of the old and new memory's peaks across exec), and this process has read the
    in-memory run's report of up to 2 GB by then."""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "__peak_kb__ %M", sys.executable, "-m", "ldt_conform", *args],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"ldt-conform {' '.join(args)} exited {proc.returncode}: {proc.stderr[-500:]}")
    peaks = [line.split()[1] for line in proc.stderr.splitlines() if line.startswith("__peak_kb__ ")]
    return wall, int(peaks[-1]) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000, 200_000])
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--profile", default="dcat-ap-3")
    parser.add_argument("--parquet", action="store_true", help="also stream to Parquet (needs pyarrow)")
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-findings-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"{'datasets':>9} {'findings':>10} | {'in memory':>20} | {'streamed (.jsonl)':>20} | time x, memory x")
    for n in args.sizes:
        source = work / f"defective-{n}.ttl"
        if not source.exists():
            with source.open("w", encoding="utf-8") as fh:
                generate_defective(n, fh)
        base = ["check", str(source), "--profile", args.profile, "-q", "-j", "1", "--format", "json"]
        whole = work / f"report-memory-{n}.json"
        t_mem, m_mem = run([*base, "-o", str(whole)])
        memory = json.loads(whole.read_text(encoding="utf-8"))
        total = len(memory["findings"])
        kinds = [".jsonl", ".parquet"] if args.parquet else [".jsonl"]
        cells = []
        for suffix in kinds:
            out, report = work / f"findings-{n}{suffix}", work / f"report-streamed-{n}.json"
            t_str, m_str = run([*base, "-o", str(report), "--findings", str(out)])
            streamed = json.loads(report.read_text(encoding="utf-8"))
            rows = sum(1 for _ in out.open("rb")) if suffix == ".jsonl" else _parquet_rows(out)
            if (streamed["streamed"]["total"], rows, streamed["summary"]["findings"]) != \
                    (total, total, memory["summary"]["findings"]):
                raise SystemExit(f"{n}: the streamed run does not count what the in-memory run found")
            cells.append(f"{suffix} {t_str:6.2f} s {m_str:7.0f} MiB, {t_str / t_mem:.2f}x time, "
                         f"{m_str / m_mem:.2f}x memory")
            whole_size, streamed_size = whole.stat().st_size, report.stat().st_size
        print(f"{n:>9,} {total:>10,} | {t_mem:6.2f} s {m_mem:7.0f} MiB | " + " | ".join(cells)
              + f" | reports {whole_size / 2**20:.0f} MiB vs {streamed_size / 2**20:.0f} MiB", flush=True)
    return 0


def _parquet_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(str(path)).metadata.num_rows)


if __name__ == "__main__":
    raise SystemExit(main())
