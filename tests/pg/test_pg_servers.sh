# test_pg_servers.sh - two `bidrag serve` processes on one PostgreSQL
# database (issue 16), the way two application servers behind a load
# balancer share it:
#   - a race: every requisition submitted through both servers at the same
#     moment, both based on the same revision: exactly one receipt and one
#     refusal (409) each, one stored version: no lost update;
#   - two officers' processes approving the same cases at once: one
#     decision per case;
#   - a payment batch attested from both servers at once: one attestation;
#     its bank file made from both at once: one file, the same bytes, each
#     payment in it once;
#   - a redistribution confirmed from two processes at once: one run;
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

# -- payment-batch attestation from both servers at once --------------------
# the 10 decisions' payments in one batch; two attestants, one on each
# server, attest it at the same moment: one attestation, the other told
# it is done; then both servers make the bank file at once: one file,
# the same bytes to both, each payment in it once
for who in att1 att2; do
	"$BIDRAG" user add "$who" --name "Attestant $who" --sso --db "$APP" >/dev/null &&
		"$BIDRAG" user role "$who" attestant --db "$APP" >/dev/null &&
		"$BIDRAG" payment limit "$who" 1000000000 --db "$APP" >/dev/null ||
		bad "attestant $who"
done
tok_att1=$("$BIDRAG" token create att1 --name t --db "$APP")
tok_att2=$("$BIDRAG" token create att2 --name t --db "$APP")
expect_ok "the agency's bank settings" "$BIDRAG" payment settings --bank danske \
	--name "Socialstyrelsen" --iban "SE45 5000 0000 0583 9825 7466" --initg-id 2021005703 \
	--db "$APP"
tok_hl1=$("$BIDRAG" token create hl1 --name t --db "$APP")
tok_hl2=$("$BIDRAG" token create hl2 --name t --db "$APP")
"$BIDRAG" payment create kompetens-2026 --as hl1 --db "$APP" >"$T/pay" 2>&1 &&
	grep -q "payments created: 10" "$T/pay" && ok "10 payments for the 10 decisions" ||
	bad "payments: $(cat "$T/pay")"
"$BIDRAG" payment batch --program kompetens-2026 --as hl1 --db "$APP" >"$T/pay" 2>&1 &&
	batch=$(sed -n 's/^batch \(UTB-[0-9-]*\):.*/\1/p' "$T/pay") && [ -n "$batch" ] &&
	ok "one batch: $batch" || bad "batch: $(cat "$T/pay")"
# call URL TOKEN PATH OUT: POST with an empty JSON object; prints the status
call() {
	curl -s -o "$4" -w '%{http_code}' --max-time 60 -X POST -H "Authorization: Bearer $2" \
		-H 'Content-Type: application/json' --data '{"action":"attest"}' "$1$3" 2>/dev/null
}
(
	call "$a_url" "$tok_att1" "/api/v1/payment-batches/$batch/attest" "$T/att-a.body" >"$T/att-a" &
	call "$b_url" "$tok_att2" "/api/v1/payment-batches/$batch/attest" "$T/att-b.body" >"$T/att-b" &
	wait
)
sa=$(cat "$T/att-a")
sb=$(cat "$T/att-b")
if { [ "$sa" = 200 ] && [ "$sb" = 409 ]; } || { [ "$sa" = 409 ] && [ "$sb" = 200 ]; }; then
	ok "attested from both servers at once: one attestation, one 409 ($sa/$sb)"
else
	bad "attestation from both servers: $sa and $sb (want one 200, one 409)"
	cat "$T/att-a.body" "$T/att-b.body" | head -c 600 | sed 's/^/    /'
