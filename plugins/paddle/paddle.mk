## plugins/paddle/paddle.mk - the PaddlePaddle frontend module (included by plugins/Makefile.inc)
pkglib_LTLIBRARIES += plugins/mo_paddle.la

# framework.pb-c.{c,h} are generated into the build tree from our own proto.
MO_PD_PB = plugins/paddle/framework.pb-c.c plugins/paddle/framework.pb-c.h
BUILT_SOURCES += $(MO_PD_PB)
CLEANFILES += $(MO_PD_PB)
EXTRA_DIST += plugins/paddle/framework.proto

$(MO_PD_PB): plugins/paddle/framework.stamp
	@test -f $@ || { rm -f plugins/paddle/framework.stamp; $(MAKE) $(AM_MAKEFLAGS) plugins/paddle/framework.stamp; }
plugins/paddle/framework.stamp: $(srcdir)/plugins/paddle/framework.proto
	$(AM_V_GEN)$(MKDIR_P) plugins/paddle && \
	$(PROTOC_C) --proto_path=$(srcdir)/plugins/paddle --c_out=plugins/paddle \
		$(srcdir)/plugins/paddle/framework.proto && touch $@
CLEANFILES += plugins/paddle/framework.stamp

nodist_plugins_mo_paddle_la_SOURCES = $(MO_PD_PB)
plugins_mo_paddle_la_SOURCES = \
	plugins/paddle/paddle.h plugins/paddle/pd_load.h \
	plugins/paddle/frontend.c plugins/paddle/program.c plugins/paddle/params.c \
	plugins/paddle/pir.c plugins/paddle/pir_names.c plugins/paddle/tr_util.c \
	plugins/paddle/tr_conv.c plugins/paddle/tr_pool.c plugins/paddle/tr_norm.c \
	plugins/paddle/tr_activation.c plugins/paddle/tr_eltwise.c plugins/paddle/tr_matmul.c \
	plugins/paddle/tr_shape.c plugins/paddle/tr_misc.c plugins/paddle/tr_resize.c \
	plugins/paddle/tr_reduce.c plugins/paddle/tr_detection.c \
	plugins/paddle/tr_math.c plugins/paddle/tr_create.c plugins/paddle/tr_index.c \
	plugins/paddle/tr_nn.c plugins/paddle/tr_roi.c plugins/paddle/tr_flow.c plugins/paddle/tr_rnn.c \
	plugins/paddle/tr_array.c
plugins_mo_paddle_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/plugins/paddle
plugins_mo_paddle_la_CFLAGS = $(AM_CFLAGS) $(PROTOBUFC_CFLAGS) $(JANSSON_CFLAGS)
plugins_mo_paddle_la_LIBADD = libmo.la $(PROTOBUFC_LIBS) $(JANSSON_LIBS) -lm
plugins_mo_paddle_la_LDFLAGS = $(MO_PLUGIN_FLAGS)

TESTS += tests/e2e/paddle_models.sh tests/e2e/paddle_bad_input.sh tests/e2e/paddle_noweights.sh
EXTRA_DIST += tests/e2e/paddle_models.sh tests/e2e/paddle_bad_input.sh tests/e2e/paddle_noweights.sh

# one tiny model per translator and variant, both formats (tests/gen/paddle_ops.py)
TESTS += tests/e2e/paddle_ops.sh
EXTRA_DIST += tests/e2e/paddle_ops.sh tests/e2e/run_ir_many.py
