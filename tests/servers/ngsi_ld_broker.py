"""A small NGSI-LD context broker for the tests (stdlib http.server), following ETSI GS CIM 009 for what we probe.

No real NGSI-LD broker can be installed on these machines (Orion-LD, Scorpio and Stellio need Docker or a JVM and
MongoDB/PostgreSQL; PyPI, npm and Debian carry only clients). This broker implements, as the specification says, the
parts ldt-conform probes: Retrieve Entity (§5.7.1), Query Entities by type, id, idPattern, attrs and q (§5.7.2; of the
query language, §4.9, the comparisons of one attribute with a number or a string, joined by ";"), the geo-query
near;maxDistance/minDistance and intersects around a Point (§4.10), count=true with NGSILD-Results-Count (§6.3.13),
Retrieve Available Entity Types (§5.7.5), Create Entity (§5.6.1), Update Entity Attributes (§5.6.2), Delete Entity
(§5.6.6), content negotiation with 406 (§6.3.4), the JSON-LD Link header (§6.3.5), and ProblemDetails errors with the
ETSI error type URIs (§5.5.2). Of subscriptions (§5.8): Create, Retrieve, Query and Delete Subscription, and the
notification of an attribute change (§5.8.6; the default triggers attributeCreated/attributeUpdated) to the
endpoint's URI as an HTTP POST of a Notification (§5.3.1), normalized, projected onto notification.attributes.
Each fault in FAULTS breaks one of these, so every NGSI-LD rule has a passing and a failing case.
"""
from __future__ import annotations

import json
import math
import operator
import re
import threading
import time
import urllib.request
import uuid
from typing import Any, Callable
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from servers.util import Handler, LocalServer

