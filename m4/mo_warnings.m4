# mo_warnings.m4 - the warning flags every target is built with. -*- Autoconf -*-
#
# MO_WARN_CFLAGS(FLAGS)
# ---------------------
# Substitutes WARN_CFLAGS: those of the whitespace-separated FLAGS that the
# C compiler accepts.  Each is tried alone on an empty, prototyped main (an
# old-style `main ()' would trip -Wstrict-prototypes itself), with
# -Werror so that a compiler which only warns about an unknown option
# (clang does) counts it as refused; a refused flag is reported and left
# out, so an older or other compiler still builds the project.
AC_DEFUN([MO_WARN_CFLAGS],
[AC_REQUIRE([AC_PROG_CC])dnl
WARN_CFLAGS=
mo_save_CFLAGS=$CFLAGS
for mo_flag in $1; do
  AC_MSG_CHECKING([whether $CC accepts $mo_flag])
  CFLAGS="$mo_save_CFLAGS -Werror $mo_flag"
  AC_COMPILE_IFELSE([AC_LANG_SOURCE([[int main (void) { return 0; }]])],
    [AC_MSG_RESULT([yes])
     WARN_CFLAGS="${WARN_CFLAGS:+$WARN_CFLAGS }$mo_flag"],
    [AC_MSG_RESULT([no])])
done
CFLAGS=$mo_save_CFLAGS
AC_SUBST([WARN_CFLAGS])
])
