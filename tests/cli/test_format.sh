# test_format.sh - the C sources are clang-format clean (repo .clang-format).
# Skipped (a failure under CI=true) without clang-format or outside a git
# checkout.
. "$BIDRAG_SRC/tests/cli/lib.sh"
cd "$BIDRAG_SRC" || exit 1
if ! command -v clang-format >/dev/null || ! git rev-parse --git-dir >/dev/null 2>&1; then
	skip "clang-format or git missing, or not a git checkout"
fi
files=$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h' 'bench/*.c' 'tools/*.c')
if clang-format --dry-run --Werror $files >"$T/fmt" 2>&1; then ok "clang-format clean"; else
	bad "clang-format: run 'make format'"
	grep -o '^[^:]*' "$T/fmt" | sort -u | head
fi
finish
