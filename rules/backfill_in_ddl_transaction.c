/*
 * backfill-in-ddl-transaction: an UPDATE or DELETE in the same transaction as DDL.
 *
 * A backfill changes many rows and keeps each one locked until its
 * transaction ends; DDL takes SHARE UPDATE EXCLUSIVE or stronger on a table
 * and keeps that until the end too. In one transaction block the two add
 * up: the DDL lock is held for the whole backfill (blocking writes or
 * reads when it is SHARE or stronger), the backfill's rows stay locked
 * while the DDL waits for its lock, and one long transaction holds back
 * vacuum and replication. Reported once per pair, at its second statement.
 * (docs "Explicit Locking", 13.3; heapam.c row locks held to commit.)
 */
#include "rule.h"

static bool relation_is_new(const struct rule_ctx *ctx, const char *rel)
{
	const struct sm_index *ix = schema_index(ctx->schema, rel);
	return rule_table_is_new(ctx, ix ? ix->table : rel);
}

/* The existing table @e updates or deletes from, or NULL when @e is no backfill. */
static const char *backfill_target(struct rule_ctx *ctx, const struct analyzed_stmt *e)
{
	if (e->st->status != STMT_PARSED)
		return NULL;
	const PgQuery__Node *n = e->st->node;
	const PgQuery__RangeVar *rv = RULE_NODE(n, UPDATE_STMT) ? n->update_stmt->relation :
		RULE_NODE(n, DELETE_STMT) ? n->delete_stmt->relation : NULL;
	if (!rv)
		return NULL;
	const char *rel = schema_qualify(ctx->schema, ctx->arena, rv);
	return rel && !relation_is_new(ctx, rel) ? rel : NULL;
}

/* The strongest lock of SHARE UPDATE EXCLUSIVE or more @e takes on an existing relation. */
static const struct effect_lock *ddl_lock(const struct rule_ctx *ctx, const struct analyzed_stmt *e)
{
	const struct effect_lock *best = NULL;
	for (size_t i = 0; i < e->fx.n_locks; i++) {
		const struct effect_lock *l = &e->fx.locks[i];
		if (l->mode < PGS_LOCK_SHARE_UPDATE_EXCLUSIVE || relation_is_new(ctx, l->relation))
			continue;
		if (!best || l->mode > best->mode)
			best = l;
	}
	return best;
}

static bool same_block(const struct rule_ctx *ctx, const struct analyzed_stmt *e)
{
	return e->txn.kind != TXN_NONE && e->txn.id == ctx->stmt->txn.id;
}

static unsigned line_of(const struct rule_ctx *ctx, const struct analyzed_stmt *e)
{
	struct source_pos at;
	source_position(ctx->src, e->st->start, &at);
	return at.line;
}

static const char *kind_word(const struct analyzed_stmt *e)
{
	return RULE_NODE(e->st->node, DELETE_STMT) ? "DELETE" : "UPDATE";
}

/* This statement is the backfill: report when DDL came earlier in the block. */
static int check_backfill(struct rule_ctx *ctx, const char *target)
{
	const struct analyzed_stmt *s = ctx->stmt;
	for (size_t j = s->txn.block_start; j < ctx->index; j++) {
		const struct analyzed_stmt *e = &ctx->stmts[j];
		const struct effect_lock *l = same_block(ctx, e) ? ddl_lock(ctx, e) : NULL;
		if (!l)
			continue;
		struct finding f = {
			.relation = l->relation, .lock = l->mode,
			.duration = "until the transaction ends, including the whole backfill",
			.message = rule_printf(ctx,
				"backfilling table \"%s\" (%s) in the same transaction as the schema change at line %u keeps its %s lock on \"%s\" for the whole backfill, and every changed row locked until COMMIT",
				target, kind_word(s), line_of(ctx, e), pgs_lock_mode_sql(l->mode), l->relation),
			.help = "run the backfill in its own transactions, in batches, outside the migration's "
				"DDL transaction (a separate migration, or one that runs without a transaction)",
		};
		return rule_report(ctx, &f);
	}
	return PGS_OK;
}

/*
 * This statement is DDL: report when a backfill came earlier in the block
 * and no DDL came before this one (that pair was reported already).
 */
static int check_ddl(struct rule_ctx *ctx, const struct effect_lock *l)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const struct analyzed_stmt *backfill = NULL;
	const char *target = NULL;
	for (size_t j = s->txn.block_start; j < ctx->index; j++) {
		const struct analyzed_stmt *e = &ctx->stmts[j];
		if (!same_block(ctx, e))
			continue;
		if (ddl_lock(ctx, e))
			return PGS_OK;
		const char *t = backfill ? NULL : backfill_target(ctx, e);
		if (t) {
			backfill = e;
			target = t;
		}
	}
	if (!backfill)
		return PGS_OK;
	struct finding f = {
		.relation = l->relation, .lock = l->mode,
		.message = rule_printf(ctx,
			"schema change taking %s on \"%s\" in the same transaction as the backfill of table \"%s\" at line %u: the backfill's row locks and this lock are held together until COMMIT",
			pgs_lock_mode_sql(l->mode), l->relation, target, line_of(ctx, backfill)),
		.help = "run the backfill in its own transactions, in batches, outside the migration's "
			"DDL transaction (a separate migration, or one that runs without a transaction)",
	};
	return rule_report(ctx, &f);
}

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	if (s->txn.kind == TXN_NONE)
		return PGS_OK;
	const char *target = backfill_target(ctx, s);
	if (target)
		return check_backfill(ctx, target);
	const struct effect_lock *l = ddl_lock(ctx, s);
	return l ? check_ddl(ctx, l) : PGS_OK;
}

const struct rule rule_backfill_in_ddl_transaction = {
	.id = "backfill-in-ddl-transaction",
	.summary = "a backfill (UPDATE or DELETE) runs in the same transaction as DDL",
	.rationale =
		"Every lock is held until the transaction ends. DDL takes SHARE UPDATE EXCLUSIVE or "
		"stronger (ACCESS EXCLUSIVE for most ALTER TABLE forms, which blocks reads and writes); a "
		"backfill locks every row it changes. In one transaction block the DDL lock is held for "
		"the whole backfill and the changed rows stay locked while the DDL runs, and one long "
		"transaction bloats tables and holds back vacuum. On every version.",
	.safe_alternative =
		"-- migration 1: the schema change, short\n"
		"ALTER TABLE users ADD COLUMN region text;\n"
		"-- migration 2, without a transaction around it: batches that commit one by one\n"
		"UPDATE users SET region = 'eu' WHERE id BETWEEN $1 AND $2 AND region IS NULL;",
	.bad_example =
		"BEGIN;\n"
		"ALTER TABLE users ADD COLUMN region text;\n"
		"UPDATE users SET region = 'eu';\n"
		"COMMIT;",
	.good_example =
		"ALTER TABLE users ADD COLUMN region text;\n"
		"UPDATE users SET region = 'eu' WHERE id < 10000 AND region IS NULL;  -- autocommit batch",
	.peers = "strong_migrations: backfilling data (\"disable_ddl_transaction!\" advice)",
	.default_severity = PGS_SEV_WARNING,
	.check = check,
};
