"""Bounds on what inputs may make the tool do: which files it opens, how deep it nests, how far entities expand."""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import BinaryIO, Iterable, Sequence

# Deeper than any real catalogue or entity; pyoxigraph's JSON-LD parser overflows its stack near 4,000 levels, and
# jsonschema recurses once per level too, so the bound sits far below both.
MAX_JSON_DEPTH = 100
# pyoxigraph's RDF/XML parser is quadratic in element depth (20,000 levels: 10 s).
MAX_XML_DEPTH = 500
# An input file larger than this is refused before it is read (catalogue files; payloads have their own cap).
MAX_FILE_BYTES = 4 * 1024 ** 3
# The bytes looked at first: a binary (or sparse, all-zero) file is refused before the rest is read.
HEAD_BYTES = 8192
# An XML entity is a namespace IRI or a short phrase; nothing legitimate expands past this.
MAX_ENTITY_CHARS = 64 * 1024
_ENTITY_REF = re.compile(r"&([A-Za-z_:][\w.:-]*);")

_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"{}[]")
_PARENS = bytes.maketrans(b"{[}]", b"(())")


class Refused(Exception):
    """An input the tool will not read or parse; the message says why (the caller adds where)."""


def read_regular(path: Path, cap: int = MAX_FILE_BYTES, head_check: bool = False, head_only: bool = False) -> bytes:
    """Read a regular file, never opening a FIFO, device or socket (see open_regular); `head_only`: only its
    first HEAD_BYTES (enough to refuse a binary file and to sniff the format without reading the rest)."""
    with open_regular(path, cap) as handle:
        head = handle.read(HEAD_BYTES)
        if head_check and b"\0" in head:
            raise Refused("binary file, not text")
        if head_only:
            return head
        rest = handle.read() if len(head) == HEAD_BYTES else b""
        data = head + rest
        if len(data) > cap:  # grew while being read (or /proc-like files that lie about their size)
            raise Refused(f"file is over the {cap:,}-byte cap")
        return data


