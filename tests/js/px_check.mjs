// px_check.mjs - an independent reader of the PX files `bidrag stats table`
// writes (written here from the PC-Axis 2013 specification, sharing no code
// with src/io/px.c), checking what statisticians expect of them and that
// every cell equals the machine CSV of the same table.
//
// usage: node px_check.mjs TABLE.px TABLE.csv HEADING
//   TABLE.csv is `--format csv-codes` of the same table; HEADING the
//   expected HEADING variables' codes, comma-separated (e.g. "sex,measure").
// Checks: mandatory keywords; STUB and HEADING (the requested column
// variables and the measures across); DECIMALS the largest PRECISION and
// no value with more decimals than its measure's; ELIMINATION naming the
// total of every variable that has one; AGGREGALLOWED=NO; LAST-UPDATED as
// CCYYMMDD hh:mm; SOURCE; and the DATA cells, one by one, against the CSV.
import { readFileSync } from 'node:fs';

const [pxPath, csvPath, headingArg] = process.argv.slice(2);
const text = readFileSync(pxPath, 'utf8');
const fail = (msg) => { console.error(`px_check: ${pxPath}: ${msg}`); process.exit(1); };

// ---- tokens: KEYWORD[lang]("a","b")=value; ----
const entries = [];
let i = 0;
const skipSpace = () => { while (i < text.length && /\s/.test(text[i])) i++; };
const readString = () => { // one or more adjacent quoted strings: concatenated
  let s = '';
  while (text[i] === '"') {
    const end = text.indexOf('"', i + 1);
    if (end < 0) fail('unterminated string');
    s += text.slice(i + 1, end);
    i = end + 1;
    const save = i;
    skipSpace();
    if (text[i] !== '"') { i = save; break; }
  }
  return s;
};
while (true) {
  skipSpace();
  if (i >= text.length) break;
  let kw = '';
  while (i < text.length && /[A-Z0-9-]/.test(text[i])) kw += text[i++];
  if (!kw) fail(`keyword expected at offset ${i}`);
  let lang = null, subs = [];
  if (text[i] === '[') { const e = text.indexOf(']', i); lang = text.slice(i + 1, e); i = e + 1; }
  if (text[i] === '(') {
    i++;
    while (text[i] !== ')') {
      skipSpace();
      subs.push(readString());
      skipSpace();
      if (text[i] === ',') i++;
    }
    i++;
  }
  if (text[i] !== '=') fail(`'=' expected after ${kw}`);
  i++;
  if (kw === 'DATA') {
    const end = text.indexOf(';', i);
    if (end < 0) fail('DATA without ;');
    const raw = text.slice(i, end);
    i = end + 1;
    const toks = raw.match(/"[^"]*"|[^\s"]+/g) || [];
    entries.push({ kw, lang, subs, value: toks });
    continue;
  }
  skipSpace();
  const values = [];
  while (true) {
    skipSpace();
    if (text[i] === '"') values.push(readString());
    else if (text.startsWith('TLIST(', i)) {
      const e = text.indexOf(')', i);
      values.push(text.slice(i, e + 1));
      i = e + 1;
    } else {
      let v = '';
      while (i < text.length && text[i] !== ',' && text[i] !== ';') v += text[i++];
      values.push(v.trim());
    }
    skipSpace();
    if (text[i] === ',') { i++; continue; }
    if (text[i] === ';') { i++; break; }
    fail(`',' or ';' expected in ${kw}`);
  }
  entries.push({ kw, lang, subs, value: values });
}
const get = (kw, ...subs) => entries.find((e) => e.kw === kw && e.lang === null &&
  e.subs.length === subs.length && e.subs.every((s, k) => s === subs[k]));
const one = (kw, ...subs) => { const e = get(kw, ...subs); return e ? e.value[0] : undefined; };

// ---- what the specification makes mandatory ----
for (const kw of ['CHARSET', 'AXIS-VERSION', 'DECIMALS', 'MATRIX', 'SUBJECT-CODE', 'SUBJECT-AREA',
  'TITLE', 'CONTENTS', 'UNITS', 'VALUES', 'DATA'])
  if (!entries.some((e) => e.kw === kw)) fail(`mandatory keyword ${kw} missing`);
const stub = get('STUB') ? get('STUB').value : [];
const heading = get('HEADING') ? get('HEADING').value : [];
const vars = [...stub, ...heading];
const codeOf = (v) => one('VARIABLECODE', v) || v;
const wantHeading = headingArg.split(',');
if (heading.map(codeOf).join(',') !== wantHeading.join(','))
  fail(`HEADING is ${heading.map(codeOf).join(',')}, expected ${wantHeading.join(',')}`);

