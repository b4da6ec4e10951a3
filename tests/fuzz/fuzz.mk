## tests/fuzz/fuzz.mk - libFuzzer harnesses of the readers (included by tests/Makefile.inc)
##
## Each harness tests/fuzz/H.c (LLVMFuzzerTestOneInput) is built twice:
##  - tests/fuzz/replay_H, with tests/fuzz/replay.c as main(), in every
##    build: `make check` replays tests/fuzz/regress/H/* and the seeds
##    (tests/fuzz/replay.sh);
##  - tests/fuzz/fuzz_H, linked with libFuzzer, in a --enable-fuzzing build
##    only: `make fuzz FUZZ_SECONDS=N` runs each for N seconds
##    (tests/fuzz/run-fuzz.sh).
## Readers that live in a plugin module are compiled into the harness from
## their sources (listed per harness), so the harness calls them directly.
## A new harness: add H to MO_FUZZ_HARNESSES, its two blocks below, its
## seeds in tests/fuzz/seeds.sh (see tests/fuzz/README.md).
MO_FUZZ_HARNESSES = mx_symbol mx_ndarray pd_program pd_pir pd_params mapping options pb_wire onnx_model pb_text tf_graph tf_checkpoint
MO_FUZZ_HARNESSES += tcfg
MO_FUZZ_HARNESSES += caffe_model
MO_FUZZ_HARNESSES += npz
MO_FUZZ_COMMON = tests/fuzz/fuzz.h tests/fuzz/fuzz_util.c
MO_FUZZ_PB = plugins/paddle/framework.pb-c.c plugins/paddle/framework.pb-c.h


# mx_symbol
MO_FUZZ_MX_SYMBOL_SRC = tests/fuzz/mx_symbol.c $(MO_FUZZ_COMMON) plugins/mxnet/symbol.c plugins/mxnet/ndarray.c
tests_fuzz_replay_mx_symbol_SOURCES = $(MO_FUZZ_MX_SYMBOL_SRC) tests/fuzz/replay.c
tests_fuzz_replay_mx_symbol_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
tests_fuzz_replay_mx_symbol_LDADD = libmo.la $(JANSSON_LIBS)
if FUZZING
tests_fuzz_fuzz_mx_symbol_SOURCES = $(MO_FUZZ_MX_SYMBOL_SRC)
tests_fuzz_fuzz_mx_symbol_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
tests_fuzz_fuzz_mx_symbol_LDADD = libmo.la $(JANSSON_LIBS)
tests_fuzz_fuzz_mx_symbol_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
endif

# mx_ndarray
MO_FUZZ_MX_NDARRAY_SRC = tests/fuzz/mx_ndarray.c $(MO_FUZZ_COMMON) plugins/mxnet/ndarray.c
tests_fuzz_replay_mx_ndarray_SOURCES = $(MO_FUZZ_MX_NDARRAY_SRC) tests/fuzz/replay.c
tests_fuzz_replay_mx_ndarray_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
tests_fuzz_replay_mx_ndarray_LDADD = libmo.la
if FUZZING
tests_fuzz_fuzz_mx_ndarray_SOURCES = $(MO_FUZZ_MX_NDARRAY_SRC)
tests_fuzz_fuzz_mx_ndarray_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
tests_fuzz_fuzz_mx_ndarray_LDADD = libmo.la
tests_fuzz_fuzz_mx_ndarray_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
endif

# pd_program
MO_FUZZ_PD_PROGRAM_SRC = tests/fuzz/pd_program.c $(MO_FUZZ_COMMON) plugins/paddle/program.c plugins/paddle/params.c plugins/paddle/tr_util.c
tests_fuzz_replay_pd_program_SOURCES = $(MO_FUZZ_PD_PROGRAM_SRC) tests/fuzz/replay.c
nodist_tests_fuzz_replay_pd_program_SOURCES = $(MO_FUZZ_PB)
tests_fuzz_replay_pd_program_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/plugins/paddle
tests_fuzz_replay_pd_program_CFLAGS = $(AM_CFLAGS) $(PROTOBUFC_CFLAGS) $(JANSSON_CFLAGS)
tests_fuzz_replay_pd_program_LDADD = libmo.la $(PROTOBUFC_LIBS)
if FUZZING
tests_fuzz_fuzz_pd_program_SOURCES = $(MO_FUZZ_PD_PROGRAM_SRC)
nodist_tests_fuzz_fuzz_pd_program_SOURCES = $(MO_FUZZ_PB)
tests_fuzz_fuzz_pd_program_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/plugins/paddle
tests_fuzz_fuzz_pd_program_CFLAGS = $(AM_CFLAGS) $(PROTOBUFC_CFLAGS) $(JANSSON_CFLAGS)
tests_fuzz_fuzz_pd_program_LDADD = libmo.la $(PROTOBUFC_LIBS)
tests_fuzz_fuzz_pd_program_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
endif

