/*
 * prefer-identity: a serial column where an identity column would do.
 *
 * serial is shorthand for an integer column whose DEFAULT is nextval() of
 * a sequence the table owns loosely (separate permissions, shared by
 * CREATE TABLE ... LIKE, bypassed by explicit values). Identity columns
 * (SQL standard, PostgreSQL 10 and later) bind the sequence to the column.
 * (docs: CREATE TABLE, GENERATED AS IDENTITY; "Numeric Types", serial.)
 */
#include "rule.h"

#include <string.h>

/* The type's own name, as the parser spells it ("int4", "serial", "json", ...). */
static const char *type_name(const PgQuery__TypeName *tn, bool *catalog)
{
	*catalog = false;
	if (!tn || !tn->n_names)
		return NULL;
	if (tn->n_names == 2) {
		const char *s = node_string(tn->names[0]);
		*catalog = s && !strcmp(s, "pg_catalog");
	}
	return node_string(tn->names[tn->n_names - 1]);
}

static bool matches(const PgQuery__TypeName *tn)
{
	bool catalog;
	const char *t = type_name(tn, &catalog);
	(void)catalog;
	return t && (!strcmp(t, "serial") || !strcmp(t, "serial4") || !strcmp(t, "bigserial") ||
		     !strcmp(t, "serial8") || !strcmp(t, "smallserial") || !strcmp(t, "serial2"));
}

static int report(struct rule_ctx *ctx, const char *table, const PgQuery__ColumnDef *cd)
{
	const struct analyzed_stmt *s = ctx->stmt;
	size_t at = s->st->loc_base + (size_t)(cd->type_name && cd->type_name->location >= 0 ?
					       cd->type_name->location : (cd->location >= 0 ? cd->location : 0));
	size_t end = at;
	while (end < s->st->end && ctx->src->text[end] != ',' && ctx->src->text[end] != '\n' &&
	       ctx->src->text[end] != ')' && ctx->src->text[end] != ';' && ctx->src->text[end] != ' ')
		end++;
	if (end < s->st->end && ctx->src->text[end] == '(') {
		while (end < s->st->end && ctx->src->text[end] != ')')
			end++;
		end++;
	}
	struct finding f = {
		.start = at, .end = end > at ? end : at + 1, .relation = table,
		.message = rule_printf(ctx, "column \"%s\" of table \"%s\" is serial: an identity column is the standard form, and its sequence follows the table", cd->colname ? cd->colname : "?", table),
		.help = "use GENERATED ALWAYS AS IDENTITY (or BY DEFAULT) with bigint: id bigint GENERATED ALWAYS AS IDENTITY",
	};
	return rule_report(ctx, &f);
}

static int check(struct rule_ctx *ctx)
{
	const PgQuery__Node *n = ctx->stmt->st->node;
	if (RULE_NODE(n, CREATE_STMT)) {
		const char *table = schema_qualify(ctx->schema, ctx->arena, n->create_stmt->relation);
		for (size_t i = 0; table && i < n->create_stmt->n_table_elts; i++) {
			const PgQuery__Node *e = n->create_stmt->table_elts[i];
			if (RULE_NODE(e, COLUMN_DEF) && matches(e->column_def->type_name)) {
				int rc = report(ctx, table, e->column_def);
				if (rc)
					return rc;
			}
		}
	} else if (RULE_NODE(n, ALTER_TABLE_STMT)) {
		const char *table = schema_qualify(ctx->schema, ctx->arena, n->alter_table_stmt->relation);
		for (size_t i = 0; table && i < n->alter_table_stmt->n_cmds; i++) {
			const PgQuery__Node *c = n->alter_table_stmt->cmds[i];
			if (!RULE_NODE(c, ALTER_TABLE_CMD) || !RULE_NODE(c->alter_table_cmd->def, COLUMN_DEF))
				continue;
			PgQuery__AlterTableType st = c->alter_table_cmd->subtype;
			if (st != PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn &&
			    st != PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumnRecurse &&
			    st != PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType)
				continue;
			PgQuery__ColumnDef *cd = c->alter_table_cmd->def->column_def;
			if (!matches(cd->type_name))
				continue;
			/* ALTER COLUMN ... TYPE carries the column's name on the command */
			PgQuery__ColumnDef named = *cd;
			if (!named.colname || !*named.colname)
				named.colname = c->alter_table_cmd->name;
			int rc = report(ctx, table, &named);
			if (rc)
				return rc;
		}
	}
	return PGS_OK;
}

const struct rule rule_prefer_identity = {
	.id = "prefer-identity",
	.summary = "serial, bigserial or smallserial where an identity column would do",
	.rationale =
		"serial is shorthand for an integer column with a DEFAULT nextval() of a sequence that "
		"the table owns loosely: permissions on the sequence are separate, copying the table "
		"with CREATE TABLE ... LIKE shares the sequence, and nothing stops inserts that bypass "
		"it. Identity columns (SQL standard, PostgreSQL 10 and later) tie the sequence to the "
		"column, and GENERATED ALWAYS refuses explicit values unless asked. A convention, so a "
		"hint. On every version.",
	.safe_alternative =
		"CREATE TABLE orders (\n"
		"  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
		"  total numeric\n"
		");",
	.bad_example = "CREATE TABLE orders (id bigserial PRIMARY KEY, total numeric);",
	.good_example = "CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, total numeric);",
	.peers = "squawk: prefer-identity",
	.default_severity = PGS_SEV_HINT,
	.check = check,
};
