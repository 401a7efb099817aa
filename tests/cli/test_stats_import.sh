#!/bin/sh
# test_stats_import.sh - bidrag stats: import of good and bad microdata
# files (every message checked), --replace-year, a file with errors
# importing nothing, tables and their usage errors, synth determinism.
. "$BIDRAG_SRC/tests/cli/lib.sh"

DIR="$T/stats"
# imports and unprotected tables are the analyst's, recorded in the
# database's audit trail: a database and an analytiker to act as
export BIDRAG_DB="$T/stats.db"
"$BIDRAG" migrate >/dev/null && "$BIDRAG" user add ana --name Analytiker --sso >/dev/null &&
	"$BIDRAG" user role ana analytiker >/dev/null || bad "an analytiker's account"
export BIDRAG_AS=ana
H=year,person,sex,birth_year,licence,ssyk,specialty,sector,kommun,fte

# a good file: 2 years
cat > "$T/good.csv" <<EOF
# a comment line is skipped
$H
2024,a1,1,1970,läkare,2211,allmänmedicin,region,0180,1.00
2024,a1,1,1970,läkare,2211,allmänmedicin,privat,0180,0.20
2024,a2,2,1985,sjuksköterska,2221,,kommun,0114,0.75
2024,a3,2,1990,,5323,,kommun,1280,0.5
2023,a1,1,1970,läkare,2211,allmänmedicin,region,0180,1
2023,a4,1,1960,,2512,,stat,0380,1.00
EOF
expect_ok "import a good file" "$BIDRAG" stats import "$T/good.csv" --dir "$DIR"
grep -q "imported 6 records" "$T/out" && ok "reports the count" || bad "reports the count"
expect_ok "info" "$BIDRAG" stats info --dir "$DIR"
grep -q "^rows 6$" "$T/out" && ok "manifest rows" || bad "manifest rows"
grep -q "good.csv" "$T/out" && ok "manifest source" || bad "manifest source"

# one bad line per rule: file:line: message
bad_line() {
	name=$1
	line=$2
	pat=$3
	printf '%s\n%s\n' "$H" "$line" > "$T/bad.csv"
	expect_fail "$name" "bad.csv:2: $pat" "$BIDRAG" stats import "$T/bad.csv" --dir "$T/bad"
}
bad_line "unknown kommun" "2024,b1,1,1970,,5323,,kommun,9999,1.00" "unknown kommun code '9999'"
bad_line "impossible age" "2024,b1,1,2014,,5323,,kommun,0180,1.00" "impossible age 10 \\(year 2024, birth_year 2014"
bad_line "old age" "2024,b1,1,1920,,5323,,kommun,0180,1.00" "impossible age 104"
bad_line "fte too big" "2024,b1,1,1970,,5323,,kommun,0180,1.5" "fte '1.5' is not a number 0.00-1.00"
bad_line "fte not a number" "2024,b1,1,1970,,5323,,kommun,0180,full" "fte 'full' is not a number"
bad_line "unknown licence" "2024,b1,1,1970,doktor,2211,,region,0180,1" "unknown licence 'doktor'"
bad_line "unknown ssyk" "2024,b1,1,1970,,9998,,region,0180,1" "unknown ssyk code '9998'"
bad_line "unknown sector" "2024,b1,1,1970,,5323,,landsting,0180,1" "unknown sector 'landsting' \\(region, kommun, privat or stat\\)"
bad_line "bad sex" "2024,b1,3,1970,,5323,,region,0180,1" "sex '3' must be 1 \\(man\\) or 2 \\(woman\\)"
bad_line "bad year" "24,b1,1,1970,,5323,,region,0180,1" "year '24' is not a year 1950-2100"
bad_line "bad birth year" "2024,b1,1,70,,5323,,region,0180,1" "birth_year '70' is not a four-digit year"
bad_line "empty person" "2024,,1,1970,,5323,,region,0180,1" "person id '' must be 1-64 printable characters"
bad_line "too few fields" "2024,b1,1,1970,,5323,,region,0180" "expected 10 fields, found 9"
bad_line "too many fields" "2024,b1,1,1970,,5323,,region,0180,1,x" "expected 10 fields, found 11"

