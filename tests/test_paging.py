"""Paged catalogues (paging.py): hydra:next chains over a real HTTP server on 127.0.0.1 and over local files."""
from __future__ import annotations

import json
import os
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Iterator

import jsonschema
import pytest

from conftest import REPO, corpus_path, run_cli

HYDRA = "http://www.w3.org/ns/hydra/core#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
EX = "https://example.org/"
PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
@prefix ex: <https://example.org/> .
"""
# Core (1xx) and range (3xx) rules: the catalogue below is complete for them, so every finding is a planted one.
SELECT = ["--select", "DCATAP-1,DCATAP-3"]
PAGES, PER_PAGE = 4, 3


def page_ttl(number: int, total: int, link: str | None, *, defect_on: int | None = 3,
             predicate: str = "hydra:next") -> str:
    """Page `number` of `total`: page 1 holds the catalogue, which lists every dataset of every page (so its
    dcat:dataset values on later pages resolve only when those pages are read); each page describes its datasets."""
    lines = [PREFIXES]
    if link:
        lines.append(f"<> a hydra:PartialCollectionView ; {predicate} {link} .")
    if number == 1:
        every = ", ".join(f"ex:d{p}-{j}" for p in range(1, total + 1) for j in range(PER_PAGE))
        lines.append(f'ex:cat a dcat:Catalog ; dct:title "Paged"@en ; dct:description "A paged catalogue"@en ; '
                     f"dct:publisher ex:pub ; dcat:dataset {every} .")
        lines.append('ex:pub a foaf:Agent ; foaf:name "Publisher"@en .')
    for j in range(PER_PAGE):
        description = "" if (number, j) == (defect_on, 0) else f' ; dct:description "Dataset {number}-{j}"@en'
        lines.append(f'ex:d{number}-{j} a dcat:Dataset ; dct:title "Dataset {number}-{j}"@en{description} .')
    return "\n".join(lines) + "\n"


class Site:
    """A real HTTP server on 127.0.0.1 serving whatever pages a test puts in `pages`, logging every path asked."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        self.asked: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                site.asked.append(self.path)
                body = site.pages.get(self.path)
                if body is not None and body.startswith("REDIRECT "):
                    self.send_response(302)
                    self.send_header("Location", body.split(" ", 1)[1])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status = 200 if body is not None else 404
                data = (body if body is not None else "not found").encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/turtle" if status == 200 else "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, number: int) -> str:
        return f"{self.base}/catalogue?page={number}"

    def serve_chain(self, total: int, link: Callable[[int], str | None], **kwargs: Any) -> None:
        self.pages = {f"/catalogue?page={n}": page_ttl(n, total, link(n), **kwargs) for n in range(1, total + 1)}

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site()
    yield server
    server.close()


def check_json(*args: str, expect: int) -> dict[str, Any]:
    result = run_cli(["check", *args, "--format", "json", "--offline"], expect=expect)
    report: dict[str, Any] = json.loads(result.stdout)
    schema = json.loads((REPO / "ldt_conform" / "schemas" / "report.schema.json").read_text("utf-8"))
    jsonschema.validate(report, schema)
    return report


def findings(report: dict[str, Any], prefix: str = "") -> set[tuple[str, str, str | None, str | None]]:
    return {(f["rule"], f["focus"], f.get("path"), f.get("value")) for f in report["findings"]
            if f["rule"].startswith(prefix)}


def pages_read(report: dict[str, Any]) -> list[str]:
    [target] = report["targets"]
    return [p["source"] for p in target.get("pages", [])]


def statuses(report: dict[str, Any]) -> set[str]:
    return {r["status"] for r in report["results"] if r["target"]}


def next_url(site: Site, total: int) -> Callable[[int], str | None]:
    return lambda n: f"<{site.url(n + 1)}>" if n < total else None


# --- over HTTP ------------------------------------------------------------------------------------------------------


