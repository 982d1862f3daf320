"""NGSILD-012 and NGSILD-013 check a broker's query results against its entities: exact findings on a real local broker
(tests/servers/ngsi_ld_broker.py), and the filter logic itself on hand-made answers."""
from __future__ import annotations

import os
import re
import signal
import threading
import time
from typing import Any

import pytest

from api_helpers import assert_exact, findings, probe, status
from ldt_conform.checks.api import ngsi_ld
from ldt_conform.model import Status
from servers import ngsi_ld_broker
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
    assert queries == ["/ngsi-ld/v1/entities?type=TrafficFlowObserved&attrs=intensity&limit=100",
                       "/ngsi-ld/v1/entities?type=TrafficFlowObserved&limit=100",
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


def test_the_sample_is_required_only_when_the_caller_says_the_page_is_whole() -> None:
    keep_all = lambda e: True  # noqa: E731
    others = [{"id": f"urn:x:{i}"} for i in range(ngsi_ld.PAGE)]
    missing = ngsi_ld._filter_issues("GET q", others[:3], keep_all, "entities of type T", "urn:x:sample")
    assert [(i.focus, i.value, i.note) for i in missing] == [
        ("GET q", "entity urn:x:sample missing", "the query must return urn:x:sample, whose own data match it")]
    assert ngsi_ld._filter_issues("GET q", others[:3], keep_all, "entities of type T", None) == []
    assert ngsi_ld._filter_issues("GET q", others[:3], keep_all, "entities of type T", "urn:x:1") == []


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
    # id, type and the system timestamps are plain strings, never Property objects; my-attr is no q name.
    ({"id": "urn:x:1", "type": "T", "createdAt": "2024-01-01T00:00:00Z", "my-attr": {"type": "Property", "value": 1}},
     None),
    # A multi-attribute with one Property instance beside a Relationship instance is skipped; one instance in a list
    # counts as that instance.
    ({"a": [{"type": "Property", "value": 1, "datasetId": "urn:d:1"}, {"type": "Relationship", "object": "urn:x"}],
      "b": [{"type": "Property", "value": "x"}]}, ("b", '"x"', "x")),
    ({"a": {"type": "Property", "value": float("inf")}, "b": {"type": "Property", "value": 1.0}}, ("b", "1.0", 1.0)),
])
def test_the_filtered_property_is_one_a_q_term_can_state(entity: dict[str, Any], expected: Any) -> None:
    assert ngsi_ld._comparable(entity) == expected


def test_two_wrong_entities_say_one_more_and_a_long_id_is_cut() -> None:
    long_id = "urn:x:" + "a" * 150
    issues = ngsi_ld._filter_issues("GET q", ["not an object", {"id": long_id}], lambda e: False, "nothing", None)
    assert [i.value for i in issues] == ["entity not an object and 1 more"]
    issues = ngsi_ld._filter_issues("GET q", [{"id": long_id}], lambda e: False, "nothing", None)
    assert [i.value for i in issues] == [f"entity {long_id[:100]}"]


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


ENTITY = "GET /ngsi-ld/v1/entities/urn:ngsi-ld:TrafficFlowObserved:riverton-001"
PROBE_ENTITY = r"GET /ngsi-ld/v1/entities/urn:ngsi-ld:LdtConformProbe:ldt-conform-probe-[0-9a-f]{16}"
MISSING = r"GET /ngsi-ld/v1/entities/urn:ngsi-ld:LdtConformProbe:ldt-conform-missing-[0-9a-f]{8}"
POST = "POST /ngsi-ld/v1/entities"
Q_EQ, Q_NE = f"{QUERY}&q=intensity%3D%3D120&limit=100", f"{QUERY}&q=intensity%21%3D120&limit=100"
NOT_ARRAY = "a query must answer with a JSON array of entities"
HAS_SAMPLE = f"the query must return {SAMPLE}, whose own data match it"
ETSI_TYPE = "the ProblemDetails type must be an ETSI error type URI, here https://uri.etsi.org/ngsi-ld/errors/"
READS = ("NGSILD-002", "NGSILD-003", "NGSILD-006", "NGSILD-007", "NGSILD-008", "NGSILD-009", "NGSILD-010",
         "NGSILD-011")


