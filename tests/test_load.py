"""Reading catalogue inputs: formats, detection, named graphs, and one-line errors for every kind of bad input."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import corpus_path, run_cli
from ldt_conform.errors import LoadError
from ldt_conform.load import open_targets, sniff

TTL = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<http://ex.org/d1> a dcat:Dataset ; dct:title "Parking"@en .
"""
SAMPLES = {
    "turtle": (".ttl", TTL),
    "ntriples": (".nt", '<http://ex.org/d1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset> .\n'),
    "nquads": (".nq", '<http://ex.org/d1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset> <http://ex.org/g> .\n'),
    "trig": (".trig", '<http://ex.org/g> { <http://ex.org/d1> a <http://www.w3.org/ns/dcat#Dataset> . }\n'),
    "rdfxml": (".rdf", '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                       'xmlns:dcat="http://www.w3.org/ns/dcat#">\n<dcat:Dataset rdf:about="http://ex.org/d1"/>\n</rdf:RDF>\n'),
    "jsonld": (".jsonld", json.dumps({"@id": "http://ex.org/d1", "@type": "http://www.w3.org/ns/dcat#Dataset"})),
}
# Each is broken on line 2; the error must name file:2:col.
BROKEN = {
    "turtle": (".ttl", "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<http://ex.org/d1> a dcat:Dataset , .\n"),
    "ntriples": (".nt", "<http://ex.org/a> <http://ex.org/b> <http://ex.org/c> .\n<http://ex.org/a> <http://ex.org/b> .\n"),
    "nquads": (".nq", "<http://ex.org/a> <http://ex.org/b> <http://ex.org/c> <http://ex.org/g> .\n<http://ex.org/a> <http://ex.org/b> \"x\" <http://ex.org/g> <http://ex.org/h> .\n"),
    "trig": (".trig", "<http://ex.org/g> {\n <http://ex.org/a> <http://ex.org/b> . }\n"),
    "rdfxml": (".rdf", '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<rdf:Description rdf:about="http://ex.org/a">\n</rdf:RDF>\n'),
    "jsonld": (".jsonld", '{"@id": "http://ex.org/a",\n "@type": }\n'),
}


@pytest.mark.parametrize("fmt", sorted(SAMPLES))
def test_every_format_parses(tmp_path: Path, fmt: str) -> None:
    suffix, text = SAMPLES[fmt]
    file = tmp_path / f"cat{suffix}"
    file.write_text(text, "utf-8")
    [target] = open_targets([str(file)])
    assert target.format == fmt
    assert target.triple_count >= 1


@pytest.mark.parametrize("fmt", sorted(BROKEN))
def test_parse_error_names_file_line_and_column(tmp_path: Path, fmt: str) -> None:
    suffix, text = BROKEN[fmt]
    file = tmp_path / f"broken{suffix}"
    file.write_text(text, "utf-8")
    result = run_cli(["check", str(file)], expect=2)
    line = result.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert line.startswith(f"error: {file}:"), line
    location = line[len(f"error: {file}:"):].split(":")[:2]
    assert all(part.isdigit() for part in location), line
    assert location[0] in ("2", "3", "4"), line


def test_real_upstream_syntax_error_is_one_line() -> None:
    path = corpus_path("dcat", "semic-dcat-ap", "example-bee-population-dataset-series-combined.ttl")
    result = run_cli(["check", str(path)], expect=2)
    assert result.stderr.startswith(f"error: {path}:32:31: bad turtle syntax"), result.stderr


def test_named_graph_triples_are_validated() -> None:
    """The GeoDCAT-AP example keeps every triple in a named graph; a plain rdflib Graph would see none."""
    path = corpus_path("dcat", "semic-geodcat-ap", "dataset.jsonld")
    [target] = open_targets([str(path)])
    assert target.triple_count == 73
    report = run_cli(["check", str(path), "--profile", "dcat-ap-3-core", "--format", "json"], expect=None)
    data = json.loads(report.stdout)
    assert data["targets"][0]["triples"] == 73
    assert any(f["rule"].startswith("DCATAP-") for f in data["findings"]), "named-graph triples were not validated"


@pytest.mark.parametrize("name,content,expected", [
    ("empty.ttl", b"", "empty file"),
    ("blank.ttl", b"  \n\n", "empty file"),
    ("binary.ttl", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "binary file"),
    ("latin1.ttl", "<http://ex.org/a> <http://ex.org/b> \"caf\xe9\" .\n".encode("latin-1"), "not UTF-8"),
    ("notes.txt", b"just some notes", "not an RDF file extension"),
    ("data.dat", b"just some words", "cannot tell the RDF format"),
])
def test_bad_files_exit_2_with_one_line(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    file = tmp_path / name
    file.write_bytes(content)
    result = run_cli(["check", str(file)], expect=2)
    assert result.stderr.count("\n") == 1 and expected in result.stderr and str(file) in result.stderr, result.stderr


def test_non_utf8_error_names_line(tmp_path: Path) -> None:
    file = tmp_path / "latin1.ttl"
    file.write_bytes(b"<http://ex.org/a> <http://ex.org/b> \"ok\" .\n<http://ex.org/a> <http://ex.org/b> \"caf\xe9\" .\n")
    result = run_cli(["check", str(file)], expect=2)
    assert f"{file}:2:" in result.stderr


def test_missing_file_and_empty_directory(tmp_path: Path) -> None:
    result = run_cli(["check", str(tmp_path / "nope.ttl")], expect=2)
    assert "no such file" in result.stderr and "nope.ttl" in result.stderr
    (tmp_path / "readme.md").write_text("no rdf here")
    result = run_cli(["check", str(tmp_path)], expect=2)
    assert "directory holds no RDF files" in result.stderr


def test_directory_reads_every_rdf_file(tmp_path: Path) -> None:
    (tmp_path / "a.ttl").write_text(TTL, "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.nt").write_text(SAMPLES["ntriples"][1], "utf-8")
    (tmp_path / "notes.md").write_text("ignored")
    targets = open_targets([str(tmp_path)])
    assert [Path(t.source).name for t in targets] == ["a.ttl", "b.nt"]


def test_content_sniffing() -> None:
    assert sniff(b"@prefix a: <http://a/> .") == "turtle"
    assert sniff(b'<?xml version="1.0"?><rdf:RDF/>') == "rdfxml"
    assert sniff(b'  {"@context": {}}') == "jsonld"
    assert sniff(b"<http://a/b> <http://a/c> <http://a/d> .\n") == "ntriples"
    assert sniff(b"hello world") is None


def test_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    file = tmp_path / "catalogue.data"
    file.write_text(TTL, "utf-8")
    [target] = open_targets([str(file)])
    assert target.format == "turtle"


def test_stdin_needs_input_format() -> None:
    result = run_cli(["check", "-"], expect=2, input=TTL)
    assert "--input-format" in result.stderr
    ok = run_cli(["check", "-", "--input-format", "turtle", "--profile", "dcat-ap-3-core", "--format", "json"],
                 expect=None, input=TTL)
    assert ok.exit_code in (0, 1) and json.loads(ok.stdout)["targets"][0]["source"] == "<stdin>"


def test_load_error_type() -> None:
    with pytest.raises(LoadError):
        open_targets(["/definitely/not/here.ttl"])


def test_a_store_dir_that_is_no_folder_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    # The CLI checks --store-dir before the run; the API names it too, instead of raising NotADirectoryError.
    from ldt_conform import api
    from ldt_conform.errors import UsageError

    source = tmp_path / "c.ttl"
    source.write_text("<http://ex.org/a> <http://ex.org/b> <http://ex.org/c> .\n", encoding="utf-8")
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    with pytest.raises(UsageError) as caught:
        api.check([str(source)], api.CheckOptions(store_dir=str(not_a_folder)))
    assert str(caught.value) == f"--store-dir {not_a_folder}: cannot make a store there: Not a directory"
