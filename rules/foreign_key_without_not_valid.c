/*
 * foreign-key-without-not-valid: ADD FOREIGN KEY validated on the spot.
 *
 * Adding a foreign key takes SHARE ROW EXCLUSIVE on both the table and the
 * referenced table (it adds triggers to each), which blocks writes on
 * both, and unless it is marked NOT VALID it checks every existing row
 * against the referenced table while holding those locks. Added NOT
 * VALID, it only changes the catalog; VALIDATE CONSTRAINT later checks the
 * rows under SHARE UPDATE EXCLUSIVE on the table and ROW SHARE on the
 * referenced one, which block neither reads nor writes. (tablecmds.c
 * ATAddForeignKeyConstraint, validateForeignKeyConstraint;
 * AlterTableGetLockLevel; ri_triggers.c RI_Initial_Check.)
 */
#include "rule.h"

/* The referenced table of the foreign key whose validation note is @v. */
static const char *referenced(const struct effects *fx, const struct effect_note *v)
{
	for (size_t i = 0; i < fx->n_notes; i++)
		if (fx->notes[i].cause == CAUSE_FK_REFERENCED && fx->notes[i].offset == v->offset)
			return fx->notes[i].relation;
	return NULL;
}

/* "SHARE ROW EXCLUSIVE on "public.t" (blocks writes)" */
static const char *lock_text(struct rule_ctx *ctx, const char *rel)
{
	enum pgs_lock_mode m = effects_lock_on(&ctx->stmt->fx, rel);
	return rule_printf(ctx, "%s on \"%s\" (blocks %s)", pgs_lock_mode_sql(m), rel,
			   pgs_lock_blocks_text(m));
}

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	for (size_t i = 0; i < s->fx.n_notes; i++) {
		const struct effect_note *n = &s->fx.notes[i];
		if (n->cause != CAUSE_FK_VALIDATION || rule_table_is_new(ctx, n->relation))
			continue;
		const char *ref = referenced(&s->fx, n);
		const char *name = n->detail && *n->detail ? rule_printf(ctx, " \"%s\"", n->detail) : "";
		const char *both = ref ?
			rule_printf(ctx, "%s and %s", lock_text(ctx, n->relation), lock_text(ctx, ref)) :
			lock_text(ctx, n->relation);
		struct finding f = { .start = n->offset, .end = s->st->end, .relation = n->relation };
		if (n->column) {
			f.message = rule_printf(ctx,
				"adding column \"%s\" with foreign key%s to table \"%s\" checks every row while holding %s",
				n->column, name, n->relation, both);
			f.help = "add the column without REFERENCES, then ADD CONSTRAINT ... FOREIGN KEY ... NOT "
				"VALID and VALIDATE CONSTRAINT in a separate transaction (reads and writes continue)";
		} else {
			f.message = rule_printf(ctx,
				"adding foreign key%s to table \"%s\" without NOT VALID checks every row while holding %s",
				name, n->relation, both);
			f.help = "add it with NOT VALID (a brief lock), then VALIDATE CONSTRAINT in a separate "
				"transaction: SHARE UPDATE EXCLUSIVE and ROW SHARE, so reads and writes continue";
		}
		int rc = rule_report(ctx, &f);
		if (rc)
			return rc;
	}
	return PGS_OK;
}

const struct rule rule_foreign_key_without_not_valid = {
	.id = "foreign-key-without-not-valid",
	.summary = "ADD FOREIGN KEY without NOT VALID blocks writes on both tables during a scan",
	.rationale =
		"ALTER TABLE ... ADD FOREIGN KEY takes SHARE ROW EXCLUSIVE on the table and on the "
		"referenced table, which blocks writes on both (reads continue), and without NOT VALID "
		"it checks every existing row against the referenced table while holding both locks. "
		"With NOT VALID the constraint is recorded at once and enforced for new rows; VALIDATE "
		"CONSTRAINT then checks the existing rows under SHARE UPDATE EXCLUSIVE on the table and "
		"ROW SHARE on the referenced table, which block neither reads nor writes. On every "
		"version.",
	.safe_alternative =
		"ALTER TABLE orders ADD CONSTRAINT orders_user_fk\n"
		"  FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;    -- brief\n"
		"-- in a separate transaction:\n"
		"ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;     -- scan, writes continue",
	.bad_example =
		"ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);",
	.good_example =
		"ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\n"
		"ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;",
	.peers = "squawk: adding-foreign-key-constraint, constraint-missing-not-valid; strong_migrations: add_foreign_key",
	.default_severity = PGS_SEV_ERROR,
	.check = check,
};
