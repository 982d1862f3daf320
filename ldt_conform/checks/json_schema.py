"""The json_schema check kind: NGSI entities unwrapped to key-values and validated against their Smart Data Model."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence
from urllib.parse import urldefrag, urljoin

import jsonschema
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT202012

from ldt_conform import ngsi, sdm, tool_ids
from ldt_conform.artefacts import ArtefactStore, Pin
from ldt_conform.checks import CheckOutput, RunContext, format_message
from ldt_conform.model import Finding, Result, Rule, Severity, Status, Why

target_kinds = ("json",)
UNREADABLE_RULE = tool_ids.UNREACHABLE
OFFLINE_RULE = tool_ids.OFFLINE
# What each rule asserts, named by `json_schema = { assert = "…" }` in the profile.
ASSERTIONS = ("well-formed", "entity-identified", "id-is-uri", "model-known", "conforms-to-model")
MAX_VALUE_CHARS = 120
MAX_UNTESTED_SHOWN = 5
ID_SCHEMES = {"urn", "http", "https", "did", "tag"}


@dataclass
class Compiled:
    """One model's schema with every `$ref` it needs already pulled through the artefact store."""

    model: sdm.Model
    missing: list[str] = field(default_factory=list)
    reference: Any = None  # jsonschema (the reference implementation): gives the detailed errors
    fast: Any = None  # jsonschema-rs: the verdict, where it agrees with the reference (tests/blueprint)


def run(rules: Sequence[Rule], target: Any, ctx: RunContext) -> CheckOutput:
    by_role: dict[str, Rule] = {}
    for rule in rules:
        by_role.setdefault(str(rule.check.get("assert", "")), rule)
    output = CheckOutput()
    if target.error:
        output.findings.append(Finding(rule=UNREADABLE_RULE, severity=Severity.ERROR, target=target.source,
                                       focus=target.source, value=target.error,
                                       message=f"The payload source could not be read: {target.error}"))
        output.results.extend(Result(r.id, target.source, Status.ERROR, reason=target.error) for r in rules)
        return output
    checker = _Checker(by_role, target, ctx)
    checker.check_all()
    checker.finish(rules, output)
    return output


