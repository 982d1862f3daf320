"""API targets: `--api KIND=URL` / `--api URL` → ApiTarget, the kind detected from the landing page when not given."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, UTC
from typing import Any, Callable, Sequence
from urllib.parse import urlsplit

from ldt_conform.checks.api import notify
from ldt_conform.checks.api.probe import Broken, Issue, Probe, find_link
from ldt_conform.errors import UsageError
from ldt_conform.fetch import Fetcher, host_key
from ldt_conform.model import TargetInfo

KINDS = ("ogcapi-features", "ogcapi-records", "sensorthings", "ngsi-ld", "openapi")
# The rule families that run on each kind: an OGC API's OpenAPI description (service-desc) is checked too.
FAMILY_KINDS: dict[str, frozenset[str]] = {
    "ogcapi-features": frozenset({"ogcapi-features", "openapi"}),
    "ogcapi-records": frozenset({"ogcapi-records", "openapi"}),
    "sensorthings": frozenset({"sensorthings"}),
    "ngsi-ld": frozenset({"ngsi-ld"}),
    "openapi": frozenset({"openapi"}),
}
# A run's probes of live APIs may not take longer than this in total, whatever the servers do.
DEFAULT_BUDGET_S = 300.0
NGSI_LD_ROOT = "/ngsi-ld/v1"


@dataclass
class ApiTarget:
    """A live API, probed once per run; `error` is set when it could not be reached or identified."""

    source: str
    api_kind: str | None
    families: frozenset[str] = frozenset()
    probe: Probe | None = None
    allow_writes: bool = False
    error: Issue | None = None
    probed_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds")
                           .replace("+00:00", "Z"))
    kind: str = "api"

    def info(self) -> TargetInfo:
        return TargetInfo(source=self.source, kind="api", format=self.api_kind or "unknown", probed_at=self.probed_at)


def parse_spec(spec: tuple[str | None, str] | str) -> tuple[str | None, str]:
    """`KIND=URL` or `URL` (as given on the command line or in the twin manifest) → (kind or None, URL)."""
    if not isinstance(spec, str):
        return spec
    kind, sep, url = spec.partition("=")
    if sep and kind in KINDS:
        return kind, url
    if sep and "://" not in kind and "/" not in kind:
        raise UsageError(spec, f"unknown API kind '{kind}' (choose from {', '.join(KINDS)})")
    return None, spec


def open_api_targets(specs: Sequence[tuple[str | None, str]], options: Any, *, fetcher: Fetcher,
                     progress: Callable[[str], None] = lambda _: None) -> list[ApiTarget]:
    """Validate the URLs (a wrong one is the user's error: exit 2), then identify each API (problems are findings)."""
    # The same API named twice (e.g. on the command line and in the manifest) is probed once.
    parsed = list(dict.fromkeys(parse_spec(spec) for spec in specs))
    for kind, url in parsed:
        if kind is not None and kind not in KINDS:
            raise UsageError(f"{kind}={url}", f"unknown API kind '{kind}' (choose from {', '.join(KINDS)})")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(url, "an --api target must be an http:// or https:// URL")
    extra = getattr(options, "extra", {}) or {}
    if extra.get("notify_listen"):
        notify.parse_listen(str(extra["notify_listen"]))
    if extra.get("notify_url"):
        notify.check_url(str(extra["notify_url"]))
    # Credentials given with --header go to the API hosts only, never to a redirect target or an artefact host.
    hosts = frozenset(host_key(url) for _, url in parsed)
    fetcher.header_hosts = hosts | (fetcher.header_hosts or frozenset())
    if fetcher.remaining() is None:
        fetcher.start_budget(float(extra.get("api_budget", DEFAULT_BUDGET_S)))
    targets = []
    auth = extra.get("api_auth") or {}
    for kind, url in parsed:
        progress(f"probing {url}")
        target = _open(kind, url.rstrip("/"), fetcher, bool(getattr(options, "allow_writes", False)),
                       _endpoint_headers(auth, url, fetcher))
        targets.append(target)
    return targets


def _endpoint_headers(auth: Any, url: str, fetcher: Fetcher) -> dict[str, str]:
    """Per-endpoint credentials of the twin manifest ([[twin.apis]] credentials_env + header), read from the
    environment; the value is registered with the fetcher so that no message can ever show it."""
    entry = next((auth[k] for k in (url, url.rstrip("/"), url.rstrip("/") + "/") if k in auth), None)
    if not isinstance(entry, dict) or not entry.get("credentials_env"):
        return {}
    variable = str(entry["credentials_env"])
    if not variable:
        return {}
    if variable not in os.environ:
        raise UsageError(url, f"environment variable {variable} (credentials_env of this API) is not set")
    value = os.environ[variable]
    if entry.get("auth") in ("bearer", "oidc", "oauth2") and " " not in value:
        value = f"Bearer {value}"
    fetcher.extra_secrets.append(value)
    return {str(entry.get("header") or "Authorization"): value}


def _open(kind: str | None, url: str, fetcher: Fetcher, allow_writes: bool,
          headers: dict[str, str]) -> ApiTarget:
    if kind == "ngsi-ld" or (kind is None and NGSI_LD_ROOT in url):
        base = url.split(NGSI_LD_ROOT, 1)[0]
        broker = Probe(base, fetcher, kind="ngsi-ld", allow_writes=allow_writes)
        broker.headers.update(headers)
        return ApiTarget(url, "ngsi-ld", FAMILY_KINDS["ngsi-ld"], broker, allow_writes)
    probe = Probe(url, fetcher, kind=kind or "", allow_writes=allow_writes)
    probe.headers.update(headers)
    if kind == "openapi":
        _describe_at(probe, url)
    if kind is not None:
        return ApiTarget(url, kind, FAMILY_KINDS[kind], probe, allow_writes)
    try:
        families = detect(probe)
    except Broken as exc:
        return ApiTarget(url, None, frozenset(), probe, allow_writes, error=exc.issue)
    primary = next(k for k in KINDS if k in families)
    probe.kind = primary
    return ApiTarget(url, primary, frozenset().union(*(FAMILY_KINDS[f] for f in families)), probe, allow_writes)


def _describe_at(probe: Probe, url: str) -> None:
    """An OpenAPI document given directly: findings name its path from the server root."""
    parts = urlsplit(url)
    probe.base = f"{parts.scheme}://{parts.netloc}"
    probe.state["description-url"] = url


def detect(probe: Probe) -> set[str]:
    """The families an API serves, from its landing page (and conformance declaration for OGC APIs)."""
    response = probe.get("/" if not urlsplit(probe.base).path else "", accept="application/json")
    if response.status in (401, 403):
        raise Broken(Issue(probe.focus(response.url), f"HTTP {response.status}",
                           "the API needs credentials; pass them with --header NAME=env:VAR"))
    if (response.status == 404 or response.status == 400) and _looks_like_ngsi_ld(probe):
        return {"ngsi-ld"}
    if _yaml_openapi(response):
        _describe_at(probe, response.url)
        return {"openapi"}
    landing = probe.parse(response)
    if isinstance(landing, dict) and ("openapi" in landing or "swagger" in landing):
        _describe_at(probe, response.url)
        return {"openapi"}
    if isinstance(landing, dict) and ("serverSettings" in landing or _is_sta_root(landing)):
        return {"sensorthings"}
    if isinstance(landing, dict) and isinstance(landing.get("links"), list):
        from ldt_conform.checks.api import ogc_records
        from ldt_conform.checks.api.ogc_common import conformance_of

        classes = conformance_of(probe, landing)
        families = set()
        if any("ogcapi-features-1" in c for c in classes):
            families.add("ogcapi-features")
        if any(ogc_records.normalise(c).startswith(ogc_records.RECORDS) for c in classes):
            families.add("ogcapi-records")
        if families:
            return families
        if find_link(landing, "service-desc"):
            return {"openapi"}
    if _looks_like_ngsi_ld(probe):
        return {"ngsi-ld"}
    raise Broken(Issue(probe.focus(response.url), "unknown API",
                       "could not tell the API kind from its landing page; name it: --api KIND=URL"))


def _yaml_openapi(response: Any) -> bool:
    """An OpenAPI description served as YAML (JSON ones are recognised after parsing)."""
    yaml_named = response.content_type.endswith("yaml") or response.url.endswith((".yaml", ".yml"))
    if response.status != 200 or not yaml_named:
        return False
    head = response.body[:4096].decode("utf-8", "replace")
    return any(line.startswith(("openapi:", "swagger:")) for line in head.splitlines())


def _is_sta_root(landing: dict[str, Any]) -> bool:
    value = landing.get("value")
    return isinstance(value, list) and any(isinstance(v, dict) and v.get("name") == "Things" for v in value)


def _looks_like_ngsi_ld(probe: Probe) -> bool:
    try:
        response = probe.get(NGSI_LD_ROOT + "/types", accept="application/json")
    except Broken:
        return False
    return response.status == 200 and (b"EntityTypeList" in response.body or response.body.lstrip()[:1] == b"[")
