"""Fixtures of the live-API tests: real servers on 127.0.0.1 (fake spec servers, NGSI-LD broker, misbehaving server,
pygeoapi, django-ogc-sensorthings), each stopped at teardown, and a helper that runs one check in-process."""
from __future__ import annotations

from typing import Iterator

import pytest

from servers import fake_apis, misbehaving, ngsi_ld_broker
from servers.util import LocalServer


@pytest.fixture(scope="session")
def fake_server() -> Iterator[LocalServer]:
    server = fake_apis.start()
    yield server
    server.stop()


@pytest.fixture
def fake(fake_server: LocalServer) -> Iterator[LocalServer]:
    """The OGC API + SensorThings spec server in good mode; a test switches faults on."""
    fake_server.faults.clear()
    fake_server.requests.clear()
    yield fake_server
    fake_server.faults.clear()


@pytest.fixture
def broker() -> Iterator[LocalServer]:
    server = ngsi_ld_broker.start()
    yield server
    server.stop()


@pytest.fixture
def bad_server() -> Iterator[LocalServer]:
    server = misbehaving.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pygeoapi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from servers import pygeoapi_server

    server = pygeoapi_server.start(tmp_path_factory.mktemp("pygeoapi"))
    yield server.url
    pygeoapi_server.stop(server)


@pytest.fixture(scope="session")
def pygeoapi_tinydb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """pygeoapi with its TinyDB feature provider, which filters on datetime (the GeoJSON provider ignores it)."""
    pytest.importorskip("pygeoapi", reason="pygeoapi is in the test extra")
    from servers import pygeoapi_server

    server = pygeoapi_server.start(tmp_path_factory.mktemp("pygeoapi-tinydb"), roads_provider="TinyDB")
    yield server.url
    pygeoapi_server.stop(server)


@pytest.fixture(scope="session")
def sensorthings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from servers import sensorthings_server

    server = sensorthings_server.start(tmp_path_factory.mktemp("sta"))
    yield server.url
    sensorthings_server.stop(server)
