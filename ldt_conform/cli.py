"""The command line: build objects, call the API, render, map errors to exit codes (the only click importer)."""
from __future__ import annotations

import functools
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import click

from ldt_conform import __version__, redact
from ldt_conform.errors import ConformError, UsageError
from ldt_conform.model import Report, Severity
from ldt_conform.phases import Phases
from ldt_conform.render.labels import LANGUAGES

EXIT_OK, EXIT_NONCONFORMANT, EXIT_ERROR = 0, 1, 2
# What `check` loaded, kept until main()'s os._exit instead of being torn down when api.check returns; None (free
# as usual) unless main() is going to end the process with os._exit.
_KEPT: list[Any] | None = None


def _split(values: Sequence[str]) -> list[str]:
    """--select A,B --select C → [A, B, C]."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _parse_reports(specs: Sequence[str]) -> list[tuple[str, Path]]:
    from ldt_conform.render import RENDERERS, check_writable, renderer

    pairs = []
    for spec in specs:
        fmt, sep, path = spec.partition("=")
        if not sep or not fmt or not path:
            raise UsageError(spec, "--report takes FORMAT=PATH, e.g. --report json=report.json")
        if fmt not in RENDERERS:
            raise UsageError(spec, f"unknown report format '{fmt}' (choose from {', '.join(sorted(RENDERERS))})")
        renderer(fmt)  # an optional dependency (pdf → WeasyPrint) that is missing fails before the run
        check_writable(Path(path))
        pairs.append((fmt, Path(path)))
    return pairs


class Failure(click.ClickException):
    """A ConformError on its way out: one line on stderr, exit 2."""

    exit_code = EXIT_ERROR

    def show(self, file: Any = None) -> None:
        from ldt_conform.render.text import error_line

        error_line(self.message)


def _guard(show_traceback: bool, func: Any, /, *args: Any, **kwargs: Any) -> Any:
    try:
        return func(*args, **kwargs)
    except ConformError as exc:
        if show_traceback:
            traceback.print_exc()
        raise Failure(redact.line(str(exc))) from None
    except KeyboardInterrupt:
        raise Failure("interrupted") from None
    except Exception as exc:  # noqa: BLE001 - the tool breaking is exit 2 with one line, never a bare traceback
        if show_traceback:
            traceback.print_exc()
        message = f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)"
        raise Failure(redact.line(message)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="ldt-conform")
def cli() -> None:
    """Check a Local Digital Twin's catalogue, payloads and APIs against LDT4SSC blueprint profiles."""


