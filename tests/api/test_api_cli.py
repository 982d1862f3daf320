"""`ldt-conform check --api …`: target syntax, exit codes, the default profile, one-line errors."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from api_helpers import run_cli_capture
from servers.util import LocalServer


def test_api_only_run_uses_the_api_profile_and_detects_the_kind(fake: LocalServer) -> None:
    result = run_cli_capture(["check", "--api", f"{fake.url}/ogc", "--format", "json"], expect=0)
    report = json.loads(result.stdout)
    assert report["profile"]["id"] == "api"
    assert report["targets"] == [{"source": f"{fake.url}/ogc", "kind": "api", "format": "ogcapi-features",
                                  "probed_at": report["targets"][0]["probed_at"]}]
    by_rule = {r["rule"]: r for r in report["results"]}
    assert by_rule["OAFEAT-001"]["status"] == "pass" and by_rule["OAREC-006"]["status"] == "pass"
    assert by_rule["STA-001"]["status"] == "skip" and "applies to sensorthings" in by_rule["STA-001"]["reason"]


def test_several_apis_of_different_kinds_in_one_run(fake: LocalServer, broker: LocalServer) -> None:
    result = run_cli_capture(["check", "--api", f"sensorthings={fake.url}/sta/v1.1", "--api", broker.url,
                              "--select", "STA,NGSILD", "--format", "json"], expect=0)
    report = json.loads(result.stdout)
    assert sorted(t["format"] for t in report["targets"]) == ["ngsi-ld", "sensorthings"]
    assert {r["status"] for r in report["results"] if r["rule"] == "STA-001"} == {"pass", "skip"}


def test_failures_exit_1_with_the_request_as_focus(fake: LocalServer) -> None:
    fake.faults.add("ignore-limit")
    result = run_cli_capture(["check", "--api", f"ogcapi-features={fake.url}/ogc", "--select", "OAFEAT",
                              "--format", "json"], expect=1)
    report = json.loads(result.stdout)
    [finding] = [f for f in report["findings"] if f["rule"] == "OAFEAT-019"]
    assert finding["focus"] == "GET /collections/roads/items?limit=2"
    assert finding["source"] == "/ats/core/fc-limit-response"


@pytest.mark.parametrize("spec,message", [
    ("ftp://example.org/api", "error: ftp://example.org/api: an --api target must be an http:// or https:// URL"),
    ("file:///etc/passwd", "error: file:///etc/passwd: an --api target must be an http:// or https:// URL"),
    ("wfs=http://127.0.0.1:9/x", "error: wfs=http://127.0.0.1:9/x: unknown API kind 'wfs' (choose from "
                                 "ogcapi-features, ogcapi-records, sensorthings, ngsi-ld, openapi)"),
    ("ngsi-ld=localhost:1026", "error: localhost:1026: an --api target must be an http:// or https:// URL"),
])
def test_a_wrong_api_argument_is_exit_2_with_one_line(spec: str, message: str) -> None:
    result = run_cli_capture(["check", "--api", spec], expect=2)
    assert result.stderr.strip().splitlines() == [message]


def test_non_json_landing_page_is_one_finding(bad_server: LocalServer) -> None:
    bad_server.faults.add("html-login")
    result = run_cli_capture(["check", "--api", bad_server.url, "--format", "json"], expect=1)
    [finding] = json.loads(result.stdout)["findings"]
    assert finding["rule"] == "LC-001" and finding["focus"] == "GET /"
    assert "login page" in finding["message"] and "\n" not in finding["message"]


def test_read_only_by_default_sends_no_write(broker: LocalServer) -> None:
    run_cli_capture(["check", "--api", f"ngsi-ld={broker.url}"], expect=0)
    assert {method for method, _, _ in broker.requests} == {"GET"}


def test_json_report_of_an_api_run_meets_the_report_contract(fake: LocalServer, broker: LocalServer) -> None:
    import jsonschema

    from api_helpers import REPO

    fake.faults.add("ignore-limit")
    result = run_cli_capture(["check", "--api", f"{fake.url}/ogc", "--api", f"ngsi-ld={broker.url}",
                              "--allow-writes", "--format", "json"], expect=1)
    report = json.loads(result.stdout)
    schema = json.loads((REPO / "ldt_conform" / "schemas" / "report.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(report)
    api_rules = {r["id"] for r in report["rules"] if r["kind"] == "api" and r["profile"] != "ldt-conform-tool"}
    assert len(api_rules) == 106 and {r["rule"] for r in report["results"]} >= api_rules


def test_french_report_of_an_api_run(fake: LocalServer) -> None:
    fake.faults.add("accept-unknown")
    result = run_cli_capture(["check", "--api", f"ogcapi-features={fake.url}/ogc", "--select", "OAFEAT-025",
                              "--lang", "fr", "--format", "json"], expect=1)
    found = json.loads(result.stdout)["findings"]
    assert [f["focus"].split("?")[0] for f in found] == ["GET /collections/catalogue/items",
                                                         "GET /collections/roads/items"]
    assert all(f["message"].startswith("Rejetez les paramètres de requête") for f in found)


def test_api_targets_under_a_profile_without_api_rules_are_flagged(fake: LocalServer, tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue.ttl"
    catalogue.write_text("@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<https://example.org/c> a dcat:Catalog .\n")
    result = run_cli_capture(["check", str(catalogue), "--api", f"{fake.url}/ogc", "--format", "json"], expect=None)
    report = json.loads(result.stdout)
    assert report["profile"]["id"] == "dcat-ap-3"
    assert any("were only identified, not checked" in w for w in report["warnings"])
