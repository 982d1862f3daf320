"""Write profiles/dcat-ap-2-vocabularies (manifest, shapes, code lists, rule cases) for DCAT-AP 2.1.1.

Run once by the profile authors (`python tools/dcat_ap_2_vocabularies.py`); the output is then the source of truth. The
table restates DCAT-AP 2.1.1 §"Controlled vocabularies to be used". The code lists are our own (written for
dcat-ap-3-vocabularies from the vocabularies' published codes); they are copied here under the dcat-ap-2 namespace so
that each profile owns its shapes, and 2.1.1's own list is added: Distribution status uses the ADMS status vocabulary
(DCAT-AP 3 moved it to the EU distribution-status table). Severities follow dcat-ap-3-vocabularies (column like3), so
both families judge a vocabulary alike. Nothing is downloaded: the official 2.1.1 vocabulary shapes check skos:inScheme
on the imported EU authority tables, which needs them loaded (network).
"""
from __future__ import annotations

import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dcat_ap_2_core import (
    HEADER,
    NS,
    ROOT,
    SPEC,
    C,
    Cls,
    expand,
    instance,
    kebab,
    local,
    q,
)

OUT = ROOT / "profiles" / "dcat-ap-2-vocabularies"
SOURCE = ROOT / "profiles" / "dcat-ap-3-vocabularies" / "codelists"
C.setdefault("LicenseDocument", Cls("LicenseDocument", "dct:LicenseDocument", "licence document", "a", "document de licence",
                                    False, "ex:licence", (), "Licence Document"))
