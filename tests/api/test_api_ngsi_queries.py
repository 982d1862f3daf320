"""NGSILD-012 and NGSILD-013 check a broker's query results against its entities: exact findings on a real local broker
(tests/servers/ngsi_ld_broker.py), and the filter logic itself on hand-made answers."""
from __future__ import annotations

from typing import Any

import pytest

from api_helpers import findings, probe, status
from ldt_conform.checks.api import ngsi_ld
from ldt_conform.model import Status
from servers.util import LocalServer

QUERY = "GET /ngsi-ld/v1/entities?type=TrafficFlowObserved"
SAMPLE = "urn:ngsi-ld:TrafficFlowObserved:riverton-001"


def run(broker: LocalServer) -> Any:
    return probe([("ngsi-ld", broker.url)], profile="ngsi-ld")


def shown(report: Any, rule: str) -> list[tuple[str, str | None]]:
    return sorted((f.focus, f.value) for f in findings(report, rule))


def test_good_broker_passes_and_the_probes_ask_what_the_sample_holds(broker: LocalServer) -> None:
    report = run(broker)
    assert (status(report, "NGSILD-012"), status(report, "NGSILD-013")) == (Status.PASS, Status.PASS)
    queries = sorted(path for method, path, _ in broker.requests if method == "GET" and "limit=100" in path)
    # The sample is riverton-001; its first plain Property by name is intensity, 120.
    assert queries == ["/ngsi-ld/v1/entities?type=TrafficFlowObserved&limit=100",
                       "/ngsi-ld/v1/entities?type=TrafficFlowObserved&q=intensity%21%3D120&limit=100",
                       "/ngsi-ld/v1/entities?type=TrafficFlowObserved&q=intensity%3D%3D120&limit=100"]


def test_a_broker_ignoring_type_returns_the_vehicle(broker: LocalServer) -> None:
    broker.faults.add("ignore-type")
    report = run(broker)
    assert status(report, "NGSILD-012") is Status.FAIL
    assert shown(report, "NGSILD-012") == [(f"{QUERY}&limit=100", "entity urn:ngsi-ld:Vehicle:riverton-bus-7")]
    # The q probe asks within the type, so it sees the vehicle too (its intensity is also 120, but its type is not
    # asked): the == query accepts it by value; only the type rule names it.
    assert status(report, "NGSILD-013") is Status.PASS


def test_a_broker_ignoring_q_fails_both_directions(broker: LocalServer) -> None:
    broker.faults.add("ignore-q")
    report = run(broker)
    assert status(report, "NGSILD-013") is Status.FAIL
    assert shown(report, "NGSILD-013") == [
        (f"{QUERY}&q=intensity%21%3D120&limit=100", f"entity {SAMPLE}"),
        (f"{QUERY}&q=intensity%3D%3D120&limit=100", "entity urn:ngsi-ld:TrafficFlowObserved:riverton-002")]
    notes = sorted(f.message for f in findings(report, "NGSILD-013"))
    assert all("attr==value returns only entities with that value" in n for n in notes)
    assert status(report, "NGSILD-012") is Status.PASS


def test_a_broker_that_cannot_evaluate_q_fails_with_its_status(broker: LocalServer) -> None:
    broker.state["entities"] = {SAMPLE: {"id": SAMPLE, "type": "TrafficFlowObserved",
                                         "name": {"type": "Property", "value": "a \"quoted\" name"},
                                         "speed": {"type": "Property", "value": 1e-7}}}
    report = run(broker)
    # Nothing a q term can state without escaping: not verified, with the reason, never a pass.
    assert status(report, "NGSILD-013") is Status.SKIP
    reason = next(r.reason for r in report.results if r.rule == "NGSILD-013")
    assert f"entity {SAMPLE} has no Property with one number or plain-text value to filter on" in reason


def test_only_an_unfilled_page_must_hold_the_sample() -> None:
    keep_all = lambda e: True  # noqa: E731
    others = [{"id": f"urn:x:{i}"} for i in range(ngsi_ld.PAGE)]
    missing = ngsi_ld._filter_issues("GET q", others[:3], keep_all, "entities of type T", "urn:x:sample")
    assert [(i.focus, i.value, i.note) for i in missing] == [
        ("GET q", "entity urn:x:sample missing", "the query must return urn:x:sample, whose own data match it")]
    assert ngsi_ld._filter_issues("GET q", others, keep_all, "entities of type T", "urn:x:sample") == []
    assert ngsi_ld._filter_issues("GET q", others[:3], keep_all, "entities of type T", None) == []


def test_wrong_entities_are_counted_and_the_first_named() -> None:
    found = [{"id": "urn:x:a", "t": 1}, {"id": "urn:x:b", "t": 2}, {"id": "urn:x:c", "t": 2}, "not an object"]
    issues = ngsi_ld._filter_issues("GET q", found, lambda e: isinstance(e, dict) and e["t"] == 1,
                                    "entities with t 1", "urn:x:a")
    assert [(i.value, i.note) for i in issues] == [
        ("entity urn:x:b and 2 more", "the query must return only entities with t 1")]


@pytest.mark.parametrize("entity,expected", [
    ({"id": "x", "type": "T", "b": {"type": "Property", "value": 2}, "a": {"type": "Property", "value": "Main St"}},
     ("a", '"Main St"', "Main St")),
    ({"b": {"type": "Property", "value": 2.5}, "a": {"type": "Relationship", "object": "urn:x"}}, ("b", "2.5", 2.5)),
    ({"a": {"type": "Property", "value": True}, "b": {"type": "Property", "value": -3}}, ("b", "-3", -3)),
    ({"a": [{"type": "Property", "value": 1, "datasetId": "urn:d:1"}, {"type": "Property", "value": 2}],
      "b": {"type": "Property", "value": 0}}, ("b", "0", 0)),
    ({"a": {"type": "Property", "value": 'say "hi"'}, "b": {"type": "Property", "value": 1e-9},
      "c": {"type": "Property", "value": float("nan")}, "d": {"type": "Property", "value": {"x": 1}}}, None),
    ({"createdAt": {"type": "Property", "value": 1}, "my-attr": {"type": "Property", "value": 1}}, None),
])
def test_the_filtered_property_is_one_a_q_term_can_state(entity: dict[str, Any], expected: Any) -> None:
    assert ngsi_ld._comparable(entity) == expected


def test_values_and_sameness_follow_json() -> None:
    entity = {"a": [{"type": "Property", "value": 1}, {"type": "Relationship", "object": "urn:x"},
                    {"type": "Property", "value": 2}], "b": {"type": "Property"}}
    assert ngsi_ld._values(entity, "a") == [1, 2]
    assert ngsi_ld._values(entity, "b") == []
    assert ngsi_ld._values("not an entity", "a") == []
    assert (ngsi_ld._same(120, 120.0), ngsi_ld._same(True, 1), ngsi_ld._same(1, True), ngsi_ld._same(True, True),
            ngsi_ld._same("1", 1)) == (True, False, False, True, False)
    assert (ngsi_ld._types_of({"type": ["A", "B"]}), ngsi_ld._types_of({"type": "A"}), ngsi_ld._types_of({}),
            ngsi_ld._types_of(3)) == (["A", "B"], ["A"], [], [])
