"""URL targets against a real HTTP server on 127.0.0.1: content negotiation, and one-line errors for HTTP failures."""
from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

import pytest

from conftest import run_cli

TTL = b"""@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<http://ex.org/d1> a dcat:Dataset ; dct:title "Parking"@en ; dct:description "Car parks"@en .
"""
SEEN_ACCEPT: list[str] = []


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep pytest output clean
        pass

    def _send(self, status: int, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test): expected

    def do_GET(self) -> None:
        SEEN_ACCEPT.append(self.headers.get("Accept", ""))
        if self.path == "/catalogue":
            self._send(200, "text/turtle; charset=utf-8", TTL)
        elif self.path == "/login":
            self._send(200, "text/html", b"<html><body>Please log in</body></html>")
        elif self.path == "/missing":
            self._send(404, "text/plain", b"not found")
        elif self.path == "/broken":
            self._send(500, "text/plain", b"boom")
        elif self.path == "/slow":
            # Far longer than any run of the CLI under load: a run that ends well before it proves the timeout cut
            # the read (a wall-clock bound close to the CLI's own run time fails on a busy machine).
            time.sleep(30)
            self._send(200, "text/turtle", TTL)
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        else:
            self._send(404, "text/plain", b"?")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_url_uses_content_negotiation(server: str) -> None:
    SEEN_ACCEPT.clear()
    result = run_cli(["check", f"{server}/catalogue", "--profile", "dcat-ap-3-core", "-q"], expect=None)
    assert result.exit_code in (0, 1), result.stderr
    accept = SEEN_ACCEPT[-1]
    for media in ("text/turtle", "application/rdf+xml", "application/ld+json", "application/n-triples"):
        assert media in accept


@pytest.mark.parametrize("path,expected", [
    ("/login", "returned an HTML page"),
    ("/missing", "HTTP 404"),
    ("/broken", "HTTP 500"),
    ("/loop", "too many redirects"),
])
def test_http_failures_exit_2(server: str, path: str, expected: str) -> None:
    result = run_cli(["check", f"{server}{path}"], expect=2)
    assert result.stderr.count("\n") == 1 and expected in result.stderr and f"{server}{path}" in result.stderr


def test_timeout_exit_2(server: str) -> None:
    started = time.monotonic()
    result = run_cli(["check", f"{server}/slow", "--timeout", "0.5"], expect=2)
    elapsed = time.monotonic() - started
    expected = f"error: {server}/slow: no response within 0.5 s (timeout), also on a fresh connection\n"
    assert result.stderr == expected and elapsed < 20, (result.stderr, elapsed)


def test_connection_refused_exit_2() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run_cli(["check", f"http://127.0.0.1:{port}/catalogue"], expect=2)
    assert "connection refused" in result.stderr and str(port) in result.stderr
