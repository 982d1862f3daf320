"""Message placeholders for SHACL class (range) constraints: what the shape expected and what the data holds instead."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
# The placeholders this module fills; a rule's message that names none of them costs nothing here.
PLACEHOLDERS = ("{expected}", "{found}", "{fix}", "{property}")
# A pattern that is only an anchored IRI prefix, e.g. ^http://publications\.europa\.eu/resource/authority/language/
_PREFIX_PATTERN = re.compile(r"\^((?:[^\\^$.|?*+()\[\]{}]|\\.)+)")


@dataclass(frozen=True)
class Expectation:
    """What a shape accepts as a value: instances of some classes, or IRIs matching some patterns."""

    classes: tuple[str, ...]
    patterns: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def _phrases() -> dict[str, dict[str, str]]:
    text = (resources.files("ldt_conform.checks") / "shacl_ranges.toml").read_text("utf-8")
    return tomllib.loads(text)


def expectation(shapes: Graph, shape: str) -> Expectation | None:
    """The classes of a shape's sh:class, directly or as alternatives of its sh:or; None if it has no class check."""
    node: Any = BNode(shape[2:]) if shape.startswith("_:") else URIRef(shape)
    classes = [str(c) for c in shapes.objects(node, SH["class"])]
    patterns: list[str] = []
    for items in shapes.objects(node, SH["or"]):
        for alternative in Collection(shapes, items):
            classes += [str(c) for c in shapes.objects(alternative, SH["class"])]
            patterns += [str(p) for p in shapes.objects(alternative, SH.pattern)]
    if not classes:
        return None
    return Expectation(tuple(dict.fromkeys(classes)), tuple(dict.fromkeys(patterns)))


def compact(iri: str, namespaces: list[tuple[str, str]]) -> str:
    """prefix:local for an IRI in a namespace the shapes declare (longest namespace wins), else the IRI itself."""
    for prefix, namespace in namespaces:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            local = iri[len(namespace):]
            if re.fullmatch(r"[A-Za-z_][\w.-]*", local):
                return f"{prefix}:{local}"
    return iri


def namespaces(declared: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    pairs = [(prefix, namespace) for prefix, namespace in declared if prefix]
    # Longest namespace first; of two prefixes for one namespace (rdflib's own dcterms, the file's dct) the shorter.
    return sorted(pairs, key=lambda pair: (-len(pair[1]), len(pair[0]), pair[0]))


def placeholders(expect: Expectation, value: str, path: str | None, store: ox.Store, lang: str,
                 names: list[tuple[str, str]]) -> dict[str, str]:
    """{expected} {found} {fix} {property} for one result, in `lang` (English when the language has no phrases)."""
    words = _phrases().get(lang) or _phrases()["en"]
    classes = [compact(c, names) for c in expect.classes]
    options = [words["expected_classes"].format(classes=_join(classes, words))]
    for pattern in expect.patterns:
        prefix = _PREFIX_PATTERN.fullmatch(pattern)
        options.append(words["expected_prefix"].format(prefix=re.sub(r"\\(.)", r"\1", prefix.group(1)))
                       if prefix else words["expected_pattern"].format(pattern=pattern))
    kind, types = _found(value, store)
    fill = {"value": value, "class": classes[0], "types": _join([compact(t, names) for t in types], words, ", ")}
    return {"expected": words["or_else"].join(options), "found": words["found_" + kind].format_map(fill),
            "fix": words["fix_" + kind].format_map(fill), "property": compact(path, names) if path else ""}


def _found(value: str, store: ox.Store) -> tuple[str, list[str]]:
    """literal, (un)typed_iri or (un)typed_blank, and the value's rdf:type classes in the data."""
    if value.startswith('"'):
        return "literal", []
    term: ox.NamedNode | ox.BlankNode = ox.BlankNode(value[2:]) if value.startswith("_:") else ox.NamedNode(value)
    types = sorted({q.object.value for q in store.quads_for_pattern(term, RDF_TYPE, None)
                    if isinstance(q.object, (ox.NamedNode, ox.BlankNode))})
    kind = "blank" if isinstance(term, ox.BlankNode) else "iri"
    return ("typed_" if types else "untyped_") + kind, types


def _join(items: list[str], words: dict[str, str], last: str | None = None) -> str:
    if len(items) <= 1:
        return "".join(items)
    return words["list_separator"].join(items[:-1]) + (last or words["or"]) + items[-1]
