"""Profile manifests: TOML → checked against the profile JSON Schema → extends and overrides resolved → Profile."""
from __future__ import annotations

import hashlib
import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from ldt_conform import __version__, memo
from ldt_conform.errors import ProfileError, UsageError, loads_toml
from ldt_conform.model import ProfileInfo, Ref, Rule, Severity

if TYPE_CHECKING:
    import jsonschema

CHECK_KINDS = ("shacl", "json_schema", "api", "transport")
# Under the artefact cache: one empty file per manifest found valid, named by the hash of the tool version, the schema
# and the manifest's bytes (_verdict_key). A later run that reads the same bytes skips the schema check, and with it
# the import of jsonschema (0.13 s, a tenth of a small run).
VERDICTS = "valid-manifests"
PROFILE_PATH_ENV = "LDT_CONFORM_PROFILE_PATH"


@dataclass(frozen=True)
class Profile:
    """A resolved profile: its own identity plus every rule and artefact of its `extends` chain."""

    id: str
    version: str
    title: str
    path: Path
    sha256: str
    rules: tuple[Rule, ...]
    overridden: tuple[str, ...] = ()
    chain: tuple[str, ...] = ()
    shacl_files: tuple[Path, ...] = ()
    prefixes: Mapping[str, str] = field(default_factory=dict)
    artefacts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    vocabularies: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    tombstones: tuple[Mapping[str, str], ...] = ()
    manifest: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""

    def info(self) -> ProfileInfo:
        return ProfileInfo(self.id, self.version, self.title, self.sha256, self.overridden, self.chain,
                           self.vocabularies)

    def rule(self, selector: str) -> Rule:
        matches = match_rules(self.rules, selector)
        if len(matches) != 1:
            raise UsageError(selector, f"no single rule of profile {self.id} matches this selector")
        return matches[0]


def shipped_profiles_dir() -> Path:
    """The shipped profiles: inside the wheel they live in the package, in a checkout at the repo root."""
    packaged = Path(str(resources.files("ldt_conform"))) / "profiles"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "profiles"


def search_dirs() -> list[Path]:
    extra = [Path(p) for p in os.environ.get(PROFILE_PATH_ENV, "").split(os.pathsep) if p]
    return [*extra, shipped_profiles_dir()]


def list_shipped() -> list[Path]:
    """Manifest paths of every profile on the search path, by id."""
    found: dict[str, Path] = {}
    for directory in search_dirs():
        if not directory.is_dir():
            continue
        for manifest in sorted(directory.glob("*/profile.toml")):
            found.setdefault(manifest.parent.name, manifest)
    return [found[k] for k in sorted(found)]


def locate(ref: str, relative_to: Path | None = None) -> Path:
    """A profile reference is a shipped id, a manifest path, or a directory holding profile.toml."""
    candidates: list[Path] = []
    as_path = Path(ref)
    if relative_to is not None and not as_path.is_absolute():
        candidates.append(relative_to / as_path)
    candidates.append(as_path)
    for candidate in candidates:
        try:  # a name too long for the filesystem (found by fuzzing) is not a file, not a crash
            if candidate.is_file():
                return candidate.resolve()
            if candidate.is_dir() and (candidate / "profile.toml").is_file():
                return (candidate / "profile.toml").resolve()
        except OSError:
            continue
    for directory in search_dirs():
        manifest = directory / ref / "profile.toml"
        if re.fullmatch(r"[a-z0-9][a-z0-9.-]{0,200}", ref) and manifest.is_file():
            return manifest.resolve()
    known = ", ".join(p.parent.name for p in list_shipped())
    raise ProfileError(ref, f"unknown profile (not a file, and not a shipped id; shipped: {known})")


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(_schema_bytes())
    return schema


