"""The data side: a pyoxigraph store with datatype-preserving load, budgeted queries and shared, batched caches."""

from __future__ import annotations

import itertools
import queue
import threading
import time
from typing import Any, cast
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from ldt_conform.shacl_fast.errors import BudgetExceeded
from ldt_conform.shacl_fast.paths import Path, to_sparql
from ldt_conform.shacl_fast.terms import ENC_PREFIX, OxTerm, decode_term, encode_quads

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
CLOSURE = f"{RDF_TYPE}/{SUBCLASS}*"
LOAD_CHUNK = 1_000_000
# The pipelined load (load_pipelined) for a new store: with a second core free a whole 50,000-dataset check (2.5 M
# quads) measured 8 % faster, CPU 15 % higher. On a machine whose other core is busy it is up to 1.4x slower
# (docs/scale.md, "Pipelined load"). False switches back to the direct load, which stores exactly the same quads
# (tests/shacl_fast/test_load_pipeline.py).
PIPELINE = True
PIPE_AFTER = 5_000  # quads loaded directly before the pipeline starts: a tiny input starts no thread
# Quads per N-Quads chunk; each chunk is one Store.load transaction, and an open transaction holds about 250 bytes
# per quad until it commits. Chunks of 5,000 instead of 100,000 (and no 500,000-quad direct transaction first)
# lowered the load's peak from 336 to 212-214 MiB at 10,000 datasets and from 1,016-1,025 to 911 MiB at 50,000, the
# load as fast or faster (docs/scale.md, "Memory: small transactions"); the on-disk store alike.
PIPE_CHUNK = 5_000
PIPE_DEPTH = 2
PIPE_RAMP = 10  # the first chunk is PIPE_CHUNK / PIPE_RAMP quads
LONG_LINE = 4 * 1024 * 1024  # N-Quads lines rebuilt in Python when a chunk overflows the parser's 16 MiB buffer
_NQ = ox.RdfFormat.N_QUADS
CHUNK = 400  # focus nodes per VALUES block: big enough to amortise parsing, small enough to stay cheap


@dataclass(frozen=True)
class Prepared:
    """A store that already holds one input's quads in stored form: built once by the loader, read by every step."""

    store: ox.Store
    on_disk: bool = False

    def quads(self) -> Iterator[ox.Quad]:
        """The quads as parsed, literals decoded back to their original datatypes."""
        lit_type, quad_type = ox.Literal, ox.Quad
        for q in self.store:
            o = q.object
            if type(o) is lit_type and o.language is None and o.datatype.value.startswith(ENC_PREFIX):
                q = quad_type(q.subject, q.predicate, decode_term(o), q.graph_name)
            yield q


def prepare(quads: Iterable[ox.Quad], store_path: str | None = None, into: ox.Store | None = None) -> Prepared:
    """Stream parsed quads into a new store, or `into` an existing one (the later pages of a paged catalogue); a
    syntax error in the parser surfaces here, as SyntaxError."""
    return Prepared(load_store(quads, store_path, into), on_disk=store_path is not None)


def load_store(data: Prepared | ox.Store | Iterable[ox.Quad], store_path: str | None = None,
               into: ox.Store | None = None) -> ox.Store:
    """Return a store holding ``data``; quads are copied with typed literals encoded (see terms.py)."""
    if isinstance(data, Prepared):
        return data.store
    if isinstance(data, ox.Store):
        return data
    if into is not None:
        # A page of a paged catalogue goes in whole or not at all (paging.py relies on it): a page that fails to
        # parse half-way must add nothing to the store the earlier pages filled, so it takes the one-transaction path.
        load_direct(into, data)
        return into
    store = ox.Store(store_path) if store_path else ox.Store()
    if not PIPELINE:
        load_direct(store, data)
        return store
    # The first PIPE_AFTER quads go in directly: up to there the pipeline measured a few per cent slower (its extra
    # serialise and parse cost more than the overlap gains); the rest, if any, is pipelined.
    it = iter(data)
    load_direct(store, itertools.islice(it, PIPE_AFTER))
    rest = next(it, None)
    if rest is not None:
        load_pipelined(store, itertools.chain((rest,), it))
    return store


