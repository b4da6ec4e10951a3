## plugins/caffe/caffe.mk - the Caffe frontend module (included by plugins/Makefile.inc)
pkglib_LTLIBRARIES += plugins/mo_caffe.la

# caffe.pb-c.{c,h} are generated into the build tree from our own proto.
MO_CF_PB = plugins/caffe/caffe.pb-c.c plugins/caffe/caffe.pb-c.h
BUILT_SOURCES += $(MO_CF_PB)
CLEANFILES += $(MO_CF_PB)
EXTRA_DIST += plugins/caffe/caffe.proto

$(MO_CF_PB): plugins/caffe/caffe.stamp
	@test -f $@ || { rm -f plugins/caffe/caffe.stamp; $(MAKE) $(AM_MAKEFLAGS) plugins/caffe/caffe.stamp; }
# Caffe's Exp and Log layers have a field named `base`, which protobuf-c
# also uses for every message's header: the generated member is renamed
# base_ (the descriptor keeps Caffe's name, which the text format reads).
plugins/caffe/caffe.stamp: $(srcdir)/plugins/caffe/caffe.proto
	$(AM_V_GEN)$(MKDIR_P) plugins/caffe && \
	$(PROTOC_C) --proto_path=$(srcdir)/plugins/caffe --c_out=plugins/caffe \
		$(srcdir)/plugins/caffe/caffe.proto && \
	sed -i -e 's/^  float base;$$/  float base_;/' plugins/caffe/caffe.pb-c.h && \
	sed -i -e 's/offsetof(MoCf__\(Exp\|Log\)Parameter, base)/offsetof(MoCf__\1Parameter, base_)/' \
		plugins/caffe/caffe.pb-c.c && touch $@
CLEANFILES += plugins/caffe/caffe.stamp

nodist_plugins_mo_caffe_la_SOURCES = $(MO_CF_PB)
plugins_mo_caffe_la_SOURCES = \
	plugins/caffe/caffe.h plugins/caffe/frontend.c plugins/caffe/net.c plugins/caffe/tr_util.c \
	plugins/caffe/tr_conv.c plugins/caffe/tr_norm.c plugins/caffe/tr_eltwise.c plugins/caffe/tr_shape.c \
	plugins/caffe/tr_detection.c
plugins_mo_caffe_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/plugins/caffe
plugins_mo_caffe_la_CFLAGS = $(AM_CFLAGS) $(PROTOBUFC_CFLAGS)
plugins_mo_caffe_la_LIBADD = libmo.la plugins/common/libmo_common.la $(PROTOBUFC_LIBS) -lm
plugins_mo_caffe_la_LDFLAGS = $(MO_PLUGIN_FLAGS)
