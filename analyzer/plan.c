/*
 * plan.c - the planner (plan.h): analyzed statements in, safe steps out.
 *
 * One call of plan_on_stmt() per statement, with the catalog as it was
 * before it. A statement whose table is new, or whose effects never hold a
 * lock that blocks reads or writes while a table is rewritten or scanned,
 * passes through unchanged (its own text). The others are replaced by the
 * online sequences PostgreSQL's documentation and source allow:
 *
 *   CREATE INDEX            guard (drop an INVALID leftover), CONCURRENTLY;
 *                           partitioned: ON ONLY, each partition CONCURRENTLY, ATTACH
 *   DROP INDEX / REINDEX    CONCURRENTLY (REINDEX: PG 12+)
 *   ADD CHECK / FOREIGN KEY NOT VALID, then VALIDATE in its own transaction
 *   SET NOT NULL            CHECK (col IS NOT NULL) NOT VALID, VALIDATE, SET NOT
 *                           NULL (PG 12+ skips the scan: tablecmds.c
 *                           NotNullImpliedByRelConstraints), drop the CHECK
 *   ADD COLUMN ... DEFAULT  that rewrites: nullable column, SET DEFAULT, batched
 *                           backfill, then the NOT NULL sequence
 *   ADD UNIQUE / PRIMARY KEY  unique index CONCURRENTLY, ADD CONSTRAINT USING INDEX
 *   ATTACH PARTITION        a CHECK matching the bound, validated first, so that
 *                           ATTACH skips its scan (and one on the default partition)
 *   DETACH PARTITION        CONCURRENTLY (PG 14+), then FINALIZE if interrupted
 *   DROP / RENAME           checkpoints where deployed code must change first
 *
 * Generated SQL never pastes a name: names go through quote_ident(), and
 * pieces of the original tree through the checked deparser (quote.h).
 * Everything lives in the plan's arena.
 */
#include "plan.h"

#include "parse.h"
#include "quote.h"
#include "walk.h"
#include "../rules/rule.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NODE(n, kind) ((n) && (n)->node_case == PG_QUERY__NODE__NODE_##kind)

/* ---------------------------------------------------------------------
 * Settings, names, lifecycle
 * ------------------------------------------------------------------- */

void plan_settings_default(struct plan_settings *s, int pg_version)
{
	memset(s, 0, sizeof(*s));
	s->pg_version = pg_version;
	s->lock_timeout_ms = 2000;
	s->statement_timeout_ms = 30000;
	s->batch_size = 1000;
	s->batch_pause_ms = 100;
	s->retry.sqlstate = "55P03";
	s->retry.attempts = 5;
	s->retry.delay_ms = 1000;
	s->retry.max_delay_ms = 15000;
}

void plan_init(struct plan *p, const struct plan_settings *s)
{
	memset(p, 0, sizeof(*p));
	arena_init(&p->arena);
	p->settings = *s;
}

void plan_release(struct plan *p)
{
	arena_release(&p->arena);
}

const char *plan_phase_name(enum plan_phase ph)
{
	switch (ph) {
	case PLAN_EXPAND: return "expand";
	case PLAN_BACKFILL: return "backfill";
	case PLAN_VALIDATE: return "validate";
	case PLAN_CONTRACT: return "contract";
	}
	return "expand";
}

const char *plan_kind_name(enum plan_step_kind k)
{
	switch (k) {
	case PLAN_STEP_SQL: return "sql";
	case PLAN_STEP_BACKFILL: return "backfill";
	case PLAN_STEP_CHECKPOINT: return "checkpoint";
	}
	return "sql";
}

const char *plan_txn_name(struct arena *a, const struct plan_step *s)
{
	switch (s->txn) {
	case PLAN_TXN_NONE: return "none";
	case PLAN_TXN_OWN: return "own";
	case PLAN_TXN_GROUP:
		return s->group_name ? s->group_name : arena_printf(a, "group-%d", s->group);
	}
	return "own";
}

size_t plan_count_checkpoints(const struct plan *p)
{
	size_t n = 0;
	for (size_t i = 0; i < p->n_steps; i++)
		n += p->steps[i]->kind == PLAN_STEP_CHECKPOINT;
	return n;
}

size_t plan_count_not_online(const struct plan *p)
{
	size_t n = 0;
	for (size_t i = 0; i < p->n_steps; i++)
		n += !p->steps[i]->online;
	return n;
}

size_t plan_count_not_modeled(const struct plan *p)
{
	size_t n = 0;
	for (size_t i = 0; i < p->n_steps; i++)
		n += p->steps[i]->kind != PLAN_STEP_CHECKPOINT && !p->steps[i]->modeled;
	return n;
}

/* ---------------------------------------------------------------------
 * The statement being planned
 * ------------------------------------------------------------------- */

struct ctx {
	struct plan *p;
	struct arena *a;                 /* the plan's arena */
	const struct lint_run *r;
	const struct lint_stmt_event *ev;
	const struct schema *s;          /* before the statement */
	const struct analyzed_stmt *as;
	const struct plan_origin *origin;
	int pg;
	size_t first;                    /* index of the statement's first step */
	bool failed;                     /* out of memory, or SQL that could not be rendered */
};

static const char *fmt(struct ctx *c, const char *f, ...) __attribute__((format(printf, 2, 3)));
static const char *fmt(struct ctx *c, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	const char *s = arena_vprintf(c->a, f, ap);
	va_end(ap);
	if (!s) {
		c->failed = true;
		return "";
	}
	return s;
}

/* A quoted name; never NULL (an allocation failure marks the context). */
static const char *q(struct ctx *c, const char *name)
{
	const char *s = quote_ident(c->a, name ? name : "");
	if (!s) {
		c->failed = true;
		return "\"\"";
	}
	return s;
}

/* A quoted "schema.rel". */
static const char *qt(struct ctx *c, const char *qname)
{
	const char *s = quote_qualified(c->a, qname);
	if (!s) {
		c->failed = true;
		return "\"\"";
	}
	return s;
}

static const char *lit(struct ctx *c, const char *s)
{
	const char *r = quote_literal(c->a, s ? s : "");
	if (!r) {
		c->failed = true;
		return "''";
	}
	return r;
}

/* A piece that could not be rendered safely: the plan cannot be written. */
static const char *need(struct ctx *c, const char *piece, const char *what)
{
	if (piece)
		return piece;
	c->failed = true;
	struct plan_problem pr = { c->origin->file, c->origin->line,
				   arena_printf(c->a, "cannot render %s as SQL safely", what) };
	ARENA_PUSH(c->a, c->p->problems, c->p->n_problems, c->p->cap_problems, pr);
	return "NULL";
}

static bool is_new(struct ctx *c, const char *rel)
{
	return rel && lint_table_is_new(c->r, rel);
}

static void *copy_msg(struct ctx *c, const void *msg)
{
	const ProtobufCMessage *m = msg;
	if (!m)
		return NULL;
	size_t len = protobuf_c_message_get_packed_size(m);
	uint8_t *buf = arena_alloc(c->a, len ? len : 1);
	if (!buf) {
		c->failed = true;
		return NULL;
	}
	protobuf_c_message_pack(m, buf);
	ProtobufCAllocator al;
	arena_protobuf_allocator(c->a, &al);
	void *out = protobuf_c_message_unpack(m->descriptor, &al, len, buf);
	if (!out)
		c->failed = true;
	return out;
}

static struct plan_step *new_step(struct ctx *c, enum plan_step_kind kind, enum plan_phase ph,
				  enum plan_txn txn, const char *sql, const char *desc)
{
	struct plan_step *s = arena_alloc(c->a, sizeof(*s));
	if (!s || ARENA_PUSH(c->a, c->p->steps, c->p->n_steps, c->p->cap_steps, s)) {
		c->failed = true;
		static struct plan_step dummy;
		memset(&dummy, 0, sizeof(dummy));
		return &dummy;
	}
	s->kind = kind;
	s->phase = ph;
	s->txn = txn;
	s->sql = sql;
	s->description = desc;
	s->origin = c->origin;
	s->online = true;
	s->modeled = true;
	s->orig_txn = c->as->txn.id;
	return s;
}

static struct plan_step *sql_step(struct ctx *c, enum plan_phase ph, enum plan_txn txn,
				  const char *sql, const char *desc)
{
	return new_step(c, PLAN_STEP_SQL, ph, txn, sql, desc);
}

static void note(struct ctx *c, struct plan_step *s, const char *text)
{
	if (ARENA_PUSH(c->a, s->notes, s->n_notes, s->cap_notes, text))
		c->failed = true;
}

/* A fresh transaction group number for steps that must commit together. */
static int new_group(struct ctx *c)
{
	int g = 0;
	for (size_t i = 0; i < c->p->n_steps; i++)
		if (c->p->steps[i]->txn == PLAN_TXN_GROUP && c->p->steps[i]->group > g)
			g = c->p->steps[i]->group;
	return g + 1;
}

static void in_group(struct plan_step *s, int group)
{
	s->txn = PLAN_TXN_GROUP;
	s->group = group;
}

/* The statement's own text, unchanged. */
static const char *stmt_text(struct ctx *c)
{
	const struct stmt *st = c->as->st;
	return arena_strndup(c->a, c->ev->src->text + st->start, st->end - st->start);
}

/* A checkpoint: the plan stops until the application is deployed. */
static struct plan_step *checkpoint(struct ctx *c, enum plan_phase ph, const char *deploy)
{
	struct plan_step *s = new_step(c, PLAN_STEP_CHECKPOINT, ph, PLAN_TXN_NONE, NULL,
				       fmt(c, "checkpoint: %s", deploy));
	s->deploy = deploy;
	return s;
}

/* Moves the last step to position @at (steps after it shift down). */
static void move_last_to(struct ctx *c, size_t at)
{
	struct plan *p = c->p;
	if (!p->n_steps || at >= p->n_steps - 1)
		return;
	struct plan_step *last = p->steps[p->n_steps - 1];
	memmove(&p->steps[at + 1], &p->steps[at], (p->n_steps - 1 - at) * sizeof(*p->steps));
	p->steps[at] = last;
}

/* ---------------------------------------------------------------------
 * Is a statement safe as it stands?
 * ------------------------------------------------------------------- */

static bool blocks_app(enum pgs_lock_mode m)
{
	return pgs_lock_blocks_reads(m) || pgs_lock_blocks_writes(m);
}

/*
 * Why the effects hold a lock that blocks the application while an
 * existing table is rewritten or scanned, or NULL when they do not.
 */
static const char *hazard(struct ctx *c, const struct effects *fx, const char **needs)
{
	const char *heavy = NULL;
	bool rewrite = false;
	for (size_t i = 0; i < fx->n_rewrites && !heavy; i++)
		if (!is_new(c, fx->rewrites[i])) {
			heavy = fx->rewrites[i];
			rewrite = true;
		}
	for (size_t i = 0; i < fx->n_scans && !heavy; i++)
		if (!is_new(c, fx->scans[i]))
			heavy = fx->scans[i];
	if (!heavy)
		return NULL;
	const struct effect_lock *lk = NULL;
	for (size_t i = 0; i < fx->n_locks; i++)
		if (blocks_app(fx->locks[i].mode) && !is_new(c, fx->locks[i].relation) &&
		    (!lk || fx->locks[i].mode > lk->mode))
			lk = &fx->locks[i];
	if (!lk)
		return NULL;
	const char *why = NULL;
	*needs = "a maintenance window";
	for (size_t i = 0; i < fx->n_notes; i++) {
		enum effect_cause k = fx->notes[i].cause;
		if (k >= CAUSE_INDEX_REBUILD)
			continue;
		if (!why)
			why = effects_cause_text(k);
		if (k == CAUSE_VACUUM_FULL || k == CAUSE_CLUSTER || k == CAUSE_SET_TABLESPACE)
			*needs = "pg_repack, or a maintenance window";
	}
	return fmt(c, "%s table \"%s\"%s%s%s while holding %s on \"%s\", which blocks %s",
		   rewrite ? "rewrites" : "reads all of", heavy, why ? " (" : "", why ? why : "",
		   why ? ")" : "", pgs_lock_mode_sql(lk->mode), lk->relation,
		   pgs_lock_blocks_text(lk->mode));
}

static enum plan_phase phase_of(const PgQuery__Node *n)
{
	switch (n ? n->node_case : PG_QUERY__NODE__NODE__NOT_SET) {
	case PG_QUERY__NODE__NODE_DROP_STMT:
		return PLAN_CONTRACT;
	case PG_QUERY__NODE__NODE_UPDATE_STMT:
	case PG_QUERY__NODE__NODE_DELETE_STMT:
	case PG_QUERY__NODE__NODE_INSERT_STMT:
	case PG_QUERY__NODE__NODE_MERGE_STMT:
	case PG_QUERY__NODE__NODE_COPY_STMT:
		return PLAN_BACKFILL;
	default:
		return PLAN_EXPAND;
	}
}

static struct plan_step *validation(struct ctx *c, struct plan_step *s, const char *table,
				    const char *columns, int chain);

/*
 * A statement kept as written that validates (SET NOT NULL, VALIDATE
 * CONSTRAINT) is marked with the columns it reads, so that it moves behind
 * a later backfill of them (plan_finish).
 */
static void tag_validations(struct ctx *c, struct plan_step *s)
{
	const PgQuery__Node *n = c->as->st->node;
	if (!NODE(n, ALTER_TABLE_STMT) || !n->alter_table_stmt->relation)
		return;
	const PgQuery__AlterTableStmt *as = n->alter_table_stmt;
	const char *table = schema_qualify(c->s, c->a, as->relation);
	const struct sm_table *t = schema_table(c->s, table);
	const char *cols = "";
	for (size_t i = 0; i < as->n_cmds; i++) {
		if (!NODE(as->cmds[i], ALTER_TABLE_CMD))
			continue;
		const PgQuery__AlterTableCmd *cmd = as->cmds[i]->alter_table_cmd;
		if (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull && cmd->name)
			cols = fmt(c, "%s %s", cols, cmd->name);
		if (cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint || !cmd->name || !t)
			continue;
		for (size_t k = 0; k < t->n_constraints; k++) {
			const struct sm_constraint *con = &t->constraints[k];
			if (!con->name || strcmp(con->name, cmd->name))
				continue;
			if (con->check_columns)
				cols = fmt(c, "%s%s", cols, con->check_columns);
			for (size_t j = 0; con->kind == SM_CON_FOREIGN && j < con->n_columns; j++)
				cols = fmt(c, "%s %s", cols, con->columns[j]);
		}
	}
	if (*cols && table)
		validation(c, s, table, fmt(c, "%s ", cols), ++c->p->chains);
}

/*
 * The statement, unchanged. It may share a transaction with its
 * neighbours of the same original block when it is brief (plan_finish).
 */
static struct plan_step *pass_through(struct ctx *c, const char *desc)
{
	const struct effects *fx = &c->as->fx;
	enum plan_txn txn = fx->needs_no_transaction ? PLAN_TXN_NONE : PLAN_TXN_OWN;
	struct plan_step *s = sql_step(c, phase_of(c->as->st->node), txn, stmt_text(c),
				       desc ? desc : fmt(c, "%s, unchanged", c->as->kind));
	bool brief = fx->modeled && !fx->n_rewrites && !fx->n_scans;
	s->groupable = brief && txn == PLAN_TXN_OWN && c->as->txn.kind != TXN_NONE;
	const char *needs = NULL;
	const char *why = hazard(c, fx, &needs);
	if (why) {
		s->online = false;
		s->reason = why;
		s->needs = needs;
		s->groupable = false;
	}
	tag_validations(c, s);
	c->p->passed_through++;
	return s;
}

/* A statement with no online form: kept, and said so. */
static struct plan_step *not_online(struct ctx *c, const char *sql, const char *desc,
				    const char *reason, const char *needs)
{
	struct plan_step *s = sql_step(c, PLAN_EXPAND, c->as->fx.needs_no_transaction ?
				       PLAN_TXN_NONE : PLAN_TXN_OWN, sql, desc);
	s->online = false;
	s->reason = reason;
	s->needs = needs;
	return s;
}

/* ---------------------------------------------------------------------
 * Names PostgreSQL would choose (indexcmds.c ChooseIndexName,
 * ChooseIndexColumnNames, ChooseIndexNameAddition; namespace.c
 * makeObjectName), without the numeric suffix it adds on a clash
 * ------------------------------------------------------------------- */

static size_t clip_utf8(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

/* name1_name2_label, the longer part cut first so the whole fits 63 bytes. */
static const char *object_name(struct ctx *c, const char *name1, const char *name2,
			       const char *label)
{
	size_t n1 = strlen(name1), n2 = name2 ? strlen(name2) : 0;
	size_t overhead = (name2 ? 1 : 0) + (label ? strlen(label) + 1 : 0);
	size_t avail = 63 > overhead ? 63 - overhead : 0;
	while (n1 + n2 > avail) {
		if (n1 > n2)
			n1--;
		else
			n2--;
	}
	n1 = clip_utf8(name1, n1);
	if (name2)
		n2 = clip_utf8(name2, n2);
	return fmt(c, "%.*s%s%.*s%s%s", (int)n1, name1, name2 ? "_" : "", (int)n2,
		   name2 ? name2 : "", label ? "_" : "", label ? label : "");
}

/* The column part of a default index name: "a_b", "expr", "lower". */
static const char *index_name_columns(struct ctx *c, PgQuery__Node **params, size_t n,
				      PgQuery__Node **incl, size_t n_incl)
{
	char buf[256] = "";
	size_t len = 0;
	const char *seen[64];
	size_t n_seen = 0;
	for (size_t i = 0; i < n + n_incl && len < 64; i++) {
		const PgQuery__Node *pn = i < n ? params[i] : incl[i - n];
		const char *name = "expr";
		if (NODE(pn, INDEX_ELEM)) {
			const PgQuery__IndexElem *e = pn->index_elem;
			if (e->indexcolname && *e->indexcolname)
				name = e->indexcolname;
			else if (e->name && *e->name)
				name = e->name;
		}
		/* a repeated name gets a number, as PostgreSQL does */
		const char *use = name;
		for (int k = 1; k < 100; k++) {
			bool dup = false;
			for (size_t j = 0; j < n_seen; j++)
				if (!strcmp(seen[j], use))
					dup = true;
			if (!dup)
				break;
			use = fmt(c, "%s%d", name, k);
		}
		if (n_seen < 64)
			seen[n_seen++] = use;
		int w = snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? "_" : "", use);
		if (w < 0 || (size_t)w >= sizeof(buf) - len)
			break;
		len += (size_t)w;
	}
	return fmt(c, "%s", buf);
}

