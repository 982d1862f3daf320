"""The funders' PDF is the HTML report in print mode (render/html.py): no JavaScript, so the findings it shows are
static example tables, ten per rule and a thousand in all. These tests pin those rows exactly, the caps, and the
parts of the page that only print or only another language reaches (pages of a paged input, translated capability
and limited-pass texts, the note on findings that share a value)."""
from __future__ import annotations

from dataclasses import replace

import pytest

import factory
from ldt_conform.model import Finding, PageInfo, Result, Severity, Status
from ldt_conform.render import html


def _rows(page: str, rule_id: str) -> list[str]:
    """The example rows printed under one rule, as the <tr> strings of its table."""
    section = page.split(f'<details id="rule-{rule_id}" open>', 1)[1].split("</details>", 1)[0]
    return ["<tr>" + row.split("</tr>", 1)[0] + "</tr>" for row in section.split("<tbody>", 1)[1].split("<tr>")[1:]]


def test_print_mode_rows_show_every_field_of_a_finding() -> None:
    report = factory.report()
    page = html.render(report, "en", print_mode=True)
    assert _rows(page, "TP-201") == [
        '<tr><td class="sev-error">error</td><td class="mono">catalogues/city.ttl</td><td class="mono">'
        'http://data.example.org/dist/9</td><td class="mono">http://www.w3.org/ns/dcat#accessURL</td>'
        '<td class="mono">&#34;http://x.example/a b&#34;</td><td>accessURL is a literal</td></tr>']
    # a finding without a path or value prints empty cells, never "None"
    assert _rows(page, "LC-004")[0].startswith(
        '<tr><td class="sev-info">info</td><td class="mono">catalogues/city.ttl</td><td class="mono">'
        'catalogues/city.ttl</td><td class="mono"></td><td class="mono">https://example.org/ctx.jsonld</td>')
    context = html.context(report, "en", True)
    (tp101,) = [g for g in context["groups"] if g["id"] == "TP-101"]
    assert tp101["examples"][0] == {
        "severity": "error", "severity_word": "error", "target": "catalogues/city.ttl", "focus": "_:bd41d8cd98f00",
        "path": "<http://www.w3.org/ns/dcat#dataset>/<http://purl.org/dc/terms/title>", "value": "",
        "message": 'A dataset <b>has</b> no "title" | pipe `tick`'}
    assert html.context(report, "en", False)["groups"][0]["examples"] == []


def test_print_mode_notes_findings_that_share_a_value() -> None:
    report = factory.report()
    first, second = (f for f in report.findings if f.focus == "http://data.example.org/dataset/1")
    linked = tuple(replace(f, same_value_as=("TP-301",)) if f is first else
                   replace(f, same_value_as=("TP-101",)) if f is second else f for f in report.findings)
    page = html.render(replace(report, findings=linked), "en", print_mode=True)
    assert _rows(page, "TP-101")[1].endswith("<td>A dataset has no dct:title (also reported by TP-301)</td></tr>")
    assert _rows(page, "TP-301")[0].endswith("<td>no theme (same value as TP-101: shown there)</td></tr>")
    note = '<p class="muted" id="note-1">Findings of several rules on the same value (the same target, focus node'
    assert note in page and note not in html.render(report, "en", print_mode=True)


def test_print_mode_caps_examples_per_rule_and_in_all(monkeypatch: pytest.MonkeyPatch) -> None:
    report = factory.report(n_findings=60)  # 15 more per TP rule
    context = html.context(report, "en", True)
    listed = {g["id"]: len(g["examples"]) for g in context["groups"]}
    assert listed == {"TP-101": 10, "TP-102": 10, "TP-201": 10, "TP-301": 10, "LC-004": 1}
    assert context["not_printed"] == len(report.findings) - 41
    monkeypatch.setattr(html, "PRINT_MAX_FINDINGS", 25)  # the whole-document cap, reached in the third rule
    context = html.context(report, "en", True)
    assert {g["id"]: len(g["examples"]) for g in context["groups"]} == {
        "TP-101": 10, "TP-102": 10, "TP-201": 5, "TP-301": 0, "LC-004": 0}
    assert context["not_printed"] == len(report.findings) - 25


def test_the_pages_of_a_paged_input_are_listed_with_their_size() -> None:
    pages = (PageInfo("https://data.example.org/cat?page=1", "1" * 64, 2048, 1200, "turtle"),
             PageInfo("https://data.example.org/cat?page=2", "2" * 64, 1024, 600, "turtle"))
    report = factory.report()
    paged = replace(report, targets=(replace(report.targets[0], pages=pages), *report.targets[1:]))
    (item,) = [i for i in html.context(paged, "en", True)["prov"]["inputs"] if i.get("pages")]
    assert [p["detail"] for p in item["pages"]] == ["1,200 triples, 2,048 B", "600 triples, 1,024 B"]
    assert html.context(paged, "fr", True)["prov"]["inputs"][0]["pages"][0]["detail"] == \
        "1\u202f200 triplets, 2\u202f048 B"


