"""Remote JSON-LD contexts: pinned ones from the artefact store, others only with --fetch-contexts, fetched safely."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

from conftest import run_cli
from ldt_conform.artefacts import ArtefactStore
from ldt_conform.errors import LoadError
from ldt_conform.jsonld_contexts import ALLOW_PRIVATE_ENV, ContextLoader, inline, known, multi_scoped_types

import corpus

BEE = ("dcat", "semic-dcat-ap", "example-bee-population-dataset-series-gea-nha.jsonld")
EXAMPLES_CONTEXT = "https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.0/html/examples/context.jsonld"
CONTEXT = {"@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                        "Dataset": "dcat:Dataset", "title": {"@id": "dct:title", "@language": "en"}}}


def _findings(stdout: str, rule: str) -> list[tuple[str, str | None, str | None]]:
    report = json.loads(stdout)
    return sorted((f["focus"], f.get("path"), f.get("value")) for f in report["findings"] if f["rule"] == rule)


@pytest.mark.corpus
def test_corpus_catalogue_with_a_pinned_remote_context_validates() -> None:
    # The official DCAT-AP 3.0.1 example: its remote context is pinned and seeded from the corpus (conftest).
    result = run_cli(["check", str(corpus.path(*BEE)), "--format", "json", "-q"], expect=1)
    report = json.loads(result.stdout)
    # 23 triples: each dataset has two types (Dataset, DatasetMemberOfADatasetSeries) whose type-scoped contexts
    # both apply (JSON-LD 1.1); applying only one (pyoxigraph 0.5 alone) loses title/issued/spatial.
    assert report["targets"][0]["triples"] == 23
    # The upstream context types releaseDate as "xsd:date" without defining xsd: the literal's datatype is the IRI
    # <xsd:date>, which DCATAP-204 (dct:issued must be a date or dateTime) rightly reports.
    assert _findings(result.stdout, "DCATAP-204") == [
        ("https://data.gov.gr/id/dataset/BeePopulation2000", "http://purl.org/dc/terms/issued",
         '"2023-06-01"^^<xsd:date>'),
        ("https://data.gov.gr/id/dataset/BeePopulation2022", "http://purl.org/dc/terms/issued",
         '"2022-03-01"^^<xsd:date>'),
        ("https://data.gov.gr/id/dataset/BeePopulation2023", "http://purl.org/dc/terms/issued",
         '"2023-03-21"^^<xsd:date>'),
    ]


@pytest.mark.corpus
def test_pinned_context_offline_and_unseeded_is_exit_2_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LDT_CONFORM_SEED", str(tmp_path / "empty"))
    monkeypatch.setenv("LDT_CONFORM_CACHE", str(tmp_path / "cache"))
    source = corpus.path(*BEE)
    result = run_cli(["check", str(source), "--offline", "-q"], expect=2)
    assert result.stderr.strip().splitlines() == [
        f"error: {source}: the remote JSON-LD context {EXAMPLES_CONTEXT} is pinned (sha256 3031957de107…) but is "
        "neither cached nor in a seed folder, and --offline forbids fetching it; use --seed DIR"]


def test_every_corpus_context_is_pinned_with_the_corpus_sha() -> None:
    by_path = {rel: sha for rel, (sha, _url) in corpus.pins().items()}
    pinned = {ctx.pin.sha256 for ctx in known()}
    for rel in ("contexts/dcat-ap-2.1.1/dcat-ap_2.1.1.jsonld", "contexts/dcat-ap-2.1.1/dcat-ap_lang_2.1.1.jsonld",
                "contexts/dcat-ap-2.2.0/dcat-ap.jsonld", "contexts/dcat-ap-3.0.1/dcat-ap.jsonld",
                "contexts/dcat-ap-3.0.1/examples/context.jsonld", "contexts/dcat-ap-hvd-3.0.0/hvd.jsonld",
                "sdm/common/ngsi-ld-core-context.jsonld"):
        assert by_path[rel] in pinned, rel
    # The fetch URL of each pin is the one the corpus pins name for the same bytes.
    urls = {sha: url for _rel, (sha, url) in corpus.pins().items()}
    for ctx in known():
        assert urls.get(ctx.pin.sha256) == ctx.pin.url, ctx.name


# --- unpinned contexts, against a real server on 127.0.0.1 -------------------------------------------------------------

BIG = b'{"@context": {"x": "' + b"a" * (5 * 1024 * 1024) + b'"}}'


class Handler(BaseHTTPRequestHandler):
    other = ""  # the second server's base URL, for the cross-host redirect

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, ctype: str, body: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self) -> None:
        if self.path == "/ctx.jsonld":
            self._send(200, "application/ld+json", json.dumps(CONTEXT).encode())
        elif self.path == "/same-host-redirect":
            self._send(302, "text/plain", b"", {"Location": "/ctx.jsonld"})
        elif self.path == "/other-host-redirect":
            self._send(302, "text/plain", b"", {"Location": f"{Handler.other}/ctx.jsonld"})
        elif self.path == "/html-with-link":
            self._send(200, "text/html", b"<html></html>",
                       {"Link": '</ctx.jsonld>; rel="alternate"; type="application/ld+json"'})
        elif self.path == "/big.jsonld":
            self._send(200, "application/ld+json", BIG)
        else:
            self._send(404, "text/plain", b"?")


def _serve() -> tuple[ThreadingHTTPServer, str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    first, base = _serve()
    second, other = _serve()
    Handler.other = other
    yield base
    for httpd in (first, second):
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def private_ok(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ALLOW_PRIVATE_ENV, "1")


def _doc(tmp_path: Path, context: str) -> Path:
    path = tmp_path / "catalogue.jsonld"
    path.write_text(json.dumps({"@context": context, "@id": "http://ex.org/d1", "@type": "Dataset",
                                "title": "Parking"}), "utf-8")
    return path


def test_unpinned_context_without_the_option_is_exit_2_naming_url_and_file(tmp_path: Path, server: str) -> None:
    doc = _doc(tmp_path, f"{server}/ctx.jsonld")
    result = run_cli(["check", str(doc), "-q"], expect=2)
    assert result.stderr.strip().splitlines() == [
        f"error: {doc}: the remote JSON-LD context {server}/ctx.jsonld is not pinned and is not fetched without "
        "--fetch-contexts (or inline the context in the file)"]


@pytest.mark.parametrize("path", ["/ctx.jsonld", "/same-host-redirect", "/html-with-link"])
def test_fetch_contexts_reads_the_graph(tmp_path: Path, server: str, private_ok: None, path: str) -> None:
    doc = _doc(tmp_path, f"{server}{path}")
    result = run_cli(["check", str(doc), "--fetch-contexts", "--format", "json", "-q",
                      "--select", "DCATAP-112"], expect=None)
    assert result.exit_code in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert report["targets"][0]["triples"] == 2  # rdf:type dcat:Dataset and dct:title "Parking"@en
    # dct:description is missing on the dataset: proof the context mapped "Dataset" to dcat:Dataset.
    assert _findings(result.stdout, "DCATAP-112") == [("http://ex.org/d1", "http://purl.org/dc/terms/description",
                                                       None)]


def test_context_redirect_to_another_host_is_refused_naming_both_urls(tmp_path: Path, server: str,
                                                                      private_ok: None) -> None:
    doc = _doc(tmp_path, f"{server}/other-host-redirect")
    result = run_cli(["check", str(doc), "--fetch-contexts", "-q"], expect=2)
    assert result.stderr.strip().splitlines() == [
        f"error: {doc}: the remote JSON-LD context {server}/other-host-redirect redirects to another host "
        f"({Handler.other}/ctx.jsonld); refused"]


def test_oversize_context_is_refused(tmp_path: Path, server: str, private_ok: None) -> None:
    doc = _doc(tmp_path, f"{server}/big.jsonld")
    result = run_cli(["check", str(doc), "--fetch-contexts", "-q"], expect=2)
    assert result.stderr.strip().splitlines() == [
        f"error: {doc}: the remote JSON-LD context {server}/big.jsonld: response is {len(BIG):,} bytes, over the "
        "4,194,304-byte cap"]


def test_context_on_a_private_address_is_refused(tmp_path: Path, server: str) -> None:
    # Without the test-only switch, a context URL in the data may not make the tool reach the local network.
    doc = _doc(tmp_path, f"{server}/ctx.jsonld")
    result = run_cli(["check", str(doc), "--fetch-contexts", "-q"], expect=2)
    assert result.stderr.strip().splitlines() == [
        f"error: {doc}: the remote JSON-LD context {server}/ctx.jsonld: refused: 127.0.0.1 resolves to the "
        "non-public address 127.0.0.1"]


def test_offline_forbids_fetching_an_unpinned_context(tmp_path: Path, server: str, private_ok: None) -> None:
    doc = _doc(tmp_path, f"{server}/ctx.jsonld")
    result = run_cli(["check", str(doc), "--fetch-contexts", "--offline", "-q"], expect=2)
    assert result.stderr.strip().splitlines() == [
        f"error: {doc}: the remote JSON-LD context {server}/ctx.jsonld is not pinned, and --offline forbids "
        "fetching it"]


# --- the inlining keeps JSON-LD's rules for remote contexts ---------------------------------------------------------


class _Fixed(ContextLoader):
    def __init__(self, contexts: dict[str, object]) -> None:
        super().__init__(store=ArtefactStore(offline=True))
        self.contexts = contexts

    def context(self, iri: str, source: str) -> object:
        if iri not in self.contexts:
            raise LoadError(source, f"unknown {iri}")
        return self.contexts[iri]


def test_inline_resolves_relative_refs_drops_remote_base_and_merges_imports() -> None:
    loader = _Fixed({
        "http://h/a/ctx.jsonld": [{"@base": "http://evil/", "x": "http://x/"}, "sub.jsonld"],
        "http://h/a/sub.jsonld": {"@import": "imp.jsonld", "y": "http://y2/"},
        "http://h/a/imp.jsonld": {"y": "http://y/", "z": "http://z/"},
    })
    doc = {"@context": ["a/ctx.jsonld", {"w": "http://w/"}], "@id": "s"}
    assert inline(doc, "http://h/doc.jsonld", loader, "f") == {
        "@context": [{"x": "http://x/"}, {"y": "http://y2/", "z": "http://z/"}, {"w": "http://w/"}], "@id": "s"}


def test_inline_refuses_a_context_loop() -> None:
    loader = _Fixed({"http://h/a": "http://h/b", "http://h/b": "http://h/a"})
    with pytest.raises(LoadError, match=r"the remote JSON-LD context http://h/a loads itself again or nests too deep "
                                        r"\(http://h/a → http://h/b → http://h/a\)"):
        inline({"@context": "http://h/a"}, "http://h/doc", loader, "f")


def test_multi_scoped_types_detects_what_pyoxigraph_misreads() -> None:
    ctx = {"A": {"@id": "http://x/A", "@context": {"a": "http://x/a"}},
           "B": {"@id": "http://x/B", "@context": {"b": "http://x/b"}}, "type": "@type"}
    assert multi_scoped_types({"@context": ctx, "@id": "http://s", "type": ["A", "B"]}) == "http://s: A, B"
    assert multi_scoped_types({"@context": ctx, "@id": "http://s", "@type": ["A", "http://x/C"]}) is None


def test_inline_refuses_a_context_named_too_often() -> None:
    # One 4 MiB context named in each of 20 nodes would become 80 MiB of JSON: refused, not built.
    loader = _Fixed({"http://h/big": {"x": "http://x/"}})
    loader.sizes["http://h/big"] = 4 * 1024 * 1024
    doc = {"@graph": [{"@context": "http://h/big", "@id": f"http://s/{i}"} for i in range(20)]}
    with pytest.raises(LoadError, match=r"the remote JSON-LD contexts it names \(last http://h/big\) would be inlined "
                                        r"into more than 67,108,864 bytes; refused"):
        inline(doc, "http://h/doc", loader, "f")
    doc["@graph"] = doc["@graph"][:15]
    assert len(inline(doc, "http://h/doc", loader, "f")["@graph"]) == 15


def test_error_after_inlining_names_no_position_of_the_rewritten_text(tmp_path: Path, server: str,
                                                                      private_ok: None) -> None:
    # "@type": 5 is not valid JSON-LD; the parser's position would point into the rewritten document.
    path = tmp_path / "bad.jsonld"
    path.write_text(json.dumps({"@context": f"{server}/ctx.jsonld", "@id": "http://ex.org/d1", "@type": 5}), "utf-8")
    result = run_cli(["check", str(path), "--fetch-contexts", "-q"], expect=2)
    assert result.stderr.strip().splitlines() == [
        f"error: {path}: bad jsonld (@type value must be a string, after inlining its remote contexts)"]


def test_inline_resolves_a_remote_scoped_context_against_its_context() -> None:
    # A term's scoped "@context" may itself be a remote reference, relative to the context that defines the term.
    loader = _Fixed({"http://h/ctx/main.jsonld": {"T": {"@id": "http://x/T", "@context": "scoped.jsonld"}},
                     "http://h/ctx/scoped.jsonld": {"p": "http://x/p"}})
    doc = {"@context": "ctx/main.jsonld", "@type": "T", "p": "v"}
    assert inline(doc, "http://h/doc", loader, "f") == {
        "@context": {"T": {"@id": "http://x/T", "@context": {"p": "http://x/p"}}}, "@type": "T", "p": "v"}
