/* test_abi.c - the plugin ABI 1.0 frozen: sizes, offsets and enum values of
 * the public SDK structs as built on x86_64 (LP64).  A failure here means a
 * change that breaks plugins built against an older SDK: append fields and
 * enumerators at the end and bump MO_PLUGIN_ABI_MINOR instead. */
#include <config.h>

#include <stddef.h>
#include <stdlib.h>

#include <check.h>

#include <mo/mo.h>
#include "run_suite.h"

START_TEST(abi_version)
{
    ck_assert_int_eq(MO_PLUGIN_ABI_MAJOR, 1);
    /* 1.1: struct mo_node gained n_bodies/bodies (mo/body.h) at its end */
    /* 1.2: mo/replace_config.h (transformations config handlers) and
     * mo_file_drop_pages (mo/tensor.h) */
    ck_assert_int_eq(MO_PLUGIN_ABI_MINOR, 2);
}
END_TEST

/* Sizes worked out by hand from the LP64 layout rules (pointers and
 * size_t/int64_t 8 bytes and 8-aligned, int/enum/uint32_t 4). */
START_TEST(abi_struct_sizes)
{
#if defined(__x86_64__) && defined(__LP64__)
    /* 3 x u32 + pad, name, version, kind + pad, description, init, fini */
    ck_assert_uint_eq(sizeof(struct mo_plugin_desc), 64);
    /* mo/replace_config.h (1.2): u32 + pad, id, match_kind, config, entry +
     * pad, scope, then four (count + pad, pointer) pairs */
    ck_assert_uint_eq(sizeof(struct mo_cfg_match), 112);
    ck_assert_uint_eq(offsetof(struct mo_cfg_match, scope), 40);
    ck_assert_uint_eq(offsetof(struct mo_cfg_match, attrs), 104);
    ck_assert_uint_eq(sizeof(struct mo_cfg_input), 32);
    ck_assert_uint_eq(sizeof(struct mo_cfg_handler), 32);
    ck_assert_uint_eq(offsetof(struct mo_plugin_desc, abi_major), 0);
    ck_assert_uint_eq(offsetof(struct mo_plugin_desc, abi_minor), 4);
    ck_assert_uint_eq(offsetof(struct mo_plugin_desc, struct_size), 8);
    ck_assert_uint_eq(offsetof(struct mo_plugin_desc, name), 16);
    ck_assert_uint_eq(offsetof(struct mo_plugin_desc, version), 24);
    ck_assert_uint_eq(offsetof(struct mo_plugin_desc, kind), 32);
    ck_assert_uint_eq(offsetof(struct mo_plugin_desc, description), 40);
    ck_assert_uint_eq(offsetof(struct mo_plugin_desc, init), 48);
    ck_assert_uint_eq(offsetof(struct mo_plugin_desc, fini), 56);
    /* struct_size + pad, name, description, probe, load */
    ck_assert_uint_eq(sizeof(struct mo_frontend), 40);
    ck_assert_uint_eq(offsetof(struct mo_frontend, load), 32);
    /* struct_size + pad, framework, name, enabled_by, rank + pad, fn, user */
    ck_assert_uint_eq(sizeof(struct mo_replacement), 56);
    ck_assert_uint_eq(offsetof(struct mo_replacement, rank), 32);
    ck_assert_uint_eq(offsetof(struct mo_replacement, fn), 40);
    /* code, faq, msg[1024] */
    ck_assert_uint_eq(sizeof(struct mo_error), 8 + MO_ERROR_MSG_MAX);
    ck_assert_int_eq(MO_ERROR_MSG_MAX, 1024);
    ck_assert_uint_eq(offsetof(struct mo_error, msg), 8);
    /* rank + pad, 12 dims */
    ck_assert_int_eq(MO_MAX_RANK, 12);
    ck_assert_uint_eq(sizeof(struct mo_shape), 8 + 12 * 8);
    /* name, kind + pad, a 16-byte union (pointer + count) */
    ck_assert_uint_eq(sizeof(struct mo_attr), 32);
    ck_assert_uint_eq(offsetof(struct mo_attr, u), 16);
    /* et + pad, shape, data, nbytes, refs + pad, owned, file, src, op */
    ck_assert_uint_eq(sizeof(struct mo_tensor), 8 + 104 + 8 + 8 + 8 + 8 + 8 + 8 + 8);
    ck_assert_uint_eq(offsetof(struct mo_tensor, shape), 8);
    ck_assert_uint_eq(offsetof(struct mo_tensor, data), 112);
    ck_assert_uint_eq(offsetof(struct mo_tensor, nbytes), 120);
    /* type, opset, min/max inputs, n_outputs + pad, attrs, n_attrs + pad, infer, eval */
    ck_assert_uint_eq(sizeof(struct mo_op_def), 64);
    ck_assert_uint_eq(offsetof(struct mo_op_def, attrs), 32);
    ck_assert_uint_eq(offsetof(struct mo_op_def, infer), 48);
    ck_assert_uint_eq(offsetof(struct mo_op_def, eval), 56);
    ck_assert_uint_eq(sizeof(struct mo_attr_spec), 24);
    ck_assert_uint_eq(sizeof(struct mo_value), 16);
    /* et + pad, shape, names, n_names + pad */
    ck_assert_uint_eq(sizeof(struct mo_output), 128);
    /* ... user, then (1.1) n_bodies + pad, bodies */
    ck_assert_uint_eq(sizeof(struct mo_node), 136);
    ck_assert_uint_eq(offsetof(struct mo_node, n_bodies), 120);
    ck_assert_uint_eq(offsetof(struct mo_node, bodies), 128);
    ck_assert_uint_eq(offsetof(struct mo_node, inputs), 40);
    ck_assert_uint_eq(offsetof(struct mo_node, outputs), 56);
    ck_assert_uint_eq(offsetof(struct mo_node, attrs), 72);
    ck_assert_uint_eq(offsetof(struct mo_node, value), 80);
    ck_assert_uint_eq(offsetof(struct mo_node, user), 112);
    ck_assert_uint_eq(sizeof(struct mo_ir_info), 16);
    /* mo/body.h (1.1): axis, start, stride, part_size, end */
    ck_assert_uint_eq(sizeof(struct mo_slice), 40);
    ck_assert_uint_eq(offsetof(struct mo_slice, end), 32);
    /* outer + pad, node, flag + pad, slice */
    ck_assert_uint_eq(sizeof(struct mo_body_input), 64);
    ck_assert_uint_eq(offsetof(struct mo_body_input, slice), 24);
    ck_assert_uint_eq(sizeof(struct mo_body_output), 64);
    ck_assert_uint_eq(offsetof(struct mo_body_output, slice), 24);
    ck_assert_uint_eq(sizeof(struct mo_back_edge), 16);
    /* graph, owner, three (count + pad, array) pairs, iteration, condition */
    ck_assert_uint_eq(sizeof(struct mo_body), 80);
    ck_assert_uint_eq(offsetof(struct mo_body, inputs), 24);
    ck_assert_uint_eq(offsetof(struct mo_body, back_edges), 56);
    ck_assert_uint_eq(offsetof(struct mo_body, condition), 72);
#else
    /* the reference values above are for x86_64 only */
#endif
}
END_TEST

