"""What the quality score reads from a catalogue graph: a few predicate-wide scans; the metric tests run in Python.

Oxigraph answers a plain scan of a predicate's triples fast, but every join, EXISTS, MINUS or GROUP BY per dataset
costs microseconds per row, and so does each Python object it hands back. So the store is asked only for scans whose
answers come back as one concatenated string per group (see `_concat`), and the per-dataset tests are set operations.
"""
from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Collection, Iterable, Iterator, Mapping, Sequence

import pyoxigraph as ox

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
PREFIX = f"PREFIX dcat: <{DCAT}> PREFIX dct: <{DCT}>\n"
# Property → value → the keys of the nodes with that value; the value is the IRI, or NOT_IRI for any other term
# (only the properties whose values are tested keep their values, the others have every node under NOT_IRI).
Facts = dict[str, dict[Any, set[str]]]
NOT_IRI = ox.Literal("")
# The names of a property scan are split out of the store's joined string this many characters at a time (`_pieces`).
PIECE = 1 << 20


def key(term: Any) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else str(term.value)


@dataclass
class Graph:
    """Datasets, their distributions and titles, keyed by IRI or store blank-node label; the store for the rest."""

    store: ox.Store
    datasets: list[str]
    titles: dict[str, str]
    # Store blank-node label → canonical label, as the engine computed them for this run's findings (may be empty).
    bnode_labels: Mapping[str, str] = field(default_factory=dict)
    # Per dataset, the distinct literal objects of dcat:distribution: distributions that can pass no test.
    literal_dists: dict[str, int] = field(default_factory=dict)
    # Named graphs are part of the catalogue (load.py keeps them): the union is what is scored. Without any, the
    # default graph alone is the same data, and Oxigraph builds the strings of `_concat` faster from it.
    union: bool = True
    # Distribution → the position in `datasets` of its (first) dataset; `dist_also`: of its other datasets. Almost
    # every distribution has one dataset: an int each, not a list each, is ≈ 26 MB less at 200,000 datasets, in the
    # score's forked child and again in the parent that unpickles its reading (both filled by `index`).
    dist_row: dict[str, int] = field(default_factory=dict, repr=False)
    dist_also: dict[str, list[int]] = field(default_factory=dict, repr=False)
    # Per dataset (in `datasets` order), how many distributions that are nodes (IRI or blank) it has.
    dist_count: Sequence[int] = field(default_factory=list, repr=False)
    # Metric id → what each dataset's points follow from (quality.fact_columns), worked out by the forked child while
    # the rules ran (quality_fork.py) for the metrics the graph's facts decide; a metric not in it is worked out here.
    columns: Mapping[str, Sequence[Any]] = field(default_factory=dict, repr=False)
    released: bool = field(default=False, repr=False)  # release_index
    _blank: bool | None = field(default=None, repr=False)

    def query(self, text: str) -> Any:
        return self.store.query(PREFIX + text, use_default_graph_as_union=self.union)

    def rows_of(self, x: str) -> list[int]:
        """The positions of distribution `x`'s datasets (none if `x` is not a distribution)."""
        first = self.dist_row.get(x)
        return [] if first is None else [first, *self.dist_also.get(x, ())]

    def owners_of_dist(self, x: str) -> list[str]:
        return [self.datasets[i] for i in self.rows_of(x)]

    @property
    def dists(self) -> dict[str, list[str]]:
        """Dataset → its distributions that are nodes. Built when asked (only the link metrics walk them): the score
        itself needs only their number per dataset (`dist_count`)."""
        out: dict[str, list[str]] = {ds: [] for ds in self.datasets}
        for x in self.dist_row:
            for i in self.rows_of(x):
                out[self.datasets[i]].append(x)
        return out

    def release_index(self) -> None:
        """Drop the distribution index (quality.score_catalogue, once its owners and metrics are worked out): at
        200,000 datasets its 400,000 names were held through the scorecards, the parent's peak. A graph released is
        not scored again (score_catalogue refuses it), so nothing reads the emptied index as a real one."""
        self.dist_row, self.dist_also, self.released = {}, {}, True

    def has_blank_nodes(self) -> bool:
        """Whether a dataset or distribution is a blank node (`_concat` leaves them out: STR() has no form for one)."""
        if self._blank is None:
            self._blank = any(k.startswith("_:") for k in self.datasets) or any(
                k.startswith("_:") for k in self.dist_row)
        return self._blank


