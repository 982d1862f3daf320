"""Runs the CLI as a child process under the hostile-suite rules: a time limit, an address-space cap, canaries."""
from __future__ import annotations

import base64
import hashlib
import os
import re
import resource
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
MEMORY_CAP = 2560 * 1024 * 1024  # RLIMIT_AS of the child: a bomb that gets past the guards dies, the test fails
TIME_LIMIT = 45.0
CANARY_FILE = "canary-file-5d1e0c"
CANARY_ENV = "canary-env-9b7f22"
CANARY_HEADER = "canary-header-41aa07"
CANARY_PASSWORD = "canary-pw-e3c9d8"
# A password with an "@" in it (sent as "pw@…" by requests, which reads up to the last "@"): its tail must not show.
CANARY_AT_TAIL = "canary-at-tail-6f0b3e"
# What requests sends for a URL's user and password: "Authorization: Basic <this>", as good as the password itself.
CANARY_BASIC = base64.b64encode(f"tester:{CANARY_PASSWORD}".encode()).decode()
CANARY_BASIC_AT = base64.b64encode(f"tester:pw@{CANARY_AT_TAIL}".encode()).decode()
CANARIES = (CANARY_FILE, CANARY_ENV, CANARY_HEADER, CANARY_PASSWORD, CANARY_AT_TAIL, CANARY_BASIC, CANARY_BASIC_AT)
_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_kb: int
    new_files: dict[str, bytes] = field(default_factory=dict)

    def explain(self) -> str:
        return (f"exit {self.code} in {self.seconds:.1f} s\n--- stdout\n{self.stdout[-3000:]}\n"
                f"--- stderr\n{self.stderr[-3000:]}")


@dataclass
class Ctx:
    """One case's world: `twin` is the run's folder (the cwd), `outside` holds what must never leak or change."""

    root: Path
    server_url: str
    closed_url: str

    @property
    def twin(self) -> Path:
        return self.root / "twin"

    @property
    def outside(self) -> Path:
        return self.root / "outside"

    def write(self, name: str, content: str | bytes) -> Path:
        path = self.twin / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    def catalogue(self, name: str = "catalogue.ttl") -> Path:
        return self.write(name, (EXAMPLES / "catalogue-ok.ttl").read_bytes())

    def manifest(self, body: str, extends: str = "dcat-ap-3") -> Path:
        return self.write("ldt-conform.toml", f'extends = "{extends}"\n\n[twin]\nname = "Hostile"\n{body}\n')

    def secret_url(self, path: str = "ok", password: str = CANARY_PASSWORD) -> str:
        return self.server_url.replace("http://", f"http://tester:{password}@") + f"/{path}"


def prepare(root: Path, server_url: str, closed_url: str) -> Ctx:
    ctx = Ctx(root, server_url, closed_url)
    ctx.twin.mkdir(parents=True)
    ctx.outside.mkdir(parents=True)
    (ctx.outside / "secret.txt").write_text(f"{CANARY_FILE}\n")
    (ctx.outside / "secret.ttl").write_text(f"{CANARY_FILE} is not turtle\n")
    (ctx.outside / "token.txt").write_text(f"Bearer {CANARY_HEADER}\n")
    return ctx


def snapshot(folder: Path) -> dict[str, str]:
    """Path → sha256 (or the link target / 'dir' / 'special'), without opening anything but regular files."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = str(path.relative_to(folder))
        if path.is_symlink():
            found[rel] = "link:" + os.readlink(path)
        elif path.is_dir():
            found[rel] = "dir"
        elif path.is_file() and path.stat().st_size > 64 * 1024 * 1024:
            info = path.stat()  # the sparse giants: reading them would cost more than the case
            found[rel] = f"big:{info.st_size}:{info.st_mtime_ns}"
        elif path.is_file():
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            found[rel] = "special"
    return found


def _own_peak_kb(pid: int) -> int:
    """The child's own peak RSS (VmHWM) once it runs ldt-conform, else 0.

    rusage's ru_maxrss is useless here: the child is forked from this (large) pytest process, and the kernel carries
    the pre-exec high-water mark over exec, so every child would report at least the test process's size. VmHWM
    belongs to the address space, which exec replaces; before exec the command line is still pytest's."""
    try:
        if b"ldt_conform" not in Path(f"/proc/{pid}/cmdline").read_bytes():
            return 0
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    os.setsid()


