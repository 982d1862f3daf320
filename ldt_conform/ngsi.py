"""NGSI entity forms: detect normalized vs key-values, unwrap to key-values, and expand the entity type via @context."""
from __future__ import annotations

from typing import Any, Iterator, Mapping

# NGSI-LD attribute type → the member holding its simplified value (ETSI GS CIM 009 §4.5, "concise/keyValues").
LD_VALUE_MEMBER: dict[str, str] = {
    "Property": "value",
    "GeoProperty": "value",
    "Relationship": "object",
    "LanguageProperty": "languageMap",
    "VocabProperty": "vocab",
    "ListProperty": "valueList",
    "ListRelationship": "objectList",
    "JsonProperty": "json",
}
# Members of an entity that are not attributes: never unwrapped, @context is dropped as the SDM tooling does.
ENTITY_MEMBERS = {"id", "type", "@context", "scope", "createdAt", "modifiedAt", "deletedAt"}
V2_MEMBERS = {"type", "value", "metadata"}


def form(entity: Mapping[str, Any]) -> str:
    """'normalized' (NGSI-LD), 'normalized-v2' (NGSI v2) or 'key-values'."""
    attributes = [v for k, v in entity.items() if k not in ENTITY_MEMBERS]
    if any(_ld_attribute(v) or (isinstance(v, list) and v and all(_ld_attribute(i) for i in v)) for v in attributes):
        return "normalized"
    if attributes and all(_v2_attribute(v) for v in attributes):
        return "normalized-v2"
    return "key-values"


def _ld_attribute(value: Any) -> bool:
    return (isinstance(value, dict) and value.get("type") in LD_VALUE_MEMBER
            and LD_VALUE_MEMBER[value["type"]] in value)


def _v2_attribute(value: Any) -> bool:
    return isinstance(value, dict) and "value" in value and set(value) <= V2_MEMBERS


def to_key_values(entity: Mapping[str, Any]) -> dict[str, Any]:
    """The key-values view the Smart Data Models schemas describe; sub-properties (unitCode, observedAt…) dropped."""
    shape = form(entity)
    result: dict[str, Any] = {}
    for key, value in entity.items():
        if key == "@context":
            continue
        if key in ENTITY_MEMBERS or shape == "key-values":
            result[key] = value
        elif shape == "normalized":
            result[key] = _unwrap_ld(value)
        else:
            result[key] = value["value"] if _v2_attribute(value) else value
    return result


def _unwrap_ld(value: Any) -> Any:
    if isinstance(value, list) and value and all(_ld_attribute(i) for i in value):
        # A multi-attribute: the default instance (no datasetId) stands for the attribute, as in keyValues output.
        default = next((i for i in value if "datasetId" not in i), value[0])
        return _unwrap_ld(default)
    if not _ld_attribute(value):
        return value
    inner = value[LD_VALUE_MEMBER[value["type"]]]
    if isinstance(inner, dict) and "@value" in inner:
        return inner["@value"]
    return inner


def context_terms(context: Any) -> dict[str, str]:
    """Term → IRI from the inline parts of an @context (remote contexts are never fetched silently)."""
    terms: dict[str, str] = {}
    for part in context if isinstance(context, list) else [context]:
        if not isinstance(part, dict):
            continue
        for term, definition in part.items():
            if isinstance(definition, str):
                terms[term] = definition
            elif isinstance(definition, dict) and isinstance(definition.get("@id"), str):
                terms[term] = definition["@id"]
    return terms


def context_urls(context: Any) -> list[str]:
    return [c for c in (context if isinstance(context, list) else [context]) if isinstance(c, str)]


def expand_type(name: str, terms: Mapping[str, str]) -> str:
    """A short name or CURIE expanded through inline context terms; otherwise returned as given."""
    if name in terms:
        return expand_type(terms[name], {k: v for k, v in terms.items() if k != name})
    prefix, sep, local = name.partition(":")
    if sep and prefix in terms and not local.startswith("//"):
        return terms[prefix] + local
    return name


def types_of(entity: Mapping[str, Any]) -> list[str]:
    value = entity.get("type", entity.get("@type"))
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def pointer(parts: Iterator[Any] | list[Any]) -> str:
    """RFC 6901 JSON Pointer from path parts."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
