"""Deterministic DCAT-AP 3 catalogue generator for SHACL benchmarks and differential tests."""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import TextIO

PREFIXES = """\
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix adms: <http://www.w3.org/ns/adms#> .
@prefix ex: <https://example.org/ldt/> .

"""

# Each defect kind mirrors a mistake seen in real harvested catalogues; the list is
# ordered and indexed by the seeded RNG, so the same seed always yields the same file.
DEFECTS: tuple[str, ...] = (
    "missing-title",
    "missing-description",
    "literal-access-url",
    "bad-bytesize-lexical",
    "negative-bytesize",
    "integer-bytesize",
    "bad-date",
    "bad-datetime",
    "string-issued",
    "untyped-theme",
    "two-publishers",
    "blank-license",
)
DEFECT_RATE = 0.05
THEMES = ("AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST", "REGI", "SOCI", "TECH", "TRAN")
FORMATS = ("CSV", "JSON", "XML", "RDF_TURTLE", "GEOJSON", "ZIP")
LANGS = ("ENG", "DEU", "FRA", "NLD", "SPA")
N_PUBLISHERS = 50
N_PERIODS = 20
PLACES = ("NLD", "DEU", "FRA", "BEL", "ESP")
MEDIA = ("text/csv", "application/json", "application/zip")


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _header(out: TextIO, n: int) -> None:
    out.write(PREFIXES)
    out.write("ex:catalogue a dcat:Catalog ;\n")
    out.write('    dct:title "Generated Local Digital Twin catalogue"@en ;\n')
    out.write('    dct:description "A deterministic DCAT-AP catalogue for benchmarking."@en ;\n')
    out.write("    dct:publisher ex:publisher-0 ;\n")
    out.write("    foaf:homepage <https://example.org/> ;\n")
    out.write("    dcat:themeTaxonomy <http://publications.europa.eu/resource/authority/data-theme> ;\n")
    out.write("    dct:language <http://publications.europa.eu/resource/authority/language/ENG> ;\n")
    out.write('    dct:issued "2020-01-01"^^xsd:date ;\n')
    out.write('    dct:modified "2024-06-01T12:00:00Z"^^xsd:dateTime .\n\n')
    out.write("<http://publications.europa.eu/resource/authority/data-theme> a skos:ConceptScheme ;\n")
    out.write('    dct:title "Data theme"@en .\n')
    for t in THEMES:
        out.write(f"<http://publications.europa.eu/resource/authority/data-theme/{t}> a skos:Concept ;\n")
        out.write(f'    skos:prefLabel "{t}"@en ;\n')
        out.write("    skos:inScheme <http://publications.europa.eu/resource/authority/data-theme> .\n")
    for f in FORMATS:
        out.write(f"<http://publications.europa.eu/resource/authority/file-type/{f}> a dct:MediaTypeOrExtent .\n")
    for lang in LANGS:
        out.write(f"<http://publications.europa.eu/resource/authority/language/{lang}> a dct:LinguisticSystem .\n")
    out.write("<https://creativecommons.org/licenses/by/4.0/> a dct:LicenseDocument .\n")
    for p in range(N_PUBLISHERS):
        out.write(f'ex:publisher-{p} a foaf:Agent ; foaf:name "Publisher {p}"@en ; '
                  'dct:type <http://purl.org/adms/publishertype/LocalAuthority> .\n')
    out.write("<http://purl.org/adms/publishertype/LocalAuthority> a skos:Concept .\n")
    for place in PLACES:
        out.write(f"<http://publications.europa.eu/resource/authority/place/{place}> a dct:Location .\n")
    for k in range(N_PERIODS):
        out.write(f'ex:period-{k} a dct:PeriodOfTime ; dcat:startDate "{2000 + k}-01-01"^^xsd:date ; '
                  f'dcat:endDate "{2000 + k}-12-31"^^xsd:date .\n')
    out.write("<http://publications.europa.eu/resource/authority/access-right/PUBLIC> a dct:RightsStatement .\n")
    out.write("<http://publications.europa.eu/resource/authority/frequency/ANNUAL> a dct:Frequency .\n")
    out.write("<http://publications.europa.eu/resource/authority/planned-availability/STABLE> a skos:Concept .\n")
    out.write("<http://purl.org/adms/status/Completed> a skos:Concept ; "
              "skos:inScheme <http://purl.org/adms/status/1.0> .\n")
    out.write("<http://purl.org/adms/status/1.0> a skos:ConceptScheme ; dct:title \"ADMS status\"@en .\n")
    for m in MEDIA:
        out.write(f"<https://www.iana.org/assignments/media-types/{m}> a dct:MediaType .\n")
    out.write("\n")
    if n:
        out.write("ex:catalogue dcat:dataset " + ", ".join(f"ex:dataset-{i}" for i in range(n)) + " .\n\n")


