"""Inputs → targets: a file, a directory, a URL or stdin, parsed once into RDF quads (named graphs kept)."""
from __future__ import annotations

import hashlib
import itertools
import operator
import re
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator, Sequence, cast

import pyoxigraph as ox

from ldt_conform import lenient as lenient_mod
from ldt_conform import rdfxml_strict, safety, textstream
from ldt_conform.errors import FetchError, LoadError, UsageError
from ldt_conform.fetch import RDF_ACCEPT, Fetcher
from ldt_conform.jsonld_contexts import ContextLoader
from ldt_conform.jsonld_contexts import prepare as jsonld_prepare
from ldt_conform.model import Finding, TargetInfo
from ldt_conform.shacl_fast.data import Prepared, prepare

FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}
EXTENSIONS: dict[str, str] = {
    ".ttl": "turtle", ".turtle": "turtle", ".rdf": "rdfxml", ".owl": "rdfxml", ".xml": "rdfxml",
    ".jsonld": "jsonld", ".json-ld": "jsonld", ".nt": "ntriples", ".nq": "nquads", ".trig": "trig",
}
MEDIA_TYPES: dict[str, str] = {
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/rdf+xml": "rdfxml",
    "application/ld+json": "jsonld", "application/n-triples": "ntriples", "application/n-quads": "nquads",
    "application/trig": "trig",
}
# A TARGET spec that names a URL (any scheme://), not a path; paging and Dask input tasks tell them apart alike.
URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
# Formats parsed straight from a local file through a bounded buffer (textstream.py); JSON-LD and RDF/XML need
# their whole text for the checks run before the parser (nesting depth, entities, strict RDF/XML).
STREAMED = {"turtle", "ntriples", "nquads", "trig"}
NOT_RDF_EXTENSIONS = {".txt", ".csv", ".html", ".htm", ".pdf", ".zip", ".gz", ".png", ".jpg", ".yaml", ".yml",
                      ".toml", ".md", ".py"}


@dataclass(frozen=True)
class LocalFile:
    """A local input that passed the path checks (confinement, symlinks, regular file, binary head): parse() reads
    it itself, so no input's bytes wait in memory for their turn (a directory's files are listed before any parse).
    """

    path: Path

    def read(self) -> bytes:
        with _file_errors(self.path):
            return safety.read_regular(self.path)


@contextmanager
def _file_errors(path: Path) -> Iterator[None]:
    """An unreadable local file as a LoadError naming it (the messages of every local read)."""
    try:
        yield
    except safety.Refused as exc:
        raise LoadError(str(path), str(exc)) from None
    except FileNotFoundError:
        raise LoadError(str(path), "no such file") from None
    except OSError as exc:
        raise LoadError(str(path), f"cannot read: {exc.strerror or exc}") from None


@dataclass
class RdfTarget:
    """One RDF input, parsed once, straight into the store every check reads (named graphs kept).

    The store holds literals in the SHACL engine's datatype-preserving form; `quads` decodes them back, lazily,
    for the few consumers that need Python objects (the pyshacl engine, blank-node labels).
    """

    source: str
    format: str
    base_iri: str
    prepared: Prepared
    sha256: str
    size: int
    triple_count: int = 0
    kind: str = "rdf"
    # --lenient: the statements that could not be read (LC-006 findings, reported with the target's verdicts).
    load_findings: tuple[Finding, ...] = ()
    _quads: list[ox.Quad] | None = field(default=None, repr=False)
    # Store blank-node label → canonical label (bnodes.py) of the blank nodes the findings name, set by the engine;
    # the quality score reuses it instead of hashing every blank node near a dataset again.
    bnode_labels: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def quads(self) -> list[ox.Quad]:
        if self._quads is None:
            self._quads = list(self.prepared.quads())
        return self._quads

    def info(self) -> TargetInfo:
        return TargetInfo(source=self.source, kind=self.kind, sha256=self.sha256, size=self.size,
                          triples=self.triple_count, format=self.format)


