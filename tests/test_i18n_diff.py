"""`ldt-conform diff --lang` and the rule cases of `ldt-conform rules PROFILE ID --lang`: every fixed word in the
reader's language, numbers and counted nouns as CLDR writes them, and no English label left in French or German."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, run_cli
from test_i18n import DATA_PATTERNS, _words, english_vocabulary, vocabulary

from ldt_conform import baseline, cases, profile
from ldt_conform.render import i18n, labels

EDP = ("mqa/edp-vocabularies/edp-non-proprietary-format.rdf", "mqa/edp-vocabularies/edp-machine-readable-format.rdf")
STANDARD = "https://smart-data-models.github.io/dataModel.Parking/OffStreetParking/schema.json"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


@pytest.fixture(scope="module")
def twin_runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example twin checked twice, with a change between the runs: LDT-103 fixed (the parking distribution names
    its data model), a contact point dropped (DCATAP-410 and LDT-107 new), the personal-data evidence withdrawn (MIM4
    down), and the EDP format lookups available to the second run only (the assessed points differ, quality.change's
    note). Nothing else is seeded and each run has its own empty cache, so the reports are the same on every machine
    that has the corpus: the SDM schemas are "not verifiable offline" in both runs (unchanged findings)."""
    from corpus import path as corpus_path

    root = tmp_path_factory.mktemp("diff")
    twin = root / "twin"
    shutil.copytree(EXAMPLES / "twin", twin)
    empty, edp = root / "seed-none", root / "seed-edp"
    empty.mkdir()
    edp.mkdir()
    for name in EDP:
        shutil.copyfile(corpus_path(*name.split("/")), edp / Path(name).name)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(twin)
        mp.setenv("LDT_CONFORM_SEED", str(empty))
        mp.setenv("LDT_CONFORM_CACHE", str(root / "cache-old"))
        run_cli(["check", "--offline", "-q", "--report", f"json={root / 'old.json'}"], expect=1)
        catalogue = twin / "catalogue.ttl"
        stable = ("    dcatap:availability <http://publications.europa.eu/resource/authority/planned-availability/STABLE>"
                  " .")
        _edit(catalogue, f"    dct:format ft:JSON_LD ;\n    dct:license lic:CC_BY_4_0 ;\n{stable}\n\nds:buildings",
              f"    dct:format ft:JSON_LD ;\n    dct:conformsTo <{STANDARD}> ;\n    dct:license lic:CC_BY_4_0 ;\n"
              f"{stable}\n\nds:buildings")
        _edit(catalogue, "# ------------------------------------------------------------------ data services",
              f"<{STANDARD}> a dct:Standard .\n\n# ---------------------------------------------------------------"
              "--- data services")
        _edit(catalogue, '    dcat:keyword "weather"@en ;\n    dcat:theme theme:ENVI ;\n    dct:publisher rt:city ;\n'
                         "    dcat:contactPoint rt:open-data-team ;\n",
              '    dcat:keyword "weather"@en ;\n    dcat:theme theme:ENVI ;\n    dct:publisher rt:city ;\n')
        manifest = twin / "ldt-conform.toml"
        text = manifest.read_text("utf-8")
        manifest.write_text(text[:text.index('[twin.evidence."personal-data"]')], "utf-8")
        mp.setenv("LDT_CONFORM_SEED", str(edp))
        mp.setenv("LDT_CONFORM_CACHE", str(root / "cache-new"))
        run_cli(["check", "--offline", "-q", "--report", f"json={root / 'new.json'}"], expect=1)
    return root


