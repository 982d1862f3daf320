"""The one HTTP gateway: timeouts, bounded redirects, size caps, a User-Agent, and errors that name the URL."""
from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping
from urllib.parse import urljoin, urlsplit

from ldt_conform import __version__, redact
from ldt_conform.errors import FetchError

if TYPE_CHECKING:
    import requests

USER_AGENT = f"ldt-conform/{__version__} (+https://w3id.org/ldt-conform)"
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
MAX_REDIRECTS = 5
RDF_ACCEPT = ("text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.9, application/n-triples;q=0.8, "
              "application/n-quads;q=0.7, application/trig;q=0.7, */*;q=0.1")


@dataclass(frozen=True)
class Response:
    """What a fetch returned, already read (bounded by the size cap)."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    elapsed_s: float
    redirects: tuple[str, ...] = ()
    http_version: str = ""

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass
class Fetcher:
    """A requests.Session with the project's safety policy; share one per run so connections are reused."""

    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    verify_tls: bool = True
    follow_redirects_any_host: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    # A total time budget for the whole run (live API probes): no request may start or wait past it.
    budget_s: float | None = None
    # When set, the user's `headers` (credentials) go only to these hosts ("host:port"), never to anything else.
    header_hosts: frozenset[str] | None = None
    pool_size: int = 16
    # Credentials that reach requests some other way (per-endpoint auth of the twin manifest): redacted like headers.
    extra_secrets: list[str] = field(default_factory=list)
    # Fetches a URL found inside the data asked for (remote JSON-LD contexts): no hop may reach a loopback, private,
    # link-local or reserved address, so a document cannot make the tool probe the machine's own network.
    public_only: bool = False
    _deadline: float | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    # Hosts that hung on a reused keep-alive connection and answered on a fresh one: they get fresh connections
    # from then on, and the URL that showed it is kept so the report can name the server behaviour.
    keepalive_hangs: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _session: requests.Session | None = field(default=None, init=False, repr=False)
    _session_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        redact.register(*self.headers.values(), *self.extra_secrets)
        if not self.verify_tls:
            # --insecure is recorded once, in the report; urllib3's per-request warning would only flood stderr.
            import urllib3

            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)

    @property
    def session(self) -> requests.Session:
        """The run's requests session, made on the first request: requests, urllib3 and certifi take about 60 ms to
        import, which a run that fetches nothing (offline, or every artefact cached) does not pay."""
        if self._session is None:
            with self._session_lock:
                if self._session is None:
                    from ldt_conform import fetch_transport

                    # Concurrent probes share one pool per host, so connections are reused instead of reopened.
                    self._session = fetch_transport.session(USER_AGENT, MAX_REDIRECTS, self.pool_size)
        return self._session

    def start_budget(self, seconds: float) -> None:
        """Start (or restart) the total time budget; later requests fail fast once it is spent."""
        with self._lock:
            self.budget_s = seconds
            self._deadline = time.monotonic() + seconds

    def remaining(self) -> float | None:
        if self._deadline is None:
            return None
        return self._deadline - time.monotonic()

    def secrets(self) -> list[str]:
        """Header values that must never appear in a report, log or error message."""
        return [v for v in (*self.headers.values(), *self.extra_secrets) if len(v) >= 4]

    def redact(self, text: str) -> str:
        text = redact.text(text)
        for secret in sorted(self.secrets(), key=len, reverse=True):
            text = text.replace(secret, "***")
            # A bearer token also leaks on its own, without its "Bearer " scheme word.
            scheme, _, token = secret.partition(" ")
            if token and len(token) >= 4 and scheme.lower() in ("bearer", "basic", "token", "apikey"):
                text = text.replace(token, "***")
        return text

    def _user_headers_for(self, url: str) -> dict[str, str]:
        if self.header_hosts is not None and _host(url) not in self.header_hosts:
            return {}
        return dict(self.headers)

    def get(self, url: str, *, accept: str | None = None, headers: Mapping[str, str] | None = None,
            method: str = "GET", body: bytes | None = None, raise_for_status: bool = True) -> Response:
        """Fetch a URL following redirects by hand, so the same-host policy and the hop limit are ours to enforce."""
        check_url(url)
        redact.register_url(url)
        redact.register(*self.extra_secrets)
        # The session (and with it the import of requests, tenths of a second on a busy machine) is made before the
        # clock and the first watchdog start: a request's timeout and elapsed time are the server's alone.
        _ = self.session
        extra = dict(headers or {})
        if accept:
            extra["Accept"] = accept
        started = time.monotonic()
        hops: list[str] = []
        current = url
        while True:
            if self.public_only:
                check_public(current)
            # Credentials follow the policy per hop: a redirect to another host never carries them.
            send_headers = {**self._user_headers_for(current), **extra} if _host(current) == _host(url) else (
                {k: v for k, v in extra.items() if k.lower() in ("accept", "content-type")})
            # One watchdog per hop covers the headers and the body: a server that trickles either is cut at the
            # timeout (or the budget), which the per-read socket timeout alone never does.
            watch = _Watch(self._request_timeout(current))
            try:
                response = self._send(method, current, send_headers, body, watch)
            except BaseException:
                watch.cancel()
                raise
            if response.is_redirect or (response.status_code in (301, 302, 303, 307, 308)
                                        and "location" in response.headers):
                location = urljoin(current, response.headers["location"])
                watch.cancel()
                response.close()
                if len(hops) >= MAX_REDIRECTS:
                    raise FetchError(url, f"too many redirects (more than {MAX_REDIRECTS}; loop via {location})")
                if not self.follow_redirects_any_host and _host(location) != _host(url):
                    raise FetchError(url, f"redirects to another host ({_host(location)}); "
                                          "use --follow-redirects-any to allow it", location=location)
                hops.append(location)
                current = location
                if response.status_code == 303:
                    method, body = "GET", None
                continue
            data = self._read_capped(response, current, watch)
            version = {10: "1.0", 11: "1.1", 20: "2"}.get(getattr(response.raw, "version", 0) or 0, "")
            result = Response(current, response.status_code, {k.lower(): v for k, v in response.headers.items()},
                              data, time.monotonic() - started, tuple(hops), version)
            if raise_for_status and result.status >= 400:
                raise FetchError(url, f"HTTP {result.status} {response.reason or ''}".rstrip())
            return result

    def _request_timeout(self, url: str) -> float:
        left = self.remaining()
        if left is None:
            return self.timeout
        if left <= 0:
            raise FetchError(url, f"not requested: the total time budget of {self.budget_s:g} s is spent")
        return max(0.05, min(self.timeout, left))

    def _send(self, method: str, url: str, headers: Mapping[str, str], body: bytes | None,
              watch: _Watch) -> requests.Response:
        if _host(url) in self.keepalive_hangs:
            return self._send_once(method, url, headers, body, watch, fresh=True)
        try:
            return self._send_once(method, url, headers, body, watch)
        except FetchError as exc:
            if method != "GET" or not exc.message.startswith("no response within"):
                raise
        # Some servers (e.g. a Flask development server) hang on a reused keep-alive connection: one retry on a
        # fresh connection tells that apart from a server that is simply too slow. It gets a watchdog of its own.
        watch.restart(self._request_timeout(url))
        try:
            response = self._send_once(method, url, headers, body, watch, fresh=True)
        except FetchError as exc:
            if exc.message.startswith("no response within"):
                raise FetchError(url, f"{exc.message}, also on a fresh connection") from None
            raise
        with self._lock:
            self.keepalive_hangs.setdefault(_host(url), url)
        return response

    def _send_once(self, method: str, url: str, headers: Mapping[str, str], body: bytes | None,
                   watch: _Watch | None = None, fresh: bool = False) -> requests.Response:
        import requests

        from ldt_conform import fetch_transport

        timeout = watch.limit if watch else self._request_timeout(url)
        session = self.session
        if fresh:
            session = fetch_transport.fresh_session(session)
            headers = {**headers, "Connection": "close"}
        current = fetch_transport.current
        current.watch = watch
        try:
            response = session.request(method, url, headers=dict(headers), data=body, timeout=timeout,
                                       allow_redirects=False, stream=True, verify=self.verify_tls)
        except requests.exceptions.RequestException as exc:
            if watch is not None and watch.expired.is_set():
                # Same words as a plain read timeout: to the user both are "no response in time".
                raise FetchError(url, f"no response within {timeout:g} s (timeout)") from None
            raise self._failure(url, exc, timeout) from None
        finally:
            current.watch = None
        if watch is not None and watch.expired.is_set():
            # Cut while the headers trickled in: http.client may take the cut for the end of the headers.
            response.close()
            raise FetchError(url, f"no response within {timeout:g} s (timeout)")
        return response

    def _failure(self, url: str, exc: Exception, timeout: float) -> FetchError:
        """The one line a failed request becomes (credentials redacted)."""
        import requests

        if isinstance(exc, requests.exceptions.SSLError):
            return FetchError(url, f"TLS failure: {self.redact(_short(exc))}")
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return FetchError(url, f"connection timed out after {timeout:g} s")
        if isinstance(exc, requests.exceptions.ReadTimeout):
            return FetchError(url, f"no response within {timeout:g} s (timeout)")
        if isinstance(exc, requests.exceptions.ConnectionError):
            text = str(exc)
            if "Name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text:
                return FetchError(url, "host not found (DNS lookup failed)")
            if "refused" in text.lower():
                return FetchError(url, "connection refused")
            return FetchError(url, f"cannot connect: {self.redact(_short(exc))}")
        return FetchError(url, f"request failed: {self.redact(_short(exc))}")

    def _read_capped(self, response: requests.Response, url: str, watch: _Watch | None = None) -> bytes:
        """Read at most max_bytes; a larger body is an error, and we never hold more than the cap in memory."""
        import requests

        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            response.close()
            raise FetchError(url, f"response is {int(declared):,} bytes, over the {self.max_bytes:,}-byte cap")
        chunks: list[bytes] = []
        total = 0
        if watch is None:
            limit = self.timeout
            left = self.remaining()
            if left is not None:
                limit = min(limit, max(left, 0.0))
            watch = _Watch(limit)
        limit = watch.limit
        # A body that trickles in never trips the per-read timeout: the watchdog cuts the connection at the deadline.
        watch.add_response(response)
        expired = watch.expired
        try:
            for chunk in response.iter_content(64 * 1024):
                total += len(chunk)
                if total > self.max_bytes:
                    raise FetchError(url, f"response body exceeds the {self.max_bytes:,}-byte cap")
                chunks.append(chunk)
            if expired.is_set():
                raise FetchError(url, f"response body still arriving after {limit:g} s (timeout)")
        except (requests.exceptions.RequestException, OSError, ValueError, AttributeError) as exc:
            if expired.is_set():
                raise FetchError(url, f"response body still arriving after {limit:g} s (timeout)") from None
            raise FetchError(url, f"connection broke while reading: {self.redact(_short(exc))}") from None
        finally:
            watch.cancel()
            response.close()
        return b"".join(chunks)


