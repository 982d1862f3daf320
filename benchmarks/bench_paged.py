"""Paged-catalogue benchmark: one catalogue checked as N hydra:next pages from a local server, and as one file.

The generated catalogue (generate_catalogue.py, with its seeded defects) is cut into pages: page 1 holds the header
and the catalogue with its full dcat:dataset list, every page the next block of datasets and a hydra:next link. The
same datasets are also written as one Turtle file and served as one URL. Each variant runs as its own
`ldt-conform check` process (interpreter start included), in one run, and the findings of the paged run must equal
the single file's, so the timing compares equal work. By hand, never as a test:

    nice -n 0 python benchmarks/bench_paged.py --pages 20 --per-page 500 --repeat 3
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate_catalogue import PREFIXES, generate  # noqa: E402

HYDRA = "@prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n"


def pages_of(n_pages: int, per_page: int) -> tuple[str, list[str]]:
    """The whole catalogue as one Turtle text, and the same triples cut into pages (without their links)."""
    out = io.StringIO()
    generate(n_pages * per_page, out)
    text = out.getvalue()
    start = text.index("ex:dataset-0 a dcat:Dataset")
    header, blocks = text[:start], [b for b in text[start:].split("\n\n") if b.strip()]
    assert len(blocks) == n_pages * per_page, len(blocks)
    pages = []
    for k in range(n_pages):
        chunk = "\n\n".join(blocks[k * per_page:(k + 1) * per_page]) + "\n"
        pages.append((header if k == 0 else PREFIXES) + chunk)
    return text, pages


def serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    class Quiet(SimpleHTTPRequestHandler):
        extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".ttl": "text/turtle"}

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(folder)))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def run(target: str, profile: str, max_pages: int) -> tuple[float, float | None, dict[str, Any]]:
    """One `ldt-conform check` process: (wall seconds, peak RSS MB or None, JSON report)."""
    timer = ["/usr/bin/time", "-f", "__peak_kb__ %M"] if Path("/usr/bin/time").exists() else []
    cmd = [*timer, sys.executable, "-m", "ldt_conform", "check", target, "--profile", profile, "--format", "json",
           "--offline", "--max-pages", str(max_pages)]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    wall = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{target}: exit {proc.returncode}\n{proc.stderr[-2000:]}")
    peak = None
    for line in proc.stderr.splitlines():
        if line.startswith("__peak_kb__"):
            peak = int(line.split()[1]) / 1024
    return wall, peak, json.loads(proc.stdout)


def findings(report: dict[str, Any]) -> list[tuple[str, ...]]:
    return sorted((f["rule"], f["focus"], f.get("path") or "", f.get("value") or "") for f in report["findings"]
                  if not f["rule"].startswith("LC-"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--per-page", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", default="dcat-ap-3-core")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="ldt-bench-paged-"))
    try:
        whole, pages = pages_of(args.pages, args.per_page)
        (folder / "whole.ttl").write_text(whole, "utf-8")
        httpd, base = serve(folder)
        for k, page in enumerate(pages, start=1):
            link = f"<> hydra:next <{base}/page{k + 1}.ttl> .\n" if k < len(pages) else ""
            (folder / f"page{k}.ttl").write_text(HYDRA + page + link, "utf-8")
        variants = {"paged, over HTTP": f"{base}/page1.ttl", "one file, over HTTP": f"{base}/whole.ttl",
                    "one file, local": str(folder / "whole.ttl")}
        times: dict[str, list[float]] = {name: [] for name in variants}
        peaks: dict[str, list[float]] = {name: [] for name in variants}
        reports: dict[str, dict[str, Any]] = {}
        for _ in range(args.repeat):
            for name, target in variants.items():  # interleaved, so a busy spell hits every variant alike
                wall, peak, reports[name] = run(target, args.profile, args.pages)
                times[name].append(wall)
                if peak is not None:
                    peaks[name].append(peak)
        paged = reports["paged, over HTTP"]
        [target] = paged["targets"]
        assert len(target["pages"]) == args.pages, target
        assert not [f for f in paged["findings"] if f["rule"].startswith("LC-")], "tool findings in the paged run"
        same = findings(paged) == findings(reports["one file, local"])
        size = sum(p["size"] for p in target["pages"])
        print(f"{args.pages} pages × {args.per_page} datasets = {args.pages * args.per_page:,} datasets, "
              f"{target['triples']:,} triples, {size:,} bytes; profile {args.profile}; median of {args.repeat}")
        print(f"{'variant':24} {'wall s':>8} {'min s':>8} {'peak MB':>8} {'findings':>9}")
        for name in variants:
            peak = f"{max(peaks[name]):8.0f}" if peaks[name] else f"{'-':>8}"
            print(f"{name:24} {statistics.median(times[name]):8.2f} {min(times[name]):8.2f} {peak} "
                  f"{len(findings(reports[name])):9,}")
        overhead = statistics.median(times["paged, over HTTP"]) / statistics.median(times["one file, over HTTP"])
        print(f"paged / one file over HTTP: {overhead:.2f}x; findings identical: {same}")
        httpd.shutdown()
        return 0 if same else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
