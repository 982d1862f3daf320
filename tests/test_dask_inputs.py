"""Whole inputs as Dask tasks (dask_inputs.py) on a real LocalCluster of 2 worker processes started here: the merged
report equals the single-process report, the parent reads no input, a lost or slow input is a finding, a bad input
stops the run as it does without Dask."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

distributed = pytest.importorskip("distributed")

from conftest import REPO, run_cli  # noqa: E402
from ldt_conform import api, dask_inputs  # noqa: E402
from ldt_conform.errors import LoadError, UsageError  # noqa: E402

sys.path.insert(0, str(REPO / "benchmarks"))
from generate_catalogue import generate, generate_defective  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("close_cli_connections")]
TIMES = ("started_at", "finished_at")


@pytest.fixture(scope="module")
def cluster(local_cluster: Any) -> str:
    return str(local_cluster.scheduler_address)


@pytest.fixture(scope="module")
def federation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three portals: two with 15 planted findings per dataset (blank nodes, values several rules report), one clean
    but for what the generator leaves out."""
    folder = tmp_path_factory.mktemp("federation")
    for name, n, make in (("a", 200, generate_defective), ("b", 300, generate_defective), ("c", 100, generate)):
        with (folder / f"{name}.ttl").open("w", encoding="utf-8") as fh:
            make(n, fh) if make is generate_defective else make(n, fh, seed=3)
    return folder


def report(args: list[str], expect: int | None = 1) -> dict[str, Any]:
    got = run_cli(["check", *args, "-q", "--format", "json"], expect=expect)
    data: dict[str, Any] = json.loads(got.stdout)
    for key in TIMES:
        data.pop(key)
    return data


def test_input_tasks_equal_the_single_process_run(cluster: str, federation: Path) -> None:
    one = report([str(federation), "-p", "dcat-ap-3", "-j", "1"])
    dask = report([str(federation), "-p", "dcat-ap-3", "--dask", cluster])
    assert len(one["findings"]) == 7739
    assert [t["source"] for t in dask["targets"]] == [str(federation / n) for n in ("a.ttl", "b.ttl", "c.ttl")]
    assert [c["target"] for c in dask["quality"]["catalogues"]] == [t["source"] for t in dask["targets"]]
    assert sum(f["focus"].startswith("_:") for f in one["findings"]) == 500
    assert dask == one  # every finding in order, every result, MIM level, score and summary; the options too


def test_rules_not_run_are_the_run_s_results_once(cluster: str, federation: Path) -> None:
    # ldt4ssc has payload and API rules, which no catalogue input runs, and --ignore leaves some rules out: each
    # worker's report has them too, and the run's report has them once.
    args = [str(federation), "-p", "ldt4ssc", "--ignore", "DCATAP-1"]
    one = report([*args, "-j", "1"])
    dask = report([*args, "--dask", cluster])
    not_run = Counter(r["reason"] for r in one["results"] if not r["target"])
    assert not_run == {"no API target was given": 112, "not selected (--select / --ignore)": 29,
                       "no payload target was given": 5}
    assert dask == one


def test_the_parent_reads_no_input(cluster: str, federation: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ldt_conform import load

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the parent parsed an input")

    one = report([str(federation), "-p", "dcat-ap-3-core", "-j", "1"])
    monkeypatch.setattr(load, "parse", refuse)
    dask = report([str(federation), "-p", "dcat-ap-3-core", "--dask", cluster, "--dask-by", "input"])
    assert dask == one
    # The same run without input tasks needs the parent's parser: the patch is in force.
    focus = run_cli(["check", str(federation), "-p", "dcat-ap-3-core", "-q", "--dask", cluster, "--dask-by", "focus"],
                    expect=2)
    assert focus.stderr.splitlines() == [
        "error: internal error: AssertionError: the parent parsed an input (run with --debug for the traceback)"]


def test_streamed_findings_from_input_tasks(cluster: str, federation: Path, tmp_path: Path) -> None:
    out = tmp_path / "f.jsonl"
    one = report([str(federation), "-p", "dcat-ap-3", "-j", "1"])
    dask = report([str(federation), "-p", "dcat-ap-3", "--dask", cluster, "--findings", str(out),
                   "--list-findings", "10"])
    assert dask["streamed"]["total"] == len(one["findings"]) == 7739
    assert dask["findings"] == one["findings"][:10]
    assert (dask["summary"], dask["results"], dask["mims"], dask["quality"]) == \
        (one["summary"], one["results"], one["mims"], one["quality"])
    rows = [json.loads(line) for line in out.open(encoding="utf-8")]

    def key(f: dict[str, Any]) -> str:
        return json.dumps({k: v for k, v in f.items() if v not in (None, [])}, sort_keys=True)

    assert sorted(map(key, rows)) == sorted(map(key, one["findings"]))


def test_an_input_named_twice_is_checked_twice_as_without_dask(cluster: str, federation: Path) -> None:
    args = [str(federation / "c.ttl"), str(federation / "a.ttl"), str(federation / "c.ttl"), "-p", "dcat-ap-3-core"]
    one = report([*args, "-j", "1"])
    dask = report([*args, "--dask", cluster])
    assert [t["source"] for t in one["targets"]] == [args[0], args[1], args[0]]
    assert dask == one


def test_a_directory_s_files_are_read_alone_and_a_named_first_page_with_its_pages(cluster: str,
                                                                                  tmp_path: Path) -> None:
    from test_paging import page_ttl

    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "page-1.ttl").write_text(page_ttl(1, 2, "<page-2.ttl>"), encoding="utf-8")
    (folder / "page-2.ttl").write_text(page_ttl(2, 2, None), encoding="utf-8")
    (tmp_path / "other.ttl").write_text(page_ttl(1, 1, None), encoding="utf-8")
    for targets in ([str(folder)], [str(folder / "page-1.ttl"), str(tmp_path / "other.ttl")]):
        one = report([*targets, "-p", "dcat-ap-3", "-j", "1"], expect=None)
        dask = report([*targets, "-p", "dcat-ap-3", "--dask", cluster], expect=None)
        assert dask == one
    pages = [len(t.get("pages", ())) for t in one["targets"]]
    assert pages == [2, 0]  # the named first page was read with its second page; the folder's files were not