fi
n=$("$BIDRAG" audit list --db "$APP" 2>/dev/null | grep -c "payment.attest") || true
[ "$n" = 1 ] && ok "one attestation in the audit trail" || bad "$n attestations in the audit trail"
(
	call "$a_url" "$tok_hl1" "/api/v1/payment-batches/$batch/file" "$T/file-a.xml" >"$T/file-a" &
	call "$b_url" "$tok_hl2" "/api/v1/payment-batches/$batch/file" "$T/file-b.xml" >"$T/file-b" &
	wait
)
[ "$(cat "$T/file-a")" = 200 ] && [ "$(cat "$T/file-b")" = 200 ] &&
	cmp -s "$T/file-a.xml" "$T/file-b.xml" &&
	ok "the bank file made from both servers at once: the same bytes to both" ||
	{
		bad "bank file from both servers: $(cat "$T/file-a") $(cat "$T/file-b")"
		head -c 400 "$T/file-a.xml" "$T/file-b.xml" | sed "s/^/    /"
	}
ntx=$(grep -c "<EndToEndId>" "$T/file-a.xml")
[ "$ntx" = 10 ] && ok "each payment once in the file" || bad "$ntx transactions in the file (want 10)"
curl -s -o "$T/pays" -H "Authorization: Bearer $tok_hl1" "$a_url/api/v1/payments?batch=$batch"
n=$(grep -o '"state": *"in_file"' "$T/pays" | wc -l)
[ "$n" = 10 ] && ok "10 payments in one file" || bad "$n payments in the file (want 10)"

# -- redistribution from two processes at once ------------------------------
# (tillgänglighet provides it): a region approved for its full amount that
# opted in; two officers confirm the same preview at the same moment, each
# in its own process on the one database: one run, one supplement
"$BIDRAG" user add reg --name "Region" --sso --db "$APP" >/dev/null &&
	"$BIDRAG" user role reg ombud --org 01 --db "$APP" >/dev/null || bad "region ombud"
BIDRAG_NOW=2026-02-10T10:00:00Z "$BIDRAG" requisition submit tillganglighet-2026 01 --as reg \
	--db "$APP" --set measure.1.purpose=tillganglighet --set "measure.1.description=Kortare köer" \
	--set "contact_name=R" --set contact_email=r@region.example --set "contact_phone=08-123 456 78" \
	--set account_kind=bankgiro --set account=5050-1055 --set opt_in=1 \
	--set "extra_cap=1 000 000" --set confirmed=1 >"$T/rd" 2>&1 &&
	rcase=$(sed -n 's/.*kvittens: \(REK-[0-9-]*\).*/\1/p' "$T/rd") &&
	BIDRAG_NOW=2026-02-11T10:00:00Z "$BIDRAG" requisition approve "$rcase" --as hl1 --db "$APP" \
		>/dev/null || bad "a region's requisition approved: $(cat "$T/rd")"
BIDRAG_NOW=2026-03-18T10:00:00Z "$BIDRAG" requisition redistribute tillganglighet-2026 --as hl1 \
	--db "$APP" >"$T/rdp" 2>&1
digest=$(sed -n 's/^bekräfta: .* --confirm \([0-9a-f]*\)$/\1/p' "$T/rdp")
(
	(BIDRAG_NOW=2026-03-18T10:00:00Z "$BIDRAG" requisition redistribute tillganglighet-2026 \
		--as hl1 --db "$APP" --confirm "$digest" >"$T/rd1" 2>&1
		echo $? >"$T/rd1.rc") &
	(BIDRAG_NOW=2026-03-18T10:00:00Z "$BIDRAG" requisition redistribute tillganglighet-2026 \
		--as hl2 --db "$APP" --confirm "$digest" >"$T/rd2" 2>&1
		echo $? >"$T/rd2.rc") &
	wait
)
r1=$(cat "$T/rd1.rc")
r2=$(cat "$T/rd2.rc")
[ $((r1 == 0)) -ne $((r2 == 0)) ] &&
	ok "redistribution confirmed twice at once: one run ($r1/$r2), the other told what changed" ||
	{
		bad "redistribution at once: exits $r1 and $r2 (want one 0)"
		cat "$T/rd1" "$T/rd2" | head -10 | sed 's/^/    /'
	}
n=$("$BIDRAG" requisition show "$rcase" --as hl1 --db "$APP" | grep -c "supplementary")
[ "$n" = 1 ] && ok "one supplementary decision" || bad "$n supplementary decisions (want 1)"

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
