# test_requisition.sh - bidrag requisition: a recipient submits through the
# CLI, the operator lists, a named handläggare approves (the operator's
# account takes no decision), and the decision and receipt PDFs are
# written; wrong input is told in words.
. "$BIDRAG_SRC/tests/cli/lib.sh"
export BIDRAG_DB="$T/x.db"
export BIDRAG_NOW=2026-04-15T10:00:00Z
expect_ok "init" "$BIDRAG" init --quiet --no-demo-accounts
expect_ok "user" "$BIDRAG" user add anna --name "Anna Ombud" --sso
expect_ok "role" "$BIDRAG" user role anna ombud --org 0180
expect_ok "role 0114" "$BIDRAG" user role anna representant --org 0114
expect_ok "samordnare" "$BIDRAG" user add sam --name "Sam Samordnare" --sso
expect_ok "samordnare role" "$BIDRAG" user role sam uppgiftssamordnare --org 0180
expect_ok "handläggare" "$BIDRAG" user add hanna --name "Hanna Handläggare" --sso
expect_ok "handläggare role" "$BIDRAG" user role hanna handlaggare

set -- --set measure.1.purpose=vfu --set "measure.1.description=Fler handledare" \
	--set "contact_name=Anna Ombud" --set contact_email=anna@stockholm.example \
	--set "contact_phone=08-508 290 00" --set account_kind=bankgiro --set confirmed=1
expect_fail "bad bankgiro" "Kontrollsiffran stämmer inte för bankgironumret" \
	"$BIDRAG" requisition submit kompetens-2026 0180 --as anna "$@" --set account=5050-1056
expect_fail "samordnare cannot submit" "uppgiftssamordnare" \
	"$BIDRAG" requisition submit kompetens-2026 0180 --as sam "$@" --set account=5050-1055
expect_ok "samordnare saves a draft" \
	"$BIDRAG" requisition save kompetens-2026 0180 --as sam "$@" --set account=5050-1055
expect_ok "submit" "$BIDRAG" requisition submit kompetens-2026 0180 --as anna --key k1
grep -q "kvittens: REK-2026-000001 version 1" "$T/out" && ok "receipt line" || bad "receipt line"
expect_ok "repeat" "$BIDRAG" requisition submit kompetens-2026 0180 --as anna --key k1
grep -q "redan mottagen" "$T/out" && ok "repeat is a no-op" || bad "repeat is a no-op"
expect_fail "unknown field" "no field 'colour'" \
	"$BIDRAG" requisition save kompetens-2026 0180 --as anna --set colour=red
expect_ok "list" "$BIDRAG" requisition list kompetens-2026 --state submitted
grep -q "REK-2026-000001" "$T/out" && ok "listed" || bad "listed"
expect_fail "the operator's account takes no decision" "namngiven person" \
	"$BIDRAG" requisition approve REK-2026-000001
expect_fail "too much" "högst" "$BIDRAG" requisition approve REK-2026-000001 --amount 99999999 --as hanna
expect_ok "approve" "$BIDRAG" requisition approve REK-2026-000001 --as hanna
expect_ok "decision pdf" "$BIDRAG" requisition decision BES-2026-000001 -o "$T/b.pdf"
head -c 5 "$T/b.pdf" | grep -q '%PDF-' && ok "decision is a PDF" || bad "decision is a PDF"
expect_ok "receipt pdf" "$BIDRAG" requisition receipt REK-2026-000001 --version 1 -o "$T/k.pdf"
if command -v pdftotext >/dev/null; then
	pdftotext "$T/b.pdf" "$T/b.txt"
	grep -q "BES-2026-000001" "$T/b.txt" && grep -q "överklagar" "$T/b.txt" &&
		ok "decision text" || bad "decision text"
else
	skip_part "decision text (pdftotext missing)"
fi
# granting less than requisitioned states its reasons (förvaltningslagen 32 §),
# printed in the decision under "Skäl för beslutet"
expect_ok "ombud 0127" "$BIDRAG" user add ulla --name "Ulla Ombud" --sso
expect_ok "ombud 0127 role" "$BIDRAG" user role ulla ombud --org 0127
expect_ok "0127 submits" "$BIDRAG" requisition submit kompetens-2026 0127 --as ulla "$@" \
	--set account=5050-1055 --set amount=100000
expect_fail "less without reasons" "32 §" \
	"$BIDRAG" requisition approve REK-2026-000002 --amount 60000 --as hanna
grep -q "reasons: " "$T/err" && ok "the field is named" || bad "the field is named"
expect_ok "less with reasons" "$BIDRAG" requisition approve REK-2026-000002 --amount 60000 \
	--reasons "Insats 1 ryms bara delvis i syftet." --as hanna
expect_ok "partial decision pdf" "$BIDRAG" requisition decision BES-2026-000002 -o "$T/p.pdf"
if command -v pdftotext >/dev/null; then
	pdftotext "$T/p.pdf" "$T/p.txt"
	grep -q "Skäl för beslutet" "$T/p.txt" && grep -q "ryms bara delvis i syftet" "$T/p.txt" &&
		ok "the reasons in the decision" || bad "the reasons in the decision"
	grep -q "Skäl för beslutet" "$T/b.txt" && bad "a grant in full has no reasons" ||
		ok "a grant in full has no reasons"
