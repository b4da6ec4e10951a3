#!/bin/sh
# install_template.sh - install into a staging DESTDIR, build the out-of-tree template
# against the staged SDK with pkg-config alone, load it with mo, and convert
# tests/fixtures/mxnet_relu6 (MXNet Custom(op_type=MyReLU6)) through it: the IR
# runs in OpenVINO with MXNet's results.
. "$top_srcdir/tests/ext/lib_ext.sh"
scratch
command -v pkg-config >/dev/null || { echo "SKIP: no pkg-config"; exit 77; }
S="$T/stage"
${MAKE:-make} -C "$top_builddir" install DESTDIR="$S" >"$T/install.log" 2>&1 ||
    { tail -30 "$T/install.log"; fail "make install DESTDIR=$S failed"; }
pc=$(find "$S" -name mo-sdk.pc | head -1)
[ -n "$pc" ] || fail "mo-sdk.pc was not installed"
tmpl=$(find "$S" -path '*/extension-template/Makefile' | head -1)
[ -n "$tmpl" ] || fail "the extension template was not installed"
for h in mo.h plugin.h context.h op.h graph.h build.h; do
    [ -n "$(find "$S" -path "*/include/mo/$h")" ] || fail "header mo/$h was not installed"
done
mkdir "$T/tmpl"
cp "$(dirname "$tmpl")"/* "$T/tmpl/"
# the template is a translator on the SDK's builder (mo/build.h)
grep -q "mo_build_begin" "$T/tmpl/my_extension.c" || fail "the installed template does not use mo/build.h"
# the staged .pc still says the configured prefix; the sysroot maps it into $S
PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR="$S" PKG_CONFIG_LIBDIR="" \
    ${MAKE:-make} -C "$T/tmpl" >"$T/build.log" 2>&1 || { cat "$T/build.log"; fail "the template does not build"; }
[ -f "$T/tmpl/my_extension.so" ] || fail "my_extension.so missing"
echo "ok: template built with: $(grep -- -shared "$T/build.log")"

staged_mo=$(find "$S" -path '*/bin/mo' -type f | head -1)
libdir=$(dirname "$pc")/..
MO_RUN="$MO"
if [ -x "$staged_mo" ]; then
    MO_RUN="$staged_mo"
    LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export LD_LIBRARY_PATH
fi
"$MO_RUN" --extensions "$T/tmpl" --list_plugins >"$T/log" 2>&1 || { cat "$T/log"; fail "mo --list_plugins failed"; }
expect_log "^extension  my_extension *0.1 *$T/tmpl/my_extension.so"
expect_log "mxnet Custom:MyReLU6 (extension, rank 0)"
echo "ok: $MO_RUN lists the template's translator"

F="$top_srcdir/tests/fixtures/mxnet_relu6"
grep -q "^frontend *mxnet " "$T/log" || { echo "SKIP: no MXNet frontend loaded to convert $F"; exit 77; }
"$MO_RUN" --framework mxnet --input_model "$F/model-0000.params" --output_dir "$T/o" \
    --extensions "$T/tmpl" --log_level DEBUG >"$T/log" 2>&1 || { cat "$T/log"; fail "conversion through the template failed"; }
expect_log "mxnet layer type 'Custom:MyReLU6' is converted by the extension of 'my_extension'"
got=$(irq "$T/o/model-0000.xml" relu6)
[ "$got" = "Clamp opset1 min=0 max=6 | in=1,2,6,6 out=1,2,6,6" ] || fail "relu6 is '$got'"
need_runtime
run_ir "$T/o/model-0000.xml" "$F/inputs.npz" "$F/reference.npz" --rtol 1e-5 ||
    fail "IR output differs from MXNet's"
echo "PASS: template built against the staged SDK, listed by $MO_RUN, converts as MXNet computes"
