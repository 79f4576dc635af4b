/*
 * non-transactional-in-transaction: a statement PostgreSQL refuses in a transaction block.
 *
 * CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, DETACH PARTITION
 * CONCURRENTLY, VACUUM, CREATE/DROP DATABASE, ALTER SYSTEM and, before
 * PostgreSQL 12, ALTER TYPE ... ADD VALUE call PreventInTransactionBlock():
 * inside BEGIN ... COMMIT, or inside the transaction a migration tool
 * wraps around the file, they fail with "cannot run inside a transaction
 * block" (SQLSTATE 25001) and the whole migration rolls back. The lock
 * model says which statements need this (effects.needs_no_transaction);
 * REFRESH MATERIALIZED VIEW CONCURRENTLY is allowed. Applies to new tables
 * too: the statement fails regardless. (xact.c PreventInTransactionBlock
 * and its callers in utility.c, indexcmds.c, tablecmds.c, vacuum.c,
 * typecmds.c before PG 12.)
 */
#include "rule.h"

/* How a person would name the statement. */
static const char *describe(const struct analyzed_stmt *s)
{
	const PgQuery__Node *n = s->st->node;
	if (RULE_NODE(n, INDEX_STMT))
		return "CREATE INDEX CONCURRENTLY";
	if (RULE_NODE(n, DROP_STMT))
		return n->drop_stmt->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX ?
			"DROP INDEX CONCURRENTLY" : s->kind;
	if (RULE_NODE(n, REINDEX_STMT))
		return n->reindex_stmt->kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_INDEX ||
			n->reindex_stmt->kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_TABLE ?
			"REINDEX CONCURRENTLY" : "REINDEX SCHEMA, SYSTEM or DATABASE";
	if (RULE_NODE(n, ALTER_TABLE_STMT))
		return "DETACH PARTITION CONCURRENTLY";
	if (RULE_NODE(n, VACUUM_STMT))
		return "VACUUM";
	if (RULE_NODE(n, ALTER_ENUM_STMT))
		return "ALTER TYPE ... ADD VALUE before PostgreSQL 12";
	if (RULE_NODE(n, CLUSTER_STMT))
		return "CLUSTER without a table name";
	if (RULE_NODE(n, CREATEDB_STMT))
		return "CREATE DATABASE";
	if (RULE_NODE(n, CREATE_TABLE_SPACE_STMT))
		return "CREATE TABLESPACE";
	if (RULE_NODE(n, DROP_TABLE_SPACE_STMT))
		return "DROP TABLESPACE";
	if (RULE_NODE(n, ALTER_SYSTEM_STMT))
		return "ALTER SYSTEM";
	if (RULE_NODE(n, DROPDB_STMT))
		return "DROP DATABASE";
	return s->kind;
}

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	if (!s->fx.needs_no_transaction || s->txn.kind == TXN_NONE)
		return PGS_OK;
	const char *where;
	const char *help;
	if (s->do_block) {
		/* a DO block is one statement: PostgreSQL refuses these inside it */
		struct source_pos at;
		source_position(ctx->src, s->do_block->start, &at);
		struct finding f = {
			.message = rule_printf(ctx,
				"%s cannot run inside the DO block at line %u: PostgreSQL refuses it there (it runs as part of one statement) and the block fails",
				describe(s), at.line),
			.help = "run it as a statement of its own, after the DO block",
		};
		return rule_report(ctx, &f);
	}
	if (s->txn.kind == TXN_EXPLICIT) {
		struct source_pos at;
		source_position(ctx->src, ctx->stmts[s->txn.block_start].st->start, &at);
		where = rule_printf(ctx, "the transaction block opened at line %u", at.line);
		help = "move it after COMMIT (or before BEGIN), into a statement of its own that runs in autocommit mode";
	} else {
		where = "the transaction the migration tool wraps around this file";
		help = "put it in a migration of its own that runs without a transaction (goose: "
			"-- +goose NO TRANSACTION; dbmate: -- migrate:up transaction:false; Rails: "
			"disable_ddl_transaction!)";
	}
	if (RULE_NODE(s->st->node, ALTER_ENUM_STMT))
		help = "run it outside the transaction block, in a statement or migration of its own "
			"(PostgreSQL 12 and later accept it inside one)";
	struct finding f = {
		.message = rule_printf(ctx,
			"%s cannot run inside a transaction block: PostgreSQL rejects it in %s (SQLSTATE 25001) and the migration rolls back",
			describe(s), where),
		.help = help,
	};
	return rule_report(ctx, &f);
}

const struct rule rule_non_transactional_in_transaction = {
	.id = "non-transactional-in-transaction",
	.summary = "a statement that cannot run in a transaction block is inside one",
	.rationale =
		"CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, DETACH "
		"PARTITION CONCURRENTLY, VACUUM, CREATE/DROP DATABASE, ALTER SYSTEM and, before "
		"PostgreSQL 12, ALTER TYPE ... ADD VALUE refuse to run inside a transaction block, "
		"whether opened with BEGIN or by the migration tool around the file: PostgreSQL raises "
		"\"cannot run inside a transaction block\" (SQLSTATE 25001) and everything before it in "
		"the transaction is rolled back. REFRESH MATERIALIZED VIEW CONCURRENTLY is allowed.",
	.safe_alternative =
		"-- its own migration, with the tool's transaction turned off, e.g.\n"
		"-- +goose NO TRANSACTION\n"
		"CREATE INDEX CONCURRENTLY users_email_idx ON users (email);",
	.bad_example =
		"BEGIN;\n"
		"CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n"
		"COMMIT;",
	.good_example = "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);  -- autocommit",
	.peers = "squawk: ban-concurrent-index-creation-in-transaction",
	.default_severity = PGS_SEV_ERROR,
	.check = check,
};
