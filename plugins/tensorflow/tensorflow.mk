## plugins/tensorflow/tensorflow.mk - the TensorFlow frontend module (included by plugins/Makefile.inc)
pkglib_LTLIBRARIES += plugins/mo_tensorflow.la

# tf.pb-c.{c,h} are generated into the build tree from our own proto.
MO_TF_PB = plugins/tensorflow/tf.pb-c.c plugins/tensorflow/tf.pb-c.h
BUILT_SOURCES += $(MO_TF_PB)
CLEANFILES += $(MO_TF_PB)
EXTRA_DIST += plugins/tensorflow/tf.proto

$(MO_TF_PB): plugins/tensorflow/tf.stamp
	@test -f $@ || { rm -f plugins/tensorflow/tf.stamp; $(MAKE) $(AM_MAKEFLAGS) plugins/tensorflow/tf.stamp; }
plugins/tensorflow/tf.stamp: $(srcdir)/plugins/tensorflow/tf.proto
	$(AM_V_GEN)$(MKDIR_P) plugins/tensorflow && \
	$(PROTOC_C) --proto_path=$(srcdir)/plugins/tensorflow --c_out=plugins/tensorflow \
		$(srcdir)/plugins/tensorflow/tf.proto && touch $@
CLEANFILES += plugins/tensorflow/tf.stamp

nodist_plugins_mo_tensorflow_la_SOURCES = $(MO_TF_PB)
plugins_mo_tensorflow_la_SOURCES = \
	plugins/tensorflow/tf.h plugins/tensorflow/tf_load.h \
	plugins/tensorflow/frontend.c plugins/tensorflow/graph.c plugins/tensorflow/tensor.c \
	plugins/tensorflow/inline.c plugins/tensorflow/checkpoint.c plugins/tensorflow/checkpoint.h \
	plugins/tensorflow/tr_util.c plugins/tensorflow/tr_nn.c plugins/tensorflow/tr_eltwise.c \
	plugins/tensorflow/tr_shape.c plugins/tensorflow/tr_reduce.c plugins/tensorflow/tr_misc.c
plugins_mo_tensorflow_la_SOURCES += plugins/tensorflow/tr_flow.c plugins/tensorflow/frames.c
plugins_mo_tensorflow_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/plugins/tensorflow
plugins_mo_tensorflow_la_CFLAGS = $(AM_CFLAGS) $(PROTOBUFC_CFLAGS)
plugins_mo_tensorflow_la_LIBADD = libmo.la plugins/common/libmo_common.la $(PROTOBUFC_LIBS) -lm
plugins_mo_tensorflow_la_LDFLAGS = $(MO_PLUGIN_FLAGS)
