"""What the quality score reads from a catalogue graph: one SPARQL aggregate per metric, evaluated inside the store."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

import pyoxigraph as ox

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
PREFIX = f"PREFIX dcat: <{DCAT}> PREFIX dct: <{DCT}>\n"
# Share of distributions that pass: (passing, all); None when a link check did not finish.
Share = tuple[int, int]


def key(term: Any) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else str(term.value)


@dataclass
class Graph:
    """Datasets, their distributions and titles, keyed by IRI or store blank-node label; the store for the rest."""

    store: ox.Store
    datasets: list[str]
    dists: dict[str, list[str]]
    titles: dict[str, str]
    # Store blank-node label → canonical label, as the engine computed them for this run's findings (may be empty).
    bnode_labels: Mapping[str, str] = field(default_factory=dict)
    _owner_of_dist: dict[str, list[str]] | None = field(default=None, repr=False)

    def query(self, text: str) -> Any:
        # Named graphs are part of the catalogue (load.py keeps them): the union is what is scored.
        return self.store.query(PREFIX + text, use_default_graph_as_union=True)

    def owner_of_dist(self) -> dict[str, list[str]]:
        if self._owner_of_dist is None:
            owners: dict[str, list[str]] = defaultdict(list)
            for ds, dists in self.dists.items():
                for d in dists:
                    owners[d].append(ds)
            self._owner_of_dist = dict(owners)
        return self._owner_of_dist


def index(store: ox.Store) -> Graph:
    g = Graph(store, [], {}, {})
    datasets = {key(row["d"]) for row in g.query("SELECT DISTINCT ?d WHERE { ?d a dcat:Dataset }")}
    g.datasets = sorted(datasets, key=lambda k: (k.startswith("_:"), k))
    dists: dict[str, list[str]] = {k: [] for k in g.datasets}
    for row in g.query("SELECT ?d (GROUP_CONCAT(DISTINCT STR(?x); separator=' ') AS ?xs) WHERE { "
                       "?d a dcat:Dataset ; dcat:distribution ?x FILTER isIRI(?x) } GROUP BY ?d"):
        dists[key(row["d"])].extend(row["xs"].value.split())
    for row in g.query("SELECT DISTINCT ?d ?x WHERE { ?d a dcat:Dataset ; dcat:distribution ?x FILTER isBlank(?x) }"):
        dists[key(row["d"])].append(key(row["x"]))
    g.dists = dists
    titles: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in g.query("SELECT ?d ?t WHERE { ?d a dcat:Dataset ; dct:title ?t FILTER isLiteral(?t) }"):
        lang = row["t"].language
        titles[key(row["d"])].append((0 if lang in ("en", None) else 1, row["t"].value))
    g.titles = {k: min(v)[1] for k, v in titles.items()}
    return g


def _iri(value: str) -> str:
    return "<" + value.replace(">", "%3E").replace(" ", "%20") + ">"


def _aligned(var: str, namespaces: Sequence[str]) -> str:
    starts = " || ".join(f'STRSTARTS(STR({var}), "{ns}")' for ns in namespaces)
    return f"(isIRI({var}) && ({starts}))"


def condition(test: str, properties: Sequence[str], node: str, *, namespaces: Sequence[str] = (),
              all_properties: bool = False, flagged: Iterable[str] = ()) -> str:
    """A SPARQL boolean expression: does `node` (a variable) satisfy the metric's test?"""
    path = "|".join(_iri(p) for p in properties)
    if test == "present":
        return f"EXISTS {{ {node} {path} ?v }}"
    if test == "vocabulary":
        groups = [[p] for p in properties] if all_properties else [list(properties)]
        parts = []
        for group in groups:
            gp = "|".join(_iri(p) for p in group)
            parts.append(f"(EXISTS {{ {node} {gp} ?v }} && "
                         f"NOT EXISTS {{ {node} {gp} ?w FILTER(!{_aligned('?w', namespaces)}) }})")
        return " && ".join(parts)
    if test == "lookup":
        values = ", ".join(_iri(v) for v in sorted(flagged))
        return f"EXISTS {{ {node} {path} ?v FILTER(?v IN ({values})) }}" if values else "false"
    raise ValueError(f"no SPARQL form for metric test {test!r}")


def evaluate(graph: Graph, dataset_conds: Sequence[str], dist_conds: Sequence[str]) -> dict[str, list[int]]:
    """Dataset key → [distributions, passing count per distribution condition..., 0/1 per dataset condition...].

    One query: the store evaluates every test and returns one short string per dataset, because handing a Python
    object per (dataset, metric) back from the store would cost more than the tests themselves.
    """
    sums = " ".join(f"(SUM(IF(BOUND(?x) && ({c}), 1, 0)) AS ?k{i})" for i, c in enumerate(dist_conds))
    parts = ['STR(?n)'] + [f'STR(?k{i})' for i in range(len(dist_conds))] + \
        [f'IF({c}, "1", "0")' for c in dataset_conds]
    joined = ', " ", '.join(parts)
    text = (f"SELECT ?d (CONCAT({joined}) AS ?f) WHERE {{ "
            f"{{ SELECT ?d (COUNT(DISTINCT ?x) AS ?n) {sums} WHERE {{ "
            "{ SELECT DISTINCT ?d ?x WHERE { ?d a dcat:Dataset OPTIONAL { ?d dcat:distribution ?x } } } "
            "} GROUP BY ?d } }")
    return {key(row["d"]): [int(v) for v in row["f"].value.split()] for row in graph.query(text)}


