#!/usr/bin/env python3
"""Whole-process build benchmark: handbook against its peers (Hugo, mdBook, Zola).

Generates the shared synthetic corpus (../shared/bench/gen_corpus.py) at each size, builds it
with every tool several times, alternating the order, and prints a Markdown table: the median
wall time, the peak memory (max RSS of the build process, from wait4), both per note, and each
peer's time and memory as a ratio to handbook's. Also times the repository's own book. Usage:

    benches/compare.sh [--sizes 45,1000,5000] [--runs 5] [--book-runs 30] [--timeout 600]
                       [--keep DIR] [--write BENCHMARKS.md] [--json FILE] [--plot FILE.svg]
    benches/compare.py --replot FROM.json --plot OUT.svg

Options:
    --sizes       corpus sizes in notes, comma-separated (each corpus is kept under --keep)
    --runs        timed runs per tool and size (one more untimed run warms the file cache)
    --book-runs   timed runs for the repository's own book (at least --runs)
    --timeout     seconds a single build may take; a tool that exceeds it at a size is killed
                  (its whole process group), reported as "did not finish in N s" there and not
                  run at larger sizes
    --keep        folder for the corpora and outputs (default: $TMPDIR/handbook-bench)
    --write       also write the table, with the machine and peer versions, to this file
    --json        also write the raw results (every run's wall time, median, peak MiB or the
                  did-not-finish marker, per size and tool) to this file
    --plot        write an SVG chart (wall time and peak memory against notes, log-log)
    --replot      read results written by --json and only draw them (needs --plot)

Binaries: handbook is target/release/handbook unless HANDBOOK_BIN names another; the peers are
found on PATH or named by HUGO, MDBOOK and ZOLA. A peer that is not found is left out. ZOLA_COMMIT
names the getzola/zola commit the Zola binary was built from (printed with its version).
"""
import argparse, itertools, json, math, os, shutil, signal, statistics, subprocess, sys, tempfile, threading, time
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# ../shared beside the checkout (a git worktree sits one level deeper); HANDBOOK_GEN_CORPUS overrides.
GEN = os.environ.get("HANDBOOK_GEN_CORPUS") or next(
    (p for p in (os.path.join(ROOT, *[".."] * up, "shared", "bench", "gen_corpus.py") for up in (1, 2))
     if os.path.exists(p)),
    os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py"))
ZOLA_COMMIT = os.environ.get("ZOLA_COMMIT", "b2242262")
PEERS = {"hugo": "HUGO", "mdbook": "MDBOOK", "zola": "ZOLA"}  # tool -> env var naming its binary


# ---------------------------------------------------------------------------------------------
# Running and measuring


def run(cmd, timeout):
    """Wall seconds and peak RSS (MiB) of one process, its output discarded; None if it ran longer
    than `timeout` seconds, in which case its whole process group has been killed."""
    t = time.perf_counter()
    pid = os.posix_spawnp(cmd[0], cmd, os.environ, setpgroup=0, file_actions=[
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)])
    killed = threading.Event()

    def kill_group():
        killed.set()
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, kill_group)
    timer.start()
    try:
        _, status, ru = os.wait4(pid, 0)
    except BaseException:  # Ctrl-C: the child is in its own group, so the terminal's SIGINT missed it
        kill_group()
        os.wait4(pid, 0)
        raise
    finally:
        timer.cancel()
    wall = time.perf_counter() - t
    if killed.is_set():
        return None
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({status})")
    return wall, ru.ru_maxrss / 1024.0


def measure(named, runs, timeout):
    """Build each named command runs+1 times, alternating the order (the first round warms the file
    cache and is dropped). Per tool: {"walls", "median", "peak_mib"}, or {"did_not_finish": timeout}
    once a run exceeded the timeout (that tool is not run again)."""
    walls = {k: [] for k in named}
    peaks = {k: [] for k in named}
    dnf = set()
    order = list(named)
    for i in range(runs + 1):
        for k in (order if i % 2 == 0 else list(reversed(order))):
            if k in dnf:
                continue
            r = run(named[k], timeout)
            if r is None:
                dnf.add(k)
            elif i > 0:
                walls[k].append(r[0])
                peaks[k].append(r[1])
    return {k: {"did_not_finish": timeout} if k in dnf else
            {"walls": walls[k], "median": statistics.median(walls[k]), "peak_mib": max(peaks[k])}
            for k in named}


