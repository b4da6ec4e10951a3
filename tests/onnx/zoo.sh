#!/bin/sh
# zoo.sh - the ONNX real-model zoo: convert with mo and with OpenVINO's ovc,
# run mo's IR in OpenVINO, compare with PyTorch and with onnxruntime.
#
# Not part of make check (the zoo is 500 MiB and takes minutes).  One command,
# from the top of a checkout with build/_install/bin/mo installed:
#     tests/onnx/zoo.sh [NAME...]
# It first makes the zoo when a model is missing (tests/gen/onnx_zoo.py, with
# Debian's python3-torch and python3-torchvision under /usr/bin/python3),
# then, for each model of $MO_ONNX_ZOO (default tests/zoo/onnx):
#   - mo --input_model model.onnx (FP32, no --input_shape: dynamic axes stay
#     dynamic), and ovc model.onnx --compress_to_fp16=False for the layer count;
#   - runs mo's IR in the OpenVINO Runtime at f32 (tests/ovrun.py) on
#     input.npz, and for models with dynamic axes (the transformer) also on
#     input2.npz, a second batch and sequence size, with the same IR;
#   - error of an output: max |ir - ref| / max |ref| over all its elements,
#     the worst output of the model counts; ref is PyTorch's output
#     (reference*.npz; the pass criterion, <= RTOL, default 1e-4) or
#     onnxruntime's (ort*.npz; shown, not judged).
# Prints a markdown table: model, opset, converted (or the first error line),
# <layer> elements in mo's .xml and in ovc's .xml (bodies included), max
# relative error vs PyTorch and vs onnxruntime (second size in brackets),
# ok/MISMATCH/FAIL.  Exit status 1 when any model fails.
# Environment: MO (default build/_install/bin/mo), MO_PLUGIN_PATH (default
# the plugins/ beside it when it exists), MO_VENV_DIR (default .venv: ov/ and
# onnx/), MO_ONNX_ZOO, TORCH_PY (default /usr/bin/python3), RTOL, KEEP=1
# keeps the IRs in the scratch folder it prints.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
ZOO="${MO_ONNX_ZOO:-$top/tests/zoo/onnx}"
MO="${MO:-$top/build/_install/bin/mo}"
if [ -z "${MO_PLUGIN_PATH:-}" ] && [ -d "$(dirname "$MO")/plugins" ]; then
    MO_PLUGIN_PATH=$(dirname "$MO")/plugins
    export MO_PLUGIN_PATH
fi
VENV="${MO_VENV_DIR:-$top/.venv}"
export MO_VENV_DIR="$VENV"
OV_PY="$VENV/ov/bin/python"
OVC="$VENV/ov/bin/ovc"
TORCH_PY="${TORCH_PY:-/usr/bin/python3}"
RTOL="${RTOL:-1e-4}"
PYTHONPATH="$top/tests${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONPATH
[ -x "$MO" ] || { echo "no $MO: build and make install first (README.md)" >&2; exit 2; }
[ -x "$OV_PY" ] || { echo "no $OV_PY: tests/setup-venvs.sh ov" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/mo-onnx-zoo.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then echo "IRs kept in $T" >&2; else trap 'rm -rf "$T"' EXIT; fi

only=$(echo "$@" | tr ' ' ',')
# generate what is missing (the generator skips models it already made)
if ! "$TORCH_PY" "$top/tests/gen/onnx_zoo.py" --out "$ZOO" ${only:+--only "$only"} > "$T/gen.log" 2>&1; then
    echo "warning: tests/gen/onnx_zoo.py failed for some model (see below); going on" >&2
    grep FAILED "$T/gen.log" >&2
fi

layers() { # count <layer> elements of an IR .xml, "-" when there is none
    if [ -f "$1" ]; then grep -o '<layer ' "$1" | wc -l | tr -d ' '; else echo -; fi
}
first_error() { # the first [ ERROR ] line of a log, else its last line; one line, no pipes.
    # mo's "N layer types cannot be converted" error is shortened to the
    # types and their node counts (all of them: that routes the failure)
    line=$({ grep -m1 'ERROR' "$1" || tail -n1 "$1"; })
    case $line in
        *"cannot be converted"*)
            types=$(echo "$line" | grep -o "'[^']*' ([0-9]* node" |
                sed "s/'\(.*\)' (\([0-9]*\) node/\1 (\2)/")
            n=$(echo "$line" | sed -n 's/.*ERROR \]  *\([0-9]*\) .* layer types\{0,1\} cannot.*/\1/p')
            more=$(( ${n:-0} - $(echo "$types" | wc -l) ))
            echo "unsupported: $(echo "$types" | paste -sd, - | sed 's/,/, /g')$(
                [ "$more" -gt 0 ] && echo " and $more more (mo's message is cut)")" ;;
        *) echo "$line" | sed 's/|/\\|/g' | cut -c1-220 ;;
    esac
}

rc=0
echo "| model | opset | mo converts | mo layers | ovc layers | max rel err vs PyTorch | vs onnxruntime | result |"
echo "|---|---|---|---|---|---|---|---|"
for d in "$ZOO"/*/; do
    name=$(basename "$d")
    [ -f "$d/meta.json" ] || continue
    if [ -n "$only" ]; then
        case ",$only," in *",$name,"*) ;; *) continue ;; esac
    fi
    opset=$("$OV_PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["opset"])' "$d/meta.json")
    "$OVC" "$d/model.onnx" --output_model "$T/$name-ovc/model.xml" --compress_to_fp16=False \
        > "$T/$name-ovc.log" 2>&1
    ovc_layers=$(layers "$T/$name-ovc/model.xml")
    if ! "$MO" --input_model "$d/model.onnx" --output_dir "$T/$name" --model_name model \
            > "$T/$name.log" 2>&1; then
        echo "| $name | $opset | no: $(first_error "$T/$name.log") | - | $ovc_layers | - | - | FAIL |"
        rc=1
        continue
    fi
    mo_layers=$(layers "$T/$name/model.xml")
    if ! line=$("$OV_PY" "$here/zoo_compare.py" "$T/$name/model.xml" "$d" 2> "$T/$name.cmp"); then
        echo "| $name | $opset | yes | $mo_layers | $ovc_layers | $(first_error "$T/$name.cmp") | | FAIL |"
        rc=1
        continue
    fi
    pt=-; ort=-; pt2=; ort2=
    for kv in $line; do
        case $kv in
            pt=*) pt=${kv#pt=} ;; ort=*) ort=${kv#ort=} ;;
            pt2=*) pt2=${kv#pt2=} ;; ort2=*) ort2=${kv#ort2=} ;;
        esac
    done
    verdict=ok
    for e in $pt $pt2; do
        awk -v e="$e" -v t="$RTOL" 'BEGIN { exit !(e != "-" && e + 0 <= t + 0) }' || verdict=MISMATCH
    done
    [ "$verdict" = ok ] || rc=1
    echo "| $name | $opset | yes | $mo_layers | $ovc_layers | $pt${pt2:+ ($pt2)} | $ort${ort2:+ ($ort2)} | $verdict |"
done
exit $rc
