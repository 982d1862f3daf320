"""The MQA-compatible quality score: mqa.toml's metrics over a catalogue graph, rolled up per dataset and catalogue."""
from __future__ import annotations

import math
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import pyoxigraph as ox

from ldt_conform.model import Finding, Report, Rule, Severity, Status

TABLE_PATH = Path(__file__).with_name("mqa.toml")
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DCAT = "http://www.w3.org/ns/dcat#"
DATASET, DISTRIBUTION = DCAT + "Dataset", DCAT + "distribution"
TITLE = "http://purl.org/dc/terms/title"
NOT_ASSESSED = "not-assessed"


@dataclass(frozen=True)
class Metric:
    id: str
    dimension: str
    level: str
    properties: tuple[str, ...]
    test: str
    points: int
    title: str
    fix: str
    false_points: int = 0
    namespaces: tuple[str, ...] = ()
    artefact: str = ""
    all_properties: bool = False


@dataclass(frozen=True)
class Table:
    max: int
    dimensions: Mapping[str, int]
    bands: tuple[tuple[str, int], ...]
    metrics: tuple[Metric, ...]
    artefacts: Mapping[str, Mapping[str, str]]
    source: Mapping[str, str]


@lru_cache(maxsize=1)
def table() -> Table:
    """The shipped metric table; its sums are checked so that a typo in points can't pass silently."""
    data = tomllib.loads(TABLE_PATH.read_text(encoding="utf-8"))
    metrics = tuple(Metric(id=m["id"], dimension=m["dimension"], level=m["level"],
                           properties=tuple(m["property"].split()), test=m["test"], points=m["points"],
                           title=m["title"], fix=m["fix"], false_points=m.get("false_points", 0),
                           namespaces=tuple(m.get("namespaces", ())), artefact=m.get("artefact", ""),
                           all_properties=m.get("all_properties", False)) for m in data["metrics"])
    result = Table(max=data["max"], dimensions=data["dimensions"],
                   bands=tuple((b["id"], int(b["min"])) for b in data["bands"]), metrics=metrics,
                   artefacts=data["artefacts"], source=data["source"])
    for dim, top in result.dimensions.items():
        if sum(m.points for m in metrics if m.dimension == dim) != top:
            raise ValueError(f"{TABLE_PATH}: the points of dimension {dim} do not add up to {top}")
    if sum(result.dimensions.values()) != result.max:
        raise ValueError(f"{TABLE_PATH}: the dimensions do not add up to {result.max}")
    return result


def band(score: float, tab: Table | None = None) -> str:
    rounded = math.floor(score + 0.5)
    for name, lowest in (tab or table()).bands:
        if rounded >= lowest:
            return name
    return "bad"


# --- inputs -----------------------------------------------------------------------------------------------------

@dataclass
class Graph:
    """What scoring reads from one catalogue: datasets, their distributions and the values of the scored properties."""

    datasets: list[ox.Term]
    values: dict[str, dict[ox.Term, list[ox.Term]]]
    store: ox.Store | None = None


def index(store: ox.Store) -> Graph:
    """One pass per scored predicate over every graph of the store (linear in the input, not per dataset)."""
    tab = table()
    preds = {p for m in tab.metrics for p in m.properties} | {DISTRIBUTION, TITLE}
    values: dict[str, dict[ox.Term, list[ox.Term]]] = {}
    for pred in preds:
        by_subject: dict[ox.Term, list[ox.Term]] = defaultdict(list)
        for q in store.quads_for_pattern(None, ox.NamedNode(pred), None, None):
            by_subject[q.subject].append(q.object)
        values[pred] = by_subject
    seen: set[ox.Term] = set()
    datasets = []
    for q in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(DATASET), None):
        if q.subject not in seen:
            seen.add(q.subject)
            datasets.append(q.subject)
    return Graph(sorted(datasets, key=lambda t: (isinstance(t, ox.BlankNode), t.value)), values, store)


