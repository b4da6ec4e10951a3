#!/bin/sh
# new_op.sh - extensions/new_op adds IR op ScaledTanh: the IR layer carries its
# attributes (defaults included) and inferred shapes; bad input is refused.
. "$top_srcdir/tests/ext/lib_ext.sh"
scratch
run_mo --extensions "$top_builddir/extensions" --list_plugins
expect_log "new_op .*1.0"
expect_log "op ScaledTanh (extension)"
expect_log "testfw ScaledTanh (extension, rank 0)"
expect_log "mxnet Custom:ScaledTanh (extension, rank 0)"

run_mo --extensions "$top_builddir/extensions" --input_model "$MODELS/new_op.tfw" --output_dir "$T/o"
[ "$rc" = 0 ] || { cat "$T/log"; fail "conversion failed"; }
got=$(irq "$T/o/new_op.xml" st1)
[ "$got" = "ScaledTanh extension alpha=2.5 beta=1.0 | in=2,3,5 out=2,3,5" ] || fail "st1 is '$got'"
got=$(irq "$T/o/new_op.xml" st2)
[ "$got" = "ScaledTanh extension alpha=0.5 beta=3 | in=2,3,5 out=2,3,5" ] || fail "st2 is '$got'"
echo "ok: ScaledTanh layers carry alpha/beta and shapes"

run_mo --extensions "$top_builddir/extensions" --input_model "$MODELS/new_op_int.tfw" --output_dir "$T/i"
[ "$rc" = 1 ] || { cat "$T/log"; fail "an integer input should be refused, got status $rc"; }
expect_log "st1.*ScaledTanh needs a floating-point input, got i32"

run_mo --extensions "$top_builddir/extensions" --input_model "$MODELS/new_op_bad.tfw" --output_dir "$T/b"
[ "$rc" = 1 ] || { cat "$T/log"; fail "alpha=2.5x should be refused, got status $rc"; }
expect_log "^\[ ERROR \]  testfw node 'st1' (ScaledTanh): attribute alpha='2.5x' is not a number$"
[ ! -e "$T/b/new_op_bad.xml" ] || fail "an IR was written for a refused model"

# without the extension nobody converts ScaledTanh
run_mo --extensions "" --input_model "$MODELS/new_op.tfw" --output_dir "$T/n"
[ "$rc" = 1 ] || { cat "$T/log"; fail "expected failure without the extension"; }
expect_log "'ScaledTanh' (2 nodes: st1, st2)"
echo "PASS: new IR operation from an extension"