class _Watch:
    """A deadline for one request (headers and body). At the deadline it shuts the sockets down from its thread;
    shutdown() never blocks, unlike close(), which waits for the reading thread's lock."""

    def __init__(self, limit: float) -> None:
        self.limit = limit
        self.expired = threading.Event()
        self._socks: list[socket.socket] = []
        self._timer = threading.Timer(limit, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def add_socket(self, sock: socket.socket | None) -> None:
        if sock is not None:
            self._socks.append(sock)
            if self.expired.is_set():
                self._fire()

    def add_response(self, response: requests.Response) -> None:
        connection = getattr(response.raw, "_connection", None)
        self.add_socket(getattr(connection, "sock", None))

    def _fire(self) -> None:
        self.expired.set()
        for sock in list(self._socks):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cancel(self) -> None:
        self._timer.cancel()

    def restart(self, limit: float) -> None:
        """A new deadline for a retry: the cut sockets of the first attempt are forgotten."""
        self._timer.cancel()
        self.limit = limit
        self.expired = threading.Event()
        self._socks = []
        self._timer = threading.Timer(limit, self._fire)
        self._timer.daemon = True
        self._timer.start()


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FetchError(url, "not an http(s) URL")


def check_public(url: str) -> None:
    """Refuse a URL whose host resolves to a loopback, private, link-local, multicast or reserved address."""
    import ipaddress

    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise FetchError(url, "host not found (DNS lookup failed)") from None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not address.is_global:
            raise FetchError(url, f"refused: {host} resolves to the non-public address {address}")


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]


