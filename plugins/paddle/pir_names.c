/* pir_names.c - how each PIR op (pd_op.<name>) maps onto the legacy
 * operator the translators know: its legacy type, the legacy slot name of
 * each positional input and output, and attribute renames.
 *
 * The maps are kept in one array per op family, so that the families grow
 * independently; a name is looked up in every array, first match wins. */
#include <config.h>

#include <string.h>

#include "paddle.h"
#include "pd_load.h"

#define X1 {"X"}
#define XY {"X", "Y"}
#define OUT1 {"Out"}

/* the first ops the frontend read: conv, norm, activations, shapes... */
static const struct mo_pd_pir_map maps_core[] = {
    {"conv2d", "conv2d", {"Input", "Filter"}, {"Output"}, {NULL}},
    {"depthwise_conv2d", "depthwise_conv2d", {"Input", "Filter"}, {"Output"}, {NULL}},
    {"conv2d_transpose", "conv2d_transpose", {"Input", "Filter", "@output_size"}, {"Output"}, {NULL}},
    {"depthwise_conv2d_transpose", "depthwise_conv2d_transpose", {"Input", "Filter", "@output_size"},
     {"Output"}, {NULL}},
    {"batch_norm", "batch_norm", {"X", "Mean", "Variance", "Scale", "Bias"},
     {"Y", "MeanOut", "VarianceOut", "SavedMean", "SavedVariance", "ReserveSpace"}, {NULL}},
    {"batch_norm_", "batch_norm", {"X", "Mean", "Variance", "Scale", "Bias"},
     {"Y", "MeanOut", "VarianceOut", "SavedMean", "SavedVariance", "ReserveSpace"}, {NULL}},
    {"pool2d", "pool2d", {"X", "@ksize"}, OUT1, {"kernel_size=ksize"}},
    {"relu", "relu", X1, OUT1, {NULL}},
    {"relu6", "relu6", X1, OUT1, {NULL}},
    {"sigmoid", "sigmoid", X1, OUT1, {NULL}},
    {"tanh", "tanh", X1, OUT1, {NULL}},
    {"exp", "exp", X1, OUT1, {NULL}},
    {"sqrt", "sqrt", X1, OUT1, {NULL}},
    {"abs", "abs", X1, OUT1, {NULL}},
    {"log", "log", X1, OUT1, {NULL}},
    {"floor", "floor", X1, OUT1, {NULL}},
    {"ceil", "ceil", X1, OUT1, {NULL}},
    {"softplus", "softplus", X1, OUT1, {NULL}},
    {"mish", "mish", X1, OUT1, {NULL}},
    {"silu", "silu", X1, OUT1, {NULL}},
    {"elu", "elu", X1, OUT1, {NULL}},
    {"hardswish", "hard_swish", X1, OUT1, {NULL}},
    {"hardsigmoid", "hard_sigmoid", X1, OUT1, {NULL}},
    {"swish", "swish", X1, OUT1, {NULL}},
    {"leaky_relu", "leaky_relu", X1, OUT1, {"negative_slope=alpha"}},
    {"gelu", "gelu", X1, OUT1, {NULL}},
    {"prelu", "prelu", {"X", "Alpha"}, OUT1, {NULL}},
    {"clip", "clip", {"X", "@min", "@max"}, OUT1, {NULL}},
    {"add", "elementwise_add", {"X", "Y"}, OUT1, {NULL}},
    {"subtract", "elementwise_sub", {"X", "Y"}, OUT1, {NULL}},
    {"multiply", "elementwise_mul", {"X", "Y"}, OUT1, {NULL}},
    {"divide", "elementwise_div", {"X", "Y"}, OUT1, {NULL}},
    {"maximum", "elementwise_max", {"X", "Y"}, OUT1, {NULL}},
    {"minimum", "elementwise_min", {"X", "Y"}, OUT1, {NULL}},
    {"elementwise_pow", "elementwise_pow", {"X", "Y"}, OUT1, {NULL}},
    {"remainder", "elementwise_mod", {"X", "Y"}, OUT1, {NULL}},
    {"matmul", "matmul_v2", {"X", "Y"}, OUT1, {"transpose_x=trans_x", "transpose_y=trans_y"}},
    {"scale", "scale", {"X", "@scale"}, OUT1, {NULL}},
    {"softmax", "softmax", X1, OUT1, {NULL}},
    {"log_softmax", "log_softmax", X1, OUT1, {NULL}},
    {"reshape", "reshape2", {"X", "@shape"}, {"Out", "XShape"}, {NULL}},
    {"transpose", "transpose2", X1, OUT1, {"perm=axis"}},
    {"flatten", "flatten_contiguous_range", X1, OUT1, {NULL}},
    {"concat", "concat", {"X", "@axis"}, OUT1, {NULL}},
    {"split_with_num", "split", {"X", "@axis"}, OUT1, {NULL}},
    {"split", "split", {"X", "@sections", "@axis"}, OUT1, {NULL}},
    {"slice", "slice", {"Input", "@starts", "@ends"}, OUT1, {NULL}},
    {"strided_slice", "strided_slice", {"Input", "@starts", "@ends", "@strides"}, OUT1, {NULL}},
    {"squeeze", "squeeze2", {"X", "@axes"}, OUT1, {NULL}},
    {"unsqueeze", "unsqueeze2", {"X", "@axes"}, OUT1, {NULL}},
    {"stack", "stack", X1, {"Y"}, {NULL}},
    {"dropout", "dropout", {"X", "-", "@dropout_prob"}, {"Out", "Mask"},
     {"p=dropout_prob", "mode=dropout_implementation"}},
    {"shape", "shape", {"Input"}, OUT1, {NULL}},
    {"shape64", "shape64", {"Input"}, OUT1, {NULL}}, /* int64, unlike shape */
    {"cast", "cast", X1, OUT1, {"dtype=out_dtype"}},
    {"gather", "gather", {"X", "Index", "@axis"}, OUT1, {NULL}},
    {"nearest_interp", "nearest_interp_v2", {"X", "OutSize", "SizeTensor", "Scale"}, OUT1,
     {"data_format=data_layout"}},
    {"bilinear_interp", "bilinear_interp_v2", {"X", "OutSize", "SizeTensor", "Scale"}, OUT1,
     {"data_format=data_layout"}},
    {"pad3d", "pad3d", {"X", "@paddings"}, OUT1, {"pad_value=value"}},
    {"layer_norm", "layer_norm", {"X", "Scale", "Bias"}, {"Y", "Mean", "Variance"}, {NULL}},
    {"lrn", "lrn", X1, {"Out", "MidOut"}, {NULL}},
    {"mean", "reduce_mean", {"X", "@dim"}, OUT1, {"keepdim=keep_dim", "axis=dim"}},
    {"sum", "reduce_sum", {"X", "@dim"}, OUT1, {"keepdim=keep_dim", "axis=dim"}},
    {"max", "reduce_max", {"X", "@dim"}, OUT1, {"keepdim=keep_dim", "axis=dim"}},
    {"min", "reduce_min", {"X", "@dim"}, OUT1, {"keepdim=keep_dim", "axis=dim"}},
    {"prod", "reduce_prod", {"X", "@dim"}, OUT1, {"keepdim=keep_dim", "axis=dim"}},
    {"argmax", "arg_max", {"X", "@axis"}, OUT1, {NULL}},
    {"argmin", "arg_min", {"X", "@axis"}, OUT1, {NULL}},
    {"assign", "assign", X1, OUT1, {NULL}},
    {"expand", "expand_v2", {"X", "@shape"}, OUT1, {NULL}},
    {"shuffle_channel", "shuffle_channel", X1, OUT1, {NULL}},
    {"prior_box", "prior_box", {"Input", "Image"}, {"Boxes", "Variances"}, {NULL}},
    {"box_coder", "box_coder", {"PriorBox", "PriorBoxVar", "TargetBox"}, {"OutputBox"}, {NULL}},
    {"multiclass_nms3", "multiclass_nms3", {"BBoxes", "Scores", "RoisNum"},
     {"Out", "Index", "NmsRoisNum"}, {NULL}},
    {"yolo_box", "yolo_box", {"X", "ImgSize"}, {"Boxes", "Scores"}, {NULL}},
    /* the input is only the buffer written in place */
    {"assign_value_", "assign_value", {"-"}, OUT1, {NULL}},
    {"assign_value", "assign_value", {"-"}, OUT1, {NULL}},
};

