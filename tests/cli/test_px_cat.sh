#!/bin/sh
# test_px_cat.sh - `bidrag px cat`: help, the three formats, --out, --lang,
# and errors printed as file:line: message with exit status 1.
set -eu
: "${BIDRAG:?}" "${BIDRAG_SHARED:?}"
fx="$BIDRAG_SHARED/px-fixtures/statisticssweden-PxWeb"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
	echo "test_px_cat: $*" >&2
	exit 1
}

"$BIDRAG" px cat --help | grep -q "usage: bidrag px cat FILE.px" || fail "no help"
"$BIDRAG" px --help >/dev/null || fail "px --help"

# CSV (default): BOM, header, first row
"$BIDRAG" px cat "$fx/NPM/BE0101F1datasymbols.px" --quiet >"$tmp/t.csv"
head -c 3 "$tmp/t.csv" | od -An -tx1 | grep -q "ef bb bf" || fail "no BOM"
sed -n 2p "$tmp/t.csv" | grep -q '^00,00 Sweden,20,2003,1,men,456' || fail "csv row: $(sed -n 2p "$tmp/t.csv")"

# PX out and back in gives the same CSV
"$BIDRAG" px cat "$fx/NPM/BE0101F1datasymbols.px" --quiet --format px --out "$tmp/t.px"
grep -q '^AXIS-VERSION="2013";' "$tmp/t.px" || fail "no AXIS-VERSION 2013"
"$BIDRAG" px cat "$tmp/t.px" >"$tmp/t2.csv"
cmp -s "$tmp/t.csv" "$tmp/t2.csv" || fail "px round trip changes the table"

# JSON-stat
"$BIDRAG" px cat "$fx/Month/PR0101D8.px" --format json-stat | grep -q '"version": "2.0"' || fail "json-stat"

# languages
"$BIDRAG" px cat "$fx/multilanguage/BE0101F1langensvfiolikacelln.px" --lang sv | sed -n 1p |
	grep -q 'region (code),region,ålder' || fail "--lang sv header"
if "$BIDRAG" px cat "$fx/multilanguage/BE0101F1ensvdescdefault.px" --lang de 2>"$tmp/err" >/dev/null; then
	fail "--lang de should fail"
fi
grep -q 'language "de" is not in the file' "$tmp/err" || fail "lang message: $(cat "$tmp/err")"

# errors: file:line: message naming the keyword, exit 1
set +e
"$BIDRAG" px cat "$fx/error/fatal/BE0101F1errorMatrix.px" >/dev/null 2>"$tmp/err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "exit status $rc for a fatal file"
grep -q 'BE0101F1errorMatrix.px:8: MATRIX: ' "$tmp/err" || fail "message: $(cat "$tmp/err")"
printf 'MATRIX="T";\nSUBJECT-CODE="S";\nSUBJECT-AREA="A";\nDECIMALS=0;\nTITLE="T";\nCONTENTS="C";\nUNITS="u";\nSTUB="a";\nVALUES("a")="1","2","3";\nDATA=\n1 2;\n' >"$tmp/short.px"
set +e
"$BIDRAG" px cat "$tmp/short.px" >/dev/null 2>"$tmp/err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "exit status $rc for a short DATA"
grep -q 'short.px:10: DATA has 2 values, expected 3' "$tmp/err" || fail "message: $(cat "$tmp/err")"

# warnings go to stderr, the table still comes out
"$BIDRAG" px cat "$fx/error/continue/BE0101F1errorNote.px" 2>"$tmp/err" >/dev/null || fail "continue file"
grep -q 'warning: NOTE skipped' "$tmp/err" || fail "no warning: $(cat "$tmp/err")"

# every valid fixture converts, every fatal one (but the clean template) fails
ok=0
rejected=0
for f in $(find "$BIDRAG_SHARED/px-fixtures" -name '*.px' -o -name '*.PX' | sort); do
	if "$BIDRAG" px cat "$f" --quiet --format json-stat >/dev/null 2>"$tmp/err"; then
		case "$f" in
		*/error/fatal/template_av_BE0101F1error.px) ok=$((ok + 1)) ;;
		*/error/fatal/*) fail "fatal file read: $f" ;;
		*) ok=$((ok + 1)) ;;
		esac
	else
		case "$f" in
		*/error/fatal/template_av_BE0101F1error.px) fail "template does not read: $f" ;;
		*/error/fatal/*)
			grep -q "^$f:[0-9][0-9]*: " "$tmp/err" || fail "no file:line: for $f: $(cat "$tmp/err")"
			rejected=$((rejected + 1))
			;;
		*) fail "valid file rejected: $f: $(cat "$tmp/err")" ;;
		esac
	fi
done
echo "test_px_cat: $ok fixtures converted, $rejected fatal fixtures rejected"
[ "$ok" = 94 ] && [ "$rejected" = 20 ] || fail "counts changed"
