/*
 * naming.c - an example pgsafe plugin: naming conventions for indexes and
 * constraints.
 *
 * Names an operator reads in an error message or a lock graph should say
 * what the object is. This plugin holds explicit names to the pattern
 * PostgreSQL itself uses when it picks a name (ChooseRelationName and
 * ChooseConstraintName in indexcmds.c and pg_constraint.c):
 *
 *   index               <table>_<columns>_idx     orders_customer_id_created_at_idx
 *   primary key         <table>_pkey              orders_pkey
 *   unique constraint   <table>_<columns>_key     users_email_key
 *   foreign key         <table>_<columns>_fkey    orders_customer_id_fkey
 *   exclusion           <table>_<columns>_excl    bookings_room_id_during_excl
 *   check               <table>_<anything>_check  orders_total_check
 *
 * <table> is the table's name without its schema; <columns> are the key
 * columns joined by '_', and "expr" stands for an expression, as in
 * PostgreSQL. Where the columns are not written in the statement (an
 * exclusion constraint's elements, UNIQUE ... USING INDEX, a CHECK) only
 * the "<table>_" prefix and the suffix are checked. A name the pattern
 * would make longer than 63 bytes (NAMEDATALEN - 1) is not checked, since
 * PostgreSQL shortens such names its own way. Unnamed indexes and
 * constraints are left alone: PostgreSQL names them by this pattern.
 *
 * The pattern is fixed in this file on purpose; change it here (or copy
 * the plugin) to fit your project. The plugin uses only the parse tree and
 * the host's qualify() and report(): it is a walkthrough of the API as
 * much as a rule set (docs/plugins.md).
 */
#include <pgsafe_plugin.h>

#include <string.h>

#define NAME_MAX_BYTES 63   /* NAMEDATALEN - 1 */

/* The name in a String node, or NULL. */
static const char *string_of(const PgQuery__Node *n)
{
	return n && n->node_case == PG_QUERY__NODE__NODE_STRING ? n->string->sval : NULL;
}

/* The table part of a RangeVar: its name without the schema. */
static const char *table_of(const PgQuery__RangeVar *rv)
{
	return rv && rv->relname ? rv->relname : "";
}

/*
 * "<table>_<columns>_<suffix>" in the context's arena, from @n String
 * nodes (or, when @column is set, that one column), or NULL when out of
 * memory.
 */
static const char *expected_name(struct pgsafe_ctx *ctx, const char *table,
				 PgQuery__Node **cols, size_t n, const char *column,
				 const char *suffix)
{
	const char *name = ctx->api->format(ctx, "%s", table);
	if (column)
		name = name ? ctx->api->format(ctx, "%s_%s", name, column) : NULL;
	for (size_t i = 0; name && i < n; i++) {
		const char *c = string_of(cols[i]);
		name = ctx->api->format(ctx, "%s_%s", name, c ? c : "expr");
	}
	return name ? ctx->api->format(ctx, "%s_%s", name, suffix) : NULL;
}

/* Whether @name starts with "<table>_" and ends with "_<suffix>". */
static bool has_prefix_and_suffix(const char *name, const char *table, const char *suffix)
{
	size_t ln = strlen(name), lt = strlen(table), ls = strlen(suffix);
	return ln > lt + ls + 1 && !strncmp(name, table, lt) && name[lt] == '_' &&
	       name[ln - ls - 1] == '_' && !strcmp(name + ln - ls, suffix);
}

/* ---------------------------------------------------------------------
 * naming/index-name
 * ------------------------------------------------------------------- */

