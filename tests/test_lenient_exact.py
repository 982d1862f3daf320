"""Exact expectations for --lenient: the quads kept, the Skipped records, the quoted tokens and the LoadErrors."""
from __future__ import annotations

from typing import Iterator

import pyoxigraph as ox
import pytest

from ldt_conform import lenient, tool_ids
from ldt_conform.errors import LoadError
from ldt_conform.lenient import MAX_SKIPPED, RECOVERING, Skipped, quote_tokens, recovering
from ldt_conform.model import Finding, Severity

NT = ox.RdfFormat.N_TRIPLES
TTL = ox.RdfFormat.TURTLE
GOOD = '<http://a> <http://b> "x" .\n'
BAD_IRI = "<http://a> <http://b> <http://q?a=[1]> .\n"  # the IRI spans columns 23 to 39 (39 is past its end)
IRI_REASON = "Invalid IRI code point '['"

Record = tuple[int | None, int | None, str, str | None, tuple[int, int, int] | None]


def records(skipped: list[Skipped]) -> list[Record]:
    """Every field of each record, span included (it does not take part in Skipped's equality)."""
    return [(s.line, s.col, s.reason, s.value, s.span) for s in skipped]


def read(data: bytes, fmt: ox.RdfFormat, fmt_name: str, source: str = "data") -> tuple[list[str], list[Skipped]]:
    skipped: list[Skipped] = []
    quads = [str(q) for q in recovering(ox.parse(data, format=fmt), source, fmt_name, skipped)]
    return quads, skipped


def load_error(data: bytes, fmt: ox.RdfFormat, fmt_name: str, source: str) -> tuple[LoadError, list[Skipped]]:
    skipped: list[Skipped] = []
    with pytest.raises(LoadError) as caught:
        list(recovering(ox.parse(data, format=fmt), source, fmt_name, skipped))
    return caught.value, skipped


# --- constants --------------------------------------------------------------------------------------------------

def test_constants() -> None:
    assert {"turtle", "trig", "ntriples", "nquads"} == RECOVERING
    assert MAX_SKIPPED == 100


# --- recovering -------------------------------------------------------------------------------------------------

def test_recovering_ntriples_keeps_the_good_statements_and_records_the_bad_one() -> None:
    data = ("<http://a> <http://b> <http://c> .\n" + BAD_IRI + GOOD).encode()
    quads, skipped = read(data, NT, "ntriples", "d.nt")
    assert quads == ["<http://a> <http://b> <http://c>", '<http://a> <http://b> "x"']
    assert records(skipped) == [(2, 23, IRI_REASON, None, (2, 23, 39))]


def test_recovering_turtle_several_errors_in_order() -> None:
    data = (b"@prefix ex: <http://ex/> .\n"
            b"ex:a ex:b ex:c .\n"
            b"ex:a ex:b <http://q?a=[1]> .\n"
            b"ex:a ex:b foo:bar .\n"
            b'ex:a ex:b "y" .\n')
    quads, skipped = read(data, TTL, "turtle", "d.ttl")
    assert quads == ["<http://ex/a> <http://ex/b> <http://ex/c>", '<http://ex/a> <http://ex/b> "y"']
    assert records(skipped) == [(3, 11, IRI_REASON, None, (3, 11, 27)),
                                (4, 11, "The prefix foo: has not been declared", None, (4, 11, 18))]


def test_recovering_error_with_a_column_but_no_span() -> None:
    # "at line 1 column 33": a position the parser goes on from, but no token to quote
    quads, skipped = read(b"<http://a> <http://b> <http://c>", NT, "ntriples")
    assert quads == ["<http://a> <http://b> <http://c>"]
    assert records(skipped) == [(1, 33, "Triples must be followed by a dot", None, None)]


def test_recovering_clean_input_records_nothing() -> None:
    quads, skipped = read(GOOD.encode(), NT, "ntriples")
    assert quads == ['<http://a> <http://b> "x"']
    assert skipped == []


def test_recovering_exactly_max_skipped_errors_is_accepted() -> None:
    data = (BAD_IRI * MAX_SKIPPED + GOOD).encode()
    quads, skipped = read(data, NT, "ntriples", "d.nt")
    assert quads == ['<http://a> <http://b> "x"']
    assert records(skipped) == [(n, 23, IRI_REASON, None, (n, 23, 39)) for n in range(1, MAX_SKIPPED + 1)]


def test_recovering_one_error_more_than_max_skipped_is_a_load_error() -> None:
    data = (BAD_IRI * (MAX_SKIPPED + 1) + GOOD).encode()
    error, skipped = load_error(data, NT, "ntriples", "d.nt")
    assert (error.where, error.message) == ("d.nt:101:23", "more than 100 statements could not be read")
    assert str(error) == "d.nt:101:23: more than 100 statements could not be read"
    assert len(skipped) == MAX_SKIPPED


