/*
 * drop-index-without-concurrently: DROP INDEX without CONCURRENTLY.
 *
 * A plain DROP INDEX takes ACCESS EXCLUSIVE on the index's table (and the
 * index), so every query on the table, reads included, waits for the lock
 * and then for the drop; while DROP INDEX itself waits behind a long
 * query, everything queues behind it. DROP INDEX CONCURRENTLY takes SHARE
 * UPDATE EXCLUSIVE on the table and waits out the queries using the index
 * instead, but cannot run in a transaction block, drop more than one index
 * or use CASCADE, and does not exist for partitioned indexes. (index.c
 * index_drop; tablecmds.c RemoveRelations; docs: DROP INDEX.)
 */
#include "rule.h"

static int report_one(struct rule_ctx *ctx, const char *index)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const struct sm_index *ix = schema_index(ctx->schema, index);
	if (ix && rule_table_is_new(ctx, ix->table))
		return PGS_OK;
	const struct sm_table *t = ix ? schema_table(ctx->schema, ix->table) : NULL;
	bool partitioned = t && t->relkind == 'p';
	enum pgs_lock_mode mode = ix ? effects_lock_on(&s->fx, ix->table) : PGS_LOCK_NONE;
	const char *msg;
	if (ix && mode != PGS_LOCK_NONE)
		msg = rule_printf(ctx, "dropping index \"%s\" without CONCURRENTLY locks table \"%s\" in %s mode, which blocks %s",
				  index, ix->table, pgs_lock_mode_sql(mode), pgs_lock_blocks_text(mode));
	else
		msg = rule_printf(ctx, "dropping index \"%s\" without CONCURRENTLY locks its table in ACCESS EXCLUSIVE mode, which blocks reads and writes",
				  index);
	struct finding f = {
		.relation = ix && mode != PGS_LOCK_NONE ? ix->table : index,
		.message = msg,
		.help = partitioned ?
			"an index on a partitioned table cannot be dropped CONCURRENTLY: set a short "
			"lock_timeout, retry on timeout, and run it when the table is quiet" :
			"use DROP INDEX CONCURRENTLY, one index per statement, without CASCADE, outside a "
			"transaction block",
	};
	return rule_report(ctx, &f);
}

static int check(struct rule_ctx *ctx)
{
	const PgQuery__Node *n = ctx->stmt->st->node;
	if (!RULE_NODE(n, DROP_STMT))
		return PGS_OK;
	const PgQuery__DropStmt *ds = n->drop_stmt;
	if (ds->remove_type != PG_QUERY__OBJECT_TYPE__OBJECT_INDEX || ds->concurrent)
		return PGS_OK;
	for (size_t i = 0; i < ds->n_objects; i++) {
		const PgQuery__Node *o = ds->objects[i];
		if (!RULE_NODE(o, LIST))
			continue;
		const char *index = schema_qualify_list(ctx->schema, ctx->arena, o->list->items,
							o->list->n_items);
		if (!index)
			continue;
		int rc = report_one(ctx, index);
		if (rc)
			return rc;
	}
	return PGS_OK;
}

const struct rule rule_drop_index_without_concurrently = {
	.id = "drop-index-without-concurrently",
	.summary = "DROP INDEX without CONCURRENTLY blocks reads and writes on the table",
	.rationale =
		"DROP INDEX takes ACCESS EXCLUSIVE on the index's table, which blocks reads and writes. "
		"The drop itself is quick, but it must first wait for every running query on the table, "
		"and every query that arrives meanwhile queues behind it. DROP INDEX CONCURRENTLY takes "
		"SHARE UPDATE EXCLUSIVE on the table, which blocks neither, and waits for the queries "
		"using the index instead. It cannot run in a transaction block, takes one index and no "
		"CASCADE, and is not available for indexes of partitioned tables. On every version.",
	.safe_alternative =
		"DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;  -- outside BEGIN/COMMIT\n"
		"-- if it fails, the index may be left INVALID: run it again",
	.bad_example = "DROP INDEX users_email_idx;",
	.good_example = "DROP INDEX CONCURRENTLY users_email_idx;",
	.peers = "squawk: require-concurrent-index-deletion; strong_migrations: remove_index (opt-in)",
	.default_severity = PGS_SEV_ERROR,
	.check = check,
};
