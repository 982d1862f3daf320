"""Write profiles/geodcat-ap-3 (manifest, shapes, rule cases) from the GeoDCAT-AP 3.0.0 property tables below.

Run once by the profile authors (`python tools/geodcat_ap_3.py`); the output is then the source of truth. The tables
restate GeoDCAT-AP 3.0.0 (SEMIC, 2024-06-25, https://semiceu.github.io/GeoDCAT-AP/releases/3.0.0/): its per-class
property tables (columns Range and Card), for the properties the "Reuse" column marks as added or extended by GeoDCAT-AP
(P, E); properties reused unchanged from DCAT-AP 3 (A) are checked by the base profile, dcat-ap-3, which this one
extends ("GeoDCAT-AP is an extension of [DCAT-AP 3]"). Scope, as dcat-ap-3-core: maximum cardinalities, the node kind of
each range (Literal; a class or rdfs:Resource means an IRI or blank node), temporal literals and datatypes. GeoDCAT-AP 3
adds no mandatory property. Class membership of resource values (the spec's Range classes) is not checked here.
"""
from __future__ import annotations

import sys

from ap_extension import Cls, R, Spec, kebab, write

SPEC_URL = "https://semiceu.github.io/GeoDCAT-AP/releases/3.0.0/"
AGENT_ROLES = "geodcatap:custodian geodcatap:distributor geodcatap:originator geodcatap:principalInvestigator " \
              "geodcatap:processor geodcatap:resourceProvider geodcatap:user"

C = {c.key: c for c in [
    Cls("Catalog", "dcat:Catalog", "catalogue", "catalogue", False, "ex:catalogue",
        (("dct:title", '"Geodata of the city"@en'), ("dct:description", '"Geospatial data of the city"@en'),
         ("dct:publisher", "ex:city")), "Catalogue"),
    Cls("CatalogRecord", "dcat:CatalogRecord", "catalogue record", "fiche de catalogue", True, "ex:record",
        (("foaf:primaryTopic", "ex:dataset"), ("dct:modified", '"2024-01-15"^^xsd:date')), "Catalogue Record"),
    Cls("Dataset", "dcat:Dataset", "dataset", "jeu de données", False, "ex:dataset",
        (("dct:title", '"Building footprints"@en'), ("dct:description", '"Footprints of all buildings"@en')), "Dataset"),
    Cls("DatasetSeries", "dcat:DatasetSeries", "dataset series", "série de jeux de données", True, "ex:series",
        (("dct:title", '"Orthophotos"@en'), ("dct:description", '"Yearly orthophotos"@en')), "Dataset Series"),
    Cls("DataService", "dcat:DataService", "data service", "service de données", False, "ex:service",
        (("dct:title", '"WMS of the city"@en'), ("dcat:endpointURL", "<https://maps.example.org/wms>")), "Data Service"),
    Cls("Distribution", "dcat:Distribution", "distribution", "distribution", True, "ex:distribution",
        (("dcat:accessURL", "<https://data.example.org/buildings.gpkg>"),), "Distribution"),
    Cls("Agent", "foaf:Agent", "agent", "agent", False, "ex:agent", (("foaf:name", '"City survey office"@en'),), "Agent"),
    Cls("Kind", "vcard:Kind", "contact point", "point de contact", False, "ex:contact", (), "Kind"),
    Cls("Standard", "dct:Standard", "standard", "standard", False, "ex:standard", (), "Standard"),
    Cls("Location", "dct:Location", "location", "lieu", False, "ex:location", (), "Location"),
    Cls("Concept", "skos:Concept", "concept", "concept", False, "ex:concept", (("skos:prefLabel", '"Buildings"@en'),), "Concept"),
    Cls("QualityMeasurement", "dqv:QualityMeasurement", "quality measurement", "mesure de qualité", True, "ex:measurement",
        (), "Quality Measurement"),
    Cls("Metric", "dqv:Metric", "metric", "métrique", True, "ex:metric", (), "Metric"),
    Cls("Address", "locn:Address", "address", "adresse", True, "ex:address", (), "Address (Core Location)"),
    Cls("VcardAddress", "vcard:Address", "vCard address", "adresse vCard", True, "ex:vcard-address", (), "Address (vCard)"),
    Cls("Attribution", "prov:Attribution", "attribution", "attribution", True, "ex:attribution", (), "Attribution"),
    Cls("Activity", "prov:Activity", "activity", "activité", True, "ex:activity", (), "Activity"),
    Cls("Document", "foaf:Document", "document", "document", False, "ex:document", (), "Document"),
    Cls("RightsStatement", "dct:RightsStatement", "rights statement", "déclaration de droits", True, "ex:rights",
        (), "Rights Statement"),
    Cls("ProvenanceStatement", "dct:ProvenanceStatement", "provenance statement", "déclaration de provenance", True,
        "ex:provenance", (), "Provenance Statement"),
]}

