"""Shared fixtures of the report tests: one real CLI run rendering every format, and the browser/poppler set-up.

Browser set-up (documented in docs/ci.md): the session fixture `system_tools` installs the distribution's Chromium,
poppler-utils, WeasyPrint's Pango/HarfBuzz libraries and fonts-dejavu-core with `apt-get update && apt-get install`
once per test session when /usr/bin/chromium or the poppler tools are missing and we run as root (as CI does);
otherwise the browser tests are skipped, saying why. Playwright only drives that binary (executable_path); it never
downloads a browser.
"""
from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, Iterator

import pytest

from corpus import missing as tool_missing  # noqa: E402
from corpus import require as corpus_require  # noqa: E402
from conftest import CORPUS, REPO, run_cli  # noqa: E402
from ldt_conform.render import EXTENSIONS  # noqa: E402
from ldt_conform.render import FORMATS as RENDER_FORMATS  # noqa: E402

# WeasyPrint's own needs on Debian (Pango, HarfBuzz subsetting) come first: the PDF tests install them too.
PDF_PACKAGES = ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core")
APT_PACKAGES = ("chromium", "poppler-utils", *PDF_PACKAGES)
CHROMIUM = "/usr/bin/chromium"
REAL_INPUT = CORPUS / "dcat" / "ckanext-dcat" / "catalog.rdf"
FORMATS = tuple(RENDER_FORMATS)  # the one registry of output formats
SUFFIX = EXTENSIONS


def _apt_install(packages: tuple[str, ...] = APT_PACKAGES) -> str | None:
    """Install Debian packages (once per session each); returns why not when it can't."""
    if shutil.which("apt-get") is None:
        return "apt-get not available"
    if os.geteuid() != 0:
        return f"not root: install {' '.join(packages)} with apt-get first"
    for command in (["apt-get", "update", "-qq"],
                    ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages]):
        done = subprocess.run(command, capture_output=True, text=True, timeout=1200,
                              env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        if done.returncode != 0:
            return f"{' '.join(command)} failed: {done.stderr.strip()[-300:]}"
    return None


@functools.lru_cache(maxsize=1)
def pdf_problem() -> str | None:
    """Why WeasyPrint cannot print here, after installing the system libraries it needs if they are missing."""
    from ldt_conform.render import pdf

    if pdf._problem() is None:
        return None
    reason = _apt_install(PDF_PACKAGES)
    pdf._problem.cache_clear()
    return reason or pdf._problem()


@pytest.fixture(scope="session")
def pdf_ready() -> None:
    problem = pdf_problem()
    if problem:
        tool_missing(f"PDF printing is not possible here: {problem}")


@pytest.fixture(scope="session")
def system_tools() -> dict[str, str]:
    """Chromium, pdftoppm and pdftotext from the distribution, installed once per session when missing."""
    needed = {"chromium": CHROMIUM, "pdftoppm": "pdftoppm", "pdftotext": "pdftotext"}
    if not all(shutil.which(tool) for tool in needed.values()):
        reason = _apt_install()
        if reason:
            tool_missing(f"browser tests need Chromium and poppler-utils: {reason}")
    missing = [name for name, tool in needed.items() if not shutil.which(tool)]
    if missing:
        tool_missing(f"still missing after apt-get install: {', '.join(missing)}")
    return {name: shutil.which(tool) or tool for name, tool in needed.items()}


@pytest.fixture(scope="session")
def artifacts_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Screenshots go to test-artifacts/ (gitignored) when the repo is writable, else to a temporary folder."""
    target = REPO / "test-artifacts"
    try:
        target.mkdir(exist_ok=True)
        return target
    except OSError:
        return tmp_path_factory.mktemp("artifacts")


@contextlib.contextmanager
def seeded(tmp_path_factory: pytest.TempPathFactory, cwd: Path | None = None) -> Iterator[None]:
    """For module-scoped fixtures, which run before the autouse per-test fixture that seeds the artefact store."""
    saved = {k: os.environ.get(k) for k in ("LDT_CONFORM_SEED", "LDT_CONFORM_CACHE")}
    before = os.getcwd()
    os.environ["LDT_CONFORM_SEED"] = str(CORPUS)
    os.environ["LDT_CONFORM_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    if cwd is not None:
        os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(before)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="module")
def one_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """ONE `check` run on a real catalogue writing every format (the run is never repeated per format)."""
    if not REAL_INPUT.is_file():
        corpus_require()
    out = tmp_path_factory.mktemp("one-run")
    shutil.copyfile(REAL_INPUT, out / "catalog.rdf")
    args = ["check", "catalog.rdf", "--profile", "dcat-ap-3", "--quiet"]
    for fmt in (f for f in FORMATS if f != "pdf" or pdf_problem() is None):
        args += ["--report", f"{fmt}=report.{SUFFIX[fmt]}"]
    with seeded(tmp_path_factory, cwd=out):
        result = run_cli(args, expect=1)
    files = {fmt: out / f"report.{SUFFIX[fmt]}" for fmt in FORMATS}
    import json

    return {"dir": out, "files": files, "stderr": result.stderr,
            "report": json.loads(files["json"].read_text("utf-8"))}
