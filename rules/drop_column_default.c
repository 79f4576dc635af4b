/*
 * drop-column-default: ALTER COLUMN ... DROP DEFAULT on a table in use.
 *
 * Code still running that inserts rows without naming the column relies
 * on its default: once it is dropped those rows get NULL, and when the
 * column is NOT NULL every such INSERT fails. (tablecmds.c
 * ATExecColumnDefault; docs: ALTER TABLE, DROP DEFAULT.)
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
	const struct sm_table *t = schema_table(ctx->schema, rel);
	for (size_t i = 0; i < n->alter_table_stmt->n_cmds; i++) {
		const PgQuery__Node *c = n->alter_table_stmt->cmds[i];
		if (!RULE_NODE(c, ALTER_TABLE_CMD) ||
		    c->alter_table_cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_ColumnDefault ||
		    c->alter_table_cmd->def)
			continue;   /* SET DEFAULT has a def */
		const char *name = c->alter_table_cmd->name ? c->alter_table_cmd->name : "?";
		const struct sm_column *col = schema_column(t, name);
		if (col && !col->has_default && !t->stub)
			continue;   /* the catalog knows there is no default to drop */
		struct finding f = {
			.relation = rel,
			.message = col && col->not_null ?
				rule_printf(ctx, "dropping the default of NOT NULL column \"%s\" of table \"%s\" makes every INSERT that leaves the column out fail",
					    name, rel) :
				rule_printf(ctx, "dropping the default of column \"%s\" of table \"%s\": INSERTs of running code that leave the column out store NULL from now on",
					    name, rel),
			.help = "first deploy code that always sets the column, then drop the default",
		};
		int rc = rule_report(ctx, &f);
		if (rc)
			return rc;
	}
	return PGS_OK;
}

const struct rule rule_drop_column_default = {
	.id = "drop-column-default",
	.summary = "DROP DEFAULT changes what INSERTs of the running application store, or makes them fail",
	.rationale =
		"ALTER COLUMN ... DROP DEFAULT is a quick catalog change, but application code still "
		"running that inserts rows without naming the column relied on the default: those rows "
		"get NULL from then on, and if the column is NOT NULL every such INSERT fails. When "
		"pgsafe knows the column has no default, the statement changes nothing and is not "
		"reported. On every version.",
	.safe_alternative =
		"-- release 1: every INSERT sets orders.status itself\n"
		"-- release 2:\n"
		"ALTER TABLE orders ALTER COLUMN status DROP DEFAULT;",
	.bad_example = "ALTER TABLE orders ALTER COLUMN status DROP DEFAULT;",
	.good_example = "ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'new';",
	.peers = "squawk: ban-drop-default (in versions after 2.66)",
	.default_severity = PGS_SEV_WARNING,
	.check = check,
};
