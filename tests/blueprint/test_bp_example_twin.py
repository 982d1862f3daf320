"""The example twin end to end, as the README runs it: `cd examples/twin && ldt-conform check`."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from conftest import CORPUS, EXAMPLES, REPO, run_cli

TWIN = EXAMPLES / "twin"


@pytest.fixture
def in_twin(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(TWIN)
    return TWIN


@pytest.mark.corpus  # reads upstream artefacts (the test corpus)
def test_example_twin_report(in_twin: Path) -> None:
    """Seeded store (tests seed it from the corpus): every payload is schema-checked; the defects are the planted ones."""
    result = run_cli(["check", "--format", "json"], expect=1)
    report = json.loads(result.stdout)
    schema = json.loads((REPO / "ldt_conform" / "schemas" / "report.schema.json").read_text())
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(report)
    found = sorted((f["rule"], f["focus"]) for f in report["findings"])
    assert found == [
        ("LDT-103", "https://data.riverton.example/distribution/parking-ngsi-ld"),
        ("LDT-203", "riverton-ring-12-lane-2-2026-11-20T10:00"),
        ("LDT-204", "urn:ngsi-ld:Streetlight:riverton-quai-17"),
        ("LDT-205", "riverton-ring-12-lane-2-2026-11-20T10:00#/laneDirection"),
        ("LDT-205", "urn:ngsi-ld:AirQualityObserved:riverton-station-07:2026-11-20T10#/tsp"),
    ]
    levels = {m["label"]: m for m in report["mims"]}
    assert {k: v["level"] for k, v in levels.items()} == {
        "MIM0": "full", "MIM1": "full", "MIM2": "partial", "MIM3": "full", "MIM4": "initial",
        "MIM5": "not-assessed", "MIM6": "initial", "MIM7": "full", "MIM8": "full"}
    assert [e["kind"] for e in levels["MIM3"]["evidence"]] == ["rulebook", "data-sharing-agreements"]
    assert levels["MIM4"]["evidence"][0]["status"] == "declared, not machine-verified"
    assert sum(t["documents"] or 0 for t in report["targets"] if t["kind"] == "json") == 9


def test_example_twin_text_shows_mim_levels(in_twin: Path) -> None:
    result = run_cli(["check"], expect=1)
    assert "MIM levels" in result.stdout and "MIM6" in result.stdout and "declared, not machine-verified" in result.stdout


@pytest.mark.corpus  # reads upstream artefacts (the test corpus)
def test_example_twin_offline_without_seed(in_twin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No network, nothing cached or seeded: payload schemas are 'not verifiable offline' (info), nothing crashes."""
    monkeypatch.setenv("LDT_CONFORM_SEED", str(tmp_path / "none"))
    monkeypatch.setenv("LDT_CONFORM_CACHE", str(tmp_path / "cache"))
    report = json.loads(run_cli(["check", "--offline", "--format", "json"], expect=1).stdout)
    offline = {f["focus"] for f in report["findings"] if f["rule"] == "LC-004"}
    assert len(offline) == 5 and all(f.startswith("https://raw.githubusercontent.com/") for f in offline)
    assert not [f for f in report["findings"] if f["rule"] == "LDT-205"]
    assert {m["label"]: m["level"] for m in report["mims"]}["MIM2"] == "partial"
    # --seed makes them verifiable again, from any folder holding the pinned files
    seeded = json.loads(run_cli(["check", "--offline", "--seed", str(CORPUS / "sdm"),
                                 "--format", "json"], expect=1).stdout)
    assert not [f for f in seeded["findings"] if f["rule"] == "LC-004"]
