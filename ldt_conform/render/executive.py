"""The executive summary that opens the HTML and PDF reports: verdict, score, MIM levels, three fixes, what is missing.

Plain words for a funder, in the report's language; every number comes from the report (nothing is recomputed).
"""
from __future__ import annotations

from collections import Counter
from html import escape
from typing import Any

from ldt_conform.model import Report, Severity, Status
from ldt_conform.render import i18n
from ldt_conform.render import quality as quality_view
from ldt_conform.render.common import limited_passes, mim_rows
from ldt_conform.render.labels import labels, level_word, severity_count
from ldt_conform.render.numbers import count, number

TOP = 3
LEVEL_ORDER = ("full", "partial", "initial", "not-assessed")


def lines(report: Report, lang: str = "en") -> dict[str, Any]:
    """The summary as data: {"verdict", "score": [...], "mims", "fixes": [...], "missing": [...]} of plain strings."""
    w = labels(lang)
    qw = quality_view.words(lang)
    sev = report.counts_by_severity()
    title = report.profile.title
    if report.conforms:
        verdict = w["exec_verdict_ok"].format(profile=title, fail_on=_severity(report.fail_on, lang))
    else:
        verdict = w["exec_verdict_bad"].format(profile=title, errors=severity_count("error", sev["error"], lang),
                                               warnings=severity_count("warning", sev["warning"], lang))
        # A check that crashed fails the run with no finding at all: "0 errors and 0 warnings" alone would read as
        # a clean twin, so the verdict says why it is not one.
        errored = report.counts_by_status()[Status.ERROR.value]
        if errored:
            verdict += count("exec_verdict_errored", errored, lang)
    scores = []
    for cat in quality_view.catalogues(report):
        if not cat.get("datasets"):
            scores.append(w["exec_no_datasets"].format(target=cat["target"]))
            continue
        template = w["exec_score"] if cat["max"] == 405 else w["exec_score_scaled"]
        scores.append(template.format(scaled=number(cat["scaled"], lang), band=qw[cat["band"]],
                                      datasets=count("dataset", cat["datasets"], lang), target=cat["target"],
                                      assessed=number(cat["max"], lang)))
    if not scores:
        scores.append(w["exec_no_score"])
    by_level: dict[str, list[str]] = {}
    for m in mim_rows(report):
        by_level.setdefault(m["level"], []).append(f"{m['label']} {i18n.mim_title(m['key'], m['title'], lang)}")
    mims = w["semicolon"].join(f"{level_word(level, lang)}{w['colon']}{', '.join(by_level[level])}"
                     for level in LEVEL_ORDER if level in by_level)
    return {"verdict": verdict, "score": scores, "mims": mims or w["no_mims"], "fixes": _fixes(report, lang),
            "missing": _missing(report, lang)}


def _severity(severity: Severity, lang: str) -> str:
    from ldt_conform.render.labels import severity_word

    return severity_word(severity.value, lang)


def _fixes(report: Report, lang: str) -> list[str]:
    """The three fixes worth most: score points first (the quality ranking), then the rules with most findings."""
    w = labels(lang)
    ranked = [fix for cat in quality_view.catalogues(report) for fix in cat.get("fixes", ())]
    ranked.sort(key=lambda f: (-f["points"], -f["findings"], -f["datasets"], f["id"]))
    out = [w["exec_fix_points"].format(fix=quality_view.fix_text(f, report, lang), id=f["id"],
                                       points=count("point", f["points"], lang),
                                       datasets=count("dataset", f["datasets"], lang)) for f in ranked[:TOP]]
    seen = {f["id"] for f in ranked[:TOP]}
    # Over all findings, listed or not (a streamed run lists only some: Report.counts_by_rule counts them all).
    counts = {rule_id: n for rule_id, by in report.counts_by_rule().items() if rule_id not in seen
              and (n := sum(k for sev, k in by.items() if sev != Severity.INFO.value))}
    # A rule's severity is its last listed finding's; a rule none of whose findings is listed, its worst one.
    severity = {rule_id: max(Severity(sev).rank for sev, k in by.items() if k)
                for rule_id, by in report.counts_by_rule().items() if any(by.values())}
    severity.update({f.rule: f.severity.rank for f in report.findings})
    for rule_id, n in sorted(counts.items(), key=lambda kv: (-severity[kv[0]], -kv[1], kv[0])):
        if len(out) >= TOP:
            break
        fix = quality_view.rule_fix_text(rule_id, report, lang) or rule_id
        out.append(w["exec_fix_findings"].format(fix=fix, id=rule_id, findings=count("finding", n, lang)))
    return out


