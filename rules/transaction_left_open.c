/*
 * transaction-left-open: a BEGIN with no COMMIT before the end of the file.
 *
 * A transaction block still open when the file ends is not committed:
 * psql ends the session and PostgreSQL rolls everything back, while a
 * migration tool that keeps the connection may commit it later, or never,
 * holding every lock of the block meanwhile. Either way the migration does
 * not do what it says. Checked once per file, after its last statement.
 * (xact.c: a session that ends inside a block aborts it; docs: BEGIN.)
 */
#include "rule.h"

static bool kind_is(const struct analyzed_stmt *e, PgQuery__TransactionStmtKind a,
		    PgQuery__TransactionStmtKind b)
{
	const PgQuery__Node *n = e->st->status == STMT_PARSED ? e->st->node : NULL;
	return RULE_NODE(n, TRANSACTION_STMT) &&
		(n->transaction_stmt->kind == a || n->transaction_stmt->kind == b);
}

static int finish(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *open = NULL;
	for (size_t i = 0; i < ctx->n_stmts; i++) {
		const struct analyzed_stmt *e = &ctx->stmts[i];
		if (kind_is(e, PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN,
			    PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START)) {
			/* a BEGIN opens a block only in autocommit; the view says so */
			if (!open && (e->txn.kind == TXN_EXPLICIT || e->txn.kind == TXN_NONE) &&
			    (i == 0 || e->txn.block_start == i))
				open = e;
		} else if (kind_is(e, PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT,
				   PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK) ||
			   kind_is(e, PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_PREPARE,
				   PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_PREPARE)) {
			open = NULL;
		}
	}
	if (!open)
		return PGS_OK;
	struct finding f = {
		.start = open->st->start, .end = open->st->end,
		.message = "this transaction block is still open at the end of the file: nothing in it is "
			"committed (psql rolls it back when the session ends), and its locks stay held "
			"until then",
		.help = "end the block with COMMIT; before the end of the file",
	};
	return rule_report(ctx, &f);
}

const struct rule rule_transaction_left_open = {
	.id = "transaction-left-open",
	.summary = "a transaction block opened with BEGIN is not committed before the file ends",
	.rationale =
		"When a file ends inside a transaction block, nothing in the block is committed. psql "
		"ends the session and PostgreSQL rolls everything back; a migration tool that keeps the "
		"connection may commit it later or never, and keeps every lock of the block until then. "
		"On every version.",
	.safe_alternative =
		"BEGIN;\n"
		"ALTER TABLE users ADD COLUMN note text;\n"
		"COMMIT;",
	.bad_example =
		"BEGIN;\n"
		"ALTER TABLE users ADD COLUMN note text;",
	.good_example =
		"BEGIN;\n"
		"ALTER TABLE users ADD COLUMN note text;\n"
		"COMMIT;",
	.peers = "squawk: ban-uncommitted-transaction",
	.default_severity = PGS_SEV_ERROR,
	.finish = finish,
};
