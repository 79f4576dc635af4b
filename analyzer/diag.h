/*
 * diag.h - diagnostics: findings and input problems, as data.
 *
 * A diagnostic names a rule id (or a reserved id such as "syntax-error"),
 * a severity, a byte span in one file with its line:column positions, a
 * message, a help line, and, when it is about a lock, what the lock blocks
 * and for how long. The list lives in the run arena; diag_add() copies
 * every string it is given, so callers may pass file-arena strings.
 */
#ifndef PGS_DIAG_H
#define PGS_DIAG_H

#include "arena.h"
#include "pgsafe.h"
#include "source.h"

struct diag {
	const char *rule;
	enum pgs_severity severity;
	const char *message;
	const char *help;          /* may be NULL */
	const char *file;
	size_t start_byte, end_byte;
	struct source_pos start, end;
	/* about a lock, when the finding is: */
	const char *relation;
	enum pgs_lock_mode lock;
	const char *duration;      /* "brief", "a full scan", "a rewrite", "until COMMIT" */
	/* the code frame: the statement's first line, for reporters */
	const char *frame_line;
	bool suppressed;
	/*
	 * fingerprint_sql() of the statement the finding is in (0: none, as for
	 * an unreadable input): what stable fingerprints are made of, so they
	 * survive lines added above (report_gitlab.c, report_sarif.c)
	 */
	uint64_t stmt_hash;
	int file_order;            /* position of its file in apply order */
};

struct diag_list {
	struct arena *a;
	int file_order;            /* stamped on every diagnostic added */
	struct diag *items;
	size_t n, cap;
};

void diag_list_init(struct diag_list *l, struct arena *run_arena);

/*
 * Adds a diagnostic spanning bytes [start, end) of @src (NULL for an input
 * with no text). Returns the stored record or NULL on allocation failure.
 */
struct diag *diag_add(struct diag_list *l, const struct source *src, const char *path,
		      const char *rule, enum pgs_severity sev, size_t start, size_t end,
		      const char *message, const char *help);

/* Sorts by file (in apply order), line, column, rule id: the order every reporter uses. */
void diag_sort(struct diag_list *l);

/* Counts unsuppressed diagnostics at @sev exactly. */
size_t diag_count(const struct diag_list *l, enum pgs_severity sev);

#endif
