"""memtrim: the heap's free memory handed back between the big steps of a run (glibc), a no-op elsewhere."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from ldt_conform import api, engine, memtrim, quality_fork

HERE = Path(__file__).parent


def test_trim_asks_glibc_on_linux_and_nothing_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    memtrim._libc.cache_clear()
    if sys.platform.startswith("linux"):
        assert memtrim.trim() is True
    monkeypatch.setattr(sys, "platform", "darwin")
    memtrim._libc.cache_clear()
    try:
        assert memtrim.trim() is False
    finally:
        monkeypatch.undo()
        memtrim._libc.cache_clear()


def test_a_check_trims_after_the_load_before_the_fork_and_after_the_rules(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The child starts with every page its parent holds, so what the load freed is handed back before the fork; what
    the rules' queries freed, before the score builds its data."""
    import subprocess

    path = tmp_path / "generated.ttl"
    subprocess.run([sys.executable, str(HERE.parent / "benchmarks" / "generate_catalogue.py"), "20", str(path)],
                   check=True)
    order: list[str] = []
    real_start, real_run = quality_fork.start, engine.run

    def start(*a: Any, **k: Any) -> Any:
        order.append("fork")
        return real_start(*a, **k)

    def run(*a: Any, **k: Any) -> Any:
        order.append("rules")
        return real_run(*a, **k)

    monkeypatch.setattr(memtrim, "trim", lambda: order.append("trim") or True)
    monkeypatch.setattr(quality_fork, "start", start)
    monkeypatch.setattr(engine, "run", run)
    report = api.check([str(path)], api.CheckOptions(profile="dcat-ap-3-core", offline=True, jobs=1))
    assert order == ["trim", "fork", "rules", "trim"]
    assert report.quality["catalogues"][0]["datasets"] == 20
