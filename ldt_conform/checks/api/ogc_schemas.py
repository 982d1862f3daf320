"""The OGC API schemas (pinned building blocks from the artefact store) as validators of live responses."""
from __future__ import annotations

from typing import Any, Callable

from ldt_conform.checks.api import oas_refs
from ldt_conform.checks.api.probe import Probe

FEATURES_1 = "https://schemas.opengis.net/ogcapi/features/part1/1.0/openapi/ogcapi-features-1.yaml"
# Validation errors shown per response; the rest are counted.
MAX_ERRORS = 10


def _document(probe: Probe, url: str) -> dict[str, Any] | None:
    document = oas_refs.artefact(probe, url)
    return document if isinstance(document, dict) else None


def validator(probe: Probe, name: str, url: str = FEATURES_1) -> Any | None:
    """An OpenAPI 3.0 schema validator for `#/components/schemas/<name>` of a pinned OGC building block, or None
    when the artefact cannot be had offline (the caller then reports the check as not verified)."""
    def build() -> Any | None:
        document = _document(probe, url)
        schemas = (document or {}).get("components", {}).get("schemas", {})
        if name not in schemas:
            return None
        from openapi_schema_validator import OAS30Validator
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT4

        # Internal "#/components/schemas/…" references resolve against the whole building-block document.
        resource = Resource.from_contents(document, default_specification=DRAFT4)
        registry = Registry().with_resource(url, resource)
        return OAS30Validator({"$ref": f"{url}#/components/schemas/{name}"}, registry=registry)
    return probe.memo(f"validator:{url}#{name}", build)


def errors(schema_validator: Any, instance: Any, ignore: Callable[[list[Any]], bool] | None = None) -> list[str]:
    """The validation errors of `instance` as 'at /pointer: message' lines, at most MAX_ERRORS plus a count; errors at
    a path `ignore` accepts are left out before counting."""
    found = sorted((e for e in schema_validator.iter_errors(instance)
                    if ignore is None or not ignore(list(e.absolute_path))),
                   key=lambda e: list(map(str, e.absolute_path)))
    lines = [f"at /{'/'.join(str(p) for p in e.absolute_path)}: {_short(e)}" for e in found[:MAX_ERRORS]]
    if len(found) > MAX_ERRORS:
        lines.append(f"and {len(found) - MAX_ERRORS} more schema errors")
    return lines


def _short(error: Any) -> str:
    # oneOf failures over the seven geometry types say little; the RFC 7946 checks name the actual defect.
    message = error.message if error.validator != "oneOf" else "is not valid under any of the given schemas"
    return message[:160]
