"""OpenAPI descriptions split over several files: relative $refs are the API's own documents, read from the API and
validated as if written in place (OAS-003), every pointer in every document resolves (OAS-004). No corpus needed."""
from __future__ import annotations

import json
from typing import Any, Iterator

import pytest

import corpus
from api_helpers import findings, probe
from ldt_conform.checks.api import oas_refs, openapi
from ldt_conform.checks.api.probe import Skip
from ldt_conform.model import Severity, Why
from servers.util import LocalServer
from test_api_openapi import Files

INFO = {"title": "t", "version": "1"}
OAS_004 = "Make every $ref point at an existing part of the description or of a referenced document"


@pytest.fixture
def files() -> Iterator[LocalServer]:
    server = LocalServer(Files).start()
    server.state["files"] = {}
    yield server
    server.stop()


def serve(server: LocalServer, documents: dict[str, Any]) -> None:
    server.state["files"] = {path: doc if isinstance(doc, bytes) else json.dumps(doc).encode()
                             for path, doc in documents.items()}


def described(response: dict[str, Any], version: str = "3.0.3") -> dict[str, Any]:
    """A description with one operation whose 200 response is the given node (often a $ref)."""
    return {"openapi": version, "info": INFO, "paths": {"/": {"get": {"responses": {"200": response}}}}}


def results(report: Any, *rules: str) -> dict[str, tuple[str, str | None, str | None]]:
    return {r.rule: (r.status.value, r.why.value if r.why else None, r.reason) for r in report.results
            if r.rule in rules}


def rows(report: Any, rule: str) -> list[tuple[str, str | None, str, str]]:
    return [(f.focus, f.value, f.severity.value, f.message) for f in findings(report, rule)]


def run(server: LocalServer) -> Any:
    return probe([("openapi", server.url + "/api/api.json")], profile="openapi")


def test_relative_references_are_read_from_the_api_and_resolved_against_each_document(files: LocalServer) -> None:
    serve(files, {"/api/api.json": described({"$ref": "parts/a.json#/Ok"}),
                  # a relative $ref inside a referenced document resolves against that document, not the description
                  "/api/parts/a.json": {"Ok": {"$ref": "../b.json#/R"}},
                  "/api/b.json": {"R": {"description": "ok"}}})
    report = run(files)
    assert results(report, "OAS-003", "OAS-004") == {"OAS-003": ("pass", None, None), "OAS-004": ("pass", None, None)}
    assert list(report.findings) == []
    assert [p for m, p, _ in files.requests] == ["/api/api.json", "/api/parts/a.json", "/api/b.json"]
    assert {h["accept"] for _, _, h in files.requests} == {
        "application/vnd.oai.openapi+json, application/json, application/yaml;q=0.9"}


def test_a_defect_in_a_referenced_document_fails_validity_there(files: LocalServer) -> None:
    """Until 2026-12-03 a referenced Response was never held to the OpenAPI schema: this passed."""
    serve(files, {"/api/api.json": described({"$ref": "parts/a.json#/Ok"}),
                  "/api/parts/a.json": {"Ok": {"$ref": "../b.json#/R"}},
                  "/api/b.json": {"R": {"descriptionX": "no description"}}})
    report = run(files)
    assert results(report, "OAS-003", "OAS-004") == {"OAS-003": ("fail", None, None), "OAS-004": ("pass", None, None)}
    [(focus, value, severity, message)] = rows(report, "OAS-003")
    assert (focus, value, severity) == ("GET /api/b.json", "/R", "error")
    assert message == ("Fix the OpenAPI description at /R. ('description' is a required property (in a document the "
                       "description references))")


def test_a_defect_deeper_in_a_referenced_node_names_its_own_pointer(files: LocalServer) -> None:
    serve(files, {"/api/api.json": described({"$ref": "b.json#/R"}, "3.1.0"),
                  "/api/b.json": {"R": {"description": 5}}})
    [(focus, value, _, message)] = rows(run(files), "OAS-003")
    assert (focus, value) == ("GET /api/b.json", "/R/description")
    assert message == ("Fix the OpenAPI description at /R/description. (5 is not of type 'string' (in a document the "
                       "description references))")


