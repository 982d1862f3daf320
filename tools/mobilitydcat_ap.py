"""Write profiles/mobilitydcat-ap (manifest, shapes, rule cases) from the mobilityDCAT-AP 1.1.0 property tables below.

Run once by the profile authors (`python tools/mobilitydcat_ap.py`); the output is then the source of truth. The tables
restate mobilityDCAT-AP 1.1.0 (NAPCORE, https://mobilitydcat-ap.github.io/mobilityDCAT-AP/releases/1.1.0/): its
quick reference of classes and properties and its per-class tables (Range, Card.), for what mobilityDCAT-AP changes:
obligations "raised to mandatory, compared to [DCAT-AP 2.0.1]", the properties it adds ("+" rows: mobility theme,
mobility data standard, grammar, ...), the maximum cardinalities it lowers (download URL 0..1, access URL 1..1) and the
controlled vocabularies of §"Controlled vocabularies to be used" for its own properties. mobilityDCAT-AP 1.x is an
extension of DCAT-AP 2.0.1 (its usage notes compare to [DCAT-AP-v2.0.1]; its release shapes "extend and inherit from
DCAT-AP 2.0.1"), so the profile extends dcat-ap-2 (DCAT-AP 2.1.1, the 2.x release this project ships), which keeps
checking every DCAT-AP property.
"""
from __future__ import annotations

import sys

from ap_extension import Cls, R, Spec, write

SPEC_URL = "https://mobilitydcat-ap.github.io/mobilityDCAT-AP/releases/1.1.0/"
VOCAB = "https://w3id.org/mobilitydcat-ap/"
EU = "http://publications.europa.eu/resource/authority/"

C = {c.key: c for c in [
    Cls("Catalog", "dcat:Catalog", "catalogue", "catalogue", False, "ex:catalogue",
        (("dct:title", '"National access point"@en'), ("dct:description", '"Mobility data of the country"@en'),
         ("dct:publisher", "ex:ministry"), ("dcat:dataset", "ex:dataset"), ("foaf:homepage", "<https://nap.example.org/>"),
         ("dcat:record", "ex:record"), ("dct:spatial", f"<{EU}country/SWE>")), "Catalogue"),
    Cls("CatalogRecord", "dcat:CatalogRecord", "catalogue record", "fiche de catalogue", True, "ex:record",
        (("foaf:primaryTopic", "ex:dataset"), ("dct:modified", '"2024-02-05"^^xsd:date'),
         ("dct:created", '"2024-01-15"^^xsd:date'), ("dct:language", f"<{EU}language/ENG>")), "Catalogue Record"),
    Cls("Dataset", "dcat:Dataset", "dataset", "jeu de données", False, "ex:dataset",
        (("dct:title", '"Road works"@en'), ("dct:description", '"Planned road works"@en'),
         ("dcat:distribution", "ex:distribution"), ("dct:accrualPeriodicity", f"<{EU}frequency/DAILY>"),
         ("mobilitydcatap:mobilityTheme", f"<{VOCAB}mobility-theme/roadworks-and-road-conditions>"),
         ("dct:spatial", f"<{EU}country/SWE>"), ("dct:publisher", "ex:agency")), "Dataset"),
    Cls("Distribution", "dcat:Distribution", "distribution", "distribution", True, "ex:distribution",
        (("dcat:accessURL", "<https://nap.example.org/roadworks>"),
         ("mobilitydcatap:mobilityDataStandard", f"<{VOCAB}mobility-data-standard/datex-II>"),
         ("dct:format", f"<{EU}file-type/XML>"), ("dct:rights", "ex:rights")), "Distribution"),
    Cls("RightsStatement", "dct:RightsStatement", "rights statement", "déclaration de droits", True, "ex:rights",
        (("dct:type", f"<{VOCAB}conditions-for-access-and-usage/free-of-charge>"),), "Rights statement"),
    Cls("Agent", "foaf:Agent", "agent", "agent", False, "ex:agency", (("foaf:name", '"Transport agency"@en'),), "Agent"),
    Cls("Address", "locn:Address", "address", "adresse", True, "ex:address", (), "Address (Agent)"),
    Cls("Assessment", "mobilitydcatap:Assessment", "assessment", "évaluation", True, "ex:assessment", (), "Assessment"),
    Cls("MobilityDataStandard", "mobilitydcatap:MobilityDataStandard", "mobility data standard",
        "standard de données de mobilité", False, "ex:standard", (), "Mobility Data Standard"),
]}

