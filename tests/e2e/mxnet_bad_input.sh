#!/bin/sh
# mxnet_bad_input.sh - broken MXNet models must fail with one clear error and no output.
# Each case in tests/fixtures/mxnet/bad/ holds model-symbol.json, model-0000.params
# and `expect`: substrings the error line must contain, one per line.
. "$top_srcdir/tests/e2e/lib.sh"
scratch
BAD="$top_srcdir/tests/fixtures/mxnet/bad"
[ -d "$BAD" ] || fail "no corpus in $BAD (run tests/gen/mxnet_models.py)"
rc=0
n=0
for d in "$BAD"/*/; do
    d=${d%/}
    name=$(basename "$d")
    n=$((n + 1))
    bad_case "$name" "$d/model-0000.params" "$d/expect" "$T/out-$name" || rc=1
done
[ $n -gt 0 ] || fail "empty corpus"
# option misuse: the three merge options go together
mkdir -p "$T/opt"
if "$MO" --input_symbol "$BAD/unknown_ops/model-symbol.json" --nd_prefix_name x --framework mxnet \
        --output_dir "$T/opt" > /dev/null 2> "$T/stderr"; then
    echo "FAIL: --nd_prefix_name without --pretrained_model_name converted"; rc=1
elif ! grep -q 'pretrained_model_name' "$T/stderr"; then
    echo "FAIL: --nd_prefix_name alone: unclear error:"; cat "$T/stderr"; rc=1
else
    echo "ok: option check: $(grep '^\[ ERROR \]' "$T/stderr")"
fi
exit $rc
