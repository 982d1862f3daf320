"""Write profiles/dcat-ap-2-core (manifest, shapes, rule cases) from the DCAT-AP 2.1.1 property tables below.

Run once by the profile authors (`python tools/dcat_ap_2_core.py`); the output is then the source of truth and is
reviewed like hand-written data. The tables restate the DCAT-AP 2.1.1 specification (SEMIC, 2022: §"Properties per
class", the cardinality and range columns); the official SHACL shapes are only the comparison of
tests/test_dcat_fidelity.py, never an input. Scope, as the 2.1.1 release splits its validation: cardinalities, literal
ranges (node kind sh:Literal and datatypes) and rdfs:Resource ranges (an IRI or blank node). Class ranges (a value that
must be a dcat:Dataset, a foaf:Agent, ...) belong to the ranges profile, as the release's separate range shapes do.
MIM tags are copied from the corresponding DCAT-AP 3.0.1 rule (column `like3`), so both families tag alike.
"""
from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "profiles" / "dcat-ap-2-core"
SPEC = "https://joinup.ec.europa.eu/collection/semantic-interoperability-community-semic/solution/dcat-application-profile-data-portals-europe/release/211"
DCAT2_DATES = "https://www.w3.org/TR/vocab-dcat-2/#Property:resource_release_date"
NS = "https://w3id.org/ldt-conform/profiles/dcat-ap-2#"
IRI = {
    "dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
    "adms": "http://www.w3.org/ns/adms#", "dcatap": "http://data.europa.eu/r5r/", "spdx": "http://spdx.org/rdf/terms#",
    "skos": "http://www.w3.org/2004/02/skos/core#", "odrl": "http://www.w3.org/ns/odrl/2/", "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#", "locn": "http://www.w3.org/ns/locn#", "time": "http://www.w3.org/2006/time#",
    "vcard": "http://www.w3.org/2006/vcard/ns#", "xsd": "http://www.w3.org/2001/XMLSchema#",
}


@dataclass(frozen=True)
class Cls:
    key: str          # shape-name stem
    curie: str
    en: str           # "catalogue"
    a: str            # "a" / "an"
    fr: str           # "catalogue"
    fem: bool         # French gender
    subject: str      # case subject (ex:...)
    minimal: tuple[tuple[str, str], ...]  # the mandatory properties of a minimal instance (predicate, object)
    section: str      # spec section name

    @property
    def fr_le(self) -> str:
        return ("l'" if self.fr[0] in "aeiouéh" else "la " if self.fem else "le ") + self.fr

    @property
    def fr_au(self) -> str:
        return ("à l'" if self.fr[0] in "aeiouéh" else "à la " if self.fem else "au ") + self.fr

    @property
    def fr_du(self) -> str:
        return ("de l'" if self.fr[0] in "aeiouéh" else "de la " if self.fem else "du ") + self.fr

    @property
    def fr_dun(self) -> str:
        return ("d'une " if self.fem else "d'un ") + self.fr

    @property
    def fr_un(self) -> str:
        return ("Une " if self.fem else "Un ") + self.fr


C = {c.key: c for c in [
    Cls("Catalog", "dcat:Catalog", "catalogue", "a", "catalogue", False, "ex:catalogue",
        (("dct:title", '"City open data"@en'), ("dct:description", '"Open data of the city"@en'), ("dct:publisher", "ex:city")), "Catalogue"),
    Cls("Dataset", "dcat:Dataset", "dataset", "a", "jeu de données", False, "ex:dataset",
        (("dct:title", '"Traffic counts"@en'), ("dct:description", '"Hourly traffic counts"@en')), "Dataset"),
    Cls("Distribution", "dcat:Distribution", "distribution", "a", "distribution", True, "ex:distribution",
        (("dcat:accessURL", "<https://data.example.org/traffic.csv>"),), "Distribution"),
    Cls("DataService", "dcat:DataService", "data service", "a", "service de données", False, "ex:service",
        (("dct:title", '"Traffic API"@en'), ("dcat:endpointURL", "<https://api.example.org/traffic>")), "Data Service"),
    Cls("CatalogRecord", "dcat:CatalogRecord", "catalogue record", "a", "fiche de catalogue", True, "ex:record",
        (("foaf:primaryTopic", "ex:dataset"), ("dct:modified", '"2024-01-15"^^xsd:date')), "Catalogue Record"),
    Cls("Agent", "foaf:Agent", "agent", "an", "agent", False, "ex:agent",
        (("foaf:name", '"City of Valencia"@es'),), "Agent"),
    Cls("ConceptScheme", "skos:ConceptScheme", "category scheme", "a", "schéma de catégories", False, "ex:scheme",
        (("dct:title", '"Data themes"@en'),), "Category Scheme"),
    Cls("Concept", "skos:Concept", "category", "a", "catégorie", True, "ex:category",
        (("skos:prefLabel", '"Transport"@en'),), "Category"),
    Cls("Checksum", "spdx:Checksum", "checksum", "a", "somme de contrôle", True, "ex:checksum",
        (("spdx:algorithm", "spdx:checksumAlgorithm_sha1"),
         ("spdx:checksumValue", '"da39a3ee5e6b4b0d3255bfef95601890afd80709"^^xsd:hexBinary')), "Checksum"),
    Cls("Relationship", "dcat:Relationship", "relationship", "a", "relation qualifiée", True, "ex:relationship",
        (("dct:relation", "ex:census-2020"), ("dcat:hadRole", "ex:source-role")), "Relationship"),
    Cls("Identifier", "adms:Identifier", "identifier", "an", "identifiant", False, "ex:identifier", (), "Identifier"),
    Cls("Location", "dct:Location", "location", "a", "lieu", False, "ex:location", (), "Location"),
    Cls("PeriodOfTime", "dct:PeriodOfTime", "period of time", "a", "période", True, "ex:period", (), "Period of Time"),
]}

