"""`--profile auto` (ldt_conform/detect.py): exact picks on the corpus catalogues and on small graphs, one per branch."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from conftest import CORPUS, REPO, run_cli
from ldt_conform import detect, load
from ldt_conform.errors import UsageError

SHIPPED = ["dcat-ap-2", "dcat-ap-3", "dcat-ap-hvd"]  # the family as this test knows it; other helpers add geo/mobility
WITH_GEO = [*SHIPPED, "geodcat-ap-2", "geodcat-ap-3", "mobilitydcat-ap"]
ELI = "http://data.europa.eu/eli/reg_impl/2023/138/oj"
R5R = "http://data.europa.eu/r5r/"
DCAT = "http://www.w3.org/ns/dcat#"
GEO = "http://data.europa.eu/930/"
MOB = "http://w3id.org/mobilitydcat-ap#"

DEFAULT_REASON = "no dct:conformsTo naming a profile and no version-specific term: the default profile"
V3_REASON = "uses a DCAT-AP 3 term that DCAT-AP 2 does not have"
HVD_REASON = "uses dcatap:hvdCategory"
ELI_REASON = f"names the HVD regulation <{ELI}> as dcatap:applicableLegislation"
GEO_REASON = f"uses the GeoDCAT-AP namespace <{GEO}> (GeoDCAT-AP 2 and 3 share it; no dct:conformsTo names the version: the current one)"
MOB_REASON = f"uses the mobilityDCAT-AP namespace <{MOB}>"

# corpus file (under dcat/) → (detected profile, reason, evidence: exactly as the report prints it); None = no DCAT
# term: --profile auto refuses (exit 2). Files that do not parse are left out. The evidence is the least triple of its
# kind (blank nodes as []), so it does not depend on the order the store yields triples in.
CORPUS_PICKS: dict[str, tuple[str, str, tuple[str, ...]] | None] = {
    "ckanext-dcat/catalog.rdf": ("dcat-ap-3", DEFAULT_REASON,
        ('<https://data.some.org/catalog> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Catalog>',)),
    "ckanext-dcat/catalog_with_at_graph.jsonld": ("dcat-ap-3", DEFAULT_REASON,
        ('<https://ckan.example.org/dataset/d4ce4e6e-ab89-44cb-bf5c-33a162c234de#dataset> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset>',)),
    "ckanext-dcat/dataset_deri.ttl": ("dcat-ap-3", DEFAULT_REASON,
        ('<http://data.london.gov.uk/dataset/Abandoned_Vehicles> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset>',)),
    "ckanext-dcat/dataset_gov_de.rdf": ("dcat-ap-hvd", ELI_REASON,
        ('<https://www.opendata-hro.de/dataset/c1be4007-d811-48fb-8818-2cb358b06a63> <http://data.europa.eu/r5r/applicableLegislation> <http://data.europa.eu/eli/reg_impl/2023/138/oj>',)),
    "ckanext-dcat/dataset_health_multilingual.ttl": ("dcat-ap-3", DEFAULT_REASON,
        ('<http://example.test/dataset/1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset>',)),
    "ckanext-dcat/dataset_health_no_blank.ttl": ("dcat-ap-3", V3_REASON,
        ('<http://example.healthdata.nl/set/dataset> <http://data.europa.eu/r5r/applicableLegislation> <http://data.europa.eu/eli/reg/2022/868/oj>',)),
    "dcat-ap-ch/catalog.ttl": ("dcat-ap-3", DEFAULT_REASON,
        ('<https://data.stadt-zuerich.ch> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Catalog>',)),
    "dcat-ap-es/E1_Catalogo_solo_obligatorias.rdf": ("dcat-ap-3", DEFAULT_REASON,
        ('<http://dcat-ap-es.ejemplo.org/catalogo> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Catalog>',)),
    "dcat-ap-es/E_DCAT-AP-ES_Catalog_NSIP.ttl": ("dcat-ap-3", V3_REASON,
        ('<http://nsip.dcat-ap-es.ejemplo.org/catalogo-protegido> <http://data.europa.eu/r5r/applicableLegislation> <http://data.europa.eu/eli/dir/2019/1024/oj>',)),
    "dcat-ap-it/catalog_dati_unibo.rdf": ("dcat-ap-3", DEFAULT_REASON,
        ('<https://dati.unibo.it> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Catalog>',)),
    "dcat-ap-no/DCAT-AP-NO2.0-examples.ttl": ("dcat-ap-3", DEFAULT_REASON,
        ('<https://examples.org/dcatno_Examples#dsBuildings> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset>',)),
    "geodcat-ap-nl-ngr/4e2ef670-cddd-11dd-ad8b-0800200c9a66.ttl": ("geodcat-ap-3", GEO_REASON,
        ('<https://services.rce.geovoorziening.nl/www/download/e39bd6e0-7651-11e0-a1f0-0800200c9a62> <http://data.europa.eu/930/referenceSystem> <http://www.opengis.net/def/crs/EPSG/0/28992>',)),
    "geodcat-ap-nl-ngr/aa3b5e6e-7baa-40c0-8972-3353e927ec2f.ttl": ("geodcat-ap-3", GEO_REASON,
        ('<http://kadaster/1fa33d90-79cb-11e2-b92a-0800200c9a66> <http://data.europa.eu/930/custodian> []',)),
    "healthdcat-ap-mvd/health-catalog.ttl": ("dcat-ap-3", V3_REASON,
        ('<http://example.org/analytics-service/EHR001> <http://data.europa.eu/r5r/applicableLegislation> <http://data.europa.eu/eli/reg/2025/327/oj>',)),
    # its instances are named in the vocabulary namespace, but it uses no mobilityDCAT-AP property, class or code
    "mobilitydcat-ap/catalogue_shape_examples.ttl": ("dcat-ap-3", DEFAULT_REASON,
        ('<http://w3id.org/mobilitydcat-ap#BasicDataset> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset>',)),
    "mobilitydcat-ap/dataset_shape_examples.ttl": ("mobilitydcat-ap", MOB_REASON,
        ('<http://w3id.org/mobilitydcat-ap#AachenChargingDataset> <http://w3id.org/mobilitydcat-ap#mobilityTheme> <https://w3id.org/mobilitydcat-ap/mobility-theme/charging-infrastructure>',)),
    "mobilitydcat-ap/distribution_shape_examples.ttl": ("mobilitydcat-ap", MOB_REASON,
        ('<http://w3id.org/mobilitydcat-ap#CologneTrafficDistribution> <http://w3id.org/mobilitydcat-ap#applicationLayerProtocol> <https://w3id.org/mobilitydcat-ap/application-layer-protocol/mqtt>',)),
    "mobilitydcat-ap/mobility_data_standard_shape_examples.ttl": ("mobilitydcat-ap", MOB_REASON,
        ('<http://w3id.org/mobilitydcat-ap#InvalidStandard1> <http://w3id.org/mobilitydcat-ap#schema> <http://w3id.org/mobilitydcat-ap#Schema3>',)),
    "paged/dataset-register/hydra-page1.ttl": None,  # schema.org datasets, no DCAT
    "paged/dataset-register/hydra-page2.ttl": None,
    "semic-dcat-ap/example-bee-population-dataset-series-modified.ttl": ("dcat-ap-3", V3_REASON,
        ('<https://data.gov.gr/id/dataset/BeePopulation2000> <http://www.w3.org/ns/dcat#inSeries> <https://data.gov.gr/id/datasetseries/BeePopulation>',)),
    "semic-dcat-ap/example-data_service_terms_sla.jsonld": ("dcat-ap-hvd", ELI_REASON,
        ('<https://data.exampleMS.gov/id/dataset/1T2p3o4B> <http://data.europa.eu/r5r/applicableLegislation> <http://data.europa.eu/eli/reg_impl/2023/138/oj>',)),
    "semic-dcat-ap/example-ms_catalogue.ttl": ("dcat-ap-hvd", ELI_REASON,
        ('<https://data.exampleMS.gov/id/dataset/1T2p3o4B> <http://data.europa.eu/r5r/applicableLegislation> <http://data.europa.eu/eli/reg_impl/2023/138/oj>',)),
    "semic-dcat-ap/example-ms_catalogue_hvd.ttl": ("dcat-ap-hvd", ELI_REASON,
        ('<https://data.exampleMS.gov/id/dataset/1T2p3o4B> <http://data.europa.eu/r5r/applicableLegislation> <http://data.europa.eu/eli/reg_impl/2023/138/oj>',)),
    "semic-dcat-ap/example-ms_dataset_2_distributions.ttl": ("dcat-ap-hvd", ELI_REASON,
        ('<https://data.exampleMS.gov/id/dataset/1T2p3o4B> <http://data.europa.eu/r5r/applicableLegislation> <http://data.europa.eu/eli/reg_impl/2023/138/oj>',)),
    "semic-dcat-ap/example1.nt": ("dcat-ap-3", DEFAULT_REASON,
        ('<https://myorg.eu/opendata/catalog> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Catalog>',)),
    "semic-geodcat-ap/catalogue-record.ttl": ("dcat-ap-3", DEFAULT_REASON,
        ('<https://some.catalogue/record/af4c4fd6-0485-45c8-b6bc-8a8ed12aa3eb> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#CatalogRecord>',)),
    "semic-geodcat-ap/data-service.ttl": ("geodcat-ap-3", GEO_REASON,
        ('<https://some.catalogue/resource/eea_v_4326_250_k_wise-eionet-monitoring-sites_service> <http://data.europa.eu/930/custodian> <http://publications.europa.eu/resource/authority/corporate-body/EEA>',)),
    "semic-geodcat-ap/dataset.jsonld": ("geodcat-ap-3", GEO_REASON,
        ('<https://some.catalogue/resource/eea_r_3035_10_m_noise-contours-end2017_i_2016_v01_r00> <http://data.europa.eu/930/custodian> <http://publications.europa.eu/resource/authority/corporate-body/EEA>',)),
    "semic-geodcat-ap/quality-measurement.ttl": None,  # a DQV fragment, no DCAT
}


@pytest.mark.corpus
@pytest.mark.parametrize("rel", sorted(CORPUS_PICKS))
def test_corpus_pick(rel: str) -> None:
    targets = load.open_targets([str(CORPUS / "dcat" / rel)])
    expected = CORPUS_PICKS[rel]
    if expected is None:
        with pytest.raises(UsageError, match="uses no DCAT term"):
            detect.detect_targets(targets, SHIPPED)
        return
    detected, reason, evidence = expected
    for shipped in (SHIPPED, WITH_GEO):  # the pick, and what happens once the geo/mobility profiles ship
        found = detect.detect_targets(targets, shipped)
        assert (found.detected, found.evidence) == (detected, evidence)
        if detected in shipped:
            assert (found.profile, found.reason) == (detected, reason)
        else:
            base = detect.BASE[detected]
            assert (found.profile, found.reason) == (base, f"{reason}; {detected} is not shipped, so its base {base} is used")


def _pick(tmp_path: Path, turtle: str, shipped: list[str] = SHIPPED) -> detect.Detection:
    head = ("@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . "
            "@prefix dcatap: <http://data.europa.eu/r5r/> . @prefix geodcat: <http://data.europa.eu/930/> . "
            "@prefix mobilitydcatap: <https://w3id.org/mobilitydcat-ap#> . @prefix ex: <http://example.org/> .\n")
    file = tmp_path / "catalogue.ttl"
    file.write_text(head + turtle, encoding="utf-8")
    return detect.detect_targets(load.open_targets([str(file)]), shipped)


CATALOGUE = "ex:cat a dcat:Catalog ; dcat:dataset ex:d .\nex:d a dcat:Dataset .\n"


@pytest.mark.parametrize(("conforms", "detected"), [
    ("https://semiceu.github.io/DCAT-AP/releases/3.0.0-hvd/", "dcat-ap-hvd"),
    ("https://semiceu.github.io/DCAT-AP/releases/3.0.1", "dcat-ap-3"),
    ("https://semiceu.github.io/DCAT-AP/releases/2.1.1", "dcat-ap-2"),
    ("https://joinup.ec.europa.eu/collection/semantic-interoperability-community-semic/solution/"
     "dcat-application-profile-data-portals-europe/release/211", "dcat-ap-2"),
    ("https://semiceu.github.io/GeoDCAT-AP/releases/3.0.0", "geodcat-ap-3"),
    ("https://semiceu.github.io/GeoDCAT-AP/releases/2.0.0", "geodcat-ap-2"),
    ("https://w3id.org/mobilitydcat-ap/releases/1.1.0", "mobilitydcat-ap"),
])
def test_conforms_to_of_the_catalogue_names_the_profile(tmp_path: Path, conforms: str, detected: str) -> None:
    # a DCAT-AP 3 term and an HVD term are present too: the explicit claim wins, the HVD term is listed as seen
    found = _pick(tmp_path, CATALOGUE + f"ex:cat dct:conformsTo <{conforms}> .\n"
                  f"ex:d dcatap:hvdCategory <http://data.europa.eu/bna/c_ac64a52d> .\n", WITH_GEO)
    assert (found.profile, found.detected) == (detected, detected)
    assert found.reason == f"dct:conformsTo <{conforms}> on <http://example.org/cat>"
    also = ("also seen: dcat-ap-hvd term <http://example.org/d> <http://data.europa.eu/r5r/hvdCategory> "
            "<http://data.europa.eu/bna/c_ac64a52d>")
    assert found.evidence == (f"<http://example.org/cat> <http://purl.org/dc/terms/conformsTo> <{conforms}>",
                              *([] if detected == "dcat-ap-hvd" else [also]))


def test_conforms_to_of_a_distribution_is_a_data_standard_not_the_profile(tmp_path: Path) -> None:
    found = _pick(tmp_path, "ex:csv a dcat:Distribution ; "
                            "dct:conformsTo <https://semiceu.github.io/DCAT-AP/releases/2.1.1> .\n")
    assert (found.profile, found.reason) == ("dcat-ap-3", DEFAULT_REASON)


def test_hvd_category_picks_hvd(tmp_path: Path) -> None:
    found = _pick(tmp_path, CATALOGUE + "ex:d dcatap:hvdCategory <http://data.europa.eu/bna/c_ac64a52d> .\n")
    assert (found.profile, found.reason) == ("dcat-ap-hvd", HVD_REASON)
    assert found.evidence == ("<http://example.org/d> <http://data.europa.eu/r5r/hvdCategory> "
                              "<http://data.europa.eu/bna/c_ac64a52d>",)


def test_hvd_eli_picks_hvd_and_another_eli_only_says_dcat_ap_3(tmp_path: Path) -> None:
    found = _pick(tmp_path, CATALOGUE + f"ex:d dcatap:applicableLegislation <{ELI}> .\n")
    assert (found.profile, found.reason) == ("dcat-ap-hvd", ELI_REASON)
    assert found.evidence == (f"<http://example.org/d> <{R5R}applicableLegislation> <{ELI}>",)
    other = "http://data.europa.eu/eli/reg/2022/868/oj"
    found = _pick(tmp_path, CATALOGUE + f"ex:d dcatap:applicableLegislation <{other}> .\n")
    assert (found.profile, found.reason) == ("dcat-ap-3", V3_REASON)
    assert found.evidence == (f"<http://example.org/d> <{R5R}applicableLegislation> <{other}>",)


def test_hvd_falls_back_to_dcat_ap_3_when_not_shipped(tmp_path: Path) -> None:
    found = _pick(tmp_path, CATALOGUE + "ex:d dcatap:hvdCategory <http://data.europa.eu/bna/c_ac64a52d> .\n",
                  ["dcat-ap-2", "dcat-ap-3"])
    assert (found.profile, found.detected) == ("dcat-ap-3", "dcat-ap-hvd")
    assert found.reason == f"{HVD_REASON}; dcat-ap-hvd is not shipped, so its base dcat-ap-3 is used"


def test_mobility_namespace_https_too(tmp_path: Path) -> None:
    found = _pick(tmp_path, CATALOGUE + "ex:d mobilitydcatap:mobilityTheme ex:theme .\n", WITH_GEO)
    assert (found.profile, found.reason) == ("mobilitydcat-ap", MOB_REASON)
    assert found.evidence == ("<http://example.org/d> <https://w3id.org/mobilitydcat-ap#mobilityTheme> "
                              "<http://example.org/theme>",)
    found = _pick(tmp_path, CATALOGUE + "ex:d mobilitydcatap:mobilityTheme ex:theme .\n")
    assert (found.profile, found.detected) == ("dcat-ap-3", "mobilitydcat-ap")


def test_geodcat_namespace_with_and_without_dcat_ap_3_term(tmp_path: Path) -> None:
    found = _pick(tmp_path, CATALOGUE + "ex:d geodcat:custodian ex:org .\n", WITH_GEO)
    assert (found.profile, found.reason) == ("geodcat-ap-3", GEO_REASON)
    found = _pick(tmp_path, CATALOGUE + "ex:d geodcat:custodian ex:org ; dcat:inSeries ex:s .\n", WITH_GEO)
    assert (found.profile, found.reason) == ("geodcat-ap-3", f"uses the GeoDCAT-AP namespace <{GEO}>, with a DCAT-AP 3 term")
    assert found.evidence == (f"<http://example.org/d> <{GEO}custodian> <http://example.org/org>",
                              f"<http://example.org/d> <{DCAT}inSeries> <http://example.org/s>")
    found = _pick(tmp_path, CATALOGUE + "ex:d geodcat:custodian ex:org .\n")
    assert (found.profile, found.detected) == ("dcat-ap-3", "geodcat-ap-3")


def test_hvd_term_wins_over_geodcat_and_says_so(tmp_path: Path) -> None:
    found = _pick(tmp_path, CATALOGUE + "ex:d geodcat:custodian ex:org ; "
                                        "dcatap:hvdCategory <http://data.europa.eu/bna/c_ac64a52d> .\n", WITH_GEO)
    assert (found.profile, found.reason) == ("dcat-ap-hvd", HVD_REASON)
    assert found.evidence[1] == f"also seen: geodcat-ap term <http://example.org/d> <{GEO}custodian> <http://example.org/org>"


def test_dcat_ap_3_term_and_default(tmp_path: Path) -> None:
    found = _pick(tmp_path, CATALOGUE + "ex:d dcat:version \"2\" .\n")
    assert (found.profile, found.reason) == ("dcat-ap-3", V3_REASON)
    assert found.evidence == (f'<http://example.org/d> <{DCAT}version> "2"',)
    found = _pick(tmp_path, "ex:d dct:title \"Bees\" ; dcat:keyword \"bees\" .\n")
    assert (found.profile, found.reason) == ("dcat-ap-3", DEFAULT_REASON)
    assert found.evidence == (f'<http://example.org/d> <{DCAT}keyword> "bees"',)


def test_no_dcat_term_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"^--profile auto: the input uses no DCAT term"):
        _pick(tmp_path, "ex:d dct:title \"Bees\" .\n")


SCHEMA = json.loads((REPO / "ldt_conform" / "schemas" / "report.schema.json").read_text("utf-8"))


@pytest.mark.corpus
def test_cli_reports_the_pick_in_json_text_and_html(tmp_path: Path) -> None:
    source = str(CORPUS / "dcat" / "semic-dcat-ap" / "example-ms_catalogue_hvd.ttl")
    out, html = tmp_path / "report.json", tmp_path / "report.html"
    result = run_cli(["check", source, "--profile", "auto", "--offline", "--report", f"json={out}",
                      "--report", f"html={html}"], expect=1)
    report = json.loads(out.read_text("utf-8"))
    jsonschema.Draft202012Validator(SCHEMA).validate(report)
    assert report["profile"]["id"] == "dcat-ap-hvd"
    evidence = (f"<https://data.exampleMS.gov/id/dataset/1T2p3o4B> <{R5R}applicableLegislation> <{ELI}>",)
    assert report["options"]["profile_detection"] == {"requested": "auto", "profile": "dcat-ap-hvd",
                                                      "detected": "dcat-ap-hvd", "reason": ELI_REASON,
                                                      "evidence": list(evidence)}
    text = " ".join(result.stdout.split())
    assert f"Profile auto: dcat-ap-hvd: {ELI_REASON} (evidence: {evidence[0]})" in text
    page = html.read_text("utf-8")
    import html as html_lib

    assert "profile_detection" in page
    assert html_lib.escape(f"dcat-ap-hvd: {ELI_REASON} (evidence: {evidence[0]})", quote=False) in page


def test_cli_no_dcat_exits_2_with_one_line(tmp_path: Path) -> None:
    file = tmp_path / "not-dcat.ttl"
    file.write_text('<http://example.org/d> <http://purl.org/dc/terms/title> "Bees" .\n', encoding="utf-8")
    result = run_cli(["check", str(file), "--profile", "auto"], expect=2)
    assert result.stderr.strip().splitlines()[-1].endswith(
        "--profile auto: the input uses no DCAT term (no dcat: class or property), so no DCAT-AP profile applies; "
        "give the profile with --profile")
    assert "Traceback" not in result.stderr


def test_auto_without_a_catalogue_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"^--profile auto: needs a catalogue \(an RDF TARGET\)"):
        detect.detect_targets([], SHIPPED)


def test_mobility_code_list_value_counts_an_instance_named_in_the_namespace_does_not(tmp_path: Path) -> None:
    theme = "https://w3id.org/mobilitydcat-ap/mobility-theme/charging-infrastructure"
    found = _pick(tmp_path, CATALOGUE + f"ex:d dcat:theme <{theme}> .\n", WITH_GEO)
    assert (found.profile, found.reason) == ("mobilitydcat-ap", MOB_REASON)
    assert found.evidence == (f"<http://example.org/d> <{DCAT}theme> <{theme}>",)
    found = _pick(tmp_path, CATALOGUE + "ex:d dct:publisher <http://w3id.org/mobilitydcat-ap#MetadataTeam> .\n", WITH_GEO)
    assert (found.profile, found.reason) == ("dcat-ap-3", DEFAULT_REASON)


def test_a_claim_on_a_named_description_wins_over_one_on_a_blank_node_and_untyped_subjects_are_skipped(
        tmp_path: Path) -> None:
    # Blank-node labels change between parses: a conformsTo on a blank record sorts after every IRI, so the pick is
    # the same on every run. An untyped subject's conformsTo (a schema, a data standard) is no claim, wherever it sorts.
    found = _pick(tmp_path, CATALOGUE
                  + "<http://a.example/untyped> dct:conformsTo <https://semiceu.github.io/DCAT-AP/releases/2.1.1> .\n"
                  + "[] a dcat:CatalogRecord ; dct:conformsTo <https://semiceu.github.io/DCAT-AP/releases/2.1.1> .\n"
                  + "ex:cat dct:conformsTo <https://semiceu.github.io/GeoDCAT-AP/releases/2.0.0> .\n", WITH_GEO)
    assert (found.profile, found.reason) == (
        "geodcat-ap-2", "dct:conformsTo <https://semiceu.github.io/GeoDCAT-AP/releases/2.0.0> on "
                        "<http://example.org/cat>")


def test_an_unshipped_pick_falls_back_to_its_own_base(tmp_path: Path) -> None:
    geo2 = CATALOGUE + "ex:cat dct:conformsTo <https://semiceu.github.io/GeoDCAT-AP/releases/2.0.0> .\n"
    found = _pick(tmp_path, geo2, SHIPPED)
    assert (found.profile, found.detected) == ("dcat-ap-2", "geodcat-ap-2")
    assert found.reason.endswith("; geodcat-ap-2 is not shipped, so its base dcat-ap-2 is used")
    # a profile without a base in the family: the tool's default
    v2 = CATALOGUE + "ex:cat dct:conformsTo <https://semiceu.github.io/DCAT-AP/releases/2.1.1> .\n"
    found = _pick(tmp_path, v2, ["dcat-ap-3"])
    assert (found.profile, found.detected) == ("dcat-ap-3", "dcat-ap-2")
    assert found.reason.endswith("; dcat-ap-2 is not shipped, so its base dcat-ap-3 is used")


def test_targets_other_than_catalogues_are_passed_over(tmp_path: Path) -> None:
    from types import SimpleNamespace

    file = tmp_path / "catalogue.ttl"
    file.write_text("@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<http://example.org/c> a dcat:Catalog .\n",
                    encoding="utf-8")
    # an API target has no `prepared` at all; a payload target's is None
    targets = [SimpleNamespace(), SimpleNamespace(prepared=None), *load.open_targets([str(file)])]
    found = detect.detect_targets(targets, SHIPPED)
    assert (found.profile, found.reason) == ("dcat-ap-3", DEFAULT_REASON)
    with pytest.raises(UsageError) as refused:
        detect.detect_targets(targets[:2], SHIPPED)
    assert str(refused.value) == ("--profile auto: needs a catalogue (an RDF TARGET) to pick the profile from; with "
                                  "only payloads or APIs, give the profile with --profile")
