"""The catalogue of Smart Data Models: which pinned schema validates which entity type, shipped plus user-added."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from ldt_conform.artefacts import Pin
from ldt_conform.ngsi import context_terms, context_urls, expand_type, types_of

# Namespaces whose IRIs are matched by local name when no IRI is listed (older contexts used the FIWARE one).
SDM_NAMESPACES = ("https://smartdatamodels.org/", "https://uri.fiware.org/ns/data-models#",
                  "https://uri.fiware.org/ns/dataModels#")


@dataclass(frozen=True)
class Model:
    """One data model: its entity type, the schema that describes it, and where that schema came from."""

    type: str
    iris: tuple[str, ...] = ()
    schema_url: str | None = None
    sha256: str | None = None
    file: Path | None = None
    version: str = ""
    repo: str = ""
    commit: str = ""
    licence: str = ""
    contexts: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()
    origin: str = "shipped"

    @property
    def label(self) -> str:
        return f"{self.type} {self.version}".strip()

    def pin(self) -> Pin | None:
        if self.schema_url and self.sha256:
            return Pin(self.schema_url, self.sha256, self.type, self.version, self.licence)
        return None


@dataclass(frozen=True)
class Catalogue:
    models: tuple[Model, ...]
    schemas: tuple[Pin, ...] = ()
    # URL → the same pinned bytes at a commit-pinned URL, tried when the $ref'd URL has moved on upstream.
    mirrors: Mapping[str, Pin] = field(default_factory=dict)
    _by_iri: dict[str, Model] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for model in self.models:
            for iri in model.iris:
                self._by_iri.setdefault(iri, model)

    def pins(self) -> list[Pin]:
        """Every pin the store needs: model schemas and the common schemas they `$ref`."""
        return [*self.schemas, *(p for p in (m.pin() for m in self.models) if p)]

    def extended(self, models: Iterable[Model], schemas: Iterable[Pin] = ()) -> Catalogue:
        """User models come first, so a user's own model of a type wins over the shipped one."""
        return Catalogue((*models, *self.models), (*schemas, *self.schemas), self.mirrors)

    def resolve(self, entity: Mapping[str, Any]) -> tuple[Model | None, str]:
        """The model for an entity (by expanded type IRI, else short name), and the type as written."""
        types = types_of(entity)
        context = entity.get("@context")
        terms, urls = context_terms(context), context_urls(context)
        for name in types:
            expanded = expand_type(name, terms)
            if "://" in expanded or expanded.startswith("urn:"):
                model = self._by_iri.get(expanded) or self._by_local_name(expanded)
            else:
                model = self._by_short_name(expanded, urls)
            if model:
                return model, name
        return None, types[0] if types else ""

    def _by_local_name(self, iri: str) -> Model | None:
        if not iri.startswith(SDM_NAMESPACES):
            return None
        local = iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        return self._by_short_name(local, [])

    def _by_short_name(self, name: str, context_urls_: Sequence[str]) -> Model | None:
        candidates = [m for m in self.models if m.type == name]
        for model in candidates:
            # Two models may share a short name across domains; the entity's @context says which one it means.
            if set(model.contexts) & set(context_urls_):
                return model
        return candidates[0] if candidates else None


def _model(raw: Mapping[str, Any], origin: str) -> Model:
    """A model from the shipped catalogue or the manifest (whose loader has already made a `file` absolute)."""
    file = raw.get("file")
    return Model(
        type=raw["type"], iris=tuple(raw.get("iris", ())), schema_url=raw.get("schema"), sha256=raw.get("sha256"),
        file=Path(file) if file else None,
        version=str(raw.get("version", "")), repo=raw.get("repo", ""), commit=raw.get("commit", ""),
        licence=raw.get("licence", ""), contexts=tuple(raw.get("contexts", ())), uses=tuple(raw.get("uses", ())),
        origin=origin,
    )


@lru_cache(maxsize=1)
def shipped() -> Catalogue:
    data = tomllib.loads((resources.files("ldt_conform") / "models_catalogue.toml").read_text("utf-8"))
    schemas = tuple(Pin(s["url"], s["sha256"], s["name"], s.get("commit", ""), s.get("licence", ""))
                    for s in data.get("schemas", []))
    mirrors = {s["url"]: Pin(s["mirror"], s["sha256"], s["name"]) for s in data.get("schemas", []) if s.get("mirror")}
    return Catalogue(tuple(_model(m, "shipped") for m in data.get("models", [])), schemas, mirrors)


def for_run(options: Mapping[str, Any]) -> Catalogue:
    """The shipped catalogue plus the models declared in the twin manifest ([[twin.models]], already resolved)."""
    extra = options.get("models") or ()
    if not extra:
        return shipped()
    return shipped().extended(_model(m, m.get("origin", "manifest")) for m in extra)
