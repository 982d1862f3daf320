"""The built wheel carries the shipped profiles: install it into a fresh virtual environment and list them."""
from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import REPO


@pytest.mark.slow
def test_wheel_ships_profiles(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(REPO)],
                   check=True, capture_output=True, timeout=300)
    [wheel] = dist.glob("*.whl")
    env_dir = tmp_path / "venv"
    # System site packages provide the dependencies (no network needed); the package itself comes only from the wheel.
    venv.EnvBuilder(with_pip=True, system_site_packages=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)], check=True,
                   capture_output=True, timeout=300)
    # Run from an empty directory so the repo checkout can't be imported by accident.
    done = subprocess.run([str(env_dir / "bin" / "ldt-conform"), "profiles", "list"], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "dcat-ap-3-core" in done.stdout
    where = subprocess.run([str(python), "-c", "import ldt_conform, sys; print(ldt_conform.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, check=True).stdout
    assert str(env_dir) in where, f"imported from {where}, not from the wheel"
