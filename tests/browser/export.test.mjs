// Offline reading: the exported single file, and the normal build output, opened from file://
// with the network cut (context offline, and every request that is not file: or data: aborted).
//
//   node export.test.mjs file <book.html> <query> <screenshot-dir>
//   node export.test.mjs site <public-dir> <query> <screenshot-dir>
import { launch, openPage, test, assert, done, styled } from "./lib.mjs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [mode, target, query, shots] = process.argv.slice(2);
if (!mode || !target || !query) {
  console.error("usage: export.test.mjs file|site <path> <query> [screenshot-dir]");
  process.exit(2);
}

/** An offline page where anything but file:/data: is aborted and recorded. */
async function offlinePage(browser) {
  const { context, page } = await openPage(browser, { offline: true });
  page.blocked = [];
  page.requests = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
    page.blocked.push(url);
    return route.abort();
  });
  page.on("request", (r) => page.requests.push(r.url()));
  return { context, page };
}

function clean(page) {
  assert(page.blocked.length === 0, "network requests: " + page.blocked.join(", "));
  assert(page.problems.length === 0, "problems: " + page.problems.join("\n"));
}

async function shot(page, name) {
  if (shots) await page.screenshot({ path: path.join(shots, name) });
}

/** Type into the search box and return the hrefs of the results. */
async function search(page, q) {
  await page.fill("#search-input", q);
  await page.waitForSelector("#search-results:not([hidden]) a", { timeout: 5000 });
  return page.$$eval("#search-results a", (as) => as.map((a) => a.getAttribute("href")));
}

/** Whether the element with this id sits near the top of the viewport. */
async function scrolledTo(page, id) {
  // The jump lands before the notes around it are laid out (content-visibility), and their
  // real heights can move the target after it; wait up to 3 s for it to settle in view.
  try {
    await page.waitForFunction((id) => {
      const el = document.getElementById(id);
      if (!el) return false;
      const r = el.getBoundingClientRect();
      return r.top > -5 && r.top < window.innerHeight / 2;
    }, id, { timeout: 3000 });
    return true;
  } catch {
    return false;
  }
}

const browser = await launch();

