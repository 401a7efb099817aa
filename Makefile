# Bidrag - the two commands of the README, and a few helpers.
#   make run   install missing Debian packages, build, create var/bidrag.db, run
#   make test  install, build (normal and ASan+UBSan+fuzz), run the whole suite
.POSIX:
BUILD    ?= build
BUILD_SAN ?= build-asan
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
DB       ?= var/bidrag.db

all: build

deps:
	@scripts/install-deps

build: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

build-san: deps
	@CC=clang cmake -S . -B $(BUILD_SAN) -G Ninja -DCMAKE_BUILD_TYPE=Debug \
		-DBIDRAG_SANITIZE=ON -DBIDRAG_FUZZ=ON >/dev/null
	@cmake --build $(BUILD_SAN) -j $(JOBS)

run: build
	@scripts/run-demo $(BUILD)/bidrag $(DB)

test: build build-san
	@echo "== tests, normal build"
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@echo "== tests, ASan+UBSan build (with libFuzzer targets; the browser tests ran above)"
	@cd $(BUILD_SAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --output-on-failure -j $(JOBS) -LE browser

format:
	@clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h' 'bench/*.c' 'tools/*.c')

# The house rules the compilers do not check (also a ctest, check/checksrc).
checksrc:
	@perl tools/checksrc.pl

format-check:
	@clang-format --dry-run --Werror $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h' 'bench/*.c' 'tools/*.c')

# Refresh the gettext catalog from the sources: new texts appear in
# po/en.po with an empty translation for a translator to fill in; texts
# passed to T() through a variable (labels, error pages) are kept. The
# markers: T(r, "...") on pages, M_("...") for a message key (util/msg.h)
# and N_("...") for a label kept in a table, anywhere under src/.
po:
	@xgettext --from-code=UTF-8 --language=C --keyword=T:2 --keyword=M_ --keyword=N_ \
		--no-wrap --sort-output --package-name=bidrag -o po/bidrag.pot \
		$$(git ls-files 'src/*.c' 'src/*.h')
	@msgcat --use-first --no-wrap --sort-output -o po/en.po.new po/en.po po/bidrag.pot
	@mv po/en.po.new po/en.po
	@msgfmt --check --statistics -o /dev/null po/en.po

clean:
	rm -rf $(BUILD) $(BUILD_SAN)

.PHONY: all deps build build-san run test checksrc format format-check po clean
