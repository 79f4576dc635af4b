/*
 * prefer-text-over-varchar: varchar(n) where text with a CHECK would do.
 *
 * Changing a varchar limit needs ALTER COLUMN TYPE (ACCESS EXCLUSIVE); a
 * CHECK on a text column can be swapped NOT VALID and validated under
 * SHARE UPDATE EXCLUSIVE. (docs: "Character Types", 8.3; ALTER TABLE.)
 */
#include "rule.h"
#include "lib/column_types.h"

#include <string.h>

static bool matches(const PgQuery__TypeName *tn)
{
	bool catalog;
	const char *t = column_type_name(tn, &catalog);
	(void)catalog;
	return t && catalog && !strcmp(t, "varchar") && tn->n_typmods > 0;
}

static const char *message(struct rule_ctx *ctx, const char *column, const char *table)
{
	return rule_printf(ctx, "column \"%s\" of table \"%s\" is varchar(n): changing the limit later needs ALTER COLUMN TYPE under ACCESS EXCLUSIVE, where a CHECK on text can be changed without blocking", column, table);
}

static int check(struct rule_ctx *ctx)
{
	return report_column_types(ctx, matches, message,
				   "use text with CHECK (length(col) <= n): the check can later be replaced NOT VALID and validated under SHARE UPDATE EXCLUSIVE");
}

const struct rule rule_prefer_text_over_varchar = {
	.id = "prefer-text-over-varchar",
	.summary = "varchar(n) where text with a CHECK is easier to change",
	.rationale =
		"varchar(n) stores the same as text, plus a length limit. Raising the limit later needs "
		"ALTER COLUMN ... TYPE, which takes ACCESS EXCLUSIVE (a brief one when the new limit is "
		"larger, a rewrite when it is smaller or the type changes). A CHECK (length(col) <= n) "
		"on a text column can be replaced with a new check added NOT VALID and validated under "
		"SHARE UPDATE EXCLUSIVE, which blocks neither reads nor writes. A convention, so a "
		"hint. On every version.",
	.safe_alternative =
		"CREATE TABLE users (id bigint, name text CHECK (length(name) <= 100));",
	.bad_example = "CREATE TABLE users (id bigint, name varchar(100));",
	.good_example = "CREATE TABLE users (id bigint, name text CHECK (length(name) <= 100));",
	.peers = "squawk: prefer-text-field",
	.default_severity = PGS_SEV_HINT,
	.check = check,
};
