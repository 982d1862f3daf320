"""Behaviour against the data, isolation per collection, and the spec readings of issue 11, each on a real local
server that misbehaves in exactly one way; every test names the requirement it holds the server to."""
from __future__ import annotations

import time

import pytest

from api_helpers import findings, probe, status
from ldt_conform.model import Severity, Status, Why
from servers.util import LocalServer

ITEMS = "GET /collections/roads/items?limit=100"


def run(fake: LocalServer, *faults: str, profile: str = "ogcapi-features") -> object:
    fake.faults.update(faults)
    # Under the composed "api" profile the kind is detected, so every family the server serves runs.
    kind = None if profile == "api" else "ogcapi-records" if profile == "ogcapi-records" else "ogcapi-features"
    return probe([(kind, fake.url + "/ogc")], profile=profile)


def result(report: object, rule: str) -> object:
    [found] = [r for r in report.results if r.rule == rule]  # type: ignore[attr-defined]
    return found


# -- /req/core/fc-time-response (17-069r4 §7.15.4) ------------------------------------------------------------
def test_datetime_ignored_fails_once_per_form_naming_a_feature_outside(fake: LocalServer) -> None:
    """/req/core/fc-time-response A: "Only features that have a temporal geometry that intersects the temporal
    information in the datetime parameter SHALL be part of the result set". The roads open 2010 … 2014."""
    report = run(fake, "ignore-datetime")
    assert status(report, "OAFEAT-023") is Status.FAIL
    got = sorted((f.focus, f.value) for f in findings(report, "OAFEAT-023"))
    assert got == [
        (f"{ITEMS}&datetime=../2011-01-01T00:00:00Z", "feature r2 (opened=2012-01-01T00:00:00Z) and 2 more"),
        (f"{ITEMS}&datetime=2011-01-01T00:00:00Z/2012-01-01T00:00:00Z",
         "feature r0 (opened=2010-01-01T00:00:00Z) and 2 more"),
        (f"{ITEMS}&datetime=2012-01-01T00:00:00Z", "feature r0 (opened=2010-01-01T00:00:00Z) and 3 more"),
        (f"{ITEMS}&datetime=2012-01-01T00:00:00Z/..", "feature r0 (opened=2010-01-01T00:00:00Z) and 1 more"),
    ]
    assert all("must select only features whose temporal property intersects it" in f.message
               for f in findings(report, "OAFEAT-023"))
    # The catalogue (a record collection: Features Core applies) filters its records' time.date correctly.
    assert not [f for f in findings(report, "OAFEAT-023") if "catalogue" in f.focus]
    assert result(report, "OAFEAT-023").reason is None


def test_half_open_intervals_are_tested_apart(fake: LocalServer) -> None:
    """/req/core/fc-time-response: half-bounded intervals ("../end", "start/..") are datetime values like the others."""
    report = run(fake, "ignore-half-open")
    assert sorted(f.focus.split("datetime=")[1] for f in findings(report, "OAFEAT-023")) == [
        "../2011-01-01T00:00:00Z", "2012-01-01T00:00:00Z/.."]


def test_a_filter_result_must_be_a_subset_of_the_collection(fake: LocalServer) -> None:
    """/req/core/fc-response A: the response holds only features selected by the request, so a filtered result is a
    subset of the unfiltered one (fc-bbox-response and fc-time-response restrict it further)."""
    report = run(fake, "stranger-in-filter")
    for rule in ("OAFEAT-021", "OAFEAT-023"):
        strangers = [f for f in findings(report, rule)
                     if "returned features that the unfiltered collection does not hold" in f.message]
        # one per request made: 2 boxes, 5 datetime forms (the span among them)
        assert {f.value for f in strangers} == {"feature stranger"}, rule
        assert len(strangers) == (2 if rule == "OAFEAT-021" else 5)


def test_a_correct_server_passes_every_filter(fake: LocalServer) -> None:
    report = run(fake)
    assert status(report, "OAFEAT-021") is Status.PASS and status(report, "OAFEAT-023") is Status.PASS
    assert not [f for f in report.findings if f.severity is not Severity.INFO]


