"""OGC SensorThings API 1.1 (OGC 18-088): the read tests of the core classes, conformance read from serverSettings."""
from __future__ import annotations

import re

from typing import Any, Callable, Mapping

from ldt_conform.checks.api.probe import Broken, Issue, Probe, Skip, and_more
from ldt_conform.model import Why
from datetime import UTC

STA = "http://www.opengis.net/spec/iot_sensing/1.1/req/"
Test = Callable[[Probe, Mapping[str, Any]], list[Issue]]
ENTITY_SETS = ("Things", "Locations", "HistoricalLocations", "Datastreams", "Sensors", "ObservedProperties",
               "Observations", "FeaturesOfInterest")
# 18-088 §8.2: the properties every entity of a type must carry, and the navigation links it must offer.
MANDATORY = {
    "Things": ("name", "description"),
    "Locations": ("name", "description", "encodingType", "location"),
    "HistoricalLocations": ("time",),
    "Datastreams": ("name", "description", "unitOfMeasurement", "observationType"),
    "Sensors": ("name", "description", "encodingType", "metadata"),
    "ObservedProperties": ("name", "definition", "description"),
    "Observations": ("phenomenonTime", "result", "resultTime"),
    "FeaturesOfInterest": ("name", "description", "encodingType", "feature"),
}
NAVIGATION = {
    "Things": ("Locations", "HistoricalLocations", "Datastreams"),
    "Locations": ("Things", "HistoricalLocations"),
    "HistoricalLocations": ("Thing", "Locations"),
    "Datastreams": ("Thing", "Sensor", "ObservedProperty", "Observations"),
    "Sensors": ("Datastreams",),
    "ObservedProperties": ("Datastreams",),
    "Observations": ("Datastream", "FeatureOfInterest"),
    "FeaturesOfInterest": ("Observations",),
}
SAMPLE = 3

# Classes the server declares and no rule tests are listed under this rule ("declared, not tested").
CONFORMANCE_RULE = "STA-002"
CONFORMANCE_PATH = "/"

def normalise(uri: str) -> str:
    """18-088 names the class both …/req/resource-path and …/req/resource-path/resource-path-to-entities."""
    uri = uri.strip().rstrip("/").replace("https://", "http://")
    return uri[:-len("/resource-path-to-entities")] if uri.endswith("/resource-path/resource-path-to-entities") else uri


def root(probe: Probe) -> tuple[Any, dict[str, Any]]:
    def fetch() -> tuple[Any, dict[str, Any]]:
        response, document = probe.json("")
        if not isinstance(document, dict) or not isinstance(document.get("value"), list):
            raise Broken(Issue(probe.focus(response.url), "no value array",
                               "the service root must be an object with a value array of entity sets"))
        return response, document
    return probe.memo("sta-root", fetch)


def declared(probe: Probe) -> set[str]:
    _response, document = root(probe)
    settings = document.get("serverSettings")
    classes = settings.get("conformance") if isinstance(settings, dict) else None
    if not isinstance(classes, list):
        raise Skip("the service root has no serverSettings.conformance (a SensorThings 1.0 server?)")
    return {normalise(str(c)) for c in classes}


def _set_url(probe: Probe, name: str) -> str:
    _, document = root(probe)
    for entry in document["value"]:
        if isinstance(entry, dict) and entry.get("name") == name and isinstance(entry.get("url"), str):
            return str(entry["url"])
    return probe.url(f"/{name}")


def _entities(probe: Probe, name: str) -> tuple[Any, list[dict[str, Any]]]:
    response, document = probe.json(_set_url(probe, name), params={"$top": SAMPLE})
    if not isinstance(document, dict) or not isinstance(document.get("value"), list):
        raise Broken(Issue(probe.focus(response.url), "no value array",
                           f"{name} must answer with an object holding a value array"))
    return response, [e for e in document["value"] if isinstance(e, dict)]


def _first(probe: Probe, name: str = "Things") -> dict[str, Any]:
    _, entities = _entities(probe, name)
    if not entities:
        raise Skip(f"the service holds no {name} to test")
    return entities[0]