/* ---------------------------------------------------------------------
 * Building blocks: checked pieces of the original tree
 * ------------------------------------------------------------------- */

/* "schema"."rel" of a RangeVar as the catalog resolves it. */
static const char *rv_name(struct ctx *c, const PgQuery__RangeVar *rv)
{
	const char *qn = schema_qualify(c->s, c->a, rv);
	if (!qn)
		c->failed = true;
	return qn ? qn : "public.?";
}

/* A copy of @rv naming the schema explicitly, so the SQL does not depend on search_path. */
static PgQuery__RangeVar *qualified_rv(struct ctx *c, const PgQuery__RangeVar *rv)
{
	PgQuery__RangeVar *out = copy_msg(c, rv);
	if (!out)
		return NULL;
	const char *qn = rv_name(c, rv);
	out->schemaname = (char *)quote_schemaname(c->a, qn);
	out->catalogname = (char *)"";
	return out;
}

/*
 * An ALTER TABLE tree as checked SQL. libpg_query writes constraint and
 * index names unquoted, so those go through placeholders (quote.h).
 */
static const char *deparse_alter(struct ctx *c, const PgQuery__Node *stmt)
{
	char **slots[16];
	size_t n = 0;
	const PgQuery__AlterTableStmt *as = stmt->alter_table_stmt;
	for (size_t i = 0; i < as->n_cmds && n + 2 <= 16; i++) {
		if (!NODE(as->cmds[i], ALTER_TABLE_CMD))
			continue;
		PgQuery__AlterTableCmd *cmd = as->cmds[i]->alter_table_cmd;
		PgQuery__Constraint *con = NODE(cmd->def, CONSTRAINT) ? cmd->def->constraint : NULL;
		if (con && con->conname && *con->conname)
			slots[n++] = &con->conname;
		if (con && con->indexname && *con->indexname)
			slots[n++] = &con->indexname;
		if (cmd->name && *cmd->name && n < 16 &&
		    (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint ||
		     cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint ||
		     cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn))
			slots[n++] = &cmd->name;
	}
	return deparse_stmt_names(c->a, stmt, slots, n);
}

/* One ALTER TABLE statement with the single subcommand @cmd, deparsed and checked. */
static const char *alter_one(struct ctx *c, const PgQuery__AlterTableStmt *as,
			     const PgQuery__AlterTableCmd *cmd)
{
	PgQuery__AlterTableStmt *copy = copy_msg(c, as);
	PgQuery__Node *cmd_node = arena_alloc(c->a, sizeof(*cmd_node));
	PgQuery__Node **cmds = arena_alloc(c->a, sizeof(*cmds));
	if (!copy || !cmd_node || !cmds) {
		c->failed = true;
		return "";
	}
	pg_query__node__init(cmd_node);
	cmd_node->node_case = PG_QUERY__NODE__NODE_ALTER_TABLE_CMD;
	cmd_node->alter_table_cmd = (PgQuery__AlterTableCmd *)cmd;
	cmds[0] = cmd_node;
	copy->cmds = cmds;
	copy->n_cmds = 1;
	copy->relation = qualified_rv(c, as->relation);
	PgQuery__Node stmt;
	pg_query__node__init(&stmt);
	stmt.node_case = PG_QUERY__NODE__NODE_ALTER_TABLE_STMT;
	stmt.alter_table_stmt = copy;
	return need(c, deparse_alter(c, &stmt), "an ALTER TABLE subcommand");
}

static const char *expr_sql(struct ctx *c, const PgQuery__Node *e)
{
	return need(c, deparse_expr(c->a, e), "an expression");
}

/* ---------------------------------------------------------------------
 * Guards and retries written as DO blocks
 * ------------------------------------------------------------------- */

static const char *do_block(struct ctx *c, const char *body)
{
	const char *dq = dollar_quote(c->a, body);
	return dq ? fmt(c, "DO %s", dq) : need(c, NULL, "a DO block");
}

/*
 * A failed CREATE INDEX CONCURRENTLY leaves an INVALID index behind, and
 * the next attempt fails on its name; drop it first. DROP INDEX
 * CONCURRENTLY cannot run in a DO block, so this takes ACCESS EXCLUSIVE on
 * the table for a moment, and only when such a leftover exists.
 */
static void guard_invalid_index(struct ctx *c, const char *index_qname, enum plan_phase ph)
{
	const char *qi = qt(c, index_qname);
	const char *body = fmt(c,
		"\nBEGIN\n"
		"    IF EXISTS (SELECT 1 FROM pg_catalog.pg_index\n"
		"               WHERE indexrelid = pg_catalog.to_regclass(%s) AND NOT indisvalid) THEN\n"
		"        DROP INDEX IF EXISTS %s;\n"
		"    END IF;\n"
		"END\n", lit(c, qi), qi);
	sql_step(c, ph, PLAN_TXN_OWN, do_block(c, body),
		 fmt(c, "drop index \"%s\" if an earlier CREATE INDEX CONCURRENTLY left it INVALID",
		     index_qname));
}

/* ---------------------------------------------------------------------
 * Backfills in batches
 * ------------------------------------------------------------------- */

/* A single-column key to batch by: the primary key, or a unique NOT NULL column. */
static const char *batch_key(struct ctx *c, const char *table)
{
	const struct sm_table *t = schema_table(c->s, table);
	if (!t || t->relkind != 'r')
		return NULL;
	for (size_t i = 0; i < t->n_constraints; i++)
		if (t->constraints[i].kind == SM_CON_PRIMARY && t->constraints[i].n_columns == 1)
			return t->constraints[i].columns[0];
	for (size_t i = 0; i < c->s->n_indexes; i++) {
		const struct sm_index *ix = &c->s->indexes[i];
		if (strcmp(ix->table, table) || !ix->unique || ix->n_columns != 1 || ix->has_expressions)
			continue;
		const struct sm_column *col = schema_column(t, ix->columns[0]);
		if (col && col->not_null)
			return ix->columns[0];
	}
	return NULL;
}

/*
 * Keyset batches: each selects the next @size keys after @lower (none for
 * the first batch), updates (@set; deletes when NULL) the rows among them
 * that still match @filter, and returns the last key it covered. @into is
 * " INTO var" inside PL/pgSQL.
 */
static const char *keyset_batch(struct ctx *c, const char *table, const char *key,
				const char *set, const char *filter, const char *lower,
				const char *into)
{
	const char *t = qt(c, table), *k = q(c, key);
	return fmt(c,
		"WITH pgsafe_batch AS (\n"
		"    SELECT %s AS pgsafe_key FROM %s%s%s%s ORDER BY %s LIMIT %ld\n"
		"), pgsafe_update AS (\n"
		"    %s\n"
		"    WHERE %s IN (SELECT pgsafe_key FROM pgsafe_batch) AND (%s)\n"
		")\n"
		"SELECT pgsafe_key%s FROM pgsafe_batch ORDER BY pgsafe_key DESC LIMIT 1",
		k, t, lower ? " WHERE " : "", lower ? fmt(c, "%s > ", k) : "", lower ? lower : "",
		k, c->p->settings.batch_size,
		set ? fmt(c, "UPDATE %s SET %s", t, set) : fmt(c, "DELETE FROM %s", t), k, filter, into);
}

/*
 * ctid batches, when no key is known: up to @size rows that still match
 * @filter (tested again by the UPDATE itself: rows of other partitions may
 * share a ctid, and rows change meanwhile). Returns (rows updated, rows
 * that still match after the update): a value that leaves a row matching
 * would otherwise loop forever.
 */
static const char *ctid_batch(struct ctx *c, const char *table, const char *set,
			      const char *filter, const char *into)
{
	const char *t = qt(c, table);
	return fmt(c,
		"WITH pgsafe_update AS (\n"
		"    %s\n"
		"    WHERE ctid = ANY (ARRAY(SELECT ctid FROM %s WHERE %s LIMIT %ld)) AND (%s)\n"
		"    RETURNING (%s) AS pgsafe_again\n"
		")\n"
		"SELECT count(*), count(*) FILTER (WHERE pgsafe_again)%s FROM pgsafe_update",
		set ? fmt(c, "UPDATE %s SET %s", t, set) : fmt(c, "DELETE FROM %s", t),
		t, filter, c->p->settings.batch_size, filter, set ? filter : "false", into);
}

/* @text with every line after the first indented by @pad spaces. */
static const char *indent(struct ctx *c, const char *text, int pad)
{
	size_t lines = 0;
	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	char *out = arena_alloc(c->a, strlen(text) + lines * (size_t)pad + 1);
	if (!out) {
		c->failed = true;
		return text;
	}
	char *w = out;
	for (const char *p = text; *p; p++) {
		*w++ = *p;
		if (*p == '\n')
			for (int k = 0; k < pad; k++)
				*w++ = ' ';
	}
	*w = '\0';
	return out;
}

static const char *pause_sql(struct ctx *c)
{
	long ms = c->p->settings.batch_pause_ms;
	return fmt(c, "%ld.%03ld", ms / 1000, ms % 1000);
}

/*
 * A batched backfill of @table: SET @set WHERE @filter, a batch at a time,
 * each committed, with a pause between batches. From PostgreSQL 11 the
 * step's SQL is one DO block that loops and COMMITs (which is why it must
 * run outside a transaction block); before 11 it is one batch, repeated
 * by the runner until the end condition holds.
 */
static struct plan_step *backfill(struct ctx *c, const char *table, const char *column,
				  const char *set, const char *filter, const char *desc)
{
	const char *key = batch_key(c, table);
	struct plan_batch b = {
		.table = table, .key = key, .size = c->p->settings.batch_size,
		.pause_ms = c->p->settings.batch_pause_ms, .set_sql = set, .filter_sql = filter,
	};
	const char *body;
	if (key) {
		b.first_sql = keyset_batch(c, table, key, set, filter, NULL, "");
		b.sql = keyset_batch(c, table, key, set, filter, "$1", "");
		b.until = "a batch returns no row: every key has been visited";
		body = fmt(c,
			"\nDECLARE\n"
			"    pgsafe_last %s.%s%%TYPE;\n"
			"BEGIN\n"
			"    %s;\n"
			"    WHILE pgsafe_last IS NOT NULL LOOP\n"
			"        COMMIT;\n"
			"        PERFORM pg_catalog.pg_sleep(%s);\n"
			"        %s;\n"
			"    END LOOP;\n"
			"END\n",
			qt(c, table), q(c, key),
			indent(c, keyset_batch(c, table, key, set, filter, NULL, " INTO pgsafe_last"), 4),
			pause_sql(c),
			indent(c, keyset_batch(c, table, key, set, filter, "pgsafe_last", " INTO pgsafe_last"), 8));
	} else {
		b.sql = ctid_batch(c, table, set, filter, "");
		b.until = "a batch updates no row (first column 0); a batch whose second column is "
			  "not 0 left rows matching, and the backfill must stop with an error";
		body = fmt(c,
			"\nDECLARE\n"
			"    pgsafe_n_done bigint;\n"
			"    pgsafe_n_again bigint;\n"
			"BEGIN\n"
			"    LOOP\n"
			"        %s;\n"
			"        IF pgsafe_n_again > 0 THEN\n"
			"            RAISE EXCEPTION 'pgsafe: backfill of %%: %% rows still match %%',\n"
			"                %s, pgsafe_n_again, %s;\n"
			"        END IF;\n"
			"        EXIT WHEN pgsafe_n_done = 0;\n"
			"        COMMIT;\n"
			"        PERFORM pg_catalog.pg_sleep(%s);\n"
			"    END LOOP;\n"
			"END\n",
			indent(c, ctid_batch(c, table, set, filter, " INTO pgsafe_n_done, pgsafe_n_again"), 8),
			lit(c, table), lit(c, filter), pause_sql(c));
	}
	bool do_commit = c->pg >= 11;
	struct plan_step *s = new_step(c, PLAN_STEP_BACKFILL, PLAN_BACKFILL,
				       do_commit ? PLAN_TXN_NONE : PLAN_TXN_OWN,
				       do_commit ? do_block(c, body) : (key ? b.first_sql : b.sql), desc);
	s->has_batch = true;
	s->batch = b;
	s->backfill_table = column ? table : NULL;
	s->backfill_columns = column ? fmt(c, " %s ", column) : NULL;
	if (!key)
		note(c, s, fmt(c, "no single-column primary key or unique NOT NULL column of \"%s\" is "
			       "known, so batches are found by ctid: each one reads the table from "
			       "its start; give the schema to batch by key", table));
	if (!do_commit)
		note(c, s, "before PostgreSQL 11 a DO block cannot COMMIT: the SQL is one batch, to "
			   "repeat in its own transaction until the end condition holds");
	return s;
}

/* ---------------------------------------------------------------------
 * NOT NULL through a validated CHECK
 * ------------------------------------------------------------------- */

/* Marks @s as reading @columns (" a b ") of @table for a validation, first of @chain. */
static struct plan_step *validation(struct ctx *c, struct plan_step *s, const char *table,
				    const char *columns, int chain)
{
	(void)c;
	s->validates_table = table;
	s->validates_columns = columns;
	s->chain = chain;
	return s;
}

/* The first step of this file that backfills @table.@column, or -1. */
static long backfill_step_of(struct ctx *c, const char *table, const char *column)
{
	for (size_t i = 0; i < c->p->n_steps; i++) {
		const struct plan_step *s = c->p->steps[i];
		if (s->backfill_table && s->backfill_columns && s->origin &&
		    s->origin->file_index == c->origin->file_index &&
		    !strcmp(s->backfill_table, table) &&
		    strstr(s->backfill_columns, fmt(c, " %s ", column)))
			return (long)i;
	}
	return -1;
}

/*
 * SET NOT NULL without holding ACCESS EXCLUSIVE through a scan: a NOT VALID
 * CHECK (enforced for new rows at once), VALIDATE under SHARE UPDATE
 * EXCLUSIVE, then SET NOT NULL, which from PostgreSQL 12 trusts the
 * validated CHECK and reads nothing, and the CHECK is dropped. Before 12
 * SET NOT NULL always scans, so the CHECK stays as the enforcement.
 * @app_writes: the application must start writing the column before the
 * check is enforced (a checkpoint, before the column's backfill if any).
 */
static void not_null_tail(struct ctx *c, const char *table, const char *column, bool app_writes)
{
	const char *t = qt(c, table);
	const char *con = quote_truncate_name(c->a, object_name(c, quote_relname(table), column,
								 "not_null"));
	if (app_writes) {
		long at = backfill_step_of(c, table, column);
		checkpoint(c, at >= 0 ? PLAN_BACKFILL : PLAN_VALIDATE,
			   fmt(c, "deploy application code that writes column \"%s\" of \"%s\" on "
				  "every insert and update and never sets it to NULL", column, table));
		if (at >= 0)
			move_last_to(c, (size_t)at);
	}
	sql_step(c, PLAN_EXPAND, PLAN_TXN_OWN,
		 fmt(c, "ALTER TABLE %s ADD CONSTRAINT %s CHECK (%s IS NOT NULL) NOT VALID", t,
		     q(c, con), q(c, column)),
		 fmt(c, "add CHECK (%s IS NOT NULL) without checking existing rows (NOT VALID): new "
		     "rows are checked at once", column));
	int chain = ++c->p->chains;
	validation(c, sql_step(c, PLAN_VALIDATE, PLAN_TXN_OWN,
		 fmt(c, "ALTER TABLE %s VALIDATE CONSTRAINT %s", t, q(c, con)),
		 fmt(c, "validate \"%s\": reads the table under SHARE UPDATE EXCLUSIVE, which "
		     "blocks neither reads nor writes", con)), table, fmt(c, " %s ", column), chain);
	if (c->pg >= 12) {
		int g = new_group(c);
		struct plan_step *a = sql_step(c, PLAN_VALIDATE, PLAN_TXN_OWN,
				  fmt(c, "ALTER TABLE %s ALTER COLUMN %s SET NOT NULL", t, q(c, column)),
				  fmt(c, "set column \"%s\" NOT NULL: the validated check proves it, so "
				      "nothing is read", column));
		struct plan_step *b = sql_step(c, PLAN_CONTRACT, PLAN_TXN_OWN,
				  fmt(c, "ALTER TABLE %s DROP CONSTRAINT %s", t, q(c, con)),
				  fmt(c, "drop the check \"%s\", now redundant", con));
		in_group(a, g);
		in_group(b, g);
		a->chain = b->chain = chain;
	} else {
		struct plan_step *last = c->p->steps[c->p->n_steps - 1];
		note(c, last, fmt(c, "before PostgreSQL 12 SET NOT NULL reads the whole table under "
				  "ACCESS EXCLUSIVE even with a validated check: the plan keeps "
				  "CHECK \"%s\" as the enforcement, and column \"%s\" stays nullable in "
				  "the catalog", con, column));
	}
}

