#!/bin/sh
# audit.sh - the cost of the audit trail per record (bench/audit.c) on a
# new database in a temporary folder (its key ring and checkpoints beside
# it), without and with an entity's row digest: EACH records (default
# 2000) each in a transaction of its own (the commit's fsync dominates),
# then N (default 100000) in one transaction (the record's own cost).
# Usage: bench/audit.sh [build-dir] [N] [EACH]   (run from the repository root)
# Use a plain build: a sanitizer build's library needs -fsanitize to link.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build"}
n=${2:-100000}
each=${3:-2000}
lib="$build/libbidraglib.a"
if [ ! -f "$lib" ]; then
    echo "audit.sh: '$lib' not found; build first: make build" >&2
    exit 1
fi
out="$build/bench_audit"
libs=$(pkg-config --libs sqlite3 inih jansson xlsxwriter cairo pangocairo libsodium libmicrohttpd libcurl libxml-2.0)
# shellcheck disable=SC2086
${CC:-cc} -std=c17 -O2 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I"$root/src" \
    -DBIDRAG_SOURCE_DIR="\"$root\"" \
    "$root/bench/audit.c" "$lib" $libs -lcsv -lm -lpthread -o "$out"
dir=$(mktemp -d "${TMPDIR:-/tmp}/bidrag-bench-audit.XXXXXX")
trap 'rm -rf "$dir"' EXIT
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$out" "$dir" "$n" "$each"
