"""The receiving end of the subscription probes: a small HTTP server on this machine that a broker POSTs its
notifications to (NGSI-LD §5.8.6), so that a subscription is proved by what it delivers, not by what it stores."""
from __future__ import annotations

import ipaddress
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import urlsplit

from ldt_conform.errors import UsageError

DEFAULT_LISTEN = "127.0.0.1:0"
# A notification is a small JSON document; a receiver that reads without bound is a memory leak waiting for a broker
# (or anyone who finds the port) that sends something else.
MAX_BODY = 4 * 1024 * 1024
MAX_DELIVERIES = 1000


@dataclass(frozen=True)
class NotifySettings:
    """Where the receiver listens, the URL the broker is told to POST to, and how long a probe waits for it."""

    listen: str = DEFAULT_LISTEN
    url: str | None = None
    wait_s: float = 10.0


@dataclass(frozen=True)
class Delivery:
    """One POST the broker made to the receiver."""

    path: str
    content_type: str
    body: bytes


def parse_listen(listen: str) -> tuple[str, int]:
    """`HOST:PORT` (`[::1]:8080` for IPv6; port 0 picks a free one); anything else is the user's error (exit 2)."""
    host, sep, port = listen.rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise UsageError(listen, "--notify-listen must be HOST:PORT, e.g. 0.0.0.0:8765 (port 0 picks a free one)")
    return host, int(port)


def check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(url, "--notify-url must be an http:// or https:// URL the broker can reach")
    return url


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Receiver:
    """Listens until closed; keeps the POSTs to its own random path (to any path when the user gave the URL: a
    tunnel or proxy in front of it may rewrite the path), at most MAX_DELIVERIES of them, and lets a probe wait for
    the one it expects."""

    def __init__(self, settings: NotifySettings) -> None:
        host, port = parse_listen(settings.listen)
        deliveries: list[Delivery] = []
        arrived = threading.Condition()

        path = f"/ldt-conform/notify/{uuid.uuid4().hex[:16]}"
        # With a URL of the user's own, a tunnel or proxy in between may rewrite the path: any path is taken then.
        any_path = settings.url is not None

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # the stdlib's naming
                if not any_path and self.path != path:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(min(length, MAX_BODY))
                # Recorded before the 204 goes out: a sender that waits for the answer before its next POST must
                # find its deliveries in the order it sent them (answered first, a handler thread could record
                # after the next one's).
                with arrived:
                    if len(deliveries) < MAX_DELIVERIES:
                        deliveries.append(Delivery(self.path, self.headers.get("Content-Type", ""), body))
                    arrived.notify_all()
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        self._deliveries = deliveries
        self._arrived = arrived
        bound_port = self._server.server_address[1]
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else ("[::1]" if host == "::" else (
            f"[{host}]" if ":" in host else host))
        self.path = path
        self.url = settings.url or f"http://{shown}:{bound_port}{self.path}"
        # Without a URL of their own, only a broker on this machine is known to reach the receiver.
        self.local_only = settings.url is None
        self._thread = threading.Thread(target=self._server.serve_forever, name="ldt-notify", daemon=True)
        self._thread.start()

    def deliveries(self) -> list[Delivery]:
        with self._arrived:
            return list(self._deliveries)

    def wait(self, done: Callable[[list[Delivery]], bool], timeout_s: float) -> list[Delivery]:
        """Every delivery so far, once `done` holds for them or the time is up."""
        deadline = time.monotonic() + timeout_s
        with self._arrived:
            while not done(list(self._deliveries)):
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._arrived.wait(left)
            return list(self._deliveries)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
