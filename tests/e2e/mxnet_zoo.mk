## tests/e2e/mxnet_zoo.mk - MXNet tests beyond the per-op and model fixtures: --enable_ssd_gluoncv
## (the zoo itself, tests/zoo/run_mxnet_zoo.sh, is too large for make check and is run by hand)
TESTS += tests/e2e/mxnet_ssd.sh
EXTRA_DIST += tests/e2e/mxnet_ssd.sh tests/fixtures/mxnet/ssd_gluoncv_tiny tests/zoo/run_mxnet_zoo.sh
