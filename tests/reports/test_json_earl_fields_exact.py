"""Fields of the JSON contract and of EARL that the factory report does not reach: a paged catalogue's pages, a
payload input's document count, rule aliases, a report without MIM levels, a result of a rule no profile owns."""
from __future__ import annotations

import json
from dataclasses import replace

from rdflib import Graph, Literal, Namespace, URIRef

import factory
from ldt_conform.model import PageInfo, Report, Result, Status, TargetInfo
from ldt_conform.render import earl, json_

LDTC = Namespace("https://w3id.org/ldt-conform/ns#")
DCT = Namespace("http://purl.org/dc/terms/")
CITE = Namespace("http://cite.opengeospatial.org/")
PAGED = TargetInfo("https://portal.example/cat?page=1", "rdf", "c" * 64, 900, 40, format="turtle",
                   pages=(PageInfo("https://portal.example/cat?page=1", "c" * 64, 500, 25, "turtle"),
                          PageInfo("https://portal.example/cat?page=2", "d" * 64, 400, 15)))
PAYLOAD = TargetInfo("entities/", "payload", None, 77, documents=3, format="json")


def _report() -> Report:
    report = factory.report()
    return replace(report, targets=(*report.targets, PAGED, PAYLOAD))


def test_json_lists_a_paged_catalogue_s_pages_and_a_payload_s_documents() -> None:
    targets = {t["source"]: t for t in json_.to_dict(_report())["targets"]}
    assert targets[PAGED.source] == {
        "source": PAGED.source, "kind": "rdf", "sha256": "c" * 64, "size": 900, "triples": 40, "format": "turtle",
        "pages": [{"source": "https://portal.example/cat?page=1", "sha256": "c" * 64, "size": 500, "triples": 25,
                   "format": "turtle"},
                  {"source": "https://portal.example/cat?page=2", "sha256": "d" * 64, "size": 400, "triples": 15}]}
    assert targets["entities/"] == {"source": "entities/", "kind": "payload", "size": 77, "documents": 3,
                                    "format": "json"}


def test_json_rule_aliases_and_no_mims_key_without_levels() -> None:
    report = factory.report(mims=False)
    rule = replace(report.rules[-1], aliases=("OLD-1", "OLD-2"))
    document = json_.to_dict(replace(report, rules=(*report.rules[:-1], rule)))
    assert document["rules"][-1]["aliases"] == ["OLD-1", "OLD-2"]
    assert "aliases" not in document["rules"][0]
    assert "mims" not in document
    assert json.loads(json_.render(report))["format"] == "ldt-conform/report@1"


def test_earl_subjects_and_inputs_carry_pages_and_documents() -> None:
    graph = Graph().parse(data=earl.render(_report()), format="turtle")
    payload = URIRef(next(str(s) for s in graph.subjects(DCT.title, Literal("entities/"))
                          if (s, LDTC.kind, None) in graph))
    assert graph.value(payload, LDTC.documents).toPython() == 3
    descriptions = {str(graph.value(node, DCT.title)): str(graph.value(node, DCT.description))
                    for node in graph.subjects(DCT.title, None) if (node, DCT.description, None) in graph}
    assert descriptions["entities/"] == "kind payload, size 77, documents 3"


def test_earl_puts_a_rule_no_profile_owns_in_the_tool_s_requirement() -> None:
    report = factory.report()
    # a rule the Python API built without a profile goes there too
    rules = tuple(replace(r, profile="") if r.id == "TP-102" else r for r in report.rules)
    report = replace(report, rules=rules, results=(*report.results, Result("XX-999", factory.CAT, Status.PASS)))
    graph = Graph().parse(data=earl.render(report), format="turtle")
    owners = {str(graph.value(req, DCT.title)): {str(p).rsplit("/", 1)[-1] for p in graph.objects(req, DCT.hasPart)}
              for req in graph.subjects(CITE.testsPassed, None) if (req, DCT.hasPart, None) in graph}
    assert {"XX-999", "TP-102"} <= owners["ldt-conform"] and "" not in owners
    assert not {"XX-999", "TP-102"} & owners["test-profile"]
