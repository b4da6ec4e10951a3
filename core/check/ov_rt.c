/* ov_rt.c - libopenvino_c opened at run time.  The prototypes below are
 * our own declarations of OpenVINO's C API (openvino/c/ov_core.h,
 * ov_compiled_model.h, ov_infer_request.h, ov_tensor.h, ov_shape.h,
 * ov_node.h, ov_common.h): opaque handles are void *, ov_status_e and
 * ov_element_type_e are ints (0 is OK), ov_shape_t is {rank, dims}. */
#include <config.h>

#include <glob.h>
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ltdl.h>

#include "ov_rt.h"

struct ov_shape {
    int64_t rank;
    int64_t *dims;
};

/* ov_element_type_e as OpenVINO 2025 and later number it (DYNAMIC = 0);
 * 2024 had UNDEFINED = 0 before it and every value one higher, which
 * mo_ov_open finds out by asking the library (ov->type_shift) */
enum { OV_BOOL = 1, OV_F16 = 3, OV_F32 = 4, OV_F64 = 5, OV_I8 = 7, OV_I16 = 8, OV_I32 = 9, OV_I64 = 10,
       OV_U8 = 16 };

struct mo_ov {
    lt_dlhandle h;
    int (*core_create)(void **core);
    void (*core_free)(void *core);
    int (*core_read_model)(const void *core, const char *xml, const char *bin, void **model);
    void (*model_free)(void *model);
    int (*core_compile_model)(const void *core, const void *model, const char *device, size_t n_args,
                              void **compiled, ...);
    void (*compiled_model_free)(void *compiled);
    int (*compiled_model_inputs_size)(const void *compiled, size_t *n);
    int (*compiled_model_input_by_index)(const void *compiled, size_t i, void **port);
    int (*compiled_model_outputs_size)(const void *compiled, size_t *n);
    int (*compiled_model_output_by_index)(const void *compiled, size_t i, void **port);
    int (*compiled_model_create_infer_request)(const void *compiled, void **req);
    int (*port_get_any_name)(const void *port, char **name);
    int (*port_get_shape)(const void *port, struct ov_shape *shape);
    int (*port_get_element_type)(const void *port, int *type);
    void (*output_const_port_free)(void *port);
    int (*infer_request_set_input_tensor_by_index)(void *req, size_t i, const void *tensor);
    int (*infer_request_get_output_tensor_by_index)(const void *req, size_t i, void **tensor);
    int (*infer_request_infer)(void *req);
    void (*infer_request_free)(void *req);
    int type_shift;
    int (*tensor_create)(int type, struct ov_shape shape, void **tensor);
    int (*tensor_get_byte_size)(const void *tensor, size_t *size);
    int (*tensor_create_from_host_ptr)(int type, struct ov_shape shape, void *host, void **tensor);
    int (*tensor_get_shape)(const void *tensor, struct ov_shape *shape);
    int (*tensor_get_element_type)(const void *tensor, int *type);
    int (*tensor_data)(const void *tensor, void **data);
    void (*tensor_free)(void *tensor);
    int (*shape_create)(int64_t rank, const int64_t *dims, struct ov_shape *shape);
    int (*shape_free)(struct ov_shape *shape);
    void (*ov_free)(const char *s);
    const char *(*get_last_err_msg)(void);
};

#define INSTALL_HINT                                                                              \
    "--validate needs the OpenVINO Runtime's C library libopenvino_c: pip install openvino "     \
    "(mo finds it through the python3 on PATH), or install OpenVINO's Debian/RPM runtime, or "    \
    "set MO_OPENVINO_LIB to the file or its directory"

static lt_dlhandle try_open(const char *path)
{
    lt_dladvise adv;
    if (lt_dladvise_init(&adv) != 0)
        return NULL;
    lt_dladvise_local(&adv);
    /* never unloaded: the runtime's worker threads outlive any close */
    lt_dladvise_resident(&adv);
    lt_dlhandle h = lt_dlopenadvise(path, adv);
    lt_dladvise_destroy(&adv);
    return h;
}