printf 'year;person\n' > "$T/hdr.csv"
expect_fail "bad header" "hdr.csv:1: expected header 'year,person,sex,birth_year" \
	"$BIDRAG" stats import "$T/hdr.csv" --dir "$T/bad"
: > "$T/empty.csv"
expect_fail "empty file" "empty.csv:1: no header" "$BIDRAG" stats import "$T/empty.csv" --dir "$T/bad"

printf '%s\n%s\n%s\n' "$H" "2024,d1,1,1970,,5323,,kommun,0180,1.00" \
	"2024,d1,1,1970,,5323,,kommun,0180,0.50" > "$T/dup.csv"
expect_fail "duplicate record" \
	"dup.csv:3: duplicate record: person 'd1', year 2024, kommun 0180, ssyk 5323, sector kommun also on line 2" \
	"$BIDRAG" stats import "$T/dup.csv" --dir "$T/bad"
printf '%s\n%s\n%s\n' "$H" "2024,d1,1,1970,läkare,2211,,region,0180,1.00" \
	"2024,d1,1,1970,,2211,,region,0180,0.50" > "$T/dup2.csv"
expect_fail "duplicate across occupations" "dup2.csv:3: duplicate record: person 'd1'" \
	"$BIDRAG" stats import "$T/dup2.csv" --dir "$T/bad"
printf '%s\n%s\n%s\n' "$H" "2024,s1,1,1970,,5323,,kommun,0180,1.00" \
	"2023,s1,2,1970,,5323,,kommun,0180,1.00" > "$T/sex.csv"
expect_fail "person changes sex" "sex.csv:3: person 's1' has sex 2 here but sex 1 on line 2" \
	"$BIDRAG" stats import "$T/sex.csv" --dir "$T/bad"
printf '%s\n%s\n%s\n' "$H" "2024,s1,1,1970,,5323,,kommun,0180,1.00" \
	"2023,s1,1,1971,,5323,,kommun,0180,1.00" > "$T/birth.csv"
expect_fail "person changes birth year" "birth.csv:3: person 's1' has birth_year 1971 here but 1970 on line 2" \
	"$BIDRAG" stats import "$T/birth.csv" --dir "$T/bad"
[ ! -e "$T/bad/CURRENT" ] && ok "bad files import nothing" || bad "bad files import nothing"

# many errors: the first 20, then a count
{
	echo "$H"
	i=0
	while [ $i -lt 25 ]; do
		echo "2024,m$i,1,1970,,5323,,kommun,9999,1.00"
		i=$((i + 1))
	done
	echo "2024,ok1,1,1970,,5323,,kommun,0180,1.00"
} > "$T/many.csv"
expect_fail "first 20 errors then a count" "\\.\\.\\. and 5 more" \
	"$BIDRAG" stats import "$T/many.csv" --dir "$T/many"
[ "$(grep -c 'many.csv:[0-9]*: unknown kommun' "$T/err")" -eq 20 ] && ok "20 messages shown" ||
	bad "20 messages shown"
grep -q "has 25 errors: nothing imported" "$T/err" && ok "error total" || bad "error total"
"$BIDRAG" stats info --dir "$DIR" | grep -q "^rows 6$" && ok "store unchanged after a bad file" ||
	bad "store unchanged after a bad file"

# years already stored; --replace-year
printf '%s\n%s\n' "$H" "2024,r1,2,1980,,5323,,region,0180,1.00" > "$T/y2024.csv"
expect_fail "year exists" "year 2024 is already imported \\(use --replace-year to replace it\\)" \
	"$BIDRAG" stats import "$T/y2024.csv" --dir "$DIR"
expect_ok "replace a year" "$BIDRAG" stats import "$T/y2024.csv" --dir "$DIR" --replace-year
"$BIDRAG" stats info --dir "$DIR" > "$T/info"
grep -q "^rows 3$" "$T/info" && ok "replaced 2024 keeps 2023" || bad "replaced 2024 keeps 2023"
grep -q "good.csv" "$T/info" && grep -q "y2024.csv" "$T/info" && ok "both sources kept" ||
	bad "both sources kept"
