"""Paged catalogues: follow hydra:next / hydra:nextPage from a file or URL and merge the pages into one target."""
from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence
from urllib.parse import unquote, urldefrag, urljoin, urlsplit
from urllib.request import url2pathname

import pyoxigraph as ox

from ldt_conform import load as loader
from ldt_conform import safety, tool_ids
from ldt_conform.errors import ConformError
from ldt_conform.fetch import Fetcher, host_key
from ldt_conform.model import Finding, PageInfo, Report, Severity, Status, TargetInfo, Why

HYDRA = "http://www.w3.org/ns/hydra/core#"
# hydra:next is Hydra Core's term (PartialCollectionView); hydra:nextPage is the older PagedCollection term that
# ckanext-dcat and opendata.swiss still emit, as a literal string, and that piveau's importer reads beside next.
NEXT = (HYDRA + "next", HYDRA + "nextPage")
# 100 pages is 10,000 datasets at ckanext-dcat's default of 100 per page: a city or regional portal in full, while
# a link generator that never ends stops within a bounded time. National portals need a larger --max-pages.
DEFAULT_MAX_PAGES = 100
PARTIAL_REASON = ("not verified: the paged catalogue was read only in part ({pages}; see {rule}), so this pass "
                  "covers only the pages read")
_SEVERITY = {tool_ids.PAGE_REFUSED: Severity.ERROR, tool_ids.PAGE_LOOP: Severity.WARNING,
             tool_ids.PAGES_UNREAD: Severity.ERROR, tool_ids.UNREACHABLE: Severity.ERROR}


@dataclass
class PagedTarget(loader.RdfTarget):
    """An RDF target read from a chain of pages: one merged store, the pages in the order read, and what the chain
    itself showed (loops, refused or unreadable links, pages left unread)."""

    pages: tuple[PageInfo, ...] = ()
    notes: tuple[Finding, ...] = ()
    complete: bool = True
    max_pages: int = DEFAULT_MAX_PAGES
    # What the report's warnings must say about the run's scope (a saved page whose next page is on the web).
    scope: tuple[str, ...] = ()

    @property
    def chained(self) -> bool:
        """A chain was followed or cut: more than one page, or a finding about the chain."""
        return len(self.pages) > 1 or bool(self.notes)

    def info(self) -> TargetInfo:
        return replace(super().info(), pages=self.pages if self.chained else ())


@dataclass(frozen=True)
class Link:
    """A next-page link as a page states it."""

    page: str                # the source of the page that holds the link
    base: str                # that page's base IRI (its URL, or its file: URI)
    predicate: str
    target: str              # the next page's IRI, resolved against the page
    view: str | None = None  # the link's subject (the page as it names itself) when that is an IRI


def links(store: ox.Store, page: str, base: str, known: set[ox.Quad] | None = None) -> list[Link]:
    """The next-page links in `store` not in `known` (which gains them), in a stable order: read after each page
    is merged, these are that page's links."""
    found: dict[str, Link] = {}
    for predicate in NEXT:
        for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
            if known is not None:
                if quad in known:
                    continue
                known.add(quad)
            obj = quad.object
            if isinstance(obj, ox.NamedNode):
                iri = obj.value
            elif isinstance(obj, ox.Literal) and obj.value.strip():
                iri = urljoin(base, obj.value.strip())  # ckanext-dcat writes the URL as a literal
            else:
                continue
            iri = urldefrag(iri)[0]
            view = quad.subject.value if isinstance(quad.subject, ox.NamedNode) else None
            link = Link(page, base, predicate, iri, view)
            if iri not in found or (link.predicate, link.view or "") < (found[iri].predicate, found[iri].view or ""):
                found[iri] = link
    return [found[iri] for iri in sorted(found)]