# The options of `check`; `baseline` takes the same ones except the report options (_REPORT_OPTIONS).
_CHECK_PARAMS: list[click.Parameter] = [
    click.Argument(["targets"], nargs=-1),
    click.Option(["--profile", "-p", "profile_ref"], default=None,
                 help="Profile id or path to a profile.toml; `auto` picks the DCAT-AP profile from the catalogue's "
                      "dct:conformsTo and the terms it uses (the report says which and why)."),
    click.Option(["--fail-on"], type=click.Choice(["error", "warning", "info"]), default="error", show_default=True,
                 help="Lowest severity that makes the run non-conformant (exit 1)."),
    click.Option(["--format", "fmt"], default="text", show_default=True, help="Format of the main output."),
    click.Option(["--output", "-o"], type=click.Path(dir_okay=False),
                 help="Write the main output here instead of stdout."),
    click.Option(["--report", "reports"], multiple=True, metavar="FORMAT=PATH",
                 help="Also write FORMAT to PATH (repeatable)."),
    click.Option(["--select"], multiple=True, metavar="RULES",
                 help="Only these rules: IDs, ID prefixes, names, aliases."),
    click.Option(["--ignore"], multiple=True, metavar="RULES", help="Skip these rules."),
    click.Option(["--input-format"], type=click.Choice(["turtle", "rdfxml", "jsonld", "ntriples", "nquads", "trig"]),
                 help="Format of the inputs (needed for stdin '-')."),
    click.Option(["--max-pages"], type=click.IntRange(min=1), default=100, show_default=True,
                 help="Paged catalogues: read at most N pages per input, following hydra:next / hydra:nextPage "
                      "(same host, or files beside the first page); more pages left is an error finding (LC-012)."),
    click.Option(["--timeout"], type=click.FloatRange(min=0.1), default=30.0, show_default=True,
                 help="Seconds per HTTP request."),
    click.Option(["--engine"], type=click.Choice(["auto", "fast", "pyshacl"]), default="auto", show_default=True,
                 help="SHACL engine."),
    click.Option(["--jobs", "-j"], type=click.IntRange(min=0), default=0,
                 help="Threads for the SHACL engine's batched questions (0 = the cores that are not busy)."),
    click.Option(["--findings", "findings_file"], type=click.Path(dir_okay=False), metavar="FILE",
                 help="Stream every finding to FILE as the checks produce it: .jsonl (JSON Lines) or .parquet "
                      "(pip install 'ldt-conform[scale]'). Memory no longer grows with the findings; the report "
                      "counts them all and lists the first --list-findings."),
    click.Option(["--list-findings", "findings_listed"], type=click.IntRange(min=0), default=1000,
                 show_default=True, metavar="N",
                 help="With --findings: how many findings the report lists (the first N in report order)."),
    click.Option(["--dask", "dask"], metavar="ADDRESS", default=None,
                 help="Run the checks on a Dask scheduler (host:port), or local:N for N local workers "
                      "(pip install 'ldt-conform[scale]')."),
    click.Option(["--dask-by", "dask_by"], type=click.Choice(["auto", "input", "focus"]), default="auto",
                 show_default=True,
                 help="With --dask: 'input' checks each input whole on a worker (this process reads none); 'focus' "
                      "splits each input's SHACL rules into focus-node shards; 'auto' goes by input when there are "
                      "several inputs and no payload, API, manifest or --profile auto."),
    click.Option(["--time-budget"], type=click.FloatRange(min=0.1), default=600.0, show_default=True,
                 help="Seconds one SHACL validation may take before it is abandoned, naming the shape."),
    click.Option(["--store-dir"], type=click.Path(file_okay=False, exists=True, writable=True),
                 help="Keep the RDF stores on disk in this folder (inputs larger than memory)."),
    click.Option(["--lang"], type=click.Choice(LANGUAGES), default="en", show_default=True, help="Report language."),
    click.Option(["--quiet", "-q"], is_flag=True, help="Only the summary."),
    click.Option(["--debug"], is_flag=True, help="Tracebacks and engine decisions on stderr."),
    click.Option(["--baseline", "baseline_file"], type=click.Path(dir_okay=False), metavar="FILE",
                 help="Fail only on findings not in this baseline (written by `ldt-conform baseline`)."),
    click.Option(["--evidence", "evidence_dir"], type=click.Path(file_okay=False), metavar="DIR",
                 help="Also write an evidence bundle (all reports, input hashes, sha256 manifest) to this new "
                      "directory."),
    click.Option(["--include-inputs"], is_flag=True, help="With --evidence: copy the input files into the bundle too."),
    click.Option(["--manifest", "manifest_path"], type=click.Path(dir_okay=False), default=None,
                 help="Twin manifest (default: ./ldt-conform.toml when no TARGETS are given)."),
    click.Option(["--payload", "payloads"], multiple=True, metavar="PATH|GLOB|URL",
                 help="Entity payloads to check against their Smart Data Models (repeatable)."),
    click.Option(["--seed", "seeds"], multiple=True, type=click.Path(file_okay=False, exists=True),
                 help="Folder of pinned artefacts, matched by sha256, for offline runs (repeatable; or "
                      "LDT_CONFORM_SEED)."),
    click.Option(["--offline"], is_flag=True,
                 help="Fetch no artefact; what is neither cached nor seeded is reported 'not verifiable offline' "
                      "(LC-004)."),
    click.Option(["--api", "apis"], multiple=True, metavar="[KIND=]URL",
                 help="A live API to probe (repeatable); KIND is ogcapi-features, ogcapi-records, sensorthings, "
                      "ngsi-ld or openapi, detected from the landing page when left out."),
    click.Option(["--header", "headers"], multiple=True, metavar="NAME=VALUE",
                 help="HTTP header sent to the --api hosts only, e.g. 'Authorization=env:API_TOKEN' (VALUE env:VAR "
                      "reads the variable); never written to any report or log."),
    click.Option(["--insecure"], is_flag=True, help="Do not verify TLS certificates of the APIs (the report says so)."),
    click.Option(["--allow-writes"], is_flag=True,
                 help="Allow write probes (NGSI-LD create/patch/delete of a probe entity, deleted afterwards)."),
    click.Option(["--notify-url"], metavar="URL",
                 help="Where an NGSI-LD broker must send the subscription probe's notification (with "
                      "--allow-writes): a URL of this machine it can reach. Needed when the broker is not local."),
    click.Option(["--notify-listen"], metavar="HOST:PORT", default="127.0.0.1:0", show_default=True,
                 help="Address the notification receiver listens on (port 0 picks a free one)."),
    click.Option(["--notify-wait"], type=click.FloatRange(min=0.1), default=10.0, show_default=True,
                 help="Seconds to wait for the notification after the probe changes its watched entity."),
    click.Option(["--follow-redirects-any"], is_flag=True,
                 help="Follow API redirects to other hosts (credentials are never sent there)."),
    click.Option(["--api-budget"], type=click.FloatRange(min=1), default=300.0, show_default=True,
                 help="Seconds all live API probes of the run may take in total."),
    click.Option(["--allow-path", "allow_paths"], multiple=True, type=click.Path(file_okay=False),
                 help="A folder outside the twin's folder that the manifest's paths may name (repeatable)."),
    click.Option(["--lenient"], is_flag=True,
                 help="Skip what the RDF parser cannot read (a bad IRI or token, invalid RDF/XML) as an LC-006 finding "
                      "at file:line:col and validate the rest, instead of stopping with exit 2."),
    click.Option(["--fetch-contexts"], is_flag=True,
                 help="Fetch remote JSON-LD contexts that are not pinned (size-capped, same-host redirects only, "
                      "public addresses only); pinned ones are always read from the artefact store."),
    click.Option(["--check-links"], is_flag=True,
                 help="Quality score: HEAD every access/download URL (bounded; otherwise those metrics are not "
                      "assessed)."),
]
# Option names of _CHECK_PARAMS that only `check` has: `baseline` writes no reports.
_REPORT_OPTIONS = ("fmt", "output", "reports", "baseline_file", "evidence_dir", "include_inputs", "findings_file",
                   "findings_listed")


