// download_check.mjs - a grant officer's path in headless Chromium: log in,
// open the list of programs, open a program, download its allocation as
// XLSX and check the file is a workbook (zip with xl/workbook.xml).
//
// usage: node download_check.mjs BASE_URL LOGIN PASSWORD PROGRAM_TITLE
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";

const [base, login, password, title] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
let failed = 0;
try {
  const context = await browser.newContext({ acceptDownloads: true, locale: "sv-SE" });
  const page = await context.newPage();
  await page.goto(base + "/login");
  await page.fill("#login", login);
  await page.fill("#password", password);
  await Promise.all([page.waitForNavigation(), page.click("form.form button[type=submit]")]);
  await page.click("nav >> text=Statsbidrag");
  await page.click(`a:has-text("${title}")`);
  const h1 = await page.locator("h1").innerText();
  if (h1 !== title) {
    console.log(`FAIL program page h1 is "${h1}"`);
    failed++;
  }
  const rows = await page.locator("table.alloc tbody tr").count();
  console.log(`allocation table rows: ${rows}`);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.click("text=Ladda ner som Excel (XLSX)"),
  ]);
  const path = await download.path();
  const bytes = readFileSync(path);
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  const hasWorkbook = bytes.includes(Buffer.from("xl/workbook.xml"));
  console.log(`downloaded ${download.suggestedFilename()} (${bytes.length} bytes)`);
  if (!isZip || !hasWorkbook || !download.suggestedFilename().endsWith(".xlsx")) {
    console.log("FAIL the download is not an XLSX workbook");
    failed++;
  }
  const total = await page.locator("table.alloc tfoot td.num").last().innerText();
  console.log(`sum row: ${total}`);
  await context.close();
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
