"""Every fault of the OGC API test server (tests/servers/fake_apis.py) gives exactly its verdicts and findings: the
status of every OGC API Features and Records rule that does not pass, and every finding's rule, request, value and note.

tests/api/test_api_rule_cases.py only checks that a fault's own rule fails; this table also pins what the finding
says (the request that shows the defect, the offending value) and that no other rule passes or fails by accident.
"""
from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from api_helpers import Row, assert_exact, at, probe
from ldt_conform import profile as profiles
from ldt_conform.checks.api import ogc_records
from ldt_conform.model import Severity, Status, Why
from servers import fake_apis
from servers.util import LocalServer

ROADS, CATALOGUE = "GET /collections/roads/items", "GET /collections/catalogue/items"
# OAFEAT-053 (/ats/oas30/oas-impl) builds paths only from URL templates whose path parameters are enumerated: the test
# server's three templates have none, so every Features run's pass of it names them as not tested.
TEMPLATED = ("pass", "not tested: 3 templated paths of the API definition without enumerated values "
                     "(/collections/{collectionId}, /collections/{collectionId}/items, "
                     "/collections/{collectionId}/items/{featureId})")
SPAN = "2020-01-01T00:00:00Z/2020-03-01T00:00:00Z"  # the records' first time to their last
ROADS_SPAN = "2010-01-01T00:00:00Z/2014-01-01T00:00:00Z"  # the roads' first opening to their last
# The bbox probes draw a box around the middle feature (road r2 at 4.32, 50.8) or the first record (4.35, 50.85), and
# one far from everything.
NEAR_R2, NEAR_REC0 = "4.319999,50.799999,4.320001,50.800001", "4.349999,50.849999,4.350001,50.850001"
FAR = "-179.9,-89.9,-179.8,-89.8"
R1 = fake_apis.R1
MERCATOR = fake_apis.WEB_MERCATOR
FEATURES = [r.id for r in profiles.load("ogcapi-features").rules if r.profile == "ogcapi-features"]
RECORDS = [r.id for r in profiles.load("ogcapi-records").rules if r.profile == "ogcapi-records"]



def statuses(*failing: str) -> dict[str, str]:
    return dict.fromkeys(failing, "fail")


def skips(*rules: str) -> dict[str, str]:
    return dict.fromkeys(rules, "skip")


def skips_all_but(*ran: str) -> dict[str, str]:
    """Every rule of the fault's profile is not verified except these (which pass or fail): a broken entry point."""
    family = FEATURES if ran[0].startswith("OAFEAT") else RECORDS
    return skips(*(rule for rule in family if rule not in ran))


