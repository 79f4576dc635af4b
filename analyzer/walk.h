/*
 * walk.h - visits every node of a parse tree, whatever its type.
 *
 * Driven by protobuf-c's descriptors, so it knows every field of every
 * node type in the PostgreSQL 15 grammar without a hand-written case per
 * type. Used to find function calls, table references and sub-selects.
 */
#ifndef PGS_WALK_H
#define PGS_WALK_H

#include <pg_query/pg_query.pb-c.h>
#include <stdbool.h>

/* Return false to skip the node's children. */
typedef bool (*walk_fn)(const PgQuery__Node *node, void *ctx);

/* Calls @fn for @root (when it is a Node) and every Node below it. */
void walk_tree(const ProtobufCMessage *root, walk_fn fn, void *ctx);

#define WALK_NODE(n, fn, ctx) walk_tree((const ProtobufCMessage *)(n), (fn), (ctx))

#endif
