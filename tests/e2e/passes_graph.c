/* passes_graph.c - builds, through the public API, a graph on which every
 * optimization has work: BatchNorm-like Multiply/Add after a convolution,
 * a 1x1 stride-2 convolution after it (stride optimization), Split -> two
 * convolutions -> Concat (grouped-convolution fusing), Pad before MaxPool
 * and before a convolution (Pad fusing), MatMul -> Multiply.  Writes it as
 * OUTDIR/passes_graph.xml either as built ("raw") or after mo_passes_run
 * ("opt", with options given as name=value), so passes.sh can run both in
 * OpenVINO and check that the passes change layers, not results.
 *
 * usage: passes_graph OUTDIR raw|opt [name=value...] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>

#include "passes/passes.h"

static uint32_t rng = 2463534242u;
static float uniform(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return (float)(rng & 0xffffff) / (float)0x1000000 * 2.0f - 1.0f;
}

static struct mo_error err;
static struct mo_graph *g;

#define CHECK(x)                                                                   \
    do {                                                                           \
        if (!(x)) {                                                                \
            fprintf(stderr, "passes_graph: %s failed: %s\n", #x, err.msg);         \
            exit(1);                                                               \
        }                                                                          \
    } while (0)

static struct mo_node *rnd(const char *name, struct mo_shape s, float scale, float offset)
{
    struct mo_tensor *t = mo_tensor_new(MO_ET_F32, &s, &err);
    CHECK(t);
    float *p = mo_tensor_mutable(&t, &err);
    for (int64_t i = 0; i < mo_shape_numel(&s); i++)
        p[i] = uniform() * scale + offset;
    struct mo_node *c = mo_const(g, name, t, &err);
    CHECK(c);
    return c;
}

static struct mo_node *op(const char *type, const char *name, unsigned n, struct mo_value *in)
{
    struct mo_node *x = mo_op(g, type, name, n, in, &err);
    CHECK(x);
    return x;
}

static struct mo_node *conv(const char *name, struct mo_value x, struct mo_node *w, int64_t pad, int64_t stride)
{
    struct mo_node *c = op("Convolution", name, 2, (struct mo_value[]){x, {w, 0}});
    int64_t s[] = {stride, stride}, d[] = {1, 1}, p[] = {pad, pad};
    CHECK(mo_node_set_ints(c, "strides", s, 2) == MO_OK);
    CHECK(mo_node_set_ints(c, "dilations", d, 2) == MO_OK);
    CHECK(mo_node_set_ints(c, "pads_begin", p, 2) == MO_OK);
    CHECK(mo_node_set_ints(c, "pads_end", p, 2) == MO_OK);
    return c;
}

static struct mo_node *pad(const char *name, struct mo_node *x)
{
    int64_t b[] = {0, 0, 1, 1};
    struct mo_node *pb = mo_const_i64(g, mo_graph_printf(g, "%s/b", name), b, 4, false, &err);
    struct mo_node *pe = mo_const_i64(g, mo_graph_printf(g, "%s/e", name), b, 4, false, &err);
    CHECK(pb && pe);
    struct mo_node *p = op("Pad", name, 3, (struct mo_value[]){{x, 0}, {pb, 0}, {pe, 0}});
    CHECK(mo_node_set_str(p, "pad_mode", "constant") == MO_OK);
    return p;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: passes_graph OUTDIR raw|opt [name=value...]\n");
        return 2;
    }
    struct mo_context *ctx = mo_context_new();
    struct mo_options *opts = mo_options_new();
    g = mo_graph_new(ctx);
    CHECK(ctx && opts && g);
    mo_context_set_silent(ctx, true);
    for (int i = 3; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        CHECK(eq);
        *eq = 0;
        CHECK(mo_options_set(opts, argv[i], eq + 1) == MO_OK);
    }

    struct mo_shape xs = mo_shape_of(1, 4, 17, 17);
    struct mo_node *x = mo_parameter(g, "data", MO_ET_F32, &xs, &err);
    CHECK(x);
    mo_node_add_output_name(x, 0, "data");
    struct mo_node *ca = conv("conv_a", mo_val(x, 0), rnd("conv_a/w", mo_shape_of(8, 4, 3, 3), 0.3f, 0), 1, 1);
    struct mo_node *bm = op("Multiply", "bn_a/mul", 2,
                            (struct mo_value[]){{ca, 0}, {rnd("bn_a/scale", mo_shape_of(1, 8, 1, 1), 0.5f, 1), 0}});
    struct mo_node *ba = op("Add", "bn_a/add", 2,
                            (struct mo_value[]){{bm, 0}, {rnd("bn_a/shift", mo_shape_of(1, 8, 1, 1), 0.5f, 0), 0}});
    struct mo_node *ra = op("Relu", "relu_a", 1, (struct mo_value[]){{ba, 0}});
    struct mo_node *cb = conv("conv_b", mo_val(ra, 0), rnd("conv_b/w", mo_shape_of(8, 8, 1, 1), 0.3f, 0), 0, 2);

    int64_t axis = 1;
    struct mo_node *ax = mo_const_i64(g, "split/axis", &axis, 1, true, &err);
    CHECK(ax);
    struct mo_node *sp = op("Split", "split", 2, (struct mo_value[]){{cb, 0}, {ax, 0}});
    CHECK(mo_node_set_int(sp, "num_splits", 2) == MO_OK);
    CHECK(mo_node_infer(sp, &err) == MO_OK);
    struct mo_node *g0 = conv("gconv0", mo_val(sp, 0), rnd("gconv0/w", mo_shape_of(3, 4, 3, 3), 0.3f, 0), 1, 1);
    struct mo_node *g1 = conv("gconv1", mo_val(sp, 1), rnd("gconv1/w", mo_shape_of(3, 4, 3, 3), 0.3f, 0), 1, 1);
    struct mo_node *cat = op("Concat", "concat", 2, (struct mo_value[]){{g0, 0}, {g1, 0}});
    CHECK(mo_node_set_int(cat, "axis", 1) == MO_OK);
    struct mo_node *rc = op("Relu", "relu_c", 1, (struct mo_value[]){{cat, 0}});

    struct mo_node *p1 = pad("pad_pool", rc);
    struct mo_node *mp = op("MaxPool", "pool", 1, (struct mo_value[]){{p1, 0}});
    int64_t k3[] = {3, 3}, one[] = {1, 1}, zero[] = {0, 0};
    CHECK(mo_node_set_ints(mp, "kernel", k3, 2) == MO_OK);
    CHECK(mo_node_set_ints(mp, "strides", one, 2) == MO_OK);
    CHECK(mo_node_set_ints(mp, "pads_begin", zero, 2) == MO_OK);
    CHECK(mo_node_set_ints(mp, "pads_end", zero, 2) == MO_OK);
    struct mo_node *p2 = pad("pad_conv", mp);
    struct mo_node *cd = conv("conv_d", mo_val(p2, 0), rnd("conv_d/w", mo_shape_of(4, 6, 3, 3), 0.3f, 0), 0, 1);

    int64_t flat[] = {1, -1};
    struct mo_node *shape = mo_const_i64(g, "flatten/shape", flat, 2, false, &err);
    CHECK(shape);
    struct mo_node *rs = op("Reshape", "flatten", 2, (struct mo_value[]){{cd, 0}, {shape, 0}});
    CHECK(mo_node_set_bool(rs, "special_zero", false) == MO_OK);
    struct mo_node *mm = op("MatMul", "fc", 2, (struct mo_value[]){{rs, 0}, {rnd("fc/w", mo_shape_of(10, 4 * 9 * 9), 0.1f, 0), 0}});
    CHECK(mo_node_set_bool(mm, "transpose_b", true) == MO_OK);
    struct mo_node *fm = op("Multiply", "fc/scale", 2, (struct mo_value[]){{mm, 0}, {rnd("fc/s", mo_shape_of(10), 0.5f, 1), 0}});
    struct mo_node *fa = op("Add", "fc/bias", 2, (struct mo_value[]){{fm, 0}, {rnd("fc/b", mo_shape_of(10), 0.5f, 0), 0}});
    mo_node_add_output_name(fa, 0, "out");
    CHECK(mo_result(g, mo_val(fa, 0), "out/sink_port_0", &err));
    CHECK(mo_graph_infer(g, &err) == MO_OK);
    if (!strcmp(argv[2], "opt")) {
        CHECK(mo_passes_run(ctx, g, opts, &err) == MO_OK);
        mo_graph_prune(g);
        CHECK(mo_passes_unique_names(g, &err) == MO_OK);
    }
    CHECK(mo_graph_validate(g, &err) == MO_OK);
    CHECK(mo_ir_write(g, argv[1], "passes_graph", NULL, &err) == MO_OK);
    mo_graph_free(g);
    mo_options_free(opts);
    mo_context_free(ctx);
    return 0;
}