def load_lookups(store: Any) -> dict[str, frozenset[str] | None]:
    """The EDP format lookups through the artefact store; None (→ not assessed) when one can't be had."""
    out: dict[str, frozenset[str] | None] = {}
    for name, pin in table().artefacts.items():
        from ldt_conform.artefacts import Pin

        data = store.get_pinned(Pin(pin["url"], pin["sha256"], name)) if store is not None else None
        if data is None:
            out[name] = None
            continue
        flagged = {q.subject.value for q in ox.parse(data, format=ox.RdfFormat.RDF_XML)
                   if q.predicate.value == pin["predicate"] and q.object.value == "true"}
        out[name] = frozenset(flagged)
    return out


# --- scoring ----------------------------------------------------------------------------------------------------

@dataclass
class Context:
    """Everything a metric may need besides the graph; a missing piece makes its metrics "not assessed"."""

    lookups: Mapping[str, frozenset[str] | None] = field(default_factory=dict)
    # URL → reachable (True/False), or None when its check did not finish; absent = links were not checked.
    links: Mapping[str, bool | None] | None = None
    # Dataset node key → True when our SHACL rules found no error on it; None when compliance was not assessable.
    compliant: Mapping[str, bool] | None = None
    compliance_reason: str = "no DCAT-AP (SHACL) rule was evaluated on this catalogue"


def key(term: ox.Term) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def _test(metric: Metric, node: ox.Term, graph: Graph, ctx: Context) -> bool | None:
    """Does `node` satisfy the metric? None = could not be decided (a link check that did not finish)."""
    vals = [graph.values[p].get(node, []) for p in metric.properties]
    if metric.test == "present":
        return any(vals)
    if metric.test == "vocabulary":
        if metric.all_properties:  # "both dct:format and dcat:mediaType are aligned"
            return all(v and all(_in(t, metric.namespaces) for t in v) for v in vals)
        return any(v for v in vals) and all(_in(t, metric.namespaces) for v in vals for t in v)
    if metric.test == "lookup":
        flagged = ctx.lookups.get(metric.artefact) or frozenset()
        return any(isinstance(t, ox.NamedNode) and t.value in flagged for v in vals for t in v)
    if metric.test == "status":
        assert ctx.links is not None
        urls = [t.value for v in vals for t in v if isinstance(t, ox.NamedNode)]
        if not urls:
            return False
        states = [ctx.links.get(u) for u in urls]
        if any(s is True for s in states):
            return True
        return None if any(s is None for s in states) else False
    raise ValueError(f"unknown metric test {metric.test!r}")


def _in(term: ox.Term, namespaces: Sequence[str]) -> bool:
    return isinstance(term, ox.NamedNode) and term.value.startswith(tuple(namespaces))


def _unassessable(metric: Metric, ctx: Context) -> str | None:
    if metric.test == "status" and ctx.links is None:
        return "needs the network: run with --check-links"
    if metric.test == "lookup" and ctx.lookups.get(metric.artefact) is None:
        return f"the EDP lookup {metric.artefact} is not available offline (artefact store)"
    if metric.test == "compliance" and ctx.compliant is None:
        return ctx.compliance_reason
    return None


def score_dataset(node: ox.Term, graph: Graph, ctx: Context) -> dict[str, float | str | None]:
    """Metric id → points earned, or a string reason when not assessed (for this dataset)."""
    out: dict[str, float | str | None] = {}
    dists = graph.values[DISTRIBUTION].get(node, [])
    for metric in table().metrics:
        reason = _unassessable(metric, ctx)
        if reason:
            out[metric.id] = reason
            continue
        if metric.test == "compliance":
            assert ctx.compliant is not None
            out[metric.id] = metric.points if ctx.compliant.get(key(node), True) else 0
            continue
        if metric.level == "dataset":
            ok = _test(metric, node, graph, ctx)
            out[metric.id] = metric.points if ok else metric.false_points
            continue
        if not dists:
            # Decision (docs/quality.md): no distribution, nothing earned; no negative points either.
            out[metric.id] = 0
            continue
        results = [_test(metric, d, graph, ctx) for d in dists]
        if any(r is None for r in results):
            out[metric.id] = "a link check did not finish within the time budget"
            continue
        share = sum(1 for r in results if r) / len(results)
        out[metric.id] = metric.points * share + metric.false_points * (1 - share)
    return out


