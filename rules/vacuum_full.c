/*
 * vacuum-full: VACUUM FULL on a table in use.
 *
 * VACUUM FULL writes a compacted copy of the table and rebuilds all its
 * indexes while holding ACCESS EXCLUSIVE, so reads and writes wait for the
 * whole copy, and it needs room for both copies on disk. Plain VACUUM
 * takes SHARE UPDATE EXCLUSIVE and blocks neither. VACUUM FULL without a
 * table name does this to every table, one after the other. (vacuum.c
 * vacuum_rel with VACOPT_FULL calls cluster_rel; docs: VACUUM, Notes.)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const char *first = NULL;
	size_t count = 0;
	for (size_t i = 0; i < s->fx.n_notes; i++) {
		const struct effect_note *n = &s->fx.notes[i];
		if (n->cause != CAUSE_VACUUM_FULL || rule_table_is_new(ctx, n->relation))
			continue;
		if (!first)
			first = n->relation;
		count++;
	}
	if (!first)
		return PGS_OK;
	const char *mode = pgs_lock_mode_sql(effects_lock_on(&s->fx, first));
	struct finding f = {
		.relation = first,
		.message = count > 1 ?
			rule_printf(ctx, "VACUUM FULL rewrites table \"%s\" and %zu more table%s, one by one, each under %s",
				    first, count - 1, count == 2 ? "" : "s", mode) :
			rule_printf(ctx, "VACUUM FULL rewrites table \"%s\" and its indexes under %s: %s wait for the whole copy",
				    first, mode, pgs_lock_blocks_text(effects_lock_on(&s->fx, first))),
		.help = "plain VACUUM reclaims space for reuse without blocking reads or writes; to "
			"shrink a table in use, use pg_repack (or pg_squeeze), which rebuilds it online",
	};
	return rule_report(ctx, &f);
}

const struct rule rule_vacuum_full = {
	.id = "vacuum-full",
	.summary = "VACUUM FULL rewrites the table under ACCESS EXCLUSIVE",
	.rationale =
		"VACUUM FULL takes ACCESS EXCLUSIVE, which blocks reads and writes, and writes a new, "
		"compacted copy of the table and all its indexes; it also needs disk space for both "
		"copies until it finishes. Without a table name it does that to every table in turn. "
		"Plain VACUUM takes SHARE UPDATE EXCLUSIVE, which blocks neither, and makes dead space "
		"reusable. On every version.",
	.safe_alternative =
		"VACUUM (ANALYZE) events;  -- reads and writes continue\n"
		"-- to give space back to the operating system while the table stays in use:\n"
		"--   pg_repack --table=events",
	.bad_example = "VACUUM FULL events;",
	.good_example = "VACUUM events;",
	.peers = "squawk: prefer-repack (not triggered by VACUUM FULL in squawk 2.66)",
	.default_severity = PGS_SEV_ERROR,
	.check = check,
};
