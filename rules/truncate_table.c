/*
 * truncate-table: TRUNCATE on a table in use.
 *
 * TRUNCATE takes ACCESS EXCLUSIVE on each table, blocking reads and
 * writes until the transaction ends, and throws away every row at once
 * (the table gets a new, empty file): unlike DELETE it is not MVCC-safe,
 * so concurrent transactions with an older snapshot see the table empty.
 * (tablecmds.c ExecuteTruncate, ExecuteTruncateGuts; docs: TRUNCATE,
 * Notes.)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const PgQuery__Node *n = s->st->node;
	if (!RULE_NODE(n, TRUNCATE_STMT))
		return PGS_OK;
	const PgQuery__TruncateStmt *t = n->truncate_stmt;
	for (size_t i = 0; i < t->n_relations; i++) {
		if (!RULE_NODE(t->relations[i], RANGE_VAR))
			continue;
		const char *rel = schema_qualify(ctx->schema, ctx->arena, t->relations[i]->range_var);
		if (!rel || rule_table_is_new(ctx, rel))
			continue;
		enum pgs_lock_mode m = effects_lock_on(&ctx->stmt->fx, rel);
		struct finding f = {
			.relation = rel,
			.message = rule_printf(ctx,
				"TRUNCATE empties table \"%s\" under %s: %s wait until the transaction ends, and every row is gone",
				rel, pgs_lock_mode_sql(m), pgs_lock_blocks_text(m)),
			.help = "if the rows must go while the table is in use, DELETE them in batches; "
				"otherwise make sure nothing uses the table and set a short lock_timeout",
		};
		return rule_report(ctx, &f);
	}
	return PGS_OK;
}

const struct rule rule_truncate_table = {
	.id = "truncate-table",
	.summary = "TRUNCATE takes ACCESS EXCLUSIVE and deletes every row of a table in use",
	.rationale =
		"TRUNCATE takes ACCESS EXCLUSIVE, which blocks reads and writes until the transaction "
		"ends, and removes every row at once by giving the table a new, empty file. It is not "
		"MVCC-safe: transactions with an older snapshot see an empty table. In a migration it "
		"is usually data loss on a table the application still uses. On every version.",
	.safe_alternative =
		"-- remove rows in batches, each batch its own transaction:\n"
		"DELETE FROM sessions WHERE id IN (SELECT id FROM sessions LIMIT 10000);",
	.bad_example = "TRUNCATE sessions;",
	.good_example =
		"CREATE TABLE staging_import (id bigint, payload text);\n"
		"TRUNCATE staging_import;  -- created in this migration",
	.peers = "none",
	.default_severity = PGS_SEV_WARNING,
	.check = check,
};
