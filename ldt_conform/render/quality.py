"""The quality score as readers see it: headline, the fixes that matter most, the worst datasets, in every format."""
from __future__ import annotations

from typing import Any, Mapping

import re

from ldt_conform.model import Report
from ldt_conform.render import i18n
from ldt_conform.render.labels import labels
from ldt_conform.render.numbers import count, number

TOP_FIXES = 5
TOP_DATASETS = 10

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "quality": "Quality score (data.europa.eu MQA, computed offline)",
        "score": "score", "of": "of", "assessed": "assessed points", "scaled": "scaled to 405",
        "band": "band", "datasets": "datasets", "not_assessed": "not assessed", "fixes": "The fixes that matter most",
        "worst": "Datasets, worst first", "points": "pts", "findings": "findings", "errors": "errors",
        "warnings": "warnings", "dataset": "dataset", "more": "more", "no_datasets": "not assessed",
        "excellent": "excellent", "good": "good", "sufficient": "sufficient", "bad": "bad",
        "not-assessed": "not assessed", "rule": "rule", "metric": "metric", "fix": "fix",
    },
    "fr": {
        "quality": "Score de qualité (MQA de data.europa.eu, calculé hors ligne)",
        "score": "score", "of": "sur", "assessed": "points évalués", "scaled": "ramené à 405",
        "band": "niveau", "datasets": "jeux de données", "not_assessed": "non évalué",
        "fixes": "Les corrections qui comptent le plus", "worst": "Jeux de données, du pire au meilleur",
        "points": "pts", "findings": "constats", "errors": "erreurs", "warnings": "avertissements",
        "dataset": "jeu de données", "more": "de plus", "no_datasets": "non évalué",
        "excellent": "excellent", "good": "bon", "sufficient": "suffisant", "bad": "insuffisant",
        "not-assessed": "non évalué", "rule": "règle", "metric": "indicateur", "fix": "correction",
    },
    "de": {
        "quality": "Qualitätswert (MQA von data.europa.eu, offline berechnet)",
        "score": "Punktzahl", "of": "von", "assessed": "bewerteten Punkten", "scaled": "auf 405 umgerechnet",
        "band": "Stufe", "datasets": "Datensätze", "not_assessed": "nicht bewertet",
        "fixes": "Die wichtigsten Korrekturen", "worst": "Datensätze, die schwächsten zuerst",
        "points": "Pkt.", "findings": "Befunde", "errors": "Fehler", "warnings": "Warnungen",
        "dataset": "Datensatz", "more": "weitere", "no_datasets": "nicht bewertet",
        "excellent": "ausgezeichnet", "good": "gut", "sufficient": "ausreichend", "bad": "mangelhaft",
        "not-assessed": "nicht bewertet", "rule": "Regel", "metric": "Indikator", "fix": "Behebung",
    },
}


def words(lang: str) -> Mapping[str, str]:
    return WORDS.get(lang, WORDS["en"])


def fix_text(fix: Mapping[str, Any], report: Report, lang: str) -> str:
    """A fix in the reader's language: a metric's from i18n.toml, a rule's from its profile (English otherwise)."""
    given = str(fix.get("fix", ""))
    if fix.get("kind") == "metric":
        translated = i18n.metric(str(fix["id"]), lang) if lang != "en" else None
        return translated[1] if translated else given
    if lang == "en" and given:
        return given
    return rule_fix_text(str(fix.get("id")), report, lang) or given


def rule_fix_text(rule_id: str, report: Report, lang: str) -> str:
    """A rule's own words for its fix, in `lang` where the profile has them: its message without placeholders, else
    its description or title; "" for a rule the report does not hold."""
    rule = next((r for r in report.rules if r.id == rule_id), None)
    if rule is None:
        return ""
    text = rule.text("message", lang) or rule.text("description", lang) or rule.text("title", lang)
    return re.sub(r"\s*\{[a-z_]+\}", "", text).strip()


def catalogues(report: Report) -> list[Mapping[str, Any]]:
    return list(report.quality.get("catalogues", ())) if report.quality else []


def headline(cat: Mapping[str, Any], w: Mapping[str, str], lang: str = "en") -> str:
    c = labels(lang)["colon"]
    if not cat.get("datasets"):
        return f"{w['band']}{c}{w['not-assessed']} ({i18n.reason(str(cat.get('reason', '')), lang)})"
    scaled = "" if cat["max"] == 405 else f" ({number(cat['scaled'], lang)} {w['scaled']})"
    return (f"{w['score']} {number(cat['score'], lang)} {w['of']} {number(cat['max'], lang)} {w['assessed']}{scaled} · "
            f"{w['band']}{c}{w[cat['band']]} · {count('dataset', cat['datasets'], lang)}")