def test_the_same_defect_reached_twice_is_reported_once(files: LocalServer) -> None:
    document = described({"$ref": "b.json#/R"})
    document["paths"]["/other"] = {"get": {"responses": {"200": {"$ref": "b.json#/R"}}}}
    serve(files, {"/api/api.json": document, "/api/b.json": {"R": {"descriptionX": "x"}}})
    assert [(f[0], f[1]) for f in rows(run(files), "OAS-003")] == [("GET /api/b.json", "/R")]


def test_a_dangling_pointer_in_a_referenced_document_is_found_there(files: LocalServer) -> None:
    serve(files, {"/api/api.json": described({"$ref": "parts/a.json#/Ok"}),
                  "/api/parts/a.json": {"Ok": {"$ref": "../b.json#/Nope"}},
                  "/api/b.json": {"R": {"description": "ok"}}})
    report = run(files)
    assert results(report, "OAS-003", "OAS-004") == {
        "OAS-003": ("skip", "prerequisite-failed",
                    "the $ref #/Nope points at nothing (see OAS-004): the description cannot be validated past it"),
        "OAS-004": ("fail", None, None)}
    assert rows(report, "OAS-004") == [("GET /api/parts/a.json", "../b.json#/Nope", "error", f"{OAS_004}: "
                                        "../b.json#/Nope. (this $ref points at nothing; fix the JSON pointer)")]


def test_a_dangling_pointer_into_another_document_of_the_description(files: LocalServer) -> None:
    serve(files, {"/api/api.json": described({"$ref": "b.json#/Nope"}), "/api/b.json": {"R": {"description": "ok"}}})
    report = run(files)
    assert rows(report, "OAS-004") == [("GET /api/api.json", "b.json#/Nope", "error", f"{OAS_004}: b.json#/Nope. "
                                        "(this $ref points at nothing; fix the JSON pointer)")]
    assert results(report, "OAS-004")["OAS-004"][0] == "fail"


@pytest.mark.parametrize(("body", "value", "note"), [
    (None, "HTTP 404", "a document the description references by $ref must be retrievable"),
    (b"a: [1,\n b", "application/json", "a document referenced by $ref must be JSON or YAML (while parsing a flow "
                                         "sequence)"),
    (b"just a string", "str", "a document referenced by $ref must be a JSON or YAML object"),
])
def test_a_referenced_document_the_api_cannot_serve_is_a_finding(files: LocalServer, body: bytes | None,
                                                                 value: str, note: str) -> None:
    serve(files, {"/api/api.json": described({"$ref": "b.json#/R"}), **({"/api/b.json": body} if body else {})})
    report = run(files)
    assert results(report, "OAS-003", "OAS-004") == {
        "OAS-003": ("skip", "prerequisite-failed", "the referenced /api/b.json could not be read (see OAS-004): what "
                    "lies behind those references was not validated"),
        "OAS-004": ("fail", None, None)}
    assert rows(report, "OAS-004") == [("GET /api/b.json", value, "error", f"{OAS_004}: {value}. ({note})")]
    assert findings(report, "LC-004") == []


