/*
 * drop-locks-referenced-table: dropping a table or a foreign key locks the table it references.
 *
 * A foreign key is enforced by triggers on both tables. Dropping it, or
 * dropping the table that has it, removes the triggers on the referenced
 * table too, which takes ACCESS EXCLUSIVE on that table: its reads and
 * writes wait, and the drop waits behind every running query on it. The
 * referenced table is often the busiest one (users, accounts). (tablecmds.c
 * RemoveRelations and ATExecDropConstraint -> RemoveConstraintById,
 * RemoveTriggerById: AccessExclusiveLock on the trigger's table.)
 */
#include "rule.h"

#include <string.h>

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const PgQuery__Node *n = s->st->node;
	bool is_drop = RULE_NODE(n, DROP_STMT);
	if (!is_drop && !RULE_NODE(n, ALTER_TABLE_STMT))
		return PGS_OK;
	for (size_t i = 0; i < s->fx.n_notes; i++) {
		const struct effect_note *note = &s->fx.notes[i];
		if (note->cause != CAUSE_FK_REFERENCED || rule_table_is_new(ctx, note->relation))
			continue;
		enum pgs_lock_mode m = effects_lock_on(&s->fx, note->relation);
		if (m != PGS_LOCK_ACCESS_EXCLUSIVE)
			continue;   /* adding a foreign key: foreign-key-without-not-valid's business */
		struct finding f = {
			.relation = note->relation, .lock = m,
			.message = is_drop ?
				rule_printf(ctx, "dropping this table also locks referenced table \"%s\" in ACCESS EXCLUSIVE mode to remove its foreign-key triggers: reads and writes on \"%s\" wait",
					    note->relation, note->relation) :
				rule_printf(ctx, "dropping foreign key%s%s%s also locks referenced table \"%s\" in ACCESS EXCLUSIVE mode to remove its triggers: reads and writes on \"%s\" wait",
					    note->detail ? " \"" : "", note->detail ? note->detail : "",
					    note->detail ? "\"" : "", note->relation, note->relation),
			.help = is_drop ?
				"drop the foreign key first, in a statement of its own with a short lock_timeout "
				"(retry on timeout), then drop the table" :
				"run it on its own with a short lock_timeout, retrying on timeout, when the "
				"referenced table is quiet",
		};
		return rule_report(ctx, &f);
	}
	return PGS_OK;
}

const struct rule rule_drop_locks_referenced_table = {
	.id = "drop-locks-referenced-table",
	.summary = "DROP TABLE or DROP CONSTRAINT of a foreign key locks the referenced table in ACCESS EXCLUSIVE mode",
	.rationale =
		"Foreign keys are enforced by triggers on the referencing and the referenced table. "
		"Dropping a foreign key, or a table that has one, removes the triggers on the "
		"referenced table as well, which takes ACCESS EXCLUSIVE on it: reads and writes of the "
		"referenced table (often the busiest one) wait, and the drop itself waits behind every "
		"running query on it. The lock is brief, but unbounded without a lock_timeout. On every "
		"version.",
	.safe_alternative =
		"SET lock_timeout = '2s';\n"
		"ALTER TABLE orders DROP CONSTRAINT orders_user_fk;  -- alone; retry on timeout\n"
		"DROP TABLE orders;",
	.bad_example =
		"DROP TABLE orders;  -- its foreign key's triggers on users go too",
	.good_example =
		"DROP TABLE audit_log;  -- no foreign keys",
	.peers = "none",
	.example_setup =
		"CREATE TABLE users (id bigint PRIMARY KEY);\n"
		"CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint,\n"
		"  CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id));\n"
		"CREATE INDEX orders_user_id_idx ON orders (user_id);\n"
		"CREATE TABLE audit_log (id bigint PRIMARY KEY, entry text);",
	.default_severity = PGS_SEV_WARNING,
	.check = check,
};