/* elementwise, activation, comparison, logical, reduce ops (tr_math.c, tr_eltwise.c, tr_activation.c, tr_reduce.c) */
static const struct mo_pd_pir_map maps_math[] = {
    /* comparisons, logical and bitwise ops: numpy broadcasting, no axis */
    {"equal", "equal", XY, OUT1, {NULL}},
    {"not_equal", "not_equal", XY, OUT1, {NULL}},
    {"less_than", "less_than", XY, OUT1, {NULL}},
    {"less_equal", "less_equal", XY, OUT1, {NULL}},
    {"greater_than", "greater_than", XY, OUT1, {NULL}},
    {"greater_equal", "greater_equal", XY, OUT1, {NULL}},
    {"logical_and", "logical_and", XY, OUT1, {NULL}},
    {"logical_or", "logical_or", XY, OUT1, {NULL}},
    {"logical_xor", "logical_xor", XY, OUT1, {NULL}},
    {"bitwise_and", "bitwise_and", XY, OUT1, {NULL}},
    {"bitwise_or", "bitwise_or", XY, OUT1, {NULL}},
    {"bitwise_xor", "bitwise_xor", XY, OUT1, {NULL}},
    /* unary math and activations of the same name */
    {"logical_not", "logical_not", X1, OUT1, {NULL}},
    {"bitwise_not", "bitwise_not", X1, OUT1, {NULL}},
    {"sin", "sin", X1, OUT1, {NULL}},
    {"cos", "cos", X1, OUT1, {NULL}},
    {"tan", "tan", X1, OUT1, {NULL}},
    {"asin", "asin", X1, OUT1, {NULL}},
    {"acos", "acos", X1, OUT1, {NULL}},
    {"atan", "atan", X1, OUT1, {NULL}},
    {"sinh", "sinh", X1, OUT1, {NULL}},
    {"cosh", "cosh", X1, OUT1, {NULL}},
    {"asinh", "asinh", X1, OUT1, {NULL}},
    {"acosh", "acosh", X1, OUT1, {NULL}},
    {"atanh", "atanh", X1, OUT1, {NULL}},
    {"erf", "erf", X1, OUT1, {NULL}},
    {"sign", "sign", X1, OUT1, {NULL}},
    {"softsign", "softsign", X1, OUT1, {NULL}},
    {"rsqrt", "rsqrt", X1, OUT1, {NULL}},
    {"reciprocal", "reciprocal", X1, OUT1, {NULL}},
    {"square", "square", X1, OUT1, {NULL}},
    {"log1p", "log1p", X1, OUT1, {NULL}},
    {"log2", "log2", X1, OUT1, {NULL}},
    {"log10", "log10", X1, OUT1, {NULL}},
    {"expm1", "expm1", X1, OUT1, {NULL}},
    {"tanh_shrink", "tanh_shrink", X1, OUT1, {NULL}},
    {"logsigmoid", "logsigmoid", X1, OUT1, {NULL}},
    {"round", "round", X1, OUT1, {NULL}},
    {"thresholded_relu", "thresholded_relu", X1, OUT1, {NULL}},
    {"selu", "selu", X1, OUT1, {NULL}},
    {"celu", "celu", X1, OUT1, {NULL}},
    {"isnan", "isnan_v2", X1, OUT1, {NULL}},
    {"isinf", "isinf_v2", X1, OUT1, {NULL}},
    {"isfinite", "isfinite_v2", X1, OUT1, {NULL}},
    {"hardshrink", "hard_shrink", X1, OUT1, {NULL}},
    {"softshrink", "softshrink", X1, OUT1, {"threshold=lambda"}},
    {"floor_divide", "elementwise_floordiv", XY, OUT1, {NULL}},
    {"pow", "pow", X1, OUT1, {"y=factor"}},
    {"cumsum", "cumsum", {"X", "@axis"}, OUT1, {NULL}},
    /* legacy "sum" is add_n; PIR's "sum" is the reduction (maps_core) */
    {"add_n", "sum", X1, OUT1, {NULL}},
    {"where", "where", {"Condition", "X", "Y"}, OUT1, {NULL}},
    {"all", "reduce_all", X1, OUT1, {"axis=dim", "keepdim=keep_dim"}},
    {"any", "reduce_any", X1, OUT1, {"axis=dim", "keepdim=keep_dim"}},
    {"logsumexp", "logsumexp", X1, OUT1, {NULL}},
    {"amax", "reduce_amax", X1, OUT1, {"axis=dim", "keepdim=keep_dim"}},
    {"amin", "reduce_amin", X1, OUT1, {"axis=dim", "keepdim=keep_dim"}},
    {"atan2", "atan2", {"X1", "X2"}, OUT1, {NULL}},
    {"trunc", "trunc", X1, OUT1, {NULL}},
    {"fmax", "elementwise_fmax", XY, OUT1, {NULL}},
    {"fmin", "elementwise_fmin", XY, OUT1, {NULL}},
    {"heaviside", "elementwise_heaviside", XY, OUT1, {NULL}},
    {"lerp", "lerp", {"X", "Y", "Weight"}, OUT1, {NULL}},
    {"stanh", "stanh", X1, OUT1, {NULL}},
    {"logit", "logit", X1, OUT1, {NULL}},
    {"hardtanh", "brelu", X1, OUT1, {NULL}},
    {"rrelu", "rrelu", X1, {"Out", "Noise"}, {NULL}},
    {"logcumsumexp", "logcumsumexp", X1, OUT1, {NULL}},
    {"cumprod", "cumprod", {"X", "@dim"}, OUT1, {NULL}},
    {"maxout", "maxout", X1, OUT1, {NULL}},
    {"isclose", "isclose", {"Input", "Other", "@rtol", "@atol"}, OUT1, {NULL}},
    {"allclose", "allclose", {"Input", "Other", "@rtol", "@atol"}, OUT1, {NULL}},
    {"swiglu", "swiglu", XY, OUT1, {NULL}},
    /* the legacy shift ops name their slots in lower case */
    {"bitwise_left_shift", "bitwise_left_shift", {"x", "y"}, {"out"}, {NULL}},
    {"bitwise_right_shift", "bitwise_right_shift", {"x", "y"}, {"out"}, {NULL}},
};

