# test_bad_input.sh - every bad-input message of program check, population
# and metric import, and key: file:line, clear words, nothing stored.
. "$BIDRAG_SRC/tests/cli/lib.sh"
DB="$T/b.db"
"$BIDRAG" init --db "$DB" --quiet || bad "init"

base() { # a valid one-block program file on stdout
	cat <<'X'
[program]
id = test
title = Test
diarienummer = S2026/1
total = 1 000
[block 1]
title = B
recipients = regioner
amount = 1 000
key = equal
X
}
prog() { f="$T/$1.ini"; cat >"$f"; echo "$f"; }

# reference data from before the official names (no column namn): refused
# with the file and line, nothing stored (the next init starts afresh)
OLD="$T/olddata"
mkdir -p "$OLD"
cp -r "$BIDRAG_SRC/data/reference" "$BIDRAG_SRC/data/programs" "$BIDRAG_SRC/data/demo" "$OLD/"
cut -d, -f1-5 "$BIDRAG_SRC/data/reference/kommuner.csv" >"$OLD/reference/kommuner.csv"
expect_fail "kommuner.csv without official names" \
	"olddata/reference/kommuner.csv:1: expected the header kommunkod,kommun,lanskod,lan,orgnr,namn" \
	"$BIDRAG" init --db "$T/old.db" --data "$OLD" --quiet --no-demo-accounts
expect_ok "no organisation stored" "$BIDRAG" orgs --db "$T/old.db" --format csv
[ "$(wc -l <"$T/out")" -le 1 ] && ok "the org table is empty" || bad "the org table is empty"
cp "$BIDRAG_SRC/data/reference/kommuner.csv" "$OLD/reference/kommuner.csv"
sed -i 's/,Lunds kommun$/,/' "$OLD/reference/kommuner.csv"
expect_fail "an empty official name" \
	"olddata/reference/kommuner.csv:[0-9]+: the official name '' of '1281' is empty" \
	"$BIDRAG" init --db "$T/old2.db" --data "$OLD" --quiet --no-demo-accounts

