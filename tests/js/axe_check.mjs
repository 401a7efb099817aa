// axe_check.mjs - WCAG 2.1 AA check of the web e-service's pages in
// headless Chromium (playwright-core + axe-core), plus keyboard basics:
// the skip link is the first stop, focus is visible, one h1, and the
// page reflows to 320 CSS pixels without horizontal scrolling, and no word
// is broken across lines at 320 and 1280 pixels.
//
// usage: node axe_check.mjs BASE_URL LOGIN:PASSWORD:PATH[,PATH...] ...
// (LOGIN "-" means not logged in; error pages such as 404 are checked too).
// Exits 1 listing every violation.
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [base, ...scenarios] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

// In the page: the words of every visible text node whose rendered boxes
// lie on more than one line. A word is a run of letters and digits (a
// break after a hyphen or a slash is a legitimate place to wrap); a URL
// shown as text and a digest in <code> wrap where they must.
function brokenWords() {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest("script,style,.skip,code")) continue; // a digest may wrap
    if (!el.getClientRects().length) continue;
    if (/^\s*(\/|https?:)\S+\s*$/.test(n.nodeValue)) continue; // a URL wraps where it must
    const re = /[\p{L}\p{N}]{2,}/gu;
    for (let m = re.exec(n.nodeValue); m; m = re.exec(n.nodeValue)) {
      range.setStart(n, m.index);
      range.setEnd(n, m.index + m[0].length);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0);
      if (rects.length < 2) continue;
      const tops = new Set(rects.map((r) => Math.round(r.top)));
      if (tops.size > 1) out.push(m[0]);
    }
  }
  return out;
}

const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
let failures = 0;
let checked = 0;
try {
  for (const sc of scenarios) {
    const [login, password, paths] = sc.split(":");
    // bypassCSP only lets the test inject axe; the pages themselves run no script.
    const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled: true });
    const page = await context.newPage();
    if (login !== "-") {
      await page.goto(base + "/login");
      await page.fill("#login", login);
      await page.fill("#password", password);
      await Promise.all([page.waitForNavigation(), page.click("form.form button[type=submit]")]);
    }
    for (const path of paths.split(",")) {
      const resp = await page.goto(base + path);
      if (!resp || resp.status() >= 500) {
        console.log(`FAIL ${login} ${path}: status ${resp ? resp.status() : "none"}`);
        failures++;
        continue;
      }
      await page.evaluate(axeSource);
      const result = await page.evaluate(async () =>
        // eslint-disable-next-line no-undef
        axe.run(document, {
          runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        })
      );
      for (const v of result.violations) {
        failures++;
        console.log(`FAIL ${login} ${path}: ${v.id} (${v.impact}): ${v.help}`);
        for (const n of v.nodes.slice(0, 3)) console.log(`     ${n.target.join(" ")}`);
      }
      // keyboard: the first Tab lands on the skip link, and focus is drawn
      await page.keyboard.press("Tab");
      const focus = await page.evaluate(() => {
        const el = document.activeElement;
        const st = getComputedStyle(el);
        return { skip: el.classList.contains("skip"), outline: st.outlineStyle };
      });
      if (!focus.skip || focus.outline === "none") {
        failures++;
        console.log(`FAIL ${login} ${path}: skip link not first or focus invisible`);
      }
      const h1 = await page.locator("h1").count();
      if (h1 !== 1) {
        failures++;
        console.log(`FAIL ${login} ${path}: ${h1} h1 elements`);
      }
      // reflow (WCAG 1.4.10): no horizontal scrolling of the page at 320
      // CSS pixels (a wide table scrolls inside its own region), and at
      // 320 and 1280 no word broken across lines ("Ärend|e")
      for (const width of [320, 1280]) {
        await page.setViewportSize({ width, height: width === 320 ? 640 : 800 });
        const wide = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth
        );
        if (wide > 0) {
          failures++;
          console.log(`FAIL ${login} ${path}: ${wide}px horizontal scroll at ${width}px width`);
        }
        const broken = await page.evaluate(brokenWords);
        for (const w of broken.slice(0, 5)) {
          failures++;
          console.log(`FAIL ${login} ${path}: word broken across lines at ${width}px: "${w}"`);
        }
      }
      await page.setViewportSize({ width: 1280, height: 800 });
      checked++;
    }
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(`${checked} pages checked, ${failures} problems`);
process.exit(failures ? 1 : 0);