/* creation and shape ops (tr_create.c, tr_shape.c, tr_misc.c) */
static const struct mo_pd_pir_map maps_create[] = {
    {"full_with_tensor", "fill_constant", {"ValueTensor", "ShapeTensor"}, OUT1, {NULL}},
    {"full_like", "fill_any_like", {"X", "@value"}, OUT1, {NULL}},
    {"full_batch_size_like", "fill_constant_batch_size_like", {"Input"}, OUT1, {NULL}},
    {"expand_as", "expand_as_v2", {"X", "Y"}, OUT1, {NULL}},
    {"tile", "tile", {"X", "@repeat_times"}, OUT1, {NULL}},
    {"arange", "range", {"Start", "End", "Step"}, OUT1, {NULL}},
    {"linspace", "linspace", {"Start", "Stop", "Num"}, OUT1, {NULL}},
    {"eye", "eye", {"@num_rows", "@num_columns"}, OUT1, {NULL}},
    {"meshgrid", "meshgrid", X1, OUT1, {NULL}},
    {"share_data", "share_data", X1, OUT1, {NULL}},
    {"share_data_", "share_data", X1, OUT1, {NULL}},
    {"memcpy", "memcpy", X1, OUT1, {NULL}},
    {"memcpy_d2h", "memcpy_d2h", X1, OUT1, {NULL}},
    {"memcpy_h2d", "memcpy_h2d", X1, OUT1, {NULL}},
    {"set_value", "set_value", {"Input", "@starts", "@ends", "@steps"}, OUT1, {NULL}},
    {"set_value_", "set_value", {"Input", "@starts", "@ends", "@steps"}, OUT1, {NULL}},
    {"set_value_with_tensor", "set_value", {"Input", "ValueTensor", "@starts", "@ends", "@steps"},
     OUT1, {NULL}},
    {"set_value_with_tensor_", "set_value", {"Input", "ValueTensor", "@starts", "@ends", "@steps"},
     OUT1, {NULL}},
    /* the outputs come as a vector unpacked by builtin.split, all Out */
    {"unstack", "unstack", X1, OUT1, {NULL}},
    {"pixel_shuffle", "pixel_shuffle", X1, OUT1, {NULL}},
    {"pixel_unshuffle", "pixel_unshuffle", X1, OUT1, {NULL}},
    {"channel_shuffle", "channel_shuffle", X1, OUT1, {NULL}},
    {"flip", "flip", X1, OUT1, {NULL}},
    {"reverse", "reverse", {"X", "@axis"}, OUT1, {NULL}},
    {"roll", "roll", {"X", "@shifts"}, OUT1, {NULL}},
    {"tril", "tril", X1, OUT1, {NULL}},
    {"triu", "triu", X1, OUT1, {NULL}},
    {"numel", "size", {"Input"}, OUT1, {NULL}},
    {"pad", "pad", {"X", "@pad_value"}, OUT1, {NULL}},
    {"crop", "crop_tensor", {"X", "@shape", "@offsets"}, OUT1, {NULL}},
};

