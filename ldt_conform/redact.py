"""Secrets out of everything the tool writes: URL passwords, header values and tokens, and control characters."""
from __future__ import annotations

import enum
import re
import threading
from typing import Any, Callable, Iterator, Mapping
from urllib.parse import unquote

MASK = "***"
# scheme://user:password@host → scheme://user:***@host (a lone user name is no secret and helps the reader). The
# password runs to the last "@" before the host, as requests and urllib read it: "user:p@ss@host" sends "p@ss".
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^/\s:@?#]*):([^/\s?#]*)@")
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
        user, password = unquote(match.group(1).split("://", 1)[1]), unquote(match.group(2))
        # "p%40ss" is sent, and may come back, as "p@ss"; and requests sends both as "Authorization: Basic <token>",
        # which decodes to them: a server that echoes its request headers must not show the token either.
        register(match.group(2), password, f"Basic {_basic_token(user, password)}")


def _basic_token(user: str, password: str) -> str:
    """The token requests puts in "Authorization: Basic …" for a URL's user and password (latin-1, as it does)."""
    import base64

    try:
        raw = f"{user}:{password}".encode("latin-1")
    except UnicodeEncodeError:
        raw = f"{user}:{password}".encode()
    return base64.b64encode(raw).decode("ascii")


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


# A finding's value or message echoes the input: a 10 MB title must not become a 20 MB report.
MAX_FIELD_CHARS = 2000


def clip(value: str, limit: int = MAX_FIELD_CHARS) -> str:
    if len(value) <= limit:
        return value
    return f"{value[:limit]}… ({len(value) - limit:,} more characters)"


def report(value: Any) -> Any:
    """A Report with every string redacted, and the input-echoing fields of findings clipped, before it is rendered."""
    # A 50,000-dataset report holds millions of strings: the secrets are read once, and what kind of node a type
    # is (string, enum, dataclass and its fields, sequence, mapping) is decided once per type, not per value.
    masks = secrets()
    clean: set[int] = set()  # the ids of the report's fields that redaction cannot change (_plain)
    walk = _walker(masks, clean)
    # A large mapping in which no string can change (none holds an "@" or a secret: a quality section of 50,000
    # scorecards, usually) is seen whole in its JSON text, at C speed, instead of walked string by string.
    clean.update(id(item) for item in _parts(value) if _plain(item, masks))
    return value if id(value) in clean else walk(value)


def findings() -> Callable[[Any], Any]:
    """What report() does to each finding, for findings that never sit whole in a report (check --findings FILE
    streams them to a file)."""
    masks = secrets()
    walk = _walker(masks, set())

    def one(finding: Any) -> Any:
        # Most findings hold no "@", no secret and no overlong field: seen in one joined string, at C speed.
        texts = (finding.target, finding.focus, finding.message, finding.path or "", finding.value or "",
                 finding.source or "", finding.engine or "", *finding.same_value_as)
        joined = "\0".join(texts)
        overlong = len(joined) > MAX_FIELD_CHARS and max(map(len, texts)) > MAX_FIELD_CHARS
        if "@" in joined or overlong or any(secret in joined for secret in masks):
            return walk(finding)
        return finding

    return one


