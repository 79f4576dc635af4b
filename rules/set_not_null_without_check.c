/*
 * set-not-null-without-check: SET NOT NULL that reads the whole table.
 *
 * ALTER COLUMN ... SET NOT NULL takes ACCESS EXCLUSIVE and reads every row
 * to prove there is no NULL, so reads and writes wait for the whole scan.
 * From PostgreSQL 12 the scan is skipped when a validated CHECK (col IS
 * NOT NULL) already proves it, and that check can be added NOT VALID and
 * validated under SHARE UPDATE EXCLUSIVE, which blocks neither reads nor
 * writes. Before 12 SET NOT NULL always scans. The lock model decides
 * whether this statement scans (it knows validated checks); this rule only
 * words the advice for the target version. (tablecmds.c ATExecSetNotNull
 * and NotNullImpliedByRelConstraints, PG 12; docs: ALTER TABLE, SET NOT
 * NULL.)
 */
#include "rule.h"

static const char *help_for(struct rule_ctx *ctx, const char *column)
{
	const char *col = column ? column : "col";
	if (ctx->pg_version >= 12)
		return rule_printf(ctx,
			"first ADD CONSTRAINT c CHECK (%s IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT c "
			"(reads and writes continue), then SET NOT NULL (no scan) and DROP CONSTRAINT c", col);
	return rule_printf(ctx,
		"before PostgreSQL 12 SET NOT NULL always scans the table: ADD CONSTRAINT c CHECK (%s IS "
		"NOT NULL) NOT VALID, then VALIDATE CONSTRAINT c (reads and writes continue), and keep "
		"that validated check as the enforcement instead of SET NOT NULL", col);
}

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	for (size_t i = 0; i < s->fx.n_notes; i++) {
		const struct effect_note *n = &s->fx.notes[i];
		if (n->cause != CAUSE_SET_NOT_NULL || rule_table_is_new(ctx, n->relation))
			continue;
		const char *mode = pgs_lock_mode_sql(effects_lock_on(&s->fx, n->relation));
		const char *msg = n->column ?
			rule_printf(ctx, "setting NOT NULL on column \"%s\" of table \"%s\" scans the whole table under %s",
				    n->column, n->relation, mode) :
			rule_printf(ctx, "making the key columns of table \"%s\" NOT NULL scans the whole table under %s",
				    n->relation, mode);
		struct finding f = {
			.start = n->offset, .end = s->st->end, .relation = n->relation, .message = msg,
			.help = help_for(ctx, n->column),
		};
		int rc = rule_report(ctx, &f);
		if (rc)
			return rc;
	}
	return PGS_OK;
}

const struct rule rule_set_not_null_without_check = {
	.id = "set-not-null-without-check",
	.summary = "SET NOT NULL without a validated CHECK scans the table under ACCESS EXCLUSIVE",
	.rationale =
		"ALTER TABLE ... ALTER COLUMN ... SET NOT NULL takes ACCESS EXCLUSIVE, which blocks reads "
		"and writes, and reads every row to check for NULLs. From PostgreSQL 12 the scan is "
		"skipped when a validated CHECK (col IS NOT NULL) constraint already proves it; such a "
		"check can be added NOT VALID (brief) and validated under SHARE UPDATE EXCLUSIVE, which "
		"blocks neither. Before PostgreSQL 12 SET NOT NULL always scans, so the validated check "
		"itself has to serve as the constraint.",
	.safe_alternative =
		"ALTER TABLE t ADD CONSTRAINT t_email_not_null CHECK (email IS NOT NULL) NOT VALID;\n"
		"ALTER TABLE t VALIDATE CONSTRAINT t_email_not_null;  -- scan; reads and writes continue\n"
		"-- PostgreSQL 12+:\n"
		"ALTER TABLE t ALTER COLUMN email SET NOT NULL;       -- no scan: the check proves it\n"
		"ALTER TABLE t DROP CONSTRAINT t_email_not_null;\n"
		"-- PostgreSQL 10 and 11: stop after VALIDATE and keep the check",
	.bad_example = "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
	.good_example =
		"ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;\n"
		"ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;",
	.peers = "squawk: adding-not-nullable-field; strong_migrations: change_column_null_postgresql",
	.default_severity = PGS_SEV_ERROR,
	.check = check,
};
