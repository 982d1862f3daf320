"""Wall time per step of a run, for `--debug`: where a long check spends its time (reading, rules, score, render).

A user waiting on a national catalogue, and a benchmark splitting a run into its steps (benchmarks/bench_scale.py),
read the same line: `timing: profile 0.21 s, read 10.48 s, rules 4.25 s, score 0.78 s`.
"""
from __future__ import annotations

import time
from typing import Callable


class Phases:
    """Consecutive steps of one run: each `done(name)` closes the step that began at the previous one (or at start)."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self._clock = clock
        self._last = clock()
        self.steps: list[tuple[str, float]] = []

    def done(self, name: str) -> None:
        now = self._clock()
        self.steps.append((name, now - self._last))
        self._last = now

    def line(self) -> str:
        return "timing: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in self.steps)