def at(focus: str) -> str:
    return re.escape(focus)


# Every fault of the test broker, run with --allow-writes: the status of every NGSI-LD rule that does not pass,
# and every finding (rule, focus pattern, value pattern, the note closing the message). Nothing else may differ
# from a pass: the generic rule-case test only checks that the fault's own rule fails.
EXACT: dict[str, tuple[dict[str, str], list[tuple[str, str, str, str]]]] = {
    "query-object": ({"NGSILD-001": "fail", **dict.fromkeys(READS, "skip"), "NGSILD-012": "skip",
                      "NGSILD-013": "skip", "NGSILD-014": "skip"},
                     [("NGSILD-001", at(f"{QUERY}&limit=1"), "dict", NOT_ARRAY)]),
    "retrieve-wrong-id": ({"NGSILD-002": "fail", **dict.fromkeys(READS[1:], "skip")},
                          [("NGSILD-002", at(f"{ENTITY}-other"), "HTTP 404", "expected HTTP 200, got 404")]),
    # The sample's one plain Property is broken, so the q probe has nothing to filter on; the broker adds the broken
    # intensity to every entity it sends, projections included.
    "bad-attribute": ({"NGSILD-003": "fail", "NGSILD-013": "skip", "NGSILD-014": "fail"},
                      [("NGSILD-003", at(ENTITY), "intensity", "in normalized form every attribute is an object "
                                                                "with a type (Property, Relationship, …)"),
                       ("NGSILD-014", at(f"{QUERY}&attrs=location&limit=100"), at(f"entity {SAMPLE}"),
                        "the query must return only entities that have location, with no other attribute")]),
    "not-found-plain": ({"NGSILD-004": "fail"},
                        [("NGSILD-004", MISSING, "text/plain, 9 bytes",
                          "an error must carry a ProblemDetails JSON body (RFC 7807)")]),
    "problem-wrong-type": ({"NGSILD-004": "fail", "NGSILD-005": "fail", "NGSILD-021": "fail"},
                           [("NGSILD-004", MISSING, at("https://example.org/errors/ResourceNotFound"),
                             ETSI_TYPE + "ResourceNotFound"),
                            ("NGSILD-005", at("GET /ngsi-ld/v1/entities?q=%28%28%28"),
                             at("https://example.org/errors/BadRequestData"), ETSI_TYPE + "BadRequestData"),
                            ("NGSILD-021", at(POST), at("https://example.org/errors/AlreadyExists"),
                             ETSI_TYPE + "AlreadyExists")]),
    "json-as-ld": ({"NGSILD-006": "fail", "NGSILD-007": "skip"},
                   [("NGSILD-006", at(ENTITY), at("HTTP 200 application/ld+json"),
                     "Accept: application/json must be answered with Content-Type application/json")]),
    "no-link-header": ({"NGSILD-007": "fail"},
                       [("NGSILD-007", at(ENTITY), "no Link header", "an application/json response must give its "
                         "@context in a Link header (rel=\"http://www.w3.org/ns/json-ld#context\")")]),
    "json-context-in-body": ({"NGSILD-007": "fail"},
                             [("NGSILD-007", at(ENTITY), "@context in body",
                               "an application/json response must not carry @context in the body")]),
    "link-wrong-rel": ({"NGSILD-007": "fail"},
                       # The header, cut at 120 characters.
                       [("NGSILD-007", at(ENTITY), at('<https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld>'
                                                      '; rel="describedby"; type="application/ld+json"; title'),
                         "an application/json response must give its @context in a Link header "
                         "(rel=\"http://www.w3.org/ns/json-ld#context\")")]),
    "retrieve-no-type": ({"NGSILD-003": "fail"},
                         [("NGSILD-003", at(ENTITY), "type missing", "an entity must have a type")]),
    "bad-query-200": ({"NGSILD-005": "fail"},
                      [("NGSILD-005", at("GET /ngsi-ld/v1/entities?q=%28%28%28"), "HTTP 200",
                        "a malformed query must be rejected with 400 and a ProblemDetails body")]),
    "problem-no-title": ({"NGSILD-004": "fail", "NGSILD-005": "fail", "NGSILD-021": "fail"},
                         [("NGSILD-004", MISSING, "title missing", "a ProblemDetails body needs a title"),
                          ("NGSILD-005", at("GET /ngsi-ld/v1/entities?q=%28%28%28"), "title missing",
                           "a ProblemDetails body needs a title"),
                          ("NGSILD-021", at(POST), "title missing", "a ProblemDetails body needs a title")]),
    "not-found-wrong-etsi-type": ({"NGSILD-004": "fail"},
                                  [("NGSILD-004", MISSING, at("https://uri.etsi.org/ngsi-ld/errors/InvalidRequest"),
                                    "expected the error type https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound")]),
    # The delete probe's read-back meets the same 400.
    "missing-400": ({"NGSILD-004": "fail", "NGSILD-023": "fail"},
                    [("NGSILD-004", MISSING, "HTTP 400", "retrieving an entity that does not exist must answer 404"),
                     ("NGSILD-023", PROBE_ENTITY, "HTTP 400", "a deleted entity must be gone (404)")]),
    "link-wrong-core-context": ({"NGSILD-010": "fail"},
                                [("NGSILD-010", at(ENTITY), at("https://example.org/ngsi-ld-core-context.jsonld"),
                                  "reference a core @context ETSI published, e.g. "
                                  "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld")]),
    "create-200": ({"NGSILD-020": "fail", "NGSILD-021": "skip", "NGSILD-022": "skip", "NGSILD-023": "skip"},
                   [("NGSILD-020", at(POST), "HTTP 200", "creating an entity must answer 201 Created")]),
    # Not asked for (Accept: application/json), so not a representation of the query (§6.3.4).
    "query-geojson": ({"NGSILD-001": "fail", **dict.fromkeys(READS, "skip"), "NGSILD-012": "skip",
                       "NGSILD-013": "skip", "NGSILD-014": "skip"},
                      [("NGSILD-001", at(f"{QUERY}&limit=1"), at("application/geo+json"),
                        "a query asked with Accept: application/json must be answered with application/json "
                        "(or application/ld+json)")]),
    # Another entity for the sample's id: its dependants skip; the write probe's read-back gets it too.
    "retrieve-other": ({"NGSILD-002": "fail", **dict.fromkeys(READS[1:], "skip"), "NGSILD-022": "fail"},
                       [("NGSILD-002", at(ENTITY), at("urn:ngsi-ld:TrafficFlowObserved:riverton-002"),
                         "retrieving an entity must return that entity (same id)"),
                        ("NGSILD-022", PROBE_ENTITY, "status=None", "the update must be visible when read back")]),
    # A one-entity array: no @context object in the body (NGSILD-008); the core context check reads the Link header
    # of the JSON answer instead, and passes.
    "ld-as-array": ({"NGSILD-008": "fail"},
                    [("NGSILD-008", at(ENTITY), "@context missing",
                      "an application/ld+json response must carry @context in the body")]),
    # The read-back after PATCH finds nothing (not a failed request: the update is what is missing), and so does
    # the DELETE.
    "patch-loses-entity": ({"NGSILD-022": "fail", "NGSILD-023": "fail"},
                           [("NGSILD-022", PROBE_ENTITY, "status=None", "the update must be visible when read back"),
                            ("NGSILD-023", PROBE_ENTITY.replace("GET", "DELETE"), "HTTP 404",
                             "deleting an entity must answer 204 No Content")]),
    # The core context is wrong in the body's @context list only; the Link header names ETSI's.
    "ld-wrong-core-context": ({"NGSILD-010": "fail"},
                              [("NGSILD-010", at(ENTITY), at("https://example.org/ngsi-ld-core-context.jsonld"),
                                "reference a core @context ETSI published, e.g. "
                                "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld")]),
    # A one-entity array for Accept: application/json: the value shows the array, cut at 80 characters.
    "retrieve-array": ({"NGSILD-002": "fail", **dict.fromkeys(READS[1:], "skip")},
                       [("NGSILD-002", at(ENTITY), at("[{'id': 'urn:ngsi-ld:TrafficFlowObserved:riverton-001', "
                                                      "'type': 'TrafficFlowObse"),
                         "retrieving an entity must return that entity (same id)")]),
    # The write probe's read-back is a one-entity array: no update to be seen (this was a tool error, LC-002).
    "readback-array": ({"NGSILD-022": "fail"},
                       [("NGSILD-022", PROBE_ENTITY, "status=None", "the update must be visible when read back")]),
    "ld-no-context": ({"NGSILD-008": "fail"},
                      [("NGSILD-008", at(ENTITY), "@context missing",
                        "an application/ld+json response must carry @context in the body")]),
    "ignore-accept": ({"NGSILD-008": "fail", "NGSILD-009": "fail"},
                      [("NGSILD-008", at(ENTITY), at("HTTP 200 application/json"),
                        "Accept: application/ld+json must be answered with Content-Type application/ld+json"),
                       ("NGSILD-009", at(ENTITY), "HTTP 200",
                        "an Accept header naming no supported media type must be answered with 406")]),
    "wrong-core-context": ({"NGSILD-010": "fail"},
                           [("NGSILD-010", at(ENTITY), at("https://example.org/ngsi-ld-core-context.jsonld"),
                             "reference a core @context ETSI published, e.g. "
                             "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld")]),
    "reject-link": ({"NGSILD-011": "fail"},
                    [("NGSILD-011", at(ENTITY), "HTTP 400",
                      "a GET with a JSON-LD Link header naming the core @context must succeed")]),
    # The Vehicle, and the probe entity if the write probes made it before this query (they run concurrently).
    "ignore-type": ({"NGSILD-012": "fail"},
                    [("NGSILD-012", at(f"{QUERY}&limit=100"),
                      r"entity urn:ngsi-ld:Vehicle:riverton-bus-7( and 1 more)?",
                      "the query must return only entities of type TrafficFlowObserved")]),
    "type-drops-first": ({"NGSILD-012": "fail", "NGSILD-013": "fail", "NGSILD-014": "fail"},
                         [("NGSILD-012", at(f"{QUERY}&limit=100"), at(f"entity {SAMPLE} missing"), HAS_SAMPLE),
                          ("NGSILD-013", at(Q_EQ), at(f"entity {SAMPLE} missing"), HAS_SAMPLE),
                          ("NGSILD-014", at(f"{QUERY}&attrs=intensity&limit=100"), at(f"entity {SAMPLE} missing"),
                           HAS_SAMPLE)]),
    "ignore-q": ({"NGSILD-013": "fail"},
                 [("NGSILD-013", at(Q_NE), at(f"entity {SAMPLE}"),
                   "the query must return only entities whose intensity is not 120"),
                  ("NGSILD-013", at(Q_EQ), at("entity urn:ngsi-ld:TrafficFlowObserved:riverton-002"),
                   "the query must return only entities whose intensity is 120")]),
    "q-negated": ({"NGSILD-013": "fail"},
                  [("NGSILD-013", at(Q_NE), at(f"entity {SAMPLE}"),
                    "the query must return only entities whose intensity is not 120"),
                   ("NGSILD-013", at(Q_EQ), at(f"entity {SAMPLE} missing"), HAS_SAMPLE),
                   ("NGSILD-013", at(Q_EQ), at("entity urn:ngsi-ld:TrafficFlowObserved:riverton-002"),
                    "the query must return only entities whose intensity is 120")]),
    "q-object": ({"NGSILD-013": "fail"}, [("NGSILD-013", at(Q_EQ), "dict", NOT_ARRAY)]),
    # Whole entities: the sample (intensity, location, refRoadSegment) and riverton-002 (intensity alone, so it passes).
    "ignore-attrs": ({"NGSILD-014": "fail"},
                     [("NGSILD-014", at(f"{QUERY}&attrs=intensity&limit=100"), at(f"entity {SAMPLE}"),
                       "the query must return only entities that have intensity, with no other attribute")]),
    "create-no-location": ({"NGSILD-020": "fail", "NGSILD-021": "skip", "NGSILD-022": "skip", "NGSILD-023": "skip"},
                           [("NGSILD-020", at(POST), "Location: missing",
                             "201 Created must carry a Location header naming /ngsi-ld/v1/entities/{id}")]),
    "duplicate-201": ({"NGSILD-021": "fail"},
                      [("NGSILD-021", at(POST), "HTTP 201",
                        "creating an entity whose id exists must answer 409 with AlreadyExists")]),
    "patch-noop": ({"NGSILD-022": "fail"},
                   [("NGSILD-022", PROBE_ENTITY, "status=created", "the update must be visible when read back")]),
    "patch-200": ({"NGSILD-022": "fail"},
                  [("NGSILD-022", PROBE_ENTITY.replace("GET", "PATCH") + "/attrs", "HTTP 200",
                    "updating the attributes of an entity must answer 204 No Content")]),
    "delete-200": ({"NGSILD-023": "fail"},
                   [("NGSILD-023", PROBE_ENTITY.replace("GET", "DELETE"), "HTTP 200",
                     "deleting an entity must answer 204 No Content")]),
    "delete-noop": ({"NGSILD-023": "fail"},
                    [("NGSILD-023", PROBE_ENTITY, "HTTP 200", "a deleted entity must be gone (404)")]),
}