def _sum(metrics: Mapping[str, float | str | None]) -> dict[str, Any]:
    tab = table()
    by_dim: dict[str, dict[str, float]] = {d: {"score": 0.0, "max": 0} for d in tab.dimensions}
    for metric in tab.metrics:
        value = metrics.get(metric.id)
        if isinstance(value, (int, float)):
            by_dim[metric.dimension]["score"] += value
            by_dim[metric.dimension]["max"] += metric.points
    total = sum(d["score"] for d in by_dim.values())
    top = sum(d["max"] for d in by_dim.values())
    return {"score": _round(total), "max": top, **_scaled(total, top),
            "dimensions": {d: {"score": _round(v["score"]), "max": v["max"]} for d, v in by_dim.items()}}


def _scaled(total: float, top: int) -> dict[str, Any]:
    tab = table()
    if top == 0:
        return {"scaled": None, "band": NOT_ASSESSED}
    scaled = total * tab.max / top
    return {"scaled": _round(scaled), "band": band(scaled)}


def _round(x: float) -> float:
    return round(x + 0.0, 2)


# --- findings → datasets ----------------------------------------------------------------------------------------

def owners(graph: Graph) -> dict[str, list[str]]:
    """Node key → the datasets it describes: the dataset, its distributions and the nodes one hop from either."""
    props = [p for p in graph.values if p != TITLE]
    out: dict[str, list[str]] = defaultdict(list)
    dist_of = graph.values[DISTRIBUTION]
    for ds in graph.datasets:
        dk = key(ds)
        nodes = {dk}
        for d in dist_of.get(ds, []):
            nodes.add(key(d))
            for p in props:
                nodes.update(key(o) for o in graph.values[p].get(d, []) if not isinstance(o, ox.Literal))
        for p in props:
            nodes.update(key(o) for o in graph.values[p].get(ds, []) if not isinstance(o, ox.Literal))
        for n in nodes:
            out[n].append(dk)
    return out


def canonical(graph: Graph, owner_map: dict[str, list[str]]) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Rename blank nodes to the canonical labels findings carry (bnodes.py), only when there are blank nodes."""
    blanks = {k[2:] for k in owner_map if k.startswith("_:")}
    if not blanks or graph.store is None:
        return owner_map, {}
    from ldt_conform.bnodes import canonical_labels

    labels = {f"_:{raw}": new for raw, new in canonical_labels(graph.store, blanks).items()}
    return {labels.get(k, k): [labels.get(d, d) for d in v] for k, v in owner_map.items()}, labels


# --- one catalogue ----------------------------------------------------------------------------------------------

def score_catalogue(source: str, graph: Graph, findings: Sequence[Finding], rules: Sequence[Rule],
                    ctx: Context) -> dict[str, Any]:
    """The catalogue's score, per-dataset scorecards (worst first) and the fixes that matter most."""
    tab = table()
    if not graph.datasets:
        return {"target": source, "datasets": 0, "band": NOT_ASSESSED,
                "reason": "the catalogue has no dcat:Dataset to score"}
    owner_map, labels = canonical(graph, owners(graph))
    ds_keys = [labels.get(key(d), key(d)) for d in graph.datasets]
    counts: dict[str, dict[str, int]] = {k: {"errors": 0, "warnings": 0} for k in ds_keys}
    error_rules: dict[str, set[str]] = defaultdict(set)
    rule_hits: dict[str, dict[str, Any]] = {}
    for f in findings:
        owned = sorted(set(owner_map.get(f.focus, ())))
        hit = rule_hits.setdefault(f.rule, {"findings": 0, "datasets": set()})
        hit["findings"] += 1
        hit["datasets"].update(owned)
        for ds in owned:
            if f.severity is Severity.ERROR:
                counts[ds]["errors"] += 1
                error_rules[ds].add(f.rule)
            elif f.severity is Severity.WARNING:
                counts[ds]["warnings"] += 1
    if ctx.compliant is not None:
        ctx = replace(ctx, compliant={k: not error_rules.get(k) for k in ds_keys})
    per_dataset = []
    for node, dk in zip(graph.datasets, ds_keys):
        metrics = score_dataset(node, graph, ctx)
        titles = graph.values[TITLE].get(node, [])
        per_dataset.append({"dataset": dk, **({"title": _title(titles)} if titles else {}),
                            **_sum(metrics), **counts[dk], "metrics": metrics})
    n = len(per_dataset)
    means: dict[str, float | str | None] = {}
    metric_rows = []
    for metric in tab.metrics:
        earned = [d["metrics"][metric.id] for d in per_dataset if isinstance(d["metrics"][metric.id], (int, float))]
        if not earned:
            reason = next(str(d["metrics"][metric.id]) for d in per_dataset)
            means[metric.id] = reason
            metric_rows.append({"metric": metric.id, "dimension": metric.dimension, "status": NOT_ASSESSED,
                                "max": metric.points, "reason": reason})
            continue
        mean = sum(earned) / len(earned)
        means[metric.id] = mean
        failing = sum(1 for e in earned if e < metric.points)
        metric_rows.append({"metric": metric.id, "dimension": metric.dimension, "score": _round(mean),
                            "max": metric.points, "datasets_failing": failing, "datasets_assessed": len(earned)})
    scorecards = [{k: v for k, v in d.items() if k != "metrics"} | {
        "metrics": {m: (_round(v) if isinstance(v, (int, float)) else None) for m, v in d["metrics"].items()}}
        for d in per_dataset]
    scorecards.sort(key=lambda d: (d["scaled"] if d["scaled"] is not None else 1e9, -d["errors"], -d["warnings"],
                                   d["dataset"]))
    fixes = _fixes(tab, metric_rows, rule_hits, error_rules, rules, ctx, n)
    return {"target": source, "datasets": n, **_sum(means), "metrics": metric_rows,
            "scorecards": scorecards, "fixes": fixes}


