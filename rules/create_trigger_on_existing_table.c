/*
 * create-trigger-on-existing-table: CREATE TRIGGER on a table in use.
 *
 * CREATE TRIGGER takes SHARE ROW EXCLUSIVE on the table, which blocks
 * INSERT, UPDATE and DELETE (reads go on). The change itself is quick, but
 * the request waits behind every running write and every later write
 * queues behind it; from then on every matching write also runs the
 * trigger's function, inside the writer's transaction. (trigger.c
 * CreateTrigger: ShareRowExclusiveLock; docs: CREATE TRIGGER, "Explicit
 * Locking" table 13.2.)
 */
#include "rule.h"

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	const PgQuery__Node *n = s->st->node;
	if (!RULE_NODE(n, CREATE_TRIG_STMT))
		return PGS_OK;
	const PgQuery__CreateTrigStmt *t = n->create_trig_stmt;
	const char *rel = schema_qualify(ctx->schema, ctx->arena, t->relation);
	if (!rel || rule_table_is_new(ctx, rel))
		return PGS_OK;
	enum pgs_lock_mode m = effects_lock_on(&s->fx, rel);
	if (!pgs_lock_blocks_writes(m))
		return PGS_OK;
	struct finding f = {
		.relation = rel,
		.message = rule_printf(ctx,
			"creating trigger \"%s\" on table \"%s\" takes %s, which blocks %s; after it, every matching write runs the trigger function",
			t->trigname ? t->trigname : "?", rel, pgs_lock_mode_sql(m), pgs_lock_blocks_text(m)),
		.help = "set a short lock_timeout and retry on timeout, run it when writes are few, and "
			"keep the trigger function cheap: it runs inside every writer's transaction",
	};
	return rule_report(ctx, &f);
}

const struct rule rule_create_trigger_on_existing_table = {
	.id = "create-trigger-on-existing-table",
	.summary = "CREATE TRIGGER on an existing table blocks writes while it waits for its lock",
	.rationale =
		"CREATE TRIGGER takes SHARE ROW EXCLUSIVE on the table, which blocks INSERT, UPDATE and "
		"DELETE (reads continue). The catalog change is quick, but the request waits behind "
		"every running write, and all later writes queue behind it; afterwards every matching "
		"write pays for the trigger function inside its own transaction. On every version.",
	.safe_alternative =
		"SET lock_timeout = '2s';  -- fail fast, retry later\n"
		"CREATE TRIGGER orders_audit AFTER UPDATE ON orders\n"
		"  FOR EACH ROW EXECUTE FUNCTION audit_row();",
	.bad_example =
		"CREATE TRIGGER orders_audit AFTER UPDATE ON orders\n"
		"  FOR EACH ROW EXECUTE FUNCTION audit_row();",
	.good_example =
		"CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric);\n"
		"CREATE TRIGGER invoices_audit AFTER UPDATE ON invoices\n"
		"  FOR EACH ROW EXECUTE FUNCTION audit_row();  -- created in this migration",
	.peers = "none",
	.default_severity = PGS_SEV_WARNING,
	.check = check,
};
