"""MIM2 payload checks on the corpus Smart Data Models examples and on bad inputs (real files, a real local broker)."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from bp_servers import RunningServer, ServerSpec, bytes_route, paged_entities
from conftest import corpus_path, run_cli
from ldt_conform import api, ngsi
from ldt_conform.errors import LoadError
from ldt_conform.model import Report, Severity, Status, Why
from ldt_conform.payloads import read_file

MODELS = ("AirQualityObserved", "Building", "OffStreetParking", "TrafficFlowObserved", "WeatherObserved")


def _check(*payloads: Any, select: tuple[str, ...] = ("LDT-2",), **extra: Any) -> Report:
    return api.check([], api.CheckOptions(profile="ldt4ssc", select=list(select), payloads=list(payloads),
                                          offline=True, extra=dict(extra)))


def _by_rule(report: Report, rule: str) -> list[Any]:
    return [f for f in report.findings if f.rule == rule]


def test_upstream_air_quality_example_fails_on_tsp() -> None:
    """The upstream key-values example is not known-good: tsp is 73.3 where the schema says integer."""
    report = _check(str(corpus_path("sdm", "AirQualityObserved", "examples", "example.json")))
    focuses = {f.focus: f for f in _by_rule(report, "LDT-205")}
    tsp = focuses["Madrid-AmbientObserved-28079004-2016-03-15T11:00:00#/tsp"]
    assert tsp.severity is Severity.ERROR
    assert "73.3 is not of type 'integer'" in tsp.message and "AirQualityObserved" in tsp.message
    # format checks are on: a date-time without offset is not RFC 3339
    assert "Madrid-AmbientObserved-28079004-2016-03-15T11:00:00#/dateObserved" in focuses


@pytest.mark.parametrize("model", [m for m in MODELS if m != "AirQualityObserved"])
def test_upstream_key_values_examples_validate(model: str) -> None:
    report = _check(str(corpus_path("sdm", model, "examples", "example.json")))
    assert not _by_rule(report, "LDT-205"), [f.message for f in report.findings]
    assert {r.status for r in report.results if r.rule == "LDT-205"} == {Status.PASS}


@pytest.mark.parametrize("model", MODELS)
def test_normalized_ngsi_ld_examples_are_unwrapped(model: str) -> None:
    """Validated raw, every normalized example fails 13–24 times; unwrapped, only genuine defects remain."""
    path = corpus_path("sdm", model, "examples", "example-normalized.jsonld")
    entity = json.loads(path.read_text())
    assert ngsi.form(entity) == "normalized"
    flat = ngsi.to_key_values(entity)
    assert "@context" not in flat and all(not (isinstance(v, dict) and v.get("type") in ngsi.LD_VALUE_MEMBER)
                                          for v in flat.values())
    report = _check(str(path))
    problems = {f.focus.split("#", 1)[1] for f in _by_rule(report, "LDT-205")}
    expected = {"AirQualityObserved": {"/tsp", "/windDirection", "/dateObserved"}}.get(model, set())
    assert problems == expected


def test_normalized_ngsi_v2_examples_are_unwrapped() -> None:
    path = corpus_path("sdm", "OffStreetParking", "examples", "example-normalized.json")
    entity = json.loads(path.read_text())
    assert ngsi.form(entity) == "normalized-v2"
    assert not _by_rule(_check(str(path)), "LDT-205")


def test_unwrapping_rules() -> None:
    entity = {
        "@context": "https://example.org/context.jsonld", "id": "urn:ngsi-ld:T:1", "type": "T",
        "p": {"type": "Property", "value": 3, "unitCode": "C62", "observedAt": "2026-01-01T00:00:00Z"},
        "d": {"type": "Property", "value": {"@type": "DateTime", "@value": "2026-01-01T00:00:00Z"}},
        "r": {"type": "Relationship", "object": "urn:ngsi-ld:X:1"},
        "g": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [1, 2]}},
        "l": {"type": "LanguageProperty", "languageMap": {"en": "hello", "fr": "bonjour"}},
        "m": [{"type": "Property", "value": 1, "datasetId": "urn:a"}, {"type": "Property", "value": 2}],
    }
    assert ngsi.to_key_values(entity) == {
        "id": "urn:ngsi-ld:T:1", "type": "T", "p": 3, "d": "2026-01-01T00:00:00Z", "r": "urn:ngsi-ld:X:1",
        "g": {"type": "Point", "coordinates": [1, 2]}, "l": {"en": "hello", "fr": "bonjour"}, "m": 2}
    key_values = {"id": "x", "type": "T", "location": {"type": "Point", "coordinates": [1, 2]}}
    assert ngsi.form(key_values) == "key-values" and ngsi.to_key_values(key_values) == key_values


@pytest.mark.corpus  # reads upstream artefacts (the test corpus)
def test_type_resolves_through_inline_context_and_iri(tmp_path: Path) -> None:
    good = {"dateObserved": "2026-01-01T00:00:00Z", "location": {"type": "Point", "coordinates": [1, 2]}}
    entities = [
        {"id": "urn:ngsi-ld:A:1", "type": "https://smartdatamodels.org/dataModel.Environment/AirQualityObserved", **good},
        {"@context": {"aq": "https://smartdatamodels.org/dataModel.Environment/"}, "id": "urn:ngsi-ld:A:2",
         "type": "aq:AirQualityObserved", **good, "tsp": 1.5},
        {"@context": {"Obs": "https://smartdatamodels.org/dataModel.Environment/AirQualityObserved"},
         "id": "urn:ngsi-ld:A:3", "type": "Obs", **good},
    ]
    path = tmp_path / "typed.json"
    path.write_text(json.dumps(entities))
    report = _check(str(path))
    assert not _by_rule(report, "LDT-204")
    assert [f.focus for f in _by_rule(report, "LDT-205")] == ["urn:ngsi-ld:A:2#/tsp"]


def test_unknown_type_is_info_not_failure(tmp_path: Path) -> None:
    path = tmp_path / "light.json"
    path.write_text('{"id": "urn:ngsi-ld:Streetlight:1", "type": "Streetlight"}')
    report = _check(str(path))
    (finding,) = _by_rule(report, "LDT-204")
    assert finding.severity is Severity.INFO and "Streetlight" in finding.message
    assert report.conforms
    assert {r.status for r in report.results if r.rule == "LDT-205"} == {Status.SKIP}


def test_unresolvable_ref_is_not_verifiable_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Empty store, no network: LC-004 info naming the URL, a skip result, never an error."""
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("LDT_CONFORM_SEED", str(empty))
    monkeypatch.setenv("LDT_CONFORM_CACHE", str(tmp_path / "cache"))
    report = _check(str(corpus_path("sdm", "Building", "examples", "example.json")))
    offline = [f for f in report.findings if f.rule == "LC-004"]
    assert offline and all(f.severity is Severity.INFO for f in offline)
    assert "Building/schema.json" in offline[0].focus and "--seed" in offline[0].message
    (result,) = [r for r in report.results if r.rule == "LDT-205"]
    assert result.status is Status.SKIP and "not verifiable offline" in (result.reason or "")
    assert report.conforms


