/*
 * lock-upgrade-in-transaction: DML or a read on a table, then DDL on it, in one transaction.
 *
 * A transaction that first reads or writes a table (ACCESS SHARE, ROW
 * SHARE or ROW EXCLUSIVE) and later runs DDL on it asks for a stronger
 * lock while already holding a weaker one. While the stronger request
 * waits for other sessions to finish with the table, the transaction keeps
 * its weak lock and every row it changed locked; two sessions doing this
 * deadlock, and PostgreSQL aborts one. PostgreSQL's advice is to take the
 * most restrictive lock an object needs first. (docs 13.3.4 Deadlocks;
 * lock.c LockAcquire, deadlock.c.)
 */
#include "rule.h"

#include <string.h>

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	if (s->txn.kind == TXN_NONE || !s->txn.n_held || s->fx.needs_no_transaction)
		return PGS_OK;
	for (size_t i = 0; i < s->fx.n_locks; i++) {
		const struct effect_lock *l = &s->fx.locks[i];
		if (l->mode < PGS_LOCK_SHARE_UPDATE_EXCLUSIVE || l->relkind == 'i' || l->relkind == 'S' ||
		    rule_table_is_new(ctx, l->relation))
			continue;
		const struct held_lock *h = NULL;
		for (size_t k = 0; k < s->txn.n_held; k++)
			if (!strcmp(s->txn.held[k].relation, l->relation))
				h = &s->txn.held[k];
		if (!h || h->mode > PGS_LOCK_ROW_EXCLUSIVE)
			continue;
		/* the statement of this block that first took the weak lock */
		const struct analyzed_stmt *by = NULL;
		for (size_t j = s->txn.block_start; j < ctx->index && !by; j++) {
			const struct analyzed_stmt *e = &ctx->stmts[j];
			if (e->txn.id == s->txn.id && e->txn.kind != TXN_NONE &&
			    effects_lock_on(&e->fx, l->relation) != PGS_LOCK_NONE)
				by = e;
		}
		struct source_pos at = { 0 };
		if (by)
			source_position(ctx->src, by->st->start, &at);
		struct finding f = {
			.relation = l->relation, .lock = l->mode,
			.message = rule_printf(ctx,
				"this transaction already holds %s on table \"%s\" (line %u) and now asks for %s: a lock upgrade, which waits while keeping the weaker lock and any changed rows, and deadlocks with another session doing the same",
				pgs_lock_mode_sql(h->mode), l->relation, at.line, pgs_lock_mode_sql(l->mode)),
			.help = "run the DDL first and the reads or writes after it, or put them in separate "
				"transactions; or take the strong lock at the start (LOCK TABLE ... IN ... MODE)",
		};
		return rule_report(ctx, &f);
	}
	return PGS_OK;
}

const struct rule rule_lock_upgrade_in_transaction = {
	.id = "lock-upgrade-in-transaction",
	.summary = "a transaction reads or writes a table, then runs DDL on it: a lock upgrade",
	.rationale =
		"Reads take ACCESS SHARE, writes ROW EXCLUSIVE; DDL needs SHARE UPDATE EXCLUSIVE or "
		"stronger. When one transaction does the first and then the second on the same table, "
		"the DDL's request waits for every other session using the table while the transaction "
		"keeps its weaker lock and all the rows it changed locked; two sessions upgrading the "
		"same way deadlock, and PostgreSQL aborts one after deadlock_timeout. PostgreSQL's docs "
		"advise taking the most restrictive lock an object will need first. On every version.",
	.safe_alternative =
		"BEGIN;\n"
		"ALTER TABLE users ADD COLUMN region text;  -- the strong lock first\n"
		"UPDATE users SET region = 'eu' WHERE id < 1000;\n"
		"COMMIT;",
	.bad_example =
		"BEGIN;\n"
		"UPDATE users SET name = trim(name) WHERE id < 1000;\n"
		"ALTER TABLE users ADD COLUMN region text;\n"
		"COMMIT;",
	.good_example =
		"BEGIN;\n"
		"ALTER TABLE users ADD COLUMN region text;\n"
		"UPDATE users SET name = trim(name) WHERE id < 1000;\n"
		"COMMIT;",
	.peers = "none",
	.default_severity = PGS_SEV_WARNING,
	.check = check,
};
