"""Write docs/profile-results.md: exit codes and finding counts of every shipped DCAT profile on every corpus catalogue.

Usage: `python tools/profile_table.py [--corpus ../shared/corpus] [--jobs 2] [--no-fidelity | --fidelity-only]
[PROFILE ...]`.
Without PROFILE arguments every shipped profile whose rules are all SHACL rules is taken (found in profiles/, so a
profile added later is in the next table without editing this file). Each cell is one real CLI run
(`ldt-conform check --offline --format json`), so the exit code is the one a user gets: 0 conforms, 1 does not conform
at --fail-on error, 2 the input cannot be read. The fidelity section runs tests/test_dcat_fidelity.py once and reports,
per compared profile, the catalogues compared, the differences found beyond the profile's fidelity-exceptions.toml
(failures) and the number of differences it lists with their reasons.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import tomllib
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORMATS = {".ttl", ".nt", ".rdf", ".jsonld", ".trig", ".nq"}
OUT = ROOT / "docs" / "profile-results.md"
FIDELITY_TEST = "tests/test_dcat_fidelity.py"
FIDELITY_CASE = "test_core_findings_match_official_shapes"
FIDELITY_HEADING = "## Fidelity to the official shapes"


def shacl_profiles() -> list[str]:
    """Every shipped profile whose resolved rules are all SHACL rules (the catalogue profiles), by id."""
    sys.path.insert(0, str(ROOT))
    from ldt_conform.profile import load

    found = []
    for manifest in sorted((ROOT / "profiles").glob("*/profile.toml")):
        profile = load(str(manifest))
        kinds = {rule.kind for rule in profile.rules if not rule.check.get("internal")}
        if kinds == {"shacl"}:
            found.append(profile.id)
    return sorted(found)


def run(profile: str, path: Path, corpus: Path) -> str:
    """One cell: exit code, then errors/warnings/infos (E/W/I) from the JSON report; only the code on exit 2."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        proc = subprocess.run([sys.executable, "-m", "ldt_conform", "check", "-p", profile, str(path), "--offline",
                               "--seed", str(corpus), "--format", "json", "-o", str(report)],
                              check=False, cwd=ROOT, capture_output=True, text=True, timeout=600)
        if proc.returncode == 2 or not report.is_file():
            return f"{proc.returncode}"
        counts = json.loads(report.read_text(encoding="utf-8"))["summary"]["findings"]
        return f"{proc.returncode} · {counts['error']} E / {counts['warning']} W / {counts['info']} I"


def listed_exceptions(profile: str) -> tuple[int, int] | None:
    """How many differences on corpus catalogues the profile's fidelity-exceptions.toml lists (a blank-node entry
    counts `count` times), and how many departures of the shapes it shows on minimal catalogues."""
    path = ROOT / "profiles" / profile / "fidelity-exceptions.toml"
    if not path.is_file():
        return None
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return sum(int(entry.get("count", 1)) for entry in data.get("exception", [])), len(data.get("departure", []))


def fidelity(profiles: list[str]) -> dict[str, dict[str, int]]:
    """Run the fidelity test once; per compared profile, how many catalogues passed, failed and were skipped."""
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "junit.xml"
        subprocess.run([sys.executable, "-m", "pytest", FIDELITY_TEST, "-q", "-p", "no:cacheprovider",
                        f"--junitxml={junit}", "-k", FIDELITY_CASE], check=False, cwd=ROOT, capture_output=True,
                       text=True, timeout=3600)
        if not junit.is_file():
            raise SystemExit(f"{FIDELITY_TEST}: pytest wrote no report")
        tree = ET.parse(junit)
    outcome: dict[str, dict[str, int]] = {}
    # Longest id first: "dcat-ap-2-core" must not claim a case of a profile whose id ends with it.
    ids = sorted(profiles, key=len, reverse=True)
    for case in tree.iter("testcase"):
        name = case.get("name", "")
        if not name.startswith(FIDELITY_CASE + "["):
            continue
        params = name[len(FIDELITY_CASE) + 1:-1]
        profile = next((p for p in ids if params.endswith("-" + p) or params.startswith(p + "-")), None)
        if profile is None:
            continue
        kind = "failed" if case.find("failure") is not None or case.find("error") is not None else \
            "skipped" if case.find("skipped") is not None else "passed"
        counts = outcome.setdefault(profile, {"passed": 0, "failed": 0, "skipped": 0})
        counts[kind] += 1
    return outcome


