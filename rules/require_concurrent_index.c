/*
 * require-concurrent-index: CREATE INDEX without CONCURRENTLY on an existing table.
 *
 * A plain CREATE INDEX takes SHARE on the table: reads go on, but every
 * INSERT, UPDATE and DELETE waits until the whole table has been read and
 * the index built. CREATE INDEX CONCURRENTLY takes SHARE UPDATE EXCLUSIVE,
 * which blocks no reads or writes, at the price of two table scans and not
 * running inside a transaction block. Partitioned tables, where
 * CONCURRENTLY is refused, are partitioned-index-without-only's (split
 * from this rule; it answers to this rule's id too). (indexcmds.c
 * DefineIndex; docs: CREATE INDEX, "Building Indexes Concurrently".)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const PgQuery__Node *n = s->st->node;
	if (!RULE_NODE(n, INDEX_STMT) || n->index_stmt->concurrent)
		return PGS_OK;
	const PgQuery__IndexStmt *is = n->index_stmt;
	const char *rel = schema_qualify(ctx->schema, ctx->arena, is->relation);
	if (rule_table_is_new(ctx, rel))
		return PGS_OK;
	const struct sm_table *t = schema_table(ctx->schema, rel);
	/*
	 * Partitioned tables: ON ONLY reads no data (the safe first step), and
	 * the rest is partitioned-index-without-only's, split from this rule.
	 */
	if (t && t->relkind == 'p')
		return PGS_OK;
	struct finding f = {
		.message = rule_printf(ctx, "creating index%s%s on table \"%s\" without CONCURRENTLY blocks writes while it is built",
				       is->idxname && *is->idxname ? " " : "",
				       is->idxname && *is->idxname ? is->idxname : "", rel),
		.help = "use CREATE INDEX CONCURRENTLY, outside a transaction block",
		.relation = rel,
	};
	return rule_report(ctx, &f);
}

const struct rule rule_require_concurrent_index = {
	.id = "require-concurrent-index",
	.summary = "CREATE INDEX without CONCURRENTLY blocks writes for the whole build",
	.rationale =
		"CREATE INDEX takes a SHARE lock on the table, which blocks INSERT, UPDATE and DELETE "
		"(reads continue) until the table has been scanned and the index written: minutes to "
		"hours on a large table. CREATE INDEX CONCURRENTLY takes SHARE UPDATE EXCLUSIVE, which "
		"blocks neither reads nor writes.",
	.safe_alternative =
		"CREATE INDEX CONCURRENTLY index_name ON t (col);  -- outside BEGIN/COMMIT\n"
		"-- if it fails it leaves an INVALID index: DROP INDEX CONCURRENTLY index_name; and retry",
	.bad_example = "CREATE INDEX users_email_idx ON users (email);",
	.good_example = "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);",
	.peers = "squawk: require-concurrent-index-creation; strong_migrations: add_index",
	.default_severity = PGS_SEV_ERROR,
	.check = check,
};
