# test_pg_eservice.sh BINARY - one of the e-service's integration tests
# (tests/integration/test_*.c: the requisition year walk, durability
# under SIGKILL, the authorisation matrix, ...) run a second time, against
# a PostgreSQL server started here (tests/pg/server.sh) instead of an
# SQLite file (issue 16). The test gets its empty database as
# BIDRAG_TEST_DB_URL (tests/integration/webtest.h, test_requisition_flow.c),
# and BIDRAG_TEST_DB_URL_CRASH and _RACE for the copies the year walk
# forks. Its output is shown when it fails; prints its time.
. "$BIDRAG_SRC/tests/cli/lib.sh"
. "$BIDRAG_SRC/tests/pg/server.sh"

bin=$1
name=$(basename "$bin")
[ -x "$bin" ] || {
	bad "no test program $bin"
	finish
}
pg_start
for db in app crash race; do
	pg_createdb "$db"
done
t0=$(date +%s.%N)
# in a folder of its own: on PostgreSQL the statistics column store is
# var/stats of the working folder (docs/operations.md), which each test
# must have to itself
mkdir "$T/work"
(cd "$T/work" && BIDRAG_TEST_DB_URL=$(pg_url app) BIDRAG_TEST_DB_URL_CRASH=$(pg_url crash) \
	BIDRAG_TEST_DB_URL_RACE=$(pg_url race) "$bin" >"$T/test.out" 2>&1)
rc=$?
took=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }')
if [ "$rc" = 0 ]; then
	ok "$name on PostgreSQL ($took)"
elif [ "$rc" = 77 ]; then
	cat "$T/test.out"
	skip "$name skipped itself"
else
	sed 's/^/    /' "$T/test.out" | tail -60
	bad "$name on PostgreSQL (exit $rc, $took)"
	echo "    server log:"
	grep -E 'ERROR|FATAL|PANIC' "$PG_DIR/server.log" | head -20 | sed 's/^/    /'
fi
finish