# fault → (status of every rule that does not pass, every non-info finding: rule, focus pattern, value pattern, the
# note closing the message). Run with the profile of the fault's rule against the fake server's /ogc API.
FEATURES_EXACT: dict[str, tuple[dict[str, str], list[Row]]] = {
    # The endless chain answers every query with the same pages (a far bbox too) and no Content-Crs; past the
    # walk's cap, numberMatched is already smaller than what was read.
    "endless-matched-small": (statuses("OAFEAT-021", "OAFEAT-027", "OAFEAT-060"),
        [("OAFEAT-021", at(f"{ROADS}?limit=100&bbox={FAR}"), at("feature r0 and 199 more"),
          f"bbox={FAR} must select only features whose geometry intersects the box"),
         ("OAFEAT-027", at(f"{ROADS}?limit=100"), at("numberMatched=3, paged through 500 already"),
          "numberMatched must equal the number of features the query selects"),
         ("OAFEAT-060", at(f"{ROADS}?crs={MERCATOR}&limit=1"), at("Content-Crs: missing"),
          f"the Content-Crs header must name the CRS of the response, <{MERCATOR}>")]),
    # Both collections; the OGC schema says the same in its words.
    "matched-negative": (statuses("OAFEAT-027", "OAFEAT-041"),
        [("OAFEAT-027", at(f"{CATALOGUE}?limit=100"), at("-1"), "numberMatched must be a non-negative integer"),
         ("OAFEAT-027", at(f"{ROADS}?limit=100"), at("-1"), "numberMatched must be a non-negative integer"),
         ("OAFEAT-041", at(f"{CATALOGUE}?limit=100"), at("at /numberMatched: -1 is less than the minimum of 0"),
          "the response must validate against the OGC schema featureCollectionGeoJSON"),
         ("OAFEAT-041", at(f"{ROADS}?limit=100"), at("at /numberMatched: -1 is less than the minimum of 0"),
          "the response must validate against the OGC schema featureCollectionGeoJSON")]),
    "matched-text": (statuses("OAFEAT-027", "OAFEAT-041"),
        [("OAFEAT-027", at(f"{CATALOGUE}?limit=100"), at("5"), "numberMatched must be a non-negative integer"),
         ("OAFEAT-027", at(f"{ROADS}?limit=100"), at("5"), "numberMatched must be a non-negative integer"),
         ("OAFEAT-041", at(f"{CATALOGUE}?limit=100"), at("at /numberMatched: '5' is not of type 'integer'"),
          "the response must validate against the OGC schema featureCollectionGeoJSON"),
         ("OAFEAT-041", at(f"{ROADS}?limit=100"), at("at /numberMatched: '5' is not of type 'integer'"),
          "the response must validate against the OGC schema featureCollectionGeoJSON")]),
    # features is an object: the schema names it once (no "feature ?" per key), and the counts over the page are not
    # verified for roads (numberMatched) or not compared (numberReturned), instead of counting the object's keys.
    "features-not-array": (statuses("OAFEAT-016", "OAFEAT-041"),
        [("OAFEAT-016", at(f"{ROADS}"), at("features is not an array"), "features must be an array of features"),
         ("OAFEAT-041", at(f"{ROADS}?limit=100"), at("at /features: {'r0': {'type': 'Feature', 'id': 'r0', ") + ".*",
          "the response must validate against the OGC schema featureCollectionGeoJSON")]),
    # The RFC 7946 check names the feature; the schema's "'type' is a required property" at /features/0 is the same
    # defect, not repeated.
    "feature-no-type": (statuses("OAFEAT-041"),
        [("OAFEAT-041", at(f"{ROADS}?limit=100"), at("feature r0"),
          "every member of features must be a GeoJSON Feature (type \"Feature\")")]),
    # A null geometry is valid GeoJSON (its schema error is not shown), but the feature's other defects still are.
    "null-geometry-bad-link": (statuses("OAFEAT-041"),
        [("OAFEAT-041", at(f"{ROADS}?limit=100"), at("at /features/0/links/0: 'href' is a required property"),
          "the response must validate against the OGC schema featureCollectionGeoJSON")]),
    "root-500": (statuses("OAFEAT-001") | skips_all_but("OAFEAT-001"),
        [("OAFEAT-001", at("GET /"), at("HTTP 500"), "the server failed (expected 200)")]),
    "no-conformance-link": (statuses("OAFEAT-002") | skips("OAFEAT-004", "OAFEAT-005", "OAFEAT-018", "OAFEAT-020",
        "OAFEAT-022", "OAFEAT-050", "OAFEAT-051", "OAFEAT-052", "OAFEAT-053"),
        [("OAFEAT-002", at("GET /"), at("rel=conformance missing"), "add a link with rel \"conformance\"")]),
    "http10": (statuses("OAFEAT-003"),
        [("OAFEAT-003", at("GET /"), at("HTTP/1.0"), "the server must speak HTTP 1.1")]),
    "api-404": (statuses("OAFEAT-004") | skips("OAFEAT-005", "OAFEAT-018", "OAFEAT-020", "OAFEAT-022", "OAFEAT-050",
        "OAFEAT-051", "OAFEAT-052", "OAFEAT-053"),
        [("OAFEAT-004", at("GET /api"), at("HTTP 404"), "the API definition must answer 200")]),
    "api-not-openapi": (statuses("OAFEAT-005") | skips("OAFEAT-018", "OAFEAT-020", "OAFEAT-022", "OAFEAT-050",
        "OAFEAT-051", "OAFEAT-052", "OAFEAT-053"),
        [("OAFEAT-005", at("GET /api"), at("no openapi field"), "the API definition must be an OpenAPI document")]),
    # Without the declared classes no rule knows whether it applies; the OpenAPI rules say so in their own words.
    "conformance-500": (statuses("OAFEAT-006") | skips_all_but("OAFEAT-001", "OAFEAT-002", "OAFEAT-003", "OAFEAT-004",
        "OAFEAT-005", "OAFEAT-006"),
        [("OAFEAT-006", at("GET /conformance"), at("HTTP 500"), "the server failed (expected 200)")]),
    # The OpenAPI 3.0 rules run (the oas30 class is declared); everything reached through /collections waits for Core.
    "no-core-class": (statuses("OAFEAT-007") | skips_all_but("OAFEAT-001", "OAFEAT-002", "OAFEAT-003", "OAFEAT-004",
        "OAFEAT-005", "OAFEAT-006", "OAFEAT-007", "OAFEAT-050", "OAFEAT-052", "OAFEAT-053"),
        [("OAFEAT-007", at("GET /conformance"), at("core class not declared"),
          "declare http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core (or its 1.1 URI) in conformsTo")]),
    "collections-html": (statuses("OAFEAT-008") | skips_all_but("OAFEAT-001", "OAFEAT-002", "OAFEAT-003", "OAFEAT-004",
        "OAFEAT-005", "OAFEAT-006", "OAFEAT-007", "OAFEAT-008", "OAFEAT-050", "OAFEAT-052", "OAFEAT-053"),
        [("OAFEAT-008", at("GET /collections"), at("text/html"),
          "got an HTML page where JSON was expected (a login page or a proxy error?)")]),
    "collections-no-self": (statuses("OAFEAT-009"),
        [("OAFEAT-009", at("GET /collections"), at("rel=self missing"), "add a link with rel \"self\"")]),
    # The missing id breaks the OGC schema too: two rules see one defect, each names it in its own terms.
    "collection-no-id": (statuses("OAFEAT-009", "OAFEAT-010"),
        [("OAFEAT-009", at("GET /collections"), at("at /collections/0: 'id' is a required property"),
          "the collections response must validate against the OGC schema collections.yaml"),
         ("OAFEAT-010", at("GET /collections"), at("collections[0]"), "every collection needs a string id")]),
    "no-items-link": (statuses("OAFEAT-011"),
        [("OAFEAT-011", at("GET /collections"), at("collection catalogue"),
          "link the features of each collection with rel \"items\""),
         ("OAFEAT-011", at("GET /collections"), at("collection roads"),
          "link the features of each collection with rel \"items\"")]),
    # Both collections carry the 3-number box; the schema and the extent rule each name it.
    "bad-extent": (statuses("OAFEAT-009", "OAFEAT-012"),
        [("OAFEAT-009", at("GET /collections"),
          at("at /collections/0/extent/spatial/bbox/0: is not valid under any of the given schemas"),
          "the collections response must validate against the OGC schema collections.yaml"),
         ("OAFEAT-009", at("GET /collections"),
          at("at /collections/1/extent/spatial/bbox/0: is not valid under any of the given schemas"),
          "the collections response must validate against the OGC schema collections.yaml"),
         ("OAFEAT-012", at("GET /collections"), at("collection catalogue: [[1, 2, 3]]"),
          "extent.spatial.bbox must be an array of bounding boxes of 4 or 6 numbers"),
         ("OAFEAT-012", at("GET /collections"), at("collection roads: [[1, 2, 3]]"),
          "extent.spatial.bbox must be an array of bounding boxes of 4 or 6 numbers")]),
    # The crs rule reads the collection's crs list, so it is not verified (not failed) when the collection is missing.
    "collection-404": (statuses("OAFEAT-013") | skips("OAFEAT-014", "OAFEAT-060"),
        [("OAFEAT-013", at("GET /collections/catalogue"), at("HTTP 404"), "expected HTTP 200, got 404"),
         ("OAFEAT-013", at("GET /collections/roads"), at("HTTP 404"), "expected HTTP 200, got 404")]),
    "collection-wrong-id": (statuses("OAFEAT-014"),
        [("OAFEAT-014", at("GET /collections/catalogue"), at("other"),
          "the collection resource must describe collection catalogue (same id)"),
         ("OAFEAT-014", at("GET /collections/roads"), at("other"),
          "the collection resource must describe collection roads (same id)")]),
    "items-500": (statuses("OAFEAT-015"),
        [("OAFEAT-015", at(f"{ROADS}"), at("HTTP 500"), "the server failed (expected 200)")]),
    # Roads only; the GeoJSON schema rule reads the whole collection (limit=100) and sees the same wrong type.
    "items-not-fc": (statuses("OAFEAT-016", "OAFEAT-041"),
        [("OAFEAT-016", at(f"{ROADS}"), at("type=Collection"), "type must be \"FeatureCollection\""),
         ("OAFEAT-041", at(f"{ROADS}?limit=100"), at("at /type: 'Collection' is not one of ['FeatureCollection']"),
          "the response must validate against the OGC schema featureCollectionGeoJSON")]),
    "items-no-self": (statuses("OAFEAT-017"),
        [("OAFEAT-017", at(f"{CATALOGUE}?limit=1"), at("rel=self missing"), "add a link with rel \"self\""),
         ("OAFEAT-017", at(f"{ROADS}?limit=1"), at("rel=self missing"), "add a link with rel \"self\"")]),
    "oas-no-limit": (statuses("OAFEAT-018"),
        [("OAFEAT-018", at("GET /api"), at("limit on /collections/catalogue/items"),
          "define the limit query parameter as the standard specifies"),
         ("OAFEAT-018", at("GET /api"), at("limit on /collections/roads/items"),
          "define the limit query parameter as the standard specifies")]),
    "ignore-limit": (statuses("OAFEAT-019"),
        [("OAFEAT-019", at(f"{ROADS}?limit=2"), at("5 features"),
          "with limit=2 the response must hold at most 2 features")]),
    "oas-no-bbox": (statuses("OAFEAT-020"),
        [("OAFEAT-020", at("GET /api"), at("bbox on /collections/catalogue/items"),
          "define the bbox query parameter as the standard specifies"),
         ("OAFEAT-020", at("GET /api"), at("bbox on /collections/roads/items"),
          "define the bbox query parameter as the standard specifies")]),
    # A filter that returns nothing passes "only matching features": the middle road, inside the box, is missing.
    "bbox-empty": (statuses("OAFEAT-021"),
        [("OAFEAT-021", at(f"{ROADS}?limit=100&bbox={NEAR_R2}"), at("feature r2 missing"),
          f"bbox={NEAR_R2} must select the features whose own data match it")]),
    # All five roads for the far box; the four other roads for the box around r2.
    "ignore-bbox": (statuses("OAFEAT-021"),
        [("OAFEAT-021", at(f"{ROADS}?limit=100&bbox={FAR}"), at("feature r0 and 4 more"),
          f"bbox={FAR} must select only features whose geometry intersects the box"),
         ("OAFEAT-021", at(f"{ROADS}?limit=100&bbox={NEAR_R2}"), at("feature r0 and 3 more"),
          f"bbox={NEAR_R2} must select only features whose geometry intersects the box")]),
    "oas-no-datetime": (statuses("OAFEAT-022"),
        [("OAFEAT-022", at("GET /api"), at("datetime on /collections/catalogue/items"),
          "define the datetime query parameter as the standard specifies"),
         ("OAFEAT-022", at("GET /api"), at("datetime on /collections/roads/items"),
          "define the datetime query parameter as the standard specifies")]),
    # The first datetime query (the instant) fails the request; the collection's other queries are not sent.
    "datetime-400": (statuses("OAFEAT-023"),
        [("OAFEAT-023", at(f"{CATALOGUE}?limit=100&datetime=2020-02-01T00:00:00Z"), at("HTTP 400"),
          "expected HTTP 200, got 400"),
         ("OAFEAT-023", at(f"{ROADS}?limit=100&datetime=2012-01-01T00:00:00Z"), at("HTTP 400"),
          "expected HTTP 200, got 400")]),
    # Roads r0…r4 opened 2010…2014: the instant 2012 wants r2, 2011/2012 wants r1 and r2, 2012/.. r2–r4, ../2011
    # r0 and r1, the span 2010/2014 all five.
    "datetime-empty": (statuses("OAFEAT-023"),
        [("OAFEAT-023", at(f"{ROADS}?limit=100&datetime=../2011-01-01T00:00:00Z"), at("feature r0 missing and 1 more"),
          "datetime=../2011-01-01T00:00:00Z must select the features whose own data match it"),
         ("OAFEAT-023", at(f"{ROADS}?limit=100&datetime={ROADS_SPAN}"), at("feature r0 missing and 4 more"),
          f"datetime={ROADS_SPAN} must select the features whose own data match it"),
         ("OAFEAT-023", at(f"{ROADS}?limit=100&datetime=2011-01-01T00:00:00Z/2012-01-01T00:00:00Z"),
          at("feature r1 missing and 1 more"),
          "datetime=2011-01-01T00:00:00Z/2012-01-01T00:00:00Z must select the features whose own data match it"),
         ("OAFEAT-023", at(f"{ROADS}?limit=100&datetime=2012-01-01T00:00:00Z"), at("feature r2 missing"),
          "datetime=2012-01-01T00:00:00Z must select the features whose own data match it"),
         ("OAFEAT-023", at(f"{ROADS}?limit=100&datetime=2012-01-01T00:00:00Z/.."), at("feature r2 missing and 2 more"),
          "datetime=2012-01-01T00:00:00Z/.. must select the features whose own data match it")]),
    "accept-invalid": (statuses("OAFEAT-024"),
        [("OAFEAT-024", at(f"{CATALOGUE}?limit=-1"), at("HTTP 200"),
          "an invalid parameter value must be answered with 400"),
         ("OAFEAT-024", at(f"{CATALOGUE}?limit=abc"), at("HTTP 200"),
          "an invalid parameter value must be answered with 400"),
         ("OAFEAT-024", at(f"{ROADS}?limit=-1"), at("HTTP 200"),
          "an invalid parameter value must be answered with 400"),
         ("OAFEAT-024", at(f"{ROADS}?limit=abc"), at("HTTP 200"),
          "an invalid parameter value must be answered with 400")]),
    "accept-unknown": (statuses("OAFEAT-025"),
        [("OAFEAT-025", at(f"{CATALOGUE}?ldtConformUnknownParameter=1"), at("HTTP 200"),
          "a query parameter the API definition does not specify must be answered with 400"),
         ("OAFEAT-025", at(f"{ROADS}?ldtConformUnknownParameter=1"), at("HTTP 200"),
          "a query parameter the API definition does not specify must be answered with 400")]),
    "bad-timestamp": (statuses("OAFEAT-026"),
        [("OAFEAT-026", at(f"{CATALOGUE}"), at("yesterday"),
          "timeStamp must be the RFC 3339 time the response was generated"),
         ("OAFEAT-026", at(f"{ROADS}"), at("yesterday"),
          "timeStamp must be the RFC 3339 time the response was generated")]),
    "wrong-matched": (statuses("OAFEAT-027"),
        [("OAFEAT-027", at(f"{CATALOGUE}?limit=100"), at("numberMatched=6, paged through 3"),
          "numberMatched must equal the number of features the query selects"),
         ("OAFEAT-027", at(f"{ROADS}?limit=100"), at("numberMatched=8, paged through 5"),
          "numberMatched must equal the number of features the query selects")]),
    "wrong-returned": (statuses("OAFEAT-028"),
        [("OAFEAT-028", at(f"{CATALOGUE}?limit=100"), at("numberReturned=4, 3 features"),
          "numberReturned must equal the number of features in the response"),
         ("OAFEAT-028", at(f"{ROADS}?limit=100"), at("numberReturned=6, 5 features"),
          "numberReturned must equal the number of features in the response")]),
    "feature-404": (statuses("OAFEAT-029"),
        [("OAFEAT-029", at(f"{ROADS}/r0"), at("HTTP 404"), "expected HTTP 200, got 404")]),
    # The value names what is wrong (the id the feature carries), not the type it has right.
    "feature-wrong-id": (statuses("OAFEAT-030"),
        [("OAFEAT-030", at(f"{ROADS}/r0"), at("id=nope"),
          "the response must be the Feature r0 (type Feature, same id)")]),
    "feature-no-collection-link": (statuses("OAFEAT-031"),
        [("OAFEAT-031", at(f"{ROADS}/r0"), at("rel=collection missing"), "add a link with rel \"collection\"")]),
    # Projected metres for the first feature of each collection: outside the CRS84 extent too.
    "not-crs84": (statuses("OAFEAT-012", "OAFEAT-032"),
        [("OAFEAT-012", at(f"{CATALOGUE}?limit=100"), at("feature rec0 outside (4.2, 50.7, 4.5, 50.9)"),
          "the extent of collection catalogue must include all its geometries"),
         ("OAFEAT-012", at(f"{ROADS}?limit=100"), at("feature r0 outside (4.2, 50.7, 4.5, 50.9)"),
          "the extent of collection roads must include all its geometries"),
         ("OAFEAT-032", at(f"{CATALOGUE}?limit=100"), at("feature rec0: (450000.0, 5600000.0, 450000.0, 5600000.0)"),
          "without a crs parameter, coordinates must be CRS84 longitude/latitude"),
         ("OAFEAT-032", at(f"{ROADS}?limit=100"), at("feature r0: (450000.0, 5600000.0, 450000.0, 5600000.0)"),
          "without a crs parameter, coordinates must be CRS84 longitude/latitude")]),
    # A collection without links: its own rule names it, collections.yaml requires them, and it links no items.
    "collection-no-links": (statuses("OAFEAT-009", "OAFEAT-010", "OAFEAT-011"),
        [("OAFEAT-009", at("GET /collections"), at("at /collections/0: 'links' is a required property"),
          "the collections response must validate against the OGC schema collections.yaml"),
         ("OAFEAT-010", at("GET /collections"), at("collections[roads]"), "every collection needs a links array"),
         ("OAFEAT-011", at("GET /collections"), "collection roads",
          'link the features of each collection with rel "items"')]),
    # Members of the collection resource that differ from its /collections entry, or are only in one of them.
    "collection-description-differs": (statuses("OAFEAT-014"),
        [("OAFEAT-014", at("GET /collections/roads"), "description",
          "description must be identical to collection roads in /collections")]),
    "collection-itemtype-differs": (statuses("OAFEAT-014"),
        [("OAFEAT-014", at("GET /collections/roads"), "itemType",
          "itemType must be identical to collection roads in /collections")]),
    # No features member (not one of another type): said so; the rules that read features have none to test.
    "items-no-features": (statuses("OAFEAT-016", "OAFEAT-041"),
        [("OAFEAT-016", at(ROADS), "features missing", "features must be an array of features"),
         ("OAFEAT-041", at(f"{ROADS}?limit=100"), at("at /: 'features' is a required property"),
          "the response must validate against the OGC schema featureCollectionGeoJSON")]),
    "items-no-content-type": (statuses("OAFEAT-040"),
        [("OAFEAT-040", at(ROADS), "no content type",
          "features requested as GeoJSON must be served as application/geo+json")]),
    # A definition that parses as neither JSON nor YAML: named by its media type, with the parser's first words.
    "api-garbage": (statuses("OAFEAT-005") | skips("OAFEAT-018", "OAFEAT-020", "OAFEAT-022", "OAFEAT-050",
        "OAFEAT-051", "OAFEAT-052", "OAFEAT-053"),
        [("OAFEAT-005", at("GET /api"), "text/plain",
          "the API definition is neither JSON nor YAML (while parsing a flow sequence)")]),
    "service-doc-only": (statuses("OAFEAT-050") | skips("OAFEAT-005", "OAFEAT-018", "OAFEAT-020", "OAFEAT-022",
        "OAFEAT-051", "OAFEAT-052", "OAFEAT-053"),
        [("OAFEAT-050", at("GET /"), "no service-desc", "link the OpenAPI 3.0 definition with rel=service-desc and "
          "type application/vnd.oai.openapi+json;version=3.0")]),
    # Links without a media type: counted, the first named.
    "collections-untyped-links": (statuses("OAFEAT-009"),
        [("OAFEAT-009", at("GET /collections"), r"2 untyped: http://127\.0\.0\.1:[0-9]+/ogc/collections\?f=html",
          "every link must say its media type (type)")]),
    "feature-untyped-link": (statuses("OAFEAT-031"),
        [("OAFEAT-031", at("GET /collections/roads/items/r0"),
          r"1 untyped: http://127\.0\.0\.1:[0-9]+/ogc/collections/roads/items/r0",
          "every link must say its media type (type)")]),
    # The feature resource answered as a collection holding it: not the Feature, and without its links.
    "feature-not-feature": (statuses("OAFEAT-030", "OAFEAT-031"),
        [("OAFEAT-030", at("GET /collections/roads/items/r0"), "type=FeatureCollection",
          "the response must be the Feature r0 (type Feature, same id)"),
         ("OAFEAT-031", at("GET /collections/roads/items/r0"), "links missing",
          "the response must have a links array")]),
    # A timeStamp 24.5 hours old: beyond the day of clock skew allowed, not the time the response was made.
    "stale-timestamp": (statuses("OAFEAT-026"),
        [("OAFEAT-026", at(ROADS), r"20[0-9-]{8}T[0-9:.]+Z",
          "timeStamp must be the RFC 3339 time the response was generated")]),
    "json-media-type": (statuses("OAFEAT-040"),
        [("OAFEAT-040", at(f"{CATALOGUE}"), at("application/json"),
          "features requested as GeoJSON must be served as application/geo+json"),
         ("OAFEAT-040", at(f"{ROADS}"), at("application/json"),
          "features requested as GeoJSON must be served as application/geo+json")]),
    # A Circle: not GeoJSON. The bbox probe must not trip on it (the server treats it as never inside).
    "bad-geometry": (statuses("OAFEAT-041"),
        [("OAFEAT-041", at(f"{CATALOGUE}?limit=100"), at("feature rec0"),
          "geometry: unknown geometry type 'Circle' (RFC 7946 §1.4)"),
         ("OAFEAT-041", at(f"{ROADS}?limit=100"), at("feature r0"),
          "geometry: unknown geometry type 'Circle' (RFC 7946 §1.4)")]),
    "oas31": (statuses("OAFEAT-050"),
        [("OAFEAT-050", at("GET /api"), at("openapi=3.1.0"), "the service-desc document must be OpenAPI 3.0")]),
    "oas-incomplete": (statuses("OAFEAT-051"),
        [("OAFEAT-051", at("GET /api"), at("/collections"),
          "the API definition must describe every resource the API offers")]),
    "oas-no-errors": (statuses("OAFEAT-052"),
        [("OAFEAT-052", at("GET /api"), at("GET /collections/{collectionId}/items: ['200']"),
          "describe the error responses (400, 500 or default) of every operation")]),
    "oas-phantom-path": (statuses("OAFEAT-053"),
        [("OAFEAT-053", at("GET /phantom"), at("HTTP 404"), "every path of the API definition must be implemented")]),
    "oas-enum-path": (statuses("OAFEAT-053"),
        [("OAFEAT-053", at("GET /broken"), at("HTTP 500"), "every path of the API definition must be implemented"),
         ("OAFEAT-053", at("GET /gone"), at("HTTP 404"), "every path of the API definition must be implemented")]),
    "crs-no-header": (statuses("OAFEAT-060"),
        [("OAFEAT-060", at(f"{CATALOGUE}?crs={MERCATOR}&limit=1"), at("Content-Crs: missing"),
          f"the Content-Crs header must name the CRS of the response, <{MERCATOR}>"),
         ("OAFEAT-060", at(f"{ROADS}?crs={MERCATOR}&limit=1"), at("Content-Crs: missing"),
          f"the Content-Crs header must name the CRS of the response, <{MERCATOR}>")]),
    "queryables-not-schema": (statuses("OAFEAT-070") | skips("OAFEAT-071"),
        [("OAFEAT-070", at("GET /collections/catalogue/queryables"), at("type=None, properties=NoneType"),
          "the queryables must be a JSON Schema with type \"object\" and a properties object"),
         ("OAFEAT-070", at("GET /collections/roads/queryables"), at("type=None, properties=NoneType"),
          "the queryables must be a JSON Schema with type \"object\" and a properties object")]),
    # The CQL2 value comes from the first feature's data, so that feature must be found.
    "filter-empty": (statuses("OAFEAT-071"),
        [("OAFEAT-071", at(f"{CATALOGUE}?filter=title%3D%27Air%20quality%27&filter-lang=cql2-text&limit=100"),
          at("feature rec0 missing"),
          "filter=title='Air quality' must select feature rec0, whose title is 'Air quality'"),
         ("OAFEAT-071", at(f"{ROADS}?filter=name%3D%27road%200%27&filter-lang=cql2-text&limit=100"),
          at("feature r0 missing"), "filter=name='road 0' must select feature r0, whose name is 'road 0'")]),
    "ignore-filter": (statuses("OAFEAT-071"),
        [("OAFEAT-071", at(f"{CATALOGUE}?filter=title%3D%27Air%20quality%27&filter-lang=cql2-text&limit=100"),
          at("feature rec1 and 1 more"),
          "filter=title='Air quality' must select only features whose title equals 'Air quality'"),
         ("OAFEAT-071", at(f"{ROADS}?filter=name%3D%27road%200%27&filter-lang=cql2-text&limit=100"),
          at("feature r1 and 3 more"), "filter=name='road 0' must select only features whose name equals 'road 0'")]),
}

