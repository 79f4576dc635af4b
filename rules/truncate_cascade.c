/*
 * truncate-cascade: TRUNCATE ... CASCADE.
 *
 * CASCADE also truncates every table with a foreign key to a truncated
 * table, recursively, each under ACCESS EXCLUSIVE: rows the migration
 * never named are deleted, and those tables are blocked too. (tablecmds.c
 * ExecuteTruncate, heap_truncate_find_FKs; docs: TRUNCATE, CASCADE.)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const PgQuery__Node *n = s->st->node;
	if (!RULE_NODE(n, TRUNCATE_STMT) || n->truncate_stmt->behavior != PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE)
		return PGS_OK;
	const PgQuery__TruncateStmt *t = n->truncate_stmt;
	const char *named = NULL;
	bool existing = false;
	for (size_t i = 0; i < t->n_relations; i++) {
		if (!RULE_NODE(t->relations[i], RANGE_VAR))
			continue;
		const char *rel = schema_qualify(ctx->schema, ctx->arena, t->relations[i]->range_var);
		if (!named)
			named = rel;
		if (rel && !rule_table_is_new(ctx, rel))
			existing = true;
	}
	const char *others = "";
	size_t count = 0;
	for (size_t i = 0; i < s->fx.n_notes; i++) {
		const struct effect_note *note = &s->fx.notes[i];
		if (note->cause != CAUSE_CASCADE)
			continue;
		if (!rule_table_is_new(ctx, note->relation))
			existing = true;
		others = rule_printf(ctx, "%s%s\"%s\"", others, count ? ", " : "", note->relation);
		count++;
	}
	if (!existing)
		return PGS_OK;
	const char *mode = pgs_lock_mode_sql(named ? effects_lock_on(&s->fx, named) : effects_strongest(&s->fx));
	struct finding f = {
		.relation = named,
		.message = count ?
			rule_printf(ctx, "TRUNCATE ... CASCADE on \"%s\" also empties %s, each under %s",
				    named ? named : "?", others, mode) :
			rule_printf(ctx, "TRUNCATE ... CASCADE on \"%s\" also empties every table with a foreign key to it, each under %s",
				    named ? named : "?", mode),
		.help = "name every table to empty explicitly (TRUNCATE a, b; without CASCADE fails "
			"instead of deleting rows you did not name)",
	};
	return rule_report(ctx, &f);
}

const struct rule rule_truncate_cascade = {
	.id = "truncate-cascade",
	.summary = "TRUNCATE ... CASCADE also empties every table that references the named ones",
	.rationale =
		"TRUNCATE ... CASCADE truncates, recursively, every table with a foreign key to a "
		"truncated table, each under ACCESS EXCLUSIVE. Rows of tables the migration never names "
		"are deleted, and a foreign key added later silently widens what the statement destroys. "
		"Without CASCADE, TRUNCATE fails when another table references the target. On every "
		"version.",
	.safe_alternative = "TRUNCATE order_items, orders;  -- every table named; no CASCADE",
	.bad_example = "TRUNCATE orders CASCADE;",
	.good_example = "TRUNCATE order_items, orders;",
	.peers = "squawk: ban-truncate-cascade",
	.default_severity = PGS_SEV_ERROR,
	.check = check,
};
