// Does Chromium agree with `handbook check`? For a built site the checker passed, every link
// a reader can follow must reach an existing file and, for `#fragment`s, an element on it.
// Usage: node check.test.mjs SITE_DIR SCREENSHOT_DIR
import { launch, openPage, test, assert, done } from "./lib.mjs";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const site = process.argv[2];
const shots = process.argv[3];
if (!site) { console.error("usage: node check.test.mjs SITE_DIR [SCREENSHOT_DIR]"); process.exit(2); }

function htmlFiles(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? htmlFiles(p) : n.endsWith(".html") ? [p] : [];
  });
}

const browser = await launch();
const { page } = await openPage(browser);
// Fragments each page offers, as the browser sees them (ids and <a name>).
const targets = new Map();
async function fragmentsOf(url) {
  if (!targets.has(url)) {
    await page.goto(url);
    targets.set(url, new Set(await page.$$eval("[id], a[name]", (els) => els.map((e) => e.id || e.getAttribute("name")))));
  }
  return targets.get(url);
}

await test("every link on every page reaches a file and an element", async () => {
  const broken = [];
  let checked = 0;
  for (const file of htmlFiles(site)) {
    const url = pathToFileURL(file).href;
    await page.goto(url);
    const links = await page.$$eval("a[href], img[src], link[href], script[src]", (els) =>
      els.map((e) => ({ url: e.href || e.src, raw: e.getAttribute("href") || e.getAttribute("src"), text: (e.textContent || e.alt || "").trim() })));
    for (const l of links) {
      if (!l.url.startsWith("file:")) continue;
      checked++;
      const u = new URL(l.url);
      const hash = u.hash.slice(1);
      u.hash = ""; u.search = "";
      let path = fileURLToPath(u);
      if (existsSync(path) && statSync(path).isDirectory()) path = join(path, "index.html");
      if (!existsSync(path)) { broken.push(`${file}: [${l.text}](${l.raw}): no file ${path}`); continue; }
      if (!hash || !path.endsWith(".html")) continue;
      const ids = await fragmentsOf(pathToFileURL(path).href);
      // Browsers try the fragment as written, then percent-decoded.
      if (!ids.has(hash) && !ids.has(decodeURIComponent(hash))) broken.push(`${file}: [${l.text}](${l.raw}): no element #${decodeURIComponent(hash)}`);
    }
  }
  assert(checked > 50, `only ${checked} links checked`);
  assert(broken.length === 0, broken.join("\n"));
});

await test("a percent-encoded unicode anchor scrolls its heading into view", async () => {
  await page.goto(pathToFileURL(join(site, "first.html")).href);
  await page.getByRole("link", { name: "enc", exact: true }).click();
  await page.waitForFunction(() => decodeURIComponent(location.hash) === "#café-au-lait");
  const top = await page.$eval("[id='café-au-lait']", (h) => h.getBoundingClientRect().top);
  assert(top >= -2 && top < 200, `heading at ${top}px`);
  if (shots) await page.screenshot({ path: join(shots, "check-unicode-anchor.png") });
  assert(page.problems.length === 0, page.problems.join("\n"));
});

await browser.close();
done();
