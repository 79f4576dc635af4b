/*
 * drop-not-null: ALTER COLUMN ... DROP NOT NULL on a table in use.
 *
 * Allowing NULLs is instant (under ACCESS EXCLUSIVE), but code still
 * running that assumes the column always has a value (a non-optional
 * field in a struct, an ORM attribute without a null check, an aggregate)
 * breaks on the first NULL; and the change cannot be undone later without
 * scanning the table again (SET NOT NULL). (tablecmds.c ATExecDropNotNull;
 * docs: ALTER TABLE.)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const PgQuery__Node *n = ctx->stmt->st->node;
	if (!RULE_NODE(n, ALTER_TABLE_STMT) || n->alter_table_stmt->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
		return PGS_OK;
	const char *rel = schema_qualify(ctx->schema, ctx->arena, n->alter_table_stmt->relation);
	if (!rel || rule_table_is_new(ctx, rel))
		return PGS_OK;
	for (size_t i = 0; i < n->alter_table_stmt->n_cmds; i++) {
		const PgQuery__Node *c = n->alter_table_stmt->cmds[i];
		if (!RULE_NODE(c, ALTER_TABLE_CMD) ||
		    c->alter_table_cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull)
			continue;
		struct finding f = {
			.relation = rel,
			.message = rule_printf(ctx,
				"dropping NOT NULL from column \"%s\" of table \"%s\" lets NULLs reach application code that assumes a value, and restoring it later scans the table",
				c->alter_table_cmd->name ? c->alter_table_cmd->name : "?", rel),
			.help = "first deploy code that handles NULL in this column, then drop the constraint",
		};
		int rc = rule_report(ctx, &f);
		if (rc)
			return rc;
	}
	return PGS_OK;
}

const struct rule rule_drop_not_null = {
	.id = "drop-not-null",
	.summary = "DROP NOT NULL lets NULLs reach code that assumes the column always has a value",
	.rationale =
		"ALTER COLUMN ... DROP NOT NULL is a quick catalog change (under ACCESS EXCLUSIVE), but "
		"application code still running may assume the column always holds a value and fail on "
		"the first NULL written by newer code. Going back is expensive: SET NOT NULL scans the "
		"whole table. On every version.",
	.safe_alternative =
		"-- release 1: every reader handles users.phone being NULL\n"
		"-- release 2:\n"
		"ALTER TABLE users ALTER COLUMN phone DROP NOT NULL;",
	.bad_example = "ALTER TABLE users ALTER COLUMN phone DROP NOT NULL;",
	.good_example =
		"CREATE TABLE contacts (id bigint PRIMARY KEY, phone text NOT NULL);\n"
		"ALTER TABLE contacts ALTER COLUMN phone DROP NOT NULL;  -- created in this migration",
	.peers = "squawk: ban-drop-not-null",
	.default_severity = PGS_SEV_WARNING,
	.check = check,
};
