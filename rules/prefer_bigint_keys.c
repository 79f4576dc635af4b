/*
 * prefer-bigint-keys: a key column of type integer or smallint.
 *
 * A primary key, identity or serial column, or a foreign key column, of
 * type integer (int4, at most 2^31 - 1) or smallint (int2, 32767) runs
 * out of values on a busy table, and widening it later is
 * ALTER COLUMN ... TYPE bigint: a rewrite of the table and of every
 * table referencing it, under ACCESS EXCLUSIVE. bigint costs four more
 * bytes per row. (docs: "Numeric Types", 8.1; ALTER TABLE.)
 */
#include "rule.h"

#include <string.h>

static const char *small_int(const PgQuery__TypeName *tn)
{
	const char *t = tn && tn->n_names ? node_string(tn->names[tn->n_names - 1]) : NULL;
	if (!t || tn->n_array_bounds)
		return NULL;
	if (!strcmp(t, "int4") || !strcmp(t, "serial") || !strcmp(t, "serial4"))
		return "integer";
	if (!strcmp(t, "int2") || !strcmp(t, "smallserial") || !strcmp(t, "serial2"))
		return "smallint";
	return NULL;
}

static bool name_in_keys(const char *col, PgQuery__Node **keys, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *k = node_string(keys[i]);
		if (k && col && !strcmp(k, col))
			return true;
	}
	return false;
}

/* Why @cd is a key column ("primary key", ...), from its own and the table's constraints. */
static const char *key_role(const PgQuery__ColumnDef *cd, PgQuery__Node **elts, size_t n_elts)
{
	const char *t = cd->type_name && cd->type_name->n_names ?
		node_string(cd->type_name->names[cd->type_name->n_names - 1]) : NULL;
	for (size_t i = 0; i < cd->n_constraints; i++) {
		if (!RULE_NODE(cd->constraints[i], CONSTRAINT))
			continue;
		switch (cd->constraints[i]->constraint->contype) {
		case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY: return "primary key";
		case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY: return "identity column";
		case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN: return "foreign key";
		default: break;
		}
	}
	if (t && strstr(t, "serial"))
		return "serial column";
	for (size_t i = 0; i < n_elts; i++) {
		if (!RULE_NODE(elts[i], CONSTRAINT))
			continue;
		const PgQuery__Constraint *c = elts[i]->constraint;
		if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY && name_in_keys(cd->colname, c->keys, c->n_keys))
			return "primary key";
		if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN &&
		    name_in_keys(cd->colname, c->fk_attrs, c->n_fk_attrs))
			return "foreign key";
	}
	return NULL;
}

static int report(struct rule_ctx *ctx, const char *table, const PgQuery__ColumnDef *cd,
		  const char *role, const char *type)
{
	const struct analyzed_stmt *s = ctx->stmt;
	int32_t loc = cd->type_name && cd->type_name->location >= 0 ? cd->type_name->location : cd->location;
	size_t at = s->st->loc_base + (size_t)(loc >= 0 ? loc : 0);
	struct finding f = {
		.start = at, .end = at + 1, .relation = table,
		.message = rule_printf(ctx,
			"%s column \"%s\" of table \"%s\" is %s: it runs out at %s, and widening it later rewrites this table and every table that references it",
			role, cd->colname ? cd->colname : "?", table, type,
			!strcmp(type, "integer") ? "2147483647" : "32767"),
		.help = "use bigint (bigint GENERATED ALWAYS AS IDENTITY for generated keys); foreign keys "
			"should match the referenced column's type",
	};
	/* underline the type name */
	size_t e = at;
	while (e < s->st->end && (ctx->src->text[e] == '_' || (ctx->src->text[e] | 0x20) >= 'a') &&
	       (ctx->src->text[e] | 0x20) <= 'z')
		e++;
	if (e > at)
		f.end = e;
	return rule_report(ctx, &f);
}

static int check(struct rule_ctx *ctx)
{
	const PgQuery__Node *n = ctx->stmt->st->node;
	if (RULE_NODE(n, CREATE_STMT)) {
		const PgQuery__CreateStmt *cs = n->create_stmt;
		const char *table = schema_qualify(ctx->schema, ctx->arena, cs->relation);
		for (size_t i = 0; table && i < cs->n_table_elts; i++) {
			if (!RULE_NODE(cs->table_elts[i], COLUMN_DEF))
				continue;
			const PgQuery__ColumnDef *cd = cs->table_elts[i]->column_def;
			const char *type = small_int(cd->type_name);
			const char *role = type ? key_role(cd, cs->table_elts, cs->n_table_elts) : NULL;
			int rc = role ? report(ctx, table, cd, role, type) : PGS_OK;
			if (rc)
				return rc;
		}
	} else if (RULE_NODE(n, ALTER_TABLE_STMT)) {
		const char *table = schema_qualify(ctx->schema, ctx->arena, n->alter_table_stmt->relation);
		for (size_t i = 0; table && i < n->alter_table_stmt->n_cmds; i++) {
			const PgQuery__Node *c = n->alter_table_stmt->cmds[i];
			if (!RULE_NODE(c, ALTER_TABLE_CMD) || !RULE_NODE(c->alter_table_cmd->def, COLUMN_DEF) ||
			    (c->alter_table_cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn &&
			     c->alter_table_cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumnRecurse))
				continue;
			const PgQuery__ColumnDef *cd = c->alter_table_cmd->def->column_def;
			const char *type = small_int(cd->type_name);
			const char *role = type ? key_role(cd, NULL, 0) : NULL;
			int rc = role ? report(ctx, table, cd, role, type) : PGS_OK;
			if (rc)
				return rc;
		}
	}
	return PGS_OK;
}

const struct rule rule_prefer_bigint_keys = {
	.id = "prefer-bigint-keys",
	.summary = "a primary key, identity, serial or foreign key column of type integer or smallint",
	.rationale =
		"integer keys stop at 2147483647 and smallint at 32767; a busy table (or a sequence that "
		"skips values on rollbacks and caching) reaches that sooner than expected, and inserts "
		"then fail. Widening later is ALTER COLUMN ... TYPE bigint, which rewrites the table "
		"and every table whose foreign keys reference it, under ACCESS EXCLUSIVE. bigint costs "
		"four more bytes per row. Non-key integer columns are not reported. A convention, so a "
		"hint. On every version.",
	.safe_alternative =
		"CREATE TABLE orders (\n"
		"  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
		"  customer_id bigint REFERENCES customers (id)\n"
		");",
	.bad_example = "CREATE TABLE orders (id serial PRIMARY KEY, customer_id int REFERENCES customers (id));",
	.good_example = "CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, quantity int);",
	.peers = "squawk: prefer-bigint-over-int, prefer-bigint-over-smallint (every column, not only keys)",
	.default_severity = PGS_SEV_HINT,
	.check = check,
};
