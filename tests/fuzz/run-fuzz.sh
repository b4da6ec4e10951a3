#!/bin/sh
# run-fuzz.sh SECONDS HARNESS... - `make fuzz` in a --enable-fuzzing build:
# run each harness tests/fuzz/fuzz_H for SECONDS seconds with its seeds
# (seeds.sh) and dictionary (tests/fuzz/H.dict when there is one).
#   fuzz-corpus/H/   the corpus, kept between runs (new inputs land here)
#   fuzz-crashes/H/  crash-*, leak-*, timeout-*, oom-* inputs libFuzzer found
#   fuzz-logs/H.log  libFuzzer's output
# Prints per harness: executions, exec/s, cov and ft (libFuzzer's final
# coverage counters), corpus size; fails if any harness found something.
# Every crash is a bug: fix it, then copy the input to tests/fuzz/regress/H/.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
secs=$1
shift
b=$top_builddir
mkdir -p "$b/fuzz-logs"
fail=0
printf '%-11s %10s %8s %7s %7s %7s  %s\n' harness execs exec/s cov ft corpus result
for h in "$@"; do
    bin=$b/tests/fuzz/fuzz_$h
    corpus=$b/fuzz-corpus/$h
    seeds=$b/fuzz-seeds/$h
    crashes=$b/fuzz-crashes/$h
    log=$b/fuzz-logs/$h.log
    rm -rf "$seeds"
    mkdir -p "$corpus" "$crashes"
    top_srcdir=$top_srcdir sh "$top_srcdir/tests/fuzz/seeds.sh" "$h" "$seeds" >/dev/null || exit 2
    dict=
    test -f "$top_srcdir/tests/fuzz/$h.dict" && dict=-dict=$top_srcdir/tests/fuzz/$h.dict
    before=$(ls "$crashes" | wc -l)
    # -timeout: an input running 10 s is a hang; -max_len: the seeds are
    # at most 64 KiB (seeds.sh); -print_final_stats for the figures below
    "$bin" -max_total_time="$secs" -timeout=10 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="$crashes/" $dict "$corpus" "$seeds" >"$log" 2>&1
    rc=$?
    after=$(ls "$crashes" | wc -l)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    last=$(grep -E '^#[0-9]+' "$log" | grep ' cov: ' | tail -1)
    cov=$(printf '%s\n' "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
    ft=$(printf '%s\n' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
    size=$(ls "$corpus" | wc -l)
    result=ok
    if test "$rc" -ne 0 || test "$after" -gt "$before"; then
        result="FOUND $((after - before)) new input(s) in $crashes (exit $rc; see $log)"
        fail=1
    fi
    printf '%-11s %10s %8s %7s %7s %7s  %s\n' "$h" "${execs:-?}" "${rate:-?}" "${cov:-?}" \
        "${ft:-?}" "$size" "$result"
done
exit $fail
