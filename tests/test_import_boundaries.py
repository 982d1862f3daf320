"""The architecture's import contracts (DESIGN.md), checked by walking the AST of every module."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "ldt_conform"
# dependency → the only modules (relative to the package) allowed to import it
ALLOWED = {
    "click": {"cli.py"},
    "rich": {"render/text.py"},
    "requests": {"fetch.py"},
    "urllib3": {"fetch.py"},
    "http.client": {"fetch.py"},
    "socket": {"fetch.py"},
    "ssl": {"fetch.py"},
    "pyshacl": {"checks/shacl.py"},
    # numbers in the reader's language have one formatter (tests/test_i18n.py)
    "babel": {"render/numbers.py"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_import_boundaries(module: Path) -> None:
    relative = str(module.relative_to(PACKAGE))
    for name in _imports(module):
        for dependency, allowed in ALLOWED.items():
            if name == dependency or name.startswith(dependency + "."):
                assert relative in allowed, f"{relative} imports {name}; only {sorted(allowed)} may"


def test_model_imports_nothing_internal() -> None:
    assert not any(n.startswith("ldt_conform") for n in _imports(PACKAGE / "model.py"))
