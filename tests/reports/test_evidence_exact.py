"""Evidence bundles, exactly: what `evidence.write` records of every input, page and baseline, the manifest it signs,
and each problem `evidence.verify` reports. An auditor reads these files, not our tests' intentions, so each case
asserts the whole entry or the whole list of problems. (The CLI round trip on a corpus catalogue is
test_evidence.py; the streamed findings file is test_render_streamed.py.)"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from factory import API, report as factory_report
from ldt_conform import evidence
from ldt_conform.errors import UsageError
from ldt_conform.model import PageInfo, Report, Severity, Status, TargetInfo
from ldt_conform.render import EXTENSIONS, FORMATS

NOT_LOCAL = "not copied: not a local file (its sha256 is recorded)"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _local_report(tmp_path: Path, *, pages: bool = True, baseline: bool = True) -> tuple[Report, dict[str, Path]]:
    """The factory's report, its catalogue a real file read in two pages, beside an API and a baseline file."""
    files = {"catalogue": tmp_path / "in" / "city.ttl", "page2": tmp_path / "in" / "city-p2.ttl",
             "baseline": tmp_path / "in" / "known.json"}
    files["catalogue"].parent.mkdir()
    files["catalogue"].write_bytes(b"<urn:a> <urn:b> <urn:c> .\n")
    files["page2"].write_bytes(b"<urn:d> <urn:e> <urn:f> .\n<urn:d> <urn:e> <urn:g> .\n")
    files["baseline"].write_bytes(b'{"findings": []}\n')
    cat, page2 = files["catalogue"].read_bytes(), files["page2"].read_bytes()
    page_infos = (PageInfo(str(files["catalogue"]), _sha(cat), len(cat), 1, "nt"),
                  PageInfo(str(files["page2"]), _sha(page2), len(page2), 2, "nt")) if pages else ()
    base = factory_report()
    targets = (TargetInfo(str(files["catalogue"]), "rdf", _sha(cat), len(cat) + len(page2), 3, format="nt",
                          pages=page_infos),
               TargetInfo(API, "api", probed_at="2026-01-02T03:04:05Z"),
               TargetInfo("entities/park.json", "json", "e" * 64, 77, documents=4, format="json"))
    known = {"file": str(files["baseline"]), "sha256": _sha(files["baseline"].read_bytes()), "new": 1, "known": 0,
             "fixed": 0}
    return replace(base, targets=targets, baseline=known if baseline else {}), files


def test_inputs_json_records_every_input_page_and_baseline_with_their_copies(tmp_path: Path) -> None:
    report, files = _local_report(tmp_path)
    bundle = tmp_path / "ev"
    evidence.write(report, bundle, formats=["json"], include_inputs=True)
    cat, page2, known = (files[k].read_bytes() for k in ("catalogue", "page2", "baseline"))
    assert json.loads((bundle / "inputs.json").read_text()) == [
        {"source": str(files["catalogue"]), "kind": "rdf", "sha256": _sha(cat), "size": len(cat) + len(page2),
         "triples": 3, "format": "nt", "copy": "inputs/001-city.ttl",
         "pages": [{"source": str(files["catalogue"]), "sha256": _sha(cat), "size": len(cat), "triples": 1},
                   {"source": str(files["page2"]), "sha256": _sha(page2), "size": len(page2), "triples": 2,
                    "copy": "inputs/001-city-p2.ttl"}]},
        {"source": API, "kind": "api", "probed_at": "2026-01-02T03:04:05Z", "copy": NOT_LOCAL},
        {"source": "entities/park.json", "kind": "json", "sha256": "e" * 64, "size": 77, "documents": 4,
         "format": "json", "copy": NOT_LOCAL},
        {"source": str(files["baseline"]), "kind": "baseline", "sha256": _sha(known), "copy": "inputs/004-known.json"},
    ]
    assert (bundle / "inputs" / "001-city.ttl").read_bytes() == cat
    assert (bundle / "inputs" / "001-city-p2.ttl").read_bytes() == page2
    assert (bundle / "inputs" / "004-known.json").read_bytes() == known
    assert sorted(p.name for p in (bundle / "inputs").iterdir()) == ["001-city-p2.ttl", "001-city.ttl",
                                                                     "004-known.json"]


