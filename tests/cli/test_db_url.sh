# test_db_url.sh - --db and BIDRAG_DB take a database URL or a plain path:
# sqlite:FILE, sqlite:///ABSOLUTE, sqlite::memory:, a path; a PostgreSQL
# URL and bad URLs are refused with a clear message, no password shown.
. "$BIDRAG_SRC/tests/cli/lib.sh"

expect_ok "migrate sqlite:FILE" "$BIDRAG" migrate --db "sqlite:$T/a/url.db"
grep -q "^database: $T/a/url.db\$" "$T/out" && ok "named by its file" || bad "named by its file"
grep -q '0032_org_invite applied' "$T/out" && ok "portable migration applied" ||
	bad "portable migration applied"
test -f "$T/a/url.db" && ok "the file and its folder exist" || bad "the file and its folder exist"
expect_ok "user add through the URL" sh -c \
	"printf 'ett-langt-losenord\n' | '$BIDRAG' user add anna --name A --db 'sqlite:$T/a/url.db'"
expect_ok "the same database as a plain path" "$BIDRAG" user list --db "$T/a/url.db"
grep -q anna "$T/out" && ok "one database, two spellings" || bad "one database, two spellings"
expect_ok "sqlite:///absolute" "$BIDRAG" user list --db "sqlite://$T/a/url.db"
grep -q anna "$T/out" && ok "triple slash" || bad "triple slash"
BIDRAG_DB="sqlite:$T/a/url.db" expect_ok "BIDRAG_DB takes a URL" "$BIDRAG" audit verify
expect_ok "backup from a URL" "$BIDRAG" backup "$T/copy.db" --db "sqlite:$T/a/url.db"
expect_ok "restore into a URL" "$BIDRAG" restore "$T/copy.db" --db "sqlite:$T/a/url.db"
test -f "$T/a/url.db.before-restore" && ok "kept aside" || bad "kept aside"
expect_ok "in memory" "$BIDRAG" migrate --db "sqlite::memory:"
expect_fail "postgresql not yet" "this build has no PostgreSQL driver yet" \
	"$BIDRAG" migrate --db "postgresql://bidrag:hemligt@db.example/bidrag"
grep -q hemligt "$T/err" && bad "password not shown" || ok "password not shown"
expect_fail "postgresql not yet, serve" "no PostgreSQL driver" \
	"$BIDRAG" serve --listen 127.0.0.1:0 --db "postgres://db.example/bidrag"
expect_fail "unknown scheme" "unknown database scheme 'mysql'" "$BIDRAG" user list --db "mysql://h/db"
expect_fail "no file" "names no file" "$BIDRAG" user list --db "sqlite:"
expect_fail "missing database" "does not exist" "$BIDRAG" user list --db "sqlite:$T/none.db"
expect_fail "restore into postgresql" "no PostgreSQL driver" \
	"$BIDRAG" restore "$T/copy.db" --db "postgresql://h/db"
finish
