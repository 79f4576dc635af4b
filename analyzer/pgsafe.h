/*
 * pgsafe.h - the vocabulary every stage of pgsafe shares: status codes,
 * severities, PostgreSQL lock modes and version numbers.
 *
 * Nothing here allocates. Every other header includes this one.
 */
#ifndef PGSAFE_H
#define PGSAFE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PGSAFE_VERSION "0.1.0"

/* The PostgreSQL major version whose grammar libpg_query carries. */
#define PGS_GRAMMAR_PG_MAJOR 15

/* The versions whose semantics pgsafe models (lock levels, rewrites, ...). */
#define PGS_PG_MIN 10
#define PGS_PG_MAX 17
#define PGS_PG_DEFAULT 15

/*
 * Status values returned by functions that do work. Findings are never
 * statuses: they are diagnostics. Negative values are failures.
 */
enum pgs_status {
	PGS_OK = 0,
	PGS_ERR_NOMEM = -1,
	PGS_ERR_IO = -2,      /* an input could not be read */
	PGS_ERR_INPUT = -3,   /* an input was read but is unusable */
	PGS_ERR_USAGE = -4,   /* bad command line or config */
	PGS_ERR_PLUGIN = -5,
	PGS_ERR_INTERNAL = -6,
};

/* Ordered: a higher value is more severe. */
enum pgs_severity {
	PGS_SEV_NONE = 0,
	PGS_SEV_HINT = 1,
	PGS_SEV_WARNING = 2,
	PGS_SEV_ERROR = 3,
};

const char *pgs_severity_name(enum pgs_severity sev);
/* Returns PGS_SEV_NONE when @name is not a severity. */
enum pgs_severity pgs_severity_parse(const char *name);

/*
 * Table-level lock modes in PostgreSQL's own numbering (lockdefs.h), so
 * that a larger value is the conventionally "stronger" mode.
 */
enum pgs_lock_mode {
	PGS_LOCK_NONE = 0,
	PGS_LOCK_ACCESS_SHARE = 1,
	PGS_LOCK_ROW_SHARE = 2,
	PGS_LOCK_ROW_EXCLUSIVE = 3,
	PGS_LOCK_SHARE_UPDATE_EXCLUSIVE = 4,
	PGS_LOCK_SHARE = 5,
	PGS_LOCK_SHARE_ROW_EXCLUSIVE = 6,
	PGS_LOCK_EXCLUSIVE = 7,
	PGS_LOCK_ACCESS_EXCLUSIVE = 8,
};

/* The name pg_locks uses, e.g. "AccessExclusiveLock". */
const char *pgs_lock_mode_name(enum pgs_lock_mode mode);
/* The SQL spelling, e.g. "ACCESS EXCLUSIVE". */
const char *pgs_lock_mode_sql(enum pgs_lock_mode mode);
/* Whether a lock in @mode makes ordinary SELECTs wait. */
bool pgs_lock_blocks_reads(enum pgs_lock_mode mode);
/* Whether a lock in @mode makes INSERT/UPDATE/DELETE wait. */
bool pgs_lock_blocks_writes(enum pgs_lock_mode mode);
/* What the application sees while @mode is held: "reads and writes", ... */
const char *pgs_lock_blocks_text(enum pgs_lock_mode mode);
/* Whether two modes conflict (the table in the "Explicit Locking" docs). */
bool pgs_lock_conflicts(enum pgs_lock_mode a, enum pgs_lock_mode b);

#endif