def test_without_include_inputs_nothing_is_copied_and_no_entry_claims_a_copy(tmp_path: Path) -> None:
    report, files = _local_report(tmp_path)
    bundle = tmp_path / "ev"
    evidence.write(report, bundle, formats=["json"])
    inputs = json.loads((bundle / "inputs.json").read_text())
    assert [e["source"] for e in inputs] == [str(files["catalogue"]), API, "entities/park.json",
                                            str(files["baseline"])]
    assert [sorted(e) for e in inputs] == [["format", "kind", "pages", "sha256", "size", "source", "triples"],
                                           ["kind", "probed_at", "source"],
                                           ["documents", "format", "kind", "sha256", "size", "source"],
                                           ["kind", "sha256", "source"]]
    assert [sorted(p) for p in inputs[0]["pages"]] == [["sha256", "size", "source", "triples"]] * 2
    assert not (bundle / "inputs").exists()
    assert sorted(p.relative_to(bundle).as_posix() for p in bundle.rglob("*")) == [
        "inputs.json", "manifest.json", "manifest.sha256", "reports", "reports/report.json"]


def test_an_unpaged_input_without_a_baseline_has_neither_entry(tmp_path: Path) -> None:
    report, files = _local_report(tmp_path, pages=False, baseline=False)
    bundle = tmp_path / "ev"
    evidence.write(report, bundle, formats=["json"], include_inputs=True)
    inputs = json.loads((bundle / "inputs.json").read_text())
    assert [e["source"] for e in inputs] == [str(files["catalogue"]), API, "entities/park.json"]
    assert "pages" not in inputs[0] and inputs[0]["copy"] == "inputs/001-city.ttl"
    assert sorted(p.name for p in (bundle / "inputs").iterdir()) == ["001-city.ttl"]


@pytest.mark.parametrize("conforms", [False, True])
def test_manifest_names_the_run_and_hashes_every_file_but_itself(tmp_path: Path, conforms: bool) -> None:
    report, _ = _local_report(tmp_path)
    if conforms:
        report = replace(report, findings=(), fail_on=Severity.WARNING,
                         results=tuple(r for r in report.results if r.status is not Status.ERROR))
    assert report.conforms is conforms
    bundle = tmp_path / "ev"
    digest = evidence.write(report, bundle, formats=["json", "markdown"], include_inputs=True)
    text = (bundle / "manifest.json").read_text()
    assert digest == _sha(text.encode("utf-8"))
    assert (bundle / "manifest.sha256").read_text() == f"{digest}  manifest.json\n"
    # in path order, folder by folder (inputs/ before inputs.json), as sorted Paths compare
    listed = ["inputs/001-city-p2.ttl", "inputs/001-city.ttl", "inputs/004-known.json", "inputs.json",
              "reports/report.json", "reports/report.md"]
    # one space of indent, UTF-8 as is, a final newline: the bytes whose sha256 a CI log prints
    assert text == json.dumps(json.loads(text), indent=1, ensure_ascii=False) + "\n"
    inputs = (bundle / "inputs.json").read_text()
    assert inputs == json.dumps(json.loads(inputs), indent=1, ensure_ascii=False) + "\n"
    assert json.loads(text) == {
        "format": "ldt-conform/evidence@1", "created_at": "2026-01-02T03:04:09Z",
        "tool": {"name": "ldt-conform", "version": "0.1.0"},
        "profile": {"id": "test-profile", "version": "1.2.0", "sha256": "c" * 64},
        "conforms": conforms, "fail_on": "warning" if conforms else "error",
        "files": [{"path": p, "sha256": _sha((bundle / p).read_bytes()), "size": (bundle / p).stat().st_size}
                  for p in listed],
    }
    assert json.loads((bundle / "reports" / "report.json").read_text())["summary"]["conforms"] is conforms
    assert sorted(p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()) == sorted(
        [*listed, "manifest.json", "manifest.sha256"])


