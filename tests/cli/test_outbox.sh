# test_outbox.sh - notifications: a requisition's events (submitted,
# returned, decided) queue e-mail in the outbox in their own transaction,
# and `bidrag outbox send` delivers them through an SMTP relay with
# libcurl. The relay is tests/cli/smtp_sink.py, started here on a port of
# its own: the message arrives with the right To, Subject and body; a relay
# that refuses leaves the message pending with its reason and tries again
# after the backoff; a second send sends nothing twice.
. "$BIDRAG_SRC/tests/cli/lib.sh"
if ! command -v python3 >/dev/null; then
	skip "python3 missing (scripts/install-deps installs it)"
fi
export BIDRAG_DB="$T/o.db"
"$BIDRAG" init --quiet --no-demo-accounts >/dev/null || bad "init"
"$BIDRAG" user add anna --name "Anna Ombud" --sso >/dev/null &&
	"$BIDRAG" user role anna ombud --org 0114 >/dev/null || bad "ombud"
"$BIDRAG" user add hanna --name "Hanna Handläggare" --sso >/dev/null &&
	"$BIDRAG" user role hanna handlaggare >/dev/null || bad "officer"
sink_pid=""
start_sink() { # start_sink DIR [--refuse]: sets port and sink_pid
	mkdir -p "$1"
	rm -f "$T/port"
	python3 "$BIDRAG_SRC/tests/cli/smtp_sink.py" "$T/port" "$@" &
	sink_pid=$!
	i=0
	while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	port=$(cat "$T/port" 2>/dev/null)
	[ -n "$port" ] || bad "sink started"
}
stop_sink() {
	[ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null && wait "$sink_pid" 2>/dev/null
	sink_pid=""
}
serve_pid=""
trap 'stop_sink; [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; rm -rf "$T"' EXIT
conf() { # conf PORT: the configuration file for that relay
	printf '[smtp]\nurl = smtp://127.0.0.1:%s\nfrom = bidrag@socialstyrelsen.example\ntimeout = 5\n' \
		"$1" >"$T/bidrag.ini"
}

export BIDRAG_NOW=2026-04-15T10:00:00Z
expect_ok "submit" "$BIDRAG" requisition submit kompetens-2026 0114 --as anna --key o1 \
	--set measure.1.purpose=vfu --set "measure.1.description=Fler handledare" \
	--set "contact_name=Anna Ombud" --set contact_email=anna@example.se \
	--set "contact_phone=08-123 456 78" --set account_kind=bankgiro --set account=5050-1055 \
	--set confirmed=1 --set opt_in=1
case_no=$(sed -n 's/.*kvittens: \(REK-[0-9-]*\).*/\1/p' "$T/out" | head -1)
[ -n "$case_no" ] && ok "case $case_no" || bad "case number"
# the same submission again (its idempotency key): nothing queued twice
"$BIDRAG" requisition submit kompetens-2026 0114 --as anna --key o1 \
	--set measure.1.purpose=vfu --set "measure.1.description=Fler handledare" \
	--set "contact_name=Anna Ombud" --set contact_email=anna@example.se \
	--set "contact_phone=08-123 456 78" --set account_kind=bankgiro --set account=5050-1055 \
	--set confirmed=1 --set opt_in=1 >/dev/null 2>&1
expect_ok "list" "$BIDRAG" outbox list
[ "$(grep -c ' pending ' "$T/out")" = 1 ] && grep -Eq "^1 +submitted +pending +$case_no" "$T/out" &&
	grep -q "anna@example.se" "$T/out" && ok "one receipt queued, to the form's address" ||
	{ bad "one receipt queued"; cat "$T/out"; }
# a decision that fails queues nothing (one transaction): an approval
# above the maximum is refused
"$BIDRAG" requisition approve "$case_no" --as hanna --amount 999999999 >/dev/null 2>&1 &&
	bad "approval above the maximum refused"
"$BIDRAG" outbox list >"$T/out"
[ "$(grep -c ' pending ' "$T/out")" = 1 ] && ok "a refused decision queues nothing" ||
	bad "a refused decision queued something"
export BIDRAG_NOW=2026-04-16T10:00:00Z
expect_ok "approve" "$BIDRAG" requisition approve "$case_no" --as hanna
"$BIDRAG" outbox list >"$T/out"
grep -Eq "^2 +decided +pending +$case_no" "$T/out" && ok "the decision queued" ||
	{ bad "decision queued"; cat "$T/out"; }

# no configuration: said, nothing changed
expect_fail "send needs a configuration" "no configuration file" "$BIDRAG" outbox send
printf '[smtp]\nurl = http://x\nfrom = a@b.example\n' >"$T/bad.ini"
expect_fail "a url that is not SMTP" "is not smtp:// or smtps://" "$BIDRAG" outbox send --config "$T/bad.ini"
printf '[smtp]\nurl = smtp://x\nfrom = nobody\n' >"$T/bad.ini"
expect_fail "a sender that is no address" "from 'nobody' is not an e-mail address" \
	"$BIDRAG" outbox send --config "$T/bad.ini"

# a relay that refuses: both stay pending with the reason
start_sink "$T/refused" --refuse
conf "$port"
if "$BIDRAG" outbox send --config "$T/bidrag.ini" >"$T/out" 2>&1; then
	bad "a refusing relay fails the run (exit 0)"
else
	grep -q "^0 messages sent, 2 to be tried again later, 0 failed" "$T/out" &&
		ok "a refusing relay fails the run: 2 to be tried again" || { bad "refused run"; cat "$T/out"; }
fi
stop_sink
"$BIDRAG" outbox list >"$T/out"
[ "$(grep -c ' pending .* 1 relay answered 451' "$T/out")" = 2 ] &&
	ok "pending after one try, with the relay's answer" || { bad "pending with reason"; cat "$T/out"; }
[ -z "$(ls "$T/refused")" ] && ok "the refusing relay stored nothing" || bad "refused relay stored"
# the backoff: a minute later, not yet (nothing tried, nothing sent)
start_sink "$T/mail"
conf "$port"
BIDRAG_NOW=2026-04-16T10:00:30Z expect_ok "within the backoff nothing is tried" \
	"$BIDRAG" outbox send --config "$T/bidrag.ini"
grep -q "^0 messages sent, 0 to be tried again" "$T/out" && ok "nothing due" || bad "nothing due"
# after it: delivered
BIDRAG_NOW=2026-04-16T10:02:00Z expect_ok "send" "$BIDRAG" outbox send --config "$T/bidrag.ini"
grep -q "^2 messages sent, 0 to be tried again later, 0 failed" "$T/out" &&
	ok "2 sent" || { bad "2 sent"; cat "$T/out"; }
[ "$(ls "$T/mail" | grep -c '\.eml$')" = 2 ] && ok "the sink holds 2 messages" || bad "2 messages"
# the receipt: decoded with Python's e-mail parser, an independent reader
python3 - "$T/mail" "$case_no" >"$T/check" 2>&1 <<'PY' && ok "To, Subject and body as sent" || { bad "the messages"; cat "$T/check"; }
import email, email.policy, glob, sys
d, case = sys.argv[1], sys.argv[2]
msgs = [email.message_from_binary_file(open(p, "rb"), policy=email.policy.default)
        for p in sorted(glob.glob(d + "/*.eml"))]
subjects = sorted(str(m["Subject"]) for m in msgs)
want = sorted(["Kvittens: rekvisitionen %s är mottagen / Receipt: requisition %s has been received"
               % (case, case), "Beslut i rekvisitionen %s / Decision on requisition %s" % (case, case)])
assert subjects == want, subjects
# the header as sent: folded lines of at most 78 characters, encoded words
# of at most 75 (RFC 5322 2.1.1, RFC 2047 2)
import re
for p in sorted(glob.glob(d + "/*.eml")):
    head = open(p, "rb").read().split(b"\r\n\r\n")[0].decode("ascii")
    for l in head.split("\r\n"):
        assert len(l) <= 78, ("header line longer than 78", l)
        for w in re.findall(r"=\?[^?]+\?[BQ]\?[^?]*\?=", l):
            assert len(w) <= 75, ("encoded word longer than 75", w)
for m in msgs:
    assert str(m["To"]) == "anna@example.se", m["To"]
    assert m["X-Envelope-To"] == "<anna@example.se>", m["X-Envelope-To"]
    assert str(m["From"]) == "bidrag@socialstyrelsen.example", m["From"]
    body = m.get_content()
    assert case in body and "Upplands Väsby" in body, body
    assert "/org/0114/rekvisition/kompetens-2026" in body, body
    assert "Anna" not in body and "08-123" not in body, "personal data in the body"
rec = [m for m in msgs if str(m["Subject"]).startswith("Kvittens")][0]
assert "(version 1)" in rec.get_content()
# Swedish, then the same in English (accounts keep no language)
sv, en = rec.get_content().split("In English:")
assert "Socialstyrelsen har tagit emot rekvisitionen %s (version 1)" % case in sv, sv
assert "has received requisition %s (version 1)" % case in en and "Upplands Väsby" in en, en
assert "å" not in en.replace("Upplands Väsby", "") and "ä" not in en.replace("Upplands Väsby", ""), en
PY
"$BIDRAG" outbox list --state sent >"$T/out"
[ "$(grep -c ' sent ' "$T/out")" = 2 ] && ok "both marked sent" || { bad "marked sent"; cat "$T/out"; }
# again: nothing is sent twice
BIDRAG_NOW=2026-04-16T10:10:00Z expect_ok "send again" "$BIDRAG" outbox send --config "$T/bidrag.ini"
grep -q "^0 messages sent" "$T/out" && ok "nothing sent twice" || bad "sent twice"
[ "$(ls "$T/mail" | grep -c '\.eml$')" = 2 ] && ok "still 2 at the sink" || bad "still 2"

# deadline reminders (kompetens-2026 closes on 30 October): a draft of
# 0115 is reminded 7 days before and on the last day, once each; the
# approved requisition of 0114 is not
"$BIDRAG" user add berit --name "Berit Ombud" --sso >/dev/null &&
	"$BIDRAG" user role berit ombud --org 0115 >/dev/null || bad "ombud 0115"
BIDRAG_NOW=2026-10-20T10:00:00Z expect_ok "a draft" "$BIDRAG" requisition save kompetens-2026 0115 \
	--as berit --set contact_email=berit@example.se --set measure.1.purpose=vfu
draft=$(BIDRAG_NOW=2026-10-20T10:00:00Z "$BIDRAG" requisition list kompetens-2026 --recipient 0115 |
	sed -n 's/^\(REK-[0-9-]*\).*/\1/p')
for day in 2026-10-22 2026-10-23 2026-10-23 2026-10-24 2026-10-30 2026-10-30; do
	BIDRAG_NOW=${day}T07:00:00Z "$BIDRAG" outbox send --config "$T/bidrag.ini" >>"$T/remind" 2>&1 ||
		bad "send on $day"
done
[ "$(grep -c '^1 deadline reminders queued' "$T/remind")" = 2 ] &&
	ok "two reminders in six runs over five days" || { bad "two reminders"; cat "$T/remind"; }
python3 - "$T/mail" "$draft" >"$T/check" 2>&1 <<'PY' && ok "the reminders: to the draft's address, the date, the last day" || { bad "the reminders"; cat "$T/check"; }
import email, email.policy, glob, sys
d, case = sys.argv[1], sys.argv[2]
msgs = [email.message_from_binary_file(open(p, "rb"), policy=email.policy.default)
        for p in sorted(glob.glob(d + "/*.eml"))]
rem = [m for m in msgs if str(m["Subject"]).startswith("Påminnelse")]
assert len(rem) == 2, [str(m["Subject"]) for m in msgs]
for m in rem:
    assert str(m["To"]) == "berit@example.se", m["To"]
    assert str(m["Subject"]) == ("Påminnelse: rekvisitionen %s ska skickas in senast 30 oktober 2026"
                                 " / Reminder: requisition %s must be submitted by 30 October 2026"
                                 % (case, case)), m["Subject"]
bodies = [m.get_content() for m in rem]
assert any("Sista dagen att skicka in den är 30 oktober 2026" in b for b in bodies), bodies
assert any("I dag är sista dagen" in b for b in bodies), bodies
assert not any("anna@example.se" == str(m["To"]) for m in msgs[2:]), "a reminder to a submitted one"
PY
stop_sink

# bidrag serve sends in the background when the configuration names a
# relay: a submission made while it runs arrives at the sink by itself
start_sink "$T/bg"
conf "$port"
printf 'send_interval = 1\n' >>"$T/bidrag.ini"
"$BIDRAG" user add cora --name "Cora Ombud" --sso >/dev/null &&
	"$BIDRAG" user role cora ombud --org 0117 >/dev/null || bad "ombud 0117"
export BIDRAG_NOW=2026-10-27T10:00:00Z
"$BIDRAG" serve --listen 127.0.0.1:0 --config "$T/bidrag.ini" >"$T/serve.out" 2>"$T/serve.log" &
serve_pid=$!
i=0
while ! grep -q "^listening on " "$T/serve.out" 2>/dev/null && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
grep -q "^listening on" "$T/serve.out" && ok "serve with a relay" || { bad "serve"; cat "$T/serve.log"; }
expect_ok "submit while it runs" "$BIDRAG" requisition submit kompetens-2026 0117 --as cora \
	--set measure.1.purpose=vfu --set "measure.1.description=Fler handledare" \
	--set "contact_name=Cora" --set contact_email=cora@example.se \
	--set "contact_phone=08-123 456 78" --set account_kind=bankgiro --set account=5050-1055 \
	--set confirmed=1
i=0
while [ -z "$(ls "$T/bg")" ] && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
grep -lq "^To: cora@example.se" "$T/bg"/*.eml 2>/dev/null && ok "sent by the server within $((i / 10)) s" ||
	{ bad "sent by the server"; cat "$T/serve.log"; }
kill "$serve_pid" && wait "$serve_pid" 2>/dev/null
stop_sink
"$BIDRAG" outbox list >"$T/out"
grep -Eq "submitted +sent +REK-[0-9-]+ +cora@example.se +1" "$T/out" && ok "marked sent, once" ||
	{ bad "marked sent by the server"; cat "$T/out"; }
# a configuration without [smtp]: the server runs without a sender
printf '[other]\nx = 1\n' >"$T/plain.ini"
"$BIDRAG" serve --listen 127.0.0.1:0 --config "$T/plain.ini" >"$T/serve.out" 2>"$T/serve.log" &
serve_pid=$!
i=0
while ! grep -q "^listening on " "$T/serve.out" 2>/dev/null && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
grep -q "^listening on" "$T/serve.out" && ok "serve without a relay" || { bad "serve without relay"; cat "$T/serve.log"; }
kill "$serve_pid" && wait "$serve_pid" 2>/dev/null
expect_ok "audit verify" "$BIDRAG" audit verify
# only the agency's admin reads or sends the outbox
expect_fail "an ombud may not list it" "." "$BIDRAG" outbox list --as anna
finish
