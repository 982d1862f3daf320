"""Real servers: pygeoapi (OGC API Features + Records) and django-ogc-sensorthings (SensorThings 1.1, SQLite)."""
from __future__ import annotations

import pytest

from api_helpers import probe, verdicts
from ldt_conform.model import Severity

# pygeoapi 0.21 deviates from OGC 17-069r4 in two places, both decided by the standard's text:
#  - OAFEAT-025 /req/core/query-param-unknown (§7.6): an unknown query parameter SHALL get 400; pygeoapi answers 200.
#  - OAFEAT-040 /req/geojson/definition (§8.3): GeoJSON SHALL be served as application/geo+json; pygeoapi says
#    application/json for items requested with Accept: application/geo+json.
# and it still declares the draft Records class URIs …/conf/core and …/conf/opensearch (OAREC-003, a warning).
PYGEOAPI_FAILS = {"OAFEAT-025", "OAFEAT-040", "OAREC-003"}


@pytest.mark.slow
def test_pygeoapi_features_records_and_openapi(pygeoapi: str) -> None:
    report = probe([(None, pygeoapi)])
    assert {t.format for t in report.targets} == {"ogcapi-features"}
    ran = {rule: state for rule, state in verdicts(report).items() if rule.split("-")[0] in ("OAFEAT", "OAREC", "OAS")}
    assert {rule for rule, state in ran.items() if state not in ("pass", "skip")} == PYGEOAPI_FAILS, ran
    # its remote $refs (OGC schemas, unpinned) cannot be followed: those rules are not verified, never a pass
    unverified = {(r.rule, r.why.value if r.why else None) for r in report.results
                  if r.rule in ran and r.status.value == "skip"}
    assert unverified == {("OAFEAT-022", "artefact-unavailable"), ("OAS-004", "artefact-unavailable")}, unverified
    assert len(ran) == 55
    # Its OpenAPI document references files nobody pinned: info findings (LC-004), never failures.
    offline = [f for f in report.findings if f.rule == "LC-004"]
    assert offline and all(f.severity is Severity.INFO for f in offline)
    assert {f.rule for f in report.findings if f.severity is Severity.ERROR} == {"OAFEAT-025", "OAFEAT-040"}


@pytest.mark.slow
def test_django_ogc_sensorthings(sensorthings: str) -> None:
    report = probe([(None, sensorthings)])
    assert report.targets[0].format == "sensorthings"
    sta = verdicts(report, "STA-")
    assert sta == {rule: "pass" for rule in sta} and len(sta) == 18, report.findings
    assert report.conforms