def open_targets(specs: Sequence[str], *, input_format: str | None = None, fetcher: Fetcher | None = None,
                 stdin: Callable[[], bytes] | None = None, progress: Callable[[str], None] | None = None,
                 store_dir: str | None = None, contexts: ContextLoader | None = None,
                 lenient: bool = False, max_pages: int | None = None,
                 follow_pages: bool = True) -> list[RdfTarget]:
    """Every TARGET spec → parsed RdfTargets; anything unreadable raises LoadError/FetchError (exit 2).

    With `store_dir`, each input's store lives on disk in a fresh folder under it (inputs larger than memory).
    `contexts` resolves remote JSON-LD contexts (pinned ones, others only when it allows); `lenient` turns what the
    parser cannot read into LC-006 findings instead of an error.
    A file, URL or stdin whose data links a next page (Hydra) is read with its pages as one target (paging.py), up
    to `max_pages` pages (None: paging.DEFAULT_MAX_PAGES); the files of a directory are checked one by one, as is
    every file when `follow_pages` is False (a directory's file checked alone, by a Dask input task).
    """
    from ldt_conform import paging

    targets: list[RdfTarget] = []
    for spec in specs:
        one_input = follow_pages and (spec == "-" or bool(URL.match(spec)) or not Path(spec).is_dir())
        for source, data, fmt_hint, base in _read(spec, input_format, fetcher, stdin):
            if progress:
                progress(source)
            store_path = _store_folder(store_dir) if store_dir else None
            target = parse(source, data, fmt_hint, base, store_path=store_path, contexts=contexts, lenient=lenient)
            if one_input:
                # parse_options: what every page is parsed with, as the first page was (contexts, leniency)
                target = paging.follow(target, spec, max_pages=max_pages or paging.DEFAULT_MAX_PAGES,
                                       input_format=input_format, fetcher=fetcher, progress=progress,
                                       parse_options={"contexts": contexts, "lenient": lenient})
            targets.append(target)
    return targets


def _store_folder(store_dir: str) -> str:
    """A new folder for one input's on-disk store; a --store-dir that is no writable folder is a usage error."""
    try:
        return tempfile.mkdtemp(prefix="ldt-conform-store-", dir=store_dir)
    except OSError as exc:
        raise UsageError(f"--store-dir {store_dir}", f"cannot make a store there: {exc.strerror or exc}") from None


def _read(spec: str, input_format: str | None, fetcher: Fetcher | None,
          stdin: Callable[[], bytes] | None) -> list[tuple[str, bytes | LocalFile, str, str]]:
    if spec == "-":
        if not input_format:
            raise LoadError("-", "reading stdin needs --input-format (turtle, rdfxml, jsonld, ntriples, nquads, trig)")
        data = stdin() if stdin else sys.stdin.buffer.read()
        return [("<stdin>", data, input_format, "urn:ldt-conform:stdin")]
    if URL.match(spec):
        return [_read_url(spec, input_format, fetcher or Fetcher())]
    path = Path(spec)
    if path.is_dir():
        return [_read_file(f, input_format, spec) for f in directory_files(spec)]
    return [_read_file(path, input_format, spec)]


def directory_files(spec: str) -> list[Path]:
    """The RDF files `check DIR` reads, in the order it reads them; none is a LoadError naming the folder."""
    path = Path(spec)
    # Only regular files (FIFOs and devices would block or never end), and under a manifest only files that
    # stay inside the twin's folder once symlinks are resolved.
    files = sorted(p for p in path.rglob("*") if safety.is_regular(p) and p.suffix.lower() in EXTENSIONS
                   and not any(part.startswith(".") for part in p.relative_to(path).parts))
    if not files:
        raise LoadError(spec, "directory holds no RDF files (.ttl .rdf .jsonld .nt .nq .trig)")
    return files


