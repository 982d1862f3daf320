"""The NGSI-LD API family as the engine sees it: the entity probes (ngsi_ld) and the subscription probes
(ngsi_subscriptions), with one clean-up for both."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from ldt_conform.checks.api import ngsi_ld, ngsi_subscriptions
from ldt_conform.checks.api.family import Test
from ldt_conform.checks.api.probe import Probe

TESTS: dict[str, Test] = {**ngsi_ld.TESTS, **ngsi_subscriptions.TESTS}
declared = ngsi_ld.declared
normalise = ngsi_ld.normalise


def cleanup(probe: Probe) -> None:
    """Subscriptions first: deleting the watched entity first could make a broker notify its deletion."""
    try:
        ngsi_subscriptions.cleanup(probe)
    finally:
        ngsi_ld.cleanup(probe)


@contextmanager
def interrupt_guard(probe: Probe) -> Iterator[None]:
    """SIGTERM during a write unwinds through the clean-up of entities and subscriptions alike."""
    try:
        with ngsi_ld.interrupt_guard(probe):
            yield
    except KeyboardInterrupt:
        cleanup(probe)
        raise

