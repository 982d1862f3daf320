"""OpenAPI descriptions (given directly or found via service-desc): valid 3.0/3.1, references resolved offline."""
from __future__ import annotations

import json
from collections import Counter
from typing import Any, Callable, Iterator, Mapping

from ldt_conform import tool_ids
from ldt_conform.checks.api import ogc_common as oc
from ldt_conform.checks.api.probe import Issue, Probe, Skip
from ldt_conform.model import Why

Test = Callable[[Probe, Mapping[str, Any]], list[Issue]]
OFFLINE_RULE = tool_ids.OFFLINE
MAX_ERRORS = 10


def normalise(uri: str) -> str:
    return uri


def declared(probe: Probe) -> set[str]:
    return set()


def description(probe: Probe) -> tuple[Any, dict[str, Any]]:
    """The OpenAPI document: the URL given with --api openapi=URL, or the OGC API's service-desc link."""
    url = probe.state.get("description-url")
    if url is None:
        return oc.api_definition(probe)

    def fetch() -> tuple[Any, dict[str, Any]]:
        response = probe.get(url, accept="application/vnd.oai.openapi+json, application/json, application/yaml;q=0.9")
        return response, oc.parse_definition(probe, response)
    return probe.memo("openapi-description", fetch)


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


def remote_documents(probe: Probe) -> tuple[dict[str, Any], list[Issue]]:
    """Every remote document the description references, from the artefact store; the rest become LC-004 notes."""
    def load() -> tuple[dict[str, Any], list[Issue]]:
        response, document = description(probe)
        found: dict[str, Any] = {}
        missing: list[Issue] = []
        queue = sorted({ref.split("#", 1)[0] for ref in _refs(document) if _is_remote(ref)})
        while queue:
            url = queue.pop(0)
            if url in found or any(i.value == url for i in missing):
                continue
            data = probe.artefacts.get(url) if probe.artefacts is not None else None
            if data is None:
                missing.append(Issue(probe.focus(response.url), url, "not verifiable offline: pin this file in the "
                                     "profile's [artefacts] or seed the artefact store", tool_rule=OFFLINE_RULE))
                continue
            found[url] = _parse(data)
            queue += sorted({ref.split("#", 1)[0] for ref in _refs(found[url]) if _is_remote(ref)} - set(found))
        return found, missing
    return probe.memo("openapi-remote", load)


