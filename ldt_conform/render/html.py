"""The `html` format: one self-contained page (inline CSS, JS and SVG; no network) that stays fast at 50,000 findings.

The static HTML holds only aggregates (summary, MIM chart, rule × target matrix, one line per rule); the findings
travel as a compact JSON blob (a string table plus index arrays) that a little vanilla JS pages, searches and
filters. `print_mode` swaps the JS application for static example tables: the PDF renderer prints that.
"""
from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any, Mapping
from urllib.parse import urlparse

from ldt_conform.model import Report, Severity
from ldt_conform.render import i18n
from ldt_conform.render.common import (CELL_STATES, NO_TARGET, capability_rows, clause, findings_by_rule,
                                       input_detail, matrix, mim_rows, options_rows, provenance, rule_map,
                                       scope_text)
from ldt_conform.render.common import (limited_passes, notes, rule_totals, rules_run, same_value_text, unlisted_text,
                                       worst_severity)
from ldt_conform.render.labels import (SEVERITY_WORDS, inline, labels, level_word, severity_word, state_word,
                                       status_word)
from ldt_conform.render.numbers import number

MAX_MATRIX_CELLS = 20_000  # beyond this the rule × target table becomes per-rule totals
PRINT_MAX_MATRIX_COLUMNS = 10  # an A4 page holds about ten target columns; more print as per-rule totals
PRINT_EXAMPLES_PER_RULE = 10  # the audit document shows examples; the JSON report and the bundle hold them all
PRINT_MAX_FINDINGS = 1_000
SEV_INDEX = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}
BASE_INDEX = {None: 0, "new": 1, "known": 2}
LEVEL_COLOUR = {"full": "#1a7f37", "partial": "#bf8700", "initial": "#cf222e", "not-assessed": "#8c959f"}
# Five visibly different cells: an info note (e.g. LC-004) and a not-verified result are never drawn as a failure.
CELL_TEXT = {"pass": "✓", "fail": "✗", "error": "!", "skip": "–", "info": "ℹ"}


def render(report: Report, lang: str = "en", print_mode: bool = False, **_: Any) -> str:
    from jinja2 import Environment

    from ldt_conform.render.numbers import count, number

    env = Environment(autoescape=True, trim_blocks=False, lstrip_blocks=False)
    # Every number the page shows goes through render/numbers.py: "num" groups (English too), "n" is a bare count.
    env.filters["num"] = lambda value: number(value, lang, grouped=True)
    env.filters["n"] = lambda value: number(value, lang)
    env.filters["inline"] = lambda word: inline(word, lang)  # German keeps its nouns' capitals
    env.globals["count"] = lambda key, n, **values: count(key, n, lang, **values)
    template = env.from_string(_asset("report.html.j2"))
    return template.render(**context(report, lang, print_mode))


@cache
def _asset(name: str) -> str:
    return (resources.files("ldt_conform.render") / "templates" / name).read_text("utf-8")