/* ---------------------------------------------------------------------
 * Indexes
 * ------------------------------------------------------------------- */

/*
 * CREATE INDEX text for @ix (a copy we may change) on @table named @name,
 * CONCURRENTLY when @concurrent. libpg_query leaves index names unquoted,
 * so the tree is deparsed with placeholder names, the head is written
 * here with quoted names, and the result must parse back to the tree.
 */
static const char *create_index_sql(struct ctx *c, PgQuery__IndexStmt *ix, const char *table,
				    const char *name, bool only, bool concurrent)
{
	ix->concurrent = concurrent;
	ix->relation = copy_msg(c, ix->relation);
	if (!ix->relation)
		return "";
	ix->relation->inh = !only;
	ix->relation->schemaname = (char *)"";
	ix->relation->catalogname = (char *)"";
	ix->relation->relname = (char *)"pgsafe_rel";
	ix->idxname = (char *)"pgsafe_ix";
	PgQuery__Node n;
	pg_query__node__init(&n);
	n.node_case = PG_QUERY__NODE__NODE_INDEX_STMT;
	n.index_stmt = ix;
	const char *text = deparse_stmt(c->a, &n);
	const char *head = fmt(c, "CREATE %sINDEX %s%spgsafe_ix ON %spgsafe_rel ",
			       ix->unique ? "UNIQUE " : "", concurrent ? "CONCURRENTLY " : "",
			       ix->if_not_exists ? "IF NOT EXISTS " : "", only ? "ONLY " : "");
	if (!text || strncmp(text, head, strlen(head)))
		return need(c, NULL, "a CREATE INDEX statement");
	const char *sql = fmt(c, "CREATE %sINDEX %s%s%s ON %s%s %s", ix->unique ? "UNIQUE " : "",
			      concurrent ? "CONCURRENTLY " : "", ix->if_not_exists ? "IF NOT EXISTS " : "",
			      q(c, name), only ? "ONLY " : "", qt(c, table), text + strlen(head));
	/* the final text must be the intended tree, names and all */
	ix->idxname = (char *)name;
	ix->relation->schemaname = (char *)quote_schemaname(c->a, table);
	ix->relation->relname = (char *)quote_relname(table);
	struct parsed_file pf;
	if (parse_sql(sql, c->a, &pf) || pf.n != 1 || pf.stmts[0].status != STMT_PARSED ||
	    !quote_same_tree((const ProtobufCMessage *)pf.stmts[0].node, (const ProtobufCMessage *)&n))
		return need(c, NULL, "a CREATE INDEX statement");
	return sql;
}

static const char *index_qname(struct ctx *c, const char *table, const char *name)
{
	return fmt(c, "%s.%s", quote_schemaname(c->a, table), name);
}

/* The partitions directly below @parent in the catalog. */
static size_t partitions_of(struct ctx *c, const char *parent, const struct sm_table **out,
			    size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < c->s->n_tables && n < max; i++) {
		const struct sm_table *t = c->s->tables[i];
		if (t->parent && !t->inherits && !strcmp(t->parent, parent) && strcmp(t->name, parent))
			out[n++] = t;
	}
	return n;
}

/*
 * An index on a partitioned table, built online: the parent's index ON
 * ONLY (invalid until every partition has one), each partition's index
 * CONCURRENTLY, attached one by one; the last ATTACH makes it valid.
 */
static void partitioned_index(struct ctx *c, const PgQuery__IndexStmt *orig, const char *table,
			      const char *name, const char *cols, int depth)
{
	PgQuery__IndexStmt *ix = copy_msg(c, orig);
	if (!ix)
		return;
	ix->if_not_exists = false;
	sql_step(c, PLAN_EXPAND, PLAN_TXN_OWN, create_index_sql(c, ix, table, name, true, false),
		 fmt(c, "create index \"%s\" on the partitioned table \"%s\" alone (ON ONLY): "
		     "it stays invalid until every partition has its index", name, table));
	const struct sm_table *parts[256];
	size_t n = partitions_of(c, table, parts, 256);
	for (size_t i = 0; i < n; i++) {
		const struct sm_table *pt = parts[i];
		const char *pname = quote_truncate_name(c->a, object_name(c, quote_relname(pt->name),
									  cols, "idx"));
		if (pt->relkind == 'p' && depth < 8) {
			partitioned_index(c, orig, pt->name, pname, cols, depth + 1);
		} else {
			PgQuery__IndexStmt *px = copy_msg(c, orig);
			if (!px)
				return;
			px->if_not_exists = false;
			guard_invalid_index(c, index_qname(c, pt->name, pname), PLAN_EXPAND);
			sql_step(c, PLAN_EXPAND, PLAN_TXN_NONE,
				 create_index_sql(c, px, pt->name, pname, false, true),
				 fmt(c, "build index \"%s\" on partition \"%s\" without blocking writes "
				     "(CONCURRENTLY)", pname, pt->name));
		}
		sql_step(c, PLAN_EXPAND, PLAN_TXN_OWN,
			 fmt(c, "ALTER INDEX %s ATTACH PARTITION %s", qt(c, index_qname(c, table, name)),
			     qt(c, index_qname(c, pt->name, pname))),
			 fmt(c, "attach \"%s\" to \"%s\"", pname, name));
	}
}

static void create_index(struct ctx *c, const PgQuery__IndexStmt *is)
{
	const char *table = rv_name(c, is->relation);
	const struct sm_table *t = schema_table(c->s, table);
	if (is->concurrent || is_new(c, table) || (t && t->relkind != 'r' && t->relkind != 'p')) {
		pass_through(c, NULL);
		return;
	}
	const char *cols = index_name_columns(c, is->index_params, is->n_index_params,
					       is->index_including_params, is->n_index_including_params);
	const char *name = is->idxname && *is->idxname ? is->idxname :
		quote_truncate_name(c->a, object_name(c, quote_relname(table), cols, "idx"));
	bool foreign_part = false;
	const struct sm_table *parts[256];
	size_t n_parts = t && t->relkind == 'p' ? partitions_of(c, table, parts, 256) : 0;
	for (size_t i = 0; i < n_parts; i++)
		foreign_part = foreign_part || parts[i]->relkind == 'f';
	if (t && t->relkind == 'p' && foreign_part) {
		/* PostgreSQL cannot index a foreign partition: kept as written */
		pass_through(c, NULL);
		return;
	}
	if (t && t->relkind == 'p') {
		if (!is->relation->inh) {
			pass_through(c, "CREATE INDEX ON ONLY a partitioned table, unchanged: it "
				     "reads nothing");
			return;
		}
		partitioned_index(c, is, table, name, cols, 0);
		return;
	}
	PgQuery__IndexStmt *ix = copy_msg(c, is);
	if (!ix)
		return;
	guard_invalid_index(c, index_qname(c, table, name), PLAN_EXPAND);
	struct plan_step *s = sql_step(c, PLAN_EXPAND, PLAN_TXN_NONE,
				       create_index_sql(c, ix, table, name, false, true),
				       fmt(c, "build index \"%s\" on \"%s\" without blocking writes "
					   "(CONCURRENTLY, outside any transaction)", name, table));
	if (!is->idxname || !*is->idxname)
		note(c, s, fmt(c, "the index is named \"%s\", the name PostgreSQL would choose "
			       "(unless that name is taken)", name));
}

static void drop_index(struct ctx *c, const PgQuery__DropStmt *ds)
{
	if (ds->concurrent || ds->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE) {
		pass_through(c, NULL);
		return;
	}
	bool any = false;
	for (size_t i = 0; i < ds->n_objects; i++) {
		const PgQuery__Node *o = ds->objects[i];
		if (!NODE(o, LIST))
			continue;
		const char *qn = schema_qualify_list(c->s, c->a, o->list->items, o->list->n_items);
		const struct sm_index *ix = schema_index(c->s, qn);
		const struct sm_table *t = ix ? schema_table(c->s, ix->table) : NULL;
		if (!qn || (t && (t->relkind == 'p' || is_new(c, t->name))))
			continue;
		any = true;
	}
	if (!any) {
		pass_through(c, NULL);
		return;
	}
	/* CONCURRENTLY drops one index per statement */
	for (size_t i = 0; i < ds->n_objects; i++) {
		const PgQuery__Node *o = ds->objects[i];
		if (!NODE(o, LIST))
			continue;
		const char *qn = schema_qualify_list(c->s, c->a, o->list->items, o->list->n_items);
		const struct sm_index *ix = schema_index(c->s, qn);
		const struct sm_table *t = ix ? schema_table(c->s, ix->table) : NULL;
		if (t && t->relkind == 'p') {
			struct plan_step *s = sql_step(c, PLAN_CONTRACT, PLAN_TXN_OWN,
				fmt(c, "DROP INDEX %s%s", ds->missing_ok ? "IF EXISTS " : "", qt(c, qn)),
				fmt(c, "drop index \"%s\" of a partitioned table", qn));
			note(c, s, "an index of a partitioned table cannot be dropped CONCURRENTLY: this "
				   "takes ACCESS EXCLUSIVE on the table and its partitions, briefly");
			continue;
		}
		sql_step(c, PLAN_CONTRACT, PLAN_TXN_NONE,
			 fmt(c, "DROP INDEX CONCURRENTLY %s%s", ds->missing_ok ? "IF EXISTS " : "", qt(c, qn)),
			 fmt(c, "drop index \"%s\" without blocking reads or writes (CONCURRENTLY)", qn));
	}
}

static bool has_concurrently(PgQuery__Node **params, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (NODE(params[i], DEF_ELEM) && params[i]->def_elem->defname &&
		    !strcmp(params[i]->def_elem->defname, "concurrently"))
			return true;
	return false;
}

static void reindex(struct ctx *c, const PgQuery__ReindexStmt *rs)
{
	bool table_kind = rs->kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_TABLE;
	bool index_kind = rs->kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_INDEX;
	if (has_concurrently(rs->params, rs->n_params) || (!table_kind && !index_kind)) {
		pass_through(c, NULL);
		return;
	}
	const char *rel = rv_name(c, rs->relation);
	const struct sm_index *ix = index_kind ? schema_index(c->s, rel) : NULL;
	const char *table = index_kind ? (ix ? ix->table : NULL) : rel;
	if (table && is_new(c, table)) {
		pass_through(c, NULL);
		return;
	}
	const struct sm_table *t = table ? schema_table(c->s, table) : NULL;
	bool partitioned = t && t->relkind == 'p';
	if (c->pg < 12 || (partitioned && c->pg < 14)) {
		not_online(c, stmt_text(c), fmt(c, "REINDEX %s \"%s\"", index_kind ? "INDEX" : "TABLE", rel),
			   c->pg < 12 ? "REINDEX CONCURRENTLY needs PostgreSQL 12: REINDEX blocks writes "
					"(and reads that use the index) while it rebuilds" :
					"REINDEX CONCURRENTLY of a partitioned table needs PostgreSQL 14",
			   "CREATE INDEX CONCURRENTLY of a copy and a swap, pg_repack, or a maintenance window");
		return;
	}
	/* the options other than CONCURRENTLY (VERBOSE, TABLESPACE) are kept */
	PgQuery__ReindexStmt *copy = copy_msg(c, rs);
	if (!copy)
		return;
	PgQuery__Node **params = arena_alloc(c->a, (rs->n_params + 1) * sizeof(*params));
	PgQuery__Node *opt = arena_alloc(c->a, sizeof(*opt));
	PgQuery__DefElem *de = arena_alloc(c->a, sizeof(*de));
	if (!params || !opt || !de) {
		c->failed = true;
		return;
	}
	pg_query__def_elem__init(de);
	de->defname = (char *)"concurrently";
	de->defaction = PG_QUERY__DEF_ELEM_ACTION__DEFELEM_UNSPEC;
	pg_query__node__init(opt);
	opt->node_case = PG_QUERY__NODE__NODE_DEF_ELEM;
	opt->def_elem = de;
	for (size_t i = 0; i < rs->n_params; i++)
		params[i] = copy->params[i];
	params[rs->n_params] = opt;
	copy->params = params;
	copy->n_params = rs->n_params + 1;
	copy->relation = qualified_rv(c, rs->relation);
	PgQuery__Node n;
	pg_query__node__init(&n);
	n.node_case = PG_QUERY__NODE__NODE_REINDEX_STMT;
	n.reindex_stmt = copy;
	sql_step(c, PLAN_EXPAND, PLAN_TXN_NONE, need(c, deparse_stmt(c->a, &n), "a REINDEX statement"),
		 fmt(c, "rebuild %s \"%s\" without blocking writes (CONCURRENTLY, outside any "
		     "transaction)", index_kind ? "index" : "the indexes of", rel));
}

/* ---------------------------------------------------------------------
 * Constraints
 * ------------------------------------------------------------------- */

/*
 * The one column an expression names, or NULL when it names none or
 * several: PostgreSQL names a CHECK after its column only when there is
 * exactly one (heap.c AddRelationNewConstraints).
 */
struct one_column {
	const char *name;
	bool several;
};

static bool one_column_visit(const PgQuery__Node *n, void *p)
{
	struct one_column *oc = p;
	if (NODE(n, COLUMN_REF) && n->column_ref->n_fields >= 1) {
		const char *s = node_string(n->column_ref->fields[n->column_ref->n_fields - 1]);
		if (s && oc->name && strcmp(oc->name, s))
			oc->several = true;
		else if (s)
			oc->name = s;
		return false;
	}
	return true;
}

/* The columns an expression names, separated by spaces. */
struct all_columns {
	struct ctx *c;
	const char *acc;
};

static bool all_columns_visit(const PgQuery__Node *n, void *p)
{
	struct all_columns *ac = p;
	if (NODE(n, COLUMN_REF) && n->column_ref->n_fields >= 1) {
		const char *s = node_string(n->column_ref->fields[n->column_ref->n_fields - 1]);
		if (s)
			ac->acc = fmt(ac->c, "%s%s%s", ac->acc, *ac->acc ? " " : "", s);
		return false;
	}
	return true;
}

static const char *columns_of(struct ctx *c, const PgQuery__Node *e)
{
	struct all_columns ac = { c, "" };
	if (e)
		WALK_NODE(e, all_columns_visit, &ac);
	return ac.acc;
}

/* "a_b" of a list of String nodes (key columns). */
static const char *join_names(struct ctx *c, PgQuery__Node **names, size_t n, const char *sep,
			      bool quoted)
{
	const char *acc = "";
	for (size_t i = 0; i < n; i++) {
		const char *s = node_string(names[i]);
		if (!s)
			continue;
		acc = fmt(c, "%s%s%s", acc, *acc ? sep : "", quoted ? q(c, s) : s);
	}
	return acc;
}

static PgQuery__Node *string_node(struct ctx *c, const char *s)
{
	PgQuery__Node *n = arena_alloc(c->a, sizeof(*n));
	PgQuery__String *str = arena_alloc(c->a, sizeof(*str));
	if (!n || !str) {
		c->failed = true;
		return NULL;
	}
	pg_query__string__init(str);
	str->sval = (char *)s;
	pg_query__node__init(n);
	n->node_case = PG_QUERY__NODE__NODE_STRING;
	n->string = str;
	return n;
}

/* The name PostgreSQL gives a constraint declared without one. */
static const char *constraint_name(struct ctx *c, const char *table, const PgQuery__Constraint *con,
				   const char *column)
{
	if (con->conname && *con->conname)
		return con->conname;
	const char *rel = quote_relname(table);
	const char *cols = column;
	const char *label = "check";
	switch (con->contype) {
	case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
		return quote_truncate_name(c->a, object_name(c, rel, NULL, "pkey"));
	case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
		label = "key";
		if (!cols)
			cols = join_names(c, con->keys, con->n_keys, "_", false);
		break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
		label = "fkey";
		if (!cols)
			cols = join_names(c, con->fk_attrs, con->n_fk_attrs, "_", false);
		break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION:
		label = "excl";
		break;
	default:
		if (!cols) {
			struct one_column oc = { NULL, false };
			if (con->raw_expr)
				WALK_NODE(con->raw_expr, one_column_visit, &oc);
			cols = oc.several ? NULL : oc.name;
		}
		break;
	}
	return quote_truncate_name(c->a, object_name(c, rel, cols && *cols ? cols : NULL, label));
}

/* ALTER TABLE @table ADD CONSTRAINT ... for a copy of @con, as checked SQL. */
static const char *add_constraint_sql(struct ctx *c, const PgQuery__AlterTableStmt *as,
				      const PgQuery__Constraint *con)
{
	PgQuery__AlterTableCmd *cmd = arena_alloc(c->a, sizeof(*cmd));
	PgQuery__Node *def = arena_alloc(c->a, sizeof(*def));
	if (!cmd || !def) {
		c->failed = true;
		return "";
	}
	pg_query__alter_table_cmd__init(cmd);
	cmd->subtype = PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint;
	cmd->behavior = PG_QUERY__DROP_BEHAVIOR__DROP_RESTRICT;
	pg_query__node__init(def);
	def->node_case = PG_QUERY__NODE__NODE_CONSTRAINT;
	def->constraint = (PgQuery__Constraint *)con;
	cmd->def = def;
	return alter_one(c, as, cmd);
}

/*
 * CHECK or FOREIGN KEY: added NOT VALID (a brief lock, new rows checked),
 * validated in a transaction of its own under SHARE UPDATE EXCLUSIVE
 * (and ROW SHARE on the referenced table), which blocks neither reads nor
 * writes (ALTER TABLE docs, "VALIDATE CONSTRAINT").
 */
