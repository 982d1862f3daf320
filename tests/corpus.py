"""Upstream test artefacts (the shared corpus) and the policy for what a machine lacks: skip once, or fail under CI.

The corpus is never committed. Its files are pinned in tests/corpus-pins.txt (sha256, path, URL) and reach the tests
through the artefact store: seeded from ../shared/corpus when that is beside the repository; otherwise, with
LDT_CONFORM_TEST_FETCH=1, fetched by pinned URL and checked against the sha256; otherwise the tests that need them
skip with one reason. Under CI (CI=true) anything missing is a failure, never a skip.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parents[1]
LOCAL = Path(os.environ.get("LDT_CONFORM_CORPUS") or (REPO / ".." / "shared" / "corpus")).resolve()
PINS = REPO / "tests" / "corpus-pins.txt"
FETCH_ENV = "LDT_CONFORM_TEST_FETCH"
REASON = (f"upstream test artefacts not available: no shared corpus at {LOCAL}, and fetching them is off "
          f"({FETCH_ENV}=1 fetches the pinned files by URL and sha256)")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def missing(what: str) -> NoReturn:
    """What a test needs is not on this machine: a skip naming it, or under CI=true a failure."""
    if in_ci():
        pytest.fail(f"CI=true and {what}", pytrace=False)
    pytest.skip(what)


@lru_cache(maxsize=1)
def pins() -> dict[str, tuple[str, str | None]]:
    """corpus path → (sha256, URL or None)."""
    out: dict[str, tuple[str, str | None]] = {}
    for line in PINS.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            sha, rel, url = line.split("\t")
            out[rel] = (sha, None if url == "-" else url)
    if not out:
        raise RuntimeError(f"{PINS} lists no file")
    return out


@lru_cache(maxsize=1)
def root() -> Path | None:
    """The folder holding the corpus: ../shared/corpus, or the fetched copy; None when neither is possible."""
    if LOCAL.is_dir():
        return LOCAL
    if os.environ.get(FETCH_ENV) == "1":
        return _fetch_all()
    return None


def _fetch_all() -> Path:
    """Every pinned file with a URL, fetched once into the artefact cache and laid out as the corpus is."""
    from ldt_conform.artefacts import ArtefactStore, Pin, default_cache_dir
    from ldt_conform.fetch import Fetcher

    folder = default_cache_dir().parent / "test-corpus"
    store = ArtefactStore(fetcher=Fetcher(timeout=60))
    for rel, (sha, url) in pins().items():
        target = folder / rel
        if url is None or target.is_file():
            continue
        data = store.get_pinned(Pin(url, sha))  # checked against the sha256; None when it cannot be had
        if data is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    return folder


def require() -> Path:
    """The corpus folder, or skip (fail under CI) with the one reason."""
    found = root()
    if found is None:
        missing(REASON)
    return found


def path(*parts: str) -> Path:
    """One corpus file (skipping or failing, see require(), when it cannot be had)."""
    file = require().joinpath(*parts)
    if not file.is_file():
        missing(f"{'/'.join(parts)} is not in the test corpus at {file.parent}")
    return file


def files(*parts: str, suffixes: tuple[str, ...] = ()) -> list[str]:
    """Corpus paths under a folder, from the pin list: the same parametrised set whether or not the corpus is here."""
    prefix = "/".join(parts).rstrip("/") + "/"
    found = sorted(rel for rel in pins() if rel.startswith(prefix) and (not suffixes or rel.lower().endswith(suffixes)))
    if not found:
        raise RuntimeError(f"no pinned corpus file under {prefix} (tests/corpus-pins.txt)")
    return found
