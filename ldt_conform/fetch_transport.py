"""requests' transport for fetch.py, imported on a run's first request.

requests, urllib3 and certifi take about 60 ms to import; a run that fetches nothing (offline, or with every artefact
in the cache) does not pay that. Here: the per-request watchdog's hook into urllib3's connections, and the sessions.
"""
from __future__ import annotations

import threading
from typing import Any

import requests
import requests.adapters
import urllib3.connection
import urllib3.connectionpool

# The watch (fetch._Watch) of the request this thread is sending: the connection registers its socket there before it
# waits for the response headers (requests gives no other way to reach the socket of a response that has not arrived).
current = threading.local()


class _Watched(urllib3.connection.HTTPConnection):
    """Registers the connection's socket with the thread's watch before waiting for the response headers."""

    def getresponse(self, *args: object, **kwargs: object) -> object:  # type: ignore[override]
        watch = getattr(current, "watch", None)
        if watch is not None:
            watch.add_socket(self.sock)
        return super().getresponse(*args, **kwargs)


class _WatchedHTTPConnection(_Watched):
    pass


class _WatchedHTTPSConnection(_Watched, urllib3.connection.HTTPSConnection):
    pass


class _WatchedHTTPPool(urllib3.connectionpool.HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection  # type: ignore[assignment]


class _WatchedHTTPSPool(urllib3.connectionpool.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection  # type: ignore[assignment]


class WatchedAdapter(requests.adapters.HTTPAdapter):
    """requests' adapter whose connections let the per-request watchdog reach their socket."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


def session(user_agent: str, max_redirects: int, pool_size: int) -> requests.Session:
    """A run's session: one pool of `pool_size` connections per host, shared by concurrent probes."""
    made = requests.Session()
    made.headers["User-Agent"] = user_agent
    made.max_redirects = max_redirects
    adapter = WatchedAdapter(pool_connections=pool_size, pool_maxsize=pool_size)
    made.mount("http://", adapter)
    made.mount("https://", adapter)
    return made


def fresh_session(like: requests.Session) -> requests.Session:
    """A one-off session with `like`'s headers on new connections (the retry of a host that hung on a reused one);
    the watchdog must reach its socket too."""
    made = requests.Session()
    made.headers.update(like.headers)
    made.max_redirects = like.max_redirects
    made.mount("http://", WatchedAdapter())
    made.mount("https://", WatchedAdapter())
    return made