RECORDS_EXACT: dict[str, tuple[dict[str, str], list[Row]]] = {
    # A string among the records: named (cut to 60 characters); it is a member too, so limit=1 gets two.
    "record-not-object": (statuses("OAREC-007", "OAREC-010"),
        [("OAREC-007", at(f"{CATALOGUE}"), at("not a record but a string of seventy characters, cut to sixt"),
          "a record must be a JSON object"),
         ("OAREC-010", at(f"{CATALOGUE}?limit=1"), at("2 records"), "limit=1 must return at most one record")]),
    "record-two-collections": (statuses("OAREC-009"),
        [("OAREC-009", at(f"{CATALOGUE}/rec0"), at("2 collection links"),
          "a record is a member of one catalogue: give exactly one link with rel \"collection\"")]),
    "records-limit-plus-one": (statuses("OAREC-010"),
        [("OAREC-010", at(f"{CATALOGUE}?limit=1"), at("2 records"), "limit=1 must return at most one record")]),
    # The record resource answers with another record: its links are not tested on the wrong record.
    "record-wrong-id": (statuses("OAREC-008") | skips("OAREC-009"),
        [("OAREC-008", at(f"{CATALOGUE}/rec0"), at("rec1"), "the record resource must be record rec0")]),
    # rec0 is the only service: type=service must find it.
    "records-type-empty": (statuses("OAREC-013"),
        [("OAREC-013", at(f"{CATALOGUE}?type=service&limit=100"), at("record rec0 missing"),
          "type=service must select record rec0")]),
    "records-ids-empty": (statuses("OAREC-014"),
        [("OAREC-014", at(f"{CATALOGUE}?ids=rec0&limit=100"), at("record rec0 missing"),
          "ids=rec0 must select record rec0")]),
    # One record too many: named alone, no "and N more".
    "records-ids-plus-one": (statuses("OAREC-014"),
        [("OAREC-014", at(f"{CATALOGUE}?ids=rec0&limit=100"), at("record rec1"),
          "ids=rec0 must select only the record rec0")]),
    "no-data-link": (statuses("OAREC-001") | skips_all_but("OAREC-001"),
        [("OAREC-001", at("GET /"), at("rel=data missing"), "add a link with rel \"data\"")]),
    # The rules need a Records class to apply; only the landing page rule runs.
    "no-records-class": (statuses("OAREC-002") | skips_all_but("OAREC-001", "OAREC-002"),
        [("OAREC-002", at("GET /conformance"), at("no Records class"),
          f"declare {R1}records-api and {R1}record-core in conformsTo")]),
    "draft-records-uri": (statuses("OAREC-003"),
        [("OAREC-003", at("GET /conformance"), at(f"{R1}core"),
          f"old draft URI; declare {R1}records-api, {R1}record-core, {R1}record-collection")]),
    "catalogues-500": (statuses("OAREC-004") | skips_all_but("OAREC-001", "OAREC-002", "OAREC-003", "OAREC-004"),
        [("OAREC-004", at("GET /collections"), at("HTTP 500"), "the server failed (expected 200)")]),
    "catalogue-no-title": (statuses("OAREC-005"),
        [("OAREC-005", at("GET /collections"), at("catalogue catalogue: title"),
          "a catalogue needs id, title, itemType \"record\" and links")]),
    "records-not-fc": (statuses("OAREC-006") | skips_all_but("OAREC-001", "OAREC-002", "OAREC-003", "OAREC-004",
        "OAREC-005", "OAREC-006"),
        [("OAREC-006", at(f"{CATALOGUE}"), at("type=Collection"),
          "the records of a catalogue must be a FeatureCollection with a features array")]),
    # No title word to search for: the q probe is not verified, never passed.
    "record-no-title": (statuses("OAREC-007") | skips("OAREC-011"),
        [("OAREC-007", at(f"{CATALOGUE}"), at("rec0"), "a record's properties need title"),
         ("OAREC-007", at(f"{CATALOGUE}"), at("rec1"), "a record's properties need title"),
         ("OAREC-007", at(f"{CATALOGUE}"), at("rec2"), "a record's properties need title")]),
    "record-404": (statuses("OAREC-008") | skips("OAREC-009"),
        [("OAREC-008", at(f"{CATALOGUE}/rec0"), at("HTTP 404"), "expected HTTP 200, got 404")]),
    "record-no-self": (statuses("OAREC-009"),
        [("OAREC-009", at(f"{CATALOGUE}/rec0"), at("rel=self missing"), "add a link with rel \"self\"")]),
    "records-ignore-limit": (statuses("OAREC-010"),
        [("OAREC-010", at(f"{CATALOGUE}?limit=1"), at("3 records"), "limit=1 must return at most one record")]),
    "ignore-q": (statuses("OAREC-011"),
        [("OAREC-011", at(f"{CATALOGUE}?q=quality&limit=100"), at("record rec1 and 1 more"),
          "q=quality must select only records that mention quality")]),
    # rec0's title "Air quality" gives the term, so rec0 must be found.
    "records-q-empty": (statuses("OAREC-011"),
        [("OAREC-011", at(f"{CATALOGUE}?q=quality&limit=100"), at("record rec0 missing"),
          "q=quality must select record rec0")]),
    "records-bbox-empty": (statuses("OAREC-012"),
        [("OAREC-012", at(f"{CATALOGUE}?bbox={NEAR_REC0}&limit=100"), at("record rec0 missing"),
          f"bbox={NEAR_REC0} must select record rec0")]),
    # The three records share one point, so the box around rec0 holds them all; the far box holds none.
    "records-ignore-bbox": (statuses("OAREC-012"),
        [("OAREC-012", at(f"{CATALOGUE}?bbox={FAR}&limit=100"), at("record rec0 and 2 more"),
          f"bbox={FAR} must select only records whose geometry intersects the box")]),
    "records-ignore-type": (statuses("OAREC-013"),
        [("OAREC-013", at(f"{CATALOGUE}?type=service&limit=100"), at("record rec1 and 1 more"),
          "type=service must select only records whose type is service")]),
    "records-ignore-ids": (statuses("OAREC-014"),
        [("OAREC-014", at(f"{CATALOGUE}?ids=rec0&limit=100"), at("record rec1 and 1 more"),
          "ids=rec0 must select only the record rec0")]),
    "records-ignore-datetime": (statuses("OAREC-015"),
        [("OAREC-015", at(f"{CATALOGUE}?datetime=2020-02-01T00:00:00Z&limit=100"), at("record rec0 and 1 more"),
          "datetime=2020-02-01T00:00:00Z must select only records whose time intersects it")]),
    # rec1's only time is 2020-02-01, the instant asked for: whichever time the server filters on, rec1 matches. The
    # interval from the first time to the last owes every record.
    "records-datetime-empty": (statuses("OAREC-015"),
        [("OAREC-015", at(f"{CATALOGUE}?datetime={SPAN}&limit=100"), at("record rec0 missing and 2 more"),
          f"datetime={SPAN} must select the records whose own data match it"),
         ("OAREC-015", at(f"{CATALOGUE}?datetime=2020-02-01T00:00:00Z&limit=100"), at("record rec1 missing"),
          "datetime=2020-02-01T00:00:00Z must select record rec1")]),
}


