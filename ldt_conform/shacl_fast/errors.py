"""Exceptions raised by the fast SHACL engine."""

from __future__ import annotations


class Unsupported(Exception):
    """The shapes use a feature the fast engine does not evaluate (e.g. SHACL-SPARQL); route them to pyshacl."""


class ShapesError(Exception):
    """The shapes graph itself is ill-formed; the message names the offending shape."""

    def __init__(self, message: str, shape: str | None = None) -> None:
        super().__init__(message)
        self.shape = shape


class BudgetExceeded(Exception):
    """Validation ran past its time budget; the message names the shape being evaluated."""

    def __init__(self, message: str, shape: str | None = None) -> None:
        super().__init__(message)
        self.shape = shape