static void check_or_fk(struct ctx *c, const PgQuery__AlterTableStmt *as, const char *table,
			const PgQuery__Constraint *orig, const char *column)
{
	PgQuery__Constraint *con = copy_msg(c, orig);
	if (!con)
		return;
	const char *name = constraint_name(c, table, orig, column);
	con->conname = (char *)name;
	con->skip_validation = true;
	con->initially_valid = false;
	bool fk = con->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN;
	if (fk && column && !con->n_fk_attrs) {
		/* a column's REFERENCES clause, written as a table constraint */
		PgQuery__Node **attrs = arena_alloc(c->a, sizeof(*attrs));
		if (!attrs) {
			c->failed = true;
			return;
		}
		attrs[0] = string_node(c, column);
		con->fk_attrs = attrs;
		con->n_fk_attrs = 1;
	}
	const char *kind = fk ? "FOREIGN KEY" : "CHECK";
	sql_step(c, PLAN_EXPAND, PLAN_TXN_OWN, add_constraint_sql(c, as, con),
		 fmt(c, "add %s \"%s\" without checking existing rows (NOT VALID): new rows are "
		     "checked at once", kind, name));
	struct plan_step *v = sql_step(c, PLAN_VALIDATE, PLAN_TXN_OWN,
		fmt(c, "ALTER TABLE %s VALIDATE CONSTRAINT %s", qt(c, table), q(c, name)),
		fmt(c, "validate \"%s\" in its own transaction: reads the table under SHARE UPDATE "
		    "EXCLUSIVE, which blocks neither reads nor writes", name));
	const char *cols = fk ? join_names(c, con->fk_attrs, con->n_fk_attrs, " ", false) :
		columns_of(c, con->raw_expr);
	validation(c, v, table, fmt(c, " %s ", cols), ++c->p->chains);
}

/* "WITH (fillfactor = 70)" from DefElem options, or "". */
static const char *with_options(struct ctx *c, PgQuery__Node **opts, size_t n)
{
	const char *acc = "";
	for (size_t i = 0; i < n; i++) {
		if (!NODE(opts[i], DEF_ELEM))
			continue;
		const PgQuery__DefElem *d = opts[i]->def_elem;
		const char *v = "";
		if (NODE(d->arg, INTEGER))
			v = fmt(c, " = %d", d->arg->integer->ival);
		else if (NODE(d->arg, FLOAT))
			v = fmt(c, " = %s", lit(c, d->arg->float_->fval));
		else if (NODE(d->arg, STRING))
			v = fmt(c, " = %s", lit(c, d->arg->string->sval));
		else if (NODE(d->arg, BOOLEAN))
			v = d->arg->boolean->boolval ? " = true" : " = false";
		else if (d->arg)
			v = fmt(c, " = %s", need(c, NULL, "an index option"));
		acc = fmt(c, "%s%s%s%s", acc, *acc ? ", " : "", q(c, d->defname), v);
	}
	return *acc ? fmt(c, " WITH (%s)", acc) : "";
}

/* Whether the same ALTER TABLE adds @column NOT NULL (or as the primary key). */
static bool added_not_null(const PgQuery__AlterTableStmt *as, const char *column)
{
	for (size_t i = 0; as && i < as->n_cmds; i++) {
		if (!NODE(as->cmds[i], ALTER_TABLE_CMD))
			continue;
		const PgQuery__AlterTableCmd *cmd = as->cmds[i]->alter_table_cmd;
		if ((cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn &&
		     cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumnRecurse) ||
		    !NODE(cmd->def, COLUMN_DEF) || strcmp(cmd->def->column_def->colname, column))
			continue;
		const PgQuery__ColumnDef *cd = cmd->def->column_def;
		if (cd->is_not_null || column_constraint(cd, PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL) ||
		    column_constraint(cd, PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY))
			return true;
	}
	return false;
}

static bool column_not_null(struct ctx *c, const char *table, const char *column)
{
	const struct sm_column *col = schema_column(schema_table(c->s, table), column);
	return col && col->not_null;
}

/*
 * A primary key makes its columns NOT NULL: ADD PRIMARY KEY (USING INDEX)
 * reads the table for that unless a validated IS NOT NULL check proves it
 * (PostgreSQL 12+, tablecmds.c ATExecSetNotNull). Each nullable key column
 * gets one, validated, before the key; they are dropped once it holds.
 * Returns how many, named in @checks; @nullable says whether any key
 * column may be NULL.
 */
static size_t key_checks(struct ctx *c, const PgQuery__AlterTableStmt *as, const char *table,
			 const char *const *cols, size_t n, int chain, const char **checks, bool *nullable)
{
	size_t n_checks = 0;
	const struct sm_table *t = schema_table(c->s, table);
	for (size_t i = 0; i < n; i++) {
		const char *col = cols[i];
		if (column_not_null(c, table, col) || added_not_null(as, col) ||
		    (c->pg >= 12 && schema_has_validated_not_null_check(t, col)))
			continue;
		*nullable = true;
		if (c->pg < 12)
			continue;
		const char *cn = quote_truncate_name(c->a, object_name(c, quote_relname(table), col, "not_null"));
		checks[n_checks++] = cn;
		sql_step(c, PLAN_EXPAND, PLAN_TXN_OWN,
			 fmt(c, "ALTER TABLE %s ADD CONSTRAINT %s CHECK (%s IS NOT NULL) NOT VALID", qt(c, table),
			     q(c, cn), q(c, col)),
			 fmt(c, "add CHECK (%s IS NOT NULL) without checking existing rows (NOT VALID): new "
			     "rows are checked at once", col));
		validation(c, sql_step(c, PLAN_VALIDATE, PLAN_TXN_OWN,
			fmt(c, "ALTER TABLE %s VALIDATE CONSTRAINT %s", qt(c, table), q(c, cn)),
			fmt(c, "validate \"%s\", so that the primary key need not read the table", cn)),
			table, fmt(c, " %s ", col), chain);
	}
	return n_checks;
}

/* After the key (@add): its checks dropped, or, before PostgreSQL 12, the key not online. */
static void key_checks_done(struct ctx *c, struct plan_step *add, const char *table,
			    const char *const *checks, size_t n_checks, bool nullable, int chain)
{
	add->chain = n_checks ? chain : 0;
	if (nullable && c->pg < 12) {
		add->online = false;
		add->reason = "before PostgreSQL 12 a primary key reads the whole table under ACCESS "
			      "EXCLUSIVE to make its nullable columns NOT NULL, even with a validated check";
		add->needs = "a maintenance window, or the key columns made NOT NULL beforehand";
	}
	if (!n_checks)
		return;
	int g = new_group(c);
	for (size_t i = 0; i < n_checks; i++) {
		struct plan_step *d = sql_step(c, PLAN_CONTRACT, PLAN_TXN_OWN,
			fmt(c, "ALTER TABLE %s DROP CONSTRAINT %s", qt(c, table), q(c, checks[i])),
			fmt(c, "drop the check \"%s\": the primary key holds", checks[i]));
		in_group(d, g);
		d->chain = chain;
	}
}

/*
 * ADD PRIMARY KEY / UNIQUE: the unique index built CONCURRENTLY, then
 * ADD CONSTRAINT ... USING INDEX, which only takes a brief ACCESS
 * EXCLUSIVE. A primary key also needs its columns NOT NULL: each nullable
 * one goes through the validated-check sequence first.
 */
static void unique_constraint(struct ctx *c, const PgQuery__AlterTableStmt *as, const char *table,
			      const PgQuery__Constraint *con, const char *column, bool keys_not_null)
{
	bool pk = con->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY;
	const char *name = constraint_name(c, table, con, column);
	PgQuery__Node *one[1];
	PgQuery__Node **keys = con->keys;
	size_t n_keys = con->n_keys;
	if (!n_keys && column) {
		one[0] = string_node(c, column);
		keys = one;
		n_keys = 1;
	}
	const char *incl = con->n_including ?
		fmt(c, " INCLUDE (%s)", join_names(c, con->including, con->n_including, ", ", true)) : "";
	const char *index_sql = fmt(c, "CREATE UNIQUE INDEX CONCURRENTLY %s ON %s USING btree (%s)%s%s%s%s",
		q(c, name), qt(c, table), join_names(c, keys, n_keys, ", ", true), incl,
		con->nulls_not_distinct ? " NULLS NOT DISTINCT" : "",
		with_options(c, con->options, con->n_options),
		con->indexspace && *con->indexspace ? fmt(c, " TABLESPACE %s", q(c, con->indexspace)) : "");
	guard_invalid_index(c, index_qname(c, table, name), PLAN_EXPAND);
	sql_step(c, PLAN_EXPAND, PLAN_TXN_NONE, index_sql,
		 fmt(c, "build the unique index \"%s\" without blocking writes (CONCURRENTLY, outside "
		     "any transaction)", name));
	const char *cols[32], *checks[32];
	size_t n_cols = 0;
	for (size_t i = 0; pk && !keys_not_null && i < n_keys && n_cols < 32; i++)
		if (node_string(keys[i]))
			cols[n_cols++] = node_string(keys[i]);
	bool nullable = false;
	int chain = ++c->p->chains;
	size_t n_checks = key_checks(c, as, table, cols, n_cols, chain, checks, &nullable);
	const char *deferral = fmt(c, "%s%s", con->deferrable ? " DEFERRABLE" : "",
				   con->initdeferred ? " INITIALLY DEFERRED" : "");
	struct plan_step *add = sql_step(c, PLAN_EXPAND, PLAN_TXN_OWN,
		 fmt(c, "ALTER TABLE %s ADD CONSTRAINT %s %s USING INDEX %s%s", qt(c, table), q(c, name),
		     pk ? "PRIMARY KEY" : "UNIQUE", q(c, name), deferral),
		 fmt(c, "make the index the %s constraint \"%s\" (a brief ACCESS EXCLUSIVE, nothing "
		     "is read)", pk ? "primary key" : "unique", name));
	key_checks_done(c, add, table, checks, n_checks, nullable, chain);
}

/* One constraint of ADD CONSTRAINT or of a new column, on an existing table. */
static void table_constraint(struct ctx *c, const PgQuery__AlterTableStmt *as, const char *table,
			     const PgQuery__Constraint *con, const char *column)
{
	switch (con->contype) {
	case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
	case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
		if (con->skip_validation)
			break;
		check_or_fk(c, as, table, con, column);
		return;
	case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
	case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
		if (!con->indexname || !*con->indexname) {
			unique_constraint(c, as, table, con, column, false);
			return;
		}
		if (con->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY) {
			/* USING INDEX: the index's columns are proved NOT NULL first */
			const struct sm_index *ix = schema_index(c->s, index_qname(c, table, con->indexname));
			const char *checks[32];
			bool nullable = false;
			int chain = ++c->p->chains;
			size_t n = ix ? key_checks(c, as, table, ix->columns, ix->n_columns < 32 ? ix->n_columns : 32,
						   chain, checks, &nullable) : 0;
			struct plan_step *add = sql_step(c, PLAN_EXPAND, PLAN_TXN_OWN,
				add_constraint_sql(c, as, con),
				fmt(c, "make \"%s\" the primary key (a brief ACCESS EXCLUSIVE)", con->indexname));
			key_checks_done(c, add, table, checks, n, nullable, chain);
			if (!ix) {
				add->online = false;
				add->reason = fmt(c, "pgsafe does not know the columns of index \"%s\", so it cannot "
						  "prove them NOT NULL first: the primary key may read the whole table "
						  "under ACCESS EXCLUSIVE", con->indexname);
				add->needs = "the schema (--schema or --context), or the key columns made NOT NULL beforehand";
			}
			return;
		}
		break;
	default:
		break;
	}
	sql_step(c, PLAN_EXPAND, PLAN_TXN_OWN, add_constraint_sql(c, as, con),
		 fmt(c, "add constraint \"%s\"", constraint_name(c, table, con, column)));
}

/* ---------------------------------------------------------------------
 * ALTER TABLE
 * ------------------------------------------------------------------- */

/* The effects' note of @cause about @column (any column when NULL), or NULL. */
static const struct effect_note *note_of(struct ctx *c, enum effect_cause cause, const char *column)
{
	const struct effects *fx = &c->as->fx;
	for (size_t i = 0; i < fx->n_notes; i++)
		if (fx->notes[i].cause == cause &&
		    (!column || (fx->notes[i].column && !strcmp(fx->notes[i].column, column))))
			return &fx->notes[i];
	return NULL;
}


static bool rewrites_existing(struct ctx *c)
{
	for (size_t i = 0; i < c->as->fx.n_rewrites; i++)
		if (!is_new(c, c->as->fx.rewrites[i]))
			return true;
	return false;
}

static bool scans_existing(struct ctx *c)
{
	for (size_t i = 0; i < c->as->fx.n_scans; i++)
		if (!is_new(c, c->as->fx.scans[i]))
			return true;
	return false;
}

/* Whether a subcommand must be replaced by steps, rather than kept as it is. */
static bool cmd_needs_plan(struct ctx *c, const char *table, const PgQuery__AlterTableCmd *cmd)
{
	bool existing = !is_new(c, table);
	switch (cmd->subtype) {
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumnRecurse: {
		if (!existing || !NODE(cmd->def, COLUMN_DEF))
			return false;
		const char *col = cmd->def->column_def->colname;
		const struct effects *fx = &c->as->fx;
		for (size_t i = 0; i < fx->n_notes; i++)
			if (fx->notes[i].column && !strcmp(fx->notes[i].column, col) &&
			    fx->notes[i].cause < CAUSE_INDEX_REBUILD)
				return true;
		return false;
	}
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
		return existing && note_of(c, CAUSE_SET_NOT_NULL, cmd->name);
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraintRecurse: {
		if (!NODE(cmd->def, CONSTRAINT))
			return false;
		const PgQuery__Constraint *con = cmd->def->constraint;
		switch (con->contype) {
		case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
			return existing && !con->skip_validation;
		case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
			return !con->skip_validation &&
			       (existing || (con->pktable && !is_new(c, rv_name(c, con->pktable))));
		case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
			return existing && (!(con->indexname && *con->indexname) ||
					    note_of(c, CAUSE_SET_NOT_NULL, NULL));
		case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
			return existing && !(con->indexname && *con->indexname);
		case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION:
			return existing;
		default:
			return false;
		}
	}
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
		return existing && (rewrites_existing(c) || scans_existing(c));
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
		return existing;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetTableSpace:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetLogged:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetUnLogged:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetAccessMethod:
		return existing && rewrites_existing(c);
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition:
		return scans_existing(c);
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition:
		return existing && NODE(cmd->def, PARTITION_CMD) && !cmd->def->partition_cmd->concurrent;
	default:
		return false;
	}
}

static void set_not_null(struct ctx *c, const char *table, const char *column)
{
	const struct sm_column *col = schema_column(schema_table(c->s, table), column);
	/* without a default, inserts that leave the column out would start failing */
	not_null_tail(c, table, column, !col || !col->has_default);
}

static void add_column(struct ctx *c, const PgQuery__AlterTableStmt *as, const char *table,
		       const PgQuery__AlterTableCmd *cmd)
{
	const PgQuery__ColumnDef *cd = cmd->def->column_def;
	const char *col = cd->colname;
	static const enum effect_cause no_online[] = {
		CAUSE_GENERATED_STORED, CAUSE_IDENTITY_COLUMN, CAUSE_SERIAL_COLUMN,
		CAUSE_DOMAIN_WITH_CONSTRAINT,
	};
	for (size_t i = 0; i < sizeof(no_online) / sizeof(no_online[0]); i++) {
		if (!note_of(c, no_online[i], col))
			continue;
		not_online(c, alter_one(c, as, cmd), fmt(c, "add column \"%s\" to \"%s\"", col, table),
			   fmt(c, "adding column \"%s\" with %s rewrites \"%s\" under ACCESS EXCLUSIVE, "
			       "which blocks reads and writes; PostgreSQL has no online form", col,
			       effects_cause_text(no_online[i]), table),
			   "a maintenance window, or a new table filled in batches and swapped in");
		return;
	}
	const PgQuery__Constraint *defcon = column_constraint(cd, PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT);
	const PgQuery__Node *defexpr = cd->raw_default ? cd->raw_default : defcon ? defcon->raw_expr : NULL;
	if (defexpr && node_is_null_const(defexpr))
		defexpr = NULL;
	bool not_null = cd->is_not_null || column_constraint(cd, PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL);
	bool rewrite = note_of(c, CAUSE_VOLATILE_DEFAULT, col) || note_of(c, CAUSE_DEFAULT_BEFORE_PG11, col);
	if (not_null && !defexpr) {
		not_online(c, alter_one(c, as, cmd), fmt(c, "add column \"%s\" to \"%s\"", col, table),
			   fmt(c, "ADD COLUMN \"%s\" ... NOT NULL without a default fails when \"%s\" has "
			       "rows, after reading all of it under ACCESS EXCLUSIVE", col, table),
			   "a default for the column, or the column added nullable, filled, then SET NOT NULL");
		return;
	}
	/* the column alone: no default when it would rewrite, no constraint that reads the table */
	PgQuery__AlterTableCmd *copy = copy_msg(c, cmd);
	if (!copy)
		return;
	PgQuery__ColumnDef *ncd = copy->def->column_def;
	size_t w = 0;
	const PgQuery__Constraint *moved[16];
	size_t n_moved = 0;
	for (size_t i = 0; i < ncd->n_constraints; i++) {
		const PgQuery__Node *n = ncd->constraints[i];
		PgQuery__ConstrType ct = NODE(n, CONSTRAINT) ? n->constraint->contype :
			PG_QUERY__CONSTR_TYPE__CONSTR_TYPE_UNDEFINED;
		bool move = ct == PG_QUERY__CONSTR_TYPE__CONSTR_CHECK ||
			    ct == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN ||
			    ct == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY ||
			    ct == PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE;
		bool drop = rewrite && (ct == PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT ||
					ct == PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL);
		/* a foreign key on a column that starts all NULL has nothing to validate */
		if (ct == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN && !defexpr)
			move = false;
		if (move && n_moved < 16)
			moved[n_moved++] = cd->constraints[i]->constraint;
		else if (!drop)
			ncd->constraints[w++] = ncd->constraints[i];
	}
	ncd->n_constraints = w;
	if (rewrite) {
		ncd->raw_default = NULL;
		ncd->is_not_null = false;
	}
	const char *t = qt(c, table);
	int g = new_group(c);
	struct plan_step *s = sql_step(c, PLAN_EXPAND, PLAN_TXN_OWN, alter_one(c, as, copy),
		fmt(c, rewrite ? "add column \"%s\" to \"%s\", nullable and without a default: a brief "
		    "lock, no rewrite" : "add column \"%s\" to \"%s\"", col, table));
	if (rewrite) {
		in_group(s, g);
		in_group(sql_step(c, PLAN_EXPAND, PLAN_TXN_OWN,
				  fmt(c, "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s", t, q(c, col),
				      expr_sql(c, defexpr)),
				  fmt(c, "give new rows of \"%s\" the default of \"%s\"", table, col)), g);
		struct plan_step *b = backfill(c, table, col,
			fmt(c, "%s = (%s)", q(c, col), expr_sql(c, defexpr)),
			fmt(c, "%s IS NULL", q(c, col)),
			fmt(c, "fill \"%s\" of existing rows with its default, in batches", col));
		if (note_of(c, CAUSE_DEFAULT_BEFORE_PG11, col) && !note_of(c, CAUSE_VOLATILE_DEFAULT, col))
			note(c, b, "a default that is not constant (now(), ...) is evaluated per batch, "
				   "not once for the whole table");
		note(c, b, fmt(c, "rows the application inserts with an explicit NULL in \"%s\" before "
			       "this step ends are filled too", col));
		if (not_null)
			not_null_tail(c, table, col, false);
	}
	for (size_t i = 0; i < n_moved; i++) {
		if (moved[i]->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY ||
		    moved[i]->contype == PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE) {
			if (moved[i]->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY && !not_null)
				not_null_tail(c, table, col, !defexpr);
			/* the column is NOT NULL by now: no second sequence */
			PgQuery__Constraint *u = copy_msg(c, moved[i]);
			if (!u)
				return;
			unique_constraint(c, as, table, u, col, true);
			continue;
		}
		table_constraint(c, as, table, moved[i], col);
	}
}

