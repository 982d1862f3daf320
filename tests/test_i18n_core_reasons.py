"""The result reasons written outside checks/api in French and German: the engine's (a rule not run, not selected, a
pass an artefact or --lenient left unverified), the catalogue and payload checks', paging's and Dask's, every sentence
exactly; a reason added to those modules without a pattern fails here; and a real run's report shows the translation
where it showed the English.

The English is the report's contract (the JSON report keeps it); render/i18n_results.py matches it (_CORE,
_CORE_PARTS) and rebuilds it from [fr.result_reasons] / [de.result_reasons] in ldt_conform/i18n.toml. IDs, URLs,
CURIEs, entity ids and what a library or the OS said ("No such file or directory") stay as they are.
"""
from __future__ import annotations

import ast
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Iterator

import pytest

import ldt_conform
from ldt_conform import api, engine, paging, tool_ids
from ldt_conform import profile as profiles
from ldt_conform.checks import json_schema
from ldt_conform.checks import shacl_scope
from ldt_conform.render import html, i18n, i18n_results
from ldt_conform.render.junit import render as render_junit
from test_i18n import visible
from test_i18n_result_reasons import assert_templates_use_their_parts, phrases_used

DCAT, DCT = "http://www.w3.org/ns/dcat#", "http://purl.org/dc/terms/"
SCHEMA = "https://raw.githubusercontent.com/smart-data-models/dataModel.Weather/master/WeatherObserved/schema.json"

