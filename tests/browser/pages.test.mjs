// GitHub Pages layout in a real browser: the site served under a sub-path by the Rust test's
// server; the 404 page opened from a deep missing path must load its styles and scripts.
//
//   node pages.test.mjs <site-url ending in /> <deep missing path> [screenshot-dir]
import { launch, openPage, test, assert, done, styled } from "./lib.mjs";
import path from "node:path";

const [base, deep, shots] = process.argv.slice(2);
if (!base || !deep) {
  console.error("usage: pages.test.mjs <site-url> <deep-missing-path> [screenshot-dir]");
  process.exit(2);
}
const origin = new URL(base).origin;

/** Page problems, without the one console line for the missing document itself. */
function problems(page, allow404) {
  let skipped = 0;
  return page.problems.filter((p) => {
    if (allow404 && !skipped && /status of 404/.test(p)) { skipped++; return false; }
    return true;
  });
}

const browser = await launch();
const { context, page } = await openPage(browser);
const responses = [];
page.on("response", (r) => responses.push([r.status(), r.url()]));

await test("the 404 page at a deep missing path loads its stylesheets and scripts", async () => {
  const resp = await page.goto(origin + deep, { waitUntil: "load" });
  assert(resp.status() === 404, "status " + resp.status());
  const st = await styled(page);
  assert(st.links >= 3 && st.withRules === st.links, "stylesheets: " + JSON.stringify(st));
  assert(st.hiddenApplied && st.js && st.search, JSON.stringify(st));
  if (shots) await page.screenshot({ path: path.join(shots, "pages-404-deep.png") });
  const bad = responses.filter(([s, u]) => s >= 400 && u !== origin + deep);
  assert(bad.length === 0, "failed responses: " + JSON.stringify(bad));
  const p = problems(page, true);
  assert(p.length === 0, p.join("\n"));
});

await test("search from the deep 404 page loads the index and opens a note under the sub-path", async () => {
  page.problems.length = 0;
  await page.fill("#search-input", "load balancer");
  await page.waitForSelector("#search-results:not([hidden]) a", { timeout: 5000 });
  const href = await page.$eval("#search-results a", (a) => a.href);
  assert(href.startsWith(base), "result " + href + " is not under " + base);
  const [resp] = await Promise.all([page.waitForNavigation(), page.click("#search-results a >> nth=0")]);
  assert(resp.status() === 200, "status " + resp.status() + " for " + page.url());
  const st = await styled(page);
  assert(st.withRules === st.links && st.js, JSON.stringify(st));
  const nav = await page.$$eval("#nav-tree a", (a) => a.map((x) => x.href));
  assert(nav.length === 45 && nav.every((h) => h.startsWith(base)), "nav links: " + nav.slice(0, 3));
  assert(page.problems.length === 0, page.problems.join("\n"));
});

await test("the brand link of the 404 page leads to the all-notes page", async () => {
  page.problems.length = 0;
  await page.goto(origin + deep, { waitUntil: "load" });
  const [resp] = await Promise.all([page.waitForNavigation(), page.click(".brand")]);
  assert(resp.status() === 200 && page.url() === base + "index.html", page.url());
  const notes = await page.$$eval("article.note", (a) => a.length);
  assert(notes === 45, "notes " + notes);
  if (shots) await page.screenshot({ path: path.join(shots, "pages-index.png") });
  const bad = responses.filter(([s, u]) => s >= 400 && u !== origin + deep);
  assert(bad.length === 0, "failed responses: " + JSON.stringify(bad));
  const p = problems(page, true);
  assert(p.length === 0, p.join("\n"));
});

await context.close();
await browser.close();
done();
