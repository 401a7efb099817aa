// duck.mjs - benchmark only: the same import and GROUP BY as `bidrag stats`
// in DuckDB (in memory, all cores), for bench/stats.sh. Not a runtime
// dependency. usage: node duck.mjs BIG.csv MAPDIR OUT.csv
import { DuckDBInstance } from '@duckdb/node-api';

const [csv, mapdir, out] = process.argv.slice(2);
const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
const ms = (t) => (Number(process.hrtime.bigint() - t) / 1e6).toFixed(0);

let t = process.hrtime.bigint();
await con.run(`CREATE TABLE m AS SELECT * FROM read_csv('${csv}', skip=1, header=true,
  columns={'year':'INTEGER','person':'VARCHAR','sex':'INTEGER','birth_year':'INTEGER',
  'licence':'VARCHAR','ssyk':'VARCHAR','specialty':'VARCHAR','sector':'VARCHAR',
  'kommun':'VARCHAR','fte':'DOUBLE'})`);
console.log(`duckdb_import_ms ${ms(t)}`);
await con.run(`CREATE TABLE lic AS SELECT * FROM read_csv('${mapdir}/licence_map.csv', header=true, all_varchar=true)`);
await con.run(`CREATE TABLE sm AS SELECT * FROM read_csv('${mapdir}/ssyk_map.csv', header=true, all_varchar=true)`);

const query = `
SELECT year, substr(kommun, 1, 2) AS region,
  coalesce(lic.occ, sm.occ, 'ovrigt') AS occupation, sector, sex,
  CASE WHEN year - birth_year < 30 THEN '-29' WHEN year - birth_year < 40 THEN '30-39'
       WHEN year - birth_year < 50 THEN '40-49' WHEN year - birth_year < 60 THEN '50-59'
       WHEN year - birth_year < 65 THEN '60-64' ELSE '65+' END AS ageband,
  count(DISTINCT person) AS headcount,
  sum(CAST(round(fte * 100) AS BIGINT)) AS fte100
FROM m LEFT JOIN lic ON m.licence = lic.licence
       LEFT JOIN sm ON (m.licence IS NULL OR m.licence = '') AND m.ssyk = sm.ssyk
GROUP BY ALL`;
t = process.hrtime.bigint();
await con.run(`COPY (${query}) TO '${out}' (HEADER false)`);
console.log(`duckdb_table_ms ${ms(t)}`);
con.closeSync();
instance.closeSync();
