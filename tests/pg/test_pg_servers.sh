# test_pg_servers.sh - two `bidrag serve` processes on one PostgreSQL
# database (issue 16), the way two application servers behind a load
# balancer share it:
#   - a race: every requisition submitted through both servers at the same
#     moment, both based on the same revision: exactly one receipt and one
#     refusal (409) each, one stored version: no lost update;
#   - two officers' processes approving the same cases at once: one
#     decision per case;
#   - SIGKILL of one server in the middle of a load of submissions: the
#     other keeps answering, every receipt given is stored, a client that
#     lost its answer repeats with its idempotency key and gets the same
#     receipt or a first one, never a second version; the killed server
#     starts again; the audit trail is one chain that verifies.
# The key ring and the checkpoints are shared by both servers (the same
# files here; on two machines, the same key ring installed on each and
# shared storage, or one file per server: docs/operations.md).
. "$BIDRAG_SRC/tests/cli/lib.sh"
. "$BIDRAG_SRC/tests/pg/server.sh"

command -v curl >/dev/null 2>&1 || skip "curl is not installed"
pg_start
pg_createdb app
APP=$(pg_url app)
export BIDRAG_AUDIT_KEY="$T/keys/audit.key"
export BIDRAG_AUDIT_CHECKPOINTS="$T/audit/checkpoints"
export BIDRAG_NOW=2026-04-15T10:00:00Z # inside kompetens-2026's window
NCODES=${NCODES:-40}

expect_ok "init on PostgreSQL" "$BIDRAG" init --db "$APP" --quiet --no-demo-accounts
printf 'ett-langt-losenord\n' | "$BIDRAG" user add ombud --name "Ombud" --db "$APP" >/dev/null ||
	bad "user add ombud"
for who in hl1 hl2; do
	printf 'ett-langt-losenord\n' | "$BIDRAG" user add "$who" --name "Handläggare $who" \
		--db "$APP" >/dev/null || bad "user add $who"
	"$BIDRAG" user role "$who" handlaggare --db "$APP" >/dev/null || bad "role $who"
done
sed "s/^id = kompetens-2026/id = kill-2026/" "$BIDRAG_SRC/data/programs/kompetens-2026.ini" \
	>"$T/kill.ini"
expect_ok "a second program for the kill test" "$BIDRAG" program load "$T/kill.ini" --db "$APP"
# it rests on the fallback population date, as kompetens does: an officer
# confirms the stand-in before it can be requisitioned (issue 11)
expect_ok "its stand-in data confirmed" "$BIDRAG" program confirm-standin kill-2026 --as hl1 \
	--reason "test" --db "$APP"
: >"$T/tokens"
for code in $("$BIDRAG" orgs --role kommun --format csv --db "$APP" | tail -n +2 | cut -d, -f1 |
	head -n "$NCODES"); do
	"$BIDRAG" user role ombud ombud --org "$code" --db "$APP" >/dev/null || bad "role $code"
	echo "$code $("$BIDRAG" token create ombud --name t --org "$code" --db "$APP")" >>"$T/tokens"
done
[ "$(wc -l <"$T/tokens")" = "$NCODES" ] && ok "$NCODES ombud tokens" || bad "ombud tokens"

