"""The suite's own rules: what a machine lacks is one skip (a failure under CI=true), corpus files come through the
pinned artefact store, goldens are never written silently, and an empty parametrised set fails collection."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

import corpus
import goldens
from conftest import REPO
from servers.util import Handler, LocalServer


def _outcome(func: Any, *args: Any) -> tuple[type[BaseException], str]:
    """Which pytest outcome `func` raises, as a value: a wrong outcome must fail this test, not skip it."""
    try:
        func(*args)
    except (pytest.skip.Exception, pytest.fail.Exception) as exc:
        return type(exc), str(exc)
    raise AssertionError(f"{func.__name__} returned instead of skipping or failing")


@pytest.fixture
def no_corpus(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """As on a fresh clone: no shared corpus beside the repository, fetching off."""
    monkeypatch.setattr(corpus, "LOCAL", tmp_path / "no-such-corpus")
    monkeypatch.delenv(corpus.FETCH_ENV, raising=False)
    corpus.root.cache_clear()
    yield
    corpus.root.cache_clear()


def test_a_missing_corpus_is_one_skip(no_corpus: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    assert _outcome(corpus.require) == (pytest.skip.Exception, corpus.REASON)
    # every test that needs the corpus skips for the same one reason
    assert _outcome(corpus.path, "dcat", "ckanext-dcat", "catalog.rdf") == (pytest.skip.Exception, corpus.REASON)


def test_a_missing_corpus_fails_under_ci(no_corpus: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    assert _outcome(corpus.require) == (pytest.fail.Exception, f"CI=true and {corpus.REASON}")


@pytest.mark.parametrize("ci, outcome", [(None, pytest.skip.Exception), ("true", pytest.fail.Exception),
                                         ("false", pytest.skip.Exception)])
def test_missing_tool_policy(monkeypatch: pytest.MonkeyPatch, ci: str | None, outcome: type[Exception]) -> None:
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    kind, message = _outcome(corpus.missing, "Chromium is not installed")
    assert kind is outcome and "Chromium is not installed" in message


def test_pinned_list_is_stable_and_never_empty() -> None:
    catalogues = corpus.files("dcat", suffixes=(".ttl", ".rdf"))
    assert "dcat/ckanext-dcat/catalog.rdf" in catalogues and len(catalogues) >= 20
    with pytest.raises(RuntimeError, match="no pinned corpus file"):
        corpus.files("no-such-folder")


class _Files(Handler):
    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        body = self.app.state["files"].get(self.path)
        self.send(404 if body is None else 200, body or b"", "text/turtle")


def test_fetching_by_pinned_url_checks_the_sha256(no_corpus: None, monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    good, bad = b"<a> <b> <c> .\n", b"<x> <y> <z> .\n"
    with LocalServer(_Files) as server:
        server.state["files"] = {"/good.nt": good, "/bad.nt": bad}
        pins: dict[str, tuple[str, Any]] = {
            "dcat/good.nt": (hashlib.sha256(good).hexdigest(), server.url + "/good.nt"),
            "dcat/bad.nt": (hashlib.sha256(b"what was pinned").hexdigest(), server.url + "/bad.nt"),
            "dcat/unpinned.nt": (hashlib.sha256(b"-").hexdigest(), None),
        }
        monkeypatch.setattr(corpus, "pins", lambda: pins)
        monkeypatch.setenv("LDT_CONFORM_CACHE", str(tmp_path / "cache" / "artefacts"))
        monkeypatch.setenv(corpus.FETCH_ENV, "1")
        corpus.root.cache_clear()
        folder = corpus.require()
    assert (folder / "dcat" / "good.nt").read_bytes() == good
    assert not (folder / "dcat" / "bad.nt").exists(), "a file whose sha256 differs from its pin is never used"
    assert not (folder / "dcat" / "unpinned.nt").exists()


def test_missing_golden_fails_and_only_the_one_variable_regenerates(monkeypatch: pytest.MonkeyPatch,
                                                                    tmp_path: Path) -> None:
    golden = tmp_path / "report.json"
    for name in (goldens.REGEN, *goldens.RETIRED, "CI"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(pytest.fail.Exception, match="is missing"):
        goldens.check(golden, "{}")
    assert not golden.exists(), "a missing golden is never written by a normal run"
    monkeypatch.setenv("LDT_CONFORM_UPDATE_GOLDEN", "1")
    with pytest.raises(pytest.fail.Exception, match="no longer read"):
        goldens.check(golden, "{}")
    monkeypatch.delenv("LDT_CONFORM_UPDATE_GOLDEN")
    monkeypatch.setenv(goldens.REGEN, "1")
    goldens.check(golden, "{}")
    assert golden.read_text("utf-8") == "{}"
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="under CI"):
        goldens.check(golden, "{}")
    monkeypatch.delenv("CI")
    monkeypatch.delenv(goldens.REGEN)
    with pytest.raises(AssertionError, match="differs"):
        goldens.check(golden, "[]")


def test_an_empty_parametrised_set_fails_collection(tmp_path: Path) -> None:
    (tmp_path / "test_empty.py").write_text(
        "import pytest\n\n@pytest.mark.parametrize('x', [])\ndef test_x(x):\n    pass\n", "utf-8")
    done = subprocess.run([sys.executable, "-m", "pytest", "-c", str(REPO / "pyproject.toml"), "--rootdir",
                           str(tmp_path), "-p", "no:cacheprovider", "-q", str(tmp_path / "test_empty.py")],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode != 0 and "Empty parameter set" in done.stdout, done.stdout[-2000:]
