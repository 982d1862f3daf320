"""NGSI-LD (ETSI GS CIM 009): retrieval, query, content negotiation, @context, ProblemDetails; writes if allowed."""
from __future__ import annotations

import json
import math
import re
import signal
import threading
import uuid
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Mapping
from urllib.parse import quote

from ldt_conform.checks.api.probe import Broken, Issue, Probe, Skip, and_more, media_type
from ldt_conform.model import Why

ROOT = "/ngsi-ld/v1"
Test = Callable[[Probe, Mapping[str, Any]], list[Issue]]
CONTEXT_REL = "http://www.w3.org/ns/json-ld#context"
ERRORS = "https://uri.etsi.org/ngsi-ld/errors/"
# ETSI GS CIM 009 Table 5.5.2-1.
ERROR_TYPES = {"InvalidRequest", "BadRequestData", "AlreadyExists", "OperationNotSupported", "ResourceNotFound",
               "InternalError", "TooComplexQuery", "TooManyResults", "LdContextNotAvailable", "NoMultiTenantSupport",
               "NonexistentTenant"}
CORE_CONTEXT = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"
# The core @context documents ETSI has published (unversioned alias, and one per API version).
CORE_CONTEXT_RE = re.compile(r"^https://uri\.etsi\.org/ngsi-ld/v1/ngsi-ld-core-context(-v1\.[0-9]+)?\.jsonld$")
ATTRIBUTE_TYPES = {"Property", "Relationship", "GeoProperty", "LanguageProperty", "VocabProperty", "ListProperty",
                   "ListRelationship", "JsonProperty"}
PROBE_TYPE = "LdtConformProbe"


def normalise(uri: str) -> str:
    return uri


def declared(probe: Probe) -> set[str]:
    return set()


# -- finding something to read ----------------------------------------------------------------------------------
def _sample(probe: Probe) -> dict[str, Any]:
    """A real entity of the broker: first type of GET /types, first entity of that type."""
    def fetch() -> dict[str, Any]:
        response, types = probe.json(f"{ROOT}/types", accept="application/json")
        names = _type_names(types)
        if not names:
            raise Skip("the broker holds no entity (GET /ngsi-ld/v1/types is empty)")
        response, entities = _entities(probe, {"type": names[0], "limit": 1})
        if not entities or not isinstance(entities[0], dict) or "id" not in entities[0]:
            raise Skip(f"the query for type {names[0]} returned no entity")
        return {"type": names[0], "entity": entities[0], "query": response}
    return probe.memo("ngsi-sample", fetch)


def _entities(probe: Probe, params: Mapping[str, Any]) -> tuple[Any, list[Any]]:
    """GET /entities with these parameters: the response and its entities, which must be a JSON array."""
    response, found = probe.json(f"{ROOT}/entities", accept="application/json", params=params)
    if not isinstance(found, list):
        raise Broken(Issue(probe.focus(response.url), type(found).__name__,
                           "a query must answer with a JSON array of entities"))
    return response, found


def _type_names(types: Any) -> list[str]:
    if isinstance(types, dict) and isinstance(types.get("typeList"), list):
        return [str(t) for t in types["typeList"]]
    if isinstance(types, list):
        return [str(t.get("typeName") or t.get("id")) if isinstance(t, dict) else str(t) for t in types]
    return []


def _entity_path(entity_id: str) -> str:
    return f"{ROOT}/entities/{quote(entity_id, safe=':')}"


def _retrieve(probe: Probe, accept: str = "application/json", headers: Mapping[str, str] | None = None) -> Any:
    sample = _sample(probe)
    return probe.get(_entity_path(str(sample["entity"]["id"])), accept=accept, headers=headers)


