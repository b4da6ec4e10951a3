#!/bin/sh
# mxnet_custom.sh - an MXNet model with a Custom(op_type=MyScale) layer converts through
# extensions/mxnet_custom_scale and runs in OpenVINO with MXNet's results.
. "$top_srcdir/tests/ext/lib_ext.sh"
need_runtime
scratch
F="$top_srcdir/tests/fixtures/mxnet_custom"
run_mo --list_plugins
grep -q "^frontend *mxnet " "$T/log" || { echo "SKIP: no MXNet frontend loaded"; exit 77; }
run_mo --framework mxnet --input_model "$F/model-0000.params" --output_dir "$T/o" \
    --extensions "$top_builddir/extensions" --log_level DEBUG
[ "$rc" = 0 ] || { cat "$T/log"; fail "conversion through the extension failed"; }
expect_log "mxnet layer type 'Custom:MyScale' is converted by the extension of 'mxnet_custom_scale'"
irq "$T/o/model-0000.xml" --types | grep -q "^Custom$\|^MyScale$" && fail "a custom layer is left in the IR"
run_ir "$T/o/model-0000.xml" "$F/inputs.npz" "$F/reference.npz" --rtol 1e-5 ||
    fail "IR output differs from MXNet's"
echo "ok: OpenVINO matches MXNet through the extension"

# without the extension the layer is reported by its op_type
run_mo --framework mxnet --input_model "$F/model-0000.params" --output_dir "$T/n" --extensions ""
[ "$rc" = 1 ] || { cat "$T/log"; fail "expected failure without the extension"; }
expect_log "'Custom:MyScale' (1 node: myscale)"

# a mapping entry outranks the extension: the layer stays a custom MyScale
if mapping_wired; then
    printf '<CustomLayersMapping><CustomLayer NativeType="Custom:MyScale" hasParam="true"/></CustomLayersMapping>\n' >"$T/m.xml"
    run_mo --framework mxnet --input_model "$F/model-0000.params" --output_dir "$T/m" \
        --extensions "$top_builddir/extensions" --k "$T/m.xml" --log_level DEBUG
    [ "$rc" = 0 ] || { cat "$T/log"; fail "conversion with the mapping failed"; }
    got=$(irq "$T/m/model-0000.xml" myscale)
    case "$got" in
    "MyScale extension scale=1.75 shift=-0.25 | in=1,4,6,6 out=1,4,6,6") echo "ok: mapping wins: $got" ;;
    *) fail "mapped myscale is '$got'" ;;
    esac
fi
echo "PASS: MXNet Custom layer through an extension"
