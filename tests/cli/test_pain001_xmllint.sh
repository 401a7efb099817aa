# test_pain001_xmllint.sh - every bank file the pain.001 unit test checks
# (io_test_pain001 --write) validates with xmllint --schema against the
# ISO XSD shipped in data/schemas/iso20022 and against the copy in
# ../shared, with --nonet; and xmllint refuses the same file broken in the
# ways the schema forbids, so the check can fail.
. "$BIDRAG_SRC/tests/cli/lib.sh"
if ! command -v xmllint >/dev/null; then
	echo "skipped: xmllint missing (Debian package libxml2-utils)"
	exit 0
fi
xsd="$BIDRAG_SRC/data/schemas/iso20022/pain.001.001.03.xsd"
shared="${BIDRAG_SHARED:-$BIDRAG_SRC/../shared}/schemas/iso20022/pain.001.001.03.xsd"
writer=./io_test_pain001
if [ ! -x "$writer" ]; then
	bad "no $writer in $(pwd)"
	finish
fi
mkdir -p "$T/files"
expect_ok "the unit test writes its files" "$writer" --write "$T/files"
count=0
for f in "$T/files"/*.xml; do
	[ -f "$f" ] || continue
	count=$((count + 1))
	fname=$(basename "$f")
	expect_ok "$fname validates (data/schemas)" xmllint --noout --nonet --schema "$xsd" "$f"
	if [ -f "$shared" ]; then
		expect_ok "$fname validates (../shared)" xmllint --noout --nonet --schema "$shared" "$f"
	fi
done
if [ "$count" -ge 2 ]; then ok "$count files written"; else bad "only $count files written"; fi

f="$T/files/danske-mixed.xml"
sed 's/Ccy="SEK"/Ccy="sek"/' "$f" >"$T/bad-ccy.xml"
expect_fail "a currency in lower case is refused" "bad-ccy.xml fails to validate" \
	xmllint --noout --nonet --schema "$xsd" "$T/bad-ccy.xml"
sed '/<MmbId>9900<\/MmbId>/d' "$f" >"$T/bad-mmbid.xml"
expect_fail "a clearing member without MmbId is refused" "bad-mmbid.xml fails to validate" \
	xmllint --noout --nonet --schema "$xsd" "$T/bad-mmbid.xml"
sed 's/<EndToEndId>BES-2026-000001-1-1</<EndToEndId>BES-2026-000001-1-1-0123456789012345678</' \
	"$f" >"$T/bad-e2e.xml"
expect_fail "an end-to-end id over 35 characters is refused" "bad-e2e.xml fails to validate" \
	xmllint --noout --nonet --schema "$xsd" "$T/bad-e2e.xml"
finish
