"""The check command's contract: exit codes, selectors, outputs, profiles and rules listing, bad profiles."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO, run_cli

OK = str(EXAMPLES / "catalogue-ok.ttl")
DEFECTS = str(EXAMPLES / "catalogue-defects.ttl")


def test_version() -> None:
    from ldt_conform import __version__

    assert __version__ in run_cli(["--version"]).stdout


def test_python_dash_m() -> None:
    done = subprocess.run([sys.executable, "-m", "ldt_conform", "--version"], capture_output=True, text=True,
                          cwd=REPO, timeout=60)
    assert done.returncode == 0 and "ldt-conform" in done.stdout


def test_conforming_example_exits_0() -> None:
    result = run_cli(["check", OK, "--profile", "dcat-ap-3-core"], expect=0)
    assert "CONFORMS" in result.stdout


def test_defective_example_exits_1_and_says_what_to_fix() -> None:
    result = run_cli(["check", DEFECTS, "--profile", "dcat-ap-3-core"], expect=1)
    assert "DOES NOT CONFORM" in result.stdout
    assert "https://semiceu.github.io/DCAT-AP/releases/3.0.1/" in result.stdout


def test_check_and_baseline_share_one_options_object() -> None:
    """Both commands fill CheckArgs; baseline has check's options minus the report ones, plus -o FILE."""
    from dataclasses import fields

    from ldt_conform.cli import _REPORT_OPTIONS, CheckArgs, baseline, check

    assert {f.name for f in fields(CheckArgs)} == {p.name for p in check.params} | {"baseline_out"}
    assert set(_REPORT_OPTIONS) <= {p.name for p in check.params}
    assert [p.name for p in baseline.params] == [
        *(p.name for p in check.params if p.name not in _REPORT_OPTIONS), "baseline_out"]


def test_select_and_ignore(tmp_path: Path) -> None:
    everything = json.loads(run_cli(["check", DEFECTS, "--profile", "dcat-ap-3-core", "--format", "json"],
                                    expect=1).stdout)
    failing = sorted({f["rule"] for f in everything["findings"]})
    assert len(failing) >= 2
    one = failing[0]
    only = json.loads(run_cli(["check", DEFECTS, "--profile", "dcat-ap-3-core", "--format", "json", "--select", one],
                              expect=1).stdout)
    assert {f["rule"] for f in only["findings"]} == {one}
    assert {r["rule"] for r in only["results"] if r["status"] != "skip"} == {one}
    # every other rule of the profile is in the report as not verified (not selected), and the scope says so
    left_out = [r for r in only["results"] if r["rule"] != one]
    assert left_out and {(r["status"], r["why"]) for r in left_out} == {("skip", "not-selected")}
    assert (only["options"]["select"], only["options"]["rules_selected"], only["options"]["narrowed"]) == (
        [one], 1, True)
    assert only["summary"]["scope"].startswith(f"1 of {only['options']['rules_total']} rules selected (--select {one})")
    rest = json.loads(run_cli(["check", DEFECTS, "--profile", "dcat-ap-3-core", "--format", "json", "--ignore", one],
                              expect=None).stdout)
    assert one not in {f["rule"] for f in rest["findings"]}
    by_prefix = json.loads(run_cli(["check", DEFECTS, "--profile", "dcat-ap-3-core", "--format", "json",
                                    "--select", "DCATAP-1"], expect=None).stdout)
    assert all(r["rule"].startswith("DCATAP-1") for r in by_prefix["results"] if r.get("why") != "not-selected")


def test_unknown_selector_exits_2() -> None:
    result = run_cli(["check", OK, "--select", "NOPE-999"], expect=2)
    assert result.stderr.strip() == "error: NOPE-999: unknown rule selector (not a rule ID, ID prefix, name or alias)"


def test_unknown_profile_exits_2() -> None:
    result = run_cli(["check", OK, "--profile", "no-such-profile"], expect=2)
    assert "no-such-profile" in result.stderr and "unknown profile" in result.stderr


def test_output_and_several_reports_from_one_run(tmp_path: Path) -> None:
    out, extra = tmp_path / "main.json", tmp_path / "also.txt"
    result = run_cli(["check", DEFECTS, "--profile", "dcat-ap-3-core", "--format", "json", "--output", str(out),
                      "--report", f"text={extra}"], expect=1)
    assert result.stdout == ""
    assert json.loads(out.read_text())["format"] == "ldt-conform/report@1"
    assert "DOES NOT CONFORM" in extra.read_text()


def test_unwritable_output_exits_2_before_running(tmp_path: Path) -> None:
    result = run_cli(["check", OK, "--report", f"json={tmp_path}/missing-dir/r.json"], expect=2)
    assert "missing-dir" in result.stderr
    result = run_cli(["check", OK, "--report", "nosuchformat=x.out"], expect=2)
    assert "unknown report format" in result.stderr


def test_no_color_and_plain_output() -> None:
    result = run_cli(["check", DEFECTS, "--profile", "dcat-ap-3-core"], expect=1, env={"NO_COLOR": "1"})
    assert "\x1b[" not in result.stdout


