"""Texts a reader sees beyond the labels, in the report's language: MIM titles and notes, capabilities, metrics.

The report (JSON) keeps them in English, its contract; renderers translate them here from ldt_conform/i18n.toml.
Notes and reasons are sentences levels.py and quality.py assemble from a few fixed phrases plus IDs and counts, so
each phrase is matched by its English pattern and rebuilt from the translated template; a phrase that matches no
pattern (a reason the twin manifest wrote, for instance) is data and stays as it is.
"""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any, Callable, Mapping


@lru_cache(maxsize=1)
def table() -> dict[str, Any]:
    return tomllib.loads((resources.files("ldt_conform") / "i18n.toml").read_text("utf-8"))


def _section(lang: str, name: str) -> Mapping[str, Any]:
    section: Mapping[str, Any] = table().get(lang, {}).get(name, {})
    return section


def phrase(key: str, lang: str, section: str = "phrases", **values: Any) -> str | None:
    """A phrase of `section` in `lang` filled with `values`; None when not translated.

    A phrase with a count is a table {one = ..., other = ...}: the form follows the CLDR plural category of `n`
    (render/numbers.py), and {n} is the number formatted for the language."""
    template = _section(lang, section).get(key)
    if template is None:
        return None
    if isinstance(template, Mapping):
        from ldt_conform.render.numbers import number, plural_category

        n = int(values["n"])
        values = {**values, "n": number(n, lang)}
        template = template.get(plural_category(n, lang), template["other"])
    return str(template).format(**values)


def mim_title(key: str, english: str, lang: str) -> str:
    """A MIM's title in `lang`; a title the report's model changed (not the shipped English one) is kept."""
    from ldt_conform.mims import MIMS

    if key not in MIMS or MIMS[key].title != english:
        return english
    return str(_section(lang, "mims").get(key, english))


def capability(cap_id: str, lang: str, english_title: str | None = None) -> tuple[str, str, str] | None:
    """(title, would be assessed by, what is checked) of a capability in `lang`; None when not translated, or when
    `english_title` shows the report's capability model is not the shipped one (its texts are then the model's)."""
    entry = _section(lang, "capabilities").get(cap_id)
    if not entry:
        return None
    if english_title is not None:
        from ldt_conform import capabilities

        shipped = next((c for c in capabilities.default().capabilities if c.id == cap_id), None)
        if shipped is None or shipped.title != english_title:
            return None
    return (entry[0], entry[1], entry[2])


def metric(metric_id: str, lang: str) -> tuple[str, str] | None:
    """(title, fix) of an MQA metric in `lang`; None when not translated."""
    entry = _section(lang, "metrics").get(metric_id)
    return (entry[0], entry[1]) if entry else None


WHYS = ("not-applicable", "prerequisite-failed", "artefact-unavailable", "not-selected", "not-verified")
_WHY = re.compile(r"\b(" + "|".join(WHYS) + r")\b")
_MUST = re.compile(r"(\d+) MUST rules (" + "|".join(WHYS) + r") \(([^)]*), …\)")


def _whys(text: str, lang: str) -> str:
    text = _MUST.sub(lambda m: phrase("must_rules", lang, n=m[1], why=phrase(f"why_{m[2]}", lang) or m[2],
                                      ids=m[3]) or m[0], text)
    return _WHY.sub(lambda m: phrase(f"why_{m[1]}", lang) or m[1], text)


Rule = tuple[re.Pattern[str], Callable[[re.Match[str], str], str | None]]


def _p(pattern: str, key: str, **groups: int) -> Rule:
    return (re.compile(f"^{pattern}$"),
            lambda m, lang: phrase(key, lang, **{name: m[i] for name, i in groups.items()}))


