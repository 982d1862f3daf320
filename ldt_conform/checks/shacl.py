"""The SHACL check kind: one validation per target for all SHACL rules, results mapped back to rules by shape."""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from ldt_conform import memo, tool_ids
from ldt_conform.checks import CheckOutput, RunContext, format_message, shacl_ranges
from ldt_conform.errors import BudgetError, ProfileError
from ldt_conform.checks.shacl_scope import Declaration, FocusProbe, declarations, describe
from ldt_conform.model import Finding, Result, Rule, Severity, Status, Why
from ldt_conform.shacl_fast.shapes import read_shapes

target_kinds = ("rdf",)
UNMAPPED_RULE = tool_ids.UNMAPPED
CRASH_RULE = tool_ids.CRASH


@dataclass(frozen=True)
class ShapesBundle:
    """The profile's shapes graph, read once, with every shape mapped to the rule that owns it."""

    graph: Graph
    owner: dict[str, str]
    # The prefixes the shapes files declare (dct:, not rdflib's own dcterms:): how messages name classes and paths.
    prefixes: tuple[tuple[str, str], ...] = ()


def run(rules: Sequence[Rule], target: Any, ctx: RunContext) -> CheckOutput:
    bundle = _bundle(ctx)
    wanted = {r.id for r in rules}
    # The same selection applies to every target of the run: build its shapes graph once, not once per file.
    key = "shacl.shapes:" + ",".join(sorted(wanted))
    if key not in ctx.cache:
        ctx.cache[key] = memo.SELECTED_SHAPES.get((_bundle_key(ctx), key), lambda: _with_deactivated(bundle, wanted))
    shapes = ctx.cache[key]
    rule_by_id = {r.id: r for r in ctx.profile.rules}
    output = CheckOutput()
    engine = "fast" if ctx.engine in ("auto", "fast") else "pyshacl"
    sink = ctx.findings_sink
    per_rule: dict[str, list[Finding]] = defaultdict(list)
    found: Counter[str] = Counter()  # findings per rule: what the results need when the findings are streamed

    def take(items: Sequence[Any], engine_name: str) -> None:
        made: list[Finding] = []
        for item in items:
            finding = _finding(item, bundle, wanted, rule_by_id, target, ctx, engine_name)
            if finding is not None:
                made.append(finding)
                found[finding.rule] += 1
        if sink is not None:
            sink(made)
        else:
            for finding in made:
                per_rule[finding.rule].append(finding)

    engine, lost = _validate(target, shapes, ctx, key, take, stream=sink is not None)
    output.engines.add(engine)
    for failure in lost:
        # A lost shard: its focus nodes were not verified, so no rule of this target can pass.
        output.findings.append(Finding(rule=CRASH_RULE, severity=Severity.ERROR, target=target.source,
                                       focus=target.source, value=failure, engine=engine,
                                       message=f"a SHACL shard could not be evaluated: {failure}"))
    probe = FocusProbe(target.prepared.store)
    for rule in rules:
        output.findings.extend(per_rule.get(rule.id, []))
        decls = _declarations(bundle, rule, ctx)
        if not found[rule.id] and probe.applies(decls) is False:
            # No shape of the rule had a focus node: "no violation" proves nothing about this input.
            output.results.append(Result(rule.id, target.source, Status.NOT_VERIFIED, engine=engine,
                                         why=Why.NOT_APPLICABLE,
                                         reason=f"no focus node in this input (needs {describe(decls)})"))
            continue
        if lost and not found[rule.id]:
            output.results.append(Result(rule.id, target.source, Status.ERROR, engine=engine,
                                         reason=f"{len(lost)} shard(s) not evaluated"))
            continue
        output.results.append(Result(rule.id, target.source, Status.FAIL if found[rule.id] else Status.PASS,
                                     engine=engine))
    output.findings.extend(per_rule.get(UNMAPPED_RULE, []))
    return output


