/*
 * missing-statement-timeout: a blocking lock is taken with no statement_timeout set.
 *
 * statement_timeout bounds how long one statement may run; with none set
 * (PostgreSQL's default, 0) a statement that holds a lock blocking writes
 * on a table in use (a rewrite, a scan, a slow query inside the same
 * transaction) keeps the application waiting for as long as it takes, and
 * nothing stops it. Reported once per file, at the first statement that
 * takes such a lock with no statement_timeout in force: files that lock
 * nothing in use are left alone. The transaction model tracks SET, SET
 * LOCAL and set_config(). (postgres.c enable_statement_timeout; docs:
 * "Client Connection Defaults", statement_timeout.)
 */
#include "rule.h"

/* The existing table @s locks against writes, when no statement_timeout is in force. */
static const struct effect_lock *unbounded(const struct rule_ctx *ctx, const struct analyzed_stmt *s)
{
	if (s->txn.statement_timeout_ms >= 0 || s->st->status != STMT_PARSED)
		return NULL;
	const struct effect_lock *worst = NULL;
	for (size_t i = 0; i < s->fx.n_locks; i++) {
		const struct effect_lock *l = &s->fx.locks[i];
		if (!pgs_lock_blocks_writes(l->mode) || l->relkind == 'i' || l->relkind == 'S')
			continue;
		if (rule_table_is_new(ctx, l->relation))
			continue;
		if (!worst || l->mode > worst->mode)
			worst = l;
	}
	return worst;
}

static int check(struct rule_ctx *ctx)
{
	const struct effect_lock *l = unbounded(ctx, ctx->stmt);
	if (!l)
		return PGS_OK;
	for (size_t j = 0; j < ctx->index; j++)
		if (unbounded(ctx, &ctx->stmts[j]))
			return PGS_OK;  /* reported at that earlier statement */
	struct finding f = {
		.relation = l->relation, .lock = l->mode,
		.message = rule_printf(ctx,
			"no statement_timeout is set: this statement takes %s on table \"%s\" (blocks %s), and nothing limits how long it, or the statements after it, may run",
			pgs_lock_mode_sql(l->mode), l->relation, pgs_lock_blocks_text(l->mode)),
		.help = ctx->stmt->txn.kind == TXN_NONE ?
			"SET statement_timeout = '5min'; (sized for the slowest statement) at the top of the migration" :
			"SET LOCAL statement_timeout = '5min'; (sized for the slowest statement) at the start of the transaction, or SET before it",
	};
	return rule_report(ctx, &f);
}

const struct rule rule_missing_statement_timeout = {
	.id = "missing-statement-timeout",
	.summary = "a lock that blocks writes is taken with no statement_timeout set",
	.rationale =
		"statement_timeout aborts a statement that runs longer than it; PostgreSQL's default is "
		"no limit. A migration statement that holds a lock blocking writes on a table in use "
		"(a rewrite, a scan, a long query inside the same transaction) keeps the application "
		"waiting for as long as it runs, and without a statement_timeout nothing stops it. "
		"Reported once per file, at the first such statement; a file that takes no such lock "
		"is not reported. On every version.",
	.safe_alternative =
		"SET statement_timeout = '5min';\n"
		"SET lock_timeout = '2s';\n"
		"ALTER TABLE users ADD COLUMN note text;",
	.bad_example =
		"SET lock_timeout = '2s';\n"
		"ALTER TABLE users ADD COLUMN note text;",
	.good_example =
		"SET statement_timeout = '5min';\n"
		"SET lock_timeout = '2s';\n"
		"ALTER TABLE users ADD COLUMN note text;",
	.peers = "squawk: require-statement-timeout, require-timeout-settings; Eugene: E9 (dangerous lock without timeout)",
	.default_severity = PGS_SEV_WARNING,
	.check = check,
};