ADMS_STATUS = '''# Code list: ADMS: status (version ADMS 1.00).
# Written by the ldt-conform project from the published codes of http://purl.org/adms/status/1.0, the vocabulary
# DCAT-AP 2.1.1 names for Distribution adms:status; used offline by dcat-ap-2-vocabularies through sh:node.

@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dcatap2: <https://w3id.org/ldt-conform/profiles/dcat-ap-2#> .

dcatap2:AdmsStatusCode
    a sh:NodeShape ;
    rdfs:label "ADMS: status"@en ;
    rdfs:seeAlso <http://purl.org/adms/status/1.0> ;
    owl:versionInfo "ADMS 1.00" ;
    sh:in (
        <http://purl.org/adms/status/Completed>
        <http://purl.org/adms/status/Deprecated>
        <http://purl.org/adms/status/UnderDevelopment>
        <http://purl.org/adms/status/Withdrawn>
    ) .
'''
# list file -> (node shape, a valid code for pass cases)
LISTS = {
    "frequency": ("FrequencyCode", "<http://publications.europa.eu/resource/authority/frequency/DAILY>"),
    "file-type": ("FileTypeCode", "<http://publications.europa.eu/resource/authority/file-type/CSV>"),
    "language": ("LanguageCode", "<http://publications.europa.eu/resource/authority/language/ENG>"),
    "media-type": ("MediaTypeCode", "<https://www.iana.org/assignments/media-types/text/csv>"),
    "adms-status": ("AdmsStatusCode", "<http://purl.org/adms/status/Completed>"),
    "planned-availability": ("PlannedAvailabilityCode", "<http://publications.europa.eu/resource/authority/planned-availability/STABLE>"),
    "data-theme": ("DataThemeCode", "<http://publications.europa.eu/resource/authority/data-theme/TRAN>"),
    "access-right": ("AccessRightCode", "<http://publications.europa.eu/resource/authority/access-right/PUBLIC>"),
    "publisher-type": ("PublisherTypeCode", "<http://purl.org/adms/publishertype/LocalAuthority>"),
    "licence-type": ("LicenceTypeCode", "<http://purl.org/adms/licencetype/Attribution>"),
}
# id, name, list, [(class, property)], like3, title, French title, vocabulary named in messages
RULES = [
    ("DCATAP2-501", "frequency-from-eu-vocabulary", "frequency", [("Dataset", "dct:accrualPeriodicity")], "DCATAP-501",
     "A frequency is a code of the EU Vocabularies Frequency table", "Une fréquence est un code de la table Fréquence des EU Vocabularies",
     "the EU Vocabularies Frequency table"),
    ("DCATAP2-502", "file-type-from-eu-vocabulary", "file-type", [("Distribution", "dct:format")], "DCATAP-502",
     "A format is a code of the EU Vocabularies File Type table", "Un format est un code de la table Type de fichier des EU Vocabularies",
     "the EU Vocabularies File Type table"),
    ("DCATAP2-503", "language-from-eu-vocabulary", "language",
     [("Catalog", "dct:language"), ("Dataset", "dct:language"), ("CatalogRecord", "dct:language"), ("Distribution", "dct:language")],
     "DCATAP-503", "A language is a code of the EU Vocabularies Languages table",
     "Une langue est un code de la table Langues des EU Vocabularies", "the EU Vocabularies Languages table"),
    ("DCATAP2-504", "media-type-from-iana", "media-type",
     [("Distribution", "dcat:mediaType"), ("Distribution", "dcat:compressFormat"), ("Distribution", "dcat:packageFormat")],
     "DCATAP-504", "Media, compression and packaging formats are IANA media types",
     "Les formats de média, de compression et d'empaquetage sont des types de média IANA", "the IANA media types"),
    ("DCATAP2-505", "distribution-status-from-adms", "adms-status", [("Distribution", "adms:status")], "DCATAP-505",
     "A distribution status is a code of the ADMS status vocabulary", "Le statut d'une distribution est un code du vocabulaire de statut ADMS",
     "the ADMS status vocabulary"),
    ("DCATAP2-506", "availability-from-eu-vocabulary", "planned-availability", [("Distribution", "dcatap:availability")], "DCATAP-506",
     "A distribution availability is a code of the EU Vocabularies Planned Availability table",
     "La disponibilité d'une distribution est un code de la table Disponibilité prévue des EU Vocabularies",
     "the EU Vocabularies Planned Availability table"),
    ("DCATAP2-509", "access-rights-from-eu-vocabulary", "access-right", [("Dataset", "dct:accessRights")], "DCATAP-509",
     "Access rights should come from the EU Vocabularies Access Right table",
     "Les droits d'accès devraient venir de la table Droit d'accès des EU Vocabularies", "the EU Vocabularies Access Right table"),
    ("DCATAP2-510", "publisher-type-from-adms", "publisher-type", [("Agent", "dct:type")], "DCATAP-510",
     "An agent's type should come from the ADMS publisher type vocabulary",
     "Le type d'un agent devrait venir du vocabulaire de types d'éditeur ADMS", "the ADMS publisher type vocabulary"),
    ("DCATAP2-511", "licence-type-from-adms", "licence-type", [("LicenseDocument", "dct:type")], "DCATAP-511",
     "A licence document's type should come from the ADMS licence type vocabulary",
     "Le type d'un document de licence devrait venir du vocabulaire de types de licence ADMS", "the ADMS licence type vocabulary"),
]


def codelist(name: str) -> str:
    if name == "adms-status":
        return ADMS_STATUS
    text = (SOURCE / f"{name}.ttl").read_text(encoding="utf-8")
    return (text.replace("dcat-ap-3-vocabularies", "dcat-ap-2-vocabularies")
                .replace("https://w3id.org/ldt-conform/profiles/dcat-ap-3#", NS).replace("dcatap3:", "dcatap2:"))