def peer_binaries():
    """tool -> binary for each peer named by its env var or found on PATH."""
    found = {}
    for tool, var in PEERS.items():
        b = os.environ.get(var) or shutil.which(tool)
        if b:
            found[tool] = b
    return found


def tools(corpus, handbook, peers):
    """tool -> build command for the corpus at `corpus` (its handbook/, hugo/, mdbook/, zola/)."""
    t = {"handbook": [handbook, "build", "--quiet", "--root", os.path.join(corpus, "handbook")]}
    if "hugo" in peers:
        t["hugo"] = [peers["hugo"], "--quiet", "--source", os.path.join(corpus, "hugo"),
                     "--destination", os.path.join(corpus, "hugo", "public")]
    if "mdbook" in peers:
        t["mdbook"] = [peers["mdbook"], "build", os.path.join(corpus, "mdbook")]
    if "zola" in peers:
        t["zola"] = [peers["zola"], "--root", os.path.join(corpus, "zola"), "build",
                     "--output-dir", os.path.join(corpus, "zola", "public"), "--force"]
    return t


def first_line(cmd):
    return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]


def versions(peers):
    """tool -> version line, for the peers found."""
    v = {}
    if "hugo" in peers:
        v["hugo"] = first_line([peers["hugo"], "version"])
    if "mdbook" in peers:
        v["mdbook"] = first_line([peers["mdbook"], "--version"])
    if "zola" in peers:
        v["zola"] = f"{first_line([peers['zola'], '--version'])} (built from source, getzola/zola {ZOLA_COMMIT})"
    return v


def machine():
    """Date, core count and CPU model of this machine."""
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    except OSError:
        pass
    return {"date": time.strftime("%Y-%m-%d"), "cores": os.cpu_count(), "cpu": cpu}


def book_notes():
    """Number of notes in the repository's own book."""
    return sum(f.endswith(".md") for _, _, fs in os.walk(os.path.join(ROOT, "notes")) for f in fs)


def result_row(corpus, notes, tool, result):
    """One JSON-ready row: corpus is "book" or "synthetic"; result comes from measure()."""
    return {"corpus": corpus, "notes": notes, "tool": tool, **result}


# ---------------------------------------------------------------------------------------------
# Reporting


def per_note(value, notes):
    x = value / notes
    return f"{x:,.1f}" if x < 10 else f"{x:,.0f}"