_NOTE: list[Rule] = [
    # "1/1 capacité respectée", "2/6 capacités respectées": the noun agrees with the total
    _p(r"(\d+)/(\d+) capabilities hold", "capabilities_hold", held=1, n=2),
    _p(r"broken: (.+)", "broken_caps", ids=1),
    _p(r"not assessed: (.+)", "not_assessed", ids=1),
    _p(r"not applicable: (.+)", "not_applicable", ids=1),
    _p(r"narrowed run: .*", "narrowed"),
    _p(r"organisational capabilities keep it below a machine-verified full", "organisational"),
    _p(r"no check exists yet for: (.+)", "unchecked_for", ids=1),
    _p(r"evidence declared, not machine-verified: (.+)", "evidence_declared", ids=1),
]
_REASON: list[Rule] = [
    _p(r"broken: (.+)", "broken", ids=1),
    (re.compile(r"^not verified: (.+)$"), lambda m, lang: phrase("not_verified", lang, what=_whys(m[1], lang))),
    _p(r"(\d+) rules? verified", "rules_verified", n=1),
    _p(r"(\d+) rules? verified, with limits: (.+)", "rules_verified_limited", n=1, ids=2),
    _p(r"declared, not machine-verified: (.+)", "declared", ids=1),
    _p(r"organisational: no rule can verify it", "organisational_only"),
    _p(r"no check exists yet", "no_check"),
    _p(r"no rule of this profile gives evidence for it", "no_rule"),
    _p(r"no MUST or SHOULD rule of it was verified", "no_must_should"),
    _p(r"counts only once (\S+) was assessed", "after", ids=1),
    # quality.py: why a metric (or a whole catalogue) is not assessed
    _p(r"needs the network: run with --check-links", "needs_network"),
    _p(r"the EDP lookup (\S+) is not available offline \(artefact store\)", "lookup_offline", ids=1),
    _p(r"no DCAT-AP \(SHACL\) rule was evaluated on this catalogue", "no_shacl"),
    _p(r"rule (\S+) could not be evaluated \(error\), so compliance is not proven", "rule_errored", ids=1),
    _p(r"a link check did not finish within the time budget", "link_unfinished"),
    _p(r"the catalogue has no dcat:Dataset to score", "no_dataset"),
    # quality.change: why two scores may not compare (shown by `ldt-conform diff`)
    _p(r"the assessed points differ \(e\.g\. --check-links or an artefact in one run only\): compare the scaled "
       r"scores with care", "points_differ"),
]


def _translate(text: str, lang: str, rules: list[Rule]) -> str:
    for pattern, build in rules:
        m = pattern.match(text)
        if m:
            return build(m, lang) or text
    return text


def note(text: str, lang: str) -> str:
    """A MIM note ("2/6 capabilities hold; broken: …") in `lang`."""
    if lang == "en" or not text:
        return text
    from ldt_conform.render.labels import labels

    return labels(lang)["semicolon"].join(_translate(part, lang, _NOTE) for part in text.split("; "))


def not_verified(why: str | None, reason: str, lang: str) -> str:
    """One skipped result as SARIF, JUnit and EARL say it: "non vérifiée (sans objet) : <reason>" (`reason` already
    in `lang`); the why and the reason each only when there is one."""
    from ldt_conform.render.labels import labels, status_word

    said = status_word("skip", lang) + (f" ({phrase(f'why_{why}', lang) or why})" if why else "")
    return said + (f"{labels(lang)['colon']}{reason}" if reason else "")


def reason(text: str, lang: str) -> str:
    """A capability's reason, why a quality metric is not assessed, or a live-API result's reason, in `lang`."""
    if lang == "en" or not text:
        return text
    from ldt_conform.render.i18n_results import result_reason

    return result_reason(text, lang) or _translate(text, lang, _REASON)


def rule_texts_note(report: Any, lang: str) -> str:
    """Said once per report: rule titles and messages without a translation in `lang` are shown in English."""
    if lang == "en":
        return ""
    # Every rule with a finding, listed or not (a streamed run lists only some: Report.counts_by_rule has them all).
    shown = ({f.rule for f in report.findings} | set(report.counts_by_rule())
             | {r.rule for r in report.results if r.status.value in ("fail", "error")})
    missing = [r for r in report.rules if r.id in shown and lang not in r.i18n]
    return (phrase("rule_texts_english", lang) or "") if missing else ""


# The tool's own findings (LC-…, tool_rules.toml): the checks write their messages in English from a few fixed
# sentences; each is matched here by its English pattern (named groups) and rebuilt from [lang.tool_messages] in
# i18n.toml. The dynamic parts are kept as they are: IRIs, paths and hosts are data, and what a parser, an HTTP
# client or a crashed check said (LC-001's error text, LC-002's exception, LC-006's parser message, the SHACL
# message after LC-003) comes from libraries in English and cannot be translated. A {reason} group is itself
# matched against _TOOL_PARTS (the paging reasons, the OGC offline notes) and kept as is when none matches.
def _t(key: str, pattern: str) -> tuple[str, re.Pattern[str]]:
    return (key, re.compile(f"^{pattern}$", re.DOTALL))