def _read_file(path: Path, input_format: str | None, spec: str = "") -> tuple[str, LocalFile, str, str]:
    """A local file's checks, and its format (from the extension, else sniffed from its head); parse() reads it."""
    with _file_errors(path):
        safety.confine(spec, path)
        safety.no_escaping_link(path, Path(spec))
        head = safety.read_regular(path, head_check=True, head_only=True)
    fmt = input_format or EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        if path.suffix.lower() in NOT_RDF_EXTENSIONS:
            raise LoadError(str(path), f"'{path.suffix}' is not an RDF file extension; "
                                       "use --input-format if it really is RDF")
        fmt = sniff(head)
        if fmt is None:
            raise LoadError(str(path), "cannot tell the RDF format from the extension or the content; "
                                       "use --input-format")
    return (str(path), LocalFile(path), fmt, path.resolve().as_uri())


def _read_url(url: str, input_format: str | None, fetcher: Fetcher) -> tuple[str, bytes, str, str]:
    response = fetcher.get(url, accept=RDF_ACCEPT)
    ctype = response.content_type
    if ctype in ("text/html", "application/xhtml+xml") and not input_format:
        raise FetchError(url, f"returned an HTML page (HTTP {response.status}), not RDF")
    fmt = input_format or EXTENSIONS.get(Path(url.split("?")[0]).suffix.lower()) or MEDIA_TYPES.get(ctype)
    if fmt is None:
        fmt = sniff(response.body)
        if fmt is None:
            raise FetchError(url, f"Content-Type '{ctype or 'none'}' is not RDF and the body does not look like RDF")
    return (url, response.body, fmt, response.url)


