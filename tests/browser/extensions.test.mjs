// Callouts and math as a reader sees them: drawn boxes and laid-out MathML (not raw TeX), in
// light and dark, desktop and phone, in the single-file export, and axe on a page of callouts.
// Args: <fixture site> <exported file> <book site> <screenshot dir>.
import { launch, openPage, test, assert, done } from "./lib.mjs";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const [fixture, exported, book, shots] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const PAGE = "file://" + join(fixture, "extensions.html");

/** What the page shows: callout boxes and their looks, formulas and their laid-out size. */
async function measure(page) {
  return page.evaluate(() => {
    const callouts = [...document.querySelectorAll(".callout")].map((c) => {
      const s = getComputedStyle(c);
      const title = c.querySelector(".callout-title");
      const icon = c.querySelector(".callout-icon");
      return {
        type: c.dataset.callout, height: c.getBoundingClientRect().height,
        border: s.borderLeftColor, borderWidth: parseFloat(s.borderLeftWidth),
        titleColor: getComputedStyle(title).color, iconWidth: icon ? icon.getBoundingClientRect().width : 0,
        iconHidden: icon && icon.getAttribute("aria-hidden") === "true",
      };
    });
    const maths = [...document.querySelectorAll("math")].map((m) => {
      const r = m.getBoundingClientRect();
      const drawn = m.querySelector("semantics > mrow").getBoundingClientRect();
      const ann = m.querySelector("annotation").getBoundingClientRect();
      return { block: m.getAttribute("display") === "block", width: r.width, height: r.height,
        drawnHeight: drawn.height, annotationShown: ann.width > 0 && ann.height > 0,
        name: m.getAttribute("aria-label"), color: getComputedStyle(m).color,
        hasFraction: !!m.querySelector("mfrac") };
    });
    const bodyColor = getComputedStyle(document.querySelector(".prose")).color;
    return { callouts, maths, bodyColor, text: document.querySelector(".prose").innerText };
  });
}

const browser = await launch();
const colors = {};

for (const scheme of ["light", "dark"]) {
  for (const [name, viewport] of [["desktop", { width: 1280, height: 900 }], ["phone", { width: 390, height: 844 }]]) {
    await test(`callouts and formulas are drawn (${scheme}, ${name})`, async () => {
      const { context, page } = await openPage(browser, { colorScheme: scheme, viewport });
      await page.goto(PAGE);
      const m = await measure(page);
      assert(m.callouts.length === 10, "expected 10 callouts, saw " + m.callouts.length);
      for (const c of m.callouts) {
        assert(c.borderWidth >= 3, `${c.type}: a coloured rule (${c.borderWidth}px)`);
        assert(c.iconWidth > 0 && c.iconHidden, `${c.type}: a decorative icon`);
      }
      const borders = new Set(m.callouts.slice(0, 5).map((c) => c.border));
      assert(borders.size === 5, "the five GitHub kinds have five colours: " + [...borders]);
      const closed = m.callouts.find((c) => c.type === "question");
      assert(closed.height < 60, "the folded callout starts closed: " + closed.height);
      assert(m.text.includes("Nested danger.") && !m.text.includes("zebrafold"), "open shown, closed hidden");
      assert(!m.text.includes("[!"), "no marker left as text");
      assert(m.maths.length === 3, "3 formulas, saw " + m.maths.length);
      for (const f of m.maths) {
        assert(f.height > 10 && f.width > 20, `${f.name}: laid out with a size ${f.width}x${f.height}`);
        assert(!f.annotationShown, `${f.name}: the TeX annotation is not drawn`);
        assert(f.color === m.bodyColor, `${f.name}: takes the text colour (${f.color} vs ${m.bodyColor})`);
      }
      const frac = m.maths.find((f) => f.hasFraction && f.block);
      assert(frac.drawnHeight > 30, "a display fraction is taller than a line: " + frac.drawnHeight);
      assert(!m.text.includes("\\frac") && !m.text.includes("\\text"), "no raw TeX on screen");
      assert(m.text.includes("$5 and $10, +$500, then −$200."), "prices stay prose");
      const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(pageWidth <= viewport.width + 1, "the page scrolls sideways: " + pageWidth);
      colors[scheme] = m.maths[0].color;
      await page.screenshot({ path: join(shots, `extensions-${scheme}-${name}.png`), fullPage: true });
      assert(page.problems.length === 0, page.problems.join("\n"));
      await context.close();
    });
  }
}

await test("formula colour follows the theme", async () => {
  assert(colors.light && colors.dark && colors.light !== colors.dark, JSON.stringify(colors));
});

await test("a folded callout opens without JavaScript", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PAGE);
  const summary = page.locator("details.callout:not([open]) > summary");
  await summary.click();
  assert(await page.locator("text=zebrafold").isVisible(), "its body shows after a click");
  await context.close();
});

await test("the export shows callouts and formulas from file://, offline", async () => {
  const { context, page } = await openPage(browser, { offline: true });
  await page.goto("file://" + exported);
  const r = await page.evaluate(() => ({
    callouts: document.querySelectorAll(".callout").length,
    heights: [...document.querySelectorAll("math")].map((m) => m.getBoundingClientRect().height),
  }));
  assert(r.callouts === 10, "callouts: " + r.callouts);
  assert(r.heights.length === 3 && r.heights.every((h) => h > 10), "formulas: " + r.heights);
  await page.screenshot({ path: join(shots, "export.png") });
  assert(page.problems.length === 0, page.problems.join("\n"));
  await context.close();
});

await test("printed callouts have a border and no background", async () => {
  const { context, page } = await openPage(browser);
  await page.goto(PAGE);
  await page.emulateMedia({ media: "print" });
  const s = await page.evaluate(() => {
    const c = getComputedStyle(document.querySelector(".callout"));
    return { bg: c.backgroundColor, top: c.borderTopWidth };
  });
  assert(s.bg === "rgba(0, 0, 0, 0)" && parseFloat(s.top) >= 1, JSON.stringify(s));
  await context.close();
});

await test("the book's formulas are laid out (note 25 and note 04)", async () => {
  const { context, page } = await openPage(browser);
  for (const [file, min] of [["failover-and-redundancy.html", 3], ["back-of-the-envelope-estimation.html", 5]]) {
    await page.goto("file://" + join(book, file));
    const hs = await page.evaluate(() => [...document.querySelectorAll("math")].map((m) => m.getBoundingClientRect().height));
    assert(hs.length >= min && hs.every((h) => h > 10), `${file}: ${hs}`);
    await page.screenshot({ path: join(shots, "book-" + file.replace(".html", ".png")), fullPage: true });
  }
  assert(page.problems.length === 0, page.problems.join("\n"));
  await context.close();
});

const axeSource = readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
for (const scheme of ["light", "dark"]) {
  await test(`axe: callouts and formulas have no violations (${scheme})`, async () => {
    const { context, page } = await openPage(browser, { colorScheme: scheme });
    await page.goto(PAGE);
    await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
    const before = page.problems.length;
    await page.addScriptTag({ content: axeSource });
    const r = await page.evaluate(async () => axe.run(document.querySelector(".prose"), { resultTypes: ["violations"], preload: false }));
    page.problems.length = before; // axe's own XHR for stylesheets fails on file://
    const all = r.violations.map((v) => `${v.impact} ${v.id}: ` + v.nodes.slice(0, 4).map((n) => n.target.join(" ") + " " + n.failureSummary.replace(/\s+/g, " ")).join(" | "));
    assert(r.violations.length === 0, all.join("\n     "));
    await context.close();
  });
}

await browser.close();
done();
