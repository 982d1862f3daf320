"""The engineer's terminal report (render/text.py), line by line: what it lists, in which order, in which language,
and in which colour, plus the `rules` tables and the progress spinner on a real terminal (a pty).

The whole report of the hand-built run is compared with goldens (plain in three languages, and in colour), rendered
wide enough that rich never wraps a line; the branches that run does not reach are asserted here line by line.
"""
from __future__ import annotations

import io
import os
import pty
import re
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

import factory
import goldens
from ldt_conform.model import Finding, PageInfo, Ref, Result, Rule, Severity, Status, TargetInfo
from ldt_conform.render import text

GOLDEN = Path(__file__).with_name("golden")
WIDE = 1000


def plain(report: Any, lang: str = "en", **kw: Any) -> str:
    return text.render(report, lang, width=WIDE, **kw)


def styled(report: Any, lang: str = "en") -> str:
    """The report as a colour terminal shows it, each ANSI style written {codes}: 1 bold, 2 dim, 31 red, 32 green,
    33 yellow, 36 cyan, 0 reset."""
    buffer = io.StringIO()
    out = Console(file=buffer, force_terminal=True, color_system="standard", no_color=False, width=WIDE,
                  highlight=False, soft_wrap=False)
    text.write(report, out, lang=lang)
    return re.sub(r"\x1b\[([0-9;]*)m", lambda m: "{" + m[1] + "}", buffer.getvalue())


def section(out: str, first: str, stop: str = "\n\n") -> list[str]:
    """The lines of `out` from the one starting with `first` up to the next blank line."""
    start = out.index(first)
    return out[start:out.index(stop, start)].split("\n")


def block(out: str, header: str) -> list[str]:
    """One rule's block of the findings: its header line and the indented lines under it."""
    lines = out.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith(" "))
    return lines[start:end]


@pytest.mark.parametrize("lang", ["en", "fr", "de"])
def test_golden_plain(lang: str) -> None:
    goldens.check(GOLDEN / f"report.{lang}.text", plain(factory.report(baseline=lang == "fr"), lang))


def test_golden_in_colour() -> None:
    goldens.check(GOLDEN / "report.en.ansi", styled(factory.report(baseline=True)))


def test_render_defaults_are_english_full_and_plain_at_120_columns() -> None:
    report = factory.report()
    out = text.render(report)
    assert out == text.render(report, "en", quiet=False, color=False, width=120)
    assert "\x1b[" not in out
    assert max(len(line) for line in out.splitlines()) == 120  # wrapped at 120, never wider
    assert out.startswith("ERROR   TP-101 dataset-title  A dataset has a title  (2)\n")


def test_quiet_is_the_summary_alone() -> None:
    assert plain(factory.report(baseline=True), quiet=True) == (
        "Profile: test-profile 1.2.0\n"
        "Targets: 2 (120 triples)  Rules run: 5  pass 1 · fail 3 · error 1 · not verified 1\n"
        "Scope: 5 of 7 rules selected (--select TP); narrowed run: MIM levels never reach full\n"
        "Baseline: 3 new · 2 known (in baseline) · 1 fixed since the baseline\n"
        "3 errors  1 warning  1 info  DOES NOT CONFORM (at --fail-on error)\n")


def test_print_report_writes_the_same_report_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    report = factory.report()
    text.print_report(report, lang="fr", quiet=True)
    assert capsys.readouterr().out == text.render(report, "fr", quiet=True, width=200)


# -- findings -------------------------------------------------------------------------------------------------------

def _findings(n: int, rule: str = "TP-101", **kw: Any) -> list[Finding]:
    return [Finding(rule, Severity.ERROR, factory.CAT, f"http://d.example/ds/{i}", f"message {i}", **kw)
            for i in range(n)]


def test_three_examples_per_rule_then_a_count_of_the_rest() -> None:
    report = replace(factory.report(), findings=tuple(_findings(5)))
    assert section(plain(report), "ERROR   TP-101") == [
        "ERROR   TP-101 dataset-title  A dataset has a title  (5)",
        "    http://d.example/ds/0", "      message 0",
        "    http://d.example/ds/1", "      message 1",
        "    http://d.example/ds/2", "      message 2",
        "    +2 more",
        "    clause: DCAT-AP 3.0.1 §101 <https://semiceu.github.io/DCAT-AP/releases/3.0.1/#dataset-title>"]
    assert text.EXAMPLES_PER_RULE == 3


def test_exactly_three_examples_have_no_count_and_numbers_follow_the_language() -> None:
    report = replace(factory.report(), findings=tuple(_findings(3)))
    assert "more" not in plain(report)
    big = replace(factory.report(), findings=tuple(_findings(1203)))
    assert "    +1.200 weitere\n" in plain(big, "de")
    assert plain(big, "de").startswith("FEHLER  TP-101 dataset-title  A dataset has a title  (1.203)\n")