def _title(titles: list[ox.Term]) -> str:
    english = [t for t in titles if isinstance(t, ox.Literal) and t.language in ("en", None)]
    return sorted(t.value for t in (english or titles))[0]


def _fixes(tab: Table, metric_rows: list[dict[str, Any]], rule_hits: dict[str, dict[str, Any]],
           error_rules: dict[str, set[str]], rules: Sequence[Rule], ctx: Context, n: int) -> list[dict[str, Any]]:
    """Rules and metrics ranked by the catalogue points fixing them would add, then by the findings they remove."""
    by_id = {r.id: r for r in rules}
    compliance = next(m for m in tab.metrics if m.test == "compliance")
    fixes: list[dict[str, Any]] = []
    for rule_id, hit in rule_hits.items():
        # Compliance points come back only for datasets where this rule is the last error left.
        sole = sum(1 for rules_of in error_rules.values() if rules_of == {rule_id})
        points = compliance.points * sole / n if ctx.compliant is not None else 0.0
        rule = by_id.get(rule_id)
        fixes.append({"kind": "rule", "id": rule_id, "title": rule.title if rule else rule_id,
                      "severity": rule.severity.value if rule else None, "findings": hit["findings"],
                      "datasets": len(hit["datasets"]), "points": _round(points), "fix": _fix_text(rule)})
    for row in metric_rows:
        if row.get("status") == NOT_ASSESSED or row["score"] >= row["max"]:
            continue
        metric = next(m for m in tab.metrics if m.id == row["metric"])
        if metric.test == "compliance":
            continue  # shown through the rules that break it
        fixes.append({"kind": "metric", "id": metric.id, "title": metric.title, "findings": 0,
                      "datasets": row["datasets_failing"], "points": _round(row["max"] - row["score"]),
                      "fix": metric.fix})
    fixes.sort(key=lambda f: (-f["points"], -f["findings"], -f["datasets"], f["id"]))
    return fixes


def _fix_text(rule: Rule | None) -> str:
    if rule is None:
        return ""
    text = rule.message or rule.description or rule.title
    return re.sub(r"\s*\{[a-z_]+\}", "", text).strip()


# --- the run ----------------------------------------------------------------------------------------------------

