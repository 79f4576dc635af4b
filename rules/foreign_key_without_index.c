/*
 * foreign-key-without-index: a foreign key whose columns lead no index.
 *
 * PostgreSQL indexes the referenced side of a foreign key (it needs a
 * unique index there) but not the referencing side. Without an index
 * whose leading columns are the foreign key's, every DELETE or key UPDATE
 * on the referenced table reads the whole referencing table to check (or
 * cascade to) its rows, holding locks meanwhile. Checked after the file's
 * last statement against the catalog as the file leaves it, so an index
 * created later in the same file counts. Tables whose indexes pgsafe
 * cannot know (seen only through ALTER TABLE) are skipped. (ri_triggers.c
 * RI_FKey_noaction_del / ri_restrict: the check query on the referencing
 * table; docs: "Foreign Keys", 5.4.5.)
 */
#include "rule.h"

#include <string.h>

struct fk {
	const char *table;
	const char *const *cols;
	size_t n_cols;
	size_t offset;
	const char *ref;
};

static bool index_covers(const struct schema *sc, const struct fk *k)
{
	for (size_t i = 0; i < sc->n_indexes; i++) {
		const struct sm_index *ix = &sc->indexes[i];
		if (strcmp(ix->table, k->table) || ix->n_columns < k->n_cols)
			continue;
		bool all = true;
		for (size_t c = 0; c < k->n_cols && all; c++) {
			bool found = false;
			for (size_t j = 0; j < k->n_cols; j++)
				if (!strcmp(ix->columns[j], k->cols[c]))
					found = true;
			all = found;
		}
		if (all)
			return true;
	}
	return false;
}

static int report(struct rule_ctx *ctx, const struct fk *k)
{
	const struct sm_table *t = schema_table(ctx->schema, k->table);
	if (!t || t->stub || !k->n_cols || index_covers(ctx->schema, k))
		return PGS_OK;
	const char *cols = "";
	for (size_t i = 0; i < k->n_cols; i++)
		cols = rule_printf(ctx, "%s%s%s", cols, i ? ", " : "", k->cols[i]);
	const char *bare = strchr(k->table, '.') ? strchr(k->table, '.') + 1 : k->table;
	struct finding f = {
		.start = k->offset, .end = k->offset + 1,
		.message = rule_printf(ctx,
			"foreign key (%s) of table \"%s\" has no index on its columns: every DELETE or key UPDATE on \"%s\" reads all of \"%s\"",
			cols, k->table, k->ref ? k->ref : "the referenced table", k->table),
		.help = rule_printf(ctx, "CREATE INDEX CONCURRENTLY %s_%s_idx ON %s (%s);", bare,
				    k->cols[0], k->table, cols),
	};
	/* underline the word at the offset */
	size_t e = k->offset;
	while (e < ctx->src->len && ctx->src->text[e] != ' ' && ctx->src->text[e] != '\n' &&
	       ctx->src->text[e] != '(' && ctx->src->text[e] != ',' && ctx->src->text[e] != ';')
		e++;
	if (e > k->offset)
		f.end = e;
	return rule_report(ctx, &f);
}

static const char *const *names(struct rule_ctx *ctx, PgQuery__Node **items, size_t n)
{
	const char **out = arena_alloc(ctx->arena, (n + 1) * sizeof(*out));
	for (size_t i = 0; out && i < n; i++)
		out[i] = node_string(items[i]) ? node_string(items[i]) : "?";
	return out;
}

