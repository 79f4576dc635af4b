/*
 * set-tablespace-rewrite: ALTER TABLE ... SET TABLESPACE.
 *
 * Moving a table to another tablespace copies every block of the table
 * (and ALTER TABLE ... SET TABLESPACE on its own leaves the indexes where
 * they are) while ACCESS EXCLUSIVE is held: reads and writes wait for the
 * whole copy. Moving to the tablespace it is already in does nothing, and
 * the lock model says so. (tablecmds.c ATExecSetTableSpace,
 * AlterTableGetLockLevel; docs: ALTER TABLE, SET TABLESPACE.)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	for (size_t i = 0; i < s->fx.n_notes; i++) {
		const struct effect_note *n = &s->fx.notes[i];
		if (n->cause != CAUSE_SET_TABLESPACE || rule_table_is_new(ctx, n->relation))
			continue;
		enum pgs_lock_mode m = effects_lock_on(&s->fx, n->relation);
		struct finding f = {
			.relation = n->relation,
			.message = rule_printf(ctx,
				"moving table \"%s\" to tablespace \"%s\" copies the whole table under %s: %s wait for the copy",
				n->relation, n->detail ? n->detail : "?", pgs_lock_mode_sql(m),
				pgs_lock_blocks_text(m)),
			.help = "move a table in use with a tool that copies it online (pg_repack "
				"--tablespace), or build a new table in the target tablespace, copy the rows in "
				"batches and swap the names; new tables can be created there directly "
				"(CREATE TABLE ... TABLESPACE)",
		};
		return rule_report(ctx, &f);
	}
	return PGS_OK;
}

const struct rule rule_set_tablespace_rewrite = {
	.id = "set-tablespace-rewrite",
	.summary = "SET TABLESPACE copies the whole table under ACCESS EXCLUSIVE",
	.rationale =
		"ALTER TABLE ... SET TABLESPACE takes ACCESS EXCLUSIVE, which blocks reads and writes, "
		"and copies every block of the table into the new tablespace before it releases the "
		"lock. The time grows with the table's size and the storage's speed. Moving to the "
		"tablespace the table is already in does nothing. On every version.",
	.safe_alternative =
		"-- online, with the pg_repack extension:\n"
		"--   pg_repack --table=events --tablespace=fast_ssd\n"
		"-- or a new table created in place:\n"
		"CREATE TABLE events_new (LIKE events INCLUDING ALL) TABLESPACE fast_ssd;\n"
		"-- copy in batches with a trigger for new writes, then swap the names",
	.bad_example = "ALTER TABLE events SET TABLESPACE fast_ssd;",
	.good_example =
		"CREATE TABLE audit_log (id bigint, entry text);\n"
		"ALTER TABLE audit_log SET TABLESPACE fast_ssd;  -- created in this migration: empty",
	.peers = "Eugene: E10 (rewrote table while holding a dangerous lock)",
	.default_severity = PGS_SEV_ERROR,
	.check = check,
};
