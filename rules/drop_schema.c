/*
 * drop-schema: DROP SCHEMA in a migration.
 *
 * DROP SCHEMA ... CASCADE drops every table, view, function and type in
 * the schema, with their data; without CASCADE it fails unless the schema
 * is empty. Code still running that uses objects in it breaks.
 * (dependency.c performDeletion; docs: DROP SCHEMA.)
 */
#include "rule.h"

#include <string.h>

static int check(struct rule_ctx *ctx)
{
	const PgQuery__Node *n = ctx->stmt->st->node;
	if (!RULE_NODE(n, DROP_STMT) || n->drop_stmt->remove_type != PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA)
		return PGS_OK;
	const PgQuery__DropStmt *d = n->drop_stmt;
	bool cascade = d->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
	for (size_t i = 0; i < d->n_objects; i++) {
		const char *name = node_string(d->objects[i]);
		if (!name)
			continue;
		/* a schema whose every table this file created holds nothing in use */
		bool existing = false, any = false;
		size_t l = strlen(name);
		for (size_t k = 0; k < ctx->schema->n_tables; k++) {
			const struct sm_table *t = ctx->schema->tables[k];
			if (strncmp(t->name, name, l) || t->name[l] != '.')
				continue;
			any = true;
			if (!rule_table_is_new(ctx, t->name))
				existing = true;
		}
		if (any && !existing)
			continue;
		struct finding f = {
			.message = cascade ?
				rule_printf(ctx, "DROP SCHEMA \"%s\" CASCADE drops every table, view and function in it, with their data", name) :
				rule_printf(ctx, "dropping schema \"%s\" breaks code still running that uses it (and fails unless it is empty)", name),
			.help = "first deploy code that no longer uses the schema; drop its objects one by one "
				"(each reviewed) instead of CASCADE",
		};
		int rc = rule_report(ctx, &f);
		if (rc)
			return rc;
	}
	return PGS_OK;
}

const struct rule rule_drop_schema = {
	.id = "drop-schema",
	.summary = "DROP SCHEMA removes everything in the schema, or breaks code that uses it",
	.rationale =
		"DROP SCHEMA ... CASCADE drops every object in the schema (tables with their data, "
		"views, functions, types) under ACCESS EXCLUSIVE locks; without CASCADE it fails "
		"unless the schema is empty. Either way code still using the schema breaks. A schema "
		"whose every table was created in the same migration is not reported. On every "
		"version.",
	.safe_alternative =
		"-- after the application stops using the schema, drop what is in it explicitly:\n"
		"DROP TABLE reporting.daily_totals;\n"
		"DROP SCHEMA reporting;  -- fails if anything is left: nothing silently goes",
	.bad_example = "DROP SCHEMA reporting CASCADE;",
	.good_example =
		"CREATE SCHEMA scratch;\n"
		"CREATE TABLE scratch.t (id bigint);\n"
		"DROP SCHEMA scratch CASCADE;  -- everything in it was created in this migration",
	.peers = "squawk: ban-drop-schema (in versions after 2.66)",
	.default_severity = PGS_SEV_WARNING,
	.check = check,
};
