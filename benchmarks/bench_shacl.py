"""Benchmark: fast SHACL engine vs pyshacl vs the pyoxigraph parse floor (and the CLI), wall time and peak RSS."""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED_SPLIT = (REPO / ".." / "shared" / "corpus" / "shapes" / "dcat-ap-3.0.1" / "split").resolve()
SHAPE_FILES = ("shapes.ttl", "range.ttl", "shapes_recommended.ttl")


# --- child modes: each runs in its own process so its peak RSS is its own ---

def _peak_mb() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_s(who: int) -> float:
    use = resource.getrusage(who)
    return use.ru_utime + use.ru_stime


def child_parse(data: str) -> dict[str, object]:
    import pyoxigraph as ox

    quads = list(ox.parse(path=data, format=ox.RdfFormat.TURTLE))
    return {"triples": len(quads)}


def _shapes_graph(shapes: list[str]):  # type: ignore[no-untyped-def]
    import rdflib

    g = rdflib.Graph()
    for s in shapes:
        g.parse(s, format="turtle")
    return g


def child_fast(data: str, shapes: list[str], jobs: int) -> dict[str, object]:
    import pyoxigraph as ox

    sys.path.insert(0, str(REPO))
    from ldt_conform.shacl_fast import validate

    g = _shapes_graph(shapes)
    quads = ox.parse(path=data, format=ox.RdfFormat.TURTLE)
    results = validate(quads, g, jobs=jobs, time_budget_s=None)
    return {"results": len(results)}


def child_pyshacl(data: str, shapes: list[str]) -> dict[str, object]:
    import pyshacl
    import rdflib

    g = _shapes_graph(shapes)
    dg = rdflib.Graph()
    dg.parse(data, format="turtle")
    _, report, _ = pyshacl.validate(dg, shacl_graph=g, inference="none", advanced=False)
    n = len(set(report.objects(None, rdflib.SH.result)))
    return {"results": n}


def run_child(args: list[str]) -> tuple[float, float, dict[str, object]]:
    start = time.perf_counter()
    cpu0 = _cpu_s(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"child {args[0]} failed:\n{proc.stderr[-2000:]}")
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    # CPU time (user + system, the child and any shard processes it forked) is reported next to wall
    # time because it is far less sensitive to other load on a shared machine.
    info["cpu_s"] = round(_cpu_s(resource.RUSAGE_CHILDREN) - cpu0, 2)
    return wall, float(info.pop("peak_mb")), info


def run_cli(data: Path, engine: str, profile: str) -> tuple[float, float, dict[str, object]]:
    start = time.perf_counter()
    cpu0 = _cpu_s(resource.RUSAGE_CHILDREN)
    command = [sys.executable, "-m", "ldt_conform", "check", str(data), "--profile", profile, "--engine", engine,
               "--quiet"]
    # RUSAGE_CHILDREN is a running maximum over every child so far, so it can't give this run's peak once a
    # bigger child (pyshacl) has run; GNU time reports each command's own peak RSS.
    timer = ["/usr/bin/time", "-f", "__peak_kb__ %M"] if Path("/usr/bin/time").exists() else []
    proc = subprocess.run([*timer, *command], capture_output=True, text=True, cwd=REPO)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"ldt-conform --engine {engine} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    peaks = [line.split()[1] for line in proc.stderr.splitlines() if line.startswith("__peak_kb__ ")]
    info = {"exit": proc.returncode, "cpu_s": round(_cpu_s(resource.RUSAGE_CHILDREN) - cpu0, 2)}
    return wall, (int(peaks[-1]) / 1024 if peaks else float("nan")), info


