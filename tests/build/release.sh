# release.sh CC DIR - the whole tree, tests included, configured and built
# as a packager does: CMAKE_BUILD_TYPE=Release (-O3 -DNDEBUG) with the
# compiler CC and the project's -Werror, in DIR (kept, so later runs are
# incremental). Catches what only the optimiser warns about. Skipped when
# CC is not installed (a failure under CI=true).
. "$BIDRAG_SRC/tests/cli/lib.sh"
cc=$1
dir=$2
command -v "$cc" >/dev/null 2>&1 || skip "$cc is not installed"
command -v ninja >/dev/null 2>&1 || skip "ninja is not installed"
if CC=$cc cmake -S "$BIDRAG_SRC" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >"$T/conf" 2>&1; then
	ok "configure Release with $cc"
else
	bad "configure Release with $cc"
	tail -20 "$T/conf" | sed 's/^/    /'
	finish
fi
jobs=$(nproc 2>/dev/null || echo 2)
if cmake --build "$dir" -j "$jobs" >"$T/build" 2>&1; then
	ok "build Release with $cc (-O3, -Werror, tests included)"
else
	bad "build Release with $cc"
	grep -E -A3 'error|FAILED' "$T/build" | head -40 | sed 's/^/    /'
fi
finish