# -- /req/core/fc-bbox-response (§7.15.3) ----------------------------------------------------------------------
def test_bbox_ignored_names_a_feature_outside_the_box(fake: LocalServer) -> None:
    """/req/core/fc-bbox-response A: "Only features that have a spatial geometry that intersects the bounding box
    SHALL be part of the result set"; the box is drawn around one road (r2) of the collection itself."""
    report = run(fake, "ignore-bbox")
    got = sorted((f.focus, f.value) for f in findings(report, "OAFEAT-021"))
    assert got == [(f"{ITEMS}&bbox=-179.9,-89.9,-179.8,-89.8", "feature r0 and 4 more"),
                   (f"{ITEMS}&bbox=4.319999,50.799999,4.320001,50.800001", "feature r0 and 3 more")]


# -- /req/geojson/content (§8.3) and RFC 7946 ------------------------------------------------------------------
def test_every_broken_geometry_is_reported(fake: LocalServer) -> None:
    """/req/geojson/content: the features SHALL be GeoJSON (RFC 7946); the five defects of issue 11, one per road."""
    report = run(fake, "broken-geometries")
    got = sorted((f.value, f.message.rsplit("(", 1)[0].split(": ", 2)[-1]) for f in findings(report, "OAFEAT-041"))
    notes = {f.value: f.message for f in findings(report, "OAFEAT-041")}
    assert [v for v, _ in got] == ["feature r0", "feature r1", "feature r2", "feature r3", "feature r4"]
    assert "a position must have 2 or 3 ordinates, got [4.3]" in notes["feature r0"]
    assert "a linear ring needs 4 or more positions, got 3" in notes["feature r1"]
    assert "a LineString needs 2 or more positions, got 1" in notes["feature r2"]
    assert "ordinates must be numbers" in notes["feature r3"]
    assert "unknown geometry type 'Pointz'" in notes["feature r4"]
    assert {f.focus for f in findings(report, "OAFEAT-041")} == {ITEMS}


def test_problems_are_capped_per_collection_with_a_count(fake: LocalServer) -> None:
    report = run(fake, "many-bad-geometries")
    values = [f.value for f in findings(report, "OAFEAT-041")]
    assert len(values) == 11 and values.count("and 5 more problems") == 1


@pytest.mark.corpus  # the pinned OGC building blocks come from the corpus seed
def test_the_ogc_feature_collection_schema_is_applied(fake: LocalServer) -> None:
    """/req/geojson/content A: the response SHALL validate against featureCollectionGeoJSON.yaml (pinned, seeded from
    the corpus): numberReturned of -1 breaks it although every geometry is valid."""
    report = run(fake, "negative-returned")
    assert ("at /numberReturned: -1 is less than the minimum of 0") in [f.value for f in findings(report,
                                                                                                   "OAFEAT-041")]


# -- paging and caps (Bad input) -------------------------------------------------------------------------------
def test_an_endless_next_chain_stops_at_the_page_cap_and_says_so(fake: LocalServer) -> None:
    """/req/core/fc-numberMatched: a million features behind endless next links: the walk stops at the page cap,
    numberMatched is not verified for that collection (an info finding names the cap), nothing hangs."""
    started = time.monotonic()
    report = run(fake, "endless-next")
    assert time.monotonic() - started < 30
    [note] = findings(report, "OAFEAT-027")
    assert note.severity is Severity.INFO and note.value == "the walk stopped at the 5-page cap"
    assert "numberMatched=1000000 not verified beyond 500 features" in note.message
    # The catalogue is still verified, and the pass says what it left out.
    assert status(report, "OAFEAT-027") is Status.PASS
    assert "collection roads: numberMatched=1000000" in result(report, "OAFEAT-027").reason


# -- isolation per collection (DESIGN: one failing resource never hides the verdicts on the others) ----------------
@pytest.mark.corpus  # the pinned OGC building blocks come from the corpus seed
def test_one_collection_answering_500_does_not_skip_the_others(fake: LocalServer) -> None:
    report = run(fake, "items-500")
    [broken] = findings(report, "OAFEAT-015")
    assert broken.focus == "GET /collections/roads/items" and broken.value == "HTTP 500"
    dependants = ["OAFEAT-016", "OAFEAT-017", "OAFEAT-019", "OAFEAT-021", "OAFEAT-023", "OAFEAT-024", "OAFEAT-025",
                  "OAFEAT-026", "OAFEAT-027", "OAFEAT-028", "OAFEAT-029", "OAFEAT-030", "OAFEAT-031", "OAFEAT-032",
                  "OAFEAT-040", "OAFEAT-041"]
    assert {r: status(report, r).value for r in dependants} == {r: "pass" for r in dependants}
    assert result(report, "OAFEAT-016").reason == \
        "not tested: collection roads (prerequisite OAFEAT-015 failed for it)"
    # The 500 is OAFEAT-015's finding, not the extent rule's.
    assert not findings(report, "OAFEAT-012")


