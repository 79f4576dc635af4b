/*
 * prefer-jsonb: json where jsonb would do.
 *
 * json has no equality operator (DISTINCT, GROUP BY, UNION fail) and is
 * reparsed on every access; jsonb is binary, comparable and indexable.
 * (docs: "JSON Types", 8.14.)
 */
#include "rule.h"
#include "lib/column_types.h"

#include <string.h>

static bool matches(const PgQuery__TypeName *tn)
{
	bool catalog;
	const char *t = column_type_name(tn, &catalog);
	(void)catalog;
	return t && !strcmp(t, "json");
}

static const char *message(struct rule_ctx *ctx, const char *column, const char *table)
{
	return rule_printf(ctx, "column \"%s\" of table \"%s\" is json: it has no equality operator (SELECT DISTINCT, GROUP BY and UNION fail on it) and is reparsed on every access", column, table);
}

static int check(struct rule_ctx *ctx)
{
	return report_column_types(ctx, matches, message,
				   "use jsonb: binary, indexable (GIN), comparable; json only keeps key order, duplicate keys and whitespace");
}

const struct rule rule_prefer_jsonb = {
	.id = "prefer-jsonb",
	.summary = "json where jsonb would do",
	.rationale =
		"json stores the text as written and reparses it on every access; it has no equality "
		"operator, so SELECT DISTINCT, GROUP BY, UNION and = on the column fail, and it cannot "
		"have a GIN index. jsonb stores a parsed binary form that supports all of these. json "
		"is only needed to keep key order, duplicate keys or whitespace. A convention, so a "
		"hint. On every version.",
	.safe_alternative =
		"CREATE TABLE events (id bigint, payload jsonb);",
	.bad_example = "CREATE TABLE events (id bigint, payload json);",
	.good_example = "CREATE TABLE events (id bigint, payload jsonb);",
	.peers = "strong_migrations: add_column_json; Eugene: E3",
	.default_severity = PGS_SEV_HINT,
	.check = check,
};