def test_a_recursive_schema_across_documents_is_followed_once(files: LocalServer) -> None:
    tree = {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/Tree"}}}}
    serve(files, {"/api/api.json": described({"description": "ok", "content": {"application/json": {
        "schema": {"$ref": "schemas.json#/Tree"}}}}), "/api/schemas.json": {"Tree": tree}})
    report = run(files)
    assert results(report, "OAS-003", "OAS-004") == {"OAS-003": ("pass", None, None), "OAS-004": ("pass", None, None)}
    assert [p for m, p, _ in files.requests] == ["/api/api.json", "/api/schemas.json"]


@pytest.mark.parametrize(("version", "verdict"), [("3.1.0", "pass"), ("3.0.3", "fail")])
def test_a_reference_description_overrides_its_target_only_in_3_1(files: LocalServer, version: str,
                                                                  verdict: str) -> None:
    """OAS 3.1 §4.8.23: a Reference Object's description overrides the target's; in 3.0 its other fields are
    ignored, so a Response without a description stays invalid."""
    serve(files, {"/api/api.json": described({"$ref": "b.json#/R", "description": "given here"}, version),
                  "/api/b.json": {"R": {"headers": {}}}})
    assert results(run(files), "OAS-003")["OAS-003"][0] == verdict


def test_a_3_0_reference_with_other_fields_is_still_followed(files: LocalServer) -> None:
    """OAS 3.0 §4.7.23: "This object cannot be extended with additional properties and any properties added SHALL be
    ignored": the target is what is validated, whatever sits beside $ref."""
    serve(files, {"/api/api.json": described({"$ref": "b.json#/R", "x-note": "beside"}),
                  "/api/b.json": {"R": {"headers": {}}}})
    assert [(f[0], f[1]) for f in rows(run(files), "OAS-003")] == [("GET /api/b.json", "/R")]


def test_a_non_http_reference_is_not_verifiable_and_not_a_pass(files: LocalServer) -> None:
    serve(files, {"/api/api.json": described({"$ref": "file:///etc/responses.json#/Ok"})})
    report = run(files)
    assert [(f.focus, f.value, f.severity, f.message.rsplit(" (", 1)[-1]) for f in findings(report, "LC-004")] == [
        ("GET /api/api.json", "file:///etc/responses.json", Severity.INFO,
         "not verifiable: only http(s) documents are followed)")]
    assert results(report, "OAS-003")["OAS-003"][:2] == ("skip", "artefact-unavailable")
    assert [m for m, p, _ in files.requests] == ["GET"]


def test_documents_past_the_cap_are_named_not_read(files: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(oas_refs, "MAX_OWN_DOCUMENTS", 2)
    document = described({"$ref": "r0.json#/R"})
    document["paths"].update({f"/p{i}": {"get": {"responses": {"200": {"$ref": f"r{i}.json#/R"}}}}
                              for i in range(1, 4)})
    serve(files, {"/api/api.json": document, **{f"/api/r{i}.json": {"R": {"description": "ok"}} for i in range(4)}})
    report = run(files)
    base = files.url + "/api"
    assert results(report, "OAS-003", "OAS-004") == {
        "OAS-003": ("skip", "artefact-unavailable", "only the description's own shape was validated: 2 referenced "
                    f"documents of the API past the first 2 were not read ({base}/r2.json, {base}/r3.json)"),
        "OAS-004": ("pass", None, "not tested: 2 referenced documents of the API past the first 2 "
                                  f"({base}/r2.json, {base}/r3.json)")}
    assert [p for m, p, _ in files.requests] == ["/api/api.json", "/api/r0.json", "/api/r1.json"]


@pytest.mark.parametrize(("cap", "verdict"), [(43, "pass"), (42, "skip")])
def test_a_description_that_expands_past_the_cap_is_not_verified(files: LocalServer, monkeypatch: pytest.MonkeyPatch,
                                                                  cap: int, verdict: str) -> None:
    """This description with its reference in place has exactly 43 nodes (every object, array and value counted)."""
    monkeypatch.setattr(openapi, "MAX_INLINED", cap)
    serve(files, {"/api/api.json": described({"$ref": "b.json#/R"}),
                  "/api/b.json": {"R": {"description": "ok", "headers": {f"h{i}": {"schema": {"type": "string"}}
                                                                          for i in range(10)}}}})
    expected = ("skip", "prerequisite-failed", f"the description expands to more than {cap} nodes through its "
                "$refs: the referenced parts were not validated") if verdict == "skip" else ("pass", None, None)
    assert results(run(files), "OAS-003") == {"OAS-003": expected}


class StubProbe:
    """Only what the references rule reads, for the one branch a local server cannot reach: a document of another
    host, taken from the artefact store (pinning needs a profile; this holds the store's answer directly)."""

    def __init__(self, description: dict[str, Any], store: dict[str, bytes]) -> None:
        self.state: dict[str, Any] = {"description-url": "https://api.example/api.json"}
        self.artefacts = type("Store", (), {"get": staticmethod(store.get)})()
        self.untested: list[str] = []
        self._memo: dict[str, Any] = {
            "openapi-description": (type("Answer", (), {"url": "https://api.example/api.json"})(), description)}

    def memo(self, key: str, compute: Any) -> Any:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def focus(self, url: str, method: str = "GET") -> str:
        return f"{method} {url.removeprefix('https://api.example')}"


def test_a_dangling_pointer_inside_an_upstream_document_is_info_naming_it() -> None:
    upstream = "https://schemas.example/blocks.json"
    stub = StubProbe(described({"$ref": f"{upstream}#/R"}),
                     {upstream: json.dumps({"R": {"description": "ok", "links": {"x": {"$ref": "#/Gone"}}}}).encode()})
    issues = openapi.references(stub, {})  # type: ignore[arg-type]
    assert [(i.focus, i.value, i.info, i.note) for i in issues] == [
        (f"GET {upstream}", "#/Gone", True, "this $ref points at nothing; this defect is in the referenced upstream "
                                            "document, not in this API's description")]


def test_an_upstream_document_not_in_the_store_is_an_offline_note() -> None:
    upstream = "https://schemas.example/blocks.json"
    stub = StubProbe(described({"$ref": f"{upstream}#/R"}), {})
    [issue] = openapi.references(stub, {})  # type: ignore[arg-type]
    assert (issue.focus, issue.value, issue.tool_rule, issue.note) == (
        "GET /api.json", upstream, "LC-004", "not verifiable offline: pin this file in the profile's [artefacts] or "
                                             "seed the artefact store")
    assert oas_refs.documents(stub).found == {}  # type: ignore[arg-type]



def test_a_shape_defect_inside_an_upstream_document_is_info_naming_it() -> None:
    """Until 2026-12-03 this passed without a word: the validator checks the schemas behind references, not the
    shape of a referenced Response."""
    upstream = "https://schemas.example/blocks.json"
    stub = StubProbe(described({"$ref": f"{upstream}#/R"}), {upstream: json.dumps({"R": {"headers": {}}}).encode()})
    issues = openapi.valid(stub, {})  # type: ignore[arg-type]
    assert [(i.focus, i.value, i.info) for i in issues] == [(f"GET {upstream}", "/R", True)]
    assert issues[0].note.endswith("; this defect is in the referenced upstream document, not in this API's "
                                   "description")


def op(op_id: str, **more: Any) -> dict[str, Any]:
    return {"operationId": op_id, "responses": {"200": {"description": "ok"}}, **more}


def test_operation_ids_are_counted_in_path_items_given_by_reference(files: LocalServer) -> None:
    """Until 2026-12-03 a path item written as a $ref had no operations as far as OAS-005 knew: this passed."""
    document = {"openapi": "3.0.3", "info": INFO, "paths": {"/a": {"get": op("getThing")},
                                                             "/b": {"$ref": "sub/paths.json#/b"}}}
    # a reference to a reference: the second resolves against the document it is written in (sub/)
    serve(files, {"/api/api.json": document, "/api/sub/paths.json": {"b": {"$ref": "more.json#/c"}},
                  "/api/sub/more.json": {"c": {"get": op("getThing"), "put": op("putB")}}})
    report = run(files)
    assert results(report, "OAS-005") == {"OAS-005": ("fail", None, None)}
    assert [(f, v, s) for f, v, s, _ in rows(report, "OAS-005")] == [("GET /api/api.json", "getThing", "warning")]
    assert findings(report, "OAS-005")[0].message.endswith("(operationId used 2 times; each must be unique)")


def test_operation_ids_of_webhooks_and_callbacks_count_too(files: LocalServer) -> None:
    """OAS 3.1 §4.8.10: unique "among all operations described in the API": webhooks, and callbacks at any depth
    (here one level down, by $ref to the components, and two levels down)."""
    inner = {"{$request.body#/again}": {"post": op("notify")}}
    callback = {"{$request.body#/url}": {"post": op("notify", callbacks={"again": inner})}}
    document = {"openapi": "3.1.0", "info": INFO,
                "paths": {"/subscribe": {"post": op("subscribe", callbacks={"event": {"$ref": "#/components/callbacks/"
                                                                                              "event"}})},
                          "/ack": {"get": op("ack")}},
                "webhooks": {"newThing": {"post": op("subscribe", callbacks={"w": {"{$url}": {"get": op("ack")}}})}},
                "components": {"callbacks": {"event": callback}}}
    serve(files, {"/api/api.json": document})
    report = run(files)
    assert [(v, m.split("(")[-1]) for _, v, _, m in rows(report, "OAS-005")] == [
        ("ack", "operationId used 2 times; each must be unique)"),
        ("notify", "operationId used 2 times; each must be unique)"),
        ("subscribe", "operationId used 2 times; each must be unique)")]


def test_a_path_item_in_a_document_not_read_is_named_in_the_pass(files: LocalServer) -> None:
    document = {"openapi": "3.0.3", "info": INFO, "paths": {
        "/a": {"get": op("getA")}, "/b": {"$ref": "https://example.org/paths.json#/b"}}}
    serve(files, {"/api/api.json": document})
    assert results(run(files), "OAS-005") == {"OAS-005": (
        "pass", None, "not tested: 1 path item whose $ref could not be read (/b: https://example.org/paths.json#/b)")}


@pytest.mark.parametrize(("document", "value"), [
    ({"openapi": None, "info": INFO, "paths": {}}, "no version"),  # with no openapi key at all, OAS-001 fails
    ({"swagger": "2.0", "info": INFO, "paths": {}}, "2.0"),
    ({"openapi": "3.2.0", "info": INFO, "paths": {}}, "3.2.0"),
])
def test_the_version_rule_names_what_it_found(files: LocalServer, document: dict[str, Any], value: str) -> None:
    serve(files, {"/api/api.json": document})
    report = run(files)
    assert rows(report, "OAS-002") == [("GET /api/api.json", value, "error", "Describe the API with OpenAPI 3.0.x or "
                                        f"3.1.x (the openapi field); Swagger 2.0 is not enough: {value}. (describe the "
                                        "API with OpenAPI 3.0 or 3.1 (the openapi field))")]
    assert results(report, "OAS-003") == {"OAS-003": ("skip", "prerequisite-failed", "prerequisite OAS-002 failed")}


def test_the_description_is_asked_for_as_openapi(files: LocalServer) -> None:
    serve(files, {"/api/api.json": described({"description": "ok"})})
    run(files)
    assert [h["accept"] for _, _, h in files.requests] == [
        "application/vnd.oai.openapi+json, application/json, application/yaml;q=0.9"]


def test_json_pointers_decode_escapes_and_array_indices(files: LocalServer) -> None:
    """RFC 6901 §4: ~1 is "/", ~0 is "~"; an array element by its index. Each $ref here names an existing node,
    but for the last, which is one past the end of the array."""
    document = {"openapi": "3.0.3", "info": INFO, "paths": {
        "/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/a~1b"}}}},
        "/b": {"get": {"responses": {"200": {"$ref": "#/components/responses/t~0x"}}}},
        "/c": {"get": {"responses": {"200": {"$ref": "#/x-listed/0"}}}},
        "/d": {"get": {"responses": {"200": {"$ref": "#/x-listed/1"}}}}},
        "components": {"responses": {"a/b": {"description": "slash"}, "t~x": {"description": "tilde"}}},
        "x-listed": [{"description": "first"}]}
    serve(files, {"/api/api.json": document})
    assert [(f, v) for f, v, _, _ in rows(run(files), "OAS-004")] == [("GET /api/api.json", "#/x-listed/1")]


