"""Renderers: one module per output format; each reads a Report and writes text or bytes."""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Callable

from ldt_conform.errors import UsageError

# Format → "module:function"; the function takes (report, options) and returns str or bytes.
RENDERERS: dict[str, str] = {
    "text": "ldt_conform.render.text:render",
    "json": "ldt_conform.render.json_:render",
    "sarif": "ldt_conform.render.sarif:render",
    "junit": "ldt_conform.render.junit:render",
    "earl": "ldt_conform.render.earl:render",
    "shacl": "ldt_conform.render.shacl_report:render",
    "markdown": "ldt_conform.render.markdown:render",
    "html": "ldt_conform.render.html:render",
    "pdf": "ldt_conform.render.pdf:render",
}
# The file name each format gets in an evidence bundle (and a sensible default elsewhere).
EXTENSIONS: dict[str, str] = {
    "text": "txt", "json": "json", "sarif": "sarif", "junit": "junit.xml", "earl": "earl.ttl",
    "shacl": "shacl.ttl", "markdown": "md", "html": "html", "pdf": "pdf",
}


def renderer(fmt: str) -> Callable[..., str | bytes]:
    if fmt not in RENDERERS:
        raise UsageError(fmt, f"unknown report format (choose from {', '.join(sorted(RENDERERS))})")
    module, _, func = RENDERERS[fmt].partition(":")
    loaded = importlib.import_module(module)
    if hasattr(loaded, "available"):  # an optional dependency (pdf → WeasyPrint) fails here, before the run
        loaded.available()
    return getattr(loaded, func)  # type: ignore[no-any-return]


def write_atomic(path: Path, content: str | bytes) -> None:
    """Atomic, umask-respecting, never through a symlink (the policy lives in ldt_conform.outputs)."""
    from ldt_conform.outputs import write_atomic as write

    write(path, content)


def check_writable(path: Path) -> None:
    """Fail before the run, not after minutes of validation, when an output path can't or mustn't be written."""
    from ldt_conform.outputs import check_path

    check_path(path)


def render(fmt: str, report: Any, **options: Any) -> str | bytes:
    return renderer(fmt)(report, **options)
