# test_pg.sh - the store against a real PostgreSQL server started here
# (tests/pg/server.sh): the store contract suite (BIDRAG_CONTRACT, the
# same program the SQLite run uses), the driver's own test
# (BIDRAG_PG_DRIVER_TEST), bidrag's commands giving the same answers on
# PostgreSQL as on SQLite, db copy there and back checked table by table
# with sqlite3 and psql, the least-privilege roles of scripts/pg-setup.sql
# and pg-grants.sql (the servers' role cannot change the audit trail), two
# processes writing at once, and the refusals. Prints each part's time.
. "$BIDRAG_SRC/tests/cli/lib.sh"
. "$BIDRAG_SRC/tests/pg/server.sh"

now() { date +%s.%N; }
# The audit trail's key ring and checkpoints are files, not rows: beside an
# SQLite file, and for PostgreSQL where BIDRAG_AUDIT_KEY and
# BIDRAG_AUDIT_CHECKPOINTS say (else var/ of the working folder). Each
# database here has its own: keys NAME sets them, sq runs a command
# without them (an SQLite file's own, beside it).
keys() {
	export BIDRAG_AUDIT_KEY="$T/trail-$1/keys/audit.key"
	export BIDRAG_AUDIT_CHECKPOINTS="$T/trail-$1/audit/checkpoints"
}
sq() { env -u BIDRAG_AUDIT_KEY -u BIDRAG_AUDIT_CHECKPOINTS "$@"; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f s", b - a }'; }

t_all=$(now)
pg_start
ok "server started ($(took "$t_all"))"

# -- the store contract and the driver -------------------------------------
pg_createdb contract
t=$(now)
if BIDRAG_TEST_DB_URL=$(pg_url contract) "$BIDRAG_CONTRACT" >"$T/contract.out" 2>&1; then
	ok "store contract suite on PostgreSQL ($(took "$t"))"
else
	bad "store contract suite on PostgreSQL"
	grep -E 'FAIL|ERROR|LINE|cannot' "$T/contract.out" | head -20 | sed 's/^/    /'
fi
pg_createdb driver
pg_createdb latin1 LATIN1
t=$(now)
if BIDRAG_TEST_DB_URL=$(pg_url driver) BIDRAG_TEST_PG_LATIN1_URL=$(pg_url latin1) \
	"$BIDRAG_PG_DRIVER_TEST" >"$T/driver.out" 2>&1; then
	ok "PostgreSQL driver ($(took "$t"))"
else
	bad "PostgreSQL driver"
	grep -E 'FAIL|ERROR|LINE|cannot' "$T/driver.out" | head -20 | sed 's/^/    /'
fi

# -- the commands: the same answers as on SQLite ---------------------------
pg_createdb app
APP=$(pg_url app)
keys app
expect_ok "migrate on PostgreSQL" "$BIDRAG" migrate --db "$APP"
grep -q '0032_org_invite applied' "$T/out" && ok "every migration applied" ||
	bad "every migration applied"
grep -q "^database: postgresql:///app?host=" "$T/out" && ok "named by its URL" ||
	bad "named by its URL"
expect_ok "migrate again applies nothing" "$BIDRAG" migrate --db "$APP"
BIDRAG_DB="$APP" expect_ok "BIDRAG_DB takes a postgresql URL" "$BIDRAG" migrate
grep -q "^database: postgresql:///app?host=" "$T/out" && ok "... and names it" ||
	bad "BIDRAG_DB names the PostgreSQL database"
expect_ok "init on PostgreSQL" "$BIDRAG" init --db "$APP"
expect_ok "init on SQLite" sq "$BIDRAG" init --db "sqlite:$T/demo.db"
for cmd in "orgs" "orgs --format csv" "program list" "population list" "user list" \
	"allocate kompetens-2026 --format csv" "allocate tillganglighet-2026 --format json" \
	"allocate at-2025 --explain 0180"; do
	# shellcheck disable=SC2086
	sq "$BIDRAG" $cmd --db "sqlite:$T/demo.db" >"$T/sqlite.txt" 2>&1
	# shellcheck disable=SC2086
	"$BIDRAG" $cmd --db "$APP" >"$T/pg.txt" 2>&1
	if [ -s "$T/sqlite.txt" ] && cmp -s "$T/sqlite.txt" "$T/pg.txt"; then
		ok "the same '$cmd' on both"
	else
		bad "the same '$cmd' on both"
		diff "$T/sqlite.txt" "$T/pg.txt" | head -10 | sed 's/^/    /'
	fi
done
expect_ok "audit verify on PostgreSQL" "$BIDRAG" audit verify --db "$APP"

# -- db copy there and back -------------------------------------------------
pg_createdb copy
COPY=$(pg_url copy)
t=$(now)
expect_ok "db copy SQLite to PostgreSQL" sq "$BIDRAG" db copy "sqlite:$T/demo.db" "$COPY"
echo "    ($(took "$t") for the demo database: $(grep 'rows in' "$T/out"))"
grep -Eq 'audit chain of [1-9][0-9]* records holds' "$T/out" && ok "audit chain checked" ||
	bad "audit chain checked"
grep -q "copy '$T/keys/audit.key' to 'var/keys/audit.key' and '$T/audit/checkpoints' to \
'var/audit/checkpoints'" "$T/out" && ok "says where the trail's key ring and checkpoints go" ||
	bad "says where the trail's key ring and checkpoints go"
[ -e var/keys/audit.key ] && bad "the key ring left where it was" || ok "the key ring left where it was"
expect_fail "a target with rows is refused" "is not empty: table 'org' has 310 rows" \
	sq "$BIDRAG" db copy "sqlite:$T/demo.db" "$COPY"
# the operator moves the trail's files (here: points at them)
export BIDRAG_AUDIT_KEY="$T/keys/audit.key" BIDRAG_AUDIT_CHECKPOINTS="$T/audit/checkpoints"
expect_ok "audit verify on the copy with the trail's files" "$BIDRAG" audit verify --db "$COPY"
expect_ok "db copy PostgreSQL to SQLite" "$BIDRAG" db copy "$COPY" "sqlite:$T/back.db"
tables=$(sqlite3 "$T/demo.db" "SELECT name FROM sqlite_master WHERE type = 'table' AND
	name NOT LIKE 'sqlite%' AND name <> 'schema_migration' ORDER BY name")
[ "$(echo "$tables" | wc -l)" -ge 20 ] && ok "tables to compare" || bad "tables to compare"
same=1
for tb in $tables; do
	sqlite3 -cmd '.mode quote' "$T/demo.db" "SELECT * FROM $tb" | sort >"$T/a.txt"
	sqlite3 -cmd '.mode quote' "$T/back.db" "SELECT * FROM $tb" | sort >"$T/b.txt"
	n_pg=$(pg_psql copy -At -c "SELECT COUNT(*) FROM $tb")
	n_sq=$(sqlite3 "$T/demo.db" "SELECT COUNT(*) FROM $tb")
	if ! cmp -s "$T/a.txt" "$T/b.txt" || [ "$n_pg" != "$n_sq" ]; then
		bad "table $tb the same after the round trip ($n_sq rows, $n_pg in PostgreSQL)"
		diff "$T/a.txt" "$T/b.txt" | head -5 | sed 's/^/    /'
		same=0
	fi
done
[ "$same" = 1 ] && ok "every table the same after SQLite -> PostgreSQL -> SQLite"
sum_pg=$(pg_psql copy -At -c "SELECT SUM(total_ore) FROM program")
sum_sq=$(sqlite3 "$T/demo.db" "SELECT SUM(total_ore) FROM program")
[ "$sum_pg" = "$sum_sq" ] && ok "money the same ($sum_pg öre)" || bad "money ($sum_pg, $sum_sq)"
printf 'ett-langt-losenord\n' | "$BIDRAG" user add efter-kopian --name "Efter Kopian" \
	--db "$COPY" >"$T/out" 2>&1 && ok "new rows after the copy" || bad "new rows after the copy"
id_new=$(pg_psql copy -At -c "SELECT id FROM account WHERE login = 'efter-kopian'")
id_max=$(sqlite3 "$T/demo.db" "SELECT MAX(id) FROM account")
[ "$id_new" -gt "$id_max" ] && ok "new ids follow the copied ones" ||
	bad "new ids follow the copied ones ($id_new after $id_max)"

# -- least privilege: the servers' role cannot change the audit trail --------
pg_psql postgres -v owner=bidrag_owner -v app=bidrag_app -v db=least \
	-f "$BIDRAG_SRC/scripts/pg-setup.sql" >"$T/setup.out" 2>&1 &&
	ok "pg-setup.sql" || { bad "pg-setup.sql"; sed 's/^/    /' "$T/setup.out"; }
keys least
OWNER=$(pg_url least bidrag_owner)
LEAST=$(pg_url least bidrag_app)
expect_fail "the servers' role cannot make the schema" "permission denied" \
	"$BIDRAG" migrate --db "$LEAST"
expect_ok "the owner migrates" "$BIDRAG" migrate --db "$OWNER"
psql -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -U bidrag_owner -d least -v app=bidrag_app \
	-f "$BIDRAG_SRC/scripts/pg-grants.sql" >"$T/grants.out" 2>&1 &&
	ok "pg-grants.sql" || { bad "pg-grants.sql"; sed 's/^/    /' "$T/grants.out"; }
expect_ok "the servers' role opens the migrated database" "$BIDRAG" migrate --db "$LEAST"
expect_ok "... and adds to it, with audit records" sh -c \
	"printf 'ett-langt-losenord\n' | '$BIDRAG' user add anna --name A --db '$LEAST'"
expect_ok "... and a role" "$BIDRAG" user role anna handlaggare --db "$LEAST"
expect_ok "... and verifies the trail" "$BIDRAG" audit verify --db "$LEAST"
for sql in "UPDATE audit SET actor = 'x'" "DELETE FROM audit" "TRUNCATE audit" \
	"ALTER TABLE audit DISABLE TRIGGER ALL" "DROP TABLE audit" \
	"INSERT INTO schema_migration (number, name) VALUES (999, 'x')" \
	"CREATE TABLE mine (x int)"; do
	if psql -X -q -h "$PG_DIR" -U bidrag_app -d least -c "$sql" >"$T/out" 2>&1; then
		bad "the servers' role may not: $sql"
	elif grep -Eq 'permission denied|must be owner' "$T/out"; then
		ok "the servers' role may not: $sql"
	else
		bad "the servers' role may not: $sql ($(head -1 "$T/out"))"
	fi
done
rows=$(psql -X -At -h "$PG_DIR" -U bidrag_app -d least -c "SELECT COUNT(*) FROM audit")
[ "$rows" -ge 2 ] && ok "... but reads it ($rows records)" || bad "the servers' role reads the trail"

# -- backup and restore with PostgreSQL's tools, as docs/operations.md says --
if pg_dump -Fc -h "$PG_DIR" -U bidrag_owner -d least -f "$T/least.dump" 2>"$T/err"; then
	ok "pg_dump as the owner"
else
	bad "pg_dump as the owner"
	sed 's/^/    /' "$T/err" | head -5
fi
pg_psql postgres -v owner=bidrag_owner -v app=bidrag_app -v db=restored \
	-f "$BIDRAG_SRC/scripts/pg-setup.sql" >"$T/setup.out" 2>&1 &&
	ok "pg-setup.sql again, for the restore" || { bad "pg-setup.sql again"; sed 's/^/    /' "$T/setup.out"; }
expect_ok "pg_restore as the owner" pg_restore -h "$PG_DIR" -U bidrag_owner -d restored \
	--no-owner --exit-on-error "$T/least.dump"
expect_ok "migrate the restored database" "$BIDRAG" migrate --db "$(pg_url restored bidrag_owner)"
expect_ok "pg-grants.sql on it" psql -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -U bidrag_owner \
	-d restored -v app=bidrag_app -f "$BIDRAG_SRC/scripts/pg-grants.sql"
expect_ok "the audit trail holds after the restore" "$BIDRAG" audit verify \
	--db "$(pg_url restored bidrag_app)"
grep -q "$rows records" "$T/out" && ok "every record restored" || bad "every record restored"
expect_ok "the servers' role writes the restored database" sh -c \
	"printf 'ett-langt-losenord\n' | '$BIDRAG' user add bo --name B --db '$(pg_url restored bidrag_app)'"
expect_fail "bidrag restore says what to use" "restore a pg_dump archive with pg_restore" \
	"$BIDRAG" restore "$T/least.dump" --db "$(pg_url restored bidrag_owner)"

# -- two processes writing at once: one write lock, one chain ---------------
keys app
t=$(now)
for p in a b; do
	(
		i=0
		while [ $i -lt 15 ]; do
			printf 'ett-langt-losenord\n' | "$BIDRAG" user add "par-$p$i" --name "P" \
				--db "$APP" >/dev/null 2>&1 || echo "fail $p$i"
			i=$((i + 1))
		done
	) >"$T/par-$p.out" &
done
wait
if [ ! -s "$T/par-a.out" ] && [ ! -s "$T/par-b.out" ]; then
	ok "two processes added 30 accounts at once ($(took "$t"))"
else
	bad "two processes at once: $(cat "$T/par-a.out" "$T/par-b.out" | head -3)"
fi
n=$(pg_psql app -At -c "SELECT COUNT(*) FROM account WHERE login LIKE 'par-%'")
[ "$n" = 30 ] && ok "30 accounts" || bad "30 accounts ($n)"
expect_ok "one audit chain after both" "$BIDRAG" audit verify --db "$APP"

# -- servers started at once on an empty database: one makes the schema -------
pg_createdb race
keys race
for p in 1 2 3 4; do
	("$BIDRAG" migrate --db "$(pg_url race)" >"$T/race-$p.out" 2>&1 || echo "exit $?" >>"$T/race-$p.out") &
done
wait
if ! grep -l "exit\|FAIL\|error\|cannot" "$T"/race-*.out >/dev/null; then
	ok "four migrations at once on an empty database"
else
	bad "four migrations at once on an empty database"
	cat "$T"/race-*.out | grep -v applied | head -5 | sed 's/^/    /'
fi
n=$(pg_psql race -At -c "SELECT COUNT(*) FROM schema_migration")
[ "$n" -ge 5 ] && ok "each migration once ($n)" || bad "each migration once ($n)"

# -- refusals ------------------------------------------------------------------
expect_fail "no server there: said so" "cannot connect to 'postgresql://bidrag:\*\*\*@127.0.0.1:1/" \
	"$BIDRAG" migrate --db "postgresql://bidrag:hemligt@127.0.0.1:1/bidrag"
grep -q hemligt "$T/err" && bad "password not shown" || ok "password not shown"
expect_fail "backup is pg_dump's" "not for PostgreSQL: back it up with pg_dump" \
	"$BIDRAG" backup "$T/x.db" --db "$APP"
expect_fail "restore is pg_restore's" "not for PostgreSQL" \
	"$BIDRAG" restore "$T/demo.db" --db "$APP"
expect_fail "a database that is missing" "does not exist" \
	"$BIDRAG" migrate --db "$(pg_url nonesuch)"

echo "PostgreSQL tests: $(took "$t_all") in all"
finish
