"""Payload validation speed: 100 k NGSI entities, jsonschema (reference) vs jsonschema-rs (compiled), and end to end.

    python benchmarks/bench_payloads.py [--entities 100000] [--seed-dir ../shared/corpus/sdm] [--defects 0.05]

Entities are generated deterministically from the Smart Data Models examples of the corpus (five models, a third of
them in NGSI-LD normalized form, a few per cent with planted defects). Both validators see the same unwrapped
documents; the script stops if their verdicts differ on any entity. The end-to-end figure is `api.check` on one
JSON Lines file, i.e. reading, unwrapping, type resolution, validation and the report.
"""
from __future__ import annotations

import argparse
import copy
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ldt_conform import api, ngsi, sdm  # noqa: E402
from ldt_conform.artefacts import ArtefactStore  # noqa: E402
from ldt_conform.checks.json_schema import compile_model  # noqa: E402

REPAIRS = {"tsp": 73, "dateObserved": "2026-11-20T10:00:00Z", "windDirection": 176, "precipitation": 0,
           "floorsBelowGround": 1}
DEFECTS = [("tsp", 73.3), ("dateObserved", "20 Nov 2026"), ("location", {"type": "Point", "coordinates": "1,2"}),
           ("relativeHumidity", 1.7), ("intensity", -3), ("floorsAboveGround", "four"), ("occupancy", 2)]


def templates(seed_dir: Path) -> dict[str, dict[str, Any]]:
    out = {}
    for model in ("AirQualityObserved", "Building", "OffStreetParking", "TrafficFlowObserved", "WeatherObserved"):
        entity = json.loads((seed_dir / model / "examples" / "example.json").read_text())
        out[model] = {**entity, **{k: v for k, v in REPAIRS.items() if k in entity}}
    return out


def normalize(entity: dict[str, Any]) -> dict[str, Any]:
    """Key-values → NGSI-LD normalized, the inverse of ngsi.to_key_values (for generating test data)."""
    out: dict[str, Any] = {"id": entity["id"], "type": entity["type"]}
    for key, value in entity.items():
        if key in ("id", "type"):
            continue
        if key == "location":
            out[key] = {"type": "GeoProperty", "value": value}
        elif key.startswith("ref") and isinstance(value, str):
            out[key] = {"type": "Relationship", "object": value}
        else:
            out[key] = {"type": "Property", "value": value}
    return out


def generate(count: int, seed_dir: Path, defect_rate: float, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    bases = templates(seed_dir)
    names = sorted(bases)
    entities = []
    for index in range(count):
        model = names[index % len(names)]
        entity = copy.deepcopy(bases[model])
        entity["id"] = f"urn:ngsi-ld:{model}:bench-{index}"
        if "location" in entity and entity["location"].get("type") == "Point":
            entity["location"] = {"type": "Point", "coordinates": [round(rng.uniform(-8, 8), 5),
                                                                   round(rng.uniform(38, 55), 5)]}
        if rng.random() < defect_rate:
            key, value = rng.choice(DEFECTS)
            entity[key] = value
        entities.append(normalize(entity) if index % 3 == 0 else entity)
    return entities


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--seed-dir", type=Path, default=ROOT.parent / "shared" / "corpus" / "sdm")
    parser.add_argument("--defects", type=float, default=0.05)
    args = parser.parse_args(argv)

    entities = generate(args.entities, args.seed_dir, args.defects)
    catalogue = sdm.shipped()
    store = ArtefactStore(seed_dirs=[args.seed_dir], offline=True, use_cache=False)
    store.add_pins(catalogue.pins())
    compiled = {m.type: compile_model(m, store, "auto", mirrors=catalogue.mirrors) for m in catalogue.models}
    missing = [url for c in compiled.values() for url in c.missing]
    if missing:
        print(f"schemas not in the seed folder: {missing}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    documents = []
    for entity in entities:
        flat = ngsi.to_key_values(entity)
        model, _ = catalogue.resolve(entity)
        documents.append((compiled[model.type], flat))  # type: ignore[union-attr]
    unwrap_s = time.perf_counter() - started

    started = time.perf_counter()
    reference = [not any(True for _ in c.reference.iter_errors(d)) for c, d in documents]
    reference_s = time.perf_counter() - started
    started = time.perf_counter()
    fast = [c.fast.is_valid(d) for c, d in documents]
    fast_s = time.perf_counter() - started
    disagree = sum(a != b for a, b in zip(reference, fast))

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "entities.jsonl"
        path.write_text("\n".join(json.dumps(e) for e in entities))
        started = time.perf_counter()
        report = api.check([], api.CheckOptions(profile="ldt4ssc", select=["LDT-2"], payloads=[str(path)],
                                                offline=True, extra={"seed_dirs": [str(args.seed_dir)]}))
        end_to_end_s = time.perf_counter() - started
    failing = sum(1 for f in report.findings if f.rule == "LDT-205")

    n = len(entities)
    print(f"entities: {n:,} ({reference.count(False):,} invalid, {args.defects:.0%} planted defects)")
    print(f"unwrap + resolve type:        {unwrap_s:7.2f} s  {n / unwrap_s:10,.0f} entities/s")
    print(f"jsonschema (reference):       {reference_s:7.2f} s  {n / reference_s:10,.0f} entities/s")
    print(f"jsonschema-rs (compiled):     {fast_s:7.2f} s  {n / fast_s:10,.0f} entities/s  "
          f"({reference_s / fast_s:.1f}x faster)")
    print(f"verdicts that differ:         {disagree}")
    print(f"end to end (api.check, auto): {end_to_end_s:7.2f} s  {n / end_to_end_s:10,.0f} entities/s  "
          f"({failing:,} LDT-205 findings)")
    return 1 if disagree else 0


if __name__ == "__main__":
    raise SystemExit(main())