def test_url_chain_is_one_catalogue(site: Site) -> None:
    site.serve_chain(PAGES, next_url(site, PAGES))
    report = check_json(site.url(1), *SELECT, expect=1)
    assert pages_read(report) == [site.url(n) for n in range(1, PAGES + 1)]
    # Only the planted defect on page 3: the catalogue's dcat:dataset values described on pages 2-4 resolve
    # (no DCATAP-301), and no tool finding.
    assert findings(report) == {("DCATAP-112", f"{EX}d3-0", f"{DCT}description", None)}
    [target] = report["targets"]
    assert target["source"] == site.url(1)
    # page 1: link 2 + catalogue 4 + 12 dataset links + publisher 2 + datasets 9; pages 2-4: link 2 + datasets
    # (page 3 lacks one description; page 4, the last, has no link)
    assert [p["triples"] for p in target["pages"]] == [29, 11, 10, 9]
    assert target["triples"] == 29 + 11 + 10 + 9
    assert report["options"]["max_pages"] == 100
    assert "pass" in statuses(report)
    assert site.asked == [f"/catalogue?page={n}" for n in range(1, PAGES + 1)]


def test_max_pages_leaves_pages_unread_and_no_pass_stands(site: Site) -> None:
    site.serve_chain(PAGES, next_url(site, PAGES))
    report = check_json(site.url(1), *SELECT, "--max-pages", "2", expect=1)
    assert pages_read(report) == [site.url(1), site.url(2)]
    assert findings(report, "LC-") == {("LC-012", site.url(2), f"{HYDRA}next", site.url(3))}
    # What page 1 lists but pages 3-4 describe is unresolved now: the reason the chain must be read.
    assert findings(report, "DCATAP-301") == {("DCATAP-301", f"{EX}cat", f"{DCAT}dataset", f"{EX}d{p}-{j}")
                                              for p in (3, 4) for j in range(PER_PAGE)}
    assert "pass" not in statuses(report)
    # DCATAP-112 passes on pages 1-2; its defect is on page 3, so that pass must not stand
    [title] = [r for r in report["results"] if r["rule"] == "DCATAP-112"]
    assert (title["status"], title["why"]) == ("skip", "prerequisite-failed")
    assert title["reason"] == ("not verified: the paged catalogue was read only in part (2 pages; see LC-012), so "
                               "this pass covers only the pages read")
    assert report["warnings"] == [f"{site.url(1)}: the paged catalogue was read only in part (2 pages read, the chain "
                                  "went on); its passes are reported as not verified"]
    assert site.asked == ["/catalogue?page=1", "/catalogue?page=2"]


def test_loop_ends_the_chain_with_a_warning(site: Site) -> None:
    # page 3 links back to page 1: every page is read once, the verdicts stand, the loop is reported
    site.serve_chain(3, lambda n: f"<{site.url(n + 1 if n < 3 else 1)}>", defect_on=None)
    report = check_json(site.url(1), *SELECT, expect=0)
    assert pages_read(report) == [site.url(1), site.url(2), site.url(3)]
    assert findings(report) == {("LC-011", site.url(3), f"{HYDRA}next", site.url(1))}
    [loop] = report["findings"]
    assert loop["severity"] == "warning"
    assert statuses(report) >= {"pass"}
    assert site.asked == ["/catalogue?page=1", "/catalogue?page=2", "/catalogue?page=3"]


def test_a_next_page_that_redirects_to_a_page_read_is_a_loop(site: Site) -> None:
    site.pages = {"/catalogue?page=1": page_ttl(1, 1, f"<{site.url(2)}>", defect_on=None),
                  "/catalogue?page=2": f"REDIRECT {site.url(1)}"}
    report = check_json(site.url(1), *SELECT, expect=0)
    assert pages_read(report) == [site.url(1)]
    assert findings(report) == {("LC-011", site.url(1), f"{HYDRA}next", site.url(2))}
    assert report["findings"][0]["message"].endswith(f"it redirects to {site.url(1)}")


