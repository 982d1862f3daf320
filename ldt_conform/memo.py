"""Bounded process-wide memos of expensive pure work (valid manifests, parsed and compiled shapes), keyed by content."""
from __future__ import annotations

import os
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

_ALL: weakref.WeakSet[Memo] = weakref.WeakSet()


class Memo:
    """A least-recently-used map from a content key to a built value; a build that raises is never remembered.

    Keys must name everything the value is made of (file bytes by hash, not paths alone), so a hit is exactly what the
    build would give. `copy` hands each caller its own copy of a value callers may change (a parsed manifest); values
    nobody changes after building (shapes graphs, compiled shapes) are shared as they are.
    """

    def __init__(self, size: int, copy: Callable[[Any], Any] | None = None) -> None:
        self.size = size
        self.copy = copy
        self.items: OrderedDict[Hashable, Any] = OrderedDict()
        _ALL.add(self)

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        if key in self.items:
            self.items.move_to_end(key)
            value = self.items[key]
        else:
            value = build()
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return self.copy(value) if self.copy else value

    def clear(self) -> None:
        self.items.clear()


def copy_tree(value: Any) -> Any:
    """A deep copy of parsed TOML or JSON (dicts, lists, immutable scalars); several times faster than copy.deepcopy."""
    if isinstance(value, dict):
        return {k: copy_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_tree(v) for v in value]
    return value


def clear_all() -> None:
    for memo in list(_ALL):
        memo.clear()


# A forked process starts with empty memos: what it computes is its own (the fast engine's forked shards never need
# them, and a mutation-testing run that forks each mutant from a warmed-up process must run the mutant's code).
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=clear_all)

# Manifests found valid against the shipped profile schema, by the sha256 of their bytes; callers get their own copy.
MANIFESTS = Memo(256, copy=copy_tree)
# A profile chain's shapes graph and rule ownership (checks/shacl.ShapesBundle), by shapes files' content and owners.
SHAPES_BUNDLES = Memo(16)
# Per bundle and rule selection: the shapes graph with unselected rules deactivated, the shapes the fast engine
# cannot evaluate, its compiled shapes, and the graph pyshacl gets for the rest.
SELECTED_SHAPES = Memo(32)
UNSUPPORTED_SHAPES = Memo(32)
COMPILED_SHAPES = Memo(32)
PYSHACL_ONLY_SHAPES = Memo(32)