def test_a_problem_in_a_key_with_slash_and_tilde_is_named_by_an_escaped_pointer(files: LocalServer) -> None:
    serve(files, {"/api/api.json": {"openapi": "3.0.3", "info": INFO,
                                    "paths": {"/a~b": {"get": {"responses": "none"}}}}})
    assert [v for _, v, _, _ in rows(run(files), "OAS-003")] == ["/paths/~1a~0b/get/responses"]


@pytest.mark.corpus
def test_ogc_s_split_building_blocks_are_followed_through_their_relative_references(files: LocalServer) -> None:
    """OGC API - Features 1.0.1 as published in pieces (corpus: core/openapi/schemas/*.yaml, which nobody here
    wrote): collection.yaml refers to link.yaml and extent.yaml relatively. Served as the API's own files, each is
    read once from the API and validated in place."""
    names = ("collection", "extent", "link")
    pieces = {f"/api/schemas/{name}.yaml": corpus.path("openapi", "ogcapi-features-1.0.1", "core", "openapi",
                                                       "schemas", f"{name}.yaml").read_bytes() for name in names}
    schema = {"$ref": "schemas/collection.yaml"}
    serve(files, {"/api/api.json": described({"description": "ok", "content": {"application/json": {
        "schema": schema}}}), **pieces})
    report = run(files)
    assert results(report, "OAS-003", "OAS-004") == {"OAS-003": ("pass", None, None), "OAS-004": ("pass", None, None)}
    assert list(report.findings) == []
    assert [p for m, p, _ in files.requests] == [
        "/api/api.json", "/api/schemas/collection.yaml", "/api/schemas/extent.yaml", "/api/schemas/link.yaml"]
    # and a defect put into one piece is found there, by its pointer in that piece
    pieces["/api/schemas/link.yaml"] = pieces["/api/schemas/link.yaml"].replace(b"type: object", b"type: thing", 1)
    serve(files, {"/api/api.json": described({"description": "ok", "content": {"application/json": {
        "schema": schema}}}), **pieces})
    assert [(f, v) for f, v, _, _ in rows(run(files), "OAS-003")] == [("GET /api/schemas/link.yaml", "/type")]


