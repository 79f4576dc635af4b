/*
 * lock-held-during-slow-statement: a blocking lock stays held across a slow statement.
 *
 * Inside a transaction block every lock is held until COMMIT or ROLLBACK.
 * When an earlier statement of the block took a lock that blocks writes
 * (or reads) on an existing table, and a later statement rewrites or scans
 * a table or touches every row, the application stays blocked on the first
 * table for the whole slow statement, even when that statement's own lock
 * blocks nothing. (Locks are released only at transaction end: docs
 * "Explicit Locking", 13.3; lock.c LockReleaseAll at commit.)
 */
#include "rule.h"

#include <string.h>

static bool relation_is_new(const struct rule_ctx *ctx, const char *rel)
{
	const struct sm_index *ix = schema_index(ctx->schema, rel);
	return rule_table_is_new(ctx, ix ? ix->table : rel);
}

static bool in_list(const char *const *items, size_t n, const char *rel)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(items[i], rel))
			return true;
	return false;
}

/* The statement of this block that raised the lock on @h's relation to its mode. */
static const struct analyzed_stmt *taken_by(const struct rule_ctx *ctx, const struct held_lock *h)
{
	const struct analyzed_stmt *s = ctx->stmt;
	for (size_t j = s->txn.block_start; j < ctx->index; j++) {
		const struct analyzed_stmt *e = &ctx->stmts[j];
		if (e->txn.kind != TXN_NONE && e->txn.id == s->txn.id &&
		    effects_lock_on(&e->fx, h->relation) == h->mode)
			return e;
	}
	return h->stmt_index < ctx->index ? &ctx->stmts[h->stmt_index] : NULL;
}

/* The relkind the lock model gave @rel in @by ('?' when unknown). */
static char relkind_of(const struct rule_ctx *ctx, const struct analyzed_stmt *by, const char *rel)
{
	for (size_t i = 0; by && i < by->fx.n_locks; i++)
		if (!strcmp(by->fx.locks[i].relation, rel) && by->fx.locks[i].relkind != '?')
			return by->fx.locks[i].relkind;
	if (schema_index(ctx->schema, rel))
		return 'i';
	const struct sm_table *t = schema_table(ctx->schema, rel);
	return t ? t->relkind : '?';
}

/*
 * Whether a lock in @mode on a relation of @relkind blocks the application:
 * writes to a table, or reads of anything (the application never writes a
 * materialized view).
 */
static bool blocks_application(enum pgs_lock_mode mode, char relkind)
{
	return relkind == 'm' ? pgs_lock_blocks_reads(mode) : pgs_lock_blocks_writes(mode);
}

/*
 * Whether the held lock blocks the application more than this statement's
 * own lock on the same relation does: if not, the statement's own rules
 * already describe the blocking.
 */
static bool adds_blocking(enum pgs_lock_mode held, enum pgs_lock_mode own)
{
	if (pgs_lock_blocks_reads(held) && !pgs_lock_blocks_reads(own))
		return true;
	return pgs_lock_blocks_writes(held) && !pgs_lock_blocks_writes(own);
}

/*
 * What makes this statement slow, worded for the message, preferring
 * @rel (the held table) when the statement rewrites or scans it; NULL when
 * it rewrites or scans no existing table.
 */