def _concat(graph: Graph, where: str, items: Sequence[str], by: Sequence[str] = ()) -> dict[tuple[Any, ...], list[str]]:
    """Per group of the `by` variables, the `items` (string expressions) of every solution of `where`, flat: the
    pieces of `_pieces`, joined."""
    out: dict[tuple[Any, ...], list[str]] = {}
    for values, names in _pieces(graph, where, items, by):
        out.setdefault(values, []).extend(names)
    return out


def _pieces(graph: Graph, where: str, items: Sequence[str],
            by: Sequence[str] = ()) -> Iterator[tuple[tuple[Any, ...], list[str]]]:
    """Per group of the `by` variables, the `items` of every solution of `where`, in pieces of about `PIECE`
    characters (a group in several pieces, in order).

    The store joins them into one string per group, split here: a Python object per solution would cost more than
    the scan. Split at once, the widest scan (600,000 names at 200,000 datasets) held every name as a new string
    before they were interned: the peak of the score's forked child; in pieces, only one piece's new names are held.
    IRIs hold no space unless read leniently; then a group's count no longer matches, which is found before any of
    its pieces is given, and the rows are asked for instead (for that group and the ones not given yet).
    """
    group = " ".join(by)
    joined = items[0] if len(items) == 1 else "CONCAT(" + ', " ", '.join(items) + ")"
    given: set[tuple[Any, ...]] = set()
    for row in graph.query(f"SELECT {group} (COUNT(*) AS ?n_) (GROUP_CONCAT({joined}; separator=' ') AS ?s_) "
                           f"WHERE {{ {where} }}" + (f" GROUP BY {group}" if by else "")):
        n, text, values = int(row["n_"].value) * len(items), row["s_"].value, tuple(row[v[1:]] for v in by)
        del row  # the store's copy of the joined string, freed before the names are split out of ours
        if n and text.count(" ") + 1 != n:
            yield from ((v, names) for v, names in _rows(graph, where, items, by).items() if v not in given)
            return
        given.add(values)
        if not n:
            yield values, []
            continue
        at = 0
        while True:  # every piece ends at a space (or the end): the pieces hold the count(" ") + 1 names, each once
            end = text.find(" ", at + PIECE) if at + PIECE < len(text) else -1
            yield values, list(map(sys.intern, (text[at:] if end < 0 else text[at:end]).split(" ")))
            if end < 0:
                break
            at = end + 1


def _rows(graph: Graph, where: str, items: Sequence[str], by: Sequence[str]) -> dict[tuple[Any, ...], list[str]]:
    out: dict[tuple[Any, ...], list[str]] = defaultdict(list)
    select = " ".join(f"({e} AS ?i{k})" for k, e in enumerate(items))
    for row in graph.query(f"SELECT {' '.join(by)} {select} WHERE {{ {where} }}"):
        out[tuple(row[v[1:]] for v in by)].extend(row[f"i{k}"].value for k in range(len(items)))
    return dict(out)