def test_capabilities_and_limited_passes_in_the_reader_s_language() -> None:
    from ldt_conform import capabilities
    from ldt_conform.render import i18n

    shipped = {c.id: c for c in capabilities.default().capabilities}
    report = factory.report()
    caps = [{"id": cap_id, "title": shipped[cap_id].title, "source": "MIM0", "state": "not-assessed",
             "reason": "not verified: TP-102 artefact-unavailable", "assess": assess}
            for cap_id, assess in (("mim0.retrievable", ""), ("mim0.queryable", "add an API"))]
    mims = ({**report.mims[0], "capabilities": caps},)
    results = (*report.results, Result("TP-102", factory.CAT, Status.PASS,
                                       reason="not verified: TP-102 artefact-unavailable"))
    context = html.context(replace(report, mims=mims, results=results), "fr", True)
    first, second = context["mims"][0]["capabilities"]
    title_1, _, _ = i18n.capability("mim0.retrievable", "fr") or ("", "", "")
    title_2, assess_2, _ = i18n.capability("mim0.queryable", "fr") or ("", "", "")
    assert (first["title"], first["assess"]) == (title_1, "")  # nothing to say stays nothing in French
    assert (second["title"], second["assess"]) == (title_2, assess_2)
    assert title_1 == "Les données lisibles par machine peuvent être récupérées par le web" and assess_2
    assert first["reason"] == second["reason"] == "non vérifiée : TP-102 artefact indisponible"
    limited = [p for p in context["limited_passes"] if p["rule"] == "TP-102"]
    assert limited == [{"rule": "TP-102", "target": factory.CAT, "note": "non vérifiée : TP-102 artefact indisponible"}]


def test_the_interactive_page_s_data_is_exact_and_safe_inside_its_script() -> None:
    """The screen HTML carries every listed finding as JSON inside <script>: '<' and the two JavaScript line
    separators are escaped, a finding of a rule the report does not define still has a row (its ID as title), and
    a finding without a baseline mark is neither new nor known."""
    import json

    report = factory.report(baseline=True)
    stray = Finding("XX-999", Severity.WARNING, factory.CAT, "http://a", "line\u2028sep\u2029para </script>")
    report = replace(report, findings=tuple(sorted((*report.findings, stray), key=Finding.sort_key)))
    rules = {r.id: r for r in report.rules}
    order = list(html.findings_by_rule(report))
    blob, targets = html._blob(report, order, rules, "de", html.labels("de"))
    assert "\u2028" not in blob and "\u2029" not in blob and "<" not in blob
    data = json.loads(blob)
    assert data["rules"][order.index("XX-999")] == {"id": "XX-999", "name": "", "title": "XX-999"}
    assert data["rules"][order.index("TP-101")] == {"id": "TP-101", "name": "dataset-title",
                                                    "title": "A dataset has a title"}
    assert data["words"]["sev"] == {"error": "Fehler", "warning": "Warnung", "info": "Hinweis"}
    row = next(r for r in data["f"] if data["s"][r[3]] == "http://a")
    assert row == [order.index("XX-999"), targets.index(factory.CAT), 1, row[3], -1, -1, row[6], 0]
    assert data["s"][row[6]] == "line\u2028sep\u2029para </script>"
    marks = {data["s"][r[3]]: r[7] for r in data["f"] if r[0] == order.index("TP-101")}
    assert sorted(marks.values()) == [1, 2]  # one new, one known (factory: every 2nd finding known)
    unknown = json.loads(html._blob(report, order, rules, "xx", html.labels("xx"))[0])
    assert unknown["words"]["sev"] == {"error": "error", "warning": "warning", "info": "info"}


def test_the_matrix_prints_per_rule_totals_when_the_inputs_do_not_fit_a_page() -> None:
    """Eleven inputs do not fit an A4 page: the PDF prints, per rule, how many inputs passed, failed, erred, were not
    verified or only had notes, and the findings over all of them; the screen page keeps one cell per input."""
    report = factory.report(n_findings=60)  # the catalogue, the API and 50 generated parts
    assert len(report.targets) > html.PRINT_MAX_MATRIX_COLUMNS
    context = html.context(report, "en", True)
    assert context["matrix_aggregated"] is True
    rows = {row["id"]: row for row in context["matrix_rows"]}
    # TP-101: 15 generated parts and the catalogue fail, the other 35 parts pass; 15 + 2 findings
    assert rows["TP-101"]["counts"] == {"pass": 35, "fail": 16, "error": 0, "skip": 0, "info": 0}
    assert rows["TP-101"]["findings"] == 17
    assert rows["TP-401"]["counts"] == {"pass": 0, "fail": 0, "error": 1, "skip": 0, "info": 0}
    assert rows["TP-102"]["counts"] == {"pass": 36, "fail": 15, "error": 0, "skip": 1, "info": 0}
    assert rows["LC-004"]["counts"] == {"pass": 0, "fail": 0, "error": 0, "skip": 0, "info": 1}
    assert sum(sum(r["counts"].values()) for r in rows.values()) == sum(
        1 for r in report.results if r.target) + 1  # every result's cell, and LC-004's note
    screen = html.context(report, "en", False)
    assert screen["matrix_aggregated"] is False
    assert "counts" not in screen["matrix_rows"][0] and len(screen["matrix_rows"][0]["cells"]) == len(
        screen["matrix_targets"])


