"""Rule cases: one TOML file of short named pass/fail cases per rule (profiles/<profile>/cases/<RULE-ID>.toml)."""
from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ldt_conform.errors import ProfileError, loads_toml
from ldt_conform.model import Rule

# Prepended to every turtle case, so a case holds only the triples that matter.
PREFIXES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "adms": "http://www.w3.org/ns/adms#",
    "prov": "http://www.w3.org/ns/prov#",
    "odrl": "http://www.w3.org/ns/odrl/2/",
    "locn": "http://www.w3.org/ns/locn#",
    "schema": "http://schema.org/",
    "spdx": "http://spdx.org/rdf/terms#",
    "dcatap": "http://data.europa.eu/r5r/",
    "cv": "http://data.europa.eu/m8g/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "gsp": "http://www.opengis.net/ont/geosparql#",
    "time": "http://www.w3.org/2006/time#",
    "ex": "http://example.org/",
}
SYNTAXES = {"turtle": ".ttl", "json": ".json"}
EXPECTS = ("pass", "fail")
BLANK = "_:"  # an expected focus or value "_:" stands for any blank node (labels differ between runs)
_FILE_KEYS = {"rule", "syntax", "cases"}
_CASE_KEYS = {"name", "expect", "data", "like", "findings", "also"}
_FINDING_KEYS = {"focus", "path", "value", "shape"}
_ALSO_KEYS = {"rule", "focus", "path", "value"}
_KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class Expected:
    """One finding a fail case must produce; `shape` is the full IRI (prefixes expanded)."""

    focus: str
    path: str | None = None
    value: str | None = None
    shape: str | None = None
    shape_text: str | None = None  # as written in the file, for display
    rule: str | None = None  # only in `also`: the other rule that raises it


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    expect: str
    data: str
    like: str | None = None  # fail cases: the pass case this one differs from (resolved: never None for fail)
    findings: tuple[Expected, ...] = ()
    # Fail cases only: findings of OTHER rules the defect raises too, because another rule of the chain checks the
    # same thing (a recommendation this profile makes mandatory, an overlapping shape). Compared exactly.
    also: tuple[Expected, ...] = ()


@dataclass(frozen=True, slots=True)
class RuleCases:
    rule: str
    path: Path
    syntax: str
    cases: tuple[Case, ...]

    def case(self, name: str) -> Case:
        return next(c for c in self.cases if c.name == name)

    @property
    def suffix(self) -> str:
        return SYNTAXES[self.syntax]


def cases_dir(rule: Rule) -> Path:
    """Cases live beside the manifest of the profile that defines the rule."""
    return Path(rule.check["base_dir"]) / "cases"


def cases_file(rule: Rule) -> Path:
    return cases_dir(rule) / f"{rule.id}.toml"


def default_syntax(rule: Rule) -> str:
    return "json" if rule.kind == "json_schema" else "turtle"


def for_rule(rule: Rule, prefixes: Mapping[str, str]) -> RuleCases | None:
    """The rule's cases, or None when it has no cases file."""
    path = cases_file(rule)
    return load(path, rule, prefixes) if path.is_file() else None


