"""The terminal report and progress display (the only module that imports rich)."""
from __future__ import annotations

import io
import os
import sys
import threading
import time
from collections import defaultdict
from typing import Any, Iterator

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ldt_conform.model import Finding, Report, Severity, Status
from ldt_conform.render import i18n
from ldt_conform.render.common import (notes, rule_totals, same_value_lead, same_value_text, unlisted_text,
                                       worst_severity)
from ldt_conform.render.labels import inline, labels, level_word, severity_count, severity_word
from ldt_conform.render.numbers import count, number

EXAMPLES_PER_RULE = 3
STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def console(file: Any = None, *, color: bool | None = None, width: int | None = None) -> Console:
    """A console that honours NO_COLOR and plain (non-TTY) output."""
    no_color = bool(os.environ.get("NO_COLOR")) or color is False
    target = file if file is not None else sys.stdout
    if width is None and not (hasattr(target, "isatty") and target.isatty()):
        # CI logs and files are not terminals: wrapping them at 80 columns only splits IRIs in two.
        width = 200
    # color=False is a file or a string: no escape at all, whatever FORCE_COLOR says (no_color alone keeps bold/dim).
    return Console(file=file, no_color=no_color, force_terminal=color, width=width, highlight=False, soft_wrap=False)


def render(report: Report, lang: str = "en", quiet: bool = False, color: bool | None = False,
           width: int = 120, **_: Any) -> str:
    buffer = io.StringIO()
    write(report, console(buffer, color=color, width=width), lang=lang, quiet=quiet)
    return buffer.getvalue()


def print_report(report: Report, *, lang: str = "en", quiet: bool = False) -> None:
    write(report, console(sys.stdout), lang=lang, quiet=quiet)


def write(report: Report, out: Console, *, lang: str = "en", quiet: bool = False) -> None:
    words = labels(lang)
    rules = {r.id: r for r in report.rules}
    if not quiet:
        _quality(report, out, lang)
        _findings(report, out, words, lang, rules)
        _rule_table(report, out, words, lang, rules)
        _limited_passes(report, out, words, lang)
        if report.mims:
            _mims(report, out, words, lang)
        _provenance(report, out, words, lang=lang)
    _summary(report, out, words, lang)


def _quality(report: Report, out: Console, lang: str) -> None:
    """The score, the fixes that matter most and the worst datasets: the first screen (render/quality.py)."""
    from ldt_conform.render.quality import text_lines

    for style, line in text_lines(report, lang):
        out.print(Text(line, style=style or ""))


def _provenance(report: Report, out: Console, words: Any, limit: int = 20, lang: str = "en") -> None:
    """Who checked what, with which profile and engines, and when: every report carries it (render/common.py)."""
    from ldt_conform.render.common import input_detail, provenance

    prov = provenance(report)
    p = prov["profile"]
    low = {k: inline(words[k], lang) for k in ("profile", "overridden", "engines", "probed_at")}
    lines = [f"{words['provenance']}{words['colon']}ldt-conform {report.tool_version} · {low['profile']} {p['id']} "
             f"{p['version']} sha256:{p['sha256']} · {low['overridden']}{words['colon']}"
             f"{', '.join(p['overridden']) or words['none']}",
             f"  {prov['started_at']} → {prov['finished_at']} · {low['engines']}{words['colon']}"
             f"{', '.join(prov['engines']) or words['none_engines']}"]
    for item in prov["inputs"][:limit]:
        lines.append(f"  {item['source']}  {item['kind']}" + (f"  sha256:{item['sha256']}" if item["sha256"] else "")
                     + f"  {input_detail(item, lang)}" + (f"  {low['probed_at']} {item['probed_at']}"
                                                           if item["probed_at"] else ""))
        for index, page in enumerate(item.get("pages", ())[:limit], start=1):
            lines.append(f"    {words['page']} {number(index, lang)}: {page['source']}  sha256:{page['sha256']}  "
                         f"{input_detail(page, lang)}")
        if len(item.get("pages", ())) > limit:
            lines.append(f"    +{number(len(item['pages']) - limit, lang)} {words['more']}")
    if len(prov["inputs"]) > limit:
        lines.append(f"  +{number(len(prov['inputs']) - limit, lang)} {words['more']}")
    for line in lines:
        out.print(Text(line, style="dim"))
    out.print()