# (class, property) -> value kind, for the properties GeoDCAT-AP 3 adds or extends.
K: dict[tuple[str, str], str] = {}


def kinds(cls: str, spec: str) -> None:
    """spec: 'prop:KIND prop:KIND ...' (KIND as in ap_extension.GOOD)."""
    for item in spec.split():
        prop, kind = item.rsplit(":", 1)
        K[(cls, prop)] = kind


roles = " ".join(f"{p}:R" for p in AGENT_ROLES.split())
kinds("Catalog", "dct:accessRights:R dct:conformsTo:R dct:created:D dct:identifier:L dct:rightsHolder:R "
      "dcat:contactPoint:R dcat:keyword:L dcat:theme:R geodcatap:referenceSystem:R geodcatap:topicCategory:R "
      "prov:qualifiedAttribution:R prov:wasUsedBy:R " + roles)
kinds("CatalogRecord", "dct:created:D dct:creator:R dct:identifier:L dct:publisher:R dct:rightsHolder:R "
      "dcat:contactPoint:R prov:qualifiedAttribution:R " + roles)
kinds("Dataset", "dct:created:D dct:rights:R dct:rightsHolder:R geodcatap:referenceSystem:R geodcatap:resourceType:R "
      "geodcatap:spatialResolutionAsText:L geodcatap:topicCategory:R dqv:hasQualityMeasurement:R prov:wasUsedBy:R " + roles)
kinds("DatasetSeries", "dct:accessRights:R dct:conformsTo:R dct:created:D dct:creator:R dct:identifier:L "
      "dct:isReferencedBy:R dct:language:R dct:relation:R dct:rights:R dct:rightsHolder:R dct:source:R "
      "dcat:distribution:R dcat:hasVersion:R dcat:inSeries:R dcat:keyword:L dcat:landingPage:R "
      "dcat:qualifiedRelation:R dcat:spatialResolutionInMeters:DEC dcat:theme:R dcat:version:L foaf:page:R "
      "adms:identifier:R adms:sample:R adms:versionNotes:L geodcatap:referenceSystem:R geodcatap:resourceType:R "
      "geodcatap:spatialResolutionAsText:L geodcatap:topicCategory:R dqv:hasQualityMeasurement:R "
      "prov:qualifiedAttribution:R prov:wasGeneratedBy:R prov:wasUsedBy:R " + roles)
kinds("DataService", "dct:created:D dct:creator:R dct:identifier:L dct:issued:D dct:language:R dct:modified:D "
      "dct:rights:R dct:rightsHolder:R dct:spatial:R dct:temporal:R dcat:spatialResolutionInMeters:DEC "
      "dcat:temporalResolution:DUR geodcatap:referenceSystem:R geodcatap:resourceType:R geodcatap:serviceCategory:R "
      "geodcatap:serviceProtocol:R geodcatap:serviceType:R geodcatap:spatialResolutionAsText:L geodcatap:topicCategory:R "
      "dqv:hasQualityMeasurement:R prov:qualifiedAttribution:R prov:wasUsedBy:R " + roles)
kinds("Distribution", "cnt:characterEncoding:L dct:accessRights:R adms:representationTechnique:R "
      "geodcatap:referenceSystem:R geodcatap:spatialResolutionAsText:L dqv:hasQualityMeasurement:R")
kinds("Agent", "foaf:mbox:R foaf:phone:R foaf:workplaceHomepage:R locn:address:R org:memberOf:R")
kinds("Kind", "vcard:fn:L vcard:hasAddress:R vcard:hasEmail:R vcard:hasTelephone:R vcard:hasURL:R")
kinds("Standard", "dct:created:D dct:description:L dct:identifier:L dct:issued:D dct:modified:D dct:title:L dct:type:R "
      "owl:versionInfo:L skos:inScheme:R")
