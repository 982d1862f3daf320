"""The `pdf` format: the funder's audit document: the HTML report printed by WeasyPrint (no network)."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from ldt_conform.errors import UsageError
from ldt_conform.model import Report

INSTALL_HINT = "PDF reports need WeasyPrint: pip install 'ldt-conform[pdf]'"


def available() -> None:
    """Raise a usage error before the run, not after it, when WeasyPrint or a system library it needs is missing."""
    problem = _problem()
    if problem:
        raise UsageError("pdf", f"{INSTALL_HINT}, with Pango and HarfBuzz ({problem})")


@lru_cache(maxsize=1)
def _problem() -> str | None:
    """Import WeasyPrint and print a one-line page: Pango and harfbuzz-subset are loaded only when it really prints."""
    try:
        import weasyprint

        weasyprint.HTML(string="<p>ldt-conform</p>", url_fetcher=_no_fetch).write_pdf()
    except Exception as exc:  # noqa: BLE001 - ImportError, OSError from a missing shared library, ...
        return f"{type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}"
    return None


def render(report: Report, lang: str = "en", **_: Any) -> bytes:
    available()
    import weasyprint

    from ldt_conform.render.html import render as render_html
    from ldt_conform.render.labels import labels

    document = render_html(report, lang=lang, print_mode=True)
    words = labels(lang)
    html = weasyprint.HTML(string=document, base_url=".", url_fetcher=_no_fetch)
    return _write(html, report, words["report_title"])


def _write(html: Any, report: Report, title: str) -> bytes:
    doc = html.render()
    doc.metadata.title = f"{title}: {report.profile.title}"
    doc.metadata.generator = f"ldt-conform {report.tool_version}"
    doc.metadata.created = report.finished_at
    doc.metadata.modified = report.finished_at
    doc.metadata.keywords = [report.profile.id, report.profile.version, "conformance"]
    return doc.write_pdf()  # type: ignore[no-any-return]


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The report is self-contained: any URL WeasyPrint tries to load is refused, so printing never touches the net."""
    raise ValueError(f"ldt-conform PDF rendering does not fetch {url}")