static int check_index_name(struct pgsafe_ctx *ctx)
{
	const struct pgsafe_api *api = ctx->api;
	const PgQuery__Node *n = api->stmt_node(ctx);
	if (!n || n->node_case != PG_QUERY__NODE__NODE_INDEX_STMT)
		return PGSAFE_OK;
	const PgQuery__IndexStmt *is = n->index_stmt;
	if (!is->idxname || !*is->idxname)
		return PGSAFE_OK;   /* PostgreSQL picks <table>_<columns>_idx itself */

	/* an index element is a column (name) or an expression */
	const char *table = table_of(is->relation);
	const char *want = api->format(ctx, "%s", table);
	for (size_t i = 0; want && i < is->n_index_params; i++) {
		const PgQuery__Node *p = is->index_params[i];
		const char *col = p->node_case == PG_QUERY__NODE__NODE_INDEX_ELEM &&
			p->index_elem->name && *p->index_elem->name ? p->index_elem->name : "expr";
		want = api->format(ctx, "%s_%s", want, col);
	}
	want = want ? api->format(ctx, "%s_idx", want) : NULL;
	if (!want)
		return PGSAFE_ERR_NOMEM;
	if (strlen(want) > NAME_MAX_BYTES || !strcmp(is->idxname, want))
		return PGSAFE_OK;

	struct pgsafe_finding f = PGSAFE_FINDING_INIT;
	f.message = api->format(ctx, "index \"%s\" does not follow the naming convention \"%s\"",
				is->idxname, want);
	f.help = api->format(ctx, "name it %s: <table>_<columns>_idx", want);
	f.relation = api->qualify(ctx, is->relation);
	f.lock = PGSAFE_LOCK_NONE;   /* the lock the statement takes on the table */
	if (!f.message || !f.help)
		return PGSAFE_ERR_NOMEM;
	return api->report(ctx, &f);
}

static const struct pgsafe_rule index_name = {
	.id = "naming/index-name",
	.summary = "an index name that is not <table>_<columns>_idx",
	.rationale =
		"Index names show up in error messages, lock waits (pg_locks, log_lock_waits) and "
		"query plans. A name of the form <table>_<columns>_idx, the one PostgreSQL "
		"chooses for an unnamed index, tells what the index covers without a catalog lookup, "
		"and keeps names unique across tables. This rule takes no lock and is about names only.",
	.safe_alternative =
		"CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);\n"
		"-- or rename an existing one (brief ACCESS EXCLUSIVE lock on the index):\n"
		"ALTER INDEX idx_orders_cust RENAME TO orders_customer_id_idx;",
	.bad_example = "CREATE INDEX CONCURRENTLY idx_orders_cust ON orders (customer_id);",
	.good_example = "CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);",
	.default_severity = PGSAFE_SEV_WARNING,
	.check = check_index_name,
};

/* ---------------------------------------------------------------------
 * naming/constraint-name
 * ------------------------------------------------------------------- */

/* The suffix PostgreSQL uses for a kind of constraint, or NULL for kinds without a name. */
static const char *suffix_of(PgQuery__ConstrType t)
{
	switch (t) {
	case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
		return "pkey";
	case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
		return "key";
	case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
		return "fkey";
	case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION:
		return "excl";
	case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
		return "check";
	default:
		return NULL;
	}
}

/*
 * Checks one named constraint of table @rv. @column is the column it is
 * written on (a column constraint), or NULL (a table constraint).
 */
static int check_constraint(struct pgsafe_ctx *ctx, const PgQuery__RangeVar *rv,
			    const PgQuery__Constraint *c, const char *column)
{
	const struct pgsafe_api *api = ctx->api;
	const char *suffix = suffix_of(c->contype);
	if (!suffix || !c->conname || !*c->conname)
		return PGSAFE_OK;
	const char *table = table_of(rv);

	/* the key columns, when the statement names them */
	PgQuery__Node **cols = NULL;
	size_t n = 0;
	bool known = true;
	switch (c->contype) {
	case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
		break;   /* <table>_pkey: no columns */
	case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
		cols = c->keys;
		n = c->n_keys;
		known = column || n;   /* USING INDEX names no columns */
		break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
		cols = c->fk_attrs;
		n = c->n_fk_attrs;
		known = column || n;
		break;
	default:
		known = false;         /* EXCLUDE elements and CHECK expressions */
		break;
	}

	const char *want;
	bool ok;
	if (known) {
		bool pkey = c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY;
		want = expected_name(ctx, table, cols, n, pkey ? NULL : column, suffix);
		if (!want)
			return PGSAFE_ERR_NOMEM;
		ok = strlen(want) > NAME_MAX_BYTES || !strcmp(c->conname, want);
	} else {
		want = api->format(ctx, "%s_..._%s", table, suffix);
		if (!want)
			return PGSAFE_ERR_NOMEM;
		ok = strlen(table) + strlen(suffix) + 3 > NAME_MAX_BYTES ||
		     has_prefix_and_suffix(c->conname, table, suffix);
	}
	if (ok)
		return PGSAFE_OK;

	struct pgsafe_finding f = PGSAFE_FINDING_INIT;
	f.message = api->format(ctx, "constraint \"%s\" does not follow the naming convention \"%s\"",
				c->conname, want);
	f.help = api->format(ctx, "name it %s: <table>_<columns>_<pkey|key|fkey|excl|check>", want);
	f.relation = api->qualify(ctx, rv);
	if (!f.message || !f.help)
		return PGSAFE_ERR_NOMEM;
	/* point at the constraint itself, when the tree knows where it is */
	if (c->location >= 0) {
		f.start = api->offset(ctx, c->location);
		f.end = f.start + strlen("CONSTRAINT");
		if (f.end > api->stmt_end(ctx))
			f.end = api->stmt_end(ctx);
	}
	return api->report(ctx, &f);
}

