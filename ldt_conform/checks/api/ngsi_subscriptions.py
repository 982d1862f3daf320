"""NGSI-LD context subscriptions (ETSI GS CIM 009 §5.8): the subscriptions a broker lists, and, with --allow-writes,
one subscription proved end to end: created on an entity of our own, read back, made to notify by a change of that
entity (the notification must carry the new value, to a receiver on this machine), and deleted."""
from __future__ import annotations

import json
import uuid
from typing import Any, Mapping
from urllib.parse import quote, unquote, urlsplit

from ldt_conform.checks.api import ngsi_ld
from ldt_conform.checks.api.notify import Delivery, Receiver, is_loopback
from ldt_conform.checks.api.probe import Broken, Issue, Probe, Skip, and_more, media_type
from ldt_conform.model import Why

SUBSCRIPTIONS = f"{ngsi_ld.ROOT}/subscriptions"
WATCHED = "status"  # the attribute the probe subscription watches and the change probe sets
NOT_OPTED_IN = ("not selected: a write probe (it creates an entity and a subscription, and deletes both); run with "
                "--allow-writes to verify subscriptions")


def _subscription_path(ident: str) -> str:
    return f"{SUBSCRIPTIONS}/{quote(ident, safe=':')}"


def _subscribed(probe: Probe) -> set[str]:
    """The probe subscriptions still to delete (registered before each POST, so an interrupt cleans them up too)."""
    subscribed: set[str] = probe.state.setdefault("ngsi-subscriptions", set())
    return subscribed