# (English as the tool writes it, French, German): one case per sentence, per plural form and per part of a list.
CASES = [
    # engine.not_run: one per noun of engine._kind_noun
    ("no RDF catalogue target was given",
     "aucun catalogue RDF n'a été fourni comme cible",
     "es wurde kein RDF-Katalog als Prüfgegenstand angegeben"),
    ("no payload target was given",
     "aucune source d'entités n'a été fournie comme cible",
     "es wurde keine Quelle von Entitätsdaten als Prüfgegenstand angegeben"),
    ("no API target was given",
     "aucune API n'a été fournie comme cible",
     "es wurde keine API als Prüfgegenstand angegeben"),
    ("not selected (--select / --ignore)",
     "non sélectionnée (--select / --ignore)",
     "nicht ausgewählt (--select / --ignore)"),
    ("disabled by the profile",
     "désactivée par le profil",
     "vom Profil deaktiviert"),
    # engine._unverified_passes
    ("not verifiable: an artefact it needs is not in the artefact store (LC-004)",
     "non vérifiable : un artefact dont elle a besoin n'est pas dans le magasin d'artefacts (LC-004)",
     "nicht prüfbar: ein Artefakt, das sie braucht, liegt nicht im Artefaktspeicher (LC-004)"),
    ("not verified: --lenient skipped 1 statement of this input (LC-006); the rule held on the rest",
     "non vérifiée : --lenient a ignoré 1 déclaration de cette entrée (LC-006) ; la règle était respectée sur le "
     "reste",
     "nicht geprüft: --lenient hat 1 Aussage dieser Eingabe übersprungen (LC-006); auf dem Rest war die Regel "
     "erfüllt"),
    ("not verified: --lenient skipped 1500 statements of this input (LC-006); the rule held on the rest",
     "non vérifiée : --lenient a ignoré 1\u202f500 déclarations de cette entrée (LC-006) ; la règle était respectée "
     "sur le reste",
     "nicht geprüft: --lenient hat 1.500 Aussagen dieser Eingabe übersprungen (LC-006); auf dem Rest war die Regel "
     "erfüllt"),
    # paging.PARTIAL_REASON
    ("not verified: the paged catalogue was read only in part (1 page; see LC-011), so this pass covers only the "
     "pages read",
     "non vérifiée : le catalogue paginé n'a été lu qu'en partie (1 page ; voir LC-011), cette réussite ne vaut donc "
     "que pour les pages lues",
     "nicht geprüft: der seitenweise Katalog wurde nur teilweise gelesen (1 Seite; siehe LC-011), daher gilt dieses "
     "Bestehen nur für die gelesenen Seiten"),
    ("not verified: the paged catalogue was read only in part (20 pages; see LC-013), so this pass covers only the "
     "pages read",
     "non vérifiée : le catalogue paginé n'a été lu qu'en partie (20 pages ; voir LC-013), cette réussite ne vaut "
     "donc que pour les pages lues",
     "nicht geprüft: der seitenweise Katalog wurde nur teilweise gelesen (20 Seiten; siehe LC-013), daher gilt "
     "dieses Bestehen nur für die gelesenen Seiten"),
    # checks/shacl.py, with each part of shacl_scope.describe
    ("no focus node in this input (needs an instance of dcat:DataService)",
     "aucun nœud focal dans cette entrée (il faudrait une instance de dcat:DataService)",
     "kein Fokusknoten in dieser Eingabe (nötig wäre eine Instanz von dcat:DataService)"),
    ("no focus node in this input (needs an instance of dcat:Dataset or a subject of dct:title or an object of "
     "<https://example.org/ns#hasPart>)",
     "aucun nœud focal dans cette entrée (il faudrait une instance de dcat:Dataset ou un sujet de dct:title ou un "
     "objet de <https://example.org/ns#hasPart>)",
     "kein Fokusknoten in dieser Eingabe (nötig wäre eine Instanz von dcat:Dataset oder ein Subjekt von dct:title "
     "oder ein Objekt von <https://example.org/ns#hasPart>)"),
    ("1 shard(s) not evaluated",
     "1 lot non évalué",
     "1 Teilstück nicht ausgewertet"),
    ("3 shard(s) not evaluated",
     "3 lots non évalués",
     "3 Teilstücke nicht ausgewertet"),
    # checks/json_schema.py
    ("not verifiable: cannot read file:///srv/models/Streetlight/schema.json",
     "non vérifiable : impossible de lire file:///srv/models/Streetlight/schema.json",
     "nicht prüfbar: file:///srv/models/Streetlight/schema.json kann nicht gelesen werden"),
    ("not verifiable: cannot read file:///srv/models/a.json, file:///srv/models/common.json",
     "non vérifiable : impossible de lire file:///srv/models/a.json, file:///srv/models/common.json",
     "nicht prüfbar: file:///srv/models/a.json, file:///srv/models/common.json können nicht gelesen werden"),
    (f"not verifiable offline: {SCHEMA}",
     f"non vérifiable hors ligne : {SCHEMA}",
     f"offline nicht prüfbar: {SCHEMA}"),
    ("no entity this rule applies to",
     "aucune entité à laquelle cette règle s'applique",
     "keine Entität, auf die diese Regel zutrifft"),
    ("not tested: 1 entity: entities/weather.json#/0 (no id)",
     "non testé : 1 entité : entities/weather.json#/0 (sans id)",
     "nicht getestet: 1 Entität: entities/weather.json#/0 (ohne id)"),
    ("not tested: 2 entities: urn:ngsi-ld:Road:1 (no type), urn:ngsi-ld:Road:2 (type Roadd: no known data model)",
     "non testé : 2 entités : urn:ngsi-ld:Road:1 (sans type), urn:ngsi-ld:Road:2 (type Roadd : aucun modèle de "
     "données connu)",
     "nicht getestet: 2 Entitäten: urn:ngsi-ld:Road:1 (ohne type), urn:ngsi-ld:Road:2 (Typ Roadd: kein bekanntes "
     "Datenmodell)"),
    ("not tested: 7 entities: urn:a (no type), urn:b (no type), urn:c (no type), urn:d (no type), urn:e (no type) "
     "and 2 more",
     "non testé : 7 entités : urn:a (sans type), urn:b (sans type), urn:c (sans type), urn:d (sans type), urn:e "
     "(sans type) et 2 autres",
     "nicht getestet: 7 Entitäten: urn:a (ohne type), urn:b (ohne type), urn:c (ohne type), urn:d (ohne type), urn:e "
     "(ohne type) und 2 weitere"),
    # a focus with ", " in it (a file name) stays one entity
    ("not tested: 1 entity: data/a, b.json#/3 (no id)",
     "non testé : 1 entité : data/a, b.json#/3 (sans id)",
     "nicht getestet: 1 Entität: data/a, b.json#/3 (ohne id)"),
    ("no entity this rule applies to; not tested: 1 entity: https://example.org/e.json#/0 (type "
     "https://uri.fiware.org/ns/data-models#Foo: no known data model)",
     "aucune entité à laquelle cette règle s'applique ; non testé : 1 entité : https://example.org/e.json#/0 (type "
     "https://uri.fiware.org/ns/data-models#Foo : aucun modèle de données connu)",
     "keine Entität, auf die diese Regel zutrifft; nicht getestet: 1 Entität: https://example.org/e.json#/0 (Typ "
     "https://uri.fiware.org/ns/data-models#Foo: kein bekanntes Datenmodell)"),
    # payloads.py: why a payload source was not read (the ERROR reason of its rules); the OS's words stay
    ("cannot read: No such file or directory",
     "lecture impossible : No such file or directory",
     "nicht lesbar: No such file or directory"),
    ("file is 70,000,000 bytes, over the 67,108,864-byte payload cap; split it (e.g. JSON Lines) or raise "
     "max_payload_bytes",
     "le fichier fait 70\u202f000\u202f000 octets, au-delà du plafond de 67\u202f108\u202f864 octets pour les "
     "entités ; découpez-le (p. ex. en JSON Lines) ou augmentez max_payload_bytes",
     "die Datei ist 70.000.000 Byte groß und überschreitet die Obergrenze von 67.108.864 Byte für Entitätsdaten; "
     "teilen Sie sie auf (z. B. in JSON Lines) oder erhöhen Sie max_payload_bytes"),
    ("the credentials variable RIVERTON_BROKER_TOKEN is not set in the environment",
     "la variable d'identifiants RIVERTON_BROKER_TOKEN n'est pas définie dans l'environnement",
     "die Variable für Zugangsdaten RIVERTON_BROKER_TOKEN ist in der Umgebung nicht gesetzt"),
    # dask_inputs._lost: the frame is ours, what Dask or the check said stays
    ("the input's Dask task exceeded its time budget: SHACL validation took more than 600 s",
     "la tâche Dask de cette entrée a dépassé son budget de temps : SHACL validation took more than 600 s",
     "die Dask-Aufgabe dieser Eingabe hat ihr Zeitbudget überschritten: SHACL validation took more than 600 s"),
    ("the input's Dask task crashed: MemoryError",
     "la tâche Dask de cette entrée a planté : MemoryError",
     "die Dask-Aufgabe dieser Eingabe ist abgestürzt: MemoryError"),
    ("the input's Dask task lost: KilledWorker: ('run_input-3f2a', <WorkerState 'tcp://10.0.0.7:40211'>)",
     "la tâche Dask de cette entrée a été perdue : KilledWorker: ('run_input-3f2a', <WorkerState "
     "'tcp://10.0.0.7:40211'>)",
     "die Dask-Aufgabe dieser Eingabe ging verloren: KilledWorker: ('run_input-3f2a', <WorkerState "
     "'tcp://10.0.0.7:40211'>)"),
    ("the input's Dask task gave no report",
     "la tâche Dask de cette entrée n'a rendu aucun rapport",
     "die Dask-Aufgabe dieser Eingabe hat keinen Bericht geliefert"),
]


