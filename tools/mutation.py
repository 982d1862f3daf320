"""Mutation testing of the modules that decide verdicts, with mutmut (run by hand; never part of the suite).

    python tools/mutation.py                       # all verdict modules, the verdict test subset
    python tools/mutation.py --modules ldt_conform/levels.py --max-children 2
    python tools/mutation.py --workdir W --sample 10       # every 10th mutant of each module (deterministic)
    python tools/mutation.py --workdir W --resume --sample 10   # go on where an interrupted run stopped
    python tools/mutation.py --workdir W --rerun           # new tests: re-run every mutant not killed

Cost on the shared 2-core machine: ~0.5-10 s per mutant (a surviving one runs every test that covers its function),
3,765 mutants in all, so a full run takes hours; use --sample there. Some forked children of levels.py mutants hang
in a futex wait (a lock held by another thread at fork); mutmut then waits forever: kill that child by its pid and
mutmut records it as "suspicious" (not counted as killed).

mutmut copies the code into `mutants/` and runs the tests against each mutant. It does that in a scratch copy of the
repository (the working tree as it is, tracked and untracked files alike, minus build folders), so the checkout is never
touched; `shared` next to the copy points at the real ../shared, where the tests find the corpus.

The score is killed / (mutants - equivalent): a mutant that no test can tell from the original (an equivalent mutant)
is listed, with the reason, in tools/mutation-equivalent.toml and left out of the denominator. Timeouts count as
killed (the suite noticed the mutant), as mutmut counts them; "no tests" and survivors count as not killed.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()
EQUIVALENT = REPO / "tools" / "mutation-equivalent.toml"

# The modules that decide verdicts (issue #9 item 3): MIM levels, dispatch, profiles, baselines, the SHACL check kind
# and our SHACL evaluator, the report summary (model.Report.conforms and counts) and the exit-code path.
MODULES = (
    "ldt_conform/levels.py",
    "ldt_conform/engine.py",
    "ldt_conform/profile.py",
    "ldt_conform/baseline.py",
    "ldt_conform/checks/shacl.py",
    "ldt_conform/shacl_fast/evaluate.py",
    "ldt_conform/model.py",
    "ldt_conform/outcome.py",
)
# The tests that guard them and run in seconds (no live servers, no browser). test_profile_cases runs each profile's
# selected cases through one whole-profile api.check; all of them (~1,900 cases, minutes) inside every mutant would
# take hours, so the run takes the cases of a few representative rules (CASE_RULES) and leaves the slow per-profile
# meta-validation out.
TESTS = (
    "tests/test_engine_options.py",
    "tests/test_cli_core.py",
    "tests/test_fail_on.py",
    "tests/test_shacl_scope.py",
    "tests/test_shacl_sparql_refused.py",
    "tests/test_verdict_exact.py",
    "tests/blueprint/test_bp_levels.py",
    "tests/blueprint/test_bp_verdicts.py",
    "tests/reports/test_baseline.py",
    "tests/reports/test_verdict_states.py",
    "tests/shacl_fast/test_shacl_fast_engine.py",
    "tests/shacl_fast/test_shacl_fast_w3c.py",
)
# One rule per check kind and profile layer: a cardinality rule of the core, a vocabulary rule of dcat-ap-3 (through
# its whole extends chain), a SHACL rule and a json_schema (payload) rule of ldt4ssc.
CASE_RULES = ("dcat-ap-3-core/DCATAP-104/", "dcat-ap-3/DCATAP-605/", "ldt4ssc/LDT-105/", "ldt4ssc/LDT-201/")
CASES_FILE = "tests/test_profile_cases.py"
SKIP_COPY = {".git", "mutants", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", "build", "dist"}


def _copy_tree(dest: Path) -> None:
    shutil.copytree(REPO, dest, ignore=lambda _d, names: [n for n in names
                                                          if n in SKIP_COPY or n.endswith(".egg-info")])
    # conftest finds the corpus at <repo>/../shared; inside mutants/ that is <copy>/shared.
    (dest / "shared").symlink_to(SHARED, target_is_directory=True)


def _case_tests(copy: Path) -> list[str]:
    """The node IDs of the test_profile_cases cases of CASE_RULES."""
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--collect-only", CASES_FILE]
    done = subprocess.run(command, cwd=copy, capture_output=True, text=True, check=True)
    ids = [line.strip() for line in done.stdout.splitlines()
           if "::test_case[" in line and any(f"[{r}" in line for r in CASE_RULES)]
    if not ids:
        raise SystemExit(f"no cases of {CASE_RULES} collected from {CASES_FILE}")
    return ids


def _configure(dest: Path, modules: list[str], tests: list[str]) -> None:
    config = (
        "\n[tool.mutmut]\n"
        'source_paths = ["ldt_conform"]\n'
        f"only_mutate = {json.dumps(modules)}\n"
        f"pytest_add_cli_args_test_selection = {json.dumps(tests)}\n"
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-x", "-m", "not slow"]\n'
        'also_copy = ["profiles", "examples", "ldt_conform", "docs", "README.md", "benchmarks", "tools", "action.yml", '
        '".pre-commit-hooks.yaml"]\n'
    )
    with (dest / "pyproject.toml").open("a", encoding="utf-8") as out:
        out.write(config)


def _equivalent() -> dict[str, str]:
    if not EQUIVALENT.is_file():
        return {}
    data = tomllib.loads(EQUIVALENT.read_text(encoding="utf-8"))
    return {entry["mutant"]: entry["reason"] for entry in data.get("mutant", [])}


def _results(copy: Path) -> dict[str, str]:
    """mutant name -> mutmut status (killed, survived, timeout, no tests, suspicious, ...)."""
    done = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"], cwd=copy,
                          capture_output=True, text=True, check=True)
    statuses: dict[str, str] = {}
    for line in done.stdout.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and name:
            statuses[name] = status.strip()
    return statuses


def _mutmut(copy: Path, env: dict[str, str], children: int, names: list[str]) -> None:
    subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(children), *names],
                   cwd=copy, env=env, check=False)


def _module(name: str) -> str:
    return name.split(".x")[0].split(".xǁ")[0]


def _sample(statuses: dict[str, str], every: int) -> dict[str, str]:
    """Every `every`-th mutant of each module, in order of function and mutant number (deterministic)."""
    if every <= 1:
        return statuses

    def order(name: str) -> tuple[str, str, int]:
        function, _, number = name.rpartition("__mutmut_")
        return _module(name), function, int(number) if number.isdigit() else 0

    chosen: dict[str, str] = {}
    seen: dict[str, int] = {}
    for name in sorted(statuses, key=order):
        index = seen[_module(name)] = seen.get(_module(name), -1) + 1
        if index % every == 0:
            chosen[name] = statuses[name]
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", nargs="+", default=[m for m in MODULES if (REPO / m).is_file()])
    parser.add_argument("--tests", nargs="+", default=[t for t in TESTS if (REPO / t).is_file()])
    parser.add_argument("--no-cases", action="store_true", help=f"leave out the {CASES_FILE} cases of CASE_RULES")
    parser.add_argument("--max-children", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--workdir", type=Path, help="keep the scratch copy here (default: a temporary folder)")
    parser.add_argument("--rerun", nargs="*", metavar="MUTANT",
                        help="reuse the scratch copy in --workdir: refresh its tests/ from the checkout and re-run "
                             "these mutants (names or globs; none: every mutant not killed)")
    parser.add_argument("--resume", action="store_true",
                        help="reuse the scratch copy in --workdir as it is and test the mutants not yet tested")
    parser.add_argument("--sample", type=int, default=1, metavar="K",
                        help="test and count only every K-th mutant of each module (in mutmut's numbering order)")
    parser.add_argument("--json", type=Path, help="write the per-module counts and the survivors here")
    args = parser.parse_args(argv)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="ldt-mutation-"))
    copy = work / "repo"
    env = {**os.environ, "LDT_CONFORM_NO_FAST_EXIT": "1"}
    names: list[str] = []
    if args.rerun is not None or args.resume:
        if not (copy / "mutants").is_dir():
            raise SystemExit(f"--rerun/--resume need an earlier run in {copy} (give its --workdir)")
    else:
        if copy.exists():
            shutil.rmtree(copy)
        _copy_tree(copy)
        tests = args.tests + ([] if args.no_cases else _case_tests(copy))
        _configure(copy, args.modules, tests)
        if args.sample > 1:  # mutmut generates the mutants and collects the stats, then finds no such mutant
            _mutmut(copy, env, args.max_children, ["ldt_conform.no_such_mutant"])
    chosen = _sample(_results(copy), args.sample)
    if args.rerun is not None:
        # New tests reach the mutants through the same test files (a changed selection would reset every result).
        for dest in (copy / "tests", copy / "mutants" / "tests"):
            shutil.copytree(REPO / "tests", dest, dirs_exist_ok=True,
                            ignore=lambda _d, n: [x for x in n if x in SKIP_COPY])
        names = args.rerun or [n for n, s in chosen.items() if s not in ("killed", "timeout")]
    elif args.resume or args.sample > 1:
        names = [n for n, s in chosen.items() if s == "not checked"]
    if names or (args.rerun is None and not args.resume and args.sample == 1):
        _mutmut(copy, env, args.max_children, names)

    statuses = _sample(_results(copy), args.sample)
    print(f"{len(statuses)} mutants counted" + (f" (every {args.sample}th of each module)" if args.sample > 1 else ""))
    equivalent = _equivalent()
    per_module: dict[str, dict[str, int]] = {}
    survivors = []
    for name, status in sorted(statuses.items()):
        module = _module(name)
        counts = per_module.setdefault(module, {"total": 0, "killed": 0, "equivalent": 0})
        counts["total"] += 1
        if status in ("killed", "timeout"):
            counts["killed"] += 1
        elif name in equivalent:
            counts["equivalent"] += 1
        else:
            survivors.append((name, status))
    total = sum(c["total"] for c in per_module.values())
    killed = sum(c["killed"] for c in per_module.values())
    eq = sum(c["equivalent"] for c in per_module.values())
    for module, c in sorted(per_module.items()):
        live = c["total"] - c["equivalent"]
        print(f"{module:45} {c['killed']:5}/{live:<5} killed  ({c['equivalent']} equivalent)  "
              f"{100 * c['killed'] / live if live else 100:.1f}%")
    score = 100 * killed / (total - eq) if total > eq else 100.0
    print(f"mutation score: {killed}/{total - eq} = {score:.1f}% ({total} mutants, {eq} judged equivalent, "
          f"{len(survivors)} surviving)")
    for name, status in survivors:
        print(f"  {status:10} {name}")
    if args.json:
        args.json.write_text(json.dumps({"score": score, "killed": killed, "mutants": total, "equivalent": eq,
                                         "modules": per_module, "survivors": survivors}, indent=2), encoding="utf-8")
    print(f"scratch copy: {copy}  (inspect a mutant: cd {copy} && python -m mutmut show NAME)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
