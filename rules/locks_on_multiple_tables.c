/*
 * locks-on-multiple-tables: one transaction blocks writes on two tables.
 *
 * Inside a transaction block every lock is held until COMMIT. A statement
 * that takes a lock blocking writes on one existing table, while the block
 * already holds such a lock on another, keeps both tables blocked for the
 * rest of the transaction, and a session that locks the same tables in the
 * other order (another migration, a batch job) deadlocks with it: one of
 * them is aborted after deadlock_timeout. (docs "Explicit Locking", 13.3.4
 * Deadlocks; lock.c, deadlock.c.)
 */
#include "rule.h"

#include <string.h>

/* The mode this transaction already holds on @rel (NONE when none). */
static enum pgs_lock_mode held_mode(const struct txn_view *t, const char *rel)
{
	for (size_t i = 0; i < t->n_held; i++)
		if (!strcmp(t->held[i].relation, rel))
			return t->held[i].mode;
	return PGS_LOCK_NONE;
}

/* The statement of this block that raised the lock on @h's relation to its mode. */
static const struct analyzed_stmt *taken_by(const struct rule_ctx *ctx, const struct held_lock *h)
{
	const struct analyzed_stmt *s = ctx->stmt;
	for (size_t j = s->txn.block_start; j < ctx->index; j++) {
		const struct analyzed_stmt *e = &ctx->stmts[j];
		if (e->txn.kind != TXN_NONE && e->txn.id == s->txn.id &&
		    effects_lock_on(&e->fx, h->relation) == h->mode)
			return e;
	}
	return h->stmt_index < ctx->index ? &ctx->stmts[h->stmt_index] : NULL;
}

/* The relkind the lock model gave @rel in @by ('?' when unknown). */
static char relkind_of(const struct rule_ctx *ctx, const struct analyzed_stmt *by, const char *rel)
{
	for (size_t i = 0; by && i < by->fx.n_locks; i++)
		if (!strcmp(by->fx.locks[i].relation, rel) && by->fx.locks[i].relkind != '?')
			return by->fx.locks[i].relkind;
	if (schema_index(ctx->schema, rel))
		return 'i';
	const struct sm_table *t = schema_table(ctx->schema, rel);
	return t ? t->relkind : '?';
}

/*
 * Whether @mode on an existing table of @relkind blocks the application's
 * writes (or, for a materialized view, which it never writes, its reads).
 * Indexes and sequences are not tables: their table's own lock counts.
 */
static bool blocks_table(const struct rule_ctx *ctx, const char *rel, char relkind,
			 enum pgs_lock_mode mode)
{
	if (relkind == 'i' || relkind == 'S' || rule_table_is_new(ctx, rel))
		return false;
	return relkind == 'm' ? pgs_lock_blocks_reads(mode) : pgs_lock_blocks_writes(mode);
}

/* A table this statement newly locks against the application (or upgrades to that), or NULL. */
static const struct effect_lock *new_blocking_lock(const struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	for (size_t i = 0; i < s->fx.n_locks; i++) {
		const struct effect_lock *l = &s->fx.locks[i];
		char relkind = l->relkind != '?' ? l->relkind : relkind_of(ctx, NULL, l->relation);
		if (blocks_table(ctx, l->relation, relkind, l->mode) &&
		    l->mode > held_mode(&s->txn, l->relation))
			return l;
	}
	return NULL;
}

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	if (s->txn.kind == TXN_NONE || !s->txn.n_held || s->fx.needs_no_transaction)
		return PGS_OK;
	const struct effect_lock *l = new_blocking_lock(ctx);
	if (!l)
		return PGS_OK;
	for (size_t i = 0; i < s->txn.n_held; i++) {
		const struct held_lock *h = &s->txn.held[i];
		const struct analyzed_stmt *by = taken_by(ctx, h);
		/* a statement PostgreSQL refuses in a transaction block takes no lock */
		if (!strcmp(h->relation, l->relation) || (by && by->fx.needs_no_transaction) ||
		    !blocks_table(ctx, h->relation, relkind_of(ctx, by, h->relation), h->mode))
			continue;
		struct source_pos at = { 0 };
		if (by)
			source_position(ctx->src, by->st->start, &at);
		struct finding f = {
			.relation = l->relation, .lock = l->mode,
			.message = rule_printf(ctx,
				"locking table \"%s\" in %s mode while this transaction already holds %s on table \"%s\" (line %u): both stay blocked until COMMIT, and a session locking them in the other order deadlocks",
				l->relation, pgs_lock_mode_sql(l->mode), pgs_lock_mode_sql(h->mode), h->relation, at.line),
			.help = "change one table per transaction (COMMIT between them), or take every lock up "
				"front in a fixed order with LOCK TABLE ... at the start of the transaction",
		};
		return rule_report(ctx, &f);
	}
	return PGS_OK;
}

const struct rule rule_locks_on_multiple_tables = {
	.id = "locks-on-multiple-tables",
	.summary = "one transaction takes locks that block writes on more than one existing table",
	.rationale =
		"Locks are held until the transaction ends. When one transaction block takes a lock that "
		"blocks writes (SHARE and stronger) on an existing table and then another on a second "
		"table, both tables stay blocked until COMMIT, and any session that locks the two in "
		"the opposite order deadlocks with the migration: PostgreSQL aborts one of them after "
		"deadlock_timeout. The waits also stack: while the migration waits for the second "
		"lock, everything queued behind the first one waits too. On every version.",
	.safe_alternative =
		"BEGIN;\n"
		"ALTER TABLE accounts ADD COLUMN note text;\n"
		"COMMIT;\n"
		"BEGIN;\n"
		"ALTER TABLE orders ADD COLUMN note text;\n"
		"COMMIT;\n"
		"-- or, when both must change together, lock in a fixed order first:\n"
		"-- BEGIN; LOCK TABLE accounts, orders IN ACCESS EXCLUSIVE MODE; ...",
	.bad_example =
		"BEGIN;\n"
		"ALTER TABLE accounts ADD COLUMN note text;\n"
		"ALTER TABLE orders ADD COLUMN note text;\n"
		"COMMIT;",
	.good_example =
		"ALTER TABLE accounts ADD COLUMN note text;\n"
		"ALTER TABLE orders ADD COLUMN note text;  -- autocommit: one lock at a time",
	.peers = "none",
	.default_severity = PGS_SEV_WARNING,
	.check = check,
};
