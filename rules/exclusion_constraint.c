/*
 * exclusion-constraint: ADD CONSTRAINT ... EXCLUDE on a table in use.
 *
 * An exclusion constraint is backed by an index that ALTER TABLE builds,
 * and checks, while holding ACCESS EXCLUSIVE: reads and writes wait for
 * the whole build. Unlike UNIQUE, there is no NOT VALID form and no
 * USING INDEX form, so PostgreSQL offers no online way to add one.
 * (tablecmds.c ATExecAddConstraint -> ATExecAddIndex with an exclusion
 * index; AlterTableGetLockLevel; docs: ALTER TABLE, "NOT VALID" applies
 * to CHECK and FOREIGN KEY only.)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const PgQuery__Node *n = s->st->node;
	if (!RULE_NODE(n, ALTER_TABLE_STMT))
		return PGS_OK;
	const PgQuery__AlterTableStmt *as = n->alter_table_stmt;
	const char *table = schema_qualify(ctx->schema, ctx->arena, as->relation);
	if (!table || rule_table_is_new(ctx, table))
		return PGS_OK;
	for (size_t i = 0; i < as->n_cmds; i++) {
		if (!RULE_NODE(as->cmds[i], ALTER_TABLE_CMD))
			continue;
		const PgQuery__AlterTableCmd *cmd = as->cmds[i]->alter_table_cmd;
		if (!RULE_NODE(cmd->def, CONSTRAINT) ||
		    cmd->def->constraint->contype != PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION)
			continue;
		const PgQuery__Constraint *con = cmd->def->constraint;
		size_t at = s->st->loc_base + (size_t)(con->location >= 0 ? con->location : 0);
		if (!effects_scans(&s->fx, table))
			continue;
		enum pgs_lock_mode m = effects_lock_on(&s->fx, table);
		struct finding f = {
			.start = at, .end = s->st->end, .relation = table,
			.message = rule_printf(ctx,
				"adding exclusion constraint%s%s%s to table \"%s\" builds and checks its index under %s: %s wait for the whole build, and there is no online form",
				con->conname && *con->conname ? " \"" : "", con->conname ? con->conname : "",
				con->conname && *con->conname ? "\"" : "", table, pgs_lock_mode_sql(m),
				pgs_lock_blocks_text(m)),
			.help = "declare exclusion constraints when the table is created; on a table in use, "
				"run it in a quiet period with a short lock_timeout, or build a new table with "
				"the constraint, copy the rows in batches and swap the names",
		};
		int rc = rule_report(ctx, &f);
		if (rc)
			return rc;
	}
	return PGS_OK;
}

const struct rule rule_exclusion_constraint = {
	.id = "exclusion-constraint",
	.summary = "ADD CONSTRAINT ... EXCLUDE builds an index under ACCESS EXCLUSIVE, with no online form",
	.rationale =
		"ALTER TABLE ... ADD CONSTRAINT ... EXCLUDE takes ACCESS EXCLUSIVE, which blocks reads "
		"and writes, and builds the constraint's index (checking every pair of conflicting rows) "
		"before it releases the lock. Exclusion constraints cannot be added NOT VALID or USING "
		"an existing index, so there is no online way to add one to a table in use. On every "
		"version.",
	.safe_alternative =
		"-- at creation time, the constraint costs nothing:\n"
		"CREATE TABLE bookings (room int, during tstzrange,\n"
		"  EXCLUDE USING gist (room WITH =, during WITH &&));\n"
		"-- on a table in use: a new table with the constraint, batched copy, rename swap",
	.bad_example =
		"ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);",
	.good_example =
		"CREATE TABLE bookings (room int, during tstzrange);\n"
		"ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);",
	.peers = "strong_migrations: add_exclusion_constraint; Eugene: E8",
	.default_severity = PGS_SEV_ERROR,
	.check = check,
};
