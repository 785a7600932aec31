// The all-notes page as a long book needs it, in headless Chromium from file://: every note stays
// findable, printable and linkable while the browser lays out only what is on screen; the script
// does no per-note work at load; search loads only the index pieces a query needs and ranks
// titles before headings before body text (20 queries on the real book, each with the note that
// must come first).
// usage: node scale.test.mjs <built site folder of this repository's book>
import { launch, openPage, test, assert, done } from "./lib.mjs";
import { pathToFileURL } from "node:url";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";

const site = path.resolve(process.argv[2] || "../../public");
const INDEX = pathToFileURL(path.join(site, "index.html")).href;
const browser = await launch();
const opened = [];

async function open(target, opts) {
  const { context, page } = await openPage(browser, opts);
  opened.push(page);
  page.requested = [];
  page.on("request", (r) => page.requested.push(r.url()));
  await page.goto(target);
  return { context, page };
}

await test("notes off screen are not laid out, yet every note is in the page", async () => {
  const { context, page } = await open(INDEX);
  const s = await page.evaluate(() => {
    const notes = [...document.querySelectorAll("article.note")];
    return {
      total: notes.length,
      cv: getComputedStyle(notes[0]).contentVisibility,
      skipped: notes.filter((n) => !n.querySelector(".note-body").checkVisibility({ contentVisibilityAuto: true })).length,
      text: notes.every((n) => n.querySelector(".note-body").textContent.trim().length > 100),
    };
  });
  assert(s.total >= 40, "the real book: " + s.total);
  assert(s.cv === "auto", "content-visibility " + s.cv);
  assert(s.skipped > s.total / 2, `most notes should be skipped at the top of the page: ${s.skipped} of ${s.total}`);
  assert(s.text, "every note's text is in the page");
  await context.close();
});

await test("find-in-page finds text of the last note while it is skipped; scrolled to, it is laid out", async () => {
  const { context, page } = await open(INDEX);
  const r = await page.evaluate(() => {
    const notes = [...document.querySelectorAll("article.note")];
    const last = notes[notes.length - 1];
    const p = [...last.querySelectorAll(".note-body p")].find((p) => p.textContent.length > 80);
    const phrase = p.textContent.trim().split(/\s+/).slice(2, 8).join(" ");
    const before = last.querySelector(".note-body").checkVisibility({ contentVisibilityAuto: true });
    const found = window.find(phrase, false, false, true);
    const sel = window.getSelection();
    const inLast = sel.rangeCount > 0 && last.contains(sel.getRangeAt(0).startContainer);
    return { phrase, before, found, inLast };
  });
  assert(!r.before, "the last note starts skipped (off screen)");
  assert(r.found && r.inLast, `find("${r.phrase}") should select it in the last note: ${JSON.stringify(r)}`);
  // window.find selects without scrolling (the browser's own find bar scrolls): bring it into view as the bar does.
  // Notes above it then get laid out and grow, so it is scrolled to once more, as the find bar does after layout.
  for (let i = 0; i < 2; i++) {
    await page.evaluate(() => window.getSelection().getRangeAt(0).startContainer.parentElement.scrollIntoView({ block: "center" }));
    await page.waitForTimeout(300);
  }
  const shown = await page.evaluate(() => {
    const sel = window.getSelection(), rect = sel.getRangeAt(0).getBoundingClientRect();
    return { top: rect.top, h: rect.height };
  });
  assert(shown.h > 0 && shown.top >= 0 && shown.top < 900, "the match is on screen: " + JSON.stringify(shown));
  await context.close();
});

await test("printing lays out every note", async () => {
  const { context, page } = await open(INDEX);
  await page.emulateMedia({ media: "print" });
  const r = await page.evaluate(() => {
    const notes = [...document.querySelectorAll("article.note")];
    return {
      total: notes.length,
      laidOut: notes.filter((n) => n.querySelector(".note-body").checkVisibility({ contentVisibilityAuto: true }) && n.querySelector(".note-body").getBoundingClientRect().height > 50).length,
    };
  });
  assert(r.laidOut === r.total, `${r.laidOut} of ${r.total} notes laid out for print`);
  await page.emulateMedia({ media: "screen" });
  const pdf = await page.pdf({ format: "A4" });
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert(pages >= r.total, `each note starts a printed page: ${pages} pages for ${r.total} notes`);
  await context.close();
});