def index(store: ox.Store, *, with_titles: bool = True) -> Graph:
    """The datasets, their distributions (`dist_row`, `dist_also`, `dist_count`) and, unless told not to, their
    titles (the read-ahead child reads them last, after its metric columns: `quality_fork.scan`)."""
    g = Graph(store, [], {}, union=next(iter(store.named_graphs()), None) is not None)
    datasets = set(_concat(g, "?d a dcat:Dataset FILTER isIRI(?d)", ["STR(?d)"]).get((), ()))
    datasets.update(key(d) for d, in g.query("SELECT DISTINCT ?d WHERE { ?d a dcat:Dataset FILTER isBlank(?d) }"))
    blank = {k for k in datasets if k.startswith("_:")}
    g.datasets = sorted(datasets - blank) + sorted(blank)  # IRIs first
    position = {ds: i for i, ds in enumerate(g.datasets)}
    count = g.dist_count = [0] * len(g.datasets)
    row, also = g.dist_row, g.dist_also
    # The pairs that could repeat one already taken. The default graph holds each triple once, so the IRI pairs are
    # kept in it (45 MB at 200,000 datasets) only when named graphs are read as one, or when a key looks like a blank
    # node's (an IRI read leniently can be "_:x"), which the pairs with blank nodes below can repeat.
    seen: set[tuple[str, str]] = set()
    pairs = iter(_concat(g, "?d dcat:distribution ?x FILTER(isIRI(?d) && isIRI(?x))", ["STR(?d)", "STR(?x)"])
                 .get((), ()))
    for d, x in zip(pairs, pairs):
        i = position.get(d)
        if i is None:
            continue
        if g.union or d.startswith("_:") or x.startswith("_:"):
            if (d, x) in seen:
                continue
            seen.add((d, x))
        count[i] += 1
        if row.setdefault(x, i) != i:
            also.setdefault(x, []).append(i)
    literals: dict[str, set[ox.Literal]] = defaultdict(set)
    for d, x in g.query("SELECT DISTINCT ?d ?x WHERE { ?d dcat:distribution ?x FILTER(!isIRI(?d) || !isIRI(?x)) }"):
        if isinstance(x, ox.Literal):
            literals[key(d)].add(x)
            continue
        pair = key(d), key(x)
        i = position.get(pair[0])
        if i is None or pair in seen:
            continue
        seen.add(pair)
        count[i] += 1
        if row.setdefault(pair[1], i) != i:
            also.setdefault(pair[1], []).append(i)
    g.literal_dists = {d: len(xs) for d, xs in literals.items() if d in position}
    if with_titles:
        g.titles = titles(g)
    return g


def titles(graph: Graph) -> dict[str, str]:
    """Dataset → its title: the one in English (or without a language) before any other, then the least."""
    best: dict[str, tuple[int, str]] = {}
    for d, t in graph.query("SELECT ?d ?t WHERE { ?d a dcat:Dataset ; dct:title ?t FILTER isLiteral(?t) }"):
        k, title = key(d), (0 if t.language in ("en", None) else 1, t.value)
        held = best.get(k)
        if held is None or title < held:
            best[k] = title
    return {k: title for k, (_, title) in best.items()}


def _iri(value: str) -> str:
    return "<" + value.replace(">", "%3E").replace(" ", "%20") + ">"


def facts(graph: Graph, properties: Iterable[str], valued: Iterable[str]) -> Facts:
    """Which nodes have each property, and for the `valued` properties, with which values: one scan per property
    (measured cheaper than one scan of them all grouped by property).

    Only datasets and distributions are asked about, so blank subjects are fetched only when one of those is blank.
    """
    valued = set(valued)
    properties = sorted(set(properties) | valued)
    out: Facts = {}
    blanks = graph.has_blank_nodes()
    for prop in properties:
        # Any value that is not an IRI fails every value test alike, so those values are grouped under "".
        where, by = (f"?s {_iri(prop)} ?v BIND(IF(isIRI(?v), ?v, \"\") AS ?w)", ["?w"]) if prop in valued else \
            (f"?s {_iri(prop)} ?v", [])
        nodes = out[prop] = {}
        for group, keys in _pieces(graph, where + " FILTER isIRI(?s)", ["STR(?s)"], by):
            nodes.setdefault(_value(group), set()).update(keys)
        if blanks:
            for row in graph.query(f"SELECT DISTINCT ?s {' '.join(by)} WHERE {{ {where} FILTER isBlank(?s) }}"):
                nodes.setdefault(_value((row["w"],) if by else ()), set()).add(key(row["s"]))
    return out


def _value(group: tuple[Any, ...]) -> Any:
    return group[0] if group and isinstance(group[0], ox.NamedNode) else NOT_IRI


