"""Plans a validation run: focus nodes and SPARQL focus patterns per shape, and the batched questions to ask."""

from __future__ import annotations

from dataclasses import dataclass

from ldt_conform.shacl_fast.data import Data
from ldt_conform.shacl_fast.filters import VALUE_KINDS, constraint_expr
from ldt_conform.shacl_fast.partition import Part
from ldt_conform.shacl_fast.shapes import Shape
from ldt_conform.shacl_fast.terms import OxTerm


@dataclass(slots=True)
class Task:
    shape: Shape
    focus: set[OxTerm]
    pattern: str | None


def reachable(top: list[Shape]) -> list[Shape]:
    seen: dict[int, Shape] = {}
    stack = list(top)
    while stack:
        s = stack.pop()
        if id(s) in seen:
            continue
        seen[id(s)] = s
        for c in s.constraints:
            p = c.param
            if isinstance(p, Shape):
                stack.append(p)
            elif isinstance(p, list):
                stack.extend(x for x in p if isinstance(x, Shape))
            elif isinstance(p, tuple) and p and isinstance(p[0], Shape):
                stack.append(p[0])
                stack.extend(p[2])
    return list(seen.values())


def plan(data: Data, top: list[Shape], part: Part | None = None) -> list[Task]:
    """Compute focus sets, and register every predicate filter and cardinality question up front.

    With ``part``, each shape keeps only the focus nodes that shard owns (its SPARQL pattern narrowed alike).
    """
    tasks = []
    restricted: dict[int, tuple[set[OxTerm], set[OxTerm]]] = {}
    for shape in top:
        data.current_shape = shape.key
        args = (shape.target_nodes, shape.target_classes, shape.target_subjects_of, shape.target_objects_of)
        focus = data.focus_nodes(*args)
        pattern = data.target_pattern(*args) if focus else None
        if part is not None and part.count > 1:
            # Many shapes share one cached focus set (a class's instances): restrict each set once.
            key = id(focus)
            if key not in restricted:
                restricted[key] = (focus, part.restrict(focus))  # the set itself is kept so its id stays unique
            focus = restricted[key][1]
            # No focus pattern: the shard's questions then go to the predicate-wide answers (cached, shared by all
            # shapes), which measured far cheaper than narrowing every pattern with an MD5 filter in SPARQL.
            pattern = None
        tasks.append(Task(shape, focus, pattern))
        if pattern is None:
            continue
        direct = [shape] if shape.path is not None else [c.param for c in shape.constraints if c.kind == "property"]
        for ps in direct:
            if ps.path is None or not ps.path.is_predicate or ps.deactivated:
                continue
            for c in ps.constraints:
                if c.kind == "minCount" and c.param == 1:
                    data.min_preds.setdefault(pattern, set()).add(ps.path.iri or "")
    for shape in reachable(top):
        if shape.path is None or not shape.path.is_predicate:
            continue
        pred = shape.path.iri or ""
        for c in shape.constraints:
            if c.kind == "maxCount" and c.param == 1:
                data.max1_preds.add(pred)
            elif c.kind in VALUE_KINDS:
                expr = constraint_expr(c) or "true"
                exprs = data.scan_exprs.setdefault(pred, [])
                if expr not in exprs:
                    exprs.append(expr)
    return tasks
