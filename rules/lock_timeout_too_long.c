/*
 * lock-timeout-too-long: the lock_timeout in force is above the configured maximum.
 *
 * lock_timeout bounds how long a statement waits for its lock, and so how
 * long every query queued behind that request waits too. A project sets
 * max_lock_timeout (.pgsafe.yaml) to the longest stall it accepts; a
 * migration that sets a longer lock_timeout before a statement that takes
 * a lock blocking writes on a table in use can stall the application that
 * long. Reported only at such statements; without max_lock_timeout the
 * rule checks nothing. (proc.c ProcSleep and the lock timeout;
 * docs: "Client Connection Defaults", lock_timeout.)
 */
#include "rule.h"

#include "../analyzer/lint.h"

#include <string.h>

static const char *duration(struct rule_ctx *ctx, long ms)
{
	if (ms % 60000 == 0)
		return rule_printf(ctx, "%ldmin", ms / 60000);
	if (ms % 1000 == 0)
		return rule_printf(ctx, "%lds", ms / 1000);
	return rule_printf(ctx, "%ldms", ms);
}

/* The mode this transaction already holds on @rel: no wait up to that mode. */
static enum pgs_lock_mode held_mode(const struct txn_view *t, const char *rel)
{
	for (size_t i = 0; i < t->n_held; i++)
		if (!strcmp(t->held[i].relation, rel))
			return t->held[i].mode;
	return PGS_LOCK_NONE;
}

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	long max = ctx->opts ? ctx->opts->max_lock_timeout_ms : 0;
	if (max <= 0 || s->txn.lock_timeout_ms <= max)
		return PGS_OK;   /* no maximum, none set (missing-lock-timeout), or within it */
	const struct effect_lock *worst = NULL;
	for (size_t i = 0; i < s->fx.n_locks; i++) {
		const struct effect_lock *l = &s->fx.locks[i];
		const struct sm_index *ix = schema_index(ctx->schema, l->relation);
		if (!pgs_lock_blocks_writes(l->mode) || l->mode <= held_mode(&s->txn, l->relation) ||
		    rule_table_is_new(ctx, ix ? ix->table : l->relation))
			continue;
		if (!worst || l->mode > worst->mode)
			worst = l;
	}
	if (!worst)
		return PGS_OK;
	struct finding f = {
		.relation = worst->relation, .lock = worst->mode,
		.message = rule_printf(ctx,
			"lock_timeout is %s, above the configured maximum of %s: waiting for %s on \"%s\", this statement can stall every %s that long",
			duration(ctx, s->txn.lock_timeout_ms), duration(ctx, max),
			pgs_lock_mode_sql(worst->mode), worst->relation,
			pgs_lock_blocks_reads(worst->mode) ? "query on the table" : "write to the table"),
		.help = rule_printf(ctx, "SET lock_timeout = '%s'; (or less) before the statement, and retry "
				    "the migration when it times out", duration(ctx, max)),
	};
	return rule_report(ctx, &f);
}

const struct rule rule_lock_timeout_too_long = {
	.id = "lock-timeout-too-long",
	.summary = "the lock_timeout in force is longer than the configured max_lock_timeout",
	.rationale =
		"While a statement waits for a lock that blocks writes, every later query that conflicts "
		"with the request queues behind it, so lock_timeout is also the longest the application "
		"can stall. Set max_lock_timeout in .pgsafe.yaml to the longest stall you accept; a "
		"migration that sets a longer lock_timeout before such a statement on a table in use is "
		"reported there. Without max_lock_timeout the rule checks nothing. On every version.",
	.safe_alternative =
		"SET lock_timeout = '2s';  -- at or below max_lock_timeout; retry on timeout\n"
		"ALTER TABLE users ADD COLUMN note text;",
	.bad_example =
		"SET lock_timeout = '1min';\n"
		"ALTER TABLE users ADD COLUMN note text;  -- with max_lock_timeout: 5s",
	.good_example =
		"SET lock_timeout = '2s';\n"
		"ALTER TABLE users ADD COLUMN note text;",
	.peers = "none (squawk and Eugene only check that a lock_timeout is set)",
	.default_severity = PGS_SEV_WARNING,
	.check = check,
};
