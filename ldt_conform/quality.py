"""The MQA-compatible quality score: mqa.toml's metrics over a catalogue graph, rolled up per dataset and catalogue."""
from __future__ import annotations

import itertools
import math
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any, Mapping, Sequence

import pyoxigraph as ox

from ldt_conform import quality_graph as qg
from ldt_conform.model import Finding, Report, Rule, Severity, Status

TABLE_PATH = Path(__file__).with_name("mqa.toml")
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

Graph = qg.Graph
index = qg.index


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
    # Dataset key → True when our SHACL rules found no error on it; None when compliance was not assessable.
    compliant: Mapping[str, bool] | None = None
    compliance_reason: str = "no DCAT-AP (SHACL) rule was evaluated on this catalogue"


def _unassessable(metric: Metric, ctx: Context) -> str | None:
    if metric.test == "status" and ctx.links is None:
        return "needs the network: run with --check-links"
    if metric.test == "lookup" and ctx.lookups.get(metric.artefact) is None:
        return f"the EDP lookup {metric.artefact} is not available offline (artefact store)"
    if metric.test == "compliance" and ctx.compliant is None:
        return ctx.compliance_reason
    return None


Column = Sequence[Any]  # one metric over graph.datasets, in that order (a list, or an array from the child)
UNFINISHED = "a link check did not finish within the time budget"


FACT_TESTS = ("present", "vocabulary", "lookup")  # decided by the graph's facts alone (and the lookups)


def fact_columns(graph: Graph, lookups: Mapping[str, frozenset[str] | None],
                 only: Sequence[Metric] | None = None) -> dict[str, Column]:
    """Metric id → what each dataset's points follow from, for the metrics the graph's facts decide (all of them
    that are assessable with these lookups, or `only` those): the points themselves for a dataset metric, the number
    of distributions that pass for a distribution metric. Independent of the findings, so the forked child of
    quality_fork.py works them out while the rules run."""
    ctx = Context(lookups=lookups)
    metrics = [m for m in (table().metrics if only is None else only)
               if m.test in FACT_TESTS and not _unassessable(m, ctx)]
    if not metrics:
        return {}
    datasets = graph.datasets
    valued = {p for m in metrics if m.test != "present" for p in m.properties}
    # A property's facts are read when a metric first needs them and dropped after the last metric that does: at
    # 200,000 datasets a distribution property's node set takes ~20 MB, and the child that runs this holds the
    # loaded store too, so its peak is the run's when all of them are held at once.
    last_use = {p: i for i, m in enumerate(metrics) for p in m.properties}
    fact: qg.Facts = {}
    nodes = graph.dist_count  # the distributions that are nodes (IRI or blank)
    out: dict[str, Column] = {}
    for i, metric in enumerate(metrics):
        unread = [p for p in metric.properties if p not in fact]
        if unread:
            fact.update(qg.facts(graph, unread, [p for p in unread if p in valued]))
        passed = qg.passing(fact, metric.test, metric.properties, namespaces=metric.namespaces,
                            all_properties=metric.all_properties,
                            flagged=(lookups.get(metric.artefact) or ()) if metric.test == "lookup" else ())
        if metric.level == "dataset":
            out[metric.id] = [metric.points if ds in passed else metric.false_points for ds in datasets]
        else:
            out[metric.id] = qg.passing_dists(graph, passed, nodes)
        for p in metric.properties:
            if last_use[p] == i:
                del fact[p]
    return out


def metric_values(graph: Graph, ctx: Context) -> tuple[dict[str, Column | str], dict[str, Column]]:
    """Metric id → the points each dataset earned (or why not assessed there), or why not assessed at all; and what
    the points follow from, as columns (equal inputs, equal points: the scorecards are worked out once per inputs).
    """
    metrics = table().metrics
    datasets = graph.datasets
    computed = dict(graph.columns)
    missing = [m for m in metrics if m.test in FACT_TESTS and m.id not in computed and not _unassessable(m, ctx)]
    if missing:
        computed.update(fact_columns(graph, ctx.lookups, missing))
    nodes = graph.dist_count  # the distributions that are nodes (IRI or blank)
    totals = [n + graph.literal_dists.get(ds, 0) for ds, n in zip(datasets, nodes)]
    out: dict[str, Column | str] = {}
    inputs: dict[str, Column] = {"(distributions)": totals, "(distribution nodes)": nodes}
    for metric in metrics:
        reason = _unassessable(metric, ctx)
        if reason:
            out[metric.id] = reason
        elif metric.test == "compliance":
            assert ctx.compliant is not None
            compliant = ctx.compliant
            out[metric.id] = inputs[metric.id] = [metric.points if compliant.get(ds, True) else 0 for ds in datasets]
        elif metric.test == "status":
            assert ctx.links is not None
            inputs[metric.id] = qg.link_passing(graph, metric.properties, ctx.links)
            out[metric.id] = _shared(metric, inputs[metric.id], nodes)
        elif metric.level == "dataset":
            out[metric.id] = inputs[metric.id] = computed[metric.id]
        else:
            # Worked out here, not sent by the child: a float object per dataset and metric would cost the parent
            # ~60 MB at 200,000 datasets (pickle does not share floats); _shared's table shares them.
            inputs[metric.id] = computed[metric.id]
            out[metric.id] = _shared(metric, inputs[metric.id], totals)
    return out, inputs


