# test_e2e_lang.sh - the e-service in English, as every persona reaches it
# (tests/js/lang_check.mjs): every page a persona can walk to from its
# start page, and forms sent with errors, must show no Swedish text (the
# allow-list is in the script: names of kommuner, regioner and län from
# data/reference, the shipped programs' diarienummer, the agency's name); every link on a
# persona's start page answers 200. Skipped (a failure under CI=true) when
# node, chromium or the npm packages (scripts/install-deps) are missing.
. "$BIDRAG_SRC/tests/cli/lib.sh"
JS="$BIDRAG_SRC/tests/js"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if ! command -v node >/dev/null || [ ! -x "$CHROMIUM" ] ||
	[ ! -d "$JS/node_modules/playwright-core" ]; then
	skip "node, chromium or tests/js/node_modules missing (run scripts/install-deps)"
fi
unset BIDRAG_NOW
DB="$T/lang.db"
"$BIDRAG" init --db "$DB" --quiet --no-demo-accounts || bad "init"
pw=ett-langt-losenord
printf '%s\n' "$pw" >"$T/pw"
for u in admin:admin hanna:handlaggare atte:attestant anna:analytiker gun:granskare \
	olle:ombud@0180 maja:ombud@1480 ulla:uppgiftssamordnare@0114 rita:ombud@01; do
	login=${u%%:*}
	role=${u#*:}
	"$BIDRAG" user add "$login" --name "Test $login" --db "$DB" <"$T/pw" >/dev/null || bad "add $login"
	case $role in
	*@*) "$BIDRAG" user role "$login" "${role%@*}" --org "${role#*@}" --db "$DB" >/dev/null ;;
	*) "$BIDRAG" user role "$login" "$role" --db "$DB" >/dev/null ;;
	esac || bad "role $login"
done
"$BIDRAG" stats synth --rows 3000 --years 2023-2024 --seed 1 --out "$T/stats.csv" >/dev/null &&
	"$BIDRAG" stats import "$T/stats.csv" --db "$DB" >/dev/null || bad "statistics store"
# a requisition decided (receipt, decision) and one waiting for review,
# inside kompetens-2026's window
export BIDRAG_NOW=2026-04-15T10:00:00Z
set -- --set measure.1.purpose=vfu --set "measure.1.description=More supervisors" \
	--set "contact_name=Olle Berg" --set contact_email=olle@example.se \
	--set "contact_phone=08-508 290 00" --set account_kind=bankgiro --set account=5050-1055 \
	--set confirmed=1 --set opt_in=1
"$BIDRAG" requisition submit kompetens-2026 0180 --as olle --key k1 --db "$DB" "$@" >/dev/null &&
	"$BIDRAG" requisition approve REK-2026-000001 --as hanna --db "$DB" >/dev/null &&
	"$BIDRAG" requisition submit kompetens-2026 1480 --as maja --key k2 --db "$DB" "$@" >/dev/null ||
	bad "requisitions for the pages"
# the decided one's payment, in a batch (the payment pages)
"$BIDRAG" payment create kompetens-2026 --as hanna --db "$DB" >/dev/null &&
	"$BIDRAG" payment batch --as hanna --db "$DB" >/dev/null || bad "a payment batch"
# the proper names that stay Swedish on an English page
proper_names >"$T/names"
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

if (cd "$JS" && node lang_check.mjs "$base" "$T/names" \
	"-::POST /login login=nobody&password=wrong" \
	"hanna:$pw:/programs/kompetens-2026/omfordelning,/programs/tillganglighet-2026/omfordelning,/programs/kompetens-2026/anslag?post=12,POST /programs/kompetens-2026/anslag amount=many&text=Consulting" \
	"atte:$pw" \
	"anna:$pw:/statistik/bygg?rows=region&cols=sex&measure=headcount&year=top(1)" \
	"gun:$pw:/programs/kompetens-2026/anslag" \
	"olle:$pw:/org/0180/kvittens/REK-2026-000001/1" \
	"ulla:$pw:/org/0114/rekvisition/kompetens-2026" \
	"rita:$pw:POST /org/01/rekvisition/kompetens-2026 contact_email=nope&account=12" \
	"admin:$pw:/admin/users,POST /admin/users login=x") >"$T/lang" 2>&1; then
	ok "English pages: $(tail -1 "$T/lang")"
else
	bad "Swedish text on English pages"
	sed "s/^/    /" "$T/lang" | head -80
fi

kill -TERM "$pid"
if wait "$pid"; then ok "server stopped cleanly on SIGTERM"; else bad "server exit status $?"; fi
finish
