# test_accounts.sh - bidrag user, token, audit, migrate, backup and restore
# from the command line: normal use, refusals and their messages.
. "$BIDRAG_SRC/tests/cli/lib.sh"
DB="$T/acc.db"
export BIDRAG_DB="$DB"

expect_ok "migrate creates the database" "$BIDRAG" migrate
grep -q '^schema: ' "$T/out" && ok "migrate shows the schema" || bad "migrate shows the schema"
grep -q '0010_auth applied' "$T/out" && ok "auth migration applied" || bad "auth migration applied"
expect_ok "serve --help" "$BIDRAG" serve --help
grep -q -- '--trusted-proxy' "$T/out" && ok "serve --help lists options" || bad "serve --help lists options"

printf '%s\n' 'ett-langt-losenord' >"$T/pw"
expect_ok "user add" sh -c "'$BIDRAG' user add anna --name 'Anna A' <'$T/pw'"
expect_fail "user add twice" "user 'anna' exists already" sh -c "'$BIDRAG' user add anna --name A <'$T/pw'"
printf 'kort\n' >"$T/short"
expect_fail "weak password" "password must have 10 to 256 characters" \
	sh -c "'$BIDRAG' user add bo --name Bo <'$T/short'"
expect_fail "bad login" "login 'a b' must be" sh -c "'$BIDRAG' user add 'a b' --name X <'$T/pw'"
expect_fail "no name" "--name is required" sh -c "'$BIDRAG' user add cecilia <'$T/pw'"
expect_ok "sso account" "$BIDRAG" user add 197001011234 --name "Sven" --sso
expect_ok "agency role" "$BIDRAG" user role anna granskare
expect_ok "swedish role name" "$BIDRAG" user role anna "handläggare"
expect_fail "agency staff get no recipient role" "'anna' holds an agency role and so cannot hold role 'ombud'" \
	"$BIDRAG" user role anna ombud --org 0180
expect_ok "user add bea" sh -c "'$BIDRAG' user add bea --name 'Bea B' <'$T/pw'"
expect_ok "recipient role" "$BIDRAG" user role bea ombud --org 0180
expect_fail "a recipient's person gets no agency role" "'bea' holds a recipient role and so cannot hold role 'granskare'" \
	"$BIDRAG" user role bea granskare
expect_fail "second ombud" "organisation '0180' has an ombud already" \
	"$BIDRAG" user role 197001011234 ombud --org 0180
expect_fail "recipient role needs org" "needs an organisation code" "$BIDRAG" user role anna representant
expect_fail "agency role takes no org" "agency role" "$BIDRAG" user role anna admin --org 0180
expect_fail "unknown role" "unknown role 'kung'" "$BIDRAG" user role anna kung
expect_fail "unknown user" "no user 'nobody'" "$BIDRAG" user role nobody admin
expect_ok "remove role" "$BIDRAG" user role anna handlaggare --remove
expect_ok "user list" "$BIDRAG" user list
grep -q "^anna	Anna A	password	granskare$" "$T/out" && grep -q "^bea	Bea B	password	ombud@0180$" "$T/out" && ok "list shows roles" ||
	bad "list shows roles: $(cat "$T/out")"
expect_ok "passwd" sh -c "'$BIDRAG' user passwd anna <'$T/pw'"
expect_ok "disable" "$BIDRAG" user disable anna
expect_ok "enable" "$BIDRAG" user enable anna

expect_ok "token create" "$BIDRAG" token create bea --name ci --org 0180
grep -Eq '^bdr_[0-9a-f]{64}$' "$T/out" && ok "token printed once" || bad "token printed once"
tok=$(cat "$T/out")
expect_fail "token without role" "holds no role" "$BIDRAG" token create 197001011234 --name x
expect_ok "token list" "$BIDRAG" token list bea
grep -q "$tok" "$T/out" && bad "token list shows the secret" || ok "token list hides the secret"
expect_ok "token revoke" "$BIDRAG" token revoke 1
expect_fail "token revoke unknown" "no such token" "$BIDRAG" token revoke 99

expect_ok "audit verify" "$BIDRAG" audit verify
grep -q 'audit trail intact' "$T/out" && ok "intact" || bad "intact"
expect_ok "audit list by object" "$BIDRAG" audit list --object user:anna
[ "$(wc -l <"$T/out")" -ge 6 ] && ok "audit list rows" || bad "audit list rows"
grep -q '2026-11-23T12:00:00Z	operator' "$T/out" && ok "audit uses the injected clock" ||
	bad "audit uses the injected clock"

expect_ok "backup" "$BIDRAG" backup "$T/copy.db"
expect_fail "backup never overwrites" "exists already" "$BIDRAG" backup "$T/copy.db"
sqlite3 "$DB" "DELETE FROM audit WHERE seq = 2"
expect_fail "deleted row found" "audit row 2 is missing" "$BIDRAG" audit verify
echo junk >"$T/junk.db"
expect_fail "restore refuses junk" "not a database|integrity" "$BIDRAG" restore "$T/junk.db"
expect_ok "restore" "$BIDRAG" restore "$T/copy.db"
expect_ok "restored trail intact" "$BIDRAG" audit verify
expect_fail "usage" "usage: bidrag audit" "$BIDRAG" audit

# global options before the command: --db and --as hold for every command
expect_ok "--db before the command" env -u BIDRAG_DB "$BIDRAG" --db "$DB" user list
grep -q '^anna' "$T/out" && ok "--db names the database" || bad "--db names the database"
expect_fail "--as names a known account" "no account 'nobody'" "$BIDRAG" --as nobody user list
expect_fail "--as before the command: that account's roles" "role does not give access|roll ger inte" \
	"$BIDRAG" --as anna user add zed --name Z --sso
expect_fail "unknown global option" "unknown option '--bogus'" "$BIDRAG" --bogus x user list
expect_fail "a global option needs a value" "needs a value" "$BIDRAG" --db
"$BIDRAG" --help | grep -q -- '--as LOGIN' && ok "help names the global options" ||
	bad "help names the global options"
finish
