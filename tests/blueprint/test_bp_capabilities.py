"""The capability model (ldt_conform/capabilities.toml): consistent with every shipped profile, bad models are profile
errors naming the key, and MIM levels by coverage on real runs (a real pygeoapi for MIM7)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import pytest

from conftest import run_cli
from ldt_conform import capabilities
from ldt_conform import profile as profiles
from ldt_conform.errors import ProfileError
from ldt_conform.mims import MIMS

SHIPPED = sorted(p.parent.name for p in profiles.list_shipped())


@pytest.mark.parametrize("profile_id", SHIPPED)
def test_every_shipped_profile_agrees_with_the_capability_model(profile_id: str) -> None:
    """A rule's mims tags are exactly the MIMs of the capabilities it is evidence for, and every rule is bound."""
    profile = profiles.load(profile_id)
    model = capabilities.load(known_rules={r.id for r in profile.rules} | capabilities.shipped_rule_ids())
    for rule in profile.rules:
        assert set(rule.mims) <= set(MIMS), (rule.id, rule.mims)
        assert set(rule.mims) == model.mims_of(rule.id), (rule.id, rule.mims, model.mims_of(rule.id))
        assert rule.mims, f"{rule.id} gives evidence for no capability"


def test_the_default_model_is_the_shipped_one_checked_against_every_shipped_rule() -> None:
    # default() skips the rule check at run time; this is the check it relies on.
    checked = capabilities.load(known_rules=capabilities.shipped_rule_ids())
    assert capabilities.default() == checked
    assert len(checked.capabilities) == len(capabilities.default().capabilities) > 0


def test_a_shipped_model_binding_an_unknown_rule_fails_the_rule_check(tmp_path: Path) -> None:
    # The control for the test above: the check it runs does reject a rule no shipped profile has.
    text = (Path(capabilities.__file__).parent / capabilities.FILE).read_text("utf-8")
    bad = tmp_path / "capabilities.toml"
    bad.write_text(text.replace('rules = [', 'rules = ["NO-SUCH-RULE-1", ', 1), "utf-8")
    with pytest.raises(ProfileError) as caught:
        capabilities.load(bad, known_rules=capabilities.shipped_rule_ids())
    assert (caught.value.where, caught.value.message) == (
        f"{bad}#capability.mim0.retrievable.rules",
        "unknown rule 'NO-SUCH-RULE-1' (no shipped rule has this ID or prefix)")
    unchecked = capabilities.load(bad, check_rules=False)
    assert unchecked.capabilities[0].rules[0] == "NO-SUCH-RULE-1"
    # the rules given are the ones checked against: a rule of the twin's own profile is known
    given = capabilities.load(bad, known_rules={*capabilities.shipped_rule_ids(), "NO-SUCH-RULE-1"})
    assert given.capabilities[0].rules[0] == "NO-SUCH-RULE-1"


def test_an_unreadable_or_not_toml_capability_model_is_a_profile_error_naming_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    with pytest.raises(ProfileError) as caught:
        capabilities.load(missing)
    assert (caught.value.where, caught.value.message) == (
        str(missing), "cannot read the capability model: No such file or directory")
    broken = tmp_path / "broken.toml"
    broken.write_text('format = "ldt-conform/capabilities@1"\n[[capability]\n', "utf-8")
    with pytest.raises(ProfileError) as caught:
        capabilities.load(broken)
    assert caught.value.where == str(broken)
    assert caught.value.message.startswith("not valid TOML: ")
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", "utf-8")
    with pytest.raises(ProfileError) as caught:
        capabilities.load(deep)
    assert (caught.value.where, caught.value.message) == (str(deep), "TOML nested too deep to read")


def test_the_shipped_model_covers_every_mim_and_cites_its_sources() -> None:
    model = capabilities.default()
    assert {c.mim for c in model.capabilities} == set(MIMS)
    for cap in model.capabilities:
        key = cap.source.split()[0]
        assert key in model.sources or key.startswith("MIM"), cap.id
        assert cap.assess and cap.title
    # the MIMs whose texts have organisational requirements keep a declared-only capability
    organisational = {c.mim for c in model.capabilities if c.organisational}
    assert organisational == {"exchanging-data", "personal-data", "interoperable-ai", "securing-data"}