# -- read-only -------------------------------------------------------------------------------------------------
def query_subscriptions(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """§5.8.4 / §6.10.3.2: a JSON array of subscriptions, each with id, type Subscription and notification."""
    response, found = probe.json(SUBSCRIPTIONS, accept="application/json")
    focus = probe.focus(response.url)
    if not isinstance(found, list):
        return [Issue(focus, type(found).__name__, "Query Subscriptions must answer with a JSON array")]
    wrong = [s for s in found if not (isinstance(s, dict) and isinstance(s.get("id"), str)
                                      and s.get("type") == "Subscription" and isinstance(s.get("notification"), dict))]
    if wrong:
        first = wrong[0]
        name = str(first.get("id"))[:80] if isinstance(first, dict) else type(first).__name__
        return [Issue(focus, f"subscription {name}{and_more(len(wrong))}",
                      "each subscription listed needs an id, type \"Subscription\" and its notification parameters")]
    return []


# -- write probes (--allow-writes) -----------------------------------------------------------------------------
def _receiver(probe: Probe) -> Receiver:
    def start() -> Receiver:
        settings = probe.notify
        try:
            return Receiver(settings)
        except OSError as exc:
            raise Skip(f"cannot listen for notifications on {settings.listen}: {exc.strerror or exc}",
                       Why.PREREQUISITE_FAILED) from None
    receiver = probe.memo("ngsi-receiver", start)
    probe.state["ngsi-receiver"] = receiver
    return receiver


def _session(probe: Probe) -> dict[str, Any]:
    """The probe's own watched entity and its subscription, created once for NGSILD-031…034."""
    def make() -> dict[str, Any]:
        if not probe.allow_writes:
            raise Skip(NOT_OPTED_IN, Why.NOT_SELECTED)
        receiver = _receiver(probe)
        token = uuid.uuid4().hex[:16]
        context = ngsi_ld._core_context_of(probe)
        entity: dict[str, Any] = {"id": f"urn:ngsi-ld:{ngsi_ld.PROBE_TYPE}:ldt-conform-probe-{token}",
                                  "type": ngsi_ld.PROBE_TYPE, WATCHED: {"type": "Property", "value": "created"},
                                  "@context": context}
        with ngsi_ld.interrupt_guard(probe):
            ngsi_ld._created(probe).add(entity["id"])
            created = probe.send("POST", f"{ngsi_ld.ROOT}/entities", body=entity, content_type="application/ld+json")
        if created.status != 201:
            raise Broken(Issue(probe.focus(created.url, "POST"), f"HTTP {created.status}",
                               "the entity to watch could not be created (expected 201 Created)"))
        subscription = {
            "id": f"urn:ngsi-ld:Subscription:ldt-conform-probe-{token}", "type": "Subscription",
            "entities": [{"id": entity["id"], "type": ngsi_ld.PROBE_TYPE}], "watchedAttributes": [WATCHED],
            "notification": {"attributes": [WATCHED], "format": "normalized",
                             "endpoint": {"uri": receiver.url, "accept": "application/json"}},
            "@context": context}
        return {"entity": entity, "subscription": subscription, "id": subscription["id"], "receiver": receiver}
    session: dict[str, Any] = probe.memo("ngsi-subscription", make)
    return session


def create_subscription(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """§5.8.1 / §6.10.3.1: 201 Created with a Location naming /ngsi-ld/v1/subscriptions/{id}."""
    session = _session(probe)
    with ngsi_ld.interrupt_guard(probe):
        _subscribed(probe).add(session["id"])
        response = probe.send("POST", SUBSCRIPTIONS, body=session["subscription"],
                              content_type="application/ld+json")
    focus = probe.focus(response.url, "POST")
    if response.status != 201:
        return [Issue(focus, f"HTTP {response.status}", "creating a subscription must answer 201 Created")]
    location = response.headers.get("location", "")
    named = unquote(urlsplit(location).path.rstrip("/"))
    if not named.endswith(f"/subscriptions/{session['id']}"):
        return [Issue(focus, f"Location: {location or 'missing'}",
                      "201 Created must carry a Location header naming /ngsi-ld/v1/subscriptions/{id}")]
    session["created"] = True
    return []


def _created_session(probe: Probe) -> dict[str, Any]:
    session = _session(probe)
    if not session.get("created"):
        raise Skip("the probe subscription was not created (NGSILD-031)", Why.PREREQUISITE_FAILED)
    return session


def retrieve_subscription(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """§5.8.3 / §6.11.3.1: the subscription as created: its id, entities, watched attributes and endpoint."""
    session = _created_session(probe)
    sent = session["subscription"]
    response = probe.send("GET", _subscription_path(session["id"]), accept="application/json")
    focus = probe.focus(response.url)
    body = probe.parse(response)
    if not isinstance(body, dict):
        return [Issue(focus, type(body).__name__, "Retrieve Subscription must answer with a JSON object")]
    issues = []
    if body.get("id") != session["id"] or body.get("type") != "Subscription":
        issues.append(Issue(focus, f"id={str(body.get('id'))[:80]} type={body.get('type')}",
                            f"the subscription read back must be {session['id']}, of type Subscription"))
    selectors = body.get("entities")
    if not isinstance(selectors, list) or not any(
            isinstance(s, dict) and s.get("id") == sent["entities"][0]["id"] for s in selectors):
        issues.append(Issue(focus, f"entities={json.dumps(selectors)[:100]}",
                            f"the subscription read back must still select {sent['entities'][0]['id']}"))
    watched = body.get("watchedAttributes")
    if not isinstance(watched, list) or WATCHED not in watched:
        issues.append(Issue(focus, f"watchedAttributes={json.dumps(watched)[:100]}",
                            f"the subscription read back must still watch {WATCHED}"))
    notification = body.get("notification")
    endpoint = notification.get("endpoint") if isinstance(notification, dict) else None
    uri = endpoint.get("uri") if isinstance(endpoint, dict) else None
    if uri != session["receiver"].url:
        issues.append(Issue(focus, f"endpoint={str(uri)[:100]}",
                            "the subscription read back must still notify the endpoint it was given"))
    return issues


def notification_on_change(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """§5.8.6, §5.3.1: a change of the watched attribute is notified to the endpoint, with the new value."""
    session = _created_session(probe)
    receiver: Receiver = session["receiver"]
    unreachable = unreachable_reason(urlsplit(probe.base).hostname or "", receiver.local_only)
    if unreachable:
        raise Skip(unreachable, Why.NOT_SELECTED)
    entity = session["entity"]
    value = f"changed-{uuid.uuid4().hex[:8]}"
    patch = {WATCHED: {"type": "Property", "value": value}, "@context": entity["@context"]}
    with ngsi_ld.interrupt_guard(probe):
        changed = probe.send("PATCH", ngsi_ld._entity_path(entity["id"]) + "/attrs", body=patch,
                             content_type="application/ld+json")
    if changed.status not in (200, 204):
        raise Broken(Issue(probe.focus(changed.url, "PATCH"), f"HTTP {changed.status}",
                           "the watched entity could not be changed, so no notification could be awaited"))
    wait_s = probe.notify.wait_s
    ours = session["id"]
    got = receiver.wait(lambda ds: any(_carries(d, ours, entity["id"], value) for d in ds), wait_s)
    focus = f"POST {receiver.url}"
    issues = [issue for d in got if _about(d, ours) for issue in _notification_issues(focus, d, ours, entity["id"])]
    if not any(_carries(d, ours, entity["id"], value) for d in got):
        mine = [d for d in got if _about(d, ours)]
        others = sorted({str(_body(d).get("subscriptionId"))[:80] for d in got if not _about(d, ours)})
        if mine:
            shown = f"{WATCHED}={_value_of(mine[-1], entity['id'])}"
        elif others:
            shown = f"subscriptionId={others[0]}{and_more(len(others))}"
        else:
            tried = _delivery_failed(probe, ours)
            if tried:
                # The broker did notify, by its own account, and the network lost it: a fact about where this
                # machine sits, not about the broker.
                raise Skip(f"the broker reports that it could not deliver the notification to {receiver.url} "
                           f"({tried}): it cannot reach this machine there; give --notify-url with an address it "
                           "can reach", Why.PREREQUISITE_FAILED)
            shown = f"no notification in {wait_s:g} s"
        issues.append(Issue(focus, shown, f"changing {WATCHED} of {entity['id']} to {value!r} must be notified to "
                                          f"the endpoint by subscription {ours}, with the new value"))
    return issues


def _delivery_failed(probe: Probe, subscription: str) -> str | None:
    """What the subscription's own notification status (§5.2.14: status, timesFailed, lastFailure) says of a failed
    delivery, or None when it records none (or cannot be read)."""
    try:
        response = probe.send("GET", _subscription_path(subscription), accept="application/json")
        body = probe.parse(response)
    except Broken:
        return None
    notification = body.get("notification") if isinstance(body, dict) else None
    if not isinstance(notification, dict):
        return None
    failed = notification.get("timesFailed")
    if notification.get("status") != "failed" and not (isinstance(failed, int) and failed > 0):
        return None
    return ", ".join(f"notification.{key}={notification[key]}" for key in ("status", "timesFailed", "lastFailure")
                     if key in notification)


def unreachable_reason(broker_host: str, local_only: bool) -> str | None:
    """Why the broker cannot be expected to reach the receiver, or None. Only a broker on this machine is known to
    reach a receiver that has no URL of its own; a wait that could only time out would prove nothing."""
    if not local_only or is_loopback(broker_host):
        return None
    return (f"not selected: the broker at {broker_host} cannot be assumed to reach a receiver on this machine; give "
            "--notify-url (and --notify-listen) with an address it can reach")


def _body(delivery: Delivery) -> Any:
    try:
        return json.loads(delivery.body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return None


def _about(delivery: Delivery, subscription: str) -> bool:
    """A notification of this subscription; one that is not JSON, or names none, is counted as ours to report."""
    body = _body(delivery)
    return not isinstance(body, dict) or body.get("subscriptionId") in (subscription, None)


def _value_of(delivery: Delivery, entity_id: str) -> Any:
    body = _body(delivery)
    data = body.get("data") if isinstance(body, dict) else None
    for entity in data if isinstance(data, list) else []:
        if isinstance(entity, dict) and entity.get("id") == entity_id:
            attribute = entity.get(WATCHED)
            return attribute.get("value") if isinstance(attribute, dict) else attribute
    return None


def _carries(delivery: Delivery, subscription: str, entity_id: str, value: str) -> bool:
    body = _body(delivery)
    return (isinstance(body, dict) and body.get("subscriptionId") == subscription
            and _value_of(delivery, entity_id) == value)


def _notification_issues(focus: str, delivery: Delivery, subscription: str, entity_id: str) -> list[Issue]:
    """§5.3.1: a JSON Notification of this subscription whose data are the entities it selects, normalized (§5.2.12:
    the format the subscription asked for)."""
    if media_type(delivery.content_type) != "application/json":
        return [Issue(focus, f"Content-Type {media_type(delivery.content_type) or 'missing'}",
                      "the endpoint asked for application/json notifications")]
    body = _body(delivery)
    if not isinstance(body, dict) or body.get("type") != "Notification" or not isinstance(body.get("id"), str):
        shown = (f"type={str(body.get('type'))[:40]} id={str(body.get('id'))[:80]}" if isinstance(body, dict)
                 else "not a JSON object")
        return [Issue(focus, shown, "a notification is a JSON object with an id and type \"Notification\"")]
    data = body.get("data")
    if not isinstance(data, list):
        return [Issue(focus, f"data is {type(data).__name__}", "a notification's data must be an array of entities")]
    others = [e.get("id") if isinstance(e, dict) else e for e in data if not (
        isinstance(e, dict) and e.get("id") == entity_id)]
    if others:
        return [Issue(focus, f"entity {str(others[0])[:80]}{and_more(len(others))}",
                      f"the subscription selects only {entity_id}")]
    # The subscription asks for format "normalized" (§5.2.12): the attribute as a Property object, not its bare
    # value as keyValues would give it.
    flat = [e[WATCHED] for e in data if WATCHED in e and not (
        isinstance(e[WATCHED], dict) and e[WATCHED].get("type") == "Property" and "value" in e[WATCHED])]
    if flat:
        return [Issue(focus, f"{WATCHED}={str(flat[0])[:80]}",
                      f"the subscription asked for normalized notifications: {WATCHED} must be an object with type "
                      "\"Property\" and its value")]
    return []


def delete_subscription(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """§5.8.5 / §6.11.3.3: 204 No Content, and the subscription is gone (404)."""
    session = _created_session(probe)
    path = _subscription_path(session["id"])
    with ngsi_ld.interrupt_guard(probe):
        response = probe.send("DELETE", path)
        if response.status != 204:
            return [Issue(probe.focus(response.url, "DELETE"), f"HTTP {response.status}",
                          "deleting a subscription must answer 204 No Content")]
        _subscribed(probe).discard(session["id"])
        check = probe.send("GET", path, accept="application/json")
    if check.status != 404:
        return [Issue(probe.focus(check.url), f"HTTP {check.status}", "a deleted subscription must be gone (404)")]
    return []


def cleanup(probe: Probe) -> None:
    """Delete every probe subscription still there, then stop the receiver: after the family's tests, always."""
    ngsi_ld.delete_each(probe, _subscribed(probe), _subscription_path)
    receiver = probe.state.pop("ngsi-receiver", None)
    if receiver is not None:
        receiver.close()


TESTS = {"query_subscriptions": query_subscriptions, "create_subscription": create_subscription,
         "retrieve_subscription": retrieve_subscription, "notification_on_change": notification_on_change,
         "delete_subscription": delete_subscription}
