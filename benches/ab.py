#!/usr/bin/env python3
"""Alternating A/B runs of two (or more) handbook binaries on the same book.

    python3 benches/ab.py 30 OLD_BINARY NEW_BINARY [-- build --root BOOK]

Runs each binary in turn N times (so both see the same machine load), each `build` into its own
output folder (unless the arguments name one), then prints for each the minimum and median wall
time and the median CPU time (user + system, and system alone).
On a shared machine whose speed drifts, compare binaries within one run of this script only.
"""
import os, resource, shutil, statistics, subprocess, sys, tempfile, time


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    n, rest = int(sys.argv[1]), sys.argv[2:]
    if "--" in rest:
        i = rest.index("--")
        bins, args = rest[:i], rest[i + 1:]
    else:
        bins, args = rest, ["build", "-q"]
    rows = {b: [] for b in bins}
    # Each binary builds over its own previous output, as an author's rebuild does: sharing one
    # folder would make each rewrite every file the other wrote differently.
    tmp = tempfile.mkdtemp(prefix="handbook-ab-")
    own = {b: [] if "-o" in args or "--output" in args or args[:1] != ["build"]
           else ["--output", os.path.join(tmp, str(i)), "--force"] for i, b in enumerate(bins)}
    for _ in range(n):
        for b in bins:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            p = subprocess.run([b] + args + own[b], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wall = time.perf_counter() - t
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if p.returncode:
                sys.exit(f"{b} exited with {p.returncode}")
            sys_t = after.ru_stime - before.ru_stime
            rows[b].append((wall, after.ru_utime - before.ru_utime + sys_t, sys_t))
    shutil.rmtree(tmp, ignore_errors=True)
    for b, r in rows.items():
        wall = sorted(x[0] for x in r)
        cpu = statistics.median(x[1] for x in r)
        sys_t = statistics.median(x[2] for x in r)
        print(f"{b}: n={len(r)} wall min {wall[0] * 1e3:.1f} ms, median {statistics.median(wall) * 1e3:.1f} ms; "
              f"CPU median {cpu * 1e3:.1f} ms (system {sys_t * 1e3:.1f})")


if __name__ == "__main__":
    main()