# Value kinds of the spec's range column: L rdfs:Literal, R rdfs:Resource, K a class (checked by the ranges
# profile; IRIs in cases), D a date literal, DEC xsd:decimal, DUR xsd:duration, HEX xsd:hexBinary, ALG the SHA-1 IRI.
GOOD = {
    "L": ('"first value"@en', '"second value"@en'), "R": ("ex:value-1", "ex:value-2"), "K": ("ex:value-1", "ex:value-2"),
    "D": ('"2020-01-01"^^xsd:date', '"2021-06-30"^^xsd:date'), "DEC": ('"1.5"^^xsd:decimal', '"2.5"^^xsd:decimal'),
    "DUR": ('"P1D"^^xsd:duration', '"PT1H"^^xsd:duration'), "HEX": ('"ab12"^^xsd:hexBinary', '"cd34"^^xsd:hexBinary'),
    "ALG": ("spdx:checksumAlgorithm_sha1",),
}
# A wrong value per check and what the report prints for it.
BAD = {
    "lit": ("ex:wrong-value", "http://example.org/wrong-value"),
    "res": ('"not a resource"', '"not a resource"'),
    "date": ('"2020-01-01"', '"2020-01-01"'),
    "DEC": ('"12 MB"', '"12 MB"'),
    "DUR": ('"one day"', '"one day"'),
    "HEX": ('"not hex"', '"not hex"'),
    "ALG": ("spdx:checksumAlgorithm_md5", "http://spdx.org/rdf/terms#checksumAlgorithm_md5"),
}

# (class, property) -> value kind, for every property a rule below mentions.
KIND = {
    ("Catalog", "dct:title"): "L", ("Catalog", "dct:description"): "L", ("Catalog", "dct:publisher"): "K",
    ("Catalog", "foaf:homepage"): "K", ("Catalog", "dct:issued"): "D", ("Catalog", "dct:modified"): "D",
    ("Catalog", "dct:license"): "K", ("Catalog", "dct:rights"): "K", ("Catalog", "dct:isPartOf"): "K",
    ("Dataset", "dct:title"): "L", ("Dataset", "dct:description"): "L", ("Dataset", "dcat:keyword"): "L",
    ("Dataset", "dct:identifier"): "L", ("Dataset", "owl:versionInfo"): "L", ("Dataset", "adms:versionNotes"): "L",
    ("Dataset", "dct:relation"): "R", ("Dataset", "dct:isReferencedBy"): "R",
    ("Dataset", "dct:accessRights"): "K", ("Dataset", "dct:accrualPeriodicity"): "K", ("Dataset", "dct:issued"): "D",
    ("Dataset", "dct:modified"): "D", ("Dataset", "dct:publisher"): "K",
    ("Dataset", "dcat:spatialResolutionInMeters"): "DEC", ("Dataset", "dcat:temporalResolution"): "DUR",
    ("Distribution", "dcat:accessURL"): "R", ("Distribution", "dcat:downloadURL"): "R",
    ("Distribution", "dct:title"): "L", ("Distribution", "dct:description"): "L",
    ("Distribution", "dcatap:availability"): "K", ("Distribution", "dcat:byteSize"): "DEC",
    ("Distribution", "spdx:checksum"): "K", ("Distribution", "dcat:compressFormat"): "K", ("Distribution", "dct:format"): "K",
    ("Distribution", "odrl:hasPolicy"): "K", ("Distribution", "dct:license"): "K", ("Distribution", "dcat:mediaType"): "K",
    ("Distribution", "dct:modified"): "D", ("Distribution", "dcat:packageFormat"): "K", ("Distribution", "dct:issued"): "D",
    ("Distribution", "dct:rights"): "K", ("Distribution", "dcat:spatialResolutionInMeters"): "DEC",
    ("Distribution", "adms:status"): "K", ("Distribution", "dcat:temporalResolution"): "DUR",
    ("DataService", "dct:title"): "L", ("DataService", "dct:description"): "L", ("DataService", "dcat:endpointURL"): "R",
    ("DataService", "dcat:endpointDescription"): "R", ("DataService", "dct:accessRights"): "K", ("DataService", "dct:license"): "K",
    ("CatalogRecord", "foaf:primaryTopic"): "K", ("CatalogRecord", "dct:modified"): "D", ("CatalogRecord", "dct:conformsTo"): "K",
    ("CatalogRecord", "dct:issued"): "D", ("CatalogRecord", "adms:status"): "K", ("CatalogRecord", "dct:source"): "K",
    ("CatalogRecord", "dct:title"): "L", ("CatalogRecord", "dct:description"): "L",
    ("Agent", "foaf:name"): "L", ("Agent", "dct:type"): "K", ("ConceptScheme", "dct:title"): "L", ("Concept", "skos:prefLabel"): "L",
    ("Checksum", "spdx:algorithm"): "ALG", ("Checksum", "spdx:checksumValue"): "HEX",
    ("Relationship", "dct:relation"): "R", ("Relationship", "dcat:hadRole"): "K",
    ("Identifier", "skos:notation"): "L",
    ("Location", "dcat:bbox"): "L", ("Location", "dcat:centroid"): "L", ("Location", "locn:geometry"): "L",
    ("PeriodOfTime", "dcat:startDate"): "D", ("PeriodOfTime", "dcat:endDate"): "D",
    ("PeriodOfTime", "time:hasBeginning"): "K", ("PeriodOfTime", "time:hasEnd"): "K",
}
LABEL = {  # property -> (English label, French label, French article "un"/"une")
    "dct:title": ("title", "titre", "un"), "dct:description": ("description", "description", "une"),
    "dct:publisher": ("publisher", "éditeur", "un"), "dcat:accessURL": ("access URL", "URL d'accès", "une"),
    "dcat:endpointURL": ("endpoint URL", "URL du point d'accès", "une"), "foaf:primaryTopic": ("primary topic", "sujet principal", "un"),
    "dct:modified": ("modification date", "date de modification", "une"), "foaf:name": ("name", "nom", "un"),
    "skos:prefLabel": ("preferred label", "libellé préféré", "un"), "spdx:algorithm": ("algorithm", "algorithme", "un"),
    "spdx:checksumValue": ("checksum value", "valeur de contrôle", "une"), "dct:relation": ("related resource", "ressource liée", "une"),
    "dcat:hadRole": ("role", "rôle", "un"),
}


