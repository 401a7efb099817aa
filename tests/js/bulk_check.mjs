// bulk_check.mjs - a grant officer's two bulk actions in headless Chromium,
// each previewed and then explicitly confirmed: the bulk approval of a
// program's complete requisitions ("Bevilja N rekvisitioner, totalt X?",
// the list, then "Bekräfta och bevilja") and the redistribution of what was
// not requisitioned (each supplement and the total, then "Bekräfta
// omfördelningen"). Each preview is checked with axe-core (WCAG 2.1 AA).
// Prints the numbers it read, for the calling test to compare with an
// independent source:
//   bulk question: TEXT
//   bulk row: CASE CODE AMOUNT_KR
//   bulk total: KR
//   bulk done: TEXT
//   redist row: CODE AMOUNT_KR
//   redist total: KR
//   redist done: TEXT
//   lan row: NAME|ALLOCATED_KR|GRANTED_KR|PERCENT
//   chart pct: PERCENT
//
// usage: node bulk_check.mjs BASE_URL LOGIN PASSWORD PROGRAM
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [base, login, password, program] = process.argv.slice(2);
const kr = (s) => s.replace(/[^0-9]/g, "");
let failed = 0;

async function axe(page, what) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    })
  );
  for (const v of result.violations) {
    failed++;
    console.log(`FAIL ${what}: ${v.id} (${v.impact}): ${v.help}`);
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
try {
  const context = await browser.newContext({ bypassCSP: true, locale: "sv-SE" });
  const page = await context.newPage();
  await page.goto(base + "/login");
  await page.fill("#login", login);
  await page.fill("#password", password);
  await Promise.all([page.waitForNavigation(), page.click("form.form button[type=submit]")]);

  // bulk approval: preview, nothing approved yet, then confirm
  await page.goto(`${base}/programs/${program}/rekvisitioner`);
  await Promise.all([page.waitForNavigation(), page.click("button:has-text('Förhandsgranska')")]);
  const question = await page.locator("#bulk-q").innerText();
  console.log(`bulk question: ${question}`);
  const rows = page.locator("#bulk-preview tbody tr");
  for (let i = 0; i < (await rows.count()); i++) {
    const cells = await rows.nth(i).locator("td,th").allInnerTexts();
    const code = (cells[1].match(/\(([0-9]+)\)\s*$/) || [])[1];
    console.log(`bulk row: ${cells[0]} ${code} ${kr(cells[2])}`);
  }
  console.log(`bulk total: ${kr(await page.locator("#bulk-preview tfoot td.num").innerText())}`);
  await axe(page, "bulk preview");
  await Promise.all([
    page.waitForNavigation(),
    page.click("#bulk-preview button:has-text('Bekräfta och bevilja')"),
  ]);
  console.log(`bulk done: ${await page.locator("p[role=status]").innerText()}`);

  // redistribution: preview, then confirm
  await page.goto(`${base}/programs/${program}/omfordelning`);
  await Promise.all([
    page.waitForNavigation(),
    page.click("button:has-text('Förhandsgranska omfördelningen')"),
  ]);
  const rrows = page.locator("[aria-labelledby=pre-h] tbody tr");
  for (let i = 0; i < (await rrows.count()); i++) {
    const head = await rrows.nth(i).locator("th").innerText();
    const code = (head.match(/\(([0-9]+)\)\s*$/) || [])[1];
    console.log(`redist row: ${code} ${kr(await rrows.nth(i).locator("td").innerText())}`);
  }
  console.log(
    `redist total: ${kr(await page.locator("[aria-labelledby=pre-h] tfoot td.num").innerText())}`
  );
  await axe(page, "redistribution preview");
  await Promise.all([
    page.waitForNavigation(),
    page.click("button:has-text('Bekräfta omfördelningen')"),
  ]);
  console.log(`redist done: ${await page.locator("p[role=status]").innerText()}`);

  // the dashboard after redistribution: the län by name, every share of
  // a whole that holds it (supplements many times a share included)
  await page.goto(`${base}/programs/${program}/rekvisitionsoversikt`);
  const lrows = page.locator("[aria-labelledby=cap-g] tbody tr");
  for (let i = 0; i < (await lrows.count()); i++) {
    const name = await lrows.nth(i).locator("th").innerText();
    const cells = await lrows.nth(i).locator("td").allInnerTexts();
    console.log(`lan row: ${name}|${kr(cells[0])}|${kr(cells[2])}|${kr(cells[4])}`);
  }
  for (const t of await page.locator("svg text").allTextContents()) {
    const m = t.match(/^(\d+) %$/);
    if (m) console.log(`chart pct: ${m[1]}`);
  }
  await context.close();
} catch (err) {
  failed++;
  console.log(`FAIL ${err.message.split("\n")[0]}`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
