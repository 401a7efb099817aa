# test_standin.sh - no decisions on stand-in data (issue 11) on the command
# line: 'program check' warns (exit 0) at the block's key line; 'program
# show' says the stand-ins are not confirmed; a submission is refused
# until a handläggare runs 'program confirm-standin' with a reason (the
# ombud and an empty reason are refused); then it is taken, and the
# receipt and the decision say the amounts rest on stand-in data; 'bidrag
# init' confirms the demo's as the operator with the reason "demo".
. "$BIDRAG_SRC/tests/cli/lib.sh"
export BIDRAG_DB="$T/x.db" BIDRAG_NOW=2026-04-15T10:00:00Z LC_ALL=C LANG=C LC_MESSAGES=
PROG="$BIDRAG_SRC/data/programs/kompetens-2026.ini"
expect_ok "init without confirming" "$BIDRAG" init --quiet --no-demo-accounts --no-confirm-standin
expect_ok "check warns, exit 0" "$BIDRAG" program check "$PROG"
kl=$(grep -n '^key = population' "$PROG" | head -1 | cut -d: -f1) # block 1's key line
grep -q "kompetens-2026.ini:$kl: warning: block '1' uses the population of 2024-12-31: the decision names 2025-11-01" "$T/err" &&
	ok "the warning names the block's line and both dates" || bad "the warning names the block's line and both dates"
grep -q "cannot open for requisition until .*confirm-standin kompetens-2026" "$T/err" &&
	ok "the warning says what opens it" || bad "the warning says what opens it"
expect_ok "show" "$BIDRAG" program show kompetens-2026
grep -q "Ersättningsuppgifter: inte bekräftade" "$T/out" && ok "show: not confirmed" || bad "show: not confirmed"

expect_ok "user" "$BIDRAG" user add anna --name "Anna Ombud" --sso
expect_ok "role" "$BIDRAG" user role anna ombud --org 0180
expect_ok "handläggare" "$BIDRAG" user add hanna --name "Hanna Handläggare" --sso
expect_ok "handläggare role" "$BIDRAG" user role hanna handlaggare
set -- --set measure.1.purpose=vfu --set "measure.1.description=Fler handledare" \
	--set "contact_name=Anna Ombud" --set contact_email=anna@stockholm.example \
	--set "contact_phone=08-508 290 00" --set account_kind=bankgiro --set account=5050-1055 \
	--set confirmed=1
expect_fail "submission refused" "kan inte rekvireras ännu" \
	"$BIDRAG" requisition submit kompetens-2026 0180 --as anna "$@"
expect_fail "draft refused" "kan inte rekvireras ännu" \
	"$BIDRAG" requisition save kompetens-2026 0180 --as anna "$@"
expect_fail "the reason is required" "reason" "$BIDRAG" program confirm-standin kompetens-2026 --as hanna
expect_fail "an empty reason" "Ange varför" \
	"$BIDRAG" program confirm-standin kompetens-2026 --as hanna --reason " "
expect_fail "the ombud cannot confirm" "." \
	"$BIDRAG" program confirm-standin kompetens-2026 --as anna --reason "vi vill"
expect_fail "no such program" "finns inte" \
	"$BIDRAG" program confirm-standin nej-2026 --as hanna --reason "x"
expect_ok "confirm" "$BIDRAG" program confirm-standin kompetens-2026 --as hanna \
	--reason "SCB:s tabell per 1 november 2025 publiceras i februari"
grep -q "är bekräftade" "$T/out" && ok "confirm says so" || bad "confirm says so"
expect_fail "twice" "redan bekräftade av hanna" \
	"$BIDRAG" program confirm-standin kompetens-2026 --as hanna --reason "igen"
expect_ok "show confirmed" "$BIDRAG" program show kompetens-2026
grep -q "Ersättningsuppgifter: bekräftade av hanna 2026-04-15 12:00. Skäl: SCB:s tabell" "$T/out" &&
	ok "show: who, when, why" || bad "show: who, when, why"
expect_ok "submit" "$BIDRAG" requisition submit kompetens-2026 0180 --as anna "$@"
expect_ok "approve" "$BIDRAG" requisition approve REK-2026-000001 --as hanna
expect_ok "receipt pdf" "$BIDRAG" requisition receipt REK-2026-000001 --version 1 -o "$T/k.pdf"
expect_ok "decision pdf" "$BIDRAG" requisition decision BES-2026-000001 -o "$T/b.pdf"
if command -v pdftotext >/dev/null; then
	pdftotext "$T/k.pdf" - | tr '\n' ' ' | grep -q "Beloppen bygger på ersättningsuppgifter" &&
		ok "the receipt says so" || bad "the receipt says so"
	pdftotext "$T/b.pdf" - | tr '\n' ' ' | grep -q "Underlag för beloppet.*Beloppen bygger på ersättningsuppgifter" &&
		ok "the decision says so" || bad "the decision says so"
else
	skip_part "receipt and decision text (pdftotext missing)"
fi
expect_ok "audit" "$BIDRAG" audit verify
expect_ok "audit list" "$BIDRAG" audit list
grep -q "program.confirm_standin" "$T/out" && ok "the confirmation is audited" ||
	bad "the confirmation is audited"

# the demo: init confirms as the operator, with the reason "demo", and says so
export BIDRAG_DB="$T/demo.db"
expect_ok "init demo" "$BIDRAG" init --no-demo-accounts
grep -q "stand-in data of kompetens-2026 confirmed by the operator (reason: demo)" "$T/out" &&
	ok "init says so" || bad "init says so"
expect_ok "show demo" "$BIDRAG" program show tillganglighet-2026
grep -q "bekräftade av operator .*Skäl: demo" "$T/out" && ok "the operator's confirmation shown" ||
	bad "the operator's confirmation shown"
expect_ok "init again" "$BIDRAG" init --quiet
expect_ok "audit demo" "$BIDRAG" audit verify
finish