def read_manifest(path: Path, schema: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Parse and schema-check one TOML manifest; errors name file:line:col or file#key."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProfileError(str(path), f"cannot read: {exc.strerror or exc}") from None
    if schema is not None:
        return _parse_and_check(path, raw, schema)
    # The schema check costs ten times the TOML parse, and a chain reads shared parents more than once (ldt4ssc reads
    # dcat-ap-3-core through several): bytes already found valid are not checked again in this process.
    return memo.MANIFESTS.get(hashlib.sha256(raw).digest(), lambda: _parse_and_check(path, raw, None))  # type: ignore[no-any-return]


def _parse_and_check(path: Path, raw: bytes, schema: Mapping[str, Any] | None) -> dict[str, Any]:
    """The manifest's TOML, checked against the profile schema (or the one given)."""
    try:
        data = loads_toml(raw.decode("utf-8"), str(path))
    except UnicodeDecodeError as exc:
        raise ProfileError(str(path), f"not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(_toml_where(path, exc), f"TOML syntax error: {_toml_reason(exc)}") from None
    key = _verdict_key(raw, schema)
    if _known_valid(key):
        return data
    _validate(path, data, schema)
    _remember_valid(key)
    return data


def _validate(path: Path, data: Any, schema: Mapping[str, Any] | None) -> None:
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema or _schema(), format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if errors:
        error = jsonschema.exceptions.best_match(errors) or errors[0]
        raise ProfileError(f"{path}#{_json_key(data, error.absolute_path)}", _schema_reason(error))


def _verdict_key(raw: bytes, schema: Mapping[str, Any] | None) -> str:
    """What a recorded verdict stands for: these bytes, valid against this schema, as this tool version checks."""
    schema_text = json.dumps(schema, sort_keys=True).encode() if schema is not None else _schema_bytes()
    digest = hashlib.sha256(f"{__version__}\0".encode())
    for part in (hashlib.sha256(schema_text).digest(), raw):
        digest.update(part)
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _schema_bytes() -> bytes:
    return (resources.files("ldt_conform") / "schemas" / "profile.schema.json").read_bytes()


def _verdicts() -> Path:
    from ldt_conform.artefacts import default_cache_dir

    return default_cache_dir() / VERDICTS


def _known_valid(key: str) -> bool:
    try:
        return (_verdicts() / key).is_file()
    except OSError:
        return False


def _remember_valid(key: str) -> None:
    """Best effort: a cache that cannot be written only means the next run checks the manifest again."""
    try:
        folder = _verdicts()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / key).touch()
    except OSError:
        pass


def _toml_where(path: Path, exc: tomllib.TOMLDecodeError) -> str:
    line = getattr(exc, "lineno", None)
    col = getattr(exc, "colno", None)
    if line is None:
        found = re.search(r"line (\d+), column (\d+)", str(exc))
        line, col = (int(found.group(1)), int(found.group(2))) if found else (None, None)
    return f"{path}:{line}:{col}" if line else str(path)


def _toml_reason(exc: tomllib.TOMLDecodeError) -> str:
    return getattr(exc, "msg", None) or re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))


def _json_key(data: Any, path: Iterable[Any]) -> str:
    """Readable key path: rules[3] becomes rules[id=DCATAP-101] when the rule has an id."""
    parts: list[str] = []
    node = data
    for step in path:
        if isinstance(step, int):
            ident = node[step].get("id") if isinstance(node, list) and isinstance(node[step], dict) else None
            parts.append(f"[id={ident}]" if ident else f"[{step}]")
        else:
            parts.append(("." if parts else "") + str(step))
        node = node[step] if isinstance(node, (list, dict)) else None
    return "".join(parts) or "(top level)"


def _schema_reason(error: jsonschema.ValidationError) -> str:
    if error.validator == "oneOf" and error.schema_path and "rule" in str(error.schema_path):
        return "a rule needs exactly one check table: shacl, json_schema, api or transport"
    if error.validator == "additionalProperties":
        return str(error.message).replace("Additional properties are not allowed", "unknown key")
    return str(error.message)


def load(ref: str, *, relative_to: Path | None = None) -> Profile:
    """Load a profile by id or path, with its whole extends chain."""
    return _resolve(locate(ref, relative_to), stack=())


def load_manifest(data: Mapping[str, Any], path: Path) -> Profile:
    """Resolve an already-read manifest (the twin manifest uses this: it is a profile plus a twin table)."""
    return _build(dict(data), path, stack=())


def _resolve(path: Path, stack: tuple[Path, ...]) -> Profile:
    if path in stack:
        cycle = " -> ".join(p.parent.name for p in (*stack, path))
        raise ProfileError(str(path), f"extends cycle: {cycle}")
    return _build(read_manifest(path), path, stack)


