"""OGC API Features Part 2 (CRS by reference, 18-058r1) and Part 3 (Filtering, 19-079r2; CQL2 text), when declared."""
from __future__ import annotations

from typing import Any, Mapping

from ldt_conform.checks.api import ogc_common as oc
from ldt_conform.checks.api import ogc_data
from ldt_conform.checks.api.probe import Issue, Probe, Skip, and_more, find_link

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
NO_SUCH_CRS = "http://www.opengis.net/def/crs/EPSG/0/999999"


def _collections(probe: Probe) -> list[dict[str, Any]]:
    return ogc_data.collections(probe)


# -- Part 2 ------------------------------------------------------------------------------------------------------
def crs(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """/req/crs/fc-md-crs-list (each collection lists its crs), /req/crs/fc-crs-valid-value (a crs it does not list is
    a 400), /req/crs/ogc-crs-header (Content-Crs names the CRS of the response)."""
    _, listing = oc.collections(probe)

    def check(entry: dict[str, Any]) -> list[Issue]:
        response, collection = probe.json(oc.collection_url(probe, entry), accept=oc.JSON)
        focus = probe.focus(response.url)
        listed = collection.get("crs") if isinstance(collection, dict) else None
        if listed is None:
            listed = listing.get("crs")  # "#/crs" points to the global list of /collections
        if not isinstance(listed, list) or not listed or not all(isinstance(c, str) for c in listed):
            return [Issue(focus, "crs missing", "each collection must list the CRSs it supports in crs")]
        if "#/crs" in listed:
            listed = [c for c in listed if c != "#/crs"] + [c for c in listing.get("crs") or []
                                                             if isinstance(c, str)]
        wanted = next((c for c in listed if c.rstrip("/") != CRS84), listed[0])
        url = oc.items_url(probe, entry).split("?")[0]
        issues = []
        answer = probe.get(url, accept=oc.ITEMS_ACCEPT, params={"crs": wanted, "limit": 1})
        header = answer.headers.get("content-crs", "")
        if answer.status != 200:
            issues.append(Issue(probe.focus(answer.url), f"HTTP {answer.status}",
                                f"a crs the collection lists ({wanted}) must be served"))
        elif header.strip().strip("<>") != wanted:
            issues.append(Issue(probe.focus(answer.url), f"Content-Crs: {header or 'missing'}",
                                f"the Content-Crs header must name the CRS of the response, <{wanted}>"))
        bad = probe.get(url, accept=oc.ITEMS_ACCEPT, params={"crs": NO_SUCH_CRS, "limit": 1})
        if bad.status != 400:
            issues.append(Issue(probe.focus(bad.url), f"HTTP {bad.status}",
                                "a crs the collection does not list must be answered with 400"))
        return issues
    return oc.each_collection(probe, _collections(probe), check)


# -- Part 3 ------------------------------------------------------------------------------------------------------
def _queryables(probe: Probe, entry: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    def fetch() -> tuple[Any, dict[str, Any]]:
        link = find_link(entry, "http://www.opengis.net/def/rel/ogc/1.0/queryables", "queryables")
        url = probe.resolve(str(link["href"]), probe.url("/collections/")) if link else probe.url(
            f"/collections/{entry['id']}/queryables")
        return probe.json(url, accept="application/schema+json, application/json;q=0.9")
    return probe.memo(f"queryables:{entry['id']}", fetch)


def queryables(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """/req/queryables/get-queryables-op and -response: GET …/queryables answers a JSON Schema of an object whose
    properties are the queryables."""
    def check(entry: dict[str, Any]) -> list[Issue]:
        response, schema = _queryables(probe, entry)
        if not isinstance(schema, dict) or schema.get("type") != "object" or not isinstance(
                schema.get("properties"), dict):
            return [Issue(probe.focus(response.url), str(schema)[:80] if not isinstance(schema, dict) else
                          f"type={schema.get('type')}, properties={type(schema.get('properties')).__name__}",
                          "the queryables must be a JSON Schema with type \"object\" and a properties object")]
        return []
    return oc.each_collection(probe, _collections(probe), check)


def cql2_equality(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """/req/filter/filter-param, /req/filter/response: filter=<queryable>='<value>' (CQL2 text) selects exactly the
    features whose property equals the value; the value is taken from a feature of the collection."""
    def check(entry: dict[str, Any]) -> list[Issue]:
        _, schema = _queryables(probe, entry)
        names = list((schema.get("properties") or {}) if isinstance(schema, dict) else {})
        whole = ogc_data.unfiltered(probe, entry)
        pick = next(((name, f) for f in whole.features if isinstance(f, dict) for name in names
                     if isinstance((f.get("properties") or {}).get(name), str)
                     and "'" not in f["properties"][name]), None)
        if pick is None:
            raise Skip(f"no string queryable of collection {entry['id']} has a value in its features")
        name, source = pick
        value = source["properties"][name]
        expression = f"{name}='{value}'"
        url = oc.items_url(probe, entry).split("?")[0]
        found = oc.walk(probe, url, params={"filter": expression, "filter-lang": "cql2-text", "limit": 100},
                        max_pages=2)
        focus = probe.focus(found.pages[0][0].url)
        wrong = [f for f in found.features if not isinstance(f, dict) or (f.get("properties") or {}).get(name)
                 != value]
        issues = []
        if wrong:
            issues.append(Issue(focus, f"feature {ogc_data._id(wrong[0])}{and_more(len(wrong))}",
                                f"filter={expression} must select only features whose {name} equals '{value}'"))
        if ogc_data._id(source) not in {ogc_data._id(f) for f in found.features} and found.stopped is None:
            issues.append(Issue(focus, f"feature {ogc_data._id(source)} missing",
                                f"filter={expression} must select feature {ogc_data._id(source)}, whose {name} is "
                                f"'{value}'"))
        return issues
    return oc.each_collection(probe, _collections(probe), check)


TESTS = {"crs": crs, "queryables": queryables, "cql2_equality": cql2_equality}