/* indexing, gather/scatter, sorting ops (tr_index.c) */
static const struct mo_pd_pir_map maps_index[] = {
    {"gather_nd", "gather_nd", {"X", "Index"}, OUT1, {NULL}},
    {"index_select", "index_select", {"X", "Index"}, OUT1, {"axis=dim"}},
    {"index_sample", "index_sample", {"X", "Index"}, OUT1, {NULL}},
    {"take_along_axis", "take_along_axis", {"Input", "Index"}, {"Result"}, {"axis=Axis"}},
    {"put_along_axis", "put_along_axis", {"Input", "Index", "Value"}, {"Result"},
     {"axis=Axis", "reduce=Reduce", "include_self=Include_self"}},
    {"put_along_axis_", "put_along_axis", {"Input", "Index", "Value"}, {"Result"},
     {"axis=Axis", "reduce=Reduce", "include_self=Include_self"}},
    {"scatter", "scatter", {"X", "Ids", "Updates"}, OUT1, {NULL}},
    {"scatter_", "scatter", {"X", "Ids", "Updates"}, OUT1, {NULL}},
    {"scatter_nd_add", "scatter_nd_add", {"X", "Index", "Updates"}, OUT1, {NULL}},
    {"embedding", "lookup_table_v2", {"Ids", "W"}, OUT1, {NULL}},
    {"one_hot", "one_hot_v2", {"X", "@depth"}, OUT1, {NULL}},
    {"topk", "top_k_v2", {"X", "@k"}, {"Out", "Indices"}, {NULL}},
    {"argsort", "argsort", X1, {"Out", "Indices"}, {NULL}},
    {"unique", "unique", X1, {"Out", "Indices", "Index", "Counts"}, {NULL}},
    {"nonzero", "where_index", {"Condition"}, OUT1, {NULL}},
    {"masked_select", "masked_select", {"X", "Mask"}, {"Y"}, {NULL}},
    {"index_put", "index_put", {"x", "indices", "value"}, {"out"}, {NULL}},
    {"index_put_", "index_put", {"x", "indices", "value"}, {"out"}, {NULL}},
    {"gather_tree", "gather_tree", {"Ids", "Parents"}, OUT1, {NULL}},
};