def _findings(report: Report, out: Console, words: dict[str, str], lang: str, rules: dict[str, Any]) -> None:
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        grouped[finding.rule].append(finding)
    # A streamed run lists only some findings (Report.streamed): every rule is counted over all of them, and a rule
    # whose findings are all unlisted is shown too, at its worst severity.
    totals = rule_totals(report)
    severities = {rid: items[0].severity for rid, items in grouped.items()}
    if report.findings_unlisted > 0:
        for rid in totals:
            if rid not in grouped:
                severities[rid] = worst_severity(report, rid, [])
                grouped[rid] = []
    order = sorted(grouped, key=lambda rid: (-severities[rid].rank, rid))
    for rule_id in order:
        items = grouped[rule_id]
        rule = rules.get(rule_id)
        severity = severities[rule_id]
        header = Text()
        header.append(f"{severity_word(severity.value, lang).upper():7} ", style=STYLE[severity])
        header.append(f"{rule_id} ", style="bold")
        header.append(f"{rule.name if rule else ''}  ", style="dim")
        header.append(rule.text("title", lang) if rule else "")
        header.append(f"  ({number(totals.get(rule_id, len(items)), lang)})", style="dim")
        out.print(header)
        # A value several rules report is shown once, under the lowest rule ID, "also reported by" the others.
        shown = [f for f in items if same_value_lead(f) == rule_id]
        for finding in shown[:EXAMPLES_PER_RULE]:
            where = finding.focus + (f"  {_short_iri(finding.path)}" if finding.path else "")
            out.print(Text(f"    {where}", style="dim"))
            out.print(Text(f"      {i18n.finding_message(finding, lang)}"))
            if finding.same_value_as:
                out.print(Text(f"      ({same_value_text(finding, words)})", style="dim"))
        # Not shown here: examples beyond the first few, and (a streamed run) the rule's findings not listed.
        more = max(len(shown) - EXAMPLES_PER_RULE, 0) + max(totals.get(rule_id, len(items)) - len(items), 0)
        if more:
            out.print(Text(f"    +{number(more, lang)} {words['more']}", style="dim"))
        if len(items) > len(shown):
            elsewhere = sorted({same_value_lead(f) for f in items} - {rule_id})
            out.print(Text(f"    {count('shown_elsewhere', len(items) - len(shown), lang)}{words['colon']}"
                           f"{', '.join(elsewhere)}", style="dim"))
        if rule and rule.refs and rule.refs[0].url:
            out.print(Text(f"    {words['clause']}{words['colon']}{rule.refs[0].id} <{rule.refs[0].url}>", style="dim"))
    for note in notes(report, words):
        out.print(Text(note, style="dim"))
    if order:
        out.print()


def _rule_table(report: Report, out: Console, words: dict[str, str], lang: str, rules: dict[str, Any]) -> None:
    tally: dict[str, dict[Status, int]] = defaultdict(lambda: defaultdict(int))
    for result in report.results:
        tally[result.rule][result.status] += 1
    failing = [rid for rid in sorted(tally) if tally[rid][Status.FAIL] or tally[rid][Status.ERROR]]
    if not failing:
        return
    table = Table(title=None, show_edge=False, pad_edge=False, box=None)
    title = inline(words["title"], lang)
    for column in (inline(words["rule"], lang), inline(words["severity"], lang), words["pass"], words["fail"],
                   words["error"], words["skip"], title):
        table.add_column(column, no_wrap=column != title)
    for rid in failing:
        rule = rules.get(rid)
        counts = tally[rid]
        table.add_row(rid, severity_word(rule.severity.value, lang) if rule else "",
                      *(number(counts[s], lang) for s in (Status.PASS, Status.FAIL, Status.ERROR,
                                                                         Status.SKIP)),
                      rule.text("title", lang) if rule else "")
    out.print(table)
    out.print()