def _dataset(out: TextIO, i: int, rng: random.Random) -> None:
    defect = rng.choice(DEFECTS) if rng.random() < DEFECT_RATE else None
    ds = f"ex:dataset-{i}"
    lines = [f"{ds} a dcat:Dataset"]
    if defect != "missing-title":
        lines.append(f'dct:title "Dataset {i}"@en')
        if i % 3 == 0:
            lines.append(f'dct:title "Datensatz {i}"@de')
    if defect != "missing-description":
        lines.append(f'dct:description "{_esc(f"Measurements of sensor group {i} in the twin.")}"@en')
    lines.append(f'dct:identifier "ds-{i:07d}"')
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    if defect == "bad-date":
        lines.append('dct:issued "2021-13-45"^^xsd:date')
    elif defect == "string-issued":
        lines.append('dct:issued "last spring"')
    else:
        lines.append(f'dct:issued "20{rng.randint(10, 24)}-{month:02d}-{day:02d}"^^xsd:date')
    if defect == "bad-datetime":
        lines.append('dct:modified "2021-13-45T00:00:00Z"^^xsd:dateTime')
    else:
        lines.append(f'dct:modified "2024-{month:02d}-{day:02d}T{rng.randint(0, 23):02d}:00:00Z"^^xsd:dateTime')
    theme = THEMES[rng.randrange(len(THEMES))]
    if defect == "untyped-theme":
        lines.append(f"dcat:theme <https://example.org/themes/{theme.lower()}>")
    else:
        lines.append(f"dcat:theme <http://publications.europa.eu/resource/authority/data-theme/{theme}>")
    lines.append(f'dcat:keyword "sensor"@en, "k{i % 97}"@en')
    lines.append(f"dct:publisher ex:publisher-{i % N_PUBLISHERS}")
    if defect == "two-publishers":
        lines.append(f"dct:publisher ex:publisher-{(i + 1) % N_PUBLISHERS}")
    lines.append(f"dct:language <http://publications.europa.eu/resource/authority/language/{LANGS[i % len(LANGS)]}>")
    lines.append(f"dcat:contactPoint ex:contact-{i}")
    lines.append(f"dcat:landingPage <https://example.org/datasets/{i}>")
    lines.append(f"dct:spatial <http://publications.europa.eu/resource/authority/place/{PLACES[i % len(PLACES)]}>")
    lines.append(f"dct:temporal ex:period-{i % N_PERIODS}")
    lines.append("dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC>")
    lines.append("dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/ANNUAL>")
    lines.append(f'dcat:version "1.{i % 7}"')
    n_dist = rng.randint(1, 3)
    dists = [f"ex:dataset-{i}-dist-{d}" for d in range(n_dist)]
    lines.append("dcat:distribution " + ", ".join(dists))
    out.write(" ;\n    ".join(lines) + " .\n")
    out.write(f'ex:contact-{i} a vcard:Kind ; vcard:fn "Team {i}" ; vcard:hasEmail <mailto:team{i}@example.org> .\n')
    out.write(f"<https://example.org/datasets/{i}> a foaf:Document .\n")
    for d, dist in enumerate(dists):
        _distribution(out, i, d, dist, defect if d == 0 else None, rng)
    out.write("\n")


