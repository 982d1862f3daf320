"""NGSILD-012 to NGSILD-018 check a broker's query results against its entities: exact findings on a real local broker
(tests/servers/ngsi_ld_broker.py), and the filter logic itself on hand-made answers."""
from __future__ import annotations

import math
import re
from typing import Any

import pytest

from api_helpers import Row, at, findings, probe, sigterm_while, status
from ldt_conform.checks.api import ngsi_ld
from ldt_conform.model import Status, Why
from servers import ngsi_ld_broker
from test_api_ngsi_subscriptions import NOTIFIED, RECEIVER, SUBSCRIBE, SUBSCRIPTION_EXACT, assert_fault_exact
from servers.util import LocalServer

QUERY = "GET /ngsi-ld/v1/entities?type=TrafficFlowObserved"
SAMPLE = "urn:ngsi-ld:TrafficFlowObserved:riverton-001"
SECOND, THIRD = "urn:ngsi-ld:TrafficFlowObserved:riverton-002", "urn:ngsi-ld:TrafficFlowObserved:riverton-003"
NEW_RULES = ("NGSILD-015", "NGSILD-016", "NGSILD-017", "NGSILD-018")


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
                       "/ngsi-ld/v1/entities?type=TrafficFlowObserved&georel=near%3BmaxDistance%3D%3D1000"
                       "&geometry=Point&coordinates=%5B4.35,50.85%5D&geoproperty=location&limit=100",
                       f"/ngsi-ld/v1/entities?type=TrafficFlowObserved&id={SAMPLE},{SECOND}&limit=100",
                       "/ngsi-ld/v1/entities?type=TrafficFlowObserved"
                       "&idPattern=%5Eurn:ngsi-ld:TrafficFlowObserved:riverton-001.%2A$&limit=100",
                       "/ngsi-ld/v1/entities?type=TrafficFlowObserved&limit=100",
                       "/ngsi-ld/v1/entities?type=TrafficFlowObserved&q=intensity%21%3D120&limit=100",
                       "/ngsi-ld/v1/entities?type=TrafficFlowObserved&q=intensity%3D%3D120&limit=100"]


def test_the_new_query_probes_pass_on_a_good_broker_and_send_exactly_these_requests(broker: LocalServer) -> None:
    """id= names the sample and the next entity of its type in the type query; idPattern is the sample's id as an
    anchored prefix (its specials none here); count=true asks for one entity, and the type query (limit=100, whole)
    is the page counted; the geo-query is 1000 m around the sample's own Point."""
    report = run(broker)
    assert {rule: status(report, rule) for rule in NEW_RULES} == dict.fromkeys(NEW_RULES, Status.PASS)
    new = sorted(path for method, path, _ in broker.requests if method == "GET" and any(
        k in path for k in ("id=", "idPattern=", "count=", "georel=")))
    assert new == ["/ngsi-ld/v1/entities?type=TrafficFlowObserved&count=true&limit=1",
                   "/ngsi-ld/v1/entities?type=TrafficFlowObserved&georel=near%3BmaxDistance%3D%3D1000"
                   "&geometry=Point&coordinates=%5B4.35,50.85%5D&geoproperty=location&limit=100",
                   f"/ngsi-ld/v1/entities?type=TrafficFlowObserved&id={SAMPLE},{SECOND}&limit=100",
                   "/ngsi-ld/v1/entities?type=TrafficFlowObserved"
                   "&idPattern=%5Eurn:ngsi-ld:TrafficFlowObserved:riverton-001.%2A$&limit=100"]
    # The type query is sent once: NGSILD-012, the other id and the count walk share its cached answer.
    paths = [path for _, path, _ in broker.requests]
    assert paths.count("/ngsi-ld/v1/entities?type=TrafficFlowObserved&limit=100") == 1


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
        (f"{QUERY}&q=intensity%3D%3D120&limit=100", f"entity {SECOND} and 1 more")]
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
BY_ID = f"{QUERY}&id={SAMPLE},{SECOND}&limit=100"
BY_PATTERN = f"{QUERY}&idPattern=%5E{SAMPLE}.%2A$&limit=100"
COUNT = f"{QUERY}&count=true&limit=1"
NEAR = (f"{QUERY}&georel=near%3BmaxDistance%3D%3D1000&geometry=Point&coordinates=%5B4.35,50.85%5D"
        "&geoproperty=location&limit=100")