@pytest.mark.parametrize(("english", "fr", "de"), CASES)
def test_a_core_reason_in_french_and_german(english: str, fr: str, de: str) -> None:
    assert i18n.reason(english, "fr") == fr
    assert i18n.reason(english, "de") == de
    assert i18n.reason(english, "en") == english


@pytest.mark.parametrize("english", [
    # a model without a schema URL or file: "no schema for X" is not a URL, so no French frame around English
    "not verifiable offline: no schema for WeatherObserved",
    # an entity, or what would give a focus node, that no part knows: the whole stays English
    "not tested: 2 entities: urn:a (no type), urn:b (quarantined)",
    "no focus node in this input (needs an instance of dcat:Dataset or the node ex:a)",
    # a crash reason is the library's words (engine._run_guarded): nothing of ours to translate
    "ValueError: invalid literal for int() with base 10: 'x'",
])
def test_what_no_core_pattern_knows_stays_as_written(english: str) -> None:
    assert (i18n.reason(english, "fr"), i18n.reason(english, "de")) == (english, english)


# --- every core pattern has its case, and every template only the pattern's parts ------------------------------------

CORE_KEYS = {key for key, _ in i18n_results._CORE + i18n_results._CORE_PARTS}


def test_every_core_pattern_is_used_by_a_case(monkeypatch: pytest.MonkeyPatch) -> None:
    used = phrases_used(monkeypatch, [english for english, _, _ in CASES])
    assert used["fr"] & CORE_KEYS == used["de"] & CORE_KEYS == CORE_KEYS


