"""Evaluates compiled shapes over the data: set-at-a-time, with SPARQL scans for the common simple-path case."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from collections.abc import Set as AbstractSet
from typing import Literal, overload

import pyoxigraph as ox
import rdflib

from ldt_conform.shacl_fast.data import Data
from ldt_conform.shacl_fast.filters import VALUE_KINDS, constraint_expr
from ldt_conform.shacl_fast.paths import Path, path_str, to_sparql
from ldt_conform.shacl_fast.shapes import SHNS, Constraint, Shape
from ldt_conform.shacl_fast.terms import OxTerm
from ldt_conform.shacl_fast.values import (datatype_ok, lang_in_ok, length_ok, pattern_ok, range_ok,
                                           rdflib_node)

# (focus, path string, value, shape, component): results before they are rendered to strings.
Raw = tuple[OxTerm, "str | None", "OxTerm | None", Shape, str]

EXACT_KINDS = frozenset({"class", "nodeKind"})
SMALL = 100  # focus sets up to this size are bound with VALUES instead of scanning whole predicates

NODE_KIND_OK = {
    SHNS + "IRI": (ox.NamedNode,),
    SHNS + "BlankNode": (ox.BlankNode,),
    SHNS + "Literal": (ox.Literal,),
    SHNS + "BlankNodeOrIRI": (ox.NamedNode, ox.BlankNode),
    SHNS + "BlankNodeOrLiteral": (ox.BlankNode, ox.Literal),
    SHNS + "IRIOrLiteral": (ox.NamedNode, ox.Literal),
}


class Evaluator:
    """Runs shapes; remembers per shape which nodes conform so nested shapes are evaluated once per node."""

    def __init__(self, data: Data) -> None:
        self.data = data
        self._conforms: dict[int, dict[OxTerm, bool]] = {}

    # --- conformance of nodes to nested shapes ---

    def failing(self, shape: Shape, nodes: Collection[OxTerm]) -> set[OxTerm]:
        """The subset of ``nodes`` that do not conform to ``shape`` (any result counts, whatever its severity)."""
        memo = self._conforms.setdefault(id(shape), {})
        todo = [n for n in nodes if n not in memo]
        if todo:
            for n in todo:
                memo[n] = True  # provisional: a recursive reference to the same shape sees "conforms"
            bad = {r[0] for r in self.run(shape, todo)}
            for n in todo:
                memo[n] = n not in bad
        return {n for n in nodes if not memo[n]}

    # --- shapes ---

    def run(self, shape: Shape, focus: Collection[OxTerm], pattern: str | None = None) -> list[Raw]:
        """Results of ``shape`` on ``focus``; ``pattern`` is a SPARQL group binding ?this to the same nodes."""
        if shape.deactivated or not focus:
            return []
        d = self.data
        d.check_budget()
        outer, d.current_shape = d.current_shape, shape.key  # so a budget error names the innermost shape
        try:
            if shape.path is None:
                return self._node_shape(shape, focus, pattern)
            return self._property_shape(shape, shape.path, focus, pattern)
        finally:
            d.current_shape = outer

    def _node_shape(self, shape: Shape, focus: Collection[OxTerm], pattern: str | None) -> list[Raw]:
        out: list[Raw] = []
        for c in shape.constraints:
            out.extend(_handler(c, node_shape=True)(self, shape, c, focus, pattern))
        return out

    def _n_value(self, shape: Shape, c: Constraint, focus: Collection[OxTerm], pattern: str | None) -> list[Raw]:
        return [(v, None, v, shape, c.component) for v in self._value_failures(c, set(focus))]

    def _n_property(self, shape: Shape, c: Constraint, focus: Collection[OxTerm], pattern: str | None) -> list[Raw]:
        return self.run(c.param, focus, pattern)

    def _n_has_value(self, shape: Shape, c: Constraint, focus: Collection[OxTerm], pattern: str | None) -> list[Raw]:
        want = rdflib_node(c.param)
        return [(f, None, None, shape, c.component) for f in focus if rdflib_node(f) != want]

    def _n_pair(self, shape: Shape, c: Constraint, focus: Collection[OxTerm], pattern: str | None) -> list[Raw]:
        """sh:equals / sh:disjoint on a node shape: the focus node itself against the values of the predicate."""
        vals = self.data.path_values(Path("pred", c.param), list(focus))
        out: list[Raw] = []
        for f in focus:
            other = set(vals[f])
            diff = (({f} - other) | (other - {f})) if c.kind == "equals" else {f} & other
            out.extend((f, None, v, shape, c.component) for v in diff)
        return out

    def _n_closed(self, shape: Shape, c: Constraint, focus: Collection[OxTerm], pattern: str | None) -> list[Raw]:
        return self._closed(shape, c, {f: [f] for f in focus}, None)

    def _property_shape(self, shape: Shape, path: Path, focus: Collection[OxTerm], pattern: str | None) -> list[Raw]:
        fset = focus if isinstance(focus, (set, frozenset)) else set(focus)
        # For cardinalities, predicate-wide answers (cached, shared across shapes) win as soon as the
        # focus set is not tiny; tiny focus sets are bound with VALUES instead.
        fast = path.is_predicate and len(fset) > SMALL
        if pattern is None and len(fset) <= SMALL and not any(type(f) is ox.BlankNode for f in fset):
            pattern = "VALUES ?this { " + " ".join(str(f) for f in fset) + " }"
        if path.nullable:
            pattern = None  # zero-length matches need path_values (see Data.path_values)
        scope = _Scope(self.data, shape, path, fset, path_str(path), to_sparql(path), pattern, fast, path.iri or "")
        out: list[Raw] = []
        for c in shape.constraints:
            out.extend(_handler(c, node_shape=False)(self, scope, c))
        return out

    def _p_value(self, x: _Scope, c: Constraint) -> list[Raw]:
        d, shape, comp, kind = self.data, x.shape, c.component, c.kind
        # Without a known filter every value is a candidate ("true"): scanning the predicate
        # still beats materialising the values of every focus node.
        known = constraint_expr(c)
        expr = known or "true"
        exact = known is not None and kind in EXACT_KINDS
        if x.path.is_predicate or x.pattern is not None:
            # Predicate paths always use the shared scan: one pass per predicate answers every
            # shape's value constraints at once, whatever the size of each focus set.
            if x.path.is_predicate:
                cand = [(s, v) for s, v in d.scan(x.pred, expr) if s in x.fset]
            else:
                body = f"?this {x.sp} ?v . FILTER({expr})"
                cand = [(r[0], r[1]) for r in d.pattern_rows(x.pattern or "", body)]
            if not cand:
                return []
            # Class and node kind filters are exact in SPARQL; the rest are pre-filters.
            vals = {v for _, v in cand}
            bad = vals if exact else self._value_failures(c, vals)
            return [(s, x.pstr, v, shape, comp) for s, v in cand if v in bad]
        vm = x.values()
        allv = {v for vs in vm.values() for v in vs}
        bad = self._value_failures(c, allv)
        return [(f, x.pstr, v, shape, comp) for f, vs in vm.items() for v in vs if v in bad] if bad else []

    def _p_min_count(self, x: _Scope, c: Constraint) -> list[Raw]:
        d, n, pattern = self.data, c.param, x.pattern
        if n <= 0:
            return []
        if n == 1 and pattern is not None:
            if x.fast and pattern in d.min_preds:
                missing: Iterable[OxTerm] = d.missing(pattern, x.pred)
            else:
                body = f"FILTER NOT EXISTS {{ ?this {x.sp} ?o_ }}"
                missing = [r[0] for r in d.pattern_rows(pattern, body, "?this")]
        elif x.fast and n == 1:
            missing = x.fset - d.subjects(x.pred)
        else:
            missing = [f for f, vs in x.values().items() if len(vs) < n]
        return [(f, x.pstr, None, x.shape, c.component) for f in missing]

    def _p_max_count(self, x: _Scope, c: Constraint) -> list[Raw]:
        d = self.data
        if x.fast:
            over: Iterable[OxTerm] = x.fset & d.over_count(x.pred, c.param)
        elif x.pattern is not None:
            q = (f"SELECT ?this WHERE {{ {x.pattern} ?this {x.sp} ?o_ }} GROUP BY ?this "
                 f"HAVING (COUNT(DISTINCT ?o_) > {c.param})")
            over = [r[0] for r in d.rows(q)]
        else:
            over = [f for f, vs in x.values().items() if len(vs) > c.param]
        return [(f, x.pstr, None, x.shape, c.component) for f in over]

    def _p_has_value(self, x: _Scope, c: Constraint) -> list[Raw]:
        d = self.data
        if x.pattern is not None and type(c.param) is not ox.BlankNode:
            body = f"FILTER NOT EXISTS {{ ?this {x.sp} {c.param} }}"
            lacking: list[OxTerm] = [r[0] for r in d.pattern_rows(x.pattern, body, "?this")]
        else:
            lacking = list(x.fset)
        # The SPARQL test is on the exact term; pyshacl compares rdflib terms (normalised
        # literals), so the few focus nodes that seem to lack the value are checked that way.
        if lacking:
            want = rdflib_node(c.param)
            vm = x.values() if x.has_values or len(lacking) == len(x.fset) else d.path_values(x.path, lacking)
            lacking = [f for f in lacking if not any(rdflib_node(v) == want for v in vm.get(f, ()))]
        return [(f, x.pstr, None, x.shape, c.component) for f in lacking]

    def _p_property(self, x: _Scope, c: Constraint) -> list[Raw]:
        return self.run(c.param, {v for vs in x.values().values() for v in vs})

    def _p_unique_lang(self, x: _Scope, c: Constraint) -> list[Raw]:
        out: list[Raw] = []
        for f, vs in x.values().items():
            seen: set[str] = set()
            dup: set[str] = set()
            for v in vs:
                if type(v) is ox.Literal and v.language:
                    tag = v.language.lower()
                    (dup if tag in seen else seen).add(tag)
            out.extend((f, x.pstr, None, x.shape, c.component) for _ in dup)
        return out

    def _p_pair(self, x: _Scope, c: Constraint) -> list[Raw]:
        return self._pair(x.shape, c, x.values(), x.pstr)

    def _p_qualified(self, x: _Scope, c: Constraint) -> list[Raw]:
        return self._qualified(x.shape, c, x.values(), x.pstr)

    def _p_closed(self, x: _Scope, c: Constraint) -> list[Raw]:
        return self._closed(x.shape, c, x.values(), x.pstr)

    # --- constraint helpers ---

    def _value_failures(self, c: Constraint, vals: set[OxTerm]) -> set[OxTerm]:
        """Exact per-value evaluation of a value-based constraint, mirroring pyshacl."""
        if not vals:
            return set()
        k, p = c.kind, c.param
        if k == "class":
            return vals - self.data.instances_among(p, vals)
        if k == "datatype":
            return {v for v in vals if not datatype_ok(v, p)}
        if k == "nodeKind":
            ok = NODE_KIND_OK.get(p, ())
            return {v for v in vals if type(v) not in ok}
        if k == "range":
            bound, op = p
            return {v for v in vals if not range_ok(v, bound, op)}
        if k == "length":
            n, is_min = p
            return {v for v in vals if not length_ok(v, n, is_min)}
        if k == "pattern":
            return {v for v in vals if not pattern_ok(v, p)}
        if k == "languageIn":
            return {v for v in vals if not lang_in_ok(v, p)}
        if k == "in":
            # pyshacl compares rdflib terms, whose literals carry rdflib's normalised lexical form
            # ("01"^^xsd:integer equals 1), so membership is decided on that form too.
            allowed = {rdflib_node(t) for t in p}
            return {v for v in vals if rdflib_node(v) not in allowed}
        if k == "node":
            return self.failing(p, vals)
        if k == "not":
            return vals - self.failing(p, vals)
        if k == "and":
            bad: set[OxTerm] = set()
            for s in p:
                bad |= self.failing(s, vals)
            return bad
        if k == "or":
            bad = set(vals)
            for s in p:
                if not bad:
                    break
                bad &= self.failing(s, bad)
            return bad
        if k == "xone":
            counts = dict.fromkeys(vals, 0)
            for s in p:
                failed = self.failing(s, vals)
                for v in vals:
                    if v not in failed:
                        counts[v] += 1
            return {v for v, n in counts.items() if n != 1}
        raise UnknownConstraint(f"no evaluation for the value constraint kind '{k}' ({c.component})")

    def _pair(self, shape: Shape, c: Constraint, vmap: dict[OxTerm, list[OxTerm]], pstr: str) -> list[Raw]:
        other = self.data.path_values(Path("pred", c.param), list(vmap))
        out: list[Raw] = []
        comp = c.component
        for f, vs in vmap.items():
            mine, theirs = set(vs), set(other[f])
            if c.kind in ("equals", "disjoint"):
                # Compared as pyshacl does: on rdflib terms, whose literals are normalised.
                km = {rdflib_node(v): v for v in mine}
                kt = {rdflib_node(v): v for v in theirs}
                if c.kind == "equals":
                    diff = [km[k] for k in km.keys() - kt.keys()] + [kt[k] for k in kt.keys() - km.keys()]
                else:
                    diff = [km[k] for k in km.keys() & kt.keys()]
                out.extend((f, pstr, v, shape, comp) for v in diff)
            else:
                strict = c.kind == "lessThan"
                for v in mine:
                    if any(not _less(v, w, strict) for w in theirs):
                        out.append((f, pstr, v, shape, comp))
        return out

    def _qualified(self, shape: Shape, c: Constraint, vmap: dict[OxTerm, list[OxTerm]], pstr: str) -> list[Raw]:
        qshape, limit, siblings = c.param
        allv = {v for vs in vmap.values() for v in vs}
        ok = allv - self.failing(qshape, allv)
        for sib in siblings:
            ok -= allv - self.failing(sib, allv)
        out: list[Raw] = []
        for f, vs in vmap.items():
            n = sum(1 for v in vs if v in ok)
            if (c.kind == "qualifiedMin" and n < limit) or (c.kind == "qualifiedMax" and n > limit):
                out.append((f, pstr, None, shape, c.component))
        return out

    def _closed(self, shape: Shape, c: Constraint, vmap: dict[OxTerm, list[OxTerm]],
                pstr: str | None) -> list[Raw]:
        allv = {v for vs in vmap.values() for v in vs}
        triples = self.data.triples_of(allv)
        out: list[Raw] = []
        for f, vs in vmap.items():
            for v in vs:
                for p, o in triples[v]:
                    if p not in c.param:
                        out.append((f, p, o, shape, c.component))
        return out


def _cmp_form(term: OxTerm) -> object:
    node = rdflib_node(term)
    if isinstance(node, rdflib.URIRef):
        return str(node)
    if isinstance(node, rdflib.Literal) and isinstance(node.value, str):
        return node.value
    return node


def _less(v: OxTerm, w: OxTerm, strict: bool) -> bool:
    # Mirrors pyshacl's _compare_lt/_compare_ltoe: strings (IRIs, string literals) only compare with
    # strings; everything else with rdflib's literal ordering. Blank nodes never compare.
    if type(v) is ox.BlankNode or type(w) is ox.BlankNode:
        return False
    a, b = _cmp_form(v), _cmp_form(w)
    # rdflib.Literal subclasses str, so test for plain str explicitly.
    if (type(a) is str) != (type(b) is str):
        return False
    try:
        return bool(a < b) if strict else bool(a <= b)  # type: ignore[operator]
    except (TypeError, NotImplementedError):
        return False


class UnknownConstraint(RuntimeError):
    """A compiled constraint kind the evaluator has no handler for: a bug to report, never a silent "conforms"."""


class _Scope:
    """A property shape on one focus set: what every constraint handler of that shape needs, computed once."""

    def __init__(self, data: Data, shape: Shape, path: Path, fset: AbstractSet[OxTerm], pstr: str, sp: str,
                 pattern: str | None, fast: bool, pred: str) -> None:
        self.data, self.shape, self.path, self.fset, self.pstr, self.sp = data, shape, path, fset, pstr, sp
        self.pattern, self.fast, self.pred = pattern, fast, pred
        self._values: dict[OxTerm, list[OxTerm]] | None = None

    @property
    def has_values(self) -> bool:
        return self._values is not None

    def values(self) -> dict[OxTerm, list[OxTerm]]:
        """The path's values per focus node, materialised on first use (many constraints never need them)."""
        if self._values is None:
            self._values = self.data.path_values(self.path, list(self.fset))
        return self._values


