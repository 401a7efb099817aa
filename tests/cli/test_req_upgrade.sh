# test_req_upgrade.sh - an installation's requisitions survive the upgrade:
# the database of tests/fixtures/req-before-move (made by the e-service
# before it moved onto the case engine; its make.sh and PROVENANCE say how
# and by which commit) is migrated by this build, its audit trail verifies
# with its own key ring and checkpoints, and the command line shows every
# requisition, list and dashboard as that older build did (expected/; the
# command line reads as the agency: the recipients' drafts are checked by
# the web tests). The facts the fixture's story made are
# also checked one by one, independently of the saved outputs.
. "$BIDRAG_SRC/tests/cli/lib.sh"
F="$BIDRAG_SRC/tests/fixtures/req-before-move"
export BIDRAG_DB="$T/x.db"
export BIDRAG_NOW=2026-04-16T10:00:00Z
if ! command -v sqlite3 >/dev/null; then
	skip_part "the fixture is an sqlite3 dump (sqlite3 missing)"
	finish
fi
sqlite3 "$BIDRAG_DB" <"$F/dump.sql"
mkdir -p "$T/keys" "$T/audit"
cp "$F/keys/audit.key" "$T/keys/audit.key"
chmod 600 "$T/keys/audit.key"
cp "$F/audit/checkpoints" "$T/audit/checkpoints"
expect_ok "migrate" "$BIDRAG" migrate
# the official names (migration 0063) are filled from the reference data
# in one audited change: Gotland is one organisation, so 310 of them
grep -q "official names: 310 organisations given their name" "$T/out" &&
	ok "the official names filled on upgrade" || bad "the official names filled on upgrade"
expect_ok "orgs after the upgrade" "$BIDRAG" orgs --format csv
grep -q "^0180,Stockholm,kommun,01,Stockholms stad$" "$T/out" &&
	grep -q "^13,Region Halland,region,13,Region Halland$" "$T/out" &&
	ok "official names stored" || bad "official names stored"
expect_ok "migrate again" "$BIDRAG" migrate
grep -q "official names" "$T/out" && bad "a second migrate sets names again" ||
	ok "a second migrate changes nothing"
expect_ok "audit verify after the upgrade" "$BIDRAG" audit verify
grep -q "audit trail intact" "$T/out" && ok "intact" || bad "intact"
# the one deliberate difference from the older build: a requisition names
# its kommun by the official name (kommuner.csv column namn: "0180
# Stockholms stad" where it said "0180 Stockholm"); a region's was its body's
# name already
official() { awk -F, -v c="$1" '$1 == c { print $6 }' "$BIDRAG_SRC/data/reference/kommuner.csv"; }
for n in 1 2 3 4 5 6 7; do
	expect_ok "show REK-$n" "$BIDRAG" requisition show "REK-2026-00000$n"
	cp "$F/expected/show-$n.txt" "$T/want-$n.txt"
	code=$(sed -n 's/^mottagare  *\([0-9]\{4\}\) .*/\1/p' "$T/want-$n.txt")
	[ -n "$code" ] && sed -i "s/^\(mottagare  *$code \).*/\1$(official "$code")/" "$T/want-$n.txt"
	expect_same "REK-$n as before" "$T/want-$n.txt" "$T/out"
done
for p in kompetens-2026 tillganglighet-2026; do
	expect_ok "list $p" "$BIDRAG" requisition list "$p"
	expect_same "list $p as before" "$F/expected/list-$p.txt" "$T/out"
	expect_ok "dashboard $p" "$BIDRAG" requisition dashboard "$p"
	expect_same "dashboard $p as before" "$F/expected/dashboard-$p.txt" "$T/out"
done
# the story of make.sh, fact by fact
expect_ok "list" "$BIDRAG" requisition list kompetens-2026
for f in "REK-2026-000001 +0180 approved +2 " "REK-2026-000002 +0127 approved +1 " \
	"REK-2026-000003 +0125 rejected" "REK-2026-000004 +0114 draft +0 " \
	"REK-2026-000005 +0136 submitted" "REK-2026-000006 +0138 returned"; do
	grep -Eq "$f" "$T/out" && ok "listed: $f" || bad "listed: $f"
done
grep -Eq "REK-2026-000002 .* 100 000 kr +60 000 kr" "$T/out" && ok "approved in part" ||
	bad "approved in part"
expect_ok "show REK-7" "$BIDRAG" requisition show REK-2026-000007
grep -Eq "BES-2026-000005 supplementary 2026-03-18 +1 000 000 kr" "$T/out" &&
	ok "the redistribution's supplementary decision" ||
	bad "the redistribution's supplementary decision"
expect_ok "decision letter" "$BIDRAG" requisition decision BES-2026-000002 -o "$T/b.pdf"
head -c 5 "$T/b.pdf" | grep -q '%PDF-' && ok "decision is a PDF" || bad "decision is a PDF"
expect_ok "receipt of version 2" "$BIDRAG" requisition receipt REK-2026-000001 --version 2 \
	-o "$T/k.pdf"
# numbers go on from where they were: the next requisition and decision
expect_ok "an ombud for 0186" "$BIDRAG" user add nils --name "Nils Ombud" --sso
expect_ok "ombud role" "$BIDRAG" user role nils ombud --org 0186
expect_ok "a new requisition" "$BIDRAG" requisition submit kompetens-2026 0186 --as nils \
	--set measure.1.purpose=vfu --set "measure.1.description=Fler handledare" \
	--set "contact_name=Nils" --set contact_email=nils@example.se \
	--set "contact_phone=08-100 00 00" --set account_kind=bankgiro --set account=5050-1055 \
	--set confirmed=1
grep -q "kvittens: REK-2026-000008 version 1" "$T/out" && ok "REK numbers go on" ||
	bad "REK numbers go on"
expect_ok "approve it" "$BIDRAG" requisition approve REK-2026-000008 --as hanna
grep -q "BES-2026-000006" "$T/out" && ok "BES numbers go on" || bad "BES numbers go on"
expect_ok "audit verify at the end" "$BIDRAG" audit verify
finish