def _finding(item: Any, bundle: ShapesBundle, wanted: set[str], rule_by_id: dict[str, Rule], target: Any,
             ctx: RunContext, engine: str) -> Finding | None:
    """One engine result as the finding of the rule that owns its shape; None for a shape of an unselected rule."""
    owner = bundle.owner.get(item.source_shape)
    if owner is None:
        return Finding(
            rule=UNMAPPED_RULE, severity=Severity.WARNING, target=target.source, focus=item.focus,
            path=item.path, value=item.source_shape, engine=engine,
            message=f"shape {item.source_shape} ({_local(item.component)}) reported a problem that no rule owns"
                    + (f": {item.message}" if item.message else ""),
            source=item.source_shape)
    if owner not in wanted:
        return None
    rule = rule_by_id[owner]
    template = rule.text("message", ctx.lang)
    extra = _range_words(bundle, item, target, ctx) if any(p in template for p in shacl_ranges.PLACEHOLDERS) else {}
    return Finding(
        rule=owner, severity=rule.severity, target=target.source, focus=item.focus, path=item.path,
        value=item.value, source=item.source_shape, engine=engine,
        message=format_message(rule, ctx.lang, item.message, focus=item.focus, path=item.path, value=item.value,
                               **extra))


def _range_words(bundle: ShapesBundle, item: Any, target: Any, ctx: RunContext) -> dict[str, str]:
    """{expected} {found} {fix} {property} of a class (range) result, for messages that name them."""
    expectations = ctx.cache.setdefault("shacl.expectations", {})
    if item.source_shape not in expectations:
        expectations[item.source_shape] = shacl_ranges.expectation(bundle.graph, item.source_shape)
    if "shacl.namespaces" not in ctx.cache:
        ctx.cache["shacl.namespaces"] = shacl_ranges.namespaces(bundle.prefixes)
    names = ctx.cache["shacl.namespaces"]
    expect = expectations[item.source_shape]
    # Not a class constraint, or a result of the shape's other constraints without a value node (its sh:minCount,
    # say): say what the engine said rather than describe a value that is not there.
    if expect is None or item.value is None:
        return {"expected": item.message or _local(item.component), "found": item.value or "", "fix": "",
                "property": shacl_ranges.compact(item.path, names) if item.path else ""}
    return shacl_ranges.placeholders(expect, item.value, item.path, target.prepared.store, ctx.lang, names)


Take = Callable[[Sequence[Any], str], None]


def _validate(target: Any, shapes: Graph, ctx: RunContext, key: str, take: Take,
              stream: bool = False) -> tuple[str, list[str]]:
    """Run the selected engine and give its results to `take` (with the engine's name); `auto` prefers the fast
    engine and falls back to pyshacl for what it can't do. With `stream`, results come a shape (or a Dask shard)
    at a time instead of all at once.

    Returns the engine's name and the shards (with --dask) that gave no results, and why.
    """
    if ctx.engine in ("auto", "fast"):
        return _validate_fast(target, shapes, ctx, key, take, stream)
    take(_validate_pyshacl(target, shapes, f"profile {ctx.profile.id}"), "pyshacl")
    return "pyshacl", []


def _validate_fast(target: Any, shapes: Graph, ctx: RunContext, key: str, take: Take,
                   stream: bool) -> tuple[str, list[str]]:
    from ldt_conform import shacl_fast
    from ldt_conform.shacl_fast.api import compile_shapes

    # Compiling the shapes costs far more than validating a small file: a run over many inputs compiles them once
    # per rule selection (a folder of 200 small catalogues went from 26 s to about the time of one file).
    if key + ":fast" not in ctx.cache:
        # Shapes read and compiled by an earlier run of this process are reused (ldt_conform/memo.py): compiling a
        # profile's shapes costs about a second, more than checking a small file.
        unsupported = memo.UNSUPPORTED_SHAPES.get((_bundle_key(ctx), key),
                                                  lambda: shacl_fast.unsupported_shapes(shapes))
        if unsupported and ctx.engine == "fast":
            first = next(iter(unsupported.items()))
            raise ProfileError(first[0], f"the fast engine cannot evaluate this shape ({first[1]}); use --engine auto")
        for shape, reason in unsupported.items():
            ctx.debug(f"shacl: {shape} → pyshacl ({reason})")
        try:
            compiled = memo.COMPILED_SHAPES.get((_bundle_key(ctx), key),
                                                lambda: compile_shapes(shapes, frozenset(unsupported)))
        except shacl_fast.ShapesError as exc:
            raise ProfileError(exc.shape or "shapes", f"ill-formed shapes graph: {exc}") from None
        only = memo.PYSHACL_ONLY_SHAPES.get((_bundle_key(ctx), key),
                                            lambda: _only_shapes(shapes, set(unsupported))) if unsupported else None
        ctx.cache[key + ":fast"] = (unsupported, compiled, only)
    unsupported, compiled, only = ctx.cache[key + ":fast"]
    engine = "fast" if only is None else "fast+pyshacl"
    lost: list[str] = []
    try:
        if ctx.options.get("dask"):
            lost = _validate_dask(target, shapes, ctx, key, frozenset(unsupported), lambda rs: take(rs, engine),
                                  stream)
        else:
            results = shacl_fast.validate(target.prepared, shapes, jobs=ctx.jobs, skip_shapes=frozenset(unsupported),
                                          time_budget_s=ctx.options.get("time_budget"), compiled=compiled,
                                          on_results=(lambda rs: take(rs, engine)) if stream else None)
            take(results, engine)
    except shacl_fast.ShapesError as exc:
        raise ProfileError(exc.shape or "shapes", f"ill-formed shapes graph: {exc}") from None
    except shacl_fast.BudgetExceeded as exc:
        raise BudgetError(f"{target.source}: shape {exc.shape}",
                          f"validation exceeded the time budget of {ctx.options.get('time_budget')} s "
                          "(raise it with --time-budget, or use --store-dir for very large inputs)") from None
    if only is not None:
        # Shapes the fast engine cannot evaluate (SHACL-SPARQL, e.g. uniqueness across datasets) may compare focus
        # nodes with each other: they are never sharded but run once, here, on the whole graph.
        take(_validate_pyshacl(target, only, f"profile {ctx.profile.id}"), engine)
    return engine, lost


