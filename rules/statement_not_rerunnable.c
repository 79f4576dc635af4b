/*
 * statement-not-rerunnable: a statement outside a transaction that fails when the migration is retried.
 *
 * A migration that runs in autocommit and fails half-way leaves its first
 * statements applied. Rerunning it then fails at the first of them that
 * cannot run twice: CREATE without IF NOT EXISTS, DROP without IF EXISTS,
 * ADD COLUMN without IF NOT EXISTS, DROP COLUMN / CONSTRAINT without IF
 * EXISTS. Inside a transaction (explicit, or the tool's) a failure rolls
 * everything back, so statements there are not reported; neither is the
 * file's last statement that could fail, since nothing after it can leave
 * it applied. Checked after the file's last statement for that reason.
 * (docs: the IF [NOT] EXISTS clauses of CREATE TABLE, CREATE INDEX, DROP,
 * ALTER TABLE.)
 */
#include "rule.h"

/* What the statement lacks, or NULL when it can run twice. */
static const char *missing(const PgQuery__Node *n)
{
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_CREATE_STMT:
		return n->create_stmt->if_not_exists ? NULL : "CREATE TABLE without IF NOT EXISTS";
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		return n->index_stmt->if_not_exists ? NULL : "CREATE INDEX without IF NOT EXISTS";
	case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
		return n->create_seq_stmt->if_not_exists ? NULL : "CREATE SEQUENCE without IF NOT EXISTS";
	case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT:
		return n->create_schema_stmt->if_not_exists ? NULL : "CREATE SCHEMA without IF NOT EXISTS";
	case PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT:
		return n->create_extension_stmt->if_not_exists ? NULL : "CREATE EXTENSION without IF NOT EXISTS";
	case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
		return n->create_table_as_stmt->if_not_exists ? NULL : "CREATE TABLE AS without IF NOT EXISTS";
	case PG_QUERY__NODE__NODE_VIEW_STMT:
		return n->view_stmt->replace ? NULL : "CREATE VIEW without OR REPLACE";
	case PG_QUERY__NODE__NODE_DROP_STMT:
		if (n->drop_stmt->missing_ok)
			return NULL;
		switch (n->drop_stmt->remove_type) {
		case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE: return "DROP TABLE without IF EXISTS";
		case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX: return "DROP INDEX without IF EXISTS";
		case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW: return "DROP VIEW without IF EXISTS";
		case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW: return "DROP MATERIALIZED VIEW without IF EXISTS";
		case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE: return "DROP SEQUENCE without IF EXISTS";
		case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE: return "DROP TYPE without IF EXISTS";
		case PG_QUERY__OBJECT_TYPE__OBJECT_FUNCTION: return "DROP FUNCTION without IF EXISTS";
		case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER: return "DROP TRIGGER without IF EXISTS";
		case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA: return "DROP SCHEMA without IF EXISTS";
		default: return "DROP without IF EXISTS";
		}
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
		for (size_t i = 0; i < n->alter_table_stmt->n_cmds; i++) {
			const PgQuery__Node *c = n->alter_table_stmt->cmds[i];
			if (!RULE_NODE(c, ALTER_TABLE_CMD) || c->alter_table_cmd->missing_ok)
				continue;
			switch (c->alter_table_cmd->subtype) {
			case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
			case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumnRecurse:
				return "ADD COLUMN without IF NOT EXISTS";
			case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
			case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumnRecurse:
				return "DROP COLUMN without IF EXISTS";
			case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
			case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraintRecurse:
				return "DROP CONSTRAINT without IF EXISTS";
			default:
				break;
			}
		}
		return NULL;
	default:
		return NULL;
	}
}

/* Whether @e could fail and so leave what ran before it applied: not SET, SHOW, BEGIN, COMMIT. */
static bool could_fail(const struct analyzed_stmt *e)
{
	const PgQuery__Node *n = e->st->status == STMT_PARSED ? e->st->node : NULL;
	return n && !RULE_NODE(n, VARIABLE_SET_STMT) && !RULE_NODE(n, VARIABLE_SHOW_STMT) &&
		!RULE_NODE(n, TRANSACTION_STMT);
}

static int finish(struct rule_ctx *ctx)
{
	/* the last statement after which nothing can fail */
	size_t last = ctx->n_stmts;
	for (size_t i = ctx->n_stmts; i-- > 0;)
		if (could_fail(&ctx->stmts[i])) {
			last = i;
			break;
		}
	for (size_t i = 0; i < last && last < ctx->n_stmts; i++) {
		const struct analyzed_stmt *e = &ctx->stmts[i];
		if (e->txn.kind != TXN_NONE || e->st->status != STMT_PARSED)
			continue;
		const char *what = missing(e->st->node);
		if (!what)
			continue;
		struct finding f = {
			.start = e->st->start, .end = e->st->end,
			.message = rule_printf(ctx,
				"%s outside a transaction: if a later statement of this migration fails, running it again fails here",
				what),
			.help = "add IF [NOT] EXISTS (OR REPLACE for views), or run the migration in a "
				"transaction so a failure undoes everything",
		};
		int rc = rule_report(ctx, &f);
		if (rc)
			return rc;
	}
	return PGS_OK;
}

const struct rule rule_statement_not_rerunnable = {
	.id = "statement-not-rerunnable",
	.summary = "a statement outside a transaction fails when a half-applied migration is run again",
	.rationale =
		"A migration that runs in autocommit and fails part way leaves its earlier statements "
		"applied. Running it again then fails at the first statement that cannot run twice: "
		"CREATE without IF NOT EXISTS, DROP without IF EXISTS, ADD COLUMN without IF NOT EXISTS, "
		"DROP COLUMN or DROP CONSTRAINT without IF EXISTS. Inside a transaction block, or the "
		"migration tool's transaction, a failure undoes everything, so those statements are not "
		"reported, and neither is the file's last statement. A convention, so a hint. On every "
		"version.",
	.safe_alternative =
		"CREATE TABLE IF NOT EXISTS audit_log (id bigint, entry text);\n"
		"CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_log_id_idx ON audit_log (id);\n"
		"-- note: IF NOT EXISTS also skips an INVALID index left by a failed CONCURRENTLY build",
	.bad_example =
		"CREATE TABLE audit_log (id bigint, entry text);\n"
		"CREATE INDEX CONCURRENTLY audit_log_id_idx ON audit_log (id);",
	.good_example =
		"CREATE TABLE IF NOT EXISTS audit_log (id bigint, entry text);\n"
		"CREATE INDEX CONCURRENTLY audit_log_id_idx ON audit_log (id);  -- the last statement",
	.peers = "squawk: prefer-robust-stmts",
	.default_severity = PGS_SEV_HINT,
	.finish = finish,
};
