"""OGC API – Features Part 1: the tests that read the API definition (OpenAPI 3.0 class, parameter definitions)."""
from __future__ import annotations

import re
from typing import Any, Callable, Mapping

from ldt_conform import tool_ids
from ldt_conform.checks.api import oas_refs
from ldt_conform.checks.api import ogc_common as oc
from ldt_conform.checks.api.probe import Broken, Issue, Probe, Skip, find_link, media_type
from ldt_conform.model import Why


def _feature_collections(probe: Probe) -> list[dict[str, Any]]:
    return oc.collection_entries(probe, "feature", "record")


def oas30_completeness(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, definition = oc.api_definition(probe)
    paths = definition.get("paths") or {}
    wanted = ["/", "/conformance", "/collections"]
    for entry in _feature_collections(probe):
        wanted += [f"/collections/{entry['id']}", f"/collections/{entry['id']}/items",
                   f"/collections/{entry['id']}/items/{{featureId}}"]
    missing = [p for p in wanted if not _path_defined(p, paths)]
    return [Issue(probe.focus(response.url), ", ".join(missing[:5]),
                  "the API definition must describe every resource the API offers")] if missing else []


MAX_IMPL_PATHS = 15  # GET requests this rule makes; the paths past it are named as not tested


def oas30_oas_impl(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    """/ats/oas30/oas-impl: a path from each URL template, with every enumerated path parameter, must be served.
    A template whose path parameters are not all enumerated cannot be built from the definition, and a GET that needs
    a query parameter cannot be asked without one: the pass names those, and the paths past the cap."""
    issues = []
    items, unread = _path_items(probe)
    unread_paths = [template for template, _ in unread]
    paths: list[str] = []
    templated: list[str] = []
    with_query: list[str] = []
    for template, item, at in items:
        if not isinstance(item.get("get"), dict):
            continue
        if _needs_query(probe, item, at):
            with_query.append(template)
            continue
        built = _enumerated(probe, template, item, at)
        if built is None:
            templated.append(template)
        else:
            paths += built
    untested = [(len(unread), "path", "whose path item could not be read", unread_paths),
                (len(templated), "templated path", "without enumerated values", templated),
                (len(with_query), "path", f"that need{'s' * (len(with_query) == 1)} a query parameter", with_query),
                (len(paths) - MAX_IMPL_PATHS, "path", f"past the first {MAX_IMPL_PATHS}", paths[MAX_IMPL_PATHS:])]
    for n, noun, why, named in untested:
        if n > 0:
            probe.untested.append(f"{n} {noun}{'s' * (n != 1)} of the API definition {why} ("
                                  + ", ".join(named[:3]) + (", …" if n > 3 else "") + ")")
    for path in paths[:MAX_IMPL_PATHS]:
        answer = probe.get(path, accept=oc.JSON)
        if answer.status >= 500 or answer.status == 404:
            issues.append(Issue(probe.focus(answer.url), f"HTTP {answer.status}",
                                "every path of the API definition must be implemented"))
    return issues


def oas30_definition_1(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, document = oc.landing(probe)
    link = find_link(document, "service-desc")
    if link is None or ("openapi" not in media_type(str(link.get("type") or "")) and "json" not in str(
            link.get("type") or "")):
        return [Issue(probe.focus(response.url), str(link.get("type") if link else "no service-desc"),
                      "link the OpenAPI 3.0 definition with rel=service-desc and type "
                      "application/vnd.oai.openapi+json;version=3.0")]
    try:
        definition_response, definition = oc.api_definition(probe)
    except Broken as exc:
        # Not an OpenAPI document at all: OAFEAT-005's finding, not reported twice.
        raise Skip(f"the service-desc document is not an OpenAPI document ({exc.issue.value}; see OAFEAT-005)",
                   Why.PREREQUISITE_FAILED) from None
    if not str(definition.get("openapi", "")).startswith("3.0"):
        return [Issue(probe.focus(definition_response.url), f"openapi={definition.get('openapi')}",
                      "the service-desc document must be OpenAPI 3.0")]
    return []


def oas30_exception_codes(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    response, _definition = oc.api_definition(probe)
    issues = []
    items, unread = _path_items(probe)
    unread_items = [template for template, _ in unread if template.endswith("/items")]
    if unread_items:
        probe.untested.append(f"the path items of {', '.join(unread_items)}, which could not be read")
    for path, operations, _at in items:
        get = operations.get("get")
        if isinstance(get, dict) and path.endswith("/items"):
            codes = {str(k) for k in (get.get("responses") or {})}
            if not codes & {"400", "4XX", "default"}:
                issues.append(Issue(probe.focus(response.url), f"GET {path}: {sorted(codes)}",
                                    "describe the error responses (400, 500 or default) of every operation"))
    return issues


def fc_limit_definition(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    return _parameter_defined(probe, "limit", lambda s: s.get("type") == "integer")


def fc_bbox_definition(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    return _parameter_defined(probe, "bbox", lambda s: s.get("type") == "array")


def fc_time_definition(probe: Probe, params: Mapping[str, Any]) -> list[Issue]:
    return _parameter_defined(probe, "datetime", lambda s: s.get("type") == "string")


def _parameter_defined(probe: Probe, name: str, schema_ok: Callable[[dict[str, Any]], bool]) -> list[Issue]:
    response, _definition = oc.api_definition(probe)
    docs = oas_refs.documents(probe)
    issues: list[Issue] = []
    unavailable: list[str] = []
    for entry in _feature_collections(probe):
        path = f"/collections/{entry['id']}/items"
        try:
            found = _operation(probe, path)
        except LookupError as exc:
            unavailable.append(exc.args[0])
            continue
        if found is None:
            issues.append(Issue(probe.focus(response.url), path,
                                "the API definition does not describe the items operation"))
            continue
        parameters, unread = _parameters(probe, *found)
        parameter = next(((p, at) for p, at in parameters if p.get("name") == name and p.get("in") == "query"), None)
        if parameter is None and unread:
            # A parameter named by a $ref that could not be followed may be this one: the one whose name says so
            # (…/parameters/limit.yaml, …#/components/parameters/limit), else any of them.
            unavailable += [oas_refs.document_url(ref) for ref in unread if _named_as(ref) == name] or [
                oas_refs.document_url(ref) for ref in unread]
            continue
        try:
            schema = _schema(probe, *parameter) if parameter else {}
        except LookupError as exc:
            unavailable.append(oas_refs.document_url(exc.args[0]))
            continue
        if parameter is None or not schema_ok(schema):
            issues.append(Issue(probe.focus(response.url), f"{name} on {path}",
                                f"define the {name} query parameter as the standard specifies"))
    if unavailable and not issues:
        # Defined (possibly) in a document that could not be read: not verified, never a pass.
        upstream = [url for url in dict.fromkeys(unavailable) if docs.upstream(url)]
        if upstream:
            raise Skip(f"the {name} parameter may be defined in {upstream[0]}, which is not available offline",
                       Why.ARTEFACT_UNAVAILABLE,
                       [Issue(probe.focus(response.url), url, f"the {name} parameter may be defined in this document",
                              tool_rule=tool_ids.OFFLINE) for url in upstream])
        raise Skip(f"the {name} parameter may be defined in {unavailable[0]}, which the API did not serve",
                   Why.PREREQUISITE_FAILED)
    return issues


def _named_as(ref: str) -> str:
    """The name a $ref suggests: its pointer's last segment, else its file's stem."""
    url, _, pointer = ref.partition("#")
    last = pointer.rstrip("/").rsplit("/", 1)[-1] if pointer.strip("/") else url.rstrip("/").rsplit("/", 1)[-1]
    return last.rsplit(".", 1)[0] if not pointer.strip("/") else last


PathItems = tuple[list[tuple[str, dict[str, Any], str]], list[tuple[str, str]]]


def _path_items(probe: Probe) -> PathItems:
    """The definition's path items with their $refs followed through the documents it leads to, each with the URL of
    the document it is written in (its own relative $refs resolve against it); and the paths whose item could not
    be read (a document not pinned, or not served), each with the absolute $ref that led there."""
    def load() -> PathItems:
        docs = oas_refs.documents(probe)
        items: list[tuple[str, dict[str, Any], str]] = []
        unread: list[tuple[str, str]] = []
        for template, raw in (docs.document.get("paths") or {}).items():
            try:
                item, at = oas_refs.follow(raw, oas_refs.document_url(docs.base), docs)
            except LookupError as exc:
                unread.append((template, exc.args[0]))
                continue
            if item is not None:
                items.append((template, item, at))
        return items, unread
    return probe.memo("ogc-path-items", load)


def _operation(probe: Probe, path: str) -> tuple[dict[str, Any], str] | None:
    """The GET of the path item that serves `path`, with the item's own parameters, and the URL of the document it
    is written in; LookupError naming the document when that path item could not be read."""
    items, unread = _path_items(probe)
    for template, item, at in items:
        if _matches(template, path) and isinstance(item.get("get"), dict):
            return _get_with_path_parameters(item), at
    for template, ref in unread:
        if _matches(template, path):
            raise LookupError(oas_refs.document_url(ref))
    return None


def _get_with_path_parameters(item: dict[str, Any]) -> dict[str, Any]:
    """A path item's GET with the item's own parameters first (the operation's, later, override them)."""
    return {**item["get"], "parameters": [*(item.get("parameters") or []), *(item["get"].get("parameters") or [])]}


def _parameters(probe: Probe, operation: dict[str, Any], at: str) -> tuple[list[tuple[dict[str, Any], str]], list[str]]:
    """The operation's parameters with their $refs followed, each with the URL of the document it is written in; and
    the absolute $refs of those that could not be read."""
    docs = oas_refs.documents(probe)
    found: list[tuple[dict[str, Any], str]] = []
    unread: list[str] = []
    for raw in operation.get("parameters") or []:
        try:
            parameter, where = oas_refs.follow(raw, at, docs)
        except LookupError as exc:
            unread.append(exc.args[0])
            continue
        if parameter is not None:
            found.append((parameter, where))
    return found, unread


def _schema(probe: Probe, parameter: dict[str, Any], at: str) -> dict[str, Any]:
    """A parameter's schema with its $refs followed; LookupError (the absolute $ref) when a document it needs could
    not be read."""
    schema, _ = oas_refs.follow(parameter.get("schema", {}), at, oas_refs.documents(probe))
    return schema or {}


def _matches(template: str, path: str) -> bool:
    pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template.rstrip("/") or "/")) + "$"
    return re.match(pattern, path.rstrip("/") or "/") is not None


def _path_defined(path: str, paths: Mapping[str, Any]) -> bool:
    concrete = path.replace("{featureId}", "x")
    return any(_matches(template, concrete) for template in paths)


MAX_ENUM_PATHS = 50  # paths one template may expand to (the product of its enumerations)


def _enumerated(probe: Probe, template: str, item: dict[str, Any], at: str) -> list[str] | None:
    """The paths a URL template stands for when each of its path parameters is enumerated (its schema's enum), the
    template itself when it has none; None when one is not enumerated (or its declaration could not be read)."""
    names = re.findall(r"\{([^/{}]+)\}", template)
    if not names:
        return [template]
    parameters, _unread = _parameters(probe, _get_with_path_parameters(item), at)
    declared = [(p, where) for p, where in parameters if p.get("in") == "path"]
    values: list[list[str]] = []
    for name in names:
        parameter = next(((p, where) for p, where in reversed(declared) if p.get("name") == name), None)
        try:
            enum = _schema(probe, *parameter).get("enum") if parameter else None
        except LookupError:  # its declaration could not be read
            return None
        if not isinstance(enum, list) or not enum:
            return None
        values.append([str(v) for v in enum])
    paths = [template]
    for name, options in zip(names, values):
        paths = [p.replace("{" + name + "}", v, 1) for p in paths for v in options][:MAX_ENUM_PATHS]
    return paths


def _needs_query(probe: Probe, item: dict[str, Any], at: str) -> bool:
    """Whether the GET declares a required query parameter: on the operation or its path item, or by $ref (asked
    without it, the API would answer 400, which proves nothing either way)."""
    parameters, _unread = _parameters(probe, _get_with_path_parameters(item), at)
    return any(p.get("required") is True and p.get("in") == "query" for p, _ in parameters)
