"""Payload sources → JSON targets: entity files, globs, and NGSI-LD broker queries, read within a size cap."""
from __future__ import annotations

import glob as globlib
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence
from urllib.parse import urlencode

from ldt_conform import safety
from ldt_conform.errors import FetchError, LoadError, UsageError
from ldt_conform.fetch import Fetcher
from ldt_conform.model import TargetInfo

PAYLOAD_SUFFIXES = {".json": "json", ".jsonld": "jsonld", ".geojson": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}
DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024 * 1024
BROKER_PAGE = 100
BROKER_MAX_ENTITIES = 10_000
GLOB_CHARS = set("*?[")


@dataclass
class JsonTarget:
    """One payload source: its entities (location → document), parse problems, or why it could not be read."""

    source: str
    entities: list[tuple[str, Any]] = field(default_factory=list)
    # (focus, message) of what is not well-formed JSON / not an entity container
    problems: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None
    sha256: str | None = None
    size: int | None = None
    format: str = "json"
    kind: str = "json"

    def info(self) -> TargetInfo:
        return TargetInfo(source=self.source, kind=self.kind, sha256=self.sha256, size=self.size,
                          documents=len(self.entities), format=self.format)


def open_payload_targets(specs: Sequence[str | Mapping[str, Any]], options: Any, *, fetcher: Fetcher,
                         progress: Callable[[str], None] = lambda _: None) -> list[JsonTarget]:
    """Every payload spec → JsonTargets. A spec that names nothing (no such file, empty glob) is a usage error."""
    extra = getattr(options, "extra", None) or {}
    cap = int(extra.get("max_payload_bytes", DEFAULT_MAX_PAYLOAD_BYTES))
    targets: list[JsonTarget] = []
    for spec in specs:
        if isinstance(spec, Mapping):
            if "broker" not in spec:
                raise UsageError(str(dict(spec)), "a payload query needs a 'broker' URL")
            progress(f"querying {spec['broker']}")
            targets.append(query_broker(spec, fetcher))
            continue
        if spec.startswith(("http://", "https://")):
            progress(f"fetching {spec}")
            targets.append(_read_url(spec, fetcher))
            continue
        for path in expand(spec):
            progress(f"reading {path}")
            try:
                safety.confine(spec, path)
            except safety.Refused as exc:
                raise LoadError(getattr(spec, "where", "") or str(path), str(exc)) from None
            targets.append(read_file(path, cap))
    return targets


def expand(spec: str) -> list[Path]:
    """A file, a directory (its payload files) or a glob; matching nothing is an error (a typo must not pass)."""
    if GLOB_CHARS & set(spec):
        roots = getattr(spec, "roots", None)
        if roots is not None and not any(_glob_root(spec).is_relative_to(root) for root in roots):
            # Refused before globbing: "/**/*" in a manifest must not even walk the filesystem.
            raise LoadError(getattr(spec, "where", "") or spec, f"payload glob {spec} reaches outside the twin's "
                                                                "folder; manifest paths may only name files there")
        matches = sorted(Path(p) for p in globlib.glob(spec, recursive=True) if safety.is_regular(Path(p)))
        if not matches:
            raise LoadError(spec, "payload glob matched no file "
                                  "(check the pattern and the directory it is relative to)")
        return matches
    path = Path(spec)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if safety.is_regular(p) and p.suffix.lower() in PAYLOAD_SUFFIXES)
        if not files:
            raise LoadError(spec, "directory holds no payload files (.json .jsonld .geojson .jsonl .ndjson)")
        return files
    if not path.exists():
        raise LoadError(spec, "no such payload file")
    return [path]


def _glob_root(spec: str) -> Path:
    """The fixed folder a glob starts from (the part before its first wildcard), resolved."""
    fixed: list[str] = []
    for part in Path(spec).parts:
        if GLOB_CHARS & set(part):
            break
        fixed.append(part)
    return Path(*fixed).resolve() if fixed else Path.cwd().resolve()


