/*
 * unbatched-full-table-dml: UPDATE or DELETE of every row in one statement.
 *
 * An UPDATE or DELETE without WHERE on a table in use touches every row
 * in one transaction: each row stays locked against other writers until
 * it commits, an UPDATE writes a new version of every row (the table and
 * its indexes grow until vacuum catches up), and the whole change reaches
 * replicas as one burst of WAL. Batches by key range, each committed on
 * its own, keep every one of these small. (heapam.c heap_update /
 * heap_delete row locks held to commit; docs: "Routine Vacuuming".)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const PgQuery__Node *n = s->st->node;
	bool del = RULE_NODE(n, DELETE_STMT);
	if (!del && !RULE_NODE(n, UPDATE_STMT))
		return PGS_OK;
	for (size_t i = 0; i < s->fx.n_notes; i++) {
		const struct effect_note *note = &s->fx.notes[i];
		if (note->cause != CAUSE_ALL_ROWS || rule_table_is_new(ctx, note->relation))
			continue;
		struct finding f = {
			.relation = note->relation,
			.message = del ?
				rule_printf(ctx, "DELETE of every row of table \"%s\" in one statement: each row stays locked until it commits, and vacuum must then clean up the whole table",
					    note->relation) :
				rule_printf(ctx, "UPDATE of every row of table \"%s\" in one statement: each row stays locked until it commits, and every row gets a new version (the table and its indexes grow)",
					    note->relation),
			.help = rule_printf(ctx,
				"%s in batches by key range, each batch its own transaction, outside the "
				"migration's DDL transaction: ... WHERE id >= $1 AND id < $2", del ? "DELETE" : "UPDATE"),
			.duration = "every changed row until the statement's transaction ends",
		};
		return rule_report(ctx, &f);
	}
	return PGS_OK;
}

const struct rule rule_unbatched_full_table_dml = {
	.id = "unbatched-full-table-dml",
	.summary = "UPDATE or DELETE without WHERE changes every row of a table in one transaction",
	.rationale =
		"An UPDATE or DELETE without a WHERE clause changes every row of the table in a single "
		"transaction. Every changed row stays locked against other writers until it commits; "
		"an UPDATE writes a new version of each row, so the table and its indexes grow until "
		"vacuum catches up; and replicas receive the whole change at once. On a large table "
		"this is a long, heavy transaction. Batches keep each of these small. On every version.",
	.safe_alternative =
		"-- repeat for each key range, each batch committed on its own:\n"
		"UPDATE users SET region = 'eu' WHERE id >= 1 AND id < 10001 AND region IS NULL;",
	.bad_example = "UPDATE users SET region = 'eu';",
	.good_example = "UPDATE users SET region = 'eu' WHERE id >= 1 AND id < 10001 AND region IS NULL;",
	.peers = "strong_migrations: backfilling data (advice, not a check)",
	.default_severity = PGS_SEV_WARNING,
	.check = check,
};
