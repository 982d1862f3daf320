"""A real pygeoapi (OGC API Features + Records) on 127.0.0.1: config, data and OpenAPI document written to a tmp dir."""
from __future__ import annotations

import json
from datetime import datetime, timezone
import os
import subprocess
from pathlib import Path
from typing import Any

import yaml

from servers.util import HOST, ServerProcess, free_port, python, start_process, stop_process, wait_ready

ROADS = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "id": f"road-{i}",
         "geometry": {"type": "LineString", "coordinates": [[4.35 + i * 0.01, 50.85], [4.36 + i * 0.01, 50.86]]},
         "properties": {"name": f"Road {i}", "lanes": 1 + i % 3, "opened": f"20{10 + i}-05-0{1 + i % 9}"}}
        for i in range(7)
    ],
}

RECORDS = {
    str(i + 1): {
        "id": f"record-{i}", "type": "Feature", "conformsTo": ["http://www.opengis.net/spec/ogcapi-records-1/1.0/req/record-core"],
        "geometry": {"type": "Polygon", "coordinates": [[[4.3, 50.8], [4.4, 50.8], [4.4, 50.9], [4.3, 50.9], [4.3, 50.8]]]},
        "time": {"interval": ["2020-01-01", "2024-12-31"]},
        "properties": {"type": "dataset", "title": f"Twin dataset {i}", "description": f"Dataset {i} of the twin",
                       "keywords": ["twin", "mobility"], "created": "2024-01-01", "updated": "2024-06-01",
                       # pygeoapi's loader adds this search text when it ingests records; q searches it.
                       "_metadata-anytext": f"Twin dataset {i} Dataset {i} of the twin"},
        "links": [{"href": f"https://example.org/data/{i}.csv", "rel": "item", "type": "text/csv", "title": "data"}],
    }
    for i in range(3)
}


def config_of(port: int, data_dir: Path, roads_provider: str = "GeoJSON", records: bool = True) -> dict[str, Any]:
    """pygeoapi's configuration: one feature collection (GeoJSON provider, which ignores datetime, or TinyDB, which
    filters on it) and, unless `records` is false, one TinyDB records catalogue."""
    roads = ({"type": "feature", "name": "GeoJSON", "data": str(data_dir / "roads.geojson"), "id_field": "id",
              "time_field": "opened"} if roads_provider == "GeoJSON" else
             {"type": "feature", "name": "TinyDB", "data": str(data_dir / "roads.tinydb"), "id_field": "id",
              "time_field": "opened"})
    contact = {k: "x" for k in ("name", "position", "address", "city", "stateorprovince", "postalcode", "country",
                                "phone", "fax", "hours", "instructions")}
    extent = {"spatial": {"bbox": [4.3, 50.8, 4.5, 50.9], "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}}
    return {
        "server": {"bind": {"host": HOST, "port": port}, "url": f"http://{HOST}:{port}",
                   "mimetype": "application/json; charset=UTF-8", "encoding": "utf-8", "language": "en-US",
                   "cors": False, "pretty_print": False, "limits": {"default_items": 10, "max_items": 50},
                   "map": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "attribution": "OSM"}},
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {"title": "ldt-conform test twin", "description": "pygeoapi for the ldt-conform tests",
                               "keywords": ["twin"], "keywords_type": "theme",
                               "terms_of_service": "https://creativecommons.org/licenses/by/4.0/",
                               "url": "https://example.org"},
            "license": {"name": "CC-BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
            "provider": {"name": "ldt-conform", "url": "https://example.org"},
            "contact": {**contact, "email": "t@example.org", "url": "https://example.org", "role": "pointOfContact"},
        },
        "resources": {
            "roads": {"type": "collection", "title": "Roads", "description": "Roads of the test twin",
                      "keywords": ["roads"], "links": [],
                      "extents": {**extent, "temporal": {"begin": datetime(2010, 1, 1, tzinfo=timezone.utc),
                                                          "end": None}},
                      "providers": [roads]},
            **({} if not records else {"datasets": {"type": "collection", "title": "Datasets", "description": "Records of the twin's datasets",
                         "keywords": ["catalogue"], "links": [], "extents": extent,
                         "providers": [{"type": "record", "name": "TinyDBCatalogue",
                                        "data": str(data_dir / "records.tinydb"), "id_field": "id",
                                        "time_field": "updated", "title_field": "title"}]}}),
        },
    }


Pygeoapi = ServerProcess


def start(tmp: Path, roads_provider: str = "GeoJSON", records: bool = True) -> Pygeoapi:
    """Write config + data, generate the OpenAPI document with pygeoapi's own CLI, serve with its Flask app."""
    tmp.mkdir(parents=True, exist_ok=True)
    port = free_port()
    (tmp / "roads.geojson").write_text(json.dumps(ROADS), "utf-8")
    # TinyDB compares time strings as strings: full RFC 3339 date-times keep its comparisons exact.
    timed = [{**f, "properties": {**f["properties"], "opened": f["properties"]["opened"] + "T00:00:00Z"}}
             for f in ROADS["features"]]
    (tmp / "roads.tinydb").write_text(json.dumps({"_default": {str(i + 1): f for i, f in enumerate(timed)}}), "utf-8")
    (tmp / "records.tinydb").write_text(json.dumps({"_default": RECORDS}), "utf-8")
    config = tmp / "pygeoapi-config.yml"
    config.write_text(yaml.safe_dump(config_of(port, tmp, roads_provider, records)), "utf-8")
    openapi = tmp / "pygeoapi-openapi.yml"
    env = {"PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi), "PYTHONWARNINGS": "ignore"}
    generated = subprocess.run([python(), "-c", "from pygeoapi import cli; cli()", "openapi", "generate", str(config),
                                "--output-file", str(openapi)], env={**os.environ, **env}, capture_output=True,
                               timeout=120)
    if generated.returncode != 0:
        raise RuntimeError(f"pygeoapi openapi generate failed:\n{generated.stderr.decode(errors='replace')[-2000:]}")
    log = tmp / "pygeoapi.log"
    code = ("from pygeoapi.flask_app import APP; "
            f"APP.run(host='{HOST}', port={port}, threaded=True, use_reloader=False)")
    process = start_process([python(), "-c", code], cwd=tmp, env=env, log=log)
    url = f"http://{HOST}:{port}"
    try:
        wait_ready(url + "/?f=json", process, log=log)
    except Exception:
        stop_process(process)
        raise
    return Pygeoapi(url, process, log)


def stop(server: Pygeoapi) -> None:
    server.stop()
