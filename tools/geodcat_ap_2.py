"""Write profiles/geodcat-ap-2 (manifest, shapes, rule cases) from the GeoDCAT-AP 2.0.0 property tables below.

Run once by the profile authors (`python tools/geodcat_ap_2.py`); the output is then the source of truth. The tables
restate GeoDCAT-AP 2.0.0 (SEMIC, 2020-12-23, https://semiceu.github.io/GeoDCAT-AP/releases/2.0.0/), an extension of
DCAT-AP 2.0.1, for what it adds to the classes DCAT-AP already has and for the classes it adds: the mandatory
properties of Activity (generated, qualified association) and Attribution (agent, role), the maximum cardinalities
and literal ranges of the address classes and of Quality Measurement, and the creation, release and modification
dates (0..1, a date or date-time literal) it adds to Catalogue, Catalogue Record, Category Scheme, Data Service,
Dataset and Standard. The profile extends dcat-ap-2 (DCAT-AP 2.1.1, the 2.x release this project ships), which keeps
checking every DCAT-AP property; class membership of resource values is left to the ranges profiles.
"""
from __future__ import annotations

import sys

from ap_extension import Cls, R, Spec, write

SPEC_URL = "https://semiceu.github.io/GeoDCAT-AP/releases/2.0.0/"

C = {c.key: c for c in [
    Cls("Catalog", "dcat:Catalog", "catalogue", "catalogue", False, "ex:catalogue",
        (("dct:title", '"Geodata of the city"@en'), ("dct:description", '"Geospatial data of the city"@en'),
         ("dct:publisher", "ex:city")), "Catalogue"),
    Cls("CatalogRecord", "dcat:CatalogRecord", "catalogue record", "fiche de catalogue", True, "ex:record",
        (("foaf:primaryTopic", "ex:dataset"), ("dct:modified", '"2024-01-15"^^xsd:date')), "Catalogue Record"),
    Cls("ConceptScheme", "skos:ConceptScheme", "category scheme", "schéma de catégories", False, "ex:scheme",
        (("dct:title", '"INSPIRE themes"@en'),), "Category Scheme"),
    Cls("DataService", "dcat:DataService", "data service", "service de données", False, "ex:service",
        (("dct:title", '"WMS of the city"@en'), ("dcat:endpointURL", "<https://maps.example.org/wms>")), "Data Service"),
    Cls("Dataset", "dcat:Dataset", "dataset", "jeu de données", False, "ex:dataset",
        (("dct:title", '"Building footprints"@en'), ("dct:description", '"Footprints of all buildings"@en')), "Dataset"),
    Cls("Standard", "dct:Standard", "standard", "standard", False, "ex:standard", (), "Standard"),
    Cls("Activity", "prov:Activity", "activity", "activité", True, "ex:activity",
        (("prov:generated", "ex:test-result"), ("prov:qualifiedAssociation", "ex:association")), "Activity"),
    Cls("Attribution", "prov:Attribution", "attribution", "attribution", True, "ex:attribution",
        (("prov:agent", "ex:survey-office"), ("dcat:hadRole", "ex:custodian-role")), "Attribution"),
    Cls("QualityMeasurement", "dqv:QualityMeasurement", "quality measurement", "mesure de qualité", True, "ex:measurement",
        (), "Quality Measurement"),
    Cls("Address", "locn:Address", "address", "adresse", True, "ex:address", (), "Address (Agent)"),
    Cls("VcardAddress", "vcard:Address", "vCard address", "adresse vCard", True, "ex:vcard-address", (), "Address (Kind)"),
]}

K: dict[tuple[str, str], str] = {}


def kinds(cls: str, spec: str) -> None:
    for item in spec.split():
        prop, kind = item.rsplit(":", 1)
        K[(cls, prop)] = kind


