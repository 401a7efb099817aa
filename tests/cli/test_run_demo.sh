# test_run_demo.sh - `make run`'s messages (scripts/run-demo): what init
# did, then which address it serves on and how to change it, then the demo
# accounts in one block at the end with how to set a new password, all in
# English; a second start says the passwords were shown before. The
# synthetic statistics are skipped (their folder exists) to keep it short.
. "$BIDRAG_SRC/tests/cli/lib.sh"
DB="$T/var/bidrag.db"
mkdir -p "$T/var/stats"
run_demo() {
	rm -f "$T/run.out" # not the last run's "listening" line
	LISTEN=127.0.0.1:0 sh "$BIDRAG_SRC/scripts/run-demo" "$BIDRAG" "$DB" >"$T/run.out" 2>&1 &
	pid=$!
	i=0
	while ! grep -q "^listening on " "$T/run.out" && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	grep -q "^listening on " "$T/run.out" && ok "$1: serves" || {
		bad "$1: serves"
		sed 's/^/    /' "$T/run.out" | head -30
	}
}
run_demo "first start"
grep -q "^bidrag: serving the e-service on http://127.0.0.1:0 (stop with Ctrl-C)" "$T/run.out" &&
	ok "the address it serves on" || bad "the address it serves on"
grep -q "make run LISTEN=127.0.0.1:9090" "$T/run.out" && ok "how to change the port" ||
	bad "how to change the port"
# the accounts: one block after the serving line, nine accounts, then the
# way to a new password
sed -n '/^bidrag: serving/,$p' "$T/run.out" >"$T/tail"
sed -n '/^Demo accounts (the passwords are shown only now):$/,/^A new password/p' "$T/tail" >"$T/block"
[ "$(grep -c '^  [a-z]* *[a-z0-9]\{16\} ' "$T/block")" = 9 ] && ok "nine accounts in one block at the end" ||
	bad "nine accounts in one block at the end"
grep -q "^A new password for an account: .*bidrag user passwd LOGIN --db $DB$" "$T/block" &&
	ok "how to set a new password" || bad "how to set a new password"
grep -q "^  ombud  *[a-z0-9]\{16\} " "$T/tail" && ! sed '/^bidrag: serving/,$d' "$T/run.out" | grep -q "^  ombud " &&
	ok "the accounts only at the end" || bad "the accounts only at the end"
grep -q "^bidrag: created $DB" "$T/run.out" && ok "what init did" || bad "what init did"
# one language: no Swedish letters or words of the old messages
if grep -En "[åäöÅÄÖ]|skapade|Demokonton|startar|lösenord|finns redan" "$T/run.out"; then
	bad "English only"
else
	ok "English only"
fi
run_demo "second start"
grep -q "exists; the demo accounts' passwords were shown when it was made" "$T/run.out" &&
	grep -q "bidrag user passwd LOGIN --db $DB" "$T/run.out" && ok "second start: the password hint" ||
	bad "second start: the password hint"
if grep -En "[åäöÅÄÖ]|finns redan|lösenord" "$T/run.out"; then bad "second start: English only"; else ok "second start: English only"; fi
finish
