## tests/e2e/e2e.mk - core end-to-end tests with the real OpenVINO Runtime
check_PROGRAMS += tests/e2e/api_graph
tests_e2e_api_graph_SOURCES = tests/e2e/api_graph.c
tests_e2e_api_graph_LDADD = libmo.la
TESTS += tests/e2e/api_graph.sh
EXTRA_DIST += tests/e2e/api_graph.sh tests/e2e/api_graph_ref.py tests/e2e/run_ir.py tests/e2e/lib.sh
# one compile site (tests/ovrun.py), f32 pinned on every CPU
TESTS += tests/e2e/precision.sh
EXTRA_DIST += tests/e2e/precision.sh tests/ovrun.py tests/suite_common.py
# issue 12: a 1 GiB model converts in a 256 MiB memory cgroup (the variants
# still expected to be OOM-killed are MO_BIG_EXPECT_OOM in the script), and
# a conversion SIGKILLed at any moment leaves the previous IR or none
TESTS += tests/e2e/big_memlimit.sh tests/e2e/kill_atomic.sh
EXTRA_DIST += tests/e2e/big_memlimit.sh tests/e2e/memcg.py tests/e2e/kill_atomic.sh tests/e2e/kill_atomic.py
# control flow (If, Loop, TensorIterator) built through mo/body.h, run in
# the real runtime against numpy
check_PROGRAMS += tests/e2e/api_body
tests_e2e_api_body_SOURCES = tests/e2e/api_body.c
tests_e2e_api_body_LDADD = libmo.la
TESTS += tests/e2e/api_body.sh
EXTRA_DIST += tests/e2e/api_body.sh tests/e2e/api_body_ref.py
# the ops added for the ONNX frontend, one small IR per group, each run in
# the runtime against numpy
check_PROGRAMS += tests/e2e/api_ops_onnx
tests_e2e_api_ops_onnx_SOURCES = tests/e2e/api_ops_onnx.c
tests_e2e_api_ops_onnx_LDADD = libmo.la
TESTS += tests/e2e/api_ops_onnx.sh
EXTRA_DIST += tests/e2e/api_ops_onnx.sh tests/e2e/api_ops_onnx.py