/* Plugins compiled against ABI 1.0 pass these numbers across the boundary. */
START_TEST(abi_enum_values)
{
    ck_assert_int_eq(MO_OK, 0);
    ck_assert_int_eq(MO_ERR_NOMEM, 1);
    ck_assert_int_eq(MO_ERR_IO, 2);
    ck_assert_int_eq(MO_ERR_FORMAT, 3);
    ck_assert_int_eq(MO_ERR_INVALID_ARG, 4);
    ck_assert_int_eq(MO_ERR_UNSUPPORTED, 5);
    ck_assert_int_eq(MO_ERR_SHAPE, 6);
    ck_assert_int_eq(MO_ERR_PLUGIN, 7);
    ck_assert_int_eq(MO_ERR_DECLINED, 8);
    ck_assert_int_eq(MO_ERR_NOT_FOUND, 9);
    ck_assert_int_eq(MO_ERR_INTERNAL, 10);
    ck_assert_int_eq(MO_ERR_MISMATCH, 11);
    ck_assert_int_ge(MO_STATUS_COUNT, 12);

    ck_assert_int_eq(MO_ET_UNDEFINED, 0);
    ck_assert_int_eq(MO_ET_F32, 1);
    ck_assert_int_eq(MO_ET_F16, 2);
    ck_assert_int_eq(MO_ET_BF16, 3);
    ck_assert_int_eq(MO_ET_F64, 4);
    ck_assert_int_eq(MO_ET_I8, 5);
    ck_assert_int_eq(MO_ET_I16, 6);
    ck_assert_int_eq(MO_ET_I32, 7);
    ck_assert_int_eq(MO_ET_I64, 8);
    ck_assert_int_eq(MO_ET_U8, 9);
    ck_assert_int_eq(MO_ET_U16, 10);
    ck_assert_int_eq(MO_ET_U32, 11);
    ck_assert_int_eq(MO_ET_U64, 12);
    ck_assert_int_eq(MO_ET_U1, 13);
    ck_assert_int_eq(MO_ET_BOOLEAN, 14);
    ck_assert_int_ge(MO_ET_COUNT, 15);

    ck_assert_int_eq(MO_ATTR_NONE, 0);
    ck_assert_int_eq(MO_ATTR_INT, 1);
    ck_assert_int_eq(MO_ATTR_FLOAT, 2);
    ck_assert_int_eq(MO_ATTR_BOOL, 3);
    ck_assert_int_eq(MO_ATTR_STRING, 4);
    ck_assert_int_eq(MO_ATTR_INTS, 5);
    ck_assert_int_eq(MO_ATTR_FLOATS, 6);
    ck_assert_int_eq(MO_ATTR_TENSOR, 7);
    ck_assert_int_eq(MO_ATTR_STRINGS, 8);

    ck_assert_int_eq(MO_TIER_STANDARD, 0);
    ck_assert_int_eq(MO_TIER_EXTENSION, 1);
    ck_assert_int_eq(MO_TIER_MAPPING, 2);
    ck_assert_int_eq(MO_PLUGIN_FRONTEND, 1);
    ck_assert_int_eq(MO_PLUGIN_EXTENSION, 2);

    ck_assert_int_eq(MO_LOG_DEBUG, 0);
    ck_assert_int_eq(MO_LOG_INFO, 1);
    ck_assert_int_eq(MO_LOG_WARNING, 2);
    ck_assert_int_eq(MO_LOG_ERROR, 3);
    ck_assert_int_eq(MO_LOG_CRITICAL, 4);
    ck_assert_int_eq(MO_LOG_NOTSET, 5);

    ck_assert_int_eq(MO_DYN, -1);
    ck_assert_int_eq(MO_RANK_UNKNOWN, -1);
}
END_TEST

