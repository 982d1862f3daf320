"""Write profiles/dcat-ap-hvd (manifest, shapes, cases) once from the DCAT-AP HVD 3.0.0 tables restated below.

The tables restate the "Main Entities" tables of DCAT-AP HVD 3.0.0 (SEMIC, 2024-10-25,
https://semiceu.github.io/DCAT-AP/releases/3.0.0-hvd/): property, range, cardinality and usage note per class, and the
usage guidelines of its sections "Denoting a HVD Dataset", "Connecting Data Services with Datasets", "Legal
information" and "Contact Point". Nothing is read from the SEMIC SHACL files. The generated files are the source of
truth afterwards (maintained by hand); run `python tools/dcat_ap_hvd.py` only to regenerate from scratch.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "profiles" / "dcat-ap-hvd"
SPEC = "https://semiceu.github.io/DCAT-AP/releases/3.0.0-hvd/"
REG = "https://eur-lex.europa.eu/eli/reg_impl/2023/138/oj"
ELI = "http://data.europa.eu/eli/reg_impl/2023/138/oj"
NS = "https://w3id.org/ldt-conform/profiles/dcat-ap-hvd#"
EX = "http://example.org/"
CATEGORY = "http://data.europa.eu/bna/c_ac64a52d"  # "Geospatial", a concept of the EU HVD category vocabulary

FULL = {
    "dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#", "dcatap": "http://data.europa.eu/r5r/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "skos": "http://www.w3.org/2004/02/skos/core#",
    "eli": "http://data.europa.eu/eli/ontology#",
}


def full(curie: str) -> str:
    prefix, local = curie.split(":", 1)
    return FULL[prefix] + local


# class key → (label, class, shape-name stem, minimal conforming instance: subject, Turtle lines)
CLASSES: dict[str, tuple[str, str, str, str, list[str]]] = {
    "catalogue": ("catalogue", "dcat:Catalog", "Catalog", "ex:catalogue", ["ex:catalogue a dcat:Catalog ."]),
    "record": ("catalogue record", "dcat:CatalogRecord", "CatalogRecord", "ex:record", [
        "ex:record a dcat:CatalogRecord ;", "    foaf:primaryTopic ex:bees .", "ex:bees a dcat:Dataset ."]),
    "dataset": ("dataset", "dcat:Dataset", "Dataset", "ex:bees", [
        "ex:bees a dcat:Dataset ;", f"    dcatap:applicableLegislation <{ELI}> ;",
        f"    dcatap:hvdCategory <{CATEGORY}> ."]),
    "series": ("dataset series", "dcat:DatasetSeries", "DatasetSeries", "ex:series", [
        "ex:series a dcat:DatasetSeries ;", f"    dcatap:applicableLegislation <{ELI}> ;",
        f"    dcatap:hvdCategory <{CATEGORY}> ."]),
    "distribution": ("distribution", "dcat:Distribution", "Distribution", "ex:csv", [
        "ex:csv a dcat:Distribution ;", "    dcat:accessURL <https://example.org/files/bees.csv> ;",
        f"    dcatap:applicableLegislation <{ELI}> ."]),
    "service": ("data service", "dcat:DataService", "DataService", "ex:api", [
        "ex:api a dcat:DataService ;", "    dcat:endpointURL <https://example.org/api/> ;",
        "    foaf:page ex:api-doc ;", "    dcat:contactPoint ex:desk ;",
        f"    dcatap:applicableLegislation <{ELI}> ;", f"    dcatap:hvdCategory <{CATEGORY}> .",
        "ex:api-doc a foaf:Document .", "ex:desk a vcard:Kind ; vcard:hasURL <https://example.org/desk> ."]),
    "kind": ("contact point", "vcard:Kind", "Kind", "ex:desk", [
        "ex:desk a vcard:Kind ;", "    vcard:hasEmail <mailto:desk@example.org> ."]),
}

# Relaxations shared with dcat-ap-3-ranges (no inference, no background vocabulary): an IRI of the EU vocabulary that
# the specification names for the property counts as typed, and so do the vCard subclasses of vcard:Kind. The first
# alternative of every sh:or is the strict range class, so the fidelity test's variant can undo the relaxation.
RELAXED = {
    "eli:LegalResource": '[ sh:nodeKind sh:IRI ; sh:pattern "^http://data\\\\.europa\\\\.eu/eli/" ]',
    "skos:Concept@hvd": '[ sh:nodeKind sh:IRI ; sh:pattern "^http://data\\\\.europa\\\\.eu/bna/c_" ]',
    "dct:LicenseDocument": '[ sh:nodeKind sh:IRI ; sh:pattern "^http://publications\\\\.europa\\\\.eu/resource/authority/licence/" ]',
    "vcard:Kind": "[ sh:class vcard:Individual ] [ sh:class vcard:Organization ] [ sh:class vcard:Location ] [ sh:class vcard:Group ]",
    # Range "Resource" (rdfs:Resource): every IRI or blank node is one; a literal is not.
    "rdfs:Resource": "[ sh:nodeKind sh:BlankNodeOrIRI ]",
    # Range "Catalogued Resource" (dcat:Resource), an abstract class: "a subclass should be used" (usage note).
    "dcat:Resource": "[ sh:class dcat:Dataset ] [ sh:class dcat:DataService ] [ sh:class dcat:Catalog ] [ sh:class dcat:DatasetSeries ]",
}


@dataclass
class Row:
    """One property row of a class table: the range and what the row (or its usage note) requires."""

    cls: str
    path: str
    range: str  # a class curie; "skos:Concept@hvd" = skos:Concept or an HVD category IRI
    min: int = 0
    max: int | None = None
    anchor: str = ""  # the row's id in the specification
    bad_value: str = "ex:thing"  # a value that is not an instance of the range


ROWS = [
    Row("catalogue", "dcat:dataset", "dcat:Dataset", anchor="Catalogue.dataset"),
    Row("catalogue", "dcat:record", "dcat:CatalogRecord", anchor="Catalogue.record"),
    Row("catalogue", "dcat:service", "dcat:DataService", anchor="Catalogue.service"),
    Row("record", "foaf:primaryTopic", "dcat:Resource", 1, 1, "CatalogueRecord.primarytopic"),
    Row("service", "dcatap:applicableLegislation", "eli:LegalResource", 1, None, "DataService.applicablelegislation"),
    Row("service", "dcat:contactPoint", "vcard:Kind", 1, None, "DataService.contactpoint"),
    Row("service", "foaf:page", "foaf:Document", 1, None, "DataService.documentation"),
    Row("service", "dcat:endpointDescription", "rdfs:Resource", anchor="DataService.endpointdescription", bad_value='"see the API docs"'),
    Row("service", "dcat:endpointURL", "rdfs:Resource", 1, None, "DataService.endpointURL", bad_value='"https://example.org/api/v2/"'),
    Row("service", "dcatap:hvdCategory", "skos:Concept@hvd", 1, None, "DataService.HVDcategory"),
    Row("service", "dct:license", "dct:LicenseDocument", 0, 1, "DataService.licence"),
    Row("service", "dct:rights", "dct:RightsStatement", anchor="DataService.rights"),
    Row("service", "dcat:servesDataset", "dcat:Dataset", anchor="DataService.servesdataset"),
    Row("dataset", "dcatap:applicableLegislation", "eli:LegalResource", 1, None, "Dataset.applicablelegislation"),
    Row("dataset", "dct:conformsTo", "dct:Standard", anchor="Dataset.conformsto"),
    Row("dataset", "dcat:contactPoint", "vcard:Kind", anchor="Dataset.contactpoint"),
    Row("dataset", "dcat:distribution", "dcat:Distribution", anchor="Dataset.datasetdistribution"),
    Row("dataset", "dcatap:hvdCategory", "skos:Concept@hvd", 1, None, "Dataset.HVDCategory"),
    Row("dataset", "dcat:inSeries", "dcat:DatasetSeries", anchor="Dataset.inseries"),
    Row("series", "dcatap:applicableLegislation", "eli:LegalResource", 1, None, "DatasetSeries.applicablelegislation"),
    Row("series", "dcatap:hvdCategory", "skos:Concept@hvd", 1, None, "DatasetSeries.HVDCategory"),
    Row("distribution", "dcatap:applicableLegislation", "eli:LegalResource", 1, None, "Distribution.applicablelegislation"),
    Row("distribution", "dct:license", "dct:LicenseDocument", 0, 1, "Distribution.licence"),
    Row("distribution", "dct:conformsTo", "dct:Standard", anchor="Distribution.linkedschemas"),
    Row("distribution", "dct:rights", "dct:RightsStatement", anchor="Distribution.rights"),
    Row("distribution", "dcat:accessService", "dcat:DataService", anchor="Distribution.accessservice"),
    Row("distribution", "dcat:accessURL", "rdfs:Resource", 1, None, "Distribution.accessURL", bad_value='"https://example.org/files/bees.csv"'),
    Row("kind", "vcard:hasEmail", "rdfs:Resource", 0, 1, "Kind.email", bad_value='"desk@example.org"'),
    Row("kind", "vcard:hasURL", "rdfs:Resource", 0, 1, "Kind.contactpage", bad_value='"https://example.org/desk"'),
]


@dataclass
class Rule:
    id: str
    name: str
    title: str
    severity: str
    description: str
    message: str
    refs: list[tuple[str, str]]
    fr_title: str
    fr_message: str
    shapes: list[str] = field(default_factory=list)


def local(path: str) -> str:
    return path.split(":", 1)[1]


def stem(cls: str) -> str:
    return CLASSES[cls][2]


# ---------------------------------------------------------------------------------------------------------- shapes
SH_HEAD = f"""# DCAT-AP HVD 3.0.0 — shapes of the profile dcat-ap-hvd
# Part of ldt-conform. Written by the ldt-conform project from the DCAT-AP HVD 3.0.0 specification ({SPEC});
# not derived from the SEMIC shapes files (generated once by tools/dcat_ap_hvd.py, then maintained by hand).
# Every shape has an IRI and is owned by one rule of dcat-ap-hvd/profile.toml (rules.shacl.shapes);
# sh:severity repeats the owning rule's severity.

