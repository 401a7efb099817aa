// stats_browser_check.mjs - a user's path through the statistics table
// builder in headless Chromium: log in, open "Bygg en egen tabell", put
// occupation and region in the rows and sex in the columns for the latest
// year, show the table, download every format offered (CSV, CSV for Swedish
// Excel, XLSX, PX, JSON-stat) and check that the page and every file hold
// the same protected values, cell for cell, and that none is 1 or 2.
//
// usage: node stats_browser_check.mjs BASE_URL LOGIN PASSWORD
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { inflateRawSync } from "node:zlib";

const [base, login, password] = process.argv.slice(2);
const fail = (msg) => { console.log(`FAIL ${msg}`); process.exitCode = 1; };

// ---- readers of each format, written here (no code from bidrag) ----

// a cell key: the labels of occupation, region and sex
const key = (occ, reg, sex) => `${occ}|${reg}|${sex}`;
const num = (s) => Number(String(s).replace(/[\s\u00a0]/g, "").replace("\u2212", "-").replace(",", "."));

function csvRows(text, sep) {
  const rows = [];
  let row = [], field = "", q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') q = false;
      else field += c;
    } else if (c === '"') q = true;
    else if (c === sep) { row.push(field); field = ""; }
    else if (c === "\n") { row.push(field.replace(/\r$/, "")); rows.push(row); row = []; field = ""; }
    else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

function fromCsv(bytes, sep) {
  const rows = csvRows(bytes.toString("utf8").replace(/^\ufeff/, ""), sep);
  const h = rows[0];
  const col = (name) => h.indexOf(name);
  const [o, r, s, m] = [col("yrke"), col("region"), col("kön"), col("tabellinnehåll")];
  const out = new Map();
  for (const row of rows.slice(1))
    if (row.length > 1 && row[m] === "antal personer") out.set(key(row[o], row[r], row[s]), num(row[row.length - 1]));
  return out;
}

function unzip(bytes) { // name -> Buffer, from the central directory
  const files = new Map();
  let eocd = bytes.length - 22;
  while (eocd >= 0 && bytes.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  let p = bytes.readUInt32LE(eocd + 16);
  const n = bytes.readUInt16LE(eocd + 10);
  for (let k = 0; k < n; k++) {
    const method = bytes.readUInt16LE(p + 10), csize = bytes.readUInt32LE(p + 20);
    const nlen = bytes.readUInt16LE(p + 28), xlen = bytes.readUInt16LE(p + 30), clen = bytes.readUInt16LE(p + 32);
    const local = bytes.readUInt32LE(p + 42);
    const name = bytes.toString("utf8", p + 46, p + 46 + nlen);
    const lstart = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const data = bytes.subarray(lstart, lstart + csize);
    files.set(name, method === 8 ? inflateRawSync(data) : data);
    p += 46 + nlen + xlen + clen;
  }
  return files;
}

function fromXlsx(bytes) {
  const z = unzip(bytes);
  const xml = (s) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
  const shared = [...z.get("xl/sharedStrings.xml").toString("utf8").matchAll(/<si>(.*?)<\/si>/gs)]
    .map((m) => xml([...m[1].matchAll(/<t[^>]*>(.*?)<\/t>/gs)].map((t) => t[1]).join("")));
  const sheet = z.get("xl/worksheets/sheet1.xml").toString("utf8");
  const rows = [];
  for (const r of sheet.matchAll(/<row[^>]*>(.*?)<\/row>/gs)) {
    const cells = [];
    for (const c of r[1].matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
      const colIdx = [...c[1]].reduce((a, ch) => a * 26 + ch.charCodeAt(0) - 64, 0) - 1;
      const v = (c[3] || "").match(/<v>(.*?)<\/v>/s);
      cells[colIdx] = v ? (/t="s"/.test(c[2]) ? shared[Number(v[1])] : v[1]) : "";
    }
    rows.push(cells);
  }
  const h = rows.findIndex((r) => r.includes("yrke") && r.includes("kön"));
  const head = rows[h];
  const [o, r, s] = [head.indexOf("yrke"), head.indexOf("region"), head.indexOf("kön")];
  const m = head.findIndex((x) => typeof x === "string" && x.startsWith("antal personer"));
  const out = new Map();
  for (const row of rows.slice(h + 1))
    if (row[o] !== undefined && row[m] !== undefined && row[m] !== "") out.set(key(row[o], row[r], row[s]), num(row[m]));
  return out;
}

function fromPx(bytes) {
  const text = bytes.toString("utf8");
  const list = (kw) => {
    const m = text.match(new RegExp(`(?:^|\\n)${kw}=((?:"[^"]*"\\s*,?\\s*)+);`));
    return m ? [...m[1].replace(/"\s*\n\s*"/g, "").matchAll(/"([^"]*)"/g)].map((x) => x[1]) : [];
  };
  const vars = [...list("STUB"), ...list("HEADING")];
  const values = vars.map((v) => list(`VALUES\\("${v.replace(/[()]/g, "\\$&")}"\\)`));
  const data = text.slice(text.indexOf("DATA=") + 5, text.lastIndexOf(";")).match(/"[^"]*"|[^\s"]+/g);
  const out = new Map();
  const [o, r, s, m] = ["yrke", "region", "kön", "tabellinnehåll"].map((v) => vars.indexOf(v));
  data.forEach((tok, n) => {
    let rest = n;
    const idx = [];
    for (let d = vars.length - 1; d >= 0; d--) { idx[d] = rest % values[d].length; rest = Math.floor(rest / values[d].length); }
    if (values[m][idx[m]] === "antal personer") out.set(key(values[o][idx[o]], values[r][idx[r]], values[s][idx[s]]), num(tok));
  });
  return out;
}

