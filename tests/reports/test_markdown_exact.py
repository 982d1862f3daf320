"""The pull-request comment (render/markdown.py) exactly where a CI user meets its limits: GitHub refuses a comment
over 65,536 characters, so the comment never exceeds `max_chars`, whatever the run's size (many inputs, many pages),
and says what it left out, in the reader's language."""
from __future__ import annotations

from dataclasses import replace

import factory
from ldt_conform.model import PageInfo, Result, Status
from ldt_conform.render import markdown


def test_a_run_whose_provenance_alone_is_too_long_still_fits() -> None:
    """52 inputs: their provenance table is longer than a 3,000-character comment. Before, the hard cut sliced with a
    negative index and returned 12,166 characters."""
    report = factory.report(n_findings=200)
    out = markdown.render(report, "fr", max_chars=3000)
    assert len(out) <= 3000
    assert ("> **Omis pour respecter la taille maximale d'un commentaire** (3\u202f000). Le rapport complet liste "
            "tous les constats.\n") in out
    assert out.endswith("\n| … | | | | |\n\n</details>\n")
    assert out.startswith("## ❌ ldt-conform: NON CONFORME")


def test_a_federation_of_paged_inputs_fits_the_default_limit() -> None:
    pages = tuple(PageInfo(f"https://d.example/c?page={i}", "a" * 64, 1000, 10) for i in range(30))
    report = factory.report(n_findings=200)
    big = replace(report, targets=tuple(replace(t, pages=pages) for t in report.targets))
    out = markdown.render(big, "en")
    assert 60_000 < len(out) <= markdown.MAX_CHARS
    assert "> **Left out to stay within the comment size limit** (65,000). The full report lists every finding.\n" \
        in out
    assert out.endswith("</details>\n")
    assert len(markdown.render(report, "en")) < 20_000  # the same run without pages is not cut at all


def test_rules_that_do_not_fit_are_named_with_their_findings() -> None:
    out = markdown.render(factory.report(n_findings=200), "en", max_chars=14_000)
    assert len(out) <= 14_000
    note = out.split("> **Left out to stay within the comment size limit** (14,000):\n", 1)[1].split("\n\n", 1)[0]
    # four rules fit with 5 examples each of their 52 + 50 + 51 + 51 findings; LC-004's one note does not
    assert note == ("> - 1 more failing rule (1 finding) is not listed: LC-004.\n"
                    "> - 184 findings (5 examples / rule).\n"
                    "> The full report lists every finding.")


def test_examples_left_out_per_rule_in_german_keep_the_noun_s_capital() -> None:
    out = markdown.render(factory.report(n_findings=40), "de")
    assert "> - 24 Befunde (5 Beispiele / Regel).\n" in out
    assert "- … 7 weitere Befunde dieser Regel\n" in out


def test_a_conforming_run_and_more_limited_passes_than_a_comment_lists() -> None:
    base = factory.report()
    clean = replace(base, findings=(), results=tuple(
        replace(r, status=Status.PASS) for r in base.results if r.status in (Status.PASS, Status.FAIL)))
    limited = tuple(Result("TP-102", f"catalogues/p{i:02d}.ttl", Status.PASS, reason="not tested: x")
                    for i in range(25))
    out = markdown.render(replace(clean, results=(*clean.results, *limited)), "fr")
    assert out.startswith("## ✅ ldt-conform: CONFORME (au seuil --fail-on error)\n")
    listed = [line for line in out.splitlines() if line.startswith("- `TP-102` catalogues/p")]
    assert len(listed) == markdown.MAX_LIMITED_PASSES
    assert "\n- … 5 de plus\n" in out


def test_numbers_of_a_thousand_and_more_are_written_in_the_reader_s_language() -> None:
    """Every count of the comment goes through the language's number format: 1.203 in German, not 1203."""
    from ldt_conform.model import Finding, Severity

    base = factory.report()
    findings = tuple(Finding("TP-101", Severity.ERROR, factory.CAT, f"http://d.example/ds/{i:05d}", f"message {i}")
                     for i in range(1203))
    results = (*base.results, *(Result("TP-102", f"p{i}.ttl", Status.PASS) for i in range(1500)),
               *(Result("TP-201", f"q{i:04d}.ttl", Status.PASS, reason="not tested: x") for i in range(1030)))
    out = markdown.render(replace(base, findings=findings, results=results), "de")
    assert "**Befunde:** 🔴 1.203 Fehler, 🟡 0 Warnungen, 🔵 0 Hinweise\n" in out
    assert "| bestanden | nicht bestanden | Prüffehler | nicht geprüft |\n|---:|---:|---:|---:|\n" \
           "| 2.531 | 3 | 1 | 1 |\n" in out
    assert "- `TP-201` q0019.ttl: not tested: x\n- … 1.010 weitere\n" in out
    assert "#### 🔴 TP-101 `dataset-title` — A dataset has a title (1.203)\n" in out
    assert "- Fehler: `catalogues/city.ttl` `http://d.example/ds/00004` — message 4\n" \
           "- … 1.198 weitere Befunde dieser Regel\n" in out
    assert "> - 1.198 Befunde (5 Beispiele / Regel).\n" in out


def test_no_engine_reads_in_the_language_s_gender() -> None:
    """French agrees "aucun" with moteur (masculine), where "aucune" agrees with règle: in the comment and the HTML."""
    from ldt_conform.render import html

    report = replace(factory.report(), engines=(), profile=replace(factory.report().profile, overridden=()))
    comment = markdown.render(report, "fr")
    assert "| Moteurs | aucun |\n" in comment and "| Règles modifiées | aucune |\n" in comment
    page = html.render(report, "fr")
    assert "<tr><th>Moteurs</th><td>aucun</td></tr>" in page
    assert '<tr><th>Règles modifiées</th><td class="mono">aucune</td></tr>' in page
    assert "| Prüfmaschinen | keine |\n" in markdown.render(report, "de")
