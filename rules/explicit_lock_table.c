/*
 * explicit-lock-table: LOCK TABLE in a mode that blocks writes.
 *
 * LOCK TABLE takes the named mode on each table (and, for a view, on the
 * tables it reads) and keeps it until the transaction ends. SHARE and
 * stronger modes block writes, ACCESS EXCLUSIVE (the default mode) blocks
 * reads too. Taken as the first statement of a block, with a lock_timeout,
 * it is the recommended way to lock several tables in a fixed order, so
 * the rule only reports LOCK TABLE outside a transaction block, where it
 * fails, and LOCK TABLE after the block already took other locks, where
 * it extends what the block holds and reorders it. (lockcmds.c
 * LockTableCommand; xact.c RequireTransactionBlock; docs: LOCK, 13.3.4
 * Deadlocks.)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const PgQuery__Node *n = s->st->node;
	if (!RULE_NODE(n, LOCK_STMT))
		return PGS_OK;
	const struct effect_lock *worst = NULL;
	size_t count = 0;
	for (size_t i = 0; i < s->fx.n_locks; i++) {
		const struct effect_lock *l = &s->fx.locks[i];
		if (!pgs_lock_blocks_writes(l->mode) || rule_table_is_new(ctx, l->relation))
			continue;
		count++;
		if (!worst || l->mode > worst->mode)
			worst = l;
	}
	if (!worst)
		return PGS_OK;
	/* at the start of a block it is the fixed-order pattern: fine */
	if (s->txn.kind != TXN_NONE && !s->txn.n_held)
		return PGS_OK;
	const char *more = count > 1 ? rule_printf(ctx, " (and %zu more table%s)", count - 1, count == 2 ? "" : "s") : "";
	struct finding f = {
		.relation = worst->relation, .lock = worst->mode,
		.message = s->txn.kind == TXN_NONE ?
			rule_printf(ctx, "LOCK TABLE \"%s\"%s outside a transaction block fails (SQLSTATE 25P01); inside one, %s blocks %s until it ends",
				    worst->relation, more, pgs_lock_mode_sql(worst->mode), pgs_lock_blocks_text(worst->mode)) :
			rule_printf(ctx, "LOCK TABLE \"%s\"%s in %s mode after this transaction already took other locks: it blocks %s until the transaction ends, and it waits while holding them",
				    worst->relation, more, pgs_lock_mode_sql(worst->mode), pgs_lock_blocks_text(worst->mode)),
		.help = s->txn.kind == TXN_NONE ?
			"LOCK TABLE only works inside a transaction block: BEGIN; SET LOCAL lock_timeout = '2s'; "
			"LOCK TABLE ...; the changes; COMMIT;" :
			"take every lock the transaction needs in its first statement, in a fixed order and "
			"the weakest mode that suffices, after SET LOCAL lock_timeout",
		.duration = "until the transaction ends",
	};
	return rule_report(ctx, &f);
}

const struct rule rule_explicit_lock_table = {
	.id = "explicit-lock-table",
	.summary = "LOCK TABLE outside a transaction block, or in the middle of one",
	.rationale =
		"LOCK TABLE takes the named mode (ACCESS EXCLUSIVE when none is named) and holds it until "
		"the transaction ends. SHARE and stronger block INSERT, UPDATE and DELETE; ACCESS "
		"EXCLUSIVE blocks reads too. As the first statement of a transaction block, after SET "
		"LOCAL lock_timeout, it is the way to take several locks in a fixed order. Outside a "
		"transaction block it fails (SQLSTATE 25P01); in the middle of a block, it waits while "
		"holding the locks taken before it, and everything queued behind those waits too. On "
		"every version.",
	.safe_alternative =
		"BEGIN;\n"
		"SET LOCAL lock_timeout = '2s';\n"
		"LOCK TABLE accounts, orders IN SHARE ROW EXCLUSIVE MODE;  -- the weakest mode needed\n"
		"-- ... short work ...\n"
		"COMMIT;",
	.bad_example =
		"BEGIN;\n"
		"ALTER TABLE orders ADD COLUMN note text;\n"
		"LOCK TABLE accounts;  -- waits while holding orders\n"
		"COMMIT;",
	.good_example =
		"BEGIN;\n"
		"SET LOCAL lock_timeout = '2s';\n"
		"LOCK TABLE accounts, orders IN ACCESS EXCLUSIVE MODE;  -- first, in a fixed order\n"
		"ALTER TABLE orders ADD COLUMN note text;\n"
		"COMMIT;",
	.peers = "none",
	.default_severity = PGS_SEV_WARNING,
	.check = check,
};
