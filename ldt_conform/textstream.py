"""A local RDF file read for the parser through a bounded buffer, checked and hashed on the way.

Reading a 570 MB catalogue into `bytes`, decoding it once to check UTF-8 and keeping it alive through the parse
cost about as much memory again as the file (issue #15). pyoxigraph parses from any object with `read(n)`, so the
parser reads the file through `CheckedReader`, which keeps at most one block of it: it hashes every byte (the
report's sha256 and size are those of the file as stored), drops a leading UTF-8 byte order mark, and checks UTF-8
as it goes, naming the first bad byte's line and column exactly as a check of the whole text would.
"""
from __future__ import annotations

import codecs
import hashlib
import io
from typing import BinaryIO, Callable, Iterator, TypeVar

from ldt_conform.errors import LoadError
from ldt_conform.safety import HEAD_BYTES

BOM = b"\xef\xbb\xbf"
# Bytes asked of the file at once: the most of it held in memory at any time (the parser asks ~2 KiB a call).
BLOCK = 1 << 16
T = TypeVar("T")
NOT_UTF8 = "not UTF-8 text (RDF files must be UTF-8)"
EMPTY = "empty file: no RDF to validate"
BINARY = "binary file, not RDF text"


class CheckedReader(io.RawIOBase):
    """`handle`'s bytes for a parser, minus a leading BOM; problems raise LoadError from `read` (which pyoxigraph
    passes through unchanged, aborting the store transaction under way)."""

    def __init__(self, handle: BinaryIO, source: str, cap: int, block: int | None = None) -> None:
        super().__init__()
        self.handle = handle
        self.source = source
        self.cap = cap
        self.block = block or BLOCK
        self.digest = hashlib.sha256()
        self.size = 0           # bytes read from the file, BOM included
        self.largest_read = 0   # the largest block asked of the file (tests hold it to `block`)
        self.text_seen = False  # a byte that is not ASCII whitespace (bytes.strip's set) was read
        self._pending = memoryview(b"")
        self._carry = b""       # the start of a multi-byte character cut by a block boundary
        self._done = 0          # text bytes (after the BOM) checked before the current block
        self._lines = 0         # newlines in those bytes
        self._last_nl = -1      # offset of the last of them
        self._eof = False
        self._error: LoadError | None = None  # once raised, raised again: the reader's state stops there
        self._guarded(self._begin)

    # --- the io interface pyoxigraph uses ----------------------------------------------------------------------

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            size = self.block
        if not self._pending and not self._eof:
            self._pending = memoryview(self._guarded(self._next))
        out = bytes(self._pending[:size])
        self._pending = self._pending[size:]
        return out

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        out = self.read(len(buffer))
        buffer[:len(out)] = out
        return len(out)

    # --- checks -------------------------------------------------------------------------------------------------

    def finish(self) -> None:
        """Read what the parser left (after a syntax error, or trailing bytes) so that the hash covers the whole
        file and a bad byte anywhere is found; then refuse a file that holds only whitespace."""
        self._pending = memoryview(b"")
        while not self._eof:
            self._guarded(self._next)
        if not self.text_seen:
            raise LoadError(self.source, EMPTY)

    @property
    def sha256(self) -> str:
        return self.digest.hexdigest()

    def _guarded(self, step: Callable[[], T]) -> T:
        if self._error is not None:
            raise self._error
        try:
            return step()
        except LoadError as exc:
            self._error = exc
            raise

    def _begin(self) -> None:
        """The head first: a whitespace-only file is empty, a NUL byte among the first HEAD_BYTES (after the BOM)
        makes it binary, both before any byte is checked as UTF-8, as parse() orders them for bytes."""
        head = b""
        while len(head) < HEAD_BYTES + len(BOM):
            raw = self._raw(HEAD_BYTES + len(BOM) - len(head))
            if not raw:
                self._eof = True
                break
            head += raw
        text = head[len(BOM):] if head.startswith(BOM) else head
        self.text_seen = bool(text.strip())
        if self._eof and not self.text_seen:
            raise LoadError(self.source, EMPTY)
        if b"\0" in text[:HEAD_BYTES]:
            raise LoadError(self.source, BINARY)
        self._check(text, final=self._eof)
        self._pending = memoryview(text)

    def _raw(self, size: int) -> bytes:
        self.largest_read = max(self.largest_read, size)
        raw = self.handle.read(size)
        self.digest.update(raw)
        self.size += len(raw)
        if self.size > self.cap:  # grew while being read (the size was checked when the file was opened)
            raise LoadError(self.source, f"file is over the {self.cap:,}-byte cap")
        return raw

    def _next(self) -> bytes:
        raw = self._raw(self.block)
        if not raw:
            self._eof = True
        elif not self.text_seen:
            self.text_seen = bool(raw.strip())
        self._check(raw, final=self._eof)
        return raw

    def _check(self, text: bytes, final: bool) -> None:
        """UTF-8 of `text`, the next bytes after those checked; a character cut at the end waits for the next."""
        if self._carry or not text.isascii():
            buf = self._carry + text
            try:
                _, used = codecs.utf_8_decode(buf, "strict", final)
            except UnicodeDecodeError as exc:
                self._fail(self._done - len(self._carry) + exc.start, text)
            self._carry = buf[used:]
        self._lines += text.count(b"\n")
        last = text.rfind(b"\n")
        if last >= 0:
            self._last_nl = self._done + last
        self._done += len(text)

    def _fail(self, offset: int, text: bytes) -> None:
        """LoadError at file:line:col of the byte at `offset` (counted after the BOM; col in bytes, from 1)."""
        rel = max(0, offset - self._done)  # the carried bytes before `text` hold no newline
        line = self._lines + text.count(b"\n", 0, rel) + 1
        last = text.rfind(b"\n", 0, rel)
        line_start = self._done + last + 1 if last >= 0 else self._last_nl + 1
        raise LoadError(f"{self.source}:{line}:{offset - line_start + 1}", NOT_UTF8)


def parser_lines(text: str) -> list[str]:
    """`text` cut into lines where the RDF parsers count a line break, the breaks dropped; like str.splitlines(), a
    break at the very end starts no further line.

    pyoxigraph counts "\r\n", "\r" and "\n" as line breaks, nothing else. str.splitlines() also breaks at \v, \f,
    \x1c-\x1e, \x85, U+2028 and U+2029, which a literal or a comment may hold, and then every line after one of them
    is off by one: lenient mode would quote a skipped token from the wrong line."""
    parts = _unix(text).split("\n")
    if parts[-1] == "":
        parts.pop()
    return parts


def _unix(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def lines(handle: BinaryIO, block: int | None = None) -> Iterator[str]:
    """The text lines of `handle` from its start, BOM dropped, as parser_lines() cuts the whole text, one block in
    memory at a time (lenient mode quotes the tokens it skipped from them)."""
    handle.seek(0)
    block = block or BLOCK
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    first = handle.read(len(BOM))
    rest = "" if first == BOM else decoder.decode(first)
    for raw in iter(lambda: handle.read(block), b""):
        text = rest + decoder.decode(raw)
        # A "\r" at the end may be the first half of a "\r\n" the next block completes: it waits for that block.
        held = "\r" if text.endswith("\r") else ""
        parts = _unix(text[:-1] if held else text).split("\n")
        rest = parts.pop() + held  # the line that may go on in the next block
        yield from parts
    yield from parser_lines(rest + decoder.decode(b"", True))
