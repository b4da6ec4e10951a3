/* params.c - Paddle's LoDTensor parameter streams, read zero-copy.
 *
 * One tensor, little-endian, as Paddle's SerializeToStream writes it:
 *   u32 version (0), u64 lod_level, per level (u64 byte size + that many
 *   bytes of u64 offsets), u32 tensor version (0), i32 size of the
 *   TensorDesc protobuf, the TensorDesc (data_type, dims), raw data.
 * A combined .pdiparams file is these streams back to back, one per
 * persistable variable in sorted-name order; the old layout stores each
 * stream in a file named after its variable. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "framework.pb-c.h"
#include "paddle.h"
#include "pd_load.h"

int mo_pd_param_cmp(const void *a, const void *b)
{
    const struct mo_pd_param *x = a, *y = b;
    return strcmp(x->name, y->name);
}

struct rd {
    struct mo_file *f;
    const unsigned char *p;
    size_t size, off;
    const char *path;
    const char *param;      /* variable being read */
    struct mo_error *err;
};

static enum mo_status truncated(struct rd *r, const char *what)
{
    return mo_error_set(r->err, MO_ERR_FORMAT, 2,
                        "'%s' is truncated or corrupt: parameter '%s': %s at offset %zu runs past "
                        "the end of the file (%zu bytes)",
                        r->path, r->param, what, r->off, r->size);
}

static enum mo_status get(struct rd *r, void *out, size_t n, const char *what)
{
    if (r->size - r->off < n)
        return truncated(r, what);
    memcpy(out, r->p + r->off, n);
    r->off += n;
    return MO_OK;
}

/* Whether the element count of shape s can be computed: dims read from a
 * corrupt file may multiply past int64 (zero dims left out, since an
 * empty tensor's other dims still enter the product). */
static bool countable(const struct mo_shape *s)
{
    double n = 1;
    for (int i = 0; i < s->rank; i++)
        if (s->dims[i] > 0)
            n *= (double)s->dims[i];
    return n <= (double)((int64_t)1 << 56);
}