def test_user_model_with_missing_remote_ref_is_not_verifiable(tmp_path: Path) -> None:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
              "allOf": [{"$ref": "https://models.example.org/never-pinned.json#/definitions/Thing"}]}
    (tmp_path / "thing.json").write_text(json.dumps(schema))
    (tmp_path / "e.json").write_text('{"id": "urn:ngsi-ld:Thing:1", "type": "Thing"}')
    report = _check(str(tmp_path / "e.json"), models=[{"type": "Thing", "file": str(tmp_path / "thing.json")}])
    offline = [f for f in report.findings if f.rule == "LC-004"]
    assert [f.focus for f in offline] == ["https://models.example.org/never-pinned.json"]


def test_glob_matching_nothing_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="matched no file"):
        _check(str(tmp_path / "entities" / "*.json"))
    result = run_cli(["check", "--payload", str(tmp_path / "nothing-*.json"), "-p", "ldt4ssc"], expect=2)
    assert "matched no file" in result.stderr and "Traceback" not in result.stderr


def test_not_json_is_a_finding_naming_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"id": "urn:ngsi-ld:A:1",\n  "type": "AirQualityObserved"\n  "no2": 3}\n')
    report = _check(str(path))
    (finding,) = _by_rule(report, "LDT-201")
    assert finding.focus == f"{path}:3:3" and "not valid JSON" in finding.message
    assert not report.conforms