HAS_WRONG = f"the query must return {SAMPLE}-other, whose own data match it"
WHOLE_COUNT = "NGSILD-Results-Count must be the number of entities in the whole result, not in one page"
WITHIN = "the query must return only entities whose location lies within 1000 m of [4.35,50.85]"
READS = ("NGSILD-002", "NGSILD-003", "NGSILD-006", "NGSILD-007", "NGSILD-008", "NGSILD-009", "NGSILD-010",
         "NGSILD-011")



# Every fault of the test broker, run with --allow-writes: the status of every NGSI-LD rule that does not pass,
# and every finding (rule, focus pattern, value pattern, the note closing the message). Nothing else may differ
# from a pass: the generic rule-case test only checks that the fault's own rule fails.
EXACT: dict[str, tuple[dict[str, str], list[Row]]] = {
    "query-object": ({"NGSILD-001": "fail", **dict.fromkeys(READS, "skip"), "NGSILD-012": "skip",
                      "NGSILD-013": "skip", "NGSILD-014": "skip", **dict.fromkeys(NEW_RULES, "skip")},
                     [("NGSILD-001", at(f"{QUERY}&limit=1"), "dict", NOT_ARRAY)]),
    # Every entity is sent with a wrong id, queries too: id= and idPattern, built from those ids, find nothing.
    "retrieve-wrong-id": ({"NGSILD-002": "fail", **dict.fromkeys(READS[1:], "skip"), "NGSILD-015": "fail",
                           "NGSILD-016": "fail"},
                          [("NGSILD-002", at(f"{ENTITY}-other"), "HTTP 404", "expected HTTP 200, got 404"),
                           ("NGSILD-015", at(f"{QUERY}&id={SAMPLE}-other,{SECOND}-other&limit=100"),
                            at(f"entity {SAMPLE}-other missing"), HAS_WRONG),
                           ("NGSILD-015", at(f"{QUERY}&id={SAMPLE}-other,{SECOND}-other&limit=100"),
                            at(f"entity {SECOND}-other missing"),
                            f"the query must return {SECOND}-other, whose own data match it"),
                           ("NGSILD-016", at(f"{QUERY}&idPattern=%5E{SAMPLE}-other.%2A$&limit=100"),
                            at(f"entity {SAMPLE}-other missing"), HAS_WRONG)]),
    # The sample's one plain Property is broken, so the q probe has nothing to filter on; the broker adds the broken
    # intensity to every entity it sends, projections included (the sample's and riverton-003's location).
    "bad-attribute": ({"NGSILD-003": "fail", "NGSILD-013": "skip", "NGSILD-014": "fail"},
                      [("NGSILD-003", at(ENTITY), "intensity", "in normalized form every attribute is an object "
                                                                "with a type (Property, Relationship, …)"),
                       ("NGSILD-014", at(f"{QUERY}&attrs=location&limit=100"), at(f"entity {SAMPLE} and 1 more"),
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
    "create-200": ({"NGSILD-020": "fail", "NGSILD-021": "skip", "NGSILD-022": "skip", "NGSILD-023": "skip",
                    "NGSILD-031": "skip", **dict.fromkeys(SUBSCRIBE, "skip")},
                   [("NGSILD-020", at(POST), "HTTP 200", "creating an entity must answer 201 Created")]),
    # Not asked for (Accept: application/json), so not a representation of the query (§6.3.4).
    "query-geojson": ({"NGSILD-001": "fail", **dict.fromkeys(READS, "skip"), "NGSILD-012": "skip",
                       "NGSILD-013": "skip", "NGSILD-014": "skip", **dict.fromkeys(NEW_RULES, "skip")},
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
    # The Vehicle, and the probe entity if the write probes made it before this query (they run concurrently). The
    # count counts them too (4 or 5), where the query holds 3 entities of the type.
    "ignore-type": ({"NGSILD-012": "fail", "NGSILD-017": "fail"},
                    [("NGSILD-012", at(f"{QUERY}&limit=100"),
                      r"entity urn:ngsi-ld:Vehicle:riverton-bus-7( and 1 more)?",
                      "the query must return only entities of type TrafficFlowObserved"),
                     ("NGSILD-017", at(COUNT), "NGSILD-Results-Count [45], 3 entities of type TrafficFlowObserved",
                      WHOLE_COUNT)]),
    # Every query with limit above 1 loses the sample, the first entity; the count query (limit=1) counts all 3, the
    # type query then holds 2. The other id for id= is riverton-002, the first the type query still holds.
    "type-drops-first": ({"NGSILD-012": "fail", "NGSILD-013": "fail", "NGSILD-014": "fail",
                          **dict.fromkeys(NEW_RULES, "fail")},
                         [("NGSILD-012", at(f"{QUERY}&limit=100"), at(f"entity {SAMPLE} missing"), HAS_SAMPLE),
                          ("NGSILD-013", at(Q_EQ), at(f"entity {SAMPLE} missing"), HAS_SAMPLE),
                          ("NGSILD-014", at(f"{QUERY}&attrs=intensity&limit=100"), at(f"entity {SAMPLE} missing"),
                           HAS_SAMPLE),
                          ("NGSILD-015", at(BY_ID), at(f"entity {SAMPLE} missing"), HAS_SAMPLE),
                          ("NGSILD-016", at(BY_PATTERN), at(f"entity {SAMPLE} missing"), HAS_SAMPLE),
                          ("NGSILD-017", at(COUNT), "NGSILD-Results-Count 3, 2 entities of type TrafficFlowObserved",
                           WHOLE_COUNT),
                          ("NGSILD-018", at(NEAR), at(f"entity {SAMPLE} missing"), HAS_SAMPLE)]),
    # riverton-002 and riverton-003 (intensity 80) on the == query; the sample (120) on the != query.
    "ignore-q": ({"NGSILD-013": "fail"},
                 [("NGSILD-013", at(Q_NE), at(f"entity {SAMPLE}"),
                   "the query must return only entities whose intensity is not 120"),
                  ("NGSILD-013", at(Q_EQ), at(f"entity {SECOND} and 1 more"),
                   "the query must return only entities whose intensity is 120")]),
    "q-negated": ({"NGSILD-013": "fail"},
                  [("NGSILD-013", at(Q_NE), at(f"entity {SAMPLE}"),
                    "the query must return only entities whose intensity is not 120"),
                   ("NGSILD-013", at(Q_EQ), at(f"entity {SAMPLE} missing"), HAS_SAMPLE),
                   ("NGSILD-013", at(Q_EQ), at(f"entity {SECOND} and 1 more"),
                    "the query must return only entities whose intensity is 120")]),
    "q-object": ({"NGSILD-013": "fail"}, [("NGSILD-013", at(Q_EQ), "dict", NOT_ARRAY)]),
    # The whole type: riverton-003 was not asked for.
    "ignore-id": ({"NGSILD-015": "fail"},
                  [("NGSILD-015", at(BY_ID), at(f"entity {THIRD}"),
                    f"the query must return only the entities {SAMPLE} and {SECOND}")]),
    "id-first-only": ({"NGSILD-015": "fail"},
                      [("NGSILD-015", at(BY_ID), at(f"entity {SECOND} missing"),
                        f"the query must return {SECOND}, whose own data match it")]),
    "ignore-idpattern": ({"NGSILD-016": "fail"},
                         [("NGSILD-016", at(BY_PATTERN), at(f"entity {SECOND} and 1 more"),
                           f"the query must return only entities whose id matches ^{SAMPLE}.*$")]),
    # The pattern compared as a string: no id is "^urn:…riverton-001.*$".
    "idpattern-literal": ({"NGSILD-016": "fail"},
                          [("NGSILD-016", at(BY_PATTERN), at(f"entity {SAMPLE} missing"), HAS_SAMPLE)]),
    "no-count-header": ({"NGSILD-017": "fail"},
                        [("NGSILD-017", at(COUNT), "NGSILD-Results-Count missing",
                          "count=true must add the NGSILD-Results-Count header, the number of matching entities")]),
    # The one entity of the limit=1 page, where the type holds 3 (read whole: one page, no next link).
    "count-page-only": ({"NGSILD-017": "fail"},
                        [("NGSILD-017", at(COUNT), "NGSILD-Results-Count 1, 3 entities of type TrafficFlowObserved",
                          WHOLE_COUNT)]),
    # riverton-002 has no location; riverton-003 lies 3.5 km away.
    "ignore-georel": ({"NGSILD-018": "fail"},
                      [("NGSILD-018", at(NEAR), at(f"entity {SECOND} and 1 more"), WITHIN)]),
    "georel-empty": ({"NGSILD-018": "fail"}, [("NGSILD-018", at(NEAR), at(f"entity {SAMPLE} missing"), HAS_SAMPLE)]),
    # 1000 read as degrees: riverton-003, 0.05° away, is let in.
    "near-degrees": ({"NGSILD-018": "fail"}, [("NGSILD-018", at(NEAR), at(f"entity {THIRD}"), WITHIN)]),
    # Whole entities: the sample (intensity, location, refRoadSegment), riverton-003 (intensity, location), and
    # riverton-002 (intensity alone, so it passes).
    "ignore-attrs": ({"NGSILD-014": "fail"},
                     [("NGSILD-014", at(f"{QUERY}&attrs=intensity&limit=100"), at(f"entity {SAMPLE} and 1 more"),
                       "the query must return only entities that have intensity, with no other attribute")]),
    "create-no-location": ({"NGSILD-020": "fail", "NGSILD-021": "skip", "NGSILD-022": "skip", "NGSILD-023": "skip",
                            "NGSILD-031": "skip", **dict.fromkeys(SUBSCRIBE, "skip")},
                           [("NGSILD-020", at(POST), "Location: missing",
                             "201 Created must carry a Location header naming /ngsi-ld/v1/entities/{id}")]),
    "duplicate-201": ({"NGSILD-021": "fail"},
                      [("NGSILD-021", at(POST), "HTTP 201",
                        "creating an entity whose id exists must answer 409 with AlreadyExists")]),
    # The subscription probe's own change is lost too: the notification carries the old value.
    "patch-noop": ({"NGSILD-022": "fail", "NGSILD-033": "fail"},
                   [("NGSILD-022", PROBE_ENTITY, "status=created", "the update must be visible when read back"),
                    ("NGSILD-033", RECEIVER, "status=created", NOTIFIED)]),
    "patch-200": ({"NGSILD-022": "fail"},
                  [("NGSILD-022", PROBE_ENTITY.replace("GET", "PATCH") + "/attrs", "HTTP 200",
                    "updating the attributes of an entity must answer 204 No Content")]),
    "delete-200": ({"NGSILD-023": "fail"},
                   [("NGSILD-023", PROBE_ENTITY.replace("GET", "DELETE"), "HTTP 200",
                     "deleting an entity must answer 204 No Content")]),
    "delete-noop": ({"NGSILD-023": "fail"},
                    [("NGSILD-023", PROBE_ENTITY, "HTTP 200", "a deleted entity must be gone (404)")]),
}


def test_the_exact_tables_cover_every_fault() -> None:
    """This table and the subscription faults' (test_api_ngsi_subscriptions.py) hold every fault of the broker,
    once, and each fails its own rule."""
    assert set(EXACT).isdisjoint(SUBSCRIPTION_EXACT)
    both = {**EXACT, **SUBSCRIPTION_EXACT}
    assert set(both) == set(ngsi_ld_broker.FAULTS)
    assert all(both[f][0][rule] == "fail" for f, rule in ngsi_ld_broker.FAULTS.items())


@pytest.mark.parametrize("fault", sorted(EXACT))
def test_each_fault_gives_exactly_its_findings(fault: str, broker: LocalServer) -> None:
    assert_fault_exact(broker, fault, EXACT)


def test_write_probes_send_ld_json_in_normalized_form(broker: LocalServer) -> None:
    report = probe([("ngsi-ld", broker.url)], profile="ngsi-ld", allow_writes=True)
    assert all(status(report, f"NGSILD-02{i}") is Status.PASS for i in range(4))
    sent = [(method, path.split("/")[3].split(":")[0], headers.get("content-type"))
            for method, path, headers in broker.requests if method in ("POST", "PATCH")]
    # The entity probe's create, duplicate and patch; then the subscription probe's watched entity, its
    # subscription, and the change that makes it notify.
    assert sent == [("POST", "entities", "application/ld+json"), ("POST", "entities", "application/ld+json"),
                    ("PATCH", "entities", "application/ld+json"), ("POST", "entities", "application/ld+json"),
                    ("POST", "subscriptions", "application/ld+json"), ("PATCH", "entities", "application/ld+json")]
    # The probe deleted its entity and struck it from the clean-up list, which then deletes only the entity the
    # subscription watched (the subscription probe deleted its subscription itself).
    deletes = [re.sub(r"probe-[0-9a-f]{16}", "probe-X", path) for method, path, _ in broker.requests
               if method == "DELETE"]
    assert deletes == ["/ngsi-ld/v1/entities/urn:ngsi-ld:LdtConformProbe:ldt-conform-probe-X",
                       "/ngsi-ld/v1/subscriptions/urn:ngsi-ld:Subscription:ldt-conform-probe-X",
                       "/ngsi-ld/v1/entities/urn:ngsi-ld:LdtConformProbe:ldt-conform-probe-X"]
    queries = [headers.get("accept") for method, path, headers in broker.requests if "/entities?" in path]
    # The sample's query, the malformed q, the type, q (twice), attrs, id, idPattern, count and geo-queries.
    assert queries == ["application/json"] * 10
    # The read-backs after PATCH and DELETE ask for JSON, as every read does.
    reads = [(path.rsplit(":", 1)[1], headers.get("accept")) for method, path, headers in broker.requests
             if method == "GET" and "/entities/urn:ngsi-ld:LdtConformProbe:ldt-conform-probe-" in path]
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
    # Every other read asks for JSON: the types, the sample query, the missing entity, the malformed query, the
    # subscriptions.
    others = sorted({(path.split("?")[0].rsplit("/", 1)[1].split("-missing-")[0], headers.get("accept"))
                     for method, path, headers in broker.requests
                     if method == "GET" and path != "/ngsi-ld/v1/entities/" + SAMPLE and "limit=100" not in path})
    assert others == [("entities", "application/json"), ("subscriptions", "application/json"),
                      ("types", "application/json"), ("urn:ngsi-ld:LdtConformProbe:ldt-conform", "application/json")]
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
    # The duplicate is the second POST; PATCH and DELETE are sent once.
    sent = sigterm_while(broker, lambda: sum(1 for m, _, _ in broker.requests if m == method) >= (
        2 if method == "POST" else 1))
    assert sent < 15
    assert ngsi_ld_broker.probe_entities(broker) == []


def test_an_empty_page_that_links_a_next_one_leaves_the_filters_not_verified(broker: LocalServer) -> None:
    """No entity on the page means nothing was held against the filter: not verified with the reason, not a pass."""
    broker.state["empty_pages"] = True
    report = run(broker)
    rules = ("NGSILD-012", "NGSILD-013", "NGSILD-014", *NEW_RULES)
    reasons = {r.rule: (r.status, r.reason) for r in report.results if r.rule in rules}
    assert {rule: verdict for rule, (verdict, _) in reasons.items()} == dict.fromkeys(rules, Status.SKIP)
    # the broker's paging kept the check from running: a gap in the evidence, not "not applicable"
    assert {r.rule: r.why for r in report.results if r.rule in ("NGSILD-012", "NGSILD-017")} == dict.fromkeys(
        ("NGSILD-012", "NGSILD-017"), Why.PREREQUISITE_FAILED)
    # The count (limit=1) is answered, but the walk of the type query meets the same empty page again.
    assert reasons["NGSILD-017"][1].endswith(
        "0 entities of type TrafficFlowObserved read (the next link of page 1 points back to a page already read), "
        "NGSILD-Results-Count 3: the result was not read whole, so the count is not verified")
    assert reasons["NGSILD-012"][1].endswith(f"{QUERY}&limit=100 answered an empty page that links a next one: "
                                             "nothing to check the filter against")
    assert findings(report, "NGSILD-012") == []


# -- NGSILD-015 to NGSILD-018: what the data cannot show is not verified, and the logic on hand-made answers -----------
def reason(report: Any, rule: str) -> str:
    return next(r.reason for r in report.results if r.rule == rule) or ""


def test_one_entity_of_the_type_leaves_id_not_verified(broker: LocalServer) -> None:
    """id=A with type=T is the type query again when T holds A alone: nothing would show the broker applied id=."""
    vehicle = {"id": "urn:ngsi-ld:Vehicle:riverton-bus-7", "type": "Vehicle"}
    entities = [tfo(1, 120, location={"type": "GeoProperty", "value": {"type": "Point", "coordinates": [4.35, 50.85]}}),
                vehicle]
    broker.state["entities"] = {e["id"]: e for e in entities}
    report = run(broker)
    assert {rule: status(report, rule) for rule in NEW_RULES} == {
        "NGSILD-015": Status.SKIP, "NGSILD-016": Status.PASS, "NGSILD-017": Status.PASS, "NGSILD-018": Status.PASS}
    assert reason(report, "NGSILD-015").endswith(
        f"no entity of type TrafficFlowObserved but {SAMPLE} that id= can name among the 1 read: id= needs two "
        "entities of the type to ask for")
    assert not [path for _, path, _ in broker.requests if "id=" in path and "idPattern" not in path]


def test_the_other_id_is_found_on_a_later_page(broker: LocalServer) -> None:
    """A broker capping pages at one entity: the other id comes from the second page of the type query, and a page
    of the id= query with a next link need not hold both."""
    broker.state["max_limit"] = 1
    report = run(broker)
    assert {rule: status(report, rule) for rule in NEW_RULES} == dict.fromkeys(NEW_RULES, Status.PASS)
    assert f"/ngsi-ld/v1/entities?type=TrafficFlowObserved&id={SAMPLE},{SECOND}&limit=100" in [
        path for _, path, _ in broker.requests]
    # Honouring the first id only, the broker's whole answer is the sample alone, with no next link: riverton-002 is
    # missing from a result known to be whole.
    broker.faults.add("id-first-only")
    assert shown(run(broker), "NGSILD-015") == [(BY_ID, f"entity {SECOND} missing")]


def test_an_id_no_pattern_can_write_leaves_id_pattern_not_verified(broker: LocalServer) -> None:
    odd = "urn:ngsi-ld:TrafficFlowObserved:lane[1]"
    broker.state["entities"] = {odd: {"id": odd, "type": "TrafficFlowObserved"}}
    report = run(broker)
    assert status(report, "NGSILD-016") is Status.SKIP
    assert reason(report, "NGSILD-016").endswith(
        f"entity id {odd} holds a character that regular-expression dialects write differently: no pattern is sure "
        "to mean the same to the broker")


def test_id_pattern_specials_are_bracketed_and_the_broker_agrees(broker: LocalServer) -> None:
    """The sample's "." is written [.]: the id with another character there is not matched, and the broker (which
    searches, as a regular-expression engine does by default) returns the sample alone."""
    dotted, lookalike = "urn:ngsi-ld:TrafficFlowObserved:riverton.001", "urn:ngsi-ld:TrafficFlowObserved:rivertonX001"
    broker.state["entities"] = {i: {"id": i, "type": "TrafficFlowObserved"} for i in (dotted, lookalike)}
    report = run(broker)
    assert status(report, "NGSILD-016") is Status.PASS
    assert ("/ngsi-ld/v1/entities?type=TrafficFlowObserved&idPattern=%5Eurn:ngsi-ld:TrafficFlowObserved:riverton"
            "%5B.%5D001.%2A$&limit=100") in [path for _, path, _ in broker.requests]
    broker.faults.add("ignore-idpattern")
    assert shown(run(broker), "NGSILD-016") == [
        ("GET /ngsi-ld/v1/entities?type=TrafficFlowObserved&idPattern=%5Eurn:ngsi-ld:TrafficFlowObserved:riverton"
         "%5B.%5D001.%2A$&limit=100", f"entity {lookalike}")]


@pytest.mark.parametrize("ident,pattern", [
    ("urn:ngsi-ld:T:a-1", "^urn:ngsi-ld:T:a-1.*$"),
    ("urn:x:a.b+c(d)|e$f{2}?*", "^urn:x:a[.]b[+]c[(]d[)][|]e[$]f[{]2[}][?][*].*$"),
    ("https://ex.org/t/1;v=2&w='3'!@~%,", "^https://ex[.]org/t/1;v=2&w='3'!@~%,.*$"),
    ("urn:x:a b", None), ("urn:x:a\\b", None), ("urn:x:a^b", None), ("urn:x:[a]", None), ("urn:x:#1", None),
])
def test_the_id_pattern_is_the_id_as_an_anchored_prefix(ident: str, pattern: str | None) -> None:
    assert ngsi_ld._id_pattern(ident) == pattern
    if pattern is not None:
        compiled = re.compile(pattern)
        assert compiled.fullmatch(ident) and compiled.fullmatch(ident + "-2") and compiled.search(ident)
        assert not compiled.fullmatch("x" + ident) and not compiled.search("x" + ident)
        assert not compiled.fullmatch(ident[:-1] + ("Z" if ident[-1] != "Z" else "Y"))


def test_a_count_beyond_the_page_cap_is_not_verified_unless_already_too_small(broker: LocalServer) -> None:
    """Pages of one entity and twelve entities of the type: ten pages reach ten, a count of 12 may be right (not
    verified, with the cap said), a count of 1 is wrong whatever lies beyond."""
    entities = [tfo(1, 120)] + [tfo(n, 80) for n in range(2, 13)]
    broker.state["entities"] = {e["id"]: e for e in entities}
    broker.state["max_limit"] = 1
    report = run(broker)
    assert status(report, "NGSILD-017") is Status.SKIP
    assert [r.why for r in report.results if r.rule == "NGSILD-017"] == [Why.PREREQUISITE_FAILED]
    assert reason(report, "NGSILD-017").endswith(
        "10 entities of type TrafficFlowObserved read (the walk stopped at the 10-page cap), NGSILD-Results-Count 12: "
        "the result was not read whole, so the count is not verified")
    walked = [path for _, path, _ in broker.requests if "offset=" in path]
    assert walked == [f"/ngsi-ld/v1/entities?type=TrafficFlowObserved&limit=1&offset={n}" for n in range(1, 10)]
    broker.faults.add("count-page-only")
    assert shown(run(broker), "NGSILD-017") == [
        (f"{COUNT}", "NGSILD-Results-Count 1, 10 or more entities of type TrafficFlowObserved")]


def test_a_full_page_without_a_next_link_leaves_the_count_not_verified(broker: LocalServer) -> None:
    entities = [tfo(1, 120)] + [tfo(n, 80) for n in range(2, ngsi_ld.PAGE + 3)]
    broker.state["entities"] = {e["id"]: e for e in entities}
    broker.state["next_links"] = False
    report = run(broker)
    assert status(report, "NGSILD-017") is Status.SKIP
    assert reason(report, "NGSILD-017").endswith(
        f"{ngsi_ld.PAGE} entities of type TrafficFlowObserved read (page 1 is full but links no next page), "
        f"NGSILD-Results-Count {ngsi_ld.PAGE + 2}: the result was not read whole, so the count is not verified")


def test_a_count_that_is_no_number_fails() -> None:
    class Answer:
        url = "http://broker/ngsi-ld/v1/entities?type=T&count=true&limit=1"
        status = 200
        headers = {"ngsild-results-count": "three", "content-type": "application/json"}
        body = b"[]"
        content_type = "application/json"

    class Stub(ngsi_ld.Probe):
        def __init__(self) -> None:
            self.base = "http://broker"

        def memo(self, key: str, compute: Any) -> Any:
            return {"type": "T", "entity": {"id": "urn:x:1"}}

        def get(self, path: str, **kwargs: Any) -> Any:
            return Answer()

    issues = ngsi_ld.query_count(Stub(), {})
    assert [(i.focus, i.value, i.note) for i in issues] == [
        ("GET /ngsi-ld/v1/entities?type=T&count=true&limit=1", "NGSILD-Results-Count: three",
         "NGSILD-Results-Count must be a whole number")]


@pytest.mark.parametrize("location", [None, {"type": "GeoProperty", "value": {
    "type": "Polygon", "coordinates": [[[4.3, 50.8], [4.4, 50.8], [4.4, 50.9], [4.3, 50.8]]]}},
    {"type": "Property", "value": {"type": "Point", "coordinates": [4.35, 50.85]}}])
def test_a_sample_without_a_located_point_leaves_the_geo_query_not_verified(location: Any,
                                                                           broker: LocalServer) -> None:
    entity = tfo(1, 120) if location is None else tfo(1, 120, location=location)
    broker.state["entities"] = {SAMPLE: entity}
    report = run(broker)
    assert status(report, "NGSILD-018") is Status.SKIP
    assert reason(report, "NGSILD-018").endswith(
        f"entity {SAMPLE} has no GeoProperty location holding a Point: no position to ask around")
    assert not [path for _, path, _ in broker.requests if "georel" in path]


@pytest.mark.parametrize("radius,metres,findings_", [
    # A broker measuring on the polar radius lets in an entity 1001.5 m away by the mean radius: within the slack.
    (6356752.0, 1001.5, []),
    # One measuring on a 6000 km sphere lets in an entity 1030 m away: past the slack, a finding.
    (6000000.0, 1030.0, [(NEAR, "entity urn:ngsi-ld:TrafficFlowObserved:riverton-002")]),
])
def test_the_distance_allows_for_another_earth_radius_and_no_more(radius: float, metres: float, findings_: Any,
                                                                  broker: LocalServer) -> None:
    north = 50.85 + math.degrees(metres / ngsi_ld.MEAN_RADIUS)  # due north, the haversine is the arc itself
    entities = [tfo(1, 120, location={"type": "GeoProperty", "value": {"type": "Point", "coordinates": [4.35, 50.85]}}),
                tfo(2, 80, location={"type": "GeoProperty", "value": {"type": "Point", "coordinates": [4.35, north]}})]
    assert ngsi_ld._haversine((4.35, 50.85), (4.35, north)) == pytest.approx(metres)
    broker.state["entities"] = {e["id"]: e for e in entities}
    broker.state["earth_radius"] = radius
    report = run(broker)
    assert shown(report, "NGSILD-018") == findings_
    # The broker did return it: the verdict is the probe's measure, not an empty answer.
    assert status(report, "NGSILD-018") is (Status.FAIL if findings_ else Status.PASS)


@pytest.mark.parametrize("entity,points", [
    ({"location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [4.35, 50.85, 12]}}},
     [(4.35, 50.85)]),
    ({"location": [{"type": "GeoProperty", "value": {"type": "Point", "coordinates": [1, 2]}, "datasetId": "urn:d"},
                   {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [3, 4]}}]},
     [(1.0, 2.0), (3.0, 4.0)]),
    ({"location": {"type": "GeoProperty", "value": {"type": "LineString", "coordinates": [[1, 2], [3, 4]]}}}, None),
    ({}, []), ("not an entity", []),
    ({"location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [200, 2]}}}, []),
    ({"location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [True, 2]}}}, []),
    ({"location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": "4.35,50.85"}}}, []),
    ({"location": {"type": "Property", "value": {"type": "Point", "coordinates": [1, 2]}}}, []),
])
def test_points_are_the_positions_of_point_geoproperties(entity: Any, points: Any) -> None:
    assert ngsi_ld._points(entity) == points


def test_the_next_page_is_read_from_the_link_header_whatever_commas_the_urls_hold() -> None:
    class Page:
        url = "http://broker/ngsi-ld/v1/entities?type=T&limit=100"
        headers = {"link": '</ngsi-ld/v1/entities?id=a,b&offset=100>; rel="next"; type="application/json", '
                           '<https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld>; '
                           'rel="http://www.w3.org/ns/json-ld#context"'}

    class Stub(ngsi_ld.Probe):
        def __init__(self) -> None:
            pass

    assert ngsi_ld._next_page(Stub(), Page()) == "http://broker/ngsi-ld/v1/entities?id=a,b&offset=100"
    Page.headers = {"link": '<https://uri.etsi.org/c.jsonld>; rel="http://www.w3.org/ns/json-ld#context", '
                            '<?offset=5>; rel="prev next"'}
    assert ngsi_ld._next_page(Stub(), Page()) == "http://broker/ngsi-ld/v1/entities?offset=5"
    Page.headers = {"link": '<?offset=5>; rel="prev"'}
    assert ngsi_ld._next_page(Stub(), Page()) is None


def test_each_of_several_entities_the_result_must_hold_is_named() -> None:
    found = [{"id": "urn:x:a"}, {"id": "urn:x:c"}]
    issues = ngsi_ld._filter_issues("GET q", found, lambda e: e["id"] in ("urn:x:a", "urn:x:b"), "a and b",
                                    ("urn:x:a", "urn:x:b"))
    assert [(i.value, i.note) for i in issues] == [
        ("entity urn:x:c", "the query must return only a and b"),
        ("entity urn:x:b missing", "the query must return urn:x:b, whose own data match it")]
