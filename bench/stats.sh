#!/bin/sh
# stats.sh - benchmark of the workforce statistics engine (run by hand, not
# in ctest): 20 000 000 synthetic records, import, the full table
# year × region × occupation × sector × sex × ageband (headcount, fte), a
# web-style table (one licence, all regions, ten years); the same import
# and GROUP BY in DuckDB (bench/duck.mjs) and in the sqlite3 shell; checks
# that all three give the same numbers; prints times, ratios, peak memory.
# Exits non-zero when a step fails or the numbers disagree (after printing
# the figures).
#
#   bench/stats.sh [ROWS]          (default 20000000; needs ~6 GB in $WORK)
#   env: BIDRAG (binary, default build/bidrag), WORK (default /tmp/bidrag-bench),
#        SKIP_SQLITE=1 to leave sqlite out (it takes minutes)
set -eu
ROWS=${1:-20000000}
SRC=$(cd "$(dirname "$0")/.." && pwd)
BIDRAG=${BIDRAG:-$SRC/build/bidrag}
WORK=${WORK:-/tmp/bidrag-bench}
mkdir -p "$WORK"
cd "$WORK"
rm -rf var duck.csv sqlite.db
TIMEF='%e %M'

# run NAME CMD...: time a command, keep "seconds maxrss_kb" in NAME.time
run() {
    name=$1
    shift
    /usr/bin/time -f "$TIMEF" -o "$name.time" "$@"
}
secs() { cut -d' ' -f1 "$1.time"; }
mem() { cut -d' ' -f2 "$1.time"; }

echo "== synth $ROWS records"
run synth "$BIDRAG" stats synth --rows "$ROWS" --years 2005-2024 --seed 1 --out big.csv
echo "synth: $(secs synth) s, $(du -h big.csv | cut -f1)"

echo "== bidrag import"
run import "$BIDRAG" stats import big.csv --db var/bidrag.db --dir var/stats

echo "== bidrag full table"
DIMS=year,region,occupation,sector,sex,ageband
run table "$BIDRAG" stats table --dir var/stats --rows $DIMS --measure headcount,fte \
    --format csv-codes --out ours_supp.csv
run table_nosupp "$BIDRAG" stats table --dir var/stats --rows $DIMS --measure headcount,fte \
    --format csv-codes --out ours.csv --no-suppress 2>/dev/null

echo "== bidrag web-style table (läkare, all regions, 2015-2024), 10 runs"
best=999999
for i in 1 2 3 4 5 6 7 8 9 10; do
    t0=$(date +%s%N)
    "$BIDRAG" stats table --dir var/stats --rows region --cols year \
        --filter licence=läkare,year=2015-2024 --measure headcount,fte --format csv-codes \
        --out web.csv
    t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 ))
    [ "$ms" -lt "$best" ] && best=$ms
done
echo "web table: best of 10 = $best ms (whole process: start, map, scan, suppress, write)"

# canonical form: year,region,occ,sector,sex,ageband,headcount,fte_hundredths
# without totals and empty cells, sorted
awk -F, 'NR > 1 && $2 != "00" && $3 != "total" && $4 != "total" && $5 != "total" &&
         $6 != "total" && $7 != "0" { f = $8; sub(/\./, "", f);
         print $1","$2","$3","$4","$5","$6","$7","(f + 0) }' ours.csv | LC_ALL=C sort > ours.canon

# the occupation mapping of data/stats/occupations.csv as two tables
awk -F, 'NR > 1 && $4 != "" { print $4","$1 }
         BEGIN { print "licence,occ" }' "$SRC/data/stats/occupations.csv" > licence_map.csv
awk -F, 'BEGIN { print "ssyk,occ" }
         NR > 1 && $5 != "" { n = split($5, c, ";");
           for (i = 1; i <= n; i++) { if (split(c[i], r, "-") == 2) {
               for (k = r[1]; k <= r[2]; k++) print k","$1 } else print c[i]","$1 } }' \
    "$SRC/data/stats/occupations.csv" > ssyk_map.csv

echo "== duckdb"
if [ ! -d "$SRC/bench/node_modules/@duckdb/node-api" ]; then
    # exactly the lock (it lists every platform's optional DuckDB binding)
    (cd "$SRC/bench" && npm ci --no-audit --no-fund --silent)
fi
run duck node "$SRC/bench/duck.mjs" "$WORK/big.csv" "$WORK" "$WORK/duck.csv" > duck.out
cat duck.out
LC_ALL=C sort duck.csv > duck.canon

if [ "${SKIP_SQLITE:-0}" != 1 ]; then
    echo "== sqlite3"
    cat > sqlite.sql <<EOF
CREATE TABLE m(year INTEGER, person TEXT, sex INTEGER, birth_year INTEGER, licence TEXT,
  ssyk TEXT, specialty TEXT, sector TEXT, kommun TEXT, fte REAL);
