"""Shared fixtures: the read-only corpus in ../shared, a CLI runner that explains wrong exit codes, a seeded artefact store."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Iterator, Sequence

import pytest
from click.testing import CliRunner, Result

import corpus as _corpus
from ldt_conform.shacl_fast import data as _data

# The Dask tests' fixtures: a LocalCluster per module, and closing what an in-process CLI run left connected.
pytest_plugins = ("dask_cluster",)

REPO = Path(__file__).resolve().parents[1]
# The upstream artefacts (tests/corpus.py): ../shared/corpus, or its fetched copy; a path that does not exist when
# neither is available (tests that need it are marked `corpus` or go through corpus_path / the corpus fixture).
CORPUS = _corpus.root() or _corpus.LOCAL
SHARED = CORPUS.parent
PROFILES = REPO / "profiles"
EXAMPLES = REPO / "examples"
# A profile of one SHACL rule (T-001 owning ex:S in shapes.ttl), for tests that write their own shapes beside it.
ONE_RULE_PROFILE = """format = "ldt-conform/profile@1"
id = "t"
version = "1"
title = "t"
prefix = "T"
[prefixes]
ex = "https://example.org/shapes#"
[shacl]
files = ["shapes.ttl"]
[[rules]]
id = "T-001"
name = "t"
title = "t"
severity = "error"
message = "fix it"
refs = [{ id = "x", url = "https://example.org/x" }]
shacl = { shapes = ["ex:S"] }
"""

os.environ.setdefault("LDT_CONFORM_NO_FAST_EXIT", "1")


def corpus_path(*parts: str) -> Path:
    """A file of the test corpus; skipped with the one reason (a failure under CI=true) when it is not available."""
    return _corpus.path(*parts)


@pytest.fixture(scope="session")
def corpus() -> Path:
    return _corpus.require()


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Tests marked `corpus` read upstream artefacts: without them they skip with one reason, or fail under CI."""
    if item.get_closest_marker("corpus") is not None:
        _corpus.require()


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache_for_the_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Module and session fixtures are set up before the function-scoped isolation below: they must not read the
    user's cache either (test_i18n's twin report once depended on what earlier runs had cached there)."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LDT_CONFORM_CACHE", str(tmp_path_factory.getbasetemp() / "artefact-cache"))
        env.setenv("LDT_CONFORM_SEED", str(CORPUS))
        yield


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the user's cache; the artefact store is seeded from the shared corpus, never the network."""
    monkeypatch.setenv("LDT_CONFORM_CACHE", str(tmp_path_factory.getbasetemp() / "artefact-cache"))
    monkeypatch.setenv("LDT_CONFORM_SEED", str(CORPUS))
    monkeypatch.delenv("NO_COLOR", raising=False)


# The loader's settings as shipped, before _pipelined_load below shrinks them for every test.
SHIPPED_LOAD = {name: getattr(_data, name) for name in ("PIPELINE", "PIPE_AFTER", "PIPE_CHUNK", "PIPE_RAMP")}


@pytest.fixture(autouse=True)
def _pipelined_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every in-process load of a new store goes through the pipelined loader (data.PIPELINE, even if switched off) in
    several chunks (tests' inputs are far smaller than the 5,000 quads of a real chunk), so the suite exercises the
    chunk boundaries and the loader thread; test_load_pipeline.py checks it against the direct load."""
    monkeypatch.setattr(_data, "PIPELINE", True)
    monkeypatch.setattr(_data, "PIPE_AFTER", 20)
    monkeypatch.setattr(_data, "PIPE_CHUNK", 50)


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
