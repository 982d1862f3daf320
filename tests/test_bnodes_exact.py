"""Exact expectations for stable blank-node labels: the hashed descriptions, twins, depth, and relabelled items."""
from __future__ import annotations

import hashlib
import itertools

import pyoxigraph as ox
import pytest

from ldt_conform.bnodes import _in_store, blank_labels, canonical_labels, names_blank_node, relabel
from ldt_conform.model import Finding, Severity
from ldt_conform.shacl_fast.result import ShaclResult
from ldt_conform.shacl_fast.terms import encoded_datatype

EX = "http://ex/"


def digest(description: str) -> str:
    """The label canonical_labels gives a node described as `description` (its edges to depth 3)."""
    return "_:b" + hashlib.sha1(description.encode()).hexdigest()[:12]


def store_of(turtle: str) -> ox.Store:
    store = ox.Store()
    store.load(("@prefix ex: <http://ex/> .\n" + turtle).encode(), format=ox.RdfFormat.TURTLE)
    return store


def node(label: str) -> ox.BlankNode:
    return ox.BlankNode(label)


def iri(name: str) -> ox.NamedNode:
    return ox.NamedNode(EX + name)


def explicit(*triples: tuple[ox.NamedNode | ox.BlankNode, str, ox.NamedNode | ox.BlankNode | ox.Literal]) -> ox.Store:
    store = ox.Store()
    for s, p, o in triples:
        store.add(ox.Quad(s, iri(p), o))
    return store


# --- canonical_labels: exact hashes -------------------------------------------------------------------------------

def test_description_of_outgoing_and_incoming_edges_sorted() -> None:
    store = explicit((node("x"), "p", ox.Literal("v")), (node("x"), "a", iri("o")),
                     (iri("t"), "q", node("x")), (iri("s"), "q", node("x")))
    expected = digest('{http://ex/a <http://ex/o>;http://ex/p "v";^http://ex/q <http://ex/s>;^http://ex/q <http://ex/t>}')
    assert canonical_labels(store, ["x"]) == {"x": expected}


def test_node_with_incoming_edges_only() -> None:
    store = explicit((iri("s"), "q", node("z")))
    assert _in_store(store, node("z")) is True
    assert canonical_labels(store, ["z"]) == {"z": digest("{^http://ex/q <http://ex/s>}")}


def test_node_with_outgoing_edges_only() -> None:
    store = explicit((node("w"), "p", ox.Literal("1", language="en")))
    assert _in_store(store, node("w")) is True
    assert canonical_labels(store, ["w"]) == {"w": digest('{http://ex/p "1"@en}')}


def test_nested_blank_nodes_are_described_to_depth_three() -> None:
    store = explicit((node("x"), "p", node("y")), (node("y"), "r", ox.Literal("w")))
    y0 = '{http://ex/r "w";^http://ex/p _}'
    x1 = "{http://ex/p " + y0 + "}"
    y2 = '{http://ex/r "w";^http://ex/p ' + x1 + "}"
    x3 = "{http://ex/p " + y2 + "}"
    x0 = "{http://ex/p _}"
    y1 = '{http://ex/r "w";^http://ex/p ' + x0 + "}"
    x2 = "{http://ex/p " + y1 + "}"
    y3 = '{http://ex/r "w";^http://ex/p ' + x2 + "}"
    assert canonical_labels(store, ["x", "y"]) == {"x": digest(x3), "y": digest(y3)}


def test_stored_literal_is_described_as_written() -> None:
    store = explicit((node("d"), "p", ox.Literal("01", datatype=encoded_datatype("http://www.w3.org/2001/XMLSchema#int"))))
    assert canonical_labels(store, ["d"]) == {"d": digest('{http://ex/p "01"^^<http://www.w3.org/2001/XMLSchema#int>}')}


def test_labels_not_in_the_store_are_left_out() -> None:
    store = explicit((node("x"), "p", ox.Literal("v")))
    assert _in_store(store, node("nothere")) is False
    assert canonical_labels(store, ["nothere", "x", "x"]) == {"x": digest('{http://ex/p "v"}')}
    assert canonical_labels(store, ["nothere"]) == {}
    assert canonical_labels(store, []) == {}
    assert canonical_labels(ox.Store(), ["x"]) == {}


def test_indistinguishable_twins_are_numbered_in_label_order() -> None:
    store = explicit((iri("s"), "p", node("n9")), (iri("s"), "p", node("n10")), (iri("s"), "p", node("a")),
                     (iri("s"), "q", node("lone")))
    twin = digest("{^http://ex/p <http://ex/s>}")
    assert canonical_labels(store, ["n9", "lone", "n10", "a"]) == {
        "a": twin + "-0", "n10": twin + "-1", "n9": twin + "-2", "lone": digest("{^http://ex/q <http://ex/s>}")}
    # one twin alone gets no number
    assert canonical_labels(store, ["n9"]) == {"n9": twin}


