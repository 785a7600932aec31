// Shared helpers for browser tests: launch Debian's Chromium headless, collect console errors and requests.
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

/** Launch headless Chromium with the flags this machine needs (no sandbox as root, no background traffic). */
export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** A page that records console errors, page errors and failed requests. */
export async function openPage(browser, opts = {}) {
  const context = await browser.newContext({
    viewport: opts.viewport || { width: 1280, height: 900 },
    colorScheme: opts.colorScheme || "light",
    offline: !!opts.offline,
  });
  const page = await context.newPage();
  page.problems = [];
  page.on("console", (m) => { if (m.type() === "error") page.problems.push("console: " + m.text()); });
  page.on("pageerror", (e) => page.problems.push("pageerror: " + e.message));
  // ERR_ABORTED is the browser cancelling a load itself (the page navigated or closed first, as
  // a favicon still loading on a busy machine); a missing or refused file fails with its own code.
  page.on("requestfailed", (r) => {
    const why = (r.failure() || {}).errorText;
    if (why !== "net::ERR_ABORTED") page.problems.push("requestfailed: " + r.url() + " " + why);
  });
  return { context, page };
}

let failures = 0, passes = 0;
/** Run one named check; failures are counted and printed, the run goes on. */
export async function test(name, fn) {
  try { await fn(); passes++; console.log("ok   " + name); }
  catch (e) { failures++; console.log("FAIL " + name + "\n     " + (e && e.stack || e)); }
}
/* Chromium hands localStorage to its browser process asynchronously, later on a busy machine:
   wait until `page` holds what `stored(arg)` looks for, then until a new page of the context at
   `url` reads it too (what a reload or the next navigation will read). */
export async function storageSettled(context, page, url, stored, arg) {
  await page.waitForFunction(stored, arg, { timeout: 15000 });
  const probe = await context.newPage();
  await probe.goto(url);
  await probe.waitForFunction(stored, arg, { timeout: 15000 });
  await probe.close();
}

/** The page's stylesheets and whether the theme took: how many links, how many loaded (`loaded`:
    a sheet; `withRules`: a sheet whose rules can be read and are not none), whether style.css
    visibly applies (`.visually-hidden` is absolute; `systemFont`: the body is not in the default
    Times), and whether app.js ran (`js` on <html>, the search box shown). */
export async function styled(page) {
  return page.evaluate(() => {
    const links = [...document.querySelectorAll('link[rel="stylesheet"]')];
    const hasRules = (l) => {
      try { return !!l.sheet && l.sheet.cssRules.length > 0; } catch { return false; }
    };
    const hidden = document.querySelector(".visually-hidden");
    const search = document.querySelector(".search");
    return {
      links: links.length,
      loaded: links.filter((l) => l.sheet).length,
      withRules: links.filter(hasRules).length,
      hiddenApplied: !!hidden && getComputedStyle(hidden).position === "absolute",
      systemFont: !/Times/.test(getComputedStyle(document.body).fontFamily),
      js: document.documentElement.classList.contains("js"),
      search: !!search && !search.hidden,
    };
  });
}

export function assert(cond, msg) { if (!cond) throw new Error(msg || "assertion failed"); }
/** Print the summary and exit non-zero when anything failed. */
export function done() {
  console.log(`${passes} passed, ${failures} failed`);
  process.exit(failures ? 1 : 0);
}
