## tests/e2e/onnx.mk - ONNX frontend end to end (included by tests/Makefile.inc):
## the fixtures of tests/gen/onnx_models.py against onnxruntime's outputs and the
## options on them, broken inputs (tests/gen/onnx_bad.py), > 4 GiB of external
## data in a memory cgroup (tests/gen/big_onnx.py)
TESTS += tests/e2e/onnx_models.sh tests/e2e/onnx_bad_input.sh
EXTRA_DIST += tests/e2e/onnx_models.sh tests/e2e/onnx_bad_input.sh
# 4.25 GiB of external data in a 256 MiB memory cgroup, peak RSS under 64 MiB
# (skips where big_memlimit.sh skips; 15-30 s; its OpenVINO run is opt-in,
# MO_BIG_ONNX_RUN=1)
TESTS += tests/e2e/big_onnx.sh
EXTRA_DIST += tests/e2e/big_onnx.sh
# the ONNX backend node tests of tests/onnx/ci_cases.txt (libonnx-testdata)
TESTS += tests/e2e/onnx_node_suite.sh
EXTRA_DIST += tests/e2e/onnx_node_suite.sh tests/onnx/node_suite.py tests/onnx/ci_cases.txt \
	tests/onnx/run-node-suite.sh tests/onnx/install-testdata.sh
