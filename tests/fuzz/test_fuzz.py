"""A short fuzz run of every parser entry point (tools/fuzz.py runs the same targets for minutes)."""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz import targets as t

EXAMPLES = int(os.environ.get("LDT_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", t.RDF_FORMATS)
def test_rdf_loader(fmt: str) -> None:
    @FUZZ
    @given(t.mutated(t.SEEDS_RDF[fmt]))
    def run(data: bytes) -> None:
        t.rdf_loader(fmt, data)
    run()


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_payload_loader(fmt: str) -> None:
    @FUZZ
    @given(t.mutated(t.SEEDS_JSON))
    def run(data: bytes) -> None:
        t.payload_loader(fmt, data)
    run()


@pytest.mark.slow
def test_profile_loader() -> None:
    @FUZZ
    @given(t.mutated(t.SEEDS_TOML))
    def run(data: bytes) -> None:
        t.profile_loader(data)
    run()


@pytest.mark.slow
def test_manifest_loader() -> None:
    @FUZZ
    @given(t.mutated(t.SEEDS_TOML))
    def run(data: bytes) -> None:
        t.manifest_loader(data)
    run()


@pytest.mark.slow
def test_diff_reader() -> None:
    @FUZZ
    @given(t.mutated(t.SEEDS_REPORT), st.sampled_from(t.SEEDS_REPORT))
    def run(old: bytes, new: bytes) -> None:
        t.diff_reader(old, new)
    run()


@pytest.mark.slow
def test_verify_reader() -> None:
    @FUZZ
    @given(t.mutated(t.SEEDS_EVIDENCE))
    def run(data: bytes) -> None:
        t.verify_reader(data)
    run()


# Crashes the long runs found, kept as regressions (each failed before its fix).
REGRESSIONS: list[tuple[str, bytes]] = [
    # `extends` longer than a file name may be: Path.is_file() raised OSError (ENAMETOOLONG) → "internal error".
    ("profile_loader", b'format = "ldt-conform/profile@1"\nid = "p"\nversion = "1"\ntitle = "t"\nextends = "'
                       + b"<!DOCTYPE" * 50 + b'dcat-ap-3"\n'),
    ("manifest_loader", b'extends = "' + b"-Infinity" * 50 + b'dcat-ap-3"\n[twin]\nname = "T"\n'),
    # A bundle manifest listing a path longer than a file name may be: is_symlink() raised OSError.
    ("verify_reader", b'{"format": "ldt-conform/evidence@1", "files": [{"path": "' + b"-Infinity" * 50
                      + b'reports/report.json", "sha256": "00", "size": 1}]}'),
]


@pytest.mark.parametrize("target,data", REGRESSIONS, ids=[f"{k}-{i}" for i, (k, _) in enumerate(REGRESSIONS)])
def test_regression(target: str, data: bytes) -> None:
    kind, _, arg = target.partition(":")
    getattr(t, kind)(*((arg, data) if arg else (data,)))
