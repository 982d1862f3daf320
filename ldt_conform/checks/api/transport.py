"""The `transport` check kind (MIM6): HTTPS, TLS versions, certificate, HSTS, OpenID discovery of each API."""
from __future__ import annotations

import json
import re
from typing import Any, Mapping, Sequence
from urllib.parse import urlsplit

from ldt_conform import fetch
from ldt_conform.checks import CheckOutput, RunContext, format_message
from ldt_conform.errors import FetchError
from ldt_conform.model import Finding, Result, Rule, Status, Why

target_kinds = ("api",)
ASSERTIONS = ("https", "tls-minimum", "tls-1-3", "certificate", "hsts", "oidc-discovery")
# 180 days: the lower bound of common HSTS guidance (a year is better; preload lists want two).
DEFAULT_MIN_HSTS = 15_552_000
AUTH_WITH_DISCOVERY = ("oidc", "oauth2")
OIDC_REQUIRED = ("issuer", "authorization_endpoint", "jwks_uri", "response_types_supported",
                 "subject_types_supported", "id_token_signing_alg_values_supported")
OAUTH_REQUIRED = ("issuer", "token_endpoint")

Outcome = tuple[Status, str | None, list[tuple[str, str]]]  # status, reason, [(focus, value)]
# Every skip of this kind is a gap (the check could not run: no TLS, plain HTTP, an unverifiable certificate, a
# version this machine cannot offer) except an endpoint that declares no OpenID Connect / OAuth 2 authentication.
NO_AUTH_DECLARED = "no OpenID Connect / OAuth 2 authentication is declared for this endpoint"


def run(rules: Sequence[Rule], target: Any, ctx: RunContext) -> CheckOutput:
    url = str(getattr(target, "url", None) or target.source)
    auth = auth_for(url, ctx.options.get("api_auth") or {})
    outcomes = assess(url, auth, ctx, {str(r.check.get("assert")): r for r in rules})
    output = CheckOutput(engines={"transport"})
    for rule in rules:
        status, reason, issues = outcomes.get(str(rule.check.get("assert")),
                                              (Status.ERROR, f"unknown transport assertion {rule.check}", []))
        why = None if status is not Status.SKIP else (Why.NOT_APPLICABLE if reason == NO_AUTH_DECLARED
                                                      else Why.PREREQUISITE_FAILED)
        output.results.append(Result(rule.id, target.source, status, reason=reason, engine="transport", why=why))
        for focus, value in issues:
            output.findings.append(Finding(rule=rule.id, severity=rule.severity, target=target.source, focus=focus,
                                           value=value, engine="transport",
                                           message=format_message(rule, ctx.lang, value, focus=focus, value=value)))
    return output


def auth_for(url: str, table: Mapping[str, Mapping[str, Any]]) -> Mapping[str, Any]:
    """The declared auth of an endpoint ([[twin.apis]] auth/issuer), matched with or without a trailing slash."""
    for key in (url, url.rstrip("/"), url.rstrip("/") + "/"):
        if key in table:
            return table[key]
    return {}


def assess(url: str, auth: Mapping[str, Any], ctx: RunContext, rules: Mapping[str, Rule]) -> dict[str, Outcome]:
    parts = urlsplit(url)
    if parts.scheme != "https":
        blocked: Outcome = (Status.SKIP, "prerequisite LDT-601 failed: the endpoint is plain HTTP, it has no TLS", [])
        return {"https": (Status.FAIL, None, [(url, f"{parts.scheme}:// endpoint")]),
                **{a: blocked for a in ASSERTIONS if a != "https"}}
    host, port = parts.hostname or "", parts.port or 443
    timeout = float(getattr(ctx.fetcher, "timeout", fetch.DEFAULT_TIMEOUT) or fetch.DEFAULT_TIMEOUT)
    info: fetch.TlsInfo = ctx.cache.get(f"tls:{host}:{port}") or ctx.cache.setdefault(
        f"tls:{host}:{port}", fetch.tls_probe(host, port, timeout))
    focus = f"TLS {host}:{port}"
    outcomes: dict[str, Outcome] = {"https": (Status.PASS, None, [])}
    outcomes["tls-minimum"] = _tls_minimum(info, focus)
    outcomes["tls-1-3"] = ((Status.PASS, None, []) if info.tls13 else
                           (Status.FAIL, None, [(focus, f"negotiates {info.version or 'no TLS'}; TLS 1.3 refused")]))
    outcomes["certificate"] = ((Status.PASS, None, []) if info.cert_valid else
                               (Status.FAIL, None, [(focus, info.cert_error or info.error or "not verifiable")]))
    if info.error:
        outcomes["hsts"] = (Status.SKIP, f"prerequisite LDT-602 failed: no TLS connection: {info.error}", [])
    elif not info.cert_valid and getattr(ctx.fetcher, "verify_tls", True):
        outcomes["hsts"] = (Status.SKIP, "prerequisite LDT-604 failed: clients ignore HSTS from a host whose "
                                         "certificate they cannot verify", [])
    else:
        hsts_rule = rules.get("hsts")
        minimum = int((hsts_rule.check if hsts_rule else {}).get("min_hsts_max_age", DEFAULT_MIN_HSTS))
        outcomes["hsts"] = _hsts(url, ctx.fetcher, minimum)
    outcomes["oidc-discovery"] = _discovery(url, auth, ctx.fetcher)
    return outcomes


