# test_payment.sh - bidrag payment: the year walk of paying out from the
# command line. Two requisitions approved -> payments created (once) ->
# a batch by a handläggare -> refused to the preparer (four eyes) and to an
# attestant without a limit that covers it -> attested -> the bank file,
# valid by xmllint against the ISO XSD and the same bytes when made again
# -> the bank's pain.002 (one accepted, one rejected AC01) and camt.054
# (the accepted one booked) written here by hand as the banks' guides show
# them -> the rejected one issued again with a new end-to-end id -> audit
# verify. Bad replies are told as file:line and change nothing.
. "$BIDRAG_SRC/tests/cli/lib.sh"
export BIDRAG_DB="$T/x.db"
export BIDRAG_NOW=2026-04-15T10:00:00Z
expect_ok "init" "$BIDRAG" init --quiet --no-demo-accounts
for u in anna:ombud:0180 ulla:ombud:0127; do
	login=${u%%:*}
	rest=${u#*:}
	expect_ok "user $login" "$BIDRAG" user add "$login" --name "$login" --sso
	expect_ok "role $login" "$BIDRAG" user role "$login" "${rest%%:*}" --org "${rest#*:}"
done
expect_ok "handläggare" "$BIDRAG" user add hanna --name "Hanna Handläggare" --sso
expect_ok "handläggare role" "$BIDRAG" user role hanna handlaggare
expect_ok "attestant" "$BIDRAG" user add atte --name "Atte Attestant" --sso
expect_ok "attestant role" "$BIDRAG" user role atte attestant
# bert prepares and could attest: four eyes keeps him from attesting his own batch
expect_ok "bert" "$BIDRAG" user add bert --name "Bert Båda" --sso
expect_ok "bert handläggare" "$BIDRAG" user role bert handlaggare
expect_ok "bert attestant" "$BIDRAG" user role bert attestant

set -- --set measure.1.purpose=vfu --set "measure.1.description=Fler handledare" \
	--set "contact_name=Anna Ombud" --set contact_email=anna@kommun.example \
	--set "contact_phone=08-508 290 00" --set account_kind=bankgiro --set confirmed=1 \
	--set account=5050-1055
expect_ok "0180 submits" "$BIDRAG" requisition submit kompetens-2026 0180 --as anna "$@"
expect_ok "0127 submits" "$BIDRAG" requisition submit kompetens-2026 0127 --as ulla "$@" \
	--set amount=100000
expect_ok "approve 1" "$BIDRAG" requisition approve REK-2026-000001 --as hanna
expect_ok "approve 2" "$BIDRAG" requisition approve REK-2026-000002 --as hanna

expect_fail "an attestant creates no payments" "roll|behörighet|får inte" \
	"$BIDRAG" payment create kompetens-2026 --as atte
expect_ok "create" "$BIDRAG" payment create kompetens-2026 --as hanna
grep -q "payments created: 2" "$T/out" && ok "two payments" || bad "two payments: $(cat "$T/out")"
expect_ok "create again" "$BIDRAG" payment create kompetens-2026 --as hanna
grep -q "payments created: 0" "$T/out" && ok "nothing paid twice" || bad "created again: $(cat "$T/out")"

expect_ok "batch" "$BIDRAG" payment batch --program kompetens-2026 --as bert
grep -q "batch UTB-2026-0001: 2 payments" "$T/out" && ok "batch of two" || bad "batch: $(cat "$T/out")"
expect_fail "no file before attestation" "inte attesterad" \
	"$BIDRAG" payment file UTB-2026-0001 -o "$T/early.xml" --as hanna
expect_fail "the preparer does not attest" "förberett|fyra ögon|själv|preparer|sammanställt" \
	"$BIDRAG" payment attest UTB-2026-0001 --as bert
expect_fail "a handläggare does not attest" "attest" \
	"$BIDRAG" payment attest UTB-2026-0001 --as hanna
expect_fail "no limit, no attestation" "beloppsgräns|gräns" \
	"$BIDRAG" payment attest UTB-2026-0001 --as atte
expect_ok "limit" "$BIDRAG" payment limit atte 1000
expect_fail "the limit below the total" "beloppsgräns|gräns" \
	"$BIDRAG" payment attest UTB-2026-0001 --as atte
expect_ok "limit raised" "$BIDRAG" payment limit atte 100000000
expect_ok "attest" "$BIDRAG" payment attest UTB-2026-0001 --as atte
expect_fail "the settings first" "bankinställningar" \
	"$BIDRAG" payment file UTB-2026-0001 -o "$T/f.xml" --as hanna
expect_fail "settings are checked" "IBAN" "$BIDRAG" payment settings --bank danske \
	--name "Socialstyrelsen" --iban SE00-bad --initg-id 5560000001
expect_ok "settings" "$BIDRAG" payment settings --bank danske --name "Socialstyrelsen" \
	--iban "SE45 5000 0000 0583 9825 7466" --initg-id 2021005703
expect_ok "file" "$BIDRAG" payment file UTB-2026-0001 -o "$T/f.xml" --as hanna
if command -v xmllint >/dev/null; then
	expect_ok "valid against the ISO XSD (xmllint)" xmllint --noout --nonet \
		--schema "$BIDRAG_SRC/data/schemas/iso20022/pain.001.001.03.xsd" "$T/f.xml"
else
	skip_part "xmllint missing (libxml2-utils)"
fi
grep -q "<MsgId>UTB-2026-0001-1</MsgId>" "$T/f.xml" && ok "the file's MsgId" || bad "MsgId"
grep -q "<CtrlSum>" "$T/f.xml" && grep -q "<Cd>SESBA</Cd>" "$T/f.xml" && grep -q "BGNR" "$T/f.xml" &&
	ok "bankgiro coding" || bad "bankgiro coding"
BIDRAG_NOW=2026-04-16T09:00:00Z expect_ok "file again" \
	"$BIDRAG" payment file UTB-2026-0001 -o "$T/g.xml" --as hanna
expect_same "the same bytes again" "$T/f.xml" "$T/g.xml"
e2e1=$(grep -o "BES-2026-000001-1-1" "$T/f.xml" | head -1)
e2e2=$(grep -o "BES-2026-000002-1-1" "$T/f.xml" | head -1)
[ -n "$e2e1" ] && [ -n "$e2e2" ] && ok "end-to-end ids from the decisions" || bad "end-to-end ids"

# the bank's status report: the first accepted, the second rejected (AC01)
cat >"$T/sts.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">
  <CstmrPmtStsRpt>
    <GrpHdr><MsgId>STS-1</MsgId><CreDtTm>2026-04-16T08:00:00</CreDtTm></GrpHdr>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>UTB-2026-0001-1</OrgnlMsgId>
      <OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId>
      <GrpSts>PART</GrpSts>
    </OrgnlGrpInfAndSts>
    <OrgnlPmtInfAndSts>
      <OrgnlPmtInfId>UTB-2026-0001-1-1</OrgnlPmtInfId>
      <PmtInfSts>PART</PmtInfSts>
      <TxInfAndSts>
        <OrgnlEndToEndId>BES-2026-000001-1-1</OrgnlEndToEndId>
        <TxSts>ACCP</TxSts>
      </TxInfAndSts>
      <TxInfAndSts>
        <OrgnlEndToEndId>BES-2026-000002-1-1</OrgnlEndToEndId>
        <TxSts>RJCT</TxSts>
        <StsRsnInf><Rsn><Cd>AC01</Cd></Rsn><AddtlInf>Kontot finns inte</AddtlInf></StsRsnInf>
      </TxInfAndSts>
    </OrgnlPmtInfAndSts>
  </CstmrPmtStsRpt>
</Document>
EOF
printf '<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">\n<CstmrPmtStsRpt>\n<GrpHdr><MsgId>X</MsgId>\n</Document>\n' >"$T/broken.xml"
"$BIDRAG" audit verify >/dev/null 2>&1 && ok "audit verify before the replies" || bad "audit verify before"
cp "$BIDRAG_DB" "$T/before-broken.db"
expect_fail "a broken reply: file and line" "broken.xml:[0-9]+" \
	"$BIDRAG" payment reply "$T/broken.xml" --as hanna
expect_ok "list after the broken reply" "$BIDRAG" payment list --as hanna
grep -q "BES-2026-000001,1,.*,in_file," "$T/out" && ok "nothing changed by it" || bad "changed: $(cat "$T/out")"
expect_ok "status report" "$BIDRAG" payment reply "$T/sts.xml" --as hanna
grep -q "accepted 1, rejected 1" "$T/out" && ok "one accepted, one rejected" || bad "reply: $(cat "$T/out")"
expect_ok "status report again" "$BIDRAG" payment reply "$T/sts.xml" --as hanna
grep -q "accepted 0, rejected 0" "$T/out" && ok "a repeated report changes nothing" ||
	bad "repeat: $(cat "$T/out")"
expect_ok "list" "$BIDRAG" payment list --program kompetens-2026 --as atte
grep -q "BES-2026-000002,1,.*,rejected,.*,AC01" "$T/out" && ok "the bank's reason kept" ||
	bad "rejected: $(cat "$T/out")"

# the debit notification books the accepted payment; a credit is not ours
amount=$(grep -o '<InstdAmt Ccy="SEK">[0-9.]*' "$T/f.xml" | head -1 | sed 's/.*>//')
cat >"$T/camt.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr><MsgId>NTF-1</MsgId><CreDtTm>2026-04-17T06:00:00</CreDtTm></GrpHdr>
    <Ntfctn>
      <Id>N1</Id>
      <Acct><Id><IBAN>SE4550000000058398257466</IBAN></Id></Acct>
      <Ntry>
        <Amt Ccy="SEK">$amount</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2026-04-17</Dt></BookgDt>
        <NtryDtls><TxDtls><Refs><EndToEndId>BES-2026-000001-1-1</EndToEndId></Refs></TxDtls></NtryDtls>
      </Ntry>
      <Ntry>
        <Amt Ccy="SEK">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2026-04-17</Dt></BookgDt>
      </Ntry>
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>
EOF
expect_ok "notification" "$BIDRAG" payment reply "$T/camt.xml" --as hanna
grep -q "booked 1,.*not ours 1" "$T/out" && ok "booked, the credit left" || bad "camt: $(cat "$T/out")"

expect_ok "reissue" "$BIDRAG" payment reissue BES-2026-000002 --as hanna
expect_ok "list after reissue" "$BIDRAG" payment list --as hanna
grep -q "BES-2026-000001,1,.*,booked," "$T/out" && ok "the first booked" || bad "booked: $(cat "$T/out")"
grep -q "BES-2026-000002,2,.*,created," "$T/out" && ok "the second issued again" ||
	bad "reissued: $(cat "$T/out")"
expect_fail "a reissued payment is not reissued again" "är skapad och kan inte ändras så" \
	"$BIDRAG" payment reissue BES-2026-000002 --as hanna
expect_ok "audit verify" "$BIDRAG" audit verify

# the same through the JSON API: a third decision's payment created,
# gathered, attested and filed over HTTP with the officers' tokens
expect_ok "ombud 0114" "$BIDRAG" user add olof --name "Olof Ombud" --sso
expect_ok "ombud 0114 role" "$BIDRAG" user role olof ombud --org 0114
expect_ok "0114 submits" "$BIDRAG" requisition submit kompetens-2026 0114 --as olof "$@"
expect_ok "approve 3" "$BIDRAG" requisition approve REK-2026-000003 --as hanna
echo ett-langt-losenord | "$BIDRAG" user add petra --name "Petra Granskare" >/dev/null &&
	"$BIDRAG" user role petra granskare >/dev/null || bad "a granskare with a password"
th=$("$BIDRAG" token create hanna --name api) && ta=$("$BIDRAG" token create atte --name api) ||
	bad "tokens"
"$BIDRAG" serve --listen 127.0.0.1:0 >"$T/serve.out" 2>"$T/serve.log" &
pid=$!
i=0
while ! grep -q "^listening on " "$T/serve.out" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
base=$(sed -n 's/^listening on //p' "$T/serve.out")
[ -n "$base" ] && ok "server at $base" || bad "server started"
api() { # api TOKEN METHOD PATH [BODY]: the status, the body in $T/api
	curl -s -o "$T/api" -w '%{http_code}' -X "$2" -H "Authorization: Bearer $1" \
		-H 'Content-Type: application/json' ${4:+--data "$4"} "$base$3"
}
[ "$(api "$th" POST /api/v1/programs/kompetens-2026/payments)" = 201 ] &&
	grep -q '"created": *1' "$T/api" && ok "API: one payment created" || bad "API create: $(cat "$T/api")"
[ "$(api "$th" POST /api/v1/payment-batches '{"program":"kompetens-2026"}')" = 201 ] &&
	grep -q '"number": *"UTB-2026-0002"' "$T/api" && ok "API: batch gathered" || bad "API batch: $(cat "$T/api")"
[ "$(api "$th" POST /api/v1/payment-batches/UTB-2026-0002/attest '{}')" = 403 ] &&
	ok "API: a handläggare does not attest" || bad "API attest by hanna: $(cat "$T/api")"
[ "$(api "$ta" POST /api/v1/payment-batches/UTB-2026-0002/attest '{"action":"attest"}')" = 200 ] &&
	ok "API: attested" || bad "API attest: $(cat "$T/api")"
[ "$(api "$th" POST /api/v1/payment-batches/UTB-2026-0002/file)" = 200 ] && cp "$T/api" "$T/api.xml" &&
	ok "API: the bank file" || bad "API file: $(cat "$T/api")"
if command -v xmllint >/dev/null; then
	expect_ok "API file valid (xmllint)" xmllint --noout --nonet \
		--schema "$BIDRAG_SRC/data/schemas/iso20022/pain.001.001.03.xsd" "$T/api.xml"
fi
[ "$(api "$ta" GET /api/v1/payment-batches/UTB-2026-0002/file)" = 200 ] &&
	cmp -s "$T/api" "$T/api.xml" && ok "API: the kept file is the same bytes" || bad "API kept file"
[ "$(api "$th" GET '/api/v1/payments?batch=UTB-2026-0002')" = 200 ] &&
	grep -q '"state": *"in_file"' "$T/api" && ok "API: the payment is in the file" ||
	bad "API list: $(cat "$T/api")"
# the batch as a spreadsheet, read back: CSV rows and XLSX cells
curl -s -c "$T/jar" -b "$T/jar" -o /dev/null "$base/login"
login_csrf=$(sed -n 's/.*csrf_pre\t//p' "$T/jar")
curl -s -c "$T/jar" -b "$T/jar" -o /dev/null --data-urlencode "login=petra" \
	--data-urlencode "password=ett-langt-losenord" --data-urlencode "csrf=$login_csrf" "$base/login"
curl -s -b "$T/jar" -o "$T/b.csv" "$base/utbetalningar/omgang/UTB-2026-0002/omgang.csv"
curl -s -b "$T/jar" -o "$T/b.xlsx" "$base/utbetalningar/omgang/UTB-2026-0002/omgang.xlsx"
[ "$(wc -l <"$T/b.csv")" -eq 3 ] && head -1 "$T/b.csv" | grep -q '^decision,end_to_end_id,' &&
	grep -q '^BES-2026-000003,BES-2026-000003-1-1,REK-2026-000003,kompetens-2026,0114,' "$T/b.csv" &&
	grep -q "^BES-2026-000002,BES-2026-000002-1-2," "$T/b.csv" &&
	ok "batch CSV: a header and its two payments (the reissued one too)" || bad "batch CSV: $(cat -A "$T/b.csv" | head -3)"
sum_ore=0
for v in $(tail -n +2 "$T/b.csv" | cut -d, -f9); do sum_ore=$((sum_ore + v)); done
ctrl=$(grep -o '<CtrlSum>[0-9.]*' "$T/api.xml" | head -1 | sed 's/.*>//; s/\.//')
[ "$sum_ore" -gt 0 ] && [ "$sum_ore" = "$ctrl" ] && ok "the CSV's sum is the bank file's control sum" ||
	bad "CSV sum $sum_ore, file $ctrl"
if command -v unzip >/dev/null; then
	unzip -p "$T/b.xlsx" xl/sharedStrings.xml | grep -q 'BES-2026-000003-1-1' &&
		unzip -p "$T/b.xlsx" xl/workbook.xml | grep -q 'name="Omgång"' &&
		ok "batch XLSX: the payments and the batch's sheet" || bad "batch XLSX"
else
	skip_part "xlsx contents (unzip missing)"
fi
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
expect_ok "audit verify after the API" "$BIDRAG" audit verify
finish
