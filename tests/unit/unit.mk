## tests/unit/unit.mk - Check suites of the core, the deliberately bad plugins
## the loader suite loads.
MO_UNIT_SUITES = \
	tests/unit/test_abi tests/unit/test_types tests/unit/test_tensor \
	tests/unit/test_graph tests/unit/test_options tests/unit/test_registry \
	tests/unit/test_loader tests/unit/test_ir_writer tests/unit/test_cli \
	tests/unit/test_escape tests/unit/test_build tests/unit/test_lazy \
	tests/unit/test_body
MO_UNIT_SUITES += tests/unit/test_npz
check_PROGRAMS += $(MO_UNIT_SUITES)
TESTS += $(MO_UNIT_SUITES)

tests_unit_test_abi_SOURCES = tests/unit/test_abi.c
tests_unit_test_abi_CFLAGS = $(MO_UNIT_CC)
tests_unit_test_abi_LDADD = $(MO_UNIT_LINK)

tests_unit_test_types_SOURCES = tests/unit/test_types.c
tests_unit_test_types_CFLAGS = $(MO_UNIT_CC)
tests_unit_test_types_LDADD = $(MO_UNIT_LINK)

tests_unit_test_tensor_SOURCES = tests/unit/test_tensor.c
tests_unit_test_tensor_CFLAGS = $(MO_UNIT_CC)
tests_unit_test_tensor_LDADD = $(MO_UNIT_LINK)

tests_unit_test_lazy_SOURCES = tests/unit/test_lazy.c
tests_unit_test_lazy_CFLAGS = $(MO_UNIT_CC)
tests_unit_test_lazy_LDADD = $(MO_UNIT_LINK)

tests_unit_test_graph_SOURCES = tests/unit/test_graph.c
tests_unit_test_graph_CFLAGS = $(MO_UNIT_CC)
tests_unit_test_graph_LDADD = $(MO_UNIT_LINK)

tests_unit_test_options_SOURCES = tests/unit/test_options.c
tests_unit_test_options_CFLAGS = $(MO_UNIT_CC)
tests_unit_test_options_LDADD = $(MO_UNIT_LINK)

# test_registry and test_loader look inside struct mo_context
# (core/context_private.h, on the include path through AM_CPPFLAGS).
tests_unit_test_registry_SOURCES = tests/unit/test_registry.c
tests_unit_test_registry_CFLAGS = $(MO_UNIT_CC) $(LIBXML_CFLAGS) $(LTDLINCL)
tests_unit_test_registry_LDADD = $(MO_UNIT_LINK) $(LIBXML_LIBS)

tests_unit_test_loader_SOURCES = tests/unit/test_loader.c
tests_unit_test_loader_CFLAGS = $(MO_UNIT_CC) $(LTDLINCL)
tests_unit_test_loader_LDADD = $(MO_UNIT_LINK)

tests_unit_test_escape_SOURCES = tests/unit/test_escape.c
tests_unit_test_escape_CFLAGS = $(MO_UNIT_CC)
tests_unit_test_escape_LDADD = $(MO_UNIT_LINK)

# the command line parser is the mo program's, not libmo's: linked in
tests_unit_test_cli_SOURCES = tests/unit/test_cli.c core/cli/cli_options.c
tests_unit_test_cli_CFLAGS = $(MO_UNIT_CC)
tests_unit_test_cli_LDADD = $(MO_UNIT_LINK)

# test_build runs its translators through mo_translate (core/translate.h)
tests_unit_test_build_SOURCES = tests/unit/test_build.c
tests_unit_test_build_CFLAGS = $(MO_UNIT_CC)
tests_unit_test_build_LDADD = $(MO_UNIT_LINK)

tests_unit_test_ir_writer_SOURCES = tests/unit/test_ir_writer.c
tests_unit_test_ir_writer_CFLAGS = $(MO_UNIT_CC) $(LIBXML_CFLAGS)
tests_unit_test_ir_writer_LDADD = $(MO_UNIT_LINK) $(LIBXML_LIBS)

# Plugins test_loader loads from the build tree; never installed (-rpath
# /nowhere only makes libtool build a shared module).
MO_BAD_PLUGINS = \
	tests/plugins/good_ext.la tests/plugins/alt_ext.la tests/plugins/bad_abi.la \
	tests/plugins/no_entry.la tests/plugins/short_desc.la tests/plugins/failing_init.la \
	tests/plugins/dup_reg.la
check_LTLIBRARIES += $(MO_BAD_PLUGINS)
MO_TEST_PLUGIN_LDFLAGS = $(MO_PLUGIN_FLAGS) -rpath /nowhere

tests_plugins_good_ext_la_SOURCES = tests/plugins/good_ext.c
tests_plugins_good_ext_la_LDFLAGS = $(MO_TEST_PLUGIN_LDFLAGS)
tests_plugins_good_ext_la_LIBADD = libmo.la

tests_plugins_alt_ext_la_SOURCES = tests/plugins/alt_ext.c
tests_plugins_alt_ext_la_LDFLAGS = $(MO_TEST_PLUGIN_LDFLAGS)
tests_plugins_alt_ext_la_LIBADD = libmo.la

tests_plugins_bad_abi_la_SOURCES = tests/plugins/bad_abi.c
tests_plugins_bad_abi_la_LDFLAGS = $(MO_TEST_PLUGIN_LDFLAGS)
tests_plugins_bad_abi_la_LIBADD = libmo.la

tests_plugins_no_entry_la_SOURCES = tests/plugins/no_entry.c
tests_plugins_no_entry_la_LDFLAGS = $(MO_TEST_PLUGIN_LDFLAGS)
tests_plugins_no_entry_la_LIBADD = libmo.la

tests_plugins_short_desc_la_SOURCES = tests/plugins/short_desc.c
tests_plugins_short_desc_la_LDFLAGS = $(MO_TEST_PLUGIN_LDFLAGS)
tests_plugins_short_desc_la_LIBADD = libmo.la

tests_plugins_failing_init_la_SOURCES = tests/plugins/failing_init.c
tests_plugins_failing_init_la_LDFLAGS = $(MO_TEST_PLUGIN_LDFLAGS)
tests_plugins_failing_init_la_LIBADD = libmo.la

tests_plugins_dup_reg_la_SOURCES = tests/plugins/dup_reg.c
tests_plugins_dup_reg_la_LDFLAGS = $(MO_TEST_PLUGIN_LDFLAGS)
tests_plugins_dup_reg_la_LIBADD = libmo.la

# control flow (mo/body.h); reads the IR back with libxml2, calls the passes
tests_unit_test_body_SOURCES = tests/unit/test_body.c
tests_unit_test_body_CFLAGS = $(MO_UNIT_CC) $(LIBXML_CFLAGS)
tests_unit_test_body_LDADD = $(MO_UNIT_LINK) $(LIBXML_LIBS)

# transformations configs (core/tcfg_*.c); looks inside struct mo_context
check_PROGRAMS += tests/unit/test_tcfg
TESTS += tests/unit/test_tcfg
tests_unit_test_tcfg_SOURCES = tests/unit/test_tcfg.c
tests_unit_test_tcfg_CFLAGS = $(MO_UNIT_CC) $(JANSSON_CFLAGS) $(LTDLINCL)
tests_unit_test_tcfg_LDADD = $(MO_UNIT_LINK) $(JANSSON_LIBS)
tests_unit_test_npz_SOURCES = tests/unit/test_npz.c
tests_unit_test_npz_CFLAGS = $(MO_UNIT_CC)
tests_unit_test_npz_LDADD = $(MO_UNIT_LINK) -lm
