"""The `junit` format: one testsuite per target, one testcase per rule × target, readable by GitLab and Jenkins."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import Any

from ldt_conform.model import Finding, Report, Status
from ldt_conform.render.common import (NO_TARGET, capability_rows, clause, duration_seconds, mim_rows,
                                       options_rows, provenance, rule_map, scope_text, targets, unlisted_failing,
                                       unlisted_text)
from ldt_conform.render import i18n
from ldt_conform.render.labels import labels

MAX_FINDINGS_IN_BODY = 200  # per testcase; CI pages choke on megabyte-long failure texts
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", text)


def render(report: Report, lang: str = "en", **_: Any) -> str:
    """A failure is a finding at or above --fail-on (not already in a baseline), so CI agrees with the exit code;
    lesser findings and known ones are listed in the testcase's system-out."""
    words = labels(lang)
    rules = rule_map(report)
    prov = provenance(report)
    duration = duration_seconds(report.started_at, report.finished_at)
    findings: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in report.findings:
        findings[(finding.rule, finding.target)].append(finding)
    rows: dict[str, list[tuple[str, Status, str | None]]] = defaultdict(list)
    covered = set()
    whys = {(r.rule, r.target): r.why.value for r in report.results if r.why is not None}
    for result in report.results:
        rows[result.target].append((result.rule, result.status, result.reason))
        covered.add((result.rule, result.target))
    for rule_id, target in findings:
        if (rule_id, target) not in covered:  # tool findings (LC-…) have no result row of their own
            rows[target].append((rule_id, Status.FAIL, None))
    # Attributes stay within Jenkins' JUnit XSD (no `skipped` on testsuites, no `file` on testcase).
    root = ET.Element("testsuites", name=f"ldt-conform {report.profile.id} {report.profile.version}",
                      time=f"{duration:.3f}")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    order = targets(report) + ([NO_TARGET] if NO_TARGET in rows else [])
    unlisted = unlisted_text(report, lang)
    # A streamed run (Report.streamed) lists only some findings: a failed rule × target none of whose findings is
    # listed fails when that rule has unlisted findings failing the run on that input (counted per input).
    failing_rules = unlisted_failing(report) if unlisted else {}
    for suite_index, target in enumerate(t for t in order if t in rows):
        suite = ET.SubElement(root, "testsuite", name=target or f"({words['none']})", id=str(suite_index),
                              package=report.profile.id, hostname="ldt-conform",
                              timestamp=report.started_at.rstrip("Z"), time=f"{duration:.3f}")
        _properties(suite, prov, target, mim_rows(report), report, words, lang)
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for rule_id, status, reason in sorted(rows[target]):
            rule = rules.get(rule_id)
            items = findings.get((rule_id, target), [])
            title = rule.text("title", lang) if rule else rule_id
            case = ET.SubElement(suite, "testcase", name=_clean(f"{rule_id} {rule.name if rule else ''}: {title}"),
                                 classname=f"{(rule.profile if rule and rule.profile else 'ldt-conform')}.{rule_id}"
                                 .replace(" ", "_"), time="0")
            counts["tests"] += 1
            failing = [f for f in items if f.severity.at_least(report.fail_on) and f.baseline != "known"]
            if status is Status.ERROR:
                counts["errors"] += 1
                error = ET.SubElement(case, "error", message=_clean(i18n.reason(reason or "", lang)
                                                                   or "the check could not be evaluated"),
                                      type="check-error")
                error.text = _clean(_body(items, rule, lang, words)) if items else None
            elif status is Status.SKIP:
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message=_clean(i18n.not_verified(
                    whys.get((rule_id, target)), i18n.reason(reason or "", lang), lang)))
            elif not items and status is Status.FAIL and (rule_id, target) in failing_rules:
                counts["failures"] += 1
                # none of its findings is listed: the failure names the file that holds them (the suite says why)
                ET.SubElement(case, "failure", type=failing_rules[(rule_id, target)], message=_clean(
                    f"{words['findings_of_rule']}{words['colon']}{report.streamed.get('file', '')}"))
            elif failing:
                counts["failures"] += 1
                worst = max(f.severity.rank for f in failing)
                failure = ET.SubElement(case, "failure", type=next(f.severity.value for f in failing
                                                                  if f.severity.rank == worst),
                                        message=_clean(f"{len(failing)} {words['findings_of_rule']}: "
                                                       f"{failing[0].message}"))
                failure.text = _clean(_body(items, rule, lang, words))
            # A pass that says what it did not test keeps its note: JUnit has no state between passed and skipped.
            limits = (f"{words['limited_pass']}{words['colon']}{i18n.reason(reason, lang)}"
                      if status is Status.PASS and reason else "")
            if (items or limits) and not failing and status is not Status.ERROR:
                out = ET.SubElement(case, "system-out")
                out.text = _clean("\n".join(p for p in (limits, _body(items, rule, lang, words) if items else "")
                                             if p))
        if unlisted and suite_index == 0:  # said once, on the first suite
            ET.SubElement(suite, "system-out").text = _clean(unlisted)
        for key, value in counts.items():
            suite.set(key, str(value))
            if key in totals:
                totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _properties(suite: ET.Element, prov: dict[str, Any], target: str, mims: list[dict[str, Any]], report: Report,
                words: Any, lang: str = "en") -> None:
    props = ET.SubElement(suite, "properties")
    pairs = [("tool", f"ldt-conform {prov['tool']['version']}"), ("profile.id", prov["profile"]["id"]),
             ("profile.version", prov["profile"]["version"]), ("profile.sha256", prov["profile"]["sha256"]),
             ("profile.overridden", ",".join(prov["profile"]["overridden"])), ("started_at", prov["started_at"]),
             ("finished_at", prov["finished_at"]), ("engines", ",".join(prov["engines"])),
             ("fail_on", prov["fail_on"])]
    pairs += [(f"warning.{i}", w) for i, w in enumerate(prov["warnings"], start=1)]
    if report.findings_unlisted > 0:  # a streamed run: the file that holds every finding
        pairs += [("findings.total", str(report.findings_total)), ("findings.listed", str(len(report.findings))),
                  ("findings.file", str(report.streamed.get("file", "")))]
    scope = scope_text(report, words, lang)
    if scope:
        pairs.append(("scope", scope))
    pairs += [(f"option.{k}", v) for k, v in options_rows(report)]
    pairs += [(f"mim.{m['label']}", f"{m['level']} ({m['key']})") for m in mims]
    pairs += [(f"mim.{row['label']}.{cap['id']}", cap["state"] + (f": {cap['reason']}" if cap["state"] != "holds"
                                                                   else ""))
              for row in capability_rows(report) for cap in row["capabilities"]]
    for item in prov["inputs"]:
        if item["source"] == target:
            pairs += [(f"input.{k}", str(item[k])) for k in ("source", "kind", "sha256", "size", "triples",
                                                             "documents", "format", "probed_at")
                      if item.get(k) is not None]
    for name, value in pairs:
        ET.SubElement(props, "property", name=name, value=_clean(value))


def _body(items: list[Finding], rule: Any, lang: str, words: Any) -> str:
    lines = []
    for finding in items[:MAX_FINDINGS_IN_BODY]:
        where = finding.focus + (f"  {finding.path}" if finding.path else "") + (
            f"  = {finding.value}" if finding.value is not None else "")
        mark = f" [{finding.baseline}]" if finding.baseline else ""
        lines.append(f"{finding.severity.value}{mark}: {where}\n    {finding.message}")
    if len(items) > MAX_FINDINGS_IN_BODY:
        from ldt_conform.render.numbers import count

        lines.append(f"… {count('left_out_findings', len(items) - MAX_FINDINGS_IN_BODY, lang)}")
    clause_id, url = clause(rule)
    if clause_id:
        lines.append(f"{words['clause']}: {clause_id}" + (f" <{url}>" if url else ""))
    return "\n".join(lines)

