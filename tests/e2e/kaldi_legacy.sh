#!/bin/sh
# kaldi_legacy.sh - the legacy Model Optimizer 2023.3 (venv `legacy`,
# tests/setup-venvs.sh legacy) converts the binary fixtures whose info says
# legacy=yes; its IR, run frame by frame with its memory, must give the same
# numbers as mo's whole-window IR (tests/e2e/kaldi_legacy.py lines them up).
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime
LEGACY_MO="$MO_VENV_DIR/legacy/bin/mo"
if [ ! -x "$LEGACY_MO" ]; then
    echo "SKIP: no legacy Model Optimizer at $LEGACY_MO (tests/setup-venvs.sh legacy)"
    exit 77
fi
scratch
FIX="$top_srcdir/tests/fixtures/kaldi"
rc=0
n=0
for d in "$FIX"/*/; do
    name=$(basename "$d")
    [ -f "$d/info" ] && grep -q '^legacy=yes' "$d/info" || continue
    left=$(sed -n 's/^left=//p' "$d/info")
    right=$(sed -n 's/^right=//p' "$d/info")
    m=$(ls "$d"/model.bin.* | head -1)
    convert_ok "$name" "$m" "$T/$name" --model_name model
    # the legacy tool compresses weights to f16 unless told not to
    if ! (cd "$T" && "$LEGACY_MO" --framework kaldi --compress_to_fp16=False --input_model "$m" \
            --output_dir "$T/legacy-$name" --model_name model > "$T/legacy.log" 2>&1); then
        echo "FAIL: $name: the legacy Model Optimizer did not convert it"; tail -3 "$T/legacy.log"; rc=1; continue
    fi
    if "$OV_PY" "$top_srcdir/tests/e2e/kaldi_legacy.py" "$T/$name/model.xml" "$T/legacy-$name/model.xml" \
            "$d/inputs.npz" "$left" "$right" > "$T/cmp" 2>&1; then
        echo "ok: $name: $(tail -1 "$T/cmp")"
        n=$((n + 1))
    else
        echo "FAIL: $name: mo and the legacy tool disagree"; cat "$T/cmp"; rc=1
    fi
done
[ $n -ge 1 ] || { echo "FAIL: no fixture was compared with the legacy tool"; rc=1; }
exit $rc
