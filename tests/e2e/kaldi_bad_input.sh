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
    n=$((n + 1))
    bad_case "$name" "$d/model.nnet" "$d/expect" "$T/out-$name" || rc=1
done
[ $n -ge 5 ] || { echo "FAIL: only $n cases"; rc=1; }
exit $rc
