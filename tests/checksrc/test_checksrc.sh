# test_checksrc.sh - tools/checksrc.pl finds what it should and nothing
# else: the fixture tree bad/ breaks every rule (and has a stale and a
# malformed allowlist line); the violations it must report are listed by
# hand in bad/expected. The tree good/ keeps the rules and must pass. And
# the compilers refuse a dropped ERR_MUST_CHECK result.
. "$BIDRAG_SRC/tests/cli/lib.sh"
here="$BIDRAG_SRC/tests/checksrc"
check="$BIDRAG_SRC/tools/checksrc.pl"

if perl "$check" --root "$here/bad" >"$T/bad.out" 2>"$T/bad.err"; then
	bad "bad/ passes checksrc"
else
	ok "bad/ fails checksrc"
fi
sed 's/^\([^:]*:[0-9]*\): .*\(\[[a-z-]*\]\)$/\1 \2/' "$T/bad.out" | LC_ALL=C sort >"$T/got"
LC_ALL=C sort "$here/bad/expected" >"$T/want"
expect_same "bad/: exactly the expected violations" "$T/want" "$T/got"
grep -q "^src/web/page.c:14: 'strcpy' is banned (use str_copy) \[banned\]$" "$T/bad.out" &&
	ok "message names file, line, function and remedy" || bad "message form"
grep -q "'store-call src/web/page.c:gone' no longer occurs" "$T/bad.out" &&
	ok "stale allowlist entry named" || bad "stale allowlist entry named"
grep -q "page.c:4[0-9]:.*store-call" "$T/bad.out" && bad "allowlisted function reported" ||
	ok "allowlisted function not reported"

if perl "$check" --root "$here/good" >"$T/good.out" 2>&1 && ! grep -q '\[' "$T/good.out"; then
	ok "good/ passes checksrc"
else
	bad "good/ fails checksrc"
	sed 's/^/    /' "$T/good.out"
fi

# ERR_MUST_CHECK is a compiler error when a result is dropped, with a
# (void) cast too under gcc (clang accepts the cast: checksrc's void-result)
cat >"$T/drop.c" <<'CEOF'
#include "store/store.h"
int drop(struct store *s);
int drop(struct store *s)
{
    store_begin(s);
    return 0;
}
CEOF
sed 's/    store_begin(s);/    (void)store_begin(s);/' "$T/drop.c" >"$T/drop_void.c"
for cc in gcc clang; do
	if ! command -v $cc >/dev/null 2>&1; then
		skip_part "$cc is not installed"
		continue
	fi
	if $cc -std=c17 -Werror -Wall -c -o "$T/drop.o" -I"$BIDRAG_SRC/src" "$T/drop.c" 2>"$T/cc.err"; then
		bad "$cc accepts a dropped store_begin result"
	elif grep -q "warn_unused_result\|unused-result" "$T/cc.err"; then
		ok "$cc refuses a dropped store_begin result"
	else
		bad "$cc fails for another reason"
		head -5 "$T/cc.err" | sed 's/^/    /'
	fi
done
if command -v gcc >/dev/null 2>&1; then
	gcc -std=c17 -Werror -Wall -c -o "$T/drop.o" -I"$BIDRAG_SRC/src" "$T/drop_void.c" 2>/dev/null &&
		bad "gcc accepts (void)store_begin()" || ok "gcc refuses (void)store_begin() too"
fi
finish
