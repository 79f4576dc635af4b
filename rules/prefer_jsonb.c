/*
 * prefer-jsonb: json where jsonb would do.
 *
 * json has no equality operator (DISTINCT, GROUP BY, UNION fail) and is
 * reparsed on every access; jsonb is binary, comparable and indexable.
 * (docs: "JSON Types", 8.14.)
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
	return t && !strcmp(t, "json");
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
		.message = rule_printf(ctx, "column \"%s\" of table \"%s\" is json: it has no equality operator (SELECT DISTINCT, GROUP BY and UNION fail on it) and is reparsed on every access", cd->colname ? cd->colname : "?", table),
		.help = "use jsonb: binary, indexable (GIN), comparable; json only keeps key order, duplicate keys and whitespace",
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

const struct rule rule_prefer_jsonb = {
	.id = "prefer-jsonb",
	.summary = "json where jsonb would do",
	.rationale =
		"json stores the text as written and reparses it on every access; it has no equality "
		"operator, so SELECT DISTINCT, GROUP BY, UNION and = on the column fail, and it cannot "
		"have a GIN index. jsonb stores a parsed binary form that supports all of these. json "
		"is only needed to keep key order, duplicate keys or whitespace. A convention, so a "
		"hint. On every version.",
	.safe_alternative =
		"CREATE TABLE events (id bigint, payload jsonb);",
	.bad_example = "CREATE TABLE events (id bigint, payload json);",
	.good_example = "CREATE TABLE events (id bigint, payload jsonb);",
	.peers = "strong_migrations: add_column_json; Eugene: E3",
	.default_severity = PGS_SEV_HINT,
	.check = check,
};
