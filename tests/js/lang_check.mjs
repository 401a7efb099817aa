// lang_check.mjs - every page a persona reaches, in English, must be in
// English; and every link on a persona's start page must answer 200.
//
// usage: node lang_check.mjs BASE_URL NAMES_FILE LOGIN:PASSWORD[:EXTRA,...] ...
//
// For each persona the script logs in, switches to English (?lang=en, a
// cookie), then walks the site breadth-first from /start and the EXTRA
// paths, following same-origin links (downloads excepted) up to a page
// budget, and fails on Swedish text: the letters å ä ö or a common Swedish
// word, in the visible text, the title and the accessible names
// (aria-label, alt, title, placeholder, button values). Forms with errors
// are reached by the EXTRA entries of the form "POST /path field=value&...".
//
// What may legitimately stay Swedish is explicit and short:
//  - proper names of the kommuner, regioner and län (NAMES_FILE: one name
//    per line, from data/reference, given by the shell script);
//  - ALLOW below: the agency's and the e-service's names, the
//    diarienummer, and the link that switches to Swedish (lang="sv");
//  - what a user typed (values of text inputs and textareas are not read);
//  - a URL shown as text.
// Exits 1 listing every offending text with its page.
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { swedishDetector } from "./swedish.mjs";

const [base, namesFile, ...personas] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const MAX_PAGES = Number(process.env.LANG_CHECK_PAGES || 60);

const swedishIn = swedishDetector(readFileSync(namesFile, "utf8"));

const skipHref = (u) =>
  /\.(csv|xlsx|px|json|pdf|svg|png)$/.test(u.pathname) ||
  /\/pdf$/.test(u.pathname) ||
  /\/(kvittens|beslut|plan)\/[^/]+\/[^/]+/.test(u.pathname) ||
  u.pathname.startsWith("/api/") ||
  u.pathname.startsWith("/statistik/") && u.pathname.split("/").length > 3 ||
  u.searchParams.get("lang") === "sv";

// The texts a user reads: visible text outside elements marked lang="sv"
// and outside form fields a user types in, plus accessible names.
async function pageTexts(page) {
  return page.evaluate(() => {
    const out = [document.title];
    const skip = (el) =>
      el.closest("[lang=sv]") || el.closest("script,style,textarea,noscript");
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let lines = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || skip(el)) continue;
      const st = getComputedStyle(el);
      if (st.display === "none" || st.visibility === "hidden") continue;
      if (n.nodeValue.trim()) lines.push(n.nodeValue.trim());
    }
    out.push(...lines);
    for (const el of document.querySelectorAll(
      "[aria-label],[alt],[title],[placeholder],input[type=submit],input[type=button]"
    )) {
      if (el.closest("[lang=sv]")) continue;
      for (const a of ["aria-label", "alt", "title", "placeholder"])
        if (el.getAttribute(a)) out.push(el.getAttribute(a));
      if (el.matches("input[type=submit],input[type=button]")) out.push(el.value);
    }
    for (const o of document.querySelectorAll("option")) {
      if (!o.closest("[lang=sv]")) out.push(o.textContent);
    }
    return out;
  });
}

const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
let failures = 0;
let checked = 0;
const reported = new Map(); // a text reported once, with the first page it was on
const report = (who, path, msg) => {
  failures++;
  const n = reported.get(msg) || 0;
  reported.set(msg, n + 1);
  if (n === 0) console.log(`FAIL ${who} ${path}: ${msg}`);
};
try {
  for (const p of personas) {
    const [login, password, extra] = p.split(":");
    const context = await browser.newContext({ javaScriptEnabled: true });
    const page = await context.newPage();
    if (login !== "-") {
      await page.goto(base + "/login");
      await page.fill("#login", login);
      await page.fill("#password", password);
      await Promise.all([page.waitForNavigation(), page.click("form.form button[type=submit]")]);
    }
    await page.goto(base + (login === "-" ? "/login" : "/start") + "?lang=en");

    // every link on the start page answers 200
    if (login !== "-") {
      const links = await page.$$eval("main a[href]", (as) => as.map((a) => a.href));
      for (const href of links) {
        const resp = await page.request.get(href, { maxRedirects: 0 });
        if (resp.status() !== 200) report(login, "/start", `link ${href} answers ${resp.status()}`);
      }
    }

    const seen = new Set();
    const queue = [];
    const posts = [];
    for (const e of [login === "-" ? "/login" : "/start", ...(extra ? extra.split(",") : [])]) {
      if (e.startsWith("POST ")) posts.push(e.slice(5));
      else queue.push(e);
    }
    let budget = MAX_PAGES;
    const check = async (label) => {
      for (const t of await pageTexts(page))
        for (const s of swedishIn(t)) report(login, label, `Swedish text: "${s}"`);
      checked++;
    };
    while (queue.length && budget > 0) {
      const path = queue.shift();
      if (seen.has(path)) continue;
      seen.add(path);
      budget--;
      let resp;
      try {
        resp = await page.goto(base + path);
      } catch (e) {
        if (/Download is starting/.test(String(e))) continue; // a file, not a page
        throw e;
      }
      if (!resp) continue;
      if (resp.status() >= 500) report(login, path, `status ${resp.status()}`);
      const ct = resp.headers()["content-type"] || "";
      if (!ct.startsWith("text/html")) continue;
      await check(path);
      const hrefs = await page.$$eval("a[href]", (as) => as.map((a) => a.href));
      for (const h of hrefs) {
        const u = new URL(h);
        if (u.origin !== new URL(base).origin || skipHref(u)) continue;
        const key = u.pathname + u.search;
        if (!seen.has(key)) queue.push(key);
      }
    }
    // forms sent with errors: "/path field=value&field=value"
    for (const spec of posts) {
      const [path, body] = spec.split(" ");
      await page.goto(base + path);
      const form = page.locator("main form[method=post]").last();
      const params = new URLSearchParams(body || "");
      for (const [k, v] of params) {
        const f = form.locator(`[name="${k}"]`).first();
        const type = await f.getAttribute("type");
        if (type === "checkbox" || type === "radio") await f.check();
        else if ((await f.evaluate((el) => el.tagName)) === "SELECT") await f.selectOption(v);
        else await f.fill(v);
      }
      await Promise.all([
        page.waitForNavigation(),
        form.locator("button[type=submit]").last().click(),
      ]);
      await check(`POST ${path}`);
      if ((await page.locator(".error, .field-error, .error-summary").count()) === 0)
        report(login, `POST ${path}`, "no error message shown");
    }
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(
  `${checked} English pages checked, ${failures} problems (${reported.size} distinct, each shown once)`
);
process.exit(failures ? 1 : 0);
