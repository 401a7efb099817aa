#!/bin/sh
# requisition.sh - throughput of durable requisition submissions over HTTP
# (run by hand, not in ctest). A real server on a real database file in
# its production settings (store_open: WAL, synchronous=FULL), PROGS copies
# of kompetens-2026 so that every kommun can submit once per copy, and
# bench/reqload.c posting them with THREADS concurrent clients through the
# JSON API. Prints receipts per second next to the raw write+fdatasync and
# write+fsync rates of the same disk, measured in the same folder and run.
# Exits non-zero when a submission fails, the stored requisitions differ
# from the receipts, the server does not stop cleanly or the audit trail
# does not verify.
#
#   bench/requisition.sh [PROGS] [THREADS] [SERVER_THREADS]   (defaults 4 16 8)
#   env: BIDRAG (binary, default build/bidrag), WORK (default /tmp/bidrag-reqbench)
set -eu
PROGS=${1:-4}
THREADS=${2:-16}
SERVER_THREADS=${3:-8}
SRC=$(cd "$(dirname "$0")/.." && pwd)
BIDRAG=${BIDRAG:-$SRC/build/bidrag}
WORK=${WORK:-/tmp/bidrag-reqbench}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
rm -f "$WORK"/b.db* "$WORK"/tokens "$WORK"/progs "$WORK"/serve.*
DB="$WORK/b.db"
export BIDRAG_NOW=2026-04-15T10:00:00Z # inside kompetens-2026's window

cc -std=c17 -O2 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE "$SRC/bench/reqload.c" \
    $(pkg-config --cflags --libs libcurl) -lpthread -o "$WORK/reqload"

echo "setting up $WORK (the $PROGS program copies, an ombud token per kommun)..."
"$BIDRAG" init --db "$DB" --quiet --no-demo-accounts
printf 'bench-losenord-1\n' | "$BIDRAG" user add bench --name Bench --db "$DB" >/dev/null
i=1
while [ "$i" -le "$PROGS" ]; do
    sed "s/^id = kompetens-2026/id = bench-$i/" "$SRC/data/programs/kompetens-2026.ini" \
        >"$WORK/bench-$i.ini"
    "$BIDRAG" program load "$WORK/bench-$i.ini" --db "$DB" >/dev/null
    echo "bench-$i" >>"$WORK/progs"
    i=$((i + 1))
done
for code in $("$BIDRAG" orgs --role kommun --format csv --db "$DB" | tail -n +2 | cut -d, -f1); do
    "$BIDRAG" user role bench ombud --org "$code" --db "$DB" >/dev/null
    echo "$code $("$BIDRAG" token create bench --name b --org "$code" --db "$DB")" >>"$WORK/tokens"
done

echo "disk: write 4 KiB + sync in a loop in $WORK for 3 s each..."
"$WORK/reqload" fsync "$WORK" 3 >"$WORK/fsync.out"
cat "$WORK/fsync.out"

"$BIDRAG" serve --listen 127.0.0.1:0 --db "$DB" --threads "$SERVER_THREADS" \
    --access-log "$WORK/serve.log" >"$WORK/serve.out" 2>"$WORK/serve.err" &
pid=$!
n=0
while [ ! -s "$WORK/serve.out" ] && [ $n -lt 100 ]; do
    sleep 0.1
    n=$((n + 1))
done
base=$(sed -n 's/^listening on //p' "$WORK/serve.out")
if [ -z "$base" ]; then
    kill -TERM "$pid" 2>/dev/null
    echo "requisition.sh: the server did not start: $(cat "$WORK/serve.err")" >&2
    exit 1
fi
echo "server $base ($SERVER_THREADS threads); $THREADS clients; $(wc -l <"$WORK/tokens") kommuner x $PROGS programs"
bad=0
"$WORK/reqload" submit "$base" "$WORK/tokens" "$WORK/progs" "$THREADS" >"$WORK/submit.out" || {
    echo "FAIL reqload: some submissions got no receipt"
    bad=1
}
cat "$WORK/submit.out"
kill -TERM "$pid"
if wait "$pid"; then echo "server stopped cleanly"; else
    echo "FAIL server exit status $?"
    bad=1
fi
if "$BIDRAG" audit verify --db "$DB" >/dev/null; then echo "audit verify: intact"; else
    echo "FAIL audit verify"
    bad=1
fi

# the receipts counted by the client against the requisitions the database holds
want=$(($(wc -l <"$WORK/tokens") * PROGS))
receipts=$(sed -n 's/.* receipts \([0-9]*\) .*/\1/p' "$WORK/submit.out")
stored=0
for p in $(cat "$WORK/progs"); do
    n=$("$BIDRAG" requisition list "$p" --db "$DB" | sed -n 's/.*inskickade \([0-9]*\),.*/\1/p')
    stored=$((stored + ${n:-0}))
done
if [ "${receipts:-0}" = "$want" ] && [ "$stored" = "$want" ]; then
    echo "submissions $want, receipts $receipts, stored $stored: all there"
else
    echo "FAIL submissions $want, receipts ${receipts:-none}, stored $stored"
    bad=1
fi

rate=$(sed -n 's/.*per_second \([0-9]*\).*/\1/p' "$WORK/submit.out")
fds=$(sed -n 's/^fdatasync_per_second \([0-9]*\).*/\1/p' "$WORK/fsync.out")
fs=$(sed -n 's/.*fsync_per_second \([0-9]*\)$/\1/p' "$WORK/fsync.out")
if [ -z "$rate" ] || [ -z "$fds" ] || [ -z "$fs" ]; then
    echo "FAIL a rate is missing (receipts/s '$rate', fdatasync/s '$fds', fsync/s '$fs')"
    bad=1
fi
echo "RESULT receipts/s $rate  raw fdatasync/s $fds  raw fsync/s $fs  (disk of $WORK: $(df -P "$WORK" | awk 'NR==2{print $1}'))"
exit "$bad"