@dataclass(frozen=True)
class RuleDef:
    id: str
    name: str
    cls: str
    kind: str          # required | exactly-one | single | kinds | dates | datatype | sha1
    props: tuple[str, ...]
    like3: str         # the DCAT-AP 3 rule whose MIM tags this rule shares
    title: str = ""
    fr_title: str = ""
    description: str = ""
    message: str = ""
    fr_message: str = ""


def R(id_: str, name: str, cls: str, kind: str, props: str, like3: str, **text: str) -> RuleDef:
    return RuleDef(id_, name, cls, kind, tuple(props.split()), like3, **text)


RULES = [
    R("DCATAP2-101", "catalogue-title-required", "Catalog", "required", "dct:title", "DCATAP-101"),
    R("DCATAP2-102", "catalogue-description-required", "Catalog", "required", "dct:description", "DCATAP-102"),
    R("DCATAP2-103", "catalogue-publisher-exactly-one", "Catalog", "exactly-one", "dct:publisher", "DCATAP-103"),
    R("DCATAP2-104", "catalogue-single-valued-properties", "Catalog", "single",
      "foaf:homepage dct:issued dct:modified dct:license dct:rights dct:isPartOf", "DCATAP-104"),
    R("DCATAP2-111", "dataset-title-required", "Dataset", "required", "dct:title", "DCATAP-111"),
    R("DCATAP2-112", "dataset-description-required", "Dataset", "required", "dct:description", "DCATAP-112"),
    R("DCATAP2-113", "dataset-single-valued-properties", "Dataset", "single",
      "dct:accessRights dct:accrualPeriodicity dct:issued dct:modified dct:publisher owl:versionInfo "
      "dcat:spatialResolutionInMeters dcat:temporalResolution", "DCATAP-113"),
    R("DCATAP2-121", "distribution-access-url-required", "Distribution", "required", "dcat:accessURL", "DCATAP-121"),
    R("DCATAP2-122", "distribution-single-valued-properties", "Distribution", "single",
      "dcatap:availability dcat:byteSize spdx:checksum dcat:compressFormat dct:format odrl:hasPolicy dct:license "
      "dcat:mediaType dct:modified dcat:packageFormat dct:issued dct:rights dcat:spatialResolutionInMeters adms:status "
      "dcat:temporalResolution", "DCATAP-122"),
    R("DCATAP2-131", "data-service-endpoint-url-required", "DataService", "required", "dcat:endpointURL", "DCATAP-131"),
    R("DCATAP2-132", "data-service-title-required", "DataService", "required", "dct:title", "DCATAP-132"),
    R("DCATAP2-133", "data-service-single-valued-properties", "DataService", "single", "dct:accessRights dct:license", "DCATAP-133"),
    R("DCATAP2-151", "catalogue-record-primary-topic-exactly-one", "CatalogRecord", "exactly-one", "foaf:primaryTopic", "DCATAP-151"),
    R("DCATAP2-152", "catalogue-record-modification-date-exactly-one", "CatalogRecord", "exactly-one", "dct:modified", "DCATAP-152"),
    R("DCATAP2-153", "catalogue-record-single-valued-properties", "CatalogRecord", "single",
      "dct:conformsTo dct:issued adms:status dct:source", "DCATAP-153"),
    R("DCATAP2-161", "agent-name-required", "Agent", "required", "foaf:name", "DCATAP-161"),
    R("DCATAP2-162", "agent-single-valued-properties", "Agent", "single", "dct:type", "DCATAP-162"),
    R("DCATAP2-163", "category-scheme-title-required", "ConceptScheme", "required", "dct:title", "DCATAP-163"),
    R("DCATAP2-164", "category-preferred-label-required", "Concept", "required", "skos:prefLabel", "DCATAP-164"),
    R("DCATAP2-165", "checksum-algorithm-exactly-one", "Checksum", "exactly-one", "spdx:algorithm", "DCATAP-165"),
    R("DCATAP2-166", "checksum-value-exactly-one", "Checksum", "exactly-one", "spdx:checksumValue", "DCATAP-166"),
    R("DCATAP2-167", "relationship-relation-required", "Relationship", "required", "dct:relation", "DCATAP-167"),
    R("DCATAP2-168", "relationship-had-role-required", "Relationship", "required", "dcat:hadRole", "DCATAP-168"),
    R("DCATAP2-169", "identifier-single-valued-properties", "Identifier", "single", "skos:notation", "DCATAP-169"),
    R("DCATAP2-170", "location-single-valued-properties", "Location", "single", "dcat:bbox dcat:centroid locn:geometry", "DCATAP-170"),
    R("DCATAP2-171", "period-of-time-single-valued-properties", "PeriodOfTime", "single",
      "dcat:startDate dcat:endDate time:hasBeginning time:hasEnd", "DCATAP-171"),
    R("DCATAP2-201", "catalogue-value-kinds", "Catalog", "kinds", "dct:title dct:description", "DCATAP-201"),
    R("DCATAP2-202", "catalogue-dates-are-temporal-literals", "Catalog", "dates", "dct:issued dct:modified", "DCATAP-202"),
    R("DCATAP2-203", "dataset-value-kinds", "Dataset", "kinds",
      "dct:title dct:description dcat:keyword dct:identifier owl:versionInfo adms:versionNotes dct:relation dct:isReferencedBy",
      "DCATAP-203"),
    R("DCATAP2-204", "dataset-dates-are-temporal-literals", "Dataset", "dates", "dct:issued dct:modified", "DCATAP-204"),
    R("DCATAP2-205", "distribution-value-kinds", "Distribution", "kinds",
      "dct:title dct:description dcat:accessURL dcat:downloadURL", "DCATAP-205"),
    R("DCATAP2-206", "distribution-dates-are-temporal-literals", "Distribution", "dates", "dct:issued dct:modified", "DCATAP-206"),
    R("DCATAP2-207", "distribution-byte-size-is-decimal", "Distribution", "datatype", "dcat:byteSize", "DCATAP-207",
      title="The byte size of a distribution is an xsd:decimal",
      fr_title="La taille en octets d'une distribution est un xsd:decimal",
      description="DCAT-AP 2.1.1 gives dcat:byteSize of distribution the range rdfs:Literal typed as xsd:decimal "
                  "(DCAT-AP 3 later changed it to xsd:nonNegativeInteger).",
      message='Give the byte size of distribution {focus} as a number of bytes typed xsd:decimal, e.g. "1048576"^^xsd:decimal (found {value}).',
      fr_message='Indiquez la taille de la distribution {focus} en nombre d\'octets typé xsd:decimal, p. ex. "1048576"^^xsd:decimal (trouvé {value}).'),
    R("DCATAP2-208", "resolution-datatypes", "Dataset", "datatype",
      "Dataset:dcat:spatialResolutionInMeters Distribution:dcat:spatialResolutionInMeters Dataset:dcat:temporalResolution "
      "Distribution:dcat:temporalResolution", "DCATAP-208",
      title="Spatial resolution is an xsd:decimal and temporal resolution an xsd:duration",
      fr_title="La résolution spatiale est un xsd:decimal et la résolution temporelle un xsd:duration",
      description="DCAT-AP 2.1.1 gives dcat:spatialResolutionInMeters the range xsd:decimal and dcat:temporalResolution "
                  "the range xsd:duration, on datasets and distributions.",
      message='Type the {path} of {focus} as the specification requires (xsd:decimal metres for spatial resolution, '
              'xsd:duration such as "PT1H" for temporal resolution); found {value}.',
      fr_message='Typez {path} de {focus} comme l\'exige la spécification (xsd:decimal en mètres pour la résolution '
                 'spatiale, xsd:duration comme "PT1H" pour la résolution temporelle) ; trouvé {value}.'),
    R("DCATAP2-209", "data-service-value-kinds", "DataService", "kinds",
      "dct:title dct:description dcat:endpointURL dcat:endpointDescription", "DCATAP-209"),
    R("DCATAP2-212", "catalogue-record-value-kinds", "CatalogRecord", "kinds", "dct:title dct:description", "DCATAP-212"),
    R("DCATAP2-213", "catalogue-record-dates-are-temporal-literals", "CatalogRecord", "dates", "dct:issued dct:modified", "DCATAP-213"),
    R("DCATAP2-214", "agent-value-kinds", "Agent", "kinds", "foaf:name", "DCATAP-214"),
    R("DCATAP2-215", "category-scheme-value-kinds", "ConceptScheme", "kinds", "dct:title", "DCATAP-215"),
    R("DCATAP2-216", "category-value-kinds", "Concept", "kinds", "skos:prefLabel", "DCATAP-216"),
    R("DCATAP2-218", "checksum-value-is-hex-binary", "Checksum", "datatype", "spdx:checksumValue", "DCATAP-218",
      title="A checksum value is an xsd:hexBinary literal",
      fr_title="Une valeur de contrôle est un littéral xsd:hexBinary",
      description="DCAT-AP 2.1.1 gives spdx:checksumValue the range rdfs:Literal typed as xsd:hexBinary.",
      message="Give the checksum value of {focus} as hexadecimal typed xsd:hexBinary (found {value}).",
      fr_message="Donnez la valeur de contrôle de {focus} en hexadécimal typé xsd:hexBinary (trouvé {value})."),
    R("DCATAP2-219", "relationship-value-kinds", "Relationship", "kinds", "dct:relation", "DCATAP-219"),
    R("DCATAP2-220", "identifier-value-kinds", "Identifier", "kinds", "skos:notation", "DCATAP-220"),
    R("DCATAP2-221", "location-value-kinds", "Location", "kinds", "dcat:bbox dcat:centroid locn:geometry", "DCATAP-221"),
    R("DCATAP2-222", "period-of-time-dates-are-temporal-literals", "PeriodOfTime", "dates", "dcat:startDate dcat:endDate", "DCATAP-222"),
    R("DCATAP2-224", "checksum-algorithm-is-sha1", "Checksum", "sha1", "spdx:algorithm", "DCATAP-218",
      title="A checksum uses the SHA-1 algorithm (spdx:checksumAlgorithm_sha1)",
      fr_title="Une somme de contrôle utilise l'algorithme SHA-1 (spdx:checksumAlgorithm_sha1)",
      description="DCAT-AP 2.1.1 §Checksum: the algorithm used to produce the checksum; SPDX (2.x, as profiled) "
                  "defines only SHA-1 and this algorithm must be used, so spdx:algorithm is spdx:checksumAlgorithm_sha1.",
      message="Checksum {focus} uses {value}; DCAT-AP 2.1.1 requires spdx:checksumAlgorithm_sha1.",
      fr_message="La somme de contrôle {focus} utilise {value} ; DCAT-AP 2.1.1 exige spdx:checksumAlgorithm_sha1."),
]