/* MO_PLUGIN_EXPORT fills the descriptor in the order the loader reads it. */
static enum mo_status abi_init(struct mo_plugin_ctx *pc, struct mo_error *err) { return MO_OK; }
static void abi_fini(void) {}
MO_PLUGIN_EXPORT(abi_probe, "abi_probe", "9.9", MO_PLUGIN_EXTENSION, abi_init, abi_fini)

START_TEST(abi_export_macro)
{
    const struct mo_plugin_desc *d = abi_probe_LTX_mo_plugin_query();
    ck_assert_ptr_eq(d, mo_plugin_query());
    ck_assert_uint_eq(d->abi_major, 1);
    ck_assert_uint_eq(d->abi_minor, 2);
    ck_assert_uint_eq(d->struct_size, sizeof(struct mo_plugin_desc));
    ck_assert_str_eq(d->name, "abi_probe");
    ck_assert_str_eq(d->version, "9.9");
    ck_assert_int_eq(d->kind, MO_PLUGIN_EXTENSION);
    ck_assert_ptr_eq(d->init, abi_init);
    ck_assert_ptr_eq(d->fini, abi_fini);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("abi");
    TCase *tc = tcase_create("abi 1.0");
    tcase_add_test(tc, abi_version);
    tcase_add_test(tc, abi_struct_sizes);
    tcase_add_test(tc, abi_enum_values);
    tcase_add_test(tc, abi_export_macro);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