f=$(base | prog good)
expect_ok "valid program" "$BIDRAG" program check "$f" --db "$DB"
f=$(base | sed 's/^key = equal/key = equal\ncolour = red/' | prog unknownkey)
expect_fail "unknown key" "unknownkey.ini:11: unknown key 'colour' in \[block 1\]" "$BIDRAG" program check "$f" --db "$DB"
f=$(base | sed 's/^total = 1 000/total = 2 000/' | prog sum)
expect_fail "amounts do not add up" "sum.ini:5: the blocks add up to 1 000 kr but the total is 2 000 kr" "$BIDRAG" program check "$f" --db "$DB"
f=$(base | sed 's/^key = equal/key = equal\nfixed = 100/' | prog fixed)
expect_fail "fixed part larger than its block" "fixed.ini:11: block '1': fixed part 100 kr × 21 recipients is larger than the block" "$BIDRAG" program check "$f" --db "$DB"
f=$(base | sed 's/^key = equal/key = population\npopulation_date = 2025-11-01/' | prog popdate)
expect_fail "population date not imported" "popdate.ini:11: block '1': population at 2025-11-01 has not been imported" "$BIDRAG" program check "$f" --db "$DB"
f=$(base | sed 's/^key = equal/key = equal\neligible = metric:nobody/' | prog nometric)
expect_fail "eligibility metric not imported" "nometric.ini:11: .*metric 'nobody'" "$BIDRAG" program check "$f" --db "$DB"
printf 'code,value\n01,0\n' >"$T/zero.csv"
"$BIDRAG" metric import "$T/zero.csv" --name zero --db "$DB" >/dev/null 2>&1 || bad "import metric zero"
f=$(base | sed 's/^key = equal/key = equal\neligible = metric:zero/' | prog noelig)
expect_fail "no eligible recipient" "noelig.ini:11: block '1' has no eligible recipient" "$BIDRAG" program check "$f" --db "$DB"
f=$(base | sed 's/^key = equal/key = lottery/' | prog kind)
expect_fail "unknown key kind" "kind.ini:10: unknown key kind 'lottery'" "$BIDRAG" program check "$f" --db "$DB"
f=$(base | sed 's/^\[block 1\]/[blok 1]/' | prog section)
expect_fail "unknown section" "section.ini:[0-9]+: unknown section \[blok 1\]" "$BIDRAG" program check "$f" --db "$DB"
f=$(base | sed 's/^title = B/title = B\nnot a key value line/' | prog syntax)
expect_fail "syntax error" "syntax.ini:8: syntax error" "$BIDRAG" program check "$f" --db "$DB"
f=$(base | sed 's/^total = 1 000/total = 1 000\ndecision_date = 2026-02-30/' | prog date)
expect_fail "impossible date" "date.ini:6: 'decision_date': '2026-02-30' is not a date" "$BIDRAG" program check "$f" --db "$DB"
f=$(base | sed 's/^total = 1 000/total = ett tusen/' | prog money)
expect_fail "amount not a number" "money.ini:5: 'total': 'ett tusen' is not a whole number of kronor" "$BIDRAG" program check "$f" --db "$DB"
f=$( (base; printf 'note = %0300d\n' 0) | prog long)
expect_fail "over-long line" "long.ini:11: line is longer than 199 bytes" "$BIDRAG" program check "$f" --db "$DB"
f=$( (base | sed 's/^title = Test/title = Tr\xe4d/') | prog latin1)
expect_fail "not UTF-8" "latin1.ini: the file is not valid UTF-8" "$BIDRAG" program check "$f" --db "$DB"
f=$(base | sed 's/^total = 1 000/total = 1 000\ntotal = 2 000/' | prog dupkey)
expect_fail "key given twice" "dupkey.ini:6: 'total' is given twice in \[program\] \(first on line 5\)" "$BIDRAG" program check "$f" --db "$DB"
f=$( (base; printf '[program]\ntitle = Annan\n') | prog dupsec)
expect_fail "[program] given twice" "dupsec.ini:11: section \[program\] is given twice \(first on line 1\)" "$BIDRAG" program check "$f" --db "$DB"
f=$(base | sed 's/^amount = 1 000/amount = 1 000\n  amount = 5 000/' | prog indent)
expect_fail "indented continuation line" "indent.ini:10: indented line continues 'amount'" "$BIDRAG" program check "$f" --db "$DB"
f=$(base | sed 's/^key = equal/key = table\ntable = missing.csv/' | prog table)
expect_fail "missing key table" "table.ini:11: block '1': key table 'missing.csv' is not available" "$BIDRAG" program check "$f" --db "$DB"
f=$(base | sed 's/^recipients = regioner/recipients = 01,0114/' | prog mixed)
expect_fail "mixed recipient list" "mixed.ini:8: 'recipients': '0114' mixes kommuner and regioner" "$BIDRAG" program check "$f" --db "$DB"
f=$(base | sed 's/^recipients = regioner/recipients = 01,99/' | prog notrecip)
expect_fail "unknown recipient" "notrecip.ini:6: block '1': '99' is not a region" "$BIDRAG" program check "$f" --db "$DB"
expect_fail "no such file" "nofile.ini: no such file" "$BIDRAG" program check "$T/nofile.ini" --db "$DB"
f=$(base | sed '/^diarienummer/d' | prog nodnr)
expect_fail "missing diarienummer" "nodnr.ini: \[program\] has no 'diarienummer'" "$BIDRAG" program check "$f" --db "$DB"
expect_fail "check reports every error" "unknown key 'colour'" sh -c "'$BIDRAG' program check '$T/unknownkey.ini' '$T/sum.ini' --db '$DB'"
grep -q "sum.ini:5" "$T/err" && ok "second file reported too" || bad "second file reported too"
expect_fail "load refuses a bad program" "the blocks add up" "$BIDRAG" program load "$T/sum.ini" --db "$DB"
"$BIDRAG" program list --db "$DB" | grep -q '^test ' && bad "bad program was stored" || ok "nothing stored"

