"""One probe of one live API: cached concurrent GETs through the shared Fetcher, requests named as findings' focus."""
from __future__ import annotations

import json
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Callable, Mapping, TypeVar
from urllib.parse import quote, urlencode, urljoin, urlsplit

from ldt_conform.checks.api.notify import NotifySettings
from ldt_conform.errors import FetchError
from ldt_conform.fetch import Fetcher, Response, host_key
from ldt_conform.model import Why

T = TypeVar("T")


@dataclass(frozen=True)
class Issue:
    """One thing wrong, at one request: what was asked (focus), what came back (value), and a plain-words note."""

    focus: str
    value: str | None = None
    note: str = ""
    # A tool finding (e.g. LC-004 "not verifiable offline") noted while testing: shown, but not a failure.
    tool_rule: str | None = None
    # Shown at info severity and not a failure: e.g. a defect inside an upstream document the API only references.
    info: bool = False
    # The collection (or other resource) the problem belongs to: a failure scoped to one collection does not stop
    # the rules that depend on this one from testing the other collections.
    scope: str | None = None


def and_more(count: int) -> str:
    """The suffix of a finding that names the first of ``count`` offenders: " and N more" for the others."""
    return f" and {count - 1} more" if count > 1 else ""


class Skip(Exception):
    """The test cannot apply here (nothing to test on, class not declared): not verified, with `why` and the reason."""

    def __init__(self, reason: str, why: Why = Why.NOT_APPLICABLE, issues: list[Issue] | None = None) -> None:
        super().__init__(reason)
        self.why = why
        # Info-level notes that explain the skip (e.g. which cap stopped a walk of next links).
        self.issues = list(issues or [])