K: dict[tuple[str, str], str] = {}


def kinds(cls: str, spec: str) -> None:
    for item in spec.split():
        prop, kind = item.rsplit(":", 1)
        K[(cls, prop)] = kind


kinds("Catalog", "dcat:dataset:R foaf:homepage:R dcat:record:R dct:spatial:R dct:identifier:L adms:identifier:R")
kinds("CatalogRecord", "dct:created:D dct:language:R")
kinds("Dataset", "dcat:distribution:R dct:accrualPeriodicity:R mobilitydcatap:mobilityTheme:I dct:spatial:R "
      "dct:publisher:R mobilitydcatap:georeferencingMethod:I mobilitydcatap:networkCoverage:I "
      "mobilitydcatap:transportMode:I mobilitydcatap:intendedInformationService:I mobilitydcatap:assessmentResult:R "
      "dqv:hasQualityAnnotation:R")
kinds("Distribution", "mobilitydcatap:mobilityDataStandard:R dct:format:R dct:rights:R dcat:accessURL:R "
      "dcat:downloadURL:R cnt:characterEncoding:L mobilitydcatap:communicationMethod:I mobilitydcatap:dataFormatNotes:L "
      "mobilitydcatap:grammar:I mobilitydcatap:applicationLayerProtocol:I adms:sample:R dct:temporal:R")
kinds("RightsStatement", "dct:type:R")
kinds("Agent", "foaf:firstName:L foaf:surname:L locn:address:R org:memberOf:R foaf:mbox:R foaf:phone:R "
      "foaf:workplaceHomepage:R")
kinds("Address", "locn:adminUnitL1:L locn:adminUnitL2:L locn:postCode:L locn:postName:L locn:thoroughfare:L")
kinds("Assessment", "dct:issued:D oa:hasBody:R")
kinds("MobilityDataStandard", "owl:versionInfo:L mobilitydcatap:schema:R")

LABELS = {
    "dcat:dataset": ("dataset", "jeu de données", "un"), "foaf:homepage": ("homepage", "page d'accueil", "une"),
    "dcat:record": ("catalogue record", "fiche de catalogue", "une"), "dct:spatial": ("spatial coverage", "couverture spatiale", "une"),
    "dcat:distribution": ("distribution", "distribution", "une"), "dct:accrualPeriodicity": ("frequency", "fréquence", "une"),
    "mobilitydcatap:mobilityTheme": ("mobility theme", "thème de mobilité", "un"), "dct:publisher": ("publisher", "éditeur", "un"),
    "mobilitydcatap:mobilityDataStandard": ("mobility data standard", "standard de données de mobilité", "un"),
    "dct:format": ("format", "format", "un"), "dct:rights": ("rights statement", "déclaration de droits", "une"),
    "dct:created": ("creation date", "date de création", "une"), "dct:language": ("language", "langue", "une"),
    "dct:type": ("type of conditions for access and usage", "type de conditions d'accès et d'usage", "un"),
    "mobilitydcatap:georeferencingMethod": ("georeferencing method", "méthode de géoréférencement", "une"),
    "mobilitydcatap:networkCoverage": ("network coverage", "couverture du réseau", "une"),
    "mobilitydcatap:transportMode": ("transport mode", "mode de transport", "un"),
    "mobilitydcatap:intendedInformationService": ("intended information service", "service d'information visé", "un"),
    "mobilitydcatap:applicationLayerProtocol": ("application layer protocol", "protocole de couche application", "un"),
    "mobilitydcatap:communicationMethod": ("communication method", "méthode de communication", "une"),
    "mobilitydcatap:grammar": ("grammar", "grammaire", "une"),
}
# Well-formed values where a property has a controlled vocabulary (the generic ex:value-1 would be outside it).
GOODV = {("*", f"mobilitydcatap:{p}"): (f"<{VOCAB}{ns}/{a}>", f"<{VOCAB}{ns}/{b}>") for p, ns, a, b in [
    ("mobilityTheme", "mobility-theme", "roadworks-and-road-conditions", "traffic-data"),
    ("georeferencingMethod", "georeferencing-method", "geocoordinates", "network-link"),
    ("networkCoverage", "network-coverage", "motorway", "urban-roads"),
    ("transportMode", "transport-mode", "car", "bus"),
    ("intendedInformationService", "intended-information-service", "dynamic-traffic-info", "parking-info"),
    ("applicationLayerProtocol", "application-layer-protocol", "http", "mqtt"),
    ("communicationMethod", "communication-method", "push", "pull"),
    ("grammar", "grammar", "xml-schema", "json-schema"),
]}

