/*
 * missing-lock-timeout: a blocking lock is requested with no lock_timeout set.
 *
 * A lock request waits behind every conflicting lock already held or
 * queued, for as long as that takes (lock_timeout defaults to 0: wait
 * forever). While a statement that wants a lock blocking writes (SHARE
 * and stronger) waits behind one long query, every later statement that
 * conflicts with it queues behind it too, so a brief ALTER TABLE can stall
 * all traffic on the table. lock_timeout bounds the wait; the migration
 * fails fast and can be retried. The transaction model tracks SET, SET
 * LOCAL and set_config(). (lock.c / proc.c lock queue and
 * ProcSleep; docs: "Client Connection Defaults", lock_timeout.)
 */
#include "rule.h"

#include <string.h>

static bool relation_is_new(const struct rule_ctx *ctx, const char *rel)
{
	const struct sm_index *ix = schema_index(ctx->schema, rel);
	return rule_table_is_new(ctx, ix ? ix->table : rel);
}

/* The mode this transaction already holds on @rel: no wait up to that mode. */
static enum pgs_lock_mode held_mode(const struct txn_view *t, const char *rel)
{
	for (size_t i = 0; i < t->n_held; i++)
		if (!strcmp(t->held[i].relation, rel))
			return t->held[i].mode;
	return PGS_LOCK_NONE;
}

/* The strongest lock @s waits for with no timeout, on an existing relation. */
static const struct effect_lock *unguarded_lock(const struct rule_ctx *ctx, const struct analyzed_stmt *s)
{
	const struct effect_lock *worst = NULL;
	if (s->st->status != STMT_PARSED || s->txn.lock_timeout_ms >= 0)
		return NULL;
	for (size_t i = 0; i < s->fx.n_locks; i++) {
		const struct effect_lock *l = &s->fx.locks[i];
		if (!pgs_lock_blocks_writes(l->mode) || l->mode <= held_mode(&s->txn, l->relation) ||
		    relation_is_new(ctx, l->relation))
			continue;
		if (!worst || l->mode > worst->mode)
			worst = l;
	}
	return worst;
}

/*
 * One finding per stretch of the file without a lock_timeout: the first
 * statement that needs one. The fix (one SET at the top) covers the rest.
 */
static bool reported_earlier(const struct rule_ctx *ctx)
{
	for (size_t k = ctx->index; k-- > 0; ) {
		const struct analyzed_stmt *e = &ctx->stmts[k];
		if (e->st->status != STMT_PARSED)
			continue;
		if (e->txn.lock_timeout_ms >= 0)
			return false;
		if (unguarded_lock(ctx, e))
			return true;
	}
	return false;
}

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const struct effect_lock *worst = unguarded_lock(ctx, s);
	if (!worst || reported_earlier(ctx))
		return PGS_OK;
	bool is_index = worst->relkind == 'i' || schema_index(ctx->schema, worst->relation);
	struct finding f = {
		.relation = worst->relation, .lock = worst->mode,
		.message = rule_printf(ctx,
			"locking %s \"%s\" in %s mode with no lock_timeout set: while it waits behind a long query, every %s queues behind it",
			is_index ? "index" : "table", worst->relation, pgs_lock_mode_sql(worst->mode),
			pgs_lock_blocks_reads(worst->mode) ? "later query on the table" : "later write to the table"),
		.help = s->txn.kind == TXN_NONE ?
			"SET lock_timeout = '2s'; at the top of the migration, and retry the migration when it times out" :
			"SET LOCAL lock_timeout = '2s'; at the start of the transaction (or SET before it), and retry when it times out",
	};
	return rule_report(ctx, &f);
}

const struct rule rule_missing_lock_timeout = {
	.id = "missing-lock-timeout",
	.summary = "a lock that blocks writes is requested with no lock_timeout set (reported once per stretch without one)",
	.rationale =
		"A statement that needs a lock blocking writes (SHARE and stronger; ACCESS EXCLUSIVE "
		"also blocks reads) waits behind any long query on the table, and with no lock_timeout "
		"it waits forever. While it waits, every later query that conflicts with the requested "
		"lock queues behind it, so even an instant ALTER TABLE can stall all traffic on the "
		"table. A short lock_timeout makes the migration fail fast instead, to be retried. On "
		"every version.",
	.safe_alternative =
		"SET lock_timeout = '2s';\n"
		"ALTER TABLE users ADD COLUMN note text;\n"
		"-- inside a transaction block: BEGIN; SET LOCAL lock_timeout = '2s'; ... COMMIT;",
	.bad_example = "ALTER TABLE users ADD COLUMN note text;",
	.good_example =
		"SET lock_timeout = '2s';\n"
		"ALTER TABLE users ADD COLUMN note text;",
	.peers = "squawk: require-timeout-settings",
	.default_severity = PGS_SEV_WARNING,
	.check = check,
};
