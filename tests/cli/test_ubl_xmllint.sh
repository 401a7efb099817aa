# test_ubl_xmllint.sh - every invoice and credit note the UBL unit test
# checks (io_test_ubl --write) validates with xmllint --schema against the
# UBL 2.1 XSD shipped in data/schemas and against the copy in ../shared,
# with --nonet; and the compiled Peppol and CEN rules, run here by Saxon
# directly (not through io/ublcheck), report no fatal assertion for them
# but do for the same invoice without its BuyerReference, so the check can
# fail. Skipped without xmllint (the rules' part without Java and Saxon);
# failed then under CI=true.
. "$BIDRAG_SRC/tests/cli/lib.sh"
command -v xmllint >/dev/null || skip "xmllint missing (Debian package libxml2-utils)"
U="$BIDRAG_SRC/data/schemas/ubl-2.1/xsd/maindoc"
S="${BIDRAG_SHARED:-$BIDRAG_SRC/../shared}/schemas/ubl-2.1/xsd/maindoc"
writer=./io_test_ubl
if [ ! -x "$writer" ]; then
	bad "no $writer in $(pwd)"
	finish
fi
mkdir -p "$T/files"
expect_ok "the unit test writes its documents" "$writer" --write "$T/files"
count=0
for f in "$T/files"/*.xml; do
	[ -f "$f" ] || continue
	count=$((count + 1))
	fname=$(basename "$f")
	case $fname in
	creditnote-*) xsd=UBL-CreditNote-2.1.xsd ;;
	*) xsd=UBL-Invoice-2.1.xsd ;;
	esac
	expect_ok "$fname validates (data/schemas)" xmllint --noout --nonet --schema "$U/$xsd" "$f"
	if [ -f "$S/$xsd" ]; then
		expect_ok "$fname validates (../shared)" xmllint --noout --nonet --schema "$S/$xsd" "$f"
	fi
done
if [ "$count" -ge 6 ]; then ok "$count documents written"; else bad "only $count documents written"; fi

f="$T/files/invoice-kommun.xml"
sed 's/<cbc:Note>/<cbc:Bogus>x<\/cbc:Bogus><cbc:Note>/' \
	"$f" >"$T/bad-element.xml"
expect_fail "an unknown element is refused by the XSD" "bad-element.xml fails to validate" \
	xmllint --noout --nonet --schema "$U/UBL-Invoice-2.1.xsd" "$T/bad-element.xml"
expect_fail "an invoice is not a credit note" "fails to validate" \
	xmllint --noout --nonet --schema "$U/UBL-CreditNote-2.1.xsd" "$f"

# the rules, by Saxon directly on the compiled stylesheets
java=$(command -v java || true)
jar=/usr/share/java/Saxon-HE.jar
rules=./schematron
if [ -z "$java" ] || [ ! -f "$jar" ] || [ ! -f "$rules/PEPPOL-EN16931-UBL.xsl" ]; then
	skip_part "java, Saxon-HE or the compiled rules in $(pwd)/schematron"
	finish
fi
mkdir -p "$T/in" "$T/out-PEPPOL" "$T/out-CEN"
cp "$T/files"/*.xml "$T/in/"
grep -v '<cbc:BuyerReference>' "$f" >"$T/in/no-buyer-reference.xml"
for r in PEPPOL CEN; do
	expect_ok "Saxon runs the $r rules" "$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
		-jar "$jar" "-s:$T/in" "-xsl:$rules/$r-EN16931-UBL.xsl" "-o:$T/out-$r"
done
for f in "$T/in"/*.xml; do
	fname=$(basename "$f")
	for r in PEPPOL CEN; do
		out="$T/out-$r/$fname"
		if [ ! -s "$out" ]; then
			bad "$fname: no $r report"
			continue
		fi
		grep -q '<svrl:fired-rule' "$out" || bad "$fname: no $r rule fired"
		# assertions (not rules, which may carry a flag too) flagged fatal
		fatal=$(tr '\n' ' ' <"$out" | grep -oE '<svrl:(failed-assert|successful-report)[^>]*flag="fatal"' | wc -l)
		if [ "$fname" = no-buyer-reference.xml ] && [ "$r" = PEPPOL ]; then
			if grep -q 'id="PEPPOL-EN16931-R003"' "$out"; then
				ok "$fname: blocked by PEPPOL-EN16931-R003"
			else
				bad "$fname: PEPPOL-EN16931-R003 not reported"
			fi
		elif [ "$fatal" = 0 ]; then
			ok "$fname: no fatal $r assertion"
		else
			bad "$fname: $fatal fatal $r assertions"
			tr '\n' ' ' <"$out" | grep -oE '<svrl:failed-assert[^>]*flag="fatal"[^>]*>' | head -5
		fi
	done
done
finish
