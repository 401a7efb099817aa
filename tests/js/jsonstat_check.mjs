// jsonstat_check.mjs - read a JSON-stat file written by `bidrag px cat
// --format json-stat` with the official client (jsonstat-toolkit) and
// print its cells, or compare them with the CSV written for the same table.
//
//   node jsonstat_check.mjs TABLE.json            print "label|...|value" lines
//   node jsonstat_check.mjs TABLE.json TABLE.csv  exit 1 on any difference
import { readFileSync } from "node:fs";
import JSONstat from "jsonstat-toolkit";

function fail(msg) {
  console.error(`jsonstat_check: ${msg}`);
  process.exit(1);
}

// RFC 4180 CSV (our writer: UTF-8 BOM, CRLF, "" inside quotes).
function parseCsv(text) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows = [];
  let row = [], field = "", q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (q) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') q = false;
      else field += ch;
    } else if (ch === '"') q = true;
    else if (ch === ",") { row.push(field); field = ""; }
    else if (ch === "\n") { row.push(field.replace(/\r$/, "")); rows.push(row); row = []; field = ""; }
    else field += ch;
  }
  if (field !== "" || row.length) { row.push(field); rows.push(row); }
  return rows;
}

const [jsonPath, csvPath] = process.argv.slice(2);
if (!jsonPath) fail("usage: node jsonstat_check.mjs TABLE.json [TABLE.csv]");
const ds = JSONstat(JSON.parse(readFileSync(jsonPath, "utf8")));
if (!ds || ds.class !== "dataset" || !ds.length) fail(`${jsonPath}: not a JSON-stat dataset`);

const dims = ds.id.map((id) => ds.Dimension(id));
const metric = ds.role && ds.role.metric ? ds.role.metric[0] : null;
const defaultDecimals = ds.extension && Number.isInteger(ds.extension.decimals) ? ds.extension.decimals : 0;
const cells = [];
const coord = new Array(dims.length).fill(0);
for (let i = 0; i < ds.n; i++) {
  const cats = dims.map((d, k) => d.Category(coord[k]));
  const { value, status } = ds.Data(i);
  let decimals = defaultDecimals;
  if (metric !== null) {
    const k = ds.id.indexOf(metric);
    if (cats[k].unit && Number.isInteger(cats[k].unit.decimals)) decimals = cats[k].unit.decimals;
  }
  cells.push({ ids: dims.map((d, k) => d.id[coord[k]]), labels: cats.map((c) => c.label), value, status, decimals });
  for (let k = dims.length - 1; k >= 0; k--) {
    if (++coord[k] < dims[k].length) break;
    coord[k] = 0;
  }
}

if (!csvPath) {
  for (const c of cells) console.log([...c.labels, c.value === null ? c.status : c.value].join("|"));
  process.exit(0);
}

const rows = parseCsv(readFileSync(csvPath, "utf8"));
const header = rows.shift();
if (rows.length !== cells.length) fail(`${csvPath}: ${rows.length} rows, the JSON-stat has ${cells.length} cells`);
// the CSV has a code column before the label column where codes differ
const withCode = dims.map((d) => d.id.some((id) => d.Category(id).label !== id));
const width = withCode.reduce((n, w) => n + (w ? 2 : 1), 0) + 1;
if (header.length !== width) fail(`${csvPath}: ${header.length} columns, expected ${width}`);
let bad = 0;
rows.forEach((r, i) => {
  const c = cells[i];
  let col = 0;
  dims.forEach((d, k) => {
    if (withCode[k] && r[col++] !== c.ids[k]) { bad++; console.error(`row ${i + 2}: code ${r[col - 1]} != ${c.ids[k]}`); }
    if (r[col++] !== c.labels[k]) { bad++; console.error(`row ${i + 2}: label ${r[col - 1]} != ${c.labels[k]}`); }
  });
  const v = r[col];
  if (c.value === null) {
    if (v !== c.status) { bad++; console.error(`row ${i + 2}: status ${v} != ${c.status}`); }
  } else if (v !== c.value.toFixed(c.decimals) && Number(v) !== Number(c.value.toFixed(c.decimals))) {
    bad++;
    console.error(`row ${i + 2}: value ${v} != ${c.value} (${c.decimals} decimals)`);
  }
});
if (bad) fail(`${bad} differences between ${jsonPath} and ${csvPath}`);
console.log(`jsonstat_check: ${cells.length} cells agree (${ds.id.join(", ")})`);
