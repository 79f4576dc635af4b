/*
 * transaction-nesting: BEGIN inside a transaction, or COMMIT of the migration tool's transaction.
 *
 * PostgreSQL has no nested transactions: a BEGIN inside a block only
 * raises a WARNING ("there is already a transaction in progress") and the
 * first COMMIT ends the whole block, so statements the author meant to be
 * inside the inner block run in autocommit afterwards. When the migration
 * tool wraps the file in its own transaction, a BEGIN in the file is
 * ignored the same way and a COMMIT in the file commits the tool's
 * transaction early. (xact.c BeginTransactionBlock, EndTransactionBlock;
 * docs: BEGIN, COMMIT.)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const PgQuery__Node *n = s->st->node;
	if (!RULE_NODE(n, TRANSACTION_STMT) || s->txn.kind == TXN_NONE)
		return PGS_OK;
	PgQuery__TransactionStmtKind k = n->transaction_stmt->kind;
	bool begin = k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN ||
		k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START;
	bool end = k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT ||
		k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK;
	struct finding f = { 0 };
	if (begin && s->txn.kind == TXN_EXPLICIT) {
		struct source_pos at;
		source_position(ctx->src, ctx->stmts[s->txn.block_start].st->start, &at);
		f.message = rule_printf(ctx,
			"BEGIN inside the transaction block opened at line %u: PostgreSQL ignores it with a warning, and the first COMMIT ends the outer block",
			at.line);
		f.help = "remove the inner BEGIN (use SAVEPOINT name ... RELEASE SAVEPOINT name for a "
			"part that may need to roll back on its own)";
	} else if (begin) {
		f.message = "BEGIN inside the transaction the migration tool wraps around this file: "
			"PostgreSQL ignores it, and a COMMIT in the file commits the tool's transaction early";
		f.help = "drop BEGIN/COMMIT from the file and let the tool manage the transaction, or "
			"turn the tool's transaction off for this migration";
	} else if (end && s->txn.kind == TXN_IMPLICIT) {
		f.message = rule_printf(ctx,
			"%s inside the transaction the migration tool wraps around this file ends the tool's transaction early: the statements after it run in autocommit",
			k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT ? "COMMIT" : "ROLLBACK");
		f.help = "drop BEGIN/COMMIT from the file and let the tool manage the transaction, or "
			"turn the tool's transaction off for this migration";
	} else {
		return PGS_OK;
	}
	return rule_report(ctx, &f);
}

const struct rule rule_transaction_nesting = {
	.id = "transaction-nesting",
	.summary = "BEGIN inside a transaction block, or COMMIT of the migration tool's transaction",
	.rationale =
		"PostgreSQL has no nested transactions. A BEGIN inside a transaction block is ignored "
		"with a warning, and the first COMMIT (or ROLLBACK) ends the whole block, so what "
		"follows runs in autocommit, outside the transaction the author intended. When the "
		"migration tool already wraps the file in a transaction (--assume-in-transaction), a "
		"BEGIN in the file is ignored the same way, and a COMMIT commits the tool's transaction "
		"early. On every version.",
	.safe_alternative =
		"BEGIN;\n"
		"ALTER TABLE users ADD COLUMN note text;\n"
		"SAVEPOINT before_backfill;   -- a part that may roll back alone\n"
		"UPDATE users SET note = '' WHERE id < 1000;\n"
		"RELEASE SAVEPOINT before_backfill;\n"
		"COMMIT;",
	.bad_example =
		"BEGIN;\n"
		"ALTER TABLE users ADD COLUMN note text;\n"
		"BEGIN;\n"
		"UPDATE users SET note = '' WHERE id < 1000;\n"
		"COMMIT;\n"
		"COMMIT;",
	.good_example =
		"BEGIN;\n"
		"ALTER TABLE users ADD COLUMN note text;\n"
		"COMMIT;",
	.peers = "squawk: transaction-nesting",
	.default_severity = PGS_SEV_WARNING,
	.check = check,
};
