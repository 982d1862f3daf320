"""NGSILD-030…034: subscriptions proved end to end on a real local broker (tests/servers/ngsi_ld_broker.py) with a
real receiver; what a read-only run leaves unverified, and how; the notification options. Every fault's exact findings
are in test_api_ngsi_queries.py (EXACT)."""
from __future__ import annotations

import json
import re
import socket
import time
from typing import Any, Iterator
from urllib.parse import urlsplit

import pytest

from api_helpers import Row, assert_exact, at, probe, run_cli_capture, sigterm_while, status
from ldt_conform.checks.api import WRITES_NOT_SELECTED, ngsi_subscriptions, notify
from ldt_conform.errors import UsageError
from ldt_conform.model import Status, Why
from servers import ngsi_ld_broker
from servers.util import LocalServer

SUBSCRIPTION_RULES = ("NGSILD-030", "NGSILD-031", "NGSILD-032", "NGSILD-033", "NGSILD-034")
WRITES = ("NGSILD-020", "NGSILD-021", "NGSILD-022", "NGSILD-023", "NGSILD-031", "NGSILD-032", "NGSILD-033",
          "NGSILD-034")
SUBSCRIBE = ("NGSILD-032", "NGSILD-033", "NGSILD-034")
SUBSCRIPTIONS = "GET /ngsi-ld/v1/subscriptions"
PROBE_SUBSCRIPTION = r"GET /ngsi-ld/v1/subscriptions/urn:ngsi-ld:Subscription:ldt-conform-probe-[0-9a-f]{16}"
WATCHED_ID = r"urn:ngsi-ld:LdtConformProbe:ldt-conform-probe-[0-9a-f]{16}"
RECEIVER = r"POST http://127\.0\.0\.1:[0-9]+/ldt-conform/notify/[0-9a-f]{16}"
NOTIFIED = re.compile(r"changing status of urn:ngsi-ld:LdtConformProbe:ldt-conform-probe-[0-9a-f]{16} to "
                      r"'changed-[0-9a-f]{8}' must be notified to the endpoint by subscription "
                      r"urn:ngsi-ld:Subscription:ldt-conform-probe-[0-9a-f]{16}, with the new value")
