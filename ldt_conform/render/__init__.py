"""Renderers: one module per output format; each reads a Report and writes text or bytes."""
from __future__ import annotations

import importlib
import os
import tempfile
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
    """Write to a temporary file beside the target, then rename: a report is never left half-written."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise UsageError(str(path), f"cannot write report: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UsageError(str(path), f"cannot write report: {exc.strerror or exc}") from None


def check_writable(path: Path) -> None:
    """Fail before the run, not after minutes of validation, when an output path can't be written."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise UsageError(str(path), "cannot write report: the directory does not exist")
    if path.is_dir():
        raise UsageError(str(path), "cannot write report: it is a directory")
    if not os.access(directory, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(str(path), "cannot write report: permission denied")


def render(fmt: str, report: Any, **options: Any) -> str | bytes:
    return renderer(fmt)(report, **options)