def test_each_language_translates_every_core_pattern_with_the_pattern_s_parts() -> None:
    """A core key is new to the section (no live-API key of that name), and its template uses only the parts its
    pattern matched; one with plural forms has a count to choose them by."""
    assert not CORE_KEYS & {key for key, _ in i18n_results._API + i18n_results._API_PARTS}
    matched = {key: set(pattern.groupindex) for key, pattern in i18n_results._CORE + i18n_results._CORE_PARTS}
    for lang in ("fr", "de"):
        section = i18n.table()[lang]["result_reasons"]
        assert set(section) >= CORE_KEYS, lang
        assert_templates_use_their_parts(section, CORE_KEYS, matched, lang)


# --- a reason added outside checks/api without a pattern fails here --------------------------------------------------

PACKAGE = Path(ldt_conform.__file__).parent
# Every module of the package but the renderers and the live-API checks (tests/test_i18n_result_reasons.py has those).
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] != "render"
                 and p.relative_to(PACKAGE).parts[:2] != ("checks", "api"))


def _samples(node: ast.expr) -> list[str] | None:
    """The English an expression writes, each formatted field replaced by a token (both sides of a choice between
    two texts); None when it is not a string, an f-string or such a choice."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return ["".join(str(v.value) if isinstance(v, ast.Constant) else _field(v.value) for v in node.values
                        if isinstance(v, (ast.Constant, ast.FormattedValue)))]
    if isinstance(node, ast.IfExp):
        body, orelse = _samples(node.body), _samples(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def _field(expr: ast.expr) -> str:
    """A formatted field's stand-in: the plural of a singular/plural choice ("s"), else "2" (a count, an ID, a URL,
    a file name alike: every pattern takes it)."""
    if isinstance(expr, ast.BinOp) and isinstance(expr.left, ast.Constant):  # "s" * (n != 1)
        return str(expr.left.value)
    return "2"


def _notes(module: str) -> list[str]:
    """The entity parts json_schema's `note(role, "…")` calls write (what _untested lists), each field a token."""
    tree = ast.parse((PACKAGE / module).read_text("utf-8"))
    return list(dict.fromkeys(s for node in ast.walk(tree) if isinstance(node, ast.Call)
                              and isinstance(node.func, ast.Attribute) and node.func.attr == "note"
                              and len(node.args) == 2 for s in _samples(node.args[1]) or []))


