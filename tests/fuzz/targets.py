"""Fuzz targets for every parser entry point: each takes one input and fails only when the tool would crash.

A target's contract: the input is accepted, or refused with a ConformError (one line, exit 2) — or for payloads a
problem recorded on the target. Anything else (another exception, a crash of the process) is a bug. Shared by the
short run in the suite (test_fuzz.py) and the long run (tools/fuzz.py)."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Callable

from hypothesis import strategies as st

from ldt_conform import baseline, evidence, load, manifest, payloads, profile
from ldt_conform.errors import ConformError

REPO = Path(__file__).resolve().parents[2]

SEEDS_RDF = {
    "turtle": [(REPO / "examples" / "catalogue-ok.ttl").read_bytes()[:3000],
               b'@prefix ex: <http://e/> .\nex:a ex:p [ ex:q ( 1 2 "x"@en ) ] .\n'],
    "ntriples": [b'<http://e/a> <http://e/p> "x"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'],
    "nquads": [b'<http://e/a> <http://e/p> _:b <http://e/g> .\n'],
    "trig": [b'@prefix ex: <http://e/> .\nex:g { ex:a ex:p ex:b . }\n'],
    "jsonld": [b'{"@context": {"ex": "http://e/"}, "@graph": [{"@id": "ex:a", "ex:p": [{"@value": 1}]}]}'],
    "rdfxml": [b'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY e "http://e/">]>\n'
               b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="&e;">'
               b'<rdf:Description rdf:about="&e;a"><ex:p>x</ex:p></rdf:Description></rdf:RDF>'],
}
SEEDS_JSON = [b'{"id": "urn:ngsi-ld:X:1", "type": "X", "v": {"type": "Property", "value": 1.5}}',
              b'[{"id": "a"}, {"id": "b", "n": [1, [2, [3]]]}]',
              b'{"type": "FeatureCollection", "features": [{"type": "Feature", "id": 1, "properties": {}}]}',
              b'{"@context": "x", "@graph": [{"id": "a"}]}']
SEEDS_TOML = [b'extends = "dcat-ap-3"\n[twin]\nname = "T"\ncatalogue = ["c.ttl"]\npayloads = ["e/*.json"]\n',
              b'format = "ldt-conform/profile@1"\nid = "p"\nversion = "1"\ntitle = "t"\nextends = "dcat-ap-3"\n'
              b'[override."DCATAP-101"]\nseverity = "warning"\n']
SEEDS_REPORT = [json.dumps({"format": "ldt-conform/report@1", "profile": {"id": "p", "version": "1"},
                            "summary": {"conforms": True}, "mims": [{"key": "m", "level": "full", "label": "M"}],
                            "findings": [{"rule": "R-1", "target": "t", "focus": "f", "path": "p", "value": "v",
                                          "message": "m", "severity": "error"}]}).encode(),
                json.dumps({"format": "ldt-conform/baseline@1", "profile": {"id": "p"},
                            "findings": [{"rule": "R", "target": "t", "focus": "f", "fingerprint": "x"}]}).encode()]
SEEDS_EVIDENCE = [json.dumps({"format": "ldt-conform/evidence@1",
                              "files": [{"path": "reports/report.json", "sha256": "0" * 64, "size": 1}]}).encode()]

# Tokens that matter to these grammars: spliced in, they reach the deep corners faster than random bytes.
TOKENS = [b"[", b"]", b"{", b"}", b"(", b")", b'"', b"\\", b"<", b">", b"&", b";", b"@", b":", b".", b",", b"\n",
          b"\x00", b"\xef\xbb\xbf", b"\xff", b"NaN", b"-Infinity", b"1e999", b"<!ENTITY a \"&a;\">", b"@graph",
          b"@context", b"@id", b"@list", b"_:b", b"^^", b"\"\"\"", b"'''", b"[[", b"]]", b"=", b"# ", b"\\u0000",
          b"\\uD800", b"rdf:parseType=\"Collection\"", b"<!DOCTYPE", b"null", b"true", b"-0"]


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """A seed with a few random edits (insert a token or random bytes, delete or duplicate a slice), or pure noise."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=400))
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.integers(0, 4))
        if op == 0:
            data[at:at] = draw(st.sampled_from(TOKENS)) * draw(st.integers(1, 3))
        elif op == 1:
            data[at:at] = draw(st.binary(max_size=8))
        elif op == 2:
            data[at:at + draw(st.integers(1, 20))] = b""
        elif op == 3:
            data[at:at] = data[at:at + draw(st.integers(1, 40))] * draw(st.integers(1, 4))
        else:
            data[at:at] = draw(st.sampled_from(TOKENS)) * draw(st.integers(50, 600))  # depth and length
    return bytes(data)


def rdf_loader(fmt: str, data: bytes) -> None:
    try:
        target = load.parse("fuzz", data, fmt, "http://example.org/base/")
    except ConformError:
        return
    assert target.triple_count > 0


def payload_loader(fmt: str, data: bytes) -> None:
    target = payloads.JsonTarget(source="fuzz.json", format=fmt)
    payloads._fill(target, data)  # never raises: what is wrong becomes a problem on the target
    for where, entity in target.entities:
        assert isinstance(entity, dict) and isinstance(where, str)


def _in_tmp(name: str, data: bytes, call: Callable[[Path], object]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            call(path)
        except ConformError:
            pass


def profile_loader(data: bytes) -> None:
    _in_tmp("profile.toml", data, lambda p: profile.load(str(p)))


def manifest_loader(data: bytes) -> None:
    _in_tmp("ldt-conform.toml", data, manifest.load)


def diff_reader(old: bytes, new: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        a, b = Path(folder) / "old.json", Path(folder) / "new.json"
        a.write_bytes(old)
        b.write_bytes(new)
        try:
            result = baseline.diff(a, b)
            baseline.diff_text(result)
            json.dumps(result)
        except ConformError:
            pass
        try:
            baseline.load(a)
        except ConformError:
            pass


def verify_reader(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        bundle = Path(folder)
        (bundle / "reports").mkdir()
        (bundle / "reports" / "report.json").write_text("{}")
        (bundle / evidence.MANIFEST).write_bytes(data)
        try:
            evidence.verify(bundle).text()
        except ConformError:
            pass


RDF_FORMATS = sorted(SEEDS_RDF)
