"""A SHACL-SPARQL shape that pyshacl refuses (SERVICE in its query) is a profile error in pyshacl's words, exit 2."""
from __future__ import annotations

from pathlib import Path

from conftest import run_cli

SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
ex:S a sh:NodeShape ; sh:targetClass dcat:Dataset ;
  sh:sparql [ sh:select "SELECT $this WHERE { SERVICE <http://example.org/sparql> { $this ?p ?o } }" ] .
"""
PROFILE = """format = "ldt-conform/profile@1"
requires = ">=0.1"
id = "svc"
version = "1"
title = "A SHACL-SPARQL rule with a federated query"
prefix = "SVC"
[refs]
"X" = "https://example.org/"
[prefixes]
ex = "http://example.org/"
[shacl]
files = ["shapes.ttl"]
[[rules]]
id = "SVC-001"
name = "svc-rule"
title = "t"
severity = "error"
message = "m"
refs = [{ id = "X", url = "https://example.org/" }]
[rules.shacl]
shapes = ["ex:S"]
"""


def test_service_clause_is_a_profile_error_with_pyshacls_reason(tmp_path: Path) -> None:
    (tmp_path / "shapes.ttl").write_text(SHAPES, encoding="utf-8")
    (tmp_path / "profile.toml").write_text(PROFILE, encoding="utf-8")
    data = tmp_path / "d.ttl"
    data.write_text("@prefix dcat: <http://www.w3.org/ns/dcat#> . <http://e/d> a dcat:Dataset .\n", encoding="utf-8")
    result = run_cli(["check", str(data), "--profile", str(tmp_path / "profile.toml"), "-q"], expect=2)
    assert result.stderr.splitlines() == [
        "error: profile svc: pyshacl refused the shapes graph: "
        "A SPARQL Constraint must not contain a federated query (SERVICE)."]