def _dask_errors() -> list[str]:
    """What dask_inputs puts after "the input's Dask task": each InputOutcome(error=…), and the fallback."""
    tree = ast.parse((PACKAGE / "dask_inputs.py").read_text("utf-8"))
    found = [s for node in ast.walk(tree) if isinstance(node, ast.Call) for k in node.keywords if k.arg == "error"
             for s in _samples(k.value) or []]
    # outcome.error or "gave no report"
    found += [v.value for node in ast.walk(tree) if isinstance(node, ast.BoolOp)
              and ast.unparse(node.values[0]).endswith(".error") for v in node.values[1:]
              if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    return [f"the input's Dask task {error}" for error in dict.fromkeys(found)]


ENTITIES = _notes("checks/json_schema.py")
# Reasons the sampler cannot stand in for with tokens, each with realistic texts (made by the tool's own code
# where it has a function for them).
UNSAMPLED: dict[tuple[str, str], list[str]] = {
    # one sentence per noun of engine._kind_noun, for every check kind a profile rule can have
    ("engine.py", "f'no {_kind_noun(rule.kind)} target was given'"): [
        f"no {engine._kind_noun(kind)} target was given" for kind in profiles.CHECK_KINDS],
    # describe() joins what would give the rule a focus node: one declaration of each kind a shape can make, alone
    # and all together (a kind describe() learns to name then needs its part here)
    ("checks/shacl.py", "f'no focus node in this input (needs {describe(decls)})'"): [
        f"no focus node in this input (needs {shacl_scope.describe(frozenset(decls))})" for decls in (
            *({(kind, DCAT + "Dataset")} for _, kind in shacl_scope._KINDS if kind != "node"),
            {(kind, DCAT + "Dataset") for _, kind in shacl_scope._KINDS})],
    # the offline lead is chosen between two, then the missing URLs are joined
    ("checks/json_schema.py", "lead + ', '.join(sorted(self.offline))"): [
        "not verifiable: cannot read file:///srv/models/a.json", f"not verifiable offline: {SCHEMA}",
        f"not verifiable offline: {SCHEMA}, https://example.org/common.json"],
    # _untested lists the entities note() recorded: every kind of them, one and several
    ("checks/json_schema.py", "_untested('not tested: ', self.untested.get(role))"): [
        str(json_schema._untested("not tested: ", ENTITIES[:1])), str(json_schema._untested("not tested: ", ENTITIES)),
        str(json_schema._untested("not tested: ", ENTITIES * 3))],
    ("checks/json_schema.py", "'no entity this rule applies to' + (_untested('; not tested: ', "
                              "self.untested.get(role)) or '')"): [
        "no entity this rule applies to", "no entity this rule applies to" + str(json_schema._untested(
            "; not tested: ", ENTITIES))],
    # a format string: one page and several, after the two findings that stop a chain
    ("paging.py", "PARTIAL_REASON.format(pages=_pages(len(target.pages)), rule=rule)"): [
        paging.PARTIAL_REASON.format(pages=paging._pages(n), rule=rule)
        for n, rule in ((1, tool_ids.PAGES_UNREAD), (4, tool_ids.PAGE_REFUSED))],
    ("dask_inputs.py", "f\"the input's Dask task {error}\""): _dask_errors(),
}
# Reasons that are someone else's words, with nothing of ours around them to translate.
UNTRANSLATED = {
    # engine._run_guarded: the crashed check's exception, "ValueError: …"
    ("engine.py", "f\"{type(exc).__name__}: {(str(exc).splitlines()[0][:200] if str(exc) else '')}\""),
    # payloads.py's target.error: a safety.Refused refusal (shared with the CLI's errors) and a FetchError message
    ("payloads.py", "str(exc)"),
    ("payloads.py", "exc.message"),
}


def _reasons() -> Iterator[tuple[str, ast.expr]]:
    """(module, expression) of every reason= given to Result(…) or replace(…) outside checks/api and render/; a
    name is followed to each of its assignments in the function (a tuple assignment by position), and json_schema's
    `target.error` to every `target.error = …` of payloads.py, which sets it."""
    for path in MODULES:
        module = path.relative_to(PACKAGE).as_posix()
        tree = ast.parse(path.read_text("utf-8"))
        for function in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
            for call in (n for n in ast.walk(function) if isinstance(n, ast.Call)):
                name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")
                for keyword in call.keywords:
                    if keyword.arg == "reason" and name in ("Result", "replace"):
                        yield from _followed(module, keyword.value, function)


def _followed(module: str, value: ast.expr, function: ast.AST) -> Iterator[tuple[str, ast.expr]]:
    if isinstance(value, ast.Name):
        for node in ast.walk(function):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    for name, assigned in _pairs(target, node.value):
                        if name == value.id:
                            yield from _followed(module, assigned, function)
    elif ast.unparse(value) == "target.error" and module == "checks/json_schema.py":
        tree = ast.parse((PACKAGE / "payloads.py").read_text("utf-8"))
        yield from (("payloads.py", node.value) for node in ast.walk(tree) if isinstance(node, ast.Assign)
                    and [ast.unparse(t) for t in node.targets] == ["target.error"])
    elif not (isinstance(value, ast.Constant) and value.value is None):
        yield module, value


def _pairs(target: ast.expr, value: ast.expr) -> list[tuple[str, ast.expr]]:
    """(name, value) of an assignment: `reason = …`, or `status, reason = …, …` by position."""
    if isinstance(target, ast.Name):
        return [(target.id, value)]
    if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple):
        return [(t.id, v) for t, v in zip(target.elts, value.elts) if isinstance(t, ast.Name)]
    return []


