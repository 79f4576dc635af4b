/*
 * unqualified-table-name: DDL on a table named without its schema (opt-in).
 *
 * An unqualified name resolves through the session's search_path, which
 * the migration tool, a role's settings or an earlier SET may change: the
 * same migration can then create or alter a table in another schema than
 * intended. Opt-in, like squawk's equivalent: many projects rely on
 * search_path on purpose. (namespace.c RangeVarGetCreationNamespace,
 * RangeVarGetRelidExtended; docs: "The Schema Search Path", 5.9.3.)
 */
#include "rule.h"

#include <string.h>

static const PgQuery__RangeVar *target(const PgQuery__Node *n)
{
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_CREATE_STMT: return n->create_stmt->relation;
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT: return n->alter_table_stmt->relation;
	case PG_QUERY__NODE__NODE_INDEX_STMT: return n->index_stmt->relation;
	case PG_QUERY__NODE__NODE_RENAME_STMT: return n->rename_stmt->relation;
	case PG_QUERY__NODE__NODE_VIEW_STMT: return n->view_stmt->view;
	case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT: return n->create_trig_stmt->relation;
	case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
		return n->create_table_as_stmt->into ? n->create_table_as_stmt->into->rel : NULL;
	case PG_QUERY__NODE__NODE_TRUNCATE_STMT:
		return n->truncate_stmt->n_relations && RULE_NODE(n->truncate_stmt->relations[0], RANGE_VAR) ?
			n->truncate_stmt->relations[0]->range_var : NULL;
	default:
		return NULL;
	}
}

static int check(struct rule_ctx *ctx)
{
	const PgQuery__Node *n = ctx->stmt->st->node;
	const PgQuery__RangeVar *rv = target(n);
	const char *name = NULL;
	int32_t loc = -1;
	if (rv && !(rv->schemaname && *rv->schemaname) &&
	    !(rv->relpersistence && rv->relpersistence[0] == 't')) {
		name = rv->relname;
		loc = rv->location;
	} else if (!rv && RULE_NODE(n, DROP_STMT) &&
		   (n->drop_stmt->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE ||
		    n->drop_stmt->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX ||
		    n->drop_stmt->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_VIEW)) {
		for (size_t i = 0; i < n->drop_stmt->n_objects && !name; i++) {
			const PgQuery__Node *o = n->drop_stmt->objects[i];
			if (RULE_NODE(o, LIST) && o->list->n_items == 1)
				name = node_string(o->list->items[0]);
		}
	}
	if (!name)
		return PGS_OK;
	struct finding f = {
		.message = rule_printf(ctx, "\"%s\" is not schema-qualified: the search_path in force when the migration runs decides which schema it is in",
				       name),
		.help = rule_printf(ctx, "name the schema: public.%s (or the schema you mean)", name),
	};
	if (loc >= 0) {
		f.start = ctx->stmt->st->loc_base + (size_t)loc;
		f.end = f.start + strlen(name);
	}
	return rule_report(ctx, &f);
}

const struct rule rule_unqualified_table_name = {
	.id = "unqualified-table-name",
	.summary = "DDL names a table without its schema, so search_path decides where it goes (opt-in)",
	.rationale =
		"A table named without a schema resolves through the session's search_path, which the "
		"migration tool, the role's settings or an earlier SET can change: the same migration "
		"can then create or alter a table in a different schema than intended, or fail. Off by "
		"default, since many projects rely on search_path deliberately; enable it in the "
		"configuration. On every version.",
	.safe_alternative = "CREATE TABLE public.orders (id bigint PRIMARY KEY);",
	.bad_example = "CREATE TABLE orders (id bigint PRIMARY KEY);",
	.good_example = "CREATE TABLE public.orders (id bigint PRIMARY KEY);",
	.peers = "squawk: require-table-schema (opt-in)",
	.default_severity = PGS_SEV_HINT,
	.flags = RULE_OPT_IN,
	.check = check,
};
