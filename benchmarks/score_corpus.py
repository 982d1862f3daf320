"""Score every corpus catalogue (../shared/corpus/dcat) and print the Markdown table kept in docs/quality.md."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from ldt_conform import api
from ldt_conform.errors import ConformError

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"


def main() -> None:
    os.environ.setdefault("LDT_CONFORM_SEED", str(CORPUS))
    files = sorted(p for p in (CORPUS / "dcat").rglob("*") if p.is_file())
    print("| catalogue | datasets | errors | score / assessed max | scaled to 405 | band | not assessed |")
    print("|---|---:|---:|---|---:|---|---|")
    for path in files:
        name = path.relative_to(CORPUS / "dcat").as_posix()
        started = time.monotonic()
        try:
            report = api.check([str(path)], api.CheckOptions(profile="dcat-ap-3", offline=True))
        except ConformError as exc:
            print(f"| `{name}` | – | – | not read: {exc.message[:80]} | – | – | – |")
            continue
        for cat in report.quality.get("catalogues", ()):
            errors = report.counts_by_severity()["error"]
            if not cat.get("datasets"):
                print(f"| `{name}` | 0 | {errors} | – | – | not assessed | no dcat:Dataset |")
                continue
            missing = ", ".join(m["metric"] for m in cat["metrics"] if m.get("status") == "not-assessed")
            print(f"| `{name}` | {cat['datasets']} | {errors} | {cat['score']:g} / {cat['max']} | {cat['scaled']:g} "
                  f"| {cat['band']} | {missing} |")
        print(f"{name}: {time.monotonic() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
