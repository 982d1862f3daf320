"""Golden files: compared exactly; a missing golden fails; only LDT_CONFORM_REGEN_GOLDEN=1 rewrites them."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REGEN = "LDT_CONFORM_REGEN_GOLDEN"
# Names used before there was one: setting one of them must not look like it regenerated anything.
RETIRED = ("LDT_UPDATE_GOLDEN", "LDT_CONFORM_UPDATE_GOLDEN")


def regenerating() -> bool:
    """True only for LDT_CONFORM_REGEN_GOLDEN=1, and never under CI (goldens are reviewed, not written by CI)."""
    for name in RETIRED:
        if os.environ.get(name):
            pytest.fail(f"{name} is no longer read; the one variable that rewrites goldens is {REGEN}=1")
    if os.environ.get(REGEN) != "1":
        return False
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{REGEN}=1 under CI: goldens are rewritten by hand and reviewed, never by CI")
    return True


def check(path: Path, actual: str) -> None:
    """Compare `actual` with the golden file at `path` (or rewrite it when regenerating)."""
    if regenerating():
        path.write_text(actual, "utf-8")
        return
    if not path.is_file():
        pytest.fail(f"golden file {path} is missing; create it with {REGEN}=1 and review it before committing")
    assert actual == path.read_text("utf-8"), (
        f"{path.name} differs from the output; after a deliberate change rerun with {REGEN}=1 and review the diff")