grep "good.csv" "$T/info" | grep -q "	2023	" && ok "old source keeps only 2023" ||
	bad "old source keeps only 2023"

# semicolons, quoted comma decimals, CRLF
printf 'year;person;sex;birth_year;licence;ssyk;specialty;sector;kommun;fte\r\n2022;c1;2;1980;;5323;;kommun;0180;"0,75"\r\n' > "$T/semi.csv"
expect_ok "semicolon file with comma decimal" "$BIDRAG" stats import "$T/semi.csv" --dir "$DIR"
"$BIDRAG" stats table --dir "$DIR" --rows year --measure headcount,fte --format csv-codes \
	--no-protect > "$T/t.csv" 2>/dev/null
grep -q "^2022,1,0.75$" "$T/t.csv" && ok "comma decimal read" || bad "comma decimal read"

# tables
expect_ok "table" "$BIDRAG" stats table --dir "$DIR" --rows sector --filter year=2023 \
	--measure headcount,fte --format csv-codes --no-protect
grep -q "^stat,1,1.00$" "$T/out" && ok "table cell" || bad "table cell"
grep -q "not protected against disclosure" "$T/err" && ok "no-protect warns" ||
	bad "no-protect warns"
expect_ok "protected table" "$BIDRAG" stats table --dir "$DIR" --rows sector --filter year=2023 \
	--format csv-codes
grep -q "^stat,[0-9]*$" "$T/out" && ! grep -q "^stat,[12]$" "$T/out" &&
	ok "a count of 1 is not published as 1 or 2" || bad "a count of 1 is not published as 1 or 2"
"$BIDRAG" stats table --dir "$DIR" --rows sector --filter year=2023 --format csv-codes > "$T/again"
expect_same "the same numbers on every run" "$T/out" "$T/again"
expect_ok "protected table as text" "$BIDRAG" stats table --dir "$DIR" --rows sector \
	--filter year=2023
grep -q "cell key method" "$T/out" && grep -q "högst 4 från" "$T/out" &&
	ok "the note names the protection" || bad "the note names the protection"
[ "$(stat -c %a "$DIR/record-key")" = 600 ] && [ "$(stat -c %s "$DIR/record-key")" = 32 ] &&
	ok "record key made by the first import, owner only" ||
	bad "record key made by the first import, owner only"
grep -q "^protection ckm 4 1.5 2$" "$T/info" && grep -q "^record-key [0-9a-f]\{16\}$" "$T/info" &&
	ok "the manifest records the protection" || bad "the manifest records the protection"
for f in csv json-stat px; do
	expect_ok "format $f" "$BIDRAG" stats table --dir "$DIR" --rows sector --cols year \
		--format $f --out "$T/t.$f"
	[ -s "$T/t.$f" ] && ok "format $f written" || bad "format $f written"
done
grep -q "Stat" "$T/t.csv" && ok "csv has labels" || bad "csv has labels"
expect_ok "two --filter options" "$BIDRAG" stats table --dir "$DIR" --rows sector \
	--filter year=2023 --filter sector=stat,sector=total --format csv-codes --no-protect
[ "$(grep -c . "$T/out")" -eq 3 ] && grep -q "^stat,1$" "$T/out" && grep -q "^total," "$T/out" &&
	ok "filters joined" || bad "filters joined"
expect_fail "a sum over chosen values is not published" \
	"'sector' is not in the table, so it can have one value only" \
	"$BIDRAG" stats table --dir "$DIR" --rows year --filter sector=stat,sector=kommun
"$BIDRAG" stats table --dir "$DIR" --rows year --filter sector=stat,sector=kommun 2>/dev/null
[ $? -eq 2 ] && ok "a union is a usage error" || bad "a union is a usage error"
expect_ok "latest years" "$BIDRAG" stats table --dir "$DIR" --rows year --filter "year=top(2)" \
	--format csv-codes --no-protect
