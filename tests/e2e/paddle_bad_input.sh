#!/bin/sh
# Broken Paddle models: each must fail with a clear message, a non-zero
# exit and no output files.  The corpus is derived from the committed
# fixtures at run time (truncations, byte edits, mismatched pairs).
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime            # the byte edits use the runtime venv's python
scratch
FX="$top_srcdir/tests/fixtures/paddle"
A="$FX/classify/legacy"
B="$FX/activations/legacy"
n=0

# expect_fail NAME MODEL REGEX: conversion fails, says REGEX, writes nothing
expect_fail() {
    out="$T/out-$1"
    if "$MO" --input_model "$2" --output_dir "$out" >"$T/log" 2>&1; then
        cat "$T/log"; fail "$1: converted although the input is broken"
    fi
    grep -Eq "$3" "$T/log" || { cat "$T/log"; fail "$1: message does not match /$3/"; }
    if [ -d "$out" ] && [ -n "$(ls -A "$out")" ]; then
        fail "$1: left files behind: $(ls "$out")"
    fi
    echo "ok $1: $(grep ERROR "$T/log" | head -1)"
    n=$((n + 1))
}
# pair NAME: a directory with model.pdmodel + model.pdiparams to edit
pair() { mkdir -p "$T/$1"; cp "$A/model.pdmodel" "$A/model.pdiparams" "$T/$1/"; }
edit() { # FILE PY-EXPRESSION over bytes b
    "$OV_PY" -c "import sys; p=sys.argv[1]; b=open(p,'rb').read(); b=$2; open(p,'wb').write(b)" "$1"
}

pair trunc_model; edit "$T/trunc_model/model.pdmodel" "b[:len(b)//2]"
expect_fail truncated-pdmodel "$T/trunc_model/model.pdmodel" "truncated or corrupt.*model.pdmodel|model.pdmodel.*truncated or corrupt"

pair garbage_model; edit "$T/garbage_model/model.pdmodel" "bytes((i*37+11)&255 for i in range(len(b)))"
expect_fail corrupt-pdmodel "$T/garbage_model/model.pdmodel" "model.pdmodel"

pair trunc_params; edit "$T/trunc_params/model.pdiparams" "b[:len(b)-100]"
expect_fail truncated-pdiparams "$T/trunc_params/model.pdmodel" "model.pdiparams.*truncated"

pair bad_version; edit "$T/bad_version/model.pdiparams" "b'\\x07'+b[1:]"
expect_fail corrupt-pdiparams "$T/bad_version/model.pdmodel" "model.pdiparams.*(corrupt|version)"

pair extra; edit "$T/extra/model.pdiparams" "b+b[:64]"
expect_fail extra-params "$T/extra/model.pdmodel" "more data than the [0-9]+ parameters"

pair wrong_params; cp "$B/model.pdiparams" "$T/wrong_params/model.pdiparams"
expect_fail mismatched-params "$T/wrong_params/model.pdmodel" "parameter '[^']+' .*(shape|holds)|holds [0-9]+ parameters"

pair no_params; rm "$T/no_params/model.pdiparams"
expect_fail missing-params "$T/no_params/model.pdmodel" "parameters of .* are missing"

# same-length renames keep the protobuf valid: two unknown op types on
# parallel branches, so both are root causes and listed together
mkdir -p "$T/unknown"; cp "$B/model.pdmodel" "$B/model.pdiparams" "$T/unknown/"
edit "$T/unknown/model.pdmodel" "b.replace(b'hard_sigmoid', b'hard_sigmoix').replace(b'clip', b'clap')"
expect_fail unknown-ops "$T/unknown/model.pdmodel" "2 paddle layer types cannot be converted: .*(hard_sigmoix.*clap|clap.*hard_sigmoix)"

# names holding bytes a terminal must never get raw: invalid UTF-8
# (0xff, an overlong '/', a surrogate), ESC sequences, BEL.  One clean
# [ ERROR ] line (printable UTF-8 only) shows them as \xNN; valid
# non-ASCII text (the e-acute) stays as it is.
clean_log() { # FILE: well-formed UTF-8 without control characters but newlines
    "$OV_PY" -c "
import sys, unicodedata
t = open(sys.argv[1], 'rb').read().decode('utf-8')
bad = sorted({c for c in t if c != '\\n' and unicodedata.category(c) == 'Cc'})
sys.exit('control characters %r' % bad if bad else 0)" "$1"
}
expect_clean_fail() { # NAME MODEL REGEX: expect_fail, then one clean error line
    expect_fail "$@"
    clean_log "$T/log" || { cat -v "$T/log"; fail "$1: raw bytes reach the terminal"; }
    [ "$(grep '^\[ ERROR \]' "$T/log" | grep -vc 'For more information see')" -eq 1 ] ||
        { cat -v "$T/log"; fail "$1: not exactly one [ ERROR ] line"; }
}
# an op type: reported by the core (the unconverted-types report)
mkdir -p "$T/raw_type"; cp "$B/model.pdmodel" "$B/model.pdiparams" "$T/raw_type/"
edit "$T/raw_type/model.pdmodel" "b.replace(b'hard_sigmoid', b'h\\xc3\\xa9\\xff\\x1b[2J\\x07\\xed\\xa0\\x80')"
expect_clean_fail raw-bytes-op-type "$T/raw_type/model.pdmodel" \
    "cannot be converted: 'h.{1,2}\\\\xff\\\\x1b\\[2J\\\\x07\\\\xed\\\\xa0\\\\x80' \\(1 node: "