def test_incoming_edges_count() -> None:
    once = explicit((iri("s"), "q", node("x")), (node("x"), "p", ox.Literal("v")))
    twice = explicit((iri("s"), "q", node("x")), (iri("t"), "q", node("x")), (node("x"), "p", ox.Literal("v")))
    assert canonical_labels(once, ["x"]) == {"x": digest('{http://ex/p "v";^http://ex/q <http://ex/s>}')}
    assert canonical_labels(twice, ["x"]) == {
        "x": digest('{http://ex/p "v";^http://ex/q <http://ex/s>;^http://ex/q <http://ex/t>}')}


# --- canonical_labels: structure ---------------------------------------------------------------------------------

def root_label(store: ox.Store) -> str:
    quad = next(iter(store.quads_for_pattern(iri("start"), None, None)))
    assert isinstance(quad.object, ox.BlankNode)
    return quad.object.value


def chain(mark_at: int, mark: str) -> ox.Store:
    """ex:start → root → b1 → b2 → b3 → b4, with ex:v `mark` on the node `mark_at` steps from the root."""
    nodes = ["_:r", "_:b1", "_:b2", "_:b3", "_:b4"]
    lines = [f"ex:start ex:n {nodes[0]} ."]
    lines += [f"{a} ex:n {b} ." for a, b in itertools.pairwise(nodes)]
    lines.append(f'{nodes[mark_at]} ex:v "{mark}" .')
    return store_of("\n".join(lines))


def canonical_root(store: ox.Store) -> str:
    label = root_label(store)
    return canonical_labels(store, [label])[label]


@pytest.mark.parametrize(("mark_at", "same"), [(0, False), (1, False), (2, False), (3, False), (4, True)])
def test_depth_of_a_difference(mark_at: int, same: bool) -> None:
    assert (canonical_root(chain(mark_at, "1")) == canonical_root(chain(mark_at, "2"))) is same


@pytest.mark.parametrize("mark_at", [0, 1, 2, 3, 4])
def test_isomorphic_nodes_in_two_stores_parsed_separately(mark_at: int) -> None:
    one, two = chain(mark_at, "1"), chain(mark_at, "1")
    assert root_label(one) != root_label(two)
    assert canonical_root(one) == canonical_root(two)


def test_chain_root_exact() -> None:
    # described at depth 0, a node's blank neighbours are "_": b4 (and its ex:v) is not seen from the root
    leaf = "{http://ex/n _;^http://ex/n _}"  # b3 and b1 at depth 0
    r1 = "{http://ex/n " + leaf + ";^http://ex/n <http://ex/start>}"
    b2 = "{http://ex/n " + leaf + ";^http://ex/n " + leaf + "}"
    b1 = "{http://ex/n " + b2 + ";^http://ex/n " + r1 + "}"
    root = "{http://ex/n " + b1 + ";^http://ex/n <http://ex/start>}"
    assert canonical_root(chain(4, "1")) == digest(root)


def test_labels_of_the_same_parse_are_one_call_or_many() -> None:
    store = chain(2, "1")
    label = root_label(store)
    b1 = next(iter(store.quads_for_pattern(node(label), iri("n"), None))).object
    assert isinstance(b1, ox.BlankNode)
    both = canonical_labels(store, [label, b1.value])
    alone = {**canonical_labels(store, [label]), **canonical_labels(store, [b1.value])}
    assert both == alone
    assert both[label] != both[b1.value]


# --- blank_labels and names_blank_node ---------------------------------------------------------------------------

def finding(focus: str, value: str | None, message: str = "m") -> Finding:
    return Finding(rule="R-1", severity=Severity.WARNING, target="t.ttl", focus=focus, message=message, value=value)


def result(focus: str, value: str | None, message: str | None = "shape says _:x") -> ShaclResult:
    return ShaclResult(focus=focus, path=EX + "p", value=value, source_shape="_:shape", component=EX + "C",
                       severity="http://www.w3.org/ns/shacl#Violation", message=message)


def test_blank_labels() -> None:
    items = [finding("_:x", "_:y"), finding("http://ex/a", None), finding("http://ex/b", "_:z"),
             result("_:x", '"_:lit"'), result("http://ex/c", "http://ex/d"), finding("_:", None)]
    assert blank_labels(items) == {"x", "y", "z", ""}
    assert blank_labels([]) == set()