[ "$(cut -d, -f1 "$T/out" | tr '\n' ' ')" = "year 2023 2024 " ] && ok "top(2) is the two latest" ||
	bad "top(2) is the two latest"
expect_ok "a group outside the table" "$BIDRAG" stats table --dir "$DIR" --rows year \
	--filter licence=leg --format csv-codes --no-protect
expect_fail "cell limit" "the table would have 15 cells; at most 5 are allowed" \
	"$BIDRAG" stats table --dir "$DIR" --rows sector --cols year --max-cells 5
expect_fail "several years need the year dimension" "the table spans 3 years" \
	"$BIDRAG" stats table --dir "$DIR" --rows sector
expect_fail "unknown dimension" "unknown dimension 'age'" "$BIDRAG" stats table --dir "$DIR" --rows age
"$BIDRAG" stats table --dir "$DIR" --rows age 2>/dev/null
[ $? -eq 2 ] && ok "usage exit code 2" || bad "usage exit code 2"
expect_fail "unknown filter value" "unknown value 'doktor' for 'licence'" \
	"$BIDRAG" stats table --dir "$DIR" --rows year --filter licence=doktor
expect_fail "unknown measure" "unknown measure 'count'" \
	"$BIDRAG" stats table --dir "$DIR" --rows year --measure count
expect_fail "no store" "no statistics imported" "$BIDRAG" stats table --dir "$T/none" --rows year
expect_fail "unknown format" "unknown format 'doc'" \
	"$BIDRAG" stats table --dir "$DIR" --rows year --format doc
expect_fail "import needs a file" "import needs a FILE.csv" "$BIDRAG" stats import --dir "$DIR"
expect_ok "help" "$BIDRAG" stats --help

# per 100 000 inhabitants: the database holds the 2024-12-31 population only
expect_ok "init a database" "$BIDRAG" init --db "$T/db/bidrag.db"
BIDRAG_AS= "$BIDRAG" user add ana --name Analytiker --sso --db "$T/db/bidrag.db" >/dev/null &&
	BIDRAG_AS= "$BIDRAG" user role ana analytiker --db "$T/db/bidrag.db" >/dev/null ||
	bad "the analytiker there"
expect_ok "per100k" "$BIDRAG" stats table --db "$T/db/bidrag.db" --dir "$DIR" --rows region \
	--cols year --filter year=2023-2024,region=01 --measure headcount,per100k --format csv-codes \
	--no-protect
grep -q "^01,2024,1,0\.0" "$T/out" && ok "per100k value" || bad "per100k value"
grep -q "^01,2023,1,\.\.$" "$T/out" && ok "per100k missing year" || bad "per100k missing year"
grep -q "no population series for 1 year" "$T/err" && ok "missing years reported" ||
	bad "missing years reported"

# text from the microdata that a spreadsheet would run is neutralised (OWASP)
printf '%s\n%s\n' "$H" "2024,f1,1,1980,läkare,2211,=1+2*cmd|calc!A0,region,0180,1.00" \
	> "$T/formula.csv"
expect_ok "a specialty that looks like a formula" "$BIDRAG" stats import "$T/formula.csv" \
	--dir "$T/formula"
for f in csv csv-excel csv-codes; do
	"$BIDRAG" stats table --dir "$T/formula" --rows specialty --format $f --no-protect \
		> "$T/formula.$f" 2>/dev/null
	grep -q "\"'=1+2\*cmd|calc!A0\"" "$T/formula.$f" && ! grep -q "[,;]=1+2" "$T/formula.$f" &&
		ok "formula neutralised in $f" || bad "formula neutralised in $f"
done

# a Latin-1 file: "not UTF-8" with file:line, not raw bytes
printf '%s\n2024,l1,1,1980,l\344kare,2211,,region,0180,1.00\n2024,l2,1,1980,,2211,allm\344n,region,0180,1.00\n' \
	"$H" > "$T/latin1.csv"
expect_fail "a Latin-1 file" "latin1.csv:2: the line is not UTF-8" \
	"$BIDRAG" stats import "$T/latin1.csv" --dir "$T/latin1"