def test_next_page_on_another_host_is_refused(site: Site) -> None:
    other = Site()
    try:
        other.serve_chain(3, lambda n: None)
        # 127.0.0.1 on another port is another host (fetch.host_key is host:port), like a different name
        elsewhere = other.url(3)
        site.serve_chain(3, lambda n: f"<{site.url(2)}>" if n == 1 else (f"<{elsewhere}>" if n == 2 else None),
                         defect_on=None)
        report = check_json(site.url(1), *SELECT, expect=1)
        assert pages_read(report) == [site.url(1), site.url(2)]
        assert findings(report, "LC-") == {("LC-010", site.url(2), f"{HYDRA}next", elsewhere)}
        [refused] = [f for f in report["findings"] if f["rule"] == "LC-010"]
        assert refused["severity"] == "error"
        assert site.url(2) in refused["message"] and elsewhere in refused["message"]
        assert f"another host (127.0.0.1:{other.port})" in refused["message"]
        assert other.asked == []
        assert "pass" not in statuses(report)
    finally:
        other.close()


def test_localhost_is_another_host_than_127_0_0_1(site: Site) -> None:
    named = f"http://localhost:{site.port}/catalogue?page=2"
    site.serve_chain(2, lambda n: f"<{named}>" if n == 1 else None, defect_on=None)
    report = check_json(site.url(1), *SELECT, expect=1)
    assert findings(report, "LC-") == {("LC-010", site.url(1), f"{HYDRA}next", named)}
    assert site.asked == ["/catalogue?page=1"]


def test_unreadable_next_page_is_a_finding(site: Site) -> None:
    site.serve_chain(3, next_url(site, 3), defect_on=None)
    del site.pages["/catalogue?page=3"]
    report = check_json(site.url(1), *SELECT, expect=1)
    assert pages_read(report) == [site.url(1), site.url(2)]
    assert findings(report, "LC-") == {("LC-001", site.url(2), f"{HYDRA}next", site.url(3))}
    assert "pass" not in statuses(report)


def test_legacy_next_page_literal_is_followed(site: Site) -> None:
    # ckanext-dcat / opendata.swiss: hydra:PagedCollection with hydra:nextPage as a literal string
    site.serve_chain(2, lambda n: f'"{site.url(2)}"' if n == 1 else None, predicate="hydra:nextPage", defect_on=None)
    report = check_json(site.url(1), *SELECT, expect=0)
    assert pages_read(report) == [site.url(1), site.url(2)]
    assert findings(report) == set()


def test_max_pages_below_one_is_a_usage_error(tmp_path: Path) -> None:
    first = write_chain(tmp_path, {}, 1, defect_on=None)
    result = run_cli(["check", str(first), "--max-pages", "0"], expect=2)
    assert "Invalid value for '--max-pages': 0 is not in the range x>=1." in result.stderr


# --- local files ----------------------------------------------------------------------------------------------------


