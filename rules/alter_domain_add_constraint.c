/*
 * alter-domain-add-constraint: ALTER DOMAIN ... ADD CONSTRAINT checked against every row.
 *
 * Adding a constraint to a domain (without NOT VALID) checks every stored
 * value of the domain: PostgreSQL takes SHARE on every table with a
 * column of that domain, which blocks their writes, and reads each of
 * them in full. ADD CONSTRAINT ... NOT VALID only applies to new values;
 * VALIDATE CONSTRAINT later scans under the same SHARE locks (see
 * alter-domain-validate-constraint). (typecmds.c AlterDomainAddConstraint,
 * validateDomainConstraint, get_rels_with_domain: ShareLock; docs: ALTER
 * DOMAIN.)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const PgQuery__Node *n = s->st->node;
	if (!RULE_NODE(n, ALTER_DOMAIN_STMT))
		return PGS_OK;
	const PgQuery__AlterDomainStmt *d = n->alter_domain_stmt;
	if (!d->subtype || d->subtype[0] != 'C' || !RULE_NODE(d->def, CONSTRAINT) ||
	    d->def->constraint->skip_validation)
		return PGS_OK;
	const char *dom = schema_qualify_list(ctx->schema, ctx->arena, d->type_name, d->n_type_name);
	const char *first = NULL;
	size_t count = 0;
	for (size_t i = 0; i < s->fx.n_notes; i++) {
		const struct effect_note *note = &s->fx.notes[i];
		if (note->cause != CAUSE_DOMAIN_VALIDATION || rule_table_is_new(ctx, note->relation))
			continue;
		if (!first)
			first = note->relation;
		count++;
	}
	bool unknown = !schema_domain(ctx->schema, dom);
	if (!first && !unknown)
		return PGS_OK;   /* no table in use has a column of it */
	const char *mode = first ? pgs_lock_mode_sql(effects_lock_on(&s->fx, first)) : "SHARE";
	struct finding f = {
		.relation = first,
		.message = first ?
			rule_printf(ctx, "adding a constraint to domain \"%s\" locks table \"%s\"%s in %s mode (blocks writes) and reads every row to check it",
				    dom, first, count > 1 ? rule_printf(ctx, " and %zu more", count - 1) : "", mode) :
			rule_printf(ctx, "adding a constraint to domain \"%s\" locks every table with a column of that domain in SHARE mode (blocks writes) and reads it in full",
				    dom ? dom : "?"),
		.help = "add it with NOT VALID (checks new values only, no scan); validating it later still "
			"takes SHARE on every table using the domain, so for large tables put a CHECK on each "
			"table instead (NOT VALID, then VALIDATE CONSTRAINT under SHARE UPDATE EXCLUSIVE)",
	};
	return rule_report(ctx, &f);
}

const struct rule rule_alter_domain_add_constraint = {
	.id = "alter-domain-add-constraint",
	.summary = "ALTER DOMAIN ... ADD CONSTRAINT blocks writes to every table using the domain while it scans them",
	.rationale =
		"ALTER DOMAIN ... ADD CONSTRAINT (without NOT VALID) checks every stored value of the "
		"domain: it takes SHARE, which blocks INSERT, UPDATE and DELETE, on every table with a "
		"column of the domain, and reads each of those tables in full while holding the locks. "
		"With NOT VALID only new values are checked. When pgsafe does not know the domain it "
		"cannot list the tables, and reports the statement anyway. On every version.",
	.safe_alternative =
		"ALTER DOMAIN email ADD CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%') NOT VALID;\n"
		"-- or, per table, without blocking writes:\n"
		"ALTER TABLE users ADD CONSTRAINT users_email_has_at CHECK (email LIKE '%@%') NOT VALID;\n"
		"ALTER TABLE users VALIDATE CONSTRAINT users_email_has_at;",
	.bad_example = "ALTER DOMAIN email ADD CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%');",
	.good_example = "ALTER DOMAIN email ADD CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%') NOT VALID;",
	.peers = "squawk: ban-alter-domain-with-add-constraint",
	.default_severity = PGS_SEV_ERROR,
	.check = check,
};