class _Checker:
    def __init__(self, by_role: dict[str, Rule], target: Any, ctx: RunContext) -> None:
        self.by_role, self.target, self.ctx = by_role, target, ctx
        self.findings: dict[str, list[Finding]] = {}
        self.evaluated: set[str] = set()
        self.offline: dict[str, str] = {}  # missing URL → model label
        self.catalogue = ctx.cache.get("sdm.catalogue") or ctx.cache.setdefault("sdm.catalogue",
                                                                                   sdm.for_run(ctx.options))
        self.engines: set[str] = set()
        # role → the entities a rule could not be judged on, and why ("urn:x (no type)"): a pass or a skip names them
        self.untested: dict[str, list[str]] = {}

    def add(self, role: str, focus: str, value: str | None = None, fallback: str = "") -> None:
        rule = self.by_role.get(role)
        if rule is None:
            return
        value = value if value is None or len(value) <= MAX_VALUE_CHARS else value[:MAX_VALUE_CHARS] + "…"
        self.findings.setdefault(rule.id, []).append(Finding(
            rule=rule.id, severity=rule.severity, target=self.target.source, focus=focus, value=value,
            message=format_message(rule, self.ctx.lang, fallback, focus=focus, value=value), engine="json_schema"))

    def check_all(self) -> None:
        self.evaluated.add("well-formed")
        for focus, message in self.target.problems:
            self.add("well-formed", focus, message, message)
        for where, entity in self.target.entities:
            self.check_entity(where, entity)

    def check_entity(self, where: str, entity: dict[str, Any]) -> None:
        ident = entity.get("id", entity.get("@id"))
        types = ngsi.types_of(entity)
        focus = ident if isinstance(ident, str) and ident else f"{self.target.source}#{where or '/'}"
        self.evaluated.add("entity-identified")
        if not isinstance(ident, str) or not ident:
            self.add("entity-identified", focus, "id", "the entity has no 'id'")
            self.note("id-is-uri", f"{focus} (no id)")
        else:
            self.evaluated.add("id-is-uri")
            if not _is_uri(ident):
                self.add("id-is-uri", focus, ident)
        if not types:
            self.add("entity-identified", focus, "type", "the entity has no 'type'")
            self.note("model-known", f"{focus} (no type)")
            self.note("conforms-to-model", f"{focus} (no type)")
            return
        model, written = self.catalogue.resolve(entity)
        self.evaluated.add("model-known")
        if model is None:
            self.add("model-known", focus, written)
            self.note("conforms-to-model", f"{focus} (type {written}: no known data model)")
            return
        compiled = self.compiled(model)
        if compiled.missing:
            for url in compiled.missing:
                self.offline.setdefault(url, model.label)
            return
        self.evaluated.add("conforms-to-model")
        document = ngsi.to_key_values(entity)
        # The schemas describe the compacted short name; an expanded IRI or CURIE that resolved to this model is
        # compacted to it, as the model's own @context would do.
        document["type"] = model.type
        # "@id" and "@type" are the JSON-LD keywords the NGSI-LD core context aliases as "id" and "type" (LDT-202 takes
        # either); the schemas describe the compacted members.
        document.pop("@type", None)
        if "@id" in document and "id" not in document:
            document["id"] = document.pop("@id")
        # Errors point into the entity: after its id, or, when it has none, after its place in the payload (where is
        # then already part of the pointer: "file#/0" + "/no2", not "file#/0#/no2").
        if isinstance(ident, str) and ident:
            self.validate(compiled, ident, "", document)
        else:
            self.validate(compiled, self.target.source, where, document)

    def note(self, role: str, entity: str) -> None:
        if role in self.by_role:
            self.untested.setdefault(role, []).append(entity)

    def compiled(self, model: sdm.Model) -> Compiled:
        key = f"json_schema.compiled:{model.origin}:{model.type}:{model.schema_url or model.file}"
        if key not in self.ctx.cache:
            self.ctx.cache[key] = compile_model(model, store_for(self.ctx, self.catalogue),
                                                self.ctx.options.get("payload_validator", "auto"), self.ctx.debug,
                                                self.catalogue.mirrors)
        compiled: Compiled = self.ctx.cache[key]
        return compiled

    def validate(self, compiled: Compiled, base: str, prefix: str, document: dict[str, Any]) -> None:
        if compiled.fast is not None:
            self.engines.add("jsonschema-rs")
            if compiled.fast.is_valid(document):
                return
        self.engines.add("jsonschema")
        errors = list(compiled.reference.iter_errors(document))
        if not errors and compiled.fast is not None:
            self.ctx.debug(f"jsonschema-rs and jsonschema disagree on {base}#{prefix or '/'}; "
                           "keeping the reference verdict (valid)")
        seen: set[tuple[str, str]] = set()
        for error in errors:
            error = _deepest(error)
            where = ngsi.pointer(error.absolute_path)
            text = f"{error.message} ({compiled.model.label}, keyword '{error.validator}')"
            if (where, text) in seen:
                continue
            seen.add((where, text))
            self.add("conforms-to-model", f"{base}#{prefix + where or '/'}", text, text)

    def finish(self, rules: Sequence[Rule], output: CheckOutput) -> None:
        for url, label in sorted(self.offline.items()):
            message = (f"Not verifiable: the {label} schema needs {url}, a local file that cannot be read as JSON; "
                       "check the model's file and its $ref paths" if url.startswith("file:") else
                       f"Not verifiable offline: the {label} schema needs {url}, which is not in the artefact "
                       "store; run once with network access, or seed the store with --seed DIR / LDT_CONFORM_SEED")
            output.findings.append(Finding(rule=OFFLINE_RULE, severity=Severity.INFO, target=self.target.source,
                                           focus=url, value=url, message=message))
        for rule in rules:
            role = str(rule.check.get("assert", ""))
            found = self.findings.get(rule.id, [])
            output.findings.extend(found)
            why = None
            if found:
                status, reason = Status.FAIL, None
            elif role == "conforms-to-model" and self.offline:
                # Some entity's schema is not in the store: what was validated is no proof for the whole target.
                lead = "not verifiable: cannot read " if all(u.startswith("file:") for u in self.offline) else \
                    "not verifiable offline: "
                status, reason, why = Status.SKIP, lead + ", ".join(sorted(self.offline)), Why.ARTEFACT_UNAVAILABLE
            elif role in self.evaluated:
                # A pass covers the entities judged; those that could not be are named, as API passes name theirs.
                status, reason = Status.PASS, _untested("not tested: ", self.untested.get(role))
            else:
                status, why = Status.SKIP, Why.NOT_APPLICABLE
                reason = "no entity this rule applies to" + (_untested("; not tested: ", self.untested.get(role)) or "")
            output.results.append(Result(rule.id, self.target.source, status, reason=reason, engine="json_schema",
                                         why=why))
        output.engines |= self.engines


