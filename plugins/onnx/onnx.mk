## plugins/onnx/onnx.mk - the ONNX frontend module (included by plugins/Makefile.inc)
pkglib_LTLIBRARIES += plugins/mo_onnx.la

# onnx.pb-c.{c,h} are generated into the build tree from our own proto.
MO_OX_PB = plugins/onnx/onnx.pb-c.c plugins/onnx/onnx.pb-c.h
BUILT_SOURCES += $(MO_OX_PB)
CLEANFILES += $(MO_OX_PB)
EXTRA_DIST += plugins/onnx/onnx.proto

$(MO_OX_PB): plugins/onnx/onnx.stamp
	@test -f $@ || { rm -f plugins/onnx/onnx.stamp; $(MAKE) $(AM_MAKEFLAGS) plugins/onnx/onnx.stamp; }
plugins/onnx/onnx.stamp: $(srcdir)/plugins/onnx/onnx.proto
	$(AM_V_GEN)$(MKDIR_P) plugins/onnx && \
	$(PROTOC_C) --proto_path=$(srcdir)/plugins/onnx --c_out=plugins/onnx \
		$(srcdir)/plugins/onnx/onnx.proto && touch $@
CLEANFILES += plugins/onnx/onnx.stamp

nodist_plugins_mo_onnx_la_SOURCES = $(MO_OX_PB)
plugins_mo_onnx_la_SOURCES = \
	plugins/onnx/onnx.h plugins/onnx/ox_load.h \
	plugins/onnx/frontend.c plugins/onnx/model.c plugins/onnx/tensor.c plugins/onnx/tr_util.c \
	plugins/onnx/tr_activation.c plugins/onnx/tr_eltwise.c plugins/onnx/tr_conv.c \
	plugins/onnx/tr_pool.c plugins/onnx/tr_norm.c plugins/onnx/tr_matmul.c \
	plugins/onnx/tr_shape.c plugins/onnx/tr_gather.c plugins/onnx/tr_reduce.c \
	plugins/onnx/tr_resize.c plugins/onnx/tr_misc.c plugins/onnx/tr_rnn.c \
	plugins/onnx/tr_detection.c plugins/onnx/tr_quant.c plugins/onnx/tr_msft.c \
	plugins/onnx/tr_control.c plugins/onnx/tr_signal.c plugins/onnx/tr_loss.c
plugins_mo_onnx_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/plugins/onnx
plugins_mo_onnx_la_CFLAGS = $(AM_CFLAGS) $(PROTOBUFC_CFLAGS)
plugins_mo_onnx_la_LIBADD = libmo.la plugins/common/libmo_common.la $(PROTOBUFC_LIBS) -lm
plugins_mo_onnx_la_LDFLAGS = $(MO_PLUGIN_FLAGS)