def context(report: Report, lang: str, print_mode: bool) -> dict[str, Any]:
    words = labels(lang)
    prov = provenance(report)
    for item in prov["inputs"]:
        item["detail"] = input_detail(item, lang)
        for page in item.get("pages", ()):
            page["detail"] = input_detail(page, lang)
    rules = rule_map(report)
    grouped = findings_by_rule(report)  # a streamed run: every rule with a finding, listed or not
    totals = rule_totals(report)
    blob_rules = list(grouped)
    groups = []
    printed = 0
    for index, (rule_id, items) in enumerate(grouped.items()):
        rule = rules.get(rule_id)
        clause_id, url = clause(rule)
        worst = worst_severity(report, rule_id, items).value
        examples = []
        if print_mode:
            room = max(min(PRINT_EXAMPLES_PER_RULE, PRINT_MAX_FINDINGS - printed), 0)
            examples = [{"severity": f.severity.value, "severity_word": severity_word(f.severity.value, lang),
                         "target": f.target, "focus": f.focus, "path": f.path or "",
                         "value": f.value if f.value is not None else "",
                         "message": i18n.finding_message(f, lang)
                         + (f" ({same_value_text(f, words)})" if f.same_value_as else "")}
                        for f in items[:room]]
            printed += len(examples)
        fix = rule.text("message", lang) if rule else ""
        groups.append({"id": rule_id, "index": index, "name": rule.name if rule else "",
                       "title": rule.text("title", lang) if rule else rule_id,
                       "count": totals.get(rule_id, len(items)), "listed": len(items),
                       "severity": worst, "severity_word": severity_word(worst, lang),
                       "fix": fix if fix and "{" not in fix else "", "clause": clause_id, "url": _safe_url(url),
                       "examples": examples})
    caps = {row["key"]: row["capabilities"] for row in capability_rows(report)}
    mims = [{**m, "title": i18n.mim_title(m["key"], m["title"], lang), "note": i18n.note(m["note"], lang),
             "word": level_word(m["level"], lang),
             "capabilities": [_capability(c, lang) for c in caps.get(m["key"], [])]}
            for m in mim_rows(report)]
    status = report.counts_by_status()
    ctx: dict[str, Any] = {
        "lang": lang, "w": words, "prov": prov, "conforms": report.conforms,
        "verdict_text": words["conforms"] if report.conforms else words["not_conforms"],
        "targets": report.targets, "triples": sum(t.triples or 0 for t in report.targets),
        "rules_run": rules_run(report), "status": status,
        "sev": report.counts_by_severity(), "baseline": dict(report.baseline) if report.baseline else None,
        "limited_passes": [{"rule": rule_id, "target": target, "note": i18n.reason(note, lang)}
                           for rule_id, target, note in limited_passes(report)],
        "scope": scope_text(report, words, lang), "options": options_rows(report), "notes": notes(report, words),
        "mims": mims, "mim_svg": mim_chart(mims, words) if mims else "",
        # All findings, listed or not (a streamed run lists only some: `unlisted` says so, and where they all are).
        "groups": groups, "total_findings": report.findings_total, "listed_findings": len(report.findings),
        "print_mode": print_mode, "unlisted": unlisted_text(report, lang),
        "findings_file": str(report.streamed.get("file", "")) if report.findings_unlisted > 0 else "",
        "not_printed": report.findings_total - printed if print_mode else 0,
        "sev_words": SEVERITY_WORDS.get(lang, SEVERITY_WORDS["en"]),
        "css": _asset("report.css"), "js": "" if print_mode else _asset("report.js"),
    }
    from ldt_conform.render import quality as quality_view

    from ldt_conform.render import executive

    # The executive summary opens the report, then the score and its fixes.
    ctx["executive_html"] = executive.html(report, lang)
    ctx["quality_html"] = quality_view.html(report, lang, print_mode)
    ctx.update(_matrix(report, lang, words, rules, print_mode))
    if not print_mode:
        blob, blob_targets = _blob(report, blob_rules, rules, lang, words)
        ctx.update(blob=blob, blob_targets=blob_targets)
    return ctx