grep -q "latin1.csv:3: the line is not UTF-8" "$T/err" && ok "every Latin-1 line named" ||
	bad "every Latin-1 line named"
grep -q "$(printf '\344')" "$T/err" && bad "no raw bytes in the message" ||
	ok "no raw bytes in the message"

# no newline at the end of the file
printf '%s\n%s' "$H" "2021,e1,1,1980,,5323,,kommun,0180,1.00" > "$T/nonl.csv"
expect_ok "last line without newline" "$BIDRAG" stats import "$T/nonl.csv" --dir "$DIR"
grep -q "imported 1 records" "$T/out" && ok "last line read" || bad "last line read"

# synth: deterministic for a seed, marked synthetic, imports cleanly
expect_ok "synth" "$BIDRAG" stats synth --rows 5000 --years 2020-2022 --seed 3 --out "$T/s1.csv"
"$BIDRAG" stats synth --rows 5000 --years 2020-2022 --seed 3 --out "$T/s2.csv" >/dev/null
expect_same "synth is deterministic" "$T/s1.csv" "$T/s2.csv"
head -1 "$T/s1.csv" | grep -q "^# SYNTHETIC DATA" && ok "synth marked" || bad "synth marked"
[ "$(grep -vc '^#' "$T/s1.csv")" -eq 5001 ] && ok "synth row count" || bad "synth row count"
expect_ok "synth imports" "$BIDRAG" stats import "$T/s1.csv" --dir "$T/synth"
expect_ok "synth table" "$BIDRAG" stats table --dir "$T/synth" --rows region --cols year
grep -q "SYNTETISKA DATA" "$T/out" && ok "table says synthetic" || bad "table says synthetic"

# honest totals: Riket is the same number in the national, region and kommun
# tables (distinct persons; some have jobs in two kommuner), protected or not
for p in --no-protect ""; do
	for dims in sex region kommun; do
		"$BIDRAG" stats table --dir "$T/synth" --rows $dims --filter year=2022 --format csv-codes \
			$p 2>/dev/null | tail -1 | cut -d, -f2 > "$T/riket-$dims"
	done
	expect_same "Riket in the region table ($p)" "$T/riket-sex" "$T/riket-region"
	expect_same "Riket in the kommun table ($p)" "$T/riket-sex" "$T/riket-kommun"
done
"$BIDRAG" stats table --dir "$T/synth" --rows kommun --filter year=2022 --format csv-codes \
	--no-protect 2>/dev/null | awk -F, 'NR > 1 && $1 != "0000" { s += $2 } END { print s }' > "$T/sum"
[ "$(cat "$T/sum")" -gt "$(cat "$T/riket-kommun")" ] && ok "a person in two kommuner counts once in Riket" ||
	bad "a person in two kommuner counts once in Riket"

# protection settings: protection.conf with file:line errors, the key owner-only
printf 'max_noise = 3\nbogus = 1\n' > "$T/synth/protection.conf"
expect_fail "unknown protection setting" "protection.conf:2: unknown setting 'bogus'" \
	"$BIDRAG" stats import "$T/s1.csv" --dir "$T/synth" --replace-year
printf 'max_noise = 3\nsmall = 3\n' > "$T/synth/protection.conf"
expect_fail "bad protection parameters" "small '3' must be 0-2" \
	"$BIDRAG" stats import "$T/s1.csv" --dir "$T/synth" --replace-year
printf '# fewer noise\nmax_noise = 3\nvariance = 1\nsmall = 2\n' > "$T/synth/protection.conf"
expect_ok "protection parameters" "$BIDRAG" stats import "$T/s1.csv" --dir "$T/synth" --replace-year
"$BIDRAG" stats info --dir "$T/synth" | grep -q "^protection ckm 3 1 2$" &&
	ok "parameters recorded at import" || bad "parameters recorded at import"
chmod 644 "$T/synth/record-key"
expect_fail "a record key others can read" "must be readable by its owner only" \
	"$BIDRAG" stats import "$T/s1.csv" --dir "$T/synth" --replace-year

finish