def kebab(name: str) -> str:
    return re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", name).lower()


def local(curie: str) -> str:
    return curie.split(":", 1)[1]


def expand(curie: str) -> str:
    prefix, name = curie.split(":", 1)
    return IRI[prefix] + name


def targets(rule: RuleDef) -> list[tuple[str, str]]:
    """(class key, property) per shape; datatype rule 208 names its class per property."""
    out = []
    for p in rule.props:
        parts = p.split(":")
        out.append((parts[0], ":".join(parts[1:])) if len(parts) == 3 else (rule.cls, p))
    return out


def check_of(rule: RuleDef, cls: str, prop: str) -> str:
    """lit | res | date | DEC | DUR | HEX | ALG | count: what the shape of (cls, prop) checks."""
    if rule.kind in ("required", "exactly-one", "single"):
        return "count"
    if rule.kind == "kinds":
        return "lit" if KIND[(cls, prop)] == "L" else "res"
    if rule.kind == "dates":
        return "date"
    if rule.kind == "sha1":
        return "ALG"
    return KIND[(cls, prop)]


def suffix(check: str) -> str:
    return {"count": "count", "lit": "kind", "res": "kind", "date": "date", "ALG": "algorithm"}.get(check, "datatype")


def shape_name(cls: str, prop: str, check: str) -> str:
    return f"{cls}-{local(prop)}-{suffix(check)}"