def test_every_reason_written_outside_the_api_checks_is_translated() -> None:
    found = list(_reasons())
    # the walk found the modules that write reasons (and, through json_schema's target.error, payloads.py)
    assert {m for m, _ in found} == {"engine.py", "checks/shacl.py", "checks/json_schema.py", "paging.py",
                                     "dask_inputs.py", "payloads.py"}
    assert len(ENTITIES) == 3 and len(UNSAMPLED[("dask_inputs.py", "f\"the input's Dask task {error}\"")]) == 4
    untranslated, listed, kept = [], set(), set()
    for module, node in found:
        key = (module, ast.unparse(node))
        if key in UNTRANSLATED:
            kept.add(key)
            continue
        if key in UNSAMPLED:
            listed.add(key)
            samples = UNSAMPLED[key]
        else:
            sampled = _samples(node)
            assert sampled is not None, f"{module}: {key[1]} cannot be sampled: add realistic texts to UNSAMPLED"
            samples = sampled
        untranslated += [(module, lang, text) for text in samples for lang in ("fr", "de")
                         if i18n.reason(text, lang) == text]
    assert untranslated == []
    # no entry left for a reason the modules no longer write
    assert (listed, kept) == (set(UNSAMPLED), UNTRANSLATED)


# --- a real run's report shows the translation where it showed the English ----------------------------------------

