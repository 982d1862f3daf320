"""The hostile-input suite: each case states its exact outcome (exit 2 with one line naming the culprit, or a
finding); the harness adds the rest for every case (time limit, memory cap, canaries, nothing written outside)."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import pytest

from hostile.harness import (CANARY_AT_TAIL, CANARY_HEADER, CANARY_PASSWORD, EXAMPLES, Ctx, Run, Setup, expect_error,
                             prepare, run_cli)
from hostile.hostile_server import HostileServer, closed_port

pytestmark = pytest.mark.network_local

Q = ["-q"]
ESC = "\x1b"


@dataclass(frozen=True)
class Case:
    id: str
    setup: Callable[[Ctx], Sequence[str]]
    code: int
    line: str | None = None  # for exit 2: the regex of the one stderr line after "error: "
    check: Callable[[Ctx, Run], None] | None = None
    limit: float = 45.0
    within: float | None = None  # seconds the run may take (the cut-off under test plus start-up)


CASES: list[Case] = []


def case(id: str, code: int, line: str | None = None, check: Callable[[Ctx, Run], None] | None = None,
         limit: float = 45.0, within: float | None = None) -> Callable[[Setup], Setup]:
    def register(setup: Setup) -> Setup:
        CASES.append(Case(id, setup, code, line, check, limit, within))
        return setup
    return register


def report_json(ctx: Ctx, name: str = "out.json") -> dict:
    return json.loads((ctx.twin / name).read_text("utf-8"))


def findings(ctx: Ctx, rule: str | None = None, name: str = "out.json") -> list[dict]:
    return [f for f in report_json(ctx, name)["findings"] if rule is None or f["rule"] == rule]


def no_outputs(*names: str) -> Callable[[Ctx, Run], None]:
    def check(ctx: Ctx, run: Run) -> None:
        for name in names:
            assert not (ctx.twin / name).exists() or (ctx.twin / name).is_symlink(), f"{name} was left behind"
    return check


# --- manifest paths: confined to the twin's folder -------------------------------------------------------------------

@case("manifest-payload-proc-environ", 2, r"\S+ldt-conform\.toml#twin\.payloads\[0\]: '/proc/self/environ' is "
      r"outside the twin's folder .*")
def _(c: Ctx) -> list[str]:
    c.catalogue()
    c.manifest('catalogue = ["catalogue.ttl"]\npayloads = ["/proc/self/environ"]')
    return ["check", *Q, "--evidence", "bundle", "--include-inputs"]


@case("manifest-payload-dotdot", 2, r"\S+#twin\.payloads\[0\]: '\.\./outside/secret\.txt' is outside the twin's "
      r"folder .*", check=no_outputs("bundle"))
def _(c: Ctx) -> list[str]:
    c.manifest('payloads = ["../outside/secret.txt"]')
    return ["check", *Q, "--evidence", "bundle", "--include-inputs"]


@case("manifest-payload-root-glob", 2, r"\S+#twin\.payloads\[0\]: '/\*\*/\*' is outside the twin's folder .*",
      limit=20)
def _(c: Ctx) -> list[str]:
    c.manifest('payloads = ["/**/*"]')
    return ["check", *Q]


@case("manifest-payload-parent-glob", 2, r"\S+#twin\.payloads\[0\]: '\.\./\*/\*\.txt' is outside the twin's .*")
def _(c: Ctx) -> list[str]:
    c.manifest('payloads = ["../*/*.txt"]')
    return ["check", *Q]


@case("manifest-catalogue-absolute-outside", 2, r"\S+#twin\.catalogue\[0\]: '/\S+/outside/secret\.ttl' is outside .*")
def _(c: Ctx) -> list[str]:
    c.manifest(f'catalogue = ["{c.outside / "secret.ttl"}"]')
    return ["check", *Q]


@case("manifest-catalogue-symlink-out", 2, r"\S+#twin\.catalogue\[0\]: 'linked\.ttl' is outside the twin's .*")
def _(c: Ctx) -> list[str]:
    (c.twin / "linked.ttl").symlink_to(c.outside / "secret.ttl")
    c.manifest('catalogue = ["linked.ttl"]')
    return ["check", *Q]


@case("manifest-catalogue-dir-with-symlink-out", 2, r"\S+/data/leak\.ttl: \S+/data/leak\.ttl resolves to "
      r"\S+/outside/secret\.ttl, which is outside the twin's folder .*")
def _(c: Ctx) -> list[str]:
    c.catalogue("data/a.ttl")
    (c.twin / "data" / "leak.ttl").symlink_to(c.outside / "secret.ttl")
    c.manifest('catalogue = ["data"]')
    return ["check", *Q]


@case("manifest-payload-glob-symlink-out", 2, r"\S+#twin\.payloads\[0\]: \S+/entities/leak\.json resolves to "
      r"\S+/outside/secret\.txt, which is outside .*")
def _(c: Ctx) -> list[str]:
    c.write("entities/ok.json", "{}")
    (c.twin / "entities" / "leak.json").symlink_to(c.outside / "secret.txt")
    c.manifest('payloads = ["entities/*.json"]', extends="ldt4ssc")
    return ["check", *Q]


@case("manifest-model-file-outside", 2, r"\S+#twin\.models\[0\]\.file: '\.\./outside/secret\.txt' is outside .*")
def _(c: Ctx) -> list[str]:
    c.manifest('[[twin.models]]\ntype = "Leak"\nfile = "../outside/secret.txt"')
    return ["check", *Q]


@case("manifest-allow-path-widens", 0)
def _(c: Ctx) -> list[str]:
    (c.outside / "shared").mkdir(exist_ok=True)
    (c.outside / "shared" / "cat.ttl").write_bytes((EXAMPLES / "catalogue-ok.ttl").read_bytes())
    c.manifest(f'catalogue = ["{c.outside / "shared" / "cat.ttl"}"]')
    return ["check", *Q, "--allow-path", str(c.outside / "shared")]


@case("manifest-dotdot-that-stays-inside", 0)
def _(c: Ctx) -> list[str]:
    c.catalogue("data/cat.ttl")
    c.manifest('catalogue = ["data/../data/cat.ttl"]')
    return ["check", *Q]


@case("manifest-toml-control-chars", 2, r"\S+ldt-conform\.toml:1:\d+: TOML syntax error: .*")
def _(c: Ctx) -> list[str]:
    c.write("ldt-conform.toml", 'extends = "dcat-ap-3\x1b[31m\x00"\n')
    return ["check", *Q]


@case("manifest-deep-toml", 2, r"\S+ldt-conform\.toml: TOML nested too deep to read")
def _(c: Ctx) -> list[str]:
    c.write("ldt-conform.toml", "x = " + "[" * 5000 + "]" * 5000 + "\n")
    return ["check", *Q]


@case("manifest-extends-name-too-long", 2, r"\S+ldt-conform\.toml#extends: cannot find profile 'x{600}': unknown "
      r"profile \(not a file, and not a shipped id; .*\)")
def _(c: Ctx) -> list[str]:
    c.manifest("", extends="x" * 600)
    return ["check", *Q]


@case("manifest-not-utf8", 2, r"\S+ldt-conform\.toml: not UTF-8 text \(byte \d+\)")
def _(c: Ctx) -> list[str]:
    c.write("ldt-conform.toml", b'extends = "\xff\xfe"\n')
    return ["check", *Q]


# --- credentials: redacted from every line and report -------------------------------------------------------------

@case("url-password-refused-port", 2, r"http://tester:\*\*\*@127\.0\.0\.1:\d+/ok: connection refused")
def _(c: Ctx) -> list[str]:
    return ["check", *Q, c.closed_url.replace("http://", f"http://tester:{CANARY_PASSWORD}@") + "/ok"]


@case("url-password-404-echo", 2, r"http://tester:\*\*\*@127\.0\.0\.1:\d+/echo-404: HTTP 404 Not Found")
def _(c: Ctx) -> list[str]:
    return ["check", *Q, c.secret_url("echo-404")]


@case("url-password-with-at-404", 2, r"http://tester:\*\*\*@127\.0\.0\.1:\d+/echo-404: HTTP 404 Not Found")
def _(c: Ctx) -> list[str]:
    # requests sends the password up to the last "@" ("pw@canary-at-tail-…"): the line masks all of it
    return ["check", *Q, c.secret_url("echo-404", f"pw@{CANARY_AT_TAIL}")]


@case("url-password-with-at-as-base-iri", 2, r"http://tester:\*\*\*@127\.0\.0\.1:\d+/echo: cannot parse as turtle: "
      r"Invalid base IRI 'http://tester:\*\*\*@127\.0\.0\.1:\d+/echo', Invalid IRI code point '@'")
def _(c: Ctx) -> list[str]:
    # Fetched, but a raw "@" in the password makes the URL an invalid base IRI for the catalogue's relative IRIs
    return ["check", *Q, c.secret_url("echo", f"pw@{CANARY_AT_TAIL}")]


@case("url-password-percent-encoded-every-format", 1, check=lambda c, r: None)
def _(c: Ctx) -> list[str]:
    # "pw%40…" is sent as "pw@…": both spellings are masked wherever the server echoes them
    return ["check", *Q, c.secret_url("echo", f"pw%40{CANARY_AT_TAIL}"), "--evidence", "bundle", "--format",
            "json", "-o", "out.json", "--report", "sarif=out.sarif", "--report", "markdown=out.md"]


@case("api-url-password-basic-echoed", 1, check=lambda c, r: None)
def _(c: Ctx) -> list[str]:
    # The API echoes the "Authorization: Basic …" header requests built from the URL into its landing page, which
    # findings quote: that base64 text is the password, and is masked like it.
    return ["check", *Q, "--api", "ogcapi-features=" + c.secret_url("echo-json"), "--format", "json", "-o",
            "out.json", "--timeout", "3", "--api-budget", "20"]


def _all_formats_clean(c: Ctx, run: Run) -> None:
    assert "bundle/reports/report.json" in run.new_files and "bundle/reports/report.md" in run.new_files
    sources = [t["source"] for t in json.loads(run.new_files["bundle/reports/report.json"])["targets"]]
    assert sources == [c.server_url.replace("http://", "http://tester:***@") + "/echo"]


@case("url-password-every-format", 1, check=_all_formats_clean)
def _(c: Ctx) -> list[str]:
    return ["check", *Q, c.secret_url("echo"), "--evidence", "bundle", "--format", "json", "-o", "out.json",
            "--report", "sarif=out.sarif", "--report", "markdown=out.md"]


@case("url-password-echoed-in-body", 1, check=lambda c, r: None)
def _(c: Ctx) -> list[str]:
    return ["check", *Q, c.secret_url("echo"), "--format", "markdown", "-o", "out.md"]


@case("api-url-password-and-header", 1, check=lambda c, r: None)
def _(c: Ctx) -> list[str]:
    return ["check", *Q, "--api", "ogcapi-features=" + c.secret_url("echo-json"), "--header",
            f"Authorization=Bearer {CANARY_HEADER}", "--format", "json", "-o", "out.json", "--evidence", "bundle",
            "--timeout", "3", "--api-budget", "20"]


@case("api-header-token-from-file", 1, check=lambda c, r: None)
def _(c: Ctx) -> list[str]:
    return ["check", *Q, "--api", f"ogcapi-features={c.server_url}/echo-json", "--header",
            f"Authorization=file:{c.outside / 'token.txt'}", "--format", "json", "-o", "out.json",
            "--timeout", "3", "--api-budget", "20"]


@case("api-header-token-from-env", 1, check=lambda c, r: None)
def _(c: Ctx) -> list[str]:
    os.environ["LDT_HOSTILE_TOKEN"] = f"Bearer {CANARY_HEADER}"
    return ["check", *Q, "--api", f"ogcapi-features={c.server_url}/echo-json", "--header",
            "Authorization=env:LDT_HOSTILE_TOKEN", "--format", "markdown", "-o", "out.md",
            "--timeout", "3", "--api-budget", "20"]


@case("header-token-file-missing", 2, r"--header Authorization: cannot read the token file \S+: .*")
def _(c: Ctx) -> list[str]:
    c.catalogue()
    return ["check", *Q, "catalogue.ttl", "--header", "Authorization=file:/nonexistent/token"]


@case("control-chars-in-file-name", 2, r"cat\\x1b\[31m\\x07\.ttl: no such file")
def _(c: Ctx) -> list[str]:
    return ["check", *Q, f"cat{ESC}[31m\x07.ttl"]


@case("newline-in-file-name", 2, r"a\\nerror: fake\.ttl: no such file")
def _(c: Ctx) -> list[str]:
    return ["check", *Q, "a\nerror: fake.ttl"]


@case("control-chars-in-iri", 2, r"catalogue\.ttl:\d+:\d+: bad turtle syntax .*")
def _(c: Ctx) -> list[str]:
    c.write("catalogue.ttl", f"<http://example.org/a{ESC}]0;pwned\x07> <http://p> <http://o{ESC}[2J> .\n")
    return ["check", *Q, "catalogue.ttl"]


@case("control-chars-in-literal-report", 0)
def _(c: Ctx) -> list[str]:
    c.write("catalogue.ttl", (EXAMPLES / "catalogue-ok.ttl").read_text("utf-8").replace(
        '"', '"\\u001b[31m', 1))
    return ["check", *Q, "catalogue.ttl"]


# --- markdown injection ------------------------------------------------------------------------------------------

def _markdown_inert(c: Ctx, run: Run) -> None:
    text = (c.twin / "out.md").read_text("utf-8")
    # Rendered as GitHub would (GFM-like: tables, bare URLs linkified): the hostile title comes out as text only.
    from markdown_it import MarkdownIt

    html = MarkdownIt("gfm-like").render(text)
    assert "<img" not in html and 'href="https://evil' not in html, html
    assert "![x](https://evil.example/i.png)" in html  # shown literally, inside a code span or escaped


@case("markdown-title-injection", 1, check=_markdown_inert)
def _(c: Ctx) -> list[str]:
    ttl = (EXAMPLES / "catalogue-ok.ttl").read_text("utf-8")
    evil = "`` ![x](https://evil.example/i.png) [y](https://evil.example) <img src=x> ``"
    c.write("catalogue.ttl", ttl + f'\n<https://evil.example/ds> a <http://www.w3.org/ns/dcat#Dataset> ; '
                                   f'<http://purl.org/dc/terms/title> "{evil}" .\n')
    return ["check", *Q, "catalogue.ttl", "--format", "markdown", "-o", "out.md"]


def _stdout_has(run: Run, text: str) -> None:
    assert text in run.stdout, run.explain()


# --- parsers: bombs, depth, sizes ------------------------------------------------------------------------------

def _lol(levels: int) -> str:
    lol = '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY a0 "xxxxxxxxxx">\n'
    for i in range(1, levels):
        lol += f'<!ENTITY a{i} "' + f"&a{i - 1};" * 10 + '">\n'
    return lol + (']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                  'xmlns:dct="http://purl.org/dc/terms/">\n<rdf:Description rdf:about="http://example.org/a">'
                  f'<dct:title>&a{levels - 1};</dct:title></rdf:Description></rdf:RDF>\n')


def _rss_below(run: Run, mib: int) -> None:
    assert run.max_rss_kb > 20 * 1024, f"peak RSS not measured ({run.max_rss_kb} kB): the check would prove nothing"
    assert run.max_rss_kb < mib * 1024, f"peak RSS {run.max_rss_kb // 1024} MiB"


@case("rdfxml-billion-laughs", 2, r"bomb\.rdf: XML entity 'a4' expands to 100,000 characters, over the limit .*",
      check=lambda c, r: _rss_below(r, 200))
def _(c: Ctx) -> list[str]:
    c.write("bomb.rdf", _lol(10))
    return ["check", *Q, "bomb.rdf"]


@case("rdfxml-unused-bomb-declaration", 2, r"bomb\.rdf: XML entity 'a4' expands .*")
def _(c: Ctx) -> list[str]:
    c.write("bomb.rdf", _lol(10).replace("&a9;</dct:title>", "x</dct:title>"))
    return ["check", *Q, "bomb.rdf"]


@case("rdfxml-external-entity", 2, r"xxe\.rdf: external XML entity 'leak' declared \(line 2\); .*")
def _(c: Ctx) -> list[str]:
    c.write("xxe.rdf", f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY leak SYSTEM "file://{c.outside}/secret.txt">]>'
                       '\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                       'xmlns:dct="http://purl.org/dc/terms/"><rdf:Description rdf:about="http://e.org/a">'
                       '<dct:title>&leak;</dct:title></rdf:Description></rdf:RDF>\n')
    return ["check", *Q, "xxe.rdf"]


@case("rdfxml-deep-nesting", 2, r"deep\.rdf: XML nested over 500 elements deep \(line 1\)")
def _(c: Ctx) -> list[str]:
    n = 20000
    c.write("deep.rdf", '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">'
            + "<rdf:Description><e:p>" * n + "<rdf:Description/>" + "</e:p></rdf:Description>" * n + "</rdf:RDF>")
    return ["check", *Q, "deep.rdf"]


@case("rdfxml-harmless-entities", 1, check=lambda c, r: _stdout_has(r, "Targets: 1 (2 triples)"))
def _(c: Ctx) -> list[str]:
    ttl = '''<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [<!ENTITY dcat "http://www.w3.org/ns/dcat#"> <!ENTITY dct "http://purl.org/dc/terms/">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="&dct;">
<rdf:Description rdf:about="https://example.org/cat"><rdf:type rdf:resource="&dcat;Catalog"/>
<dct:title xml:lang="en">Entities</dct:title></rdf:Description></rdf:RDF>
'''
    c.write("ok.rdf", ttl)
    return ["check", *Q, "ok.rdf", "--select", "DCATAP-1"]


@case("jsonld-deep-nesting", 2, r"deep\.jsonld: JSON nested more than 100 levels deep",
      check=lambda c, r: _rss_below(r, 200))
def _(c: Ctx) -> list[str]:
    n = 10000
    c.write("deep.jsonld", '{"@id": "http://e.org/x", "http://e.org/p": ' * n + "1" + "}" * n)
    return ["check", *Q, "deep.jsonld"]


@case("jsonld-deep-array-in-string-is-fine", 2, r"strings\.jsonld: parsed as jsonld but holds no triples")
def _(c: Ctx) -> list[str]:
    c.write("strings.jsonld", json.dumps({"@context": {}, "note": "[" * 5000 + "\\\"" + "{" * 5000}))
    return ["check", *Q, "strings.jsonld"]


@case("turtle-token-over-16mib", 2, r"big\.ttl: cannot parse as turtle: one token is too large .*")
def _(c: Ctx) -> list[str]:
    c.write("big.ttl", b'<http://a> <http://p> "' + b"x" * (17 * 1024 * 1024) + b'" .\n')
    return ["check", *Q, "big.ttl"]


@case("sparse-1gb-file", 2, r"sparse\.ttl: binary file, not text", limit=20, check=lambda c, r: _rss_below(r, 200))
def _(c: Ctx) -> list[str]:
    with (c.twin / "sparse.ttl").open("wb") as handle:
        handle.truncate(1024 ** 3)
    return ["check", *Q, "sparse.ttl"]


@case("sparse-file-no-extension", 2, r"sparse: binary file, not text", limit=20)
def _(c: Ctx) -> list[str]:
    with (c.twin / "sparse").open("wb") as handle:
        handle.truncate(256 * 1024 ** 2)
    return ["check", *Q, "sparse"]


@case("empty-file", 2, r"empty\.ttl: empty file: no RDF to validate")
def _(c: Ctx) -> list[str]:
    c.write("empty.ttl", "  \n")
    return ["check", *Q, "empty.ttl"]


@case("not-utf8", 2, r"latin\.ttl:1:\d+: not UTF-8 text \(RDF files must be UTF-8\)")
def _(c: Ctx) -> list[str]:
    c.write("latin.ttl", b'<http://a> <http://p> "caf\xe9" .\n')
    return ["check", *Q, "latin.ttl"]


@case("utf8-bom-turtle", 0)
def _(c: Ctx) -> list[str]:
    c.write("bom.ttl", b"\xef\xbb\xbf" + (EXAMPLES / "catalogue-ok.ttl").read_bytes())
    return ["check", *Q, "bom.ttl"]


@case("huge-title-bounded-report", 1, check=lambda c, r: _small(c, "out.json", 2_000_000))
def _(c: Ctx) -> list[str]:
    ttl = (EXAMPLES / "catalogue-ok.ttl").read_text("utf-8")
    c.write("catalogue.ttl", ttl + '\n<https://example.org/x> <http://www.w3.org/ns/dcat#landingPage> "'
            + "T" * (10 * 1024 * 1024) + '" .\n<https://example.org/x> a <http://www.w3.org/ns/dcat#Dataset> .\n')
    return ["check", *Q, "catalogue.ttl", "--format", "json", "-o", "out.json"]


def _small(c: Ctx, name: str, limit: int) -> None:
    size = (c.twin / name).stat().st_size
    assert size < limit, f"{name} is {size:,} bytes: an input's 10 MB value was echoed"
    assert "more characters)" in (c.twin / name).read_text("utf-8")


# --- non-regular files: never opened -----------------------------------------------------------------------------

@case("fifo-catalogue", 2, r"pipe\.ttl: not a regular file \(a FIFO\); never opened for reading", limit=20, within=8)
def _(c: Ctx) -> list[str]:
    os.mkfifo(c.twin / "pipe.ttl")
    return ["check", *Q, "pipe.ttl"]


@case("fifo-in-catalogue-folder-skipped", 0, limit=20)
def _(c: Ctx) -> list[str]:
    c.catalogue("data/cat.ttl")
    os.mkfifo(c.twin / "data" / "pipe.ttl")
    return ["check", *Q, "data"]


@case("device-catalogue", 2, r"/dev/zero: not a regular file \(a character device\); never opened for reading",
      limit=20, within=8)
def _(c: Ctx) -> list[str]:
    return ["check", *Q, "/dev/zero", "--input-format", "turtle"]


@case("cli-catalogue-symlink-out", 2, r"catalogue\.ttl: is a symlink to \S+/outside/secret\.ttl, outside the working "
      r"folder and \.; such links are never followed \(give the real path\)")
def _(c: Ctx) -> list[str]:
    (c.twin / "catalogue.ttl").symlink_to(c.outside / "secret.ttl")
    return ["check", *Q, "catalogue.ttl"]


@case("cli-folder-with-symlink-out", 2, r"data/leak\.ttl: is a symlink to \S+/outside/secret\.ttl, outside .*")
def _(c: Ctx) -> list[str]:
    c.catalogue("data/a.ttl")
    (c.twin / "data" / "leak.ttl").symlink_to(c.outside / "secret.ttl")
    return ["check", *Q, "data"]


@case("cli-symlink-inside-is-followed", 0)
def _(c: Ctx) -> list[str]:
    c.catalogue("real/catalogue.ttl")
    (c.twin / "catalogue.ttl").symlink_to(c.twin / "real" / "catalogue.ttl")
    return ["check", *Q, "catalogue.ttl"]


@case("symlink-loop", 2, r"loop\.ttl: cannot read: .*")
def _(c: Ctx) -> list[str]:
    (c.twin / "loop.ttl").symlink_to(c.twin / "loop.ttl")
    return ["check", *Q, "loop.ttl"]


# --- payloads -----------------------------------------------------------------------------------------------

def _payload_manifest(c: Ctx, name: str, content: str | bytes) -> list[str]:
    c.write(f"entities/{name}", content)
    c.manifest(f'payloads = ["entities/{name}"]', extends="ldt4ssc")
    return ["check", *Q, "--format", "json", "-o", "out.json", "--select", "LDT-2"]


def _payload_problem(fragment: str) -> Callable[[Ctx, Run], None]:
    def check(c: Ctx, run: Run) -> None:
        messages = [f["message"] for f in findings(c) if f["rule"].startswith(("LDT-2", "LC-"))]
        assert any(fragment in m for m in messages), messages
    return check


WEATHER = (EXAMPLES / "twin" / "entities" / "weather.json").read_text("utf-8")


@case("payload-nan", 1, check=_payload_problem("not valid JSON: NaN is not a JSON number"))
def _(c: Ctx) -> list[str]:
    return _payload_manifest(c, "nan.json", '{"id": "urn:ngsi-ld:X:1", "type": "X", "value": NaN}')


@case("payload-infinity", 1, check=_payload_problem("not valid JSON: -Infinity is not a JSON number"))
def _(c: Ctx) -> list[str]:
    return _payload_manifest(c, "inf.json", '{"id": "urn:ngsi-ld:X:1", "type": "X", "value": -Infinity}')


@case("payload-deep-array", 1, check=_payload_problem("JSON nested more than 100 levels deep"))
def _(c: Ctx) -> list[str]:
    return _payload_manifest(c, "deep.json", "[" * 100000 + "]" * 100000)


@case("payload-deep-object-jsonl", 1, check=_payload_problem("JSON nested more than 100 levels deep"))
def _(c: Ctx) -> list[str]:
    return _payload_manifest(c, "deep.jsonl", WEATHER.replace("\n", " ") + "\n" + '{"a":' * 5000 + "1" + "}" * 5000)


@case("payload-fifo", 1, check=_payload_problem("not a regular file (a FIFO)"), limit=20, within=12)
def _(c: Ctx) -> list[str]:
    os.mkfifo(c.twin / "pipe.json")
    return ["check", *Q, "--payload", "pipe.json", "--profile", "ldt4ssc", "--select", "LDT-2", "--format", "json",
            "-o", "out.json"]


@case("payload-glob-skips-fifo", 0, limit=30)
def _(c: Ctx) -> list[str]:
    c.write("entities/weather.json", WEATHER)
    os.mkfifo(c.twin / "entities" / "pipe.json")
    c.manifest('payloads = ["entities/*.json"]', extends="ldt4ssc")
    return ["check", *Q, "--select", "LDT-2"]


def _schema_skipped(name: str) -> Callable[[Ctx, Run], None]:
    """The schema is never opened: LDT-205 is not verified (skip) naming it, never a pass and never a hang."""
    def check(c: Ctx, run: Run) -> None:
        [result] = [r for r in report_json(c)["results"] if r["rule"] == "LDT-205"]
        unreadable = (c.twin / "models" / name).as_uri()
        assert (result["status"], result["why"], result["reason"]) == (
            "skip", "artefact-unavailable", f"not verifiable: cannot read {unreadable}"), result
    return check


@case("schema-ref-to-fifo", 0, check=_schema_skipped("pipe.json"), limit=30, within=15)
def _(c: Ctx) -> list[str]:
    c.write("models/lamp.schema.json", json.dumps({"type": "object", "properties": {"x": {"$ref": "pipe.json"}}}))
    os.mkfifo(c.twin / "models" / "pipe.json")
    c.write("entities/lamp.json", json.dumps({"id": "urn:ngsi-ld:Lamp:1", "type": "Lamp", "x": 1}))
    c.manifest('payloads = ["entities/lamp.json"]\n\n[[twin.models]]\ntype = "Lamp"\nfile = "models/lamp.schema.json"',
               extends="ldt4ssc")
    return ["check", *Q, "--select", "LDT-2", "--format", "json", "-o", "out.json"]


@case("schema-file-is-fifo", 0, check=_schema_skipped("lamp.schema.json"), limit=30, within=15)
def _(c: Ctx) -> list[str]:
    (c.twin / "models").mkdir()
    os.mkfifo(c.twin / "models" / "lamp.schema.json")
    c.write("entities/lamp.json", json.dumps({"id": "urn:ngsi-ld:Lamp:1", "type": "Lamp", "x": 1}))
    c.manifest('payloads = ["entities/lamp.json"]\n\n[[twin.models]]\ntype = "Lamp"\nfile = "models/lamp.schema.json"',
               extends="ldt4ssc")
    return ["check", *Q, "--select", "LDT-2", "--format", "json", "-o", "out.json"]


@case("payload-under-catalogue-profile", 2, r"--payload: the profile dcat-ap-3 has no payload rule selected, so the "
      r"payloads would not be checked .*")
def _(c: Ctx) -> list[str]:
    c.write("weather.json", WEATHER)
    return ["check", *Q, "--payload", "weather.json"]


@case("payload-not-utf8", 1, check=_payload_problem("not UTF-8 text"))
def _(c: Ctx) -> list[str]:
    return _payload_manifest(c, "latin.json", b'{"id": "caf\xe9"}')


@case("payload-bom-accepted", 0)
def _(c: Ctx) -> list[str]:
    return _payload_manifest(c, "bom.json", "\ufeff" + WEATHER)


# --- hostile servers: catalogue URLs ------------------------------------------------------------------------------

@case("url-trickled-headers", 2, r"http://127\.0\.0\.1:\d+/trickle-headers: no response within 2 s \(timeout\), "
      r"also on a fresh connection",
      limit=15,
      within=8)
def _(c: Ctx) -> list[str]:
    return ["check", *Q, f"{c.server_url}/trickle-headers", "--timeout", "2"]


@case("url-trickled-body", 2, r"http://127\.0\.0\.1:\d+/trickle-body: response body still arriving after 2 s "
      r"\(timeout\)", limit=15,
      within=8)
def _(c: Ctx) -> list[str]:
    return ["check", *Q, f"{c.server_url}/trickle-body", "--timeout", "2"]


@case("url-silent-server", 2, r"http://127\.0\.0\.1:\d+/silent: no response within 2 s \(timeout\), "
      r"also on a fresh connection", limit=15,
      within=8)
def _(c: Ctx) -> list[str]:
    return ["check", *Q, f"{c.server_url}/silent", "--timeout", "2"]


@case("url-gzip-bomb", 2, r"http://127\.0\.0\.1:\d+/gzip-bomb: response body exceeds the 268,435,456-byte cap")
def _(c: Ctx) -> list[str]:
    return ["check", *Q, f"{c.server_url}/gzip-bomb"]


@case("url-huge-declared", 2, r"http://127\.0\.0\.1:\d+/huge-declared: response is 1,000,000,000,000 bytes, over "
      r"the 268,435,456-byte cap")
def _(c: Ctx) -> list[str]:
    return ["check", *Q, f"{c.server_url}/huge-declared"]


@case("url-redirect-loop", 2, r"http://127\.0\.0\.1:\d+/loop: too many redirects .*")
def _(c: Ctx) -> list[str]:
    return ["check", *Q, f"{c.server_url}/loop"]


@case("url-redirect-other-host", 2, r"http://127\.0\.0\.1:\d+/elsewhere: redirects to another host "
      r"\(localhost:\d+\); .*")
def _(c: Ctx) -> list[str]:
    return ["check", *Q, f"{c.server_url}/elsewhere"]


@case("url-html-page", 2, r"http://127\.0\.0\.1:\d+/html: returned an HTML page \(HTTP 200\), not RDF")
def _(c: Ctx) -> list[str]:
    return ["check", *Q, f"{c.server_url}/html"]


@case("url-deep-jsonld", 2, r"http://127\.0\.0\.1:\d+/deep: JSON nested more than 100 levels deep")
def _(c: Ctx) -> list[str]:
    return ["check", *Q, f"{c.server_url}/deep"]


@case("url-file-scheme", 2, r"file:///\S+/secret\.ttl: not an http\(s\) URL")
def _(c: Ctx) -> list[str]:
    return ["check", *Q, f"file://{c.outside}/secret.ttl"]


# --- hostile servers: --api ---------------------------------------------------------------------------------------

def _api_cut(c: Ctx, run: Run) -> None:
    messages = [f["message"] for f in findings(c) if f["rule"] in ("OAFEAT-001", "LC-001", "LC-003")]
    assert any("no response within 2 s" in m or "still arriving after 2 s" in m for m in messages), messages


@case("api-trickled-headers", 1, check=_api_cut, limit=25, within=12)
def _(c: Ctx) -> list[str]:
    return ["check", *Q, "--api", f"ogcapi-features={c.server_url}/trickle-headers", "--timeout", "2",
            "--format", "json", "-o", "out.json"]


@case("api-trickled-body", 1, check=_api_cut, limit=25, within=12)
def _(c: Ctx) -> list[str]:
    return ["check", *Q, "--api", f"ogcapi-features={c.server_url}/trickle-body", "--timeout", "2",
            "--format", "json", "-o", "out.json"]


@case("api-budget-cuts-trickle", 1, limit=25, within=10)
def _(c: Ctx) -> list[str]:
    return ["check", *Q, "--api", f"ogcapi-features={c.server_url}/trickle-body", "--timeout", "60",
            "--api-budget", "3", "--format", "json", "-o", "out.json"]


# --- outputs: never over an input, never through a symlink, nothing left from a failed run -----------------------

@case("output-is-the-input", 2, r"catalogue\.ttl: cannot write report: it is an input of this run \(catalogue\.ttl\)")
def _(c: Ctx) -> list[str]:
    c.catalogue()
    return ["check", *Q, "catalogue.ttl", "-o", "catalogue.ttl", "--format", "json"]


@case("report-is-the-input-other-spelling", 2, r"sub/\.\./catalogue\.ttl: cannot write report: it is an input .*")
def _(c: Ctx) -> list[str]:
    c.catalogue()
    (c.twin / "sub").mkdir()
    return ["check", *Q, "catalogue.ttl", "--report", "json=./sub/../catalogue.ttl"]


@case("output-is-a-hard-link-to-input", 2, r"copy\.json: cannot write report: it is an input of this run .*")
def _(c: Ctx) -> list[str]:
    c.catalogue()
    os.link(c.twin / "catalogue.ttl", c.twin / "copy.json")
    return ["check", *Q, "catalogue.ttl", "-o", "copy.json", "--format", "json"]


@case("output-is-the-manifest", 2, r"ldt-conform\.toml: cannot write report: it is an input of this run .*")
def _(c: Ctx) -> list[str]:
    c.catalogue()
    c.manifest('catalogue = ["catalogue.ttl"]')
    return ["check", *Q, "--manifest", "ldt-conform.toml", "--report", "json=ldt-conform.toml"]


@case("output-is-a-manifest-catalogue", 2, r"catalogue\.ttl: cannot write report: it is an input of this run .*",
      check=no_outputs("ok.json"))
def _(c: Ctx) -> list[str]:
    c.catalogue()
    c.manifest('catalogue = ["catalogue.ttl"]')
    return ["check", *Q, "--report", "json=ok.json", "--report", "json=catalogue.ttl"]


@case("output-is-the-baseline", 2, r"base\.json: cannot write report: it is an input of this run .*")
def _(c: Ctx) -> list[str]:
    c.catalogue()
    c.write("base.json", json.dumps({"format": "ldt-conform/baseline@1", "profile": {"id": "dcat-ap-3"},
                                     "findings": []}))
    return ["check", *Q, "catalogue.ttl", "--baseline", "base.json", "-o", "base.json"]


@case("baseline-output-is-the-input", 2, r"catalogue\.ttl: cannot write report: it is an input of this run .*")
def _(c: Ctx) -> list[str]:
    c.catalogue()
    return ["baseline", *Q, "catalogue.ttl", "-o", "catalogue.ttl"]


@case("output-symlink", 2, r"link\.json: cannot write report: it is a symlink .*")
def _(c: Ctx) -> list[str]:
    c.catalogue()
    (c.twin / "link.json").symlink_to(c.twin / "target.json")
    return ["check", *Q, "catalogue.ttl", "-o", "link.json", "--format", "json"]


@case("output-dev-stdout", 2, r"/dev/stdout: cannot write report: it is a symlink .*")
def _(c: Ctx) -> list[str]:
    c.catalogue()
    return ["check", *Q, "catalogue.ttl", "-o", "/dev/stdout", "--format", "json"]


@case("output-dev-null", 2, r"/dev/null: cannot write report: not a regular file .*")
def _(c: Ctx) -> list[str]:
    c.catalogue()
    return ["check", *Q, "catalogue.ttl", "--report", "json=/dev/null"]


@case("report-mode-follows-umask", 0, check=lambda c, r: _mode(c, "out.json", 0o644))
def _(c: Ctx) -> list[str]:
    c.catalogue()
    return ["check", *Q, "catalogue.ttl", "--report", "json=out.json"]


def _mode(c: Ctx, name: str, mode: int) -> None:
    assert (c.twin / name).stat().st_mode & 0o777 == mode, oct((c.twin / name).stat().st_mode)


@case("failed-evidence-leaves-no-report", 2, r"bundle: evidence directory is a file",
      check=no_outputs("ok.json", "bundle", "out.json"))
def _(c: Ctx) -> list[str]:
    # Every path is fine before the run; the bundle fails only after the reports were written (its folder name was
    # taken by one of them), so the run exits 2 and must take its complete-looking reports back.
    c.catalogue()
    return ["check", *Q, "catalogue.ttl", "--report", "json=ok.json", "--report", "json=bundle", "-o", "out.json",
            "--format", "json", "--evidence", "bundle"]


# --- the report readers: diff, verify, check --baseline -----------------------------------------------------------

def _report(**extra: object) -> str:
    return json.dumps({"format": "ldt-conform/report@1", "findings": [], **extra})


@case("diff-finding-not-object", 2, r"old\.json#findings\[0\]: malformed finding: must be an object")
def _(c: Ctx) -> list[str]:
    c.write("old.json", _report(findings=[1]))
    c.write("new.json", _report())
    return ["diff", "old.json", "new.json"]


@case("diff-finding-field-type", 2, r"new\.json#findings\[0\]\.focus: malformed finding: a string is required")
def _(c: Ctx) -> list[str]:
    c.write("old.json", _report())
    c.write("new.json", _report(findings=[{"rule": "X", "target": "t", "focus": {"a": 1}}]))
    return ["diff", "old.json", "new.json"]


@case("diff-profile-not-object", 2, r"old\.json#profile: malformed: must be an object")
def _(c: Ctx) -> list[str]:
    c.write("old.json", _report(profile="dcat"))
    c.write("new.json", _report())
    return ["diff", "old.json", "new.json"]


@case("diff-mims-malformed", 2, r"old\.json#mims\[0\]: malformed MIM entry: .*")
def _(c: Ctx) -> list[str]:
    c.write("old.json", _report(mims=[{"key": ["x"]}]))
    c.write("new.json", _report())
    return ["diff", "old.json", "new.json"]


@case("diff-deep-json", 2, r"old\.json: cannot read: JSON nested more than 100 levels deep")
def _(c: Ctx) -> list[str]:
    c.write("old.json", "[" * 100000 + "]" * 100000)
    c.write("new.json", _report())
    return ["diff", "old.json", "new.json"]


@case("diff-not-json", 2, r"old\.json: not a JSON file \(.*\)")
def _(c: Ctx) -> list[str]:
    c.write("old.json", "{nope")
    c.write("new.json", _report())
    return ["diff", "old.json", "new.json"]


@case("diff-fifo", 2, r"old\.json: cannot read: not a regular file \(a FIFO\); never opened for reading", limit=20,
      within=8)
def _(c: Ctx) -> list[str]:
    os.mkfifo(c.twin / "old.json")
    c.write("new.json", _report())
    return ["diff", "old.json", "new.json"]


@case("baseline-malformed", 2, r"base\.json#findings\[0\]\.rule: malformed finding: a string is required")
def _(c: Ctx) -> list[str]:
    c.catalogue()
    c.write("base.json", json.dumps({"format": "ldt-conform/baseline@1", "profile": {"id": "dcat-ap-3"},
                                     "findings": [{"rule": None, "target": "t", "focus": "f"}]}))
    return ["check", *Q, "catalogue.ttl", "--baseline", "base.json"]


def _bundle(c: Ctx, files: object) -> None:
    (c.twin / "bundle").mkdir()
    c.write("bundle/manifest.json", json.dumps({"format": "ldt-conform/evidence@1", "files": files}))


@case("verify-entry-not-object", 2, r"bundle/manifest\.json#files\[0\]: malformed manifest: .*")
def _(c: Ctx) -> list[str]:
    _bundle(c, ["reports/report.json"])
    return ["verify", "bundle"]


@case("verify-unsafe-path", 2, r"bundle/manifest\.json: malformed manifest: unsafe path '\.\./outside/secret\.txt'")
def _(c: Ctx) -> list[str]:
    _bundle(c, [{"path": "../outside/secret.txt", "sha256": "0" * 64}])
    return ["verify", "bundle"]


@case("verify-fifo-in-bundle", 1, check=lambda c, r: None, limit=20)
def _(c: Ctx) -> list[str]:
    _bundle(c, [{"path": "pipe", "sha256": "0" * 64}])
    os.mkfifo(c.twin / "bundle" / "pipe")
    return ["verify", "bundle"]


@case("verify-manifest-fifo", 2, r"bundle: not an evidence bundle \(no manifest\.json\)", limit=20)
def _(c: Ctx) -> list[str]:
    (c.twin / "bundle").mkdir()
    os.mkfifo(c.twin / "bundle" / "manifest.json")
    return ["verify", "bundle"]


@case("verify-manifest-deep", 2, r"bundle/manifest\.json: not an evidence bundle \(cannot read the manifest: JSON "
      r"nested more than 100 levels deep\)")
def _(c: Ctx) -> list[str]:
    (c.twin / "bundle").mkdir()
    c.write("bundle/manifest.json", "[" * 50000 + "]" * 50000)
    return ["verify", "bundle"]


# --- the runner ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server() -> HostileServer:
    started = HostileServer()
    yield started
    started.stop()


@pytest.mark.parametrize("hostile", CASES, ids=[c.id for c in CASES])
def test_hostile(hostile: Case, server: HostileServer, tmp_path: Path) -> None:
    ctx = prepare(tmp_path, server.url, f"http://127.0.0.1:{closed_port()}")
    args = list(hostile.setup(ctx))
    run = run_cli(ctx, args, limit=hostile.limit)
    if hostile.code == 2:
        assert hostile.line is not None
        expect_error(run, hostile.line)
    else:
        assert run.code == hostile.code, run.explain()
    if hostile.check is not None:
        hostile.check(ctx, run)
    if hostile.within is not None:
        assert run.seconds < hostile.within, f"took {run.seconds:.1f} s, more than the {hostile.within:g} s it may"


def test_case_count() -> None:
    assert len(CASES) >= 60, len(CASES)
    assert len({c.id for c in CASES}) == len(CASES)
