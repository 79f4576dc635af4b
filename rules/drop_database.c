/*
 * drop-database: DROP DATABASE in a migration.
 *
 * DROP DATABASE removes a database and everything in it, for good; it
 * cannot run in a transaction block, so nothing rolls it back. A migration
 * that does it almost always runs against the wrong environment or holds a
 * leftover from development. (dbcommands.c dropdb; docs: DROP DATABASE.)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const PgQuery__Node *n = ctx->stmt->st->node;
	if (!RULE_NODE(n, DROPDB_STMT))
		return PGS_OK;
	struct finding f = {
		.message = rule_printf(ctx, "DROP DATABASE \"%s\" deletes the database and all its data for good; nothing rolls it back",
				       n->dropdb_stmt->dbname ? n->dropdb_stmt->dbname : "?"),
		.help = "keep database creation and removal out of migrations; do it by hand, with a backup, "
			"in the environment you mean",
	};
	return rule_report(ctx, &f);
}

const struct rule rule_drop_database = {
	.id = "drop-database",
	.summary = "DROP DATABASE deletes a whole database",
	.rationale =
		"DROP DATABASE removes the database and all its data for good. It cannot run inside a "
		"transaction block, so a failure later in the migration does not undo it. In a "
		"migration it is almost always a development leftover, or aimed at the wrong "
		"environment. On every version.",
	.safe_alternative = "-- no migration should drop a database: do it by hand, after a backup",
	.bad_example = "DROP DATABASE analytics;",
	.good_example = "CREATE SCHEMA analytics;",
	.peers = "squawk: ban-drop-database",
	.default_severity = PGS_SEV_ERROR,
	.check = check,
};
