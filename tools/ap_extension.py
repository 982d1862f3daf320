"""Write the profile of a DCAT-AP extension (manifest, shapes, rule cases) from tables that restate its specification.

Shared by tools/geodcat_ap_3.py and tools/mobilitydcat_ap.py, in the manner of tools/dcat_ap_2_core.py: each script
holds the tables (classes, the property kinds of the spec's range column, rules) and calls `write`; the output is then
the source of truth and reviewed like hand-written data. The official SHACL files are only the comparison of
tests/test_dcat_fidelity.py, never an input. Only what the extension adds to its base profile is written: the base
profile (`extends`) keeps checking its own properties.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
IRI = {
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
    "adms": "http://www.w3.org/ns/adms#", "dcatap": "http://data.europa.eu/r5r/", "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#", "prov": "http://www.w3.org/ns/prov#", "locn": "http://www.w3.org/ns/locn#",
    "vcard": "http://www.w3.org/2006/vcard/ns#", "org": "http://www.w3.org/ns/org#", "dqv": "http://www.w3.org/ns/dqv#",
    "cnt": "http://www.w3.org/2011/content#", "geodcatap": "http://data.europa.eu/930/", "oa": "http://www.w3.org/ns/oa#",
    "sdmxattr": "http://purl.org/linked-data/sdmx/2009/attribute#", "mobilitydcatap": "https://w3id.org/mobilitydcat-ap#",
}
# Prefixes that ldt_conform/cases.py PREFIXES already declares for every turtle case.
CASE_PREFIXES = {"rdfs", "xsd", "owl", "dcat", "dct", "foaf", "vcard", "skos", "adms", "prov", "locn", "dcatap"}


@dataclass(frozen=True)
class Cls:
    key: str          # shape-name stem
    curie: str
    en: str
    fr: str
    fem: bool         # French gender
    subject: str      # case subject (ex:...)
    minimal: tuple[tuple[str, str], ...]  # what a minimal instance holds (predicate, object)
    section: str      # spec section name

    @property
    def fr_au(self) -> str:
        return ("à l'" if self.fr[0] in "aeiouéh" else "à la " if self.fem else "au ") + self.fr

    @property
    def fr_le(self) -> str:
        return ("l'" if self.fr[0] in "aeiouéh" else "la " if self.fem else "le ") + self.fr

    @property
    def fr_du(self) -> str:
        return ("de l'" if self.fr[0] in "aeiouéh" else "de la " if self.fem else "du ") + self.fr

    @property
    def fr_un(self) -> str:
        return ("Une " if self.fem else "Un ") + self.fr

    @property
    def a(self) -> str:
        return "an" if self.en[0] in "aeiou" else "a"


# Value kinds of a spec's range column: L a literal, R a resource (IRI or blank node; a class range is named in the
# description, its class membership is left to the ranges profiles), I an IRI, D a date or date-time literal,
# DEC xsd:decimal, DUR xsd:duration.
GOOD = {"L": ('"first value"@en', '"second value"@en'), "R": ("ex:value-1", "ex:value-2"), "I": ("ex:value-1", "ex:value-2"),
        "D": ('"2020-01-01"^^xsd:date', '"2021-06-30"^^xsd:date'), "DEC": ('"1.5"^^xsd:decimal', '"2.5"^^xsd:decimal'),
        "DUR": ('"P1D"^^xsd:duration', '"PT1H"^^xsd:duration')}
BAD = {"lit": ("ex:wrong-value", "http://example.org/wrong-value"), "res": ('"not a resource"', '"not a resource"'),
       "date": ('"2020-01-01"', '"2020-01-01"'), "DEC": ('"12 MB"', '"12 MB"'), "DUR": ('"one day"', '"one day"'),
       "vocab": ("ex:not-in-the-vocabulary", "http://example.org/not-in-the-vocabulary")}
DECIMAL = ("    # rdflib takes \"NaN\" and \"Infinity\" as xsd:decimal values, which XSD does not allow: the pattern holds the\n"
           "    # literal to decimal digits. One sh:and, so a wrong value is reported once, not once per constraint.\n"
           '    sh:and ( [ sh:datatype xsd:decimal ; sh:pattern "^[+-]?([0-9]+(\\\\.[0-9]*)?|\\\\.[0-9]+)$" ] ) ;')


@dataclass(frozen=True)
class RuleDef:
    id: str
    name: str
    cls: str
    kind: str          # required | exactly-one | single | kinds | dates | datatype | vocab
    props: tuple[str, ...]
    title: str = ""
    fr_title: str = ""
    description: str = ""
    message: str = ""
    fr_message: str = ""
    section: str = ""  # spec clause, when not the class section
    vocab: str = ""    # vocab rules: the IRI namespace of the code list
    severity: str = "error"
    extra: tuple[str, ...] = ()  # vocab rules: more classes the one shape targets (the property is the same)


@dataclass
class Spec:
    """One extension: its names and tables."""

    profile: str            # profile id
    title: str
    description: str
    version: str
    prefix: str             # rule-ID prefix
    extends: str
    spec_name: str          # "GeoDCAT-AP 3.0.0"
    spec_url: str
    ns: str                 # our shapes namespace
    ns_prefix: str          # its prefix in profile.toml
    generator: str          # tools/...py
    classes: dict[str, Cls]
    kind: dict[tuple[str, str], str]            # (class, property) -> value kind
    labels: dict[str, tuple[str, str, str]]     # property -> (English label, French label, "un"/"une")
    rules: list[RuleDef]
    good: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)  # per-property well-formed values
    mims: tuple[str, ...] = ("exchanging-data",)
    # (class, property) -> findings of base-profile rules that a missing value also raises (rule, path, value; None
    # for no path / no value), e.g. a property the base recommends (a warning) and the extension makes mandatory.
    also: dict[tuple[str, str], tuple[tuple[str, str | None, str | None], ...]] = field(default_factory=dict)
    # the datatypes a date property accepts: DCAT-AP 3's Temporal Literal, or "typed as xsd:date or xsd:dateTime"
    date_types: tuple[str, ...] = ("xsd:date", "xsd:dateTime", "xsd:gYear", "xsd:gYearMonth")


def R(id_: str, name: str, cls: str, kind: str, props: str, **fields: Any) -> RuleDef:
    return RuleDef(id_, name, cls, kind, tuple(props.split()), **fields)


def kebab(name: str) -> str:
    return re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", name).lower()


def local(curie: str) -> str:
    return curie.split(":", 1)[1]


def expand(curie: str) -> str:
    prefix, name = curie.split(":", 1)
    return IRI[prefix] + name


def check_of(spec: Spec, rule: RuleDef, cls: str, prop: str) -> str:
    """count | lit | res | iri | date | DEC | DUR | vocab: what the shape of (cls, prop) checks."""
    if rule.kind in ("required", "exactly-one", "single"):
        return "count"
    if rule.kind == "kinds":
        return {"L": "lit", "R": "res", "I": "iri"}[spec.kind[(cls, prop)]]
    if rule.kind == "dates":
        return "date"
    if rule.kind == "vocab":
        return "vocab"
    return spec.kind[(cls, prop)]


def suffix(check: str) -> str:
    return {"count": "count", "lit": "kind", "res": "kind", "iri": "kind", "date": "date", "vocab": "vocabulary"}.get(check, "datatype")


def shape_name(spec: Spec, rule: RuleDef, cls: str, prop: str) -> str:
    name = local(prop).replace("-", "_")
    if sum(1 for c, p in spec.kind if c == cls and local(p) == local(prop)) > 1:  # dct:identifier and adms:identifier
        name = prop.split(":")[0] + name[0].upper() + name[1:]
    return f"{cls}-{name}-{suffix(check_of(spec, rule, cls, prop))}"


def good(spec: Spec, cls: str, prop: str) -> tuple[str, ...]:
    return spec.good.get((cls, prop)) or spec.good.get(("*", prop)) or GOOD[spec.kind[(cls, prop)]]


def fill_text(spec: Spec, rule: RuleDef) -> RuleDef:
    c = spec.classes[rule.cls]
    name = spec.spec_name
    props = ", ".join(rule.props)
    if rule.title:
        return rule
    if rule.kind in ("required", "exactly-one"):
        prop = rule.props[0]
        en, fr, un = spec.labels[prop]
        one = rule.kind == "exactly-one"
        return replace(
            rule, title=f"{c.a.capitalize()} {c.en} has {'exactly one' if one else 'a'} {en} ({prop})",
            fr_title=f"{c.fr_un} a {('exactement ' + un) if one else un} {fr} ({prop})",
            description=f"{name} makes {en} ({prop}) mandatory for every {c.en} ({c.curie})"
                        + (", with exactly one value." if one else ".") + rule.description,
            message=(f"Give {c.en} {{focus}} exactly one {prop} ({en})." if one else f"Add a {prop} ({en}) to {c.en} {{focus}}."),
            fr_message=(f"Donnez {'une seule' if un == 'une' else 'un seul'} {fr} ({prop}) {c.fr_au} {{focus}}." if one
                        else f"Ajoutez {un} {fr} ({prop}) {c.fr_au} {{focus}}."))
    if rule.kind == "single":
        return replace(
            rule, title=f"{c.a.capitalize()} {c.en} has at most one value for the single-valued properties {name} adds",
            fr_title=f"{c.fr_un} a au plus une valeur pour les propriétés à valeur unique ajoutées par {name}",
            description=f"{name} gives these properties of {c.en} ({c.curie}) a maximum cardinality of 1: {props}.",
            message=f"{c.en.capitalize()} {{focus}} has more than one {{path}}; keep a single value.",
            fr_message=f"{c.fr_le.capitalize()} {{focus}} a plusieurs valeurs pour {{path}} ; n'en gardez qu'une.")
    if rule.kind == "kinds":
        groups = {"L": [], "R": [], "I": []}
        for p in rule.props:
            groups[spec.kind[(rule.cls, p)]].append(p)
        parts = []
        if groups["L"]:
            parts.append("a literal: " + ", ".join(groups["L"]))
        if groups["R"]:
            parts.append("a resource (an IRI or a blank node, never a literal): " + ", ".join(groups["R"]))
        if groups["I"]:
            parts.append("an IRI: " + ", ".join(groups["I"]))
        return replace(
            rule, title=f"The properties {name} adds to {c.a} {c.en} have the node kind of their range",
            fr_title=f"Les propriétés que {name} ajoute {c.fr_au} ont la nature de nœud de leur portée",
            description=f"{name} states the range of each property of {c.en} ({c.curie}); the value is "
                        + "; ".join(parts) + ". Class membership of resources is not checked here.",
            message=f"The {{path}} of {c.en} {{focus}} has the wrong kind of value ({{value}}): use a literal for text "
                    f"and an IRI (or blank node) for a resource, as the range of {{path}} in {name} requires.",
            fr_message=f"La valeur {{value}} de {{path}} pour {c.fr_le} {{focus}} n'a pas la bonne nature : un littéral "
                       f"pour du texte, une IRI (ou un nœud anonyme) pour une ressource, selon la portée de {{path}} dans {name}.")
    if rule.kind == "dates":
        types = spec.date_types
        listed = ", ".join(types[:-1]) + " or " + types[-1]
        fr_listed = ", ".join(types[:-1]) + " ou " + types[-1]
        return replace(
            rule, title=f"The dates {name} adds to {c.a} {c.en} are typed date or date-time literals",
            fr_title=f"Les dates que {name} ajoute {c.fr_au} sont des littéraux typés date ou date-heure",
            description=f"{name} gives {props} of {c.en} the range of a literal typed {listed}, well-formed for that type.",
            message=f"Type the {{path}} of {c.en} {{focus}} as {listed} with a valid ISO 8601 value (found {{value}}).",
            fr_message=f"Typez {{path}} {c.fr_du} {{focus}} en {fr_listed} avec une valeur ISO 8601 valide (trouvé {{value}}).")
    if rule.kind == "datatype":
        prop = rule.props[0]
        dt = {"DEC": "xsd:decimal", "DUR": "xsd:duration"}[spec.kind[(rule.cls, prop)]]
        return replace(
            rule, title=f"The {prop} of {c.a} {c.en} is typed {dt}",
            fr_title=f"{prop} {c.fr_du} est typé {dt}",
            description=f"{name} gives {prop} of {c.en} ({c.curie}) the range {dt}.",
            message=f"Type the {{path}} of {c.en} {{focus}} as {dt} (found {{value}}).",
            fr_message=f"Typez {{path}} {c.fr_du} {{focus}} en {dt} (trouvé {{value}}).")
    if rule.kind == "vocab":
        prop = rule.props[0]
        en, fr, un = spec.labels[prop]
        every = [c] + [spec.classes[k] for k in rule.extra]

        def listing(items: list[str], word: str) -> str:
            return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {word} " + items[-1]

        whose = listing([f"{k.a} {k.en}" for k in every], "or")
        fr_whose = listing([k.fr_du for k in every], "ou")
        fr_the = "le " if un == "un" else "la "
        what = ", ".join(f"{k.en} ({k.curie})" for k in every)
        must = "requires" if rule.severity == "error" else "recommends (SHOULD)"
        return replace(
            rule, title=f"The {en} ({prop}) of {whose} is a concept of its controlled vocabulary",
            fr_title=f"{(fr_the + fr).capitalize()} ({prop}) {fr_whose} est un concept de son vocabulaire contrôlé",
            description=f"{name} {must} that the values of {prop} of {what} come from the controlled vocabulary it "
                        f"names; the concepts of that vocabulary are the IRIs under {rule.vocab}"
                        + (" (http or https)" if rule.vocab.startswith("http://") else "") + ".",
            message=f"The {prop} of {{focus}} is {{value}}, not a concept of the {en} vocabulary: use an IRI "
                    f"under {rule.vocab}.",
            fr_message=f"{prop} de {{focus}} vaut {{value}}, qui n'est pas un concept du vocabulaire : utilisez "
                       f"une IRI sous {rule.vocab}.")
    raise ValueError(rule.id)


def refs(spec: Spec, rule: RuleDef) -> list[tuple[str, str]]:
    c = spec.classes[rule.cls]
    name = spec.spec_name
    if rule.section:
        return [(f"{name} §{rule.section}", spec.spec_url)]
    if rule.kind in ("required", "exactly-one"):
        return [(f"{name} §{c.section}: {spec.labels[rule.props[0]][0]} (mandatory)", spec.spec_url)]
    if rule.kind == "single":
        return [(f"{name} §{c.section}: maximum cardinalities", spec.spec_url)]
    return [(f"{name} §{c.section}: property ranges", spec.spec_url)]


def shape_ttl(spec: Spec, rule: RuleDef, cls: str, prop: str) -> str:
    check = check_of(spec, rule, cls, prop)
    c = spec.classes[cls]
    lines = [f"{spec.ns_prefix}:{shape_name(spec, rule, cls, prop)}", "    a sh:PropertyShape ;",
             f'    rdfs:label "{rule.id}: {c.en} {prop} ({suffix(check)})"@en ;',
             f"    sh:targetClass {', '.join([c.curie] + [spec.classes[k].curie for k in rule.extra])} ;", f"    sh:path {prop} ;"]
    if check == "count":
        if rule.kind in ("required", "exactly-one"):
            lines.append("    sh:minCount 1 ;")
        if rule.kind in ("exactly-one", "single"):
            lines.append("    sh:maxCount 1 ;")
    elif check == "lit":
        lines.append("    sh:nodeKind sh:Literal ;")
    elif check == "res":
        lines.append("    sh:nodeKind sh:BlankNodeOrIRI ;")
    elif check == "iri":
        lines.append("    sh:nodeKind sh:IRI ;")
    elif check == "date":
        lines.append("    sh:or ( " + " ".join(f"[ sh:datatype {t} ]" for t in spec.date_types) + " ) ;")
    elif check == "vocab":
        pattern = "^" + rule.vocab.replace(".", "\\\\.")  # a Turtle string: "\\." is the regex \.
        if pattern.startswith("^http://"):  # registries such as INSPIRE's serve their concept IRIs on http and https
            pattern = "^https?://" + pattern[len("^http://"):]
        if kind_checked(spec, cls, prop):  # a literal is the kinds rule's finding; an IRI or blank node is checked here
            lines.append(f'    sh:or ( [ sh:nodeKind sh:Literal ] [ sh:pattern "{pattern}" ] ) ;')
        else:  # one sh:and: a literal or an IRI outside the namespace is reported once, by this rule only
            lines.append(f'    sh:and ( [ sh:nodeKind sh:IRI ; sh:pattern "{pattern}" ] ) ;')
    else:
        lines.append({"DEC": DECIMAL, "DUR": "    sh:datatype xsd:duration ;"}[check])
    lines.append(f"    sh:severity sh:{'Violation' if severity(rule) == 'error' else 'Warning'} .")
    return "\n".join(lines)


def kind_checked(spec: Spec, cls: str, prop: str) -> bool:
    """Whether a kinds rule of the profile checks the node kind of (cls, prop): then a vocabulary rule leaves literals
    to it, so one wrong value is reported once."""
    return any(r.kind == "kinds" and r.cls == cls and prop in r.props for r in spec.rules)


def severity(rule: RuleDef) -> str:
    return rule.severity


def q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def manifest(spec: Spec, rules: list[RuleDef], files: list[str]) -> str:
    out = [f"# {spec.title}", f"# Generated once from the specification tables by {spec.generator}, then maintained by hand.", "",
           'format = "ldt-conform/profile@1"', 'requires = ">=0.1"', f'id = "{spec.profile}"', f'version = "{spec.version}"',
           f"title = {q(spec.title)}", f"description = {q(spec.description)}", f'prefix = "{spec.prefix}"',
           f'extends = "{spec.extends}"', "", "[refs]", f'"{spec.spec_name.replace(" ", "-")}" = "{spec.spec_url}"', "",
           "[prefixes]", f'{spec.ns_prefix} = "{spec.ns}"', "",
           "[shacl]", "files = [" + ", ".join(q(f"shapes/{f}.ttl") for f in files) + "]"]
    for r in rules:
        shapes = [f"{spec.ns_prefix}:{shape_name(spec, r, c, p)}" for c, p in ((r.cls, p) for p in r.props)]
        out += ["", "[[rules]]", f'id = "{r.id}"', f'name = "{r.name}"', f"title = {q(r.title)}", f'severity = "{severity(r)}"',
                f"description = {q(r.description)}", f"message = {q(r.message)}",
                "refs = [" + ", ".join(f"{{ id = {q(i)}, url = {q(u)} }}" for i, u in refs(spec, r)) + "]",
                "mims = [" + ", ".join(q(m) for m in spec.mims) + "]",
                "[rules.shacl]", "shapes = [" + ", ".join(q(s) for s in shapes) + "]",
                "[rules.i18n.fr]", f"title = {q(r.fr_title)}", f"message = {q(r.fr_message)}"]
    return "\n".join(out) + "\n"


def prefix_lines(text: str) -> str:
    used = sorted({p for p in re.findall(r"\b([a-z][a-zA-Z]*):[A-Za-z_]", text) if p in IRI and p not in CASE_PREFIXES})
    return "".join(f"@prefix {p}: <{IRI[p]}> .\n" for p in used)


def instance(spec: Spec, cls: str, pairs: list[tuple[str, str]]) -> str:
    c = spec.classes[cls]
    if not pairs:
        body = f"{c.subject} a {c.curie} .\n"
    else:
        body = f"{c.subject} a {c.curie} ;\n" + " ;\n".join(f"    {p} {o}" for p, o in pairs) + " .\n"
    return prefix_lines(body) + body


def with_values(spec: Spec, cls: str, prop: str, objects: list[str]) -> list[tuple[str, str]]:
    return [(p, o) for p, o in spec.classes[cls].minimal if p != prop] + [(prop, o) for o in objects]


def finding(spec: Spec, rule: RuleDef, cls: str, prop: str, value: str | None) -> str:
    focus = "http://example.org/" + local(spec.classes[cls].subject)
    parts = [f"focus = {q(focus)}", f"path = {q(expand(prop))}"]
    if value is not None:
        parts.append(f"value = '{value}'" if value.startswith('"') else f"value = {q(value)}")
    parts.append(f"shape = {q(spec.ns_prefix + ':' + shape_name(spec, rule, cls, prop))}")
    return "{ " + ", ".join(parts) + " }"


def cases(spec: Spec, rule: RuleDef) -> str:
    out = [f"# {rule.id} {rule.name}: {rule.title}",
           f"# Generated by {spec.generator}: every fail case is the first pass case (a minimal instance) with one",
           "# defect, so the rule's finding is the only difference.", f'rule = "{rule.id}"']

    def case(name: str, expect: str, data: str, findings: list[str] | None = None, also: tuple = (),
             like: str | None = None) -> None:
        out.extend(["", "[[cases]]", f'name = "{name}"', f'expect = "{expect}"'] + ([f'like = "{like}"'] if like else [])
                   + ["data = '''", data.rstrip("\n"), "'''"])
        if findings:
            out.append("findings = [" + ", ".join(findings) + "]")
        if also:
            focus = "http://example.org/" + local(spec.classes[rule.cls].subject)
            out.append("also = [" + ", ".join(
                "{ " + ", ".join([f"rule = {q(r)}", f"focus = {q(focus)}"] + ([f"path = {q(p)}"] if p else [])
                                 + ([f"value = {q(v)}"] if v else [])) + " }" for r, p, v in also) + "]")

    cls = rule.cls
    c = spec.classes[cls]
    stem = c.en.replace(" ", "-").lower()
    case(f"{stem}-minimal", "pass", instance(spec, cls, list(c.minimal)))
    # well-formed values of every property the rule names, in chunks so a case stays short
    props = [p for p in rule.props if p not in dict(c.minimal) or rule.kind != "required"]
    chunk = 16 - len(c.minimal)
    for n, start in enumerate(range(0, len(props), chunk)):
        pairs = list(c.minimal)
        for p in props[start:start + chunk]:
            pairs = [(a, o) for a, o in pairs if a != p] + [(p, good(spec, cls, p)[0])]
        if pairs != list(c.minimal):
            case(f"{stem}-well-formed-values" + (f"-{n + 1}" if len(props) > chunk else ""), "pass", instance(spec, cls, pairs))
    for prop in rule.props:
        check = check_of(spec, rule, cls, prop)
        p_stem = kebab(local(prop))
        if check == "count":
            if rule.kind in ("required", "exactly-one"):
                case(f"{p_stem}-missing", "fail", instance(spec, cls, with_values(spec, cls, prop, [])),
                     [finding(spec, rule, cls, prop, None)], spec.also.get((cls, prop), ()))
            if rule.kind in ("exactly-one", "single"):
                two = list(good(spec, cls, prop))[:2]
                case(f"{p_stem}-twice", "fail", instance(spec, cls, with_values(spec, cls, prop, two)),
                     [finding(spec, rule, cls, prop, None)])
        elif check == "vocab":
            bads = [("is-outside-the-vocabulary", BAD["vocab"])] + ([] if kind_checked(spec, cls, prop) else [("is-a-literal", BAD["res"])])
            for bad_name, (bad, printed) in bads:
                case(f"{p_stem}-{bad_name}", "fail", instance(spec, cls, with_values(spec, cls, prop, [bad])),
                     [finding(spec, rule, cls, prop, printed)])
        else:
            key = {"iri": "res"}.get(check, check)
            bad, printed = BAD[key]
            label = {"lit": "is-an-iri", "res": "is-a-literal", "iri": "is-a-literal", "date": "is-an-untyped-string"}.get(
                check, "has-the-wrong-datatype")
            case(f"{p_stem}-{label}", "fail", instance(spec, cls, with_values(spec, cls, prop, [bad])),
                 [finding(spec, rule, cls, prop, printed)])
            if check == "date" and "xsd:gYear" not in spec.date_types:  # a year is a temporal literal, not a date
                case(f"{p_stem}-is-a-year", "fail", instance(spec, cls, with_values(spec, cls, prop, ['"2020"^^xsd:gYear'])),
                     [finding(spec, rule, cls, prop, '"2020"^^<http://www.w3.org/2001/XMLSchema#gYear>')])
    for key in rule.extra:  # the same shape targets these classes too: one pass and one fail case each
        other = spec.classes[key]
        o_stem = other.en.replace(" ", "-").lower()
        prop = rule.props[0]
        case(f"{o_stem}-in-the-vocabulary", "pass",
             instance(spec, key, with_values(spec, key, prop, [good(spec, key, prop)[0]])))
        bad, printed = BAD["vocab"]
        focus = "http://example.org/" + local(other.subject)
        case(f"{o_stem}-{kebab(local(prop))}-is-outside-the-vocabulary", "fail",
             instance(spec, key, with_values(spec, key, prop, [bad])),
             ["{ " + f"focus = {q(focus)}, path = {q(expand(prop))}, value = {q(printed)}, "
              f"shape = {q(spec.ns_prefix + ':' + shape_name(spec, rule, rule.cls, prop))}" + " }"],
             like=f"{o_stem}-in-the-vocabulary")
    return "\n".join(out) + "\n"


def header(spec: Spec, part: str) -> str:
    return (f"# {spec.title} — shapes: {part}\n"
            f"# Part of ldt-conform. Written by the ldt-conform project from the {spec.spec_name} specification\n"
            f"# ({spec.spec_url}); not derived from the official shapes files (generated once by {spec.generator}).\n"
            f"# Every shape has an IRI and is owned by one rule of {spec.profile}/profile.toml (rules.shacl.shapes);\n"
            "# sh:severity repeats the owning rule's severity.\n\n"
            "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
            + "".join(f"@prefix {k}: <{v}> .\n" for k, v in IRI.items()) + f"@prefix {spec.ns_prefix}: <{spec.ns}> .\n")


def write(spec: Spec, files: dict[str, str]) -> int:
    """files: class key -> shapes file stem (classes not listed go to 'supporting-classes')."""
    out = ROOT / "profiles" / spec.profile
    rules = [fill_text(spec, r) for r in spec.rules]
    seen: set[str] = set()
    for r in rules:
        for p in r.props:
            name = shape_name(spec, r, r.cls, p)
            assert name not in seen, f"two shapes named {name}"
            seen.add(name)
    (out / "shapes").mkdir(parents=True, exist_ok=True)
    (out / "cases").mkdir(parents=True, exist_ok=True)
    by_file: dict[str, list[str]] = {}
    for r in rules:
        for p in r.props:
            part = files.get(r.cls, "supporting-classes")
            by_file.setdefault(part, []).append(f"# {r.id} {r.name} ({severity(r)}): {r.title}\n" + shape_ttl(spec, r, r.cls, p))
    order = list(dict.fromkeys([*files.values(), "supporting-classes"]))
    parts = [p for p in order if p in by_file]
    (out / "profile.toml").write_text(manifest(spec, rules, parts), encoding="utf-8")
    for part in parts:
        (out / "shapes" / f"{part}.ttl").write_text(header(spec, part) + "\n\n" + "\n\n".join(by_file[part]) + "\n",
                                                   encoding="utf-8")
    for r in rules:
        (out / "cases" / f"{r.id}.toml").write_text(cases(spec, r), encoding="utf-8")
    print(f"{len(rules)} rules, {len(seen)} shapes -> {out}")
    return 0
