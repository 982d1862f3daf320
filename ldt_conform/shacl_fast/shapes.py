"""Compiles an rdflib shapes graph into Shape records the evaluator runs (and finds what it cannot run)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, RDFS, SH

from ldt_conform.shacl_fast.errors import ShapesError
from ldt_conform.shacl_fast.paths import Path, read_list, read_path
from ldt_conform.shacl_fast.terms import OxTerm, from_rdflib, to_rdflib
from ldt_conform.shacl_fast.values import compile_pattern

SHNS = str(SH)
VIOLATION = SHNS + "Violation"

# Parameters that make a shape a SHACL-SPARQL (or otherwise non-core) shape.
UNSUPPORTED_PREDICATES: dict[rdflib.URIRef, str] = {
    SH.sparql: "SHACL-SPARQL constraint (sh:sparql)",
    SH.target: "SHACL-AF/SPARQL target (sh:target)",
    SH.rule: "SHACL-AF rule (sh:rule)",
    SH.js: "SHACL-JS constraint",
}

SHAPE_REFS = (SH.node, SH.property, SH["not"], SH.qualifiedValueShape)
LIST_REFS = (SH["and"], SH["or"], SH.xone)
TARGET_PREDS = (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf)


@dataclass(slots=True)
class Constraint:
    """One constraint: its component IRI, a short kind tag the evaluator dispatches on, and parameters."""

    component: str
    kind: str
    param: Any


@dataclass(eq=False, slots=True)
class Shape:
    node: rdflib.term.Node
    key: str
    path: Path | None = None
    target_nodes: list[OxTerm] = field(default_factory=list)
    target_classes: list[str] = field(default_factory=list)
    target_subjects_of: list[str] = field(default_factory=list)
    target_objects_of: list[str] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)
    severity: str = VIOLATION
    message: str | None = None
    deactivated: bool = False

    @property
    def has_targets(self) -> bool:
        return bool(self.target_nodes or self.target_classes or self.target_subjects_of or self.target_objects_of)

    def __hash__(self) -> int:
        return id(self)


def shape_key(node: rdflib.term.Node) -> str:
    """Public id of a shape: its IRI, or "_:" + its rdflib blank-node label."""
    return "_:" + str(node) if isinstance(node, rdflib.BNode) else str(node)


def pick_message(messages: list[rdflib.term.Node]) -> str | None:
    """First sh:message, preferring a language-neutral one, then English; deterministic."""
    lits = [m for m in messages if isinstance(m, rdflib.Literal)]
    if not lits:
        return None
    plain = sorted(str(m) for m in lits if not m.language)
    if plain:
        return plain[0]
    en = sorted(str(m) for m in lits if m.language and m.language.lower().startswith("en"))
    if en:
        return en[0]
    return sorted(str(m) for m in lits)[0]


def shape_nodes(g: rdflib.Graph) -> set[rdflib.term.Node]:
    """Every node that the shapes graph uses as a shape (typed, targeted or referenced)."""
    nodes: set[rdflib.term.Node] = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
    for p in TARGET_PREDS:
        nodes.update(g.subjects(p, None))
    for p in SHAPE_REFS:
        nodes.update(g.objects(None, p))
    for p in LIST_REFS:
        for owner, head in g.subject_objects(p):
            nodes.update(read_list(g, head, shape_key(owner)))
    return {n for n in nodes if not isinstance(n, rdflib.Literal)}


def _is_class(g: rdflib.Graph, node: rdflib.term.Node) -> bool:
    # Mirrors pyshacl: implicit targets when the shape is typed rdfs:Class or a declared subclass of it.
    class_types = set(g.subjects(RDFS.subClassOf, RDFS.Class)) | {RDFS.Class}
    return any(t in class_types for t in g.objects(node, RDF.type))


# Parameters that take at most one value per shape (SHACL 4.x syntax rules; pyshacl refuses more too).
SINGLE_VALUED = (SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, SH.minLength, SH.maxLength,
                 SH.minExclusive, SH.minInclusive, SH.maxExclusive, SH.maxInclusive, SH.flags, SH.closed,
                 SH.uniqueLang, SH.languageIn, SH["in"], SH.qualifiedMinCount, SH.qualifiedMaxCount,
                 SH.qualifiedValueShapesDisjoint, SH.deactivated, SH.severity, SH.path)


def _check_single_valued(g: rdflib.Graph, node: rdflib.term.Node) -> None:
    for pred in SINGLE_VALUED:
        vals = list(g.objects(node, pred))
        if len(vals) > 1:
            key = shape_key(node)
            raise ShapesError(f"shape {key}: {pred.n3()} has {len(vals)} values; at most one is allowed", key)


def _int(g: rdflib.Graph, node: rdflib.term.Node, pred: rdflib.URIRef) -> int | None:
    v = g.value(node, pred)
    if v is None:
        return None
    if not isinstance(v, rdflib.Literal) or not isinstance(v.value, int):
        raise ShapesError(f"shape {shape_key(node)}: {pred.n3()} must be an integer", shape_key(node))
    return int(v.value)


class ShapesCompiler:
    """Turns shape nodes into Shape records, sharing one record per node so references form a graph."""

    def __init__(self, g: rdflib.Graph) -> None:
        self.g = g
        self.shapes: dict[rdflib.term.Node, Shape] = {}
        self._property_parents: dict[rdflib.term.Node, list[rdflib.term.Node]] = {}
        for parent, child in g.subject_objects(SH.property):
            self._property_parents.setdefault(child, []).append(parent)

    def compile_all(self, skip: frozenset[str] = frozenset()) -> list[Shape]:
        """Compile every shape; return those that have targets, in a stable order."""
        out = []
        for node in sorted(shape_nodes(self.g), key=shape_key):
            if shape_key(node) in skip:
                continue
            shape = self.shape(node)
            if shape.has_targets and not shape.deactivated:
                out.append(shape)
        return out

    def _ref(self, node: rdflib.term.Node, owner: rdflib.term.Node, pred: rdflib.URIRef) -> Shape:
        if isinstance(node, rdflib.Literal):
            raise ShapesError(f"shape {shape_key(owner)}: {pred.n3()} points at a literal", shape_key(owner))
        if (node, None, None) not in self.g:
            raise ShapesError(
                f"shape {shape_key(owner)}: {pred.n3()} points at {shape_key(node)}, which is not defined "
                "in the shapes graph (no triples)", shape_key(owner))
        return self.shape(node)

    def shape(self, node: rdflib.term.Node) -> Shape:
        got = self.shapes.get(node)
        if got is not None:
            return got
        g, key = self.g, shape_key(node)
        _check_single_valued(g, node)
        shape = self.shapes[node] = Shape(node=node, key=key)
        paths = list(g.objects(node, SH.path))
        if len(paths) > 1:
            raise ShapesError(f"shape {key}: more than one sh:path", key)
        if paths:
            shape.path = read_path(g, paths[0], key)
        elif (node, RDF.type, SH.PropertyShape) in g or node in self._property_parents:
            raise ShapesError(f"property shape {key} has no sh:path", key)
        shape.target_nodes = [from_rdflib(t) for t in g.objects(node, SH.targetNode)]
        shape.target_classes = [str(c) for c in g.objects(node, SH.targetClass)]
        if _is_class(g, node) and isinstance(node, rdflib.URIRef):
            shape.target_classes.append(str(node))
        shape.target_subjects_of = [str(p) for p in g.objects(node, SH.targetSubjectsOf)]
        shape.target_objects_of = [str(p) for p in g.objects(node, SH.targetObjectsOf)]
        sev = g.value(node, SH.severity)
        shape.severity = str(sev) if sev is not None else VIOLATION
        shape.message = pick_message(list(g.objects(node, SH.message)))
        deact = g.value(node, SH.deactivated)
        shape.deactivated = isinstance(deact, rdflib.Literal) and deact.value is True
        shape.constraints = self._constraints(node, shape)
        return shape

    def _constraints(self, node: rdflib.term.Node, shape: Shape) -> list[Constraint]:
        g, key = self.g, shape.key
        cs: list[Constraint] = []

        def add(name: str, kind: str, param: Any) -> None:
            cs.append(Constraint(SHNS + name + "ConstraintComponent", kind, param))

        for c in g.objects(node, SH["class"]):
            add("Class", "class", str(c))
        for d in g.objects(node, SH.datatype):
            add("Datatype", "datatype", str(d))
        for k in g.objects(node, SH.nodeKind):
            add("NodeKind", "nodeKind", str(k))
        if shape.path is not None:
            for pred, name in ((SH.minCount, "MinCount"), (SH.maxCount, "MaxCount")):
                n = _int(g, node, pred)
                if n is not None:
                    add(name, name[0].lower() + name[1:], n)
        for pred, name, op in ((SH.minExclusive, "MinExclusive", ">"), (SH.minInclusive, "MinInclusive", ">="),
                               (SH.maxExclusive, "MaxExclusive", "<"), (SH.maxInclusive, "MaxInclusive", "<=")):
            for b in g.objects(node, pred):
                add(name, "range", (b, op))
        for pred, name, is_min in ((SH.minLength, "MinLength", True), (SH.maxLength, "MaxLength", False)):
            n = _int(g, node, pred)
            if n is not None:
                add(name, "length", (n, is_min))
        flags = g.value(node, SH.flags)
        for pat in g.objects(node, SH.pattern):
            add("Pattern", "pattern", compile_pattern(str(pat), str(flags) if flags is not None else None))
        for lst in g.objects(node, SH.languageIn):
            add("LanguageIn", "languageIn", frozenset(str(x).lower() for x in read_list(g, lst, key)))
        if shape.path is not None:
            ul = g.value(node, SH.uniqueLang)
            # Only the literal true activates it: "1"^^xsd:boolean is ignored (W3C core/property/uniqueLang-002).
            # That is visible only in a shapes graph read with its literal forms kept (read_shapes()).
            if isinstance(ul, rdflib.Literal) and ul.value is True and str(ul) == "true":
                add("UniqueLang", "uniqueLang", True)
        for pred, name in ((SH.equals, "Equals"), (SH.disjoint, "Disjoint")):
            for p in g.objects(node, pred):
                add(name, name.lower(), str(p))
        if shape.path is not None:
            for pred, name in ((SH.lessThan, "LessThan"), (SH.lessThanOrEquals, "LessThanOrEquals")):
                for p in g.objects(node, pred):
                    add(name, name[0].lower() + name[1:], str(p))
        for s in g.objects(node, SH["not"]):
            add("Not", "not", self._ref(s, node, SH["not"]))
        for pred, name in ((SH["and"], "And"), (SH["or"], "Or"), (SH.xone, "Xone")):
            for lst in g.objects(node, pred):
                members = [self._ref(m, node, pred) for m in read_list(g, lst, key)]
                add(name, name.lower(), members)
        for s in g.objects(node, SH.node):
            add("Node", "node", self._ref(s, node, SH.node))
        for s in g.objects(node, SH.property):
            cs.append(Constraint(SHNS + "PropertyConstraintComponent", "property", self._ref(s, node, SH.property)))
        if shape.path is not None:
            for q in g.objects(node, SH.qualifiedValueShape):
                qmin = _int(g, node, SH.qualifiedMinCount)
                qmax = _int(g, node, SH.qualifiedMaxCount)
                disj = g.value(node, SH.qualifiedValueShapesDisjoint)
                siblings: list[Shape] = []
                if isinstance(disj, rdflib.Literal) and disj.value is True:
                    for parent in self._property_parents.get(node, []):
                        for sib_ps in g.objects(parent, SH.property):
                            for sib_q in g.objects(sib_ps, SH.qualifiedValueShape):
                                if sib_ps != node and sib_q != q:
                                    siblings.append(self._ref(sib_q, sib_ps, SH.qualifiedValueShape))
                qshape = self._ref(q, node, SH.qualifiedValueShape)
                if qmin is not None:
                    cs.append(Constraint(SHNS + "QualifiedMinCountConstraintComponent", "qualifiedMin",
                                         (qshape, qmin, siblings)))
                if qmax is not None:
                    cs.append(Constraint(SHNS + "QualifiedMaxCountConstraintComponent", "qualifiedMax",
                                         (qshape, qmax, siblings)))
        closed = g.value(node, SH.closed)
        if isinstance(closed, rdflib.Literal) and closed.value is True:
            allowed = {str(p) for ps in g.objects(node, SH.property) for p in g.objects(ps, SH.path)
                       if isinstance(p, rdflib.URIRef)}
            for lst in g.objects(node, SH.ignoredProperties):
                allowed.update(str(x) for x in read_list(g, lst, key))
            add("Closed", "closed", frozenset(allowed))
        for v in g.objects(node, SH.hasValue):
            add("HasValue", "hasValue", from_rdflib(v))
        for lst in g.objects(node, SH["in"]):
            add("In", "in", tuple(from_rdflib(x) for x in read_list(g, lst, key)))
        return cs


def unsupported_shapes(g: rdflib.Graph) -> dict[str, str]:
    """Shapes the fast engine cannot evaluate, with the reason; shapes that reference them are included."""
    direct: dict[rdflib.term.Node, str] = {}
    custom_params = set()
    for comp in g.subjects(RDF.type, SH.ConstraintComponent):
        for param in g.objects(comp, SH.parameter):
            for p in g.objects(param, SH.path):
                custom_params.add(p)
    nodes = shape_nodes(g) | set(g.subjects(SH.sparql, None)) | set(g.subjects(SH.target, None))
    for node in nodes:
        for pred, reason in UNSUPPORTED_PREDICATES.items():
            if (node, pred, None) in g:
                direct[node] = reason
        for p in custom_params:
            if (node, p, None) in g and not str(p).startswith(SHNS):
                direct[node] = f"custom constraint component parameter {p.n3()}"
    # A shape that refers to an unsupported shape cannot be evaluated in part, so it goes along; and the shapes an
    # unsupported shape refers to (its property shapes, sh:node, ...) go with it, or pyshacl would get them
    # deactivated and the unsupported shape would check nothing (a rule with a SPARQL target passed).
    result = dict(direct)
    changed = True
    while changed:
        changed = False
        for node in nodes:
            refs = _shape_refs(g, node)
            if node not in result:
                bad = [r for r in refs if r in result]
                if bad:
                    result[node] = f"refers to unsupported shape {shape_key(bad[0])}"
                    changed = True
            if node in result:
                for ref in refs:
                    if ref not in result and not isinstance(ref, rdflib.Literal):
                        result[ref] = f"used by unsupported shape {shape_key(node)}"
                        changed = True
    return {shape_key(n): r for n, r in result.items()}


def _shape_refs(g: rdflib.Graph, node: rdflib.term.Node) -> list[rdflib.term.Node]:
    refs: list[rdflib.term.Node] = []
    for p in SHAPE_REFS:
        refs.extend(g.objects(node, p))
    for p in LIST_REFS:
        for head in g.objects(node, p):
            try:
                refs.extend(read_list(g, head, shape_key(node)))
            except ShapesError:
                pass
    return refs


class IndexedGraph(rdflib.Graph):
    """A read-only view of a shapes graph whose triple lookups are dict lookups.

    Compiling a profile's shapes asks the graph tens of thousands of questions of the form (shape, predicate, ?),
    most of them for constraint parameters the shape does not have. rdflib's memory store answers each through its
    context machinery, about 10 µs apiece; every Graph method the compiler uses (objects, value, subjects,
    subject_objects, `in`) is built on `triples`, so answering the patterns with a bound subject or predicate from
    dicts here serves all of them. The view is built once per compile; the graph must not change meanwhile."""

    def __init__(self, source: rdflib.Graph) -> None:
        super().__init__(store=source.store, identifier=source.identifier,
                         namespace_manager=source.namespace_manager)
        self._s: dict[Any, list[tuple[Any, Any]]] = {}
        self._sp: dict[tuple[Any, Any], list[Any]] = {}
        self._po: dict[tuple[Any, Any], list[Any]] = {}
        self._p: dict[Any, list[tuple[Any, Any]]] = {}
        for s, p, o in source.triples((None, None, None)):
            self._s.setdefault(s, []).append((p, o))
            self._sp.setdefault((s, p), []).append(o)
            self._po.setdefault((p, o), []).append(s)
            self._p.setdefault(p, []).append((s, o))

    def triples(self, triple: Any) -> Any:
        s, p, o = triple
        if p is not None and not isinstance(p, rdflib.URIRef):
            return super().triples(triple)  # a property path: rdflib evaluates it
        if s is not None and p is not None:
            return ((s, p, x) for x in self._sp.get((s, p), ()) if o is None or x == o)
        if p is not None:
            if o is not None:
                return ((x, p, o) for x in self._po.get((p, o), ()))
            return ((x, p, y) for x, y in self._p.get(p, ()))
        if s is not None:
            return ((s, x, y) for x, y in self._s.get(s, ()) if o is None or y == o)
        return super().triples(triple)


# Formats pyoxigraph parses here, in Rust: about a third of rdflib's own parser's time for a profile's shapes (0.045 s
# against 0.15 s for dcat-ap-3's 22 files). Others (RDF/XML, JSON-LD, TriG) go through rdflib.
_OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}


def read_shapes(sources: Iterable[tuple[str, str]]) -> rdflib.Graph:
    """Parse shapes files (path or file URI, rdflib format) keeping literals as written.

    rdflib normalises literals by default ("1"^^xsd:boolean becomes "true"), which hides what SHACL must see
    in a shapes graph; the flag is global, so it is switched off only while these files are parsed.
    """
    graph = rdflib.Graph()
    previous = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        for source, fmt in sources:
            if fmt in _OX_FORMATS:
                _parse_with_oxigraph(graph, source, fmt)
            else:
                graph.parse(source, format=fmt)
    finally:
        rdflib.NORMALIZE_LITERALS = previous
    return graph


def _parse_with_oxigraph(graph: rdflib.Graph, source: str, fmt: str) -> None:
    """Add one Turtle or N-Triples file to `graph` as rdflib's parser would: the file's URI as base, fresh blank
    nodes per file (renamed by the parser), literals as written, its prefixes bound in order."""
    from pathlib import Path as FilePath
    from urllib.parse import unquote, urlparse

    path = FilePath(unquote(urlparse(source).path)) if source.startswith("file:") else FilePath(source)
    with path.open("rb") as handle:
        parser = ox.parse(handle, format=_OX_FORMATS[fmt], base_iri=path.resolve().as_uri(), rename_blank_nodes=True)
        graph.addN((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), graph) for q in parser)
        for prefix, namespace in parser.prefixes.items():
            graph.bind(prefix, namespace)