static const char *slow_part(struct rule_ctx *ctx, const char *rel)
{
	const struct effects *fx = &ctx->stmt->fx;
	if (in_list(fx->rewrites, fx->n_rewrites, rel))
		return rule_printf(ctx, "rewrites table \"%s\"", rel);
	for (size_t i = 0; i < fx->n_notes; i++)
		if (fx->notes[i].cause == CAUSE_ALL_ROWS && !strcmp(fx->notes[i].relation, rel))
			return rule_printf(ctx, "touches every row of table \"%s\"", rel);
	if (in_list(fx->scans, fx->n_scans, rel))
		return rule_printf(ctx, "scans table \"%s\"", rel);
	for (size_t i = 0; i < fx->n_rewrites; i++)
		if (!relation_is_new(ctx, fx->rewrites[i]))
			return rule_printf(ctx, "rewrites table \"%s\"", fx->rewrites[i]);
	for (size_t i = 0; i < fx->n_notes; i++)
		if (fx->notes[i].cause == CAUSE_ALL_ROWS && !relation_is_new(ctx, fx->notes[i].relation))
			return rule_printf(ctx, "touches every row of table \"%s\"", fx->notes[i].relation);
	for (size_t i = 0; i < fx->n_scans; i++)
		if (!relation_is_new(ctx, fx->scans[i]))
			return rule_printf(ctx, "scans table \"%s\"", fx->scans[i]);
	return NULL;
}

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	if (s->txn.kind == TXN_NONE || !s->txn.n_held)
		return PGS_OK;
	/* the held lock to name: one on a table this statement reads in full, else the first */
	const struct held_lock *chosen = NULL;
	const struct analyzed_stmt *chosen_by = NULL;
	size_t count = 0;
	for (size_t i = 0; i < s->txn.n_held; i++) {
		const struct held_lock *h = &s->txn.held[i];
		const struct analyzed_stmt *by = taken_by(ctx, h);
		/* a statement PostgreSQL refuses in a transaction block takes no lock */
		if ((by && by->fx.needs_no_transaction) || relation_is_new(ctx, h->relation) ||
		    !blocks_application(h->mode, relkind_of(ctx, by, h->relation)) ||
		    !adds_blocking(h->mode, effects_lock_on(&s->fx, h->relation)))
			continue;
		count++;
		if (!chosen || (!effects_scans(&s->fx, chosen->relation) && effects_scans(&s->fx, h->relation))) {
			chosen = h;
			chosen_by = by;
		}
	}
	if (!chosen)
		return PGS_OK;
	const char *slow = slow_part(ctx, chosen->relation);
	if (!slow)
		return PGS_OK;
	struct source_pos at = { 0 };
	if (chosen_by)
		source_position(ctx->src, chosen_by->st->start, &at);
	char relkind = relkind_of(ctx, chosen_by, chosen->relation);
	const char *more = count > 1 ?
		rule_printf(ctx, " (and %zu more lock%s of this transaction)", count - 1, count == 2 ? "" : "s") : "";
	struct finding f = {
		.relation = chosen->relation, .lock = chosen->mode,
		.message = rule_printf(ctx,
			"the %s lock on %s \"%s\" taken at line %u blocks %s for as long as this statement %s%s",
			pgs_lock_mode_sql(chosen->mode),
			relkind == 'i' ? "index" : relkind == 'm' ? "materialized view" : "table",
			chosen->relation, at.line, pgs_lock_blocks_text(chosen->mode), slow, more),
		.help = "COMMIT before this statement so the lock is released, or move the slow statement "
			"into its own transaction (or migration) ahead of the one that takes the lock",
		.duration = rule_printf(ctx, "until the transaction ends, including while this statement %s", slow),
	};
	return rule_report(ctx, &f);
}

const struct rule rule_lock_held_during_slow_statement = {
	.id = "lock-held-during-slow-statement",
	.summary = "a lock that blocks reads or writes is held by the transaction across a slow statement",
	.rationale =
		"In a transaction block, locks are kept until COMMIT. A lock that blocks writes (SHARE "
		"and stronger) or reads (ACCESS EXCLUSIVE) taken by an earlier statement on an existing "
		"table therefore stays in force while a later statement rewrites a table, scans one "
		"(index build, constraint validation, SET NOT NULL) or updates every row: the "
		"application is blocked on the first table for the whole slow statement. On every "
		"version.",
	.safe_alternative =
		"-- transaction 1: the quick change, committed at once\n"
		"BEGIN;\n"
		"ALTER TABLE accounts ADD COLUMN note text;\n"
		"COMMIT;\n"
		"-- then the slow work on its own, with no blocking lock held\n"
		"CREATE INDEX CONCURRENTLY orders_account_idx ON orders (account_id);",
	.bad_example =
		"BEGIN;\n"
		"ALTER TABLE accounts ADD COLUMN note text;  -- ACCESS EXCLUSIVE until COMMIT\n"
		"CREATE INDEX orders_account_idx ON orders (account_id);  -- long build\n"
		"COMMIT;",
	.good_example =
		"BEGIN;\n"
		"ALTER TABLE accounts ADD COLUMN note text;\n"
		"COMMIT;\n"
		"CREATE INDEX CONCURRENTLY orders_account_idx ON orders (account_id);",
	.peers = "strong_migrations: validate_foreign_key and validate_check_constraint (validating while writes are blocked)",
	.default_severity = PGS_SEV_ERROR,
	.check = check,
};
