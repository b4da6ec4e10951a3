#!/bin/sh
# caffe_bad_input.sh - broken Caffe models: each gives one clear [ ERROR ]
# line naming the file, layer or line and column, a non-zero exit, and no
# output file: a truncated caffemodel, a prototxt syntax error, a layer
# whose weights are missing, unknown layer types (all listed at once), a
# blob of the wrong shape, a blob whose values do not fill its shape, a
# missing prototxt, a bottom nobody produces, and a Python layer.
. "$top_srcdir/tests/e2e/lib.sh"
scratch
FIX="$top_srcdir/tests/fixtures/caffe"
good="$FIX/conv_basic/model.caffemodel"
[ -f "$good" ] || fail "no fixture $good"

# check NAME MODEL PROTO PATTERN [options...]: the conversion fails with
# exactly one [ ERROR ] line matching PATTERN and writes nothing
check() {
    name=$1 model=$2 pfile=$3 pat=$4
    shift 4
    out="$T/out-$name"
    if "$MO" --input_model "$model" --input_proto "$pfile" --output_dir "$out" "$@" >"$T/$name.log" 2>&1; then
        cat "$T/$name.log"
        fail "$name: converted"
    fi
    nerr=$(grep '\[ ERROR \]' "$T/$name.log" | grep -vc 'For more information' || true)
    [ "$nerr" -eq 1 ] || { cat "$T/$name.log"; fail "$name: $nerr [ ERROR ] lines (1 expected)"; }
    grep -m1 '\[ ERROR \]' "$T/$name.log" | grep -q -- "$pat" || { cat "$T/$name.log"; fail "$name: no '$pat'"; }
    [ ! -e "$out/model.xml" ] && [ ! -e "$out/model.bin" ] || fail "$name: left output behind"
    echo "ok $name: $(grep -m1 '\[ ERROR \]' "$T/$name.log")"
}
proto="$FIX/conv_basic/model.prototxt"

size=$(wc -c <"$good")
head -c $((size / 2)) "$good" >"$T/trunc.caffemodel"
check truncated "$T/trunc.caffemodel" "$proto" "trunc.caffemodel"

printf 'name: "n"\ninput: "data"\ninput_shape { dim: 1 dim: 3 dim: 8 dim: 8 }\nlayer {\n  name: "conv"\n  type: "Convolution"\n  bottom: "data"\n  top: "conv"\n  convolution_param { num_output: 4 kernel_size: 3 pad 1 }\n}\n' >"$T/syntax.prototxt"
check text_syntax "$good" "$T/syntax.prototxt" "syntax.prototxt' line 9, column [0-9]"

# the layer is named otherwise than in the caffemodel: no weights for it
sed 's/name: "conv"/name: "conv_renamed"/' "$proto" >"$T/renamed.prototxt"
check no_weights "$good" "$T/renamed.prototxt" "conv_renamed.*no blob 0 (weights)"

# unknown layer types: every one listed at once
printf 'input: "data"\ninput_shape { dim: 1 dim: 3 dim: 8 dim: 8 }\nlayer { name: "a" type: "Foo" bottom: "data" top: "a" }\nlayer { name: "b" type: "Bar" bottom: "a" top: "b" }\nlayer { name: "c" type: "Foo" bottom: "b" top: "c" }\n' >"$T/unknown.prototxt"
check unknown_layers "$good" "$T/unknown.prototxt" "'Foo' (2 nodes: a, c), 'Bar' (1 node: b)"

# the prototxt asks for 5 outputs, the caffemodel's blob has 4
sed 's/num_output: 4/num_output: 5/' "$proto" >"$T/shape.prototxt"
check blob_shape "$good" "$T/shape.prototxt" "conv.*weights (blob 0) have shape \[4,3,3,3\]"

# a blob whose shape [3] says more values than its 2 (written by hand:
# NetParameter { layer { name: "conv" blobs { shape { dim: 3 } data: 0 0 } } })
printf '\242\006\027\012\004conv\072\017\072\003\012\001\003\052\010\000\000\000\000\000\000\000\000' \
    >"$T/count.caffemodel"
check blob_count "$T/count.caffemodel" "$proto" "blob 0 of layer 'conv' holds 2 values but its shape \[3\] needs 3"

printf 'input: "data"\ninput_shape { dim: 1 dim: 3 dim: 8 dim: 8 }\nlayer { name: "r" type: "ReLU" bottom: "nowhere" top: "r" }\n' >"$T/bottom.prototxt"
check missing_bottom "$good" "$T/bottom.prototxt" "layer 'r' reads blob 'nowhere'"

printf 'input: "data"\ninput_shape { dim: 1 dim: 3 dim: 8 dim: 8 }\nlayer { name: "py" type: "Python" bottom: "data" top: "py" python_param { module: "mylayers" layer: "Crop" } }\n' >"$T/python.prototxt"
check python_layer "$good" "$T/python.prototxt" "Python layer (module 'mylayers', layer 'Crop')"

# no --input_proto and no prototxt beside the model
cp "$good" "$T/alone.caffemodel"
out="$T/out-alone"
if "$MO" --input_model "$T/alone.caffemodel" --output_dir "$out" >"$T/alone.log" 2>&1; then
    fail "missing_prototxt: converted"
fi
grep -q "\[ ERROR \].*alone.prototxt' does not exist; pass the deploy prototxt with --input_proto" "$T/alone.log" ||
    { cat "$T/alone.log"; fail "missing_prototxt: no message naming alone.prototxt"; }
[ ! -e "$out/model.xml" ] || fail "missing_prototxt: left output behind"
echo "ok missing_prototxt: $(grep -m1 '\[ ERROR \]' "$T/alone.log")"
echo "PASS"
