#!/bin/sh
# kill_atomic.sh - a conversion SIGKILLed at any moment leaves the previous
# IR of that name or none, never a torn one (issue 12, core/ir/ir_write.c):
# 100 kills spread over a whole conversion of a 64 MiB model, then a normal
# conversion that clears the temporaries the kills left.  The driver is
# tests/e2e/kill_atomic.py; MO_KILL_SEED replays a run (it prints its seed).
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime  # its python (numpy) generates the model
scratch
trap 'exit 1' INT TERM HUP  # so the EXIT trap removes the scratch directory
"$OV_PY" "$top_srcdir/tests/gen/big_mxnet.py" --mb 64 --out "$T/model" --reference none --quiet \
    >"$T/gen.log" 2>&1 || { cat "$T/gen.log"; fail "the 64 MiB model could not be generated"; }
grep '^big_mxnet:' "$T/gen.log"
"$OV_PY" "$top_srcdir/tests/e2e/kill_atomic.py" --mo "$MO" --model "$T/model/model-0000.params" \
    --dir "$T" --kills "${MO_KILLS:-100}" ${MO_KILL_SEED:+--seed "$MO_KILL_SEED"}