def test_the_exact_table_covers_every_fault() -> None:
    assert set(EXACT) == set(ngsi_ld_broker.FAULTS)
    assert all(EXACT[f][0][rule] == "fail" for f, rule in ngsi_ld_broker.FAULTS.items())


@pytest.mark.parametrize("fault", sorted(EXACT))
def test_each_fault_gives_exactly_its_findings(fault: str, broker: LocalServer) -> None:
    statuses, expected = EXACT[fault]
    broker.faults.add(fault)
    assert_exact(probe([("ngsi-ld", broker.url)], profile="ngsi-ld", allow_writes=True), statuses, expected)
    assert ngsi_ld_broker.probe_entities(broker) == [] or fault == "delete-noop"


def test_write_probes_send_ld_json_in_normalized_form(broker: LocalServer) -> None:
    report = probe([("ngsi-ld", broker.url)], profile="ngsi-ld", allow_writes=True)
    assert all(status(report, f"NGSILD-02{i}") is Status.PASS for i in range(4))
    sent = [(method, headers.get("content-type")) for method, _, headers in broker.requests
            if method in ("POST", "PATCH")]
    assert sent == [("POST", "application/ld+json"), ("POST", "application/ld+json"), ("PATCH", "application/ld+json")]
    # One DELETE: the probe deleted its entity and struck it from the clean-up list, which then sends nothing.
    assert [method for method, _, _ in broker.requests if method == "DELETE"] == ["DELETE"]
    queries = [headers.get("accept") for method, path, headers in broker.requests if "limit=100" in path]
    assert queries == ["application/json"] * 4
    # The read-backs after PATCH and DELETE ask for JSON, as every read does.
    reads = [(path.rsplit(":", 1)[1], headers.get("accept")) for method, path, headers in broker.requests
             if method == "GET" and "ldt-conform-probe-" in path]
    assert [accept for _, accept in reads] == ["application/json"] * 2 and len({ident for ident, _ in reads}) == 1


