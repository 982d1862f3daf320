"""What several renderers derive from a Report: rule lookups, the rule × target matrix, grouping, provenance rows."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Mapping

from ldt_conform.model import Finding, Report, Rule, Severity, Status

RULE_NS = "https://w3id.org/ldt-conform/rules/"
TOOL_IRI = "https://w3id.org/ldt-conform"
TOOL_HOME = "https://w3id.org/ldt-conform"
NO_TARGET = ""  # results of rules that had no target of their kind carry an empty target
LEVEL_RANK = {"not-assessed": 0, "initial": 1, "partial": 2, "full": 3}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def is_url(source: str) -> bool:
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", source))


def target_iri(source: str) -> str:
    """An absolute IRI for a target: URLs as they are, files as file: URIs, stdin as a URN."""
    if is_url(source):
        return source
    if source in ("<stdin>", "-", NO_TARGET):
        return "urn:ldt-conform:stdin" if source else "urn:ldt-conform:no-target"
    return Path(source).resolve().as_uri()


def artifact_uri(source: str) -> str:
    """A location for CI tools: a URL, or a relative POSIX path when the file lies under the working directory."""
    if is_url(source):
        return source
    if source in ("<stdin>", "-"):
        return "stdin"
    path = Path(source)
    if path.is_absolute():
        try:
            path = path.resolve().relative_to(Path.cwd().resolve())
        except ValueError:
            return path.resolve().as_uri()
    return path.as_posix()


def is_iri(text: str | None) -> bool:
    return bool(text) and bool(_SCHEME.match(text or "")) and " " not in (text or "") and not text.startswith("_:")  # type: ignore[union-attr]


def rule_map(report: Report) -> dict[str, Rule]:
    return {r.id: r for r in report.rules}


def clause(rule: Rule | None) -> tuple[str, str | None]:
    """The first clause a rule cites, as (id, url)."""
    if rule is None or not rule.refs:
        return ("", None)
    return (rule.refs[0].id, rule.refs[0].url)


def help_uri(rule: Rule) -> str:
    """Where to read about a rule: the clause it cites, else its page in the tool's rule index."""
    _, url = clause(rule)
    return url or RULE_NS + rule.id


def targets(report: Report) -> list[str]:
    """Target sources in report order (a result with no target is not a target)."""
    seen = dict.fromkeys(t.source for t in report.targets)
    for result in report.results:
        if result.target:
            seen.setdefault(result.target, None)
    return list(seen)


def findings_by_rule(report: Report) -> dict[str, list[Finding]]:
    """Findings grouped by rule, worst severity first, then by rule ID.

    Every rule with a finding has a group, listed or not: a rule whose findings are all unlisted (a streamed run,
    Report.streamed) has an empty list, and its severity and count come from rule_totals()."""
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        grouped[finding.rule].append(finding)
    worst = {rid: max(f.severity.rank for f in items) for rid, items in grouped.items()}
    if report.findings_unlisted > 0:
        for rid, by in report.counts_by_rule().items():
            ranks = [Severity(sev).rank for sev, n in by.items() if n]
            if ranks:
                worst[rid] = max(worst.get(rid, 0), *ranks)
                grouped.setdefault(rid, [])
    order = sorted(grouped, key=lambda rid: (-worst[rid], rid))
    return {rid: grouped[rid] for rid in order}


def rule_totals(report: Report) -> dict[str, int]:
    """Findings per rule over all findings, listed or not (Report.counts_by_rule)."""
    return {rid: sum(by.values()) for rid, by in report.counts_by_rule().items()}


def worst_severity(report: Report, rule_id: str, listed: list[Finding]) -> Severity:
    """The worst severity of a rule's findings: of those listed, and of the unlisted ones of a streamed run."""
    ranks = [f.severity for f in listed]
    if report.findings_unlisted > 0:
        ranks += [Severity(sev) for sev, n in report.counts_by_rule().get(rule_id, {}).items() if n]
    return max(ranks, key=lambda s: s.rank)


def unlisted_failing(report: Report) -> dict[tuple[str, str], str]:
    """(rule, target) → the worst severity at or above --fail-on of that rule's findings on that input, where some of
    its failing findings are not listed (a streamed run: Report.streamed counts them per input); {} otherwise."""
    if not report.streamed.get("failing"):
        return {}
    listed: dict[tuple[str, str], int] = defaultdict(int)
    for finding in report.findings:
        if finding.severity.at_least(report.fail_on) and finding.baseline != "known":
            listed[(finding.rule, finding.target)] += 1
    counts = report.counts_by_rule_and_target()
    out = {}
    for target, rules in report.streamed.get("failing_by_target", {}).items():
        for rule_id, n in rules.items():
            if n > listed[(rule_id, target)]:
                over = [Severity(sev) for sev, k in counts.get((rule_id, target), {}).items()
                        if k and Severity(sev).at_least(report.fail_on)]
                out[(rule_id, target)] = max(over, key=lambda s: s.rank).value if over else report.fail_on.value
    return out


