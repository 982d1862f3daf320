"""Every SHACL / json_schema rule has a cases file (profiles/<p>/cases/<ID>.toml) whose cases behave exactly as stated.

The format and what is enforced: CASES-SPEC (issue #9). Each case runs under the rule's whole profile; all cases of a
profile go through one `api.check` (one target per case, named <RULE-ID>/<case>.<ext>). Select with `-k <profile-id>`,
`-k DCATAP-104` or `-k DCATAP-104/two-creators`.
"""
from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, PROFILES

from ldt_conform import api
from ldt_conform import cases as rule_cases
from ldt_conform import profile as profiles
from ldt_conform.errors import ProfileError
from ldt_conform.mims import MIMS
from ldt_conform.model import Finding, Report, Result, Status

FILE_CASE_KINDS = ("shacl", "json_schema")
MAX_DATA_LINES = 25
TOOL_PREFIX = "LC-"


def _shipped() -> list[profiles.Profile]:
    return [profiles.load(str(m)) for m in sorted(PROFILES.glob("*/profile.toml"))]


SHIPPED = _shipped()
BY_ID = {p.id: p for p in SHIPPED}


def _own_rules() -> list[tuple[profiles.Profile, profiles.Rule]]:
    """Each rule once, with the profile that defines it (cases live beside that profile's manifest)."""
    return [(prof, rule) for prof in SHIPPED for rule in prof.rules if rule.profile == prof.id]


CASE_RULES = [(p, r) for p, r in _own_rules() if r.kind in FILE_CASE_KINDS]
RULES_BY_ID = {r.id: (p, r) for p, r in CASE_RULES}


def _load(prof: profiles.Profile, rule: profiles.Rule) -> rule_cases.RuleCases | None:
    """The rule's cases; None when the file is missing or invalid (test_cases_file says which and why)."""
    try:
        return rule_cases.for_rule(rule, prof.prefixes)
    except ProfileError:
        return None


LOADED = {rule.id: _load(prof, rule) for prof, rule in CASE_RULES}


def _rule_param(prof: profiles.Profile, rule: profiles.Rule) -> Any:
    return pytest.param(prof, rule, id=f"{prof.id}/{rule.id}")


RULE_PARAMS = [_rule_param(p, r) for p, r in CASE_RULES]
CASE_PARAMS = [
    pytest.param(prof.id, rule.id, case.name, id=f"{prof.id}/{rule.id}/{case.name}")
    for prof, rule in CASE_RULES if LOADED[rule.id]
    for case in LOADED[rule.id].cases  # type: ignore[union-attr]
]


# ------------------------------------------------------------------------------------------------ running the cases

Key = tuple[str, str | None, str | None, str | None]  # focus, path, value, shape


@dataclass
class ProfileRun:
    """One api.check over the selected cases of one profile; results and findings grouped by target file."""

    targets: dict[tuple[str, str], str] = field(default_factory=dict)  # (rule id, case name) → target label
    results: dict[str, list[Result]] = field(default_factory=dict)
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    run_level: list[Finding] = field(default_factory=list)  # findings on no case target (tool problems)

    def of(self, rule_id: str, case: str) -> tuple[str, list[Result], list[Finding]]:
        target = self.targets[(rule_id, case)]
        return target, self.results.get(target, []), self.findings.get(target, [])