def main() -> int:
    third_manifest = tomllib.loads((ROOT / "profiles" / "dcat-ap-3-vocabularies" / "profile.toml").read_text(encoding="utf-8"))
    third = {r["id"]: r for r in third_manifest["rules"]}
    releases = {**third_manifest["vocabularies"], "adms-status": {
        "version": "ADMS 1.00", "url": "http://purl.org/adms/status/1.0", "title": "ADMS: status", "file": "codelists/adms-status.ttl"}}
    for folder in ("shapes", "cases", "codelists"):
        (OUT / folder).mkdir(parents=True, exist_ok=True)
    used = [name for _, _, name, _, _, _, _, _ in RULES] + ["data-theme"]
    for name in dict.fromkeys(used):
        (OUT / "codelists" / f"{name}.ttl").write_text(codelist(name), encoding="utf-8")
    manifest = ["# DCAT-AP 2.1.1 — controlled vocabularies, checked offline",
                "# Generated once from the specification tables by tools/dcat_ap_2_vocabularies.py, then maintained by hand.", "",
                'format = "ldt-conform/profile@1"', 'requires = ">=0.1"', 'id = "dcat-ap-2-vocabularies"', 'version = "2.1.1+ldt.1"',
                'title = "DCAT-AP 2.1.1 — controlled vocabularies, checked offline"',
                "description = " + q("Core plus the controlled vocabularies DCAT-AP 2.1.1 names (DCATAP2-5xx): membership for the "
                                     "small, stable lists (frequency, ADMS status, planned availability, access right, data theme, "
                                     "ADMS publisher and licence types), namespace and code pattern for the large ones (file type, "
                                     "language, IANA media types). Severities as in dcat-ap-3-vocabularies. The lists are our own "
                                     "(codelists/); nothing is downloaded."),
                'prefix = "DCATAP2"', 'extends = "dcat-ap-2-core"', "", "[refs]", f'"DCAT-AP-2.1.1" = "{SPEC}"', "",
                "[prefixes]", f'dcatap2 = "{NS}"', "", "[shacl]",
                "files = [" + ", ".join(q(f) for f in ["shapes/vocabularies.ttl", *(f"codelists/{n}.ttl" for n in dict.fromkeys(used))]) + "]"]
    for name in dict.fromkeys(used):  # which release each of our lists reflects, as in dcat-ap-3-vocabularies
        manifest += ["", f"[vocabularies.{name}]"] + [f"{k} = {q(v)}" for k, v in releases[name].items()]
    blocks = []
    for rid, name, lst, rows, like3, title, fr_title, vocab in [*RULES, ("DCATAP2-508", "theme-from-eu-data-theme", "data-theme",
                                                                        [("Dataset", "dcat:theme")], "DCATAP-508",
                                                                        "A dataset with themes has at least one EU data theme",
                                                                        "Un jeu de données qui a des thèmes en a au moins un de la table Thème des EU Vocabularies",
                                                                        "the EU Vocabularies Data Theme table")]:
        severity = third[like3]["severity"]
        node, good = LISTS[lst]
        at_least_one = rid == "DCATAP2-508"
        shapes = [f"dcatap2:{cls}-{local(prop)}-vocabulary" for cls, prop in rows] + [f"dcatap2:{node}"]
        props = ", ".join(sorted({p for _, p in rows}))
        if at_least_one:
            description = ("DCAT-AP 2.1.1 §Controlled vocabularies: the themes of a dataset (dcat:theme) come from the EU "
                           "Vocabularies Data Theme table; other themes may be added, so at least one value must be an EU data "
                           "theme. A dataset without any theme is left to the recommended rules.")
            message = "Add one of the 13 EU data themes (e.g. <http://publications.europa.eu/resource/authority/data-theme/TRAN>) to the dcat:theme values of {focus}."
            fr_message = "Ajoutez un des 13 thèmes des EU Vocabularies (p. ex. <http://publications.europa.eu/resource/authority/data-theme/TRAN>) aux valeurs dcat:theme de {focus}."
        else:
            description = (f"DCAT-AP 2.1.1 §Controlled vocabularies names {vocab} for {props}. "
                           + ("The specification makes it mandatory to use, so another value is an error."
                              if severity == "error" else "Another value is a warning, as in dcat-ap-3-vocabularies."))
            message = f"Use a code of {vocab} for {{path}} of {{focus}}, e.g. {good} (found {{value}})."
            fr_message = f"Utilisez un code de la liste ({vocab}) pour {{path}} de {{focus}}, p. ex. {good} (trouvé {{value}})."
        manifest += ["", "[[rules]]", f'id = "{rid}"', f'name = "{name}"', f"title = {q(title)}", f'severity = "{severity}"',
                     f"description = {q(description)}", f"message = {q(message)}",
                     f"refs = [{{ id = {q('DCAT-AP 2.1.1 §Controlled vocabularies to be used')}, url = {q(SPEC)} }}]",
                     "mims = [" + ", ".join(q(m) for m in third[like3].get("mims", [])) + "]", "[rules.shacl]",
                     "shapes = [" + ", ".join(q(s) for s in shapes) + "]", "[rules.i18n.fr]", f"title = {q(fr_title)}",
                     f"message = {q(fr_message)}"]
        sev = "sh:Violation" if severity == "error" else "sh:Warning"
        cases = [f"# {rid} {name}", "# Generated by tools/dcat_ap_2_vocabularies.py: per owned shape a pass case with a code of the list",
                 "# and a fail case with an IRI outside it.", f'rule = "{rid}"']
        for cls, prop in rows:
            c = C[cls]
            shape = f"{cls}-{local(prop)}-vocabulary"
            if at_least_one:
                blocks.append(f"# {rid} {name} ({severity})\ndcatap2:{shape}\n    a sh:NodeShape ;\n"
                              f'    rdfs:label "{rid}: {c.en} {prop}"@en ;\n    sh:targetClass {c.curie} ;\n'
                              f"    sh:or (\n        [ sh:path {prop} ; sh:maxCount 0 ]\n"
                              f"        [ sh:path {prop} ; sh:qualifiedValueShape dcatap2:{node} ; sh:qualifiedMinCount 1 ]\n"
                              f"    ) ;\n    sh:severity {sev} .")
            else:
                blocks.append(f"# {rid} {name} ({severity})\ndcatap2:{shape}\n    a sh:PropertyShape ;\n"
                              f'    rdfs:label "{rid}: {c.en} {prop} (vocabulary)"@en ;\n    sh:targetClass {c.curie} ;\n'
                              f"    sh:path {prop} ;\n    sh:node dcatap2:{node} ;\n    sh:severity {sev} .")
            stem = (kebab(cls) + "-" if len(rows) > 1 else "") + kebab(local(prop))
            focus = "http://example.org/" + local(c.subject)
            cases += ["", "[[cases]]", f'name = "{stem}-code"', 'expect = "pass"', "data = '''",
                      instance(cls, list(c.minimal) + [(prop, good)]).rstrip("\n"), "'''"]
            if at_least_one:
                cases += ["", "[[cases]]", f'name = "{stem}-code-and-own-theme"', 'expect = "pass"', "data = '''",
                          instance(cls, list(c.minimal) + [(prop, f"{good}, ex:air-quality")]).rstrip("\n"), "'''"]
                finding = f'{{ focus = {q(focus)}, value = {q(focus)}, shape = {q("dcatap2:" + shape)} }}'
            else:
                finding = (f'{{ focus = {q(focus)}, path = {q(expand(prop))}, value = "http://example.org/not-a-code", '
                           f'shape = {q("dcatap2:" + shape)} }}')
            cases += ["", "[[cases]]", f'name = "{stem}-outside-the-list"', 'expect = "fail"', f'like = "{stem}-code"', "data = '''",
                      instance(cls, list(c.minimal) + [(prop, "ex:not-a-code" if not at_least_one else "ex:air-quality")]).rstrip("\n"),
                      "'''", f"findings = [{finding}]"]
        (OUT / "cases" / f"{rid}.toml").write_text("\n".join(cases) + "\n", encoding="utf-8")
    header = HEADER.replace("core: mandatory properties, cardinalities, literal ranges, datatypes and node kinds",
                            "controlled vocabularies, checked offline").replace("dcat-ap-2-core", "dcat-ap-2-vocabularies") \
        .replace("tools/dcat_ap_2_core.py", "tools/dcat_ap_2_vocabularies.py")
    (OUT / "shapes" / "vocabularies.ttl").write_text(header.format(part="vocabularies", spec=SPEC) + "\n\n" + "\n\n".join(blocks) + "\n",
                                                     encoding="utf-8")
    (OUT / "profile.toml").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    print(f"{len(RULES) + 1} rules -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
