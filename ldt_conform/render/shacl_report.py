"""The `shacl` format: one sh:ValidationReport per target in Turtle, shaped like the EU test bed's SHACL validator."""
from __future__ import annotations

from typing import Any

from ldt_conform.model import Report, Severity, Status
from ldt_conform.render import turtle
from ldt_conform.render.common import RULE_NS, provenance, target_iri, targets, unlisted_failing, unlisted_text

SEVERITY = {Severity.ERROR: "sh:Violation", Severity.WARNING: "sh:Warning", Severity.INFO: "sh:Info"}
PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ldtc: <https://w3id.org/ldt-conform/ns#> .
"""


def render(report: Report, lang: str = "en", **_: Any) -> str:
    """Each finding is an sh:ValidationResult; sh:conforms is false when the target has any finding (any severity).

    That is SHACL's own meaning of sh:conforms; the tool's --fail-on verdict is kept beside it as ldtc:conforms.
    """
    rules = {r.id: r for r in report.rules}
    prov = provenance(report)
    out = [PREFIXES]
    by_target: dict[str, list[Any]] = {t: [] for t in targets(report)}
    for finding in report.findings:
        by_target.setdefault(finding.target, []).append(finding)
    info = {t.source: t for t in report.targets}
    unlisted = unlisted_text(report, lang)
    # A streamed run lists only some findings (Report.streamed): a target with a failed rule has findings even when
    # none is listed, and it misses --fail-on when that rule has unlisted findings failing the run on that input.
    failed: dict[str, set[str]] = {}
    failing_rules = unlisted_failing(report) if unlisted else {}
    if unlisted:
        out[0] += f"\n# {_one_line(unlisted)}\n"
        for result in report.results:
            if result.status is Status.FAIL:
                failed.setdefault(result.target, set()).add(result.rule)
    for index, (source, findings) in enumerate(by_target.items(), start=1):
        subject = f"<urn:ldt-conform:report:{index}>"
        target = info.get(source)
        fail_on_hit = any(f.severity.at_least(report.fail_on) and f.baseline != "known" for f in findings)
        listed_rules = {f.rule for f in findings}
        fail_on_hit = fail_on_hit or any((r, source) in failing_rules for r in failed.get(source, set()) - listed_rules)
        lines = [f"{subject} a sh:ValidationReport ;",
                 f"  sh:conforms {'false' if findings or failed.get(source) else 'true'} ;",
                 f"  ldtc:conforms {'false' if fail_on_hit else 'true'} ;",
                 f"  ldtc:failOn {turtle.literal(report.fail_on.value)} ;",
                 f"  dct:source {turtle.iri(target_iri(source))} ;",
                 f"  ldtc:sourceLabel {turtle.literal(source)} ;"]
        if target is not None and target.sha256:
            lines.append(f"  ldtc:sha256 {turtle.literal(target.sha256)} ;")
        if target is not None and target.size is not None:
            lines.append(f"  ldtc:size {target.size} ;")
        if target is not None and target.triples is not None:
            lines.append(f"  ldtc:triples {target.triples} ;")
        if target is not None and target.probed_at:
            lines.append(f"  ldtc:probedAt {turtle.literal(target.probed_at, datatype=_XSD_DT)} ;")
        lines += [f"  dct:created {turtle.literal(report.finished_at, datatype=_XSD_DT)} ;",
                  f"  prov:startedAtTime {turtle.literal(report.started_at, datatype=_XSD_DT)} ;",
                  f"  prov:endedAtTime {turtle.literal(report.finished_at, datatype=_XSD_DT)} ;",
                  f"  prov:wasAssociatedWith {turtle.literal('ldt-conform ' + report.tool_version)} ;",
                  f"  ldtc:profile {turtle.literal(prov['profile']['id'])} ;",
                  f"  ldtc:profileVersion {turtle.literal(prov['profile']['version'])} ;",
                  f"  ldtc:profileSha256 {turtle.literal(prov['profile']['sha256'])} ;"]
        lines += [f"  ldtc:overriddenRule {turtle.literal(r)} ;" for r in prov["profile"]["overridden"]]
        lines += [f"  ldtc:engine {turtle.literal(e)} ;" for e in prov["engines"]]
        lines += [f"  ldtc:warning {turtle.literal(w)} ;" for w in prov["warnings"]]
        if unlisted:  # the run's findings file holds every finding; the results below are those listed
            lines += [f"  ldtc:findingsTotal {report.findings_total} ;",
                      f"  ldtc:findingsListed {len(report.findings)} ;",
                      f"  ldtc:findingsFile {turtle.literal(str(report.streamed.get('file', '')))} ;"]
        for finding in findings:
            rule = rules.get(finding.rule)
            source = turtle.node(finding.source) if finding.source else turtle.iri(RULE_NS + finding.rule)
            parts = ["a sh:ValidationResult",
                     f"sh:focusNode {turtle.node(finding.focus)}",
                     f"sh:resultSeverity {SEVERITY[finding.severity]}",
                     f"sh:sourceShape {source}",
                     f"sh:resultMessage {turtle.literal(finding.message, lang=lang)}"]
            if finding.path:
                parts.append(f"sh:resultPath {turtle.path(finding.path)}")
            if finding.value is not None:
                parts.append(f"sh:value {turtle.node(finding.value)}")
            parts.append(f"ldtc:rule {turtle.iri(RULE_NS + finding.rule)}")
            if rule is not None:
                parts.append(f"ldtc:ruleTitle {turtle.literal(rule.text('title', lang), lang=lang)}")
            if finding.baseline:
                parts.append(f"ldtc:baseline {turtle.literal(finding.baseline)}")
            lines.append("  sh:result [ " + " ;\n      ".join(parts) + " ] ;")
        lines[-1] = lines[-1][:-2] + " ."
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)


_XSD_DT = "http://www.w3.org/2001/XMLSchema#dateTime"


def _one_line(text: str) -> str:
    """Text for a Turtle comment: a line break would end the comment and make the rest a statement."""
    return " ".join(text.splitlines())