def test_the_tables_cover_every_ogc_fault_and_each_fails_its_own_rule() -> None:
    ogc = {fault: rule for fault, rule in fake_apis.FAULTS.items() if rule.startswith(("OAFEAT-", "OAREC-"))}
    assert set(FEATURES_EXACT) | set(RECORDS_EXACT) == set(ogc)
    assert not set(FEATURES_EXACT) & set(RECORDS_EXACT)
    table = {**FEATURES_EXACT, **RECORDS_EXACT}
    assert all(table[fault][0][rule] == "fail" for fault, rule in ogc.items())


def check(fake: LocalServer, fault: str, profile: str) -> Any:
    fake.faults.add(fault)
    # Named kinds, as the rule-case test runs them: a broken landing page must not hide the API's kind.
    return probe([(profile, fake.url + fake_apis.OGC)], profile=profile, allow_writes=True)


@pytest.mark.corpus  # OAFEAT-009 and OAFEAT-041 validate against the pinned OGC schemas
@pytest.mark.parametrize("fault", sorted(FEATURES_EXACT))
def test_each_features_fault_gives_exactly_its_findings(fault: str, fake: LocalServer) -> None:
    assert_exact(check(fake, fault, "ogcapi-features"), *FEATURES_EXACT[fault])


@pytest.mark.corpus
@pytest.mark.parametrize("fault", sorted(RECORDS_EXACT))
def test_each_records_fault_gives_exactly_its_findings(fault: str, fake: LocalServer) -> None:
    assert_exact(check(fake, fault, "ogcapi-records"), *RECORDS_EXACT[fault])


@pytest.mark.corpus
def test_a_server_filtering_datetime_on_another_date_owes_no_feature_it_did_not_choose(fake: LocalServer) -> None:
    """Each road also has inspected (2030…2034), the date the server filters on (17-069r4 §7.15.4 leaves the choice to
    the server): with two temporal values, no feature is owed to any query, and every feature returned intersects."""
    report = check(fake, "datetime-on-inspected", "ogcapi-features")
    assert {r.rule: r.status.value for r in report.results if r.rule == "OAFEAT-023"} == {"OAFEAT-023": "pass"}
    # The closed interval 2012/2030 is asked for (the quarter and the middle of the ten dates); the server answers the
    # road inspected in 2030 (r0), not those opened in it (r2…r4): were one temporal value enough to owe a feature,
    # those would be reported missing.
    asked = [path for _, path, _ in fake.requests if "datetime=" in path and "/roads/" in path]
    assert "/ogc/collections/roads/items?limit=100&datetime=2012-01-01T00:00:00Z/2030-01-01T00:00:00Z" in asked, asked