def load(path: Path, rule: Rule, prefixes: Mapping[str, str]) -> RuleCases:
    """Read and validate a cases file; any problem is a ProfileError naming the file and key."""
    try:
        raw = loads_toml(path.read_text(encoding="utf-8"), str(path))
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(str(path), f"not valid TOML: {exc}") from None
    _no_unknown(raw, _FILE_KEYS, f"{path}")
    if raw.get("rule") != rule.id:
        raise ProfileError(f"{path}#rule", f"must be {rule.id!r} (the file's name), found {raw.get('rule')!r}")
    syntax = raw.get("syntax", default_syntax(rule))
    if syntax not in SYNTAXES:
        raise ProfileError(f"{path}#syntax", f"{syntax!r} is not one of {', '.join(SYNTAXES)}")
    items = raw.get("cases")
    if not isinstance(items, list) or not items:
        raise ProfileError(f"{path}#cases", "needs at least one [[cases]] table")
    cases = [_case(item, f"{path}#cases[{i}]", rule, prefixes) for i, item in enumerate(items)]
    names = [c.name for c in cases]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise ProfileError(f"{path}#cases[{i}].name", f"{name!r} is used by an earlier case")
    passes = [c.name for c in cases if c.expect == "pass"]
    resolved = []
    for i, case in enumerate(cases):
        if case.expect == "fail":
            like = case.like or (passes[0] if passes else None)
            if like is None:
                raise ProfileError(f"{path}#cases[{i}].like", "a fail case needs a pass case to differ from")
            if like not in passes:
                raise ProfileError(f"{path}#cases[{i}].like", f"{like!r} is not the name of a pass case of this file")
            case = Case(case.name, case.expect, case.data, like, case.findings, case.also)
        resolved.append(case)
    return RuleCases(rule.id, path, syntax, tuple(resolved))


def _case(item: Any, where: str, rule: Rule, prefixes: Mapping[str, str]) -> Case:
    if not isinstance(item, dict):
        raise ProfileError(where, "a case is a table")
    _no_unknown(item, _CASE_KEYS, where)
    for key in ("name", "expect", "data"):
        if not isinstance(item.get(key), str):
            raise ProfileError(f"{where}.{key}", "required, a string")
    name = item["name"]
    if not _KEBAB.match(name):
        raise ProfileError(f"{where}.name", f"{name!r} is not kebab-case")
    expect = item["expect"]
    if expect not in EXPECTS:
        raise ProfileError(f"{where}.expect", f"{expect!r} is not 'pass' or 'fail'")
    like = item.get("like")
    if like is not None and (expect == "pass" or not isinstance(like, str)):
        raise ProfileError(f"{where}.like", "only a fail case has `like`, the name of a pass case")
    findings = item.get("findings")
    if expect == "pass":
        if findings is not None:
            raise ProfileError(f"{where}.findings", "a pass case raises no finding of its rule; drop `findings`")
        if "also" in item:
            raise ProfileError(f"{where}.also", "only a fail case has `also` (the other rules its defect raises)")
        return Case(name, expect, item["data"])
    if not isinstance(findings, list) or not findings:
        raise ProfileError(f"{where}.findings", "a fail case lists the findings it must produce (at least one)")
    expected = tuple(_finding(f, f"{where}.findings[{i}]", rule, prefixes) for i, f in enumerate(findings))
    also = item.get("also", [])
    if not isinstance(also, list) or (not also and "also" in item):
        raise ProfileError(f"{where}.also", "a list of { rule = ..., focus = ..., path = ..., value = ... }; "
                                            "omit it when empty")
    others = tuple(_also(f, f"{where}.also[{i}]", rule) for i, f in enumerate(also))
    return Case(name, expect, item["data"], like, expected, others)


def _string_table(item: Any, allowed: set[str], required: tuple[str, ...], where: str, what: str) -> dict[str, str]:
    """An inline table of strings with only `allowed` keys and all `required` ones; `what` says what it should be."""
    if not isinstance(item, dict):
        raise ProfileError(where, what)
    _no_unknown(item, allowed, where)
    for key, value in item.items():
        if not isinstance(value, str):
            raise ProfileError(f"{where}.{key}", "must be a string")
    for key in required:
        if key not in item:
            raise ProfileError(f"{where}.{key}", "required")
    return item


def _also(item: Any, where: str, rule: Rule) -> Expected:
    item = _string_table(item, _ALSO_KEYS, ("rule", "focus"), where,
                         "an `also` finding is an inline table { rule = ..., focus = ..., ... }")
    if item["rule"] == rule.id:
        raise ProfileError(f"{where}.rule", f"findings of {rule.id} itself go in `findings`")
    return Expected(item["focus"], item.get("path"), item.get("value"), rule=item["rule"])