def passing(fact: Facts, test: str, properties: Sequence[str], *, namespaces: Sequence[str] = (),
            all_properties: bool = False, flagged: Iterable[str] = ()) -> set[str]:
    """The nodes that pass a metric's test (read it, don't change it: it can be one of `fact`'s own sets).

    present: a value of one of the properties; vocabulary: a value, and every value an IRI in one of the
    namespaces (with `all_properties`, so for each property on its own); lookup: a value among the flagged IRIs.
    """
    if test == "present":
        sets = [nodes for p in properties for nodes in fact[p].values()]
        # One property without values kept: its own set, not a copy (600,000 names at 200,000 datasets).
        return sets[0] if len(sets) == 1 else set().union(*sets)
    if test == "vocabulary":
        groups = [[p] for p in properties] if all_properties else [list(properties)]
        result: set[str] | None = None
        for group in groups:
            having: set[str] = set()
            off: set[str] = set()
            for p in group:
                for value, nodes in fact[p].items():
                    having |= nodes
                    if value is NOT_IRI or not value.value.startswith(tuple(namespaces)):
                        off |= nodes
            having -= off  # in place: a second set as large as `having` was the read-ahead child's peak
            if result is None:
                result = having
            else:
                result &= having
        return result or set()
    if test == "lookup":
        # The IRIs as the SPARQL form of this test wrote them (docs/quality.md), so both agree on odd IRIs.
        wanted = {_iri(v)[1:-1] for v in flagged}
        return {n for p in properties for value, nodes in fact[p].items()
                if value is not NOT_IRI and value.value in wanted for n in nodes}
    raise ValueError(f"no form for metric test {test!r}")


def passing_dists(graph: Graph, passed: set[str], nodes: Sequence[int]) -> list[int]:
    """Per dataset (in graph.datasets order), how many of its distributions (`nodes`, per dataset) are in `passed`."""
    row, also = graph.dist_row, graph.dist_also
    failing = row.keys() - passed
    if len(failing) <= len(row) // 2:  # walk the smaller side: few fail, or few pass
        ok, step, walk = list(nodes), -1, failing
    else:
        ok, step, walk = [0] * len(graph.datasets), 1, row.keys() - failing
    for x in walk:
        ok[row[x]] += step
    for x in also.keys() & walk:
        for i in also[x]:
            ok[i] += step
    return ok


def link_urls(graph: Graph, properties: Sequence[str]) -> dict[str, list[str]]:
    """Distribution → its http(s) URLs under `properties` (for the link metrics)."""
    path = "|".join(_iri(p) for p in properties)
    out: dict[str, list[str]] = defaultdict(list)
    for row in graph.query(f"SELECT DISTINCT ?x ?u WHERE {{ ?d a dcat:Dataset ; dcat:distribution ?x . "
                           f"?x {path} ?u FILTER isIRI(?u) }}"):
        out[key(row["x"])].append(row["u"].value)
    return dict(out)


def link_passing(graph: Graph, properties: Sequence[str], links: Mapping[str, bool | None]) -> list[int | None]:
    """Per dataset, the distributions with a reachable URL; None when one of them could not be decided."""
    urls = link_urls(graph, properties)
    dists = graph.dists
    out: list[int | None] = []
    for ds in graph.datasets:
        passing, unknown = 0, False
        for d in dists[ds]:
            states = [links.get(u) for u in urls.get(d, ())]
            if any(s is True for s in states):
                passing += 1
            elif any(s is None for s in states):
                unknown = True
        out.append(None if unknown else passing)
    return out


