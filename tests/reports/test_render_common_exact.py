"""render/common.py, the derivations every renderer shares, on the cases the renderers' goldens never reach: the
IRIs of stdin and of results without a target, severities compared by rank (as strings "warning" > "error"), a
clock that went backwards, a --profile auto detection without evidence."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import factory
from ldt_conform.model import Finding, Severity
from ldt_conform.render import common


@pytest.mark.parametrize("source, iri", [
    ("<stdin>", "urn:ldt-conform:stdin"), ("-", "urn:ldt-conform:stdin"), ("", "urn:ldt-conform:no-target"),
    ("https://data.example.org/cat.ttl", "https://data.example.org/cat.ttl"),
])
def test_target_iri(source: str, iri: str) -> None:
    assert common.target_iri(source) == iri


def test_target_iri_of_a_file_is_its_absolute_file_uri(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert common.target_iri("cat.ttl") == (tmp_path / "cat.ttl").resolve().as_uri()


@pytest.mark.parametrize("source, uri", [("<stdin>", "stdin"), ("-", "stdin"), ("sub/cat.ttl", "sub/cat.ttl"),
                                         ("https://x.example/c", "https://x.example/c")])
def test_artifact_uri(source: str, uri: str) -> None:
    assert common.artifact_uri(source) == uri


@pytest.mark.parametrize("text, expected", [
    ("http://data.example.org/dataset/1", True), ("urn:x:y", True), ("http://x.example/a b", False),
    ("_:b0", False), ("dataset 1", False), ("", False), (None, False),
])
def test_is_iri(text: str | None, expected: bool) -> None:
    assert common.is_iri(text) is expected


def _streamed(report: factory.Report, listed: int, by_rule: dict[str, dict[str, int]],
              by_target: dict[str, dict[str, dict[str, int]]], failing: dict[str, dict[str, int]]) -> factory.Report:
    return replace(report, findings=report.findings[:listed], streamed={
        "file": "all.jsonl", "total": sum(sum(v.values()) for v in by_rule.values()), "listed": listed,
        "by_severity": {}, "by_rule": by_rule, "failing": sum(sum(v.values()) for v in failing.values()),
        "by_target": by_target, "failing_by_target": failing})


def test_the_worst_severity_is_by_rank_not_by_name() -> None:
    """"warning" sorts after "error" as a string: a rule whose listed finding is a warning and whose unlisted one is
    an error is an error rule."""
    base = replace(factory.report(), findings=(Finding("TP-301", Severity.WARNING, factory.CAT, "http://a", "m"),))
    report = _streamed(base, 1, {"TP-301": {"warning": 1, "error": 1}},
                       {factory.CAT: {"TP-301": {"warning": 1, "error": 1}}}, {factory.CAT: {"TP-301": 1}})
    assert common.worst_severity(report, "TP-301", list(report.findings)) is Severity.ERROR
    assert common.worst_severity(base, "TP-301", list(base.findings)) is Severity.WARNING
    at_warning = replace(report, fail_on=Severity.WARNING, streamed={**report.streamed, "failing": 2,
                                                                    "failing_by_target": {factory.CAT: {"TP-301": 2}}})
    assert common.unlisted_failing(at_warning) == {("TP-301", factory.CAT): "error"}


@pytest.mark.parametrize("start, end, seconds", [
    ("2026-01-02T03:04:00Z", "2026-01-02T03:04:09Z", 9.0), ("2026-01-02T03:04:09Z", "2026-01-02T03:04:00Z", 0.0),
    ("2026-01-02T03:04:00+01:00", "2026-01-02T03:04:00Z", 3600.0), ("yesterday", "2026-01-02T03:04:00Z", 0.0),
])
def test_duration_seconds(start: str, end: str, seconds: float) -> None:
    assert common.duration_seconds(start, end) == seconds


def test_detection_text_with_and_without_evidence() -> None:
    assert common.detection_text({"profile": "dcat-ap-hvd", "reason": "HVD category used"}) == \
        "dcat-ap-hvd: HVD category used"
    assert common.detection_text({"profile": "dcat-ap-3", "reason": "DCAT 3 terms", "evidence": ["a b c", "d e f"]}) \
        == "dcat-ap-3: DCAT 3 terms (evidence: a b c; d e f)"


def test_provenance_is_every_field_an_auditor_reads() -> None:
    from ldt_conform.model import PageInfo, TargetInfo

    report = factory.report(baseline=True)
    pages = (PageInfo("https://d.example/c?p=1", "1" * 64, 10, 4, "turtle"),
             PageInfo("https://d.example/c?p=2", "2" * 64, 20, 6, None))
    report = replace(report, targets=(TargetInfo("https://d.example/c?p=1", "rdf", "1" * 64, 30, 9, format="turtle",
                                                 pages=pages), report.targets[1]),
                     warnings=("TLS certificate verification is OFF (--insecure)",))
    assert common.provenance(report) == {
        "tool": {"name": "ldt-conform", "version": "0.1.0"},
        "profile": {"id": "test-profile", "version": "1.2.0", "title": "Test profile", "sha256": "c" * 64,
                    "overridden": ["TP-301"], "chain": ["test-profile"]},
        "started_at": "2026-01-02T03:04:00Z", "finished_at": "2026-01-02T03:04:09Z", "engines": ["pyshacl"],
        "fail_on": "error",
        "inputs": [
            {"source": "https://d.example/c?p=1", "kind": "rdf", "sha256": "1" * 64, "size": 30, "triples": 9,
             "documents": None, "format": "turtle", "probed_at": None,
             "pages": [{"source": "https://d.example/c?p=1", "sha256": "1" * 64, "size": 10, "triples": 4,
                        "format": "turtle"},
                       {"source": "https://d.example/c?p=2", "sha256": "2" * 64, "size": 20, "triples": 6,
                        "format": None}]},
            {"source": factory.API, "kind": "api", "sha256": None, "size": None, "triples": None, "documents": None,
             "format": None, "probed_at": "2026-01-02T03:04:05Z"}],
        "baseline": {"file": "baseline.json", "sha256": "d" * 64, "new": 3, "known": 2, "fixed": 1},
        "warnings": ["TLS certificate verification is OFF (--insecure)"],
    }
    plain = common.provenance(factory.report())
    assert "baseline" not in plain and plain["warnings"] == []


def test_options_rows_in_words() -> None:
    report = replace(factory.report(), options={"select": ["TP-1", "TP-2"], "ignore": [], "headers": {},
                                                "budget": {"a": 1, "b": "x"}, "offline": True,
                                                "profile_detection": {"profile": "p", "reason": "r"}})
    assert common.options_rows(report) == [("select", "TP-1, TP-2"), ("ignore", "—"), ("headers", "—"),
                                           ("budget", "a: 1; b: x"), ("offline", "True"),
                                           ("profile_detection", "p: r")]


def test_scope_text_names_every_selector_of_a_narrowed_run() -> None:
    from ldt_conform.render.labels import labels

    options = {**factory.OPTIONS, "select": ["TP", "LC-004"], "ignore": ["TP-301"], "rules_selected": 1}
    report = replace(factory.report(), options=options)
    assert common.scope(report) == {"selected": 1, "total": 7, "narrowed": True, "select": ["TP", "LC-004"],
                                    "ignore": ["TP-301"]}
    assert common.scope_text(report, labels("en")) == (
        "1 of 7 rules selected (--select TP --select LC-004 --ignore TP-301); " + labels("en")["narrowed"])
    assert common.scope(replace(report, options={"rules_selected": 7, "rules_total": 7})) == {
        "selected": 7, "total": 7, "narrowed": False, "select": [], "ignore": []}


def test_input_detail() -> None:
    assert common.input_detail({"triples": 12345, "documents": 1, "size": 2048}) == \
        "12,345 triples, 1 document, 2,048 B"
    assert common.input_detail({"documents": 3}, "de") == "3 Dokumente"
    assert common.input_detail({}) == ""
