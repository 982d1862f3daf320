"""A misbehaving server gives the right finding for each fault; the tool never hangs (timeout + budget), never crashes."""
from __future__ import annotations

import time

import pytest

from api_helpers import findings, probe, status
from ldt_conform.model import Status
from servers.util import LocalServer

# fault → (the words the one-line finding must contain)
EXPECTED = {
    "wrong-content-type": "HTML page where JSON was expected",
    "error-500": "HTTP 500",
    "slow": "no response within 1 s (timeout)",
    "stall-body": "still arriving after 1 s (timeout)",
    "redirect-loop": "too many redirects",
    "redirect-other-host": "redirects to another host",
    "invalid-json": "not valid JSON",
    "huge-declared": "over the 268,435,456-byte cap",
    "huge-stream": "exceeds the 268,435,456-byte cap",
    "html-login": "a login page",
    "unauthorized": "HTTP 401",
    "forbidden": "HTTP 403",
}


@pytest.mark.parametrize("fault", sorted(EXPECTED))
def test_fault_on_a_named_api_fails_the_landing_page_rule(fault: str, bad_server: LocalServer) -> None:
    bad_server.faults.add(fault)
    bad_server.state["delay"] = 3
    # Streaming 256 MB takes about a second on loopback, more on a busy machine: give the cap time to trip first.
    timeout = 20 if fault == "huge-stream" else 1
    started = time.monotonic()
    report = probe([("ogcapi-features", bad_server.url)], profile="ogcapi-features", timeout=timeout)
    assert time.monotonic() - started < timeout + 5, "one bad landing page must not cost more than its own timeout"
    assert status(report, "OAFEAT-001") is Status.FAIL
    [finding] = findings(report, "OAFEAT-001")
    assert finding.focus == "GET /"
    assert EXPECTED[fault] in finding.message and "\n" not in finding.message
    # Everything that depends on the landing page is skipped with the reason, not failed.
    skipped = {r.rule: r.reason for r in report.results if r.status is Status.SKIP}
    assert skipped["OAFEAT-002"] == "prerequisite OAFEAT-001 failed"
    assert "prerequisite" in skipped["OAFEAT-015"]
    assert not [r for r in report.results if r.status is Status.ERROR]


@pytest.mark.parametrize("fault", ["error-500", "html-login", "unauthorized", "invalid-json", "redirect-loop"])
def test_fault_on_a_detected_api_is_one_lc001_finding(fault: str, bad_server: LocalServer) -> None:
    bad_server.faults.add(fault)
    report = probe([(None, bad_server.url)], timeout=1)
    [finding] = report.findings
    assert finding.rule == "LC-001" and EXPECTED[fault] in finding.message
    assert {r.status for r in report.results} == {Status.SKIP}
    assert report.targets[0].format == "unknown" and not report.conforms


def test_dropped_links_fail_the_links_rule(bad_server: LocalServer) -> None:
    bad_server.faults.add("dropped-links")
    report = probe([("ogcapi-features", bad_server.url)], profile="ogcapi-features")
    assert status(report, "OAFEAT-001") is Status.PASS
    values = {f.value for f in findings(report, "OAFEAT-002")}
    assert "links missing" in values
    assert status(report, "OAFEAT-007") is Status.FAIL  # its /conformance answers the landing page: no conformsTo


def test_unreachable_host_is_a_finding_not_an_error(bad_server: LocalServer) -> None:
    port = bad_server.url.rsplit(":", 1)[1]
    bad_server.stop()
    report = probe([(None, f"http://127.0.0.1:{port}")], timeout=2)
    [finding] = report.findings
    assert finding.rule == "LC-001" and "connection refused" in finding.message


def test_total_budget_bounds_a_slow_api(fake: LocalServer) -> None:
    """Every answer takes 0.7 s; with a 2 s budget the run stops asking and says which requests it did not make."""
    fake.faults.add("slow-everything")
    fake.state["delay"] = 0.7
    started = time.monotonic()
    report = probe([("sensorthings", fake.url + "/sta/v1.1")], profile="sensorthings", timeout=5,
                   extra={"api_budget": 2})
    assert time.monotonic() - started < 4.5
    messages = [f.message for f in report.findings]
    assert any("total time budget of 2 s is spent" in m for m in messages), messages
    assert not [r for r in report.results if r.status is Status.ERROR]


def test_redirects_on_the_same_host_are_followed_others_only_when_allowed(bad_server: LocalServer) -> None:
    bad_server.faults.add("redirect-other-host")
    refused = probe([("ogcapi-features", bad_server.url)], profile="ogcapi-features")
    assert "use --follow-redirects-any" in findings(refused, "OAFEAT-001")[0].message
    followed = probe([("ogcapi-features", bad_server.url)], profile="ogcapi-features", follow_redirects_any=True)
    assert status(followed, "OAFEAT-001") is Status.PASS
    hosts = {headers.get("host", "").split(":")[0] for _, _, headers in bad_server.requests}
    assert hosts == {"127.0.0.1", "localhost"}


def test_links_to_another_host_are_not_followed(fake: LocalServer) -> None:
    fake.faults.add("links-other-host")
    report = probe([("ogcapi-features", fake.url + "/ogc")], profile="ogcapi-features")
    [finding] = findings(report, "OAFEAT-004")
    assert finding.focus.startswith("GET http://localhost:") and "another host" in finding.message
    assert {headers.get("host", "").split(":")[0] for _, _, headers in fake.requests} == {"127.0.0.1"}


def test_a_keepalive_hang_is_retried_once_on_a_fresh_connection(bad_server: LocalServer) -> None:
    """A server that hangs on a reused keep-alive connection (pycsw under its Flask server did) costs one timeout,
    then every request gets a fresh connection; the warning names the behaviour, and the rules still run."""
    bad_server.faults.add("keepalive-hang")
    bad_server.state["delay"] = 3
    started = time.monotonic()
    report = probe([("ogcapi-features", bad_server.url)], profile="ogcapi-features", timeout=1)
    assert time.monotonic() - started < 10
    [hang] = [f for f in report.findings if f.rule == "LC-001"]
    assert hang.value == "no answer on a reused keep-alive connection" and "fresh connection" in hang.message
    assert status(report, "OAFEAT-001") is Status.PASS and status(report, "OAFEAT-002") is Status.PASS
