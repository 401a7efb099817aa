// duck.mjs - benchmark only: the same import and table as `bidrag stats` in
// DuckDB (in memory, all cores), for bench/stats.sh. Not a runtime
// dependency. usage: node duck.mjs BIG.csv MAPDIR OUT.csv SKIP DELIM NFIELDS
// (SKIP: comment lines before the header; DELIM: ',' or ';'; NFIELDS 10, or 11
// with the sni column)
//
// The table is year × region × occupation × sector × sex × ageband with a
// total over every dimension but year and every combination of totals (the
// grouping sets of CUBE(...) by year), headcount as count(DISTINCT person)
// at every level, FTE in hundredths; totals are written with bidrag's
// codes ("00" for the country, "total" for the others). The time of the
// table includes making r (the join and the age bands).
import { DuckDBInstance } from '@duckdb/node-api';

const [csv, mapdir, out, skip, delim, nfields] = process.argv.slice(2);
const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
// a shared machine: at most 10 GB in memory, the rest spilled beside the output
await con.run(`SET memory_limit='10GB'`);
await con.run(`SET temp_directory='${out}.tmp'`);
const ms = (t) => (Number(process.hrtime.bigint() - t) / 1e6).toFixed(0);

// fte as text: a foreign file may write a decimal comma ("0,75")
let t = process.hrtime.bigint();
await con.run(`CREATE TABLE m AS SELECT * FROM read_csv('${csv}', header=true,
  skip=${Number(skip)}, delim='${delim === ';' ? ';' : ','}', quote='"',
  columns={'year':'INTEGER','person':'VARCHAR','sex':'INTEGER','birth_year':'INTEGER',
  'licence':'VARCHAR','ssyk':'VARCHAR','specialty':'VARCHAR','sector':'VARCHAR',
  'kommun':'VARCHAR','fte':'VARCHAR'${Number(nfields) === 11 ? ",'sni':'VARCHAR'" : ''}})`);
console.log(`duckdb_import_ms ${ms(t)}`);
await con.run(`CREATE TABLE lic AS SELECT * FROM read_csv('${mapdir}/licence_map.csv', header=true, all_varchar=true)`);
await con.run(`CREATE TABLE sm AS SELECT * FROM read_csv('${mapdir}/ssyk_map.csv', header=true, all_varchar=true)`);
await con.run(`CREATE TABLE snimap AS SELECT * FROM read_csv('${mapdir}/sni_map.csv', header=true, all_varchar=true)`);
await con.run(`CREATE TABLE careonly AS SELECT * FROM read_csv('${mapdir}/care_only.csv', header=true, all_varchar=true)`);
// an occupation of scope 'vard' in a workplace whose SNI code is given but
// outside the care types is 'ovrigt' (data/stats/PROVENANCE.md)
const withSni = Number(nfields) === 11;
const occExpr = withSni
  ? `coalesce(lic.occ, CASE WHEN sm.occ IN (SELECT occ FROM careonly) AND m.sni IS NOT NULL
       AND m.sni <> '' AND snimap.caretype IS NULL THEN NULL ELSE sm.occ END, 'ovrigt')`
  : `coalesce(lic.occ, sm.occ, 'ovrigt')`;
const sniJoin = withSni ? 'LEFT JOIN snimap ON m.sni = snimap.sni' : '';

// the records with their table coordinates, once
t = process.hrtime.bigint();
await con.run(`CREATE TEMP TABLE r AS
  SELECT year, person, substr(kommun, 1, 2) AS region,
    ${occExpr} AS occupation, sector, CAST(sex AS VARCHAR) AS sex,
    CASE WHEN year - birth_year < 30 THEN '15-29' WHEN year - birth_year < 40 THEN '30-39'
         WHEN year - birth_year < 50 THEN '40-49' WHEN year - birth_year < 60 THEN '50-59'
         WHEN year - birth_year < 65 THEN '60-64' ELSE '65+' END AS ageband,
    CAST(round(CAST(replace(fte, ',', '.') AS DOUBLE) * 100) AS BIGINT) AS fte100
  FROM m LEFT JOIN lic ON m.licence = lic.licence
         LEFT JOIN sm ON (m.licence IS NULL OR m.licence = '') AND m.ssyk = sm.ssyk
         ${sniJoin}`);
// every grouping set of CUBE(region, occupation, sector, sex, ageband) by year
// as its own GROUP BY: DuckDB's own CUBE with count(DISTINCT) needed 6.7 GB
// for 2 M records and spilled 23 GB at 20 M without finishing in 11 minutes;
// one GROUP BY per set gives the same rows in half the time and a tenth of
// the memory
const dims = ['region', 'occupation', 'sector', 'sex', 'ageband'];
const total = { region: "'00'", occupation: "'total'", sector: "'total'", sex: "'total'",
                ageband: "'total'" };
const sets = [];
for (let mask = 0; mask < 32; mask++) {
  const sel = dims.map((d, i) => ((mask >> i) & 1 ? total[d] : d));
  const by = ['year', ...dims.filter((d, i) => !((mask >> i) & 1))];
  sets.push(`SELECT year, ${sel.join(', ')}, count(DISTINCT person), sum(fte100)
             FROM r GROUP BY ${by.join(', ')}`);
}
const query = sets.join('\nUNION ALL\n');
await con.run(`COPY (${query}) TO '${out}' (HEADER false)`);
console.log(`duckdb_table_ms ${ms(t)}`);
con.closeSync();
instance.closeSync();
