"""Stable blank-node labels: derived from what a blank node says, so reports and baselines survive relabelling."""
from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Iterable

import pyoxigraph as ox

_DEPTH = 3


def canonical_labels(quads: Iterable[ox.Quad]) -> dict[str, str]:
    """Map each parser-assigned blank-node label to `_:b<hash>`, a hash of its outgoing and incoming edges."""
    outgoing: dict[str, list[tuple[str, ox.Term]]] = defaultdict(list)
    incoming: dict[str, list[tuple[str, ox.Term]]] = defaultdict(list)
    for quad in quads:
        subject, predicate, obj = quad.subject, quad.predicate.value, quad.object
        if isinstance(subject, ox.BlankNode):
            outgoing[subject.value].append((predicate, obj))
        if isinstance(obj, ox.BlankNode):
            incoming[obj.value].append((predicate, subject))
    memo: dict[tuple[str, int], str] = {}

    def describe(label: str, depth: int) -> str:
        key = (label, depth)
        if key not in memo:
            memo[key] = ""  # cycles through blank nodes end here instead of recursing forever
            out = sorted(f"{p} {_term(o, depth, describe)}" for p, o in outgoing.get(label, ()))
            inc = sorted(f"^{p} {_term(s, depth, describe)}" for p, s in incoming.get(label, ()))
            memo[key] = "{" + ";".join(out + inc) + "}"
        return memo[key]

    labels = set(outgoing) | set(incoming)
    hashed: dict[str, str] = {label: hashlib.sha1(describe(label, _DEPTH).encode()).hexdigest()[:12] for label in labels}
    # Blank nodes that say exactly the same thing are indistinguishable; number them in a stable order.
    by_hash: dict[str, list[str]] = defaultdict(list)
    for label, digest in hashed.items():
        by_hash[digest].append(label)
    result: dict[str, str] = {}
    for digest, group in by_hash.items():
        for index, label in enumerate(sorted(group)):
            result[label] = f"_:b{digest}" + (f"-{index}" if len(group) > 1 else "")
    return result


def _term(term: ox.Term, depth: int, describe: object) -> str:
    if isinstance(term, ox.BlankNode):
        return describe(term.value, depth - 1) if depth > 0 else "_"  # type: ignore[operator]
    return str(term)