def _tls_minimum(info: fetch.TlsInfo, focus: str) -> Outcome:
    if info.version is None:
        return Status.FAIL, None, [(focus, info.error or "no TLS handshake")]
    if info.version not in ("TLSv1.2", "TLSv1.3"):
        return Status.FAIL, None, [(focus, f"negotiates {info.version}")]
    if info.legacy_accepted:
        return Status.FAIL, None, [(focus, f"also accepts {', '.join(info.legacy_accepted)}")]
    if not info.legacy_tested:
        # The rule is that the server refuses them; a version never offered proves no refusal.
        untested = " and ".join(info.legacy_untested)
        return Status.SKIP, (f"not verified: this machine's OpenSSL cannot offer {untested}, so whether the server "
                             f"refuses {'them' if len(info.legacy_untested) > 1 else 'it'} is unknown (it "
                             f"negotiates {info.version})"), []
    return Status.PASS, None, []


def _hsts(url: str, fetcher: Any, minimum: int) -> Outcome:
    path = urlsplit(url).path or "/"
    focus = f"GET {path}"
    try:
        response = fetcher.get(url, raise_for_status=False)
    except FetchError as exc:
        return Status.ERROR, f"could not fetch the endpoint: {exc.message}", []
    header = response.headers.get("strict-transport-security")
    if not header:
        return Status.FAIL, None, [(focus, "no Strict-Transport-Security header")]
    found = re.search(r"max-age\s*=\s*\"?(\d+)", header, re.IGNORECASE)
    if not found:
        return Status.FAIL, None, [(focus, f"Strict-Transport-Security without max-age: {header}")]
    if int(found.group(1)) < minimum:
        return Status.FAIL, None, [(focus, f"max-age={found.group(1)} is below {minimum} s")]
    return Status.PASS, None, []


def _discovery(url: str, auth: Mapping[str, Any], fetcher: Any) -> Outcome:
    kind = str(auth.get("auth") or "none")
    if kind not in AUTH_WITH_DISCOVERY:
        return Status.SKIP, NO_AUTH_DECLARED, []
    parts = urlsplit(url)
    issuer = str(auth.get("issuer") or f"{parts.scheme}://{parts.netloc}")
    wells = ["/.well-known/openid-configuration"] + (["/.well-known/oauth-authorization-server"]
                                                    if kind == "oauth2" else [])
    problems: list[tuple[str, str]] = []
    for well in wells:
        found = _metadata(issuer.rstrip("/") + well, issuer, OIDC_REQUIRED if "openid" in well else OAUTH_REQUIRED,
                          fetcher)
        if not found:
            return Status.PASS, None, []
        problems.extend(found)
    return Status.FAIL, None, problems


def _metadata(document_url: str, issuer: str, required: Sequence[str], fetcher: Any) -> list[tuple[str, str]]:
    """Problems with a discovery document (OpenID Connect Discovery 1.0 §3-4, RFC 8414 §2-3); empty when good."""
    focus = f"GET {urlsplit(document_url).path}"
    try:
        response = fetcher.get(document_url, accept="application/json")
    except FetchError as exc:
        return [(focus, exc.message)]
    try:
        metadata = json.loads(response.body)
    except ValueError:
        return [(focus, "the discovery document is not JSON")]
    if not isinstance(metadata, dict):
        return [(focus, "the discovery document is not a JSON object")]
    problems = [(focus, f"missing '{key}'") for key in required if key not in metadata]
    if "issuer" in metadata and str(metadata["issuer"]).rstrip("/") != issuer.rstrip("/"):
        problems.append((focus, f"issuer is {metadata['issuer']!r}, expected {issuer!r}"))
    problems.extend((focus, f"{key} is not https: {value}") for key, value in sorted(metadata.items())
                    if (key.endswith("_endpoint") or key == "jwks_uri") and isinstance(value, str)
                    and not value.startswith("https://"))
    return problems


__all__ = ["ASSERTIONS", "assess", "auth_for", "run", "target_kinds"]