function fromJsonStat(bytes) {
  const ds = JSON.parse(bytes.toString("utf8"));
  const out = new Map();
  const dims = ds.id.map((id) => ds.dimension[id]);
  const labels = dims.map((d) => d.category.index.map((c) => d.category.label[c]));
  const [o, r, s, m] = ["occupation", "region", "sex", "measure"].map((id) => ds.id.indexOf(id));
  ds.value.forEach((v, n) => {
    let rest = n;
    const idx = [];
    for (let d = ds.size.length - 1; d >= 0; d--) { idx[d] = rest % ds.size[d]; rest = Math.floor(rest / ds.size[d]); }
    if (dims[m].category.index[idx[m]] === "headcount") out.set(key(labels[o][idx[o]], labels[r][idx[r]], labels[s][idx[s]]), v);
  });
  return out;
}

// ---- the path ----

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
try {
  const context = await browser.newContext({ acceptDownloads: true, locale: "sv-SE" });
  const page = await context.newPage();
  await page.goto(base + "/login");
  await page.fill("#login", login);
  await page.fill("#password", password);
  await Promise.all([page.waitForNavigation(), page.click("form.form button[type=submit]")]);
  await page.goto(base + "/statistik");
  await Promise.all([page.waitForNavigation(), page.click("text=Bygg en egen tabell")]);
  await page.selectOption("#place-occupation", "rows");
  await page.selectOption("#place-region", "rows");
  await page.selectOption("#place-sex", "cols");
  await page.fill("#senaste", "1");
  await Promise.all([page.waitForNavigation(), page.click("text=Visa tabell")]);
  const caption = await page.locator("table.stats caption").innerText();
  console.log(`table: ${caption}`);
  if (!/yrke/.test(caption) || !/region/.test(caption) || !/kön/.test(caption)) fail("the table is not occupation × region × sex");

  // the page's table: row headers (region, occupation), column headers (sex – measure)
  const web = new Map();
  const heads = await page.locator("table.stats thead th").allInnerTexts();
  const nrow = await page.locator("table.stats thead th[scope=col]:not(.num)").count();
  const colHeads = heads.slice(nrow);
  const rowDims = heads.slice(0, nrow);
  for (const tr of await page.locator("table.stats tbody tr").all()) {
    const th = await tr.locator("th").allInnerTexts();
    const td = await tr.locator("td").allInnerTexts();
    const lab = Object.fromEntries(rowDims.map((d, k) => [d, th[k]]));
    td.forEach((v, k) => {
      const [sex, measure] = colHeads[k].split(" – ");
      if (measure === "antal personer") web.set(key(lab["yrke"], lab["region"], sex), num(v));
    });
  }
  console.log(`page: ${web.size} cells`);
  if (web.size !== 38 * 22 * 3) fail(`the page has ${web.size} headcount cells, expected ${38 * 22 * 3}`);
  for (const [k, v] of web) if (v === 1 || v === 2) fail(`${k} is published as ${v}`);

  const formats = [
    ["CSV", (b) => fromCsv(b, ",")],
    ["CSV för svenskt Excel", (b) => fromCsv(b, ";")],
    ["Excel (XLSX)", fromXlsx],
    ["PX", fromPx],
    ["JSON-stat", fromJsonStat],
  ];
  if (await page.locator("a:has-text('Diagram')").count()) fail("a chart is offered for a table no chart can show");
  for (const [label, read] of formats) {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click(`p.downloads a:text-is("${label}")`),
    ]);
    const bytes = readFileSync(await download.path());
    const cells = read(bytes);
    let diff = 0;
    for (const [k, v] of web) {
      if (cells.get(k) !== v) {
        if (diff++ < 3) fail(`${label}: ${k} is ${cells.get(k)} in the file, ${v} on the page`);
      }
    }
    if (cells.size !== web.size) fail(`${label}: ${cells.size} cells, the page has ${web.size}`);
    console.log(`${download.suggestedFilename()}: ${cells.size} cells, ${diff} differ from the page`);
  }
  await context.close();
} finally {
  await browser.close();
}
