/* api_body.c - control flow built through the public API (mo/body.h) and
 * written as IR, so that api_body.sh can run it in OpenVINO against the
 * numpy references of api_body_ref.py:
 *   body_if    If whose condition is a model input: then x + y, else x * c
 *   body_loop  Loop, trip count 10, stopping early when iter + 1 reaches the
 *              input `limit`; a back edge accumulates acc += x * iter, the
 *              per-iteration acc values are concatenated along axis 0
 *   body_ti    TensorIterator over axis 1 of seq [2,5,3]: a tanh RNN cell
 *              h = tanh(x_t W + h U + b), last h and every h (axis 1)
 *   body_ti_rev the same cell run from the last step to the first
 *   body_big   Loop whose body multiplies by a 600x600 constant (1.4 MiB)
 *              that the outer graph uses as well (stored once in the .bin)
 *   body_big16 the same after the pass pipeline with compress_to_fp16
 * Weights go to OUTDIR/NAME.f32 as raw little-endian floats.
 *
 * usage: api_body OUTDIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>

#include "passes/passes.h"

static struct mo_error err;
static const char *dir;

#define CHECK(x)                                                                   \
    do {                                                                           \
        if (!(x)) {                                                                \
            fprintf(stderr, "api_body:%d: %s failed: %s\n", __LINE__, #x, err.msg); \
            exit(1);                                                               \
        }                                                                          \
    } while (0)

static uint32_t rng = 2463534242u;
static float uniform(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return (float)(rng & 0xffffff) / (float)0x1000000 * 2.0f - 1.0f;
}

/* A random f32 Const, its values saved as DIR/file.f32 for the reference. */
static struct mo_node *weights(struct mo_graph *g, const char *name, struct mo_shape s,
                               float scale, const char *file)
{
    struct mo_tensor *t = mo_tensor_new(MO_ET_F32, &s, &err);
    CHECK(t);
    float *p = mo_tensor_mutable(&t, &err);
    CHECK(p);
    int64_t n = mo_shape_numel(&s);
    for (int64_t i = 0; i < n; i++)
        p[i] = uniform() * scale;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.f32", dir, file);
    FILE *f = fopen(path, "wb");
    CHECK(f && fwrite(p, 4, (size_t)n, f) == (size_t)n);
    fclose(f);
    struct mo_node *c = mo_const(g, name, t, &err);
    CHECK(c);
    return c;
}

static struct mo_node *op(struct mo_graph *g, const char *type, const char *name, unsigned n,
                          const struct mo_value *in)
{
    struct mo_node *x = mo_op(g, type, name, n, in, &err);
    CHECK(x);
    return x;
}

static struct mo_node *op2(struct mo_graph *g, const char *type, const char *name,
                           struct mo_node *a, struct mo_node *b)
{
    return op(g, type, name, 2, (struct mo_value[]){{a, 0}, {b, 0}});
}

static struct mo_node *param(struct mo_graph *g, const char *name, enum mo_etype et,
                             struct mo_shape s)
{
    struct mo_node *p = mo_parameter(g, name, et, &s, &err);
    CHECK(p);
    mo_node_add_output_name(p, 0, name);
    return p;
}

static struct mo_node *result(struct mo_graph *g, struct mo_node *x, const char *name)
{
    struct mo_node *r = mo_result(g, mo_val(x, 0), name, &err);
    CHECK(r);
    return r;
}

/* An outer output: named tensor + Result. */
static void output(struct mo_graph *g, struct mo_node *n, unsigned port, const char *name)
{
    mo_node_add_output_name(n, port, name);
    char rn[256];
    snprintf(rn, sizeof rn, "%s/sink_port_0", name);
    CHECK(mo_result(g, mo_val(n, port), rn, &err));
}

static struct mo_node *const_bool(struct mo_graph *g, const char *name, bool v)
{
    struct mo_shape s = mo_shape_scalar();
    uint8_t b = v;
    struct mo_tensor *t = mo_tensor_from_data(MO_ET_BOOLEAN, &s, &b, 1, &err);
    CHECK(t);
    struct mo_node *c = mo_const(g, name, t, &err);
    CHECK(c);
    return c;
}