WAIT = 1.5  # seconds a test waits for a notification that a fault never sends
# Every subscription fault of the test broker, run with --allow-writes: the status of every NGSI-LD rule that does
# not pass, and every finding (rule, focus, value, closing note), as test_api_ngsi_queries.EXACT does for the others.
SUBSCRIPTION_EXACT: dict[str, tuple[dict[str, str], list[Row]]] = {
    "subscriptions-object": ({"NGSILD-030": "fail"},
                             [("NGSILD-030", at(SUBSCRIPTIONS), "dict",
                               "Query Subscriptions must answer with a JSON array")]),
    # Retrieve shows it without notification parameters too: the endpoint read back is not the one given.
    "subscription-no-notification": (
        {"NGSILD-030": "fail", "NGSILD-032": "fail"},
        [("NGSILD-030", at(SUBSCRIPTIONS), at("subscription urn:ngsi-ld:Subscription:riverton-traffic"),
          "each subscription listed needs an id, type \"Subscription\" and its notification parameters"),
         ("NGSILD-032", PROBE_SUBSCRIPTION, "endpoint=None",
          "the subscription read back must still notify the endpoint it was given")]),
    "subscribe-no-location": ({"NGSILD-031": "fail", **dict.fromkeys(SUBSCRIBE, "skip")},
                              [("NGSILD-031", at("POST /ngsi-ld/v1/subscriptions"), "Location: missing",
                                "201 Created must carry a Location header naming /ngsi-ld/v1/subscriptions/{id}")]),
    "subscribe-200": ({"NGSILD-031": "fail", **dict.fromkeys(SUBSCRIBE, "skip")},
                      [("NGSILD-031", at("POST /ngsi-ld/v1/subscriptions"), "HTTP 200",
                        "creating a subscription must answer 201 Created")]),
    # Every part read back is the other subscription's: four findings, one per part.
    "subscription-retrieve-other": (
        {"NGSILD-032": "fail"},
        [("NGSILD-032", PROBE_SUBSCRIPTION, at('endpoint=http://127.0.0.1:9/riverton'),
          "the subscription read back must still notify the endpoint it was given"),
         ("NGSILD-032", PROBE_SUBSCRIPTION, at('entities=[{"type": "TrafficFlowObserved"}]'),
          re.compile(f"the subscription read back must still select {WATCHED_ID}")),
         ("NGSILD-032", PROBE_SUBSCRIPTION, at("id=urn:ngsi-ld:Subscription:riverton-traffic type=Subscription"),
          re.compile(r"the subscription read back must be urn:ngsi-ld:Subscription:ldt-conform-probe-[0-9a-f]{16}, "
                     r"of type Subscription")),
         ("NGSILD-032", PROBE_SUBSCRIPTION, at('watchedAttributes=["intensity"]'),
          "the subscription read back must still watch status")]),
    # Without watched attributes every change notifies (§5.2.12), so the notification still comes.
    "subscription-drops-watched": ({"NGSILD-032": "fail"},
                                   [("NGSILD-032", PROBE_SUBSCRIPTION, "watchedAttributes=null",
                                     "the subscription read back must still watch status")]),
    "no-notification": ({"NGSILD-033": "fail"}, [("NGSILD-033", RECEIVER, f"no notification in {WAIT:g} s", NOTIFIED)]),
    "notify-old-value": ({"NGSILD-033": "fail"}, [("NGSILD-033", RECEIVER, "status=created", NOTIFIED)]),
    "notify-other-entity": ({"NGSILD-033": "fail"},
                            [("NGSILD-033", RECEIVER, at("entity urn:ngsi-ld:Vehicle:riverton-bus-7"),
                              re.compile(f"the subscription selects only {WATCHED_ID}"))]),
    "notify-not-json": ({"NGSILD-033": "fail"},
                        [("NGSILD-033", RECEIVER, "Content-Type text/plain",
                          "the endpoint asked for application/json notifications")]),
    # The new value, but bare (keyValues) where the subscription asked for normalized: carried, in the wrong format.
    "notify-key-values": ({"NGSILD-033": "fail"},
                          [("NGSILD-033", RECEIVER, "status=changed-[0-9a-f]{8}",
                            'the subscription asked for normalized notifications: status must be an object with '
                            'type "Property" and its value')]),
    # Concise (NGSI-LD 1.6 §4.5.18): the value in an object without its type, also not what was asked for.
    "notify-concise": ({"NGSILD-033": "fail"},
                       [("NGSILD-033", RECEIVER, at("status={'value': '") + "changed-[0-9a-f]{8}'}",
                         'the subscription asked for normalized notifications: status must be an object with '
                         'type "Property" and its value')]),
    "notify-wrong-subscription": ({"NGSILD-033": "fail"},
                                  [("NGSILD-033", RECEIVER, at("subscriptionId=urn:ngsi-ld:Subscription:other"),
                                    NOTIFIED)]),
    "unsubscribe-noop": ({"NGSILD-034": "fail"},
                         [("NGSILD-034", PROBE_SUBSCRIPTION, "HTTP 200", "a deleted subscription must be gone (404)")]),
    "unsubscribe-200": ({"NGSILD-034": "fail"},
                        [("NGSILD-034", PROBE_SUBSCRIPTION.replace("GET", "DELETE"), "HTTP 200",
                          "deleting a subscription must answer 204 No Content")]),
}
SUB_ID = r"urn:ngsi-ld:Subscription:ldt-conform-probe-[0-9a-f]{16}"


def capability(report: Any, cap_id: str) -> dict[str, Any]:
    caps = [c for mim in report.mims for c in mim.get("capabilities", []) if c["id"] == cap_id]
    assert len(caps) == 1, cap_id
    return dict(caps[0])


def result(report: Any, rule: str) -> Any:
    return next(r for r in report.results if r.rule == rule)