def test_profiles_list_and_rules() -> None:
    listed = run_cli(["profiles", "list", "--format", "json"]).stdout
    ids = {p["id"] for p in json.loads(listed)}
    assert {"dcat-ap-3-core", "dcat-ap-3"} <= ids
    table = run_cli(["rules", "dcat-ap-3-core"]).stdout
    assert "DCATAP-" in table and "severity" in table
    first = next(line.split()[0] for line in table.splitlines() if line.startswith("DCATAP-"))
    detail = run_cli(["rules", "dcat-ap-3-core", first]).stdout
    assert first in detail and "clause:" in detail and "https://" in detail
    run_cli(["rules", "dcat-ap-3-core", "NOPE-1"], expect=2)


BAD_PROFILES = {
    "syntax": ('format = "ldt-conform/profile@1"\nid = "x"\nversion = 1.0.0\n', ":3:"),
    "schema": ('format = "ldt-conform/profile@1"\nid = "x"\nversion = "1"\ntitle = "t"\n[[rules]]\nid = "X-001"\n'
               'name = "BadName"\ntitle = "t"\nseverity = "error"\nrefs = [{id = "r"}]\nshacl = {shapes = ["http://x/s"]}\n',
               "#rules[id=X-001].name"),
    "unknown-key": ('format = "ldt-conform/profile@1"\nid = "x"\nversion = "1"\ntitle = "t"\ncolour = "red"\n',
                    "unknown key"),
    "no-check": ('format = "ldt-conform/profile@1"\nid = "x"\nversion = "1"\ntitle = "t"\n[[rules]]\nid = "X-001"\n'
                 'name = "a"\ntitle = "t"\nseverity = "error"\nrefs = [{id = "r"}]\n', "exactly one check table"),
    "bad-extends": ('format = "ldt-conform/profile@1"\nid = "x"\nversion = "1"\ntitle = "t"\nextends = "nope-nope"\n',
                    "#extends"),
    "bad-override": ('format = "ldt-conform/profile@1"\nid = "x"\nversion = "1"\ntitle = "t"\nextends = "dcat-ap-3-core"\n'
                     '[override."DCATAP-999"]\nseverity = "info"\n', "#override.DCATAP-999"),
}


@pytest.mark.parametrize("case", sorted(BAD_PROFILES))
def test_bad_profile_exits_2_naming_the_place(tmp_path: Path, case: str) -> None:
    text, where = BAD_PROFILES[case]
    manifest = tmp_path / "profile.toml"
    manifest.write_text(text, "utf-8")
    result = run_cli(["check", OK, "--profile", str(manifest)], expect=2)
    assert result.stderr.count("\n") == 1 and str(manifest) in result.stderr and where in result.stderr, result.stderr


def test_override_changes_severity_and_is_recorded(tmp_path: Path) -> None:
    base = json.loads(run_cli(["check", DEFECTS, "--profile", "dcat-ap-3-core", "--format", "json"], expect=1).stdout)
    rule = sorted({f["rule"] for f in base["findings"] if f["severity"] == "error"})[0]
    manifest = tmp_path / "profile.toml"
    manifest.write_text(f'format = "ldt-conform/profile@1"\nid = "city"\nversion = "1"\ntitle = "City"\n'
                        f'extends = "dcat-ap-3-core"\n[override."{rule}"]\nseverity = "info"\n', "utf-8")
    report = json.loads(run_cli(["check", DEFECTS, "--profile", str(manifest), "--format", "json"],
                                expect=None).stdout)
    assert report["profile"]["overridden"] == [rule]
    assert {f["severity"] for f in report["findings"] if f["rule"] == rule} == {"info"}


def test_no_traceback_without_debug(tmp_path: Path) -> None:
    file = tmp_path / "x.ttl"
    file.write_text("@prefix : <http://a/> .\n:a :b", "utf-8")
    result = run_cli(["check", str(file)], expect=2)
    assert "Traceback" not in result.stderr
    debug = run_cli(["check", str(file), "--debug"], expect=2)
    assert "Traceback" in debug.stderr


def test_profiles_list_as_a_table_has_a_row_per_profile_with_the_json_s_values() -> None:
    """The text table (render/text.profiles_table) and the JSON list say the same: id, version, title, rule count,
    extends. Output that is not a terminal is 200 columns wide; a longer title wraps onto lines of its own."""
    profiles = json.loads(run_cli(["profiles", "list", "--format", "json"]).stdout)
    header, *lines = run_cli(["profiles", "list"]).stdout.splitlines()
    names = ["id", "version", "title", "rules", "extends"]
    assert header.split() == names
    starts = [header.index(name) for name in names]
    rows: list[list[str]] = []
    for line in lines:
        cells = [line[a:b].strip() for a, b in zip(starts, [*starts[1:], None])]
        if line[:starts[1]].strip():
            rows.append(cells)
        else:  # a wrapped title (or extends) goes on below its row
            rows[-1] = [" ".join(filter(None, (old, new))) for old, new in zip(rows[-1], cells)]
    assert rows == [[p["id"], p["version"], p["title"], str(p["rules"]), p["extends"]] for p in profiles]