@pytest.mark.parametrize("entity,expected", [
    ({"id": "urn:x", "type": "T", "@context": "c", "scope": "/a", "createdAt": "2024-01-01T00:00:00Z",
      "b": {"type": "Relationship", "object": "urn:y"}, "a": {"type": "GeoProperty", "value": {}},
      "c": [{"type": "Property", "value": 1}, {"type": "Property", "value": 2, "datasetId": "urn:d"}],
      "bad": 3, "mixed": [{"type": "Property", "value": 1}, "x"], "my-attr": {"type": "Property", "value": 1},
      "odd": {"type": "Thing"}}, ["a", "b", "c"]),
    ({"id": "urn:x", "type": "T"}, []),
])
def test_attributes_are_the_members_holding_attribute_objects(entity: dict[str, Any], expected: list[str]) -> None:
    assert ngsi_ld._attributes(entity) == expected


def test_a_sample_with_one_attribute_leaves_the_projection_not_verified(broker: LocalServer) -> None:
    broker.state["entities"] = {SAMPLE: {"id": SAMPLE, "type": "TrafficFlowObserved",
                                         "intensity": {"type": "Property", "value": 120}}}
    report = run(broker)
    assert (status(report, "NGSILD-013"), status(report, "NGSILD-014")) == (Status.PASS, Status.SKIP)
    reason = next(r.reason for r in report.results if r.rule == "NGSILD-014")
    assert f"entity {SAMPLE} has 1 attribute: a projection needs one to keep and one to leave out" in reason
    broker.state["entities"] = {SAMPLE: {"id": SAMPLE, "type": "TrafficFlowObserved"}}
    report = run(broker)
    reason = next(r.reason for r in report.results if r.rule == "NGSILD-014")
    assert f"entity {SAMPLE} has 0 attributes: a projection" in reason


