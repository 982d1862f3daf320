"""`ldt-conform diff` as text, in the reader's language (the JSON diff of baseline.diff stays language-neutral)."""
from __future__ import annotations

from typing import Any, Mapping

from ldt_conform.render import i18n
from ldt_conform.render.labels import SEVERITY_WORDS, inline, labels, level_word, severity_word
from ldt_conform.render.numbers import count, number, signed


def render_text(result: Mapping[str, Any], lang: str = "en", limit: int = 100) -> str:
    """The fixed, new and unchanged findings, score and MIM level changes of a baseline.diff result.

    What the reports said stays as they said it: file names, profile IDs, rule IDs, focus nodes and the messages of
    profile rules (written in the language of the run that made the report); the tool's own messages (LC-…) and the
    note of quality.change are fixed English sentences, translated here like in the reports."""
    w = labels(lang)
    c = w["colon"]
    old, new, summary = result["from"], result["to"], result["summary"]
    lines = [f"{w['diff_from']}{c}{old['file']}  ({old['profile']} {old['profile_version']}, {old['at']})",
             f"{w['diff_to']}{c}{new['file']}  ({new['profile']} {new['profile_version']}, {new['at']})"]
    if old["profile"] != new["profile"]:
        lines.append(f"{w['diff_note']}{c}{w['diff_profiles'].format(old=old['profile'], new=new['profile'])}")
    if "conforms" in old and "conforms" in new and old["conforms"] != new["conforms"]:
        def verdict(conforms: Any) -> str:
            return w["conforms"] if conforms else w["not_conforms"]
        lines.append(f"{inline(w['verdict'], lang)}{c}{verdict(old['conforms'])} → {verdict(new['conforms'])}")
    lines.append(f"{inline(w['findings'], lang)}{c}{count('diff_fixed', summary['fixed'], lang)}, "
                 f"{count('new', summary['new'], lang)}, {count('diff_unchanged', summary['unchanged'], lang)}")
    lines += _quality(result.get("quality", ()), w, lang)
    lines += _mims(result["mims"], w, lang)
    # the severity column as wide as the language's longest severity word ("avertissement")
    width = max(len(word) for word in SEVERITY_WORDS.get(lang, SEVERITY_WORDS["en"]).values())
    for section in ("new", "fixed"):
        items = result[section]
        if not items:
            continue
        lines.append(w[f"diff_section_{section}"] + c.rstrip())
        for item in items[:limit]:
            where = item["focus"] + (f"  {item['path']}" if item.get("path") else "")
            severity = severity_word(item["severity"], lang) if item.get("severity") else ""
            lines.append(f"  {severity:{width}} {item['rule']:12} {item['target']}  {where}")
            if item.get("message"):
                lines.append(f"      {_message(item, lang)}")
        if len(items) > limit:
            lines.append(f"  {count('diff_more', len(items) - limit, lang)}")
    return "\n".join(lines) + "\n"


def _quality(rows: Any, w: Mapping[str, str], lang: str) -> list[str]:
    """One line per catalogue: the scaled score and band before and after, the change, and quality.change's note."""
    from ldt_conform.render.quality import words

    bands = words(lang)
    c = w["colon"]

    def side(s: Any) -> str:
        scaled = s.get("scaled") if s else None
        if not isinstance(scaled, (int, float)) or isinstance(scaled, bool):
            return w["diff_no_score"]
        band = s.get("band")
        return f"{number(scaled, lang)} ({bands.get(band, band) if isinstance(band, str) else band})"

    lines = []
    for row in rows:
        change = row.get("change")
        delta = f", {signed(change, lang)}" if isinstance(change, (int, float)) else ""
        lines.append(f"{w['diff_quality']}{c}{row['target']}{c}{side(row['old'])} → {side(row['new'])}{delta}")
        if row.get("note"):
            lines.append(f"  {w['diff_note']}{c}{i18n.reason(str(row['note']), lang)}")
    return lines


def _mims(mims: list[Mapping[str, Any]], w: Mapping[str, str], lang: str) -> list[str]:
    if not mims:
        return []
    c = w["colon"]
    changed = [m for m in mims if m["old"] != m["new"]]
    lines = [w["mims"] + (f"{c}{w['diff_unchanged']}" if not changed else c.rstrip())]
    for m in changed:
        title = i18n.mim_title(m["key"], m["title"], lang)
        lines.append(f"  {m['label']:5} {title}{c}{level_word(m['old'], lang)} → {level_word(m['new'], lang)} "
                     f"({w.get('diff_' + m['change'], m['change'])})")
    return lines


def _message(item: Mapping[str, Any], lang: str) -> str:
    from ldt_conform import tool_ids

    message = str(item["message"])
    return i18n.tool_message(message, lang) if tool_ids.is_tool_rule(str(item["rule"])) else message