def service_root(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, document = root(probe)
    names = {e.get("name") for e in document["value"] if isinstance(e, dict)}
    missing = [n for n in ENTITY_SETS if n not in names]
    if missing:
        return [Issue(probe.focus(response.url), ", ".join(missing), "the service root must list every entity set "
                                                                      "with its name and url")]
    return []


def server_settings(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, document = root(probe)
    settings = document.get("serverSettings")
    classes = settings.get("conformance") if isinstance(settings, dict) else None
    if not isinstance(classes, list) or not all(isinstance(c, str) for c in classes):
        return [Issue(probe.focus(response.url), "serverSettings.conformance missing",
                      "SensorThings 1.1 servers list their conformance classes in serverSettings.conformance")]
    if not any(normalise(c).startswith(STA) for c in classes):
        return [Issue(probe.focus(response.url), "no SensorThings 1.1 class",
                      f"declare the classes you implement, e.g. {STA}datamodel")]
    return []


def entity_sets(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    issues = []
    for name in ENTITY_SETS:
        try:
            _entities(probe, name)
        except Broken as exc:
            issues.append(exc.issue)
    return issues


def control_information(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    issues = []
    for name in ENTITY_SETS:
        response, entities = _entities(probe, name)
        for entity in entities:
            missing = [k for k in ("@iot.id", "@iot.selfLink") if k not in entity]
            if missing:
                issues.append(Issue(probe.focus(response.url), f"{name}: {', '.join(missing)}",
                                    "every entity needs @iot.id and @iot.selfLink"))
                break
    return issues


def mandatory_properties(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    issues = []
    for name, keys in MANDATORY.items():
        response, entities = _entities(probe, name)
        for entity in entities:
            missing = [k for k in keys if k not in entity]
            if missing:
                issues.append(Issue(probe.focus(response.url), f"{name}({entity.get('@iot.id')}): "
                                                               f"{', '.join(missing)}",
                                    f"a {name} entity must have {', '.join(keys)}"))
                break
    return issues


def navigation_links(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    issues = []
    for name, relations in NAVIGATION.items():
        response, entities = _entities(probe, name)
        for entity in entities[:1]:
            missing = [r for r in relations if f"{r}@iot.navigationLink" not in entity]
            if missing:
                issues.append(Issue(probe.focus(response.url), f"{name}: {', '.join(missing)}",
                                    "each entity must link its related entities with <Relation>@iot.navigationLink"))
    return issues


def read_entity(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    thing = _first(probe)
    response, entity = probe.json(str(thing.get("@iot.selfLink") or ""))
    if not isinstance(entity, dict) or entity.get("@iot.id") != thing.get("@iot.id"):
        return [Issue(probe.focus(response.url),
                      str(entity.get("@iot.id") if isinstance(entity, dict) else entity)[:80],
                      "the selfLink of an entity must return that entity")]
    return []


def read_property(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    thing = _first(probe)
    response, value = probe.json(str(thing.get("@iot.selfLink")) + "/name")
    if value != {"name": thing.get("name")}:
        return [Issue(probe.focus(response.url), str(value)[:80],
                      "addressing a property must return a JSON object holding only that property")]
    return []


def read_property_value(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    thing = _first(probe)
    response = probe.get(str(thing.get("@iot.selfLink")) + "/name/$value")
    text = response.body.decode("utf-8", "replace")
    if response.status != 200 or text != str(thing.get("name")):
        return [Issue(probe.focus(response.url), f"HTTP {response.status}: {text[:60]}",
                      "…/name/$value must return the raw value of the property")]
    return []


def navigate(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    thing = _first(probe)
    link = thing.get("Datastreams@iot.navigationLink")
    if not isinstance(link, str):
        raise Skip("the first Thing has no Datastreams navigation link", Why.PREREQUISITE_FAILED)
    response, document = probe.json(link)
    if not isinstance(document, dict) or not isinstance(document.get("value"), list):
        return [Issue(probe.focus(response.url), "no value array",
                      "a navigation link to an entity set must return a value array")]
    return []


def not_found(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    thing = _first(probe)
    ident = thing.get("@iot.id")
    # The missing key is written as the server writes its own keys in @iot.selfLink (quoted or not: OData writes
    # strings quoted and GUIDs bare, servers differ), so a 4xx is about the entity, not the key syntax.
    written = re.search(r"\(([^()]*)\)$", str(thing.get("@iot.selfLink") or ""))
    quoted = written.group(1).startswith("'") if written else isinstance(ident, str)
    if isinstance(ident, str):
        missing = "00000000-0000-0000-0000-000000000000" if _uuid_like(ident) else "ldt-conform-missing"
        missing = f"'{missing}'" if quoted else missing
    else:
        missing = "999999999"
    response = probe.get(_set_url(probe, "Things") + f"({missing})", accept="application/json")
    if response.status != 404:
        return [Issue(probe.focus(response.url), f"HTTP {response.status}",
                      "reading an entity that does not exist must answer 404")]
    return []


# The query probes choose their queries from the server's own data: the Observations (or Things) read first, a value
# an entity really has. A result proves the query was applied only when every entity returned satisfies it and an
# entity known to satisfy it is returned (checked when the result is whole: no @iot.nextLink); where the data cannot
# show that (fewer than two values to tell apart, no related entity to embed), the rule is not verified, never a pass.
DATA = 50  # the Observations read to choose filter and order values from
PAGES = 10  # the pages of one set followed through @iot.nextLink to count it whole


def _read(probe: Probe, name: str, params: Mapping[str, Any]) -> tuple[str, dict[str, Any], list[dict[str, Any]]]:
    """GET an entity set with these query options: the request as findings name it, the document, its entities."""
    response, document = probe.json(_set_url(probe, name), params=params)
    return _page(probe, response, document, name)


def _page(probe: Probe, response: Any, document: Any, name: str) -> tuple[str, dict[str, Any], list[dict[str, Any]]]:
    focus = probe.focus(response.url)
    if not isinstance(document, dict) or not isinstance(document.get("value"), list):
        raise Broken(Issue(focus, "no value array", f"{name} must answer with an object holding a value array"))
    return focus, document, [e for e in document["value"] if isinstance(e, dict)]


def _whole(document: dict[str, Any]) -> bool:
    return not isinstance(document.get("@iot.nextLink"), str)


def _label(name: str, entity: dict[str, Any]) -> str:
    return f"{name}({entity.get('@iot.id')})"


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def query_top(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """/req/request-data/top: the service returns the available entities up to but not more than $top, so $top=1 on
    a set known to hold two or more Observations returns exactly one."""
    _, known = _entities(probe, "Observations")
    if len(known) < 2:
        raise Skip(f"fewer than two Observations ({len(known)}): $top=1 cannot be seen to cut the set")
    focus, _, found = _read(probe, "Observations", {"$top": 1})
    if len(found) > 1:
        return [Issue(focus, f"{len(found)} entities", "$top=1 allows one entity")]
    if not found:
        return [Issue(focus, "0 entities", f"$top=1 must return one entity: the set holds {len(known)} or more")]
    return []


def _walk(probe: Probe, name: str) -> tuple[int, bool]:
    """The entities of a set, read page by page through @iot.nextLink (at most PAGES pages): (how many, whole)."""
    focus, document, found = _read(probe, name, {})
    reached, seen = len(found), {focus}
    for _ in range(PAGES - 1):
        if _whole(document):
            return reached, True
        response, document = probe.json(str(document["@iot.nextLink"]))
        focus, document, found = _page(probe, response, document, name)
        if focus in seen:
            break
        seen.add(focus)
        reached += len(found)
    return reached, _whole(document)


def query_count(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """/req/request-data/count: $count=true adds @iot.count, the number of entities of the whole set whatever page
    $top asks for; the Things are then read whole (following @iot.nextLink) and counted."""
    focus, document, _ = _read(probe, "Things", {"$count": "true", "$top": 1})
    count = document.get("@iot.count")
    if not isinstance(count, int) or isinstance(count, bool):
        return [Issue(focus, "@iot.count missing", "$count=true must add @iot.count")]
    reached, whole = _walk(probe, "Things")
    if count != reached and (whole or count < reached):
        return [Issue(focus, f"@iot.count {count}, {reached} {'' if whole else 'or more '}Things",
                      "@iot.count must be the number of entities in the whole set, not in one page")]
    if not whole:
        raise Skip(f"{reached} Things read in {PAGES} pages, @iot.count {count}: the set was not read whole, so the "
                   f"count is not verified", Why.PREREQUISITE_FAILED)
    return []


def query_select(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """/req/request-data/select: $select=name returns each Thing with its name and no other property, and the names
    of the Things read before are all returned when the result is whole."""
    _, known = _entities(probe, "Things")
    names = sorted({t["name"] for t in known if isinstance(t.get("name"), str)})
    if not names:
        raise Skip("the service holds no Thing with a name to select")
    focus, document, found = _read(probe, "Things", {"$select": "name"})
    for entity in found:
        extra = [k for k in entity if not k.startswith("@iot.") and k != "name"]
        if extra:
            return [Issue(focus, ", ".join(extra[:4]), "$select=name must return only the name property")]
    lacking = [e for e in found if "name" not in e]
    if lacking:
        return [Issue(focus, f"{len(lacking)} of {len(found)} Things without name",
                      "$select=name must return the name of each Thing")]
    missing = [n for n in names if n not in {e.get("name") for e in found}]
    if missing and _whole(document):
        return [Issue(focus, f"name {missing[0]!r} missing",
                      f"$select=name must return every Thing, so the names read before ({', '.join(names)[:80]})")]
    return []


def next_link(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """/req/request-data/pagination: a page cut by $top=1 from a set known (read before, or by @iot.count) to hold
    more gives @iot.nextLink, and that link leads to the next entities, not to this page again."""
    _, known = _entities(probe, "Observations")
    focus, document, found = _read(probe, "Observations", {"$top": 1, "$count": "true"})
    count = document.get("@iot.count")
    size = max(len(known), count if isinstance(count, int) and not isinstance(count, bool) else 0)
    if size < 2:
        raise Skip(f"fewer than two Observations ({size}): $top=1 cuts nothing, so there is no next page")
    if len(found) >= size:
        raise Skip(f"{focus} returned {len(found)} Observations, all the set is known to hold: no partial page "
                   f"to follow (see STA-012)")
    if not found:
        raise Skip(f"{focus} answered an empty page: no entity to tell the next page from this one (see STA-012)",
                   Why.PREREQUISITE_FAILED)
    link = document.get("@iot.nextLink")
    if not isinstance(link, str):
        return [Issue(focus, f"{len(found)} of {size} returned", "a partial result must give @iot.nextLink to the "
                                                                  "next page")]
    response, following = probe.json(link)
    focus, _, after = _page(probe, response, following, "Observations")
    first = {e.get("@iot.id") for e in found}
    again = [e for e in after if e.get("@iot.id") in first]
    if again or not after:
        return [Issue(focus, f"{_label('Observations', again[0])} again" if again else "0 entities",
                      "@iot.nextLink must lead to the next entities of the set, not repeat the page it ends")]
    return []


def _time(value: Any) -> str | None:
    """The start of a phenomenonTime (an instant, or an ISO 8601 interval start/end), normalised for comparison."""
    if not isinstance(value, str) or not value:
        return None
    start = value.split("/", 1)[0]
    from datetime import datetime

    try:
        parsed = datetime.fromisoformat(start.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


def _result(entity: dict[str, Any]) -> Any:
    value = entity.get("result")
    return value if _number(value) else None


def _observations(probe: Probe) -> list[dict[str, Any]]:
    """Observations as the server holds them: the data the order and filter probes choose their values from."""
    return _read(probe, "Observations", {"$top": DATA})[2]


# (property, its comparable value in an Observation, the words of the two directions, how many values a finding shows)
ORDERS: tuple[tuple[str, Callable[[dict[str, Any]], Any], tuple[str, str], int], ...] = (
    ("result", _result, ("largest", "smallest"), 6),
    ("phenomenonTime", lambda e: _time(e.get("phenomenonTime")), ("latest", "earliest"), 4))


def query_orderby(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """18-088 /req/request-data/orderby: by result and by phenomenonTime (the time ordering dashboards rely on), each
    both ways, so that a server answering in its own order fails one of them; the first entity must hold the extreme
    value of the Observations read before."""
    observations = _observations(probe)
    issues, untested = [], []
    for key, value_of, words, shown in ORDERS:
        known = sorted({v for v in map(value_of, observations) if v is not None})
        if len(known) < 2:
            untested.append(f"$orderby={key}: fewer than two distinct values of {key} among the Observations")
            continue
        for direction, word, extreme in (("desc", words[0], known[-1]), ("asc", words[1], known[0])):
            focus, _, found = _read(probe, "Observations", {"$orderby": f"{key} {direction}", "$top": 20})
            values = [v for v in map(value_of, found) if v is not None]
            wanted = sorted(values, reverse=direction == "desc")
            beyond = bool(values) and (values[0] < extreme if direction == "desc" else values[0] > extreme)
            if values != wanted or not values or beyond:
                issues.append(Issue(focus, str(values[:shown]), f"$orderby={key} {direction} must sort by {key}, "
                                                                f"{word} first"))
    if len(untested) == len(ORDERS):
        raise Skip("; ".join(untested))
    probe.untested.extend(untested)
    return issues


def query_filter(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """18-088 /req/request-data/filter: a comparison on result, one on phenomenonTime, and one geospatial function.
    Each returns only entities that match and, when the result is whole, every Observation read before that matches."""
    observations = _observations(probe)
    issues: list[Issue] = []
    untested: list[str] = []
    values = sorted({e["result"] for e in observations if _result(e) is not None})
    if len(values) >= 2:
        threshold = values[0]
        focus, document, filtered = _read(probe, "Observations",
                                          {"$filter": f"result gt {threshold:g}", "$top": DATA})
        got = [e.get("result") for e in filtered]
        if not got or any(not _number(v) or v <= threshold for v in got):
            issues.append(Issue(focus, str(got[:6]), f"$filter=result gt {threshold:g} must return only (and some) "
                                                     f"results above {threshold:g}"))
        else:
            issues += _missing(focus, document, filtered, [e for e in observations if _number(e.get("result"))
                                                           and e["result"] > threshold], f"result above {threshold:g}")
    else:
        untested.append("$filter on result: fewer than two distinct numeric results among the Observations")
    raw = sorted({(str(e["phenomenonTime"]).split("/", 1)[0], _time(e.get("phenomenonTime"))) for e in observations
                  if _time(e.get("phenomenonTime"))}, key=lambda pair: pair[1] or "")
    if len(raw) >= 2:
        text, moment = raw[0]
        focus, document, filtered = _read(probe, "Observations",
                                          {"$filter": f"phenomenonTime gt {text}", "$top": DATA})
        times = [_time(e.get("phenomenonTime")) for e in filtered]
        if not times or any(t is None or t <= str(moment) for t in times):
            issues.append(Issue(focus, str(times[:4]),
                                f"$filter=phenomenonTime gt {text} must return only (and some) later observations"))
        else:
            issues += _missing(focus, document, filtered, [e for e in observations if (
                _time(e.get("phenomenonTime")) or "") > str(moment)], f"phenomenonTime after {text}")
    else:
        untested.append("$filter on phenomenonTime: fewer than two distinct phenomenonTimes among the Observations")
    geo = _geo_filter(probe)
    if geo is None:
        untested.append("geo.intersects: no Location with a Point")
    else:
        issues += geo
    if len(untested) == 3:
        raise Skip("; ".join(untested))
    probe.untested.extend(untested)
    return issues


def _missing(focus: str, document: dict[str, Any], found: list[dict[str, Any]], matching: list[dict[str, Any]],
             what: str) -> list[Issue]:
    """The Observations read before that match the filter and a whole filtered result left out (one finding)."""
    if not _whole(document):
        return []
    returned = {e.get("@iot.id") for e in found}
    left = [e for e in matching if e.get("@iot.id") not in returned]
    if not left:
        return []
    return [Issue(focus, f"{_label('Observations', left[0])} missing{and_more(len(left))}",
                  f"the filter must return every Observation with a {what}, as read before")]


def _geo_filter(probe: Probe) -> list[Issue] | None:
    """geo.intersects on Locations: a small polygon around one location selects it and only locations inside; None
    when no Location has a Point to draw the polygon around."""
    points = [(e, at) for e in _read(probe, "Locations", {"$top": 50})[2] if isinstance(e.get("location"), dict)
              and e["location"].get("type") == "Point" and (at := _position(e)) is not None]
    if not points:
        return None
    first, (x, y) = points[0]
    d = 1e-4
    corners = [f"{v:.6f}".rstrip("0").rstrip(".") for v in (x - d, y - d, x + d, y + d)]
    low_x, low_y, high_x, high_y = corners
    ring = f"{low_x} {low_y}, {high_x} {low_y}, {high_x} {high_y}, {low_x} {high_y}, {low_x} {low_y}"
    expression = f"geo.intersects(location, geography'POLYGON(({ring}))')"
    focus, _, found = _read(probe, "Locations", {"$filter": expression, "$top": 50})
    # Inside means inside the polygon as written in the request (its edge included: intersects), not within d of
    # the centre, which float rounding moves by a few ulps at the edge.
    west, south, east, north = map(float, corners)
    placed = [(e.get("@iot.id"), at) for e in found if (at := _position(e)) is not None]
    outside = [ident for ident, (ax, ay) in placed if not (west <= ax <= east and south <= ay <= north)]
    unread = [e.get("@iot.id") for e in found if _position(e) is None]
    if unread:
        # returned, but with no GeoJSON position to hold against the polygon: neither inside nor outside
        probe.untested.append(f"geo.intersects returned Locations({unread[0]}){and_more(len(unread))} without a "
                              "GeoJSON position to check against the polygon")
    if first.get("@iot.id") not in {e.get("@iot.id") for e in found} or outside:
        where = f", location {outside[0]} outside" if outside else ""
        return [Issue(focus, f"{len(found)} locations" + where,
                      f"geo.intersects with a polygon around location {first.get('@iot.id')} must return it, and "
                      "only locations inside the polygon")]
    return []


def _position(entity: dict[str, Any]) -> tuple[float, float] | None:
    """The x and y of a Location's GeoJSON Point (None when it has none, or not as two numbers)."""
    location = entity.get("location")
    coordinates = location.get("coordinates") if isinstance(location, dict) else None
    if isinstance(coordinates, list) and len(coordinates) >= 2 and all(map(_number, coordinates[:2])):
        return float(coordinates[0]), float(coordinates[1])
    return None


def query_expand(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """/req/request-data/expand: Things?$expand=Datastreams embeds in the Thing the Datastreams its navigation link
    lists (all of them when both are whole)."""
    # No $top: a server that gets $top wrong (STA-012) must not hide the Things from this rule.
    focus, _, things = _read(probe, "Things", {"$expand": "Datastreams"})
    if not things:
        raise Skip("the service holds no Things to expand")
    thing = things[0]
    embedded = thing.get("Datastreams")
    if not isinstance(embedded, list):
        return [Issue(focus, "no Datastreams array",
                      "$expand=Datastreams must embed the related Datastreams in each Thing")]
    link = thing.get("Datastreams@iot.navigationLink")
    if not isinstance(link, str):
        self_link = thing.get("@iot.selfLink")
        if not isinstance(self_link, str):
            raise Skip(f"{focus}: the Thing has no Datastreams navigation link nor selfLink to read its Datastreams "
                       "from, so the embedded ones are not verified", Why.PREREQUISITE_FAILED)
        link = self_link + "/Datastreams"
    try:
        _, listing, linked = _page(probe, *probe.json(link), "Datastreams")
    except Broken as exc:
        raise Skip(f"the Datastreams of {_label('Things', thing)} could not be read ({exc.issue.focus}: "
                   f"{exc.issue.value}, see STA-010), so the embedded ones are not verified",
                   Why.PREREQUISITE_FAILED) from None
    if not linked:
        raise Skip(f"{_label('Things', thing)} has no Datastreams: an empty embedded array proves nothing")
    if not _whole(listing) or isinstance(thing.get("Datastreams@iot.nextLink"), str):
        return [] if embedded else [Issue(focus, f"0 of {len(linked)} or more Datastreams",
                                          "$expand=Datastreams must embed the related Datastreams in each Thing")]
    ids = {e.get("@iot.id") for e in embedded if isinstance(e, dict)}
    left = [e for e in linked if e.get("@iot.id") not in ids]
    other = sorted(ids - {e.get("@iot.id") for e in linked}, key=str)
    if left or other:
        value = (f"{_label('Datastreams', left[0])} missing" if left else f"Datastreams({other[0]}) embedded"
                 ) + and_more(len(left) + len(other))
        return [Issue(focus, value, f"$expand=Datastreams must embed the Datastreams of {_label('Things', thing)}, "
                                    "those its navigation link lists")]
    return []


def _uuid_like(value: str) -> bool:
    return len(value) == 36 and value.count("-") == 4


TESTS: dict[str, Test] = {
    "service_root": service_root, "server_settings": server_settings, "entity_sets": entity_sets,
    "control_information": control_information, "mandatory_properties": mandatory_properties,
    "navigation_links": navigation_links, "read_entity": read_entity, "read_property": read_property,
    "read_property_value": read_property_value, "navigate": navigate, "not_found": not_found,
    "query_top": query_top, "query_count": query_count, "query_select": query_select, "next_link": next_link,
    "query_orderby": query_orderby, "query_filter": query_filter, "query_expand": query_expand,
}
