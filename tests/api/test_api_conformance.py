"""Only declared classes are tested; 1.0/1.1 Features URIs are one class; Records typos are normalised and flagged."""
from __future__ import annotations

import pytest

from api_helpers import findings, probe, status, verdicts
from ldt_conform.checks.api import ogc_features, ogc_records
from ldt_conform.model import Status
from servers.util import LocalServer


@pytest.mark.corpus  # the pinned OGC building blocks come from the corpus seed
def test_features_1_1_class_uris_count_as_the_1_0_classes(fake: LocalServer) -> None:
    fake.faults.add("features-1.1-uris")
    report = probe([("ogcapi-features", fake.url + "/ogc")], profile="ogcapi-features")
    assert set(verdicts(report).values()) == {"pass"}
    assert ogc_features.normalise("https://www.opengis.net/spec/ogcapi-features-1/1.1/conf/geojson/") == \
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"


@pytest.mark.corpus  # the pinned OGC building blocks come from the corpus seed
def test_undeclared_class_is_skipped_with_the_reason(fake: LocalServer) -> None:
    fake.faults.add("no-geojson-class")
    report = probe([("ogcapi-features", fake.url + "/ogc")], profile="ogcapi-features")
    reasons = {r.rule: r.reason for r in report.results if r.status is Status.SKIP}
    assert set(reasons) == {"OAFEAT-040", "OAFEAT-041"}
    assert reasons["OAFEAT-040"] == "the server does not declare the conformance class (conf/geojson)"


def test_records_typos_are_normalised_and_warned(fake: LocalServer) -> None:
    fake.faults.add("records-typo-uris")
    report = probe([("ogcapi-records", fake.url + "/ogc")], profile="ogcapi-records")
    states = verdicts(report)
    assert states.pop("OAREC-003") == "fail" and set(states.values()) == {"pass"}
    notes = sorted(f.message.rsplit("write ", 1)[1] for f in findings(report, "OAREC-003"))
    assert notes == [f"http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/{c})"
                     for c in ("record-collection", "record-core", "records-api")]
    assert all(f.severity.value == "warning" for f in findings(report, "OAREC-003"))


def test_records_normalise() -> None:
    for typo, fixed in [("http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/records-core", "record-core"),
                        ("https://www.opengis.net/spec/ogcapi-records-1/1.0.0/conf/record-collections/", "record-collection"),
                        ("http://www.opengis.net/spec/ogcapi-records-1/1.0-draft.2/req/record-api", "records-api")]:
        assert ogc_records.normalise(typo) == ogc_records.RECORDS + fixed


def test_a_draft_only_records_server_still_gets_the_1_0_tests(fake: LocalServer) -> None:
    fake.faults.add("draft-records-uri")
    report = probe([("ogcapi-records", fake.url + "/ogc")], profile="ogcapi-records")
    assert status(report, "OAREC-007") is Status.PASS and status(report, "OAREC-003") is Status.FAIL


def test_extent_must_include_the_geometries(fake: LocalServer) -> None:
    fake.faults.add("extent-too-small")
    report = probe([("ogcapi-features", fake.url + "/ogc")], profile="ogcapi-features")
    # Features Core applies to the record collection as well (the server declares Core): both are judged.
    assert {f.focus for f in findings(report, "OAFEAT-012")} == {"GET /collections/roads/items?limit=100",
                                                                 "GET /collections/catalogue/items?limit=100"}
    assert all("include all its geometries" in f.message for f in findings(report, "OAFEAT-012"))


def test_collection_resource_must_match_its_collections_entry(fake: LocalServer) -> None:
    fake.faults.add("collection-title-differs")
    report = probe([("ogcapi-features", fake.url + "/ogc")], profile="ogcapi-features")
    assert [(f.value, f.focus) for f in findings(report, "OAFEAT-014")] == [
        ("title", "GET /collections/catalogue"), ("title", "GET /collections/roads")]
