#!/bin/sh
# big_tf.sh - a frozen TensorFlow graph with 270 MB of weights, most of which
# must be changed on the way to the .bin (two 85 MB HWIO filters read as OIHW,
# one with a batch norm folded into it; a 100 MB MatMul weight is copied;
# tests/gen/big_tf.py, written at test time) converts inside a memory
# cgroup of 256 MiB with a peak RSS under 64 MiB, and the IR gives numpy's
# answer in OpenVINO.  What it guards: the lazy transposes of large mapped
# weights (core/lazy.c's windows), without which the filters become
# resident whole (109 MiB peak RSS for this model).  Skips (77) where
# big_memlimit.sh skips (no memory cgroup) or with under 1 GiB of disk.
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime
limit_mib=256 rss_max_mib=64
scratch
trap 'exit 1' INT TERM HUP  # so the EXIT trap removes the scratch directory
avail_kib=$(df -Pk "$T" | awk 'NR == 2 { print $4 }')
if [ "${avail_kib:-0}" -lt $((1024 * 1024)) ]; then
    echo "SKIP: $T's file system has $((${avail_kib:-0} / 1024)) MiB free; this test needs 1 GiB"
    exit 77
fi
MEMCG="$OV_PY $top_srcdir/tests/e2e/memcg.py"
probe=$($MEMCG probe) || { echo "SKIP: $probe"; exit 77; }
echo "$probe"
if ASAN_OPTIONS=help=1 "$MO" --version 2>&1 | grep -q AddressSanitizer; then
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=8:malloc_context_size=4"
    export ASAN_OPTIONS
    limit_mib=512
    echo "AddressSanitizer build: quarantine 8 MiB, limit $limit_mib MiB"
fi
t0=$(date +%s)
"$OV_PY" "$top_srcdir/tests/gen/big_tf.py" --out "$T/m" >"$T/gen.log" 2>&1 ||
    { cat "$T/gen.log"; fail "the model could not be generated"; }
cat "$T/gen.log"
$MEMCG run --limit-mib $limit_mib --label "mo" -- \
    "$MO" --input_model "$T/m/model.pb" --output_dir "$T/ir" >"$T/mo.log" 2>&1 ||
    { cat "$T/mo.log"; fail "mo failed in a $limit_mib MiB memory cgroup"; }
line=$(grep '^mo: ' "$T/mo.log")
echo "$line"
rss=$(printf '%s\n' "$line" | sed -n 's/.*peak RSS \([0-9.]*\) MiB.*/\1/p')
[ -n "$rss" ] || fail "no peak RSS in: $line"
awk -v r="$rss" -v m="$rss_max_mib" 'BEGIN { exit !(r < m) }' ||
    fail "peak RSS $rss MiB, over $rss_max_mib MiB: large transposed weights are not streamed"
run_ir "$T/ir/model.xml" "$T/m/inputs.npz" "$T/m/reference.npz" --rtol 1e-4 ||
    fail "the IR's outputs differ from numpy's"
echo
echo "PASS: 270 MB of transposed and folded TF weights converted in $rss MiB of RSS; $(($(date +%s) - t0)) s in all"
