#!/bin/sh
# http.sh - pages at the speed of static files (issue 12; run by hand, not
# in ctest). Starts `bidrag serve` on a fresh demo database and nginx
# (Debian's, on a free loopback port, its config in a temporary folder)
# serving the very bytes Bidrag answers saved as static files, and runs
# wrk (64 connections, 2 threads) against each page on both in the same
# run. Prints req/s and p99 for Bidrag and nginx and their ratio.
#
# Exits non-zero when a response is not 2xx, when a page's bytes differ
# between Bidrag (before and after its run) and nginx, or when a page
# misses the aim: at least AIM_RATIO of nginx's rate and p99 under
# AIM_P99_MS milliseconds.
#
#   bench/http.sh                       (the pages below, 10 s each)
#   ONLY='program|allocation' bench/http.sh   (some of them)
#   env: BIDRAG (binary, default build/bidrag), WORK (default a temporary
#   folder), DURATION (seconds per run, 10), CONNECTIONS (64), THREADS (2,
#   wrk's), SERVER_THREADS (Bidrag's workers, default the cores),
#   AIM_RATIO (0.5), AIM_P99_MS (10), PERF=1 (record a perf profile of
#   Bidrag during its runs into WORK/perf.data and print its top)
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
BIDRAG=${BIDRAG:-$SRC/build/bidrag}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
SERVER_THREADS=${SERVER_THREADS:-$(nproc)}
AIM_RATIO=${AIM_RATIO:-0.5}
AIM_P99_MS=${AIM_P99_MS:-10}
PERF=${PERF:-0}
if [ -z "${WORK:-}" ]; then
    WORK=$(mktemp -d /tmp/bidrag-httpbench.XXXXXX)
else
    mkdir -p "$WORK"
    WORK=$(cd "$WORK" && pwd)
fi
for tool in wrk nginx curl; do
    command -v "$tool" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin"
    command -v "$tool" >/dev/null 2>&1 || "$SRC/scripts/install-deps"
    command -v "$tool" >/dev/null 2>&1 || {
        echo "http.sh: '$tool' is missing and could not be installed" >&2
        exit 1
    }
done
[ -x "$BIDRAG" ] || {
    echo "http.sh: '$BIDRAG' is not built (make build)" >&2
    exit 1
}