def _model(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "caps.toml"
    path.write_text('format = "ldt-conform/capabilities@1"\n' + "".join(
        f'[[capability]]\nid = "x.{m}"\nmim = "{m}"\ntitle = "t"\nsource = "s"\nassess = "no check exists yet"\n'
        for m in MIMS) + body)
    return path


@pytest.mark.parametrize(("body", "key", "message"), [
    ('[[capability]]\nid = "x.bad"\nmim = "accessing-data"\ntitle = "t"\nsource = "s"\nassess = "a"\n'
     'rules = ["OAFEAT-001", "NOPE-001"]\n', "#capability.x.bad.rules",
     "unknown rule 'NOPE-001' (no shipped rule has this ID or prefix)"),
    ('[[capability]]\nid = "x.bad"\nmim = "MIM9"\ntitle = "t"\nsource = "s"\nassess = "a"\nrules = ["LDT-101"]\n',
     "#capability.x.bad.mim", "unknown MIM 'MIM9'"),
    ('[[capability]]\nid = "x.bad"\nmim = "accessing-data"\ntitle = "t"\nsource = "s"\nassess = "a"\n'
     'rules = ["NOPE-"]\n', "#capability.x.bad.rules", "unknown rule 'NOPE-'"),
    ('[[capability]]\nid = "x.bad"\nmim = "accessing-data"\ntitle = "t"\nsource = "s"\nassess = "a"\n'
     'rules = ["LDT-101"]\ncolour = "blue"\n', "#capability[9].colour", "unknown key"),
])
def test_a_bad_capability_model_is_a_profile_error_naming_the_key(tmp_path: Path, body: str, key: str,
                                                                  message: str) -> None:
    path = _model(tmp_path, body)
    with pytest.raises(ProfileError) as caught:
        capabilities.load(path)
    assert caught.value.where == f"{path}{key}"
    assert caught.value.message.startswith(message)


BAD = '[[capability]]\nid = "x.bad"\nmim = "accessing-data"\ntitle = "t"\nsource = "s"\n'


@pytest.mark.parametrize(("text", "key", "message"), [
    ('format = "other"\n', "#format", "expected 'ldt-conform/capabilities@1', found 'other'"),
    ('format = "ldt-conform/capabilities@1"\ncapability = ["x"]\n', "#capability[0]", "a capability is a table"),
    (None, "#capability[9].assess", "required (a non-empty string)"),
    ('[[capability]]\nid = "x.accessing-data"\nmim = "accessing-data"\ntitle = "t"\nsource = "s"\nassess = "a"\n'
     'rules = ["LDT-101"]\n', "#capability.x.accessing-data.id", "duplicate capability id"),
    (BAD + 'assess = "a"\n', "#capability.x.bad.rules",
     "a capability needs rules, declared evidence kinds, or an 'assess' text saying that no check exists yet"),
    (BAD + 'assess = "a"\nrules = ["LDT-101"]\nafter = "nope"\n', "#capability.x.bad.after",
     "unknown capability 'nope' (it must belong to the same MIM)"),
    (BAD + 'assess = "a"\nrules = ["LDT-101"]\nafter = "x.interlinking-data"\n', "#capability.x.bad.after",
     "unknown capability 'x.interlinking-data' (it must belong to the same MIM)"),
    ('format = "ldt-conform/capabilities@1"\n' + BAD + 'assess = "a"\nrules = ["LDT-101"]\n', "#capability",
     "no capability for MIM 'interlinking-data'"),
    ('format = "ldt-conform/capabilities@1"\n', "#capability", "no capability for MIM 'accessing-data'"),
    (BAD.replace("accessing-data", "MIM9") + 'assess = "a"\nrules = ["LDT-101"]\n', "#capability.x.bad.mim",
     f"unknown MIM 'MIM9' (known: {', '.join(MIMS)})"),
])
def test_each_capability_model_error_names_its_key_and_says_what_is_wrong(tmp_path: Path, text: str | None,
                                                                          key: str, message: str) -> None:
    if text is None:  # a complete model, then a capability without its assess text
        path = _model(tmp_path, BAD)
    elif text.startswith("format"):
        path = tmp_path / "caps.toml"
        path.write_text(text, "utf-8")
    else:
        path = _model(tmp_path, text)
    with pytest.raises(ProfileError) as caught:
        capabilities.load(path)
    assert (caught.value.where, caught.value.message) == (f"{path}{key}", message)


def test_a_capability_model_without_its_optional_keys_reads_them_as_empty(tmp_path: Path) -> None:
    model = capabilities.load(_model(tmp_path, ""))
    assert (model.version, dict(model.sources)) == ("", {})
    assert {(c.rules, c.declared, c.checked, c.after) for c in model.capabilities} == {((), (), "", "")}


def test_a_capability_model_keeps_its_version_sources_and_every_field(tmp_path: Path) -> None:
    path = _model(tmp_path, BAD + 'assess = "a"\nrules = ["LDT-101", "OAFEAT-"]\ndeclared = ["doc"]\nchecked = "c"\n'
                            'after = "x.accessing-data"\n')
    first, rest = path.read_text("utf-8").split("\n", 1)  # the format line, then the capability tables
    path.write_text(first + '\nversion = "7"\n[sources]\nS = "the source"\n' + rest, "utf-8")
    model = capabilities.load(path)
    assert (model.path, model.version, dict(model.sources)) == (str(path), "7", {"S": "the source"})
    assert model.capabilities[-1] == capabilities.Capability(
        "x.bad", "accessing-data", "t", "s", "a", ("LDT-101", "OAFEAT-"), ("doc",), "c", "x.accessing-data")
    assert [c.id for c in model.of("accessing-data")] == ["x.accessing-data", "x.bad"]


MANIFEST = 'extends = "ldt4ssc"\n[twin]\nname = "Cap twin"\n'


def test_cli_exits_2_on_a_twin_capability_model_with_an_unknown_rule(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    _model(tmp_path, '[[capability]]\nid = "x.bad"\nmim = "geospatial-data"\ntitle = "t"\nsource = "s"\n'
                     'assess = "a"\nrules = ["OAFEAT-999"]\n')
    (tmp_path / "ldt-conform.toml").write_text(MANIFEST + 'capabilities = "caps.toml"\n')
    monkeypatch.chdir(tmp_path)
    result = run_cli(["check"], expect=2)
    assert result.stderr == (f"error: {tmp_path / 'caps.toml'}#capability.x.bad.rules: unknown rule 'OAFEAT-999' "
                             "(no shipped rule has this ID or prefix)\n")


def test_cli_exits_2_on_an_unknown_not_applicable_capability(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ldt-conform.toml").write_text(MANIFEST + '[twin.not-applicable]\n"mim7.contexts" = "none"\n')
    monkeypatch.chdir(tmp_path)
    result = run_cli(["check"], expect=2)
    assert result.stderr == (f"error: {tmp_path / 'ldt-conform.toml'}#twin.not-applicable.mim7.contexts: unknown "
                             "capability (see `ldt_conform/capabilities.toml` for the ids)\n")


# --- a twin whose geospatial data is served by a real pygeoapi ---------------------------------------------------

@pytest.fixture(scope="module")
def pygeoapi_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    pytest.importorskip("pygeoapi", reason="pygeoapi is in the test extra")
    from servers import pygeoapi_server

    # Features only: pygeoapi's TinyDB records collection lists no crs although it declares Part 2 (OAFEAT-060), a
    # real deviation that belongs to the records catalogue, not to the geospatial service this twin offers.
    server = pygeoapi_server.start(tmp_path_factory.mktemp("pygeoapi"), records=False)
    yield server.url
    pygeoapi_server.stop(server)


def _geo_twin(tmp_path: Path, url: str) -> Path:
    path = tmp_path / "ldt-conform.toml"
    path.write_text(MANIFEST + 'mims = ["geospatial-data"]\n'
                    '[[twin.apis]]\nkind = "ogcapi-features"\nurl = "' + url + '/"\n'
                    '[twin.not-applicable]\n"mim7.context" = "the twin serves its road network and nothing else"\n')
    return path


MIM7_FULL = {"mim7.geo-service": "holds", "mim7.open-encoding": "holds",
             "mim7.context": "not-applicable", "mim7.feature-ids": "holds", "mim7.crs": "holds"}


@pytest.mark.slow
@pytest.mark.corpus  # the pinned OGC building blocks come from the corpus seed
def test_a_twin_with_a_real_pygeoapi_reaches_full_on_mim7(tmp_path: Path, pygeoapi_url: str) -> None:
    report = json.loads(run_cli(["check", "--manifest", str(_geo_twin(tmp_path, pygeoapi_url)), "--format", "json"],
                                expect=1).stdout)
    mim7 = next(m for m in report["mims"] if m["key"] == "geospatial-data")
    assert {c["id"]: c["state"] for c in mim7["capabilities"]} == MIM7_FULL
    assert (mim7["level"], mim7["narrowed"]) == ("full", False)
    geo = mim7["capabilities"][0]
    assert geo["rules_passed"] == ["OAFEAT-001", "OAFEAT-002", "OAFEAT-006", "OAFEAT-007", "OAFEAT-008",
                                   "OAFEAT-013", "OAFEAT-015", "OAFEAT-016"]
    assert mim7["capabilities"][2]["reason"] == "the twin serves its road network and nothing else"
    # pygeoapi's known deviations (its GeoJSON provider ignores datetime, GeoJSON served as application/json) break
    # MIM0, not MIM7; OAFEAT-022's remote $ref to the OGC building blocks is pinned, so it is verified.
    mim0 = {c["id"]: c for c in next(m for m in report["mims"] if m["key"] == "accessing-data")["capabilities"]}
    assert mim0["mim0.retrievable"]["rules_failed"] == ["OAFEAT-040"]
    assert mim0["mim0.queryable"]["rules_failed"] == ["OAFEAT-023"]
    oafeat022 = [(r["status"], r.get("why")) for r in report["results"] if r["rule"] == "OAFEAT-022"]
    assert oafeat022 == [("pass", None)]
    assert report["options"]["not_applicable"] == {
        "mim7.context": "the twin serves its road network and nothing else"}

    # The same twin with one unrelated rule ignored: every MIM7 capability still holds, but a narrowed run is never full.
    narrowed = json.loads(run_cli(["check", "--manifest", str(_geo_twin(tmp_path, pygeoapi_url)), "--ignore",
                                   "LDT-601", "--format", "json"], expect=1).stdout)
    mim7 = next(m for m in narrowed["mims"] if m["key"] == "geospatial-data")
    assert {c["id"]: c["state"] for c in mim7["capabilities"]} == MIM7_FULL
    assert (mim7["level"], mim7["narrowed"]) == ("partial", True)
    assert narrowed["summary"]["scope"] == ("237 of 238 rules selected (--ignore LDT-601); narrowed run: MIM levels "
                                            "never reach full")