# dcat-ap-2-recommended warns when a DCAT-AP 2 recommended property is missing; mobilityDCAT-AP makes these mandatory,
# so a missing value raises both (each case lists the warning as `also`).
ALSO = {
    ("Catalog", "foaf:homepage"): (("DCATAP2-401", "http://xmlns.com/foaf/0.1/homepage", None),),
    ("Catalog", "dct:spatial"): (("DCATAP2-405", "http://purl.org/dc/terms/spatial", None),),
    ("Catalog", "dcat:dataset"): (("DCATAP2-408", None, "http://example.org/catalogue"),),
    ("Dataset", "dcat:distribution"): (("DCATAP2-411", "http://www.w3.org/ns/dcat#distribution", None),),
    ("Dataset", "dct:publisher"): (("DCATAP2-413", "http://purl.org/dc/terms/publisher", None),),
    ("Dataset", "dct:spatial"): (("DCATAP2-414", "http://purl.org/dc/terms/spatial", None),),
    ("Distribution", "dct:format"): (("DCATAP2-419", "http://purl.org/dc/terms/format", None),),
}
CV = "Controlled vocabularies to be used"


def rules() -> list:
    def req(id_: str, cls: str, prop: str, kind: str = "required") -> None:
        stem = "mobility-" + C[cls].en.replace(" ", "-") + "-" + LABELS[prop][0].replace(" ", "-")
        out.append(R(id_, stem + ("-exactly-one" if kind == "exactly-one" else "-required"), cls, kind, prop))

    out: list = []
    for id_, cls, prop in [("101", "Catalog", "dcat:dataset"), ("102", "Catalog", "foaf:homepage"),
                           ("103", "Catalog", "dcat:record"), ("104", "Catalog", "dct:spatial"),
                           ("111", "Dataset", "dcat:distribution"), ("112", "Dataset", "dct:accrualPeriodicity"),
                           ("113", "Dataset", "mobilitydcatap:mobilityTheme"), ("114", "Dataset", "dct:spatial"),
                           ("115", "Dataset", "dct:publisher"), ("122", "Distribution", "dct:format"),
                           ("123", "Distribution", "dct:rights"), ("132", "CatalogRecord", "dct:language"),
                           ("141", "RightsStatement", "dct:type")]:
        req(f"MOBDCATAP-{id_}", cls, prop)
    req("MOBDCATAP-121", "Distribution", "mobilitydcatap:mobilityDataStandard", "exactly-one")
    req("MOBDCATAP-131", "CatalogRecord", "dct:created", "exactly-one")
    out += [
        R("MOBDCATAP-124", "mobility-distribution-single-valued-properties", "Distribution", "single",
          "dcat:accessURL dcat:downloadURL cnt:characterEncoding mobilitydcatap:communicationMethod "
          "mobilitydcatap:dataFormatNotes mobilitydcatap:grammar dct:temporal"),
        R("MOBDCATAP-151", "mobility-address-single-valued-properties", "Address", "single",
          "locn:adminUnitL1 locn:adminUnitL2 locn:postCode locn:postName locn:thoroughfare"),
        R("MOBDCATAP-201", "mobility-dataset-value-kinds", "Dataset", "kinds", "mobilitydcatap:assessmentResult dqv:hasQualityAnnotation"),
        R("MOBDCATAP-202", "mobility-distribution-value-kinds", "Distribution", "kinds",
          "mobilitydcatap:mobilityDataStandard cnt:characterEncoding mobilitydcatap:dataFormatNotes adms:sample dct:temporal"),
        R("MOBDCATAP-203", "mobility-catalogue-record-dates-are-temporal-literals", "CatalogRecord", "dates", "dct:created"),
        R("MOBDCATAP-204", "mobility-agent-value-kinds", "Agent", "kinds",
          "foaf:firstName foaf:surname locn:address org:memberOf foaf:mbox foaf:phone foaf:workplaceHomepage"),
        R("MOBDCATAP-205", "mobility-catalogue-value-kinds", "Catalog", "kinds", "dct:identifier adms:identifier"),
        R("MOBDCATAP-206", "mobility-address-value-kinds", "Address", "kinds",
          "locn:adminUnitL1 locn:adminUnitL2 locn:postCode locn:postName locn:thoroughfare"),
        R("MOBDCATAP-207", "mobility-assessment-value-kinds", "Assessment", "kinds", "oa:hasBody"),
        R("MOBDCATAP-208", "mobility-assessment-dates-are-temporal-literals", "Assessment", "dates", "dct:issued"),
        R("MOBDCATAP-209", "mobility-data-standard-value-kinds", "MobilityDataStandard", "kinds",
          "owl:versionInfo mobilitydcatap:schema"),
    ]
    for id_, cls, prop, ns in [("501", "Dataset", "mobilityTheme", "mobility-theme"),
                               ("502", "Dataset", "georeferencingMethod", "georeferencing-method"),
                               ("503", "Dataset", "networkCoverage", "network-coverage"),
                               ("504", "Dataset", "transportMode", "transport-mode"),
                               ("505", "Dataset", "intendedInformationService", "intended-information-service"),
                               ("506", "Distribution", "applicationLayerProtocol", "application-layer-protocol"),
                               ("507", "Distribution", "communicationMethod", "communication-method"),
                               ("508", "Distribution", "grammar", "grammar")]:
        stem = ns if ns.startswith("mobility") else f"mobility-{ns}"  # unique across the extends chain
        out.append(R(f"MOBDCATAP-{id_}", f"{stem}-from-its-vocabulary", cls, "vocab", f"mobilitydcatap:{prop}",
                     vocab=f"{VOCAB}{ns}/", section=f"{CV}: {LABELS['mobilitydcatap:' + prop][0]}"))
    return out


