"""MIM6 transport rules against real local TLS servers whose certificates the test generates (trustme)."""
from __future__ import annotations

import json
import ssl
from pathlib import Path
from typing import Any, Iterator

import pytest
import trustme

from bp_servers import RunningServer, ServerSpec, json_route, oidc_document
from conftest import PROFILES
from ldt_conform import api, fetch
from ldt_conform.model import Report, Status

CASES_DIR = PROFILES / "ldt4ssc" / "cases"
TRANSPORT_RULES = ("LDT-601", "LDT-602", "LDT-603", "LDT-604", "LDT-605", "LDT-606")
pytestmark = pytest.mark.network_local


@pytest.fixture(scope="module")
def ca() -> Any:
    return trustme.CA()


@pytest.fixture
def trusted(ca: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The test CA becomes the trust store of requests and of fetch.tls_probe, for this test only."""
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    return ca


def _legacy_tls_available() -> bool:
    try:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            context.minimum_version = ssl.TLSVersion.TLSv1_1
        context.set_ciphers("ALL:@SECLEVEL=0")
        return True
    except (ValueError, ssl.SSLError):
        return False


def _server(case: dict[str, Any], ca: Any) -> RunningServer:
    raw = dict(case.get("server", {}))
    oidc = raw.pop("oidc", None)
    spec = ServerSpec(**raw)
    server = RunningServer(spec, trustme.CA() if case.get("untrusted_ca") else ca)
    if oidc is not None:
        origin = server.url("").rstrip("/")
        spec.routes["/.well-known/openid-configuration"] = json_route(oidc_document(origin, **oidc))
    else:
        spec.routes["/.well-known/openid-configuration"] = json_route({"title": "Not Found"}, status=404)
    return server


def _check(server: RunningServer, rule: str, auth: dict[str, Any] | None = None) -> Report:
    url = server.url("/ngsi-ld/v1/")
    options = api.CheckOptions(profile="ldt4ssc", select=[rule], apis=[("ngsi-ld", url)], timeout=5,
                               extra={"api_auth": {url: {"auth": "none", **(auth or {})}}})
    return api.check([], options)


def _transport_cases() -> Iterator[Any]:
    for rule in TRANSPORT_RULES:
        for case in sorted((CASES_DIR / rule).glob("*.json")):
            yield pytest.param(rule, case, id=f"{rule}/{case.name}")


def test_every_transport_rule_has_pass_and_fail_cases() -> None:
    for rule in TRANSPORT_RULES:
        names = [p.name for p in (CASES_DIR / rule).glob("*.json")]
        assert any(n.startswith("pass-") for n in names) and any(n.startswith("fail-") for n in names), rule


@pytest.mark.parametrize("rule,case_file", list(_transport_cases()))
def test_transport_case(rule: str, case_file: Path, trusted: Any) -> None:
    case = json.loads(case_file.read_text())
    if case.get("needs_legacy_tls") and not _legacy_tls_available():
        pytest.skip("this OpenSSL cannot offer TLS 1.1, so a TLS 1.1-only server cannot be tested here")
    server = _server(case, trusted)
    try:
        report = _check(server, rule, case.get("api"))
    finally:
        server.stop()
    raised = [f for f in report.findings if f.rule == rule]
    statuses = {r.status for r in report.results if r.rule == rule}
    if case_file.name.startswith("fail-"):
        assert raised, f"{case_file.name} ({case['description']}) should raise {rule}; results {statuses}"
        assert Status.FAIL in statuses
        assert all(f.message and f.focus for f in raised)
    else:
        assert not raised, f"{case_file.name} should not raise {rule}: {[f.message for f in raised]}"
        assert statuses <= {Status.PASS, Status.SKIP}
    assert not [f for f in report.findings if f.rule == "LC-002"], "a transport check crashed"


def test_tls_probe_reports_versions_and_certificate(trusted: Any) -> None:
    server = RunningServer(ServerSpec(min_version="TLSv1.2", max_version="TLSv1.3"), trusted)
    try:
        info = fetch.tls_probe("localhost", server.port, timeout=5)
    finally:
        server.stop()
    assert info.cert_valid and info.cert_error is None
    assert info.version == "TLSv1.3" and info.tls13
    assert info.legacy_accepted == ()
    assert info.not_after


def test_wrong_host_certificate_is_named(trusted: Any) -> None:
    server = RunningServer(ServerSpec(cert_host="wrong.example.org"), trusted)
    try:
        info = fetch.tls_probe("localhost", server.port, timeout=5)
    finally:
        server.stop()
    assert not info.cert_valid
    assert "hostname" in (info.cert_error or "").lower() or "match" in (info.cert_error or "").lower()
    assert info.version in ("TLSv1.2", "TLSv1.3"), "the unverified handshake still tells the version"


def test_plain_http_skips_tls_rules_with_reason(trusted: Any) -> None:
    server = RunningServer(ServerSpec(tls=False), trusted)
    try:
        url = server.url("/ngsi-ld/v1/")
        report = api.check([], api.CheckOptions(profile="ldt4ssc", select=list(TRANSPORT_RULES),
                                                apis=[("ngsi-ld", url)], timeout=5))
    finally:
        server.stop()
    by_rule = {r.rule: r for r in report.results}
    assert by_rule["LDT-601"].status is Status.FAIL
    for rule in ("LDT-602", "LDT-603", "LDT-604", "LDT-605", "LDT-606"):
        assert by_rule[rule].status is Status.SKIP and "plain HTTP" in (by_rule[rule].reason or "")


def test_transport_levels_reach_mim6(trusted: Any) -> None:
    spec = ServerSpec(headers={"Strict-Transport-Security": "max-age=31536000"})
    server = RunningServer(spec, trusted)
    spec.routes["/.well-known/openid-configuration"] = json_route(oidc_document(server.url("").rstrip("/")))
    try:
        report = _check(server, "LDT-6", {"auth": "oidc"})
    finally:
        server.stop()
    mim6 = next(m for m in report.mims if m["key"] == "securing-data")
    # Both machine-checkable capabilities hold; the run is narrowed (--select LDT-6) and MIM6's identity and access
    # management processes are organisational, so MIM6 is not a machine-verified full.
    assert {c["id"]: (c["state"], c["rules_passed"]) for c in mim6["capabilities"]} == {
        "mim6.transport": ("holds", ["LDT-601", "LDT-602", "LDT-604"]), "mim6.access-control": ("holds", ["LDT-606"]),
        "mim6.processes": ("not-assessed", [])}
    assert (mim6["level"], mim6["narrowed"], mim6["machine_verifiable"]) == ("partial", True, False)


def _verdicts(report: Report) -> dict[str, tuple[str, str | None, str | None]]:
    return {r.rule: (r.status.value, r.why.value if r.why else None, r.reason) for r in report.results
            if r.rule in TRANSPORT_RULES}


def test_a_refusal_never_offered_is_not_verified(trusted: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """LDT-602 asks that TLS 1.0 and 1.1 be refused. On a machine whose OpenSSL cannot offer them (as OpenSSL
    reports it: NO_PROTOCOLS_AVAILABLE), no refusal was seen, so the rule is not verified, never passed. The server
    is real; only the client's capability is simulated, at the one call that offers a version."""
    real = fetch._handshake
    cannot: set[str] = set()

    def handshake(host: str, port: int, timeout: float, *, verify: bool, version: str | None = None,
                  cafile: str | None = None) -> Any:
        if version in cannot:
            raise ssl.SSLError(1, "[SSL: NO_PROTOCOLS_AVAILABLE] no protocols available (_ssl.c:1000)")
        return real(host, port, timeout, verify=verify, version=version, cafile=cafile)

    monkeypatch.setattr(fetch, "_handshake", handshake)
    server = RunningServer(ServerSpec(min_version="TLSv1.2", max_version="TLSv1.3"), trusted)
    try:
        verdicts = []
        for missing in ({"TLSv1", "TLSv1.1"}, {"TLSv1"}, set()):
            cannot.clear()
            cannot.update(missing)
            verdicts.append(_verdicts(_check(server, "LDT-602"))["LDT-602"])
    finally:
        server.stop()
    assert verdicts == [
        ("skip", "prerequisite-failed", "not verified: this machine's OpenSSL cannot offer TLSv1 and TLSv1.1, so "
                                        "whether the server refuses them is unknown (it negotiates TLSv1.3)"),
        ("skip", "prerequisite-failed", "not verified: this machine's OpenSSL cannot offer TLSv1, so whether the "
                                        "server refuses it is unknown (it negotiates TLSv1.3)"),
        ("pass", None, None),
    ]


def test_every_transport_skip_says_why(trusted: Any) -> None:
    """No TLS at all on an https:// endpoint: LDT-602/603/604 fail on it and HSTS (LDT-605) cannot be asked, a gap
    (prerequisite failed); no declared authentication: LDT-606 is not applicable; plain HTTP: every TLS rule is
    a gap naming LDT-601."""
    plain = RunningServer(ServerSpec(tls=False), trusted)
    try:
        https_url = plain.url("/ngsi-ld/v1/").replace("http://", "https://")
        no_tls = api.check([], api.CheckOptions(profile="ldt4ssc", select=list(TRANSPORT_RULES), timeout=5,
                                                apis=[("ngsi-ld", https_url)]))
        http = api.check([], api.CheckOptions(profile="ldt4ssc", select=list(TRANSPORT_RULES), timeout=5,
                                              apis=[("ngsi-ld", plain.url("/ngsi-ld/v1/"))]))
    finally:
        plain.stop()
    got = _verdicts(no_tls)
    assert [(rule, got[rule][:2]) for rule in TRANSPORT_RULES] == [
        ("LDT-601", ("pass", None)), ("LDT-602", ("fail", None)), ("LDT-603", ("fail", None)),
        ("LDT-604", ("fail", None)), ("LDT-605", ("skip", "prerequisite-failed")),
        ("LDT-606", ("skip", "not-applicable"))]
    assert (got["LDT-605"][2] or "").startswith("prerequisite LDT-602 failed: no TLS connection: no TLS handshake: ")
    assert got["LDT-606"][2] == "no OpenID Connect / OAuth 2 authentication is declared for this endpoint"
    blocked = "prerequisite LDT-601 failed: the endpoint is plain HTTP, it has no TLS"
    assert _verdicts(http) == {"LDT-601": ("fail", None, None),
                               **dict.fromkeys(TRANSPORT_RULES[1:], ("skip", "prerequisite-failed", blocked))}


def _discovery_findings(trusted: Any, document: Any, auth: Any, *, raw: bytes | None = None,
                        rfc8414: Any = None) -> tuple[list[tuple[str, str, str]], list[dict[str, Any]], str]:
    from bp_servers import bytes_route

    spec = ServerSpec()
    server = RunningServer(spec, trusted)
    origin = server.url("").rstrip("/")
    body = raw if raw is not None else json.dumps(document(origin) if callable(document) else document).encode()
    spec.routes["/.well-known/openid-configuration"] = bytes_route(body)
    if rfc8414 is not None:
        spec.routes["/.well-known/oauth-authorization-server"] = json_route(rfc8414(origin))
    else:
        spec.routes["/.well-known/oauth-authorization-server"] = json_route({"title": "Not Found"}, status=404)
    try:
        report = _check(server, "LDT-606", auth(origin) if callable(auth) else auth)
    finally:
        server.stop()
    found = [(f.focus, f.value or "", f.message) for f in report.findings if f.rule == "LDT-606"]
    # no findings must mean a pass, not a check that crashed or was skipped
    assert [r.status.value for r in report.results if r.rule == "LDT-606"] == ["fail" if found else "pass"]
    asked = [r for r in server.requests if "/.well-known/" in r["path"]]
    return found, asked, origin


def test_every_discovery_problem_is_named_exactly(trusted: Any) -> None:
    """OpenID Connect Discovery 1.0 §3-4 and RFC 8414: each defect of the document is its own finding, at the path
    of the document that has it; the issuer is compared without a trailing slash on either side."""
    focus = "GET /.well-known/openid-configuration"
    not_json, asked, _ = _discovery_findings(trusted, None, {"auth": "oidc"}, raw=b"<html>login</html>")
    assert [(f, v) for f, v, _ in not_json] == [(focus, "the discovery document is not JSON")]
    assert [r["headers"].get("Accept") for r in asked] == ["application/json"]
    listed, _, _ = _discovery_findings(trusted, ["issuer"], {"auth": "oidc"})
    assert [(f, v) for f, v, _ in listed] == [(focus, "the discovery document is not a JSON object")]

    def slashed(origin: str) -> dict[str, Any]:  # the same issuer written with a trailing slash: no finding
        return oidc_document(origin, issuer=origin + "/")

    assert _discovery_findings(trusted, slashed, {"auth": "oidc", "issuer": None})[0] == []
    # and the issuer declared with a trailing slash, the document's without one
    assert _discovery_findings(trusted, oidc_document, lambda origin: {"auth": "oidc", "issuer": origin + "/"})[0] == []

    def broken(origin: str) -> dict[str, Any]:
        return oidc_document(origin, issuer="https://login.other.example/", jwks_uri="http://keys.example/certs",
                             token_endpoint="http://login.example/token", subject_types_supported=None)

    found, _, origin = _discovery_findings(trusted, broken, {"auth": "oidc"})
    assert [(f, v) for f, v, _ in found] == [  # in report order
        (focus, f"issuer is 'https://login.other.example/', expected '{origin}'"),
        (focus, "jwks_uri is not https: http://keys.example/certs"),
        (focus, "missing 'subject_types_supported'"),
        (focus, "token_endpoint is not https: http://login.example/token"),
    ]


def test_oauth2_falls_back_to_rfc_8414_and_fails_only_when_both_documents_fail(trusted: Any) -> None:
    def rfc8414(origin: str) -> dict[str, Any]:
        return {"issuer": origin, "token_endpoint": f"{origin}/token"}

    passed, asked, _ = _discovery_findings(trusted, None, {"auth": "oauth2"}, raw=b"not json", rfc8414=rfc8414)
    assert passed == [] and [r["path"] for r in asked] == ["/.well-known/openid-configuration",
                                                           "/.well-known/oauth-authorization-server"]
    failed, _, _ = _discovery_findings(trusted, None, {"auth": "oauth2"}, raw=b"not json")
    assert [(f, v) for f, v, _ in failed] == [
        ("GET /.well-known/oauth-authorization-server", "HTTP 404 Not Found"),
        ("GET /.well-known/openid-configuration", "the discovery document is not JSON")]


@pytest.mark.parametrize("header,status,verdict", [
    (None, 200, ("fail", "GET /ngsi-ld/v1", "no Strict-Transport-Security header")),
    ("includeSubDomains", 200, ("fail", "GET /ngsi-ld/v1",
                                "Strict-Transport-Security without max-age: includeSubDomains")),
    ("max-age=600", 200, ("fail", "GET /ngsi-ld/v1", "max-age=600 is below 15552000 s")),
    ('Max-Age = "31536000"; includeSubDomains', 200, ("pass", None, None)),
    # the header counts on whatever the endpoint answers: an API root may well be a 404 or a 401
    ("max-age=31536000", 404, ("pass", None, None)),
])
def test_hsts_is_read_from_the_endpoint_s_own_answer(header: str | None, status: int,
                                                     verdict: tuple[str, str | None, str | None],
                                                     trusted: Any) -> None:
    spec = ServerSpec(headers={"Strict-Transport-Security": header} if header else {})
    spec.routes["/ngsi-ld/v1"] = json_route({"title": "Not Found"} if status == 404 else {"ok": True}, status=status)
    server = RunningServer(spec, trusted)
    try:
        report = _check(server, "LDT-605")
    finally:
        server.stop()
    assert [r["path"] for r in server.requests] == ["/ngsi-ld/v1"]  # the endpoint as given, its trailing "/" cut
    [result] = [r for r in report.results if r.rule == "LDT-605"]
    found = [(f.focus, f.value) for f in report.findings if f.rule == "LDT-605"]
    assert (result.status.value, *(found[0] if found else (None, None))) == verdict
    assert len(found) == (verdict[0] == "fail")


def test_hsts_of_an_endpoint_given_without_a_path_is_asked_at_the_root(trusted: Any) -> None:
    server = RunningServer(ServerSpec(), trusted)
    url = server.url("").rstrip("/")
    try:
        report = api.check([], api.CheckOptions(profile="ldt4ssc", select=["LDT-605"], apis=[("ngsi-ld", url)],
                                                timeout=5))
    finally:
        server.stop()
    assert [(f.focus, f.value) for f in report.findings if f.rule == "LDT-605"] == [
        ("GET /", "no Strict-Transport-Security header")]


def test_discovery_is_asked_at_the_declared_issuer_and_a_tls_1_2_server_passes(trusted: Any) -> None:
    """An issuer declared with a path (a Keycloak realm): the discovery document is read under it, and compared
    with it. A server that stops at TLS 1.2 meets the TLS 1.2 minimum (LDT-602) and fails only LDT-603."""
    spec = ServerSpec(max_version="TLSv1.2")
    server = RunningServer(spec, trusted)
    realm = server.url("/realms/city")
    spec.routes["/realms/city/.well-known/openid-configuration"] = json_route(oidc_document(realm))
    try:
        report = _check(server, "LDT-6", {"auth": "oidc", "issuer": realm + "/"})
    finally:
        server.stop()
    assert [r["path"] for r in server.requests if "/.well-known/" in r["path"]] == [
        "/realms/city/.well-known/openid-configuration"]
    verdicts = _verdicts(report)
    assert {rule: verdicts[rule][0] for rule in ("LDT-602", "LDT-603", "LDT-604", "LDT-606")} == {
        "LDT-602": "pass", "LDT-603": "fail", "LDT-604": "pass", "LDT-606": "pass"}
    assert "transport" in report.engines


def test_an_unverifiable_certificate_skips_hsts_naming_why(trusted: Any) -> None:
    """A certificate for another host: LDT-604 fails naming the verifier's reason, and HSTS (LDT-605) is a gap,
    since clients ignore HSTS from a host they cannot verify. Each result is the transport engine's."""
    spec = ServerSpec(cert_host="wrong.example.org", headers={"Strict-Transport-Security": "max-age=31536000"})
    server = RunningServer(spec, trusted)
    try:
        report = _check(server, "LDT-60")
    finally:
        server.stop()
    verdicts = _verdicts(report)
    assert verdicts["LDT-605"] == ("skip", "prerequisite-failed", "prerequisite LDT-604 failed: clients ignore HSTS "
                                                                  "from a host whose certificate they cannot verify")
    assert verdicts["LDT-604"][0] == "fail"
    [cert] = [f for f in report.findings if f.rule == "LDT-604"]
    assert (cert.focus, cert.value) == (f"TLS localhost:{server.port}",
                                        "Hostname mismatch, certificate is not valid for 'localhost'.")
    assert {r.engine for r in report.results if r.rule in TRANSPORT_RULES} == {"transport"}


HSTS_PROFILE = """format = "ldt-conform/profile@1"
requires = ">=0.1"
id = "hsts-strict"
version = "1.0.0"
title = "A profile that asks for a shorter HSTS max-age"
prefix = "HS"

[[rules]]
id = "HS-001"
name = "hsts-short"
title = "The endpoint sends HSTS"
severity = "warning"
message = "Send HSTS from {focus} ({value})."
refs = [{ id = "RFC 6797" }]
mims = ["securing-data"]
transport = { assert = "hsts"MINIMUM }
"""


@pytest.mark.parametrize("minimum,header,verdict", [
    (", min_hsts_max_age = 600", "max-age=600", ("pass", None)),
    (", min_hsts_max_age = 600", "max-age=599", ("fail", "max-age=599 is below 600 s")),
    ("", "max-age=600", ("fail", "max-age=600 is below 15552000 s")),
])
def test_a_profile_sets_the_hsts_minimum(minimum: str, header: str, verdict: tuple[str, str | None],
                                        trusted: Any, tmp_path: Path) -> None:
    """min_hsts_max_age (profile.schema.json's transport_check) replaces the 180-day default for its rule."""
    profile = tmp_path / "profile.toml"
    profile.write_text(HSTS_PROFILE.replace("MINIMUM", minimum), "utf-8")
    server = RunningServer(ServerSpec(headers={"Strict-Transport-Security": header}), trusted)
    url = server.url("/ngsi-ld/v1/")
    try:
        report = api.check([], api.CheckOptions(profile=str(profile), apis=[("ngsi-ld", url)], timeout=5))
    finally:
        server.stop()
    [result] = [r for r in report.results if r.rule == "HS-001"]
    found = [f.value for f in report.findings if f.rule == "HS-001"]
    assert (result.status.value, found[0] if found else None) == verdict