rm -rf "$WORK/db" "$WORK/www" "$WORK/nginx" "$WORK"/*.out "$WORK"/*.err "$WORK"/*.log
mkdir -p "$WORK/db" "$WORK/www" "$WORK/nginx"
# nginx started as root serves as nobody: the folders on the way to the
# saved pages must be open to it (mktemp -d makes WORK 0700)
chmod a+rx "$WORK" "$WORK/www"
DB="$WORK/db/b.db"
export BIDRAG_NOW=2026-04-15T10:00:00Z # inside kompetens-2026's window: same bytes all run

spid=""
npid=""
ppid=""
cleanup() {
    [ -n "$ppid" ] && kill -INT "$ppid" 2>/dev/null && wait "$ppid" 2>/dev/null
    [ -n "$spid" ] && kill -TERM "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
    [ -n "$npid" ] && kill -QUIT "$npid" 2>/dev/null && wait "$npid" 2>/dev/null
    ppid=""
    spid=""
    npid=""
}
trap cleanup EXIT INT TERM

echo "setting up $WORK (demo database, one handläggare with a session and a token)..."
"$BIDRAG" init --db "$DB" --quiet --no-demo-accounts
printf 'bench-losenord-1\n' | "$BIDRAG" user add bench --name Bench --db "$DB" >/dev/null
"$BIDRAG" user role bench handlaggare --db "$DB" >/dev/null
TOKEN=$("$BIDRAG" token create bench --name bench --db "$DB")
# one requisition case (a recipient's ombud submits it) and a small
# statistics store, for the queue, the case and the statistics pages
printf 'bench-losenord-1\n' | "$BIDRAG" user add olle --name Olle --db "$DB" >/dev/null
"$BIDRAG" user role olle ombud --org 0180 --db "$DB" >/dev/null
"$BIDRAG" requisition submit kompetens-2026 0180 --as olle --key bench1 --db "$DB" \
    --set measure.1.purpose=vfu --set "measure.1.description=Fler handledare" \
    --set "contact_name=Olle Ombud" --set contact_email=olle@example.se \
    --set "contact_phone=08-508 290 00" --set account_kind=bankgiro --set account=5050-1055 \
    --set confirmed=1 --set opt_in=1 >/dev/null
"$BIDRAG" stats synth --rows 3000 --years 2023-2024 --seed 1 --out "$WORK/db/stats.csv" >/dev/null
"$BIDRAG" stats import "$WORK/db/stats.csv" --db "$DB" >/dev/null

"$BIDRAG" serve --listen 127.0.0.1:0 --db "$DB" --threads "$SERVER_THREADS" \
    --max-per-address 100000 --max-connections 4096 \
    --access-log "$WORK/serve.log" >"$WORK/serve.out" 2>"$WORK/serve.err" &
spid=$!
n=0
while [ ! -s "$WORK/serve.out" ] && [ $n -lt 100 ]; do
    sleep 0.1
    n=$((n + 1))
done
base=$(sed -n 's/^listening on //p' "$WORK/serve.out")
[ -n "$base" ] || {
    echo "http.sh: the server did not start: $(cat "$WORK/serve.err")" >&2
    exit 1
}

# a session: the login form's CSRF value, then the form
jar="$WORK/cookies"
rm -f "$jar"
csrf=$(curl -fsS -c "$jar" "$base/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p')
[ -n "$csrf" ] || {
    echo "http.sh: no CSRF field on /login" >&2
    exit 1
}
curl -fsS -b "$jar" -c "$jar" -o /dev/null \
    --data-urlencode "login=bench" --data-urlencode "password=bench-losenord-1" \
    --data-urlencode "csrf=$csrf" "$base/login"
SID=$(awk '$6 == "sid" { print $7 }' "$jar")
[ -n "$SID" ] || {
    echo "http.sh: the login gave no session cookie" >&2
    exit 1
}

# the pages of issue 12: NAME PATH AUTH (none, cookie: the session,
# bearer: the token). The login form's CSRF value is new on every answer:
# its bytes are compared by length only.
PAGES="login /login none
start /start cookie
program /programs/kompetens-2026 cookie
allocation /api/v1/programs/kompetens-2026/allocation bearer
queue /programs/kompetens-2026/rekvisitioner cookie
case /rekvisitioner/REK-2026-000001 cookie
stats_table /statistik/alder-yrke cookie
stats_api /api/v1/stats bearer"
[ -z "${ONLY:-}" ] || PAGES=$(echo "$PAGES" | grep -E "^($ONLY) ")

auth_header() {
    case $1 in
    cookie) echo "Cookie: sid=$SID" ;;
    bearer) echo "Authorization: Bearer $TOKEN" ;;
    *) echo "X-Bench: none" ;;
    esac
}

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes $SERVER_THREADS;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 4096; }
http {
    access_log $WORK/nginx/access.log combined buffer=64k;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    default_type text/html;
    server {
        listen 127.0.0.1:$port;
        root $WORK/www;
    }
}
EOF

echo "$PAGES" | while read -r name path auth; do
    curl -fsS -H "$(auth_header "$auth")" -o "$WORK/www/$name" "$base$path"
done

nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" >"$WORK/nginx.out" 2>&1 &
npid=$!
n=0
first=$(echo "$PAGES" | awk 'NR == 1 { print $1 }')
until curl -fsS -o /dev/null "http://127.0.0.1:$port/$first" 2>/dev/null || [ $n -ge 50 ]; do
    sleep 0.1
    n=$((n + 1))
done
echo "Bidrag $base ($SERVER_THREADS workers), nginx http://127.0.0.1:$port ($SERVER_THREADS workers)"
echo "wrk: $CONNECTIONS connections, $THREADS threads, ${DURATION}s per run; aim: >= $AIM_RATIO of nginx, p99 < $AIM_P99_MS ms"

# p99 in milliseconds and req/s from wrk's output; "BAD" when a response was not 2xx/3xx
wrk_run() { # URL HEADER OUT
    if [ -n "$2" ]; then
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "$2" "$1" >"$3" 2>&1
    else
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$1" >"$3" 2>&1
    fi
}
same_size() { [ "$(wc -c <"$1")" = "$(wc -c <"$2")" ]; }
same_bytes() { cmp -s "$1" "$2"; }
wrk_rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
wrk_p99() {
    awk '$1 == "99%" {
        v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
        if (u == "us") v /= 1000; else if (u == "s") v *= 1000; else if (u == "m") v *= 60000
        printf "%.2f\n", v }' "$1"
}
wrk_bad() { awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { print "socket errors" } END { if (n) print n " non-2xx" }' "$1"; }

if [ "$PERF" = 1 ]; then
    perf record -F 999 -g -p "$spid" -o "$WORK/perf.data" >/dev/null 2>&1 &
    ppid=$!
fi

fail=0
printf '%-11s %8s %12s %12s %7s %10s %10s\n' page bytes "Bidrag r/s" "nginx r/s" ratio "Bidrag p99" "nginx p99"
for line in $(echo "$PAGES" | tr ' ' ':'); do
    name=${line%%:*}
    rest=${line#*:}
    path=${rest%%:*}
    auth=${rest#*:}
    hdr=$(auth_header "$auth")
    wrk_run "$base$path" "$hdr" "$WORK/$name.bidrag.out"
    curl -fsS -H "$hdr" -o "$WORK/$name.after" "$base$path"
    curl -fsS -o "$WORK/$name.nginx" "http://127.0.0.1:$port/$name"
    wrk_run "http://127.0.0.1:$port/$name" "" "$WORK/$name.nginx.out"
    br=$(wrk_rps "$WORK/$name.bidrag.out")
    nr=$(wrk_rps "$WORK/$name.nginx.out")
    bp=$(wrk_p99 "$WORK/$name.bidrag.out")
    np=$(wrk_p99 "$WORK/$name.nginx.out")
    ratio=$(awk -v b="${br:-0}" -v n="${nr:-0}" 'BEGIN { printf "%.2f", (n > 0 ? b / n : 0) }')
    printf '%-11s %8s %12s %12s %7s %8s ms %8s ms\n' "$name" "$(wc -c <"$WORK/www/$name")" \
        "$br" "$nr" "$ratio" "$bp" "$np"
    for side in bidrag nginx; do
        bad=$(wrk_bad "$WORK/$name.$side.out")
        if [ -n "$bad" ]; then
            echo "FAIL $name: $side answered with $bad" | tr '\n' ' '
            echo
            fail=1
        fi
    done
    same=same_bytes
    [ "$name" = login ] && same=same_size
    if ! $same "$WORK/www/$name" "$WORK/$name.after" || ! cmp -s "$WORK/www/$name" "$WORK/$name.nginx"; then
        echo "FAIL $name: the bytes differ between Bidrag (before, after its run) and nginx"
        fail=1
    fi
    if ! awk -v r="$ratio" -v a="$AIM_RATIO" -v p="${bp:-9999}" -v ap="$AIM_P99_MS" \
        'BEGIN { exit !(r >= a && p < ap) }'; then
        echo "MISS $name: the aim is >= $AIM_RATIO of nginx and p99 < $AIM_P99_MS ms"
        fail=1
    fi
done
if [ -n "$ppid" ]; then
    kill -INT "$ppid" 2>/dev/null
    wait "$ppid" 2>/dev/null || true
    ppid=""
    perf report -i "$WORK/perf.data" --no-children --sort symbol --stdio 2>/dev/null |
        grep -v '^#' | grep '%' | head -25 >"$WORK/perf.top" || true
    echo "perf profile of Bidrag (self time, top symbols; $WORK/perf.data):"
    cat "$WORK/perf.top"
fi
cleanup
echo "raw wrk output in $WORK"
exit $fail
