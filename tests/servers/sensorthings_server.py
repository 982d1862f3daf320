"""A real django-ogc-sensorthings (SensorThings API 1.1, SQLite) on 127.0.0.1: a tiny Django project made in a tmp dir."""
from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

from servers.util import HOST, ServerProcess, free_port, python, start_process, stop_process, wait_ready

SETTINGS = """
from uuid import UUID

SECRET_KEY = "ldt-conform-tests-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "sta_urls"
USE_TZ = True
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "sensorthings.versions.v1_1",
    "sensorthings.versions.v1_1.backends.django",
]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": {db!r}}}}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SENSORTHINGS_V1_1_SERVICE_URL = {service!r}
SENSORTHINGS_V1_1_BACKEND_ADAPTER = "sensorthings.versions.v1_1.backends.django.adapter.DjangoBackendAdapter"
# The Django backend keys entities by UUID; the default ID type (int) makes every read a 500.
SENSORTHINGS_V1_1_ID_TYPE = UUID
"""

URLS = """
from django.urls import include, path

urlpatterns = [path("sta/", include("sensorthings.versions.v1_1.urls"))]
"""

SEED = """
import datetime
import django
django.setup()
from sensorthings.versions.v1_1.backends.django import models as m

thing = m.Thing.objects.create(name="Weather station", description="Station on the town hall roof",
                               properties={"owner": "city"})
location = m.Location.objects.create(name="Town hall", description="Roof",
                                     location={"type": "Point", "coordinates": [4.35, 50.85]})
location.things.add(thing)
sensor = m.Sensor.objects.create(name="Thermometer", description="PT100", encoding_type="text/html",
                                 metadata="https://example.org/pt100")
prop = m.ObservedProperty.objects.create(name="Air temperature", definition="https://qudt.org/vocab/quantitykind/Temperature",
                                         description="Air temperature")
"""


SensorThings = ServerProcess


def start(tmp: Path) -> SensorThings:
    """Generate the project, migrate, seed a Thing/Datastream/Observation, run `manage.py runserver --noreload`."""
    tmp.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://{HOST}:{port}/sta"
    (tmp / "sta_settings.py").write_text(SETTINGS.format(db=str(tmp / "sta.sqlite3"), service=base), "utf-8")
    (tmp / "sta_urls.py").write_text(URLS, "utf-8")
    (tmp / "seed.py").write_text(textwrap.dedent(SEED) + _seed_datastream(), "utf-8")
    (tmp / "manage.py").write_text("import sys\nfrom django.core.management import execute_from_command_line\n"
                                   "execute_from_command_line(sys.argv)\n", "utf-8")
    env = {"DJANGO_SETTINGS_MODULE": "sta_settings", "PYTHONPATH": str(tmp), "PYTHONWARNINGS": "ignore"}
    full_env = {**os.environ, **env}
    for step in ([python(), "manage.py", "migrate", "--noinput"], [python(), "seed.py"]):
        done = subprocess.run(step, cwd=tmp, env=full_env, capture_output=True, timeout=180)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(step[1:])} failed:\n{done.stderr.decode(errors='replace')[-3000:]}")
    log = tmp / "sta.log"
    process = start_process([python(), "manage.py", "runserver", f"{HOST}:{port}", "--noreload"], cwd=tmp, env=env,
                            log=log)
    url = f"{base}/v1.1"
    try:
        wait_ready(url, process, log=log)
    except Exception:
        stop_process(process)
        raise
    return SensorThings(url, process, log)


def _seed_datastream() -> str:
    return textwrap.dedent("""
    ds = m.Datastream.objects.create(name="Air temperature", description="Hourly air temperature", thing=thing,
                                     sensor=sensor, observed_property=prop,
                                     observation_type="http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
                                     unit_of_measurement={"name": "degree Celsius", "symbol": "degC",
                                                          "definition": "http://qudt.org/vocab/unit/DEG_C"})
    foi = m.FeatureOfInterest.objects.create(name="Town hall", description="Roof", encoding_type="application/geo+json",
                                             feature={"type": "Point", "coordinates": [4.35, 50.85]})
    for hour in range(3):
        when = datetime.datetime(2024, 6, 1, hour, tzinfo=datetime.timezone.utc)
        m.Observation.objects.create(datastream=ds, feature_of_interest=foi, phenomenon_time_begin=when, result=20.5 + hour,
                                     result_time=when)
    """)


def stop(server: SensorThings) -> None:
    server.stop()