def valid(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, document = description(probe)
    if not _version(document).startswith(("3.0.", "3.1.")):
        raise Skip("not an OpenAPI 3.0/3.1 document (see the version rule)", Why.PREREQUISITE_FAILED)
    remote, missing = remote_documents(probe)
    focus = probe.focus(response.url)
    errors, dangling = _validate(document, remote, complete=not missing)
    if dangling is not None and not errors:
        # The references rule reports the $ref that points at nothing; the validator cannot walk past it, so what
        # lies behind it is not verified (never a pass, and not the same defect failed twice).
        raise Skip(f"the $ref {dangling} points at nothing (see OAS-004): the description cannot be validated past "
                   "it", Why.PREREQUISITE_FAILED)
    if missing and not errors:
        # Without the referenced documents only the description's own shape was validated: what lies behind those
        # references (schemas, responses, parameters) was not, so this is not a pass.
        urls = ", ".join(str(i.value) for i in missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3
                                                                else "")
        raise Skip(f"only the description's own shape was validated: the referenced {urls} "
                   f"{'is' if len(missing) == 1 else 'are'} not in the artefact store (see LC-004)",
                   Why.ARTEFACT_UNAVAILABLE)
    # A defect inside a referenced upstream document (e.g. `type: null` unquoted in OGC's oas31 building blocks) is
    # not the API's to fix: shown at info level, naming that document, and not counted as a failure.
    upstream = {error: url for url, doc in remote.items() if isinstance(doc, dict) and "openapi" in doc
                for error in _validate(doc, remote, complete=not missing)[0]}
    # The references this could not follow are reported once, by the references rule (LC-004).
    return [Issue(focus, path, message) if (path, message) not in upstream else
            Issue(f"GET {upstream[(path, message)]}", path, f"{message}; this defect is in the referenced upstream "
                  "document, not in this API's description", info=True)
            for path, message in errors[:MAX_ERRORS]]


def references(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, document = description(probe)
    remote, missing = remote_documents(probe)
    focus = probe.focus(response.url)
    issues = list(missing)
    for ref in sorted(set(_refs(document))):
        target_doc, _, pointer = (document, "", ref[1:]) if ref.startswith("#") else (
            remote.get(ref.split("#", 1)[0]), "", ref.partition("#")[2])
        if target_doc is None:
            continue
        if _resolve(target_doc, pointer) is None:
            issues.append(Issue(focus, ref, "this $ref points at nothing; fix the JSON pointer"))
    return issues


def operation_ids(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, document = description(probe)
    ids = Counter(op.get("operationId") for _, op in _operations(document) if op.get("operationId"))
    return [Issue(probe.focus(response.url), str(op_id), f"operationId used {count} times; each must be unique")
            for op_id, count in sorted(ids.items()) if count > 1]


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in (document.get("paths") or {}).items():
        if isinstance(item, dict):
            for method in ("get", "put", "post", "delete", "options", "head", "patch", "trace"):
                if isinstance(item.get(method), dict):
                    yield f"{method.upper()} {path}", item[method]


def _validate(document: dict[str, Any], remote: dict[str, Any], *, complete: bool
              ) -> tuple[list[tuple[str, str]], str | None]:
    """(JSON pointer, message) of each problem, and the $ref the walk stopped at when one points at nothing; with
    references not available offline, only the document's own shape."""
    from openapi_spec_validator.validation import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
    from openapi_spec_validator.validation.exceptions import DuplicateOperationIDError
    from referencing.exceptions import Unresolvable

    base = OpenAPIV31SpecValidator if _version(document).startswith("3.1") else OpenAPIV30SpecValidator
    # The document's own shape first: the deeper walk below assumes it and would only crash on a broken one.
    shape = [(_pointer(e.absolute_path), e.message.splitlines()[0][:200])
             for e in base.schema_validator.iter_errors(document)]
    if shape or not complete:
        return shape, None

    def handler(uri: str) -> Any:
        key = uri.split("#", 1)[0]
        if key not in remote:
            raise LookupError(f"not verifiable offline: {key}")
        return remote[key]

    class Offline(base):  # type: ignore[misc, valid-type]
        # References are resolved from the artefact store only: validation never goes to the network.
        resolver_handlers = {"http": handler, "https": handler}

    errors: list[tuple[str, str]] = []
    try:
        for e in Offline(document).iter_errors():
            # A duplicate operationId is the operationIds rule's finding, at that rule's severity (a warning).
            if not isinstance(e, DuplicateOperationIDError):
                errors.append((_pointer(getattr(e, "absolute_path", ())),
                               str(getattr(e, "message", e)).splitlines()[0][:200]))
    except Unresolvable as exc:
        ref = str(getattr(exc, "ref", "") or "")[:200]
        return errors, ("#" + ref if ref.startswith("/") else ref) or "?"
    except Exception as exc:  # noqa: BLE001 - a reference the validator could not follow is a problem of the document
        errors.append(("", f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"))
    return errors, None


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _is_remote(ref: str) -> bool:
    return ref.startswith(("http://", "https://"))


def _resolve(document: Any, pointer: str) -> Any:
    node = document
    for part in [p for p in pointer.split("/") if p]:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _pointer(path: Any) -> str:
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _parse(data: bytes) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        import yaml

        return yaml.safe_load(data)


TESTS: dict[str, Test] = {
    "reachable": reachable, "version": version, "valid": valid, "references": references,
    "operation_ids": operation_ids,
}
