/*
 * statement-not-modeled: a parsed statement whose effects pgsafe cannot tell.
 *
 * The lock model says so when it does not know what a statement locks,
 * rewrites or scans (a DO block, CALL, syntax the target version lacks,
 * a statement kind it has no model of); such a statement is never called
 * safe in silence. Syntax errors and psql meta-commands have their own
 * diagnostics and never reach the rules. (lockmodel.h: effects.modeled and
 * unmodeled_reason; DESIGN.md "Nothing is silently green".)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	if (s->fx.modeled)
		return PGS_OK;
	struct finding f = {
		.message = rule_printf(ctx, "pgsafe cannot tell what this statement (%s) locks, rewrites or scans: %s",
				       s->kind ? s->kind : "statement",
				       s->fx.unmodeled_reason ? s->fx.unmodeled_reason : "no reason given"),
		.help = "review its locks by hand (or run it against a copy of the database and watch "
			"pg_locks); keep it in a migration of its own so its effects are easy to see",
	};
	return rule_report(ctx, &f);
}

const struct rule rule_statement_not_modeled = {
	.id = "statement-not-modeled",
	.summary = "pgsafe cannot model what this statement locks, rewrites or scans",
	.rationale =
		"pgsafe's checks rest on its model of each statement's locks, rewrites and scans. For "
		"some statements (DO blocks, CALL, EXECUTE, statements the target PostgreSQL version "
		"does not have, kinds pgsafe has no model of) it cannot know them, so none of its other "
		"rules can vouch for the statement. This hint makes the gap visible instead of silently "
		"green.",
	.safe_alternative =
		"-- write the change as plain SQL statements pgsafe can analyze, e.g. instead of\n"
		"-- DO $$ BEGIN EXECUTE 'ALTER TABLE t ADD COLUMN c int'; END $$;\n"
		"ALTER TABLE t ADD COLUMN c int;",
	.bad_example = "DO $$ BEGIN PERFORM pg_sleep(1); END $$;",
	.good_example = "SELECT pg_sleep(1);",
	.peers = "none",
	.default_severity = PGS_SEV_HINT,
	.check = check,
};