def compliance_state(report: Report, source: str) -> str | None:
    """Why DCAT-AP compliance can't be judged from our verdicts on `source`, or None when it can."""
    shacl = {r.id for r in report.rules if r.kind == "shacl" and r.enabled}
    results = [r for r in report.results if r.target == source and r.rule in shacl]
    if not results:
        return "no DCAT-AP (SHACL) rule was evaluated on this catalogue"
    broken = [r.rule for r in results if r.status is Status.ERROR]
    if broken:
        return f"rule {broken[0]} could not be evaluated (error), so compliance is not proven"
    return None


def link_urls(graph: Graph) -> set[str]:
    """Every access and download URL of the datasets' distributions (what --check-links asks about)."""
    props = {p for m in table().metrics if m.test == "status" for p in m.properties}
    return {o.value for ds in graph.datasets for d in graph.values[DISTRIBUTION].get(ds, []) for p in props
            for o in graph.values[p].get(d, []) if isinstance(o, ox.NamedNode)}


def attach(report: Report, targets: Sequence[Any], *, artefacts: Any = None, check_links: bool = False,
           link_options: Mapping[str, Any] | None = None) -> Report:
    """Score every RDF target of the run; the report gets `quality` only when there was a catalogue to score."""
    rdf = [t for t in targets if getattr(t, "prepared", None) is not None]
    if not rdf:
        return report
    lookups = load_lookups(artefacts)
    shacl = {r.id for r in report.rules if r.kind == "shacl"}
    catalogues = []
    for target in rdf:
        graph = index(target.prepared.store)
        links = None
        if check_links:
            from ldt_conform import links as linkcheck

            links = linkcheck.check(link_urls(graph), **dict(link_options or {}))
        reason = compliance_state(report, target.source)
        ctx = Context(lookups=lookups, links=links, compliant={} if reason is None else None,
                      compliance_reason=reason or "")
        findings = [f for f in report.findings if f.target == target.source and f.rule in shacl]
        catalogues.append(score_catalogue(target.source, graph, findings, report.rules, ctx))
    quality = {"method": "data.europa.eu MQA (offline)", "source": dict(table().source), "max": table().max,
               "check_links": check_links, "catalogues": catalogues}
    return replace(report, quality=quality)


# --- trends (baselines and `ldt-conform diff`) ------------------------------------------------------------------

SUMMARY_KEYS = ("datasets", "score", "max", "scaled", "band", "dimensions")


def summary(quality: Mapping[str, Any], identity: Any = str) -> dict[str, Any]:
    """What a baseline keeps of the score: per catalogue, the totals (no scorecards)."""
    return {"max": quality.get("max"), "check_links": quality.get("check_links"),
            "catalogues": [{"target": identity(c["target"]), **{k: c[k] for k in SUMMARY_KEYS if k in c}}
                           for c in quality.get("catalogues", ())]}


def change(old: Mapping[str, Any], new: Mapping[str, Any], identity: Any = str) -> list[dict[str, Any]]:
    """Per catalogue, the score before and after; malformed or absent quality blocks count as no score."""
    def by_target(data: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
        block = data.get("quality")
        cats = block.get("catalogues") if isinstance(block, Mapping) else None
        return {identity(c["target"]): c for c in cats or () if isinstance(c, Mapping) and isinstance(c.get("target"), str)}

    before, after = by_target(old), by_target(new)
    rows = []
    for target in sorted(set(before) | set(after)):
        a, b = before.get(target, {}), after.get(target, {})
        sa, sb = a.get("scaled"), b.get("scaled")
        numeric = isinstance(sa, (int, float)) and isinstance(sb, (int, float))
        rows.append({"target": target,
                     "old": {k: a[k] for k in ("score", "max", "scaled", "band") if k in a} or None,
                     "new": {k: b[k] for k in ("score", "max", "scaled", "band") if k in b} or None,
                     "change": _round(sb - sa) if numeric else None,
                     **({"note": "the assessed points differ (e.g. --check-links or an artefact in one run only): "
                                 "compare the scaled scores with care"}
                        if numeric and a.get("max") != b.get("max") else {})})
    return rows