def not_assessed(cat: Mapping[str, Any], lang: str = "en") -> list[str]:
    """One line per reason, naming the metrics it keeps out of the score."""
    by_reason: dict[str, list[str]] = {}
    for row in cat.get("metrics", ()):
        if row.get("status") == "not-assessed":
            by_reason.setdefault(i18n.reason(row["reason"], lang), []).append(
                f"{row['metric']} ({number(row['max'], lang)})")
    c = labels(lang)["colon"]
    return [f"{', '.join(ms)}{c}{reason}" for reason, ms in by_reason.items()]


def text_lines(report: Report, lang: str = "en") -> list[tuple[str, str]]:
    """(style, line) pairs for the terminal's first screen; the text renderer only prints them."""
    w = words(lang)
    c = labels(lang)["colon"]
    out: list[tuple[str, str]] = []
    for cat in catalogues(report):
        out.append(("bold", f"{w['quality']}{c}{cat['target']}"))
        out.append(("bold", f"  {headline(cat, w, lang)}"))
        for line in not_assessed(cat, lang):
            out.append(("dim", f"  {w['not_assessed']}{c}{line}"))
        fixes = cat.get("fixes", ())
        if fixes:
            out.append(("bold", f"  {w['fixes']}{c.rstrip()}"))
            for i, fix in enumerate(fixes[:TOP_FIXES], 1):
                found = f"{count('finding', fix['findings'], lang)}, " if fix["findings"] else ""
                out.append(("", f"    {i}. +{number(fix['points'], lang)} {w['points']}  {fix['id']}  ({found}"
                                f"{count('dataset', fix['datasets'], lang)})  {fix_text(fix, report, lang)}"))
            if len(fixes) > TOP_FIXES:
                out.append(("dim", f"    +{number(len(fixes) - TOP_FIXES, lang)} {w['more']}"))
        cards = cat.get("scorecards", ())
        if cards:
            out.append(("bold", f"  {w['worst']}{c.rstrip()}"))
            # the band column as wide as the language's longest band ("ausgezeichnet")
            width = max(11, *(len(w[band]) for band in ("excellent", "good", "sufficient", "bad")))
            for card in cards[:TOP_DATASETS]:
                out.append(("", f"    {number(card['scaled'], lang):>6}  {w[card['band']]:<{width}} "
                                f"{_column('error', card['errors'], lang)}  "
                                f"{_column('warning', card['warnings'], lang)}  {card.get('title') or ''} "
                                f"<{card['dataset']}>"))
            if len(cards) > TOP_DATASETS:
                out.append(("dim", f"    +{number(len(cards) - TOP_DATASETS, lang)} {w['more']}"))
        out.append(("", ""))
    return out


def _column(key: str, n: int, lang: str) -> str:
    """"   1 erreur " / "  12 erreurs": a count in a terminal column, its digits right-aligned in four places and its
    noun in the right number, padded to the longest form so the next column lines up."""
    from ldt_conform.render.labels import COUNTS

    shown, phrase = number(n, lang), count(key, n, lang)
    longest = max(len(form.replace("{n}", "")) for form in (COUNTS.get(lang) or COUNTS["en"])[key].values())
    return f"{shown:>4}{phrase[len(shown):]}".ljust(4 + longest)


def markdown(report: Report, lang: str = "en", top: int = TOP_DATASETS) -> str:
    """The quality section of the Markdown report: headline, fixes table and the worst datasets table."""
    w = words(lang)
    parts: list[str] = []
    for cat in catalogues(report):
        c = labels(lang)["colon"]
        parts.append(f"\n### {w['quality']}{c}`{cat['target']}`\n\n**{headline(cat, w, lang)}**\n")
        for line in not_assessed(cat, lang):
            parts.append(f"- {w['not_assessed']}{c}{line}\n")
        fixes = cat.get("fixes", ())[:TOP_FIXES]
        if fixes:
            parts.append(f"\n#### {w['fixes']}\n\n| # | +{w['points']} | {w['rule']} / {w['metric']} | "
                         f"{w['findings']} | {w['datasets']} | {w['fix']} |\n|---|---|---|---|---|---|\n")
            for i, fix in enumerate(fixes, 1):
                parts.append(f"| {i} | {number(fix['points'], lang)} | `{fix['id']}` | "
                             f"{number(fix['findings'], lang)} | {number(fix['datasets'], lang)} | "
                             f"{_cell(fix_text(fix, report, lang))} |\n")
        cards = cat.get("scorecards", ())
        if cards:
            parts.append(f"\n#### {w['worst']}\n\n| {w['score']} | {w['band']} | {w['errors']} | {w['warnings']} | "
                         f"{w['dataset']} |\n|---|---|---|---|---|\n")
            for card in cards[:top]:
                parts.append(f"| {number(card['scaled'], lang)} | {w[card['band']]} | {number(card['errors'], lang)} | "
                             f"{number(card['warnings'], lang)} | "
                             f"{_cell(card.get('title') or '')} `{card['dataset']}` |\n")
            if len(cards) > top:
                parts.append(f"\n+{number(len(cards) - top, lang)} {w['more']}\n")
    return "".join(parts)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