def unlisted_text(report: Report, lang: str = "en") -> str:
    """"2 of 5 findings are listed; all 5 are in findings.jsonl." when a streamed run lists only some of its
    findings (check --findings FILE, Report.streamed); empty when the report lists every finding."""
    if report.findings_unlisted <= 0:
        return ""
    from ldt_conform.render.numbers import count, number

    return count("unlisted", report.findings_total, lang, grouped=True,
                 listed=number(len(report.findings), lang, grouped=True), file=str(report.streamed.get("file", "")))


def finding_counts(report: Report) -> dict[tuple[str, str], int]:
    if report.streamed:  # all findings, listed or not: counted per input as they were streamed
        return defaultdict(int, {key: sum(by.values()) for key, by in report.counts_by_rule_and_target().items()})
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for finding in report.findings:
        counts[(finding.rule, finding.target)] += 1
    return counts


@dataclass(frozen=True)
class Matrix:
    """State of every evaluated rule on every target: the compliance table a funder reads.

    A cell is a Status value (pass / fail / error / skip = not verified) or "info": a tool note (e.g. LC-004, an
    artefact not in the store) that is never drawn as a failure.
    """

    rules: list[str]
    targets: list[str]
    cells: dict[tuple[str, str], str]
    counts: dict[tuple[str, str], int]
    whys: dict[tuple[str, str], str] = field(default_factory=dict)


CELL_STATES = ("pass", "fail", "error", "skip", "info")


def matrix(report: Report) -> Matrix:
    cells: dict[tuple[str, str], str] = {}
    whys: dict[tuple[str, str], str] = {}
    for result in report.results:
        cells[(result.rule, result.target)] = result.status.value
        if result.why is not None:
            whys[(result.rule, result.target)] = result.why.value
    # Tool findings (LC-…) have no result row: an error or warning about a target is a failure of it; an info is not.
    # Per cell over all findings: a streamed run (Report.streamed) counts them per input, listed or not.
    counts = finding_counts(report)
    worst: dict[tuple[str, str], Severity] = {}
    for finding in report.findings:
        key = (finding.rule, finding.target)
        if key not in cells and (key not in worst or finding.severity.rank > worst[key].rank):
            worst[key] = finding.severity
    for key, severity in worst.items():
        cells[key] = "info" if severity is Severity.INFO else Status.FAIL.value
    rules = sorted({rule for rule, _ in cells})
    cols = targets(report)
    if any(t == NO_TARGET for _, t in cells):
        cols.append(NO_TARGET)
    return Matrix(rules, cols, cells, counts, whys)


def rules_run(report: Report) -> int:
    """Rules with at least one result that is not "not verified": what the summaries call "rules run" (the scope
    line counts the profile's selected rules; the tool's own LC rules count here only when they ran)."""
    return len({r.rule for r in report.results if r.status is not Status.SKIP})


def limited_passes(report: Report) -> list[tuple[str, str, str]]:
    """(rule, target, note) of every pass that says what it did not test: a pass never claims more than was tested,
    and a human-readable report shows those notes, not only the machine-readable ones."""
    return sorted((r.rule, r.target, r.reason) for r in report.results if r.status is Status.PASS and r.reason)


def scope(report: Report) -> dict[str, Any]:
    """The run's scope from Report.options: how many rules were selected, and whether the run was narrowed."""
    options = report.options or {}
    return {"selected": options.get("rules_selected"), "total": options.get("rules_total"),
            "narrowed": bool(options.get("narrowed")), "select": list(options.get("select", ())),
            "ignore": list(options.get("ignore", ()))}


def scope_text(report: Report, words: Mapping[str, str], lang: str = "en") -> str:
    """'1 of 118 rules selected (--select DCATAP-101); narrowed run: …' — empty for reports without a scope."""
    sc = scope(report)
    if sc["selected"] is None or sc["total"] is None:
        return ""
    from ldt_conform.render.numbers import count, number

    if not sc["narrowed"]:
        return words["selected_all"].format(total=number(sc["total"], lang))
    flags = " ".join([*(f"--select {s}" for s in sc["select"]), *(f"--ignore {s}" for s in sc["ignore"])])
    return (count("selected_of", sc["selected"], lang, total=number(sc["total"], lang))
            + (f" ({flags})" if flags else "")
            + f"; {words['narrowed']}")


def detection_text(detection: Mapping[str, Any]) -> str:
    """What --profile auto picked and why, in one line: `dcat-ap-hvd: <reason> (evidence: <triple>; ...)`."""
    evidence = "; ".join(str(e) for e in detection.get("evidence", ()))
    return f"{detection.get('profile')}: {detection.get('reason')}" + (f" (evidence: {evidence})" if evidence else "")