# serve NAME: start a server on a free port; sets NAME_pid and NAME_url
serve() {
	"$BIDRAG" serve --listen 127.0.0.1:0 --db "$APP" --threads 4 >"$T/$1.out" 2>"$T/$1.err" &
	eval "$1_pid=$!"
	n=0
	while ! grep -q "^listening on " "$T/$1.out" 2>/dev/null && [ $n -lt 600 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	u=$(sed -n 's/^listening on //p' "$T/$1.out")
	if [ -z "$u" ]; then
		bad "server $1 did not start within 60 s"
		sed 's/^/    /' "$T/$1.err" | head -10
		finish
	fi
	eval "$1_url=$u"
}
stop_all() {
	for p in ${a_pid:-} ${b_pid:-}; do kill -TERM "$p" 2>/dev/null; done
	wait 2>/dev/null
	pg_stop
	rm -rf "$T"
}
trap stop_all EXIT
serve a
serve b
ok "two servers on one database: $a_url and $b_url"

# post URL CODE PROGRAM KEY REVISION: submit one requisition; prints
# "CODE KEY STATUS CASE VERSION REPEATED" (STATUS 000: no answer)
post() {
	tok=$(awk -v c="$2" '$1 == c { print $2 }' "$T/tokens")
	body="{\"idempotency_key\":\"$4\",\"revision\":$5,\"fields\":{\"amount\":\"\",\
\"measure.1.purpose\":\"vfu\",\"measure.1.description\":\"Fler handledare\",\
\"measure.1.planned\":1000,\"contact_name\":\"Kontakt\",\"contact_email\":\"k@example.se\",\
\"contact_phone\":\"08-1234567\",\"account_kind\":\"bankgiro\",\"account\":\"5050-1055\",\
\"opt_in\":true,\"confirmed\":true}}"
	out=$(mktemp "$T/post.XXXXXX")
	st=$(curl -s -o "$out" -w '%{http_code}' --max-time 30 -H "Authorization: Bearer $tok" \
		-H 'Content-Type: application/json' --data "$body" \
		"$1/api/v1/org/$2/requisitions/$3" 2>/dev/null) || true
	case_no=$(sed -n 's/.*"case_no": *"\([^"]*\)".*/\1/p' "$out")
	version=$(sed -n 's/.*"version": *\([0-9]*\).*/\1/p' "$out")
	rep=$(sed -n 's/.*"repeated": *\(true\|false\).*/\1/p' "$out")
	echo "$2 $4 ${st:-000} ${case_no:--} ${version:--} ${rep:--}"
	rm -f "$out"
}

# -- the race: each requisition through both servers at once ----------------
# (in a subshell: a bare `wait` here would wait for the servers too)
(
	i=0
	for code in $(cut -d' ' -f1 "$T/tokens"); do
		post "$a_url" "$code" kompetens-2026 "ra-$code" 0 >"$T/race-a-$code" &
		post "$b_url" "$code" kompetens-2026 "rb-$code" 0 >"$T/race-b-$code" &
		# a few requisitions at a time: the race is per requisition
		i=$((i + 1))
		[ $((i % 6)) = 0 ] && wait
	done
	wait
)
cat "$T"/race-a-* "$T"/race-b-* >"$T/race"
won=$(awk '$3 == 201' "$T/race" | wc -l)
lost=$(awk '$3 == 409' "$T/race" | wc -l)
other=$(awk '$3 != 201 && $3 != 409' "$T/race" | wc -l)
if [ "$won" = "$NCODES" ] && [ "$lost" = "$NCODES" ] && [ "$other" = 0 ]; then
	ok "race: $NCODES receipts, $NCODES refusals (409), nothing else"
else
	bad "race: $won receipts, $lost refusals, $other other answers (want $NCODES, $NCODES, 0)"
	awk '$3 != 201 && $3 != 409' "$T/race" | head -5 | sed 's/^/    /'
fi
dup=$(awk '$3 == 201 { print $1 }' "$T/race" | sort | uniq -d | wc -l)
[ "$dup" = 0 ] && ok "race: one receipt per requisition" || bad "race: $dup requisitions got two"
n=$("$BIDRAG" requisition list kompetens-2026 --state submitted --db "$APP" --as hl1 |
	grep -c 'REK-')
[ "$n" = "$NCODES" ] && ok "race: $NCODES submitted requisitions stored" ||
	bad "race: $n submitted requisitions stored (want $NCODES)"
# -- two officers approve the same cases at once: one decision each ---------
"$BIDRAG" requisition list kompetens-2026 --state submitted --db "$APP" --as hl1 |
	grep -o 'REK-[0-9-]*' | head -n 10 >"$T/cases"
for c in $(cat "$T/cases"); do
	(
		("$BIDRAG" requisition approve "$c" --db "$APP" --as hl1 >/dev/null 2>"$T/ap1-$c"
			echo "$?" >"$T/ap1-$c.rc") &
		("$BIDRAG" requisition approve "$c" --db "$APP" --as hl2 >/dev/null 2>"$T/ap2-$c"
			echo "$?" >"$T/ap2-$c.rc") &
		wait
	)
done
good=0
for c in $(cat "$T/cases"); do
	r1=$(cat "$T/ap1-$c.rc")
	r2=$(cat "$T/ap2-$c.rc")
	[ $((r1 == 0)) -ne $((r2 == 0)) ] && good=$((good + 1))
	# the one refused is told why, in words
	if [ "$r1" != 0 ]; then loser="$T/ap1-$c"; else loser="$T/ap2-$c"; fi
	[ -s "$loser" ] && ! grep -qi 'assert\|sanitizer\|segmentation' "$loser" ||
		bad "the refused approval of $c says why: '$(head -c 200 "$loser")'"
done
echo "    the refused approval says: $(head -1 "$loser")"
[ "$good" = 10 ] && ok "approvals at once: exactly one of two succeeded, 10 cases" ||
	bad "approvals at once: $good of 10 cases had exactly one approval succeed"
n=$("$BIDRAG" requisition list kompetens-2026 --state approved --db "$APP" --as hl1 |
	grep -c 'REK-')
[ "$n" = 10 ] && ok "10 approved" || bad "$n approved (want 10)"

# -- SIGKILL one server under load ------------------------------------------
: >"$T/jobs"
i=0
for code in $(cut -d' ' -f1 "$T/tokens"); do
	if [ $((i % 2)) = 0 ]; then echo "$a_url $code" >>"$T/jobs"; else echo "$b_url $code" >>"$T/jobs"; fi
	i=$((i + 1))
done
: >"$T/kill"
(
	i=0
	while read -r url code; do
		post "$url" "$code" kill-2026 "k-$code" 0 >>"$T/kill" &
		i=$((i + 1))
		[ $((i % 6)) = 0 ] && wait
	done <"$T/jobs"
	wait
) &
load=$!
n=0
while [ "$(wc -l <"$T/kill")" -lt $((NCODES / 4)) ] && [ $n -lt 300 ]; do
	sleep 0.05
	n=$((n + 1))
done
kill -KILL "$a_pid"
wait "$a_pid" 2>/dev/null
a_pid=""
ok "server a killed with SIGKILL after $(wc -l <"$T/kill") answers"
st=$(curl -s -o /dev/null -w '%{http_code}' "$b_url/healthz")
[ "$st" = 200 ] && ok "server b answers /healthz after the kill" || bad "server b /healthz: $st"
wait "$load"
acked=$(awk '$3 == 201' "$T/kill" | wc -l)
unanswered=$(awk '$3 != 201' "$T/kill" | wc -l)
ok "during the kill: $acked receipts, $unanswered without one"
# every receipt given is stored, under its number and version
missing=0
awk '$3 == 201 { print $4, $5 }' "$T/kill" >"$T/acked"
while read -r c ver; do
	"$BIDRAG" requisition show "$c" --db "$APP" --as hl1 >"$T/show" 2>&1 || missing=$((missing + 1))
done <"$T/acked"
[ "$missing" = 0 ] && ok "every receipt given before and after the kill is stored" ||
	bad "$missing receipts given but not stored"
# clients without an answer repeat with their key, at the server left
awk '$3 != 201 { print $1, $2 }' "$T/kill" >"$T/retry"
: >"$T/retried"
while read -r code key; do
	post "$b_url" "$code" kill-2026 "$key" 0 >>"$T/retried"
done <"$T/retry"
bad_retry=$(awk '$3 != 201 && !($3 == 200 && $6 == "true")' "$T/retried" | wc -l)
[ "$bad_retry" = 0 ] && ok "$(wc -l <"$T/retried") repeated with their key: a receipt each" ||
	{
		bad "$bad_retry repeats without a receipt"
		awk '$3 != 201 && !($3 == 200 && $6 == "true")' "$T/retried" | head -5 | sed 's/^/    /'
	}
n=$("$BIDRAG" requisition list kill-2026 --state submitted --db "$APP" --as hl1 | grep -c 'REK-')
[ "$n" = "$NCODES" ] && ok "kill: $NCODES requisitions, each submitted once" ||
	bad "kill: $n submitted requisitions (want $NCODES)"
serve a
ok "the killed server starts again ($a_url)"
st=$(curl -s -o /dev/null -w '%{http_code}' "$a_url/healthz")
[ "$st" = 200 ] && ok "and answers" || bad "restarted server a /healthz: $st"
kill -TERM "$a_pid" "$b_pid"
wait "$a_pid" && wait "$b_pid" && ok "both servers stop cleanly" || bad "a server did not stop cleanly"
a_pid=""
b_pid=""
expect_ok "one audit chain that verifies (both servers, the kill, the CLI)" \
	"$BIDRAG" audit verify --db "$APP"
finish