def run_cli(ctx: Ctx, args: Sequence[str], env: dict[str, str] | None = None,
            limit: float = TIME_LIMIT) -> Run:
    """Run `ldt-conform ARGS` in ctx.twin and enforce what every hostile case must hold."""
    before_twin = snapshot(ctx.twin)
    before_outside = snapshot(ctx.outside)
    before_root = sorted(p.name for p in ctx.root.iterdir())
    # PYTHONPATH: the child runs from the twin's folder, and must import this checkout, not the installed one.
    child_env = {**os.environ, "LDT_HOSTILE_CANARY": CANARY_ENV, "PYTHONPATH": str(REPO), **(env or {})}
    child_env.pop("LDT_CONFORM_NO_FAST_EXIT", None)
    out_path, err_path = ctx.root / ".stdout", ctx.root / ".stderr"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, "-m", "ldt_conform", *args], cwd=ctx.twin, env=child_env,
                                   stdin=subprocess.DEVNULL, stdout=out, stderr=err, preexec_fn=_limits)
        status = rusage = None
        peak_kb = 0
        while time.monotonic() - started < limit:
            peak_kb = max(peak_kb, _own_peak_kb(process.pid))
            pid, status, rusage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.02)
        else:
            os.killpg(process.pid, signal.SIGKILL)
            os.wait4(process.pid, 0)
            raise AssertionError(f"hang: `ldt-conform {' '.join(args)}` still running after {limit:g} s\n"
                                 f"{err_path.read_text('utf-8', 'replace')[-2000:]}")
        seconds = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    run = Run(process.returncode, out_path.read_text("utf-8", "replace"), err_path.read_text("utf-8", "replace"),
              seconds, peak_kb)
    out_path.unlink()
    err_path.unlink()
    after_twin = snapshot(ctx.twin)
    # Inputs unchanged, nothing written outside the run's folder.
    changed = [k for k, v in before_twin.items() if after_twin.get(k) != v]
    assert not changed, f"inputs changed or removed: {changed}\n{run.explain()}"
    assert snapshot(ctx.outside) == before_outside, f"something outside the run's folder changed\n{run.explain()}"
    assert sorted(p.name for p in ctx.root.iterdir()) == before_root, "a file appeared beside the run's folder"
    for rel in sorted(set(after_twin) - set(before_twin)):
        path = ctx.twin / rel
        if path.is_file() and not path.is_symlink() and path.stat().st_size <= 64 * 1024 * 1024:
            run.new_files[rel] = path.read_bytes()
    # The universal expectations: no traceback, no raw control character, no canary anywhere.
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.explain()
    assert process.returncode >= 0, f"killed by signal {-process.returncode}\n{run.explain()}"
    assert not _RAW_CONTROL.search(run.stderr), f"raw control character on stderr: {run.stderr!r}"
    for canary in CANARIES:
        assert canary not in run.stdout and canary not in run.stderr, f"canary {canary} leaked\n{run.explain()}"
        for rel, data in run.new_files.items():
            assert canary.encode() not in data, f"canary {canary} leaked into {rel}"
    return run


def expect_error(run: Run, pattern: str) -> None:
    """Exit 2 with exactly one stderr line, `error: ...`, matching the pattern (which names the culprit)."""
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert run.code == 2, run.explain()
    assert len(lines) == 1, f"expected one error line\n{run.explain()}"
    assert re.fullmatch(f"error: {pattern}", lines[0]), f"{lines[0]!r} does not match {pattern!r}"


Setup = Callable[[Ctx], Sequence[str]]