def test_a_bad_input_stops_the_run_as_without_dask(cluster: str, federation: Path, tmp_path: Path) -> None:
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "good.ttl").write_text((federation / "c.ttl").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "nope.ttl").write_text("@prefix ex: <https://example.org/> .\nex:a ex:b ", encoding="utf-8")
    one = run_cli(["check", str(folder), "-p", "dcat-ap-3-core", "-q", "-j", "1"], expect=2)
    dask = run_cli(["check", str(folder), "-p", "dcat-ap-3-core", "-q", "--dask", cluster], expect=2)
    assert dask.stderr == one.stderr
    assert one.stderr.splitlines() == [f"error: {folder / 'nope.ttl'}:2:11: bad turtle syntax (Unexpected end)"]


def test_inputs_over_their_time_budget_are_findings_and_no_rule_passes(cluster: str, federation: Path) -> None:
    # Without Dask a run over its budget stops (exit 2); an input task over it is lost, as a focus shard is.
    options = api.CheckOptions(profile="dcat-ap-3-core", time_budget=0.001, extra={"dask": cluster})
    got = api.check([str(federation)], options)
    lost = [f for f in got.findings if f.rule == "LC-002"]
    inputs = [str(federation / n) for n in ("a.ttl", "b.ttl", "c.ttl")]
    assert [(f.target, f.focus) for f in lost] == [(i, i) for i in inputs]
    assert all(f.value.startswith(f"exceeded its time budget: {i}: shape ") and
               f.value.endswith("validation exceeded the time budget of 0.001 s (raise it with --time-budget, or "
                                "use --store-dir for very large inputs)") for f, i in zip(lost, inputs))
    shacl = [r for r in got.results if r.target]
    assert len(shacl) == 3 * len({r.rule for r in shacl}) and {r.status.value for r in shacl} == {"error"}
    assert {r.target for r in shacl} == set(inputs)
    assert not got.conforms


def test_a_killed_worker_s_input_is_rerun_once(cluster: str, tmp_path: Path) -> None:
    folder = tmp_path / "big"
    folder.mkdir()
    for i in range(4):
        with (folder / f"p{i}.ttl").open("w", encoding="utf-8") as fh:
            generate(3000, fh, seed=40 + i)
    one = report([str(folder), "-p", "dcat-ap-3-core", "-j", "1"])
    client = distributed.Client(cluster)
    try:
        pids = client.run(os.getpid)
        killed: list[str] = []
        options = api.CheckOptions(profile="dcat-ap-3-core", extra={"dask": cluster})

        def kill_one(message: str) -> None:
            deadline = time.monotonic() + 60
            while not killed and time.monotonic() < deadline:
                busy = [w for w, keys in client.processing().items() if keys and w in pids]
                if busy:
                    os.kill(pids[busy[0]], signal.SIGKILL)  # no goodbye to the scheduler
                    killed.append(busy[0])
                time.sleep(0.05)

        got = api.check([str(folder)], options, progress=lambda m: kill_one(m) if "checked" in m else None)
        assert killed, "no worker was busy to be killed"
        client.wait_for_workers(2, timeout=60)  # the nanny restarts it for the next tests
    finally:
        client.close()
    from ldt_conform.render import json_ as json_render

    data = json.loads(json_render.render(got))
    for key in TIMES:
        data.pop(key)
    assert [f for f in data["findings"] if f["rule"] == "LC-002"] == []
    assert data.pop("options") == {k: v for k, v in one.pop("options").items() if k != "api_budget"}  # a CLI option
    assert data == one