def test_problems_the_walk_finds_are_failures_with_their_message(files: LocalServer) -> None:
    """The validator's walk (past the shape): a path parameter never declared, at the operation that misses it."""
    serve(files, {"/api/api.json": {"openapi": "3.0.3", "info": INFO, "paths": {
        "/{id}": {"get": {"responses": {"200": {"description": "ok"}}}}}}})
    assert rows(run(files), "OAS-003") == [(
        "GET /api/api.json", "/paths/~1{id}/get", "error", "Fix the OpenAPI description at /paths/~1{id}/get. "
        "(Path parameter 'id' for 'get' operation in '/{id}' was not resolved)")]


def test_a_path_item_that_is_not_an_object_is_shape_s_business_not_a_crash(files: LocalServer) -> None:
    serve(files, {"/api/api.json": {"openapi": "3.0.3", "info": INFO, "paths": {"/a": "oops", "/b": {"get": op("b")}}}})
    report = run(files)
    assert results(report, "OAS-003", "OAS-005") == {"OAS-003": ("fail", None, None), "OAS-005": ("pass", None, None)}


def test_four_missing_documents_are_three_named_and_one_more(files: LocalServer) -> None:
    document = {"openapi": "3.0.3", "info": INFO, "paths": {
        f"/p{i}": {"get": {"responses": {"200": {"$ref": f"https://example.org/r{i}.yaml#/x"}}}} for i in range(4)}}
    serve(files, {"/api/api.json": document})
    assert results(run(files), "OAS-003")["OAS-003"][2] == (
        "only the description's own shape was validated: the referenced https://example.org/r0.yaml, "
        "https://example.org/r1.yaml, https://example.org/r2.yaml and 1 more are not in the artefact store "
        "(see LC-004)")