def _shared(metric: Metric, passing: Sequence[int | None], totals: Sequence[int]) -> Column:
    """The points of a distribution metric per dataset, from how many of its distributions pass (None: unknown)
    of how many; worked out once per distinct count of distributions."""
    points: dict[int, list[float]] = {}
    for n in set(totals):
        # Decision (docs/quality.md): no distribution, nothing earned; no negative points either.
        points[n] = [0] if n == 0 else [(metric.points * k + metric.false_points * (n - k)) / n for k in range(n + 1)]
    return [UNFINISHED if k is None else points[n][k] for k, n in zip(passing, totals)]


def _sum(metrics: Mapping[str, float | str | None]) -> dict[str, Any]:
    tab = table()
    score = dict.fromkeys(tab.dimensions, 0.0)
    top = dict.fromkeys(tab.dimensions, 0)
    for metric in tab.metrics:
        value = metrics.get(metric.id)
        if value is not None and not isinstance(value, str):
            score[metric.dimension] += value
            top[metric.dimension] += metric.points
    total, most = sum(score.values()), sum(top.values())
    return {"score": _round(total), "max": most, **_scaled(total, most),
            "dimensions": {d: {"score": _round(score[d]), "max": top[d]} for d in tab.dimensions}}


def _scaled(total: float, top: int) -> dict[str, Any]:
    if top == 0:
        return {"scaled": None, "band": NOT_ASSESSED}
    scaled = total * table().max / top
    return {"scaled": _round(scaled), "band": band(scaled)}


def _round(x: float) -> float:
    return round(x + 0.0, 2)


# --- one catalogue ----------------------------------------------------------------------------------------------

