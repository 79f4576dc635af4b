/*
 * stats.h - table sizes (--stats FILE): severity follows risk.
 *
 * A rewrite or a full scan takes as long as the table is big. With the
 * sizes of the production tables (exported with the query in
 * docs/schema-and-stats.md, as JSON or YAML), a finding about the rewrite
 * or scan of a small table (fewer than 10,000 rows and under 10 MB, both
 * configurable) becomes a hint, while one about a large table keeps its
 * severity. Without the file, or for a table the file does not list,
 * every existing table counts as large.
 *
 * The file's format:
 *
 *   {"tables": {"public.users": {"rows": 1200000, "bytes": 524288000}, ...},
 *    "small_table": {"rows": 10000, "bytes": 10485760}}
 *
 * or the same in YAML. "small_table" is optional. A name without a schema
 * means public. Unknown keys and values that are not non-negative
 * integers are errors.
 *
 * Everything lives in the arena given to stats_load() (the run arena).
 */
#ifndef PGS_STATS_H
#define PGS_STATS_H

#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "lockmodel.h"

#define PGS_STATS_SMALL_ROWS 10000
#define PGS_STATS_SMALL_BYTES (10 * 1024 * 1024)
#define PGS_STATS_MAX_BYTES (64 * 1024 * 1024)

struct table_size {
	const char *name;       /* qualified: "public.users" */
	int64_t rows;
	int64_t bytes;          /* the table with its indexes and TOAST */
};

struct stats {
	struct table_size *tables;
	size_t n, cap;
	int64_t small_rows;     /* a table is small below both */
	int64_t small_bytes;
};

/* Empty, with the default thresholds. */
void stats_init(struct stats *st);

/*
 * Reads @path: JSON when its text starts with '{', YAML otherwise.
 * Returns PGS_OK; PGS_ERR_IO or PGS_ERR_USAGE with @err filled ("file:
 * what is wrong"); PGS_ERR_NOMEM.
 */
int stats_load(struct stats *st, struct arena *a, const char *path, char *err, size_t errlen);

/* Parses text already in memory; @display names it in errors. */
int stats_parse(struct stats *st, struct arena *a, const char *display, const char *text,
		size_t len, char *err, size_t errlen);

/* The entry for @qname, or NULL. */
const struct table_size *stats_find(const struct stats *st, const char *qname);

/* Whether @qname is listed and below both thresholds. */
bool stats_is_small(const struct stats *st, const char *qname);

/*
 * The severity hook (lint.c rule_report): when the error @d is about a
 * relation its statement rewrites or scans (@fx), and the table is small,
 * lowers it to a hint and says why in its message. Warnings stay: those
 * about such statements concern waiting for the lock, not its length. An ADD COLUMN ... NOT
 * NULL without a default fails on any row, so there only an empty table
 * counts. Strings go to @a.
 */
void stats_adjust(const struct stats *st, struct arena *a, struct diag *d, const struct effects *fx);

#endif
