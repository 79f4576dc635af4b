/*
 * rename-column: ALTER TABLE ... RENAME COLUMN on a table in use.
 *
 * A rename is a quick catalog change under ACCESS EXCLUSIVE, but the
 * running application still uses the old name, and every such query fails
 * from that moment until the new code is deployed (which in turn fails
 * before the rename). (tablecmds.c renameatt; docs: ALTER TABLE, RENAME.)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const PgQuery__Node *n = ctx->stmt->st->node;
	if (!RULE_NODE(n, RENAME_STMT) || n->rename_stmt->rename_type != PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN ||
	    (n->rename_stmt->relation_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE &&
	     n->rename_stmt->relation_type != PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE))
		return PGS_OK;
	const PgQuery__RenameStmt *r = n->rename_stmt;
	const char *rel = schema_qualify(ctx->schema, ctx->arena, r->relation);
	if (!rel || rule_table_is_new(ctx, rel))
		return PGS_OK;
	struct finding f = {
		.relation = rel,
		.message = rule_printf(ctx,
			"renaming column \"%s\" of table \"%s\" to \"%s\" breaks application code still running that uses the old name",
			r->subname ? r->subname : "?", rel, r->newname ? r->newname : "?"),
		.help = "add the new column, write to both, backfill, move reads to the new column, then "
			"drop the old one in a later migration",
	};
	return rule_report(ctx, &f);
}

const struct rule rule_rename_column = {
	.id = "rename-column",
	.summary = "RENAME COLUMN breaks application code that still uses the old name",
	.rationale =
		"ALTER TABLE ... RENAME COLUMN is a quick catalog change (under ACCESS EXCLUSIVE), but "
		"queries of the running application that use the old name fail from that moment, and "
		"code using the new name fails until the rename has run: there is no order of deploy "
		"and migration that avoids errors. On every version.",
	.safe_alternative =
		"ALTER TABLE users ADD COLUMN full_name text;\n"
		"-- the application writes both columns; backfill full_name from name in batches;\n"
		"-- the application reads full_name; then, in a later migration:\n"
		"ALTER TABLE users DROP COLUMN name;",
	.bad_example = "ALTER TABLE users RENAME COLUMN name TO full_name;",
	.good_example =
		"CREATE TABLE drafts (id bigint PRIMARY KEY, txt text);\n"
		"ALTER TABLE drafts RENAME COLUMN txt TO body;  -- created in this migration",
	.peers = "squawk: renaming-column; strong_migrations: rename_column",
	.default_severity = PGS_SEV_WARNING,
	.check = check,
};
