"""The NGSI-LD API family as the engine sees it: the entity probes (ngsi_ld) and the subscription probes
(ngsi_subscriptions), with one clean-up for both."""
from __future__ import annotations

from ldt_conform.checks.api import ngsi_ld, ngsi_subscriptions
from ldt_conform.checks.api.family import Test
from ldt_conform.checks.api.probe import Probe

TESTS: dict[str, Test] = {**ngsi_ld.TESTS, **ngsi_subscriptions.TESTS}
declared = ngsi_ld.declared
normalise = ngsi_ld.normalise


# SIGTERM during a write becomes Ctrl-C; the engine's clean-up (below) then runs, on failure and interrupt alike.
interrupt_guard = ngsi_ld.interrupt_guard


def cleanup(probe: Probe) -> None:
    """Subscriptions first, so that none of ours outlives the run pointing at a receiver that is gone."""
    try:
        ngsi_subscriptions.cleanup(probe)
    finally:
        ngsi_ld.cleanup(probe)