def _build(data: dict[str, Any], path: Path, stack: tuple[Path, ...]) -> Profile:
    _check_requires(data, path)
    parents_refs = data.get("extends") or []
    if isinstance(parents_refs, str):
        parents_refs = [parents_refs]
    parents = []
    for parent_ref in parents_refs:
        try:
            parent_path = locate(parent_ref, path.parent)
        except ProfileError as exc:
            raise ProfileError(f"{path}#extends", f"cannot find profile '{parent_ref}': {exc.message}") from None
        parents.append(_resolve(parent_path, (*stack, path)))

    prefixes: dict[str, str] = {}
    artefacts: dict[str, Mapping[str, str]] = {}
    vocabularies: dict[str, Mapping[str, str]] = {}
    shacl_files: list[Path] = []
    rules: dict[str, Rule] = {}
    tombstones: list[Mapping[str, str]] = []
    chain: list[str] = []
    hashed: dict[Path, None] = {}
    for parent in parents:
        prefixes.update(parent.prefixes)
        artefacts.update(parent.artefacts)
        vocabularies.update(parent.vocabularies)
        shacl_files.extend(f for f in parent.shacl_files if f not in shacl_files)
        for rule in parent.rules:
            rules.setdefault(rule.id, rule)
        tombstones.extend(parent.tombstones)
        chain.extend(c for c in parent.chain if c not in chain)
        hashed.update(dict.fromkeys(_hashed_files(parent)))

    own_id = data["id"]
    prefixes.update(data.get("prefixes", {}))
    artefacts.update(data.get("artefacts", {}))
    for key, vocab in data.get("vocabularies", {}).items():
        vocabularies[key] = dict(vocab)
    for rel in data.get("shacl", {}).get("files", []):
        file = (path.parent / rel).resolve()
        if not file.is_file():
            raise ProfileError(f"{path}#shacl.files", f"shapes file not found: {rel}")
        if file not in shacl_files:
            shacl_files.append(file)
    refs_table: dict[str, str] = data.get("refs", {})
    for index, raw_rule in enumerate(data.get("rules", [])):
        rule = _make_rule(raw_rule, own_id, prefixes, refs_table, path, index)
        if rule.id in rules and rules[rule.id].profile != own_id:
            raise ProfileError(f"{path}#rules[id={rule.id}]",
                               f"rule id already defined by profile {rules[rule.id].profile}")
        if rule.id in rules:
            raise ProfileError(f"{path}#rules[id={rule.id}]", "duplicate rule id")
        prefix = data.get("prefix")
        if prefix and not rule.id.startswith(prefix + "-"):
            raise ProfileError(f"{path}#rules[id={rule.id}]", f"rule id must start with the profile prefix {prefix}-")
        rules[rule.id] = rule
    tombstones.extend(data.get("tombstones", []))
    _check_unique_names(rules.values(), path)

    overridden: list[str] = []
    for rule_id, change in data.get("override", {}).items():
        matches = [r for r in rules.values() if r.id == rule_id or rule_id in r.aliases]
        if not matches:
            raise ProfileError(f"{path}#override.{rule_id}",
                               "override names a rule that no profile in the chain defines")
        target = matches[0]
        rules[target.id] = _replace(target, severity=Severity(change.get("severity", target.severity.value)),
                                    enabled=change.get("enabled", target.enabled))
        overridden.append(target.id)
    for parent in parents:
        overridden.extend(o for o in parent.overridden if o not in overridden)

    chain.append(own_id)
    hashed[path] = None
    for file in shacl_files:
        hashed[file] = None
    for vocab in vocabularies.values():
        if "file" in vocab:
            hashed[(path.parent / vocab["file"]).resolve()] = None
    return Profile(
        id=own_id, version=data["version"], title=data["title"], path=path,
        sha256=_hash_files(hashed), rules=tuple(sorted(rules.values(), key=lambda r: r.id)),
        overridden=tuple(sorted(overridden)), chain=tuple(chain), shacl_files=tuple(shacl_files),
        prefixes=prefixes, artefacts=artefacts, vocabularies=vocabularies, tombstones=tuple(tombstones),
        manifest=data, description=data.get("description", ""),
    )


def _hashed_files(profile: Profile) -> list[Path]:
    return [profile.path, *profile.shacl_files]