def host_key(url: str) -> str:
    """"host:port" of a URL: the unit of the same-host redirect policy and of where credentials may go."""
    return _host(url)


# ---------------------------------------------------------------------------------------------------------------------
# TLS inspection for the MIM6 transport checks. It needs a raw ssl socket (requests hides the handshake), and this is
# the one module allowed to open network connections, so it lives here.

LEGACY_TLS = ("TLSv1", "TLSv1.1")


@dataclass(frozen=True)
class TlsInfo:
    """What a TLS endpoint negotiates and accepts, and whether its certificate is valid for the host."""

    host: str
    port: int
    version: str | None = None
    cipher: str | None = None
    tls13: bool = False
    legacy_accepted: tuple[str, ...] = ()
    # The legacy versions this machine's OpenSSL could not offer (all of them until the probe has run).
    legacy_untested: tuple[str, ...] = LEGACY_TLS
    cert_valid: bool = False
    cert_error: str | None = None
    not_after: str | None = None
    error: str | None = None

    @property
    def legacy_tested(self) -> bool:
        """Every legacy version was offered, so each one's refusal (or acceptance) is known."""
        return not self.legacy_untested


def _ca_file() -> str | None:
    """The trust store requests uses (REQUESTS_CA_BUNDLE / SSL_CERT_FILE / certifi), so both agree on validity."""
    import os

    for name in ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"):
        if os.environ.get(name):
            return os.environ[name]
    try:
        import certifi

        return str(certifi.where())
    except ImportError:
        return None