/* Read one stream at r->off into prm. */
static enum mo_status read_one(struct rd *r, struct mo_pd_param *prm)
{
    uint32_t ver, tver;
    uint64_t levels;
    int32_t desc_size;
    enum mo_status st;
    size_t start = r->off;
    r->param = prm->name;
    if ((st = get(r, &ver, 4, "the version")) != MO_OK)
        return st;
    if (ver != 0)
        return mo_error_set(r->err, MO_ERR_FORMAT, 2,
                            "'%s' is corrupt: parameter '%s' at offset %zu has stream version %u "
                            "(only 0 exists)",
                            r->path, prm->name, start, ver);
    if ((st = get(r, &levels, 8, "the LoD level count")) != MO_OK)
        return st;
    if (levels > 64)
        return mo_error_set(r->err, MO_ERR_FORMAT, 2,
                            "'%s' is corrupt: parameter '%s' claims %llu LoD levels", r->path,
                            prm->name, (unsigned long long)levels);
    for (uint64_t l = 0; l < levels; l++) {
        uint64_t n = 0;
        if ((st = get(r, &n, 8, "a LoD level size")) != MO_OK)
            return st;
        if (n > r->size - r->off)
            return truncated(r, "a LoD level");
        r->off += (size_t)n;
    }
    if ((st = get(r, &tver, 4, "the tensor version")) != MO_OK)
        return st;
    if (tver != 0)
        return mo_error_set(r->err, MO_ERR_FORMAT, 2,
                            "'%s' is corrupt: parameter '%s' has tensor version %u (only 0 exists)",
                            r->path, prm->name, tver);
    if ((st = get(r, &desc_size, 4, "the tensor description size")) != MO_OK)
        return st;
    if (desc_size < 0 || (size_t)desc_size > r->size - r->off)
        return truncated(r, "the tensor description");
    /* nested messages have no generated unpack; the generic one serves */
    MoPd__VarType__TensorDesc *td = (MoPd__VarType__TensorDesc *)protobuf_c_message_unpack(
        &mo_pd__var_type__tensor_desc__descriptor, NULL, (size_t)desc_size, r->p + r->off);
    if (!td)
        return mo_error_set(r->err, MO_ERR_FORMAT, 2,
                            "'%s' is corrupt: the tensor description of parameter '%s' at offset "
                            "%zu does not decode",
                            r->path, prm->name, r->off);
    r->off += (size_t)desc_size;
    enum mo_etype et = mo_pd_etype(td->data_type);
    struct mo_shape sh = {.rank = 0};
    bool bad_dims = td->n_dims > MO_MAX_RANK;
    for (size_t i = 0; !bad_dims && i < td->n_dims; i++) {
        if (td->dims[i] < 0)
            bad_dims = true;
        sh.dims[sh.rank++] = td->dims[i];
    }
    int dtype = td->data_type;
    protobuf_c_message_free_unpacked(&td->base, NULL);
    if (et == MO_ET_UNDEFINED)
        return mo_error_set(r->err, MO_ERR_UNSUPPORTED, 2,
                            "'%s': parameter '%s' has Paddle data type %d, which mo cannot read",
                            r->path, prm->name, dtype);
    if (bad_dims)
        return mo_error_set(r->err, MO_ERR_FORMAT, 2,
                            "'%s' is corrupt: parameter '%s' has a negative dim or more than %d dims",
                            r->path, prm->name, MO_MAX_RANK);
    char a[128], b[128];
    if (!countable(&sh))
        return mo_error_set(r->err, MO_ERR_FORMAT, 2,
                            "'%s' is corrupt: parameter '%s' has shape [%s], more elements than "
                            "any tensor holds",
                            r->path, prm->name, mo_shape_str(&sh, a, sizeof a));
    if (prm->shape.rank >= 0 && mo_shape_is_static(&prm->shape) && !countable(&prm->shape))
        return mo_error_set(r->err, MO_ERR_FORMAT, 2,
                            "the model is corrupt: it declares parameter '%s' (read from '%s') "
                            "with shape [%s], more elements than any tensor holds",
                            prm->name, r->path, mo_shape_str(&prm->shape, b, sizeof b));
    if (prm->shape.rank >= 0 && mo_shape_is_static(&prm->shape) &&
        mo_shape_numel(&prm->shape) != mo_shape_numel(&sh))
        return mo_error_set(r->err, MO_ERR_FORMAT, 2,
                            "'%s': parameter '%s' has shape [%s] in the file but [%s] in the "
                            "model; the parameter file does not belong to this model",
                            r->path, prm->name, mo_shape_str(&sh, a, sizeof a),
                            mo_shape_str(&prm->shape, b, sizeof b));
    if (prm->et != MO_ET_UNDEFINED && prm->et != et)
        return mo_error_set(r->err, MO_ERR_FORMAT, 2,
                            "'%s': parameter '%s' is %s in the file but %s in the model", r->path,
                            prm->name, mo_etype_name(et), mo_etype_name(prm->et));
    if (prm->shape.rank >= 0 && mo_shape_is_static(&prm->shape))
        sh = prm->shape;        /* the model's view (a 0-D scalar may be stored as [1]) */
    size_t nbytes = mo_tensor_bytes_for(et, &sh);
    if (nbytes > r->size - r->off)
        return truncated(r, "the tensor data");
    prm->t = mo_tensor_borrow(r->f, r->off, et, &sh, r->err);
    if (!prm->t)
        return mo_pd_status(r->err);
    r->off += nbytes;
    return MO_OK;
}

/* Read params[0..n) in order from the combined file at path (the order
 * Paddle writes: names sorted).  Errors name the file, the parameter and
 * the offset: truncated stream, corrupt header, a type or shape that
 * differs from the declaration, bytes left over after the last one. */