class CaseRuns:
    """Session cache: a profile's cases are checked once, on first use, restricted to the cases pytest selected."""

    def __init__(self, session: pytest.Session, folder: Path) -> None:
        self.session = session
        self.folder = folder
        self.runs: dict[str, ProfileRun] = {}

    def get(self, prof_id: str) -> ProfileRun:
        if prof_id not in self.runs:
            self.runs[prof_id] = self._run(BY_ID[prof_id])
        return self.runs[prof_id]

    def _selected(self, prof_id: str) -> set[tuple[str, str]]:
        wanted = set()
        for item in self.session.items:
            params = getattr(getattr(item, "callspec", None), "params", {})
            if params.get("prof_id") == prof_id:
                wanted.add((params["rule_id"], params["case_name"]))
        if not wanted:  # not collected by this session (e.g. called directly): every case of the profile
            wanted = {(param.values[1], param.values[2]) for param in CASE_PARAMS if param.values[0] == prof_id}
        for rule_id, name in list(wanted):  # a fail case is compared with its pass case
            like = LOADED[rule_id].case(name).like  # type: ignore[union-attr]
            if like:
                wanted.add((rule_id, like))
        return wanted

    def _run(self, prof: profiles.Profile) -> ProfileRun:
        run = ProfileRun()
        rdf: list[str] = []
        payloads: list[str] = []
        for rule_id, name in sorted(self._selected(prof.id)):
            loaded = LOADED[rule_id]
            assert loaded is not None
            path = rule_cases.render(loaded, loaded.case(name), self.folder / prof.id)
            run.targets[(rule_id, name)] = str(path)
            (payloads if RULES_BY_ID[rule_id][1].kind == "json_schema" else rdf).append(str(path))
        with pytest.MonkeyPatch.context() as mp:
            # Session-scoped, so it runs before conftest's per-test isolation: the same isolation, done here.
            mp.setenv("LDT_CONFORM_CACHE", str(self.folder / "artefact-cache"))
            mp.setenv("LDT_CONFORM_SEED", str(CORPUS))
            report = api.check(rdf, api.CheckOptions(profile=str(prof.path), payloads=payloads, offline=True))
        _group(run, report)
        return run


def _group(run: ProfileRun, report: Report) -> None:
    labels = set(run.targets.values())
    for result in report.results:
        run.results.setdefault(result.target, []).append(result)
    for finding in report.findings:
        if finding.target in labels:
            run.findings.setdefault(finding.target, []).append(finding)
        else:
            run.run_level.append(finding)


@pytest.fixture(scope="session")
def case_runs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> CaseRuns:
    return CaseRuns(request.session, tmp_path_factory.mktemp("rule-cases"))


# ------------------------------------------------------------------------------------------------ comparing findings

def _norm(text: str | None, target: str) -> str | None:
    """Blank-node labels differ between runs ("_:" stands for any); a payload focus drops its file name."""
    if text is None:
        return None
    if text.startswith(rule_cases.BLANK):
        return rule_cases.BLANK
    if text.startswith(target):
        return text[len(target):]
    return text


def _key(finding: Finding, target: str) -> Key:
    return (_norm(finding.focus, target) or "", finding.path, _norm(finding.value, target), finding.source)


def _other_key(finding: Finding, target: str) -> tuple[str, ...]:
    return (finding.rule, *(x or "" for x in _key(finding, target)[:3]))


def _compact(iri: str | None, prefixes: Mapping[str, str]) -> str | None:
    if iri is None:
        return None
    for prefix, base in prefixes.items():
        if iri.startswith(base) and base:
            return f"{prefix}:{iri[len(base):]}"
    return iri


def _show(keys: Iterable[Key], prefixes: Mapping[str, str]) -> str:
    lines = []
    for focus, path, value, shape in sorted(keys, key=lambda k: tuple(x or "" for x in k)):
        parts = [f"focus = {focus!r}"]
        parts += [f"path = {path!r}"] if path is not None else []
        parts += [f"value = {value!r}"] if value is not None else []
        parts += [f"shape = {_compact(shape, prefixes)!r}"] if shape is not None else []
        lines.append("      { " + ", ".join(parts) + " }")
    return "\n".join(lines) or "      (none)"


def _status(results: list[Result], rule_id: str) -> Result | None:
    mine = [r for r in results if r.rule == rule_id]
    assert len(mine) <= 1, f"{rule_id} has {len(mine)} results on one target: {mine}"
    return mine[0] if mine else None


OFFLINE_RULE = "LC-004"  # an artefact (a Smart Data Models schema) is not in the artefact store


def _skip_if_unverifiable(result: Result | None, findings: list[Finding]) -> None:
    """Payload rules need schemas from the artefact store, seeded from ../shared/corpus; without it (and not under
    CI, where a missing corpus is a failure) a case that could not be verified is a skip, with the reason."""
    if CORPUS.is_dir() or os.environ.get("CI") == "true":
        return
    offline = [f.value or f.focus for f in findings if f.rule == OFFLINE_RULE]
    if result is not None and result.status is Status.SKIP and "offline" in (result.reason or ""):
        offline.append(result.reason or "")
    if offline:
        pytest.skip(f"needs the shared corpus at {CORPUS} to seed the artefact store: {offline[0]}")


