/* test_ir_writer.c - IR v11 output of a small graph read back with
 * libxml2: layer ids, port numbering (inputs then outputs), element type
 * and precision names of every type, edges, Const offset/size, constants
 * stored once, the .mapping, determinism and atomic failure. */
#include <config.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <check.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include <mo/mo.h>

#include "context_private.h"
#include "run_suite.h"

static struct mo_context *ctx;
static struct mo_graph *g;
static char scratch[256];

static enum mo_status infer_same(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape s = mo_in_shape(n, 0);
    return mo_set_out(n, 0, mo_in_et(n, 0), &s);
}
static const struct mo_attr_spec custom_attrs[] = {
    {"alpha", MO_ATTR_FLOAT, NULL},
    {"mode", MO_ATTR_STRING, "fast"},
    {"sizes", MO_ATTR_INTS, "1,1"},
    {"flag", MO_ATTR_BOOL, NULL},
    {"names", MO_ATTR_STRINGS, NULL},
};
static const struct mo_op_def op_custom = {"WriterTestOp", "extension", 1, 1, 1, custom_attrs,
                                           MO_COUNT_OF(custom_attrs), infer_same, NULL};

/* The IR spelling of each element type (OpenVINO element::Type names and
 * the port precision names its IR serializer writes). */
static const struct {
    enum mo_etype et;
    const char *name, *precision;
    int64_t n;          /* elements of the test constant */
    size_t bytes;       /* bytes they occupy, packed */
} types[] = {
    {MO_ET_F32, "f32", "FP32", 3, 12},     {MO_ET_F16, "f16", "FP16", 3, 6},
    {MO_ET_BF16, "bf16", "BF16", 3, 6},    {MO_ET_F64, "f64", "FP64", 3, 24},
    {MO_ET_I8, "i8", "I8", 3, 3},          {MO_ET_I16, "i16", "I16", 3, 6},
    {MO_ET_I32, "i32", "I32", 3, 12},      {MO_ET_I64, "i64", "I64", 3, 24},
    {MO_ET_U8, "u8", "U8", 3, 3},          {MO_ET_U16, "u16", "U16", 3, 6},
    {MO_ET_U32, "u32", "U32", 3, 12},      {MO_ET_U64, "u64", "U64", 3, 24},
    {MO_ET_U1, "u1", "BIN", 10, 2},        {MO_ET_BOOLEAN, "boolean", "BOOL", 3, 3},
};
#define N_TYPES (sizeof types / sizeof types[0])

static const float shared_vals[3] = {0.5f, -1.0f, 2.0f};

static void setup(void)
{
    ctx = mo_context_new();
    struct mo_plugin_ctx pc = {ctx, NULL};
    ck_assert_int_eq(mo_register_op(&pc, &op_custom, NULL), MO_OK);
    g = mo_graph_new(ctx);
    snprintf(scratch, sizeof scratch, "%s/mo-irw-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(scratch));
}

static void teardown(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "chmod -R u+w '%s'; rm -rf '%s'", scratch, scratch);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", scratch);
    mo_graph_free(g);
    mo_context_free(ctx);
}

/* data[?,3] + c1 -> add; add * c2 -> mul (c2 has c1's bytes); mul ->
 * WriterTestOp -> Result; plus one Const of every element type, each
 * feeding a Result of its own. */