def _hash_files(files: Mapping[Path, None]) -> str:
    """A content hash over every manifest and shapes file of the chain, independent of where they are installed."""
    digest = hashlib.sha256()
    for file in sorted(files, key=lambda p: (p.name, str(p))):
        if file.is_file():
            digest.update(file.name.encode() + b"\0" + hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def _check_requires(data: Mapping[str, Any], path: Path) -> None:
    spec = data.get("requires")
    if not spec:
        return
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        ok = SpecifierSet(spec).contains(__version__, prereleases=True)
    except InvalidSpecifier:
        raise ProfileError(f"{path}#requires", f"not a version specifier: {spec!r}") from None
    if not ok:
        raise ProfileError(f"{path}#requires", f"needs ldt-conform {spec}, this is {__version__}")


def _make_rule(raw: Mapping[str, Any], profile_id: str, prefixes: Mapping[str, str], refs_table: Mapping[str, str],
               path: Path, index: int) -> Rule:
    kind = next(k for k in CHECK_KINDS if k in raw)
    check = dict(raw[kind])
    if kind == "shacl":
        check["shapes"] = [_expand(s, prefixes, f"{path}#rules[id={raw['id']}].shacl.shapes") for s in check["shapes"]]
        check["files"] = [str((path.parent / f).resolve()) for f in check.get("files", [])]
    check["base_dir"] = str(path.parent)
    refs = tuple(Ref(r["id"], r.get("url") or _ref_url(r["id"], refs_table)) for r in raw["refs"])
    return Rule(
        id=raw["id"], name=raw["name"], title=raw["title"], severity=Severity(raw["severity"]), kind=kind,
        check=check, refs=refs, mims=tuple(raw.get("mims", ())), description=raw.get("description", ""),
        message=raw.get("message", ""), aliases=tuple(raw.get("aliases", ())), enabled=raw.get("enabled", True),
        profile=profile_id, i18n={k: dict(v) for k, v in raw.get("i18n", {}).items()},
    )


def _ref_url(ref_id: str, refs_table: Mapping[str, str]) -> str | None:
    """A ref without its own URL borrows the URL of the longest clause prefix in [refs]."""
    best = max((k for k in refs_table if ref_id.startswith(k)), key=len, default=None)
    return refs_table[best] if best else None


def _expand(term: str, prefixes: Mapping[str, str], where: str) -> str:
    if term.startswith("_:"):
        raise ProfileError(where, f"{term}: a rule must own shapes by IRI, not by blank node")
    if "://" in term or term.startswith("urn:"):
        return term
    prefix, sep, local = term.partition(":")
    if sep and prefix in prefixes:
        return prefixes[prefix] + local
    raise ProfileError(where, f"{term}: unknown prefix '{prefix}' (declare it in [prefixes])")


def _check_unique_names(rules: Iterable[Rule], path: Path) -> None:
    seen: dict[str, str] = {}
    for rule in rules:
        for token in (rule.name, *rule.aliases):
            if token in seen and seen[token] != rule.id:
                raise ProfileError(f"{path}#rules[id={rule.id}]",
                                   f"name or alias '{token}' already used by {seen[token]}")
            seen[token] = rule.id


def _replace(rule: Rule, **changes: Any) -> Rule:
    from dataclasses import replace

    return replace(rule, **changes)


def match_rules(rules: Iterable[Rule], selector: str) -> list[Rule]:
    """A selector is an ID, an ID prefix (DCATAP, DCATAP-1), a kebab-case name or an alias."""
    rules = list(rules)
    exact = [r for r in rules if selector in (r.id, r.name) or selector in r.aliases]
    if exact:
        return exact
    return [r for r in rules if r.id.startswith(selector) and (selector.endswith("-") or len(selector) < len(r.id))
            and _prefix_boundary(r.id, selector)]


def _prefix_boundary(rule_id: str, selector: str) -> bool:
    # "DCATAP" selects DCATAP-101 and "DCATAP-1" selects DCATAP-1xx, but "DCA" selects nothing: prefixes end
    # at the dash or inside the number, never inside the pack prefix.
    pack, _, _ = rule_id.partition("-")
    return len(selector) >= len(pack)


def select(rules: Iterable[Rule], include: Iterable[str] = (), exclude: Iterable[str] = ()) -> tuple[Rule, ...]:
    """Apply --select / --ignore; an unknown selector is a usage error, never silently nothing."""
    rules = tuple(rules)
    include, exclude = list(include), list(exclude)
    for selector in (*include, *exclude):
        if not match_rules(rules, selector):
            raise UsageError(selector, "unknown rule selector (not a rule ID, ID prefix, name or alias)")
    chosen = {r.id for s in include for r in match_rules(rules, s)} if include else {r.id for r in rules}
    dropped = {r.id for s in exclude for r in match_rules(rules, s)}
    return tuple(r for r in rules if r.id in chosen and r.id not in dropped and r.enabled)
