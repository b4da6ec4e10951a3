## plugins/mxnet/mxnet.mk - the MXNet frontend module (included by plugins/Makefile.inc)
pkglib_LTLIBRARIES += plugins/mo_mxnet.la
plugins_mo_mxnet_la_SOURCES = \
	plugins/mxnet/frontend.c plugins/mxnet/symbol.c plugins/mxnet/ndarray.c \
	plugins/mxnet/tr_conv.c plugins/mxnet/tr_pool.c plugins/mxnet/tr_norm.c \
	plugins/mxnet/tr_activation.c plugins/mxnet/tr_eltwise.c \
	plugins/mxnet/tr_shape.c plugins/mxnet/tr_reduce.c plugins/mxnet/tr_softmax.c \
	plugins/mxnet/tr_resize.c plugins/mxnet/tr_misc.c plugins/mxnet/tr_detection.c \
	plugins/mxnet/tr_custom.c plugins/mxnet/tr_util.c plugins/mxnet/ssd_gluoncv.c \
	plugins/mxnet/mxnet.h plugins/mxnet/mx_load.h plugins/mxnet/tr_util.h
plugins_mo_mxnet_la_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
plugins_mo_mxnet_la_LIBADD = libmo.la $(JANSSON_LIBS) -lm
plugins_mo_mxnet_la_LDFLAGS = $(MO_PLUGIN_FLAGS)

TESTS += tests/e2e/mxnet_models.sh tests/e2e/mxnet_bad_input.sh
EXTRA_DIST += tests/e2e/mxnet_models.sh tests/e2e/mxnet_bad_input.sh tests/gen/mxnet_models.py \
	tests/fixtures/mxnet