def test_merge_of_a_lost_input(federation: Path) -> None:
    """In-process: what a worker gave for each input, merged; the lost input's rules are errors naming why."""
    options = api.CheckOptions(profile="dcat-ap-3-core", jobs=1)
    tasks = [dask_inputs.InputTask(i, str(federation / n), True, dask_inputs.worker_options(options), os.getcwd())
             for i, n in enumerate(("a.ttl", "c.ttl"))]
    good = dask_inputs.run_input(tasks[1])
    assert good.report is not None and good.error is None
    lost = dask_inputs.InputOutcome(tasks[0], error="lost: KilledWorker: worker died 3 times")
    from ldt_conform import profile as profiles

    profile = profiles.load("dcat-ap-3-core")
    merged = dask_inputs._merge(tasks, iter([good, lost]), profile.rules, profile, options, None)
    assert [t.source for t in merged.targets] == [t.source for t in tasks]
    crash = [f for f in merged.findings if f.rule == "LC-002"]
    assert [(f.target, f.focus, f.value) for f in crash] == [(tasks[0].source, tasks[0].source,
                                                              "lost: KilledWorker: worker died 3 times")]
    mine = {r.rule: r for r in merged.results if r.target == tasks[0].source}
    assert mine and {r.status.value for r in mine.values()} == {"error"}
    assert all(r.reason == "the input's Dask task lost: KilledWorker: worker died 3 times" for r in mine.values())
    theirs = [r for r in merged.results if r.target == tasks[1].source]
    assert theirs == [r for r in good.report.results if r.target]
    assert [c["target"] for c in merged.quality["catalogues"]] == [tasks[1].source]


def test_a_worker_elsewhere_refuses_a_relative_path(federation: Path) -> None:
    options = dask_inputs.worker_options(api.CheckOptions(profile="dcat-ap-3-core"))
    task = dask_inputs.InputTask(0, "c.ttl", True, options, cwd=str(federation.parent / "elsewhere"))
    outcome = dask_inputs.run_input(task)
    assert isinstance(outcome.refused, UsageError) and outcome.report is None
    assert str(outcome.refused) == (f"c.ttl: a Dask worker runs in {os.getcwd()}, not in {federation.parent}/elsewhere "
                                    "where this relative path was given: give absolute paths, or start the workers "
                                    "there")
    missing = dask_inputs.run_input(dask_inputs.InputTask(0, str(federation / "none.ttl"), True, options,
                                                          os.getcwd()))
    assert isinstance(missing.refused, LoadError) and str(missing.refused) == f"{federation / 'none.ttl'}: no such file"


@pytest.mark.parametrize(("extra_args", "by", "expected"), [
    (["a.ttl", "b.ttl"], "auto", True),
    (["a.ttl"], "auto", False),  # one input: focus shards split it
    (["a.ttl"], "input", True),
    (["a.ttl", "b.ttl"], "focus", False),
])
def test_when_inputs_go_as_tasks(extra_args: list[str], by: str, expected: bool, federation: Path) -> None:
    targets = [str(federation / t) for t in extra_args]
    options = api.CheckOptions(profile="dcat-ap-3-core", extra={"dask": "local:1", "dask_by": by})
    assert api._by_input(targets, options, lambda m: None) is expected
    assert api._by_input(targets, api.CheckOptions(profile="dcat-ap-3-core"), lambda m: None) is False


@pytest.mark.parametrize(("change", "obstacle"), [
    ({"profile": "auto"}, "--profile auto (it chooses one profile from all inputs read together)"),
    ({"payloads": ["x.json"]}, "--payload / --api targets"),
    ({"manifest": "ldt-conform.toml"}, "a twin manifest"),
    ({"store_dir": "/tmp"}, "--store-dir"),
])
def test_what_keeps_inputs_in_the_parent(change: dict[str, Any], obstacle: str, federation: Path) -> None:
    targets = [str(federation / "a.ttl"), str(federation / "b.ttl")]
    said: list[str] = []
    auto = api.CheckOptions(**{"profile": "dcat-ap-3-core", "extra": {"dask": "local:1"}, **change})
    assert api._by_input(targets, auto, said.append) is False
    assert said == [f"--dask: focus shards, not input tasks ({obstacle})"]
    forced = api.CheckOptions(**{"profile": "dcat-ap-3-core", "extra": {"dask": "local:1", "dask_by": "input"},
                                 **change})
    with pytest.raises(UsageError) as caught:
        api._by_input(targets, forced, said.append)
    assert str(caught.value) == (f"--dask-by input: cannot send whole inputs to the workers with {obstacle}; "
                                 "use --dask-by focus")


