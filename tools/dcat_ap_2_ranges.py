"""Write profiles/dcat-ap-2-ranges (manifest, shapes, rule cases) from the DCAT-AP 2.1.1 range column below.

Run once by the profile authors (`python tools/dcat_ap_2_ranges.py`, after tools/dcat_ap_2_core.py); the output is then
the source of truth. Policy as in dcat-ap-3-ranges, so both families judge a value alike: a value must carry its range
class (rdf:type) in the data, no inference; the FOAF and vCard subclasses of Agent and Kind count as the class (the test
bed gets the same result from its background vocabularies), and where DCAT-AP 2.1.1 names an EU controlled vocabulary
for the property, an IRI of that vocabulary counts as typed (the vocabularies profile checks the vocabulary itself).
"""
from __future__ import annotations

import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dcat_ap_2_core import HEADER, IRI, NS, ROOT, SPEC, C, expand, kebab, local, q

OUT = ROOT / "profiles" / "dcat-ap-2-ranges"
EU = r"^http://publications\\.europa\\.eu/resource/authority/"
# category -> (classes, IRI pattern counted as typed or None, an IRI matching it for a pass case)
RANGE = {
    "agent": (["foaf:Agent", "foaf:Organization", "foaf:Person", "foaf:Group"], EU + "corporate-body/",
              "http://publications.europa.eu/resource/authority/corporate-body/ESTAT"),
    "kind": (["vcard:Kind", "vcard:Individual", "vcard:Organization", "vcard:Location", "vcard:Group"], None, None),
    "location": (["dct:Location"], r"^(http://publications\\.europa\\.eu/resource/authority/(country|place|continent|atu)/|https?://sws\\.geonames\\.org/)",
                 "http://publications.europa.eu/resource/authority/country/ESP"),
    "language": (["dct:LinguisticSystem"], EU + "language/", "http://publications.europa.eu/resource/authority/language/ENG"),
    "licence": (["dct:LicenseDocument"], EU + "licence/", "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"),
    "rights": (["dct:RightsStatement"], EU + "access-right/", "http://publications.europa.eu/resource/authority/access-right/PUBLIC"),
    "scheme": (["skos:ConceptScheme"], EU + "[a-z-]+$", "http://publications.europa.eu/resource/authority/data-theme"),
    "concept": (["skos:Concept"], r"^(http://publications\\.europa\\.eu/resource/authority/[a-z-]+/|http://purl\\.org/adms/[a-z]+/)",
                "http://publications.europa.eu/resource/authority/data-theme/TRAN"),
    "frequency": (["dct:Frequency"], EU + "frequency/", "http://publications.europa.eu/resource/authority/frequency/ANNUAL"),
    "format": (["dct:MediaTypeOrExtent"], r"^(http://publications\\.europa\\.eu/resource/authority/file-type/|https?://www\\.iana\\.org/assignments/media-types/)",
               "http://publications.europa.eu/resource/authority/file-type/CSV"),
    "mediatype": (["dct:MediaType"], r"^https?://www\\.iana\\.org/assignments/media-types/", "https://www.iana.org/assignments/media-types/text/csv"),
    "resource": (["dcat:Catalog", "dcat:Dataset", "dcat:DataService", "dcat:Resource"], None, None),
}
for single in ["dcat:Dataset", "dcat:Catalog", "dcat:CatalogRecord", "dcat:DataService", "dcat:Distribution", "foaf:Document",
               "dct:PeriodOfTime", "dct:Standard", "dct:ProvenanceStatement", "adms:Identifier", "dcat:Relationship",
               "prov:Attribution", "prov:Activity", "spdx:Checksum", "odrl:Policy", "dcat:Role", "time:Instant"]:
    RANGE[single] = ([single], None, None)
IRI = {**IRI, "vcard": "http://www.w3.org/2006/vcard/ns#"}

