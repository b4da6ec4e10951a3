/* checkpoint.h - a TensorFlow V2 checkpoint's tensors (checkpoint.c). */
#ifndef MO_TF_CHECKPOINT_H
#define MO_TF_CHECKPOINT_H

#include <mo/mo.h>

struct mo_tf_ckpt;

/* Open the checkpoint PREFIX (PREFIX.index and its data shards; a path
 * ending in ".index" is taken as its prefix).  The index is read and every
 * block's CRC checked now; shards are mapped when a tensor needs them.
 * *out: a new checkpoint the caller closes with mo_tf_ckpt_close. */
enum mo_status mo_tf_ckpt_open(const char *prefix, struct mo_tf_ckpt **out, struct mo_error *err);
/* The same from an index already mapped (the fuzz harness); index is not
 * kept (the entries are copied out). */
enum mo_status mo_tf_ckpt_open_index(struct mo_file *index, const char *prefix, struct mo_tf_ckpt **out,
                                     struct mo_error *err);
void mo_tf_ckpt_close(struct mo_tf_ckpt *c);

/* Shard i given rather than mapped from its path (the fuzz harness): c
 * takes a reference on f; false when c has no shard i. */
bool mo_tf_ckpt_set_shard(struct mo_tf_ckpt *c, int i, struct mo_file *f);
/* The key of entry i < mo_tf_ckpt_count (sorted; owned by c). */
const char *mo_tf_ckpt_key(const struct mo_tf_ckpt *c, size_t i);

bool mo_tf_ckpt_has(const struct mo_tf_ckpt *c, const char *key);
size_t mo_tf_ckpt_count(const struct mo_tf_ckpt *c);
/* The tensor stored under key, borrowing its shard's map (*out: a new
 * reference); its CRC is checked.  A missing key, shard or byte range is
 * an error naming the file and the key. */
enum mo_status mo_tf_ckpt_tensor(struct mo_tf_ckpt *c, const char *key, struct mo_tensor **out,
                                 struct mo_error *err);

#endif