# pd_pir
MO_FUZZ_PD_PIR_SRC = tests/fuzz/pd_pir.c $(MO_FUZZ_COMMON) plugins/paddle/pir.c plugins/paddle/pir_names.c plugins/paddle/program.c plugins/paddle/params.c plugins/paddle/tr_util.c
tests_fuzz_replay_pd_pir_SOURCES = $(MO_FUZZ_PD_PIR_SRC) tests/fuzz/replay.c
nodist_tests_fuzz_replay_pd_pir_SOURCES = $(MO_FUZZ_PB)
tests_fuzz_replay_pd_pir_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/plugins/paddle
tests_fuzz_replay_pd_pir_CFLAGS = $(AM_CFLAGS) $(PROTOBUFC_CFLAGS) $(JANSSON_CFLAGS)
tests_fuzz_replay_pd_pir_LDADD = libmo.la $(PROTOBUFC_LIBS) $(JANSSON_LIBS)
if FUZZING
tests_fuzz_fuzz_pd_pir_SOURCES = $(MO_FUZZ_PD_PIR_SRC)
nodist_tests_fuzz_fuzz_pd_pir_SOURCES = $(MO_FUZZ_PB)
tests_fuzz_fuzz_pd_pir_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/plugins/paddle
tests_fuzz_fuzz_pd_pir_CFLAGS = $(AM_CFLAGS) $(PROTOBUFC_CFLAGS) $(JANSSON_CFLAGS)
tests_fuzz_fuzz_pd_pir_LDADD = libmo.la $(PROTOBUFC_LIBS) $(JANSSON_LIBS)
tests_fuzz_fuzz_pd_pir_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
endif

# pd_params
MO_FUZZ_PD_PARAMS_SRC = tests/fuzz/pd_params.c $(MO_FUZZ_COMMON) plugins/paddle/params.c plugins/paddle/tr_util.c
tests_fuzz_replay_pd_params_SOURCES = $(MO_FUZZ_PD_PARAMS_SRC) tests/fuzz/replay.c
nodist_tests_fuzz_replay_pd_params_SOURCES = $(MO_FUZZ_PB)
tests_fuzz_replay_pd_params_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/plugins/paddle
tests_fuzz_replay_pd_params_CFLAGS = $(AM_CFLAGS) $(PROTOBUFC_CFLAGS)
tests_fuzz_replay_pd_params_LDADD = libmo.la $(PROTOBUFC_LIBS)
if FUZZING
tests_fuzz_fuzz_pd_params_SOURCES = $(MO_FUZZ_PD_PARAMS_SRC)
nodist_tests_fuzz_fuzz_pd_params_SOURCES = $(MO_FUZZ_PB)
tests_fuzz_fuzz_pd_params_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/plugins/paddle
tests_fuzz_fuzz_pd_params_CFLAGS = $(AM_CFLAGS) $(PROTOBUFC_CFLAGS)
tests_fuzz_fuzz_pd_params_LDADD = libmo.la $(PROTOBUFC_LIBS)
tests_fuzz_fuzz_pd_params_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
endif

# mapping
MO_FUZZ_MAPPING_SRC = tests/fuzz/mapping.c $(MO_FUZZ_COMMON)
tests_fuzz_replay_mapping_SOURCES = $(MO_FUZZ_MAPPING_SRC) tests/fuzz/replay.c
tests_fuzz_replay_mapping_CFLAGS = $(AM_CFLAGS) $(LIBXML_CFLAGS) $(LTDLINCL)
tests_fuzz_replay_mapping_LDADD = libmo.la
if FUZZING
tests_fuzz_fuzz_mapping_SOURCES = $(MO_FUZZ_MAPPING_SRC)
tests_fuzz_fuzz_mapping_CFLAGS = $(AM_CFLAGS) $(LIBXML_CFLAGS) $(LTDLINCL)
tests_fuzz_fuzz_mapping_LDADD = libmo.la
tests_fuzz_fuzz_mapping_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
endif