.import --csv --skip 2 big.csv m
CREATE TABLE lic(licence TEXT PRIMARY KEY, occ TEXT);
.import --csv --skip 1 licence_map.csv lic
CREATE TABLE sm(ssyk TEXT PRIMARY KEY, occ TEXT);
.import --csv --skip 1 ssyk_map.csv sm
EOF
    cat > sqlite_q.sql <<EOF
.mode csv
.headers off
.output sqlite.csv
SELECT year, substr(kommun, 1, 2), coalesce(lic.occ, sm.occ, 'ovrigt') AS occ, sector, sex,
  CASE WHEN year - birth_year < 30 THEN '-29' WHEN year - birth_year < 40 THEN '30-39'
       WHEN year - birth_year < 50 THEN '40-49' WHEN year - birth_year < 60 THEN '50-59'
       WHEN year - birth_year < 65 THEN '60-64' ELSE '65+' END AS ab,
  count(DISTINCT person), sum(CAST(round(fte * 100) AS INTEGER))
FROM m LEFT JOIN lic ON m.licence = lic.licence
       LEFT JOIN sm ON m.licence = '' AND m.ssyk = sm.ssyk
GROUP BY 1, 2, 3, 4, 5, 6;
EOF
    run sqlite_import sqlite3 sqlite.db < sqlite.sql
    run sqlite_table sqlite3 sqlite.db < sqlite_q.sql
    tr -d '\r' < sqlite.csv | LC_ALL=C sort > sqlite.canon
fi

echo "== results ($ROWS records)"
mismatch=0
ours_sum=$(md5sum < ours.canon | cut -c1-12)
duck_sum=$(md5sum < duck.canon | cut -c1-12)
echo "cells: bidrag $(wc -l < ours.canon), duckdb $(wc -l < duck.canon)"
if [ ! -s ours.canon ]; then
    echo "MISMATCH: bidrag's table has no cells"
    mismatch=1
fi
echo "checksum: bidrag $ours_sum duckdb $duck_sum"
if [ "$ours_sum" = "$duck_sum" ]; then echo "bidrag = duckdb: same numbers"; else
    echo "MISMATCH bidrag/duckdb"
    mismatch=1
fi
if [ -f sqlite.canon ]; then
    sq_sum=$(md5sum < sqlite.canon | cut -c1-12)
    echo "checksum: sqlite $sq_sum"
    if [ "$ours_sum" = "$sq_sum" ]; then echo "bidrag = sqlite: same numbers"; else
        echo "MISMATCH bidrag/sqlite"
        mismatch=1
    fi
fi
di=$(awk '/duckdb_import_ms/ { print $2 / 1000 }' duck.out)
dt=$(awk '/duckdb_table_ms/ { print $2 / 1000 }' duck.out)
printf '%-34s %10s %12s\n' step seconds peak_MiB
printf '%-34s %10s %12d\n' "bidrag import" "$(secs import)" $(( $(mem import) / 1024 ))
printf '%-34s %10s %12d\n' "bidrag full table (suppressed)" "$(secs table)" $(( $(mem table) / 1024 ))
printf '%-34s %10s %12d\n' "bidrag full table (no suppression)" "$(secs table_nosupp)" $(( $(mem table_nosupp) / 1024 ))
printf '%-34s %10s\n' "bidrag web table (best of 10)" "$(awk "BEGIN { print $best / 1000 }")"
printf '%-34s %10s %12d\n' "duckdb import (read_csv)" "$di" $(( $(mem duck) / 1024 ))
printf '%-34s %10s\n' "duckdb table (COPY query)" "$dt"
if [ -f sqlite_import.time ]; then
    printf '%-34s %10s %12d\n' "sqlite3 .import" "$(secs sqlite_import)" $(( $(mem sqlite_import) / 1024 ))
    printf '%-34s %10s %12d\n' "sqlite3 table" "$(secs sqlite_table)" $(( $(mem sqlite_table) / 1024 ))
fi
awk -v di="$di" -v dt="$dt" -v bi="$(secs import)" -v bt="$(secs table)" 'BEGIN {
    printf "ratio import duckdb/bidrag: %.2f (>= 1 means bidrag is at least as fast)\n", di / bi
    printf "ratio table  duckdb/bidrag: %.2f (aim >= 2)\n", dt / bt }'
if [ -f sqlite_import.time ]; then
    awk -v si="$(secs sqlite_import)" -v st="$(secs sqlite_table)" -v bi="$(secs import)" \
        -v bt="$(secs table)" 'BEGIN {
        printf "ratio import sqlite/bidrag: %.2f\n", si / bi
        printf "ratio table  sqlite/bidrag: %.2f\n", st / bt }'
fi
if [ "$mismatch" != 0 ]; then
    echo "stats.sh: the engines disagree (MISMATCH above)" >&2
    exit 1
fi
