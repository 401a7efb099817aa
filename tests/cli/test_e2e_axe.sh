# test_e2e_axe.sh - the real server's pages in headless Chromium, checked
# with axe-core for WCAG 2.1 AA (tests/js/axe_check.mjs). Skipped (a
# failure under CI=true) when node, chromium or the npm packages
# (scripts/install-deps) are missing.
. "$BIDRAG_SRC/tests/cli/lib.sh"
JS="$BIDRAG_SRC/tests/js"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if ! command -v node >/dev/null || [ ! -x "$CHROMIUM" ] ||
	[ ! -d "$JS/node_modules/playwright-core" ] || [ ! -d "$JS/node_modules/axe-core" ]; then
	skip "node, chromium or tests/js/node_modules missing (run scripts/install-deps)"
fi
unset BIDRAG_NOW
DB="$T/e2e.db"
"$BIDRAG" init --db "$DB" --quiet --no-demo-accounts || bad "init"
pw=ett-langt-losenord
printf '%s\n' "$pw" >"$T/pw"
for u in admin:admin gun:granskare olle:ombud@0180 maja:representant@0180 \
	ulla:uppgiftssamordnare@0114 hans:handlaggare; do
	login=${u%%:*}
	role=${u#*:}
	"$BIDRAG" user add "$login" --name "Test $login" --db "$DB" <"$T/pw" >/dev/null || bad "add $login"
	case $role in
	*@*) "$BIDRAG" user role "$login" "${role%@*}" --org "${role#*@}" --db "$DB" >/dev/null ;;
	*) "$BIDRAG" user role "$login" "$role" --db "$DB" >/dev/null ;;
	esac || bad "role $login"
done
"$BIDRAG" user role maja ombud --org 1480 --db "$DB" >/dev/null || bad "second organisation"
# a small synthetic statistics store for the /statistik pages
"$BIDRAG" stats synth --rows 3000 --years 2023-2024 --seed 1 --out "$T/stats.csv" >/dev/null &&
	"$BIDRAG" stats import "$T/stats.csv" --db "$DB" >/dev/null || bad "statistics store"

# requisitions: 0180's approved (a receipt and a decision), 1480's waiting
# for review; the server stands inside kompetens-2026's window
export BIDRAG_NOW=2026-04-15T10:00:00Z
set -- --set measure.1.purpose=vfu --set "measure.1.description=Fler handledare" \
	--set "contact_name=Olle Ombud" --set contact_email=olle@example.se \
	--set "contact_phone=08-508 290 00" --set account_kind=bankgiro --set account=5050-1055 \
	--set confirmed=1 --set opt_in=1
"$BIDRAG" requisition submit kompetens-2026 0180 --as olle --key k1 --db "$DB" "$@" >/dev/null &&
	"$BIDRAG" requisition approve REK-2026-000001 --as admin --db "$DB" >/dev/null &&
	"$BIDRAG" requisition submit kompetens-2026 1480 --as maja --key k2 --db "$DB" "$@" >/dev/null ||
	bad "requisitions for the pages"
# the approved one's payment in a batch (the payment pages)
"$BIDRAG" payment create kompetens-2026 --as hans --db "$DB" >/dev/null &&
	"$BIDRAG" payment batch --as hans --db "$DB" >/dev/null || bad "a payment batch"
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

if (cd "$JS" && node axe_check.mjs "$base" \
	"-::/login,/login?lang=en,/no-such-page" \
	"admin:$pw:/start,/admin/users,/audit,/start?lang=en,/account,/programs,/programfil,/programs/kompetens-2026,/programs/at-2025?lang=en" \
	"gun:$pw:/start,/audit,/statistik,/statistik/alder-yrke,/statistik/bygg?rows=region&region=99" \
	"olle:$pw:/start,/org/0180,/org/0180/members,/programs/tillganglighet-2026,/statistik/bygg?rows=kommun&kommun=members(09)&kommun=09&measure=headcount&measure=fte&year=top(1)" \
	"admin:$pw:/statistik?lang=en,/statistik/primarvard-region,/statistik/yrke-region-kon?lang=en" \
	"admin:$pw:/programs/kompetens-2026/rekvisitioner,/rekvisitioner/REK-2026-000002,/rekvisitioner/REK-2026-000001,/programs/kompetens-2026/rekvisitionsoversikt,/programs/kompetens-2026/omfordelning,/programs/kompetens-2026/beslut,/rekvisitioner/REK-2026-000002?lang=en" \
	"gun:$pw:/start,/audit,/programs/kompetens-2026/rekvisitioner,/programs/kompetens-2026/anslag" \
	"admin:$pw:/utbetalningar,/utbetalningar/omgang/UTB-2026-0001,/utbetalningar?lang=en,/programs/kompetens-2026/anslag,/programs/kompetens-2026/anslag?post=12&lang=en" \
	"hans:$pw:/utbetalningar,/utbetalningar/omgang/UTB-2026-0001?lang=en" \
	"olle:$pw:/org/0180/utbetalningar,/org/0180/utbetalningar?lang=en" \
	"olle:$pw:/start,/org/0180,/org/0180/members,/programs/tillganglighet-2026,/org/0180/rekvisitioner,/org/0180/rekvisition/kompetens-2026,/org/0180/kvittens/REK-2026-000001/1" \
	"ulla:$pw:/org/0114/rekvisition/kompetens-2026,/org/0114/rekvisition/kompetens-2026?lang=en,/org/0114/rekvisitioner" \
	"maja:$pw:/login/org") >"$T/axe" 2>&1; then
	ok "axe-core: no WCAG 2.1 AA violations ($(tail -1 "$T/axe"))"
else
	bad "axe-core found problems"
	sed 's/^/    /' "$T/axe" | head -40
fi

if (cd "$JS" && node download_check.mjs "$base" admin "$pw" \
	"Stärkt kompetensförsörjning i hälso- och sjukvården 2026") >"$T/dl" 2>&1; then
	ok "log in, open a program, download its XLSX ($(grep -c . "$T/dl") lines)"
	grep -q "allocation table rows: 311" "$T/dl" && ok "311 recipients in the table" || bad "311 rows"
	grep -q "sum row: 1.013.000.000" "$T/dl" && ok "sum row 1 013 000 000" || bad "sum row"
else
	bad "download check"
	sed 's/^/    /' "$T/dl" | head -20
fi

kill -TERM "$pid"
if wait "$pid"; then ok "server stopped cleanly on SIGTERM"; else bad "server exit status $?"; fi
finish