def _handshake(host: str, port: int, timeout: float, *, verify: bool, version: str | None = None,
               cafile: str | None = None) -> tuple[str | None, str | None, dict[str, Any] | None]:
    import socket
    import ssl
    import warnings

    context = ssl.create_default_context(cafile=cafile) if verify else ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if version is not None:
        with warnings.catch_warnings():
            # Offering TLS 1.0/1.1 is the point: we test whether the server still accepts them.
            warnings.simplefilter("ignore", DeprecationWarning)
            tls_version = {"TLSv1": ssl.TLSVersion.TLSv1, "TLSv1.1": ssl.TLSVersion.TLSv1_1,
                           "TLSv1.2": ssl.TLSVersion.TLSv1_2, "TLSv1.3": ssl.TLSVersion.TLSv1_3}[version]
            context.minimum_version = tls_version
            context.maximum_version = tls_version
        if version in LEGACY_TLS:
            context.set_ciphers("ALL:@SECLEVEL=0")
    with socket.create_connection((host, port), timeout=timeout) as raw, \
            context.wrap_socket(raw, server_hostname=host) as tls:
        cipher = tls.cipher()
        return tls.version(), cipher[0] if cipher else None, tls.getpeercert() if verify else None


def tls_probe(host: str, port: int = 443, timeout: float = DEFAULT_TIMEOUT, cafile: str | None = None) -> TlsInfo:
    """Handshake a few times: verified (certificate and host name), TLS 1.3 only, and TLS 1.0/1.1 only."""
    import ssl

    cafile = cafile or _ca_file()
    version = cipher = not_after = cert_error = None
    cert_valid = False
    try:
        version, cipher, cert = _handshake(host, port, timeout, verify=True, cafile=cafile)
        cert_valid = True
        not_after = str((cert or {}).get("notAfter") or "") or None
    except ssl.SSLCertVerificationError as exc:
        cert_error = exc.verify_message or _short(exc)
    except (ssl.SSLError, OSError) as exc:
        # Not a certificate problem: maybe the protocol versions do not overlap; the unverified handshake tells.
        cert_error = f"handshake failed: {_short(exc)}"
    if not cert_valid:
        try:
            version, cipher, _ = _handshake(host, port, timeout, verify=False)
        except (ssl.SSLError, OSError) as exc:
            accepted, untested = _legacy(host, port, timeout)
            if not accepted:
                return TlsInfo(host, port, cert_error=cert_error, error=f"no TLS handshake: {_short(exc)}",
                               legacy_untested=untested)
            return TlsInfo(host, port, version=accepted[-1], legacy_accepted=accepted, legacy_untested=untested,
                           cert_error=cert_error)
    try:
        tls13 = _handshake(host, port, timeout, verify=False, version="TLSv1.3")[0] == "TLSv1.3"
    except (ssl.SSLError, OSError, ValueError):
        tls13 = False
    accepted, untested = _legacy(host, port, timeout)
    return TlsInfo(host, port, version, cipher, tls13, accepted, untested, cert_valid, cert_error, not_after)


def _legacy(host: str, port: int, timeout: float) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Which of TLS 1.0/1.1 the server accepts, and which this machine's OpenSSL could not even offer (of those,
    nothing was learnt: a refusal is only known for a version that was offered)."""
    import ssl

    accepted: list[str] = []
    untested: list[str] = []
    for version in LEGACY_TLS:
        try:
            if _handshake(host, port, timeout, verify=False, version=version)[0] == version:
                accepted.append(version)
        except ssl.SSLError as exc:
            # NO_PROTOCOLS_AVAILABLE / NO_CIPHERS: the client side could not offer it.
            if "NO_PROTOCOLS" in str(exc) or "NO_CIPHER" in str(exc):
                untested.append(version)
        except ValueError:
            untested.append(version)  # this Python cannot even set the version
        except OSError:
            continue  # the server closed or reset the connection: it refused the version
    return tuple(accepted), tuple(untested)