# options
MO_FUZZ_OPTIONS_SRC = tests/fuzz/options.c $(MO_FUZZ_COMMON) core/cli/cli_options.c
tests_fuzz_replay_options_SOURCES = $(MO_FUZZ_OPTIONS_SRC) tests/fuzz/replay.c
tests_fuzz_replay_options_CFLAGS = $(AM_CFLAGS)
tests_fuzz_replay_options_LDADD = libmo.la
if FUZZING
tests_fuzz_fuzz_options_SOURCES = $(MO_FUZZ_OPTIONS_SRC)
tests_fuzz_fuzz_options_CFLAGS = $(AM_CFLAGS)
tests_fuzz_fuzz_options_LDADD = libmo.la
tests_fuzz_fuzz_options_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
endif

# pb_wire
MO_FUZZ_PB_WIRE_SRC = tests/fuzz/pb_wire.c $(MO_FUZZ_COMMON)
tests_fuzz_replay_pb_wire_SOURCES = $(MO_FUZZ_PB_WIRE_SRC) tests/fuzz/replay.c
tests_fuzz_replay_pb_wire_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/common
tests_fuzz_replay_pb_wire_LDADD = plugins/common/libmo_common.la libmo.la
if FUZZING
tests_fuzz_fuzz_pb_wire_SOURCES = $(MO_FUZZ_PB_WIRE_SRC)
tests_fuzz_fuzz_pb_wire_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/common
tests_fuzz_fuzz_pb_wire_LDADD = plugins/common/libmo_common.la libmo.la
tests_fuzz_fuzz_pb_wire_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
endif

# onnx_model
MO_FUZZ_ONNX_MODEL_SRC = tests/fuzz/onnx_model.c $(MO_FUZZ_COMMON) plugins/onnx/model.c plugins/onnx/tensor.c
MO_FUZZ_OX_PB = plugins/onnx/onnx.pb-c.c plugins/onnx/onnx.pb-c.h
tests_fuzz_replay_onnx_model_SOURCES = $(MO_FUZZ_ONNX_MODEL_SRC) tests/fuzz/replay.c
nodist_tests_fuzz_replay_onnx_model_SOURCES = $(MO_FUZZ_OX_PB)
tests_fuzz_replay_onnx_model_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/plugins/onnx
tests_fuzz_replay_onnx_model_CFLAGS = $(AM_CFLAGS) $(PROTOBUFC_CFLAGS)
tests_fuzz_replay_onnx_model_LDADD = plugins/common/libmo_common.la libmo.la $(PROTOBUFC_LIBS)
if FUZZING
tests_fuzz_fuzz_onnx_model_SOURCES = $(MO_FUZZ_ONNX_MODEL_SRC)
nodist_tests_fuzz_fuzz_onnx_model_SOURCES = $(MO_FUZZ_OX_PB)
tests_fuzz_fuzz_onnx_model_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/plugins/onnx
tests_fuzz_fuzz_onnx_model_CFLAGS = $(AM_CFLAGS) $(PROTOBUFC_CFLAGS)
tests_fuzz_fuzz_onnx_model_LDADD = plugins/common/libmo_common.la libmo.la $(PROTOBUFC_LIBS)
tests_fuzz_fuzz_onnx_model_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
endif

