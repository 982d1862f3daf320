"""Where the peak RSS of `ldt-conform check` comes from: the process's resident memory sampled by phase.

    python benchmarks/rss_phases.py CATALOGUE.ttl [--profile dcat-ap-3-core]

tracemalloc sees only Python allocations, not pyoxigraph's (Rust) store, so this samples the kernel's VmRSS every
20 ms from a thread and files each sample under the phase running at the time: reading the input (load.parse, with
the store build inside it), each check kind, the quality score's steps, then rendering. It prints the first and the
highest RSS sampled in each phase (in the order the phases first ran) and the process's VmHWM at its end. Run it
under `nice -n 5` and give the load average with it.
"""
from __future__ import annotations

import argparse
import functools
import re
import sys
import threading
import time
from typing import Any, Callable

_PHASE = ["start"]
_PEAKS: dict[str, int] = {}
_ENTRY: dict[str, int] = {}
_ORDER: list[str] = []


def status(field: str) -> int:
    """A /proc/self/status field (VmRSS, VmHWM) in MB."""
    with open("/proc/self/status", encoding="ascii") as handle:
        found = re.search(rf"^{field}:\s+(\d+) kB", handle.read(), re.MULTILINE)
    return int(found.group(1)) // 1024 if found else 0


def _sample(stop: threading.Event) -> None:
    while not stop.is_set():
        rss = status("VmRSS")
        phase = _PHASE[0]
        if phase not in _PEAKS:
            _ORDER.append(phase)
            _ENTRY[phase] = rss
        _PEAKS[phase] = max(_PEAKS.get(phase, 0), rss)
        stop.wait(0.02)


def phase(name: str | Callable[..., str], func: Callable[..., Any]) -> Callable[..., Any]:
    """`func`, run with the sampler's phase set to `name` (or name(*args)) and set back afterwards."""
    @functools.wraps(func)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        before = _PHASE[0]
        _PHASE[0] = name(*args) if callable(name) else name
        try:
            return func(*args, **kwargs)
        finally:
            _PHASE[0] = f"after {_PHASE[0]}" if before == "start" else before
    return wrapped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("catalogue")
    parser.add_argument("--profile", default="dcat-ap-3-core")
    parser.add_argument("--lenient", action="store_true")
    args = parser.parse_args()
    from ldt_conform import api, engine, load

    load.parse = phase("load.parse (read + store build)", load.parse)
    engine._run_guarded = phase(lambda module, *_: f"check {module.__name__.rsplit('.', 1)[-1]}",
                                engine._run_guarded)
    engine.run = phase("engine.run (other)", engine.run)
    from ldt_conform import quality, quality_graph

    quality.score_catalogue = phase("quality: score (other)", quality.score_catalogue)
    quality.index = phase("quality: index", quality.index)
    for name in ("facts", "owners", "canonical_names", "passing", "passing_dists"):
        setattr(quality_graph, name, phase(f"quality: {name}", getattr(quality_graph, name)))
    quality._cards = phase("quality: scorecards", quality._cards)
    stop = threading.Event()
    sampler = threading.Thread(target=_sample, args=(stop,), daemon=True)
    sampler.start()
    started = time.monotonic()
    kept: list[Any] = []
    _PHASE[0] = "api.check (other)"
    report = api.check([args.catalogue], api.CheckOptions(profile=args.profile, jobs=1,
                                                                 extra={"lenient": args.lenient}), retain=kept.append)
    _PHASE[0] = "render text"
    from ldt_conform.render import render

    render("text", report)
    stop.set()
    sampler.join()
    wall = time.monotonic() - started
    for name in _ORDER:
        print(f"{name:40s} first {_ENTRY[name]:6,d} MB  highest {_PEAKS[name]:6,d} MB")
    print(f"{'VmHWM (process peak)':40s} {status('VmHWM'):6,d} MB   wall {wall:.1f} s   "
          f"findings {len(report.findings):,}", file=sys.stdout)


if __name__ == "__main__":
    main()
