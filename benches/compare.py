#!/usr/bin/env python3
"""Whole-process build benchmark: handbook against the peers that install here (Hugo, mdBook).

Generates the shared synthetic corpus (../shared/bench/gen_corpus.py) at each size, builds it
with every tool several times, alternating the order, and prints the median wall time, the peak
memory (max RSS of the build process, from wait4) and each peer's ratio to handbook. Also times
the repository's own book. Usage:

    benches/compare.sh [--sizes 45,1000,5000] [--runs 5] [--book-runs 30] [--write BENCHMARKS.md]
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# ../shared beside the checkout (a git worktree sits one level deeper); HANDBOOK_GEN_CORPUS overrides.
GEN = os.environ.get("HANDBOOK_GEN_CORPUS") or next(
    (p for p in (os.path.join(ROOT, *[".."] * up, "shared", "bench", "gen_corpus.py") for up in (1, 2))
     if os.path.exists(p)),
    os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py"))


def run(cmd):
    """Wall seconds and peak RSS (MiB) of one process, its output discarded."""
    t = time.perf_counter()
    pid = os.posix_spawnp(cmd[0], cmd, os.environ, file_actions=[
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)])
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({status})")
    return wall, ru.ru_maxrss / 1024.0


def tools(corpus, handbook):
    t = {"handbook": [handbook, "build", "--quiet", "--root", os.path.join(corpus, "handbook")]}
    if shutil.which("hugo"):
        t["hugo"] = ["hugo", "--quiet", "--source", os.path.join(corpus, "hugo"),
                     "--destination", os.path.join(corpus, "hugo", "public")]
    if shutil.which("mdbook"):
        t["mdbook"] = ["mdbook", "build", os.path.join(corpus, "mdbook")]
    return t


def measure(named, runs):
    res = {k: [] for k in named}
    order = list(named)
    for i in range(runs + 1):  # the first round warms the file cache and is dropped
        for k in (order if i % 2 == 0 else list(reversed(order))):
            r = run(named[k])
            if i > 0:
                res[k].append(r)
    return {k: (statistics.median(w for w, _ in v), max(m for _, m in v)) for k, v in res.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="45,1000,5000")
    ap.add_argument("--runs", type=int, default=5)
    # The book builds in tens of milliseconds, where one slow run moves a median of five.
    ap.add_argument("--book-runs", type=int, default=30)
    ap.add_argument("--write")
    ap.add_argument("--keep", default=os.path.join(tempfile.gettempdir(), "handbook-bench"))
    a = ap.parse_args()
    handbook = os.path.join(ROOT, "target", "release", "handbook")
    rows = []
    book = measure({"handbook": [handbook, "build", "--quiet", "--root", ROOT,
                                 "--output", os.path.join(a.keep, "book-out"), "--force"]}, max(a.runs, a.book_runs))
    rows.append(("this book (45 notes, full theme)", "handbook", *book["handbook"], None))
    for n in [int(s) for s in a.sizes.split(",")]:
        corpus = os.path.join(a.keep, f"corpus-{n}")
        if not os.path.isdir(corpus):
            subprocess.run([sys.executable, GEN, str(n), corpus], check=True)
        r = measure(tools(corpus, handbook), a.runs)
        hb = r["handbook"][0]
        for k, (w, m) in r.items():
            rows.append((f"{n} notes", k, w, m, None if k == "handbook" else w / hb))
        print(f"{n}: " + ", ".join(f"{k} {w*1000:.0f} ms {m:.0f} MiB" for k, (w, m) in r.items()), file=sys.stderr)
    lines = ["| corpus | tool | median wall | peak memory | peer time / handbook time |", "|---|---|---|---|---|"]
    for c, k, w, m, ratio in rows:
        lines.append(f"| {c} | {k} | {w*1000:.0f} ms | {m:.0f} MiB | {'' if ratio is None else f'{ratio:.1f}x'} |")
    table = "\n".join(lines)
    print(table)
    if a.write:
        cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
        ver = {k: subprocess.run(v, capture_output=True, text=True).stdout.strip().splitlines()[0]
               for k, v in {"hugo": ["hugo", "version"], "mdbook": ["mdbook", "--version"]}.items() if shutil.which(v[0])}
        with open(a.write, "w") as f:
            f.write(f"# Benchmarks\n\nMeasured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores ({cpu}), "
                    f"{a.runs} runs per tool ({max(a.runs, a.book_runs)} for this book), alternating, median wall time and peak RSS, with `benches/compare.sh`.\n"
                    f"Peers: {', '.join(f'{k} ({v})' for k, v in ver.items())}. The peers build minimal templates; "
                    f"handbook builds its full theme (all-notes page, per-note pages, tags, search index, highlighting).\n\n")
            f.write(table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