def load_direct(store: ox.Store, quads: Iterable[ox.Quad]) -> None:
    """Insert the quads through Store.extend on this thread, LOAD_CHUNK quads per transaction."""
    # extend() consumes a generator, so when ``quads`` is the iterator from pyoxigraph.parse no list of
    # Python quads ever exists. Each extend() is one transaction: small ones cost superlinear time (15 s
    # instead of 9 s at 2.4 M triples with 100 k), one huge one buffers the whole input (peak 1.55 GB
    # instead of 1.06 GB at 2.4 M); LOAD_CHUNK quads per transaction measured best of both.
    it = encode_quads(quads)
    while True:
        first = next(it, None)
        if first is None:
            return
        store.extend(itertools.chain((first,), itertools.islice(it, LOAD_CHUNK - 1)))


def load_pipelined(store: ox.Store, quads: Iterable[ox.Quad], chunk: int | None = None) -> None:
    """Insert the quads into a store no other thread writes to, overlapping this thread's Python work (parse,
    encode) with the store's own parse and insert on a second thread.

    Store.extend holds the GIL, Store.load releases it; so this thread cuts the encoded quads into chunks, has
    pyoxigraph serialise each to N-Quads (in Rust, straight from the generator: no list of quads), and the loader
    thread Store.loads chunk k while this thread encodes chunk k+1. The loader thread is joined before this returns
    or raises (a thread left behind would hang the processes shard.py forks); its error is raised here. A syntax
    error in the input is raised on this thread, by the parser, as before."""
    size = chunk or PIPE_CHUNK
    # The loader thread idles until the first chunk is ready, so the first one is small.
    sizes = itertools.chain((max(1, size // PIPE_RAMP),), itertools.repeat(size))
    it = encode_quads(quads)
    todo: queue.Queue[bytes | None] = queue.Queue(PIPE_DEPTH)
    failed: list[BaseException] = []

    def loader() -> None:
        # Takes every item until the end mark, even after a failure, so a put() on the other side never blocks.
        while (part := todo.get()) is not None:
            if failed:
                continue
            try:
                insert_nquads(store, part)
            except BaseException as exc:  # noqa: BLE001 - re-raised on the caller's thread
                failed.append(exc)

    worker = threading.Thread(target=loader, name="ldt-conform-load", daemon=True)
    worker.start()
    try:
        while not failed:
            part = ox.serialize(itertools.islice(it, next(sizes)), format=_NQ)
            if not part:
                break
            todo.put(part)
    finally:
        todo.put(None)
        worker.join()
    if failed:
        raise failed[0]


def insert_nquads(store: ox.Store, part: bytes) -> None:
    """Insert one N-Quads chunk written by pyoxigraph's serialiser, blank node labels kept."""
    try:
        _insert(store, part)
    except MemoryError:
        # A literal the input's parser took can outgrow the N-Quads parser's 16 MiB buffer once escaped (a raw
        # control character becomes six bytes, \u0001). Nothing of the chunk was stored (each load is one
        # transaction): its long lines are rebuilt here, the others loaded as usual.
        lines = part.split(b"\n")
        long = [line for line in lines if len(line) > LONG_LINE]
        if not long:
            raise
        _insert(store, b"\n".join([line for line in lines if len(line) <= LONG_LINE]))
        store.extend(_rebuilt(line) for line in long)


def _insert(store: ox.Store, part: bytes) -> None:
    # The chunks are pyoxigraph's own serialisation of quads its strict parser already accepted, so they are read
    # leniently (no IRI and language tag checks): the loader thread, the pipeline's slower side, took 7.6-7.9 s
    # instead of 10.0-11.4 s for the 2.5 M quads of 50,000 datasets (tests/shacl_fast/test_load_pipeline.py proves
    # the stored quads equal the direct load's).
    if b"_:" not in part:
        store.load(part, format=_NQ, lenient=True)
        return
    # Store.load gives every blank node a fresh label on each call, so a node cut across two chunks would become
    # two nodes. Lines naming one (and any whose text merely holds "_:") go through parse(), which keeps labels,
    # and extend(). The serialiser writes one quad per line: newlines inside literals are escaped.
    lines = part.split(b"\n")
    plain = [line for line in lines if b"_:" not in line]
    if plain:
        store.load(b"\n".join(plain), format=_NQ, lenient=True)
    store.extend(ox.parse(b"\n".join([line for line in lines if b"_:" in line]), format=_NQ, lenient=True))


def _rebuilt(line: bytes) -> ox.Quad:
    """The quad of one serialised N-Quads line whose literal is too long for the parser: the line is parsed with an
    empty literal, the literal's text unescaped here. Only the object can be a literal and no IRI or blank node label
    holds a quote, so the literal spans the first quote to the last one."""
    text = line.decode()
    start, end = text.index('"'), text.rindex('"')
    quad = next(iter(ox.parse((text[:start] + '""' + text[end + 1:]).encode(), format=_NQ)))
    obj = quad.object
    if type(obj) is not ox.Literal:  # a triple term holding the literal: as the parser said
        raise MemoryError(f"a literal of {end - start} bytes in a triple term is too large to load")
    # N-Triples escapes (\t \b \n \r \f \" \' \\ \uXXXX \UXXXXXXXX) are a subset of Python's; characters beyond
    # Latin-1 become \u escapes on the way there and come back as they were.
    value = text[start + 1:end].encode("latin-1", "backslashreplace").decode("unicode_escape")
    if obj.language is not None:
        lit = ox.Literal(value, language=obj.language, direction=obj.direction)
    else:
        lit = ox.Literal(value, datatype=obj.datatype)
    return ox.Quad(quad.subject, quad.predicate, lit, quad.graph_name)


class Data:
    """Query gateway over one store: every query goes through :meth:`rows`, which enforces the time budget.

    Caches are keyed by what the question depends on (a predicate, a class, a focus pattern), never by
    shape, so the many DCAT-AP shapes that ask the same thing of dct:title share one query.
    """

    def __init__(self, store: ox.Store, deadline: float | None) -> None:
        self.store = store
        self.deadline = deadline
        self.current_shape = "?"
        # Registered by the planner before evaluation so that related questions are batched.
        self.scan_exprs: dict[str, list[str]] = {}
        self.min_preds: dict[str, set[str]] = {}
        self.max1_preds: set[str] = set()
        self._instances: dict[str, set[OxTerm]] = {}
        self._subjects: dict[str, set[OxTerm]] = {}
        self._scans: dict[str, tuple[tuple[str, ...], list[tuple[OxTerm, OxTerm, tuple[bool, ...]]]]] = {}
        self._pairs: dict[str, dict[OxTerm, list[OxTerm]]] = {}
        self._over: dict[tuple[str, int], set[OxTerm]] = {}
        self._multi: set[str] | None = None
        self._missing: dict[str, dict[str, set[OxTerm]]] = {}
        self._has_subclass: bool | None = None
        self._used: dict[tuple[str, str | None], bool] = {}

    def check_budget(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise BudgetExceeded(f"time budget exhausted while evaluating shape {self.current_shape}",
                                 self.current_shape)

    def rows(self, query: str, subs: dict[ox.Variable, OxTerm] | None = None) -> list[ox.QuerySolution]:
        self.check_budget()
        if CLOSURE in query and not self.has_subclass():
            # Without rdfs:subClassOf triples the SHACL instance closure is the plain type lookup,
            # about a third cheaper per value.
            query = query.replace(CLOSURE, RDF_TYPE)
        # A SELECT query: its result is always QuerySolutions (the cast narrows the union pyoxigraph declares).
        sols = cast(ox.QuerySolutions, self.store.query(query, use_default_graph_as_union=True,
                                                       substitutions=cast(Any, subs)))
        try:
            out = list(sols)
        finally:
            # QuerySolutions must be freed on the thread that made it; an exception traceback would
            # otherwise carry it to the caller's thread (validate() re-raises there).
            del sols
        self.check_budget()
        return out

    # --- focus sets and their SPARQL patterns ---

    def used(self, pred: str, obj: str | None = None) -> bool:
        """Whether some triple of any graph has predicate ``pred`` (and object IRI ``obj``). A question about a
        predicate or class the data never uses has no answers: it is not asked (most shapes of a profile ask about
        terms a given input lacks, and each SPARQL query costs far more than this lookup)."""
        key = (pred, obj)
        got = self._used.get(key)
        if got is None:
            try:
                pattern = (None, ox.NamedNode(pred), None if obj is None else ox.NamedNode(obj), None)
            except ValueError:  # not an IRI pyoxigraph accepts: let the query itself say what it finds
                return True
            got = self._used[key] = next(iter(self.store.quads_for_pattern(*pattern)), None) is not None
        return got

    def has_subclass(self) -> bool:
        if self._has_subclass is None:
            res = self.store.query(f"ASK {{ ?a {SUBCLASS} ?b }}", use_default_graph_as_union=True)
            self._has_subclass = bool(res)
        return self._has_subclass

    def class_pattern(self, cls: str) -> str:
        # Without any rdfs:subClassOf triple in the data the closure is the plain type lookup, much cheaper.
        if self.has_subclass():
            return f"{{ SELECT DISTINCT ?this WHERE {{ ?this {RDF_TYPE}/{SUBCLASS}* <{cls}> }} }}"
        return f"?this {RDF_TYPE} <{cls}> ."

    def target_pattern(self, nodes: Sequence[OxTerm], classes: Sequence[str], subjects_of: Sequence[str],
                       objects_of: Sequence[str]) -> str | None:
        """A SPARQL group binding ?this to exactly the focus nodes (once each), or None if not expressible."""
        parts: list[str] = []
        if nodes:
            if any(type(n) is ox.BlankNode for n in nodes):
                return None
            parts.append("VALUES ?this { " + " ".join(str(n) for n in nodes) + " }")
        parts.extend(self.class_pattern(c) for c in classes)
        parts.extend(f"?this <{p}> ?any_ ." for p in subjects_of)
        parts.extend(f"?any_ <{p}> ?this ." for p in objects_of)
        if not parts:
            return None
        if len(parts) == 1 and not subjects_of and not objects_of:
            return parts[0]
        union = " UNION ".join(f"{{ {p} }}" for p in parts)
        return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"

    def instances(self, cls: str) -> set[OxTerm]:
        got = self._instances.get(cls)
        if got is None:
            q = f"SELECT DISTINCT ?x WHERE {{ ?x {RDF_TYPE}/{SUBCLASS}* <{cls}> }}"
            if not self.has_subclass():
                if not self.used(RDF_TYPE[1:-1], cls):
                    got = self._instances[cls] = set()
                    return got
                q = f"SELECT ?x WHERE {{ ?x {RDF_TYPE} <{cls}> }}"
            got = self._instances[cls] = {r[0] for r in self.rows(q)}
        return got

    def instances_among(self, cls: str, nodes: set[OxTerm]) -> set[OxTerm]:
        """Which of ``nodes`` are SHACL instances of ``cls``; asks about the nodes, not the whole class."""
        if cls in self._instances or len(nodes) > 4 * CHUNK:
            return nodes & self.instances(cls)
        closure = f"{RDF_TYPE}/{SUBCLASS}*" if self.has_subclass() else RDF_TYPE
        found: set[OxTerm] = set()
        bound = [n for n in nodes if type(n) is ox.NamedNode]
        for i in range(0, len(bound), CHUNK):
            vals = " ".join(str(n) for n in bound[i:i + CHUNK])
            found.update(r[0] for r in self.rows(
                f"SELECT ?x WHERE {{ VALUES ?x {{ {vals} }} FILTER EXISTS {{ ?x {closure} <{cls}> }} }}"))
        var = ox.Variable("x")
        for n in nodes:
            if type(n) is ox.BlankNode:
                q = f"SELECT ?x WHERE {{ ?x {closure} <{cls}> }} LIMIT 1"
                if self.rows(q, {var: n}):
                    found.add(n)
        return found

    def subjects(self, pred: str) -> set[OxTerm]:
        got = self._subjects.get(pred)
        if got is None and not self.used(pred):
            got = self._subjects[pred] = set()
        if got is None:
            got = self._subjects[pred] = {r[0] for r in self.rows(f"SELECT DISTINCT ?s WHERE {{ ?s <{pred}> ?o }}")}
        return got

    def objects_of(self, pred: str) -> set[OxTerm]:
        return {r[0] for r in self.rows(f"SELECT DISTINCT ?o WHERE {{ ?s <{pred}> ?o }}")}

    def focus_nodes(self, target_nodes: Sequence[OxTerm], classes: Sequence[str],
                    subjects_of: Sequence[str], objects_of: Sequence[str]) -> set[OxTerm]:
        """The focus nodes of a target declaration; shared cached sets are returned as is (never mutate)."""
        if len(classes) == 1 and not (target_nodes or subjects_of or objects_of):
            return self.instances(classes[0])
        nodes: set[OxTerm] = set(target_nodes)
        for c in classes:
            nodes |= self.instances(c)
        for p in subjects_of:
            nodes |= self.subjects(p)
        for p in objects_of:
            nodes |= self.objects_of(p)
        return nodes

    # --- batched, focus-independent questions ---

    def scan(self, pred: str, expr: str) -> list[tuple[OxTerm, OxTerm]]:
        """(subject, value) pairs of ``pred`` for which the SPARQL filter ``expr`` over ?v holds.

        All filters registered for the predicate are evaluated in one pass over its triples; each
        filter's verdict comes back as a boolean column.
        """
        exprs = self.scan_exprs.setdefault(pred, [])
        if expr not in exprs:
            exprs.append(expr)
        cached = self._scans.get(pred)
        if cached is None or expr not in cached[0]:
            # The prefetch threads share this cache (shard.py): an answer is published whole, with the filters its
            # columns stand for, so no thread reads a half-built list or a column of another filter list.
            asked = tuple(exprs)
            if not self.used(pred):
                rows: list[tuple[OxTerm, OxTerm, tuple[bool, ...]]] = []
            else:
                binds = " ".join(f"BIND(COALESCE({e}, true) AS ?k{i})" for i, e in enumerate(asked))
                cond = " || ".join(f"?k{i}" for i in range(len(asked)))
                ks = " ".join(f"?k{i}" for i in range(len(asked)))
                q = f"SELECT ?s ?v {ks} WHERE {{ ?s <{pred}> ?v {binds} FILTER({cond}) }}"
                rows = [(r[0], r[1], tuple(r[2 + i].value == "true" for i in range(len(asked))))
                        for r in self.rows(q)]
            cached = self._scans[pred] = (asked, rows)
        i = cached[0].index(expr)
        return [(s, v) for s, v, flags in cached[1] if flags[i]]

    def missing(self, pattern: str, pred: str) -> set[OxTerm]:
        """Focus nodes of ``pattern`` with no ``pred`` value (batched over all registered predicates)."""
        per = self._missing.get(pattern)
        if per is None or pred not in per:
            preds = sorted(self.min_preds.get(pattern, set()) | {pred})
            vals = " ".join(f"<{p}>" for p in preds)
            q = (f"SELECT ?this ?p WHERE {{ {pattern} VALUES ?p {{ {vals} }} "
                 f"FILTER NOT EXISTS {{ ?this ?p ?o_ }} }}")
            per = {p: set() for p in preds}
            for r in self.rows(q):
                per[r[1].value].add(r[0])
            self._missing[pattern] = per  # published whole: the prefetch threads share this cache
        return per[pred]

    def over_count(self, pred: str, k: int) -> set[OxTerm]:
        """Subjects with more than ``k`` distinct values of ``pred``."""
        if k == 1 and pred not in self._multi_valued():
            return set()
        key = (pred, k)
        got = self._over.get(key)
        if got is None:
            q = f"SELECT ?s WHERE {{ ?s <{pred}> ?o }} GROUP BY ?s HAVING (COUNT(DISTINCT ?o) > {k})"
            got = self._over[key] = {r[0] for r in self.rows(q)}
        return got

    def _multi_valued(self) -> set[str]:
        # Counting triples and distinct subjects of a predicate tells whether it ever repeats on a
        # subject; if not, its maxCount 1 constraints cannot fail, whatever the focus nodes. One small
        # aggregate per predicate is cheaper than one grouped query over all of them.
        if self._multi is None:
            multi = set()
            for p in sorted(self.max1_preds):
                r = self.rows(f"SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?s) AS ?m) WHERE {{ ?s <{p}> ?o }}")[0]
                if r[0].value != r[1].value:
                    multi.add(p)
            self._multi = multi
        return self._multi

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

    # --- focus-bound evaluation ---

    def pattern_rows(self, pattern: str, body: str, select: str = "?this ?v") -> list[ox.QuerySolution]:
        return self.rows(f"SELECT DISTINCT {select} WHERE {{ {pattern} {body} }}")

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
            chunk = " ".join(str(f) for f in bound[i:i + CHUNK])
            for r in self.pattern_rows(f"VALUES ?this {{ {chunk} }}", f"?this {sp} ?v ."):
                out[r[0]].append(r[1])
        var = ox.Variable("this")
        for f in out:
            if type(f) is ox.BlankNode:
                # Blank nodes cannot be written into query text, so they are bound by substitution.
                q = f"SELECT DISTINCT ?this ?v WHERE {{ ?this {sp} ?v }}"
                out[f] = [r[1] for r in self.rows(q, {var: f})]
        if path.nullable:
            # SPARQL says a zero-length path matches any bound term; oxigraph only matches terms that
            # occur in the data, so a target node absent from the data would lose itself as a value.
            for f, vals in out.items():
                if f not in vals:
                    vals.append(f)
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
