"""Focus-node partitions: which of k shards owns a focus node."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pyoxigraph as ox

from ldt_conform.shacl_fast.terms import OxTerm

# A focus node's bucket is the last two hex digits of the MD5 of its lexical form: stable across processes and
# machines (Python's hash() is salted per process). Blank node labels are not stable across parses: all go to shard 0.
BUCKETS = 256
MAX_SHARDS = BUCKETS


@dataclass(frozen=True)
class Part:
    """Shard ``index`` of ``count`` (0 <= index < count <= MAX_SHARDS)."""

    index: int
    count: int

    def __post_init__(self) -> None:
        if not 1 <= self.count <= MAX_SHARDS or not 0 <= self.index < self.count:
            raise ValueError(f"shard {self.index} of {self.count}: need 0 <= index < count <= {MAX_SHARDS}")

    def owns(self, term: OxTerm) -> bool:
        if type(term) is ox.BlankNode:
            return self.index == 0
        bucket = int(hashlib.md5(term.value.encode("utf-8")).hexdigest()[-2:], 16)
        return bucket % self.count == self.index

    def restrict(self, focus: set[OxTerm]) -> set[OxTerm]:
        if self.count == 1:
            return focus
        return {f for f in focus if self.owns(f)}
