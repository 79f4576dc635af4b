/*
 * statement-not-modeled: a parsed statement whose effects pgsafe cannot tell.
 *
 * The lock model says so when it does not know what a statement locks,
 * rewrites or scans (EXECUTE of dynamic SQL in a DO block, a DO block in
 * another language, CALL, syntax the target version lacks, a statement
 * kind it has no model of); such a statement is never called safe in
 * silence. The static statements of a PL/pgSQL DO block are analyzed one
 * by one (plpgsql.h). Syntax errors and psql meta-commands have their own
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
		"some statements (EXECUTE of SQL built at run time inside a DO block, DO blocks in "
		"languages other than PL/pgSQL, CALL, statements the target PostgreSQL version does not "
		"have, kinds pgsafe has no model of) it cannot know them, so none of its other rules can "
		"vouch for the statement. This hint makes the gap visible instead of silently green. "
		"The static statements of a PL/pgSQL DO block are analyzed like any other.",
	.safe_alternative =
		"-- write the change as plain SQL statements pgsafe can analyze, e.g. instead of\n"
		"-- DO $$ BEGIN EXECUTE 'ALTER TABLE t ADD COLUMN c int'; END $$;\n"
		"ALTER TABLE t ADD COLUMN c int;",
	.bad_example = "DO $$ BEGIN EXECUTE format('ALTER TABLE %I ADD COLUMN c int', 't'); END $$;",
	.good_example = "DO $$ BEGIN ALTER TABLE t ADD COLUMN c int; END $$;",
	.peers = "none",
	.default_severity = PGS_SEV_HINT,
	.check = check,
};
