#!/bin/sh
# invoices.sh - the invoice validation benchmark (bench/invoices.c): one
# reclaim invoice for each of the 311 recipients (organisation numbers from
# data/reference), written as Peppol BIS Billing 3.0 and validated against
# the UBL 2.1 XSD and both schematrons: one invoice alone (5 runs) and 10
# and 311 in one run. Exits non-zero if an invoice is blocked.
# Usage: bench/invoices.sh [build-dir]    (run from the repository root)
# Use a plain build: a sanitizer build's library needs -fsanitize to link.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build"}
lib="$build/libbidraglib.a"
if [ ! -f "$lib" ] || [ ! -f "$build/schematron/PEPPOL-EN16931-UBL.xsl" ]; then
    echo "invoices.sh: '$lib' or the compiled rules in '$build/schematron' not found; build first: make build" >&2
    exit 1
fi
out="$build/bench_invoices"
libs=$(pkg-config --libs sqlite3 inih jansson xlsxwriter cairo pangocairo libsodium libmicrohttpd libcurl libxml-2.0)
# shellcheck disable=SC2086
${CC:-cc} -std=c17 -O2 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I"$root/src" \
    -DBIDRAG_SOURCE_DIR="\"$root\"" \
    "$root/bench/invoices.c" "$lib" $libs -lcsv -lm -lpthread -o "$out"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
BIDRAG_SCHEMATRON_DIR="$build/schematron" "$out" "$root/data"
