/* tensor.c - a TensorFlow TensorProto's value as a tensor.
 *
 * Two places hold a tensor's values: tensor_content (raw little-endian
 * bytes; in a binary file taken out of the wire bytes before unpacking and
 * replaced by a marker naming its span, so the tensor is a view of the map)
 * and the typed repeated fields (float_val, int_val ...), which TensorFlow
 * writes for small tensors and where fewer values than the shape holds
 * mean "repeat the last one" (one value broadcast to the whole shape is the
 * common case: tf.fill of a constant), and none at all means zeros. */
#include <config.h>

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "tf_load.h"

enum mo_etype mo_tf_etype(int dt)
{
    switch (dt) {
    case MO_TF__DATA_TYPE__DT_FLOAT: return MO_ET_F32;
    case MO_TF__DATA_TYPE__DT_DOUBLE: return MO_ET_F64;
    case MO_TF__DATA_TYPE__DT_INT32: return MO_ET_I32;
    case MO_TF__DATA_TYPE__DT_UINT8: return MO_ET_U8;
    case MO_TF__DATA_TYPE__DT_INT16: return MO_ET_I16;
    case MO_TF__DATA_TYPE__DT_INT8: return MO_ET_I8;
    case MO_TF__DATA_TYPE__DT_INT64: return MO_ET_I64;
    case MO_TF__DATA_TYPE__DT_BOOL: return MO_ET_BOOLEAN;
    case MO_TF__DATA_TYPE__DT_BFLOAT16: return MO_ET_BF16;
    case MO_TF__DATA_TYPE__DT_UINT16: return MO_ET_U16;
    case MO_TF__DATA_TYPE__DT_HALF: return MO_ET_F16;
    case MO_TF__DATA_TYPE__DT_UINT32: return MO_ET_U32;
    case MO_TF__DATA_TYPE__DT_UINT64: return MO_ET_U64;
    default: return MO_ET_UNDEFINED;
    }
}

const char *mo_tf_dtype_name(int dt, char *buf)
{
    const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value(&mo_tf__data_type__descriptor, dt);
    if (v)
        return v->name;
    snprintf(buf, 16, "%d", dt);
    return buf;
}

enum mo_status mo_tf_shape(const struct mo_tf_loader *L, const MoTf__TensorShapeProto *sp, const char *what,
                           struct mo_shape *out, struct mo_error *err)
{
    *out = mo_shape_unknown();
    if (!sp || sp->unknown_rank)
        return MO_OK;
    if (sp->n_dim > MO_MAX_RANK)
        return mo_error_set(err, MO_ERR_UNSUPPORTED, 4, "'%s': %s has rank %zu; the IR allows up to %d",
                            L->what, what, sp->n_dim, MO_MAX_RANK);
    out->rank = (int)sp->n_dim;
    for (size_t i = 0; i < sp->n_dim; i++)
        out->dims[i] = sp->dim[i]->size >= 0 ? sp->dim[i]->size : MO_DYN;
    return MO_OK;
}

/* The typed field holding et's values: its count and element i as a double
 * or an integer (64 bits keep every int64 exact). */
static size_t typed_count(const MoTf__TensorProto *tp, enum mo_etype et)
{
    switch (et) {
    case MO_ET_F32: return tp->n_float_val;
    case MO_ET_F64: return tp->n_double_val;
    case MO_ET_I64: return tp->n_int64_val;
    case MO_ET_BOOLEAN: return tp->n_bool_val;
    case MO_ET_F16:
    case MO_ET_BF16: return tp->n_half_val;
    case MO_ET_U32: return tp->n_uint32_val;
    case MO_ET_U64: return tp->n_uint64_val;
    default: return tp->n_int_val;      /* i32 i16 i8 u8 u16 */
    }
}

