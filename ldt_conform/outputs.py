"""Where reports may be written: never over an input, never through a symlink, atomically, and all or nothing."""
from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
import threading
from pathlib import Path
from typing import Any, Iterable, Iterator

from ldt_conform.errors import UsageError

_umask_lock = threading.Lock()
# Files and folders written by the current all-or-nothing batch (see `transaction`); None when none is open.
_written: list[Path] | None = None


def check_path(path: Path) -> None:
    """Refuse, before the run, an output path that can't or mustn't be written."""
    directory = path.parent if str(path.parent) else Path(".")
    if path.is_symlink():
        # os.replace would swap the link for a regular file (--output /dev/stdout) or write where it points.
        raise UsageError(str(path), "cannot write report: it is a symlink (refusing to replace it; give the real path)")
    if not directory.is_dir():
        raise UsageError(str(path), "cannot write report: the directory does not exist")
    if path.is_dir():
        raise UsageError(str(path), "cannot write report: it is a directory")
    if path.exists() and not stat.S_ISREG(path.stat().st_mode):
        raise UsageError(str(path), "cannot write report: not a regular file (a device, FIFO or socket)")
    if not os.access(directory, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(str(path), "cannot write report: permission denied")


def refuse_inputs(outputs: Iterable[str | Path | None], inputs: Iterable[str | Path | None]) -> None:
    """An output that is one of the run's inputs (a catalogue, payload, manifest, profile, baseline) is refused:
    writing the report there would destroy the very file that was checked."""
    seen = {}
    for item in inputs:
        if not item or "://" in str(item) or str(item) == "-":
            continue
        key = _identity(Path(item))
        if key is not None:
            seen[key] = str(item)
    for out in outputs:
        if not out:
            continue
        key = _identity(Path(out))
        if key is not None and key in seen:
            raise UsageError(str(out), f"cannot write report: it is an input of this run ({seen[key]})")


def inputs_of(report: Any) -> list[str]:
    """The local files a finished run read: its targets, the profile file, the baseline."""
    found = [t.source for t in getattr(report, "targets", ())]
    baseline = getattr(report, "baseline", None) or {}
    found.append(baseline.get("file"))
    return [f for f in found if f]


def _identity(path: Path) -> tuple[int, int] | str | None:
    try:
        info = path.stat()
        return (info.st_dev, info.st_ino)  # hard links and other spellings of the same file
    except OSError:
        try:
            return str(path.resolve())
        except (OSError, RuntimeError):
            return None


def _file_mode(path: Path) -> int:
    """The mode a plain open() would give: an existing file keeps its mode, a new one gets 0666 minus the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        with _umask_lock:
            mask = os.umask(0o022)
            os.umask(mask)
        return 0o666 & ~mask


def write_atomic(path: Path, content: str | bytes | Iterable[bytes]) -> None:
    """Write to a temporary file beside the target, then rename: a report is never left half-written. `content`
    may be an iterable of byte chunks (a large JSON report, written without one string of all of it)."""
    chunks = [content.encode("utf-8")] if isinstance(content, str) else [content] if isinstance(content, bytes) \
        else content
    tmp = staging(path)
    try:
        with tmp.open("wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UsageError(str(path), f"cannot write report: {exc.strerror or exc}") from None
    except BaseException:  # a chunk that failed to render: no half-written temporary file stays behind
        tmp.unlink(missing_ok=True)
        raise
    place(tmp, path)


def staging(path: Path, suffix: str = ".tmp") -> Path:
    """A new empty temporary file beside `path`, to be renamed into place by `place` (write_atomic; check --findings
    FILE streams into one during the run, named to end as FILE does: the suffix says what to write)."""
    directory = path.parent if str(path.parent) else Path(".")
    if path.is_symlink():
        raise UsageError(str(path), "cannot write report: it is a symlink (refusing to replace it; give the real path)")
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=suffix)
    except OSError as exc:
        raise UsageError(str(path), f"cannot write report: {exc.strerror or exc}") from None
    os.close(fd)
    return Path(tmp)


def place(staged: Path, path: Path) -> None:
    """Rename a staged file into place. mkstemp makes it 0600 and the mode would survive the rename; a report is an
    ordinary file (issue 10): it gets the mode a plain open() would give."""
    try:
        os.chmod(staged, _file_mode(path))
        existed = path.exists()
        os.replace(staged, path)
    except OSError as exc:
        staged.unlink(missing_ok=True)
        raise UsageError(str(path), f"cannot write report: {exc.strerror or exc}") from None
    if _written is not None and not existed:
        _written.append(path)


def made_directory(path: Path) -> None:
    """Record a folder the current batch created (an evidence bundle), so a failed run removes it too."""
    if _written is not None:
        _written.append(path)


@contextlib.contextmanager
def transaction() -> Iterator[None]:
    """All or nothing: when the block fails (the run will exit 2), every file and folder it created is removed, so
    no complete-looking report survives from a run that did not finish."""
    global _written
    outer, _written = _written, []
    try:
        yield
    except BaseException as exc:
        if not (isinstance(exc, SystemExit) and exc.code in (0, 1, None)):
            for path in reversed(_written):
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
        raise
    finally:
        _written = outer
