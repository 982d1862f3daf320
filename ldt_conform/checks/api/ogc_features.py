"""OGC API – Features Part 1 (OGC 17-069r4): the read-only Core, GeoJSON and OpenAPI 3.0 abstract tests."""
from __future__ import annotations

import re
from datetime import datetime, UTC
from typing import Any, Callable, Mapping

from ldt_conform import tool_ids
from ldt_conform.checks.api import geojson, ogc_data, ogc_parts, ogc_schemas
from ldt_conform.checks.api import ogc_common as oc
from ldt_conform.checks.api.ogc_oas import (fc_bbox_definition, fc_limit_definition, fc_time_definition,
                                           oas30_completeness, oas30_definition_1, oas30_exception_codes,
                                           oas30_oas_impl)
from ldt_conform.checks.api.probe import Broken, Issue, Probe, Skip, find_link, media_type
from ldt_conform.model import Why

CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
Test = Callable[[Probe, Mapping[str, Any]], list[Issue]]

# Classes the server declares and no rule tests are listed under this rule ("declared, not tested").
CONFORMANCE_RULE = "OAFEAT-007"
CONFORMANCE_PATH = "/conformance"
# OGC API Common classes whose requirements the Features Core rules test (landing page, conformance, API
# definition, JSON, collections), so they are not listed as "declared, not tested".
COVERED = frozenset(f"http://www.opengis.net/spec/ogcapi-common-{part}/1.0/conf/{name}" for part, name in (
    ("1", "core"), ("1", "landing-page"), ("1", "json"), ("1", "oas30"), ("2", "collections")))

def normalise(uri: str) -> str:
    """1.0 and 1.1 class URIs name the same classes; https and a trailing slash are typos, not new classes."""
    uri = uri.strip().rstrip("/").replace("https://www.opengis.net", "http://www.opengis.net")
    return re.sub(r"/ogcapi-features-([123])/1\.[01](\.\d+)?/", r"/ogcapi-features-\1/1.0/", uri)


def declared(probe: Probe) -> set[str]:
    return {normalise(c) for c in oc.conformance(probe)[1]}


def _feature_collections(probe: Probe) -> list[dict[str, Any]]:
    # Features Core applies to every collection of an API that declares it, record collections included.
    return ogc_data.collections(probe)


def _each(probe: Probe, check: Callable[[dict[str, Any]], list[Issue]]) -> list[Issue]:
    return oc.each_collection(probe, _feature_collections(probe), check)


