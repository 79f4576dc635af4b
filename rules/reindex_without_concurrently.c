/*
 * reindex-without-concurrently: REINDEX without CONCURRENTLY on a table in use.
 *
 * REINDEX INDEX / TABLE rebuilds indexes while holding SHARE on the table,
 * which blocks writes, and ACCESS EXCLUSIVE on each index being rebuilt,
 * so queries that would use it wait too; REINDEX SCHEMA and DATABASE do
 * that to every table in turn. REINDEX ... CONCURRENTLY (PostgreSQL 12 and
 * later) builds a replacement beside the old index under SHARE UPDATE
 * EXCLUSIVE, which blocks neither. Before 12 the same is done by hand with
 * CREATE INDEX CONCURRENTLY and DROP INDEX CONCURRENTLY. (indexcmds.c
 * ReindexIndex, ReindexTable, ReindexRelationConcurrently (PG 12); docs:
 * REINDEX, "Rebuilding Indexes Concurrently".)
 */
#include "rule.h"

#include <string.h>

static bool is_concurrent(const PgQuery__ReindexStmt *r)
{
	for (size_t i = 0; i < r->n_params; i++)
		if (RULE_NODE(r->params[i], DEF_ELEM) && r->params[i]->def_elem->defname &&
		    !strcmp(r->params[i]->def_elem->defname, "concurrently"))
			return true;
	return false;
}

static const char *help_for(struct rule_ctx *ctx, const char *what, const char *name)
{
	if (ctx->pg_version >= 12)
		return rule_printf(ctx, "REINDEX %s CONCURRENTLY %s; outside a transaction block "
				   "(reads and writes continue; a failed run leaves an INVALID index to drop)",
				   what, name);
	return "before PostgreSQL 12 there is no REINDEX CONCURRENTLY: CREATE INDEX CONCURRENTLY a "
		"copy of the index, DROP INDEX CONCURRENTLY the old one, then ALTER INDEX ... RENAME "
		"the copy to the old name";
}

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const PgQuery__Node *n = s->st->node;
	if (!RULE_NODE(n, REINDEX_STMT) || is_concurrent(n->reindex_stmt))
		return PGS_OK;
	const PgQuery__ReindexStmt *r = n->reindex_stmt;
	struct finding f = { 0 };
	switch (r->kind) {
	case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_INDEX: {
		const char *iq = schema_qualify(ctx->schema, ctx->arena, r->relation);
		const struct sm_index *ix = schema_index(ctx->schema, iq);
		if (ix && rule_table_is_new(ctx, ix->table))
			return PGS_OK;
		f.relation = ix ? ix->table : iq;
		f.message = ix ?
			rule_printf(ctx, "REINDEX rebuilds index \"%s\" under %s on table \"%s\" (blocks writes) and ACCESS EXCLUSIVE on the index (queries that use it wait)",
				    iq, pgs_lock_mode_sql(effects_lock_on(&s->fx, ix->table)), ix->table) :
			rule_printf(ctx, "REINDEX rebuilds index \"%s\" under SHARE on its table (blocks writes) and ACCESS EXCLUSIVE on the index (queries that use it wait)",
				    iq);
		f.help = help_for(ctx, "INDEX", iq);
		break;
	}
	case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_TABLE: {
		const char *rel = schema_qualify(ctx->schema, ctx->arena, r->relation);
		if (rule_table_is_new(ctx, rel))
			return PGS_OK;
		f.relation = rel;
		f.message = rule_printf(ctx, "REINDEX rebuilds every index of table \"%s\" under SHARE (blocks writes), each index under ACCESS EXCLUSIVE (queries that use it wait)",
					rel);
		f.help = help_for(ctx, "TABLE", rel);
		break;
	}
	default:
		f.message = rule_printf(ctx, "REINDEX %s rebuilds the indexes of every table in turn, blocking writes to each table while its indexes are rebuilt",
					r->kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_SCHEMA ? "SCHEMA" :
					r->kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_SYSTEM ? "SYSTEM" : "DATABASE");
		f.help = ctx->pg_version >= 12 ?
			"rebuild the indexes that need it one by one with REINDEX INDEX CONCURRENTLY, outside a transaction block" :
			"rebuild the indexes that need it one by one: CREATE INDEX CONCURRENTLY a copy, DROP INDEX CONCURRENTLY the old one, rename the copy";
		break;
	}
	return rule_report(ctx, &f);
}

const struct rule rule_reindex_without_concurrently = {
	.id = "reindex-without-concurrently",
	.summary = "REINDEX without CONCURRENTLY blocks writes, and reads through the index, during the rebuild",
	.rationale =
		"REINDEX INDEX and REINDEX TABLE take SHARE on the table, which blocks INSERT, UPDATE "
		"and DELETE, and ACCESS EXCLUSIVE on each index being rebuilt, so queries whose plan "
		"uses that index wait too, for the whole rebuild. REINDEX SCHEMA, SYSTEM and DATABASE do "
		"this table after table. From PostgreSQL 12, REINDEX ... CONCURRENTLY builds a new "
		"index beside the old one under SHARE UPDATE EXCLUSIVE, which blocks neither reads nor "
		"writes, and cannot run in a transaction block. Before 12 the same is done by hand.",
	.safe_alternative =
		"-- PostgreSQL 12 and later, outside BEGIN/COMMIT:\n"
		"REINDEX INDEX CONCURRENTLY users_email_idx;\n"
		"-- PostgreSQL 10 and 11:\n"
		"CREATE INDEX CONCURRENTLY users_email_idx_new ON users (email);\n"
		"DROP INDEX CONCURRENTLY users_email_idx;\n"
		"ALTER INDEX users_email_idx_new RENAME TO users_email_idx;",
	.bad_example = "REINDEX TABLE users;",
	.good_example = "REINDEX TABLE CONCURRENTLY users;",
	.peers = "squawk: require-concurrent-reindex",
	.default_severity = PGS_SEV_ERROR,
	.check = check,
};