@dataclass(frozen=True)
class CheckArgs:
    """The options of `check` and `baseline` as click parsed them: the one object between click and the core."""

    targets: tuple[str, ...]
    profile_ref: str | None
    fail_on: str
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    input_format: str | None
    timeout: float
    engine: str
    jobs: int
    time_budget: float
    store_dir: str | None
    lang: str
    quiet: bool
    debug: bool
    manifest_path: str | None
    payloads: tuple[str, ...]
    seeds: tuple[str, ...]
    offline: bool
    apis: tuple[str, ...]
    headers: tuple[str, ...]
    insecure: bool
    allow_writes: bool
    follow_redirects_any: bool
    api_budget: float
    allow_paths: tuple[str, ...] = ()
    notify_url: str | None = None
    notify_listen: str = "127.0.0.1:0"
    notify_wait: float = 10.0
    dask: str | None = None
    dask_by: str = "auto"
    check_links: bool = False
    fetch_contexts: bool = False
    lenient: bool = False
    max_pages: int = 100
    # check only (baseline writes no reports):
    fmt: str = "text"
    output: str | None = None
    reports: tuple[str, ...] = ()
    baseline_file: str | None = None
    evidence_dir: str | None = None
    include_inputs: bool = False
    findings_file: str | None = None
    findings_listed: int = 1000
    # baseline only: write the findings to this file instead of reports
    baseline_out: str | None = None


