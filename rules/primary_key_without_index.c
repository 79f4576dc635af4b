/*
 * primary-key-without-index: ADD PRIMARY KEY that builds its index under ACCESS EXCLUSIVE.
 *
 * ALTER TABLE ... ADD PRIMARY KEY (cols), or ADD COLUMN ... PRIMARY KEY,
 * builds a unique index (and sets the columns NOT NULL) while holding
 * ACCESS EXCLUSIVE: reads and writes wait for the whole build. The index
 * can be built first with CREATE UNIQUE INDEX CONCURRENTLY and adopted
 * with ADD PRIMARY KEY USING INDEX, which only scans when a key column
 * may still hold NULLs (set-not-null-without-check reports that scan).
 * (tablecmds.c ATExecAddIndex, ATExecAddIndexConstraint; index.c
 * index_check_primary_key; docs: ALTER TABLE.)
 */
#include "rule.h"

#include <string.h>

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

static const char *help_for(struct rule_ctx *ctx, const char *table, const char *name,
			    const char *keys, bool partitioned)
{
	if (partitioned)
		return "a partitioned table cannot take PRIMARY KEY USING INDEX: add the primary key "
			"when the table is created, or attach partitions that already have a unique "
			"index on the key to a parent created with the primary key";
	if (ctx->pg_version >= 12)
		return rule_printf(ctx,
			"CREATE UNIQUE INDEX CONCURRENTLY %s ON %s %s; make each key column NOT NULL "
			"without a scan (validated CHECK (col IS NOT NULL) first), then ALTER TABLE %s ADD "
			"CONSTRAINT %s PRIMARY KEY USING INDEX %s; (brief)", name, table, keys, table, name, name);
	return rule_printf(ctx,
		"CREATE UNIQUE INDEX CONCURRENTLY %s ON %s %s; then ALTER TABLE %s ADD CONSTRAINT %s "
		"PRIMARY KEY USING INDEX %s; before PostgreSQL 12 that step still scans the table unless "
		"the key columns are already NOT NULL", name, table, keys, table, name, name);
}

static int report(struct rule_ctx *ctx, const char *table, const PgQuery__Constraint *con,
		  const char *col)
{
	const struct analyzed_stmt *s = ctx->stmt;
	size_t at = s->st->loc_base + (size_t)(con->location >= 0 ? con->location : 0);
	bool builds = false;
	for (size_t i = 0; i < s->fx.n_notes; i++)
		if (s->fx.notes[i].cause == CAUSE_INDEX_BUILD && s->fx.notes[i].offset == at)
			builds = true;
	if (!builds || rule_table_is_new(ctx, table))
		return PGS_OK;
	const struct sm_table *t = schema_table(ctx->schema, table);
	const char *bare = strchr(table, '.') ? strchr(table, '.') + 1 : table;
	const char *name = con->conname && *con->conname ? con->conname : rule_printf(ctx, "%s_pkey", bare);
	const char *keys = keys_text(ctx, con, col);
	enum pgs_lock_mode m = effects_lock_on(&s->fx, table);
	struct finding f = {
		.start = at, .end = s->st->end, .relation = table,
		.message = rule_printf(ctx,
			"adding PRIMARY KEY %s to table \"%s\" builds its index under %s: %s wait until the whole table is read",
			keys, table, pgs_lock_mode_sql(m), pgs_lock_blocks_text(m)),
		.help = help_for(ctx, table, name, keys, t && t->relkind == 'p'),
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
			if (con->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY &&
			    !(con->indexname && *con->indexname))
				rc = report(ctx, table, con, NULL);
		} else if (RULE_NODE(cmd->def, COLUMN_DEF)) {
			const PgQuery__ColumnDef *cd = cmd->def->column_def;
			for (size_t k = 0; !rc && k < cd->n_constraints; k++)
				if (RULE_NODE(cd->constraints[k], CONSTRAINT) &&
				    cd->constraints[k]->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY)
					rc = report(ctx, table, cd->constraints[k]->constraint, cd->colname);
		}
		if (rc)
			return rc;
	}
	return PGS_OK;
}

const struct rule rule_primary_key_without_index = {
	.id = "primary-key-without-index",
	.summary = "ADD PRIMARY KEY builds its index under ACCESS EXCLUSIVE instead of USING an index built concurrently",
	.rationale =
		"ALTER TABLE ... ADD PRIMARY KEY (and ADD COLUMN ... PRIMARY KEY) takes ACCESS "
		"EXCLUSIVE, which blocks reads and writes, and builds the unique index while holding "
		"it, after reading the whole table. CREATE UNIQUE INDEX CONCURRENTLY builds the index "
		"without blocking reads or writes, and ADD CONSTRAINT ... PRIMARY KEY USING INDEX adopts "
		"it in a brief catalog change, provided the key columns are already NOT NULL (otherwise "
		"it scans to check them; from PostgreSQL 12 a validated CHECK (col IS NOT NULL) lets "
		"SET NOT NULL skip that scan). Partitioned tables do not accept USING INDEX.",
	.safe_alternative =
		"CREATE UNIQUE INDEX CONCURRENTLY items_pkey ON items (id);          -- outside BEGIN\n"
		"ALTER TABLE items ADD CONSTRAINT items_id_nn CHECK (id IS NOT NULL) NOT VALID;\n"
		"ALTER TABLE items VALIDATE CONSTRAINT items_id_nn;                  -- writes continue\n"
		"ALTER TABLE items ALTER COLUMN id SET NOT NULL;                     -- PG 12+: no scan\n"
		"ALTER TABLE items ADD CONSTRAINT items_pkey PRIMARY KEY USING INDEX items_pkey;",
	.bad_example = "ALTER TABLE items ADD PRIMARY KEY (id);",
	.good_example =
		"CREATE UNIQUE INDEX CONCURRENTLY items_pkey ON items (id);\n"
		"ALTER TABLE items ADD CONSTRAINT items_pkey PRIMARY KEY USING INDEX items_pkey;",
	.peers = "squawk: adding-serial-primary-key-field; Eugene: E7 (unique constraint with a new index)",
	.default_severity = PGS_SEV_ERROR,
	.check = check,
};
