/*
 * create-partition-locks-parent: CREATE TABLE ... PARTITION OF locks the whole partitioned table.
 *
 * Creating a partition in place takes ACCESS EXCLUSIVE on the partitioned
 * table: reads and writes on every partition wait, and the CREATE waits
 * behind every running query on the table. From PostgreSQL 12, creating
 * the table on its own and attaching it takes only SHARE UPDATE EXCLUSIVE
 * on the parent; before 12 ATTACH PARTITION takes ACCESS EXCLUSIVE too.
 * (tablecmds.c DefineRelation: AccessExclusiveLock on the parent;
 * AlterTableGetLockLevel AT_AttachPartition, PG 12; docs: "Partition
 * Maintenance".)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const PgQuery__Node *n = s->st->node;
	if (!RULE_NODE(n, CREATE_STMT) || !n->create_stmt->partbound)
		return PGS_OK;
	const PgQuery__CreateStmt *cs = n->create_stmt;
	for (size_t i = 0; i < cs->n_inh_relations; i++) {
		if (!RULE_NODE(cs->inh_relations[i], RANGE_VAR))
			continue;
		const char *parent = schema_qualify(ctx->schema, ctx->arena, cs->inh_relations[i]->range_var);
		if (!parent || rule_table_is_new(ctx, parent))
			continue;
		enum pgs_lock_mode m = effects_lock_on(&s->fx, parent);
		if (m != PGS_LOCK_ACCESS_EXCLUSIVE)
			continue;
		const char *part = schema_qualify(ctx->schema, ctx->arena, cs->relation);
		struct finding f = {
			.relation = parent, .lock = m,
			.message = rule_printf(ctx,
				"creating partition \"%s\" locks partitioned table \"%s\" in ACCESS EXCLUSIVE mode: reads and writes on every partition wait",
				part ? part : "?", parent),
			.help = ctx->pg_version >= 12 ?
				rule_printf(ctx, "CREATE TABLE %s (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS); "
					    "then ALTER TABLE %s ATTACH PARTITION %s FOR VALUES ...; which takes only "
					    "SHARE UPDATE EXCLUSIVE on the parent (reads and writes continue)",
					    part ? part : "p", parent, parent, part ? part : "p") :
				"before PostgreSQL 12 ATTACH PARTITION locks the parent in ACCESS EXCLUSIVE mode "
				"too: create partitions ahead of time, with a short lock_timeout, when the table "
				"is quiet",
		};
		return rule_report(ctx, &f);
	}
	return PGS_OK;
}

const struct rule rule_create_partition_locks_parent = {
	.id = "create-partition-locks-parent",
	.summary = "CREATE TABLE ... PARTITION OF locks the partitioned table in ACCESS EXCLUSIVE mode",
	.rationale =
		"CREATE TABLE ... PARTITION OF takes ACCESS EXCLUSIVE on the partitioned table, which "
		"blocks reads and writes on all its partitions; the statement is quick but waits "
		"behind every running query on the table, with everything else queued behind it. From "
		"PostgreSQL 12, a table created on its own and then attached with ATTACH PARTITION "
		"needs only SHARE UPDATE EXCLUSIVE on the parent, which blocks neither. Before 12, "
		"ATTACH takes ACCESS EXCLUSIVE as well, and the advice is to create partitions ahead "
		"of time. A default partition is also scanned (see default-partition-scan).",
	.safe_alternative =
		"CREATE TABLE measurements_2025 (LIKE measurements INCLUDING DEFAULTS INCLUDING CONSTRAINTS);\n"
		"ALTER TABLE measurements ATTACH PARTITION measurements_2025\n"
		"  FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');  -- SHARE UPDATE EXCLUSIVE (PG 12+)",
	.bad_example =
		"CREATE TABLE measurements_2025 PARTITION OF measurements\n"
		"  FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');",
	.good_example =
		"CREATE TABLE measurements_2025 (LIKE measurements INCLUDING DEFAULTS INCLUDING CONSTRAINTS);\n"
		"ALTER TABLE measurements ATTACH PARTITION measurements_2025\n"
		"  FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');",
	.peers = "none",
	.default_severity = PGS_SEV_WARNING,
	.check = check,
};
