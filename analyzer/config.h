/*
 * config.h - .pgsafe.yaml: a project's settings, and each file's share.
 *
 * Sits before the pipeline: the command finds the configuration of every
 * input (the first .pgsafe.yaml walking up from the input's directory, or
 * the one named with --config for all inputs), and lint_file() asks for
 * the file's settings before it reads the file: whether it is excluded,
 * its PostgreSQL version and transaction assumption, and the severity of
 * every rule (or that the rule is off). docs/configuration.md documents
 * every key.
 *
 * A configuration file is untrusted input. It is read with libyaml's event
 * API under a size cap, aliases are refused, and every unknown key, wrong
 * type, bad value or unknown rule id is an error naming the file, line and
 * column. Nothing here prints.
 */
#ifndef PGS_CONFIG_H
#define PGS_CONFIG_H

#include "arena.h"
#include "pgsafe.h"

#define PGS_CONFIG_NAME ".pgsafe.yaml"
#define PGS_CONFIG_MAX_BYTES (1024 * 1024)

struct rule;
struct lint_options;

/* One entry of a `rules:` map. */
struct config_rule {
	const char *id;
	enum pgs_severity severity;   /* PGS_SEV_NONE: off */
};

/* Settings for a set of files: the top level, or one entry of `overrides:`. */
struct config_layer {
	const char **paths;           /* overrides: globs (the top level has none) */
	size_t n_paths;
	struct config_rule *rules;
	size_t n_rules;
	int pg_version;               /* 0: not set */
	int assume_in_transaction;    /* -1: not set, else 0 or 1 */
};

struct config {
	const char *path;             /* as shown in messages */
	const char *dir;              /* absolute; globs are relative to it */
	struct config_layer top;
	struct config_layer *overrides;
	size_t n_overrides;
	bool has_fail_on;
	enum pgs_severity fail_on;    /* PGS_SEV_NONE: never */
	const char **enable;          /* opt-in rule ids */
	size_t n_enable;
	const char **exclude;         /* globs */
	size_t n_exclude;
	long max_lock_timeout_ms;     /* 0: not set */
	bool require_ignore_reason;
	const char **plugins;         /* as written, relative to dir; loaded only with --allow-plugins */
	size_t n_plugins;
	const char **schema;          /* schema dumps seeding the catalog, relative to dir (dump.h) */
	size_t n_schema;
	int framework;                /* `framework:` (enum framework, framework.h); 0: detect */
};

/* Why a configuration was refused: print as "PATH:LINE:COLUMN: MESSAGE". */
struct config_error {
	const char *path;             /* static or from the set's arena */
	unsigned line;                /* 1-based; 0 when the problem has no position */
	unsigned column;              /* 1-based, in characters */
	char message[256];
};

/*
 * Parses configuration text. @display names the file in errors, @dir is
 * the absolute directory globs are relative to. Everything lives in @a.
 * Returns PGS_OK, PGS_ERR_USAGE with @err filled, or PGS_ERR_NOMEM.
 */
int config_parse(struct config *c, struct arena *a, const char *display, const char *dir,
		 const char *text, size_t len, struct config_error *err);

/*
 * Reads and parses the file @path (at most PGS_CONFIG_MAX_BYTES). Returns
 * as config_parse(); an unreadable file is PGS_ERR_USAGE too.
 */
int config_load(struct config *c, struct arena *a, const char *path, const char *display,
		struct config_error *err);

/*
 * Whether glob @pattern matches @relpath, a file's path relative to the
 * configuration's directory. fnmatch(3) with FNM_PATHNAME, plus: a pattern
 * without '/' matches any single path component, a pattern that matches a
 * directory matches everything below it, and a leading "**" followed by '/'
 * matches any number of directories.
 */
bool config_glob_match(const char *pattern, const char *relpath);

/*
 * The configurations of one run, looked up per input and cached by
 * directory. Owns every configuration it loaded; release with
 * config_set_release().
 */
struct config_set {
	struct arena arena;
	const char *explicit_path;    /* --config PATH, or NULL */
	bool discover;                /* walk up from each input (false with --no-config) */
	const struct config *explicit_config;
	struct config_dir *dirs;      /* directory -> configuration found from it */
	size_t n_dirs, cap_dirs;
	const char *cwd;
};

void config_set_init(struct config_set *s, const char *explicit_path, bool discover);
void config_set_release(struct config_set *s);

/* One file's share of its configuration (lives in the arena given to config_set_lookup). */
struct file_settings {
	const struct config *config;  /* NULL: no configuration applies */
	const char *relpath;          /* the file relative to config->dir, or NULL outside it */
	bool excluded;                /* matched `exclude:`: not linted at all */
	const struct config_layer **layers;   /* the top level, then matching overrides in order */
	size_t n_layers;
};

/*
 * Finds the configuration for input @path (a file; its directory is where
 * the walk starts) and fills @out, with scratch from @a. A NULL @s gives
 * empty settings. Returns PGS_OK, PGS_ERR_USAGE with @err filled (the file
 * found is malformed or unreadable), or PGS_ERR_NOMEM.
 */
int config_set_lookup(struct config_set *s, const char *path, struct arena *a,
		      struct file_settings *out, struct config_error *err);

/*
 * Puts the file's PostgreSQL version, transaction assumption, fail_on,
 * max_lock_timeout and require_ignore_reason into @opts, except where the
 * command line set them (opts->given).
 */
void config_apply(const struct file_settings *fs, struct lint_options *opts);

/* The severity @rule reports at in the file, or PGS_SEV_NONE when it is off. */
enum pgs_severity config_rule_severity(const struct file_settings *fs, const struct rule *rule);

/* The same for a diagnostic id that is not a rule (unused-ignore, ...). */
enum pgs_severity config_id_severity(const struct file_settings *fs, const char *id,
				     enum pgs_severity def);

/* Parses "5s", "250ms", "2min", "1h" or "300" (ms) into milliseconds; -1 if malformed. */
long config_parse_duration_ms(const char *text);

#endif
