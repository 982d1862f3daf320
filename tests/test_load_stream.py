"""Local Turtle, N-Triples, N-Quads and TriG files are parsed as they are read (textstream.py), never held whole:
the same sha256, size, errors and positions as a parse of the file's bytes, through a buffer of one block."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any, BinaryIO, Iterable

import pyoxigraph as ox
import pytest

from ldt_conform import load, safety, textstream
from ldt_conform.errors import LoadError
from ldt_conform.load import LocalFile, open_targets, parse

BASE = "http://ex.org/"
STATEMENT = b'<http://ex.org/s> <http://ex.org/p> "%s" .\n'
FAR = 3_000_000  # well past the first block (64 KiB) and the head (8 KiB)


def statements(count: int, width: int = 40) -> bytes:
    """`count` N-Triples lines of exactly len(STATEMENT % (b"a" * width)) bytes each, all distinct."""
    return b"".join(STATEMENT % (b"%0*d" % (width, i)) for i in range(count))


LINE = len(STATEMENT % (b"0" * 40))  # 81 bytes


def outcome(source: str, data: bytes | LocalFile, fmt: str = "ntriples", lenient: bool = False) -> Any:
    """What parse() gives: the error (where, message), or provenance, counts, findings and the quads themselves."""
    try:
        target = parse(source, data, fmt, BASE, lenient=lenient)
    except LoadError as exc:
        return ("error", exc.where, exc.message)
    return ("ok", target.sha256, target.size, target.triple_count,
            [(f.focus, f.value, f.message) for f in target.load_findings], sorted(map(str, target.quads)))


def both(tmp_path: Path, content: bytes, suffix: str = ".nt", fmt: str = "ntriples",
         lenient: bool = False) -> tuple[Any, Any]:
    """parse() of the file as streamed, and of its bytes (the reference: the whole text in memory)."""
    path = tmp_path / f"input{suffix}"
    path.write_bytes(content)
    return (outcome(str(path), LocalFile(path), fmt, lenient), outcome(str(path), content, fmt, lenient))


# --- provenance ----------------------------------------------------------------------------------------------------

def test_sha256_and_size_are_the_files_bytes_bom_included(tmp_path: Path) -> None:
    content = b"\xef\xbb\xbf" + statements(2000)  # BOM + 162,000 bytes: three blocks
    path = tmp_path / "cat.nt"
    path.write_bytes(content)
    [target] = open_targets([str(path)])
    assert (target.sha256, target.size, target.triple_count) == (
        hashlib.sha256(content).hexdigest(), len(content), 2000)
    assert target.format == "ntriples"


def test_report_provenance_of_a_streamed_file(tmp_path: Path) -> None:
    from ldt_conform import api

    content = statements(100)
    path = tmp_path / "cat.nt"
    path.write_bytes(content)
    report = api.check([str(path)], api.CheckOptions(profile="dcat-ap-3-core", offline=True))
    assert [(t.source, t.sha256, t.size, t.triples, t.format) for t in report.targets] == [
        (str(path), hashlib.sha256(content).hexdigest(), len(content), 100, "ntriples")]


# --- errors at their positions -------------------------------------------------------------------------------------

def test_not_utf8_far_into_the_file_names_its_line_and_column(tmp_path: Path) -> None:
    count = FAR // LINE + 1                      # 37,038 lines: the bad byte sits past byte 3,000,000
    bad = b'<http://ex.org/s> <http://ex.org/p> "caf\xe9" .\n'
    content = statements(count) + bad + statements(5)
    offset = content.index(b"\xe9")
    assert offset > FAR
    path = tmp_path / "cat.nt"
    path.write_bytes(content)
    with pytest.raises(LoadError) as caught:
        parse(str(path), LocalFile(path), "ntriples", BASE)
    col = len(b'<http://ex.org/s> <http://ex.org/p> "caf') + 1
    assert (caught.value.where, caught.value.message) == (
        f"{path}:{count + 1}:{col}", "not UTF-8 text (RDF files must be UTF-8)")


def test_not_utf8_after_an_earlier_syntax_error_is_the_error(tmp_path: Path) -> None:
    """The whole-text check ran before the parser: a bad byte anywhere outranks a syntax error before it."""
    content = (b"<http://ex.org/s> <http://ex.org/p> .\n" + statements(FAR // LINE)
               + b'<http://ex.org/s> <http://ex.org/p> "\xff" .\n')
    path = tmp_path / "cat.nt"
    path.write_bytes(content)
    with pytest.raises(LoadError) as caught:
        parse(str(path), LocalFile(path), "ntriples", BASE)
    assert (caught.value.where, caught.value.message) == (
        f"{path}:{FAR // LINE + 2}:38", "not UTF-8 text (RDF files must be UTF-8)")


def test_syntax_error_far_into_the_file_names_its_line_and_column(tmp_path: Path) -> None:
    content = statements(FAR // LINE) + b"<http://ex.org/s> <http://ex.org/p> .\n"
    path = tmp_path / "cat.nt"
    path.write_bytes(content)
    with pytest.raises(LoadError) as caught:
        parse(str(path), LocalFile(path), "ntriples", BASE)
    assert caught.value.where == f"{path}:{FAR // LINE + 1}:37"
    assert caught.value.message.startswith("bad ntriples syntax (")


@pytest.mark.parametrize("content,where,message", [
    (b"", "", "empty file: no RDF to validate"),
    (b"\xef\xbb\xbf", "", "empty file: no RDF to validate"),
    (b" \n\t\r\n" * 5000, "", "empty file: no RDF to validate"),  # whitespace past the head and the first block
    (b"\xef\xbb\xbf" + b"\n" * 8189 + b"\0" + b"\n" * 10, "", "binary file, not RDF text"),  # NUL at text byte 8189
    (b"\xef\xbb\xbf" + b"\xe9 .\n", ":1:1", "not UTF-8 text (RDF files must be UTF-8)"),  # col counted after the BOM
    (statements(3) + b'<http://ex.org/s> <http://ex.org/p> "\xe2\x82" .\n', ":4:38",
     "not UTF-8 text (RDF files must be UTF-8)"),
    (statements(3) + b"\xf0\x9f\x98", ":4:1", "not UTF-8 text (RDF files must be UTF-8)"),  # cut at the very end
], ids=["empty", "bom-only", "long-whitespace", "nul-after-bom", "bad-after-bom", "bad-3-byte", "cut-at-end"])
def test_empty_binary_and_bad_bytes(tmp_path: Path, content: bytes, where: str, message: str) -> None:
    streamed, whole = both(tmp_path, content)
    assert streamed == whole == ("error", str(tmp_path / "input.nt") + where, message)


def test_bom_is_dropped_and_hashed(tmp_path: Path) -> None:
    content = b"\xef\xbb\xbf@prefix ex: <http://ex.org/> .\nex:a ex:b \"\xc3\xa9t\xc3\xa9\" .\n"
    streamed, whole = both(tmp_path, content, ".ttl", "turtle")
    assert streamed == whole == ("ok", hashlib.sha256(content).hexdigest(), len(content), 1, [],
                                 ['<http://ex.org/a> <http://ex.org/b> "\u00e9t\u00e9"'])


def test_multibyte_characters_cut_by_every_block_boundary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 7 bytes cut the 2-, 3- and 4-byte characters at every place; one bad byte at the end is found."""
    monkeypatch.setattr(textstream, "BLOCK", 7)
    monkeypatch.setattr(safety, "HEAD_BYTES", 5)
    monkeypatch.setattr(textstream, "HEAD_BYTES", 5)
    good = "".join(f'<http://ex.org/s> <http://ex.org/p> "{i} \u00e9\u20ac\U0001f600" .\n' for i in range(40))
    streamed, whole = both(tmp_path, good.encode("utf-8"))
    assert streamed == whole and streamed[0] == "ok" and streamed[3] == 40
    bad = good.encode("utf-8") + b'<http://ex.org/s> <http://ex.org/p> "\xe2\x82\x28" .\n'
    streamed, whole = both(tmp_path, bad)
    assert streamed == whole == ("error", f"{tmp_path / 'input.nt'}:41:38", "not UTF-8 text (RDF files must be UTF-8)")


