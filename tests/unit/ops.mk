## tests/unit/ops.mk - Check suites for the built-in op table (core/ops/).
## Each suite #includes tests/unit/test_ops_common.c for its fixture.
EXTRA_DIST += tests/unit/test_ops_common.c
noinst_HEADERS += tests/unit/run_suite.h

check_PROGRAMS += tests/unit/test_ops_shape
tests_unit_test_ops_shape_SOURCES = tests/unit/test_ops_shape.c
tests_unit_test_ops_shape_CFLAGS = $(MO_UNIT_CC)
tests_unit_test_ops_shape_LDADD = $(MO_UNIT_LINK)
TESTS += tests/unit/test_ops_shape

check_PROGRAMS += tests/unit/test_ops_gather
tests_unit_test_ops_gather_SOURCES = tests/unit/test_ops_gather.c
tests_unit_test_ops_gather_CFLAGS = $(MO_UNIT_CC)
tests_unit_test_ops_gather_LDADD = $(MO_UNIT_LINK)
TESTS += tests/unit/test_ops_gather

check_PROGRAMS += tests/unit/test_ops_reduce
tests_unit_test_ops_reduce_SOURCES = tests/unit/test_ops_reduce.c
tests_unit_test_ops_reduce_CFLAGS = $(MO_UNIT_CC)
tests_unit_test_ops_reduce_LDADD = $(MO_UNIT_LINK)
TESTS += tests/unit/test_ops_reduce

check_PROGRAMS += tests/unit/test_ops_norm
tests_unit_test_ops_norm_SOURCES = tests/unit/test_ops_norm.c
tests_unit_test_ops_norm_CFLAGS = $(MO_UNIT_CC)
tests_unit_test_ops_norm_LDADD = $(MO_UNIT_LINK)
TESTS += tests/unit/test_ops_norm

check_PROGRAMS += tests/unit/test_ops_resize
tests_unit_test_ops_resize_SOURCES = tests/unit/test_ops_resize.c
tests_unit_test_ops_resize_CFLAGS = $(MO_UNIT_CC)
tests_unit_test_ops_resize_LDADD = $(MO_UNIT_LINK)
TESTS += tests/unit/test_ops_resize

check_PROGRAMS += tests/unit/test_ops_misc
tests_unit_test_ops_misc_SOURCES = tests/unit/test_ops_misc.c
tests_unit_test_ops_misc_CFLAGS = $(MO_UNIT_CC)
tests_unit_test_ops_misc_LDADD = $(MO_UNIT_LINK)
TESTS += tests/unit/test_ops_misc

check_PROGRAMS += tests/unit/test_ops_detection
tests_unit_test_ops_detection_SOURCES = tests/unit/test_ops_detection.c
tests_unit_test_ops_detection_CFLAGS = $(MO_UNIT_CC)
tests_unit_test_ops_detection_LDADD = $(MO_UNIT_LINK)
TESTS += tests/unit/test_ops_detection

check_PROGRAMS += tests/unit/test_ops_nn
tests_unit_test_ops_nn_SOURCES = tests/unit/test_ops_nn.c
tests_unit_test_ops_nn_CFLAGS = $(MO_UNIT_CC)
tests_unit_test_ops_nn_LDADD = $(MO_UNIT_LINK)
TESTS += tests/unit/test_ops_nn
