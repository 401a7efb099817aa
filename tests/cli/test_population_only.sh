# test_population_only.sh - 'bidrag population import FILE --only CODE,...':
# a published table of 18 of the 21 regions loads without inventing
# values for the other three, which the output names; without --only the
# same file is refused as before (nothing stored); the file must hold
# exactly the codes named (file:line otherwise); and a key over the
# series refuses to allocate on a recipient without a value, neither
# inventing one nor falling back to another date.
. "$BIDRAG_SRC/tests/cli/lib.sh"
export BIDRAG_DB="$T/x.db" LC_ALL=C LANG=C LC_MESSAGES=
expect_ok "init" "$BIDRAG" init --quiet --no-demo-accounts
ONLY=01,03,04,05,06,07,08,09,10,12,13,14,17,18,19,20,21,22
{
	echo "lanskod,region,folkmangd_2025-11-01"
	n=0
	for c in $(echo "$ONLY" | tr ',' ' '); do
		n=$((n + 1))
		echo "$c,Region $c,$((100000 + n * 1000))"
	done
} >"$T/reg18.csv"
expect_fail "without --only: refused, the missing named" "region '23' \(Region Jämtland Härjedalen\) is missing" \
	"$BIDRAG" population import "$T/reg18.csv"
"$BIDRAG" population list | grep -q '2025-11-01' && bad "nothing stored" || ok "nothing stored"

expect_ok "with --only" "$BIDRAG" population import "$T/reg18.csv" --only "$ONLY"
grep -q "18 värden" "$T/out" && ok "18 values" || bad "18 values"
grep -q "^3 mottagare saknar värde i tabellen:$" "$T/out" && ok "three missing" || bad "three missing"
grep -q "^  23 Region Jämtland Härjedalen$" "$T/out" && grep -q "^  24 Region Västerbotten$" "$T/out" &&
	grep -q "^  25 Region Norrbotten$" "$T/out" && ok "the missing by code and name" ||
	bad "the missing by code and name"
"$BIDRAG" population list | grep -q '2025-11-01 *18 värden' && ok "18 stored, none invented" ||
	bad "18 stored, none invented"
expect_ok "audit" "$BIDRAG" audit verify
"$BIDRAG" audit list --limit 1000 >"$T/audit.txt" 2>&1
grep "population:folkmangd@2025-11-01" "$T/audit.txt" | grep -q "series.import" && ok "audited" || { bad "audited"; tail -3 "$T/audit.txt"; }

# a key over it does not allocate on the missing (nor falls back to
# another date): a program of the regions by the population of 2025-11-01
prov() {
	cat <<INI
[program]
id = prov-2026
title = Prov
diarienummer = S2026/1
total = 1 000 000
requisition_opens = 2026-01-15
requisition_closes = 2026-03-16
redistribution = no
appeal = court

[block 1]
title = $1
recipients = regioner
amount = 1 000 000
key = population
population_date = $2
population_fallback = 2024-12-31
INI
}
prov Regioner 2025-11-01 >"$T/prov.ini"
expect_fail "no allocation on a missing region" "prov.ini:16: block '1': no population for '23'" \
	"$BIDRAG" program check "$T/prov.ini"
grep -q "no population for '24'" "$T/err" && grep -q "no population for '25'" "$T/err" &&
	ok "every missing region said" || bad "every missing region said"
grep -q "no population for '01'" "$T/err" && bad "a region with a value refused" ||
	ok "the regions with a value are not refused"

# the file and --only must agree
expect_fail "a code in --only not in the file" "reg18.csv: '23' is in --only but the file has no value for it" \
	"$BIDRAG" population import "$T/reg18.csv" --only "$ONLY,23" --date 2025-12-01
expect_fail "a code in the file not in --only" "reg18.csv:2: '01' is not in --only" \
	"$BIDRAG" population import "$T/reg18.csv" --only 03,04,05,06,07,08,09,10,12,13,14,17,18,19,20,21,22 --date 2025-12-01
expect_fail "one kind only" "'0114' is a kommunkod, the first code a länskod" \
	"$BIDRAG" population import "$T/reg18.csv" --only "$ONLY,0114" --date 2025-12-01
expect_fail "no such recipient" "'99' is no kommunkod or länskod of a recipient" \
	"$BIDRAG" population import "$T/reg18.csv" --only "$ONLY,99" --date 2025-12-01
expect_fail "twice" "'01' appears twice" \
	"$BIDRAG" population import "$T/reg18.csv" --only "$ONLY,01" --date 2025-12-01
"$BIDRAG" population list | grep -q '2025-12-01' && bad "refused imports stored nothing" ||
	ok "refused imports stored nothing"

# a table of some kommuner: their län gets no region value from a partial sum
POP="$BIDRAG_SRC/data/reference/folkmangd_kommun_2024-12-31.csv"
sed -n '1p;/^0114,/p;/^0180,/p;/^1280,/p' "$POP" | sed '1s/2024-12-31/2026-01-31/' >"$T/k3.csv"
expect_ok "three kommuner" "$BIDRAG" population import "$T/k3.csv" --only 0114,0180,1280
grep -q "^287 mottagare saknar värde" "$T/out" && ok "287 kommuner named missing" ||
	bad "287 kommuner named missing"
prov Regioner 2026-01-31 >"$T/prov2.ini"
expect_fail "no region value from a partial sum" "block '1': no population for '01'" \
	"$BIDRAG" program check "$T/prov2.ini"
grep -q "no population for '12'" "$T/err" && grep -q "no population for '03'" "$T/err" &&
	ok "nor for Skåne, nor for a län with no kommun in the table" || bad "nor for Skåne, nor for a län with no kommun in the table"
finish
