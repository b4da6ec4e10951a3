#!/bin/sh
# replay.sh - `make check`: every regression input of tests/fuzz/regress/H/
# and every seed of harness H (built from the fixtures by seeds.sh) goes
# once through tests/fuzz/replay_H, the harness with a plain main().  Any
# crash, sanitizer report or leak fails the test, naming the input.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
harnesses="mx_symbol mx_ndarray pd_program pd_pir pd_params mapping options pb_wire onnx_model pb_text tf_graph tf_checkpoint"
harnesses="$harnesses tcfg"
harnesses="$harnesses caffe_model"
harnesses="$harnesses kaldi_model"
harnesses="$harnesses npz"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mo-fuzz-replay.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
for h in $harnesses; do
    bin=$top_builddir/tests/fuzz/replay_$h
    if ! test -x "$bin"; then
        echo "FAIL: $bin is not built"
        fail=1
        continue
    fi
    top_srcdir=$top_srcdir sh "$top_srcdir/tests/fuzz/seeds.sh" "$h" "$tmp/$h" >/dev/null || exit 99
    nreg=0
    test -d "$top_srcdir/tests/fuzz/regress/$h" &&
        nreg=$(find "$top_srcdir/tests/fuzz/regress/$h" -type f | wc -l)
    nall=$(find "$tmp/$h" -type f | wc -l)
    if test "$nall" -eq 0; then
        echo "FAIL: $h has neither seeds nor regression inputs"
        fail=1
        continue
    fi
    # one process for all files: cheap, and a leak or crash still names
    # the file (replay.c prints each name before running it)
    if find "$tmp/$h" -type f | sort | xargs "$bin" 2>"$tmp/$h.log"; then
        echo "PASS: $h ($nreg regression input(s), $nall file(s) replayed)"
    else
        echo "FAIL: $h; the last input it started:"
        grep '^replay: ' "$tmp/$h.log" | tail -1
        tail -40 "$tmp/$h.log"
        fail=1
    fi
done
exit $fail
