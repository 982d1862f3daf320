"""Write profiles/dcat-ap-2-recommended (manifest, shapes, rule cases) from the DCAT-AP 2.1.1 recommended properties.

Run once by the profile authors (`python tools/dcat_ap_2_recommended.py`); the output is then the source of truth. The
table restates the "Recommended properties" table of each class in DCAT-AP 2.1.1: a sender SHOULD provide the property
when the information is available, so a missing one is a warning (DCATAP2-4xx). MIM tags are copied from the DCAT-AP
3.0.1 rule for the same property (column like3).
"""
from __future__ import annotations

import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dcat_ap_2_core import (
    GOOD,
    HEADER,
    KIND,
    NS,
    ROOT,
    SPEC,
    C,
    Cls,
    expand,
    instance,
    local,
    q,
)

OUT = ROOT / "profiles" / "dcat-ap-2-recommended"
C["LicenseDocument"] = Cls("LicenseDocument", "dct:LicenseDocument", "licence document", "a", "document de licence", False,
                                 "ex:licence", (), "Licence Document")  # only recommended properties: not in core's table
# id, class, property, English label, French label (with article), DCAT-AP 3 rule with the same MIM tags
ROWS = [
    ("DCATAP2-401", "Catalog", "foaf:homepage", "homepage", "une page d'accueil", "DCATAP-403"),
    ("DCATAP2-402", "Catalog", "dct:language", "language", "une langue", "DCATAP-404"),
    ("DCATAP2-403", "Catalog", "dct:license", "licence", "une licence", "DCATAP-405"),
    ("DCATAP2-404", "Catalog", "dct:issued", "release date", "une date de publication", "DCATAP-407"),
    ("DCATAP2-405", "Catalog", "dct:spatial", "geographical coverage", "une couverture géographique", "DCATAP-402"),
    ("DCATAP2-406", "Catalog", "dcat:themeTaxonomy", "themes", "une taxonomie de thèmes", "DCATAP-409"),
    ("DCATAP2-407", "Catalog", "dct:modified", "modification date", "une date de modification", "DCATAP-406"),
    ("DCATAP2-410", "Dataset", "dcat:contactPoint", "contact point", "un point de contact", "DCATAP-410"),
    ("DCATAP2-411", "Dataset", "dcat:distribution", "dataset distribution", "une distribution", "DCATAP-411"),
    ("DCATAP2-412", "Dataset", "dcat:keyword", "keyword", "un mot-clé", "DCATAP-413"),
    ("DCATAP2-413", "Dataset", "dct:publisher", "publisher", "un éditeur", "DCATAP-414"),
    ("DCATAP2-414", "Dataset", "dct:spatial", "geographical coverage", "une couverture géographique", "DCATAP-412"),
    ("DCATAP2-415", "Dataset", "dct:temporal", "temporal coverage", "une couverture temporelle", "DCATAP-415"),
    ("DCATAP2-416", "Dataset", "dcat:theme", "theme", "un thème", "DCATAP-416"),
    ("DCATAP2-417", "Distribution", "dcatap:availability", "availability", "une disponibilité", "DCATAP-417"),
    ("DCATAP2-418", "Distribution", "dct:description", "description", "une description", "DCATAP-418"),
    ("DCATAP2-419", "Distribution", "dct:format", "format", "un format", "DCATAP-419"),
    ("DCATAP2-420", "Distribution", "dct:license", "licence", "une licence", "DCATAP-420"),
    ("DCATAP2-423", "DataService", "dcat:endpointDescription", "endpoint description", "une description du point d'accès", "DCATAP-423"),
    ("DCATAP2-426", "DataService", "dcat:servesDataset", "serves dataset", "un jeu de données servi", "DCATAP-426"),
    ("DCATAP2-431", "CatalogRecord", "dct:conformsTo", "application profile", "un profil d'application", "DCATAP-431"),
    ("DCATAP2-432", "CatalogRecord", "adms:status", "change type", "un type de changement", "DCATAP-432"),
    ("DCATAP2-433", "CatalogRecord", "dct:issued", "listing date", "une date d'inscription", "DCATAP-433"),
    ("DCATAP2-434", "Agent", "dct:type", "type", "un type", "DCATAP-434"),
    ("DCATAP2-435", "LicenseDocument", "dct:type", "licence type", "un type de licence", "DCATAP-435"),
    ("DCATAP2-436", "Location", "dcat:bbox", "bounding box", "une emprise", "DCATAP-436"),
    ("DCATAP2-437", "Location", "dcat:centroid", "centroid", "un centroïde", "DCATAP-437"),
    ("DCATAP2-438", "PeriodOfTime", "dcat:startDate", "start date", "une date de début", "DCATAP-438"),
    ("DCATAP2-439", "PeriodOfTime", "dcat:endDate", "end date", "une date de fin", "DCATAP-439"),
]


