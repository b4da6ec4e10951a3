/* api_graph.c - builds conv + bias + relu + maxpool + fully-connected through
 * the public API alone and writes it as IR, with its weights and input as raw
 * little-endian f32 files, so that api_graph_ref.py can compute the expected
 * output independently in numpy and run_ir.py can check the IR in OpenVINO.
 *
 * usage: api_graph OUTDIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mo/mo.h>

/* xorshift: reproducible values without libc's rand() differences */
static uint32_t rng_state = 2463534242u;
static float next_uniform(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return (float)(rng_state & 0xffffff) / (float)0x1000000 * 2.0f - 1.0f;
}

static struct mo_tensor *random_tensor(const struct mo_shape *s, float scale, const char *dir,
                                       const char *name)
{
    struct mo_tensor *t = mo_tensor_new(MO_ET_F32, s, NULL);
    if (!t)
        return NULL;
    float *p = mo_tensor_mutable(&t, NULL);
    int64_t n = mo_shape_numel(s);
    for (int64_t i = 0; i < n; i++)
        p[i] = next_uniform() * scale;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.f32", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 4, (size_t)n, f) != (size_t)n) {
        perror(path);
        exit(1);
    }
    fclose(f);
    return t;
}

#define CHECK(x)                                                                      \
    do {                                                                              \
        if (!(x)) {                                                                   \
            fprintf(stderr, "api_graph: %s failed: %s\n", #x, err.msg);               \
            return 1;                                                                 \
        }                                                                             \
    } while (0)

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: api_graph OUTDIR\n");
        return 2;
    }
    const char *dir = argv[1];
    struct mo_error err = {0};
    struct mo_context *ctx = mo_context_new();
    struct mo_graph *g = mo_graph_new(ctx);
    CHECK(ctx && g);

    struct mo_shape xs = mo_shape_of(1, 3, 12, 12);
    struct mo_node *x = mo_parameter(g, "data", MO_ET_F32, &xs, &err);
    CHECK(x);
    mo_node_add_output_name(x, 0, "data");
    struct mo_tensor *in = random_tensor(&xs, 1.0f, dir, "input");
    CHECK(in);
    mo_tensor_unref(in);

    struct mo_shape ws = mo_shape_of(8, 3, 3, 3);
    struct mo_node *w = mo_const(g, "conv1/weights", random_tensor(&ws, 0.5f, dir, "conv_w"), &err);
    CHECK(w);
    struct mo_node *conv = mo_op(g, "Convolution", "conv1", 2, (struct mo_value[]){{x, 0}, {w, 0}}, &err);
    CHECK(conv);
    int64_t one2[] = {1, 1}, pad[] = {1, 1};
    CHECK(mo_node_set_ints(conv, "strides", one2, 2) == MO_OK);
    CHECK(mo_node_set_ints(conv, "dilations", one2, 2) == MO_OK);
    CHECK(mo_node_set_ints(conv, "pads_begin", pad, 2) == MO_OK);
    CHECK(mo_node_set_ints(conv, "pads_end", pad, 2) == MO_OK);

    struct mo_shape bs = mo_shape_of(1, 8, 1, 1);
    struct mo_node *b = mo_const(g, "conv1/bias", random_tensor(&bs, 0.5f, dir, "conv_b"), &err);
    CHECK(b);
    struct mo_node *add = mo_op(g, "Add", "conv1/add", 2, (struct mo_value[]){{conv, 0}, {b, 0}}, &err);
    CHECK(add);
    struct mo_node *relu = mo_op(g, "Relu", "relu1", 1, (struct mo_value[]){{add, 0}}, &err);
    CHECK(relu);
    struct mo_node *pool = mo_op(g, "MaxPool", "pool1", 1, (struct mo_value[]){{relu, 0}}, &err);
    CHECK(pool);
    int64_t k2[] = {2, 2}, zero2[] = {0, 0};
    CHECK(mo_node_set_ints(pool, "kernel", k2, 2) == MO_OK);
    CHECK(mo_node_set_ints(pool, "strides", k2, 2) == MO_OK);
    CHECK(mo_node_set_ints(pool, "pads_begin", zero2, 2) == MO_OK);
    CHECK(mo_node_set_ints(pool, "pads_end", zero2, 2) == MO_OK);

    int64_t flat[] = {1, -1};
    struct mo_node *shape = mo_const_i64(g, "fc1/shape", flat, 2, false, &err);
    CHECK(shape);
    struct mo_node *reshape = mo_op(g, "Reshape", "flatten", 2, (struct mo_value[]){{pool, 0}, {shape, 0}}, &err);
    CHECK(reshape);
    CHECK(mo_node_set_bool(reshape, "special_zero", false) == MO_OK);
    struct mo_shape fws = mo_shape_of(10, 8 * 6 * 6);
    struct mo_node *fw = mo_const(g, "fc1/weights", random_tensor(&fws, 0.1f, dir, "fc_w"), &err);
    CHECK(fw);
    struct mo_node *mm = mo_op(g, "MatMul", "fc1", 2, (struct mo_value[]){{reshape, 0}, {fw, 0}}, &err);
    CHECK(mm);
    CHECK(mo_node_set_bool(mm, "transpose_b", true) == MO_OK);
    struct mo_shape fbs = mo_shape_of(1, 10);
    struct mo_node *fb = mo_const(g, "fc1/bias", random_tensor(&fbs, 0.1f, dir, "fc_b"), &err);
    CHECK(fb);
    struct mo_node *out = mo_op(g, "Add", "fc1/add", 2, (struct mo_value[]){{mm, 0}, {fb, 0}}, &err);
    CHECK(out);
    mo_node_add_output_name(out, 0, "prob");
    CHECK(mo_result(g, mo_val(out, 0), "prob/sink_port_0", &err));

    CHECK(mo_graph_infer(g, &err) == MO_OK);
    CHECK(mo_graph_validate(g, &err) == MO_OK);
    char sbuf[64];
    printf("output shape %s\n", mo_shape_str(&out->outputs[0].shape, sbuf, sizeof sbuf));
    CHECK(mo_ir_write(g, dir, "api_graph", NULL, &err) == MO_OK);
    mo_graph_free(g);
    mo_context_free(ctx);
    return 0;
}
