## tests/e2e/mxnet_ops.mk - per-op MXNet tests against real MXNet outputs
TESTS += tests/e2e/mxnet_ops.sh
EXTRA_DIST += tests/e2e/mxnet_ops.sh tests/gen/mxnet_ops.py tests/fixtures/mxnet_ops