static struct mo_node *scalar_i64(struct mo_graph *g, const char *name, int64_t v)
{
    struct mo_node *c = mo_const_i64(g, name, &v, 1, true, &err);
    CHECK(c);
    return c;
}

static void finish(struct mo_context *ctx, struct mo_graph *g, const char *name, bool fp16)
{
    CHECK(mo_graph_infer(g, &err) == MO_OK);
    if (fp16) {
        struct mo_options *o = mo_options_new();
        CHECK(o && mo_options_set(o, "compress_to_fp16", "1") == MO_OK);
        CHECK(mo_passes_run(ctx, g, o, &err) == MO_OK);
        mo_options_free(o);
    }
    mo_graph_prune(g);
    CHECK(mo_passes_unique_names(g, &err) == MO_OK);
    CHECK(mo_graph_validate(g, &err) == MO_OK);
    CHECK(mo_ir_write(g, dir, name, NULL, &err) == MO_OK);
}

static void build_if(struct mo_context *ctx)
{
    struct mo_graph *g = mo_graph_new(ctx);
    CHECK(g);
    struct mo_node *cond = param(g, "cond", MO_ET_BOOLEAN, mo_shape_scalar());
    struct mo_node *x = param(g, "x", MO_ET_F32, mo_shape_of(2, 3));
    struct mo_node *y = param(g, "y", MO_ET_F32, mo_shape_of(2, 3));
    struct mo_node *n = op(g, "If", "choose", 3, (struct mo_value[]){{cond, 0}, {x, 0}, {y, 0}});

    struct mo_body *tb = mo_body_add(n, &err);
    CHECK(tb);
    struct mo_node *tx = param(tb->graph, "then/x", MO_ET_F32, mo_shape_of(2, 3));
    struct mo_node *ty = param(tb->graph, "then/y", MO_ET_F32, mo_shape_of(2, 3));
    struct mo_node *sum = op2(tb->graph, "Add", "then/sum", tx, ty);
    struct mo_node *tr = result(tb->graph, sum, "then/out");
    CHECK(mo_body_input(tb, 1, tx, NULL, &err) == MO_OK);
    CHECK(mo_body_input(tb, 2, ty, NULL, &err) == MO_OK);
    CHECK(mo_body_output(tb, tr, 0, NULL, &err) == MO_OK);

    struct mo_body *eb = mo_body_add(n, &err);
    CHECK(eb);
    struct mo_node *ex = param(eb->graph, "else/x", MO_ET_F32, mo_shape_of(2, 3));
    struct mo_node *c = weights(eb->graph, "else/scale", mo_shape_of(2, 3), 2.0f, "if_scale");
    struct mo_node *prod = op2(eb->graph, "Multiply", "else/prod", ex, c);
    struct mo_node *er = result(eb->graph, prod, "else/out");
    CHECK(mo_body_input(eb, 1, ex, NULL, &err) == MO_OK);
    CHECK(mo_body_output(eb, er, 0, NULL, &err) == MO_OK);

    output(g, n, 0, "out");
    finish(ctx, g, "body_if", false);
    mo_graph_free(g);
}