def _tool_findings(run: ProfileRun, findings: list[Finding]) -> list[str]:
    return [f"{f.rule} {f.focus}: {f.message}" for f in (*findings, *run.run_level) if f.rule.startswith(TOOL_PREFIX)]


# ------------------------------------------------------------------------------------------------ the tests

def _check(ok: object, message: str) -> None:
    """Fail with exactly the message (expected vs actual), without pytest's rewritten-assert noise."""
    if not ok:
        pytest.fail(message, pytrace=False)


def test_profiles_are_shipped() -> None:
    assert SHIPPED, "no profile under profiles/"
    assert CASE_PARAMS, "no rule case was collected: the parametrised set is empty"


@pytest.mark.parametrize("prof,rule", RULE_PARAMS)
def test_cases_file(prof: profiles.Profile, rule: profiles.Rule) -> None:
    """Spec 1: a valid cases file, >= 1 pass and >= 1 fail case, data of at most 25 lines, no old-style folder."""
    old = rule_cases.cases_dir(rule) / rule.id
    _check(not old.exists(), f"{old}: old-style case folder; convert it to {rule_cases.cases_file(rule).name}")
    path = rule_cases.cases_file(rule)
    _check(path.is_file(), f"{rule.id} has no cases file {path}")
    try:
        loaded = rule_cases.load(path, rule, prof.prefixes)
    except ProfileError as exc:  # names the file and key
        pytest.fail(f"invalid cases file: {exc}", pytrace=False)
    expects = Counter(c.expect for c in loaded.cases)
    _check(expects["pass"] >= 1 and expects["fail"] >= 1, f"{path}: needs a pass and a fail case, has {dict(expects)}")
    for case in loaded.cases:
        lines = len(case.data.strip("\n").splitlines())
        _check(lines <= MAX_DATA_LINES, f"{path}: case {case.name!r} has {lines} lines of data (max {MAX_DATA_LINES})")


@pytest.mark.parametrize("prof,rule", [p for p in RULE_PARAMS if p.values[1].kind == "shacl"])
def test_fail_cases_cover_every_owned_shape(prof: profiles.Profile, rule: profiles.Rule) -> None:
    """Spec 4: one fail case per shape the rule owns; no expected finding names a shape the rule does not own."""
    loaded = LOADED[rule.id]
    if loaded is None:
        pytest.fail(f"{rule.id}: no valid cases file (see test_cases_file)")
    named = {f.shape for c in loaded.cases for f in c.findings}
    owned = set(rule.check["shapes"])
    graph = _shapes_graph(prof)
    # A helper shape with no target, used only through sh:node / sh:not / sh:qualifiedValueShape, is never the source
    # of a result: it is covered by the fail cases of the shapes that use it (and broken, it fails their pass cases).
    helpers = {s for s in owned if not _can_be_source(graph, s)}
    used = set().union(*(_reached(graph, s) for s in named if s)) if named else set()
    missing = sorted(_compact(s, prof.prefixes) or "" for s in (owned - helpers - named) | (helpers - used))
    foreign = sorted(_compact(s, prof.prefixes) or "" for s in named - owned if s)
    _check(not missing and not foreign, (f"{loaded.path}: owned shapes without a fail case: {missing}; "
                                         f"shapes named but not owned by {rule.id}: {foreign}"))


_TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")
_GRAPHS: dict[str, Any] = {}


def _shapes_graph(prof: profiles.Profile) -> Any:
    from rdflib import Graph

    if prof.id not in _GRAPHS:
        graph = Graph()
        for file in prof.shacl_files:
            graph.parse(file, format="turtle")
        _GRAPHS[prof.id] = graph
    return _GRAPHS[prof.id]


def _can_be_source(graph: Any, shape: str) -> bool:
    """A shape with a target, or a property shape reached through sh:property, can be a result's source shape."""
    from rdflib import URIRef
    from rdflib.namespace import SH

    node = URIRef(shape)
    return any((node, SH[t], None) in graph for t in _TARGETS) or (None, SH.property, node) in graph


