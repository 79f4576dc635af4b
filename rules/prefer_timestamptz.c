/*
 * prefer-timestamptz: timestamp without time zone where timestamptz would do.
 *
 * timestamp stores a wall-clock reading with no zone, so its meaning
 * depends on the reader; timestamptz stores an instant and converts on
 * output. (docs: "Date/Time Types", 8.5.1.3 Time Stamps.)
 */
#include "rule.h"
#include "lib/column_types.h"

#include <string.h>

static bool matches(const PgQuery__TypeName *tn)
{
	bool catalog;
	const char *t = column_type_name(tn, &catalog);
	(void)catalog;
	return t && !strcmp(t, "timestamp");
}

static const char *message(struct rule_ctx *ctx, const char *column, const char *table)
{
	return rule_printf(ctx, "column \"%s\" of table \"%s\" is timestamp without time zone: values carry no zone, so every reader must guess it", column, table);
}

static int check(struct rule_ctx *ctx)
{
	return report_column_types(ctx, matches, message,
				   "use timestamptz (timestamp with time zone): it stores an absolute instant and converts to each session's TimeZone");
}

const struct rule rule_prefer_timestamptz = {
	.id = "prefer-timestamptz",
	.summary = "timestamp without time zone where timestamptz would store an instant",
	.rationale =
		"timestamp without time zone stores a wall-clock reading with no zone: the same value "
		"means different instants to clients in different time zones, and daylight-saving "
		"changes make some values ambiguous. timestamptz stores an absolute instant (UTC "
		"internally) and converts to the session's TimeZone on output. Both take 8 bytes. A "
		"convention, so a hint. On every version.",
	.safe_alternative =
		"CREATE TABLE events (id bigint, happened_at timestamptz NOT NULL);",
	.bad_example = "CREATE TABLE events (id bigint, happened_at timestamp NOT NULL);",
	.good_example = "CREATE TABLE events (id bigint, happened_at timestamptz NOT NULL);",
	.peers = "squawk: prefer-timestamptz",
	.default_severity = PGS_SEV_HINT,
	.check = check,
};
