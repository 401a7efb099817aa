# test_po.sh - the English gettext catalog is valid (msgfmt --check), has
# no fuzzy or untranslated entries, and holds every text the sources mark
# with T(r, "...") (xgettext).
. "$BIDRAG_SRC/tests/cli/lib.sh"
PO="$BIDRAG_SRC/po/en.po"
if ! command -v msgfmt >/dev/null || ! command -v xgettext >/dev/null; then
	skip "gettext tools missing (scripts/install-deps installs them)"
fi
if msgfmt --check --statistics -o /dev/null "$PO" 2>"$T/stat"; then ok "msgfmt --check"; else
	bad "msgfmt --check"
	sed 's/^/    /' "$T/stat"
fi
grep -Eq 'fuzzy|untranslated' "$T/stat" && bad "fuzzy or untranslated: $(cat "$T/stat")" || ok "all translated"
xgettext --from-code=UTF-8 --language=C --keyword=T:2 --no-wrap -o "$T/x.pot" "$BIDRAG_SRC"/src/web/*.c
msgcmp "$PO" "$T/x.pot" 2>"$T/cmp" && ok "every T() text is in po/en.po" || {
	bad "texts missing from po/en.po (run make po)"
	head -5 "$T/cmp" | sed 's/^/    /'
}
finish