def _validate_dask(target: Any, shapes: Graph, ctx: RunContext, key: str, skip: frozenset[str],
                   take: Callable[[Sequence[Any]], None], stream: bool) -> list[str]:
    """The fast engine's shapes as focus shards on a Dask cluster; merged results equal the single-process run.

    With `stream`, each shard's results go to `take` as the shard finishes (the spool deduplicates what two
    shards share); otherwise they are merged first."""
    from ldt_conform.load import FORMATS
    from ldt_conform.shacl_fast.api import merge
    from ldt_conform.shacl_fast.distribute import cluster_for, shapes_box, shard_specs

    cluster = ctx.cache.get("dask.cluster")
    if cluster is None:
        cluster = ctx.cache["dask.cluster"] = cluster_for(ctx.options["dask"])
    count = ctx.options.get("dask_shards") or cluster.workers()
    source = Path(target.source)
    if source.is_file():
        specs = shard_specs(target.source, FORMATS[target.format].media_type, count, path=str(source.resolve()),
                            base_iri=target.base_iri)
    else:  # a URL or stdin: the workers get the parsed graph itself
        specs = shard_specs(target.source, "application/n-quads", count,
                            data=ox.serialize(target.prepared.quads(), format=ox.RdfFormat.N_QUADS))
    lost: list[str] = []
    kept = []
    for outcome in cluster.run(specs, shapes_box(shapes, skip, key), ctx.options.get("time_budget")):
        if outcome.error is not None:
            lost.append(f"{outcome.spec.label} {outcome.error}")
        elif stream:
            take(outcome.results)
        else:
            kept.append(outcome.results)
    if not stream:
        take(merge(kept))
    return sorted(lost)


def _validate_pyshacl(target: Any, shapes: Graph, where: str = "shapes") -> list[Any]:
    import pyshacl

    from ldt_conform.shacl_fast.pyshacl_adapter import results_from_pyshacl

    data = to_rdflib(target.quads)
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True, meta_shacl=False,
                                    allow_warnings=True, allow_infos=True)
    if not isinstance(report, Graph):
        # pyshacl refuses some shapes outright (e.g. a SHACL-SPARQL query with SERVICE) and returns its reason as a
        # ValidationFailure instead of a report: that is the profile's problem, said in pyshacl's words.
        reason = str(report).removeprefix("ValidationFailure: ")
        raise ProfileError(where, f"pyshacl refused the shapes graph: {reason}")
    return results_from_pyshacl(report, shapes)


def to_rdflib(quads: Sequence[ox.Quad]) -> Graph:
    """The union of all graphs as one rdflib Graph (pyshacl validates the default graph only)."""
    graph = Graph()
    add = graph.add
    for quad in quads:
        add((_term(quad.subject), URIRef(quad.predicate.value), _term(quad.object)))
    return graph


def _term(term: Any) -> Any:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported RDF term {term!r}")


