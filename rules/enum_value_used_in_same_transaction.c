/*
 * enum-value-used-in-same-transaction: a value added with ALTER TYPE ... ADD VALUE is used before COMMIT.
 *
 * From PostgreSQL 12, ALTER TYPE ... ADD VALUE may run inside a
 * transaction block, but the new label cannot be used until that
 * transaction commits: casting it, storing it or comparing with it fails
 * with "unsafe use of new value" (SQLSTATE 55P04) and the whole
 * transaction rolls back. The one exception is an enum type created in the
 * same transaction. Before 12, ADD VALUE cannot run in a transaction block
 * at all (non-transactional-in-transaction reports that). The rule looks
 * for the label cast to the type, or written as a constant in a statement
 * that touches a table with a column of that type. (enum.c
 * check_safe_enum_use, EnumValuesCreate; docs: ALTER TYPE, Notes.)
 */
#include "rule.h"

#include "../analyzer/walk.h"

#include <string.h>

struct added {
	const char *type;     /* qualified */
	const char *bare;     /* the type's own name */
	const char *label;
	size_t stmt;
};

struct use_walk {
	struct rule_ctx *ctx;
	const struct added *a;
	bool cast;            /* 'label'::type seen */
	bool constant;        /* 'label' seen */
	int32_t location;
};

static bool same_type(struct rule_ctx *ctx, const PgQuery__TypeName *tn, const char *qualified)
{
	const char *q = tn ? schema_qualify_list(ctx->schema, ctx->arena, tn->names, tn->n_names) : NULL;
	return q && !strcmp(q, qualified);
}

static bool is_label(const PgQuery__Node *n, const char *label)
{
	return RULE_NODE(n, A_CONST) && n->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL &&
		n->a_const->sval && n->a_const->sval->sval && !strcmp(n->a_const->sval->sval, label);
}

static bool visit(const PgQuery__Node *n, void *p)
{
	struct use_walk *w = p;
	if (RULE_NODE(n, TYPE_CAST) && is_label(n->type_cast->arg, w->a->label) &&
	    same_type(w->ctx, n->type_cast->type_name, w->a->type)) {
		if (!w->cast)
			w->location = n->type_cast->location;
		w->cast = true;
	} else if (is_label(n, w->a->label)) {
		if (!w->constant && !w->cast)
			w->location = n->a_const->location;
		w->constant = true;
	}
	return true;
}

/* Whether @col is of the enum type @a added a value to. */
static bool column_is_enum(const struct sm_column *col, const struct added *a)
{
	if (strcmp(col->type.name, a->bare))
		return false;
	if (!col->type.schema)
		return true;
	size_t l = strlen(col->type.schema);
	return !strncmp(a->type, col->type.schema, l) && a->type[l] == '.';
}

/* Whether the statement locks a table with a column of the type, or declares one. */
static bool touches_type(struct rule_ctx *ctx, const struct added *a)
{
	const struct analyzed_stmt *s = ctx->stmt;
	for (size_t i = 0; i < s->fx.n_locks; i++) {
		const struct sm_table *t = schema_table(ctx->schema, s->fx.locks[i].relation);
		for (size_t k = 0; t && k < t->n_columns; k++)
			if (column_is_enum(&t->columns[k], a))
				return true;
	}
	return false;
}

static bool created_in_block(struct rule_ctx *ctx, const struct added *a)
{
	const struct analyzed_stmt *s = ctx->stmt;
	for (size_t j = s->txn.block_start; j < a->stmt; j++) {
		const struct analyzed_stmt *e = &ctx->stmts[j];
		const PgQuery__Node *n = e->st->status == STMT_PARSED ? e->st->node : NULL;
		if (e->txn.id == s->txn.id && RULE_NODE(n, CREATE_ENUM_STMT)) {
			const char *q = schema_qualify_list(ctx->schema, ctx->arena, n->create_enum_stmt->type_name,
							    n->create_enum_stmt->n_type_name);
			if (q && !strcmp(q, a->type))
				return true;
		}
	}
	return false;
}

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	if (s->txn.kind == TXN_NONE)
		return PGS_OK;
	for (size_t j = s->txn.block_start; j < ctx->index; j++) {
		const struct analyzed_stmt *e = &ctx->stmts[j];
		const PgQuery__Node *n = e->st->status == STMT_PARSED ? e->st->node : NULL;
		if (e->txn.kind == TXN_NONE || e->txn.id != s->txn.id || !RULE_NODE(n, ALTER_ENUM_STMT))
			continue;
		const PgQuery__AlterEnumStmt *ae = n->alter_enum_stmt;
		if ((ae->old_val && *ae->old_val) || !ae->new_val || !ae->n_type_name)
			continue;   /* RENAME VALUE, or nothing added */
		struct added a = {
			.type = schema_qualify_list(ctx->schema, ctx->arena, ae->type_name, ae->n_type_name),
			.bare = node_string(ae->type_name[ae->n_type_name - 1]),
			.label = ae->new_val, .stmt = j,
		};
		if (!a.type || !a.bare || created_in_block(ctx, &a))
			continue;
		struct use_walk w = { .ctx = ctx, .a = &a, .location = -1 };
		WALK_NODE(s->st->node, visit, &w);
		if (!w.cast && !(w.constant && touches_type(ctx, &a)))
			continue;
		struct source_pos at;
		source_position(ctx->src, e->st->start, &at);
		size_t start = w.location >= 0 ? s->st->loc_base + (size_t)w.location : s->st->start;
		struct finding f = {
			.start = start, .end = start + strlen(a.label) + 2,
			.message = rule_printf(ctx,
				"enum value '%s' of type \"%s\" is used in the transaction that added it (line %u): PostgreSQL rejects it with \"unsafe use of new value\" (SQLSTATE 55P04) and the transaction rolls back",
				a.label, a.type, at.line),
			.help = "COMMIT after ALTER TYPE ... ADD VALUE, and use the new value in a later "
				"transaction (or a later migration)",
		};
		if (w.location < 0)
			f.start = f.end = 0;
		return rule_report(ctx, &f);
	}
	return PGS_OK;
}

const struct rule rule_enum_value_used_in_same_transaction = {
	.id = "enum-value-used-in-same-transaction",
	.summary = "an enum value is used in the transaction that added it",
	.rationale =
		"From PostgreSQL 12, ALTER TYPE ... ADD VALUE may run inside a transaction block, but "
		"the new value cannot be used before that transaction commits: a cast to the type, an "
		"INSERT or UPDATE storing it, or a comparison with it fails with \"unsafe use of new "
		"value\" (SQLSTATE 55P04), and everything in the transaction rolls back. An enum type "
		"created in the same transaction is exempt. Before PostgreSQL 12, ADD VALUE cannot run "
		"in a transaction block at all.",
	.safe_alternative =
		"BEGIN;\n"
		"ALTER TYPE order_status ADD VALUE 'refunded';\n"
		"COMMIT;\n"
		"-- a separate transaction:\n"
		"UPDATE orders SET status = 'refunded' WHERE refunded_at IS NOT NULL AND id < 10000;",
	.bad_example =
		"BEGIN;\n"
		"ALTER TYPE order_status ADD VALUE 'refunded';\n"
		"SELECT 'refunded'::order_status;\n"
		"COMMIT;",
	.good_example =
		"BEGIN;\n"
		"ALTER TYPE order_status ADD VALUE 'refunded';\n"
		"COMMIT;\n"
		"SELECT 'refunded'::order_status;",
	.peers = "none",
	.default_severity = PGS_SEV_ERROR,
	.min_pg_version = 12,
	.check = check,
};