# pb_text (on the unit test's schema, tests/unit/pb_text_test.proto)
MO_FUZZ_PB_TEXT_SRC = tests/fuzz/pb_text.c $(MO_FUZZ_COMMON)
MO_FUZZ_PB_TEXT_PB = tests/unit/pb_text_test.pb-c.c tests/unit/pb_text_test.pb-c.h
tests_fuzz_replay_pb_text_SOURCES = $(MO_FUZZ_PB_TEXT_SRC) tests/fuzz/replay.c
nodist_tests_fuzz_replay_pb_text_SOURCES = $(MO_FUZZ_PB_TEXT_PB)
tests_fuzz_replay_pb_text_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/common -I$(top_builddir)/tests/unit
tests_fuzz_replay_pb_text_CFLAGS = $(AM_CFLAGS) $(PROTOBUFC_CFLAGS)
tests_fuzz_replay_pb_text_LDADD = plugins/common/libmo_common.la libmo.la $(PROTOBUFC_LIBS)
if FUZZING
tests_fuzz_fuzz_pb_text_SOURCES = $(MO_FUZZ_PB_TEXT_SRC)
nodist_tests_fuzz_fuzz_pb_text_SOURCES = $(MO_FUZZ_PB_TEXT_PB)
tests_fuzz_fuzz_pb_text_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/common -I$(top_builddir)/tests/unit
tests_fuzz_fuzz_pb_text_CFLAGS = $(AM_CFLAGS) $(PROTOBUFC_CFLAGS)
tests_fuzz_fuzz_pb_text_LDADD = plugins/common/libmo_common.la libmo.la $(PROTOBUFC_LIBS)
tests_fuzz_fuzz_pb_text_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
endif

# tf_graph
MO_FUZZ_TF_GRAPH_SRC = tests/fuzz/tf_graph.c $(MO_FUZZ_COMMON) plugins/tensorflow/graph.c plugins/tensorflow/tensor.c \
	plugins/tensorflow/inline.c plugins/tensorflow/checkpoint.c plugins/tensorflow/checkpoint.h
MO_FUZZ_TF_GRAPH_SRC += plugins/tensorflow/frames.c
MO_FUZZ_TF_PB = plugins/tensorflow/tf.pb-c.c plugins/tensorflow/tf.pb-c.h
tests_fuzz_replay_tf_graph_SOURCES = $(MO_FUZZ_TF_GRAPH_SRC) tests/fuzz/replay.c
nodist_tests_fuzz_replay_tf_graph_SOURCES = $(MO_FUZZ_TF_PB)
tests_fuzz_replay_tf_graph_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/plugins/tensorflow
tests_fuzz_replay_tf_graph_CFLAGS = $(AM_CFLAGS) $(PROTOBUFC_CFLAGS)
tests_fuzz_replay_tf_graph_LDADD = plugins/common/libmo_common.la libmo.la $(PROTOBUFC_LIBS)
if FUZZING
tests_fuzz_fuzz_tf_graph_SOURCES = $(MO_FUZZ_TF_GRAPH_SRC)
nodist_tests_fuzz_fuzz_tf_graph_SOURCES = $(MO_FUZZ_TF_PB)
tests_fuzz_fuzz_tf_graph_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/plugins/tensorflow
tests_fuzz_fuzz_tf_graph_CFLAGS = $(AM_CFLAGS) $(PROTOBUFC_CFLAGS)
tests_fuzz_fuzz_tf_graph_LDADD = plugins/common/libmo_common.la libmo.la $(PROTOBUFC_LIBS)
tests_fuzz_fuzz_tf_graph_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
endif

# tf_checkpoint
MO_FUZZ_TF_CHECKPOINT_SRC = tests/fuzz/tf_checkpoint.c $(MO_FUZZ_COMMON) plugins/tensorflow/checkpoint.c \
	plugins/tensorflow/checkpoint.h plugins/tensorflow/tensor.c
tests_fuzz_replay_tf_checkpoint_SOURCES = $(MO_FUZZ_TF_CHECKPOINT_SRC) tests/fuzz/replay.c
nodist_tests_fuzz_replay_tf_checkpoint_SOURCES = $(MO_FUZZ_TF_PB)
tests_fuzz_replay_tf_checkpoint_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/plugins/tensorflow
tests_fuzz_replay_tf_checkpoint_CFLAGS = $(AM_CFLAGS) $(PROTOBUFC_CFLAGS)
tests_fuzz_replay_tf_checkpoint_LDADD = plugins/common/libmo_common.la libmo.la $(PROTOBUFC_LIBS)
if FUZZING
tests_fuzz_fuzz_tf_checkpoint_SOURCES = $(MO_FUZZ_TF_CHECKPOINT_SRC)
nodist_tests_fuzz_fuzz_tf_checkpoint_SOURCES = $(MO_FUZZ_TF_PB)
tests_fuzz_fuzz_tf_checkpoint_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/plugins/tensorflow
tests_fuzz_fuzz_tf_checkpoint_CFLAGS = $(AM_CFLAGS) $(PROTOBUFC_CFLAGS)
tests_fuzz_fuzz_tf_checkpoint_LDADD = plugins/common/libmo_common.la libmo.la $(PROTOBUFC_LIBS)
tests_fuzz_fuzz_tf_checkpoint_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
endif

