# test_csv_formulas.sh - a CSV written from outside text (names from the
# reference data, codes from a weights file) neutralises a cell that a
# spreadsheet would run as a formula: ' before a leading = + - @ tab or
# CR, and quotes (OWASP, CSV injection).
. "$BIDRAG_SRC/tests/cli/lib.sh"
DATA="$T/data"
mkdir -p "$DATA"
cp -r "$BIDRAG_SRC/data/reference" "$BIDRAG_SRC/data/programs" "$BIDRAG_SRC/data/demo" "$DATA/"
sed -i 's/^0114,Upplands Väsby,/0114,=1+2*cmd|'"'"' \/C calc'"'"'!A0,/' "$DATA/reference/kommuner.csv"
grep -q '^0114,=1+2' "$DATA/reference/kommuner.csv" || bad "fixture: the name was not replaced"
DB="$T/c.db"
expect_ok "init with the edited reference data" "$BIDRAG" init --db "$DB" --data "$DATA" --quiet --no-demo-accounts
expect_ok "orgs as CSV" "$BIDRAG" orgs --format csv --db "$DB"
grep -q "^0114,\"'=1+2\*cmd|' /C calc'!A0\"," "$T/out" && ok "orgs: formula neutralised" || {
	bad "orgs: formula neutralised"
	grep '^0114' "$T/out" | sed 's/^/    /'
}
expect_ok "allocation as CSV" "$BIDRAG" allocate kompetens-2026 --format csv --db "$DB"
grep -q "^0114,\"'=1+2\*cmd|' /C calc'!A0\",kommun," "$T/out" && ok "allocation: formula neutralised" || {
	bad "allocation: formula neutralised"
	grep '^0114' "$T/out" | sed 's/^/    /'
}
grep -q '^[^,]*,=' "$T/out" && bad "allocation: a cell starts with =" || ok "allocation: no cell starts with ="
printf 'code,weight\n@A,1\n+B,1\n' >"$T/w.csv"
expect_ok "key" "$BIDRAG" key --total 100 --weights "$T/w.csv"
grep -q "^\"'@A\",50" "$T/out" && grep -q "^\"'+B\",50" "$T/out" && ok "key: codes neutralised" || {
	bad "key: codes neutralised"
	sed 's/^/    /' "$T/out"
}
finish
