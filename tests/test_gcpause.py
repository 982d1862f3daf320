"""The collector is paused for a run (gcpause.py) and restored as it was, also when the run fails."""
from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest

from ldt_conform import api, engine, gcpause, quality
from ldt_conform.errors import LoadError

CATALOGUE = Path(__file__).parents[1] / "examples" / "twin" / "catalogue.ttl"


@pytest.mark.parametrize("step", ["rules", "score"])
@pytest.mark.parametrize("enabled_before", [True, False])
def test_a_check_runs_with_the_collector_paused_and_restores_it(enabled_before: bool, step: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    module, name = (engine, "run") if step == "rules" else (quality, "score_catalogue")
    real = getattr(module, name)

    def spy(*a: Any, **k: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*a, **k)

    monkeypatch.setattr(module, name, spy)
    try:
        gc.enable() if enabled_before else gc.disable()
        report = api.check([str(CATALOGUE)], api.CheckOptions(profile="dcat-ap-3-core", offline=True))
        after = gc.isenabled()
    finally:
        gc.enable()
    assert (seen, after) == ([False], enabled_before)
    assert report.quality["catalogues"][0]["datasets"] == 6


def test_a_failed_check_restores_the_collector(tmp_path: Path) -> None:
    gc.enable()
    with pytest.raises(LoadError):
        api.check([str(tmp_path / "missing.ttl")], api.CheckOptions(profile="dcat-ap-3-core", offline=True))
    assert gc.isenabled()


def test_paused_nests() -> None:
    gc.enable()
    with gcpause.paused():
        with gcpause.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
