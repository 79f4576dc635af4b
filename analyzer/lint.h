/*
 * lint.h - one analysis run over many inputs: the pipeline's driver.
 *
 * For each input in apply order it reads the source, parses it, and walks
 * its statements: effects (lockmodel), transaction state (txmodel), rules,
 * then the catalog replay (schema). Diagnostics and the per-statement
 * summaries reporters need are copied into the run arena; everything of a
 * file is freed when the next file starts.
 */
#ifndef PGS_LINT_H
#define PGS_LINT_H

#include "arena.h"
#include "config.h"
#include "diag.h"
#include "lockmodel.h"
#include "schema.h"
#include "txmodel.h"

struct rule;
struct stats;
struct source;
struct analyzed_stmt;
struct lint_run;
struct lint_stmt_event;

/*
 * A later stage's view of each analyzed statement (the planner, plan.h):
 * called once per statement of every input (context-only ones flagged),
 * after its effects, rules and transaction replay, and before the
 * statement is replayed into the catalog. Returns PGS_OK, or a failure
 * status that stops the run.
 */
typedef int (*lint_stmt_hook)(void *arg, const struct lint_run *r,
			      const struct lint_stmt_event *ev);

struct lint_options {
	int pg_version;
	bool assume_in_transaction;
	/*
	 * assume_in_transaction as the file's configuration says it: 0 not
	 * said (so zeroed options mean nothing), 1 false, 2 true. A configured
	 * false overrides a migration tool's default of wrapping (framework.h),
	 * which the merged bool above cannot tell from "not said".
	 */
	int configured_assume;
	size_t max_file_bytes;
	enum pgs_severity fail_on;        /* PGS_SEV_NONE: never */
	const char *only_rules;           /* comma list or NULL */
	bool include_down;                /* lint down migrations too (--include-down, framework.h) */
	lint_stmt_hook on_stmt;           /* NULL: none */
	void *on_stmt_arg;
	/* .pgsafe.yaml (config.h): */
	struct config_set *configs;       /* each input's configuration; NULL: none */
	unsigned given;                   /* enum lint_given: set on the command line, so config yields */
	long max_lock_timeout_ms;         /* 0: no maximum */
	bool require_ignore_reason;       /* pgsafe:ignore needs a reason (ignore.h) */
};

/* Options the command line set; a configuration file does not override them. */
enum lint_given {
	LINT_GIVEN_PG_VERSION = 1 << 0,
	LINT_GIVEN_ASSUME_IN_TRANSACTION = 1 << 1,
	LINT_GIVEN_FAIL_ON = 1 << 2,
};

/* A statement as reporters see it (run arena). */
struct stmt_summary {
	const char *file;
	struct source_pos start, end;
	size_t start_byte, end_byte;
	const char *kind;
	int txn_id;
	enum txn_kind txn_kind;
	bool modeled;
	const char *unmodeled_reason;
	struct effect_lock *locks;
	size_t n_locks;
	const char **rewrites;
	size_t n_rewrites;
	const char **scans;
	size_t n_scans;
	bool needs_no_transaction;
};

struct lint_summary {
	size_t files;
	size_t files_with_errors;   /* input problems */
	size_t statements;
	size_t not_modeled;
	size_t errors, warnings, hints;
	size_t excluded;            /* inputs skipped by a configuration's exclude */
	size_t suppressed;          /* findings silenced by -- pgsafe:ignore comments */
};

struct lint_run {
	struct arena run;
	struct arena file;
	struct lint_options opts;
	struct schema schema;
	struct diag_list diags;
	struct stmt_summary *stmts;
	size_t n_stmts, cap_stmts;
	struct lint_summary summary;
	int file_index;
	bool input_error;           /* some input was unreadable or undecodable */
	const struct rule *const *rules;
	size_t n_rules;
	int framework;              /* enum framework the inputs follow (framework.h); 0: plain */
	const struct stats *stats;  /* table sizes (--stats, stats.h), or NULL */
	const char **inputs;        /* display names of the reported inputs, in order */
	size_t n_inputs, cap_inputs;
	unsigned char *file_flags;  /* enum lint_file_flags of each input, by file index */
	size_t n_file_flags, cap_file_flags;
	/*
	 * Per file (config.h): opts above are base with the file's
	 * configuration applied, settings hold its rule severities.
	 */
	struct lint_options base;   /* as given to lint_init() */
	struct file_settings settings;
	struct config_error config_error;   /* when lint_file() returns PGS_ERR_USAGE */
	bool fails;                 /* a finding at or above its file's fail_on */
};

/*
 * How an input takes part in the run. By default every input is reported
 * and none is "part of the change". --changed-since and --with-context
 * (cmd_lint.c) read the other migrations of a directory as context only,
 * and mark the files under review as the change (DESIGN.md, "new vs
 * existing": tables created by any file of the change count as new).
 */
enum lint_file_flags {
	LINT_FILE_CONTEXT = 1 << 0,   /* analyzed for the catalog; findings, statements, counts dropped */
	LINT_FILE_CHANGED = 1 << 1,   /* part of the change under review */
};

void lint_init(struct lint_run *r, const struct lint_options *opts);
void lint_release(struct lint_run *r);

/*
 * Analyzes one input (a path, or "-" for stdin shown as @display), with
 * the settings of its configuration, unless that excludes it. Returns
 * PGS_OK, PGS_ERR_USAGE when its configuration file is malformed (see
 * r->config_error), or PGS_ERR_NOMEM; input problems are diagnostics and
 * set r->input_error.
 */
int lint_file(struct lint_run *r, const char *path, const char *display);

/*
 * What lint_options.on_stmt receives. Everything points into the file
 * arena or the live catalog and is valid only during the call: a hook
 * copies what it keeps. @schema is the catalog before the statement.
 */
struct lint_stmt_event {
	const struct source *src;
	const struct analyzed_stmt *stmt;  /* rules/rule.h: span, tree, effects, txn */
	const struct schema *schema;
	size_t index;                      /* the statement's number in its file, from 0 */
	int file_index;
	bool context;                      /* the file is context only (LINT_FILE_CONTEXT) */
	bool down;                         /* from a down migration (framework.h): never applied */
};

/*
 * Whether @relation is new for the statement being analyzed: created
 * earlier in the same file, or by a file that is part of the change
 * (DESIGN.md, "new vs existing"); what rule_table_is_new() answers.
 */
bool lint_table_is_new(const struct lint_run *r, const char *relation);

/* lint_file() with enum lint_file_flags @flags (lint_file() passes 0). */
int lint_file_as(struct lint_run *r, const char *path, const char *display, unsigned flags);

/* Analyzes text in memory, as if it were the file @display. */
int lint_buffer(struct lint_run *r, const char *display, const char *text, size_t len);

/* Sorts diagnostics and fills the summary counts. */
void lint_finish(struct lint_run *r);

#endif
