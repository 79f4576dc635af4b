/*
 * pgsafe_plugin.h - the plugin ABI: how a shared object adds rules to pgsafe.
 *
 * This is pgsafe's only installed header and the whole contract between
 * pgsafe (the host) and a plugin. It needs nothing but the C11 standard
 * headers and libpg_query's headers, for the parse tree a rule reads.
 *
 * A plugin is a shared object that exports exactly one function,
 * pgsafe_plugin_manifest(), returning a pointer to a constant manifest:
 * the ABI version it was built for, the PostgreSQL grammar its parse-tree
 * types come from, its name and version, and its rules. Functions are the
 * only symbols dlsym() is guaranteed to find portably, hence a function and
 * not a variable. The host loads the object with dlopen(RTLD_NOW |
 * RTLD_LOCAL), reads abi_major and, when it differs from its own, reads
 * nothing else and refuses the plugin.
 *
 * A plugin links no host symbol. Everything it may ask of pgsafe (report a
 * finding, the statement and its parse tree, the effects the lock model
 * computed, the transaction state, the catalog, scratch memory, options)
 * comes through the function table ctx->api that every rule call receives
 * (the idea of redis's module GetApi): a plugin built against this header
 * loads into any pgsafe with the same ABI major.
 *
 * A plugin rule is described by the same descriptor as a built-in rule
 * (PGSAFE_RULE_FIELDS below is the one definition of both), runs at the
 * same point of the pipeline, and is treated the same way: version gating,
 * severity overrides in .pgsafe.yaml, `-- pgsafe:ignore`, `pgsafe rules`
 * and `pgsafe explain`. Its id is "<plugin name>/<rule>", kebab-case.
 *
 * Compatibility promise (docs/ABI.md says it at length):
 *  - abi_major changes when anything changes in an incompatible way: a
 *    field or function removed, moved, retyped or given a new meaning, an
 *    enum value renumbered. pgsafe loads only plugins of its own major.
 *  - abi_minor changes when something is added, and additions happen only
 *    at the end of a structure or function table, or as new enum values or
 *    flag bits. A plugin built for minor N loads into a host of any minor:
 *    the host reads only the fields that existed at the plugin's minor, and
 *    the plugin checks ctx->api->struct_size (PGSAFE_API_HAS) before it
 *    calls a function newer than 1.0. One exception: a rule flag bit the
 *    host does not know makes it refuse the plugin, since a flag may
 *    change when the rule runs.
 *  - The manifest's first member is abi_major, a uint32_t, in every major
 *    version ever: that is how a host tells a plugin it must not read.
 * Building with -fshort-enums or a non-default struct packing breaks the
 * ABI.
 *
 * Memory: the manifest and everything it points to belong to the plugin and
 * must stay valid and unchanged while it is loaded. Memory from api->alloc
 * and api->format is the host's, lives until the current file has been
 * analyzed, and is never freed by the plugin. Strings the host returns are
 * valid until the call to the rule returns. Rules keep no state between
 * calls and assume no order of files.
 */
#ifndef PGSAFE_PLUGIN_H
#define PGSAFE_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------
 * Versions
 * ------------------------------------------------------------------- */

#define PGSAFE_ABI_MAJOR 1
#define PGSAFE_ABI_MINOR 0

/*
 * The PostgreSQL major version of the grammar, and so of the parse-tree
 * types, in the libpg_query the plugin is compiled against: PG_MAJORVERSION
 * ("15") as a number. The node numbering changes between libpg_query
 * majors, so the host refuses a plugin built against another grammar.
 */
#define PGSAFE_PG_GRAMMAR (PG_VERSION_NUM / 10000)

/* ---------------------------------------------------------------------
 * Shared vocabulary (same numbering as pgsafe's own)
 * ------------------------------------------------------------------- */

/* What a rule and a host function return: 0, or a negative failure. */
enum pgsafe_status {
	PGSAFE_OK = 0,
	PGSAFE_ERR_NOMEM = -1,    /* out of memory */
	PGSAFE_ERR_INVALID = -2,  /* a host function was given a bad argument */
	PGSAFE_ERR_FAILED = -3,   /* the plugin's own failure: stops the run, exit code 4 */
};

