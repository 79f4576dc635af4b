/*
 * plan_sql.c - the plan as a psql script (plan.h, docs/plan.md).
 *
 * Steps run in order, each after the session settings it needs. Three
 * PostgreSQL rules shape the script (each checked on PostgreSQL 15 by
 * tests/plan_proof/):
 *   - statement_timeout limits a whole top-level statement: a DO block that
 *     loops over batches and COMMITs counts as one, so backfills run with
 *     statement_timeout 0;
 *   - COMMIT inside a DO block ends the transaction that SET LOCAL belongs
 *     to, so timeouts are set with session-level SET before each step;
 *   - a DO block that COMMITs cannot run inside a transaction block, so
 *     backfills are never part of a BEGIN ... COMMIT.
 * Retries on lock_not_available (SQLSTATE 55P03): a step that may run
 * inside a function becomes a DO block whose sub-block retries with
 * backoff (the failed attempt's subtransaction releases its locks before
 * the pause); a transaction group retries as a whole the same way; a step
 * that must run outside any transaction block is retried by psql itself
 * (\if on :ERROR and :LAST_ERROR_SQLSTATE, psql 12+).
 * Checkpoints stop the script with \quit unless the variable for that
 * checkpoint (or pgsafe_continue) is set; a run with checkpoint_N set
 * skips every step before checkpoint N.
 */
#include "plan.h"

#include "parse.h"
#include "quote.h"

#include <stdarg.h>
#include <string.h>

struct out {
	FILE *f;
	struct arena *a;
	const struct plan *p;
	int err;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (vfprintf(o->f, fmt, ap) < 0)
		o->err = -1;
	va_end(ap);
}

