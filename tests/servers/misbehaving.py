"""A misbehaving HTTP server: wrong content types, dropped links, 500s, slow or stalled answers, redirect loops,
invalid JSON, oversized bodies, login pages and 401/403s — one fault at a time, on every path."""
from __future__ import annotations

import json
import time
from typing import Any

from servers.util import Handler, LocalServer

LANDING_LINKS = ["service-desc", "conformance", "data"]
FAULTS = ("wrong-content-type", "dropped-links", "error-500", "slow", "stall-body", "redirect-loop",
          "redirect-other-host", "invalid-json", "huge-declared", "huge-stream", "html-login", "unauthorized",
          "forbidden", "slow-everything", "keepalive-hang")


class Misbehaving(Handler):
    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self.record()
        fault = next(iter(self.app.faults), "")
        base = self.app.url
        landing: dict[str, Any] = {"title": "misbehaving", "links": [
            {"href": f"{base}/{rel}", "rel": rel, "type": "application/json"} for rel in LANDING_LINKS]}
        if self.headers.get("Host", "").startswith("localhost"):
            # The "other host" of redirect-other-host: answers, so a followed redirect can be seen to succeed.
            return self.send(200, landing)
        if fault == "wrong-content-type":
            return self.send(200, json.dumps(landing), "text/html")
        if fault == "dropped-links":
            return self.send(200, {"title": "no links"})
        if fault == "error-500":
            return self.send(500, {"code": "InternalError"})
        if fault in ("slow", "slow-everything"):
            time.sleep(float(self.app.state.get("delay", 3)))
            return self.send(200, landing)
        if fault == "stall-body":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000000")
            self.end_headers()
            for _ in range(200):
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.2)
            return
        if fault == "redirect-loop":
            target = "/b" if self.path.rstrip("/") in ("", "/a") else "/a"
            return self.send(302, b"", "", {"Location": target})
        if fault == "redirect-other-host":
            port = self.app.url.rsplit(":", 1)[1]
            return self.send(302, b"", "", {"Location": f"http://localhost:{port}/elsewhere"})
        if fault == "invalid-json":
            return self.send(200, b'{"links": [{"href": ', "application/json")
        if fault == "huge-declared":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(10 * 1024 ** 3))
            self.end_headers()
            return
        if fault == "huge-stream":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"[" + b"0," * (512 * 1024)
            try:
                for _ in range(2048):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except OSError:
                return
            return
        if fault == "html-login":
            return self.send(200, "<!doctype html><html><body><form>Sign in</form></body></html>", "text/html")
        if fault == "unauthorized":
            return self.send(401, {"error": "unauthorized"}, headers={"WWW-Authenticate": 'Bearer realm="twin"'})
        if fault == "forbidden":
            return self.send(403, {"error": "forbidden"})
        if fault == "keepalive-hang":  # answers the first request of a connection, hangs on the next ones
            self.served = getattr(self, "served", 0) + 1
            if self.served > 1:
                time.sleep(float(self.app.state.get("delay", 3)))
                self.close_connection = True
                return
        self.send(200, landing)


def start() -> LocalServer:
    return LocalServer(Misbehaving).start()