# caffe_model
MO_FUZZ_CAFFE_MODEL_SRC = tests/fuzz/caffe_model.c $(MO_FUZZ_COMMON) plugins/caffe/net.c plugins/caffe/caffe.h
MO_FUZZ_CF_PB = plugins/caffe/caffe.pb-c.c plugins/caffe/caffe.pb-c.h
tests_fuzz_replay_caffe_model_SOURCES = $(MO_FUZZ_CAFFE_MODEL_SRC) tests/fuzz/replay.c
nodist_tests_fuzz_replay_caffe_model_SOURCES = $(MO_FUZZ_CF_PB)
tests_fuzz_replay_caffe_model_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/plugins/caffe
tests_fuzz_replay_caffe_model_CFLAGS = $(AM_CFLAGS) $(PROTOBUFC_CFLAGS)
tests_fuzz_replay_caffe_model_LDADD = plugins/common/libmo_common.la libmo.la $(PROTOBUFC_LIBS)
if FUZZING
tests_fuzz_fuzz_caffe_model_SOURCES = $(MO_FUZZ_CAFFE_MODEL_SRC)
nodist_tests_fuzz_fuzz_caffe_model_SOURCES = $(MO_FUZZ_CF_PB)
tests_fuzz_fuzz_caffe_model_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/plugins/caffe
tests_fuzz_fuzz_caffe_model_CFLAGS = $(AM_CFLAGS) $(PROTOBUFC_CFLAGS)
tests_fuzz_fuzz_caffe_model_LDADD = plugins/common/libmo_common.la libmo.la $(PROTOBUFC_LIBS)
tests_fuzz_fuzz_caffe_model_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
endif

# npz
MO_FUZZ_NPZ_SRC = tests/fuzz/npz.c $(MO_FUZZ_COMMON)
tests_fuzz_replay_npz_SOURCES = $(MO_FUZZ_NPZ_SRC) tests/fuzz/replay.c
tests_fuzz_replay_npz_LDADD = libmo.la
if FUZZING
tests_fuzz_fuzz_npz_SOURCES = $(MO_FUZZ_NPZ_SRC)
tests_fuzz_fuzz_npz_LDADD = libmo.la
tests_fuzz_fuzz_npz_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
endif

check_PROGRAMS += tests/fuzz/replay_mx_symbol \
	tests/fuzz/replay_mx_ndarray \
	tests/fuzz/replay_pd_program \
	tests/fuzz/replay_pd_pir \
	tests/fuzz/replay_pd_params \
	tests/fuzz/replay_mapping \
	tests/fuzz/replay_options \
	tests/fuzz/replay_pb_wire \
	tests/fuzz/replay_onnx_model \
	tests/fuzz/replay_pb_text \
	tests/fuzz/replay_tf_graph \
	tests/fuzz/replay_tf_checkpoint
check_PROGRAMS += tests/fuzz/replay_caffe_model
check_PROGRAMS += tests/fuzz/replay_npz
noinst_PROGRAMS =
if FUZZING
MO_FUZZERS = tests/fuzz/fuzz_mx_symbol \
	tests/fuzz/fuzz_mx_ndarray \
	tests/fuzz/fuzz_pd_program \
	tests/fuzz/fuzz_pd_pir \
	tests/fuzz/fuzz_pd_params \
	tests/fuzz/fuzz_mapping \
	tests/fuzz/fuzz_options \
	tests/fuzz/fuzz_pb_wire \
	tests/fuzz/fuzz_onnx_model \
	tests/fuzz/fuzz_pb_text \
	tests/fuzz/fuzz_tf_graph \
	tests/fuzz/fuzz_tf_checkpoint
