"""The data model every step shares: rules, findings, results and the report (frozen dataclasses)."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Mapping


class Severity(str, enum.Enum):
    """MUST / SHOULD / MAY, ordered so that a higher rank is worse."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def at_least(self, threshold: Severity) -> bool:
        return self.rank >= threshold.rank


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Status(str, enum.Enum):
    """Outcome of one rule on one target: pass only when the check ran and verified it.

    `skip` is shown to readers as *not verified* and always carries a `Why` and a reason; the JSON value stays
    "skip" so that report@1 readers keep working.
    """

    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"
    SKIP = "skip"
    NOT_VERIFIED = "skip"  # alias of SKIP: the name readers see


class Why(str, enum.Enum):
    """Why a result is not verified (the closed set every renderer explains)."""

    PREREQUISITE_FAILED = "prerequisite-failed"
    ARTEFACT_UNAVAILABLE = "artefact-unavailable"
    NOT_APPLICABLE = "not-applicable"
    NOT_SELECTED = "not-selected"


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to the clause of a standard a rule comes from."""

    id: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of a profile. `check` is the kind-specific table, kept as data."""

    id: str
    name: str
    title: str
    severity: Severity
    kind: str
    check: Mapping[str, Any]
    refs: tuple[Ref, ...] = ()
    mims: tuple[str, ...] = ()
    description: str = ""
    message: str = ""
    aliases: tuple[str, ...] = ()
    enabled: bool = True
    profile: str = ""
    i18n: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def text(self, key: str, lang: str = "en") -> str:
        """A translatable field (title, message, description) in `lang`, falling back to English."""
        translated = self.i18n.get(lang, {}).get(key) if lang != "en" else None
        return translated or str(getattr(self, key))


@dataclass(frozen=True, slots=True)
class Finding:
    """One concrete problem: a rule broken at a focus node / pointer / request of a target."""

    rule: str
    severity: Severity
    target: str
    focus: str
    message: str
    path: str | None = None
    value: str | None = None
    source: str | None = None
    engine: str | None = None
    # "new" or "known" once `check --baseline` has compared the finding with a baseline; None otherwise.
    baseline: str | None = None
    # The other rules with a finding on the same (target, focus, path, value): one defect seen by several rules.
    # Every rule keeps its own finding and verdict; renderers show the group once (engine.link_same_value).
    same_value_as: tuple[str, ...] = ()

    def sort_key(self) -> tuple[str, str, str, str, str]:
        return (self.target, self.rule, self.focus, self.path or "", self.value or "")

    def full_key(self) -> tuple[str, ...]:
        """sort_key, then every other field: a total order, so that a report lists equal-keyed findings of two
        shapes in the same order whether its findings were kept in memory or streamed (findings_spool.py)."""
        return (*self.sort_key(), self.severity.value, self.message, self.source or "", self.engine or "",
                self.baseline or "", " ".join(self.same_value_as))


@dataclass(frozen=True, slots=True)
class Result:
    """The status of one rule on one target; a compliance report must show what passed too."""

    rule: str
    target: str
    status: Status
    reason: str | None = None
    engine: str | None = None
    # Set exactly when status is SKIP (not verified).
    why: Why | None = None


@dataclass(frozen=True, slots=True)
class PageInfo:
    """One page of a paged catalogue (hydra:next / hydra:nextPage), in the order the pages were read."""

    source: str
    sha256: str
    size: int
    triples: int
    format: str | None = None


@dataclass(frozen=True, slots=True)
class TargetInfo:
    """Provenance of one input: where it came from and what it held."""

    source: str
    kind: str
    sha256: str | None = None
    size: int | None = None
    triples: int | None = None
    documents: int | None = None
    format: str | None = None
    probed_at: str | None = None
    # A paged catalogue: every page read, the first one included; sha256 above is the first page's (the file or
    # URL `source` names), size the bytes of all pages, triples the merged graph's (the one validated). A page's
    # own `triples` are those it states (the first page's distinct triples; statements as parsed for the others).
    pages: tuple[PageInfo, ...] = ()


