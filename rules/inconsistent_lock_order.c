/*
 * inconsistent-lock-order: a transaction goes back to a table it locked first, after locking another.
 *
 * When a transaction block locks table A, then takes a lock that blocks
 * writes on table B, and then asks for a stronger lock on A, it waits for
 * A while holding B. A session that holds a lock on A (an ordinary write)
 * and wants B waits for the migration: the two deadlock, and PostgreSQL
 * aborts one after deadlock_timeout. Taking each table's strongest lock
 * when it is first locked, in one fixed order, avoids it. (docs 13.3.4
 * Deadlocks; deadlock.c.)
 */
#include "rule.h"

#include <string.h>

/* The first statement of this block that locked @rel, or NULL. */
static const struct analyzed_stmt *first_lock(const struct rule_ctx *ctx, const char *rel, size_t *at)
{
	const struct analyzed_stmt *s = ctx->stmt;
	for (size_t j = s->txn.block_start; j < ctx->index; j++) {
		const struct analyzed_stmt *e = &ctx->stmts[j];
		if (e->txn.id == s->txn.id && e->txn.kind != TXN_NONE && !e->fx.needs_no_transaction &&
		    effects_lock_on(&e->fx, rel) != PGS_LOCK_NONE) {
			*at = j;
			return e;
		}
	}
	return NULL;
}

static bool is_table(const struct held_lock *h)
{
	return h->relkind != 'i' && h->relkind != 'S';
}

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	if (s->txn.kind == TXN_NONE || s->txn.n_held < 2 || s->fx.needs_no_transaction)
		return PGS_OK;
	for (size_t i = 0; i < s->fx.n_locks; i++) {
		const struct effect_lock *l = &s->fx.locks[i];
		if (l->relkind == 'i' || l->relkind == 'S' || rule_table_is_new(ctx, l->relation))
			continue;
		const struct held_lock *mine = NULL;
		for (size_t k = 0; k < s->txn.n_held; k++)
			if (!strcmp(s->txn.held[k].relation, l->relation))
				mine = &s->txn.held[k];
		if (!mine || l->mode <= mine->mode)
			continue;   /* first lock on it, or nothing stronger: no wait while holding others */
		size_t a_at = 0;
		if (!first_lock(ctx, l->relation, &a_at))
			continue;
		/* a table locked against writes after this one was first locked */
		for (size_t k = 0; k < s->txn.n_held; k++) {
			const struct held_lock *b = &s->txn.held[k];
			size_t b_at = 0;
			if (b == mine || !is_table(b) || !pgs_lock_blocks_writes(b->mode) ||
			    rule_table_is_new(ctx, b->relation) || !first_lock(ctx, b->relation, &b_at) ||
			    b_at <= a_at)
				continue;
			struct source_pos pa, pb;
			source_position(ctx->src, ctx->stmts[a_at].st->start, &pa);
			source_position(ctx->src, ctx->stmts[b_at].st->start, &pb);
			struct finding f = {
				.relation = l->relation, .lock = l->mode,
				.message = rule_printf(ctx,
					"locking table \"%s\" in %s mode while holding %s on table \"%s\" (line %u), although this transaction locked \"%s\" first (line %u): a session holding \"%s\" and waiting for \"%s\" deadlocks with it",
					l->relation, pgs_lock_mode_sql(l->mode), pgs_lock_mode_sql(b->mode),
					b->relation, pb.line, l->relation, pa.line, l->relation, b->relation),
				.help = rule_printf(ctx,
					"take each table's strongest lock when the transaction first touches it, in one "
					"fixed order (e.g. LOCK TABLE %s, %s IN %s MODE at the start), or change the "
					"tables in separate transactions", l->relation, b->relation,
					pgs_lock_mode_sql(l->mode)),
			};
			return rule_report(ctx, &f);
		}
	}
	return PGS_OK;
}

const struct rule rule_inconsistent_lock_order = {
	.id = "inconsistent-lock-order",
	.summary = "a transaction returns to a table it locked first, with a stronger lock, after locking another",
	.rationale =
		"A transaction block that locks table A, then locks table B against writes, and then "
		"asks for a stronger lock on A waits for A while holding B. Any session that holds a "
		"lock on A (an ordinary INSERT or UPDATE) and then needs B waits for the migration, "
		"which waits for it: a deadlock, resolved by aborting one of them after "
		"deadlock_timeout. Locking each table once, in its strongest needed mode and in a fixed "
		"order, avoids it. On every version.",
	.safe_alternative =
		"BEGIN;\n"
		"SET LOCAL lock_timeout = '2s';\n"
		"LOCK TABLE accounts, orders IN ACCESS EXCLUSIVE MODE;  -- every lock, up front, one order\n"
		"ALTER TABLE accounts ADD COLUMN note text;\n"
		"ALTER TABLE orders ADD COLUMN note text;\n"
		"ALTER TABLE accounts ADD COLUMN flag boolean;\n"
		"COMMIT;",
	.bad_example =
		"BEGIN;\n"
		"UPDATE accounts SET note = '' WHERE id = 1;\n"
		"ALTER TABLE orders ADD COLUMN note text;\n"
		"ALTER TABLE accounts ADD COLUMN flag boolean;  -- back to accounts, stronger\n"
		"COMMIT;",
	.good_example =
		"BEGIN;\n"
		"ALTER TABLE accounts ADD COLUMN flag boolean;\n"
		"ALTER TABLE orders ADD COLUMN note text;\n"
		"COMMIT;",
	.peers = "none",
	.default_severity = PGS_SEV_WARNING,
	.check = check,
};