/* convolution, pooling, normalization, interpolation ops (tr_nn.c, tr_conv.c, tr_pool.c, tr_norm.c, tr_resize.c, tr_matmul.c) */
static const struct mo_pd_pir_map maps_nn[] = {
    {"conv3d", "conv3d", {"Input", "Filter"}, {"Output"}, {NULL}},
    {"conv3d_transpose", "conv3d_transpose", {"Input", "Filter"}, {"Output"}, {NULL}},
    {"group_norm", "group_norm", {"X", "Scale", "Bias"}, {"Y", "Mean", "Variance"},
     {"data_format=data_layout"}},
    {"instance_norm", "instance_norm", {"X", "Scale", "Bias"}, {"Y", "SavedMean", "SavedVariance"},
     {NULL}},
    {"p_norm", "p_norm", X1, OUT1, {NULL}},
    {"bmm", "bmm", XY, OUT1, {NULL}},
    {"linear_interp", "linear_interp_v2", {"X", "OutSize", "SizeTensor", "Scale"}, OUT1,
     {"data_format=data_layout"}},
    {"trilinear_interp", "trilinear_interp_v2", {"X", "OutSize", "SizeTensor", "Scale"}, OUT1,
     {"data_format=data_layout"}},
    {"bicubic_interp", "bicubic_interp_v2", {"X", "OutSize", "SizeTensor", "Scale"}, OUT1,
     {"data_format=data_layout"}},
    {"deformable_conv", "deformable_conv", {"Input", "Offset", "Filter", "Mask"}, {"Output"},
     {NULL}},
    {"grid_sample", "grid_sampler", {"X", "Grid"}, {"Output"}, {NULL}},
    {"quantize_linear", "quantize_linear", {"X", "Scale", "ZeroPoint", "InAccum", "InState"},
     {"Y", "OutState", "OutAccum", "OutScale"}, {NULL}},
    {"dequantize_linear", "dequantize_linear", {"X", "Scale", "ZeroPoint", "InAccum", "InState"},
     {"Y", "OutState", "OutAccum", "OutScale"}, {NULL}},
    {"pool3d", "pool3d", {"X", "@ksize"}, OUT1, {"kernel_size=ksize"}},
    {"max_pool2d_with_index", "max_pool2d_with_index", X1, {"Out", "Mask"}, {"kernel_size=ksize"}},
    {"max_pool3d_with_index", "max_pool3d_with_index", X1, {"Out", "Mask"}, {"kernel_size=ksize"}},
};

