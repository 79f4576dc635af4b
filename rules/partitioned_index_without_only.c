/*
 * partitioned-index-without-only: CREATE INDEX on a partitioned table without ON ONLY.
 *
 * CREATE INDEX on a partitioned table builds the index on every partition
 * in one statement, holding SHARE on each (writes to the whole table wait
 * for the whole build), and CREATE INDEX CONCURRENTLY is refused on a
 * partitioned table. The online way: CREATE INDEX ... ON ONLY the parent
 * (an invalid index, no data read), CREATE INDEX CONCURRENTLY on each
 * partition, and ALTER INDEX ... ATTACH PARTITION each one; the parent's
 * index becomes valid when every partition has one. Indexes on
 * partitioned tables exist from PostgreSQL 11. This rule was split from
 * require-concurrent-index, whose id still names it. (indexcmds.c
 * DefineIndex: "cannot create index on partitioned table concurrently";
 * docs: CREATE INDEX, ON ONLY; "Partition Maintenance".)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const PgQuery__Node *n = s->st->node;
	if (!RULE_NODE(n, INDEX_STMT) || !n->index_stmt->relation || !n->index_stmt->relation->inh)
		return PGS_OK;
	const PgQuery__IndexStmt *is = n->index_stmt;
	const char *rel = schema_qualify(ctx->schema, ctx->arena, is->relation);
	const struct sm_table *t = schema_table(ctx->schema, rel);
	if (!t || t->relkind != 'p' || rule_table_is_new(ctx, rel))
		return PGS_OK;
	const char *name = is->idxname && *is->idxname ? is->idxname : "parent_idx";
	struct finding f = {
		.relation = rel,
		.help = rule_printf(ctx,
			"CREATE INDEX %s ON ONLY %s (...); (no data read), then for each partition CREATE "
			"INDEX CONCURRENTLY ... ON the partition and ALTER INDEX %s ATTACH PARTITION that "
			"index; the index on %s becomes valid once every partition has one",
			name, rel, name, rel),
	};
	if (is->concurrent)
		f.message = rule_printf(ctx,
			"CREATE INDEX CONCURRENTLY on partitioned table \"%s\" fails: PostgreSQL cannot build an index on a partitioned table concurrently",
			rel);
	else
		f.message = rule_printf(ctx,
			"creating index%s%s on partitioned table \"%s\" builds it on every partition in one statement, holding %s on each: %s to the whole table wait for the whole build",
			is->idxname && *is->idxname ? " " : "", is->idxname ? is->idxname : "", rel,
			pgs_lock_mode_sql(effects_lock_on(&s->fx, rel)),
			pgs_lock_blocks_text(effects_lock_on(&s->fx, rel)));
	return rule_report(ctx, &f);
}

static const char *const aliases[] = { "require-concurrent-index", NULL };

const struct rule rule_partitioned_index_without_only = {
	.id = "partitioned-index-without-only",
	.summary = "CREATE INDEX on a partitioned table blocks writes to every partition (and cannot be CONCURRENTLY)",
	.rationale =
		"CREATE INDEX on a partitioned table builds the index on every partition in one "
		"statement and takes SHARE on each, which blocks INSERT, UPDATE and DELETE on the whole "
		"table until every partition is indexed; CREATE INDEX CONCURRENTLY is refused on a "
		"partitioned table. Creating the parent's index ON ONLY the parent reads no data; each "
		"partition's index can then be built CONCURRENTLY and attached, and the parent's index "
		"becomes valid when all are attached. Indexes on partitioned tables exist from "
		"PostgreSQL 11. This check used to be part of require-concurrent-index, and that id "
		"still selects it.",
	.safe_alternative =
		"CREATE INDEX measurements_logdate_idx ON ONLY measurements (logdate);\n"
		"CREATE INDEX CONCURRENTLY measurements_2024_logdate_idx ON measurements_2024 (logdate);\n"
		"ALTER INDEX measurements_logdate_idx ATTACH PARTITION measurements_2024_logdate_idx;\n"
		"-- ... the same for every partition",
	.bad_example = "CREATE INDEX measurements_logdate_idx ON measurements (logdate);",
	.good_example = "CREATE INDEX measurements_logdate_idx ON ONLY measurements (logdate);",
	.peers = "none (squawk's require-concurrent-index-creation suggests CONCURRENTLY, which fails here)",
	.example_setup =
		"CREATE TABLE measurements (logdate date NOT NULL, value int) PARTITION BY RANGE (logdate);\n"
		"CREATE TABLE measurements_2024 PARTITION OF measurements\n"
		"  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');",
	.default_severity = PGS_SEV_ERROR,
	.min_pg_version = 11,
	.aliases = aliases,
	.check = check,
};
