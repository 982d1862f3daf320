"""A hostile HTTP server on 127.0.0.1: trickled headers and bodies, silence, bombs, loops, echoes of credentials.

The first path segment picks the behaviour, so one server can stand behind several catalogue URLs and --api bases."""
from __future__ import annotations

import gzip
import socket
import threading
import time
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HOST = "127.0.0.1"
CATALOGUE = b"""@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://example.org/catalogue> a dcat:Catalog ; dct:title "Hostile test catalogue"@en .
"""


@lru_cache(maxsize=1)
def gzip_bomb() -> bytes:
    """300 MB of zeros in about 300 KB: over the 256 MiB cap once inflated."""
    return gzip.compress(b"\0" * (300 * 1024 * 1024), compresslevel=9)


class HostileHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        mode = self.path.strip("/").split("/")[0].split("?")[0]
        self.server.seen.append((self.path, dict(self.headers)))  # type: ignore[attr-defined]
        handler = getattr(self, f"mode_{mode.replace('-', '_')}", None)
        try:
            if handler is None:
                self._send(404, b"not found", "text/plain")
            else:
                handler()
        except OSError:
            pass  # the client cut us off: the point of most of these modes

    def _send(self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def mode_ok(self) -> None:
        self._send(200, CATALOGUE, "text/turtle")

    def mode_echo(self) -> None:
        # Everything the client sent, back in the body and in a header: a tool that prints bodies or headers leaks.
        echoed = f"{self.path} {self.headers.get('Authorization', '')}".replace('"', "'")
        body = CATALOGUE + f'<https://example.org/catalogue> dct:description "{echoed}"@en .\n'.encode()
        self._send(200, body, "text/turtle", {"X-Echo": echoed})

    def mode_echo_json(self) -> None:
        echoed = f"{self.path} {self.headers.get('Authorization', '')}".replace('"', "'")
        body = ('{"title": "%s", "description": "%s", "links": [{"href": "%s", "rel": "self"}]}'
                % (echoed, echoed, echoed)).encode()
        self._send(200, body, "application/json", {"X-Echo": echoed})

    def mode_echo_404(self) -> None:
        self._send(404, f"no {self.path} for {self.headers.get('Authorization', '')}".encode(), "text/plain")

    def mode_trickle_headers(self) -> None:
        # One byte every 0.1 s: each read beats any per-read timeout; http.client's 100-header limit is minutes away.
        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for _ in range(60):
            for byte in b"X-Slow: a\r\n":
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.1)

    def mode_trickle_body(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/turtle")
        self.send_header("Content-Length", "1000000")
        self.end_headers()
        self.wfile.write(b"# ")
        for _ in range(600):
            self.wfile.write(b"x")
            self.wfile.flush()
            time.sleep(0.1)

    def mode_silent(self) -> None:
        time.sleep(60)

    def mode_gzip_bomb(self) -> None:
        self._send(200, gzip_bomb(), "text/turtle", {"Content-Encoding": "gzip"})

    def mode_huge_declared(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/turtle")
        self.send_header("Content-Length", str(10 ** 12))
        self.end_headers()
        self.wfile.write(b"# nothing more\n")

    def mode_loop(self) -> None:
        self._send(302, b"", "text/plain", {"Location": f"/loop/{len(self.path)}"})

    def mode_elsewhere(self) -> None:
        port = self.server.server_address[1]
        self._send(302, b"", "text/plain", {"Location": f"http://localhost:{port}/ok"})

    def mode_html(self) -> None:
        self._send(200, b"<html><body>login</body></html>", "text/html")

    def mode_deep(self) -> None:
        depth = 10000
        body = b'{"@id": "https://example.org/x", "https://example.org/p": ' * depth + b"1" + b"}" * depth
        self._send(200, body, "application/ld+json")


class HostileServer:
    """Started in a daemon thread; `stop()` closes the listening socket (handlers are daemon threads too)."""

    def __init__(self) -> None:
        self.httpd = ThreadingHTTPServer((HOST, 0), HostileHandler)
        self.httpd.daemon_threads = True
        self.httpd.seen = []  # type: ignore[attr-defined]
        self.port = self.httpd.server_address[1]
        self.url = f"http://{HOST}:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def closed_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])
