#!/bin/sh
# test_stats_px.sh - the PX files of `bidrag stats table` as statisticians
# expect them, read by an independent reader (tests/js/px_check.mjs, written
# from the PC-Axis 2013 specification, no code shared with src/io/px.c):
# the requested column variables in HEADING, DECIMALS from the measures,
# ELIMINATION for totals, AGGREGALLOWED=NO, LAST-UPDATED, SOURCE, and every
# cell equal to the machine CSV of the same table. Needs node (skipped
# without it; a failure under CI=true).
. "$(dirname "$0")/lib.sh"
: "${BIDRAG:?}" "${BIDRAG_SRC:?}"
if ! command -v node >/dev/null 2>&1; then
	skip "node is not installed"
fi
js="$BIDRAG_SRC/tests/js"
expect_ok "synth" "$BIDRAG" stats synth --rows 20000 --years 2023-2024 --seed 5 --out "$T/s.csv"
# an import is an audited action: the database (and its operator's account) first
expect_ok "a database for the population" "$BIDRAG" init --db "$T/db/bidrag.db"
expect_ok "import" "$BIDRAG" stats import "$T/s.csv" --db "$T/db/bidrag.db"

# table DIMS: --rows, --cols, --filter, --measure, and the expected HEADING
check() {
	name=$1 rows=$2 cols=$3 filt=$4 meas=$5 heading=$6
	set -- --db "$T/db/bidrag.db" --rows "$rows" --measure "$meas"
	[ -n "$cols" ] && set -- "$@" --cols "$cols"
	[ -n "$filt" ] && set -- "$@" --filter "$filt"
	"$BIDRAG" stats table "$@" --format px --out "$T/t.px" 2>/dev/null &&
		"$BIDRAG" stats table "$@" --format csv-codes --out "$T/t.csv" 2>/dev/null &&
		node "$js/px_check.mjs" "$T/t.px" "$T/t.csv" "$heading" >"$T/out" 2>"$T/err" &&
		ok "$name: $(cat "$T/out")" || {
		bad "$name"
		sed 's/^/    /' "$T/err" | head -5
	}
}
check "region × sex, three measures" region sex year=2024 headcount,fte,per100k sex,measure
check "occupation, region × sex" occupation,region sex year=2024 headcount sex,measure
check "region × year" region year "" headcount,fte year,measure
check "one dimension" sector "" "year=2024,licence=leg" fte measure
check "kommuner of a region, its region and Riket" kommun "" \
	"year=2024,kommun=members(09),kommun=09,kommun=0000" headcount,per100k measure
# per 100 000 with a long decimal tail is written with its one decimal
"$BIDRAG" stats table --db "$T/db/bidrag.db" --rows region --filter year=2024 --measure per100k \
	--format px 2>/dev/null | grep -Eq '[0-9]\.[0-9]{2,}' &&
	bad "per 100 000 written with one decimal" || ok "per 100 000 written with one decimal"
# bidrag's own reader reads it back too
"$BIDRAG" stats table --db "$T/db/bidrag.db" --rows region --cols sex --filter year=2024 \
	--format px --out "$T/r.px" 2>/dev/null
expect_ok "px cat reads it" "$BIDRAG" px cat "$T/r.px" --format csv
grep -q "warning" "$T/err" && bad "px cat: no warnings" || ok "px cat: no warnings"
finish
