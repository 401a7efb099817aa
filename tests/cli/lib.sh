# lib.sh - helpers for the CLI tests (sourced). Env: BIDRAG (binary),
# BIDRAG_SRC (repo), BIDRAG_SHARED (../shared), TMPDIR.
set -u
fails=0
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

finish() {
	if [ "$fails" -eq 0 ]; then
		echo "all passed"
		exit 0
	fi
	echo "$fails failed"
	exit 1
}
