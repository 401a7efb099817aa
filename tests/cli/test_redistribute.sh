# test_redistribute.sh - the offline what-if 'bidrag redistribute PROGRAM
# --requisitions FILE.csv' follows the e-service's rule (core/redistplan):
# every supplementary amount, round and unpaid remainder is checked
# against an independent reference written from the decision's words
# (redist_ref.js, BigInt, not the C engine) over the accessibility grant's
# key; the competence grant (no redistribution in its decision) is
# refused; bad files are told as file:line.
. "$BIDRAG_SRC/tests/cli/lib.sh"
export BIDRAG_DB="$T/x.db" LC_ALL=C LANG=C LC_MESSAGES=
P=tillganglighet-2026
KEY="$BIDRAG_SRC/data/programs/tillganglighet-2026-nyckel.csv"
command -v node >/dev/null || skip "node missing (run scripts/install-deps)"
expect_ok "init" "$BIDRAG" init --quiet --no-demo-accounts

# the CLI's summary (stderr with --format csv) as numbers
summary() {
	sed -E ':a;s/([0-9]) ([0-9]{3})/\1\2/;ta' "$1" | sed -nE \
		-e 's/^Block [^:]*: att omfördela ([0-9]+) kr, omfördelat ([0-9]+) kr, kvar obetalt ([0-9]+) kr\.$/pot \1 redistributed \2 unpaid \3/p' \
		-e 's/^  Runda ([0-9]+): ([0-9]+) kr fördelas på ([0-9]+) mottagare; ([0-9]+) når sitt tak\.$/round \1 \2 \3 \4/p'
}

# check NAME FILE: the CLI against the reference, row by row and in sum
check() {
	if ! node "$BIDRAG_SRC/tests/cli/redist_ref.js" "$KEY" "$2" >"$T/ref.csv" 2>"$T/ref.sum"; then
		bad "$1: the reference failed"
		return
	fi
	expect_ok "$1" "$BIDRAG" redistribute "$P" --requisitions "$2"
	cp "$T/out" "$T/cli.csv"
	summary "$T/err" >"$T/cli.sum"
	expect_same "$1: every recipient as the reference" "$T/ref.csv" "$T/cli.csv"
	expect_same "$1: rounds and unpaid as the reference" "$T/ref.sum" "$T/cli.sum"
}

# the review's measured cases: full and 'as much as possible' (01, 12),
# full with 1 000 000 kr more (03), 1 kr and opted in (04), reduced by the
# officer (05), opted out (06), opted in but can use nothing (07)
cat >"$T/a.csv" <<'CSV'
code,requisitioned,opt_in,extra_cap
01,787373034,1,
03,213365510,1,1000000
04,1,1,
05,201868376,1,
06,202831638,0,
07,156514615,1,0
12,497038858,1,max
CSV
check "measured cases" "$T/a.csv"
grep -q '^1,04,183803523,1,1,max,0,0,0,0,1$' "$T/cli.csv" && ok "1 kr requisitioned: no share" ||
	bad "1 kr requisitioned: no share"
grep -q '^1,03,213365510,213365510,1,1000000,1,1000000,1,1,214365510$' "$T/cli.csv" &&
	ok "03 gets its cap in round 1" || bad "03 gets its cap in round 1"
# everything not requisitioned is paid out to 01, 03 and 12
grep -q "^pot 2983508168 redistributed 2983508168 unpaid 0$" "$T/cli.sum" && ok "the pot is spent" ||
	bad "the pot is spent"

# everybody capped, 03 only in the second round (its share of the first
# is below its cap): what is left stays unpaid and is reported
cat >"$T/b.csv" <<'CSV'
code,requisitioned,opt_in,extra_cap
01,787373034,1,5000000
03,213365510,1,1000000000
14,592696357,1,250000000
25,169095621,1,7
CSV
check "all capped" "$T/b.csv"
grep -q "unpaid [1-9]" "$T/cli.sum" && ok "the rest unpaid" || bad "the rest unpaid"
grep -q "^round 1 " "$T/cli.sum" && grep -q "^round 2 " "$T/cli.sum" && ok "several rounds" ||
	bad "several rounds"

