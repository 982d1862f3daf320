"""Scale benchmark: ldt-conform (1 job, all cores, Dask), Apache Jena SHACL, pyshacl and the parse floor on one file.

Every tool runs as its own process under GNU time, so wall time and peak RSS are each whole process's (with
forked shards or Dask workers, the peak of the largest process). Peers use the SEMIC DCAT-AP 3.0.1 split shapes;
ldt-conform uses ``--profile dcat-ap-3-core``, as a user runs it. Run on a quiet machine, by hand, never as a test:

    nice -n 0 python benchmarks/bench_scale.py --sizes 1000,10000,50000,200000 --pyshacl-max 10000 --dask-at 200000

With ``--rounds N`` every tool runs N times per size, interleaved, and the ratios compare medians.

The package's bytecode is compiled first (``compileall``), as ``pip install`` does and as Python itself does on a
first run: an environment with PYTHONDONTWRITEBYTECODE set would otherwise compile every module of ldt-conform from
source in every measured run (about 0.1 s each), which no installed tool does.

Jena comes from Debian (``apt-get install libapache-jena-java``); its jena-core.jar relocates Xerces but not the
Xerces message bundles, so they are copied from ``org/apache/jena/ext/xerces`` to ``xerces/`` on the classpath.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SEMIC = (REPO / ".." / "shared" / "corpus" / "shapes" / "dcat-ap-3.0.1" / "split").resolve()
SEMIC_FILES = ("shapes.ttl", "range.ttl", "shapes_recommended.ttl")
JENA_JARS = Path("/usr/share/java")
JAVA_MAIN = """\
import org.apache.jena.rdf.model.Model;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.graph.Graph;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;

public class JenaShacl {
    public static void main(String[] args) {
        Graph shapesGraph = RDFDataMgr.loadGraph(args[0]);
        Graph data = RDFDataMgr.loadGraph(args[1]);
        Shapes shapes = Shapes.parse(shapesGraph);
        ValidationReport report = ShaclValidator.get().validate(shapes, data);
        System.out.println("results " + report.getEntries().size());
    }
}
"""


def sh(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None,
       ok: tuple[int, ...] = (0,)) -> tuple[float, float, str, str]:
    """Run ``cmd`` under GNU time: (wall s, peak RSS MB, stdout, stderr)."""
    timer = ["/usr/bin/time", "-f", "__peak_kb__ %M"]
    start = time.perf_counter()
    proc = subprocess.run([*timer, *cmd], capture_output=True, text=True, cwd=cwd, env=env)
    wall = time.perf_counter() - start
    if proc.returncode not in ok:
        raise RuntimeError(f"{' '.join(cmd[:4])}... exited {proc.returncode}:\n{proc.stderr[-1500:]}")
    peaks = [line.split()[1] for line in proc.stderr.splitlines() if line.startswith("__peak_kb__ ")]
    return wall, (int(peaks[-1]) / 1024 if peaks else float("nan")), proc.stdout, proc.stderr


def catalogue(n: int, folder: Path) -> Path:
    path = folder / f"catalogue-{n}.ttl"
    if not path.exists():
        subprocess.run([sys.executable, str(HERE / "generate_catalogue.py"), str(n), str(path)], check=True)
    return path


def semic_nt(folder: Path) -> Path:
    """The SEMIC split shapes merged into one N-Triples file (Jena loads one shapes graph)."""
    import pyoxigraph as ox

    out = folder / "semic-shapes.nt"
    if not out.exists():
        quads = [q for f in SEMIC_FILES for q in ox.parse(path=str(SEMIC / f), format=ox.RdfFormat.TURTLE,
                                                              base_iri=(SEMIC / f).as_uri())]
        with out.open("wb") as fh:
            ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], fh,
                         format=ox.RdfFormat.N_TRIPLES)
    return out


def jena_classpath(folder: Path) -> str | None:
    """Debian's Jena jars plus a folder holding the Xerces message bundles where Xerces looks for them."""
    jars = sorted(JENA_JARS.glob("*.jar"))
    core = next((j for j in jars if j.name.startswith("jena-core")), None)
    if core is None or shutil.which("javac") is None:
        return None
    bundles = folder / "xerces-bundles"
    if not bundles.exists():
        with zipfile.ZipFile(core) as z:
            for name in z.namelist():
                if name.startswith("org/apache/jena/ext/xerces/") and name.endswith(".properties"):
                    target = bundles / "xerces" / name[len("org/apache/jena/ext/xerces/"):]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(z.read(name))
    classes = folder / "jena-classes"
    cp = ":".join([str(bundles), str(classes), *(str(j) for j in jars)])
    if not (classes / "JenaShacl.class").exists():
        classes.mkdir(exist_ok=True)
        src = classes / "JenaShacl.java"
        src.write_text(JAVA_MAIN, encoding="utf-8")
        subprocess.run(["javac", "-cp", cp, "-d", str(classes), str(src)], check=True)
    return cp


