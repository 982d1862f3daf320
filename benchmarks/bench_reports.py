"""Render every report format for a synthetic report of N findings and print sizes and times.

Usage: python benchmarks/bench_reports.py [N]   (default 50,000; PDF needs the [pdf] extra)
"""
from __future__ import annotations

import sys
import time

from ldt_conform.engine import tool_rules
from ldt_conform.model import Finding, ProfileInfo, Ref, Report, Result, Rule, Severity, Status, TargetInfo
from ldt_conform.render import RENDERERS, render


def synthetic(n: int, n_rules: int = 40, n_targets: int = 50) -> Report:
    rules = tuple(Rule(f"BR-{100 + i}", f"bench-rule-{i}", f"Bench rule {i} holds", Severity.ERROR if i % 3 else
                       Severity.WARNING, "shacl", {}, refs=(Ref(f"§{i}", f"https://example.org/spec#{i}"),),
                       mims=("representing-data",), profile="bench") for i in range(n_rules))
    targets = tuple(TargetInfo(f"data/part-{t:03d}.ttl", "rdf", "0" * 64, 100_000, 2_000, format="turtle")
                    for t in range(n_targets))
    findings = tuple(sorted((Finding(rules[i % n_rules].id, rules[i % n_rules].severity, targets[i % n_targets].source,
                                     f"http://data.example.org/dataset/{i}", f"Dataset {i} breaks the rule: fix it",
                                     path="http://purl.org/dc/terms/title", value=f'"v{i}"' if i % 4 == 0 else None)
                             for i in range(n)), key=Finding.sort_key))
    failing = {(f.rule, f.target) for f in findings}
    results = tuple(Result(r.id, t.source, Status.FAIL if (r.id, t.source) in failing else Status.PASS)
                    for t in targets for r in rules)
    mims = ({"key": "representing-data", "label": "MIM2", "title": "Representing data", "level": "partial",
             "rules_passed": 1, "rules_failed": 1, "rules_total": 2},)
    return Report("bench", "2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z",
                  ProfileInfo("bench", "1", "Bench", "0" * 64), (*tool_rules(), *rules), targets, results, findings,
                  engines=("fast",), mims=mims)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    report = synthetic(n)
    print(f"{n:,} findings, {len(report.results):,} results")
    for fmt in RENDERERS:
        start = time.perf_counter()
        try:
            out = render(fmt, report)
        except Exception as exc:  # noqa: BLE001 - a benchmark reports what it could not measure
            print(f"{fmt:9} skipped: {exc}")
            continue
        size = len(out if isinstance(out, bytes) else out.encode())
        print(f"{fmt:9} {time.perf_counter() - start:7.2f} s {size / 1e6:9.2f} MB")


if __name__ == "__main__":
    main()
