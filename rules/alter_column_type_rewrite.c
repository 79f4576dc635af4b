/*
 * alter-column-type-rewrite: ALTER COLUMN ... TYPE that rewrites the table.
 *
 * Changing a column's type takes ACCESS EXCLUSIVE and, unless the old type
 * is binary coercible to the new one (varchar(10) to varchar(20) or text,
 * numeric(p,s) to a wider p, cidr to inet, ...) with no USING clause,
 * rewrites the whole table and rebuilds its indexes while holding it:
 * reads and writes wait for the whole rewrite. The lock model decides
 * whether the change rewrites (and says when it cannot know the old type);
 * this rule reports it. (tablecmds.c ATColumnChangeRequiresRewrite,
 * ATPrepAlterColumnType; the types' support functions, e.g.
 * varchar_support; docs: ALTER TABLE, Notes.)
 */
#include "rule.h"

#include <string.h>

/* "unknown type to int8" -> "int8": the target type of an unknown-type change. */
static const char *target_of(const char *detail)
{
	static const char prefix[] = "unknown type to ";
	if (!detail)
		return "?";
	return strncmp(detail, prefix, sizeof(prefix) - 1) ? detail : detail + sizeof(prefix) - 1;
}

/* Whether the statement's ALTER COLUMN @column ... TYPE has a USING clause. */
static bool has_using(const struct analyzed_stmt *s, const char *column)
{
	const PgQuery__Node *n = s->st->node;
	if (!column || !RULE_NODE(n, ALTER_TABLE_STMT))
		return false;
	const PgQuery__AlterTableStmt *as = n->alter_table_stmt;
	for (size_t i = 0; i < as->n_cmds; i++) {
		if (!RULE_NODE(as->cmds[i], ALTER_TABLE_CMD))
			continue;
		const PgQuery__AlterTableCmd *cmd = as->cmds[i]->alter_table_cmd;
		if (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType && cmd->name &&
		    !strcmp(cmd->name, column) && RULE_NODE(cmd->def, COLUMN_DEF))
			return cmd->def->column_def->raw_default != NULL;
	}
	return false;
}

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	for (size_t i = 0; i < s->fx.n_notes; i++) {
		const struct effect_note *n = &s->fx.notes[i];
		if ((n->cause != CAUSE_TYPE_CHANGE && n->cause != CAUSE_TYPE_CHANGE_UNKNOWN) ||
		    rule_table_is_new(ctx, n->relation))
			continue;
		const char *mode = pgs_lock_mode_sql(effects_lock_on(&s->fx, n->relation));
		const char *col = n->column ? n->column : "?";
		struct finding f = {
			.start = n->offset, .end = s->st->end, .relation = n->relation,
			.help = "add a new column of the new type, keep it in step with a trigger, backfill it "
				"in batches, then switch the application over and drop the old column; changes "
				"that need no rewrite: varchar(n) to a larger n or to text, numeric(p,s) to a "
				"larger p with the same s",
		};
		if (n->cause == CAUSE_TYPE_CHANGE)
			f.message = rule_printf(ctx,
				"changing column \"%s\" of table \"%s\" from %s%s rewrites the whole table and its indexes under %s",
				col, n->relation, n->detail ? n->detail : "its type",
				has_using(s, n->column) ? " with a USING expression" : "", mode);
		else
			f.message = rule_printf(ctx,
				"changing column \"%s\" of table \"%s\" to %s may rewrite the whole table and its indexes under %s: pgsafe does not know the column's current type",
				col, n->relation, target_of(n->detail), mode);
		int rc = rule_report(ctx, &f);
		if (rc)
			return rc;
	}
	return PGS_OK;
}

const struct rule rule_alter_column_type_rewrite = {
	.id = "alter-column-type-rewrite",
	.summary = "ALTER COLUMN ... TYPE that is not binary coercible rewrites the table",
	.rationale =
		"ALTER TABLE ... ALTER COLUMN ... TYPE takes ACCESS EXCLUSIVE, which blocks reads and "
		"writes. Unless the old type converts to the new one without changing the stored bytes "
		"(binary coercible: varchar(n) to a larger n or to text, numeric to a larger precision "
		"with the same scale, cidr to inet) and there is no USING clause, every row is rewritten "
		"and every index on the table rebuilt while the lock is held. When pgsafe does not know "
		"the column's current type it assumes a rewrite. On every version.",
	.safe_alternative =
		"ALTER TABLE t ADD COLUMN amount_new bigint;\n"
		"-- a trigger copies amount to amount_new on INSERT and UPDATE, then backfill in batches:\n"
		"UPDATE t SET amount_new = amount WHERE id BETWEEN $1 AND $2;\n"
		"-- switch the application to amount_new, then, in a short transaction:\n"
		"ALTER TABLE t RENAME COLUMN amount TO amount_old;\n"
		"ALTER TABLE t RENAME COLUMN amount_new TO amount;",
	.bad_example = "ALTER TABLE orders ALTER COLUMN amount TYPE bigint;",
	.good_example = "ALTER TABLE users ALTER COLUMN name TYPE varchar(200);  -- was varchar(100)",
	.peers = "squawk: changing-column-type; strong_migrations: change_column",
	.example_setup =
		"CREATE TABLE orders (id bigint PRIMARY KEY, amount int);\n"
		"CREATE TABLE users (id bigint PRIMARY KEY, name varchar(100));",
	.default_severity = PGS_SEV_ERROR,
	.check = check,
};
