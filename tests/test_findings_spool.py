"""check --findings FILE as a stream: findings spooled to disk as the checks produce them, the report counting all of
them and listing a few. Every test compares the streamed run with the same run kept in memory."""

from __future__ import annotations

import io
import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import REPO, corpus_path, run_cli
from ldt_conform import api, findings_spool, redact
from ldt_conform.engine import link_same_value
from ldt_conform.findings_spool import Spool, row_key, to_row
from ldt_conform.findings_stream import line, read, row
from ldt_conform.model import Finding, Report, Severity

sys.path.insert(0, str(REPO / "benchmarks"))
from generate_catalogue import generate_defective  # noqa: E402


def _catalogue(n: int) -> str:
    """n datasets, each with 15 findings of dcat-ap-3 (benchmarks/generate_catalogue.py): a blank-node licence (a blank
    focus, relabelled), a format that three rules reject (one defect, linked), a blank description."""
    buf = io.StringIO()
    generate_defective(n, buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("spool") / "catalogue.ttl"
    path.write_text(_catalogue(40), encoding="utf-8")
    return path


def _runs(source: Path | list[Path], tmp: Path, listed: int, **extra: object) -> tuple[Report, Report, Path]:
    options = dict(profile="dcat-ap-3", jobs=1, **extra)
    sources = [str(s) for s in (source if isinstance(source, list) else [source])]
    kept = api.check(sources, api.CheckOptions(**options))  # type: ignore[arg-type]
    out = tmp / "findings.jsonl"
    streamed = api.check(sources, api.CheckOptions(**options, findings_file=str(out),  # type: ignore[arg-type]
                                                   findings_listed=listed))
    return kept, streamed, out


def _same_but_streamed(kept: Report, streamed: Report) -> None:
    plain = replace(streamed, streamed={}, findings=kept.findings, started_at=kept.started_at,
                    finished_at=kept.finished_at)
    assert plain == kept


@pytest.fixture()
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    # Runs of 50 findings: the merge of many run files, and runs re-sorted after blank nodes are relabelled.
    monkeypatch.setattr(findings_spool, "BATCH", 50)
    monkeypatch.setattr(findings_spool, "CHUNK", 7)


def test_streamed_run_equals_the_run_in_memory(generated: Path, tmp_path: Path, small_batches: None) -> None:
    kept, streamed, out = _runs(generated, tmp_path, listed=10_000)
    assert len(kept.findings) == 609
    assert sum(1 for f in kept.findings if f.same_value_as) == 120
    assert sum(1 for f in kept.findings if f.focus.startswith("_:")) == 40
    # Every finding listed: the report is the in-memory one, plus where the findings went.
    assert streamed.findings == kept.findings
    _same_but_streamed(kept, streamed)
    by_target = {str(generated): {rule: by for (rule, _), by in sorted(kept.counts_by_rule_and_target().items())}}
    assert streamed.streamed == {
        "file": str(out), "format": "jsonl", "total": 609, "listed": 609,
        "by_severity": kept.counts_by_severity(), "by_rule": kept.counts_by_rule(), "failing": 241,
        "by_target": by_target,
        "failing_by_target": {str(generated): {rule: sum(by.get("error", 0) for by in [counts])
                                               for rule, counts in by_target[str(generated)].items()
                                               if counts.get("error")}}}
    assert sum(1 for f in kept.findings if f.severity is Severity.ERROR) == 241
    # The file holds each finding once, in link order (target, focus, path, value, then the rest).
    assert [line(f) for f in sorted(kept.findings, key=lambda f: row_key(to_row(f)))] == \
        [json.dumps(r, ensure_ascii=False) + "\n" for r in read(out)]


def test_report_lists_the_first_n_and_counts_all(generated: Path, tmp_path: Path, small_batches: None) -> None:
    kept, streamed, out = _runs(generated, tmp_path, listed=7)
    assert streamed.findings == kept.findings[:7]
    assert (streamed.findings_total, streamed.findings_unlisted) == (609, 602)
    assert streamed.counts_by_severity() == kept.counts_by_severity() == {"info": 0, "warning": 368, "error": 241}
    assert streamed.counts_by_rule() == kept.counts_by_rule()
    assert streamed.conforms is kept.conforms is False
    # What is computed from the findings is computed from all of them: the MIM levels and the quality score.
    assert streamed.mims == kept.mims and streamed.results == kept.results
    assert streamed.quality == kept.quality and streamed.quality["catalogues"][0]["datasets"] == 40
    assert sum(1 for _ in read(out)) == 609


def test_two_inputs_streamed_equal_in_memory(generated: Path, tmp_path: Path, small_batches: None) -> None:
    # Blank nodes of each input are relabelled with that input's labels; runs mix findings of both inputs.
    other = tmp_path / "other.ttl"
    other.write_text(_catalogue(25), encoding="utf-8")
    kept, streamed, out = _runs([generated, other], tmp_path, listed=10_000)
    assert len(kept.findings) == 609 + 384
    assert streamed.findings == kept.findings
    _same_but_streamed(kept, streamed)
    assert len(streamed.quality["catalogues"]) == 2


def test_nothing_listed_still_writes_every_finding(generated: Path, tmp_path: Path) -> None:
    kept, streamed, out = _runs(generated, tmp_path, listed=0)
    assert streamed.findings == ()
    assert streamed.streamed["listed"] == 0 and streamed.findings_total == 609
    assert sorted(read(out), key=json.dumps) == sorted((row(f) for f in kept.findings), key=json.dumps)


@pytest.mark.corpus
def test_corpus_catalogue_streamed_equals_in_memory(tmp_path: Path, small_batches: None) -> None:
    source = corpus_path("dcat", "dcat-ap-ch", "catalog.ttl")
    kept, streamed, out = _runs(source, tmp_path, listed=100)
    assert len(kept.findings) == 5718
    assert sum(1 for f in kept.findings if f.same_value_as) == 3988
    assert streamed.findings == kept.findings[:100]
    assert streamed.counts_by_rule() == kept.counts_by_rule()
    assert streamed.quality == kept.quality and streamed.mims == kept.mims
    assert Counter_of(read(out)) == Counter_of(row(f) for f in kept.findings)


def Counter_of(rows: object) -> dict[str, int]:  # noqa: N802 - reads as the Counter it builds
    from collections import Counter

    return Counter(json.dumps(r, sort_keys=True) for r in rows)  # type: ignore[attr-defined]


def test_baseline_marks_streamed_findings_as_it_marks_a_report(generated: Path, tmp_path: Path) -> None:
    base = tmp_path / "baseline.json"
    half = tmp_path / "half.ttl"
    half.write_text(_catalogue(20), encoding="utf-8")
    # A baseline of the first 20 datasets (with their own source name, as `baseline` writes it for that input):
    run_cli(["baseline", str(half), "-p", "dcat-ap-3", "-o", str(base)], expect=0)
    data = json.loads(base.read_text())
    for f in data["findings"]:
        f.pop("fingerprint", None)
        f["target"] = str(generated)
    base.write_text(json.dumps(data))
    kept, streamed, out = _runs(generated, tmp_path, listed=5, baseline=str(base))
    from ldt_conform import baseline

    marked = baseline.apply(kept, base)
    assert marked.baseline["known"] > 0 and marked.baseline["new"] > 0
    assert streamed.baseline == marked.baseline
    assert streamed.findings == marked.findings[:5]
    assert Counter_of(read(out)) == Counter_of(row(f) for f in marked.findings)
    failing = sum(1 for f in marked.findings if f.severity is Severity.ERROR and f.baseline != "known")
    assert streamed.streamed["failing"] == failing


def test_cli_streams_to_file_and_leaves_no_temporary_file(generated: Path, tmp_path: Path) -> None:
    out = tmp_path / "f.jsonl"
    full = run_cli(["check", str(generated), "-p", "dcat-ap-3", "-q", "--format", "json", "-j", "1"], expect=1)
    got = run_cli(["check", str(generated), "-p", "dcat-ap-3", "-q", "--format", "json", "-j", "1", "--findings",
                   str(out), "--list-findings", "3"], expect=1)
    report, whole = json.loads(got.stdout), json.loads(full.stdout)
    assert report["findings"] == whole["findings"][:3]
    assert report["summary"] == whole["summary"]
    assert report["streamed"]["total"] == len(whole["findings"]) == 609
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.jsonl"]
    assert sum(1 for _ in read(out)) == 609


def test_failed_run_leaves_neither_file_nor_temporary(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <https://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    got = run_cli(["check", str(bad), "-q", "--findings", str(tmp_path / "f.jsonl")], expect=2)
    assert got.stderr.startswith(f"error: {bad}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.ttl"]


def _f(rule: str, focus: str, path: str | None, value: str | None, message: str = "m",
       target: str = "t") -> Finding:
    return Finding(rule=rule, severity=Severity.ERROR, target=target, focus=focus, message=message, path=path,
                   value=value)


def test_spool_merges_deduplicates_and_links_as_the_engine_does(tmp_path: Path) -> None:
    found = [_f("R-2", "a", "p", "v"), _f("R-1", "a", "p", "v"), _f("LC-004", "a", "p", "v"),
             _f("R-1", "a", None, None), _f("R-3", "a", None, None), _f("R-1", "b", "p", "v"),
             _f("R-2", "a", "p", "v"), _f("R-1", "a", "p", "v", message="other"), _f("R-9", "_:x1", "p", "_:x2")]
    want = link_same_value(sorted(dict.fromkeys(found), key=Finding.full_key))
    assert [f.same_value_as for f in want if f.focus == "a" and f.path == "p"] == [
        (), ("R-2",), ("R-2",), ("R-1",)]  # LC-004 is not linked; R-1 twice (two messages), R-2 once
    with Spool(str(tmp_path), batch=2) as spool:
        for f in found:  # one at a time: nine findings make five run files, duplicates in different runs
            spool.add([f])
        got = list(spool.merged())
        assert spool.peak == 2
    assert sorted(got, key=Finding.full_key) == want
    assert [to_row(f) for f in got] == sorted(map(to_row, want), key=row_key)


def test_spool_relabels_blank_nodes_and_keeps_order(tmp_path: Path) -> None:
    with Spool(str(tmp_path), batch=3) as spool:
        spool.add([_f("R-1", "_:zz", "p", "v", message="about _:zz"), _f("R-1", "m", "p", "_:aa"),
                   _f("R-1", "n", "p", "v")])
        assert spool.bnodes == {"t": {"zz", "aa"}}
        spool.relabel("t", {"zz": "_:b0", "aa": "_:b1"})  # canonical_labels' form
        got = list(spool.merged())
    assert [(f.focus, f.value, f.message) for f in got] == [
        ("_:b0", "v", "about _:b0"), ("m", "_:b1", "m"), ("n", "v", "m")]


def test_spool_collects_the_notes_that_unverify_passes(tmp_path: Path) -> None:
    with Spool(str(tmp_path)) as spool:
        spool.add([Finding(rule="LC-004", severity=Severity.WARNING, target="t", focus="f", message="m",
                           source="R-7"),
                   Finding(rule="LC-004", severity=Severity.WARNING, target="t", focus="f", message="m"),
                   _f("LC-006", "f", None, None), _f("LC-006", "g", None, None, target="u"),
                   _f("LC-006", "h", None, None)])
    assert spool.offline == {("t", "R-7")}
    assert dict(spool.skipped) == {"t": 2, "u": 1}


def test_spool_leaves_no_files(tmp_path: Path) -> None:
    with Spool(str(tmp_path), batch=1) as spool:
        spool.add([_f("R-1", "a", "p", "v"), _f("R-1", "b", "p", "v")])
        list(spool.merged())
        # A run file goes as soon as the merge has read it, not at the end: a large run's disk is freed as it goes.
        assert [p.name for p in tmp_path.iterdir()] == [spool._dir.name]  # noqa: SLF001
        assert list(spool._dir.iterdir()) == []  # noqa: SLF001
    assert list(tmp_path.iterdir()) == []


def test_line_is_json_dumps_of_the_row() -> None:
    for f in (Finding("R-1", Severity.ERROR, 't\u00e9"x\\', "_:b", "m\n\t\x01\u2028 é\ud7ff", path=None,
                      value='"5"^^<x>', same_value_as=("A", "B")),
              Finding("R-1", Severity.INFO, "t", "f", "m", path="p", value=None, source="s", engine="fast",
                      baseline="known")):
        assert line(f) == json.dumps(row(f), ensure_ascii=False) + "\n"


def test_findings_redactor_agrees_with_report_redaction() -> None:
    redact.register("s3cr3t-token")
    try:
        cases = [_f("R-1", "https://u:pw@example.org/x", "p", "v"), _f("R-1", "a", "p", "v", message="has s3cr3t-token"),
                 _f("R-1", "a", "p", "x" * 5000), _f("R-1", "a", "p", "v"),
                 replace(_f("R-1", "a", "p", "v"), same_value_as=("s3cr3t-token",))]
        one = redact.findings()
        got = [one(f) for f in cases]
        assert got == list(redact.report(tuple(cases)))
        assert got[3] is cases[3]  # nothing to redact: the same object, no copy
        assert [g != c for g, c in zip(got, cases)] == [True, True, True, False, True]
    finally:
        redact._secrets.discard("s3cr3t-token")  # noqa: SLF001 - the registry is process-wide


def test_shacl_check_hands_findings_over_one_shape_at_a_time(generated: Path) -> None:
    from ldt_conform import shacl_fast
    from ldt_conform.checks.shacl import _bundle, _with_deactivated
    from ldt_conform.load import open_targets
    from ldt_conform.checks import RunContext
    from ldt_conform import profile as profiles

    prof = profiles.load("dcat-ap-3")
    ctx = RunContext(profile=prof)
    bundle = _bundle(ctx)
    shapes = _with_deactivated(bundle, {r.id for r in prof.rules})
    target = next(iter(open_targets([str(generated)])))
    unsupported = frozenset(shacl_fast.unsupported_shapes(shapes))
    whole = shacl_fast.validate(target.prepared, shapes, jobs=1, skip_shapes=unsupported)
    batches: list[list[object]] = []
    assert shacl_fast.validate(target.prepared, shapes, jobs=2, skip_shapes=unsupported,
                               on_results=batches.append) == []
    assert sorted(r for b in batches for r in b) == sorted(whole)
    # Each batch is one shape's results, deduplicated and sorted; no shape comes twice.
    shapes_of = [{r.source_shape for r in b} for b in batches]  # type: ignore[attr-defined]
    assert all(len(s) == 1 for s in shapes_of)
    assert len(batches) == len({next(iter(s)) for s in shapes_of}) == len({r.source_shape for r in whole})
    assert max(map(len, batches)) == 40  # never the run: at most one result per dataset of this catalogue


def test_finish_joins_late_findings_redacts_marks_and_counts(tmp_path: Path) -> None:
    from ldt_conform import report_stream
    from ldt_conform.model import ProfileInfo, Rule

    rule = Rule(id="R-1", name="r", title="t", severity=Severity.ERROR, kind="shacl", check={})
    report = Report(tool_version="0", started_at="s", finished_at="f", profile=ProfileInfo("p", "1", "t", "x"),
                    rules=(rule,), targets=(), results=(),
                    findings=(_f("LC-012", "t", None, None),))  # a page chain's note, added after the checks
    out = tmp_path / "f.jsonl"
    seen: list[str] = []

    def mark(f: Finding) -> Finding:
        seen.append(f.focus)
        return replace(f, baseline="known" if f.focus == "b" else "new")

    with Spool(str(tmp_path), batch=1) as spool:
        spool.add([_f("R-1", "https://u:pw@example.org/a", "p", "v"), _f("R-1", "b", "p", "v"),
                   _f("R-1", "b", "p", "v")])
        got, groups = report_stream.finish(report, spool, out, listed=2, shown_as="shown.jsonl", mark=mark)
    rows = list(read(out))
    assert [(r["rule"], r["focus"], r["baseline"]) for r in rows] == [
        ("R-1", "b", "known"), ("R-1", "https://u:***@example.org/a", "new"), ("LC-012", "t", "new")]
    assert seen == ["b", "https://u:***@example.org/a", "t"]  # marked after redaction, as `check --baseline` does
    assert [f.focus for f in got.findings] == ["t", "b"]  # report order: LC-012 sorts before R-1
    assert got.streamed == {"file": "shown.jsonl", "format": "jsonl", "total": 3, "listed": 2,
                            "by_severity": {"info": 0, "warning": 0, "error": 3},
                            "by_rule": {"LC-012": {"error": 1}, "R-1": {"error": 2}}, "failing": 2,
                            "by_target": {"t": {"LC-012": {"error": 1}, "R-1": {"error": 2}}},
                            "failing_by_target": {"t": {"LC-012": 1, "R-1": 1}}}  # b is known
    # The score's groups: SHACL rules only, before redaction (the score reads the graph's own IRIs).
    assert {t: dict(c.as_counter()) for t, c in groups.items()} == {
        "t": {("R-1", "b", Severity.ERROR): 1, ("R-1", "https://u:pw@example.org/a", Severity.ERROR): 1}}
    assert got.conforms is False


@pytest.fixture()
def handed_over(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every batch of findings the spool is given, in order."""
    sizes: list[int] = []
    add = Spool.add

    def spy(self: Spool, findings: object) -> None:
        batch = list(findings)  # type: ignore[call-overload]
        sizes.append(len(batch))
        add(self, batch)

    monkeypatch.setattr(Spool, "add", spy)
    return sizes


def test_the_engine_spools_each_shapes_findings_as_the_shape_ends(generated: Path, tmp_path: Path,
                                                                  handed_over: list[int]) -> None:
    _, streamed, _ = _runs(generated, tmp_path, listed=0)
    handed = [n for n in handed_over if n]
    assert sum(handed) == streamed.findings_total == 609
    # One hand-over per shape with results, never the run: nine shapes find one thing (the catalogue's), fifteen
    # find one per dataset or distribution.
    assert handed == [1] * 9 + [40] * 15


def test_streamed_lenient_run_does_not_verify_passes(generated: Path, tmp_path: Path) -> None:
    # LC-006 (a statement --lenient skipped) makes every pass of its input "not verified": the spool notes them as
    # they pass, since the findings are no longer in a list the engine can read at the end.
    source = tmp_path / "lenient.ttl"
    source.write_text(generated.read_text(encoding="utf-8")
                      + '<https://example.org/ldt/d0> <http://ex.org/q?a=[1]> "v" .\n', encoding="utf-8")
    kept, streamed, _ = _runs(source, tmp_path, listed=3, extra={"lenient": True})
    _same_but_streamed(replace(kept, findings=kept.findings[:3]), replace(streamed, findings=streamed.findings))
    unverified = [r for r in streamed.results if r.reason and "--lenient skipped 1 statement" in r.reason]
    assert len(unverified) == sum(1 for r in kept.results if r.reason and "--lenient skipped" in r.reason) == 33
    assert [f.rule for f in kept.findings if f.rule == "LC-006"] == ["LC-006"]


def test_a_spool_that_cannot_be_written_is_a_usage_error_naming_the_folder(tmp_path: Path) -> None:
    from ldt_conform.errors import UsageError

    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    with pytest.raises(UsageError) as caught:
        Spool(str(not_a_folder))
    assert str(caught.value) == f"{not_a_folder}: cannot spool findings: Not a directory"
    # A run file that cannot be written (the folder went away) is the same error, not a crash of the SHACL check.
    spool = Spool(str(tmp_path), batch=1)
    import shutil

    shutil.rmtree(spool._dir)  # noqa: SLF001
    with pytest.raises(UsageError) as caught:
        spool.add([_f("R-1", "a", "p", "v")])
    assert str(caught.value) == f"{spool._dir}: cannot spool findings (--store-dir chooses where): " \
                                "No such file or directory"  # noqa: SLF001


def test_a_large_shape_is_handed_over_in_chunks(generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                handed_over: list[int]) -> None:
    from ldt_conform.shacl_fast import api as fast_api

    monkeypatch.setattr(fast_api, "DELIVER_CHUNK", 7)
    kept, streamed, out = _runs(generated, tmp_path, listed=10_000)
    assert max(handed_over) == 7 and sum(handed_over) == 609
    assert streamed.findings == kept.findings


def test_merge_reads_relabelled_runs_lazily(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Runs that name blank nodes are relabelled and sorted again one at a time, before the merge: the merge itself
    # holds one chunk of each run, never a whole run (every run of a catalogue of blank distributions names some).
    monkeypatch.setattr(findings_spool, "CHUNK", 1)
    read: dict[str, int] = {}
    merging = [False]
    real = findings_spool._read_chunks

    def counted(path: Path) -> object:
        for row_ in real(path):
            if merging[0]:
                read[path.name] = read.get(path.name, 0) + 1
            yield row_

    monkeypatch.setattr(findings_spool, "_read_chunks", counted)
    relabel = Spool._relabel_runs

    def then_merge(self: Spool) -> None:
        relabel(self)
        merging[0] = True

    monkeypatch.setattr(Spool, "_relabel_runs", then_merge)
    with Spool(str(tmp_path), batch=3) as spool:
        for i in range(15):
            spool.add([_f("R-1", f"_:n{i}", "p", "v")])
        spool.relabel("t", {f"n{i}": f"_:c{14 - i:02d}" for i in range(15)})
        got = spool.merged()
        assert next(got).focus == "_:c00"
        # One row from each run, and one more from the run that gave the first (the merge's next head there).
        assert read == {**{f"run-{i:05d}.pickle": 1 for i in range(4)}, "run-00004.pickle": 2}
        assert [f.focus for f in got] == [f"_:c{i:02d}" for i in range(1, 15)]



def test_views_per_input_of_a_streamed_run_equal_the_in_memory_ones(generated: Path, tmp_path: Path) -> None:
    # Nothing listed: the HTML matrix's counts per cell and the JUnit / SHACL-report verdicts per input come from the
    # counts the stream keeps per input. Two inputs with different findings, so a per-rule count would not do.
    import xml.etree.ElementTree as ET

    from ldt_conform.render import render
    from ldt_conform.render.common import matrix

    other = tmp_path / "other.ttl"
    other.write_text(_catalogue(25).replace('dct:format "csv" ;', ""), encoding="utf-8")  # no format defects
    kept, streamed, _ = _runs([generated, other], tmp_path, listed=0)
    assert matrix(streamed).counts == matrix(kept).counts
    assert matrix(kept).counts[("DCATAP-502", str(generated))] == 40
    assert ("DCATAP-502", str(other)) not in matrix(kept).counts

    def failing_cases(report: Report) -> dict[str, list[str]]:
        root = ET.fromstring(render("junit", report))
        return {suite.get("name", ""): sorted(case.get("name", "").split()[0] for case in suite.iter("testcase")
                                              if case.find("failure") is not None) for suite in root.iter("testsuite")}

    got, want = failing_cases(streamed), failing_cases(kept)
    assert got == want
    assert "DCATAP-502" in want[str(generated)] and "DCATAP-502" not in want[str(other)]


def test_junit_verdicts_per_input_with_a_baseline_of_one_input(generated: Path, tmp_path: Path) -> None:
    # The same rules fail on both inputs; a baseline knows the second input's findings, so only the first input's
    # cases fail the run. A count per rule (not per input) would fail the second input's cases too.
    import xml.etree.ElementTree as ET

    from ldt_conform import baseline
    from ldt_conform.render import render

    other = tmp_path / "other.ttl"
    other.write_text(_catalogue(25), encoding="utf-8")
    base = tmp_path / "baseline.json"
    run_cli(["baseline", str(other), "-p", "dcat-ap-3", "-o", str(base)], expect=0)
    kept, streamed, _ = _runs([generated, other], tmp_path, listed=0, baseline=str(base))
    kept = baseline.apply(kept, base)
    assert streamed.baseline == kept.baseline and kept.baseline["known"] == 384

    def failures(report: Report) -> dict[str, int]:
        root = ET.fromstring(render("junit", report))
        return {suite.get("name", ""): int(suite.get("failures", "0")) for suite in root.iter("testsuite")}

    assert failures(streamed) == failures(kept)
    assert failures(kept)[str(other)] == 0 and failures(kept)[str(generated)] > 0


# --- exact expectations for the spool's order, groups and relabelling (tools/mutation.py run of this stop) ---

def _fd(label: str, *, target: str = "t", focus: str = "f", path: str | None = None, value: str | None = None,
       rule: str = "R-1", severity: Severity = Severity.ERROR, source: str | None = None,
       engine: str | None = None) -> Finding:
    return Finding(rule=rule, severity=severity, target=target, focus=focus, message=label, path=path, value=value,
                   source=source, engine=engine)


# Each pair differs in one field that the link order sorts by, the first of the pair is the one that sorts first:
# an absent path, value, source or engine sorts as "" (before "A"), then rule, severity, message, source, engine.
ORDERED = [
    _fd("1 no path"),
    _fd("2 path, no value", path="A"),
    _fd("3 path and value", path="A", value="A"),
    _fd("4 rule R-1", path="B", value="v"),
    _fd("3 rule R-2 (message sorts first, rule decides)", path="B", value="v", rule="R-2"),
    _fd("z severity error", path="C", value="v", rule="R-3"),
    _fd("a severity warning", path="C", value="v", rule="R-3", severity=Severity.WARNING),
    _fd("same", path="D", value="v", rule="R-4", source=None),
    _fd("same", path="D", value="v", rule="R-4", source="A"),
    _fd("same", path="E", value="v", rule="R-5", engine=None),
    _fd("same", path="E", value="v", rule="R-5", engine="A"),
]


@pytest.mark.parametrize("batch", [2, 100])
def test_merged_gives_the_documented_link_order(batch: int, tmp_path: Path) -> None:
    with Spool(str(tmp_path), batch=batch) as spool:
        spool.add(reversed(ORDERED))
        got = list(spool.merged())
    # on (t, f, B, v) are one defect seen twice: linked, as engine.link_same_value links them.
    want = link_same_value(ORDERED)
    assert [(g.message, g.path, g.value, g.source, g.engine, g.same_value_as) for g in got] == [
        (w.message, w.path, w.value, w.source, w.engine, w.same_value_as) for w in want]
    assert [g.same_value_as for g in got[3:5]] == [("R-2",), ("R-1",)]


def test_a_value_less_finding_with_a_path_is_linked_and_a_path_less_one_is_not(tmp_path: Path) -> None:
    findings = [_fd("a", path="p", rule="R-1"), _fd("b", path="p", rule="R-2"),
                _fd("c", rule="R-1"), _fd("d", rule="R-2")]
    with Spool(str(tmp_path)) as spool:
        spool.add(findings)
        got = {f.message: f.same_value_as for f in spool.merged()}
    assert got == {"a": ("R-2",), "b": ("R-1",), "c": (), "d": ()}
    assert got == {f.message: f.same_value_as for f in link_same_value(findings)}


def test_findings_of_two_inputs_are_never_linked(tmp_path: Path) -> None:
    # Adjacent in the merge (one focus each), equal focus, path and value: only the input differs.
    findings = [_fd("a", target="t1", path="p", value="v", rule="R-1"),
                _fd("b", target="t2", path="p", value="v", rule="R-2")]
    with Spool(str(tmp_path)) as spool:
        spool.add(findings)
        got = [(f.target, f.same_value_as) for f in spool.merged()]
    assert got == [("t1", ()), ("t2", ())]


def test_relabelling_one_input_leaves_the_others_and_resorts_its_runs(tmp_path: Path) -> None:
    findings = [_fd("path", target="t1", focus="_:x", path="p"), _fd("no path", target="t1", focus="_:x"),
                _fd("other input", target="t2", focus="_:x"), _fd("iri", target="t1", focus="https://e.org/a")]
    with Spool(str(tmp_path), batch=2) as spool:
        spool.add(findings)
        spool.relabel("t1", {"x": "_:bCANON"})
        got = [(f.target, f.focus, f.path, f.message) for f in spool.merged()]
    assert got == [("t1", "_:bCANON", None, "no path"), ("t1", "_:bCANON", "p", "path"),
                   ("t1", "https://e.org/a", None, "iri"), ("t2", "_:x", None, "other input")]


def test_an_empty_spool_held_nothing_and_closes_twice(tmp_path: Path) -> None:
    spool = Spool(str(tmp_path))
    assert list(spool.merged()) == [] and spool.peak == 0
    spool.close()
    spool.close()
    assert list(tmp_path.iterdir()) == []


def test_focus_groups_count_each_rule_focus_and_severity_once() -> None:
    from ldt_conform.report_stream import FocusGroups

    groups = FocusGroups()
    for rule, focus, severity in [("R-1", "a", Severity.ERROR), ("R-2", "a", Severity.ERROR),
                                  ("R-1", "b", Severity.WARNING), ("R-1", "a", Severity.ERROR),
                                  ("R-2", "a", Severity.INFO)]:
        groups.add(rule, focus, severity)
    want = {("R-1", "a", Severity.ERROR): 2, ("R-2", "a", Severity.ERROR): 1, ("R-1", "b", Severity.WARNING): 1,
            ("R-2", "a", Severity.INFO): 1}
    assert sorted(groups.items(), key=str) == sorted(want.items(), key=str)
    assert len(groups) == 4 and groups.as_counter() == want


def test_an_unwritable_findings_file_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    from ldt_conform.errors import UsageError
    from ldt_conform.report_stream import finish

    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    report = Report(tool_version="0", started_at="s", finished_at="f", profile=None, rules=(), targets=(),  # type: ignore[arg-type]
                    results=(), findings=(), fail_on=Severity.ERROR)
    with Spool(str(tmp_path)) as spool, pytest.raises(UsageError) as caught:
        spool.add([_fd("a")])
        finish(report, spool, blocker / "f.jsonl", listed=5, shown_as="out/f.jsonl")
    assert (caught.value.where, caught.value.message) == ("--findings out/f.jsonl", "cannot write: Not a directory")


def test_a_defect_seen_by_two_rules_is_linked_whatever_lies_between_them(tmp_path: Path) -> None:
    # In rule order, (v2, R-1) would come between the two findings on v1; in link order it cannot.
    findings = [_fd("v1 R-1", path="p", value="v1"), _fd("v2 R-1", path="p", value="v2"),
                _fd("v1 R-2", path="p", value="v1", rule="R-2")]
    with Spool(str(tmp_path)) as spool:
        spool.add(findings)
        got = [(f.message, f.same_value_as) for f in spool.merged()]
    assert got == [("v1 R-1", ("R-2",)), ("v1 R-2", ("R-1",)), ("v2 R-1", ())]


def test_the_report_lists_exactly_the_first_n_findings(tmp_path: Path) -> None:
    from ldt_conform.report_stream import finish

    report = Report(tool_version="0", started_at="s", finished_at="f", profile=None, rules=(), targets=(),  # type: ignore[arg-type]
                    results=(), findings=(), fail_on=Severity.ERROR)
    for listed in (1, 2):
        with Spool(str(tmp_path)) as spool:
            spool.add([_fd("b", focus="f2"), _fd("a", focus="f1"), _fd("c", focus="f3")])
            got, _ = finish(report, spool, tmp_path / "f.jsonl", listed=listed)
        assert [f.message for f in got.findings] == ["a", "b"][:listed]
        assert (got.streamed["total"], got.streamed["listed"]) == (3, listed)