def owners(graph: Graph, foci: Collection[str]) -> dict[str, list[str]]:
    """Finding focus → the datasets it describes: the dataset, its distributions, or a node one hop from either.

    Looked up per distinct focus, so the cost follows the findings, not the catalogue. Blank-node focuses carry the
    canonical labels of bnodes.py; they are mapped back to the store's labels first.
    """
    datasets = set(graph.datasets)
    row, also = graph.dist_row, graph.dist_also
    raw = _raw_labels(graph, [f for f in foci if f.startswith("_:")])
    out: dict[str, list[str]] = {}
    others: dict[str, str] = {}
    for focus in foci:
        if focus not in raw:  # the common cases first: a dataset, or a distribution of one dataset
            if focus in datasets:
                out[focus] = [focus]
                continue
            first = row.get(focus)
            if first is not None and focus not in also:
                out[focus] = [graph.datasets[first]]
                continue
        owners_of_focus: set[str] = set()
        for node_key in raw.get(focus, [focus]):
            if node_key in datasets:
                owners_of_focus.add(node_key)
            elif node_key in row:
                owners_of_focus.update(graph.owners_of_dist(node_key))
            elif _term(node_key) is not None:
                others[node_key] = focus
        if owners_of_focus:
            out[focus] = sorted(owners_of_focus)
    # Any other node counts for the datasets that point at it or whose distributions do. Read from the store's
    # object index quad by quad: a SPARQL scan joined into one string per node (as the scans above) was no faster, and
    # for a node that every distribution points at, its string and the names split from it added ~140 MB at 200,000
    # datasets.
    pattern = graph.store.quads_for_pattern
    for node_key, focus in others.items():
        dss: set[str] = set()
        positions: set[int] = set()
        for quad in pattern(None, None, _term(node_key), None):
            if quad.subject.__class__ is ox.Triple:
                continue
            pointer = key(quad.subject)
            at = row.get(pointer)
            if at is not None:
                positions.add(at)
                if also and pointer in also:
                    positions.update(also[pointer])
            if pointer in datasets:
                dss.add(pointer)
        dss.update(map(graph.datasets.__getitem__, positions))
        if dss:
            out[focus] = sorted(dss.union(out.get(focus, ())))
    # Equal owner lists become one object: the score sums the findings on foci that the same datasets share (a
    # licence, a concept) once per list (quality.score_catalogue).
    same: dict[tuple[str, ...], list[str]] = {}
    return {focus: same.setdefault(tuple(dss), dss) if len(dss) > 1 else dss for focus, dss in out.items()}


def canonical_names(graph: Graph, keys: Iterable[str]) -> dict[str, str]:
    """Store blank-node key → the canonical `_:b…` label findings use (bnodes.py); IRIs are left out."""
    blanks = {k[2:] for k in keys if k.startswith("_:")}
    if not blanks:
        return {}
    from ldt_conform.bnodes import canonical_labels

    return {f"_:{r}": label for r, label in canonical_labels(graph.store, blanks).items()}


def _raw_labels(graph: Graph, foci: Collection[str]) -> dict[str, list[str]]:
    """Canonical label → the store's blank nodes with that content (identical blank nodes share one hash, and the
    `-N` suffix bnodes.py gives them depends on which nodes were labelled together, so it is not compared)."""
    if not foci:
        return {}
    wanted: dict[str, list[str]] = {}
    for focus in foci:
        wanted.setdefault(focus.split("-", 1)[0], []).append(focus)
    if graph.bnode_labels and set(foci) <= set(graph.bnode_labels.values()):
        # The engine already hashed every blank node a finding names; nodes with the same content (same hash) get
        # the same findings, so they are all among them: no need to hash every blank node near a dataset again.
        reused: dict[str, list[str]] = defaultdict(list)
        for raw, label in graph.bnode_labels.items():
            for focus in wanted.get(label.split("-", 1)[0], ()):
                reused[focus].append(f"_:{raw}")
        return dict(reused)
    # Only blank nodes one hop from a dataset or distribution can be attributed; a missing-property finding's focus
    # lacks its path, so the path can't narrow the candidates.
    rows = graph.query("SELECT DISTINCT ?o WHERE { ?d a dcat:Dataset . { ?d ?p ?o } UNION "
                       "{ ?d dcat:distribution ?x . ?x ?p ?o } FILTER isBlank(?o) }")
    candidates = {key(row["o"]) for row in rows}
    candidates.update(k for k in graph.datasets if k.startswith("_:"))
    candidates.update(k for k in graph.dist_row if k.startswith("_:"))
    out: dict[str, list[str]] = defaultdict(list)
    for raw, label in canonical_names(graph, candidates).items():
        for focus in wanted.get(label.split("-", 1)[0], ()):
            out[focus].append(raw)
    return dict(out)


def _term(node_key: str) -> ox.NamedNode | ox.BlankNode | None:
    try:
        return ox.BlankNode(node_key[2:]) if node_key.startswith("_:") else ox.NamedNode(node_key)
    except ValueError:
        return None
