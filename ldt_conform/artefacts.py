"""The artefact store: upstream files named by URL, pinned by sha256, fetched once, cached or seeded."""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from ldt_conform.errors import FetchError
from ldt_conform.fetch import Fetcher

CACHE_ENV = "LDT_CONFORM_CACHE"
SEED_ENV = "LDT_CONFORM_SEED"
SEED_SUFFIXES = {".json", ".jsonld", ".yaml", ".yml", ".ttl", ".rdf", ".nt", ".xml", ".txt"}


@dataclass(frozen=True)
class Pin:
    url: str
    sha256: str
    name: str = ""
    version: str = ""
    licence: str = ""


def default_cache_dir() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ldt-conform" / "artefacts"


@dataclass
class ArtefactStore:
    """Resolves pinned URLs to bytes without trusting anything whose hash does not match its pin."""

    pins: dict[str, Pin] = field(default_factory=dict)
    cache_dir: Path = field(default_factory=default_cache_dir)
    seed_dirs: list[Path] = field(default_factory=list)
    offline: bool = False
    use_cache: bool = True
    fetcher: Fetcher | None = None
    _seed_index: dict[str, Path] | None = None

    def __post_init__(self) -> None:
        if os.environ.get(SEED_ENV):
            self.seed_dirs.extend(Path(p) for p in os.environ[SEED_ENV].split(os.pathsep) if p)

    def add_pins(self, pins: Iterable[Pin]) -> None:
        for pin in pins:
            self.pins[_strip_fragment(pin.url)] = pin

    def add_profile_artefacts(self, artefacts: Mapping[str, Mapping[str, str]]) -> None:
        self.add_pins(Pin(a["url"], a["sha256"], name, a.get("version", ""), a.get("licence", ""))
                      for name, a in artefacts.items())

    def pin_for(self, url: str) -> Pin | None:
        return self.pins.get(_strip_fragment(url))

    def get(self, url: str) -> bytes | None:
        """The pinned bytes for `url`, or None when they can't be had offline ("not verifiable offline")."""
        pin = self.pin_for(url)
        if pin is None:
            return None
        return self.get_pinned(pin)

    def get_pinned(self, pin: Pin) -> bytes | None:
        cached = self.cache_dir / pin.sha256
        if self.use_cache and cached.is_file():
            data = cached.read_bytes()
            if _sha(data) == pin.sha256:
                return data
        seeded = self._seeds().get(pin.sha256)
        if seeded is not None:
            data = seeded.read_bytes()
            self._write_cache(pin.sha256, data)
            return data
        if self.offline or self.fetcher is None:
            return None
        try:
            response = self.fetcher.get(pin.url)
        except FetchError:
            return None
        if _sha(response.body) != pin.sha256:
            # A moved or changed upstream file must never be trusted in place of the pinned one.
            return None
        self._write_cache(pin.sha256, response.body)
        return response.body

    def _seeds(self) -> dict[str, Path]:
        if self._seed_index is None:
            index: dict[str, Path] = {}
            for directory in self.seed_dirs:
                if not directory.is_dir():
                    continue
                for file in sorted(directory.rglob("*")):
                    if file.is_file() and file.suffix.lower() in SEED_SUFFIXES and file.stat().st_size < 64 << 20:
                        index.setdefault(_sha(file.read_bytes()), file)
            self._seed_index = index
        return self._seed_index

    def _write_cache(self, sha256: str, data: bytes) -> None:
        if not self.use_cache:
            return
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.cache_dir, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, self.cache_dir / sha256)
        except OSError:
            # A read-only cache only costs a re-fetch next time; it must not fail the run.
            pass


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _strip_fragment(url: str) -> str:
    return url.split("#", 1)[0]
