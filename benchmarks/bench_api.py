"""Live-API probe speed: the full OGC API – Features profile against a local pygeoapi, as a user runs it.

    python benchmarks/bench_api.py [--runs 7] [--profile ogcapi-features|api] [--serial]

Starts pygeoapi (the test fixture's configuration: one GeoJSON collection and one records catalogue) on 127.0.0.1,
then times `ldt-conform check --api ogcapi-features=URL --profile ogcapi-features` as a subprocess N times (the
wall-clock a CI job sees, interpreter start included) and the in-process probe alone, and prints the medians and the
number of HTTP requests. `--serial` runs the probe with one worker instead of the default pool, to show what the
concurrency buys. The target is under 10 s for the full Features probe.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from ldt_conform import api  # noqa: E402
from ldt_conform.checks import api as api_check  # noqa: E402
from servers import pygeoapi_server  # noqa: E402


def main() -> None:
    # The OGC building blocks pygeoapi references come from the artefact store: seeded from the shared corpus, as in
    # the tests, into a fresh cache (never the network, never the user's cache).
    corpus = ROOT.parent / "shared" / "corpus"
    if corpus.is_dir():
        os.environ.setdefault("LDT_CONFORM_SEED", str(corpus))
    os.environ.setdefault("LDT_CONFORM_CACHE", tempfile.mkdtemp(prefix="ldt-bench-cache-"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--profile", default="ogcapi-features")
    parser.add_argument("--serial", action="store_true", help="one request at a time (no worker pool)")
    args = parser.parse_args()
    if args.serial:
        api_check.CONCURRENCY = 1
    with tempfile.TemporaryDirectory() as tmp:
        server = pygeoapi_server.start(Path(tmp))
        try:
            run(server.url, args)
        finally:
            pygeoapi_server.stop(server)


def run(url: str, args: argparse.Namespace) -> None:
    # --profile api probes every family the server serves (Features, Records, OpenAPI), the kind detected.
    spec = url if args.profile == "api" else f"ogcapi-features={url}"
    command = [sys.executable, "-m", "ldt_conform", "check", "--api", spec, "--profile", args.profile, "--quiet"]
    cli: list[float] = []
    for _ in range(args.runs):
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=120)
        cli.append(time.perf_counter() - started)
        if done.returncode not in (0, 1):
            sys.exit(f"ldt-conform failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    probe: list[float] = []
    requests = 0
    for _ in range(args.runs):
        started = time.perf_counter()
        messages: list[str] = []
        report = api.check([], api.CheckOptions(profile=args.profile, apis=[(None if args.profile == "api" else
                                                                             "ogcapi-features", url)]),
                           debug=messages.append)
        probe.append(time.perf_counter() - started)
        # "api: <target>: N requests", one line per target (the per-request lines are "api: GET …").
        requests = sum(int(m.rsplit(": ", 1)[1].split()[0]) for m in messages
                       if m.startswith("api: ") and m.endswith(" requests"))
    rules = len({r.rule for r in report.results})
    mode = "serial" if args.serial else f"{api_check.CONCURRENCY} workers"
    print(f"pygeoapi at {url}; profile {args.profile}: {rules} rules, {requests} HTTP requests per run ({mode})")
    print(f"  ldt-conform check (subprocess, {args.runs} runs): median {statistics.median(cli):.2f} s "
          f"(min {min(cli):.2f}, max {max(cli):.2f})")
    print(f"  probe in-process   ({args.runs} runs): median {statistics.median(probe):.2f} s "
          f"(min {min(probe):.2f}, max {max(probe):.2f})")
    print(f"  target < 10 s: {'met' if statistics.median(cli) < 10 else 'NOT met'}")


if __name__ == "__main__":
    main()
