"""Fast SHACL Core engine over pyoxigraph, giving the same results as pyshacl."""

from __future__ import annotations

from ldt_conform.shacl_fast.api import (BudgetExceeded, Prepared, ShaclResult, ShapesError, Unsupported, prepare,
                                        unsupported_shapes, validate)

__all__ = [
                                        "BudgetExceeded",
                                        "Prepared",
                                        "ShaclResult",
                                        "ShapesError",
                                        "Unsupported",
                                        "prepare",
                                        "unsupported_shapes",
                                        "validate",
]
