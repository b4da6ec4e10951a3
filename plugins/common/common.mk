## plugins/common/common.mk - code several frontends share that is not IR
## building (DESIGN.md): a libtool convenience library, linked into the
## frontends that use it; it includes only the SDK.
noinst_LTLIBRARIES += plugins/common/libmo_common.la
plugins_common_libmo_common_la_SOURCES = plugins/common/pb_wire.c plugins/common/pb_wire.h

check_PROGRAMS += tests/unit/test_pb_wire
TESTS += tests/unit/test_pb_wire
tests_unit_test_pb_wire_SOURCES = tests/unit/test_pb_wire.c
tests_unit_test_pb_wire_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/common
tests_unit_test_pb_wire_CFLAGS = $(MO_UNIT_CC)
tests_unit_test_pb_wire_LDADD = plugins/common/libmo_common.la $(MO_UNIT_LINK)