# a variable an op reads but nothing writes: reported by the frontend
mkdir -p "$T/raw_var"; cp "$B/model.pdmodel" "$B/model.pdiparams" "$T/raw_var/"
edit "$T/raw_var/model.pdmodel" \
    "(lambda i: b[:i] + b'si\\xff\\x1b[2J\\xc0\\xaf\\x07_0' + b[i + 12:])(b.rindex(b'silu_0.tmp_0'))"
expect_clean_fail raw-bytes-var-name "$T/raw_var/model.pdmodel" \
    "'si\\\\xff\\\\x1b\\[2J\\\\xc0\\\\xaf\\\\x07_0'"

mkdir -p "$T/pir_version"; cp "$FX/classify/pir/model.json" "$FX/classify/pir/model.pdiparams" "$T/pir_version/"
edit "$T/pir_version/model.json" "b.replace(b'\"version\": 4', b'\"version\": 99', 1).replace(b'\"version\":4', b'\"version\":99', 1)"
expect_fail pir-version "$T/pir_version/model.json" "PIR version 99; mo reads PIR versions"

mkdir -p "$T/pir_trunc"; cp "$FX/classify/pir/model.json" "$FX/classify/pir/model.pdiparams" "$T/pir_trunc/"
edit "$T/pir_trunc/model.json" "b[:len(b)//3]"
expect_fail truncated-pir "$T/pir_trunc/model.json" "not valid JSON"

# a detection head whose attributes contradict its input: iou_aware wants
# one more channel per anchor (the IoU logits); named, nothing written
mkdir -p "$T/iou_aware"; cp "$FX/yolo/pir/model.json" "$FX/yolo/pir/model.pdiparams" "$T/iou_aware/"
edit "$T/iou_aware/model.json" "b.replace(b'\"D\":false},\"N\":\"iou_aware\"', b'\"D\":true},\"N\":\"iou_aware\"', 1)"
expect_fail yolo-iou-aware "$T/iou_aware/model.json" "yolo_box input has 16 channels, expected 18"

# control flow (PIR regions): edits of the flow fixtures' JSON
FL="$top_srcdir/tests/fixtures/paddle_ops"
jedit() { # DIR SRC PY-STATEMENTS over the parsed JSON d (ops: its top-level op list)
    mkdir -p "$T/$1"
    "$OV_PY" -c "
import json, sys
d = json.load(open(sys.argv[1]))
ops = d['program']['regions'][0]['blocks'][0]['ops']
def find(name):
    return next(o for o in ops if o['#'].endswith('.' + name))
$3
json.dump(d, open(sys.argv[2], 'w'))" "$2" "$T/$1/model.json"
}
jedit pir_yield "$FL/flow_while_counter/pir/model.json" "
w = find('while')
w['regions'][0]['blocks'][0]['ops'][-1]['I'].pop()"
expect_fail pir-while-yield "$T/pir_yield/model.json" "yields 2 values; it must yield 3"
jedit pir_if_regions "$FL/flow_cond_true/pir/model.json" "find('if')['regions'].pop()"
expect_fail pir-if-regions "$T/pir_if_regions/model.json" "op if has 1 regions"
jedit pir_while_args "$FL/flow_while_counter/pir/model.json" "
find('while')['regions'][0]['blocks'][0]['args'].pop()"
expect_fail pir-while-args "$T/pir_while_args/model.json" "block takes 1 arguments for 2 carried values"
jedit pir_undefined "$FL/flow_while_counter/pir/model.json" "
b = find('while')['regions'][0]['blocks'][0]['ops']
b[-1]['I'][1]['%'] = 99999"
expect_fail pir-yield-undefined "$T/pir_undefined/model.json" "yields value 99999, which is not a defined tensor"

echo "PASS: $n broken Paddle inputs rejected cleanly"