PRINT_DATASETS = 20
# Click a column header to sort; type in the box to filter rows (screen only; the PDF shows the worst 20). Numbers are
# read back in the page's language (<html lang>): "12 345,6" in French and "12.345,6" in German are 12345.6.
_SCRIPT = """<script>(function(){var t=document.getElementById("scorecards");if(!t)return;
var L=document.documentElement.lang||"en";function val(s){s=s.replace(/[\\s\\u00a0\\u202f]/g,"");
if(L==="de")s=s.replace(/\\./g,"");if(L!=="en")s=s.replace(",",".");return parseFloat(s);}
var b=t.tBodies[0],f=document.getElementById("scorecard-filter");
Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){th.style.cursor="pointer";th.onclick=function(){
var num=th.hasAttribute("data-num"),d=th.getAttribute("data-dir")==="a"?-1:1;th.setAttribute("data-dir",d>0?"a":"d");
var rows=Array.prototype.slice.call(b.rows);
rows.sort(function(x,y){var p=x.cells[i].textContent,q=y.cells[i].textContent;
return d*(num?(val(p)-val(q)):p.localeCompare(q));});rows.forEach(function(r){b.appendChild(r);});};});
if(f)f.oninput=function(){var v=f.value.toLowerCase();Array.prototype.forEach.call(b.rows,function(r){
r.style.display=r.textContent.toLowerCase().indexOf(v)>=0?"":"none";});};})();</script>"""


def html(report: Report, lang: str = "en", print_mode: bool = False) -> str:
    """The quality section of the HTML/PDF report (escaped here; the template inserts it as is)."""
    from html import escape as e

    w = words(lang)
    parts: list[str] = []
    for n, cat in enumerate(catalogues(report)):
        parts.append(f'<section id="quality-{n}" class="quality"><h2>{e(w["quality"])}</h2>'
                     f'<p class="mono">{e(cat["target"])}</p><p><strong>{e(headline(cat, w, lang))}</strong></p>')
        for line in not_assessed(cat, lang):
            parts.append(f'<p class="muted">{e(w["not_assessed"] + labels(lang)["colon"])}{e(line)}</p>')
        fixes = cat.get("fixes", ())[:TOP_FIXES]
        if fixes:
            parts.append(f'<h3>{e(w["fixes"])}</h3><table class="fixes"><thead><tr><th>#</th><th>+{e(w["points"])}</th>'
                         f'<th>{e(w["rule"])} / {e(w["metric"])}</th><th>{e(w["findings"])}</th>'
                         f'<th>{e(w["datasets"])}</th><th>{e(w["fix"])}</th></tr></thead><tbody>')
            for i, fix in enumerate(fixes, 1):
                parts.append(f'<tr><td>{i}</td><td>{number(fix["points"], lang)}</td>'
                             f'<td class="mono">{e(fix["id"])}</td>'
                             f'<td>{number(fix["findings"], lang)}</td><td>{number(fix["datasets"], lang)}</td>'
                             f'<td>{e(fix_text(fix, report, lang))}</td></tr>')
            parts.append("</tbody></table>")
        cards = list(cat.get("scorecards", ()))
        if cards:
            shown = cards[:PRINT_DATASETS] if print_mode else cards
            table_id = ' id="scorecards"' if n == 0 and not print_mode else ""
            parts.append(f'<h3>{e(w["worst"])}</h3>')
            if table_id:
                parts.append(f'<input id="scorecard-filter" class="screen-only" type="search" '
                             f'placeholder="{e(w["dataset"])}…">')
            parts.append(f'<table class="scorecards"{table_id}><thead><tr><th data-num>{e(w["score"])}</th>'
                         f'<th>{e(w["band"])}</th><th data-num>{e(w["errors"])}</th>'
                         f'<th data-num>{e(w["warnings"])}</th>'
                         f'<th>{e(w["dataset"])}</th></tr></thead><tbody>')
            for card in shown:
                parts.append(f'<tr><td>{number(card["scaled"], lang)}</td>'
                             f'<td class="band-{e(card["band"])}">{e(w[card["band"]])}</td>'
                             f'<td>{number(card["errors"], lang)}</td><td>{number(card["warnings"], lang)}</td>'
                             f'<td>{e(card.get("title") or "")} '
                             f'<span class="mono muted">{e(card["dataset"])}</span></td></tr>')
            parts.append("</tbody></table>")
            if len(cards) > len(shown):
                parts.append(f'<p class="muted">+{number(len(cards) - len(shown), lang)} {e(w["more"])}</p>')
        parts.append("</section>")
    if parts and not print_mode:
        parts.append(_SCRIPT)
    return "".join(parts)
