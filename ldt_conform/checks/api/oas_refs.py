"""The documents an OpenAPI description's $refs lead to: the API's own read from the API, upstream ones from the
artefact store only; every $ref resolved against the document it is written in (RFC 3986 §5)."""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from typing import Any, Iterator
from urllib.parse import urldefrag, urljoin

from ldt_conform import tool_ids
from ldt_conform.checks.api import ogc_common as oc
from ldt_conform.checks.api.probe import Broken, Issue, Probe
from ldt_conform.fetch import host_key

MAX_OWN_DOCUMENTS = 50  # documents of the API's own host one description may pull in by $ref (GETs it makes)
ACCEPT = "application/vnd.oai.openapi+json, application/json, application/yaml;q=0.9"


def description(probe: Probe) -> tuple[Any, dict[str, Any]]:
    """The OpenAPI document: the URL given with --api openapi=URL, or the OGC API's service-desc link."""
    url = probe.state.get("description-url")
    if url is None:
        return oc.api_definition(probe)

    def fetch() -> tuple[Any, dict[str, Any]]:
        response = probe.get(url, accept=ACCEPT)
        return response, oc.parse_definition(probe, response)
    return probe.memo("openapi-description", fetch)


@dataclass
class Documents:
    """What the description's $refs lead to, each document by its absolute URL (without fragment)."""

    base: str  # the description's own URL: its relative $refs resolve against it (RFC 3986 §5)
    document: Any  # the description itself
    found: dict[str, Any] = field(default_factory=dict)
    # Upstream documents neither pinned nor cached (LC-004 notes): not verifiable here.
    missing: list[Issue] = field(default_factory=list)
    # The API's own documents that could not be read: OAS-004's failures.
    broken: list[Issue] = field(default_factory=list)
    # The API's own documents past MAX_OWN_DOCUMENTS: not fetched, so not verified.
    unfetched: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not (self.missing or self.broken or self.unfetched)

    @functools.cached_property
    def held(self) -> dict[str, Any]:
        """Every document read, the description first (asked only once the load is over)."""
        return {document_url(self.base): self.document, **self.found}

    def upstream(self, url: str) -> bool:
        """A document of another host (e.g. OGC's building blocks): its defects are not the API's to fix."""
        return host_key(url) != host_key(self.base)


def documents(probe: Probe) -> Documents:
    """Every document the description references, directly or through another: the API's own (relative $refs, or its
    own host) fetched from the API, upstream ones from the artefact store only (never fetched unpinned)."""
    def load() -> Documents:
        response, document = description(probe)
        docs = Documents(base=response.url, document=document)
        seen = {document_url(response.url)}
        queue = _linked(document, response.url)
        own = 0
        while queue:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            if not url.startswith(("http://", "https://")):
                docs.missing.append(Issue(probe.focus(response.url), url, "not verifiable: only http(s) documents "
                                          "are followed", tool_rule=tool_ids.OFFLINE))
                continue
            if not docs.upstream(url):
                own += 1
                if own > MAX_OWN_DOCUMENTS:
                    docs.unfetched.append(url)
                    continue
                parsed = _fetch_own(probe, url, docs)
            else:
                parsed = artefact(probe, url)
                if parsed is None:
                    docs.missing.append(Issue(probe.focus(response.url), url, "not verifiable offline: pin this file "
                                              "in the profile's [artefacts] or seed the artefact store",
                                              tool_rule=tool_ids.OFFLINE))
                    continue
            if parsed is not None:
                docs.found[url] = parsed
                queue += _linked(parsed, url)
        return docs
    return probe.memo("openapi-remote", load)


def _fetch_own(probe: Probe, url: str, docs: Documents) -> Any:
    """One of the API's own referenced documents, read from the API; a failure to read it is OAS-004's finding."""
    try:
        answer = probe.get(url, accept=ACCEPT)
    except Broken as exc:
        docs.broken.append(exc.issue)
        return None
    if answer.status != 200:
        docs.broken.append(Issue(probe.focus(answer.url), f"HTTP {answer.status}",
                                 "a document the description references by $ref must be retrievable"))
        return None
    try:
        parsed = parse(answer.body)
    except ValueError as exc:  # UnicodeDecodeError is one too
        reason = str(exc).splitlines()[0][:80]
        docs.broken.append(Issue(probe.focus(answer.url), answer.content_type or "no content type",
                                 f"a document referenced by $ref must be JSON or YAML ({reason})"))
        return None
    if not isinstance(parsed, (dict, list)):
        docs.broken.append(Issue(probe.focus(answer.url), type(parsed).__name__,
                                 "a document referenced by $ref must be a JSON or YAML object"))
        return None
    return parsed


def artefact(probe: Probe, url: str) -> Any:
    """An upstream document from the artefact store, parsed once per probe (the OGC schema checks read the same
    building blocks); None when it is not there."""
    def load() -> Any:
        data = probe.artefacts.get(url) if probe.artefacts is not None else None
        return None if data is None else parse(data)
    return probe.memo(f"artefact:{url}", load)


# Reference Objects followed in a row before giving up (a $ref cycle, or a chain no description needs).
MAX_REF_HOPS = 10


def document_url(url: str) -> str:
    return urldefrag(url)[0]


def _linked(document: Any, url: str) -> list[str]:
    """The other documents one document's $refs name, as absolute URLs, in a stable order."""
    own = document_url(url)
    return sorted({target for ref in refs(document) if (target := document_url(urljoin(url, ref))) != own})


def follow(node: Any, url: str, docs: Documents) -> tuple[dict[str, Any] | None, str]:
    """A node with its Reference Objects followed through the documents read, and the document it is in (None when
    it is not an object or a $ref points at nothing); LookupError with the absolute $ref that leads to a document not
    read."""
    held = docs.held
    for _ in range(MAX_REF_HOPS):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            return (node if isinstance(node, dict) else None), url
        ref = urljoin(url, node["$ref"])
        target, _, pointer = ref.partition("#")
        if target not in held:
            raise LookupError(ref)
        node, url = resolve(held[target], pointer), target
    return None, url


def refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def resolve(document: Any, pointer: str) -> Any:
    node = document
    for part in [p for p in pointer.split("/") if p]:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def parse(data: bytes) -> Any:
    """JSON, else YAML; ValueError when it is neither."""
    try:
        return json.loads(data)
    except ValueError:
        import yaml

        try:
            return yaml.safe_load(data)
        except yaml.YAMLError as exc:
            raise ValueError(str(exc)) from None



def named(items: list[str]) -> str:
    return ", ".join(items[:3]) + (f" and {len(items) - 3} more" if len(items) > 3 else "")