static int from_constraint(struct rule_ctx *ctx, const struct analyzed_stmt *e, const char *table,
			   const PgQuery__Constraint *con, const char *column)
{
	if (con->contype != PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN)
		return PGS_OK;
	struct fk k = {
		.table = table, .offset = e->st->loc_base + (size_t)(con->location >= 0 ? con->location : 0),
		.ref = schema_qualify(ctx->schema, ctx->arena, con->pktable),
	};
	if (column) {
		const char **one = arena_alloc(ctx->arena, sizeof(*one));
		if (!one)
			return PGS_ERR_NOMEM;
		one[0] = column;
		k.cols = one;
		k.n_cols = 1;
	} else {
		k.cols = names(ctx, con->fk_attrs, con->n_fk_attrs);
		k.n_cols = k.cols ? con->n_fk_attrs : 0;
	}
	return report(ctx, &k);
}

static int column_fks(struct rule_ctx *ctx, const struct analyzed_stmt *e, const char *table,
		      const PgQuery__ColumnDef *cd)
{
	for (size_t k = 0; k < cd->n_constraints; k++) {
		if (!RULE_NODE(cd->constraints[k], CONSTRAINT))
			continue;
		int rc = from_constraint(ctx, e, table, cd->constraints[k]->constraint, cd->colname);
		if (rc)
			return rc;
	}
	return PGS_OK;
}

static int finish(struct rule_ctx *ctx)
{
	for (size_t i = 0; i < ctx->n_stmts; i++) {
		const struct analyzed_stmt *e = &ctx->stmts[i];
		const PgQuery__Node *n = e->st->status == STMT_PARSED ? e->st->node : NULL;
		int rc = PGS_OK;
		if (RULE_NODE(n, CREATE_STMT)) {
			const char *table = schema_qualify(ctx->schema, ctx->arena, n->create_stmt->relation);
			for (size_t k = 0; !rc && table && k < n->create_stmt->n_table_elts; k++) {
				const PgQuery__Node *el = n->create_stmt->table_elts[k];
				if (RULE_NODE(el, CONSTRAINT))
					rc = from_constraint(ctx, e, table, el->constraint, NULL);
				else if (RULE_NODE(el, COLUMN_DEF))
					rc = column_fks(ctx, e, table, el->column_def);
			}
		} else if (RULE_NODE(n, ALTER_TABLE_STMT)) {
			const char *table = schema_qualify(ctx->schema, ctx->arena, n->alter_table_stmt->relation);
			for (size_t k = 0; !rc && table && k < n->alter_table_stmt->n_cmds; k++) {
				const PgQuery__Node *c = n->alter_table_stmt->cmds[k];
				if (!RULE_NODE(c, ALTER_TABLE_CMD))
					continue;
				if (RULE_NODE(c->alter_table_cmd->def, CONSTRAINT))
					rc = from_constraint(ctx, e, table, c->alter_table_cmd->def->constraint, NULL);
				else if (RULE_NODE(c->alter_table_cmd->def, COLUMN_DEF) &&
					 c->alter_table_cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType)
					rc = column_fks(ctx, e, table, c->alter_table_cmd->def->column_def);
			}
		}
		if (rc)
			return rc;
	}
	return PGS_OK;
}

const struct rule rule_foreign_key_without_index = {
	.id = "foreign-key-without-index",
	.summary = "a foreign key's columns lead no index, so deletes on the referenced table scan this one",
	.rationale =
		"PostgreSQL requires a unique index on the referenced columns of a foreign key, but "
		"none on the referencing ones. Without an index whose leading columns are the foreign "
		"key's, every DELETE (and every key UPDATE) on the referenced table reads the whole "
		"referencing table to find, check or cascade to its rows, while holding row locks; "
		"deleting many parents becomes quadratic. An index created later in the same file "
		"counts. A convention, so a hint. On every version.",
	.safe_alternative =
		"CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id));\n"
		"CREATE INDEX orders_customer_id_idx ON orders (customer_id);",
	.bad_example = "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id));",
	.good_example =
		"CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id));\n"
		"CREATE INDEX orders_customer_id_idx ON orders (customer_id);",
	.peers = "strong_migrations: add_reference adds the index by default; squawk: none",
	.default_severity = PGS_SEV_HINT,
	.finish = finish,
};
