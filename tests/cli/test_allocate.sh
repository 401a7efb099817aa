# test_allocate.sh - init, the three shipped programs against golden files
# and against an independent check of the largest-remainder rules, the
# explanation, output formats and reproducibility.
. "$BIDRAG_SRC/tests/cli/lib.sh"
DB="$T/b.db"
expect_ok "init creates the database" "$BIDRAG" init --db "$DB"
grep -Eq '^  ombud +[a-z2-9]{16} +ombud +0180$' "$T/out" && ok "demo accounts printed once" || bad "demo accounts printed"
[ "$("$BIDRAG" user list --db "$DB" | wc -l)" -ge 9 ] && ok "nine demo accounts" || bad "nine demo accounts"
expect_ok "init again reloads programs" "$BIDRAG" init --db "$DB" --quiet

"$BIDRAG" orgs --db "$DB" --format csv >"$T/orgs.csv"
[ "$(grep -c ',kommun,' "$T/orgs.csv")" = 290 ] && ok "290 kommuner" || bad "290 kommuner"
[ "$(grep -c ',region,' "$T/orgs.csv")" = 21 ] && ok "21 regioner" || bad "21 regioner"
grep -q '^0980,Gotland,kommun,09,Region Gotland$' "$T/orgs.csv" &&
	grep -q '^09,Region Gotland,region,09,Region Gotland$' "$T/orgs.csv" &&
	ok "Gotland in both roles" || bad "Gotland in both roles"
# the official names (kommuner.csv column namn) beside SCB's short names
grep -q '^0180,Stockholm,kommun,01,Stockholms stad$' "$T/orgs.csv" &&
	grep -q '^1281,Lund,kommun,12,Lunds kommun$' "$T/orgs.csv" &&
	grep -q '^12,Region Skåne,region,12,Region Skåne$' "$T/orgs.csv" &&
	ok "official names" || bad "official names"

for p in kompetens-2026 at-2025 tillganglighet-2026; do
	"$BIDRAG" allocate "$p" --db "$DB" --format csv >"$T/$p.csv" || bad "allocate $p"
	expect_same "golden $p.csv" "$BIDRAG_SRC/tests/golden/$p.csv" "$T/$p.csv"
	"$BIDRAG" allocate "$p" --db "$DB" >"$T/$p.txt"
	expect_same "golden $p.txt" "$BIDRAG_SRC/tests/golden/$p.txt" "$T/$p.txt"
	"$BIDRAG" allocate "$p" --db "$DB" --format csv >"$T/$p.2.csv"
	expect_same "reproducible $p" "$T/$p.csv" "$T/$p.2.csv"
done

# Independent check of 2026 (awk, not our engine): block 1 = 500 000 +
# 95 000 000 × pop / total pop, blocks 2 and 3 by region population; every
# amount within 1 kr of its exact quota, sums exact.
POP="$BIDRAG_SRC/data/reference/folkmangd_kommun_2024-12-31.csv"
LAN="$BIDRAG_SRC/data/reference/folkmangd_lan_2024-12-31.csv"
awk -F, -v pop="$POP" -v lan="$LAN" '
BEGIN {
	while ((getline l < pop) > 0) { split(l, f, ","); if (f[1] ~ /^[0-9][0-9][0-9][0-9]$/) { kp[f[1]] = f[4]; kt += f[4] } }
	while ((getline l < lan) > 0) { split(l, f, ","); if (f[1] ~ /^[0-9][0-9]$/ && f[1] != "00") { rp[f[1]] = f[3]; rt += f[3] } }
}
NR > 1 {
	if ($3 == "kommun") {
		q = 500000 + 95000000 * kp[$1] / kt; d = $4 - q; if (d < 0) d = -d
		if (d >= 1) { print "kommun " $1 " off by " d; bad++ }
		s1 += $4
	} else {
		q2 = 200000000 * rp[$2 == "" ? $1 : $1] / rt; q3 = 573000000 * rp[$1] / rt
		d = $5 - q2; if (d < 0) d = -d; if (d >= 1) { print "region " $1 " block 2 off by " d; bad++ }
		d = $6 - q3; if (d < 0) d = -d; if (d >= 1) { print "region " $1 " block 3 off by " d; bad++ }
		s2 += $5; s3 += $6
	}
	tot += $NF
}
END {
	if (s1 != 240000000 || s2 != 200000000 || s3 != 573000000 || tot != 1013000000) { print "sums " s1 " " s2 " " s3 " " tot; bad++ }
	exit bad ? 1 : 0
}' "$T/kompetens-2026.csv" && ok "2026 within 1 kr of exact quotas, sums exact" || bad "2026 independent check"

# AT 2025 as shipped (among = eligible): block 1's whole 44 000 000 equal
# among the 19 that reported (each 2 315 789 or 2 315 790: 44 000 000 / 19
# floored, the 9 kronor left to the lowest codes), the 2 others nothing;
# block 2 sums exactly
awk -F, 'NR > 1 { b1 += $4; b2 += $5; if ($4 == 0) z++; else if ($4 != 2315789 && $4 != 2315790) odd++ }
	END { exit !(b2 == 182000000 && z == 2 && !odd && b1 == 44000000) }' \
	"$T/at-2025.csv" && ok "AT 2025 block 1 paid in full among those that reported" || bad "AT 2025 block sums"
