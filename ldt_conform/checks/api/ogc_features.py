"""OGC API – Features Part 1 (OGC 17-069r4): the read-only Core, GeoJSON and OpenAPI 3.0 abstract tests."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Callable, Mapping

from ldt_conform.checks.api import ogc_common as oc
from ldt_conform.checks.api.probe import Broken, Issue, Probe, Skip, find_link, links_of, media_type

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
    issues += oc.typed_alternates(probe, focus, listing)
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
        if not isinstance(bboxes, list) or not bboxes or not all(_is_bbox(b) for b in bboxes):
            issues.append(Issue(probe.focus(response.url), f"collection {entry['id']}: {str(bboxes)[:80]}",
                                "extent.spatial.bbox must be an array of bounding boxes of 4 or 6 numbers"))
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
        issues += oc.typed_alternates(probe, focus, document)
        matched, returned = document.get("numberMatched"), document.get("numberReturned")
        if isinstance(matched, int) and isinstance(returned, int) and matched > returned and not find_link(
                document, "next"):
            issues.append(Issue(focus, f"{returned} of {matched} returned",
                                "a page that does not hold every match must link the next page (rel=next)"))
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
        box = _collection_bbox(entry)
        if box is None:
            raise Skip(f"collection {entry['id']} declares no spatial extent to query with")
        response, document = oc.items(probe, entry, bbox=",".join(f"{v:g}" for v in box), limit=50)
        for feature in document.get("features") or []:
            fbox = _geometry_bbox(feature.get("geometry") if isinstance(feature, dict) else None)
            if fbox is not None and not _intersects(fbox, box):
                issues.append(Issue(probe.focus(response.url), f"feature {feature.get('id')}",
                                    "bbox must select only features whose geometry intersects the box"))
                break
        far = "-179.9,-89.9,-179.8,-89.8"
        response, document = oc.items(probe, entry, bbox=far)
        outside = [f for f in document.get("features") or [] if isinstance(f, dict) and _geometry_bbox(
            f.get("geometry")) is not None and not _intersects(_geometry_bbox(f.get("geometry")) or (), (
                -179.9, -89.9, -179.8, -89.8))]
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
        if parsed is None or abs((parsed - datetime.now(timezone.utc)).total_seconds()) > 24 * 3600:
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
        issues += oc.typed_alternates(probe, focus, feature)
    return issues


def crs84(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    for entry in _feature_collections(probe):
        response, document = oc.items(probe, entry)
        for feature in document.get("features") or []:
            box = _geometry_bbox(feature.get("geometry") if isinstance(feature, dict) else None)
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
            problem = _geojson_feature_problem(feature)
            if problem:
                issues.append(Issue(probe.focus(response.url), str(feature.get("id") if isinstance(feature, dict)
                                                                   else feature)[:60], problem))
                break
    return issues


def oas30_completeness(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, definition = oc.api_definition(probe)
    paths = definition.get("paths") or {}
    wanted = ["/", "/conformance", "/collections"]
    for entry in _feature_collections(probe):
        wanted += [f"/collections/{entry['id']}", f"/collections/{entry['id']}/items",
                   f"/collections/{entry['id']}/items/{{featureId}}"]
    missing = [p for p in wanted if not _path_defined(p, paths)]
    return [Issue(probe.focus(response.url), ", ".join(missing[:5]),
                  "the API definition must describe every resource the API offers")] if missing else []


def oas30_oas_impl(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, definition = oc.api_definition(probe)
    issues = []
    paths = [p for p, op in (definition.get("paths") or {}).items() if "{" not in p and isinstance(op, dict)
             and "get" in op and not _needs_query(op["get"])][:15]
    for path in paths:
        answer = probe.get(path, accept=oc.JSON)
        if answer.status >= 500 or answer.status == 404:
            issues.append(Issue(probe.focus(answer.url), f"HTTP {answer.status}",
                                "every path of the API definition must be implemented"))
    return issues


def oas30_definition_1(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, document = oc.landing(probe)
    link = find_link(document, "service-desc")
    if link is None or "openapi" not in media_type(str(link.get("type") or "")) and "json" not in str(
            link.get("type") or ""):
        return [Issue(probe.focus(response.url), str(link.get("type") if link else "no service-desc"),
                      "link the OpenAPI 3.0 definition with rel=service-desc and type "
                      "application/vnd.oai.openapi+json;version=3.0")]
    definition_response, definition = oc.api_definition(probe)
    if not str(definition.get("openapi", "")).startswith("3.0"):
        return [Issue(probe.focus(definition_response.url), f"openapi={definition.get('openapi')}",
                      "the service-desc document must be OpenAPI 3.0")]
    return []


def oas30_exception_codes(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, definition = oc.api_definition(probe)
    issues = []
    for path, operations in (definition.get("paths") or {}).items():
        get = operations.get("get") if isinstance(operations, dict) else None
        if isinstance(get, dict) and path.endswith("/items"):
            codes = {str(k) for k in (get.get("responses") or {})}
            if not codes & {"400", "4XX", "default"}:
                issues.append(Issue(probe.focus(response.url), f"GET {path}: {sorted(codes)}",
                                    "describe the error responses (400, 500 or default) of every operation"))
    return issues


def fc_limit_definition(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    return _parameter_defined(probe, "limit", lambda s: s.get("type") == "integer")


def fc_bbox_definition(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    return _parameter_defined(probe, "bbox", lambda s: s.get("type") == "array")


def fc_time_definition(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    return _parameter_defined(probe, "datetime", lambda s: s.get("type") == "string")


def _parameter_defined(probe: Probe, name: str, schema_ok: Callable[[dict[str, Any]], bool]) -> list[Issue]:
    response, definition = oc.api_definition(probe)
    issues = []
    for entry in _feature_collections(probe):
        operation = _operation(definition, f"/collections/{entry['id']}/items")
        if operation is None:
            issues.append(Issue(probe.focus(response.url), f"/collections/{entry['id']}/items",
                                "the API definition does not describe the items operation"))
            continue
        parameters = _parameters(definition, operation)
        parameter = next((p for p in parameters if p.get("name") == name and p.get("in") == "query"), None)
        if parameter is None:
            remote = next((p["$ref"] for p in parameters if isinstance(p.get("$ref"), str)
                           and p["$ref"].rstrip("/").endswith(f"/parameters/{name}")), None)
            if remote is not None:
                parameter = oc.remote_ref(probe, remote)
                if parameter is None:
                    # Declared by reference to a document we cannot read offline: not a failure, but noted.
                    issues.append(Issue(probe.focus(response.url), remote.split("#")[0],
                                        f"the {name} parameter is defined in this document", tool_rule="LC-004"))
                    continue
        schema = _deref(definition, parameter.get("schema", {})) if parameter else {}
        if parameter is None or not schema_ok(schema):
            issues.append(Issue(probe.focus(response.url), f"{name} on /collections/{entry['id']}/items",
                                f"define the {name} query parameter as the standard specifies"))
    return issues


# -- helpers --------------------------------------------------------------------------------------------------
def _operation(definition: dict[str, Any], path: str) -> dict[str, Any] | None:
    for template, item in (definition.get("paths") or {}).items():
        if isinstance(item, dict) and _matches(template, path) and isinstance(item.get("get"), dict):
            return {**item["get"], "parameters": [*(item.get("parameters") or []),
                                                  *(item["get"].get("parameters") or [])]}
    return None


def _parameters(definition: dict[str, Any], operation: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in (_deref(definition, raw) for raw in operation.get("parameters") or []) if isinstance(p, dict)]


def _deref(definition: dict[str, Any], node: Any) -> Any:
    for _ in range(10):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/")):
            return node
        target: Any = definition
        for part in node["$ref"][2:].split("/"):
            target = target.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(target, dict) else {}
        node = target
    return node


def _matches(template: str, path: str) -> bool:
    pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template.rstrip("/") or "/")) + "$"
    return re.match(pattern, path.rstrip("/") or "/") is not None


def _path_defined(path: str, paths: Mapping[str, Any]) -> bool:
    concrete = path.replace("{featureId}", "x")
    return any(_matches(template, concrete) for template in paths)


def _needs_query(operation: Any) -> bool:
    return isinstance(operation, dict) and any(isinstance(p, dict) and p.get("required") and p.get("in") == "query"
                                               for p in operation.get("parameters") or [])


def _is_bbox(value: Any) -> bool:
    return isinstance(value, list) and len(value) in (4, 6) and all(isinstance(v, (int, float)) for v in value)


def _collection_bbox(entry: dict[str, Any]) -> tuple[float, float, float, float] | None:
    extent = entry.get("extent") if isinstance(entry.get("extent"), dict) else {}
    boxes = (extent.get("spatial") or {}).get("bbox") if isinstance(extent.get("spatial"), dict) else None
    if isinstance(boxes, list) and boxes and _is_bbox(boxes[0]):
        box = boxes[0]
        return (box[0], box[1], box[-2], box[-1]) if len(box) == 4 else (box[0], box[1], box[3], box[4])
    return None


def _coordinates(node: Any) -> list[tuple[float, float]]:
    if isinstance(node, list) and len(node) >= 2 and all(isinstance(v, (int, float)) for v in node[:2]):
        return [(float(node[0]), float(node[1]))]
    if isinstance(node, list):
        return [pair for child in node for pair in _coordinates(child)]
    return []


def _geometry_bbox(geometry: Any) -> tuple[float, float, float, float] | None:
    if not isinstance(geometry, dict):
        return None
    pairs = _coordinates(geometry.get("coordinates"))
    for member in geometry.get("geometries") or []:
        pairs += _coordinates(member.get("coordinates") if isinstance(member, dict) else None)
    if not pairs:
        return None
    xs, ys = [p[0] for p in pairs], [p[1] for p in pairs]
    return min(xs), min(ys), max(xs), max(ys)


def _intersects(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


GEOMETRY_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
                  "GeometryCollection"}


def _geojson_feature_problem(feature: Any) -> str | None:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return "every member of features must be a GeoJSON Feature (type \"Feature\")"
    if "geometry" not in feature or "properties" not in feature:
        return "a GeoJSON Feature must have geometry and properties members (null is allowed)"
    geometry = feature["geometry"]
    if geometry is not None and (not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES):
        return "geometry must be null or a GeoJSON geometry (RFC 7946 §3.1)"
    if isinstance(geometry, dict) and geometry["type"] != "GeometryCollection" and not isinstance(
            geometry.get("coordinates"), list):
        return "a GeoJSON geometry needs a coordinates array"
    return None


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
