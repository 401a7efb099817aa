// swedish.mjs - the one test of "Swedish text where English was asked
// for", shared by the English page crawl (lang_check.mjs) and the
// command line's check (swedish_text.mjs): the letters å ä ö or a common
// Swedish word, once the proper names (one per line in namesText: the
// kommuner, regioner and län of data/reference) and ALLOW are taken out.
// swedishDetector(namesText) gives swedishIn(text): the offending lines.
export function swedishDetector(namesText) {
  const names = namesText
    .split("\n")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .sort((a, b) => b.length - a.length);
  const ALLOW = [
    "Socialstyrelsen",
    "Kammarkollegiet",
    /\bS\d{4}\/\d+(\/\d+)?\b/g, // diarienummer of the government (S2025/01234)
    /\b\d\.\d\.\d-\d+\/\d{4}\b/g, // Socialstyrelsen's diarienummer (3.1.2-12345/2025)
    /\b\p{L}+lagen \(\d{4}:\d+\)/gu, // a statute cited by its name and SFS number
    /[\w.-]+\.(csv|px|xlsx|json|ini)\b/g, // a file's name
  ];
  const SWEDISH_WORDS = [
    // not words English shares (till, under, visa, din, region, ...)
    "och", "att", "för", "med", "som", "inte", "av", "på", "är", "eller", "om",
    "det", "har", "ska", "kan", "från", "alla", "inga", "ingen", "utan", "efter",
    "vid", "över", "vad", "vem", "här", "du", "ditt", "dina", "vi", "oss",
    "sida", "beslut", "rekvisition", "rekvisitioner", "ärende", "ärenden", "belopp",
    "summa", "totalt", "antal", "kvinnor", "män", "privat", "offentlig", "urval",
    "kommun", "kommuner", "regioner", "län", "år", "datum", "spara", "skicka", "logga",
    "sök", "tillbaka", "startsida", "användare", "statistik", "fördelning",
    "statsbidrag", "handläggare", "granskare", "analytiker", "ombud", "utbetalning",
    "yrke", "yrken", "vårdtyp", "ålder", "kön", "samtliga", "saknas", "fel", "felaktig",
  ];
  const wordRe = new RegExp(`(^|[^\\p{L}])(${SWEDISH_WORDS.join("|")})(?=$|[^\\p{L}])`, "iu");
  const letterRe = /[åäöÅÄÖ]/;

  function strip(text) {
    let t = text;
    for (const n of names) t = t.split(n).join(" ");
    for (const a of ALLOW) t = typeof a === "string" ? t.split(a).join(" ") : t.replace(a, " ");
    return t;
  }

  function swedishIn(text) {
    const t = strip(text);
    const found = [];
    for (const line of t.split(/\n+/)) {
      const l = line.trim();
      if (!l || /^(\/|https?:)\S+$/.test(l)) continue; // a URL is not prose
      const m = l.match(wordRe);
      if (letterRe.test(l) || m) found.push(l.length > 120 ? l.slice(0, 120) + "…" : l);
    }
    return found;
  }
  return swedishIn;
}
