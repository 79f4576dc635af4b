/*
 * add-column-default-before-pg11: ADD COLUMN with a default on PostgreSQL 10.
 *
 * Before PostgreSQL 11 every non-NULL default given to ADD COLUMN is
 * written into every existing row: the table and all its indexes are
 * rewritten under ACCESS EXCLUSIVE, so reads and writes wait for the whole
 * rewrite. PostgreSQL 11 stores a non-volatile default once in
 * pg_attribute.attmissingval instead. On PostgreSQL 10 this rule also
 * covers the volatile defaults, serial and identity columns that
 * add-column-volatile-default reports from 11 on. (tablecmds.c
 * ATExecAddColumn, PG 10 and PG 11; PG 11 release notes; docs: ALTER
 * TABLE, Notes.)
 */
#include "rule.h"

/* What kind of default the column gets, for the message. */
static const char *what(struct rule_ctx *ctx, const struct effect_note *n)
{
	switch (n->cause) {
	case CAUSE_SERIAL_COLUMN:
		return "as a serial column (its default calls nextval())";
	case CAUSE_IDENTITY_COLUMN:
		return "as an identity column (each row takes a sequence value)";
	case CAUSE_VOLATILE_DEFAULT:
		return n->detail ?
			rule_printf(ctx, "with a volatile default (%s())", n->detail) :
			"with a volatile default";
	default:
		return "with a default";
	}
}

static bool is_default_rewrite(enum effect_cause cause)
{
	return cause == CAUSE_DEFAULT_BEFORE_PG11 || cause == CAUSE_VOLATILE_DEFAULT ||
		cause == CAUSE_SERIAL_COLUMN || cause == CAUSE_IDENTITY_COLUMN;
}

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	for (size_t i = 0; i < s->fx.n_notes; i++) {
		const struct effect_note *n = &s->fx.notes[i];
		if (!is_default_rewrite(n->cause) || rule_table_is_new(ctx, n->relation))
			continue;
		struct finding f = {
			.start = n->offset, .end = s->st->end, .relation = n->relation,
			.message = rule_printf(ctx,
				"adding column \"%s\" to table \"%s\" %s rewrites the whole table before PostgreSQL 11",
				n->column ? n->column : "?", n->relation, what(ctx, n)),
			.help = "add the column without a default, then ALTER COLUMN ... SET DEFAULT (new rows "
				"only, no rewrite), and backfill existing rows in batches, each in its own transaction",
		};
		int rc = rule_report(ctx, &f);
		if (rc)
			return rc;
	}
	return PGS_OK;
}

const struct rule rule_add_column_default_before_pg11 = {
	.id = "add-column-default-before-pg11",
	.summary = "ADD COLUMN with any default rewrites the table before PostgreSQL 11",
	.rationale =
		"ALTER TABLE ... ADD COLUMN takes ACCESS EXCLUSIVE, which blocks reads and writes. "
		"On PostgreSQL 10 any default other than NULL (a constant too) is written into every "
		"existing row, so the table and all its indexes are rewritten while the lock is held. "
		"PostgreSQL 11 and later store a non-volatile default in the catalog and rewrite "
		"nothing; there, add-column-volatile-default covers the defaults that still rewrite.",
	.safe_alternative =
		"ALTER TABLE t ADD COLUMN status text;                 -- no rewrite\n"
		"ALTER TABLE t ALTER COLUMN status SET DEFAULT 'new'; -- new rows only\n"
		"-- backfill existing rows in batches, each in its own transaction:\n"
		"UPDATE t SET status = 'new' WHERE id BETWEEN $1 AND $2 AND status IS NULL;",
	.bad_example = "ALTER TABLE orders ADD COLUMN status text DEFAULT 'new';",
	.good_example = "ALTER TABLE orders ADD COLUMN status text;",
	.peers = "squawk: adding-field-with-default; strong_migrations: add_column_default",
	.default_severity = PGS_SEV_ERROR,
	.max_pg_version = 10,
	.check = check,
};
