"""A pipe in an input's name cannot split the Markdown provenance table (GFM splits cells on pipes in code spans)."""
from __future__ import annotations

from dataclasses import replace

from factory import report
from ldt_conform.model import TargetInfo
from ldt_conform.render import render


def test_pipe_in_a_source_is_escaped_inside_its_table_cell() -> None:
    rep = replace(report(), targets=(TargetInfo(source="data/a|b.ttl", kind="rdf", sha256="ab" * 32, size=1,
                                                triples=1, format="turtle"),))
    lines = render("markdown", rep, lang="en").splitlines()  # type: ignore[union-attr]
    at = next(i for i, line in enumerate(lines) if "a\\|b.ttl" in line)
    row = lines[at]
    assert row.startswith("| `data/a\\|b.ttl` | rdf | ")
    top = at
    while top > 0 and lines[top - 1].startswith("|"):
        top -= 1
    header = lines[top]  # the provenance table's own header: the row must have exactly its number of cell borders
    assert row.replace("\\|", "").count("|") == header.count("|")
