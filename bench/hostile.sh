#!/bin/sh
# hostile.sh - the server under hostile clients, full length (run by hand,
# not in ctest; tests/integration/test_web_hostile.c is the bounded CI
# version). Loopback only: source addresses 127.0.1.x and 127.0.2.x.
#   1. 250 anonymous connections each send the head of an 11 MB upload and
#      then up to 10 MiB of its body, and hold for 20 s: the server's
#      resident memory before, at its peak and after they close.
#   2. 256 connections trickle a request head a byte every 250 ms for
#      90 s, from one address and then from 32 addresses, while 10
#      legitimate requests come from another address: how many are served,
#      and when the slow ones are cut (the default deadline is 60 s).
# Exits non-zero when the server's memory grows by more than 64 MiB, when
# fewer than 10 of 10 legitimate requests are served, or when the slow
# connections outlive the deadline: run it against an older binary to see
# the figures before.
#
#   bench/hostile.sh            env: BIDRAG (binary, default build/bidrag),
#                               WORK (default /tmp/bidrag-hostile), SLOW_SECONDS (90)
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
BIDRAG=${BIDRAG:-$SRC/build/bidrag}
WORK=${WORK:-/tmp/bidrag-hostile}
SLOW_SECONDS=${SLOW_SECONDS:-90}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
rm -f "$WORK"/b.db* "$WORK"/serve.*
DB="$WORK/b.db"
ulimit -n 4096 2>/dev/null || true

cc -std=c17 -O2 -Wall -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE "$SRC/bench/hostile.c" \
    -o "$WORK/hostile"
"$BIDRAG" init --db "$DB" --quiet --no-demo-accounts

pid=
start() {
    rm -f "$WORK/serve.out"
    "$BIDRAG" serve --listen 127.0.0.1:0 --db "$DB" --access-log "$WORK/serve.log" \
        >"$WORK/serve.out" 2>"$WORK/serve.err" &
    pid=$!
    n=0
    while [ ! -s "$WORK/serve.out" ] && [ $n -lt 100 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    port=$(sed -n 's/^listening on http:\/\/127.0.0.1://p' "$WORK/serve.out")
    [ -n "$port" ] || { echo "server did not start" >&2; cat "$WORK/serve.err" >&2; exit 1; }
}
stop() {
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
trap stop EXIT
fail=0

echo "== $BIDRAG: 250 half-sent bodies"
start
"$WORK/hostile" bodies "$port" "$pid" 250 10 20 | tee "$WORK/bodies.out"
stop
eval "$(tail -1 "$WORK/bodies.out")"
if [ $((rss_peak_kb - rss_before_kb)) -gt 65536 ]; then
    echo "FAIL: the server grew by $(((rss_peak_kb - rss_before_kb) / 1024)) MiB"
    fail=1
fi

for addrs in 1 32; do
    echo "== $BIDRAG: 256 slow connections from $addrs address(es), $SLOW_SECONDS s"
    start
    "$WORK/hostile" slow "$port" 256 "$addrs" "$SLOW_SECONDS" | tee "$WORK/slow.out"
    stop
    eval "$(tail -1 "$WORK/slow.out")"
    if [ "$served" -lt 10 ]; then
        echo "FAIL: $served of 10 legitimate requests served"
        fail=1
    fi
    if [ "$all_cut_ms" -lt 0 ] || [ "$all_cut_ms" -gt 65000 ]; then
        echo "FAIL: the slow connections were not cut by the 60 s deadline"
        fail=1
    fi
done
exit $fail
