"""Write tests/corpus-pins.txt: sha256, path and (where SOURCES.md names it exactly) upstream URL of each corpus file.

Run by hand when ../shared/corpus changes: `python tools/corpus_pins.py [CORPUS]`. The tests read the corpus through
these pins: seeded from ../shared/corpus when it is there (matched by sha256), fetched by URL when allowed.
"""
from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "tests" / "corpus-pins.txt"
ORIGIN = re.compile(r"([\w.-]+/[\w.-]+) @ ([0-9a-f]{7,40})")
# Folders SOURCES.md describes as a whole: corpus folder → (repository, commit, folder in the repository).
FOLDERS = {
    "w3c-shacl-tests/": ("w3c/data-shapes", "ff9edb9c85375498b49391fb65ef3ff6525ebe08", "data-shapes-test-suite/tests/"),
    "sdm/AirQualityObserved/": ("smart-data-models/dataModel.Environment", "f0150e5c97f41e4c0881a0bcfa05d559058bdea1",
                                "AirQualityObserved/"),
    "sdm/TrafficFlowObserved/": ("smart-data-models/dataModel.Transportation",
                                 "6aee14bc680798fb6ef2ba101fee3f732d4305bd", "TrafficFlowObserved/"),
    "sdm/OffStreetParking/": ("smart-data-models/dataModel.Parking", "d49af3c051dfc06d08d43183d2a7a3586d2ba163",
                              "OffStreetParking/"),
    "sdm/WeatherObserved/": ("smart-data-models/dataModel.Weather", "adf1dd5918da36980208a0a46ed76c81fba91ea5",
                             "WeatherObserved/"),
    "sdm/Building/": ("smart-data-models/dataModel.Building", "62f85ee050bbc5bad38f3476d866a5b142f223eb", "Building/"),
}


def urls(sources: str) -> dict[str, str]:
    """corpus path → raw URL at the pinned commit, for the rows of SOURCES.md that name one file unambiguously."""
    commits: dict[str, set[str]] = {}
    for repo, commit in ORIGIN.findall(sources):
        if len(commit) == 40:
            commits.setdefault(repo, set()).add(commit)
    out: dict[str, str] = {}
    origin: tuple[str, str] | None = None
    previous_path = ""
    for line in sources.splitlines():
        if line.startswith("## "):
            origin = None
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("| ") else []
        if len(cells) < 3 or cells[0] in ("file", "file(s)") or set(cells[0]) <= {"-", " "}:
            continue
        found = ORIGIN.search(cells[1])
        if found:
            repo, commit = found.groups()
            full = [c for c in commits.get(repo, ()) if c.startswith(commit)]
            origin = (repo, full[0]) if len(full) == 1 else None
        elif not cells[1].startswith("same"):
            origin = None
        name = re.sub(r"\s*\(\*wave 2\*\)\s*$", "", cells[0]).strip("` ")
        path = cells[2].strip("` ")
        if "(same name)" in path:
            path = path.replace("(same name)", Path(name).name)
        elif path == "same folder":
            path = str(Path(previous_path).parent / Path(name).name)
        previous_path = path
        if origin is None or any(ch in name + path for ch in "{},*…") or not Path(name).suffix:
            continue
        out[name] = f"https://raw.githubusercontent.com/{origin[0]}/{origin[1]}/{path}"
    return out


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else (REPO / ".." / "shared" / "corpus").resolve()
    known = urls((corpus / "SOURCES.md").read_text("utf-8"))
    lines = ["# Upstream test artefacts (the shared corpus): sha256, path under the corpus, URL at a pinned commit or -.",
             "# Written by tools/corpus_pins.py; read by tests/corpus.py. Never commit the files themselves."]
    for file in sorted(p for p in corpus.rglob("*") if p.is_file() and p.name != "SOURCES.md"):
        rel = file.relative_to(corpus).as_posix()
        if "\t" in rel or "\n" in rel:
            continue
        url = known.get(rel, "-")
        for folder, (repo, commit, upstream) in FOLDERS.items():
            if url == "-" and rel.startswith(folder):
                url = f"https://raw.githubusercontent.com/{repo}/{commit}/{upstream}{rel[len(folder):]}"
        lines.append(f"{hashlib.sha256(file.read_bytes()).hexdigest()}\t{rel}\t{url}")
    OUT.write_text("\n".join(lines) + "\n", "utf-8")
    print(f"{OUT}: {len(lines) - 2} files, {sum(1 for x in lines[2:] if not x.endswith('-'))} with a URL")


if __name__ == "__main__":
    main()