def _distribution(out: TextIO, i: int, d: int, dist: str, defect: str | None, rng: random.Random) -> None:
    lines = [f"{dist} a dcat:Distribution"]
    if defect == "literal-access-url":
        lines.append(f'dcat:accessURL "https://example.org/data/{i}/{d}"')
    else:
        lines.append(f"dcat:accessURL <https://example.org/data/{i}/{d}>")
    lines.append(f"dcat:downloadURL <https://example.org/data/{i}/{d}/download>")
    fmt = FORMATS[rng.randrange(len(FORMATS))]
    lines.append(f"dct:format <http://publications.europa.eu/resource/authority/file-type/{fmt}>")
    if defect == "bad-bytesize-lexical":
        lines.append('dcat:byteSize "abc"^^xsd:nonNegativeInteger')
    elif defect == "negative-bytesize":
        lines.append('dcat:byteSize "-5"^^xsd:nonNegativeInteger')
    elif defect == "integer-bytesize":
        lines.append(f'dcat:byteSize "{rng.randint(1, 10**9)}"^^xsd:integer')
    else:
        lines.append(f'dcat:byteSize "{rng.randint(1, 10**9)}"^^xsd:nonNegativeInteger')
    if defect == "blank-license":
        lines.append("dct:license [ a dct:LicenseDocument ]")
    else:
        lines.append("dct:license <https://creativecommons.org/licenses/by/4.0/>")
    lines.append(f'dct:title "Distribution {d} of dataset {i}"@en')
    lines.append(f'dct:description "File {d} of dataset {i}, as published by the twin."@en')
    lines.append("<http://data.europa.eu/r5r/availability> <http://publications.europa.eu/resource/authority/planned-availability/STABLE>")
    lines.append(f"dcat:mediaType <https://www.iana.org/assignments/media-types/{MEDIA[d % len(MEDIA)]}>")
    lines.append("adms:status <http://purl.org/adms/status/Completed>")
    lines.append(f'dct:issued "2023-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"^^xsd:date')
    out.write(" ;\n    ".join(lines) + " .\n")


def generate(n: int, out: TextIO, seed: int = 42) -> None:
    """Write a catalogue of ``n`` datasets; identical (n, seed) gives an identical file."""
    rng = random.Random(seed)
    _header(out, n)
    for i in range(n):
        _dataset(out, i, rng)


def generate_defective(n: int, out: TextIO) -> None:
    """A catalogue of ``n`` datasets that breaks 15 dcat-ap-3 checks per dataset: many findings from a small store.

    Each dataset has a blank description and one distribution whose access URL is no IRI, whose format is a plain
    string (one value three rules reject: linked findings), whose byte size is negative, and whose licence is a
    blank node without a type (a blank focus node, relabelled in the report)."""
    out.write("@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n"
              "@prefix ex: <https://example.org/ldt/> .\n")
    out.write('ex:catalogue a dcat:Catalog ; dct:title "C"@en ; dct:description "D"@en ;\n    dcat:dataset ')
    out.write(", ".join(f"ex:d{i}" for i in range(n)) + " .\n")
    for i in range(n):
        out.write(f'ex:d{i} a dcat:Dataset ; dct:title "Dataset {i}"@en ; dct:description " "@en ; '
                  f'dcat:distribution ex:x{i} .\nex:x{i} a dcat:Distribution ; dcat:accessURL "not an IRI" ; '
                  f'dct:format "csv" ; dcat:byteSize "-3" ; dct:license [ a dct:LicenseDocument ] .\n')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int, help="number of datasets")
    parser.add_argument("out", help="output Turtle file ('-' for stdout)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--defective", action="store_true", help="15 findings per dataset (generate_defective)")
    args = parser.parse_args(argv)

    def write(fh: TextIO) -> None:
        if args.defective:
            generate_defective(args.n, fh)
        else:
            generate(args.n, fh, args.seed)

    if args.out == "-":
        write(sys.stdout)
    else:
        with Path(args.out).open("w", encoding="utf-8") as fh:
            write(fh)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
