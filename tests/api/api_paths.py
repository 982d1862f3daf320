"""Where the shared corpus keeps the OpenAPI documents the live-API tests serve."""
from __future__ import annotations

import corpus

CORPUS_OPENAPI = (corpus.root() or corpus.LOCAL) / "openapi" / "ogcapi-features"
