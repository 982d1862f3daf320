"""OGC SensorThings API 1.1 (OGC 18-088): the read tests of the core classes, conformance read from serverSettings."""
from __future__ import annotations

import re

from typing import Any, Callable, Mapping

from ldt_conform.checks.api.probe import Broken, Issue, Probe, Skip
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
        response, document = probe.json("", accept="application/json")
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
    response, entity = probe.json(str(thing.get("@iot.selfLink") or ""), accept="application/json")
    if not isinstance(entity, dict) or entity.get("@iot.id") != thing.get("@iot.id"):
        return [Issue(probe.focus(response.url), str(entity.get("@iot.id") if isinstance(entity, dict) else entity),
                      "the selfLink of an entity must return that entity")]
    return []


def read_property(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    thing = _first(probe)
    response, value = probe.json(str(thing.get("@iot.selfLink")) + "/name", accept="application/json")
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
        raise Skip("the first Thing has no Datastreams navigation link")
    response, document = probe.json(link, accept="application/json")
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


def query_top(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, document = probe.json(_set_url(probe, "Observations"), params={"$top": 1})
    if len(document.get("value") or []) > 1:
        return [Issue(probe.focus(response.url), f"{len(document['value'])} entities", "$top=1 allows one entity")]
    return []


def query_count(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, document = probe.json(_set_url(probe, "Observations"), params={"$count": "true"})
    if not isinstance(document.get("@iot.count"), int):
        return [Issue(probe.focus(response.url), "@iot.count missing", "$count=true must add @iot.count")]
    return []


def query_select(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, document = probe.json(_set_url(probe, "Things"), params={"$select": "name"})
    for entity in document.get("value") or []:
        extra = [k for k in entity if not k.startswith("@iot.") and k != "name"]
        if extra:
            return [Issue(probe.focus(response.url), ", ".join(extra[:4]),
                          "$select=name must return only the name property")]
    return []


def next_link(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, document = probe.json(_set_url(probe, "Observations"), params={"$top": 1, "$count": "true"})
    count = document.get("@iot.count")
    if isinstance(count, int) and count > 1 and not isinstance(document.get("@iot.nextLink"), str):
        return [Issue(probe.focus(response.url), f"1 of {count} returned",
                      "a partial result must give @iot.nextLink to the next page")]
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


def query_orderby(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """18-088 /req/request-data/orderby: by result and by phenomenonTime (the time ordering dashboards rely on)."""
    issues = []
    response, document = probe.json(_set_url(probe, "Observations"), params={"$orderby": "result desc", "$top": 20})
    results = [e.get("result") for e in document.get("value") or [] if isinstance(e.get("result"), (int, float))]
    if results != sorted(results, reverse=True):
        issues.append(Issue(probe.focus(response.url), str(results[:6]), "$orderby=result desc must sort by result, "
                                                                         "largest first"))
    response, document = probe.json(_set_url(probe, "Observations"),
                                    params={"$orderby": "phenomenonTime desc", "$top": 20})
    times = [t for t in (_time(e.get("phenomenonTime")) for e in document.get("value") or []) if t]
    if times != sorted(times, reverse=True):
        issues.append(Issue(probe.focus(response.url), str(times[:4]),
                            "$orderby=phenomenonTime desc must sort by phenomenonTime, latest first"))
    return issues


def query_filter(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """18-088 /req/request-data/filter: a comparison on result, one on phenomenonTime, and one geospatial function."""
    _, document = probe.json(_set_url(probe, "Observations"), params={"$top": 50})
    observations = [e for e in document.get("value") or [] if isinstance(e, dict)]
    values = sorted({e["result"] for e in observations if isinstance(e.get("result"), (int, float))
                     and not isinstance(e.get("result"), bool)})
    if len(values) < 2:
        raise Skip("fewer than two distinct numeric Observation results to filter on")
    threshold = values[0]
    issues = []
    response, filtered = probe.json(_set_url(probe, "Observations"),
                                    params={"$filter": f"result gt {threshold:g}", "$top": 50})
    got = [e.get("result") for e in filtered.get("value") or []]
    if not got or any(not isinstance(v, (int, float)) or v <= threshold for v in got):
        issues.append(Issue(probe.focus(response.url), str(got[:6]), f"$filter=result gt {threshold:g} must return "
                                                                     f"only (and some) results above {threshold:g}"))
    raw = sorted({(str(e["phenomenonTime"]).split("/", 1)[0], _time(e.get("phenomenonTime"))) for e in observations
                  if _time(e.get("phenomenonTime"))}, key=lambda pair: pair[1] or "")
    if len(raw) >= 2:
        text, moment = raw[0]
        response, filtered = probe.json(_set_url(probe, "Observations"),
                                        params={"$filter": f"phenomenonTime gt {text}", "$top": 50})
        times = [_time(e.get("phenomenonTime")) for e in filtered.get("value") or []]
        if not times or any(t is None or t <= str(moment) for t in times):
            issues.append(Issue(probe.focus(response.url), str(times[:4]),
                                f"$filter=phenomenonTime gt {text} must return only (and some) later observations"))
    issues += _geo_filter(probe)
    return issues


def _geo_filter(probe: Probe) -> list[Issue]:
    """geo.intersects on Locations: a small polygon around one location selects it and only locations inside."""
    _, document = probe.json(_set_url(probe, "Locations"), params={"$top": 50})
    points = [e for e in document.get("value") or [] if isinstance(e, dict) and isinstance(e.get("location"), dict)
              and e["location"].get("type") == "Point" and isinstance(e["location"].get("coordinates"), list)]
    if not points:
        return []
    x, y = points[0]["location"]["coordinates"][:2]
    d = 1e-4
    low_x, low_y, high_x, high_y = (f"{v:.6f}".rstrip("0").rstrip(".") for v in (x - d, y - d, x + d, y + d))
    ring = f"{low_x} {low_y}, {high_x} {low_y}, {high_x} {high_y}, {low_x} {high_y}, {low_x} {low_y}"
    expression = f"geo.intersects(location, geography'POLYGON(({ring}))')"
    response, filtered = probe.json(_set_url(probe, "Locations"), params={"$filter": expression, "$top": 50})
    found = [e for e in filtered.get("value") or [] if isinstance(e, dict)]
    outside = [e.get("@iot.id") for e in found if not (
        isinstance((e.get("location") or {}).get("coordinates"), list)
        and abs(e["location"]["coordinates"][0] - x) <= d and abs(e["location"]["coordinates"][1] - y) <= d)]
    if not found or outside:
        where = f", location {outside[0]} outside" if outside else ""
        return [Issue(probe.focus(response.url), f"{len(found)} locations" + where,
                      "geo.intersects with a polygon around one location must return it, and only locations "
                      "inside the polygon")]
    return []


def query_expand(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, document = probe.json(_set_url(probe, "Things"), params={"$expand": "Datastreams", "$top": 1})
    things = [e for e in document.get("value") or [] if isinstance(e, dict)]
    if not things:
        raise Skip("the service holds no Things to expand")
    if not isinstance(things[0].get("Datastreams"), list):
        return [Issue(probe.focus(response.url), "no Datastreams array",
                      "$expand=Datastreams must embed the related Datastreams in each Thing")]
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
