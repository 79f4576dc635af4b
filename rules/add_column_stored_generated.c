/*
 * add-column-stored-generated: ADD COLUMN ... GENERATED ALWAYS AS (...) STORED.
 *
 * A stored generated column is computed and written for every existing row
 * when it is added, so the table and its indexes are rewritten under
 * ACCESS EXCLUSIVE: no reads or writes until the rewrite ends. Unlike a
 * default, the value is never kept in the catalog (attmissingval), so
 * PostgreSQL 11's fast ADD COLUMN does not apply. Generated columns exist
 * from PostgreSQL 12. (tablecmds.c ATExecAddColumn: "colDef->generated"
 * forces AT_REWRITE_DEFAULT_VAL; docs: ALTER TABLE, Notes.)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	for (size_t i = 0; i < s->fx.n_notes; i++) {
		const struct effect_note *n = &s->fx.notes[i];
		if (n->cause != CAUSE_GENERATED_STORED || rule_table_is_new(ctx, n->relation))
			continue;
		struct finding f = {
			.start = n->offset, .end = s->st->end, .relation = n->relation,
			.message = rule_printf(ctx,
				"adding stored generated column \"%s\" to table \"%s\" rewrites the whole table",
				n->column ? n->column : "?", n->relation),
			.help = "add a plain nullable column, fill it for new rows with a BEFORE INSERT OR UPDATE "
				"trigger, and backfill existing rows in batches; or create the column together "
				"with a new table",
		};
		int rc = rule_report(ctx, &f);
		if (rc)
			return rc;
	}
	return PGS_OK;
}

const struct rule rule_add_column_stored_generated = {
	.id = "add-column-stored-generated",
	.summary = "ADD COLUMN ... GENERATED ALWAYS AS (...) STORED rewrites the table",
	.rationale =
		"ALTER TABLE ... ADD COLUMN takes ACCESS EXCLUSIVE, which blocks reads and writes. A "
		"stored generated column is computed for every existing row and written to disk, so the "
		"table and all its indexes are rewritten while the lock is held. This holds on every "
		"version that has generated columns (PostgreSQL 12 and later).",
	.safe_alternative =
		"ALTER TABLE t ADD COLUMN total numeric;           -- no rewrite\n"
		"CREATE FUNCTION t_total() RETURNS trigger LANGUAGE plpgsql AS\n"
		"  $$ BEGIN NEW.total := NEW.price * NEW.qty; RETURN NEW; END $$;\n"
		"CREATE TRIGGER t_total BEFORE INSERT OR UPDATE ON t\n"
		"  FOR EACH ROW EXECUTE FUNCTION t_total();\n"
		"-- backfill existing rows in batches, each in its own transaction:\n"
		"UPDATE t SET total = price * qty WHERE id BETWEEN $1 AND $2 AND total IS NULL;",
	.bad_example = "ALTER TABLE items ADD COLUMN total numeric GENERATED ALWAYS AS (price * qty) STORED;",
	.good_example = "ALTER TABLE items ADD COLUMN total numeric;",
	.peers = "strong_migrations: add_column_generated_stored",
	.default_severity = PGS_SEV_ERROR,
	.min_pg_version = 12,
	.check = check,
};
