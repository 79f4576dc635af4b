/*
 * drop-table: DROP TABLE on a table in use.
 *
 * Dropping a table deletes its data for good and breaks every query of
 * the running application that still uses it; it also takes ACCESS
 * EXCLUSIVE on the table (and on tables its foreign keys reference, see
 * drop-locks-referenced-table). (tablecmds.c RemoveRelations; docs: DROP
 * TABLE.)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const PgQuery__Node *n = s->st->node;
	if (!RULE_NODE(n, DROP_STMT) || n->drop_stmt->remove_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
		return PGS_OK;
	for (size_t i = 0; i < n->drop_stmt->n_objects; i++) {
		const PgQuery__Node *o = n->drop_stmt->objects[i];
		if (!RULE_NODE(o, LIST))
			continue;
		const char *rel = schema_qualify_list(ctx->schema, ctx->arena, o->list->items, o->list->n_items);
		if (!rel || rule_table_is_new(ctx, rel))
			continue;
		struct finding f = {
			.relation = rel,
			.message = rule_printf(ctx,
				"dropping table \"%s\" deletes its rows for good and breaks application code still running that uses it",
				rel),
			.help = "first deploy code that no longer uses the table, then drop it in a later "
				"migration (renaming it aside first gives a way back)",
		};
		int rc = rule_report(ctx, &f);
		if (rc)
			return rc;
	}
	return PGS_OK;
}

const struct rule rule_drop_table = {
	.id = "drop-table",
	.summary = "DROP TABLE deletes data and breaks application code that still uses the table",
	.rationale =
		"DROP TABLE removes the table and its rows for good, under ACCESS EXCLUSIVE. Every query "
		"of the running application that still uses the table fails from that moment, and "
		"nothing brings the data back but a restore. The table must leave the code before it "
		"leaves the database. On every version.",
	.safe_alternative =
		"-- release 1: the application stops using legacy_events\n"
		"-- release 2:\n"
		"ALTER TABLE legacy_events RENAME TO legacy_events_retired;  -- a way back for a while\n"
		"-- release 3:\n"
		"DROP TABLE legacy_events_retired;",
	.bad_example = "DROP TABLE legacy_events;",
	.good_example =
		"CREATE TABLE tmp_import (id bigint);\n"
		"DROP TABLE tmp_import;  -- created in this migration",
	.peers = "squawk: ban-drop-table",
	.default_severity = PGS_SEV_WARNING,
	.check = check,
};
