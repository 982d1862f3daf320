"""Hygiene gates run by the README's test command: ruff and mypy clean over the package, one home for tool-rule IDs."""
from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import pytest

from conftest import REPO
from ldt_conform import tool_ids


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_ruff_is_clean() -> None:
    done = _run("ruff", "check", "--no-cache", "ldt_conform")
    assert done.returncode == 0, f"ruff found problems (configured in pyproject.toml):\n{done.stdout}{done.stderr}"


@pytest.mark.slow
def test_mypy_is_clean() -> None:
    done = _run("mypy", "--cache-dir", str(REPO / ".mypy_cache"))
    assert done.returncode == 0, f"mypy found problems (configured in pyproject.toml):\n{done.stdout}{done.stderr}"


def test_tool_rule_ids_match_their_texts() -> None:
    """tool_ids.py names exactly the LC rules that tool_rules.toml describes."""
    data = tomllib.loads((REPO / "ldt_conform" / "tool_rules.toml").read_text("utf-8"))
    assert sorted(r["id"] for r in data["rules"]) == sorted(tool_ids.ALL)
    assert all(tool_ids.is_tool_rule(i) for i in tool_ids.ALL)


def test_tool_rule_ids_are_named_only_in_their_module() -> None:
    """No module spells an LC-… ID as a string literal: they read ldt_conform.tool_ids."""
    literal = re.compile(r"""["']LC-\d{3}["']""")
    offenders = [f"{path.relative_to(REPO)}:{number}"
                 for path in sorted((REPO / "ldt_conform").rglob("*.py")) if path.name != "tool_ids.py"
                 for number, line in enumerate(path.read_text("utf-8").splitlines(), 1) if literal.search(line)]
    assert offenders == []
