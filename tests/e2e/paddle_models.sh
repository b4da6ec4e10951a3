#!/bin/sh
# Every Paddle fixture (tests/gen/paddle_models.py), in both formats -- the
# ProgramDesc .pdmodel and Paddle 3's PIR model.json -- converted by mo, run
# in the real OpenVINO Runtime and compared with Paddle's own outputs.
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime
scratch
FX="$top_srcdir/tests/fixtures/paddle"
n=0
for d in "$FX"/*/; do
    m=$(basename "$d")
    for f in legacy/model.pdmodel pir/model.json; do
        out="$T/$m-${f%%/*}"
        "$MO" --input_model "$d$f" --output_dir "$out" >"$T/log" 2>&1 ||
            { cat "$T/log"; fail "$m ($f) did not convert"; }
        for e in xml bin mapping; do
            [ -s "$out/model.$e" ] || fail "$m ($f): model.$e missing"
        done
        echo "$m ($f):"
        run_ir "$out/model.xml" "$d/inputs.npz" "$d/reference.npz" --rtol 1e-4 ||
            fail "$m ($f): IR output differs from Paddle's"
        n=$((n + 1))
    done
done
[ "$n" -gt 0 ] || fail "no fixtures under $FX"
echo "PASS: $n Paddle conversions match Paddle"
