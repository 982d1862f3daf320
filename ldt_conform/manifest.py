"""The twin manifest ldt-conform.toml: a profile extending a shipped one, plus where the twin's parts are ([twin])."""
from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from ldt_conform import profile as profiles
from ldt_conform import safety
from ldt_conform.errors import ProfileError, loads_toml

if TYPE_CHECKING:
    import jsonschema

MANIFEST_NAME = "ldt-conform.toml"
URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


@dataclass(frozen=True)
class Api:
    """One declared endpoint. Only the NAME of the credentials variable is kept; its value is read at request time."""

    kind: str | None
    url: str
    auth: str = "none"
    issuer: str | None = None
    credentials_env: str | None = None
    header: str = "Authorization"


@dataclass(frozen=True)
class Twin:
    path: Path
    name: str
    profile: profiles.Profile
    catalogues: tuple[str, ...] = ()
    payloads: tuple[Any, ...] = ()
    apis: tuple[Api, ...] = ()
    evidence: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    mims: tuple[str, ...] = ()
    models: tuple[Mapping[str, Any], ...] = ()
    seed: tuple[str, ...] = ()
    max_payload_bytes: int | None = None
    # Capabilities of the capability model that do not apply to this twin, each with the reason shown in reports.
    not_applicable: Mapping[str, str] = field(default_factory=dict)
    capabilities: str | None = None


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((resources.files("ldt_conform") / "schemas" / "manifest.schema.json")
                                        .read_text("utf-8"))
    return schema


def find(directory: Path | None = None) -> Path | None:
    candidate = (directory or Path.cwd()) / MANIFEST_NAME
    return candidate if candidate.is_file() else None


def load(path: str | Path, allow: Sequence[str | Path] = ()) -> Twin:
    """Read, default, schema-check and resolve a twin manifest; any problem is a ProfileError naming file#key.

    Every local path it names must stay inside the manifest's folder (symlinks resolved), or inside a folder the
    user allowed on the command line (`allow`): a manifest edited in a pull request must not read /proc/self/environ
    into an evidence bundle."""
    path = Path(path)
    data = _read(path)
    name = data.get("twin", {}).get("name") if isinstance(data.get("twin"), dict) else None
    slug = re.sub(r"[^a-z0-9]+", "-", str(name or "twin").lower()).strip("-") or "twin"
    data.setdefault("format", "ldt-conform/profile@1")
    data.setdefault("id", f"twin-{slug}")
    data.setdefault("version", "0")
    data.setdefault("title", str(name or "Local Digital Twin"))
    _validate(data, path)
    profile = profiles.load_manifest(data, path.resolve())
    twin = data["twin"]
    base = path.resolve().parent
    roots = (base, *(Path(a).resolve() for a in allow))

    def local(value: str, key: str) -> str:
        return _confined(value, base, roots, f"{path}#twin.{key}")

    return Twin(
        path=path.resolve(), name=twin["name"], profile=profile,
        catalogues=tuple(local(c, f"catalogue[{i}]") for i, c in enumerate(_as_list(twin.get("catalogue")))),
        payloads=tuple(local(p, f"payloads[{i}]") if isinstance(p, str) else dict(p)
                       for i, p in enumerate(twin.get("payloads", ()))),
        apis=tuple(Api(None if a["kind"] == "auto" else a["kind"], a["url"], a.get("auth", "none"), a.get("issuer"),
                       a.get("credentials_env"), a.get("header", "Authorization")) for a in twin.get("apis", ())),
        evidence={k: dict(v) for k, v in twin.get("evidence", {}).items()},
        mims=tuple(twin.get("mims", ())),
        models=tuple({**m, "origin": str(path), **({"file": local(m["file"], f"models[{i}].file")}
                                                   if "file" in m else {})}
                     for i, m in enumerate(twin.get("models", ()))),
        # Seed folders are not confined: a file there is only used when its sha256 matches a pin, and is never copied
        # into a report or bundle, so a seed outside the twin (a shared corpus) reveals nothing.
        seed=tuple(_local(s, base) for s in _as_list(twin.get("seed"))),
        max_payload_bytes=twin.get("max_payload_bytes"),
        not_applicable=dict(twin.get("not-applicable", {})),
        capabilities=_local(twin["capabilities"], base) if "capabilities" in twin else None,
    )