def score_catalogue(source: str, graph: Graph, findings: Sequence[Finding], rules: Sequence[Rule],
                    ctx: Context, *, release: bool = False,
                    groups: Any = None) -> dict[str, Any]:
    """The catalogue's score, per-dataset scorecards (worst first) and the fixes that matter most.

    With `release`, the graph's distribution index is dropped before the scorecards are built (attach: the graph is
    scored once); a released graph is refused. `groups` stands for `findings` already counted by (rule, focus,
    severity) (report_stream.FocusGroups: items() and iteration as a Counter's)."""
    if graph.released:
        raise ValueError("this catalogue graph's index was released by an earlier score; read it again (index)")
    tab = table()
    if not graph.datasets:
        return {"target": source, "datasets": 0, "band": NOT_ASSESSED,
                "reason": "the catalogue has no dcat:Dataset to score"}
    # Findings that share rule, focus and severity count alike: grouped in one pass at C speed.
    if groups is None:
        groups = Counter(map(attrgetter("rule", "focus", "severity"), findings))
    owned = qg.owners(graph, dict.fromkeys(focus for _, focus, _ in groups))  # in order of the findings
    counts: dict[str, list[int]] = {ds: [0, 0] for ds in graph.datasets}
    # Dataset → the rules with an error on it. The sets are frozen and shared: a rule on a node that 200,000 datasets
    # share would otherwise give each of them a set of its own (≈ 50 MB).
    error_rules: dict[str, frozenset[str]] = {}
    rule_hits: dict[str, dict[str, Any]] = {}
    # Foci that many datasets share (a licence, a concept: owners() gives equal owner lists as one object) are summed
    # per owner list first, so each of its datasets is visited once, not once per group of findings.
    per_list: dict[int, list[Any]] = {}  # id(owner list) → [the list, errors, warnings, rules with errors]
    error, warning = Severity.ERROR, Severity.WARNING
    for (rule, focus, severity), n in groups.items():
        hit = rule_hits.get(rule)
        if hit is None:
            hit = rule_hits[rule] = {"findings": 0, "datasets": set(), "lists": {}}
        hit["findings"] += n
        dss = owned.get(focus)
        if not dss:
            continue
        if len(dss) > 1:
            summed = per_list.get(id(dss))
            if summed is None:
                summed = per_list[id(dss)] = [dss, 0, 0, frozenset()]
            hit["lists"][id(dss)] = dss
            if severity is error:
                summed[1] += n
                summed[3] |= {rule}
            elif severity is warning:
                summed[2] += n
            continue
        ds = dss[0]
        hit["datasets"].add(ds)
        if severity is error:
            counts[ds][0] += n
            error_rules[ds] = error_rules.get(ds, frozenset()) | {rule}
        elif severity is warning:
            counts[ds][1] += n
    for dss, errors, warnings, with_errors in per_list.values():
        for ds in dss:
            c = counts[ds]
            c[0] += errors
            c[1] += warnings
            if with_errors:
                had = error_rules.get(ds)
                error_rules[ds] = with_errors if had is None or had <= with_errors else had | with_errors
    for hit in rule_hits.values():
        hit["datasets"] = hit["datasets"].union(*hit.pop("lists").values())
    if ctx.compliant is not None:
        ctx = replace(ctx, compliant={ds: not error_rules.get(ds) for ds in graph.datasets})
    values, inputs = metric_values(graph, ctx)
    names = qg.canonical_names(graph, graph.datasets)
    if release:
        graph.release_index()
    metric_rows = []
    means: dict[str, float | str] = {}
    for metric in tab.metrics:
        vals = values[metric.id]
        earned: list[Any] = [] if isinstance(vals, str) else [v for v in vals if v.__class__ is not str]
        if not earned:
            reason = vals if isinstance(vals, str) else vals[0]
            means[metric.id] = str(reason)
            metric_rows.append({"metric": metric.id, "dimension": metric.dimension, "status": NOT_ASSESSED,
                                "max": metric.points, "reason": str(reason)})
            continue
        mean = sum(earned) / len(earned)
        means[metric.id] = mean
        metric_rows.append({"metric": metric.id, "dimension": metric.dimension, "score": _round(mean),
                            "max": metric.points, "datasets_failing": len([e for e in earned if e < metric.points]),
                            "datasets_assessed": len(earned)})
    scorecards = _cards(graph.datasets, names, graph.titles, values, inputs, counts)
    worst_first(scorecards)
    fixes = _fixes(tab, metric_rows, rule_hits, error_rules, rules, ctx, len(graph.datasets))
    return {"target": source, "datasets": len(graph.datasets), **_sum(means), "metrics": metric_rows,
            "scorecards": scorecards, "fixes": fixes}


def worst_first(cards: list[dict[str, Any]]) -> None:
    """Sort scorecards in place: by scaled score (none last), then most errors, most warnings, then name.

    One stable pass per key, the last key first: a tuple key per card was ≈ 16 MB at the parent's peak at 200,000
    datasets (reverse=True keeps a pass stable)."""
    cards.sort(key=itemgetter("dataset"))
    cards.sort(key=itemgetter("warnings"), reverse=True)
    cards.sort(key=itemgetter("errors"), reverse=True)
    cards.sort(key=_scaled_or_last)


def _scaled_or_last(card: Mapping[str, Any]) -> float:
    scaled = card["scaled"]
    return math.inf if scaled is None else scaled


def _cards(datasets: Sequence[str], names: Mapping[str, str], titles: Mapping[str, str],
           values: Mapping[str, Column | str], inputs: Mapping[str, Column],
           counts: Mapping[str, list[int]]) -> list[dict[str, Any]]:
    """Every dataset's scorecard. Datasets whose metric inputs are equal get equal points, so the points, totals and
    dimensions are worked out once per distinct inputs (a catalogue of 10,000s has a few hundred) and those dicts are
    shared, read-only like the rest of the report, by the cards that have them."""
    tab = table()
    dims = list(tab.dimensions)
    plan: list[tuple[str, int, int, Column | None]] = []
    for m in tab.metrics:
        vals = values[m.id]
        plan.append((m.id, dims.index(m.dimension), m.points, None if isinstance(vals, str) else vals))
    columns = list(inputs.values())  # the metrics' inputs and the distribution counts they are shares of
    keys = zip(*columns) if columns else itertools.repeat(())
    parts: dict[tuple[Any, ...], tuple[dict[str, Any], dict[str, float | None]]] = {}
    out = []
    for i, (ds, inp) in enumerate(zip(datasets, keys)):
        part = parts.get(inp)
        if part is None:
            part = parts[inp] = _card_points(plan, dims, i)
        title = titles.get(ds)
        c = counts[ds]
        out.append({"dataset": names.get(ds, ds), **({"title": title} if title is not None else {}), **part[0],
                    "errors": c[0], "warnings": c[1], "metrics": part[1]})
    return out