@pytest.mark.parametrize(("focus", "value", "expected"), [
    ("_:x", None, True), ("http://ex/a", "_:y", True), ("http://ex/a", None, False),
    ("http://ex/a", '"_:y"', False), ("http://ex/a", "http://ex/b", False), ("_:x", "_:y", True)])
def test_names_blank_node(focus: str, value: str | None, expected: bool) -> None:
    assert names_blank_node(finding(focus, value)) is expected
    assert names_blank_node(result(focus, value)) is expected


# --- relabel -----------------------------------------------------------------------------------------------------

LABELS = {"x": "_:bAAA", "y": "_:bBBB"}


def test_relabel_finding_focus_value_and_message() -> None:
    item = finding("_:x", "_:y", "node _:x points to _:y")
    assert relabel(item, LABELS) == finding("_:bAAA", "_:bBBB", "node _:bAAA points to _:bBBB")


def test_relabel_finding_focus_only() -> None:
    assert relabel(finding("_:x", "http://ex/v", "node _:x"), LABELS) == finding("_:bAAA", "http://ex/v", "node _:bAAA")
    assert relabel(finding("_:x", None, "node _:x"), LABELS) == finding("_:bAAA", None, "node _:bAAA")


def test_relabel_finding_value_only() -> None:
    assert relabel(finding("http://ex/a", "_:y", "_:y here"), LABELS) == finding("http://ex/a", "_:bBBB", "_:bBBB here")


def test_relabel_finding_unknown_labels_are_kept() -> None:
    item = finding("_:q", "_:zz", "from _:q to _:zz and _:x")
    out = relabel(item, LABELS)
    assert out == item
    assert (out.focus, out.value, out.message) == ("_:q", "_:zz", "from _:q to _:zz and _:x")
    mixed = relabel(finding("_:x", "_:zz", "_:x and _:zz"), LABELS)
    assert mixed == finding("_:bAAA", "_:zz", "_:bAAA and _:zz")


def test_relabel_shacl_result_keeps_its_message() -> None:
    out = relabel(result("_:x", "_:y", "shape says _:x"), LABELS)
    assert out == result("_:bAAA", "_:bBBB", "shape says _:x")
    assert relabel(result("http://ex/a", "_:zz", None), LABELS) == result("http://ex/a", "_:zz", None)
    assert relabel(result("_:x", None, None), LABELS) == result("_:bAAA", None, None)


def test_relabel_without_blank_nodes_is_the_item_itself() -> None:
    item = finding("http://ex/a", "http://ex/b", "_:x in the message only")
    assert relabel(item, LABELS) is item
    shacl = result("http://ex/a", '"_:x"')
    assert relabel(shacl, LABELS) is shacl


def test_relabel_with_canonical_labels_of_a_store() -> None:
    store = explicit((iri("s"), "q", node("x")))
    labels = canonical_labels(store, blank_labels([finding("_:x", "_:gone", "_:x")]))
    new = digest("{^http://ex/q <http://ex/s>}")
    assert labels == {"x": new}
    assert relabel(finding("_:x", "_:gone", "_:x and _:gone"), labels) == finding(new, "_:gone", f"{new} and _:gone")


@pytest.mark.parametrize(("focus", "value", "message", "expected"), [
    # The focus label is a prefix of the value's: renaming it first used to rewrite the start of the value's name.
    ("_:x", "_:x2", "node _:x points to _:x2", "node _:bAAA points to _:bBBB"),
    ("_:x2", "_:x", "node _:x2 points to _:x", "node _:bBBB points to _:bAAA"),
    # A name followed by a full stop ends there; followed by '.' and a label character it goes on (_:x.y is a name).
    ("_:x", "_:x2", "_:x. Then _:x2.", "_:bAAA. Then _:bBBB."),
    ("_:x", "_:x2", "_:x.y is not _:x, nor _:x-1, nor _:x_", "_:x.y is not _:bAAA, nor _:x-1, nor _:x_"),
    ("_:x", "_:x2", "_:x\u00b7 and (_:x)", "_:x\u00b7 and (_:bAAA)"),
])
def test_relabel_renames_whole_names_only(focus: str, value: str, message: str, expected: str) -> None:
    out = relabel(finding(focus, value, message), {"x": "_:bAAA", "x2": "_:bBBB"})
    assert (out.focus, out.value, out.message) == ({"_:x": "_:bAAA", "_:x2": "_:bBBB"}[focus],
                                                   {"_:x": "_:bAAA", "_:x2": "_:bBBB"}[value], expected)
