"""Evidence bundles: `check --evidence DIR` writes reports, input hashes, a sha256 manifest; `verify DIR` checks it."""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from ldt_conform.errors import UsageError
from ldt_conform.model import Report

FORMAT = "ldt-conform/evidence@1"
MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.sha256"  # `sha256sum -c manifest.sha256` works too
COPY_BLOCK = 1 << 20  # --include-inputs copies an input this much at a time
MAX_MANIFEST_BYTES = 64 * 1024 * 1024


def prepare(directory: Path) -> None:
    """Refuse, before the run, a directory that already holds files: a bundle never mixes with or overwrites them."""
    if directory.exists() and not directory.is_dir():
        raise UsageError(str(directory), "evidence directory is a file")
    if directory.is_dir() and any(directory.iterdir()):
        raise UsageError(str(directory), "evidence directory is not empty (give a new or empty directory)")
    parent = directory if directory.exists() else directory.parent
    if not parent.is_dir():
        raise UsageError(str(directory), "cannot create the evidence directory: its parent does not exist")
    if not os.access(parent, os.W_OK):
        raise UsageError(str(directory), "cannot write the evidence directory: permission denied")


def write(report: Report, directory: Path, *, lang: str = "en", include_inputs: bool = False,
          formats: Sequence[str] | None = None) -> str:
    """Write the bundle and return the manifest's sha256 (print it in the CI log to make the bundle tamper-evident)."""
    from ldt_conform.render import EXTENSIONS, FORMATS, render_chunks, renderer, write_atomic

    from ldt_conform.outputs import made_directory

    prepare(directory)
    if not directory.exists():
        directory.mkdir()  # prepare() saw its parent
        made_directory(directory)  # a run that fails after this point removes the half-made bundle
    (directory / "reports").mkdir()
    skipped: dict[str, str] = {}
    for fmt in FORMATS if formats is None else formats:
        try:
            renderer(fmt)
        except UsageError as exc:  # pdf without WeasyPrint: the bundle says so instead of failing the run
            skipped[fmt] = exc.message
            continue
        write_atomic(directory / "reports" / f"report.{EXTENSIONS[fmt]}", render_chunks(fmt, report, lang=lang))
    inputs = []
    for index, target in enumerate(report.targets, start=1):
        entry: dict[str, Any] = {k: v for k, v in {
            "source": target.source, "kind": target.kind, "sha256": target.sha256, "size": target.size,
            "triples": target.triples, "documents": target.documents, "format": target.format,
            "probed_at": target.probed_at}.items() if v is not None}
        if include_inputs:
            entry["copy"] = _copy_input(target.source, target.sha256, directory, index)
        if target.pages:  # a paged catalogue: every page read is an input of the verdict
            entry["pages"] = [{"source": p.source, "sha256": p.sha256, "size": p.size, "triples": p.triples}
                              for p in target.pages]
            for page in entry["pages"][1:] if include_inputs else ():  # the first page is the target's own copy
                page["copy"] = _copy_input(page["source"], page["sha256"], directory, index)
        inputs.append(entry)
    if report.baseline:
        entry = {"source": report.baseline.get("file"), "kind": "baseline", "sha256": report.baseline.get("sha256")}
        if include_inputs:
            entry["copy"] = _copy_input(str(entry["source"]), entry["sha256"], directory, len(inputs) + 1)
        inputs.append(entry)
    write_atomic(directory / "inputs.json", json.dumps(inputs, indent=1, ensure_ascii=False) + "\n")
    streamed = _streamed(report, directory)
    files = sorted(p for p in directory.rglob("*") if p.is_file())
    manifest = {
        "format": FORMAT, "created_at": report.finished_at,
        "tool": {"name": "ldt-conform", "version": report.tool_version},
        "profile": {"id": report.profile.id, "version": report.profile.version, "sha256": report.profile.sha256},
        "conforms": report.conforms, "fail_on": report.fail_on.value,
        "files": [{"path": p.relative_to(directory).as_posix(), "sha256": _sha256(p), "size": p.stat().st_size}
                  for p in files],
        **({"skipped_formats": skipped} if skipped else {}),
        # check --findings FILE: the reports list only some findings; FILE (copied here) holds every one
        **({"streamed": streamed} if streamed else {}),
    }
    text = json.dumps(manifest, indent=1, ensure_ascii=False) + "\n"
    write_atomic(directory / MANIFEST, text)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    write_atomic(directory / MANIFEST_SUM, f"{digest}  {MANIFEST}\n")
    return digest


def _streamed(report: Report, directory: Path) -> dict[str, Any]:
    """A streamed run's findings file (Report.streamed), copied into findings/ beside the reports that list only some
    of it, with its counts (of all findings) as the report records them; {} for a run that kept its findings."""
    if not report.streamed:
        return {}
    streamed: dict[str, Any] = json.loads(json.dumps(dict(report.streamed), default=_plain))
    from ldt_conform import safety

    name = report.streamed.get("file")
    source = Path(str(name)) if name else None
    if source is None or not safety.is_regular(source):
        streamed["copy"] = "not copied: not a regular file"
        return streamed
    destination = directory / "findings" / source.name
    try:
        _copy_blocks(source, destination)
    except (safety.Refused, OSError) as exc:  # said in the manifest, as an input not copied is
        with contextlib.suppress(OSError):  # a part copied goes; nothing there (or no folder) is no second error
            destination.unlink()
        streamed["copy"] = f"not copied: {exc}"
        return streamed
    streamed["copy"] = destination.relative_to(directory).as_posix()
    return streamed


