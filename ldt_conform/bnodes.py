"""Stable blank-node labels: derived from what a blank node says, so reports and baselines survive relabelling."""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import replace
from typing import Any, Iterable, TypeVar

import pyoxigraph as ox

from ldt_conform.model import Finding
from ldt_conform.shacl_fast.terms import decode_term

_DEPTH = 3
T = TypeVar("T")


def canonical_labels(store: ox.Store, labels: Iterable[str]) -> dict[str, str]:
    """Map parser-assigned labels of the given blank nodes to `_:b<hash>`, a hash of their edges to depth 3.

    Only the blank nodes that appear in findings are described, by looking their edges up in the store, so the
    cost follows the number of findings, not the size of the input.
    """
    memo: dict[tuple[str, int], str] = {}

    def term(node: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, depth: int) -> str:
        if isinstance(node, ox.BlankNode):
            return describe(node.value, depth - 1) if depth > 0 else "_"
        return str(decode_term(node))  # type: ignore[arg-type]

    def describe(label: str, depth: int) -> str:
        key = (label, depth)
        if key not in memo:
            node = ox.BlankNode(label)
            out = sorted(f"{q.predicate.value} {term(q.object, depth)}"
                         for q in store.quads_for_pattern(node, None, None))
            inc = sorted(f"^{q.predicate.value} {term(q.subject, depth)}"
                         for q in store.quads_for_pattern(None, None, node))
            memo[key] = "{" + ";".join(out + inc) + "}"
        return memo[key]

    # A label the store does not hold is left as it is: it is already canonical (a Dask worker named it from its
    # own store, shacl_fast/distribute.py) or names no node of this input; hashing it would describe nothing ("{}").
    present = {label for label in set(labels) if _in_store(store, ox.BlankNode(label))}
    hashed = {label: hashlib.sha1(describe(label, _DEPTH).encode()).hexdigest()[:12] for label in present}
    # Blank nodes that say exactly the same thing are indistinguishable; number them in a stable order.
    by_hash: dict[str, list[str]] = defaultdict(list)
    for label, digest in hashed.items():
        by_hash[digest].append(label)
    result: dict[str, str] = {}
    for digest, group in by_hash.items():
        for index, label in enumerate(sorted(group)):
            result[label] = f"_:b{digest}" + (f"-{index}" if len(group) > 1 else "")
    return result


def _in_store(store: ox.Store, node: ox.BlankNode) -> bool:
    return next(iter(store.quads_for_pattern(node, None, None)), None) is not None or \
        next(iter(store.quads_for_pattern(None, None, node)), None) is not None


def blank_labels(items: Iterable[Any]) -> set[str]:
    """The labels (without "_:") of the blank nodes that findings or SHACL results name as focus or value."""
    return {t[2:] for item in items for t in (item.focus, item.value) if t and t.startswith("_:")}


def names_blank_node(item: Any) -> bool:
    """Whether a finding or SHACL result (anything with `focus` and `value`) names a blank node."""
    return item.focus.startswith("_:") or (item.value is not None and item.value.startswith("_:"))


def relabel(item: T, labels: dict[str, str]) -> T:
    """`item` (a finding or SHACL result) with the blank nodes it names renamed as `labels` says (label without
    "_:" → new name with it); a finding's message names them by the new name too."""
    if not names_blank_node(item):
        return item

    def fix(text: str | None) -> str | None:
        return labels.get(text[2:], text) if text and text.startswith("_:") else text

    focus, value = item.focus, item.value  # type: ignore[attr-defined]
    changes: dict[str, Any] = {"focus": fix(focus) or focus, "value": fix(value)}
    if isinstance(item, Finding):  # its message names the node; a SHACL result's message is the shape's own
        olds = {old: labels[old[2:]] for old in (focus, value) if old and old.startswith("_:") and old[2:] in labels}
        if olds:
            changes["message"] = _whole_labels(olds).sub(lambda m: olds[m.group(0)], item.message)
    return replace(item, **changes)  # type: ignore[type-var]


def _whole_labels(olds: dict[str, str]) -> re.Pattern[str]:
    """The given blank-node names, each only where it is a whole name: `_:x` is not the start of `_:x2` or `_:x.y`.

    Renaming one name after the other with str.replace turned the start of `_:x2` into the new name of `_:x`, which
    left the message naming no node of the input."""
    names = "|".join(re.escape(old) for old in olds)
    # A Turtle blank node label goes on with letters, digits, '_', '-', U+00B7 or a '.' followed by one of them.
    return re.compile(f"(?:{names})(?!\\.?[\\w\\-\u00b7])")
