## plugins/kaldi/kaldi.mk - the Kaldi frontend module (included by plugins/Makefile.inc)
pkglib_LTLIBRARIES += plugins/mo_kaldi.la
plugins_mo_kaldi_la_SOURCES = \
	plugins/kaldi/frontend.c plugins/kaldi/model.c plugins/kaldi/nnet1.c plugins/kaldi/nnet3.c \
	plugins/kaldi/priors.c plugins/kaldi/kio.c plugins/kaldi/tr_kaldi.c plugins/kaldi/model.h \
	plugins/kaldi/kaldi.h plugins/kaldi/kio.h
plugins_mo_kaldi_la_CFLAGS = $(AM_CFLAGS)
plugins_mo_kaldi_la_LIBADD = libmo.la -lm
plugins_mo_kaldi_la_LDFLAGS = $(MO_PLUGIN_FLAGS)
