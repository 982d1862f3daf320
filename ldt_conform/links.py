"""Link reachability for the MQA status metrics (--check-links): HTTP HEAD through the fetch gateway, bounded."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Iterable

from ldt_conform.errors import FetchError
from ldt_conform.fetch import Fetcher

# Bounds: per-request timeout, a total budget for all links, parallel requests, and no body is read beyond the cap.
DEFAULT_TIMEOUT = 10.0
DEFAULT_BUDGET = 300.0
DEFAULT_CONCURRENCY = 8
MAX_BYTES = 64 << 10


def check(urls: Iterable[str], *, timeout: float = DEFAULT_TIMEOUT, budget: float = DEFAULT_BUDGET,
          concurrency: int = DEFAULT_CONCURRENCY, verify_tls: bool = True) -> dict[str, bool | None]:
    """URL → True (HEAD answered 2xx/3xx), False (4xx/5xx, refused, timed out, not http), None (budget spent)."""
    unique = sorted(set(urls))
    fetcher = Fetcher(timeout=timeout, max_bytes=MAX_BYTES, verify_tls=verify_tls, pool_size=concurrency)
    fetcher.start_budget(budget)
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        return dict(zip(unique, pool.map(lambda u: _head(fetcher, u), unique)))


def _head(fetcher: Fetcher, url: str) -> bool | None:
    try:
        response = fetcher.get(url, method="HEAD", raise_for_status=False)
    except FetchError as exc:
        left = fetcher.remaining()
        if "time budget" in exc.message or (left is not None and left <= 0.05):
            # Cut short by the run's budget, not answered by the server: unknown, so "not assessed".
            return None
        # A redirect to another host is an answer in the 3xx range: the link works, we just don't follow it.
        return "redirects to another host" in exc.message
    return 200 <= response.status < 400
