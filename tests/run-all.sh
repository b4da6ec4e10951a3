#!/bin/sh
# The whole test suite, as CI runs it, from a fresh clone:
#   1. dependencies (tests/install-deps.sh),
#   2. build in build/normal and `make check` (Check unit suites +
#      conversions run in the real OpenVINO Runtime),
#   3. the same suite under AddressSanitizer + UndefinedBehaviorSanitizer
#      in build/san,
#   4. `make distcheck`.
# Build directories are reused, so a second run in the same tree rebuilds
# only what changed and runs every test again.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jobs=$(nproc 2>/dev/null || echo 2)
export MO_VENV_DIR="${MO_VENV_DIR:-$top/.venv}"
export MO_REQUIRE_RUNTIME=1   # a missing runtime is a failure here, never a skip

tests/install-deps.sh

step() { printf '\n===== %s =====\n' "$*"; }
show_failures() { # print the logs of failed tests so CI output explains itself
    for f in $(grep -l -E '^:test-result: (FAIL|ERROR)' $(find "$1" -name '*.trs') 2>/dev/null); do
        echo "----- ${f%.trs}.log"; cat "${f%.trs}.log"
    done
}

# src: the tree configure runs from; out: where the build directories go
src=$top
out=$top/build
if [ -f "$top/config.status" ]; then
    # ./configure was run in the source directory itself; autoconf then
    # refuses every other build of that directory.  Test a pristine copy of
    # the working tree instead (the files git would commit: tracked ones as
    # they are now, and new ones not ignored), leaving the in-place build alone.
    if ! git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
        echo "run-all.sh: $top is configured in place (config.status) and is not a git checkout;" \
             "run 'make distclean' there first" >&2
        exit 1
    fi
    step "source directory configured in place: testing a copy of it in build/copy/src"
    out=$top/build/copy
    src=$out/src
    rm -rf "$src"
    mkdir -p "$src"
    # deleted but still tracked files are listed too: --ignore-failed-read skips them
    git -C "$top" ls-files -z --cached --others --exclude-standard |
        tar -C "$top" --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -C "$src" -xf -
    (cd "$src" && ./autogen.sh >/dev/null 2>&1)
fi
[ -x "$src/configure" ] || "$src/autogen.sh"

step "build + make check"
mkdir -p "$out/normal" && cd "$out/normal"
[ -f Makefile ] || "$src/configure" -q
make -j"$jobs" >/dev/null
make -j"$jobs" check || { show_failures .; exit 1; }

step "sanitizers (ASan + UBSan): build + make check"
mkdir -p "$out/san" && cd "$out/san"
[ -f Makefile ] || "$src/configure" -q --enable-sanitizers
make -j"$jobs" >/dev/null
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    make -j"$jobs" check || { show_failures .; exit 1; }

step "make distcheck"
cd "$out/normal"
make -j"$jobs" distcheck >distcheck.log 2>&1 || { tail -80 distcheck.log; show_failures .; exit 1; }
grep -E 'archives ready|ready for distribution' distcheck.log || true
# one closing line over the normal and the sanitizer runs, from the summaries
# of this run (stale .trs files of tests since removed are not counted)
count() { sed -n "s/^# $1: *//p" "$out/normal/test-suite.log" "$out/san/test-suite.log" |
          awk '{ n += $1 } END { print n + 0 }'; }
echo "tests: $(count PASS) passed, $(($(count FAIL) + $(count ERROR) + $(count XPASS))) failed"