@pytest.mark.corpus
@pytest.mark.parametrize("empty", [False, True])
def test_a_feature_whose_every_time_intersects_is_owed_whichever_the_server_filters_on(empty: bool,
                                                                                      fake: LocalServer) -> None:
    """Each road also has closed, a day after opened (the server filters on opened). A road whose two dates both lie
    in a query is owed to it: r1 and r2 to 2011-01-01/2012-01-02, r3 and r4 to 2012-01-02/.., r0 to ../2011-01-01,
    all five to the span 2010-01-01/2014-01-02; none to the instant 2012-01-02, which no road has twice. A server
    that answers nothing fails on those, where one temporal value per feature was needed before (and then nothing
    was owed and an empty answer passed)."""
    fake.faults.add("roads-closed")
    report = check(fake, "datetime-empty" if empty else "roads-closed", "ogcapi-features")
    note = "must select the features whose own data match it"
    assert_exact(report, statuses("OAFEAT-023") if empty else {}, [
        ("OAFEAT-023", at(f"{ROADS}?limit=100&datetime=../2011-01-01T00:00:00Z"), "feature r0 missing",
         f"datetime=../2011-01-01T00:00:00Z {note}"),
        ("OAFEAT-023", at(f"{ROADS}?limit=100&datetime=2010-01-01T00:00:00Z/2014-01-02T00:00:00Z"),
         "feature r0 missing and 4 more", f"datetime=2010-01-01T00:00:00Z/2014-01-02T00:00:00Z {note}"),
        ("OAFEAT-023", at(f"{ROADS}?limit=100&datetime=2011-01-01T00:00:00Z/2012-01-02T00:00:00Z"),
         "feature r1 missing and 1 more", f"datetime=2011-01-01T00:00:00Z/2012-01-02T00:00:00Z {note}"),
        ("OAFEAT-023", at(f"{ROADS}?limit=100&datetime=2012-01-02T00:00:00Z/.."), "feature r3 missing and 1 more",
         f"datetime=2012-01-02T00:00:00Z/.. {note}")] if empty else [])


@pytest.mark.corpus
def test_features_with_two_times_far_apart_are_owed_to_the_span(fake: LocalServer) -> None:
    """Roads with two dates far apart (opened 201x, inspected 203x) owe nothing to the four queries drawn from the
    middle of the data, but every road to the span of their starts, 2010/2034: a server answering nothing fails
    there (it passed, "not tested", before the span)."""
    fake.faults.add("datetime-on-inspected")
    span = "2010-01-01T00:00:00Z/2034-01-01T00:00:00Z"
    assert_exact(check(fake, "datetime-empty", "ogcapi-features"), statuses("OAFEAT-023"), [
        ("OAFEAT-023", at(f"{ROADS}?limit=100&datetime={span}"), "feature r0 missing and 4 more",
         f"datetime={span} must select the features whose own data match it")])


@pytest.mark.corpus
def test_a_collection_not_read_whole_whose_datetime_queries_return_nothing_is_not_verified(fake: LocalServer) -> None:
    """Roads behind an endless chain of next links: nothing can be owed, and a server answering nothing proves
    nothing: roads is named as not tested, with the cap that stopped the walk, and the catalogue alone carries the
    verdict. (One date in all, so the instant and the span are one query: four in all.)"""
    fake.faults.add("endless-next")
    report = check(fake, "datetime-empty", "ogcapi-features")
    assert [(r.status.value, r.reason) for r in report.results if r.rule == "OAFEAT-023"] == [
        ("pass", "not tested: collection roads: datetime on collection roads returned no feature to any of its 4 "
                 "queries and no feature is owed to them (the collection was not read whole: the walk stopped at "
                 "the 5-page cap): nothing was verified")]
    assert [f for f in report.findings if f.rule == "OAFEAT-023"] == []


@pytest.mark.corpus
@pytest.mark.parametrize("empty", [False, True])
def test_records_with_two_times_are_owed_to_the_span_not_to_the_instant(empty: bool, fake: LocalServer) -> None:
    """Each record also has updated=2010-01-01, which the server does not filter on (20-004r1 leaves the choice to
    it): no record is owed to the instant 2020-02-01, every record to the span 2010-01-01/2020-03-01. The server's
    answers pass; an empty answer fails on the span alone (before the span, it passed: nothing was owed)."""
    fake.faults.add("records-updated")
    report = check(fake, "records-datetime-empty" if empty else "records-updated", "ogcapi-records")
    span = "2010-01-01T00:00:00Z/2020-03-01T00:00:00Z"
    assert_exact(report, statuses("OAREC-015") if empty else {}, [
        ("OAREC-015", at(f"{CATALOGUE}?datetime={span}&limit=100"), at("record rec0 missing and 2 more"),
         f"datetime={span} must select the records whose own data match it")] if empty else [])
    asked = [p for _, p, _ in fake.requests if "datetime=" in p]
    assert asked == [f"/ogc/collections/catalogue/items?datetime={t}&limit=100"
                     for t in ("2020-02-01T00:00:00Z", span)], asked


@pytest.mark.corpus
@pytest.mark.parametrize("kind", ["listed", "empty"])
def test_records_the_query_probes_cannot_use_leave_them_not_verified(kind: str, fake: LocalServer) -> None:
    """Titles without a word of four letters, no geometry, no time, a type that is a list or empty: each query rule
    says what it lacked, none passes."""
    if kind == "empty":
        fake.faults.add("records-empty-type")
    report = check(fake, "records-bare", "ogcapi-records")
    assert {r.rule: (r.status.value, r.reason) for r in report.results if r.status is not Status.PASS} == {
        "OAREC-011": ("skip", "the first record has no title word to search for"),
        "OAREC-012": ("skip", "no record of catalogue catalogue has a geometry to query bbox with"),
        "OAREC-013": ("skip", "the first record has no single properties.type to search for"),
        "OAREC-015": ("skip", "no record has a time to compare datetime with"),
        # An empty type is no type: the core-properties rule fails it as well.
        **({"OAREC-007": ("fail", None)} if kind == "empty" else {})}


@pytest.mark.corpus
@pytest.mark.parametrize("profile", ["ogcapi-features", "ogcapi-records"])
def test_an_items_link_with_a_query_is_followed_without_it(profile: str, fake: LocalServer) -> None:
    """pygeoapi links …/items?f=json: the probes ask their own parameters on the bare items path, and a record or
    feature is read at …/items/{id}, not …/items?f=json/{id}."""
    report = check(fake, "items-link-query", profile)
    assert {r.rule: r.status.value for r in report.results if r.status is not Status.PASS} == {}
    read = sorted({path for _, path, _ in fake.requests if "/items/" in path})
    assert read == ["/ogc/collections/catalogue/items/rec0"] + (
        ["/ogc/collections/roads/items/r0"] if profile == "ogcapi-features" else [])
    assert [p for _, p, _ in fake.requests if "f=json" in p] == []


@pytest.mark.corpus
@pytest.mark.parametrize("profile", ["ogcapi-features", "ogcapi-records"])
def test_every_request_asks_for_json_of_a_server_that_answers_html_by_default(profile: str,
                                                                              fake: LocalServer) -> None:
    """pygeoapi and ldproxy answer HTML unless JSON is asked for: every probe names a JSON type in Accept, so every
    rule runs on the JSON resources and passes with nothing left untested."""
    report = check(fake, "html-by-default", profile)
    assert {r.rule: (r.status.value, r.reason) for r in report.results if r.status is not Status.PASS or r.reason} \
        == ({"OAFEAT-053": TEMPLATED} if profile == "ogcapi-features" else {})
    assert [(path, headers.get("accept")) for _, path, headers in fake.requests
            if "json" not in headers.get("accept", "")] == []


@pytest.mark.corpus
def test_the_record_probes_pass_over_an_empty_catalogue_to_one_with_records(fake: LocalServer) -> None:
    report = check(fake, "archive-first", "ogcapi-records")
    assert {r.rule: (r.status.value, r.reason) for r in report.results if r.status is not Status.PASS or r.reason} == {}
    assert sorted({path for _, path, _ in fake.requests if "/items/" in path}) == [
        "/ogc/collections/catalogue/items/rec0"]


@pytest.mark.parametrize("record,problem", [
    ([], "a record must be a JSON object"),
    ({"type": "Collection"}, 'a record must be a GeoJSON Feature (type "Feature")'),
    ({"type": "Feature", "geometry": None}, "a record needs id, properties (geometry may be null)"),
    ({"type": "Feature", "id": "a", "geometry": None, "properties": {"title": "A"}},
     "a record's properties need type"),
    ({"type": "Feature", "id": "a", "geometry": None, "properties": {}}, "a record's properties need type, title"),
    ({"type": "Feature", "id": "a", "geometry": None, "properties": {"type": "dataset", "title": "A"}},
     "a record needs a time member (null when unknown)"),
    ({"type": "Feature", "id": "a", "geometry": None, "time": None, "properties": {"type": "dataset", "title": "A"}},
     None),
])
def test_each_missing_core_property_is_named(record: Any, problem: str | None) -> None:
    """20-004r1 /req/record-core/mandatory-properties-record: the first missing core member, in the table's order."""
    assert ogc_records._record_problem(record) == problem