grep -q "^Block 1: hela blocket delas mellan de 19 mottagare som uppfyller villkoret; 2 utan andel: 10 Region Blekinge, 23 Region Jämtland Härjedalen\.$" "$T/at-2025.txt" &&
	ok "AT 2025 names those without a share" || bad "AT 2025 names those without a share"
# The other reading (among = all) on a copy: equal among all 21, the two
# that did not report forfeit 2 095 238 kr each, and the output says so and
# names them (nothing silently left over)
sed -e 's/^id = at-2025$/id = at-2025-alla/' -e 's/^among = eligible$/among = all/' \
	"$BIDRAG_SRC/data/programs/at-2025.ini" >"$T/at-2025-alla.ini"
expect_ok "load the other AT reading" "$BIDRAG" program load "$T/at-2025-alla.ini" --db "$DB"
"$BIDRAG" allocate at-2025-alla --db "$DB" --format csv >"$T/at-alla.csv"
"$BIDRAG" allocate at-2025-alla --db "$DB" >"$T/at-alla.txt"
awk -F, 'NR > 1 { b1 += $4; if ($4 == 0) z++ } END { exit !(z == 2 && b1 == 44000000 - 2 * 2095238) }' \
	"$T/at-alla.csv" && ok "AT among all: block 1 less the forfeited shares" || bad "AT among all: block 1"
grep -q "^Block 1: 4 190 476 kr förverkas av mottagare som inte uppfyller villkoret (lika delning mellan alla) och betalas inte ut: 10 Region Blekinge, 23 Region Jämtland Härjedalen\.$" "$T/at-alla.txt" &&
	ok "AT among all: forfeited amount and who, stated" || bad "AT among all: forfeited amount stated"

"$BIDRAG" allocate kompetens-2026 --db "$DB" --explain 0114 >"$T/ex.txt"
expect_same "explain 0114" "$BIDRAG_SRC/tests/golden/kompetens-2026-explain-0114.txt" "$T/ex.txt"
"$BIDRAG" allocate at-2025 --db "$DB" --explain 10 >"$T/ex10.txt"
expect_same "explain 10 (forfeited, per 100 000)" "$BIDRAG_SRC/tests/golden/at-2025-explain-10.txt" "$T/ex10.txt"
grep -q "demonstrationen använder befolkningen per 2024-12-31" "$T/kompetens-2026.txt" &&
	ok "fallback population date is stated" || bad "fallback population date is stated"
grep -q "illustrativa" "$T/at-2025.txt" && ok "illustrative data labelled" || bad "illustrative data labelled"

# the program states the decision's rules: no redistribution for kompetens,
# yes for tillgänglighet, the agency's Kammarkollegiet date, the appeal clause
expect_ok "program show" "$BIDRAG" program show kompetens-2026 --db "$DB"
grep -q "omfördelning: *nej" "$T/out" && grep -q "till Kammarkollegiet  *2026-12-01" "$T/out" &&
	grep -q "överklagande: *till förvaltningsrätten" "$T/out" &&
	ok "kompetens: no redistribution, Kammarkollegiet date, appeal" || bad "kompetens rules shown"
expect_ok "program show tillgänglighet" "$BIDRAG" program show tillganglighet-2026 --db "$DB"
grep -q "omfördelning: *ja" "$T/out" && ok "tillgänglighet: redistribution" || bad "tillgänglighet rules shown"

expect_ok "json" "$BIDRAG" allocate kompetens-2026 --db "$DB" --format json --out "$T/k.json"
grep -q '"total_kr": 1013000000' "$T/k.json" && ok "json total" || bad "json total"
expect_ok "xlsx" "$BIDRAG" allocate kompetens-2026 --db "$DB" --format xlsx --out "$T/k.xlsx"
if command -v unzip >/dev/null; then
	unzip -p "$T/k.xlsx" xl/worksheets/sheet1.xml | grep -q '<f>SUM(G4:G314)</f>' && ok "xlsx sum row" || bad "xlsx sum row"
	unzip -p "$T/k.xlsx" xl/workbook.xml | grep -q 'name="Program"' && ok "xlsx metadata sheet" || bad "xlsx metadata sheet"
else
	skip_part "xlsx contents (unzip missing)"
fi
expect_ok "allocate a program file directly" "$BIDRAG" allocate "$BIDRAG_SRC/data/programs/kompetens-2026.ini" --db "$DB" --format csv --out "$T/f.csv"
expect_same "file and stored program agree" "$T/kompetens-2026.csv" "$T/f.csv"

expect_ok "audit trail intact after init and reload" "$BIDRAG" audit verify --db "$DB"
"$BIDRAG" audit list --db "$DB" >"$T/audit.txt"
grep -q "program.load" "$T/audit.txt" && grep -q "program.reload" "$T/audit.txt" && grep -q "series.import" "$T/audit.txt" &&
	ok "loads are audited" || bad "loads are audited"
expect_fail "unknown program" "no such program" "$BIDRAG" allocate nope --db "$DB"
expect_fail "unknown recipient in explain" "'9999' is not a recipient" "$BIDRAG" allocate kompetens-2026 --db "$DB" --explain 9999
expect_fail "missing database" "does not exist" "$BIDRAG" allocate kompetens-2026 --db "$T/none.db"
expect_fail "bad format" "unknown format" "$BIDRAG" allocate kompetens-2026 --db "$DB" --format pdf
finish