def test_path_items_and_callbacks_not_read_are_each_named(files: LocalServer) -> None:
    document = {"openapi": "3.0.3", "info": INFO, "paths": {
        "/a": {"$ref": "https://example.org/paths.json#/a"}, "/b": {"$ref": "https://example.org/paths.json#/b"},
        "/c": {"post": op("c", callbacks={"ev": {"$ref": "https://example.org/cb.json#/ev"}})}}}
    serve(files, {"/api/api.json": document})
    assert results(run(files), "OAS-005")["OAS-005"] == (
        "pass", None, "not tested: 3 path items whose $ref could not be read (/a: https://example.org/paths.json#/a, "
                      "/b: https://example.org/paths.json#/b, callback ev: https://example.org/cb.json#/ev)")


def test_references_in_lists_and_across_a_cycle_of_documents_are_each_read_once(files: LocalServer) -> None:
    """A $ref inside allOf (a list) is followed; a.json and b.json refer to each other, and each is read once."""
    schema = {"allOf": [{"$ref": "a.json#/A"}]}
    serve(files, {"/api/api.json": described({"description": "ok", "content": {"application/json": {
        "schema": schema}}}),
        "/api/a.json": {"A": {"type": "object", "properties": {"b": {"$ref": "b.json#/B"}}}},
        "/api/b.json": {"B": {"type": "object", "properties": {"a": {"$ref": "a.json#/A"}}}}})
    report = run(files)
    assert results(report, "OAS-003", "OAS-004") == {"OAS-003": ("pass", None, None), "OAS-004": ("pass", None, None)}
    assert [p for m, p, _ in files.requests] == ["/api/api.json", "/api/a.json", "/api/b.json"]