static enum mo_status read_combined(const char *path, struct mo_pd_param *params, size_t n,
                                    struct mo_error *err)
{
    struct mo_file *f = mo_file_map(path, err);
    if (!f)
        return mo_pd_status(err);
    struct rd r = {f, mo_file_data(f), mo_file_size(f), 0, path, "", err};
    enum mo_status st = MO_OK;
    for (size_t i = 0; i < n && st == MO_OK; i++) {
        if (r.off == r.size) {
            st = mo_error_set(err, MO_ERR_FORMAT, 2,
                              "'%s' holds %zu parameters but the model has %zu: '%s' and the rest "
                              "are missing (wrong or truncated parameter file)",
                              path, i, n, params[i].name);
            break;
        }
        st = read_one(&r, &params[i]);
    }
    if (st == MO_OK && r.off != r.size)
        st = mo_error_set(err, MO_ERR_FORMAT, 2,
                          "'%s' holds more data than the %zu parameters the model declares "
                          "(%zu bytes left at offset %zu): the parameter file does not belong "
                          "to this model",
                          path, n, r.size - r.off, r.off);
    if (st != MO_OK)
        for (size_t i = 0; i < n; i++) {
            mo_tensor_unref(params[i].t);
            params[i].t = NULL;
        }
    mo_file_unref(f);
    return st;
}

/* Read each parameter from its own file dir/<name> (the old layout). */
static enum mo_status read_separate(const char *dir, struct mo_pd_param *params, size_t n,
                                    struct mo_error *err)
{
    enum mo_status st = MO_OK;
    for (size_t i = 0; i < n && st == MO_OK; i++) {
        size_t len = strlen(dir) + strlen(params[i].name) + 2;
        char *p = malloc(len);
        if (!p) {
            st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
            break;
        }
        snprintf(p, len, "%s/%s", dir, params[i].name);
        struct mo_error ferr = {0};
        struct mo_file *f = mo_file_map(p, &ferr);
        if (!f) {
            st = mo_error_set(err, MO_ERR_FORMAT, 2,
                              "parameter '%s' of the model has no file '%s' (%s)", params[i].name,
                              p, ferr.msg);
            free(p);
            break;
        }
        struct rd r = {f, mo_file_data(f), mo_file_size(f), 0, p, "", err};
        st = read_one(&r, &params[i]);
        if (st == MO_OK && r.off != r.size)
            st = mo_error_set(err, MO_ERR_FORMAT, 2,
                              "'%s' holds %zu bytes after parameter '%s': not a parameter file",
                              p, r.size - r.off, params[i].name);
        mo_file_unref(f);
        free(p);
    }
    if (st != MO_OK)
        for (size_t i = 0; i < n; i++) {
            mo_tensor_unref(params[i].t);
            params[i].t = NULL;
        }
    return st;
}

enum mo_status mo_pd_read_params(const char *program, const char *params_path,
                                 struct mo_pd_param *params, size_t n, struct mo_error *err)
{
    if (params_path) {
        /* Paddle saves no parameter file for a program without persistable
         * variables (an activation, a reshape chain, a preprocessing graph),
         * so its absence is an error only when something is to be read from
         * it.  A file that is there is read even then: one holding data does
         * not belong to the program. */
        struct stat st;
        bool absent = stat(params_path, &st) != 0 && errno == ENOENT;
        if (absent && n == 0)
            return MO_OK;
        if (absent)
            return mo_error_set(err, MO_ERR_IO, 1,
                                "the parameters of '%s' are missing: the program reads %zu "
                                "persistable variable%s ('%s' first) from '%s', which does not "
                                "exist; put the .pdiparams saved with the program beside it",
                                program, n, n == 1 ? "" : "s", params[0].name, params_path);
        return read_combined(params_path, params, n, err);
    }
    char *dir = strdup(program);
    if (!dir)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = 0;
    else
        strcpy(dir, ".");
    enum mo_status st = read_separate(dir, params, n, err);
    free(dir);
    return st;
}
