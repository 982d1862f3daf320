"""The programmatic entry point: what `ldt-conform check` does, minus the command line and the rendering."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from ldt_conform import detect, engine, gcpause
from ldt_conform import load as loader
from ldt_conform import profile as profiles
from ldt_conform.checks import RunContext
from ldt_conform.fetch import Fetcher
from ldt_conform.model import Report, Severity
from ldt_conform.phases import Phases

DEFAULT_PROFILE = "dcat-ap-3"
# The profile used when only live APIs are checked: every API family, each target running those of its kind.
API_PROFILE = "api"
INSECURE_WARNING = ("TLS certificate verification was turned off (--insecure): the APIs' identity was not checked, "
                    "so these results are not evidence of conformance of the genuine endpoints")


@dataclass
class CheckOptions:
    profile: str = DEFAULT_PROFILE
    select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    fail_on: Severity = Severity.ERROR
    engine: str = "auto"
    jobs: int = 0
    lang: str = "en"
    timeout: float = 30.0
    input_format: str | None = None
    offline: bool = False
    # Live API endpoints as (kind or None for auto-detect, URL); probed once per run (checks/api).
    apis: Sequence[tuple[str | None, str]] = ()
    headers: dict[str, str] = field(default_factory=dict)
    insecure: bool = False
    allow_writes: bool = False
    follow_redirects_any: bool = False
    # Entity payload sources (files, globs, broker queries) for the json_schema check kind.
    payloads: Sequence[str] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    # A twin manifest (ldt-conform.toml): its profile, catalogues, payloads, APIs and evidence join the run.
    manifest: str | None = None
    # SHACL: seconds before a validation is abandoned (naming the shape), and a folder for on-disk stores.
    time_budget: float | None = 600.0
    store_dir: str | None = None
    # Paged catalogues (hydra:next): at most this many pages per input; None is paging.DEFAULT_MAX_PAGES.
    max_pages: int | None = None
    # Stream the findings to this file (.jsonl or .parquet) as the checks produce them, instead of keeping them all
    # in memory; the report then lists the first `findings_listed` of them, in report order, and counts them all.
    # `findings_shown_as` is the name the report gives the file (the CLI writes a temporary file first).
    findings_file: str | None = None
    findings_listed: int = 1000
    findings_shown_as: str | None = None
    # With findings_file: a baseline (check --baseline) marks them new or known as they pass.
    baseline: str | None = None


def check(targets: Sequence[str], options: CheckOptions | None = None, *,
          progress: Callable[[str], None] = lambda _: None, debug: Callable[[str], None] = lambda _: None,
          stdin: Callable[[], bytes] | None = None, retain: Callable[[Any], None] | None = None) -> Report:
    """Load the profile, read every target once, run every check kind once per target, return the report.

    `retain`, if given, is handed the loaded inputs before the return would free them: the CLI keeps them until its
    os._exit, because tearing down the store of a 50,000-dataset catalogue costs 1–2 s and frees nothing anyone
    needs (the memory goes back to the allocator, not to the system, and the process is about to end).
    """
    with gcpause.paused():
        return _check(targets, options or CheckOptions(), progress=progress, debug=debug, stdin=stdin, retain=retain)


def _check(targets: Sequence[str], options: CheckOptions, *, progress: Callable[[str], None],
           debug: Callable[[str], None], stdin: Callable[[], bytes] | None,
           retain: Callable[[Any], None] | None) -> Report:
    if _by_input(targets, options, debug):
        from ldt_conform import dask_inputs

        return dask_inputs.check(targets, options, progress=progress, debug=debug)
    started = engine.now()
    steps = Phases()
    twin = None
    if options.manifest:
        from ldt_conform import manifest as manifests

        twin = manifests.load(options.manifest, allow=options.extra.get("allow_paths", ()))
        targets, options = manifests.apply(twin, targets, options)
    # --profile auto: the profile comes from the catalogue itself, so it is chosen after the targets are read.
    auto = twin is None and options.profile == detect.AUTO
    detection = None
    if not auto:
        profile = twin.profile if twin else profiles.load(options.profile)
        rules, model = _prepare(profile, options, twin)
        steps.done("profile")
    fetcher = Fetcher(timeout=options.timeout, verify_tls=not options.insecure,
                      follow_redirects_any_host=options.follow_redirects_any, headers=dict(options.headers))
    parsed: list[Any] = list(loader.open_targets(targets, input_format=options.input_format, fetcher=fetcher,
                                                 stdin=stdin, progress=lambda source: progress(f"reading {source}"),
                                                 store_dir=options.store_dir, contexts=_contexts(options),
                                                 lenient=bool(options.extra.get("lenient")),
                                                 max_pages=options.max_pages,
                                                 follow_pages=options.extra.get("follow_pages", True)))
    steps.done("read")
    if auto:
        detection = detect.detect_targets(parsed, shipped=(m.parent.name for m in profiles.list_shipped()))
        progress(f"--profile auto: {detection.profile} ({detection.reason})")
        profile = profiles.load(detection.profile)
        rules, model = _prepare(profile, options, twin)
        steps.done("profile")
    if options.payloads:
        from ldt_conform.payloads import open_payload_targets

        parsed.extend(open_payload_targets(options.payloads, options, fetcher=fetcher, progress=progress))
    if options.apis:
        from ldt_conform.checks.api.target import open_api_targets

        parsed.extend(open_api_targets(options.apis, options, fetcher=fetcher, progress=progress))
    from ldt_conform import memtrim

    memtrim.trim()  # what the load freed: before the fork, so that the child does not start with it either
    # The score's reading of the catalogue graph does not need the findings: a forked child does it meanwhile.
    ahead = _read_ahead(parsed, options, fetcher)
    ctx = RunContext(profile=profile, engine=options.engine, jobs=_shacl_jobs(options.jobs, ahead),
                     lang=options.lang, fetcher=fetcher, debug=debug, progress=progress,
                     options={**options.extra, "offline": options.offline, "time_budget": options.time_budget})
    spool = _spool(options)
    try:
        report = engine.run(rules, parsed, ctx, fail_on=options.fail_on, started_at=started, spool=spool)
        steps.done("rules")
        memtrim.trim()  # what the rules' queries freed, before the score's own data
        from dataclasses import replace

        from ldt_conform import levels

        report = replace(report, options=scope(options, profile, rules))
        from ldt_conform import paging

        report = paging.apply(report, parsed)  # the page chains' findings; no pass stands on a part-read catalogue
        groups = None
        if spool is not None:
            report, groups = _stream(report, spool, options)
            steps.done("findings")
    finally:
        if spool is not None:
            spool.close()
    if detection is not None:
        report = replace(report, options={**report.options, "profile_detection": detection.as_dict()})
    report = levels.attach(report, declared=options.extra.get("declared_mims", ()),
                           evidence=options.extra.get("evidence"),
                           not_applicable=options.extra.get("not_applicable"),
                           model=model)

    report = _score(report, parsed, options, fetcher, ahead, groups)
    steps.done("score")
    debug(steps.line())
    if retain is not None:
        retain(parsed)
    if options.insecure:
        report = replace(report, warnings=(*report.warnings, INSECURE_WARNING))
    if options.apis and not any(r.kind == "api" for r in rules):
        # Otherwise a catalogue + --api run under the catalogue profile would look like a clean API result.
        report = replace(report, warnings=(*report.warnings, (
            f"the profile {profile.id} has no API rule selected: the {len(options.apis)} --api target(s) were only "
            "identified, not checked (use --profile api, or ldt4ssc for catalogue and APIs together)")))
    return report


def _by_input(targets: Sequence[str], options: CheckOptions, debug: Callable[[str], None]) -> bool:
    """Whether --dask sends whole inputs to the workers (the parent reads none) rather than focus shards of each.

    `--dask-by auto` (the default) goes by input when there are several inputs and nothing else in the run needs
    the parent to read them; `input` insists (a usage error naming what stands in the way); `focus` never does."""
    if not options.extra.get("dask"):
        return False
    by = options.extra.get("dask_by") or "auto"
    if by == "focus":
        return False
    from ldt_conform import dask_inputs

    obstacle = dask_inputs.routable(targets, options)
    if obstacle is not None:
        if by == "input":
            from ldt_conform.errors import UsageError

            raise UsageError("--dask-by input", f"cannot send whole inputs to the workers with {obstacle}; "
                                                "use --dask-by focus")
        debug(f"--dask: focus shards, not input tasks ({obstacle})")
        return False
    return by == "input" or len(dask_inputs.inputs(targets)) > 1


def _contexts(options: CheckOptions) -> Any:
    """Remote JSON-LD contexts: pinned ones through the artefact store, others only with --fetch-contexts."""
    from pathlib import Path

    from ldt_conform.jsonld_contexts import ContextLoader

    return ContextLoader.create(offline=options.offline, fetch_unpinned=bool(options.extra.get("fetch_contexts")),
                                seed_dirs=[Path(s) for s in options.extra.get("seed_dirs", ())],
                                timeout=options.timeout)


def _prepare(profile: Any, options: CheckOptions, twin: Any) -> tuple[Any, Any]:
    """The selected rules and the capability model of the run's profile; usage errors before any validation."""
    rules = profiles.select(profile.rules, options.select, options.ignore)
    if options.payloads and not any(r.kind == "json_schema" for r in rules):
        # Otherwise the payloads are read, nothing checks them, and the run says CONFORMS with 0 rules run.
        from ldt_conform.errors import UsageError

        where = "--payload" if not twin or not twin.payloads else f"{twin.path}#twin.payloads"
        raise UsageError(where, f"the profile {profile.id} has no payload rule selected, so the payloads would "
                                      "not be checked (use --profile ldt4ssc, or select LDT-2xx rules)")
    # A bad capability model is a profile error before the run, not after minutes of validation.
    return rules, _capability_model(options, profile)