def open_regular(path: Path, cap: int = MAX_FILE_BYTES) -> BinaryIO:
    """Open a regular file for reading in binary (the caller closes it), refusing anything else and a file over
    `cap` bytes.

    O_NONBLOCK makes the open return at once whatever the file is (open itself would block on a FIFO); fstat on
    the open descriptor then decides, so a file swapped between a check and the open cannot slip through."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except IsADirectoryError:
        raise Refused("is a directory") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise Refused("is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise Refused(f"not a regular file ({_kind(info.st_mode)}); never opened for reading")
        if info.st_size > cap:
            raise Refused(f"file is {info.st_size:,} bytes, over the {cap:,}-byte cap")
        os.set_blocking(fd, True)
        handle = os.fdopen(fd, "rb", closefd=True)
    except BaseException:
        os.close(fd)
        raise
    return handle


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def is_regular(path: Path) -> bool:
    """True for a regular file (symlinks followed); never opens it."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def json_depth(data: bytes | str, limit: int = MAX_JSON_DEPTH) -> int:
    """The deepest nesting of objects and arrays, counted without parsing (strings are skipped)."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if b'"' in raw:
        # Drop string contents with C-speed operations (a regex costs 100 ns per string): escapes first, so that
        # every quote left delimits a string, then keep the segments outside quotes. A backslash outside a string
        # is a syntax error the parser reports before it reaches anything deeper.
        raw = b"".join(raw.replace(b"\\\\", b"").replace(b'\\"', b"").split(b'"')[::2])
    # Keep only brackets, as "(" and ")"; each pass of replace() (C speed) peels every innermost pair, so the
    # number of passes is the depth. Stop one pass past the limit: the exact depth of a bomb does not matter.
    brackets = raw.translate(_PARENS, _NOT_BRACKETS)
    depth = 0
    while brackets and depth <= limit:
        peeled = brackets.replace(b"()", b"")
        if len(peeled) == len(brackets):
            break  # unbalanced leftovers: the parser will report the syntax error
        brackets = peeled
        depth += 1
    return depth


def check_json_depth(data: bytes | str, limit: int = MAX_JSON_DEPTH) -> None:
    depth = json_depth(data, limit)
    if depth > limit:
        raise Refused(f"JSON nested more than {limit} levels deep")


def check_xml(data: bytes, max_depth: int = MAX_XML_DEPTH) -> None:
    """Refuse XML with external entities, entity expansion past expat's amplification limit, or deep nesting.

    expat (>= 2.4) stops a billion-laughs expansion by itself; running it before pyoxigraph means the parser that
    would allocate the expansion never sees such a document."""
    import xml.parsers.expat

    parser = xml.parsers.expat.ParserCreate()
    depth = [0]

    def start(_name: str, _attrs: object) -> None:
        depth[0] += 1
        if depth[0] > max_depth:
            raise Refused(f"XML nested over {max_depth} elements deep (line {parser.CurrentLineNumber})")

    def end(_name: str) -> None:
        depth[0] -= 1

    sizes: dict[str, int] = {}

    def entity(name: str, _param: int, value: str | None, _base: str | None, system_id: str | None,
               public_id: str | None, _notation: str | None) -> None:
        if system_id is not None or public_id is not None:
            raise Refused(f"external XML entity '{name}' declared (line {parser.CurrentLineNumber}); "
                          "external entities are never resolved")
        # pyoxigraph expands every declared entity when it reads the declaration, used or not, so the bound is on
        # each declaration's full expansion, not on what the document references.
        text = value or ""
        size = len(text) + sum(sizes.get(ref, 0) - len(ref) - 2 for ref in _ENTITY_REF.findall(text))
        if size > MAX_ENTITY_CHARS:
            raise Refused(f"XML entity '{name}' expands to {size:,} characters, over the limit of "
                          f"{MAX_ENTITY_CHARS:,} (line {parser.CurrentLineNumber}); entity expansion bombs are refused")
        sizes[name] = size

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        message = xml.parsers.expat.errors.messages.get(exc.code, str(exc))
        if "amplification" in message or "entity" in message.lower():
            raise Refused(f"XML entity expansion refused at line {exc.lineno}: {message}") from None
        # Other XML errors are left to the RDF/XML parser, which reports them with their position.


# --- paths named by a manifest -----------------------------------------------------------------------------------

GLOB_CHARS = frozenset("*?[")


class ConfinedPath(str):
    """A path (or glob) taken from a manifest: it may only reach files under `roots` (symlinks resolved)."""

    roots: tuple[Path, ...]
    where: str

    def __new__(cls, value: str, roots: Sequence[Path], where: str = "") -> ConfinedPath:
        made = super().__new__(cls, value)
        made.roots = tuple(Path(r).resolve() for r in roots)
        made.where = where
        return made


def inside(path: Path, roots: Iterable[Path]) -> bool:
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop; an embedded NUL
        return False
    return any(resolved == root or resolved.is_relative_to(root) for root in roots)


def confine(spec: str, path: Path) -> None:
    """Raise Refused when a manifest-named `spec` reaches `path` outside its roots."""
    roots = getattr(spec, "roots", None)
    if roots is not None and not inside(path, roots):
        try:
            real = path.resolve()
        except (OSError, RuntimeError):
            real = path
        shown = f"{path} resolves to {real}, which" if real != path.absolute() else str(path)
        raise Refused(f"{shown} is outside the twin's folder ({', '.join(map(str, roots))}); manifest paths may "
                      "only name files there (--allow-path DIR widens this)")


def no_escaping_link(path: Path, named: Path) -> None:
    """A symlink is followed only to a file under the working folder or the folder the user named: a catalogue
    committed as a link to /etc/shadow must not be read (its first token would show in the parse error)."""
    if not path.is_symlink() and not any(p.is_symlink() for p in path.parents if p != p.parent and p != Path(".")):
        return
    folder = named if named.is_dir() else named.parent
    roots = [Path.cwd().resolve(), folder.resolve()]
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        raise Refused(f"cannot read: {getattr(exc, 'strerror', None) or 'symlink loop or dangling link'}") from None
    if not inside(path, roots):
        raise Refused(f"is a symlink to {real}, outside the working folder and {folder}; such links are "
                      "never followed (give the real path)")
