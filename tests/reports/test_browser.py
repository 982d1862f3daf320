"""The HTML report in a real, offline Chromium (Playwright drives the distribution's binary) and the PDF's first page.

Chromium and poppler-utils come from Debian packages: `support.system_tools` installs them once per session with
apt-get when they are missing (root, as in CI); otherwise these tests skip, saying why.
"""
from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

import factory
from ldt_conform.render import render
from support import CHROMIUM, artifacts_dir, one_run, pdf_ready, system_tools  # noqa: F401 - fixtures

pytestmark = pytest.mark.slow
expect: Any = None  # playwright.sync_api.expect once the browser fixture has imported Playwright
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def browser(system_tools: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    import playwright.sync_api as playwright_api

    global expect
    expect = playwright_api.expect
    profile = tmp_path_factory.mktemp("chromium-profile")  # an empty --user-data-dir
    with playwright_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS, offline=True,
            viewport={"width": 1280, "height": 900})
        yield context
        context.close()


def _open(context: Any, path: Path) -> tuple[Any, list[str], list[str], float]:
    """Open a file:// page; every request that is not the page itself and every console error is recorded."""
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    url = path.resolve().as_uri()
    page.on("request", lambda r: requests.append(r.url) if r.url != url else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    start = time.perf_counter()
    page.goto(url, wait_until="load")
    page.locator("#f-count").filter(has_text="Showing").wait_for(timeout=30_000)
    return page, requests, errors, time.perf_counter() - start


def test_html_report_in_a_real_offline_browser(browser: Any, tmp_path: Path, artifacts_dir: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(render("html", factory.report(500)), "utf-8")  # type: ignore[arg-type]
    page, requests, errors, _ = _open(browser, path)
    assert page.is_visible("#summary") and page.is_visible("#verdict")
    assert page.inner_text("#verdict") == "DOES NOT CONFORM"
    assert page.is_visible("#mim-chart")
    bars = page.eval_on_selector_all("#mim-chart g.mim", "els => els.map(e => e.getAttribute('data-level'))")
    assert bars == ["full", "initial", "partial", "not-assessed"]
    box = page.locator("#mim-chart").bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100
    assert page.is_visible("#matrix table") and page.is_visible("#f-table")
    total = len(factory.report(500).findings)
    assert page.inner_text("#f-count").endswith(f"of {total}")
    assert page.locator("#f-body tr:not(.group)").count() == 100, "one page of 100 findings"

    page.fill("#f-search", "dataset/123")  # focus IRIs .../dataset/123 only
    expect(page.locator("#f-count")).to_have_text(re.compile(r"^Showing 1–1 of 1 \("))
    assert "http://data.example.org/dataset/123" in page.inner_text("#f-body")

    page.fill("#f-search", "")
    page.select_option("#f-severity", "warning")
    warnings = sum(1 for f in factory.report(500).findings if f.severity.value == "warning")
    expect(page.locator("#f-count")).to_have_text(f"Showing 1–100 of {warnings} ({total})")
    severities = page.eval_on_selector_all("#f-body tr:not(.group) td:first-child", "els => els.map(e => e.textContent)")
    assert severities and set(severities) == {"warning"}
    page.click("#f-next")
    expect(page.locator("#f-count")).to_contain_text("Showing 101–")

    page.select_option("#f-severity", "")
    page.click("#rule-TP-201 summary a[data-rule-filter]")  # "search findings" of one rule
    tp201 = sum(1 for f in factory.report(500).findings if f.rule == "TP-201")
    expect(page.locator("#f-count")).to_have_text(f"Showing 1–100 of {tp201} ({total})")
    assert page.inner_text("#f-body tr.group").startswith("TP-201 distribution-access-url")

    page.screenshot(path=str(artifacts_dir / "report-html.png"), full_page=False)
    assert not errors, f"console errors: {errors}"
    assert not requests, f"the report made network requests: {requests}"


def test_html_of_a_real_run(browser: Any, one_run: dict[str, Any], artifacts_dir: Path) -> None:
    """The report of a real catalogue checked against dcat-ap-3: MIM levels from the run, findings searchable."""
    page, requests, errors, _ = _open(browser, one_run["files"]["html"])
    report = one_run["report"]
    assert page.inner_text("#verdict") == "DOES NOT CONFORM"
    if report.get("mims"):
        levels = page.eval_on_selector_all("#mim-chart g.mim", "els => els.map(e => e.getAttribute('data-level'))")
        assert levels == [m["level"] for m in report["mims"]]
    total = len(report["findings"])
    expect(page.locator("#f-count")).to_have_text(re.compile(rf"of {total}$"))
    focus = report["findings"][0]["focus"]
    page.fill("#f-search", focus)
    expect(page.locator("#f-body")).to_contain_text(focus)
    page.screenshot(path=str(artifacts_dir / "report-html-real.png"))
    assert not errors and not requests


def test_50k_findings_open_quickly(browser: Any, tmp_path: Path, artifacts_dir: Path) -> None:
    path = tmp_path / "big.html"
    path.write_text(render("html", factory.report(50_000)), "utf-8")  # type: ignore[arg-type]
    page, requests, errors, seconds = _open(browser, path)
    start = time.perf_counter()
    page.fill("#f-search", "dataset/49999")
    expect(page.locator("#f-count")).to_have_text(re.compile(r"^Showing 1–1 of 1 \("), timeout=30_000)
    search = time.perf_counter() - start
    print(f"\nhtml 50k: {path.stat().st_size / 1e6:.1f} MB, loaded and first page drawn in {seconds:.2f} s, "
          f"search over 50k in {search:.2f} s")
    page.screenshot(path=str(artifacts_dir / "report-html-50k.png"))
    assert not errors and not requests
    assert seconds < 10 and search < 5, "generous bounds for a loaded CI machine; measured numbers are printed"


def test_pdf_first_page(system_tools: dict[str, str], pdf_ready: None, tmp_path: Path, artifacts_dir: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render("pdf", factory.report(3_000), lang="en"))  # type: ignore[arg-type]
    subprocess.run([system_tools["pdftoppm"], "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png"))
    (artifacts_dir / "report-pdf-page1.png").write_bytes(png.read_bytes())
    from PIL import Image  # Pillow comes with WeasyPrint

    image = Image.open(png).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20) or []
    assert image.width > 500 and len(colours) > 20, "the first page is not blank"
    red = sum(count for count, (r, g, b) in colours if r > 180 and g < 80 and b < 80)
    assert red > 200, "the red verdict badge and MIM bar are drawn"
    first = subprocess.run([system_tools["pdftotext"], "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout
    assert "Conformance report: Test profile" in first and "DOES NOT CONFORM" in first
    assert "MIM levels" in first and "Summary" in first
    text = subprocess.run([system_tools["pdftotext"], str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Provenance" in text and "c" * 40 in text.replace("\n", "")
    assert "further findings are not printed" in text
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "Pages:" in pages


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_counts_follow_the_report_language_not_the_browser(browser: Any, tmp_path: Path, lang: str) -> None:
    """The page's own counts are in the report's language (<html lang>), grouped as render/numbers.py groups."""
    from ldt_conform.render.labels import labels
    from ldt_conform.render.numbers import number

    report = factory.report(1500)
    total = len(report.findings)
    path = tmp_path / f"report.{lang}.html"
    path.write_text(render("html", report, lang=lang), "utf-8")  # type: ignore[arg-type]
    page = browser.new_page()
    page.goto(path.resolve().as_uri(), wait_until="load")
    w = labels(lang)
    expect(page.locator("#f-count")).to_have_text(f"{w['showing']} 1–100 {w['of']} {number(total, lang)}",
                                                  timeout=30_000)
    assert total >= 1000  # so the count is grouped: "1 502" in French, "1.502" in German


@pytest.mark.parametrize("lang", ["en", "fr", "de"])
def test_scorecards_sort_by_the_numbers_of_the_report_language(browser: Any, tmp_path: Path, lang: str) -> None:
    """"1 234" (fr) and "1.234" (de) are 1234 to the sort script, not 1; "348,92" is 348.92, not 348."""
    from dataclasses import replace

    cards = [{"dataset": f"http://ex/d{i}", "title": f"D{i}", "scaled": scaled, "band": "good", "errors": errors,
              "warnings": 0} for i, (scaled, errors) in enumerate([(348.92, 1234), (348.5, 999), (12.25, 50)])]
    quality = {"catalogues": [{"target": "catalogues/city.ttl", "datasets": 3, "score": 300, "max": 405,
                               "scaled": 300, "band": "good", "metrics": [], "fixes": [], "scorecards": cards}]}
    path = tmp_path / "report.html"
    document = render("html", replace(factory.report(), quality=quality), lang=lang)
    path.write_text(document, "utf-8")  # type: ignore[arg-type]
    page = browser.new_page()
    page.goto(path.resolve().as_uri(), wait_until="load")

    def column(n: int) -> list[str]:
        return page.eval_on_selector_all(f"#scorecards tbody tr td:nth-child({n + 1})",
                                         "els => els.map(e => e.textContent)")

    titles = [c["title"] for c in cards]
    page.click("#scorecards thead th:nth-child(3)")  # errors, ascending
    assert [t.split()[0] for t in column(4)] == list(reversed(titles))
    page.click("#scorecards thead th:nth-child(1)")  # score, ascending
    assert [t.split()[0] for t in column(4)] == ["D2", "D1", "D0"]