/* The constraints of a column definition. */
static int check_column(struct pgsafe_ctx *ctx, const PgQuery__RangeVar *rv,
			const PgQuery__ColumnDef *cd)
{
	for (size_t i = 0; i < cd->n_constraints; i++) {
		const PgQuery__Node *cn = cd->constraints[i];
		int rc;
		if (cn->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
		    (rc = check_constraint(ctx, rv, cn->constraint, cd->colname)))
			return rc;
	}
	return PGSAFE_OK;
}

/* A table element or an ALTER TABLE definition: a column or a constraint. */
static int check_element(struct pgsafe_ctx *ctx, const PgQuery__RangeVar *rv,
			 const PgQuery__Node *e)
{
	if (!e)
		return PGSAFE_OK;
	if (e->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
		return check_column(ctx, rv, e->column_def);
	if (e->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
		return check_constraint(ctx, rv, e->constraint, NULL);
	return PGSAFE_OK;
}

static int check_constraint_name(struct pgsafe_ctx *ctx)
{
	const PgQuery__Node *n = ctx->api->stmt_node(ctx);
	int rc;
	if (!n)
		return PGSAFE_OK;
	if (n->node_case == PG_QUERY__NODE__NODE_CREATE_STMT) {
		const PgQuery__CreateStmt *cs = n->create_stmt;
		for (size_t i = 0; i < cs->n_table_elts; i++)
			if ((rc = check_element(ctx, cs->relation, cs->table_elts[i])))
				return rc;
	} else if (n->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_STMT) {
		const PgQuery__AlterTableStmt *at = n->alter_table_stmt;
		for (size_t i = 0; i < at->n_cmds; i++) {
			const PgQuery__Node *cn = at->cmds[i];
			if (cn->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD)
				continue;
			const PgQuery__AlterTableCmd *cmd = cn->alter_table_cmd;
			if ((cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint ||
			     cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn) &&
			    (rc = check_element(ctx, at->relation, cmd->def)))
				return rc;
		}
	}
	return PGSAFE_OK;
}

static const struct pgsafe_rule constraint_name = {
	.id = "naming/constraint-name",
	.summary = "a constraint name that is not <table>_<columns>_<kind>",
	.rationale =
		"Constraint names appear in every violation error the application logs and in "
		"ALTER TABLE ... DROP/VALIDATE CONSTRAINT in later migrations. Names of the form "
		"<table>_<columns>_<kind> (kind: pkey, key, fkey, excl, check; a primary key is "
		"<table>_pkey), the ones PostgreSQL chooses for unnamed constraints, say which table, "
		"columns and kind of rule failed. This rule takes no lock and is about names only.",
	.safe_alternative =
		"ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey\n"
		"  FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;\n"
		"-- or rename an existing one:\n"
		"ALTER TABLE orders RENAME CONSTRAINT fk_cust TO orders_customer_id_fkey;",
	.bad_example =
		"ALTER TABLE orders ADD CONSTRAINT fk_cust\n"
		"  FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;",
	.good_example =
		"ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey\n"
		"  FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;",
	.default_severity = PGSAFE_SEV_WARNING,
	.check = check_constraint_name,
};

/* ---------------------------------------------------------------------
 * The manifest
 * ------------------------------------------------------------------- */

static const struct pgsafe_rule *const rules[] = { &constraint_name, &index_name };

static const struct pgsafe_plugin manifest = {
	PGSAFE_PLUGIN_VERSIONS,
	.name = "naming",
	.version = "1.0.0",
	.summary = "index and constraint names follow PostgreSQL's own <table>_<columns>_<kind> pattern",
	.rules = rules,
	.n_rules = sizeof(rules) / sizeof(rules[0]),
};

const struct pgsafe_plugin *pgsafe_plugin_manifest(void)
{
	return &manifest;
}