static void build_loop(struct mo_context *ctx)
{
    struct mo_graph *g = mo_graph_new(ctx);
    CHECK(g);
    struct mo_node *x = param(g, "x", MO_ET_F32, mo_shape_of(1, 3));
    struct mo_node *a0 = param(g, "a0", MO_ET_F32, mo_shape_of(1, 3));
    struct mo_node *limit = param(g, "limit", MO_ET_I64, mo_shape_scalar());
    struct mo_node *tc = scalar_i64(g, "trip_count", 10);
    struct mo_node *go = const_bool(g, "start", true);
    struct mo_node *n = op(g, "Loop", "accumulate", 5,
                           (struct mo_value[]){{tc, 0}, {go, 0}, {x, 0}, {a0, 0}, {limit, 0}});
    struct mo_body *b = mo_body_add(n, &err);
    CHECK(b);
    struct mo_graph *bg = b->graph;
    struct mo_node *it = param(bg, "body/iter", MO_ET_I64, mo_shape_scalar());
    struct mo_node *bx = param(bg, "body/x", MO_ET_F32, mo_shape_of(1, 3));
    struct mo_node *acc = param(bg, "body/acc", MO_ET_F32, mo_shape_of(1, 3));
    struct mo_node *lim = param(bg, "body/limit", MO_ET_I64, mo_shape_scalar());
    struct mo_node *itf = op(bg, "Convert", "body/iter_f32", 1, (struct mo_value[]){{it, 0}});
    CHECK(mo_node_set_str(itf, "destination_type", "f32") == MO_OK);
    struct mo_node *step = op2(bg, "Multiply", "body/step", bx, itf);
    struct mo_node *next = op2(bg, "Add", "body/next", acc, step);
    struct mo_node *one = scalar_i64(bg, "body/one", 1);
    struct mo_node *it1 = op2(bg, "Add", "body/iter_plus_1", it, one);
    struct mo_node *more = op2(bg, "Less", "body/more", it1, lim);
    struct mo_node *r_next = result(bg, next, "body/next/r");
    struct mo_node *r_more = result(bg, more, "body/more/r");
    CHECK(mo_body_input(b, 2, bx, NULL, &err) == MO_OK);
    CHECK(mo_body_input(b, 3, acc, NULL, &err) == MO_OK);
    CHECK(mo_body_input(b, 4, lim, NULL, &err) == MO_OK);
    CHECK(mo_body_back_edge(b, r_next, acc, &err) == MO_OK);
    CHECK(mo_body_loop_ports(b, it, r_more, &err) == MO_OK);
    CHECK(mo_body_output(b, r_next, 0, NULL, &err) == MO_OK);
    struct mo_slice cat = mo_slice_axis(0);
    CHECK(mo_body_output(b, r_next, 1, &cat, &err) == MO_OK);
    output(g, n, 0, "final");
    output(g, n, 1, "history");
    finish(ctx, g, "body_loop", false);
    char s[64];
    printf("loop outputs [%s] [%s]\n", mo_shape_str(&n->outputs[0].shape, s, 32),
           mo_shape_str(&n->outputs[1].shape, s + 32, 32));
    mo_graph_free(g);
}

static void build_ti(struct mo_context *ctx, bool reverse)
{
    struct mo_graph *g = mo_graph_new(ctx);
    CHECK(g);
    struct mo_node *seq = param(g, "seq", MO_ET_F32, mo_shape_of(2, 5, 3));
    struct mo_node *h0 = param(g, "h0", MO_ET_F32, mo_shape_of(2, 4));
    struct mo_node *n = op(g, "TensorIterator", "rnn", 2, (struct mo_value[]){{seq, 0}, {h0, 0}});
    struct mo_body *b = mo_body_add(n, &err);
    CHECK(b);
    struct mo_graph *bg = b->graph;
    struct mo_node *xt = param(bg, "rnn/x_t", MO_ET_F32, mo_shape_of(2, 1, 3));
    struct mo_node *h = param(bg, "rnn/h", MO_ET_F32, mo_shape_of(2, 4));
    int64_t flat[] = {2, 3};
    struct mo_node *shp = mo_const_i64(bg, "rnn/x_shape", flat, 2, false, &err);
    CHECK(shp);
    struct mo_node *x2 = op2(bg, "Reshape", "rnn/x", xt, shp);
    CHECK(mo_node_set_bool(x2, "special_zero", false) == MO_OK);
    struct mo_node *W = weights(bg, "rnn/W", mo_shape_of(3, 4), 0.8f, "ti_W");
    struct mo_node *U = weights(bg, "rnn/U", mo_shape_of(4, 4), 0.8f, "ti_U");
    struct mo_node *B = weights(bg, "rnn/B", mo_shape_of(4), 0.3f, "ti_B");
    struct mo_node *xw = op2(bg, "MatMul", "rnn/xW", x2, W);
    struct mo_node *hu = op2(bg, "MatMul", "rnn/hU", h, U);
    struct mo_node *s1 = op2(bg, "Add", "rnn/sum", xw, hu);
    struct mo_node *s2 = op2(bg, "Add", "rnn/biased", s1, B);
    struct mo_node *hn = op(bg, "Tanh", "rnn/h_next", 1, (struct mo_value[]){{s2, 0}});
    int64_t ax[] = {1};
    struct mo_node *axc = mo_const_i64(bg, "rnn/axis", ax, 1, false, &err);
    CHECK(axc);
    struct mo_node *hu3 = op2(bg, "Unsqueeze", "rnn/h_seq", hn, axc);
    struct mo_node *rh = result(bg, hn, "rnn/h_next/r");
    struct mo_node *rs = result(bg, hu3, "rnn/h_seq/r");
    /* backwards: from the last step to the first, every h in its step's place */
    struct mo_slice along1 = reverse ? (struct mo_slice){1, -1, -1, 1, 0} : mo_slice_axis(1);
    CHECK(mo_body_input(b, 0, xt, &along1, &err) == MO_OK);
    CHECK(mo_body_input(b, 1, h, NULL, &err) == MO_OK);
    CHECK(mo_body_back_edge(b, rh, h, &err) == MO_OK);
    CHECK(mo_body_output(b, rh, 0, NULL, &err) == MO_OK);
    CHECK(mo_body_output(b, rs, 1, &along1, &err) == MO_OK);
    output(g, n, 0, "h_last");
    output(g, n, 1, "h_all");
    finish(ctx, g, reverse ? "body_ti_rev" : "body_ti", false);
    mo_graph_free(g);
}

