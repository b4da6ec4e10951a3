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

# the protobuf text format (.pbtxt, .prototxt) by protobuf-c's descriptors
plugins_common_libmo_common_la_SOURCES += plugins/common/pb_text.c plugins/common/pb_text.h
plugins_common_libmo_common_la_CFLAGS = $(AM_CFLAGS) $(PROTOBUFC_CFLAGS)

MO_PB_TEXT_TEST_PB = tests/unit/pb_text_test.pb-c.c tests/unit/pb_text_test.pb-c.h
BUILT_SOURCES += $(MO_PB_TEXT_TEST_PB)
CLEANFILES += $(MO_PB_TEXT_TEST_PB) tests/unit/pb_text_test.stamp
EXTRA_DIST += tests/unit/pb_text_test.proto
$(MO_PB_TEXT_TEST_PB): tests/unit/pb_text_test.stamp
	@test -f $@ || { rm -f tests/unit/pb_text_test.stamp; $(MAKE) $(AM_MAKEFLAGS) tests/unit/pb_text_test.stamp; }
tests/unit/pb_text_test.stamp: $(srcdir)/tests/unit/pb_text_test.proto
	$(AM_V_GEN)$(MKDIR_P) tests/unit && \
	$(PROTOC_C) --proto_path=$(srcdir)/tests/unit --c_out=tests/unit \
		$(srcdir)/tests/unit/pb_text_test.proto && touch $@

check_PROGRAMS += tests/unit/test_pb_text
TESTS += tests/unit/test_pb_text
nodist_tests_unit_test_pb_text_SOURCES = $(MO_PB_TEXT_TEST_PB)
tests_unit_test_pb_text_SOURCES = tests/unit/test_pb_text.c
tests_unit_test_pb_text_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/common -I$(top_builddir)/tests/unit
tests_unit_test_pb_text_CFLAGS = $(MO_UNIT_CC) $(PROTOBUFC_CFLAGS)
tests_unit_test_pb_text_LDADD = plugins/common/libmo_common.la $(MO_UNIT_LINK) $(PROTOBUFC_LIBS) -lm
