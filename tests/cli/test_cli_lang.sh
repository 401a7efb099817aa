# test_cli_lang.sh - the command line speaks the language LANG asks for:
# with LANG=en_US.UTF-8 what the grant commands print (their own words,
# the service's messages and field issues, program texts) holds no Swedish
# text (tests/js/swedish.mjs, the same test as the English page crawl:
# proper names excepted); with LANG=sv_SE.UTF-8 the same commands speak
# Swedish. Skipped (a failure under CI=true) without node.
. "$BIDRAG_SRC/tests/cli/lib.sh"
JS="$BIDRAG_SRC/tests/js"
command -v node >/dev/null || skip "node missing (scripts/install-deps installs it)"
unset LC_ALL LC_MESSAGES BIDRAG_AS
export BIDRAG_DB="$T/lang.db"
"$BIDRAG" init --db "$BIDRAG_DB" --quiet --no-demo-accounts || bad "init"
pw=ett-langt-losenord
printf '%s\n' "$pw" >"$T/pw"
for u in hanna:handlaggare olle:ombud@0180 rita:ombud@01; do
	login=${u%%:*}
	role=${u#*:}
	"$BIDRAG" user add "$login" --name "Test $login" <"$T/pw" >/dev/null || bad "add $login"
	case $role in
	*@*) "$BIDRAG" user role "$login" "${role%@*}" --org "${role#*@}" >/dev/null ;;
	*) "$BIDRAG" user role "$login" "$role" >/dev/null ;;
	esac || bad "role $login"
done
set -- --set "contact_name=Olle Berg" --set contact_email=olle@example.se \
	--set "contact_phone=08-508 290 00" --set account_kind=bankgiro --set account=5050-1055 \
	--set confirmed=1
BIDRAG_NOW=2026-04-15T10:00:00Z "$BIDRAG" requisition submit kompetens-2026 0180 --as olle "$@" \
	--set measure.1.purpose=vfu --set "measure.1.description=More supervisors" >/dev/null &&
	BIDRAG_NOW=2026-04-15T11:00:00Z "$BIDRAG" requisition approve REK-2026-000001 --as hanna \
		>/dev/null || bad "a decided requisition"
BIDRAG_NOW=2026-02-10T10:00:00Z "$BIDRAG" requisition submit tillganglighet-2026 01 --as rita "$@" \
	--set measure.1.purpose=tillganglighet --set "measure.1.description=Shorter queues" \
	--set opt_in=1 --set "extra_cap=1 000 000" >/dev/null &&
	BIDRAG_NOW=2026-02-11T10:00:00Z "$BIDRAG" requisition approve REK-2026-000002 --as hanna \
		>/dev/null || bad "a region's requisition"

# every command once, its output and its errors in one file per language
run_all() {
	lang=$1
	out=$2
	: >"$out"
	for c in "program list" "program show kompetens-2026" "program show tillganglighet-2026" \
		"population list" "requisition list kompetens-2026 --as hanna" \
		"requisition show REK-2026-000001 --as hanna" "requisition show REK-2026-000001 --as olle" \
		"requisition dashboard kompetens-2026 --as hanna" \
		"requisition bulk-approve kompetens-2026 --as hanna" \
		"requisition redistribute kompetens-2026 --as hanna" \
		"requisition redistribute tillganglighet-2026 --as hanna" \
		"requisition save kompetens-2026 01 --as rita --set account=12 --set contact_email=nope" \
		"requisition approve REK-2026-000001 --as hanna" "requisition show REK-2099-000009 --as hanna"; do
		# shellcheck disable=SC2086 # each command's words
		LANG=$lang BIDRAG_NOW=2026-03-18T10:00:00Z "$BIDRAG" $c >>"$out" 2>&1
		echo "-- $c: exit $?" >>"$out"
	done
}
run_all en_US.UTF-8 "$T/en"
run_all sv_SE.UTF-8 "$T/sv"
grep -q "medger ingen omfördelning" "$T/sv" && ok "Swedish under LANG=sv_SE" ||
	bad "Swedish under LANG=sv_SE"
grep -q "^ärende " "$T/sv" && ok "the commands' own words in Swedish" ||
	bad "the commands' own words in Swedish"
grep -q "^case " "$T/en" && ok "the commands' own words in English" ||
	bad "the commands' own words in English"
# the refusals and field issues are there to be read, in English
grep -Eq "does not provide for redistribution|no redistribution" "$T/en" &&
	ok "a service refusal in English" || bad "a service refusal in English"
grep -q "^  account: " "$T/en" && ok "a field issue in English" || bad "a field issue in English"
proper_names >"$T/names"
grep -v '^-- ' "$T/en" | (cd "$JS" && node swedish_text.mjs "$T/names") >"$T/found" &&
	ok "no Swedish in the English command line" || {
	bad "Swedish in the English command line"
	sed 's/^/    /' "$T/found" | head -40
}
finish
