"""The `sarif` format: SARIF 2.1.0 with the whole rule table, ready for GitHub code scanning as it is."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ldt_conform.baseline import finding_fingerprint
from ldt_conform.model import Finding, Report, Result, Rule, Severity, Status, Why
from ldt_conform.render import i18n
from ldt_conform.render.common import (TOOL_HOME, artifact_uri, capability_rows, clause, help_uri, mim_rows,
                                       provenance, scope_text)
from ldt_conform.render.common import same_value_text
from ldt_conform.render.labels import labels, status_word
from ldt_conform.render.numbers import count, number

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# GitHub rejects a run with more than 25,000 results (and displays the first 5,000 by severity).
MAX_RESULTS = 25_000
MAX_TAGS = 10  # GitHub keeps 10 tags per rule (and rejects more than 20)
FINGERPRINT_KEY = "ldtConformFinding/v1"
SRCROOT = "%SRCROOT%"
BASELINE_STATE = {"new": "new", "known": "unchanged"}
# Rule results that are not findings, as notifications tied to their rule (SARIF 2.1.0 §3.58.7 associatedRule): a
# check that could not run, a rule not verified, a pass that says what it did not test. Without them a SARIF reader
# sees only alerts, and a run whose checks failed to run looks clean. Errors first, then rules not verified, then
# rules that do not apply, then passes with limits; past MAX_NOTIFICATIONS one more notification says how many are
# left out.
MAX_NOTIFICATIONS = 5_000


_LEVELS = ("error", "warning", "note")


def _notify_level(result: Result) -> str:
    if result.status is Status.ERROR:
        return "error"
    # A rule that does not apply is not a gap (levels.py does not count it); any other rule not verified is.
    return "warning" if result.status is Status.SKIP and result.why is not Why.NOT_APPLICABLE else "note"


def render(report: Report, lang: str = "en", max_results: int = MAX_RESULTS, **_: Any) -> str:
    return json.dumps(to_sarif(report, lang, max_results), indent=1, ensure_ascii=False) + "\n"


def to_sarif(report: Report, lang: str = "en", max_results: int = MAX_RESULTS,
             max_notifications: int = MAX_NOTIFICATIONS) -> dict[str, Any]:
    words = labels(lang)
    rules = list(report.rules)
    index = {r.id: i for i, r in enumerate(rules)}
    prov = provenance(report)
    artifacts = [_artifact(t) for t in prov["inputs"]]
    artifact_index = {t["source"]: i for i, t in enumerate(prov["inputs"])}
    kept = _kept(report.findings, max_results)
    # GitHub wants a region on every location; a focus found in the checked file gives its line, else line 1.
    from ldt_conform.render.lines import index_for

    indexes = {t["source"]: index_for(t["source"], t.get("sha256")) for t in prov["inputs"] if t["kind"] != "api"}
    seen: dict[str, int] = {}
    results = []
    for finding in report.findings:
        digest = finding_fingerprint(finding)
        seen[digest] = seen.get(digest, 0) + 1
        if id(finding) in kept:
            lines = indexes.get(finding.target)
            line = (lines.line(finding.focus) if lines else None) or 1
            results.append(_result(finding, index, artifact_index, f"{digest}:{seen[digest]}", line,
                                   same_value_text(finding, words)))
    notifications: list[dict[str, Any]] = [{"level": "warning", "message": {"text": w}} for w in prov["warnings"]]
    # Not in `results`: findings over GitHub's limit, and those a streamed run did not list (Report.streamed).
    omitted = report.findings_total - len(results)
    streamed: dict[str, Any] = {}
    if report.findings_unlisted > 0:
        text = count("unlisted", report.findings_total, lang, grouped=True,
                     listed=number(len(results), lang, grouped=True), file=str(report.streamed.get("file", "")))
        if len(results) < len(report.findings):
            text += f" GitHub code scanning rejects runs with more than {max_results} results."
        notifications.append({"level": "warning", "message": {"text": text}})
        streamed = {"findingsTotal": report.findings_total, "findingsFile": str(report.streamed.get("file", "")),
                    "findingsFileFormat": str(report.streamed.get("format", ""))}
    elif omitted:
        notifications.append({"level": "warning", "message": {
            "text": f"{omitted} of {len(report.findings)} findings are not listed: GitHub code scanning rejects runs "
                    f"with more than {max_results} results. The JSON report lists every finding."}})
    notifications += _result_notifications(report, index, artifact_index, words, lang, max_notifications)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "ldt-conform", "version": report.tool_version, "semanticVersion": report.tool_version,
                "informationUri": TOOL_HOME, "language": lang,
                "rules": [_rule(r, lang, words) for r in rules],
            }},
            "automationDetails": {"id": f"ldt-conform/{report.profile.id}/"},
            # Relative artifact URIs are relative to the working directory of the run (the repository root in CI).
            "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().resolve().as_uri().rstrip("/") + "/"}},
            "invocations": [{
                # True even when a check could not run (its notification says so at level error): code scanning
                # refuses to process a run marked unsuccessful, which would drop every alert of the run
                # (github/codeql-action#1316, #1393).
                "executionSuccessful": True,
                "startTimeUtc": report.started_at, "endTimeUtc": report.finished_at,
                "toolExecutionNotifications": notifications,
            }],
            "artifacts": artifacts,
            "results": results,
            "properties": {
                "profile": prov["profile"], "engines": prov["engines"], "failOn": report.fail_on.value,
                "conforms": report.conforms, "inputs": prov["inputs"],
                "summary": {"findings": report.counts_by_severity(), "results": report.counts_by_status(),
                            "omittedFindings": omitted, **streamed},
                **({"mims": mim_rows(report), "capabilities": capability_rows(report)} if report.mims else {}),
                **({"options": dict(report.options), "scope": scope_text(report, words, lang)}
                   if report.options else {}),
                **({"baseline": prov["baseline"]} if "baseline" in prov else {}),
            },
        }],
    }


def _result_notifications(report: Report, index: dict[str, int], artifacts: dict[str, int], words: dict[str, str],
                           lang: str, limit: int) -> list[dict[str, Any]]:
    told = sorted((r for r in report.results if r.status in (Status.ERROR, Status.SKIP)
                   or (r.status is Status.PASS and r.reason)),
                  key=lambda r: (_LEVELS.index(_notify_level(r)), r.status is Status.PASS, r.target, r.rule))
    out = [_result_notification(r, index, artifacts, words, lang) for r in told[:limit]]
    if len(told) > limit:
        out.append({"level": "warning", "message": {"text": words["results_not_listed"].format(
            n=number(len(told) - limit, lang))}})
    return out


def _result_notification(result: Result, index: dict[str, int], artifacts: dict[str, int], words: dict[str, str],
                         lang: str) -> dict[str, Any]:
    colon = words["colon"]
    reason = i18n.reason(result.reason or "", lang)
    if result.status is Status.ERROR:
        state = f"{status_word('error', lang)}{colon}{reason or words['not_evaluated']}"
    elif result.status is Status.SKIP:
        state = i18n.not_verified(result.why.value if result.why else None, reason, lang)
    else:
        state = f"{words['limited_pass']}{colon}{reason}"
    note: dict[str, Any] = {
        "level": _notify_level(result),
        "message": {"text": f"{result.rule} ({result.target or words['none']}){colon}{state}"},
        "associatedRule": {"id": result.rule, **({"index": index[result.rule]} if result.rule in index else {})},
        "properties": {"status": result.status.value, "target": result.target,
                       **({"why": result.why.value} if result.why else {}),
                       **({"reason": result.reason} if result.reason else {})},
    }
    if result.target:
        note["locations"] = [{"physicalLocation": {"artifactLocation": _artifact_location(result.target, artifacts)}}]
    return note


def _kept(findings: tuple[Finding, ...], limit: int) -> set[int]:
    """The findings that fit under the limit, worst severity first (what GitHub would keep anyway)."""
    if len(findings) <= limit:
        return {id(f) for f in findings}
    ranked = sorted(findings, key=lambda f: -f.severity.rank)
    return {id(f) for f in ranked[:limit]}


def _rule(rule: Rule, lang: str, words: Any) -> dict[str, Any]:
    clause_id, url = clause(rule)
    title = rule.text("title", lang)
    fix = rule.text("message", lang)
    description = rule.text("description", lang) or title
    help_text = "\n\n".join(p for p in (description, f"{words['fix']}: {fix}" if fix else "",
                                         f"{words['clause']}: {clause_id}" + (f" <{url}>" if url else "")
                                         if clause_id else "") if p)
    help_md = "\n\n".join(p for p in (description, f"**{words['fix']}:** {fix}" if fix else "",
                                       f"**{words['clause']}:** [{clause_id}]({url})" if clause_id and url else
                                       f"**{words['clause']}:** {clause_id}" if clause_id else "") if p)
    tags = ["ldt-conform", rule.profile or "tool", rule.kind, *rule.mims][:MAX_TAGS]
    return {
        "id": rule.id, "name": rule.name,
        "shortDescription": {"text": title}, "fullDescription": {"text": description},
        "help": {"text": help_text, "markdown": help_md}, "helpUri": help_uri(rule),
        "defaultConfiguration": {"level": LEVEL[rule.severity], "enabled": rule.enabled},
        "properties": {"tags": tags, "precision": "very-high", "problem.severity": LEVEL[rule.severity],
                       "clause": clause_id, "refs": [{"id": r.id, **({"url": r.url} if r.url else {})}
                                                     for r in rule.refs],
                       "mims": list(rule.mims), "profile": rule.profile, "aliases": list(rule.aliases)},
        **({"deprecatedIds": list(rule.aliases)} if rule.aliases and all(a[:1].isupper() for a in rule.aliases)
           else {}),
    }


def _location(source: str) -> dict[str, Any]:
    uri = artifact_uri(source)
    return {"uri": uri} if ":" in uri.split("/", 1)[0] else {"uri": uri, "uriBaseId": SRCROOT}


def _artifact_location(source: str, artifacts: dict[str, int]) -> dict[str, Any]:
    """The location of an input, with its index in the run's artifacts when it is one of them."""
    location = _location(source)
    if source in artifacts:
        location["index"] = artifacts[source]
    return location