@pytest.mark.corpus
def test_misspelt_and_draft_records_classes_are_each_named_with_their_fix(fake: LocalServer) -> None:
    """Class URIs met in the wild: each misspelling is a warning naming the 1.0 URI it means; a draft class that
    became no 1.0 class (opensearch) is to be dropped. The rules read them as the classes they mean, so all else
    passes."""
    fake.faults.add("draft-opensearch")
    # Sorted by value: ogcapi-record-1 before ogcapi-records-1, http before https.
    report = check(fake, "records-typo-uris", "ogcapi-records")
    assert_exact(report, statuses("OAREC-003"), [
        ("OAREC-003", at("GET /conformance"), at("http://www.opengis.net/spec/ogcapi-record-1/1.0/conf/"
                                                 "record-collection"),
         f"misspelt class URI; write {R1}record-collection"),
        ("OAREC-003", at("GET /conformance"), at(f"{R1}opensearch"),
         "old draft URI; declare the 1.0 class it became, or drop it"),
        ("OAREC-003", at("GET /conformance"), at("http://www.opengis.net/spec/ogcapi-records-1/1.0/req/recordcore"),
         f"misspelt class URI; write {R1}record-core"),
        ("OAREC-003", at("GET /conformance"), at("https://www.opengis.net/spec/ogcapi-records-1/1.0/conf/record-api/"),
         f"misspelt class URI; write {R1}records-api")])
    assert {f.severity for f in report.findings if f.rule == "OAREC-003"} == {Severity.WARNING}


@pytest.mark.corpus
def test_counts_over_a_page_without_a_features_array_are_not_verified(fake: LocalServer) -> None:
    """The keys of a features object are no features: numberMatched is not verified for that collection, and said so."""
    report = check(fake, "features-not-array", "ogcapi-features")
    [matched] = [r for r in report.results if r.rule == "OAFEAT-027"]
    assert (matched.status, matched.reason) == (Status.PASS, (
        "not tested: collection roads: numberMatched=5 of collection roads not verified: "
        f"{ROADS}?limit=100 holds no features array to count (see OAFEAT-016)"))