def _read_ahead(parsed: Sequence[Any], options: CheckOptions, fetcher: Fetcher) -> Any:
    """The child reading what the score needs from the catalogues while the rules run (None: not worth a fork)."""
    from ldt_conform import quality, quality_fork

    if options.extra.get("read_ahead") is False:
        return None  # a Dask worker: one process on one core, where a fork would only compete with it
    return quality_fork.start(parsed, lookups=lambda: quality.load_lookups(_artefacts(options, fetcher)))


def _artefacts(options: CheckOptions, fetcher: Fetcher) -> Any:
    """The artefact store the score reads its EDP lookups through (seeded as the run's --seed options say)."""
    from pathlib import Path

    from ldt_conform.artefacts import ArtefactStore

    return ArtefactStore(fetcher=fetcher, offline=options.offline,
                         seed_dirs=[Path(s) for s in options.extra.get("seed_dirs", ())])


def _shacl_jobs(jobs: int, ahead: Any) -> int:
    """SHACL threads: as asked; by default (0) the idle cores, less the one the score's read-ahead child works on.

    The threads split only the rules' batched questions, a small part of a large run (docs/scale.md), so an idle
    core does more for the run reading the score's facts meanwhile than as a second thread."""
    if jobs != 0 or ahead is None:
        return jobs
    from ldt_conform.shacl_fast.api import idle_cores

    return max(1, idle_cores() - 1)