def _card_points(plan: Sequence[tuple[str, int, int, Column | None]], dims: Sequence[str],
                 i: int) -> tuple[dict[str, Any], dict[str, float | None]]:
    """The score, max, scaled score, band and dimensions of dataset number `i`; its points per metric."""
    score = [0.0] * len(dims)
    top = [0] * len(dims)
    points: dict[str, float | None] = {}
    for metric_id, dim, most_points, vals in plan:
        value = None if vals is None else vals[i]
        if value is None or value.__class__ is str:
            points[metric_id] = None
            continue
        score[dim] += value
        top[dim] += most_points
        points[metric_id] = value if value.__class__ is int else round(value, 2)
    total, most = sum(score), sum(top)
    return ({"score": _round(total), "max": most, **_scaled(total, most),
             "dimensions": {d: {"score": _round(score[k]), "max": top[k]} for k, d in enumerate(dims)}}, points)


def _fixes(tab: Table, metric_rows: list[dict[str, Any]], rule_hits: dict[str, dict[str, Any]],
           error_rules: Mapping[str, frozenset[str]], rules: Sequence[Rule], ctx: Context,
           n: int) -> list[dict[str, Any]]:
    """Rules and metrics ranked by the catalogue points fixing them would add, then by the findings they remove."""
    by_id = {r.id: r for r in rules}
    compliance = next(m for m in tab.metrics if m.test == "compliance")
    fixes: list[dict[str, Any]] = []
    # Compliance points come back only for datasets where a rule is the last error left.
    only = Counter(next(iter(rules_of)) for rules_of in error_rules.values() if len(rules_of) == 1)
    for rule_id, hit in rule_hits.items():
        sole = only[rule_id]
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
    props = sorted({p for m in table().metrics if m.test == "status" for p in m.properties})
    return {u for urls in qg.link_urls(graph, props).values() for u in urls}


def attach(report: Report, targets: Sequence[Any], *, artefacts: Any = None, check_links: bool = False,
           link_options: Mapping[str, Any] | None = None, ahead: Any = None,
           groups: Mapping[str, Any] | None = None) -> Report:
    """Score every RDF target of the run; the report gets `quality` only when there was a catalogue to score.

    `ahead` is the child of `quality_fork.start` that read the graphs while the rules ran; what it did not deliver
    is read here. `groups`, per target, counts the findings of SHACL rules by (rule, focus, severity), for a report
    whose findings were streamed (report_stream.finish) and are not all in `report.findings`."""
    rdf = [t for t in targets if getattr(t, "prepared", None) is not None]
    if not rdf:
        return report
    # The child worked its columns out with the lookups it was given; the score uses the same.
    lookups = ahead.lookups if ahead is not None and ahead.lookups is not None else load_lookups(artefacts)
    shacl = {r.id for r in report.rules if r.kind == "shacl"}
    catalogues = []
    for target in rdf:
        read = ahead.graph(target) if ahead is not None else None
        graph = read if read is not None else index(target.prepared.store)
        graph.bnode_labels = getattr(target, "bnode_labels", None) or {}
        links = None
        if check_links:
            from ldt_conform import links as linkcheck

            links = linkcheck.check(link_urls(graph), **dict(link_options or {}))
        reason = compliance_state(report, target.source)
        ctx = Context(lookups=lookups, links=links, compliant={} if reason is None else None,
                      compliance_reason=reason or "")
        if groups is not None:
            catalogues.append(score_catalogue(target.source, graph, (), report.rules, ctx, release=True,
                                              groups=groups.get(target.source) or Counter()))
            continue
        findings = [f for f in report.findings if f.target == target.source and f.rule in shacl]
        catalogues.append(score_catalogue(target.source, graph, findings, report.rules, ctx, release=True))
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
        return {identity(c["target"]): c for c in cats or ()
                if isinstance(c, Mapping) and isinstance(c.get("target"), str)}

    before, after = by_target(old), by_target(new)
    rows = []
    for target in sorted(set(before) | set(after)):
        a, b = before.get(target, {}), after.get(target, {})
        sa, sb = a.get("scaled"), b.get("scaled")
        numeric = isinstance(sa, (int, float)) and isinstance(sb, (int, float))
        rows.append({"target": target,
                     "old": {k: a[k] for k in ("score", "max", "scaled", "band") if k in a} or None,
                     "new": {k: b[k] for k in ("score", "max", "scaled", "band") if k in b} or None,
                     "change": _round(float(sb) - float(sa)) if numeric else None,  # type: ignore[arg-type]
                     **({"note": "the assessed points differ (e.g. --check-links or an artefact in one run only): "
                                 "compare the scaled scores with care"}
                        if numeric and a.get("max") != b.get("max") else {})})
    return rows