def _reached(graph: Any, shape: str) -> set[str]:
    """The named shapes a shape refers to, through blank nodes and lists (sh:node, sh:or, sh:not, ...)."""
    from rdflib import BNode, URIRef

    seen: set[Any] = set()
    stack: list[Any] = [URIRef(shape)]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        stack.extend(o for o in graph.objects(node, None) if isinstance(o, (BNode, URIRef)) and o not in seen)
    return {str(n) for n in seen if isinstance(n, URIRef)}


@pytest.mark.parametrize("prof_id,rule_id,case_name", CASE_PARAMS)
def test_case(prof_id: str, rule_id: str, case_name: str, case_runs: CaseRuns) -> None:
    """Spec 2 and 3: the case's verdict and findings under the rule's whole profile are exactly as stated."""
    prof, _ = RULES_BY_ID[rule_id]
    loaded = LOADED[rule_id]
    assert loaded is not None
    case = loaded.case(case_name)
    run = case_runs.get(prof_id)
    target, results, findings = run.of(rule_id, case_name)
    where = f"{loaded.path}: case {case_name!r} ({case.expect}, target {target})"
    result = _status(results, rule_id)
    _skip_if_unverifiable(result, findings)
    status = result.status.value if result else "no result"
    reason = f" ({result.reason})" if result and result.reason else ""
    tools = _tool_findings(run, findings)
    _check(not tools, f"{where}: tool findings:\n  " + "\n  ".join(tools))
    mine = Counter(_key(f, target) for f in findings if f.rule == rule_id)
    if case.expect == "pass":
        _check(not mine, f"{where}: {rule_id} raised on a pass case:\n{_show(mine.elements(), prof.prefixes)}")
        _check(status == "pass", f"{where}: {rule_id} status is {status}{reason}, expected pass")
        return
    _check(status == "fail", f"{where}: {rule_id} status is {status}{reason}, expected fail")
    expected = Counter((e.focus, e.path, e.value, e.shape) for e in case.findings)
    _check(mine == expected, (
        f"{where}: {rule_id} findings differ\n"
        f"  expected but not raised:\n{_show((expected - mine).elements(), prof.prefixes)}\n"
        f"  raised but not expected:\n{_show((mine - expected).elements(), prof.prefixes)}"))
    assert case.like
    like_target, _, like_findings = run.of(rule_id, case.like)
    others = Counter(_other_key(f, target) for f in findings if f.rule != rule_id)
    like_others = Counter(_other_key(f, like_target) for f in like_findings if f.rule != rule_id)
    extra = others - like_others
    also = Counter((a.rule or "", a.focus, a.path or "", a.value or "") for a in case.also)

    def listed(keys: Counter[tuple[str, ...]]) -> str:
        return "\n      ".join(" ".join(repr(x) for x in k) for k in sorted(keys.elements())) or "(none)"

    _check(extra == also, (f"{where}: the findings of other rules that its pass case {case.like!r} does not raise "
                           "differ from its `also` (the defect must be the only difference)\n"
                           f"  raised, not in `also`:\n      {listed(extra - also)}\n"
                           f"  in `also`, not raised:\n      {listed(also - extra)}"))


@pytest.mark.parametrize("manifest", sorted(PROFILES.glob("*/profile.toml")), ids=lambda p: p.parent.name)
def test_cases_files_belong_to_rules(manifest: Path) -> None:
    """A cases file names a SHACL / json_schema rule its profile defines (no stray or misnamed files)."""
    prof = profiles.load(str(manifest))
    own = {r.id for r in prof.rules if r.profile == prof.id and r.kind in FILE_CASE_KINDS}
    stray = sorted(p.name for p in (manifest.parent / "cases").glob("*.toml") if p.stem not in own)
    assert not stray, f"{manifest.parent / 'cases'}: files for no {'/'.join(FILE_CASE_KINDS)} rule of {prof.id}: {stray}"


def test_rule_ids_unique_across_profiles() -> None:
    owner: dict[str, str] = {}
    for prof, rule in _own_rules():
        assert owner.setdefault(rule.id, prof.id) == prof.id, f"{rule.id} defined by {owner[rule.id]} and {prof.id}"


