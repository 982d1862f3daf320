"""Adding data models: the shipped catalogue's pins, and user models from a local file or a pinned URL."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from bp_servers import RunningServer, ServerSpec, bytes_route
from conftest import CORPUS, run_cli
from ldt_conform import sdm

THING_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "required": ["id", "type", "height"],
    "properties": {"type": {"enum": ["Thing"]}, "height": {"type": "number", "minimum": 0},
                   "address": {"$ref": "https://smart-data-models.github.io/data-models/common-schema.json"
                                       "#/definitions/Location-Commons/properties/address"}},
}


@pytest.mark.corpus  # reads upstream artefacts (the test corpus)
def test_shipped_catalogue_pins_match_the_corpus_copies() -> None:
    catalogue = sdm.shipped()
    assert {m.type for m in catalogue.models} == {"AirQualityObserved", "Building", "OffStreetParking",
                                                  "TrafficFlowObserved", "WeatherObserved"}
    corpus = {hashlib.sha256(p.read_bytes()).hexdigest() for p in (CORPUS / "sdm").rglob("*.json")}
    for pin in catalogue.pins():
        assert pin.sha256 in corpus, pin.url
    for model in catalogue.models:
        assert model.licence == "CC-BY-4.0" and model.version and len(model.commit) == 40 and model.iris
        assert model.commit in (model.schema_url or ""), "a model schema URL is pinned to its commit"
    assert len(catalogue.mirrors) == 4


def _twin(tmp_path: Path, model: str) -> None:
    (tmp_path / "e.json").write_text(json.dumps([
        {"id": "urn:ngsi-ld:Thing:1", "type": "Thing", "height": 3, "address": {"addressLocality": "Riverton"}},
        {"id": "urn:ngsi-ld:Thing:2", "type": "Thing", "height": -1},
    ]))
    (tmp_path / "ldt-conform.toml").write_text('extends = "ldt4ssc"\n[twin]\nname = "t"\npayloads = ["e.json"]\n'
                                               + model)


def _focuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, expect: int = 1) -> list[str]:
    monkeypatch.chdir(tmp_path)
    report = json.loads(run_cli(["check", "--select", "LDT-2", "--format", "json"], expect=expect).stdout)
    return sorted(f"{f['rule']} {f['focus']}" for f in report["findings"])


@pytest.mark.corpus  # reads upstream artefacts (the test corpus)
def test_user_model_from_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "thing.json").write_text(json.dumps(THING_SCHEMA))
    _twin(tmp_path, '[[twin.models]]\ntype = "Thing"\nfile = "models/thing.json"\n')
    assert _focuses(tmp_path, monkeypatch) == ["LDT-205 urn:ngsi-ld:Thing:2#/height"]


@pytest.mark.corpus  # reads upstream artefacts (the test corpus)
def test_user_model_from_a_pinned_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = json.dumps(THING_SCHEMA).encode()
    server = RunningServer(ServerSpec(tls=False, routes={"/thing/schema.json": bytes_route(body)}))
    monkeypatch.setenv("LDT_CONFORM_CACHE", str(tmp_path / "cache"))
    try:
        url = server.url("/thing/schema.json")
        _twin(tmp_path, f'[[twin.models]]\ntype = "Thing"\nschema = "{url}"\nsha256 = "{hashlib.sha256(body).hexdigest()}"\n')
        assert _focuses(tmp_path, monkeypatch) == ["LDT-205 urn:ngsi-ld:Thing:2#/height"]
        assert len(server.requests) == 1
        # second run: from the cache, no request
        assert _focuses(tmp_path, monkeypatch) == ["LDT-205 urn:ngsi-ld:Thing:2#/height"]
        assert len(server.requests) == 1
        # a pin that does not match what the URL serves is never trusted: not verifiable, not a pass or a fail
        _twin(tmp_path, f'[[twin.models]]\ntype = "Thing"\nschema = "{url}"\nsha256 = "{"0" * 64}"\n')
        assert _focuses(tmp_path, monkeypatch, expect=0) == [f"LC-004 {url}"]
    finally:
        server.stop()


def test_user_model_remote_ref_pinned_in_artefacts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    common = json.dumps({"$defs": {"height": {"type": "number", "maximum": 100}}}).encode()
    server = RunningServer(ServerSpec(tls=False, routes={"/common.json": bytes_route(common)}))
    monkeypatch.setenv("LDT_CONFORM_CACHE", str(tmp_path / "cache"))
    try:
        schema = {**THING_SCHEMA, "properties": {"height": {"$ref": server.url("/common.json") + "#/$defs/height"}}}
        (tmp_path / "thing.json").write_text(json.dumps(schema))
        _twin(tmp_path, f'[[twin.models]]\ntype = "Thing"\nfile = "thing.json"\n\n[artefacts.thing-common]\n'
                        f'url = "{server.url("/common.json")}"\nsha256 = "{hashlib.sha256(common).hexdigest()}"\n')
        (tmp_path / "e.json").write_text(json.dumps([{"id": "urn:ngsi-ld:Thing:3", "type": "Thing", "height": 300}]))
        assert _focuses(tmp_path, monkeypatch) == ["LDT-205 urn:ngsi-ld:Thing:3#/height"]
    finally:
        server.stop()


@pytest.mark.corpus  # reads upstream artefacts (the test corpus)
def test_models_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "thing.json").write_text(json.dumps(THING_SCHEMA))
    _twin(tmp_path, '[[twin.models]]\ntype = "Thing"\nfile = "thing.json"\n')
    monkeypatch.chdir(tmp_path)
    rows = json.loads(run_cli(["models", "list", "--format", "json"]).stdout)
    assert rows[0]["type"] == "Thing" and rows[0]["offline"] and rows[0]["origin"].endswith("ldt-conform.toml")
    assert {r["type"] for r in rows if r["offline"]} == {"Thing", "AirQualityObserved", "Building",
                                                        "OffStreetParking", "TrafficFlowObserved", "WeatherObserved"}
    monkeypatch.setenv("LDT_CONFORM_SEED", str(tmp_path / "none"))
    monkeypatch.setenv("LDT_CONFORM_CACHE", str(tmp_path / "empty-cache"))
    rows = json.loads(run_cli(["models", "list", "--format", "json"]).stdout)
    assert [r["type"] for r in rows if r["offline"]] == ["Thing"]
    text = run_cli(["models", "list", "--seed", str(CORPUS / "sdm")]).stdout
    assert "WeatherObserved" in text and "not cached" not in text