static void build(void)
{
    struct mo_error err = {0};
    struct mo_shape ps = mo_shape_of(MO_DYN, 3);
    struct mo_node *p = mo_parameter(g, "data", MO_ET_F32, &ps, &err);
    mo_node_add_output_name(p, 0, "data_t");
    struct mo_node *c1 = mo_const_f32(g, "c1", shared_vals, 3, false, &err);
    struct mo_node *c2 = mo_const_f32(g, "c2", shared_vals, 3, false, &err);
    struct mo_value av[2] = {{p, 0}, {c1, 0}};
    struct mo_node *add = mo_op(g, "Add", "add", 2, av, &err);
    ck_assert_msg(add != NULL, "%s", err.msg);
    mo_node_add_output_name(add, 0, "sum");
    mo_node_add_output_name(add, 0, "sum,alias");
    struct mo_value mv[2] = {{add, 0}, {c2, 0}};
    struct mo_node *mul = mo_op(g, "Multiply", "mul", 2, mv, &err);
    ck_assert_ptr_nonnull(mul);
    struct mo_value cv = {mul, 0};
    struct mo_node *cu = mo_op(g, "WriterTestOp", "custom", 1, &cv, &err);
    mo_node_set_float(cu, "alpha", 0.1);
    int64_t sizes[3] = {1, 2, -3};
    mo_node_set_ints(cu, "sizes", sizes, 3);
    const char *names[2] = {"a", "b"};
    mo_node_set_strs(cu, "names", names, 2);
    mo_node_set_bool(cu, "flag", true);
    mo_node_set_int(cu, "extra", 7);
    mo_node_set_str(cu, "rt:fused_names", "x,y");
    ck_assert_ptr_nonnull(mo_result(g, mo_val(cu, 0), "out", &err));
    for (size_t i = 0; i < N_TYPES; i++) {
        struct mo_shape s = mo_shape_of(types[i].n);
        struct mo_tensor *t = mo_tensor_new(types[i].et, &s, &err);
        ck_assert_ptr_nonnull(t);
        unsigned char *b = mo_tensor_mutable(&t, &err);
        for (size_t k = 0; k < types[i].bytes; k++)
            b[k] = (unsigned char)(0x10 * (i + 1) + k); /* distinct per type */
        char name[32];
        snprintf(name, sizeof name, "c_%s", types[i].name);
        struct mo_node *c = mo_const(g, name, t, &err);
        snprintf(name, sizeof name, "r_%s", types[i].name);
        ck_assert_ptr_nonnull(mo_result(g, mo_val(c, 0), name, &err));
    }
    ck_assert_msg(mo_graph_infer(g, &err) == MO_OK, "%s", err.msg);
    ck_assert_msg(mo_graph_validate(g, &err) == MO_OK, "%s", err.msg);
}

static enum mo_status write_to(const char *dir, struct mo_error *err)
{
    struct mo_options *o = mo_options_new();
    mo_options_set(o, "input_shape", "[1,3]");
    struct mo_ir_info info = {"testfw", o};
    enum mo_status st = mo_ir_write(g, dir, "m", &info, err);
    mo_options_free(o);
    return st;
}

static char *path_in(const char *dir, const char *file)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, file);
    return buf[k];
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot read %s", path);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)len + 1);
    ck_assert_uint_eq(fread(b, 1, (size_t)len, f), (size_t)len);
    b[len] = 0;
    fclose(f);
    *n = (size_t)len;
    return b;
}

/* Names in dir other than . and .., sorted, space-separated. */
static char *listing(const char *dir)
{
    static char buf[2048];
    struct dirent **v;
    int n = scandir(dir, &v, NULL, alphasort);
    ck_assert_int_ge(n, 0);
    buf[0] = 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(v[i]->d_name, ".") && strcmp(v[i]->d_name, "..")) {
            if (buf[0])
                strcat(buf, " ");
            strcat(buf, v[i]->d_name);
        }
        free(v[i]);
    }
    free(v);
    return buf;
}

/* --- XPath helpers -------------------------------------------------------- */

static xmlDocPtr doc;

