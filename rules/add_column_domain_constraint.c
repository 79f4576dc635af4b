/*
 * add-column-domain-constraint: ADD COLUMN of a domain type that has constraints.
 *
 * When the new column's type is a domain with CHECK or NOT NULL
 * constraints, PostgreSQL must test the column's value (the default, or
 * NULL) against them for every existing row, so it rewrites the table and
 * its indexes under ACCESS EXCLUSIVE even without a default: reads and
 * writes wait for the whole rewrite. (tablecmds.c ATExecAddColumn, PG 10
 * to 17: DomainHasConstraints() makes a CoerceToDomain of NULL the value to
 * store, and from PG 11 also rules out the attmissingval fast path.)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	for (size_t i = 0; i < s->fx.n_notes; i++) {
		const struct effect_note *n = &s->fx.notes[i];
		if (n->cause != CAUSE_DOMAIN_WITH_CONSTRAINT || rule_table_is_new(ctx, n->relation))
			continue;
		struct finding f = {
			.start = n->offset, .end = s->st->end, .relation = n->relation,
			.message = rule_printf(ctx,
				"adding column \"%s\" of domain \"%s\", which has constraints, to table \"%s\" rewrites the whole table",
				n->column ? n->column : "?", n->detail ? n->detail : "?", n->relation),
			.help = "add the column with the domain's base type, then enforce the domain's rule with "
				"ADD CONSTRAINT ... CHECK (...) NOT VALID and VALIDATE CONSTRAINT in a later step",
		};
		int rc = rule_report(ctx, &f);
		if (rc)
			return rc;
	}
	return PGS_OK;
}

const struct rule rule_add_column_domain_constraint = {
	.id = "add-column-domain-constraint",
	.summary = "ADD COLUMN of a domain type with constraints rewrites the table",
	.rationale =
		"ALTER TABLE ... ADD COLUMN takes ACCESS EXCLUSIVE, which blocks reads and writes. When "
		"the column's type is a domain with CHECK or NOT NULL constraints, every existing row's "
		"value must be checked against them, so the table and all its indexes are rewritten "
		"while the lock is held, with or without a default (PostgreSQL 10 to 17).",
	.safe_alternative =
		"-- CREATE DOMAIN positive_int AS int CHECK (VALUE > 0);\n"
		"ALTER TABLE t ADD COLUMN qty int;                              -- base type: no rewrite\n"
		"ALTER TABLE t ADD CONSTRAINT t_qty_positive CHECK (qty > 0) NOT VALID; -- brief\n"
		"ALTER TABLE t VALIDATE CONSTRAINT t_qty_positive;              -- scan, writes continue",
	.bad_example =
		"CREATE DOMAIN positive_int AS int CHECK (VALUE > 0);\n"
		"ALTER TABLE items ADD COLUMN qty positive_int;",
	.good_example =
		"ALTER TABLE items ADD COLUMN qty int;\n"
		"ALTER TABLE items ADD CONSTRAINT items_qty_positive CHECK (qty > 0) NOT VALID;",
	.peers = "none (squawk's ban-create-domain-with-constraint is related)",
	.default_severity = PGS_SEV_ERROR,
	.check = check,
};
