"""Whole inputs as tasks on a Dask cluster: each worker runs the complete check of one input (read, rules, score),
and the parent, which never reads an input, merges the per-input reports into the report of the run.

This is the input shard of issue 15 for runs over many catalogues (a federation: one file or URL per harvested
portal). A focus shard (shacl_fast.distribute) splits one input's SHACL evaluation, but every worker and the parent
still load that input whole; here the parent holds no input at all and a worker holds one at a time, so the memory
of a worker is bounded by the largest input it gets, not by the run. The merged report equals the single-process
report of the same inputs: every result, finding, MIM level and quality score comes from the same per-input code
(tests/test_dask_inputs.py compares them).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ldt_conform import __version__, engine, tool_ids
from ldt_conform.errors import BudgetError, ConformError, LoadError, UsageError
from ldt_conform.load import URL
from ldt_conform.shacl_fast.distribute import why
from ldt_conform.model import Finding, Report, Result, Severity, Status, TargetInfo



@dataclass(frozen=True)
class InputTask:
    """One input, as the user named it, and the options its check runs with on the worker."""

    index: int  # the input's place in the run (a file named twice is checked twice, as without Dask)
    source: str  # the file or URL as the single-process run names it
    follow_pages: bool  # False for a directory's files: `check DIR` reads each file alone, never its next pages
    options: Any = field(repr=False)  # api.CheckOptions, without --dask, streaming, baseline or forks
    cwd: str = ""  # the parent's working directory, which a relative `source` is relative to


@dataclass(frozen=True)
class InputOutcome:
    """What a worker gave for one input: its report, an error that stops the run (as it would stop a
    single-process run: exit 2), or why the input gave nothing (a finding, the other inputs still count)."""

    task: InputTask
    report: Report | None = None
    refused: ConformError | None = None
    error: str | None = None


def routable(targets: Sequence[str], options: Any) -> str | None:
    """Why this run cannot go by input (None: it can). Input tasks need inputs a worker can read by name, a fixed
    profile (--profile auto chooses from all inputs together), and no payload, API or manifest (those are checked
    once per run, in the parent)."""
    if options.manifest:
        return "a twin manifest"
    if options.payloads or options.apis:
        return "--payload / --api targets"
    if options.profile == "auto":
        return "--profile auto (it chooses one profile from all inputs read together)"
    if options.store_dir:
        return "--store-dir"
    if "-" in targets:
        return "stdin (-)"
    return None


def inputs(targets: Sequence[str]) -> list[InputTask]:
    """Each input the run will check, in the single-process run's order, without reading any of them."""
    from ldt_conform import load

    named: list[tuple[str, bool]] = []
    for spec in targets:
        if URL.match(spec) or not Path(spec).is_dir():
            named.append((spec, True))
        else:
            named.extend((str(f), False) for f in load.directory_files(spec))
    return [InputTask(i, source, follow, options=None) for i, (source, follow) in enumerate(named)]


def check(targets: Sequence[str], options: Any, *, progress: Callable[[str], None],
          debug: Callable[[str], None]) -> Report:
    """The run's report, each input checked on a Dask worker; raises as the single-process run would."""
    from ldt_conform import api, levels
    from ldt_conform import profile as profiles
    from ldt_conform.shacl_fast.distribute import cluster_for

    started = engine.now()
    profile = profiles.load(options.profile)
    rules, model = api._prepare(profile, options, None)
    tasks = inputs(targets)
    on_worker = worker_options(options)
    tasks = [replace(t, options=on_worker, cwd=os.getcwd()) for t in tasks]
    cluster = cluster_for(options.extra["dask"])
    debug(f"--dask: {len(tasks)} input task(s) on {cluster.workers()} worker(s)")
    spool = api._spool(options)
    try:
        merged = _merge(tasks, _outcomes(cluster, tasks, progress), rules, profile, options, spool)
        merged = replace(merged, started_at=started, options={**api.scope(options, profile, rules), **merged.options})
        if spool is not None:
            merged, _ = api._stream(merged, spool, options)
    finally:
        if spool is not None:
            spool.close()
    return levels.attach(merged, declared=options.extra.get("declared_mims", ()),
                         evidence=options.extra.get("evidence"),
                         not_applicable=options.extra.get("not_applicable"), model=model)


def worker_options(options: Any) -> Any:
    """The options of one input's check on a worker: the run's, less what the parent does for the whole run
    (streaming, the baseline, the Dask connection) and less forks (a worker is one process on one core)."""
    extra = {k: v for k, v in options.extra.items() if k not in ("dask", "dask_by")}
    extra["read_ahead"] = False
    return replace(options, jobs=1, findings_file=None, findings_shown_as=None, baseline=None, headers={},
                   extra=extra)


