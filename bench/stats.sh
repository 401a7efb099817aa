#!/bin/sh
# stats.sh - benchmark of the workforce statistics engine (run by hand, not
# in ctest): import, the full table year × region × occupation × sector ×
# sex × ageband (headcount as distinct persons at every level, FTE, every
# total and combination of totals), protected by the cell key method, and a
# web-style table; the same import and table in DuckDB (bench/duck.mjs:
# GROUP BY year, CUBE(...) with count(DISTINCT person)). Checks that
# bidrag's exact numbers equal DuckDB's, cell for cell, and that the
# protected table has the same cells; prints times, ratios, peak memory.
# Exits non-zero when the numbers disagree.
#
#   bench/stats.sh [ROWS]          synthetic records (default 20000000; ~6 GB in $WORK)
#   bench/stats.sh --csv FILE      a given microdata file instead (docs/statistics.md format)
#   env: BIDRAG (binary, default build/bidrag), WORK (default /tmp/bidrag-bench)
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
BIDRAG=${BIDRAG:-$SRC/build/bidrag}
WORK=${WORK:-/tmp/bidrag-bench}
CSV=""
ROWS=20000000
if [ "${1:-}" = "--csv" ]; then
    [ -n "${2:-}" ] || { echo "stats.sh: --csv needs a FILE" >&2; exit 2; }
    CSV=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
    [ -r "$CSV" ] || { echo "stats.sh: cannot read '$2'" >&2; exit 2; }
elif [ -n "${1:-}" ]; then
    ROWS=$1
fi
mkdir -p "$WORK"
cd "$WORK"
rm -rf var duck.csv
TIMEF='%e %M'

# run NAME CMD...: time a command, keep "seconds maxrss_kb" in NAME.time
run() {
    name=$1
    shift
    /usr/bin/time -f "$TIMEF" -o "$name.time" "$@"
}
secs() { cut -d' ' -f1 "$1.time"; }
mem() { cut -d' ' -f2 "$1.time"; }

if [ -z "$CSV" ]; then
    echo "== synth $ROWS records"
    run synth "$BIDRAG" stats synth --rows "$ROWS" --years 2005-2024 --seed 1 --out big.csv
    echo "synth: $(secs synth) s, $(du -h big.csv | cut -f1)"
    CSV=$WORK/big.csv
fi
echo "== input: $CSV ($(du -h "$CSV" | cut -f1))"

echo "== bidrag import"
BIDRAG_STATS_TIMING=1 run import "$BIDRAG" stats import "$CSV" --db var/bidrag.db --dir var/stats

echo "== bidrag full table"
DIMS=year,region,occupation,sector,sex,ageband
run table "$BIDRAG" stats table --dir var/stats --rows $DIMS --measure headcount,fte \
    --format csv-codes --out ours_prot.csv
run table_exact "$BIDRAG" stats table --dir var/stats --rows $DIMS --measure headcount,fte \
    --format csv-codes --out ours.csv --no-protect 2>/dev/null

echo "== bidrag web-style table (läkare, all regions, the ten latest years), 10 runs"
best=999999
for i in 1 2 3 4 5 6 7 8 9 10; do
    t0=$(date +%s%N)
    "$BIDRAG" stats table --dir var/stats --rows region --cols year \
        --filter "licence=läkare,year=top(10)" --measure headcount,fte --format csv-codes \
        --out web.csv
    t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 ))
    [ "$ms" -lt "$best" ] && best=$ms
done
echo "web table: best of 10 = $best ms (whole process: start, map, scan, protect, write)"

# canonical form: year,region,occ,sector,sex,ageband,headcount,fte_hundredths for
# every non-empty cell, totals included, sorted
canon() {
    awk -F, 'NR > 1 && $7 != "0" { f = $8; sub(/\./, "", f);
             print $1","$2","$3","$4","$5","$6","$7","(f + 0) }' "$1" | LC_ALL=C sort
}
canon ours.csv > ours.canon

# the occupation mapping of data/stats/occupations.csv as two tables
awk -F, 'NR > 1 && $4 != "" { print $4","$1 }
         BEGIN { print "licence,occ" }' "$SRC/data/stats/occupations.csv" > licence_map.csv
awk -F, 'BEGIN { print "ssyk,occ" }
         NR > 1 && $5 != "" { n = split($5, c, ";");
           for (i = 1; i <= n; i++) { if (split(c[i], r, "-") == 2) {
               for (k = r[1]; k <= r[2]; k++) print k","$1 } else print c[i]","$1 } }' \
    "$SRC/data/stats/occupations.csv" > ssyk_map.csv