NodeHandler = Callable[[Evaluator, Shape, Constraint, Collection[OxTerm], "str | None"], Iterable[Raw]]
PropertyHandler = Callable[[Evaluator, _Scope, Constraint], Iterable[Raw]]

# The one table of constraint kinds (the tags shapes.py compiles): how each is evaluated on a node shape and on a
# property shape. None: the compiler never produces that kind for that shape type. A kind missing here, or a None
# met at run time, raises UnknownConstraint instead of letting the constraint pass unevaluated.
DISPATCH: dict[str, tuple[NodeHandler | None, PropertyHandler | None]] = {
    **dict.fromkeys(VALUE_KINDS, (Evaluator._n_value, Evaluator._p_value)),
    "property": (Evaluator._n_property, Evaluator._p_property),
    "hasValue": (Evaluator._n_has_value, Evaluator._p_has_value),
    "equals": (Evaluator._n_pair, Evaluator._p_pair),
    "disjoint": (Evaluator._n_pair, Evaluator._p_pair),
    "closed": (Evaluator._n_closed, Evaluator._p_closed),
    "minCount": (None, Evaluator._p_min_count),
    "maxCount": (None, Evaluator._p_max_count),
    "uniqueLang": (None, Evaluator._p_unique_lang),
    "lessThan": (None, Evaluator._p_pair),
    "lessThanOrEquals": (None, Evaluator._p_pair),
    "qualifiedMin": (None, Evaluator._p_qualified),
    "qualifiedMax": (None, Evaluator._p_qualified),
}


@overload
def _handler(c: Constraint, *, node_shape: Literal[True]) -> NodeHandler: ...
@overload
def _handler(c: Constraint, *, node_shape: Literal[False]) -> PropertyHandler: ...
def _handler(c: Constraint, *, node_shape: bool) -> NodeHandler | PropertyHandler:
    on_node, on_property = DISPATCH.get(c.kind, (None, None))
    handler = on_node if node_shape else on_property
    if handler is None:
        raise UnknownConstraint(f"no evaluation for constraint kind '{c.kind}' ({c.component}) on a "
                                f"{'node' if node_shape else 'property'} shape")
    return handler