TABLE = {  # rule -> (class key, [(property, range category)])
    "DCATAP2-301": ("Catalog", [("dct:publisher", "agent"), ("dcat:dataset", "dcat:Dataset"), ("dct:spatial", "location"),
                                ("foaf:homepage", "foaf:Document"), ("dct:language", "language"), ("dct:license", "licence"),
                                ("dcat:themeTaxonomy", "scheme"), ("dct:hasPart", "dcat:Catalog"), ("dct:isPartOf", "dcat:Catalog"),
                                ("dcat:record", "dcat:CatalogRecord"), ("dct:rights", "rights"), ("dcat:service", "dcat:DataService"),
                                ("dcat:catalog", "dcat:Catalog"), ("dct:creator", "agent")]),
    "DCATAP2-302": ("Dataset", [("dcat:contactPoint", "kind"), ("dcat:distribution", "dcat:Distribution"), ("dct:publisher", "agent"),
                                ("dct:spatial", "location"), ("dct:temporal", "dct:PeriodOfTime"), ("dcat:theme", "concept"),
                                ("dct:accessRights", "rights"), ("dct:accrualPeriodicity", "frequency"), ("dct:conformsTo", "dct:Standard"),
                                ("dct:hasVersion", "dcat:Dataset"), ("dct:isVersionOf", "dcat:Dataset"), ("dct:language", "language"),
                                ("dct:provenance", "dct:ProvenanceStatement"), ("dct:source", "dcat:Dataset"), ("dct:type", "concept"),
                                ("adms:identifier", "adms:Identifier"), ("adms:sample", "dcat:Distribution"),
                                ("dcat:landingPage", "foaf:Document"), ("foaf:page", "foaf:Document"),
                                ("dcat:qualifiedRelation", "dcat:Relationship"), ("prov:qualifiedAttribution", "prov:Attribution"),
                                ("prov:wasGeneratedBy", "prov:Activity"), ("dct:creator", "agent")]),
    "DCATAP2-303": ("Distribution", [("dct:conformsTo", "dct:Standard"), ("dct:language", "language"), ("dct:rights", "rights"),
                                     ("spdx:checksum", "spdx:Checksum"), ("adms:status", "concept"), ("dcat:mediaType", "mediatype"),
                                     ("foaf:page", "foaf:Document"), ("odrl:hasPolicy", "odrl:Policy"),
                                     ("dcat:accessService", "dcat:DataService"), ("dcat:compressFormat", "mediatype"),
                                     ("dcat:packageFormat", "mediatype"), ("dcatap:availability", "concept"), ("dct:format", "format"),
                                     ("dct:license", "licence")]),
    "DCATAP2-304": ("DataService", [("dcat:servesDataset", "dcat:Dataset"), ("dct:license", "licence"), ("dct:accessRights", "rights")]),
    "DCATAP2-306": ("CatalogRecord", [("foaf:primaryTopic", "resource"), ("dct:conformsTo", "dct:Standard"), ("adms:status", "concept"),
                                      ("dct:language", "language"), ("dct:source", "dcat:CatalogRecord")]),
    "DCATAP2-307": (None, [("Agent:dct:type", "concept"), ("LicenseDocument:dct:type", "concept"), ("Relationship:dcat:hadRole", "dcat:Role"),
                           ("PeriodOfTime:time:hasBeginning", "time:Instant"), ("PeriodOfTime:time:hasEnd", "time:Instant")]),
}
META = {  # rule -> (name, noun phrase, MIM tags like the DCAT-AP 3 rule of the same number)
    "DCATAP2-301": ("catalogue-value-ranges", "a catalogue's", "DCATAP-301"),
    "DCATAP2-302": ("dataset-value-ranges", "a dataset's", "DCATAP-302"),
    "DCATAP2-303": ("distribution-value-ranges", "a distribution's", "DCATAP-303"),
    "DCATAP2-304": ("data-service-value-ranges", "a data service's", "DCATAP-304"),
    "DCATAP2-306": ("catalogue-record-value-ranges", "a catalogue record's", "DCATAP-306"),
    "DCATAP2-307": ("supporting-class-value-ranges", "agents', licence documents', relationships' and periods'", "DCATAP-307"),
}
FR = {"DCATAP2-301": "d'un catalogue", "DCATAP2-302": "d'un jeu de données", "DCATAP2-303": "d'une distribution",
      "DCATAP2-304": "d'un service de données", "DCATAP2-306": "d'une fiche de catalogue",
      "DCATAP2-307": "des agents, documents de licence, relations qualifiées et périodes"}