kinds("Catalog", "dct:created:D")
kinds("CatalogRecord", "dct:created:D")
kinds("ConceptScheme", "dct:created:D dct:issued:D dct:modified:D")
kinds("DataService", "dct:created:D dct:issued:D dct:modified:D")
kinds("Dataset", "dct:created:D")
kinds("Standard", "dct:issued:D")
kinds("Activity", "prov:generated:R prov:qualifiedAssociation:R")
kinds("Attribution", "prov:agent:R dcat:hadRole:R")
kinds("QualityMeasurement", "dqv:isMeasurementOf:R sdmxattr:unitMeasure:R dqv:value:L")
kinds("Address", "locn:adminUnitL1:L locn:adminUnitL2:L locn:postCode:L locn:postName:L locn:thoroughfare:L")
kinds("VcardAddress", "vcard:country-name:L vcard:locality:L vcard:postal-code:L vcard:region:L vcard:street-address:L")

LABELS = {
    "prov:generated": ("generated entity", "entité générée", "une"),
    "prov:qualifiedAssociation": ("qualified association", "association qualifiée", "une"),
    "prov:agent": ("agent", "agent", "un"), "dcat:hadRole": ("role", "rôle", "un"),
}

SINGLE = {
    "Catalog": "dct:created", "CatalogRecord": "dct:created", "ConceptScheme": "dct:created dct:issued dct:modified",
    "DataService": "dct:created dct:issued dct:modified", "Dataset": "dct:created", "Standard": "dct:issued",
    "QualityMeasurement": "dqv:isMeasurementOf sdmxattr:unitMeasure dqv:value",
    "Address": "locn:adminUnitL1 locn:adminUnitL2 locn:postCode locn:postName locn:thoroughfare",
    "VcardAddress": "vcard:country-name vcard:locality vcard:postal-code vcard:region vcard:street-address",
}


def rules() -> list:
    out = [R("GEODCATAP2-101", "geo-activity-generated-required", "Activity", "required", "prov:generated"),
           R("GEODCATAP2-102", "geo-activity-qualified-association-required", "Activity", "required", "prov:qualifiedAssociation"),
           R("GEODCATAP2-103", "geo-attribution-agent-required", "Attribution", "required", "prov:agent"),
           R("GEODCATAP2-104", "geo-attribution-role-required", "Attribution", "required", "dcat:hadRole")]
    n1, n2 = 111, 201
    for key, c in C.items():
        stem = "geo-" + c.en.replace(" ", "-").lower()  # names are unique across the extends chain
        if key in SINGLE:
            out.append(R(f"GEODCATAP2-{n1}", f"{stem}-single-valued-properties", key, "single", SINGLE[key]))
            n1 += 1
        plain = [p for (k, p) in K if k == key and K[(k, p)] == "L"]
        if plain:
            out.append(R(f"GEODCATAP2-{n2}", f"{stem}-value-kinds", key, "kinds", " ".join(plain)))
            n2 += 1
        dates = [p for (k, p) in K if k == key and K[(k, p)] == "D"]
        if dates:
            out.append(R(f"GEODCATAP2-{n2}", f"{stem}-dates-are-temporal-literals", key, "dates", " ".join(dates)))
            n2 += 1
    return out


SPEC = Spec(
    profile="geodcat-ap-2", version="2.0.0+ldt.1", prefix="GEODCATAP2", extends="dcat-ap-2",
    title="GeoDCAT-AP 2.0.0 — the geospatial extension of DCAT-AP 2",
    description="What GeoDCAT-AP 2.0.0 adds to DCAT-AP 2: the mandatory properties of Activity and Attribution, the "
                "maximum cardinalities and literal ranges of addresses and quality measurements, and the creation, "
                "release and modification dates it adds to catalogues, records, category schemes, data services, "
                "datasets and standards. Written by the ldt-conform project from the specification text; extends "
                "dcat-ap-2. Its error findings match the official GeoDCAT-AP 2.0.0 shapes without their class "
                "ranges on real catalogues, except the differences listed in fidelity-exceptions.toml.",
    spec_name="GeoDCAT-AP 2.0.0", spec_url=SPEC_URL, ns="https://w3id.org/ldt-conform/profiles/geodcat-ap-2#",
    ns_prefix="geodcatap2", date_types=("xsd:date", "xsd:dateTime"), generator="tools/geodcat_ap_2.py", classes=C, kind=K, labels=LABELS, rules=[],
)


def main() -> int:
    SPEC.rules = rules()
    return write(SPEC, {"Catalog": "catalogue", "CatalogRecord": "catalogue-record", "Dataset": "dataset",
                        "DataService": "data-service"})


if __name__ == "__main__":
    sys.exit(main())