def _plain(value: Any) -> Any:
    """A mapping json.dumps does not know (the MappingProxyType of a streamed run's counts) as a dict."""
    from collections.abc import Mapping

    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def _copy_blocks(source: Path, destination: Path, digest: Any = None) -> None:
    """Copy a regular file block by block (hashed on the way with `digest`), so what is checked is what was copied and
    the file is never held whole (the loaded store of a 200,000-dataset catalogue is still in memory here)."""
    from ldt_conform import safety

    with safety.open_regular(source) as handle:
        destination.parent.mkdir(exist_ok=True)
        with destination.open("wb") as out:
            for block in iter(lambda: handle.read(COPY_BLOCK), b""):
                if digest is not None:
                    digest.update(block)
                out.write(block)


def _copy_input(source: str, sha256: str | None, directory: Path, index: int) -> str:
    """Copy a local input into inputs/, refusing a file that changed since it was checked."""
    from ldt_conform import safety

    path = Path(source)
    if not safety.is_regular(path):
        return "not copied: not a local file (its sha256 is recorded)"
    destination = directory / "inputs" / f"{index:03d}-{path.name}"
    digest = hashlib.sha256()
    try:
        _copy_blocks(path, destination, digest)
    except (safety.Refused, OSError) as exc:
        raise UsageError(source, f"cannot copy into the evidence bundle: {exc}") from None
    if sha256 and digest.hexdigest() != sha256:
        destination.unlink()
        raise UsageError(source, "input changed while it was being checked; the evidence bundle would not match it")
    return destination.relative_to(directory).as_posix()


def _read_sum(path: Path) -> str:
    from ldt_conform import safety

    try:
        return safety.read_regular(path, 4096).decode("utf-8", "replace")
    except (safety.Refused, OSError):
        return ""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Verdict:
    """What `verify` found: altered, missing and added files, and whether the manifest itself was touched."""

    directory: Path
    files: int = 0
    manifest_sha256: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems

    def text(self) -> str:
        if self.intact:
            return (f"intact: {self.files} files in {self.directory} match {MANIFEST} "
                    f"(manifest sha256 {self.manifest_sha256})\n")
        return f"ALTERED: {self.directory}\n" + "".join(f"  {p}\n" for p in self.problems)


def verify(directory: Path) -> Verdict:
    """Compare every file with the manifest; a directory without a readable manifest is not a bundle (exit 2)."""
    manifest_path = directory / MANIFEST
    if not directory.is_dir():
        raise UsageError(str(directory), "not a directory")
    if not manifest_path.is_file():
        raise UsageError(str(directory), f"not an evidence bundle (no {MANIFEST})")
    from ldt_conform import safety

    try:
        raw = safety.read_regular(manifest_path, MAX_MANIFEST_BYTES)
        safety.check_json_depth(raw)
        manifest = json.loads(raw)
    except (safety.Refused, OSError) as exc:
        raise UsageError(str(manifest_path), f"not an evidence bundle (cannot read the manifest: {exc})") from None
    except (ValueError, RecursionError):
        raise UsageError(str(manifest_path), "not an evidence bundle (the manifest is not JSON)") from None
    if (not isinstance(manifest, dict) or manifest.get("format") != FORMAT
            or not isinstance(manifest.get("files"), list)):
        raise UsageError(str(manifest_path), f"not an evidence bundle in format {FORMAT}")
    for index, entry in enumerate(manifest["files"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str) \
                or not isinstance(entry.get("sha256"), str):
            raise UsageError(f"{manifest_path}#files[{index}]", "malformed manifest: each file needs a string "
                                                                "'path' and 'sha256'")
    verdict = Verdict(directory, len(manifest["files"]), hashlib.sha256(raw).hexdigest())
    sum_path = directory / MANIFEST_SUM
    if not sum_path.is_file():
        verdict.problems.append(f"missing: {MANIFEST_SUM}")
    elif _read_sum(sum_path).split()[:1] != [verdict.manifest_sha256]:
        verdict.problems.append(f"altered: {MANIFEST} (its sha256 no longer matches {MANIFEST_SUM})")
    listed = set()
    for entry in manifest["files"]:
        rel = entry["path"]  # a string: checked above
        if not rel or rel.startswith("/") or ".." in Path(rel).parts:
            raise UsageError(str(manifest_path), f"malformed manifest: unsafe path {rel!r}")
        listed.add(rel)
        path = directory / rel
        try:
            if path.is_symlink() or (path.exists() and not safety.is_regular(path)):
                verdict.problems.append(f"altered: {rel} (not a regular file)")  # never hashed: a FIFO would block
            elif not path.is_file():
                verdict.problems.append(f"missing: {rel}")
            elif _sha256(path) != entry.get("sha256"):
                verdict.problems.append(f"altered: {rel}")
        except OSError as exc:  # a name too long for the filesystem (found by fuzzing), an unreadable file
            verdict.problems.append(f"missing: {rel[:200]} ({exc.strerror or exc})")
    for path in sorted(p for p in directory.rglob("*") if p.is_file() or p.is_symlink()):
        rel = path.relative_to(directory).as_posix()
        if rel not in listed and rel not in (MANIFEST, MANIFEST_SUM):
            verdict.problems.append(f"added: {rel}")
    return verdict
