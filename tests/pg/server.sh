# server.sh - a throwaway PostgreSQL server for the tests (sourced after
# tests/cli/lib.sh): Debian's postgresql, initdb in a temporary folder,
# listening only on a Unix socket in that folder, stopped when the test
# exits. As root the server runs as the postgres user (initdb refuses
# root); otherwise as the user running the test. Missing PostgreSQL is a
# skip, and a failure under CI=true (lib.sh's skip).
#
#   pg_start              start it; sets PG_DIR, PG_BIN
#   pg_createdb NAME [ENCODING]
#                         an empty database (UTF8 and C unless told)
#   pg_url NAME [USER]    the database's URL (user postgres unless told)
#   pg_psql NAME ARGS...  psql on the database as postgres
#
# The server trades durability for speed (fsync off): it holds test data.
# PG_DURABLE=1 keeps PostgreSQL's defaults (for the benchmarks).

pg_find_bin() {
	PG_BIN=""
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
			PG_BIN=$d
			return 0
		fi
	done
	return 1
}

# Run a command as the server's user (from /: the test's own folder may
# be closed to that user, and PostgreSQL's programs look up their folder).
pg_as() {
	if [ "$(id -u)" = 0 ]; then
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

pg_stop() {
	if [ -n "${PG_DIR:-}" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
		pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1
	fi
	if [ -n "${PG_DIR:-}" ]; then
		rm -rf "$PG_DIR"
	fi
}

pg_start() {
	pg_find_bin || skip "PostgreSQL is not installed (scripts/install-deps installs postgresql)"
	command -v psql >/dev/null 2>&1 || skip "psql is not installed"
	if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
		skip "no postgres user to run the server as (Debian's postgresql package makes it)"
	fi
	# /tmp, not TMPDIR: the server's user must reach it, and a socket's
	# path is short
	PG_DIR=$(mktemp -d /tmp/bidrag-pg.XXXXXX)
	trap 'pg_stop; rm -rf "$T"' EXIT
	if [ "$(id -u)" = 0 ]; then
		chown postgres "$PG_DIR"
	fi
	if ! pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 \
		--locale=C --no-sync >"$PG_DIR/initdb.log" 2>&1; then
		sed 's/^/    /' "$PG_DIR/initdb.log" | tail -20
		echo "FAIL initdb"
		exit 1
	fi
	fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	[ "${PG_DURABLE:-0}" = 1 ] && fast=""
	if ! pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
		-o "-c listen_addresses= -c unix_socket_directories=$PG_DIR $fast \
-c max_connections=60" start >/dev/null 2>&1; then
		sed 's/^/    /' "$PG_DIR/server.log" | tail -20
		echo "FAIL the PostgreSQL server did not start"
		exit 1
	fi
}

pg_psql() {
	db=$1
	shift
	psql -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -U postgres -d "$db" "$@"
}

pg_createdb() {
	pg_psql postgres -c "CREATE DATABASE \"$1\" ENCODING '${2:-UTF8}' LC_COLLATE 'C' \
LC_CTYPE 'C' TEMPLATE template0"
}

pg_url() {
	printf 'postgresql:///%s?host=%s&user=%s' "$1" "$PG_DIR" "${2:-postgres}"
}