def fidelity_lines(profiles: list[str]) -> list[str]:
    outcome = fidelity(profiles)
    lines = ["", FIDELITY_HEADING, "",
             f"`{FIDELITY_TEST}` compares each profile that has a row there with the official SEMIC shapes on every "
             "corpus catalogue that parses (catalogues that do not parse are skipped). A catalogue fails when a "
             "difference is not listed, with its reason, in the profile's `fidelity-exceptions.toml`, or when a listed "
             "one no longer occurs. Only the report's top-level results count (pyshacl's sh:detail explanations of a "
             "failed sh:node are not violations of their own), and each listed departure of the shapes is checked on "
             "its minimal catalogue (`test_listed_departures_hold`).", "",
             "| profile | catalogues compared | with unlisted differences | not parsed (skipped) "
             "| listed differences on the corpus | listed departures of the shapes |",
             "| --- | --- | --- | --- | --- | --- |"]
    for profile in profiles:
        counts = outcome.get(profile)
        listed = listed_exceptions(profile) or (0, 0)
        if counts is None:
            lines.append(f"| `{profile}` | not compared (no row in `{FIDELITY_TEST}`) | | | | |")
            continue
        lines.append(f"| `{profile}` | {counts['passed'] + counts['failed']} | {counts['failed']} | "
                     f"{counts['skipped']} | {listed[0]} | {listed[1]} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="CLI runs in parallel")
    parser.add_argument("--no-fidelity", action="store_true", help="leave out the fidelity section (it runs pytest)")
    parser.add_argument("--fidelity-only", action="store_true",
                        help="keep the table of docs/profile-results.md, rewrite only its fidelity section")
    parser.add_argument("--out", type=Path, default=OUT, help="the Markdown file to write")
    parser.add_argument("profiles", nargs="*")
    args = parser.parse_args()
    profiles = args.profiles or shacl_profiles()
    if args.fidelity_only:
        table = args.out.read_text(encoding="utf-8").split("\n" + FIDELITY_HEADING, 1)[0].rstrip("\n").splitlines()
        args.out.write_text("\n".join(table + fidelity_lines(profiles)) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
        return 0
    catalogues = sorted(p for p in (args.corpus / "dcat").rglob("*") if p.suffix in FORMATS)
    lines = ["# Exit codes and finding counts per profile on the corpus catalogues", "",
             "Generated by `python tools/profile_table.py` (do not edit by hand; it finds every shipped profile whose",
             "rules are all SHACL rules). One real CLI run per cell:",
             "`ldt-conform check -p PROFILE FILE --offline --format json`. A cell reads",
             "`exit · errors E / warnings W / infos I`; exit 2 means the file cannot be read (an upstream syntax error",
             "or a remote JSON-LD context not in the store).", "",
             "| catalogue (shared/corpus/dcat/) | " + " | ".join(f"`{p}`" for p in profiles) + " |",
             "| --- | " + " | ".join("---" for _ in profiles) + " |"]
    exits: dict[str, list[str]] = {p: [] for p in profiles}
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for path in catalogues:
            cells = list(pool.map(run, profiles, [path] * len(profiles), [args.corpus] * len(profiles)))
            for profile, cell in zip(profiles, cells, strict=True):
                exits[profile].append(cell.split(" ", 1)[0])
            lines.append(f"| {path.relative_to(args.corpus / 'dcat').as_posix()} | " + " | ".join(cells) + " |")
            print(lines[-1], flush=True)
    lines.append("| **files exiting 0 / 1 / 2** | "
                 + " | ".join(" / ".join(str(codes.count(c)) for c in "012") for codes in exits.values()) + " |")
    if not args.no_fidelity:
        lines.extend(fidelity_lines(profiles))
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
