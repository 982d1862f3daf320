"""The architecture's import contracts (DESIGN.md), checked by walking the AST of every module."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "ldt_conform"
# dependency → the only modules (relative to the package) allowed to import it
ALLOWED = {
    "click": {"cli.py"},
    "rich": {"render/text.py"},
    # fetch_transport.py is fetch.py's half that needs requests, imported on a run's first request
    "requests": {"fetch.py", "fetch_transport.py"},
    "urllib3": {"fetch.py", "fetch_transport.py"},
    "http.client": {"fetch.py"},
    "socket": {"fetch.py"},
    "ssl": {"fetch.py"},
    "pyshacl": {"checks/shacl.py"},
    # numbers in the reader's language have one formatter (tests/test_i18n.py)
    "babel": {"render/numbers.py"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_import_boundaries(module: Path) -> None:
    relative = str(module.relative_to(PACKAGE))
    for name in _imports(module):
        for dependency, allowed in ALLOWED.items():
            if name == dependency or name.startswith(dependency + "."):
                assert relative in allowed, f"{relative} imports {name}; only {sorted(allowed)} may"


def test_model_imports_nothing_internal() -> None:
    assert not any(n.startswith("ldt_conform") for n in _imports(PACKAGE / "model.py"))


def test_a_run_that_fetches_nothing_does_not_import_requests(tmp_path: Path) -> None:
    # requests and urllib3 cost ~60 ms of every run's start; fetch_transport is imported on the first request.
    # (certifi is left out: some environments import it at interpreter start, from a .pth file.)
    import subprocess
    import sys

    catalogue = tmp_path / "c.ttl"
    catalogue.write_text("@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<http://ex.org/c> a dcat:Catalog .\n",
                         "utf-8")
    code = ("import sys\nfrom ldt_conform import api\n"
            f"report = api.check([{str(catalogue)!r}], api.CheckOptions(profile='dcat-ap-3-core', offline=True))\n"
            "print(len(report.findings) > 0, sorted(m for m in ('requests', 'urllib3', 'ldt_conform.fetch_transport') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert done.stdout.split("\n")[-2] == "True []"


def test_the_lazy_import_of_requests_is_not_counted_against_the_first_requests_timeout() -> None:
    # A real local server answers at once; importing the transport is made to take 1 s, twice the request timeout.
    # The session is made before the watchdog starts, so the request succeeds and its elapsed time is the server's.
    import subprocess
    import sys

    code = r'''
import http.server, importlib.abc, sys, threading, time

class Ok(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *args):
        pass

class SlowTransport(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "ldt_conform.fetch_transport":
            time.sleep(1.0)
        return None

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Ok)
threading.Thread(target=server.serve_forever, daemon=True).start()
from ldt_conform.fetch import Fetcher
sys.meta_path.insert(0, SlowTransport())
response = Fetcher(timeout=0.5).get(f"http://127.0.0.1:{server.server_address[1]}/")
print(response.status, response.body, response.elapsed_s < 0.5)
'''
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert (done.returncode, done.stdout.strip()) == (0, "200 b'ok' True"), done.stderr[-800:]