def _walker(masks: list[str], clean: set[int]) -> Callable[..., Any]:
    import dataclasses

    from ldt_conform.model import Finding

    scalars = {int, float, bool, type(None)}  # leaves whose value is never text
    kinds: dict[type, tuple[str, tuple[str, ...]]] = {}

    def kind_of(cls: type) -> tuple[str, tuple[str, ...]]:
        got = kinds.get(cls)
        if got is None:
            if issubclass(cls, str):
                got = ("str", ())
            elif issubclass(cls, enum.Enum):
                got = ("leaf", ())
            elif dataclasses.is_dataclass(cls) and not issubclass(cls, type):
                got = ("finding" if issubclass(cls, Finding) else "data",
                       tuple(f.name for f in dataclasses.fields(cls)))
            elif issubclass(cls, (list, tuple)):
                got = ("seq", ())
            elif issubclass(cls, Mapping):
                got = ("map", ())
            else:
                got = ("leaf", ())
            kinds[cls] = got
        return got

    def redact(item: str) -> str:
        if "@" in item:
            item = _USERINFO.sub(lambda m: f"{m.group(1)}:{MASK}@", item)
        for secret in masks:
            if secret in item:
                item = item.replace(secret, MASK)
        return item

    def finding(item: Any, names: tuple[str, ...]) -> Any:
        # The bulk of a large report (hundreds of thousands of findings): its string fields are redacted and
        # clipped inline, without a walk() call per field; other fields (same_value_as) take the general walk.
        changes = None
        for name in names:
            old = getattr(item, name)
            if old is None:
                continue
            if type(old) is str:
                new = redact(old)
                if len(new) > MAX_FIELD_CHARS:
                    new = clip(new)
            else:
                new = walk(old, True)
            if new is not old and new != old:
                if changes is None:
                    changes = {}
                changes[name] = new
        return dataclasses.replace(item, **changes) if changes else item

    keys: dict[Any, Any] = {}  # the same few keys repeat in every scorecard: each is redacted once

    def key(name: Any) -> Any:
        if type(name) is not str:
            return walk(name)
        out = keys.get(name)
        if out is None:
            keys[name] = out = redact(name)
        return out

    def walk(item: Any, clipped: bool = False) -> Any:
        kind, names = kind_of(type(item))
        if kind == "str":
            out = redact(item)
            return clip(out) if clipped else out
        if kind == "leaf":
            return item
        if kind == "finding":
            return finding(item, names)
        if kind == "data":
            changes = {}
            for name in names:
                old = getattr(item, name)
                new = old if id(old) in clean else walk(old)
                if new is not old:
                    changes[name] = new
            return dataclasses.replace(item, **changes) if changes else item
        if kind == "seq":
            items = [x if type(x) in scalars else walk(x, clipped) for x in item]
            return item if all(a is b for a, b in zip(items, item)) else type(item)(items)
        # Mappings are most of a quality section (one per dataset scorecard): plain keys and scalar values are
        # handled here, without a walk() call each.
        pairs = [(key(k), v if type(v) in scalars else walk(v, clipped))
                 for k, v in item.items()]
        if all(a is k and b is v for (a, b), (k, v) in zip(pairs, item.items())):
            return item
        return dict(pairs)

    return walk


def _parts(value: Any) -> list[Any]:
    """The mappings among a report's own fields (or the value itself, if it is one)."""
    import dataclasses

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [v for v in (getattr(value, f.name) for f in dataclasses.fields(value)) if type(v) is dict and v]
    return [value] if type(value) is dict else []


# Characters JSON writes escaped: a secret holding one cannot be looked for in the JSON text as it is.
_ESCAPED = re.compile(r'["\\\x00-\x1f]')


def _plain(item: dict[Any, Any], masks: list[str]) -> bool:
    """No string in `item` (keys included) holds an "@" (a URL password) or a registered secret: redaction would
    change nothing in it. Decided on orjson's text of it, in pieces (`_texts`); anything orjson does not write as
    plain JSON (dataclasses, subclasses of str, non-string keys, invalid UTF-8) answers False and is walked."""
    if any(_ESCAPED.search(mask) for mask in masks):
        return False
    wanted = [b"@", *(mask.encode("utf-8") for mask in masks)]
    try:
        return not any(w in text for text in _texts(item) for w in wanted)
    except (ImportError, TypeError):
        return False


# The most list items one piece of JSON text holds, and how deep `_texts` splits (a quality section: catalogues,
# a catalogue, its scorecards).
PIECE_ITEMS = 2_000
PIECE_DEPTH = 4


def _texts(item: Any, depth: int = 0) -> Iterator[bytes]:
    """orjson's text of `item` in pieces: a mapping's keys and values one by one and a list's items, PIECE_ITEMS at a
    time when it is long, down to PIECE_DEPTH levels. As one text, a quality section of 200,000 scorecards was a
    bytes object of ≈ 160 MB, the peak of the CLI's run. Every piece is whole JSON, so a string (and a secret in it)
    is never cut in two. Raises TypeError where orjson writes no plain JSON."""
    import orjson

    option = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_SUBCLASS
    if depth < PIECE_DEPTH and type(item) is dict:
        for key, value in item.items():
            if type(key) is not str:
                raise TypeError("a key that is not a string")
            yield orjson.dumps(key, option=option)
            yield from _texts(value, depth + 1)
    elif depth < PIECE_DEPTH and type(item) is list and len(item) > PIECE_ITEMS:
        for start in range(0, len(item), PIECE_ITEMS):
            yield orjson.dumps(item[start:start + PIECE_ITEMS], option=option)
    elif depth < PIECE_DEPTH and type(item) is list:
        for value in item:
            yield from _texts(value, depth + 1)
    else:
        yield orjson.dumps(item, option=option)
