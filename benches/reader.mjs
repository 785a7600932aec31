// Reader-side benchmark: how fast the all-notes page becomes usable, in headless Chromium over HTTP.
//
// For this book and the synthetic corpora (../shared/bench/gen_corpus.py) it builds the site with
// target/release/handbook, serves it from 127.0.0.1 and opens the all-notes page in a fresh
// browser context (cold cache) several times, reporting the median of: first contentful paint,
// DOMContentLoaded, the time a query typed as soon as the search box shows takes to show results
// (and when that is after navigation start), the time a level filter clicked as soon as the
// filters show takes to hide a note of another level, bytes fetched (all, and by search), and the JS heap after the search. Beside it,
// mdBook's print.html of the same corpus (every note on one page too) when mdbook is installed.
//
//   benches/compare.sh --reader [--sizes 1000,5000] [--runs 3] [--query replica] [--reuse-mdbook]
//   node benches/reader.mjs ...   (the same, without building handbook first)
import { launch } from "../tests/browser/lib.mjs";
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { createReadStream, existsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, dflt) => { const i = process.argv.indexOf("--" + name); return i > 0 ? process.argv[i + 1] : dflt; };
const SIZES = arg("sizes", "1000,5000").split(",").filter(Boolean).map(Number);
const RUNS = +arg("runs", 3);
const QUERY = arg("query", "replica");
const KEEP = arg("keep", path.join(tmpdir(), "handbook-bench"));
const GEN = process.env.HANDBOOK_GEN_CORPUS || [path.join(ROOT, "..", "shared", "bench", "gen_corpus.py"), path.join(ROOT, "..", "..", "shared", "bench", "gen_corpus.py")].find(existsSync);
const HANDBOOK = path.join(ROOT, "target", "release", "handbook");
const MDBOOK = process.env.MDBOOK || "mdbook";

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.error || r.status})`);
}
const hasMdbook = spawnSync(MDBOOK, ["--version"]).status === 0;

/** The pages to measure: [label, folder served, page in it, kind]. */
const pages = [];
const bookSite = path.join(KEEP, "reader-book");
sh(HANDBOOK, ["build", "--quiet", "--force", "--root", ROOT, "--output", bookSite]);
pages.push(["this book (45 notes)", bookSite, "index.html", "handbook"]);
for (const n of SIZES) {
  const corpus = path.join(KEEP, `corpus-${n}`);
  if (!existsSync(corpus)) sh("python3", [GEN, String(n), corpus]);
  const site = path.join(KEEP, `reader-site-${n}`);
  sh(HANDBOOK, ["build", "--quiet", "--force", "--root", path.join(corpus, "handbook"), "--output", site]);
  pages.push([`${n} notes`, site, "index.html", "handbook"]);
  if (hasMdbook) {
    const md = path.join(corpus, "mdbook"), print = path.join(md, "book", "print.html");
    // mdBook takes a minute at 5,000 notes: an existing build of the same corpus is reused.
    const stale = !existsSync(print) || statSync(print).mtimeMs < statSync(path.join(md, "src", "SUMMARY.md")).mtimeMs;
    // --reuse-mdbook: measure only the print.html files already built (none where missing).
    if (stale && process.argv.includes("--reuse-mdbook")) continue;
    if (stale) sh(MDBOOK, ["build", md]);
    pages.push([`${n} notes`, path.join(md, "book"), "print.html", "mdbook print.html"]);
  }
}

// --extra "label=folder" (repeatable): also measure an all-notes page built elsewhere, e.g. by an older binary.
process.argv.forEach((a, i) => {
  if (a !== "--extra") return;
  const [label, dir] = process.argv[i + 1].split("=");
  pages.push([label, path.resolve(dir), "index.html", "handbook (other build)"]);
});

// One static server for every folder: /<i>/<file>.
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json", ".woff2": "font/woff2", ".png": "image/png" };
const server = createServer((req, res) => {
  const u = decodeURIComponent(new URL(req.url, "http://x").pathname);
  const m = u.match(/^\/(\d+)\/(.*)$/);
  const dir = m && pages[+m[1]] && pages[+m[1]][1];
  const file = dir && path.join(dir, m[2] || "index.html");
  if (!file || !file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream", "cache-control": "no-store" });
  createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const origin = `http://127.0.0.1:${server.address().port}`;

/** Installed before the page's own scripts. A reader acts the moment a control shows: a
 *  MutationObserver (a microtask, so it runs as soon as the page's script has revealed the control
 *  and returned) types the query once the search box is no longer hidden, or clicks the "advanced"
 *  level filter once the filters show; the answer is timed to when it is on screen (results listed;
 *  a note of another level no longer displayed, checked each frame). Timers are not used: Chromium
 *  runs them late while it parses a long page, which would delay the reader's action, not the page's
 *  answer. */