/* Ordered: a higher value is more severe. */
enum pgsafe_severity {
	PGSAFE_SEV_HINT = 1,
	PGSAFE_SEV_WARNING = 2,
	PGSAFE_SEV_ERROR = 3,
};

/* Table-level lock modes, in PostgreSQL's numbering (lockdefs.h): stronger is larger. */
enum pgsafe_lock_mode {
	PGSAFE_LOCK_NONE = 0,
	PGSAFE_LOCK_ACCESS_SHARE = 1,
	PGSAFE_LOCK_ROW_SHARE = 2,
	PGSAFE_LOCK_ROW_EXCLUSIVE = 3,
	PGSAFE_LOCK_SHARE_UPDATE_EXCLUSIVE = 4,
	PGSAFE_LOCK_SHARE = 5,
	PGSAFE_LOCK_SHARE_ROW_EXCLUSIVE = 6,
	PGSAFE_LOCK_EXCLUSIVE = 7,
	PGSAFE_LOCK_ACCESS_EXCLUSIVE = 8,
};

/* The transaction a statement runs in. */
enum pgsafe_txn_kind {
	PGSAFE_TXN_NONE = 0,      /* autocommit: the statement is its own transaction */
	PGSAFE_TXN_EXPLICIT = 1,  /* inside BEGIN ... COMMIT written in the file */
	PGSAFE_TXN_IMPLICIT = 2,  /* inside the transaction the migration tool opens */
};

enum pgsafe_rule_flags {
	PGSAFE_RULE_OPT_IN = 1 << 0,  /* off unless enabled in .pgsafe.yaml */
};

/* ---------------------------------------------------------------------
 * Rule descriptors
 * ------------------------------------------------------------------- */

struct pgsafe_ctx;

/*
 * The fields of a rule descriptor, for built-in rules (rules/rule.h, with
 * pgsafe's private context type) and plugin rules (struct pgsafe_rule)
 * alike. The descriptor is the rule's documentation: `pgsafe explain`
 * prints it. Every string is UTF-8; those marked "or NULL" are optional.
 *
 * check runs once per statement that parsed; finish, when not NULL, once
 * after the file's last statement (the statement functions of the API then
 * return nothing). Both return PGSAFE_OK or a negative status; a failure
 * stops the run with exit code 4 and a message naming the rule.
 */
#define PGSAFE_RULE_FIELDS(ctx_type, severity_type) \
	const char *id;                /* kebab-case, permanent; plugins: "<plugin>/<rule>" */ \
	const char *summary;           /* one line: the hazard */ \
	const char *rationale;         /* lock taken, who is blocked, rewrite or scan, versions */ \
	const char *safe_alternative;  /* the safe sequence, as SQL */ \
	const char *bad_example;       /* SQL the rule flags, or NULL */ \
	const char *good_example;      /* SQL it leaves alone, or NULL */ \
	const char *peers;             /* the same check in other tools, or NULL */ \
	severity_type default_severity; \
	int min_pg_version;            /* the hazard exists from this major version (0: always) */ \
	int max_pg_version;            /* ...up to this one (0: still) */ \
	unsigned flags;                /* enum pgsafe_rule_flags */ \
	int (*check)(ctx_type *ctx);   /* per statement, or NULL */ \
	int (*finish)(ctx_type *ctx);  /* after the file's last statement, or NULL */ \
	const char *const *aliases;    /* older ids of this rule, NULL-terminated, or NULL */ \
	const char *example_setup;     /* SQL the examples run after (existing tables), or NULL */

struct pgsafe_rule {
	PGSAFE_RULE_FIELDS(struct pgsafe_ctx, enum pgsafe_severity)
};

/* A setting the plugin accepts: `--plugin-option <plugin>.<name>=<value>`. */
struct pgsafe_option {
	const char *name;              /* kebab-case */
	const char *summary;           /* one line, for `pgsafe explain` and errors */
};

/* ---------------------------------------------------------------------
 * The manifest
 * ------------------------------------------------------------------- */

struct pgsafe_plugin {
	uint32_t abi_major;            /* PGSAFE_ABI_MAJOR: first, in every version */
	uint32_t abi_minor;            /* PGSAFE_ABI_MINOR */
	uint32_t struct_size;          /* sizeof(struct pgsafe_plugin) */
	uint32_t pg_grammar;           /* PGSAFE_PG_GRAMMAR */
	const char *name;              /* [a-z][a-z0-9-]*, at most 32 bytes: the rules' namespace */
	const char *version;           /* the plugin's own version, free text */
	const char *summary;           /* one line: what the plugin checks */
	const struct pgsafe_rule *const *rules;
	size_t n_rules;                /* 1 to 256 */
	const struct pgsafe_option *options;   /* or NULL */
	size_t n_options;
};

