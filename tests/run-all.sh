#!/bin/sh
# The whole test suite, as CI runs it, from a fresh clone:
#   1. dependencies (tests/install-deps.sh),
#   2. build in build/ and `make check` (Check unit suites + conversions run
#      in the real OpenVINO Runtime),
#   3. the same suite under AddressSanitizer + UndefinedBehaviorSanitizer,
#   4. `make distcheck`.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jobs=$(nproc 2>/dev/null || echo 2)
export MO_VENV_DIR="${MO_VENV_DIR:-$top/.venv}"
export MO_REQUIRE_RUNTIME=1   # a missing runtime is a failure here, never a skip

tests/install-deps.sh
[ -x configure ] || ./autogen.sh

step() { printf '\n===== %s =====\n' "$*"; }
show_failures() { # print the logs of failed tests so CI output explains itself
    for f in $(grep -l -E '^:test-result: (FAIL|ERROR)' $(find "$1" -name '*.trs') 2>/dev/null); do
        echo "----- ${f%.trs}.log"; cat "${f%.trs}.log"
    done
}

step "build + make check"
mkdir -p build/normal && cd build/normal
[ -f Makefile ] || "$top/configure" -q
make -j"$jobs" >/dev/null
make -j"$jobs" check || { show_failures .; exit 1; }
cd "$top"

step "sanitizers (ASan + UBSan): build + make check"
mkdir -p build/san && cd build/san
[ -f Makefile ] || "$top/configure" -q --enable-sanitizers
make -j"$jobs" >/dev/null
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    make -j"$jobs" check || { show_failures .; exit 1; }
cd "$top"

step "make distcheck"
cd build/normal
make -j"$jobs" distcheck >distcheck.log 2>&1 || { tail -80 distcheck.log; show_failures .; exit 1; }
grep -E 'archives ready|ready for distribution' distcheck.log || true
cd "$top"
# one closing line over the normal and the sanitizer runs
passed=$(cat build/normal/tests/*/*.trs build/normal/tests/*.trs build/san/tests/*/*.trs 2>/dev/null |
         grep -c '^:test-result: PASS' || true)
failed=$(cat build/normal/tests/*/*.trs build/san/tests/*/*.trs 2>/dev/null |
         grep -c -E '^:test-result: (FAIL|ERROR|XPASS)' || true)
echo "tests: $passed passed, $failed failed"