static void drop_column(struct ctx *c, const PgQuery__AlterTableStmt *as, const char *table,
			const PgQuery__AlterTableCmd *cmd)
{
	checkpoint(c, PLAN_CONTRACT, fmt(c, "deploy application code that no longer reads or writes column \"%s\" "
			  "of \"%s\"", cmd->name, table));
	sql_step(c, PLAN_CONTRACT, PLAN_TXN_OWN, alter_one(c, as, cmd),
		 fmt(c, "drop column \"%s\" of \"%s\" (a brief ACCESS EXCLUSIVE, nothing is read)",
		     cmd->name, table));
}

/* ---------------------------------------------------------------------
 * Partitions
 * ------------------------------------------------------------------- */

/* Whether a bound datum is MINVALUE or MAXVALUE (parsed as a column reference). */
static bool is_unbounded(const PgQuery__Node *n)
{
	return NODE(n, COLUMN_REF);
}

/*
 * CHECK expressions that prove a one-column bound and its negation: the
 * shapes PostgreSQL 15 generates for the partition constraint
 * (partbounds.c get_qual_for_range / get_qual_for_list) and for the
 * default partition (get_proposed_default_constraint negates and
 * canonicalizes it), so that ATTACH finds both implied by validated
 * constraints and reads neither table. NULL when the bound has another shape.
 */
static bool bound_checks(struct ctx *c, const char *key, const PgQuery__PartitionBoundSpec *b,
			 const char **inside, const char **outside)
{
	const char *k = q(c, key);
	if (b->strategy && b->strategy[0] == 'r' && b->n_lowerdatums == 1 && b->n_upperdatums == 1) {
		const char *in = fmt(c, "%s IS NOT NULL", k), *out = fmt(c, "%s IS NULL", k);
		if (!is_unbounded(b->lowerdatums[0])) {
			const char *lo = expr_sql(c, b->lowerdatums[0]);
			in = fmt(c, "%s AND %s >= %s", in, k, lo);
			out = fmt(c, "%s OR %s < %s", out, k, lo);
		}
		if (!is_unbounded(b->upperdatums[0])) {
			const char *hi = expr_sql(c, b->upperdatums[0]);
			in = fmt(c, "%s AND %s < %s", in, k, hi);
			out = fmt(c, "%s OR %s >= %s", out, k, hi);
		}
		*inside = in;
		*outside = out;
		return true;
	}
	if (b->strategy && b->strategy[0] == 'l' && b->n_listdatums) {
		const char *vals = "";
		for (size_t i = 0; i < b->n_listdatums; i++) {
			if (node_is_null_const(b->listdatums[i]))
				return false;
			vals = fmt(c, "%s%s%s", vals, i ? ", " : "", expr_sql(c, b->listdatums[i]));
		}
		*inside = fmt(c, "%s IS NOT NULL AND %s IN (%s)", k, k, vals);
		*outside = fmt(c, "%s IS NULL OR %s <> ALL (ARRAY[%s])", k, k, vals);
		return true;
	}
	return false;
}

static void attach_partition(struct ctx *c, const PgQuery__AlterTableStmt *as, const char *parent,
			     const PgQuery__AlterTableCmd *cmd)
{
	const PgQuery__PartitionCmd *pc = cmd->def->partition_cmd;
	const char *part = rv_name(c, pc->name);
	const struct sm_table *pt = schema_table(c->s, parent);
	const struct sm_table *dflt = schema_default_partition(c->s, parent);
	const char *inside, *outside;
	if (!pt || pt->n_part_keys != 1 || !pc->bound || pc->bound->is_default ||
	    !bound_checks(c, pt->part_keys[0], pc->bound, &inside, &outside)) {
		struct plan_step *s = sql_step(c, PLAN_EXPAND, PLAN_TXN_OWN, alter_one(c, as, cmd),
			fmt(c, "attach \"%s\" to \"%s\"", part, parent));
		s->online = false;
		s->reason = fmt(c, "the bound of \"%s\" cannot be matched with a CHECK here (a key of "
				"several columns or an expression, a hash or default bound, NULL in a list, "
				"or a parent pgsafe has not seen): ATTACH reads the partition%s under "
				"ACCESS EXCLUSIVE", part, dflt ? " and the default partition" : "");
		s->needs = "a CHECK constraint matching the bound, validated before ATTACH, written by hand";
		return;
	}
	const char *pname = quote_truncate_name(c->a, object_name(c, quote_relname(part), NULL, "bound"));
	const char *dname = dflt ? quote_truncate_name(c->a, object_name(c, quote_relname(dflt->name),
								       quote_relname(part), "excluded")) : NULL;
	if (!is_new(c, part)) {
		sql_step(c, PLAN_EXPAND, PLAN_TXN_OWN,
			 fmt(c, "ALTER TABLE %s ADD CONSTRAINT %s CHECK (%s) NOT VALID", qt(c, part),
			     q(c, pname), inside),
			 fmt(c, "add a CHECK matching the partition bound to \"%s\" (NOT VALID)", part));
		sql_step(c, PLAN_VALIDATE, PLAN_TXN_OWN,
			 fmt(c, "ALTER TABLE %s VALIDATE CONSTRAINT %s", qt(c, part), q(c, pname)),
			 fmt(c, "validate \"%s\" under SHARE UPDATE EXCLUSIVE, so that ATTACH need not "
			     "read \"%s\"", pname, part));
	} else {
		pname = NULL;
	}
	if (dflt) {
		sql_step(c, PLAN_EXPAND, PLAN_TXN_OWN,
			 fmt(c, "ALTER TABLE %s ADD CONSTRAINT %s CHECK (%s) NOT VALID", qt(c, dflt->name),
			     q(c, dname), outside),
			 fmt(c, "add a CHECK to the default partition \"%s\" excluding the new bound "
			     "(NOT VALID)", dflt->name));
		sql_step(c, PLAN_VALIDATE, PLAN_TXN_OWN,
			 fmt(c, "ALTER TABLE %s VALIDATE CONSTRAINT %s", qt(c, dflt->name), q(c, dname)),
			 fmt(c, "validate \"%s\", so that ATTACH need not read the default partition", dname));
	}
	sql_step(c, PLAN_EXPAND, PLAN_TXN_OWN, alter_one(c, as, cmd),
		 fmt(c, "attach \"%s\" to \"%s\": the validated checks prove the bound, so nothing is read",
		     part, parent));
	int g = new_group(c);
	if (pname)
		in_group(sql_step(c, PLAN_CONTRACT, PLAN_TXN_OWN,
				  fmt(c, "ALTER TABLE %s DROP CONSTRAINT %s", qt(c, part), q(c, pname)),
				  fmt(c, "drop \"%s\": the partition bound now holds", pname)), g);
	if (dflt)
		in_group(sql_step(c, PLAN_CONTRACT, PLAN_TXN_OWN,
				  fmt(c, "ALTER TABLE %s DROP CONSTRAINT %s", qt(c, dflt->name), q(c, dname)),
				  fmt(c, "drop \"%s\": the default partition's bound now excludes \"%s\"",
				      dname, part)), g);
}

/*
 * DETACH PARTITION CONCURRENTLY (PostgreSQL 14+) runs in two
 * transactions; if it is interrupted between them, the partition is left
 * "pending detach" and only FINALIZE completes it. The step after it
 * does that when needed, and nothing otherwise.
 */
static void detach_partition(struct ctx *c, const char *parent, const PgQuery__AlterTableCmd *cmd)
{
	const PgQuery__PartitionCmd *pc = cmd->def->partition_cmd;
	const char *part = rv_name(c, pc->name);
	const struct sm_table *dflt = schema_default_partition(c->s, parent);
	const char *plain = fmt(c, "ALTER TABLE %s DETACH PARTITION %s", qt(c, parent), qt(c, part));
	if (c->pg < 14 || (dflt && strcmp(dflt->name, part))) {
		not_online(c, plain, fmt(c, "detach \"%s\" from \"%s\"", part, parent),
			   c->pg < 14 ?
			   "DETACH PARTITION CONCURRENTLY needs PostgreSQL 14; the plain form takes ACCESS "
			   "EXCLUSIVE on the partitioned table, which blocks its reads and writes" :
			   fmt(c, "PostgreSQL refuses DETACH PARTITION CONCURRENTLY while \"%s\" has a default "
			       "partition (\"%s\"); the plain form takes ACCESS EXCLUSIVE on the partitioned "
			       "table and the default partition, which blocks their reads and writes",
			       parent, dflt ? dflt->name : ""),
			   "a maintenance window");
		return;
	}
	/*
	 * A lock timeout in its second transaction leaves the partition
	 * pending: no retry then, the FINALIZE step after it completes it.
	 */
	struct plan_step *d = sql_step(c, PLAN_CONTRACT, PLAN_TXN_NONE, fmt(c, "%s CONCURRENTLY", plain),
		fmt(c, "detach \"%s\" from \"%s\" without blocking the partitioned table (CONCURRENTLY, "
		    "outside any transaction)", part, parent));
	d->no_retry = true;
	const char *body = fmt(c,
		"\nBEGIN\n"
		"    IF EXISTS (SELECT 1 FROM pg_catalog.pg_inherits\n"
		"               WHERE inhrelid = pg_catalog.to_regclass(%s) AND inhdetachpending) THEN\n"
		"        %s FINALIZE;\n"
		"    END IF;\n"
		"END\n", lit(c, qt(c, part)), plain);
	sql_step(c, PLAN_CONTRACT, PLAN_TXN_OWN, do_block(c, body),
		 fmt(c, "finish the detach of \"%s\" (FINALIZE) if it was interrupted; nothing otherwise",
		     part));
	/*
	 * CONCURRENTLY leaves a copy of the old bound on the partition as a
	 * CHECK, unless its constraints already imply it (tablecmds.c
	 * DetachAddConstraintIfNeeded), named like any unnamed CHECK; the plain
	 * DETACH adds none. Dropped when the catalog proves the name is free.
	 */
	const struct sm_table *pt = schema_table(c->s, part);
	const struct sm_table *parent_t = schema_table(c->s, parent);
	const char *check = NULL;
	if (pt && !pt->stub && parent_t && parent_t->n_part_keys)
		check = quote_truncate_name(c->a, object_name(c, quote_relname(part),
			parent_t->n_part_keys == 1 ? parent_t->part_keys[0] : NULL, "check"));
	bool taken = false;
	for (size_t i = 0; check && i < pt->n_constraints; i++)
		if (pt->constraints[i].name && !strcmp(pt->constraints[i].name, check))
			taken = true;
	if (check && !taken) {
		sql_step(c, PLAN_CONTRACT, PLAN_TXN_OWN,
			 fmt(c, "ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s", qt(c, part), q(c, check)),
			 fmt(c, "drop the CHECK \"%s\" that DETACH ... CONCURRENTLY copied from the old "
			     "bound, which the plain DETACH does not add", check));
	} else {
		struct plan_step *last = c->p->steps[c->p->n_steps - 1];
		note(c, last, fmt(c, "DETACH ... CONCURRENTLY leaves a CHECK copying the old bound on "
				  "\"%s\"; the plain DETACH does not: drop it if it is not wanted", part));
	}
}

/* ---------------------------------------------------------------------
 * Subcommands with no online form
 * ------------------------------------------------------------------- */

static void rewrite_cmd(struct ctx *c, const PgQuery__AlterTableStmt *as, const char *table,
			const PgQuery__AlterTableCmd *cmd)
{
	const char *what = "rewrites the table";
	const char *needs = "a maintenance window";
	switch (cmd->subtype) {
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetTableSpace:
		what = "SET TABLESPACE copies the whole table and its files";
		needs = "pg_repack --tablespace, or a maintenance window";
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetLogged:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetUnLogged:
		what = "SET LOGGED / UNLOGGED rewrites the whole table";
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetAccessMethod:
		what = "SET ACCESS METHOD rewrites the whole table";
		break;
	default:
		break;
	}
	not_online(c, alter_one(c, as, cmd), fmt(c, "%s of \"%s\"", what, table),
		   fmt(c, "%s under ACCESS EXCLUSIVE, which blocks reads and writes; PostgreSQL has no "
		       "online form", what), needs);
}

static void exclusion(struct ctx *c, const PgQuery__AlterTableStmt *as, const char *table,
		      const PgQuery__AlterTableCmd *cmd)
{
	not_online(c, alter_one(c, as, cmd), fmt(c, "add an EXCLUDE constraint to \"%s\"", table),
		   "an EXCLUDE constraint builds its index while holding ACCESS EXCLUSIVE, which blocks "
		   "reads and writes; PostgreSQL can neither build it CONCURRENTLY nor make it from an "
		   "existing index", "a maintenance window");
}

/* ---------------------------------------------------------------------
 * ALTER TABLE dispatcher
 * ------------------------------------------------------------------- */

static void change_column_type(struct ctx *c, const PgQuery__AlterTableStmt *as, const char *table,
			       const PgQuery__AlterTableCmd *cmd);

static void plan_cmd(struct ctx *c, const PgQuery__AlterTableStmt *as, const char *table,
		     const PgQuery__AlterTableCmd *cmd)
{
	switch (cmd->subtype) {
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumnRecurse:
		add_column(c, as, table, cmd);
		return;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
		set_not_null(c, table, cmd->name);
		return;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraintRecurse: {
		const PgQuery__Constraint *con = cmd->def->constraint;
		const struct sm_table *t = schema_table(c->s, table);
		if (con->contype == PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION) {
			exclusion(c, as, table, cmd);
			return;
		}
		if (t && t->relkind == 'p' && con->contype != PG_QUERY__CONSTR_TYPE__CONSTR_CHECK) {
			/*
			 * PostgreSQL 15 has no NOT VALID foreign key and no USING INDEX
			 * on a partitioned table: kept, and said so.
			 */
			struct plan_step *s = sql_step(c, PLAN_EXPAND, PLAN_TXN_OWN, alter_one(c, as, cmd),
				fmt(c, "add constraint \"%s\" to the partitioned table \"%s\"",
				    constraint_name(c, table, con, NULL), table));
			s->online = false;
			s->reason = "on a partitioned table PostgreSQL 15 cannot add a foreign key NOT VALID "
				    "nor a primary key or unique constraint USING INDEX: the constraint is "
				    "checked or built on every partition while writes are blocked";
			s->needs = "the constraint added to each partition online first, or a maintenance window";
			return;
		}
		table_constraint(c, as, table, con, NULL);
		return;
	}
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
		change_column_type(c, as, table, cmd);
		return;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
		drop_column(c, as, table, cmd);
		return;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetTableSpace:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetLogged:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetUnLogged:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetAccessMethod:
		rewrite_cmd(c, as, table, cmd);
		return;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition:
		attach_partition(c, as, table, cmd);
		return;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition:
		detach_partition(c, table, cmd);
		return;
	default:
		sql_step(c, PLAN_EXPAND, PLAN_TXN_OWN, alter_one(c, as, cmd),
			 fmt(c, "ALTER TABLE \"%s\" subcommand, unchanged", table));
		return;
	}
}

