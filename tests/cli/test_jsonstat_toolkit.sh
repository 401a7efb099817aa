#!/bin/sh
# test_jsonstat_toolkit.sh - the JSON-stat that `bidrag px cat` writes is
# read by the official JavaScript client (jsonstat-toolkit, pinned in
# tests/js/package-lock.json) with the same cells as our CSV output.
# Needs node and tests/js/node_modules (scripts/install-deps runs npm ci);
# it never downloads anything itself. Skipped without them (a failure
# under CI=true).
: "${BIDRAG:?}" "${BIDRAG_SRC:?}" "${BIDRAG_SHARED:?}"
. "$BIDRAG_SRC/tests/cli/lib.sh"
set -e
js="$BIDRAG_SRC/tests/js"
if ! command -v node >/dev/null 2>&1; then
	skip "node is not installed"
fi
if [ ! -f "$js/node_modules/jsonstat-toolkit/package.json" ]; then
	skip "$js/node_modules is missing; run scripts/install-deps (npm ci in tests/js)"
fi
fx="$BIDRAG_SHARED/px-fixtures/statisticssweden-PxWeb"
tmp=$T
n=0
check() { # FILE [ARGS...]
	f=$1
	shift
	"$BIDRAG" px cat "$f" --quiet --format json-stat --out "$tmp/t.json" "$@"
	"$BIDRAG" px cat "$f" --quiet --format csv --out "$tmp/t.csv" "$@"
	node "$js/jsonstat_check.mjs" "$tmp/t.json" "$tmp/t.csv"
	n=$((n + 1))
}
check "$fx/NPM/BE0101F1datasymbols.px"          # symbols, contents variable
check "$fx/NPM/BE0101F1allKeywords.px"          # time + metric roles
check "$fx/Month/PR0101D8.px"                   # decimals
check "$fx/keys/BE101ACEkeys.px"                # KEYS
check "$fx/multilanguage/BE0101F1langensvfiolikacelln.px" --lang sv
check "$BIDRAG_SHARED/px-fixtures/icane-pyaxis/27067.px"
# one value spot-checked by hand: the first cell of the symbols table
"$BIDRAG" px cat "$fx/NPM/BE0101F1datasymbols.px" --quiet --format json-stat --out "$tmp/s.json"
node "$js/jsonstat_check.mjs" "$tmp/s.json" | head -3 >"$tmp/s.txt"
grep -q '^00 Sweden|20|2003|men|456$' "$tmp/s.txt" || {
	echo "test_jsonstat_toolkit: unexpected first cells:" >&2
	cat "$tmp/s.txt" >&2
	exit 1
}
grep -q '^00 Sweden|20|2003|women|\.$' "$tmp/s.txt"
echo "test_jsonstat_toolkit: $n tables agree"
