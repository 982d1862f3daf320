"""The executive summary a funder reads first (render/executive.py), exactly: a verdict never reads cleaner than the
run was, and "Not assessed, and why" names everything the verdict does not rest on: rule results in error, passes
with limits, declared (not machine-verified) capabilities, a run without MIM levels. "nothing" only when nothing is.
(The example twin's whole summary in three languages is tests/test_i18n.py.)"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

import factory
from ldt_conform.model import Report, Result, Severity, Status
from ldt_conform.render import executive

CAT, API = factory.CAT, factory.API


def _clean() -> Report:
    """The factory's run with nothing wrong and nothing left out: no finding, no error, no skip, every capability
    holding, --fail-on warning."""
    base = factory.report()
    mims = tuple({**m, "level": "full", "note": "", "capabilities": [{**c, "state": "holds"}
                                                                      for c in m["capabilities"]]}
                 for m in base.mims)
    return replace(base, findings=(), fail_on=Severity.WARNING, mims=mims,
                   results=tuple(replace(r, status=Status.PASS) for r in base.results
                                 if r.status in (Status.PASS, Status.FAIL)))


VERDICT_OK = {
    "en": "the twin conforms to the profile “Test profile”: no problem of severity warning or higher was found.",
    "fr": "le jumeau est conforme au profil « Test profile » : aucun problème de gravité avertissement ou supérieure "
          "n'a été trouvé.",
    "de": "Der Zwilling entspricht dem Profil „Test profile“: Es wurde kein Problem des Schweregrads Warnung oder "
          "höher gefunden.",
}
NOTHING = {"en": "nothing: every rule and capability was assessed.",
           "fr": "rien : chaque règle et chaque capacité a été évaluée.",
           "de": "nichts: Jede Regel und jede Fähigkeit wurde bewertet."}


@pytest.mark.parametrize("lang", ["en", "fr", "de"])
def test_a_clean_run_conforms_and_misses_nothing(lang: str) -> None:
    report = _clean()
    assert report.conforms
    lines = executive.lines(report, lang)
    assert (lines["verdict"], lines["missing"], lines["fixes"]) == (VERDICT_OK[lang], [NOTHING[lang]], [])


ERRORED = {
    "en": ("the twin does not yet conform to the profile “Test profile”: 0 errors (requirements that MUST be met) and "
           "0 warnings (recommendations that SHOULD be followed). 4 rule results are in error, so conformance could "
           "not be established.",
           ["4 rule results in error: their checks did not run to the end, so they prove nothing (TP-101, TP-102, "
            "TP-201, …)"]),
    "fr": ("le jumeau n'est pas encore conforme au profil « Test profile » : 0 erreur (exigences qui DOIVENT être "
           "satisfaites) et 0 avertissement (recommandations qui DEVRAIENT être suivies). 4 résultats de règles sont "
           "en erreur : la conformité n'a pas pu être établie.",
           ["4 résultats de règles en erreur : leurs vérifications n'ont pas abouti, ils ne prouvent rien (TP-101, "
            "TP-102, TP-201, …)"]),
    "de": ("Der Zwilling entspricht dem Profil „Test profile“ noch nicht: 0 Fehler (Anforderungen, die erfüllt "
           "werden MÜSSEN) und 0 Warnungen (Empfehlungen, die befolgt werden SOLLTEN). 4 Regelergebnisse sind "
           "fehlerhaft, daher konnte die Konformität nicht festgestellt werden.",
           ["4 Regelergebnisse mit Fehler: Die Prüfungen liefen nicht zu Ende und beweisen nichts (TP-101, TP-102, "
            "TP-201, …)"]),
}


@pytest.mark.parametrize("lang", ["en", "fr", "de"])
def test_rule_results_in_error_are_named_in_the_verdict_and_first_among_what_was_not_assessed(lang: str) -> None:
    """A crashed check fails the run with no finding: '0 errors and 0 warnings' alone would read as a clean twin."""
    clean = _clean()
    crashed = (Result(rule_id, API, Status.ERROR, reason="HTTP 500") for rule_id in
               ("TP-301", "TP-101", "TP-201", "TP-102"))
    report = replace(clean, results=(*clean.results, *crashed))
    assert not report.conforms
    lines = executive.lines(report, lang)
    assert (lines["verdict"], lines["missing"]) == ERRORED[lang]


def test_one_rule_in_error_twice_is_counted_per_result_and_named_once() -> None:
    clean = _clean()
    report = replace(clean, results=(*clean.results, Result("TP-401", API, Status.ERROR, reason="HTTP 500"),
                                     Result("TP-401", CAT, Status.ERROR, reason="timeout")))
    lines = executive.lines(report)
    assert lines["verdict"].endswith("(recommendations that SHOULD be followed). 2 rule results are in error, so "
                                     "conformance could not be established.")
    assert lines["missing"] == ["2 rule results in error: their checks did not run to the end, so they prove nothing "
                                "(TP-401)"]
    one = replace(clean, results=(*clean.results, Result("TP-401", API, Status.ERROR, reason="HTTP 500")))
    assert executive.lines(one)["missing"] == ["1 rule result in error: its check did not run to the end, so it "
                                               "proves nothing (TP-401)"]


def test_a_run_that_fails_on_findings_and_has_no_error_says_nothing_of_errors() -> None:
    report = replace(factory.report(), results=tuple(r for r in factory.report().results
                                                     if r.status is not Status.ERROR))
    lines = executive.lines(report)
    assert lines["verdict"] == ("the twin does not yet conform to the profile “Test profile”: 3 errors (requirements "
                                "that MUST be met) and 1 warning (recommendations that SHOULD be followed).")
    assert lines["missing"] == ["2 of 6 MIM capabilities: this run had no input that could assess them (the MIM "
                                "section says which input would)",
                                "1 rule result not verified (1 not-applicable)"]


LIMITED = {
    "en": ["2 passes with limits: each rule held on what it tested and names what it did not (TP-101, TP-201)"],
    "fr": ["2 réussites avec limites : chaque règle est réussie sur ce qu'elle a vérifié et dit ce qu'elle n'a pas "
           "vérifié (TP-101, TP-201)"],
    "de": ["2 Bestanden mit Einschränkungen: Jede Regel ist für das Geprüfte bestanden und nennt, was nicht geprüft "
           "wurde (TP-101, TP-201)"],
}


@pytest.mark.parametrize("lang", ["en", "fr", "de"])
def test_passes_with_limits_are_not_nothing(lang: str) -> None:
    clean = _clean()
    results = tuple(replace(r, reason="not tested: 3 datasets past the cap") if r.rule in ("TP-201", "TP-101")
                    and r.status is Status.PASS else r for r in clean.results)
    assert sum(1 for r in results if r.status is Status.PASS and r.reason) == 2
    report = replace(clean, results=results)
    lines = executive.lines(report, lang)
    assert (lines["verdict"], lines["missing"]) == (VERDICT_OK[lang], LIMITED[lang])
    one = replace(clean, results=tuple(replace(r, reason="not tested: x") if r.rule == "TP-101" else r
                                       for r in clean.results))
    assert executive.lines(one)["missing"] == ["1 pass with limits: the rule held on what it tested and names what it "
                                               "did not (TP-101)"]


def _capabilities(report: Report, states: dict[str, str]) -> Report:
    mims: list[dict[str, Any]] = [{**m, "capabilities": [{**c, "state": states.get(c["id"], c["state"])}
                                                         for c in m["capabilities"]]} for m in report.mims]
    return replace(report, mims=tuple(mims))


def test_declared_capabilities_are_named_as_not_machine_verified() -> None:
    report = _capabilities(_clean(), {"mim1.typed": "declared", "mim0.retrievable": "declared"})
    assert executive.lines(report)["missing"] == [
        "2 MIM capabilities rest on declared documents only, not machine-verified (mim0.retrievable, mim1.typed)"]
    assert executive.lines(report, "de")["missing"] == [
        "2 MIM-Fähigkeiten stützen sich nur auf erklärte Dokumente, nicht maschinell geprüft (mim0.retrievable, "
        "mim1.typed)"]
    report = _capabilities(_clean(), {"mim1.typed": "declared", "mim7.geo-service": "not-assessed"})
    assert executive.lines(report, "fr")["missing"] == [
        "1 capacité MIM sur 6 : cette exécution n'avait aucune entrée permettant de l'évaluer (la section MIM "
        "indique laquelle le permettrait)",
        "1 capacité MIM repose seulement sur des documents déclarés, non vérifiés automatiquement (mim1.typed)"]


def test_a_run_without_mim_levels_says_so_among_what_was_not_assessed() -> None:
    report = replace(_clean(), mims=())
    lines = executive.lines(report)
    assert lines["mims"] == "MIM levels were not assessed in this run."
    assert lines["missing"] == ["MIM levels were not assessed in this run."]


def test_every_gap_at_once_in_its_order() -> None:
    clean = _clean()
    results = (*(replace(r, reason="not tested: y") if r.rule == "TP-201" else r for r in clean.results),
               Result("TP-401", API, Status.ERROR, reason="HTTP 500"),
               Result("TP-102", API, Status.SKIP, reason="no catalogue", why=factory.Why.NOT_APPLICABLE))
    report = _capabilities(replace(clean, results=results), {"mim1.typed": "not-assessed",
                                                             "mim2.open-format": "declared"})
    assert executive.lines(report)["missing"] == [
        "1 rule result in error: its check did not run to the end, so it proves nothing (TP-401)",
        "1 of 6 MIM capabilities: this run had no input that could assess them (the MIM section says which input "
        "would)",
        "1 MIM capability rests on declared documents only, not machine-verified (mim2.open-format)",
        "1 rule result not verified (1 not-applicable)",
        "1 pass with limits: the rule held on what it tested and names what it did not (TP-201)",
    ]


@pytest.mark.parametrize("lang, first", [
    ("en", "Fix: a dataset has a title. (TP-101: 2 findings)"),
    ("fr", "Corriger : A dataset has a title (TP-101 : 2 constats)"),
])
def test_a_fix_from_findings_carries_the_rule_s_words_in_english_too(lang: str, first: str) -> None:
    """Without a quality score, the fixes are the rules with most findings; in English their text was empty."""
    fixes = executive.lines(factory.report(), lang)["fixes"]
    assert fixes[0] == first
    assert all(not f.startswith(" (") for f in fixes)


def test_three_ids_are_all_named_and_a_fourth_is_an_ellipsis() -> None:
    clean = _clean()
    three = (Result(rule_id, API, Status.ERROR, reason="HTTP 500") for rule_id in ("TP-201", "TP-101", "TP-102"))
    assert executive.lines(replace(clean, results=(*clean.results, *three)))["missing"] == [
        "3 rule results in error: their checks did not run to the end, so they prove nothing (TP-101, TP-102, TP-201)"]


def _quality(*fixes: dict[str, Any], max_points: int = 405) -> dict[str, Any]:
    return {"catalogues": [{"target": CAT, "datasets": 4, "score": 300.0, "max": max_points, "scaled": 300.0,
                            "band": "good", "metrics": [], "fixes": list(fixes)}]}


def _fix(fix_id: str, points: float, findings: int, datasets: int) -> dict[str, Any]:
    return {"kind": "metric", "id": fix_id, "title": fix_id, "fix": f"Do {fix_id}.", "points": points,
            "findings": findings, "datasets": datasets}


def test_the_score_line_says_scaled_only_when_some_points_could_not_be_assessed() -> None:
    full = replace(_clean(), quality=_quality())
    assert executive.lines(full)["score"] == [
        "300 of 405 points on the scale of the European data portal (MQA), rated “good”, over 4 datasets "
        "(catalogues/city.ttl)."]
    scaled = replace(_clean(), quality=_quality(max_points=325))
    assert executive.lines(scaled)["score"] == [
        "300 of 405 points on the scale of the European data portal (MQA), rated “good”, over 4 datasets "
        "(catalogues/city.ttl); computed on the 325 points that could be assessed, scaled to 405."]


def test_fixes_rank_by_points_then_findings_then_datasets_then_id() -> None:
    report = replace(_clean(), quality=_quality(_fix("b-few", 5, 2, 1), _fix("a-many", 5, 2, 3),
                                                _fix("c-top", 20, 0, 1), _fix("d-tie", 5, 2, 3)))
    assert executive.lines(report)["fixes"] == ["Do c-top. (c-top: +20 points, 1 dataset)",
                                                "Do a-many. (a-many: +5 points, 3 datasets)",
                                                "Do d-tie. (d-tie: +5 points, 3 datasets)"]


def test_a_mim_without_capabilities_counts_none() -> None:
    mims = ({"key": "accessing-data", "label": "MIM0", "title": "Accessing data", "level": "not-assessed",
             "note": ""},)
    assert executive.lines(replace(_clean(), mims=mims))["missing"] == [NOTHING["en"]]


def test_the_html_section_is_english_by_default_and_closed() -> None:
    report = factory.report()
    html = executive.html(report)
    assert html == executive.html(report, "en")
    assert html.startswith('<section id="executive-summary"><h2>Executive summary</h2><p><strong>Verdict: </strong>')
    assert html.endswith("<li>1 rule result not verified (1 not-applicable)</li></ul></section>")
    assert 'class="muted"' not in html


def test_the_html_section_says_once_that_rule_texts_are_in_english() -> None:
    """A rule without a German title or message is shown in English; the summary says so, where the report begins."""
    report = factory.report()
    html = executive.html(report, "de")
    note = ('<p class="muted">Regeltitel und -meldungen werden auf Englisch angezeigt: Für die Regeln liegt noch '
            'keine deutsche Übersetzung vor.</p>')
    assert html.endswith(note + "</section>") and html.count('class="muted"') == 1


def test_the_html_section_exactly_with_two_catalogues_one_without_datasets() -> None:
    quality = _quality()
    empty = {"target": "catalogues/empty.ttl", "datasets": 0, "score": 0, "max": 405, "scaled": 0, "band": "bad",
             "metrics": [], "fixes": []}
    report = replace(factory.report(), quality={"catalogues": [empty, *quality["catalogues"]]})
    assert executive.html(report) == (
        '<section id="executive-summary"><h2>Executive summary</h2><p><strong>Verdict: </strong>the twin does not '
        "yet conform to the profile “Test profile”: 3 errors (requirements that MUST be met) and 1 warning "
        "(recommendations that SHOULD be followed). 1 rule result is in error, so conformance could not be "
        "established.</p>"
        "<p><strong>Metadata quality: </strong>not assessed: catalogues/empty.ttl lists no dataset.</p>"
        "<p><strong>Metadata quality: </strong>300 of 405 points on the scale of the European data portal (MQA), "
        "rated “good”, over 4 datasets (catalogues/city.ttl).</p>"
        "<p><strong>MIM levels: </strong>full: MIM0 Accessing data; partial: MIM2 Représentation des données; "
        "initial: MIM1 Interlinking data; not assessed: MIM7 Geospatial data</p>"
        "<p><strong>The three most important fixes:</strong></p><ol><li>Fix: a dataset has a title. (TP-101: 2 "
        "findings)</li><li>Fix: a distribution has an access url. (TP-201: 1 finding)</li><li>Fix: a dataset has a "
        "theme. (TP-301: 1 finding)</li></ol>"
        "<p><strong>Not assessed, and why:</strong></p><ul><li>1 rule result in error: its check did not run to the "
        "end, so it proves nothing (TP-401)</li><li>2 of 6 MIM capabilities: this run had no input that could "
        "assess them (the MIM section says which input would)</li><li>1 rule result not verified (1 "
        "not-applicable)</li></ul></section>")
    assert "<ol>" not in executive.html(replace(_clean(), quality={}))


def test_fixes_from_findings_rank_by_severity_then_count_then_rule_id() -> None:
    from ldt_conform.model import Finding

    def finding(rule_id: str, severity: Severity, focus: str, target: str = CAT) -> Finding:
        return Finding(rule_id, severity, target, focus, "m")

    # TP-201 and TP-102 (one error each) tie on count; in report order (target first) TP-201 comes before TP-102
    findings = (finding("TP-301", Severity.WARNING, "http://a"), finding("TP-301", Severity.WARNING, "http://b"),
                finding("TP-201", Severity.ERROR, "http://c", "a-first.ttl"), finding("TP-102", Severity.ERROR, "http://d"),
                finding("TP-101", Severity.WARNING, "http://e"))
    report = replace(_clean(), findings=tuple(sorted(findings, key=Finding.sort_key)))
    assert [f.split(" (")[1] for f in executive.lines(report)["fixes"]] == [
        "TP-102: 1 finding)", "TP-201: 1 finding)", "TP-301: 2 findings)"]
