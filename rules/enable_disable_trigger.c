/*
 * enable-disable-trigger: ALTER TABLE ... ENABLE / DISABLE TRIGGER on a table in use.
 *
 * Enabling or disabling a trigger takes SHARE ROW EXCLUSIVE on the table,
 * which blocks writes while the request waits. DISABLE TRIGGER ALL also
 * switches off the internal triggers that enforce foreign keys, so rows
 * written meanwhile are never checked. (tablecmds.c ATExecEnableDisableTrigger,
 * AlterTableGetLockLevel; docs: ALTER TABLE, DISABLE TRIGGER.)
 */
#include "rule.h"

static bool is_trigger_cmd(PgQuery__AlterTableType t, bool *all, bool *disable)
{
	switch (t) {
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrigAll:
		*all = true;
		/* fall through */
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrig:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrigUser:
		*disable = true;
		return true;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrigAll:
		*all = true;
		/* fall through */
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrig:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableAlwaysTrig:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableReplicaTrig:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrigUser:
		return true;
	default:
		return false;
	}
}

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const PgQuery__Node *n = s->st->node;
	if (!RULE_NODE(n, ALTER_TABLE_STMT))
		return PGS_OK;
	const char *rel = schema_qualify(ctx->schema, ctx->arena, n->alter_table_stmt->relation);
	if (!rel || rule_table_is_new(ctx, rel))
		return PGS_OK;
	bool any = false, all = false, disable = false;
	for (size_t i = 0; i < n->alter_table_stmt->n_cmds; i++) {
		const PgQuery__Node *c = n->alter_table_stmt->cmds[i];
		if (RULE_NODE(c, ALTER_TABLE_CMD) && is_trigger_cmd(c->alter_table_cmd->subtype, &all, &disable))
			any = true;
	}
	if (!any)
		return PGS_OK;
	enum pgs_lock_mode m = effects_lock_on(&s->fx, rel);
	struct finding f = {
		.relation = rel,
		.message = all && disable ?
			rule_printf(ctx, "DISABLE TRIGGER ALL on table \"%s\" takes %s (blocks %s) and turns off foreign-key enforcement: rows written meanwhile are never checked",
				    rel, pgs_lock_mode_sql(m), pgs_lock_blocks_text(m)) :
			rule_printf(ctx, "%s a trigger on table \"%s\" takes %s, which blocks %s while it waits for the lock",
				    disable ? "disabling" : "enabling", rel, pgs_lock_mode_sql(m), pgs_lock_blocks_text(m)),
		.help = all && disable ?
			"name the user trigger to disable (DISABLE TRIGGER name or USER) so foreign keys stay "
			"enforced, set a short lock_timeout, and re-enable it in the same migration" :
			"set a short lock_timeout and retry on timeout; to skip a trigger for one session, "
			"SET session_replication_role or a flag the function checks avoids the table lock",
	};
	return rule_report(ctx, &f);
}

const struct rule rule_enable_disable_trigger = {
	.id = "enable-disable-trigger",
	.summary = "ALTER TABLE ... ENABLE/DISABLE TRIGGER on an existing table blocks writes while it waits",
	.rationale =
		"ALTER TABLE ... ENABLE TRIGGER and DISABLE TRIGGER take SHARE ROW EXCLUSIVE, which "
		"blocks INSERT, UPDATE and DELETE (reads continue) while the request waits behind "
		"running writes. DISABLE TRIGGER ALL also disables the internal triggers that enforce "
		"foreign keys, so rows written while they are off are never checked, even after they "
		"are enabled again. On every version.",
	.safe_alternative =
		"SET lock_timeout = '2s';\n"
		"ALTER TABLE orders DISABLE TRIGGER orders_audit;  -- a named user trigger, not ALL",
	.bad_example = "ALTER TABLE orders DISABLE TRIGGER ALL;",
	.good_example =
		"CREATE TABLE invoices (id bigint PRIMARY KEY);\n"
		"ALTER TABLE invoices DISABLE TRIGGER ALL;  -- created in this migration",
	.peers = "squawk: ban-disable-trigger (in versions after 2.66)",
	.default_severity = PGS_SEV_WARNING,
	.check = check,
};
