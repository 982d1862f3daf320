"""Renderers: one module per output format; each reads a Report and writes text or bytes."""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Protocol, cast

from ldt_conform.errors import UsageError

if TYPE_CHECKING:
    from ldt_conform.model import Report


class Renderer(Protocol):
    """The contract of a format's `render` function: a Report in, the document out (text or bytes)."""

    def __call__(self, report: Report, *, lang: str = ..., **options: Any) -> str | bytes: ...


@dataclass(frozen=True)
class OutputFormat:
    """One output format: where its renderer lives and the file name it gets in an evidence bundle."""

    name: str
    renderer: str  # "module:function"; imported on first use so a run loads only the formats it writes
    extension: str


# The one registry of output formats: the CLI (--format, --report), evidence bundles and the tests all read it.
# The order is the order an evidence bundle writes them in.
FORMATS: dict[str, OutputFormat] = {f.name: f for f in (
    OutputFormat("json", "ldt_conform.render.json_:render", "json"),
    OutputFormat("html", "ldt_conform.render.html:render", "html"),
    OutputFormat("pdf", "ldt_conform.render.pdf:render", "pdf"),
    OutputFormat("sarif", "ldt_conform.render.sarif:render", "sarif"),
    OutputFormat("junit", "ldt_conform.render.junit:render", "junit.xml"),
    OutputFormat("earl", "ldt_conform.render.earl:render", "earl.ttl"),
    OutputFormat("shacl", "ldt_conform.render.shacl_report:render", "shacl.ttl"),
    OutputFormat("markdown", "ldt_conform.render.markdown:render", "md"),
    OutputFormat("text", "ldt_conform.render.text:render", "txt"),
)}
# Views of FORMATS for the callers that want one column.
RENDERERS: dict[str, str] = {name: f.renderer for name, f in FORMATS.items()}
EXTENSIONS: dict[str, str] = {name: f.extension for name, f in FORMATS.items()}


def renderer(fmt: str) -> Renderer:
    if fmt not in FORMATS:
        raise UsageError(fmt, f"unknown report format (choose from {', '.join(sorted(FORMATS))})")
    module, _, func = FORMATS[fmt].renderer.partition(":")
    loaded = importlib.import_module(module)
    if hasattr(loaded, "available"):  # an optional dependency (pdf → WeasyPrint) fails here, before the run
        loaded.available()
    return cast(Renderer, getattr(loaded, func))


def write_atomic(path: Path, content: str | bytes | Iterable[bytes]) -> None:
    """Atomic, umask-respecting, never through a symlink (the policy lives in ldt_conform.outputs)."""
    from ldt_conform.outputs import write_atomic as write

    write(path, content)


def check_writable(path: Path) -> None:
    """Fail before the run, not after minutes of validation, when an output path can't or mustn't be written."""
    from ldt_conform.outputs import check_path

    check_path(path)


def render(fmt: str, report: Report, **options: Any) -> str | bytes:
    return renderer(fmt)(report, **options)


def render_chunks(fmt: str, report: Report, **options: Any) -> Iterator[bytes]:
    """The document as written to a file: UTF-8 for text formats, in pieces. A format whose module has its own
    `render_chunks` (JSON) writes them directly, never holding one string or bytes object of a report that is 100 MB
    at 50,000 datasets."""
    renderer(fmt)  # the format check and the optional-dependency check, as render() makes them
    module = importlib.import_module(FORMATS[fmt].renderer.partition(":")[0])
    direct = getattr(module, "render_chunks", None)
    if direct is not None:
        return cast(Iterator[bytes], direct(report, **options))
    content = render(fmt, report, **options)
    return iter((content.encode("utf-8") if isinstance(content, str) else content,))


if TYPE_CHECKING:  # mypy proves that every registered render function keeps the Renderer contract
    from ldt_conform.render import earl, html, json_, junit, markdown, pdf, sarif, shacl_report, text

    _RENDERERS: tuple[Renderer, ...] = (json_.render, html.render, pdf.render, sarif.render, junit.render,
                                        earl.render, shacl_report.render, markdown.render, text.render)