SPEC = Spec(
    profile="mobilitydcat-ap", version="1.1.0+ldt.1", prefix="MOBDCATAP", extends="dcat-ap-2",
    title="mobilityDCAT-AP 1.1.0 — the mobility extension of DCAT-AP for National Access Points",
    description="What mobilityDCAT-AP 1.1.0 changes in DCAT-AP: the properties it makes mandatory (a catalogue's "
                "datasets, records, homepage and country; a dataset's distribution, frequency, mobility theme, spatial "
                "coverage and publisher; a distribution's mobility data standard, format and rights; a record's "
                "creation date and language), its lower maximum cardinalities, the node kinds and dates of the "
                "properties it adds, and the controlled vocabularies of its own properties. Written by the ldt-conform "
                "project from the specification text. Extends dcat-ap-2 (mobilityDCAT-AP 1.x builds on DCAT-AP 2.0.1). "
                "Compared with the NAPCORE 1.1.0 validation shapes in tests/test_dcat_fidelity.py; the differences "
                "are listed in fidelity-exceptions.toml.",
    spec_name="mobilityDCAT-AP 1.1.0", spec_url=SPEC_URL, ns="https://w3id.org/ldt-conform/profiles/mobilitydcat-ap#",
    ns_prefix="mobdcatap", date_types=("xsd:date", "xsd:dateTime"), generator="tools/mobilitydcat_ap.py", classes=C, kind=K, labels=LABELS, rules=[], good=GOODV, also=ALSO,
)


def main() -> int:
    SPEC.rules = rules()
    return write(SPEC, {"Catalog": "catalogue", "CatalogRecord": "catalogue-record", "Dataset": "dataset",
                        "Distribution": "distribution"})


if __name__ == "__main__":
    sys.exit(main())