@pytest.mark.parametrize("fault", ["", "bad-geometry"])
def test_without_the_ogc_schema_the_geojson_rule_judges_by_rfc_7946_alone(
        fault: str, fake: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Offline with an empty artefact store: clean features leave OAFEAT-041 not verified (the schema half is
    missing) and say what was checked; an RFC 7946 defect still fails it, without the schema."""
    monkeypatch.setenv("LDT_CONFORM_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("LDT_CONFORM_SEED", str(tmp_path / "no-seed"))
    if fault:
        fake.faults.add(fault)
    report = probe([("ogcapi-features", fake.url + fake_apis.OGC)], profile="ogcapi-features", offline=True)
    features_1 = "https://schemas.opengis.net/ogcapi/features/part1/1.0/openapi/ogcapi-features-1.yaml"
    verdicts = {r.rule: (r.status.value, r.why.value if r.why else None, r.reason) for r in report.results
                if r.status is not Status.PASS}
    assert verdicts.pop("OAFEAT-009") == (
        "skip", "artefact-unavailable", "not verifiable: an artefact it needs is not in the artefact store (LC-004)")
    # The note names the missing artefact, the request it was needed for, and the schema in it.
    assert [(f.focus, f.value, f.message) for f in report.findings
            if f.rule == "LC-004" and "collections.yaml" in f.message] == [
        ("GET /collections", features_1, f"Not verifiable offline: {features_1} (the OGC schema collections.yaml)")]
    assert verdicts == {"OAFEAT-041": ("fail", None, None) if fault else (
        "skip", "artefact-unavailable", f"the OGC schema featureCollectionGeoJSON ({features_1}) is not available "
                                        "offline; the features obey RFC 7946")}
    assert sorted((f.rule, f.focus, f.value) for f in report.findings if f.severity is not Severity.INFO) == (
        [("OAFEAT-041", f"{CATALOGUE}?limit=100", "feature rec0"), ("OAFEAT-041", f"{ROADS}?limit=100", "feature r0")]
        if fault else [])


@pytest.mark.corpus
def test_an_empty_collection_is_left_out_of_the_feature_tests_and_named(fake: LocalServer) -> None:
    """The empty catalogue: each rule that needs a feature says it did not test that collection, and still passes on
    the others."""
    report = check(fake, "archive-first", "ogcapi-features")
    untested = "not tested: collection archive: "
    assert {r.rule: (r.status.value, r.reason) for r in report.results if r.status is not Status.PASS or r.reason} == {
        "OAFEAT-021": ("pass", untested + "no feature of collection archive has a geometry to query bbox with"),
        "OAFEAT-023": ("pass", untested + "no feature of collection archive has a temporal property to compare "
                                          "datetime with"),
        **dict.fromkeys(("OAFEAT-029", "OAFEAT-030", "OAFEAT-031"),
                        ("pass", untested + "collection archive has no item to test")),
        "OAFEAT-071": ("pass", untested + "no string queryable of collection archive has a value in its features"),
        "OAFEAT-053": TEMPLATED}


def test_features_the_unfiltered_collection_lacks_are_counted_and_the_first_named() -> None:
    from ldt_conform.checks.api import ogc_common, ogc_data

    whole = ogc_common.Walk([(None, {"features": [{"id": "a"}]})])
    [issue] = ogc_data._subset(None, whole, "GET q", [{"id": "a"}, {"id": "x"}, {"id": "y"}], "bbox=1,2,3,4")  # type: ignore[arg-type]
    assert (issue.focus, issue.value, issue.note) == (
        "GET q", "feature x and 1 more", "bbox=1,2,3,4 returned features that the unfiltered collection does not hold")
    whole.stopped = "the walk stopped at the 10-page cap"
    assert ogc_data._subset(None, whole, "GET q", [{"id": "x"}], "bbox=1,2,3,4") == []  # type: ignore[arg-type]


@pytest.mark.corpus
def test_a_count_beyond_the_walk_is_not_verified_and_says_where_it_stopped(fake: LocalServer) -> None:
    report = check(fake, "endless-next", "ogcapi-features")
    [matched] = [r for r in report.results if r.rule == "OAFEAT-027"]
    assert (matched.status, matched.reason) == (Status.PASS, (
        "not tested: collection roads: numberMatched=1000000 of collection roads not verified: the walk stopped at "
        "the 5-page cap after 500 features"))
    [note] = [f for f in report.findings if f.rule == "OAFEAT-027"]
    assert (note.severity, note.focus, note.value) == (Severity.INFO, f"{ROADS}?limit=100",
                                                       "the walk stopped at the 5-page cap")
    assert note.message.endswith(" (numberMatched=1000000 not verified beyond 500 features)")


def at_utc(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=datetime.UTC)  # type: ignore[misc]


@pytest.mark.parametrize("value,interval", [
    # A date is the whole day, to the last microsecond.
    ("2020-01-01", (at_utc(2020, 1, 1), at_utc(2020, 1, 1, 23, 59, 59, 999999))),
    ("2020-01-01T10:00:00Z", (at_utc(2020, 1, 1, 10), at_utc(2020, 1, 1, 10))),
    ("2020-01-01t10:00:00z", (at_utc(2020, 1, 1, 10), at_utc(2020, 1, 1, 10))),  # RFC 3339 allows lower case
    ("2020-01-01T10:00:00", (at_utc(2020, 1, 1, 10), at_utc(2020, 1, 1, 10))),  # no offset: read as UTC
    ("2020-01-01T12:00:00+02:00", (at_utc(2020, 1, 1, 10), at_utc(2020, 1, 1, 10))),
    (["2020-01-01", "2020-01-02"], (at_utc(2020, 1, 1), at_utc(2020, 1, 2, 23, 59, 59, 999999))),
    ([None, "2020-01-02T00:00:00Z"], (None, at_utc(2020, 1, 2))),
    (["..", "2020-01-02T00:00:00Z"], (None, at_utc(2020, 1, 2))),
    (["2020-01-01T00:00:00Z", ".."], (at_utc(2020, 1, 1), None)),
    (["2020-01-01T00:00:00Z", ""], (at_utc(2020, 1, 1), None)),
    (["2020-01-01", "soon"], None),  # one end is no time: not an interval
    (["2020-01-01", "2020-01-02", "2020-01-03"], None),
    ("yesterday", None),
    ("2020-13-01", None),
])
def test_temporal_values_read_as_intervals(value: Any, interval: Any) -> None:
    """The datetime probe compares filters with these intervals: dates are whole days, instants are points, open
    ends are None, and anything else is no temporal value (never a guess)."""
    from ldt_conform.checks.api import ogc_data

    got = ogc_data._interval(value)
    assert got == interval
    # Every end is aware, so that comparing it with a query's instant can never raise.
    assert all(end is None or end.tzinfo is not None for end in got or ())


def test_a_json_pointer_is_decoded_as_rfc_6901_says() -> None:
    """RFC 6901 §4: ~1 is "/" and ~0 is "~", decoded in that order, so ~01 is the key "~1", not "/"; an array
    element is named by its index; an index beyond the array, a key that is missing, or a step into a value names
    nothing. (oas_refs.resolve: every $ref of an OpenAPI description and of the documents it leads to.)"""
    from ldt_conform.checks.api.oas_refs import resolve

    document = {"paths": {"/collections/{id}": {"get": {"x": 1}}}, "a~1b": 2, "~1": 3, "list": [4]}
    assert resolve(document, "/paths/~1collections~1{id}/get/x") == 1
    assert resolve(document, "/a~01b") == 2
    assert resolve(document, "/~01") == 3
    assert resolve(document, "/list/0") == 4
    assert resolve(document, "/list/1") is None
    assert resolve(document, "/list/x") is None
    assert resolve(document, "/list/0/y") is None
    assert resolve(document, "/missing") is None
    assert resolve(document, "") is document


@pytest.mark.corpus
def test_a_string_among_the_features_is_a_finding_of_each_rule_that_reads_it_never_a_crash(fake: LocalServer) -> None:
    """The catalogue's items hold a string after the records (on every page, filtered or not): the rules that count
    or judge features name it ("feature ?"), the extent rule passes over it, nothing is an error."""
    items = f"{CATALOGUE}?limit=100"
    assert_exact(check(fake, "record-not-object", "ogcapi-features"),
                 statuses("OAFEAT-019", "OAFEAT-027", "OAFEAT-041", "OAFEAT-071"), [
        ("OAFEAT-019", at(f"{CATALOGUE}?limit=2"), "3 features",
         "with limit=2 the response must hold at most 2 features"),
        ("OAFEAT-027", at(items), "numberMatched=3, paged through 4",
         "numberMatched must equal the number of features the query selects"),
        ("OAFEAT-041", at(items), at("feature ?"),
         'every member of features must be a GeoJSON Feature (type "Feature")'),
        ("OAFEAT-071", at(f"{CATALOGUE}?filter=title%3D%27Air%20quality%27&filter-lang=cql2-text&limit=100"),
         at("feature ?"), "filter=title='Air quality' must select only features whose title equals 'Air quality'")])



@pytest.mark.corpus
def test_when_no_collection_can_be_tested_the_rule_is_not_verified_with_each_reason(fake: LocalServer) -> None:
    """Roads empty and records without geometry or time: the bbox and datetime rules have no collection to test,
    so they are not verified, with the reason of each collection once (not also as "not tested" notes)."""
    fake.faults.update({"empty-roads", "records-bare"})
    report = check(fake, "empty-roads", "ogcapi-features")
    untested = {r.rule: (r.status.value, r.why.value if r.why else None, r.reason) for r in report.results
                if r.rule in ("OAFEAT-021", "OAFEAT-023")}
    none = "no feature of collection {} has {}"
    assert untested == {
        "OAFEAT-021": ("skip", "not-applicable", "; ".join(none.format(c, "a geometry to query bbox with")
                                                           for c in ("roads", "catalogue"))),
        "OAFEAT-023": ("skip", "not-applicable", "; ".join(none.format(c, "a temporal property to compare "
                                                                          "datetime with")
                                                           for c in ("roads", "catalogue")))}



@pytest.mark.corpus
def test_a_rule_whose_every_collection_lacks_its_prerequisite_says_so(fake: LocalServer) -> None:
    """Every collection's items answer 500: the extent rule (which reads the items as its means) is not verified
    for a failed prerequisite, naming each collection, not "not applicable"."""
    fake.faults.add("catalogue-items-500")
    report = check(fake, "items-500", "ogcapi-features")
    assert [(r.status.value, r.why.value if r.why else None, r.reason) for r in report.results
            if r.rule == "OAFEAT-012"] == [
        ("skip", "prerequisite-failed", "the items of collection roads could not be read (HTTP 500); the items of "
                                        "collection catalogue could not be read (HTTP 500)")]



@pytest.mark.corpus
def test_a_timestamp_written_in_lower_case_is_read(fake: LocalServer) -> None:
    """RFC 3339 §5.6 allows "t" and "z" in lower case: 2026-12-02t10:00:00.123456z is a valid timeStamp."""
    report = check(fake, "lower-case-timestamp", "ogcapi-features")
    assert [(r.status.value, r.reason) for r in report.results if r.rule == "OAFEAT-026"] == [("pass", None)]
    assert [f for f in report.findings if f.rule == "OAFEAT-026"] == []


@pytest.mark.corpus
@pytest.mark.parametrize("fault", ["page2-500", "page2-not-object"])
def test_a_later_page_that_fails_leaves_what_it_would_prove_unchecked_and_says_so(fault: str,
                                                                                  fake: LocalServer) -> None:
    """A server paging by two whose second page of roads fails: the first page is still judged; what needed the
    whole collection (the count, that a filter returns every feature it selects) is named as not tested, with the
    page that stopped the walk."""
    fake.state["ogc-page"] = 2
    try:
        report = check(fake, fault, "ogcapi-features")
    finally:
        fake.state.pop("ogc-page")
    stopped = "page 2 failed: HTTP 500" if fault == "page2-500" else "page 2 is not a JSON object"
    unchecked = ("pass", "not tested: collection roads: that {} returns every feature it selects (only those "
                         f"returned were checked; the collection was not read whole: {stopped})")
    assert {r.rule: (r.status.value, r.reason) for r in report.results if r.status is not Status.PASS or r.reason} \
        == {"OAFEAT-021": (unchecked[0], unchecked[1].format("bbox")),
            "OAFEAT-023": (unchecked[0], unchecked[1].format("datetime")),
            "OAFEAT-027": ("pass", f"not tested: collection roads: numberMatched=5 of collection roads not verified: "
                                   f"{stopped} after 2 features"),
            "OAFEAT-053": TEMPLATED}
    assert [f for f in report.findings if f.severity is not Severity.INFO] == []


@pytest.mark.corpus
def test_a_filtered_result_cut_by_the_page_cap_says_what_was_not_checked(fake: LocalServer) -> None:
    """Pages of two: the collection is read whole, but a filtered result of five roads needs three pages and the
    filter walks read two; the features returned are judged, and the pass says the rest was not."""
    fake.state["ogc-page"] = 2
    try:
        report = check(fake, "", "ogcapi-features")
    finally:
        fake.state.pop("ogc-page")
    assert {r.rule: (r.status.value, r.reason) for r in report.results if r.status is not Status.PASS or r.reason} \
        == {"OAFEAT-023": ("pass", "not tested: collection roads: that datetime returns every feature it selects "
                                   "(only those returned were checked; a filtered result was not read whole: the "
                                   "walk stopped at the 2-page cap)"),
            "OAFEAT-053": TEMPLATED}



@pytest.mark.corpus
def test_without_a_service_desc_the_openapi_rules_say_why(fake: LocalServer) -> None:
    report = check(fake, "service-doc-only", "ogcapi-features")
    assert [(r.status.value, r.why.value if r.why else None, r.reason) for r in report.results
            if r.rule == "OAFEAT-005"] == [
        ("skip", "not-applicable", "the landing page has no service-desc link to an API definition")]


@pytest.mark.corpus
def test_the_byte_cap_stops_a_walk_and_is_named(fake: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """A walk stops once the pages read reach MAX_WALK_BYTES (32 MiB; 1 byte here, so after the first page of two
    roads): no count can be verified, each collection is named with the cap, none is taken for read whole."""
    from ldt_conform.checks.api import ogc_common

    monkeypatch.setattr(ogc_common, "MAX_WALK_BYTES", 1)
    fake.state["ogc-page"] = 2
    try:
        report = check(fake, "", "ogcapi-features")
    finally:
        fake.state.pop("ogc-page")
    [matched] = [(r.status.value, r.why, r.reason) for r in report.results if r.rule == "OAFEAT-027"]
    # a count the walk could not finish is a gap in the evidence, not "not applicable"
    assert matched == ("skip", Why.PREREQUISITE_FAILED,
                       "numberMatched=5 of collection roads not verified: the walk stopped at the 1-byte cap "
                               "after 2 features; numberMatched=3 of collection catalogue not verified: the walk "
                               "stopped at the 1-byte cap after 2 features")


@pytest.mark.corpus
def test_enumerated_path_parameters_are_each_asked_and_the_rest_is_named(fake: LocalServer) -> None:
    """/ats/oas30/oas-impl: a path from each enumerated value of a template's path parameter; what cannot be built
    (templates without enumerations) or asked (a GET that needs a query parameter) is named in the verdict."""
    report = check(fake, "oas-enum-path", "ogcapi-features")
    asked = {p for _, p, _ in fake.requests}
    assert {"/ogc/gone", "/ogc/broken", "/ogc/picky"} <= asked
    assert not asked & {"/ogc/search", "/ogc/lookup", "/ogc/find"}
    assert [(r.status.value, r.reason) for r in report.results if r.rule == "OAFEAT-053"] == [
        ("fail", "not tested: 3 templated paths of the API definition without enumerated values "
                 "(/collections/{collectionId}, /collections/{collectionId}/items, "
                 "/collections/{collectionId}/items/{featureId}); 3 paths of the API definition that need a query "
                 "parameter (/search, /lookup, /find)")]
    # the 400 of /picky is an implemented path that wants input: no finding; the 404 and the 500 are
    assert sorted((f.focus, f.value) for f in report.findings if f.rule == "OAFEAT-053") == [
        ("GET /broken", "HTTP 500"), ("GET /gone", "HTTP 404")]


@pytest.mark.corpus
def test_paths_past_the_cap_are_named_not_asked(fake: LocalServer) -> None:
    from ldt_conform.checks.api.ogc_oas import MAX_IMPL_PATHS

    report = check(fake, "oas-many-paths", "ogcapi-features")
    pages = sorted({p for _, p, _ in fake.requests if p.startswith("/ogc/p")})
    # the definition's four plain paths come first, then the 20 built ones: 11 of those are asked (all 404)
    assert MAX_IMPL_PATHS == 15 and pages == [f"/ogc/p{i:02d}" for i in range(11)]
    [result] = [r for r in report.results if r.rule == "OAFEAT-053"]
    assert (result.status.value, result.reason) == (
        "fail", "not tested: 3 templated paths of the API definition without enumerated values "
                "(/collections/{collectionId}, /collections/{collectionId}/items, "
                "/collections/{collectionId}/items/{featureId}); 9 paths of the API definition past the first 15 "
                "(/p11, /p12, /p13, …)")
    assert len([f for f in report.findings if f.rule == "OAFEAT-053"]) == 11


@pytest.mark.corpus
def test_a_definition_without_the_items_operation_fails_each_parameter_rule(fake: LocalServer) -> None:
    """/ats/core/fc-limit-definition, fc-bbox-definition, fc-time-definition: with no items operation there is no
    parameter to check, and each rule says so per collection (not a pass, not a crash)."""
    report = check(fake, "oas-no-items-op", "ogcapi-features")
    rows = sorted((f.rule, f.focus, f.value, f.message.rsplit("(", 1)[-1]) for f in report.findings
                  if f.rule in ("OAFEAT-018", "OAFEAT-020", "OAFEAT-022"))
    assert rows == [(rule, "GET /api", f"/collections/{cid}/items",
                     "the API definition does not describe the items operation)")
                    for rule in ("OAFEAT-018", "OAFEAT-020", "OAFEAT-022") for cid in ("catalogue", "roads")]
    assert {r.rule: r.status.value for r in report.results if r.rule in ("OAFEAT-018", "OAFEAT-020", "OAFEAT-022")
            } == {"OAFEAT-018": "fail", "OAFEAT-020": "fail", "OAFEAT-022": "fail"}


SPLIT_RULES = ("OAFEAT-018", "OAFEAT-020", "OAFEAT-022", "OAFEAT-052", "OAFEAT-053")
OGC_PARAMETERS = "https://schemas.opengis.net/ogcapi/features/part1/1.0/openapi/parameters/"


def split_verdicts(report: Any) -> dict[str, tuple[str, str | None, str | None]]:
    return {r.rule: (r.status.value, r.why.value if r.why else None, r.reason) for r in report.results
            if r.rule in SPLIT_RULES}


@pytest.mark.corpus  # OGC's split parameter files are pinned, seeded from the corpus
def test_a_definition_in_pieces_is_followed_through_its_references(fake: LocalServer) -> None:
    """The items path item is another document of the API, its limit parameter a relative $ref to a third, bbox and
    datetime OGC's pinned split files (parameters/bbox.yaml), collectionId a $ref back into the definition. Until
    2026-12-03 the three parameter rules failed this correct definition ("does not describe the items operation"),
    OAFEAT-052 passed without seeing the items operation, and OAFEAT-053 left its template out without a word."""
    report = check(fake, "oas-split", "ogcapi-features")
    assert split_verdicts(report) == {
        "OAFEAT-018": ("pass", None, None), "OAFEAT-020": ("pass", None, None), "OAFEAT-022": ("pass", None, None),
        "OAFEAT-052": ("pass", None, None),
        "OAFEAT-053": ("pass", None, "not tested: 3 templated paths of the API definition without enumerated values "
                                     "(/collections/{collectionId}, /collections/{collectionId}/items, "
                                     "/collections/{collectionId}/items/{featureId})")}
    assert sorted({p for _, p, _ in fake.requests if p.startswith("/ogc/api")}) == [
        "/ogc/api", "/ogc/api-parts/items.json", "/ogc/api-parts/params.json"]
    assert [f for f in report.findings if f.rule in SPLIT_RULES or f.rule == "LC-004"] == []


def test_a_definition_in_pieces_offline_is_not_verified_where_a_piece_is_missing(
        fake: LocalServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("LDT_CONFORM_SEED", raising=False)
    monkeypatch.setenv("LDT_CONFORM_CACHE", str(tmp_path / "empty-cache"))
    fake.faults.add("oas-split")
    report = probe([("ogcapi-features", fake.url + fake_apis.OGC)], profile="ogcapi-features", offline=True)
    verdicts = split_verdicts(report)
    # limit is the API's own (read from it); bbox and datetime are in OGC's files, not in an empty store
    assert verdicts["OAFEAT-018"] == ("pass", None, None)
    assert verdicts["OAFEAT-020"] == ("skip", "artefact-unavailable", f"the bbox parameter may be defined in "
                                      f"{OGC_PARAMETERS}bbox.yaml, which is not available offline")
    assert verdicts["OAFEAT-022"][:2] == ("skip", "artefact-unavailable")
    assert sorted((f.value, f.severity.value) for f in report.findings
                  if f.rule == "LC-004" and "/parameters/" in str(f.value)) == [
        (f"{OGC_PARAMETERS}bbox.yaml", "info"), (f"{OGC_PARAMETERS}datetime.yaml", "info")]


def test_a_piece_the_api_does_not_serve_leaves_its_rules_not_verified(fake: LocalServer) -> None:
    fake.faults |= {"oas-split", "oas-split-404"}
    report = probe([("ogcapi-features", fake.url + fake_apis.OGC)], profile="ogcapi-features")
    items = fake.url + fake_apis.OGC + "/api-parts/items.json"
    assert split_verdicts(report) == {
        "OAFEAT-018": ("skip", "prerequisite-failed", f"the limit parameter may be defined in {items}, which the API "
                                                      "did not serve"),
        "OAFEAT-020": ("skip", "prerequisite-failed", f"the bbox parameter may be defined in {items}, which the API "
                                                      "did not serve"),
        "OAFEAT-022": ("skip", "prerequisite-failed", f"the datetime parameter may be defined in {items}, which the "
                                                      "API did not serve"),
        "OAFEAT-052": ("pass", None, "not tested: the path items of /collections/{collectionId}/items, which could "
                                     "not be read"),
        "OAFEAT-053": ("pass", None, "not tested: 1 path of the API definition whose path item could not be read "
                                     "(/collections/{collectionId}/items); 2 templated paths of the API definition "
                                     "without enumerated values (/collections/{collectionId}, "
                                     "/collections/{collectionId}/items/{featureId})")}


@pytest.mark.corpus  # OGC's split parameter files are pinned, seeded from the corpus
def test_a_parameter_behind_an_opaque_reference_not_read_is_not_verified(fake: LocalServer) -> None:
    """limit is no longer among the parameters read, and one $ref (…/shared.json#/p1) could not be followed: it may
    be limit, so OAFEAT-018 is not verified, not failed. bbox and datetime are found, so that $ref does not matter."""
    fake.faults |= {"oas-split", "oas-split-opaque"}
    report = probe([("ogcapi-features", fake.url + fake_apis.OGC)], profile="ogcapi-features")
    verdicts = split_verdicts(report)
    assert verdicts["OAFEAT-018"] == ("skip", "artefact-unavailable", "the limit parameter may be defined in "
                                      "https://example.org/unpinned/shared.json, which is not available offline")
    assert (verdicts["OAFEAT-020"], verdicts["OAFEAT-022"]) == (("pass", None, None), ("pass", None, None))


def test_a_parameter_whose_schema_is_not_read_is_not_verified(fake: LocalServer) -> None:
    fake.faults |= {"oas-split", "oas-split-schema"}
    report = probe([("ogcapi-features", fake.url + fake_apis.OGC)], profile="ogcapi-features")
    assert split_verdicts(report)["OAFEAT-018"] == (
        "skip", "artefact-unavailable", "the limit parameter may be defined in https://example.org/unpinned/"
        "schemas.json, which is not available offline")


def test_the_name_a_parameter_reference_suggests() -> None:
    """Which unread $ref may hold the parameter a rule looks for: the one named so, else any (_parameter_defined)."""
    from ldt_conform.checks.api.ogc_oas import _named_as

    assert [_named_as(ref) for ref in (f"{OGC_PARAMETERS}bbox.yaml", "https://x.example/api.yaml#/components/"
                                       "parameters/limit", "https://x.example/p.json#/limit/", "p/datetime",
                                       "p/limit.v2.yaml", "p/limit/")] == [
        "bbox", "limit", "limit", "datetime", "limit.v2", "limit"]


@pytest.mark.corpus
def test_a_default_response_describes_the_errors(fake: LocalServer) -> None:
    """/ats/oas30/oas-definition-2 (OAFEAT-052): 400, 4XX or default describe the error responses; default alone is
    enough."""
    report = check(fake, "oas-default-error", "ogcapi-features")
    assert [(r.status.value, r.reason) for r in report.results if r.rule == "OAFEAT-052"] == [("pass", None)]


def test_a_template_expands_to_every_combination_of_its_enumerations_up_to_the_cap() -> None:
    from ldt_conform.checks.api.oas_refs import Documents
    from ldt_conform.checks.api.ogc_oas import MAX_ENUM_PATHS
    from ldt_conform.checks.api.ogc_oas import _enumerated as enumerated

    def _enumerated(definition: dict[str, Any], template: str, item: dict[str, Any]) -> list[str] | None:
        """The definition as the documents of a probe (its own $refs resolve in it)."""
        docs = Documents(base="https://api.example/api", document=definition)
        probe = type("Probe", (), {"memo": staticmethod(lambda key, compute: docs)})()
        return enumerated(probe, template, item, "https://api.example/api")  # type: ignore[arg-type]

    definition = {"components": {"parameters": {"b": {"name": "b", "in": "path", "schema": {"$ref": "#/components/"
                                                                                                   "schemas/B"}}},
                                 "schemas": {"B": {"type": "string", "enum": ["x", "y"]}}}}
    item = {"parameters": [{"name": "a", "in": "path", "schema": {"enum": [1, 2]}}],
            "get": {"parameters": [{"$ref": "#/components/parameters/b"}]}}
    assert _enumerated(definition, "/{a}/{b}", item) == ["/1/x", "/1/y", "/2/x", "/2/y"]
    assert _enumerated(definition, "/plain", item) == ["/plain"]
    # an operation's own declaration of a parameter wins over the path item's
    own = {"parameters": [{"name": "a", "in": "path", "schema": {"enum": [1]}}],
           "get": {"parameters": [{"name": "a", "in": "path", "schema": {"enum": [9]}}]}}
    assert _enumerated({}, "/{a}", own) == ["/9"]
    assert _enumerated(definition, "/{a}/{c}", item) is None  # c is not declared
    assert _enumerated({}, "/{a}", {"get": {"parameters": [{"name": "a", "in": "query", "schema": {"enum": [1]}}]}}) \
        is None  # a query parameter of the same name does not fill a path
    assert _enumerated({}, "/{a}", {"get": {"parameters": [{"name": "a", "in": "path", "schema": {"enum": []}}]}}) \
        is None
    wide = {"get": {"parameters": [{"name": n, "in": "path", "schema": {"enum": list(range(10))}} for n in "pq"]}}
    assert len(_enumerated({}, "/{p}/{q}", wide) or []) == MAX_ENUM_PATHS == 50