def _known_capabilities(twin: Twin) -> dict[str, str]:
    """[twin.not-applicable] names capabilities of the model in use; a typo must not silently mark nothing."""
    from ldt_conform import capabilities

    model = capabilities.load(twin.capabilities, known_rules={*capabilities.shipped_rule_ids(),
                                                             *(r.id for r in twin.profile.rules)}) \
        if twin.capabilities else capabilities.default()
    known = {c.id for c in model.capabilities}
    for cap_id in twin.not_applicable:
        if cap_id not in known:
            raise ProfileError(f"{twin.path}#twin.not-applicable.{cap_id}",
                               "unknown capability (see `ldt_conform/capabilities.toml` for the ids)")
    return dict(twin.not_applicable)


def apply(twin: Twin, targets: Sequence[str], options: Any) -> tuple[list[str], Any]:
    """Fold the manifest into the run: its catalogues (unless TARGETS were given), payloads, APIs and models."""
    extra = dict(options.extra)
    extra.update(twin=twin.name, manifest=str(twin.path), declared_mims=list(twin.mims),
                 evidence={k: dict(v) for k, v in twin.evidence.items()})
    if twin.models:
        extra["models"] = [*extra.get("models", ()), *twin.models]
    if twin.seed:
        extra["seed_dirs"] = [*extra.get("seed_dirs", ()), *twin.seed]
    if twin.max_payload_bytes:
        extra["max_payload_bytes"] = twin.max_payload_bytes
    if twin.not_applicable:
        extra["not_applicable"] = _known_capabilities(twin)
    if twin.capabilities:
        extra["capabilities"] = twin.capabilities
    # Per-endpoint auth is described by variable NAMES only, so nothing secret can reach the report's options.
    extra["api_auth"] = {**extra.get("api_auth", {}), **{
        a.url: {"auth": a.auth, "issuer": a.issuer, "credentials_env": a.credentials_env, "header": a.header}
        for a in twin.apis}}
    apis = [*options.apis, *((a.kind, a.url) for a in twin.apis if (a.kind, a.url) not in options.apis)]
    new_targets = list(targets) or list(twin.catalogues)
    return new_targets, replace(options, profile=str(twin.path), payloads=[*options.payloads, *twin.payloads],
                                apis=apis, extra=extra, headers=credential_headers(twin, dict(options.headers)))


def credential_headers(twin: Twin, headers: dict[str, str]) -> dict[str, str]:
    """The API credentials, read from the named variables now; the Fetcher sends them to the API hosts only and
    redacts them from every message. Two endpoints needing different values for one header cannot be told apart
    by that Fetcher yet, so that is refused rather than sending one endpoint's secret to the other."""
    import os

    for index, api in enumerate(twin.apis):
        if not api.credentials_env:
            continue
        where = f"{twin.path}#twin.apis[{index}].credentials_env"
        value = os.environ.get(api.credentials_env)
        if not value:
            raise ProfileError(where, f"the environment variable {api.credentials_env} is not set")
        if api.header.lower() == "authorization" and " " not in value:
            value = f"Bearer {value}"
        if headers.get(api.header, value) != value:
            raise ProfileError(where, f"another endpoint already sends a different {api.header}; per-endpoint "
                                      "credentials for several endpoints are not supported yet")
        headers[api.header] = value
    return headers


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ProfileError(str(path), "no such manifest (run `ldt-conform init` to write one)") from None
    except OSError as exc:
        raise ProfileError(str(path), f"cannot read: {exc.strerror or exc}") from None
    try:
        return loads_toml(raw.decode("utf-8"), str(path))
    except UnicodeDecodeError as exc:
        raise ProfileError(str(path), f"not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(profiles._toml_where(path, exc),
                           f"TOML syntax error: {profiles._toml_reason(exc)}") from None


def _validate(data: dict[str, Any], path: Path) -> None:
    """The profile part against profile.schema.json, the twin part against manifest.schema.json."""
    import jsonschema  # here, not at the top: a run without a twin manifest never needs it (0.13 s)

    for checked in (profiles._schema(), schema()):
        validator = jsonschema.Draft202012Validator(checked, format_checker=jsonschema.FormatChecker())
        errors = sorted(validator.iter_errors(data), key=lambda e: (-len(e.absolute_path), str(e.absolute_path)))
        if errors:
            error = jsonschema.exceptions.best_match(errors) or errors[0]
            where, message = describe(error, data)
            raise ProfileError(f"{path}#{where}", message)