@pytest.mark.parametrize("prof,rule", [pytest.param(p, r, id=f"{p.id}/{r.id}") for p, r in _own_rules()])
def test_rule_metadata_is_complete(prof: profiles.Profile, rule: profiles.Rule) -> None:
    assert rule.refs and all(ref.url and ref.url.startswith("http") for ref in rule.refs), "each ref needs a URL"
    assert rule.message, "a rule needs a message that says what to fix"
    assert rule.i18n.get("fr", {}).get("title") and rule.i18n["fr"].get("message"), "French title and message"
    for mim in rule.mims:
        assert mim in MIMS, f"unknown MIM key {mim!r} (use the names in ldt_conform/mims.py)"


@pytest.mark.parametrize("manifest", sorted(PROFILES.glob("*/profile.toml")), ids=lambda p: p.parent.name)
def test_shipped_shapes_pass_shacl_meta_validation(manifest: Path) -> None:
    import pyshacl
    from rdflib import Graph

    prof = profiles.load(str(manifest))
    own = [f for f in prof.shacl_files if manifest.parent in f.parents]
    if not own:
        pytest.skip(f"{prof.id} ships no shapes of its own")
    shapes = Graph()
    for file in own:
        shapes.parse(file, format="turtle")
    conforms, _, text = pyshacl.validate(shapes, shacl_graph=shapes, meta_shacl=True, inference="none")
    assert conforms, text


# ------------------------------------------------------------------------------------------------ `ldt-conform rules`

def _cases_section(stdout: str) -> list[str]:
    """The case headings and expected findings `rules PROFILE ID` prints (the data lines are indented 4)."""
    return [line for line in stdout.splitlines()
            if line.startswith(("cases (", "pass: ", "fail: ", "  expected finding: "))]


PUBLISHER = "focus=http://example.org/cat  path=http://purl.org/dc/terms/publisher  shape=dcatap3:Catalog-publisher-count"


@pytest.mark.parametrize("profile", ["dcat-ap-3-core", "dcat-ap-3"])  # also through a profile that extends the owner
def test_rules_command_shows_the_rule_cases(profile: str) -> None:
    from conftest import run_cli

    out = run_cli(["rules", profile, "DCATAP-103"]).stdout
    assert _cases_section(out) == [
        "cases (dcat-ap-3-core/cases/DCATAP-103.toml, turtle; the standard prefixes (ex: dcat: dct: ...) are prepended):",
        "pass: one-publisher",
        "fail: publisher-missing  (differs from one-publisher)",
        f"  expected finding: DCATAP-103 {PUBLISHER}",
        "fail: publisher-twice  (differs from one-publisher)",
        f"  expected finding: DCATAP-103 {PUBLISHER}",
    ], out
    assert "\n        dct:publisher ex:publisher-1, ex:publisher-2 .\n" in out, out  # the data, indented, as written


def test_rules_command_without_cases_prints_no_case_section() -> None:
    from conftest import run_cli

    out = run_cli(["rules", "ogcapi-features", BY_ID["ogcapi-features"].rules[0].id]).stdout
    assert "clause:" in out and _cases_section(out) == [], out


def test_rules_command_bad_cases_file_is_one_line_exit_2(tmp_path: Path) -> None:
    from conftest import run_cli

    manifest = tmp_path / "profile.toml"
    manifest.write_text('format = "ldt-conform/profile@1"\nid = "x"\nversion = "1"\ntitle = "t"\n[[rules]]\n'
                        'id = "X-001"\nname = "a"\ntitle = "t"\nseverity = "error"\nrefs = [{id = "r"}]\n'
                        'shacl = {shapes = ["http://x/s"]}\n', "utf-8")
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "X-001.toml").write_text(
        'rule = "X-001"\n[[cases]]\nname = "a"\nexpect = "pass"\ndata = "x"\ncolour = "red"\n', "utf-8")
    result = run_cli(["rules", str(manifest), "X-001"], expect=2)
    where = f"{tmp_path / 'cases' / 'X-001.toml'}#cases[0].colour: unknown key"
    assert result.stderr.count("\n") == 1 and where in result.stderr, result.stderr


PASS_CASE = '[[cases]]\nname = "ok"\nexpect = "pass"\ndata = "ex:a a dcat:Catalog ."\n'
FAIL_CASE = ('[[cases]]\nname = "bad"\nexpect = "fail"\ndata = "ex:a a dcat:Catalog ."\n'
             'findings = [{ focus = "http://example.org/a", shape = "dcatap3:Catalog-title-count" }]\n')
