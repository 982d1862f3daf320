"""jsonschema-rs gives payload verdicts only because it agrees with jsonschema (the reference) on the whole corpus."""
from __future__ import annotations

import copy
import json
from typing import Any, Iterator

import jsonschema_rs  # noqa: F401 - the compiled verdicts need it: a broken install fails here, never skips
import pytest

from conftest import CORPUS, corpus_path
from ldt_conform import ngsi, sdm
from ldt_conform.artefacts import ArtefactStore
from ldt_conform.checks.json_schema import compile_model

MODELS = ("AirQualityObserved", "Building", "OffStreetParking", "TrafficFlowObserved", "WeatherObserved")
# Mutations that hit every kind of keyword the SDM schemas use: type, enum, format, minimum/maximum, anyOf, required.
MUTATIONS: list[tuple[str, Any]] = [
    ("dateObserved", "yesterday"), ("dateObserved", "2016-03-15T11:00:00"), ("dateObserved", 20160315),
    ("location", {"type": "Point", "coordinates": "1,2"}), ("location", {"type": "Pointy", "coordinates": [1, 2]}),
    ("address", {"addressCountry": 34}), ("source", "not a uri"), ("source", "https://ok.example/x"),
    ("id", 42), ("type", "SomethingElse"), ("dateCreated", "2020-02-30T00:00:00Z"), ("seeAlso", ["urn:a", 3]),
    ("areaServed", None), ("name", ["a", "b"]), ("relativeHumidity", 1.5), ("windDirection", -190),
    ("category", ["office", "nonsense"]), ("availableSpotNumber", -1), ("intensity", -5), ("laneDirection", "up"),
    ("occupancy", 2), ("floorsAboveGround", "four"), ("precipitation", "wet"), ("tsp", 73),
]

REPAIRS: dict[str, Any] = {"tsp": 73, "dateObserved": "2016-03-15T11:00:00Z", "windDirection": 176,
                           "precipitation": 0, "floorsBelowGround": 1}


def _documents(model: str) -> Iterator[dict[str, Any]]:
    for name in ("example.json", "example-normalized.json", "example-normalized.jsonld"):
        entity = json.loads(corpus_path("sdm", model, "examples", name).read_text())
        flat = ngsi.to_key_values(entity)
        yield flat
        # The upstream AirQualityObserved examples fail their own schema; repaired, they give valid documents too.
        flat = {**flat, **{k: v for k, v in REPAIRS.items() if k in flat}}
        yield flat
        yield entity  # the raw normalized form too: many failures, a good stress of error paths
        for key, value in MUTATIONS:
            mutated = copy.deepcopy(flat)
            if value is None:
                mutated.pop(key, None)
            else:
                mutated[key] = value
            yield mutated
        reduced = {k: v for k, v in flat.items() if k in ("id", "type")}
        yield reduced


@pytest.mark.corpus  # reads upstream artefacts (the test corpus)
@pytest.mark.parametrize("model", MODELS)
def test_compiled_and_reference_verdicts_are_identical(model: str) -> None:
    store = ArtefactStore(seed_dirs=[CORPUS / "sdm"], offline=True, use_cache=False)
    catalogue = sdm.shipped()
    store.add_pins(catalogue.pins())
    entry = next(m for m in catalogue.models if m.type == model)
    compiled = compile_model(entry, store, "auto", mirrors=catalogue.mirrors)
    assert not compiled.missing and compiled.fast is not None
    documents = list(_documents(model))
    valid = 0
    for document in documents:
        reference = not any(True for _ in compiled.reference.iter_errors(document))
        assert compiled.fast.is_valid(document) == reference, (model, document)
        valid += reference
    assert 0 < valid < len(documents), "the corpus must hold both verdicts"