@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix dcatap: <http://data.europa.eu/r5r/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix hvd: <{NS}> .
"""

SEV = {"error": "sh:Violation", "warning": "sh:Warning", "info": "sh:Info"}


def shape(name: str, rule: Rule, label: str, target: str, body: list[str]) -> str:
    rule.shapes.append(f"hvd:{name}")
    lines = [f"hvd:{name}", "    a sh:PropertyShape ;" if any(b.startswith("sh:path") for b in body) else "    a sh:NodeShape ;",
             f'    rdfs:label "{rule.id}: {label}"@en ;', f"    {target} ;"]
    lines += [f"    {b} ;" for b in body]
    lines.append(f"    sh:severity {SEV[rule.severity]} .")
    return "\n".join(lines) + "\n"


def range_body(rng: str) -> str:
    strict = rng.split("@")[0]
    if rng in RELAXED:
        return f"sh:or ( [ sh:class {strict} ] {RELAXED[rng]} )"
    return f"sh:class {strict}"


# ----------------------------------------------------------------------------------------------------------- cases
def instance(cls: str) -> list[str]:
    return list(CLASSES[cls][4])


def without(lines: list[str], path: str) -> list[str]:
    """The instance without its `path` line (the statement before it then ends with ' .')."""
    out: list[str] = []
    for line in lines:
        if line.strip().startswith(path + " "):
            if line.rstrip().endswith(" .") and out:
                out[-1] = out[-1].rstrip(" ;") + " ."
            continue
        out.append(line)
    return out


def adding(lines: list[str], cls: str, triples: list[str]) -> list[str]:
    subject = CLASSES[cls][3]
    return lines + [f"{subject} {t} ." for t in triples]


def iri(term: str) -> str:
    if term.startswith("ex:"):
        return EX + term[3:]
    if term.startswith("<"):
        return term[1:-1]
    return term  # a literal, in N-Triples form already


def finding(cls: str, path: str | None, shape_name: str, value: str | None = None, focus: str | None = None) -> str:
    parts = [f'focus = "{iri(focus or CLASSES[cls][3])}"']
    if path:
        parts.append(f'path = "{full(path)}"')
    if value is not None:
        parts.append(f"value = {json.dumps(iri(value))}" if not value.startswith('"') else f"value = '{value}'")
    parts.append(f'shape = "hvd:{shape_name}"')
    return "{ " + ", ".join(parts) + " }"


@dataclass
class Case:
    name: str
    expect: str
    data: list[str]
    like: str | None = None
    findings: list[str] = field(default_factory=list)


def render_cases(rule: Rule, cases: list[Case]) -> str:
    out = [f"# {rule.id} {rule.name}: {rule.title}",
           "# Generated by tools/dcat_ap_hvd.py: every fail case is a pass case (a minimal HVD instance) with one defect.",
           f'rule = "{rule.id}"', ""]
    for case in cases:
        out += ["[[cases]]", f'name = "{case.name}"', f'expect = "{case.expect}"']
        if case.like:
            out.append(f'like = "{case.like}"')
        out += ["data = '''", *case.data, "'''"]
        if case.findings:
            if len(case.findings) == 1:
                out.append(f"findings = [{case.findings[0]}]")
            else:
                out += ["findings = [", *[f"  {f}," for f in case.findings], "]"]
        out.append("")
    return "\n".join(out)


def pass_cases(classes: list[str]) -> list[Case]:
    return [Case(f"{CLASSES[c][2].lower()}-minimal-hvd", "pass", instance(c)) for c in dict.fromkeys(classes)]


def like_of(cls: str) -> str:
    return f"{CLASSES[cls][2].lower()}-minimal-hvd"


# ----------------------------------------------------------------------------------------------------------- rules
def build() -> tuple[list[Rule], list[str], dict[str, list[Case]]]:
    rules: list[Rule] = []
    shapes: list[str] = []
    cases: dict[str, list[Case]] = {}

    def ref(anchor: str, what: str) -> tuple[str, str]:
        return (f"DCAT-AP HVD 3.0.0 §{what}", SPEC + "#" + anchor)

    reg3 = ("Regulation (EU) 2023/138, Article 3 (APIs and bulk download)", REG)

    # HVD-101: applicable legislation includes the ELI of the HVD IR
    r = Rule("HVD-101", "applicable-legislation-hvd-eli", "An HVD dataset, dataset series, distribution or data service names the HVD regulation as applicable legislation",
             "error",
             f"DCAT-AP HVD 3.0.0: applicable legislation (dcatap:applicableLegislation) is mandatory (1..*) for Dataset, Dataset Series, Distribution and Data Service, and \"for HVD the value MUST include the ELI {ELI}\" of Commission Implementing Regulation (EU) 2023/138. Checking a catalogue with this profile states that its resources are HVD resources (\"Denoting a HVD Dataset\").",
             f"Add dcatap:applicableLegislation <{ELI}> (the ELI of Implementing Regulation (EU) 2023/138) to {{focus}}: an HVD resource must name the HVD regulation.",
             [ref("c1", "Denoting a HVD Dataset"), ref("Dataset.applicablelegislation", "Dataset: applicable legislation (1..*)"),
              ("Regulation (EU) 2023/138 (ELI)", REG)],
             "Un jeu de données, une série, une distribution ou un service HVD cite le règlement HVD comme législation applicable",
             f"Ajoutez dcatap:applicableLegislation <{ELI}> (l'ELI du règlement d'exécution (UE) 2023/138) à {{focus}} : une ressource HVD doit citer le règlement HVD.")
    rules.append(r)
    cs = pass_cases(["dataset", "series", "distribution", "service"])
    for cls in ("dataset", "series", "distribution", "service"):
        name = f"{stem(cls)}-applicableLegislation-hvd"
        shapes.append(shape(name, r, f"{CLASSES[cls][0]} dcatap:applicableLegislation (HVD ELI)", f"sh:targetClass {CLASSES[cls][1]}",
                            ["sh:path dcatap:applicableLegislation", f"sh:hasValue <{ELI}>"]))
        cs.append(Case(f"{stem(cls).lower()}-legislation-missing", "fail", without(instance(cls), "dcatap:applicableLegislation"),
                       like_of(cls), [finding(cls, "dcatap:applicableLegislation", name)]))
    cs.append(Case("dataset-other-legislation-only", "fail",
                   [l.replace(ELI, "http://data.europa.eu/eli/dir/2007/2/2019-06-26") for l in instance("dataset")],
                   like_of("dataset"), [finding("dataset", "dcatap:applicableLegislation", "Dataset-applicableLegislation-hvd")]))
    cases[r.id] = cs

    # HVD-102..: minimum cardinalities of the tables, grouped by property
    mins = [
        ("HVD-102", "hvd-category-required", "An HVD dataset, dataset series or data service has an HVD category (dcatap:hvdCategory)", "dcatap:hvdCategory",
         ["dataset", "series", "service"], "HVD category", "c2", "HVD data category",
         "Add the HVD category of {focus} (dcatap:hvdCategory, a concept of the EU \"High-value dataset categories\" vocabulary http://data.europa.eu/bna/asd487ae75, e.g. http://data.europa.eu/bna/c_ac64a52d Geospatial).",
         "Une ressource HVD a une catégorie HVD (dcatap:hvdCategory)",
         "Ajoutez la catégorie HVD de {focus} (dcatap:hvdCategory, un concept du vocabulaire européen des catégories de données de forte valeur).",
         ("Regulation (EU) 2023/138, Article 2 and Annex (the six thematic categories)", REG)),
        ("HVD-103", "data-service-contact-point-required", "An HVD data service has a contact point (dcat:contactPoint)", "dcat:contactPoint",
         ["service"], "Data Service: contact point (1..*)", "DataService.contactpoint", None,
         "Add a contact point (dcat:contactPoint, a vcard:Kind with an email or a contact page) to data service {focus}: the HVD regulation requires a point of contact for every API.",
         "Un service de données HVD a un point de contact (dcat:contactPoint)",
         "Ajoutez un point de contact (dcat:contactPoint) au service de données {focus} : le règlement HVD exige un point de contact pour chaque API.",
         ("Regulation (EU) 2023/138, Article 3(4) (point of contact for an API)", REG)),
        ("HVD-104", "data-service-documentation-required", "An HVD data service has documentation (foaf:page)", "foaf:page",
         ["service"], "Data Service: documentation (1..*)", "DataService.documentation", None,
         "Add a documentation page (foaf:page, a foaf:Document) to data service {focus}: HVD APIs document their terms and quality of service.",
         "Un service de données HVD a une documentation (foaf:page)",
         "Ajoutez une page de documentation (foaf:page) au service de données {focus}.",
         reg3),
        ("HVD-105", "data-service-endpoint-url-required", "An HVD data service has an endpoint URL (dcat:endpointURL)", "dcat:endpointURL",
         ["service"], "Data Service: endpoint URL (1..*)", "DataService.endpointURL", None,
         "Add the endpoint URL (dcat:endpointURL) of data service {focus}; it should be persistent.",
         "Un service de données HVD a une URL de point d'accès (dcat:endpointURL)",
         "Ajoutez l'URL du point d'accès (dcat:endpointURL) du service de données {focus} ; elle devrait être pérenne.",
         reg3),
        ("HVD-106", "distribution-access-url-required", "An HVD distribution has an access URL (dcat:accessURL)", "dcat:accessURL",
         ["distribution"], "Distribution: access URL (1..*)", "Distribution.accessURL", None,
         "Add the access URL (dcat:accessURL) of distribution {focus}.",
         "Une distribution HVD a une URL d'accès (dcat:accessURL)",
         "Ajoutez l'URL d'accès (dcat:accessURL) de la distribution {focus}.",
         reg3),
        ("HVD-107", "catalogue-record-primary-topic-required", "A catalogue record has a primary topic (foaf:primaryTopic)", "foaf:primaryTopic",
         ["record"], "Catalogue Record: primary topic (1)", "CatalogueRecord.primarytopic", None,
         "Add the primary topic (foaf:primaryTopic) of catalogue record {focus}: the dataset, data service or catalogue it describes.",
         "Un enregistrement de catalogue a un sujet principal (foaf:primaryTopic)",
         "Ajoutez le sujet principal (foaf:primaryTopic) de l'enregistrement {focus}.",
         None),
    ]
    for rid, name, title, path, classes, what, anchor, what2, message, fr_title, fr_message, reg in mins:
        refs = [ref(anchor, what2 or what)]
        if rid == "HVD-102":
            refs = [ref("Dataset.HVDCategory", "Dataset: HVD Category (1..*)"), ref("c2", "HVD data category")]
        if reg:
            refs.append(reg)
        desc = (f"DCAT-AP HVD 3.0.0 makes {path} mandatory (minimum cardinality 1) for "
                + ", ".join(CLASSES[c][0] for c in classes) + f" ({what}).")
        r = Rule(rid, name, title, "error", desc, message, refs, fr_title, fr_message)
        rules.append(r)
        cs = pass_cases(classes)
        for cls in classes:
            sname = f"{stem(cls)}-{local(path)}-count"
            row = next(x for x in ROWS if x.cls == cls and x.path == path)
            body = [f"sh:path {path}", "sh:minCount 1"] + ([f"sh:maxCount {row.max}"] if row.max else [])
            shapes.append(shape(sname, r, f"{CLASSES[cls][0]} {path} (count)", f"sh:targetClass {CLASSES[cls][1]}", body))
            data = without(instance(cls), path)
            if path == "foaf:primaryTopic":
                data = ["ex:record a dcat:CatalogRecord ."]
            cs.append(Case(f"{stem(cls).lower()}-{local(path).lower()}-missing", "fail", data, like_of(cls),
                           [finding(cls, path, sname)]))
            if row.max:  # the second topic is described in the pass case too, so the extra triple is the only defect
                cs.insert(1, Case("record-and-second-dataset", "pass", instance(cls) + ["ex:wasps a dcat:Dataset ."]))
                cs.append(Case(f"{stem(cls).lower()}-two-{local(path).lower()}s", "fail",
                               instance(cls) + ["ex:wasps a dcat:Dataset .", "ex:record foaf:primaryTopic ex:wasps ."],
                               "record-and-second-dataset", [finding(cls, path, sname)]))
        cases[rid] = cs

    # HVD-108: at most one licence; HVD-109: one email, one contact page
    maxes = [
        ("HVD-108", "licence-at-most-one", "A distribution or data service has at most one licence (dct:license)", "dct:license", ["distribution", "service"],
         "Keep one licence (dct:license) on {focus}; express further conditions with dct:rights.",
         "Une distribution ou un service a au plus une licence (dct:license)", "Gardez une seule licence (dct:license) sur {focus} ; exprimez d'autres conditions avec dct:rights.",
         [ref("Distribution.licence", "Distribution: licence (0..1)"), ref("DataService.licence", "Data Service: licence (0..1)"), ref("c3", "Legal information")]),
        ("HVD-109", "contact-single-email-and-page", "A contact point has at most one email and one contact page", None, ["kind", "kind"],
         "Keep one {path} on contact point {focus}.",
         "Un point de contact a au plus une adresse électronique et une page de contact", "Gardez un seul {path} sur le point de contact {focus}.",
         [ref("Kind.email", "Kind: email (0..1)"), ref("Kind.contactpage", "Kind: contact page (0..1)"), ref("c6", "Contact Point")]),
    ]
    for rid, name, title, path, classes, message, fr_title, fr_message, refs in maxes:
        paths = [path, path] if path else ["vcard:hasEmail", "vcard:hasURL"]
        desc = "DCAT-AP HVD 3.0.0 limits " + "; ".join(f"{p} of {CLASSES[c][0]}" for c, p in zip(classes, paths)) + " to at most one value."
        r = Rule(rid, name, title, "error", desc, message, refs, fr_title, fr_message)
        rules.append(r)
        cs = pass_cases(classes)
        for cls, p in zip(classes, paths):
            sname = f"{stem(cls)}-{local(p)}-count"
            shapes.append(shape(sname, r, f"{CLASSES[cls][0]} {p} (count)", f"sh:targetClass {CLASSES[cls][1]}",
                                [f"sh:path {p}", "sh:maxCount 1"]))
            two = {"dct:license": ["dct:license <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0>",
                                   "dct:license <http://publications.europa.eu/resource/authority/licence/CC0>"],
                   "vcard:hasEmail": ["vcard:hasEmail <mailto:help@example.org>"],
                   "vcard:hasURL": ["vcard:hasURL <https://example.org/desk>", "vcard:hasURL <https://example.org/form>"]}[p]
            cs.append(Case(f"{stem(cls).lower()}-two-{local(p).lower()}", "fail", adding(instance(cls), cls, two), like_of(cls),
                           [finding(cls, p, sname)]))
        cases[rid] = cs

    # HVD-301..307: ranges, one rule per class
    range_rules = [
        ("HVD-301", "catalogue", "catalogue-value-ranges", "Catalogue", "un catalogue"),
        ("HVD-302", "dataset", "dataset-value-ranges", "Dataset", "un jeu de données"),
        ("HVD-303", "distribution", "distribution-value-ranges", "Distribution", "une distribution"),
        ("HVD-304", "service", "data-service-value-ranges", "DataService", "un service de données"),
        ("HVD-305", "series", "dataset-series-value-ranges", "DatasetSeries", "une série de jeux de données"),
        ("HVD-306", "record", "catalogue-record-value-ranges", "CatalogueRecord", "un enregistrement de catalogue"),
        ("HVD-307", "kind", "contact-point-value-ranges", "Kind", "un point de contact"),
    ]
    for rid, cls, name, anchor, fr in range_rules:
        rows = [x for x in ROWS if x.cls == cls]
        label = CLASSES[cls][0]
        listing = "; ".join(f"{x.path} → {x.range.split('@')[0]}" + (" | " + ("an HVD category IRI" if x.range.endswith("@hvd") else
                            "an ELI IRI" if x.range == "eli:LegalResource" else "an EU licence IRI" if x.range == "dct:LicenseDocument" else
                            "a vCard subclass" if x.range == "vcard:Kind" else "any IRI or blank node" if x.range == "rdfs:Resource" else
                            "an instance of a subclass") if x.range in RELAXED or x.range.endswith("@hvd") else "") for x in rows)
        r = Rule(rid, name, f"The values of a{'n' if label[0] in 'aeiou' else ''} {label}'s properties are instances of their range classes", "error",
                 f"DCAT-AP HVD 3.0.0 states a range for these properties of {label} ({CLASSES[cls][1]}); each value must be typed with it (rdf:type) in the data, no inference is run: {listing}.",
                 f"Type the {{path}} value {{value}} of {label} {{focus}} with the range class DCAT-AP HVD gives for {{path}} (add an rdf:type triple), or use an IRI of the vocabulary the specification names.",
                 [ref(anchor, f"{anchor}: property ranges")],
                 f"Les valeurs des propriétés d'{fr} sont des instances de leur classe de portée",
                 "Typez la valeur {value} de {path} pour {focus} avec la classe de portée que DCAT-AP HVD donne pour {path} (ajoutez un triplet rdf:type).")
        rules.append(r)
        cs = pass_cases([cls])
        for x in rows:
            sname = f"{stem(cls)}-{local(x.path)}-range"
            shapes.append(shape(sname, r, f"{label} {x.path} (range)", f"sh:targetClass {CLASSES[cls][1]}",
                                [f"sh:path {x.path}", range_body(x.range)]))
            data = instance(cls)
            if x.path == "foaf:primaryTopic":
                data = ["ex:record a dcat:CatalogRecord ;", "    foaf:primaryTopic ex:thing ."]
            else:
                data = adding(data, cls, [f"{x.path} {x.bad_value}"])
            value = x.bad_value if x.bad_value.startswith('"') else x.bad_value
            cs.append(Case(f"{local(x.path).lower()}-not-{x.range.split('@')[0].split(':')[1].lower()}", "fail", data, like_of(cls),
                           [finding(cls, x.path, sname, value)]))
        cases[rid] = cs

    # HVD-401..404: usage guidelines (warnings)
    r = Rule("HVD-401", "dataset-api", "An HVD dataset is available through a data service (API)", "warning",
             "DCAT-AP HVD 3.0.0 §Connecting Data Services with Datasets: the HVD regulation imposes an API for an HVD dataset, \"besides the exceptions listed in the HVD IR\": a data service serves the dataset directly (dcat:servesDataset) or through the access service of one of its distributions (dcat:distribution/dcat:accessService). A warning, because the regulation's exceptions cannot be read from the metadata.",
             "Connect dataset {focus} to its API: a dcat:DataService that dcat:servesDataset it, or a distribution with dcat:accessService (unless an exception of Regulation (EU) 2023/138 applies).",
             [ref("apis-are-mandatory", "Connecting Data Services with Datasets"), reg3],
             "Un jeu de données HVD est accessible par un service de données (API)",
             "Reliez le jeu de données {focus} à son API : un dcat:DataService qui le sert (dcat:servesDataset), ou une distribution avec dcat:accessService.")
    rules.append(r)
    shapes.append(shape("Dataset-api", r, "dataset served by a data service", "sh:targetClass dcat:Dataset",
                        ["sh:or ( [ sh:path [ sh:inversePath dcat:servesDataset ] ; sh:minCount 1 ] [ sh:path ( dcat:distribution dcat:accessService ) ; sh:minCount 1 ] )"]))
    cases[r.id] = [
        Case("served-directly", "pass", instance("dataset") + ["ex:api a dcat:DataService ; dcat:servesDataset ex:bees ."]),
        Case("served-through-distribution", "pass", adding(instance("dataset"), "dataset", ["dcat:distribution ex:csv"]) + [
            "ex:csv a dcat:Distribution ; dcat:accessService ex:api .", "ex:api a dcat:DataService ."]),
        Case("no-api", "fail", instance("dataset"), "served-directly",
             [finding("dataset", None, "Dataset-api", "ex:bees")]),
    ]

    r = Rule("HVD-402", "dataset-distribution", "An HVD dataset has a distribution (bulk download)", "warning",
             "DCAT-AP HVD 3.0.0, Dataset: dataset distribution (0..*): \"a Distribution is expected to be present (Article 3.1)\"; §Connecting Data Services with Datasets calls bulk download \"a strong recommendation\" and the distribution is where legal information is given.",
             "Add a distribution (dcat:distribution) to dataset {focus}: HVD datasets are expected to be downloadable in bulk.",
             [ref("Dataset.datasetdistribution", "Dataset: dataset distribution"), ref("apis-are-mandatory", "Connecting Data Services with Datasets"),
              ("Regulation (EU) 2023/138, Article 3(1)", REG)],
             "Un jeu de données HVD a une distribution (téléchargement en masse)",
             "Ajoutez une distribution (dcat:distribution) au jeu de données {focus} : les jeux HVD devraient être téléchargeables en masse.")
    rules.append(r)
    shapes.append(shape("Dataset-distribution-expected", r, "dataset dcat:distribution (expected)", "sh:targetClass dcat:Dataset",
                        ["sh:path dcat:distribution", "sh:minCount 1"]))
    cases[r.id] = [
        Case("with-distribution", "pass", adding(instance("dataset"), "dataset", ["dcat:distribution ex:csv"]) + ["ex:csv a dcat:Distribution ."]),
        Case("no-distribution", "fail", instance("dataset") + ["ex:csv a dcat:Distribution ."], "with-distribution",
             [finding("dataset", "dcat:distribution", "Dataset-distribution-expected")]),
    ]

    r = Rule("HVD-403", "legal-information", "An HVD distribution or data service gives its legal information (a licence or rights)", "warning",
             "DCAT-AP HVD 3.0.0 §Legal information: terms of use are given at the most precise level, the Distribution and the Data Service, \"by preference a licence\" (dct:license), as alternative rights (dct:rights); Articles 3(3) and 4(3) of the regulation.",
             "Give the legal information of {focus}: a licence (dct:license, preferably of the EU licence vocabulary), or rights (dct:rights) where a licence is not possible.",
             [ref("c3", "Legal information"), ("Regulation (EU) 2023/138, Articles 3(3) and 4(3)", REG)],
             "Une distribution ou un service HVD donne ses informations juridiques (licence ou droits)",
             "Donnez les informations juridiques de {focus} : une licence (dct:license) ou, à défaut, des droits (dct:rights).")
    rules.append(r)
    for cls in ("distribution", "service"):
        shapes.append(shape(f"{stem(cls)}-legal-information", r, f"{CLASSES[cls][0]} licence or rights", f"sh:targetClass {CLASSES[cls][1]}",
                            ["sh:or ( [ sh:path dct:license ; sh:minCount 1 ] [ sh:path dct:rights ; sh:minCount 1 ] )"]))
    lic = "dct:license <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0>"
    cases[r.id] = [
        Case("distribution-licence", "pass", adding(instance("distribution"), "distribution", [lic])),
        Case("service-rights", "pass", adding(instance("service"), "service", ["dct:rights ex:terms"]) + ["ex:terms a dct:RightsStatement ."]),
        Case("distribution-no-licence", "fail", instance("distribution"), "distribution-licence",
             [finding("distribution", None, "Distribution-legal-information", "ex:csv")]),
        Case("service-no-licence-or-rights", "fail", instance("service") + ["ex:terms a dct:RightsStatement ."], "service-rights",
             [finding("service", None, "DataService-legal-information", "ex:api")]),
    ]

    r = Rule("HVD-404", "contact-email-or-page", "An HVD contact point gives an email or a contact page", "warning",
             "DCAT-AP HVD 3.0.0, Kind and §Contact Point: \"it is recommended to provide at least either an email or a contact form\" (vcard:hasEmail or vcard:hasURL) for the contact point of a data service or dataset.",
             "Give contact point {focus} an email (vcard:hasEmail <mailto:…>) or a contact page (vcard:hasURL).",
             [ref("Kind", "Kind"), ref("c6", "Contact Point"), ("Regulation (EU) 2023/138, Article 3(4)", REG)],
             "Un point de contact HVD donne une adresse électronique ou une page de contact",
             "Donnez au point de contact {focus} une adresse électronique (vcard:hasEmail) ou une page de contact (vcard:hasURL).")
    rules.append(r)
    shapes.append(shape("ContactPoint-email-or-page", r, "contact point email or page", "sh:targetObjectsOf dcat:contactPoint",
                        ["sh:or ( [ sh:path vcard:hasEmail ; sh:minCount 1 ] [ sh:path vcard:hasURL ; sh:minCount 1 ] )"]))
    cases[r.id] = [
        Case("contact-page", "pass", instance("service")),
        Case("no-email-or-page", "fail", [l.replace(" vcard:hasURL <https://example.org/desk> .", " vcard:fn \"Service desk\" .") for l in instance("service")],
             "contact-page", [finding("kind", None, "ContactPoint-email-or-page", "ex:desk")]),
    ]
    for rule in rules:  # names are unique across the extends chain; dcat-ap-3 already uses the plain ones
        rule.name = "hvd-" + rule.name
    return rules, shapes, cases


# --------------------------------------------------------------------------------------------------------- manifest
MIMS = ["exchanging-data"]


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def manifest(rules: list[Rule]) -> str:
    out = [
        "# DCAT-AP HVD 3.0.0 — the High-Value Datasets usage guidelines of DCAT-AP, on top of DCAT-AP 3",
        "# Generated once from the specification tables by tools/dcat_ap_hvd.py, then maintained by hand.",
        "",
        'format = "ldt-conform/profile@1"',
        'requires = ">=0.1"',
        'id = "dcat-ap-hvd"',
        'version = "3.0.0+ldt.1"',
        'title = "DCAT-AP HVD 3.0.0 — High-Value Datasets (Implementing Regulation (EU) 2023/138), on top of DCAT-AP 3"',
        "description = " + q("The rules of DCAT-AP HVD 3.0.0 (HVD-NNN): applicable legislation naming the ELI of Implementing Regulation (EU) 2023/138, HVD category, the mandatory properties and ranges of its class tables, and its usage guidelines (an API per dataset, bulk download, legal information, contact point) as warnings; on top of every rule of dcat-ap-3, since an HVD description MUST conform to DCAT-AP. Checking a catalogue with this profile states that its datasets, series, distributions and data services are HVD resources, as the official shapes assume."),
        'prefix = "HVD"',
        'extends = "dcat-ap-3"',
        "",
        "[refs]",
        f'"DCAT-AP-HVD-3.0.0" = "{SPEC}"',
        f'"HVD-IR" = "{REG}"',
        "",
        "[prefixes]",
        f'hvd = "{NS}"',
        "",
        "[shacl]",
        'files = ["shapes/hvd.ttl"]',
    ]
    for r in rules:
        out += ["", "[[rules]]", f'id = "{r.id}"', f'name = "{r.name}"', f"title = {q(r.title)}", f'severity = "{r.severity}"',
                f"description = {q(r.description)}", f"message = {q(r.message)}",
                "refs = [" + ", ".join(f"{{ id = {q(i)}, url = {q(u)} }}" for i, u in r.refs) + "]",
                f"mims = {json.dumps(MIMS)}", "[rules.shacl]", "shapes = [" + ", ".join(q(s) for s in r.shapes) + "]",
                "[rules.i18n.fr]", f"title = {q(r.fr_title)}", f"message = {q(r.fr_message)}"]
    return "\n".join(out) + "\n"


def main() -> None:
    rules, shapes, cases = build()
    (ROOT / "shapes").mkdir(parents=True, exist_ok=True)
    (ROOT / "cases").mkdir(parents=True, exist_ok=True)
    (ROOT / "profile.toml").write_text(manifest(rules), encoding="utf-8")
    (ROOT / "shapes" / "hvd.ttl").write_text(SH_HEAD + "\n" + "\n".join(shapes), encoding="utf-8")
    for r in rules:
        (ROOT / "cases" / f"{r.id}.toml").write_text(render_cases(r, cases[r.id]), encoding="utf-8")


if __name__ == "__main__":
    main()