def _finding(item: Any, where: str, rule: Rule, prefixes: Mapping[str, str]) -> Expected:
    item = _string_table(item, _FINDING_KEYS, ("focus",), where,
                         "a finding is an inline table { focus = ..., path = ..., ... }")
    shape_text = item.get("shape")
    if rule.kind == "shacl" and shape_text is None:
        raise ProfileError(f"{where}.shape", f"required for the SHACL rule {rule.id}: the rule-owned source shape")
    if rule.kind != "shacl" and shape_text is not None:
        raise ProfileError(f"{where}.shape", f"{rule.id} is not a SHACL rule; drop `shape`")
    shape = _expand(shape_text, prefixes, f"{where}.shape") if shape_text else None
    return Expected(item["focus"], item.get("path"), item.get("value"), shape, shape_text)


def _expand(term: str, prefixes: Mapping[str, str], where: str) -> str:
    if "://" in term or term.startswith("urn:"):
        return term
    prefix, sep, local = term.partition(":")
    if sep and prefix in prefixes:
        return prefixes[prefix] + local
    raise ProfileError(where, f"{term}: unknown prefix {prefix!r} (use one of the profile's [prefixes] or a full IRI)")


def _no_unknown(table: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ProfileError(f"{where}.{unknown[0]}" if "#" in where else f"{where}#{unknown[0]}",
                           f"unknown key (allowed: {', '.join(sorted(allowed))})")


def turtle_prefixes() -> str:
    return "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())


def render_text(case: Case, syntax: str) -> str:
    """The file content of a case: turtle with the standard prefixes prepended; json as written."""
    return turtle_prefixes() + case.data if syntax == "turtle" else case.data


def render(rule_cases: RuleCases, case: Case, folder: Path) -> Path:
    """Write one case to folder/<RULE-ID>/<case-name>.<ext> (so a target's name says rule and case)."""
    target = folder / rule_cases.rule / f"{case.name}{rule_cases.suffix}"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_text(case, rule_cases.syntax), encoding="utf-8")
    return target


def describe(rule_cases: RuleCases, lang: str = "en") -> str:
    """`ldt-conform rules PROFILE ID`: the rule's cases, each with its data and the findings a fail case expects.

    The fixed words follow `lang` (render/labels.py); the case names, data, IRIs and rule IDs are the case file's."""
    from ldt_conform.render.labels import inline, labels

    w = labels(lang)
    c = w["colon"]
    where = f"{rule_cases.path.parent.parent.name}/cases/{rule_cases.path.name}"
    note = f"{w['semicolon']}{w['case_prefixes']}" if rule_cases.syntax == "turtle" else ""
    lines = [f"{w['case_heading']} ({where}, {rule_cases.syntax}{note}){c.rstrip()}"]

    def parts(f: Any, shape: str | None = None) -> str:
        out = [f"{inline(w['focus'], lang)}={f.focus}"]
        out += [f"{inline(w['path'], lang)}={f.path}"] if f.path is not None else []
        out += [f"{inline(w['value'], lang)}={f.value}"] if f.value is not None else []
        out += [f"{w['case_shape']}={shape}"] if shape is not None else []
        return "  ".join(out)

    for case in rule_cases.cases:
        lines.append("")
        lines.append(f"{w['case_' + case.expect]}{c}{case.name}"
                     + (f"  ({w['case_like'].format(case=case.like)})" if case.like else ""))
        lines.extend(f"    {line}" for line in case.data.strip("\n").splitlines())
        for f in case.findings:
            lines.append(f"  {w['case_expected']}{c}{rule_cases.rule} {parts(f, f.shape_text)}")
        for f in case.also:
            lines.append(f"  {w['case_also']}{c}{f.rule} {parts(f)}")
    return "\n".join(lines)