for (const [what, pick] of [["a note near the end", "note"], ["a heading inside a late note", "heading"]]) {
  await test(`a link to ${what} (#fragment) lands on it and stays there`, async () => {
    const probe = await open(INDEX);
    const id = await probe.page.evaluate((pick) => {
      const notes = [...document.querySelectorAll("article.note")];
      const n = notes[notes.length - 3];
      return pick === "note" ? n.id : n.querySelectorAll(".note-body h4[id]")[1].id;
    }, pick);
    await probe.context.close();
    const { context, page } = await open(INDEX + "#" + id);
    const top = () => page.evaluate((id) => document.getElementById(id).getBoundingClientRect().top, id);
    // Not a timed test: on a loaded machine the notes above settle late, and the page keeps the
    // target in place for 3 s. Read once settled, then again after the page has stopped following.
    await page.waitForTimeout(1500);
    const a = await top();
    await page.waitForTimeout(2500);
    const b = await top();
    // Headings keep a scroll margin below the sticky top bar.
    assert(a >= -2 && a < 200 && Math.abs(a - b) < 4, `#${id}: top ${a}, then ${b}`);
    await context.close();
  });
}

await test("a sidebar link to a late note lands there; the note gets its copy buttons and is marked current", async () => {
  const { context, page } = await open(INDEX);
  const total = await page.evaluate(() => document.querySelectorAll(".code-block pre").length);
  const early = await page.evaluate(() => document.querySelectorAll(".copy-btn").length);
  assert(early < total / 2, `copy buttons are added as notes are reached, not all at load: ${early} of ${total}`);
  const id = await page.evaluate(() => { const n = [...document.querySelectorAll("article.note")]; return n[n.length - 5].id; });
  await page.click(`#sidebar a[href="#${id}"]`);
  await page.waitForTimeout(600);
  const r = await page.evaluate((id) => {
    const n = document.getElementById(id);
    return { top: n.getBoundingClientRect().top, blocks: n.querySelectorAll(".code-block pre").length, buttons: n.querySelectorAll(".copy-btn").length,
      current: (document.querySelector(".toc-notes a[aria-current]") || {}).getAttribute?.("href") };
  }, id);
  assert(r.top >= -2 && r.top < 120, "landed: " + r.top);
  assert(r.buttons === r.blocks, `copy buttons ${r.buttons} for ${r.blocks} code blocks`);
  assert(r.current === "#" + id, "sidebar marks " + r.current);
  await context.close();
});

// Query -> the note that must come first (title > heading > body; prefixes match).
const QUERIES = [
  ["consistent hashing", "consistent-hashing"],
  ["consist hash", "consistent-hashing"],
  ["load balancer", "load-balancers"],
  ["CAP theorem", "cap-theorem"],
  ["graphql", "graphql"],
  ["websocket", "websockets"],
  ["grpc", "grpc-and-protocol-buffers"],
  ["sharding", "database-sharding"],
  ["replication", "database-replication"],
  ["rate limiter", "design-a-rate-limiter"],
  ["tinyurl", "design-a-url-shortener-tinyurl"],
  ["whatsapp", "design-a-chat-system-whatsapp"],
  ["dropbox", "design-a-file-storage-service-dropbox"],
  ["cqrs", "event-sourcing-and-cqrs"],
  ["circuit breaker", "circuit-breaker-and-bulkhead-patterns"],
  ["cdn", "content-delivery-networks-cdns"],
  ["back-of-the-envelope", "back-of-the-envelope-estimation"],
  ["inverted index", "search-and-indexing"],
  ["raft", "distributed-consensus"],
  ["quadtree", "design-a-ride-sharing-service-uber"],
];

