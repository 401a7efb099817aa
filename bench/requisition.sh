#!/bin/sh
# requisition.sh - throughput of durable requisition submissions over HTTP
# (run by hand, not in ctest), in one run on the same machine:
#   sqlite   one server on a database file in its production settings
#            (store_open: WAL, synchronous=FULL);
#   pg-1     one server on PostgreSQL with its durable defaults (fsync on,
#            synchronous_commit on), started here by tests/pg/server.sh;
#   pg-2     two servers on that PostgreSQL database, the clients split
#            between them (the set-up of docs/operations.md, "Two servers").
# PROGS copies of kompetens-2026 so that every kommun can submit once per
# copy, and bench/reqload.c posting them with THREADS concurrent clients
# through the JSON API. Prints receipts per second and p99 for each, next
# to the raw write+fdatasync and write+fsync rates of the same disk. Exits
# non-zero when a submission fails, the stored requisitions differ from
# the receipts, a server does not stop cleanly or an audit trail does not
# verify. The aim of issue 16 (two servers on PostgreSQL at least as fast as
# one on SQLite) is printed as MET or MISS.
#
#   bench/requisition.sh [PROGS] [THREADS] [SERVER_THREADS]   (defaults 4 16 8)
#   env: BIDRAG (binary, default build/bidrag), WORK (default /tmp/bidrag-reqbench),
#        ONLY=sqlite|pg (one backend)
set -eu
PROGS=${1:-4}
THREADS=${2:-16}
SERVER_THREADS=${3:-8}
SRC=$(cd "$(dirname "$0")/.." && pwd)
BIDRAG=${BIDRAG:-$SRC/build/bidrag}
WORK=${WORK:-/tmp/bidrag-reqbench}
ONLY=${ONLY:-}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
rm -rf "$WORK"/b.db* "$WORK"/tokens.* "$WORK"/progs "$WORK"/serve.* "$WORK"/trail-*
export BIDRAG_NOW=2026-04-15T10:00:00Z # inside kompetens-2026's window
bad=0

cc -std=c17 -O2 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE "$SRC/bench/reqload.c" \
    $(pkg-config --cflags --libs libcurl) -lpthread -o "$WORK/reqload"

# setup DB: the programs, an ombud token per kommun (into tokens.TAG)
setup() {
    db=$1
    tag=$2
    "$BIDRAG" init --db "$db" --quiet --no-demo-accounts
    printf 'bench-losenord-1\n' | "$BIDRAG" user add bench --name Bench --db "$db" >/dev/null
    # the copies rest on kompetens-2026's stand-in data: an officer
    # confirms it before they can be requisitioned (program.confirm_standin)
    printf 'bench-losenord-1\n' | "$BIDRAG" user add bench-hl --name Officer --db "$db" >/dev/null
    "$BIDRAG" user role bench-hl handlaggare --db "$db" >/dev/null
    : >"$WORK/progs"
    i=1
    while [ "$i" -le "$PROGS" ]; do
        sed "s/^id = kompetens-2026/id = bench-$i/" "$SRC/data/programs/kompetens-2026.ini" \
            >"$WORK/bench-$i.ini"
        "$BIDRAG" program load "$WORK/bench-$i.ini" --db "$db" >/dev/null
        "$BIDRAG" program confirm-standin "bench-$i" --as bench-hl --reason bench --db "$db" \
            >/dev/null
        echo "bench-$i" >>"$WORK/progs"
        i=$((i + 1))
    done
    : >"$WORK/tokens.$tag"
    for code in $("$BIDRAG" orgs --role kommun --format csv --db "$db" | tail -n +2 | cut -d, -f1); do
        "$BIDRAG" user role bench ombud --org "$code" --db "$db" >/dev/null
        echo "$code $("$BIDRAG" token create bench --name b --org "$code" --db "$db")" \
            >>"$WORK/tokens.$tag"
    done
}

