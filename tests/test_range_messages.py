"""Range (sh:class) findings name the expected class and what the data holds instead, in every message language."""
from __future__ import annotations

from pathlib import Path

import pytest

from ldt_conform import api
from ldt_conform.cases import turtle_prefixes

CAT = "http://example.org/cat"
AGENTS = ("an instance of foaf:Agent, foaf:Organization, foaf:Person or foaf:Group, or an IRI starting with "
          "http://publications.europa.eu/resource/authority/corporate-body/")
DATA = """
ex:cat a dcat:Catalog ; dct:title "C"@en ; dct:description "C"@en ;
    dct:publisher "Ministry of Data" ; dct:creator ex:untyped, ex:other, [ a ex:Thing ] ; dcat:dataset ex:ds .
ex:other a ex:Person .
ex:ds a dcat:Dataset ; dct:title "D"@en ; dct:description "D"@en ; dct:language "en" .
"""


def _messages(tmp_path: Path, profile: str, lang: str = "en", engine: str = "auto") -> dict[tuple[str, str], str]:
    file = tmp_path / "catalogue.ttl"
    file.write_text(turtle_prefixes() + DATA, encoding="utf-8")
    report = api.check_files([str(file)], profile=profile, lang=lang, engine=engine)
    rule = "DCATAP-30" if profile == "dcat-ap-3-ranges" else "DCATAP2-30"
    found = {}
    for f in report.findings:
        if f.rule.startswith(rule):
            key = (f.rule, "_:" if (f.value or "").startswith("_:") else f.value or "")
            assert key not in found, key
            found[key] = f.message
    return found


@pytest.mark.parametrize("engine", ["auto", "pyshacl"])
def test_range_messages_say_what_was_expected_and_found(tmp_path: Path, engine: str) -> None:
    assert _messages(tmp_path, "dcat-ap-3-ranges", engine=engine) == {
        ("DCATAP-301", '"Ministry of Data"'):
            f'The dct:publisher value of catalogue {CAT} is a literal "Ministry of Data", where {AGENTS} is expected. '
            "Replace the literal with a foaf:Agent resource (an IRI or blank node with rdf:type foaf:Agent).",
        ("DCATAP-301", "http://example.org/untyped"):
            f"The dct:creator value of catalogue {CAT} is http://example.org/untyped, which has no rdf:type, where "
            f"{AGENTS} is expected. Add the triple http://example.org/untyped rdf:type foaf:Agent if it is one.",
        ("DCATAP-301", "http://example.org/other"):
            f"The dct:creator value of catalogue {CAT} is http://example.org/other, typed http://example.org/Person, "
            f"where {AGENTS} is expected. Use a foaf:Agent resource, or add rdf:type foaf:Agent to "
            "http://example.org/other if it is one.",
        ("DCATAP-301", "_:"):
            f"The dct:creator value of catalogue {CAT} is a blank node typed http://example.org/Thing, where {AGENTS} "
            "is expected. Use a foaf:Agent resource, or add rdf:type foaf:Agent to the blank node if it is one.",
        ("DCATAP-302", '"en"'):
            'The dct:language value of dataset http://example.org/ds is a literal "en", where an instance of '
            "dct:LinguisticSystem, or an IRI starting with http://publications.europa.eu/resource/authority/language/ "
            "is expected. Replace the literal with a dct:LinguisticSystem resource (an IRI or blank node with rdf:type "
            "dct:LinguisticSystem).",
    }