def slope(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(time) over log(size): the empirical scaling exponent."""
    pts = [(math.log(n), math.log(t)) for n, t in points if t > 0]
    if len(pts) < 2:
        return None
    mx = statistics.fmean(x for x, _ in pts)
    my = statistics.fmean(y for _, y in pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / den if den else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="1000,10000",
                    help="comma-separated dataset counts (e.g. 1000,10000,50000,100000)")
    ap.add_argument("--pyshacl-max", type=int, default=10000, help="skip pyshacl above this many datasets")
    ap.add_argument("--repeat", type=int, default=1, help="runs per measurement; the median is reported")
    ap.add_argument("--jobs", type=int, default=0, help="validate(jobs=...) of the fast engine (0 = idle cores)")
    ap.add_argument("--workdir", default=str(Path(os.environ.get("TMPDIR", "/tmp")) / "ldt-bench"),
                    help="where generated catalogues are kept between runs")
    ap.add_argument("--cli-profile", default="dcat-ap-3-core", help="profile for the optional CLI runs")
    ap.add_argument("--no-cli", action="store_true", help="skip the ldt-conform CLI runs")
    ap.add_argument("--json", help="also write the raw measurements here")
    args = ap.parse_args(argv)

    shapes = [str(SHARED_SPLIT / f) for f in SHAPE_FILES]
    if not all(Path(s).is_file() for s in shapes):
        print(f"SEMIC split shapes not found under {SHARED_SPLIT}", file=sys.stderr)
        return 2
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(HERE))
    from generate_catalogue import generate

    cli_ok = not args.no_cli and importlib.util.find_spec("ldt_conform.cli") is not None
    sizes = [int(s) for s in args.sizes.split(",") if s]
    rows: list[dict[str, object]] = []
    for n in sizes:
        data = work / f"catalogue-{n}.ttl"
        # Regenerate when the generator changed since the file was written.
        if not data.is_file() or data.stat().st_mtime < (HERE / "generate_catalogue.py").stat().st_mtime:
            with data.open("w", encoding="utf-8") as fh:
                generate(n, fh, seed=42)
        tools: list[tuple[str, list[str] | None]] = [
            ("parse floor", ["parse", str(data)]),
            ("fast engine", ["fast", str(data), str(args.jobs), *shapes]),
        ]
        if n <= args.pyshacl_max:
            tools.append(("pyshacl", ["pyshacl", str(data), *shapes]))
        if cli_ok:
            tools.append(("cli fast", None))
            tools.append(("cli pyshacl", None))
        for name, child in tools:
            if name == "cli pyshacl" and n > args.pyshacl_max:
                continue
            walls, peaks, cpus, info = [], [], [], {}
            for _ in range(args.repeat):
                try:
                    if child is None:
                        w, p, info = run_cli(data, name.split()[1], args.cli_profile)
                    else:
                        w, p, info = run_child(child)
                except RuntimeError as exc:
                    print(f"  {name} at {n}: {exc}", file=sys.stderr)
                    break
                walls.append(w)
                peaks.append(p)
                cpus.append(float(info.pop("cpu_s")))  # type: ignore[arg-type]
            if walls:
                row = {"n": n, "tool": name, "wall_s": statistics.median(walls), "cpu_s": statistics.median(cpus),
                       "peak_mb": max(peaks), **info}
                rows.append(row)
                print(f"{n:>7} {name:<12} {row['wall_s']:8.2f} s wall {row['cpu_s']:8.2f} s cpu "
                      f"{row['peak_mb']:8.0f} MB  {info}", flush=True)

    print("\n| datasets | tool | wall (s) | CPU (s) | peak RSS (MB) | vs pyshacl (wall) | vs pyshacl (CPU) |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    ref = {r["n"]: r for r in rows if r["tool"] == "pyshacl"}
    for r in rows:
        rw = rc = ""
        if r["n"] in ref and r["tool"] != "pyshacl":
            rw = f"{ref[r['n']]['wall_s'] / r['wall_s']:.1f}x"  # type: ignore[operator]
            rc = f"{ref[r['n']]['cpu_s'] / max(r['cpu_s'], 0.01):.1f}x"  # type: ignore[operator]
        print(f"| {r['n']:,} | {r['tool']} | {r['wall_s']:.2f} | {r['cpu_s']:.2f} | {r['peak_mb']:.0f} | {rw} | {rc} |")
    print("\nscaling exponent (log-log slope over datasets): wall / CPU")
    for tool in dict.fromkeys(r["tool"] for r in rows):
        sw = slope([(int(r["n"]), float(r["wall_s"])) for r in rows if r["tool"] == tool])  # type: ignore[arg-type]
        sc = slope([(int(r["n"]), float(r["cpu_s"])) for r in rows if r["tool"] == tool])  # type: ignore[arg-type]
        if sw is not None and sc is not None:
            print(f"  {tool}: {sw:.2f} / {sc:.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


def child_main(argv: list[str]) -> int:
    mode = argv[0]
    if mode == "parse":
        info = child_parse(argv[1])
    elif mode == "fast":
        info = child_fast(argv[1], argv[3:], int(argv[2]))
    elif mode == "pyshacl":
        info = child_pyshacl(argv[1], argv[2:])
    else:
        raise SystemExit(f"unknown child mode {mode}")
    info["peak_mb"] = _peak_mb()
    print(json.dumps(info), flush=True)
    # Freeing millions of objects at exit costs seconds (DESIGN.md, Known traps); the numbers are out.
    os._exit(0)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        raise SystemExit(child_main(sys.argv[2:]))
    raise SystemExit(main())