def _declarations(bundle: ShapesBundle, rule: Rule, ctx: RunContext) -> frozenset[Declaration]:
    key = "shacl.targets:" + rule.id
    if key not in ctx.cache:
        ctx.cache[key] = declarations(bundle.graph, rule.check["shapes"])
    return ctx.cache[key]  # type: ignore[no-any-return]


def _bundle(ctx: RunContext) -> ShapesBundle:
    if "shacl.bundle" not in ctx.cache:
        ctx.cache["shacl.bundle"] = memo.SHAPES_BUNDLES.get(
            _bundle_key(ctx), lambda: load_bundle(ctx.profile.shacl_files, ctx.profile.rules))
    return ctx.cache["shacl.bundle"]  # type: ignore[no-any-return]


def _bundle_key(ctx: RunContext) -> tuple[Any, ...]:
    """What load_bundle reads: each shapes file (path and content hash) and the shapes each SHACL rule owns."""
    if "shacl.bundle_key" not in ctx.cache:
        files = tuple((str(f), _file_digest(f)) for f in ctx.profile.shacl_files)
        owners = tuple((r.id, r.profile, tuple(r.check["shapes"])) for r in ctx.profile.rules if r.kind == "shacl")
        ctx.cache["shacl.bundle_key"] = (files, owners)
    return ctx.cache["shacl.bundle_key"]  # type: ignore[no-any-return]


def _file_digest(file: Path) -> str | None:
    try:
        return hashlib.sha256(file.read_bytes()).hexdigest()
    except OSError:
        return None  # load_bundle reports the unreadable file; a failure is never cached


def load_bundle(files: Sequence[Path], rules: Sequence[Rule]) -> ShapesBundle:
    """Read every shapes file of the profile chain and compute which rule owns which shape."""
    graph = Graph()
    declared: dict[str, str] = {}
    for file in files:
        try:
            part = read_shapes([(str(file), _format(file))])
            graph += part
            for prefix, namespace in part.namespaces():
                declared.setdefault(prefix, str(namespace))
        except Exception as exc:  # noqa: BLE001 - rdflib raises many unrelated types for bad syntax
            raise ProfileError(str(file), f"cannot parse shapes: {str(exc).splitlines()[0][:200]}") from None
    owner: dict[str, str] = {}
    for rule in rules:
        if rule.kind != "shacl":
            continue
        for iri in rule.check["shapes"]:
            node = URIRef(iri)
            if (node, None, None) not in graph:
                raise ProfileError(f"{rule.profile}#rules[id={rule.id}].shacl.shapes",
                                   f"shape {iri} is not defined in any shapes file of the profile")
            for shape in _closure(graph, node):
                key = _key(shape)
                if owner.get(key, rule.id) != rule.id:
                    raise ProfileError(f"{rule.profile}#rules[id={rule.id}].shacl.shapes",
                                       f"shape {key} is already owned by rule {owner[key]}")
                owner[key] = rule.id
    return ShapesBundle(graph, owner, tuple(declared.items()))


def _closure(graph: Graph, shape: Any) -> list[Any]:
    """A shape and the property shapes it reaches through sh:property (their results carry their own IRI)."""
    seen: list[Any] = []
    stack = [shape]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.append(node)
        stack.extend(graph.objects(node, SH.property))
    return seen


def _with_deactivated(bundle: ShapesBundle, wanted: set[str]) -> Graph:
    """A copy of the shapes graph in which shapes of unselected rules are sh:deactivated."""
    off = [k for k, rule_id in bundle.owner.items() if rule_id not in wanted]
    if not off:
        return bundle.graph
    graph = Graph()
    for triple in bundle.graph:
        graph.add(triple)
    for key in off:
        node = BNode(key[2:]) if key.startswith("_:") else URIRef(key)
        graph.set((node, SH.deactivated, Literal(True)))
    return graph


def _only_shapes(shapes: Graph, keep: set[str]) -> Graph:
    """The shapes graph with every shape deactivated except `keep` (what pyshacl must do for the fast engine)."""
    graph = Graph()
    for triple in shapes:
        graph.add(triple)
    for node in set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(SH.path, None)):
        if _key(node) not in keep:
            graph.set((node, SH.deactivated, Literal(True)))
    return graph


def _key(node: Any) -> str:
    return f"_:{node}" if isinstance(node, BNode) else str(node)


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _format(file: Path) -> str:
    return {".ttl": "turtle", ".nt": "nt", ".rdf": "xml", ".jsonld": "json-ld", ".trig": "trig"}.get(
        file.suffix.lower(), "turtle")


