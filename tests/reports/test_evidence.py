"""Evidence bundles: `check --evidence DIR` and `ldt-conform verify DIR` (0 intact, 1 altered, 2 not a bundle)."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from corpus import missing
from corpus import require as corpus_require
from conftest import CORPUS, run_cli
from support import seeded

SOURCE = CORPUS / "dcat" / "dcat-ap-no" / "DCAT-AP-NO2.0-examples.ttl"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SOURCE.is_file():
        corpus_require()
    root = tmp_path_factory.mktemp("evidence")
    shutil.copyfile(SOURCE, root / "catalog.ttl")
    with seeded(tmp_path_factory):
        result = run_cli(["check", str(root / "catalog.ttl"), "-p", "dcat-ap-3", "-q", "--evidence",
                          str(root / "ev"), "--include-inputs"], expect=1)
    assert "manifest sha256" in result.stderr
    return root / "ev"


def _copy(bundle: Path, tmp_path: Path) -> Path:
    target = tmp_path / "ev"
    shutil.copytree(bundle, target)
    return target


def test_bundle_holds_reports_inputs_hashes_and_manifest(bundle: Path) -> None:
    names = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    for fmt in ("json", "html", "sarif", "junit.xml", "earl.ttl", "shacl.ttl", "md", "txt"):
        assert f"reports/report.{fmt}" in names
    assert {"inputs.json", "manifest.json", "manifest.sha256", "inputs/001-catalog.ttl"} <= names
    manifest = json.loads((bundle / "manifest.json").read_text())
    assert manifest["format"] == "ldt-conform/evidence@1"
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert set(listed) == names - {"manifest.json", "manifest.sha256"}
    for path, digest in listed.items():
        assert hashlib.sha256((bundle / path).read_bytes()).hexdigest() == digest
    inputs = json.loads((bundle / "inputs.json").read_text())
    assert inputs[0]["sha256"] == hashlib.sha256(SOURCE.read_bytes()).hexdigest()
    assert (bundle / "inputs" / "001-catalog.ttl").read_bytes() == SOURCE.read_bytes()
    report = json.loads((bundle / "reports" / "report.json").read_text())
    assert report["targets"][0]["sha256"] == inputs[0]["sha256"]


def test_manifest_sha256_is_sha256sum_compatible(bundle: Path) -> None:
    if shutil.which("sha256sum") is None:
        missing("no sha256sum")
    subprocess.run(["sha256sum", "-c", "manifest.sha256"], cwd=bundle, check=True, capture_output=True)


def test_verify_intact(bundle: Path) -> None:
    result = run_cli(["verify", str(bundle)], expect=0)
    assert result.stdout.startswith("intact: ")


@pytest.mark.parametrize("tamper, expected", [
    (lambda b: (b / "reports" / "report.json").write_text("{}"), "altered: reports/report.json"),
    (lambda b: (b / "inputs" / "001-catalog.ttl").unlink(), "missing: inputs/001-catalog.ttl"),
    (lambda b: (b / "reports" / "extra.txt").write_text("x"), "added: reports/extra.txt"),
    (lambda b: (b / "manifest.json").write_text((b / "manifest.json").read_text().replace('"conforms": false',
                                                                                          '"conforms": true')),
     "altered: manifest.json"),
])
def test_verify_detects_alteration(bundle: Path, tmp_path: Path, tamper: object, expected: str) -> None:
    copy = _copy(bundle, tmp_path)
    tamper(copy)  # type: ignore[operator]
    result = run_cli(["verify", str(copy)], expect=1)
    assert result.stdout.startswith("ALTERED: ") and expected in result.stdout


def test_verify_of_something_that_is_not_a_bundle_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "manifest.json").write_text('{"format": "other"}')
    for target in ("empty", "bad", "missing"):
        lines = run_cli(["verify", str(tmp_path / target)], expect=2).stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ")


def test_evidence_refuses_a_non_empty_directory_before_the_run(tmp_path: Path) -> None:
    (tmp_path / "ev").mkdir()
    (tmp_path / "ev" / "notes.txt").write_text("mine")
    result = run_cli(["check", str(SOURCE), "-p", "dcat-ap-3", "--evidence", str(tmp_path / "ev")], expect=2)
    assert "evidence directory is not empty" in result.stderr
    assert (tmp_path / "ev" / "notes.txt").read_text() == "mine"
    result = run_cli(["check", str(SOURCE), "-p", "dcat-ap-3", "--include-inputs"], expect=2)
    assert "only makes sense with --evidence" in result.stderr
