"""SHACL property paths: reading them from a shapes graph, rendering them as SPARQL and as result strings."""

from __future__ import annotations

from dataclasses import dataclass

import rdflib
from rdflib.namespace import RDF, SH

from ldt_conform.shacl_fast.errors import ShapesError


@dataclass(frozen=True, slots=True)
class Path:
    """A property path; ``kind`` is pred, inv, seq, alt, star, plus or opt."""

    kind: str
    iri: str | None = None
    parts: tuple[Path, ...] = ()

    @property
    def is_predicate(self) -> bool:
        return self.kind == "pred"

    @property
    def nullable(self) -> bool:
        """True when the path can match zero-length (then a focus node is its own value)."""
        if self.kind in ("star", "opt"):
            return True
        if self.kind == "seq":
            return all(p.nullable for p in self.parts)
        if self.kind == "alt":
            return any(p.nullable for p in self.parts)
        if self.kind in ("inv", "plus"):
            return self.parts[0].nullable
        return False


def read_list(g: rdflib.Graph, head: rdflib.term.Node, owner: str) -> list[rdflib.term.Node]:
    """Read an RDF list strictly; a malformed list is a shapes error naming ``owner``."""
    items: list[rdflib.term.Node] = []
    seen: set[rdflib.term.Node] = set()
    node = head
    while node != RDF.nil:
        if node in seen:
            raise ShapesError(f"shape {owner}: RDF list is cyclic", owner)
        seen.add(node)
        firsts = list(g.objects(node, RDF.first))
        rests = list(g.objects(node, RDF.rest))
        if len(firsts) != 1 or len(rests) != 1:
            raise ShapesError(
                f"shape {owner}: malformed RDF list at {node.n3()} "
                f"({len(firsts)} rdf:first, {len(rests)} rdf:rest)",
                owner,
            )
        items.append(firsts[0])
        node = rests[0]
    return items


def read_path(g: rdflib.Graph, node: rdflib.term.Node, owner: str) -> Path:
    """Parse the SHACL path rooted at ``node``."""
    if isinstance(node, rdflib.URIRef):
        return Path("pred", str(node))
    if isinstance(node, rdflib.Literal):
        raise ShapesError(f"shape {owner}: sh:path is a literal", owner)
    if (node, RDF.first, None) in g:
        parts = tuple(read_path(g, n, owner) for n in read_list(g, node, owner))
        if len(parts) < 2:
            raise ShapesError(f"shape {owner}: a sequence path needs at least two members", owner)
        return Path("seq", parts=parts)
    for pred, kind in ((SH.inversePath, "inv"), (SH.zeroOrMorePath, "star"),
                       (SH.oneOrMorePath, "plus"), (SH.zeroOrOnePath, "opt")):
        obj = g.value(node, pred)
        if obj is not None:
            return Path(kind, parts=(read_path(g, obj, owner),))
    alt = g.value(node, SH.alternativePath)
    if alt is not None:
        parts = tuple(read_path(g, n, owner) for n in read_list(g, alt, owner))
        if len(parts) < 2:
            raise ShapesError(f"shape {owner}: an alternative path needs at least two members", owner)
        return Path("alt", parts=parts)
    raise ShapesError(f"shape {owner}: unrecognised sh:path structure", owner)


def _atom(p: Path) -> str:
    s = to_sparql(p)
    return f"({s})" if p.kind in ("seq", "alt") else s


def to_sparql(p: Path) -> str:
    """SPARQL 1.1 property-path syntax with full <IRIs>; also the result-string form of complex paths."""
    if p.kind == "pred":
        return f"<{p.iri}>"
    if p.kind == "inv":
        return "^" + _atom(p.parts[0])
    if p.kind == "seq":
        return "/".join(_atom(x) for x in p.parts)
    if p.kind == "alt":
        return "|".join(_atom(x) for x in p.parts)
    suffix = {"star": "*", "plus": "+", "opt": "?"}[p.kind]
    inner = p.parts[0]
    return (f"({to_sparql(inner)})" if inner.kind != "pred" else to_sparql(inner)) + suffix


def path_str(p: Path) -> str:
    """Result form: the bare IRI for a predicate path, SPARQL path syntax otherwise."""
    return p.iri if p.kind == "pred" and p.iri is not None else to_sparql(p)