def _capability(cap: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """A capability row in the reader's language (the report keeps English: its contract)."""
    translated = i18n.capability(cap["id"], lang, cap["title"])
    return {**cap, "word": state_word(cap["state"], lang), "reason": i18n.reason(cap["reason"], lang),
            **({"title": translated[0], "assess": translated[1] if cap["assess"] else ""} if translated else {})}


def _matrix(report: Report, lang: str, words: Mapping[str, str], rules: Mapping[str, Any],
            print_mode: bool) -> dict[str, Any]:
    m = matrix(report)  # counts per cell over all findings, listed or not (Report.streamed counts them per input)
    rows = []
    aggregated = (len(m.rules) * max(len(m.targets), 1) > MAX_MATRIX_CELLS
                  or (print_mode and len(m.targets) > PRINT_MAX_MATRIX_COLUMNS))
    for rule_id in m.rules:
        rule = rules.get(rule_id)
        row: dict[str, Any] = {"id": rule_id, "name": rule.name if rule else "",
                               "title": rule.text("title", lang) if rule else rule_id,
                               "url": _safe_url(clause(rule)[1])}
        if aggregated:
            counts = dict.fromkeys(CELL_STATES, 0)
            for target in m.targets:
                if (rule_id, target) in m.cells:
                    counts[m.cells[(rule_id, target)]] += 1
            row["counts"] = counts
            row["findings"] = sum(m.counts.get((rule_id, t), 0) for t in m.targets)
        else:
            cells = []
            for target in m.targets:
                status = m.cells.get((rule_id, target))
                n = m.counts.get((rule_id, target), 0)
                if status is None:
                    cells.append({"status": "none", "text": "", "tip": ""})
                    continue
                text = CELL_TEXT[status] + (f" {number(n, lang, grouped=True)}" if n else "")
                why = m.whys.get((rule_id, target))
                cells.append({"status": status, "text": text,
                              "tip": f"{rule_id} × {target or words['none']}: {status_word(status, lang)}"
                                     + (f" ({i18n.phrase(f'why_{why}', lang) or why})" if why else "")})
            row["cells"] = cells
        rows.append(row)
    targets = [{"full": t or f"({words['none']})", "short": _short(t) if t != NO_TARGET else f"({words['none']})"}
               for t in m.targets]
    return {"matrix_rows": rows, "matrix_targets": targets, "matrix_aggregated": aggregated}


def _blob(report: Report, order: list[str], rules: Mapping[str, Any], lang: str,
          words: Mapping[str, str]) -> tuple[str, list[str]]:
    """Findings as index arrays over one string table: repeated paths, messages and values cost one entry."""
    strings: dict[str, int] = {}

    def s(text: str | None) -> int:
        if text is None:
            return -1
        if text not in strings:
            strings[text] = len(strings)
        return strings[text]

    rule_index = {rid: i for i, rid in enumerate(order)}
    target_list = list(dict.fromkeys(f.target for f in report.findings))
    target_index = {t: i for i, t in enumerate(target_list)}
    rows: list[list[int]] = []
    by_rule: dict[str, list[Any]] = {rid: [] for rid in order}
    for f in report.findings:
        by_rule[f.rule].append([rule_index[f.rule], target_index[f.target], SEV_INDEX[f.severity], s(f.focus),
                                s(f.path), s(f.value),
                                s(i18n.finding_message(f, lang)
                                  + (f" ({same_value_text(f, words)})" if f.same_value_as else "")),
                                BASE_INDEX.get(f.baseline, 0)])
    for rule_id in order:
        rows.extend(by_rule[rule_id])
    data = {
        "rules": [{"id": rid, "name": rules[rid].name if rid in rules else "",
                   "title": rules[rid].text("title", lang) if rid in rules else rid} for rid in order],
        "targets": target_list,
        "words": {"showing": words["showing"], "of": words["of"], "none": words["no_findings"],
                  "sev": dict(SEVERITY_WORDS.get(lang, SEVERITY_WORDS["en"])),
                  "base": {"new": words["new"], "known": words["known"]}},
        "s": list(strings), "f": rows,
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Inside <script>, "</script>" or "<!--" in a finding would end the block early; JSON allows \u003c instead.
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"), target_list


def mim_chart(mims: list[dict[str, Any]], words: Mapping[str, str]) -> str:
    """A horizontal bar per MIM: length = level (initial, partial, full); colour and text say the level too."""
    from html import escape

    row_h, left, width = 30, 250, 330
    height = row_h * len(mims) + 40
    steps = ["level_initial", "level_partial", "level_full"]
    parts = [f'<svg id="mim-chart" xmlns="http://www.w3.org/2000/svg" role="img" width="{left + width + 130}" '
             f'height="{height}" viewBox="0 0 {left + width + 130} {height}" '
             f'aria-label="{escape(words["mims_chart"])}">',
             f"<title>{escape(words['mims_chart'])}</title>"]
    for i, step in enumerate(steps, start=1):
        x = left + width * i / 3
        parts.append(f'<line x1="{x:.0f}" y1="8" x2="{x:.0f}" y2="{height - 24}" stroke="#d0d7de" '
                     f'stroke-dasharray="3,3"/><text x="{x:.0f}" y="{height - 8}" font-size="11" '
                     f'text-anchor="middle" fill="#57606a">{escape(words[step])}</text>')
    for i, m in enumerate(mims):
        y = 10 + i * row_h
        bar = width * m["rank"] / 3
        colour = LEVEL_COLOUR.get(m["level"], "#8c959f")
        parts.append(f'<g class="mim" data-key="{escape(m["key"])}" data-level="{escape(m["level"])}">'
                     f'<text x="0" y="{y + 16}" font-size="13" fill="#1f2328">{escape(m["label"])} '
                     f'{escape(m["title"][:28])}</text>'
                     f'<rect x="{left}" y="{y + 3}" width="{width}" height="18" fill="#f6f8fa" stroke="#d0d7de"/>'
                     f'<rect x="{left}" y="{y + 3}" width="{bar:.0f}" height="18" fill="{colour}"/>'
                     f'<text x="{left + width + 8}" y="{y + 16}" font-size="12" fill="{colour}">'
                     f'{escape(m["word"])}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def _short(source: str) -> str:
    tail = source.rstrip("/").rsplit("/", 1)[-1] or source
    return tail if len(tail) <= 40 else tail[:37] + "…"


def _safe_url(url: str | None) -> str | None:
    """Only http(s) links reach the page: a profile could otherwise smuggle a javascript: URL into an href."""
    if url and urlparse(url).scheme in ("http", "https"):
        return url
    return None