def _untested(lead: str, entities: list[str] | None) -> str | None:
    if not entities:
        return None
    shown = ", ".join(entities[:MAX_UNTESTED_SHOWN])
    more = f" and {len(entities) - MAX_UNTESTED_SHOWN} more" if len(entities) > MAX_UNTESTED_SHOWN else ""
    return f"{lead}{len(entities)} {'entity' if len(entities) == 1 else 'entities'}: {shown}{more}"


def _is_uri(value: str) -> bool:
    """NGSI-LD ids are URIs; "Madrid-Obs-2016-03-15T11:00:00" parses as one by RFC 3986 syntax alone, so the scheme
    must be one used for entity identifiers (urn:ngsi-ld:…, http(s), did, tag)."""
    scheme, sep, rest = value.partition(":")
    return bool(sep and rest.strip() and scheme.lower() in ID_SCHEMES and " " not in value)


def _deepest(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """anyOf/oneOf errors say little; a branch's error says what to fix. When a branch got further into the value,
    its deepest error does ('x' is not a number at /loc/lat, not "{'lat': 'x'} is not of type 'string'" at /loc,
    which jsonschema's best_match picks since it prefers shallow errors). At the same place, the first branch whose
    type the value has ("'b' does not match '^a'" for a string against integer or a string pattern, where
    best_match says "'b' is not of type 'integer'"); when every branch wants another type, best_match's choice."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        deepest = max(error.context, key=lambda sub: len(sub.absolute_path))
        if len(deepest.absolute_path) > len(error.absolute_path):
            return _deepest(deepest)
        typed = next((sub for sub in error.context if sub.validator != "type"), None)
        best = typed or jsonschema.exceptions.best_match(error.context)
        if best is not None:
            return best
    return error


def store_for(ctx: RunContext, catalogue: sdm.Catalogue) -> ArtefactStore:
    """The run's artefact store, with the model catalogue's pins added (built once per run)."""
    store = ctx.artefacts
    if store is None:
        store = ctx.cache.get("artefacts")
        if store is None:
            store = ArtefactStore(fetcher=ctx.fetcher, offline=bool(ctx.options.get("offline")))
            store.add_profile_artefacts(getattr(ctx.profile, "artefacts", {}) or {})
            ctx.cache["artefacts"] = store
    seeds = [Path(p) for p in ctx.options.get("seed_dirs", ()) if Path(p) not in store.seed_dirs]
    if seeds:
        # Seed folders named in the manifest ([twin] seed) join those of --seed / LDT_CONFORM_SEED.
        store.seed_dirs.extend(seeds)
        store._seed_index = None
    if not ctx.cache.get("sdm.pinned"):
        store.add_pins(p for p in catalogue.pins() if store.pin_for(p.url) is None)
        ctx.cache["sdm.pinned"] = True
    return store


def compile_model(model: sdm.Model, store: ArtefactStore, validator: str = "auto",
                  debug: Callable[[str], None] = lambda _: None, mirrors: Mapping[str, Pin] | None = None) -> Compiled:
    """Load the schema and the closure of its remote `$ref`s from the store; what is missing is recorded, not raised."""
    compiled = Compiled(model)
    schema = _load_schema(model, store)
    if schema is None:
        # A model file is named by its file: URL, as a missing local $ref is, so both are said to be unreadable files.
        compiled.missing.append(model.schema_url or (model.file.as_uri() if model.file else
                                                     f"no schema for {model.type}"))
        return compiled
    base = model.schema_url or (model.file.as_uri() if model.file else "")
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    id_key = "id" if cls in (jsonschema.Draft3Validator, jsonschema.Draft4Validator) else "$id"
    if isinstance(schema, dict) and base and id_key not in schema:
        # Without an id of its own, a relative `$ref` ("common.json#/$defs/Name") has no base to resolve against in
        # either validator: the schema's own URL (or file) is that base, as it is for the closure below.
        schema = {id_key: base, **schema}
    documents = _closure(schema, base, lambda url: _from_store(store, url, mirrors), compiled.missing)
    if compiled.missing:
        return compiled

    def retrieve(uri: str) -> Resource[Any]:
        # The referencing retrieve hook: every remote $ref is served from the artefact store, never fetched ad hoc.
        document = documents.get(urldefrag(uri).url)
        if document is None:
            raise NoSuchResource(ref=uri)  # type: ignore[call-arg]
        return Resource.from_contents(document, default_specification=DRAFT202012)

    registry: Registry[Any] = Registry(retrieve=retrieve)  # type: ignore[call-arg]
    compiled.reference = cls(schema, registry=registry, format_checker=cls.FORMAT_CHECKER)
    if validator in ("auto", "jsonschema-rs"):
        compiled.fast = _fast_validator(schema, documents, debug)
    return compiled


def _fast_validator(schema: Any, documents: dict[str, Any], debug: Callable[[str], None]) -> Any:
    try:
        import jsonschema_rs
    except ImportError:
        return None

    def retriever(uri: str) -> Any:
        document = documents.get(urldefrag(uri).url)
        if document is None:
            raise ValueError(f"not in the artefact store: {uri}")
        return document

    try:
        return jsonschema_rs.validator_for(schema, validate_formats=True, retriever=retriever)
    except Exception as exc:  # noqa: BLE001 - the reference validator still works; the compiled one is an optimisation
        debug(f"jsonschema-rs cannot compile this schema ({exc}); using jsonschema only")
        return None


def _load_schema(model: sdm.Model, store: ArtefactStore) -> Any:
    if model.file is not None:
        from ldt_conform import safety

        try:  # a FIFO or device named as a schema is never opened (it would block the run)
            return json.loads(safety.read_regular(model.file, 64 * 1024 * 1024))
        except (OSError, ValueError, RecursionError, safety.Refused):
            return None
    pin = model.pin()
    data = store.get_pinned(pin) if pin else (store.get(model.schema_url) if model.schema_url else None)
    return _json(data)


def _json(data: bytes | None) -> Any:
    if data is None:
        return None
    try:
        return json.loads(data)
    except ValueError:
        return None


def _from_store(store: ArtefactStore, url: str, mirrors: Mapping[str, Pin] | None) -> Any:
    data = _json(store.get(url))
    mirror = (mirrors or {}).get(url)
    if data is None and mirror is not None:
        data = _json(store.get_pinned(mirror))
    return data


def _closure(schema: Any, base: str, fetch: Callable[[str], Any], missing: list[str]) -> dict[str, Any]:
    """Every document reachable through `$ref`, keyed by URL (no fragment), fetched through the store."""
    own = _own_id(schema) or base
    documents: dict[str, Any] = {urldefrag(own).url: schema}
    if base:
        documents[urldefrag(base).url] = schema
    # Each document's `$ref`s are made absolute against its own id first, so every URL below is absolute.
    queue = [_absolute_refs(schema, own)]
    while queue:
        for ref in _refs(queue.pop()):
            url = urldefrag(ref).url
            if not url or url in documents:
                continue
            data = _file_json(url) if url.startswith("file:") and base.startswith("file:") else fetch(url)
            if data is None:
                missing.append(url)
                documents[url] = None
                continue
            own_id = _own_id(data)
            # Refs inside it resolve against its own $id, which may differ from the URL it was pinned under. The
            # validators resolve them against the URL they retrieved it by (referencing applies a retrieved
            # document's $id only to what is nested in it), so they are made absolute here, once, for both.
            data = _absolute_refs(data, own_id or url)
            documents[url] = data
            if own_id:
                documents.setdefault(urldefrag(own_id).url, data)
            queue.append(data)
    return {k: v for k, v in documents.items() if v is not None}


def _file_json(url: str) -> Any:
    from urllib.parse import urlsplit
    from urllib.request import url2pathname

    from ldt_conform import safety

    try:  # a `$ref` to a FIFO or device is never opened (it would block the run)
        return json.loads(safety.read_regular(Path(url2pathname(urlsplit(url).path)), 64 * 1024 * 1024))
    except (OSError, ValueError, RecursionError, safety.Refused):
        return None


def _own_id(document: Any) -> str | None:
    """A schema document's `$id` (a boolean schema, `true` or `false`, has none)."""
    own = document.get("$id") if isinstance(document, dict) else None
    return own if isinstance(own, str) and own else None


def _absolute_refs(node: Any, base: str) -> Any:
    """A copy of a schema document whose `$ref`s to other documents are absolute URLs (a `$ref` to "#…" stays)."""
    if isinstance(node, dict):
        return {key: (urljoin(base, value) if key == "$ref" and isinstance(value, str) and not value.startswith("#")
                      else _absolute_refs(value, base)) for key, value in node.items()}
    if isinstance(node, list):
        return [_absolute_refs(item, base) for item in node]
    return node


def _refs(node: Any) -> list[str]:
    found: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                found.append(ref)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


__all__ = ["ASSERTIONS", "Compiled", "Pin", "compile_model", "run", "store_for", "target_kinds"]