def test_an_empty_collection_skips_only_its_own_feature_tests(fake: LocalServer) -> None:
    report = run(fake, "empty-roads")
    for rule in ("OAFEAT-029", "OAFEAT-030", "OAFEAT-031"):
        assert status(report, rule) is Status.PASS
        assert result(report, rule).reason == "not tested: collection roads: collection roads has no item to test"


def test_every_skip_carries_a_why(fake: LocalServer) -> None:
    report = run(fake, "items-500", "no-geojson-class", profile="api")
    skipped = [r for r in report.results if r.status is Status.SKIP]
    assert skipped and all(isinstance(r.why, Why) and r.reason for r in skipped)
    assert result(report, "OAFEAT-040").why is Why.NOT_APPLICABLE


# -- spec readings -----------------------------------------------------------------------------------------------
def test_free_form_parameter_allows_200_for_unknown_parameters(fake: LocalServer) -> None:
    """17-069r4 §7.6 /req/core/query-param-unknown: 400 for a parameter "not specified in the API definition"; a
    free-form parameter (object schema, style form, e.g. vendorSpecificParameters) specifies every other one."""
    assert status(run(fake, "accept-unknown", "vendor-specific"), "OAFEAT-025") is Status.PASS
    fake.faults.clear()
    assert status(run(fake, "accept-unknown"), "OAFEAT-025") is Status.FAIL


@pytest.mark.parametrize("variant,verdict", [("free-form-ref", Status.PASS), ("free-form-no-style", Status.PASS),
                                             ("free-form-closed", Status.FAIL), ("free-form-deep", Status.FAIL)])
def test_what_makes_a_parameter_free_form(variant: str, verdict: Status, fake: LocalServer) -> None:
    """Free-form: an object schema (also behind a $ref) that allows additional properties, in the query, with style
    form (the default for query parameters). additionalProperties false names no other parameter, and deepObject
    writes them as vendorSpecificParameters[x]=…, so an unknown parameter answered with 200 fails."""
    assert status(run(fake, "accept-unknown", "vendor-specific", variant), "OAFEAT-025") is verdict


def test_a_member_missing_on_the_collection_resource_differs(fake: LocalServer) -> None:
    """/req/core/sfc-md-success B: "The values for id, title, description and extent SHALL be identical" to the
    /collections entry: a title present there and absent on the collection resource is not identical."""
    report = run(fake, "collection-title-missing")
    assert [(f.focus, f.value) for f in findings(report, "OAFEAT-014")] == [
        ("GET /collections/catalogue", "title"), ("GET /collections/roads", "title")]


@pytest.mark.corpus  # the pinned OGC building blocks come from the corpus seed
def test_collections_validate_against_collections_yaml(fake: LocalServer) -> None:
    """/req/core/fc-md-success B: "The content of that response SHALL be based upon the OpenAPI 3.0 schema
    collections.yaml": crs is an array of URIs, a string fails."""
    report = run(fake, "crs-string")
    assert [f.value for f in findings(report, "OAFEAT-009")] == [
        "at /collections/0/crs: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84' is not of type 'array'"]


@pytest.mark.corpus  # the pinned OGC building blocks come from the corpus seed
def test_a_pinned_remote_parameter_definition_is_verified(fake: LocalServer) -> None:
    """/req/core/fc-time-definition: the datetime parameter defined by $ref to OGC's ogcapi-features-1.yaml (as
    pygeoapi writes it) is read from the artefact store (pinned, seeded from the corpus) and verified."""
    report = run(fake, "oas-remote-datetime")
    assert status(report, "OAFEAT-022") is Status.PASS and not findings(report, "LC-004")


@pytest.mark.corpus  # the pinned OGC building blocks come from the corpus seed
def test_an_unpinned_remote_parameter_definition_is_not_verified(fake: LocalServer) -> None:
    report = run(fake, "oas-unpinned-datetime")
    verdict = result(report, "OAFEAT-022")
    assert verdict.status is Status.SKIP and verdict.why is Why.ARTEFACT_UNAVAILABLE
    [note] = findings(report, "LC-004")
    assert note.value == "https://example.org/unpinned/ogcapi-features-1.yaml" and note.severity is Severity.INFO