def _as_args(func: Callable[[CheckArgs], None]) -> Callable[..., None]:
    """click calls the command with one keyword per option; the command itself receives one CheckArgs."""

    @functools.wraps(func)
    def command(**params: Any) -> None:
        func(CheckArgs(**params))

    return command


@cli.command(params=_CHECK_PARAMS)
@_as_args
def check(args: CheckArgs) -> None:
    """Validate TARGETS (files, directories, URLs, or - for stdin) against a profile."""
    _run(args)


@cli.command(help="Record the current findings of TARGETS (same options as check) so `check --baseline FILE` fails "
                  "only on new ones.",
             short_help="Write the current findings to a baseline file.",
             params=[*(p for p in _CHECK_PARAMS if p.name not in _REPORT_OPTIONS),
                     click.Option(["--output", "-o", "baseline_out"], required=True, type=click.Path(dir_okay=False),
                                  metavar="FILE", help="Where to write the baseline (JSON).")])
@_as_args
def baseline(args: CheckArgs) -> None:
    _run(args)


def _run(args: CheckArgs) -> None:
    """Run a check: build the options, call the API, then write a baseline, or render and exit 0/1."""
    from ldt_conform import gcpause

    with gcpause.paused():  # the rendering too allocates much and makes no cycles (gcpause.py)
        _run_check(args)


