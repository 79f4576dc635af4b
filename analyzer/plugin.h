/*
 * plugin.h - rule plugins: loading, the ABI check, and the host's side of
 * plugins/pgsafe_plugin.h.
 *
 * Sits before the pipeline. The command loads the plugins the command line
 * names (--plugin, always allowed) and those its configuration files name
 * (only with the runner's permission: cli_plugins.c), then activates the
 * set: each plugin rule is wrapped in a built-in `struct rule` whose check
 * calls the plugin through the pgsafe_api table, and the registry's table
 * becomes the built-in rules plus these wrappers, sorted by id. From there on a
 * plugin rule is an ordinary rule to lint.c, config.c, ignore.c and the
 * reporters. docs/plugins.md is the walkthrough, docs/ABI.md the promise.
 *
 * Loading runs the plugin's code (its constructors, then its manifest
 * function): that is the reason configuration files may name plugins but
 * not load them on their own.
 *
 * Nothing here prints. Failures fill a struct plugin_error whose message
 * names the file and, where the versions are the problem, both versions.
 */
#ifndef PGS_PLUGIN_H
#define PGS_PLUGIN_H

#include "arena.h"
#include "pgsafe.h"

#define PLUGIN_MAX 32              /* plugins per run */
#define PLUGIN_MAX_RULES 256       /* rules per plugin */
#define PLUGIN_MAX_OPTIONS 64      /* --plugin-option values per run */
#define PLUGIN_MAX_MESSAGE 1024    /* bytes in a finding's message */
#define PLUGIN_MAX_TEXT 16384      /* bytes in any other string a plugin hands over */

struct plugin_error {
	char message[768];
};

struct plugin;
struct plugin_option_value;

/*
 * The plugins of one run. Owns their handles (dlclose at release) and,
 * in its arena, the rule wrappers and the registry table made of them.
 */
struct plugin_set {
	struct arena arena;
	struct plugin **items;
	size_t n, cap;
	struct plugin_option_value *options;
	size_t n_options, cap_options;
	bool active;                   /* the registry uses this set's table */
	char failure[768];             /* why a plugin rule stopped the run (PGS_ERR_PLUGIN) */
};

void plugin_set_init(struct plugin_set *ps);

/*
 * Restores the built-in registry if this set was active, closes every
 * plugin and frees everything. Call it only after the last use of any
 * diagnostic id or rule pointer the plugins provided (diagnostics copy
 * their strings, so reports are safe).
 */
void plugin_set_release(struct plugin_set *ps);

/*
 * Loads one plugin. @spec is a path, relative to @base_dir (NULL: the
 * current directory) unless absolute; a spec without '/' that names no
 * file there is looked up in the directories of PGSAFE_PLUGIN_PATH, as
 * SPEC and SPEC.so. The same file loaded twice is loaded once. Returns
 * PGS_OK, PGS_ERR_PLUGIN with @err filled (the file is closed again), or
 * PGS_ERR_NOMEM.
 */
int plugin_load(struct plugin_set *ps, const char *spec, const char *base_dir,
		struct plugin_error *err);

/*
 * Records `--plugin-option PLUGIN.NAME=VALUE` (@arg is kept, not copied).
 * Returns PGS_OK or PGS_ERR_USAGE with @err filled when malformed; whether
 * the plugin and the option exist is checked by plugin_set_check_options().
 */
int plugin_set_option(struct plugin_set *ps, const char *arg, struct plugin_error *err);

/*
 * Makes the loaded plugins' rules part of the registry (registry.h), in
 * id order among the built-in ones; call it again after loading more.
 * Returns PGS_OK or PGS_ERR_NOMEM. With no plugin loaded it changes
 * nothing.
 */
int plugin_set_activate(struct plugin_set *ps);

/*
 * Once every plugin is loaded: PGS_ERR_USAGE with @err filled when a
 * --plugin-option names a plugin that is not loaded or an option it does
 * not declare, else PGS_OK.
 */
int plugin_set_check_options(const struct plugin_set *ps, struct plugin_error *err);

/* The loaded plugins, for `pgsafe rules` and `pgsafe explain`. */
size_t plugin_set_count(const struct plugin_set *ps);
const char *plugin_name(const struct plugin_set *ps, size_t i);
const char *plugin_version(const struct plugin_set *ps, size_t i);
const char *plugin_path(const struct plugin_set *ps, size_t i);

/*
 * For `pgsafe explain`: the plugin a rule comes from (NULL for a built-in
 * rule), and its options' names and summaries.
 */
struct rule;
const char *plugin_rule_origin(const struct rule *rule);
size_t plugin_rule_option_count(const struct rule *rule);
void plugin_rule_option(const struct rule *rule, size_t i, const char **name, const char **summary);

#endif