def follow(first: loader.RdfTarget, spec: str, *, max_pages: int = DEFAULT_MAX_PAGES,
           input_format: str | None = None, fetcher: Fetcher | None = None,
           progress: Callable[[str], None] | None = None,
           parse_options: Mapping[str, Any] | None = None) -> loader.RdfTarget:
    """Read the pages `first` links to (breadth first, each at most once) into first's store.

    A page without next links comes back unchanged. Links to other hosts, out of the input's folder, or from a
    local file to the web are not followed; every link not followed is a finding (a local file's link to the web:
    a warning on the run's scope), never silence. Each page is
    parsed straight into the one store (its blank nodes renamed apart), so a chain costs about what the same
    triples cost in one file."""
    store = first.prepared.store
    known: set[ox.Quad] = set()
    queue = links(store, first.source, first.base_iri, known)
    if not queue:
        return first
    origin = _Origin.of(spec, first)
    fetcher = fetcher or Fetcher()  # one session for the whole chain: its connections are reused
    seen = {first.source, first.base_iri}
    pages = [_page(first)]
    notes: list[Finding] = []
    read_findings: list[Finding] = []
    scope: list[str] = []
    complete = True
    while queue:
        link = queue.pop(0)
        located = origin.locate(link)
        if isinstance(located, _Refusal):
            if located.scope_only:
                # A file's (or stdin's) link to the web: the input the user named was read in full; that it is one
                # page of a larger catalogue is the run's scope, said in the report's warnings, not a finding.
                scope.append(f"{first.source}: one page of a paged catalogue whose next page {link.target} is on the "
                             "web and was not fetched (a URL found in local data is never fetched); its verdicts "
                             "cover this input only: give the catalogue's URL to check every page")
                continue
            notes.append(_note(tool_ids.PAGE_REFUSED, first, link, located.reason))
            complete = False
            continue
        if located.key in seen:
            notes.append(_note(tool_ids.PAGE_LOOP, first, link, "the chain ends here"))
            continue
        if len(pages) >= max_pages:
            notes.append(_note(tool_ids.PAGES_UNREAD, first, link,
                               f"{_pages(len(pages))} read (--max-pages {max_pages}); raise --max-pages to read on"))
            complete = False
            break
        if progress:
            progress(located.show)
        try:
            source, data, fmt, base = origin.read(located, input_format, fetcher)
            if base in seen:  # a redirect to a page already read
                notes.append(_note(tool_ids.PAGE_LOOP, first, link, f"it redirects to {base}"))
                continue
            # A page that fails to parse adds nothing: the store takes a page in one transaction (up to LOAD_CHUNK).
            page = loader.parse(source, data, fmt, base, into=store, **(parse_options or {}))
        except ConformError as exc:
            notes.append(_note(tool_ids.UNREACHABLE, first, link, str(exc)))
            complete = False
            continue
        seen.update((located.key, page.source, page.base_iri))
        pages.append(_page(page))
        # What a lenient parse skipped, page by page. The chain is one target (the first page's source): a skipped
        # statement on a later page must make that target's passes "not verified" (engine._unverified_passes counts
        # LC-006 per target); its focus (page:line:column) still says which page it was on.
        read_findings.extend(replace(f, target=first.source) for f in getattr(page, "load_findings", ()))
        queue.extend(links(store, page.source, page.base_iri, known))
    # Every field of the first page's target carries over (whatever load.py adds), then the chain's own.
    kept = {f.name: getattr(first, f.name) for f in fields(first) if f.init and not f.name.startswith("_")}
    if read_findings and "load_findings" in kept:
        kept["load_findings"] = (*kept["load_findings"], *read_findings)
    kept.update(size=sum(p.size for p in pages), triple_count=loader._count(store))
    return PagedTarget(**kept, pages=tuple(pages), notes=tuple(notes), complete=complete, max_pages=max_pages,
                       scope=tuple(scope))


def apply(report: Report, targets: Sequence[Any]) -> Report:
    """Add the chains' findings to the report; on a catalogue read only in part no pass stands (not verified)."""
    paged = [t for t in targets if isinstance(t, PagedTarget)]
    if not paged:
        return report
    partial = {t.source: t for t in paged if not t.complete}
    results = []
    for result in report.results:
        target = partial.get(result.target)
        if target is not None and result.status is Status.PASS:
            rule = next(n.rule for n in target.notes if n.severity is Severity.ERROR)
            result = replace(result, status=Status.SKIP, why=Why.PREREQUISITE_FAILED,
                             reason=PARTIAL_REASON.format(pages=_pages(len(target.pages)), rule=rule))
        results.append(result)
    notes = [n for t in paged for n in t.notes]
    warnings = [f"{t.source}: the paged catalogue was read only in part ({_pages(len(t.pages))} read, the chain "
                "went on); its passes are reported as not verified" for t in partial.values()]
    warnings += [line for t in paged for line in t.scope]
    # The limit shaped the verdict only where a chain was followed, so only such a run records it.
    chained = [t.max_pages for t in paged if t.chained]
    options = {**report.options, "max_pages": max(chained)} if chained else report.options
    return replace(report, results=tuple(results), options=options,
                   findings=tuple(sorted(dict.fromkeys((*report.findings, *notes)), key=Finding.full_key)),
                   warnings=(*report.warnings, *warnings))


# --- where a link leads -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Located:
    key: str           # what makes two links the same page (the URL, or the file's resolved file: URI)
    show: str          # the URL or the path, as reports name the page
    path: Path | None = None