def options_rows(report: Report) -> list[tuple[str, str]]:
    """The recorded options as (name, value) pairs, in a stable order, for the document formats."""
    rows = []
    for key, value in (report.options or {}).items():
        if key == "profile_detection" and isinstance(value, Mapping):
            value = detection_text(value)
        elif isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value) or "—"
        elif isinstance(value, Mapping):
            value = "; ".join(f"{k}: {v}" for k, v in value.items()) or "—"
        rows.append((key, str(value)))
    return rows


def capability_rows(report: Report) -> list[dict[str, Any]]:
    """Per MIM, its capabilities as plain dicts (id, title, state, reason, assess, source, checked, limited)."""
    rows = []
    for mim in report.mims:
        caps = [{"id": str(c.get("id", "")), "title": str(c.get("title", "")), "state": str(c.get("state", "")),
                 "reason": str(c.get("reason", "")), "assess": str(c.get("assess", "") or ""),
                 "source": str(c.get("source", "")), "checked": str(c.get("checked", "") or ""),
                 "limited": [str(rule_id) for rule_id in c.get("rules_limited", ())]}
                for c in mim.get("capabilities", ()) if isinstance(c, Mapping)]
        rows.append({"key": str(mim.get("key", "")), "label": str(mim.get("label", "")),
                     "title": str(mim.get("title", "")), "level": str(mim.get("level", "")), "capabilities": caps})
    return rows


def mim_rows(report: Report) -> list[dict[str, Any]]:
    """MIM levels as plain dicts with the keys every renderer uses (key, label, title, level, note)."""
    rows = []
    for mim in report.mims:
        level = str(mim.get("level", "not-assessed"))
        rows.append({"key": str(mim.get("key", "")), "label": str(mim.get("label", mim.get("key", ""))),
                     "title": str(mim.get("title", mim.get("key", ""))), "level": level,
                     "rank": LEVEL_RANK.get(level, 0), "note": str(mim.get("note", "") or ""),
                     "evidence": [dict(e) for e in mim.get("evidence", ()) if isinstance(e, Mapping)]})
    return rows


def provenance(report: Report) -> dict[str, Any]:
    """Everything a reader needs to audit the run, in one structure the document renderers all print."""
    return {
        "tool": {"name": "ldt-conform", "version": report.tool_version},
        "profile": {"id": report.profile.id, "version": report.profile.version, "title": report.profile.title,
                    "sha256": report.profile.sha256, "overridden": list(report.profile.overridden),
                    "chain": list(report.profile.chain)},
        "started_at": report.started_at, "finished_at": report.finished_at,
        "engines": list(report.engines), "fail_on": report.fail_on.value,
        "inputs": [{"source": t.source, "kind": t.kind, "sha256": t.sha256, "size": t.size, "triples": t.triples,
                    "documents": t.documents, "format": t.format, "probed_at": t.probed_at,
                    # a paged catalogue: each page read, in order (the first included)
                    **({"pages": [{"source": p.source, "sha256": p.sha256, "size": p.size, "triples": p.triples,
                                   "format": p.format} for p in t.pages]} if t.pages else {})}
                   for t in report.targets],
        **({"baseline": dict(report.baseline)} if report.baseline else {}),
        # e.g. TLS verification turned off by --insecure: an auditor must see it in every format
        "warnings": list(getattr(report, "warnings", ())),
    }


def input_detail(t: Mapping[str, Any], lang: str = "en") -> str:
    """'5,810 triples, 412,033 B' — the size of an input in words."""
    from ldt_conform.render.numbers import count, number

    parts = []
    if t.get("triples") is not None:
        parts.append(count("triple", t["triples"], lang, grouped=True))
    if t.get("documents") is not None:
        parts.append(count("document", t["documents"], lang, grouped=True))
    if t.get("size") is not None:
        parts.append(f"{number(t['size'], lang, grouped=True)} B")
    return ", ".join(parts)


def duration_seconds(start: str, end: str) -> float:
    """Seconds between two report timestamps (0 when either is unreadable)."""
    try:
        return max((datetime.fromisoformat(end.replace("Z", "+00:00"))
                    - datetime.fromisoformat(start.replace("Z", "+00:00"))).total_seconds(), 0.0)
    except ValueError:
        return 0.0


def same_value_lead(finding: Finding) -> str:
    """The rule a group of findings on one value is shown under: the lowest rule ID (engine.link_same_value)."""
    return min((finding.rule, *finding.same_value_as))


def same_value_text(finding: Finding, words: Mapping[str, str]) -> str:
    """"also reported by DCATAP-303, DCATAP-502" on the shown finding, "same value as DCATAP-205" on the others."""
    if not finding.same_value_as:
        return ""
    lead = same_value_lead(finding)
    if lead == finding.rule:
        return words["also_reported_by"].format(rules=", ".join(finding.same_value_as))
    return words["same_value_as"].format(rule=lead)


def notes(report: Report, words: Mapping[str, str]) -> list[str]:
    """What a reader must know to read the findings: how findings of several rules on one value are shown."""
    return [words["note_same_value"]] if any(f.same_value_as for f in report.findings) else []