def _run_check(args: CheckArgs) -> None:
    from ldt_conform import api
    from ldt_conform import outputs as output_policy
    from ldt_conform.manifest import find as find_manifest
    from ldt_conform.render import check_writable
    from ldt_conform.render.text import Progress

    debug = args.debug
    if args.baseline_out:
        _guard(debug, check_writable, Path(args.baseline_out))
    targets, payloads, apis = args.targets, args.payloads, args.apis
    found = None if targets or payloads or args.profile_ref or apis else find_manifest()
    manifest_file = args.manifest_path or (str(found) if found else None)
    if not targets and not payloads and not manifest_file and not apis:
        raise click.UsageError("give at least one TARGET (a file, directory, URL or -), or run in a folder with an "
                               "ldt-conform.toml (`ldt-conform init` writes one)")
    outputs = _guard(debug, _parse_reports, args.reports)
    if args.output:
        _guard(debug, check_writable, Path(args.output))
    _guard(debug, _renderer_known, args.fmt)
    if args.findings_file:
        from ldt_conform.findings_stream import kind_of

        _guard(debug, kind_of, Path(args.findings_file))
    _guard(debug, _prepare_extras, args.baseline_file, args.evidence_dir, args.include_inputs, args.profile_ref)
    written = [args.output, *(str(p) for _, p in outputs), args.evidence_dir, args.baseline_out, args.findings_file]
    _guard(debug, output_policy.refuse_inputs, written,
           [*targets, *payloads, manifest_file, args.baseline_file, args.profile_ref])
    only_apis = bool(apis) and not targets and not payloads and not manifest_file
    options = api.CheckOptions(profile=args.profile_ref or (api.API_PROFILE if only_apis else api.DEFAULT_PROFILE),
                               select=_split(args.select), ignore=_split(args.ignore),
                               fail_on=Severity(args.fail_on), engine=args.engine, jobs=args.jobs,
                               time_budget=args.time_budget, store_dir=args.store_dir, lang=args.lang,
                               max_pages=args.max_pages,
                               timeout=args.timeout, input_format=args.input_format, manifest=manifest_file,
                               payloads=list(payloads), offline=args.offline,
                               extra={"seed_dirs": list(args.seeds), "api_budget": args.api_budget, "dask": args.dask,
                                      "dask_by": args.dask_by,
                                      "check_links": args.check_links,
                                      **({"fetch_contexts": True} if args.fetch_contexts else {}),
                                      **({"lenient": True} if args.lenient else {}),
                                      **({"allow_paths": list(args.allow_paths)} if args.allow_paths else {}),
                                      **({"notify_url": args.notify_url} if args.notify_url else {}),
                                      **({"notify_listen": args.notify_listen}
                                         if args.notify_listen != "127.0.0.1:0" else {}),
                                      **({"notify_wait": args.notify_wait} if args.notify_wait != 10.0 else {})},
                               apis=_guard(debug, _parse_apis, apis),
                               headers=_guard(debug, _parse_headers, args.headers),
                               insecure=args.insecure, allow_writes=args.allow_writes,
                               follow_redirects_any=args.follow_redirects_any)

    def log(message: str) -> None:
        if debug:
            click.echo(f"debug: {message}", err=True)

    staged = None
    if args.findings_file:
        # The findings stream into a file beside FILE during the run; it takes FILE's name with the reports.
        staged = _guard(debug, output_policy.staging, Path(args.findings_file),
                        f".tmp{Path(args.findings_file).suffix}")  # the suffix says what to write (kind_of)
        options.findings_file, options.findings_shown_as = str(staged), args.findings_file
        options.findings_listed, options.baseline = args.findings_listed, args.baseline_file
    try:
        with Progress(enabled=not args.quiet) as progress:
            report = _guard(debug, api.check, list(targets), options,
                            progress=lambda m: progress.update(redact.line(m)), debug=log,
                            stdin=lambda: sys.stdin.buffer.read(), retain=_KEPT.append if _KEPT is not None else None)
        report = _guard(debug, redact.report, report)
        _guard(debug, output_policy.refuse_inputs, written, output_policy.inputs_of(report))
        if args.baseline_out:
            _guard(debug, _write_baseline, report, args.baseline_out)
            raise SystemExit(EXIT_OK)
        if args.baseline_file and staged is None:  # streamed findings were marked as they passed
            report = _guard(debug, _apply_baseline, report, args.baseline_file)
        with output_policy.transaction():  # a run that exits 2 here leaves none of its reports behind
            rendering = Phases()
            _guard(debug, _emit, report, args.fmt, args.output, outputs, args.lang, args.quiet)
            rendering.done("render")
            log(rendering.line())
            if staged is not None and args.findings_file:
                _guard(debug, output_policy.place, staged, Path(args.findings_file))
            if args.evidence_dir:
                digest = _guard(debug, _write_evidence, report, args.evidence_dir, args.lang, args.include_inputs)
                click.echo(f"evidence: {args.evidence_dir} (manifest sha256 {digest})", err=True)
    finally:
        if staged is not None:
            staged.unlink(missing_ok=True)  # a run that failed before the findings took FILE's name
    sys.stdout.flush()
    raise SystemExit(EXIT_OK if report.conforms else EXIT_NONCONFORMANT)


def _parse_apis(specs: Sequence[str]) -> list[tuple[str | None, str]]:
    from ldt_conform.checks.api.target import parse_spec

    return [parse_spec(spec) for spec in specs]


def _parse_headers(specs: Sequence[str]) -> dict[str, str]:
    """NAME=VALUE or NAME=env:VAR; errors name the header and the variable, never a value."""
    headers: dict[str, str] = {}
    for spec in specs:
        name, sep, value = spec.partition("=")
        name = name.strip()
        if not sep or not name or any(c in name for c in " :\r\n"):
            raise UsageError(f"--header {name or spec[:20]}", "takes NAME=VALUE, e.g. 'Authorization=env:API_TOKEN'")
        if value.startswith("env:"):
            variable = value[4:]
            if variable not in os.environ:
                raise UsageError(f"--header {name}", f"environment variable {variable} is not set")
            value = os.environ[variable]
        elif value.startswith("file:"):
            value = _read_token(name, value[5:])
        redact.register(value)
        headers[name] = value
    return headers