kinds("Location", "dct:identifier:L skos:inScheme:R skos:prefLabel:L")
kinds("Concept", "skos:inScheme:R")
kinds("QualityMeasurement", "dqv:value:L dqv:isMeasurementOf:R sdmxattr:unitMeasure:R")
kinds("Metric", "dqv:expectedDataType:R dqv:inDimension:R")
kinds("Address", "locn:adminUnitL1:L locn:adminUnitL2:L locn:postCode:L locn:postName:L locn:thoroughfare:L")
kinds("VcardAddress", "vcard:country-name:L vcard:locality:L vcard:postal-code:L vcard:region:L vcard:street-address:L")
kinds("Attribution", "prov:agent:R dcat:hadRole:R")
kinds("Activity", "prov:generated:R prov:used:R prov:qualifiedAssociation:R")
kinds("Document", "dct:title:L dct:description:L")
kinds("RightsStatement", "dct:description:L")
kinds("ProvenanceStatement", "dct:description:L")

# Card 0..1 in the GeoDCAT-AP 3.0.0 tables, for the properties above.
SINGLE = {
    "Catalog": "dct:accessRights dct:created",
    "CatalogRecord": "dct:created dct:publisher",
    "Dataset": "dct:created geodcatap:resourceType",
    "DatasetSeries": "dct:accessRights dct:created geodcatap:resourceType",
    "DataService": "dct:created dct:issued dct:modified geodcatap:resourceType geodcatap:serviceCategory "
                   "geodcatap:serviceProtocol geodcatap:serviceType",
    "Distribution": "dct:accessRights adms:representationTechnique geodcatap:spatialResolutionAsText dqv:hasQualityMeasurement",
    "Agent": "foaf:mbox foaf:phone foaf:workplaceHomepage locn:address org:memberOf",
    "Kind": "vcard:fn vcard:hasAddress vcard:hasEmail vcard:hasTelephone vcard:hasURL",
    "Standard": "dct:created dct:issued dct:modified dct:type owl:versionInfo skos:inScheme",
    "Location": "skos:inScheme",
    "Concept": "skos:inScheme",
    "QualityMeasurement": "dqv:value dqv:isMeasurementOf sdmxattr:unitMeasure",
    "Metric": "dqv:expectedDataType dqv:inDimension",
    "Address": "locn:adminUnitL1 locn:adminUnitL2 locn:postCode locn:postName locn:thoroughfare",
    "VcardAddress": "vcard:country-name vcard:locality vcard:postal-code vcard:region vcard:street-address",
}


INSPIRE = "http://inspire.ec.europa.eu/metadata-codelist/"
# §Controlled vocabularies to be used, the rows marked "GeoDCAT-AP extension": (rule, property, main class, more
# classes, vocabulary namespace, English label, French label, two concepts for the cases)
VOCABULARIES = [
    ("501", "adms:representationTechnique", "Distribution", (), f"{INSPIRE}SpatialRepresentationType/",
     ("spatial representation type", "type de représentation spatiale", "un"), ("vector", "grid")),
    ("502", "geodcatap:resourceType", "Dataset", ("DatasetSeries", "DataService"), f"{INSPIRE}ResourceType/",
     ("resource type", "type de ressource", "un"), ("dataset", "series")),
    ("503", "geodcatap:serviceCategory", "DataService", (), f"{INSPIRE}SpatialDataServiceCategory/",
     ("spatial data service category", "catégorie de service de données géographiques", "une"),
     ("infoMapAccessService", "infoFeatureAccessService")),
    ("504", "geodcatap:serviceProtocol", "DataService", (), f"{INSPIRE}ProtocolValue/",
     ("service protocol", "protocole de service", "un"), ("OGC:WMS-1.3.0-http-get-map", "OGC:WFS-2.0.0-http-get-feature")),
    ("505", "geodcatap:topicCategory", "Dataset", ("Catalog", "DataService", "DatasetSeries"), f"{INSPIRE}TopicCategory/",
     ("topic category", "catégorie thématique", "une"), ("planningCadastre", "transportation")),
    ("506", "geodcatap:serviceType", "DataService", (), f"{INSPIRE}SpatialDataServiceType/",
     ("spatial data service type", "type de service de données géographiques", "un"), ("view", "download")),
    ("507", "geodcatap:referenceSystem", "Dataset", ("DatasetSeries", "DataService", "Distribution"),
     "http://www.opengis.net/def/crs/EPSG/0/", ("reference system", "système de référence", "un"), ("4326", "28992")),
    ("508", "dcat:hadRole", "Attribution", (), f"{INSPIRE}ResponsiblePartyRole/",
     ("responsible party role", "rôle de partie responsable", "un"), ("custodian", "owner")),
]
LABELS = {prop: label for _n, prop, _c, _x, _ns, label, _g in VOCABULARIES}
GOODV = {("*", prop): tuple(f"<{ns}{g}>" for g in goods) for _n, prop, _c, _x, ns, _l, goods in VOCABULARIES}
GOODV[("DataService", "geodcatap:resourceType")] = (f"<{INSPIRE}ResourceType/service>", f"<{INSPIRE}ResourceType/series>")


