"""Every API rule of the shipped profiles has a passing and a failing case on a real local server, and behaves."""
from __future__ import annotations

from typing import Any

import pytest

from api_helpers import findings, probe, status
from ldt_conform import profile as profiles
from ldt_conform.model import Severity, Status
from servers import fake_apis, ngsi_ld_broker
from servers.util import LocalServer

API_PROFILES = ("ogcapi-features", "ogcapi-records", "sensorthings", "ngsi-ld", "openapi")


def api_rules() -> list[tuple[str, str]]:
    """(profile, rule id) of every rule the five live-API profiles define themselves."""
    return [(name, rule.id) for name in API_PROFILES for rule in profiles.load(name).rules if rule.profile == name]


def fault_for(rule_id: str) -> str:
    """The first fault listed for the rule: the one that fails it without the corpus (a later one may need the pinned
    OGC schemas, e.g. null-geometry-bad-link; every fault is also in an exact table, corpus-marked where it must)."""
    faults = [*fake_apis.FAULTS.items(), *ngsi_ld_broker.FAULTS.items()]
    return next(fault for fault, rule in faults if rule == rule_id)


def target(profile: str, fake: LocalServer, broker: LocalServer) -> tuple[Any, ...]:
    if profile == "sensorthings":
        return ("sensorthings", fake.url + fake_apis.STA)
    if profile == "ngsi-ld":
        return ("ngsi-ld", broker.url)
    # Named kinds, not detection: a broken landing page must fail the family's rule, not hide the API's kind.
    return ("ogcapi-records" if profile == "ogcapi-records" else "ogcapi-features", fake.url + fake_apis.OGC)


def test_every_api_rule_has_a_failing_case() -> None:
    missing = [rule for _, rule in api_rules() if rule not in {*fake_apis.FAULTS.values(),
                                                               *ngsi_ld_broker.FAULTS.values()}]
    assert not missing, f"rules without a fault that breaks them: {missing}"
    assert len(api_rules()) >= 80


@pytest.mark.parametrize("profile", API_PROFILES)
@pytest.mark.corpus  # the pinned OGC building blocks come from the corpus seed
def test_passing_case_every_rule_passes(profile: str, fake: LocalServer, broker: LocalServer) -> None:
    """Good mode: every rule of the family passes (writes included, with --allow-writes)."""
    report = probe([target(profile, fake, broker)], profile=profile, allow_writes=True)
    own = [rule for name, rule in api_rules() if name == profile]
    verdict = {rule: status(report, rule).value for rule in own}
    assert verdict == {rule: "pass" for rule in own}, [f for f in report.findings]
    # Info notes ("declared, not tested by ldt-conform: …" for another family's classes) are not failures.
    assert not [f for f in report.findings if f.rule in own and f.severity is not Severity.INFO]


@pytest.mark.parametrize("profile,rule", api_rules(), ids=[r for _, r in api_rules()])
def test_failing_case(profile: str, rule: str, fake: LocalServer, broker: LocalServer) -> None:
    """The fault for this rule makes it fail, with a finding that names the request."""
    fault = fault_for(rule)
    (broker if profile == "ngsi-ld" else fake).faults.add(fault)
    # A notification that never comes is waited for: a short wait keeps that case quick.
    report = probe([target(profile, fake, broker)], profile=profile, allow_writes=True, extra={"notify_wait": 1.5})
    assert status(report, rule) is Status.FAIL, f"{rule} with fault {fault}: {status(report, rule)}"
    hits = [h for h in findings(report, rule) if h.severity is not Severity.INFO]
    assert hits, f"{rule} failed without a finding"
    assert all(h.focus.split(" ", 1)[0] in ("GET", "POST", "PATCH", "DELETE") for h in hits), hits
    assert all(h.message and h.source for h in hits)
    if profile == "ngsi-ld" and fault != "delete-noop":  # a broker that ignores DELETE keeps it, by definition
        assert ngsi_ld_broker.probe_entities(broker) == [], "a write probe left its entity behind"
    if profile == "ngsi-ld" and fault != "unsubscribe-noop":
        assert ngsi_ld_broker.probe_subscriptions(broker) == [], "a subscription probe left its subscription behind"
