"""Helpers every test server shares: a free port on 127.0.0.1, waiting for readiness, stopping child processes."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import closing
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, Sequence

HOST = "127.0.0.1"


@dataclass
class ServerProcess:
    """A real server running as a child process: its base URL, the process, and the log it writes."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        stop_process(self.process)


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, process: subprocess.Popen[bytes] | None = None, timeout: float = 60.0,
               log: Path | None = None) -> None:
    """Poll `url` until it answers (any HTTP status); fail with the server's log when it dies or never answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before answering {url}\n{_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise RuntimeError(f"server did not answer {url} within {timeout:g} s\n{_tail(log)}")


def start_process(args: Sequence[str], *, cwd: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """A child process in its own process group, so teardown can stop it and all of its children."""
    handle = log.open("wb")
    return subprocess.Popen(list(args), cwd=cwd, env={**os.environ, **env}, stdout=handle, stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop_process(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)


def python() -> str:
    return sys.executable


def _tail(log: Path | None, lines: int = 40) -> str:
    if log is None or not log.is_file():
        return ""
    return "\n".join(log.read_text("utf-8", "replace").splitlines()[-lines:])


class LocalServer:
    """A stdlib ThreadingHTTPServer on 127.0.0.1 in a daemon thread; `faults` switch behaviours while it runs."""

    def __init__(self, handler: type, *, tls_context: Any = None) -> None:
        from http.server import ThreadingHTTPServer

        class Quiet(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that hung up on a misbehaving answer is the point of the exercise, not an error

        self.faults: set[str] = set()
        self.state: dict[str, Any] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.httpd = Quiet((HOST, 0), handler)
        self.httpd.daemon_threads = True
        self.httpd.app = self  # type: ignore[attr-defined]
        if tls_context is not None:
            self.httpd.socket = tls_context.wrap_socket(self.httpd.socket, server_side=True)
        scheme = "https" if tls_context is not None else "http"
        self.url = f"{scheme}://{HOST}:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> "LocalServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def start(self) -> "LocalServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class Handler(BaseHTTPRequestHandler):
    """Request handler with JSON helpers; HTTP/1.1 with Content-Length so connections are kept alive."""

    protocol_version = "HTTP/1.1"
    server_version = "ldt-conform-test"

    @property
    def app(self) -> LocalServer:
        return self.server.app  # type: ignore[attr-defined,no-any-return]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def record(self) -> None:
        self.app.requests.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))

    def body(self) -> bytes:
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length else b""

    def send(self, status: int, body: Any = b"", content_type: str = "application/json",
             headers: dict[str, str] | None = None) -> None:
        data = body if isinstance(body, bytes) else (body.encode() if isinstance(body, str) else
                                                      json.dumps(body).encode())
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