def tfo(n: int, intensity: int, **more: Any) -> dict[str, Any]:
    ident = f"urn:ngsi-ld:TrafficFlowObserved:riverton-00{n}"
    return {"id": ident, "type": "TrafficFlowObserved", "intensity": {"type": "Property", "value": intensity}, **more}


def test_a_page_with_a_next_link_does_not_have_to_hold_the_sample(broker: LocalServer) -> None:
    """A broker that caps pages at one entity and links the next (§6.3.10), and loses the sample from its queries
    (type-drops-first): the sample may sit on a later page, so its absence is no finding; without the cap the same
    broker fails all three rules (EXACT, "type-drops-first"). What a capped page holds is still checked."""
    vehicle = {"id": "urn:ngsi-ld:Vehicle:riverton-bus-7", "type": "Vehicle"}
    entities = [tfo(1, 120, location={"type": "GeoProperty", "value": {"type": "Point", "coordinates": [4, 50]}}),
                vehicle, tfo(2, 120), tfo(3, 120), tfo(4, 80)]
    broker.state["entities"] = {e["id"]: e for e in entities}
    broker.state["max_limit"] = 1
    broker.faults.add("type-drops-first")
    report = run(broker)
    assert {r: status(report, r).value for r in ("NGSILD-012", "NGSILD-013", "NGSILD-014")} == {
        "NGSILD-012": "pass", "NGSILD-013": "pass", "NGSILD-014": "pass"}
    broker.faults.add("ignore-type")  # the one entity on the capped page of the type query is now the vehicle
    report = run(broker)
    assert [(f.focus, f.value) for f in findings(report, "NGSILD-012")] == [
        (f"{QUERY}&limit=100", "entity urn:ngsi-ld:Vehicle:riverton-bus-7")]


