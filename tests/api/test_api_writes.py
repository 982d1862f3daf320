"""NGSI-LD write probes: only with --allow-writes, unique probe ids, always deleted — on failure and on interruption."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from api_helpers import REPO, probe, status
from ldt_conform.model import Status
from servers import fake_apis, ngsi_ld_broker
from servers.util import LocalServer


def test_writes_need_the_flag(broker: LocalServer) -> None:
    report = probe([("ngsi-ld", broker.url)], profile="ngsi-ld")
    assert status(report, "NGSILD-020") is Status.SKIP
    assert "--allow-writes" in next(r.reason for r in report.results if r.rule == "NGSILD-020")
    assert {method for method, _, _ in broker.requests} == {"GET"}


def test_write_probes_use_a_unique_probe_id_and_clean_up(broker: LocalServer) -> None:
    for _ in range(2):
        report = probe([("ngsi-ld", broker.url)], profile="ngsi-ld", allow_writes=True)
        assert all(status(report, f"NGSILD-02{i}") is Status.PASS for i in range(4))
    posts = [path.rsplit("/", 1)[1] for method, path, _ in broker.requests if method == "POST"]
    deleted = {path.rsplit("/", 2)[1]: set() for method, path, _ in broker.requests if method == "DELETE"}
    for method, path, _ in broker.requests:
        if method == "DELETE":
            deleted[path.rsplit("/", 2)[1]].add(path.rsplit("/", 1)[1])
    # Per run: the entity probe's create and duplicate, the subscription probe's watched entity and subscription.
    assert sorted(posts) == ["entities"] * 6 + ["subscriptions"] * 2
    assert {kind: len(ids) for kind, ids in deleted.items()} == {"entities": 4, "subscriptions": 2}, \
        "two runs, four distinct probe entities and two distinct subscriptions"
    assert all(i.startswith("urn:ngsi-ld:LdtConformProbe:ldt-conform-probe-") for i in deleted["entities"])
    assert all(i.startswith("urn:ngsi-ld:Subscription:ldt-conform-probe-") for i in deleted["subscriptions"])
    assert ngsi_ld_broker.probe_entities(broker) == [] and ngsi_ld_broker.probe_subscriptions(broker) == []
    assert len(broker.state["entities"]) == len(ngsi_ld_broker.SEED), "the twin's own entities are untouched"


def test_a_failing_write_check_still_deletes_the_probe_entity(broker: LocalServer) -> None:
    broker.faults.add("patch-noop")
    # The subscription probe's change is lost too, so its notification is waited for in vain: briefly.
    report = probe([("ngsi-ld", broker.url)], profile="ngsi-ld", allow_writes=True, extra={"notify_wait": 1.0})
    assert status(report, "NGSILD-022") is Status.FAIL
    assert ngsi_ld_broker.probe_entities(broker) == []


@pytest.mark.parametrize("slow", ["slow-create", "slow-delete"])
def test_an_interrupted_run_deletes_the_probe_entity(slow: str, broker: LocalServer) -> None:
    """SIGTERM while the create (or the delete) request is in flight: the run stops (exit 2) and the entity is
    deleted first (or again)."""
    broker.faults.add(slow)
    broker.state["slow"] = 20
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, "-m", "ldt_conform", "check", "--api", f"ngsi-ld={broker.url}",
                                "--allow-writes", "--quiet"], cwd=REPO, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    def in_flight() -> bool:
        if slow == "slow-create":
            return bool(ngsi_ld_broker.probe_entities(broker))
        return any(method == "DELETE" for method, _, _ in broker.requests)

    try:
        deadline = time.monotonic() + 30
        while not in_flight() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert in_flight(), f"the {slow.split('-')[1]} request was never sent"
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
    assert time.monotonic() - started < 10
    assert process.returncode == 2 and b"interrupted" in stderr, stderr[-2000:]
    assert ngsi_ld_broker.probe_entities(broker) == []
    deletes = [path for method, path, _ in broker.requests if method == "DELETE"]
    # The clean-up deletes the entity whose delete was cut off (the broker answers that second one at once: 404).
    assert len(deletes) == (1 if slow == "slow-create" else 2) and len(set(deletes)) == 1, deletes


def test_ctrl_c_during_slow_reads_stops_at_once() -> None:
    """Every answer takes 3 s: Ctrl-C after the first second ends the run without waiting for queued probes.

    A server of its own, so no probe left in flight by an earlier test is taken for the child's first request."""
    fake = fake_apis.start()
    try:
        _ctrl_c_during_slow_reads(fake)
    finally:
        fake.stop()


def _ctrl_c_during_slow_reads(fake: LocalServer) -> None:
    fake.faults.add("slow-everything")
    fake.state["delay"] = 3
    # As the console script runs (the test session sets LDT_CONFORM_NO_FAST_EXIT for in-process CLI tests).
    env = {**{k: v for k, v in os.environ.items() if k != "LDT_CONFORM_NO_FAST_EXIT"}, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, "-m", "ldt_conform", "check", "--api",
                                f"sensorthings={fake.url}/sta/v1.1", "--quiet"], cwd=REPO, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               # As from a terminal: a shell starts background jobs with SIGINT ignored, and an
                               # ignored signal is inherited, so under `pytest &` the child never saw the Ctrl-C.
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 20
        while not fake.requests and time.monotonic() < deadline:
            time.sleep(0.05)
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
    assert time.monotonic() - started < 2.5
    assert process.returncode == 2 and stderr.decode().strip().splitlines()[-1] == "error: interrupted"