def _missing(report: Report, lang: str) -> list[str]:
    """What the verdict and the score do not cover, with the reason: never left for the reader to guess."""
    w = labels(lang)
    # What proves nothing comes first: rule results in error.
    errored = [r.rule for r in report.results if r.status is Status.ERROR]
    out = [count("exec_errored", len(errored), lang, rules=_some(errored))] if errored else []
    out += [f"{w['exec_quality_metrics']}{w['colon']}{line}" for cat in quality_view.catalogues(report)
            for line in quality_view.not_assessed(cat, lang)]
    caps = [c for m in report.mims for c in m.get("capabilities", ())]
    unassessed = [c for c in caps if c.get("state") == "not-assessed"]
    if unassessed:
        out.append(count("exec_capabilities", len(unassessed), lang, total=number(len(caps), lang)))
    declared = [str(c["id"]) for c in caps if c.get("state") == "declared"]
    if declared:
        out.append(count("exec_declared", len(declared), lang, ids=_some(declared)))
    whys = Counter(r.why.value for r in report.results if r.status is Status.SKIP and r.why)
    if whys:
        detail = ", ".join(f"{number(n, lang)} {i18n.phrase(f'why_{why}', lang) or why}"
                           for why, n in sorted(whys.items()))
        out.append(count("exec_not_verified", sum(whys.values()), lang, detail=detail))
    limited = limited_passes(report)
    if limited:
        out.append(count("exec_limited", len(limited), lang, rules=_some([rule_id for rule_id, _, _ in limited])))
    if not report.mims:
        out.append(w["no_mims"])
    return out or [w["exec_nothing_missing"]]


def _some(ids: list[str]) -> str:
    """The first three distinct IDs (rules, capabilities) in ID order, and "…" when there are more."""
    distinct = sorted(set(ids))
    return ", ".join(distinct[:TOP]) + (", …" if len(distinct) > TOP else "")


def html(report: Report, lang: str = "en") -> str:
    """The summary section (escaped here; the template inserts it as is)."""
    w = labels(lang)
    s = lines(report, lang)
    c = w["colon"]
    english = i18n.rule_texts_note(report, lang)  # said once, where the report begins
    fixes = "".join(f"<li>{escape(f)}</li>" for f in s["fixes"])
    missing = "".join(f"<li>{escape(m)}</li>" for m in s["missing"])
    return (f'<section id="executive-summary"><h2>{escape(w["exec_title"])}</h2>'
            f'<p><strong>{escape(w["verdict"] + c)}</strong>{escape(s["verdict"])}</p>'
            + "".join(f'<p><strong>{escape(w["exec_quality"] + c)}</strong>{escape(x)}</p>' for x in s["score"])
            + f'<p><strong>{escape(w["mims"] + c)}</strong>{escape(s["mims"])}</p>'
            + (f'<p><strong>{escape(w["exec_fixes"] + c.rstrip())}</strong></p><ol>{fixes}</ol>' if fixes else "")
            + f'<p><strong>{escape(w["exec_missing"] + c.rstrip())}</strong></p><ul>{missing}</ul>'
            + (f'<p class="muted">{escape(english)}</p>' if english else "") + "</section>")