/* ALTER TABLE with the kept subcommands [from, to) of @as, checked. */
static const char *alter_some(struct ctx *c, const PgQuery__AlterTableStmt *as, size_t from, size_t to)
{
	PgQuery__AlterTableStmt *copy = copy_msg(c, as);
	if (!copy)
		return "";
	copy->cmds += from;
	copy->n_cmds = to - from;
	copy->relation = qualified_rv(c, as->relation);
	PgQuery__Node n;
	pg_query__node__init(&n);
	n.node_case = PG_QUERY__NODE__NODE_ALTER_TABLE_STMT;
	n.alter_table_stmt = copy;
	return need(c, deparse_alter(c, &n), "an ALTER TABLE statement");
}

static void alter_table(struct ctx *c, const PgQuery__AlterTableStmt *as)
{
	if (as->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE || !as->relation) {
		pass_through(c, NULL);
		return;
	}
	const char *table = rv_name(c, as->relation);
	bool any = false;
	for (size_t i = 0; i < as->n_cmds; i++)
		if (NODE(as->cmds[i], ALTER_TABLE_CMD) && cmd_needs_plan(c, table, as->cmds[i]->alter_table_cmd))
			any = true;
	if (!any) {
		pass_through(c, NULL);
		return;
	}
	/* kept subcommands stay together, in their order, around the replaced ones */
	size_t kept_from = 0;
	for (size_t i = 0; i <= as->n_cmds; i++) {
		bool replace = i < as->n_cmds && NODE(as->cmds[i], ALTER_TABLE_CMD) &&
			       cmd_needs_plan(c, table, as->cmds[i]->alter_table_cmd);
		if (i < as->n_cmds && !replace)
			continue;
		if (i > kept_from)
			sql_step(c, PLAN_EXPAND, PLAN_TXN_OWN, alter_some(c, as, kept_from, i),
				 fmt(c, "the other subcommands of the ALTER TABLE of \"%s\", unchanged", table));
		if (i < as->n_cmds)
			plan_cmd(c, as, table, as->cmds[i]->alter_table_cmd);
		kept_from = i + 1;
	}
}

/* ---------------------------------------------------------------------
 * RENAME and DROP
 * ------------------------------------------------------------------- */

/*
 * A renamed table stays reachable under its old name through a view
 * (simple views are updatable), until the application uses the new name.
 */
static void rename_table(struct ctx *c, const PgQuery__RenameStmt *rs)
{
	const char *old = rv_name(c, rs->relation);
	if (is_new(c, old) || !rs->newname) {
		pass_through(c, NULL);
		return;
	}
	const char *renamed = fmt(c, "%s.%s", quote_schemaname(c->a, old), rs->newname);
	int g = new_group(c);
	in_group(sql_step(c, PLAN_EXPAND, PLAN_TXN_OWN,
			  fmt(c, "ALTER TABLE %s%s RENAME TO %s", rs->missing_ok ? "IF EXISTS " : "",
			      qt(c, old), q(c, rs->newname)),
			  fmt(c, "rename \"%s\" to \"%s\"", old, rs->newname)), g);
	in_group(sql_step(c, PLAN_EXPAND, PLAN_TXN_OWN,
			  fmt(c, "CREATE VIEW %s AS SELECT * FROM %s", qt(c, old), qt(c, renamed)),
			  fmt(c, "keep the old name working for deployed code: a view \"%s\" of \"%s\" "
			      "(simple views accept INSERT, UPDATE and DELETE)", old, renamed)), g);
	checkpoint(c, PLAN_CONTRACT, fmt(c, "deploy application code that uses table \"%s\" instead of \"%s\"",
			  renamed, old));
	/* the view is new, but deployed code used it until the checkpoint */
	sql_step(c, PLAN_CONTRACT, PLAN_TXN_OWN, fmt(c, "DROP VIEW %s", qt(c, old)),
		 fmt(c, "drop the view \"%s\" that kept the old name", old))->in_use = true;
}

static void drop_stmt(struct ctx *c, const PgQuery__DropStmt *ds)
{
	if (ds->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX) {
		drop_index(c, ds);
		return;
	}
	if (ds->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
		const char *names = "";
		for (size_t i = 0; i < ds->n_objects; i++) {
			const PgQuery__Node *o = ds->objects[i];
			if (!NODE(o, LIST))
				continue;
			const char *qn = schema_qualify_list(c->s, c->a, o->list->items, o->list->n_items);
			if (qn && !is_new(c, qn))
				names = fmt(c, "%s%s\"%s\"", names, *names ? ", " : "", qn);
		}
		if (*names)
			checkpoint(c, PLAN_CONTRACT, fmt(c, "deploy application code that no longer uses %s", names));
	}
	pass_through(c, NULL);
}

/* ---------------------------------------------------------------------
 * Transactions and settings
 * ------------------------------------------------------------------- */

static void add_problem(struct ctx *c, const char *message)
{
	struct plan_problem pr = { c->origin->file, c->origin->line, message };
	if (ARENA_PUSH(c->a, c->p->problems, c->p->n_problems, c->p->cap_problems, pr))
		c->failed = true;
}

/* The steps of a block that ends in ROLLBACK never happen. */
static void roll_back(struct ctx *c)
{
	struct plan *p = c->p;
	size_t w = 0;
	for (size_t i = 0; i < p->n_steps; i++) {
		const struct plan_step *s = p->steps[i];
		bool gone = s->origin && s->origin->file_index == c->origin->file_index &&
			    s->orig_txn == c->as->txn.id && c->as->txn.kind == TXN_EXPLICIT;
		if (!gone)
			p->steps[w++] = p->steps[i];
	}
	p->n_steps = w;
}

static void transaction(struct ctx *c, const PgQuery__TransactionStmt *ts)
{
	switch (ts->kind) {
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
		roll_back(c);
		return;
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_TO:
		add_problem(c, "ROLLBACK TO SAVEPOINT is not followed: the plan keeps the statements it "
			       "undoes");
		return;
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_PREPARE:
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT_PREPARED:
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_PREPARED:
		add_problem(c, "two-phase commit statements are left out of the plan");
		return;
	default:
		/* BEGIN, COMMIT, SAVEPOINT, RELEASE: the plan has its own transactions */
		return;
	}
}

static bool is_timeout_setting(const char *name)
{
	return name && (!strcasecmp(name, "lock_timeout") || !strcasecmp(name, "statement_timeout"));
}

/* ---------------------------------------------------------------------
 * Data changes
 * ------------------------------------------------------------------- */

/*
 * An UPDATE or DELETE that reads a whole existing table holds its row
 * locks, and grows its WAL and dead rows, for the length of one
 * transaction: it runs in batches instead, each one committed. Only the
 * simple form is rewritten (no FROM / USING, RETURNING, WITH, or
 * multi-column assignment), and without a key a batch must settle its
 * rows, so an UPDATE with no WHERE needs a key.
 */
static void data_change(struct ctx *c, const PgQuery__RangeVar *rv, PgQuery__Node **targets,
			size_t n_targets, const PgQuery__Node *where, bool extra_clauses)
{
	const char *table = rv_name(c, rv);
	bool bulk = !is_new(c, table) && effects_scans(&c->as->fx, table) && rv->inh;
	const struct sm_table *t = schema_table(c->s, table);
	if (t && t->relkind != 'r')
		bulk = false;
	const char *first_col = NULL, *cols = NULL;
	for (size_t i = 0; i < n_targets; i++)
		if (NODE(targets[i], RES_TARGET) && targets[i]->res_target->name) {
			if (!first_col)
				first_col = arena_strdup(c->a, targets[i]->res_target->name);
			cols = fmt(c, "%s%s ", cols ? cols : " ", targets[i]->res_target->name);
		}
	if (!bulk) {
		struct plan_step *s = pass_through(c, NULL);
		s->backfill_table = cols ? table : NULL;
		s->backfill_columns = cols;
		return;
	}
	const char *why = NULL;
	if (extra_clauses)
		why = "it has FROM, USING, RETURNING or WITH";
	else if (!where && !batch_key(c, table) && targets)
		why = "it has no WHERE and no key of the table is known, so batches cannot tell done rows apart";
	const char *key = batch_key(c, table);
	for (size_t i = 0; key && targets && i < n_targets && !why; i++)
		if (NODE(targets[i], RES_TARGET) && targets[i]->res_target->name &&
		    !strcmp(targets[i]->res_target->name, key))
			why = "it changes the key batches would follow";
	const char *set = NULL;
	for (size_t i = 0; targets && i < n_targets && !why; i++) {
		const PgQuery__Node *tn = targets[i];
		if (!NODE(tn, RES_TARGET) || !tn->res_target->name || tn->res_target->n_indirection ||
		    NODE(tn->res_target->val, MULTI_ASSIGN_REF) || NODE(tn->res_target->val, SET_TO_DEFAULT)) {
			why = "it assigns several columns at once, array elements, fields or DEFAULT";
			break;
		}
		set = fmt(c, "%s%s%s = (%s)", set ? set : "", set ? ", " : "", q(c, tn->res_target->name),
			  expr_sql(c, tn->res_target->val));
	}
	if (why) {
		struct plan_step *s = pass_through(c, NULL);
		s->backfill_table = cols ? table : NULL;
		s->backfill_columns = cols;
		s->online = false;
		s->reason = fmt(c, "changes every matching row of \"%s\" in one transaction, and pgsafe "
				"cannot batch it: %s", table, why);
		s->needs = "the change written as batches by hand, or a quiet period";
		return;
	}
	const char *filter = where ? expr_sql(c, where) : "true";
	struct plan_step *s = backfill(c, table, first_col, targets ? set : NULL, filter,
		fmt(c, "%s the rows of \"%s\"%s in batches, each committed", targets ? "update" : "delete",
		    table, where ? " that match" : ""));
	s->backfill_columns = cols;
	note(c, s, "the batches are not one atomic change: other sessions see the rows change batch by batch");
}

/* ---------------------------------------------------------------------
 * What the catalog does not keep: defaults and index definitions
 * ------------------------------------------------------------------- */

static struct plan_coldef *coldef(struct plan *p, const char *table, const char *column, bool add)
{
	for (size_t i = 0; i < p->n_coldefs; i++)
		if (!strcmp(p->coldefs[i].table, table) && !strcmp(p->coldefs[i].column, column))
			return &p->coldefs[i];
	if (!add)
		return NULL;
	struct plan_coldef d = { arena_strdup(&p->arena, table), arena_strdup(&p->arena, column), NULL, false, NULL };
	if (!d.table || !d.column || ARENA_PUSH(&p->arena, p->coldefs, p->n_coldefs, p->cap_coldefs, d))
		return NULL;
	return &p->coldefs[p->n_coldefs - 1];
}

/* A column definition's default, as PostgreSQL would show it for serials. */
static void learn_column(struct ctx *c, const char *table, const PgQuery__ColumnDef *cd)
{
	struct plan_coldef *d = coldef(c->p, table, cd->colname, true);
	if (!d) {
		c->failed = true;
		return;
	}
	d->default_sql = NULL;
	d->owned_seq = NULL;
	const PgQuery__Constraint *defcon = column_constraint(cd, PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT);
	const PgQuery__Node *e = cd->raw_default ? cd->raw_default : defcon ? defcon->raw_expr : NULL;
	const char *tn = cd->type_name && cd->type_name->n_names ?
		node_string(cd->type_name->names[cd->type_name->n_names - 1]) : NULL;
	d->literal = false;
	if (e && !node_is_null_const(e)) {
		d->default_sql = deparse_expr(c->a, e);
		d->literal = NODE(e, A_CONST);
		if (!d->default_sql)
			d->default_sql = "?";
	} else if (type_is_serial(tn)) {
		/* serial: a sequence named as PostgreSQL names it (ChooseRelationName), owned by the column */
		const char *seq = quote_truncate_name(c->a, object_name(c, quote_relname(table), cd->colname, "seq"));
		const char *qseq = fmt(c, "%s.%s", quote_schemaname(c->a, table), seq);
		d->owned_seq = qseq;
		d->default_sql = fmt(c, "nextval(%s::regclass)", lit(c, qt(c, qseq)));
	}
}

static void forget_table(struct plan *p, const char *table)
{
	size_t w = 0;
	for (size_t i = 0; i < p->n_coldefs; i++)
		if (strcmp(p->coldefs[i].table, table))
			p->coldefs[w++] = p->coldefs[i];
	p->n_coldefs = w;
	w = 0;
	for (size_t i = 0; i < p->n_indexdefs; i++)
		if (strcmp(p->indexdefs[i].table, table))
			p->indexdefs[w++] = p->indexdefs[i];
	p->n_indexdefs = w;
}

static struct plan_indexdef *indexdef(struct plan *p, const char *name)
{
	for (size_t i = 0; i < p->n_indexdefs; i++)
		if (!strcmp(p->indexdefs[i].name, name))
			return &p->indexdefs[i];
	return NULL;
}

static void learn_index(struct ctx *c, const PgQuery__IndexStmt *is)
{
	const char *table = rv_name(c, is->relation);
	const char *cols = index_name_columns(c, is->index_params, is->n_index_params,
					       is->index_including_params, is->n_index_including_params);
	const char *name = is->idxname && *is->idxname ? is->idxname :
		quote_truncate_name(c->a, object_name(c, quote_relname(table), cols, "idx"));
	const char *qn = index_qname(c, table, name);
	if (is->if_not_exists && indexdef(c->p, qn))
		return;
	struct plan_indexdef d = { qn, arena_strdup(c->a, name), table, copy_msg(c, is) };
	if (!d.stmt || ARENA_PUSH(c->a, c->p->indexdefs, c->p->n_indexdefs, c->p->cap_indexdefs, d))
		c->failed = true;
	/*
	 * XXX the catalog names an unnamed index after its first column only
	 * (schema.c apply_index), where PostgreSQL joins them all: the index is
	 * found under either name.
	 */
	if (!(is->idxname && *is->idxname)) {
		const char *first = is->n_index_params && NODE(is->index_params[0], INDEX_ELEM) &&
			is->index_params[0]->index_elem->name ? is->index_params[0]->index_elem->name : "expr";
		struct plan_indexdef alias = d;
		alias.name = fmt(c, "%s.%s_%s_idx", quote_schemaname(c->a, table), quote_relname(table), first);
		if (strcmp(alias.name, qn) &&
		    ARENA_PUSH(c->a, c->p->indexdefs, c->p->n_indexdefs, c->p->cap_indexdefs, alias))
			c->failed = true;
	}
}

/* Keeps the definitions current with one statement (called before the catalog replays it). */
static void learn(struct ctx *c, const PgQuery__Node *n)
{
	struct plan *p = c->p;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_CREATE_STMT: {
		const char *table = rv_name(c, n->create_stmt->relation);
		forget_table(p, table);
		for (size_t i = 0; i < n->create_stmt->n_table_elts; i++)
			if (NODE(n->create_stmt->table_elts[i], COLUMN_DEF))
				learn_column(c, table, n->create_stmt->table_elts[i]->column_def);
		break;
	}
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		learn_index(c, n->index_stmt);
		break;
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT: {
		const PgQuery__AlterTableStmt *as = n->alter_table_stmt;
		if (!as->relation)
			break;
		const char *table = rv_name(c, as->relation);
		for (size_t i = 0; i < as->n_cmds; i++) {
			if (!NODE(as->cmds[i], ALTER_TABLE_CMD))
				continue;
			const PgQuery__AlterTableCmd *cmd = as->cmds[i]->alter_table_cmd;
			struct plan_coldef *d = cmd->name ? coldef(p, table, cmd->name, false) : NULL;
			switch (cmd->subtype) {
			case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
			case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumnRecurse:
				if (NODE(cmd->def, COLUMN_DEF))
					learn_column(c, table, cmd->def->column_def);
				break;
			case PG_QUERY__ALTER_TABLE_TYPE__AT_ColumnDefault:
				if (!cmd->name)
					break;
				d = coldef(p, table, cmd->name, true);
				if (d) {
					d->default_sql = cmd->def ? deparse_expr(c->a, cmd->def) : NULL;
					d->literal = NODE(cmd->def, A_CONST);
					if (cmd->def && !d->default_sql)
						d->default_sql = "?";
				}
				break;
			case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
				if (d)
					d->table = "";
				break;
			default:
				break;
			}
		}
		break;
	}
	case PG_QUERY__NODE__NODE_RENAME_STMT: {
		const PgQuery__RenameStmt *rs = n->rename_stmt;
		if (!rs->relation || !rs->newname)
			break;
		const char *table = rv_name(c, rs->relation);
		if (rs->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN && rs->subname) {
			struct plan_coldef *d = coldef(p, table, rs->subname, false);
			if (d)
				d->column = arena_strdup(c->a, rs->newname);
		} else if (rs->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
			const char *to = fmt(c, "%s.%s", quote_schemaname(c->a, table), rs->newname);
			for (size_t i = 0; i < p->n_coldefs; i++)
				if (!strcmp(p->coldefs[i].table, table))
					p->coldefs[i].table = to;
			for (size_t i = 0; i < p->n_indexdefs; i++)
				if (!strcmp(p->indexdefs[i].table, table))
					p->indexdefs[i].table = to;
		} else if (rs->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX) {
			struct plan_indexdef *d = indexdef(p, table);
			if (d) {
				d->name = fmt(c, "%s.%s", quote_schemaname(c->a, table), rs->newname);
				d->real_name = arena_strdup(c->a, rs->newname);
			}
		}
		break;
	}
	case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
	case PG_QUERY__NODE__NODE_ALTER_SEQ_STMT: {
		/* OWNED BY table.column: the sequence goes with the column (pg_dump writes this) */
		bool create = NODE(n, CREATE_SEQ_STMT);
		const PgQuery__RangeVar *seq = create ? n->create_seq_stmt->sequence : n->alter_seq_stmt->sequence;
		PgQuery__Node **opts = create ? n->create_seq_stmt->options : n->alter_seq_stmt->options;
		size_t n_opts = create ? n->create_seq_stmt->n_options : n->alter_seq_stmt->n_options;
		for (size_t i = 0; seq && i < n_opts; i++) {
			if (!NODE(opts[i], DEF_ELEM) || !opts[i]->def_elem->defname ||
			    strcmp(opts[i]->def_elem->defname, "owned_by") || !NODE(opts[i]->def_elem->arg, LIST))
				continue;
			const PgQuery__List *l = opts[i]->def_elem->arg->list;
			if (l->n_items < 2)
				continue;
			const char *col = node_string(l->items[l->n_items - 1]);
			const char *table = schema_qualify_list(c->s, c->a, l->items, l->n_items - 1);
			struct plan_coldef *d = col && table ? coldef(p, table, col, true) : NULL;
			if (d)
				d->owned_seq = rv_name(c, seq);
		}
		break;
	}
	case PG_QUERY__NODE__NODE_DROP_STMT: {
		const PgQuery__DropStmt *ds = n->drop_stmt;
		for (size_t i = 0; i < ds->n_objects; i++) {
			const PgQuery__Node *o = ds->objects[i];
			if (!NODE(o, LIST))
				continue;
			const char *qn = schema_qualify_list(c->s, c->a, o->list->items, o->list->n_items);
			if (!qn)
				continue;
			if (ds->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
				forget_table(p, qn);
			else if (ds->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX) {
				struct plan_indexdef *d = indexdef(p, qn);
				if (d)
					d->name = "";
			}
		}
		break;
	}
	default:
		break;
	}
}

