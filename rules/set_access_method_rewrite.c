/*
 * set-access-method-rewrite: ALTER TABLE ... SET ACCESS METHOD.
 *
 * Changing a table's access method (PostgreSQL 15 and later) rewrites the
 * table into the new format and rebuilds its indexes while ACCESS
 * EXCLUSIVE is held: reads and writes wait for the whole rewrite.
 * Setting the method the table already has does nothing, and the lock
 * model says so. (tablecmds.c ATPrepSetAccessMethod,
 * AT_REWRITE_ACCESS_METHOD, PG 15; docs: ALTER TABLE, SET ACCESS METHOD.)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	for (size_t i = 0; i < s->fx.n_notes; i++) {
		const struct effect_note *n = &s->fx.notes[i];
		if (n->cause != CAUSE_SET_ACCESS_METHOD || rule_table_is_new(ctx, n->relation))
			continue;
		enum pgs_lock_mode m = effects_lock_on(&s->fx, n->relation);
		struct finding f = {
			.relation = n->relation,
			.message = rule_printf(ctx,
				"changing the access method of table \"%s\" to \"%s\" rewrites the table and its indexes under %s",
				n->relation, n->detail ? n->detail : "?", pgs_lock_mode_sql(m)),
			.help = "create a new table with the wanted access method (CREATE TABLE ... USING), "
				"copy the rows in batches while a trigger keeps it in step, then swap the names "
				"in one short transaction",
		};
		return rule_report(ctx, &f);
	}
	return PGS_OK;
}

const struct rule rule_set_access_method_rewrite = {
	.id = "set-access-method-rewrite",
	.summary = "SET ACCESS METHOD rewrites the table under ACCESS EXCLUSIVE",
	.rationale =
		"ALTER TABLE ... SET ACCESS METHOD (PostgreSQL 15 and later) takes ACCESS EXCLUSIVE, "
		"which blocks reads and writes, and rewrites every row into the new access method's "
		"format, rebuilding every index, before it releases the lock. Naming the method the "
		"table already uses does nothing.",
	.safe_alternative =
		"CREATE TABLE events_new (LIKE events INCLUDING ALL) USING columnar;\n"
		"-- copy in batches, a trigger copies new writes; then, in one short transaction:\n"
		"ALTER TABLE events RENAME TO events_old;\n"
		"ALTER TABLE events_new RENAME TO events;",
	.bad_example = "ALTER TABLE events SET ACCESS METHOD columnar;",
	.good_example =
		"CREATE TABLE metrics (ts timestamptz, value float8);\n"
		"ALTER TABLE metrics SET ACCESS METHOD columnar;  -- created in this migration: empty",
	.peers = "Eugene: E10 (rewrote table while holding a dangerous lock)",
	.default_severity = PGS_SEV_ERROR,
	.min_pg_version = 15,
	.check = check,
};
