/*
 * detach-partition-without-concurrently: DETACH PARTITION without CONCURRENTLY (PostgreSQL 14+).
 *
 * ALTER TABLE parent DETACH PARTITION p takes ACCESS EXCLUSIVE on the
 * parent and on p: every query on any partition of the parent waits, and
 * the DETACH itself waits behind every running query on the parent. From
 * PostgreSQL 14, DETACH PARTITION ... CONCURRENTLY takes SHARE UPDATE
 * EXCLUSIVE on the parent and waits out running queries in two
 * transactions instead; it cannot run in a transaction block, and it is
 * refused when the parent has a DEFAULT partition. (tablecmds.c
 * ATExecDetachPartition, AlterTableGetLockLevel, PG 14; docs: ALTER TABLE,
 * DETACH PARTITION.)
 */
#include "rule.h"

#include <string.h>

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const PgQuery__Node *n = s->st->node;
	if (!RULE_NODE(n, ALTER_TABLE_STMT))
		return PGS_OK;
	const char *parent = schema_qualify(ctx->schema, ctx->arena, n->alter_table_stmt->relation);
	if (!parent || rule_table_is_new(ctx, parent))
		return PGS_OK;
	for (size_t i = 0; i < n->alter_table_stmt->n_cmds; i++) {
		const PgQuery__Node *c = n->alter_table_stmt->cmds[i];
		if (!RULE_NODE(c, ALTER_TABLE_CMD) ||
		    c->alter_table_cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition ||
		    !RULE_NODE(c->alter_table_cmd->def, PARTITION_CMD) ||
		    c->alter_table_cmd->def->partition_cmd->concurrent)
			continue;
		const PgQuery__PartitionCmd *pc = c->alter_table_cmd->def->partition_cmd;
		const char *part = schema_qualify(ctx->schema, ctx->arena, pc->name);
		const struct sm_table *dflt = schema_default_partition(ctx->schema, parent);
		enum pgs_lock_mode m = effects_lock_on(&s->fx, parent);
		struct finding f = {
			.relation = parent,
			.message = rule_printf(ctx,
				"detaching partition \"%s\" without CONCURRENTLY locks table \"%s\" in %s mode: %s on every partition wait",
				part ? part : "?", parent, pgs_lock_mode_sql(m), pgs_lock_blocks_text(m)),
			.help = dflt && (!part || strcmp(dflt->name, part)) ?
				rule_printf(ctx, "DETACH PARTITION ... CONCURRENTLY is refused while \"%s\" has a "
					    "default partition (\"%s\"): set a short lock_timeout, retry on "
					    "timeout, and run it when the table is quiet", parent, dflt->name) :
				rule_printf(ctx, "ALTER TABLE %s DETACH PARTITION %s CONCURRENTLY; outside a "
					    "transaction block (if interrupted, finish it with DETACH PARTITION "
					    "%s FINALIZE)", parent, part ? part : "p", part ? part : "p"),
		};
		return rule_report(ctx, &f);
	}
	return PGS_OK;
}

const struct rule rule_detach_partition_without_concurrently = {
	.id = "detach-partition-without-concurrently",
	.summary = "DETACH PARTITION without CONCURRENTLY locks the whole partitioned table",
	.rationale =
		"ALTER TABLE ... DETACH PARTITION takes ACCESS EXCLUSIVE on the partitioned table and on "
		"the partition, which blocks reads and writes on every partition; the detach itself is "
		"quick but waits for every running query on the table, and everything queues behind "
		"it. From PostgreSQL 14, DETACH PARTITION ... CONCURRENTLY takes SHARE UPDATE EXCLUSIVE "
		"on the partitioned table, which blocks neither, and waits out running queries instead. "
		"It cannot run in a transaction block and is refused when the table has a DEFAULT "
		"partition. Before PostgreSQL 14 there is no concurrent form, so the rule applies from "
		"14.",
	.safe_alternative =
		"-- outside BEGIN/COMMIT (PostgreSQL 14 and later):\n"
		"ALTER TABLE measurements DETACH PARTITION measurements_2020 CONCURRENTLY;\n"
		"-- if it is interrupted:\n"
		"ALTER TABLE measurements DETACH PARTITION measurements_2020 FINALIZE;",
	.bad_example = "ALTER TABLE measurements DETACH PARTITION measurements_2020;",
	.good_example = "ALTER TABLE measurements DETACH PARTITION measurements_2020 CONCURRENTLY;",
	.peers = "squawk: require-concurrent-partition-detach",
	.default_severity = PGS_SEV_WARNING,
	.min_pg_version = 14,
	.check = check,
};
