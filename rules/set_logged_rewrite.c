/*
 * set-logged-rewrite: ALTER TABLE ... SET LOGGED / SET UNLOGGED.
 *
 * Changing a table's persistence writes a new copy of the table and its
 * indexes (a new relfilenode, and for SET LOGGED every page goes through
 * the WAL) while ACCESS EXCLUSIVE is held, so reads and writes wait for
 * the whole copy. An UNLOGGED table is also emptied after a crash and is
 * not sent to streaming replicas. (tablecmds.c ATPrepChangePersistence,
 * AT_REWRITE_ALTER_PERSISTENCE; AlterTableGetLockLevel; docs: ALTER TABLE,
 * SET LOGGED / UNLOGGED.)
 */
#include "rule.h"

/* "SET LOGGED" or "SET UNLOGGED", as written in the statement. */
static const char *which(const struct analyzed_stmt *s)
{
	const PgQuery__Node *n = s->st->node;
	if (!RULE_NODE(n, ALTER_TABLE_STMT))
		return "SET LOGGED";
	for (size_t i = 0; i < n->alter_table_stmt->n_cmds; i++) {
		const PgQuery__Node *c = n->alter_table_stmt->cmds[i];
		if (RULE_NODE(c, ALTER_TABLE_CMD) &&
		    c->alter_table_cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_SetUnLogged)
			return "SET UNLOGGED";
	}
	return "SET LOGGED";
}

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	for (size_t i = 0; i < s->fx.n_notes; i++) {
		const struct effect_note *n = &s->fx.notes[i];
		if (n->cause != CAUSE_SET_LOGGED || rule_table_is_new(ctx, n->relation))
			continue;
		enum pgs_lock_mode m = effects_lock_on(&s->fx, n->relation);
		struct finding f = {
			.relation = n->relation,
			.message = rule_printf(ctx,
				"%s rewrites table \"%s\" and its indexes under %s: %s wait for the whole copy",
				which(s), n->relation, pgs_lock_mode_sql(m), pgs_lock_blocks_text(m)),
			.help = "choose the persistence when the table is created; to change it on a table "
				"in use, build a new table with the wanted persistence, copy the rows in "
				"batches (a trigger keeps it in step), then swap the names in one short "
				"transaction",
		};
		return rule_report(ctx, &f);
	}
	return PGS_OK;
}

const struct rule rule_set_logged_rewrite = {
	.id = "set-logged-rewrite",
	.summary = "SET LOGGED / SET UNLOGGED rewrites the table under ACCESS EXCLUSIVE",
	.rationale =
		"ALTER TABLE ... SET LOGGED and SET UNLOGGED take ACCESS EXCLUSIVE, which blocks reads "
		"and writes, and write a complete new copy of the table and its indexes (SET LOGGED "
		"also sends every page through the WAL, which replicas must replay). Nothing can use "
		"the table until the copy is done. An UNLOGGED table is also emptied after a crash and "
		"is not replicated. On every version.",
	.safe_alternative =
		"CREATE TABLE events_logged (LIKE events INCLUDING ALL);  -- the wanted persistence\n"
		"-- a trigger on events copies new writes; copy old rows in batches:\n"
		"INSERT INTO events_logged SELECT * FROM events WHERE id BETWEEN $1 AND $2;\n"
		"-- then, in one short transaction:\n"
		"ALTER TABLE events RENAME TO events_old;\n"
		"ALTER TABLE events_logged RENAME TO events;",
	.bad_example = "ALTER TABLE events SET LOGGED;",
	.good_example =
		"CREATE UNLOGGED TABLE import_batch (id bigint, payload text);\n"
		"ALTER TABLE import_batch SET LOGGED;  -- created in this migration: empty",
	.peers = "Eugene: E10 (rewrote table while holding a dangerous lock)",
	.default_severity = PGS_SEV_ERROR,
	.check = check,
};
