"""Hand-built Reports for renderer tests: fixed timestamps, MIM levels set by hand, any number of findings."""
from __future__ import annotations

from ldt_conform.model import Finding, ProfileInfo, Ref, Report, Result, Rule, Severity, Status, TargetInfo, Why

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
def _cap(cap_id: str, state: str, reason: str, assess: str = "") -> dict[str, object]:
    return {"id": cap_id, "title": f"Capability {cap_id}", "source": "MIM test C1", "state": state, "reason": reason,
            **({"assess": assess} if assess else {})}


MIMS = (
    {"key": "accessing-data", "label": "MIM0", "title": "Accessing data", "level": "full",
     "note": "1/1 capabilities hold", "capabilities": [_cap("mim0.retrievable", "holds", "1 rule verified")]},
    {"key": "interlinking-data", "label": "MIM1", "title": "Interlinking data", "level": "initial",
     "note": "0/2 capabilities hold; broken: mim1.identified; not assessed: mim1.typed",
     "capabilities": [_cap("mim1.identified", "broken", "broken: TP-101, TP-201"),
                      _cap("mim1.typed", "not-assessed", "not verified: TP-102 artefact-unavailable",
                           "add an NGSI-LD broker to [[twin.apis]]")]},
    {"key": "representing-data", "label": "MIM2", "title": "Représentation des données", "level": "partial",
     "note": "1/2 capabilities hold; not applicable: mim2.open-format",
     "capabilities": [_cap("mim2.models-explicit", "holds", "1 rule verified"),
                      _cap("mim2.open-format", "not-applicable", "no payloads in this twin")]},
    {"key": "geospatial-data", "label": "MIM7", "title": "Geospatial data", "level": "not-assessed",
     "note": "0/1 capabilities hold; not assessed: mim7.geo-service",
     "capabilities": [_cap("mim7.geo-service", "not-assessed", "not verified: 10 not-applicable",
                           "add an OGC API Features or SensorThings endpoint to [[twin.apis]]")]},
)
# The run's scope as api.scope records it: here a narrowed run (--select TP), so every summary must say so.
OPTIONS = {"profile": "test-profile", "overridden": ["TP-301"], "select": ["TP"], "ignore": [], "rules_selected": 5,
           "rules_total": 7, "rules_disabled": 0, "narrowed": True, "fail_on": "error", "engine": "auto",
           "offline": True, "time_budget": 600.0, "timeout": 30.0, "lang": "en"}


def rule(rule_id: str, name: str, title: str, severity: Severity = Severity.ERROR, kind: str = "shacl",
         mims: tuple[str, ...] = ("representing-data",), fr: str | None = None) -> Rule:
    return Rule(id=rule_id, name=name, title=title, severity=severity, kind=kind, check={},
                refs=(Ref("DCAT-AP 3.0.1 §" + rule_id[-3:], "https://semiceu.github.io/DCAT-AP/releases/3.0.1/#"
                          + name),),
                mims=mims, description=f"Checks that {title.lower()}.", message=f"Fix: {title.lower()}.",
                profile="test-profile", i18n={"fr": {"title": fr or f"[fr] {title}", "message": f"Corriger : {title}"}})


RULES = (
    rule("TP-101", "dataset-title", "A dataset has a title", fr="Un jeu de données a un titre"),
    rule("TP-102", "dataset-description", "A dataset has a description"),
    rule("TP-201", "distribution-access-url", "A distribution has an access URL"),
    rule("TP-301", "dataset-theme", "A dataset has a theme", Severity.WARNING, mims=("interlinking-data",)),
    rule("TP-401", "api-landing-page", "The API has a landing page", kind="api", mims=("accessing-data",)),
)
CAT = "catalogues/city.ttl"
API = "https://api.example.org/ogc"


def report(n_findings: int = 0, *, mims: bool = True, baseline: bool = False) -> Report:
    """A report over one catalogue and one API; with n_findings > 0 the findings are synthetic and numerous."""
    findings = [
        Finding("TP-101", Severity.ERROR, CAT, "http://data.example.org/dataset/1", "A dataset has no dct:title",
                path=DCT + "title", source="urn:shape:title"),
        Finding("TP-101", Severity.ERROR, CAT, "_:bd41d8cd98f00", "A dataset <b>has</b> no \"title\" | pipe `tick`",
                path=f"<{DCAT}dataset>/<{DCT}title>", source="urn:shape:title"),
        Finding("TP-201", Severity.ERROR, CAT, "http://data.example.org/dist/9", "accessURL is a literal",
                path=DCAT + "accessURL", value='"http://x.example/a b"', source="urn:shape:access"),
        Finding("TP-301", Severity.WARNING, CAT, "http://data.example.org/dataset/1", "no theme",
                path=f"^<{DCAT}dataset>|<{DCAT}theme>*", value="http://publications.europa.eu/resource/x"),
        Finding("LC-004", Severity.INFO, CAT, CAT, "Not verifiable offline: https://example.org/ctx.jsonld",
                value="https://example.org/ctx.jsonld"),
    ]
    for i in range(n_findings):
        rule_id = ("TP-101", "TP-102", "TP-201", "TP-301")[i % 4]
        findings.append(Finding(rule_id, Severity.WARNING if rule_id == "TP-301" else Severity.ERROR,
                                f"catalogues/part-{i % 50:02d}.ttl", f"http://data.example.org/dataset/{i}",
                                f"Dataset {i} breaks {rule_id}: the value is missing or malformed",
                                path=DCT + ("title", "description", "accessURL", "theme")[i % 4],
                                value=f'"value {i}"' if i % 3 == 0 else None))
    if baseline:
        findings = [Finding(**{**{s: getattr(f, s) for s in Finding.__slots__}, "baseline": "known" if i % 2 else
                    "new"}) for i, f in enumerate(findings)]
    targets = [TargetInfo(CAT, "rdf", "a" * 64, 4321, 120, format="turtle"),
               TargetInfo(API, "api", probed_at="2026-01-02T03:04:05Z")]
    targets += [TargetInfo(t, "rdf", "b" * 64, 1000, 10, format="turtle")
                for t in sorted({f.target for f in findings} - {CAT})]
    results = []
    for t in targets:
        for r in RULES:
            if (r.kind == "api") != (t.kind == "api"):
                continue
            failing = any(f.rule == r.id and f.target == t.source for f in findings)
            results.append(Result(r.id, t.source, Status.FAIL if failing else Status.PASS))
    results.append(Result("TP-102", API, Status.SKIP, reason="no RDF catalogue target was given",
                          why=Why.NOT_APPLICABLE))
    results.append(Result("TP-401", API, Status.ERROR, reason="HTTP 500 from the landing page"))
    results = [r for r in results if not (r.rule == "TP-401" and r.status is Status.PASS)]
    from ldt_conform.engine import tool_rules

    return Report(
        tool_version="0.1.0", started_at="2026-01-02T03:04:00Z", finished_at="2026-01-02T03:04:09Z",
        profile=ProfileInfo("test-profile", "1.2.0", "Test profile", "c" * 64, overridden=("TP-301",),
                            chain=("test-profile",)),
        rules=tuple(sorted((*tool_rules(), *RULES), key=lambda r: r.id)), targets=tuple(targets),
        results=tuple(sorted(results, key=lambda r: (r.target, r.rule))),
        findings=tuple(sorted(findings, key=Finding.sort_key)), engines=("pyshacl",),
        mims=MIMS if mims else (), options=OPTIONS,
        baseline={"file": "baseline.json", "sha256": "d" * 64, "new": 3, "known": 2, "fixed": 1} if baseline else {},
    )
