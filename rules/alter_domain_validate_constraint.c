/*
 * alter-domain-validate-constraint: ALTER DOMAIN ... VALIDATE CONSTRAINT.
 *
 * Unlike ALTER TABLE ... VALIDATE CONSTRAINT (SHARE UPDATE EXCLUSIVE),
 * validating a domain constraint takes SHARE on every table with a column
 * of the domain, which blocks their writes, and reads each of them in
 * full. (typecmds.c AlterDomainValidateConstraint -> validateDomainConstraint:
 * ShareLock on each relation; docs: ALTER DOMAIN.)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const PgQuery__Node *n = s->st->node;
	if (!RULE_NODE(n, ALTER_DOMAIN_STMT))
		return PGS_OK;
	const PgQuery__AlterDomainStmt *d = n->alter_domain_stmt;
	if (!d->subtype || d->subtype[0] != 'V')
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
		return PGS_OK;
	const char *mode = first ? pgs_lock_mode_sql(effects_lock_on(&s->fx, first)) : "SHARE";
	struct finding f = {
		.relation = first,
		.message = first ?
			rule_printf(ctx, "validating constraint \"%s\" of domain \"%s\" locks table \"%s\"%s in %s mode (blocks writes) while it reads every row",
				    d->name ? d->name : "?", dom, first,
				    count > 1 ? rule_printf(ctx, " and %zu more", count - 1) : "", mode) :
			rule_printf(ctx, "validating constraint \"%s\" of domain \"%s\" locks every table with a column of that domain in SHARE mode (blocks writes) while it reads it in full",
				    d->name ? d->name : "?", dom ? dom : "?"),
		.help = "validate when writes can pause, with a short lock_timeout; for large tables, "
			"enforce the rule with a CHECK on each table instead (ALTER TABLE ... VALIDATE "
			"CONSTRAINT takes SHARE UPDATE EXCLUSIVE, which lets writes continue)",
	};
	return rule_report(ctx, &f);
}

const struct rule rule_alter_domain_validate_constraint = {
	.id = "alter-domain-validate-constraint",
	.summary = "ALTER DOMAIN ... VALIDATE CONSTRAINT blocks writes to every table using the domain while it scans them",
	.rationale =
		"ALTER DOMAIN ... VALIDATE CONSTRAINT takes SHARE on every table with a column of the "
		"domain, which blocks INSERT, UPDATE and DELETE, and reads each table in full while "
		"holding it. That is stronger than ALTER TABLE ... VALIDATE CONSTRAINT, which takes "
		"SHARE UPDATE EXCLUSIVE and lets writes continue. On every version.",
	.safe_alternative =
		"-- enforce the rule per table instead of on the domain:\n"
		"ALTER TABLE users ADD CONSTRAINT users_email_has_at CHECK (email LIKE '%@%') NOT VALID;\n"
		"ALTER TABLE users VALIDATE CONSTRAINT users_email_has_at;  -- writes continue",
	.bad_example = "ALTER DOMAIN email VALIDATE CONSTRAINT email_has_at;",
	.good_example = "ALTER TABLE users VALIDATE CONSTRAINT users_email_has_at;",
	.peers = "none",
	.default_severity = PGS_SEV_ERROR,
	.check = check,
};
