/*
 * domain-with-constraint: CREATE DOMAIN with a CHECK or NOT NULL constraint.
 *
 * Constraints on a domain are hard to change on a live database: adding
 * or validating one locks every table using the domain in SHARE mode and
 * scans it (alter-domain-add-constraint), adding a column of the domain to
 * a table rewrites the table (add-column-domain-constraint), and a NOT
 * NULL domain is not enforced on every path (an outer join can yield NULL
 * of the type). A CHECK on each table is cheaper to change. (typecmds.c
 * DefineDomain, AlterDomainAddConstraint; docs: CREATE DOMAIN, Notes.)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const PgQuery__Node *n = ctx->stmt->st->node;
	if (!RULE_NODE(n, CREATE_DOMAIN_STMT))
		return PGS_OK;
	const PgQuery__CreateDomainStmt *d = n->create_domain_stmt;
	const PgQuery__Constraint *con = NULL;
	for (size_t i = 0; i < d->n_constraints && !con; i++)
		if (RULE_NODE(d->constraints[i], CONSTRAINT) &&
		    (d->constraints[i]->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_CHECK ||
		     d->constraints[i]->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL))
			con = d->constraints[i]->constraint;
	if (!con)
		return PGS_OK;
	const char *dom = schema_qualify_list(ctx->schema, ctx->arena, d->domainname, d->n_domainname);
	size_t at = ctx->stmt->st->loc_base + (size_t)(con->location >= 0 ? con->location : 0);
	struct finding f = {
		.start = at, .end = ctx->stmt->st->end,
		.message = rule_printf(ctx,
			"domain \"%s\" has a %s constraint: changing it later locks and scans every table that uses the domain, and adding a column of it rewrites the table",
			dom ? dom : "?", con->contype == PG_QUERY__CONSTR_TYPE__CONSTR_CHECK ? "CHECK" : "NOT NULL"),
		.help = "keep the domain unconstrained (or use the base type) and put the rule in a CHECK "
			"constraint on each table, which can be added NOT VALID and validated without "
			"blocking writes",
	};
	return rule_report(ctx, &f);
}

const struct rule rule_domain_with_constraint = {
	.id = "domain-with-constraint",
	.summary = "CREATE DOMAIN with a constraint: hard to change later on a live database",
	.rationale =
		"A constraint on a domain is checked wherever the domain is used. Adding or validating "
		"one later takes SHARE on every table with a column of the domain, blocking their "
		"writes while each is scanned; adding a column of a constrained domain rewrites the "
		"table; and NOT NULL on a domain is not enforced on every path (an outer join yields "
		"NULL of the type). CHECK constraints on the tables themselves avoid all three. A "
		"convention, so a hint. On every version.",
	.safe_alternative =
		"CREATE DOMAIN email AS text;\n"
		"CREATE TABLE users (id bigint, email email CHECK (email LIKE '%@%'));",
	.bad_example = "CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');",
	.good_example = "CREATE DOMAIN email AS text;",
	.peers = "squawk: ban-create-domain-with-constraint",
	.default_severity = PGS_SEV_HINT,
	.check = check,
};