# serve DB NAME: start a server; its URL in $WORK/serve.NAME.url, pid in .pid
serve() {
    "$BIDRAG" serve --listen 127.0.0.1:0 --db "$1" --threads "$SERVER_THREADS" \
        --access-log "$WORK/serve.$2.log" >"$WORK/serve.$2.out" 2>"$WORK/serve.$2.err" &
    echo $! >"$WORK/serve.$2.pid"
    n=0
    while ! grep -q '^listening on ' "$WORK/serve.$2.out" 2>/dev/null && [ $n -lt 150 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    u=$(sed -n 's/^listening on //p' "$WORK/serve.$2.out")
    if [ -z "$u" ]; then
        echo "requisition.sh: server $2 did not start: $(cat "$WORK/serve.$2.err")" >&2
        exit 1
    fi
    echo "$u" >"$WORK/serve.$2.url"
}
stop() {
    pid=$(cat "$WORK/serve.$1.pid")
    kill -TERM "$pid"
    if wait "$pid"; then :; else
        echo "FAIL server $1 exit status $?"
        bad=1
    fi
}

# run TAG DB NSERVERS: load, then check receipts against the database
run() {
    tag=$1
    db=$2
    nserv=$3
    urls=""
    s=1
    while [ "$s" -le "$nserv" ]; do
        serve "$db" "$tag-$s"
        urls="$urls${urls:+,}$(cat "$WORK/serve.$tag-$s.url")"
        s=$((s + 1))
    done
    echo "$tag: $nserv server(s) $urls ($SERVER_THREADS threads each); $THREADS clients;" \
        "$(wc -l <"$WORK/tokens.$tag") kommuner x $PROGS programs"
    "$WORK/reqload" submit "$urls" "$WORK/tokens.$tag" "$WORK/progs" "$THREADS" \
        >"$WORK/submit.$tag.out" || {
        echo "FAIL $tag: some submissions got no receipt"
        bad=1
    }
    sed 's/^/    /' "$WORK/submit.$tag.out"
    s=1
    while [ "$s" -le "$nserv" ]; do
        stop "$tag-$s"
        s=$((s + 1))
    done
    if "$BIDRAG" audit verify --db "$db" >/dev/null; then :; else
        echo "FAIL $tag: audit verify"
        bad=1
    fi
    want=$(($(wc -l <"$WORK/tokens.$tag") * PROGS))
    receipts=$(sed -n 's/.* receipts \([0-9]*\) .*/\1/p' "$WORK/submit.$tag.out")
    stored=0
    for p in $(cat "$WORK/progs"); do
        n=$("$BIDRAG" requisition list "$p" --state submitted --db "$db" | grep -c 'REK-' || true)
        stored=$((stored + ${n:-0}))
    done
    if [ "${receipts:-0}" = "$want" ] && [ "$stored" = "$want" ]; then
        echo "    submissions $want, receipts $receipts, stored $stored: all there; trail verified"
    else
        echo "FAIL $tag: submissions $want, receipts ${receipts:-none}, stored $stored"
        bad=1
    fi
    rate=$(sed -n 's/.*per_second \([0-9]*\).*/\1/p' "$WORK/submit.$tag.out")
    p99=$(sed -n 's/.*p99_ms \([0-9.]*\).*/\1/p' "$WORK/submit.$tag.out")
    eval "rate_$(echo "$tag" | tr - _)=\${rate:-0}"
    eval "p99_$(echo "$tag" | tr - _)=\${p99:-?}"
}

echo "disk: write 4 KiB + sync in a loop in $WORK for 3 s each..."
"$WORK/reqload" fsync "$WORK" 3 >"$WORK/fsync.out"
fds=$(sed -n 's/^fdatasync_per_second \([0-9]*\).*/\1/p' "$WORK/fsync.out")
fs=$(sed -n 's/.*fsync_per_second \([0-9]*\)$/\1/p' "$WORK/fsync.out")

rate_sqlite=0 rate_pg_1=0 rate_pg_2=0 p99_sqlite=- p99_pg_1=- p99_pg_2=-
if [ "$ONLY" != pg ]; then
    echo "setting up SQLite ($WORK/b.db)..."
    setup "$WORK/b.db" sqlite
    run sqlite "$WORK/b.db" 1
fi
if [ "$ONLY" != sqlite ]; then
    # a PostgreSQL with its durable defaults, on the same disk's /tmp
    . "$SRC/tests/cli/lib.sh"
    . "$SRC/tests/pg/server.sh"
    export BIDRAG_NOW=2026-04-15T10:00:00Z # lib.sh sets its own day
    PG_DURABLE=1 pg_start
    trap 'pg_stop' EXIT
    for n in 1 2; do
        pg_createdb "bench$n"
        export BIDRAG_AUDIT_KEY="$WORK/trail-$n/keys/audit.key"
        export BIDRAG_AUDIT_CHECKPOINTS="$WORK/trail-$n/audit/checkpoints"
        echo "setting up PostgreSQL database bench$n..."
        setup "$(pg_url "bench$n")" "pg-$n"
        run "pg-$n" "$(pg_url "bench$n")" "$n"
    done
fi

echo "RESULT sqlite 1 server: receipts/s $rate_sqlite p99 ${p99_sqlite} ms"
echo "RESULT postgresql 1 server: receipts/s $rate_pg_1 p99 ${p99_pg_1} ms"
echo "RESULT postgresql 2 servers: receipts/s $rate_pg_2 p99 ${p99_pg_2} ms"
echo "RESULT disk raw fdatasync/s $fds fsync/s $fs (disk of $WORK: $(df -P "$WORK" | awk 'NR==2{print $1}'))"
if [ -z "$ONLY" ]; then
    if [ "$rate_pg_2" -ge "$rate_sqlite" ]; then
        echo "MET two servers on PostgreSQL ($rate_pg_2/s) at least as fast as one on SQLite ($rate_sqlite/s)"
    else
        echo "MISS two servers on PostgreSQL ($rate_pg_2/s) slower than one on SQLite ($rate_sqlite/s)"
    fi
fi
exit "$bad"
