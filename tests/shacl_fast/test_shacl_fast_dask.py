"""Dask shards on a real LocalCluster of 2 worker processes: identical findings, a killed worker, lost shards, no scheduler."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

distributed = pytest.importorskip("distributed")

from ldt_conform.shacl_fast import validate  # noqa: E402
from ldt_conform.shacl_fast.api import merge  # noqa: E402
from ldt_conform.shacl_fast.distribute import Cluster, ShardSpec, shapes_box, shard_specs  # noqa: E402
from shacl_corpus import REPO, parse_rdflib  # noqa: E402

sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "tests"))
from conftest import run_cli  # noqa: E402
from generate_catalogue import generate  # noqa: E402

pytestmark = pytest.mark.usefixtures("close_cli_connections")

CORE = sorted((REPO / "profiles" / "dcat-ap-3-core" / "shapes").glob("*.ttl"))


@pytest.fixture(scope="module")
def conn(local_cluster: object) -> Iterator[Cluster]:
    c = Cluster(local_cluster.scheduler_address)  # type: ignore[attr-defined]
    yield c
    c.close()


@pytest.fixture(scope="module")
def core() -> rdflib.Graph:
    return parse_rdflib(CORE)


def catalogue(tmp: Path, n: int, seed: int) -> Path:
    path = tmp / f"catalogue-{n}-{seed}.ttl"
    if not path.exists():
        buf = io.StringIO()
        generate(n, buf, seed=seed)
        path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def whole(path: Path, shapes: rdflib.Graph) -> list:
    return validate(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE), shapes, jobs=1)


def test_dask_shards_equal_single_process(conn: Cluster, core: rdflib.Graph, tmp_path: Path) -> None:
    path = catalogue(tmp_path, 1500, 11)
    specs = shard_specs(str(path), "text/turtle", 5, path=str(path))
    outcomes = list(conn.run(specs, shapes_box(core, frozenset(), "core"), 120))
    assert [o.error for o in outcomes] == [None] * 5
    assert sorted(o.spec.index for o in outcomes) == [0, 1, 2, 3, 4]
    ref = whole(path, core)
    assert len(ref) > 50
    assert Counter(merge(o.results for o in outcomes)) == Counter(ref)
    # Each task validated only its own shard: a dataset's findings come from the shard that owns it.
    from ldt_conform.shacl_fast.partition import Part

    for o in outcomes:
        datasets = {r.focus for r in o.results if r.focus.startswith("https://example.org/ldt/dataset-")}
        assert datasets and all(Part(o.spec.index, 5).owns(ox.NamedNode(f)) for f in datasets)


def test_killed_worker_is_retried_without_losing_or_duplicating(local_cluster: object, conn: Cluster,
                                                                core: rdflib.Graph, tmp_path: Path) -> None:
    path = catalogue(tmp_path, 6000, 12)
    specs = shard_specs(str(path), "text/turtle", 4, path=str(path))
    client = conn.client
    pids = client.run(os.getpid)
    killed: list[str] = []
    outcomes = []
    for outcome in conn.run(specs, shapes_box(core, frozenset(), "core"), 300):
        outcomes.append(outcome)
        if not killed:
            # Kill a worker that is running a shard right now (SIGKILL: no goodbye to the scheduler).
            deadline = time.monotonic() + 60
            while not killed and time.monotonic() < deadline:
                busy = [w for w, keys in client.processing().items() if keys and w in pids]
                if busy:
                    os.kill(pids[busy[0]], signal.SIGKILL)
                    killed.append(busy[0])
                time.sleep(0.05)
    assert killed, "no worker was busy to be killed"
    assert killed[0] not in client.scheduler_info()["workers"]
    # Every shard came back exactly once, none lost, and the merged findings are the single-process ones.
    assert sorted(o.spec.index for o in outcomes) == [0, 1, 2, 3]
    assert [o.error for o in outcomes] == [None] * 4
    assert Counter(merge(o.results for o in outcomes)) == Counter(whole(path, core))
    client.wait_for_workers(2, timeout=60)  # the nanny restarts the killed worker for the next tests


def test_crashing_or_slow_shard_is_named_and_the_rest_completes(conn: Cluster, core: rdflib.Graph,
                                                                tmp_path: Path) -> None:
    path = catalogue(tmp_path, 1500, 11)
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ex: <https://example.org/> .\nex:a ex:b ", encoding="utf-8")
    specs = [*shard_specs(str(path), "text/turtle", 2, path=str(path)),
             ShardSpec(str(broken), "text/turtle", 0, 1, path=str(broken))]
    outcomes = {o.spec: o for o in conn.run(specs, shapes_box(core, frozenset(), "core"), 120)}
    bad = outcomes[specs[2]]
    assert bad.results == () and bad.error is not None and bad.error.startswith("crashed: SyntaxError")
    assert bad.spec.label == f"{broken} (focus shard 1 of 1)"
    assert Counter(merge(outcomes[s].results for s in specs[:2])) == Counter(whole(path, core))
    # A time budget far below what a shard needs: each shard becomes an error naming it, none hangs the run.
    slow = list(conn.run(shard_specs(str(path), "text/turtle", 2, path=str(path)),
                         shapes_box(core, frozenset(), "core"), 0.001))
    assert sorted(o.spec.index for o in slow) == [0, 1]
    assert all(o.error and o.error.startswith("exceeded its time budget of 0.001 s") for o in slow)


def test_cli_dask_equals_single_process(local_cluster: object, tmp_path: Path) -> None:
    path = catalogue(tmp_path, 800, 13)
    address = local_cluster.scheduler_address  # type: ignore[attr-defined]
    one = run_cli(["check", str(path), "-p", "dcat-ap-3-core", "-q", "--format", "json", "--jobs", "1"], expect=1)
    dask = run_cli(["check", str(path), "-p", "dcat-ap-3-core", "-q", "--format", "json", "--dask", address], expect=1)
    a, b = json.loads(one.stdout), json.loads(dask.stdout)
    assert len(a["findings"]) > 20
    assert Counter(json.dumps(f, sort_keys=True) for f in b["findings"]) == \
        Counter(json.dumps(f, sort_keys=True) for f in a["findings"])
    assert a["results"] == b["results"]


def test_cli_lost_shards_are_findings_and_rules_do_not_pass(local_cluster: object, tmp_path: Path) -> None:
    path = catalogue(tmp_path, 800, 13)
    address = local_cluster.scheduler_address  # type: ignore[attr-defined]
    got = run_cli(["check", str(path), "-p", "dcat-ap-3-core", "-q", "--format", "json", "--dask", address,
                   "--time-budget", "0.1"], expect=1)
    report = json.loads(got.stdout)
    lost = [f for f in report["findings"] if f["rule"] == "LC-002"]
    assert sorted(f["value"].split(" exceeded")[0] for f in lost) == \
        [f"{path} (focus shard 1 of 2)", f"{path} (focus shard 2 of 2)"]
    shacl_rules = [r for r in report["results"] if r["rule"].startswith("DCATAP-")]
    assert shacl_rules and all(r["status"] != "pass" for r in shacl_rules)


def test_cli_unreachable_scheduler_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = catalogue(tmp_path, 10, 1)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # a port nobody listens on once the socket is closed
    got = run_cli(["check", str(path), "-p", "dcat-ap-3-core", "-q", "--dask", f"127.0.0.1:{port}"], expect=2)
    assert got.stderr.strip().splitlines() == [
        f"error: --dask 127.0.0.1:{port}: cannot reach the Dask scheduler within 10 s (OSError)"]


def test_shapes_survive_the_loss_of_every_worker_that_holds_them(local_cluster: object, conn: Cluster,
                                                                  core: rdflib.Graph, tmp_path: Path) -> None:
    """The shapes reach the workers as a task's result, which Dask recomputes when every worker holding it dies.
    Scattered data would be gone with them, and every later shard lost ("lost dependencies", "already forgotten")."""
    path = catalogue(tmp_path, 1500, 11)
    box = shapes_box(core, frozenset(), "core")
    specs = shard_specs(str(path), "text/turtle", 2, path=str(path))
    assert [o.error for o in conn.run(specs, box, 120)] == [None, None]
    client = conn.client
    shipped = conn._shipped[box.key]
    holders = list(client.who_has([shipped])[shipped.key])
    assert holders
    pids = client.run(os.getpid)
    for worker in holders:
        os.kill(pids[worker], signal.SIGKILL)
    deadline = time.monotonic() + 60
    while any(w in client.scheduler_info()["workers"] for w in holders) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(w in client.scheduler_info()["workers"] for w in holders)
    client.wait_for_workers(2, timeout=60)
    again = list(conn.run(specs, box, 120))
    assert [o.error for o in again] == [None, None]
    assert Counter(merge(o.results for o in again)) == Counter(whole(path, core))


def test_cli_dask_streamed_findings_equal_single_process(local_cluster: object, tmp_path: Path) -> None:
    # Each shard's results go to the spool as the shard finishes; a value node two shards share is reported by both,
    # and the spool's merge keeps it once, as merge() does for the unstreamed run.
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate_catalogue import generate_defective

    path = tmp_path / "defective.ttl"
    with path.open("w", encoding="utf-8") as fh:
        generate_defective(300, fh)
    out = tmp_path / "f.jsonl"
    address = local_cluster.scheduler_address  # type: ignore[attr-defined]
    one = run_cli(["check", str(path), "-p", "dcat-ap-3", "-q", "--format", "json", "--jobs", "1"], expect=1)
    dask = run_cli(["check", str(path), "-p", "dcat-ap-3", "-q", "--format", "json", "--dask", address,
                    "--findings", str(out), "--list-findings", "10"], expect=1)
    a, b = json.loads(one.stdout), json.loads(dask.stdout)
    assert len(a["findings"]) == 4509 and b["streamed"]["total"] == 4509
    assert b["findings"] == a["findings"][:10]
    assert (b["summary"], b["results"], b["quality"]) == (a["summary"], a["results"], a["quality"])
    rows = [json.loads(line) for line in out.open(encoding="utf-8")]

    def key(f: dict[str, object]) -> str:
        return json.dumps({k: v for k, v in f.items() if v not in (None, [])}, sort_keys=True)

    assert Counter(map(key, rows)) == Counter(map(key, a["findings"]))


def test_a_shard_names_blank_nodes_as_the_parent_store_does(tmp_path: Path) -> None:
    # Run in this process (the task itself, no cluster): the worker's parser labels its blank nodes its own way, so
    # the shard must name them canonically from its store, and the parent must leave such names alone.
    from dataclasses import replace

    from generate_catalogue import generate_defective
    from ldt_conform.bnodes import canonical_labels
    from ldt_conform.shacl_fast import prepare
    from ldt_conform.shacl_fast.distribute import run_shard

    path = tmp_path / "defective.ttl"
    with path.open("w", encoding="utf-8") as fh:
        generate_defective(30, fh)
    from ldt_conform import profile as profiles

    shapes = parse_rdflib(list(profiles.load("dcat-ap-3").shacl_files))
    prepared = prepare(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    mine = validate(prepared, shapes, jobs=1)
    blank = {r.focus[2:] for r in mine if r.focus.startswith("_:")}
    assert len(blank) == 30
    names = canonical_labels(prepared.store, blank)
    want = sorted(replace(r, focus=names.get(r.focus[2:], r.focus)) for r in mine)
    spec = ShardSpec(str(path), "text/turtle", 0, 1, str(path))
    outcome = run_shard(spec, shapes_box(shapes, frozenset(), "bnodes"), None)
    assert outcome.error is None
    assert sorted(outcome.results) == want
    # The parent's store does not hold the worker's names: relabelling leaves them as they are.
    assert canonical_labels(prepared.store, {n[2:] for n in names.values()}) == {}
