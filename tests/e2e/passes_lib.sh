# passes_lib.sh - the option-test core shared by passes.sh (MXNet) and
# passes_paddle.sh (Paddle): sourced after lib.sh and scratch.  The caller
# sets MODEL (the --input_model file), INPUTS (the model input x the
# reference was computed on) and REF (the reference outputs); it may change
# them between cases (another format, a batch-tiled input).
PREP="$top_srcdir/tests/e2e/passes_prep.py"
n=0

# convert NAME TOL PREP-ARGS -- MO-ARGS: convert MODEL to $T/NAME/m.xml,
# preprocess INPUTS in numpy (passes_prep.py) the way the embedded
# preprocessing undoes, run the IR in OpenVINO, compare with REF.
convert() {
    name=$1 tol=$2
    shift 2
    prep=""
    while [ "$1" != "--" ]; do prep="$prep $1"; shift; done
    shift
    out="$T/$name"
    "$MO" --input_model "$MODEL" --output_dir "$out" --model_name m "$@" \
        >"$out.log" 2>&1 || { cat "$out.log"; fail "$name: conversion failed"; }
    # shellcheck disable=SC2086
    "$OV_PY" "$PREP" "$INPUTS" "$out/in.npz" $prep || fail "$name: preprocessing the input failed"
    run_ir "$out/m.xml" "$out/in.npz" "$REF" --rtol "$tol" --quiet ||
        fail "$name: IR output differs from the reference (tolerance $tol)"
    n=$((n + 1))
}
# layers NAME TYPE: how many layers of TYPE $T/NAME/m.xml has
layers() { grep -c "type=\"$2\"" "$T/$1/m.xml"; }
# all_layers NAME: how many layers $T/NAME/m.xml has
all_layers() { grep -c '<layer ' "$T/$1/m.xml"; }
# layer_name NAME TYPE: the name of the first layer of TYPE in $T/NAME/m.xml
layer_name() { sed -n "s/.*<layer [^>]*name=\"\\([^\"]*\\)\" type=\"$2\".*/\\1/p" "$T/$1/m.xml" | head -n 1; }

# bad FAQ MO-ARGS: a bad option -> numbered error, non-zero exit, nothing written
bad() {
    faq=$1
    shift
    d="$T/bad$n"
    n=$((n + 1))
    if "$MO" --input_model "$MODEL" --output_dir "$d" --model_name m "$@" >"$d.log" 2>&1; then
        fail "accepted: $*"
    fi
    grep -q "question #$faq\." "$d.log" || { cat "$d.log"; fail "$*: expected FAQ #$faq"; }
    [ -z "$(ls -A "$d" 2>/dev/null)" ] || fail "$*: files written: $(ls "$d")"
}
