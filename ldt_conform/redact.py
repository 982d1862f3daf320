"""Secrets out of everything the tool writes: URL passwords, header values and tokens, and control characters."""
from __future__ import annotations

import re
import threading

MASK = "***"
# scheme://user:password@host → scheme://user:***@host (a lone user name is no secret and helps the reader).
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^/\s:@?#]*):([^/\s@?#]*)@")
_SCHEMES = ("bearer", "basic", "token", "apikey", "digest")
# C0 and C1 controls (ESC starts a terminal escape sequence), DEL, and the Unicode line/paragraph separators.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")

_secrets: set[str] = set()
_lock = threading.Lock()


def register(*values: str | None) -> None:
    """Remember values that must never leave the tool (a header value, a token read from a file or variable)."""
    with _lock:
        for value in values:
            if not value or len(value) < 4:
                continue
            _secrets.add(value)
            scheme, _, token = value.partition(" ")
            if token and len(token) >= 4 and scheme.lower() in _SCHEMES:
                _secrets.add(token)  # a bearer token also leaks without its scheme word


def register_url(url: str) -> None:
    """A URL's password is a secret wherever else it shows up (a server may echo it back)."""
    for match in _USERINFO.finditer(url):
        register(match.group(2))


def secrets() -> list[str]:
    with _lock:
        return sorted(_secrets, key=len, reverse=True)


def text(value: str) -> str:
    """The value with every URL password and registered secret masked."""
    if "@" in value:
        value = _USERINFO.sub(lambda m: f"{m.group(1)}:{MASK}@", value)
    for secret in secrets():
        if secret in value:
            value = value.replace(secret, MASK)
    return value


def controls(value: str) -> str:
    """Control characters shown as escapes (\\x1b, \\n): a file name or IRI can't drive the terminal or split lines."""
    return _CONTROLS.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), value)


def line(value: str) -> str:
    """One safe line for stderr: redacted, controls escaped."""
    return controls(text(value))
