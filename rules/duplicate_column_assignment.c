/*
 * duplicate-column-assignment: the same column set twice in one UPDATE, or listed twice in an INSERT.
 *
 * PostgreSQL rejects UPDATE ... SET a = 1, a = 2 ("multiple assignments to
 * same column") and INSERT INTO t (a, a) ("column specified more than
 * once") when the statement runs, so the migration fails there (and a
 * transaction around it rolls back). Nothing is caught before it runs.
 * (analyze.c transformUpdateTargetList, checkInsertTargets.)
 */
#include "rule.h"

#include <string.h>

static int report(struct rule_ctx *ctx, const PgQuery__ResTarget *rt, bool insert)
{
	size_t at = ctx->stmt->st->loc_base + (size_t)(rt->location >= 0 ? rt->location : 0);
	struct finding f = {
		.start = at, .end = at + strlen(rt->name),
		.message = insert ?
			rule_printf(ctx, "column \"%s\" is listed twice: PostgreSQL rejects this INSERT (column specified more than once)", rt->name) :
			rule_printf(ctx, "column \"%s\" is assigned twice: PostgreSQL rejects this UPDATE (multiple assignments to same column)", rt->name),
		.help = "keep one assignment per column",
	};
	return rule_report(ctx, &f);
}

/* The first target naming a column (and no subfield) an earlier one already named. */
static const PgQuery__ResTarget *duplicate(PgQuery__Node **targets, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!RULE_NODE(targets[i], RES_TARGET) || !targets[i]->res_target->name ||
		    targets[i]->res_target->n_indirection)
			continue;
		for (size_t j = 0; j < i; j++)
			if (RULE_NODE(targets[j], RES_TARGET) && targets[j]->res_target->name &&
			    !targets[j]->res_target->n_indirection &&
			    !strcmp(targets[j]->res_target->name, targets[i]->res_target->name))
				return targets[i]->res_target;
	}
	return NULL;
}

static int check(struct rule_ctx *ctx)
{
	const PgQuery__Node *n = ctx->stmt->st->node;
	const PgQuery__ResTarget *d = NULL;
	bool insert = false;
	if (RULE_NODE(n, UPDATE_STMT))
		d = duplicate(n->update_stmt->target_list, n->update_stmt->n_target_list);
	else if (RULE_NODE(n, INSERT_STMT)) {
		d = duplicate(n->insert_stmt->cols, n->insert_stmt->n_cols);
		insert = true;
	}
	return d ? report(ctx, d, insert) : PGS_OK;
}

const struct rule rule_duplicate_column_assignment = {
	.id = "duplicate-column-assignment",
	.summary = "UPDATE sets the same column twice, or INSERT lists a column twice: PostgreSQL rejects it",
	.rationale =
		"PostgreSQL refuses UPDATE ... SET a = 1, a = 2 (\"multiple assignments to same "
		"column\") and INSERT INTO t (a, a) (\"column specified more than once\"). The error "
		"only appears when the statement runs, so the migration fails there, and any "
		"transaction around it rolls back. Assignments to different fields or elements of the "
		"same column (SET a[1] = 1, a[2] = 2) are allowed and not reported. On every version.",
	.safe_alternative = "UPDATE users SET name = trim(name), email = lower(email) WHERE id < 1000;",
	.bad_example = "UPDATE users SET name = trim(name), name = lower(name) WHERE id < 1000;",
	.good_example = "UPDATE users SET name = lower(trim(name)) WHERE id < 1000;",
	.peers = "squawk: ban-duplicate-column-assignments",
	.default_severity = PGS_SEV_ERROR,
	.check = check,
};
