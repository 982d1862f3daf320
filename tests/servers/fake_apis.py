"""A small spec-following OGC API (Features + Records + OpenAPI) and SensorThings 1.1 server with switchable faults.

Good mode passes every rule of the ogcapi-features, ogcapi-records, openapi and sensorthings profiles; each fault
breaks the one thing a rule checks, so every rule has a failing case on a real HTTP server (the faults are named in
FAULTS below, next to the rule they break).
"""
from __future__ import annotations

import json
import re
import time
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from servers.util import Handler, LocalServer

OGC = "/ogc"
STA = "/sta/v1.1"
F1 = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"
R1 = "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/"
ROADS = [{"type": "Feature", "id": f"r{i}", "geometry": {"type": "Point", "coordinates": [4.3 + i / 100, 50.8]},
          "properties": {"name": f"road {i}", "opened": f"201{i}-01-01T00:00:00Z"}} for i in range(5)]
RECORDS = [{"type": "Feature", "id": f"rec{i}", "geometry": {"type": "Point", "coordinates": [4.35, 50.85]},
            "time": {"date": f"2020-0{i + 1}-01"},
            "properties": {"type": "dataset" if i else "service", "title": f"Traffic counts {i}" if i else "Air quality",
                           "description": "a dataset"}} for i in range(3)]
EXTENT = {"spatial": {"bbox": [[4.2, 50.7, 4.5, 50.9]]}}

# fault → the rule it breaks (the case test walks this table)
FAULTS = {
    "root-500": "OAFEAT-001", "no-conformance-link": "OAFEAT-002", "http10": "OAFEAT-003", "api-404": "OAFEAT-004",
    "api-not-openapi": "OAFEAT-005", "conformance-500": "OAFEAT-006", "no-core-class": "OAFEAT-007",
    "collections-html": "OAFEAT-008", "collections-no-self": "OAFEAT-009", "collection-no-id": "OAFEAT-010",
    "no-items-link": "OAFEAT-011", "bad-extent": "OAFEAT-012", "collection-404": "OAFEAT-013",
    "collection-wrong-id": "OAFEAT-014", "items-500": "OAFEAT-015", "items-not-fc": "OAFEAT-016",
    "items-no-self": "OAFEAT-017", "oas-no-limit": "OAFEAT-018", "ignore-limit": "OAFEAT-019",
    "oas-no-bbox": "OAFEAT-020", "ignore-bbox": "OAFEAT-021", "oas-no-datetime": "OAFEAT-022",
    "datetime-400": "OAFEAT-023", "accept-invalid": "OAFEAT-024", "accept-unknown": "OAFEAT-025",
    "bad-timestamp": "OAFEAT-026", "wrong-matched": "OAFEAT-027", "wrong-returned": "OAFEAT-028",
    "feature-404": "OAFEAT-029", "feature-wrong-id": "OAFEAT-030", "feature-no-collection-link": "OAFEAT-031",
    "not-crs84": "OAFEAT-032", "json-media-type": "OAFEAT-040", "bad-geometry": "OAFEAT-041",
    "oas31": "OAFEAT-050", "oas-incomplete": "OAFEAT-051", "oas-no-errors": "OAFEAT-052",
    "oas-phantom-path": "OAFEAT-053", "oas-enum-path": "OAFEAT-053",
    "no-data-link": "OAREC-001", "no-records-class": "OAREC-002", "draft-records-uri": "OAREC-003",
    "catalogues-500": "OAREC-004", "catalogue-no-title": "OAREC-005", "records-not-fc": "OAREC-006",
    "record-no-title": "OAREC-007", "record-404": "OAREC-008", "record-no-self": "OAREC-009",
    "records-ignore-limit": "OAREC-010", "ignore-q": "OAREC-011", "records-ignore-bbox": "OAREC-012",
    "swagger-missing": "OAS-001", "swagger2": "OAS-002", "oas-invalid": "OAS-003", "oas-dangling-ref": "OAS-004",
    "oas-duplicate-opid": "OAS-005",
    "sta-root-missing-set": "STA-001", "sta-no-settings": "STA-002", "sta-set-500": "STA-003",
    "sta-no-selflink": "STA-004", "sta-no-uom": "STA-005", "sta-no-navlinks": "STA-006", "sta-self-404": "STA-007",
    "sta-property-wrapped": "STA-008", "sta-value-json": "STA-009", "sta-nav-500": "STA-010",
    "sta-missing-200": "STA-011", "sta-ignore-top": "STA-012", "sta-no-count": "STA-013",
    "sta-ignore-select": "STA-014", "sta-no-nextlink": "STA-015", "sta-ignore-orderby": "STA-016",
    "sta-ignore-filter": "STA-017", "sta-ignore-expand": "STA-018",
    # Query options applied wrongly in a way only a probe that checks the answer against the data sees.
    "sta-top-short": "STA-012", "sta-count-page": "STA-013", "sta-select-drops": "STA-014",
    "sta-nextlink-same-page": "STA-015", "sta-own-order": "STA-016", "sta-filter-drops-last": "STA-017",
    "sta-expand-empty": "STA-018",
    # Answers of the wrong shape, and a self link that answers another entity.
    "sta-root-no-value": "STA-001", "sta-no-11-class": "STA-002", "sta-set-no-value": "STA-003",
    "sta-no-uom-type": "STA-005", "sta-self-other": "STA-007", "sta-self-list": "STA-007", "sta-top-two": "STA-012",
    "sta-nav-no-value": "STA-010", "sta-next-empty": "STA-015", "sta-orderby-drops-first": "STA-016",
    "sta-select-drops-thing": "STA-014",
    # $expand wrong in ways the embedded arrays alone show: nothing embedded beside a paged listing, Datastreams of
    # other Things embedded (ids of two types), an answer without a value array.
    "sta-expand-empty-paged": "STA-018", "sta-expand-extra": "STA-018", "sta-expand-no-value": "STA-018",
    "crs-no-header": "OAFEAT-060", "queryables-not-schema": "OAFEAT-070", "ignore-filter": "OAFEAT-071",
    "records-ignore-type": "OAREC-013", "records-ignore-ids": "OAREC-014", "records-ignore-datetime": "OAREC-015",
    # Filters that return nothing: every feature returned satisfies them, but the one whose own data match is missing.
    "bbox-empty": "OAFEAT-021", "datetime-empty": "OAFEAT-023", "records-bbox-empty": "OAREC-012",
    "records-q-empty": "OAREC-011", "filter-empty": "OAFEAT-071",
    "records-type-empty": "OAREC-013", "records-ids-empty": "OAREC-014", "records-ids-plus-one": "OAREC-014",
    "records-datetime-empty": "OAREC-015",
    "record-wrong-id": "OAREC-008",
    "matched-negative": "OAFEAT-027", "matched-text": "OAFEAT-027", "endless-matched-small": "OAFEAT-027",
    "record-two-collections": "OAREC-009", "records-limit-plus-one": "OAREC-010", "record-not-object": "OAREC-007",
    # GeoJSON defects the RFC 7946 checks and the OGC schema see differently (each reported once).
    "feature-no-type": "OAFEAT-041", "null-geometry-bad-link": "OAFEAT-041", "features-not-array": "OAFEAT-016",
    # Members missing or differing where only one rule looks.
    "collection-no-links": "OAFEAT-010", "collection-description-differs": "OAFEAT-014",
    "collection-itemtype-differs": "OAFEAT-014", "items-no-features": "OAFEAT-016",
    "items-no-content-type": "OAFEAT-040",
    # The OpenAPI 3.0 class declared, the API documented only by an HTML page (service-doc): OAFEAT-004 follows the
    # service-doc link, the OpenAPI rules have no document to read, and oas-definition-1 fails.
    "service-doc-only": "OAFEAT-050",
    "collections-untyped-links": "OAFEAT-009", "feature-untyped-link": "OAFEAT-031", "feature-not-feature": "OAFEAT-030",
    "stale-timestamp": "OAFEAT-026", "api-garbage": "OAFEAT-005",
}
F2 = "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/"
F3 = "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
WEB_MERCATOR = "http://www.opengis.net/def/crs/EPSG/0/3857"


