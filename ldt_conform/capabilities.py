"""The capability model (capabilities.toml): per MIM, its capabilities and the rules that give evidence for each."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping

from ldt_conform.errors import ProfileError, loads_toml
from ldt_conform.mims import MIMS

FORMAT = "ldt-conform/capabilities@1"
FILE = "capabilities.toml"


@dataclass(frozen=True, slots=True)
class Capability:
    id: str
    mim: str
    title: str
    source: str
    assess: str
    rules: tuple[str, ...] = ()
    declared: tuple[str, ...] = ()
    checked: str = ""
    # Another capability of the same MIM that must have been assessed for this one to count (e.g. MIM7's context
    # datasets mean something only once geospatial data was found).
    after: str = ""

    @property
    def organisational(self) -> bool:
        """No rule can make it hold: only declared, not machine-verified evidence supports it."""
        return not self.rules and bool(self.declared)

    @property
    def unchecked(self) -> bool:
        """Machine-checkable in principle, but no rule checks it yet."""
        return not self.rules and not self.declared

    def binds(self, rule_id: str) -> bool:
        """A rule ID, or an ID prefix ending in '-' (e.g. 'DCATAP-')."""
        return any(rule_id == ref or (ref.endswith("-") and rule_id.startswith(ref)) for ref in self.rules)


@dataclass(frozen=True, slots=True)
class Model:
    path: str
    version: str
    sources: Mapping[str, str]
    capabilities: tuple[Capability, ...]

    def of(self, mim: str) -> tuple[Capability, ...]:
        return tuple(c for c in self.capabilities if c.mim == mim)

    def mims_of(self, rule_id: str) -> set[str]:
        return {c.mim for c in self.capabilities if c.binds(rule_id)}


def load(path: str | Path | None = None, known_rules: Iterable[str] | None = None, *,
         check_rules: bool = True) -> Model:
    """Read and check a capability model; an unknown MIM, rule or key is a ProfileError naming file#key.

    `check_rules=False` skips only the check that each bound rule exists (see `default`)."""
    if path is None:
        text, where = (resources.files("ldt_conform") / FILE).read_text("utf-8"), FILE
    else:
        where = str(path)
        try:
            text = Path(path).read_text("utf-8")
        except OSError as exc:
            raise ProfileError(where, f"cannot read the capability model: {exc.strerror or exc}") from None
    try:
        data = loads_toml(text, where)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(where, f"not valid TOML: {exc}") from None
    if not check_rules:
        return _build(data, where, None)
    known = set(known_rules) if known_rules is not None else shipped_rule_ids()
    return _build(data, where, known)


@lru_cache(maxsize=1)
def default() -> Model:
    """The shipped model. That its rules exist in the shipped profiles is a property of the package, checked by the
    test suite (tests/blueprint/test_bp_capabilities.py loads it against every shipped rule ID), so a run does not
    read all the profile manifests again for it (about 0.1 s of every `check`)."""
    return load(check_rules=False)


def _build(data: Mapping[str, Any], where: str, known: set[str] | frozenset[str] | None) -> Model:
    if data.get("format") != FORMAT:
        raise ProfileError(f"{where}#format", f"expected '{FORMAT}', found {data.get('format')!r}")
    caps: list[Capability] = []
    seen: set[str] = set()
    for index, raw in enumerate(data.get("capability", [])):
        key = f"{where}#capability[{index}]"
        if not isinstance(raw, dict):
            raise ProfileError(key, "a capability is a table")
        unknown_keys = set(raw) - {"id", "mim", "title", "source", "assess", "rules", "declared", "checked",
                                          "after"}
        if unknown_keys:
            raise ProfileError(f"{key}.{sorted(unknown_keys)[0]}", "unknown key")
        for field in ("id", "mim", "title", "source", "assess"):
            if not isinstance(raw.get(field), str) or not raw[field]:
                raise ProfileError(f"{key}.{field}", "required (a non-empty string)")
        cap_id = raw["id"]
        key = f"{where}#capability.{cap_id}"
        if cap_id in seen:
            raise ProfileError(f"{key}.id", "duplicate capability id")
        seen.add(cap_id)
        if raw["mim"] not in MIMS:
            raise ProfileError(f"{key}.mim", f"unknown MIM '{raw['mim']}' (known: {', '.join(MIMS)})")
        rules = tuple(str(r) for r in raw.get("rules", ()))
        for ref in rules:
            if known is not None and not _matches(ref, known):
                raise ProfileError(f"{key}.rules", f"unknown rule '{ref}' (no shipped rule has this ID or prefix)")
        declared = tuple(str(d) for d in raw.get("declared", ()))
        if not rules and not declared and "no check" not in raw["assess"]:
            raise ProfileError(f"{key}.rules", "a capability needs rules, declared evidence kinds, or an 'assess' "
                                               "text saying that no check exists yet")
        caps.append(Capability(cap_id, raw["mim"], raw["title"], raw["source"], raw["assess"], rules, declared,
                               str(raw.get("checked", "")), str(raw.get("after", ""))))
    ids = {c.id: c for c in caps}
    for cap in caps:
        if cap.after and (cap.after not in ids or ids[cap.after].mim != cap.mim):
            raise ProfileError(f"{where}#capability.{cap.id}.after",
                               f"unknown capability '{cap.after}' (it must belong to the same MIM)")
    missing = [m for m in MIMS if not any(c.mim == m for c in caps)]
    if missing:
        raise ProfileError(f"{where}#capability", f"no capability for MIM '{missing[0]}'")
    return Model(where, str(data.get("version", "")), dict(data.get("sources", {})), tuple(caps))


def _matches(ref: str, known: set[str] | frozenset[str]) -> bool:
    if ref.endswith("-"):
        return any(r.startswith(ref) for r in known)
    return ref in known


@lru_cache(maxsize=1)
def shipped_rule_ids() -> frozenset[str]:
    """Every rule ID of every shipped profile, read straight from the manifests (no shapes are parsed)."""
    from ldt_conform.profile import list_shipped

    ids: set[str] = set()
    for manifest in list_shipped():
        with open(manifest, "rb") as handle:
            ids.update(str(r["id"]) for r in tomllib.load(handle).get("rules", ()) if "id" in r)
    return frozenset(ids)
