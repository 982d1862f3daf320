"""The MIMs Plus catalogue: stable keys by name, with the v8 numbering kept as a display label only."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Mim:
    key: str
    number_v8: str
    title: str
    machine_verifiable: bool


# Keyed by name, not number: older MIMs documents number them differently (MIM1 used to be context management).
MIMS: dict[str, Mim] = {
    m.key: m
    for m in (
        Mim("accessing-data", "MIM0", "Accessing data", True),
        Mim("interlinking-data", "MIM1", "Interlinking data", True),
        Mim("representing-data", "MIM2", "Representing data", True),
        Mim("exchanging-data", "MIM3", "Exchanging data", False),
        Mim("personal-data", "MIM4", "Personal data", False),
        Mim("interoperable-ai", "MIM5", "Interoperable AI", False),
        Mim("securing-data", "MIM6", "Securing data", True),
        Mim("geospatial-data", "MIM7", "Geospatial data", True),
        Mim("local-digital-twins", "MIM8", "Local Digital Twins", True),
    )
}

MIMS_VERSION = "MIMs Plus v8"


def resolve(token: str) -> Mim | None:
    """Accept a key ('representing-data') or a v8 label ('MIM2'); None when unknown."""
    if token in MIMS:
        return MIMS[token]
    for mim in MIMS.values():
        if mim.number_v8.lower() == token.lower():
            return mim
    return None