def test_not_utf8_and_not_entities(tmp_path: Path) -> None:
    (tmp_path / "latin1.json").write_bytes('{"name": "Besançon"}'.encode("latin-1"))
    (tmp_path / "scalars.json").write_text('[1, "two"]')
    report = _check(str(tmp_path / "latin1.json"), str(tmp_path / "scalars.json"))
    messages = [f.message for f in _by_rule(report, "LDT-201")]
    assert any("not UTF-8" in m for m in messages)
    assert sum("expected an entity" in m for m in messages) == 2


def test_entity_without_id_or_type(tmp_path: Path) -> None:
    path = tmp_path / "anon.json"
    path.write_text('[{"type": "Building"}, {"id": "urn:ngsi-ld:Building:2"}]')
    findings = _by_rule(_check(str(path)), "LDT-202")
    assert sorted((f.focus, f.value) for f in findings) == [
        (f"{path}#/0", "id"), ("urn:ngsi-ld:Building:2", "type")]


def test_one_gigabyte_payload_is_rejected_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(1 << 30)  # sparse: no gigabyte is written or read
    target = read_file(huge)
    assert target.error and "1,073,741,824 bytes" in target.error and not target.entities
    report = _check(str(huge))
    (finding,) = [f for f in report.findings if f.rule == "LC-001"]
    assert "payload cap" in finding.message
    assert {r.status for r in report.results if r.target == str(huge)} == {Status.ERROR}
    # the rules --select left out are not verified, never passed
    assert {(r.status, r.why) for r in report.results if r.target != str(huge)} == {(Status.SKIP, Why.NOT_SELECTED)}


