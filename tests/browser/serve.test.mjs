// handbook serve as a reader sees it: edits appear without a manual reload, the scroll position
// stays, errors show as an overlay over the last good page, stylesheets swap in place.
// Usage: node serve.test.mjs <server url> <book folder> <screenshot folder>
import { launch, openPage, test, assert, done } from "./lib.mjs";
import fs from "node:fs";
import path from "node:path";

const [url, bookDir, shots] = process.argv.slice(2);
const FIRST = path.join(bookDir, "notes/01-basics/01-first.md");
const SECOND = path.join(bookDir, "notes/01-basics/02-second.md");
const front = (title) => `+++\ntitle = "${title}"\nlevel = "beginner"\nyoe = "0-2"\ntags = ["alpha"]\n+++\n\n`;
const long = (marker) => Array.from({ length: 60 }, (_, i) => `Paragraph ${i} of a long note. ${marker}`).join("\n\n") + "\n";
const hasText = (page, text) => page.waitForFunction((t) => document.body && document.body.innerText.includes(t), text, { timeout: 60000 });

const browser = await launch();
const { page } = await openPage(browser);

await test("an edit appears without a manual reload, at the same scroll position", async () => {
  await page.goto(url + "first.html");
  await hasText(page, "original-marker");
  await page.evaluate(() => window.scrollTo(0, 900));
  await page.waitForTimeout(100);
  const before = await page.evaluate(() => window.scrollY);
  assert(before > 800, "the page is long enough to scroll: " + before);
  fs.writeFileSync(FIRST, front("First Note") + long("edited-marker"));
  await hasText(page, "edited-marker");
  await page.waitForLoadState("load");
  await page.waitForTimeout(200);
  const after = await page.evaluate(() => window.scrollY);
  assert(Math.abs(after - before) < 5, `scroll kept: ${before} -> ${after}`);
  await page.screenshot({ path: path.join(shots, "serve-edited.png") });
});

await test("a broken note shows the error overlay over the last good page; the fix clears it", async () => {
  fs.writeFileSync(FIRST, front("First Note").replace('"beginner"', '"wizard"') + long("broken-marker"));
  const overlay = await page.waitForSelector("#handbook-error-overlay", { timeout: 20000 });
  const text = await overlay.evaluate((el) => el.shadowRoot.textContent);
  assert(text.includes("notes/01-basics/01-first.md:3"), "file and line in the overlay: " + text);
  assert(text.includes("wizard"), "the message in the overlay: " + text);
  const body = await page.evaluate(() => document.body.innerText);
  assert(body.includes("edited-marker") && !body.includes("broken-marker"), "the last good page stays beneath");
  await page.screenshot({ path: path.join(shots, "serve-error-overlay.png") });
  fs.writeFileSync(FIRST, front("First Note") + long("fixed-marker"));
  await hasText(page, "fixed-marker");
  await page.waitForLoadState("load");
  assert(await page.$("#handbook-error-overlay") === null, "the overlay is gone after a good build");
});

await test("a stylesheet change is swapped in without reloading the page", async () => {
  await page.evaluate(() => { window.__notReloaded = true; });
  const css = fs.readFileSync(new URL("../../static/style.css", import.meta.url), "utf8");
  fs.mkdirSync(path.join(bookDir, "static"), { recursive: true });
  fs.writeFileSync(path.join(bookDir, "static/style.css"), css + "\nbody { outline: 7px solid rgb(1, 2, 3); }\n");
  await page.waitForFunction(() => getComputedStyle(document.body).outlineWidth === "7px", null, { timeout: 20000 });
  assert(await page.evaluate(() => window.__notReloaded === true), "the page was not reloaded");
});

await test("on the all-notes page the edited note is brought into view", async () => {
  await page.goto(url);
  await page.evaluate(() => window.scrollTo(0, 0));
  fs.writeFileSync(SECOND, front("Second Note") + "Second note, now with focus-marker.\n");
  await hasText(page, "focus-marker");
  await page.waitForLoadState("load");
  await page.waitForTimeout(200);
  const box = await page.evaluate(() => {
    const r = document.getElementById("second").getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, h: window.innerHeight };
  });
  assert(box.bottom > 0 && box.top < box.h, "the second note is in view: " + JSON.stringify(box));
  await page.screenshot({ path: path.join(shots, "serve-focus.png") });
});

await test("no console errors or failed requests", async () => {
  assert(page.problems.length === 0, page.problems.join("\n"));
});

await browser.close();
done();
