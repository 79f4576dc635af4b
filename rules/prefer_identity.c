/*
 * prefer-identity: a serial column where an identity column would do.
 *
 * serial is shorthand for an integer column whose DEFAULT is nextval() of
 * a sequence the table owns loosely (separate permissions, shared by
 * CREATE TABLE ... LIKE, bypassed by explicit values). Identity columns
 * (SQL standard, PostgreSQL 10 and later) bind the sequence to the column.
 * (docs: CREATE TABLE, GENERATED AS IDENTITY; "Numeric Types", serial.)
 */
#include "rule.h"
#include "lib/column_types.h"

#include <string.h>

static bool matches(const PgQuery__TypeName *tn)
{
	bool catalog;
	const char *t = column_type_name(tn, &catalog);
	(void)catalog;
	return t && (!strcmp(t, "serial") || !strcmp(t, "serial4") || !strcmp(t, "bigserial") ||
		     !strcmp(t, "serial8") || !strcmp(t, "smallserial") || !strcmp(t, "serial2"));
}

static const char *message(struct rule_ctx *ctx, const char *column, const char *table)
{
	return rule_printf(ctx, "column \"%s\" of table \"%s\" is serial: an identity column is the standard form, and its sequence follows the table", column, table);
}

static int check(struct rule_ctx *ctx)
{
	return report_column_types(ctx, matches, message,
				   "use GENERATED ALWAYS AS IDENTITY (or BY DEFAULT) with bigint: id bigint GENERATED ALWAYS AS IDENTITY");
}

const struct rule rule_prefer_identity = {
	.id = "prefer-identity",
	.summary = "serial, bigserial or smallserial where an identity column would do",
	.rationale =
		"serial is shorthand for an integer column with a DEFAULT nextval() of a sequence that "
		"the table owns loosely: permissions on the sequence are separate, copying the table "
		"with CREATE TABLE ... LIKE shares the sequence, and nothing stops inserts that bypass "
		"it. Identity columns (SQL standard, PostgreSQL 10 and later) tie the sequence to the "
		"column, and GENERATED ALWAYS refuses explicit values unless asked. A convention, so a "
		"hint. On every version.",
	.safe_alternative =
		"CREATE TABLE orders (\n"
		"  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
		"  total numeric\n"
		");",
	.bad_example = "CREATE TABLE orders (id bigserial PRIMARY KEY, total numeric);",
	.good_example = "CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, total numeric);",
	.peers = "squawk: prefer-identity",
	.default_severity = PGS_SEV_HINT,
	.check = check,
};