@dataclass(frozen=True, slots=True)
class ProfileInfo:
    """Provenance of the profile: identity, content hash and what the user overrode."""

    id: str
    version: str
    title: str
    sha256: str
    overridden: tuple[str, ...] = ()
    chain: tuple[str, ...] = ()
    vocabularies: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Report:
    """Everything one run learned; renderers only read this."""

    tool_version: str
    started_at: str
    finished_at: str
    profile: ProfileInfo
    rules: tuple[Rule, ...]
    targets: tuple[TargetInfo, ...]
    results: tuple[Result, ...]
    findings: tuple[Finding, ...]
    fail_on: Severity = Severity.ERROR
    engines: tuple[str, ...] = ()
    mims: tuple[Mapping[str, Any], ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    # Set by `check --baseline`: the baseline file (path, sha256, profile) and the new / known / fixed counts.
    baseline: Mapping[str, Any] = field(default_factory=dict)
    # Things the reader must know about how the run was made, e.g. TLS verification turned off by --insecure.
    warnings: tuple[str, ...] = ()
    # The MQA-compatible quality score (quality.py), set when the run had a catalogue graph; {} otherwise.
    quality: Mapping[str, Any] = field(default_factory=dict)
    # Set when `check --findings FILE` streamed the findings to FILE instead of keeping them in memory: `findings`
    # then lists only the first `listed` of `total` (in report order), and every count here is of all of them:
    # {"file", "format", "total", "listed", "by_severity": {sev: n}, "by_rule": {rule: {sev: n}},
    #  "failing": findings at or above fail_on that a baseline does not know,
    #  "by_target": {target: {rule: {sev: n}}}, "failing_by_target": {target: {rule: n}}}.
    streamed: Mapping[str, Any] = field(default_factory=dict)

    def counts_by_severity(self) -> dict[str, int]:
        if self.streamed:
            return {s.value: int(self.streamed["by_severity"].get(s.value, 0)) for s in Severity}
        counts = {s.value: 0 for s in Severity}
        for finding in self.findings:
            counts[finding.severity.value] += 1
        return counts

    @property
    def findings_total(self) -> int:
        """All findings of the run, listed or not (`findings` may list only some: see `streamed`)."""
        return int(self.streamed["total"]) if self.streamed else len(self.findings)

    @property
    def findings_unlisted(self) -> int:
        """Findings in the streamed file that `findings` does not list."""
        return self.findings_total - len(self.findings)

    def counts_by_rule(self) -> dict[str, dict[str, int]]:
        """Rule → severity → findings, over all findings (listed or not)."""
        if self.streamed:
            return {rule: dict(by) for rule, by in self.streamed["by_rule"].items()}
        counts: dict[str, dict[str, int]] = {}
        for finding in self.findings:
            by = counts.setdefault(finding.rule, {})
            by[finding.severity.value] = by.get(finding.severity.value, 0) + 1
        return counts

    def counts_by_rule_and_target(self) -> dict[tuple[str, str], dict[str, int]]:
        """(rule, target) → severity → findings, over all findings (listed or not)."""
        counts: dict[tuple[str, str], dict[str, int]] = {}
        if self.streamed:
            for target, rules in self.streamed.get("by_target", {}).items():
                for rule, by in rules.items():
                    counts[(rule, target)] = dict(by)
            return counts
        for finding in self.findings:
            by = counts.setdefault((finding.rule, finding.target), {})
            by[finding.severity.value] = by.get(finding.severity.value, 0) + 1
        return counts

    def counts_by_status(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Status}
        for result in self.results:
            counts[result.status.value] += 1
        return counts

    @property
    def conforms(self) -> bool:
        """No finding at or above --fail-on, and no rule that could not be evaluated."""
        # Findings already in the baseline (`check --baseline`) are reported but do not fail the run.
        if self.streamed:
            if self.streamed["failing"]:
                return False
        elif any(f.severity.at_least(self.fail_on) and f.baseline != "known" for f in self.findings):
            return False
        return not any(r.status is Status.ERROR for r in self.results)
