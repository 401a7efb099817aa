# test_names.sh - the official names (data/reference/kommuner.csv column
# namn, regioner.csv column region; PROVENANCE.md) in the letters: the
# decision and the receipt of Stockholm (0180) say "Stockholms stad", Lund's
# (1281) "Lunds kommun", Region Skåne's (12) "Region Skåne", each read back
# from the PDF with pdftotext; the short name alone ("Stockholm (0180)",
# "Lund (1281)") is in neither. The allocation keeps SCB's short names.
. "$BIDRAG_SRC/tests/cli/lib.sh"
export BIDRAG_DB="$T/n.db"
export BIDRAG_NOW=2026-04-15T10:00:00Z
expect_ok "init" "$BIDRAG" init --quiet --no-demo-accounts
expect_ok "handläggare" "$BIDRAG" user add hanna --name "Hanna Handläggare" --sso
expect_ok "handläggare role" "$BIDRAG" user role hanna handlaggare
if ! command -v pdftotext >/dev/null; then
	skip_part "the letters' text (pdftotext missing)"
	finish
fi
n=0
for who in 0180:stina 1281:lars 12:sara; do
	code=${who%%:*}
	login=${who#*:}
	n=$((n + 1))
	expect_ok "ombud $code" "$BIDRAG" user add "$login" --name "Ombud $code" --sso
	expect_ok "ombud $code role" "$BIDRAG" user role "$login" ombud --org "$code"
	expect_ok "$code submits" "$BIDRAG" requisition submit kompetens-2026 "$code" --as "$login" \
		--set measure.1.purpose=vfu --set "measure.1.description=Fler handledare" \
		--set "contact_name=Ombud $code" --set contact_email="$login@example.se" \
		--set "contact_phone=08-100 00 00" --set account_kind=bankgiro --set account=5050-1055 \
		--set confirmed=1
	expect_ok "$code approved" "$BIDRAG" requisition approve "REK-2026-00000$n" --as hanna
	expect_ok "$code decision" "$BIDRAG" requisition decision "BES-2026-00000$n" -o "$T/b$code.pdf"
	expect_ok "$code receipt" "$BIDRAG" requisition receipt "REK-2026-00000$n" --version 1 \
		-o "$T/k$code.pdf"
	pdftotext "$T/b$code.pdf" "$T/b$code.txt"
	pdftotext "$T/k$code.pdf" "$T/k$code.txt"
done
has() { # has FILE TEXT NAME: the text (line breaks folded to spaces) holds TEXT
	tr '\n' ' ' <"$1" | grep -qF -- "$2" && ok "$3" || {
		bad "$3"
		sed 's/^/    /' "$1" | head -30
	}
}
hasnt() {
	tr '\n' ' ' <"$1" | grep -qF -- "$2" && bad "$3" || ok "$3"
}
has "$T/b0180.txt" "Stockholms stad (0180)" "decision 0180: the addressee is Stockholms stad"
has "$T/b0180.txt" "beviljar Stockholms stad" "decision 0180: the text names Stockholms stad"
has "$T/k0180.txt" "Stockholms stad" "receipt 0180: Stockholms stad"
hasnt "$T/b0180.txt" "Stockholm (0180)" "decision 0180: not the short name"
has "$T/b1281.txt" "Lunds kommun (1281)" "decision 1281: the addressee is Lunds kommun"
has "$T/b1281.txt" "beviljar Lunds kommun" "decision 1281: the text names Lunds kommun"
has "$T/k1281.txt" "Lunds kommun" "receipt 1281: Lunds kommun"
hasnt "$T/b1281.txt" "Lund (1281)" "decision 1281: not the short name"
has "$T/b12.txt" "Region Skåne (12)" "decision 12: the addressee is Region Skåne"
has "$T/b12.txt" "beviljar Region Skåne" "decision 12: the text names Region Skåne"
has "$T/k12.txt" "Region Skåne" "receipt 12: Region Skåne"
# the allocation is a table of SCB's short names
expect_ok "allocation" "$BIDRAG" allocate kompetens-2026 --format csv
grep -q '^0180,Stockholm,kommun,' "$T/out" && grep -q '^1281,Lund,kommun,' "$T/out" &&
	ok "the allocation keeps the short names" || bad "the allocation keeps the short names"
expect_ok "audit" "$BIDRAG" audit verify
finish