def _read_token(name: str, path: str) -> str:
    """A header value kept in a file (a CI secret mounted as a file): its first line, never echoed."""
    from ldt_conform import safety

    try:
        return safety.read_regular(Path(path), 64 * 1024).decode("utf-8").splitlines()[0].strip()
    except (safety.Refused, OSError, UnicodeDecodeError, IndexError) as exc:
        raise UsageError(f"--header {name}", f"cannot read the token file {path}: "
                                             f"{getattr(exc, 'strerror', None) or exc or 'empty'}") from None


def _renderer_known(fmt: str) -> None:
    from ldt_conform.render import renderer

    renderer(fmt)


def _emit(report: Report, fmt: str, output: str | None, outputs: list[tuple[str, Path]], lang: str,
          quiet: bool) -> None:
    from ldt_conform.render import render, render_chunks, write_atomic
    from ldt_conform.render.text import print_report

    for extra_fmt, path in outputs:
        write_atomic(path, render_chunks(extra_fmt, report, lang=lang))
    if output:
        write_atomic(Path(output), render_chunks(fmt, report, lang=lang, quiet=quiet))
    elif fmt == "text":
        print_report(report, lang=lang, quiet=quiet)
    else:
        content = render(fmt, report, lang=lang, quiet=quiet)
        if isinstance(content, bytes):
            sys.stdout.buffer.write(content)
        else:
            sys.stdout.write(content)


@cli.group()
def profiles() -> None:
    """Shipped and custom profiles."""


@profiles.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def profiles_list(fmt: str) -> None:
    """List the profiles on the search path."""
    from ldt_conform import profile as prof

    rows = []
    for manifest in prof.list_shipped():
        loaded = _guard(False, prof.load, str(manifest))
        extends = loaded.manifest.get("extends", "")
        rows.append((loaded.id, loaded.version, loaded.title, len(loaded.rules),
                     ", ".join(extends) if isinstance(extends, list) else extends))
    if fmt == "json":
        import json

        click.echo(json.dumps([dict(zip(("id", "version", "title", "rules", "extends"), r)) for r in rows], indent=2))
        return
    from ldt_conform.render.text import profiles_table

    profiles_table(rows)


@cli.command()
@click.argument("profile_ref")
@click.argument("rule_id", required=False)
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True,
              help="Language of the table headings and of the rule texts the profile translates.")
def rules(profile_ref: str, rule_id: str | None, lang: str) -> None:
    """Print the rule table of PROFILE, or the full description of one rule with its pass and fail cases."""
    from ldt_conform import profile as prof
    from ldt_conform.render.text import rule_detail, rules_table

    loaded = _guard(False, prof.load, profile_ref)
    if rule_id:
        from ldt_conform import cases

        rule = _guard(False, loaded.rule, rule_id)
        rule_detail(rule, lang)
        found = _guard(False, cases.for_rule, rule, loaded.prefixes)
        if found:  # the rule's pass and fail cases, as yamllint's docs show them
            click.echo("\n" + cases.describe(found, lang))
    else:
        rules_table(list(loaded.rules), lang)


@cli.command()
@click.option("--name", help="The twin's name (asked interactively when missing).")
@click.option("--profile", "profile_ref", default="ldt4ssc", show_default=True, help="Shipped profile to extend.")
@click.option("--catalogue", "catalogues", multiple=True, metavar="PATH|URL", help="Catalogue source (repeatable).")
@click.option("--payloads", "payloads", multiple=True, metavar="PATH|GLOB|URL", help="Entity payloads (repeatable).")
@click.option("--api", "apis", multiple=True, metavar="KIND=URL",
              help="API endpoint, e.g. ngsi-ld=https://… (repeatable).")
@click.option("--credentials-env", "credentials", multiple=True, metavar="VAR",
              help="Name of the environment variable holding the credentials of the n-th --api (repeatable).")
