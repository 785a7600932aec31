// The reader's experience of a built book, in headless Chromium: filters, search, theme, drawer, no-JS, axe.
// usage: node reader.test.mjs <built site folder> [note slug]
// SHOTS=<folder> also saves screenshots of both page types at desktop and phone widths, light and dark.
import { launch, openPage, test, assert, done, storageSettled } from "./lib.mjs";
import { pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";
import path from "node:path";

const site = path.resolve(process.argv[2] || "../../public");
const noteSlug = process.argv[3] || "consistent-hashing";
const url = (p) => pathToFileURL(path.join(site, p)).href;
const INDEX = url("index.html"), NOTE = url(noteSlug + ".html");
const PHONE = { width: 390, height: 844 };
const browser = await launch();
const pagesOpened = [];

async function open(target, opts = {}) {
  const { context, page } = await openPage(browser, opts);
  pagesOpened.push(page);
  await page.goto(target);
  return { context, page };
}

/** Which notes the page shows and what the filter UI says, read from the DOM. */
async function shown(page) {
  return page.evaluate(() => {
    const vis = (el) => !!el && el.getClientRects().length > 0;
    const notes = [...document.querySelectorAll("article.note")];
    return {
      total: notes.length,
      visible: notes.filter(vis).map((n) => n.id),
      sidebar: [...document.querySelectorAll(".toc-notes li")].filter(vis).map((li) => li.dataset.note),
      count: +document.querySelector("#filter-count").textContent,
      sectionsShown: [...document.querySelectorAll(".book-section")].filter(vis).length,
      noResults: vis(document.querySelector(".no-results")),
      query: location.search,
    };
  });
}

/** The notes' facets as the page's data attributes give them (the filter's input, not its output). */
async function facts(page) {
  return page.evaluate(() => [...document.querySelectorAll("article.note")].map((n) => ({
    id: n.id, level: n.dataset.level, yoe: n.dataset.yoe, tags: n.dataset.tags.trim().split(/\s+/),
  })));
}

const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

await test("all-notes page: every note visible before filtering, no JS errors", async () => {
  const { context, page } = await open(INDEX);
  const s = await shown(page);
  assert(s.total >= 10, "expected the real book, got " + s.total + " notes");
  assert(s.visible.length === s.total && s.count === s.total, `visible ${s.visible.length}, count ${s.count}, total ${s.total}`);
  assert(!(await page.isHidden(".filters")), "filters shown with JS");
  await context.close();
});

await test("level filter shows exactly the notes of that level, sidebar and count follow, URL records it", async () => {
  const { context, page } = await open(INDEX);
  const all = await facts(page);
  for (const level of ["advanced", "beginner"]) {
    await page.click(`.chip:has(input[value="${level}"])`);
    const s = await shown(page);
    const want = all.filter((n) => n.level === level).map((n) => n.id);
    assert(want.length > 0 && want.length < all.length, "fixture: level " + level + " should split the book");
    assert(same(s.visible, want), `${level}: visible ${s.visible} != ${want}`);
    assert(same(s.sidebar, want), `${level}: sidebar ${s.sidebar} != ${want}`);
    assert(s.count === want.length, `count ${s.count} != ${want.length}`);
    assert(s.query.includes("level=" + level), "URL " + s.query);
    await page.click(`.chip:has(input[value="${level}"])`);
  }
  const s = await shown(page);
  assert(s.visible.length === all.length && s.query === "", "unchecking restores all and clears the URL: " + s.query);
  await context.close();
});

await test("level and experience combine; sections with no match are hidden; no-results message", async () => {
  const { context, page } = await open(INDEX);
  const all = await facts(page);
  const yoe = all.find((n) => n.level === "intermediate").yoe;
  await page.click('.chip:has(input[value="intermediate"])');
  await page.click(`.chip:has(input[name="yoe"][value="${yoe}"])`);
  const want = all.filter((n) => n.level === "intermediate" && n.yoe === yoe).map((n) => n.id);
  let s = await shown(page);
  assert(same(s.visible, want), `visible ${s.visible} != ${want}`);
  assert(s.sectionsShown < (await page.locator(".book-section").count()), "some section should be hidden");
  const levelCount = await page.textContent('.chip:has(input[value="intermediate"]) .chip-n');
  assert(+levelCount === want.length, `intermediate chip count ${levelCount} != ${want.length}`);
  // A combination nothing matches.
  const none = ["0-2", "2-4", "4-7", "7+"].find((y) => !all.some((n) => n.level === "advanced" && n.yoe === y) && all.some((n) => n.yoe === y));
  if (none) {
    await page.click('.chip:has(input[value="intermediate"])');
    await page.click('.chip:has(input[value="advanced"])');
    await page.click(`.chip:has(input[name="yoe"][value="${yoe}"])`);
    await page.click(`.chip:has(input[name="yoe"][value="${none}"])`);
    s = await shown(page);
    assert(s.visible.length === 0 && s.noResults && s.count === 0, "expected no results: " + JSON.stringify(s));
    await page.click(".no-results .filter-reset");
    s = await shown(page);
    assert(s.visible.length === all.length && s.query === "", "reset from the empty state");
  }
  await context.close();
});

/** Two tags that share a note but not every note: any != all. */
function twoTags(all) {
  const count = {};
  all.forEach((n) => n.tags.forEach((t) => (count[t] = (count[t] || 0) + 1)));
  for (const n of all) for (const a of n.tags) for (const b of n.tags) {
    if (a < b && count[a] > 1 && count[b] > 1) {
      const any = all.filter((x) => x.tags.includes(a) || x.tags.includes(b)).map((x) => x.id);
      const both = all.filter((x) => x.tags.includes(a) && x.tags.includes(b)).map((x) => x.id);
      if (any.length > both.length) return { a, b, any, both };
    }
  }
  throw new Error("fixture: no two overlapping tags");
}

await test("tags filter: any and all, chosen tags removable, tag finder", async () => {
  const { context, page } = await open(INDEX);
  const all = await facts(page);
  const { a, b, any, both } = twoTags(all);
  await page.click(".tag-menu-btn");
  await page.fill("#tag-find", a);
  await page.waitForFunction((a) => [...document.querySelectorAll(".tag-opt")].filter((o) => !o.hidden).some((o) => o.querySelector("input").value === a), a);
  await page.check(`.tag-opt input[value="${a}"]`);
  await page.fill("#tag-find", "");
  await page.check(`.tag-opt input[value="${b}"]`);
  await page.keyboard.press("Escape");
  let s = await shown(page);
  assert(same(s.visible, any), `any: ${s.visible} != ${any}`);
  assert(s.query.includes("tags=") && s.query.includes(a) && s.query.includes(b), "URL " + s.query);
  await page.click('.tag-mode label:has(input[value="all"])');
  s = await shown(page);
  assert(same(s.visible, both), `all: ${s.visible} != ${both}`);
  assert(s.query.includes("tagmode=all"), "URL " + s.query);
  assert((await page.locator(".tag-chip").count()) === 2, "two chosen-tag chips");
  await page.click(`.tag-chip[data-tag="${b}"]`);
  s = await shown(page);
  const onlyA = all.filter((n) => n.tags.includes(a)).map((n) => n.id);
  assert(same(s.visible, onlyA), `after removing ${b}: ${s.visible} != ${onlyA}`);
  await context.close();
});

await test("filters restore from the URL (a shared link)", async () => {
  const probe = await open(INDEX);
  const all = await facts(probe.page);
  const { a, b, both } = twoTags(all);
  await probe.context.close();
  const levels = [...new Set(all.filter((n) => both.includes(n.id)).map((n) => n.level))];
  const { context, page } = await open(INDEX + `?level=${levels.join(",")}&tags=${a},${b}&tagmode=all`);
  const s = await shown(page);
  assert(same(s.visible, both), `restored: ${s.visible} != ${both}`);
  for (const l of levels) assert(await page.isChecked(`input[name="level"][value="${l}"]`), l + " checked");
  assert(await page.isChecked(`input[name="tag"][value="${a}"]`), "tag checked");
  assert(await page.isChecked('input[name="tagmode"][value="all"]'), "all mode checked");
  assert(s.count === both.length, "count restored");
  // The filtered sidebar shows section counts that match.
  const sideCounts = await page.$$eval(".toc-section:not([hidden]) .count", (els) => els.reduce((t, e) => t + +e.textContent, 0));
  assert(sideCounts === both.length, `sidebar counts ${sideCounts}`);
  await context.close();
});

/** A word from a note's body, under a heading, that occurs in no other note: the search target. */
async function bodyTerm(page) {
  return page.evaluate((slug) => {
    const words = (t) => t.toLowerCase().match(/[a-z][a-z-]{6,}[a-z]/g) || [];
    const notes = [...document.querySelectorAll("article.note")];
    const df = {};
    for (const n of notes) for (const w of new Set(words(n.querySelector(".note-body").textContent))) df[w] = (df[w] || 0) + 1;
    const note = document.getElementById(slug);
    const title = note.querySelector(".note-title").textContent.toLowerCase();
    // On the all-notes page a note's ## and ### are h4 and h5 (under the part's h2 and the note's h3).
    for (const h of note.querySelectorAll(".note-body h4[id], .note-body h5[id]")) {
      let el = h.nextElementSibling;
      while (el && !/^H[45]$/.test(el.tagName)) {
        if (el.tagName === "P") {
          const w = words(el.textContent).find((w) => df[w] === 1 && !title.includes(w) && !h.textContent.toLowerCase().includes(w));
          if (w) return { word: w, heading: h.id, headingText: h.textContent.replace(/#$/, "").trim() };
        }
        el = el.nextElementSibling;
      }
    }
    return null;
  }, noteSlug);
}

await test("search: a word from a note's body finds that note and jumps to its heading (all-notes page)", async () => {
  const { context, page } = await open(INDEX);
  const t = await bodyTerm(page);
  assert(t, "no distinctive body word found in " + noteSlug);
  await page.click("#search-input");
  await page.keyboard.type(t.word, { delay: 10 });
  await page.waitForSelector("#search-results a");
  const first = await page.getAttribute("#search-results li:first-child a", "href");
  assert(first === "#" + t.heading, `first result ${first}, want #${t.heading} (word ${t.word})`);
  const snip = await page.textContent("#search-results li:first-child mark");
  assert(snip.toLowerCase() === t.word, "snippet marks the match: " + snip);
  await page.keyboard.press("Enter");
  await page.waitForFunction((h) => location.hash === "#" + h, t.heading);
  const pos = await page.evaluate((h) => {
    const el = document.getElementById(h);
    return { top: el.getBoundingClientRect().top, focused: document.activeElement === el, hidden: !!document.querySelector("#search-results:not([hidden])") };
  }, t.heading);
  assert(pos.top >= 0 && pos.top < 200, "heading scrolled into view, top " + pos.top);
  assert(pos.focused, "focus moved to the heading");
  assert(!pos.hidden, "results closed");
  await context.close();
});

await test("search: on a note page, title matches rank first and a body word jumps to the heading on its page", async () => {
  const probe = await open(INDEX);
  const t = await bodyTerm(probe.page);
  const title = await probe.page.textContent(`#${noteSlug} .note-title`);
  await probe.context.close();
  const { context, page } = await open(url("index.html").replace("index.html", (await firstOtherNote()) + ".html"));
  await page.fill("#search-input", title.trim());
  await page.waitForSelector("#search-results a");
  const top = await page.getAttribute("#search-results li:first-child a", "href");
  assert(top.endsWith(noteSlug + ".html"), "title search ranks the note first: " + top);
  await page.fill("#search-input", t.word);
  await page.waitForFunction((w) => (document.querySelector("#search-results mark") || {}).textContent?.toLowerCase() === w, t.word);
  await page.keyboard.press("ArrowDown");
  const focused = await page.evaluate(() => document.activeElement.getAttribute("href"));
  assert(focused.endsWith(`${noteSlug}.html#${t.heading.replace(noteSlug + "--", "")}`), "arrow moves into results: " + focused);
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  assert(page.url().endsWith(`${noteSlug}.html#${t.heading.replace(noteSlug + "--", "")}`), "navigated to " + page.url());
  const top2 = await page.evaluate((h) => document.getElementById(h).getBoundingClientRect().top, t.heading.replace(noteSlug + "--", ""));
  assert(top2 >= 0 && top2 < 200, "heading in view: " + top2);
  await context.close();
});

async function firstOtherNote() {
  const html = readFileSync(path.join(site, "nav.js"), "utf8");
  const nav = JSON.parse(html.replace(/^window\.HANDBOOK_NAV=/, "").replace(/;\s*$/, ""));
  return nav.flatMap((s) => s.n.map((n) => n[0])).find((s) => s !== noteSlug);
}

await test("search: a hidden (filtered-out) note is revealed when a result jumps to it", async () => {
  const probe = await open(INDEX);
  const all = await facts(probe.page);
  const t = await bodyTerm(probe.page);
  await probe.context.close();
  const other = ["beginner", "intermediate", "advanced"].find((l) => l !== all.find((n) => n.id === noteSlug).level);
  const { context, page } = await open(INDEX + "?level=" + other);
  assert((await shown(page)).visible.indexOf(noteSlug) < 0, "note filtered out first");
  await page.fill("#search-input", t.word);
  await page.waitForSelector("#search-results a");
  await page.keyboard.press("Enter");
  await page.waitForFunction((h) => location.hash === "#" + h, t.heading);
  const s = await shown(page);
  assert(s.visible.includes(noteSlug), "note shown again");
  await context.close();
});

await test("'/' focuses search only when no field has focus", async () => {
  const { context, page } = await open(INDEX);
  await page.keyboard.press("/");
  assert(await page.evaluate(() => document.activeElement.id === "search-input"), "/ focuses search");
  assert((await page.inputValue("#search-input")) === "", "the slash is not typed into the box");
  await page.keyboard.press("Escape");
  await page.click(".tag-menu-btn");
  await page.focus("#tag-find");
  await page.keyboard.type("a/b");
  assert(await page.evaluate(() => document.activeElement.id === "tag-find"), "focus stays in the tag finder");
  assert((await page.inputValue("#tag-find")) === "a/b", "slash typed into the field");
  await context.close();
});

await test("theme toggle persists across reload, applied before scripts run (no flash)", async () => {
  const { context, page } = await open(NOTE, { colorScheme: "light" });
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await bg();
  await page.click(".theme-toggle");
  assert((await page.getAttribute("html", "data-theme")) === "dark", "dark after click");
  const dark = await bg();
  assert(dark !== light, "background changed");
  assert((await page.getAttribute(".theme-toggle", "aria-label")).includes("light"), "label says what it does next");
  // Reload only once the choice is stored where a reload reads it.
  const stored = (t) => storageSettled(context, page, NOTE, (t) => localStorage.getItem("handbook-theme") === t, t);
  await stored("dark");
  // On reload, record the theme the moment <body> is parsed: before app.js (deferred) can run.
  await page.addInitScript(() => {
    new MutationObserver((m, o) => {
      if (document.body) { window.__themeAtBody = document.documentElement.getAttribute("data-theme"); window.__appRan = document.querySelector(".theme-toggle") && !document.querySelector(".theme-toggle").hidden; o.disconnect(); }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.reload();
  const early = await page.evaluate(() => ({ theme: window.__themeAtBody, app: window.__appRan }));
  assert(early.theme === "dark" && !early.app, "dark set before the body and app.js: " + JSON.stringify(early));
  assert((await bg()) === dark, "dark background after reload");
  await page.goto(INDEX);
  assert((await page.getAttribute("html", "data-theme")) === "dark", "dark on other pages too");
  await page.click(".theme-toggle");
  await stored("light");
  await page.reload();
  assert((await page.getAttribute("html", "data-theme")) === "light", "light choice persists too");
  await context.close();
  const sys = await open(NOTE, { colorScheme: "dark" });
  assert((await sys.page.getAttribute("html", "data-theme")) === null, "no stored choice: follows the system");
  assert((await sys.page.evaluate(() => getComputedStyle(document.body).backgroundColor)) === dark, "system dark applies");
  await sys.context.close();
});

await test("phone: the drawer opens and closes (button, Escape, scrim, link), search opens from its button", async () => {
  for (const target of [INDEX, NOTE]) {
    const { context, page } = await open(target, { viewport: PHONE });
    const inView = () => page.evaluate(() => {
      const r = document.querySelector("#sidebar").getBoundingClientRect();
      return r.right > 10 && getComputedStyle(document.querySelector("#sidebar")).visibility === "visible";
    });
    assert(await page.isVisible(".nav-toggle"), "menu button shown on phones");
    assert(!(await inView()), "drawer closed at first");
    await page.click(".nav-toggle");
    await page.waitForTimeout(300);
    assert(await inView(), "drawer opened");
    assert((await page.getAttribute(".nav-toggle", "aria-expanded")) === "true", "aria-expanded");
    assert(await page.evaluate(() => document.querySelector("#sidebar").contains(document.activeElement)), "focus moved into the drawer");
    await page.keyboard.press("Escape");
    await page.waitForTimeout(300);
    assert(!(await inView()), "Escape closes");
    assert(await page.evaluate(() => document.activeElement.classList.contains("nav-toggle")), "focus back on the button");
    await page.click(".nav-toggle");
    await page.waitForTimeout(300);
    await page.mouse.click(380, 400);
    await page.waitForTimeout(300);
    assert(!(await inView()), "tapping outside closes");
    await page.click(".nav-toggle");
    await page.waitForTimeout(300);
    const link = page.locator("#sidebar .toc-notes a").nth(2);
    if (!(await link.isVisible())) await page.locator("#sidebar summary").nth(0).click();
    await page.locator("#sidebar .toc-notes a").nth(2).click();
    await page.waitForTimeout(300);
    assert(!(await inView()), "following a link closes");
    // Search on phones sits behind a button.
    assert(!(await page.isVisible("#search-input")), "search box folded away");
    await page.click(".search-toggle");
    assert(await page.evaluate(() => document.activeElement.id === "search-input"), "search button focuses the box");
    await page.keyboard.type("cache");
    await page.waitForSelector("#search-results a");
    const box = await page.locator("#search-results").boundingBox();
    assert(box.x >= 0 && box.x + box.width <= PHONE.width, "results fit the phone screen");
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(wide <= PHONE.width, "no sideways scrolling of the page: " + wide);
    await context.close();
  }
});

await test("without JavaScript everything is visible and linked", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: PHONE });
  const page = await context.newPage();
  await page.goto(INDEX);
  const s = await page.evaluate(() => ({
    notes: [...document.querySelectorAll("article.note")].filter((n) => n.getClientRects().length).length,
    total: document.querySelectorAll("article.note").length,
    sidebar: document.querySelector("#sidebar").getBoundingClientRect().left >= 0 && getComputedStyle(document.querySelector("#sidebar")).visibility === "visible",
    links: document.querySelectorAll("#sidebar a[href^='#']").length,
  }));
  assert(s.notes === s.total, "all notes visible");
  assert(s.sidebar && s.links > s.total, "contents visible and linked without JS");
  assert(await page.isHidden(".filters"), "filters need JS, so they stay hidden");
  await page.goto(NOTE);
  assert(await page.isVisible(".page-toc"), "note TOC visible");
  assert(await page.isVisible(".prev-next"), "prev/next visible");
  await context.close();
});

await test("per-note page: own contents, prev/next, nav tree from nav.js with the current note marked", async () => {
  const { context, page } = await open(NOTE);
  assert(await page.isVisible(".page-toc a"), "table of contents");
  assert((await page.locator(".prev-next a").count()) >= 1, "prev/next");
  const cur = await page.getAttribute("#nav-tree a[aria-current]", "href");
  assert(cur.endsWith(noteSlug + ".html"), "current note marked: " + cur);
  // The notes that link here depend on the note, not on the size of the book: left out.
  const html = readFileSync(path.join(site, noteSlug + ".html"), "utf8").replace(/<aside class="backlinks"[\s\S]*?<\/aside>/, "");
  const noteLinks = (html.match(/href="[a-z0-9-]+\.html"/g) || []).length;
  assert(noteLinks < 10, "note page does not list every note itself: " + noteLinks + " note links");
  await context.close();
});

await test("note page: ← and → open the previous and next note, but not from a code box or the search field", async () => {
  const { context, page } = await open(NOTE);
  const prev = await page.getAttribute("a[rel=prev]", "href");
  const next = await page.getAttribute("a[rel=next]", "href");
  // Focus on something that scrolls sideways keeps the arrows for scrolling.
  await page.focus("pre[tabindex]");
  await page.keyboard.press("ArrowRight");
  await page.waitForTimeout(200);
  assert(page.url().endsWith(noteSlug + ".html"), "stays while a code box has focus: " + page.url());
  await page.focus("#search-input");
  await page.keyboard.press("ArrowLeft");
  await page.waitForTimeout(200);
  assert(page.url().endsWith(noteSlug + ".html"), "stays while typing: " + page.url());
  await page.evaluate(() => document.activeElement.blur());
  // Each page is let finish loading (favicon included) before the next key leaves it.
  for (const [key, to] of [["ArrowRight", next], ["ArrowLeft", noteSlug + ".html"], ["ArrowLeft", prev]]) {
    await Promise.all([page.waitForURL("**/" + to, { waitUntil: "load" }), page.keyboard.press(key)]);
    await page.waitForTimeout(150);
  }
  await context.close();
});

await test("wide tables and diagrams scroll inside their box on phones, never the page", async () => {
  for (const target of [INDEX, NOTE]) {
    const { context, page } = await open(target, { viewport: PHONE });
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(w <= PHONE.width, `${target}: page is ${w}px wide`);
    // On the all-notes page a note's boxes are fitted when the note is laid out (content-visibility):
    // each box that is not ready yet is brought on screen first, as a reader reaches it.
    const bad = await page.evaluate(async () => {
      const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      let bad = 0;
      for (const e of document.querySelectorAll(".table-wrap, figure.diagram, .code-block pre")) {
        if (e.scrollWidth <= e.clientWidth + 1 || e.hasAttribute("tabindex")) continue;
        e.scrollIntoView();
        await frame(); await frame();
        if (e.scrollWidth > e.clientWidth + 1 && !e.hasAttribute("tabindex")) bad++;
      }
      return bad;
    });
    assert(bad === 0, bad + " scrolling boxes cannot be reached by keyboard");
    await context.close();
  }
});

const axeSource = readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
/** Run axe on the page (or the element `pick` selects). axe reads stylesheets with XHR, which file:// refuses:
    those console messages are axe's own, so problems recorded during the scan are dropped. */
async function runAxe(page, selector) {
  const before = page.problems.length;
  await page.addScriptTag({ content: axeSource });
  const r = await page.evaluate(async (sel) => axe.run(sel ? document.querySelector(sel) : document, { resultTypes: ["violations"], preload: false }), typeof selector === "string" ? selector : null);
  page.problems.length = before;
  return r;
}
for (const [name, target] of [["all-notes page", INDEX], ["note page", NOTE]]) {
  for (const scheme of ["light", "dark"]) {
    await test(`axe: no serious or critical violations on the ${name} (${scheme})`, async () => {
      const { context, page } = await open(target, { colorScheme: scheme });
      if (target === INDEX) { // scan the filter panel with a tag chosen and the search results open too
        await page.click(".chip:has(input[value='beginner'])");
        await page.click(".chip:has(input[value='beginner'])");
      }
      const r = await runAxe(page);
      const bad = r.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      const all = r.violations.map((v) => `${v.impact} ${v.id} (${v.nodes.length})`);
      console.log(`     axe ${name} ${scheme}: ${all.length ? all.join(", ") : "no violations"}`);
      for (const v of r.violations) console.log(`       ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
      assert(!bad.length, bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n       ` + v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " " + n.failureSummary.replace(/\s+/g, " ")).join("\n       ")).join("\n     "));
      await context.close();
    });
  }
}

await test("axe: search results and the open tag menu have no serious or critical violations", async () => {
  const { context, page } = await open(NOTE, { viewport: PHONE, colorScheme: "dark" });
  await page.click(".search-toggle");
  await page.keyboard.type("replication");
  await page.waitForSelector("#search-results a");
  let r = await runAxe(page, ".topbar");
  let bad = r.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert(!bad.length, bad.map((v) => v.id + " " + v.nodes.map((n) => n.target.join(" ")).join(", ")).join("; "));
  await context.close();
  const idx = await open(INDEX, { colorScheme: "light" });
  await idx.page.click(".tag-menu-btn");
  await idx.page.locator(".tag-opt input").first().check();
  r = await runAxe(idx.page, ".filters");
  bad = r.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert(!bad.length, bad.map((v) => v.id + " " + v.nodes.map((n) => n.target.join(" ")).join(", ")).join("; "));
  await idx.context.close();
});

if (process.env.SHOTS) {
  await test("screenshots", async () => {
    for (const [name, target] of [["index", INDEX], ["note", NOTE]]) {
      for (const [dev, viewport] of [["desktop", { width: 1280, height: 900 }], ["phone", PHONE]]) {
        for (const scheme of ["light", "dark"]) {
          const { context, page } = await open(target, { viewport, colorScheme: scheme });
          await page.screenshot({ path: `${process.env.SHOTS}/${name}-${dev}-${scheme}.png` });
          await context.close();
        }
      }
    }
  });
}

await test("no console errors or failed requests on any page opened", async () => {
  const problems = pagesOpened.flatMap((p) => p.problems);
  assert(!problems.length, problems.join("\n     "));
});

await browser.close();
done();
