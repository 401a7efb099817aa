# test_e2e_stats.sh - the statistics table builder in headless Chromium
# (tests/js/stats_browser_check.mjs): build occupation × region × sex for
# one year on the page, download every format and find the same protected
# values in each. Skipped (a failure under CI=true) when node, chromium or
# the npm packages (scripts/install-deps) are missing.
. "$BIDRAG_SRC/tests/cli/lib.sh"
JS="$BIDRAG_SRC/tests/js"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if ! command -v node >/dev/null || [ ! -x "$CHROMIUM" ] || [ ! -d "$JS/node_modules/playwright-core" ]; then
	skip "node, chromium or tests/js/node_modules missing (run scripts/install-deps)"
fi
unset BIDRAG_NOW
DB="$T/e2e.db"
"$BIDRAG" init --db "$DB" --quiet --no-demo-accounts || bad "init"
pw=ett-langt-losenord
printf '%s\n' "$pw" >"$T/pw"
"$BIDRAG" user add olle --name "Olle Ombud" --db "$DB" <"$T/pw" >/dev/null &&
	"$BIDRAG" user role olle ombud --org 0180 --db "$DB" >/dev/null || bad "user"
"$BIDRAG" stats synth --rows 30000 --years 2023-2024 --seed 2 --out "$T/stats.csv" >/dev/null &&
	"$BIDRAG" stats import "$T/stats.csv" --db "$DB" >/dev/null || bad "statistics store"
"$BIDRAG" serve --listen 127.0.0.1:0 --db "$DB" >"$T/serve.out" 2>"$T/serve.log" &
pid=$!
i=0
while ! grep -q "^listening on " "$T/serve.out" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
base=$(sed -n 's/^listening on //p' "$T/serve.out")
if [ -z "$base" ]; then
	bad "server started"
	kill "$pid" 2>/dev/null
	finish
fi
ok "server started at $base"
if (cd "$JS" && node stats_browser_check.mjs "$base" olle "$pw") >"$T/out" 2>&1 &&
	! grep -q '^FAIL' "$T/out"; then
	ok "occupation × region × sex built in the browser; every download agrees ($(grep -c 'differ' "$T/out") files)"
else
	bad "the table builder in the browser"
	sed 's/^/    /' "$T/out" | head -30
fi
kill -TERM "$pid"
if wait "$pid"; then ok "server stopped cleanly on SIGTERM"; else bad "server exit status $?"; fi
finish