EXTRA_CLASSES = {"LicenseDocument": ("dct:LicenseDocument", "licence document", "ex:licence")}


def targets(rule: str) -> list[tuple[str, str, str, str]]:
    """(class key, class curie, subject, property, category) per shape."""
    cls, rows = TABLE[rule]
    out = []
    for prop, cat in rows:
        if cls is None:
            key, _, p = prop.partition(":")
            curie, subject = (EXTRA_CLASSES[key][0], EXTRA_CLASSES[key][2]) if key in EXTRA_CLASSES else (C[key].curie, C[key].subject)
            out.append((key, curie, subject, p, cat))
        else:
            out.append((cls, C[cls].curie, C[cls].subject, prop, cat))
    return out


def shape_name(key: str, prop: str) -> str:
    return f"{key}-{local(prop)}-range"


def constraint(cat: str) -> str:
    classes, pattern, _ = RANGE[cat]
    if len(classes) == 1 and pattern is None:
        return f"    sh:class {classes[0]} ;"
    members = [f"[ sh:class {c} ]" for c in classes]
    if pattern:
        members.append(f'[ sh:nodeKind sh:IRI ; sh:pattern "{pattern}" ]')
    return f"    sh:or ( {' '.join(members)} ) ;"


def describe(cat: str) -> str:
    classes, pattern, _ = RANGE[cat]
    text = " | ".join(classes)
    return text + (" | an IRI of the EU vocabulary" if pattern else "")


