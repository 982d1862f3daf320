"""Real local servers for the blueprint tests: an HTTPS endpoint with a test CA (trustme) and a small JSON server.

Both bind 127.0.0.1 on a free port in a daemon thread and are shut down by the fixtures that start them.
"""
from __future__ import annotations

import json
import socket
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

Route = Callable[[BaseHTTPRequestHandler], tuple[int, dict[str, str], bytes]]


@dataclass
class ServerSpec:
    """How a test server behaves: routes by path, headers on every answer, TLS versions and certificate host."""

    routes: dict[str, Route] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    tls: bool = True
    cert_host: str = "localhost"
    min_version: str = "TLSv1.2"
    max_version: str = "TLSv1.3"


class _Handler(BaseHTTPRequestHandler):
    spec: ServerSpec
    seen: list[dict[str, Any]]

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.seen.append({"path": self.path, "headers": dict(self.headers)})
        route = self.spec.routes.get(urlsplit(self.path).path)
        status, headers, body = route(self) if route else (200, {"Content-Type": "application/json"}, b'{"ok": true}')
        self.send_response(status)
        for name, value in {**self.spec.headers, **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        return


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type, context: ssl.SSLContext | None) -> None:
        super().__init__(address, handler)
        self.context = context

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = super().get_request()
        if self.context is None:
            return sock, address
        sock.settimeout(5)
        try:
            # A failed handshake (the client offered a refused TLS version) must not kill the server.
            return self.context.wrap_socket(sock, server_side=True), address
        except (ssl.SSLError, OSError):
            sock.close()
            raise


class RunningServer:
    def __init__(self, spec: ServerSpec, ca: Any = None) -> None:
        context = None
        if spec.tls:
            import warnings

            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ca.issue_cert(spec.cert_host).configure_cert(context)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                context.minimum_version = getattr(ssl.TLSVersion, spec.min_version.replace(".", "_"))
                context.maximum_version = getattr(ssl.TLSVersion, spec.max_version.replace(".", "_"))
            if spec.min_version in ("TLSv1", "TLSv1.1"):
                context.set_ciphers("ALL:@SECLEVEL=0")
        handler = type("Handler", (_Handler,), {"spec": spec, "seen": []})
        self.handler = handler
        self.httpd = _Server(("127.0.0.1", 0), handler, context)
        self.port = self.httpd.server_address[1]
        self.scheme = "https" if spec.tls else "http"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/") -> str:
        host = "localhost" if self.scheme == "https" else "127.0.0.1"
        return f"{self.scheme}://{host}:{self.port}{path}"

    @property
    def requests(self) -> list[dict[str, Any]]:
        return self.handler.seen

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def json_route(document: Any, status: int = 200, content_type: str = "application/json") -> Route:
    body = json.dumps(document).encode()
    return lambda _handler: (status, {"Content-Type": content_type}, body)


def bytes_route(body: bytes, content_type: str = "application/json") -> Route:
    return lambda _handler: (200, {"Content-Type": content_type}, body)


def paged_entities(entities: list[dict[str, Any]], token: str | None = None) -> Route:
    """An NGSI-LD /entities endpoint with limit/offset paging and, optionally, a required bearer token."""
    def route(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        if token is not None and handler.headers.get("Authorization") != f"Bearer {token}":
            return 401, {"Content-Type": "application/json"}, b'{"type": "https://uri.etsi.org/ngsi-ld/errors/Unauthorized"}'
        query = parse_qs(urlsplit(handler.path).query)
        wanted = query.get("type", [None])[0]
        limit, offset = int(query.get("limit", ["20"])[0]), int(query.get("offset", ["0"])[0])
        chosen = [e for e in entities if wanted is None or e["type"] == wanted]
        return 200, {"Content-Type": "application/ld+json"}, json.dumps(chosen[offset:offset + limit]).encode()
    return route


def oidc_document(origin: str, **overrides: Any) -> dict[str, Any]:
    issuer = origin
    document = {
        "issuer": issuer, "authorization_endpoint": f"{issuer}/auth", "token_endpoint": f"{issuer}/token",
        "jwks_uri": f"{issuer}/certs", "response_types_supported": ["code"], "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
    }
    document.update(overrides)
    return {k: v for k, v in document.items() if v is not None}