def sniff(data: bytes) -> str | None:
    """Guess the format from the first bytes; conservative, because a wrong guess gives a confusing parse error."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<?xml", b"<rdf:RDF")) or re.match(rb"<[A-Za-z_][\w:-]*\s+xmlns", head):
        return "rdfxml"
    if head[:1] in (b"{", b"["):
        return "jsonld"
    if re.match(rb"(@prefix|@base|PREFIX|BASE)\b", head, re.IGNORECASE):
        return "turtle"
    if re.match(rb"(<[^>\s]+>|_:\S+)\s+<[^>\s]+>\s+", head):
        first = head.split(b"\n", 1)[0]
        for fmt in ("ntriples", "nquads"):
            try:
                list(ox.parse(first, format=FORMATS[fmt]))
                return fmt
            except SyntaxError:
                continue
    return None


def parse(source: str, data: bytes | LocalFile, fmt: str, base_iri: str, store_path: str | None = None,
          contexts: ContextLoader | None = None, lenient: bool = False, into: ox.Store | None = None) -> RdfTarget:
    """Parse once with pyoxigraph; an empty, binary or broken input is a LoadError naming file:line:col.

    With `into` (a later page of a paged catalogue) the quads go into that store, their blank nodes renamed apart,
    and `triple_count` is the number of triples the input states. A LocalFile in a line-based format is parsed
    from the file as it is read (_parse_stream); any other input is read whole first."""
    if fmt not in FORMATS:
        raise LoadError(source, f"unknown input format '{fmt}' (choose from {', '.join(FORMATS)})")
    if isinstance(data, LocalFile):
        if fmt in STREAMED:
            return _parse_stream(source, data.path, fmt, base_iri, store_path, lenient, into)
        data = data.read()
    # The provenance is of the input as stored or received, byte order mark included: the evidence bundle's copy
    # and the SARIF line index compare their own sha256 of the file with it.
    digest, size = hashlib.sha256(data).hexdigest(), len(data)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a UTF-8 byte order mark (Windows editors write one) is not part of the RDF text
    if not data.strip():
        raise LoadError(source, "empty file: no RDF to validate")
    if b"\0" in data[:8192]:
        raise LoadError(source, "binary file, not RDF text")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LoadError(f"{source}:{line}:{col}", "not UTF-8 text (RDF files must be UTF-8)") from None
    try:
        # Refused before the parser sees them: nesting that overflows its stack, entity expansion bombs.
        if fmt == "jsonld":
            safety.check_json_depth(data)
        elif fmt == "rdfxml":
            safety.check_xml(data)
    except safety.Refused as exc:
        raise LoadError(source, str(exc)) from None
    parse_fmt, original = fmt, data
    skipped: list[lenient_mod.Skipped] = []
    if fmt == "jsonld":
        data, parse_fmt = jsonld_prepare(source, data, base_iri, contexts)
    elif fmt == "rdfxml":
        # RDF/XML the parser would silently misread is an error (or, lenient, a skipped element) with its position.
        data, problems = rdfxml_strict.check(source, data, lenient)
        skipped.extend(lenient_mod.Skipped(p.line, p.col, f"invalid RDF/XML: {p.message}", p.value) for p in problems)
        if lenient:
            data, dropped = rdfxml_strict.drop_unreadable(source, data, base_iri)
            skipped.extend(lenient_mod.Skipped(p.line, p.col, p.message, p.value) for p in dropped)
    try:
        quads: Iterable[ox.Quad] = ox.parse(data, format=FORMATS[parse_fmt], base_iri=base_iri,
                                            rename_blank_nodes=into is not None)
        if lenient and parse_fmt in lenient_mod.RECOVERING:
            quads = lenient_mod.recovering(quads, source, fmt, skipped)
        prepared, stated = _store(quads, store_path, into)
    except SyntaxError as exc:
        where = _where(source, exc)
        if where == source and fmt == "rdfxml":
            where = _xml_position(source, data) or _tag_position(source, str(exc), data) or where
        if fmt == "jsonld" and data is not original:
            # A position in the text with its remote contexts inlined is not a position in the file.
            raise LoadError(source, f"bad {fmt} ({_reason(exc)}, after inlining its remote contexts)") from None
        raise LoadError(where, f"bad {fmt} syntax ({_reason(exc)})") from None
    except MemoryError as exc:
        # pyoxigraph refuses one token (a literal, an IRI) over its 16 MiB buffer with a MemoryError.
        raise LoadError(source, f"cannot parse as {fmt}: one token is too large ({_short(exc)})") from None
    except (ValueError, OSError) as exc:
        raise LoadError(source, f"cannot parse as {fmt}: {_short(exc)}") from None
    if any(s.span for s in skipped):  # the tokens the findings quote, from the lines they name
        skipped = lenient_mod.quote_tokens(skipped, textstream.parser_lines(data.decode("utf-8", "replace")))
    return _target(source, fmt, base_iri, prepared, digest, size, stated, skipped)


def _parse_stream(source: str, path: Path, fmt: str, base_iri: str, store_path: str | None, lenient: bool,
                  into: ox.Store | None) -> RdfTarget:
    """parse() of a local Turtle, N-Triples, N-Quads or TriG file, read once through a bounded buffer.

    The errors and their order are those of parse() on the file's bytes: empty, binary, not UTF-8 (the first bad
    byte's line:col, even past a syntax error the parser met first), then syntax; sha256 and size are the file's."""
    with _file_errors(path), safety.open_regular(path) as handle:
        reader = textstream.CheckedReader(handle, source, safety.MAX_FILE_BYTES)
        skipped: list[lenient_mod.Skipped] = []
        try:
            # pyoxigraph only calls read(n); its stubs ask for a full IO[bytes]
            quads: Iterable[ox.Quad] = ox.parse(cast(IO[bytes], reader), format=FORMATS[fmt], base_iri=base_iri,
                                                rename_blank_nodes=into is not None)
            if lenient and fmt in lenient_mod.RECOVERING:
                quads = lenient_mod.recovering(quads, source, fmt, skipped)
            prepared, stated = _store(quads, store_path, into)
        except LoadError:
            reader.finish()  # the reader's own error again, or a bad byte after lenient mode gave up
            raise
        except SyntaxError as exc:
            reader.finish()  # a bad byte anywhere in the file is the error a check of the whole text names first
            raise LoadError(_where(source, exc), f"bad {fmt} syntax ({_reason(exc)})") from None
        except MemoryError as exc:
            reader.finish()
            raise LoadError(source, f"cannot parse as {fmt}: one token is too large ({_short(exc)})") from None
        except (ValueError, OSError) as exc:
            reader.finish()
            raise LoadError(source, f"cannot parse as {fmt}: {_short(exc)}") from None
        reader.finish()
        if any(s.span for s in skipped):  # the tokens the findings quote, from the lines they name (read again)
            skipped = lenient_mod.quote_tokens(skipped, textstream.lines(handle))
    return _target(source, fmt, base_iri, prepared, reader.sha256, reader.size, stated, skipped)


def _store(quads: Iterable[ox.Quad], store_path: str | None,
           into: ox.Store | None) -> tuple[Prepared, Iterator[int] | None]:
    """The parsed quads in a store; with `into`, a counter of the quads this input stated."""
    if into is None:
        return prepare(quads, store_path), None
    # count what the page states, at C speed (len() of a large store walks all of it)
    stated = itertools.count()
    return prepare(map(operator.itemgetter(0), zip(quads, stated)), store_path, into=into), stated


def _target(source: str, fmt: str, base_iri: str, prepared: Prepared, sha256: str, size: int,
            stated: Iterator[int] | None, skipped: list[lenient_mod.Skipped]) -> RdfTarget:
    target = RdfTarget(source=source, format=fmt, base_iri=base_iri, prepared=prepared, sha256=sha256, size=size,
                       triple_count=_count(prepared.store) if stated is None else next(stated),
                       load_findings=tuple(sorted((s.finding(source) for s in skipped), key=Finding.sort_key)))
    if target.triple_count == 0 and stated is None:
        raise LoadError(source, f"parsed as {fmt} but holds no triples")
    return target


def _count(store: ox.Store) -> int:
    """Distinct triples over all graphs: a triple stated in two named graphs is still one triple."""
    if not any(True for _ in store.named_graphs()):
        return len(store)
    query = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
    [row] = list(cast(ox.QuerySolutions, store.query(query, use_default_graph_as_union=True)))
    return int(row["n"].value)


_POSITION = re.compile(r"at line (\d+) (?:between columns (\d+) and \d+|column (\d+))")


def _where(source: str, exc: SyntaxError) -> str:
    found = _POSITION.search(str(exc))
    if found:
        return f"{source}:{found.group(1)}:{found.group(2) or found.group(3)}"
    if exc.lineno:
        return f"{source}:{exc.lineno}:{exc.offset or 1}"
    return source


def _xml_position(source: str, data: bytes) -> str | None:
    """pyoxigraph's RDF/XML errors carry no position; expat finds where the XML itself breaks."""
    import xml.parsers.expat

    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        return f"{source}:{exc.lineno}:{exc.offset + 1}"
    return None


def _tag_position(source: str, message: str, data: bytes) -> str | None:
    """pyoxigraph's RDF/XML errors quote the bad value but give no position: the start tag holding it does."""
    tags = rdfxml_strict.scan(data, record=True).tags
    index = rdfxml_strict.locate(message, tags)
    return f"{source}:{tags[index].line}:{tags[index].col}" if index is not None else None


def _short(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:300]


def _reason(exc: SyntaxError) -> str:
    text = str(exc)
    text = re.sub(r"\s*\([^()]*line \d+\)\s*$", "", text)
    text = re.sub(r"^Parser error at line \d+ (between columns \d+ and \d+|column \d+):\s*", "", text)
    return text[:300]
