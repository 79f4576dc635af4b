/*
 * attach-partition-without-check: ATTACH PARTITION that scans the partition.
 *
 * ALTER TABLE parent ATTACH PARTITION p ... takes ACCESS EXCLUSIVE on p
 * and reads every row of p to prove it fits the bound, unless p's
 * validated constraints already imply the bound (the lock model decides
 * that: NOT NULL or validated IS NOT NULL on the key columns, and a
 * validated CHECK on them). Such a CHECK can be added NOT VALID and
 * validated under SHARE UPDATE EXCLUSIVE, which blocks neither reads nor
 * writes. The parent is locked SHARE UPDATE EXCLUSIVE from PostgreSQL 12,
 * ACCESS EXCLUSIVE before. (tablecmds.c ATExecAttachPartition,
 * QueuePartitionConstraintValidation, PartConstraintImpliedByRelConstraint;
 * docs: ALTER TABLE, ATTACH PARTITION.)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const PgQuery__Node *n = s->st->node;
	if (!RULE_NODE(n, ALTER_TABLE_STMT))
		return PGS_OK;
	const char *parent = schema_qualify(ctx->schema, ctx->arena, n->alter_table_stmt->relation);
	for (size_t i = 0; i < s->fx.n_notes; i++) {
		const struct effect_note *note = &s->fx.notes[i];
		if (note->cause != CAUSE_ATTACH_PARTITION || rule_table_is_new(ctx, note->relation))
			continue;
		enum pgs_lock_mode pm = parent ? effects_lock_on(&s->fx, parent) : PGS_LOCK_NONE;
		struct finding f = {
			.start = note->offset, .end = s->st->end, .relation = note->relation,
			.message = rule_printf(ctx,
				"attaching partition \"%s\" scans it under %s to check every row against the bound%s%s%s%s",
				note->relation, pgs_lock_mode_sql(effects_lock_on(&s->fx, note->relation)),
				parent ? "; the parent \"" : "", parent ? parent : "",
				parent ? "\" is locked " : "", parent ? pgs_lock_mode_sql(pm) : ""),
			.help = "first ALTER TABLE on the partition ADD CONSTRAINT c CHECK (<the bound as a "
				"condition on the key>) NOT VALID, then VALIDATE CONSTRAINT c (reads and writes "
				"continue); with the key columns NOT NULL (or a validated IS NOT NULL check), "
				"ATTACH PARTITION then skips the scan, and c can be dropped afterwards",
		};
		return rule_report(ctx, &f);
	}
	return PGS_OK;
}

const struct rule rule_attach_partition_without_check = {
	.id = "attach-partition-without-check",
	.summary = "ATTACH PARTITION scans the partition under ACCESS EXCLUSIVE without a validated CHECK matching its bound",
	.rationale =
		"ALTER TABLE ... ATTACH PARTITION takes ACCESS EXCLUSIVE on the table being attached, "
		"which blocks its reads and writes, and reads every row to prove it fits the partition "
		"bound, unless the table's validated constraints already imply the bound: its key "
		"columns NOT NULL (or a validated CHECK (key IS NOT NULL)) and a validated CHECK on the "
		"key. That CHECK can be added NOT VALID and validated beforehand under SHARE UPDATE "
		"EXCLUSIVE, which blocks neither reads nor writes. The parent is locked SHARE UPDATE "
		"EXCLUSIVE from PostgreSQL 12 (ACCESS EXCLUSIVE before), and a default partition is "
		"scanned too (see default-partition-scan).",
	.safe_alternative =
		"ALTER TABLE measurements_2024 ADD CONSTRAINT m2024_bound\n"
		"  CHECK (logdate IS NOT NULL AND logdate >= '2024-01-01' AND logdate < '2025-01-01') NOT VALID;\n"
		"ALTER TABLE measurements_2024 VALIDATE CONSTRAINT m2024_bound;  -- reads and writes continue\n"
		"ALTER TABLE measurements ATTACH PARTITION measurements_2024\n"
		"  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');            -- no scan\n"
		"ALTER TABLE measurements_2024 DROP CONSTRAINT m2024_bound;",
	.bad_example =
		"ALTER TABLE measurements ATTACH PARTITION measurements_2024\n"
		"  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');",
	.good_example =
		"CREATE TABLE measurements_2025 (LIKE measurements);\n"
		"ALTER TABLE measurements ATTACH PARTITION measurements_2025\n"
		"  FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');  -- created in this migration: empty",
	.peers = "none (squawk, strong_migrations and Eugene have no ATTACH PARTITION check)",
	.default_severity = PGS_SEV_ERROR,
	.min_pg_version = 10,
	.check = check,
};
