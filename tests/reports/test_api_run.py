"""A run with a live API (the test NGSI-LD broker on 127.0.0.1): every report from one probe, endpoint provenance."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Iterator

import pytest

from corpus import require as corpus_require
from conftest import CORPUS, run_cli
from ldt_conform.render import FORMATS as RENDER_FORMATS
from servers import ngsi_ld_broker
from servers.util import LocalServer

pytestmark = pytest.mark.network_local
FORMATS = [f for f in RENDER_FORMATS if f != "pdf"]  # the PDF printer has tests of its own


@pytest.fixture
def broker() -> Iterator[LocalServer]:
    server = ngsi_ld_broker.start()
    yield server
    server.stop()


def test_every_report_from_one_probe_with_endpoint_provenance(broker: LocalServer, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    source = CORPUS / "dcat" / "dcat-ap-no" / "DCAT-AP-NO2.0-examples.ttl"
    if not source.is_file():
        corpus_require()
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(source, "catalog.ttl")
    api = f"ngsi-ld={broker.url}"
    run_cli(["check", "catalog.ttl", "-p", "ldt4ssc", "--api", api, "-q", "--report", "json=one.json"],
            expect=None)
    probes_for_one_report = len(broker.requests)
    assert probes_for_one_report > 0
    broker.requests.clear()
    args = ["check", "catalog.ttl", "-p", "ldt4ssc", "--api", api, "-q"]
    for fmt in FORMATS:
        args += ["--report", f"{fmt}=report.{fmt}"]
    run_cli(args, expect=None)
    assert len(broker.requests) == probes_for_one_report, "eight reports, the same probes as one: never twice"

    report = json.loads(Path("report.json").read_text())
    endpoint = next(t for t in report["targets"] if t["kind"] == "api")
    assert endpoint["source"].startswith(broker.url) and endpoint["probed_at"]
    for fmt in FORMATS:
        text = Path(f"report.{fmt}").read_text("utf-8")
        assert endpoint["source"] in text, f"{fmt} does not name the endpoint"
        assert endpoint["probed_at"] in text, f"{fmt} does not say when the endpoint was probed"
