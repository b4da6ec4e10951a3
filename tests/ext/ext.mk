## tests/ext/ext.mk - custom layers end to end through the mo command
#
# Test modules live one purpose per directory because --extensions takes
# directories: fe/ (the testfw frontend), prio/, dup/, bad/.  Never
# installed (-rpath /nowhere only makes libtool build shared modules).
MO_EXT_TEST_LDFLAGS = $(MO_PLUGIN_FLAGS) -rpath /nowhere
check_LTLIBRARIES += \
	tests/ext/fe/testfw.la tests/ext/prio/prio_ext.la \
	tests/ext/dup/dup_a.la tests/ext/dup/dup_b.la \
	tests/ext/bad/ext_bad_abi.la tests/ext/bad/ext_no_entry.la tests/ext/bad/ext_failing_init.la

# wrong/: ONNX Relu converted to Sigmoid, for tests/e2e/validate.sh
check_LTLIBRARIES += tests/ext/wrong/wrong_relu.la
tests_ext_wrong_wrong_relu_la_SOURCES = tests/ext/wrong_relu.c
tests_ext_wrong_wrong_relu_la_LDFLAGS = $(MO_EXT_TEST_LDFLAGS)
tests_ext_wrong_wrong_relu_la_LIBADD = libmo.la

tests_ext_fe_testfw_la_SOURCES = tests/ext/testfw.c
tests_ext_fe_testfw_la_LDFLAGS = $(MO_EXT_TEST_LDFLAGS)
tests_ext_fe_testfw_la_LIBADD = libmo.la

tests_ext_prio_prio_ext_la_SOURCES = tests/ext/prio_ext.c
tests_ext_prio_prio_ext_la_LDFLAGS = $(MO_EXT_TEST_LDFLAGS)
tests_ext_prio_prio_ext_la_LIBADD = libmo.la

tests_ext_dup_dup_a_la_SOURCES = tests/ext/dup_ext.c
tests_ext_dup_dup_a_la_CPPFLAGS = $(AM_CPPFLAGS) -DDUP_NAME=dup_a
tests_ext_dup_dup_a_la_LDFLAGS = $(MO_EXT_TEST_LDFLAGS)
tests_ext_dup_dup_a_la_LIBADD = libmo.la

tests_ext_dup_dup_b_la_SOURCES = tests/ext/dup_ext.c
tests_ext_dup_dup_b_la_CPPFLAGS = $(AM_CPPFLAGS) -DDUP_NAME=dup_b
tests_ext_dup_dup_b_la_LDFLAGS = $(MO_EXT_TEST_LDFLAGS)
tests_ext_dup_dup_b_la_LIBADD = libmo.la

tests_ext_bad_ext_bad_abi_la_SOURCES = tests/ext/bad_ext.c
tests_ext_bad_ext_bad_abi_la_CPPFLAGS = $(AM_CPPFLAGS) -DBAD_KIND=1
tests_ext_bad_ext_bad_abi_la_LDFLAGS = $(MO_EXT_TEST_LDFLAGS)
tests_ext_bad_ext_bad_abi_la_LIBADD = libmo.la

tests_ext_bad_ext_no_entry_la_SOURCES = tests/ext/bad_ext.c
tests_ext_bad_ext_no_entry_la_CPPFLAGS = $(AM_CPPFLAGS) -DBAD_KIND=2
tests_ext_bad_ext_no_entry_la_LDFLAGS = $(MO_EXT_TEST_LDFLAGS)
tests_ext_bad_ext_no_entry_la_LIBADD = libmo.la

tests_ext_bad_ext_failing_init_la_SOURCES = tests/ext/bad_ext.c
tests_ext_bad_ext_failing_init_la_CPPFLAGS = $(AM_CPPFLAGS) -DBAD_KIND=3
tests_ext_bad_ext_failing_init_la_LDFLAGS = $(MO_EXT_TEST_LDFLAGS)
tests_ext_bad_ext_failing_init_la_LIBADD = libmo.la

MO_EXT_TESTS = \
	tests/ext/priority.sh tests/ext/mapping.sh tests/ext/bad_ext.sh tests/ext/new_op.sh \
	tests/ext/mxnet_custom.sh tests/ext/doc_template.sh tests/ext/install_template.sh
TESTS += $(MO_EXT_TESTS)
EXTRA_DIST += $(MO_EXT_TESTS) tests/ext/lib_ext.sh tests/ext/irq.py tests/ext/models

# install_template.sh runs `make install` in this build tree, which may
# relink modules other tests are loading: it runs after every other test.
tests/ext/install_template.log: $(filter-out tests/ext/install_template.log,$(TEST_LOGS))

# cfg/: a transformations config handler and its translator (tests/e2e/tf_cfg.sh)
check_LTLIBRARIES += tests/ext/cfg/cfg_ext.la
tests_ext_cfg_cfg_ext_la_SOURCES = tests/ext/cfg_ext.c
tests_ext_cfg_cfg_ext_la_LDFLAGS = $(MO_EXT_TEST_LDFLAGS)
tests_ext_cfg_cfg_ext_la_LIBADD = libmo.la
