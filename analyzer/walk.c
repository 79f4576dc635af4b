/*
 * walk.c - descriptor-driven tree walk (walk.h).
 *
 * PgQuery__Node is a protobuf oneof: only the member named by node_case is
 * valid, so oneof members are read only when their case is set. The depth
 * cap bounds recursion on pathological input (the parser has its own cap,
 * max_stack_depth, so real trees stay far below it).
 */
#include "walk.h"

#define WALK_MAX_DEPTH 2000

static void walk_msg(const ProtobufCMessage *m, walk_fn fn, void *ctx, int depth)
{
	if (!m || depth > WALK_MAX_DEPTH)
		return;
	const ProtobufCMessageDescriptor *d = m->descriptor;
	if (d == &pg_query__node__descriptor && !fn((const PgQuery__Node *)m, ctx))
		return;
	const char *base = (const char *)m;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		if (f->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(const size_t *)(base + f->quantifier_offset);
			ProtobufCMessage *const *arr = *(ProtobufCMessage *const *const *)(base + f->offset);
			for (size_t k = 0; k < n; k++)
				walk_msg(arr[k], fn, ctx, depth + 1);
		} else {
			if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
				uint32_t which = *(const uint32_t *)(base + f->quantifier_offset);
				if (which != f->id)
					continue;
			}
			walk_msg(*(ProtobufCMessage *const *)(base + f->offset), fn, ctx, depth + 1);
		}
	}
}

void walk_tree(const ProtobufCMessage *root, walk_fn fn, void *ctx)
{
	walk_msg(root, fn, ctx, 0);
}