_TOOL: list[tuple[str, re.Pattern[str]]] = [
    _t("api_unreachable", r"The API could not be reached or identified: (?P<value>.+)"),
    _t("keep_alive", re.escape(
        "The server did not answer a request sent on a reused keep-alive connection, and answered it on a fresh "
        "connection: ldt-conform opened a fresh connection per request to this host from then on, and the hang cost "
        "one --timeout. Fix the server's keep-alive handling (a development server such as Flask's hangs like this) "
        "or put a production HTTP server in front of it.")),
    _t("payload_unreadable", r"The payload source could not be read: (?P<value>.+)"),
    _t("page_unreadable", r"the next page (?P<target>\S+) linked from (?P<page>\S+) could not be read: (?P<reason>.+)"),
    _t("page_refused", r"the next page (?P<target>\S+) linked from (?P<page>\S+) was not followed: (?P<reason>.+)"),
    _t("page_loop", r"the page chain loops: (?P<page>\S+) links to (?P<target>\S+), already read: (?P<reason>.+)"),
    _t("pages_unread", r"pages left unread: the chain continues at (?P<target>\S+) \(linked from (?P<page>\S+)\): "
                       r"(?P<reason>.+)"),
    _t("test_crashed", r"The test of (?P<rule>\S+) crashed: (?P<value>.+)\. Please report it; run with --debug for "
                       r"details\."),
    _t("shard_crashed", r"a SHACL shard could not be evaluated: (?P<value>.+)"),
    _t("check_crashed", r"a check crashed while evaluating this target: (?P<value>.+)"),
    _t("unmapped", r"shape (?P<shape>\S+) \((?P<component>[^()]*)\) reported a problem that no rule owns"),
    _t("unmapped_said", r"shape (?P<shape>\S+) \((?P<component>[^()]*)\) reported a problem that no rule owns: "
                        r"(?P<value>.+)"),
    _t("offline_schema", r"Not verifiable offline: the (?P<label>.+?) schema needs (?P<url>\S+), which is not in the "
                         r"artefact store; run once with network access, or seed the store with --seed DIR / "
                         r"LDT_CONFORM_SEED"),
    _t("offline", r"Not verifiable offline: (?P<value>\S+) \((?P<reason>.+)\)"),
    _t("lenient_skipped", r"not read \(--lenient skipped it\): (?P<value>.+)"),
]
_TOOL_PARTS: list[tuple[str, re.Pattern[str]]] = [
    _t("chain_ends", r"the chain ends here"),
    _t("redirects", r"it redirects to (?P<target>\S+)"),
    _t("pages_read", r"(?P<n>\d+) pages? read \(--max-pages (?P<max>\d+)\); raise --max-pages to read on"),
    _t("not_http", r"not an http\(s\) URL; the catalogue was read from (?P<spec>.+)"),
    _t("other_host", r"it is on another host \((?P<host>[^()]+)\) than the catalogue (?P<spec>\S+) "
                     r"\((?P<own>[^()]+)\); pages are read from the catalogue's host only"),
    _t("outside_folder", r"it is outside the folder of (?P<spec>.+) \((?P<folder>[^()]+)\); only files beside the "
                         r"first page are read"),
    _t("resolves_outside", r"(?P<candidate>.+) resolves outside the folder of (?P<spec>.+) \((?P<folder>[^()]+)\)"),
    _t("ogc_schema", r"the OGC schema (?P<name>\S+)"),
    _t("parameter_defined", r"the (?P<name>\S+) parameter is defined in this document"),
    _t("pin_or_seed", re.escape("not verifiable offline: pin this file in the profile's [artefacts] or seed the "
                                "artefact store")),
]


def _tool_text(text: str, lang: str, table: list[tuple[str, re.Pattern[str]]]) -> str | None:
    for key, pattern in table:
        m = pattern.match(text)
        if m:
            values = m.groupdict()
            if values.get("reason"):
                values["reason"] = _tool_text(values["reason"], lang, _TOOL_PARTS) or values["reason"]
            return phrase(key, lang, "tool_messages", **values)
    return None


def tool_message(text: str, lang: str) -> str:
    """A tool finding's message (LC-…) in `lang`; a message that matches no known sentence is shown as written."""
    if lang == "en" or not text:
        return text
    return _tool_text(text, lang, _TOOL) or text


def finding_message(finding: Any, lang: str) -> str:
    """What a finding says, in `lang`: the tool's own messages are translated here; a profile rule's message was
    written in the run's language by the check (from the rule's i18n texts) and is shown as it is."""
    from ldt_conform import tool_ids

    return tool_message(finding.message, lang) if tool_ids.is_tool_rule(finding.rule) else finding.message