/* ---------------------------------------------------------------------
 * Expand/contract of a column: type changes and renames
 * ------------------------------------------------------------------- */

/* A catalog type as SQL: a domain by its name, else [schema.]name[(mods)][[]]. */
static const char *type_sql(struct ctx *c, const struct sm_column *col)
{
	if (col->domain)
		return qt(c, col->domain);
	const struct sm_type *t = &col->type;
	if (!t->name || !strcmp(t->name, "unknown") || t->n_typmods < 0)
		return NULL;
	const char *s = t->schema ? fmt(c, "%s.%s", q(c, t->schema), q(c, t->name)) : q(c, t->name);
	if (t->n_typmods == 1)
		s = fmt(c, "%s(%d)", s, (int)t->typmods[0]);
	else if (t->n_typmods == 2)
		s = fmt(c, "%s(%d,%d)", s, (int)t->typmods[0], (int)t->typmods[1]);
	for (int i = 0; i < t->array_dims; i++)
		s = fmt(c, "%s[]", s);
	return s;
}

/* Renames column references @from to @to (one-part names only); false if a qualified one names it. */
struct colref_rename {
	const char *from, *to;
	const char *prefix;   /* "new": writes NEW.col for every column */
	struct ctx *c;
	bool bad;
};

static bool colref_rename_visit(const PgQuery__Node *n, void *p)
{
	struct colref_rename *r = p;
	if (NODE(n, COLUMN_REF)) {
		PgQuery__ColumnRef *cr = n->column_ref;
		if (cr->n_fields != 1 || !NODE(cr->fields[0], STRING)) {
			r->bad = true;
			return false;
		}
		const char *name = cr->fields[0]->string->sval;
		if (r->from && !strcmp(name, r->from))
			cr->fields[0]->string->sval = (char *)r->to;
		if (r->prefix) {
			PgQuery__Node **f = arena_alloc(r->c->a, 2 * sizeof(*f));
			if (!f) {
				r->bad = true;
				return false;
			}
			f[0] = string_node(r->c, r->prefix);
			f[1] = cr->fields[0];
			cr->fields = f;
			cr->n_fields = 2;
		}
		return false;
	}
	return true;
}

/* Why a column cannot go through expand/contract here, or NULL. */
static const char *shadow_blocker(struct ctx *c, const char *table, const char *column,
				  const struct sm_table **tp, const struct sm_column **colp)
{
	const struct sm_table *t = schema_table(c->s, table);
	const struct sm_column *col = schema_column(t, column);
	*tp = t;
	*colp = col;
	if (!t || t->stub || !col)
		return fmt(c, "pgsafe does not know the definition of column \"%s\" of \"%s\" (give the "
			   "schema with --context or --schema)", column, table);
	if (t->relkind != 'r' || t->parent)
		return "the table is partitioned or a partition";
	if (col->identity || col->generated)
		return "the column is an identity or generated column";
	for (size_t i = 0; i < t->n_constraints; i++) {
		const struct sm_constraint *con = &t->constraints[i];
		const char *w = fmt(c, " %s ", column);
		bool uses = con->check_columns && strstr(con->check_columns, w);
		for (size_t k = 0; k < con->n_columns; k++)
			if (!strcmp(con->columns[k], column))
				uses = true;
		if (uses && !(con->kind == SM_CON_CHECK && con->not_null_column))
			return fmt(c, "constraint \"%s\" uses the column", con->name ? con->name : "?");
	}
	for (size_t k = 0; k < c->s->n_tables; k++) {
		const struct sm_table *o = c->s->tables[k];
		for (size_t i = 0; i < o->n_constraints; i++)
			if (o->constraints[i].kind == SM_CON_FOREIGN && o->constraints[i].ref_table &&
			    !strcmp(o->constraints[i].ref_table, table))
				return fmt(c, "foreign key \"%s\" of \"%s\" references the table",
					   o->constraints[i].name ? o->constraints[i].name : "?", o->name);
		for (size_t i = 0; i < o->n_depends; i++)
			if (!strcmp(o->depends[i], table))
				return fmt(c, "view \"%s\" reads the table", o->name);
	}
	for (size_t i = 0; i < c->s->n_indexes; i++) {
		const struct sm_index *ix = &c->s->indexes[i];
		if (strcmp(ix->table, table))
			continue;
		bool uses = ix->has_expressions;
		for (size_t k = 0; k < ix->n_columns; k++)
			if (!strcmp(ix->columns[k], column))
				uses = true;
		if (uses && !indexdef(c->p, ix->name))
			return fmt(c, "pgsafe does not know the definition of index \"%s\"", ix->name);
	}
	if (col->has_default) {
		const struct plan_coldef *d = coldef(c->p, table, column, false);
		if (!d || !d->default_sql || !strcmp(d->default_sql, "?"))
			return "pgsafe does not know the column's default";
	}
	return NULL;
}

/* The indexes of @table that use @column, rebuilt CONCURRENTLY on @shadow under temporary names. */
static size_t shadow_indexes(struct ctx *c, const char *table, const char *column, const char *shadow,
			     const char **names, const char **temps, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < c->s->n_indexes && n < max; i++) {
		const struct sm_index *ix = &c->s->indexes[i];
		if (strcmp(ix->table, table))
			continue;
		const struct plan_indexdef *d = indexdef(c->p, ix->name);
		if (!d)
			continue;
		bool uses = false;
		for (size_t k = 0; k < ix->n_columns; k++)
			if (!strcmp(ix->columns[k], column))
				uses = true;
		PgQuery__IndexStmt *copy = copy_msg(c, d->stmt);
		if (!copy)
			return n;
		struct colref_rename r = { column, shadow, NULL, c, false };
		for (size_t k = 0; k < copy->n_index_params; k++) {
			const PgQuery__Node *pn = copy->index_params[k];
			if (NODE(pn, INDEX_ELEM) && pn->index_elem->name && !strcmp(pn->index_elem->name, column)) {
				pn->index_elem->name = (char *)shadow;
				uses = true;
			} else if (NODE(pn, INDEX_ELEM) && pn->index_elem->expr) {
				WALK_NODE(pn->index_elem->expr, colref_rename_visit, &r);
			}
		}
		for (size_t k = 0; k < copy->n_index_including_params; k++) {
			const PgQuery__Node *pn = copy->index_including_params[k];
			if (NODE(pn, INDEX_ELEM) && pn->index_elem->name && !strcmp(pn->index_elem->name, column)) {
				pn->index_elem->name = (char *)shadow;
				uses = true;
			}
		}
		if (copy->where_clause)
			WALK_NODE(copy->where_clause, colref_rename_visit, &r);
		if (!uses && !ix->has_expressions)
			continue;
		const char *base = d->real_name;
		const char *temp = quote_truncate_name(c->a, fmt(c, "%s_pgsafe", base));
		copy->if_not_exists = false;
		guard_invalid_index(c, index_qname(c, table, temp), PLAN_EXPAND);
		sql_step(c, PLAN_EXPAND, PLAN_TXN_NONE, create_index_sql(c, copy, table, temp, false, true),
			 fmt(c, "build \"%s\", a copy of index \"%s\" on \"%s\", without blocking writes "
			     "(CONCURRENTLY)", temp, base, shadow));
		names[n] = base;
		temps[n] = temp;
		n++;
	}
	return n;
}

/*
 * The shared part of a type change and a rename: a shadow column @shadow of
 * @type, a trigger keeping it in step with @column (@sync_body), and a
 * batched backfill with @value, then NOT NULL when @column has it.
 */
static int shadow_expand(struct ctx *c, const char *table, const char *column, const char *shadow,
			 const char *type, const char *value, const char *sync_body, const char **fn,
			 const char **trg)
{
	const char *t = qt(c, table);
	const char *rel = quote_relname(table);
	*fn = fmt(c, "%s.%s", quote_schemaname(c->a, table),
		  quote_truncate_name(c->a, object_name(c, rel, column, "pgsafe_sync")));
	*trg = quote_truncate_name(c->a, object_name(c, rel, column, "pgsafe_sync"));
	int g = new_group(c);
	in_group(sql_step(c, PLAN_EXPAND, PLAN_TXN_OWN,
			  fmt(c, "ALTER TABLE %s ADD COLUMN %s %s", t, q(c, shadow), type),
			  fmt(c, "add the column \"%s\" (%s) beside \"%s\": nullable, no default, no rewrite",
			      shadow, type, column)), g);
	const char *dq = dollar_quote(c->a, sync_body);
	in_group(sql_step(c, PLAN_EXPAND, PLAN_TXN_OWN,
			  fmt(c, "CREATE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS %s", qt(c, *fn),
			      dq ? dq : need(c, NULL, "a trigger function")),
			  fmt(c, "the trigger function that keeps \"%s\" in step with \"%s\"", shadow, column)), g);
	in_group(sql_step(c, PLAN_EXPAND, PLAN_TXN_OWN,
			  fmt(c, "CREATE TRIGGER %s BEFORE INSERT OR UPDATE ON %s FOR EACH ROW EXECUTE "
			      "FUNCTION %s()", q(c, *trg), t, qt(c, *fn)),
			  fmt(c, "from now on every write of a row sets \"%s\" too", shadow)), g);
	backfill(c, table, shadow, fmt(c, "%s = (%s)", q(c, shadow), value),
		 fmt(c, "%s IS NULL AND %s IS NOT NULL", q(c, shadow), q(c, column)),
		 fmt(c, "fill \"%s\" from \"%s\" for the rows written before the trigger, in batches",
		     shadow, column));
	return 0;
}

static void shadow_unavailable(struct ctx *c, const char *sql, const char *what, const char *why)
{
	not_online(c, sql, what,
		   fmt(c, "%s takes ACCESS EXCLUSIVE and rewrites or breaks what deployed code reads, and "
		       "pgsafe cannot plan the expand/contract here: %s", what, why),
		   "an expand/contract written by hand, or a maintenance window");
}

/*
 * ALTER COLUMN TYPE that rewrites: a shadow column of the new type kept in
 * step by a trigger and backfilled, its indexes rebuilt CONCURRENTLY, then,
 * after a checkpoint, the names swapped in one brief transaction; the old
 * column is dropped after a second checkpoint.
 */
static void change_column_type(struct ctx *c, const PgQuery__AlterTableStmt *as, const char *table,
			       const PgQuery__AlterTableCmd *cmd)
{
	const char *column = cmd->name;
	const char *what = fmt(c, "changing the type of column \"%s\" of \"%s\"", column, table);
	const PgQuery__ColumnDef *cd = NODE(cmd->def, COLUMN_DEF) ? cmd->def->column_def : NULL;
	const struct sm_table *t;
	const struct sm_column *col;
	const char *why = shadow_blocker(c, table, column, &t, &col);
	const char *type = cd ? deparse_type(c->a, cd->type_name) : NULL;
	if (!why && !type)
		why = "the new type cannot be written back as SQL safely";
	if (!why && cd && cd->coll_clause)
		why = "the change sets a collation";
	/* the new value: USING, else the column itself, converted as an assignment converts */
	const char *value = q(c, column), *row_value = fmt(c, "NEW.%s", q(c, column));
	if (!why && cd && cd->raw_default) {
		PgQuery__Node *e = copy_msg(c, cd->raw_default);
		PgQuery__Node *e2 = copy_msg(c, cd->raw_default);
		struct colref_rename r1 = { NULL, NULL, NULL, c, false }, r2 = { NULL, NULL, "new", c, false };
		if (e && e2) {
			WALK_NODE(e, colref_rename_visit, &r1);
			WALK_NODE(e2, colref_rename_visit, &r2);
		}
		value = e ? deparse_expr(c->a, e) : NULL;
		row_value = e2 ? deparse_expr(c->a, e2) : NULL;
		if (r1.bad || r2.bad || !value || !row_value)
			why = "its USING expression names columns in a way pgsafe cannot rewrite";
	}
	if (why) {
		shadow_unavailable(c, alter_one(c, as, cmd), what, why);
		return;
	}
	const char *shadow = quote_truncate_name(c->a, fmt(c, "%s_pgsafe_new", column));
	const char *old = quote_truncate_name(c->a, fmt(c, "%s_pgsafe_old", column));
	const char *fn, *trg;
	const char *body = fmt(c, "\nBEGIN\n    NEW.%s := %s;\n    RETURN NEW;\nEND\n", q(c, shadow), row_value);
	shadow_expand(c, table, column, shadow, type, value, body, &fn, &trg);
	if (col->not_null)
		not_null_tail(c, table, shadow, false);
	const char *names[32], *temps[32];
	size_t n_ix = shadow_indexes(c, table, column, shadow, names, temps, 32);
	checkpoint(c, PLAN_CONTRACT, fmt(c, "deploy application code that works with column \"%s\" of \"%s\" as %s",
			  column, table, type));
	/* the swap: brief, in one transaction */
	const char *tq = qt(c, table);
	int g = new_group(c);
	const struct plan_coldef *d = coldef(c->p, table, column, false);
	in_group(sql_step(c, PLAN_CONTRACT, PLAN_TXN_OWN, fmt(c, "DROP TRIGGER %s ON %s", q(c, trg), tq),
			  fmt(c, "stop the trigger that filled \"%s\"", shadow)), g);
	in_group(sql_step(c, PLAN_CONTRACT, PLAN_TXN_OWN, fmt(c, "DROP FUNCTION %s()", qt(c, fn)),
			  "drop its function"), g);
	in_group(sql_step(c, PLAN_CONTRACT, PLAN_TXN_OWN,
			  fmt(c, "ALTER TABLE %s RENAME COLUMN %s TO %s", tq, q(c, column), q(c, old)),
			  fmt(c, "keep the old column as \"%s\"", old)), g);
	in_group(sql_step(c, PLAN_CONTRACT, PLAN_TXN_OWN,
			  fmt(c, "ALTER TABLE %s RENAME COLUMN %s TO %s", tq, q(c, shadow), q(c, column)),
			  fmt(c, "the new column takes the name \"%s\"", column)), g);
	if (d && d->default_sql) {
		/*
		 * ALTER TYPE keeps the default as it was stored for the old type,
		 * coerced to the new one (tablecmds.c ATExecAlterColumnType): a bare
		 * constant was typed by the old column, so it is written with that type.
		 */
		const char *old_type = d->literal ? type_sql(c, col) : NULL;
		const char *dflt = old_type ? fmt(c, "%s::%s", d->default_sql, old_type) : d->default_sql;
		in_group(sql_step(c, PLAN_CONTRACT, PLAN_TXN_OWN,
				  fmt(c, "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT", tq, q(c, old)),
				  fmt(c, "the old column no longer needs its default")), g);
		in_group(sql_step(c, PLAN_CONTRACT, PLAN_TXN_OWN,
				  fmt(c, "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s", tq, q(c, column), dflt),
				  fmt(c, "the default of \"%s\", on the new column", column)), g);
		if (d->owned_seq)
			in_group(sql_step(c, PLAN_CONTRACT, PLAN_TXN_OWN,
					  fmt(c, "ALTER SEQUENCE %s OWNED BY %s.%s", qt(c, d->owned_seq), tq,
					      q(c, column)),
					  fmt(c, "the sequence \"%s\" now belongs to the new column", d->owned_seq)), g);
	}
	if (col->not_null)
		in_group(sql_step(c, PLAN_CONTRACT, PLAN_TXN_OWN,
				  fmt(c, "ALTER TABLE %s ALTER COLUMN %s DROP NOT NULL", tq, q(c, old)),
				  fmt(c, "nothing writes \"%s\" any more", old)), g);
	checkpoint(c, PLAN_CONTRACT, fmt(c, "check that the application works with the new \"%s\": the old values "
			  "stay in \"%s\" until the next step drops it", column, old));
	sql_step(c, PLAN_CONTRACT, PLAN_TXN_OWN,
		 fmt(c, "ALTER TABLE %s DROP COLUMN %s", tq, q(c, old)),
		 fmt(c, "drop the old column \"%s\" and its indexes", old));
	for (size_t i = 0; i < n_ix; i++)
		sql_step(c, PLAN_CONTRACT, PLAN_TXN_OWN,
			 fmt(c, "ALTER INDEX %s RENAME TO %s", qt(c, index_qname(c, table, temps[i])),
			     q(c, names[i])),
			 fmt(c, "the rebuilt index takes the name \"%s\" back", names[i]));
}