def test_a_record_belongs_to_one_catalogue(fake: LocalServer) -> None:
    """20-004r1 /req/record-core/links B: "Only a single link (relation: collection) SHALL be included in a record"."""
    report = run(fake, "record-two-collections", profile="ogcapi-records")
    [finding] = findings(report, "OAREC-009")
    assert finding.value == "2 collection links" and finding.focus == "GET /collections/catalogue/items/rec0"


def test_records_need_only_the_required_core_properties(fake: LocalServer) -> None:
    """20-004r1 /req/record-core/mandatory-properties-record: the core-properties table marks id, geometry, time,
    type and title as required; links is optional, so a record without links passes OAREC-007."""
    from ldt_conform.checks.api.ogc_records import _record_problem

    record = {"type": "Feature", "id": "a", "geometry": None, "time": None,
              "properties": {"type": "dataset", "title": "A"}}
    assert _record_problem(record) is None
    assert _record_problem({**record, "properties": {"type": "dataset"}}) == "a record's properties need title"


def test_a_broken_conformance_declaration_is_not_reported_under_the_catalogue_rule(fake: LocalServer) -> None:
    """OAREC-004 (/req/records-api/record-collections-response) asks for /collections only: a failing /conformance
    is OAREC-002's finding, and OAREC-004 is not verified for that reason."""
    report = run(fake, "conformance-500", profile="ogcapi-records")
    assert not [f for f in report.findings if f.rule == "OAREC-004" and f.focus == "GET /conformance"]


# -- first contact ---------------------------------------------------------------------------------------------
def test_a_base_url_with_a_query_string(fake: LocalServer) -> None:
    """`--api 'http://host/ogc/?f=json'`: the query goes with every request, never into the path."""
    report = probe([(None, fake.url + "/ogc/?f=json")], profile="ogcapi-features")
    assert report.targets[0].format == "ogcapi-features" and status(report, "OAFEAT-001") is Status.PASS
    paths = {path for _, path, _ in fake.requests}
    assert "/ogc/?f=json" in paths and not [p for p in paths if "f=json/" in p]


def test_a_base_url_that_names_a_file(fake: LocalServer) -> None:
    """`--api http://host/ogc/index.json`: the landing page is that file, the API root its folder."""
    report = probe([(None, fake.url + "/ogc/index.json")], profile="ogcapi-features")
    assert report.targets[0].format == "ogcapi-features" and status(report, "OAFEAT-001") is Status.PASS
    paths = {path for _, path, _ in fake.requests}
    assert "/ogc/index.json" in paths and "/ogc/conformance" in paths
    assert not [p for p in paths if p.startswith("/ogc/index.json/")]


# -- declared conformance classes -------------------------------------------------------------------------------
def test_declared_classes_without_rules_are_listed(fake: LocalServer) -> None:
    """Every class the server declares and no rule tests is listed as "declared, not tested by ldt-conform": here
    Features Part 4, which the fake declares, and nothing the rules cover (Features core, geojson, oas30, Parts 2
    and 3, Records)."""
    report = run(fake, "declares-part4", profile="api")
    listed = [f for f in report.findings if f.message.startswith("Declared, not tested by ldt-conform")]
    assert [(f.rule, f.focus, f.value, f.severity) for f in listed] == [
        ("OAFEAT-007", "GET /conformance",
         "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
         Severity.INFO)]


# -- SensorThings 18-088 /req/request-data -------------------------------------------------------------------------
def sta(fake: LocalServer, *faults: str) -> object:
    from servers import fake_apis

    fake.faults.update(faults)
    return probe([("sensorthings", fake.url + fake_apis.STA)], profile="sensorthings")


def test_orderby_phenomenon_time(fake: LocalServer) -> None:
    """/req/request-data/orderby: $orderby=phenomenonTime desc sorts latest first (django-ogc-sensorthings 1.2
    answered it with HTTP 500 while result ordering worked)."""
    report = sta(fake, "sta-ignore-orderby-time")
    [finding] = findings(report, "STA-016")
    assert finding.focus == "GET /Observations?$orderby=phenomenonTime%20desc&$top=20"
    assert finding.value.startswith("['2024-01-01T01:00:00+00:00', '2024-01-01T02:00:00+00:00'")


