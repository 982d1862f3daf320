"""EARL in the report's language: a result's reason, a tool note standing in for a result, a capability's reason."""
from __future__ import annotations

from dataclasses import replace

from rdflib import Graph, Namespace, URIRef

import factory
from ldt_conform.render import earl

EARL = Namespace("http://www.w3.org/ns/earl#")
DCT = Namespace("http://purl.org/dc/terms/")
OFFLINE = ("Not verifiable offline: https://example.org/ctx.jsonld (not verifiable offline: pin this file in the "
           "profile's [artefacts] or seed the artefact store)")


def _descriptions(lang: str) -> dict[str, str]:
    report = factory.report()
    findings = [replace(f, message=OFFLINE) if f.rule == "LC-004" else f for f in report.findings]
    graph = Graph().parse(data=earl.render(replace(report, findings=findings), lang), format="turtle")
    by_rule = {}
    for assertion in graph.subjects(EARL.test, None):
        rule = str(graph.value(assertion, EARL.test)).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        target = str(graph.value(assertion, EARL.subject))
        result = graph.value(assertion, EARL.result)
        by_rule[f"{rule} {target.rsplit('/', 1)[-1]}"] = str(graph.value(result, DCT.description))
    return by_rule


def test_reasons_and_tool_notes_in_french() -> None:
    got = _descriptions("fr")
    assert got["LC-004 city.ttl"] == (
        "non vérifiée (artefact indisponible) : Non vérifiable hors ligne : https://example.org/ctx.jsonld (non "
        "vérifiable hors ligne : épinglez ce fichier dans les [artefacts] du profil ou alimentez le magasin "
        "d'artefacts)")
    assert got["TP-102 ogc"] == "non vérifiée (sans objet) : aucun catalogue RDF n'a été fourni comme cible"


def test_english_is_as_the_checks_wrote_it() -> None:
    got = _descriptions("en")
    assert got["LC-004 city.ttl"] == f"not verified (artefact-unavailable): {OFFLINE}"
    assert got["TP-102 ogc"] == "not verified (not-applicable): no RDF catalogue target was given"


def test_capability_reasons_in_german() -> None:
    graph = Graph().parse(data=earl.render(factory.report(), "de"), format="turtle")
    states = {str(graph.value(cap, DCT.identifier)): str(graph.value(cap, DCT.description))
              for cap in graph.objects(URIRef("urn:ldt-conform:run"),
                                       URIRef("https://w3id.org/ldt-conform/ns#capability"))}
    assert states["mim1.typed"] == "nicht geprüft: TP-102 Artefakt nicht verfügbar"
    assert states["mim0.retrievable"] == "1 Regel geprüft"
