"""OGC API – Features Part 1: the tests that read the API definition (OpenAPI 3.0 class, parameter definitions)."""
from __future__ import annotations

import re
from typing import Any, Callable, Mapping

from ldt_conform import tool_ids
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
    _response, definition = oc.api_definition(probe)
    issues = []
    gets = [(p, item) for p, item in (definition.get("paths") or {}).items()
            if isinstance(item, dict) and isinstance(item.get("get"), dict)]
    paths: list[str] = []
    templated: list[str] = []
    with_query: list[str] = []
    for template, item in gets:
        if _needs_query(definition, item):
            with_query.append(template)
            continue
        built = _enumerated(definition, template, item)
        if built is None:
            templated.append(template)
        else:
            paths += built
    untested = [(len(templated), "templated path", "without enumerated values", templated),
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
    response, definition = oc.api_definition(probe)
    issues = []
    for path, operations in (definition.get("paths") or {}).items():
        get = operations.get("get") if isinstance(operations, dict) else None
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
    response, definition = oc.api_definition(probe)
    issues: list[Issue] = []
    unavailable: list[str] = []
    for entry in _feature_collections(probe):
        operation = _operation(definition, f"/collections/{entry['id']}/items")
        if operation is None:
            issues.append(Issue(probe.focus(response.url), f"/collections/{entry['id']}/items",
                                "the API definition does not describe the items operation"))
            continue
        parameters = _parameters(definition, operation)
        parameter = next((p for p in parameters if p.get("name") == name and p.get("in") == "query"), None)
        if parameter is None:
            remote = next((p["$ref"] for p in parameters if isinstance(p.get("$ref"), str)
                           and p["$ref"].rstrip("/").endswith(f"/parameters/{name}")), None)
            if remote is not None:
                parameter = oc.remote_ref(probe, remote)
                if parameter is None:
                    # Declared by reference to a document we cannot read offline: not a failure, but noted.
                    unavailable.append(remote.split("#")[0])
                    continue
        schema = _deref(definition, parameter.get("schema", {})) if parameter else {}
        if parameter is None or not schema_ok(schema):
            issues.append(Issue(probe.focus(response.url), f"{name} on /collections/{entry['id']}/items",
                                f"define the {name} query parameter as the standard specifies"))
    if unavailable and not issues:
        # Defined by reference to a document that is neither pinned nor cached: not verified, never a pass.
        raise Skip(f"the {name} parameter is defined in {unavailable[0]}, which is not available offline",
                   Why.ARTEFACT_UNAVAILABLE,
                   [Issue(probe.focus(response.url), url, f"the {name} parameter is defined in this document",
                          tool_rule=tool_ids.OFFLINE) for url in dict.fromkeys(unavailable)])
    return issues


def _operation(definition: dict[str, Any], path: str) -> dict[str, Any] | None:
    for template, item in (definition.get("paths") or {}).items():
        if isinstance(item, dict) and _matches(template, path) and isinstance(item.get("get"), dict):
            return _get_with_path_parameters(item)
    return None


def _get_with_path_parameters(item: dict[str, Any]) -> dict[str, Any]:
    """A path item's GET with the item's own parameters first (the operation's, later, override them)."""
    return {**item["get"], "parameters": [*(item.get("parameters") or []), *(item["get"].get("parameters") or [])]}


def _parameters(definition: dict[str, Any], operation: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in (_deref(definition, raw) for raw in operation.get("parameters") or []) if isinstance(p, dict)]


def _deref(definition: dict[str, Any], node: Any) -> Any:
    for _ in range(10):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/")):
            return node
        target: Any = definition
        for part in node["$ref"][2:].split("/"):
            target = target.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(target, dict) else {}
        node = target
    return node


def _matches(template: str, path: str) -> bool:
    pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template.rstrip("/") or "/")) + "$"
    return re.match(pattern, path.rstrip("/") or "/") is not None


def _path_defined(path: str, paths: Mapping[str, Any]) -> bool:
    concrete = path.replace("{featureId}", "x")
    return any(_matches(template, concrete) for template in paths)


MAX_ENUM_PATHS = 50  # paths one template may expand to (the product of its enumerations)


def _enumerated(definition: dict[str, Any], template: str, item: dict[str, Any]) -> list[str] | None:
    """The paths a URL template stands for when each of its path parameters is enumerated (its schema's enum), the
    template itself when it has none; None when one is not enumerated."""
    names = re.findall(r"\{([^/{}]+)\}", template)
    if not names:
        return [template]
    declared = [p for p in _parameters(definition, _get_with_path_parameters(item)) if p.get("in") == "path"]
    values: list[list[str]] = []
    for name in names:
        parameter = next((p for p in reversed(declared) if p.get("name") == name), None)
        enum = _deref(definition, parameter.get("schema", {})).get("enum") if parameter else None
        if not isinstance(enum, list) or not enum:
            return None
        values.append([str(v) for v in enum])
    paths = [template]
    for name, options in zip(names, values):
        paths = [p.replace("{" + name + "}", v, 1) for p in paths for v in options][:MAX_ENUM_PATHS]
    return paths


def _needs_query(definition: dict[str, Any], item: dict[str, Any]) -> bool:
    """Whether the GET declares a required query parameter: on the operation or its path item, or by $ref (asked
    without it, the API would answer 400, which proves nothing either way)."""
    return any(p.get("required") is True and p.get("in") == "query"
               for p in _parameters(definition, _get_with_path_parameters(item)))
