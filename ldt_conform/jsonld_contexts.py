"""Remote JSON-LD contexts: pinned ones from the artefact store, others only on request, inlined before parsing."""
from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urljoin, urlsplit

from ldt_conform import safety
from ldt_conform.artefacts import ArtefactStore, Pin
from ldt_conform.errors import FetchError, LoadError
from ldt_conform.fetch import Fetcher

# The option that allows fetching a context no pin names (cli.py spells it the same way).
OPTION = "--fetch-contexts"
# Contexts are small (the DCAT-AP 3 one is 60 KB); a larger answer is not a context worth reading.
MAX_CONTEXT_BYTES = 4 * 1024 * 1024
# A document that names a (large) remote context in thousands of places must not inline it thousands of times.
MAX_INLINED_BYTES = 64 * 1024 * 1024
# Remote contexts that load further remote contexts: a chain this deep is a loop or an attack, not a vocabulary.
MAX_DEPTH = 10
# Tests serve contexts from 127.0.0.1; everywhere else a context URL in the data may not reach a private address.
ALLOW_PRIVATE_ENV = "LDT_CONFORM_CONTEXTS_ALLOW_PRIVATE"
JSON_TYPES = ("application/ld+json", "application/json")


@dataclass(frozen=True)
class KnownContext:
    name: str
    iris: tuple[str, ...]
    pin: Pin


@lru_cache(maxsize=1)
def known() -> tuple[KnownContext, ...]:
    """The shipped pins (contexts.toml): context IRI(s) → the sha256 of the bytes they stand for."""
    data = tomllib.loads((resources.files("ldt_conform") / "contexts.toml").read_text("utf-8"))
    return tuple(KnownContext(c["name"], tuple(c["iris"]), Pin(c["url"], c["sha256"], c["name"], "", c["licence"]))
                 for c in data["context"])


def _pins() -> dict[str, Pin]:
    by_iri: dict[str, Pin] = {}
    for ctx in known():
        for iri in (*ctx.iris, ctx.pin.url):
            by_iri[iri] = ctx.pin
    return by_iri


@dataclass
class ContextLoader:
    """Resolves a context IRI to its `@context` value; every refusal is a LoadError naming the IRI and the input."""

    store: ArtefactStore
    fetch_unpinned: bool = False
    offline: bool = False
    fetcher: Fetcher | None = None
    _loaded: dict[str, Any] = field(default_factory=dict)
    # Bytes of each loaded context document, for the inlining budget.
    sizes: dict[str, int] = field(default_factory=dict)

    @classmethod
    def create(cls, *, offline: bool = False, fetch_unpinned: bool = False, seed_dirs: list[Any] | None = None,
               timeout: float = 30.0) -> ContextLoader:
        # Its own fetcher: a small size cap, same-host redirects only whatever --follow-redirects-any says (that
        # option is about API hosts), and no private addresses, because the URL comes from the data.
        fetcher = Fetcher(timeout=timeout, max_bytes=MAX_CONTEXT_BYTES, follow_redirects_any_host=False,
                          public_only=os.environ.get(ALLOW_PRIVATE_ENV) != "1")
        store = ArtefactStore(offline=offline, fetcher=fetcher, seed_dirs=list(seed_dirs or []))
        return cls(store=store, fetch_unpinned=fetch_unpinned, offline=offline, fetcher=fetcher)

    def context(self, iri: str, source: str) -> Any:
        """The `@context` value of the remote context document at `iri` (`source` is the input naming it)."""
        iri = iri.split("#", 1)[0]
        if iri in self._loaded:
            return self._loaded[iri]
        pin = _pins().get(iri)
        if pin is not None:
            data = self.store.get_pinned(pin)
            if data is None:
                how = ("--offline forbids fetching it" if self.offline
                       else f"fetching {pin.url} failed or gave other bytes than the pin")
                raise LoadError(source, f"the remote JSON-LD context {iri} is pinned (sha256 {pin.sha256[:12]}…) but "
                                        f"is neither cached nor in a seed folder, and {how}; use --seed DIR")
        else:
            data = self._fetch_unpinned(iri, source)
        try:
            safety.check_json_depth(data)
            document = json.loads(data)
        except (safety.Refused, ValueError) as exc:
            raise LoadError(source, f"the remote JSON-LD context {iri} is not valid JSON ({_short(exc)})") from None
        if not isinstance(document, dict) or "@context" not in document:
            raise LoadError(source, f"the remote JSON-LD context {iri} holds no top-level \"@context\"")
        self._loaded[iri] = document["@context"]
        self.sizes[iri] = len(data)
        return document["@context"]

    def _fetch_unpinned(self, iri: str, source: str) -> bytes:
        if not self.fetch_unpinned:
            raise LoadError(source, f"the remote JSON-LD context {iri} is not pinned and is not fetched without "
                                    f"{OPTION} (or inline the context in the file)")
        if self.offline:
            raise LoadError(source, f"the remote JSON-LD context {iri} is not pinned, and --offline forbids "
                                    "fetching it")
        if urlsplit(iri).scheme not in ("http", "https"):
            raise LoadError(source, f"the remote JSON-LD context {iri} is not an http(s) URL")
        assert self.fetcher is not None
        try:
            response = self.fetcher.get(iri, accept="application/ld+json, application/json;q=0.9")
            if response.content_type not in JSON_TYPES and not response.content_type.endswith("+json"):
                # JSON-LD 1.1 document loading: an HTML page may point at its context with a Link header.
                alternate = _alternate_link(response.headers.get("link", ""), response.url)
                if alternate is None:
                    raise FetchError(iri, f"Content-Type '{response.content_type or 'none'}' is not JSON-LD")
                if fetch_host(alternate) != fetch_host(iri):
                    raise FetchError(iri, "its alternate JSON-LD link points to another host", location=alternate)
                response = self.fetcher.get(alternate, accept="application/ld+json, application/json;q=0.9")
        except FetchError as exc:
            if exc.location:
                raise LoadError(source, f"the remote JSON-LD context {iri} redirects to another host "
                                        f"({exc.location}); refused") from None
            raise LoadError(source, f"the remote JSON-LD context {exc.where}: {exc.message}") from None
        return response.body


