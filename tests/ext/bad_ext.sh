#!/bin/sh
# bad_ext.sh - broken extensions through the mo command: a warning naming the file and
# conversion without them, or a clear error when the model needs them; never a crash.
. "$top_srcdir/tests/ext/lib_ext.sh"
scratch
M="$MODELS/relu.tfw"
B="$EXT_B/bad"
mkdir "$T/junk"
printf 'this is not an ELF file\n' >"$T/junk/junk.so"

# 1. wrong ABI, no entry point, failing init, a file that is no module:
#    each is named in a warning, the conversion goes on without them
run_mo --extensions "$B,$T/junk" --input_model "$M" --output_dir "$T/o1" --log_level WARNING
[ "$rc" = 0 ] || { cat "$T/log"; fail "conversion with broken extensions beside it failed"; }
expect_log "\[ WARNING \]  plugin '$B/ext_bad_abi.la' was built for plugin ABI 99.0"
expect_log "\[ WARNING \]  plugin '$B/ext_no_entry.la' has no entry point mo_plugin_query"
expect_log "\[ WARNING \]  plugin '$B/ext_failing_init.la' (ext_failing_init) failed to initialise: this test extension always refuses to start"
expect_log "\[ WARNING \]  cannot open plugin '$T/junk/junk.so'"
[ -s "$T/o1/relu.xml" ] || fail "no IR written"
echo "ok: four broken modules named in warnings, IR written anyway"

# 2. the model needs the failing extension: its registration was rolled
#    back, so "frob" is reported as unconvertible and nothing is written
run_mo --extensions "$B" --input_model "$MODELS/frob.tfw" --output_dir "$T/o2"
[ "$rc" = 1 ] || { cat "$T/log"; fail "expected status 1 when a needed extension is broken, got $rc"; }
expect_log "ext_failing_init.la"
expect_log "\[ ERROR \]  1 testfw layer type cannot be converted: 'frob' (2 nodes: f1, f2)"
[ ! -e "$T/o2/frob.xml" ] || fail "an IR was written although conversion failed"
echo "ok: a model needing a broken extension stops with a clear error"

# 3. two extensions claim one type at one priority: the second is refused
#    naming its file and the first one's name; the first one converts
run_mo --extensions "$EXT_B/dup" --input_model "$M" --output_dir "$T/o3" --log_level DEBUG
[ "$rc" = 0 ] || { cat "$T/log"; fail "conversion with duplicate extensions failed"; }
expect_log "\[ WARNING \]  plugin '$EXT_B/dup/dup_b.la' (dup_b) failed to initialise: .*testfw layer type 'relu' is already converted by 'dup_a' at the same tier and rank 0"
expect_log "testfw layer type 'relu' is converted by the extension of 'dup_a'"
echo "ok: duplicate claim refused with a message naming both"

# 4. an --extensions directory that does not exist is an error naming it
run_mo --extensions "$T/nowhere" --input_model "$M" --output_dir "$T/o4"
[ "$rc" = 1 ] || { cat "$T/log"; fail "expected status 1 for a missing extensions dir, got $rc"; }
expect_log "extensions directory '$T/nowhere'"
echo "PASS: bad extensions are reported by file and never crash mo"