def test_a_cell_without_a_result_is_empty_and_a_cell_counts_in_the_reader_s_numbers() -> None:
    report = factory.report()
    many = tuple(Finding("TP-101", Severity.ERROR, factory.CAT, f"http://data.example.org/dataset/{i}", "no title")
                 for i in range(1200))
    report = replace(report, findings=tuple(sorted((*report.findings, *many), key=Finding.sort_key)))
    for lang, text in (("en", "✗ 1,202"), ("fr", "✗ 1\u202f202")):
        rows = {row["id"]: row for row in html.context(report, lang, False)["matrix_rows"]}
        assert rows["TP-401"]["cells"][0] == {"status": "none", "text": "", "tip": ""}  # no result on the catalogue
        assert rows["TP-101"]["cells"][0]["text"] == text


@pytest.mark.parametrize("source, short", [
    ("https://data.example.org/catalogues/", "catalogues"), ("catalogues/city.ttl", "city.ttl"),
    ("/", "/"), ("x" * 40, "x" * 40), ("y" * 41, "y" * 37 + "…"),
])
def test_short_target_names(source: str, short: str) -> None:
    assert html._short(source) == short


@pytest.mark.parametrize("url, safe", [
    ("https://semiceu.github.io/DCAT-AP/", "https://semiceu.github.io/DCAT-AP/"),
    ("http://example.org/a", "http://example.org/a"), ("javascript:alert(1)", None), ("", None), (None, None),
])
def test_only_http_links_reach_the_page(url: str | None, safe: str | None) -> None:
    assert html._safe_url(url) == safe


def test_the_screen_page_carries_its_script_and_the_printed_one_only_its_style() -> None:
    report = factory.report()
    css, js = html._asset("report.css"), html._asset("report.js")
    screen, printed = html.render(report, "en"), html.render(report, "en", print_mode=True)
    assert f"<style>{css}</style>" in screen and f"<style>{css}</style>" in printed
    assert f"<script>{js}</script>" in screen
    assert "<script" not in printed and js not in printed


def test_the_matrix_turns_to_totals_past_its_cell_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    report = factory.report()
    cells = len(html.matrix(report).rules) * len(html.matrix(report).targets)
    monkeypatch.setattr(html, "MAX_MATRIX_CELLS", cells)  # exactly at the cap: still one cell per input
    assert html.context(report, "en", False)["matrix_aggregated"] is False
    monkeypatch.setattr(html, "MAX_MATRIX_CELLS", cells - 1)
    assert html.context(report, "en", False)["matrix_aggregated"] is True


def test_a_finding_of_a_rule_the_report_does_not_define_is_shown_under_its_id() -> None:
    report = factory.report()
    stray = Finding("XX-999", Severity.WARNING, factory.CAT, "http://a", "from an older profile")
    report = replace(report, findings=tuple(sorted((*report.findings, stray), key=Finding.sort_key)))
    context = html.context(report, "en", True)
    (group,) = [g for g in context["groups"] if g["id"] == "XX-999"]
    assert (group["name"], group["title"], group["fix"], group["clause"], group["url"], group["count"]) == (
        "", "XX-999", "", "", None, 1)
    (row,) = [r for r in context["matrix_rows"] if r["id"] == "XX-999"]
    assert (row["name"], row["title"], row["url"]) == ("", "XX-999", None)


def test_the_printed_score_shows_the_worst_datasets_only_and_no_filter(monkeypatch: pytest.MonkeyPatch) -> None:
    """The screen page lists every dataset's scorecard with a filter box; the PDF prints the worst PRINT_DATASETS."""
    from ldt_conform.render import quality as quality_view

    cards = [{"dataset": f"https://d.example/ds/{i}", "title": f"Dataset {i}", "scaled": 100.0 + i, "band": "bad",
              "errors": 1, "warnings": 0} for i in range(5)]
    catalogue = {"target": factory.CAT, "datasets": 5, "score": 100.0, "max": 405, "scaled": 100.0, "band": "bad",
                 "metrics": [], "fixes": [], "scorecards": cards}
    report = replace(factory.report(), quality={"catalogues": [catalogue]})
    monkeypatch.setattr(quality_view, "PRINT_DATASETS", 2)
    printed = html.context(report, "en", True)["quality_html"]
    screen = html.context(report, "en", False)["quality_html"]
    assert printed.count("https://d.example/ds/") == 2 and screen.count("https://d.example/ds/") == 5
    assert 'id="scorecards"' in screen and 'id="scorecard-filter"' in screen
    assert 'id="scorecards"' not in printed and "scorecard-filter" not in printed