def _limited_passes(report: Report, out: Console, words: dict[str, str], lang: str) -> None:
    from ldt_conform.render.common import limited_passes

    rows = limited_passes(report)
    if not rows:
        return
    out.print(Text(words["limited_passes"], style="bold"))
    out.print(Text(f"  {words['limited_passes_note']}", style="dim"))
    for rule_id, target, note in rows:
        line = Text(f"  {rule_id:12} ")
        line.append(f"{target}{words['colon']}" if target else "", style="dim")
        line.append(i18n.reason(note, lang))
        out.print(line)
    out.print()


CAP_STYLE = {"holds": "green", "broken": "red", "declared": "yellow", "not-assessed": "dim", "not-applicable": "dim"}


def _mims(report: Report, out: Console, words: dict[str, str], lang: str = "en") -> None:
    from ldt_conform.render.common import capability_rows
    from ldt_conform.render.labels import state_word

    out.print(Text(words["mims"], style="bold"))
    caps = {row["key"]: row["capabilities"] for row in capability_rows(report)}
    for mim in report.mims:
        level = str(mim.get("level"))
        style = {"full": "green", "partial": "yellow", "initial": "red"}.get(level, "dim")
        title = i18n.mim_title(str(mim.get("key")), str(mim.get("title", mim.get("key", ""))), lang)
        line = Text(f"  {mim.get('label', ''):5} {title:22} ")
        line.append(f"{level_word(level, lang):12}", style=style)
        if mim.get("note"):
            line.append(f"  {i18n.note(str(mim['note']), lang)}", style="dim")
        out.print(line)
        for cap in caps.get(str(mim.get("key")), []):
            row = Text(f"        {cap['id']:24} ")
            row.append(f"{state_word(cap['state'], lang):14}", style=CAP_STYLE.get(cap["state"], "dim"))
            detail = i18n.reason(cap["reason"], lang) if cap["state"] != "holds" or cap["limited"] else ""
            translated = i18n.capability(cap["id"], lang, cap["title"])
            assess = translated[1] if translated and cap["assess"] else cap["assess"]
            if assess:
                detail += f"{' · ' if detail else ''}{words['assess_by']}{words['colon']}{assess}"
            if detail:
                row.append(f"  {detail}", style="dim")
            out.print(row)
    out.print()


def _summary(report: Report, out: Console, words: dict[str, str], lang: str = "en") -> None:
    status = report.counts_by_status()
    severity = report.counts_by_severity()
    triples = sum(t.triples or 0 for t in report.targets)
    for warning in report.warnings:
        out.print(Text(f"WARNING {warning}", style="bold yellow"))
    out.print(Text(f"{words['profile']}{words['colon']}{report.profile.id} {report.profile.version}", style="dim"))
    detection = (report.options or {}).get("profile_detection")
    if detection:
        from ldt_conform.render.common import detection_text

        out.print(Text(f"{words['profile']} auto: {detection_text(detection)}", style="yellow"))
    english = i18n.rule_texts_note(report, lang)
    if english:
        out.print(Text(english, style="dim"))
    def n(value: int) -> str:
        return number(value, lang)

    c = words["colon"]
    from ldt_conform.render.common import rules_run

    evaluated = rules_run(report)
    out.print(f"{words['targets']}{c}{n(len(report.targets))} ({count('triple', triples, lang, grouped=True)})  "
              f"{words['rules']}{c}{n(evaluated)}  "
              f"{words['pass']} {n(status['pass'])} · {words['fail']} {n(status['fail'])} · "
              f"{words['error']} {n(status['error'])} · {words['skip']} {n(status['skip'])}")
    from ldt_conform.render.common import scope_text

    scope = scope_text(report, words, lang)
    if scope:
        out.print(Text(f"{words['scope']}{c}{scope}", style="bold yellow" if report.options.get("narrowed") else "dim"))
    unlisted = unlisted_text(report, lang)
    if unlisted:  # a streamed run: the counts below are of all findings, the list above of some
        out.print(Text(unlisted, style="bold yellow"))
    line = Text()
    for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        line.append(f"{severity_count(sev.value, severity[sev.value], lang)}  ", style=STYLE[sev])
    if report.baseline:
        b = report.baseline
        out.print(Text(f"{words['baseline']}{words['colon']}{count('new', b.get('new', 0), lang)} · "
                       f"{count('known', b.get('known', 0), lang)} · {count('fixed', b.get('fixed', 0), lang)}",
                       style="dim"))
    verdict = words["conforms"] if report.conforms else words["not_conforms"]
    line.append(f"{verdict} ", style="bold green" if report.conforms else "bold red")
    line.append(f"({words['at']} {report.fail_on.value})", style="dim")
    out.print(line)