class FakeApi(Handler):
    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self.record()
        parts = urlsplit(self.path)
        self.query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        self.faults = self.app.faults
        if "slow-everything" in self.faults:  # not a rule's fault: for the total-budget test
            time.sleep(float(self.app.state.get("delay", 0.5)))
        if "http10" in self.faults:
            self.protocol_version = "HTTP/1.0"
        path = unquote(parts.path)
        if path.startswith(STA):
            return self.sta(path[len(STA):])
        if path.startswith(OGC):
            if "html-by-default" in self.faults and "json" not in (self.headers.get("Accept") or ""):
                # not a rule's fault: HTML unless JSON is asked for (pygeoapi and ldproxy answer browsers so)
                return self.send(200, "<html><body>fake</body></html>", "text/html")
            if "oas-enum-path" in self.faults and path == OGC + "/broken":
                return self.send(500, {"code": "ServerError"})
            if "oas-enum-path" in self.faults and path == OGC + "/picky":
                # served, but not without input: implemented, so never an OAFEAT-053 finding
                return self.send(400, {"code": "InvalidParameterValue"})
            return self.ogc(path[len(OGC):] or "/")
        self.send(404, {"code": "NotFound"})

    # -- OGC API ---------------------------------------------------------------------------------------------------
    def base(self) -> str:
        return self.app.url + OGC

    def ogc(self, path: str) -> None:
        f, base = self.faults, self.base()
        if path in ("/", "", "/index.json"):  # index.json: a base URL that names the landing page's file
            if "root-500" in f:
                return self.send(500, {"code": "ServerError"})
            links = [{"href": base + "/", "rel": "self", "type": "application/json"},
                     {"href": base + "/api", "rel": "service-desc",
                      "type": "application/vnd.oai.openapi+json;version=3.0"},
                     {"href": base + "/conformance", "rel": "conformance", "type": "application/json"},
                     {"href": base + "/collections", "rel": "data", "type": "application/json"}]
            if "service-doc-only" in f:  # the API documented for people only (an HTML page), no service-desc
                links[1] = {"href": base + "/api.html", "rel": "service-doc", "type": "text/html"}
            if "no-conformance-link" in f:
                links = [l for l in links if l["rel"] != "conformance"]
            if "no-data-link" in f:
                links = [l for l in links if l["rel"] != "data"]
            if "links-other-host" in f:  # not a rule's fault: the probe must not follow links off the named host
                other = base.replace("127.0.0.1", "localhost")
                links = [{**l, "href": l["href"].replace(base, other)} for l in links]
            return self.send(200, {"title": "fake", "links": links})
        if path.startswith("/api-parts/") and "oas-split" in f:
            part = self.openapi_part(path[len("/api-parts/"):])
            return self.send(404, {"code": "NotFound"}) if part is None else self.send(200, part)
        if path == "/api.html" and "service-doc-only" in f:
            return self.send(200, "<html><body>API</body></html>", "text/html")
        if path == "/api":
            if "api-404" in f or "swagger-missing" in f:
                return self.send(404, {"code": "NotFound"})
            if "api-not-openapi" in f:
                return self.send(200, {"hello": "world"})
            if "api-garbage" in f:  # neither JSON nor YAML
                return self.send(200, "openapi: [3.0.3\npaths: {", "text/plain")
            return self.send(200, self.openapi(), "application/vnd.oai.openapi+json;version=3.0")
        if path == "/conformance":
            if "conformance-500" in f:
                return self.send(500, {"code": "ServerError"})
            features = ("core", "oas30") if "no-geojson-class" in f else ("core", "geojson", "oas30")
            classes = [(F1.replace("/1.0/", "/1.1/") if "features-1.1-uris" in f else F1) + c for c in features]
            if "no-core-class" in f:
                classes = classes[1:]
            classes += [F2 + "crs", F3 + "queryables", F3 + "filter", F3 + "features-filter"]
            if "declares-part4" in f:
                classes.append("http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete")
            records = ["core"] if "draft-records-uri" in f else ["records-api", "record-core", "record-collection"]
            if "no-records-class" not in f:
                classes += [R1 + c for c in records]
            if "records-typo-uris" in f:  # misspellings met in the wild (not a rule's fault)
                classes = [c for c in classes if R1 not in c] + [
                    "https://www.opengis.net/spec/ogcapi-records-1/1.0/conf/record-api/",
                    "http://www.opengis.net/spec/ogcapi-records-1/1.0/req/recordcore",
                    "http://www.opengis.net/spec/ogcapi-record-1/1.0/conf/record-collection"]
            if "draft-opensearch" in f:  # a draft class that became no 1.0 class (not a rule's own fault)
                classes.append(R1 + "opensearch")
            return self.send(200, {"conformsTo": classes})
        if path == "/collections":
            if "collections-html" in f:
                return self.send(200, "<html><body>Login</body></html>", "text/html")
            if "catalogues-500" in f:
                return self.send(500, {"code": "ServerError"})
            links = [] if "collections-no-self" in f else [{"href": base + "/collections", "rel": "self",
                                                             "type": "application/json"}]
            listing = [self.collection("roads"), self.collection("catalogue")]
            if "archive-first" in f:  # not a rule's fault: an empty catalogue listed before the one with records
                listing.insert(1, self.collection("archive"))
            if "crs-string" in f:  # collections.yaml: crs is an array of URIs
                listing[0]["crs"] = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
            if "collections-untyped-links" in f:  # two links of the resource without a media type
                links += [{"href": base + "/collections?f=html", "rel": "alternate"},
                          {"href": base + "/collections?f=xml", "rel": "alternate"}]
            return self.send(200, {"links": links, "collections": listing})
        segments = path.strip("/").split("/")
        if segments[0] != "collections" or len(segments) < 2 or segments[1] not in (
                "roads", "catalogue", *(["archive"] if "archive-first" in f else [])):
            return self.send(404, {"code": "NotFound"})
        cid = segments[1]
        if len(segments) == 2:
            if "collection-404" in f:
                return self.send(404, {"code": "NotFound"})
            document = self.collection(cid)
            if "collection-wrong-id" in f:
                document["id"] = "other"
            if "collection-title-differs" in f:  # not a rule's own fault: the second half of OAFEAT-014
                document["title"] = "Another title"
            if "collection-title-missing" in f:  # present in /collections, missing here: not identical either
                del document["title"]
            if "collection-description-differs" in f and cid == "roads":  # here only: not identical either
                document["description"] = "Roads of Riverton"
            if "collection-itemtype-differs" in f and cid == "roads":
                document["itemType"] = "record"
            return self.send(200, document)
        if segments[2] == "queryables" and len(segments) == 3:
            if "queryables-not-schema" in f:
                return self.send(200, {"queryables": ["name"]})
            return self.send(200, {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                                   "properties": {"name": {"type": "string"}, "title": {"type": "string"}}},
                             "application/schema+json")
        if segments[2] != "items":
            return self.send(404, {"code": "NotFound"})
        if len(segments) == 3:
            return self.items(cid)
        return self.item(cid, segments[3])

    def collection(self, cid: str) -> dict[str, Any]:
        f, base = self.faults, self.base()
        links = [{"href": f"{base}/collections/{cid}", "rel": "self", "type": "application/json"}]
        if "no-items-link" not in f:
            # items-link-query (not a rule's fault): the link carries a query, as pygeoapi's ?f=json
            query = "?f=json" if "items-link-query" in f else ""
            links.append({"href": f"{base}/collections/{cid}/items{query}", "rel": "items",
                          "type": "application/geo+json"})
        document: dict[str, Any] = {"id": cid, "title": cid.title(), "links": links,
                                    "extent": {"spatial": {"bbox": [[1, 2, 3]]}} if "bad-extent" in f else
                                    {"spatial": {"bbox": [[0, 0, 1, 1]]}} if "extent-too-small" in f else EXTENT,
                                    "itemType": "record" if cid in ("catalogue", "archive") else "feature",
                                    "crs": [CRS84, WEB_MERCATOR]}
        if "collection-no-id" in f and cid == "roads":
            del document["id"]
        if "collection-no-links" in f and cid == "roads":
            del document["links"]
        if "catalogue-no-title" in f and cid == "catalogue":
            del document["title"]
        return document

    def items(self, cid: str) -> None:
        f, q, base = self.faults, self.query, self.base()
        known = {"limit", "bbox", "datetime", "f", "q", "offset", "crs", "filter", "filter-lang", "type", "ids"}
        if any(k not in known for k in q) and "accept-unknown" not in f:
            return self.send(400, {"code": "InvalidParameterValue", "description": "unknown parameter"})
        if "items-500" in f and (cid == "roads" or "catalogue-items-500" in f):
            return self.send(500, {"code": "ServerError"})
        limit_text = q.get("limit", "10")
        if not limit_text.isdigit() or int(limit_text) < 1:
            if "accept-invalid" not in f:
                return self.send(400, {"code": "InvalidParameterValue", "description": "limit"})
            limit_text = "10"
        if "datetime" in q and "datetime-400" in f:
            return self.send(400, {"code": "InvalidParameterValue"})
        crs = q.get("crs")
        if crs is not None and crs not in (CRS84, WEB_MERCATOR):
            return self.send(400, {"code": "InvalidParameterValue", "description": "crs"})
        pool = [dict(x) for x in (ROADS if cid == "roads" else [] if cid == "archive" else RECORDS)]
        if "records-bare" in f and cid == "catalogue":  # not a rule's fault: records the query probes cannot use
            kind = "" if "records-empty-type" in f else "dataset,service"
            pool = [{**x, "geometry": None, "time": None,
                     "properties": {**x["properties"], "title": "Air", "type": kind}} for x in pool]
        if cid == "roads" and "empty-roads" in f:
            pool = []
        if "bad-geometry" in f:
            pool[0]["geometry"] = {"type": "Circle", "radius": 3}
        if "feature-no-type" in f and cid == "roads":
            del pool[0]["type"]
        if "null-geometry-bad-link" in f and cid == "roads":  # a link without href: only the OGC schema says so
            pool[0].update(geometry=None, links=[{"rel": "alternate", "type": "text/html"}])
        if "broken-geometries" in f and cid == "roads":  # the five defects of issue 11, one per feature
            for feature, geometry in zip(pool, BROKEN_GEOMETRIES):
                feature["geometry"] = geometry
        if "many-bad-geometries" in f and cid == "roads":
            pool = [{**ROADS[0], "id": f"bad{i}", "geometry": {"type": "Pointz", "coordinates": [4.3, 50.8]}}
                    for i in range(15)]
        when = "opened"
        if "datetime-on-inspected" in f and cid == "roads":  # not a rule's fault: a second date, the one filtered on
            pool = [{**x, "properties": {**x["properties"], "inspected": f"203{x['id'][1:]}-01-01T00:00:00Z"}}
                    for x in pool]
            when = "inspected"
        if "roads-closed" in f and cid == "roads":  # not a rule's fault: a second date, a day later, not filtered on
            pool = [{**x, "properties": {**x["properties"], "closed": f"201{x['id'][1:]}-01-02T00:00:00Z"}}
                    for x in pool]
        if "datetime" in q and cid == "roads" and "ignore-datetime" not in f and not (
                "ignore-half-open" in f and ".." in q["datetime"]):
            low, high = interval(q["datetime"])
            pool = [x for x in pool if (low is None or stamp(x["properties"][when]) >= low)
                    and (high is None or stamp(x["properties"][when]) <= high)]
        if "records-updated" in f and cid == "catalogue":  # not a rule's fault: a second time, not filtered on
            pool = [{**x, "properties": {**x["properties"], "updated": "2010-01-01T00:00:00Z"}} for x in pool]
        if "datetime" in q and cid == "catalogue" and "records-ignore-datetime" not in f:
            low, high = interval(q["datetime"])  # a record's date is the whole day
            pool = [] if "records-datetime-empty" in f else [
                x for x in pool if (low is None or stamp(x["time"]["date"]) + DAY > low)
                and (high is None or stamp(x["time"]["date"]) <= high)]
        if "type" in q and "records-ignore-type" not in f:
            pool = [] if "records-type-empty" in f else [
                x for x in pool if x["properties"].get("type") in q["type"].split(",")]
        if "ids" in q and "records-ignore-ids" not in f:
            pool = [] if "records-ids-empty" in f else [x for x in pool if x["id"] in q["ids"].split(",") or (
                "records-ids-plus-one" in f and x["id"] == "rec1")]
        if "filter" in q and "ignore-filter" not in f:
            name, value = q["filter"].split("=", 1)
            pool = [] if "filter-empty" in f else [x for x in pool if x["properties"].get(name) == value.strip("'")]

        if "not-crs84" in f:
            pool[0]["geometry"] = {"type": "Point", "coordinates": [450000.0, 5600000.0]}
        ignore_bbox = "ignore-bbox" in f if cid == "roads" else "records-ignore-bbox" in f
        if "bbox" in q and not ignore_bbox:
            x1, y1, x2, y2 = (float(v) for v in q["bbox"].split(","))
            # Points only: a geometry without point coordinates (the bad-geometry fault's Circle) is never inside.
            pool = [x for x in pool if x["geometry"] and len(x["geometry"].get("coordinates") or []) == 2
                    and x1 <= x["geometry"]["coordinates"][0] <= x2 and y1 <= x["geometry"]["coordinates"][1] <= y2]
            if ("bbox-empty" in f and cid == "roads") or ("records-bbox-empty" in f and cid == "catalogue"):
                pool = []
        if "datetime" in q and "datetime-empty" in f and cid == "roads":
            pool = []
        if "q" in q and "ignore-q" not in f:
            pool = [] if "records-q-empty" in f else [x for x in pool if q["q"].lower() in json.dumps(x).lower()]
        if "stranger-in-filter" in f and cid == "roads" and ("datetime" in q or "bbox" in q):
            pool = pool + [{**ROADS[0], "id": "stranger"}]  # a feature the unfiltered collection does not hold
        offset = int(q.get("offset", "0"))
        limit = min(int(limit_text), int(self.app.state.get("ogc-page", 10_000)))  # the server's own page size
        if offset and "page2-500" in f and cid == "roads":  # not a rule's fault: a later page fails
            return self.send(500, {"code": "ServerError"})
        if offset and "page2-not-object" in f and cid == "roads":
            return self.send(200, ["not", "an", "object"], "application/geo+json")
        if ("endless-next" in f or "endless-matched-small" in f) and cid == "roads" and not (
                "datetime" in q and "datetime-empty" in f):
            # a million features behind an endless chain of next links (endless-matched-small: and numberMatched 3)
            page = [{**ROADS[0], "id": f"r{offset + i}"} for i in range(limit)]
            links = [{"href": f"{base}/collections/{cid}/items?limit={limit}&offset={offset + limit}",
                      "rel": "next", "type": "application/geo+json"},
                     {"href": f"{base}/collections/{cid}/items", "rel": "self", "type": "application/geo+json"}]
            return self.send(200, {"type": "FeatureCollection", "features": page, "links": links,
                                   "numberMatched": 3 if "endless-matched-small" in f else 1_000_000,
                                   "numberReturned": len(page)}, "application/geo+json")
        ignore_limit = "ignore-limit" in f if cid == "roads" else "records-ignore-limit" in f
        page = pool[offset:] if ignore_limit else pool[offset:offset + limit + (
            "records-limit-plus-one" in f and cid == "catalogue")]
        if cid == "catalogue":
            page = [self.record_links(x) for x in page]
            if "record-not-object" in f:  # a string among the records, longer than a finding shows
                page = [*page, "not a record but a string of seventy characters, cut to sixty in findings"]
        links = [] if "items-no-self" in f else [{"href": f"{base}/collections/{cid}/items", "rel": "self",
                                                   "type": "application/geo+json"}]
        if offset + len(page) < len(pool):
            links.append({"href": f"{base}/collections/{cid}/items?limit={limit}&offset={offset + limit}",
                          "rel": "next", "type": "application/geo+json"})
        document: dict[str, Any] = {
            "type": "Collection" if ("items-not-fc" in f and cid == "roads") or (
                "records-not-fc" in f and cid == "catalogue") else "FeatureCollection",
            "features": {"r0": page[0]} if "features-not-array" in f and cid == "roads" and page else page,
            "links": links,
            "numberMatched": -1 if "matched-negative" in f else "5" if "matched-text" in f else len(pool) + (
                3 if "wrong-matched" in f else 0),
            "numberReturned": -1 if "negative-returned" in f else len(page) + (1 if "wrong-returned" in f else 0),
            "timeStamp": "yesterday" if "bad-timestamp" in f else stamp_text(datetime.now(timezone.utc) - timedelta(
                hours=24.5 if "stale-timestamp" in f and cid == "roads" else 0), "lower-case-timestamp" in f)}
        if "items-no-features" in f and cid == "roads":
            del document["features"]
        media = "application/json" if "json-media-type" in f else "" if (
            "items-no-content-type" in f and cid == "roads") else "application/geo+json"
        extra = {"Content-Crs": f"<{crs or CRS84}>"} if "crs-no-header" not in f else {}
        self.send(200, document, media, extra)

    def record_links(self, record: dict[str, Any]) -> dict[str, Any]:
        record = dict(record)
        if "record-no-title" in self.faults:
            record["properties"] = {k: v for k, v in record["properties"].items() if k != "title"}
        base = self.base()
        links = [{"href": f"{base}/collections/catalogue", "rel": "collection", "type": "application/json"}]
        if "record-two-collections" in self.faults:  # /req/record-core/links B: one catalogue per record
            links.append({"href": f"{base}/collections/other", "rel": "collection", "type": "application/json"})
        if "record-no-self" not in self.faults:
            links.append({"href": f"{base}/collections/catalogue/items/{record['id']}", "rel": "self",
                          "type": "application/geo+json"})
        record["links"] = links
        return record

    def item(self, cid: str, fid: str) -> None:
        f, base = self.faults, self.base()
        pool = ROADS if cid == "roads" else RECORDS
        found = next((dict(x) for x in pool if x["id"] == fid), None)
        if found is None or ("feature-404" in f and cid == "roads") or ("record-404" in f and cid == "catalogue"):
            return self.send(404, {"code": "NotFound"})
        if cid == "catalogue":
            record = self.record_links(found)
            if "record-wrong-id" in f:
                record["id"] = "rec1"
            return self.send(200, record, "application/geo+json")
        if "feature-wrong-id" in f:
            found["id"] = "nope"
        links = [{"href": f"{base}/collections/{cid}/items/{fid}", "rel": "self", "type": "application/geo+json"}]
        if "feature-no-collection-link" not in f:
            links.append({"href": f"{base}/collections/{cid}", "rel": "collection", "type": "application/json"})
        if "feature-untyped-link" in f:
            del links[0]["type"]
        found["links"] = links
        if "feature-not-feature" in f:  # the feature inside a collection, as the items answer it
            return self.send(200, {"type": "FeatureCollection", "features": [found]}, "application/geo+json")
        self.send(200, found, "application/geo+json")

    def openapi(self) -> dict[str, Any]:
        f = self.faults
        param = {"$ref": "#/components/parameters/limit"} if "oas-dangling-ref" not in f else {
            "$ref": "#/components/parameters/missing"}
        items_params = [param, {"name": "bbox", "in": "query", "style": "form", "explode": False,
                                "schema": {"type": "array", "items": {"type": "number"}, "minItems": 4}},
                        {"name": "datetime", "in": "query", "schema": {"type": "string"}},
                        {"name": "q", "in": "query", "schema": {"type": "string"}},
                        {"name": "offset", "in": "query", "schema": {"type": "integer"}}]
        if "oas-no-limit" in f:
            items_params = items_params[1:]
        if "oas-no-bbox" in f:
            items_params = [p for p in items_params if p.get("name") != "bbox"]
        if "oas-no-datetime" in f:
            items_params = [p for p in items_params if p.get("name") != "datetime"]
        if "oas-remote-datetime" in f or "oas-unpinned-datetime" in f:  # as pygeoapi writes it
            remote = ("https://schemas.opengis.net/ogcapi/features/part1/1.0/openapi/ogcapi-features-1.yaml"
                      if "oas-remote-datetime" in f else "https://example.org/unpinned/ogcapi-features-1.yaml")
            items_params = [{"$ref": f"{remote}#/components/parameters/datetime"} if p.get("name") == "datetime"
                            else p for p in items_params]
        if "vendor-specific" in f:  # 17-069r4 §7.6: a free-form parameter specifies all other parameters
            # variants (not faults): its schema by $ref, no style (form is the default for query parameters), and
            # two that are not free-form: additionalProperties false, style deepObject
            free: dict[str, Any] = {"name": "vendorSpecificParameters", "in": "query", "style": "form",
                                    "schema": {"$ref": "#/components/schemas/free"} if "free-form-ref" in f else
                                    {"type": "object", "additionalProperties": "free-form-closed" not in f}}
            if "free-form-no-style" in f:
                del free["style"]
            if "free-form-deep" in f:
                free["style"] = "deepObject"
            items_params.append(free)
        errors = {} if "oas-no-errors" in f else {"default": {"description": "any error"}} if "oas-default-error" in f \
            else {"400": {"description": "bad request"},
                                                   "500": {"description": "server error"}}
        ok = {"200": {"description": "ok"}}

        def op(op_id: str, params: list[Any] | None = None, more: dict[str, Any] | None = None) -> dict[str, Any]:
            return {"get": {"operationId": op_id, "parameters": params or [], "responses": {**ok, **(more or {})}}}
        paths: dict[str, Any] = {
            "/": op("getLandingPage"), "/conformance": op("getConformance"), "/collections": op("getCollections"),
            "/api": op("getApi"),
            "/collections/{collectionId}": op("getCollection", [{"$ref": "#/components/parameters/collectionId"}]),
            "/collections/{collectionId}/items": op("getFeatures", [{"$ref": "#/components/parameters/collectionId"},
                                                                    *items_params], errors),
            "/collections/{collectionId}/items/{featureId}": op(
                "getFeatures" if "oas-duplicate-opid" in f else "getFeature",
                [{"$ref": "#/components/parameters/collectionId"},
                 {"name": "featureId", "in": "path", "required": True, "schema": {"type": "string"}}]),
        }
        if "oas-incomplete" in f:
            del paths["/collections"]
        if "oas-no-items-op" in f:  # a variant, not a fault of the table: it breaks several rules at once
            del paths["/collections/{collectionId}/items"]
        if "oas-phantom-path" in f:
            paths["/phantom"] = op("getPhantom")
        if "oas-enum-path" in f:
            # /ats/oas30/oas-impl builds a path from each enumerated path parameter: two are served, one is not
            # (404), one fails (500), one answers 400 (served, but wants input). A GET that needs a query parameter
            # cannot be asked without one, whether the operation, its path item or a $ref declares it.
            # (those and a POST-only path come first: the paths after them are still asked)
            paths["/search"] = op("search", [{"name": "q", "in": "query", "required": True,
                                               "schema": {"type": "string"}}])
            paths["/lookup"] = {**op("lookup"), "parameters": [{"name": "id", "in": "query", "required": True}]}
            paths["/find"] = op("find", [{"$ref": "#/components/parameters/term"}])
            paths["/submit"] = {"post": {"operationId": "submit", "responses": ok}}
            paths["/{page}"] = op("getPage", [{"name": "page", "in": "path", "required": True,
                                               "schema": {"type": "string", "enum": [
                                                   "conformance", "collections", "gone", "broken", "picky"]}}])
        if "oas-many-paths" in f:  # a variant, not a fault of the table: more paths than OAFEAT-053 asks
            paths["/{page}"] = op("getPage", [{"name": "page", "in": "path", "required": True,
                                               "schema": {"type": "string", "enum": [f"p{i:02d}" for i in range(20)]}}])
        if "oas-invalid" in f:
            paths["/conformance"]["get"]["responses"] = "none"
        document: dict[str, Any] = {
            "openapi": "3.1.0" if "oas31" in f else "3.0.3", "info": {"title": "fake", "version": "1"},
            "paths": paths,
            "components": {"parameters": {
                "collectionId": {"name": "collectionId", "in": "path", "required": True, "schema": {"type": "string"}},
                "limit": {"name": "limit", "in": "query", "style": "form", "explode": False,
                          "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 10}},
                "term": {"name": "term", "in": "query", "required": True, "schema": {"type": "string"}}},
                "schemas": {"free": {"type": "object", "additionalProperties": True}}}}
        if "swagger2" in f:
            document = {"swagger": "2.0", "info": {"title": "fake", "version": "1"}, "paths": {}}
        if "oas-split" in f:
            # a variant, not a fault: the definition in pieces, as OGC publishes its building blocks. The items path
            # item is another document of the API; its parameters are a relative $ref to a third one, OGC's pinned
            # split files, and a $ref back into the definition.
            paths["/collections/{collectionId}/items"] = {"$ref": "api-parts/items.json"}
        return document

    OGC_PARAMETERS = "https://schemas.opengis.net/ogcapi/features/part1/1.0/openapi/parameters/"

    def openapi_part(self, name: str) -> dict[str, Any] | None:
        """The pieces of the oas-split definition (relative to /api: /api-parts/…); oas-split-404 loses one."""
        if name == "items.json" and "oas-split-404" not in self.faults:
            return {"get": {"operationId": "getFeatures", "parameters": [
                {"$ref": "../api#/components/parameters/collectionId"},
                {"$ref": "https://example.org/unpinned/shared.json#/p1" if "oas-split-opaque" in self.faults
                 else "params.json#/limit"},
                {"$ref": self.OGC_PARAMETERS + "bbox.yaml"}, {"$ref": self.OGC_PARAMETERS + "datetime.yaml"}],
                "responses": {"200": {"description": "ok"}, "400": {"description": "bad request"},
                              "500": {"description": "server error"}}}}
        if name == "params.json":
            return {"limit": {"name": "limit", "in": "query", "style": "form", "explode": False,
                              "schema": {"$ref": "https://example.org/unpinned/schemas.json#/limit"
                                         if "oas-split-schema" in self.faults else "#/limitSchema"}},
                    "limitSchema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 10}}
        return None

    # -- SensorThings ----------------------------------------------------------------------------------------------
    def sta(self, path: str) -> None:
        f, q = self.faults, self.query
        base = self.app.url + STA
        if "sta-sets-elsewhere" in f:
            # a data situation: the root lists every set at another path, and only there are the sets served
            base += "/sets"
            if path not in ("", "/"):
                if not path.startswith("/sets/"):
                    return self.send(404, {"error": "the sets are under /sets"})
                path = path[len("/sets"):]
        entities = sta_entities(base, f, int(self.app.state.get("sta-things", 2)))
        if path in ("", "/"):
            sets = [{"name": n, "url": f"{base}/{n}"} for n in entities if not (
                n in ("Sensors", "ObservedProperties") and "sta-root-missing-set" in f)]
            body: dict[str, Any] = {"value": {"sets": sets} if "sta-root-no-value" in f else sets}
            if "sta-no-settings" not in f:
                # sta-https-classes: not a rule's fault, the classes written with https (they name the same classes)
                prefix = ("https" if "sta-https-classes" in f else "http") + "://www.opengis.net/spec/iot_sensing/"
                body["serverSettings"] = {"conformance": [
                    prefix + ("1.0/req/" if "sta-no-11-class" in f else "1.1/req/") + c
                    for c in ("datamodel", "resource-path/resource-path-to-entities", "request-data")]}
            return self.send(200, body)
        name, ident, rest = parse_sta_path(path)
        if name not in entities:
            return self.send(404, {"error": "no such set"})
        if ident is not None and not key_syntax_ok(path, f):
            return self.send(400, {"error": "malformed key"})
        pool = entities[name]
        if ident is None:
            if name == "Observations" and "sta-set-500" in f:
                return self.send(500, {"error": "boom"})
            if name == "Observations" and "sta-set-no-value" in f:
                return self.send(200, {"value": "none"})
            top = int(q.get("$top", "100"))
            skip = int(q.get("$skip", "0"))
            if name == "Observations" and "sta-own-order" in f:  # newest first, whatever $orderby asks
                pool = pool[::-1]
            own_order = "sta-ignore-orderby" in f or "sta-own-order" in f
            if "$orderby" in q and "sta-orderby-drops-first" in f:  # sorted, but without the first entity
                pool = sorted(pool, key=lambda e: e["result"], reverse=q["$orderby"].endswith(" desc"))[1:]
                own_order = True
            if q.get("$orderby", "").startswith("result") and not own_order:
                pool = sorted(pool, key=result_order, reverse=q["$orderby"].endswith(" desc"))
            if q.get("$orderby", "").startswith("phenomenonTime") and not (
                    "sta-ignore-orderby-time" in f or "sta-own-order" in f):
                pool = sorted(pool, key=lambda e: start_of(e["phenomenonTime"]),
                              reverse=q["$orderby"].endswith(" desc"))
            if q.get("$filter", "").startswith("result gt ") and "sta-ignore-filter" not in f:
                pool = [e for e in pool if isinstance(e["result"], (int, float))
                        and e["result"] > float(q["$filter"].rsplit(" ", 1)[1])]
            if q.get("$filter", "").startswith("phenomenonTime gt ") and "sta-ignore-time-filter" not in f:
                pool = [e for e in pool if start_of(e["phenomenonTime"]) > stamp(q["$filter"].rsplit(" ", 1)[1])]
            if q.get("$filter", "").startswith(("result gt ", "phenomenonTime gt ")) and "sta-filter-drops-last" in f:
                pool = pool[:-1]
            if q.get("$filter", "").startswith("geo.intersects(location,") and "sta-ignore-geo-filter" not in f:
                ring = [tuple(map(float, p.split())) for p in q["$filter"].split("((")[1].split("))")[0].split(",")]
                xs, ys = [p[0] for p in ring], [p[1] for p in ring]
                pool = [e for e in pool
                        if min(xs) <= point_of(e)[0] <= max(xs) and min(ys) <= point_of(e)[1] <= max(ys)]
            if q.get("$expand") == "Datastreams" and name == "Things" and "sta-ignore-expand" not in f:
                extra = [{"@iot.id": 2, "name": "other"}, {"@iot.id": "ds-x", "name": "other"}] \
                    if "sta-expand-extra" in f else []
                pool = [{**e, "Datastreams": [] if {"sta-expand-empty", "sta-expand-empty-paged"} & f
                         else self.related(entities) + extra} for e in pool]
                if "sta-expand-no-value" in f:  # the Things under their set's name, not in a value array
                    return self.send(200, {"Things": pool})
            top = min(top, int(self.app.state.get("sta-page", 100)))  # the server's own page size
            page = pool[skip:] if "sta-ignore-top" in f else pool[skip:skip + top - ("sta-top-short" in f)
                                                                  + ("sta-top-two" in f and top == 1)]
            if "$select" in q and "sta-ignore-select" not in f:
                keep = q["$select"].split(",")
                page = [{k: v for k, v in e.items() if (k in keep and "sta-select-drops" not in f)
                         or k.startswith("@iot.")} for e in page]
            body = {"value": page}
            if q.get("$count") == "true" and "sta-no-count" not in f:
                body["@iot.count"] = len(page) if "sta-count-page" in f else len(pool)
            if skip + len(page) < len(pool) and "sta-no-nextlink" not in f:
                following = skip if "sta-nextlink-same-page" in f else skip + top
                body["@iot.nextLink"] = f"{base}/{name}?$top={top}&$skip={following}"
            if skip and "sta-next-empty" in f:  # the next link leads to an empty page
                body["value"] = []
            if "$select" in q and "sta-select-drops-thing" in f:  # one Thing, as if it were all of them
                body = {"value": page[:1]}
            return self.send(200, body)
        entity = next((e for e in pool if str(e["@iot.id"]) == ident), None)
        if entity is None:
            return self.send(200, {"value": []}) if "sta-missing-200" in f else self.send(404, {"error": "missing"})
        if not rest:
            if "sta-self-other" in f:  # the other Thing (or the first, for the second)
                entity = next(e for e in pool if e is not entity)
            if "sta-self-list" in f:  # the entity inside a list, as a collection would answer
                return self.send(200, [entity])
            return self.send(404, {"error": "x"}) if "sta-self-404" in f else self.send(200, entity)
        if rest == ["name"]:
            return self.send(200, {"value": entity["name"]} if "sta-property-wrapped" in f else
                             {"name": entity["name"]})
        if rest == ["name", "$value"]:
            return self.send(200, json.dumps(entity["name"]) if "sta-value-json" in f else entity["name"],
                             "text/plain")
        if rest == ["Datastreams"]:
            if "sta-nav-500" in f:
                return self.send(500, {"error": "boom"})
            if "sta-nav-no-value" in f:
                return self.send(200, {"value": {"Datastreams": self.related(entities)}})
            listing: dict[str, Any] = {"value": self.related(entities)}
            if "sta-expand-empty-paged" in f:  # a first page, as if the Thing had more Datastreams
                listing["@iot.nextLink"] = f"{base}/{path.strip('/')}?$skip=1"
            return self.send(200, listing)
        self.send(404, {"error": "x"})

    def related(self, entities: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
        """The Datastreams of a Thing (every one; none with sta-no-datastreams, a data situation, not a fault)."""
        return [] if "sta-no-datastreams" in self.faults else entities["Datastreams"]


BROKEN_GEOMETRIES = [
    {"type": "Point", "coordinates": [4.3]},
    {"type": "Polygon", "coordinates": [[[4.3, 50.8], [4.4, 50.8], [4.4, 50.9]]]},
    {"type": "LineString", "coordinates": [[4.3, 50.8]]},
    {"type": "Point", "coordinates": ["4.3", "50.8"]},
    {"type": "Pointz", "coordinates": [4.3, 50.8]},
]


DAY = timedelta(days=1)


def stamp(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def interval(text: str) -> tuple[datetime | None, datetime | None]:
    """An OGC datetime value (instant, closed or half-open interval) as (low, high); None is open."""
    if "/" not in text:
        return stamp(text), stamp(text)
    low, high = text.split("/", 1)
    return (None if low in ("", "..") else stamp(low)), (None if high in ("", "..") else stamp(high))


def start_of(text: str) -> datetime:
    """The start of a phenomenonTime: an instant, or an ISO 8601 interval start/end."""
    return stamp(text.split("/", 1)[0])


def key_syntax_ok(path: str, faults: set[str]) -> bool:
    """Keys as a server with these keys parses them: sta-string-ids wants 'quoted' strings, sta-uuid-ids bare UUIDs
    (a quoted or malformed one is a 400, as a server keyed by GUIDs answers); integer keys are taken either way."""
    written = path.strip("/").split("/")[0].split("(", 1)[1][:-1]
    if "sta-string-ids" in faults:
        return len(written) > 1 and written[0] == written[-1] == "'"
    if "sta-uuid-ids" in faults:
        return bool(re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", written))
    return True


def sta_key(name: str, i: int, faults: set[str]) -> int | str:
    """The @iot.id of the i-th entity of a set: an integer, or a string (sta-string-ids), or a UUID (sta-uuid-ids)."""
    if "sta-string-ids" in faults:
        return f"{name[:-1].lower()}-{i}"
    if "sta-uuid-ids" in faults:
        return f"{ENTITY_NUMBER[name]:08x}-0000-4000-8000-{i:012x}"
    return i


ENTITY_NUMBER = {name: n for n, name in enumerate(("Things", "Locations", "HistoricalLocations", "Datastreams",
                                                   "Sensors", "ObservedProperties", "Observations",
                                                   "FeaturesOfInterest"), 1)}


def parse_sta_path(path: str) -> tuple[str, str | None, list[str]]:
    head, *rest = path.strip("/").split("/")
    if "(" in head and head.endswith(")"):
        name, ident = head[:-1].split("(", 1)
        return name, ident.strip("'"), rest
    return head, None, rest


def sta_entities(base: str, faults: set[str], things: int = 2) -> dict[str, list[dict[str, Any]]]:
    def entity(name: str, number: int, props: dict[str, Any], nav: tuple[str, ...]) -> dict[str, Any]:
        ident = sta_key(name, number, faults)
        key = f"'{ident}'" if "sta-string-ids" in faults else ident
        body: dict[str, Any] = {"@iot.id": ident, **props}
        if "sta-no-selflink" not in faults:
            body["@iot.selfLink"] = f"{base}/{name}({key})"
        if "sta-no-navlinks" not in faults:
            body.update({f"{n}@iot.navigationLink": f"{base}/{name}({key})/{n}" for n in nav})
        return body
    point = {"type": "Point", "coordinates": [4.35, 50.85]}
    datastream = {"name": "temp", "description": "t", "unitOfMeasurement": {"name": "C", "symbol": "C",
                                                                              "definition": "http://qudt.org/C"},
                  "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"}
    if "sta-no-uom" in faults or "sta-no-uom-type" in faults:
        del datastream["unitOfMeasurement"]
    if "sta-no-uom-type" in faults:
        del datastream["observationType"]
    return {
        "Things": [entity("Things", i, {"name": name, "description": "d"},
                          ("Locations", "HistoricalLocations", "Datastreams"))
                   for i, name in ((1, "station"), (2, "mast"), *((i, f"thing {i}") for i in range(3, things + 1)))
                   ][:things],
        # sta-no-location-point: not a rule's fault, Locations given as polygons, which the geo probe does not use
        "Locations": [entity("Locations", i, {"name": "roof", "description": "d", "encodingType":
                                              "application/geo+json", "location": {
                                                  "type": "Polygon", "coordinates": [[[4, 50], [5, 50], [5, 51],
                                                                                      [4, 50]]]}
                                              if "sta-no-location-point" in faults else where},
                             ("Things", "HistoricalLocations"))
                      for i, where in ((1, point), (2, {"type": "Point", "coordinates": [5.0, 51.0]}),
                                       # sta-locations-on-edges: on the east and the south edge of the probe's
                                       # polygon around the first (geo.intersects includes the edge), and just out
                                       *(((3, {"type": "Point", "coordinates": [4.3501, 50.85]}),
                                          (4, {"type": "Point", "coordinates": [4.35, 50.8499]}),
                                          (5, {"type": "Point", "coordinates": [4.35011, 50.85]}))
                                         if "sta-locations-on-edges" in faults else ()),
                                       # sta-wkt-location: a location written as WKT text, inside the polygon
                                       *(((6, "POINT (4.35 50.85)"),) if "sta-wkt-location" in faults else ()))],
        "HistoricalLocations": [],
        "Datastreams": [entity("Datastreams", 1, datastream, ("Thing", "Sensor", "ObservedProperty", "Observations"))],
        "Sensors": [entity("Sensors", 1, {"name": "s", "description": "d", "encodingType": "text/html",
                                          "metadata": "https://example.org"}, ("Datastreams",))],
        "ObservedProperties": [entity("ObservedProperties", 1, {"name": "T", "definition": "https://example.org/T",
                                                                "description": "d"}, ("Datastreams",))],
        # sta-text-result: the fourth Observation's result is a text, which the order and filter probes leave out
        "Observations": [entity("Observations", i, {"phenomenonTime": observed(i, faults),
                                                    "result": "n/a" if i == 4 else 20 + i,
                                                    "resultTime": f"2024-01-01T0{i}:00:00Z"},
                                ("Datastream", "FeatureOfInterest"))
                         # sta-one-observation: not a rule's fault, a data situation the query probes cannot verify
                         # sta-two-observations: two, the fewest the order and filter probes can tell apart
                         # sta-no-observations: none at all
                         for i in range(1, 1 if "sta-no-observations" in faults else
                                        2 if "sta-one-observation" in faults else
                                        3 if "sta-two-observations" in faults else
                                        5 if "sta-text-result" in faults else 4)],
        "FeaturesOfInterest": [entity("FeaturesOfInterest", 1, {"name": "f", "description": "d", "encodingType":
                                                                 "application/geo+json", "feature": point},
                                      ("Observations",))],
    }


def stamp_text(moment: datetime, lower: bool) -> str:
    """RFC 3339 with Z; lower-case-timestamp (not a fault, §5.6 allows it): 2026-12-02t10:00:00z."""
    text = moment.isoformat().replace("+00:00", "Z")
    return text.lower() if lower else text


def point_of(location: dict[str, Any]) -> tuple[float, float]:
    """A Location's x and y, from its GeoJSON Point or its WKT POINT text (sta-wkt-location)."""
    where = location["location"]
    if isinstance(where, str):
        x, y = where.split("(", 1)[1].rstrip(")").split()
        return float(x), float(y)
    return float(where["coordinates"][0]), float(where["coordinates"][1])


def result_order(entity: dict[str, Any]) -> tuple[int, float]:
    """Numbers by value; a result that is no number (sta-text-result) sorts after them."""
    value = entity["result"]
    return (0, float(value)) if isinstance(value, (int, float)) else (1, 0.0)


def observed(i: int, faults: set[str]) -> str:
    """The phenomenonTime of the i-th Observation: the i-th hour, or (data situations, not faults) an interval of half
    an hour from it (sta-interval-times), or the first written with an offset that makes it the latest instant while
    its text sorts first (sta-offset-times)."""
    if "sta-interval-times" in faults:
        return f"2024-01-01T0{i}:00:00Z/2024-01-01T0{i}:30:00Z"
    if "sta-offset-times" in faults and i == 1:
        return "2024-01-01T01:00:00-05:00"
    return f"2024-01-01T0{i}:00:00Z"


def start() -> LocalServer:
    return LocalServer(FakeApi).start()
