"""Real servers: pygeoapi (OGC API Features + Records) and django-ogc-sensorthings (SensorThings 1.1, SQLite)."""
from __future__ import annotations

import pytest

from api_helpers import probe, verdicts
from ldt_conform.model import Severity

# pygeoapi 0.21 deviates from OGC 17-069r4 in two places, both decided by the standard's text:
#  - OAFEAT-023 /req/core/fc-time-response (§7.15.4): only features whose temporal property intersects datetime SHALL
#    be selected; its GeoJSON provider ignores datetime and returns every road for every instant or interval.
#  - OAFEAT-040 /req/geojson/definition (§8.3): GeoJSON SHALL be served as application/geo+json; pygeoapi says
#    application/json for items requested with Accept: application/geo+json.
# and it still declares the draft Records class URIs …/conf/core and …/conf/opensearch (OAREC-003, a warning).
# OAFEAT-025 passes: its definition declares the free-form vendorSpecificParameters parameter (§7.6), so an unknown
# parameter answered with 200 is allowed; OAFEAT-022 is verified through the pinned ogcapi-features-1.yaml.
# Declared classes tested since issue 11: Part 2 (/req/crs/fc-md-crs-list: the TinyDB record collection lists no crs
# although the server declares Part 2, OAFEAT-060) and the Records parameters (/req/records-api/mandatory-params:
# ids=record-0 returns all three records, OAREC-014; pygeoapi declares only draft Records classes, see OAREC-003).
# OAREC-015 passes on the records' own data: it filters on updated (2024-06-01), so the instant 2024-01-01 owes and
# gets no record (each record's time interval and created date hold it, its updated date does not), and the span
# 2020-01-01/2024-06-01 owes and gets all three. Before the span was asked, this was a pass that proved nothing.
PYGEOAPI_FAILS = {"OAFEAT-023", "OAFEAT-040", "OAFEAT-060", "OAREC-003", "OAREC-014"}
# Part 3 filter (CQL2) is not declared by this pygeoapi set-up: OAFEAT-071 is not verified, not-applicable. Its
# OpenAPI document also $refs files nobody pinned (LC-004): OAS-004 is not verified, artefact-unavailable, and so is
# OAS-003, which could validate only the document's own shape (it passed until 2026-12-03).
PYGEOAPI_NOT_VERIFIED = {("OAFEAT-071", "not-applicable"), ("OAS-004", "artefact-unavailable"),
                         ("OAS-003", "artefact-unavailable")}


@pytest.mark.slow
@pytest.mark.corpus  # the pinned OGC building blocks come from the corpus seed
def test_pygeoapi_features_records_and_openapi(pygeoapi: str) -> None:
    report = probe([(None, pygeoapi)])
    assert {t.format for t in report.targets} == {"ogcapi-features"}
    ran = {rule: state for rule, state in verdicts(report).items() if rule.split("-")[0] in ("OAFEAT", "OAREC", "OAS")}
    assert {rule for rule, state in ran.items() if state == "fail"} == PYGEOAPI_FAILS, ran
    assert {(r.rule, r.why.value if r.why else None) for r in report.results
            if r.rule in ran and r.status.value == "skip"} == PYGEOAPI_NOT_VERIFIED, ran
    assert len(ran) == 61
    # Its OpenAPI document references files nobody pinned: info findings (LC-004), never failures.
    offline = [f for f in report.findings if f.rule == "LC-004"]
    assert offline and all(f.severity is Severity.INFO for f in offline)
    assert {f.rule for f in report.findings if f.severity is Severity.ERROR} == PYGEOAPI_FAILS - {"OAREC-003"}
    assert not [f for f in offline if "ogcapi/features/part1/1.0" in str(f.value)], "the Part 1 blocks are pinned"
    # The roads are named, one per datetime form (instant, closed, both half-open), with the offending feature; the
    # span of the roads' dates (2010-05-01/2016-05-07), which every road meets, returns them all and gives none.
    assert sorted(f.focus.split("datetime=")[1] for f in report.findings if f.rule == "OAFEAT-023") == [
        "../2011-05-02T00:00:00Z", "2011-05-02T00:00:00Z/2013-05-04T00:00:00Z", "2013-05-04T00:00:00Z",
        "2013-05-04T00:00:00Z/.."]
    assert ran["OAREC-015"] == "pass"
    # Every plain path of its definition is served; the templates without enumerated values are named, not asked.
    assert [(r.status.value, r.reason) for r in report.results if r.rule == "OAFEAT-053"] == [
        ("pass", "not tested: 4 templated paths of the API definition without enumerated values "
                 "(/collections/datasets/items/{featureId}, /collections/roads/items/{featureId}, /jobs/{jobId}, …)")]
    [instant] = [f for f in report.findings if f.rule == "OAFEAT-023" and f.focus.endswith("=2013-05-04T00:00:00Z")]
    assert instant.value == "feature road-0 (opened=2010-05-01) and 5 more"


@pytest.mark.slow
def test_django_ogc_sensorthings(sensorthings: str) -> None:
    """django-ogc-sensorthings 1.2 (SQLite) deviates from OGC 18-088 in two places, both HTTP 500 on a request the
    standard defines: /req/request-data/orderby with $orderby=phenomenonTime desc (ordering by result works), and
    /req/request-data/filter with geo.intersects(location, geography'POLYGON(…)') (Table 24 lists geo.intersects;
    the comparisons on result and phenomenonTime work)."""
    report = probe([(None, sensorthings)])
    assert report.targets[0].format == "sensorthings"
    sta = verdicts(report, "STA-")
    assert {rule for rule, state in sta.items() if state != "pass"} == {"STA-016", "STA-017"} and len(sta) == 18
    assert [(f.focus.split("?")[0], f.value) for f in report.findings if f.rule in ("STA-016", "STA-017")] == [
        ("GET /Observations", "HTTP 500"), ("GET /Locations", "HTTP 500")]
    assert "phenomenonTime%20desc" in [f.focus for f in report.findings if f.rule == "STA-016"][0]
    # The key of a missing Thing is written as the server writes its own (a bare UUID here): 404, not 422.
    assert sta["STA-011"] == "pass"
