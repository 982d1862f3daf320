"""Where the shared corpus keeps the OpenAPI documents the live-API tests serve."""
from __future__ import annotations

from pathlib import Path

CORPUS_OPENAPI = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "openapi" / "ogcapi-features"
