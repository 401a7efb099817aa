#!/bin/sh
# payments.sh - the bank-file benchmark (bench/payments.c): the 311
# recipients of kompetens-2026 (their amounts from `bidrag allocate` on a
# fresh database) and 1 000 / 10 000 / 100 000 synthetic payments, each
# built, written as pain.001 and validated against the ISO XSD in memory;
# then xmllint --schema (DOM, and --stream) validating the same files in
# the same run. Exits non-zero if any file does not validate.
# Usage: bench/payments.sh [build-dir]    (run from the repository root)
# Use a plain build: a sanitizer build's library needs -fsanitize to link.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build"}
lib="$build/libbidraglib.a"
if [ ! -f "$lib" ] || [ ! -x "$build/bidrag" ]; then
    echo "payments.sh: '$lib' or '$build/bidrag' not found; build first: make build" >&2
    exit 1
fi
command -v xmllint >/dev/null || { echo "payments.sh: xmllint missing (libxml2-utils)" >&2; exit 1; }
xsd="$root/data/schemas/iso20022/pain.001.001.03.xsd"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bidrag-payments.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

out="$build/bench_payments"
libs=$(pkg-config --libs sqlite3 inih jansson xlsxwriter cairo pangocairo libsodium libmicrohttpd libcurl libxml-2.0)
# shellcheck disable=SC2086
${CC:-cc} -std=c17 -O2 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I"$root/src" \
    "$root/bench/payments.c" "$lib" $libs -lcsv -lm -lpthread -o "$out"

export BIDRAG_NOW=2026-03-10T09:00:00Z
"$build/bidrag" init --db "$tmp/b.db" >/dev/null
"$build/bidrag" allocate "$root/data/programs/kompetens-2026.ini" --db "$tmp/b.db" \
    --format csv >"$tmp/alloc.csv"
mkdir -p "$tmp/files"
"$out" "$tmp/alloc.csv" "$xsd" "$tmp/files"

ms() { date +%s%N; }
echo
echo "xmllint --noout --nonet --schema on the same files (wall time, schema compiled each run):"
printf '%-28s %12s %12s\n' "file" "DOM ms" "--stream ms"
status=0
for f in "$tmp/files"/kompetens-2026.xml "$tmp/files"/synthetic-*.xml; do
    t0=$(ms)
    if ! xmllint --noout --nonet --schema "$xsd" "$f" 2>"$tmp/err"; then
        cat "$tmp/err" >&2
        status=1
    fi
    t1=$(ms)
    if ! xmllint --noout --nonet --stream --schema "$xsd" "$f" 2>"$tmp/err"; then
        cat "$tmp/err" >&2
        status=1
    fi
    t2=$(ms)
    awk -v f="$(basename "$f")" -v a="$t0" -v b="$t1" -v c="$t2" \
        'BEGIN { printf "%-28s %12.1f %12.1f\n", f, (b - a) / 1e6, (c - b) / 1e6 }'
done
t0=$(ms)
if ! xmllint --noout --nonet --schema "$xsd" "$root/../shared/schemas/iso20022/example-pain.001.001.03-bankgiro.xml" 2>"$tmp/err"; then
    cat "$tmp/err" >&2
    status=1
fi
t1=$(ms)
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%-28s %12.1f   (one payment: mostly starting and compiling the schema)\n", "example (1 payment)", (b - a) / 1e6 }'
exit $status
