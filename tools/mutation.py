"""Mutation testing of the modules that decide verdicts, with mutmut (run by hand; never part of the suite).

    python tools/mutation.py --workdir W                  # every mutant of the verdict modules (hours, see below)
    python tools/mutation.py --modules ldt_conform/levels.py --max-children 2
    python tools/mutation.py --workdir W --sample 10      # every 10th mutant of each module (deterministic)
    python tools/mutation.py --workdir W --resume         # go on where a stopped run left off (--sample K: its sample)
    python tools/mutation.py --workdir W --rerun          # new tests: re-run every tested mutant not killed and the
                                                          # untested ones (--sample K: every K-th untested one)
    python tools/mutation.py --workdir W --rerun NAME...  # re-run these mutants against the refreshed tests
    python tools/mutation.py --workdir W --score --sample 6   # only the scores (all tested, and the 1-in-6 sample)

Each mutant runs only the tests that cover its function (mutmut's stats run maps functions to tests), fastest first,
stopping at the first failure; a surviving mutant runs all of them. That is what a full run costs: the functions
every check goes through (profile loading, engine.run, the SHACL check) are covered by ~300 tests (~40 s quiet, ~100 s
at load 8), and every surviving or equivalent mutant of them runs them all. Measured 2026-12-01 on the shared 2-core
machine: ~200 mutants/min on cheap functions at load 7, 20-25/min in the middle, ~8/min on the expensive third at
load 10; a full run of the 3,934 mutants takes several hours there (stop it any time: --resume goes on).

Speed. Each mutant runs in a process forked from mutmut's fork server, which holds every module the tests import.
pytest's unraisableexception plugin runs gc.collect() five times at the end of each session: over that inherited heap
(which the collector also copies page by page out of the shared memory) it took 2.2 s of a trivial mutant's 2.3 s. The
run turns the plugin off and freezes the inherited heap (gc.freeze(), a plugin copied next to the mutated code).

Hangs. mutmut's default isolation forks every mutant from the process that ran the stats and clean runs; a test there
(the time-budget test of shacl_fast) leaves a daemon thread running a SPARQL query (shown still alive 20 s after the
test), and a child forked while that thread holds a lock waits on it forever (a futex wait, no CPU). The run
therefore uses mutmut's fork server, which forks mutants from a process that has only collected the tests (no test
ran there, no thread of ours exists). Two guards remain: mutmut's own timeout (wall 10 x (estimate + 3 s), so at least
30 s, and twice that in CPU seconds; recorded as "timeout") and a watchdog here that sends SIGUSR2 to a mutant's
process when its process tree used no CPU for IDLE_S seconds (recorded as "suspicious"). Suspicious and timed-out
mutants are run again (RETRIES times): a result counts only when it is reproduced, so a hang of the unmutated code is
never counted as a kill.

mutmut copies the code into `mutants/` and runs the tests against each mutant. It does that in a scratch copy of the
repository (the working tree as it is, tracked and untracked files alike, minus build folders), so the checkout is never
touched; `shared` next to the copy points at the real ../shared, where the tests find the corpus. --rerun refreshes
the copy's tests and unmutated code from the checkout (new tests must go into files of TESTS) and refuses to run when
a mutated module changed since the run started.

The score is killed / (tested - equivalent): a mutant that no test can tell from the original (an equivalent mutant)
is listed, with the reason, in tools/mutation-equivalent.toml and left out of the denominator. Timeouts count as
killed (the suite noticed the mutant), as mutmut counts them; "no tests" and survivors count as not killed; untested
mutants of a stopped run are counted apart, per module.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
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
    # A streamed run (check --findings FILE) takes its counts, its "failing" total (the exit code) and its listed
    # findings from these two.
    "ldt_conform/report_stream.py",
    "ldt_conform/findings_spool.py",
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
    "tests/test_verdict_mutants.py",
    "tests/blueprint/test_bp_levels.py",
    "tests/blueprint/test_bp_verdicts.py",
    "tests/reports/test_baseline.py",
    "tests/reports/test_verdict_states.py",
    "tests/shacl_fast/test_shacl_fast_engine.py",
    "tests/shacl_fast/test_shacl_fast_w3c.py",
    "tests/test_findings_spool.py",
    "tests/test_findings_stream.py",
)
# One rule per check kind and profile layer: a cardinality rule of the core, a vocabulary rule of dcat-ap-3 (through
# its whole extends chain), a SHACL rule and a json_schema (payload) rule of ldt4ssc.
CASE_RULES = ("dcat-ap-3-core/DCATAP-104/", "dcat-ap-3/DCATAP-605/", "ldt4ssc/LDT-105/", "ldt4ssc/LDT-201/")
CASES_FILE = "tests/test_profile_cases.py"
# A mutant's process tree that used no CPU for this long is hung (a test that waits on something does so for
# seconds, not this long); mutmut's wall timeout is at least 30 s, so the watchdog acts first.
IDLE_S = 12.0
RETRIES = 2
SKIP_COPY = {".git", "mutants", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", "build", "dist"}


# Each mutant runs in a process forked from mutmut's fork server, which holds every module the tests import. pytest's
# unraisableexception plugin runs gc.collect() five times at the end of every session: over that inherited heap, which
# the collector also copies page by page out of the shared memory, that was most of a mutant's time (py-spy). The run
# turns the plugin off (it only turns ignored exceptions in __del__ into warnings) and freezes the inherited objects
# out of the collector's reach (mutation_gc, copied next to the mutated code, which is on sys.path).
#
# Runaway writes. A mutant of the findings spool (findings_spool.py) once wrote a single 15 GB run file in two minutes
# and filled the machine's disk, which stopped the run and everything else on the machine. The same plugin therefore
# caps every file a test process writes at FSIZE_LIMIT (RLIMIT_FSIZE, with SIGXFSZ ignored so that the write fails with
# EFBIG instead of killing the process): the test fails and the mutant counts as killed, as its timeout would have
# counted it. No test of the mutated modules writes a file of more than a few MB; the payload size test makes a
# sparse file of 1 GiB (nothing written, but the limit counts its length), hence 2 GiB. Temporary files go to <workdir>/tmp
# (TMPDIR), emptied before and after every mutmut run: a killed mutant leaves its spool folder behind.
FSIZE_LIMIT = 2 * 1024 * 1024 * 1024
# Runaway memory. A mutant of the blank-node labels (bnodes.py) once grew one test process to 16 GB of the machine's
# 24 before the watchdog could act (memory, unlike CPU time, is not what it watches). Every test process's data
# segment is therefore capped at DATA_LIMIT (RLIMIT_DATA: heap and private anonymous mappings), so such a mutant gets
# MemoryError, its test fails and it counts as killed. The largest test process of a mutation run stays under 2 GiB.
DATA_LIMIT = 8 * 1024 * 1024 * 1024
GC_PLUGIN = (
    '"""pytest plugin of tools/mutation.py: keep the collector off the heap inherited from the fork server, and cap\n'
    'the size of any file and the memory of any process a test makes (see FSIZE_LIMIT and DATA_LIMIT there)."""\n'
    "import gc\nimport resource\nimport signal\n\n\n"
    "def pytest_configure(config):\n"
    "    gc.freeze()\n"
    "    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
    f"    resource.setrlimit(resource.RLIMIT_FSIZE, ({FSIZE_LIMIT}, {FSIZE_LIMIT}))\n"
    f"    resource.setrlimit(resource.RLIMIT_DATA, ({DATA_LIMIT}, {DATA_LIMIT}))\n"
)


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
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-p", "no:unraisableexception", "-p", "mutation_gc", '
        '"-q", "-x", "-m", "not slow"]\n'
        'process_isolation = "forkserver"\n'
        "timeout_constant = 3.0\n"
        "timeout_multiplier = 10.0\n"
        'also_copy = ["profiles", "examples", "ldt_conform", "docs", "README.md", "benchmarks", "tools", "action.yml", '
        '".pre-commit-hooks.yaml", "mutation_gc.py"]\n'
    )
    with (dest / "pyproject.toml").open("a", encoding="utf-8") as out:
        out.write(config)
    (dest / "mutation_gc.py").write_text(GC_PLUGIN, encoding="utf-8")


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


