"""`--profile auto`: pick the DCAT-AP profile a catalogue follows, from its dct:conformsTo and the terms it uses."""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ldt_conform.errors import UsageError

AUTO = "auto"
DEFAULT = "dcat-ap-3"  # the tool's default profile, and the pick when nothing says which DCAT-AP version

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
CONFORMS_TO = "http://purl.org/dc/terms/conformsTo"
DCAT = "http://www.w3.org/ns/dcat#"
DCATAP = "http://data.europa.eu/r5r/"
HVD_ELI = "http://data.europa.eu/eli/reg_impl/2023/138/oj"
GEODCAT = "http://data.europa.eu/930/"
MOBILITY = "http://w3id.org/mobilitydcat-ap#"
# Its properties and classes (…#term), and values of its code lists (…/mobility-theme/…), are evidence; http and https
# are both seen. Other objects in the # namespace are not: the official examples name their instances there.
MOBILITY_TERM = re.compile(r"^https?://w3id\.org/mobilitydcat-ap#")
MOBILITY_CODE = re.compile(r"^https?://w3id\.org/mobilitydcat-ap/")
# Subjects whose dct:conformsTo can name the application profile of the description itself.
DESCRIBED = {DCAT + "Catalog", DCAT + "CatalogRecord", DCAT + "Dataset", DCAT + "DatasetSeries", DCAT + "DataService"}

# DCAT 3 / DCAT-AP 3 terms that DCAT-AP 2.x does not have (DCAT 3 versioning and series, DCAT-AP 3 legislation).
DCAT_AP_3_TERMS = {DCAT + t for t in ("DatasetSeries", "inSeries", "hasVersion", "version", "previousVersion",
                                      "hasCurrentVersion", "first", "last", "prev", "seriesMember")}
DCAT_AP_3_TERMS |= {DCATAP + "applicableLegislation"}

# dct:conformsTo values that name an application profile → (profile id, what the IRI says). Ordered: first match wins;
# the version-free namespace http://data.europa.eu/r5r/ says "DCAT-AP" but not which version, so it is not listed.
CONFORMS: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"dcat-ap/(releases|drafts)/[\d.]+-hvd|dcat-ap-hvd", re.I), "dcat-ap-hvd", "DCAT-AP HVD"),
    (re.compile(r"mobilitydcat-ap", re.I), "mobilitydcat-ap", "mobilityDCAT-AP"),
    (re.compile(r"geodcat-ap/(releases?/)?3\.|geodcat-ap[_-]?3", re.I), "geodcat-ap-3", "GeoDCAT-AP 3"),
    (re.compile(r"geodcat-ap/(releases?/)?(2\.|20)|geodcat-ap[_-]?2", re.I), "geodcat-ap-2", "GeoDCAT-AP 2"),
    (re.compile(r"semiceu\.github\.io/dcat-ap/releases/3\.|dcat-ap[_-]?3\.|/dcat-ap/3\.", re.I), "dcat-ap-3",
     "DCAT-AP 3"),
    (re.compile(r"semiceu\.github\.io/dcat-ap/releases/2\.|dcat-application-profile-data-portals-europe/release/2\d+"
                r"|dcat-ap[_-]?2\.|/dcat-ap/2\.", re.I), "dcat-ap-2", "DCAT-AP 2"),
]
# A detected profile that is not shipped is replaced by the profile it extends (and the report says so).
# mobilityDCAT-AP 1.1 builds on DCAT-AP 3.0.1 (1.0 built on 2.0.1; the namespace does not tell them apart).
BASE = {"geodcat-ap-2": "dcat-ap-2", "geodcat-ap-3": "dcat-ap-3", "dcat-ap-hvd": "dcat-ap-3",
        "mobilitydcat-ap": "dcat-ap-3"}


@dataclass(frozen=True)
class Detection:
    """What `--profile auto` picked, the profile the evidence points at, and why (for the report)."""

    profile: str  # the profile the run uses (shipped)
    detected: str  # the profile the evidence points at (may not be shipped)
    reason: str
    evidence: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"requested": AUTO, "profile": self.profile, "detected": self.detected, "reason": self.reason,
                "evidence": list(self.evidence)}


@dataclass
class _Signals:
    conforms: list[tuple[str, str, str]] = field(default_factory=list)  # (subject, IRI, profile id)
    terms: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # family → first (s, p, o) seen
    dcat_term: tuple[str, str, str] | None = None
    v3_term: tuple[str, str, str] | None = None


def _key(triple: tuple[str, ...]) -> tuple[str, ...]:
    """Order of evidence: the smallest triple, blank nodes last and all alike (their labels change between parses)."""
    return tuple("~" if term.startswith("_:") else term for term in triple)


def _least(current: tuple[str, str, str] | None, triple: tuple[str, str, str]) -> tuple[str, str, str]:
    return triple if current is None or _key(triple) < _key(current) else current