@pytest.mark.parametrize(("reference", "target", "verdict"), [
    # summary on a Response "has no effect" (a Response has no summary field): not merged, so still valid
    ({"summary": "s", "description": "d"}, {"R": {"headers": {}}}, "pass"),
    # a Path Item has a summary: the reference's overrides it, so the target's wrong one no longer counts
    ({"summary": "given here"}, {"R": {"summary": 5, "get": op("g")}}, "pass"),
    ({"description": "given here"}, {"R": {"summary": 5, "get": op("g")}}, "fail"),
    # a Reference with only a summary, or only a description, is still a Reference: its target is validated
    ({"summary": "s"}, {"R": {"summary": "own", "get": op("g"), "unknownField": 1}}, "fail"),
    ({"description": "d"}, {"R": {"description": "own", "headers": []}}, "fail"),
    # a Callback is a map of runtime expressions with no description: a description beside its $ref has no effect
    ({"description": "d"}, {"R": {"{$request.body#/url}": {"post": op("cb")}}}, "pass"),
])
def test_a_3_1_reference_overrides_only_fields_its_target_allows(files: LocalServer, reference: dict[str, Any],
                                                                 target: dict[str, Any], verdict: str) -> None:
    if "get" in target["R"]:
        document = {"openapi": "3.1.0", "info": INFO, "paths": {"/p": {"$ref": "b.json#/R", **reference}}}
    elif "{$request.body#/url}" in target["R"]:
        document = {"openapi": "3.1.0", "info": INFO, "paths": {"/s": {"post": op("s", callbacks={
            "ev": {"$ref": "b.json#/R", **reference}})}}}
    else:
        document = described({"$ref": "b.json#/R", **reference}, "3.1.0")
    serve(files, {"/api/api.json": document, "/api/b.json": target})
    assert results(run(files), "OAS-003")["OAS-003"][0] == verdict


def test_validity_is_not_judged_on_a_description_that_is_not_openapi_3() -> None:
    """Under the profile OAS-003 requires OAS-002; a profile that leaves that out still gets no verdict on Swagger."""
    stub = StubProbe({"swagger": "2.0", "info": INFO, "paths": {}}, {})
    with pytest.raises(Skip) as raised:
        openapi.valid(stub, {})  # type: ignore[arg-type]
    assert (str(raised.value), raised.value.why) == ("not an OpenAPI 3.0/3.1 document (see the version rule)",
                                                     Why.PREREQUISITE_FAILED)


@pytest.mark.corpus
def test_the_etsi_ngsi_ld_description_is_validated_whole_with_each_reference_in_place_once(files: LocalServer) -> None:
    """The NGSI-LD API 1.6.1 description (corpus; ETSI's, 188 KB, self-contained) shares schemas among schemas: put
    in place at every reference it grew past the 200,000-node cap and OAS-003 was not verified. Each target is now put
    in place once, at its first reference."""
    description = corpus.path("openapi", "ngsi-ld-v1.6.1", "ngsi-ld-api.yaml").read_bytes()
    files.state["files"] = {"/api/api.yaml": description}
    report = probe([("openapi", files.url + "/api/api.yaml")], profile="openapi")
    assert results(report, "OAS-003", "OAS-004") == {"OAS-003": ("pass", None, None), "OAS-004": ("pass", None, None)}
    assert [m for m, p, _ in files.requests] == ["GET"]

