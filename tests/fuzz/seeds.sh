#!/bin/sh
# seeds.sh HARNESS OUTDIR - write the seed corpus of one fuzz harness into
# OUTDIR, built from the test fixtures (tests/fixtures/**) so that no copy
# of them is committed, plus the hand-written seeds of tests/fuzz/seeds/
# and the regression inputs of tests/fuzz/regress/.  Files over 64 KiB are
# left out: big seeds only slow the fuzzer down.  Harnesses that read two
# files get the pair joined by the separator line of fuzz.h.
# Needs top_srcdir (the source tree) in the environment, or runs from it.
set -eu
h=$1
out=$2
src=${top_srcdir:-.}
fx=$src/tests/fixtures
max=65536
mkdir -p "$out"
n=0

small() { test -f "$1" && test "$(wc -c < "$1")" -le "$max"; }
# seed NAME FILE [SECOND]: FILE, or FILE + separator + SECOND
seed() {
    name=$(printf '%s' "$1" | tr '/' '_')
    if test $# -ge 3; then
        { cat "$2"; printf '\n#mo-fuzz-next-file#\n'; cat "$3"; } > "$out/$name"
    else
        cat "$2" > "$out/$name"
    fi
    if small "$out/$name"; then n=$((n + 1)); else rm -f "$out/$name"; fi
}

case $h in
mx_symbol)
    for s in $(find "$fx" -name '*-symbol.json' | sort); do
        p=${s%-symbol.json}-0000.params
        rel=${s#"$fx"/}
        seed "$rel" "$s"
        test -f "$p" && seed "$rel+params" "$s" "$p"
    done ;;
mx_ndarray)
    for f in $(find "$fx" -name '*.params' -o -name '*.nd' | sort); do
        seed "${f#"$fx"/}" "$f"
    done ;;
pd_program)
    for f in $(find "$fx" -name '*.pdmodel' | sort); do
        p=${f%.pdmodel}.pdiparams
        if test -f "$p"; then seed "${f#"$fx"/}" "$f" "$p"; else seed "${f#"$fx"/}" "$f"; fi
    done ;;
pd_pir)
    for f in $(find "$fx" -path '*/pir/*.json' | sort); do
        p=${f%.json}.pdiparams
        if test -f "$p"; then seed "${f#"$fx"/}" "$f" "$p"; else seed "${f#"$fx"/}" "$f"; fi
    done ;;
pd_params)
    # the first byte declares how many variables to read (see pd_params.c);
    # a few counts per file, the fuzzer finds the rest
    for f in $(find "$fx" -name '*.pdiparams' | sort); do
        for c in 01 03 08 3f 41 81; do
            name=$(printf '%s' "${f#"$fx"/}.$c" | tr '/' '_')
            { printf "\\$(printf '%03o' "0x$c")"; cat "$f"; } > "$out/$name"
            if small "$out/$name"; then n=$((n + 1)); else rm -f "$out/$name"; fi
        done
    done ;;
options)
    for f in $(find "$fx" -name mo_args | sort); do
        seed "${f#"$fx"/}" "$f"
    done ;;
mapping) ;;
tcfg) ;;   # the hand-written seeds of tests/fuzz/seeds/tcfg
npz)
    # every .npz of the fixtures: inputs, references, the reader's own
    for f in $(find "$fx" -name '*.npz' | sort); do
        seed "${f#"$fx"/}" "$f"
    done ;;
pb_wire)
    # protobuf files of the fixtures, under each rule table (first byte)
    for f in $(find "$fx" -name '*.pdmodel' | sort); do
        for t in 0 1 2; do
            name=$(printf '%s' "${f#"$fx"/}.$t" | tr '/' '_')
            { printf "\\$(printf '%03o' "$t")"; cat "$f"; } > "$out/$name"
            if small "$out/$name"; then n=$((n + 1)); else rm -f "$out/$name"; fi
        done
    done ;;
onnx_model)
    # every fixture model, the broken ones included (external data: its
    # descriptors parse, its file is never found: see onnx_model.c)
    for f in $(find "$fx" -name '*.onnx' | sort); do
        seed "${f#"$fx"/}" "$f"
    done ;;
pb_text) ;;   # the hand-written seeds of tests/fuzz/seeds/pb_text
tf_graph)
    # every fixture graph, binary and text
    for f in $(find "$fx" -name '*.pb' -o -name '*.pbtxt' | sort); do
        seed "${f#"$fx"/}" "$f"
    done ;;
tf_checkpoint)
    # every fixture checkpoint: its index, then its first shard
    for f in $(find "$fx" -name '*.index' | sort); do
        seed "${f#"$fx"/}" "$f" "${f%.index}.data-00000-of-00001"
    done ;;
caffe_model)
    # every fixture model: its prototxt, then its caffemodel
    for f in $(find "$fx" -name 'model.caffemodel' | sort); do
        seed "${f#"$fx"/}" "${f%.caffemodel}.prototxt" "$f"
    done ;;
kaldi_model)
    for f in $(find "$fx/kaldi" -name 'model.*' | sort); do
        seed "${f#"$fx"/}" "$f"
    done ;;
*)
    echo "seeds.sh: unknown harness '$h'" >&2
    exit 2 ;;
esac
for d in "$src/tests/fuzz/seeds/$h" "$src/tests/fuzz/regress/$h"; do
    test -d "$d" || continue
    for f in "$d"/*; do
        test -f "$f" && cp "$f" "$out/" && n=$((n + 1))
    done
done
echo "$h: $n seed(s) in $out"