def main() -> int:
    mims3 = {r["id"]: r.get("mims", []) for r in tomllib.loads(
        (ROOT / "profiles" / "dcat-ap-3-ranges" / "profile.toml").read_text(encoding="utf-8"))["rules"]}
    (OUT / "shapes").mkdir(parents=True, exist_ok=True)
    (OUT / "cases").mkdir(parents=True, exist_ok=True)
    blocks, manifest = [], [
        "# DCAT-AP 2.1.1 — ranges: values are instances of their range classes",
        "# Generated once from the specification tables by tools/dcat_ap_2_ranges.py, then maintained by hand.", "",
        'format = "ldt-conform/profile@1"', 'requires = ">=0.1"', 'id = "dcat-ap-2-ranges"', 'version = "2.1.1+ldt.1"',
        'title = "DCAT-AP 2.1.1 — ranges: values are instances of their range classes"',
        "description = " + q("Core plus the range classes (sh:class) DCAT-AP 2.1.1 states for each property (DCATAP2-3xx), "
                             "the counterpart of the official dcat-ap_2.1.1_shacl_range.ttl ('object range'). Values must "
                             "carry their rdf:type in the data: no inference and no background vocabularies are loaded; "
                             "FOAF/vCard subclasses and IRIs of the named EU vocabularies count as typed, as in dcat-ap-3-ranges."),
        'prefix = "DCATAP2"', 'extends = "dcat-ap-2-core"', "", "[refs]", f'"DCAT-AP-2.1.1" = "{SPEC}"', "",
        "[prefixes]", f'dcatap2 = "{NS}"', "", "[shacl]", 'files = ["shapes/ranges.ttl"]']
    for rule, (name, noun, like3) in META.items():
        rows = targets(rule)
        listing = "; ".join(f"{('' if TABLE[rule][0] else key + ' ')}{p} → {describe(cat)}" for key, _, _, p, cat in rows)
        owner = C[TABLE[rule][0]] if TABLE[rule][0] else None
        scope = f"of {owner.en} ({owner.curie})" if owner else "of the supporting classes"
        where = f"of {owner.en} {{focus}}" if owner else "of {focus}"
        section = owner.section if owner else "Agent, Licence Document, Relationship, Period of Time"
        manifest += ["", "[[rules]]", f'id = "{rule}"', f'name = "{name}"',
                     f"title = {q(f'The values of {noun} properties are instances of their range classes')}", 'severity = "error"',
                     "description = " + q(f"DCAT-AP 2.1.1 states a range class for these properties {scope}; each value must be "
                                          f"typed with that class (rdf:type) in the data: {listing}."),
                     "message = " + q(f"The {{property}} value {where} is {{found}}, where {{expected}} is expected. {{fix}}"),
                     "refs = [{ id = " + q(f"DCAT-AP 2.1.1 §{section}: property ranges") + f", url = {q(SPEC)} }}]",
                     "mims = [" + ", ".join(q(m) for m in mims3[like3]) + "]", "[rules.shacl]",
                     "shapes = [" + ", ".join(q("dcatap2:" + shape_name(k, p)) for k, _, _, p, _ in rows) + "]",
                     "[rules.i18n.fr]", f"title = {q(f'Les valeurs des propriétés {FR[rule]} sont des instances de leur classe de portée')}",
                     "message = " + q("La valeur de {property} pour {focus} est {found}, alors qu'on attend {expected}. {fix}")]
        cases = [f"# {rule} {name}", "# Generated by tools/dcat_ap_2_ranges.py: per owned shape a pass case with the value typed with its",
                 "# range class (and one with an EU vocabulary IRI where the property names one) and a fail case with the",
                 "# same value untyped, so the missing rdf:type is the only difference.", f'rule = "{rule}"']
        for key, curie, subject, prop, cat in rows:
            blocks.append(f"# {rule} {name} (error)\ndcatap2:{shape_name(key, prop)}\n    a sh:PropertyShape ;\n"
                          f'    rdfs:label "{rule}: {key} {prop} (range)"@en ;\n    sh:targetClass {curie} ;\n'
                          f"    sh:path {prop} ;\n{constraint(cat)}\n    sh:severity sh:Violation .")
            classes, _, sample = RANGE[cat]
            stem = (kebab(key) + "-" if not TABLE[rule][0] else "") + kebab(local(prop))
            value = f"ex:{stem}-value"
            cases += ["", "[[cases]]", f'name = "{stem}-typed"', 'expect = "pass"', "data = '''",
                      f"{subject} a {curie} ; {prop} {value} .", f"{value} a {classes[1] if cat in ('agent', 'kind') else classes[0]} .", "'''"]
            if sample:
                cases += ["", "[[cases]]", f'name = "{stem}-eu-vocabulary-iri"', 'expect = "pass"', "data = '''",
                          f"{subject} a {curie} ; {prop} <{sample}> .", "'''"]
            finding = (f'{{ focus = {q("http://example.org/" + local(subject))}, path = {q(expand(prop))}, '
                       f'value = {q("http://example.org/" + stem + "-value")}, shape = {q("dcatap2:" + shape_name(key, prop))} }}')
            cases += ["", "[[cases]]", f'name = "{stem}-untyped"', 'expect = "fail"', f'like = "{stem}-typed"', "data = '''",
                      f"{subject} a {curie} ; {prop} {value} .", "'''", f"findings = [{finding}]"]
        (OUT / "cases" / f"{rule}.toml").write_text("\n".join(cases) + "\n", encoding="utf-8")
    header = HEADER.replace("core: mandatory properties, cardinalities, literal ranges, datatypes and node kinds",
                            "ranges: values are instances of their range classes").replace("dcat-ap-2-core", "dcat-ap-2-ranges") \
        .replace("tools/dcat_ap_2_core.py", "tools/dcat_ap_2_ranges.py")
    header += "@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .\n" if "vcard:" not in header else ""
    (OUT / "shapes" / "ranges.ttl").write_text(header.format(part="ranges", spec=SPEC) + "\n\n" + "\n\n".join(blocks) + "\n",
                                              encoding="utf-8")
    (OUT / "profile.toml").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    print(f"{len(META)} rules, {sum(len(targets(r)) for r in META)} shapes -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
