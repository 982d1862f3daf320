"""The JSON report: the public `ldt-conform/report@1` contract (schemas/report.schema.json)."""
from __future__ import annotations

import json
from typing import Any

from ldt_conform.model import Report, Rule, TargetInfo
from ldt_conform.render.common import notes
from ldt_conform.render.labels import labels

FORMAT = "ldt-conform/report@1"


def rule_dict(rule: Rule, lang: str = "en") -> dict[str, Any]:
    return {
        "id": rule.id, "name": rule.name, "title": rule.text("title", lang), "severity": rule.severity.value,
        "kind": rule.kind, "profile": rule.profile, "enabled": rule.enabled,
        "refs": [{"id": r.id, **({"url": r.url} if r.url else {})} for r in rule.refs],
        "mims": list(rule.mims), **({"aliases": list(rule.aliases)} if rule.aliases else {}),
    }


def pages(target: TargetInfo) -> list[dict[str, Any]]:
    """The pages of a paged catalogue, in the order read ([] for any other input)."""
    return [{k: v for k, v in {"source": p.source, "sha256": p.sha256, "size": p.size, "triples": p.triples,
                               "format": p.format}.items() if v is not None} for p in target.pages]


def to_dict(report: Report, lang: str = "en") -> dict[str, Any]:
    counts = report.counts_by_severity()
    return {
        "format": FORMAT,
        "tool": {"name": "ldt-conform", "version": report.tool_version},
        "started_at": report.started_at,
        "finished_at": report.finished_at,
        "profile": {
            "id": report.profile.id, "version": report.profile.version, "title": report.profile.title,
            "sha256": report.profile.sha256, "overridden": list(report.profile.overridden),
            "chain": list(report.profile.chain),
            "vocabularies": {k: dict(v) for k, v in sorted(report.profile.vocabularies.items())},
        },
        "engines": list(report.engines),
        "options": dict(report.options),
        "targets": [{k: v for k, v in {
            "source": t.source, "kind": t.kind, "sha256": t.sha256, "size": t.size, "triples": t.triples,
            "documents": t.documents, "format": t.format, "probed_at": t.probed_at,
            "pages": pages(t) or None}.items() if v is not None}
            for t in report.targets],
        "rules": [rule_dict(r, lang) for r in report.rules],
        "results": [{k: v for k, v in {"rule": r.rule, "target": r.target, "status": r.status.value,
                                       "why": r.why.value if r.why else None, "reason": r.reason,
                                       "engine": r.engine}.items() if v is not None}
                    for r in report.results],
        "findings": [{k: v for k, v in {
            "rule": f.rule, "severity": f.severity.value, "target": f.target, "focus": f.focus, "path": f.path,
            "value": f.value, "message": f.message, "source": f.source, "engine": f.engine,
            "baseline": f.baseline, "same_value_as": list(f.same_value_as) or None}.items()
            if v is not None} for f in report.findings],
        **({"notes": notes(report, labels(lang))} if notes(report, labels(lang)) else {}),
        **({"mims": [dict(m) for m in report.mims]} if report.mims else {}),
        **({"baseline": dict(report.baseline)} if report.baseline else {}),
        **({"warnings": list(report.warnings)} if report.warnings else {}),
        **({"quality": dict(report.quality)} if report.quality else {}),
        "summary": {
            "conforms": report.conforms,
            "fail_on": report.fail_on.value,
            "findings": counts,
            "results": report.counts_by_status(),
            "targets": len(report.targets),
            "rules": len([r for r in report.rules if r.enabled]),
            **_scope(report, lang),
        },
    }


def _scope(report: Report, lang: str) -> dict[str, Any]:
    """The run's scope in words and numbers ("1 of 118 rules selected"), when the run recorded it."""
    from ldt_conform.render.common import scope, scope_text
    from ldt_conform.render.labels import labels

    text = scope_text(report, labels(lang), lang)
    if not text:
        return {}
    sc = scope(report)
    return {"rules_selected": sc["selected"], "rules_total": sc["total"], "narrowed": sc["narrowed"], "scope": text}


def render(report: Report, lang: str = "en", **_: Any) -> str:
    return json.dumps(to_dict(report, lang), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