@dataclass(frozen=True)
class _Refusal:
    reason: str
    scope_only: bool = False  # not followed by design (local data never fetches the web): a scope note, no finding


@dataclass(frozen=True)
class _Origin:
    """Where the first page came from, which decides where its links may lead."""

    kind: str                 # "url", "file" or "stdin"
    spec: str
    host: str = ""
    folder: Path | None = None

    @classmethod
    def of(cls, spec: str, first: loader.RdfTarget) -> _Origin:
        if spec == "-":
            return cls("stdin", spec)
        if loader.URL.match(spec):
            return cls("url", spec, host=host_key(spec))
        return cls("file", spec, folder=Path(os.path.abspath(spec)).parent)

    def locate(self, link: Link) -> _Located | _Refusal:
        parts = urlsplit(link.target)
        if self.kind == "stdin":
            return _Refusal("the input is stdin, whose links are never followed", scope_only=True)
        if self.kind == "url":
            if parts.scheme not in ("http", "https"):
                return _Refusal(f"not an http(s) URL; the catalogue was read from {self.spec}")
            if host_key(link.target) != self.host:
                return _Refusal(f"it is on another host ({host_key(link.target)}) than the catalogue {self.spec} "
                                f"({self.host}); pages are read from the catalogue's host only")
            return _Located(link.target, link.target)
        return self._locate_file(link, parts)

    def _locate_file(self, link: Link, parts: Any) -> _Located | _Refusal:
        assert self.folder is not None
        candidate: Path | None = None
        if parts.scheme == "file" and not parts.netloc:
            path = Path(os.path.normpath(url2pathname(unquote(parts.path))))
            # the first page's base IRI is its resolved path, so relative links resolve against that folder
            if path.parent in (self.folder, self.folder.resolve()):
                candidate = Path(self.spec).parent / path.name
        if candidate is None and link.view and not parts.query:
            # A page saved from a server names itself (its view IRI) with the server's path; a next page beside that
            # name is the file beside this one, e.g. </datasets/p1.ttl> → </datasets/p2.ttl> read as ./p2.ttl.
            view = urlsplit(link.view)
            name = posixpath.basename(parts.path)
            if ((view.scheme, view.netloc) == (parts.scheme, parts.netloc) and name
                    and posixpath.dirname(view.path) == posixpath.dirname(parts.path)
                    and safety.is_regular(self.folder / unquote(name))):
                candidate = Path(self.spec).parent / unquote(name)
        if candidate is None:
            if parts.scheme == "file":
                return _Refusal(f"it is outside the folder of {self.spec} ({self.folder}); only files beside the "
                                "first page are read")
            return _Refusal("a local file's links to the web are never fetched", scope_only=True)
        if not safety.inside(candidate, [self.folder.resolve()]):
            return _Refusal(f"{candidate} resolves outside the folder of {self.spec} ({self.folder})")
        return _Located(candidate.resolve().as_uri(), str(candidate), candidate)

    def read(self, located: _Located, input_format: str | None,
             fetcher: Fetcher) -> tuple[str, bytes | loader.LocalFile, str, str]:
        """(source, data, format, base IRI) of a page, through load.py's confined file and fetch-layer URL reads (a
        local page is parsed from its file as it is read)."""
        if located.path is not None:
            return loader._read_file(located.path, input_format, self.spec)
        return loader._read_url(located.key, input_format, fetcher)


# --- helpers ------------------------------------------------------------------------------------------------------


def _pages(n: int) -> str:
    return f"{n} page" if n == 1 else f"{n} pages"


def _page(target: loader.RdfTarget) -> PageInfo:
    return PageInfo(source=target.source, sha256=target.sha256, size=target.size, triples=target.triple_count,
                    format=target.format)


def _note(rule: str, first: loader.RdfTarget, link: Link, reason: str) -> Finding:
    words = {tool_ids.PAGE_REFUSED: f"the next page {link.target} linked from {link.page} was not followed",
             tool_ids.PAGE_LOOP: f"the page chain loops: {link.page} links to {link.target}, already read",
             tool_ids.PAGES_UNREAD: f"pages left unread: the chain continues at {link.target} (linked from "
                                    f"{link.page})",
             tool_ids.UNREACHABLE: f"the next page {link.target} linked from {link.page} could not be read"}[rule]
    # The focus is the node that states the link (the page's view, usually the page's own IRI), as for any finding.
    return Finding(rule=rule, severity=_SEVERITY[rule], target=first.source, focus=link.view or link.base,
                   path=link.predicate,
                   value=link.target, message=f"{words}{': ' + reason if reason else ''}")
