"""OGC API – Features Part 1 (OGC 17-069r4): the read-only Core, GeoJSON and OpenAPI 3.0 abstract tests."""
from __future__ import annotations

import re
from datetime import datetime, UTC
from typing import Any, Callable, Mapping

from ldt_conform.checks.api import geojson
from ldt_conform.checks.api import ogc_common as oc
from ldt_conform.checks.api.ogc_oas import (fc_bbox_definition, fc_limit_definition, fc_time_definition,
                                           oas30_completeness, oas30_definition_1, oas30_exception_codes,
                                           oas30_oas_impl)
from ldt_conform.checks.api.probe import Issue, Probe, Skip, find_link, media_type

CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
Test = Callable[[Probe, Mapping[str, Any]], list[Issue]]


def normalise(uri: str) -> str:
    """1.0 and 1.1 class URIs name the same classes; https and a trailing slash are typos, not new classes."""
    uri = uri.strip().rstrip("/").replace("https://www.opengis.net", "http://www.opengis.net")
    return re.sub(r"/ogcapi-features-1/1\.[01](\.\d+)?/", "/ogcapi-features-1/1.0/", uri)


def declared(probe: Probe) -> set[str]:
    return {normalise(c) for c in oc.conformance(probe)[1]}


def _feature_collections(probe: Probe) -> list[dict[str, Any]]:
    return oc.collection_entries(probe, "feature")


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
        raise Skip("the landing page links no API definition")
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
    return issues