def kebab_label(label: str) -> str:
    return label.replace(" ", "-")


def either_dataset_or_service(mims3: dict[str, list[str]], manifest: list[str], blocks: list[str]) -> tuple[list[str], list[str]]:
    """DCAT-AP 2.1.0 lifted Catalogue dataset to 0..n; a catalogue should still list at least one dataset or data service."""
    rid, name, shape, c = "DCATAP2-408", "catalogue-dataset-or-service-recommended", "Catalog-datasetOrService-recommended", C["Catalog"]
    manifest = manifest + [
        "", "[[rules]]", f'id = "{rid}"', f'name = "{name}"',
        'title = "A catalogue should list at least one dataset (dcat:dataset) or data service (dcat:service)"', 'severity = "warning"',
        "description = " + q("DCAT-AP 2.1.1 gives dcat:dataset and dcat:service of catalogue the cardinality 0..n (2.1.0 lifted "
                             "the mandatory dataset so that a catalogue of data services only is allowed); a catalogue "
                             "SHOULD still describe at least one dataset or one data service."),
        "message = " + q("Catalogue {focus} lists neither a dataset (dcat:dataset) nor a data service (dcat:service)."),
        f"refs = [{{ id = {q('DCAT-AP 2.1.1 §Catalogue: dataset, service (0..n; at least one of them recommended)')}, url = {q(SPEC)} }}]",
        "mims = [" + ", ".join(q(m) for m in mims3["DCATAP-401"]) + "]", "[rules.shacl]", f'shapes = ["dcatap2:{shape}"]',
        "[rules.i18n.fr]",
        "title = " + q("Un catalogue devrait lister au moins un jeu de données (dcat:dataset) ou un service de données (dcat:service)"),
        "message = " + q("Le catalogue {focus} ne liste ni jeu de données (dcat:dataset) ni service de données (dcat:service).")]
    blocks = blocks + [(
        f"# {rid} {name} (warning)\ndcatap2:{shape}\n    a sh:NodeShape ;\n"
        f'    rdfs:label "{rid}: catalogue dcat:dataset or dcat:service (recommended)"@en ;\n    sh:targetClass dcat:Catalog ;\n'
        "    sh:or ( [ sh:path dcat:dataset ; sh:minCount 1 ] [ sh:path dcat:service ; sh:minCount 1 ] ) ;\n"
        "    sh:severity sh:Warning .")]
    base = list(c.minimal)
    finding = f'{{ focus = "http://example.org/catalogue", value = "http://example.org/catalogue", shape = "dcatap2:{shape}" }}'
    cases = [f"# {rid} {name}", "# The fail case is the pass cases without dataset and service.", f'rule = "{rid}"', "",
             "[[cases]]", 'name = "with-dataset"', 'expect = "pass"', "data = '''",
             instance("Catalog", base + [("dcat:dataset", "ex:dataset")]).rstrip("\n"), "'''", "",
             "[[cases]]", 'name = "with-service-only"', 'expect = "pass"', "data = '''",
             instance("Catalog", base + [("dcat:service", "ex:service")]).rstrip("\n"), "'''", "",
             "[[cases]]", 'name = "neither-dataset-nor-service"', 'expect = "fail"', 'like = "with-dataset"', "data = '''",
             instance("Catalog", base).rstrip("\n"), "'''", f"findings = [{finding}]"]
    (OUT / "cases" / f"{rid}.toml").write_text("\n".join(cases) + "\n", encoding="utf-8")
    return manifest, blocks


