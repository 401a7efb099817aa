#!/bin/sh
# allocate-process.sh [BUILD] - time `bidrag allocate kompetens-2026` as a
# whole process (start, open the database, parse, allocate 311 recipients,
# print), the figure the foundation issue names: "well under 50 ms".
# Prints the best and median of N runs, and the same for `true` and for
# `sqlite3 DB 'select count(*) from org'` in the same run, as a floor.
# Exits non-zero when the allocation differs from the golden files or a
# run fails.
set -eu
BUILD=${1:-build}
N=${N:-50}
BIN="$BUILD/bidrag"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$BIN" init --db "$T/b.db" --quiet
# the numbers first: the table and CSV the timings are of must be the golden ones
SRC=$(cd "$(dirname "$0")/.." && pwd)
"$BIN" allocate kompetens-2026 --db "$T/b.db" >"$T/k.txt"
"$BIN" allocate kompetens-2026 --db "$T/b.db" --format csv >"$T/k.csv"
if ! cmp -s "$T/k.txt" "$SRC/tests/golden/kompetens-2026.txt" ||
	! cmp -s "$T/k.csv" "$SRC/tests/golden/kompetens-2026.csv"; then
	echo "allocate-process.sh: the allocation differs from tests/golden/kompetens-2026.*" >&2
	exit 1
fi
ms() { # run "$@" N times, print best and median in ms
	i=0
	: >"$T/times"
	while [ $i -lt "$N" ]; do
		a=$(date +%s%N)
		"$@" >/dev/null
		b=$(date +%s%N)
		echo $(((b - a) / 1000)) >>"$T/times"
		i=$((i + 1))
	done
	sort -n "$T/times" | awk '{ v[NR] = $1 } END { printf "best %.2f ms  median %.2f ms\n", v[1] / 1000, v[int((NR + 1) / 2)] / 1000 }'
}
printf '%-48s ' "bidrag allocate kompetens-2026 (table)"
ms "$BIN" allocate kompetens-2026 --db "$T/b.db"
printf '%-48s ' "bidrag allocate kompetens-2026 --format csv"
ms "$BIN" allocate kompetens-2026 --db "$T/b.db" --format csv
printf '%-48s ' "sqlite3 shell, one query (process floor)"
ms sqlite3 "$T/b.db" 'select count(*) from org'
printf '%-48s ' "true (fork+exec floor)"
ms true
