## tests/passes.mk - the shared conversion passes (issue 4): unit suite and
## end-to-end checks in the real OpenVINO Runtime
check_PROGRAMS += tests/unit/test_passes tests/e2e/passes_graph tests/unit/test_pass_transpose_sink
tests_unit_test_pass_transpose_sink_SOURCES = tests/unit/test_pass_transpose_sink.c
tests_unit_test_pass_transpose_sink_CFLAGS = $(MO_UNIT_CC)
tests_unit_test_pass_transpose_sink_LDADD = $(MO_UNIT_LINK)
tests_unit_test_passes_SOURCES = tests/unit/test_passes.c
tests_unit_test_passes_CFLAGS = $(MO_UNIT_CC)
tests_unit_test_passes_LDADD = $(MO_UNIT_LINK)
tests_e2e_passes_graph_SOURCES = tests/e2e/passes_graph.c
tests_e2e_passes_graph_LDADD = libmo.la
TESTS += tests/unit/test_passes tests/unit/test_pass_transpose_sink tests/e2e/passes.sh tests/e2e/layer_counts.sh
TESTS += tests/e2e/passes_paddle.sh tests/e2e/transpose_sink.sh
EXTRA_DIST += tests/e2e/passes.sh tests/e2e/passes_prep.py tests/e2e/layer_counts.sh
EXTRA_DIST += tests/e2e/transpose_sink.sh
EXTRA_DIST += tests/e2e/passes_lib.sh tests/e2e/passes_paddle.sh tests/e2e/passes_tile.py \
	tests/e2e/passes_paddle_node.py
