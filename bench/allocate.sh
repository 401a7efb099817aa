#!/bin/sh
# allocate.sh - build and run the allocation benchmark (bench/allocate.c)
# against the library of a build directory (default ./build), optimised.
# Usage: bench/allocate.sh [build-dir]    (run from the repository root)
# Use a plain build: a sanitizer build's library needs -fsanitize to link.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build"}
lib="$build/libbidraglib.a"
if [ ! -f "$lib" ]; then
    echo "allocate.sh: '$lib' not found; build first: cmake -S . -B build -G Ninja && cmake --build build" >&2
    exit 1
fi
out="$build/bench_allocate"
libs=$(pkg-config --libs sqlite3 libpq inih jansson xlsxwriter cairo pangocairo libsodium libmicrohttpd libcurl)
# shellcheck disable=SC2086
${CC:-cc} -std=c17 -O2 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I"$root/src" \
    "$root/bench/allocate.c" "$lib" $libs -lcsv -lm -lpthread -o "$out"
"$out"
