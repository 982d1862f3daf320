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
    # Without a live API nothing proves that data is retrievable or that geodata is served: MIM0 and MIM7 are never
    # full, whatever the catalogue and payloads say.
    assert {k: v["level"] for k, v in levels.items()} == {
        "MIM0": "partial", "MIM1": "partial", "MIM2": "partial", "MIM3": "partial", "MIM4": "initial",
        "MIM5": "not-assessed", "MIM6": "initial", "MIM7": "not-assessed", "MIM8": "partial"}
    states = {c["id"]: c["state"] for m in report["mims"] for c in m["capabilities"]}
    assert {k: states[k] for k in ("mim0.retrievable", "mim0.queryable", "mim0.described", "mim0.models-specified",
                                   "mim7.geo-service", "mim7.open-encoding", "mim7.feature-ids", "mim7.crs",
                                   "mim7.context", "mim3.governance", "mim3.discoverable")} == {
        "mim0.retrievable": "not-assessed", "mim0.queryable": "not-assessed", "mim0.described": "holds",
        "mim0.models-specified": "broken", "mim7.geo-service": "not-assessed", "mim7.open-encoding": "not-assessed",
        "mim7.feature-ids": "not-assessed", "mim7.crs": "not-assessed", "mim7.context": "not-assessed",
        "mim3.governance": "declared", "mim3.discoverable": "holds"}
    geo = next(c for c in levels["MIM7"]["capabilities"] if c["id"] == "mim7.geo-service")
    assert geo["assess"] == "add an OGC API Features or SensorThings endpoint to [[twin.apis]]"
    assert geo["reason"] == "not verified: 10 not-applicable"
    context = next(c for c in levels["MIM7"]["capabilities"] if c["id"] == "mim7.context")
    assert context["reason"] == "counts only once mim7.geo-service was assessed"
    assert report["options"]["narrowed"] is False and report["options"]["rules_selected"] == 238
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
    assert {m["label"]: m["level"] for m in report["mims"]} == {
        "MIM0": "partial", "MIM1": "partial", "MIM2": "partial", "MIM3": "partial", "MIM4": "initial",
        "MIM5": "not-assessed", "MIM6": "initial", "MIM7": "not-assessed", "MIM8": "partial"}
    # The payload schemas were not in the store: LDT-205 is not verified (artefact unavailable), never a pass.
    ldt205 = {(r["status"], r.get("why")) for r in report["results"] if r["rule"] == "LDT-205"}
    assert ldt205 == {("skip", "artefact-unavailable"), ("skip", "not-applicable")}
    # --seed makes them verifiable again, from any folder holding the pinned files
    seeded = json.loads(run_cli(["check", "--offline", "--seed", str(CORPUS / "sdm"),
                                 "--format", "json"], expect=1).stdout)
    assert not [f for f in seeded["findings"] if f["rule"] == "LC-004"]


def test_example_twin_narrowed_run_is_never_full_and_says_so(in_twin: Path) -> None:
    """--select LDT-202 keeps MIM1's identifier capability holding, yet nothing is full and every summary says why."""
    report = json.loads(run_cli(["check", "--select", "LDT-202", "--format", "json"], expect=0).stdout)
    assert (report["options"]["select"], report["options"]["rules_selected"], report["options"]["rules_total"],
            report["options"]["narrowed"]) == (["LDT-202"], 1, 238, True)
    assert not [m for m in report["mims"] if m["level"] == "full"]
    mim1 = next(m for m in report["mims"] if m["label"] == "MIM1")
    assert mim1["level"] == "initial" and mim1["narrowed"] is True
    # LDT-202 passed, but the capability's other MUST rules were left out: what passed is no proof of the whole.
    identified = next(c for c in mim1["capabilities"] if c["id"] == "mim1.identified")
    assert (identified["state"], identified["reason"], identified["rules_passed"]) == (
        "not-assessed", "not verified: NGSILD-003, NGSILD-021 not-selected", ["LDT-202"])
    assert "narrowed run: --select/--ignore left rules out, so no MIM is full" in mim1["note"]
    skipped = {r["rule"]: r.get("why") for r in report["results"] if r["status"] == "skip" and r["target"] == ""}
    assert skipped["LDT-205"] == "not-selected" and skipped["DCATAP-101"] == "not-selected"
    text = run_cli(["check", "--select", "LDT-202"], expect=0).stdout
    assert "1 of 238 rules selected" in text


@pytest.mark.corpus
def test_example_twin_streamed_equals_in_memory(in_twin: Path, tmp_path: Path) -> None:
    # Payloads (json_schema), the manifest's evidence and MIM levels: the streamed run's report is the in-memory one,
    # listing 2 of its 5 findings.
    whole = json.loads(run_cli(["check", "--format", "json"], expect=1).stdout)
    out = tmp_path / "findings.jsonl"
    got = json.loads(run_cli(["check", "--format", "json", "--findings", str(out), "--list-findings", "2"],
                             expect=1).stdout)
    streamed = got.pop("streamed")
    assert got.pop("findings") == whole["findings"][:2]
    assert {k: v for k, v in got.items() if k not in ("started_at", "finished_at")} == \
        {k: v for k, v in whole.items() if k not in ("findings", "started_at", "finished_at")}
    assert (streamed["total"], streamed["listed"], streamed["failing"]) == (5, 2, 3)
    rows = [json.loads(line) for line in out.open(encoding="utf-8")]
    assert sorted((r["rule"], r["focus"], r["severity"]) for r in rows) == \
        sorted((f["rule"], f["focus"], f["severity"]) for f in whole["findings"])
    assert list(in_twin.glob("*.jsonl")) == []