if (mode === "file") {
  const url = pathToFileURL(path.resolve(target)).href;
  const { context, page } = await offlinePage(browser);
  await page.goto(url, { waitUntil: "load" });

  await test("opens from disk with every stylesheet and script inline", async () => {
    const info = await page.evaluate(() => ({
      sheets: document.styleSheets.length,
      hrefSheets: [...document.styleSheets].filter((s) => s.href).length,
      js: document.documentElement.classList.contains("js"),
      search: !!window.HANDBOOK_SEARCH_INDEX && Object.keys(window.HANDBOOK_SEARCH_PARTS || {}).length > 1,
      notes: document.querySelectorAll("article.note").length,
      bg: getComputedStyle(document.body).backgroundColor,
      font: getComputedStyle(document.body).fontFamily,
    }));
    assert(info.sheets >= 3 && info.hrefSheets === 0, JSON.stringify(info));
    assert(info.js, "app.js did not run");
    assert(info.search, "search index not defined inline");
    assert(info.notes > 1, "notes missing");
    assert(!/Times/.test(info.font), "style.css not applied: " + info.font);
    const st = await styled(page);
    assert(st.hiddenApplied && st.systemFont, "style.css rules not applied");
    await shot(page, "export-top.png");
    clean(page);
  });

  await test("search finds a note and its result jumps inside the file", async () => {
    const hrefs = await search(page, query);
    assert(hrefs.length > 0, "no results for " + query);
    assert(hrefs.every((h) => h.startsWith("#")), "results leave the file: " + hrefs.join(" "));
    await shot(page, "export-search.png");
    await page.click("#search-results a >> nth=0");
    const id = decodeURIComponent(hrefs[0].slice(1));
    await page.waitForFunction((h) => location.hash === h, hrefs[0]);
    assert(await scrolledTo(page, id), "result target #" + id + " not scrolled into view");
    assert(page.url().startsWith("file:"), page.url());
    clean(page);
  });

  await test("a link between notes is an in-page anchor that scrolls to the other note", async () => {
    const link = await page.evaluate(() => {
      for (const a of document.querySelectorAll("article.note .note-body a[href^='#']")) {
        const own = a.closest("article.note").id;
        const id = decodeURIComponent(a.getAttribute("href").slice(1));
        if (id !== own && !id.startsWith(own + "--") && document.getElementById(id)) {
          a.setAttribute("data-test-link", "1");
          return { id, own };
        }
      }
      return null;
    });
    assert(link, "no link between notes found");
    await page.click("[data-test-link]");
    await page.waitForFunction((id) => decodeURIComponent(location.hash.slice(1)) === id, link.id);
    assert(await scrolledTo(page, link.id), "did not scroll to #" + link.id);
    const inside = await page.evaluate((id) => document.getElementById(id).closest("article.note").id, link.id);
    assert(inside !== link.own, "target is in the same note");
    await shot(page, "export-linked-note.png");
    clean(page);
  });

  await test("theme switch changes the colours and is remembered", async () => {
    const before = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.click(".theme-toggle");
    const after = await page.evaluate(() => ({
      theme: document.documentElement.getAttribute("data-theme"),
      bg: getComputedStyle(document.body).backgroundColor,
    }));
    assert(after.theme === "dark", "data-theme is " + after.theme);
    assert(after.bg !== before, "background did not change: " + before);
    await shot(page, "export-dark.png");
    // Chromium hands localStorage writes to its storage service asynchronously: let the choice
    // land before reloading (a reader does not reload within milliseconds of a click).
    await page.waitForFunction(() => localStorage.getItem("handbook-theme") === "dark");
    await page.waitForTimeout(300);
    await page.reload({ waitUntil: "load" });
    const again = await page.evaluate(() => document.documentElement.getAttribute("data-theme"));
    assert(again === "dark", "theme not remembered after reload: " + again);
    await page.click(".theme-toggle");
    clean(page);
  });

  await test("a tag link filters the notes inside the same file", async () => {
    const total = await page.$$eval("article.note", (a) => a.length);
    const href = await page.getAttribute("article.note a.tag >> nth=0", "href");
    assert(href && href.startsWith("?tags="), "tag link is " + href);
    await page.click("article.note a.tag >> nth=0");
    // The link reloads the file with ?tags=...: wait for the new page's filter, not just its URL.
    await page.waitForFunction(() => location.search.includes("tags=") && document.readyState === "complete");
    await page.waitForFunction(() => document.querySelector("article.note.filtered-out"), null, { timeout: 5000 }).catch(() => {});
    const shown = await page.$$eval("article.note:not(.filtered-out)", (a) => a.length);
    assert(shown > 0 && shown < total, `shown ${shown} of ${total}`);
    assert(page.url().startsWith("file:"), page.url());
    clean(page);
  });

  await test("nothing but the file itself was requested", async () => {
    const other = page.requests.filter((u) => !u.startsWith("data:") && u.split(/[?#]/)[0] !== url);
    assert(other.length === 0, "requests: " + other.join(", "));
  });
  await context.close();
} else if (mode === "site") {
  const index = pathToFileURL(path.join(path.resolve(target), "index.html")).href;
  const { context, page } = await offlinePage(browser);
  await page.goto(index, { waitUntil: "load" });

  await test("the built all-notes page works from file:// with styles and search", async () => {
    const st = await styled(page);
    assert(st.links >= 3 && st.loaded === st.links && st.hiddenApplied && st.systemFont, JSON.stringify(st));
    const hrefs = await search(page, query);
    assert(hrefs.length > 0 && hrefs[0].startsWith("#"), hrefs.join(" "));
    clean(page);
  });

  await test("a note page opens from file:// with its navigation and styles", async () => {
    await page.keyboard.press("Escape");
    await page.click("article.note .note-permalink >> nth=0");
    await page.waitForLoadState("load");
    assert(/\/[^/]+\.html$/.test(page.url()) && !page.url().endsWith("/index.html"), page.url());
    const nav = await page.evaluate(() => document.querySelectorAll("#nav-tree a").length);
    assert(nav > 1, "nav.js did not fill the navigation");
    const st = await styled(page);
    assert(st.links >= 3 && st.loaded === st.links && st.hiddenApplied && st.systemFont, JSON.stringify(st));
    await shot(page, "site-note-file.png");
    clean(page);
  });

  await test("search on a note page loads the index from disk and opens another note", async () => {
    const here = page.url();
    const hrefs = await search(page, query);
    assert(hrefs[0].includes(".html"), hrefs[0]);
    await page.click("#search-results a >> nth=0");
    await page.waitForLoadState("load");
    const id = decodeURIComponent(new URL(page.url()).hash.slice(1));
    assert(page.url() !== here, "did not navigate");
    if (id) assert(await page.evaluate((id) => !!document.getElementById(id), id), "no #" + id);
    clean(page);
  });

  await test("links between notes, tags and back to the all-notes page resolve on disk", async () => {
    const cross = await page.evaluate(() => {
      const a = [...document.querySelectorAll(".note-body a")].find((a) => /^[^/:#?]+\.html/.test(a.getAttribute("href") || ""));
      return a ? a.getAttribute("href") : null;
    });
    if (cross) {
      await page.click(`.note-body a[href="${cross}"] >> nth=0`);
      await page.waitForLoadState("load");
      assert(page.url().includes(cross.split("#")[0]), page.url());
    }
    await page.click(".note-meta a.tag >> nth=0");
    await page.waitForLoadState("load");
    assert(page.url().includes("/tags/"), page.url());
    const cards = await page.$$eval(".note-card", (c) => c.length);
    assert(cards > 0, "tag page lists no notes");
    await page.click(".brand");
    await page.waitForLoadState("load");
    assert(page.url().endsWith("/index.html"), page.url());
    clean(page);
  });
  await context.close();
} else {
  console.error("unknown mode " + mode);
  process.exit(2);
}

await browser.close();
done();
