/*
 * plan.h - the safe plan: a migration turned into ordered small steps.
 *
 * The planner sits after analysis in the pipeline (DESIGN.md): it is
 * handed every analyzed statement through lint_options.on_stmt (lint.h),
 * with its effects, its transaction and the catalog as it was before it,
 * and never re-reads the migration's text for facts. For each statement it
 * either passes it through unchanged (it is safe, or its table is new) or
 * replaces it with steps that reach the same schema online: expand
 * (nullable columns, NOT VALID constraints, indexes built CONCURRENTLY),
 * backfill (batched, outside DDL transactions), validate (VALIDATE
 * CONSTRAINT, SET NOT NULL after a validated check) and contract (drop
 * what the swap left behind), with deploy checkpoints where application
 * code must change first, and "not online" steps, with the reason, where
 * PostgreSQL offers no online way.
 *
 * The plan lives in its own arena (struct plan.arena); every string is
 * copied in. Step effects (locks, rewrites, scans) are not the planner's
 * opinion: verify.c re-derives them from each step's SQL with the effects
 * model (plan_derive), and checks the plan's invariants (verify.h).
 * The JSON form is plan_json.c (schemas/plan.schema.json, docs/plan.md);
 * the psql form is plan_sql.c.
 */
#ifndef PGS_PLAN_H
#define PGS_PLAN_H

#include <stdio.h>

#include "arena.h"
#include "lint.h"
#include "lockmodel.h"

/* The JSON format's version (docs/plan.md); bumped on incompatible change. */
#define PLAN_FORMAT_VERSION 1

enum plan_phase {
	PLAN_EXPAND,      /* add things the old application ignores */
	PLAN_BACKFILL,    /* fill them in batches */
	PLAN_VALIDATE,    /* prove and enforce constraints */
	PLAN_CONTRACT,    /* remove what the application no longer uses */
};

enum plan_step_kind {
	PLAN_STEP_SQL,         /* one statement (a DO block counts as one) */
	PLAN_STEP_BACKFILL,    /* batched data change: a DO block looping over batches, and .batch */
	PLAN_STEP_CHECKPOINT,  /* no SQL: deploy application code, then continue */
};

enum plan_txn {
	PLAN_TXN_NONE,    /* must run outside any transaction block (CONCURRENTLY, COMMIT in DO) */
	PLAN_TXN_OWN,     /* its own transaction */
	PLAN_TXN_GROUP,   /* shares one transaction with the other steps of .group */
};

/* Where a step comes from: the migration statement it replaces. */
struct plan_origin {
	const char *file;
	unsigned line;
	const char *statement;   /* the statement's text */
	int file_index;          /* apply order of the file (new tables are per file) */
};

/* How a backfill runs in batches (docs/plan.md, "batch"). */
struct plan_batch {
	const char *table;       /* qualified, unquoted */
	const char *key;         /* key column; NULL: batches of ctids (no key known) */
	long size;               /* rows per batch */
	long pause_ms;           /* sleep between batches */
	const char *first_sql;   /* key: the first batch; returns the last key it covered */
	const char *sql;         /* key: a later batch, $1 = the previous batch's result;
				  * ctid: every batch, returns (rows updated, rows still to do) */
	const char *until;       /* the end condition, in words */
	/* the pieces, for the psql form before PostgreSQL 11 (not in the JSON) */
	const char *set_sql;     /* "col = (expr)"; NULL: the batches delete */
	const char *filter_sql;  /* which rows still need it */
};

struct plan_retry {
	const char *sqlstate;    /* "55P03" lock_not_available */
	int attempts;            /* tries in all */
	long delay_ms;           /* before the second try */
	long max_delay_ms;       /* the delay doubles up to this */
};

struct plan_step {
	int id;                  /* from 1, in plan order */
	enum plan_step_kind kind;
	enum plan_phase phase;
	const char *description;
	const char *sql;         /* NULL for checkpoints */
	enum plan_txn txn;
	int group;               /* PLAN_TXN_GROUP: the group's number */
	const char *group_name;  /* as read from JSON (verify): "group-1", ... */
	/* effects, re-derived from .sql by plan_derive() */
	bool modeled;
	const char *unmodeled_reason;
	struct effect_lock *locks;
	size_t n_locks;
	bool locks_existing;     /* some lock is on a table that existed before the migration */
	const char **rewrites;
	size_t n_rewrites;
	const char **scans;
	size_t n_scans;
	long lock_timeout_ms;    /* 0: none (wait as long as it takes) */
	long statement_timeout_ms; /* 0: none */
	bool has_retry;
	struct plan_retry retry;
	bool has_batch;
	struct plan_batch batch;
	int *depends_on;
	size_t n_depends_on, cap_depends_on;
	const struct plan_origin *origin;  /* NULL for steps read without one */
	const char *deploy;      /* checkpoints: what the application must do first */
	bool online;             /* false: no online way; see .reason and .needs */
	const char *reason;      /* why not online */
	const char *needs;       /* "a maintenance window", "pg_repack", ... */
	const char **notes;      /* facts a person should know (PG version limits, ...) */
	size_t n_notes, cap_notes;
	/* planner bookkeeping, not part of the format */
	bool groupable;          /* a brief pass-through that may stay in its original block */
	bool no_retry;           /* a timeout leaves it half done: another attempt cannot help */
	bool in_use;             /* what it locks is new to the migration but in use meanwhile */
	int orig_txn;            /* that block's id in its file, with origin->file_index */
	const char *backfill_table;   /* data changes: the table and the columns they set */
	const char *backfill_columns; /* (" a b "), so that validations come after them */
	const char *validates_table;  /* validations: the table and the columns they read */
	const char *validates_columns;
	int chain;                    /* steps that move together behind a later backfill */
};