def _artifact(target: dict[str, Any]) -> dict[str, Any]:
    artifact: dict[str, Any] = {"location": _location(target["source"])}
    if target.get("size") is not None:
        artifact["length"] = target["size"]
    if target.get("sha256"):
        artifact["hashes"] = {"sha-256": target["sha256"]}
    if target.get("format"):
        artifact["sourceLanguage"] = target["format"]
    artifact["properties"] = {k: target[k] for k in ("kind", "triples", "documents", "probed_at")
                              if target.get(k) is not None}
    return artifact


def _result(finding: Finding, index: dict[str, int], artifacts: dict[str, int], fingerprint: str,
            line: int, also: str = "") -> dict[str, Any]:
    location = _artifact_location(finding.target, artifacts)
    logical = {"fullyQualifiedName": finding.focus, "name": finding.focus, "kind": "resource"}
    region: dict[str, int] = {"startLine": line}
    at = finding.focus[len(finding.target) + 1:].split(":") if finding.focus.startswith(finding.target + ":") else []
    if len(at) == 2 and all(part.isdigit() for part in at):
        # A finding located in the file itself (--lenient's LC-006 at file:line:col): the exact place.
        region = {"startLine": int(at[0]), "startColumn": int(at[1])}
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": LEVEL[finding.severity],
        "message": {"text": finding.message or finding.rule},
        "locations": [{"physicalLocation": {"artifactLocation": location, "region": region},
                       "logicalLocations": [logical]}],
        # Our own key, plus GitHub's: when primaryLocationLineHash is present the upload action does not compute
        # one from line numbers (which RDF findings don't have), so alerts match across runs by content.
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint,
                                "primaryLocationLineHash": fingerprint[:16] + fingerprint[64:]},
        "properties": {k: v for k, v in {"focus": finding.focus, "path": finding.path, "value": finding.value,
                                         "sourceShape": finding.source, "engine": finding.engine,
                                         "target": finding.target}.items() if v is not None},
    }
    if finding.same_value_as:
        # One defect several rules report: the same place, related to this result, saying which rules.
        result["relatedLocations"] = [{"id": 1, **result["locations"][0], "message": {"text": also}}]
        result["properties"]["sameValueAs"] = list(finding.same_value_as)
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    if finding.baseline in BASELINE_STATE:
        result["baselineState"] = BASELINE_STATE[finding.baseline]
    return result