/* One line of a SQL comment: newlines become spaces. */
static const char *one_line(struct out *o, const char *s)
{
	char *c = arena_strdup(o->a, s ? s : "");
	if (!c)
		return "";
	for (char *p = c; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return c;
}

/* A psql single-quoted argument: '' for a quote, \\ for a backslash, \n for a newline. */
static const char *psql_quote(struct out *o, const char *s)
{
	size_t n = 3;
	for (const char *p = s; *p; p++)
		n += 2;
	char *buf = arena_alloc(o->a, n);
	if (!buf)
		return "''";
	char *w = buf;
	*w++ = '\'';
	for (const char *p = s; *p; p++) {
		switch (*p) {
		case '\'': *w++ = '\''; *w++ = '\''; break;
		case '\\': *w++ = '\\'; *w++ = '\\'; break;
		case '\n': *w++ = '\\'; *w++ = 'n'; break;
		case '\r': *w++ = '\\'; *w++ = 'r'; break;
		default: *w++ = *p; break;
		}
	}
	*w++ = '\'';
	*w = '\0';
	return buf;
}

static long pause_of(const struct plan_retry *r, int attempt)
{
	long d = r->delay_ms;
	for (int k = 1; k < attempt && d < r->max_delay_ms; k++)
		d *= 2;
	return d > r->max_delay_ms ? r->max_delay_ms : d;
}

/* How long a retried unit may take in all: its statements' budget plus every wait and pause. */
static long retry_budget(const struct plan_retry *r, long lock_timeout, long statement_timeout)
{
	if (statement_timeout <= 0)
		return 0;
	long total = statement_timeout;
	for (int k = 1; k <= r->attempts; k++)
		total += lock_timeout + (k < r->attempts ? pause_of(r, k) : 0);
	return total;
}

static void settings(struct out *o, long lock_timeout, long statement_timeout)
{
	put(o, "SET lock_timeout = %ld;\nSET statement_timeout = %ld;\n", lock_timeout, statement_timeout);
}

/* Whether @sql can run inside a PL/pgSQL function (EXECUTE): one statement, transactional. */
static bool runs_in_function(struct out *o, const struct plan_step *s)
{
	if (s->txn == PLAN_TXN_NONE || !s->sql)
		return false;
	struct parsed_file pf;
	if (parse_sql(s->sql, o->a, &pf) || pf.n != 1 || pf.stmts[0].status != STMT_PARSED)
		return false;
	switch (pf.stmts[0].node->node_case) {
	case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
	case PG_QUERY__NODE__NODE_VACUUM_STMT:
	case PG_QUERY__NODE__NODE_COPY_STMT:
		return false;
	default:
		return true;
	}
}

/*
 * The retry loop around @n statements run as one transaction: a sub-block
 * per attempt, so a lock timeout rolls the attempt back (releasing what
 * it locked) before the pause.
 */
static void retry_do(struct out *o, const struct plan_step *const *steps, size_t n,
		     const struct plan_retry *r)
{
	const char *body = "\nDECLARE\n    pgsafe_attempt int := 1;\nBEGIN\n    LOOP\n        BEGIN\n";
	for (size_t i = 0; i < n; i++) {
		const char *q = dollar_quote(o->a, steps[i]->sql);
		body = arena_printf(o->a, "%s            EXECUTE %s;\n", body, q ? q : "''");
	}
	const char *pauses = "ARRAY[";
	for (int k = 1; k < r->attempts; k++)
		pauses = arena_printf(o->a, "%s%s%ld", pauses, k > 1 ? ", " : "", pause_of(r, k));
	pauses = arena_printf(o->a, "%s]::bigint[]", r->attempts > 1 ? pauses : "ARRAY[0");
	body = arena_printf(o->a,
		"%s            EXIT;\n"
		"        EXCEPTION WHEN lock_not_available THEN\n"
		"            IF pgsafe_attempt >= %d THEN\n"
		"                RAISE;\n"
		"            END IF;\n"
		"            RAISE NOTICE 'pgsafe: step %d: lock not available (attempt %% of %d), retrying',\n"
		"                pgsafe_attempt;\n"
		"            PERFORM pg_catalog.pg_sleep((%s)[pgsafe_attempt] / 1000.0);\n"
		"            pgsafe_attempt := pgsafe_attempt + 1;\n"
		"        END;\n"
		"    END LOOP;\n"
		"END\n", body, r->attempts, steps[0]->id, r->attempts, pauses);
	const char *dq = body ? dollar_quote(o->a, body) : NULL;
	if (!dq) {
		o->err = -1;
		return;
	}
	put(o, "DO %s;\n", dq);
}

/*
 * A statement that must run outside a transaction block, retried by psql:
 * attempt k runs only when attempt k-1 failed with lock_not_available.
 */
static void retry_psql(struct out *o, const struct plan_step *s)
{
	const struct plan_retry *r = &s->retry;
	put(o, "\\set ON_ERROR_STOP 0\n%s;\n\\set ON_ERROR_STOP 1\n", s->sql);
	for (int k = 1; k < r->attempts; k++) {
		put(o, "\\if :ERROR\n"
		       "SELECT :'LAST_ERROR_SQLSTATE' = '55P03' AS pgsafe_lock_timeout \\gset\n"
		       "\\if :pgsafe_lock_timeout\n"
		       "\\echo 'pgsafe: step %d: lock not available (attempt %d of %d), retrying'\n"
		       "SELECT pg_catalog.pg_sleep(%ld / 1000.0) \\gset pgsafe_\n"
		       "\\set ON_ERROR_STOP %d\n%s;\n\\set ON_ERROR_STOP 1\n",
		    s->id, k, r->attempts, pause_of(r, k), k + 1 < r->attempts ? 0 : 1, s->sql);
	}
	/* \quit would exit 0: an error that is not a lock timeout fails the run */
	for (int k = 1; k < r->attempts; k++)
		put(o, "\\else\n"
		       "\\echo 'pgsafe: step %d failed with SQLSTATE' :'LAST_ERROR_SQLSTATE'\n"
		       "DO 'BEGIN RAISE EXCEPTION ''pgsafe: step %d failed''; END';\n"
		       "\\endif\n"
		       "\\endif\n", s->id, s->id);
}

/*
 * DETACH PARTITION ... CONCURRENTLY, if @s is one: the partition's name as
 * a literal for to_regclass(), else NULL.
 */
static const char *detach_concurrently(struct out *o, const struct plan_step *s)
{
	struct parsed_file pf;
	if (!s->sql || parse_sql(s->sql, o->a, &pf) || pf.n != 1 || pf.stmts[0].status != STMT_PARSED ||
	    pf.stmts[0].node->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_STMT)
		return NULL;
	const PgQuery__AlterTableStmt *as = pf.stmts[0].node->alter_table_stmt;
	if (as->n_cmds != 1 || as->cmds[0]->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD)
		return NULL;
	const PgQuery__AlterTableCmd *cmd = as->cmds[0]->alter_table_cmd;
	if (cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition || !cmd->def ||
	    cmd->def->node_case != PG_QUERY__NODE__NODE_PARTITION_CMD || !cmd->def->partition_cmd->concurrent)
		return NULL;
	const PgQuery__RangeVar *rv = cmd->def->partition_cmd->name;
	const char *name = quote_ident(o->a, rv->relname);
	if (rv->schemaname && *rv->schemaname)
		name = arena_printf(o->a, "%s.%s", quote_ident(o->a, rv->schemaname), name);
	return name ? quote_literal(o->a, name) : NULL;
}

/*
 * A DETACH ... CONCURRENTLY that fails after its first transaction leaves
 * the partition pending detach: the script goes on to the step that
 * finishes it (FINALIZE); any other failure fails the run.
 */
static void detach_step(struct out *o, const struct plan_step *s, const char *part)
{
	put(o, "\\set ON_ERROR_STOP 0\n%s;\n\\set ON_ERROR_STOP 1\n"
	       "\\if :ERROR\n"
	       "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits WHERE inhrelid = "
	       "pg_catalog.to_regclass(%s) AND inhdetachpending) AS pgsafe_pending \\gset\n"
	       "\\if :pgsafe_pending\n"
	       "\\echo 'pgsafe: step %d stopped half way: the next step finishes the detach'\n"
	       "\\else\n"
	       "\\echo 'pgsafe: step %d failed with SQLSTATE' :'LAST_ERROR_SQLSTATE'\n"
	       "DO 'BEGIN RAISE EXCEPTION ''pgsafe: step %d failed''; END';\n"
	       "\\endif\n"
	       "\\endif\n", s->sql, part, s->id, s->id, s->id);
}

/* @s with every % doubled, for a format() string. */
static const char *percent_safe(struct out *o, const char *s)
{
	size_t n = 0;
	for (const char *p = s; *p; p++)
		n += *p == '%';
	char *out = arena_alloc(o->a, strlen(s) + n + 1);
	if (!out)
		return "";
	char *w = out;
	for (const char *p = s; *p; p++) {
		if (*p == '%')
			*w++ = '%';
		*w++ = *p;
	}
	*w = '\0';
	return out;
}

/*
 * Before PostgreSQL 11 a DO block cannot COMMIT: psql's \gexec runs one
 * statement per row of a query, each in its own transaction. With a key,
 * the query cuts the key range into batches up front (rows added later get
 * the default anyway); without one, it repeats the ctid batch as many
 * times as there are batches of rows to do, plus one.
 */
static void gexec_batches(struct out *o, const struct plan_step *s)
{
	const struct plan_batch *b = &s->batch;
	const char *t = quote_qualified(o->a, b->table);
	const char *pause = arena_printf(o->a, "SELECT pg_catalog.pg_sleep(%ld / 1000.0)", b->pause_ms);
	put(o, "-- before PostgreSQL 11 a DO block cannot COMMIT: \\gexec runs each batch on its own\n");
	if (b->key) {
		const char *k = quote_ident(o->a, b->key);
		const char *head = b->set_sql ? arena_printf(o->a, "UPDATE %s SET %s", t, b->set_sql) :
			arena_printf(o->a, "DELETE FROM %s", t);
		const char *tmpl = arena_printf(o->a, "%s WHERE %s >= %%L AND %s <= %%L AND (%s)",
						percent_safe(o, head), k, k, percent_safe(o, b->filter_sql));
		put(o, "SELECT format(%s, lo, hi), %s\n"
		       "FROM (SELECT min(k) AS lo, max(k) AS hi\n"
		       "      FROM (SELECT %s AS k, (row_number() OVER (ORDER BY %s) - 1) / %ld AS b FROM %s) AS keys\n"
		       "      GROUP BY b) AS batches\n"
		       "ORDER BY lo \\gexec\n",
		    quote_literal(o->a, tmpl), quote_literal(o->a, pause), k, k, b->size, t);
	} else {
		put(o, "SELECT %s, %s\n"
		       "FROM generate_series(1, (SELECT count(*) FROM %s WHERE %s) / %ld + 1) \\gexec\n",
		    quote_literal(o->a, b->sql), quote_literal(o->a, pause), t, b->filter_sql, b->size);
	}
}

static void step_header(struct out *o, const struct plan_step *s)
{
	put(o, "\n-- step %d (%s, %s): %s\n", s->id, plan_phase_name(s->phase),
	    plan_txn_name(o->a, s), one_line(o, s->description));
	if (s->origin)
		put(o, "--   from %s:%u\n", one_line(o, s->origin->file), s->origin->line);
	if (!s->online)
		put(o, "--   NOT ONLINE: %s; needs %s\n", one_line(o, s->reason), one_line(o, s->needs));
	for (size_t i = 0; i < s->n_notes; i++)
		put(o, "--   note: %s\n", one_line(o, s->notes[i]));
}

/*
 * -v pgsafe_from=N resumes a run that failed at step N: every step (a
 * group: its last step) before N is skipped, checkpoints included.
 */
static void begin_resume_guard(struct out *o, int last_id)
{
	put(o, "\\if :{?pgsafe_from}\n"
	       "SELECT :'pgsafe_from'::int <= %d AS pgsafe_run \\gset\n"
	       "\\else\n"
	       "\\set pgsafe_run true\n"
	       "\\endif\n"
	       "\\if :pgsafe_run\n", last_id);
}

static void end_resume_guard(struct out *o)
{
	put(o, "\\endif\n");
}

static void checkpoint(struct out *o, const struct plan_step *s, const struct plan *p, size_t at)
{
	step_header(o, s);
	put(o, "\\if :{?pgsafe_continue}\n\\echo %s\n",
	    psql_quote(o, arena_printf(o->a, "pgsafe: checkpoint %d passed (pgsafe_continue): %s", s->id,
				       s->deploy ? s->deploy : "")));
	for (size_t k = at; k < p->n_steps; k++)
		if (p->steps[k]->kind == PLAN_STEP_CHECKPOINT)
			put(o, "\\elif :{?checkpoint_%d}\n", p->steps[k]->id);
	put(o, "\\else\n\\echo %s\n\\echo %s\n\\quit\n\\endif\n",
	    psql_quote(o, arena_printf(o->a, "pgsafe: checkpoint %d: %s", s->id, s->deploy ? s->deploy : "")),
	    psql_quote(o, arena_printf(o->a, "pgsafe: when that is deployed, run this script again with "
				       "-v checkpoint_%d=done", s->id)));
}

static bool same_group(const struct plan_step *a, const struct plan_step *b)
{
	return a->txn == PLAN_TXN_GROUP && b->txn == PLAN_TXN_GROUP && a->group == b->group &&
	       !(a->group_name && b->group_name && strcmp(a->group_name, b->group_name));
}

/* Writes the steps [i, j) of one transaction group; returns j. */
static size_t group(struct out *o, const struct plan *p, size_t i)
{
	size_t j = i + 1;
	while (j < p->n_steps && same_group(p->steps[i], p->steps[j]))
		j++;
	long lt = 0, stt = 0;
	bool retry = false;
	for (size_t k = i; k < j; k++) {
		step_header(o, p->steps[k]);
		if (p->steps[k]->lock_timeout_ms > lt)
			lt = p->steps[k]->lock_timeout_ms;
		stt += p->steps[k]->statement_timeout_ms;
		retry = retry || p->steps[k]->has_retry;
	}
	if (retry) {
		const struct plan_retry *r = &p->steps[i]->retry;
		for (size_t k = i; k < j; k++)
			if (p->steps[k]->has_retry)
				r = &p->steps[k]->retry;
		put(o, "-- steps %d to %d run as one transaction, retried as a whole\n", p->steps[i]->id,
		    p->steps[j - 1]->id);
		settings(o, lt, retry_budget(r, lt, stt));
		retry_do(o, (const struct plan_step *const *)&p->steps[i], j - i, r);
	} else {
		settings(o, lt, stt);
		put(o, "BEGIN;\n");
		for (size_t k = i; k < j; k++)
			put(o, "%s;\n", p->steps[k]->sql);
		put(o, "COMMIT;\n");
	}
	return j;
}

static void one_step(struct out *o, const struct plan_step *s)
{
	step_header(o, s);
	if (s->kind == PLAN_STEP_BACKFILL && o->p->settings.pg_version < 11) {
		settings(o, 0, 0);
		if (s->batch.filter_sql) {
			gexec_batches(o, s);
			return;
		}
		put(o, "-- before PostgreSQL 11 a DO block cannot COMMIT, so psql cannot loop over batches:\n"
		       "-- run the batch below in its own transaction until: %s\n", one_line(o, s->batch.until));
		put(o, "%s;\n", s->sql);
		return;
	}
	if (s->has_retry && runs_in_function(o, s)) {
		settings(o, s->lock_timeout_ms, retry_budget(&s->retry, s->lock_timeout_ms,
							     s->statement_timeout_ms));
		retry_do(o, &s, 1, &s->retry);
		return;
	}
	settings(o, s->lock_timeout_ms, s->statement_timeout_ms);
	const char *part = s->txn == PLAN_TXN_NONE ? detach_concurrently(o, s) : NULL;
	if (part)
		detach_step(o, s, part);
	else if (s->has_retry && s->txn == PLAN_TXN_NONE && s->retry.attempts > 1)
		retry_psql(o, s);
	else
		put(o, "%s;\n", s->sql);
}

int plan_write_sql(FILE *f, const struct plan *p)
{
	struct arena a;
	arena_init(&a);
	struct out o = { f, &a, p, 0 };
	put(&o, "-- pgsafe %s: safe plan for PostgreSQL %d (plan format %d)\n", PGSAFE_VERSION,
	    p->settings.pg_version, PLAN_FORMAT_VERSION);
	for (size_t i = 0; i < p->n_inputs; i++)
		put(&o, "--   from %s\n", one_line(&o, p->inputs[i]));
	put(&o, "--\n"
		"-- Run with psql 12 or later, in autocommit (the script manages its transactions):\n"
		"--   psql -X -v ON_ERROR_STOP=1 -f plan.sql\n"
		"-- The script stops at each deploy checkpoint. Once the application is deployed,\n"
		"-- run it again with -v checkpoint_N=done, N the checkpoint's step: the steps\n"
		"-- before checkpoint N are skipped and the script goes on after it.\n"
		"-- -v pgsafe_continue=1 goes through every checkpoint without stopping (for\n"
		"-- rehearsals on a copy of the database). When a step fails, fix the cause and\n"
		"-- run the script again with -v pgsafe_from=N, N the failed step: the steps\n"
		"-- before it are skipped.\n");
	size_t checkpoints = plan_count_checkpoints(p), not_online = plan_count_not_online(p);
	put(&o, "-- %zu step%s, %zu checkpoint%s, %zu not online.\n", p->n_steps, p->n_steps == 1 ? "" : "s",
	    checkpoints, checkpoints == 1 ? "" : "s", not_online);
	for (size_t i = 0; i < p->n_problems; i++)
		put(&o, "-- PROBLEM %s:%u: %s\n", one_line(&o, p->problems[i].file), p->problems[i].line,
		    one_line(&o, p->problems[i].message));
	put(&o, "\\set ON_ERROR_STOP 1\n");

	/* segments between checkpoints: skipped when a later checkpoint has been passed */
	size_t i = 0;
	while (i < p->n_steps) {
		size_t end = i;
		while (end < p->n_steps && p->steps[end]->kind != PLAN_STEP_CHECKPOINT)
			end++;
		bool guarded = false;
		for (size_t k = end; k < p->n_steps && end > i; k++) {
			if (p->steps[k]->kind != PLAN_STEP_CHECKPOINT)
				continue;
			put(&o, "%s%s :{?checkpoint_%d}\n", guarded ? "" : "\n", guarded ? "\\elif" : "\\if",
			    p->steps[k]->id);
			put(&o, "\\echo 'pgsafe: steps %d to %d: done before checkpoint %d, skipped'\n",
			    p->steps[i]->id, p->steps[end - 1]->id, p->steps[k]->id);
			guarded = true;
		}
		if (guarded)
			put(&o, "\\else\n");
		for (size_t k = i; k < end;) {
			const struct plan_step *s = p->steps[k];
			size_t j = k + 1;
			while (s->txn == PLAN_TXN_GROUP && j < end && same_group(s, p->steps[j]))
				j++;
			begin_resume_guard(&o, p->steps[j - 1]->id);
			if (s->txn == PLAN_TXN_GROUP) {
				k = group(&o, p, k);
			} else {
				one_step(&o, s);
				k++;
			}
			end_resume_guard(&o);
		}
		if (guarded)
			put(&o, "\\endif\n");
		if (end < p->n_steps) {
			begin_resume_guard(&o, p->steps[end]->id);
			checkpoint(&o, p->steps[end], p, end);
			end_resume_guard(&o);
		}
		i = end + 1;
	}
	put(&o, "\n\\echo 'pgsafe: plan complete'\n");
	arena_release(&a);
	return o.err;
}