# population import
POP="$BIDRAG_SRC/data/reference/folkmangd_kommun_2024-12-31.csv"
sed 's/^0114,/0199,/' "$POP" >"$T/p1.csv"
expect_fail "unknown kommun code" "p1.csv:2: '0199' matches no kommun" "$BIDRAG" population import "$T/p1.csv" --db "$DB"
grep -q "kommun '0114' (Upplands Väsby) is missing" "$T/err" && ok "and 0114 is missing" || bad "missing recipient reported"
sed '/^0115,/d' "$POP" >"$T/p2.csv"
expect_fail "missing recipient" "p2.csv: kommun '0115' \(Vallentuna\) is missing" "$BIDRAG" population import "$T/p2.csv" --db "$DB"
(cat "$POP"; grep '^0114,' "$POP") >"$T/p3.csv"
expect_fail "duplicate" "p3.csv:292: '0114' appears twice \(first on line 2\)" "$BIDRAG" population import "$T/p3.csv" --db "$DB"
sed 's/^0114,\(.*\),50323$/0114,\1,-50323/' "$POP" >"$T/p4.csv"
expect_fail "negative" "p4.csv:2: value for '0114' is negative" "$BIDRAG" population import "$T/p4.csv" --db "$DB"
sed 's/^0114,\(.*\),50323$/0114,\1,många/' "$POP" >"$T/p5.csv"
expect_fail "non-numeric" "p5.csv:2: value 'många' for '0114' is not a whole number" "$BIDRAG" population import "$T/p5.csv" --db "$DB"
sed '1s/.*/kommunkod,kommun,lanskod,folkmangd/' "$POP" >"$T/p6.csv"
expect_fail "no reference date" "p6.csv: the file does not give its reference date; give it with --date" "$BIDRAG" population import "$T/p6.csv" --db "$DB"
expect_ok "date given with --date" "$BIDRAG" population import "$T/p6.csv" --date 2025-11-01 --db "$DB"
"$BIDRAG" population list --db "$DB" | grep -q '2025-11-01' && ok "2025-11-01 stored" || bad "2025-11-01 stored"
"$BIDRAG" population list --db "$DB" | grep -q '2025-11-02' && bad "bad import stored" || ok "failed imports stored nothing"
f=$(base | sed 's/^key = equal/key = population\npopulation_date = 2025-11-01/' | prog popdate2)
expect_ok "the imported date is now found" "$BIDRAG" program check "$f" --db "$DB"
# an SCB-style export: "0114 Upplands Väsby";"50323" with the year in the header
{
	printf '"region";"Folkmängd 2024-11-01"\n"00 Riket";"10551707"\n'
	tail -n +2 "$POP" | awk -F, '{ printf "\"%s %s\";\"%s\"\n", $1, $2, $4 }'
} >"$T/scb.csv"
expect_ok "SCB-style semicolon export with the date in the header" "$BIDRAG" population import "$T/scb.csv" --db "$DB"
grep -q '2024-11-01' "$T/out" && ok "date read from header" || bad "date read from header"

# population from a PX file (PxWeb BE0101N1 style, Latin-1, two years)
PX="$BIDRAG_SRC/tests/data/BE0101N1-folkmangd.px"
expect_fail "PX with two periods needs --date" "BE0101N1-folkmangd.px:20: the file holds 2 periods; give --date" "$BIDRAG" population import "$PX" --db "$DB"
expect_fail "PX --date not in the file" "BE0101N1-folkmangd.px:[0-9]+: --date 2022-12-31 is not in the file, which holds 2023, 2024" "$BIDRAG" population import "$PX" --date 2022-12-31 --db "$DB"
expect_fail "PX --date not a date" "--date 'sist' is not a date" "$BIDRAG" population import "$PX" --date sist --db "$DB"
expect_ok "PX import of 2023" "$BIDRAG" population import "$PX" --date 2023-12-31 --db "$DB"
grep -q "311 värden inlästa som befolkning folkmangd per 2023-12-31" "$T/out" && ok "PX 2023 stored with its date" || bad "PX 2023 stored"
sed 's/^\([0-9]*\) 50323/\1 -50323/' "$PX" >"$T/neg.px"
line=$(grep -n -- "-50323" "$T/neg.px" | cut -d: -f1)
expect_fail "PX negative value names its line" "neg.px:$line: value for '0114' is negative" "$BIDRAG" population import "$T/neg.px" --date 2024-12-31 --db "$DB"
sed 's/"0114","0115"/"0199","0115"/' "$PX" >"$T/unk.px"
expect_fail "PX unknown code" "unk.px:[0-9]+: '0199' matches no kommun" "$BIDRAG" population import "$T/unk.px" --date 2024-12-31 --db "$DB"
head -c 2000 "$PX" >"$T/cut.px"
expect_fail "PX cut short" "cut.px:[0-9]+: " "$BIDRAG" population import "$T/cut.px" --date 2024-12-31 --db "$DB"

