"""The contract of an API family module (checks/api/FAMILIES): its tests, and the conformance classes it declares."""
from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, Callable, Mapping, Protocol, runtime_checkable

from ldt_conform.checks.api.probe import Issue, Probe

# One test of a family: the probe and the rule's params in, the issues found out (none → pass).
Test = Callable[[Probe, Mapping[str, Any]], list[Issue]]


class ApiFamily(Protocol):
    """A family's tests by name (rules name them in `api.test`), and how it reads the classes a server declares."""

    __name__: str  # the module's name: keys the per-family memo of declared classes

    @property
    def TESTS(self) -> Mapping[str, Test]: ...  # a module-level constant in the family modules

    def declared(self, probe: Probe) -> set[str]: ...

    def normalise(self, uri: str) -> str: ...


@runtime_checkable
class WritingFamily(Protocol):
    """A family whose tests write (NGSI-LD probe entities): clean-up always runs, and SIGTERM during a write
    unwinds through it."""

    def cleanup(self, probe: Probe) -> None: ...

    def interrupt_guard(self, probe: Probe) -> AbstractContextManager[None]: ...