def fetch_host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"


def _alternate_link(header: str, base: str) -> str | None:
    for part in header.split(","):
        target, _, params = part.partition(";")
        params_l = params.replace(" ", "").lower()
        if 'rel="alternate"' in params_l and 'type="application/ld+json"' in params_l:
            return urljoin(base, target.strip().strip("<>"))
    return None


def remote_refs(document: Any) -> list[str]:
    """The string (remote) context references of a parsed JSON-LD document, in document order."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "@value" in node:
                return  # a literal (maybe "@type": "@json"): its "@context" keys are data, not contexts
            for key, value in node.items():
                if key == "@context":
                    for item in value if isinstance(value, list) else [value]:
                        if isinstance(item, str):
                            found.append(item)
                        else:
                            walk(item)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(document)
    return found


def inline(document: Any, base: str, loader: ContextLoader, source: str) -> Any:
    """The document with every remote context reference replaced by that context's content.

    JSON-LD's rules for remote contexts are kept: a relative reference resolves against the document (or the remote
    context naming it), a remote context's `@base` is ignored, `@import` merges the imported context under the
    importing one, and a chain deeper than MAX_DEPTH is refused.
    """

    inlined = [0]

    def context_value(value: Any, against: str, chain: tuple[str, ...]) -> Any:
        items = value if isinstance(value, list) else [value]
        out: list[Any] = []
        for item in items:
            if isinstance(item, str):
                iri = urljoin(against, item)
                if iri in chain or len(chain) >= MAX_DEPTH:
                    raise LoadError(source, f"the remote JSON-LD context {iri} loads itself again or nests too "
                                            f"deep ({' → '.join((*chain, iri))})")
                remote = context_value(loader.context(iri, source), iri, (*chain, iri))
                inlined[0] += loader.sizes.get(iri, 0)
                if inlined[0] > MAX_INLINED_BYTES:
                    raise LoadError(source, f"the remote JSON-LD contexts it names (last {iri}) would be inlined "
                                            f"into more than {MAX_INLINED_BYTES:,} bytes; refused")
                for ctx in remote if isinstance(remote, list) else [remote]:
                    out.append({k: v for k, v in ctx.items() if k != "@base"} if isinstance(ctx, dict) else ctx)
            elif isinstance(item, dict):
                out.append(context_object(item, against, chain))
            else:
                out.append(item)
        return out if isinstance(value, list) or len(out) != 1 else out[0]

    def context_object(ctx: dict[str, Any], against: str, chain: tuple[str, ...]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        if isinstance(ctx.get("@import"), str):
            iri = urljoin(against, ctx["@import"])
            imported = context_value(iri, against, chain)
            if not isinstance(imported, dict):
                raise LoadError(source, f"the JSON-LD context {iri} named by @import is not a single context object")
            result.update(imported)
        for key, value in ctx.items():
            if key == "@import":
                continue
            if isinstance(value, dict):
                # A term definition: its scoped "@context" may be remote too.
                value = {k: context_value(v, against, chain) if k == "@context" else v for k, v in value.items()}
            result[key] = value
        return result

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if "@value" in node:
                return node
            return {k: context_value(v, base, ()) if k == "@context" else walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return walk(document)


def _short(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:200]


def prepare(source: str, data: bytes, base: str, loader: ContextLoader | None) -> tuple[bytes, str]:
    """The text to parse and its format ("jsonld", or "nquads" when pyld had to convert it).

    Without remote contexts the bytes are unchanged (parse errors keep their positions); with them they are
    re-serialised with the contexts inlined. Invalid JSON is left for the parser to report with its position.
    """
    try:
        document = json.loads(data)
    except ValueError:
        return data, "jsonld"
    if remote_refs(document):
        document = inline(document, base, loader or ContextLoader.create(), source)
        data = json.dumps(document, ensure_ascii=False).encode("utf-8")
    clash = multi_scoped_types(document)
    if clash is None:
        return data, "jsonld"
    # pyoxigraph 0.5 applies only one of the type-scoped contexts of a node with several types (JSON-LD 1.1 applies
    # all, in order), so it would read a different graph; pyld implements the algorithm in full.
    return _with_pyld(source, document, base, clash), "nquads"


def multi_scoped_types(document: Any) -> str | None:
    """The first node whose types include two terms with type-scoped contexts ("node: A, B"), or None."""
    scoped: set[str] = set()
    type_keys = {"@type"}

    def contexts(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    for ctx in value if isinstance(value, list) else [value]:
                        if isinstance(ctx, dict):
                            for term, definition in ctx.items():
                                if isinstance(definition, dict) and "@context" in definition:
                                    scoped.add(term)
                                if definition == "@type" or (isinstance(definition, dict)
                                                             and definition.get("@id") == "@type"):
                                    type_keys.add(term)
                contexts(value)
        elif isinstance(node, list):
            for item in node:
                contexts(item)

    def nodes(node: Any) -> str | None:
        if isinstance(node, dict):
            if "@value" in node:
                return None
            for key in type_keys & node.keys():
                types = node[key] if isinstance(node[key], list) else [node[key]]
                hits = sorted({t for t in types if isinstance(t, str) and t in scoped})
                if len(hits) > 1:
                    return f"{node.get('@id', node.get('id', 'a node'))}: {', '.join(hits)}"
            for key, value in node.items():
                if key != "@context":
                    found = nodes(value)
                    if found:
                        return found
        elif isinstance(node, list):
            for item in node:
                found = nodes(item)
                if found:
                    return found
        return None

    contexts(document)
    return nodes(document) if len(scoped) > 1 else None


def _with_pyld(source: str, document: Any, base: str, clash: str) -> bytes:
    try:
        from pyld import jsonld
    except ImportError:
        raise LoadError(source, f"a node has several types with type-scoped contexts ({clash}); reading it right "
                                "needs pyld: pip install 'ldt-conform[jsonld]'") from None

    def no_loading(url: str, options: Any = None) -> Any:
        # Every remote context was inlined (or refused) before: pyld must never fetch on its own.
        raise LoadError(source, f"the remote JSON-LD document {url} is not loaded here")

    try:
        text = jsonld.to_rdf(document, {"format": "application/n-quads", "base": base, "documentLoader": no_loading})
    except jsonld.JsonLdError as exc:
        raise LoadError(source, f"bad jsonld ({_short(exc)})") from None
    return str(text).encode("utf-8")
