"""The command line: build objects, call the API, render, map errors to exit codes (the only click importer)."""
from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Any, Sequence

import click

from ldt_conform import __version__
from ldt_conform.errors import ConformError, UsageError
from ldt_conform.model import Report, Severity

EXIT_OK, EXIT_NONCONFORMANT, EXIT_ERROR = 0, 1, 2


def _split(values: Sequence[str]) -> list[str]:
    """--select A,B --select C → [A, B, C]."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _parse_reports(specs: Sequence[str]) -> list[tuple[str, Path]]:
    from ldt_conform.render import RENDERERS, check_writable

    pairs = []
    for spec in specs:
        fmt, sep, path = spec.partition("=")
        if not sep or not fmt or not path:
            raise UsageError(spec, "--report takes FORMAT=PATH, e.g. --report json=report.json")
        if fmt not in RENDERERS:
            raise UsageError(spec, f"unknown report format '{fmt}' (choose from {', '.join(sorted(RENDERERS))})")
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
        raise Failure(str(exc)) from None
    except KeyboardInterrupt:
        raise Failure("interrupted") from None
    except Exception as exc:  # noqa: BLE001 - the tool breaking is exit 2 with one line, never a bare traceback
        if show_traceback:
            traceback.print_exc()
        raise Failure(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="ldt-conform")
def cli() -> None:
    """Check a Local Digital Twin's catalogue, payloads and APIs against LDT4SSC blueprint profiles."""


@cli.command()
@click.argument("targets", nargs=-1)
@click.option("--profile", "-p", "profile_ref", default=None, help="Profile id or path to a profile.toml.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error", show_default=True,
              help="Lowest severity that makes the run non-conformant (exit 1).")
@click.option("--format", "fmt", default="text", show_default=True, help="Format of the main output.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the main output here instead of stdout.")
@click.option("--report", "reports", multiple=True, metavar="FORMAT=PATH", help="Also write FORMAT to PATH (repeatable).")
@click.option("--select", multiple=True, metavar="RULES", help="Only these rules: IDs, ID prefixes, names, aliases.")
@click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules.")
@click.option("--input-format", type=click.Choice(["turtle", "rdfxml", "jsonld", "ntriples", "nquads", "trig"]),
              help="Format of the inputs (needed for stdin '-').")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds per HTTP request.")
@click.option("--engine", type=click.Choice(["auto", "fast", "pyshacl"]), default="auto", show_default=True,
              help="SHACL engine.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, help="Parallel jobs (0 = all cores).")
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True, help="Report language.")
@click.option("--quiet", "-q", is_flag=True, help="Only the summary.")
@click.option("--debug", is_flag=True, help="Tracebacks and engine decisions on stderr.")
def check(targets: tuple[str, ...], profile_ref: str | None, fail_on: str, fmt: str, output: str | None,
          reports: tuple[str, ...], select: tuple[str, ...], ignore: tuple[str, ...], input_format: str | None,
          timeout: float, engine: str, jobs: int, lang: str, quiet: bool, debug: bool) -> None:
    """Validate TARGETS (files, directories, URLs, or - for stdin) against a profile."""
    from ldt_conform import api
    from ldt_conform.render import check_writable
    from ldt_conform.render.text import Progress

    if not targets:
        raise click.UsageError("give at least one TARGET (a file, directory, URL or -)")
    outputs = _guard(debug, _parse_reports, reports)
    if output:
        _guard(debug, check_writable, Path(output))
    _guard(debug, _renderer_known, fmt)
    options = api.CheckOptions(profile=profile_ref or api.DEFAULT_PROFILE, select=_split(select),
                               ignore=_split(ignore), fail_on=Severity(fail_on), engine=engine, jobs=jobs, lang=lang,
                               timeout=timeout, input_format=input_format)
    log = (lambda message: click.echo(f"debug: {message}", err=True)) if debug else (lambda message: None)
    with Progress(enabled=not quiet) as progress:
        report = _guard(debug, api.check, list(targets), options, progress=progress.update, debug=log,
                        stdin=lambda: sys.stdin.buffer.read())
    _guard(debug, _emit, report, fmt, output, outputs, lang, quiet)
    sys.stdout.flush()
    raise SystemExit(EXIT_OK if report.conforms else EXIT_NONCONFORMANT)


def _renderer_known(fmt: str) -> None:
    from ldt_conform.render import renderer

    renderer(fmt)


def _emit(report: Report, fmt: str, output: str | None, outputs: list[tuple[str, Path]], lang: str,
          quiet: bool) -> None:
    from ldt_conform.render import render, write_atomic
    from ldt_conform.render.text import print_report

    for extra_fmt, path in outputs:
        write_atomic(path, render(extra_fmt, report, lang=lang))
    if output:
        write_atomic(Path(output), render(fmt, report, lang=lang, quiet=quiet))
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
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en")
def rules(profile_ref: str, rule_id: str | None, lang: str) -> None:
    """Print the rule table of PROFILE, or the full description of one rule."""
    from ldt_conform import profile as prof
    from ldt_conform.render.text import rule_detail, rules_table

    loaded = _guard(False, prof.load, profile_ref)
    if rule_id:
        rule_detail(_guard(False, loaded.rule, rule_id), lang)
    else:
        rules_table(list(loaded.rules), lang)


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry: run, flush, and leave without tearing down large graphs (that costs seconds)."""
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
        sys.stderr.write(f"error: internal error: {type(exc).__name__}: {exc}\n")
        code = EXIT_ERROR
    sys.stdout.flush()
    sys.stderr.flush()
    if os.environ.get("LDT_CONFORM_NO_FAST_EXIT"):
        raise SystemExit(code or 0)
    os._exit(code or 0)
