# test_po.sh - the English gettext catalog is valid (msgfmt --check), has
# no fuzzy or untranslated (empty msgstr) entries, and holds every text
# the sources under src/ mark with T(r, "..."), M_("...") or N_("...")
# (xgettext).
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
# every marked text of src/ (the layers below web render messages too):
# T(r, "...") on pages, M_("...") message keys, N_("...") table labels
find "$BIDRAG_SRC/src" -name '*.[ch]' | sort >"$T/files"
xgettext --from-code=UTF-8 --language=C --keyword=T:2 --keyword=M_ --keyword=N_ --no-wrap \
	-o "$T/x.pot" -f "$T/files"
grep -q '^msgid "Kontrollsiffran stämmer inte för bankgironumret"' "$T/x.pot" &&
	ok "message keys of core are extracted" || bad "no M_() key of core/payacct.c extracted"
msgcmp "$PO" "$T/x.pot" 2>"$T/cmp" && ok "every marked text is in po/en.po" || {
	bad "texts missing from po/en.po (run make po)"
	head -5 "$T/cmp" | sed 's/^/    /'
}
finish