def table(rows):
    """The Markdown table of the result rows, with per-note figures and ratios to handbook."""
    handbook = {(r["corpus"], r["notes"]): r for r in rows if r["tool"] == "handbook" and "median" in r}
    lines = ["| corpus | tool | median wall | time per note | peak memory | memory per note "
             "| peer time / handbook time | peer memory / handbook memory |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        n = r["notes"]
        label = f"this book ({n} notes, full theme)" if r["corpus"] == "book" else f"{n} notes"
        if "did_not_finish" in r:
            cells = [f"did not finish in {r['did_not_finish']:g} s", "", "", "", "", ""]
        elif "not_run_after" in r:
            cells = [f"not run (did not finish at {r['not_run_after']} notes)", "", "", "", "", ""]
        else:
            w, m = r["median"], r["peak_mib"]
            hb = handbook.get((r["corpus"], n))
            peer = hb is not None and r["tool"] != "handbook"
            cells = [f"{w*1000:.0f} ms", f"{per_note(w * 1e6, n)} µs", f"{m:.0f} MiB", f"{per_note(m * 1024, n)} KiB",
                     f"{w / hb['median']:.1f}x" if peer else "", f"{m / hb['peak_mib']:.1f}x" if peer else ""]
        lines.append(f"| {label} | {r['tool']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def progress(n, result):
    parts = [f"{k} did not finish in {r['did_not_finish']:g} s" if "did_not_finish" in r
             else f"{k} {r['median']*1000:.0f} ms {r['peak_mib']:.0f} MiB" for k, r in result.items()]
    return f"{n}: " + ", ".join(parts)


def write_markdown(path, table_text, meta):
    runs, book_runs = meta["runs"], max(meta["runs"], meta["book_runs"])
    peers = ", ".join(f"{k} ({v})" for k, v in meta["versions"].items())
    with open(path, "w") as f:
        f.write(f"# Benchmarks\n\nMeasured {meta['date']} on {meta['cores']} cores ({meta['cpu']}), "
                f"{runs} run{'s' * (runs != 1)} per tool ({book_runs} for this book), alternating, median wall time and peak RSS, "
                f"with `benches/compare.sh` (builds over {meta['timeout']:g} s are killed: \"did not finish\").\n"
                f"Peers: {peers}. The peers build minimal templates; "
                f"handbook builds its full theme (all-notes page, per-note pages, tags, search index, highlighting).\n\n")
        f.write(table_text + "\n")


def write_json(path, meta, rows):
    with open(path, "w") as f:
        json.dump({"meta": meta, "rows": rows}, f, indent=1)
        f.write("\n")


def read_json(path):
    with open(path) as f:
        d = json.load(f)
    return d["meta"], d["rows"]


# ---------------------------------------------------------------------------------------------
# SVG chart (hand-written; no third-party packages, fonts, scripts or links)

SVG_NS = "http://www.w3.org/2000/svg"
# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies, dark enough on white.
COLOURS = {"handbook": "#0072B2", "hugo": "#D55E00", "mdbook": "#009E73", "zola": "#7B3294"}
OTHER_COLOURS = ["#000000", "#E69F00", "#56B4E9", "#999999"]
MARKERS = ["circle", "square", "triangle", "diamond"]


def snap_down(v):
    """The largest 1-2-5 step value (…, 0.5, 1, 2, 5, 10, …) at or below v."""
    e = math.floor(math.log10(v))
    return next(m * 10.0 ** e for m in (5, 2, 1) if m * 10.0 ** e <= v * (1 + 1e-9))


def snap_up(v):
    """The smallest 1-2-5 step value at or above v."""
    e = math.floor(math.log10(v))
    return next(m * 10.0 ** e for m in (1, 2, 5, 10) if m * 10.0 ** e >= v * (1 - 1e-9))


def log_range(values, lo=None, hi=None):
    """Axis bounds on 1-2-5 steps covering the values (and lo..hi when given)."""
    a = min(values + ([lo] if lo else []))
    b = max(values + ([hi] if hi else []))
    a, b = snap_down(a), snap_up(b)
    return (a, b) if b > a else (a, snap_up(b * 1.01))


def log_ticks(lo, hi, length, min_gap):
    """1-2-5 tick values in lo..hi; when those would sit closer than min_gap pixels on an axis `length`
    pixels long, the decades only, plus either end of the axis that is min_gap from its neighbour."""
    px = length / (math.log10(hi) - math.log10(lo))  # pixels per decade
    ticks = [m * 10.0 ** e for e in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)
             for m in (1, 2, 5) if lo * (1 - 1e-9) <= m * 10.0 ** e <= hi * (1 + 1e-9)]
    if px * math.log10(2) >= min_gap:  # 1 -> 2 is the smallest step on a log axis
        return ticks
    decades = [t for t in ticks if abs(math.log10(t) - round(math.log10(t))) < 1e-9]
    ends = [end for end in (lo, hi)
            if all(abs(math.log10(end) - math.log10(t)) * px >= min_gap for t in decades)]
    return sorted(decades + ends)


def tick_label(v):
    return format(float(f"{v:.6g}"), ",g")


def marker(shape, x, y, colour):
    """One point marker; shapes besides colour tell the tools apart in greyscale."""
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'
    if shape == "square":
        return f'<rect x="{x-3.5:.1f}" y="{y-3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if shape == "triangle":
        pts = [(x, y - 5), (x - 4.5, y + 3.5), (x + 4.5, y + 3.5)]
    else:
        pts = [(x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y)]
    return f'<polygon points="{" ".join(f"{a:.1f},{b:.1f}" for a, b in pts)}" fill="{colour}"/>'


def chart(box, series, key, title, ytitle, xrange):
    """SVG elements of one log-log chart in box (x, y, width, height of the plot area): one polyline
    with markers per series (tool, colour, shape, points), the points being (notes, row) pairs and
    row[key] the value drawn."""
    x0, y0, w, h = box
    xlo, xhi = xrange
    values = [row[key] for _, _, _, pts in series for _, row in pts]
    ylo, yhi = log_range(values or [1.0])

    def sx(v):
        return x0 + (math.log10(v) - math.log10(xlo)) / (math.log10(xhi) - math.log10(xlo)) * w

    def sy(v):
        return y0 + h - (math.log10(v) - math.log10(ylo)) / (math.log10(yhi) - math.log10(ylo)) * h

    out = [f'<text x="{x0 + w/2:.1f}" y="{y0 - 14}" text-anchor="middle" font-size="15" font-weight="bold">{escape(title)}</text>']
    for t in log_ticks(xlo, xhi, w, 48):
        out.append(f'<line x1="{sx(t):.1f}" y1="{y0}" x2="{sx(t):.1f}" y2="{y0 + h}" stroke="#dddddd"/>')
        out.append(f'<text x="{sx(t):.1f}" y="{y0 + h + 18}" text-anchor="middle" font-size="12">{tick_label(t)}</text>')
    for t in log_ticks(ylo, yhi, h, 20):
        out.append(f'<line x1="{x0}" y1="{sy(t):.1f}" x2="{x0 + w}" y2="{sy(t):.1f}" stroke="#dddddd"/>')
        out.append(f'<text x="{x0 - 8}" y="{sy(t):.1f}" dy="0.35em" text-anchor="end" font-size="12">{tick_label(t)}</text>')
    out.append(f'<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="none" stroke="#444444"/>')
    out.append(f'<text x="{x0 + w/2:.1f}" y="{y0 + h + 42}" text-anchor="middle" font-size="13">notes, log scale</text>')
    out.append(f'<text transform="translate({x0 - 58},{y0 + h/2:.1f}) rotate(-90)" text-anchor="middle" '
               f'font-size="13">{escape(ytitle)}, log scale</text>')
    for tool, colour, shape, pts in series:
        coords = [(sx(n), sy(row[key])) for n, row in pts]
        out.append(f'<polyline data-tool="{escape(tool)}" fill="none" stroke="{colour}" stroke-width="2" '
                   f'points="{" ".join(f"{a:.1f},{b:.1f}" for a, b in coords)}"/>')
        out.extend(marker(shape, a, b, colour) for a, b in coords)
    return out


def legend(series, centre_x, y):
    """One row of legend entries (line, marker, tool name), centred on centre_x."""
    widths = [44 + 8 * len(tool) + 28 for tool, _, _, _ in series]
    x = centre_x - sum(widths) / 2
    out = []
    for (tool, colour, shape, _), width in zip(series, widths):
        out.append(f'<line x1="{x:.1f}" y1="{y}" x2="{x + 36:.1f}" y2="{y}" stroke="{colour}" stroke-width="2"/>')
        out.append(marker(shape, x + 18, y, colour))
        out.append(f'<text x="{x + 44:.1f}" y="{y}" dy="0.35em" font-size="14">{escape(tool)}</text>')
        x += width
    return out


def svg_plot(rows, meta):
    """A self-contained SVG: build wall time and peak memory against notes, side by side, log-log,
    one line per tool, from the synthetic-corpus result rows (rows that did not finish or were not
    run have no point). meta gives the date, cores and CPU for the title."""
    rows = [r for r in rows if r["corpus"] == "synthetic"]
    names = list(dict.fromkeys(r["tool"] for r in rows))
    extra = itertools.cycle(OTHER_COLOURS)
    series = []
    for i, tool in enumerate(names):
        pts = sorted(((r["notes"], r) for r in rows if r["tool"] == tool and "median" in r), key=lambda p: p[0])
        series.append((tool, COLOURS.get(tool) or next(extra), MARKERS[i % len(MARKERS)], pts))
    notes = [r["notes"] for r in rows] or [1000]
    xrange = log_range(notes, 1000, 50000)

    width, height = 1080, 590
    cpu = f" ({meta['cpu']})" if meta.get("cpu") else ""
    runs = "1 run" if meta.get("runs") == 1 else f"{meta.get('runs', '?')} runs"
    out = [f'<svg xmlns="{SVG_NS}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
           f'font-family="sans-serif" fill="#111111">',
           f'<title>Build time and peak memory against notes, {escape(meta["date"])}</title>',
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
           f'<text x="{width/2}" y="30" text-anchor="middle" font-size="18" font-weight="bold">'
           f'Build time and peak memory against notes: {escape(meta["date"])}, {meta["cores"]} cores{escape(cpu)}</text>',
           f'<text x="{width/2}" y="52" text-anchor="middle" font-size="13" fill="#333333">'
           f'Synthetic corpus; median wall time of {runs} and peak RSS of the build process</text>']
    out += chart((90, 100, 420, 340), series, "median", "Build wall time", "wall time (s)", xrange)
    out += chart((630, 100, 420, 340), series, "peak_mib", "Peak memory", "peak memory (MiB)", xrange)
    out += legend(series, width / 2, 520)
    dnf = [f"{r['tool']} at {r['notes']:,} notes" for r in rows if "did_not_finish" in r]
    if dnf:
        limit = next(r["did_not_finish"] for r in rows if "did_not_finish" in r)
        out.append(f'<text x="{width/2}" y="556" text-anchor="middle" font-size="13" fill="#333333">'
                   f'Did not finish in {limit:g} s (not run at larger sizes): {escape(", ".join(dnf))}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def write_plot(path, rows, meta):
    with open(path, "w") as f:
        f.write(svg_plot(rows, meta))


# ---------------------------------------------------------------------------------------------


def benchmark(a, handbook, peers):
    """Time the book and every corpus size; the result rows."""
    rows = []
    book = measure({"handbook": [handbook, "build", "--quiet", "--root", ROOT, "--output",
                                 os.path.join(a.keep, "book-out"), "--force"]},
                   max(a.runs, a.book_runs), a.timeout)
    rows.append(result_row("book", book_notes(), "handbook", book["handbook"]))
    stopped = {}  # tool -> size at which it did not finish
    for n in [int(s) for s in a.sizes.split(",")]:
        corpus = os.path.join(a.keep, f"corpus-{n}")
        if not os.path.isdir(corpus):
            subprocess.run([sys.executable, GEN, str(n), corpus], check=True)
        named = tools(corpus, handbook, peers)
        r = measure({k: v for k, v in named.items() if k not in stopped}, a.runs, a.timeout)
        for k in named:
            if k in stopped:
                rows.append(result_row("synthetic", n, k, {"not_run_after": stopped[k]}))
            else:
                rows.append(result_row("synthetic", n, k, r[k]))
                if "did_not_finish" in r[k]:
                    stopped[k] = n
        print(progress(n, r), file=sys.stderr)
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--sizes", default="45,1000,5000")
    ap.add_argument("--runs", type=int, default=5)
    # The book builds in tens of milliseconds, where one slow run moves a median of five.
    ap.add_argument("--book-runs", type=int, default=30)
    ap.add_argument("--timeout", type=float, default=600, help="seconds one build may take (default 600)")
    ap.add_argument("--write", metavar="BENCHMARKS.md")
    ap.add_argument("--json", metavar="FILE", help="write the raw results here")
    ap.add_argument("--plot", metavar="FILE.svg", help="write an SVG chart here")
    ap.add_argument("--replot", metavar="FROM.json", help="only draw --plot from results written by --json")
    ap.add_argument("--keep", default=os.path.join(tempfile.gettempdir(), "handbook-bench"))
    a = ap.parse_args()
    if a.replot:
        if not a.plot:
            ap.error("--replot needs --plot")
        meta, rows = read_json(a.replot)
        write_plot(a.plot, rows, meta)
        return 0
    handbook = os.environ.get("HANDBOOK_BIN") or os.path.join(ROOT, "target", "release", "handbook")
    peers = peer_binaries()
    meta = {**machine(), "runs": a.runs, "book_runs": a.book_runs, "timeout": a.timeout,
            "versions": versions(peers)}
    rows = benchmark(a, handbook, peers)
    text = table(rows)
    print(text)
    if a.write:
        write_markdown(a.write, text, meta)
    if a.json:
        write_json(a.json, meta, rows)
    if a.plot:
        write_plot(a.plot, rows, meta)
    return 0


if __name__ == "__main__":
    sys.exit(main())
