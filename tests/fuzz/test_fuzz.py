"""A short fuzz run of every parser entry point (tools/fuzz.py runs the same targets for minutes)."""
from __future__ import annotations

import os
from pathlib import Path

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
    # 10-minute runs of 2026-12-01: arrays nested deeper than tomllib can recurse raised RecursionError.
    ("profile_loader", b'format = "ldt-conform/profile@1"\nx = ' + b"[" * 3000 + b"]" * 3000 + b"\n"),
    # A NUL inside a manifest path: Path.resolve() raised ValueError ("embedded null byte").
    ("manifest_loader", b'extends = "dcat-ap-3"\n[twin]\nname = "T"\ncatalogue = ["\\u0000c.ttl"]\n'),
]


@pytest.mark.parametrize("target,data", REGRESSIONS, ids=[f"{k}-{i}" for i, (k, _) in enumerate(REGRESSIONS)])
def test_regression(target: str, data: bytes) -> None:
    kind, _, arg = target.partition(":")
    getattr(t, kind)(*((arg, data) if arg else (data,)))


def test_deep_toml_is_one_clear_profile_error(tmp_path: Path) -> None:
    from ldt_conform.errors import ProfileError
    from ldt_conform.profile import read_manifest

    path = tmp_path / "profile.toml"
    path.write_text("x = " + "[" * 3000 + "]" * 3000 + "\n")
    with pytest.raises(ProfileError) as caught:
        read_manifest(path)
    assert (caught.value.where, caught.value.message) == (str(path), "TOML nested too deep to read")


def test_nul_in_a_manifest_path_is_one_clear_error(tmp_path: Path) -> None:
    from ldt_conform import manifest
    from ldt_conform.errors import ProfileError

    path = tmp_path / "ldt-conform.toml"
    path.write_text('extends = "dcat-ap-3"\n[twin]\nname = "T"\ncatalogue = ["\\u0000c.ttl"]\n')
    with pytest.raises(ProfileError) as caught:
        manifest.load(path)
    assert caught.value.where == f"{path}#twin.catalogue[0]"
    assert caught.value.message == "'\\x00c.ttl' contains a NUL character, which no file name or URL may hold"


def test_a_lone_surrogate_in_a_report_fingerprints_instead_of_crashing() -> None:
    from ldt_conform.baseline import fingerprint

    # A JSON report may carry "\ud800"; the fingerprint is stable and tells it apart from the same text without it.
    one = fingerprint("R", "\ud800t", "f", None, None)
    assert one == fingerprint("R", "\ud800t", "f", None, None)
    assert one != fingerprint("R", "t", "f", None, None)
    assert len(one) == 64