def test_recovering_more_than_max_skipped_with_a_good_statement_between() -> None:
    data = (GOOD + BAD_IRI * 60 + GOOD + BAD_IRI * 41).encode()
    error, skipped = load_error(data, NT, "ntriples", "d.nt")
    assert (error.where, error.message) == ("d.nt:103:23", "more than 100 statements could not be read")
    assert [s.line for s in skipped] == list(range(2, 62)) + list(range(63, 103))


def test_recovering_error_without_a_position_is_a_load_error() -> None:
    error, skipped = load_error(b'<http://a> <http://b> <http://c> .\n<http://a> <http://b> "x\n', NT, "ntriples",
                                "d.nt")
    reason = "Parser error between line 2 column 23 and line 3 column 1: Unexpected end of file"
    assert (error.where, error.message) == (
        "d.nt", f"bad ntriples syntax ({reason}), at no position the parser could go on from")
    assert str(error) == f"d.nt: bad ntriples syntax ({reason}), at no position the parser could go on from"
    assert skipped == []


def test_recovering_error_without_a_position_as_the_hundredth_error() -> None:
    # 99 recorded errors, then one the parser cannot go on from: the count is not yet over the limit
    data = (BAD_IRI * (MAX_SKIPPED - 1)).encode() + b'<http://a> <http://b> "x\n'
    error, skipped = load_error(data, NT, "ntriples", "d.nt")
    reason = "Parser error between line 100 column 23 and line 101 column 1: Unexpected end of file"
    assert (error.where, error.message) == (
        "d.nt", f"bad ntriples syntax ({reason}), at no position the parser could go on from")
    assert len(skipped) == MAX_SKIPPED - 1


def test_recovering_names_the_format_it_was_given() -> None:
    error, _ = load_error(b'<http://a> <http://b> "x\n', NT, "nquads", "q.nq")
    assert error.message == ("bad nquads syntax (Parser error between line 1 column 23 and line 2 column 1: "
                             "Unexpected end of file), at no position the parser could go on from")
    assert error.where == "q.nq"


class _Raising:
    """An iterator that raises the SyntaxErrors it is given in turn, yielding `quad` after each."""

    def __init__(self, messages: list[str], quad: ox.Quad) -> None:
        self.items: list[str | ox.Quad] = []
        for message in messages:
            self.items += [message, quad]

    def __iter__(self) -> Iterator[ox.Quad]:
        return self

    def __next__(self) -> ox.Quad:
        if not self.items:
            raise StopIteration
        item = self.items.pop(0)
        if isinstance(item, str):
            raise SyntaxError(item)
        return item


def test_recovering_over_the_limit_without_a_position_names_the_source_only() -> None:
    quad = ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.Literal("x"))
    messages = ["Parser error at line 1 column 2: bad (line 1)"] * MAX_SKIPPED + ["Parser error: lost"]
    skipped: list[Skipped] = []
    with pytest.raises(LoadError) as caught:
        list(recovering(_Raising(messages, quad), "src", "turtle", skipped))
    assert (caught.value.where, caught.value.message) == ("src", "more than 100 statements could not be read")
    assert records(skipped) == [(1, 2, "bad", None, None)] * MAX_SKIPPED


# --- quote_tokens and _spelled ------------------------------------------------------------------------------------

def test_quote_tokens_fills_values_and_drops_spans() -> None:
    kept = Skipped(None, None, "no span", None, None)
    beyond = Skipped(9, 1, "beyond", None, (9, 1, 4))
    skipped = [Skipped(1, 3, "iri", None, (1, 3, 14)), kept, Skipped(2, 1, "word", None, (2, 1, 8)), beyond]
    out = quote_tokens(skipped, ["x <http://a/> y", "  foo   bar", "third"])
    assert records(out) == [(1, 3, "iri", "http://a/", None), (None, None, "no span", None, None),
                            (2, 1, "word", "foo", None), (9, 1, "beyond", None, (9, 1, 4))]
    assert out[1] is kept
    assert out[3] is beyond


def test_quote_tokens_several_spans_on_one_line_and_reads_no_further() -> None:
    read_lines: list[int] = []

    def lines() -> Iterator[str]:
        for number, text in enumerate(["first", "ab <c> <d>", "stop here", "never"], 1):
            read_lines.append(number)
            if number == 4:
                raise AssertionError("read past the last line a span names")
            yield text

    skipped = [Skipped(2, 4, "one", None, (2, 4, 7)), Skipped(2, 8, "two", None, (2, 8, 11)),
               Skipped(2, 1, "three", None, (2, 1, 3)), Skipped(3, 1, "four", None, (3, 1, 5))]
    out = quote_tokens(skipped, lines())
    assert records(out) == [(2, 4, "one", "c", None), (2, 8, "two", "d", None), (2, 1, "three", "ab", None),
                            (3, 1, "four", "stop", None)]
    assert read_lines == [1, 2, 3]