# -- landing page, API definition, conformance -----------------------------------------------------------------
def http(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, _ = oc.landing(probe)
    if response.http_version and response.http_version not in ("1.1", "2"):
        return [Issue(probe.focus(response.url), f"HTTP/{response.http_version}", "the server must speak HTTP 1.1")]
    return []


def root_op(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    oc.landing(probe)
    return []


def root_success(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, document = oc.landing(probe)
    focus = probe.focus(response.url)
    issues = oc.check_links(probe, focus, document, ("conformance", "data"))
    if not find_link(document, "service-desc", "service-doc"):
        issues.append(Issue(focus, "rel=service-desc missing",
                            "link the API definition with rel \"service-desc\" (or \"service-doc\")"))
    return issues


def api_definition_op(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, document = oc.landing(probe)
    link = find_link(document, "service-desc", "service-doc")
    if link is None:
        raise Skip("the landing page links no API definition", Why.PREREQUISITE_FAILED)
    answer = probe.get(probe.resolve(str(link["href"]), response.url),
                       accept=str(link.get("type") or oc.OPENAPI_JSON))
    if answer.status != 200:
        return [Issue(probe.focus(answer.url), f"HTTP {answer.status}", "the API definition must answer 200")]
    return []


def api_definition_success(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    oc.api_definition(probe)
    return []


def conformance_op(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    probe.json(oc.conformance_url(probe), accept=oc.JSON)
    return []


def conformance_success(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, classes = oc.conformance(probe)
    if CORE not in {normalise(c) for c in classes}:
        return [Issue(probe.focus(response.url), "core class not declared",
                      f"declare {CORE} (or its 1.1 URI) in conformsTo")]
    return []


# -- collections ----------------------------------------------------------------------------------------------
def fc_md_op(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    oc.collections(probe)
    return []


def fc_md_success(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, listing = oc.collections(probe)
    focus = probe.focus(response.url)
    issues = oc.check_links(probe, focus, listing, ("self",))
    issues += oc.typed_links(probe, focus, listing)
    # /req/core/fc-md-success B: the content validates against collections.yaml (the pinned OGC schema).
    schema = ogc_schemas.validator(probe, "collections")
    if schema is None:
        issues.append(Issue(focus, ogc_schemas.FEATURES_1, "the OGC schema collections.yaml",
                            tool_rule=tool_ids.OFFLINE))
    else:
        issues += [Issue(focus, line, "the collections response must validate against the OGC schema "
                                      "collections.yaml") for line in ogc_schemas.errors(schema, listing)]
    return issues


def fc_md_items(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, listing = oc.collections(probe)
    focus = probe.focus(response.url)
    issues = []
    for index, entry in enumerate(listing["collections"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            issues.append(Issue(focus, f"collections[{index}]", "every collection needs a string id"))
        elif not isinstance(entry.get("links"), list):
            issues.append(Issue(focus, f"collections[{entry['id']}]", "every collection needs a links array",
                                scope=entry["id"]))
    return issues


def fc_md_items_links(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, _ = oc.collections(probe)
    return _each(probe, lambda entry: [] if find_link(entry, "items") else [
        Issue(probe.focus(response.url), f"collection {entry['id']}",
              "link the features of each collection with rel \"items\"")])


def fc_md_extent(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, _ = oc.collections(probe)

    def check(entry: dict[str, Any]) -> list[Issue]:
        bboxes = (((entry.get("extent") or {}).get("spatial") or {}).get("bbox")
                  if isinstance(entry.get("extent"), dict) else None)
        if bboxes is None:
            return []
        if not isinstance(bboxes, list) or not bboxes or not all(geojson.is_bbox(b) for b in bboxes):
            return [Issue(probe.focus(response.url), f"collection {entry['id']}: {str(bboxes)[:80]}",
                          "extent.spatial.bbox must be an array of bounding boxes of 4 or 6 numbers")]
        # The extent SHALL include all geometries: every feature read must lie inside the overall box. Reading the
        # items is this rule's means, not its subject: a failing items request is OAFEAT-015's finding.
        box = geojson.collection_bbox(entry)
        try:
            whole = ogc_data.unfiltered(probe, entry)
        except Broken as exc:
            raise Skip(f"the items of collection {entry['id']} could not be read ({exc.issue.value})",
                       Why.PREREQUISITE_FAILED) from None
        for feature in whole.features:
            fbox = geojson.geometry_bbox(feature.get("geometry") if isinstance(feature, dict) else None)
            if box and fbox and not geojson.within(fbox, box):
                return [Issue(probe.focus(whole.pages[0][0].url), f"feature {feature.get('id')} outside {box}",
                              f"the extent of collection {entry['id']} must include all its geometries")]
        return []
    return _each(probe, check)


def sfc_md_op(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    def check(entry: dict[str, Any]) -> list[Issue]:
        probe.json(oc.collection_url(probe, entry), accept=oc.JSON)
        return []
    return _each(probe, check)


def sfc_md_success(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    def check(entry: dict[str, Any]) -> list[Issue]:
        response, document = probe.json(oc.collection_url(probe, entry), accept=oc.JSON)
        if not isinstance(document, dict) or document.get("id") != entry["id"]:
            return [Issue(probe.focus(response.url), str(document.get("id") if isinstance(document, dict)
                                                         else document)[:80],
                          f"the collection resource must describe collection {entry['id']} (same id)")]
        # /req/core/sfc-md-success B: id, title, description, extent and itemType SHALL be identical to the
        # /collections entry: a member present in one and missing in the other differs too.
        differ = [k for k in ("title", "description", "extent", "itemType")
                  if (k in entry or k in document) and entry.get(k) != document.get(k)]
        if differ:
            return [Issue(probe.focus(response.url), ", ".join(differ),
                          f"{', '.join(differ)} must be identical to collection {entry['id']} in /collections")]
        return []
    return _each(probe, check)


# -- features -----------------------------------------------------------------------------------------------
def fc_op(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    def check(entry: dict[str, Any]) -> list[Issue]:
        oc.items(probe, entry)
        return []
    return _each(probe, check)


def fc_response(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    def check(entry: dict[str, Any]) -> list[Issue]:
        response, document = oc.items(probe, entry)
        focus = probe.focus(response.url)
        issues = []
        if document.get("type") != "FeatureCollection":
            issues.append(Issue(focus, f"type={document.get('type')}", "type must be \"FeatureCollection\""))
        if not isinstance(document.get("features"), list):
            issues.append(Issue(focus, "features missing" if document.get("features") is None
                                else "features is not an array", "features must be an array of features"))
        return issues
    return _each(probe, check)


def fc_links(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    def check(entry: dict[str, Any]) -> list[Issue]:
        response, document = oc.items(probe, entry, limit=1)
        focus = probe.focus(response.url)
        # A next link is only recommended (/rec/core/fc-next-1), so its absence is not a failure here.
        return oc.check_links(probe, focus, document, ("self",)) + oc.typed_links(probe, focus, document)
    return _each(probe, check)


def query_param_invalid(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    def check(entry: dict[str, Any]) -> list[Issue]:
        issues = []
        for value in ("-1", "abc"):
            response = probe.get(oc.items_url(probe, entry).split("?")[0], accept=oc.ITEMS_ACCEPT,
                                 params={"limit": value})
            if response.status != 400:
                issues.append(Issue(probe.focus(response.url), f"HTTP {response.status}",
                                    "an invalid parameter value must be answered with 400"))
        return issues
    return _each(probe, check)


def query_param_unknown(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    free_form = _free_form_parameter(probe)

    def check(entry: dict[str, Any]) -> list[Issue]:
        response = probe.get(oc.items_url(probe, entry).split("?")[0], accept=oc.ITEMS_ACCEPT,
                             params={"ldtConformUnknownParameter": "1"})
        if response.status == 400:
            return []
        if free_form is not None and response.status == 200:
            # 17-069r4 §7.6: a free-form parameter (an object schema, style form) specifies the parameters the
            # definition does not name, so they are not "unknown" and 200 is allowed.
            return []
        return [Issue(probe.focus(response.url), f"HTTP {response.status}",
                      "a query parameter the API definition does not specify must be answered with 400")]
    return _each(probe, check)


def _free_form_parameter(probe: Probe) -> str | None:
    """The name of a free-form query parameter (§7.6, e.g. vendorSpecificParameters) on an items operation."""
    from ldt_conform.checks.api.ogc_oas import _operation, _parameters, _schema

    try:
        oc.api_definition(probe)
    except (Skip, Broken):
        return None
    for entry in _feature_collections(probe):
        try:
            found = _operation(probe, f"/collections/{entry['id']}/items")
        except LookupError:  # a path item that could not be read declares nothing we can see
            continue
        for parameter, at in _parameters(probe, *found)[0] if found else []:
            try:
                schema = _schema(probe, parameter, at)
            except LookupError:  # a schema that could not be read says nothing about free form
                continue
            if (parameter.get("in") == "query" and schema.get("type") == "object"
                    and schema.get("additionalProperties", True) is not False
                    and parameter.get("style", "form") == "form"):
                return str(parameter.get("name"))
    return None


def fc_timestamp(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    def check(entry: dict[str, Any]) -> list[Issue]:
        response, document = oc.items(probe, entry)
        stamp = document.get("timeStamp")
        if stamp is None:
            return []
        parsed = _datetime(stamp)
        if parsed is None or abs((parsed - datetime.now(UTC)).total_seconds()) > 24 * 3600:
            return [Issue(probe.focus(response.url), str(stamp)[:40],
                          "timeStamp must be the RFC 3339 time the response was generated")]
        return []
    return _each(probe, check)


def _feature_url(probe: Probe, entry: dict[str, Any]) -> str:
    item_id, _ = oc.first_item(probe, entry)
    return oc.items_url(probe, entry).split("?")[0] + "/" + item_id


def f_op(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    def check(entry: dict[str, Any]) -> list[Issue]:
        probe.json(_feature_url(probe, entry), accept=oc.ITEMS_ACCEPT)
        return []
    return _each(probe, check)


def f_success(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    def check(entry: dict[str, Any]) -> list[Issue]:
        item_id, _ = oc.first_item(probe, entry)
        response, feature = probe.json(_feature_url(probe, entry), accept=oc.ITEMS_ACCEPT)
        if not isinstance(feature, dict) or feature.get("type") != "Feature" or str(feature.get("id")) != item_id:
            # The value shows what is wrong: the type when it is not a Feature, else the id it carries.
            shown = (f"id={feature.get('id')}" if feature.get("type") == "Feature" else f"type={feature.get('type')}"
                     ) if isinstance(feature, dict) else str(feature)
            return [Issue(probe.focus(response.url), shown[:60],
                          f"the response must be the Feature {item_id} (type Feature, same id)")]
        return []
    return _each(probe, check)


def f_links(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    def check(entry: dict[str, Any]) -> list[Issue]:
        response, feature = probe.json(_feature_url(probe, entry), accept=oc.ITEMS_ACCEPT)
        focus = probe.focus(response.url)
        return oc.check_links(probe, focus, feature, ("self", "collection")) + oc.typed_links(probe, focus, feature)
    return _each(probe, check)


def crs84(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    def check(entry: dict[str, Any]) -> list[Issue]:
        whole = ogc_data.unfiltered(probe, entry)
        for feature in whole.features:
            box = geojson.geometry_bbox(feature.get("geometry") if isinstance(feature, dict) else None)
            if box and not (-180 <= box[0] <= 180 and -90 <= box[1] <= 90 and -180 <= box[2] <= 180
                            and -90 <= box[3] <= 90):
                return [Issue(probe.focus(whole.pages[0][0].url), f"feature {feature.get('id')}: {box}",
                              "without a crs parameter, coordinates must be CRS84 longitude/latitude")]
        return []
    return _each(probe, check)


# -- GeoJSON and OpenAPI 3.0 classes --------------------------------------------------------------------------
def geojson_definition(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    def check(entry: dict[str, Any]) -> list[Issue]:
        response = probe.get(oc.items_url(probe, entry).split("?")[0], accept=oc.GEOJSON)
        if media_type(response.headers.get("content-type")) != oc.GEOJSON:
            return [Issue(probe.focus(response.url), media_type(response.headers.get("content-type")) or
                          "no content type", "features requested as GeoJSON must be served as application/geo+json")]
        return []
    return _each(probe, check)


# -- helpers --------------------------------------------------------------------------------------------------

def _datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        # RFC 3339 §5.6: "T" and "Z" may be written in lower case; Python reads "t" and "Z" but not "z"
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


TESTS: dict[str, Test] = {
    "http": http, "root_op": root_op, "root_success": root_success, "api_definition_op": api_definition_op,
    "api_definition_success": api_definition_success, "conformance_op": conformance_op,
    "conformance_success": conformance_success, "fc_md_op": fc_md_op, "fc_md_success": fc_md_success,
    "fc_md_items": fc_md_items, "fc_md_items_links": fc_md_items_links, "fc_md_extent": fc_md_extent,
    "sfc_md_op": sfc_md_op, "sfc_md_success": sfc_md_success, "fc_op": fc_op, "fc_response": fc_response,
    "fc_links": fc_links, "fc_limit_definition": fc_limit_definition,
    "fc_limit_response": ogc_data.fc_limit_response, "fc_bbox_definition": fc_bbox_definition,
    "fc_bbox_response": ogc_data.fc_bbox_response, "fc_time_definition": fc_time_definition,
    "fc_time_response": ogc_data.fc_time_response,
    "query_param_invalid": query_param_invalid, "query_param_unknown": query_param_unknown,
    "fc_timestamp": fc_timestamp, "fc_number_matched": ogc_data.fc_number_matched,
    "fc_number_returned": ogc_data.fc_number_returned,
    "f_op": f_op, "f_success": f_success, "f_links": f_links, "crs84": crs84,
    "geojson_definition": geojson_definition, "geojson_content": ogc_data.geojson_content,
    "oas30_completeness": oas30_completeness, "oas30_oas_impl": oas30_oas_impl,
    "oas30_definition_1": oas30_definition_1, "oas30_exception_codes": oas30_exception_codes,
    **ogc_parts.TESTS,
}