function probe({ query, filter, other }) {
  const b = (window.__bench = {});
  document.addEventListener("DOMContentLoaded", () => { b.dcl = performance.now(); });
  if (other) return;
  const typeQuery = () => {
    const input = document.querySelector("#search-input"), results = document.querySelector("#search-results");
    if (!input || !results || input.closest("[hidden]")) return;
    new MutationObserver((_, o) => {
      if (results.querySelector("a, .r-empty")) { b.searched = performance.now(); b.hits = results.querySelectorAll("a").length; o.disconnect(); }
    }).observe(results, { childList: true, subtree: true });
    b.typed = performance.now();
    input.value = query;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  };
  const clickFilter = () => {
    const chip = document.querySelector('.filters input[name="level"][value="advanced"]');
    if (!chip || chip.closest("[hidden]")) return;
    b.clicked = performance.now();
    chip.click();
    const frame = () => {
      const other = document.querySelector('article.note:not([data-level="advanced"])');
      if (other && getComputedStyle(other).display === "none") b.filtered = performance.now();
      else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  };
  const watch = new MutationObserver(() => {
    if (query && b.typed === undefined) typeQuery();
    if (filter && b.clicked === undefined) clickFilter();
    if ((!query || b.typed !== undefined) && (!filter || b.clicked !== undefined)) watch.disconnect();
  });
  watch.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["hidden"] });
}

async function measure(browser, i, file, mode) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(probe, mode);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  await page.goto(`${origin}/${i}/${file}`, { waitUntil: "load", timeout: 300000 });
  // mdBook's print.html has no search box of ours: it is timed to DOMContentLoaded only.
  const key = mode.query && !mode.other ? "searched" : mode.filter ? "filtered" : "dcl";
  await page.waitForFunction((k) => window.__bench && window.__bench[k] !== undefined, key, { timeout: 30000 }).catch(() => {});
  await page.waitForTimeout(300);
  const r = await page.evaluate(() => {
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    const nav = performance.getEntriesByType("navigation")[0];
    const res = performance.getEntriesByType("resource");
    const bytes = (list) => list.reduce((t, e) => t + (e.encodedBodySize || 0), 0);
    return { ...window.__bench, fcp: paint ? paint.startTime : null, dclNav: nav.domContentLoadedEventEnd,
      load: nav.loadEventEnd, bytes: nav.encodedBodySize + bytes(res), searchBytes: bytes(res.filter((e) => /search-?index/.test(e.name))) };
  });
  const metrics = (await cdp.send("Performance.getMetrics")).metrics;
  r.heap = (metrics.find((m) => m.name === "JSHeapUsedSize") || {}).value;
  await context.close();
  return r;
}

const median = (xs) => { const v = xs.filter((x) => typeof x === "number").sort((a, b) => a - b); return v.length ? v[(v.length - 1) >> 1] : null; };
const ms = (x) => (x == null ? "-" : `${Math.round(x).toLocaleString("en")} ms`);
const mb = (x) => (x == null ? "-" : x >= 1e6 ? `${(x / 1e6).toFixed(1)} MB` : `${Math.round(x / 1e3)} kB`);

const browser = await launch();
const version = browser.version();
const rows = [];
for (let p = 0; p < pages.length; p++) {
  const [label, , file, kind] = pages[p];
  const runs = { search: [], filter: [] };
  for (let r = 0; r < RUNS; r++) {
    runs.search.push(await measure(browser, p, file, { query: QUERY, other: !kind.startsWith("handbook") }));
    if (kind.startsWith("handbook")) runs.filter.push(await measure(browser, p, file, { filter: true }));
  }
  const S = runs.search, F = runs.filter;
  const row = {
    label, kind,
    fcp: median(S.map((x) => x.fcp)), dcl: median(S.map((x) => x.dclNav)),
    search: median(S.map((x) => x.searched - x.typed)), searchAt: median(S.map((x) => x.searched)),
    filter: median(F.map((x) => x.filtered - x.clicked)), filterAt: median(F.map((x) => x.filtered)),
    bytes: median(S.map((x) => x.bytes)), searchBytes: median(S.map((x) => x.searchBytes)), heap: median(S.map((x) => x.heap)),
    hits: S[0].hits,
  };
  rows.push(row);
  console.error(`${label} ${kind}: ${JSON.stringify(row)}`);
}
await browser.close();
server.close();

console.log(`Chromium ${version}, headless, ${RUNS} cold loads each (median), over HTTP from 127.0.0.1; query "${QUERY}" typed the moment the search box shows, and the "advanced" level filter clicked the moment the filters show (each timed until its answer is on screen).\n`);
console.log("| page | notes | first paint | DOMContentLoaded | search answered (after typing / after navigation) | filter applied (after click / after navigation) | fetched (search part) | JS heap |");
console.log("|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  const pair = (a, b) => (a == null ? "-" : `${ms(a)} / ${ms(b)}`);
  console.log(`| ${r.kind === "handbook" ? "handbook all-notes page" : r.kind} | ${r.label} | ${ms(r.fcp)} | ${ms(r.dcl)} | ${pair(r.search, r.searchAt)} | ${pair(r.filter, r.filterAt)} | ${mb(r.bytes)}${r.kind.startsWith("handbook") ? ` (${mb(r.searchBytes)})` : ""} | ${mb(r.heap)} |`);
}
for (const r of rows.filter((r) => r.kind === "handbook")) {
  const md = rows.find((m) => m.kind !== "handbook" && m.label === r.label);
  const usable = Math.max(r.searchAt || 0, r.filterAt || 0);
  console.log(`\n${r.label}: usable (search answered and filter applied) ${ms(usable)} after navigation start` +
    (md && md.dcl ? `, ${(usable / md.dcl).toFixed(2)}x mdBook print.html's DOMContentLoaded (${ms(md.dcl)}); handbook DOMContentLoaded is ${(r.dcl / md.dcl).toFixed(2)}x mdBook's.` : "."));
}