def test_rules_are_ordered_by_severity_then_id_and_an_unknown_rule_shows_its_id_alone() -> None:
    findings = [Finding("ZZ-900", Severity.WARNING, factory.CAT, "urn:a", "odd"),
                Finding("AA-100", Severity.INFO, factory.CAT, "urn:b", "note"),
                Finding("TP-301", Severity.WARNING, factory.CAT, "urn:c", "no theme"),
                Finding("TP-201", Severity.ERROR, factory.CAT, "urn:d", "bad url")]
    out = plain(replace(factory.report(), findings=tuple(sorted(findings, key=Finding.sort_key))))
    headers = [line for line in out.splitlines() if re.match(r"^(ERROR|WARNING|INFO) ", line)]
    assert headers == ["ERROR   TP-201 distribution-access-url  A distribution has an access URL  (1)",
                       "WARNING TP-301 dataset-theme  A dataset has a theme  (1)",
                       "WARNING ZZ-900     (1)",
                       "INFO    AA-100     (1)"]
    # no name, title or clause line for a rule the report does not know
    assert block(out, "WARNING ZZ-900") == ["WARNING ZZ-900     (1)", "    urn:a", "      odd"]


def test_a_clause_without_a_url_is_not_printed() -> None:
    base = factory.report()
    rules = tuple(replace(r, refs=(Ref("DCAT-AP §x"),)) if r.id == "TP-201" else r for r in base.rules)
    out = plain(replace(base, rules=rules))
    assert block(out, "ERROR   TP-201") == ["ERROR   TP-201 distribution-access-url  A distribution has an access URL"
                                            "  (1)", "    http://data.example.org/dist/9  dcat:accessURL",
                                            "      accessURL is a literal"]


def test_a_value_several_rules_report_is_shown_once_under_the_lowest_rule() -> None:
    shared = {"target": factory.CAT, "focus": "http://d.example/ds/1", "path": factory.DCT + "title", "value": '"x"'}
    findings = (Finding("TP-101", Severity.ERROR, message="title is blank", same_value_as=("TP-102",), **shared),
                Finding("TP-102", Severity.ERROR, message="title is too short", same_value_as=("TP-101",),
                        **shared))
    out = plain(replace(factory.report(), findings=findings))
    assert block(out, "ERROR   TP-101") == [
        "ERROR   TP-101 dataset-title  A dataset has a title  (1)",
        "    http://d.example/ds/1  dct:title", "      title is blank", "      (also reported by TP-102)",
        "    clause: DCAT-AP 3.0.1 §101 <https://semiceu.github.io/DCAT-AP/releases/3.0.1/#dataset-title>"]
    assert block(out, "ERROR   TP-102") == [
        "ERROR   TP-102 dataset-description  A dataset has a description  (1)",
        "    1 shown under another rule (the same value): TP-101",
        "    clause: DCAT-AP 3.0.1 §102 <https://semiceu.github.io/DCAT-AP/releases/3.0.1/#dataset-description>"]
    note = out.split("\n")[out.split("\n").index(block(out, "ERROR   TP-102")[-1]) + 1]
    assert note.startswith("Findings of several rules on the same value (the same target, focus node, path and "
                           "value) are all kept, one per rule")
    assert "same value" not in plain(factory.report())  # the note comes only with such a group


def test_a_streamed_run_counts_every_finding_and_shows_rules_with_none_listed() -> None:
    listed = tuple(_findings(2))
    streamed = {"file": "out.jsonl", "total": 2504, "by_severity": {"error": 2500, "warning": 4},
                "by_rule": {"TP-101": {"error": 2500}, "TP-301": {"warning": 3, "error": 0}, "TP-999": {"warning": 1}},
                "failing": 2500}
    out = plain(replace(factory.report(), findings=listed, streamed=streamed))
    assert section(out, "ERROR   TP-101") == [
        "ERROR   TP-101 dataset-title  A dataset has a title  (2500)",
        "    http://d.example/ds/0", "      message 0", "    http://d.example/ds/1", "      message 1",
        "    +2498 more",
        "    clause: DCAT-AP 3.0.1 §101 <https://semiceu.github.io/DCAT-AP/releases/3.0.1/#dataset-title>",
        # a rule with no listed finding is shown at its worst severity over all of them, its examples all counted
        "WARNING TP-301 dataset-theme  A dataset has a theme  (3)", "    +3 more",
        "    clause: DCAT-AP 3.0.1 §301 <https://semiceu.github.io/DCAT-AP/releases/3.0.1/#dataset-theme>",
        "WARNING TP-999     (1)", "    +1 more"]
    assert "2 of 2,504 findings are listed; all 2,504 are in out.jsonl.\n" in out
    assert out.endswith("2500 errors  4 warnings  0 infos  DOES NOT CONFORM (at --fail-on error)\n")