/* The four version fields, for a designated initializer. */
#define PGSAFE_PLUGIN_VERSIONS \
	.abi_major = PGSAFE_ABI_MAJOR, \
	.abi_minor = PGSAFE_ABI_MINOR, \
	.struct_size = sizeof(struct pgsafe_plugin), \
	.pg_grammar = PGSAFE_PG_GRAMMAR

#if defined(__GNUC__)
#define PGSAFE_EXPORT __attribute__((visibility("default")))
#else
#define PGSAFE_EXPORT
#endif

/*
 * The one symbol a plugin exports. Returns its manifest, which must not
 * change afterwards; it is called once, right after dlopen().
 */
PGSAFE_EXPORT const struct pgsafe_plugin *pgsafe_plugin_manifest(void);

/* Its type, for the host's dlsym(). */
typedef const struct pgsafe_plugin *(*pgsafe_manifest_fn)(void);

/* ---------------------------------------------------------------------
 * Findings
 * ------------------------------------------------------------------- */

/*
 * A finding, as a rule reports it. Set struct_size to sizeof(struct
 * pgsafe_finding) (PGSAFE_FINDING_INIT does): the host reads only the
 * fields that fit in it. The host copies every string.
 */
struct pgsafe_finding {
	uint32_t struct_size;
	size_t start, end;             /* byte span in the file; both 0: the whole statement */
	const char *message;           /* required; lower-case start, no final period, <= 1024 bytes */
	const char *help;              /* the safe way, or NULL */
	const char *relation;          /* the relation the finding is about ("public.t"), or NULL */
	enum pgsafe_lock_mode lock;    /* the lock on it; NONE: what the statement takes on it */
};

#define PGSAFE_FINDING_INIT { .struct_size = sizeof(struct pgsafe_finding) }

/* ---------------------------------------------------------------------
 * The host's services
 * ------------------------------------------------------------------- */

/*
 * What a rule receives. The host builds it for every call; a plugin reads
 * api, plugin, rule and pg_version and leaves host alone.
 */
struct pgsafe_ctx {
	const struct pgsafe_api *api;        /* the host's functions */
	const struct pgsafe_plugin *plugin;  /* the plugin's own manifest */
	const struct pgsafe_rule *rule;      /* the rule being run */
	int pg_version;                      /* the target PostgreSQL major version */
	void *host;                          /* private to the host */
};

/*
 * The host's function table. Every function takes the rule's context
 * first. "Statement" means the statement being checked; in finish there is
 * none, and the statement and effects functions return NULL, 0 or false.
 */
struct pgsafe_api {
	uint32_t abi_major;            /* the host's PGSAFE_ABI_MAJOR */
	uint32_t abi_minor;            /* the host's PGSAFE_ABI_MINOR */
	uint32_t struct_size;          /* sizeof(struct pgsafe_api) in the host */

	/* -- findings -- */

	/*
	 * Reports a finding of ctx->rule. Returns PGSAFE_OK, PGSAFE_ERR_NOMEM,
	 * or PGSAFE_ERR_INVALID (no message, a message that is not UTF-8 or too
	 * long, a lock mode out of range); an invalid finding also stops the
	 * run with exit code 4, so ignoring the status hides nothing.
	 */
	int (*report)(struct pgsafe_ctx *ctx, const struct pgsafe_finding *f);
	/*
	 * Stops the run because the rule cannot do its work (a missing or
	 * malformed option, say): pgsafe prints @message, naming the rule, and
	 * exits with 4. Returns PGSAFE_ERR_FAILED, for `return api->fail(...)`.
	 */
	int (*fail)(struct pgsafe_ctx *ctx, const char *message);

	/* -- memory: lives until the file has been analyzed; NULL when out of memory -- */

	void *(*alloc)(struct pgsafe_ctx *ctx, size_t size);   /* zeroed, aligned for any type */
	const char *(*format)(struct pgsafe_ctx *ctx, const char *fmt, ...)
#if defined(__GNUC__)
		__attribute__((format(printf, 2, 3)))
#endif
		;