def test_a_full_page_does_not_have_to_hold_the_sample_even_without_a_next_link(broker: LocalServer) -> None:
    """A broker that sends no pagination links: a page of exactly PAGE entities may still have left the sample for
    a later page."""
    entities = [tfo(1, 120, location={"type": "GeoProperty", "value": {"type": "Point", "coordinates": [4, 50]}})]
    entities += [tfo(n, 120) for n in range(2, ngsi_ld.PAGE + 3)]
    broker.state["entities"] = {e["id"]: e for e in entities}
    broker.state["next_links"] = False
    broker.faults.add("type-drops-first")
    report = run(broker)
    assert status(report, "NGSILD-012") is Status.PASS
    assert findings(report, "NGSILD-012") == []


def test_entity_structure_names_each_broken_attribute_once(broker: LocalServer) -> None:
    """NGSILD-003 on an entity whose id is no URI and whose attributes break each rule of §4.5 once; members that
    are not attributes (scope, the system timestamps, the spaces) are not judged as attributes."""
    entity = {"id": "riverton-001", "type": "TrafficFlowObserved", "@context": "https://example.org/context.jsonld",
              "intensity": {"type": "Property", "value": 120},
              "scope": "/Riverton", "createdAt": "2024-01-01T00:00:00Z", "modifiedAt": "2024-01-02T00:00:00Z",
              "deletedAt": "2024-01-03T00:00:00Z", "observationSpace": "near", "operationSpace": "far",
              "location": "Main Street",
              "refA": {"type": "Relationship"}, "refB": {"type": "Relationship", "objectList": ["urn:x:1"]},
              "refC": [{"type": "Relationship", "object": "urn:x"}, {"type": "Relationship", "datasetId": "urn:d"}],
              "area": {"type": "GeoProperty"}, "note": {"type": "Property"}, "tag": {"type": "Tag", "value": 1},
              "plain": 5}
    broker.state["entities"] = {entity["id"]: entity}
    report = run(broker)
    assert status(report, "NGSILD-003") is Status.FAIL
    got = sorted((f.value, f.message.rsplit(": ", 1)[1]) for f in findings(report, "NGSILD-003"))
    assert got == [
        ("area", "area. (a GeoProperty needs a value)"),
        ("id=riverton-001", "id=riverton-001. (an entity id must be a URI)"),
        ("note", "note. (a Property needs a value)"),
        ("plain", "plain. (in normalized form every attribute is an object with a type (Property, Relationship, …))"),
        ("refA", "refA. (a Relationship needs an object)"),
        ("refC", "refC. (a Relationship needs an object)"),
        ("tag", "tag. (attribute type must be one of Property, Relationship, GeoProperty, … (got 'Tag'))"),
    ]
    assert {f.focus for f in findings(report, "NGSILD-003")} == {"GET /ngsi-ld/v1/entities/riverton-001"}