def test_a_run_without_findings_prints_no_finding_section() -> None:
    base = factory.report(mims=False)
    clean = replace(base, findings=(), results=tuple(replace(r, status=Status.PASS) for r in base.results
                                                     if r.status in (Status.PASS, Status.FAIL)),
                    options={}, warnings=())
    assert plain(clean) == (
        "Provenance: ldt-conform 0.1.0 · profile test-profile 1.2.0 sha256:" + "c" * 64
        + " · overridden rules: TP-301\n"
        "  2026-01-02T03:04:00Z → 2026-01-02T03:04:09Z · engines: pyshacl\n"
        "  catalogues/city.ttl  rdf  sha256:" + "a" * 64 + "  120 triples, 4,321 B\n"
        "  https://api.example.org/ogc  api    probed at 2026-01-02T03:04:05Z\n"
        "\n"
        "Profile: test-profile 1.2.0\n"
        "Targets: 2 (120 triples)  Rules run: 4  pass 4 · fail 0 · error 0 · not verified 0\n"
        "0 errors  0 warnings  0 infos  CONFORMS (at --fail-on error)\n")


# -- rule table, passes with limits, MIM levels ---------------------------------------------------------------------

def test_the_rule_table_counts_every_verdict_of_the_failing_rules_only() -> None:
    base = factory.report()
    results = (*base.results, Result("TP-101", "b.ttl", Status.PASS), Result("TP-101", "c.ttl", Status.SKIP),
               Result("TP-101", "d.ttl", Status.ERROR), Result("ZZ-001", "d.ttl", Status.ERROR))
    out = plain(replace(base, results=results), "de")
    assert section(out, "Regel ") == [
        "Regel   Schweregrad  bestanden  nicht bestanden  Prüffehler  nicht geprüft  Titel                           ",
        "TP-101  Fehler       1          1                1           1              A dataset has a title           ",
        "TP-201  Fehler       0          1                0           0              A distribution has an access URL",
        "TP-301  Warnung      0          1                0           0              A dataset has a theme           ",
        "TP-401  Fehler       0          0                1           0              The API has a landing page      ",
        "ZZ-001               0          0                1           0                                              "]


def test_passes_with_limits_are_listed_with_their_target() -> None:
    base = factory.report()
    results = (*base.results, Result("TP-102", "b.ttl", Status.PASS, reason="not tested: collection roads"),
               Result("TP-401", "", Status.PASS, reason="not verified: TP-9 prerequisite-failed"))
    out = plain(replace(base, results=results), "fr")
    assert section(out, "Réussites avec limites") == [
        "Réussites avec limites",
        "  Ces règles sont réussies sur ce qui a pu être vérifié ; chaque remarque dit ce qui ne l'a pas été.",
        "  TP-102       b.ttl : not tested: collection roads",
        "  TP-401       non vérifiée : TP-9 prérequis non satisfait"]  # no target: no "target :" either


def test_mim_levels_and_capabilities_in_german() -> None:
    out = plain(factory.report(), "de")
    assert section(out, "MIM-Stufen") == [
        "MIM-Stufen",
        "  MIM0  Datenzugang            vollständig   1/1 Fähigkeit erfüllt",
        "        mim0.retrievable         erfüllt       ",
        "  MIM1  Verknüpfung von Daten  ansatzweise   0/2 Fähigkeiten erfüllt; nicht erfüllt: mim1.identified; "
        "nicht bewertet: mim1.typed",
        "        mim1.identified          nicht erfüllt   nicht bestandene Regeln: TP-101, TP-201",
        "        mim1.typed               nicht bewertet  nicht geprüft: TP-102 Artefakt nicht verfügbar · bewertbar "
        "durch: add an NGSI-LD broker to [[twin.apis]]",
        "  MIM2  Représentation des données teilweise     1/2 Fähigkeiten erfüllt; nicht anwendbar: mim2.open-format",
        "        mim2.models-explicit     erfüllt       ",
        "        mim2.open-format         nicht anwendbar  no payloads in this twin",
        "  MIM7  Geodaten               nicht bewertet  0/1 Fähigkeit erfüllt; nicht bewertet: mim7.geo-service",
        "        mim7.geo-service         nicht bewertet  nicht geprüft: 10 nicht anwendbar · bewertbar durch: add an "
        "OGC API Features or SensorThings endpoint to [[twin.apis]]"]


