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
    out="$T/out-$name"
    mkdir -p "$out"
    n=$((n + 1))
    "$MO" --input_model "$d/model-0000.params" --output_dir "$out" > "$T/stdout" 2> "$T/stderr"
    st=$?
    if [ $st -eq 0 ]; then
        echo "FAIL: $name: converted (exit 0)"; rc=1; continue
    fi
    if [ $st -ge 126 ]; then
        echo "FAIL: $name: crashed (exit $st)"; cat "$T/stderr"; rc=1; continue
    fi
    if grep -q 'Sanitizer\|runtime error:' "$T/stderr"; then
        echo "FAIL: $name: sanitizer report"; cat "$T/stderr"; rc=1; continue
    fi
    if [ -n "$(ls -A "$out")" ]; then
        echo "FAIL: $name: left files in the output directory: $(ls -A "$out")"; rc=1; continue
    fi
    # one error line (plus the FAQ pointer MO prints after it)
    grep '^\[ ERROR \]' "$T/stderr" | grep -v 'For more information see' > "$T/errs"
    errs=$(wc -l < "$T/errs")
    if [ "$errs" -ne 1 ]; then
        echo "FAIL: $name: expected one [ ERROR ] line, got $errs:"; cat "$T/stderr"; rc=1; continue
    fi
    line=$(cat "$T/errs")
    ok=1
    while IFS= read -r want; do
        [ -z "$want" ] && continue
        case "$line" in
            *"$want"*) ;;
            *) echo "FAIL: $name: error lacks '$want': $line"; ok=0 ;;
        esac
    done < "$d/expect"
    if [ $ok = 1 ]; then
        echo "ok: $name: $line"
    else
        rc=1
    fi
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