def _short_iri(iri: str) -> str:
    for namespace, prefix in _PREFIXES.items():
        if iri.startswith(namespace):
            return prefix + ":" + iri[len(namespace):]
    return iri


_PREFIXES = {
    "http://www.w3.org/ns/dcat#": "dcat", "http://purl.org/dc/terms/": "dct", "http://xmlns.com/foaf/0.1/": "foaf",
    "http://www.w3.org/2006/vcard/ns#": "vcard", "http://www.w3.org/ns/adms#": "adms",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf", "http://www.w3.org/ns/prov#": "prov",
    "http://www.w3.org/ns/odrl/2/": "odrl",
}


class Progress:
    """A transient spinner on stderr that appears only when a step runs longer than about a second."""

    def __init__(self, enabled: bool, delay_s: float = 1.0) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.delay_s = delay_s
        self.message = ""
        self._status: Any = None
        self._timer: threading.Timer | None = None
        self._started = time.monotonic()

    def __enter__(self) -> Progress:
        if self.enabled:
            self._timer = threading.Timer(self.delay_s, self._show)
            self._timer.daemon = True
            self._timer.start()
        return self

    def _show(self) -> None:
        self._status = console(sys.stderr).status(self.message or "working…")
        self._status.start()

    def update(self, message: str) -> None:
        self.message = message
        if self._status is not None:
            self._status.update(f"{message}  [{time.monotonic() - self._started:.0f} s]")

    def __exit__(self, *exc: Any) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self._status is not None:
            self._status.stop()


def rules_table(rules: Iterator[Any] | list[Any], lang: str = "en", file: Any = None) -> None:
    """`ldt-conform rules PROFILE`: ID, severity, name, title and clause, headed in the reader's language."""
    w = labels(lang)
    table = Table(box=None, pad_edge=False)
    table.add_column("ID")
    for column in (w["severity"], w["name"], w["title"], w["clause"]):
        table.add_column(inline(column, lang))
    for rule in rules:
        table.add_row(rule.id, severity_word(rule.severity.value, lang), rule.name, rule.text("title", lang),
                      rule.refs[0].id if rule.refs else "")
    console(file or sys.stdout).print(table)


def rule_detail(rule: Any, lang: str = "en", file: Any = None) -> None:
    """`ldt-conform rules PROFILE ID`: the full description of one rule."""
    w = labels(lang)
    c = w["colon"]
    out = console(file or sys.stdout)
    out.print(Text(f"{rule.id}  {rule.name}", style="bold"))
    out.print(rule.text("title", lang))
    out.print(Text(f"{inline(w['severity'], lang)}{c}{severity_word(rule.severity.value, lang)}   "
                   f"{inline(w['check_kind'], lang)}{c}{rule.kind}   {inline(w['profile'], lang)}{c}{rule.profile}"
                   + (f"   {w['rule_mims']}{c}{', '.join(rule.mims)}" if rule.mims else "")
                   + ("" if rule.enabled else f"   ({w['disabled']})")))
    if rule.aliases:
        out.print(f"{w['aliases']}{c}{', '.join(rule.aliases)}")
    if rule.text("description", lang):
        out.print()
        out.print(rule.text("description", lang))
    if rule.text("message", lang):
        out.print()
        out.print(Text(f"{w['fix']}{c}{rule.text('message', lang)}"))
    out.print()
    for ref in rule.refs:
        out.print(f"{w['clause']}{c}{ref.id}" + (f" <{ref.url}>" if ref.url else ""))


def profiles_table(rows: list[tuple[str, str, str, int, str]]) -> None:
    table = Table(box=None, pad_edge=False)
    for column in ("id", "version", "title", "rules", "extends"):
        table.add_column(column)
    for row in rows:
        table.add_row(row[0], row[1], row[2], str(row[3]), row[4])
    console(sys.stdout).print(table)


def error_line(message: str) -> None:
    """One plain line on stderr: no markup interpretation, so file paths with brackets survive."""
    sys.stderr.write(f"error: {message}\n")