def test_every_format_is_written_and_an_unavailable_pdf_is_named_not_fatal(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from ldt_conform.render import pdf

    monkeypatch.setattr(pdf, "_problem", lambda: "OSError: cannot load library 'pango-1.0-0'")
    report, _ = _local_report(tmp_path)
    bundle = tmp_path / "ev"
    evidence.write(report, bundle)
    written = sorted(p.name for p in (bundle / "reports").iterdir())
    assert written == sorted(f"report.{EXTENSIONS[f]}" for f in FORMATS if f != "pdf")
    assert (bundle / "reports" / "report.html").read_text().startswith('<!DOCTYPE html>\n<html lang="en">')
    manifest = json.loads((bundle / "manifest.json").read_text())
    assert manifest["skipped_formats"] == {
        "pdf": "PDF reports need WeasyPrint: pip install 'ldt-conform[pdf]', with Pango and HarfBuzz "
               "(OSError: cannot load library 'pango-1.0-0')"}
    assert evidence.verify(bundle).intact


def test_a_bundle_goes_into_a_new_directory_whose_parents_are_made(tmp_path: Path) -> None:
    report, _ = _local_report(tmp_path)
    bundle = tmp_path / "audit" / "2026" / "ev"
    (tmp_path / "audit").mkdir()
    with pytest.raises(UsageError) as refused:
        evidence.write(report, bundle, formats=["json"])
    assert (refused.value.where, refused.value.message) == (
        str(bundle), "cannot create the evidence directory: its parent does not exist")
    empty = tmp_path / "audit" / "empty"
    empty.mkdir()
    evidence.write(report, empty, formats=["json"])
    assert (empty / "reports" / "report.json").is_file()


@pytest.mark.parametrize("make, message", [
    (lambda d: d.write_text("x"), "evidence directory is a file"),
    (lambda d: (d.mkdir(), (d / "notes.txt").write_text("mine")),
     "evidence directory is not empty (give a new or empty directory)"),
    (lambda d: (d.mkdir(), (d / "sub").mkdir()), "evidence directory is not empty (give a new or empty directory)"),
])
def test_prepare_refuses_what_it_would_mix_with(tmp_path: Path, make: object, message: str) -> None:
    directory = tmp_path / "ev"
    make(directory)  # type: ignore[operator]
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    with pytest.raises(UsageError) as refused:
        evidence.prepare(directory)
    assert (refused.value.where, refused.value.message) == (str(directory), message)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == before


def test_a_page_that_is_a_url_is_recorded_not_copied(tmp_path: Path) -> None:
    report, _ = _local_report(tmp_path)
    target = report.targets[0]
    url_page = PageInfo("https://data.example.org/catalog?page=2", "f" * 64, 10, 2)
    report = replace(report, targets=(replace(target, pages=(target.pages[0], url_page)),), baseline={})
    bundle = tmp_path / "ev"
    evidence.write(report, bundle, formats=["json"], include_inputs=True)
    (entry,) = json.loads((bundle / "inputs.json").read_text())
    assert entry["pages"][1] == {"source": "https://data.example.org/catalog?page=2", "sha256": "f" * 64,
                                 "size": 10, "triples": 2, "copy": NOT_LOCAL}
    assert "copy" not in entry["pages"][0]


@pytest.mark.parametrize("changed, copy", [("page2", "001-city-p2.ttl"), ("catalogue", "001-city.ttl")])
def test_an_input_or_page_changed_since_the_check_stops_the_bundle(tmp_path: Path, changed: str, copy: str) -> None:
    report, files = _local_report(tmp_path)
    files[changed].write_bytes(b"<urn:d> <urn:e> <urn:CHANGED> .\n")
    with pytest.raises(UsageError) as refused:
        evidence.write(report, tmp_path / "ev", formats=["json"], include_inputs=True)
    assert (refused.value.where, refused.value.message) == (
        str(files[changed]), "input changed while it was being checked; the evidence bundle would not match it")
    assert not (tmp_path / "ev" / "inputs" / copy).exists()


# --- verify ---------------------------------------------------------------------------------------------------


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    report, _ = _local_report(tmp_path)
    directory = tmp_path / "ev"
    evidence.write(report, directory, formats=["json", "markdown"], include_inputs=True)
    return directory


def test_verify_of_an_intact_bundle(bundle: Path) -> None:
    verdict = evidence.verify(bundle)
    digest = _sha((bundle / "manifest.json").read_bytes())
    assert (verdict.intact, verdict.files, verdict.manifest_sha256, verdict.problems) == (True, 6, digest, [])
    assert verdict.text() == f"intact: 6 files in {bundle} match manifest.json (manifest sha256 {digest})\n"


def _fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _symlink(path: Path) -> None:
    path.unlink()
    path.symlink_to(path.parent.parent / "inputs.json")


@pytest.mark.parametrize("tamper, problems", [
    (lambda b: (b / "manifest.sha256").unlink(), ["missing: manifest.sha256"]),
    (lambda b: (b / "manifest.sha256").write_text("0" * 64 + "  manifest.json\n"),
     ["altered: manifest.json (its sha256 no longer matches manifest.sha256)"]),
    (lambda b: (b / "manifest.sha256").write_text(""),
     ["altered: manifest.json (its sha256 no longer matches manifest.sha256)"]),
    (lambda b: (b / "reports" / "report.md").write_text("# all good\n"), ["altered: reports/report.md"]),
    (lambda b: (b / "inputs" / "001-city.ttl").unlink(), ["missing: inputs/001-city.ttl"]),
    (lambda b: _symlink(b / "reports" / "report.md"), ["altered: reports/report.md (not a regular file)"]),
    (lambda b: _fifo(b / "reports" / "report.md"), ["altered: reports/report.md (not a regular file)"]),
    (lambda b: ((b / "reports" / "zz.txt").write_text("x"), (b / "notes").mkdir(),
                (b / "notes" / "link").symlink_to(b / "inputs.json"),
                (b / "notes" / "dangling").symlink_to(b / "gone")),
     ["added: notes/dangling", "added: notes/link", "added: reports/zz.txt"]),
    (lambda b: ((b / "inputs.json").write_text("[]\n"), (b / "reports" / "report.json").unlink()),
     ["altered: inputs.json", "missing: reports/report.json"]),
])
def test_verify_names_each_problem(bundle: Path, tamper: object, problems: list[str]) -> None:
    tamper(bundle)  # type: ignore[operator]
    verdict = evidence.verify(bundle)
    assert (verdict.intact, verdict.files, verdict.problems) == (False, 6, problems)
    assert verdict.text() == f"ALTERED: {bundle}\n" + "".join(f"  {p}\n" for p in problems)


def test_a_manifest_edited_with_its_sum_is_still_checked_file_by_file(bundle: Path) -> None:
    """Rewriting manifest.sha256 to match an edited manifest hides the edit only from the sum, not from the files."""
    manifest = json.loads((bundle / "manifest.json").read_text())
    manifest["files"] = [f for f in manifest["files"] if f["path"] != "reports/report.md"]
    manifest["files"][0]["sha256"] = "0" * 64
    text = json.dumps(manifest).encode()
    (bundle / "manifest.json").write_bytes(text)
    (bundle / "manifest.sha256").write_text(f"{_sha(text)}  manifest.json\n")
    verdict = evidence.verify(bundle)
    assert verdict.files == 5 and verdict.manifest_sha256 == _sha(text)
    assert verdict.problems == ["altered: inputs/001-city-p2.ttl", "added: reports/report.md"]


def _edit(bundle: Path, change: object) -> Path:
    path = bundle / "manifest.json"
    manifest = json.loads(path.read_text())
    change(manifest)  # type: ignore[operator]
    path.write_text(json.dumps(manifest))
    return path


@pytest.mark.parametrize("change, where, message", [
    (lambda m: m["files"].append({"path": "../outside.txt", "sha256": "0" * 64}), "",
     "malformed manifest: unsafe path '../outside.txt'"),
    (lambda m: m["files"].append({"path": "/etc/hostname", "sha256": "0" * 64}), "",
     "malformed manifest: unsafe path '/etc/hostname'"),
    (lambda m: m["files"].append({"path": "", "sha256": "0" * 64}), "", "malformed manifest: unsafe path ''"),
    (lambda m: m["files"].insert(1, {"path": "a.txt"}), "#files[1]",
     "malformed manifest: each file needs a string 'path' and 'sha256'"),
    (lambda m: m["files"].insert(2, {"path": 7, "sha256": "0" * 64}), "#files[2]",
     "malformed manifest: each file needs a string 'path' and 'sha256'"),
    (lambda m: m["files"].insert(0, "inputs.json"), "#files[0]",
     "malformed manifest: each file needs a string 'path' and 'sha256'"),
    (lambda m: m.update(format="ldt-conform/evidence@2"), "",
     "not an evidence bundle in format ldt-conform/evidence@1"),
    (lambda m: m.pop("format"), "", "not an evidence bundle in format ldt-conform/evidence@1"),
    (lambda m: m.update(files={"inputs.json": "0" * 64}), "",
     "not an evidence bundle in format ldt-conform/evidence@1"),
])
def test_a_malformed_manifest_is_not_a_bundle(bundle: Path, change: object, where: str, message: str) -> None:
    path = _edit(bundle, change)
    with pytest.raises(UsageError) as refused:
        evidence.verify(bundle)
    assert (refused.value.where, refused.value.message) == (f"{path}{where}", message)


@pytest.mark.parametrize("content, message", [
    (b"{not json", "not an evidence bundle (the manifest is not JSON)"),
    (b"[]", "not an evidence bundle in format ldt-conform/evidence@1"),
    (b"\xff\xfe", "not an evidence bundle (the manifest is not JSON)"),
])
def test_a_manifest_that_is_not_a_json_object_is_not_a_bundle(bundle: Path, content: bytes, message: str) -> None:
    (bundle / "manifest.json").write_bytes(content)
    with pytest.raises(UsageError) as refused:
        evidence.verify(bundle)
    assert (refused.value.where, refused.value.message) == (str(bundle / "manifest.json"), message)


def test_what_is_not_a_bundle_directory(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    (tmp_path / "empty").mkdir()
    for name, message in (("file", "not a directory"), ("missing", "not a directory"),
                          ("empty", "not an evidence bundle (no manifest.json)")):
        with pytest.raises(UsageError) as refused:
            evidence.verify(tmp_path / name)
        assert (refused.value.where, refused.value.message) == (str(tmp_path / name), message)


def test_a_sum_file_that_is_not_utf8_or_over_4_kib_does_not_vouch_for_the_manifest(bundle: Path) -> None:
    digest = (bundle / "manifest.sha256").read_text().split()[0]
    altered = ["altered: manifest.json (its sha256 no longer matches manifest.sha256)"]
    (bundle / "manifest.sha256").write_bytes(b"\xff\xfe" + digest.encode() + b"  manifest.json\n")
    assert evidence.verify(bundle).problems == altered
    # the right digest first, then more than a sum file ever holds: not read, so it vouches for nothing
    (bundle / "manifest.sha256").write_bytes(f"{digest}  manifest.json\n".encode() + b"#" * 4096)
    assert evidence.verify(bundle).problems == altered
    (bundle / "manifest.sha256").write_bytes(f"{digest}  manifest.json\n".encode().ljust(4096, b"#"))
    assert evidence.verify(bundle).intact


def test_a_manifest_over_64_mib_is_not_read(bundle: Path) -> None:
    with (bundle / "manifest.json").open("r+b") as handle:  # sparse: no 64 MiB written
        handle.truncate(evidence.MAX_MANIFEST_BYTES + 1)
    with pytest.raises(UsageError) as refused:
        evidence.verify(bundle)
    assert (refused.value.where, refused.value.message) == (
        str(bundle / "manifest.json"),
        "not an evidence bundle (cannot read the manifest: file is 67,108,865 bytes, over the 67,108,864-byte cap)")


def test_a_listed_name_the_filesystem_refuses_is_missing_with_its_reason_cut_to_200_characters(bundle: Path) -> None:
    long_name = "reports/" + "n" * 300  # longer than NAME_MAX (255): stat fails with ENAMETOOLONG
    _edit(bundle, lambda m: m["files"].append({"path": long_name, "sha256": "0" * 64}))
    assert evidence.verify(bundle).problems == [
        "altered: manifest.json (its sha256 no longer matches manifest.sha256)",
        f"missing: {long_name[:200]} (File name too long)"]


def test_a_streamed_run_s_counts_are_written_as_plain_json_and_a_missing_file_is_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from types import MappingProxyType

    monkeypatch.chdir(tmp_path)
    Path("None").write_text("not the findings")  # a file named after a missing key must not be taken for it

    report, _ = _local_report(tmp_path, pages=False, baseline=False)
    counts = {"file": "", "total": 3, "listed": 0, "failing": 3, "by_severity": MappingProxyType({"error": 3})}
    evidence.write(replace(report, streamed=counts), tmp_path / "ev", formats=["json"])
    assert json.loads((tmp_path / "ev" / "manifest.json").read_text())["streamed"] == {
        "file": "", "total": 3, "listed": 0, "failing": 3, "by_severity": {"error": 3},
        "copy": "not copied: not a regular file"}
    no_file = {k: v for k, v in counts.items() if k != "file"}
    evidence.write(replace(report, streamed=no_file), tmp_path / "ev2", formats=["json"])
    assert json.loads((tmp_path / "ev2" / "manifest.json").read_text())["streamed"]["copy"] == \
        "not copied: not a regular file"
    assert not (tmp_path / "ev2" / "findings").exists()


def test_a_findings_file_that_cannot_be_copied_is_named_in_the_manifest_not_a_crash(tmp_path: Path) -> None:
    report, _ = _local_report(tmp_path, pages=False, baseline=False)
    findings = tmp_path / "all.jsonl"
    findings.write_text('{"rule": "TP-101"}\n')
    bundle = tmp_path / "ev"
    bundle.mkdir()
    (bundle / "findings").write_text("in the way")  # the copy's folder cannot be made
    streamed = evidence._streamed(replace(report, streamed={"file": str(findings), "total": 1}), bundle)
    assert streamed == {"file": str(findings), "total": 1,
                        "copy": f"not copied: [Errno 17] File exists: '{bundle / 'findings'}'"}
    assert (bundle / "findings").read_text() == "in the way"


def test_an_input_that_cannot_be_copied_stops_the_bundle_naming_the_input(tmp_path: Path) -> None:
    source = tmp_path / "city.ttl"
    source.write_bytes(b"<urn:a> <urn:b> <urn:c> .\n")
    bundle = tmp_path / "ev"
    bundle.mkdir()
    (bundle / "inputs").write_text("in the way")
    with pytest.raises(UsageError) as refused:
        evidence._copy_input(str(source), _sha(source.read_bytes()), bundle, 1)
    assert (refused.value.where, refused.value.message) == (
        str(source), f"cannot copy into the evidence bundle: [Errno 17] File exists: '{bundle / 'inputs'}'")


def test_a_streamed_run_s_findings_file_is_copied_beside_the_reports(tmp_path: Path) -> None:
    report, _ = _local_report(tmp_path, pages=False, baseline=False)
    findings = tmp_path / "out" / "all.jsonl"
    findings.parent.mkdir()
    findings.write_bytes(b'{"rule": "TP-101"}\n' * 3)
    counts = {"file": str(findings), "total": 3, "listed": 0, "failing": 3, "by_severity": {"error": 3}}
    bundle = tmp_path / "ev"
    evidence.write(replace(report, streamed=counts), bundle, formats=["json"])
    manifest = json.loads((bundle / "manifest.json").read_text())
    assert manifest["streamed"] == {**counts, "copy": "findings/all.jsonl"}
    assert (bundle / "findings" / "all.jsonl").read_bytes() == findings.read_bytes()
    assert [f["path"] for f in manifest["files"]] == ["findings/all.jsonl", "inputs.json", "reports/report.json"]


def test_names_outside_ascii_are_written_as_they_are(tmp_path: Path) -> None:
    """inputs.json and the manifest are read by people: 'Zürich-café.ttl', not 'Z\\u00fcrich-caf\\u00e9.ttl'."""
    source = tmp_path / "Zürich-café.ttl"
    source.write_bytes(b"<urn:a> <urn:b> <urn:c> .\n")
    base = factory_report()
    report = replace(base, targets=(TargetInfo(str(source), "rdf", _sha(source.read_bytes()), 26, 1),),
                     profile=replace(base.profile, id="profil-städtisch"))
    bundle = tmp_path / "ev"
    evidence.write(report, bundle, formats=["json"], include_inputs=True)
    assert '"copy": "inputs/001-Zürich-café.ttl"' in (bundle / "inputs.json").read_text("utf-8")
    manifest = (bundle / "manifest.json").read_text("utf-8")
    assert '"id": "profil-städtisch"' in manifest and '"path": "inputs/001-Zürich-café.ttl"' in manifest


def _unwritable_parent(tmp_path: Path) -> Path:
    """A folder this process may not write into: a 0o500 folder for a normal user; for root (CI), a read-only mount."""
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        return locked
    for candidate in (Path("/proc/sys"), Path("/sys")):
        if candidate.is_dir() and not os.access(candidate, os.W_OK):
            return candidate
    pytest.skip("running as root with no read-only mount at /proc/sys or /sys: nothing here refuses a write")


def test_prepare_refuses_a_parent_it_cannot_write(tmp_path: Path) -> None:
    directory = _unwritable_parent(tmp_path) / "ldt-conform-evidence"
    with pytest.raises(UsageError) as refused:
        evidence.prepare(directory)
    assert (refused.value.where, refused.value.message) == (
        str(directory), "cannot write the evidence directory: permission denied")