def test_stdin_stays_in_the_parent() -> None:
    options = api.CheckOptions(profile="dcat-ap-3-core", input_format="turtle", extra={"dask": "local:1"})
    assert dask_inputs.routable(["-", "x.ttl"], options) == "stdin (-)"
    assert dask_inputs.routable(["x.ttl"], options) is None


def _pipeline_after_a_task(task: dask_inputs.InputTask) -> tuple[bool, bool]:
    from ldt_conform.shacl_fast import data

    before = data.PIPELINE
    assert dask_inputs.run_input(task).report is not None
    return before, data.PIPELINE


def test_a_worker_loads_without_the_pipeline_thread_and_this_process_keeps_it(cluster: str,
                                                                              federation: Path) -> None:
    from ldt_conform.shacl_fast import data

    options = dask_inputs.worker_options(api.CheckOptions(profile="dcat-ap-3-core"))
    task = dask_inputs.InputTask(0, str(federation / "c.ttl"), True, options, os.getcwd())
    client = distributed.Client(cluster)
    try:
        # Each worker: one process for one core; the load's second thread would compete with the other workers.
        assert client.submit(_pipeline_after_a_task, task, pure=False).result()[1] is False
    finally:
        client.close()
    assert _pipeline_after_a_task(task) == (True, True) and data.PIPELINE is True


def test_a_file_the_worker_cannot_see_is_named_as_such(tmp_path: Path, federation: Path) -> None:
    """A worker on another machine reads its input by path: "no such file" there, for a file that is here, says so."""
    options = api.CheckOptions(profile="dcat-ap-3-core", jobs=1)
    here = federation / "c.ttl"
    tasks = [dask_inputs.InputTask(0, str(here), True, dask_inputs.worker_options(options), os.getcwd())]
    elsewhere = dask_inputs.InputOutcome(tasks[0], refused=LoadError(str(here), "no such file"))
    from ldt_conform import profile as profiles

    profile = profiles.load("dcat-ap-3-core")
    with pytest.raises(LoadError) as caught:
        dask_inputs._merge(tasks, iter([elsewhere]), profile.rules, profile, options, None)
    assert str(caught.value) == (f"{here}: a Dask worker cannot read this file, which is here but not where the "
                                 "worker runs: workers read the inputs by path, so start them where the same files "
                                 "are at the same paths, or give URLs they can fetch")
    gone = tmp_path / "gone.ttl"
    missing = dask_inputs.InputOutcome(tasks[0], refused=LoadError(str(gone), "no such file"))
    with pytest.raises(LoadError) as caught:
        dask_inputs._merge(tasks, iter([missing]), profile.rules, profile, options, None)
    assert str(caught.value) == f"{gone}: no such file"  # missing here too: the single-process line


def test_an_unreachable_scheduler_is_one_line_and_exit_2_before_any_input_is_read(federation: Path,
                                                                                   monkeypatch: pytest.MonkeyPatch
                                                                                   ) -> None:
    import socket

    from ldt_conform import load

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nobody listens there once the socket is closed
    monkeypatch.setattr(load, "parse", lambda *a, **k: pytest.fail("an input was read"))
    got = run_cli(["check", str(federation), "-p", "dcat-ap-3-core", "-q", "--dask", f"127.0.0.1:{port}"], expect=2)
    assert got.stderr.splitlines() == [
        f"error: --dask 127.0.0.1:{port}: cannot reach the Dask scheduler within 10 s (OSError)"]


def test_urls_are_fetched_by_the_workers(cluster: str, federation: Path) -> None:
    """A URL is no relative path: the worker fetches it itself (here from a real HTTP server on 127.0.0.1)."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(federation)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        urls = [f"http://127.0.0.1:{server.server_port}/{n}" for n in ("c.ttl", "a.ttl")]
        one = report([*urls, "-p", "dcat-ap-3-core", "-j", "1"])
        dask = report([*urls, "-p", "dcat-ap-3-core", "--dask", cluster])
        # Run where a relative path would be refused: a URL is read all the same.
        options = dask_inputs.worker_options(api.CheckOptions(profile="dcat-ap-3-core"))
        elsewhere = dask_inputs.run_input(dask_inputs.InputTask(0, urls[0], True, options, cwd="/elsewhere"))
    finally:
        server.shutdown()
        server.server_close()
    assert [t["source"] for t in dask["targets"]] == urls
    assert dask == one
    assert elsewhere.refused is None and elsewhere.report is not None
    assert [t.source for t in elsewhere.report.targets] == [urls[0]]
