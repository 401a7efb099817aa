// swedish_text.mjs - the command line in English must be in English:
// reads text on standard input and prints each line with Swedish text in
// it (swedish.mjs: å ä ö or a common Swedish word, proper names and the
// agency's names excepted); exits 1 when there is any.
//
// usage: node swedish_text.mjs NAMES_FILE < output
import { readFileSync } from "node:fs";
import { swedishDetector } from "./swedish.mjs";

const swedishIn = swedishDetector(readFileSync(process.argv[2], "utf8"));
const found = swedishIn(readFileSync(0, "utf8"));
for (const line of found) console.log(line);
process.exit(found.length ? 1 : 0);
