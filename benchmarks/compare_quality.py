"""Write the quality block of each catalogue's JSON report to a folder, to compare two versions of the scoring byte
for byte: `python benchmarks/compare_quality.py OUT` with each version on the path, then `diff -r OUT1 OUT2`.

Catalogues: every file under ../shared/corpus/dcat, the repository's examples/*.ttl, and generated catalogues
(`--generated 2000 10000`); profiles dcat-ap-3 and dcat-ap-3-core; EDP lookups seeded from the corpus.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / ".." / "shared" / "corpus"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--generated", type=int, nargs="*", default=[2000, 10_000])
    parser.add_argument("--profiles", nargs="*", default=["dcat-ap-3", "dcat-ap-3-core"])
    args = parser.parse_args()
    os.environ.setdefault("LDT_CONFORM_SEED", str(CORPUS / "mqa" / "edp-vocabularies"))
    from ldt_conform import api
    from ldt_conform.errors import ConformError
    from ldt_conform.render import json_

    print(f"scoring code: {api.__file__}", file=sys.stderr)
    files = {p.relative_to(CORPUS / "dcat").as_posix(): p for p in sorted((CORPUS / "dcat").rglob("*")) if p.is_file()}
    files.update({f"examples/{p.name}": p for p in sorted((HERE.parent / "examples").glob("*.ttl"))})
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.generated:
            path = Path(tmp) / f"generated-{n}.ttl"
            subprocess.run([sys.executable, str(HERE / "generate_catalogue.py"), str(n), str(path)], check=True)
            files[path.name] = path
        args.out.mkdir(parents=True, exist_ok=True)
        for name, path in files.items():
            for profile in args.profiles:
                started = time.monotonic()
                try:
                    report = api.check([str(path)], api.CheckOptions(profile=profile, offline=True))
                except ConformError as exc:
                    text = f"not read: {exc.message}\n"
                else:
                    block = json.loads(json_.render(report)).get("quality")
                    block = block and {**block, "catalogues": [{**c, "target": Path(c["target"]).name}
                                                               for c in block["catalogues"]]}
                    text = json.dumps(block, indent=2, ensure_ascii=False) + "\n"
                (args.out / f"{name.replace('/', '__')}.{profile}.json").write_text(text, encoding="utf-8")
                print(f"{name} {profile}: {time.monotonic() - started:.1f} s", file=sys.stderr)
            _with_links(path, args.out / f"{name.replace('/', '__')}.links.json")


def _with_links(path: Path, out: Path) -> None:
    """The link metrics too (no network): every access/download URL gets a state drawn from its CRC, in two runs,
    one where some link checks did not finish (None) and one where all did."""
    import zlib

    from ldt_conform import load, quality
    from ldt_conform.artefacts import ArtefactStore
    from ldt_conform.errors import ConformError

    try:
        targets = load.open_targets([str(path)])
    except ConformError as exc:
        out.write_text(f"not read: {exc.message}\n", encoding="utf-8")
        return
    lookups = quality.load_lookups(ArtefactStore(seed_dirs=[Path(os.environ["LDT_CONFORM_SEED"])], offline=True,
                                                 use_cache=False))
    blocks = []
    for unknown in (17, 10**9):
        graph = quality.index(targets[0].prepared.store)
        urls = sorted(quality.link_urls(graph))
        states = {u: None if zlib.crc32(u.encode()) % unknown == 0 else zlib.crc32(u.encode()) % 2 == 0
                  for u in urls}
        ctx = quality.Context(lookups=lookups, links=states, compliant={})
        blocks.append(quality.score_catalogue(path.name, graph, [], [], ctx))
    out.write_text(json.dumps(blocks, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
