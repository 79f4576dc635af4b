/*
 * add-column-volatile-default: ADD COLUMN whose default is evaluated per row.
 *
 * From PostgreSQL 11, ADD COLUMN with a non-volatile default stores the
 * value once in the catalog (pg_attribute.attmissingval) and rewrites
 * nothing. A volatile default (clock_timestamp(), random(),
 * gen_random_uuid(), nextval() behind serial, an identity column) must be
 * computed for every existing row, so the table is rewritten under ACCESS
 * EXCLUSIVE: no reads or writes until it finishes. (tablecmds.c
 * ATExecAddColumn; docs: ALTER TABLE, Notes.)
 */
#include "rule.h"

static const char *what(const struct effect_note *n)
{
	switch (n->cause) {
	case CAUSE_SERIAL_COLUMN: return "a serial column (its default calls nextval(), which is volatile)";
	case CAUSE_IDENTITY_COLUMN: return "an identity column (each row takes a sequence value)";
	default: return NULL;
	}
}

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	for (size_t i = 0; i < s->fx.n_notes; i++) {
		const struct effect_note *n = &s->fx.notes[i];
		if (n->cause != CAUSE_VOLATILE_DEFAULT && n->cause != CAUSE_SERIAL_COLUMN &&
		    n->cause != CAUSE_IDENTITY_COLUMN)
			continue;
		if (rule_table_is_new(ctx, n->relation))
			continue;
		const char *msg = what(n) ?
			rule_printf(ctx, "adding column \"%s\" to table \"%s\" as %s rewrites the whole table",
				    n->column, n->relation, what(n)) :
			rule_printf(ctx, "adding column \"%s\" to table \"%s\" with a volatile default (%s()) rewrites the whole table",
				    n->column, n->relation, n->detail ? n->detail : "?");
		struct finding f = {
			.start = n->offset, .end = s->st->end, .message = msg, .relation = n->relation,
			.help = "add the column without a default, then SET DEFAULT for new rows, and backfill existing rows in batches",
		};
		int rc = rule_report(ctx, &f);
		if (rc)
			return rc;
	}
	return PGS_OK;
}

const struct rule rule_add_column_volatile_default = {
	.id = "add-column-volatile-default",
	.summary = "ADD COLUMN with a volatile default, serial or identity rewrites the table",
	.rationale =
		"ALTER TABLE ... ADD COLUMN takes ACCESS EXCLUSIVE, which blocks reads and writes. "
		"From PostgreSQL 11 a non-volatile default costs nothing (it is stored once in the "
		"catalog), but a volatile one (clock_timestamp(), random(), gen_random_uuid(), the "
		"nextval() behind serial, identity columns) is computed for every existing row: the "
		"table and all its indexes are rewritten while the lock is held.",
	.safe_alternative =
		"ALTER TABLE t ADD COLUMN c uuid;                 -- instant\n"
		"ALTER TABLE t ALTER COLUMN c SET DEFAULT gen_random_uuid(); -- new rows\n"
		"-- backfill existing rows in batches, each in its own transaction:\n"
		"UPDATE t SET c = gen_random_uuid() WHERE id BETWEEN $1 AND $2 AND c IS NULL;",
	.bad_example = "ALTER TABLE accounts ADD COLUMN token uuid DEFAULT gen_random_uuid();",
	.good_example = "ALTER TABLE accounts ADD COLUMN created_at timestamptz DEFAULT now();",
	.peers = "squawk: adding-field-with-default; strong_migrations: add_column_default",
	.default_severity = PGS_SEV_ERROR,
	.min_pg_version = 11,
	.check = check,
};
