# test_failalloc.sh - the allocation-failure test: each main flow (program
# load, allocate, requisition save, submit, approve) is run by
# bidrag-failalloc with its Nth allocation failed, N = 1, 2, ... until a
# run fails none and succeeds. Every run must end cleanly: exit 1 or 2
# with a message (or 0 when the failed allocation was not needed), no
# crash, no sanitizer report (leaks included, in the ASan build), the
# database as before the command when it failed (compared through the
# command line) and the audit trail verified.
. "$BIDRAG_SRC/tests/cli/lib.sh"
[ -x "${BIDRAG_FAILALLOC:-}" ] || skip "no bidrag-failalloc"
export BIDRAG_NOW=2026-04-15T10:00:00Z
BASE="$T/base"
mkdir -p "$BASE"
export BIDRAG_DB="$BASE/x.db"
expect_ok "init" "$BIDRAG" init --quiet --no-demo-accounts
"$BIDRAG" user add anna --name "Anna Ombud" --sso >/dev/null &&
	"$BIDRAG" user role anna ombud --org 0180 >/dev/null &&
	"$BIDRAG" user add hanna --name "Hanna Handläggare" --sso >/dev/null &&
	"$BIDRAG" user role hanna handlaggare >/dev/null &&
	"$BIDRAG" user add greta --name "Greta Granskare" --sso >/dev/null &&
	"$BIDRAG" user role greta granskare >/dev/null || bad "accounts"
PROG="$BIDRAG_SRC/data/programs/kompetens-2026.ini"
set -- --set measure.1.purpose=vfu --set "measure.1.description=Fler handledare" \
	--set "contact_name=Anna Ombud" --set contact_email=anna@stockholm.example \
	--set "contact_phone=08-508 290 00" --set account_kind=bankgiro --set account=5050-1055 \
	--set confirmed=1 --set amount=1000

# state DIR: what the command line shows of the grant work in DIR
state() {
	BIDRAG_DB="$1/x.db" "$BIDRAG" program list 2>&1
	BIDRAG_DB="$1/x.db" "$BIDRAG" requisition list kompetens-2026 2>&1
}

# flow NAME SETUP-CMD CMD...: SETUP-CMD (a shell function, or :) brings
# the base to the flow's starting point; then CMD runs with N = 1, 2, ...
flow() {
	name=$1
	shift
	n=1
	clean=1
	state "$BASE" >"$T/before"
	while :; do
		rm -rf "$T/run"
		cp -R "$BASE" "$T/run"
		rm -f "$T/mark"
		BIDRAG_DB="$T/run/x.db" BIDRAG_FAIL_ALLOC=$n BIDRAG_FAIL_ALLOC_MARK="$T/mark" \
			"$BIDRAG_FAILALLOC" "$@" >"$T/out" 2>"$T/err"
		rc=$?
		if [ ! -f "$T/mark" ]; then
			[ $rc -eq 0 ] && ok "$name: succeeds past its $((n - 1)) allocations" ||
				bad "$name: fails with no allocation failed (exit $rc)"
			break
		fi
		why=""
		[ $rc -le 2 ] || why="exit $rc"
		grep -q "Sanitizer\|runtime error" "$T/err" && why="$why sanitizer report"
		[ $rc -ne 0 ] && [ ! -s "$T/err" ] && why="$why no message"
		if [ $rc -ne 0 ]; then
			state "$T/run" >"$T/after"
			cmp -s "$T/before" "$T/after" || why="$why state changed"
		fi
		BIDRAG_DB="$T/run/x.db" "$BIDRAG" --as greta audit verify >"$T/verify" 2>&1 ||
			why="$why audit verify: $(tail -1 "$T/verify")"
		if [ -n "$why" ]; then
			bad "$name: allocation $n failed:$why"
			sed 's/^/    /' "$T/err" | head -8
			clean=0
		fi
		n=$((n + 1))
		[ $n -le 5000 ] || {
			bad "$name: more than 5000 allocations"
			break
		}
	done
	[ $clean -eq 1 ] && ok "$name: every failed allocation ended cleanly"
}

# each flow from the state the one before left in the base
flow "program load" program load "$PROG"
flow "allocate" allocate kompetens-2026
flow "requisition save" requisition save kompetens-2026 0180 --as anna "$@"
BIDRAG_DB="$BASE/x.db" "$BIDRAG" requisition save kompetens-2026 0180 --as anna "$@" >/dev/null ||
	bad "save in the base"
flow "requisition submit" requisition submit kompetens-2026 0180 --as anna "$@"
BIDRAG_DB="$BASE/x.db" "$BIDRAG" requisition submit kompetens-2026 0180 --as anna "$@" >/dev/null ||
	bad "submit in the base"
flow "requisition approve" requisition approve REK-2026-000001 --as hanna
finish