/* detection ops (tr_detection.c, tr_roi.c) */
static const struct mo_pd_pir_map maps_det[] = {
    {"matrix_nms", "matrix_nms", {"BBoxes", "Scores"}, {"Out", "Index", "RoisNum"}, {NULL}},
    {"generate_proposals", "generate_proposals_v2",
     {"Scores", "BboxDeltas", "ImShape", "Anchors", "Variances"},
     {"RpnRois", "RpnRoiProbs", "RpnRoisNum"},
     {"pre_nms_top_n=pre_nms_topN", "post_nms_top_n=post_nms_topN"}},
    {"roi_align", "roi_align", {"X", "ROIs", "RoisNum"}, OUT1, {NULL}},
    {"roi_pool", "roi_pool", {"X", "ROIs", "RoisNum"}, {"Out", "Argmax"}, {NULL}},
    {"psroi_pool", "psroi_pool", {"X", "ROIs", "RoisNum"}, OUT1, {NULL}},
    /* two vector outputs: pir.c's split puts their elements in these slots */
    {"distribute_fpn_proposals", "distribute_fpn_proposals", {"FpnRois", "RoisNum"},
     {"MultiFpnRois", "MultiLevelRoIsNum", "RestoreIndex"}, {NULL}},
};

/* control flow, tensor arrays, rnn (tr_flow.c, tr_rnn.c) */
static const struct mo_pd_pir_map maps_flow[] = {
    /* rnn's state_out is a vector (h, and c for LSTM) */
    {"rnn", "rnn", {"Input", "PreState", "WeightList", "SequenceLength", "-"},
     {"Out", "DropoutState", "State", "Reserve"}, {NULL}},
    /* tensor arrays (tr_array.c); create_array is read by pir.c itself */
    {"array_write_", "write_to_array", {"Array", "X", "I"}, OUT1, {NULL}},
    {"array_read", "read_from_array", {"X", "I"}, OUT1, {NULL}},
    {"array_length", "lod_array_length", X1, OUT1, {NULL}},
    {"array_to_tensor", "tensor_array_to_tensor", X1, {"Out", "OutIndex"}, {NULL}},
    {"select_input", "select_input", {"Mask", "X"}, OUT1, {NULL}},
    {"increment", "increment", X1, OUT1, {"value=step"}},
    {"increment_", "increment", X1, OUT1, {"value=step"}},
};

static const struct { const struct mo_pd_pir_map *v; size_t n; } groups[] = {
    {maps_core, MO_COUNT_OF(maps_core)},
    {maps_math, MO_COUNT_OF(maps_math)},
    {maps_create, MO_COUNT_OF(maps_create)},
    {maps_index, MO_COUNT_OF(maps_index)},
    {maps_nn, MO_COUNT_OF(maps_nn)},
    {maps_det, MO_COUNT_OF(maps_det)},
    {maps_flow, MO_COUNT_OF(maps_flow)},
};

const struct mo_pd_pir_map *mo_pd_pir_find(const char *name)
{
    for (size_t g = 0; g < MO_COUNT_OF(groups); g++)
        for (size_t i = 0; i < groups[g].n; i++)
            if (groups[g].v[i].pir && !strcmp(groups[g].v[i].pir, name))
                return &groups[g].v[i];
    return NULL;
}
