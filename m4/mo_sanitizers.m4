# mo_sanitizers.m4 - the --enable-sanitizers switch.            -*- Autoconf -*-
#
# MO_ENABLE_SANITIZERS
# --------------------
# Adds --enable-sanitizers (default: no).  When enabled, everything is
# compiled and linked with AddressSanitizer and UndefinedBehaviorSanitizer,
# undefined behaviour aborting at its first report (so `make check` fails
# instead of printing a warning nobody reads).  Substitutes SAN_CFLAGS and
# SAN_LDFLAGS (empty when disabled) and defines the Automake conditional
# SANITIZERS.  A compiler or libc that cannot link a sanitized program
# stops configure here, naming the flags, rather than at the first link.
AC_DEFUN([MO_ENABLE_SANITIZERS],
[AC_REQUIRE([AC_PROG_CC])dnl
AC_ARG_ENABLE([sanitizers],
  [AS_HELP_STRING([--enable-sanitizers],
    [build with AddressSanitizer and UndefinedBehaviorSanitizer])],
  [], [enable_sanitizers=no])
SAN_CFLAGS=
SAN_LDFLAGS=
AS_IF([test "x$enable_sanitizers" = xyes], [
  SAN_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
  SAN_LDFLAGS="-fsanitize=address,undefined"
  AC_MSG_CHECKING([whether $CC can link with $SAN_LDFLAGS])
  mo_save_CFLAGS=$CFLAGS
  mo_save_LDFLAGS=$LDFLAGS
  CFLAGS="$CFLAGS $SAN_CFLAGS"
  LDFLAGS="$LDFLAGS $SAN_LDFLAGS"
  AC_LINK_IFELSE([AC_LANG_PROGRAM([], [])],
    [AC_MSG_RESULT([yes])],
    [AC_MSG_RESULT([no])
     AC_MSG_ERROR([--enable-sanitizers: $CC cannot link with $SAN_LDFLAGS (install libasan and libubsan)])])
  CFLAGS=$mo_save_CFLAGS
  LDFLAGS=$mo_save_LDFLAGS
])
AC_SUBST([SAN_CFLAGS])
AC_SUBST([SAN_LDFLAGS])
AM_CONDITIONAL([SANITIZERS], [test "x$enable_sanitizers" = xyes])
])