# nobody takes part: all of it stays unpaid
cat >"$T/c.csv" <<'CSV'
code,requisitioned,opt_in,extra_cap
01,787373034,0,
03,100,1,
CSV
check "nobody takes part" "$T/c.csv"
grep -q "redistributed 0 unpaid" "$T/cli.sum" && ok "nothing redistributed" || bad "nothing redistributed"

# ties and remainders: equal weights split by largest remainder, lower code first
cat >"$T/d.csv" <<'CSV'
code,requisitioned,opt_in,extra_cap
19,178138471,1,max
24,178132913,1,max
20,179635886,1,max
21,179083387,1,max
CSV
check "largest remainder" "$T/d.csv"

expect_ok "table" "$BIDRAG" redistribute "$P" --requisitions "$T/a.csv" --format table --block 1
grep -q "Region Uppsala" "$T/out" && grep -q "1\\*" "$T/out" && grep -q "kvar obetalt" "$T/out" &&
	ok "table names, the capped round and the unpaid rest" ||
	bad "table names, the capped round and the unpaid rest"
"$BIDRAG" redistribute "$P" --requisitions "$T/a.csv" >"$T/again.csv" 2>/dev/null
"$BIDRAG" redistribute "$P" --requisitions "$T/a.csv" >"$T/again2.csv" 2>/dev/null
expect_same "re-running changes nothing" "$T/again.csv" "$T/again2.csv"

# the decision decides: kompetens provides no redistribution
expect_fail "kompetens refused" "medger ingen omfördelning" \
	"$BIDRAG" redistribute kompetens-2026 --requisitions "$T/a.csv"
expect_fail "unknown block" "has no block '9'" \
	"$BIDRAG" redistribute "$P" --requisitions "$T/a.csv" --block 9
expect_fail "--block alone" "goes with --requisitions" "$BIDRAG" redistribute "$P" --block 1

# bad files: file:line: message, and nothing computed
bad_csv() {
	name=$1
	pat=$2
	printf '%s\n' "$3" >"$T/bad.csv"
	expect_fail "$name" "$pat" "$BIDRAG" redistribute "$P" --requisitions "$T/bad.csv"
	[ -s "$T/out" ] && bad "$name: printed a result" || true
}
bad_csv "old header" "bad.csv:1: expected the header code,requisitioned,opt_in,extra_cap" \
	"code,requisitioned,opt_in
01,1,0"
bad_csv "no recipient" "bad.csv:3: '0180' is not a recipient" \
	"code,requisitioned,opt_in,extra_cap
01,1,0,
0180,1,0,"
bad_csv "amount" "bad.csv:2: requisitioned '12 kr' is not a whole number" \
	"code,requisitioned,opt_in,extra_cap
01,12 kr,0,"
bad_csv "too much" "bad.csv:2: '03' requisitioned more than its amount" \
	"code,requisitioned,opt_in,extra_cap
03,213365511,1,"
bad_csv "opt_in" "bad.csv:2: opt_in 'ja' must be 1 or 0" \
	"code,requisitioned,opt_in,extra_cap
03,1,ja,"
bad_csv "cap" "bad.csv:2: extra_cap '-5' is not a whole number" \
	"code,requisitioned,opt_in,extra_cap
03,1,1,-5"
bad_csv "cap without opt-in" "bad.csv:2: extra_cap '5' without opt_in 1" \
	"code,requisitioned,opt_in,extra_cap
03,1,0,5"
bad_csv "twice" "bad.csv:3: '03' appears twice" \
	"code,requisitioned,opt_in,extra_cap
03,1,0,
03,2,0,"
expect_fail "missing file" "nothing.csv" \
	"$BIDRAG" redistribute "$P" --requisitions "$T/nothing.csv"
finish