else
	skip_part "partial decision text (pdftotext missing)"
fi
BIDRAG_NOW=2026-11-01T10:00:00Z expect_fail "closed" "stängde 30 oktober 2026" \
	"$BIDRAG" requisition submit kompetens-2026 0114 --as anna
# kompetens: the decision provides no redistribution
BIDRAG_NOW=2026-11-03T10:00:00Z expect_fail "kompetens is not redistributed" "medger ingen omfördelning" \
	"$BIDRAG" requisition redistribute kompetens-2026 --as hanna
# tillgänglighet provides it: a region that opted in, able to use 1 000 000 kr more
expect_ok "region ombud" "$BIDRAG" user add regina --name "Regina Region" --sso
expect_ok "region ombud role" "$BIDRAG" user role regina ombud --org 01
BIDRAG_NOW=2026-02-10T10:00:00Z expect_ok "region submits" \
	"$BIDRAG" requisition submit tillganglighet-2026 01 --as regina \
	--set measure.1.purpose=tillganglighet --set "measure.1.description=Kortare köer" \
	--set "contact_name=Regina Region" --set contact_email=regina@region.example \
	--set "contact_phone=08-123 456 78" --set account_kind=bankgiro --set account=5050-1055 \
	--set opt_in=1 --set "extra_cap=1 000 000" --set confirmed=1
case_no=$(sed -n 's/.*kvittens: \(REK-[0-9-]*\).*/\1/p' "$T/out" | head -1)
BIDRAG_NOW=2026-02-11T10:00:00Z expect_ok "region approved" "$BIDRAG" requisition approve "$case_no" --as hanna
BIDRAG_NOW=2026-03-16T20:00:00Z expect_fail "before the date" "tidigast 17 mars 2026" \
	"$BIDRAG" requisition redistribute tillganglighet-2026 --as hanna
# first the preview: each supplement and the digest to confirm, nothing written
BIDRAG_NOW=2026-03-18T10:00:00Z expect_ok "redistribution preview" \
	"$BIDRAG" requisition redistribute tillganglighet-2026 --as hanna
digest=$(sed -n 's/^bekräfta: .* --confirm \([0-9a-f]\{64\}\)$/\1/p' "$T/out")
[ -n "$digest" ] && ok "the preview names a digest" || bad "the preview names a digest"
grep -q "tilläggsbeslut" "$T/out" && bad "the preview decides nothing" || ok "the preview decides nothing"
BIDRAG_NOW=2026-03-18T10:00:00Z expect_fail "another digest" "har ändrats sedan förhandsgranskningen" \
	"$BIDRAG" requisition redistribute tillganglighet-2026 --as hanna --confirm "$(printf '%064d' 0)"
grep -q "^bekräfta: .* --confirm $digest\$" "$T/out" && ok "the refusal offers the preview as it is" ||
	bad "the refusal offers the preview as it is"
BIDRAG_NOW=2026-03-18T10:00:00Z expect_ok "redistribute" \
	"$BIDRAG" requisition redistribute tillganglighet-2026 --as hanna --confirm "$digest"
grep -q "1 tilläggsbeslut" "$T/out" && ok "one supplementary decision" || bad "one supplementary decision"
BIDRAG_NOW=2026-03-19T10:00:00Z expect_fail "the same confirmation twice" "har ändrats sedan förhandsgranskningen" \
	"$BIDRAG" requisition redistribute tillganglighet-2026 --as hanna --confirm "$digest"
digest=$(sed -n 's/^bekräfta: .* --confirm \([0-9a-f]\{64\}\)$/\1/p' "$T/out")
BIDRAG_NOW=2026-03-19T10:00:00Z expect_ok "again" "$BIDRAG" requisition redistribute tillganglighet-2026 --as hanna --confirm "$digest"
grep -q "gjort tidigare" "$T/out" && ok "twice = no change" || bad "twice = no change"
BIDRAG_NOW=2026-03-20T10:00:00Z BIDRAG_AS=hanna expect_ok "bidrag redistribute PROGRAM runs the same" \
	"$BIDRAG" redistribute tillganglighet-2026 --confirm "$digest"
grep -q "gjort tidigare" "$T/out" && ok "third time = no change" || bad "third time = no change"
# every argument reaches the run: --as past the 13th (it was dropped)
BIDRAG_NOW=2026-03-20T10:00:00Z expect_ok "bidrag redistribute passes every argument" \
	"$BIDRAG" redistribute tillganglighet-2026 --db "$BIDRAG_DB" --db "$BIDRAG_DB" --db "$BIDRAG_DB" \
	--db "$BIDRAG_DB" --db "$BIDRAG_DB" --db "$BIDRAG_DB" --as hanna --confirm "$digest"
grep -q "gjort tidigare" "$T/out" && ok "the last argument reached the run" || bad "the last argument reached the run"
expect_ok "dashboard" "$BIDRAG" requisition dashboard kompetens-2026
grep -q "fördelat  *1 013 000 000 kr" "$T/out" && ok "total" || bad "total"
expect_ok "audit" "$BIDRAG" audit verify
finish