def test_a_capability_that_holds_with_limits_gives_its_reason_and_an_unknown_mim_its_key() -> None:
    mims = ({"key": "accessing-data", "label": "MIM0", "title": "Accessing data", "level": "partial", "note": "",
             "capabilities": [
                 {"id": "mim0.retrievable", "title": "x", "source": "s", "state": "holds", "rules_limited": ["TP-102"],
                  "reason": "1 rule verified, with limits: TP-102"},
                 {"id": "mim0.discoverable", "title": "y", "source": "s", "state": "not-assessed",
                  "reason": "no check exists yet", "assess": "a DCAT-AP catalogue as an input"},
                 {"id": "mim0.quiet", "title": "z", "source": "s", "state": "holds", "reason": "2 rules verified"}]},
            {"key": "no-such-mim", "level": "weird", "capabilities": []})
    out = plain(replace(factory.report(), mims=mims), "fr")
    assert section(out, "Niveaux MIM") == [
        "Niveaux MIM",
        "  MIM0  Accès aux données      partiel     ",
        # a capability that holds says no more, unless one of its rules passed with limits
        "        mim0.retrievable         respectée       1 règle vérifiée, avec limites : TP-102",
        "        mim0.discoverable        non évaluée     aucune vérification n'existe encore · serait évaluée par : "
        "a DCAT-AP catalogue as an input",
        "        mim0.quiet               respectée     ",
        "        no-such-mim            weird       "]