def main() -> int:
    mims3 = {r["id"]: r.get("mims", []) for r in tomllib.loads(
        (ROOT / "profiles" / "dcat-ap-3-recommended" / "profile.toml").read_text(encoding="utf-8"))["rules"]}
    (OUT / "shapes").mkdir(parents=True, exist_ok=True)
    (OUT / "cases").mkdir(parents=True, exist_ok=True)
    manifest = ["# DCAT-AP 2.1.1 — recommended properties",
                "# Generated once from the specification tables by tools/dcat_ap_2_recommended.py, then maintained by hand.", "",
                'format = "ldt-conform/profile@1"', 'requires = ">=0.1"', 'id = "dcat-ap-2-recommended"', 'version = "2.1.1+ldt.1"',
                'title = "DCAT-AP 2.1.1 — recommended properties"',
                "description = " + q("Core plus a warning for each recommended property of DCAT-AP 2.1.1 that is missing "
                                     "(DCATAP2-4xx): a sender SHOULD provide it when the information is available. The "
                                     "counterpart of the official dcat-ap_2.1.1_shacl_shapes_recommended.ttl."),
                'prefix = "DCATAP2"', 'extends = "dcat-ap-2-core"', "", "[refs]", f'"DCAT-AP-2.1.1" = "{SPEC}"', "",
                "[prefixes]", f'dcatap2 = "{NS}"', "", "[shacl]", 'files = ["shapes/recommended.ttl"]']
    blocks = []
    for rid, cls, prop, label, fr, like3 in ROWS:
        c = C[cls]
        name = f"{c.en.replace(' ', '-')}-{kebab_label(label)}-recommended"
        shape = f"{cls}-{local(prop)}-recommended"
        manifest += ["", "[[rules]]", f'id = "{rid}"', f'name = "{name}"',
                     f"title = {q(f'{c.a.capitalize()} {c.en} should have a {label} ({prop})')}", 'severity = "warning"',
                     "description = " + q(f"{label.capitalize()} ({prop}) is a recommended property of {c.en} ({c.curie}) in "
                                          "DCAT-AP 2.1.1: a sender SHOULD provide it when the information is available."),
                     "message = " + q(f"Add a {label} ({prop}) to {c.en} {{focus}} if the information is available."),
                     f"refs = [{{ id = {q(f'DCAT-AP 2.1.1 §{c.section}: {label} (recommended)')}, url = {q(SPEC)} }}]",
                     "mims = [" + ", ".join(q(m) for m in mims3[like3]) + "]", "[rules.shacl]", f'shapes = ["dcatap2:{shape}"]',
                     "[rules.i18n.fr]", f"title = {q(f'{c.fr_un} devrait avoir {fr} ({prop})')}",
                     "message = " + q(f"Ajoutez {fr} ({prop}) {c.fr_au} {{focus}} si l'information est disponible.")]
        blocks.append(f"# {rid} {name} (warning)\ndcatap2:{shape}\n    a sh:PropertyShape ;\n"
                      f'    rdfs:label "{rid}: {c.en} {prop} (recommended)"@en ;\n    sh:targetClass {c.curie} ;\n'
                      f"    sh:path {prop} ;\n    sh:minCount 1 ;\n    sh:severity sh:Warning .")
        good = GOOD[KIND.get((cls, prop), "K")][0]
        base = list(c.minimal)
        finding = (f'{{ focus = {q("http://example.org/" + local(c.subject))}, path = {q(expand(prop))}, '
                   f'shape = {q("dcatap2:" + shape)} }}')
        cases = [f"# {rid} {name}", "# Generated by tools/dcat_ap_2_recommended.py: the fail case is the pass case without the property.",
                 f'rule = "{rid}"', "", "[[cases]]", f'name = "with-{kebab_label(label)}"', 'expect = "pass"', "data = '''",
                 instance(cls, base + [(prop, good)]).rstrip("\n"), "'''", "", "[[cases]]",
                 f'name = "without-{kebab_label(label)}"', 'expect = "fail"', f'like = "with-{kebab_label(label)}"', "data = '''",
                 instance(cls, base).rstrip("\n"), "'''", f"findings = [{finding}]"]
        (OUT / "cases" / f"{rid}.toml").write_text("\n".join(cases) + "\n", encoding="utf-8")
    manifest, blocks = either_dataset_or_service(mims3, manifest, blocks)
    header = HEADER.replace("core: mandatory properties, cardinalities, literal ranges, datatypes and node kinds",
                            "recommended properties").replace("dcat-ap-2-core", "dcat-ap-2-recommended") \
        .replace("tools/dcat_ap_2_core.py", "tools/dcat_ap_2_recommended.py")
    (OUT / "shapes" / "recommended.ttl").write_text(header.format(part="recommended", spec=SPEC) + "\n\n" + "\n\n".join(blocks) + "\n",
                                                    encoding="utf-8")
    (OUT / "profile.toml").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    print(f"{len(ROWS) + 1} rules -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
