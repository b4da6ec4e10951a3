#!/bin/sh
# doc_template.sh - the complete extension docs/writing-extensions.md teaches is
# extensions/template/my_extension.c byte for byte (install_template.sh builds that
# file against the installed SDK and converts a model with it), and its translator
# stays under 30 lines.
. "$top_srcdir/tests/ext/lib_ext.sh"
scratch
DOC="$top_srcdir/docs/writing-extensions.md"
SRC="$top_srcdir/extensions/template/my_extension.c"
# the first C block after the section heading
awk '/^## 1\. A complete extension/ { s = 1 } s == 1 && /^```c$/ { s = 2; next }
     s == 2 && /^```$/ { exit } s == 2 { print }' "$DOC" >"$T/doc.c"
[ -s "$T/doc.c" ] || fail "no C block under '## 1. A complete extension' in $DOC"
cmp -s "$T/doc.c" "$SRC" || { diff "$SRC" "$T/doc.c"; fail "the example in $DOC is not $SRC"; }
n=$(awk '/^static enum mo_status translate_/ { s = 1 } s { n++ } s && /^}$/ { print n; exit }' "$SRC")
[ -n "$n" ] || fail "no translator in $SRC"
[ "$n" -lt 30 ] || fail "the template's translator has $n lines, not under 30"
echo "PASS: the documented extension is the template; its translator has $n lines ($(wc -l <"$SRC") in the file)"