def test_range_messages_in_french(tmp_path: Path) -> None:
    messages = _messages(tmp_path, "dcat-ap-3-ranges", lang="fr")
    assert messages[("DCATAP-301", "http://example.org/untyped")] == (
        f"La valeur de dct:creator pour le catalogue {CAT} est http://example.org/untyped, qui n'a pas de rdf:type, "
        "alors qu'on attend une instance de foaf:Agent, foaf:Organization, foaf:Person ou foaf:Group, ou un IRI "
        "commençant par http://publications.europa.eu/resource/authority/corporate-body/. Ajoutez le triplet "
        "http://example.org/untyped rdf:type foaf:Agent s'il en est une.")
    assert messages[("DCATAP-301", '"Ministry of Data"')] == (
        f'La valeur de dct:publisher pour le catalogue {CAT} est un littéral "Ministry of Data", alors qu\'on attend '
        "une instance de foaf:Agent, foaf:Organization, foaf:Person ou foaf:Group, ou un IRI commençant par "
        "http://publications.europa.eu/resource/authority/corporate-body/. Remplacez le littéral par une ressource "
        "foaf:Agent (un IRI ou un nœud anonyme avec rdf:type foaf:Agent).")


def test_dcat_ap_2_range_messages(tmp_path: Path) -> None:
    messages = _messages(tmp_path, "dcat-ap-2-ranges")
    assert messages[("DCATAP2-301", "http://example.org/untyped")] == (
        f"The dct:creator value of catalogue {CAT} is http://example.org/untyped, which has no rdf:type, where "
        f"{AGENTS} is expected. Add the triple http://example.org/untyped rdf:type foaf:Agent if it is one.")
    assert messages[("DCATAP2-302", '"en"')] == (
        'The dct:language value of dataset http://example.org/ds is a literal "en", where an instance of '
        "dct:LinguisticSystem, or an IRI starting with http://publications.europa.eu/resource/authority/language/ "
        "is expected. Replace the literal with a dct:LinguisticSystem resource (an IRI or blank node with rdf:type "
        "dct:LinguisticSystem).")


def test_every_shipped_range_message_uses_the_placeholders() -> None:
    """No range rule falls back to the old advice ("add an rdf:type triple") whatever the value is."""
    from ldt_conform.profile import load

    for profile in ("dcat-ap-3-ranges", "dcat-ap-2-ranges"):
        ranges = [r for r in load(profile).rules if r.profile == profile]
        assert ranges
        for rule in ranges:
            for lang in ("en", "fr"):
                text = rule.text("message", lang)
                assert all(p in text for p in ("{found}", "{expected}", "{fix}")), (rule.id, lang, text)


def test_a_result_of_the_range_shape_without_a_value_says_what_the_engine_said(tmp_path: Path) -> None:
    """A user's shape may hold its sh:class beside a sh:minCount: the missing value's result has no value node, so
    {found} and {fix} cannot describe one; the engine's own words stand in, as for a shape without sh:class."""
    from conftest import ONE_RULE_PROFILE

    (tmp_path / "shapes.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/shapes#> .\n"
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n"
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n"
        "ex:S a sh:NodeShape ; sh:targetClass dcat:Dataset ; sh:property ex:P .\n"
        "ex:P sh:path dct:publisher ; sh:class foaf:Agent ; sh:minCount 1 .\n", "utf-8")
    (tmp_path / "profile.toml").write_text(ONE_RULE_PROFILE.replace(
        'message = "fix it"', 'message = "{property} of {focus}: {found} | {expected} | {fix}"').replace(
        'shapes = ["ex:S"]', 'shapes = ["ex:S", "ex:P"]'), "utf-8")
    data = tmp_path / "catalogue.ttl"
    data.write_text(turtle_prefixes() + 'ex:a a dcat:Dataset .\nex:b a dcat:Dataset ; dct:publisher "Town" .\n',
                    encoding="utf-8")
    report = api.check_files([str(data)], profile=str(tmp_path / "profile.toml"))
    assert sorted((f.focus, f.value, f.message) for f in report.findings if f.rule == "T-001") == [
        ("http://example.org/a", None, "dct:publisher of http://example.org/a:  | MinCountConstraintComponent | "),
        ("http://example.org/b", '"Town"', 'dct:publisher of http://example.org/b: a literal "Town" | an instance of '
                                          "foaf:Agent | Replace the literal with a foaf:Agent resource (an IRI or "
                                          "blank node with rdf:type foaf:Agent).")]
