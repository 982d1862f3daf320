"""Hand the heap's freed memory back to the operating system between the big steps of a run (glibc's malloc_trim).

pyoxigraph's store and queries allocate through the C heap, which keeps what they free for reuse. Between the load
and the rules, and between the rules and the score, hundreds of MB of it sit free at 200,000 datasets, and they are
counted in the process's resident size: in its peak, and in that of the score's forked child, which starts with
every page its parent holds. On anything but glibc this does nothing.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _libc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


def trim() -> bool:
    """Release the heap's free memory; whether it could be asked (False: not glibc)."""
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True
