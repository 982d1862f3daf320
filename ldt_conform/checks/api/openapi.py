"""OpenAPI descriptions (given directly or found via service-desc): valid 3.0/3.1 with every document its $refs
lead to (the API's own read from the API, upstream ones from the artefact store), every pointer resolved."""
from __future__ import annotations

import functools
from collections import Counter, deque
from typing import Any, Callable, Iterator, Mapping
from urllib.parse import urljoin

from ldt_conform.checks.api import oas_refs
from ldt_conform.checks.api.oas_refs import (MAX_REF_HOPS, Documents, description, document_url, documents, follow,
                                               named, refs, resolve)
from ldt_conform.checks.api.probe import Issue, Probe, Skip
from ldt_conform.model import Why

Test = Callable[[Probe, Mapping[str, Any]], list[Issue]]
MAX_ERRORS = 10


def normalise(uri: str) -> str:
    """The family interface (checks.api): OpenAPI has no conformance classes, so URIs are compared as given."""
    return uri


def declared(probe: Probe) -> set[str]:
    """The family interface: no conformance classes to declare, so no rule of this family is gated on one."""
    return set()


def _version(document: dict[str, Any]) -> str:
    return str(document.get("openapi") or document.get("swagger") or "")


def reachable(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    description(probe)
    return []


def version(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, document = description(probe)
    found = _version(document)
    if not (found.startswith(("3.0.", "3.1."))):
        return [Issue(probe.focus(response.url), found or "no version",
                      "describe the API with OpenAPI 3.0 or 3.1 (the openapi field)")]
    return []


def valid(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, document = description(probe)
    if not _version(document).startswith(("3.0.", "3.1.")):
        raise Skip("not an OpenAPI 3.0/3.1 document (see the version rule)", Why.PREREQUISITE_FAILED)
    docs = documents(probe)
    focus = probe.focus(response.url)
    errors, dangling = _validate(document, docs, base_uri=response.url)
    if dangling is not None and not errors:
        # The references rule reports the $ref that points at nothing; the validator cannot walk past it, so what
        # lies behind it is not verified (never a pass, and not the same defect failed twice).
        raise Skip(f"the $ref {dangling} points at nothing (see OAS-004): the description cannot be validated past "
                   "it", Why.PREREQUISITE_FAILED)
    if docs.broken and not errors:
        raise Skip(f"the referenced {named([i.focus.removeprefix('GET ') for i in docs.broken])} could not be read "
                   "(see OAS-004): what lies behind those references was not validated", Why.PREREQUISITE_FAILED)
    if (docs.missing or docs.unfetched) and not errors:
        # Without the referenced documents only the description's own shape was validated: what lies behind those
        # references (schemas, responses, parameters) was not, so this is not a pass.
        urls = [str(i.value) for i in docs.missing] + docs.unfetched
        if docs.missing:
            unread = f"the referenced {named(urls)} {'is' if len(urls) == 1 else 'are'} not in the artefact store " \
                     "(see LC-004)"
        else:
            unread = f"{len(urls)} referenced documents of the API past the first {oas_refs.MAX_OWN_DOCUMENTS} were " \
                     f"not read ({named(urls)})"
        raise Skip(f"only the description's own shape was validated: {unread}", Why.ARTEFACT_UNAVAILABLE)
    # A defect inside a referenced upstream document (e.g. `type: null` unquoted in OGC's oas31 building blocks) is
    # not the API's to fix: shown at info level, naming that document, and not counted as a failure.
    upstream = {(path, message): url for url, doc in docs.found.items()
                if docs.upstream(url) and isinstance(doc, dict) and "openapi" in doc
                for _, path, message in _validate(doc, docs, base_uri=url)[0]}
    issues = []
    for origin, path, message in errors[:MAX_ERRORS]:
        origin = origin or upstream.get((path, message))
        if origin is None:
            issues.append(Issue(focus, path, message))
        elif docs.upstream(origin):
            issues.append(Issue(f"GET {origin}", path, message + UPSTREAM, info=True))
        else:
            issues.append(Issue(probe.focus(origin), path, f"{message} (in a document the description references)"))
    return issues


UPSTREAM = "; this defect is in the referenced upstream document, not in this API's description"


def references(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """Every $ref of the description, and of each document it leads to, names an existing node (a JSON pointer into
    a document that was read); a document that could not be read is a finding, one not available offline a note."""
    docs = documents(probe)
    issues = [*docs.broken, *docs.missing]
    if docs.unfetched:
        probe.untested.append(f"{len(docs.unfetched)} referenced documents of the API past the first "
                              f"{oas_refs.MAX_OWN_DOCUMENTS} ({named(docs.unfetched)})")
    held = docs.held
    for url, source in held.items():
        upstream = docs.upstream(url)
        for ref in sorted(set(refs(source))):
            target, _, pointer = urljoin(url, ref).partition("#")
            target_doc = held.get(target)
            if target_doc is None or resolve(target_doc, pointer) is not None:
                continue
            if upstream:  # named in that document; its defect is not the API's to fix
                issues.append(Issue(f"GET {url}", ref, "this $ref points at nothing" + UPSTREAM, info=True))
            else:
                issues.append(Issue(probe.focus(url), ref, "this $ref points at nothing; fix the JSON pointer"))
    return issues


def operation_ids(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """OAS §4.8.10: an operationId is unique "among all operations described in the API": the paths, the 3.1
    webhooks and the callbacks, with path items given by $ref followed into the documents read."""
    response, _ = description(probe)
    docs = documents(probe)
    unread: list[str] = []
    ids = Counter(op.get("operationId") for _, op in _operations(docs, unread) if op.get("operationId"))
    if unread:
        probe.untested.append(f"{len(unread)} path item{'s' * (len(unread) != 1)} whose $ref could not be read "
                              f"({named(unread)})")
    return [Issue(probe.focus(response.url), str(op_id), f"operationId used {count} times; each must be unique")
            for op_id, count in sorted(ids.items()) if count > 1]


METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _operations(docs: Documents, unread: list[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every operation of the description as (label, operation). A path item whose $ref leads to a document not read
    goes to `unread`; one that is not an object, or points at nothing, is OAS-003's or OAS-004's finding."""
    base = document_url(docs.base)
    items = [(path, item, base) for path, item in (docs.document.get("paths") or {}).items()]
    items += [(f"webhook {name}", item, base) for name, item in (docs.document.get("webhooks") or {}).items()]
    for _level in range(4):  # callbacks hold path items whose operations may hold callbacks: a few levels suffice
        callbacks = []
        for label, raw, url in items:
            try:
                item, at = follow(raw, url, docs)
            except LookupError as exc:
                unread.append(f"{label}: {exc.args[0]}")
                continue
            for method in METHODS:
                operation = item.get(method) if item is not None else None
                if not isinstance(operation, dict):
                    continue
                yield f"{method.upper()} {label}", operation
                for name, raw_callback in (operation.get("callbacks") or {}).items():
                    try:
                        callback, where = follow(raw_callback, at, docs)
                    except LookupError as exc:
                        unread.append(f"callback {name}: {exc.args[0]}")
                        continue
                    callbacks += [(f"callback {name} {expression}", path_item, where)
                                  for expression, path_item in (callback or {}).items()]
        items = callbacks


Problem = tuple[str | None, str, str]  # the referenced document it is in (None: this one), JSON pointer, message


def _validate(document: dict[str, Any], docs: Documents, *, base_uri: str) -> tuple[list[Problem], str | None]:
    """Each problem, and the $ref the walk stopped at when one points at nothing; with referenced documents not all
    read, only the document's own shape. Relative $refs resolve against base_uri."""
    from openapi_spec_validator.validation import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
    from openapi_spec_validator.validation.exceptions import DuplicateOperationIDError
    from referencing.exceptions import Unresolvable

    oas31 = _version(document).startswith("3.1")
    base = OpenAPIV31SpecValidator if oas31 else OpenAPIV30SpecValidator
    # The document's own shape first: the deeper walk below assumes it and would only crash on a broken one.
    shape: list[Problem] = [(None, _pointer(path), message) for path, message in _shape(base, document, oas31)]
    if shape or not docs.complete:
        return shape, None
    held = docs.held
    # The same shape with every Reference Object replaced by what it names: a referenced Response, Parameter or
    # Schema is held to the OpenAPI schema as if written in place (the walk below checks schemas, not shapes).
    inliner = _Inliner(held, oas31=base is OpenAPIV31SpecValidator)
    try:
        whole = inliner.inline(document, document_url(base_uri), ())
    except _TooLarge:
        raise Skip(f"the description expands to more than {MAX_INLINED:,} nodes through its $refs: the referenced "
                   "parts were not validated", Why.PREREQUISITE_FAILED) from None
    inlined = list(dict.fromkeys(inliner.origin(path, message) for path, message in _shape(base, whole, oas31)))
    if inlined:
        return inlined, None

    def handler(uri: str) -> Any:
        key = document_url(uri)
        if key not in held:
            raise LookupError(f"not read: {key}")
        return held[key]

    class Offline(base):  # type: ignore[misc, valid-type]
        # References resolve to the documents already read (the API's own, and upstream ones from the artefact
        # store): validation itself never goes to the network.
        resolver_handlers = {"http": handler, "https": handler}
        keyword_validators = {name: _located(cls) for name, cls in base.keyword_validators.items()}

    errors: list[Problem] = []
    own = document_url(base_uri)
    try:
        for e in Offline(document, base_uri=base_uri).iter_errors():
            # A duplicate operationId is the operationIds rule's finding, at that rule's severity (a warning).
            if not isinstance(e, DuplicateOperationIDError):
                url, pointer = _place(document, own, held, tuple(getattr(e, "absolute_path", ())))
                errors.append((None if url == own else url, pointer,
                               str(getattr(e, "message", e)).splitlines()[0][:200]))
    except Unresolvable as exc:
        ref = str(getattr(exc, "ref", "") or "")[:200]
        return errors, ("#" + ref if ref.startswith("/") else ref) or "?"
    except Exception as exc:  # noqa: BLE001 - a reference the validator could not follow is a problem of the document
        errors.append((None, "", f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"))
    return errors, None


def _shape(base: Any, document: Any, oas31: bool) -> list[tuple[tuple[Any, ...], str]]:
    """Where the document breaks the OpenAPI schema, and why: the deepest cause of each error."""
    fast = list(base.schema_validator.iter_errors(document))
    if not fast:
        return []
    # The validator's fast backend (jsonschema-rs) reports a failed oneOf at the node and drops why each branch
    # failed ("… is not valid under any of the schemas listed in the 'oneOf' keyword"). The pure-Python jsonschema
    # keeps the branches, so the finding can name the cause and its place ("'description' is a required property").
    causes = [_cause(e) for e in _python_validator(oas31).iter_errors(document)]
    found = [(tuple(e.absolute_path), e.message.splitlines()[0][:200]) for e in causes]
    return found or [(tuple(e.absolute_path), e.message.splitlines()[0][:200]) for e in fast]


@functools.cache
def _python_validator(oas31: bool) -> Any:
    from jsonschema.validators import validator_for
    from openapi_spec_validator.schemas import schema_v30, schema_v31

    schema = dict(schema_v31 if oas31 else schema_v30)
    return validator_for(schema)(schema)


def _cause(error: Any) -> Any:
    """The most specific reason under a failed oneOf/anyOf, passing over the Reference Object branch (a node that is
    not a $ref fails that branch only because it has no $ref)."""
    from jsonschema.exceptions import best_match

    while error.context:
        branches = [e for e in error.context if not (e.validator == "required" and "'$ref'" in e.message)]
        error = best_match(branches or error.context)
    return error


MAX_INLINED = 200_000  # nodes of a description with its references put in place (a DAG of shared schemas can explode)


def _override(target: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """OAS 3.1 §4.8.23: a Reference Object's summary and description override the target's; "if the referenced
    object-type does not allow" the field, it "has no effect". Without the type at hand: summary only where the target
    has one (only Path Items and Examples allow it), description except on a Callback (a map of runtime expressions,
    the one referenceable object without a description)."""
    callback = bool(target) and all(str(key).startswith("{") for key in target)
    merged = dict(target)
    if "summary" in fields and "summary" in target:
        merged["summary"] = fields["summary"]
    if "description" in fields and not callback:
        merged["description"] = fields["description"]
    return merged


class _TooLarge(Exception):
    pass


class _Inliner:
    """A copy of a description with each Reference Object replaced by its target, remembering where each came from.
    Each target is put in place once, at its first reference (in document order): the later references to it, a
    cycle (a recursive schema) and a $ref that points at nothing (OAS-004's finding) stay References. Putting every
    reference in place would expand a description whose schemas share schemas exponentially (the ETSI NGSI-LD 1.6.1
    description, 188 KB, grew past 200,000 nodes); once each keeps the copy as large as the documents read."""

    def __init__(self, held: dict[str, Any], *, oas31: bool) -> None:
        self.held = held
        self.oas31 = oas31
        self.nodes = 0
        self.sites: dict[tuple[Any, ...], tuple[str, str]] = {}  # path in the copy -> (document, pointer) it came from
        self.done: set[tuple[str, str]] = set()  # the (document, pointer) targets already put in place

    def inline(self, node: Any, url: str, path: tuple[Any, ...]) -> Any:
        self.nodes += 1
        if self.nodes > MAX_INLINED:
            raise _TooLarge
        if isinstance(node, list):
            return [self.inline(v, url, (*path, i)) for i, v in enumerate(node)]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        # 3.0: a Reference Object's other fields are ignored. 3.1: it may override summary and description; a Schema
        # with $ref beside other keywords is a schema, not a Reference, and stays as written.
        extra = {k: v for k, v in node.items() if k != "$ref"}
        if isinstance(ref, str) and not (self.oas31 and set(extra) - {"summary", "description"}):
            target_url, _, pointer = urljoin(url, ref).partition("#")
            doc = self.held.get(target_url)
            target = resolve(doc, pointer) if doc is not None else None
            if target is not None and (target_url, pointer) not in self.done:
                self.done.add((target_url, pointer))
                self.sites[tuple(map(str, path))] = (target_url, pointer)
                inlined = self.inline(target, target_url, path)
                return _override(inlined, extra) if self.oas31 and extra and isinstance(inlined, dict) else inlined
        return {k: self.inline(v, url, (*path, k)) for k, v in node.items()}

    def origin(self, path: tuple[Any, ...], message: str) -> Problem:
        """A problem found in the copy, placed in the document it came from (the deepest reference around it)."""
        key = tuple(map(str, path))  # the validator gives a status code key "200" as 200
        for cut in range(len(key), -1, -1):
            site = self.sites.get(key[:cut])
            if site is not None:
                url, pointer = site
                return url, (pointer.rstrip("/") + _pointer(path[cut:])).rstrip("/") or "/", message
        return None, _pointer(path), message


def _located(cls: Any) -> Any:
    """The validator's keyword walk with each problem placed where it was found.

    openapi-spec-validator's walk (path parameters, defaults against their schemas, a schema's own keywords) yields
    errors without a location: "'x' is not of type 'integer'" alone does not say which of a description's thousand
    defaults is wrong. Each keyword validator is handed the node it checks (a SchemaPath, its `parts` the keys from
    the root, $refs followed); the innermost one an error passes through sets the error's path to that node, plus
    "default" for a default value, plus the error's own path inside the checked value. The path is set on the error
    itself because the validator re-wraps plain jsonschema errors on the way out, keeping only their fields."""
    from jsonschema_path import SchemaPath
    from openapi_spec_validator.validation.keywords import ValueValidator

    inside = ("default",) if issubclass(cls, ValueValidator) else ()

    class Located(cls):
        def __call__(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
            node = next((a for a in (*args, *kwargs.values()) if isinstance(a, SchemaPath)), None)
            for error in super().__call__(*args, **kwargs):
                if node is not None and not getattr(error, "_ldt_placed", False):
                    error.path = error.relative_path = deque((*node.parts, *inside, *error.absolute_path))
                    error._ldt_placed = True
                yield error

    Located.__name__ = Located.__qualname__ = cls.__name__
    return Located


def _place(document: Any, url: str, held: Mapping[str, Any], path: tuple[Any, ...]) -> tuple[str, str]:
    """The document and JSON pointer a walk path ends at, following the Reference Objects on the way as the walk
    did: a default inside a referenced schema is placed in the document that holds it, never behind a $ref."""
    node, pointer = document, ""
    for step in path:
        for _ in range(MAX_REF_HOPS):
            ref = node.get("$ref") if isinstance(node, dict) else None
            if not isinstance(ref, str):
                break
            target_url, _, fragment = urljoin(url, ref).partition("#")
            target = resolve(held[target_url], fragment) if target_url in held else None
            if target is None:
                break
            node, url, pointer = target, target_url, fragment.rstrip("/")
        if isinstance(node, dict):
            node = node.get(step, node.get(str(step)))
        elif isinstance(node, list) and str(step).isdigit() and int(step) < len(node):
            node = node[int(step)]
        else:
            node = None
        pointer += _pointer((step,))
    return url, pointer or "/"


def _pointer(path: Any) -> str:
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path)


TESTS: dict[str, Test] = {
    "reachable": reachable, "version": version, "valid": valid, "references": references,
    "operation_ids": operation_ids,
}
