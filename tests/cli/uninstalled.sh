#!/bin/sh
# uninstalled.sh - the `mo` of a build tree uses that tree's plugins with
# nothing set in the environment, and never the installed ones; the
# installed `mo` uses the installed ones and never the build tree's.
#
# Part two configures a second build of this source with its own prefix in
# the scratch directory (a VPATH build: the source tree is only read, as
# distcheck wants), installs it with the example extensions, and runs both
# of its `mo`s.
. "${top_srcdir:?run through make check}/tests/e2e/lib.sh"
: "${top_builddir:?run through make check}"
scratch
# make check points every test at the build tree's plugins; this one is
# about what mo finds by itself
unset MO_PLUGIN_PATH

# expect FILE REGEX WHAT / expect_not FILE FIXED-STRING WHAT
expect() { grep -Eq -e "$2" "$1" || { cat "$1"; fail "$3"; }; }
expect_not() { ! grep -Fq -e "$2" "$1" || { cat "$1"; fail "$3"; }; }

B=$top_builddir
"$B/mo" --list_plugins >"$T/list" 2>&1 || { cat "$T/list"; fail "mo --list_plugins failed"; }
expect "$T/list" "^frontend +mxnet .* $B/plugins/mo_mxnet\\.la\$" "the build tree's mxnet frontend is not listed"
expect "$T/list" "^frontend +paddle .* $B/plugins/mo_paddle\\.la\$" "the build tree's paddle frontend is not listed"
expect "$T/list" "^plugin directory: $B/plugins \\(instead of the installed " "the plugin directory is not named"
"$B/mo" --log_level DEBUG --list_plugins >"$T/debug" 2>&1 || { cat "$T/debug"; fail "mo --log_level DEBUG failed"; }
expect "$T/debug" "^\\[ DEBUG \\]  plugin search order: .*MO_PLUGIN_PATH \\(not set\\), then $B/plugins\$" \
    "the debug log does not name the plugin directory"
# and it converts with nothing set
FX="$top_srcdir/tests/fixtures/mxnet/activations"
"$B/mo" --input_model "$FX/model-0000.params" --output_dir "$T/ir" >"$T/conv" 2>&1 ||
    { cat "$T/conv"; fail "the uninstalled mo does not convert an MXNet model by itself"; }
echo "ok - the build tree's mo lists and uses the build tree's frontends"

# a second build tree whose configured prefix holds an installed mo, with
# modules the build tree's mo must not load: the example extensions
P="$T/prefix"
mkdir "$T/build"
# (its own make, not a sub-make of make check; and two goals in one
# parallel make would both install libmo at once)
submake() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} "$@"; }
(
    cd "$T/build" && "$top_srcdir/configure" -q --prefix="$P" &&
        submake -j2 install && submake install-example-extensions
) >"$T/build.log" 2>&1 || { tail -30 "$T/build.log"; fail "configure/make install into $P failed"; }
I="$P/lib/mo"
[ -x "$P/bin/mo" ] && [ -e "$I/mo_mxnet.la" ] && [ -n "$(ls "$I/extensions")" ] ||
    fail "make install did not install mo, its frontends and the example extensions under $P"

"$T/build/mo" --list_plugins >"$T/tree" 2>&1 || { cat "$T/tree"; fail "the second tree's mo --list_plugins failed"; }
expect "$T/tree" "^frontend +mxnet .* $T/build/plugins/mo_mxnet\\.la\$" "the second tree's mo does not use its own frontends"
expect "$T/tree" "^plugin directory: $T/build/plugins \\(instead of the installed $I\\)\$" \
    "the second tree's mo does not name its plugin directory"
grep -E '^(frontend|extension) ' "$T/tree" >"$T/tree.modules"
expect_not "$T/tree.modules" "$P" "the build tree's mo loaded installed modules"
"$T/build/mo" --log_level DEBUG --list_plugins >"$T/tree.debug" 2>&1
expect "$T/tree.debug" "plugin search order: extensions from $T/build/plugins/extensions \\(the default\\)" \
    "the build tree's mo looks for default extensions elsewhere"
echo "ok - with another mo installed in the configured prefix, the build tree's mo ignores it"

"$P/bin/mo" --log_level DEBUG --list_plugins >"$T/inst" 2>&1 || { cat "$T/inst"; fail "the installed mo --list_plugins failed"; }
expect "$T/inst" "^plugin directory: $I \\(installed\\)\$" "the installed mo does not use the installed directory"
expect "$T/inst" "^frontend +mxnet .* $I/mo_mxnet\\.la\$" "the installed mo does not list the installed mxnet frontend"
expect "$T/inst" "^frontend +paddle .* $I/mo_paddle\\.la\$" "the installed mo does not list the installed paddle frontend"
expect "$T/inst" "^extension +.* $I/extensions/" "the installed mo does not load the installed extensions"
expect_not "$T/inst" "$T/build" "the installed mo looked into its build tree"
echo "ok - the installed mo uses the installed plugins only"
echo "PASS: uninstalled and installed mo each use their own plugins"