/* A statement the planner could not turn into steps (syntax error, meta-command). */
struct plan_problem {
	const char *file;
	unsigned line;
	const char *message;
};

/* Knobs that shape the steps (command-line options of `pgsafe plan`). */
struct plan_settings {
	int pg_version;
	long lock_timeout_ms;        /* for steps whose locks block writes */
	long statement_timeout_ms;   /* for brief steps; long ones get none */
	long batch_size;
	long batch_pause_ms;
	struct plan_retry retry;
};

/*
 * What the catalog (schema.h) does not keep and an expand/contract needs
 * to rebuild a column: its DEFAULT expression as SQL and the sequence it
 * owns, and each index's definition. The planner learns them from every
 * statement it is shown, context files included.
 */
struct plan_coldef {
	const char *table;           /* qualified */
	const char *column;
	const char *default_sql;     /* NULL: no default */
	bool literal;                /* the default is a bare constant, typed by the column */
	const char *owned_seq;       /* qualified sequence OWNED BY the column, or NULL */
};

struct plan_indexdef {
	const char *name;            /* qualified, as the catalog names it */
	const char *real_name;       /* unqualified, as PostgreSQL names it */
	const char *table;           /* qualified */
	PgQuery__IndexStmt *stmt;    /* a copy of its CREATE INDEX, in the plan's arena */
};

struct plan {
	struct arena arena;          /* everything of the plan */
	struct plan_settings settings;
	const char **inputs;         /* the files planned, in apply order */
	size_t n_inputs, cap_inputs;
	struct plan_step **steps;
	size_t n_steps, cap_steps;
	struct plan_problem *problems;
	size_t n_problems, cap_problems;
	size_t statements;           /* statements seen */
	size_t passed_through;       /* of which kept unchanged */
	/* planner bookkeeping */
	struct plan_coldef *coldefs;
	size_t n_coldefs, cap_coldefs;
	struct plan_indexdef *indexdefs;
	size_t n_indexdefs, cap_indexdefs;
	int chains;                  /* validation chains numbered so far */
	size_t do_start, do_end;     /* the span of the user's last DO block, passed through as */
	struct plan_step *do_step;   /* ... this step */
};

void plan_settings_default(struct plan_settings *s, int pg_version);

/* Starts an empty plan. Release with plan_release(). */
void plan_init(struct plan *p, const struct plan_settings *s);
void plan_release(struct plan *p);

/*
 * The lint_options.on_stmt hook: @arg is a struct plan. Adds the steps for
 * one analyzed statement. Returns PGS_OK or PGS_ERR_NOMEM.
 */
int plan_on_stmt(void *arg, const struct lint_run *r, const struct lint_stmt_event *ev);

/*
 * Learns the defaults and index definitions of a schema dump (--schema),
 * which seeds the catalog (dump.h) without passing through the hook.
 * Returns PGS_OK or PGS_ERR_NOMEM; an unreadable file is left to dump.h.
 */
int plan_learn_file(struct plan *p, const struct schema *s, const char *path, size_t max_bytes);

/*
 * After the last input: drops statements of rolled-back blocks, forms
 * transaction groups, numbers the steps and links each to the one before.
 * Then plan_derive() (verify.h) fills in effects, and plan_finish_timeouts()
 * the lock_timeout, statement_timeout and retry of each step from them.
 */
int plan_finish(struct plan *p);
void plan_finish_timeouts(struct plan *p);

/* Counts for the summary. */
size_t plan_count_checkpoints(const struct plan *p);
size_t plan_count_not_online(const struct plan *p);
size_t plan_count_not_modeled(const struct plan *p);

/* Names used by the JSON and psql forms. */
const char *plan_phase_name(enum plan_phase ph);
const char *plan_kind_name(enum plan_step_kind k);
/* "none", "own" or the group's name; lives in @a when built. */
const char *plan_txn_name(struct arena *a, const struct plan_step *s);

/* plan_json.c: writes the plan as JSON (docs/plan.md). Returns 0 or -1 on a write error. */
int plan_write_json(FILE *out, const struct plan *p);

/*
 * plan_json.c: reads a plan written by pgsafe or by hand into @p (which
 * plan_init() prepared). On a bad document returns PGS_ERR_INPUT with a
 * message in @err (lives in p->arena).
 */
int plan_read_json(struct plan *p, const char *path, const char **err);

/* plan_sql.c: writes the plan as a psql script. Returns 0 or -1 on a write error. */
int plan_write_sql(FILE *out, const struct plan *p);

#endif