# the care types by SNI code, and the occupations counted only in health and
# care workplaces (occupations.csv's scope 'vard')
awk -F, 'BEGIN { print "sni,caretype" }
         NR > 1 && $3 != "" { n = split($3, c, ";"); for (i = 1; i <= n; i++) print c[i]","$1 }' \
    "$SRC/data/stats/caretypes.csv" > sni_map.csv
awk -F, 'BEGIN { print "occ" } NR > 1 && $7 == "vard" { print $1 }' \
    "$SRC/data/stats/occupations.csv" > care_only.csv

echo "== duckdb"
if [ ! -d "$SRC/bench/node_modules/@duckdb/node-api" ]; then
    # exactly the lock (it lists every platform's optional DuckDB binding)
    (cd "$SRC/bench" && npm ci --no-audit --no-fund --silent)
fi
# the comment lines before the header, and its delimiter
skip=$(awk '!/^#/ { print NR - 1; exit }' "$CSV")
delim=,
sed -n "$((skip + 1))p" "$CSV" | grep -q ';' && delim=';'
nfields=$(sed -n "$((skip + 1))p" "$CSV" | awk -F"$delim" '{ print NF }')
run duck node "$SRC/bench/duck.mjs" "$CSV" "$WORK" "$WORK/duck.csv" "$skip" "$delim" "$nfields" \
    > duck.out
cat duck.out
tr -d '"' < duck.csv | LC_ALL=C sort > duck.canon

echo "== results"
status=0
ours_sum=$(md5sum < ours.canon | cut -c1-12)
duck_sum=$(md5sum < duck.canon | cut -c1-12)
echo "non-empty cells (totals included): bidrag $(wc -l < ours.canon), duckdb $(wc -l < duck.canon)"
echo "checksum: bidrag $ours_sum duckdb $duck_sum"
if [ ! -s ours.canon ]; then
    echo "MISMATCH: bidrag's table has no cells"
    status=1
fi
if [ "$ours_sum" = "$duck_sum" ]; then
    echo "bidrag = duckdb: same numbers, distinct persons at every level"
else
    echo "MISMATCH bidrag/duckdb; first differences:"
    diff ours.canon duck.canon | head -5
    status=1
fi
# the protected table: the same cells, never a 1 or 2, the country's totals
# the same in every year's row of totals
if [ "$(cut -d, -f1-6 ours_prot.csv | md5sum)" != "$(cut -d, -f1-6 ours.csv | md5sum)" ]; then
    echo "MISMATCH: the protected table has other cells than the exact one"
    status=1
fi
small=$(awk -F, 'NR > 1 && ($7 == "1" || $7 == "2")' ours_prot.csv | wc -l)
echo "protected table: $small published values of 1 or 2"
[ "$small" -eq 0 ] || status=1
maxdev=$(paste -d, ours.csv ours_prot.csv | awk -F, 'NR > 1 { d = $7 - $15; if (d < 0) d = -d;
    if (d > m) m = d } END { print m + 0 }')
echo "protected table: largest deviation from the exact count $maxdev"
di=$(awk '/duckdb_import_ms/ { print $2 / 1000 }' duck.out)
dt=$(awk '/duckdb_table_ms/ { print $2 / 1000 }' duck.out)
printf '%-44s %10s %12s\n' step seconds peak_MiB
printf '%-44s %10s %12d\n' "bidrag import" "$(secs import)" $(( $(mem import) / 1024 ))
printf '%-44s %10s %12d\n' "bidrag full table (protected)" "$(secs table)" $(( $(mem table) / 1024 ))
printf '%-44s %10s %12d\n' "bidrag full table (exact, --no-protect)" "$(secs table_exact)" $(( $(mem table_exact) / 1024 ))
printf '%-44s %10s\n' "bidrag web table (best of 10)" "$(awk "BEGIN { print $best / 1000 }")"
printf '%-44s %10s %12d\n' "duckdb import (read_csv)" "$di" $(( $(mem duck) / 1024 ))
printf '%-44s %10s\n' "duckdb table (grouping sets, count DISTINCT)" "$dt"
awk -v di="$di" -v dt="$dt" -v bi="$(secs import)" -v bt="$(secs table)" 'BEGIN {
    printf "ratio import duckdb/bidrag: %.2f (aim >= 1)\n", di / bi
    printf "ratio table  duckdb/bidrag: %.2f (aim >= 2; bidrag protected)\n", dt / bt }'
if [ "$status" != 0 ]; then
    echo "stats.sh: the numbers disagree (MISMATCH above)" >&2
    exit 1
fi