def _diff(root: Path, lang: str | None, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(root)
    return run_cli(["diff", "old.json", "new.json", *(["--lang", lang] if lang else [])]).stdout.splitlines()


CONTACT = "https://data.riverton.example/dataset/weather  http://www.w3.org/ns/dcat#contactPoint"
PARKING = "https://data.riverton.example/distribution/parking-ngsi-ld  http://purl.org/dc/terms/conformsTo"
# Each language's text of the same diff, every line; {when} stands for a run's timestamp, {twin} for the findings'
# target (the twin's folder; the score's target is made relative, as in fingerprints). The messages of profile rules
# are data: what the run wrote, in the run's language (English here).
EXPECTED = {
    "en": [
        "old: old.json  (twin-riverton-local-digital-twin 0, {when})",
        "new: new.json  (twin-riverton-local-digital-twin 0, {when})",
        "findings: 1 fixed, 2 new, 7 unchanged",
        "quality score (scaled to 405): twin/catalogue.ttl: 341.05 (good) → 344.77 (good), +3.72",
        "  note: the assessed points differ (e.g. --check-links or an artefact in one run only): compare the scaled "
        "scores with care",
        "MIM levels:",
        "  MIM4  Personal data: initial → not assessed (down)",
        "New:",
        f"  warning DCATAP-410   {{twin}}/catalogue.ttl  {CONTACT}",
        "      Add a contact point (dcat:contactPoint) to dataset https://data.riverton.example/dataset/weather if the "
        "information is available.",
        f"  error   LDT-107      {{twin}}/catalogue.ttl  {CONTACT}",
        "      Give https://data.riverton.example/dataset/weather a dcat:contactPoint with vcard:hasEmail (mailto:…) "
        "or vcard:hasURL.",
        "Fixed:",
        f"  error   LDT-103      {{twin}}/catalogue.ttl  {PARKING}",
        "      Say which data model the distribution https://data.riverton.example/distribution/parking-ngsi-ld "
        "follows: add dct:conformsTo with the model's IRI (e.g. its Smart Data Models schema).",
    ],
    "fr": [
        "avant : old.json  (twin-riverton-local-digital-twin 0, {when})",
        "après : new.json  (twin-riverton-local-digital-twin 0, {when})",
        "constats : 1 corrigé, 2 nouveaux, 7 inchangés",
        "score de qualité (ramené à 405) : twin/catalogue.ttl : 341,05 (bon) → 344,77 (bon), +3,72",
        "  remarque : les points évalués diffèrent (p. ex. --check-links ou un artefact dans une seule des deux "
        "exécutions) : comparez les scores ramenés à 405 avec prudence",
        "Niveaux MIM :",
        "  MIM4  Données personnelles : initial → non évalué (en baisse)",
        "Nouveaux constats :",
        f"  avertissement DCATAP-410   {{twin}}/catalogue.ttl  {CONTACT}",
        "      Add a contact point (dcat:contactPoint) to dataset https://data.riverton.example/dataset/weather if the "
        "information is available.",
        f"  erreur        LDT-107      {{twin}}/catalogue.ttl  {CONTACT}",
        "      Give https://data.riverton.example/dataset/weather a dcat:contactPoint with vcard:hasEmail (mailto:…) "
        "or vcard:hasURL.",
        "Constats corrigés :",
        f"  erreur        LDT-103      {{twin}}/catalogue.ttl  {PARKING}",
        "      Say which data model the distribution https://data.riverton.example/distribution/parking-ngsi-ld "
        "follows: add dct:conformsTo with the model's IRI (e.g. its Smart Data Models schema).",
    ],
    "de": [
        "vorher: old.json  (twin-riverton-local-digital-twin 0, {when})",
        "nachher: new.json  (twin-riverton-local-digital-twin 0, {when})",
        "Befunde: 1 behoben, 2 neu, 7 unverändert",
        "Qualitätswert (auf 405 umgerechnet): twin/catalogue.ttl: 341,05 (gut) → 344,77 (gut), +3,72",
        "  Anmerkung: die bewerteten Punkte unterscheiden sich (z. B. --check-links oder ein Artefakt nur in einem der "
        "beiden Läufe): Vergleichen Sie die umgerechneten Werte mit Vorsicht",
        "MIM-Stufen:",
        "  MIM4  Personenbezogene Daten: ansatzweise → nicht bewertet (gesunken)",
        "Neue Befunde:",
        f"  Warnung DCATAP-410   {{twin}}/catalogue.ttl  {CONTACT}",
        "      Add a contact point (dcat:contactPoint) to dataset https://data.riverton.example/dataset/weather if the "
        "information is available.",
        f"  Fehler  LDT-107      {{twin}}/catalogue.ttl  {CONTACT}",
        "      Give https://data.riverton.example/dataset/weather a dcat:contactPoint with vcard:hasEmail (mailto:…) "
        "or vcard:hasURL.",
        "Behobene Befunde:",
        f"  Fehler  LDT-103      {{twin}}/catalogue.ttl  {PARKING}",
        "      Say which data model the distribution https://data.riverton.example/distribution/parking-ngsi-ld "
        "follows: add dct:conformsTo with the model's IRI (e.g. its Smart Data Models schema).",
    ],
}


def _expected(lang: str, root: Path) -> list[str]:
    old, new = (json.loads((root / name).read_text("utf-8"))["finished_at"] for name in ("old.json", "new.json"))
    lines = [line.replace("{twin}", str(root / "twin")) for line in EXPECTED[lang]]
    return [lines[0].replace("{when}", old), lines[1].replace("{when}", new), *lines[2:]]


@pytest.mark.corpus
@pytest.mark.parametrize("lang", ["en", "fr", "de"])
def test_diff_text_in_each_language(twin_runs: Path, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _diff(twin_runs, lang, monkeypatch) == _expected(lang, twin_runs)


@pytest.mark.corpus
def test_diff_defaults_to_english_and_json_is_language_neutral(twin_runs: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    assert _diff(twin_runs, None, monkeypatch) == _expected("en", twin_runs)
    outputs = {lang: run_cli(["diff", "old.json", "new.json", "--format", "json", "--lang", lang]).stdout
               for lang in labels.LANGUAGES}
    assert outputs["fr"] == outputs["de"] == outputs["en"]
    result = json.loads(outputs["fr"])
    assert result["summary"] == {"fixed": 1, "new": 2, "unchanged": 7, "mims_up": 0, "mims_down": 1}
    assert [(m["label"], m["old"], m["new"], m["change"]) for m in result["mims"] if m["change"] != "same"] == [
        ("MIM4", "initial", "not-assessed", "down")]
    [row] = result["quality"]
    assert (row["old"]["scaled"], row["new"]["scaled"], row["change"]) == (341.05, 344.77, 3.72)
    assert row["note"].startswith("the assessed points differ")


# --- every branch of the text on a diff made by hand: profiles differ, the verdict changes, lists are cut -------

def _synthetic(tmp_path: Path) -> dict[str, Any]:
    def report(profile_id: str, conforms: bool, findings: list[dict[str, str]], mims: list[dict[str, str]],
               quality: dict[str, Any]) -> dict[str, Any]:
        return {"format": "ldt-conform/report@1", "profile": {"id": profile_id, "version": "1"},
                "finished_at": "t", "summary": {"conforms": conforms}, "findings": findings, "mims": mims,
                "quality": {"catalogues": [quality]}}

    def finding(focus: str, severity: str = "warning") -> dict[str, str]:
        return {"rule": "R-1", "severity": severity, "target": "c.ttl", "focus": focus, "message": "m"}

    tool = {"rule": "LC-004", "severity": "info", "target": "c.ttl", "focus": "https://e/s.json",
            "message": "Not verifiable offline: https://e/c.yaml (the OGC schema collections.yaml)"}
    mim = {"key": "accessing-data", "label": "MIM0", "title": "Accessing data"}
    old = report("p", False, [finding("http://e/a", "error"), tool], [{**mim, "level": "partial"}],
                 {"target": "c.ttl", "scaled": 1234.5, "band": "good", "max": 405})
    new = report("q", True, [finding(f"http://e/{n}") for n in range(4)], [{**mim, "level": "full"}],
                 {"target": "c.ttl", "band": "bad", "max": 405})
    (tmp_path / "old.json").write_text(json.dumps(old), "utf-8")
    (tmp_path / "new.json").write_text(json.dumps(new), "utf-8")
    return baseline.diff(tmp_path / "old.json", tmp_path / "new.json")


SYNTHETIC = {
    "en": ["note: the two reports use different profiles (p → q)",
           "verdict: DOES NOT CONFORM → CONFORMS",
           "findings: 2 fixed, 4 new, 0 unchanged",
           "quality score (scaled to 405): c.ttl: 1234.5 (good) → no score",
           "MIM levels:",
           "  MIM0  Accessing data: partial → full (up)",
           "New:",
           "  warning R-1          c.ttl  http://e/0",
           "      m",
           "  warning R-1          c.ttl  http://e/1",
           "      m",
           "  … 2 more findings (use --format json for the full list)",
           "Fixed:",
           "  error   R-1          c.ttl  http://e/a",
           "      m",
           "  info    LC-004       c.ttl  https://e/s.json",
           "      Not verifiable offline: https://e/c.yaml (the OGC schema collections.yaml)"],
    "fr": ["remarque : les deux rapports utilisent des profils différents (p → q)",
           "verdict : NON CONFORME → CONFORME",
           "constats : 2 corrigés, 4 nouveaux, 0 inchangé",
           "score de qualité (ramené à 405) : c.ttl : 1\u202f234,5 (bon) → pas de score",
           "Niveaux MIM :",
           "  MIM0  Accès aux données : partiel → complet (en hausse)",
           "Nouveaux constats :",
           "  avertissement R-1          c.ttl  http://e/0",
           "      m",
           "  avertissement R-1          c.ttl  http://e/1",
           "      m",
           "  … et 2 autres constats (la liste complète avec --format json)",
           "Constats corrigés :",
           "  erreur        R-1          c.ttl  http://e/a",
           "      m",
           "  information   LC-004       c.ttl  https://e/s.json",
           "      Non vérifiable hors ligne : https://e/c.yaml (le schéma OGC collections.yaml)"],
    "de": ["Anmerkung: Die beiden Berichte verwenden unterschiedliche Profile (p → q)",
           "Ergebnis: NICHT KONFORM → KONFORM",
           "Befunde: 2 behoben, 4 neu, 0 unverändert",
           "Qualitätswert (auf 405 umgerechnet): c.ttl: 1.234,5 (gut) → kein Wert",
           "MIM-Stufen:",
           "  MIM0  Datenzugang: teilweise → vollständig (gestiegen)",
           "Neue Befunde:",
           "  Warnung R-1          c.ttl  http://e/0",
           "      m",
           "  Warnung R-1          c.ttl  http://e/1",
           "      m",
           "  … 2 weitere Befunde (die vollständige Liste mit --format json)",
           "Behobene Befunde:",
           "  Fehler  R-1          c.ttl  http://e/a",
           "      m",
           "  Hinweis LC-004       c.ttl  https://e/s.json",
           "      Offline nicht prüfbar: https://e/c.yaml (das OGC-Schema collections.yaml)"],
}


@pytest.mark.parametrize("lang", ["en", "fr", "de"])
def test_diff_text_branches(tmp_path: Path, lang: str) -> None:
    result = _synthetic(tmp_path)
    text = baseline.diff_text(result, limit=2, lang=lang).splitlines()
    assert text[2:] == SYNTHETIC[lang]
    # one more than the limit: the counted noun in the singular ("1 autre constat", "1 weiterer Befund")
    one_more = baseline.diff_text({**result, "new": result["new"][:3]}, limit=2, lang=lang).splitlines()
    assert one_more[13] == {"en": "  … 1 more finding (use --format json for the full list)",
                            "fr": "  … et 1 autre constat (la liste complète avec --format json)",
                            "de": "  … 1 weiterer Befund (die vollständige Liste mit --format json)"}[lang]


def test_mim_levels_unchanged_line(tmp_path: Path) -> None:
    path = tmp_path / "same.json"
    path.write_text(json.dumps({"format": "ldt-conform/report@1", "profile": {"id": "p", "version": "1"},
                                "findings": [], "mims": [{"key": "accessing-data", "label": "MIM0",
                                                          "title": "Accessing data", "level": "full"}]}), "utf-8")
    result = baseline.diff(path, path)
    assert [baseline.diff_text(result, lang=lang).splitlines()[2:] for lang in labels.LANGUAGES] == [
        ["findings: 0 fixed, 0 new, 0 unchanged", "MIM levels: unchanged"],
        ["constats : 0 corrigé, 0 nouveau, 0 inchangé", "Niveaux MIM : inchangés"],
        ["Befunde: 0 behoben, 0 neu, 0 unverändert", "MIM-Stufen: unverändert"]]


# --- the rule cases of `ldt-conform rules PROFILE ID` ----------------------------------------------------------

CASES = {
    "en": ["cases (dcat-ap-3-core/cases/DCATAP-103.toml, turtle; the standard prefixes (ex: dcat: dct: ...) are "
           "prepended):",
           "pass: one-publisher",
           "fail: publisher-missing  (differs from one-publisher)",
           "  expected finding: DCATAP-103 focus=http://example.org/cat  path=http://purl.org/dc/terms/publisher  "
           "shape=dcatap3:Catalog-publisher-count"],
    "fr": ["cas de test (dcat-ap-3-core/cases/DCATAP-103.toml, turtle ; les préfixes usuels (ex: dcat: dct: ...) "
           "sont ajoutés en tête) :",
           "cas conforme : one-publisher",
           "cas non conforme : publisher-missing  (diffère de one-publisher)",
           "  constat attendu : DCATAP-103 nœud=http://example.org/cat  chemin=http://purl.org/dc/terms/publisher  "
           "forme=dcatap3:Catalog-publisher-count"],
    "de": ["Testfälle (dcat-ap-3-core/cases/DCATAP-103.toml, turtle; die Standardpräfixe (ex: dcat: dct: ...) werden "
           "vorangestellt):",
           "konformer Fall: one-publisher",
           "nicht konformer Fall: publisher-missing  (abweichend von one-publisher)",
           "  erwarteter Befund: DCATAP-103 Fokusknoten=http://example.org/cat  Pfad=http://purl.org/dc/terms/publisher"
           "  Shape=dcatap3:Catalog-publisher-count"],
}
ALSO = {
    "en": "  and also (same check in another rule): DCATAP-503 focus=http://example.org/cat  "
          "path=http://purl.org/dc/terms/language  value=_:",
    "fr": "  et aussi (même vérification dans une autre règle) : DCATAP-503 nœud=http://example.org/cat  "
          "chemin=http://purl.org/dc/terms/language  valeur=_:",
    "de": "  und außerdem (dieselbe Prüfung in einer anderen Regel): DCATAP-503 Fokusknoten=http://example.org/cat  "
          "Pfad=http://purl.org/dc/terms/language  Wert=_:",
}


@pytest.mark.parametrize("lang", ["en", "fr", "de"])
def test_rule_cases_speak_the_language(lang: str) -> None:
    detail = run_cli(["rules", "dcat-ap-3-core", "DCATAP-103", "--lang", lang]).stdout.splitlines()
    start = detail.index(CASES[lang][0])
    assert [line for line in detail[start:] if line and not line.startswith("    ")][:4] == CASES[lang]
    also = run_cli(["rules", "dcat-ap-3", "DCATAP-605", "--lang", lang]).stdout.splitlines()
    assert next(line for line in also if line.startswith(ALSO[lang][:12])) == ALSO[lang]


# --- no English label in a French or German diff or rule detail ----------------------------------------------

def _english_left(text: str, data: list[str], lang: str) -> set[str]:
    """English label words left in `text` once its data (file names, IDs, IRIs, messages, case data) is removed.

    Whitespace is collapsed on both sides first: rich wraps a long description at 200 columns and the cases' data is
    printed indented, so the data is matched as words, not as lines."""
    text = " ".join(text.split())
    for s in sorted({" ".join(s.split()) for s in data if s and len(s) > 1}, key=len, reverse=True):
        text = text.replace(s, " ")
    for pattern in DATA_PATTERNS:
        text = re.sub(pattern, " ", text)
    return (_words([text]) & english_vocabulary()) - vocabulary(lang)


def _report_data(root: Path) -> list[str]:
    out: list[str] = []
    for name in ("old.json", "new.json"):
        data = json.loads((root / name).read_text("utf-8"))
        out += [name, data["profile"]["id"], str(data["finished_at"])]
        out += [str(f.get(k) or "") for f in data["findings"] for k in ("rule", "target", "focus", "path", "value")]
        out += [f["message"] for f in data["findings"] if not f["rule"].startswith("LC-")]
    return out


def _rule_data(profile_id: str, rule_id: str, lang: str) -> list[str]:
    loaded = profile.load(profile_id)
    rule = loaded.rule(rule_id)
    out = [rule.id, rule.name, rule.kind, rule.profile, *rule.mims, *rule.aliases, *(r.id for r in rule.refs),
           *(r.url or "" for r in rule.refs), *(rule.text(k, lang) for k in ("title", "description", "message"))]
    found = cases.for_rule(rule, loaded.prefixes)
    assert found is not None
    out += [found.syntax, found.rule]
    for case in found.cases:
        out += [case.name, case.like or "", case.data]
        for f in (*case.findings, *case.also):
            out += [f.focus, f.path or "", f.value or "", getattr(f, "shape_text", None) or "",
                    getattr(f, "rule", "")]
    return out


RULES_SHOWN = [("dcat-ap-3-core", "DCATAP-103"), ("dcat-ap-3", "DCATAP-605"), ("ldt4ssc", "LDT-203")]


@pytest.mark.corpus
@pytest.mark.parametrize("lang", ["fr", "de"])
def test_diff_carries_no_english_label(twin_runs: Path, lang: str, monkeypatch: pytest.MonkeyPatch,
                                       tmp_path: Path) -> None:
    screen = "\n".join(_diff(twin_runs, lang, monkeypatch))
    assert _english_left(screen, _report_data(twin_runs), lang) == set()
    synthetic = baseline.diff_text(_synthetic(tmp_path), limit=2, lang=lang)
    assert _english_left(synthetic, ["R-1", "LC-004", "c.ttl", "old.json", "new.json", str(tmp_path)], lang) == set()


@pytest.mark.parametrize("lang", ["fr", "de"])
@pytest.mark.parametrize(("profile_id", "rule_id"), RULES_SHOWN)
def test_rule_detail_carries_no_english_label(profile_id: str, rule_id: str, lang: str) -> None:
    detail = run_cli(["rules", profile_id, rule_id, "--lang", lang]).stdout
    assert _english_left(detail, _rule_data(profile_id, rule_id, lang), lang) == set()


def test_the_checks_find_english_labels(tmp_path: Path) -> None:
    """The checks themselves can fail: the English diff and rule detail, seen as French, are full of English."""
    leaked = _english_left(baseline.diff_text(_synthetic(tmp_path), limit=2, lang="en"),
                           ["R-1", "LC-004", "c.ttl", str(tmp_path)], "fr")
    assert {"findings", "fixed", "unchanged", "new", "quality", "levels", "more", "note", "scaled"} <= leaked
    detail = run_cli(["rules", "dcat-ap-3-core", "DCATAP-103"]).stdout
    assert {"cases", "expected", "finding", "prefixes", "prepended", "differs", "pass"} <= _english_left(
        detail, _rule_data("dcat-ap-3-core", "DCATAP-103", "en"), "fr")


# The one label written alike: German says "Shape" for a SHACL shape, as its tool messages do.
SAME_WORD = {("de", "case_shape")}


def test_every_diff_and_case_label_is_translated() -> None:
    """Every label of the diff and the rule cases exists in each language and is not the English text: the leak
    checks above see a language's own table as that language, so an English text put in it would pass them."""
    english = {k: v for k, v in labels.LABELS["en"].items() if k.startswith(("diff_", "case_"))}
    for lang in labels.LANGUAGES[1:]:
        assert {k for k in labels.LABELS[lang] if k.startswith(("diff_", "case_"))} == set(english), lang
        assert {k for k in labels.LABELS[lang] if k in english and labels.LABELS[lang][k].lower() == english[k].lower()
                and (lang, k) not in SAME_WORD} == set(), lang
        counted = {k: v for k, v in labels.COUNTS[lang].items() if k.startswith("diff_")}
        assert set(counted) == {"diff_fixed", "diff_unchanged", "diff_more"}, lang
        assert [k for k, forms in counted.items() if set(forms.values()) & set(labels.COUNTS["en"][k].values())] == []
    for key in ("points_differ",):  # quality.change's note, in i18n.toml with the other quality.py phrases
        assert {lang: bool(i18n.phrase(key, lang)) for lang in labels.LANGUAGES[1:]} == {"fr": True, "de": True}