def rules() -> list:
    out = []
    n1, n2 = 101, 201
    for key, c in C.items():
        stem = "geo-" + c.en.replace(" ", "-").lower()  # names are unique across the extends chain (DCATAP-104 ...)
        if key in SINGLE:
            out.append(R(f"GEODCATAP3-{n1}", f"{stem}-single-valued-properties", key, "single", SINGLE[key]))
            n1 += 1
        props = [p for (k, p) in K if k == key]
        plain = [p for p in props if K[(key, p)] in ("L", "R")]
        out.append(R(f"GEODCATAP3-{n2}", f"{stem}-value-kinds", key, "kinds", " ".join(plain)))
        n2 += 1
        dates = [p for p in props if K[(key, p)] == "D"]
        if dates:
            out.append(R(f"GEODCATAP3-{n2}", f"{stem}-dates-are-temporal-literals", key, "dates", " ".join(dates)))
            n2 += 1
        for p in props:
            if K[(key, p)] in ("DEC", "DUR"):
                what = {"DEC": "decimal", "DUR": "duration"}[K[(key, p)]]
                out.append(R(f"GEODCATAP3-{n2}", f"{stem}-{kebab(p.split(':')[1])}-is-{what}",
                             key, "datatype", p))
                n2 += 1
    for n, prop, cls, extra, ns, label, _goods in VOCABULARIES:
        out.append(R(f"GEODCATAP3-{n}", f"geo-{kebab(label[0].replace(' ', '-'))}-from-its-vocabulary", cls, "vocab", prop,
                     vocab=ns, extra=extra, severity="warning", section=f"Controlled vocabularies to be used: {prop}"))
    return out


SPEC = Spec(
    profile="geodcat-ap-3", version="3.0.0+ldt.1", prefix="GEODCATAP3", extends="dcat-ap-3",
    title="GeoDCAT-AP 3.0.0 — the geospatial extension of DCAT-AP 3",
    description="What GeoDCAT-AP 3.0.0 adds to DCAT-AP 3: the maximum cardinalities, node kinds, temporal literals and "
                "datatypes of the properties it adds or extends (ISO 19115 / INSPIRE roles, reference system, "
                "resource type, service category/type/protocol, topic category, quality measurements, addresses), "
                "and, as warnings, the code lists it names for its own properties (INSPIRE registry, EPSG); "
                "written by the ldt-conform project from the specification text. Extends dcat-ap-3, which checks "
                "every DCAT-AP 3.0.1 property. Its error findings, with those of dcat-ap-3-core, match the official "
                "GeoDCAT-AP 3.0.0 shapes without their class ranges on real catalogues, except the differences "
                "listed in fidelity-exceptions.toml.",
    spec_name="GeoDCAT-AP 3.0.0", spec_url=SPEC_URL, ns="https://w3id.org/ldt-conform/profiles/geodcat-ap-3#",
    ns_prefix="geodcatap3", generator="tools/geodcat_ap_3.py", classes=C, kind=K, labels=LABELS, rules=[], good=GOODV,
)


def main() -> int:
    SPEC.rules = rules()
    return write(SPEC, {"Catalog": "catalogue", "CatalogRecord": "catalogue-record", "Dataset": "dataset",
                        "DatasetSeries": "dataset-series", "DataService": "data-service", "Distribution": "distribution"})


if __name__ == "__main__":
    sys.exit(main())