def write_chain(folder: Path, links: dict[int, str], total: int, **kwargs: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(1, total + 1):
        (folder / f"page{n}.ttl").write_text(page_ttl(n, total, links.get(n), **kwargs), "utf-8")
    return folder / "page1.ttl"


def test_local_file_chain(tmp_path: Path) -> None:
    # a relative IRI, a legacy literal, and a file: URL, each naming a file beside the first page
    first = write_chain(tmp_path, {1: "<page2.ttl>", 2: '"page3.ttl"', 3: f"<{(tmp_path / 'page4.ttl').as_uri()}>"},
                        4, predicate="hydra:nextPage")
    report = check_json(str(first), *SELECT, expect=1)
    assert pages_read(report) == [str(tmp_path / f"page{n}.ttl") for n in range(1, 5)]
    assert findings(report) == {("DCATAP-112", f"{EX}d3-0", f"{DCT}description", None)}


def test_saved_pages_that_name_themselves_with_server_paths(tmp_path: Path) -> None:
    # pages saved from a server name themselves </datasets/pageN.ttl>; the next page beside that name is the file
    # beside this one (the corpus's dataset-register pages are written so)
    first = write_chain(tmp_path, {}, 2, defect_on=None)
    for n, link in ((1, "</datasets/page2.ttl>"), (2, None)):
        text = (tmp_path / f"page{n}.ttl").read_text("utf-8")
        view = f"</datasets/page{n}.ttl> a hydra:PartialCollectionView" + (f" ; hydra:next {link} .\n" if link
                                                                            else " .\n")
        (tmp_path / f"page{n}.ttl").write_text(text + view, "utf-8")
    report = check_json(str(first), *SELECT, expect=0)
    assert pages_read(report) == [str(tmp_path / "page1.ttl"), str(tmp_path / "page2.ttl")]
    assert findings(report) == set()


def test_local_json_ld_chain(tmp_path: Path) -> None:
    # the dataset-register shape (a catalogue whose hydra:view links the next page), with an inline context
    context = {"hydra": HYDRA, "dcat": DCAT, "dct": DCT, "foaf": "http://xmlns.com/foaf/0.1/"}
    for n, link in ((1, "page2.jsonld"), (2, None)):
        view: dict[str, Any] = {"@id": f"page{n}.jsonld", "@type": "hydra:PartialCollectionView"}
        if link:
            view["hydra:next"] = {"@id": link}
        catalogue: dict[str, Any] = {
            "@id": f"{EX}cat", "@type": "dcat:Catalog", "hydra:view": view,
            "dcat:dataset": [{"@id": f"{EX}d{n}", "@type": "dcat:Dataset",
                              "dct:title": {"@value": f"Dataset {n}", "@language": "en"},
                              "dct:description": {"@value": f"About {n}", "@language": "en"}}]}
        if n == 1:
            catalogue.update({"dct:title": {"@value": "Paged", "@language": "en"},
                              "dct:description": {"@value": "A paged catalogue", "@language": "en"},
                              "dct:publisher": {"@id": f"{EX}pub", "@type": "foaf:Agent", "foaf:name": "P"}})
        (tmp_path / f"page{n}.jsonld").write_text(json.dumps({"@context": context, "@graph": [catalogue]}), "utf-8")
    report = check_json(str(tmp_path / "page1.jsonld"), *SELECT, expect=0)
    assert pages_read(report) == [str(tmp_path / "page1.jsonld"), str(tmp_path / "page2.jsonld")]
    assert findings(report) == set()


def test_evidence_bundle_holds_every_page(tmp_path: Path) -> None:
    first = write_chain(tmp_path / "twin", {1: "<page2.ttl>"}, 2, defect_on=None)
    bundle = tmp_path / "evidence"
    run_cli(["check", str(first), *SELECT, "--offline", "-q", "--evidence", str(bundle), "--include-inputs"],
            expect=0)
    [entry] = json.loads((bundle / "inputs.json").read_text("utf-8"))
    assert [(p["source"], p.get("copy")) for p in entry["pages"]] == [
        (str(first), None), (str(tmp_path / "twin" / "page2.ttl"), "inputs/001-page2.ttl")]
    assert entry["copy"] == "inputs/001-page1.ttl"
    assert (bundle / "inputs" / "001-page2.ttl").read_bytes() == (tmp_path / "twin" / "page2.ttl").read_bytes()
    run_cli(["verify", str(bundle)], expect=0)


def test_local_chain_never_leaves_the_folder(tmp_path: Path) -> None:
    secret = tmp_path / "secret.ttl"
    secret.write_text(page_ttl(2, 2, None), "utf-8")
    folder = tmp_path / "twin"
    first = write_chain(folder, {1: "<../secret.ttl>"}, 1, defect_on=None)
    report = check_json(str(first), *SELECT, expect=1)
    assert pages_read(report) == [str(first)]
    assert findings(report, "LC-") == {("LC-010", first.resolve().as_uri(), f"{HYDRA}next", secret.as_uri())}
    [refused] = report["findings"]
    assert f"outside the folder of {first}" in refused["message"]


def test_local_chain_never_follows_a_link_out_of_the_folder(tmp_path: Path) -> None:
    secret = tmp_path / "secret.ttl"
    secret.write_text(page_ttl(2, 2, None), "utf-8")
    folder = tmp_path / "twin"
    first = write_chain(folder, {1: "<page2.ttl>"}, 1, defect_on=None)
    os.symlink(secret, folder / "page2.ttl")
    report = check_json(str(first), *SELECT, expect=1)
    assert pages_read(report) == [str(first)]
    assert findings(report, "LC-") == {("LC-010", first.resolve().as_uri(), f"{HYDRA}next",
                                        (folder / "page2.ttl").as_uri())}
    [refused] = report["findings"]
    assert "resolves outside the folder" in refused["message"]


def scope_line(source: str, url: str) -> str:
    return (f"{source}: one page of a paged catalogue whose next page {url} is on the web and was not fetched (a URL "
            "found in local data is never fetched); its verdicts cover this input only: give the catalogue's URL to "
            "check every page")


def test_local_file_never_fetches_the_web(tmp_path: Path, site: Site) -> None:
    # the file given is read in full, so its verdicts stand and there is no finding; the report's warnings say the
    # catalogue goes on elsewhere (the run's scope)
    first = write_chain(tmp_path, {1: f"<{site.url(2)}>"}, 1, defect_on=None)
    report = check_json(str(first), *SELECT, expect=0)
    assert report["findings"] == []
    assert "pass" in statuses(report)
    assert report["warnings"] == [scope_line(str(first), site.url(2))]
    assert "pages" not in report["targets"][0] and "max_pages" not in report["options"]
    assert site.asked == []


def test_stdin_links_are_not_followed(site: Site) -> None:
    result = run_cli(["check", "-", "--input-format", "turtle", *SELECT, "--format", "json", "--offline"], expect=0,
                     input=page_ttl(1, 1, f"<{site.url(2)}>", defect_on=None))
    report = json.loads(result.stdout)
    assert report["findings"] == []
    assert report["warnings"] == [scope_line("<stdin>", site.url(2))]
    assert site.asked == []


def test_blank_nodes_of_two_pages_stay_apart(tmp_path: Path) -> None:
    from ldt_conform.load import open_targets

    for n, link in ((1, "<page2.ttl>"), (2, None)):
        (tmp_path / f"page{n}.ttl").write_text(
            PREFIXES + (f"<> hydra:next {link} .\n" if link else "")
            + f'_:b1 a foaf:Agent ; foaf:name "Agent {n}" .\n', "utf-8")
    [target] = open_targets([str(tmp_path / "page1.ttl")])
    # page 1: 3 triples, page 2: 2; one shared _:b1 would merge the two "a foaf:Agent" triples into one (4)
    assert target.triple_count == 5
    agents = list(target.prepared.store.quads_for_pattern(None, None, None, None))
    names = {q.subject: q.object.value for q in agents if q.predicate.value.endswith("name")}
    assert sorted(names.values()) == ["Agent 1", "Agent 2"] and len(names) == 2


def test_reports_list_the_pages(site: Site, tmp_path: Path) -> None:
    site.serve_chain(2, next_url(site, 2), defect_on=None)
    md, html, text = tmp_path / "r.md", tmp_path / "r.html", tmp_path / "r.txt"
    run_cli(["check", site.url(1), *SELECT, "--offline", "--report", f"markdown={md}", "--report", f"html={html}",
             "--report", f"text={text}"], expect=0)
    rows = [line for line in md.read_text("utf-8").splitlines() if line.startswith("| ↳ page")]
    assert [row.split("|")[1].strip() for row in rows] == [f"↳ page 1: `{site.url(1)}`", f"↳ page 2: `{site.url(2)}`"]
    cells = re.findall(r'<tr class="page"><td class="mono">([^<]*)</td>', html.read_text("utf-8"))
    assert cells == [f"↳ page 1: {site.url(1)}", f"↳ page 2: {site.url(2)}"]
    lines = [line.strip().split("  ")[0] for line in text.read_text("utf-8").splitlines()
             if line.strip().startswith("page ")]
    assert lines == [f"page 1: {site.url(1)}", f"page 2: {site.url(2)}"]


def test_a_page_without_links_is_an_ordinary_target(tmp_path: Path) -> None:
    first = write_chain(tmp_path, {}, 1, defect_on=None)
    report = check_json(str(first), *SELECT, expect=0)
    assert "pages" not in report["targets"][0]
    assert "max_pages" not in report["options"]


# --- the corpus -----------------------------------------------------------------------------------------------------


@pytest.mark.corpus
def test_corpus_dataset_register_turtle_pages() -> None:
    first = corpus_path("dcat", "paged", "dataset-register", "hydra-page1.ttl")
    report = check_json(str(first), "--profile", "dcat-ap-3-core", expect=0)
    assert [Path(p).name for p in pages_read(report)] == ["hydra-page1.ttl", "hydra-page2.ttl"]
    assert report["targets"][0]["triples"] == 25  # 15 + 15, less the publisher and distribution both pages state
    assert findings(report, "LC-") == set()


@pytest.mark.corpus
def test_corpus_ckanext_dcat_page_one_saved_as_a_file() -> None:
    # Stadt Zürich's catalog.ttl is page 1 of 4 (hydra:PagedCollection, hydra:nextPage as a literal): the file is
    # validated alone (no tool finding, so the fidelity tests compare it as before), and the report's warnings say
    # where the catalogue goes on
    path = corpus_path("dcat", "dcat-ap-ch", "catalog.ttl")
    report = check_json(str(path), "--profile", "dcat-ap-3-core", expect=1)
    assert findings(report, "LC-") == set()
    assert report["warnings"] == [scope_line(str(path), "https://data.stadt-zuerich.ch/catalog.ttl?page=2")]
    assert pages_read(report) == []


@pytest.mark.corpus
def test_corpus_dataset_register_jsonld_pages() -> None:
    """The JSON-LD pages need the https://schema.org/ remote context; until the loader resolves it this is skipped
    with that reason, and then it checks the chain like the Turtle one."""
    first = corpus_path("dcat", "paged", "dataset-register", "hydra-page1.jsonld")
    result = run_cli(["check", str(first), "--profile", "dcat-ap-3-core", "--format", "json", "--offline"],
                     expect=None)
    if result.exit_code == 2 and ("remote context" in result.stderr or "schema.org" in result.stderr):
        pytest.skip(f"the schema.org JSON-LD context is not available to the loader: {result.stderr.strip()}")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert [Path(p).name for p in pages_read(report)] == ["hydra-page1.jsonld", "hydra-page2.jsonld"]
    assert findings(report, "LC-") == set()


def test_a_statement_lenient_skipped_on_a_later_page_leaves_no_pass_of_the_chain(tmp_path: Path) -> None:
    first = write_chain(tmp_path, {1: "<page2.ttl>"}, 2, defect_on=None)
    second = tmp_path / "page2.ttl"
    lines = second.read_text("utf-8").count("\n")
    second.write_text(second.read_text("utf-8") + "ex:bad ex:p <http://exa mple.org/x> .\n", "utf-8")
    report = check_json(str(first), *SELECT, "--lenient", expect=1)
    assert pages_read(report) == [str(first), str(second)]
    [skipped] = [f for f in report["findings"] if f["rule"] == "LC-006"]
    # Filed under the chain's one target, pointing at the page, line and column it was on.
    assert (skipped["target"], skipped["focus"], skipped["value"], skipped["message"]) == (
        str(first), f"{second}:{lines + 1}:13", "http://exa mple.org/x",
        "not read (--lenient skipped it): Invalid IRI code point ' '")
    assert "pass" not in statuses(report)
    [title] = [r for r in report["results"] if r["rule"] == "DCATAP-112"]
    assert (title["status"], title["why"], title["reason"]) == (
        "skip", "prerequisite-failed",
        "not verified: --lenient skipped 1 statement of this input (LC-006); the rule held on the rest")


def test_an_unreadable_page_does_not_stop_the_other_links(site: Site) -> None:
    # Page 1 links to pages 2 and 3; page 2 is missing: page 3 is still read, and page 2 is one LC-001 finding.
    site.pages = {"/catalogue?page=1": page_ttl(1, 3, f"<{site.url(2)}>, <{site.url(3)}>", defect_on=None),
                  "/catalogue?page=3": page_ttl(3, 3, None, defect_on=None)}
    report = check_json(site.url(1), *SELECT, expect=1)
    assert pages_read(report) == [site.url(1), site.url(3)]
    [note] = [f for f in report["findings"] if f["rule"].startswith("LC-")]
    assert (note["rule"], note["focus"], note["value"], note["message"]) == (
        "LC-001", site.url(1), site.url(2),
        f"the next page {site.url(2)} linked from {site.url(1)} could not be read: {site.url(2)}: HTTP 404 Not Found")
    assert "pass" not in statuses(report)
