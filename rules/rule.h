/*
 * rule.h - what a rule is and what it may see.
 *
 * A rule is a const descriptor (its documentation and its check function)
 * and nothing else. The check runs once per statement with a read-only
 * context: the statement, its effects from the lock model, the transaction
 * state, the catalog as it was before the statement, and every earlier
 * statement of the same file. A rule reports findings through the context
 * and allocates only from ctx->arena. It never decides a lock level itself,
 * never prints, and keeps no state between calls.
 */
#ifndef PGS_RULE_H
#define PGS_RULE_H

#include "../analyzer/lockmodel.h"
#include "../analyzer/parse.h"
#include "../analyzer/pgsafe.h"
#include "../analyzer/schema.h"
#include "../analyzer/source.h"
#include "../analyzer/txmodel.h"
#include "../plugins/pgsafe_plugin.h"

/* One statement after analysis. */
struct analyzed_stmt {
	const struct stmt *st;     /* span, parse tree or error */
	const char *kind;          /* "AlterTableStmt", "syntax error", ... */
	struct effects fx;
	struct txn_view txn;       /* the transaction state when the statement starts */
	const struct stmt *do_block; /* the DO statement that runs this one, or NULL (plpgsql.h) */
};

enum rule_flags {
	RULE_OPT_IN = PGSAFE_RULE_OPT_IN,   /* off unless enabled in config */
};

struct rule_ctx;

/*
 * A rule's descriptor. Its fields are defined once, in the plugin ABI
 * header, for built-in and plugin rules alike (PGSAFE_RULE_FIELDS: id,
 * summary, rationale, safe_alternative, bad_example, good_example, peers,
 * default_severity, min_pg_version, max_pg_version, flags, check, finish,
 * aliases, example_setup); here with the analyzer's own context type. A
 * plugin rule becomes one of these in analyzer/plugin.c.
 *
 * aliases: older ids that also name the rule, NULL-terminated, or NULL.
 * When a rule is split, the new rules list the old id here, so
 * configuration and ignore comments written for it keep working
 * (registry_rule_answers_to). example_setup: SQL of an earlier, already
 * deployed migration that bad_example and good_example run after (its
 * tables count as existing), or NULL.
 */
struct rule {
	PGSAFE_RULE_FIELDS(struct rule_ctx, enum pgs_severity)
};

/* A finding, as a rule describes it. */
struct finding {
	size_t start, end;       /* byte span in the source; both 0: the whole statement */
	const char *message;
	const char *help;
	const char *relation;    /* the locked relation the finding is about, or NULL */
	enum pgs_lock_mode lock; /* and the lock on it (NONE: the statement's on relation) */
	const char *duration;    /* NULL: derived from the effects */
};

struct lint_options;

struct rule_ctx {
	const struct rule *rule;
	const struct source *src;
	const struct analyzed_stmt *stmt;   /* the statement being checked (NULL in finish) */
	const struct analyzed_stmt *stmts;  /* the file's statements, [0, index] analyzed */
	size_t index;
	size_t n_stmts;                     /* in finish: how many */
	const struct schema *schema;        /* the catalog before this statement */
	const struct lint_options *opts;
	int pg_version;
	struct arena *arena;                /* scratch, freed after the file */
	void *host;                         /* the linter's private state */
};

/* Reports a finding. Returns PGS_OK or PGS_ERR_NOMEM. */
int rule_report(struct rule_ctx *ctx, const struct finding *f);

/* Whether @relation was created earlier in this file (or the change): empty, unseen. */
bool rule_table_is_new(const struct rule_ctx *ctx, const char *relation);

/* printf into the context's arena. */
const char *rule_printf(struct rule_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The statement's source text (file arena). */
const char *rule_stmt_text(struct rule_ctx *ctx, const struct analyzed_stmt *s);

#define RULE_NODE(n, kind) ((n) && (n)->node_case == PG_QUERY__NODE__NODE_##kind)

#endif