def fill_text(rule: RuleDef) -> RuleDef:
    c = C[rule.cls]
    props = ", ".join(rule.props)
    if rule.title:
        return rule
    if rule.kind in ("required", "exactly-one"):
        prop = rule.props[0]
        en, fr, un = LABEL[prop]
        one = rule.kind == "exactly-one"
        return RuleDef(**{**rule.__dict__,
            "title": f"{c.a.capitalize()} {c.en} has {'exactly one' if one else 'a'} {en} ({prop})",
            "fr_title": f"{c.fr_un} a {('exactement ' + un) if one else un} {fr} ({prop})",
            "description": f"DCAT-AP 2.1.1 makes {en} ({prop}) mandatory for every {c.en} ({c.curie})"
                           + (", with exactly one value." if one else "."),
            "message": (f"Give {c.en} {{focus}} exactly one {prop} ({en})." if one else f"Add a {prop} ({en}) to {c.en} {{focus}}."),
            "fr_message": (f"Donnez {'une seule' if un == 'une' else 'un seul'} {fr} ({prop}) {c.fr_au} {{focus}}." if one
                           else f"Ajoutez {un} {fr} ({prop}) {c.fr_au} {{focus}}.")})
    if rule.kind == "single":
        return RuleDef(**{**rule.__dict__,
            "title": f"{c.a.capitalize()} {c.en} has at most one value for its single-valued properties",
            "fr_title": f"{c.fr_un} a au plus une valeur pour ses propriétés à valeur unique",
            "description": f"DCAT-AP 2.1.1 gives these properties of {c.en} ({c.curie}) a maximum cardinality of 1: {props}.",
            "message": f"{c.en.capitalize()} {{focus}} has more than one {{path}}; keep a single value.",
            "fr_message": f"{c.fr_le.capitalize()} {{focus}} a plusieurs valeurs pour {{path}} ; n'en gardez qu'une."})
    if rule.kind == "kinds":
        lits = [p for p in rule.props if KIND[(rule.cls, p)] == "L"]
        ress = [p for p in rule.props if KIND[(rule.cls, p)] == "R"]
        parts = []
        if lits:
            parts.append("range rdfs:Literal, so a literal: " + ", ".join(lits))
        if ress:
            parts.append("range rdfs:Resource, so an IRI or a blank node, never a literal: " + ", ".join(ress))
        return RuleDef(**{**rule.__dict__,
            "title": f"The properties of {c.a} {c.en} have the node kind of their range",
            "fr_title": f"Les propriétés {c.fr_dun} ont la nature de nœud de leur portée",
            "description": f"DCAT-AP 2.1.1 states the range of each property of {c.en} ({c.curie}). "
                           + "; ".join(parts) + ". Properties whose range is a class are checked by dcat-ap-2-ranges.",
            "message": f"The {{path}} of {c.en} {{focus}} has the wrong kind of value ({{value}}): use a literal for text "
                       f"and an IRI (or blank node) for a resource, as the range of {{path}} requires.",
            "fr_message": f"La valeur {{value}} de {{path}} pour {c.fr_le} {{focus}} n'a pas la bonne nature : un littéral "
                          f"pour du texte, une IRI (ou un nœud anonyme) pour une ressource, selon la portée de {{path}}."})
    if rule.kind == "dates":
        return RuleDef(**{**rule.__dict__,
            "title": f"The dates of {c.a} {c.en} are typed date or date-time literals",
            "fr_title": f"Les dates {c.fr_dun} sont des littéraux typés date ou date-heure",
            "description": f"DCAT-AP 2.1.1 gives {props} of {c.en} the range rdfs:Literal typed as a date or date-time; "
                           "as in DCAT 2, the value is typed xsd:date, xsd:dateTime, xsd:gYear or xsd:gYearMonth and is "
                           "well-formed for that type.",
            "message": f"Type the {{path}} of {c.en} {{focus}} as xsd:date, xsd:dateTime, xsd:gYear or xsd:gYearMonth "
                       "with a valid ISO 8601 value (found {value}).",
            "fr_message": f"Typez {{path}} {c.fr_du} {{focus}} en xsd:date, xsd:dateTime, xsd:gYear ou xsd:gYearMonth "
                          "avec une valeur ISO 8601 valide (trouvé {value})."})
    raise ValueError(rule.id)


