"""Fixtures of the Dask tests (a pytest plugin, see conftest.py): a real LocalCluster of 2 single-threaded worker
processes per test module, and `close_cli_connections`, which closes the Dask connections an in-process CLI run left
open. `distributed` is imported only by a test that asks for a cluster (such a module skips itself without it)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="module")
def local_cluster() -> Iterator[Any]:
    import distributed

    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                       silence_logs=50)
    yield cluster
    cluster.close()


@pytest.fixture
def close_cli_connections() -> Iterator[None]:
    from ldt_conform.shacl_fast import distribute

    before = list(distribute._OPEN)
    yield
    for opened in [c for c in distribute._OPEN if c not in before]:
        opened.close()  # the in-process CLI does not leave through main(), which closes its Dask client