def run_ldt(data: Path, *extra: str) -> tuple[float, float, str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    # --debug: the run's `timing:` lines (ldt_conform/phases.py) say where its time went.
    return sh([sys.executable, "-m", "ldt_conform", "check", str(data), "--profile", "dcat-ap-3-core", "--quiet",
               "--time-budget", "86400", "--debug", *extra], cwd=REPO, env=env, ok=(0, 1))


def run_parse(data: Path) -> tuple[float, float, str, str]:
    code = ("import sys, pyoxigraph as ox; n = sum(1 for _ in ox.parse(path=sys.argv[1], "
            "format=ox.RdfFormat.TURTLE)); print(n)")
    return sh([sys.executable, "-c", code, str(data)])


def run_pyshacl(data: Path, shapes: Path) -> tuple[float, float, str, str]:
    code = ("import sys, rdflib, pyshacl; d = rdflib.Graph().parse(sys.argv[1], format='turtle'); "
            "s = rdflib.Graph().parse(sys.argv[2], format='nt'); "
            "print(pyshacl.validate(d, shacl_graph=s, inference='none')[0])")
    return sh([sys.executable, "-c", code, str(data), str(shapes)])


def run_jena(data: Path, shapes: Path, cp: str) -> tuple[float, float, str, str]:
    return sh(["java", "-Xmx6g", "-cp", cp, "JenaShacl", str(shapes), str(data)])


def _loads() -> str:
    """The machine's load averages: on a shared machine they say how much the timings can be trusted."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


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
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,50000,200000", help="comma-separated dataset counts")
    ap.add_argument("--pyshacl-max", type=int, default=10000, help="skip pyshacl above this many datasets")
    ap.add_argument("--jena-max", type=int, default=10**9, help="skip Jena above this many datasets")
    ap.add_argument("--dask-at", default="200000", help="sizes (comma-separated) that also run --dask local:N")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="'all cores' (default: os.cpu_count())")
    ap.add_argument("--workdir", default=None, help="keep generated files here (default: a temporary folder)")
    ap.add_argument("--json", dest="json_out", default=None, help="also write the measurements as JSON here")
    ap.add_argument("--rounds", type=int, default=1,
                    help="run every tool this many times per size, the tools interleaved (ldt, Jena, pyshacl, ldt, "
                         "...), and compare medians: one run each can be off by a third on a shared machine")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    dask_at = {int(s) for s in args.dask_at.split(",") if s}
    folder = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="ldt-bench-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    shapes = semic_nt(folder)
    cp = jena_classpath(folder)
    if cp is None:
        print("note: Jena skipped (apt-get install libapache-jena-java and a JDK with javac)", file=sys.stderr)
    load = os.getloadavg()[0]
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "ldt_conform")], check=True,
                   stdout=subprocess.DEVNULL)
    print(f"# {os.cpu_count()} cores, load averages (1, 5, 15 min) at start {_loads()}, jobs={args.jobs}; "
          "bytecode compiled")
    rows: list[dict[str, object]] = []

    def measure(n: int, tool: str, fn, *a: object, round_no: int = 1) -> None:  # type: ignore[no-untyped-def]
        try:
            wall, peak, _out, err = fn(*a)
        except RuntimeError as exc:
            print(f"{n:>9,} {tool:<28} FAILED: {str(exc).splitlines()[0]}")
            return
        after = os.getloadavg()[0]
        steps = ", ".join(line[len("debug: timing: "):] for line in err.splitlines()
                          if line.startswith("debug: timing: "))
        rows.append({"datasets": n, "tool": tool, "round": round_no, "wall_s": round(wall, 2), "peak_mb": round(peak),
                     "load_after": round(after, 2), **({"steps": steps} if steps else {})})
        print(f"{n:>9,} {tool:<28} {wall:>9.2f} s {peak:>8.0f} MB   (load {after:.1f}, round {round_no})"
              + (f"   [{steps}]" if steps else ""), flush=True)

    for n in sizes:
        data = catalogue(n, folder)
        for r in range(1, max(1, args.rounds) + 1):
            measure(n, "pyoxigraph parse", run_parse, data, round_no=r)
            measure(n, "ldt-conform -j 1", run_ldt, data, "--jobs", "1", round_no=r)
            measure(n, f"ldt-conform -j {args.jobs}", run_ldt, data, "--jobs", str(args.jobs), round_no=r)
            if n in dask_at:
                measure(n, f"ldt-conform --dask local:{args.jobs}", run_ldt, data, "--dask", f"local:{args.jobs}",
                        round_no=r)
            if cp is not None and n <= args.jena_max:
                measure(n, "Jena SHACL (SEMIC shapes)", run_jena, data, shapes, cp, round_no=r)
            if n <= args.pyshacl_max:
                measure(n, "pyshacl (SEMIC shapes)", run_pyshacl, data, shapes, round_no=r)

    def samples(n: int, tool: str) -> list[dict[str, object]]:
        return [r for r in rows if r["datasets"] == n and r["tool"] == tool]

    def wall(n: int, tool: str) -> float | None:
        """The median wall time of the tool's rounds at this size (the one run's, with one round)."""
        got = [float(r["wall_s"]) for r in samples(n, tool)]  # type: ignore[arg-type]
        return statistics.median(got) if got else None

    if args.rounds > 1:
        print(f"\n# medians of {args.rounds} rounds (wall: median, min-max; peak: the largest)")
        for n in sizes:
            for tool in dict.fromkeys(str(r["tool"]) for r in rows if r["datasets"] == n):
                got = samples(n, tool)
                walls = [float(r["wall_s"]) for r in got]  # type: ignore[arg-type]
                print(f"{n:>9,} {tool:<28} {statistics.median(walls):>9.2f} s ({min(walls):.2f}-{max(walls):.2f})"
                      f" {max(int(r['peak_mb']) for r in got):>8} MB")  # type: ignore[call-overload]

    print("\n# ratios (wall time, same run" + (f", medians of {args.rounds} rounds)" if args.rounds > 1 else ")"))
    one, many = "ldt-conform -j 1", f"ldt-conform -j {args.jobs}"
    for n in sizes:
        base = wall(n, one)
        if not base:
            continue
        parts = []
        for tool, label in (("Jena SHACL (SEMIC shapes)", "Jena/ldt"), ("pyshacl (SEMIC shapes)", "pyshacl/ldt"),
                            ("pyoxigraph parse", "ldt/parse")):
            other = wall(n, tool)
            if other:
                parts.append(f"{label} {base / other if label == 'ldt/parse' else other / base:.2f}x")
        m = wall(n, many)
        if m:
            parts.append(f"-j1/-j{args.jobs} {base / m:.2f}x")
        d = wall(n, f"ldt-conform --dask local:{args.jobs}")
        if d:
            parts.append(f"-j1/dask {base / d:.2f}x")
        print(f"{n:>9,}: " + ", ".join(parts))
    big = [(n, t) for n in sizes if n >= 10000 for t in [wall(n, one)] if t]
    exponent = slope(big)
    if exponent is not None:
        print(f"scaling exponent of ldt-conform -j 1 from 10,000 up: {exponent:.3f}")
    print(f"load averages (1, 5, 15 min) at end: {_loads()}")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({"rows": rows, "rounds": args.rounds, "exponent": exponent,
                                                   "load_start": load,
                                                   "load_end": os.getloadavg()[0]}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