def fc_md_items(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, listing = oc.collections(probe)
    focus = probe.focus(response.url)
    issues = []
    for index, entry in enumerate(listing["collections"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            issues.append(Issue(focus, f"collections[{index}]", "every collection needs a string id"))
        elif not isinstance(entry.get("links"), list):
            issues.append(Issue(focus, f"collections[{entry['id']}]", "every collection needs a links array"))
    return issues


def fc_md_items_links(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, _ = oc.collections(probe)
    issues = []
    for entry in _feature_collections(probe):
        if not find_link(entry, "items"):
            issues.append(Issue(probe.focus(response.url), f"collection {entry['id']}",
                                "link the features of each collection with rel \"items\""))
    return issues


def fc_md_extent(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, _ = oc.collections(probe)
    issues = []
    for entry in _feature_collections(probe):
        bboxes = (((entry.get("extent") or {}).get("spatial") or {}).get("bbox")
                  if isinstance(entry.get("extent"), dict) else None)
        if bboxes is None:
            continue
        if not isinstance(bboxes, list) or not bboxes or not all(geojson.is_bbox(b) for b in bboxes):
            issues.append(Issue(probe.focus(response.url), f"collection {entry['id']}: {str(bboxes)[:80]}",
                                "extent.spatial.bbox must be an array of bounding boxes of 4 or 6 numbers"))
            continue
        # The extent SHALL include all geometries: the first page of items must lie inside the overall box.
        box = geojson.collection_bbox(entry)
        items_response, document = oc.items(probe, entry, limit=50)
        for feature in document.get("features") or []:
            fbox = geojson.geometry_bbox(feature.get("geometry") if isinstance(feature, dict) else None)
            if box and fbox and not geojson.within(fbox, box):
                issues.append(Issue(probe.focus(items_response.url), f"feature {feature.get('id')} outside {box}",
                                    f"the extent of collection {entry['id']} must include all its geometries"))
                break
    return issues


def sfc_md_op(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    for entry in _feature_collections(probe):
        probe.json(oc.collection_url(probe, entry), accept=oc.JSON)
    return []


def sfc_md_success(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    issues = []
    for entry in _feature_collections(probe):
        response, document = probe.json(oc.collection_url(probe, entry), accept=oc.JSON)
        if not isinstance(document, dict) or document.get("id") != entry["id"]:
            issues.append(Issue(probe.focus(response.url), str(document.get("id") if isinstance(document, dict)
                                                               else document)[:80],
                                f"the collection resource must describe collection {entry['id']} (same id)"))
            continue
        # /req/core/sfc-md-success: id, title, description, extent and itemType identical to the /collections entry.
        differ = [k for k in ("title", "description", "extent", "itemType") if k in entry and k in document
                  and entry[k] != document[k]]
        if differ:
            issues.append(Issue(probe.focus(response.url), ", ".join(differ),
                                f"{', '.join(differ)} must be identical to collection {entry['id']} in /collections"))
    return issues


# -- features -----------------------------------------------------------------------------------------------
def fc_op(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    for entry in _feature_collections(probe):
        oc.items(probe, entry)
    return []


def fc_response(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    issues = []
    for entry in _feature_collections(probe):
        response, document = oc.items(probe, entry)
        focus = probe.focus(response.url)
        if document.get("type") != "FeatureCollection":
            issues.append(Issue(focus, f"type={document.get('type')}", "type must be \"FeatureCollection\""))
        if not isinstance(document.get("features"), list):
            issues.append(Issue(focus, "features missing", "features must be an array of features"))
    return issues


def fc_links(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    issues = []
    for entry in _feature_collections(probe):
        response, document = oc.items(probe, entry, limit=1)
        focus = probe.focus(response.url)
        issues += oc.check_links(probe, focus, document, ("self",))
        issues += oc.typed_links(probe, focus, document)
        # A next link is only recommended (/rec/core/fc-next-1), so its absence is not a failure here.
    return issues


def fc_limit_response(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    limit = int(params.get("limit", 2))
    issues = []
    for entry in _feature_collections(probe):
        response, document = oc.items(probe, entry, limit=limit)
        features = document.get("features")
        if isinstance(features, list) and len(features) > limit:
            issues.append(Issue(probe.focus(response.url), f"{len(features)} features",
                                f"with limit={limit} the response must hold at most {limit} features"))
    return issues


def fc_bbox_response(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    issues = []
    for entry in _feature_collections(probe):
        box = geojson.collection_bbox(entry)
        if box is None:
            raise Skip(f"collection {entry['id']} declares no spatial extent to query with")
        response, document = oc.items(probe, entry, bbox=",".join(f"{v:g}" for v in box), limit=50)
        for feature in document.get("features") or []:
            fbox = geojson.geometry_bbox(feature.get("geometry") if isinstance(feature, dict) else None)
            if fbox is not None and not geojson.intersects(fbox, box):
                issues.append(Issue(probe.focus(response.url), f"feature {feature.get('id')}",
                                    "bbox must select only features whose geometry intersects the box"))
                break
        far = (-179.9, -89.9, -179.8, -89.8)
        response, document = oc.items(probe, entry, bbox=",".join(f"{v:g}" for v in far))
        boxes = [geojson.geometry_bbox(f.get("geometry")) for f in document.get("features") or []
                 if isinstance(f, dict)]
        outside = [b for b in boxes if b is not None and not geojson.intersects(b, far)]
        if outside:
            issues.append(Issue(probe.focus(response.url), f"{len(outside)} features outside the box",
                                "bbox must filter the features, not be ignored"))
    return issues


def fc_time_response(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    for entry in _feature_collections(probe):
        response, document = oc.items(probe, entry, datetime="2000-01-01T00:00:00Z/..")
        if not isinstance(document.get("features"), list):
            return [Issue(probe.focus(response.url), "features missing", "datetime queries must return features")]
    return []


def query_param_invalid(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    issues = []
    for entry in _feature_collections(probe):
        for value in ("-1", "abc"):
            response = probe.get(oc.items_url(probe, entry).split("?")[0], accept=oc.ITEMS_ACCEPT,
                                 params={"limit": value})
            if response.status != 400:
                issues.append(Issue(probe.focus(response.url), f"HTTP {response.status}",
                                    "an invalid parameter value must be answered with 400"))
        break
    return issues


def query_param_unknown(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    for entry in _feature_collections(probe):
        response = probe.get(oc.items_url(probe, entry).split("?")[0], accept=oc.ITEMS_ACCEPT,
                             params={"ldtConformUnknownParameter": "1"})
        if response.status != 400:
            return [Issue(probe.focus(response.url), f"HTTP {response.status}",
                          "a query parameter the API definition does not specify must be answered with 400")]
        break
    return []


def fc_timestamp(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    for entry in _feature_collections(probe):
        response, document = oc.items(probe, entry)
        stamp = document.get("timeStamp")
        if stamp is None:
            continue
        parsed = _datetime(stamp)
        if parsed is None or abs((parsed - datetime.now(UTC)).total_seconds()) > 24 * 3600:
            return [Issue(probe.focus(response.url), str(stamp)[:40],
                          "timeStamp must be the RFC 3339 time the response was generated")]
    return []


def fc_number_matched(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    for entry in _feature_collections(probe):
        response, document = oc.items(probe, entry)
        matched = document.get("numberMatched")
        if matched is None:
            continue
        if not isinstance(matched, int) or matched < 0:
            return [Issue(probe.focus(response.url), str(matched), "numberMatched must be a non-negative integer")]
        counted = sum(len(page.get("features") or []) for _, page in oc.walk_pages(
            probe, oc.items_url(probe, entry).split("?")[0] + "?limit=50", limit=50))
        if matched <= 250 and counted != matched:
            return [Issue(probe.focus(response.url), f"numberMatched={matched}, paged through {counted}",
                          "numberMatched must equal the number of features the query selects")]
    return []


def fc_number_returned(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    for entry in _feature_collections(probe):
        response, document = oc.items(probe, entry)
        returned = document.get("numberReturned")
        if returned is not None and returned != len(document.get("features") or []):
            return [Issue(probe.focus(response.url), f"numberReturned={returned}, "
                                                     f"{len(document.get('features') or [])} features",
                          "numberReturned must equal the number of features in the response")]
    return []


def f_op(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    for entry in _feature_collections(probe):
        item_id, _ = oc.first_item(probe, entry)
        probe.json(oc.items_url(probe, entry).split("?")[0] + "/" + item_id, accept=oc.ITEMS_ACCEPT)
    return []


def f_success(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    issues = []
    for entry in _feature_collections(probe):
        item_id, _ = oc.first_item(probe, entry)
        response, feature = probe.json(oc.items_url(probe, entry).split("?")[0] + "/" + item_id,
                                       accept=oc.ITEMS_ACCEPT)
        if not isinstance(feature, dict) or feature.get("type") != "Feature" or str(feature.get("id")) != item_id:
            issues.append(Issue(probe.focus(response.url), str(feature.get("type") if isinstance(feature, dict)
                                                               else feature)[:60],
                                f"the response must be the Feature {item_id} (type Feature, same id)"))
    return issues


def f_links(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    issues = []
    for entry in _feature_collections(probe):
        item_id, _ = oc.first_item(probe, entry)
        response, feature = probe.json(oc.items_url(probe, entry).split("?")[0] + "/" + item_id,
                                       accept=oc.ITEMS_ACCEPT)
        focus = probe.focus(response.url)
        issues += oc.check_links(probe, focus, feature, ("self", "collection"))
        issues += oc.typed_links(probe, focus, feature)
    return issues


def crs84(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    for entry in _feature_collections(probe):
        response, document = oc.items(probe, entry)
        for feature in document.get("features") or []:
            box = geojson.geometry_bbox(feature.get("geometry") if isinstance(feature, dict) else None)
            if box and not (-180 <= box[0] <= 180 and -90 <= box[1] <= 90 and -180 <= box[2] <= 180
                            and -90 <= box[3] <= 90):
                return [Issue(probe.focus(response.url), f"feature {feature.get('id')}: {box}",
                              "without a crs parameter, coordinates must be CRS84 longitude/latitude")]
    return []


# -- GeoJSON and OpenAPI 3.0 classes --------------------------------------------------------------------------
def geojson_definition(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    issues = []
    for entry in _feature_collections(probe):
        response = probe.get(oc.items_url(probe, entry).split("?")[0], accept=oc.GEOJSON)
        if media_type(response.headers.get("content-type")) != oc.GEOJSON:
            issues.append(Issue(probe.focus(response.url), media_type(response.headers.get("content-type")) or
                                "no content type", "features requested as GeoJSON must be served as "
                                                   "application/geo+json"))
    return issues


def geojson_content(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    issues = []
    for entry in _feature_collections(probe):
        response, document = oc.items(probe, entry)
        for feature in document.get("features") or []:
            problem = geojson.feature_problem(feature)
            if problem:
                issues.append(Issue(probe.focus(response.url), str(feature.get("id") if isinstance(feature, dict)
                                                                   else feature)[:60], problem))
                break
    return issues


# -- helpers --------------------------------------------------------------------------------------------------

def _datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


TESTS: dict[str, Test] = {
    "http": http, "root_op": root_op, "root_success": root_success, "api_definition_op": api_definition_op,
    "api_definition_success": api_definition_success, "conformance_op": conformance_op,
    "conformance_success": conformance_success, "fc_md_op": fc_md_op, "fc_md_success": fc_md_success,
    "fc_md_items": fc_md_items, "fc_md_items_links": fc_md_items_links, "fc_md_extent": fc_md_extent,
    "sfc_md_op": sfc_md_op, "sfc_md_success": sfc_md_success, "fc_op": fc_op, "fc_response": fc_response,
    "fc_links": fc_links, "fc_limit_definition": fc_limit_definition, "fc_limit_response": fc_limit_response,
    "fc_bbox_definition": fc_bbox_definition, "fc_bbox_response": fc_bbox_response,
    "fc_time_definition": fc_time_definition, "fc_time_response": fc_time_response,
    "query_param_invalid": query_param_invalid, "query_param_unknown": query_param_unknown,
    "fc_timestamp": fc_timestamp, "fc_number_matched": fc_number_matched, "fc_number_returned": fc_number_returned,
    "f_op": f_op, "f_success": f_success, "f_links": f_links, "crs84": crs84,
    "geojson_definition": geojson_definition, "geojson_content": geojson_content,
    "oas30_completeness": oas30_completeness, "oas30_oas_impl": oas30_oas_impl,
    "oas30_definition_1": oas30_definition_1, "oas30_exception_codes": oas30_exception_codes,
}