# -- read-only tests --------------------------------------------------------------------------------------------
def query_entities(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    sample = _sample(probe)
    response = sample["query"]
    if media_type(response.headers.get("content-type")) not in ("application/json", "application/ld+json"):
        # geo+json is JSON too, but only an answer to Accept: application/geo+json (§6.3.4); the probe asked for JSON.
        return [Issue(probe.focus(response.url), media_type(response.headers.get("content-type")),
                      "a query asked with Accept: application/json must be answered with application/json "
                      "(or application/ld+json)")]
    return []


# One page of a filtered query. A page that does not hold the whole result proves nothing about the sampled entity's
# absence (it may sit on a later page), so that entity is required only in a whole result: a page the broker neither
# filled nor linked a next page from (§6.3.10: a broker may cap limit lower and say rel="next").
PAGE = 100
# q values written without escaping (§4.9 QuotedStr): plain words, numbers written as JSON writes them.
PLAIN_TEXT = re.compile(r"[A-Za-z0-9 _.:-]{1,100}")
PLAIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def _types_of(entity: Any) -> list[str]:
    kind = entity.get("type") if isinstance(entity, dict) else None
    return [str(k) for k in kind] if isinstance(kind, list) else [] if kind is None else [str(kind)]


def _values(entity: Any, name: str) -> list[Any]:
    """The values of the Property ``name`` (every instance of a multi-attribute), as the broker sent them."""
    attribute = entity.get(name) if isinstance(entity, dict) else None
    return [a["value"] for a in (attribute if isinstance(attribute, list) else [attribute])
            if isinstance(a, dict) and a.get("type") == "Property" and "value" in a]


def _same(a: Any, b: Any) -> bool:
    # JSON true is not the number 1, and 120 equals 120.0, as the q language compares them.
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return bool(a == b)


def _query(probe: Probe, params: Mapping[str, Any]) -> tuple[str, list[Any], bool]:
    """GET /entities with these parameters: the request as findings name it, the entities (a JSON array), and
    whether they are the whole result."""
    response, found = _entities(probe, {**params, "limit": PAGE})
    focus = probe.focus(response.url)
    more = any(re.search(r'rel="?next"?', part) for part in response.headers.get("link", "").split(","))
    if more and not found:
        # An empty page that links a next one shows no entity to hold against the filter: not verified, never a pass.
        raise Skip(f"{focus} answered an empty page that links a next one: nothing to check the filter against",
                   Why.PREREQUISITE_FAILED)
    return focus, found, len(found) < PAGE and not more


def _filter_issues(focus: str, found: list[Any], keep: Callable[[Any], bool], wanted: str,
                   must_find: str | tuple[str, ...] | None) -> list[Issue]:
    """Every entity returned satisfies the filter, and the entity ``must_find`` (or each of several; None when the
    page is not the whole result) is among them."""
    issues = []
    wrong = [e for e in found if not keep(e)]
    if wrong:
        first = wrong[0].get("id") if isinstance(wrong[0], dict) else wrong[0]
        issues.append(Issue(focus, f"entity {str(first)[:100]}{and_more(len(wrong))}",
                            f"the query must return only {wanted}"))
    returned = {e.get("id") for e in found if isinstance(e, dict)}
    for ident in (must_find,) if isinstance(must_find, str) else must_find or ():
        if ident not in returned:
            issues.append(Issue(focus, f"entity {ident} missing",
                                f"the query must return {ident}, whose own data match it"))
    return issues


def query_by_type(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """§5.7.2: a query by type returns only entities of that type, among them the entity it was sampled from."""
    sample = _sample(probe)
    name, sample_id = sample["type"], str(sample["entity"]["id"])
    focus, found, whole = _query(probe, {"type": name})
    return _filter_issues(focus, found, lambda e: name in _types_of(e), f"entities of type {name}",
                          sample_id if whole else None)


def _comparable(entity: dict[str, Any]) -> tuple[str, str, Any] | None:
    """The first Property (by name) of the entity whose one value a q term can state without escaping:
    (attribute, q literal, value)."""
    # Only attributes count: id, type, scope and the system timestamps are never Property objects (_values).
    for name in sorted(k for k in entity if isinstance(k, str) and PLAIN_NAME.fullmatch(k)):
        values = _values(entity, name)
        if len(values) != 1 or (isinstance(entity[name], list) and len(entity[name]) != 1):
            continue
        value = values[0]
        if isinstance(value, bool):
            continue
        if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
            literal = repr(value)
            if "e" not in literal:
                return name, literal, value
        if isinstance(value, str) and PLAIN_TEXT.fullmatch(value):
            return name, f'"{value}"', value
    return None


def query_by_q(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """§4.9: q=attr==value returns only entities whose attribute has that value, the sampled one among them, and
    q=attr!=value leaves the sampled one out. A broker that ignores q fails the second query whatever its data."""
    sample = _sample(probe)
    entity, name = sample["entity"], sample["type"]
    sample_id = str(entity["id"])
    pick = _comparable(entity)
    if pick is None:
        raise Skip(f"entity {sample_id} has no Property with one number or plain-text value to filter on")
    attribute, literal, value = pick
    focus, found, whole = _query(probe, {"type": name, "q": f"{attribute}=={literal}"})
    issues = _filter_issues(focus, found, lambda e: any(_same(v, value) for v in _values(e, attribute)),
                            f"entities whose {attribute} is {literal}", sample_id if whole else None)
    focus, found, _ = _query(probe, {"type": name, "q": f"{attribute}!={literal}"})

    def differs(e: Any) -> bool:
        # Entities without the attribute, or with several instances of it, are left alone: there brokers differ.
        values = _values(e, attribute)
        return not (len(values) == 1 and _same(values[0], value))
    # The sampled entity holds exactly that one value (_comparable), so returning it is one of these wrong answers.
    issues += _filter_issues(focus, found, differs, f"entities whose {attribute} is not {literal}", None)
    return issues


# Members of an entity that are not attributes: kept in every projection (§5.2.4, §4.8).
NOT_ATTRIBUTES = {"id", "type", "@context", "scope", "createdAt", "modifiedAt", "deletedAt"}


def _attributes(entity: dict[str, Any]) -> list[str]:
    """The entity's attribute names a query can name, sorted: members holding attribute objects (or lists of them)."""
    return sorted(k for k, v in entity.items() if k not in NOT_ATTRIBUTES and PLAIN_NAME.fullmatch(k) and all(
        isinstance(a, dict) and a.get("type") in ATTRIBUTE_TYPES for a in (v if isinstance(v, list) else [v])))


def query_attrs(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """§5.7.2 (attrs): a query with attrs=A returns entities that have A, each with A as its only attribute; the
    sampled entity, which has A beside other attributes, among them."""
    sample = _sample(probe)
    entity, name = sample["entity"], sample["type"]
    sample_id = str(entity["id"])
    names = _attributes(entity)
    if len(names) < 2:
        raise Skip(f"entity {sample_id} has {len(names)} attribute{'' if len(names) == 1 else 's'}: a projection "
                   f"needs one to keep and one to leave out")
    attribute = names[0]
    focus, found, whole = _query(probe, {"type": name, "attrs": attribute})

    def projected(e: Any) -> bool:
        return isinstance(e, dict) and attribute in e and not set(e) - NOT_ATTRIBUTES - {attribute}
    return _filter_issues(focus, found, projected, f"entities that have {attribute}, with no other attribute",
                          sample_id if whole else None)


def query_by_id(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """§5.7.2, §6.4.3.2 (id): id=A,B with the sampled entity and another of its type returns those two only, and both
    when the result is whole. The other one is the first the query by type holds (the pages NGSILD-012 and the count
    read)."""
    sample = _sample(probe)
    name, sample_id = sample["type"], str(sample["entity"]["id"])
    ids, whole, stopped = _walk(probe, name)
    # An id holding a comma cannot be written in the comma-separated list.
    others = [i for i in ids if i != sample_id and "," not in i]
    if not others or "," in sample_id:
        # One id of the type asked with type= is the query by type again: nothing shows that id= is applied.
        read = f"the {len(ids)} read" if whole else f"the {len(ids)} read ({stopped})"
        raise Skip(f"no entity of type {name} but {sample_id} that id= can name among {read}: id= needs two "
                   f"entities of the type to ask for")
    wanted = (sample_id, others[0])
    focus, found, whole = _query(probe, {"type": name, "id": ",".join(wanted)})
    return _filter_issues(focus, found, lambda e: isinstance(e, dict) and e.get("id") in wanted,
                          f"the entities {wanted[0]} and {wanted[1]}", wanted if whole else None)


# Written the same in every regular-expression dialect a broker may use (POSIX ERE, ECMAScript, PCRE, Java, Python):
# these stand for themselves; the specials below, in brackets; any other character makes no pattern.
LITERAL = re.compile(r"[A-Za-z0-9:/_@~%,;=&!'-]")
BRACKETED = set(".*+?(){}|$")


def _id_pattern(entity_id: str) -> str | None:
    """A regular expression matching exactly the ids that begin with ``entity_id``: anchored at both ends, so that a
    broker that searches and one that matches the whole id agree."""
    parts = []
    for char in entity_id:
        if LITERAL.fullmatch(char):
            parts.append(char)
        elif char in BRACKETED:
            parts.append(f"[{char}]")
        else:
            return None
    return "^" + "".join(parts) + ".*$"


def query_by_id_pattern(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """§5.7.2, §6.4.3.2 (idPattern): idPattern=^<sampled id>.*$ returns only entities whose id matches it (as Python
    reads the pattern, the same here in every dialect), the sampled one among them when the result is whole."""
    sample = _sample(probe)
    name, sample_id = sample["type"], str(sample["entity"]["id"])
    pattern = _id_pattern(sample_id)
    if pattern is None:
        raise Skip(f"entity id {sample_id} holds a character that regular-expression dialects write differently: no "
                   f"pattern is sure to mean the same to the broker")
    compiled = re.compile(pattern)
    focus, found, whole = _query(probe, {"type": name, "idPattern": pattern})
    return _filter_issues(focus, found, lambda e: isinstance(e, dict) and isinstance(e.get("id"), str) and bool(
        compiled.fullmatch(e["id"])), f"entities whose id matches {pattern}", sample_id if whole else None)


PAGES = 10  # the pages of one result followed through Link rel="next" to count it whole


def _next_page(probe: Probe, response: Any) -> str | None:
    """The target of the Link header's rel="next" (§6.3.10), resolved against the page's URL."""
    for match in re.finditer(r"<([^>]*)>([^<]*)", response.headers.get("link", "")):
        rel = re.search(r';\s*rel\s*=\s*"?([^";,]*)"?', match.group(2))
        if rel and "next" in rel.group(1).split():
            return probe.resolve(match.group(1), response.url)
    return None


def _walk(probe: Probe, name: str) -> tuple[list[str], bool, str]:
    """The ids of the entities of type ``name``, read page by page through rel="next" (at most PAGES pages, once per
    run): the distinct ids in the order read, whether that is the whole result, and what stopped the walk."""
    def walk() -> tuple[list[str], bool, str]:
        response, found = _entities(probe, {"type": name, "limit": PAGE})
        ids: dict[str, None] = {}
        seen = {response.url}
        while True:
            ids.update((e["id"], None) for e in found
                       if isinstance(e, dict) and isinstance(e.get("id"), str) and name in _types_of(e))
            link = _next_page(probe, response)
            if link is None:
                # A full page without a next link may still have left entities out (§6.3.10 asks for the link).
                return list(ids), len(found) < PAGE, f"page {len(seen)} is full but links no next page"
            if len(seen) >= PAGES:
                return list(ids), False, f"the walk stopped at the {PAGES}-page cap"
            if link in seen:
                return list(ids), False, f"the next link of page {len(seen)} points back to a page already read"
            if not probe.same_host(link):
                return list(ids), False, "the next link points to another host"
            seen.add(link)
            try:
                response, found = probe.json(link, accept="application/json")
            except Broken as exc:
                return list(ids), False, f"page {len(seen)} failed: {exc.issue.value}"
            if not isinstance(found, list):
                return list(ids), False, f"page {len(seen)} is not a JSON array"
    return probe.memo(f"ngsi-walk-{name}", walk)


def query_count(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """§6.3.13: count=true adds NGSILD-Results-Count, the number of entities of the whole result whatever page limit
    asks for; the entities of the type are then read whole (following rel="next") and counted."""
    sample = _sample(probe)
    name = sample["type"]
    response, _ = _entities(probe, {"type": name, "count": "true", "limit": 1})
    focus = probe.focus(response.url)
    header = response.headers.get("ngsild-results-count")
    if header is None:
        return [Issue(focus, "NGSILD-Results-Count missing",
                      "count=true must add the NGSILD-Results-Count header, the number of matching entities")]
    if not re.fullmatch(r"[0-9]{1,18}", header.strip()):
        return [Issue(focus, f"NGSILD-Results-Count: {header[:40]}", "NGSILD-Results-Count must be a whole number")]
    count = int(header)
    ids, whole, stopped = _walk(probe, name)
    reached = len(ids)
    if count != reached and (whole or count < reached):
        return [Issue(focus, f"NGSILD-Results-Count {count}, {reached}{'' if whole else ' or more'} entities of "
                             f"type {name}", "NGSILD-Results-Count must be the number of entities in the whole "
                                             "result, not in one page")]
    if not whole:
        raise Skip(f"{reached} entities of type {name} read ({stopped}), NGSILD-Results-Count {count}: the result was "
                   f"not read whole, so the count is not verified", Why.PREREQUISITE_FAILED)
    return []


RADIUS = 1000  # metres around the sampled entity's location
# How far past RADIUS an entity may lie and still count as within it: brokers measure on a sphere of another radius,
# or on the WGS84 ellipsoid, up to about 0.5 % from the haversine distance on the mean radius used here.
SLACK = 0.01
MEAN_RADIUS = 6371008.8  # the Earth's mean radius (IUGG), metres


def _haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The great-circle distance in metres between two (lon, lat) positions."""
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * MEAN_RADIUS * math.asin(min(1.0, math.sqrt(h)))


def _points(entity: Any, name: str = "location") -> list[tuple[float, float]] | None:
    """The (lon, lat) of each Point the GeoProperty ``name`` holds; None if it holds a geometry of another kind
    (whose distance this check does not work out), [] if the entity has no such GeoProperty."""
    attribute = entity.get(name) if isinstance(entity, dict) else None
    points = []
    for instance in attribute if isinstance(attribute, list) else [] if attribute is None else [attribute]:
        value = instance.get("value") if isinstance(instance, dict) and instance.get("type") == "GeoProperty" else None
        if not isinstance(value, dict):
            continue
        where = value.get("coordinates")
        if value.get("type") != "Point":
            return None
        if isinstance(where, list) and len(where) in (2, 3) and all(
                isinstance(c, (int, float)) and not isinstance(c, bool) and math.isfinite(c) for c in where) and (
                -180 <= where[0] <= 180 and -90 <= where[1] <= 90):
            points.append((float(where[0]), float(where[1])))
    return points


def query_near(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """§4.10: georel=near;maxDistance==RADIUS around the Point the sampled entity's location holds returns only
    entities whose location lies within RADIUS metres (measured here, with SLACK), the sampled one among them."""
    sample = _sample(probe)
    entity, name = sample["entity"], sample["type"]
    sample_id = str(entity["id"])
    points = _points(entity)
    if not points:
        raise Skip(f"entity {sample_id} has no GeoProperty location holding a Point: no position to ask around")
    centre = points[0]
    coordinates = json.dumps(list(centre), separators=(",", ":"))
    focus, found, whole = _query(probe, {"type": name, "georel": f"near;maxDistance=={RADIUS}", "geometry": "Point",
                                         "coordinates": coordinates, "geoproperty": "location"})

    def within(e: Any) -> bool:
        located = _points(e)
        # Entities without a location cannot satisfy a geo-query; a Polygon or a line is left alone.
        return located is None or any(_haversine(p, centre) <= RADIUS * (1 + SLACK) for p in located)
    return _filter_issues(focus, found, within, f"entities whose location lies within {RADIUS} m of {coordinates}",
                          sample_id if whole else None)


def retrieve_entity(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    sample = _sample(probe)
    response = _retrieve(probe)
    entity = probe.parse(response)
    if not isinstance(entity, dict) or entity.get("id") != sample["entity"]["id"]:
        return [Issue(probe.focus(response.url), str(entity.get("id") if isinstance(entity, dict) else entity)[:80],
                      "retrieving an entity must return that entity (same id)")]
    return []


def entity_structure(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response = _retrieve(probe)
    entity = probe.parse(response)
    focus = probe.focus(response.url)
    issues = []
    if not isinstance(entity.get("id"), str) or ":" not in entity["id"]:
        issues.append(Issue(focus, f"id={entity.get('id')}", "an entity id must be a URI"))
    if not entity.get("type"):
        issues.append(Issue(focus, "type missing", "an entity must have a type"))
    for name, attribute in entity.items():
        if name in ("id", "type", "@context", "scope", "location", "observationSpace", "operationSpace",
                    "createdAt", "modifiedAt", "deletedAt"):
            continue
        for instance in attribute if isinstance(attribute, list) else [attribute]:
            problem = _attribute_problem(instance)
            if problem:
                issues.append(Issue(focus, name, problem))
                break
    return issues


def _attribute_problem(attribute: Any) -> str | None:
    if not isinstance(attribute, dict):
        return "in normalized form every attribute is an object with a type (Property, Relationship, …)"
    kind = attribute.get("type")
    if kind not in ATTRIBUTE_TYPES:
        return f"attribute type must be one of Property, Relationship, GeoProperty, … (got {kind!r})"
    if kind == "Relationship" and "object" not in attribute and "objectList" not in attribute:
        return "a Relationship needs an object"
    if kind in ("Property", "GeoProperty") and "value" not in attribute:
        return f"a {kind} needs a value"
    return None


def not_found(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    missing = f"urn:ngsi-ld:{PROBE_TYPE}:ldt-conform-missing-{uuid.uuid4().hex[:8]}"
    response = probe.get(_entity_path(missing), accept="application/json")
    focus = probe.focus(response.url)
    if response.status != 404:
        return [Issue(focus, f"HTTP {response.status}", "retrieving an entity that does not exist must answer 404")]
    return _problem_issues(probe, response, "ResourceNotFound")


def problem_details(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response = probe.get(f"{ROOT}/entities", accept="application/json", params={"q": "((("})
    if response.status != 400:
        return [Issue(probe.focus(response.url), f"HTTP {response.status}",
                      "a malformed query must be rejected with 400 and a ProblemDetails body")]
    return _problem_issues(probe, response, "BadRequestData", "InvalidRequest")


def _problem_issues(probe: Probe, response: Any, *expected: str) -> list[Issue]:
    focus = probe.focus(response.url)
    try:
        body = probe.parse(response, expect=(response.status,))
    except Broken as exc:
        return [Issue(focus, exc.issue.value, "an error must carry a ProblemDetails JSON body (RFC 7807)")]
    kind = body.get("type") if isinstance(body, dict) else None
    if not isinstance(kind, str) or not kind.startswith(ERRORS) or kind[len(ERRORS):] not in ERROR_TYPES:
        return [Issue(focus, str(kind)[:100], f"the ProblemDetails type must be an ETSI error type URI, here "
                                              f"{ERRORS}{expected[0]}")]
    if kind[len(ERRORS):] not in expected:
        return [Issue(focus, kind, f"expected the error type {' or '.join(ERRORS + e for e in expected)}")]
    if not isinstance(body.get("title"), str):
        return [Issue(focus, "title missing", "a ProblemDetails body needs a title")]
    return []


def accept_json(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response = _retrieve(probe, "application/json")
    if response.status != 200 or media_type(response.headers.get("content-type")) != "application/json":
        return [Issue(probe.focus(response.url), f"HTTP {response.status} "
                                                 f"{media_type(response.headers.get('content-type'))}",
                      "Accept: application/json must be answered with Content-Type application/json")]
    return []


def link_header(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response = _retrieve(probe, "application/json")
    link = _context_link(response.headers.get("link", ""))
    if link is None:
        return [Issue(probe.focus(response.url), response.headers.get("link", "no Link header")[:120],
                      f"an application/json response must give its @context in a Link header (rel=\"{CONTEXT_REL}\")")]
    body = probe.parse(response)
    if isinstance(body, dict) and "@context" in body:
        return [Issue(probe.focus(response.url), "@context in body",
                      "an application/json response must not carry @context in the body")]
    return []


def accept_ld_json(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response = _retrieve(probe, "application/ld+json")
    focus = probe.focus(response.url)
    if response.status != 200 or media_type(response.headers.get("content-type")) != "application/ld+json":
        return [Issue(focus, f"HTTP {response.status} {media_type(response.headers.get('content-type'))}",
                      "Accept: application/ld+json must be answered with Content-Type application/ld+json")]
    body = probe.parse(response)
    if not isinstance(body, dict) or "@context" not in body:
        return [Issue(focus, "@context missing", "an application/ld+json response must carry @context in the body")]
    return []


def not_acceptable(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response = _retrieve(probe, "application/xml")
    if response.status != 406:
        return [Issue(probe.focus(response.url), f"HTTP {response.status}",
                      "an Accept header naming no supported media type must be answered with 406")]
    return []


def core_context(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response = _retrieve(probe, "application/ld+json")
    body = probe.parse(response)
    contexts = body.get("@context") if isinstance(body, dict) else None
    urls = [c for c in (contexts if isinstance(contexts, list) else [contexts]) if isinstance(c, str)]
    link = _context_link(_retrieve(probe, "application/json").headers.get("link", ""))
    urls += [link] if link else []
    core = [u for u in urls if "ngsi-ld-core-context" in u]
    wrong = [u for u in core if not CORE_CONTEXT_RE.match(u)]
    if wrong:
        return [Issue(probe.focus(response.url), wrong[0],
                      "reference a core @context ETSI published, e.g. " + CORE_CONTEXT)]
    return []


def context_link_accepted(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    link = f'<{_core_context_of(probe)}>; rel="{CONTEXT_REL}"; type="application/ld+json"'
    response = _retrieve(probe, "application/json", headers={"Link": link})
    if response.status != 200:
        return [Issue(probe.focus(response.url), f"HTTP {response.status}",
                      "a GET with a JSON-LD Link header naming the core @context must succeed")]
    return []


def _core_context_of(probe: Probe) -> str:
    try:
        link = _context_link(_retrieve(probe, "application/json").headers.get("link", ""))
    except Broken:
        link = None
    return link if link and CORE_CONTEXT_RE.match(link) else CORE_CONTEXT


def _context_link(header: str) -> str | None:
    for part in header.split(","):
        match = re.match(r'\s*<([^>]+)>(.*)$', part)
        if match and CONTEXT_REL in match.group(2):
            return match.group(1)
    return None


# -- write probes (--allow-writes) --------------------------------------------------------------------------------
def _created(probe: Probe) -> set[str]:
    created: set[str] = probe.state.setdefault("ngsi-created", set())
    return created


def _probe_entity(probe: Probe) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        if not probe.allow_writes:
            raise Skip("write probe: run with --allow-writes to create, update and delete a probe entity")
        ident = f"urn:ngsi-ld:{PROBE_TYPE}:ldt-conform-probe-{uuid.uuid4().hex[:16]}"
        return {"id": ident, "type": PROBE_TYPE, "status": {"type": "Property", "value": "created"},
                "@context": _core_context_of(probe)}
    return probe.memo("ngsi-probe-entity", make)


def create_entity(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    entity = _probe_entity(probe)
    with interrupt_guard(probe):
        _created(probe).add(entity["id"])   # registered BEFORE sending, so an interrupt still cleans it up
        response = probe.send("POST", f"{ROOT}/entities", body=entity, content_type="application/ld+json")
    focus = probe.focus(response.url, "POST")
    location = response.headers.get("location", "")
    if response.status != 201:
        return [Issue(focus, f"HTTP {response.status}", "creating an entity must answer 201 Created")]
    if not location.rstrip("/").endswith(_entity_path(entity["id"])) and not location.endswith(
            quote(entity["id"], safe="")):
        return [Issue(focus, f"Location: {location or 'missing'}",
                      "201 Created must carry a Location header naming /ngsi-ld/v1/entities/{id}")]
    return []


def create_duplicate(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    entity = _probe_entity(probe)
    with interrupt_guard(probe):
        response = probe.send("POST", f"{ROOT}/entities", body=entity, content_type="application/ld+json")
    if response.status != 409:
        return [Issue(probe.focus(response.url, "POST"), f"HTTP {response.status}",
                      "creating an entity whose id exists must answer 409 with AlreadyExists")]
    issues = _problem_issues(probe, response, "AlreadyExists")
    return [Issue(i.focus.replace("GET ", "POST ", 1), i.value, i.note) for i in issues]


def update_attributes(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    entity = _probe_entity(probe)
    patch = {"status": {"type": "Property", "value": "updated"}, "@context": entity["@context"]}
    with interrupt_guard(probe):
        response = probe.send("PATCH", _entity_path(entity["id"]) + "/attrs", body=patch,
                              content_type="application/ld+json")
        if response.status != 204:
            return [Issue(probe.focus(response.url, "PATCH"), f"HTTP {response.status}",
                          "updating the attributes of an entity must answer 204 No Content")]
        check = probe.send("GET", _entity_path(entity["id"]), accept="application/json")
    # A read-back that is not an entity object shows no update: a finding, not a tool error.
    body = probe.parse(check) if check.status == 200 else None
    status = body.get("status") if isinstance(body, dict) else None
    value = status.get("value") if isinstance(status, dict) else None
    if value != "updated":
        return [Issue(probe.focus(check.url), f"status={value}", "the update must be visible when read back")]
    return []


def delete_entity(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    entity = _probe_entity(probe)
    with interrupt_guard(probe):
        response = probe.send("DELETE", _entity_path(entity["id"]))
        if response.status != 204:
            return [Issue(probe.focus(response.url, "DELETE"), f"HTTP {response.status}",
                          "deleting an entity must answer 204 No Content")]
        _created(probe).discard(entity["id"])
        check = probe.send("GET", _entity_path(entity["id"]), accept="application/json")
    if check.status != 404:
        return [Issue(probe.focus(check.url), f"HTTP {check.status}", "a deleted entity must be gone (404)")]
    return []


def cleanup(probe: Probe) -> None:
    """Delete every probe entity still there: runs after the family's tests, even when one failed or was stopped."""
    delete_each(probe, _created(probe), _entity_path)


def delete_each(probe: Probe, registered: set[str], path_of: Callable[[str], str]) -> None:
    """DELETE each registered resource, striking it off as it goes; one that cannot be deleted is not retried."""
    for ident in sorted(registered):
        try:
            probe.send("DELETE", path_of(ident))
        except Broken:
            pass
        registered.discard(ident)


@contextmanager
def interrupt_guard(probe: Probe) -> Iterator[None]:
    """During a write, SIGTERM behaves like Ctrl-C, so the run unwinds through clean-up instead of dying mid-way."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    except KeyboardInterrupt:
        cleanup(probe)
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)


TESTS: dict[str, Test] = {
    "query_entities": query_entities, "query_by_type": query_by_type, "query_by_q": query_by_q,
    "query_attrs": query_attrs, "query_by_id": query_by_id, "query_by_id_pattern": query_by_id_pattern,
    "query_count": query_count, "query_near": query_near,
    "retrieve_entity": retrieve_entity, "entity_structure": entity_structure,
    "not_found": not_found, "problem_details": problem_details, "accept_json": accept_json,
    "link_header": link_header, "accept_ld_json": accept_ld_json, "not_acceptable": not_acceptable,
    "core_context": core_context, "context_link_accepted": context_link_accepted,
    "create_entity": create_entity, "create_duplicate": create_duplicate, "update_attributes": update_attributes,
    "delete_entity": delete_entity,
}
