# test_ledger.sh - bidrag ledger: the appropriation ledger of kompetens-2026
# from the command line, checked against an independent computation. Three
# requisitions approved (Region Stockholm in full, Region Uppsala in part,
# Stockholm kommun in full), paid through a batch, a bank file, the bank's
# pain.002 and a camt.054 that books two of them; the agency's own costs
# registered within the cap and on the own-cost item only. Then the ledger's
# balances per item are recomputed here in Python from `bidrag allocate`'s
# output, the decisions and the booked payments with the split rule as
# docs/payments.md words it, and compared to the öre; the SIE 4I file is read
# back by a reader written here from the SIE 4 specification (not io/sie);
# the CSV and XLSX exports are checked; `audit verify` passes.
. "$BIDRAG_SRC/tests/cli/lib.sh"
command -v python3 >/dev/null || skip "python3 missing"
export BIDRAG_DB="$T/x.db"
export BIDRAG_NOW=2026-04-15T10:00:00Z
expect_ok "init" "$BIDRAG" init --quiet --no-demo-accounts
for u in rita:ombud:01 ulla:ombud:03 anna:ombud:0180; do
	login=${u%%:*}
	rest=${u#*:}
	expect_ok "user $login" "$BIDRAG" user add "$login" --name "$login" --sso
	expect_ok "role $login" "$BIDRAG" user role "$login" "${rest%%:*}" --org "${rest#*:}"
done
for u in hanna:handlaggare atte:attestant gun:granskare; do
	expect_ok "user ${u%%:*}" "$BIDRAG" user add "${u%%:*}" --name "${u%%:*}" --sso
	expect_ok "role ${u%%:*}" "$BIDRAG" user role "${u%%:*}" "${u#*:}"
done

set -- --set measure.1.purpose=vfu --set "measure.1.description=Fler handledare" \
	--set "contact_name=Ombud" --set contact_email=ombud@example.se \
	--set "contact_phone=08-508 290 00" --set account_kind=bankgiro --set confirmed=1 \
	--set account=5050-1055
expect_ok "01 submits" "$BIDRAG" requisition submit kompetens-2026 01 --as rita "$@"
expect_ok "03 submits" "$BIDRAG" requisition submit kompetens-2026 03 --as ulla "$@"
expect_ok "0180 submits" "$BIDRAG" requisition submit kompetens-2026 0180 --as anna "$@"
expect_ok "approve 01" "$BIDRAG" requisition approve REK-2026-000001 --as hanna
expect_ok "approve 03 in part" "$BIDRAG" requisition approve REK-2026-000002 --amount 1000001 \
	--reasons "Delvis" --as hanna
expect_ok "approve 0180" "$BIDRAG" requisition approve REK-2026-000003 --as hanna

expect_ok "payments" "$BIDRAG" payment create kompetens-2026 --as hanna
expect_ok "batch" "$BIDRAG" payment batch --program kompetens-2026 --as hanna
expect_ok "limit" "$BIDRAG" payment limit atte 1000000000
expect_ok "attest" "$BIDRAG" payment attest UTB-2026-0001 --as atte
expect_ok "settings" "$BIDRAG" payment settings --bank danske --name "Socialstyrelsen" \
	--iban "SE45 5000 0000 0583 9825 7466" --initg-id 2021005703
expect_ok "file" "$BIDRAG" payment file UTB-2026-0001 -o "$T/f.xml" --as hanna

# the bank accepts all three and books two (01 and 0180) on 17 April
cat >"$T/sts.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">
  <CstmrPmtStsRpt>
    <GrpHdr><MsgId>STS-1</MsgId><CreDtTm>2026-04-16T08:00:00</CreDtTm></GrpHdr>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>UTB-2026-0001-1</OrgnlMsgId>
      <OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId>
      <GrpSts>ACCP</GrpSts>
    </OrgnlGrpInfAndSts>
  </CstmrPmtStsRpt>
</Document>
EOF
expect_ok "status report" "$BIDRAG" payment reply "$T/sts.xml" --as hanna
expect_ok "list" "$BIDRAG" payment list --program kompetens-2026 --as hanna
a1=$(grep "^BES-2026-000001," "$T/out" | cut -d, -f5)
a3=$(grep "^BES-2026-000003," "$T/out" | cut -d, -f5)
kr() { python3 -c "import sys; o=int(sys.argv[1]); print('%d.%02d' % (o // 100, o % 100))" "$1"; }
cat >"$T/camt.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr><MsgId>NTF-1</MsgId><CreDtTm>2026-04-17T06:00:00</CreDtTm></GrpHdr>
    <Ntfctn>
      <Id>N1</Id>
      <Acct><Id><IBAN>SE4550000000058398257466</IBAN></Id></Acct>
      <Ntry>
        <Amt Ccy="SEK">$(kr "$a1")</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2026-04-17</Dt></BookgDt>
        <NtryDtls><TxDtls><Refs><EndToEndId>BES-2026-000001-1-1</EndToEndId></Refs></TxDtls></NtryDtls>
      </Ntry>
      <Ntry>
        <Amt Ccy="SEK">$(kr "$a3")</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2026-04-17</Dt></BookgDt>
        <NtryDtls><TxDtls><Refs><EndToEndId>BES-2026-000003-1-1</EndToEndId></Refs></TxDtls></NtryDtls>
      </Ntry>
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>
EOF
BIDRAG_NOW=2026-04-17T08:00:00Z expect_ok "notification" "$BIDRAG" payment reply "$T/camt.xml" --as hanna
grep -q "booked 2" "$T/out" && ok "two booked" || bad "camt: $(cat "$T/out")"

# own costs: on item 12 only, within the 50 000 000 kr cap, by a handläggare
export BIDRAG_NOW=2026-04-20T10:00:00Z
expect_fail "a granskare books no own cost" "roll|behörighet|får inte" \
	"$BIDRAG" ledger own-cost kompetens-2026 12 1000 --text "Konsult" --as gun
expect_fail "an attestant books no own cost" "roll|behörighet|får inte" \
	"$BIDRAG" ledger own-cost kompetens-2026 12 1000 --text "Konsult" --as atte
expect_fail "own costs only on the own-cost item" "Egna kostnader bokas mot anslagsposten 12, inte 56" \
	"$BIDRAG" ledger own-cost kompetens-2026 56 1000 --text "Konsult" --as hanna
expect_fail "an unknown item" "finns inte" \
	"$BIDRAG" ledger own-cost kompetens-2026 99 1000 --text "Konsult" --as hanna
expect_fail "a text is needed" "1-200 tecken" \
	"$BIDRAG" ledger own-cost kompetens-2026 12 1000 --text "" --as hanna
expect_fail "an amount, not words" "KRONOR" \
	"$BIDRAG" ledger own-cost kompetens-2026 12 tusen --text "Konsult" --as hanna
expect_ok "own cost" "$BIDRAG" ledger own-cost kompetens-2026 12 "1 250 000,50" \
	--text "Konsult för uppföljningen, avtal 2026-17" --as hanna
# item 12 holds 470 000 000 kr: 420 000 000 allocated and the 50 000 000 kr
# cap, so the item's room and the cap end at the same krona
expect_fail "not past the cap" "tak för egna kostnader|kan inte överstiga postens belopp" \
	"$BIDRAG" ledger own-cost kompetens-2026 12 48750000 --text "För mycket" --as hanna
expect_ok "up to the cap" "$BIDRAG" ledger own-cost kompetens-2026 12 48749999,50 \
	--text "Resten av taket" --as hanna
expect_ok "a correction" "$BIDRAG" ledger own-cost --text "Rättelse: del av konsultfakturan krediterad" \
	--as hanna -- kompetens-2026 12 -50000

expect_ok "allocation" "$BIDRAG" allocate kompetens-2026 --format csv
cp "$T/out" "$T/alloc.csv"
expect_ok "payments" "$BIDRAG" payment list --program kompetens-2026 --as gun
cp "$T/out" "$T/pay.csv"
expect_ok "ledger show (granskare)" "$BIDRAG" ledger show kompetens-2026 --as gun
cp "$T/out" "$T/ledger.csv"
[ ! -s "$T/err" ] && ok "every booking booked" || bad "refused bookings: $(cat "$T/err")"

# the independent computation: items from the program file's words, the split
# rule from docs/payments.md, decisions as approved above, payments as booked
cat >"$T/check.py" <<'EOF'
import csv, sys
alloc_csv, pay_csv, ledger_csv = sys.argv[1:4]
own = int(sys.argv[4])
items = {"56": 393000000, "16": 200000000, "12": 470000000}  # kronor
blocks = {  # block: [(item, kronor)], amount
    "block_1": ([("56", 240000000)], 240000000),
    "block_2": ([("16", 200000000)], 200000000),
    "block_3": ([("56", 153000000), ("12", 420000000)], 573000000),
}
rows = list(csv.DictReader(open(alloc_csv, encoding="utf-8")))
rows.sort(key=lambda r: r["code"])
share = {}  # (code, item) -> kronor
alloc = {k: 0 for k in items}
for b, (its, B) in blocks.items():
    C = 0
    for r in rows:
        a = int(r[b]) if r[b] else 0
        if not r[b]:
            continue
        prev, C = C, C + a
        rest = a
        for k, I in its[:-1]:
            s = C * I // B - prev * I // B
            share[(r["code"], k)] = share.get((r["code"], k), 0) + s
            rest -= s
        k = its[-1][0]
        share[(r["code"], k)] = share.get((r["code"], k), 0) + rest
for (code, k), s in share.items():
    alloc[k] += s
total = {r["code"]: int(r["total"]) for r in rows}
def split(code, d_ore):
    ks = [k for k in items if share.get((code, k), 0) > 0]
    a = total[code]
    out, rest = {}, d_ore
    for k in ks[:-1]:
        out[k] = d_ore * share[(code, k)] // a
        rest -= out[k]
    out[ks[-1]] = rest
    return out
decisions = {"BES-2026-000001": ("01", total["01"] * 100),
             "BES-2026-000002": ("03", 1000001 * 100),
             "BES-2026-000003": ("0180", total["0180"] * 100)}
decided = {k: 0 for k in items}
for num, (code, d) in decisions.items():
    for k, v in split(code, d).items():
        decided[k] += v
paid = {k: 0 for k in items}
for p in csv.DictReader(open(pay_csv, encoding="utf-8")):
    if p["state"] != "booked":
        continue
    code, d = decisions[p["decision"]]
    assert int(p["amount_ore"]) == d, p
    for k, v in split(code, d).items():
        paid[k] += v
owncost = {k: 0 for k in items}
owncost["12"] = own
got = {r["item"]: r for r in csv.DictReader(open(ledger_csv, encoding="utf-8"))}
bad = 0
for k in items:
    want = {"amount_ore": items[k] * 100, "allocated_ore": alloc[k] * 100,
            "decided_ore": decided[k], "paid_ore": paid[k], "repaid_ore": 0,
            "own_cost_ore": owncost[k],
            "available_ore": items[k] * 100 - owncost[k] - decided[k]}
    for f, v in want.items():
        if int(got[k][f]) != v:
            print("item %s %s: ledger %s, recomputed %d" % (k, f, got[k][f], v))
            bad += 1
for f in ("amount_ore", "allocated_ore", "decided_ore", "paid_ore", "own_cost_ore", "available_ore"):
    s = sum(int(got[k][f]) for k in items)
    if int(got["total"][f]) != s:
        print("total %s: %s, items sum %d" % (f, got["total"][f], s))
        bad += 1
# the item totals of the allocation are exact: the file's amounts
if alloc != {"56": 393000000, "16": 200000000, "12": 420000000}:
    print("allocated per item", alloc)
    bad += 1
print("paid", paid["56"] + paid["16"] + paid["12"])
sys.exit(1 if bad else 0)
EOF
own=$((125000050 + 4874999950 - 5000000))
if python3 "$T/check.py" "$T/alloc.csv" "$T/pay.csv" "$T/ledger.csv" "$own" >"$T/py" 2>&1; then
	ok "balances per item recomputed to the öre"
else
	bad "balances: $(cat "$T/py")"
fi
paid_total=$(sed -n 's/^paid //p' "$T/py")
[ "$paid_total" = "$((a1 + a3))" ] && ok "paid is the two booked payments" || bad "paid $paid_total"

expect_ok "bookings" "$BIDRAG" ledger show kompetens-2026 --bookings --as gun
cp "$T/out" "$T/bookings.csv"
nmoney=$(grep -c ',\(pay\|own_cost\),' "$T/bookings.csv")
grep -q '^[0-9]*,2026-04-17,pay,12,' "$T/out" && ok "a payment on its booking day" ||
	bad "bookings: $(head -20 "$T/out")"
[ "$(grep -c ',own_cost,12,' "$T/out")" = 3 ] && ok "three own-cost bookings" || bad "own costs"

# exports
expect_ok "export csv" "$BIDRAG" ledger export kompetens-2026 -o "$T/l.csv" --as gun
head -5 "$T/l.csv" >"$T/l5.csv"
expect_same "the csv's balances" "$T/l5.csv" "$T/ledger.csv"
expect_ok "export xlsx" "$BIDRAG" ledger export kompetens-2026 -o "$T/l.xlsx" --as gun
if python3 - "$T/l.xlsx" <<'EOF'; then ok "the xlsx has both sheets"; else bad "xlsx"; fi
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
wb = z.read("xl/workbook.xml").decode()
assert "Anslagsposter" in wb and "Bokningar" in wb and "Program" in wb, wb
EOF
expect_fail "export: a known format" "neither .csv nor .xlsx" \
	"$BIDRAG" ledger export kompetens-2026 -o "$T/l.txt" --as gun

# SIE 4I, read back by a reader written from the SIE 4 specification
expect_fail "sie: the organisation number is checked" "organisation number" \
	"$BIDRAG" ledger sie kompetens-2026 -o "$T/bad.si" --orgnr 202100-5700 --as gun
[ ! -e "$T/bad.si" ] && ok "no file when refused" || bad "a refused SIE file was written"
expect_ok "sie" "$BIDRAG" ledger sie kompetens-2026 -o "$T/l.si" --orgnr 202100-5703 --as gun
if python3 - "$T/l.si" "$((a1 + a3))" "$own" "$nmoney" >"$T/py" 2>&1 <<'EOF'; then
import sys, shlex
raw = open(sys.argv[1], "rb").read()
paid, own, nmoney = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
assert b"\r\n" in raw and raw.endswith(b"\r\n"), "CRLF"
assert b"\n" not in raw.replace(b"\r\n", b""), "a bare LF"
text = raw.decode("cp437")
lines = text.split("\r\n")[:-1]
def fields(l):
    # SIE: fields separated by spaces, strings in quotes with \" escapes, objects in {}
    out, i = [], 0
    while i < len(l):
        if l[i] == " ":
            i += 1
        elif l[i] == '"':
            j, s = i + 1, ""
            while l[j] != '"':
                if l[j] == "\\":
                    j += 1
                s += l[j]
                j += 1
            out.append(s)
            i = j + 1
        elif l[i] == "{":
            j = l.index("}", i)
            out.append(l[i:j + 1])
            i = j + 1
        else:
            j = i
            while j < len(l) and l[j] != " ":
                j += 1
            out.append(l[i:j])
            i = j
    return out
recs = [[l] if l in ("{", "}") else fields(l) for l in lines]
labels = [r[0] for r in recs]
assert labels[:7] == ["#FLAGGA", "#PROGRAM", "#FORMAT", "#GEN", "#SIETYP", "#FNAMN", "#ORGNR"], labels[:7]
assert recs[0][1] == "0" and recs[2][1] == "PC8" and recs[4][1] == "4", recs[:5]
assert recs[6][1] == "202100-5703"
for bad in ("#IB", "#UB", "#RES", "#PSALDO"):
    assert bad not in labels
konto = {r[1]: r[2] for r in recs if r[0] == "#KONTO"}
nver, i, acc = 0, 0, {}
while i < len(recs):
    if recs[i][0] == "#VER":
        nver += 1
        assert recs[i + 1] == ["{"], recs[i + 1]
        j, s = i + 2, 0
        while recs[j] != ["}"]:
            t = recs[j]
            assert t[0] == "#TRANS" and t[1] in konto, t
            kr, _, ore = t[3].partition(".")
            v = int(kr) * 100 + (int(ore.ljust(2, "0")) if not kr.startswith("-") else -int(ore.ljust(2, "0")))
            s += v
            acc[t[1]] = acc.get(t[1], 0) + v
            j += 1
        assert s == 0, "a voucher that does not balance"
        i = j
    i += 1
# one voucher per booking that moves money (a payment's part per item, an own cost)
assert nver == nmoney, (nver, nmoney)
assert acc["7731"] == paid, acc
assert acc["5890"] == own, acc
assert acc["1930"] == -(paid + own), acc
EOF
	ok "the SIE file read back"
else
	bad "sie: $(cat "$T/py")"
fi
expect_ok "audit verify" "$BIDRAG" audit verify

# Kammarkollegiet's documents, read back with pdftotext: the sums are the
# ledger's (decided + own costs to requisition; amount − net paid − own
# costs to pay back), and the diarienummer is cited
expect_ok "requisition to Kammarkollegiet" "$BIDRAG" ledger document kompetens-2026 requisition \
	-o "$T/kk-req.pdf" --as gun
expect_ok "report to Kammarkollegiet" "$BIDRAG" ledger document kompetens-2026 report \
	-o "$T/kk-rep.pdf" --as gun
expect_fail "a known document" "requisition' or 'report" \
	"$BIDRAG" ledger document kompetens-2026 invoice -o "$T/x.pdf" --as gun
if command -v pdftotext >/dev/null; then
	pdftotext -layout "$T/kk-req.pdf" "$T/kk-req.txt" && pdftotext -layout "$T/kk-rep.pdf" "$T/kk-rep.txt"
	dnr=$(sed -n 's/^diarienummer = //p' "$BIDRAG_SRC/data/programs/kompetens-2026.ini")
	if python3 - "$T/ledger.csv" "$T/kk-req.txt" "$T/kk-rep.txt" "$dnr" <<'EOF'; then
import csv, re, sys
rows = {r["item"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
req, rep, dnr = open(sys.argv[2]).read(), open(sys.argv[3]).read(), sys.argv[4]
def amount(text, label):
    m = re.search(re.escape(label) + r"\s+(-?[\d\s\u00a0]+(?:,\d\d)?) kr", text)
    assert m, label
    v = m.group(1).replace(" ", "").replace("\u00a0", "")
    kr, _, ore = v.partition(",")
    return int(kr) * 100 + (int(ore) if ore else 0) * (-1 if kr.startswith("-") else 1)
items = [k for k in rows if k != "total"]
want_req = sum(int(rows[k]["decided_ore"]) + int(rows[k]["own_cost_ore"]) for k in items)
want_rep = sum(int(rows[k]["amount_ore"]) - int(rows[k]["paid_ore"]) + int(rows[k]["repaid_ore"])
               - int(rows[k]["own_cost_ore"]) for k in items)
assert amount(req, "Summa att rekvirera") == want_req, (amount(req, "Summa att rekvirera"), want_req)
assert amount(rep, "Summa att återbetala") == want_rep, (amount(rep, "Summa att återbetala"), want_rep)
flat = lambda t: " ".join(t.split())
assert dnr in flat(req) and dnr in flat(rep), "the diarienummer"
assert "1 december 2026" in req, "the Kammarkollegiet date"
EOF
		ok "Kammarkollegiet's documents: the ledger's sums and the diarienummer"
	else
		bad "Kammarkollegiet's documents"
	fi
else
	skip_part "the PDFs' text (pdftotext missing)"
fi

# over HTTP: the API's balances are the command line's; the page and the
# own-cost form as a handläggare (CSRF), refused to an ombud
th=$("$BIDRAG" token create hanna --name api) && tr=$("$BIDRAG" token create rita --name api --org 01) ||
	bad "tokens"
echo ett-langt-losenord | "$BIDRAG" user add helga --name "Helga Handläggare" >/dev/null &&
	"$BIDRAG" user role helga handlaggare >/dev/null || bad "a handläggare with a password"
"$BIDRAG" serve --listen 127.0.0.1:0 >"$T/serve.out" 2>"$T/serve.log" &
pid=$!
i=0
while [ ! -s "$T/serve.out" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
base=$(sed -n 's/^listening on //p' "$T/serve.out")
[ -n "$base" ] && ok "server at $base" || bad "server started"
api() { # api TOKEN PATH: the status, the body in $T/api
	curl -s -o "$T/api" -w '%{http_code}' -H "Authorization: Bearer $1" "$base$2"
}
[ "$(api "$th" /api/v1/programs/kompetens-2026/ledger)" = 200 ] && ok "API: the ledger" ||
	bad "API ledger: $(cat "$T/api")"
if python3 - "$T/api" "$T/ledger.csv" <<'EOF'; then ok "API: the same balances as the command line"; else bad "API balances"; fi
import csv, json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
rows = {r["item"]: r for r in csv.DictReader(open(sys.argv[2], encoding="utf-8"))}
assert j["diarienummer"] and j["own_cost_item"] == "12" and not j["problems"], j["problems"]
for it in j["items"]:
    for f in ("amount_ore", "allocated_ore", "decided_ore", "paid_ore", "repaid_ore", "own_cost_ore", "available_ore"):
        assert it[f] == int(rows[it["item"]][f]), (it["item"], f)
for f in ("paid_ore", "available_ore"):
    assert j["total"][f] == int(rows["total"][f]), f
assert sum(1 for b in j["bookings"] if b["kind"] == "own_cost") == 3
EOF
[ "$(api "$tr" /api/v1/programs/kompetens-2026/ledger)" = 403 ] && ok "API: an ombud reads no ledger" ||
	bad "API ombud: $(cat "$T/api")"
[ "$(api "$th" /api/v1/programs/nothing-such/ledger)" = 404 ] && ok "API: an unknown program is 404" ||
	bad "API unknown: $(cat "$T/api")"
curl -s -c "$T/jar" -b "$T/jar" -o /dev/null "$base/login"
login_csrf=$(sed -n 's/.*csrf_pre\t//p' "$T/jar")
curl -s -c "$T/jar" -b "$T/jar" -o /dev/null --data-urlencode "login=helga" \
	--data-urlencode "password=ett-langt-losenord" --data-urlencode "csrf=$login_csrf" "$base/login"
code=$(curl -s -b "$T/jar" -o "$T/page.html" -w '%{http_code}' "$base/programs/kompetens-2026/anslag")
[ "$code" = 200 ] && grep -q 'Anslagsredovisning' "$T/page.html" && grep -q 'name="csrf"' "$T/page.html" &&
	ok "page: the ledger with the own-cost form" || bad "page $code"
csrf=$(grep -o 'name="csrf" value="[^"]*"' "$T/page.html" | head -1 | sed 's/.*value="//; s/"$//')
code=$(curl -s -b "$T/jar" -o "$T/post.html" -w '%{http_code}' --data-urlencode "csrf=$csrf" \
	--data-urlencode "item=12" --data-urlencode "amount=50000,01" --data-urlencode "text=Över taket" \
	"$base/programs/kompetens-2026/anslag")
[ "$code" -ge 400 ] && [ "$code" -lt 500 ] && ok "page: past the cap is refused ($code)" || bad "post over cap $code"
code=$(curl -s -b "$T/jar" -o "$T/post.html" -w '%{http_code}' --data-urlencode "csrf=$csrf" \
	--data-urlencode "item=12" --data-urlencode "amount=-100,25" --data-urlencode "text=Kreditnota" \
	"$base/programs/kompetens-2026/anslag")
{ [ "$code" = 303 ] || [ "$code" = 302 ]; } && ok "page: a correction booked ($code)" || bad "post correction $code"
code=$(curl -s -b "$T/jar" -o "$T/post.html" -w '%{http_code}' --data-urlencode "csrf=$csrf" \
	--data-urlencode "item=12" --data-urlencode "amount=tusen" --data-urlencode "text=x" \
	"$base/programs/kompetens-2026/anslag")
[ "$code" = 400 ] && ok "page: a bad amount is 400" || bad "post bad amount $code"
code=$(curl -s -b "$T/jar" -o "$T/l2.csv" -w '%{http_code}' "$base/programs/kompetens-2026/anslag.csv")
[ "$code" = 200 ] && grep -q "^12,.*,$((own - 10025))," "$T/l2.csv" && ok "page: the CSV with the correction" ||
	bad "csv over http $code: $(head -4 "$T/l2.csv")"
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
expect_ok "audit verify after HTTP" "$BIDRAG" audit verify
finish