def _proc_table() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, CPU ticks used by it and its reaped children), from /proc."""
    table: dict[int, tuple[int, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        # after the command: state ppid ... utime(12) stime(13) cutime(14) cstime(15), counted from state = 0
        table[int(entry.name)] = (int(fields[1]), sum(int(f) for f in fields[11:15]))
    return table


def _tree_cpu(pid: int, table: dict[int, tuple[int, int]], children: dict[int, list[int]]) -> int:
    return table[pid][1] + sum(_tree_cpu(c, table, children) for c in children.get(pid, []))


class Watchdog(threading.Thread):
    """Sends SIGUSR2 to a mutant's process (a grandchild of mutmut: mutmut -> fork server -> mutant) whose process
    tree used no CPU for IDLE_S seconds. mutmut records the exit (-12) as "suspicious"; main() runs it again."""

    def __init__(self, root: int, log: Path) -> None:
        super().__init__(daemon=True, name="mutation-watchdog")
        self.root, self.log, self.stop = root, log, threading.Event()
        self.seen: dict[int, tuple[int, float]] = {}  # pid -> (CPU ticks, when they last changed)

    def run(self) -> None:
        while not self.stop.wait(2.0):
            table = _proc_table()
            children: dict[int, list[int]] = {}
            for pid, (ppid, _) in table.items():
                children.setdefault(ppid, []).append(pid)

            now = time.monotonic()
            workers = [g for c in children.get(self.root, []) for g in children.get(c, [])]
            self.seen = {p: v for p, v in self.seen.items() if p in workers}
            for pid in workers:
                cpu = _tree_cpu(pid, table, children)
                last = self.seen.get(pid)
                if last is None or last[0] != cpu:
                    self.seen[pid] = (cpu, now)
                elif now - last[1] > IDLE_S:
                    self._kill(pid, now - last[1])
                    self.seen.pop(pid, None)

    def _kill(self, pid: int, idle: float) -> None:
        dump = ""
        if shutil.which("py-spy"):
            try:
                dump = subprocess.run(["py-spy", "dump", "--pid", str(pid)], capture_output=True, text=True,
                                      timeout=30).stdout
            except (OSError, subprocess.SubprocessError):
                dump = "(py-spy failed)"
        try:
            os.kill(pid, signal.SIGUSR2)
        except ProcessLookupError:
            return
        with self.log.open("a", encoding="utf-8") as out:
            out.write(f"{time.strftime('%H:%M:%S')} pid {pid}: no CPU for {idle:.0f} s, sent SIGUSR2\n{dump}\n")


def _mutmut(copy: Path, env: dict[str, str], children: int, names: list[str]) -> None:
    scratch = copy.parent / "tmp"  # TMPDIR of every test process (see FSIZE_LIMIT)
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    process = subprocess.Popen([sys.executable, "-m", "mutmut", "run", "--max-children", str(children), *names],
                               cwd=copy, env={**env, "TMPDIR": str(scratch)})
    watchdog = Watchdog(process.pid, copy.parent / "watchdog.log")
    watchdog.start()
    try:
        process.wait()
    finally:
        watchdog.stop.set()
        shutil.rmtree(scratch, ignore_errors=True)


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


def _refresh(copy: Path, modules: list[str]) -> None:
    """Bring the scratch copy's tests and its unmutated code up to the checkout. New tests reach the mutants through
    the same test files (a changed selection would reset every result); the mutated modules keep the mutants made
    from them at the start, so they must not have changed since (checked here)."""
    for module in modules:
        if (copy / module).read_bytes() != (REPO / module).read_bytes():
            raise SystemExit(f"{module} changed since the run started: its mutants are stale; start a new run")
    for dest in (copy / "tests", copy / "mutants" / "tests"):
        shutil.copytree(REPO / "tests", dest, dirs_exist_ok=True, ignore=lambda _d, n: [x for x in n if x in SKIP_COPY])
    for source in (REPO / "ldt_conform").rglob("*.py"):
        relative = source.relative_to(REPO)
        if str(relative) not in modules:
            for dest in (copy / relative, copy / "mutants" / relative):
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, dest)


def _score(statuses: dict[str, str], label: str) -> dict[str, object]:
    """Print and return killed / (tested - equivalent) per module; untested ("not checked") mutants are counted
    apart, never as killed or surviving."""
    equivalent = _equivalent()
    per_module: dict[str, dict[str, int]] = {}
    survivors = []
    for name, status in sorted(statuses.items()):
        counts = per_module.setdefault(_module(name), {"mutants": 0, "untested": 0, "killed": 0, "equivalent": 0})
        counts["mutants"] += 1
        if status == "not checked":
            counts["untested"] += 1
        elif status in ("killed", "timeout"):
            counts["killed"] += 1
        elif name in equivalent:
            counts["equivalent"] += 1
        else:
            survivors.append((name, status))
    print(f"--- {label}")
    for module, c in sorted(per_module.items()):
        live = c["mutants"] - c["untested"] - c["equivalent"]
        print(f"{module:35} {c['killed']:5}/{live:<5} killed  {100 * c['killed'] / live if live else 100:5.1f}%  "
              f"({c['mutants']} mutants, {c['equivalent']} equivalent, {c['untested']} untested)")
    total = {k: sum(c[k] for c in per_module.values()) for k in ("mutants", "untested", "killed", "equivalent")}
    live = total["mutants"] - total["untested"] - total["equivalent"]
    score = 100 * total["killed"] / live if live else 100.0
    print(f"mutation score: {total['killed']}/{live} = {score:.1f}% ({total['mutants']} mutants, "
          f"{total['untested']} untested, {total['equivalent']} judged equivalent, {len(survivors)} not killed)")
    for name, status in survivors:
        print(f"  {status:10} {name}")
    return {"score": score, **total, "modules": per_module, "survivors": survivors}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", nargs="+", default=[m for m in MODULES if (REPO / m).is_file()])
    parser.add_argument("--tests", nargs="+", default=[t for t in TESTS if (REPO / t).is_file()])
    parser.add_argument("--no-cases", action="store_true", help=f"leave out the {CASES_FILE} cases of CASE_RULES")
    parser.add_argument("--max-children", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--workdir", type=Path, help="keep the scratch copy here (default: a temporary folder)")
    parser.add_argument("--rerun", nargs="*", metavar="MUTANT",
                        help="reuse the scratch copy in --workdir: refresh its tests/ and unmutated code from the "
                             "checkout and re-run these mutants (names; none: every tested mutant not killed and "
                             "every untested one, or with --sample K every K-th untested one)")
    parser.add_argument("--resume", action="store_true",
                        help="reuse the scratch copy in --workdir as it is and test the mutants not yet tested")
    parser.add_argument("--sample", type=int, default=1, metavar="K",
                        help="test only every K-th mutant of each module (in mutmut's numbering order) and also "
                             "score that sample on its own")
    parser.add_argument("--score", action="store_true", help="only score the run in --workdir (run no mutant)")
    parser.add_argument("--json", type=Path, help="write the per-module counts and the survivors here")
    args = parser.parse_args(argv)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="ldt-mutation-"))
    copy = work / "repo"
    env = {**os.environ, "LDT_CONFORM_NO_FAST_EXIT": "1"}
    names: list[str] = []
    if args.rerun is not None or args.resume or args.score:
        if not (copy / "mutants").is_dir():
            raise SystemExit(f"--rerun/--resume/--score need an earlier run in {copy} (give its --workdir)")
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
        _refresh(copy, args.modules)
        # Every tested mutant not killed, and (with --sample K) every K-th untested one of each module.
        names = args.rerun or [n for n, s in _results(copy).items()
                               if s not in ("killed", "timeout") and (s != "not checked" or n in chosen)]
    elif args.score:
        names = []
    elif args.resume or args.sample > 1:
        names = [n for n, s in chosen.items() if s == "not checked"]
    if names or (args.rerun is None and not args.resume and not args.score and args.sample == 1):
        _mutmut(copy, env, args.max_children, names)
    # A hang (suspicious) or a timeout counts only when it happens again: a hang of the unmutated code does not.
    # A timeout that repeats stands (the mutant makes the tests run away); a hang that repeats stays "suspicious",
    # which is not a kill.
    timed_out: set[str] = set()
    for _ in range(0 if args.score else RETRIES):
        current = _results(copy)
        again = [n for n, s in current.items() if s == "suspicious" or (s == "timeout" and n not in timed_out)]
        if not again:
            break
        timed_out |= {n for n in again if current[n] == "timeout"}
        print(f"running {len(again)} suspicious or timed-out mutants again: {' '.join(again)}", flush=True)
        _mutmut(copy, env, args.max_children, again)
    results = _results(copy)
    summary = {"all": _score(results, "every mutant tested so far")}
    if args.sample > 1:
        summary["sample"] = _score(_sample(results, args.sample), f"every {args.sample}th mutant of each module")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(f"scratch copy: {copy}  (inspect a mutant: cd {copy} && python -m mutmut show NAME)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