/** The results for a query: [note slug, heading id or ""] per result. */
async function results(page, q) {
  await page.fill("#search-input", "");
  await page.fill("#search-input", q);
  await page.waitForSelector("#search-results:not([hidden]) a, #search-results:not([hidden]) .r-empty");
  return page.$$eval("#search-results a", (as) => as.map((a) => a.getAttribute("href").replace(/^#/, "").split("--")));
}

/** Each of the 20 queries on the page at `target`; asserts the note that must come first. */
async function ranksRight(target) {
  const { context, page } = await open(target);
  await page.waitForLoadState("load");
  const wrong = [];
  for (const [q, slug] of QUERIES) {
    const r = await results(page, q);
    if (!r.length || r[0][0] !== slug) wrong.push(`"${q}": first ${r.length ? r[0].join("#") : "(none)"}, want ${slug}`);
  }
  assert(!wrong.length, wrong.join("\n     "));
  await context.close();
}

await test("search: 20 queries on the book, each with the note that must come first", () => ranksRight(INDEX));

await test("search: a title match links the note's top, a heading match its heading, before body matches", async () => {
  const { context, page } = await open(INDEX);
  let r = await results(page, "replication");
  assert(r[0].length === 1, "a title hit links the note itself: " + r[0].join("--"));
  r = await results(page, "inverted index");
  assert(r[0][0] === "search-and-indexing" && r[0][1] === "what-is-an-inverted-index", "a heading hit links its heading: " + r[0].join("--"));
  await context.close();
});

await test("search: the first query loads the manifest and a few pieces, not the whole index", async () => {
  const pieces = readdirSync(path.join(site, "search-index")).length;
  const { context, page } = await open(INDEX);
  assert(!page.requested.some((u) => u.includes("search-index")), "nothing of the index loads before search is used");
  await results(page, "consistent hashing");
  const got = page.requested.filter((u) => u.includes("/search-index"));
  assert(got.some((u) => u.endsWith("/search-index.js")), "manifest loaded");
  assert(got.length >= 2 && got.length < Math.max(6, pieces / 3), `${got.length} of ${pieces + 1} files loaded:\n     ${got.join("\n     ")}`);
  await context.close();
});

// Over HTTP the pieces load with fetch, or, while the page is still being parsed, with a
// synchronous request (Chromium runs network callbacks only after the parser then).
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" };
const server = createServer((req, res) => {
  const file = path.join(site, decodeURIComponent(new URL(req.url, "http://x").pathname));
  let ok = file.startsWith(site);
  try { ok = ok && statSync(file).isFile(); } catch { ok = false; }
  if (!ok) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const HTTP_INDEX = `http://127.0.0.1:${server.address().port}/index.html`;

await test("search over HTTP: the same 20 answers", () => ranksRight(HTTP_INDEX));

await test("search over HTTP answers a query typed while the page is still arriving", async () => {
  const { context, page } = await openPage(browser);
  opened.push(page);
  // Typed the moment the search box shows (a microtask after the page's script reveals it).
  await page.addInitScript(() => {
    const seen = new MutationObserver(() => {
      const input = document.querySelector("#search-input");
      if (!input || input.closest("[hidden]")) return;
      seen.disconnect();
      window.__typed = { state: document.readyState, notes: document.querySelectorAll("article.note").length };
      input.value = "consistent hashing";
      input.dispatchEvent(new Event("input", { bubbles: true }));
      const a = document.querySelector("#search-results a");
      window.__typed.first = a && a.getAttribute("href");
    });
    seen.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["hidden"] });
  });
  await page.goto(HTTP_INDEX);
  const t = await page.evaluate(() => window.__typed);
  assert(t && t.state === "loading" && t.notes === 0, "typed before any note was parsed: " + JSON.stringify(t));
  assert(t.first === "#consistent-hashing", "answered at once, best first: " + JSON.stringify(t));
  await context.close();
});
server.close();

await test("no console errors or failed requests on any page opened", async () => {
  const problems = opened.flatMap((p) => p.problems);
  assert(!problems.length, problems.join("\n     "));
});

await browser.close();
done();