def test_each_representation_is_asked_for_with_its_own_accept(broker: LocalServer) -> None:
    run(broker)
    accepts = sorted({headers.get("accept") or "" for method, path, headers in broker.requests
                      if method == "GET" and path == "/ngsi-ld/v1/entities/" + SAMPLE})
    assert accepts == ["application/json", "application/ld+json", "application/xml"]
    # Every other read asks for JSON: the types, the sample query, the missing entity, the malformed query.
    others = sorted({(path.split("?")[0].rsplit("/", 1)[1].split("-missing-")[0], headers.get("accept"))
                     for method, path, headers in broker.requests
                     if method == "GET" and path != "/ngsi-ld/v1/entities/" + SAMPLE and "limit=100" not in path})
    assert others == [("entities", "application/json"), ("types", "application/json"),
                      ("urn:ngsi-ld:LdtConformProbe:ldt-conform", "application/json")]
    assert sum(1 for _, path, _ in broker.requests if "q=%28%28%28" in path) == 1


def test_the_link_header_sent_names_the_brokers_core_context_or_etsis(broker: LocalServer) -> None:
    """NGSILD-011 sends the core context the broker itself links (v1.8 here); one that is not ETSI's is replaced by
    ETSI's default core context."""
    def sent() -> set[str]:
        return {headers["link"] for method, _, headers in broker.requests if method == "GET" and "link" in headers}
    run(broker)
    assert sent() == {f'<{ngsi_ld_broker.CORE}>; rel="http://www.w3.org/ns/json-ld#context"; '
                      'type="application/ld+json"'}
    broker.requests.clear()
    broker.faults.add("wrong-core-context")
    run(broker)
    assert sent() == {f'<{ngsi_ld.CORE_CONTEXT}>; rel="http://www.w3.org/ns/json-ld#context"; '
                      'type="application/ld+json"'}


@pytest.mark.parametrize("kind,verdict,value", [
    ("InvalidRequest", Status.PASS, None),
    ("ResourceNotFound", Status.FAIL, "https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound"),
])
def test_a_malformed_query_may_be_either_error_type(kind: str, verdict: Status, value: str | None,
                                                    broker: LocalServer) -> None:
    broker.state["bad_query_type"] = kind
    report = run(broker)
    assert status(report, "NGSILD-005") is verdict
    got = [(f.value, f.message.rsplit(" (", 1)[1]) for f in findings(report, "NGSILD-005")]
    assert got == ([] if value is None else [(value, "expected the error type https://uri.etsi.org/ngsi-ld/errors/"
                                                     "BadRequestData or https://uri.etsi.org/ngsi-ld/errors/"
                                                     "InvalidRequest)")])


