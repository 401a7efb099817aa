#!/bin/sh
# projection.sh - the projection benchmark (bench/projection.c): the full
# projection (22 professions × 21 regions × 2 sexes × ages 20-75 × 15
# years × 4 scenarios, with demand and a 5-year back-cast) timed in the
# process and as a whole process, its growth with the horizon, the
# stock-flow identity and the other checks in every cell of every
# scenario, and synthetic microdata with planted flows: the estimated
# rates and the back-cast error table. Exits non-zero if a check fails.
# Usage: bench/projection.sh [build-dir]    (run from the repository root)
# Use a plain build: a sanitizer build's library needs -fsanitize to link.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build"}
lib="$build/libbidraglib.a"
if [ ! -f "$lib" ]; then
    echo "projection.sh: '$lib' not found; build first: make build" >&2
    exit 1
fi
out="$build/bench_projection"
libs=$(pkg-config --libs sqlite3 inih jansson xlsxwriter cairo pangocairo libsodium libmicrohttpd libcurl libxml-2.0)
# shellcheck disable=SC2086
${CC:-cc} -std=c17 -O2 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I"$root/src" \
    "$root/bench/projection.c" "$lib" $libs -lcsv -lm -lpthread -o "$out"

ms() { date +%s%N; }
echo "0. the full projection as a whole process (start, build the inputs, run, free, exit):"
best=""
for i in 1 2 3 4 5; do
    t0=$(ms)
    line=$("$out" --once)
    t1=$(ms)
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')
    echo "   run $i: ${wall} ms wall ($line)"
    best=$(awk -v b="$best" -v w="$wall" 'BEGIN { print (b == "" || w < b) ? w : b }')
done
echo "   best: ${best} ms"
echo
"$out"
