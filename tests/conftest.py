"""Shared fixtures: the read-only corpus in ../shared, a CLI runner that explains wrong exit codes, a seeded artefact store."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Sequence

import pytest
from click.testing import CliRunner, Result

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()
CORPUS = SHARED / "corpus"
PROFILES = REPO / "profiles"
EXAMPLES = REPO / "examples"

os.environ.setdefault("LDT_CONFORM_NO_FAST_EXIT", "1")


def corpus_path(*parts: str) -> Path:
    """A file of ../shared/corpus; the whole test is skipped, saying why, when the corpus is not beside the repo."""
    path = CORPUS.joinpath(*parts)
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return path


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return CORPUS


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the user's cache; the artefact store is seeded from the shared corpus, never the network."""
    monkeypatch.setenv("LDT_CONFORM_CACHE", str(tmp_path_factory.getbasetemp() / "artefact-cache"))
    monkeypatch.setenv("LDT_CONFORM_SEED", str(CORPUS))
    monkeypatch.delenv("NO_COLOR", raising=False)


def run_cli(args: Sequence[str], expect: int | None = 0, input: bytes | str | None = None,
            env: dict[str, str] | None = None) -> Result:
    """Invoke the CLI in-process; on an unexpected exit code, fail showing stdout and stderr."""
    from ldt_conform.cli import cli

    runner = CliRunner()
    result = runner.invoke(cli, list(args), input=input, env=env, catch_exceptions=False)
    if expect is not None and result.exit_code != expect:
        pytest.fail(f"ldt-conform {' '.join(args)} exited {result.exit_code}, expected {expect}\n"
                    f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}")
    return result


@pytest.fixture
def cli() -> Any:
    return run_cli


_THIS_CONFTEST = sys.modules[__name__]


def pytest_collectstart(collector: pytest.Collector) -> None:
    """Sub-folders have their own conftest.py, which pytest also registers as the module `conftest`; test modules that
    do `from conftest import REPO, run_cli, …` mean this one, so it is put back before each test module is imported."""
    if isinstance(collector, pytest.Module):
        sys.modules["conftest"] = _THIS_CONFTEST