def test_levels_and_states_are_coloured_by_what_they_say() -> None:
    out = styled(factory.report())
    assert "  MIM0  Accessing data         {32}full        {0}{2}  1/1 capabilities hold{0}\n" in out
    assert "  MIM1  Interlinking data      {31}initial     {0}" in out
    assert "{33}partial     {0}" in out
    assert "  MIM7  Geospatial data        {2}not assessed{0}" in out
    assert "        mim1.identified          {31}broken        {0}{2}  broken: TP-101, TP-201{0}\n" in out
    assert "        mim2.open-format         {2}not applicable{0}{2}  no payloads in this twin{0}\n" in out
    assert text.CAP_STYLE == {"holds": "green", "broken": "red", "declared": "yellow", "not-assessed": "dim",
                              "not-applicable": "dim"}
    assert text.STYLE == {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


# -- provenance and summary -----------------------------------------------------------------------------------------

def test_provenance_lists_twenty_inputs_and_twenty_pages_each_then_counts_the_rest() -> None:
    pages = tuple(PageInfo(f"https://d.example/c?page={i}", "e" * 64, 2000 + i, 10 + i) for i in range(23))
    paged = TargetInfo("https://d.example/c", "rdf", "f" * 64, 9000, 99, format="turtle", pages=pages)
    others = tuple(TargetInfo(f"part-{i:02d}.ttl", "rdf", None, 10, 1, format="turtle") for i in range(21))
    base = factory.report()
    lines = section(plain(replace(base, targets=(paged, *others)), "en"), "Provenance")
    assert lines[2] == "  https://d.example/c  rdf  sha256:" + "f" * 64 + "  99 triples, 9,000 B"
    assert lines[3] == "    page 1: https://d.example/c?page=0  sha256:" + "e" * 64 + "  10 triples, 2,000 B"
    assert lines[22] == "    page 20: https://d.example/c?page=19  sha256:" + "e" * 64 + "  29 triples, 2,019 B"
    assert lines[23] == "    +3 more"
    assert lines[24] == "  part-00.ttl  rdf  1 triple, 10 B"  # no hash recorded: none printed
    assert lines[42] == "  part-18.ttl  rdf  1 triple, 10 B"
    assert lines[43] == "  +2 more"
    assert len(lines) == 44


def test_provenance_says_none_when_nothing_was_overridden_and_no_engine_ran() -> None:
    base = factory.report()
    report = replace(base, profile=replace(base.profile, overridden=()), engines=())
    assert section(plain(report, "de"), "Herkunft")[:2] == [
        "Herkunft: ldt-conform 0.1.0 · Profil test-profile 1.2.0 sha256:" + "c" * 64 + " · Geänderte Regeln: keine",
        "  2026-01-02T03:04:00Z → 2026-01-02T03:04:09Z · Prüfmaschinen: keine"]
    assert section(plain(report, "fr"), "Provenance")[:2] == [
        "Provenance : ldt-conform 0.1.0 · profil test-profile 1.2.0 sha256:" + "c" * 64
        + " · règles modifiées : aucune",
        "  2026-01-02T03:04:00Z → 2026-01-02T03:04:09Z · moteurs : aucun"]  # un moteur: masculine


def test_the_summary_names_warnings_the_detected_profile_and_a_conforming_verdict() -> None:
    base = factory.report(mims=False)
    report = replace(base, warnings=("the catalogue has 2 pages; 1 was read",), findings=(), results=(),
                     options={"profile_detection": {"profile": "dcat-ap-hvd", "reason": "HVD terms found",
                                                    "evidence": ["dcatap:applicableLegislation", "x"]},
                              "rules_selected": 238, "rules_total": 238})
    out = plain(report)
    assert out[out.index("WARNING the catalogue"):] == (
        "WARNING the catalogue has 2 pages; 1 was read\n"
        "Profile: test-profile 1.2.0\n"
        "Profile auto: dcat-ap-hvd: HVD terms found (evidence: dcatap:applicableLegislation; x)\n"
        "Targets: 2 (120 triples)  Rules run: 0  pass 0 · fail 0 · error 0 · not verified 0\n"
        "Scope: all 238 rules selected\n"
        "0 errors  0 warnings  0 infos  CONFORMS (at --fail-on error)\n")
    coloured = styled(report)
    assert "{1;33}WARNING the catalogue has 2 pages; 1 was read{0}\n" in coloured
    assert "{33}Profile auto: dcat-ap-hvd: HVD terms found" in coloured
    assert "{2}Scope: all 238 rules selected{0}\n" in coloured
    assert coloured.endswith("{1;31}0 errors  {0}{33}0 warnings  {0}{36}0 infos  {0}{1;32}CONFORMS {0}"
                             "{2}(at --fail-on error){0}\n")


def test_the_summary_counts_triples_over_every_input_and_the_fail_on_level() -> None:
    base = factory.report(mims=False)
    targets = (*base.targets, TargetInfo("big.ttl", "rdf", "0" * 64, 1, 1_234_567, format="turtle"))
    out = plain(replace(base, targets=targets, fail_on=Severity.WARNING), "fr", quiet=True)
    assert "Cibles : 3 (1\u202f234\u202f687 triplets)" in out
    assert out.endswith("NON CONFORME (au seuil --fail-on warning)\n")


def test_a_baseline_without_counts_reads_zero() -> None:
    out = plain(replace(factory.report(), baseline={"file": "b.json"}), quiet=True)
    assert "Baseline: 0 new · 0 known (in baseline) · 0 fixed since the baseline\n" in out


def test_rule_texts_in_english_are_announced_once_in_another_language() -> None:
    out = plain(factory.report(), "de", quiet=True)
    assert out.split("\n")[1] == ("Regeltitel und -meldungen werden auf Englisch angezeigt: Für die Regeln liegt noch "
                                  "keine deutsche Übersetzung vor.")
    assert "Englisch" not in plain(factory.report(), "en", quiet=True)


# -- `ldt-conform rules` --------------------------------------------------------------------------------------------

RULE = Rule(id="XX-101", name="dataset-title", title="A dataset has a title", severity=Severity.WARNING,
            kind="shacl", check={}, refs=(Ref("DCAT-AP 3.0.1 §6.6", "https://x.example/#d"), Ref("ISO 19115")),
            mims=("mim1", "mim2"), description="Every dataset needs one.", message="Add a dct:title to {focus}.",
            aliases=("OLD-1", "OLD-2"), enabled=False, profile="p",
            i18n={"fr": {"title": "Un jeu de données a un titre", "description": "Chaque jeu en a un."}})


def test_rule_detail_in_full(capsys: pytest.CaptureFixture[str]) -> None:
    buffer = io.StringIO()
    text.rule_detail(RULE, "fr", file=buffer)
    assert buffer.getvalue() == (
        "XX-101  dataset-title\n"
        "Un jeu de données a un titre\n"
        "gravité : avertissement   type de vérification : shacl   profil : p   MIM : mim1, mim2   (désactivée)\n"
        "alias : OLD-1, OLD-2\n"
        "\n"
        "Chaque jeu en a un.\n"
        "\n"
        "correction : Add a dct:title to {focus}.\n"  # the message template: the rule is not applied to anything
        "\n"
        "clause : DCAT-AP 3.0.1 §6.6 <https://x.example/#d>\n"
        "clause : ISO 19115\n")
    assert capsys.readouterr().out == ""


def test_rule_detail_of_a_plain_rule_goes_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    bare = Rule(id="XX-1", name="n", title="T", severity=Severity.ERROR, kind="api", check={}, profile="p")
    text.rule_detail(bare)
    assert capsys.readouterr().out == "XX-1  n\nT\nseverity: error   kind: api   profile: p\n\n"


def test_rules_table_in_the_reader_s_language(capsys: pytest.CaptureFixture[str]) -> None:
    bare = Rule(id="XX-1", name="n", title="T", severity=Severity.ERROR, kind="api", check={}, profile="p")
    text.rules_table([RULE, bare], "de")
    assert capsys.readouterr().out.splitlines() == [
        "ID      Schweregrad  Name           Titel                  Abschnitt         ",
        "XX-101  Warnung      dataset-title  A dataset has a title  DCAT-AP 3.0.1 §6.6",
        "XX-1    Fehler       n              T                                        "]
    buffer = io.StringIO()
    text.rules_table(iter([RULE]), "fr", file=buffer)
    assert buffer.getvalue().splitlines() == [
        "ID      gravité        nom            intitulé                      clause            ",
        "XX-101  avertissement  dataset-title  Un jeu de données a un titre  DCAT-AP 3.0.1 §6.6"]


def test_error_line_is_one_plain_line_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    text.error_line("cannot read [bold]x.ttl[/bold]")
    assert capsys.readouterr().err == "error: cannot read [bold]x.ttl[/bold]\n"


# -- the progress spinner -------------------------------------------------------------------------------------------

def _on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> tuple[int, Any]:
    master, slave = pty.openpty()
    terminal = os.fdopen(slave, "w", buffering=1)
    monkeypatch.setattr(sys, "stderr", terminal)
    return master, terminal


def _drain(master: int) -> str:
    os.set_blocking(master, False)
    data = b""
    try:
        while chunk := os.read(master, 65536):
            data += chunk
    except (BlockingIOError, OSError):
        pass
    return data.decode("utf-8", "replace")


def test_the_spinner_appears_on_a_terminal_after_its_delay_and_shows_the_step(monkeypatch: pytest.MonkeyPatch
                                                                              ) -> None:
    master, terminal = _on_a_terminal(monkeypatch)
    with text.Progress(True, delay_s=0.05) as progress:
        progress.update("reading catalogue.ttl")
        time.sleep(0.5)
        progress.update("checking 5 rules")
        time.sleep(0.5)
    terminal.flush()
    shown = _drain(master)
    assert "reading catalogue.ttl\r" in shown  # the first frame: the step as it was when the spinner appeared
    assert "checking 5 rules  [1 s]" in shown  # later steps carry the time since the start
    assert shown.endswith("\x1b[?25h\r\x1b[1A\x1b[2K")  # cursor shown again, the spinner's line erased


def test_the_spinner_has_a_default_text_and_a_one_second_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    master, terminal = _on_a_terminal(monkeypatch)
    progress = text.Progress(True)
    assert progress.delay_s == 1.0
    with text.Progress(True, delay_s=0.05):
        time.sleep(0.4)
    terminal.flush()
    assert "working…" in _drain(master)


def test_a_quick_step_shows_no_spinner(monkeypatch: pytest.MonkeyPatch) -> None:
    master, terminal = _on_a_terminal(monkeypatch)
    with text.Progress(True, delay_s=0.5) as progress:
        progress.update("quick")
    time.sleep(0.8)  # the timer was cancelled: nothing appears later either
    terminal.flush()
    assert _drain(master) == ""


@pytest.mark.parametrize("enabled", [True, False])
def test_no_spinner_off_a_terminal_or_when_quiet(enabled: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if enabled:
        monkeypatch.setattr(sys, "stderr", io.StringIO())  # a log file or a CI console
        with text.Progress(True, delay_s=0.01) as progress:
            progress.update("x")
            time.sleep(0.2)
        assert sys.stderr.getvalue() == ""  # type: ignore[attr-defined]
        assert progress.enabled is False
    else:
        master, terminal = _on_a_terminal(monkeypatch)
        with text.Progress(False, delay_s=0.01):
            time.sleep(0.2)
        terminal.flush()
        assert _drain(master) == ""


# -- what the first tests left unread (a mutation sample of render/text.py) -----------------------------------------

def _rich() -> Any:
    """The hand-built run with a quality score, a rule with more examples than shown, one value two rules report,
    passes with limits and an unknown capability state: every styled line the terminal prints."""
    base = factory.report()
    cards = [{"dataset": f"http://ex/d{i}", "title": f"D{i}", "scaled": 12.5 + i, "band": "bad", "errors": i,
              "warnings": 1} for i in range(7)]
    fixes = [{"id": f"TP-{100 + i}", "points": 10 - i, "findings": i, "datasets": 2, "rule": None} for i in range(6)]
    quality = {"catalogues": [{"target": factory.CAT, "datasets": 7, "score": 30, "max": 405, "scaled": 30,
                               "band": "bad", "metrics": [], "fixes": fixes, "scorecards": cards}]}
    # sorted before the other examples, so that its "also reported by" line is among the three shown
    shared = {"target": factory.CAT, "focus": "http://d.example/a", "path": factory.DCT + "title", "value": '"x"'}
    findings = (*_findings(5), Finding("TP-101", Severity.ERROR, message="blank", same_value_as=("TP-102",), **shared),
                Finding("TP-102", Severity.ERROR, message="short", same_value_as=("TP-101",), **shared))
    results = (*base.results, Result("TP-102", "b.ttl", Status.PASS, reason="not tested: collection roads"),
               Result("TP-101", "", Status.PASS, reason="not tested: x"))
    mims = (*base.mims, {"key": "odd", "label": "MIM9", "title": "Odd", "level": "partial", "note": "",
                         "capabilities": [{"id": "mim9.x", "title": "x", "state": "weird-state", "reason": "r"}]})
    return replace(base, quality=quality, findings=tuple(sorted(findings, key=Finding.sort_key)), results=results,
                   mims=mims)


def test_golden_of_every_styled_line_in_colour() -> None:
    goldens.check(GOLDEN / "report.en.rich.ansi", styled(_rich()))


def test_the_rich_report_s_findings_and_quality_lines() -> None:
    out = plain(_rich())
    assert block(out, "ERROR   TP-101") == [
        "ERROR   TP-101 dataset-title  A dataset has a title  (6)",
        "    http://d.example/a  dct:title", "      blank", "      (also reported by TP-102)",
        "    http://d.example/ds/0", "      message 0", "    http://d.example/ds/1", "      message 1", "    +3 more",
        "    clause: DCAT-AP 3.0.1 §101 <https://semiceu.github.io/DCAT-AP/releases/3.0.1/#dataset-title>"]
    assert out.startswith(f"Quality score (data.europa.eu MQA, computed offline): {factory.CAT}\n")


def test_a_streamed_run_s_unlisted_line_is_bold_yellow_and_one_unlisted_finding_counts() -> None:
    streamed = {"file": "out.jsonl", "total": 3, "by_severity": {"error": 3},
                "by_rule": {"TP-101": {"error": 2}, "TP-999": {"error": 1}}, "failing": 3}
    report = replace(factory.report(mims=False), findings=tuple(_findings(2)), streamed=streamed)
    assert block(plain(report), "ERROR   TP-999") == ["ERROR   TP-999     (1)", "    +1 more"]
    assert "{1;33}2 of 3 findings are listed; all 3 are in out.jsonl.{0}\n" in styled(report)


def test_the_english_rule_texts_note_is_dim() -> None:
    assert "{2}Regeltitel und -meldungen werden auf Englisch angezeigt: Für die Regeln liegt noch keine deutsche " \
           "Übersetzung vor.{0}\n" in styled(factory.report(), "de")


def test_defaults_are_english_with_english_numbers_and_no_colour_even_when_forced(monkeypatch: pytest.MonkeyPatch,
                                                                                  capsys: pytest.CaptureFixture[str]
                                                                                  ) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich would colour a file; color=False (the default) still does not
    big = replace(factory.report(mims=False), findings=tuple(_findings(1203)))
    out = text.render(big)
    assert "\x1b[" not in out
    assert out.startswith("ERROR   TP-101 dataset-title  A dataset has a title  (1203)\n")  # not babel's "1,203"
    monkeypatch.delenv("FORCE_COLOR")  # on stdout it would be honoured: the user asked for colour
    text.print_report(big, quiet=True)
    assert capsys.readouterr().out.endswith("1203 errors  0 warnings  0 infos  DOES NOT CONFORM (at --fail-on error)\n")


def test_english_triples_are_grouped_and_overridden_rules_listed() -> None:
    base = factory.report()
    targets = (*base.targets, TargetInfo("big.ttl", "rdf", "0" * 64, 1, 1_234_567, format="turtle"))
    report = replace(base, targets=targets, profile=replace(base.profile, overridden=("TP-301", "TP-101")))
    out = plain(report)
    assert "Targets: 3 (1,234,687 triples)" in out
    assert "· overridden rules: TP-301, TP-101\n" in out


def test_exactly_twenty_pages_are_all_listed_and_a_thousand_inputs_counted_in_german() -> None:
    pages = tuple(PageInfo(f"https://d.example/c?page={i}", "e" * 64, 2000, 10) for i in range(20))
    paged = TargetInfo("https://d.example/c", "rdf", "f" * 64, 9000, 99, format="turtle", pages=pages)
    others = tuple(TargetInfo(f"part-{i:04d}.ttl", "rdf", None, 10, 1, format="turtle") for i in range(1024))
    lines = section(plain(replace(factory.report(), targets=(paged, *others)), "de"), "Herkunft")
    assert lines[22] == "    Seite 20: https://d.example/c?page=19  sha256:" + "e" * 64 + "  10 Tripel, 2.000 B"
    assert lines[23] == "  part-0000.ttl  rdf  1 Tripel, 10 B"  # no "+0 weitere" after exactly twenty pages
    assert lines[-1] == "  +1.005 weitere"


def test_the_rule_table_counts_past_one_and_in_the_reader_s_numbers() -> None:
    base = factory.report()
    results = (*base.results, *(Result("TP-101", f"p{i}.ttl", Status.PASS) for i in range(1500)),
               Result("TP-101", "x.ttl", Status.FAIL))
    lines = section(plain(replace(base, results=results), "de"), "Regel ")
    assert lines[1] == ("TP-101  Fehler       1.500      2                0           0              "
                        "A dataset has a title           ")


def test_the_rule_table_wraps_only_titles_on_a_narrow_terminal() -> None:
    base = factory.report()
    rules = tuple(replace(r, title=r.title + " and a much longer explanation of it") if r.id == "TP-201" else r
                  for r in base.rules)
    out = text.render(replace(base, rules=rules), width=60)
    lines = section(out, "rule ")
    # how rich breaks the titles is its own business; that IDs and counts stay whole on their row is ours
    rows = {line.split()[0]: line.split()[1:6] for line in lines[1:] if not line.startswith(" ")}
    assert rows == {"TP-101": ["error", "0", "1", "0", "0"], "TP-201": ["error", "0", "1", "0", "0"],
                    "TP-301": ["warning", "0", "1", "0", "0"], "TP-401": ["error", "0", "0", "1", "0"]}
    assert len(lines) > 1 + len(rows)  # the titles wrapped onto lines of their own
    assert max(len(line) for line in lines) <= 60


def test_a_capability_with_only_an_assessment_hint_and_a_mim_without_key_or_title() -> None:
    mims = ({"key": "accessing-data", "label": "MIM0", "title": "Accessing data", "level": "partial", "note": "",
             "capabilities": [{"id": "mim0.x", "title": "x", "state": "not-assessed", "reason": "",
                               "assess": "a catalogue"}]},
            {"level": "initial"})
    lines = section(plain(replace(factory.report(), mims=mims)), "MIM levels")
    assert lines[2] == "        mim0.x                   not assessed    would be assessed by: a catalogue"
    assert lines[3] == "                               initial     "


def test_rule_detail_shows_the_translated_message(monkeypatch: pytest.MonkeyPatch) -> None:
    translated = replace(RULE, i18n={"fr": {**RULE.i18n["fr"], "message": "Ajouter un dct:title à {focus}."}})
    buffer = io.StringIO()
    text.rule_detail(translated, "fr", file=buffer)
    assert "correction : Ajouter un dct:title à {focus}.\n" in buffer.getvalue()
    buffer = io.StringIO()
    text.rule_detail(translated, file=buffer)
    assert "fix: Add a dct:title to {focus}.\n" in buffer.getvalue()
    # in colour, the heading line is bold
    expected = io.StringIO()
    Console(file=expected, force_terminal=True, color_system="standard", no_color=False,
            width=WIDE).print(text.Text(f"{translated.id}  {translated.name}", style="bold"))
    monkeypatch.setattr(text, "console", lambda file=None, **kw: Console(
        file=file, force_terminal=True, color_system="standard", no_color=False, width=WIDE, highlight=False))
    buffer = io.StringIO()
    text.rule_detail(translated, file=buffer)
    assert buffer.getvalue().startswith(expected.getvalue())
    assert "{1}XX-101  dataset-title{0}" in re.sub(r"\x1b\[([0-9;]*)m", lambda m: "{" + m[1] + "}", buffer.getvalue())


def test_profiles_table(capsys: pytest.CaptureFixture[str]) -> None:
    text.profiles_table([("dcat-ap-3", "3.0.1", "DCAT-AP 3", 118, ""), ("my-twin", "1.0", "Twin", 7, "dcat-ap-3")])
    assert capsys.readouterr().out.splitlines() == [
        "id         version  title      rules  extends  ",
        "dcat-ap-3  3.0.1    DCAT-AP 3  118             ",
        "my-twin    1.0      Twin       7      dcat-ap-3"]


def test_rule_detail_shows_a_message_written_only_in_the_reader_s_language() -> None:
    only_fr = replace(RULE, message="", i18n={"fr": {"message": "Ajouter un titre."}})
    buffer = io.StringIO()
    text.rule_detail(only_fr, "fr", file=buffer)
    assert "\ncorrection : Ajouter un titre.\n" in buffer.getvalue()
    buffer = io.StringIO()
    text.rule_detail(only_fr, "en", file=buffer)
    assert "fix" not in buffer.getvalue()


# -- the console: colour, width and highlighting --------------------------------------------------------------------

def test_a_console_on_a_file_is_200_columns_and_on_a_terminal_as_wide_as_the_terminal(monkeypatch: pytest.MonkeyPatch
                                                                                     ) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "97")  # the terminal's width, as rich reads it
    assert text.console(io.StringIO()).width == 200  # CI logs: wrapping at 80 only splits IRIs
    assert text.console(io.StringIO(), width=50).width == 50
    master, slave = pty.openpty()
    with os.fdopen(slave, "w") as terminal:
        out = text.console(terminal)
        assert out.width == 97 and out.is_terminal and not out.no_color
        monkeypatch.setattr(sys, "stdout", terminal)
        assert text.console().width == 97  # no file, standard output a terminal: its width
    os.close(master)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert text.console().file is sys.stdout and text.console().width == 200  # no file: standard output


def test_no_color_and_the_colour_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert text.console(io.StringIO(), color=False).no_color is True
    assert text.console(io.StringIO(), color=None).no_color is False
    forced = text.console(io.StringIO(), color=True)
    assert forced.is_terminal and not forced.no_color  # --color: escapes even into a file
    assert text.console(io.StringIO(), color=None).is_terminal is False  # auto: a file is no terminal
    monkeypatch.setenv("NO_COLOR", "1")
    assert text.console(io.StringIO(), color=True).no_color is True


def test_numbers_and_urls_are_never_highlighted() -> None:
    buffer = io.StringIO()
    text.console(buffer, color=True).print("TP-101 failed 42 times at https://x.example/a (True, None)")
    assert buffer.getvalue() == "TP-101 failed 42 times at https://x.example/a (True, None)\n"