class Broken(Exception):
    """A request the test needs failed: the rule fails with this issue (and dependants skip)."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.note or issue.value or issue.focus)
        self.issue = issue


class Probe:
    """Everything a family's tests share for one target: its base URL, the fetcher, and a per-run response cache."""

    def __init__(self, base: str, fetcher: Fetcher, *, kind: str, allow_writes: bool = False) -> None:
        base, self.root, self.base_params = split_base(base)
        self.base = base.rstrip("/")
        self.fetcher = fetcher
        self.kind = kind
        self.allow_writes = allow_writes
        self._lock = threading.Lock()
        self._responses: dict[tuple[str, str, tuple[tuple[str, str], ...]], Future[Response]] = {}
        self._memo: dict[str, Future[Any]] = {}
        self.requests = 0
        self.artefacts: Any = None
        self.lang = "en"
        # Headers of this endpoint alone (credentials declared per API in the twin manifest).
        self.headers: dict[str, str] = {}
        # --debug: one line per request (method, URL, status, time); never headers, never bodies.
        self.log: Callable[[str], None] = lambda message: None
        # Where NGSI-LD notifications are received, and how long a probe waits for one (--notify-*).
        self.notify = NotifySettings()
        # Family-specific state that outlives one test (e.g. NGSI-LD probe entities still to delete).
        self.state: dict[str, Any] = {}
        # Per test thread: the resources (collection ids) whose prerequisite failed, so the test leaves them out.
        self._local = threading.local()

    @property
    def excluded(self) -> dict[str, str]:
        """Resource id → the prerequisite rule that failed on it, for the test running on this thread."""
        return getattr(self._local, "excluded", {})

    @excluded.setter
    def excluded(self, value: dict[str, str]) -> None:
        self._local.excluded = value

    @property
    def untested(self) -> list[str]:
        """What the test on this thread could not test (e.g. an empty collection), said in the result's reason."""
        if not hasattr(self._local, "untested"):
            self._local.untested = []
        return self._local.untested  # type: ignore[no-any-return]

    @untested.setter
    def untested(self, value: list[str]) -> None:
        self._local.untested = value

    # -- addressing -------------------------------------------------------------------------------------------
    def url(self, path: str, params: Mapping[str, Any] | None = None) -> str:
        if "://" not in path:
            if path in ("/", "") and self.root:
                path = self.root
            # The query the user gave with the base URL (e.g. ?f=json or an API key) goes with every request.
            params = {**{k: v for k, v in self.base_params.items() if not (params and k in params)},
                      **(params or {})}
        url = path if "://" in path else self.base + ("" if path.startswith("/") or not path else "/") + path
        if params:
            # "$", "," ":" and "/" stay readable (STA $top, bbox lists, datetime intervals); spaces become %20.
            url += ("&" if "?" in url else "?") + urlencode(dict(params), safe="$,:/", quote_via=quote)
        return url

    def focus(self, url: str, method: str = "GET") -> str:
        """`GET /collections/roads/items?limit=2`: the request relative to the API root, as findings show it."""
        parts = urlsplit(url)
        root = urlsplit(self.base)
        path = parts.path
        if host_key(url) == host_key(self.base) and path.startswith(root.path.rstrip("/")):
            path = path[len(root.path.rstrip("/")):] or "/"
        elif host_key(url) != host_key(self.base):
            path = url.split("?", 1)[0]
        return f"{method} {path}{'?' + parts.query if parts.query else ''}"

    def same_host(self, url: str) -> bool:
        return host_key(url) == host_key(self.base)

    def resolve(self, href: str, against: str) -> str:
        return urljoin(against, href)

    # -- requests ---------------------------------------------------------------------------------------------
    def get(self, path: str, *, accept: str | None = None, params: Mapping[str, Any] | None = None,
            headers: Mapping[str, str] | None = None) -> Response:
        """A cached GET (one request per URL, Accept and headers, even when tests ask concurrently)."""
        url = self.url(path, params)
        headers = {**self.headers, **(headers or {})}
        if not self.same_host(url):
            # A probe never sends anything to a host other than the one the user named.
            raise Broken(Issue(self.focus(url), url, "the API links to another host; ldt-conform does not follow it"))
        key = (url, accept or "", tuple(sorted((headers or {}).items())))

        def fetch() -> Response:
            with self._lock:
                self.requests += 1
            try:
                answer = self.fetcher.get(url, accept=accept, headers=headers, raise_for_status=False)
            except FetchError as exc:
                self.log(f"api: GET {url} -> {self.fetcher.redact(exc.message)}")
                raise
            self.log(f"api: GET {url} -> {answer.status} {answer.content_type} ({answer.elapsed_s:.2f} s)")
            return answer

        try:
            return self._once(self._responses, key, fetch)
        except FetchError as exc:
            raise Broken(Issue(self.focus(url), self.fetcher.redact(exc.message), "the request failed")) from None

    def send(self, method: str, path: str, *, body: Any = None, content_type: str = "application/json",
             accept: str | None = None, headers: Mapping[str, str] | None = None) -> Response:
        """An uncached request (writes, or reads that must see fresh state)."""
        url = self.url(path)
        if not self.same_host(url):
            raise Broken(Issue(self.focus(url, method), url, "refusing to send a request to another host"))
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        sent = {**self.headers, **(headers or {})}
        if data is not None:
            sent.setdefault("Content-Type", content_type)
        try:
            with self._lock:
                self.requests += 1
            answer = self.fetcher.get(url, accept=accept, headers=sent, method=method, body=data,
                                      raise_for_status=False)
            self.log(f"api: {method} {url} -> {answer.status} ({answer.elapsed_s:.2f} s)")
            return answer
        except FetchError as exc:
            raise Broken(Issue(self.focus(url, method), self.fetcher.redact(exc.message),
                               "the request failed")) from None

    def json(self, path: str, *, accept: str | None = "application/json", params: Mapping[str, Any] | None = None,
             expect: tuple[int, ...] = (200,), headers: Mapping[str, str] | None = None) -> tuple[Response, Any]:
        """GET and parse JSON; a wrong status, an HTML page or invalid JSON is a Broken issue naming the request."""
        response = self.get(path, accept=accept, params=params, headers=headers)
        return response, self.parse(response, expect=expect)

    def parse(self, response: Response, *, expect: tuple[int, ...] = (200,), method: str = "GET") -> Any:
        focus = self.focus(response.url, method)
        if response.status not in expect:
            raise Broken(Issue(focus, f"HTTP {response.status}", status_note(response.status, expect)))
        if response.content_type == "text/html" or response.body.lstrip()[:1] == b"<":
            raise Broken(Issue(focus, response.content_type or "no content type",
                               "got an HTML page where JSON was expected (a login page or a proxy error?)"))
        try:
            return json.loads(response.body.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise Broken(Issue(focus, f"{response.content_type or 'no content type'}, {len(response.body)} bytes",
                               f"the response is not valid JSON ({str(exc)[:80]})")) from None

    # -- shared derived state -----------------------------------------------------------------------------------
    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """Compute a shared value once (the conformance list, the collections); errors are re-raised to every caller."""
        return self._once(self._memo, key, compute)

    def _once(self, table: dict[Any, Future[Any]], key: Any, compute: Callable[[], T]) -> T:
        """Single flight: the first caller computes, concurrent and later callers get its result or its error."""
        with self._lock:
            future = table.get(key)
            owner = future is None
            if owner:
                future = Future()
                table[key] = future
        assert future is not None
        if owner:
            try:
                future.set_result(compute())
            except BaseException as exc:  # noqa: BLE001 - handed to every waiter, including Skip and Broken
                future.set_exception(exc)
        return future.result()  # type: ignore[no-any-return]


def split_base(url: str) -> tuple[str, str, dict[str, str]]:
    """A base URL as given → (API root, landing path, query): `http://h/api/?f=json` → (`http://h/api`, "",
    {"f": "json"}); a base that names a file, `http://h/api/index.json` → (`http://h/api`, "/index.json", {})."""
    from urllib.parse import parse_qsl

    parts = urlsplit(url)
    path = parts.path
    root = ""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if not path.endswith("/") and "." in last and last.rsplit(".", 1)[-1].isalpha():
        path, root = path[: -len(last)], "/" + last
    base = f"{parts.scheme}://{parts.netloc}{path}".rstrip("/")
    return base, root, dict(parse_qsl(parts.query, keep_blank_values=True))


def status_note(status: int, expect: tuple[int, ...]) -> str:
    wanted = " or ".join(str(s) for s in expect)
    if status in (401, 403):
        return (f"HTTP {status}: the API needs credentials; pass them with --header 'Authorization=env:VAR' "
                f"(expected {wanted})")
    if status >= 500:
        return f"HTTP {status}: the server failed (expected {wanted})"
    return f"expected HTTP {wanted}, got {status}"


def links_of(document: Any) -> list[dict[str, Any]]:
    links = document.get("links") if isinstance(document, dict) else None
    return [link for link in links if isinstance(link, dict)] if isinstance(links, list) else []


def find_link(document: Any, *rels: str) -> dict[str, Any] | None:
    for link in links_of(document):
        if link.get("rel") in rels and isinstance(link.get("href"), str):
            return link
    return None


def media_type(value: str | None) -> str:
    return (value or "").split(";")[0].strip().lower()