def _scan(triples: Iterable[tuple[str, str, str]]) -> _Signals:
    """One pass over (s, p, o) strings: AP IRIs in conformsTo, and the least triple of each telling namespace/term
    (the least, not the first seen, so that the report is the same whatever order the store yields)."""
    found = _Signals()
    typed: dict[str, set[str]] = {}
    conforms: list[tuple[str, str]] = []
    for s, p, o in triples:
        triple = (s, p, o)
        if p == RDF_TYPE:
            typed.setdefault(s, set()).add(o)
        if p == CONFORMS_TO:
            conforms.append((s, o))
        terms = (p, o) if p == RDF_TYPE else (p,)
        if any(t.startswith(DCAT) for t in terms):
            found.dcat_term = _least(found.dcat_term, triple)
        if any(t in DCAT_AP_3_TERMS for t in terms):
            found.v3_term = _least(found.v3_term, triple)
        families = []
        if p == DCATAP + "hvdCategory" or (p == DCATAP + "applicableLegislation" and o == HVD_ELI):
            families.append("dcat-ap-hvd")
        if any(MOBILITY_TERM.match(term) for term in terms) or MOBILITY_CODE.match(o):
            families.append("mobilitydcat-ap")
        if any(t.startswith(GEODCAT) for t in terms):
            families.append("geodcat-ap")
        for family in families:
            found.terms[family] = _least(found.terms.get(family), triple)
    for s, o in sorted(conforms, key=_key):
        if not typed.get(s, set()) & DESCRIBED:
            continue  # a distribution's schema or a dataset's data standard is not the description's profile
        for pattern, profile, _label in CONFORMS:
            if pattern.search(o):
                found.conforms.append((s, o, profile))
                break
    return found


def _term(term: str) -> str:
    if term.startswith("_:"):
        return "[]"  # a blank node: its label is the parser's, different on every run
    return term if term.startswith('"') else f"<{term}>"


def _triple(t: tuple[str, str, str]) -> str:
    s, p, o = t
    return f"{_term(s)} <{p}> {_term(o)}"


def detect(triples: Iterable[tuple[str, str, str]], shipped: Iterable[str]) -> Detection:
    """The profile for a catalogue given as (s, p, o) strings (IRIs bare, literals quoted), among `shipped` ids.

    Order of evidence: an application-profile IRI in dct:conformsTo of a catalogue, record or catalogued resource;
    then HVD terms (dcatap:hvdCategory, the HVD ELI as applicable legislation); the mobilityDCAT-AP namespace; the
    GeoDCAT-AP namespace; a DCAT(-AP) 3 term; otherwise the default dcat-ap-3. Raises UsageError when the input holds no
    DCAT term at all: no profile of this family says anything about it.
    """
    found = _scan(triples)
    if found.dcat_term is None and not found.conforms and not found.terms:
        raise UsageError("--profile auto", "the input uses no DCAT term (no dcat: class or property), so no DCAT-AP "
                                           "profile applies; give the profile with --profile")

    def others(detected: str) -> list[str]:
        """The telling terms of the other profiles seen, listed so that a user sees what the pick left aside."""
        return [f"also seen: {fam} term {_triple(t)}" for fam, t in found.terms.items() if not detected.startswith(fam)]

    if found.conforms:
        subject, iri, detected = found.conforms[0]
        reason = f"dct:conformsTo <{iri}> on <{subject}>"
        evidence = [_triple((subject, CONFORMS_TO, iri)), *others(detected)]
    elif "dcat-ap-hvd" in found.terms:
        detected, t = "dcat-ap-hvd", found.terms["dcat-ap-hvd"]
        reason = ("uses dcatap:hvdCategory" if t[1].endswith("hvdCategory")
                  else f"names the HVD regulation <{HVD_ELI}> as dcatap:applicableLegislation")
        evidence = [_triple(t), *others(detected)]
    elif "mobilitydcat-ap" in found.terms:
        detected, t = "mobilitydcat-ap", found.terms["mobilitydcat-ap"]
        reason = f"uses the mobilityDCAT-AP namespace <{MOBILITY}>"
        evidence = [_triple(t), *others(detected)]
    elif "geodcat-ap" in found.terms:
        # GeoDCAT-AP 2 and 3 share the namespace; without a conformsTo the current version, as for plain DCAT-AP
        detected, t = "geodcat-ap-3", found.terms["geodcat-ap"]
        reason = (f"uses the GeoDCAT-AP namespace <{GEODCAT}>" + (", with a DCAT-AP 3 term" if found.v3_term else
                  " (GeoDCAT-AP 2 and 3 share it; no dct:conformsTo names the version: the current one)"))
        evidence = [_triple(t)] + ([_triple(found.v3_term)] if found.v3_term else []) + others(detected)
    elif found.v3_term:
        detected, reason = "dcat-ap-3", "uses a DCAT-AP 3 term that DCAT-AP 2 does not have"
        evidence = [_triple(found.v3_term)]
    else:
        detected = DEFAULT
        reason = "no dct:conformsTo naming a profile and no version-specific term: the default profile"
        evidence = [_triple(found.dcat_term)] if found.dcat_term else []
    known = set(shipped)
    if detected in known:
        return Detection(detected, detected, reason, tuple(evidence))
    base = BASE.get(detected, DEFAULT)
    return Detection(base, detected, f"{reason}; {detected} is not shipped, so its base {base} is used",
                     tuple(evidence))


def detect_targets(targets: Sequence[Any], shipped: Iterable[str]) -> Detection:
    """Detection over every RDF target of a run (all of them are checked against the one profile)."""
    if not any(getattr(target, "prepared", None) is not None for target in targets):
        raise UsageError("--profile auto", "needs a catalogue (an RDF TARGET) to pick the profile from; with only "
                                           "payloads or APIs, give the profile with --profile")
    return detect(_triples(targets), shipped)


def _triples(targets: Sequence[Any]) -> Iterable[tuple[str, str, str]]:
    import pyoxigraph as ox

    for target in targets:
        prepared = getattr(target, "prepared", None)
        if prepared is None:
            continue
        for quad in prepared.quads():
            s, p, o = quad.subject, quad.predicate, quad.object
            # IRIs bare, blank nodes as _:id, literals in N-Triples form (as findings print them)
            yield (s.value if isinstance(s, ox.NamedNode) else str(s), p.value,
                   o.value if isinstance(o, ox.NamedNode) else str(o))
