/*
 * column-type-change: ALTER COLUMN ... TYPE changes what clients read and write.
 *
 * Apart from its cost (alter-column-type-rewrite reports rewrites), a
 * type change is visible to the running application: drivers decode the
 * new type differently (int4 to int8 overflows 32-bit client integers,
 * text to jsonb changes what is accepted, timestamp to timestamptz shifts
 * values), and narrower types reject writes that used to succeed. Widening
 * the same type (varchar(20) to varchar(50), numeric(10,2) to
 * numeric(12,2)) and varchar or char to text change nothing for clients,
 * and are not reported. (docs: ALTER TABLE, SET DATA TYPE; the types'
 * input and output functions.)
 */
#include "rule.h"

#include <string.h>

static bool is_textual(const char *t)
{
	return !strcmp(t, "text") || !strcmp(t, "varchar") || !strcmp(t, "bpchar");
}

/* Whether clients see no difference going from @from to @to. */
static bool client_compatible(const struct sm_type *from, const struct sm_type *to)
{
	if (from->array_dims != to->array_dims)
		return false;
	/* varchar(n) or char(n) to text, or to unbounded varchar */
	if (is_textual(from->name) && (!strcmp(to->name, "text") ||
				       (!strcmp(to->name, "varchar") && to->n_typmods == 0)))
		return true;
	if (strcmp(from->name, to->name) ||
	    (from->schema && to->schema && strcmp(from->schema, to->schema)))
		return false;
	/* the same type: compatible unless a modifier shrinks */
	if (to->n_typmods == 0)
		return true;
	if (from->n_typmods <= 0 || to->n_typmods < 0)
		return false;
	for (int i = 0; i < to->n_typmods && i < from->n_typmods; i++)
		if (to->typmods[i] < from->typmods[i])
			return false;
	return true;
}

static const char *type_text(struct rule_ctx *ctx, const struct sm_type *t)
{
	if (t->n_typmods == 1)
		return rule_printf(ctx, "%s(%d)%s", t->name, t->typmods[0], t->array_dims ? "[]" : "");
	if (t->n_typmods == 2)
		return rule_printf(ctx, "%s(%d,%d)%s", t->name, t->typmods[0], t->typmods[1], t->array_dims ? "[]" : "");
	return rule_printf(ctx, "%s%s", t->name, t->array_dims ? "[]" : "");
}

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const PgQuery__Node *n = s->st->node;
	if (!RULE_NODE(n, ALTER_TABLE_STMT) || n->alter_table_stmt->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
		return PGS_OK;
	const char *rel = schema_qualify(ctx->schema, ctx->arena, n->alter_table_stmt->relation);
	if (!rel || rule_table_is_new(ctx, rel))
		return PGS_OK;
	const struct sm_table *t = schema_table(ctx->schema, rel);
	for (size_t i = 0; i < n->alter_table_stmt->n_cmds; i++) {
		const PgQuery__Node *c = n->alter_table_stmt->cmds[i];
		if (!RULE_NODE(c, ALTER_TABLE_CMD) ||
		    c->alter_table_cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType ||
		    !RULE_NODE(c->alter_table_cmd->def, COLUMN_DEF))
			continue;
		const PgQuery__AlterTableCmd *cmd = c->alter_table_cmd;
		struct sm_type to;
		schema_type_from_node(ctx->schema, ctx->arena, cmd->def->column_def->type_name, &to);
		const struct sm_column *col = schema_column(t, cmd->name);
		if (col && client_compatible(&col->type, &to))
			continue;
		struct finding f = {
			.relation = rel,
			.message = col ?
				rule_printf(ctx, "changing column \"%s\" of table \"%s\" from %s to %s changes what the running application reads and may write",
					    cmd->name, rel, type_text(ctx, &col->type), type_text(ctx, &to)) :
				rule_printf(ctx, "changing the type of column \"%s\" of table \"%s\" to %s changes what the running application reads and may write",
					    cmd->name ? cmd->name : "?", rel, type_text(ctx, &to)),
			.help = "add a column of the new type, write to both, backfill, move reads to the new "
				"column, then drop the old one; clients must handle the new type before the switch",
		};
		int rc = rule_report(ctx, &f);
		if (rc)
			return rc;
	}
	return PGS_OK;
}

const struct rule rule_column_type_change = {
	.id = "column-type-change",
	.summary = "ALTER COLUMN ... TYPE changes what the running application reads and writes",
	.rationale =
		"Whatever it costs the database (alter-column-type-rewrite reports rewrites), changing a "
		"column's type changes what clients see: drivers decode the new type differently, int "
		"to bigint overflows 32-bit client integers, text to jsonb rejects input that was "
		"accepted, timestamp to timestamptz reinterprets values, and narrower types refuse "
		"writes that used to succeed. Widening the same type (varchar(20) to varchar(50), a "
		"larger numeric precision) and varchar or char to text are not reported. On every "
		"version.",
	.safe_alternative =
		"ALTER TABLE orders ADD COLUMN amount_cents bigint;\n"
		"-- write both columns, backfill in batches, move reads, then later:\n"
		"ALTER TABLE orders DROP COLUMN amount;",
	.bad_example = "ALTER TABLE orders ALTER COLUMN amount TYPE bigint;",
	.good_example = "ALTER TABLE users ALTER COLUMN name TYPE text;  -- was varchar(100)",
	.peers = "squawk: changing-column-type; strong_migrations: change_column; Eugene: E5",
	.example_setup =
		"CREATE TABLE orders (id bigint PRIMARY KEY, amount int);\n"
		"CREATE TABLE users (id bigint PRIMARY KEY, name varchar(100));",
	.default_severity = PGS_SEV_WARNING,
	.check = check,
};