BAD_CASES = {  # file text after `rule = ...` → where the error must point, and what it says
    "unknown-top-key": ('colour = "red"\n' + PASS_CASE, "#colour", "unknown key"),
    "unknown-case-key": (PASS_CASE + 'colour = "red"\n', "#cases[0].colour", "unknown key"),
    "unknown-finding-key": (PASS_CASE + FAIL_CASE.replace("focus =", 'colour = "red", focus ='),
                            "#cases[1].findings[0].colour", "unknown key"),
    "bad-expect": (PASS_CASE.replace('"pass"', '"passes"'), "#cases[0].expect", "'passes' is not 'pass' or 'fail'"),
    "like-no-such-case": (PASS_CASE + FAIL_CASE + 'like = "nope"\n', "#cases[1].like", "'nope' is not the name of"),
    "like-a-fail-case": (PASS_CASE + FAIL_CASE + FAIL_CASE.replace('"bad"', '"bad2"') + 'like = "bad"\n',
                         "#cases[2].like", "'bad' is not the name of a pass case"),
    "like-on-pass": (PASS_CASE + 'like = "ok"\n', "#cases[0].like", "only a fail case"),
    "fail-without-pass": (FAIL_CASE, "#cases[0].like", "needs a pass case"),
    "fail-without-findings": (PASS_CASE + FAIL_CASE.split("findings")[0], "#cases[1].findings", "at least one"),
    "pass-with-findings": (PASS_CASE + 'findings = [{ focus = "x" }]\n', "#cases[0].findings", "drop `findings`"),
    "no-shape": (PASS_CASE + FAIL_CASE.replace(', shape = "dcatap3:Catalog-title-count"', ""),
                 "#cases[1].findings[0].shape", "required for the SHACL rule"),
    "unknown-prefix": (PASS_CASE + FAIL_CASE.replace("dcatap3:", "nope:"), "#cases[1].findings[0].shape",
                       "unknown prefix 'nope'"),
    "duplicate-name": (PASS_CASE + PASS_CASE, "#cases[1].name", "'ok' is used by an earlier case"),
    "not-kebab": (PASS_CASE.replace('"ok"', '"Ok_1"'), "#cases[0].name", "not kebab-case"),
    "bad-syntax": ('syntax = "xml"\n' + PASS_CASE, "#syntax", "'xml' is not one of"),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_cases_file_names_file_and_key(tmp_path: Path, case: str) -> None:
    text, where, says = BAD_CASES[case]
    prof, rule = RULES_BY_ID["DCATAP-101"]
    path = tmp_path / "DCATAP-101.toml"
    path.write_text('rule = "DCATAP-101"\n' + text, "utf-8")
    with pytest.raises(ProfileError) as caught:
        rule_cases.load(path, rule, prof.prefixes)
    assert str(caught.value).startswith(f"{path}{where}: ") and says in str(caught.value), str(caught.value)


def test_wrong_rule_in_cases_file_is_an_error(tmp_path: Path) -> None:
    prof, rule = RULES_BY_ID["DCATAP-101"]
    path = tmp_path / "DCATAP-101.toml"
    path.write_text('rule = "DCATAP-102"\n' + PASS_CASE, "utf-8")
    with pytest.raises(ProfileError, match=r"#rule: must be 'DCATAP-101'"):
        rule_cases.load(path, rule, prof.prefixes)


def test_turtle_case_gets_the_standard_prefixes(tmp_path: Path) -> None:
    from rdflib import RDF, Graph, URIRef

    prof, rule = RULES_BY_ID["DCATAP-101"]
    path = tmp_path / "DCATAP-101.toml"
    path.write_text('rule = "DCATAP-101"\n' + PASS_CASE, "utf-8")
    loaded = rule_cases.load(path, rule, prof.prefixes)
    rendered = rule_cases.render(loaded, loaded.cases[0], tmp_path / "out")
    assert rendered == tmp_path / "out" / "DCATAP-101" / "ok.ttl"
    triples = set(Graph().parse(rendered, format="turtle"))
    assert triples == {(URIRef("http://example.org/a"), RDF.type, URIRef("http://www.w3.org/ns/dcat#Catalog"))}
