#!/bin/sh
# Paddle models without weights (tests/gen/paddle_noweights.py): Paddle 3
# writes no .pdiparams for a program with no persistable variable, so each
# fixture is a program file alone.  Every one, in both formats -- the
# ProgramDesc .pdmodel and the PIR model.json -- must convert, run in the
# real OpenVINO Runtime and match Paddle's own outputs.
#
# Then the other side: a program that does read persistable variables,
# with its .pdiparams taken away, must fail with one [ ERROR ] line that
# names the first variable (in the file's sorted order) and the file
# expected, a non-zero exit and no output files.
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime
scratch
FX="$top_srcdir/tests/fixtures/paddle_noweights"

n=0
for d in "$FX"/*/; do
    m=$(basename "$d")
    for f in legacy/model.pdmodel pir/model.json; do
        [ ! -e "$d${f%%/*}/model.pdiparams" ] || fail "$m ($f): the fixture has a .pdiparams"
        out="$T/$m-${f%%/*}"
        convert_ok "$m ($f)" "$d$f" "$out"
        echo "$m ($f):"
        run_ir "$out/model.xml" "$d/inputs.npz" "$d/reference.npz" --rtol 1e-4 ||
            fail "$m ($f): IR output differs from Paddle's"
        n=$((n + 1))
    done
done
[ "$n" -ge 20 ] || fail "only $n weightless conversions under $FX"
echo "PASS: $n weightless Paddle conversions match Paddle"

# missing_params NAME PROGRAM FIRST: PROGRAM (copied alone into $T) fails
# naming variable FIRST and the .pdiparams beside the copy
missing_params() {
    mkdir -p "$T/$1"
    cp "$2" "$T/$1/"
    prog="$T/$1/$(basename "$2")"
    want="${prog%.*}.pdiparams"
    out="$T/out-$1"
    if "$MO" --input_model "$prog" --output_dir "$out" >"$T/log" 2>&1; then
        cat "$T/log"; fail "$1: converted although its parameters are missing"
    fi
    grep '^\[ ERROR \]' "$T/log" | grep -v 'For more information see' >"$T/errs"
    [ "$(wc -l <"$T/errs")" -eq 1 ] || { cat "$T/log"; fail "$1: expected one [ ERROR ] line"; }
    grep -Fq "'$3' first" "$T/errs" || { cat "$T/log"; fail "$1: the error does not name '$3'"; }
    grep -Fq "'$want'" "$T/errs" || { cat "$T/log"; fail "$1: the error does not name '$want'"; }
    if [ -d "$out" ] && [ -n "$(ls -A "$out")" ]; then
        fail "$1: left files behind: $(ls "$out")"
    fi
    echo "ok $1: $(cat "$T/errs")"
}
# The classify fixture's first persistable variable in sorted order (the
# order Paddle writes them), the same in both formats; for PIR it is also
# derived from the parameter ops ({"#":"p","A":[..., NAME]}) of the file.
W="$top_srcdir/tests/fixtures/paddle/classify"
first=batch_norm2d_0.b_0
grep -Fq "$first" "$W/legacy/model.pdmodel" || fail "'$first' is not in classify's program"
pir_first=$(grep -o '{"#":"p","A":\[[^]]*\]' "$W/pir/model.json" |
            sed 's/.*,"\([^"]*\)"\]$/\1/' | LC_ALL=C sort | head -n 1)
[ "$pir_first" = "$first" ] || fail "classify's first PIR parameter is '$pir_first', not '$first'"
missing_params missing-params-legacy "$W/legacy/model.pdmodel" "$first"
missing_params missing-params-pir "$W/pir/model.json" "$first"

# A weightless program beside a parameter file: an empty one is accepted
# (nothing to read), one holding data belongs to another program.
E="$T/empty-params"
mkdir -p "$E"
cp "$FX/relu/pir/model.json" "$E/"
: >"$E/model.pdiparams"
convert_ok "relu with an empty model.pdiparams" "$E/model.json" "$E/out"
run_ir "$E/out/model.xml" "$FX/relu/inputs.npz" "$FX/relu/reference.npz" --rtol 1e-4 ||
    fail "relu with an empty model.pdiparams differs from Paddle"
X="$T/foreign-params"
mkdir -p "$X"
cp "$FX/relu/legacy/model.pdmodel" "$X/"
cp "$W/legacy/model.pdiparams" "$X/"
if "$MO" --input_model "$X/model.pdmodel" --output_dir "$X/out" >"$T/log" 2>&1; then
    cat "$T/log"; fail "relu with classify's model.pdiparams converted"
fi
grep -q "^\[ ERROR \].*model.pdiparams' holds more data than the 0 parameters" "$T/log" ||
    { cat "$T/log"; fail "relu with classify's model.pdiparams: unclear error"; }
[ ! -e "$X/out" ] || [ -z "$(ls -A "$X/out")" ] || fail "foreign-params: left files behind"
echo "ok foreign-params: $(grep '^\[ ERROR \]' "$T/log" | head -n 1)"
echo "PASS: weightless Paddle programs convert, a missing .pdiparams is named"