@pytest.mark.parametrize("block", [1, 2, 3, 5, 64])
def test_bad_byte_position_matches_whole_text_decode_for_any_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   block: int) -> None:
    """The first bad byte, as bytes.decode() finds it in the whole text, whatever the blocks."""
    monkeypatch.setattr(textstream, "BLOCK", block)
    text = "ab\n\u00e9\u20ac\n\U0001f600x\n".encode("utf-8")
    for cut in range(len(text) + 1):
        for junk in (b"\x80", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf"):
            content = b"<http://ex.org/s> <http://ex.org/p> \"" + text[:cut] + junk + text[cut:] + b"\" .\n"
            try:
                content.decode("utf-8")
            except UnicodeDecodeError as exc:
                start = exc.start
            else:
                continue
            line = content[:start].count(b"\n") + 1
            col = start - (content.rfind(b"\n", 0, start) + 1) + 1
            streamed, _ = both(tmp_path, content)
            assert streamed == ("error", f"{tmp_path / 'input.nt'}:{line}:{col}",
                                "not UTF-8 text (RDF files must be UTF-8)"), (cut, junk)


@pytest.mark.parametrize("suffix,fmt,content", [
    (".ttl", "turtle",
     b"@prefix ex: <http://ex.org/> .\r\nex:a ex:b \"x\xe2\x80\xa8y\" ,\r\n  \"z\" .\r\nex:c ex:d ex:e ."),
    (".nq", "nquads", b"<http://ex.org/a> <http://ex.org/b> <http://ex.org/c> <http://ex.org/g> .\n"),
    (".trig", "trig", b"<http://ex.org/g> { <http://ex.org/a> <http://ex.org/b> \"\xc3\xa9\" . }\n"),
    (".ttl", "turtle", b"@prefix ex: <http://ex.org/> .\nex:a ex:b ex:c ;\n  ex:d \"unterminated .\n"),
    (".trig", "trig", b"<http://ex.org/g> {\n <http://ex.org/a> <http://ex.org/b> . }\n"),
])
def test_streamed_and_whole_parse_agree(tmp_path: Path, suffix: str, fmt: str, content: bytes) -> None:
    streamed, whole = both(tmp_path, content, suffix, fmt)
    assert streamed == whole


# --- lenient mode ------------------------------------------------------------------------------------------------

def test_lenient_quotes_tokens_from_lines_past_the_first_block(tmp_path: Path) -> None:
    bad = b"<http://ex.org/s> <http://ex.org/p> <http://ex.org/q?a=[1]> .\n"
    plain = statements(2000) + bad + statements(2000, width=41) + bad
    streamed, whole = both(tmp_path, plain, lenient=True)
    assert streamed == whole
    assert streamed[3] == 4000
    assert streamed[4] == [(f"{tmp_path / 'input.nt'}:{n}:37", "http://ex.org/q?a=[1]",
                            "not read (--lenient skipped it): Invalid IRI code point '['") for n in (2001, 4002)]
    # Literals with U+2028, U+0085 and a form feed before the second bad line: the parser counts none of them as a
    # line break (str.splitlines() counts each), so both paths quote the bad IRI from the line the parser names.
    shifted = (statements(2000) + bad + b'<http://ex.org/s> <http://ex.org/p> "a\xe2\x80\xa8b\xc2\x85c\x0cd" .\r\n'
               + statements(2000, width=41) + bad)
    streamed, whole = both(tmp_path, shifted, lenient=True)
    assert streamed == whole
    assert [(focus, value) for focus, value, _ in streamed[4]] == [
        (f"{tmp_path / 'input.nt'}:2001:37", "http://ex.org/q?a=[1]"),
        (f"{tmp_path / 'input.nt'}:4003:37", "http://ex.org/q?a=[1]")]


def test_lines_break_where_the_parser_counts_lines_whatever_the_blocks() -> None:
    import io

    text = "a\r\nb\rc\n\nd\u2028e\x85f\x0cg\x0b\x1c\u2029\u00e9\U0001f600h\r"
    expected = ["a", "b", "c", "", "d\u2028e\x85f\x0cg\x0b\x1c\u2029\u00e9\U0001f600h"]
    assert textstream.parser_lines(text) == expected
    for block in range(1, 9):
        for bom in (b"", b"\xef\xbb\xbf"):
            assert list(textstream.lines(io.BytesIO(bom + text.encode("utf-8")), block)) == expected


@pytest.mark.parametrize("brk", ["\n", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1e"])
def test_parser_lines_number_lines_as_pyoxigraph_does(brk: str) -> None:
    # The assumption behind parser_lines, checked against the parser: the line it names for a bad token is the
    # line parser_lines puts that token on, whichever character follows the literal before it.
    breaks = brk in ("\n", "\r", "\r\n")
    # A line break may only stand between statements, any other of these characters only in a literal.
    middle = f'"x" .{brk}' if breaks else f'"x{brk}y" . '
    text = f'@prefix ex: <http://ex.org/> .\nex:a ex:b {middle}ex:c ex:d BAD .\n'
    with pytest.raises(SyntaxError) as caught:
        list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE))
    line, first, past = (int(n) for n in re.search(r"at line (\d+) between columns (\d+) and (\d+)",
                                                      str(caught.value)).groups())
    assert line == (3 if breaks else 2)
    assert textstream.parser_lines(text)[line - 1][first - 1:past - 1] == "BAD"


# --- the buffer is bounded ---------------------------------------------------------------------------------------

class Spy:
    """A file handle that records every read asked of it."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.asked: list[int | None] = []
        self.position = 0

    def read(self, size: int | None = -1) -> bytes:
        self.asked.append(size)
        data = self.handle.read(size)
        self.position += len(data)
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)

    def __enter__(self) -> Spy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()


def test_lines_read_block_by_block_and_yield_before_the_end() -> None:
    import io

    text = "".join(f"line {i}\n" for i in range(1000))  # 8,890 bytes
    spy = Spy(io.BytesIO(text.encode("ascii")))
    got = textstream.lines(spy, 64)  # type: ignore[arg-type]
    assert next(got) == "line 0"
    # the BOM probe, then one block: the first line is out before the rest of the file is read
    assert (spy.asked, spy.position) == ([3, 64], 67)
    rest = list(got)
    assert rest == [f"line {i}" for i in range(1, 1000)]
    assert set(spy.asked[1:]) == {64} and spy.position == len(text)


@pytest.mark.parametrize("block", [1, 2, 3, 5, 64])
def test_lines_replace_bad_bytes_and_a_character_cut_at_the_end(block: int) -> None:
    import io

    # An undecodable byte, then a 3-byte character of which the file holds only two bytes.
    data = b"a\xffb\r\nc\xe2\x82"
    assert list(textstream.lines(io.BytesIO(data), block)) == ["a\ufffdb", "c\ufffd"]


def _spied_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, bytes, list[Spy]]:
    """A large N-Triples file, and every handle `safety.open_regular` opens from now on, spied."""
    content = statements(FAR // LINE)
    path = tmp_path / "cat.nt"
    path.write_bytes(content)
    spies: list[Spy] = []
    opened = safety.open_regular

    def spying_open(*args: Any, **kwargs: Any) -> Spy:
        spies.append(Spy(opened(*args, **kwargs)))
        return spies[-1]

    monkeypatch.setattr(safety, "open_regular", spying_open)
    return path, content, spies


def test_the_file_is_read_in_blocks_while_the_store_fills(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No read asks for more than a block (never the whole file), every byte is read once, and the first quads
    reach the store when no more than the head and a block of the file have been read: the parser consumes the
    file as it is read, so at most a block of it is held, whatever its size."""
    path, content, spies = _spied_file(tmp_path, monkeypatch)
    read_at_first_quad: list[int] = []
    prepare = load.prepare

    def watching_prepare(quads: Iterable[ox.Quad], *args: Any, **kwargs: Any) -> Any:
        def watched() -> Any:
            for quad in quads:
                if not read_at_first_quad:
                    read_at_first_quad.append(spies[-1].position)
                yield quad
        return prepare(watched(), *args, **kwargs)

    monkeypatch.setattr(load, "prepare", watching_prepare)
    [target] = open_targets([str(path)])
    assert target.triple_count == FAR // LINE and target.sha256 == hashlib.sha256(content).hexdigest()
    head, spy = spies  # the path checks read the head (to refuse a binary file, to sniff), then the parse
    assert head.asked == [safety.HEAD_BYTES]
    assert all(size is not None and 0 < size <= textstream.BLOCK for size in spy.asked), set(spy.asked)
    assert spy.position == len(content)  # every byte read once: what is hashed is what was parsed
    assert read_at_first_quad[0] <= safety.HEAD_BYTES + 3 + textstream.BLOCK
    assert len(content) > 40 * textstream.BLOCK


def test_jsonld_and_rdfxml_files_are_still_read_whole(tmp_path: Path) -> None:
    """Their pre-parse checks need the whole text: they keep the bytes path, with the same provenance."""
    content = b'{"@id": "http://ex.org/d1", "@type": "http://www.w3.org/ns/dcat#Dataset"}'
    path = tmp_path / "cat.jsonld"
    path.write_bytes(content)
    [target] = open_targets([str(path)])
    assert (target.format, target.sha256, target.size, target.triple_count) == (
        "jsonld", hashlib.sha256(content).hexdigest(), len(content), 1)


def test_evidence_bundle_copies_a_file_with_a_bom(tmp_path: Path) -> None:
    """The bundle's copy is checked against the report's sha256 of the file: with the BOM hashed too they agree
    (the hash of the text after the BOM made --include-inputs refuse such a file as 'changed while checked')."""
    import json

    from conftest import run_cli

    content = b"\xef\xbb\xbf" + TTL_OK
    path = tmp_path / "bom.ttl"
    path.write_bytes(content)
    bundle = tmp_path / "bundle"
    run_cli(["check", str(path), "--profile", "dcat-ap-3-core", "--offline", "-q", "--evidence", str(bundle),
             "--include-inputs"], expect=1)
    assert sorted(p.name for p in (bundle / "inputs").iterdir()) == ["001-bom.ttl"]
    assert (bundle / "inputs" / "001-bom.ttl").read_bytes() == content
    [entry] = json.loads((bundle / "inputs.json").read_text("utf-8"))
    assert (entry["sha256"], entry["size"], entry["copy"]) == (
        hashlib.sha256(content).hexdigest(), len(content), "inputs/001-bom.ttl")


TTL_OK = b"@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<http://ex.org/d1> a dcat:Dataset .\n"


def test_evidence_copy_is_hashed_block_by_block_as_it_is_copied(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """--include-inputs runs while the loaded store is still held: the copy never holds the input whole, and what
    it checks against the report's sha256 is what it wrote."""
    from ldt_conform import evidence
    from ldt_conform.errors import UsageError

    path, content, spies = _spied_file(tmp_path, monkeypatch)
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    copy = evidence._copy_input(str(path), hashlib.sha256(content).hexdigest(), bundle, 3)
    assert copy == "inputs/003-cat.nt" and (bundle / copy).read_bytes() == content
    [spy] = spies
    assert set(spy.asked) == {evidence.COPY_BLOCK} and spy.position == len(content)
    with pytest.raises(UsageError) as caught:
        evidence._copy_input(str(path), "0" * 64, bundle, 4)
    assert (caught.value.where, caught.value.message) == (
        str(path), "input changed while it was being checked; the evidence bundle would not match it")
    assert sorted(p.name for p in (bundle / "inputs").iterdir()) == ["003-cat.nt"]  # no copy of a changed input