def _spool(options: CheckOptions) -> Any:
    """Where the findings wait on disk while the run goes on, when they are streamed (None: kept in memory)."""
    if not options.findings_file:
        return None
    from ldt_conform.findings_spool import Spool

    return Spool(directory=options.store_dir)


def _stream(report: Report, spool: Any, options: CheckOptions) -> tuple[Report, Any]:
    from pathlib import Path

    from ldt_conform import report_stream

    mark = None
    if options.baseline:
        from ldt_conform.baseline import Marker

        mark = Marker(Path(options.baseline), report.profile.id)
    report, groups = report_stream.finish(report, spool, Path(str(options.findings_file)),
                                          listed=options.findings_listed, shown_as=options.findings_shown_as,
                                          mark=mark)
    if mark is not None:
        from dataclasses import replace

        report = replace(report, baseline=mark.info())
    return report, groups


def _score(report: Report, parsed: Sequence[Any], options: CheckOptions, fetcher: Fetcher,
           ahead: Any = None, groups: Any = None) -> Report:
    """The MQA-compatible quality score of each catalogue; links are checked only with --check-links."""
    from ldt_conform import quality

    return quality.attach(report, parsed, artefacts=_artefacts(options, fetcher),
                          check_links=bool(options.extra.get("check_links")),
                          link_options={"timeout": min(options.timeout, 10.0), "verify_tls": not options.insecure},
                          ahead=ahead, groups=groups)


def scope(options: CheckOptions, profile: Any, rules: Sequence[Any]) -> dict[str, Any]:
    """The options that shape the verdict, recorded in the report so that a claim of conformance can be audited."""
    total = [r for r in profile.rules if not r.check.get("internal")]
    enabled = [r for r in total if r.enabled]
    selected = [r for r in rules if not r.check.get("internal")]
    narrowed = bool(options.select or options.ignore) and len(selected) < len(enabled)
    recorded: dict[str, Any] = {
        "profile": profile.id, "overridden": list(profile.info().overridden),
        "select": list(options.select), "ignore": list(options.ignore),
        "rules_selected": len(selected), "rules_total": len(enabled),
        "rules_disabled": len(total) - len(enabled), "narrowed": narrowed,
        "fail_on": options.fail_on.value, "engine": options.engine, "offline": bool(options.offline),
        "time_budget": options.time_budget, "timeout": options.timeout, "lang": options.lang,
    }
    for key in ("api_budget", "baseline", "fetch_contexts", "lenient", "notify_url", "notify_listen", "notify_wait"):
        if options.extra.get(key) is not None:
            recorded[key] = options.extra[key]
    if options.manifest:
        recorded["manifest"] = str(options.manifest)
    if options.extra.get("not_applicable"):
        recorded["not_applicable"] = dict(options.extra["not_applicable"])
    if options.insecure:
        recorded["insecure"] = True
    if options.allow_writes:
        recorded["allow_writes"] = True
    return recorded


def _capability_model(options: CheckOptions, profile: Any) -> Any:
    """The shipped capability model, or the twin's own (checked against the shipped rules and the profile's)."""
    from ldt_conform import capabilities

    path = options.extra.get("capabilities")
    if not path:
        return capabilities.default()
    return capabilities.load(path, known_rules={*capabilities.shipped_rule_ids(), *(r.id for r in profile.rules)})


def check_files(paths: Sequence[str], profile: str = DEFAULT_PROFILE, **kwargs: Any) -> Report:
    """Convenience for tests and notebooks: check local files against a profile."""
    return check([str(p) for p in paths], CheckOptions(profile=profile, **kwargs))
