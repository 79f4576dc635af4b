/*
 * rename-table: ALTER TABLE ... RENAME TO on a table in use.
 *
 * The rename itself is quick, under ACCESS EXCLUSIVE, but every query of
 * the running application that uses the old name fails from then on. A
 * view with the old name over the renamed table keeps simple reads and
 * writes working during the switch (simple views are automatically
 * updatable), so a rename followed in the same transaction by such a view
 * is not reported. (tablecmds.c RenameRelation; docs: ALTER TABLE, RENAME;
 * CREATE VIEW, "Updatable Views".)
 */
#include "rule.h"

#include <string.h>

/* Whether a statement after @i, in the same transaction, creates a view named @old. */
static bool view_keeps_old_name(struct rule_ctx *ctx, size_t i, const char *old)
{
	const struct analyzed_stmt *r = &ctx->stmts[i];
	if (r->txn.kind == TXN_NONE)
		return false;
	for (size_t j = i + 1; j < ctx->n_stmts; j++) {
		const struct analyzed_stmt *e = &ctx->stmts[j];
		if (e->txn.kind == TXN_NONE || e->txn.id != r->txn.id)
			break;
		const PgQuery__Node *n = e->st->status == STMT_PARSED ? e->st->node : NULL;
		if (RULE_NODE(n, VIEW_STMT)) {
			const char *v = schema_qualify(ctx->schema, ctx->arena, n->view_stmt->view);
			if (v && !strcmp(v, old))
				return true;
		}
	}
	return false;
}

/*
 * Checked after the file's last statement, so that a view created with the
 * old name later in the same transaction counts.
 */
static int finish(struct rule_ctx *ctx)
{
	for (size_t i = 0; i < ctx->n_stmts; i++) {
		const struct analyzed_stmt *e = &ctx->stmts[i];
		const PgQuery__Node *n = e->st->status == STMT_PARSED ? e->st->node : NULL;
		if (!RULE_NODE(n, RENAME_STMT) || n->rename_stmt->rename_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
			continue;
		const PgQuery__RenameStmt *r = n->rename_stmt;
		const char *old = schema_qualify(ctx->schema, ctx->arena, r->relation);
		if (!old || !r->newname)
			continue;
		/* the catalog is the one after the file: the table carries its new name */
		const char *dot = strchr(old, '.');
		const char *renamed = rule_printf(ctx, "%.*s.%s", (int)(dot ? dot - old : 0), old, r->newname);
		if (rule_table_is_new(ctx, renamed) || view_keeps_old_name(ctx, i, old))
			continue;
		struct finding f = {
			.start = e->st->start, .end = e->st->end, .relation = old,
			.message = rule_printf(ctx,
				"renaming table \"%s\" to \"%s\" breaks application code still running that uses the old name",
				old, r->newname),
			.help = rule_printf(ctx,
				"in the same transaction, CREATE VIEW %s AS SELECT * FROM %s; (simple views accept "
				"reads and writes), move the code to the new name, then drop the view",
				r->relation->relname, r->newname),
		};
		int rc = rule_report(ctx, &f);
		if (rc)
			return rc;
	}
	return PGS_OK;
}

const struct rule rule_rename_table = {
	.id = "rename-table",
	.summary = "RENAME TO on a table breaks application code that still uses the old name",
	.rationale =
		"ALTER TABLE ... RENAME TO is a quick catalog change (under ACCESS EXCLUSIVE), but every "
		"query of the running application that uses the old name fails from that moment. A "
		"simple view with the old name over the renamed table keeps reads and writes working "
		"(PostgreSQL updates simple views automatically) until the code uses the new name. On "
		"every version.",
	.safe_alternative =
		"BEGIN;\n"
		"ALTER TABLE customers RENAME TO clients;\n"
		"CREATE VIEW customers AS SELECT * FROM clients;  -- old name keeps working\n"
		"COMMIT;\n"
		"-- after the application uses clients:\n"
		"DROP VIEW customers;",
	.bad_example = "ALTER TABLE customers RENAME TO clients;",
	.good_example =
		"BEGIN;\n"
		"ALTER TABLE customers RENAME TO clients;\n"
		"CREATE VIEW customers AS SELECT * FROM clients;\n"
		"COMMIT;",
	.peers = "squawk: renaming-table; strong_migrations: rename_table",
	.default_severity = PGS_SEV_WARNING,
	.finish = finish,
};