@pytest.fixture
def free_port() -> Iterator[int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    yield port


def test_a_good_broker_is_proved_to_notify_and_the_probe_leaves_nothing_behind(broker: LocalServer) -> None:
    report = probe([("ngsi-ld", broker.url)], profile="ngsi-ld", allow_writes=True)
    assert {r: status(report, r) for r in SUBSCRIPTION_RULES} == dict.fromkeys(SUBSCRIPTION_RULES, Status.PASS)
    writes = [(method, path) for method, path, _ in broker.requests if method != "GET" or "subscriptions/" in path]
    subscription_writes = [(m, p) for m, p in writes if "subscriptions" in p or ("/attrs" in p and "-probe-" in p)]
    # Created, read back, its entity changed (after NGSILD-022's own PATCH of the other probe entity), deleted and
    # checked gone.
    shapes = [(m, re.sub(r"ldt-conform-probe-[0-9a-f]{16}", "X", p)) for m, p in subscription_writes]
    assert shapes == [("PATCH", "/ngsi-ld/v1/entities/urn:ngsi-ld:LdtConformProbe:X/attrs"),
                      ("POST", "/ngsi-ld/v1/subscriptions"),
                      ("GET", "/ngsi-ld/v1/subscriptions/urn:ngsi-ld:Subscription:X"),
                      ("PATCH", "/ngsi-ld/v1/entities/urn:ngsi-ld:LdtConformProbe:X/attrs"),
                      ("DELETE", "/ngsi-ld/v1/subscriptions/urn:ngsi-ld:Subscription:X"),
                      ("GET", "/ngsi-ld/v1/subscriptions/urn:ngsi-ld:Subscription:X")]
    assert ngsi_ld_broker.probe_entities(broker) == [] and ngsi_ld_broker.probe_subscriptions(broker) == []
    cap = capability(report, "mim0.subscribable")
    assert (cap["state"], cap["rules_passed"]) == ("holds", list(SUBSCRIPTION_RULES))
    # The receiver is closed with the run: its port refuses connections.
    port = int(urlsplit(broker.state["subscription_bodies"][0]["notification"]["endpoint"]["uri"]).port or 0)
    with socket.socket() as s, pytest.raises(ConnectionRefusedError):
        s.connect(("127.0.0.1", port))


def test_the_subscription_sent_selects_the_probe_entity_and_a_receiver_on_this_machine(broker: LocalServer) -> None:
    probe([("ngsi-ld", broker.url)], profile="ngsi-ld", allow_writes=True)
    [sent] = broker.state["subscription_bodies"]
    assert re.fullmatch(SUB_ID, sent.pop("id"))
    endpoint = sent["notification"]["endpoint"].pop("uri")
    assert re.fullmatch(r"http://127\.0\.0\.1:[0-9]+/ldt-conform/notify/[0-9a-f]{16}", endpoint)
    [selector] = sent.pop("entities")
    assert re.fullmatch(WATCHED_ID, selector.pop("id")) and selector == {"type": "LdtConformProbe"}
    assert sent == {"type": "Subscription", "watchedAttributes": ["status"],
                    "notification": {"attributes": ["status"], "format": "normalized",
                                     "endpoint": {"accept": "application/json"}}}


@pytest.mark.corpus
def test_the_subscription_sent_is_valid_for_the_etsi_openapi_schema(broker: LocalServer, corpus: Any) -> None:
    """The body we POST meets the on-change Subscription schema of the NGSI-LD OpenAPI (ETSI GS CIM 009 V1.6.1,
    corpus). Its `Subscription` is oneOf OnChange / Periodic, and neither requires the member that tells them apart
    (timeInterval), so every subscription matches both and fails that oneOf: the branch is named instead."""
    import jsonschema
    import yaml

    document = yaml.safe_load((corpus / "openapi" / "ngsi-ld-v1.6.1" / "ngsi-ld-api.yaml").read_text("utf-8"))
    probe([("ngsi-ld", broker.url)], profile="ngsi-ld", allow_writes=True)
    [sent] = broker.state["subscription_bodies"]
    schema = {**document, "$ref": "#/components/schemas/Subscription.OnChange"}
    jsonschema.validate(sent, schema, cls=jsonschema.Draft4Validator)
    with pytest.raises(jsonschema.ValidationError):  # the schema does check: an empty entities list is refused
        jsonschema.validate({**sent, "entities": []}, schema, cls=jsonschema.Draft4Validator)


def test_a_read_only_run_sends_no_write_and_leaves_the_capability_not_assessed(broker: LocalServer) -> None:
    report = probe([("ngsi-ld", broker.url)], profile="ngsi-ld")
    assert status(report, "NGSILD-030") is Status.PASS
    assert {r: (result(report, r).status, result(report, r).why, result(report, r).reason) for r in WRITES} == \
        dict.fromkeys(WRITES, (Status.SKIP, Why.NOT_SELECTED, WRITES_NOT_SELECTED))
    assert {method for method, _, _ in broker.requests} == {"GET"}
    cap = capability(report, "mim0.subscribable")
    # The list alone proves no notification: the write probes not run are a gap, not "not applicable".
    assert (cap["state"], cap["reason"]) == (
        "not-assessed", "not verified: 4 MUST rules not-selected (NGSILD-031, NGSILD-032, NGSILD-033, …)")


def test_notify_url_and_listen_are_what_the_broker_is_told_and_where_it_is_heard(broker: LocalServer,
                                                                                 free_port: int) -> None:
    """A tunnel or proxy in front of the receiver: the broker gets the public URL, whatever its path."""
    url = f"http://127.0.0.1:{free_port}/via-proxy/hook"
    report = probe([("ngsi-ld", broker.url)], profile="ngsi-ld", allow_writes=True,
                   extra={"notify_url": url, "notify_listen": f"127.0.0.1:{free_port}"})
    assert status(report, "NGSILD-033") is Status.PASS
    assert broker.state["subscription_bodies"][0]["notification"]["endpoint"]["uri"] == url
    assert report.options["notify_url"] == url


def test_a_notification_the_broker_could_not_deliver_is_not_verified_with_its_account(broker: LocalServer,
                                                                                      free_port: int) -> None:
    """The broker is told a URL where nothing listens: it notifies, fails, and records the failure in the
    subscription (§5.2.14). That is where this machine sits, not a broker fault: not verified, with the account."""
    url = f"http://127.0.0.1:{free_port}/nobody"
    report = probe([("ngsi-ld", broker.url)], profile="ngsi-ld", allow_writes=True,
                   extra={"notify_url": url, "notify_wait": 1.0})
    got = result(report, "NGSILD-033")
    assert (got.status, got.why) == (Status.SKIP, Why.PREREQUISITE_FAILED)
    assert re.fullmatch(
        rf"the broker reports that it could not deliver the notification to {re.escape(url)} \(notification\.status="
        r"failed, notification\.timesFailed=1, notification\.lastFailure=[0-9T:-]+Z\): it cannot reach this machine "
        r"there; give --notify-url with an address it can reach", got.reason or ""), got.reason
    assert {r: status(report, r) for r in ("NGSILD-031", "NGSILD-032", "NGSILD-034")} == dict.fromkeys(
        ("NGSILD-031", "NGSILD-032", "NGSILD-034"), Status.PASS)
    assert capability(report, "mim0.subscribable")["state"] == "not-assessed"


@pytest.mark.parametrize("account,verdict,told", [
    ("status", Status.SKIP, "(notification.status=failed)"),
    ("counts", Status.SKIP, "(notification.timesFailed=1)"),
    # A broker that keeps no account of its deliveries: nothing shows the network lost it, so the broker is failed.
    ("none", Status.FAIL, None),
])
def test_either_member_of_the_brokers_account_shows_a_lost_delivery(account: str, verdict: Status, told: str | None,
                                                                    broker: LocalServer, free_port: int) -> None:
    broker.state["account"] = account
    report = probe([("ngsi-ld", broker.url)], profile="ngsi-ld", allow_writes=True,
                   extra={"notify_url": f"http://127.0.0.1:{free_port}/nobody", "notify_wait": 1.0})
    got = result(report, "NGSILD-033")
    assert got.status is verdict
    if told:
        assert f"to http://127.0.0.1:{free_port}/nobody {told}: it cannot reach" in (got.reason or "")
    else:
        [finding] = [f for f in report.findings if f.rule == "NGSILD-033"]
        assert finding.value == "no notification in 1 s"
    # The account is read once the wait is over, as JSON.
    reads = [h.get("accept") for m, p, h in broker.requests if m == "GET" and "/subscriptions/urn:" in p]
    assert reads == ["application/json"] * 3  # NGSILD-032, the account, NGSILD-034's check that it is gone


def test_an_account_that_is_not_an_object_shows_nothing_lost(broker: LocalServer, free_port: int) -> None:
    broker.state["retrieve_as_array"] = True
    report = probe([("ngsi-ld", broker.url)], profile="ngsi-ld", allow_writes=True,
                   extra={"notify_url": f"http://127.0.0.1:{free_port}/nobody", "notify_wait": 1.0})
    assert (status(report, "NGSILD-032"), status(report, "NGSILD-033")) == (Status.FAIL, Status.FAIL)
    assert [(f.value, f.message.rsplit(" (", 1)[1]) for f in report.findings if f.rule == "NGSILD-032"] == [
        ("list", "Retrieve Subscription must answer with a JSON object)")]
    assert [f.value for f in report.findings if f.rule == "NGSILD-033"] == ["no notification in 1 s"]


def test_odd_members_of_the_subscription_list_are_counted_and_the_first_named(broker: LocalServer) -> None:
    broker.state["listed_extra"] = ["odd", {"id": "urn:a", "type": "Subscription"}]
    report = probe([("ngsi-ld", broker.url)], profile="ngsi-ld")
    assert [(f.focus, f.value) for f in report.findings if f.rule == "NGSILD-030"] == [
        ("GET /ngsi-ld/v1/subscriptions", "subscription str and 1 more")]


def test_an_entity_to_watch_the_broker_will_not_create_fails_the_subscription_probe(broker: LocalServer) -> None:
    """NGSILD-020 created its entity; the broker then refuses the one the subscription would watch."""
    broker.state["creates_left"] = 1
    report = probe([("ngsi-ld", broker.url)], profile="ngsi-ld", allow_writes=True)
    assert status(report, "NGSILD-020") is Status.PASS
    [finding] = [f for f in report.findings if f.rule == "NGSILD-031"]
    assert (finding.focus, finding.value) == ("POST /ngsi-ld/v1/entities", "HTTP 500")
    assert finding.message.endswith(" (the entity to watch could not be created (expected 201 Created))")
    assert {r: status(report, r) for r in SUBSCRIBE} == dict.fromkeys(SUBSCRIBE, Status.SKIP)
    assert "subscription_bodies" not in broker.state and ngsi_ld_broker.probe_entities(broker) == []


def test_a_change_the_broker_refuses_fails_the_notification_probe_naming_the_patch(broker: LocalServer) -> None:
    broker.state["patch_status"] = 500
    report = probe([("ngsi-ld", broker.url)], profile="ngsi-ld", allow_writes=True)
    [finding] = [f for f in report.findings if f.rule == "NGSILD-033"]
    assert re.fullmatch(rf"PATCH /ngsi-ld/v1/entities/{WATCHED_ID}/attrs", finding.focus), finding.focus
    assert (finding.value, finding.message.rsplit(" (", 1)[1]) == (
        "HTTP 500", "the watched entity could not be changed, so no notification could be awaited)")


def test_the_probe_stops_waiting_when_the_notification_arrives(broker: LocalServer) -> None:
    """A generous --notify-wait costs nothing on a broker that notifies at once."""
    started = time.monotonic()
    report = probe([("ngsi-ld", broker.url)], profile="ngsi-ld", allow_writes=True, extra={"notify_wait": 120})
    assert status(report, "NGSILD-033") is Status.PASS
    assert time.monotonic() - started < 60


def test_a_subscription_probe_selected_without_its_creation_is_not_verified(broker: LocalServer) -> None:
    """--select NGSILD-032 alone: the subscription to read back was never created, so nothing is read back (a GET of
    it would fail the broker for our omission); the entity made for it is still deleted."""
    report = probe([("ngsi-ld", broker.url)], profile="ngsi-ld", allow_writes=True, select=["NGSILD-032"])
    got = result(report, "NGSILD-032")
    assert (got.status, got.why, got.reason) == (Status.SKIP, Why.PREREQUISITE_FAILED,
                                                 "the probe subscription was not created (NGSILD-031)")
    assert not any("/subscriptions" in p for _, p, _ in broker.requests)
    assert ngsi_ld_broker.probe_entities(broker) == []


def delivery(body: Any, content_type: str = "application/json") -> notify.Delivery:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return notify.Delivery("/hook", content_type, data)


ENTITY = "urn:ngsi-ld:LdtConformProbe:ldt-conform-probe-0123456789abcdef"
OURS = "urn:ngsi-ld:Subscription:ldt-conform-probe-0123456789abcdef"
GOOD = {"id": "urn:ngsi-ld:Notification:1", "type": "Notification", "subscriptionId": OURS,
        "notifiedAt": "2026-12-02T10:00:00Z",
        "data": [{"id": ENTITY, "type": "LdtConformProbe", "status": {"type": "Property", "value": "changed-1"}}]}
ONE_OF = "a notification is a JSON object with an id and type \"Notification\""


@pytest.mark.parametrize("content_type,body,expected", [
    ("application/json", GOOD, []),
    ("application/json; charset=utf-8", GOOD, []),
    ("application/ld+json", GOOD, [("Content-Type application/ld+json",
                                    "the endpoint asked for application/json notifications")]),
    ("", GOOD, [("Content-Type missing", "the endpoint asked for application/json notifications")]),
    ("application/json", b"not json", [("not a JSON object", ONE_OF)]),
    ("application/json", [GOOD], [("not a JSON object", ONE_OF)]),
    ("application/json", {**GOOD, "type": "Entity"}, [("type=Entity id=urn:ngsi-ld:Notification:1", ONE_OF)]),
    ("application/json", {k: v for k, v in GOOD.items() if k != "id"}, [("type=Notification id=None", ONE_OF)]),
    ("application/json", {**GOOD, "id": 7}, [("type=Notification id=7", ONE_OF)]),
    ("application/json", {**GOOD, "data": GOOD["data"][0]},
     [("data is dict", "a notification's data must be an array of entities")]),
    ("application/json", {**GOOD, "data": [*GOOD["data"], {"id": "urn:x:1"}, "odd"]},
     [("entity urn:x:1 and 1 more", f"the subscription selects only {ENTITY}")]),
    ("application/json", {**GOOD, "data": []}, []),
    ("application/json", {**GOOD, "data": [{"id": "urn:x:" + "9" * 100}]},
     [("entity urn:x:" + "9" * 74, f"the subscription selects only {ENTITY}")]),
])
def test_a_notification_is_json_of_type_notification_with_only_the_selected_entity(
        content_type: str, body: Any, expected: list[tuple[str, str]]) -> None:
    issues = ngsi_subscriptions._notification_issues("POST hook", delivery(body, content_type), OURS, ENTITY)
    assert [(i.focus, i.value, i.note) for i in issues] == [("POST hook", v, n) for v, n in expected]


@pytest.mark.parametrize("body,value,carries,about", [
    (GOOD, "changed-1", True, True),
    ({**GOOD, "data": [{"id": ENTITY, "status": "changed-1"}]}, "changed-1", True, True),  # keyValues
    ({**GOOD, "data": [{"id": "urn:x:1", "status": {"value": "changed-1"}}]}, None, False, True),
    ({**GOOD, "data": None}, None, False, True),
    ({**GOOD, "data": 5}, None, False, True),
    ({**GOOD, "subscriptionId": "urn:other"}, "changed-1", False, False),
    ({k: v for k, v in GOOD.items() if k != "subscriptionId"}, "changed-1", False, True),
    (b"\xef\xbb\xbf" + json.dumps(GOOD).encode(), "changed-1", True, True),  # a UTF-8 byte order mark
    (b"\xff\xfe", None, False, True),
])
def test_the_value_is_read_from_the_selected_entity_of_our_subscription(body: Any, value: Any, carries: bool,
                                                                       about: bool) -> None:
    got = delivery(body)
    assert ngsi_subscriptions._value_of(got, ENTITY) == value
    assert ngsi_subscriptions._carries(got, OURS, ENTITY, "changed-1") is carries
    assert ngsi_subscriptions._about(got, OURS) is about


def test_a_receiver_that_cannot_listen_leaves_the_subscription_unverified_and_writes_nothing(
        broker: LocalServer) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        report = probe([("ngsi-ld", broker.url)], profile="ngsi-ld", allow_writes=True,
                       extra={"notify_listen": f"127.0.0.1:{port}"})
    first = result(report, "NGSILD-031")
    assert (first.status, first.why) == (Status.SKIP, Why.PREREQUISITE_FAILED)
    assert first.reason == f"cannot listen for notifications on 127.0.0.1:{port}: Address already in use"
    assert {r: status(report, r) for r in ("NGSILD-032", "NGSILD-033", "NGSILD-034")} == dict.fromkeys(
        ("NGSILD-032", "NGSILD-033", "NGSILD-034"), Status.SKIP)
    assert "subscription_bodies" not in broker.state
    assert ngsi_ld_broker.probe_entities(broker) == []


@pytest.mark.parametrize("host,local_only,expected", [
    ("127.0.0.1", True, None), ("localhost", True, None), ("::1", True, None),
    ("broker.example.org", False, None), ("10.0.0.5", False, None),
    ("broker.example.org", True, "not selected: the broker at broker.example.org cannot be assumed to reach a "
                                  "receiver on this machine; give --notify-url (and --notify-listen) with an "
                                  "address it can reach"),
    ("10.0.0.5", True, "not selected: the broker at 10.0.0.5 cannot be assumed to reach a receiver on this "
                       "machine; give --notify-url (and --notify-listen) with an address it can reach"),
])
def test_only_a_local_broker_is_expected_to_reach_a_receiver_without_a_url(host: str, local_only: bool,
                                                                          expected: str | None) -> None:
    assert ngsi_subscriptions.unreachable_reason(host, local_only) == expected


@pytest.mark.parametrize("listen,parsed", [("127.0.0.1:0", ("127.0.0.1", 0)), ("0.0.0.0:8765", ("0.0.0.0", 8765)),
                                           ("[::1]:9000", ("::1", 9000)), ("[::1:9000", ("[::1", 9000))])
def test_listen_addresses_are_host_and_port(listen: str, parsed: tuple[str, int]) -> None:
    assert notify.parse_listen(listen) == parsed


@pytest.mark.parametrize("listen", ["8765", "host:", ":80", "host:port", "host:70000"])
def test_a_wrong_listen_address_is_a_usage_error_naming_it(listen: str) -> None:
    with pytest.raises(UsageError) as caught:
        notify.parse_listen(listen)
    assert (caught.value.where, caught.value.message) == (
        listen, "--notify-listen must be HOST:PORT, e.g. 0.0.0.0:8765 (port 0 picks a free one)")


@pytest.mark.parametrize("url,good", [("http://probe.example.org/hook", True), ("https://probe.example.org/", True),
                                      ("ftp://probe.example.org/", False), ("http:///hook", False),
                                      ("probe.example.org:8765", False)])
def test_a_notify_url_is_an_http_or_https_url_with_a_host(url: str, good: bool) -> None:
    if good:
        assert notify.check_url(url) == url
        return
    with pytest.raises(UsageError) as caught:
        notify.check_url(url)
    assert (caught.value.where, caught.value.message) == (
        url, "--notify-url must be an http:// or https:// URL the broker can reach")


@pytest.mark.parametrize("option,value,message", [
    ("--notify-listen", "nowhere", "nowhere: --notify-listen must be HOST:PORT"),
    ("--notify-url", "ftp://example.org/hook", "ftp://example.org/hook: --notify-url must be an http:// or https://"),
])
def test_bad_notify_options_exit_2_with_one_line(option: str, value: str, message: str, broker: LocalServer) -> None:
    result = run_cli_capture(["check", "--api", f"ngsi-ld={broker.url}", option, value], expect=2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert broker.requests == []


def test_the_receiver_takes_posts_to_its_own_path_only_and_keeps_a_bounded_number(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import urllib.error
    import urllib.request

    monkeypatch.setattr(notify, "MAX_DELIVERIES", 2)
    receiver = notify.Receiver(notify.NotifySettings())
    try:
        elsewhere = receiver.url.replace(receiver.path, "/ldt-conform/notify/guessed")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(urllib.request.Request(elsewhere, data=b"{}", method="POST"), timeout=5)
        assert refused.value.code == 404
        for n in range(3):
            with urllib.request.urlopen(urllib.request.Request(receiver.url, data=str(n).encode(), method="POST"),
                                        timeout=5) as answer:
                assert answer.status == 204
        assert [d.body for d in receiver.deliveries()] == [b"0", b"1"]
    finally:
        receiver.close()


def test_the_receiver_keeps_each_post_and_waits_for_the_one_expected() -> None:
    import urllib.request

    receiver = notify.Receiver(notify.NotifySettings())
    try:
        assert receiver.wait(lambda ds: bool(ds), 0.2) == []
        request = urllib.request.Request(receiver.url, data=b'{"a": 1}', method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as answer:
            assert answer.status == 204
        [got] = receiver.wait(lambda ds: bool(ds), 5)
        assert (got.path, got.content_type, got.body) == (receiver.path, "application/json", b'{"a": 1}')
    finally:
        receiver.close()


def test_sigterm_while_subscribing_deletes_the_subscription_and_both_probe_entities(broker: LocalServer) -> None:
    """SIGTERM while POST /subscriptions is in flight (the broker has stored it, and answers late): the family's
    clean-up deletes the subscription, then the watched entity; the run stops (KeyboardInterrupt)."""
    broker.faults.add("slow-subscribe")
    broker.state["slow"] = 20
    took = sigterm_while(broker, lambda: any(m == "POST" and p.endswith("/subscriptions")
                                              for m, p, _ in broker.requests))
    assert took < 15
    assert len(broker.state["subscription_bodies"]) == 1  # it was stored before the interrupt
    assert ngsi_ld_broker.probe_subscriptions(broker) == [] and ngsi_ld_broker.probe_entities(broker) == []


def assert_fault_exact(broker: LocalServer, fault: str, table: dict[str, tuple[dict[str, str], list[Row]]]) -> None:
    """The broker with this fault, probed with writes, gives exactly the table's verdicts and findings, and the
    probes leave nothing behind (but what a broker that ignores DELETE keeps, by definition)."""
    statuses, expected = table[fault]
    broker.faults.add(fault)
    assert_exact(probe([("ngsi-ld", broker.url)], profile="ngsi-ld", allow_writes=True,
                       extra={"notify_wait": WAIT}), statuses, expected)
    assert ngsi_ld_broker.probe_entities(broker) == [] or fault == "delete-noop"
    assert ngsi_ld_broker.probe_subscriptions(broker) == [] or fault == "unsubscribe-noop"


@pytest.mark.parametrize("fault", sorted(SUBSCRIPTION_EXACT))
def test_each_subscription_fault_gives_exactly_its_findings(fault: str, broker: LocalServer) -> None:
    assert_fault_exact(broker, fault, SUBSCRIPTION_EXACT)
