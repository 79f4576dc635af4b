/*
 * unique-constraint-without-index: ADD UNIQUE that builds its index under ACCESS EXCLUSIVE.
 *
 * ALTER TABLE ... ADD [CONSTRAINT c] UNIQUE (cols), or ADD COLUMN ...
 * UNIQUE, builds a unique index while holding ACCESS EXCLUSIVE: reads and
 * writes wait for the whole table to be read and sorted. Built first with
 * CREATE UNIQUE INDEX CONCURRENTLY, the index can be turned into the
 * constraint with ADD CONSTRAINT ... UNIQUE USING INDEX, a brief catalog
 * change. USING INDEX is not available on partitioned tables, where a
 * unique index built partition by partition enforces the same rule.
 * (tablecmds.c ATExecAddIndex / ATExecAddIndexConstraint,
 * AlterTableGetLockLevel; docs: ALTER TABLE, ADD table_constraint_using_index.)
 */
#include "rule.h"

#include <string.h>

/* "(a, b)" from a constraint's key list, or "" when it has none. */
static const char *keys_text(struct rule_ctx *ctx, const PgQuery__Constraint *con, const char *col)
{
	if (col)
		return rule_printf(ctx, "(%s)", col);
	const char *out = "(";
	for (size_t i = 0; i < con->n_keys; i++) {
		const char *k = node_string(con->keys[i]);
		out = rule_printf(ctx, "%s%s%s", out, i ? ", " : "", k ? k : "?");
	}
	return rule_printf(ctx, "%s)", out);
}

static int report(struct rule_ctx *ctx, const char *table, const PgQuery__Constraint *con,
		  const char *col)
{
	const struct analyzed_stmt *s = ctx->stmt;
	size_t at = s->st->loc_base + (size_t)(con->location >= 0 ? con->location : 0);
	const struct effect_note *note = NULL;
	for (size_t i = 0; i < s->fx.n_notes; i++)
		if (s->fx.notes[i].cause == CAUSE_INDEX_BUILD && s->fx.notes[i].offset == at)
			note = &s->fx.notes[i];
	if (!note || rule_table_is_new(ctx, table))
		return PGS_OK;
	const struct sm_table *t = schema_table(ctx->schema, table);
	const char *name = con->conname && *con->conname ? con->conname :
		rule_printf(ctx, "%s_%s_key", strchr(table, '.') ? strchr(table, '.') + 1 : table,
			    col ? col : "col");
	const char *keys = keys_text(ctx, con, col);
	enum pgs_lock_mode m = effects_lock_on(&s->fx, table);
	struct finding f = {
		.start = at, .end = s->st->end, .relation = table,
		.message = rule_printf(ctx,
			"adding UNIQUE constraint %s on table \"%s\" builds its index under %s: %s wait until the whole table is read",
			keys, table, pgs_lock_mode_sql(m), pgs_lock_blocks_text(m)),
		.help = t && t->relkind == 'p' ?
			rule_printf(ctx,
				"a partitioned table cannot take UNIQUE USING INDEX: CREATE UNIQUE INDEX %s ON ONLY "
				"%s %s, CREATE UNIQUE INDEX CONCURRENTLY on each partition and ALTER INDEX %s "
				"ATTACH PARTITION each; the valid unique index enforces the rule", name, table,
				keys, name) :
			rule_printf(ctx,
				"CREATE UNIQUE INDEX CONCURRENTLY %s ON %s %s; (outside a transaction block), "
				"then ALTER TABLE %s ADD CONSTRAINT %s UNIQUE USING INDEX %s; (brief)",
				name, table, keys, table, name, name),
		.duration = t && t->relkind == 'p' ? "the index build on every partition" : NULL,
	};
	return rule_report(ctx, &f);
}

static int check(struct rule_ctx *ctx)
{
	const PgQuery__Node *n = ctx->stmt->st->node;
	if (!RULE_NODE(n, ALTER_TABLE_STMT))
		return PGS_OK;
	const PgQuery__AlterTableStmt *as = n->alter_table_stmt;
	const char *table = schema_qualify(ctx->schema, ctx->arena, as->relation);
	for (size_t i = 0; table && i < as->n_cmds; i++) {
		if (!RULE_NODE(as->cmds[i], ALTER_TABLE_CMD))
			continue;
		const PgQuery__AlterTableCmd *cmd = as->cmds[i]->alter_table_cmd;
		int rc = PGS_OK;
		if (RULE_NODE(cmd->def, CONSTRAINT)) {
			const PgQuery__Constraint *con = cmd->def->constraint;
			if (con->contype == PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE &&
			    !(con->indexname && *con->indexname))
				rc = report(ctx, table, con, NULL);
		} else if (RULE_NODE(cmd->def, COLUMN_DEF)) {
			const PgQuery__ColumnDef *cd = cmd->def->column_def;
			for (size_t k = 0; !rc && k < cd->n_constraints; k++)
				if (RULE_NODE(cd->constraints[k], CONSTRAINT) &&
				    cd->constraints[k]->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE)
					rc = report(ctx, table, cd->constraints[k]->constraint, cd->colname);
		}
		if (rc)
			return rc;
	}
	return PGS_OK;
}

const struct rule rule_unique_constraint_without_index = {
	.id = "unique-constraint-without-index",
	.summary = "ADD UNIQUE builds its index under ACCESS EXCLUSIVE instead of USING an index built concurrently",
	.rationale =
		"ALTER TABLE ... ADD CONSTRAINT ... UNIQUE (and ADD COLUMN ... UNIQUE) takes ACCESS "
		"EXCLUSIVE, which blocks reads and writes, and builds the unique index while holding "
		"it: the whole table is read and sorted first. CREATE UNIQUE INDEX CONCURRENTLY builds "
		"the same index under SHARE UPDATE EXCLUSIVE, which blocks neither, and ADD CONSTRAINT "
		"... UNIQUE USING INDEX then adopts it in a brief catalog change. Partitioned tables do "
		"not accept USING INDEX; there a unique index built partition by partition enforces "
		"uniqueness. On every version.",
	.safe_alternative =
		"CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);  -- outside BEGIN\n"
		"ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;",
	.bad_example = "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);",
	.good_example =
		"CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);\n"
		"ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;",
	.peers = "squawk: disallowed-unique-constraint; strong_migrations: add_unique_constraint; Eugene: E7",
	.default_severity = PGS_SEV_ERROR,
	.check = check,
};
