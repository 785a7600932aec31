#!/usr/bin/env python3
"""Incoming and outgoing link counts per note of the book in notes/.

Reads every note (a `.md` file under notes/ whose name does not start with `_` or `.`),
finds its relative links to other notes (`[text](../03-x/16-consistent-hashing.md#anchor)`,
inline or reference-style, outside code fences and inline code), and prints one row per note:

    out    distinct other notes this note links to
    in     distinct other notes that link to this note
    links  link occurrences in this note (to other notes, anchors included)
    anch   of those, how many carry a heading anchor (`.md#...`)

followed by a summary (notes with 0 or 1 incoming, min / median / max of each column).
A link whose target file does not exist is listed under "broken" (`handbook check` is the
authority on links and anchors; this is a quick count). Python 3 standard library only.

    python3 benches/links.py [--root DIR] [--markdown]
"""
import argparse
import os
import re
import statistics
import sys

INLINE = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFDEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?", re.M)
FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
CODESPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def notes_under(root):
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(("_", ".")))
        for f in sorted(filenames):
            if f.endswith(".md") and not f.startswith(("_", ".")):
                out.append(os.path.normpath(os.path.join(dirpath, f)))
    return sorted(out, key=lambda p: os.path.relpath(p, root))


def prose(text):
    """The text with fenced code blocks, front matter and code spans blanked out."""
    lines = text.split("\n")
    keep, fence = [], None
    if lines and lines[0].strip() == "+++":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "+++"), 0)
        lines = [""] * (end + 1) + lines[end + 1:]
    for line in lines:
        m = FENCE.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
                    and not line.strip()[len(m.group(1)):].strip():
                fence = None
            keep.append("")
            continue
        if m:
            fence = m.group(1)
            keep.append("")
            continue
        keep.append(CODESPAN.sub("", line))
    return "\n".join(keep)


def links_of(path):
    text = prose(open(path, encoding="utf-8").read())
    targets = INLINE.findall(text) + REFDEF.findall(text)
    out = []
    for t in targets:
        if re.match(r"^[a-z][a-z0-9+.-]*:", t, re.I) or t.startswith(("/", "#")):
            continue  # absolute URL, site path or same-page anchor
        file_part, _, anchor = t.partition("#")
        if not file_part.endswith(".md"):
            continue
        out.append((os.path.normpath(os.path.join(os.path.dirname(path), file_part)), anchor))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--root", default=os.path.join(here, "notes"), help="the notes folder")
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = ap.parse_args()

    notes = notes_under(args.root)
    known = set(notes)
    out, inc, occ, anch, broken = {}, {n: set() for n in notes}, {}, {}, []
    for n in notes:
        ls = [(t, a) for t, a in links_of(n) if t != n]
        occ[n] = len(ls)
        anch[n] = sum(1 for _, a in ls if a)
        out[n] = set()
        for t, a in ls:
            if t in known:
                out[n].add(t)
                inc[t].add(n)
            else:
                broken.append((n, t))

    def name(n):
        return os.path.basename(n)[:-3]

    rows = [(name(n), len(inc[n]), len(out[n]), occ[n], anch[n]) for n in notes]
    head = ("note", "in", "out", "links", "anch")
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("|---|" + "---:|" * (len(head) - 1))
        for r in rows:
            print("| " + " | ".join(str(c) for c in r) + " |")
    else:
        w = max(len(r[0]) for r in rows)
        print(f"{head[0]:<{w}}  " + "  ".join(f"{h:>5}" for h in head[1:]))
        for r in rows:
            print(f"{r[0]:<{w}}  " + "  ".join(f"{c:>5}" for c in r[1:]))

    def stats(i):
        v = [r[i] for r in rows]
        return f"min {min(v)}, median {statistics.median(v):g}, max {max(v)}, total {sum(v)}"

    zero = [r[0][:2] for r in rows if r[1] == 0]
    one = [r[0][:2] for r in rows if r[1] == 1]
    bullet = "- " if args.markdown else ""
    print()
    for line in (f"notes: {len(rows)}",
                 f"0 incoming: {len(zero)} {' '.join(zero)}".rstrip(),
                 f"1 incoming: {len(one)} {' '.join(one)}".rstrip(),
                 f"in:    {stats(1)}",
                 f"out:   {stats(2)}",
                 f"links: {stats(3)}; with an anchor: {sum(r[4] for r in rows)}"):
        print(bullet + line)
    if broken:
        print(bullet + "broken: " + ", ".join(
            f"{name(s)} -> {os.path.relpath(t, args.root)}" for s, t in broken))
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
