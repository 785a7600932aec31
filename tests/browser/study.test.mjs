// Study mode in headless Chromium, from http:// (a static server on 127.0.0.1) and file://, on
// the built site and in the single-file export: mark as read, progress counts, the unread-only
// filter, continue reading, progress export/import (and refusals), review sessions with an
// injected clock, keys, axe on review.html, and the pages without JavaScript.
// Args: <study site> <exported file> <another book's site>.
import { launch, openPage, test, assert, done, storageSettled } from "./lib.mjs";
import { createServer } from "node:http";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { tmpdir } from "node:os";
import path from "node:path";

const [site, exported, otherSite] = process.argv.slice(2).map((p) => path.resolve(p));
const DAY = 86400000;
const T0 = new Date(2026, 0, 5, 9, 0, 0).getTime();
const tmp = mkdtempSync(path.join(tmpdir(), "study-"));

/** Serve `dir` on 127.0.0.1 at a free port. */
function serve(dir) {
  const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" };
  const server = createServer((req, res) => {
    const p = path.join(dir, decodeURIComponent(new URL(req.url, "http://x").pathname));
    try {
      const body = readFileSync(p.endsWith("/") ? p + "index.html" : p);
      res.writeHead(200, { "content-type": types[path.extname(p)] || "application/octet-stream" });
      res.end(body);
    } catch { res.writeHead(404); res.end(); }
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

const browser = await launch();
const server = await serve(site);
const origins = [
  ["http", (p) => `http://127.0.0.1:${server.address().port}/${p}`],
  ["file", (p) => pathToFileURL(path.join(site, p.split("?")[0])).href + (p.includes("?") ? "?" + p.split("?")[1] : "")],
];

/** A fresh browser profile whose clock reads localStorage.__now (ms) when set. */
async function fresh(opts = {}) {
  const { context, page } = await openPage(browser, opts);
  await context.addInitScript(() => {
    window.HANDBOOK_NOW = () => Number(localStorage.getItem("__now")) || Date.now();
  });
  return { context, page };
}
async function setNow(page, t) { await page.evaluate((t) => localStorage.setItem("__now", String(t)), t); }
function noProblems(page) { assert(page.problems.length === 0, "page problems: " + page.problems.join("; ")); }

/** What the progress UI says. */
async function progress(page) {
  return page.evaluate(() => {
    const t = (s) => { const e = document.querySelector(s); return e ? e.textContent.replace(/\s+/g, " ").trim() : null; };
    const vis = (el) => !!el && el.getClientRects().length > 0;
    return {
      top: t(".study-progress"),
      sections: [...document.querySelectorAll(".read-count")].filter(vis).map((e) => e.textContent.trim()),
      levels: [...document.querySelectorAll(".study-level")].map((e) => e.textContent.replace(/\s+/g, " ").trim()),
      read: [...document.querySelectorAll("article.note[data-read]")].map((a) => a.id || a.dataset.note),
      pressed: [...document.querySelectorAll(".mark-read[aria-pressed=true]")].length,
      visibleNotes: [...document.querySelectorAll("article.note")].filter(vis).map((a) => a.id),
      visibleSidebar: [...document.querySelectorAll(".toc-notes li")].filter(vis).map((li) => li.dataset.note),
      msg: t(".study-msg"),
    };
  });
}

for (const [scheme, at] of origins) {
  await test(`${scheme}: mark and unmark as read, with counts per section, level and book`, async () => {
    const { context, page } = await fresh();
    await page.goto(at("index.html"));
    let p = await progress(page);
    assert(p.top === "0/3 notes read", "top: " + p.top);
    assert(p.sections.join() === "0/2 read,0/1 read", "sections: " + p.sections);
    await page.click("#hashing .mark-read");
    p = await progress(page);
    assert(p.top === "1/3 notes read" && p.read.join() === "hashing" && p.pressed === 1, JSON.stringify(p));
    assert(p.sections.join() === "1/2 read,0/1 read", "sections: " + p.sections);
    assert(p.levels.join("|") === "· Beginner 1/1|· Intermediate 0/1|· Advanced 0/1", "levels: " + p.levels);
    assert(p.msg === "Marked as read: Hashing", "msg: " + p.msg);
    await page.goto(at("hashing.html"));
    p = await progress(page);
    assert(p.top === "1/3 notes read" && p.pressed === 1, "note page: " + JSON.stringify(p));
    const side = await page.$$eval("#nav-tree .read-count", (els) => els.map((e) => e.textContent));
    assert(side.join() === "1/2 read,0/1 read", "note page sidebar: " + side);
    await page.click(".mark-read");
    await page.goto(at("index.html"));
    p = await progress(page);
    assert(p.top === "0/3 notes read" && p.read.length === 0 && p.pressed === 0, "unmarked: " + JSON.stringify(p));
    noProblems(page);
    await context.close();
  });

  await test(`${scheme}: "unread only" hides read notes and lives in the URL`, async () => {
    const { context, page } = await fresh();
    await page.goto(at("index.html"));
    await page.click("#hashing .mark-read");
    await page.check('input[name="unread"]');
    let p = await progress(page);
    assert(p.visibleNotes.join() === "plain,caching", "visible: " + p.visibleNotes);
    assert(!p.visibleSidebar.includes("hashing"), "sidebar: " + p.visibleSidebar);
    assert(page.url().includes("unread=1"), page.url());
    await page.goto(page.url());
    p = await progress(page);
    assert(p.visibleNotes.join() === "plain,caching", "after reload: " + p.visibleNotes);
    assert(await page.isChecked('input[name="unread"]'), "box checked from the URL");
    await page.uncheck('input[name="unread"]');
    p = await progress(page);
    assert(p.visibleNotes.length === 3 && !page.url().includes("unread"), page.url());
    noProblems(page);
    await context.close();
  });

  await test(`${scheme}: "Continue reading" opens the last note at the last position`, async () => {
    const { context, page } = await fresh({ viewport: { width: 1280, height: 700 } });
    const tall = ".note-body { min-height: 2400px; }";
    await page.goto(at("index.html"));
    await page.addStyleTag({ content: tall });
    const y = await page.evaluate(() => { const a = document.getElementById("plain"); return a.getBoundingClientRect().top + scrollY + 900; });
    await page.evaluate((y) => window.scrollTo(0, y), y);
    // The position is saved a moment after scrolling stops: go on once it is stored where the
    // next page reads it.
    const saved = (slug) => Object.keys(localStorage).some((k) => {
      try { const d = JSON.parse(localStorage.getItem(k)); return !!(d && d.last && d.last.slug === slug); } catch (e) { return false; }
    });
    await storageSettled(context, page, at("404.html"), saved, "plain");
    await page.goto(at("index.html"));
    await page.addStyleTag({ content: tall });
    const link = await page.textContent(".study-continue");
    assert(/Continue reading: Plain/.test(link), "link: " + link);
    await page.click(".continue-link");
    await page.waitForTimeout(300);
    const where = await page.evaluate(() => {
      const a = document.getElementById("plain"), probe = Math.max(60, innerHeight * 0.15);
      return { into: probe - a.getBoundingClientRect().top };
    });
    assert(Math.abs(where.into - (900 + Math.max(60, 700 * 0.15))) < 60, "landed " + where.into + "px into the note");
    noProblems(page);
    await context.close();
  });

  await test(`${scheme}: progress export and import, refusing bad and foreign files`, async () => {
    const { context, page } = await fresh();
    await page.goto(at("index.html"));
    await page.click("#caching .mark-read");
    await setNow(page, T0);
    await page.goto(at("review.html"));
    await page.keyboard.press("Space");
    await page.keyboard.press("3");
    await page.goto(at("index.html"));
    const [dl] = await Promise.all([page.waitForEvent("download"), page.click(".progress-export")]);
    const file = path.join(tmp, `${scheme}-progress.json`);
    await dl.saveAs(file);
    const saved = JSON.parse(readFileSync(file, "utf8"));
    assert(saved.format === "handbook-progress" && saved.version === 1 && /^test-book-/.test(saved.book), JSON.stringify(saved));
    assert(Object.keys(saved.read).join() === "caching" && Object.keys(saved.cards).length === 1, JSON.stringify(saved));
    // Two books opened the same way keep their own progress.
    const other = await context.newPage();
    await other.goto(scheme === "file" ? pathToFileURL(path.join(otherSite, "index.html")).href : at("index.html").replace(/index\.html$/, "index.html"));
    if (scheme === "file") {
      assert((await other.textContent(".study-progress")).replace(/\s+/g, " ").trim() === "0/1 notes read", "the other book starts at 0");
      await other.click("article.note .mark-read");
      const [odl] = await Promise.all([other.waitForEvent("download"), other.click(".progress-export")]);
      await odl.saveAs(path.join(tmp, "other.json"));
    }
    await other.close();
    await page.evaluate(() => { for (const k of Object.keys(localStorage)) if (k.startsWith("handbook-study:")) localStorage.removeItem(k); });
    await page.reload();
    assert((await progress(page)).top === "0/3 notes read", "cleared");
    const bad = [
      ["not-json.json", "{ nope", "This file is not JSON; nothing was imported."],
      ["empty.json", "{}", "This is not a handbook progress file; nothing was imported."],
      ["damaged.json", JSON.stringify({ ...saved, cards: { x: { due: "soon" } } }), "This progress file is damaged (card x); nothing was imported."],
    ];
    if (scheme === "file") bad.push(["other.json", readFileSync(path.join(tmp, "other.json"), "utf8"), "This progress file is for another book (other-book-"]);
    for (const [name, body, want] of bad) {
      writeFileSync(path.join(tmp, name), body);
      await page.setInputFiles(".progress-file", path.join(tmp, name));
      await page.waitForFunction(() => document.querySelector(".study-msg").textContent.length > 0);
      const p = await progress(page);
      assert(p.msg.startsWith(want), `${name}: ${p.msg}`);
      assert(p.top === "0/3 notes read", `${name} changed nothing`);
      await page.evaluate(() => { document.querySelector(".study-msg").textContent = ""; });
    }
    await page.setInputFiles(".progress-file", file);
    await page.waitForFunction(() => document.querySelector(".study-msg").textContent.includes("imported"));
    const p = await progress(page);
    assert(p.top === "1/3 notes read" && p.read.join() === "caching", JSON.stringify(p));
    assert(p.msg === "Progress imported: 1 notes read, 1 cards reviewed.", p.msg);
    noProblems(page);
    await context.close();
  });

  await test(`${scheme}: a review session schedules by SM-2 with the clock injected, keys 1-4 and Space`, async () => {
    const { context, page } = await fresh();
    await page.goto(at("review.html"));
    await setNow(page, T0);
    await page.reload();
    // The session is drawn by a deferred script: wait for it rather than read too early under load.
    const status = async () => {
      await page.waitForFunction(() => /due/.test((document.querySelector(".review-status") || {}).textContent || ""));
      return (await page.textContent(".review-status")).trim();
    };
    assert((await status()).startsWith("4 cards due today (4 new) · 4 in this selection"), await status());
    assert(!(await page.isVisible(".review-a")), "answer hidden first");
    await page.keyboard.press("Space");
    assert(await page.isVisible(".review-a"), "Space reveals the answer");
    const labels = await page.$$eval(".grade", (bs) => bs.map((b) => b.textContent.replace(/\s+/g, " ").trim()));
    assert(labels.join("|") === "Again 1 day 1|Hard 1 day 2|Good 1 day 3|Easy 1 day 4", labels.join("|"));
    const first = await page.getAttribute(".review-card", "data-card-id");
    await page.keyboard.press("3");
    const state = async (id) => page.evaluate((id) => {
      const k = Object.keys(localStorage).find((k) => k.startsWith("handbook-study:"));
      return JSON.parse(localStorage.getItem(k)).cards[id];
    }, id);
    let s = await state(first);
    assert(s.ivl === 1 && s.due === T0 + DAY && s.ef === 2.5 && s.reps === 1, JSON.stringify(s));
    // Again puts the card back into this session.
    const second = await page.getAttribute(".review-card", "data-card-id");
    await page.keyboard.press("Space"); await page.keyboard.press("1");
    s = await state(second);
    assert(s.reps === 0 && s.lapses === 1 && s.ivl === 1, JSON.stringify(s));
    for (let i = 0; i < 3; i++) { await page.keyboard.press("Space"); await page.keyboard.press("3"); }
    const done1 = (await page.textContent(".review-done")).trim();
    assert(done1.startsWith("Done for today. The next card is due in 1 day"), done1);
    // A day later: every card is due again; Good now gives 6 days, Easy 6 days with more ease.
    await setNow(page, T0 + DAY);
    await page.reload();
    assert((await status()).startsWith("4 cards due today · 4 in this selection"), await status());
    await page.keyboard.press("Space");
    const again = await page.$$eval(".grade-ivl", (xs) => xs.map((x) => x.textContent));
    assert(again.join() === "1 day,6 days,6 days,6 days", again.join());
    const id = await page.getAttribute(".review-card", "data-card-id");
    await page.click(".grade-4");
    s = await state(id);
    assert(s.ivl === 6 && s.ef === 2.6 && s.due === T0 + 7 * DAY, JSON.stringify(s));
    // Filters narrow the session; a select takes keys without grading.
    await page.selectOption('select[name="level"]', "advanced");
    assert((await status()).includes("1 in this selection"), await status());
    assert(page.url().includes("level=advanced"), page.url());
    await page.focus('select[name="level"]');
    await page.keyboard.press("Space");
    assert(!(await page.isVisible(".review-a")), "Space in a select does not reveal");
    noProblems(page);
    await context.close();
  });

  await test(`${scheme}: axe finds nothing on review.html, asked and answered`, async () => {
    const { context, page } = await fresh();
    await page.goto(at("review.html"));
    const axe = readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
    for (const step of ["question", "answer"]) {
      if (step === "answer") await page.keyboard.press("Space");
      const before = page.problems.length;
      await page.addScriptTag({ content: axe });
      const r = await page.evaluate(async () => axe.run(document, { resultTypes: ["violations"], preload: false }));
      page.problems.length = before;
      assert(r.violations.length === 0, step + ": " + r.violations.map((v) => v.id + " " + v.nodes.map((n) => n.target).join(",")).join("; "));
    }
    await context.close();
  });
}

await test("file: the export's Review view runs over the cards in the file", async () => {
  const { context, page } = await fresh();
  const url = pathToFileURL(exported).href;
  await page.goto(url);
  await setNow(page, T0);
  assert(await page.getAttribute(".review-link", "href") === "#review", "the review link stays in the file");
  assert(await page.getAttribute(".review-top", "href") === "#review", "the top link too");
  assert(!(await page.isVisible("#review")), "hidden until asked for");
  assert(!(await page.isVisible(".review-status")), "no session drawn yet");
  await page.click(".review-link");
  assert(await page.isVisible("#review"), "shown at #review");
  assert(!(await page.isVisible("#hashing")), "the notes step aside");
  const st = (await page.textContent(".review-status")).trim();
  assert(st.startsWith("4 cards due today (4 new)"), st);
  await page.keyboard.press("Space");
  await page.keyboard.press("4");
  assert((await page.textContent(".review-status")).includes("1 reviewed"), "graded");
  await page.goto(url + "?level=advanced#review");
  assert((await page.textContent(".review-status")).includes("1 in this selection"), "filters apply");
  await page.goto(url);
  assert(await page.isVisible("#hashing") && !(await page.isVisible("#review")), "back to the notes");
  await page.click("#plain .mark-read");
  assert((await progress(page)).top === "1/3 notes read", "marking works in the export");
  noProblems(page);
  await context.close();
});

await test("without JavaScript the pages still read, cards open as <details>", async () => {
  const { context, page } = await openPage(browser);
  await context.close();
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const p = await ctx.newPage();
  for (const url of [origins[1][1]("index.html"), origins[1][1]("hashing.html"), pathToFileURL(exported).href]) {
    await p.goto(url);
    assert(!(await p.isVisible(".mark-read")) && !(await p.isVisible(".study-bar")), url + ": no dead controls");
    assert(!(await p.isVisible(".card-a >> nth=0")), url + ": answer folded");
    await p.click(".card > summary >> nth=0");
    assert(await p.isVisible(".card-a >> nth=0"), url + ": answer opens");
  }
  await p.goto(origins[1][1]("review.html"));
  const text = await p.textContent(".card-list");
  assert(text.includes("What does consistent hashing minimise?") && text.includes("Open a question"), "review.html lists the cards");
  assert(!(await p.isVisible(".review-filters")) && !(await p.isVisible("#review")), "no session controls without JS");
  await ctx.close();
});

server.close();
await browser.close();
done();
