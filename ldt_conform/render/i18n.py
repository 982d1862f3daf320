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


def phrase(key: str, lang: str, **values: Any) -> str | None:
    template = _section(lang, "phrases").get(key)
    return template.format(**values) if template is not None else None


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
    _p(r"(\d+)/(\d+) capabilities hold", "capabilities_hold", n=1, total=2),
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
    (re.compile(r"^(\d+) rules? verified$"),
     lambda m, lang: phrase("rules_verified_one" if m[1] == "1" else "rules_verified_other", lang, n=m[1])),
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
    return "; ".join(_translate(part, lang, _NOTE) for part in text.split("; "))


def reason(text: str, lang: str) -> str:
    """A capability's reason, or why a quality metric is not assessed, in `lang`."""
    if lang == "en" or not text:
        return text
    return _translate(text, lang, _REASON)


def rule_texts_note(report: Any, lang: str) -> str:
    """Said once per report: rule titles and messages without a translation in `lang` are shown in English."""
    if lang == "en":
        return ""
    shown = {f.rule for f in report.findings} | {r.rule for r in report.results if r.status.value in ("fail", "error")}
    missing = [r for r in report.rules if r.id in shown and lang not in r.i18n]
    return (phrase("rule_texts_english", lang) or "") if missing else ""