def test_json_lines_and_graph(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text('{"id": "urn:ngsi-ld:Thing:1", "type": "Thing"}\n\n'
                                      '{"id": "urn:ngsi-ld:Thing:2", "type": "Thing"}\n{oops\n')
    (tmp_path / "b.jsonld").write_text('{"@context": {"Thing": "https://example.org/Thing"}, "@graph": ['
                                       '{"id": "urn:ngsi-ld:Thing:3", "type": "Thing"}]}')
    report = _check(str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonld"))
    assert sum(t.documents or 0 for t in report.targets) == 3
    (bad,) = _by_rule(report, "LDT-201")
    assert bad.focus == f"{tmp_path / 'a.jsonl'}:4:2"


def test_json_lines_break_at_newlines_only(tmp_path: Path) -> None:
    # JSON allows a raw U+2028, U+2029 and U+0085 in a string: each record here is one valid line, so the only
    # problem is the broken record on line 3, named there (str.splitlines() made 6 lines of the first two).
    path = tmp_path / "odd.jsonl"
    path.write_bytes('{"id": "urn:ngsi-ld:Thing:1", "type": "Thing", "name": "a\u2028b\u2029c"}\r\n'
                     '{"id": "urn:ngsi-ld:Thing:2", "type": "Thing", "name": "d\x85e"}\n'
                     '{"id": \n'.encode("utf-8"))
    report = _check(str(path))
    assert [t.documents for t in report.targets] == [2]
    assert [(f.focus, f.message) for f in _by_rule(report, "LDT-201")] == [
        (f"{path}:3:8", f"Fix the payload at {path}:3:8: not valid JSON: Expecting value at line 3, column 8.")]


@pytest.mark.corpus  # reads upstream artefacts (the test corpus)
def test_broker_query_pages_and_never_leaks_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "s3cr3t-broker-token-0123456789"
    monkeypatch.setenv("TWIN_BROKER_TOKEN", secret)
    entities = [{"id": f"urn:ngsi-ld:Building:{i}", "type": "Building", "category": ["office"],
                 "address": {"addressLocality": "Riverton"}} for i in range(7)]
    entities[3]["floorsAboveGround"] = "four"
    spec = ServerSpec(tls=False, routes={"/ngsi-ld/v1/entities": paged_entities(entities, token=secret)})
    server = RunningServer(spec)
    try:
        query = {"broker": server.url("/"), "type": "Building", "limit": 3, "credentials_env": "TWIN_BROKER_TOKEN",
                 "tenant": "riverton"}
        report = _check(query)
    finally:
        server.stop()
    assert [r["path"].split("?")[1].split("&")[-2:] for r in server.requests] == [
        ["limit=3", "offset=0"], ["limit=3", "offset=3"], ["limit=3", "offset=6"]]
    assert all(r["headers"].get("NGSILD-Tenant") == "riverton" for r in server.requests)
    assert report.targets[0].documents == 7
    assert [f.focus for f in _by_rule(report, "LDT-205")] == ["urn:ngsi-ld:Building:3#/floorsAboveGround"]
    from ldt_conform.render import render

    for fmt in ("json", "text"):
        text = render(fmt, report)
        assert secret not in (text if isinstance(text, str) else text.decode())


def test_broker_unreachable_or_unauthorised_is_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOPE_TOKEN", raising=False)
    spec = ServerSpec(tls=False, routes={"/ngsi-ld/v1/entities": paged_entities([], token="x")})
    server = RunningServer(spec)
    try:
        unauthorised = _check({"broker": server.url("/")}, select=("LDT-2",))
        unset = _check({"broker": server.url("/"), "credentials_env": "NOPE_TOKEN"}, select=("LDT-2",))
    finally:
        server.stop()
    assert "HTTP 401" in [f for f in unauthorised.findings if f.rule == "LC-001"][0].message
    assert "NOPE_TOKEN is not set" in [f for f in unset.findings if f.rule == "LC-001"][0].message


def test_payload_url_served_locally() -> None:
    body = json.dumps({"id": "urn:ngsi-ld:Thing:9", "type": "Thing"}).encode()
    server = RunningServer(ServerSpec(tls=False, routes={"/thing.json": bytes_route(body)}))
    try:
        report = _check(server.url("/thing.json"))
    finally:
        server.stop()
    assert report.targets[0].documents == 1 and report.targets[0].source.endswith("/thing.json")


@pytest.mark.corpus  # reads upstream artefacts (the test corpus)
def test_payload_cli_option(tmp_path: Path) -> None:
    path = tmp_path / "aq.json"
    path.write_text(json.dumps({"id": "urn:ngsi-ld:AirQualityObserved:1", "type": "AirQualityObserved",
                                "dateObserved": "2026-01-01T00:00:00Z",
                                "location": {"type": "Point", "coordinates": [1, 2]}, "tsp": 73.3}))
    result = run_cli(["check", "-p", "ldt4ssc", "--payload", str(path), "--select", "LDT-205", "--format", "json",
                      "--offline"], expect=1)
    findings = json.loads(result.stdout)["findings"]
    assert [f["focus"] for f in findings] == ["urn:ngsi-ld:AirQualityObserved:1#/tsp"]
    assert os.environ.get("LDT_CONFORM_SEED")


@pytest.mark.corpus  # reads upstream artefacts (the test corpus)
def test_ngsi_ld_geojson_feature_collection(tmp_path: Path) -> None:
    """NGSI-LD GeoJSON representation: each feature is an entity (id + properties; the geometry is its location)."""
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "urn:ngsi-ld:Building:g1", "geometry": {"type": "Point", "coordinates": [2.35, 48.85]},
         "properties": {"type": "Building", "category": ["office"], "address": {"addressLocality": "Riverton"}}},
        {"type": "Feature", "id": "urn:ngsi-ld:Building:g2", "geometry": {"type": "Point", "coordinates": "2.35,48.85"},
         "properties": {"type": "Building", "category": ["office"], "address": {"addressLocality": "Riverton"}}},
    ]}
    path = tmp_path / "buildings.geojson"
    path.write_text(json.dumps(collection))
    report = _check(str(path))
    assert report.targets[0].documents == 2
    assert {f.focus.split("#")[0] for f in _by_rule(report, "LDT-205")} == {"urn:ngsi-ld:Building:g2"}
    assert all(f.focus.split("#")[1].startswith("/location") for f in _by_rule(report, "LDT-205"))