CATALOGUE = Path(__file__).resolve().parents[1] / "examples" / "catalogue-ok.ttl"
SELECT = ["LDT-1", "LDT-2", "LDT-601"]  # the blueprint's catalogue, payload and first transport rules; the rest not


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The ldt4ssc profile narrowed by --select on the example catalogue, offline, with an empty artefact cache: once
    without payloads (its payload rules have no target) and once with two entities its rules cannot all judge."""
    payload = tmp_path_factory.mktemp("payloads") / "entities.json"
    payload.write_text(json.dumps([{"type": "Nonexistent"}, {"id": "urn:ngsi-ld:Thing:2"}]), "utf-8")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LDT_CONFORM_CACHE", str(tmp_path_factory.mktemp("empty-artefact-cache")))
        env.delenv("LDT_CONFORM_SEED", raising=False)
        return {"bare": api.check_files([str(CATALOGUE)], profile="ldt4ssc", select=SELECT, offline=True),
                "payload": api.check_files([str(CATALOGUE)], profile="ldt4ssc", select=SELECT, offline=True,
                                           payloads=[str(payload)]),
                "source": payload}


def _skipped(document: str) -> dict[str, str]:
    root = ET.fromstring(document.split("\n", 1)[1])
    return {case.get("name", "").split()[0]: str(skipped.get("message")) for case in root.iter("testcase")
            if (skipped := case.find("skipped")) is not None}


def test_junit_in_french_says_why_a_rule_did_not_run(runs: dict[str, Any]) -> None:
    report = runs["bare"]
    reasons = {(r.rule, r.reason) for r in report.results}
    # the report keeps the English (its contract)
    assert {("LDT-201", "no payload target was given"), ("LDT-601", "no API target was given"),
            ("DCATAP-101", "not selected (--select / --ignore)")} <= reasons
    english, french, german = (_skipped(render_junit(report, lang)) for lang in ("en", "fr", "de"))
    assert english["LDT-201"] == "not verified (not-applicable): no payload target was given"
    assert french["LDT-201"] == "non vérifiée (sans objet) : aucune source d'entités n'a été fournie comme cible"
    assert german["LDT-201"] == ("nicht geprüft (nicht anwendbar): es wurde keine Quelle von Entitätsdaten als "
                                 "Prüfgegenstand angegeben")
    assert english["LDT-601"] == "not verified (not-applicable): no API target was given"
    assert french["LDT-601"] == "non vérifiée (sans objet) : aucune API n'a été fournie comme cible"
    assert english["DCATAP-101"] == "not verified (not-selected): not selected (--select / --ignore)"
    assert french["DCATAP-101"] == "non vérifiée (non sélectionnée) : non sélectionnée (--select / --ignore)"
    assert german["DCATAP-101"] == "nicht geprüft (nicht ausgewählt): nicht ausgewählt (--select / --ignore)"
    # no English reason is left in the French report's messages
    english_reasons = {r.reason for r in report.results if r.reason}
    assert not [m for m in french.values() if "(not-" in m or any(e in m for e in english_reasons)]


def test_junit_and_html_in_french_say_what_a_payload_pass_did_not_test(runs: dict[str, Any]) -> None:
    report, source = runs["payload"], runs["source"]
    limited = f"not tested: 1 entity: {source}#/0 (no id)"
    limited_fr = f"non testé : 1 entité : {source}#/0 (sans id)"
    skipped = (f"no entity this rule applies to; not tested: 2 entities: {source}#/0 (type Nonexistent: no known data "
               "model), urn:ngsi-ld:Thing:2 (no type)")
    skipped_fr = (f"aucune entité à laquelle cette règle s'applique ; non testé : 2 entités : {source}#/0 (type "
                  "Nonexistent : aucun modèle de données connu), urn:ngsi-ld:Thing:2 (sans type)")
    reasons = {r.rule: r.reason for r in report.results if r.target == str(source)}
    assert (reasons["LDT-203"], reasons["LDT-205"]) == (limited, skipped)

    root = ET.fromstring(render_junit(report, "fr").split("\n", 1)[1])
    cases = {c.get("name", "").split()[0]: c for suite in root if suite.get("name") == str(source)
             for c in suite.iter("testcase")}
    assert cases["LDT-205"].find("skipped").get("message") == f"non vérifiée (sans objet) : {skipped_fr}"  # type: ignore[union-attr]
    assert cases["LDT-203"].find("system-out").text == f"réussie avec limites : {limited_fr}"  # type: ignore[union-attr]
    assert _skipped(render_junit(report, "fr"))["LDT-601"] == ("non vérifiée (sans objet) : aucune API n'a été "
                                                               "fournie comme cible")

    assert html.context(report, "fr", False)["limited_passes"] == [
        {"rule": "LDT-203", "target": str(source), "note": limited_fr}]
    for print_mode in (False, True):
        page = visible(html.render(report, lang="fr", print_mode=print_mode))
        assert limited_fr in page.splitlines() and limited not in page
    assert html.context(report, "en", False)["limited_passes"] == [
        {"rule": "LDT-203", "target": str(source), "note": limited}]

