/*
 * prefer-text-over-char: char(n) columns.
 *
 * char(n) pads values with spaces, and whether the padding counts depends
 * on the operation; PostgreSQL advises text or varchar instead. (docs:
 * "Character Types", 8.3, Tip.)
 */
#include "rule.h"
#include "lib/column_types.h"

#include <string.h>

static bool matches(const PgQuery__TypeName *tn)
{
	bool catalog;
	const char *t = column_type_name(tn, &catalog);
	(void)catalog;
	return t && catalog && !strcmp(t, "bpchar");
}

static const char *message(struct rule_ctx *ctx, const char *column, const char *table)
{
	return rule_printf(ctx, "column \"%s\" of table \"%s\" is char(n): values are padded with spaces to n characters, and the padding is ignored or kept depending on the operation", column, table);
}

static int check(struct rule_ctx *ctx)
{
	return report_column_types(ctx, matches, message,
				   "use text (or varchar) with a CHECK on the length if one is needed");
}

const struct rule rule_prefer_text_over_char = {
	.id = "prefer-text-over-char",
	.summary = "char(n) pads values with spaces",
	.rationale =
		"char(n) pads every value with spaces to n characters. Trailing spaces are ignored by "
		"some operations (comparison between char values) and not others (LIKE, casts to "
		"text, client code), which makes equality surprising, and it is no faster than text. "
		"PostgreSQL's own docs advise text or varchar. A convention, so a hint. On every "
		"version.",
	.safe_alternative =
		"CREATE TABLE countries (code text NOT NULL CHECK (length(code) = 2));",
	.bad_example = "CREATE TABLE countries (code char(2) NOT NULL);",
	.good_example = "CREATE TABLE countries (code text NOT NULL CHECK (length(code) = 2));",
	.peers = "squawk: ban-char-field",
	.default_severity = PGS_SEV_HINT,
	.check = check,
};
