/*
 * column_types.c - shared walk of the columns a statement defines or
 * retypes, for the data-type hygiene rules (column_types.h).
 */
#include "column_types.h"

#include <string.h>

const char *column_type_name(const PgQuery__TypeName *tn, bool *catalog)
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

/* The type's text: from its location to the end of its name and typmods. */
static void type_span(const struct rule_ctx *ctx, const PgQuery__ColumnDef *cd, size_t *start, size_t *end)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const char *t = ctx->src->text;
	size_t at = s->st->loc_base + (size_t)(cd->type_name && cd->type_name->location >= 0 ?
					       cd->type_name->location : (cd->location >= 0 ? cd->location : 0));
	size_t e = at;
	while (e < s->st->end && t[e] != ',' && t[e] != '\n' && t[e] != ')' && t[e] != ';' && t[e] != ' ')
		e++;
	if (e < s->st->end && t[e] == '(') {
		while (e < s->st->end && t[e] != ')')
			e++;
		e++;
	}
	*start = at;
	*end = e > at ? e : at + 1;
}

static int report(struct rule_ctx *ctx, const char *table, const PgQuery__ColumnDef *cd,
		  column_message_fn message, const char *help)
{
	struct finding f = { .relation = table, .help = help };
	type_span(ctx, cd, &f.start, &f.end);
	f.message = message(ctx, cd->colname ? cd->colname : "?", table);
	return rule_report(ctx, &f);
}

int report_column_types(struct rule_ctx *ctx, bool (*matches)(const PgQuery__TypeName *tn),
			column_message_fn message, const char *help)
{
	const PgQuery__Node *n = ctx->stmt->st->node;
	int rc;
	if (RULE_NODE(n, CREATE_STMT)) {
		const char *table = schema_qualify(ctx->schema, ctx->arena, n->create_stmt->relation);
		for (size_t i = 0; table && i < n->create_stmt->n_table_elts; i++) {
			const PgQuery__Node *e = n->create_stmt->table_elts[i];
			if (RULE_NODE(e, COLUMN_DEF) && matches(e->column_def->type_name) &&
			    (rc = report(ctx, table, e->column_def, message, help)))
				return rc;
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
			const PgQuery__ColumnDef *cd = c->alter_table_cmd->def->column_def;
			if (!matches(cd->type_name))
				continue;
			/* ALTER COLUMN ... TYPE carries the column's name on the command */
			PgQuery__ColumnDef named = *cd;
			if (!named.colname || !*named.colname)
				named.colname = c->alter_table_cmd->name;
			if ((rc = report(ctx, table, &named, message, help)))
				return rc;
		}
	}
	return PGS_OK;
}
