"""action.yml and .pre-commit-hooks.yaml are valid, and every command and option they call exists."""
from __future__ import annotations

import re
import shlex
import tomllib
from typing import Any

import click
import pytest
import yaml

from conftest import REPO
from ldt_conform.cli import cli

OPTION = re.compile(r"(?<![\w$-])--[a-z][a-z0-9-]+")


def _options(command: click.Command) -> set[str]:
    return {opt for param in command.params if isinstance(param, click.Option) for opt in param.opts}


def _scripts() -> dict[str, str]:
    data = tomllib.loads((REPO / "pyproject.toml").read_text())
    return data["project"]["scripts"]  # type: ignore[no-any-return]


def test_console_script_is_the_cli() -> None:
    assert _scripts()["ldt-conform"] == "ldt_conform.cli:main"
    assert {"check", "baseline", "verify", "diff"} <= set(cli.commands)


def test_action_is_a_valid_composite_action() -> None:
    action: dict[str, Any] = yaml.safe_load((REPO / "action.yml").read_text())
    assert action["name"] and action["description"]
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    for step in steps:
        assert ("run" in step) != ("uses" in step), step
        if "run" in step:
            assert step["shell"] == "bash", "composite run steps need an explicit shell"
            assert "${{ inputs." not in step["run"], "inputs reach scripts through env, never pasted into them"
    for name, spec in action["inputs"].items():
        assert spec["description"] and "default" in spec and isinstance(spec["default"], str), name
    used = {m for step in steps for text in (str(step.get("run", "")), str(step.get("env", "")),
                                             str(step.get("with", "")), str(step.get("if", "")))
            for m in re.findall(r"inputs\.([a-z-]+)", text)}
    used |= set(re.findall(r"inputs\.([a-z-]+)", str(action.get("outputs", ""))))
    assert used <= set(action["inputs"]), f"undeclared inputs: {used - set(action['inputs'])}"
    assert set(action["inputs"]) <= used, f"inputs never used: {set(action['inputs']) - used}"
    uploads = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
    assert uploads and uploads[0]["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    assert any(str(s.get("uses", "")).startswith("actions/setup-python@") for s in steps)


def test_action_calls_existing_subcommands_and_options() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text())
    check_step = next(s for s in action["runs"]["steps"] if s.get("id") == "check")
    script = check_step["run"]
    assert re.search(r'^\s*ldt-conform "\$\{args\[@\]\}"', script, re.M), "the step runs the console script"
    arrays = " ".join(re.findall(r"args\+?=\((.*?)\)", script))
    words = shlex.split(arrays)
    assert words[0] == "check" and "check" in cli.commands
    options = set(OPTION.findall(arrays))
    assert options and options <= _options(cli.commands["check"]), options - _options(cli.commands["check"])
    formats = {w.split("=", 1)[0] for w in words if "=" in w and not w.startswith("-")}
    from ldt_conform.render import RENDERERS

    assert formats == {"sarif", "markdown"} and formats <= set(RENDERERS)
    assert "ldt-conform --version" in " ".join(str(s.get("run", "")) for s in action["runs"]["steps"])


def test_pre_commit_hooks_are_valid_and_call_existing_commands() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert isinstance(hooks, list) and hooks
    ids = [h["id"] for h in hooks]
    assert len(ids) == len(set(ids))
    for hook in hooks:
        for key in ("id", "name", "entry", "language"):
            assert hook.get(key), (hook.get("id"), key)
        assert hook["language"] == "python", "installs the repository's package, which provides the console script"
        re.compile(hook["files"])
        program, subcommand, *options = shlex.split(hook["entry"])
        assert program in _scripts() and subcommand in cli.commands
        assert set(options) <= _options(cli.commands[subcommand])
    assert re.search(hooks[0]["files"], "catalogue/datasets.ttl")
    assert not re.search(hooks[0]["files"], "README.md")


@pytest.mark.corpus  # reads upstream artefacts (the test corpus)
def test_pre_commit_entry_runs_on_a_real_file(tmp_path: Any) -> None:
    from conftest import CORPUS, run_cli

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    _, subcommand, *options = shlex.split(hooks[0]["entry"])
    source = CORPUS / "dcat" / "semic-dcat-ap" / "example1.nt"
    result = run_cli([subcommand, *options, "--profile", "dcat-ap-3-core", str(source)], expect=None)
    assert result.exit_code in (0, 1), result.stderr
