#!/bin/sh
# kaldi_bad_input.sh - broken Kaldi models must fail with one clear error line
# (naming the token and byte offset), a non-zero exit and no output files.
# Each case in tests/fixtures/kaldi/bad/ holds model.nnet and `expect`:
# substrings the error line must contain, one per line.
. "$top_srcdir/tests/e2e/lib.sh"
scratch
BAD="$top_srcdir/tests/fixtures/kaldi/bad"
[ -d "$BAD" ] || fail "no corpus in $BAD (run tests/gen/kaldi_models.py)"
rc=0
n=0
for d in "$BAD"/*/; do
    d=${d%/}
    name=$(basename "$d")
    out="$T/out-$name"
    mkdir -p "$out"
    n=$((n + 1))
    "$MO" --input_model "$d/model.nnet" --output_dir "$out" > "$T/stdout" 2> "$T/stderr"
    st=$?
    if [ $st -eq 0 ]; then
        echo "FAIL: $name: converted (exit 0)"; rc=1; continue
    fi
    if [ $st -ge 126 ]; then
        echo "FAIL: $name: crashed (exit $st)"; cat "$T/stderr"; rc=1; continue
    fi
    if grep -q 'Sanitizer\|runtime error:' "$T/stderr"; then
        echo "FAIL: $name: sanitizer report"; cat "$T/stderr"; rc=1; continue
    fi
    if [ -n "$(ls -A "$out")" ]; then
        echo "FAIL: $name: left files in the output directory: $(ls -A "$out")"; rc=1; continue
    fi
    grep '^\[ ERROR \]' "$T/stderr" | grep -v 'For more information see' > "$T/errs"
    errs=$(wc -l < "$T/errs")
    if [ "$errs" -ne 1 ]; then
        echo "FAIL: $name: expected one [ ERROR ] line, got $errs:"; cat "$T/stderr"; rc=1; continue
    fi
    line=$(cat "$T/errs")
    ok=1
    while IFS= read -r want; do
        [ -z "$want" ] && continue
        case "$line" in
            *"$want"*) ;;
            *) echo "FAIL: $name: error lacks '$want': $line"; ok=0 ;;
        esac
    done < "$d/expect"
    if [ $ok = 1 ]; then
        echo "ok: $name: $line"
    else
        rc=1
    fi
done
[ $n -ge 5 ] || { echo "FAIL: only $n cases"; rc=1; }
exit $rc