ROOT = "/ngsi-ld/v1"
PROBE_TYPE = "LdtConformProbe"  # the type of the entity the write probes create
CORE = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld"
CONTEXT_REL = "http://www.w3.org/ns/json-ld#context"
ERRORS = "https://uri.etsi.org/ngsi-ld/errors/"
SEED = [
    {"id": "urn:ngsi-ld:TrafficFlowObserved:riverton-001", "type": "TrafficFlowObserved",
     "intensity": {"type": "Property", "value": 120, "observedAt": "2024-06-01T08:00:00Z"},
     "refRoadSegment": {"type": "Relationship", "object": "urn:ngsi-ld:RoadSegment:riverton-main"},
     "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [4.35, 50.85]}}},
    {"id": "urn:ngsi-ld:TrafficFlowObserved:riverton-002", "type": "TrafficFlowObserved",
     "intensity": {"type": "Property", "value": 80}},
    # A third of the type, so that a broker ignoring id= shows it; located about 3.5 km east of riverton-001, out of
    # the probe's 1 km geo-query.
    {"id": "urn:ngsi-ld:TrafficFlowObserved:riverton-003", "type": "TrafficFlowObserved",
     "intensity": {"type": "Property", "value": 80},
     "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [4.40, 50.85]}}},
    # A second type, after the first in /types order, so that a broker ignoring type= shows it.
    {"id": "urn:ngsi-ld:Vehicle:riverton-bus-7", "type": "Vehicle",
     "intensity": {"type": "Property", "value": 120}, "name": {"type": "Property", "value": "Bus 7"}},
]
FAULTS = {
    "query-object": "NGSILD-001", "retrieve-wrong-id": "NGSILD-002", "bad-attribute": "NGSILD-003",
    "not-found-plain": "NGSILD-004", "problem-wrong-type": "NGSILD-005", "json-as-ld": "NGSILD-006",
    "no-link-header": "NGSILD-007", "ld-no-context": "NGSILD-008", "ignore-accept": "NGSILD-009",
    "wrong-core-context": "NGSILD-010", "reject-link": "NGSILD-011", "create-no-location": "NGSILD-020",
    "duplicate-201": "NGSILD-021", "patch-noop": "NGSILD-022", "patch-200": "NGSILD-022",
    "delete-noop": "NGSILD-023", "delete-200": "NGSILD-023", "json-context-in-body": "NGSILD-007",
    "link-wrong-rel": "NGSILD-007", "retrieve-no-type": "NGSILD-003", "bad-query-200": "NGSILD-005",
    "problem-no-title": "NGSILD-005", "not-found-wrong-etsi-type": "NGSILD-004", "missing-400": "NGSILD-004",
    "link-wrong-core-context": "NGSILD-010", "create-200": "NGSILD-020", "query-geojson": "NGSILD-001",
    "retrieve-other": "NGSILD-002", "ld-as-array": "NGSILD-008", "patch-loses-entity": "NGSILD-022",
    "ld-wrong-core-context": "NGSILD-010", "retrieve-array": "NGSILD-002", "readback-array": "NGSILD-022",
    "ignore-type": "NGSILD-012", "type-drops-first": "NGSILD-012",
    "ignore-q": "NGSILD-013", "q-negated": "NGSILD-013", "q-object": "NGSILD-013", "ignore-attrs": "NGSILD-014",
    "ignore-id": "NGSILD-015", "id-first-only": "NGSILD-015", "ignore-idpattern": "NGSILD-016",
    "idpattern-literal": "NGSILD-016", "no-count-header": "NGSILD-017", "count-page-only": "NGSILD-017",
    "ignore-georel": "NGSILD-018", "georel-empty": "NGSILD-018", "near-degrees": "NGSILD-018",
    "subscriptions-object": "NGSILD-030", "subscription-no-notification": "NGSILD-030",
    "subscribe-no-location": "NGSILD-031", "subscribe-200": "NGSILD-031",
    "subscription-retrieve-other": "NGSILD-032", "subscription-drops-watched": "NGSILD-032",
    "no-notification": "NGSILD-033", "notify-old-value": "NGSILD-033", "notify-other-entity": "NGSILD-033",
    "notify-not-json": "NGSILD-033", "notify-wrong-subscription": "NGSILD-033", "notify-key-values": "NGSILD-033",
    "notify-concise": "NGSILD-033",
    "unsubscribe-noop": "NGSILD-034", "unsubscribe-200": "NGSILD-034",
}
# A subscription someone else made, so that the list is not empty and a wrong Retrieve has another to answer with.
SEED_SUBSCRIPTION = {"id": "urn:ngsi-ld:Subscription:riverton-traffic", "type": "Subscription",
                     "entities": [{"type": "TrafficFlowObserved"}], "watchedAttributes": ["intensity"],
                     "notification": {"format": "normalized",
                                      "endpoint": {"uri": "http://127.0.0.1:9/riverton", "accept": "application/json"}}}
NOT_ATTRIBUTES = {"id", "type", "@context", "scope", "createdAt", "modifiedAt", "deletedAt"}
ATTRIBUTE_TYPES = {"Property", "Relationship", "GeoProperty", "LanguageProperty", "VocabProperty", "ListProperty",
                   "ListRelationship", "JsonProperty"}
# §4.9, the part the probes send: terms `attr op value` joined by ";" (and), value a number or a quoted string.
Q_TERM = re.compile(r'([A-Za-z][A-Za-z0-9_]*)(==|!=|>=|<=|>|<)(-?[0-9]+(?:\.[0-9]+)?|"[^"]*")')
COMPARE = {"==": operator.eq, "!=": operator.ne, ">": operator.gt, "<": operator.lt, ">=": operator.ge,
           "<=": operator.le}


EARTH = 6378137.0  # the WGS84 equatorial radius (m), as some brokers use; the probe allows for the difference
NEAR = re.compile(r"near;(maxDistance|minDistance)==([0-9]+(?:\.[0-9]+)?)")


def distance(a: list[float], b: list[float], radius: float = EARTH) -> float:
    """Great-circle (haversine) distance in metres between two [lon, lat] positions, on a sphere of that radius."""
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * radius * math.asin(min(1.0, math.sqrt(h)))


def geo_matcher(georel: str, geometry: str, coordinates: str, geoproperty: str, degrees: bool = False,
                radius: float = EARTH) -> Callable[[dict[str, Any]], bool] | None:
    """The filter of a geo-query (§4.10) around a Point, or None if it is outside what this broker evaluates: near
    with maxDistance or minDistance (metres), and intersects (for two Points, the same position)."""
    try:
        point = json.loads(coordinates)
    except ValueError:
        return None
    if geometry != "Point" or not isinstance(point, list) or len(point) not in (2, 3) or not all(
            isinstance(c, (int, float)) and not isinstance(c, bool) for c in point):
        return None
    near = NEAR.fullmatch(georel)
    if near is None and georel != "intersects":
        return None

    def holds(entity: dict[str, Any]) -> bool:
        attribute = entity.get(geoproperty)
        for instance in attribute if isinstance(attribute, list) else [attribute]:
            value = instance.get("value") if isinstance(instance, dict) and instance.get(
                "type") == "GeoProperty" else None
            if not isinstance(value, dict) or value.get("type") != "Point":
                continue
            where = value.get("coordinates")
            if near is None:
                if where[:2] == point[:2]:
                    return True
                continue
            # near-degrees: the distance a broker gets when it forgets that NGSI-LD distances are metres.
            apart = math.dist(where[:2], point[:2]) if degrees else distance(where, point, radius)
            if (apart <= float(near.group(2))) == (near.group(1) == "maxDistance"):
                return True
        return False
    return holds


def id_matcher(query: dict[str, str], faults: set[str]) -> Callable[[str], bool] | None:
    """The filter of id (§6.4.3.2, a comma-separated list) and idPattern (a regular expression the id matches), or
    None if idPattern is no regular expression."""
    ids = [i for i in query.get("id", "").split(",") if i]
    if "id-first-only" in faults:
        ids = ids[:1]
    if "ignore-id" in faults:
        ids = []
    pattern = None if "ignore-idpattern" in faults else query.get("idPattern")
    try:
        compiled = None if pattern is None else re.compile(pattern)
    except re.error:
        return None

    def holds(ident: str) -> bool:
        if ids and ident not in ids:
            return False
        if pattern is None:
            return True
        if "idpattern-literal" in faults:  # the pattern compared as a plain string, not as a regular expression
            return ident == pattern
        return compiled is not None and compiled.search(ident) is not None
    return holds


def _comparable(got: Any, value: Any) -> bool:
    if isinstance(got, bool):
        return False
    return isinstance(got, str) if isinstance(value, str) else isinstance(got, (int, float))


def q_matcher(q: str) -> Callable[[dict[str, Any]], bool] | None:
    """The filter of a q expression, or None if it is not in the supported part of §4.9."""
    terms = []
    for text in q.split(";"):
        match = Q_TERM.fullmatch(text)
        if match is None:
            return None
        name, op, raw = match.groups()
        terms.append((name, COMPARE[op], json.loads(raw)))

    def holds(entity: dict[str, Any], name: str, compare: Callable[[Any, Any], bool], value: Any) -> bool:
        # A term on an attribute the entity lacks, or of another kind of value, is false (§4.9).
        attribute = entity.get(name)
        instances = attribute if isinstance(attribute, list) else [attribute]
        got = [a.get("value") for a in instances if isinstance(a, dict) and a.get("type") == "Property"]
        return any(_comparable(v, value) and compare(v, value) for v in got)
    return lambda entity: all(holds(entity, *term) for term in terms)


class Broker(Handler):
    def setup(self) -> None:
        super().setup()
        self.entities: dict[str, dict[str, Any]] = self.server.app.state.setdefault(  # type: ignore[attr-defined]
            "entities", {e["id"]: json.loads(json.dumps(e)) for e in SEED})
        self.lock: threading.Lock = self.server.app.state.setdefault("lock", threading.Lock())  # type: ignore
        self.subscriptions: dict[str, dict[str, Any]] = self.server.app.state.setdefault(  # type: ignore[attr-defined]
            "subscriptions", {SEED_SUBSCRIPTION["id"]: json.loads(json.dumps(SEED_SUBSCRIPTION))})

    # -- plumbing ---------------------------------------------------------------------------------------------------
    def route(self) -> tuple[list[str], dict[str, str]]:
        self.record()
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        if not path.startswith(ROOT):
            return [], {}
        return [p for p in path[len(ROOT):].split("/") if p], {k: v[0] for k, v in parse_qs(parts.query).items()}

    def core(self, in_link: bool = False) -> str:
        wrong = "wrong-core-context" in self.app.faults or (in_link and "link-wrong-core-context" in self.app.faults)
        return "https://example.org/ngsi-ld-core-context.jsonld" if wrong else CORE

    def problem(self, status: int, kind: str, title: str) -> None:
        if "problem-wrong-type" in self.app.faults:
            kind = "https://example.org/errors/" + kind
        else:
            kind = ERRORS + kind
        body = {"type": kind, "title": title, "status": status}
        if "problem-no-title" in self.app.faults:
            del body["title"]
        self.send(status, body, "application/json")

    def negotiate(self) -> str | None:
        """§6.3.4: application/json (default), application/ld+json, or None for 406."""
        accept = self.headers.get("Accept", "*/*")
        if "ignore-accept" in self.app.faults:
            return "application/json"
        for item in [a.split(";")[0].strip() for a in accept.split(",")]:
            if item in ("application/json", "*/*", "application/*"):
                return "application/ld+json" if "json-as-ld" in self.app.faults else "application/json"
            if item == "application/ld+json":
                return item
        return None

    def reply(self, status: int, body: Any, extra: dict[str, str] | None = None) -> None:
        media = self.negotiate()
        if media is None:
            return self.send(406, {"type": ERRORS + "InvalidRequest", "title": "Not Acceptable"},
                             "application/json")
        headers = dict(extra or {})
        if media == "application/ld+json":
            if "ld-as-array" in self.app.faults and isinstance(body, dict):
                body = [body]
            elif "ld-wrong-core-context" in self.app.faults and isinstance(body, dict):
                # A user context and a core context that is not ETSI's, in the body only (the Link stays right).
                body = {**body, "@context": ["https://example.org/riverton-context.jsonld",
                                             "https://example.org/ngsi-ld-core-context.jsonld"]}
            elif "ld-no-context" not in self.app.faults:
                body = [{**e, "@context": self.core()} for e in body] if isinstance(body, list) else {
                    **body, "@context": self.core()}
        elif "no-link-header" not in self.app.faults:
            rel = "describedby" if "link-wrong-rel" in self.app.faults else CONTEXT_REL
            context = f'<{self.core(in_link=True)}>; rel="{rel}"; type="application/ld+json"'
            if "link-wrong-rel" in self.app.faults:  # long enough to be cut in a finding
                context += '; title="the NGSI-LD core context of this broker"'
            headers["Link"] = f"{headers['Link']}, {context}" if "Link" in headers else context
            if "json-context-in-body" in self.app.faults and isinstance(body, dict):
                body = {**body, "@context": self.core()}
        self.send(status, body, media, headers)

    # -- reads -------------------------------------------------------------------------------------------------------
    def do_GET(self) -> None:  # the stdlib's naming
        segments, query = self.route()
        faults = self.app.faults
        if "reject-link" in faults and self.headers.get("Link"):
            return self.problem(400, "BadRequestData", "Link header not supported")
        if segments == ["types"]:
            with self.lock:
                types = sorted({e["type"] for e in self.entities.values()})
            return self.reply(200, {"id": "urn:ngsi-ld:EntityTypeList:1", "type": "EntityTypeList",
                                    "typeList": types})
        if segments == ["entities"]:
            if "q" in query and query["q"].count("(") != query["q"].count(")"):
                if "bad-query-200" in faults:
                    return self.reply(200, [])
                # §5.5.2 allows either type for a malformed request; a test picks the other, or a wrong one.
                return self.problem(400, self.app.state.get("bad_query_type", "BadRequestData"),
                                    "unbalanced parentheses in q")
            if not any(k in query for k in ("type", "attrs", "q", "id", "idPattern", "georel")):
                return self.problem(400, "BadRequestData", "a query needs type, attrs, q, id, idPattern or a geo-query")
            keep = q_matcher(query["q"]) if "q" in query else (lambda entity: True)
            if keep is None:
                return self.problem(400, "BadRequestData", "q is outside what this test broker evaluates")
            if "ignore-q" in faults:
                keep = lambda entity: True  # noqa: E731
            elif "q-negated" in faults and "q" in query:
                matches = keep
                keep = lambda entity: not matches(entity)  # noqa: E731
            near: Callable[[dict[str, Any]], bool] | None = lambda entity: True  # noqa: E731
            if "georel" in query and "ignore-georel" not in faults:
                near = geo_matcher(query["georel"], query.get("geometry", ""), query.get("coordinates", ""),
                                   query.get("geoproperty", "location"), degrees="near-degrees" in faults,
                                   radius=float(self.app.state.get("earth_radius", EARTH)))
                if near is None:
                    return self.problem(400, "BadRequestData", "the geo-query is outside what this broker evaluates")
            by_id = id_matcher(query, faults)
            if by_id is None:
                return self.problem(400, "BadRequestData", "idPattern is not a regular expression")
            wanted = query.get("type")
            with self.lock:
                found = [e for e in self.entities.values() if (wanted is None or "ignore-type" in faults or wanted in (
                    e["type"] if isinstance(e["type"], list) else [e["type"]])) and keep(e) and near(e) and by_id(
                    e["id"])]
            if "georel-empty" in faults and "georel" in query:
                found = []
            attrs = [a for a in query.get("attrs", "").split(",") if a]
            if attrs:  # §5.7.2: entities with one of them, projected onto them
                found = [e for e in found if any(a in e for a in attrs)]
                if "ignore-attrs" not in faults:
                    found = [{k: v for k, v in e.items() if k in NOT_ATTRIBUTES or k in attrs} for e in found]
            limit = int(query.get("limit", "20"))
            if "type-drops-first" in faults and limit > 1:  # loses an entity, but not the one read with limit=1
                found = found[1:]
            # §6.3.10: a broker may cap the page size; it then links the next page.
            size, offset = min(limit, int(self.app.state.get("max_limit", 1000))), int(query.get("offset", "0"))
            headers = {}
            if query.get("count") == "true" and "no-count-header" not in faults:  # §6.3.13: the whole result
                total = len(found[offset:offset + size]) if "count-page-only" in faults else len(found)
                headers["NGSILD-Results-Count"] = str(total)
            if offset + size < len(found) and self.app.state.get("next_links", True):
                rest = {**query, "offset": str(offset + size), "limit": str(size)}
                headers["Link"] = f'<{ROOT}/entities?{urlencode(rest)}>; rel="next"; type="application/json"'
            found = found[offset:offset + size]
            if self.app.state.get("empty_pages") and limit > 1:  # legal, if odd: an empty page, then the rest
                found, headers = [], {"Link": f'<{ROOT}/entities?{urlencode(query)}>; rel="next"'}
            if "query-geojson" in faults:
                return self.send(200, [self.shape(e) for e in found], "application/geo+json", headers)
            if "query-object" in faults or ("q-object" in faults and "q" in query):
                return self.reply(200, {"results": found})
            return self.reply(200, [self.shape(e) for e in found], headers)
        if segments == ["subscriptions"]:
            with self.lock:
                listed = [self.listed(sub) for sub in self.subscriptions.values()]
            listed += self.app.state.get("listed_extra", [])  # not a rule's fault: odd members (see the tests)
            return self.reply(200, {"subscriptions": listed} if "subscriptions-object" in faults else listed)
        if len(segments) == 2 and segments[0] == "subscriptions":
            with self.lock:
                subscription = self.subscriptions.get(segments[1])
                if "subscription-retrieve-other" in faults and subscription is not None:
                    subscription = self.subscriptions[SEED_SUBSCRIPTION["id"]]
            if subscription is None:
                return self.problem(404, "ResourceNotFound", f"{segments[1]} not found")
            if self.app.state.get("retrieve_as_array"):  # not a rule's fault: a broken read-back (see the tests)
                return self.reply(200, [self.listed(subscription)])
            return self.reply(200, self.listed(subscription))
        if len(segments) == 2 and segments[0] == "entities":
            with self.lock:
                entity = self.entities.get(segments[1])
                if "retrieve-other" in faults and entity is not None:
                    entity = next(e for e in self.entities.values() if e["id"] != segments[1])
            if entity is None:
                if "not-found-plain" in faults:
                    return self.send(404, "Not Found", "text/plain")
                if "missing-400" in faults:
                    return self.problem(400, "BadRequestData", f"{segments[1]} is not a known entity")
                kind = "InvalidRequest" if "not-found-wrong-etsi-type" in faults else "ResourceNotFound"
                return self.problem(404, kind, f"{segments[1]} not found")
            return self.reply(200, self.retrieved(entity))
        self.problem(404, "ResourceNotFound", "no such resource")

    def listed(self, subscription: dict[str, Any]) -> dict[str, Any]:
        """A subscription as Retrieve and Query Subscriptions give it: with its status (§5.2.12)."""
        shown = {**json.loads(json.dumps(subscription)), "status": "active"}
        if "subscription-no-notification" in self.app.faults:
            del shown["notification"]
        return shown

    def shape(self, entity: dict[str, Any]) -> dict[str, Any]:
        entity = json.loads(json.dumps(entity))
        if "retrieve-wrong-id" in self.app.faults:
            entity["id"] = entity["id"] + "-other"
        if "bad-attribute" in self.app.faults:
            entity["intensity"] = 120
        return entity

    def retrieved(self, entity: dict[str, Any]) -> Any:
        """An entity as Retrieve Entity sends it (queries send shape() alone)."""
        entity = self.shape(entity)
        if "retrieve-no-type" in self.app.faults:
            del entity["type"]
        if "retrieve-array" in self.app.faults and self.headers.get("Accept") == "application/json" and (
                PROBE_TYPE not in entity["id"]):
            return [entity]
        if "readback-array" in self.app.faults and PROBE_TYPE in entity["id"]:
            return [entity]
        return entity

    # -- writes ------------------------------------------------------------------------------------------------------
    def payload(self, entity: bool = True) -> dict[str, Any] | None:
        """The request's JSON-LD body without its @context; an entity (fragment) must be in normalized form."""
        try:
            body = json.loads(self.body() or b"null")
        except ValueError:
            self.problem(400, "InvalidRequest", "invalid JSON")
            return None
        if not isinstance(body, dict):
            self.problem(400, "BadRequestData", "the body must be a JSON object")
            return None
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if content_type not in ("application/json", "application/ld+json"):  # §6.3.4
            self.send(415, {"type": ERRORS + "InvalidRequest", "title": f"Unsupported Media Type {content_type!r}",
                            "status": 415}, "application/json")
            return None
        if content_type == "application/ld+json" and "@context" not in body:
            self.problem(400, "BadRequestData", "application/ld+json needs @context in the body")
            return None
        body.pop("@context", None)
        wrong = [k for k, v in body.items() if entity and k not in ("id", "type", "scope") and not (
            isinstance(v, dict) and v.get("type") in ATTRIBUTE_TYPES)]
        if wrong:  # §5.6.1, §5.6.2: attributes in normalized form
            self.problem(400, "BadRequestData", f"attribute {wrong[0]} is not in normalized form")
            return None
        return body

    def do_POST(self) -> None:
        segments, _ = self.route()
        if segments == ["subscriptions"]:
            return self.subscribe()
        if segments != ["entities"]:
            return self.problem(404, "ResourceNotFound", "no such resource")
        entity = self.payload()
        if entity is None:
            return
        if not isinstance(entity.get("id"), str) or "type" not in entity:
            return self.problem(400, "BadRequestData", "id and type are mandatory")
        if "slow-create" in self.app.faults:  # not a rule's fault: stores, then answers late (interrupt test)
            with self.lock:
                self.entities[entity["id"]] = entity
            time.sleep(float(self.app.state.get("slow", 5)))
            return self.send(201, b"", "", {"Location": f"{ROOT}/entities/{entity['id']}"})
        with self.lock:
            exists = entity["id"] in self.entities
        if exists and "slow-duplicate" in self.app.faults:  # not a rule's fault: answers late (interrupt test)
            time.sleep(float(self.app.state.get("slow", 5)))
        with self.lock:
            if exists and "duplicate-201" not in self.app.faults:
                return self.problem(409, "AlreadyExists", f"{entity['id']} already exists")
            # Not a rule's fault: a broker that stops creating entities after this many (see the tests).
            if self.app.state.get("creates_left") is not None:
                if self.app.state["creates_left"] <= 0:
                    return self.problem(500, "InternalError", "cannot create now")
                self.app.state["creates_left"] -= 1
            self.entities[entity["id"]] = entity
        # Forms of Location a client must accept (§6.4.3.1 names the new entity's URI): a trailing slash, or the id
        # percent-encoded whole.
        form = self.app.state.get("location_form")
        ident = quote(entity["id"], safe="") if form == "encoded" else entity["id"]
        location = f"{ROOT}/entities/{ident}" + ("/" if form == "slash" else "")
        headers = {} if "create-no-location" in self.app.faults else {"Location": location}
        self.send(200 if "create-200" in self.app.faults else 201, b"", "", headers)

    def subscribe(self) -> None:
        """§5.8.1: Create Subscription; the members this broker cannot honour are refused, not ignored."""
        body = self.payload(entity=False)
        if body is None:
            return
        endpoint = (body.get("notification") or {}).get("endpoint") if isinstance(body.get("notification"),
                                                                                  dict) else None
        if body.get("type") != "Subscription" or not isinstance(endpoint, dict) or not isinstance(
                endpoint.get("uri"), str):
            return self.problem(400, "BadRequestData", "a subscription needs type Subscription and an endpoint uri")
        if not isinstance(body.get("entities"), list) or not body["entities"]:
            return self.problem(400, "BadRequestData", "this broker only takes subscriptions with entities")
        self.app.state.setdefault("subscription_bodies", []).append(json.loads(json.dumps(body)))
        ident = body.setdefault("id", f"urn:ngsi-ld:Subscription:{uuid.uuid4()}")
        if "subscription-drops-watched" in self.app.faults:
            body.pop("watchedAttributes", None)
        with self.lock:
            if ident in self.subscriptions:
                return self.problem(409, "AlreadyExists", f"{ident} already exists")
            self.subscriptions[ident] = body
        if "slow-subscribe" in self.app.faults:  # not a rule's fault: stores, then answers late (interrupt test)
            time.sleep(float(self.app.state.get("slow", 5)))
        headers = {} if "subscribe-no-location" in self.app.faults else {"Location": f"{ROOT}/subscriptions/{ident}"}
        self.send(200 if "subscribe-200" in self.app.faults else 201, b"", "", headers)

    def notify(self, entity: dict[str, Any], before: dict[str, Any], changed: set[str]) -> None:
        """§5.8.6: each subscription selecting the entity and watching a changed attribute (or any, when it names
        none) is notified; the POST goes out on its own thread, as a broker's notifier would."""
        faults = self.app.faults
        with self.lock:
            subscriptions = list(self.subscriptions.values())
            vehicle = self.entities.get("urn:ngsi-ld:Vehicle:riverton-bus-7")
        for sub in subscriptions:
            if not any(selects(s, entity) for s in sub["entities"]):
                continue
            watched = sub.get("watchedAttributes")
            if (watched and not changed & set(watched)) or "no-notification" in faults:
                continue
            shown = before if "notify-old-value" in faults else entity
            attributes = (sub["notification"].get("attributes") or [])
            data = [{k: v for k, v in shown.items() if k in ("id", "type") or not attributes or k in attributes}]
            if sub["notification"].get("format") == "keyValues" or "notify-key-values" in faults:
                # §5.2.12 keyValues: each attribute as its bare value (the fault: whatever the subscription asked)
                data = [{k: v.get("value") if isinstance(v, dict) and k not in ("id", "type") else v
                         for k, v in e.items()} for e in data]
            if "notify-concise" in faults:  # §4.5.18 concise: a Property without its type
                data = [{k: {a: b for a, b in v.items() if a != "type"} if isinstance(v, dict) else v
                         for k, v in e.items()} for e in data]
            if "notify-other-entity" in faults and vehicle is not None:
                data.append(vehicle)
            notification = {"id": f"urn:ngsi-ld:Notification:{uuid.uuid4()}", "type": "Notification",
                            "subscriptionId": "urn:ngsi-ld:Subscription:other" if "notify-wrong-subscription"
                            in faults else sub["id"],
                            "notifiedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "data": data}
            threading.Thread(target=post_notification, args=(sub, notification, self.core(),
                                                             "notify-not-json" in faults, self.lock,
                                                             self.app.state.get("account", "full")),
                             daemon=True).start()

    def do_PATCH(self) -> None:
        segments, _ = self.route()
        if len(segments) != 3 or segments[0] != "entities" or segments[2] != "attrs":
            return self.problem(404, "ResourceNotFound", "no such resource")
        fragment = self.payload()
        if fragment is None:
            return
        if self.app.state.get("patch_status"):  # not a rule's fault: every PATCH refused (see the tests)
            return self.problem(int(self.app.state["patch_status"]), "InternalError", "cannot update now")
        with self.lock:
            entity = self.entities.get(segments[1])
            if entity is None:
                return self.problem(404, "ResourceNotFound", f"{segments[1]} not found")
            before = json.loads(json.dumps(entity))
            if "patch-noop" not in self.app.faults:
                entity.update({k: v for k, v in fragment.items() if k in entity})
            if "patch-loses-entity" in self.app.faults:
                del self.entities[segments[1]]
            after = json.loads(json.dumps(entity))
        self.notify(after, before, {k for k in fragment if k in before and fragment[k] != before[k]})
        if "slow-patch" in self.app.faults:  # not a rule's fault: applies, then answers late (interrupt test)
            time.sleep(float(self.app.state.get("slow", 5)))
        if "patch-200" in self.app.faults:  # applied, but answered as a read would be
            return self.reply(200, self.shape(entity))
        self.send(204, b"", "")

    def do_DELETE(self) -> None:
        segments, _ = self.route()
        if len(segments) == 2 and segments[0] == "subscriptions":
            with self.lock:
                if segments[1] not in self.subscriptions:
                    return self.problem(404, "ResourceNotFound", f"{segments[1]} not found")
                if "unsubscribe-noop" not in self.app.faults:
                    del self.subscriptions[segments[1]]
            if "unsubscribe-200" in self.app.faults:
                return self.send(200, {"deleted": segments[1]}, "application/json")
            return self.send(204, b"", "")
        if len(segments) != 2 or segments[0] != "entities":
            return self.problem(404, "ResourceNotFound", "no such resource")
        with self.lock:
            if segments[1] not in self.entities:
                return self.problem(404, "ResourceNotFound", f"{segments[1]} not found")
            if "delete-noop" not in self.app.faults:
                del self.entities[segments[1]]
        if "slow-delete" in self.app.faults:  # not a rule's fault: deletes, then answers late (interrupt test)
            time.sleep(float(self.app.state.get("slow", 5)))
        if "delete-200" in self.app.faults:  # deleted, but answered 200 with a body
            return self.send(200, {"deleted": segments[1]}, "application/json")
        self.send(204, b"", "")


def selects(selector: Any, entity: dict[str, Any]) -> bool:
    """§5.2.33 EntitySelector: id, or type (with idPattern), matched against the entity."""
    if not isinstance(selector, dict):
        return False
    types = entity["type"] if isinstance(entity["type"], list) else [entity["type"]]
    if "type" in selector and selector["type"] not in types:
        return False
    if "id" in selector:
        return bool(selector["id"] == entity["id"])
    return "idPattern" not in selector or re.search(str(selector["idPattern"]), entity["id"]) is not None


def post_notification(subscription: dict[str, Any], notification: dict[str, Any], core: str, as_text: bool,
                      lock: threading.Lock, account: str = "full") -> None:
    """The HTTP binding of a notification: POST application/json with the @context in a Link header (§6.3.5); the
    outcome is kept in the subscription's notification status (§5.2.14: status, timesSent, timesFailed,
    lastNotification, lastSuccess, lastFailure). Those members are optional: `account` keeps all of them ("full"),
    only status ("status"), only the counts ("counts"), or none ("none"), as brokers differ."""
    body = json.dumps(notification).encode()
    headers = {"Content-Type": "text/plain" if as_text else "application/json",
               "Link": f'<{core}>; rel="{CONTEXT_REL}"; type="application/ld+json"'}
    params = subscription["notification"]
    try:
        urllib.request.urlopen(urllib.request.Request(params["endpoint"]["uri"], data=body, headers=headers,
                                                      method="POST"), timeout=5).close()
        delivered = True
    except OSError:
        delivered = False
    with lock:
        params["timesSent"] = params.get("timesSent", 0) + 1
        params["lastNotification"] = notification["notifiedAt"]
        params["status"] = "ok" if delivered else "failed"
        if delivered:
            params["lastSuccess"] = notification["notifiedAt"]
        else:
            params["timesFailed"] = params.get("timesFailed", 0) + 1
            params["lastFailure"] = notification["notifiedAt"]
        kept = {"full": None, "status": {"status"}, "counts": {"timesSent", "timesFailed"}, "none": set()}[account]
        for key in ("status", "timesSent", "timesFailed", "lastNotification", "lastSuccess", "lastFailure"):
            if kept is not None and key not in kept:
                params.pop(key, None)


def start() -> LocalServer:
    return LocalServer(Broker).start()


def probe_entities(server: LocalServer) -> list[str]:
    """Entities the tool's write probes left behind (there must never be any after a run)."""
    return [i for i in server.state.get("entities", {}) if "ldt-conform-probe" in i]


def probe_subscriptions(server: LocalServer) -> list[str]:
    """Subscriptions the tool's write probes left behind (there must never be any after a run)."""
    return [i for i in server.state.get("subscriptions", {}) if "ldt-conform-probe" in i]


if __name__ == "__main__":  # a broker to try the CLI by hand: python tests/servers/ngsi_ld_broker.py
    import sys

    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1]))
    server = start()
    print(server.url, flush=True)
    threading.Event().wait()
