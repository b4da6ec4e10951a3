# mo_fuzzing.m4 - the --enable-fuzzing switch.                 -*- Autoconf -*-
#
# MO_ENABLE_FUZZING
# -----------------
# Adds --enable-fuzzing (default: no).  When enabled, libmo, the plugins and
# every object are compiled with coverage instrumentation for libFuzzer plus
# AddressSanitizer and UndefinedBehaviorSanitizer
# (-fsanitize=fuzzer-no-link,address,undefined; undefined behaviour aborts,
# so the fuzzer sees it as a crash), and the harnesses of tests/fuzz/ are
# linked with -fsanitize=fuzzer, which supplies main().  Only clang ships
# libFuzzer: any other compiler, or a clang without its fuzzer runtime,
# stops configure here with the command that fixes it.  Call it after
# MO_ENABLE_SANITIZERS: it replaces SAN_CFLAGS/SAN_LDFLAGS (the sanitizers
# are part of a fuzzing build).  Substitutes FUZZ_LDFLAGS (the harness link
# flag) and defines the Automake conditional FUZZING.
AC_DEFUN([MO_ENABLE_FUZZING],
[AC_REQUIRE([AC_PROG_CC])dnl
AC_REQUIRE([MO_ENABLE_SANITIZERS])dnl
AC_ARG_ENABLE([fuzzing],
  [AS_HELP_STRING([--enable-fuzzing],
    [build the libFuzzer harnesses of tests/fuzz (needs clang; run them with make fuzz)])],
  [], [enable_fuzzing=no])
FUZZ_LDFLAGS=
AS_IF([test "x$enable_fuzzing" = xyes], [
  AC_MSG_CHECKING([whether $CC is clang])
  AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[
#ifndef __clang__
#error not clang
#endif
]], [])],
    [AC_MSG_RESULT([yes])],
    [AC_MSG_RESULT([no])
     AC_MSG_ERROR([--enable-fuzzing needs clang, which ships libFuzzer; CC=$CC is not clang: configure with CC=clang --enable-fuzzing (apt-get install clang)])])
  SAN_CFLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g"
  SAN_LDFLAGS="-fsanitize=address,undefined"
  FUZZ_LDFLAGS="-fsanitize=fuzzer"
  AC_MSG_CHECKING([whether $CC can link a libFuzzer harness])
  mo_save_CFLAGS=$CFLAGS
  mo_save_LDFLAGS=$LDFLAGS
  CFLAGS="$CFLAGS $SAN_CFLAGS"
  LDFLAGS="$LDFLAGS $SAN_LDFLAGS $FUZZ_LDFLAGS"
  AC_LINK_IFELSE([AC_LANG_SOURCE([[
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return (int)(data && size > 7); }
]])],
    [AC_MSG_RESULT([yes])],
    [AC_MSG_RESULT([no])
     AC_MSG_ERROR([--enable-fuzzing: $CC cannot link with $FUZZ_LDFLAGS $SAN_LDFLAGS: the libFuzzer runtime (libclang_rt.fuzzer) is missing; install it with the compiler (apt-get install clang, or libclang-rt-dev on newer releases)])])
  CFLAGS=$mo_save_CFLAGS
  LDFLAGS=$mo_save_LDFLAGS
])
AC_SUBST([FUZZ_LDFLAGS])
AM_CONDITIONAL([FUZZING], [test "x$enable_fuzzing" = xyes])
])