@pytest.mark.parametrize("form", ["slash", "encoded"])
def test_create_accepts_either_form_of_location(form: str, broker: LocalServer) -> None:
    broker.state["location_form"] = form
    report = probe([("ngsi-ld", broker.url)], profile="ngsi-ld", allow_writes=True)
    assert all(status(report, f"NGSILD-02{i}") is Status.PASS for i in range(4))


def test_an_empty_broker_leaves_every_read_not_verified(broker: LocalServer) -> None:
    broker.state["entities"] = {}
    report = run(broker)
    assert status(report, "NGSILD-001") is Status.SKIP
    assert next(r.reason for r in report.results if r.rule == "NGSILD-001").endswith(
        "the broker holds no entity (GET /ngsi-ld/v1/types is empty)")


@pytest.mark.parametrize("types,names", [
    ({"id": "urn:ngsi-ld:EntityTypeList:1", "type": "EntityTypeList", "typeList": ["A", "B"]}, ["A", "B"]),
    ([{"id": "https://ex.org/A", "type": "EntityType", "typeName": "A"}, {"id": "https://ex.org/B"}, "C"],
     ["A", "https://ex.org/B", "C"]),
    ({"typeList": "A"}, []),
    ("A", []),
])
def test_type_names_read_both_forms_of_the_types_answer(types: Any, names: list[str]) -> None:
    assert ngsi_ld._type_names(types) == names


def test_context_link_finds_the_context_part_of_a_link_header() -> None:
    ctx = 'rel="http://www.w3.org/ns/json-ld#context"'
    assert ngsi_ld._context_link(f'<https://ex.org/next>; rel="next", <https://ex.org/c.jsonld>; {ctx}') == (
        "https://ex.org/c.jsonld")
    assert ngsi_ld._context_link('<https://ex.org/next>; rel="next"') is None
    assert ngsi_ld._context_link("") is None


@pytest.mark.parametrize("slow,method", [("slow-duplicate", "POST"), ("slow-patch", "PATCH"),
                                         ("slow-delete", "DELETE")])
def test_sigterm_during_a_write_cleans_up_in_process(slow: str, method: str, broker: LocalServer) -> None:
    """SIGTERM while a write is in flight: the write's interrupt guard deletes the probe entity and the run stops
    (KeyboardInterrupt). In-process, so that the guard of each write is exercised here, not only in a child."""
    broker.faults.add(slow)
    broker.state["slow"] = 20
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: pytest.fail("SIGTERM outside a write's guard"))

    def interrupt() -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            # The duplicate is the second POST; PATCH and DELETE are sent once.
            if sum(1 for m, _, _ in broker.requests if m == method) >= (2 if method == "POST" else 1):
                time.sleep(0.3)
                os.kill(os.getpid(), signal.SIGTERM)
                return
            time.sleep(0.02)

    killer = threading.Thread(target=interrupt, daemon=True)
    killer.start()
    started = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            probe([("ngsi-ld", broker.url)], profile="ngsi-ld", allow_writes=True)
    finally:
        signal.signal(signal.SIGTERM, previous)
        killer.join(5)
    assert time.monotonic() - started < 15
    assert ngsi_ld_broker.probe_entities(broker) == []


def test_an_empty_page_that_links_a_next_one_leaves_the_filters_not_verified(broker: LocalServer) -> None:
    """No entity on the page means nothing was held against the filter: not verified with the reason, not a pass."""
    broker.state["empty_pages"] = True
    report = run(broker)
    reasons = {r.rule: (r.status, r.reason) for r in report.results if r.rule in ("NGSILD-012", "NGSILD-013",
                                                                                  "NGSILD-014")}
    assert {rule: verdict for rule, (verdict, _) in reasons.items()} == dict.fromkeys(
        ("NGSILD-012", "NGSILD-013", "NGSILD-014"), Status.SKIP)
    assert reasons["NGSILD-012"][1].endswith(f"{QUERY}&limit=100 answered an empty page that links a next one: "
                                             "nothing to check the filter against")
    assert findings(report, "NGSILD-012") == []
