"""MIM2 payload verdicts pinned exactly: every LDT-2xx result (status, why, reason) and every finding (rule, focus,
value, message) of small payloads checked against a model schema written here (no corpus, no network)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ldt_conform import api
from ldt_conform.model import Report

THING_SCHEMA = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                "properties": {"name": {"type": "string"}, "floors": {"type": "integer", "minimum": 0}},
                "required": ["name"]}


def _check(tmp_path: Path, *payloads: str) -> Report:
    schema = tmp_path / "thing-schema.json"
    schema.write_text(json.dumps(THING_SCHEMA))
    return api.check([], api.CheckOptions(profile="ldt4ssc", select=["LDT-2"], payloads=list(payloads), offline=True,
                                          extra={"models": [{"type": "Thing", "file": str(schema)}]}))


def _results(report: Report, tmp_path: Path) -> list[tuple[str, str, str, str | None, str | None]]:
    return [(r.rule, Path(r.target).name, r.status.value, r.why.value if r.why else None,
             (r.reason or "").replace(str(tmp_path), "T") or None)
            for r in report.results if r.rule.startswith("LDT-2")]


def _findings(report: Report, tmp_path: Path) -> list[tuple[str, str, str | None, str]]:
    return [(f.rule, f.focus.replace(str(tmp_path), "T"), f.value, f.message.replace(str(tmp_path), "T"))
            for f in report.findings]


def _write(tmp_path: Path, name: str, document: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(document))
    return str(path)


GOOD = {"id": "urn:ngsi-ld:Thing:1", "type": "Thing", "name": "ok"}
UNKNOWN = {"id": "urn:ngsi-ld:Lamp:1", "type": "Lamp"}


def test_every_verdict_and_finding_of_a_mixed_payload(tmp_path: Path) -> None:
    mixed = _write(tmp_path, "mixed.json", [
        GOOD,
        {"id": "urn:ngsi-ld:Thing:2", "type": "Thing", "name": 5, "floors": -1},
        {"id": "plain-id", "type": "Thing", "name": "x"},
        UNKNOWN,
        {"id": "urn:ngsi-ld:X:1"},
        {"type": "Thing", "name": "y"},
    ])
    report = _check(tmp_path, mixed)
    assert _results(report, tmp_path) == [
        ("LDT-201", "mixed.json", "pass", None, None),
        ("LDT-202", "mixed.json", "fail", None, None),
        ("LDT-203", "mixed.json", "fail", None, None),
        ("LDT-204", "mixed.json", "fail", None, None),
        ("LDT-205", "mixed.json", "fail", None, None),
    ]
    assert _findings(report, tmp_path) == [
        ("LDT-202", "T/mixed.json#/5", "id", "Add the missing 'id' member to the entity at T/mixed.json#/5."),
        ("LDT-202", "urn:ngsi-ld:X:1", "type", "Add the missing 'type' member to the entity at urn:ngsi-ld:X:1."),
        ("LDT-203", "plain-id", "plain-id", "Make the entity id plain-id a URI, e.g. urn:ngsi-ld:<Type>:plain-id."),
        ("LDT-204", "urn:ngsi-ld:Lamp:1", "Lamp", "No data model known for type 'Lamp' (entity urn:ngsi-ld:Lamp:1): "
                                                  "add it to [[twin.models]] in ldt-conform.toml to check it."),
        ("LDT-205", "urn:ngsi-ld:Thing:2#/floors", "-1 is less than the minimum of 0 (Thing, keyword 'minimum')",
         "Fix urn:ngsi-ld:Thing:2#/floors: -1 is less than the minimum of 0 (Thing, keyword 'minimum')."),
        ("LDT-205", "urn:ngsi-ld:Thing:2#/name", "5 is not of type 'string' (Thing, keyword 'type')",
         "Fix urn:ngsi-ld:Thing:2#/name: 5 is not of type 'string' (Thing, keyword 'type')."),
    ]
    assert not report.conforms


def test_a_pass_names_the_entities_it_could_not_judge(tmp_path: Path) -> None:
    """LDT-205 passes on the entities validated; the one whose type has no model, and the one without a type, are
    named in its reason, as an API pass names what it did not test. LDT-203 names the entity without an id."""
    only_typeless = _check(tmp_path, _write(tmp_path, "typeless.json", [GOOD, {"id": "urn:ngsi-ld:X:1"}]))
    assert _results(only_typeless, tmp_path)[3] == (
        "LDT-204", "typeless.json", "pass", None, "not tested: 1 entity: urn:ngsi-ld:X:1 (no type)")
    partial = _write(tmp_path, "partial.json",
                     [GOOD, UNKNOWN, {"id": "urn:ngsi-ld:X:1"}, {"type": "Thing", "name": "y"}])
    report = _check(tmp_path, partial)
    assert _results(report, tmp_path) == [
        ("LDT-201", "partial.json", "pass", None, None),
        ("LDT-202", "partial.json", "fail", None, None),
        ("LDT-203", "partial.json", "pass", None, "not tested: 1 entity: T/partial.json#/3 (no id)"),
        ("LDT-204", "partial.json", "fail", None, None),  # a failure needs no list of what it did not judge
        ("LDT-205", "partial.json", "pass", None,
         "not tested: 2 entities: urn:ngsi-ld:Lamp:1 (type Lamp: no known data model), urn:ngsi-ld:X:1 (no type)"),
    ]


def test_a_pass_over_every_entity_has_no_reason(tmp_path: Path) -> None:
    report = _check(tmp_path, _write(tmp_path, "good.json", [GOOD, {**GOOD, "id": "urn:ngsi-ld:Thing:3"}]))
    assert _results(report, tmp_path) == [(rule, "good.json", "pass", None, None) for rule in
                                          ("LDT-201", "LDT-202", "LDT-203", "LDT-204", "LDT-205")]
    assert report.findings == () and report.conforms


def test_no_entity_to_judge_is_not_applicable_and_says_why(tmp_path: Path) -> None:
    only_unknown = _write(tmp_path, "lamps.json", [UNKNOWN, {**UNKNOWN, "id": "urn:ngsi-ld:Lamp:2"}])
    report = _check(tmp_path, only_unknown)
    assert _results(report, tmp_path)[-1] == (
        "LDT-205", "lamps.json", "skip", "not-applicable",
        "no entity this rule applies to; not tested: 2 entities: urn:ngsi-ld:Lamp:1 (type Lamp: no known data model), "
        "urn:ngsi-ld:Lamp:2 (type Lamp: no known data model)")
    empty = _check(tmp_path, _write(tmp_path, "empty.json", []))
    assert _results(empty, tmp_path)[1:] == [
        (rule, "empty.json", "skip", "not-applicable", "no entity this rule applies to")
        for rule in ("LDT-202", "LDT-203", "LDT-204", "LDT-205")]


def test_five_untested_entities_are_all_named(tmp_path: Path) -> None:
    lamps = [{**UNKNOWN, "id": f"urn:ngsi-ld:Lamp:{i}"} for i in range(5)]
    report = _check(tmp_path, _write(tmp_path, "five.json", [GOOD, *lamps]))
    names = ", ".join(f"urn:ngsi-ld:Lamp:{i} (type Lamp: no known data model)" for i in range(5))
    assert _results(report, tmp_path)[-1] == ("LDT-205", "five.json", "pass", None, f"not tested: 5 entities: {names}")


def test_at_most_five_untested_entities_are_named(tmp_path: Path) -> None:
    lamps = [{**UNKNOWN, "id": f"urn:ngsi-ld:Lamp:{i}"} for i in range(7)]
    report = _check(tmp_path, _write(tmp_path, "seven.json", [GOOD, *lamps]))
    names = ", ".join(f"urn:ngsi-ld:Lamp:{i} (type Lamp: no known data model)" for i in range(5))
    assert _results(report, tmp_path)[-1] == (
        "LDT-205", "seven.json", "pass", None, f"not tested: 7 entities: {names} and 2 more")


# ---------------------------------------------------------------- payload sources: files, folders, globs, URLs, brokers

def test_a_folder_reads_its_payload_files_only_sorted(tmp_path: Path) -> None:
    from ldt_conform.payloads import expand

    for name in ("b.json", "a.JSONLD", "c.geojson", "d.jsonl", "e.ndjson", "notes.txt", "f.json.bak"):
        (tmp_path / name).write_text("{}")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "g.json").write_text("{}")
    assert [p.relative_to(tmp_path).as_posix() for p in expand(str(tmp_path))] == [
        "a.JSONLD", "b.json", "c.geojson", "d.jsonl", "e.ndjson", "sub/g.json"]


def test_a_folder_without_payload_files_and_a_missing_file_are_usage_errors(tmp_path: Path) -> None:
    import pytest

    from ldt_conform.errors import LoadError
    from ldt_conform.payloads import expand

    (tmp_path / "notes.txt").write_text("{}")
    with pytest.raises(LoadError) as empty:
        expand(str(tmp_path))
    assert (empty.value.where, empty.value.message) == (
        str(tmp_path), "directory holds no payload files (.json .jsonld .geojson .jsonl .ndjson)")
    with pytest.raises(LoadError) as missing:
        expand(str(tmp_path / "absent.json"))
    assert (missing.value.where, missing.value.message) == (str(tmp_path / "absent.json"), "no such payload file")


def test_a_glob_matches_regular_files_recursively_and_is_confined_to_its_roots(tmp_path: Path) -> None:
    import pytest

    from ldt_conform.errors import LoadError
    from ldt_conform.payloads import _glob_root, expand

    (tmp_path / "twin" / "entities" / "deep").mkdir(parents=True)
    for rel in ("entities/a.json", "entities/deep/b.json", "entities/c.txt"):
        (tmp_path / "twin" / rel).write_text("{}")
    (tmp_path / "twin" / "entities" / "dir.json").mkdir()  # a folder named like a payload is not a match
    spec = str(tmp_path / "twin" / "entities" / "**" / "*.json")
    assert [p.relative_to(tmp_path).as_posix() for p in expand(spec)] == [
        "twin/entities/a.json", "twin/entities/deep/b.json"]
    assert _glob_root(spec) == (tmp_path / "twin" / "entities").resolve()
    assert _glob_root("*.json") == Path.cwd().resolve()

    class ManifestPath(str):  # how the manifest hands a path over: the folders it may reach, and where it was written
        roots: tuple[Path, ...]
        where: str

    inside = ManifestPath(spec)
    inside.roots, inside.where = ((tmp_path / "twin").resolve(),), "ldt-conform.toml#twin.payloads[0]"
    assert len(expand(inside)) == 2
    outside = ManifestPath(str(tmp_path / "*" / "entities" / "*.json"))
    outside.roots, outside.where = ((tmp_path / "twin").resolve(),), "ldt-conform.toml#twin.payloads[1]"
    with pytest.raises(LoadError) as refused:
        expand(outside)
    assert (refused.value.where, refused.value.message) == (
        "ldt-conform.toml#twin.payloads[1]",
        f"payload glob {outside} reaches outside the twin's folder; manifest paths may only name files there")


def test_the_size_cap_is_inclusive_and_read_from_stat(tmp_path: Path) -> None:
    from ldt_conform.payloads import read_file

    path = tmp_path / "e.json"
    path.write_text(json.dumps(GOOD))
    size = path.stat().st_size
    at_cap = read_file(path, size)
    assert (at_cap.error, at_cap.size, len(at_cap.entities)) == (None, size, 1)
    over = read_file(path, size - 1)
    assert (over.error, over.size, over.entities, over.sha256) == (
        f"file is {size:,} bytes, over the {size - 1:,}-byte payload cap; split it (e.g. JSON Lines) or raise "
        "max_payload_bytes", size, [], None)
    missing = read_file(tmp_path / "gone.json")
    assert missing.error == "cannot read: No such file or directory" and missing.size is None


def test_provenance_of_a_payload_file(tmp_path: Path) -> None:
    import hashlib

    from ldt_conform.payloads import read_file

    body = b'\xef\xbb\xbf{"id": "urn:ngsi-ld:Thing:1", "type": "Thing", "name": "ok"}'  # a BOM is allowed
    (tmp_path / "t.geojson").write_bytes(body)
    target = read_file(tmp_path / "t.geojson")
    info = target.info()
    assert (info.source, info.kind, info.sha256, info.size, info.documents, info.format) == (
        str(tmp_path / "t.geojson"), "json", hashlib.sha256(body).hexdigest(), len(body), 1, "json")
    assert target.problems == [] and target.entities == [("", json.loads(body[3:]))]


def test_where_each_document_and_problem_is(tmp_path: Path) -> None:
    from ldt_conform.payloads import read_file

    path = tmp_path / "all.jsonl"
    lines = [
        {"type": "FeatureCollection", "features": [
            {"type": "Feature", "id": "urn:a", "properties": {"type": "Thing", "name": "a"},
             "geometry": {"type": "Point", "coordinates": [1, 2]}}, 7]},
        {"@context": {"Thing": "https://example.org/Thing"}, "@graph": [
            {"id": "urn:b", "type": "Thing"}, {"@context": "https://own.example/ctx", "id": "urn:c", "type": "Thing"},
            "x"]},
        [{"id": "urn:d", "type": "Thing"}, None],
        {"type": "Feature", "id": "urn:e", "properties": "none", "geometry": None, "@context": "https://f.example/ctx"},
        {"type": "Feature", "properties": {"type": "Thing", "location": "kept"},
         "geometry": {"type": "Point", "coordinates": [0, 0]}},
        {"type": "FeatureCollection", "features": {"not": "an array"}},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines) + '{"a": NaN}\n' + "[" * 300 + "]" * 300 + "\n")
    target = read_file(path)
    assert target.entities == [
        ("/0/features/0", {"id": "urn:a", "type": "Thing", "name": "a",
                           "location": {"type": "Point", "coordinates": [1, 2]}}),
        ("/1/@graph/0", {"@context": {"Thing": "https://example.org/Thing"}, "id": "urn:b", "type": "Thing"}),
        ("/1/@graph/1", {"@context": "https://own.example/ctx", "id": "urn:c", "type": "Thing"}),
        ("/2/0", {"id": "urn:d", "type": "Thing"}),
        ("/3", {"id": "urn:e", "@context": "https://f.example/ctx"}),
        ("/4", {"type": "Thing", "location": "kept"}),
    ]
    assert target.problems == [
        (f"{path}#/0/features/1", "expected an entity (a JSON object), found int"),
        (f"{path}#/1/@graph/2", "expected an entity (a JSON object), found str"),
        (f"{path}#/2/1", "expected an entity (a JSON object), found NoneType"),
        (f"{path}#/5/features", "a FeatureCollection without a features array"),
        (f"{path}:7", "not valid JSON: NaN is not a JSON number"),
        (f"{path}#/7", "not checked: JSON nested more than 100 levels deep"),
    ]


def test_broker_url_for_every_way_a_broker_is_named() -> None:
    from ldt_conform.payloads import broker_url

    spec = {"type": ["Building", "Thing"], "q": "floors>2", "attrs": "name", "idPattern": "", "geoQ": None}
    for base in ("https://b.example", "https://b.example/", "https://b.example/ngsi-ld/v1",
                 "https://b.example/ngsi-ld/v1/", "https://b.example/ngsi-ld/v1/entities"):
        assert broker_url({**spec, "broker": base}, 40, 20) == (
            "https://b.example/ngsi-ld/v1/entities?type=Building%2CThing&q=floors%3E2&attrs=name&limit=20&offset=40")
    assert broker_url({"broker": "https://b.example", "type": "Building"}) == (
        "https://b.example/ngsi-ld/v1/entities?type=Building&limit=100&offset=0")


def _broker(pages: dict[int, tuple[int, bytes]]) -> Any:
    """An NGSI-LD /entities endpoint answering each offset with the (status, body) given."""
    from urllib.parse import parse_qs, urlsplit

    from bp_servers import RunningServer, ServerSpec

    def route(handler: Any) -> tuple[int, dict[str, str], bytes]:
        offset = int(parse_qs(urlsplit(handler.path).query)["offset"][0])
        status, body = pages.get(offset, (200, b"[]"))
        return status, {"Content-Type": "application/ld+json"}, body

    return RunningServer(ServerSpec(tls=False, routes={"/ngsi-ld/v1/entities": route}))


def _entities(first: int, count: int) -> bytes:
    return json.dumps([{"id": f"urn:ngsi-ld:Thing:{i}", "type": "Thing", "name": str(i)}
                       for i in range(first, first + count)]).encode()


def test_broker_query_sends_the_query_s_headers_and_stops_at_max_entities(monkeypatch: Any) -> None:
    import hashlib

    from ldt_conform.fetch import Fetcher
    from ldt_conform.payloads import query_broker

    monkeypatch.setenv("TWIN_TOKEN", "Basic dXNlcjpwYXNz")  # a scheme given with the token is sent as it is
    pages = {0: (200, _entities(0, 2)), 2: (200, _entities(2, 2)), 4: (200, _entities(4, 2))}
    server = _broker(pages)
    try:
        target = query_broker({"broker": server.url("/ngsi-ld/v1"), "type": "Thing", "limit": 2, "max_entities": 4,
                               "context": "https://ctx.example/twin.jsonld", "tenant": "riverton",
                               "credentials_env": "TWIN_TOKEN"}, Fetcher())
    finally:
        server.stop()
    base = server.url("/ngsi-ld/v1/entities?type=Thing&limit=2")
    assert (target.source, target.format, target.error, target.problems) == (base, "ngsi-ld-query", None, [])
    assert [r["path"] for r in server.requests] == ["/ngsi-ld/v1/entities?type=Thing&limit=2&offset=0",
                                                    "/ngsi-ld/v1/entities?type=Thing&limit=2&offset=2"]
    for request in server.requests:
        assert (request["headers"]["Accept"], request["headers"]["NGSILD-Tenant"], request["headers"]["Authorization"],
                request["headers"]["Link"]) == (
            "application/ld+json", "riverton", "Basic dXNlcjpwYXNz",
            '<https://ctx.example/twin.jsonld>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"')
    assert [(where, e["id"]) for where, e in target.entities] == [(f"/{i}", f"urn:ngsi-ld:Thing:{i}") for i in range(4)]
    assert target.sha256 == hashlib.sha256(pages[0][1] + pages[2][1]).hexdigest()


def test_broker_query_pages_until_a_short_page_with_a_bearer_token(monkeypatch: Any) -> None:
    from ldt_conform.fetch import Fetcher
    from ldt_conform.payloads import query_broker

    monkeypatch.setenv("TWIN_TOKEN", "abc123")
    server = _broker({0: (200, _entities(0, 3)), 3: (200, _entities(3, 1))})
    try:
        target = query_broker({"broker": server.url("/"), "limit": 3, "credentials_env": "TWIN_TOKEN"}, Fetcher())
    finally:
        server.stop()
    assert [r["path"] for r in server.requests] == ["/ngsi-ld/v1/entities?limit=3&offset=0",
                                                    "/ngsi-ld/v1/entities?limit=3&offset=3"]
    assert {r["headers"]["Authorization"] for r in server.requests} == {"Bearer abc123"}
    assert all("Link" not in r["headers"] and "NGSILD-Tenant" not in r["headers"] for r in server.requests)
    assert len(target.entities) == 4 and target.problems == [] and target.error is None


def test_broker_answers_that_are_not_entity_arrays_are_problems_not_crashes() -> None:
    from ldt_conform.fetch import Fetcher
    from ldt_conform.payloads import query_broker

    for body, problem in ((b'{"type": "Thing"}', "the broker answered with a JSON dict, not an array of entities"),
                          (b"[1, 2", "the broker answered with a body that is not JSON: "
                                     "Expecting ',' delimiter: line 1 column 6 (char 5)"),
                          (b"[NaN]", "the broker answered with a body that is not JSON: NaN is not a JSON number")):
        server = _broker({0: (200, _entities(0, 2)), 2: (200, body)})
        try:
            target = query_broker({"broker": server.url("/"), "limit": 2}, Fetcher())
        finally:
            server.stop()
        assert target.problems == [(server.url("/ngsi-ld/v1/entities?limit=2&offset=2"), problem)]
        assert len(target.entities) == 2 and target.error is None and target.sha256


def test_broker_error_status_and_payload_url_error() -> None:
    from ldt_conform.fetch import Fetcher
    from ldt_conform.payloads import _read_url, query_broker

    server = _broker({0: (503, b'{"title": "down"}')})
    try:
        target = query_broker({"broker": server.url("/")}, Fetcher())
        by_url = _read_url(server.url("/ngsi-ld/v1/entities?offset=0"), Fetcher())
    finally:
        server.stop()
    assert (target.error, target.entities, target.sha256) == ("HTTP 503 Service Unavailable", [], None)
    assert (by_url.error, by_url.entities, by_url.sha256) == ("HTTP 503 Service Unavailable", [], None)
    assert [r["path"] for r in server.requests] == ["/ngsi-ld/v1/entities?limit=100&offset=0",
                                                    "/ngsi-ld/v1/entities?offset=0"]
    assert server.requests[1]["headers"]["Accept"] == "application/ld+json, application/json;q=0.9"


# ---------------------------------------------------------------- the model catalogue and type resolution

def test_a_manifest_model_is_read_whole_and_comes_first(tmp_path: Path) -> None:
    from ldt_conform import sdm
    from ldt_conform.artefacts import Pin

    raw = {"type": "Thing", "iris": ["https://example.org/Thing"], "schema": "https://example.org/thing.json",
           "sha256": "ab" * 32, "file": str(tmp_path / "thing.json"), "version": "1.2", "repo": "example/things",
           "commit": "c0ffee", "licence": "CC-BY-4.0", "contexts": ["https://example.org/ctx.jsonld"],
           "uses": ["https://example.org/common.json"], "origin": "/city/ldt-conform.toml"}
    catalogue = sdm.for_run({"models": [raw]})
    model = sdm.Model(type="Thing", iris=("https://example.org/Thing",), schema_url="https://example.org/thing.json",
                      sha256="ab" * 32, file=tmp_path / "thing.json", version="1.2", repo="example/things",
                      commit="c0ffee", licence="CC-BY-4.0", contexts=("https://example.org/ctx.jsonld",),
                      uses=("https://example.org/common.json",), origin="/city/ldt-conform.toml")
    assert catalogue.models[0] == model and catalogue.models[1:] == sdm.shipped().models
    assert (model.label, model.pin()) == ("Thing 1.2", Pin("https://example.org/thing.json", "ab" * 32, "Thing", "1.2",
                                                           "CC-BY-4.0"))
    assert catalogue.pins() == [*sdm.shipped().schemas, model.pin(), *(m.pin() for m in sdm.shipped().models)]
    assert catalogue.mirrors == sdm.shipped().mirrors
    bare = sdm.for_run({"models": [{"type": "Bare"}]}).models[0]
    assert bare == sdm.Model(type="Bare", origin="manifest") and (bare.label, bare.pin()) == ("Bare", None)
    assert sdm.for_run({}) is sdm.shipped()


def test_which_model_an_entity_type_resolves_to() -> None:
    from ldt_conform import sdm

    first = sdm.Model(type="Building", iris=("https://example.org/Building",), version="user")
    second = sdm.Model(type="Building", iris=("https://example.org/Building",), contexts=("https://b.example/ctx",),
                       version="domain")
    catalogue = sdm.Catalogue((first, second))
    cases: dict[str, str | None] = {
        # an IRI listed by two models: the first listed wins (user models come first)
        "https://example.org/Building": "user",
        # an IRI of a Smart Data Models namespace, matched by its local name (after '/', '#', a trailing '/')
        "https://smartdatamodels.org/dataModel.Building/Building": "user",
        "https://smartdatamodels.org/dataModel.Building/Building/": "user",
        "https://uri.fiware.org/ns/data-models#Building": "user",
        "https://uri.fiware.org/ns/dataModels#Building": "user",
        "urn:example:Building": None,  # not a namespace of the models: no local-name guess
        "https://other.example/Building": None,
        "Building": "user",
        "Streetlight": None,
    }
    for written, version in cases.items():
        model, name = catalogue.resolve({"type": written})
        assert (model.version if model else None, name) == (version, written), written
    # the entity's own @context says which of two same-named models it means
    context = ["https://b.example/ctx", {"x": "https://x.example/"}]
    model, _ = catalogue.resolve({"@context": context, "type": "Building"})
    assert model is second
    # a list of types: the first that resolves, named as written; "@type" is read too
    model, name = catalogue.resolve({"@type": ["Streetlight", "Building"]})
    assert (model, name) == (first, "Building")
    assert catalogue.resolve({"type": ["Streetlight", "Lamp"]}) == (None, "Streetlight")
    assert catalogue.resolve({"type": 7}) == (None, "")
    # a CURIE and a term of the inline @context expand before the lookup
    curie = {"@context": {"ex": "https://example.org/"}, "type": "ex:Building"}
    term = {"@context": [{"B": {"@id": "https://example.org/Building"}}], "type": "B"}
    assert catalogue.resolve(curie) == (first, "ex:Building") and catalogue.resolve(term) == (first, "B")


def test_errors_point_into_the_entity_with_rfc_6901_escapes(tmp_path: Path) -> None:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
              "properties": {"a/b~c": {"type": "integer"},
                             "rows": {"type": "array", "items": {"type": "object",
                                                                 "properties": {"n": {"type": "integer"}}}}}}
    (tmp_path / "odd.json").write_text(json.dumps(schema))
    payload = _write(tmp_path, "odd-entities.json",
                     [{"id": "urn:ngsi-ld:Odd:1", "type": "Odd", "a/b~c": "x", "rows": [{"n": 1}, {"n": "two"}]},
                      {"type": "Odd", "a/b~c": "y"}])
    report = api.check([], api.CheckOptions(profile="ldt4ssc", select=["LDT-205"], payloads=[payload], offline=True,
                                            extra={"models": [{"type": "Odd", "file": str(tmp_path / "odd.json")}]}))
    assert [(f.focus.replace(str(tmp_path), "T"), f.value) for f in report.findings] == [
        ("T/odd-entities.json#/1/a~1b~0c", "'y' is not of type 'integer' (Odd, keyword 'type')"),
        ("urn:ngsi-ld:Odd:1#/a~1b~0c", "'x' is not of type 'integer' (Odd, keyword 'type')"),
        ("urn:ngsi-ld:Odd:1#/rows/1/n", "'two' is not of type 'integer' (Odd, keyword 'type')"),
    ]


def test_normalized_attributes_unwrap_to_what_the_schema_describes() -> None:
    from ldt_conform import ngsi

    entity = {"id": "urn:x", "type": "T", "createdAt": "2026-01-01T00:00:00Z", "scope": "/a",
              "multi": [{"type": "Property", "value": 1, "datasetId": "urn:ds:1"}, {"type": "Property", "value": 2},
                        {"type": "Property", "value": 3, "datasetId": "urn:ds:3"}],
              "only_named": [{"type": "Property", "value": 4, "datasetId": "urn:ds:4"},
                             {"type": "Property", "value": 5, "datasetId": "urn:ds:5"}],
              "typed": {"type": "Property", "value": {"@type": "DateTime", "@value": "2026-01-01T00:00:00Z"}},
              "object_value": {"type": "Property", "value": {"k": "v"}},
              "vocab": {"type": "VocabProperty", "vocab": "ex:term"},
              "listed": {"type": "ListProperty", "valueList": [1, 2]},
              "rels": {"type": "ListRelationship", "objectList": ["urn:a"]},
              "json": {"type": "JsonProperty", "json": {"any": True}},
              "plain": [1, 2], "empty": [],
              "incomplete": {"type": "Property"}}
    assert ngsi.form(entity) == "normalized"
    assert ngsi.to_key_values(entity) == {
        "id": "urn:x", "type": "T", "createdAt": "2026-01-01T00:00:00Z", "scope": "/a",
        "multi": 2, "only_named": 4, "typed": "2026-01-01T00:00:00Z", "object_value": {"k": "v"}, "vocab": "ex:term",
        "listed": [1, 2], "rels": ["urn:a"], "json": {"any": True}, "plain": [1, 2], "empty": [],
        "incomplete": {"type": "Property"}}
    v2 = {"id": "x", "type": "T", "temperature": {"type": "Number", "value": 21, "metadata": {}},
          "name": {"value": "n"}}
    assert (ngsi.form(v2), ngsi.to_key_values(v2)) == ("normalized-v2", {"id": "x", "type": "T", "temperature": 21,
                                                                          "name": "n"})
    not_v2 = {"id": "x", "type": "T", "temperature": {"value": 21, "unit": "C"}}
    assert (ngsi.form(not_v2), ngsi.to_key_values(not_v2)) == ("key-values", not_v2)
    assert ngsi.form({"id": "x", "type": "T"}) == "key-values"
    assert ngsi.form({"id": "x", "type": "T", "l": [{"type": "Property", "value": 1}, 2]}) == "key-values"


def test_local_schema_refs_and_the_best_match_of_an_any_of(tmp_path: Path) -> None:
    (tmp_path / "common.json").write_text(json.dumps({"$defs": {"Name": {"properties": {"name": {"type": "string"}}}}}))
    place = {"anyOf": [{"type": "string"},
                       {"type": "object", "properties": {"lat": {"type": "number"}}, "required": ["lat"]}]}
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "allOf": [{"$ref": "common.json#/$defs/Name"}],
              "properties": {"loc": place, "alt": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}}
    (tmp_path / "place.json").write_text(json.dumps(schema))
    (tmp_path / "broken.json").write_text(json.dumps({**schema, "allOf": [{"$ref": "absent.json"}]}))
    payload = _write(tmp_path, "places.json", [
        {"id": "urn:ngsi-ld:Place:1", "type": "Place", "name": 5, "loc": {"lat": "x"}, "alt": 1.5},
        {"id": "urn:ngsi-ld:Broken:1", "type": "Broken"}])
    models = [{"type": "Place", "file": str(tmp_path / "place.json")},
              {"type": "Broken", "file": str(tmp_path / "broken.json")}]
    report = api.check([], api.CheckOptions(profile="ldt4ssc", select=["LDT-205"], payloads=[payload], offline=True,
                                            extra={"models": models}))
    absent = (tmp_path / "absent.json").as_uri()
    assert [(f.rule, f.focus, f.value) for f in report.findings] == [
        ("LC-004", absent, absent),
        ("LDT-205", "urn:ngsi-ld:Place:1#/alt", "1.5 is not of type 'string' (Place, keyword 'type')"),
        ("LDT-205", "urn:ngsi-ld:Place:1#/loc/lat", "'x' is not of type 'number' (Place, keyword 'type')"),
        ("LDT-205", "urn:ngsi-ld:Place:1#/name", "5 is not of type 'string' (Place, keyword 'type')"),
    ]
    assert report.findings[0].message == (f"Not verifiable: the Broken schema needs {absent}, a local file that cannot "
                                          "be read as JSON; check the model's file and its $ref paths")
    # the Place entity fails; a file with only the broken model's entity is not verified, naming the file
    only_broken = _write(tmp_path, "b.json", {"id": "urn:b", "type": "Broken"})
    alone = api.check([], api.CheckOptions(profile="ldt4ssc", select=["LDT-205"], payloads=[only_broken], offline=True,
                                           extra={"models": models}))
    assert [(r.status.value, r.why.value if r.why else None, r.reason) for r in alone.results
            if r.rule == "LDT-205"] == [("skip", "artefact-unavailable", f"not verifiable: cannot read {absent}")]


# ---------------------------------------------------------------- schemas through the artefact store

def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def test_a_schema_s_refs_resolve_against_each_document_s_own_id(tmp_path: Path) -> None:
    """The pinned URL of a schema is not its $id (Smart Data Models pin raw GitHub URLs; their $ids are the published
    ones): relative $refs resolve against the $id of the document they are in, and a $ref'd URL that has moved is
    read from its commit-pinned mirror."""
    from ldt_conform import sdm
    from ldt_conform.artefacts import ArtefactStore, Pin
    from ldt_conform.checks.json_schema import compile_model

    documents = {
        "https://pin.example/raw/thing.json": {
            "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://models.example/Thing/schema.json",
            "allOf": [{"$ref": "../common.json#/$defs/Name"}, {"$ref": "https://moved.example/geo.json#/$defs/Geo"}]},
        "https://models.example/common.json": {
            "$id": "https://schemas.example/v1/common.json",
            "$defs": {"Name": {"properties": {"name": {"$ref": "types.json#/$defs/Text"}}}}},
        "https://schemas.example/v1/types.json": {"$defs": {"Text": {"type": "string", "minLength": 2}}},
        # reached by common.json's $id, not by the URL it is pinned under: found without another fetch
        "https://mirror.example/abc123/geo.json": {"$defs": {"Geo": {
            "properties": {"lat": {"type": "number"}},
            "allOf": [{"$ref": "https://schemas.example/v1/common.json#/$defs/Name"}]}}},
    }
    seed = tmp_path / "seed"
    seed.mkdir()
    pins = []
    for index, (url, document) in enumerate(documents.items()):
        data = json.dumps(document).encode()
        (seed / f"{index}.json").write_bytes(data)
        pins.append(Pin(url, _sha(data)))
    thing, common, types, geo = pins
    model = sdm.Model(type="Thing", schema_url=thing.url, sha256=thing.sha256)

    def store(*available: Pin) -> ArtefactStore:
        made = ArtefactStore(cache_dir=tmp_path / "cache", seed_dirs=[seed], offline=True, use_cache=False)
        made.add_pins(available)
        return made

    compiled = compile_model(model, store(common, types), mirrors={"https://moved.example/geo.json": geo})
    assert compiled.missing == [] and compiled.fast is not None  # jsonschema-rs is the default verdict
    found = compiled.reference.iter_errors({"name": "x", "lat": "n"})
    errors = sorted((list(e.absolute_path), e.message) for e in found)
    # the Name rule is reached twice, once through common.json's $id from geo.json: its error comes twice
    assert errors == [(["lat"], "'n' is not of type 'number'"), (["name"], "'x' is too short"),
                      (["name"], "'x' is too short")]
    assert compiled.reference.is_valid({"name": "ok", "lat": 1.5})
    if compiled.fast is not None:  # jsonschema-rs reads the same documents
        assert [compiled.fast.is_valid(doc) for doc in ({"name": "x"}, {"name": "ok", "lat": 1})] == [False, True]
    assert compile_model(model, store(common), mirrors={"https://moved.example/geo.json": geo}).missing == [
        "https://schemas.example/v1/types.json"]
    assert compile_model(model, store(common, types)).missing == ["https://moved.example/geo.json"]
    assert compile_model(sdm.Model(type="Thing", schema_url="https://pin.example/unpinned.json"), store()).missing == [
        "https://pin.example/unpinned.json"]


def test_a_pinned_model_schema_is_fetched_once_then_read_offline_from_cache_or_seed(
        tmp_path: Path, monkeypatch: Any) -> None:
    from bp_servers import RunningServer, ServerSpec, bytes_route

    body = json.dumps(THING_SCHEMA).encode()
    server = RunningServer(ServerSpec(tls=False, routes={"/thing.json": bytes_route(body)}))
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("LDT_CONFORM_SEED", str(empty))
    payload = _write(tmp_path, "things.json", [{"id": "urn:ngsi-ld:Thing:1", "type": "Thing", "name": 5}])
    url = server.url("/thing.json")
    models = [{"type": "Thing", "schema": url, "sha256": _sha(body), "version": "2.0"}]

    def run(cache: str, offline: bool, **extra: Any) -> Report:
        monkeypatch.setenv("LDT_CONFORM_CACHE", str(tmp_path / cache))
        return api.check([], api.CheckOptions(profile="ldt4ssc", select=["LDT-205"], payloads=[payload],
                                              offline=offline, extra={"models": models, **extra}))

    try:
        online = run("cache-a", offline=False)
        again = run("cache-a", offline=True)  # fetched once: now read from the cache
        elsewhere = run("cache-b", offline=True)  # another cache, offline: not verifiable
        seed = tmp_path / "seed"
        seed.mkdir()
        (seed / "thing.json").write_bytes(body)
        seeded = run("cache-c", offline=True, seed_dirs=[str(seed)])
    finally:
        server.stop()
    assert [r["path"] for r in server.requests] == ["/thing.json"]
    expected = [("LDT-205", "urn:ngsi-ld:Thing:1#/name", "5 is not of type 'string' (Thing 2.0, keyword 'type')")]
    for report in (online, again, seeded):
        assert [(f.rule, f.focus, f.value) for f in report.findings] == expected
    assert [(f.rule, f.focus, f.message) for f in elsewhere.findings] == [
        ("LC-004", url, f"Not verifiable offline: the Thing 2.0 schema needs {url}, which is not in the artefact "
                        "store; run once with network access, or seed the store with --seed DIR / LDT_CONFORM_SEED")]
    assert [(r.status.value, r.why.value if r.why else None, r.reason) for r in elsewhere.results
            if r.rule == "LDT-205"] == [
        ("skip", "artefact-unavailable", f"not verifiable offline: {url}")]


def test_where_bytes_that_are_not_utf8_or_json_numbers_are(tmp_path: Path) -> None:
    from ldt_conform.payloads import read_file

    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"id": "urn:x",\n "type": "T",\n  "name": "Besan\xe7on"}')
    nan = tmp_path / "nan.json"
    nan.write_text('{"id": "urn:x",\n "type": "T",\n "a": 1, "b": -Infinity}')
    lines = tmp_path / "nan.jsonl"
    lines.write_text('{"id": "urn:a", "type": "T"}\n\n{"id": "urn:b", "type": "T", "v": NaN}\n{"id": "urn:c",\n')
    odd = tmp_path / "payload.txt"  # a suffix of no payload kind: read as JSON
    odd.write_text('{"id": "urn:x", "type": "T"}')
    read = {path.name: read_file(path) for path in (latin, nan, lines, odd)}
    assert read["latin.json"].problems == [(f"{latin}:3:17", "not UTF-8 text (JSON must be UTF-8)")]
    assert read["latin.json"].size == latin.stat().st_size == 51 and read["latin.json"].entities == []
    assert read["nan.json"].problems == [(f"{nan}:3", "not valid JSON: -Infinity is not a JSON number")]
    # JSON Lines: each line is one record, numbered in the file (the blank line 2 counts)
    assert read["nan.jsonl"].problems == [
        (f"{lines}:3", "not valid JSON: NaN is not a JSON number"),
        (f"{lines}:4:16", "not valid JSON: Expecting property name enclosed in double quotes at line 4, column 16")]
    assert [(where, e["id"]) for where, e in read["nan.jsonl"].entities] == [("/0", "urn:a")]
    assert [(t.format, t.info().documents) for t in read.values()] == [("json", 0), ("json", 0), ("jsonl", 1),
                                                                       ("json", 1)]


BARE_PROFILE = """
format = "ldt-conform/profile@1"
requires = ">=0.1"
id = "bare-payloads"
version = "1.0.0"
title = "Payload rules without messages of their own"
prefix = "BP"
""" + "".join(f"""
[[rules]]
id = "BP-10{index}"
name = "{role}"
title = "Rule {role}"
severity = "warning"
refs = [{{ id = "ETSI GS CIM 009 §4.5.1" }}]
json_schema = {{ assert = "{role}" }}
""" for index, role in enumerate(("well-formed", "entity-identified", "id-is-uri", "model-known", "conforms-to-model")))


def test_rules_without_a_message_say_what_the_checker_found(tmp_path: Path) -> None:
    """A profile's rule may leave out `message`: the finding then says what was found, or the rule's title."""
    (tmp_path / "bare").mkdir()
    (tmp_path / "bare" / "profile.toml").write_text(BARE_PROFILE)
    (tmp_path / "thing-schema.json").write_text(json.dumps(THING_SCHEMA))
    payload = _write(tmp_path, "p.json", [{"type": "Thing", "name": 1}, {"id": "plain", "type": "Lamp"}, 3])
    report = api.check([], api.CheckOptions(profile=str(tmp_path / "bare"), payloads=[payload], offline=True,
                                            extra={"models": [{"type": "Thing",
                                                               "file": str(tmp_path / "thing-schema.json")}]}))
    assert _findings(report, tmp_path) == [
        ("BP-100", "T/p.json#/2", "expected an entity (a JSON object), found int",
         "expected an entity (a JSON object), found int"),
        ("BP-101", "T/p.json#/0", "id", "the entity has no 'id'"),
        ("BP-102", "plain", "plain", "Rule id-is-uri"),
        ("BP-103", "plain", "Lamp", "Rule model-known"),
        ("BP-104", "T/p.json#/0/name", "1 is not of type 'string' (Thing, keyword 'type')",
         "1 is not of type 'string' (Thing, keyword 'type')"),
    ]
    assert [(r.rule, r.status.value, r.engine) for r in report.results] == [
        (f"BP-10{i}", "fail", "json_schema") for i in range(5)]
    assert all(f.engine == "json_schema" for f in report.findings)
    # jsonschema-rs gave the verdict "invalid", the reference validator (jsonschema) the errors
    assert report.engines == ("jsonschema", "jsonschema-rs")
    no_type = _write(tmp_path, "q.json", {"id": "urn:ngsi-ld:Thing:9"})
    bare = api.check([], api.CheckOptions(profile=str(tmp_path / "bare"), payloads=[no_type], offline=True))
    assert [(f.rule, f.message) for f in bare.findings] == [("BP-101", "the entity has no 'type'")]


def test_long_values_are_cut_at_120_characters_and_the_validator_can_be_chosen(tmp_path: Path) -> None:
    tail = "' is not of type 'integer' (Thing, keyword 'type')"
    fits = "a" * (120 - len(tail) - 1)  # the whole value is exactly 120 characters
    payload = _write(tmp_path, "long.json", [
        {"id": "urn:ngsi-ld:Thing:1", "type": "Thing", "name": "n", "floors": fits},
        {"id": "urn:ngsi-ld:Thing:2", "type": "Thing", "name": "n", "floors": fits + "b"}])
    schema = tmp_path / "thing-schema.json"
    schema.write_text(json.dumps(THING_SCHEMA))
    for validator, engines in (("jsonschema", ("jsonschema",)), ("auto", ("jsonschema", "jsonschema-rs")),
                               ("jsonschema-rs", ("jsonschema", "jsonschema-rs"))):
        report = api.check([], api.CheckOptions(
            profile="ldt4ssc", select=["LDT-205"], payloads=[payload], offline=True,
            extra={"models": [{"type": "Thing", "file": str(schema)}], "payload_validator": validator}))
        assert [f.value for f in report.findings] == [f"'{fits}{tail}", f"'{fits}b{tail}"[:120] + "…"]
        assert len(report.findings[0].value or "") == 120 and report.engines == engines


# ---------------------------------------------------------------- what the mutation run's survivors asked for

def _run_models(tmp_path: Path, payload: str, models: list[dict[str, Any]], rules: tuple[str, ...] = ("LDT-2",),
                **extra: Any) -> Report:
    return api.check([], api.CheckOptions(profile="ldt4ssc", select=list(rules), payloads=[payload], offline=True,
                                          extra={"models": models, **extra}))


def test_which_ids_are_uris(tmp_path: Path) -> None:
    ids = ["urn:ngsi-ld:Thing:a b", "Madrid-Obs-2016-03-15T11:00:00", "urn:", "https://x.example/e/1",
           "did:example:123", "tag:x.example,2026:e", "URN:NGSI-LD:Thing:1", 5]
    payload = _write(tmp_path, "ids.json", [{"id": ident, "type": "Lamp"} for ident in ids])
    report = _run_models(tmp_path, payload, [], ("LDT-202", "LDT-203"))
    assert [(f.rule, f.focus.replace(str(tmp_path), "T"), f.value) for f in report.findings] == [
        ("LDT-202", "T/ids.json#/7", "id"),  # an id that is not a string is no id
        ("LDT-203", "Madrid-Obs-2016-03-15T11:00:00", "Madrid-Obs-2016-03-15T11:00:00"),
        ("LDT-203", "urn:", "urn:"),
        ("LDT-203", "urn:ngsi-ld:Thing:a b", "urn:ngsi-ld:Thing:a b"),
    ]


def test_json_ld_keywords_id_and_type_are_the_members_the_schema_describes(tmp_path: Path) -> None:
    strict = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
              "properties": {"id": {"type": "string", "pattern": "^urn:"}, "type": {"const": "Strict"},
                             "name": {"type": "string"}},
              "required": ["id", "type", "name"], "additionalProperties": False}
    (tmp_path / "strict.json").write_text(json.dumps(strict))
    payload = _write(tmp_path, "ld.json", [
        {"@id": "urn:ngsi-ld:Strict:1", "@type": "Strict", "name": "ok"},
        {"@id": "urn:ngsi-ld:Strict:2", "@type": "Strict", "name": 5},
        {"id": "urn:ngsi-ld:Strict:3", "@id": "urn:other", "type": "Strict", "name": "x"}])
    report = _run_models(tmp_path, payload, [{"type": "Strict", "file": str(tmp_path / "strict.json")}])
    # "@id" becomes "id" only when there is no "id"; kept beside one, it is a member the schema does not allow
    assert [(f.rule, f.focus, f.value) for f in report.findings] == [
        ("LDT-205", "urn:ngsi-ld:Strict:2#/name", "5 is not of type 'string' (Strict, keyword 'type')"),
        ("LDT-205", "urn:ngsi-ld:Strict:3#/", "Additional properties are not allowed ('@id' was unexpected) (Strict, "
                                              "keyword 'additionalProperties')"),
    ]


def test_boolean_schemas_dedupe_one_of_and_repeated_errors(tmp_path: Path) -> None:
    (tmp_path / "any.json").write_text("true")  # a boolean schema: every value is valid
    (tmp_path / "name.json").write_text(json.dumps({"$defs": {"N": {"properties": {"name": {"type": "string"}}}}}))
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
              "allOf": [{"$ref": "name.json#/$defs/N"}, {"$ref": "name.json#/$defs/N"}, {"$ref": "any.json"}],
              "properties": {"geo": {"oneOf": [{"type": "string"},
                                               {"type": "object", "properties": {"x": {"type": "number"}},
                                                "required": ["x"]}]},
                             "code": {"type": "integer"}}}
    (tmp_path / "shape.json").write_text(json.dumps(schema))
    payload = _write(tmp_path, "shapes.json", [
        {"id": "urn:ngsi-ld:Shape:1", "type": "Shape", "name": 1, "geo": {"x": "s"}, "code": "c"},
        {"id": "urn:ngsi-ld:Free:1", "type": "Free", "anything": [1, {"a": None}]}])
    report = _run_models(tmp_path, payload, [{"type": "Shape", "file": str(tmp_path / "shape.json")},
                                             {"type": "Free", "file": str(tmp_path / "any.json")}], ("LDT-205",))
    # the name error, raised by both allOf branches, is reported once, and the errors after it still are
    assert [(f.focus, f.value) for f in report.findings] == [
        ("urn:ngsi-ld:Shape:1#/code", "'c' is not of type 'integer' (Shape, keyword 'type')"),
        ("urn:ngsi-ld:Shape:1#/geo/x", "'s' is not of type 'number' (Shape, keyword 'type')"),
        ("urn:ngsi-ld:Shape:1#/name", "1 is not of type 'string' (Shape, keyword 'type')"),
    ]
    assert [r.status.value for r in report.results if r.rule == "LDT-205"] == ["fail"]


def test_context_terms_that_are_not_iris_and_curies_that_are_iris() -> None:
    from ldt_conform import sdm

    model = sdm.Model(type="Building", iris=("https://example.org/Building",))
    catalogue = sdm.Catalogue((model,))
    # a term defined without an @id names no IRI (it is skipped, not a crash)
    assert catalogue.resolve({"@context": {"Building": {"@type": "@id"}}, "type": "Building"}) == (model, "Building")
    # "https://…" is an IRI even when "https" is a term: a local part starting with // is no CURIE
    assert catalogue.resolve({"@context": {"https": "urn:x:"}, "type": "https://example.org/Building"}) == (
        model, "https://example.org/Building")
    assert catalogue.resolve({"@context": {"ex": "https:"}, "type": "ex://example.org/Building"}) == (
        None, "ex://example.org/Building")


def test_a_key_values_entity_keeps_members_that_look_like_ngsi_v2_attributes() -> None:
    from ldt_conform import ngsi

    entity = {"id": "x", "type": "T", "a": {"value": 1}, "b": 2}
    assert (ngsi.form(entity), ngsi.to_key_values(entity)) == ("key-values", entity)


def test_where_problems_are_in_a_single_document_and_in_a_feature(tmp_path: Path) -> None:
    from ldt_conform.payloads import read_file

    nan = tmp_path / "nan.json"
    nan.write_text('{"id": "urn:x",\n "type": "T",\n "b": -Infinity,\n "c": 2\n}\n')
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 300 + "]" * 300)
    feature = tmp_path / "f.geojson"
    feature.write_text(json.dumps({"type": "Feature", "id": "urn:f", "@context": "https://feature.example/ctx",
                                   "properties": {"type": "T", "@context": "https://own.example/ctx"},
                                   "geometry": None}))
    assert read_file(nan).problems == [(f"{nan}:3", "not valid JSON: -Infinity is not a JSON number")]
    assert read_file(deep).problems == [(f"{deep}#/", "not checked: JSON nested more than 100 levels deep")]
    assert read_file(feature).entities == [("", {"id": "urn:f", "type": "T", "@context": "https://own.example/ctx"})]


def test_what_a_broker_query_and_a_payload_spec_may_name(tmp_path: Path) -> None:
    import os

    import pytest

    from ldt_conform.errors import LoadError, UsageError
    from ldt_conform.fetch import Fetcher
    from ldt_conform.payloads import broker_url, expand, open_payload_targets

    assert broker_url({"broker": "https://b.example", "idPattern": "urn:.*:7", "geoQ": "georel=near"}) == (
        "https://b.example/ngsi-ld/v1/entities?idPattern=urn%3A.%2A%3A7&geoQ=georel%3Dnear&limit=100&offset=0")
    with pytest.raises(UsageError) as no_broker:
        open_payload_targets([{"type": "Thing"}], api.CheckOptions(), fetcher=Fetcher())
    assert (no_broker.value.where, no_broker.value.message) == (
        "{'type': 'Thing'}", "a payload query needs a 'broker' URL")
    with pytest.raises(LoadError) as no_match:
        expand(str(tmp_path / "*.json"))
    assert (no_match.value.where, no_match.value.message) == (
        str(tmp_path / "*.json"),
        "payload glob matched no file (check the pattern and the directory it is relative to)")
    # an https:// payload is fetched (here: refused at once, nothing listens on port 1), never taken for a path
    [unreachable] = open_payload_targets(["https://127.0.0.1:1/e.json"], api.CheckOptions(timeout=2),
                                         fetcher=Fetcher(timeout=2))
    assert unreachable.source == "https://127.0.0.1:1/e.json" and unreachable.error
    # the run's payload cap comes from its options
    small = _write(tmp_path, "small.json", GOOD)
    [capped] = open_payload_targets([small], api.CheckOptions(extra={"max_payload_bytes": 10}), fetcher=Fetcher())
    assert capped.error == (f"file is {os.path.getsize(small):,} bytes, over the 10-byte payload cap; split it "
                            "(e.g. JSON Lines) or raise max_payload_bytes")

    class ManifestPath(str):
        roots: tuple[Path, ...]
        where: str

    outside = ManifestPath(small)
    outside.roots, outside.where = ((tmp_path / "twin").resolve(),), "ldt-conform.toml#twin.payloads[0]"
    with pytest.raises(LoadError) as refused:
        open_payload_targets([outside], api.CheckOptions(), fetcher=Fetcher())
    assert (refused.value.where, refused.value.message) == (
        "ldt-conform.toml#twin.payloads[0]",
        f"{small} is outside the twin's folder ({(tmp_path / 'twin').resolve()}); manifest paths may only name files "
        "there (--allow-path DIR widens this)")


def test_a_fifo_named_as_a_payload_is_never_opened(tmp_path: Path) -> None:
    import os

    from ldt_conform.payloads import read_file

    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    target = read_file(fifo)
    assert (target.error, target.entities) == ("not a regular file (a FIFO); never opened for reading", [])


def test_an_any_of_failing_at_one_place_names_the_branch_whose_type_the_value_has(tmp_path: Path) -> None:
    """Both branches fail at /code itself: the string branch's pattern says what to fix, not the integer branch's
    type, which jsonschema's best_match would pick, in either order of the branches."""
    schema = {"properties": {"code": {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": "^a"}]},
                             "tag": {"anyOf": [{"type": "string", "pattern": "^t"}, {"type": "integer"}]}}}
    (tmp_path / "coded.json").write_text(json.dumps(schema))
    payload = _write(tmp_path, "coded-entities.json",
                     {"id": "urn:ngsi-ld:Coded:1", "type": "Coded", "code": "b", "tag": "u"})
    report = _run_models(tmp_path, payload, [{"type": "Coded", "file": str(tmp_path / "coded.json")}], ("LDT-205",))
    assert [(f.focus, f.value) for f in report.findings] == [
        ("urn:ngsi-ld:Coded:1#/code", "'b' does not match '^a' (Coded, keyword 'pattern')"),
        ("urn:ngsi-ld:Coded:1#/tag", "'u' does not match '^t' (Coded, keyword 'pattern')")]


def test_a_draft_04_schema_s_relative_refs_resolve_too(tmp_path: Path) -> None:
    """Draft 4 names a schema's id `id`, not `$id`: the file's URL is given under that name."""
    (tmp_path / "defs.json").write_text(json.dumps({"definitions": {"N": {"properties": {"n": {"type": "string"}}}}}))
    schema = {"$schema": "http://json-schema.org/draft-04/schema#", "allOf": [{"$ref": "defs.json#/definitions/N"}]}
    (tmp_path / "old.json").write_text(json.dumps(schema))
    payload = _write(tmp_path, "old-entities.json", {"id": "urn:ngsi-ld:Old:1", "type": "Old", "n": 1})
    report = _run_models(tmp_path, payload, [{"type": "Old", "file": str(tmp_path / "old.json")}], ("LDT-205",))
    assert [(f.rule, f.focus, f.value) for f in report.findings] == [
        ("LDT-205", "urn:ngsi-ld:Old:1#/n", "1 is not of type 'string' (Old, keyword 'type')")]


def test_an_unreadable_payload_is_an_error_on_every_rule_naming_why(tmp_path: Path) -> None:
    payload = _write(tmp_path, "big.json", GOOD)
    size = Path(payload).stat().st_size
    report = _run_models(tmp_path, payload, [], ("LDT-2",), max_payload_bytes=10)
    error = (f"file is {size:,} bytes, over the 10-byte payload cap; split it (e.g. JSON Lines) or raise "
             "max_payload_bytes")
    assert [(f.rule, f.focus, f.value, f.message) for f in report.findings] == [
        ("LC-001", payload, error, f"The payload source could not be read: {error}")]
    assert [(r.rule, r.status.value, r.reason) for r in report.results if r.rule.startswith("LDT-2")] == [
        (f"LDT-20{i}", "error", error) for i in range(1, 6)]


def test_a_single_entity_without_id_is_named_by_its_file_and_messages_follow_the_language(tmp_path: Path) -> None:
    payload = _write(tmp_path, "one.json", {"type": "Lamp"})
    report = api.check([], api.CheckOptions(profile="ldt4ssc", select=["LDT-202"], payloads=[payload], offline=True,
                                            lang="fr"))
    assert _findings(report, tmp_path) == [
        ("LDT-202", "T/one.json#/", "id", "Ajoutez le membre « id » manquant à l'entité en T/one.json#/.")]
