"""Credentials reach the API host only and never any report, log or error; TLS is verified unless --insecure says so."""
from __future__ import annotations

import json
import ssl
import zlib
from pathlib import Path
from typing import Iterator

import pytest

from api_helpers import probe, run_cli_capture, status
from ldt_conform.errors import FetchError
from ldt_conform.fetch import Fetcher
from ldt_conform.model import Status
from ldt_conform.render import RENDERERS
from servers import fake_apis
from servers.util import LocalServer

TOKEN = "s3cr3t-t0ken-4f9a8b7c6d5e"
API_KEY = "k3y-1234567890-abcdef"


def _all_text(path: Path) -> str:
    """A report file as text; PDF streams are inflated so a secret cannot hide in a compressed stream."""
    data = path.read_bytes()
    text = data.decode("latin-1")
    if data.startswith(b"%PDF"):
        for chunk in data.split(b"stream")[1:]:
            body = chunk.split(b"endstream")[0].strip(b"\r\n")
            try:
                text += zlib.decompress(body).decode("latin-1")
            except zlib.error:
                pass
    return text


def test_credentials_never_reach_reports_logs_or_errors(fake: LocalServer, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LDT_TEST_TOKEN", f"Bearer {TOKEN}")
    fake.faults.update({"accept-unknown", "json-media-type"})  # some findings, so messages are rendered too
    reports = [f"--report={fmt}={tmp_path / ('report.' + fmt)}" for fmt in RENDERERS]
    result = run_cli_capture(["check", "--api", f"ogcapi-features={fake.url}/ogc", "--header",
                              "Authorization=env:LDT_TEST_TOKEN", "--header", f"X-API-Key={API_KEY}", "--debug",
                              *reports], expect=1)
    sent = [headers for _, _, headers in fake.requests]
    assert sent and all(h.get("authorization") == f"Bearer {TOKEN}" and h.get("x-api-key") == API_KEY
                        for h in sent), "the credentials must reach the API host"
    outputs = {"stdout": result.stdout, "stderr": result.stderr,
               **{p.name: _all_text(p) for p in tmp_path.iterdir()}}
    assert len(outputs) == len(RENDERERS) + 2
    for name, text in outputs.items():
        assert TOKEN not in text and API_KEY not in text, f"a credential leaked into {name}"


def test_credentials_are_not_sent_to_a_redirect_target_on_another_host(bad_server: LocalServer) -> None:
    bad_server.faults.add("redirect-other-host")
    report = probe([("ogcapi-features", bad_server.url)], profile="ogcapi-features", follow_redirects_any=True,
                   headers={"Authorization": f"Bearer {TOKEN}"})
    assert status(report, "OAFEAT-001") is Status.PASS
    by_host = {(h.get("host", "").split(":")[0], "authorization" in h) for _, _, h in bad_server.requests}
    assert ("127.0.0.1", True) in by_host and ("localhost", False) in by_host
    assert ("localhost", True) not in by_host


def test_error_messages_are_redacted() -> None:
    fetcher = Fetcher(headers={"Authorization": f"Bearer {TOKEN}", "X-API-Key": API_KEY})
    text = fetcher.redact(f"proxy said: bad token {TOKEN} / Bearer {TOKEN} / key={API_KEY}")
    assert TOKEN not in text and API_KEY not in text and text.count("***") == 3


def test_header_from_a_missing_variable_is_a_usage_error(fake: LocalServer) -> None:
    result = run_cli_capture(["check", "--api", f"{fake.url}/ogc", "--header", "Authorization=env:LDT_NOT_SET_XYZ"],
                             expect=2)
    assert result.stderr.strip().splitlines() == [
        "error: --header Authorization: environment variable LDT_NOT_SET_XYZ is not set"]


# -- TLS ------------------------------------------------------------------------------------------------------------
@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[LocalServer]:
    import trustme

    authority = trustme.CA()
    certificate = authority.issue_cert("127.0.0.1")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    certificate.configure_cert(context)
    server = LocalServer(fake_apis.FakeApi, tls_context=context).start()
    yield server
    server.stop()


def test_tls_failure_is_a_finding_with_one_clear_line(tls_server: LocalServer) -> None:
    report = probe([(None, tls_server.url + "/ogc")], timeout=5)
    [finding] = report.findings
    assert finding.rule == "LC-001" and "TLS failure" in finding.message and "certificate" in finding.message
    assert not report.warnings


def test_insecure_is_explicit_and_warned_in_every_report(tls_server: LocalServer, tmp_path: Path) -> None:
    result = run_cli_capture(["check", "--api", f"ogcapi-features={tls_server.url}/ogc", "--insecure",
                              "--format", "json", "--report", f"text={tmp_path / 'r.txt'}"], expect=0)
    report = json.loads(result.stdout)
    assert report["warnings"] and "--insecure" in report["warnings"][0]
    assert all(r["status"] in ("pass", "skip") for r in report["results"])
    assert "WARNING TLS certificate verification was turned off" in (tmp_path / "r.txt").read_text()


def test_fetch_error_for_tls_names_the_url(tls_server: LocalServer) -> None:
    with pytest.raises(FetchError) as caught:
        Fetcher(timeout=5).get(tls_server.url + "/ogc/")
    assert caught.value.where == tls_server.url + "/ogc/" and "TLS failure" in caught.value.message


def test_manifest_endpoint_credentials_reach_that_api_only(fake: LocalServer, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """[[twin.apis]] credentials_env: read from the environment, sent as a bearer token, never written anywhere."""
    monkeypatch.setenv("LDT_TEST_TWIN_TOKEN", TOKEN)
    manifest = tmp_path / "ldt-conform.toml"
    manifest.write_text(f'''extends = "api"

[twin]
name = "test twin"

[[twin.apis]]
kind = "ogcapi-features"
url = "{fake.url}/ogc"
auth = "bearer"
credentials_env = "LDT_TEST_TWIN_TOKEN"
''', "utf-8")
    result = run_cli_capture(["check", "--manifest", str(manifest), "--select", "OAFEAT", "--format", "json"],
                             expect=0)
    assert {h.get("authorization") for _, _, h in fake.requests} == {f"Bearer {TOKEN}"}
    assert TOKEN not in result.stdout and TOKEN not in result.stderr
