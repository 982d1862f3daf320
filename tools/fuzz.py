"""Long fuzz runs of the parser entry points (tests/fuzz/targets.py): `nice -n 19 python tools/fuzz.py --minutes 10`.

Each target runs in its own child process under an address-space cap, so a segfault or a runaway allocation is seen
as a crash of that target instead of killing the runner. Hypothesis shrinks every failure it finds; the falsifying
example is printed and saved under tools/fuzz-findings/ for a regression case in tests/fuzz/test_fuzz.py."""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests"), str(REPO)]
TARGETS = ["rdf_loader:turtle", "rdf_loader:ntriples", "rdf_loader:nquads", "rdf_loader:trig", "rdf_loader:jsonld",
           "rdf_loader:rdfxml", "payload_loader:json", "payload_loader:jsonl", "profile_loader", "manifest_loader",
           "diff_reader", "verify_reader"]
MEMORY_CAP = 3 * 1024 ** 3


def worker(target: str, seconds: float, out: Path) -> int:
    """Run one target in batches of fresh random examples until the time is up; 1 when something failed."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from fuzz import targets as t

    kind, _, arg = target.partition(":")
    seeds = {"rdf_loader": t.SEEDS_RDF.get(arg), "payload_loader": t.SEEDS_JSON, "profile_loader": t.SEEDS_TOML,
             "manifest_loader": t.SEEDS_TOML, "diff_reader": t.SEEDS_REPORT, "verify_reader": t.SEEDS_EVIDENCE}[kind]
    func = getattr(t, kind)
    batch = settings(max_examples=500, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    if kind == "diff_reader":
        strategy = st.tuples(t.mutated(seeds), st.sampled_from(seeds))
    else:
        strategy = st.tuples(t.mutated(seeds)).map(lambda one: ((arg,) if arg else ()) + one)

    @batch
    @given(strategy)
    def run(args: tuple) -> None:  # type: ignore[type-arg]
        func(*args)

    deadline = time.monotonic() + seconds
    batches = 0
    while time.monotonic() < deadline:
        try:
            run()
        except Exception:  # noqa: BLE001 - a finding: print the shrunk example and keep it
            text = traceback.format_exc()
            out.mkdir(parents=True, exist_ok=True)
            (out / f"{target.replace(':', '-')}.txt").write_text(text)
            print(f"{target}: FAILURE after {batches} batches\n{text[-3000:]}", flush=True)
            return 1
        batches += 1
    print(f"{target}: {batches * 500} examples in {seconds / 60:.1f} min, no failure", flush=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("targets", nargs="*", default=TARGETS)
    parser.add_argument("--minutes", type=float, default=10.0, help="per target")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=REPO / "tools" / "fuzz-findings")
    args = parser.parse_args()
    if args.worker:
        return worker(args.targets[0], args.minutes * 60, args.out)
    failed = 0
    for target in args.targets:
        started = time.monotonic()
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        process = subprocess.run(
            [sys.executable, __file__, "--worker", "--minutes", str(args.minutes), "--out", str(args.out), target],
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP)))
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # Wall minutes are the budget; CPU seconds say how much fuzzing a loaded machine really gave the target.
        cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
        print(f"{target}: {time.monotonic() - started:.0f} s wall, {cpu:.0f} s CPU", flush=True)
        if process.returncode < 0:
            print(f"{target}: CRASH (signal {-process.returncode}) after {time.monotonic() - started:.0f} s", flush=True)
        failed += process.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