@click.option("--mim", "mims", multiple=True, metavar="KEY", help="A MIM the twin engages with (repeatable).")
@click.option("--output", "-o", "out", default="ldt-conform.toml", show_default=True, type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite an existing manifest.")
@click.option("--no-input", is_flag=True, help="Never prompt; fail when --name is missing.")
def init(name: str | None, profile_ref: str, catalogues: tuple[str, ...], payloads: tuple[str, ...],
         apis: tuple[str, ...], credentials: tuple[str, ...], mims: tuple[str, ...], out: str, force: bool,
         no_input: bool) -> None:
    """Write a twin manifest (ldt-conform.toml) from flags or prompts; never overwrites without --force."""
    from ldt_conform import manifest
    from ldt_conform.mims import MIMS
    from ldt_conform.render import write_atomic

    path = Path(out)
    if path.exists() and not force:
        raise Failure(f"{path}: already exists; use --force to overwrite it")
    if not name:
        if no_input:
            raise click.UsageError("--name is required with --no-input")
        name = click.prompt("Twin name")
        catalogues = catalogues or tuple(_ask("Catalogue file(s) or URL(s), comma-separated"))
        payloads = payloads or tuple(_ask("Entity payloads (files or globs), comma-separated"))
        apis = apis or tuple(_ask("API endpoints as KIND=URL, comma-separated"))
    pairs = []
    for index, spec in enumerate(apis):
        kind, sep, url = spec.partition("=")
        if not sep or not url.startswith(("http://", "https://")):
            raise click.UsageError(f"--api takes KIND=URL, e.g. ngsi-ld=https://broker.example.org (got {spec!r})")
        pairs.append((kind, url, credentials[index] if index < len(credentials) else None))
    unknown = [m for m in mims if m not in MIMS]
    if unknown:
        raise click.UsageError(f"unknown MIM key(s) {', '.join(unknown)} (choose from {', '.join(MIMS)})")
    text = manifest.render(name=name, profile=profile_ref, catalogue=catalogues, payloads=payloads, apis=pairs,
                           mims=mims or ("accessing-data", "interlinking-data", "representing-data", "exchanging-data",
                                         "securing-data"))
    write_atomic(path, text)
    _guard(False, manifest.load, path)
    click.echo(f"wrote {path}; run `ldt-conform check` in {path.parent.resolve()}")


def _ask(question: str) -> list[str]:
    answer = click.prompt(question, default="", show_default=False)
    return [part.strip() for part in answer.split(",") if part.strip()]


# --- reports: baselines, evidence bundles, diffs (bodies live in baseline.py and evidence.py) ---------------------


def _prepare_extras(baseline_file: str | None, evidence_dir: str | None, include_inputs: bool,
                    profile_ref: str | None = None) -> None:
    """Bad --baseline / --evidence arguments fail before the run, not after minutes of validation."""
    from ldt_conform import baseline, evidence

    if baseline_file:
        # With an explicit --profile the profile check happens now too; otherwise after the run (exit 2 all the same).
        profile_id = None
        if profile_ref and profile_ref != "auto":  # --profile auto: known only once the targets are read
            from ldt_conform import profile

            profile_id = profile.load(profile_ref).id
        baseline.load(Path(baseline_file), profile_id)
    if evidence_dir:
        evidence.prepare(Path(evidence_dir))
    elif include_inputs:
        raise UsageError("--include-inputs", "only makes sense with --evidence DIR")


def _write_baseline(report: Report, out: str) -> None:
    from ldt_conform import baseline
    from ldt_conform.render import write_atomic

    write_atomic(Path(out), baseline.render(report))
    click.echo(f"baseline: {len(report.findings)} findings written to {out}", err=True)


def _apply_baseline(report: Report, baseline_file: str) -> Report:
    """`check --baseline FILE` marks each finding new or known."""
    from ldt_conform import baseline

    return baseline.apply(report, Path(baseline_file))


def _write_evidence(report: Report, directory: str, lang: str, include_inputs: bool) -> str:
    from ldt_conform import evidence

    return evidence.write(report, Path(directory), lang=lang, include_inputs=include_inputs)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False))
def verify(directory: str) -> None:
    """Check an evidence bundle against its manifest: exit 0 intact, 1 altered, 2 not a bundle."""
    from ldt_conform import evidence

    verdict = _guard(False, evidence.verify, Path(directory))
    click.echo(verdict.text(), nl=False)
    raise SystemExit(EXIT_OK if verdict.intact else EXIT_NONCONFORMANT)


