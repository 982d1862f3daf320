"""Profile manifests found valid are remembered under the artefact cache (profile.VERDICTS): a later run that reads the
same bytes with the same tool version and schema skips the schema check, and the import of jsonschema with it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from ldt_conform import memo
from ldt_conform import profile as profiles
from ldt_conform.errors import ProfileError

CORE = REPO / "profiles" / "dcat-ap-3-core" / "profile.toml"


@pytest.fixture
def checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The manifests the schema check ran on, with a cache of this test's own (memos emptied: a new process)."""
    monkeypatch.setenv("LDT_CONFORM_CACHE", str(tmp_path / "cache"))
    memo.clear_all()
    ran: list[str] = []
    real = profiles._validate

    def counted(path: Path, data: object, schema: object) -> None:
        ran.append(path.name)
        real(path, data, schema)  # type: ignore[arg-type]

    monkeypatch.setattr(profiles, "_validate", counted)
    return ran


def verdicts(tmp_path: Path) -> list[str]:
    folder = tmp_path / "cache" / profiles.VERDICTS
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_a_valid_manifest_is_checked_once_then_remembered(checks: list[str], tmp_path: Path) -> None:
    first = profiles.read_manifest(CORE)
    assert checks == ["profile.toml"]
    assert verdicts(tmp_path) == [profiles._verdict_key(CORE.read_bytes(), None)]
    memo.clear_all()  # as a new process would start
    again = profiles.read_manifest(CORE)
    assert checks == ["profile.toml"] and again == first


def test_an_invalid_manifest_is_never_remembered(checks: list[str], tmp_path: Path) -> None:
    bad = tmp_path / "profile.toml"
    bad.write_text('unknown_key = "x"\n' + CORE.read_text(encoding="utf-8"), encoding="utf-8")
    for _ in range(2):
        memo.clear_all()
        with pytest.raises(ProfileError) as caught:
            profiles.read_manifest(bad)
        assert str(caught.value) == f"{bad}#(top level): unknown key ('unknown_key' was unexpected)"
    assert checks == ["profile.toml", "profile.toml"] and verdicts(tmp_path) == []


def test_other_bytes_another_schema_or_version_are_checked_again(checks: list[str], tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    profiles.read_manifest(CORE)
    edited = tmp_path / "edited.toml"
    edited.write_bytes(CORE.read_bytes() + b"\n# a comment\n")
    memo.clear_all()
    profiles.read_manifest(edited)
    assert checks == ["profile.toml", "edited.toml"]
    memo.clear_all()
    profiles.read_manifest(CORE, schema={"type": "object"})  # another schema: its own verdict
    assert checks[-1] == "profile.toml" and len(checks) == 3
    monkeypatch.setattr(profiles, "__version__", "0.0.0-other")
    memo.clear_all()
    profiles.read_manifest(CORE)
    assert len(checks) == 4 and len(verdicts(tmp_path)) == 4


def test_a_cache_that_cannot_be_written_only_costs_the_check(checks: list[str], tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("LDT_CONFORM_CACHE", str(blocker))
    for _ in range(2):
        memo.clear_all()
        assert profiles.read_manifest(CORE)["id"] == "dcat-ap-3-core"
    assert checks == ["profile.toml", "profile.toml"]


def test_a_catalogue_run_with_remembered_manifests_never_imports_jsonschema(tmp_path: Path) -> None:
    catalogue = REPO / "examples" / "twin" / "catalogue.ttl"
    code = ("import sys; from ldt_conform import api; "
            f"api.check([{str(catalogue)!r}], api.CheckOptions(profile='dcat-ap-3-core', jobs=1, offline=True)); "
            "print('jsonschema' in sys.modules)")
    # Offline, and the artefact seed the other tests use: no run here may reach the network.
    env = {"LDT_CONFORM_CACHE": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin",
           **{k: v for k, v in os.environ.items() if k == "LDT_CONFORM_SEED"}}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True,
                           cwd=REPO).stdout.split() for _ in range(2)]
    assert runs == [["True"], ["False"]]  # the first run checks the chain's manifests, the second remembers them
