"""Check kinds: each gets all of its rules at once for one target and returns results and findings."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Protocol, Sequence, runtime_checkable

from ldt_conform.model import Finding, Result, Rule

if TYPE_CHECKING:  # only for the annotations: importing these at run time would load the fetch machinery
    from ldt_conform.artefacts import ArtefactStore
    from ldt_conform.fetch import Fetcher
    from ldt_conform.profile import Profile


@dataclass
class CheckOutput:
    results: list[Result] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    engines: set[str] = field(default_factory=set)


@dataclass
class RunContext:
    """What every check may need besides its rules and target; built once per run by the CLI or API."""

    profile: Profile
    engine: str = "auto"
    jobs: int = 0
    lang: str = "en"
    options: dict[str, Any] = field(default_factory=dict)
    artefacts: ArtefactStore | None = None
    fetcher: Fetcher | None = None
    debug: Callable[[str], None] = lambda message: None
    progress: Callable[[str], None] = lambda message: None
    cache: dict[str, Any] = field(default_factory=dict)
    # Set while the engine streams findings (check --findings FILE): a check may hand findings over here as it
    # produces them, instead of returning them all in its CheckOutput.
    findings_sink: Callable[[Iterable[Finding]], None] | None = None


class Target(Protocol):
    """What the engine needs of any target (a loaded catalogue, a payload set, a live API)."""

    @property
    def source(self) -> str: ...

    @property
    def kind(self) -> str: ...  # "rdf", "json" or "api": matched against a check kind's target_kinds


@runtime_checkable
class CheckKind(Protocol):
    """The contract of a check-kind module (engine.CHECKS): the targets it takes, and one run per target with all
    of its rules at once."""

    @property
    def target_kinds(self) -> tuple[str, ...]: ...

    def run(self, rules: Sequence[Rule], target: Any, ctx: RunContext) -> CheckOutput: ...


def format_message(rule: Rule, lang: str, fallback: str | None = None, **values: str | None) -> str:
    """The rule's own what-to-fix message, with {focus} {path} {value} filled in."""
    template = rule.text("message", lang) or fallback or rule.text("title", lang)
    try:
        return template.format_map(_Defaulting({k: v or "" for k, v in values.items()}))
    except (ValueError, IndexError):
        return template


class _Defaulting(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
