"""OpenAPI descriptions given directly: valid 3.0/3.1, remote $refs through the artefact store, LC-004 when offline."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import pytest

from api_helpers import findings, probe, status
from api_paths import CORPUS_OPENAPI
from corpus import require as corpus_require
from ldt_conform.model import Severity, Status, Why
from servers.util import Handler, LocalServer

EXAMPLE = CORPUS_OPENAPI / "ogcapi-features-1-example1.yaml"
OAS31 = ("https://raw.githubusercontent.com/opengeospatial/ogcapi-features/master/core/openapi/"
         "ogcapi-features-1-oas31.yaml")


class Files(Handler):
    def do_GET(self) -> None:  # noqa: N802
        self.record()
        document = self.app.state["files"].get(self.path)
        if document is None:
            return self.send(404, {"error": "not found"})
        self.send(200, document, "application/yaml" if self.path.endswith(".yaml") else "application/json")


@pytest.fixture
def files() -> Iterator[LocalServer]:
    if not EXAMPLE.is_file():
        corpus_require()
    server = LocalServer(Files).start()
    server.state["files"] = {"/example1.yaml": EXAMPLE.read_bytes()}
    yield server
    server.stop()


def test_remote_refs_resolve_from_the_pinned_copies(files: LocalServer) -> None:
    report = probe([("openapi", files.url + "/example1.yaml")], profile="openapi")
    assert {r.rule: r.status.value for r in report.results} == {f"OAS-00{i}": "pass" for i in range(1, 6)}
    # OGC's own oas31 building blocks write `type: null` unquoted (YAML null, not the string "null"): that defect is
    # shown at info level against the upstream document, never as a failure of this description.
    [upstream] = report.findings
    assert upstream.rule == "OAS-003" and upstream.severity is Severity.INFO and upstream.focus == f"GET {OAS31}"
    assert report.targets[0].format == "openapi"
    assert [m for m, p, _ in files.requests] == ["GET"], "the remote building blocks came from the store, not the web"


def test_unresolvable_reference_is_info_never_an_error(files: LocalServer, monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    monkeypatch.delenv("LDT_CONFORM_SEED")
    monkeypatch.setenv("LDT_CONFORM_CACHE", str(tmp_path / "empty-cache"))
    report = probe([("openapi", files.url + "/example1.yaml")], profile="openapi", offline=True)
    [offline] = findings(report, "LC-004")
    assert offline.severity is Severity.INFO and offline.value == OAS31 and offline.focus == "GET /example1.yaml"
    # the references could not all be followed: OAS-004 is not verified (artefact unavailable), never a pass; nor is
    # OAS-003, which could validate only the description's own shape, not what lies behind the references
    verdicts = {r.rule: (r.status, r.why, r.reason) for r in report.results if r.rule in ("OAS-003", "OAS-004")}
    assert verdicts == {
        "OAS-003": (Status.NOT_VERIFIED, Why.ARTEFACT_UNAVAILABLE,
                    f"only the description's own shape was validated: the referenced {OAS31} is not in the artefact "
                    "store (see LC-004)"),
        "OAS-004": (Status.NOT_VERIFIED, Why.ARTEFACT_UNAVAILABLE,
                    "not verifiable: an artefact it needs is not in the artefact store (LC-004)")}
    assert report.conforms


def test_an_unpinned_remote_reference_is_not_fetched(files: LocalServer) -> None:
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/": {"get": {"responses": {
        "200": {"$ref": "https://example.org/not-pinned.yaml#/components/responses/Ok"}}}}}}
    files.state["files"]["/api.json"] = json.dumps(document).encode()
    report = probe([("openapi", files.url + "/api.json")], profile="openapi")
    assert [f.value for f in findings(report, "LC-004")] == ["https://example.org/not-pinned.yaml"]
    assert [(r.status, r.why, r.reason) for r in report.results if r.rule == "OAS-003"] == [
        (Status.NOT_VERIFIED, Why.ARTEFACT_UNAVAILABLE, "only the description's own shape was validated: the "
         "referenced https://example.org/not-pinned.yaml is not in the artefact store (see LC-004)")]


def test_an_invalid_shape_fails_even_when_references_are_missing(files: LocalServer) -> None:
    """What could be validated failed: a failure, not a gap, whatever lies behind the missing references."""
    document = {"openapi": "3.0.3", "info": {"title": "t"}, "paths": {"/": {"get": {"responses": {
        "200": {"$ref": "https://example.org/not-pinned.yaml#/components/responses/Ok"}}}}}}
    files.state["files"]["/half.json"] = json.dumps(document).encode()
    report = probe([("openapi", files.url + "/half.json")], profile="openapi")
    assert status(report, "OAS-003") is Status.FAIL
    assert [(f.focus, f.value) for f in findings(report, "OAS-003")] == [("GET /half.json", "/info")]


def test_several_missing_references_are_named_up_to_three(files: LocalServer) -> None:
    refs = [f"https://example.org/r{i}.yaml" for i in range(5)]
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
        f"/p{i}": {"get": {"responses": {"200": {"$ref": f"{ref}#/x"}}}} for i, ref in enumerate(refs)}}
    files.state["files"]["/many.json"] = json.dumps(document).encode()
    report = probe([("openapi", files.url + "/many.json")], profile="openapi")
    assert [r.reason for r in report.results if r.rule == "OAS-003"] == [
        "only the description's own shape was validated: the referenced https://example.org/r0.yaml, "
        "https://example.org/r1.yaml, https://example.org/r2.yaml and 2 more are not in the artefact store "
        "(see LC-004)"]


def test_invalid_description_names_the_pointer(files: LocalServer) -> None:
    document = {"openapi": "3.0.3", "info": {"title": "t"}, "paths": {"/": {"get": {"responses": "none"}}}}
    files.state["files"]["/bad.json"] = json.dumps(document).encode()
    report = probe([("openapi", files.url + "/bad.json")], profile="openapi")
    assert status(report, "OAS-003") is Status.FAIL
    # each problem at its own pointer, with its cause (not the oneOf that failed around it)
    assert [(f.focus, f.value, f.message) for f in findings(report, "OAS-003")] == [
        ("GET /bad.json", "/info", "Fix the OpenAPI description at /info. ('version' is a required property)"),
        ("GET /bad.json", "/paths/~1/get/responses",
         "Fix the OpenAPI description at /paths/~1/get/responses. ('none' is not of type 'object')")]


def test_walk_problems_name_their_place_through_references(files: LocalServer) -> None:
    # What openapi-spec-validator finds beyond the schema (a default against its schema, a path parameter no
    # operation declares) comes without a location; each is placed where it is, through the $refs the walk followed.
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
        "/items/{id}": {"get": {"parameters": [{"name": "limit", "in": "query",
                                                "schema": {"type": "integer", "default": "ten"}}],
                                "responses": {"200": {"description": "ok"}}}},
        "/a": {"get": {"parameters": [{"$ref": "#/components/parameters/L"}, {"$ref": "other.json#/parameters/M"}],
                       "responses": {"200": {"$ref": "#/components/responses/R"}}}},
        "/b": {"get": {"parameters": [{"$ref": "#/components/parameters/L"}],
                       "responses": {"200": {"description": "ok"}}}}},
        "components": {
            "parameters": {"L": {"name": "page", "in": "query", "schema": {"type": "integer", "default": "one"}}},
            "responses": {"R": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/S"}}}}},
            "schemas": {"S": {"type": "object", "properties": {
                "n": {"type": "array", "items": {"type": "integer"}, "default": [1, "two"]}}}}}}
    other = {"parameters": {"M": {"name": "m", "in": "query", "schema": {"type": "boolean", "default": 3}}}}
    files.state["files"]["/walk.json"] = json.dumps(document).encode()
    files.state["files"]["/other.json"] = json.dumps(other).encode()
    report = probe([("openapi", files.url + "/walk.json")], profile="openapi")
    assert status(report, "OAS-003") is Status.FAIL
    assert sorted((f.focus, f.value, f.message) for f in findings(report, "OAS-003")) == [
        ("GET /other.json", "/parameters/M/schema/default",
         "Fix the OpenAPI description at /parameters/M/schema/default. (3 is not of type 'boolean' (in a document "
         "the description references))"),
        ("GET /walk.json", "/components/parameters/L/schema/default",
         "Fix the OpenAPI description at /components/parameters/L/schema/default. ('one' is not of type 'integer')"),
        ("GET /walk.json", "/components/schemas/S/properties/n/default/1",
         "Fix the OpenAPI description at /components/schemas/S/properties/n/default/1. ('two' is not of type "
         "'integer')"),
        ("GET /walk.json", "/paths/~1items~1{id}/get",
         "Fix the OpenAPI description at /paths/~1items~1{id}/get. (Path parameter 'id' for 'get' operation in "
         "'/items/{id}' was not resolved)"),
        ("GET /walk.json", "/paths/~1items~1{id}/get/parameters/0/schema/default",
         "Fix the OpenAPI description at /paths/~1items~1{id}/get/parameters/0/schema/default. ('ten' is not of "
         "type 'integer')")]


def test_openapi_document_given_without_kind_is_detected(files: LocalServer) -> None:
    report = probe([(None, files.url + "/example1.yaml")])
    assert report.targets[0].format == "openapi"
    assert status(report, "OAS-003") is Status.PASS