/* the newest-looking libopenvino_c.so* in dir */
static lt_dlhandle open_in_dir(const char *dir, char *where, size_t cap)
{
    char pat[4096];
    snprintf(pat, sizeof pat, "%s/libopenvino_c.so*", dir);
    glob_t g;
    lt_dlhandle h = NULL;
    if (glob(pat, 0, NULL, &g) == 0) {
        for (size_t i = g.gl_pathc; i-- > 0 && !h;) {
            h = try_open(g.gl_pathv[i]);
            if (h && where)
                snprintf(where, cap, "%s", g.gl_pathv[i]);
        }
        globfree(&g);
    }
    return h;
}

/* <site-packages>/openvino/libs of the python3 on PATH, or "" */
static void python_libs_dir(char *dir, size_t cap)
{
    dir[0] = 0;
    FILE *p = popen("python3 -c 'import os, openvino; print(os.path.join(os.path.dirname(openvino.__file__), "
                    "\"libs\"))' 2>/dev/null", "r");
    if (!p)
        return;
    if (!fgets(dir, (int)cap, p))
        dir[0] = 0;
    pclose(p);
    dir[strcspn(dir, "\n")] = 0;
}

#define SYM(f, name)                                                                               \
    do {                                                                                           \
        *(void **)&ov->f = lt_dlsym(ov->h, name);                                                  \
        if (!ov->f)                                                                                \
            missing = name;                                                                        \
    } while (0)