// ---- decimals ----
const decimals = Number(one('DECIMALS'));
const cont = one('CONTVARIABLE');
if (!cont) fail('CONTVARIABLE missing');
const contValues = get('VALUES', cont).value;
const precision = contValues.map((v) => {
  const p = one('PRECISION', cont, v);
  return p === undefined ? Number(one('SHOWDECIMALS') ?? decimals) : Number(p);
});
if (decimals !== Math.max(...precision))
  fail(`DECIMALS=${decimals}, but the measures' largest precision is ${Math.max(...precision)}`);

// ---- elimination, aggregation, update, source ----
for (const v of vars) {
  const codes = get('CODES', v) ? get('CODES', v).value : get('VALUES', v).value;
  const labels = get('VALUES', v).value;
  const k = codes.findIndex((c) => c === 'total' || c === '00' || c === '0000');
  const el = one('ELIMINATION', v);
  if (k >= 0 && el !== labels[k]) fail(`ELIMINATION("${v}") is ${el}, expected "${labels[k]}"`);
  if (k < 0 && el !== undefined && el !== 'NO') fail(`ELIMINATION("${v}") without a total`);
}
if (one('AGGREGALLOWED') !== 'NO') fail('AGGREGALLOWED=NO missing (counts of distinct persons with noise)');
if (!/^\d{8} \d\d:\d\d$/.test(one('LAST-UPDATED') || '')) fail(`LAST-UPDATED "${one('LAST-UPDATED')}"`);
if (!(one('SOURCE') || '').startsWith('Socialstyrelsen')) fail('SOURCE missing');

// ---- the cells ----
const sizes = vars.map((v) => get('VALUES', v).value.length);
const data = get('DATA').value;
const ncells = sizes.reduce((a, b) => a * b, 1);
if (data.length !== ncells) fail(`DATA has ${data.length} values, expected ${ncells}`);
const codes = vars.map((v) => (get('CODES', v) ? get('CODES', v).value : get('VALUES', v).value));
const ci = vars.indexOf(cont);
const px = new Map();
for (let n = 0; n < ncells; n++) {
  let rest = n;
  const idx = new Array(vars.length);
  for (let d = vars.length - 1; d >= 0; d--) { idx[d] = rest % sizes[d]; rest = Math.floor(rest / sizes[d]); }
  let tok = data[n];
  if (tok.startsWith('"')) tok = tok.slice(1, -1);
  else {
    const frac = tok.includes('.') ? tok.split('.')[1].length : 0;
    if (frac > precision[idx[ci]]) fail(`${tok} has more decimals than ${contValues[idx[ci]]} (${precision[idx[ci]]})`);
  }
  px.set(idx.map((k, d) => codes[d][k]).join('|'), tok);
}
// the CSV of codes: dimensions (all but the measure) then one column per measure
const lines = readFileSync(csvPath, 'utf8').trim().split('\n');
const head = lines[0].split(',');
const measures = head.slice(vars.length - 1);
const dimCodes = head.slice(0, vars.length - 1);
const order = vars.filter((v) => v !== cont).map(codeOf);
let compared = 0;
for (const line of lines.slice(1)) {
  const f = line.split(',');
  const coords = {};
  dimCodes.forEach((d, k) => { coords[d] = f[k]; });
  measures.forEach((m, k) => {
    coords.measure = m;
    const key = vars.map((v) => (v === cont ? m : coords[codeOf(v)])).join('|');
    const want = f[dimCodes.length + k];
    const got = px.get(key);
    if (got === undefined) fail(`no PX cell for ${key}`);
    if (want === '..' || want === '.' || want === 'x') {
      if (got !== (want === 'x' ? '...' : want)) fail(`${key}: PX ${got}, CSV ${want}`);
    } else if (Math.abs(Number(got) - Number(want)) > 1e-9) {
      fail(`${key}: PX ${got}, CSV ${want}`);
    }
    compared++;
  });
}
if (compared !== ncells) fail(`${compared} cells compared of ${ncells}`);
if (order.length !== dimCodes.length) fail('dimension count differs');
console.log(`px_check: ${pxPath}: ${compared} cells agree; HEADING ${heading.map(codeOf).join(',')}; DECIMALS ${decimals}`);
