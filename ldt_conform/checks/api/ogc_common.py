"""What OGC API Features and Records share (OGC API Common): landing page, conformance, collections, links, paging."""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterator

from ldt_conform.checks.api.probe import Broken, Issue, Probe, Skip, find_link, links_of, media_type
from ldt_conform.model import Why

JSON = "application/json"
GEOJSON = "application/geo+json"
OPENAPI_JSON = "application/vnd.oai.openapi+json;version=3.0"
ITEMS_ACCEPT = "application/geo+json, application/json;q=0.9"
# Enough items to judge a collection; a twin's 10-million-feature layer must not be crawled.
MAX_COLLECTIONS = 3
MAX_PAGES = 5
# A walk of next links stops at whichever cap comes first: pages, features, or bytes read.
MAX_FEATURES = 1000
MAX_WALK_BYTES = 32 << 20
# Problems reported per collection and rule; the rest are counted in one more issue.
MAX_PROBLEMS = 10


def landing(probe: Probe) -> tuple[Any, dict[str, Any]]:
    """GET / as JSON; Broken names the request when it is unreachable, HTML, or not an object."""
    def fetch() -> tuple[Any, dict[str, Any]]:
        response, document = probe.json("/", accept=JSON)
        if not isinstance(document, dict):
            raise Broken(Issue(probe.focus(response.url), type(document).__name__,
                               "the landing page must be a JSON object"))
        return response, document
    return probe.memo("landing", fetch)


def link_href(probe: Probe, document: dict[str, Any], against: str, *rels: str) -> str | None:
    link = find_link(document, *rels)
    return probe.resolve(str(link["href"]), against) if link else None


def conformance_url(probe: Probe) -> str:
    response, document = landing(probe)
    return link_href(probe, document, response.url, "conformance",
                     "http://www.opengis.net/def/rel/ogc/1.0/conformance") or probe.url("/conformance")


def conformance(probe: Probe) -> tuple[Any, list[str]]:
    """The conformance declaration: (response, conformsTo list); Broken when missing or malformed."""
    def fetch() -> tuple[Any, list[str]]:
        response, document = probe.json(conformance_url(probe), accept=JSON)
        classes = document.get("conformsTo") if isinstance(document, dict) else None
        if not isinstance(classes, list) or not all(isinstance(c, str) for c in classes):
            raise Broken(Issue(probe.focus(response.url), "conformsTo missing",
                               "the conformance declaration must have a conformsTo array of URIs"))
        return response, classes
    return probe.memo("conformance", fetch)


def conformance_of(probe: Probe, landing_doc: dict[str, Any]) -> list[str]:
    """For kind detection: the declared classes, or [] when they can't be read (detection then tries other signs)."""
    try:
        return conformance(probe)[1]
    except Broken:
        return []


def collections(probe: Probe) -> tuple[Any, dict[str, Any]]:
    def fetch() -> tuple[Any, dict[str, Any]]:
        response, document = landing(probe)
        url = link_href(probe, document, response.url, "data", "http://www.opengis.net/def/rel/ogc/1.0/data")
        response, listing = probe.json(url or "/collections", accept=JSON)
        if not isinstance(listing, dict) or not isinstance(listing.get("collections"), list):
            raise Broken(Issue(probe.focus(response.url), "collections missing",
                               "the collections resource must be an object with a collections array"))
        return response, listing
    return probe.memo("collections", fetch)


def collection_entries(probe: Probe, *item_types: str) -> list[dict[str, Any]]:
    """The collections of these item types (feature / record), at most MAX_COLLECTIONS, without those whose
    prerequisite failed for this test; Skip when none is left."""
    _, listing = collections(probe)
    entries = [c for c in listing["collections"] if isinstance(c, dict) and isinstance(c.get("id"), str)]
    chosen = [c for c in entries if _item_type(c) in item_types]
    if not chosen and "feature" in item_types:
        chosen = [c for c in entries if _item_type(c) is None]
    if not chosen:
        raise Skip(f"the API offers no {' or '.join(item_types)} collection to test")
    chosen = chosen[:MAX_COLLECTIONS]
    left = [c for c in chosen if c["id"] not in probe.excluded]
    for entry in chosen:
        if entry["id"] in probe.excluded:
            note = f"collection {entry['id']} (prerequisite {probe.excluded[entry['id']]} failed for it)"
            if note not in probe.untested:
                probe.untested.append(note)
    if not left:
        failed = sorted({probe.excluded[c["id"]] for c in chosen})
        raise Skip(f"prerequisite {', '.join(failed)} failed for every collection to test", Why.PREREQUISITE_FAILED)
    return left


