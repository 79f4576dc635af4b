/*
 * lockmodel.h - the effects model: what a statement does to a live database.
 *
 * For one parsed statement, by PostgreSQL major version, it answers which
 * relations are locked and in which mode, which tables are rewritten
 * (new relfilenode, indexes rebuilt) or read in full, and whether the
 * statement refuses to run inside a transaction block. It is the only
 * place in pgsafe that knows lock levels: rules, reporters and the planner
 * read its answers (STYLE.md, section 5).
 *
 * Every answer comes with causes (struct effect_note) so that a rule can
 * ask "is there a rewrite caused by a volatile default?" without deciding
 * the fact itself. A statement the model does not understand says so
 * (modeled = false); it is never silently called safe.
 *
 * Results live in the arena passed in (the file arena).
 */
#ifndef PGS_LOCKMODEL_H
#define PGS_LOCKMODEL_H

#include <pg_query/pg_query.pb-c.h>

#include "arena.h"
#include "pgsafe.h"
#include "schema.h"

/* Why a statement rewrites, scans or locks something. */
enum effect_cause {
	/* rewrites (and so a full read and an index rebuild) */
	CAUSE_VOLATILE_DEFAULT,       /* ADD COLUMN ... DEFAULT volatile_fn() */
	CAUSE_DEFAULT_BEFORE_PG11,    /* ADD COLUMN ... DEFAULT x, PostgreSQL 10 */
	CAUSE_GENERATED_STORED,       /* ADD COLUMN ... GENERATED ALWAYS AS (...) STORED */
	CAUSE_IDENTITY_COLUMN,        /* ADD COLUMN ... GENERATED AS IDENTITY */
	CAUSE_SERIAL_COLUMN,          /* ADD COLUMN ... serial */
	CAUSE_DOMAIN_WITH_CONSTRAINT, /* ADD COLUMN of a domain type that has constraints */
	CAUSE_TYPE_CHANGE,            /* ALTER COLUMN TYPE, not binary coercible */
	CAUSE_SET_LOGGED,             /* SET LOGGED / SET UNLOGGED */
	CAUSE_SET_TABLESPACE,
	CAUSE_SET_ACCESS_METHOD,
	CAUSE_VACUUM_FULL,
	CAUSE_CLUSTER,
	/* full reads without a rewrite */
	CAUSE_SET_NOT_NULL,           /* SET NOT NULL without a validated IS NOT NULL check */
	CAUSE_ADD_NOT_NULL_COLUMN,    /* ADD COLUMN ... NOT NULL without a default */
	CAUSE_CHECK_VALIDATION,       /* ADD CHECK without NOT VALID */
	CAUSE_FK_VALIDATION,          /* ADD FOREIGN KEY without NOT VALID */
	CAUSE_VALIDATE_CONSTRAINT,    /* VALIDATE CONSTRAINT */
	CAUSE_INDEX_BUILD,            /* CREATE INDEX, ADD PRIMARY KEY / UNIQUE / EXCLUDE */
	CAUSE_ATTACH_PARTITION,       /* the partition is scanned for rows outside its bound */
	CAUSE_DEFAULT_PARTITION,      /* the default partition is scanned for rows of the new one */
	CAUSE_DOMAIN_VALIDATION,      /* ALTER DOMAIN ADD/VALIDATE CONSTRAINT */
	CAUSE_ALL_ROWS,               /* UPDATE / DELETE without WHERE */
	CAUSE_QUERY_READ,             /* a query reads the table in full (CTAS, INSERT SELECT) */
	CAUSE_REFRESH_MATVIEW,
	/* neither: facts rules care about */
	CAUSE_INDEX_REBUILD,          /* a type change rebuilds the column's indexes */
	CAUSE_TYPE_CHANGE_UNKNOWN,    /* the old type is unknown: assumed to rewrite */
	CAUSE_FK_REFERENCED,          /* the referenced table of a foreign key is locked too */
	CAUSE_CASCADE,                /* CASCADE reaches further tables */
};

struct effect_lock {
	const char *relation;         /* "public.t", as pg_namespace.nspname.pg_class.relname */
	char relkind;                 /* 'r', 'p', 'i', 'v', 'm', 'S', 'f'; '?' unknown;
				       * 'e' unknown and named with IF EXISTS: locked only if it exists */
	enum pgs_lock_mode mode;
};

struct effect_note {
	enum effect_cause cause;
	const char *relation;
	const char *column;           /* NULL when not about one column */
	size_t offset;                /* byte offset in the source of the part responsible */
	const char *detail;           /* e.g. the function name, "varchar(20) to int8" */
};

struct effects {
	bool modeled;
	const char *unmodeled_reason;
	struct effect_lock *locks;
	size_t n_locks, cap_locks;
	const char **rewrites;
	size_t n_rewrites, cap_rewrites;
	const char **scans;
	size_t n_scans, cap_scans;
	struct effect_note *notes;
	size_t n_notes, cap_notes;
	bool needs_no_transaction;
	/* transaction control: BEGIN, COMMIT, ... (txmodel reads the node itself) */
	bool is_transaction_control;
};

struct effects_input {
	const struct schema *schema;  /* the catalog before this statement */
	int pg_version;               /* major version, 10..17 */
	size_t loc_base;              /* add to node locations to get source offsets */
	size_t stmt_start;            /* source offset of the statement */
};

/* Computes the effects of @stmt. Returns PGS_OK or PGS_ERR_NOMEM. */
int effects_compute(const struct effects_input *in, struct arena *a,
		    const PgQuery__Node *stmt, struct effects *out);

/* The strongest lock the statement takes on @relation (NONE when none). */
enum pgs_lock_mode effects_lock_on(const struct effects *e, const char *relation);
/* The strongest lock over all relations. */
enum pgs_lock_mode effects_strongest(const struct effects *e);
bool effects_rewrites(const struct effects *e, const char *relation);
bool effects_scans(const struct effects *e, const char *relation);
/* The first note with @cause, or NULL (loop over e->notes for all of them). */
const struct effect_note *effects_find(const struct effects *e, enum effect_cause cause);

/* The lock ALTER TABLE takes for one subcommand (AlterTableGetLockLevel). */
enum pgs_lock_mode effects_alter_table_cmd_lock(const PgQuery__AlterTableCmd *cmd, int pg_version);

/*
 * Volatility of a default or generated expression: 'i', 's' or 'v'. An
 * unknown function counts as 'v', PostgreSQL's default for CREATE FUNCTION;
 * @culprit gets the function that decided it.
 */
char effects_expr_volatility(const PgQuery__Node *expr, const char **culprit);

/* Whether changing a column from @from to @to rewrites the table. */
enum type_change { TYPE_CHANGE_FREE, TYPE_CHANGE_FREE_REINDEX, TYPE_CHANGE_REWRITE };
enum type_change effects_type_change(const struct sm_type *from, const struct sm_type *to,
				     int pg_version, bool timezone_utc);

/* A person's description of a cause: "a volatile default", ... */
const char *effects_cause_text(enum effect_cause cause);

#endif