# metric import
printf 'code,value\n01,3\n01,4\n' >"$T/m1.csv"
expect_fail "metric duplicate" "m1.csv:3: '01' appears twice" "$BIDRAG" metric import "$T/m1.csv" --name m1 --db "$DB"
printf 'code,value\n01,3.5\n' >"$T/m2.csv"
expect_fail "metric not whole" "m2.csv:2: value '3.5' for '01' is not a whole number" "$BIDRAG" metric import "$T/m2.csv" --name m2 --db "$DB"
printf 'code,amount\n01,3\n' >"$T/m3.csv"
expect_fail "metric header" "m3.csv:1: no 'value' column" "$BIDRAG" metric import "$T/m3.csv" --name m3 --db "$DB"
expect_fail "metric needs a name" "--name NAME is required" "$BIDRAG" metric import "$T/m2.csv" --db "$DB"
printf '# reported posts\ncode,value\n' >"$T/m4.csv"
expect_fail "metric with a header and no values" "m4.csv:2: the file has a header but no values" "$BIDRAG" metric import "$T/m4.csv" --name m4 --db "$DB"
printf 'code,value\n00,5\n' >"$T/m5.csv"
expect_fail "metric with only the national total" "m5.csv:1: the file has a header but no values" "$BIDRAG" metric import "$T/m5.csv" --name m5 --db "$DB"
printf 'code,value\n0114,3\n0115,4\n01,7\n' >"$T/m6.csv"
expect_fail "metric mixing kommuner and regioner" "m6.csv:4: '01' is a länskod but line 2 has kommunkod '0114'" "$BIDRAG" metric import "$T/m6.csv" --name m6 --db "$DB"
"$BIDRAG" metric list --db "$DB" 2>/dev/null | grep -Eq '^m[456] ' && bad "bad metrics stored" || ok "bad metrics stored nothing"

# key
printf 'code,weight,comment\nA,1,x\nB,1,y\nC,1,z\n' >"$T/w.csv"
expect_ok "key splits 100 in three" "$BIDRAG" key --total 100 --weights "$T/w.csv"
printf 'code,amount\nA,34\nB,33\nC,33\n' >"$T/want.csv"
expect_same "key 34/33/33, tie to the lower code" "$T/want.csv" "$T/out"
expect_ok "key with fixed and exclude" "$BIDRAG" key --total 100 --fixed 10 --exclude B --weights "$T/w.csv"
printf 'code,amount\nA,50\nC,50\n' >"$T/want.csv"
expect_same "key fixed+exclude" "$T/want.csv" "$T/out"
printf 'code,weight\nA,1\nA,2\nB,-1\n' >"$T/w2.csv"
expect_fail "key duplicate" "w2.csv:3: 'A' appears twice" "$BIDRAG" key --total 100 --weights "$T/w2.csv"
grep -q "w2.csv:4: weight '-1'" "$T/err" && ok "key negative weight" || bad "key negative weight"
printf 'code,weight\nA,0\n' >"$T/w3.csv"
expect_fail "key all zero" "no recipient has a weight above 0" "$BIDRAG" key --total 100 --weights "$T/w3.csv"
expect_fail "key fixed too large" "larger than the total" "$BIDRAG" key --total 100 --fixed 50 --weights "$T/w.csv"
expect_fail "key bad total" "--total 'x' is not a whole number" "$BIDRAG" key --total x --weights "$T/w.csv"
finish