def read_file(path: Path, cap: int = DEFAULT_MAX_PAYLOAD_BYTES) -> JsonTarget:
    """Read one payload file; the size is checked with stat() first so a huge file is never loaded to be rejected."""
    target = JsonTarget(source=str(path), format=PAYLOAD_SUFFIXES.get(path.suffix.lower(), "json"))
    try:
        size = path.stat().st_size
    except OSError as exc:
        target.error = f"cannot read: {exc.strerror or exc}"
        return target
    target.size = size
    if size > cap:
        target.error = (f"file is {size:,} bytes, over the {cap:,}-byte payload cap; split it (e.g. JSON Lines) "
                        "or raise max_payload_bytes")
        return target
    try:
        data = safety.read_regular(path, cap)
    except safety.Refused as exc:
        target.error = str(exc)
        return target
    except OSError as exc:
        target.error = f"cannot read: {exc.strerror or exc}"
        return target
    _fill(target, data)
    return target


def _fill(target: JsonTarget, data: bytes) -> None:
    target.sha256 = hashlib.sha256(data).hexdigest()
    target.size = len(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        target.problems.append((f"{target.source}:{line}:{col}", "not UTF-8 text (JSON must be UTF-8)"))
        return
    if target.format == "jsonl":
        # JSON Lines separates records by "\n" alone ("\r\n" works because JSON ignores the "\r"). Not
        # str.splitlines(): a JSON string may hold a raw U+2028, U+2029 or U+0085, which it also breaks at, so a
        # valid record would come out as two broken ones, and every later line number would be off.
        for number, line_text in enumerate(text.split("\n"), start=1):
            if line_text.strip():
                _add_document(target, line_text, line_offset=number - 1, where=f"/{number - 1}")
        return
    _add_document(target, text, line_offset=0, where="")


def _add_document(target: JsonTarget, text: str, *, line_offset: int, where: str) -> None:
    try:
        safety.check_json_depth(text)
        # NaN and Infinity are not JSON (RFC 8259 §6), though Python's parser accepts them by default.
        document = json.loads(text, parse_constant=_not_json)
    except json.JSONDecodeError as exc:
        target.problems.append((f"{target.source}:{exc.lineno + line_offset}:{exc.colno}",
                                f"not valid JSON: {exc.msg} at line {exc.lineno + line_offset}, column {exc.colno}"))
        return
    except ValueError as exc:  # parse_constant: NaN / Infinity
        found = re.search(r"-?Infinity|NaN", text)
        line = text.count("\n", 0, found.start()) + 1 + line_offset if found else line_offset + 1
        target.problems.append((f"{target.source}:{line}", f"not valid JSON: {exc}"))
        return
    except (safety.Refused, RecursionError) as exc:
        target.problems.append((f"{target.source}#{where or '/'}", f"not checked: {exc or 'nested too deep'}"))
        return
    add_entities(target, document, where)


def _not_json(word: str) -> Any:
    raise ValueError(f"{word} is not a JSON number")


def add_entities(target: JsonTarget, document: Any, where: str = "") -> None:
    """An entity, an array of entities, a JSON-LD document whose @graph holds them, or an NGSI-LD GeoJSON
    FeatureCollection / Feature (ETSI GS CIM 009 §4.5.16: the entity is the feature's id plus its properties)."""
    if isinstance(document, dict) and document.get("type") in ("FeatureCollection", "Feature"):
        features = document.get("features") if document["type"] == "FeatureCollection" else [document]
        if not isinstance(features, list):
            target.problems.append((f"{target.source}#{where}/features",
                                    "a FeatureCollection without a features array"))
            return
        for index, feature in enumerate(features):
            pointer = f"{where}/features/{index}" if document["type"] == "FeatureCollection" else where
            _add_one(target, _from_feature(feature) if isinstance(feature, dict) else feature, pointer)
    elif isinstance(document, dict) and isinstance(document.get("@graph"), list):
        context = document.get("@context")
        for index, item in enumerate(document["@graph"]):
            if isinstance(item, dict) and context is not None and "@context" not in item:
                item = {"@context": context, **item}
            _add_one(target, item, f"{where}/@graph/{index}")
    elif isinstance(document, list):
        for index, item in enumerate(document):
            _add_one(target, item, f"{where}/{index}")
    else:
        _add_one(target, document, where)


def _from_feature(feature: dict[str, Any]) -> dict[str, Any]:
    properties = feature.get("properties")
    properties = properties if isinstance(properties, dict) else {}
    entity: dict[str, Any] = {"id": feature["id"]} if "id" in feature else {}
    entity.update(properties)
    if feature.get("geometry") is not None and "location" not in entity:
        entity["location"] = feature["geometry"]
    if "@context" in feature and "@context" not in entity:
        entity["@context"] = feature["@context"]
    return entity


def _add_one(target: JsonTarget, item: Any, where: str) -> None:
    if not isinstance(item, dict):
        target.problems.append((f"{target.source}#{where or '/'}",
                                f"expected an entity (a JSON object), found {type(item).__name__}"))
        return
    target.entities.append((where, item))


def _read_url(url: str, fetcher: Fetcher) -> JsonTarget:
    target = JsonTarget(source=url)
    try:
        response = fetcher.get(url, accept="application/ld+json, application/json;q=0.9")
    except FetchError as exc:
        target.error = exc.message
        return target
    _fill(target, response.body)
    return target


def broker_url(spec: Mapping[str, Any], offset: int = 0, limit: int = BROKER_PAGE) -> str:
    """GET /ngsi-ld/v1/entities with the query's parameters (ETSI GS CIM 009 §6.4.3.2)."""
    base = str(spec["broker"]).rstrip("/")
    if not base.endswith("/ngsi-ld/v1/entities"):
        base = base + ("/entities" if base.endswith("/ngsi-ld/v1") else "/ngsi-ld/v1/entities")
    params: dict[str, Any] = {k: spec[k] for k in ("type", "q", "attrs", "idPattern", "geoQ") if spec.get(k)}
    if isinstance(params.get("type"), list):
        params["type"] = ",".join(params["type"])
    params.update(limit=limit, offset=offset)
    return f"{base}?{urlencode(params)}"


def query_broker(spec: Mapping[str, Any], fetcher: Fetcher) -> JsonTarget:
    """Page through a broker query. Credentials come from the named environment variable at request time only."""
    target = JsonTarget(source=broker_url(spec, 0, int(spec.get("limit", BROKER_PAGE))).split("&offset=")[0],
                        format="ngsi-ld-query")
    headers = {"Accept": "application/ld+json"}
    if spec.get("context"):
        headers["Link"] = (f'<{spec["context"]}>; rel="http://www.w3.org/ns/json-ld#context"; '
                           'type="application/ld+json"')
    if spec.get("tenant"):
        headers["NGSILD-Tenant"] = str(spec["tenant"])
    env = spec.get("credentials_env")
    if env:
        token = os.environ.get(str(env))
        if not token:
            target.error = f"the credentials variable {env} is not set in the environment"
            return target
        headers["Authorization"] = token if " " in token else f"Bearer {token}"
    limit = int(spec.get("limit", BROKER_PAGE))
    maximum = int(spec.get("max_entities", BROKER_MAX_ENTITIES))
    digest = hashlib.sha256()
    offset = 0
    while offset < maximum:
        try:
            response = fetcher.get(broker_url(spec, offset, limit), headers=headers)
        except FetchError as exc:
            target.error = exc.message
            return target
        digest.update(response.body)
        try:
            safety.check_json_depth(response.body)
            page = json.loads(response.body, parse_constant=_not_json)
        except (ValueError, UnicodeDecodeError, safety.Refused, RecursionError) as exc:
            target.problems.append((response.url, f"the broker answered with a body that is not JSON: {exc}"))
            break
        if not isinstance(page, list):
            target.problems.append((response.url, "the broker answered with a JSON "
                                                  f"{type(page).__name__}, not an array of entities"))
            break
        for index, item in enumerate(page):
            _add_one(target, item, f"/{offset + index}")
        if len(page) < limit:
            break
        offset += limit
    target.sha256 = digest.hexdigest()
    return target