def each_collection(probe: Probe, entries: list[dict[str, Any]],
                    check: Callable[[dict[str, Any]], list[Issue]]) -> list[Issue]:
    """Run `check` on every collection apart: a failed request or an empty collection concerns that collection only.

    Issues are scoped to their collection and capped at MAX_PROBLEMS each (with a count of the rest); a collection
    that cannot be tested is named in the result's reason; Skip only when no collection could be tested."""
    issues: list[Issue] = []
    skipped: list[Skip] = []
    for entry in entries:
        mark = len(probe.untested)
        try:
            found = check(entry)
        except Broken as exc:
            found = [exc.issue]
        except Skip as exc:
            skipped.append(exc)
            del probe.untested[mark:]  # a collection not tested at all is named once, with the reason why
            probe.untested.append(f"collection {entry['id']}: {exc}")
            issues += [i if i.scope else replace(i, scope=entry["id"], info=True) for i in exc.issues]
            continue
        found = [i if i.scope else replace(i, scope=entry["id"]) for i in found]
        issues += cap(found)
    if skipped and len(skipped) == len(entries):
        # (the "not tested" notes above are dropped with the Skip: a result that is not verified has its reason)
        raise Skip("; ".join(dict.fromkeys(str(x) for x in skipped)), skipped[0].why, issues)
    return issues


def cap(issues: list[Issue], limit: int = MAX_PROBLEMS) -> list[Issue]:
    """At most `limit` failing issues, and one more that counts those left out."""
    failing = [i for i in issues if i.tool_rule is None and not i.info]
    if len(failing) <= limit:
        return issues
    kept = failing[:limit]
    rest = failing[limit:]
    return [*kept, *[i for i in issues if i not in failing],
            replace(rest[0], value=f"and {len(rest)} more problems", note="")]


def _item_type(collection: dict[str, Any]) -> str | None:
    value = collection.get("itemType")
    return str(value).lower() if isinstance(value, str) else None


def collection_url(probe: Probe, collection: dict[str, Any]) -> str:
    return probe.url(f"/collections/{collection['id']}")


def items_url(probe: Probe, collection: dict[str, Any]) -> str:
    link = find_link(collection, "items")
    if link:
        return probe.resolve(str(link["href"]), probe.url("/collections/"))
    return probe.url(f"/collections/{collection['id']}/items")


def items(probe: Probe, collection: dict[str, Any], **params: Any) -> tuple[Any, dict[str, Any]]:
    """GET …/items (GeoJSON preferred); Broken when it is not a 200 JSON object."""
    url = items_url(probe, collection).split("?")[0]
    response, document = probe.json(url, accept=ITEMS_ACCEPT, params=params or None)
    if not isinstance(document, dict):
        raise Broken(Issue(probe.focus(response.url), type(document).__name__, "expected a JSON object"))
    return response, document


