/*
 * set-not-null-in-backfill-transaction: SET NOT NULL in the backfill's transaction.
 *
 * A backfill (UPDATE t SET col = ...) keeps a row lock on every row it
 * changed until its transaction ends. When SET NOT NULL on the same column
 * follows in that transaction, its ACCESS EXCLUSIVE lock (and, without a
 * validated check, its full scan) comes on top, and both are held until
 * COMMIT: the application cannot read or write the table for the whole
 * remaining transaction, and a large single-transaction backfill bloats the
 * table and holds back vacuum. (Locks are released only at transaction end:
 * docs "Explicit Locking", 13.3; tablecmds.c ATExecSetNotNull.)
 */
#include "rule.h"

#include <string.h>

/* Whether @n is an UPDATE of @rel that assigns @column. */
static bool updates_column(struct rule_ctx *ctx, const PgQuery__Node *n, const char *rel,
			   const char *column)
{
	if (!RULE_NODE(n, UPDATE_STMT))
		return false;
	const PgQuery__UpdateStmt *u = n->update_stmt;
	const char *target = schema_qualify(ctx->schema, ctx->arena, u->relation);
	if (!target || strcmp(target, rel))
		return false;
	for (size_t i = 0; i < u->n_target_list; i++) {
		const PgQuery__Node *t = u->target_list[i];
		if (RULE_NODE(t, RES_TARGET) && t->res_target->name && !strcmp(t->res_target->name, column))
			return true;
	}
	return false;
}

/* The earlier statement of this transaction that backfills @column, or NULL. */
static const struct analyzed_stmt *find_backfill(struct rule_ctx *ctx, const char *rel,
						 const char *column)
{
	const struct analyzed_stmt *s = ctx->stmt;
	for (size_t j = s->txn.block_start; j < ctx->index; j++) {
		const struct analyzed_stmt *e = &ctx->stmts[j];
		if (e->txn.kind == TXN_NONE || e->txn.id != s->txn.id || e->st->status != STMT_PARSED)
			continue;
		if (updates_column(ctx, e->st->node, rel, column))
			return e;
	}
	return NULL;
}

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const PgQuery__Node *n = s->st->node;
	if (s->txn.kind == TXN_NONE || !RULE_NODE(n, ALTER_TABLE_STMT))
		return PGS_OK;
	const PgQuery__AlterTableStmt *as = n->alter_table_stmt;
	const char *rel = schema_qualify(ctx->schema, ctx->arena, as->relation);
	if (!rel || rule_table_is_new(ctx, rel))
		return PGS_OK;
	for (size_t i = 0; i < as->n_cmds; i++) {
		if (!RULE_NODE(as->cmds[i], ALTER_TABLE_CMD))
			continue;
		const PgQuery__AlterTableCmd *cmd = as->cmds[i]->alter_table_cmd;
		if (cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull || !cmd->name)
			continue;
		const struct analyzed_stmt *b = find_backfill(ctx, rel, cmd->name);
		if (!b)
			continue;
		struct source_pos at;
		source_position(ctx->src, b->st->start, &at);
		struct finding f = {
			.relation = rel,
			.message = rule_printf(ctx,
				"setting NOT NULL on column \"%s\" of table \"%s\" in the same transaction as its backfill (line %u) holds the backfill's row locks and %s together until COMMIT",
				cmd->name, rel, at.line, pgs_lock_mode_sql(effects_lock_on(&s->fx, rel))),
			.help = "commit the backfill first (in batches, each in its own transaction), then add "
				"NOT NULL in a later transaction, after a validated CHECK (col IS NOT NULL)",
		};
		int rc = rule_report(ctx, &f);
		if (rc)
			return rc;
	}
	return PGS_OK;
}

const struct rule rule_set_not_null_in_backfill_transaction = {
	.id = "set-not-null-in-backfill-transaction",
	.summary = "SET NOT NULL in the same transaction as the UPDATE that backfills the column",
	.rationale =
		"An UPDATE that backfills a column locks every row it changes until its transaction "
		"ends. SET NOT NULL on that column in the same transaction adds ACCESS EXCLUSIVE, which "
		"blocks reads and writes, and usually a full scan; both are held together until COMMIT, "
		"so the table is unavailable for the rest of the transaction. One big backfill "
		"transaction also bloats the table and holds back vacuum. On every version.",
	.safe_alternative =
		"-- migration 1, no transaction around the loop: backfill in batches\n"
		"UPDATE t SET region = 'eu' WHERE id BETWEEN $1 AND $2 AND region IS NULL;\n"
		"-- migration 2:\n"
		"ALTER TABLE t ADD CONSTRAINT t_region_not_null CHECK (region IS NOT NULL) NOT VALID;\n"
		"ALTER TABLE t VALIDATE CONSTRAINT t_region_not_null;\n"
		"ALTER TABLE t ALTER COLUMN region SET NOT NULL;  -- PostgreSQL 12+: no scan\n"
		"ALTER TABLE t DROP CONSTRAINT t_region_not_null;",
	.bad_example =
		"BEGIN;\n"
		"UPDATE users SET region = 'eu' WHERE region IS NULL;\n"
		"ALTER TABLE users ALTER COLUMN region SET NOT NULL;\n"
		"COMMIT;",
	.good_example =
		"UPDATE users SET region = 'eu' WHERE id < 10000 AND region IS NULL;  -- autocommit batch",
	.peers = "strong_migrations: change_column_null (with a default value)",
	.default_severity = PGS_SEV_ERROR,
	.check = check,
};
