/*
 * drop-column: ALTER TABLE ... DROP COLUMN on a table in use.
 *
 * Dropping a column is quick (the column is only marked dropped), but
 * application code still running that names the column fails at once,
 * and ORMs that cache a table's columns (Active Record, for one) fail on
 * every INSERT until restarted. It also takes ACCESS EXCLUSIVE. The safe
 * order is to ship code that no longer uses the column first. (tablecmds.c
 * ATExecDropColumn; docs: ALTER TABLE, DROP COLUMN.)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const PgQuery__Node *n = s->st->node;
	if (!RULE_NODE(n, ALTER_TABLE_STMT) ||
	    n->alter_table_stmt->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
		return PGS_OK;
	const char *rel = schema_qualify(ctx->schema, ctx->arena, n->alter_table_stmt->relation);
	if (!rel || rule_table_is_new(ctx, rel))
		return PGS_OK;
	for (size_t i = 0; i < n->alter_table_stmt->n_cmds; i++) {
		const PgQuery__Node *c = n->alter_table_stmt->cmds[i];
		if (!RULE_NODE(c, ALTER_TABLE_CMD) ||
		    (c->alter_table_cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn &&
		     c->alter_table_cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumnRecurse))
			continue;
		const char *col = c->alter_table_cmd->name ? c->alter_table_cmd->name : "?";
		struct finding f = {
			.relation = rel,
			.message = rule_printf(ctx,
				"dropping column \"%s\" of table \"%s\" breaks application code still running that reads or writes it",
				col, rel),
			.help = "first deploy code that no longer uses the column (tell the ORM to ignore it), "
				"then drop it in a later migration",
		};
		int rc = rule_report(ctx, &f);
		if (rc)
			return rc;
	}
	return PGS_OK;
}

const struct rule rule_drop_column = {
	.id = "drop-column",
	.summary = "DROP COLUMN breaks application code that still uses the column",
	.rationale =
		"ALTER TABLE ... DROP COLUMN is quick (the column is only marked dropped, under ACCESS "
		"EXCLUSIVE), but every query of the running application that names the column fails "
		"from that moment, and ORMs that cache a table's column list fail even on queries that "
		"do not name it, until they restart. The column must leave the code before it leaves "
		"the table. On every version.",
	.safe_alternative =
		"-- release 1: the application stops using users.nickname (ORM: ignore the column)\n"
		"-- release 2, after release 1 is fully deployed:\n"
		"ALTER TABLE users DROP COLUMN nickname;",
	.bad_example = "ALTER TABLE users DROP COLUMN nickname;",
	.good_example =
		"CREATE TABLE drafts (id bigint PRIMARY KEY, body text, tmp int);\n"
		"ALTER TABLE drafts DROP COLUMN tmp;  -- created in this migration",
	.peers = "squawk: ban-drop-column; strong_migrations: remove_column",
	.default_severity = PGS_SEV_WARNING,
	.check = check,
};