static xmlXPathObjectPtr xp(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static xmlXPathObjectPtr xp(const char *fmt, ...)
{
    char expr[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(expr, sizeof expr, fmt, ap);
    va_end(ap);
    xmlXPathContextPtr xc = xmlXPathNewContext(doc);
    xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST expr, xc);
    xmlXPathFreeContext(xc);
    ck_assert_msg(r != NULL, "bad xpath %s", expr);
    return r;
}

static int count(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int count(const char *fmt, ...)
{
    char expr[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(expr, sizeof expr, fmt, ap);
    va_end(ap);
    xmlXPathObjectPtr r = xp("%s", expr);
    int n = r->nodesetval ? r->nodesetval->nodeNr : 0;
    xmlXPathFreeObject(r);
    return n;
}

/* The text of the single node an XPath (usually an attribute) selects. */
static const char *text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *text(const char *fmt, ...)
{
    static char buf[8][256];
    static int k;
    char expr[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(expr, sizeof expr, fmt, ap);
    va_end(ap);
    xmlXPathObjectPtr r = xp("%s", expr);
    ck_assert_msg(r->nodesetval && r->nodesetval->nodeNr == 1, "%s: %d matches", expr,
                  r->nodesetval ? r->nodesetval->nodeNr : 0);
    xmlChar *s = xmlNodeGetContent(r->nodesetval->nodeTab[0]);
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s", (const char *)s);
    xmlFree(s);
    xmlXPathFreeObject(r);
    return buf[k];
}

static long num(const char *fmt, const char *arg)
{
    char expr[512];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    snprintf(expr, sizeof expr, fmt, arg);
#pragma GCC diagnostic pop
    return strtol(text("%s", expr), NULL, 10);
}

static void load_xml(const char *path)
{
    doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
    ck_assert_msg(doc != NULL, "%s does not parse", path);
}

static void free_xml(void)
{
    xmlFreeDoc(doc);
    doc = NULL;
}

/* --- topology ------------------------------------------------------------- */

START_TEST(writes_three_files)
{
    build();
    struct mo_error err = {0};
    ck_assert_msg(write_to(scratch, &err) == MO_OK, "%s", err.msg);
    /* nothing else: no temporary files left */
    ck_assert_str_eq(listing(scratch), "m.bin m.mapping m.xml");
}
END_TEST

START_TEST(net_and_layer_ids)
{
    build();
    ck_assert_int_eq(write_to(scratch, NULL), MO_OK);
    load_xml(path_in(scratch, "m.xml"));
    ck_assert_str_eq(text("/net/@name"), "m");
    ck_assert_str_eq(text("/net/@version"), "11");
    unsigned live = 0;
    for (unsigned i = 0; i < mo_graph_n_nodes(g); i++)
        live += !mo_graph_node(g, i)->dead;
    ck_assert_int_eq(count("/net/layers/layer"), (int)live);
    /* ids are 0..n-1, each once; names and types are the nodes' */
    for (unsigned id = 0; id < live; id++)
        ck_assert_int_eq(count("/net/layers/layer[@id='%u']", id), 1);
    for (unsigned i = 0; i < mo_graph_n_nodes(g); i++) {
        struct mo_node *n = mo_graph_node(g, i);
        ck_assert_int_eq(count("/net/layers/layer[@name='%s' and @type='%s' and @version='%s']",
                               n->name, n->type, n->def->opset), 1);
    }
    ck_assert_str_eq(text("//layer[@name='add']/@version"), "opset1");
    ck_assert_str_eq(text("//layer[@name='custom']/@version"), "extension");
    free_xml();
}
END_TEST

START_TEST(ports_inputs_then_outputs)
{
    build();
    ck_assert_int_eq(write_to(scratch, NULL), MO_OK);
    load_xml(path_in(scratch, "m.xml"));
    /* Add: inputs 0 and 1, output 2 */
    ck_assert_int_eq(count("//layer[@name='add']/input/port"), 2);
    ck_assert_int_eq(count("//layer[@name='add']/input/port[@id='0']"), 1);
    ck_assert_int_eq(count("//layer[@name='add']/input/port[@id='1']"), 1);
    ck_assert_int_eq(count("//layer[@name='add']/output/port"), 1);
    ck_assert_int_eq(count("//layer[@name='add']/output/port[@id='2']"), 1);
    /* unary: input 0, output 1; Parameter and Const: output 0; Result: input 0 */
    ck_assert_int_eq(count("//layer[@name='custom']/output/port[@id='1']"), 1);
    ck_assert_int_eq(count("//layer[@name='data']/input"), 0);
    ck_assert_int_eq(count("//layer[@name='data']/output/port[@id='0']"), 1);
    ck_assert_int_eq(count("//layer[@name='c1']/output/port[@id='0']"), 1);
    ck_assert_int_eq(count("//layer[@name='out']/input/port[@id='0']"), 1);
    ck_assert_int_eq(count("//layer[@name='out']/output"), 0);
    /* a dynamic dim is -1 on ports, ? in the Parameter's shape */
    ck_assert_int_eq(count("//layer[@name='data']/output/port/dim"), 2);
    ck_assert_str_eq(text("//layer[@name='data']/output/port/dim[1]"), "-1");
    ck_assert_str_eq(text("//layer[@name='data']/output/port/dim[2]"), "3");
    ck_assert_str_eq(text("//layer[@name='data']/data/@shape"), "?,3");
    ck_assert_str_eq(text("//layer[@name='data']/data/@element_type"), "f32");
    ck_assert_str_eq(text("//layer[@name='add']/input/port[@id='0']/dim[1]"), "-1");
    ck_assert_str_eq(text("//layer[@name='add']/output/port/@precision"), "FP32");
    /* tensor names on the producing port only, commas escaped */
    ck_assert_str_eq(text("//layer[@name='data']/output/port/@names"), "data_t");
    ck_assert_str_eq(text("//layer[@name='add']/output/port/@names"), "sum,sum\\,alias");
    ck_assert_int_eq(count("//layer[@name='mul']/input/port[@names]"), 0);
    free_xml();
}
END_TEST

START_TEST(edges_follow_the_graph)
{
    build();
    ck_assert_int_eq(write_to(scratch, NULL), MO_OK);
    load_xml(path_in(scratch, "m.xml"));
    long id_data = num("//layer[@name='%s']/@id", "data"), id_c1 = num("//layer[@name='%s']/@id", "c1"),
         id_c2 = num("//layer[@name='%s']/@id", "c2"), id_add = num("//layer[@name='%s']/@id", "add"),
         id_mul = num("//layer[@name='%s']/@id", "mul"), id_cu = num("//layer[@name='%s']/@id", "custom"),
         id_out = num("//layer[@name='%s']/@id", "out");
    static const char *const e = "/net/edges/edge[@from-layer='%ld' and @from-port='%d' and "
                                 "@to-layer='%ld' and @to-port='%d']";
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    ck_assert_int_eq(count(e, id_data, 0, id_add, 0), 1);
    ck_assert_int_eq(count(e, id_c1, 0, id_add, 1), 1);
    ck_assert_int_eq(count(e, id_add, 2, id_mul, 0), 1);
    ck_assert_int_eq(count(e, id_c2, 0, id_mul, 1), 1);
    ck_assert_int_eq(count(e, id_mul, 2, id_cu, 0), 1);
    ck_assert_int_eq(count(e, id_cu, 1, id_out, 0), 1);
#pragma GCC diagnostic pop
    /* one edge per connected input, each between existing ports */
    int inputs = 0;
    for (unsigned i = 0; i < mo_graph_n_nodes(g); i++)
        inputs += (int)mo_graph_node(g, i)->n_inputs;
    ck_assert_int_eq(count("/net/edges/edge"), inputs);
    xmlXPathObjectPtr edges = xp("/net/edges/edge");
    for (int i = 0; i < edges->nodesetval->nodeNr; i++) {
        xmlNodePtr ed = edges->nodesetval->nodeTab[i];
        xmlChar *fl = xmlGetProp(ed, BAD_CAST "from-layer"), *fp = xmlGetProp(ed, BAD_CAST "from-port"),
                *tl = xmlGetProp(ed, BAD_CAST "to-layer"), *tp = xmlGetProp(ed, BAD_CAST "to-port");
        ck_assert_int_eq(count("//layer[@id='%s']/output/port[@id='%s']", fl, fp), 1);
        ck_assert_int_eq(count("//layer[@id='%s']/input/port[@id='%s']", tl, tp), 1);
        xmlFree(fl);
        xmlFree(fp);
        xmlFree(tl);
        xmlFree(tp);
    }
    xmlXPathFreeObject(edges);
    free_xml();
}
END_TEST

START_TEST(attributes_and_rt_info)
{
    build();
    ck_assert_int_eq(write_to(scratch, NULL), MO_OK);
    load_xml(path_in(scratch, "m.xml"));
    /* shortest text that reads back as the double */
    ck_assert_str_eq(text("//layer[@name='custom']/data/@alpha"), "0.1");
    ck_assert_str_eq(text("//layer[@name='custom']/data/@sizes"), "1,2,-3");
    ck_assert_str_eq(text("//layer[@name='custom']/data/@mode"), "fast");   /* the default */
    ck_assert_str_eq(text("//layer[@name='custom']/data/@names"), "a,b");
    ck_assert_str_eq(text("//layer[@name='custom']/data/@flag"), "true");
    ck_assert_str_eq(text("//layer[@name='custom']/data/@extra"), "7");    /* custom ops keep all */
    ck_assert_int_eq(count("//layer[@name='custom']/data/@*[starts-with(name(), 'rt')]"), 0);
    ck_assert_str_eq(text("//layer[@name='custom']/rt_info/attribute[@name='fused_names']/@value"), "x,y");
    ck_assert_str_eq(text("//layer[@name='add']/data/@auto_broadcast"), "numpy");
    ck_assert_int_eq(count("/net/rt_info/MO_version/@value"), 1);
    ck_assert_str_eq(text("/net/rt_info/conversion_parameters/framework/@value"), "testfw");
    ck_assert_str_eq(text("/net/rt_info/conversion_parameters/input_shape/@value"), "[1,3]");
    free_xml();
}
END_TEST

START_TEST(every_element_type)
{
    build();
    ck_assert_int_eq(write_to(scratch, NULL), MO_OK);
    load_xml(path_in(scratch, "m.xml"));
    size_t binlen;
    unsigned char *bin = slurp(path_in(scratch, "m.bin"), &binlen);
    for (size_t i = 0; i < N_TYPES; i++) {
        const char *nm = types[i].name;
        ck_assert_str_eq(text("//layer[@name='c_%s']/data/@element_type", nm), nm);
        ck_assert_str_eq(text("//layer[@name='c_%s']/data/@shape", nm),
                         types[i].n == 10 ? "10" : "3");
        ck_assert_str_eq(text("//layer[@name='c_%s']/output/port/@precision", nm), types[i].precision);
        ck_assert_str_eq(text("//layer[@name='r_%s']/input/port/@precision", nm), types[i].precision);
        long size = strtol(text("//layer[@name='c_%s']/data/@size", nm), NULL, 10);
        long off = strtol(text("//layer[@name='c_%s']/data/@offset", nm), NULL, 10);
        ck_assert_int_eq(size, (long)types[i].bytes);
        ck_assert_int_le(off + size, (long)binlen);
        for (size_t k = 0; k < types[i].bytes; k++)
            ck_assert_uint_eq(bin[off + (long)k], (unsigned char)(0x10 * (i + 1) + k));
    }
    free(bin);
    free_xml();
}
END_TEST

START_TEST(identical_constants_stored_once)
{
    build();
    ck_assert_int_eq(write_to(scratch, NULL), MO_OK);
    load_xml(path_in(scratch, "m.xml"));
    ck_assert_str_eq(text("//layer[@name='c1']/data/@offset"), text("//layer[@name='c2']/data/@offset"));
    ck_assert_str_eq(text("//layer[@name='c1']/data/@size"), "12");
    ck_assert_str_eq(text("//layer[@name='c1']/data/@element_type"), "f32");
    size_t binlen;
    unsigned char *bin = slurp(path_in(scratch, "m.bin"), &binlen);
    size_t distinct = sizeof shared_vals;
    for (size_t i = 0; i < N_TYPES; i++)
        distinct += types[i].bytes;
    ck_assert_uint_eq(binlen, distinct);
    long off = strtol(text("//layer[@name='c1']/data/@offset"), NULL, 10);
    ck_assert_mem_eq(bin + off, shared_vals, sizeof shared_vals); /* little-endian f32 on x86 */
    free(bin);
    free_xml();
}
END_TEST

START_TEST(mapping_entries)
{
    build();
    ck_assert_int_eq(write_to(scratch, NULL), MO_OK);
    load_xml(path_in(scratch, "m.xml"));
    char id_data[16], id_add[16];
    snprintf(id_data, sizeof id_data, "%s", text("//layer[@name='data']/@id"));
    snprintf(id_add, sizeof id_add, "%s", text("//layer[@name='add']/@id"));
    free_xml();
    load_xml(path_in(scratch, "m.mapping"));
    ck_assert_int_eq(count("/mapping/map"), 3);
    ck_assert_int_eq(count("/mapping/map[framework/@name='data_t' and framework/@out_port_id='0' and "
                           "IR/@name='data' and IR/@out_port_id='0' and IR/@id='%s']", id_data), 1);
    /* an output port of a two-input layer is port 2 */
    ck_assert_int_eq(count("/mapping/map[framework/@name='sum' and IR/@name='add' and "
                           "IR/@out_port_id='2' and IR/@id='%s']", id_add), 1);
    ck_assert_int_eq(count("/mapping/map[framework/@name='sum,alias' and IR/@name='add']"), 1);
    free_xml();
}
END_TEST

START_TEST(deterministic)
{
    build();
    char d1[300], d2[300];
    snprintf(d1, sizeof d1, "%s/one", scratch);
    snprintf(d2, sizeof d2, "%s/two", scratch);
    mkdir(d1, 0777);
    mkdir(d2, 0777);
    ck_assert_int_eq(write_to(d1, NULL), MO_OK);
    ck_assert_int_eq(write_to(d2, NULL), MO_OK);
    /* a third write over the first's files gives the same bytes too */
    ck_assert_int_eq(write_to(d1, NULL), MO_OK);
    static const char *const files[] = {"m.xml", "m.bin", "m.mapping"};
    for (int i = 0; i < 3; i++) {
        size_t n1, n2;
        unsigned char *a = slurp(path_in(d1, files[i]), &n1);
        unsigned char *b = slurp(path_in(d2, files[i]), &n2);
        ck_assert_uint_eq(n1, n2);
        ck_assert_msg(!memcmp(a, b, n1), "%s differs between two writes", files[i]);
        free(a);
        free(b);
    }
    ck_assert_str_eq(listing(d1), "m.bin m.mapping m.xml");
}
END_TEST

/* --- failures leave nothing behind ------------------------------------------- */

START_TEST(dir_under_a_file)
{
    build();
    char file[300], bad[320];
    snprintf(file, sizeof file, "%s/plain", scratch);
    FILE *f = fopen(file, "w");
    fclose(f);
    snprintf(bad, sizeof bad, "%s/x", file);
    struct mo_error err = {0};
    ck_assert_int_eq(write_to(bad, &err), MO_ERR_IO);
    ck_assert_ptr_nonnull(strstr(err.msg, bad));
    ck_assert_str_eq(listing(scratch), "plain");
    ck_assert_int_eq(write_to(file, &err), MO_ERR_IO);
    ck_assert_int_eq(write_to("/nonexistent-mo-out", &err), MO_ERR_IO);
    ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent-mo-out"));
}
END_TEST

START_TEST(read_only_dir)
{
    if (geteuid() == 0)
        return; /* root writes anywhere */
    build();
    char ro[300];
    snprintf(ro, sizeof ro, "%s/ro", scratch);
    mkdir(ro, 0555);
    struct mo_error err = {0};
    ck_assert_int_eq(write_to(ro, &err), MO_ERR_IO);
    ck_assert_ptr_nonnull(strstr(err.msg, ro));
    ck_assert_str_eq(listing(ro), "");
}
END_TEST

START_TEST(late_failure_cleans_up)
{
    /* m.xml is a directory: the last rename fails after the .bin and
     * .mapping were already in place; both must go, temporaries too */
    build();
    mkdir(path_in(scratch, "m.xml"), 0777);
    struct mo_error err = {0};
    ck_assert_int_eq(write_to(scratch, &err), MO_ERR_IO);
    ck_assert_msg(strstr(err.msg, "m.xml") != NULL, "%s", err.msg);
    ck_assert_str_eq(listing(scratch), "m.xml");
    ck_assert_str_eq(listing(path_in(scratch, "m.xml")), "");
}
END_TEST

START_TEST(overwrites_previous_output)
{
    build();
    FILE *f = fopen(path_in(scratch, "m.bin"), "w");
    fputs("stale contents that are longer than nothing", f);
    fclose(f);
    ck_assert_int_eq(write_to(scratch, NULL), MO_OK);
    size_t n;
    unsigned char *b = slurp(path_in(scratch, "m.bin"), &n);
    ck_assert(memcmp(b, "stale", 5) != 0);
    free(b);
    ck_assert_str_eq(listing(scratch), "m.bin m.mapping m.xml");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ir_writer");
    TCase *tc = tcase_create("xml bin mapping");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, writes_three_files);
    tcase_add_test(tc, net_and_layer_ids);
    tcase_add_test(tc, ports_inputs_then_outputs);
    tcase_add_test(tc, edges_follow_the_graph);
    tcase_add_test(tc, attributes_and_rt_info);
    tcase_add_test(tc, every_element_type);
    tcase_add_test(tc, identical_constants_stored_once);
    tcase_add_test(tc, mapping_entries);
    tcase_add_test(tc, deterministic);
    suite_add_tcase(s, tc);
    TCase *fail = tcase_create("atomicity");
    tcase_add_checked_fixture(fail, setup, teardown);
    tcase_add_test(fail, dir_under_a_file);
    tcase_add_test(fail, read_only_dir);
    tcase_add_test(fail, late_failure_cleans_up);
    tcase_add_test(fail, overwrites_previous_output);
    suite_add_tcase(s, fail);
    int rc = run_suite(s);
    xmlCleanupParser();
    return rc;
}