/* W is used outside (y = x W) and inside the loop (acc = x, then three
 * times acc = tanh(acc W) + y); its 1.4 MiB must reach the .bin once. */
static void build_big(struct mo_context *ctx, bool fp16)
{
    enum { D = 600 };
    struct mo_graph *g = mo_graph_new(ctx);
    CHECK(g);
    uint32_t seed = rng;
    struct mo_node *x = param(g, "x", MO_ET_F32, mo_shape_of(1, D));
    struct mo_node *W = weights(g, "W", mo_shape_of(D, D), 0.06f, "big_W");
    struct mo_node *y = op2(g, "MatMul", "y", x, W);
    struct mo_node *tc = scalar_i64(g, "trip_count", 3);
    struct mo_node *go = const_bool(g, "start", true);
    struct mo_node *n = op(g, "Loop", "repeat", 4,
                           (struct mo_value[]){{tc, 0}, {go, 0}, {x, 0}, {y, 0}});
    struct mo_body *b = mo_body_add(n, &err);
    CHECK(b);
    struct mo_graph *bg = b->graph;
    struct mo_node *acc = param(bg, "repeat/acc", MO_ET_F32, mo_shape_of(1, D));
    struct mo_node *by = param(bg, "repeat/y", MO_ET_F32, mo_shape_of(1, D));
    rng = seed; /* the same values again: a second Const of equal bytes */
    struct mo_node *BW = weights(bg, "repeat/W", mo_shape_of(D, D), 0.06f, "big_W_again");
    struct mo_node *m = op2(bg, "MatMul", "repeat/mm", acc, BW);
    struct mo_node *t = op(bg, "Tanh", "repeat/tanh", 1, (struct mo_value[]){{m, 0}});
    struct mo_node *next = op2(bg, "Add", "repeat/next", t, by);
    struct mo_node *rn = result(bg, next, "repeat/next/r");
    struct mo_node *rgo = result(bg, const_bool(bg, "repeat/go", true), "repeat/go/r");
    CHECK(mo_body_input(b, 2, acc, NULL, &err) == MO_OK);
    CHECK(mo_body_input(b, 3, by, NULL, &err) == MO_OK);
    CHECK(mo_body_back_edge(b, rn, acc, &err) == MO_OK);
    CHECK(mo_body_loop_ports(b, NULL, rgo, &err) == MO_OK);
    CHECK(mo_body_output(b, rn, 0, NULL, &err) == MO_OK);
    output(g, n, 0, "out");
    finish(ctx, g, fp16 ? "body_big16" : "body_big", fp16);
    mo_graph_free(g);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: api_body OUTDIR\n");
        return 2;
    }
    dir = argv[1];
    struct mo_context *ctx = mo_context_new();
    CHECK(ctx);
    build_if(ctx);
    build_loop(ctx);
    uint32_t ti_seed = rng;
    build_ti(ctx, false);
    rng = ti_seed; /* the same weights */
    build_ti(ctx, true);
    uint32_t seed = rng;
    build_big(ctx, false);
    rng = seed;
    build_big(ctx, true);
    mo_context_free(ctx);
    return 0;
}