/*
 * RENAME COLUMN breaks every deployed query naming the column: a column
 * with the new name is added and kept equal to the old one in both
 * directions by a trigger, filled, indexed; after the application moves
 * to the new name (a checkpoint), the old column goes.
 */
static void rename_column(struct ctx *c, const PgQuery__RenameStmt *rs)
{
	const char *table = rv_name(c, rs->relation);
	const char *column = rs->subname, *to = rs->newname;
	if (is_new(c, table) || !column || !to ||
	    (rs->relation_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE &&
	     rs->relation_type != PG_QUERY__OBJECT_TYPE__OBJECT_ACCESS_METHOD)) {
		pass_through(c, NULL);
		return;
	}
	const char *what = fmt(c, "renaming column \"%s\" of \"%s\" to \"%s\"", column, table, to);
	const struct sm_table *t;
	const struct sm_column *col;
	const char *why = shadow_blocker(c, table, column, &t, &col);
	const char *type = !why ? type_sql(c, col) : NULL;
	if (!why && !type)
		why = "pgsafe does not know the column's type well enough to write it";
	if (why) {
		shadow_unavailable(c, stmt_text(c), what, why);
		return;
	}
	const char *o = q(c, column), *nw = q(c, to);
	const char *body = fmt(c,
		"\nBEGIN\n"
		"    IF TG_OP = 'INSERT' THEN\n"
		"        IF NEW.%s IS NULL THEN\n"
		"            NEW.%s := NEW.%s;\n"
		"        ELSE\n"
		"            NEW.%s := NEW.%s;\n"
		"        END IF;\n"
		"    ELSIF NEW.%s IS DISTINCT FROM OLD.%s THEN\n"
		"        NEW.%s := NEW.%s;\n"
		"    ELSIF NEW.%s IS DISTINCT FROM OLD.%s THEN\n"
		"        NEW.%s := NEW.%s;\n"
		"    END IF;\n"
		"    RETURN NEW;\n"
		"END\n", nw, nw, o, o, nw, o, o, nw, o, nw, nw, o, nw);
	const char *fn, *trg;
	shadow_expand(c, table, column, to, type, o, body, &fn, &trg);
	if (col->not_null)
		not_null_tail(c, table, to, false);
	const char *names[32], *temps[32];
	size_t n_ix = shadow_indexes(c, table, column, to, names, temps, 32);
	checkpoint(c, PLAN_CONTRACT, fmt(c, "deploy application code that reads and writes column \"%s\" of \"%s\" "
			  "instead of \"%s\"", to, table, column));
	const char *tq = qt(c, table);
	const struct plan_coldef *d = coldef(c->p, table, column, false);
	int g = new_group(c);
	in_group(sql_step(c, PLAN_CONTRACT, PLAN_TXN_OWN, fmt(c, "DROP TRIGGER %s ON %s", q(c, trg), tq),
			  fmt(c, "stop the trigger that kept \"%s\" and \"%s\" equal", column, to)), g);
	in_group(sql_step(c, PLAN_CONTRACT, PLAN_TXN_OWN, fmt(c, "DROP FUNCTION %s()", qt(c, fn)),
			  "drop its function"), g);
	if (d && d->default_sql) {
		in_group(sql_step(c, PLAN_CONTRACT, PLAN_TXN_OWN,
				  fmt(c, "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s", tq, nw, d->default_sql),
				  fmt(c, "the default of \"%s\", on \"%s\"", column, to)), g);
		if (d->owned_seq)
			in_group(sql_step(c, PLAN_CONTRACT, PLAN_TXN_OWN,
					  fmt(c, "ALTER SEQUENCE %s OWNED BY %s.%s", qt(c, d->owned_seq), tq, nw),
					  fmt(c, "the sequence \"%s\" now belongs to \"%s\"", d->owned_seq, to)), g);
	}
	in_group(sql_step(c, PLAN_CONTRACT, PLAN_TXN_OWN, fmt(c, "ALTER TABLE %s DROP COLUMN %s", tq, o),
			  fmt(c, "drop the old column \"%s\" and its indexes", column)), g);
	for (size_t i = 0; i < n_ix; i++)
		sql_step(c, PLAN_CONTRACT, PLAN_TXN_OWN,
			 fmt(c, "ALTER INDEX %s RENAME TO %s", qt(c, index_qname(c, table, temps[i])),
			     q(c, names[i])),
			 fmt(c, "the rebuilt index takes the name \"%s\" back", names[i]));
}

/* ---------------------------------------------------------------------
 * Entry points
 * ------------------------------------------------------------------- */

static const char *copy_input(struct plan *p, const char *path)
{
	for (size_t i = 0; i < p->n_inputs; i++)
		if (!strcmp(p->inputs[i], path))
			return p->inputs[i];
	const char *s = arena_strdup(&p->arena, path);
	if (!s || ARENA_PUSH(&p->arena, p->inputs, p->n_inputs, p->cap_inputs, s))
		return NULL;
	return s;
}

int plan_learn_file(struct plan *p, const struct schema *s, const char *path, size_t max_bytes)
{
	struct arena scratch;
	struct source src;
	struct source_error err;
	struct parsed_file pf;
	arena_init(&scratch);
	int rc = source_read(&src, &scratch, path, path, max_bytes, &err);
	if (rc == PGS_ERR_IO || rc == PGS_ERR_INPUT)
		rc = PGS_OK;   /* reported by whoever seeds the catalog from it */
	else if (!rc)
		rc = parse_source(&src, &scratch, &pf);
	else
		pf.n = 0;
	static const struct plan_origin none = { "", 0, "", -1 };
	static const struct analyzed_stmt nothing;
	for (size_t i = 0; !rc && i < pf.n; i++) {
		if (pf.stmts[i].status != STMT_PARSED)
			continue;
		struct ctx c = { .p = p, .a = &p->arena, .s = s, .as = &nothing, .origin = &none,
				 .pg = p->settings.pg_version };
		learn(&c, pf.stmts[i].node);
	}
	arena_release(&scratch);
	return rc ? rc : p->arena.failed ? PGS_ERR_NOMEM : PGS_OK;
}

/*
 * A statement inside the user's DO block: the block passes through as one
 * step (plan_on_stmt), so its statements only tell whether that step is
 * online, and teach the definitions.
 */
static void inside_do(struct ctx *c)
{
	struct plan *p = c->p;
	/* the DO's own statement and the one its statements point at are copies: match spans */
	const struct stmt *blk = c->as->do_block;
	if (p->do_step && blk && blk->start == p->do_start && blk->end == p->do_end &&
	    p->do_step->origin && p->do_step->origin->file_index == c->ev->file_index &&
	    p->do_step->online) {
		const char *needs = NULL;
		const char *why = hazard(c, &c->as->fx, &needs);
		if (why) {
			p->do_step->online = false;
			p->do_step->reason = fmt(c, "a statement of the DO block %s", why);
			p->do_step->needs = needs;
			p->do_step->groupable = false;
		}
	}
	if (c->as->st->status == STMT_PARSED)
		learn(c, c->as->st->node);
}

int plan_on_stmt(void *arg, const struct lint_run *r, const struct lint_stmt_event *ev)
{
	struct plan *p = arg;
	const struct analyzed_stmt *as = ev->stmt;
	const struct stmt *st = as->st;
	/* a down migration is not part of what runs */
	if (ev->down)
		return PGS_OK;
	if (ev->context || as->do_block) {
		/* context files and the insides of DO blocks are not planned, only learned from */
		static const struct plan_origin none = { "", 0, "", -1 };
		struct ctx c = {
			.p = p, .a = &p->arena, .r = r, .ev = ev, .s = ev->schema, .as = as,
			.origin = &none, .pg = p->settings.pg_version, .first = p->n_steps,
		};
		if (as->do_block)
			inside_do(&c);
		else if (st->status == STMT_PARSED)
			learn(&c, st->node);
		return p->arena.failed ? PGS_ERR_NOMEM : PGS_OK;
	}
	struct plan_origin *o = arena_alloc(&p->arena, sizeof(*o));
	if (!o)
		return PGS_ERR_NOMEM;
	struct source_pos pos;
	source_position(ev->src, st->start, &pos);
	o->file = copy_input(p, ev->src->path);
	o->line = pos.line;
	o->statement = arena_strndup(&p->arena, ev->src->text + st->start, st->end - st->start);
	o->file_index = ev->file_index;
	if (!o->file || !o->statement)
		return PGS_ERR_NOMEM;

	struct ctx c = {
		.p = p, .a = &p->arena, .r = r, .ev = ev, .s = ev->schema, .as = as,
		.origin = o, .pg = p->settings.pg_version, .first = p->n_steps,
	};
	p->statements++;
	if (st->status == STMT_META) {
		add_problem(&c, "psql meta-command left out of the plan");
		return p->arena.failed ? PGS_ERR_NOMEM : PGS_OK;
	}
	if (st->status != STMT_PARSED) {
		add_problem(&c, arena_printf(&p->arena, "statement not planned: %s",
					     st->newer_feature ? "syntax newer than PostgreSQL 15" :
					     "syntax error"));
		return p->arena.failed ? PGS_ERR_NOMEM : PGS_OK;
	}
	const PgQuery__Node *n = st->node;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
		transaction(&c, n->transaction_stmt);
		break;
	case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT:
		/* the plan sets its own timeouts, per step */
		if (!is_timeout_setting(n->variable_set_stmt->name))
			pass_through(&c, NULL);
		break;
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		create_index(&c, n->index_stmt);
		break;
	case PG_QUERY__NODE__NODE_DROP_STMT:
		drop_stmt(&c, n->drop_stmt);
		break;
	case PG_QUERY__NODE__NODE_REINDEX_STMT:
		reindex(&c, n->reindex_stmt);
		break;
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
		alter_table(&c, n->alter_table_stmt);
		break;
	case PG_QUERY__NODE__NODE_RENAME_STMT:
		if (n->rename_stmt->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
			rename_table(&c, n->rename_stmt);
		else if (n->rename_stmt->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN)
			rename_column(&c, n->rename_stmt);
		else
			pass_through(&c, NULL);
		break;
	case PG_QUERY__NODE__NODE_UPDATE_STMT: {
		const PgQuery__UpdateStmt *us = n->update_stmt;
		data_change(&c, us->relation, us->target_list, us->n_target_list, us->where_clause,
			    us->n_from_clause || us->n_returning_list || us->with_clause);
		break;
	}
	case PG_QUERY__NODE__NODE_DELETE_STMT: {
		const PgQuery__DeleteStmt *ds = n->delete_stmt;
		data_change(&c, ds->relation, NULL, 0, ds->where_clause,
			    ds->n_using_clause || ds->n_returning_list || ds->with_clause);
		break;
	}
	case PG_QUERY__NODE__NODE_DO_STMT:
		p->do_start = st->start;
		p->do_end = st->end;
		p->do_step = pass_through(&c, NULL);
		/* what its statements read is only known from them: it keeps a transaction of its own */
		p->do_step->groupable = false;
		break;
	default:
		pass_through(&c, NULL);
		break;
	}
	learn(&c, n);
	return p->arena.failed ? PGS_ERR_NOMEM : PGS_OK;
}

/* Whether @words (" a b ") and @other share a word. */
static bool words_meet(const char *words, const char *other)
{
	char w[130];
	for (const char *p = words; p && *p;) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " ");
		if (len && len + 3 <= sizeof(w)) {
			w[0] = ' ';
			memcpy(w + 1, p, len);
			w[len + 1] = ' ';
			w[len + 2] = '\0';
			if (strstr(other, w))
				return true;
		}
		p += len;
	}
	return false;
}

static bool same_file(const struct plan_step *a, const struct plan_step *b)
{
	return a->origin && b->origin && a->origin->file_index == b->origin->file_index;
}

/*
 * A validation must come after every backfill of its columns in the same
 * file: a VALIDATE (and what its chain does with the proof: SET NOT NULL,
 * a primary key, dropping the check) moves behind the last such backfill.
 * The constraint is already enforced NOT VALID for the backfill's writes.
 */
static int validate_after_backfills(struct plan *p)
{
	struct arena *a = &p->arena;
	struct plan_step **tmp = arena_alloc(a, (p->n_steps ? p->n_steps : 1) * sizeof(*tmp));
	if (!tmp)
		return PGS_ERR_NOMEM;
	for (size_t i = 0; i < p->n_steps; i++) {
		struct plan_step *v = p->steps[i];
		if (!v->validates_columns || !v->validates_table || !v->chain)
			continue;
		size_t last = 0;
		bool found = false;
		for (size_t j = i + 1; j < p->n_steps; j++) {
			const struct plan_step *b = p->steps[j];
			if (b->backfill_table && b->backfill_columns && same_file(v, b) &&
			    !strcmp(b->backfill_table, v->validates_table) &&
			    words_meet(v->validates_columns, b->backfill_columns)) {
				last = j;
				found = true;
			}
		}
		if (!found)
			continue;
		/* the chain's steps from i on, then the others up to last, then the chain */
		size_t n = 0;
		for (size_t j = i; j <= last; j++)
			if (p->steps[j]->chain != v->chain)
				tmp[n++] = p->steps[j];
		for (size_t j = i; j <= last; j++)
			if (p->steps[j]->chain == v->chain)
				tmp[n++] = p->steps[j];
		memcpy(&p->steps[i], tmp, n * sizeof(*tmp));
		i--;   /* the step now at i is another one: look at it */
	}
	return PGS_OK;
}

int plan_finish(struct plan *p)
{
	struct arena *a = &p->arena;
	if (validate_after_backfills(p))
		return PGS_ERR_NOMEM;
	/* brief pass-throughs of one original block share a transaction again */
	int next = 0;
	for (size_t i = 0; i < p->n_steps; i++)
		if (p->steps[i]->txn == PLAN_TXN_GROUP && p->steps[i]->group > next)
			next = p->steps[i]->group;
	for (size_t i = 0; i < p->n_steps;) {
		struct plan_step *s = p->steps[i];
		size_t j = i + 1;
		if (s->groupable) {
			while (j < p->n_steps && p->steps[j]->groupable && p->steps[j]->origin &&
			       s->origin && p->steps[j]->origin->file_index == s->origin->file_index &&
			       p->steps[j]->orig_txn == s->orig_txn)
				j++;
			if (j - i >= 2) {
				next++;
				for (size_t k = i; k < j; k++)
					in_group(p->steps[k], next);
			}
		}
		i = j;
	}
	/* group numbers by first appearance */
	int *map = arena_alloc(a, (size_t)(next + 1) * sizeof(int));
	if (!map)
		return PGS_ERR_NOMEM;
	int seen = 0;
	for (size_t i = 0; i < p->n_steps; i++) {
		struct plan_step *s = p->steps[i];
		s->id = (int)i + 1;
		if (s->txn == PLAN_TXN_GROUP && s->group <= next) {
			if (!map[s->group])
				map[s->group] = ++seen;
			s->group = map[s->group];
		}
	}
	/* a group of one is a transaction of its own */
	for (size_t i = 0; i < p->n_steps; i++) {
		struct plan_step *s = p->steps[i];
		if (s->txn != PLAN_TXN_GROUP)
			continue;
		size_t members = 0;
		for (size_t k = 0; k < p->n_steps; k++)
			members += p->steps[k]->txn == PLAN_TXN_GROUP && p->steps[k]->group == s->group;
		if (members < 2)
			s->txn = PLAN_TXN_OWN;
	}
	for (size_t i = 1; i < p->n_steps; i++) {
		struct plan_step *s = p->steps[i];
		if (ARENA_PUSH(a, s->depends_on, s->n_depends_on, s->cap_depends_on, p->steps[i - 1]->id))
			return PGS_ERR_NOMEM;
	}
	return a->failed ? PGS_ERR_NOMEM : PGS_OK;
}

void plan_finish_timeouts(struct plan *p)
{
	const struct plan_settings *st = &p->settings;
	for (size_t i = 0; i < p->n_steps; i++) {
		struct plan_step *s = p->steps[i];
		s->lock_timeout_ms = 0;
		s->statement_timeout_ms = 0;
		s->has_retry = false;
		if (s->kind == PLAN_STEP_CHECKPOINT)
			continue;
		enum pgs_lock_mode strongest = PGS_LOCK_NONE;
		for (size_t k = 0; k < s->n_locks; k++)
			if (s->locks[k].mode > strongest)
				strongest = s->locks[k].mode;
		/* locks on tables the migration itself created block nobody */
		if (!s->locks_existing && !s->in_use)
			strongest = PGS_LOCK_NONE;
		bool long_running = s->n_scans || s->n_rewrites || s->kind == PLAN_STEP_BACKFILL ||
				    s->txn == PLAN_TXN_NONE || !s->modeled;
		/*
		 * A lock that blocks writes must not queue for long: every query
		 * arriving after it queues behind it. Waiting for SHARE UPDATE
		 * EXCLUSIVE (CONCURRENTLY, VALIDATE) blocks nobody, and a
		 * lock_timeout there would only leave an INVALID index behind.
		 */
		if (pgs_lock_blocks_writes(strongest)) {
			s->lock_timeout_ms = st->lock_timeout_ms;
			s->has_retry = !s->no_retry;
			s->retry = st->retry;
		}
		if (!long_running && strongest != PGS_LOCK_NONE)
			s->statement_timeout_ms = st->statement_timeout_ms;
	}
}
