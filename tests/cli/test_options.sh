# test_options.sh - the one option parser (src/cli/cli_opts.c): every
# command and subcommand answers --help from its table, unknown options,
# missing values, flags given a value, wrong choices and extra arguments
# are refused naming the command's --help, and no argument is dropped
# however many there are.
. "$BIDRAG_SRC/tests/cli/lib.sh"
export BIDRAG_DB="$T/x.db"

# --help of every command and subcommand: exit 0, "usage: bidrag NAME" on
# stdout, every option of the usage line explained below it
for cmd in init migrate orgs allocate key redistribute serve user token backup restore \
	"program check" "program load" "program list" "program show" \
	"population import" "population list" "metric import" "metric list" \
	"px cat" "stats import" "stats synth" "stats table" "stats info" \
	"audit verify" "audit list" "audit checkpoint" "audit rotate-key" "db copy" \
	"requisition list" "requisition show" "requisition save" "requisition submit" \
	"requisition return" "requisition approve" "requisition reject" \
	"requisition bulk-approve" "requisition redistribute" "requisition dashboard" \
	"requisition receipt" "requisition decision"; do
	# shellcheck disable=SC2086 # the subcommand is two words
	if "$BIDRAG" $cmd --help >"$T/help" 2>"$T/err" && head -1 "$T/help" | grep -q "^usage: bidrag $cmd"; then
		missing=""
		for o in $(head -1 "$T/help" | grep -oE -- '--[a-z-]+' | sort -u); do
			grep -Eq -- "^  (-[a-z], )?$o( |$)|^  --[a-z-]+, $o( |$)" "$T/help" || missing="$missing $o"
		done
		[ -z "$missing" ] && ok "$cmd --help" || bad "$cmd --help does not explain$missing"
	else
		bad "$cmd --help"
		sed 's/^/    /' "$T/err" | head -5
	fi
done
# a group without a subcommand lists its subcommands, on stdout for --help
for g in program population metric px stats audit db requisition; do
	"$BIDRAG" $g --help >"$T/help" 2>/dev/null && grep -q "^usage: bidrag $g " "$T/help" &&
		grep -q "see 'bidrag $g SUBCOMMAND --help'" "$T/help" && ok "$g --help" || bad "$g --help"
	expect_fail "$g without a subcommand" "^usage: bidrag $g " "$BIDRAG" $g
	expect_fail "$g unknown subcommand" "bidrag $g: unknown subcommand 'frobnicate'" "$BIDRAG" $g frobnicate
done

# refusals name the command and its help, exit 2
refused() {
	name=$1
	pat=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ $rc -eq 2 ] && grep -Eq -- "$pat" "$T/err"; then ok "$name"; else
		bad "$name (exit $rc)"
		sed 's/^/    /' "$T/err" | head -5
	fi
}
refused "unknown option" "^bidrag key: unknown option '--totl' \(see 'bidrag key --help'\)" \
	"$BIDRAG" key --totl 5 --weights w.csv
refused "unknown option with a value" "unknown option '--bogus' " "$BIDRAG" orgs --bogus=1
refused "missing value" "^bidrag allocate: option '--format' needs a value \(FORMAT\) \(see 'bidrag allocate --help'\)" \
	"$BIDRAG" allocate p --format
refused "an option is no value" "option '--weights' needs a value" "$BIDRAG" key --weights --total 5
refused "a flag takes no value" "bidrag init: option '--quiet' takes no value" "$BIDRAG" init --quiet=yes
refused "required option" "bidrag key: --weights FILE.csv is required \(see 'bidrag key --help'\)" \
	"$BIDRAG" key --total 5
refused "wrong choice" "bidrag orgs: unknown role 'by' \(kommun\|region\)" "$BIDRAG" orgs --role by
refused "too many arguments" "bidrag requisition show: unexpected argument 'extra'" \
	"$BIDRAG" requisition show A-1 extra
refused "too few arguments" "bidrag db copy: missing FROM TO" "$BIDRAG" db copy sqlite:a.db
refused "subcommand's option elsewhere" "bidrag audit list: unknown option '--restored'" \
	"$BIDRAG" audit list --restored
refused "save needs a named person" "requisition save: a named person acts for the recipient" \
	env -u BIDRAG_AS "$BIDRAG" requisition save kompetens-2026 0180
# "--" ends the options; "-" is an argument
refused "after -- a word is an argument" "unexpected argument '--help'" "$BIDRAG" requisition show -- A-1 --help

# no argument dropped: 300 files checked, every one named
expect_ok "init" "$BIDRAG" init --quiet --no-demo-accounts
prog="$BIDRAG_SRC/data/programs/kompetens-2026.ini"
set --
i=0
while [ $i -lt 300 ]; do
	ln -s "$prog" "$T/p$i.ini"
	set -- "$@" "$T/p$i.ini"
	i=$((i + 1))
done
expect_ok "program check of 300 files" "$BIDRAG" program check "$@"
[ "$(grep -c ': ok$' "$T/out")" -eq 300 ] && grep -q "p299.ini: ok" "$T/out" &&
	ok "all 300 checked" || bad "all 300 checked ($(grep -c ': ok$' "$T/out"))"
# 40 --checkpoints files all reach audit verify (the old limit was 16)
set --
i=0
while [ $i -lt 40 ]; do
	: >"$T/cp$i"
	set -- "$@" --checkpoints "$T/cp$i"
	i=$((i + 1))
done
: >"$T/cp39"
printf 'not a checkpoint line\n' >"$T/cp39"
BIDRAG_AS= "$BIDRAG" user add greta --name "Greta Granskare" --sso >/dev/null 2>&1
"$BIDRAG" user role greta granskare >/dev/null 2>&1
"$BIDRAG" --as greta audit verify "$@" >"$T/out" 2>"$T/err"
grep -q "cp39" "$T/out" "$T/err" && ok "the 40th --checkpoints file is read" ||
	bad "the 40th --checkpoints file is read"
finish