def refs(rule: RuleDef) -> list[tuple[str, str]]:
    c = C[rule.cls]
    if rule.kind in ("required", "exactly-one"):
        return [(f"DCAT-AP 2.1.1 §{c.section}: {LABEL[rule.props[0]][0]} (mandatory)", SPEC)]
    if rule.kind == "single":
        return [(f"DCAT-AP 2.1.1 §{c.section}: maximum cardinalities", SPEC)]
    if rule.kind == "kinds":
        return [(f"DCAT-AP 2.1.1 §{c.section}: property ranges", SPEC)]
    if rule.kind == "dates":
        return [(f"DCAT-AP 2.1.1 §{c.section}: release and update dates (rdfs:Literal, date or date-time)", SPEC),
                ("DCAT 2 §dct:issued: range (xsd:date, xsd:dateTime, xsd:gYear, xsd:gYearMonth)", DCAT2_DATES)]
    if rule.id == "DCATAP2-208":
        return [("DCAT-AP 2.1.1 §Dataset, §Distribution: spatial resolution (xsd:decimal), temporal resolution (xsd:duration)", SPEC)]
    return [(f"DCAT-AP 2.1.1 §{c.section}: {rule.props[0]} range", SPEC)]


# As in dcat-ap-3-core: rdflib, and so pyshacl, takes "NaN" and "Infinity" as xsd:decimal values, which XSD does not
# allow; the pattern holds the literal to decimal digits, in one sh:and so a wrong value is reported once.
DECIMAL = ("    # rdflib takes \"NaN\" and \"Infinity\" as xsd:decimal values, which XSD does not allow: the pattern holds the\n"
           "    # literal to decimal digits. One sh:and, so a wrong value is reported once, not once per constraint.\n"
           '    sh:and ( [ sh:datatype xsd:decimal ; sh:pattern "^[+-]?([0-9]+(\\\\.[0-9]*)?|\\\\.[0-9]+)$" ] ) ;')


