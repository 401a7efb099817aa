#!/bin/sh
# dbcopy.sh - the time of `bidrag db copy` from SQLite to PostgreSQL and
# back: the demo database (`bidrag init`), then the same with N more
# audit records (default 1 000 000, a valid chain: bench/auditfill.c),
# into a PostgreSQL server started here with its durable defaults
# (tests/pg/server.sh, PG_DURABLE=1); also `bidrag audit verify` on both
# and its peak memory. Exits non-zero when a step fails.
# Usage: bench/dbcopy.sh [build-dir] [N]    (run from the repository root)
# Use a plain build: a sanitizer build's library needs -fsanitize to link.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build"}
n=${2:-1000000}
lib="$build/libbidraglib.a"
if [ ! -f "$lib" ] || [ ! -x "$build/bidrag" ]; then
    echo "dbcopy.sh: '$lib' or '$build/bidrag' not found; build first: make build" >&2
    exit 1
fi
BIDRAG=$build/bidrag
BIDRAG_SRC=$root
export PG_DURABLE=1
# the tests' helpers: a temporary folder T and a throwaway server
# shellcheck source=/dev/null
. "$root/tests/cli/lib.sh"
# shellcheck source=/dev/null
. "$root/tests/pg/server.sh"
set -e
pg_start

out="$build/bench_auditfill"
libs=$(pkg-config --libs sqlite3 libpq inih jansson xlsxwriter cairo pangocairo libsodium libmicrohttpd libcurl libxml-2.0)
# shellcheck disable=SC2086
${CC:-cc} -std=c17 -O2 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I"$root/src" \
    "$root/bench/auditfill.c" "$lib" $libs -lcsv -lm -lpthread -o "$out"

s() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(s)" 'BEGIN { printf "%.2f", b - a }'; }
peak() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }

"$BIDRAG" init --db "sqlite:$T/demo.db" >/dev/null
pg_createdb demo
t=$(s)
"$BIDRAG" db copy "sqlite:$T/demo.db" "$(pg_url demo)" >"$T/copy.out"
echo "demo database, SQLite -> PostgreSQL: $(since "$t") s ($(grep 'rows in' "$T/copy.out"))"

base=$("$BIDRAG" audit verify --db "sqlite:$T/demo.db" | sed 's/.*intact: \([0-9]*\) records.*/\1/')
# the big one in a folder of its own, with the trail's files (key ring,
# checkpoints), which PostgreSQL's copies use too
mkdir "$T/big"
cp "$T/demo.db" "$T/big/big.db"
cp -a "$T/keys" "$T/audit" "$T/big/"
export BIDRAG_AUDIT_KEY="$T/big/keys/audit.key" BIDRAG_AUDIT_CHECKPOINTS="$T/big/audit/checkpoints"
t=$(s)
"$out" "sqlite:$T/big/big.db" "$n"
echo "$n audit records appended to the SQLite copy: $(since "$t") s"
pg_createdb big
t=$(s)
"$BIDRAG" db copy "sqlite:$T/big/big.db" "$(pg_url big)" >"$T/copy.out"
echo "demo + $n audit records, SQLite -> PostgreSQL: $(since "$t") s"
sed 's/^/    /' "$T/copy.out" | grep -E 'audit |rows in'
t=$(s)
"$BIDRAG" db copy "$(pg_url big)" "sqlite:$T/big/back.db" >"$T/back.out"
echo "... and back, PostgreSQL -> SQLite: $(since "$t") s"
for db in "sqlite:$T/big/big.db" "$(pg_url big)"; do
    t=$(s)
    kib=$(peak "$BIDRAG" audit verify --db "$db")
    took=$(since "$t")
    "$BIDRAG" audit verify --db "$db" | grep -q "intact: $((n + base)) records"
    echo "audit verify on ${db%%:*}: $took s, peak memory $((kib / 1024)) MiB"
done
echo "database sizes: SQLite $(($(stat -c %s "$T/big/big.db") / 1048576)) MiB," \
    "PostgreSQL $(pg_psql big -At -c "SELECT pg_database_size('big') / 1048576") MiB"
