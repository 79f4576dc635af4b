/*
 * default-partition-scan: a new partition makes PostgreSQL scan the default partition.
 *
 * CREATE TABLE ... PARTITION OF parent FOR VALUES ..., and ATTACH
 * PARTITION, take ACCESS EXCLUSIVE on the parent's DEFAULT partition and
 * read all of it, to make sure none of its rows belongs in the new
 * partition: the default partition's reads and writes wait for the whole
 * scan. Default partitions exist from PostgreSQL 11. (partbounds.c
 * check_default_partition_contents; tablecmds.c DefineRelation,
 * ATExecAttachPartition; docs: CREATE TABLE, PARTITION OF.)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	for (size_t i = 0; i < s->fx.n_notes; i++) {
		const struct effect_note *n = &s->fx.notes[i];
		if (n->cause != CAUSE_DEFAULT_PARTITION || rule_table_is_new(ctx, n->relation))
			continue;
		const struct sm_table *t = schema_table(ctx->schema, n->relation);
		enum pgs_lock_mode m = effects_lock_on(&s->fx, n->relation);
		struct finding f = {
			.relation = n->relation,
			.message = rule_printf(ctx,
				"adding a partition%s%s%s scans default partition \"%s\" under %s: its %s wait until every row has been checked",
				t && t->parent ? " to \"" : "", t && t->parent ? t->parent : "",
				t && t->parent ? "\"" : "", n->relation, pgs_lock_mode_sql(m), pgs_lock_blocks_text(m)),
			.help = "keep the default partition empty (move its rows to their own partitions in "
				"batches first), or create partitions ahead of the data so the default partition "
				"never holds rows for them",
		};
		int rc = rule_report(ctx, &f);
		if (rc)
			return rc;
	}
	return PGS_OK;
}

const struct rule rule_default_partition_scan = {
	.id = "default-partition-scan",
	.summary = "creating or attaching a partition scans the default partition under ACCESS EXCLUSIVE",
	.rationale =
		"When a partitioned table has a DEFAULT partition, CREATE TABLE ... PARTITION OF and "
		"ALTER TABLE ... ATTACH PARTITION take ACCESS EXCLUSIVE on the default partition, which "
		"blocks its reads and writes, and read every row of it to check that none belongs to "
		"the new partition. A large default partition turns a catalog change into a long "
		"outage for it. Default partitions exist from PostgreSQL 11.",
	.safe_alternative =
		"-- create partitions before rows for them arrive, so the default partition stays small:\n"
		"CREATE TABLE measurements_2026 PARTITION OF measurements\n"
		"  FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\n"
		"-- and move stray rows out of the default partition in batches beforehand",
	.bad_example =
		"CREATE TABLE measurements_2024 PARTITION OF measurements\n"
		"  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');",
	.good_example =
		"CREATE TABLE readings (logdate date NOT NULL) PARTITION BY RANGE (logdate);\n"
		"CREATE TABLE readings_default PARTITION OF readings DEFAULT;\n"
		"CREATE TABLE readings_2024 PARTITION OF readings\n"
		"  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');  -- a new table: nothing to scan",
	.peers = "none",
	.example_setup =
		"CREATE TABLE measurements (logdate date NOT NULL, value int) PARTITION BY RANGE (logdate);\n"
		"CREATE TABLE measurements_default PARTITION OF measurements DEFAULT;",
	.default_severity = PGS_SEV_ERROR,
	.min_pg_version = 11,
	.check = check,
};