def shape_ttl(rule: RuleDef, cls: str, prop: str) -> str:
    check = check_of(rule, cls, prop)
    c = C[cls]
    lines = [f"dcatap2:{shape_name(cls, prop, check)}", "    a sh:PropertyShape ;",
             f'    rdfs:label "{rule.id}: {c.en} {prop} ({suffix(check)})"@en ;',
             f"    sh:targetClass {c.curie} ;", f"    sh:path {prop} ;"]
    if check == "count":
        if rule.kind in ("required", "exactly-one"):
            lines.append("    sh:minCount 1 ;")
        if rule.kind in ("exactly-one", "single"):
            lines.append("    sh:maxCount 1 ;")
    elif check == "lit":
        lines.append("    sh:nodeKind sh:Literal ;")
    elif check == "res":
        lines.append("    sh:nodeKind sh:BlankNodeOrIRI ;")
    elif check == "date":
        lines.append("    sh:or ( [ sh:datatype xsd:date ] [ sh:datatype xsd:dateTime ] [ sh:datatype xsd:gYear ] [ sh:datatype xsd:gYearMonth ] ) ;")
    elif check == "ALG":
        lines.append("    sh:in ( spdx:checksumAlgorithm_sha1 ) ;")
    else:
        lines.append({"DEC": DECIMAL, "DUR": "    sh:datatype xsd:duration ;",
                      "HEX": "    sh:datatype xsd:hexBinary ;"}[check])
    lines.append("    sh:severity sh:Violation .")
    return "\n".join(lines)


HEADER = """# DCAT-AP 2.1.1 — core: mandatory properties, cardinalities, literal ranges, datatypes and node kinds — shapes: {part}
# Part of ldt-conform. Written by the ldt-conform project from the DCAT-AP 2.1.1 specification
# ({spec}); not derived from the SEMIC shapes files (generated once by tools/dcat_ap_2_core.py).
# Every shape has an IRI and is owned by one rule of dcat-ap-2-core/profile.toml (rules.shacl.shapes);
# sh:severity repeats the owning rule's severity.

@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
""" + "".join(f"@prefix {k}: <{v}> .\n" for k, v in IRI.items() if k != "xsd") + f"@prefix dcatap2: <{NS}> .\n"

FILES = {"Catalog": "catalogue", "Dataset": "dataset", "Distribution": "distribution", "DataService": "data-service",
         "CatalogRecord": "catalogue-record"}


def q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def manifest(rules: list[RuleDef], mims3: dict[str, list[str]]) -> str:
    out = ["# DCAT-AP 2.1.1 — core: mandatory properties, cardinalities, literal ranges, datatypes and node kinds",
           "# Generated once from the specification tables by tools/dcat_ap_2_core.py, then maintained by hand.", "",
           'format = "ldt-conform/profile@1"', 'requires = ">=0.1"', 'id = "dcat-ap-2-core"', 'version = "2.1.1+ldt.1"',
           'title = "DCAT-AP 2.1.1 — core: mandatory properties, cardinalities, literal ranges, datatypes and node kinds"',
           "description = " + q("Mandatory properties and cardinalities (DCATAP2-1xx) and the literal ranges, datatypes "
                                "and rdfs:Resource node kinds (DCATAP2-2xx) of DCAT-AP 2.1.1, written by the ldt-conform "
                                "project from the specification text. The counterpart of the official "
                                "dcat-ap_2.1.1_shacl_shapes.ttl ('existence, domain and literal range, and cardinalities'; "
                                "class ranges are in dcat-ap-2-ranges); its error findings match those shapes on real "
                                "catalogues except the differences listed in fidelity-exceptions.toml."),
           'prefix = "DCATAP2"', "", "[refs]", f'"DCAT-AP-2.1.1" = "{SPEC}"', "", "[prefixes]", f'dcatap2 = "{NS}"', "",
           "[shacl]", "files = [" + ", ".join(q(f"shapes/{f}.ttl") for f in [*FILES.values(), "supporting-classes"]) + "]"]
    for r in rules:
        shapes = [f"dcatap2:{shape_name(c, p, check_of(r, c, p))}" for c, p in targets(r)]
        out += ["", "[[rules]]", f'id = "{r.id}"', f'name = "{r.name}"', f"title = {q(r.title)}", 'severity = "error"',
                f"description = {q(r.description)}", f"message = {q(r.message)}",
                "refs = [" + ", ".join(f"{{ id = {q(i)}, url = {q(u)} }}" for i, u in refs(r)) + "]",
                "mims = [" + ", ".join(q(m) for m in mims3[r.like3]) + "]",
                "[rules.shacl]", "shapes = [" + ", ".join(q(s) for s in shapes) + "]",
                "[rules.i18n.fr]", f"title = {q(r.fr_title)}", f"message = {q(r.fr_message)}"]
    return "\n".join(out) + "\n"


def instance(cls: str, pairs: list[tuple[str, str]]) -> str:
    c = C[cls]
    if not pairs:
        return f"{c.subject} a {c.curie} .\n"
    body = " ;\n".join(f"    {p} {o}" for p, o in pairs)
    return f"{c.subject} a {c.curie} ;\n{body} .\n"