def first_item(probe: Probe, collection: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The first item of a collection and its id; Skip when the collection is empty."""
    _, document = items(probe, collection, limit=1)
    features = document.get("features")
    if not isinstance(features, list) or not features or not isinstance(features[0], dict):
        raise Skip(f"collection {collection['id']} has no item to test")
    item_id = features[0].get("id")
    if item_id is None:
        raise Skip(f"the first item of {collection['id']} has no id")
    return str(item_id), features[0]


@dataclass
class Walk:
    """The pages a walk of `next` links read, and which cap stopped it (None when the last page had no next link)."""

    pages: list[tuple[Any, dict[str, Any]]]
    stopped: str | None = None

    @property
    def features(self) -> list[Any]:
        # A page whose features is not an array holds none (OAFEAT-016 says so): a dict's keys are no features.
        return [f for _, page in self.pages if isinstance(page, dict) and isinstance(page.get("features"), list)
                for f in page["features"]]

    @property
    def shapeless(self) -> Any | None:
        """The response of the first page without a features array, if any: counts over this walk mean nothing."""
        return next((response for response, page in self.pages if not isinstance(page.get("features"), list)), None)


def walk(probe: Probe, url: str, *, params: dict[str, Any] | None = None, max_pages: int = MAX_PAGES) -> Walk:
    """Follow `next` links (same host only), capped by pages, features and bytes: the Walk says which cap stopped it.

    The first page's failure is Broken (it names the request); a later page that fails stops the walk with that
    reason, so the pages read so far are still judged."""
    seen: set[str] = set()
    result = Walk([])
    current: str | None = probe.url(url, params)
    size = count = 0
    while current is not None:
        if current in seen:
            result.stopped = f"the next link of page {len(result.pages)} points back to a page already read"
            return result
        if len(result.pages) >= max_pages:
            result.stopped = f"the walk stopped at the {max_pages}-page cap"
            return result
        if count >= MAX_FEATURES:
            result.stopped = f"the walk stopped at the {MAX_FEATURES}-feature cap"
            return result
        if size >= MAX_WALK_BYTES:
            result.stopped = f"the walk stopped at the {MAX_WALK_BYTES:,}-byte cap"
            return result
        seen.add(current)
        try:
            response, document = probe.json(current, accept=ITEMS_ACCEPT)
        except Broken as exc:
            if not result.pages:
                raise
            result.stopped = f"page {len(result.pages) + 1} failed: {exc.issue.value}"
            return result
        if not isinstance(document, dict):
            if not result.pages:
                raise Broken(Issue(probe.focus(response.url), type(document).__name__, "expected a JSON object"))
            result.stopped = f"page {len(result.pages) + 1} is not a JSON object"
            return result
        result.pages.append((response, document))
        size += len(response.body)
        count += len(document.get("features") or []) if isinstance(document.get("features"), list) else 0
        nxt = find_link(document, "next")
        current = probe.resolve(str(nxt["href"]), response.url) if nxt else None
        if current is not None and not probe.same_host(current):
            result.stopped = "the next link points to another host"
            return result
    return result


def walk_pages(probe: Probe, url: str, *, limit: int) -> Iterator[tuple[Any, dict[str, Any]]]:
    """Follow `next` links (same host only), at most MAX_PAGES pages."""
    yield from walk(probe, url).pages


def check_links(probe: Probe, focus: str, document: Any, required: tuple[str, ...] = ()) -> list[Issue]:
    """Every link has href and rel; the required relations are present."""
    issues = []
    links = links_of(document)
    if not isinstance(document, dict) or not isinstance(document.get("links"), list):
        return [Issue(focus, "links missing", "the response must have a links array")]
    for index, link in enumerate(links):
        if not isinstance(link.get("href"), str) or not isinstance(link.get("rel"), str):
            issues.append(Issue(focus, json.dumps(link)[:120], f"link #{index} needs both href and rel"))
    for rel in required:
        if not find_link(document, rel):
            issues.append(Issue(focus, f"rel={rel} missing", f"add a link with rel \"{rel}\""))
    return issues


def typed_links(probe: Probe, focus: str, document: Any) -> list[Issue]:
    """/req/core/fc-md-links, fc-links, f-links B: every link SHALL include the rel and type parameters."""
    untyped = [link for link in links_of(document) if not link.get("type")]
    return [Issue(focus, f"{len(untyped)} untyped: {str(untyped[0].get('href'))[:100]}",
                  "every link must say its media type (type)")] if untyped else []


def api_definition(probe: Probe) -> tuple[Any, dict[str, Any]]:
    """The OpenAPI document behind the service-desc link, parsed from JSON or YAML."""
    def fetch() -> tuple[Any, dict[str, Any]]:
        response, document = landing(probe)
        url = link_href(probe, document, response.url, "service-desc")
        if url is None:
            # Not a gap: the core class allows an API definition that is only documentation (service-doc); an
            # OpenAPI one is owed only under the OpenAPI 3.0 class, whose rule requires the link (OAFEAT-050).
            raise Skip("the landing page has no service-desc link to an API definition")
        answer = probe.get(url, accept=f"{OPENAPI_JSON}, application/json;q=0.9, application/yaml;q=0.5")
        return answer, parse_definition(probe, answer)
    return probe.memo("api-definition", fetch)


def parse_definition(probe: Probe, response: Any) -> dict[str, Any]:
    focus = probe.focus(response.url)
    if response.status != 200:
        raise Broken(Issue(focus, f"HTTP {response.status}", "the API definition must be retrievable"))
    text = response.body.decode("utf-8", "replace")
    try:
        document = json.loads(text)
    except ValueError:
        import yaml

        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            reason = str(exc).splitlines()[0][:80]
            raise Broken(Issue(focus, media_type(response.headers.get("content-type")),
                               f"the API definition is neither JSON nor YAML ({reason})")) from None
    if not isinstance(document, dict) or not ("openapi" in document or "swagger" in document):
        raise Broken(Issue(focus, "no openapi field", "the API definition must be an OpenAPI document"))
    return document