enum mo_status mo_ov_open(struct mo_ov **out, char *where, size_t where_cap, struct mo_error *err)
{
    *out = NULL;
    char wbuf[4096];
    if (!where) {
        where = wbuf;
        where_cap = sizeof wbuf;
    }
    where[0] = 0;
    if (lt_dlinit() != 0)
        return mo_error_set(err, MO_ERR_INTERNAL, 0, "libltdl cannot be initialised: %s", lt_dlerror());
    lt_dlhandle h = NULL;
    const char *env = getenv("MO_OPENVINO_LIB");
    if (env && *env) {
        struct stat sb;
        if (stat(env, &sb) == 0 && S_ISDIR(sb.st_mode))
            h = open_in_dir(env, where, where_cap);
        else if ((h = try_open(env)) != NULL)
            snprintf(where, where_cap, "%s", env);
        if (!h) {
            lt_dlexit();
            return mo_error_set(err, MO_ERR_NOT_FOUND, 0, "MO_OPENVINO_LIB='%s' is not a loadable libopenvino_c "
                                "(or a directory holding one); %s", env, INSTALL_HINT);
        }
    }
    if (!h && (h = try_open("libopenvino_c.so")) != NULL)
        snprintf(where, where_cap, "libopenvino_c.so (the linker's search path)");
    if (!h) {
        char dir[4096];
        python_libs_dir(dir, sizeof dir);
        if (dir[0])
            h = open_in_dir(dir, where, where_cap);
    }
    if (!h) {
        lt_dlexit();
        return mo_error_set(err, MO_ERR_NOT_FOUND, 0, "libopenvino_c was not found; %s", INSTALL_HINT);
    }
    struct mo_ov *ov = calloc(1, sizeof *ov);
    if (!ov) {
        lt_dlclose(h);
        lt_dlexit();
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    ov->h = h;
    const char *missing = NULL;
    SYM(core_create, "ov_core_create");
    SYM(core_free, "ov_core_free");
    SYM(core_read_model, "ov_core_read_model");
    SYM(model_free, "ov_model_free");
    SYM(core_compile_model, "ov_core_compile_model");
    SYM(compiled_model_free, "ov_compiled_model_free");
    SYM(compiled_model_inputs_size, "ov_compiled_model_inputs_size");
    SYM(compiled_model_input_by_index, "ov_compiled_model_input_by_index");
    SYM(compiled_model_outputs_size, "ov_compiled_model_outputs_size");
    SYM(compiled_model_output_by_index, "ov_compiled_model_output_by_index");
    SYM(compiled_model_create_infer_request, "ov_compiled_model_create_infer_request");
    SYM(port_get_any_name, "ov_port_get_any_name");
    SYM(port_get_shape, "ov_port_get_shape");
    SYM(port_get_element_type, "ov_port_get_element_type");
    SYM(output_const_port_free, "ov_output_const_port_free");
    SYM(infer_request_set_input_tensor_by_index, "ov_infer_request_set_input_tensor_by_index");
    SYM(infer_request_get_output_tensor_by_index, "ov_infer_request_get_output_tensor_by_index");
    SYM(infer_request_infer, "ov_infer_request_infer");
    SYM(infer_request_free, "ov_infer_request_free");
    SYM(tensor_create, "ov_tensor_create");
    SYM(tensor_get_byte_size, "ov_tensor_get_byte_size");
    SYM(tensor_create_from_host_ptr, "ov_tensor_create_from_host_ptr");
    SYM(tensor_get_shape, "ov_tensor_get_shape");
    SYM(tensor_get_element_type, "ov_tensor_get_element_type");
    SYM(tensor_data, "ov_tensor_data");
    SYM(tensor_free, "ov_tensor_free");
    SYM(shape_create, "ov_shape_create");
    SYM(shape_free, "ov_shape_free");
    SYM(ov_free, "ov_free");
    SYM(get_last_err_msg, "ov_get_last_err_msg");
    if (missing) {
        mo_ov_close(ov);
        return mo_error_set(err, MO_ERR_PLUGIN, 0, "'%s' lacks %s: OpenVINO 2024.0 or newer is needed; %s", where,
                            missing, INSTALL_HINT);
    }
    /* which numbering: a one-element tensor of type OV_F32 has 4 bytes in
     * the current one, 2 (an f16) in 2024's */
    int64_t one = 1;
    struct ov_shape s1;
    void *t = NULL;
    size_t bytes = 0;
    if (ov->shape_create(1, &one, &s1) == 0) {
        if (ov->tensor_create(OV_F32, s1, &t) == 0) {
            ov->tensor_get_byte_size(t, &bytes);
            ov->tensor_free(t);
        }
        ov->shape_free(&s1);
    }
    if (bytes != 4 && bytes != 2) {
        mo_ov_close(ov);
        return mo_error_set(err, MO_ERR_PLUGIN, 0, "'%s' numbers its element types in a way mo does not know; %s",
                            where, INSTALL_HINT);
    }
    ov->type_shift = bytes == 2;
    *out = ov;
    return MO_OK;
}

void mo_ov_close(struct mo_ov *ov)
{
    if (!ov)
        return;
    /* the library was opened resident (try_open): it stays mapped */
    free(ov);
    lt_dlexit();
}

void mo_ov_tensors_free(struct mo_ov_tensor *t, unsigned n)
{
    if (!t)
        return;
    for (unsigned i = 0; i < n; i++) {
        free(t[i].name);
        free(t[i].data);
    }
    free(t);
}

static enum mo_status ov_fail(struct mo_ov *ov, struct mo_error *err, const char *what, const char *xml)
{
    const char *m = ov->get_last_err_msg ? ov->get_last_err_msg() : NULL;
    char line[600];
    /* the runtime's message is multi-line C++ exception text: first line */
    snprintf(line, sizeof line, "%s", m && *m ? m : "no message");
    line[strcspn(line, "\n")] = 0;
    return mo_error_set(err, MO_ERR_UNSUPPORTED, 0, "OpenVINO Runtime: %s '%s' failed: %s", what, xml, line);
}

static int ov_type_of(enum mo_npy_dtype t)
{
    switch (t) {
    case MO_NPY_F32: return OV_F32;
    case MO_NPY_F16: return OV_F16;
    case MO_NPY_F64: return OV_F64;
    case MO_NPY_I64: return OV_I64;
    case MO_NPY_I32: return OV_I32;
    case MO_NPY_U8: return OV_U8;
    case MO_NPY_BOOL: return OV_BOOL;
    default: return -1;
    }
}

static enum mo_npy_dtype npy_type_of(int t)
{
    for (int d = 0; d < MO_NPY_DTYPE_COUNT; d++)
        if (ov_type_of((enum mo_npy_dtype)d) == t)
            return (enum mo_npy_dtype)d;
    return MO_NPY_DTYPE_COUNT;
}

static bool to_doubles(int type, const void *src, size_t n, double *dst)
{
    for (size_t i = 0; i < n; i++) {
        switch (type) {
        case OV_F32: dst[i] = ((const float *)src)[i]; break;
        case OV_F64: dst[i] = ((const double *)src)[i]; break;
        case OV_F16: dst[i] = mo_half_to_float(((const uint16_t *)src)[i]); break;
        case OV_I64: dst[i] = (double)((const int64_t *)src)[i]; break;
        case OV_I32: dst[i] = ((const int32_t *)src)[i]; break;
        case OV_I16: dst[i] = ((const int16_t *)src)[i]; break;
        case OV_I8: dst[i] = ((const int8_t *)src)[i]; break;
        case OV_U8: dst[i] = ((const uint8_t *)src)[i]; break;
        case OV_BOOL: dst[i] = ((const uint8_t *)src)[i] != 0; break;
        default: return false;
        }
    }
    return true;
}

/* "a,b" of all names of an output port is not in the C API; any_name is */
static char *port_name(struct mo_ov *ov, void *port)
{
    char *n = NULL;
    if (ov->port_get_any_name(port, &n) != 0 || !n)
        return strdup("");
    char *copy = strdup(n);
    ov->ov_free(n);
    return copy;
}

enum mo_status mo_ov_run(struct mo_ov *ov, const char *xml, const char *bin, mo_ov_feed_fn feed, void *user,
                         struct mo_ov_tensor **outs, unsigned *n_outs, struct mo_error *err)
{
    *outs = NULL;
    *n_outs = 0;
    void *core = NULL, *model = NULL, *compiled = NULL, *req = NULL;
    void **in_tensors = NULL;
    size_t n_in = 0, n_out = 0;
    struct mo_ov_tensor *res = NULL;
    enum mo_status st = MO_OK;
    if (ov->core_create(&core) != 0)
        return ov_fail(ov, err, "creating the core for", xml);
    if (ov->core_read_model(core, xml, bin, &model) != 0)
        st = ov_fail(ov, err, "reading", xml);
    /* f32 inference whatever the CPU offers (bf16 on AMX machines would
     * hide or fake differences) */
    if (st == MO_OK && ov->core_compile_model(core, model, "CPU", 2, &compiled, "INFERENCE_PRECISION_HINT", "f32") != 0)
        st = ov_fail(ov, err, "compiling", xml);
    if (st == MO_OK && (ov->compiled_model_inputs_size(compiled, &n_in) != 0 ||
                        ov->compiled_model_outputs_size(compiled, &n_out) != 0 ||
                        ov->compiled_model_create_infer_request(compiled, &req) != 0))
        st = ov_fail(ov, err, "preparing", xml);
    if (st == MO_OK && !(in_tensors = calloc(n_in ? n_in : 1, sizeof *in_tensors)))
        st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    for (size_t i = 0; st == MO_OK && i < n_in; i++) {
        void *port = NULL;
        if (ov->compiled_model_input_by_index(compiled, i, &port) != 0) {
            st = ov_fail(ov, err, "reading the inputs of", xml);
            break;
        }
        char *names = port_name(ov, port);
        struct ov_shape ps = {0, NULL};
        int rank = -1;
        int64_t dims[MO_NPY_MAX_RANK];
        if (ov->port_get_shape(port, &ps) == 0) {
            if (ps.rank <= MO_NPY_MAX_RANK) {
                rank = (int)ps.rank;
                memcpy(dims, ps.dims, (size_t)rank * sizeof *dims);
            }
            ov->shape_free(&ps);
        }
        int type = -1;
        if (ov->port_get_element_type(port, &type) != 0)
            type = -1;
        else
            type -= ov->type_shift;
        ov->output_const_port_free(port);
        struct mo_ov_tensor t = {0};
        st = names ? feed(user, (unsigned)i, names, npy_type_of(type), rank, dims, &t, err)
                   : mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        free(names);
        if (st == MO_OK && t.dtype != npy_type_of(type))
            st = mo_error_set(err, MO_ERR_INTERNAL, 0, "an input of '%s' was fed with the wrong type", xml);
        if (st != MO_OK)
            break;
        struct ov_shape s;
        if (ov->shape_create(t.rank, t.dims, &s) != 0) {
            st = ov_fail(ov, err, "shaping an input of", xml);
            break;
        }
        if (ov->tensor_create_from_host_ptr(ov_type_of(t.dtype) + ov->type_shift, s, t.data, &in_tensors[i]) != 0 ||
            ov->infer_request_set_input_tensor_by_index(req, i, in_tensors[i]) != 0)
            st = ov_fail(ov, err, "setting an input of", xml);
        ov->shape_free(&s);
    }
    if (st == MO_OK && ov->infer_request_infer(req) != 0)
        st = ov_fail(ov, err, "inferring", xml);
    if (st == MO_OK && !(res = calloc(n_out ? n_out : 1, sizeof *res)))
        st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    unsigned got = 0;
    for (size_t i = 0; st == MO_OK && i < n_out; i++) {
        void *port = NULL, *t = NULL, *data = NULL;
        struct ov_shape s = {0, NULL};
        int type = 0;
        if (ov->compiled_model_output_by_index(compiled, i, &port) != 0) {
            st = ov_fail(ov, err, "reading the outputs of", xml);
            break;
        }
        res[i].name = port_name(ov, port);
        ov->output_const_port_free(port);
        got++;
        if (ov->infer_request_get_output_tensor_by_index(req, i, &t) != 0 ||
            ov->tensor_get_shape(t, &s) != 0 || ov->tensor_get_element_type(t, &type) != 0 ||
            ov->tensor_data(t, &data) != 0) {
            if (s.dims)
                ov->shape_free(&s);
            if (t)
                ov->tensor_free(t);
            st = ov_fail(ov, err, "reading an output of", xml);
            break;
        }
        type -= ov->type_shift;
        size_t count = 1;
        res[i].rank = s.rank > MO_NPY_MAX_RANK ? MO_NPY_MAX_RANK : (int)s.rank;
        for (int d = 0; d < res[i].rank; d++) {
            res[i].dims[d] = s.dims[d];
            count *= (size_t)s.dims[d];
        }
        ov->shape_free(&s);
        res[i].count = count;
        res[i].dtype = MO_NPY_F64;
        res[i].data = malloc((count ? count : 1) * sizeof(double));
        if (!res[i].data)
            st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        else if (!to_doubles(type, data, count, res[i].data))
            st = mo_error_set(err, MO_ERR_UNSUPPORTED, 0, "output '%s' of '%s' has element type %d, which "
                              "--validate cannot compare", res[i].name, xml, type);
        ov->tensor_free(t);
    }
    for (size_t i = 0; in_tensors && i < n_in; i++)
        if (in_tensors[i])
            ov->tensor_free(in_tensors[i]);
    free(in_tensors);
    if (req)
        ov->infer_request_free(req);
    if (compiled)
        ov->compiled_model_free(compiled);
    if (model)
        ov->model_free(model);
    ov->core_free(core);
    if (st != MO_OK) {
        mo_ov_tensors_free(res, got);
        return st;
    }
    *outs = res;
    *n_outs = (unsigned)n_out;
    return MO_OK;
}
