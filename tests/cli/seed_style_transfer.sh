#!/bin/sh
# seed_style_transfer.sh - seed 001's style-transfer command line, word for
# word but for the paths and the shape: it abbreviates
# --pretrained_model_name to --pretrained_model, as Python's argparse lets
# the original tool's users do.  The model is the committed nd_merge
# fixture (a pretrained encoder checkpoint plus a decoder in
# <prefix>_args.nd / _auxs.nd) under the seed's file names; the IR must run
# in OpenVINO with MXNet's results.
. "${top_srcdir:?run through make check}/tests/e2e/lib.sh"
: "${MO:?run through make check}"
scratch
FX="$top_srcdir/tests/fixtures/mxnet/nd_merge"
N="$T/nst_model"
mkdir "$N" "$T/out"
cp "$FX/nst-symbol.json" "$N/nst_vgg19-symbol.json"
cp "$FX/enc-symbol.json" "$N/vgg19-symbol.json"
cp "$FX/enc-0000.params" "$N/vgg19-0000.params"
cp "$FX/dec_args.nd" "$N/13_decoder_args.nd"
cp "$FX/dec_auxs.nd" "$N/13_decoder_auxs.nd"

"$MO" --input_symbol "$N/nst_vgg19-symbol.json" --framework mxnet --output_dir "$T/out" \
    --input_shape [1,3,8,8] --nd_prefix_name 13_decoder --pretrained_model "$N/vgg19-0000.params" \
    >"$T/log" 2>&1 || { cat "$T/log"; fail "the seed's command line does not convert"; }
for f in xml bin mapping; do
    [ -s "$T/out/nst_vgg19-symbol.$f" ] || { cat "$T/log"; fail "nst_vgg19-symbol.$f was not written"; }
done
echo "ok - seed 001's command with --pretrained_model converts"

need_runtime
run_ir "$T/out/nst_vgg19-symbol.xml" "$FX/inputs.npz" "$FX/reference.npz" --rtol 1e-4 ||
    fail "the IR's results differ from MXNet's"
echo "PASS: the abbreviated style-transfer command converts and the IR matches MXNet"
