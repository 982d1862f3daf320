"""Focus-node partitions: which of k shards owns a focus node, decided identically in Python and in SPARQL."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pyoxigraph as ox

from ldt_conform.shacl_fast.terms import OxTerm

# A focus node's bucket is the last two hex digits of the MD5 of its lexical form: SPARQL 1.1 has MD5 but no
# integer hash, so both sides can compute it. Blank nodes have no lexical form in SPARQL: they all go to shard 0.
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

    def pattern(self, pattern: str | None) -> str | None:
        """``pattern`` (a group binding ?this) narrowed to the focus nodes this shard owns."""
        if pattern is None or self.count == 1:
            return pattern
        digits = ", ".join(f'"{b:02x}"' for b in range(BUCKETS) if b % self.count == self.index)
        cond = f"SUBSTR(MD5(STR(?this)), 31, 2) IN ({digits})"
        if self.index == 0:
            cond = f"isBlank(?this) || (!isBlank(?this) && {cond})"
        else:
            cond = f"!isBlank(?this) && {cond}"
        return f"{{ SELECT DISTINCT ?this WHERE {{ {pattern} FILTER({cond}) }} }}"
