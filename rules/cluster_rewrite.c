/*
 * cluster-rewrite: CLUSTER on a table in use.
 *
 * CLUSTER writes a copy of the table in index order and rebuilds all its
 * indexes while holding ACCESS EXCLUSIVE, so reads and writes wait for the
 * whole copy. The order is not kept for later writes, so the benefit
 * fades. CLUSTER without a table name reclusters every table that was
 * clustered before; the lock model cannot list those and reports it as
 * not modeled. (cluster.c cluster_rel, rebuild_relation; docs: CLUSTER.)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	for (size_t i = 0; i < s->fx.n_notes; i++) {
		const struct effect_note *n = &s->fx.notes[i];
		if (n->cause != CAUSE_CLUSTER || rule_table_is_new(ctx, n->relation))
			continue;
		enum pgs_lock_mode m = effects_lock_on(&s->fx, n->relation);
		struct finding f = {
			.start = n->offset, .end = s->st->end, .relation = n->relation,
			.message = rule_printf(ctx,
				"CLUSTER rewrites table \"%s\" and its indexes under %s: %s wait for the whole copy",
				n->relation, pgs_lock_mode_sql(m), pgs_lock_blocks_text(m)),
			.help = "reorder a table in use with pg_repack --order-by (online), or leave it: "
				"CLUSTER's order is not kept for later writes",
		};
		return rule_report(ctx, &f);
	}
	return PGS_OK;
}

const struct rule rule_cluster_rewrite = {
	.id = "cluster-rewrite",
	.summary = "CLUSTER rewrites the table under ACCESS EXCLUSIVE",
	.rationale =
		"CLUSTER takes ACCESS EXCLUSIVE, which blocks reads and writes, and writes a new copy "
		"of the table sorted by the index, then rebuilds every index, before it releases the "
		"lock. Rows written later are not kept in that order. On every version.",
	.safe_alternative =
		"-- reorder online with the pg_repack extension:\n"
		"--   pg_repack --table=events --order-by=created_at\n"
		"-- or only record the index for a later maintenance window (brief lock):\n"
		"ALTER TABLE events CLUSTER ON events_created_at_idx;",
	.bad_example = "CLUSTER events USING events_created_at_idx;",
	.good_example = "ALTER TABLE events CLUSTER ON events_created_at_idx;",
	.peers = "squawk: prefer-repack (not triggered by CLUSTER in squawk 2.66)",
	.default_severity = PGS_SEV_ERROR,
	.check = check,
};
