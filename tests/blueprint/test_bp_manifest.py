"""The twin manifest: schema errors name the key and the file, defaults, `init`, and `check` without TARGETS."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli
from ldt_conform import manifest
from ldt_conform.errors import ProfileError

MINIMAL = 'extends = "ldt4ssc"\n\n[twin]\nname = "Test twin"\n'


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ldt-conform.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _error(tmp_path: Path, text: str) -> ProfileError:
    with pytest.raises(ProfileError) as info:
        manifest.load(_write(tmp_path, text))
    return info.value


def test_minimal_manifest_gets_defaults(tmp_path: Path) -> None:
    twin = manifest.load(_write(tmp_path, MINIMAL))
    assert twin.name == "Test twin"
    assert twin.profile.id == "twin-test-twin" and "ldt4ssc" in twin.profile.chain
    assert twin.catalogues == () and twin.apis == ()


@pytest.mark.parametrize("text,where,message", [
    (MINIMAL + 'payload = ["x.json"]\n', "#twin.payload", "unknown key"),
    ('extends = "ldt4ssc"\n[twin]\ndescription = "no name"\n', "#twin.name", "required key is missing"),
    ('[twin]\nname = "x"\n', "#extends", "required key is missing"),
    ('extends = "ldt4ssc"\n', "#twin", "required key is missing"),
    ('extends = "ldt4ssc"\ntwinn = 1\n[twin]\nname = "x"\n', "#twinn", "unknown key"),
    (MINIMAL + '[[twin.apis]]\nkind = "wfs"\nurl = "https://x.example"\n', "#twin.apis[0].kind", "'wfs' is not one of"),
    (MINIMAL + '[[twin.apis]]\nkind = "ngsi-ld"\n', "#twin.apis[0].url", "required key is missing"),
    (MINIMAL + '[[twin.apis]]\nkind = "ngsi-ld"\nurl = "https://x.example"\ncredentials_env = "$TOKEN"\n',
     "#twin.apis[0].credentials_env", "does not match"),
    (MINIMAL + 'mims = ["MIM9"]\n', "#twin.mims[0]", "is not one of"),
    (MINIMAL + '[twin.evidence."securing-data"]\nrulebook = "x"\n', "#twin.evidence.securing-data", "unknown key"),
    (MINIMAL + '[twin.evidence."personal-data"]\ndpai = "x"\n', "#twin.evidence.personal-data.dpai", "unknown key"),
    (MINIMAL + '[[twin.models]]\ntype = "X"\nschema = "https://x.example/s.json"\n', "#twin.models[0]",
     "either `schema`"),
    ('extends = "no-such-profile"\n[twin]\nname = "x"\n', "#extends", "cannot find profile"),
])
def test_errors_name_the_key_and_the_file(tmp_path: Path, text: str, where: str, message: str) -> None:
    error = _error(tmp_path, text)
    assert error.where == f"{tmp_path / 'ldt-conform.toml'}{where}" or error.where.endswith(where), error
    assert message in error.message, error


def test_toml_syntax_error_names_line(tmp_path: Path) -> None:
    error = _error(tmp_path, 'extends = "ldt4ssc"\n[twin\nname = "x"\n')
    assert error.where.startswith(str(tmp_path / "ldt-conform.toml") + ":2:")


def test_cli_reports_manifest_errors_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, MINIMAL + "colour = 'blue'\n")
    monkeypatch.chdir(tmp_path)
    result = run_cli(["check"], expect=2)
    assert result.stderr.strip().count("\n") == 0
    assert "ldt-conform.toml#twin.colour: unknown key" in result.stderr


def test_paths_are_relative_to_the_manifest(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    path = tmp_path / "sub" / "ldt-conform.toml"
    path.write_text(MINIMAL + 'catalogue = "cat.ttl"\npayloads = ["e/*.json", { broker = "https://b.example" }]\n'
                    'seed = "artefacts"\n')
    twin = manifest.load(path)
    assert twin.catalogues == (str(tmp_path / "sub" / "cat.ttl"),)
    assert twin.payloads == (str(tmp_path / "sub" / "e" / "*.json"), {"broker": "https://b.example"})
    assert twin.seed == (str(tmp_path / "sub" / "artefacts"),)


def test_check_without_targets_reads_the_manifest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "e.json").write_text('{"id": "urn:ngsi-ld:Thing:1", "type": "Thing"}')
    _write(tmp_path, MINIMAL + 'mims = ["representing-data", "securing-data"]\npayloads = ["e.json"]\n'
                     '[twin.evidence."interoperable-ai"]\nalgorithm-register = "https://algo.example.org"\n')
    monkeypatch.chdir(tmp_path)
    result = run_cli(["check", "--format", "json"], expect=0)
    report = json.loads(result.stdout)
    assert report["profile"]["id"] == "twin-test-twin"
    mims = {m["key"]: m for m in report["mims"]}
    # One entity of a type with no known model: its serialisation and id hold, its model is not assessed.
    assert mims["representing-data"]["level"] == "partial"
    assert {c["id"]: c["state"] for c in mims["representing-data"]["capabilities"]} == {
        "mim2.models-explicit": "not-assessed", "mim2.open-format": "holds", "mim2.validated": "holds"}
    assert mims["securing-data"]["level"] == "initial" and mims["securing-data"]["declared"]
    ai = mims["interoperable-ai"]
    assert ai["level"] == "initial" and ai["capabilities_holding"] == 0
    assert ai["capabilities"][0]["state"] == "declared"
    assert ai["evidence"] == [{"kind": "algorithm-register", "value": "https://algo.example.org",
                               "status": "declared, not machine-verified"}]


def test_check_without_targets_or_manifest_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli(["check"], expect=2)
    assert "ldt-conform init" in result.stderr


def test_credentials_never_reach_a_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2Vu.sig"
    monkeypatch.setenv("RIVERTON_TOKEN", secret)
    (tmp_path / "e.json").write_text('{"id": "urn:ngsi-ld:Thing:1", "type": "Thing"}')
    _write(tmp_path, MINIMAL + 'payloads = ["e.json", { broker = "http://127.0.0.1:9/", credentials_env = '
                     '"RIVERTON_TOKEN" }]\n')
    monkeypatch.chdir(tmp_path)
    result = run_cli(["check", "--select", "LDT-2", "--format", "json", "--report", f"text={tmp_path / 'r.txt'}",
                      "--debug"], expect=None)
    assert result.exit_code == 1, result.stderr
    for text in (result.stdout, result.stderr, (tmp_path / "r.txt").read_text()):
        assert secret not in text and "c2VjcmV0LXRva2Vu" not in text
    assert "connection refused" in result.stdout


def test_init_with_flags_writes_a_loadable_manifest(tmp_path: Path) -> None:
    out = tmp_path / "ldt-conform.toml"
    result = run_cli(["init", "--name", "Ville d'Exemple", "--catalogue", "catalogue.ttl", "--payloads",
                      "entities/*.json", "--api", "ngsi-ld=https://broker.example.org/ngsi-ld/v1/",
                      "--credentials-env", "BROKER_TOKEN", "--mim", "representing-data", "-o", str(out)])
    assert "wrote" in result.stdout
    twin = manifest.load(out)
    assert twin.name == "Ville d'Exemple" and twin.mims == ("representing-data",)
    assert twin.apis[0].kind == "ngsi-ld" and twin.apis[0].credentials_env == "BROKER_TOKEN"
    assert twin.catalogues == (str(tmp_path / "catalogue.ttl"),)


def test_init_never_overwrites_without_force(tmp_path: Path) -> None:
    out = _write(tmp_path, "# mine\n")
    result = run_cli(["init", "--name", "X", "-o", str(out)], expect=2)
    assert "already exists" in result.stderr and out.read_text() == "# mine\n"
    run_cli(["init", "--name", "X", "-o", str(out), "--force"])
    assert manifest.load(out).name == "X"


def test_init_interactive(tmp_path: Path) -> None:
    out = tmp_path / "ldt-conform.toml"
    run_cli(["init", "-o", str(out)], input="Prompted twin\ncat.ttl\nentities/*.json, more/*.jsonld\n"
                                             "ogcapi-features=https://maps.example.org/ogcapi/\n")
    twin = manifest.load(out)
    assert twin.name == "Prompted twin" and len(twin.payloads) == 2
    assert twin.apis[0].kind == "ogcapi-features"


def test_init_rejects_bad_flags(tmp_path: Path) -> None:
    out = tmp_path / "m.toml"
    assert "KIND=URL" in run_cli(["init", "--name", "X", "--api", "broker", "-o", str(out)], expect=2).stderr
    assert "unknown MIM" in run_cli(["init", "--name", "X", "--mim", "MIM2", "-o", str(out)], expect=2).stderr
    assert "--name is required" in run_cli(["init", "--no-input", "-o", str(out)], expect=2).stderr
    assert not out.exists()


def test_api_credentials_come_from_the_named_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ldt_conform.api import CheckOptions

    path = _write(tmp_path, MINIMAL + '[[twin.apis]]\nkind = "ngsi-ld"\nurl = "https://b.example/ngsi-ld/v1/"\n'
                                      'auth = "oidc"\ncredentials_env = "B_TOKEN"\n')
    monkeypatch.delenv("B_TOKEN", raising=False)
    with pytest.raises(ProfileError, match="B_TOKEN is not set") as info:
        manifest.apply(manifest.load(path), [], CheckOptions())
    assert info.value.where.endswith("#twin.apis[0].credentials_env")
    monkeypatch.setenv("B_TOKEN", "abc123")
    _, options = manifest.apply(manifest.load(path), [], CheckOptions())
    assert options.headers == {"Authorization": "Bearer abc123"}
    assert options.apis == [("ngsi-ld", "https://b.example/ngsi-ld/v1/")]
    assert options.extra["api_auth"]["https://b.example/ngsi-ld/v1/"] == {
        "auth": "oidc", "issuer": None, "credentials_env": "B_TOKEN", "header": "Authorization"}
    assert "abc123" not in repr(options.extra)