def with_values(cls: str, prop: str, objects: list[str], replace: bool = True) -> list[tuple[str, str]]:
    base = [(p, o) for p, o in C[cls].minimal if not (replace and p == prop)]
    return base + [(prop, o) for o in objects]


def finding(rule: RuleDef, cls: str, prop: str, value: str | None) -> str:
    focus = "http://example.org/" + local(C[cls].subject)
    parts = [f"focus = {q(focus)}", f"path = {q(expand(prop))}"]
    if value is not None:
        parts.append(f"value = '{value}'" if value.startswith('"') else f"value = {q(value)}")
    parts.append(f"shape = {q('dcatap2:' + shape_name(cls, prop, check_of(rule, cls, prop)))}")
    return "{ " + ", ".join(parts) + " }"


def cases(rule: RuleDef) -> str:
    out = [f"# {rule.id} {rule.name}: {rule.title}",
           "# Generated by tools/dcat_ap_2_core.py: every fail case is the first pass case (a minimal instance) with one",
           "# defect, so the rule's finding is the only difference.", f'rule = "{rule.id}"']

    def case(name: str, expect: str, data: str, findings: list[str] | None = None, like: str | None = None) -> None:
        out.extend(["", "[[cases]]", f'name = "{name}"', f'expect = "{expect}"'])
        if like:
            out.append(f'like = "{like}"')
        out.extend(["data = '''", data.rstrip("\n"), "'''"])
        if findings:
            out.append("findings = [" + ", ".join(findings) + "]")

    classes = list(dict.fromkeys(c for c, _ in targets(rule)))
    for cls in classes:
        case(f"{C[cls].en.replace(' ', '-')}-minimal", "pass", instance(cls, list(C[cls].minimal)))
    for cls in classes:
        props = [p for c, p in targets(rule) if c == cls]
        pairs = list(C[cls].minimal)
        for p in props:
            pairs = [(a, o) for a, o in pairs if a != p] + [(p, GOOD[KIND[(cls, p)]][0])]
        if len(pairs) > len(C[cls].minimal) or any(p not in dict(C[cls].minimal) for p in props):
            case(f"{C[cls].en.replace(' ', '-')}-well-formed-values", "pass", instance(cls, pairs))
    for cls, prop in targets(rule):
        check = check_of(rule, cls, prop)
        stem = (f"{C[cls].en.replace(' ', '-')}-" if len(classes) > 1 else "") + kebab(local(prop))
        like = f"{C[cls].en.replace(' ', '-')}-minimal" if len(classes) > 1 else None
        if check == "count":
            if rule.kind in ("required", "exactly-one"):
                case(f"{stem}-missing", "fail", instance(cls, with_values(cls, prop, [])), [finding(rule, cls, prop, None)], like)
            if rule.kind in ("exactly-one", "single") and KIND[(cls, prop)] != "ALG":
                two = list(GOOD[KIND[(cls, prop)]])
                case(f"{stem}-twice", "fail", instance(cls, with_values(cls, prop, two)), [finding(rule, cls, prop, None)], like)
        else:
            bad, printed = BAD[check]
            case(f"{stem}-{ {'lit': 'is-an-iri', 'res': 'is-a-literal', 'date': 'is-an-untyped-string'}.get(check, 'has-the-wrong-datatype' if check != 'ALG' else 'is-md5')}",
                 "fail", instance(cls, with_values(cls, prop, [bad])), [finding(rule, cls, prop, printed)], like)
            if check == "DEC":  # well-typed but not a decimal number in XSD
                case(f"{stem}-is-nan", "fail", instance(cls, with_values(cls, prop, ['"NaN"^^xsd:decimal'])),
                     [finding(rule, cls, prop, '"NaN"^^<http://www.w3.org/2001/XMLSchema#decimal>')], like)
    return "\n".join(out) + "\n"


def main() -> int:
    mims3 = {r["id"]: r.get("mims", []) for r in tomllib.loads(
        (ROOT / "profiles" / "dcat-ap-3-core" / "profile.toml").read_text(encoding="utf-8"))["rules"]}
    rules = [fill_text(r) for r in RULES]
    (OUT / "shapes").mkdir(parents=True, exist_ok=True)
    (OUT / "cases").mkdir(parents=True, exist_ok=True)
    (OUT / "profile.toml").write_text(manifest(rules, mims3), encoding="utf-8")
    by_file: dict[str, list[str]] = {}
    for r in rules:
        for cls, prop in targets(r):
            part = FILES.get(cls, "supporting-classes")
            by_file.setdefault(part, []).append(f"# {r.id} {r.name} (error): {r.title}\n" + shape_ttl(r, cls, prop))
    for part, blocks in by_file.items():
        (OUT / "shapes" / f"{part}.ttl").write_text(HEADER.format(part=part, spec=SPEC) + "\n\n" + "\n\n".join(blocks) + "\n",
                                                   encoding="utf-8")
    for r in rules:
        (OUT / "cases" / f"{r.id}.toml").write_text(cases(r), encoding="utf-8")
    print(f"{len(rules)} rules, {sum(len(targets(r)) for r in rules)} shapes -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