static void typed_put(const MoTf__TensorProto *tp, enum mo_etype et, size_t i, unsigned char *p)
{
    switch (et) {
    case MO_ET_F32: memcpy(p, &tp->float_val[i], 4); break;
    case MO_ET_F64: memcpy(p, &tp->double_val[i], 8); break;
    case MO_ET_I64: memcpy(p, &tp->int64_val[i], 8); break;
    case MO_ET_BOOLEAN: *p = tp->bool_val[i] != 0; break;
    case MO_ET_F16:
    case MO_ET_BF16: { uint16_t v = (uint16_t)tp->half_val[i]; memcpy(p, &v, 2); break; }
    case MO_ET_U32: memcpy(p, &tp->uint32_val[i], 4); break;
    case MO_ET_U64: memcpy(p, &tp->uint64_val[i], 8); break;
    case MO_ET_I32: memcpy(p, &tp->int_val[i], 4); break;
    case MO_ET_I16:
    case MO_ET_U16: { uint16_t v = (uint16_t)tp->int_val[i]; memcpy(p, &v, 2); break; }
    default: *p = (unsigned char)tp->int_val[i]; break;     /* i8 u8 */
    }
}

enum mo_status mo_tf_tensor(const struct mo_tf_loader *L, const MoTf__TensorProto *tp, const char *what,
                            struct mo_tensor **out, struct mo_error *err)
{
    char qt[16];
    *out = NULL;
    int dt = tp->has_dtype ? (int)tp->dtype : 0;
    enum mo_etype et = mo_tf_etype(dt);
    if (et == MO_ET_UNDEFINED)
        return mo_error_set(err, MO_ERR_UNSUPPORTED, 10, "'%s': %s has element type %s, which the IR cannot hold",
                            L->what, what, mo_tf_dtype_name(dt, qt));
    struct mo_shape sh;
    enum mo_status st = mo_tf_shape(L, tp->tensor_shape, what, &sh, err);
    if (st != MO_OK)
        return st;
    if (sh.rank < 0)
        return mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': %s has no shape", L->what, what);
    int64_t numel = 1;
    for (int i = 0; i < sh.rank; i++) {
        int64_t d = sh.dims[i];
        /* bounded so that a byte count of numel elements cannot wrap */
        if (d < 0 || (d && numel > INT64_MAX / 64 / d))
            return mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': %s has an impossible dim %" PRId64, L->what,
                                what, d);
        numel *= d;
    }
    size_t nbytes = mo_tensor_bytes_for(et, &sh);
    if (tp->has_tensor_content) {
        size_t off = 0, len = tp->tensor_content.len;
        if (L->binary) {
            uint32_t k = len == MO_PB_MARK_LEN ? mo_pb_mark_index(tp->tensor_content.data) : UINT32_MAX;
            if (k >= L->n_spans)
                return mo_error_set(err, MO_ERR_INTERNAL, 0, "'%s': %s lost its tensor_content marker", L->what,
                                    what);
            off = L->spans[k].offset;
            len = L->spans[k].len;
        }
        if (len != nbytes)
            return mo_error_set(err, MO_ERR_FORMAT, 2,
                                "'%s': %s has %zu bytes of tensor_content but its type and shape need %zu",
                                L->what, what, len, nbytes);
        if (!nbytes)
            *out = mo_tensor_new(et, &sh, err);
        else if (L->binary)
            *out = mo_tensor_borrow(L->file, off, et, &sh, err);
        else
            *out = mo_tensor_from_data(et, &sh, tp->tensor_content.data, len, err);
        return *out ? MO_OK : (err && err->code ? err->code : MO_ERR_NOMEM);
    }
    size_t have = typed_count(tp, et);
    if ((int64_t)have > numel)
        return mo_error_set(err, MO_ERR_FORMAT, 2, "'%s': %s holds %zu values but its shape needs %" PRId64,
                            L->what, what, have, numel);
    struct mo_tensor *t = mo_tensor_new(et, &sh, err);
    if (!t)
        return err && err->code ? err->code : MO_ERR_NOMEM;
    size_t esz = numel ? nbytes / (size_t)numel : 0;
    unsigned char *p = t->owned;
    /* no value at all is a tensor of zeros (TensorFlow leaves them out) */
    if (have)
        for (int64_t i = 0; i < numel; i++)
            typed_put(tp, et, (size_t)i < have ? (size_t)i : have - 1, p + (size_t)i * esz);
    *out = t;
    return MO_OK;
}