def test_filter_on_phenomenon_time(fake: LocalServer) -> None:
    """/req/request-data/filter: a comparison on phenomenonTime returns only later observations."""
    report = sta(fake, "sta-ignore-time-filter")
    [finding] = findings(report, "STA-017")
    assert finding.focus == "GET /Observations?$filter=phenomenonTime%20gt%202024-01-01T01:00:00Z&$top=50"
    assert finding.value == "['2024-01-01T01:00:00+00:00', '2024-01-01T02:00:00+00:00', '2024-01-01T03:00:00+00:00']"


def test_geo_filter(fake: LocalServer) -> None:
    """/req/request-data/filter: geo.intersects(location, geography'POLYGON(…)') around one location returns it
    and no location outside the polygon."""
    report = sta(fake, "sta-ignore-geo-filter")
    [finding] = findings(report, "STA-017")
    assert finding.focus == ("GET /Locations?$filter=geo.intersects%28location,%20geography%27POLYGON%28%284.3499%20"
                             "50.8499,%204.3501%2050.8499,%204.3501%2050.8501,%204.3499%2050.8501,%204.3499%2050.8499"
                             "%29%29%27%29&$top=50")
    assert finding.value == "2 locations, location 2 outside"
    assert finding.message.endswith(" (geo.intersects with a polygon around location 1 must return it, and only "
                                    "locations inside the polygon)")
    fake.faults.clear()
    assert status(sta(fake), "STA-017") is Status.PASS


# -- the rules of the declared classes, exactly ------------------------------------------------------------------
DECLARED_CASES = {
    # fault: (profile, rule, [(focus, value)], words of the note) — each quotes the requirement it breaks
    "crs-no-header": ("ogcapi-features", "OAFEAT-060", [  # 18-058r1 /req/crs/ogc-crs-header
        ("GET /collections/catalogue/items?crs=http://www.opengis.net/def/crs/EPSG/0/3857&limit=1",
         "Content-Crs: missing"),
        ("GET /collections/roads/items?crs=http://www.opengis.net/def/crs/EPSG/0/3857&limit=1",
         "Content-Crs: missing")], "the Content-Crs header must name the CRS of the response"),
    "queryables-not-schema": ("ogcapi-features", "OAFEAT-070", [  # 19-079r2 /req/queryables/get-queryables-response
        ("GET /collections/catalogue/queryables", "type=None, properties=NoneType"),
        ("GET /collections/roads/queryables", "type=None, properties=NoneType")], "JSON Schema with type"),
    "ignore-filter": ("ogcapi-features", "OAFEAT-071", [  # 19-079r2 /req/filter/response
        ("GET /collections/catalogue/items?filter=title%3D%27Air%20quality%27&filter-lang=cql2-text&limit=100",
         "feature rec1 and 1 more"),
        ("GET /collections/roads/items?filter=name%3D%27road%200%27&filter-lang=cql2-text&limit=100",
         "feature r1 and 3 more")], "must select only features whose"),
    "records-ignore-type": ("ogcapi-records", "OAREC-013", [  # 20-004r1 /req/…/query-param-type-response
        ("GET /collections/catalogue/items?type=service&limit=100", "record rec1 and 1 more")],
        "type=service must select only records whose type is service"),
    "records-ignore-ids": ("ogcapi-records", "OAREC-014", [  # 20-004r1 /req/…/query-param-ids-response
        ("GET /collections/catalogue/items?ids=rec0&limit=100", "record rec1 and 1 more")],
        "ids=rec0 must select only the record rec0"),
    "records-ignore-datetime": ("ogcapi-records", "OAREC-015", [  # 20-004r1 /req/…/query-param-datetime
        ("GET /collections/catalogue/items?datetime=2020-02-01T00:00:00Z&limit=100", "record rec0 and 1 more")],
        "must select only records whose time intersects it"),
}


@pytest.mark.parametrize("fault", sorted(DECLARED_CASES))
def test_declared_class_rules(fault: str, fake: LocalServer) -> None:
    profile, rule, expected, words = DECLARED_CASES[fault]
    report = run(fake, fault, profile=profile)
    assert status(report, rule) is Status.FAIL
    got = sorted((f.focus, f.value) for f in findings(report, rule))
    assert got == expected
    assert all(words in f.message for f in findings(report, rule))