def run_input(task: InputTask) -> InputOutcome:
    """The task a worker runs: the whole check of one input; never raises for the input's sake."""
    from ldt_conform import api

    try:
        if not Path(task.source).is_absolute() and not URL.match(task.source) and os.getcwd() != task.cwd:
            raise UsageError(task.source, f"a Dask worker runs in {os.getcwd()}, not in {task.cwd} where this "
                                          "relative path was given: give absolute paths, or start the workers there")
        if _on_a_worker():
            from ldt_conform.shacl_fast import data

            # A worker is one process for one core, beside other workers: the pipelined load's second thread would
            # compete with them (4 inputs of 25,000 datasets on 2 workers: 33-34 s without it, 37-41 s with it).
            data.PIPELINE = False
        options = replace(task.options, extra={**task.options.extra, "follow_pages": task.follow_pages})
        return InputOutcome(task, report=api.check([task.source], options))
    except BudgetError as exc:
        return InputOutcome(task, error=f"exceeded its time budget: {exc}")
    except ConformError as exc:
        return InputOutcome(task, refused=exc)
    except Exception as exc:  # noqa: BLE001 - a crashing input is a finding, the other inputs still count
        return InputOutcome(task, error=f"crashed: {why(exc)}")


def _on_a_worker() -> bool:
    try:
        from distributed import get_worker

        get_worker()
    except (ImportError, ValueError):
        return False
    return True


def _outcomes(cluster: Any, tasks: Sequence[InputTask], progress: Callable[[str], None]) -> Iterator[InputOutcome]:
    for done, (task, outcome) in enumerate(cluster.map(run_input, tasks), start=1):
        progress(f"--dask: {task.source} checked ({done} of {len(tasks)})")
        if isinstance(outcome, BaseException):
            # KilledWorker and friends: Dask retried the task on other workers and gave up.
            outcome = InputOutcome(task, error=f"lost: {why(outcome)}")
        yield outcome


def _merge(tasks: Sequence[InputTask], outcomes: Iterator[InputOutcome], rules: Sequence[Any], profile: Any,
           options: Any, spool: Any) -> Report:
    """One report from the per-input reports, as engine.run and quality.attach make it over all inputs at once."""
    by_index: dict[int, InputOutcome] = {}
    for outcome in outcomes:
        if outcome.refused is not None:
            raise _unseen(outcome.refused)  # the single-process run stops at the first bad input too (exit 2)
        if outcome.report is not None and spool is not None:
            spool.add(outcome.report.findings)  # the worker's findings go to disk now, not with the whole run's
            outcome = replace(outcome, report=replace(outcome.report, findings=()))
        by_index[outcome.task.index] = outcome
    targets: list[TargetInfo] = []
    results: list[Result] = []
    findings: list[Finding] = []
    engines: set[str] = set()
    warnings: dict[str, None] = {}
    catalogues: list[Any] = []
    quality: dict[str, Any] = {}
    max_pages: list[int] = []
    for task in tasks:  # the single-process order, whatever order the workers finished in
        outcome = by_index[task.index]
        if outcome.report is None:
            targets.append(TargetInfo(source=task.source, kind="rdf"))
            results.extend(_lost(task, outcome.error or "gave no report", rules))
            findings.append(_lost_finding(task, outcome.error or "gave no report"))
            continue
        report = outcome.report
        targets.extend(report.targets)
        results.extend(r for r in report.results if r.target)  # the rules not run are the run's, below
        findings.extend(report.findings)
        engines.update(report.engines)
        if "max_pages" in report.options:  # a page chain was followed: the limit shaped the verdict (paging.apply)
            max_pages.append(report.options["max_pages"])
        warnings.update(dict.fromkeys(report.warnings))
        if report.quality:
            quality = quality or {k: v for k, v in report.quality.items() if k != "catalogues"}
            catalogues.extend(report.quality.get("catalogues", ()))
    # Every input is a catalogue, so the catalogue rules ran and the others had no target, as in engine.run.
    not_run = engine.not_run(rules, profile, evaluated={r.id for r in rules if r.kind == "shacl"})
    return Report(tool_version=__version__, started_at="", finished_at=engine.now(), profile=profile.info(),
                  options={"max_pages": max(max_pages)} if max_pages else {},
                  rules=engine.rule_table(profile), targets=tuple(targets),
                  results=tuple(sorted([*results, *not_run], key=lambda r: (r.target, r.rule))),
                  findings=tuple(sorted(dict.fromkeys(findings), key=Finding.full_key)),
                  fail_on=options.fail_on, engines=tuple(sorted(engines)), warnings=tuple(warnings),
                  quality={**quality, "catalogues": catalogues} if catalogues else {})


def _unseen(refused: ConformError) -> ConformError:
    """A worker's "no such file" for a file this process can read means the worker does not see this disk."""
    if isinstance(refused, LoadError) and refused.message == "no such file" and Path(refused.where).is_file():
        # Focus shards read a local input by path too, so --dask-by focus would not help: only the files, or URLs.
        return LoadError(refused.where, "a Dask worker cannot read this file, which is here but not where the worker "
                                        "runs: workers read the inputs by path, so start them where the same files "
                                        "are at the same paths, or give URLs they can fetch")
    return refused


def _lost(task: InputTask, error: str, rules: Sequence[Any]) -> list[Result]:
    """No rule of an input that gave no report passes: every catalogue rule is in error there, naming why."""
    return [Result(rule.id, task.source, Status.ERROR, reason=f"the input's Dask task {error}")
            for rule in rules if rule.kind == "shacl" and not rule.check.get("internal")]


def _lost_finding(task: InputTask, error: str) -> Finding:
    return Finding(rule=tool_ids.CRASH, severity=Severity.ERROR, target=task.source, focus=task.source,
                   value=error, message=f"the Dask task that checks this input {error}; none of its rules is verified")
