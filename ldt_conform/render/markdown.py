"""The `markdown` format: a pull-request comment within GitHub's and GitLab's size limit, saying what it left out."""
from __future__ import annotations

import re
from typing import Any, Mapping

from ldt_conform.model import Finding, Report, Status
from ldt_conform.render import i18n
from ldt_conform.render.common import (capability_rows, clause, findings_by_rule, input_detail, mim_rows, provenance,
                                       rule_map, rule_totals, scope_text, unlisted_text, worst_severity)
from ldt_conform.render.common import limited_passes, same_value_text
from ldt_conform.render.labels import inline, labels, level_word, severity_count, severity_word, state_word
from ldt_conform.render.numbers import count, number

MAX_CHARS = 65_000  # GitHub refuses comments over 65,536 characters
EXAMPLES_PER_RULE = 5
MAX_LIMITED_PASSES = 20  # a PR comment stays short; every note is in the JSON and HTML reports
ICON = {"error": "🔴", "warning": "🟡", "info": "🔵"}
LEVEL_ICON = {"full": "🟢", "partial": "🟡", "initial": "🔴", "not-assessed": "⚪"}


def render(report: Report, lang: str = "en", max_chars: int = MAX_CHARS, **_: Any) -> str:
    words = labels(lang)
    head = _head(report, words, lang)
    from ldt_conform.render import quality as quality_view

    head += quality_view.markdown(report, lang)  # the score and the fixes that matter most come first
    tail = _provenance(report, words, lang)
    groups = findings_by_rule(report)  # a streamed run: every rule with a finding, listed or not
    # A streamed run (Report.streamed) lists only some findings: each rule's unlisted ones are counted with it.
    unlisted = {rid: max(total - len(groups.get(rid, [])), 0) for rid, total in rule_totals(report).items()}
    if report.baseline:  # a PR comment is about what this change introduced
        groups = {rid: [f for f in items if f.baseline != "known"] for rid, items in groups.items()}
        groups = {rid: items for rid, items in groups.items() if items or unlisted.get(rid)}
    rules = rule_map(report)
    budget = max_chars - len(head) - len(tail) - 600  # room for the "left out" note
    body: list[str] = [f"\n### {words['top_findings']}\n"] if groups else []
    used = len(body[0]) if body else 0
    shown_rules = 0
    omitted_in_shown = 0
    for rule_id, items in groups.items():
        block, left = _group(rule_id, items, rules.get(rule_id), words, lang,
                             worst_severity(report, rule_id, items).value, unlisted.get(rule_id, 0))
        if used + len(block) > budget:
            break
        body.append(block)
        used += len(block)
        shown_rules += 1
        omitted_in_shown += left
    hidden = list(groups)[shown_rules:]
    notes = []
    if hidden:
        notes.append(count("left_out_rules", len(hidden), lang,
                           findings=count("finding", sum(len(groups[r]) + unlisted.get(r, 0) for r in hidden), lang))
                     + words["colon"]
                     + ", ".join(hidden[:40]) + (" …" if len(hidden) > 40 else "") + ".")
    if omitted_in_shown:
        notes.append(f"{count('finding', omitted_in_shown, lang)} ({number(EXAMPLES_PER_RULE, lang)} "
                     f"{words['examples']} / {inline(words['rule'], lang)}).")
    note = ""
    # "The full report lists every finding": not a streamed run's, whose findings are all in the file the head names.
    full = "" if report.findings_unlisted > 0 else words["full_report"]
    if notes:
        note = (f"\n> **{words['left_out']}** ({number(max_chars, lang, grouped=True)}){words['colon'].rstrip()}\n"
                + "".join(f"> - {n}\n" for n in notes) + (f"> {full}\n" if full else ""))
    text = head + "".join(body) + note + tail
    if len(text) > max_chars:  # a pathological single block (huge messages): cut hard, but say so
        marker = (f"\n\n> **{words['left_out']}** ({number(max_chars, lang, grouped=True)})."
                  + (f" {full}" if full else "") + "\n")
        room = max_chars - len(marker)
        if len(tail) > room // 2:  # many inputs, many pages: the provenance table alone would not fit
            close = "\n| … | | | | |\n\n</details>\n"
            tail = tail[: room // 2 - len(close)].rsplit("\n", 1)[0] + close
        text = text[: room - len(tail)] + marker + tail
    return text


def _head(report: Report, words: Mapping[str, str], lang: str) -> str:
    verdict = words["conforms"] if report.conforms else words["not_conforms"]
    icon = "✅" if report.conforms else "❌"
    sev = report.counts_by_severity()
    status = report.counts_by_status()
    triples = sum(t.triples or 0 for t in report.targets)
    c = words["colon"].rstrip()  # "Profil :" in French
    lines = [f"## {icon} ldt-conform: {verdict} ({words['at']} {report.fail_on.value})", "",
             f"**{words['profile']}{c}** {_esc(report.profile.id)} {_esc(report.profile.version)} — "
             f"{_esc(report.profile.title)}  ",
             f"**{words['targets']}{c}** {number(len(report.targets), lang)} "
             f"({count('triple', triples, lang, grouped=True)})  ",
             f"**{words['findings']}{c}** " + ", ".join(f"{ICON[s]} {severity_count(s, sev[s], lang)}"
                                                        for s in ("error", "warning", "info")), ""]
    unlisted = unlisted_text(report, lang)
    if unlisted:  # a streamed run: the counts above are of all findings, the lists below of some
        lines += [f"> **{_esc(unlisted)}**", ""]
    for warning in getattr(report, "warnings", ()):
        lines += [f"> ⚠️ **{words['warning']}{words['colon'].rstrip()}** {_esc(warning)}", ""]
    if report.baseline:
        b = report.baseline
        lines += [f"**{words['baseline']}{words['colon'].rstrip()}** {count('new', b.get('new', 0), lang)}, "
                  f"{count('known', b.get('known', 0), lang)}, {count('fixed', b.get('fixed', 0), lang)}", ""]
    scope = scope_text(report, words, lang)
    if scope:
        lines += [f"**{words['scope']}{words['colon'].rstrip()}** {_esc(scope)}", ""]
    lines += [f"| {words['pass']} | {words['fail']} | {words['error']} | {words['skip']} |", "|---:|---:|---:|---:|",
              "| " + " | ".join(number(status[s], lang) for s in ("pass", "fail", "error", "skip"))
              + " |", ""]
    limited = limited_passes(report)
    if limited:
        lines += [f"### {words['limited_passes']}", "", _esc(words["limited_passes_note"]), ""]
        lines += [f"- `{rule_id}` {_esc(target)}{words['colon']}{_esc(i18n.reason(note, lang))}"
                  for rule_id, target, note in limited[:MAX_LIMITED_PASSES]]
        if len(limited) > MAX_LIMITED_PASSES:
            lines.append(f"- … {number(len(limited) - MAX_LIMITED_PASSES, lang)} {words['more']}")
        lines.append("")
    mims = mim_rows(report)
    if mims:
        lines += [f"### {words['mims']}", "", f"| {words['mim']} | {words['title']} | {words['level']} |",
                  "|---|---|---|"]
        lines += [f"| {_esc(m['label'])} | {_esc(i18n.mim_title(m['key'], m['title'], lang))} | "
                  f"{LEVEL_ICON.get(m['level'], '')} "
                  f"{level_word(m['level'], lang)}{' — ' + _esc(i18n.note(m['note'], lang)) if m['note'] else ''}"
                  + "".join(f" · {_esc(str(e.get('kind', '')))} ({words['declared']})" for e in m["evidence"])
                  + " |" for m in mims]
        lines.append("")
        lines += _capabilities(report, words, lang)
    failing = sorted({r.rule for r in report.results if r.status in (Status.FAIL, Status.ERROR)})
    if failing and len(failing) <= 60:
        lines.append(f"**{words['fail']}{words['colon'].rstrip()}** " + ", ".join(f"`{r}`" for r in failing))
    return "\n".join(lines) + "\n"


def _capabilities(report: Report, words: Mapping[str, str], lang: str) -> list[str]:
    """Every capability of every MIM with its state, and what would assess the ones not assessed (collapsed)."""
    rows = capability_rows(report)
    if not any(r["capabilities"] for r in rows):
        return []
    lines = [f"<details><summary>{words['capabilities']}</summary>", "",
             f"| {words['mim']} | {words['capability']} | {words['state']} | {words['assess_by']} |",
             "|---|---|---|---|"]
    for row in rows:
        for cap in row["capabilities"]:
            detail = "" if cap["state"] == "holds" and not cap["limited"] else \
                f" — {_esc(i18n.reason(cap['reason'], lang))}"
            # The capability's texts in the reader's language (the report keeps English, its contract).
            translated = i18n.capability(cap["id"], lang, cap["title"])
            title, assess = (translated[0], translated[1] if cap["assess"] else "") if translated else (
                cap["title"], cap["assess"])
            lines.append(f"| {_esc(row['label'])} | `{cap['id']}` {_esc(title)} | "
                         f"{state_word(cap['state'], lang)}{detail} | {_esc(assess)} |")
    return [*lines, "", "</details>", ""]


def _group(rule_id: str, items: list[Finding], rule: Any, words: Mapping[str, str], lang: str, worst: str,
           unlisted: int = 0) -> tuple[str, int]:
    """A rule's block, and how many of its listed findings it leaves out; `unlisted` of its findings are not in the
    report at all (a streamed run): counted, never shown."""
    title = rule.text("title", lang) if rule else rule_id
    name = f" `{rule.name}`" if rule else ""
    lines = [f"\n#### {ICON[worst]} {rule_id}{name} — {_esc(title)} ({number(len(items) + unlisted, lang)})", ""]
    clause_id, url = clause(rule)
    meta = []
    if clause_id:
        label = f"{words['clause']}{words['colon']}"
        meta.append(f"{label}[{_esc(clause_id)}]({url})" if url else f"{label}{_esc(clause_id)}")
    if rule and rule.text("message", lang) and "{" not in rule.text("message", lang):
        meta.append(f"{words['fix']}{words['colon']}{_esc(rule.text('message', lang))}")
    if meta:
        lines += [" · ".join(meta), ""]
    for finding in items[:EXAMPLES_PER_RULE]:
        where = _code(finding.focus) + (f" {_code(finding.path)}" if finding.path else "")
        value = f" = {_code(finding.value)}" if finding.value is not None else ""
        also = f" ({_esc(same_value_text(finding, words))})" if finding.same_value_as else ""
        lines.append(f"- {severity_word(finding.severity.value, lang)}{words['colon']}{_code(finding.target)} "
                     f"{where}{value} — {_esc(i18n.finding_message(finding, lang))}{also}")
    left = max(len(items) - EXAMPLES_PER_RULE, 0)
    if left + unlisted:
        lines.append(f"- … {count('left_out_findings', left + unlisted, lang)}")
    return "\n".join(lines) + "\n", left


def _provenance(report: Report, words: Mapping[str, str], lang: str = "en") -> str:
    prov = provenance(report)
    p = prov["profile"]
    lines = ["", f"<details><summary>{words['provenance']}</summary>", "",
             "| | |", "|---|---|",
             f"| {words['tool']} | ldt-conform {_esc(prov['tool']['version'])} |",
             f"| {words['profile']} | {_esc(p['id'])} {_esc(p['version'])} |",
             f"| {words['profile_sha']} | `{p['sha256']}` |",
             f"| {words['overridden']} | {_esc(', '.join(p['overridden']) or words['none'])} |",
             f"| {words['started']} | {prov['started_at']} |", f"| {words['finished']} | {prov['finished_at']} |",
             f"| {words['engines']} | {_esc(', '.join(prov['engines']) or words['none_engines'])} |",
             f"| {words['fail_on']} | {prov['fail_on']} |"]
    if "baseline" in prov:
        b = prov["baseline"]
        lines.append(f"| {words['baseline']} | {_esc(str(b.get('file', '')))} (`{b.get('sha256', '')}`) |")
    lines += ["", f"| {words['source']} | {words['kind']} | {words['sha256']} | {words['size']} | "
                  f"{words['probed_at']} |", "|---|---|---|---|---|"]
    for t in prov["inputs"][:200]:
        source = _code(t["source"], in_table=True)
        lines.append(f"| {source} | {t['kind']} | `{t['sha256'] or ''}` | {input_detail(t, lang)} | "
                     f"{t['probed_at'] or ''} |")
        for index, page in enumerate(t.get("pages", ()), start=1):
            lines.append(f"| ↳ {words['page']} {number(index, lang)}: {_code(page['source'], in_table=True)} | | "
                         f"`{page['sha256']}` | {input_detail(page, lang)} | |")
    if len(prov["inputs"]) > 200:
        lines.append(f"| … {number(len(prov['inputs']) - 200, lang)} {words['more']} | | | | |")
    lines += ["", "</details>", ""]
    return "\n".join(lines)


_SPECIAL = re.compile(r"([\\`*_\[\]#|~!])")
# GitHub turns bare URLs and www. names into links; an escaped ':' or '.' splits the text node, so none forms.
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto)(\\?:)|\b(www)\.")
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _esc(text: str) -> str:
    """Plain text safe inside Markdown and table cells: no accidental emphasis, links, images, pipes or raw HTML."""
    text = _CONTROLS.sub(" ", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    return _AUTOLINK.sub(lambda m: f"{m.group(1)}\\:" if m.group(1) else f"{m.group(3)}\\.", text)


def _code(text: str, in_table: bool = False) -> str:
    """A code span whose fence is longer than any backtick run inside, so the value can never close it early.

    In a table cell a pipe splits the cell even inside a code span (GFM tables §4.10): it is escaped there."""
    text = _CONTROLS.sub(" ", text)
    if len(text) > 300:
        text = text[:297] + "…"
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    if in_table:
        text = text.replace("|", "\\|")
    return f"{fence}{pad}{text}{pad}{fence}"