MO_FUZZERS += tests/fuzz/fuzz_caffe_model
MO_FUZZERS += tests/fuzz/fuzz_npz
noinst_PROGRAMS += $(MO_FUZZERS)
endif
TESTS += tests/fuzz/replay.sh
EXTRA_DIST += tests/fuzz/replay.sh tests/fuzz/seeds.sh tests/fuzz/run-fuzz.sh \
	tests/fuzz/README.md tests/fuzz/seeds tests/fuzz/regress tests/fuzz/mx_symbol.dict \
	tests/fuzz/pd_pir.dict tests/fuzz/mapping.dict tests/fuzz/options.dict \
	tests/fuzz/onnx_model.dict tests/fuzz/pb_text.dict tests/fuzz/tf_graph.dict \
	tests/fuzz/npz.dict
# tests/fuzz/seeds is a directory of hand-written seeds.  Without a rule of
# its own, make's built-in '%: %.sh' would "remake" it from seeds.sh (as an
# executable copy in the build tree) whenever seeds.sh is the newer, and
# `make dist` would then ship that copy instead of the seeds.
tests/fuzz/seeds: ;

# make fuzz FUZZ_SECONDS=N: every harness N seconds (default 60), one after
# the other, with its seeds and dictionary; corpora grow in fuzz-corpus/,
# crashes land in fuzz-crashes/, logs in fuzz-logs/.  Fails if any crashed.
FUZZ_SECONDS = 60
FUZZ_HARNESSES = $(MO_FUZZ_HARNESSES)
if FUZZING
fuzz: $(MO_FUZZERS)
	@top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	$(SHELL) $(srcdir)/tests/fuzz/run-fuzz.sh $(FUZZ_SECONDS) $(FUZZ_HARNESSES)
else
fuzz:
	@echo "make fuzz: this build has no fuzzers; configure a separate build with CC=clang ../configure --enable-fuzzing" >&2; exit 1
endif
.PHONY: fuzz


# tcfg: transformations configs (core/tcfg_*.c)
MO_FUZZ_TCFG_SRC = tests/fuzz/tcfg.c $(MO_FUZZ_COMMON)
tests_fuzz_replay_tcfg_SOURCES = $(MO_FUZZ_TCFG_SRC) tests/fuzz/replay.c
tests_fuzz_replay_tcfg_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS) $(LTDLINCL)
tests_fuzz_replay_tcfg_LDADD = libmo.la $(JANSSON_LIBS)
check_PROGRAMS += tests/fuzz/replay_tcfg
if FUZZING
tests_fuzz_fuzz_tcfg_SOURCES = $(MO_FUZZ_TCFG_SRC)
tests_fuzz_fuzz_tcfg_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS) $(LTDLINCL)
tests_fuzz_fuzz_tcfg_LDADD = libmo.la $(JANSSON_LIBS)
tests_fuzz_fuzz_tcfg_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
MO_FUZZERS += tests/fuzz/fuzz_tcfg
endif
EXTRA_DIST += tests/fuzz/tcfg.dict
# kaldi_model (the Kaldi frontend's reader: plugins/kaldi/kio.c, model.c)
MO_FUZZ_HARNESSES += kaldi_model
MO_FUZZ_KALDI_MODEL_SRC = tests/fuzz/kaldi_model.c $(MO_FUZZ_COMMON) plugins/kaldi/kio.c plugins/kaldi/model.c \
	plugins/kaldi/nnet1.c plugins/kaldi/nnet3.c plugins/kaldi/priors.c plugins/kaldi/model.h \
	plugins/kaldi/tr_kaldi.c plugins/kaldi/kaldi.h plugins/kaldi/kio.h
tests_fuzz_replay_kaldi_model_SOURCES = $(MO_FUZZ_KALDI_MODEL_SRC) tests/fuzz/replay.c
tests_fuzz_replay_kaldi_model_LDADD = libmo.la -lm
check_PROGRAMS += tests/fuzz/replay_kaldi_model
if FUZZING
tests_fuzz_fuzz_kaldi_model_SOURCES = $(MO_FUZZ_KALDI_MODEL_SRC)
tests_fuzz_fuzz_kaldi_model_LDADD = libmo.la -lm
tests_fuzz_fuzz_kaldi_model_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
MO_FUZZERS += tests/fuzz/fuzz_kaldi_model
endif
EXTRA_DIST += tests/fuzz/kaldi_model.dict
