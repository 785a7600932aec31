// Diagrams as a reader sees them: layout checked from the rendered DOM (getBBox), screenshots
// in light and dark, desktop and phone. Args: <fixture site> <book site> <screenshot dir>.
import { launch, openPage, test, assert, done } from "./lib.mjs";
import { readdirSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const [fixture, book, shots] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const checker = readFileSync(fileURLToPath(new URL("./check-layout.js", import.meta.url)), "utf8");

async function layout(page) {
  await page.addScriptTag({ content: checker });
  await page.waitForFunction(() => document.body.dataset.layout);
  return JSON.parse(await page.evaluate(() => document.body.dataset.layout));
}

const browser = await launch();

for (const scheme of ["light", "dark"]) {
  for (const [name, viewport] of [["desktop", { width: 1280, height: 900 }], ["phone", { width: 390, height: 844 }]]) {
    await test(`every kind lays out cleanly (${scheme}, ${name})`, async () => {
      const { context, page } = await openPage(browser, { colorScheme: scheme, viewport });
      await page.goto("file://" + join(fixture, "all-kinds.html"));
      const r = await layout(page);
      assert(r.diagrams === 6, "expected 6 diagrams, saw " + r.diagrams);
      assert(r.problems.length === 0, JSON.stringify(r.problems, null, 1));
      const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(pageWidth <= viewport.width + 1, "the page scrolls sideways: " + pageWidth);
      const fill = await page.evaluate(() => getComputedStyle(document.querySelector(".dg-node text")).fill);
      assert(fill && fill !== "none", "diagram text has a fill from the theme");
      await page.screenshot({ path: join(shots, `kinds-${scheme}-${name}.png`), fullPage: true });
      assert(page.problems.length === 0, page.problems.join("\n"));
      await context.close();
    });
  }
}

await test("text colours follow the theme", async () => {
  const colour = async (scheme) => {
    const { context, page } = await openPage(browser, { colorScheme: scheme });
    await page.goto("file://" + join(fixture, "all-kinds.html"));
    const c = await page.evaluate(() => getComputedStyle(document.querySelector(".dg-node text")).fill);
    await context.close();
    return c;
  };
  const light = await colour("light"), dark = await colour("dark");
  assert(light !== dark, `light ${light} and dark ${dark} differ`);
});

await test("every diagram of the book lays out cleanly", async () => {
  const pages = readdirSync(book).filter((f) => f.endsWith(".html") && f !== "index.html" && f !== "404.html");
  const { context, page } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  let total = 0;
  const problems = [];
  for (const f of pages) {
    await page.goto("file://" + join(book, f));
    const r = await layout(page);
    total += r.diagrams;
    for (const p of r.problems) problems.push(f + ": " + JSON.stringify(p));
  }
  await context.close();
  assert(total >= 45, "the book has at least 45 diagrams, saw " + total);
  assert(problems.length === 0, problems.join("\n"));
  console.log(`     ${total} diagrams on ${pages.length} pages checked`);
});

await browser.close();
done();