def describe(error: jsonschema.ValidationError, data: Any) -> tuple[str, str]:
    """Name the key: an unknown key and a missing key are both reported at the key itself."""
    key = profiles._json_key(data, error.absolute_path)
    key = "" if key == "(top level)" else key

    def join(name: str) -> str:
        return f"{key}.{name}" if key else name

    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed))
        return join(extra[0] if extra else ""), f"unknown key (allowed here: {', '.join(allowed)})"
    if error.validator == "required":
        missing = re.match(r"'([^']+)'", error.message)
        return join(missing.group(1) if missing else ""), "required key is missing"
    if error.validator == "enum":
        return key or "(top level)", f"{error.instance!r} is not one of: {', '.join(map(str, error.validator_value))}"
    if error.validator == "oneOf" and error.absolute_path and "models" in [str(p) for p in error.absolute_path]:
        return key, "a model needs either `schema` (a URL) with `sha256`, or `file` (a local schema), not both"
    return key or "(top level)", error.message


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _confined(value: str, base: Path, roots: Sequence[Path], where: str) -> str:
    """A manifest path made absolute and checked against the roots now (a glob's matches are checked as they are
    found); the returned string carries its roots so the readers refuse whatever a directory or glob adds."""
    if "\x00" in value:  # no file name holds NUL; the OS would refuse it mid-run (found by tools/fuzz.py)
        raise ProfileError(where, f"{value!r} contains a NUL character, which no file name or URL may hold")
    resolved = _local(value, base)
    if URL.match(resolved):
        return resolved
    fixed = Path(resolved)
    if safety.GLOB_CHARS & set(resolved):
        parts = []
        for part in fixed.parts:
            if safety.GLOB_CHARS & set(part):
                break
            parts.append(part)
        fixed = Path(*parts)
    if not safety.inside(fixed, roots):
        raise ProfileError(where, f"{value!r} is outside the twin's folder {base}; manifest paths may only name "
                                  "files there (`check --allow-path DIR` allows another folder)")
    return safety.ConfinedPath(resolved, roots, where)


def _local(value: str, base: Path) -> str:
    """Paths and globs are relative to the manifest's folder; URLs are kept as they are."""
    if URL.match(value):
        return value
    return str(base / value) if not Path(value).is_absolute() else value


def render(*, name: str, profile: str = "ldt4ssc", catalogue: Iterable[str] = (), payloads: Iterable[str] = (),
           apis: Iterable[tuple[str, str, str | None]] = (), mims: Iterable[str] = (),
           evidence: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """The text `ldt-conform init` writes: valid TOML, commented so a city can fill in the rest by hand."""
    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    lines = [
        "# ldt-conform twin manifest: `ldt-conform check` in this folder reads it. Reference: docs/blueprint.md",
        f"extends = {q(profile)}",
        "",
        "# [override.\"DCATAP-301\"]  # change a rule's severity or switch it off; the report lists overrides",
        "# severity = \"warning\"",
        "",
        "[twin]",
        f"name = {q(name)}",
        f"mims = [{', '.join(q(m) for m in mims)}]",
    ]
    catalogue = list(catalogue)
    lines.append(f"catalogue = [{', '.join(q(c) for c in catalogue)}]" if catalogue
                 else "# catalogue = [\"catalogue.ttl\"]")
    payloads = list(payloads)
    lines.append(f"payloads = [{', '.join(q(p) for p in payloads)}]" if payloads
                 else "# payloads = [\"entities/*.json\", "
                      "{ broker = \"https://broker.example.org\", type = \"AirQualityObserved\" }]")
    apis = list(apis)
    for kind, url, env in apis:
        lines += ["", "[[twin.apis]]", f"kind = {q(kind)}", f"url = {q(url)}"]
        if env:
            lines += ["auth = \"bearer\"", f"credentials_env = {q(env)}  # the variable's NAME; never the secret"]
    if not apis:
        lines += ["", "# [[twin.apis]]",
                  "# kind = \"ngsi-ld\"   # ogcapi-features, ogcapi-records, sensorthings, openapi, auto",
                  "# url = \"https://broker.example.org/ngsi-ld/v1/\"", "# auth = \"oidc\"",
                  "# credentials_env = \"TWIN_BROKER_TOKEN\""]
    evidence = dict(evidence or {})
    for mim, items in evidence.items():
        lines += ["", f"[twin.evidence.{q(mim)}]", *(f"{k} = {q(v)}" for k, v in items.items())]
    if not evidence:
        lines += ["", "# Organisational evidence: reported as \"declared, not machine-verified\".",
                  "# [twin.evidence.\"exchanging-data\"]", "# rulebook = \"https://city.example.org/data-rulebook\"",
                  "# [twin.evidence.\"personal-data\"]", "# dpia = \"https://city.example.org/dpia.pdf\"",
                  "# [twin.evidence.\"interoperable-ai\"]", "# algorithm-register = \"https://algoritmeregister.example.org\""]
    return "\n".join(lines) + "\n"
