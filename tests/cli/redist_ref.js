// redist_ref.js - an independent reference for 'bidrag redistribute
// --requisitions', written from the decision's words with BigInt (not the
// C engine): "only recipients approved for their full amount who opted in
// take part; the pot (what was not requisitioned) is split by the key
// among them, exactly (largest remainder, ties to the lower code), capped
// at each one's stated amount; what a cap leaves over is split again among
// the rest until the pot is spent or everybody is capped; what is left
// stays unpaid". One block whose key is a table: the weights are the
// table's amounts.
// usage: node redist_ref.js KEY.csv REQUISITIONS.csv
// prints the CLI's CSV (stdout) and its summary numbers (stderr).
'use strict';
const fs = require('fs');
const rows = (f) =>
  fs.readFileSync(f, 'utf8').split('\n').filter((l) => /^[0-9]/.test(l)).map((l) => l.split(','));
const key = rows(process.argv[2]).map(([code, amount]) => ({ code, amount: BigInt(amount) }));
key.sort((a, b) => (a.code < b.code ? -1 : 1));
const req = new Map(rows(process.argv[3]).map(([c, r, o, x]) => [c, { r: BigInt(r), o: o === '1', x }]));
let pot = 0n;
const rec = key.map((k) => {
  const q = req.get(k.code);
  const r = q ? q.r : 0n;
  pot += k.amount - r;
  const cap = q && q.o && q.x !== '' && q.x !== 'max' ? BigInt(q.x) : null;
  const part = !!(q && q.o && r === k.amount);
  return { ...k, r, q, part, cap, extra: 0n, round: 0, capped: false };
});
const total = pot;
let round = 0;
const rounds = [];
let active = rec.filter((x) => x.part && x.amount > 0n && x.cap !== 0n);
while (pot > 0n && active.length) {
  round++;
  const w = active.reduce((s, x) => s + x.amount, 0n);
  const share = active.map((x) => ({ x, q: (pot * x.amount) / w, rem: (pot * x.amount) % w }));
  let left = pot - share.reduce((s, y) => s + y.q, 0n);
  const order = [...share].sort((a, b) => (a.rem !== b.rem ? (a.rem > b.rem ? -1 : 1) : a.x.code < b.x.code ? -1 : 1));
  for (const y of order) if (left > 0n) { y.q += 1n; left -= 1n; }
  const hit = share.filter((y) => y.x.cap !== null && y.q >= y.x.cap);
  rounds.push([round, pot, active.length, hit.length]);
  if (!hit.length) {
    for (const y of share) { y.x.extra = y.q; y.x.round = round; }
    pot = 0n;
    break;
  }
  for (const y of hit) { y.x.extra = y.x.cap; y.x.round = round; y.x.capped = true; pot -= y.x.cap; }
  active = active.filter((x) => !x.capped);
}
const out = ['block,code,amount,requisitioned,opt_in,extra_cap,takes_part,supplement,round,capped,final'];
for (const x of rec) {
  const cap = x.q && x.q.o ? (x.cap === null ? 'max' : String(x.cap)) : '';
  out.push(['1', x.code, x.amount, x.r, x.q && x.q.o ? 1 : 0, cap, x.part ? 1 : 0, x.extra, x.round,
    x.capped ? 1 : 0, x.r + x.extra].join(','));
}
process.stdout.write(out.join('\n') + '\n');
const given = rec.reduce((s, x) => s + x.extra, 0n);
process.stderr.write(`pot ${total} redistributed ${given} unpaid ${total - given}\n`);
for (const [r, p, n, c] of rounds) process.stderr.write(`round ${r} ${p} ${n} ${c}\n`);