@cli.command()
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True,
              help="Language of the text output; the JSON output is language-neutral (its keys and codes).")
def diff(old: str, new: str, fmt: str, lang: str) -> None:
    """Fixed, new and unchanged findings and MIM level changes between two JSON reports (or baselines)."""
    import json

    from ldt_conform import baseline

    result = _guard(False, baseline.diff, Path(old), Path(new))
    click.echo(json.dumps(result, indent=1, ensure_ascii=False) if fmt == "json"
               else baseline.diff_text(result, lang=lang), nl=fmt == "json")


@cli.group()
def models() -> None:
    """Data models the payload checks know: the shipped Smart Data Models plus the manifest's [[twin.models]]."""


@models.command("list")
@click.option("--manifest", "manifest_path", type=click.Path(dir_okay=False), default=None,
              help="Twin manifest whose [[twin.models]] to include (default: ./ldt-conform.toml if present).")
@click.option("--seed", "seeds", multiple=True, type=click.Path(file_okay=False, exists=True),
              help="Folder of pinned artefacts to look in as well (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def models_list(manifest_path: str | None, seeds: tuple[str, ...], fmt: str) -> None:
    """Each model's type, version, licence, origin, schema, and whether its schema is available offline."""
    import json

    from ldt_conform import manifest, sdm
    from ldt_conform.artefacts import ArtefactStore

    found = manifest_path or (str(manifest.find()) if manifest.find() else None)
    twin = _guard(False, manifest.load, found) if found else None
    catalogue = sdm.for_run({"models": list(twin.models)} if twin else {})
    store = ArtefactStore(offline=True, seed_dirs=[Path(s) for s in (*seeds, *(twin.seed if twin else ()))])
    store.add_pins(catalogue.pins())
    rows = []
    for model in catalogue.models:
        pin = model.pin()
        available = model.file.is_file() if model.file else bool(pin and store.get_pinned(pin) is not None)
        for used in (p for p in catalogue.schemas if p.name in model.uses):
            # the common schemas it $refs count too (directly, or through their commit-pinned mirror)
            mirror = catalogue.mirrors.get(used.url)
            available = available and (store.get_pinned(used) is not None
                                       or bool(mirror and store.get_pinned(mirror) is not None))
        rows.append({"type": model.type, "version": model.version, "licence": model.licence, "origin": model.origin,
                     "schema": model.schema_url or str(model.file), "sha256": model.sha256, "offline": available})
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        state = "available offline" if row["offline"] else "not cached (fetched on first use; or --seed DIR)"
        click.echo(f"{row['type']:22} {row['version'] or '-':8} {row['licence'] or '-':10} {state}\n"
                   f"{'':22} {row['schema']}")


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry: run, flush, and leave without tearing down large graphs (that costs seconds)."""
    global _KEPT
    fast_exit = not os.environ.get("LDT_CONFORM_NO_FAST_EXIT")
    if fast_exit:
        _KEPT = []
    try:
        code = cli.main(args=list(argv) if argv is not None else None, prog_name="ldt-conform", standalone_mode=False)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_ERROR)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.ClickException as exc:
        exc.show()
        code = exc.exit_code
    except click.exceptions.Abort:
        sys.stderr.write("error: aborted\n")
        code = EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line, exit 2
        if "--debug" in (argv if argv is not None else sys.argv):
            traceback.print_exc()
        sys.stderr.write(redact.line(f"error: internal error: {type(exc).__name__}: {exc}") + "\n")
        code = EXIT_ERROR
    sys.stdout.flush()
    sys.stderr.flush()
    if "ldt_conform.shacl_fast.distribute" in sys.modules:  # os._exit skips atexit: stop --dask local:N workers
        sys.modules["ldt_conform.shacl_fast.distribute"].close_all()
    if not fast_exit:
        raise SystemExit(code or 0)
    os._exit(code or 0)
