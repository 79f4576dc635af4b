/*
 * refresh-matview-without-concurrently: REFRESH MATERIALIZED VIEW that blocks its readers.
 *
 * A plain REFRESH MATERIALIZED VIEW runs the view's query again and swaps
 * in the result while holding ACCESS EXCLUSIVE on the view: every query
 * reading the view waits for the whole recomputation. REFRESH ...
 * CONCURRENTLY takes EXCLUSIVE instead, which lets reads go on, at the
 * price of a unique index on the view (plain columns, no WHERE) and a
 * slower diff-based update; it cannot refresh a view that was never
 * populated. (matview.c ExecRefreshMatView, refresh_by_match_merge; docs:
 * REFRESH MATERIALIZED VIEW.)
 */
#include "rule.h"

#include <string.h>

static bool has_unique_index(const struct schema *sc, const char *mv)
{
	for (size_t i = 0; i < sc->n_indexes; i++)
		if (sc->indexes[i].unique && !strcmp(sc->indexes[i].table, mv))
			return true;
	return false;
}

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const PgQuery__Node *n = s->st->node;
	if (!RULE_NODE(n, REFRESH_MAT_VIEW_STMT))
		return PGS_OK;
	const PgQuery__RefreshMatViewStmt *r = n->refresh_mat_view_stmt;
	if (r->concurrent || r->skip_data)
		return PGS_OK;
	const char *mv = schema_qualify(ctx->schema, ctx->arena, r->relation);
	if (!mv || rule_table_is_new(ctx, mv))
		return PGS_OK;
	bool unique = has_unique_index(ctx->schema, mv);
	enum pgs_lock_mode m = effects_lock_on(&s->fx, mv);
	struct finding f = {
		.relation = mv,
		.message = rule_printf(ctx,
			"refreshing materialized view \"%s\" without CONCURRENTLY holds %s while its query runs again: every read of the view waits",
			mv, pgs_lock_mode_sql(m)),
		.help = unique ?
			rule_printf(ctx, "REFRESH MATERIALIZED VIEW CONCURRENTLY %s; (reads continue; it "
				    "uses the view's unique index)", mv) :
			rule_printf(ctx, "give the view a unique index on plain columns (CREATE UNIQUE INDEX "
				    "CONCURRENTLY ... ON %s (...)), then REFRESH MATERIALIZED VIEW CONCURRENTLY "
				    "%s; (reads continue)", mv, mv),
		.duration = s->txn.kind != TXN_NONE ? "the whole recomputation, then until the transaction ends" :
			"the whole recomputation of the view's query",
	};
	return rule_report(ctx, &f);
}

const struct rule rule_refresh_matview_without_concurrently = {
	.id = "refresh-matview-without-concurrently",
	.summary = "REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks reads of the view while it recomputes",
	.rationale =
		"REFRESH MATERIALIZED VIEW takes ACCESS EXCLUSIVE on the view, which blocks every query "
		"that reads it, and keeps it while the view's query runs again over its base tables: as "
		"long as that query takes. REFRESH ... CONCURRENTLY takes EXCLUSIVE, which lets reads "
		"go on, and applies the difference instead; it needs a unique index on plain columns of "
		"the view and a view that has been populated before. On every version.",
	.safe_alternative =
		"CREATE UNIQUE INDEX CONCURRENTLY daily_totals_day_key ON daily_totals (day);\n"
		"REFRESH MATERIALIZED VIEW CONCURRENTLY daily_totals;",
	.bad_example = "REFRESH MATERIALIZED VIEW daily_totals;",
	.good_example = "REFRESH MATERIALIZED VIEW CONCURRENTLY daily_totals;",
	.peers = "none",
	.default_severity = PGS_SEV_ERROR,
	.check = check,
};
