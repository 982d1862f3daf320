"""The `earl` format: W3C EARL 1.0 in Turtle, laid out like OGC TEAM Engine's test-run reports."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from ldt_conform import tool_ids
from ldt_conform.model import Finding, Report, Severity, Status, Why
from ldt_conform.render import i18n, turtle
from ldt_conform.render.common import (RULE_NS, TOOL_IRI, capability_rows, clause, duration_seconds, mim_rows,
                                       provenance, rule_map, scope_text, target_iri, unlisted_text)
from ldt_conform.render.labels import labels
from ldt_conform.render.numbers import count

OUTCOME = {Status.PASS: "earl:passed", Status.FAIL: "earl:failed", Status.ERROR: "earl:cantTell",
           Status.SKIP: "earl:inapplicable"}
# Not verified, by its reason: only a rule that does not apply is inapplicable.
SKIP_OUTCOME = {Why.PREREQUISITE_FAILED: "earl:cantTell", Why.ARTEFACT_UNAVAILABLE: "earl:cantTell",
                Why.NOT_APPLICABLE: "earl:inapplicable", Why.NOT_SELECTED: "earl:untested"}
PREFIXES = """@prefix earl: <http://www.w3.org/ns/earl#> .
@prefix cite: <http://cite.opengeospatial.org/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix doap: <http://usefulinc.com/ns/doap#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ldtc: <https://w3id.org/ldt-conform/ns#> .
"""
MAX_FINDINGS_PER_ASSERTION = 1000  # the rest are counted; the JSON report keeps every finding
_DT = "http://www.w3.org/2001/XMLSchema#dateTime"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"


def render(report: Report, lang: str = "en", **_: Any) -> str:
    words = labels(lang)
    rules = rule_map(report)
    prov = provenance(report)
    run = "<urn:ldt-conform:run>"
    assertor = f"<{TOOL_IRI}>"
    lit = turtle.literal
    # Tool findings (LC-…) have no result row: they become failed assertions of their own so nothing is hidden.
    results = [(r.rule, r.target, r.status, r.reason) for r in report.results]
    covered = {(r.rule, r.target) for r in report.results}
    findings: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    whys = {(r.rule, r.target): r.why for r in report.results if r.why is not None}
    for item in report.findings:
        findings[(item.rule, item.target)].append(item)
    # Severity counts of every finding, listed or not: a streamed run (check --findings FILE) lists only some, and an
    # assertion must count them all, and exist even when none of its findings is listed.
    totals = report.counts_by_rule_and_target()
    for rule_id, target in dict.fromkeys([*findings, *totals]):
        if (rule_id, target) not in covered:
            items = findings.get((rule_id, target), [])
            # An info note (e.g. LC-004: an artefact not in the store) is never a failure: the outcome is cantTell.
            if all(sev == Severity.INFO.value for sev, n in totals.get((rule_id, target), {}).items() if n):
                offline = rule_id == tool_ids.OFFLINE
                whys[(rule_id, target)] = Why.ARTEFACT_UNAVAILABLE if offline else Why.NOT_APPLICABLE
                results.append((rule_id, target, Status.SKIP, i18n.finding_message(items[0], lang) if items else None))
            else:
                results.append((rule_id, target, Status.FAIL, None))
    counts = {s: sum(1 for r in results if r[2] is s) for s in Status}
    out = [PREFIXES]

    # The test run, as TEAM Engine writes it: identity, timing, totals, inputs and conformance classes.
    run_lines = [
        f"{run} a cite:TestRun ;",
        f"  dct:title {lit(words['report_title'] + ': ' + report.profile.title, lang=lang)} ;",
        f"  dct:identifier {lit(report.profile.id)} ;",
        f"  dct:created {lit(report.started_at, datatype=_DT)} ;",
        f"  prov:startedAtTime {lit(report.started_at, datatype=_DT)} ;",
        f"  prov:endedAtTime {lit(report.finished_at, datatype=_DT)} ;",
        f"  dct:extent {lit(f'PT{duration_seconds(report.started_at, report.finished_at):g}S')} ;",
        f"  cite:areCoreConformanceClassesPassed {lit('true' if report.conforms else 'false')} ;",
        f"  cite:testsPassed {counts[Status.PASS]} ;",
        f"  cite:testsFailed {counts[Status.FAIL] + counts[Status.ERROR]} ;",
        f"  cite:testsSkipped {counts[Status.SKIP]} ;",
        f"  ldtc:failOn {lit(report.fail_on.value)} ;",
        f"  ldtc:profileVersion {lit(report.profile.version)} ;",
        f"  ldtc:profileSha256 {lit(report.profile.sha256)} ;",
    ]
    run_lines += [f"  ldtc:overriddenRule {lit(r)} ;" for r in prov["profile"]["overridden"]]
    run_lines += [f"  ldtc:engine {lit(e)} ;" for e in prov["engines"]]
    run_lines += [f"  ldtc:warning {lit(w)} ;" for w in prov["warnings"]]
    run_lines += [f"  ldtc:mimLevel [ ldtc:mim {lit(m['key'])} ; dct:title {lit(m['label'] + ' ' + m['title'])} ;"
                  f" ldtc:level {lit(m['level'])} ] ;" for m in mim_rows(report)]
    run_lines += [f"  ldtc:capability [ ldtc:mim {lit(row['key'])} ; dct:identifier {lit(cap['id'])} ;"
                  f" ldtc:state {lit(cap['state'])} ;"
                  f" dct:description {lit(i18n.reason(cap['reason'], lang))} ] ;"
                  for row in capability_rows(report) for cap in row["capabilities"]]
    scope = scope_text(report, words, lang)
    if scope:
        run_lines.append(f"  ldtc:scope {lit(scope)} ;")
    unlisted = unlisted_text(report, lang)
    if unlisted:  # a streamed run: the assertions below carry only the listed findings; the file holds them all
        run_lines += [f"  <{RDFS_COMMENT}> {lit(unlisted, lang=lang)} ;",
                      f"  ldtc:findingsTotal {report.findings_total} ;",
                      f"  ldtc:findingsListed {len(report.findings)} ;",
                      f"  ldtc:findingsFile {lit(str(report.streamed.get('file', '')))} ;"]
    profile = f"{report.profile.id} {report.profile.version} sha256:{report.profile.sha256}"
    inputs = [f"[ dct:title {lit('profile')} ; dct:description {lit(profile)} ]"]
    for t in prov["inputs"]:
        detail = ", ".join(f"{k} {t[k]}" for k in ("kind", "sha256", "size", "triples", "documents", "probed_at")
                           if t.get(k) is not None)
        inputs.append(f"[ dct:title {lit(t['source'])} ; dct:description {lit(detail)} ]")
    run_lines.append("  cite:inputs [ a rdf:Bag ;\n    " + " ;\n    ".join(
        f"rdf:_{i} {item}" for i, item in enumerate(inputs, start=1)) + " ] ;")
    by_class: dict[str, list[tuple[str, str, Status, str | None]]] = defaultdict(list)
    for row in results:
        rule = rules.get(row[0])
        by_class[rule.profile if rule and rule.profile else "ldt-conform"].append(row)
    classes = []
    for name in sorted(by_class):
        members = by_class[name]
        parts = " , ".join(sorted({f"<{RULE_NS}{i[0]}>" for i in members}))
        classes.append(
            f"[ a earl:TestRequirement ; dct:title {lit(name)} ;\n"
            f"      cite:testsPassed {sum(1 for i in members if i[2] is Status.PASS)} ;"
            f" cite:testsFailed {sum(1 for i in members if i[2] in (Status.FAIL, Status.ERROR))} ;"
            f" cite:testsSkipped {sum(1 for i in members if i[2] is Status.SKIP)} ;\n"
            f"      dct:hasPart {parts} ]")
    run_lines.append("  cite:requirements [ a rdf:Seq ;\n    " + " ;\n    ".join(
        f"rdf:_{i} {c}" for i, c in enumerate(classes, start=1)) + " ] .")
    out.append("\n".join(run_lines) + "\n")

    out.append(f"{assertor} a earl:Assertor , earl:Software , doap:Project ;\n"
               f"  doap:name {lit('ldt-conform')} ;\n  dct:title {lit('ldt-conform')} ;\n"
               f"  doap:release [ doap:revision {lit(report.tool_version)} ] ;\n"
               f"  dct:description {lit('Conformance checker for Local Digital Twins (LDT4SSC blueprint)')} .\n")
    for t in report.targets:
        line = (f"{turtle.iri(target_iri(t.source))} a earl:TestSubject ;\n  dct:title {lit(t.source)} ;\n"
                f"  ldtc:kind {lit(t.kind)}")
        for key, value in (("sha256", t.sha256), ("size", t.size), ("triples", t.triples),
                           ("documents", t.documents), ("format", t.format)):
            if value is not None:
                line += f" ;\n  ldtc:{key} {value if isinstance(value, int) else lit(str(value))}"
        if t.probed_at:
            line += f" ;\n  ldtc:probedAt {lit(t.probed_at, datatype=_DT)}"
        out.append(line + " .\n")
    for rule_id in sorted({r[0] for r in results}):
        rule = rules.get(rule_id)
        if rule is None:
            out.append(f"<{RULE_NS}{rule_id}> a earl:TestCase ; dct:title {lit(rule_id)} .\n")
            continue
        clause_id, url = clause(rule)
        line = (f"<{RULE_NS}{rule_id}> a earl:TestCase ;\n  dct:identifier {lit(rule.id)} ;\n"
                f"  dct:title {lit(rule.text('title', lang), lang=lang)} ;\n  ldtc:name {lit(rule.name)} ;\n"
                f"  ldtc:severity {lit(rule.severity.value)}")
        if rule.text("description", lang):
            line += f" ;\n  dct:description {lit(rule.text('description', lang), lang=lang)}"
        if clause_id:
            line += f" ;\n  ldtc:clause {lit(clause_id)}"
        if url:
            line += f" ;\n  dct:source {turtle.iri(url)}"
        line += "".join(f" ;\n  ldtc:mim {lit(m)}" for m in rule.mims)
        out.append(line + " .\n")
    for index, (rule_id, target, status, reason) in enumerate(sorted(results, key=lambda r: (r[1], r[0])), 1):
        items = findings.get((rule_id, target), [])
        total = sum(totals.get((rule_id, target), {}).values())
        subject = turtle.iri(target_iri(target))
        description = i18n.reason(reason, lang) if reason else (count("finding", total, lang) if total else
                                                                  status.value)
        why = whys.get((rule_id, target))
        if status is Status.SKIP and why is not None:
            description = i18n.not_verified(why.value, description, lang)
        outcome = SKIP_OUTCOME[why] if status is Status.SKIP and why is not None else OUTCOME[status]
        result = ["a earl:TestResult", f"earl:outcome {outcome}",
                  f"dct:description {lit(description)}", f"dct:date {lit(report.finished_at, datatype=_DT)}"]
        for finding in items[:MAX_FINDINGS_PER_ASSERTION]:
            pointer = [f"ldtc:focus {turtle.node(finding.focus)}", f"ldtc:severity {lit(finding.severity.value)}",
                       f"earl:info {lit(finding.message, lang=lang)}"]
            if finding.path:
                pointer.append(f"ldtc:path {lit(finding.path)}")
            if finding.value is not None:
                pointer.append(f"ldtc:value {lit(finding.value)}")
            if finding.baseline:
                pointer.append(f"ldtc:baseline {lit(finding.baseline)}")
            result.append("ldtc:finding [ " + " ; ".join(pointer) + " ]")
        if total > min(len(items), MAX_FINDINGS_PER_ASSERTION):
            result.append(f"ldtc:findingsNotListed {total - min(len(items), MAX_FINDINGS_PER_ASSERTION)}")
        out.append(f"<urn:ldt-conform:assertion:{index}> a earl:Assertion ;\n"
                   f"  earl:assertedBy {assertor} ;\n  earl:subject {subject} ;\n"
                   f"  earl:test <{RULE_NS}{rule_id}> ;\n  earl:mode earl:automatic ;\n"
                   f"  earl:result [ " + " ;\n    ".join(result) + " ] .\n")
    return "\n".join(out)

