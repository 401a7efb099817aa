# lib.sh - helpers for the CLI tests (sourced). Env: BIDRAG (binary),
# BIDRAG_SRC (repo), BIDRAG_SHARED (../shared), TMPDIR.
set -u
fails=0
skipped=""
T=$(mktemp -d "${TMPDIR:-/tmp}/bidrag-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
export BIDRAG_NOW=2026-11-23T12:00:00Z

ok() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }

# expect_ok NAME CMD...: the command exits 0
expect_ok() {
	name=$1
	shift
	if "$@" >"$T/out" 2>"$T/err"; then ok "$name"; else
		bad "$name (exit $?)"
		sed 's/^/    /' "$T/err" | head -20
	fi
}

# expect_fail NAME PATTERN CMD...: exits non-zero and stderr matches PATTERN (grep -E)
expect_fail() {
	name=$1
	pat=$2
	shift 2
	if "$@" >"$T/out" 2>"$T/err"; then
		bad "$name (exit 0, expected failure)"
	elif grep -Eq -- "$pat" "$T/err"; then
		ok "$name"
	else
		bad "$name (stderr does not match '$pat')"
		sed 's/^/    /' "$T/err" | head -20
	fi
}

# expect_same NAME FILE1 FILE2
expect_same() {
	if cmp -s "$2" "$3"; then ok "$1"; else
		bad "$1"
		diff "$2" "$3" | head -20 | sed 's/^/    /'
	fi
}

# in_ci: true when CI=true (or 1, yes): a missing tool is then a failure
in_ci() {
	case ${CI:-} in true | TRUE | True | 1 | yes) return 0 ;; esac
	return 1
}

# skip REASON: this test cannot run here (a tool is missing). It exits 77,
# which ctest shows as skipped (SKIP_RETURN_CODE); under CI=true it fails.
skip() {
	if in_ci; then
		echo "FAIL cannot run: $1 (CI=true: a missing tool is a failure)"
		exit 1
	fi
	echo "skipped: $1"
	exit 77
}

# skip_part REASON: some checks cannot run here; the others go on and
# finish reports the whole test as skipped (a failure under CI=true)
skip_part() {
	if in_ci; then
		bad "cannot check: $1 (CI=true: a missing tool is a failure)"
	else
		echo "skip $1"
		skipped="$skipped${skipped:+; }$1"
	fi
}

finish() {
	if [ "$fails" -ne 0 ]; then
		echo "$fails failed"
		exit 1
	fi
	if [ -n "$skipped" ]; then
		echo "skipped in part (the rest passed): $skipped"
		exit 77
	fi
	echo "all passed"
	exit 0
}

# proper_names: the names that stay Swedish on an English page or in the
# English command line, one per line (tests/js/swedish.mjs takes them out):
# the kommuner (SCB's short name and the official name of column namn,
# "Stockholm" and "Stockholms stad"), regioner and län of data/reference,
# and the shipped programs' diarienummer
proper_names() {
	{
		tail -n +2 "$BIDRAG_SRC/data/reference/kommuner.csv" | cut -d, -f2,6 | tr , '\n'
		tail -n +2 "$BIDRAG_SRC/data/reference/regioner.csv" | cut -d, -f2,3 | tr , '\n'
		sed -n 's/^diarienummer = //p' "$BIDRAG_SRC"/data/programs/*.ini
	} | sort -u
}