	/* -- the statement -- */

	const PgQuery__Node *(*stmt_node)(struct pgsafe_ctx *ctx);  /* the parse tree */
	const char *(*stmt_kind)(struct pgsafe_ctx *ctx);   /* "AlterTableStmt", ... */
	const char *(*stmt_text)(struct pgsafe_ctx *ctx);   /* its SQL, without the ';' */
	size_t (*stmt_start)(struct pgsafe_ctx *ctx);       /* its byte span in the file */
	size_t (*stmt_end)(struct pgsafe_ctx *ctx);
	/* The byte offset in the file of a parse-tree location (-1: the statement's start). */
	size_t (*offset)(struct pgsafe_ctx *ctx, int32_t location);
	const char *(*file_path)(struct pgsafe_ctx *ctx);   /* as shown in reports */

	/* -- the statement's effects, from pgsafe's lock model -- */

	bool (*modeled)(struct pgsafe_ctx *ctx);            /* false: effects unknown, not "none" */
	bool (*needs_no_transaction)(struct pgsafe_ctx *ctx);  /* refused in a transaction block */
	size_t (*lock_count)(struct pgsafe_ctx *ctx);
	const char *(*lock_relation)(struct pgsafe_ctx *ctx, size_t i);   /* "public.t" */
	enum pgsafe_lock_mode (*lock_mode)(struct pgsafe_ctx *ctx, size_t i);
	/* The strongest lock the statement takes on @relation (NONE: none). */
	enum pgsafe_lock_mode (*lock_on)(struct pgsafe_ctx *ctx, const char *relation);
	size_t (*rewrite_count)(struct pgsafe_ctx *ctx);     /* tables rewritten in full */
	const char *(*rewrite_relation)(struct pgsafe_ctx *ctx, size_t i);
	size_t (*scan_count)(struct pgsafe_ctx *ctx);        /* tables read in full */
	const char *(*scan_relation)(struct pgsafe_ctx *ctx, size_t i);

	/* -- the transaction in force when the statement starts -- */

	enum pgsafe_txn_kind (*txn_kind)(struct pgsafe_ctx *ctx);
	long (*lock_timeout_ms)(struct pgsafe_ctx *ctx);      /* -1: not set (wait forever) */
	long (*statement_timeout_ms)(struct pgsafe_ctx *ctx); /* -1: not set */

	/*
	 * -- the catalog as it was before the statement --
	 * It knows what the migrations (and a schema dump, if given) showed it;
	 * false from table_exists means "not known", not "absent".
	 */

	/* The qualified name ("public.t") a RangeVar of the tree resolves to. */
	const char *(*qualify)(struct pgsafe_ctx *ctx, const PgQuery__RangeVar *rv);
	bool (*table_exists)(struct pgsafe_ctx *ctx, const char *relation);
	/* Created by this migration, or by a file of the change under review: empty, unseen. */
	bool (*table_is_new)(struct pgsafe_ctx *ctx, const char *relation);
	size_t (*column_count)(struct pgsafe_ctx *ctx, const char *relation);
	const char *(*column_name)(struct pgsafe_ctx *ctx, const char *relation, size_t i);
	const char *(*column_type)(struct pgsafe_ctx *ctx, const char *relation, size_t i);  /* "int8" */
	bool (*column_not_null)(struct pgsafe_ctx *ctx, const char *relation, size_t i);

	/* -- settings and names -- */

	/* The value of `--plugin-option <plugin>.<name>=VALUE`, or NULL when not given. */
	const char *(*option)(struct pgsafe_ctx *ctx, const char *name);
	const char *(*lock_mode_sql)(enum pgsafe_lock_mode mode);    /* "ACCESS EXCLUSIVE" */
	const char *(*lock_blocks)(enum pgsafe_lock_mode mode);      /* "reads and writes", ... */

	/* ABI 1.1 and later add functions here, and only here. */
};

/* Whether the host's table has @member (for functions added after 1.0). */
#define PGSAFE_API_HAS(api, member) \
	(offsetof(struct pgsafe_api, member) + sizeof(((const struct pgsafe_api *)0)->member) <= \
	 (api)->struct_size)

#ifdef __cplusplus
}
#endif

#endif