def link_urls(graph: Graph, properties: Sequence[str]) -> dict[str, list[str]]:
    """Distribution → its http(s) URLs under `properties` (for the link metrics)."""
    path = "|".join(_iri(p) for p in properties)
    out: dict[str, list[str]] = defaultdict(list)
    for row in graph.query(f"SELECT DISTINCT ?x ?u WHERE {{ ?d a dcat:Dataset ; dcat:distribution ?x . "
                           f"?x {path} ?u FILTER isIRI(?u) }}"):
        out[key(row["x"])].append(row["u"].value)
    return dict(out)


def link_shares(graph: Graph, properties: Sequence[str], links: Mapping[str, bool | None]) -> dict[str, Share | None]:
    """Per dataset, the distributions with a reachable URL; None when one of them could not be decided."""
    urls = link_urls(graph, properties)
    out: dict[str, Share | None] = {}
    for ds in graph.datasets:
        passing, unknown = 0, False
        for d in graph.dists[ds]:
            states = [links.get(u) for u in urls.get(d, ())]
            if any(s is True for s in states):
                passing += 1
            elif any(s is None for s in states):
                unknown = True
        out[ds] = None if unknown else (passing, len(graph.dists[ds]))
    return out


def owners(graph: Graph, focus_paths: Mapping[str, set[str | None]]) -> dict[str, list[str]]:
    """Finding focus → the datasets it describes: the dataset, its distributions, or a node one hop from either.

    Looked up per distinct focus, so the cost follows the findings, not the catalogue. Blank-node focuses carry the
    canonical labels of bnodes.py; they are mapped back to the store's labels first.
    """
    datasets = set(graph.datasets)
    dist_owner = graph.owner_of_dist()
    raw = _raw_labels(graph, {f: p for f, p in focus_paths.items() if f.startswith("_:")})
    out: dict[str, list[str]] = {}
    others: dict[str, str] = {}
    for focus in focus_paths:
        owners_of_focus: set[str] = set()
        for node_key in raw.get(focus, [focus]):
            if node_key in datasets:
                owners_of_focus.add(node_key)
            elif node_key in dist_owner:
                owners_of_focus.update(dist_owner[node_key])
            elif _term(node_key) is not None:
                others[node_key] = focus
        if owners_of_focus:
            out[focus] = sorted(owners_of_focus)
    pointing: list[tuple[str, str]] = []
    iris = [k for k in sorted(others) if not k.startswith("_:")]
    if iris:
        # One query for every other IRI focus: which nodes point at it? (VALUES takes no blank nodes.)
        # A shared node (a theme, a licence) is pointed at by thousands: the store joins the names into one string.
        values = " ".join(str(_term(k)) for k in iris)
        for row in graph.query(f"SELECT ?o (GROUP_CONCAT(DISTINCT STR(?s); separator=' ') AS ?ss) WHERE {{ "
                               f"VALUES ?o {{ {values} }} ?s ?p ?o FILTER isIRI(?s) }} GROUP BY ?o"):
            pointing += [(s, row["o"].value) for s in row["ss"].value.split()]
        pointing += [(key(row["s"]), key(row["o"])) for row in graph.query(
            f"SELECT DISTINCT ?s ?o WHERE {{ VALUES ?o {{ {values} }} ?s ?p ?o FILTER isBlank(?s) }}")]
    for k in others:
        if k.startswith("_:"):
            pointing += [(key(q.subject), k) for q in graph.store.quads_for_pattern(None, None, _term(k), None)]
    found: dict[str, set[str]] = defaultdict(set)
    for s_key, o_key in pointing:
        if s_key in datasets:
            found[o_key].add(s_key)
        elif s_key in dist_owner:
            found[o_key].update(dist_owner[s_key])
    for node_key, dss in found.items():
        focus = others[node_key]
        out[focus] = sorted(set(out.get(focus, ())) | dss)
    return out


def canonical_names(graph: Graph, keys: Iterable[str]) -> dict[str, str]:
    """Store blank-node key → the canonical `_:b…` label findings use (bnodes.py); IRIs are left out."""
    blanks = {k[2:] for k in keys if k.startswith("_:")}
    if not blanks:
        return {}
    from ldt_conform.bnodes import canonical_labels

    return {f"_:{r}": label for r, label in canonical_labels(graph.store, blanks).items()}


def _raw_labels(graph: Graph, focus_paths: Mapping[str, set[str | None]]) -> dict[str, list[str]]:
    """Canonical label → the store's blank nodes with that content (identical blank nodes share one hash, and the
    `-N` suffix bnodes.py gives them depends on which nodes were labelled together, so it is not compared)."""
    if not focus_paths:
        return {}
    wanted: dict[str, list[str]] = {}
    for focus in focus_paths:
        wanted.setdefault(focus.split("-", 1)[0], []).append(focus)
    if graph.bnode_labels and set(focus_paths) <= set(graph.bnode_labels.values()):
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
    candidates.update(k for k in graph.owner_of_dist() if k.startswith("_:"))
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
