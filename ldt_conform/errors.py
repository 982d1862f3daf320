"""Errors that stop a run (exit 2). Each names *where*: a file#key, a URL, or file:line:col."""
from __future__ import annotations

from typing import Any


class ConformError(Exception):
    """Base of every error the CLI turns into one line and exit status 2."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where
        self.message = message

    def __reduce__(self) -> tuple[Any, ...]:
        # A Dask worker's error reaches the parent pickled (dask_inputs.py); the default rebuilds an exception from
        # its one formatted argument, which this __init__ does not take.
        return (type(self), (self.where, self.message), self.__dict__)


class UsageError(ConformError):
    """The call itself is wrong: an unknown selector, option or format."""


class ProfileError(ConformError):
    """A profile manifest or its shapes are unreadable or invalid."""


class FetchError(ConformError):
    """A URL could not be fetched: refused, timed out, HTTP error, not the content we asked for."""

    def __init__(self, where: str, message: str, location: str | None = None) -> None:
        super().__init__(where, message)
        # The refused redirect target, so a caller can name both URLs.
        self.location = location


class LoadError(ConformError):
    """An input could not be read or parsed."""


class BudgetError(ConformError):
    """Validation ran past its time budget; `where` names the shape being evaluated."""


def loads_toml(text: str, where: str) -> dict[str, Any]:
    """tomllib.loads, with nesting deeper than tomllib can recurse (once per array or inline table; found by
    tools/fuzz.py) as a ProfileError naming `where`; syntax errors stay tomllib's for the caller to place."""
    import tomllib

    try:
        return tomllib.loads(text)
    except RecursionError:
        raise ProfileError(where, "TOML nested too deep to read") from None
