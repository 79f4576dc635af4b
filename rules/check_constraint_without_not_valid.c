/*
 * check-constraint-without-not-valid: ADD CONSTRAINT ... CHECK validated on the spot.
 *
 * Adding a CHECK constraint takes ACCESS EXCLUSIVE and, unless it is
 * marked NOT VALID, reads every row to test it while holding that lock:
 * reads and writes wait for the whole scan. Added NOT VALID, it only
 * changes the catalog (new rows are checked at once), and VALIDATE
 * CONSTRAINT later checks the old rows under SHARE UPDATE EXCLUSIVE, which
 * blocks neither reads nor writes. A CHECK written in an ADD COLUMN clause
 * cannot be NOT VALID, so it is scanned too. (tablecmds.c
 * ATAddCheckConstraint, ATRewriteTable, ATExecValidateConstraint;
 * AlterTableGetLockLevel; docs: ALTER TABLE, ADD table_constraint.)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	for (size_t i = 0; i < s->fx.n_notes; i++) {
		const struct effect_note *n = &s->fx.notes[i];
		if (n->cause != CAUSE_CHECK_VALIDATION || rule_table_is_new(ctx, n->relation))
			continue;
		const char *mode = pgs_lock_mode_sql(effects_lock_on(&s->fx, n->relation));
		const char *name = n->detail && *n->detail ? rule_printf(ctx, " \"%s\"", n->detail) : "";
		struct finding f = { .start = n->offset, .end = s->st->end, .relation = n->relation };
		if (n->column) {
			f.message = rule_printf(ctx,
				"adding column \"%s\" with CHECK constraint%s to table \"%s\" scans the whole table under %s",
				n->column, name, n->relation, mode);
			f.help = "add the column without the CHECK, then ADD CONSTRAINT ... CHECK (...) NOT VALID "
				"and VALIDATE CONSTRAINT in a separate statement (reads and writes continue)";
		} else {
			f.message = rule_printf(ctx,
				"adding CHECK constraint%s to table \"%s\" without NOT VALID scans the whole table under %s",
				name, n->relation, mode);
			f.help = "add it with NOT VALID (a brief catalog change), then VALIDATE CONSTRAINT in a "
				"separate transaction: that scan takes SHARE UPDATE EXCLUSIVE, so reads and writes continue";
		}
		int rc = rule_report(ctx, &f);
		if (rc)
			return rc;
	}
	return PGS_OK;
}

const struct rule rule_check_constraint_without_not_valid = {
	.id = "check-constraint-without-not-valid",
	.summary = "ADD CONSTRAINT ... CHECK without NOT VALID scans the table under ACCESS EXCLUSIVE",
	.rationale =
		"ALTER TABLE ... ADD CONSTRAINT ... CHECK takes ACCESS EXCLUSIVE, which blocks reads and "
		"writes, and without NOT VALID it reads every row to test the condition while holding "
		"it. With NOT VALID the constraint is recorded at once and enforced for new rows; "
		"VALIDATE CONSTRAINT then checks the existing rows under SHARE UPDATE EXCLUSIVE, which "
		"blocks neither reads nor writes. On every version.",
	.safe_alternative =
		"ALTER TABLE t ADD CONSTRAINT t_amount_positive CHECK (amount > 0) NOT VALID;  -- brief\n"
		"-- in a separate transaction:\n"
		"ALTER TABLE t VALIDATE CONSTRAINT t_amount_positive;  -- scan, reads and writes continue",
	.bad_example = "ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount > 0);",
	.good_example =
		"ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount > 0) NOT VALID;\n"
		"ALTER TABLE orders VALIDATE CONSTRAINT orders_amount_positive;",
	.peers = "squawk: constraint-missing-not-valid; strong_migrations: add_check_constraint",
	.default_severity = PGS_SEV_ERROR,
	.check = check,
};
