"""The data side: a pyoxigraph store with datatype-preserving load, budgeted queries and shared scan caches."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator, Sequence

import pyoxigraph as ox

from ldt_conform.shacl_fast.errors import BudgetExceeded
from ldt_conform.shacl_fast.paths import Path, to_sparql
from ldt_conform.shacl_fast.terms import OxTerm, encode_quads

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
CHUNK = 400  # focus nodes per VALUES block: big enough to amortise parsing, small enough to stay cheap


def load_store(data: ox.Store | Iterable[ox.Quad], store_path: str | None = None) -> ox.Store:
    """Return a store holding ``data``; quads are copied with typed literals encoded (see terms.py)."""
    if isinstance(data, ox.Store):
        return data
    store = ox.Store(store_path) if store_path else ox.Store()
    store.extend(encode_quads(data))
    return store


class Data:
    """Query gateway over one store: every query goes through :meth:`rows`, which enforces the time budget."""

    def __init__(self, store: ox.Store, deadline: float | None) -> None:
        self.store = store
        self.deadline = deadline
        self.current_shape = "?"
        self.lock = threading.Lock()
        self._instances: dict[str, set[OxTerm]] = {}
        self._subjects: dict[str, set[OxTerm]] = {}
        self._scans: dict[tuple[str, str], list[tuple[OxTerm, OxTerm]]] = {}
        self._pairs: dict[str, dict[OxTerm, list[OxTerm]]] = {}
        self._over: dict[tuple[str, int], set[OxTerm]] = {}
        self._has: dict[tuple[str, OxTerm], set[OxTerm]] = {}

    def check_budget(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise BudgetExceeded(f"time budget exhausted while evaluating shape {self.current_shape}",
                                 self.current_shape)

    def rows(self, query: str, subs: dict[ox.Variable, OxTerm] | None = None) -> Iterator[ox.QuerySolution]:
        self.check_budget()
        sols = self.store.query(query, use_default_graph_as_union=True, substitutions=subs)
        assert isinstance(sols, ox.QuerySolutions)
        n = 0
        for row in sols:
            n += 1
            if not n & 0xFFF:
                self.check_budget()
            yield row

    # --- focus-independent caches (shared by every shape that asks the same question) ---

    def instances(self, cls: str) -> set[OxTerm]:
        got = self._instances.get(cls)
        if got is None:
            q = f"SELECT DISTINCT ?x WHERE {{ ?x {RDF_TYPE}/{SUBCLASS}* <{cls}> }}"
            got = self._instances[cls] = {r[0] for r in self.rows(q)}
        return got

    def subjects(self, pred: str) -> set[OxTerm]:
        got = self._subjects.get(pred)
        if got is None:
            got = self._subjects[pred] = {r[0] for r in self.rows(f"SELECT DISTINCT ?s WHERE {{ ?s <{pred}> ?o }}")}
        return got

    def objects_of(self, pred: str) -> set[OxTerm]:
        return {r[0] for r in self.rows(f"SELECT DISTINCT ?o WHERE {{ ?s <{pred}> ?o }}")}

    def scan(self, pred: str, expr: str) -> list[tuple[OxTerm, OxTerm]]:
        """(subject, value) pairs of ``pred`` whose value may fail; ``expr`` is a SPARQL filter over ?v."""
        key = (pred, expr)
        got = self._scans.get(key)
        if got is None:
            q = f"SELECT ?s ?v WHERE {{ ?s <{pred}> ?v FILTER({expr}) }}"
            got = self._scans[key] = [(r[0], r[1]) for r in self.rows(q)]
        return got

    def pairs(self, pred: str) -> dict[OxTerm, list[OxTerm]]:
        got = self._pairs.get(pred)
        if got is None:
            got = {}
            for r in self.rows(f"SELECT ?s ?v WHERE {{ ?s <{pred}> ?v }}"):
                s = r[0]
                lst = got.get(s)
                if lst is None:
                    got[s] = [r[1]]
                else:
                    lst.append(r[1])
            self._pairs[pred] = got
        return got

    def over_count(self, pred: str, k: int) -> set[OxTerm]:
        """Subjects with more than ``k`` distinct values of ``pred``."""
        key = (pred, k)
        got = self._over.get(key)
        if got is None:
            q = (f"SELECT ?s WHERE {{ ?s <{pred}> ?o }} GROUP BY ?s HAVING (COUNT(DISTINCT ?o) > {k})")
            got = self._over[key] = {r[0] for r in self.rows(q)}
        return got

    def having_value(self, pred: str, value: OxTerm) -> set[OxTerm]:
        key = (pred, value)
        got = self._has.get(key)
        if got is None:
            q = "SELECT DISTINCT ?s ?v WHERE { ?s <%s> ?v }" % pred
            got = self._has[key] = {r[0] for r in self.rows(q, {ox.Variable("v"): value})}
        return got

    # --- focus-bound evaluation ---

    def path_values(self, path: Path, focus: Sequence[OxTerm]) -> dict[OxTerm, list[OxTerm]]:
        """Distinct value nodes of ``path`` for each focus node (every focus node gets an entry)."""
        out: dict[OxTerm, list[OxTerm]] = {f: [] for f in focus}
        if not out:
            return out
        if path.is_predicate and len(out) > CHUNK:
            allp = self.pairs(path.iri or "")
            for f in out:
                vals = allp.get(f)
                if vals:
                    out[f] = list(dict.fromkeys(vals))
            return out
        sp = to_sparql(path)
        bound = [f for f in out if type(f) is not ox.BlankNode]
        for i in range(0, len(bound), CHUNK):
            chunk = bound[i:i + CHUNK]
            vals = " ".join(str(f) for f in chunk)
            q = f"SELECT DISTINCT ?this ?v WHERE {{ VALUES ?this {{ {vals} }} ?this {sp} ?v }}"
            for r in self.rows(q):
                out[r[0]].append(r[1])
        var = ox.Variable("this")
        for f in out:
            if type(f) is ox.BlankNode:
                # Blank nodes cannot be written into query text, so they are bound by substitution.
                q = f"SELECT DISTINCT ?this ?v WHERE {{ ?this {sp} ?v }}"
                out[f] = [r[1] for r in self.rows(q, {var: f})]
        return out

    def triples_of(self, focus: Iterable[OxTerm]) -> dict[OxTerm, list[tuple[str, OxTerm]]]:
        """All outgoing (predicate, object) pairs of each focus node (for sh:closed)."""
        out: dict[OxTerm, list[tuple[str, OxTerm]]] = {}
        var = ox.Variable("s")
        for f in focus:
            if type(f) is ox.Literal:
                out[f] = []
                continue
            out[f] = [(r[1].value, r[2]) for r in self.rows("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", {var: f})]
        return out

    def focus_nodes(self, target_nodes: Sequence[OxTerm], classes: Sequence[str],
                    subjects_of: Sequence[str], objects_of: Sequence[str]) -> set[OxTerm]:
        nodes: set[OxTerm] = set(target_nodes)
        for c in classes:
            nodes |= self.instances(c)
        for p in subjects_of:
            nodes |= self.subjects(p)
        for p in objects_of:
            nodes |= self.objects_of(p)
        return nodes