def test_quote_tokens_without_spans_returns_the_list_itself() -> None:
    skipped = [Skipped(1, 2, "r", None, None)]
    assert quote_tokens(skipped, iter(())) is skipped
    assert quote_tokens([], ["a"]) == []


def test_quote_tokens_on_real_parser_records() -> None:
    data = ("<http://a> <http://b> <http://c> .\n" + BAD_IRI + GOOD).encode()
    _, skipped = read(data, NT, "ntriples")
    out = quote_tokens(skipped, data.decode().splitlines())
    assert records(out) == [(2, 23, IRI_REASON, "http://q?a=[1]", None)]


@pytest.mark.parametrize(("line", "start", "end", "expected"), [
    ("ab<c>d", 3, 6, "c"),            # the column is 1-based and the end is past the token
    ("<abc", 1, 5, "<abc"),           # half an IRI is kept as it is
    ("abc>", 1, 5, "abc>"),
    ("x  tok  y", 2, 8, "tok"),       # stripped
    ("x     y", 2, 6, None),          # nothing but spaces
    ("<>", 1, 3, None),               # an empty IRI
    ("q<http://e/x>", 2, 14, "http://e/x"),
])
def test_spelled(line: str, start: int, end: int, expected: str | None) -> None:
    assert lenient._spelled(line, start, end) == expected


# --- _position and _reason --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Parser error at line 2 between columns 23 and 39: Invalid IRI code point '[' (line 2)", (2, 23)),
    ("Parser error at line 12 column 7: Unexpected end (line 12)", (12, 7)),
    ("at line 3 column 1", (3, 1)),
    ("at line 4 between columns 5 and 6", (4, 5)),
    ("Parser error between line 1 column 23 and line 2 column 1: Unexpected end of file (line 1)", (None, None)),
    ("no position", (None, None)),
])
def test_position(text: str, expected: tuple[int | None, int | None]) -> None:
    assert lenient._position(text) == expected


def test_position_and_reason_of_real_pyoxigraph_messages() -> None:
    messages = []
    for data in (b"<http://a> <http://b> <http://c>", BAD_IRI.encode(), b"<http://a> <http://b> \"x\n"):
        with pytest.raises(SyntaxError) as caught:
            list(ox.parse(data, format=NT))
        messages.append(str(caught.value))
    assert [(lenient._position(m), lenient._reason(m)) for m in messages] == [
        ((1, 33), "Triples must be followed by a dot"),
        ((1, 23), IRI_REASON),
        ((None, None), "Parser error between line 1 column 23 and line 2 column 1: Unexpected end of file")]


@pytest.mark.parametrize(("text", "expected"), [
    ("Parser error at line 2 between columns 23 and 39: Invalid IRI code point '[' (line 2)", IRI_REASON),
    ("Parser error at line 12 column 7: Unexpected end (line 12)", "Unexpected end"),
    ("Parser error at line 1 column 1:    spaced (at line 1)  ", "spaced"),
    ("something (not a line) here", "something (not a line) here"),
    ("keeps (line 3) inside", "keeps (line 3) inside"),
])
def test_reason(text: str, expected: str) -> None:
    assert lenient._reason(text) == expected


def test_reason_is_cut_at_300_characters() -> None:
    long = "Parser error at line 1 column 1: " + "a" * 299 + "bcd (line 1)"
    assert lenient._reason(long) == "a" * 299 + "b"
    assert len(lenient._reason("x" * 301)) == 300


# --- Skipped.finding --------------------------------------------------------------------------------------------

def test_finding_with_a_line() -> None:
    finding = Skipped(5, 38, IRI_REASON, "http://ex.org/q?a=[1]").finding("in.ttl")
    assert finding == Finding(rule="LC-006", severity=Severity.ERROR, target="in.ttl", focus="in.ttl:5:38",
                              message="not read (--lenient skipped it): Invalid IRI code point '['",
                              value="http://ex.org/q?a=[1]")
    assert finding.rule == tool_ids.SKIPPED


def test_finding_without_a_line() -> None:
    finding = Skipped(None, None, "invalid RDF/XML: lost", None).finding("in.rdf")
    assert finding == Finding(rule="LC-006", severity=Severity.ERROR, target="in.rdf", focus="in.rdf",
                              message="not read (--lenient skipped it): invalid RDF/XML: lost", value=None)


def test_skipped_equality_ignores_span() -> None:
    assert Skipped(1, 2, "r", None, (1, 2, 3)) == Skipped(1, 2, "r", None, None)
    assert repr(Skipped(1, 2, "r", "v", (1, 2, 3))) == "Skipped(line=1, col=2, reason='r', value='v')"
