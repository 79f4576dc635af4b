/*
 * add-column-not-null-without-default: ADD COLUMN ... NOT NULL with no default.
 *
 * A new NOT NULL column without a default is NULL in every existing row,
 * so the statement fails on any table that has rows; on an empty one it
 * still reads the whole table to prove that, under ACCESS EXCLUSIVE. Old
 * application code that does not know the column also fails to INSERT.
 * (tablecmds.c ATExecAddColumn sets verify_new_notnull, checked by the
 * phase 3 scan in ATRewriteTable; docs: ALTER TABLE, Notes.)
 */
#include "rule.h"

/* The safe path depends on what the target version can do without a scan. */
static const char *help_for(int pg)
{
	if (pg >= 12)
		return "add the column as nullable, backfill it in batches, then ADD CONSTRAINT ... CHECK "
			"(col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, SET NOT NULL (no scan with the "
			"validated check) and drop the check; or, if a constant fits, ADD COLUMN ... NOT NULL "
			"DEFAULT <constant>, which rewrites nothing";
	if (pg == 11)
		return "add the column as nullable, backfill it in batches, then ADD CONSTRAINT ... CHECK "
			"(col IS NOT NULL) NOT VALID and VALIDATE CONSTRAINT, and keep that check as the "
			"enforcement (SET NOT NULL always scans before PostgreSQL 12); or, if a constant fits, "
			"ADD COLUMN ... NOT NULL DEFAULT <constant>, which rewrites nothing";
	return "add the column as nullable, backfill it in batches, then ADD CONSTRAINT ... CHECK "
		"(col IS NOT NULL) NOT VALID and VALIDATE CONSTRAINT, and keep that check as the "
		"enforcement (before PostgreSQL 11 any default rewrites the table, and before 12 SET NOT "
		"NULL always scans it)";
}

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	for (size_t i = 0; i < s->fx.n_notes; i++) {
		const struct effect_note *n = &s->fx.notes[i];
		if (n->cause != CAUSE_ADD_NOT_NULL_COLUMN || rule_table_is_new(ctx, n->relation))
			continue;
		struct finding f = {
			.start = n->offset, .end = s->st->end, .relation = n->relation,
			.message = rule_printf(ctx,
				"adding NOT NULL column \"%s\" without a default to table \"%s\" fails if the table has rows, and scans it under %s",
				n->column ? n->column : "?", n->relation,
				pgs_lock_mode_sql(effects_lock_on(&s->fx, n->relation))),
			.help = help_for(ctx->pg_version),
		};
		int rc = rule_report(ctx, &f);
		if (rc)
			return rc;
	}
	return PGS_OK;
}

const struct rule rule_add_column_not_null_without_default = {
	.id = "add-column-not-null-without-default",
	.summary = "ADD COLUMN ... NOT NULL without a default fails on a table with rows",
	.rationale =
		"Every existing row gets NULL in a new column without a default, so ADD COLUMN ... NOT "
		"NULL fails as soon as the table has a row, and otherwise reads the whole table to check "
		"under ACCESS EXCLUSIVE, which blocks reads and writes. Application code that does not "
		"know the column yet also fails to insert. On every version.",
	.safe_alternative =
		"ALTER TABLE t ADD COLUMN region text;                            -- nullable: instant\n"
		"-- backfill in batches, each in its own transaction:\n"
		"UPDATE t SET region = 'eu' WHERE id BETWEEN $1 AND $2 AND region IS NULL;\n"
		"ALTER TABLE t ADD CONSTRAINT t_region_not_null CHECK (region IS NOT NULL) NOT VALID;\n"
		"ALTER TABLE t VALIDATE CONSTRAINT t_region_not_null;             -- scan, writes continue\n"
		"-- PostgreSQL 12+: SET NOT NULL uses the validated check and skips the scan\n"
		"ALTER TABLE t ALTER COLUMN region SET NOT NULL;\n"
		"ALTER TABLE t DROP CONSTRAINT t_region_not_null;\n"
		"-- before 12, stop after VALIDATE and keep the check as the enforcement",
	.bad_example = "ALTER TABLE users ADD COLUMN region text NOT NULL;",
	.good_example = "ALTER TABLE users ADD COLUMN region text NOT NULL DEFAULT 'eu';  -- PostgreSQL 11+",
	.peers = "squawk: adding-required-field",
	.default_severity = PGS_SEV_ERROR,
	.check = check,
};
