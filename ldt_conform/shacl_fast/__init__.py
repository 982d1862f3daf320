"""Fast SHACL Core engine over pyoxigraph, giving the same results as pyshacl."""

from __future__ import annotations

from ldt_conform.shacl_fast.api import (BudgetExceeded, ShaclResult, ShapesError, Unsupported, unsupported_shapes,
                                        validate)

__all__ = ["validate", "unsupported_shapes", "ShaclResult", "Unsupported", "ShapesError", "BudgetExceeded"]
